"""One entity across the archive in the web interface (headless Chromium, the real test stack): a document's
criminal organisation opens its profile, which lists its documents with their pages and the people and
companies named with it; a linked person opens that person's profile. Optionally saves a screenshot
(docs/screenshots/entity.png) in the folder ``DOCSEARCH_SCREENSHOTS`` names."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By

from samples import pdf as sample_pdf
from tests.browser.driver import wait_for, wait_until
from tests.browser.test_ui import css

ORG = "Los Búhos del Malecón"
REPORT = [
    "INFORME POLICIAL N° 318-2020-DIRANDRO-PNP/DIVINESP. Lima, 2 de marzo de 2020. "
    f"La organización criminal «{ORG}», liderada por el investigado Hernán Villacorta Ruiz, usaba a la empresa "
    "Pesquera Malecón del Norte S.A.C. para ocultar clorhidrato de cocaína en el Callao.",
]
RULING = [
    "SENTENCIA. Expediente N° 00712-2022-2-0701-JR-PE-01. Callao, 9 de mayo de 2022. Se condena al acusado "
    f"Hernán Villacorta Ruiz, identificado con DNI N° 41523687, como líder de la organización criminal «{ORG}» por "
    "tráfico ilícito de drogas.",
]


def text_of(driver, element_id: str) -> str:
    """An element's text, or "" while the view is being drawn again (the element just replaced)."""
    try:
        return driver.find_element(By.ID, element_id).text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def _href(driver, element_id: str) -> str:
    try:
        return driver.find_element(By.ID, element_id).get_attribute("href") or ""
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def chip_values(driver) -> set[str]:
    try:
        return {a.get_attribute("data-value") for a in css(driver, "#entity-linked a.chip")}
    except StaleElementReferenceException:
        return set()


@pytest.fixture(scope="module")
def entity_corpus(live, tmp_path_factory):
    folder = tmp_path_factory.mktemp("entity-ui")
    tag = uuid.uuid4().hex[:6]
    files = []
    for key, pages in (("informe", REPORT), ("sentencia", RULING)):
        path = folder / f"{key}.pdf"
        path.write_bytes(sample_pdf.text_pdf(pages, title=None, creator=f"docsearch browser tests {tag}"))
        files.append(path)
    batch = live.wait_batch(live.upload(files, collection=f"perfiles-{tag}"))
    assert batch["counts"]["indexed"] == 2, batch
    return {f["name"]: f["document_id"] for f in batch["files"]}


def test_an_organisation_s_profile_lists_its_documents_and_who_appears_with_it(page, live, entity_corpus):
    page.get(live.url + f"/#/doc/{entity_corpus['informe.pdf']}")
    link = wait_for(page, f"a.entity-profile[href*='{quote(ORG)}']")
    link.click()
    wait_until(page, lambda d: text_of(d, "entity-heading") == ORG, "the profile's heading")
    wait_until(page, lambda d: text_of(d, "entity-status").startswith("2 documentos"), "the counts")
    assert "2020–2022" in page.find_element(By.ID, "entity-status").text  # the view is drawn again once loaded
    assert page.title == f"{ORG} — docsearch"
    documents = css(page, "#entity-documents li")
    assert {li.get_attribute("data-id") for li in documents} == set(entity_corpus.values())
    linked = chip_values(page)
    assert {"Hernán Villacorta Ruiz", "Pesquera Malecón del Norte S.A.C."} <= linked
    if os.environ.get("DOCSEARCH_SCREENSHOTS"):
        page.save_screenshot(str(Path(os.environ["DOCSEARCH_SCREENSHOTS"]) / "entity.png"))
    page.find_element(By.CSS_SELECTOR, "#entity-linked a.chip[data-value='Hernán Villacorta Ruiz']").click()
    wait_until(page, lambda d: text_of(d, "entity-heading") == "Hernán Villacorta Ruiz", "the person")
    wait_until(page, lambda d: ORG in chip_values(d),
               "the organisation linked back")
    wait_until(page, lambda d: "persons=" in _href(d, "entity-search"), "a search for the person's documents")
    # one identity across the archive, with the DNI the ruling prints beside the name
    identity = text_of(page, "entity-identity")
    assert "Identidad en el archivo: per-" in identity and "DNI 41523687" in identity, identity
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_a_search_for_an_organisation_s_name_leads_to_its_profile(page, live, entity_corpus):
    page.get(live.url + "/#/search?" + urlencode({"q": ORG.lower().replace("ú", "u").replace("ó", "o")}))
    link = wait_for(page, "#query-info .profile-link a")
    assert link.text == ORG and link.get_attribute("data-field") == "criminal_orgs"
    link.click()
    wait_until(page, lambda d: text_of(d, "entity-status").startswith("2 documentos"), "the profile")
    assert text_of(page, "entity-heading") == ORG
