"""Who appears with whom in the web interface (headless Chromium, the real test stack): a search for a criminal
organisation leads to its profile, and the profile to the network of the documents naming it — drawn by Cytoscape
on a canvas, and listed as text: the strongest links (the organisation with its leader, its front company, the
operation and the case file, weighted by the pages naming both) and the entities, each opening its profile or
filtering the search. The exports answer GraphML and CSV. Optionally saves docs/screenshots/network.png in the
folder ``DOCSEARCH_SCREENSHOTS`` names."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By

from samples import pdf as sample_pdf
from tests.browser.driver import wait_for, wait_until
from tests.browser.test_entity_ui import text_of
from tests.browser.test_ui import css, hash_params

ORG = "Los Injertos del Cono Norte"
LEADER = "Wilfredo Chumpitaz Rojas"
MEMBER = "Rosa Huamán Tello"
COMPANY = "Transportes Chillón del Norte S.A.C."
OPERATION = "Operación Cono Blanco"
CASE = "Expediente 00341-2021-0-1801-JR-PE-02"
OUTSIDER = "Teodoro Quispe Mamani"   # in a document that does not name the organisation
REPORT = [
    "INFORME POLICIAL N° 145-2021-DIRANDRO-PNP/DIVINESP. Lima, 14 de junio de 2021. En el marco de la Operación "
    f"«Cono Blanco», se identificó a la organización criminal «{ORG}», liderada por el investigado {LEADER}, que "
    f"usaba a la empresa {COMPANY} para acopiar clorhidrato de cocaína en Comas. Los hechos se investigan en el "
    "Expediente N° 00341-2021-0-1801-JR-PE-02.",
]
RULING = [
    "SENTENCIA. Expediente N° 00341-2021-0-1801-JR-PE-02. Lima, 3 de octubre de 2023. Se condena al acusado "
    f"{LEADER} y a la acusada {MEMBER} como integrantes de la organización criminal «{ORG}», desarticulada en la "
    f"Operación «Cono Blanco», por tráfico ilícito de drogas y lavado de activos a través de {COMPANY}",
]
OTHER = [
    "INFORME POLICIAL N° 212-2022-DIRANDRO-PNP/DIVINESP. Callao, 5 de mayo de 2022. La organización criminal «Los "
    f"Malditos de Ventanilla», liderada por el investigado {OUTSIDER}, usaba a la empresa Naviera Ventanilla S.A.C.",
]


@pytest.fixture(scope="module")
def network_corpus(live, tmp_path_factory):
    folder = tmp_path_factory.mktemp("network-ui")
    tag = uuid.uuid4().hex[:6]
    files = []
    for key, pages in (("informe", REPORT), ("sentencia", RULING), ("otro", OTHER)):
        path = folder / f"{key}.pdf"
        path.write_bytes(sample_pdf.text_pdf(pages, title=None, creator=f"docsearch browser tests {tag}"))
        files.append(path)
    batch = live.wait_batch(live.upload(files, collection=f"red-{tag}"))
    assert batch["counts"]["indexed"] == 3, batch
    return {f["name"]: f["document_id"] for f in batch["files"]}


def drawn(driver) -> int:
    """The nodes Cytoscape reports having drawn (0 until it has)."""
    try:
        return int(driver.find_element(By.ID, "network-graph").get_attribute("data-nodes") or 0)
    except (NoSuchElementException, StaleElementReferenceException):
        return 0


def links(driver) -> dict[frozenset[str], int]:
    """The links table: {the two entities: pages in common}."""
    try:
        rows = css(driver, "#network-links tbody tr")
        return {frozenset((r.get_attribute("data-source"), r.get_attribute("data-target"))):
                int(r.find_elements(By.TAG_NAME, "td")[2].text) for r in rows}
    except StaleElementReferenceException:
        return {}


def listed(driver) -> dict[str, str]:
    """The entities listed under the graph: {value: field}."""
    try:
        return {a.get_attribute("data-value"): a.get_attribute("data-field") for a in css(driver, "#network-nodes a.network-node")}
    except StaleElementReferenceException:
        return {}


def result_ids(driver) -> set[str]:
    try:
        return {li.get_attribute("data-id") for li in css(driver, "#results li.result")}
    except StaleElementReferenceException:
        return set()


def status_class(driver) -> str:
    try:
        return driver.find_element(By.ID, "network-status").get_attribute("class") or ""
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def fetch(driver, url: str) -> list:
    """[status, content type, body] of a GET by the signed-in page (its session cookie)."""
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {credentials: 'same-origin'}).then((r) => r.text()"
        ".then((body) => done([r.status, r.headers.get('content-type'), body])));", url)


def clean_console(driver) -> None:
    assert driver.execute_script("return window.__cspViolations") == []
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_an_organisation_s_network_from_its_profile(page, live, network_corpus):
    page.get(live.url + "/#/search?" + urlencode({"q": ORG}))
    profile = wait_for(page, "#query-info .profile-link a[data-field='criminal_orgs']")
    assert profile.text == ORG
    profile.click()
    wait_until(page, lambda d: text_of(d, "entity-heading") == ORG, "the profile")
    wait_until(page, lambda d: text_of(d, "entity-status").startswith("2 documentos"), "the profile's counts")
    page.find_element(By.ID, "entity-network").click()

    wait_until(page, lambda d: drawn(d) > 0, "the network drawn")
    path, params = hash_params(page)
    assert (path, params) == ("/network", {"criminal_orgs": [ORG]})
    assert text_of(page, "network-heading") == "Red de vínculos"
    assert page.title == "Red de vínculos — docsearch"
    graph = page.find_element(By.ID, "network-graph")
    assert graph.find_elements(By.TAG_NAME, "canvas")
    assert graph.size["width"] > 600 and graph.size["height"] > 300
    entities = listed(page)
    assert drawn(page) == len(entities) and int(graph.get_attribute("data-edges")) > 0
    assert {ORG: "criminal_orgs", LEADER: "persons", MEMBER: "persons", COMPANY: "organizations",
            OPERATION: "operations", CASE: "cases"}.items() <= entities.items()
    assert OUTSIDER not in entities   # only the documents naming the organisation
    assert text_of(page, "network-status").startswith("2 documentos · ")
    # The leader, the operation and the case are named with the organisation on a page of each document; the member
    # on one; the company on one at least (where the ruling's PDF wraps its name, the name may be read shorter).
    table = links(page)
    assert table[frozenset((ORG, LEADER))] == 2
    assert table[frozenset((ORG, COMPANY))] >= 1
    assert table[frozenset((ORG, OPERATION))] == 2
    assert table[frozenset((ORG, CASE))] == 2
    assert table[frozenset((ORG, MEMBER))] == 1
    assert [r.get_attribute("data-source") for r in css(page, "#network-links tbody tr")]  # every row names its ends
    for a in css(page, "#network-links a.network-link"):
        assert a.get_attribute("href").split("#", 1)[1].startswith("/entity/")
    # The type checkboxes are the legend: the drawn types ticked, with a swatch each.
    ticked = {box.get_attribute("value") for box in css(page, "#network-types input:checked")}
    assert ticked == {"persons", "criminal_orgs", "organizations", "operations", "cases"}
    assert len(css(page, "#network-types .swatch")) == len(css(page, "#network-types input"))
    if os.environ.get("DOCSEARCH_SCREENSHOTS"):
        page.execute_script("document.activeElement.blur(); scrollTo(0, 0)")
        page.save_screenshot(str(Path(os.environ["DOCSEARCH_SCREENSHOTS"]) / "network.png"))

    # The exports: the same network as GraphML and CSV, for the signed-in user.
    status, kind, graphml = fetch(page, page.find_element(By.ID, "network-graphml").get_attribute("href"))
    assert (status, kind.split(";")[0]) == (200, "application/graphml+xml")
    assert "<graphml" in graphml and f"<data key=\"label\">{ORG}</data>" in graphml
    assert graphml.count("<node ") == drawn(page)
    status, kind, table_csv = fetch(page, page.find_element(By.ID, "network-csv").get_attribute("href"))
    assert (status, kind.split(";")[0]) == (200, "text/csv")
    rows = [line.split(",") for line in table_csv.splitlines()]
    assert rows[0] == ["source", "source_type", "target", "target_type", "weight"]
    assert any({r[0], r[2]} == {ORG, LEADER} and r[4] == "2" for r in rows[1:])

    # An entity of the list opens its profile; back, and "filter the search" adds it to the search's filters: of the
    # two documents naming the organisation, the one naming the member too.
    page.find_element(By.CSS_SELECTOR, f"#network-nodes a.network-node[data-value='{LEADER}']").click()
    wait_until(page, lambda d: text_of(d, "entity-heading") == LEADER, "the leader's profile")
    page.back()
    wait_until(page, lambda d: drawn(d) > 0 and LEADER in listed(d), "the network again")
    page.find_element(By.CSS_SELECTOR, f"#network-nodes a.network-filter[data-value='{MEMBER}']").click()
    wait_until(page, lambda d: hash_params(d)[0] == "/search", "the search")
    assert hash_params(page)[1] == {"criminal_orgs": [ORG], "persons": [MEMBER]}
    wait_until(page, lambda d: result_ids(d) == {network_corpus["sentencia.pdf"]}, "the one document naming both")
    chips = [b.text for b in css(page, "#active-filters button.chip")]
    assert any(MEMBER in c for c in chips) and any(ORG in c for c in chips)
    clean_console(page)


def test_the_network_of_a_search_keeps_its_state_and_picks_types(page, live, network_corpus):
    page.get(live.url + "/#/search?" + urlencode({"q": "Chumpitaz", "mode": "lexical", "sort": "date_desc"}))
    link = wait_for(page, "#network-link")
    wait_until(page, lambda d: result_ids(d) == {network_corpus["informe.pdf"], network_corpus["sentencia.pdf"]},
               "the results")
    assert link.text == "Red de vínculos"
    link.click()
    wait_until(page, lambda d: drawn(d) > 0, "the network drawn")
    assert hash_params(page) == ("/network", {"q": ["Chumpitaz"], "mode": ["lexical"], "sort": ["date_desc"]})
    assert "«Chumpitaz»" in text_of(page, "network-scope")
    assert {LEADER, ORG} <= set(listed(page))
    # Persons off: the address says which types, and no person is drawn or listed.
    page.find_element(By.ID, "network-type-persons").click()
    wait_until(page, lambda d: "types" in hash_params(d)[1] and drawn(d) > 0 and LEADER not in listed(d), "no persons")
    assert hash_params(page)[1]["types"] == ["organizations,criminal_orgs,operations,cases"]
    assert "persons" not in listed(page).values() and ORG in listed(page)
    assert "types=organizations%2Ccriminal_orgs%2Coperations%2Ccases" in page.find_element(By.ID, "network-csv").get_attribute("href")
    # Back to the results, with the query, its mode and order.
    page.find_element(By.ID, "network-back").click()
    wait_until(page, lambda d: hash_params(d)[0] == "/search", "the search")
    assert hash_params(page)[1] == {"q": ["Chumpitaz"], "mode": ["lexical"], "sort": ["date_desc"]}
    # In English.
    page.back()
    wait_until(page, lambda d: drawn(d) > 0, "the network again")
    page.find_element(By.ID, "lang-switch").click()
    wait_until(page, lambda d: text_of(d, "network-heading") == "Network", "the English heading")
    assert text_of(page, "network-status").startswith("2 documents · ")
    assert page.find_element(By.CSS_SELECTOR, "#network-links th").text == "Entity"
    assert drawn(page) > 0 and page.find_elements(By.CSS_SELECTOR, "#network-graph canvas")
    page.find_element(By.ID, "lang-switch").click()
    clean_console(page)


def test_the_network_at_phone_width(page, live, network_corpus):
    page.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                         {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        page.get(live.url + "/#/network?" + urlencode({"criminal_orgs": ORG}))
        wait_until(page, lambda d: drawn(d) > 0, "the network drawn")
        assert page.execute_script("return innerWidth") == 390
        assert page.execute_script("return document.documentElement.scrollWidth <= innerWidth")
        graph = page.find_element(By.ID, "network-graph").rect
        assert graph["x"] >= 0 and graph["x"] + graph["width"] <= 390 and graph["height"] > 250
        if os.environ.get("DOCSEARCH_SCREENSHOTS"):
            page.save_screenshot(str(Path(os.environ["DOCSEARCH_SCREENSHOTS"]) / "network-phone.png"))
    finally:
        page.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    clean_console(page)


def test_an_empty_network_says_so(page, live, network_corpus):
    nowhere = "zafrano" + uuid.uuid4().hex[:8]  # not the session's token: other modules load documents holding it
    page.get(live.url + "/#/network?" + urlencode({"q": nowhere}))
    wait_until(page, lambda d: status_class(d) == "status empty", "the empty network")
    assert text_of(page, "network-status").startswith("Ningún documento coincide")
    assert not css(page, "#network-graph") and not css(page, "#network-links")
    clean_console(page)
