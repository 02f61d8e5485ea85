"""Every label and message in the page's language, in headless Chromium on the real stack: in English the values of
the document type and language filters (and of each result) are English, never the server's Spanish words or raw
codes; a query the server cannot read is explained in Spanish on the Spanish page, a search's warning too; a
collection shows by its display name ("General" for ``default``), a hidden one is left out until chosen; and the
first Tab from the page's load reaches the skip link, whose Enter moves the focus to the results."""

from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests import pdfs
from tests.browser.driver import wait_for, wait_until

RAW = {"es", "en", "material de capacitación", "otro", "sentencia"}


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def facet_labels(driver, facet: str) -> list[str]:
    return [e.text for e in css(driver, f"#facet-{facet} .facet-value")]


@pytest.fixture(scope="module")
def corpus(live, tmp_path_factory):
    """A training manual (Spanish), another document (English) in a collection with a display name, one in
    ``default``, and one in a hidden collection: all with one made-up word."""
    tag = uuid.uuid4().hex[:6]
    word = "feldespato" + tag
    folder = tmp_path_factory.mktemp("languages")
    named, hidden = f"lima-{tag}", f"ensayo-{tag}"
    docs = [
        ("manual", named, "material de capacitación",
         [f"Manual de capacitación para fiscales sobre la técnica {word} en investigaciones de lavado de activos.",
          f"Segunda página del manual, con ejercicios sobre {word} para los participantes del curso."]),
        ("note", named, "otro",
         [f"This note for prosecutors explains the {word} technique used in money laundering investigations.",
          f"The second page of the note describes how the {word} technique was applied in court cases."]),
        ("general", None, None,
         [f"Acta fiscal general sobre la diligencia {word} realizada en la ciudad de Lima el día de hoy.",
          f"Segunda página del acta general sobre {word} con las firmas de los intervinientes."]),
        ("hidden", hidden, None,
         [f"Acta de prueba interna sobre {word}, cargada para ensayar la carga de documentos.",
          f"Segunda página de la prueba interna sobre {word}."]),
    ]
    ids = {}
    for key, collection, doc_type, pages in docs:
        path = pdfs.text_pdf(folder / f"{key}-{tag}.pdf", pages, title=f"{key.capitalize()} {tag}")
        form = {k: v for k, v in (("collection", collection), ("doc_type", doc_type)) if v}
        batch = live.wait_batch(live.upload([path], **form))
        assert batch["counts"]["indexed"] == 1, batch
        ids[key] = batch["files"][0]["document_id"]
    with live.client() as admin:
        resp = admin.put(f"/api/collections/{named}", json={"display_name": "Fiscalía de Lima — Crimen Organizado"})
        assert resp.status_code == 200, resp.text
        resp = admin.put(f"/api/collections/{hidden}", json={"hidden": True})
        assert resp.status_code == 200, resp.text
    live.refresh()
    return {"word": word, "ids": ids, "named": named, "hidden": hidden}


def _english(page, live) -> None:
    """English from the next page loaded (a page of another path first: a change of the hash alone loads nothing)."""
    page.get(f"{live.url}/favicon.svg")
    page.execute_script("localStorage.setItem('docsearch.lang', 'en')")


def _results(page, count: int) -> None:
    wait_until(page, lambda d: not css(d, "#results[aria-busy]") and len(css(d, "#results li.result")) == count,
               f"{count} results")


def test_english_mode_shows_english_values_and_no_raw_codes(page, live, corpus):
    _english(page, live)
    page.get(f"{live.url}/#/search?q={corpus['word']}")
    _results(page, 3)
    assert page.execute_script("return document.documentElement.lang") == "en"
    types, languages = facet_labels(page, "doc_type"), facet_labels(page, "language")
    assert {"training material", "other"} <= set(types), types
    assert set(languages) == {"Spanish", "English"}, languages
    assert not RAW & set(types + languages), types + languages
    metas = {e.get_attribute("data-id"): e.find_element(By.CSS_SELECTOR, ".result-meta").text
             for e in css(page, "#results li.result")}
    manual = metas[corpus["ids"]["manual"]]
    assert "training material" in manual and "material de capacitación" not in manual, manual
    assert "Spanish" in manual and "English" in metas[corpus["ids"]["note"]]
    assert "General" in metas[corpus["ids"]["general"]] and "default" not in metas[corpus["ids"]["general"]]
    # The values stay the server's: the filter chosen is the Spanish value, its chip says it in English.
    box = page.find_element(By.CSS_SELECTOR, "#facet-doc_type input[value='material de capacitación']")
    page.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']").click()
    _results(page, 1)
    assert "doc_type=material" in page.current_url
    chips = [c.text for c in css(page, "#active-filters button.chip")]
    assert any("training material" in c for c in chips), chips
    # Back to Spanish: the same values in Spanish.
    page.find_element(By.CSS_SELECTOR, "#lang-switch").click()
    wait_until(page, lambda d: "material de capacitación" in facet_labels(d, "doc_type"), "the values in Spanish")
    assert "español" in facet_labels(page, "language")


def test_a_failed_query_is_explained_in_spanish_on_the_spanish_page(page, live, corpus):
    page.get(f"{live.url}/#/search?q=year:abc")
    status = wait_for(page, "#status.error")
    text = status.text
    assert text.startswith("No se pudo buscar: No se pudo leer la búsqueda"), text
    assert "carácter" in text and "year" not in text.replace("year:abc", ""), text
    # A warning of a query read anyway, likewise.
    page.get(f"{live.url}/#/search?q=%22{corpus['word']}")
    warning = wait_for(page, "#query-info .warning")
    assert warning.text.startswith("Comillas sin cerrar en el carácter 1"), warning.text
    # In English, the same by its code.
    _english(page, live)
    page.get(f"{live.url}/#/search?q=year:abc")
    wait_until(page, lambda d: "The query could not be read" in d.find_element(By.CSS_SELECTOR, "#status").text,
               "the message in English")


def test_a_collection_shows_by_its_display_name_and_a_hidden_one_only_when_chosen(page, live, corpus):
    page.get(f"{live.url}/#/search?q={corpus['word']}")
    _results(page, 3)
    ids = corpus["ids"]
    assert ids["hidden"] not in [e.get_attribute("data-id") for e in css(page, "#results li.result")]
    metas = {e.get_attribute("data-id"): e.find_element(By.CSS_SELECTOR, ".result-meta").text
             for e in css(page, "#results li.result")}
    assert "Fiscalía de Lima — Crimen Organizado" in metas[ids["manual"]], metas
    assert corpus["named"] not in metas[ids["manual"]]
    assert "General" in metas[ids["general"]]
    labels = facet_labels(page, "collection")
    assert "Fiscalía de Lima — Crimen Organizado" in labels and "General" in labels, labels
    note = page.find_element(By.CSS_SELECTOR, f"#facet-collection input[value='{corpus['hidden']}']")
    label = page.find_element(By.CSS_SELECTOR, f"label[for='{note.get_attribute('id')}']")
    assert "no se incluye por defecto" in label.text, label.text
    label.click()
    _results(page, 1)
    assert css(page, f"#results li.result[data-id='{ids['hidden']}']")


def test_the_first_tab_reaches_the_skip_link_and_enter_moves_to_the_results(page, live, corpus):
    page.get(f"{live.url}/#/search")
    wait_for(page, "#results li.result")
    wait_until(page, lambda d: d.execute_script("return document.activeElement.id") == "q", "the search box focused")
    ActionChains(page).send_keys(Keys.TAB).perform()
    focused = page.switch_to.active_element
    assert "skip-link" in focused.get_attribute("class"), focused.get_attribute("outerHTML")
    assert focused.text == "Ir a los resultados" and focused.is_displayed()
    ActionChains(page).send_keys(Keys.ENTER).perform()
    assert page.switch_to.active_element.get_attribute("id") == "results-heading"
    # The next Tab goes on from the results, not back to the top.
    ActionChains(page).send_keys(Keys.TAB).perform()
    assert page.execute_script("return document.activeElement.closest('.results-area') !== null")
    # Typing first keeps the box's own order: Tab then leaves it forward, not back to the skip link.
    page.get(f"{live.url}/#/search?x=1")
    page.refresh()
    wait_until(page, lambda d: d.execute_script("return document.activeElement.id") == "q", "the search box focused")
    ActionChains(page).send_keys("a", Keys.TAB).perform()
    assert "skip-link" not in (page.switch_to.active_element.get_attribute("class") or "")
