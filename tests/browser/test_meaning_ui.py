"""Search by meaning in the web interface, in headless Chromium on the real test stack (engine with its vector
search, the real encoder and translator, Redis, worker, API).

The search mode control and its place in the URL and the request, the query translated, the "by meaning" /
"by translation" badges, the likely answer to a question with its link to the page, "more passages like
this", and the note when a hybrid search was made by the words alone. One test also saves its screenshots
(docs/screenshots/search-meaning*.png) in the folder ``DOCSEARCH_SCREENSHOTS`` names::

    DOCSEARCH_SCREENSHOTS=docs/screenshots .venv/bin/pytest -q tests/browser/test_meaning_ui.py -k screenshots
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from docsearch.settings import REPO_ROOT
from samples import pdf as sample_pdf
from tests.browser.driver import wait_for, wait_until
from tests.browser.test_ui import css, hash_params, result_count

ENGLISH_QUERY = "laundering drug money by buying real estate"
QUESTION = "¿cuándo puede la policía entrar a una casa sin orden del juez?"
ENGLISH_QUESTION = "how do drug traffickers hide their money in real estate?"

RULING = [
    "CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA. SALA PENAL TRANSITORIA. RECURSO DE NULIDAD N.° 1187-2020/TRUJILLO. "
    "Lima, catorce de setiembre. VISTOS: el recurso de nulidad interpuesto por la defensa técnica del sentenciado "
    "contra la sentencia que lo condenó como autor del delito de lavado de activos en agravio del Estado.",
    "FUNDAMENTOS: Está acreditado que el sentenciado adquirió cuatro departamentos y un terreno agrícola en la "
    "provincia de Trujillo con ganancias provenientes del tráfico ilícito de drogas, e inscribió los inmuebles a "
    "nombre de su conviviente, de sus hermanos y de una empresa constructora de fachada, sin acreditar ingresos "
    "lícitos compatibles con esas adquisiciones. La compra de inmuebles para dar apariencia de legitimidad al dinero "
    "del narcotráfico configura actos de conversión y ocultamiento, conforme a los artículos 1 y 2 del Decreto "
    "Legislativo 1106. Por ello, declararon NO HABER NULIDAD en la sentencia recurrida.",
]
MANUAL = [
    "MINISTERIO PÚBLICO. MANUAL DE ACTUACIÓN FISCAL EN DILIGENCIAS DE ALLANAMIENTO. Capítulo III: el ingreso a "
    "domicilios durante la investigación preliminar y la preparatoria.",
    "La policía solo puede ingresar a un domicilio sin autorización judicial en caso de flagrante delito o de "
    "peligro inminente de su perpetración, conforme al artículo 2, inciso 9, de la Constitución Política. Fuera de "
    "esos supuestos, el allanamiento requiere una resolución motivada del juez de la investigación preparatoria, "
    "que el fiscal solicita precisando el inmueble, la finalidad de la diligencia y los bienes que se buscan.",
]
REPORT = [
    "UNIDAD DE INTELIGENCIA FINANCIERA. Informe sobre el sector inmobiliario. Las organizaciones de narcotraficantes "
    "esconden las ganancias de la venta de cocaína comprando viviendas y lotes al contado, por medio de personas sin "
    "actividad económica conocida; los bienes se registran a nombre de testaferros para aparentar un origen legal "
    "de los fondos. Se recomienda a los notarios y a las inmobiliarias reportar estas operaciones como sospechosas.",
]
THEFT = [
    "Sentencia por robo agravado. El acusado sustrajo un teléfono celular a mano armada en la vía pública, con el "
    "concurso de otra persona, y fue capturado minutos después por el serenazgo del distrito.",
    "Se le impone pena privativa de libertad de doce años y el pago de una reparación civil a favor del agraviado.",
]
DOCS = {
    "ruling": (RULING, "Recurso de Nulidad 1187-2020/Trujillo"),
    "manual": (MANUAL, "Manual de actuación fiscal en diligencias de allanamiento"),
    "report": (REPORT, "Informe de inteligencia financiera: sector inmobiliario"),
    "theft": (THEFT, "Sentencia por robo agravado"),
}


@pytest.fixture(scope="module")
def meaning_corpus(live, tmp_path_factory):
    """Four Spanish documents in a collection of their own: a ruling on laundering drug money through
    property (page 2), a manual saying when the police may enter a home (page 2), a financial intelligence
    report, and an unrelated theft sentence. Their PDFs differ from every other test's (the creator names the
    run), so none is a duplicate of another module's."""
    folder = tmp_path_factory.mktemp("meaning-ui")
    tag = uuid.uuid4().hex[:6]
    files = {}
    for key, (pages, title) in DOCS.items():
        path = folder / f"{key}.pdf"
        path.write_bytes(sample_pdf.text_pdf(pages, title=title, creator=f"docsearch browser tests {tag}"))
        files[key] = path
    collection = f"sentencias-{tag}"
    batch = live.wait_batch(live.upload(list(files.values()), collection=collection))
    assert batch["counts"]["indexed"] == len(DOCS), batch
    by_name = {f["name"]: f["document_id"] for f in batch["files"]}
    return {"collection": collection, "ids": {key: by_name[path.name] for key, path in files.items()}}


def open_search(driver, live, corpus, q: str, **params) -> None:
    """The search page for ``q`` within the corpus's collection (extra hash parameters in ``params``)."""
    driver.get(live.url + "/#/search?" + urlencode({"q": q, "collection": corpus["collection"], **params}))
    wait_until(driver, lambda d: result_count(d) > 0, f"results for {q!r}")


def search_requests(driver) -> list[str]:
    """The URLs of the /api/search requests the page made since the last clear_requests()."""
    return driver.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes('/api/search?'))")


def clear_requests(driver) -> None:
    driver.execute_script("performance.clearResourceTimings()")


def result(driver, doc_id: str):
    found = css(driver, f"#results li.result[data-id='{doc_id}']")
    return found[0] if found else None


def clean_console(driver) -> None:
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert driver.execute_script("return window.__cspViolations") == []


def test_an_english_query_finds_the_spanish_ruling_by_meaning(page, live, meaning_corpus):
    """The ruling shares no word with the English query: it is found by meaning (or by the query translated),
    and says so on a badge; the line under the count gives the Spanish the query was also searched as."""
    spanish = {w.lower() for w in re.findall(r"\w+", " ".join(RULING))}
    assert not spanish & set(ENGLISH_QUERY.split())

    open_search(page, live, meaning_corpus, ENGLISH_QUERY)
    assert "mode" not in hash_params(page)[1]                       # the server's default: hybrid
    assert Select(page.find_element(By.CSS_SELECTOR, "#mode")).first_selected_option.get_attribute("value") == "hybrid"
    wait_until(page, lambda d: result(d, meaning_corpus["ids"]["ruling"]) is not None, "the ruling found")
    ruling = result(page, meaning_corpus["ids"]["ruling"])
    badge = ruling.find_element(By.CSS_SELECTOR, ".result-meta .found-by")
    assert badge.text in ("por significado", "por traducción")
    assert badge.get_attribute("title")
    # A page to open and its snippet, as for any other result.
    assert ruling.find_elements(By.CSS_SELECTOR, "a.page-link") and ruling.find_element(By.CSS_SELECTOR, ".snippet").text

    line = wait_for(page, "#query-info .translated")
    assert line.text.startswith("También se buscó en español: «") and line.text.endswith("»"), line.text
    shown = line.find_element(By.CSS_SELECTOR, ".translated-text")
    assert shown.get_attribute("lang") == "es"
    translated = live.search(ENGLISH_QUERY, collection=meaning_corpus["collection"])["query"]["translated"]
    assert shown.text == f"«{translated['text']}»"
    assert not css(page, "#query-info .words-only")

    # The same in English.
    page.find_element(By.CSS_SELECTOR, "#lang-switch").click()
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "en", "English")
    ruling = result(page, meaning_corpus["ids"]["ruling"])
    assert ruling.find_element(By.CSS_SELECTOR, ".found-by").text in ("by meaning", "by translation")
    assert page.find_element(By.CSS_SELECTOR, "#query-info .translated").text.startswith("Also searched in Spanish: “")
    assert [o.text for o in Select(page.find_element(By.CSS_SELECTOR, "#mode")).options] == \
        ["Words and meaning", "Words only", "Meaning"]
    clean_console(page)


def test_a_question_gets_the_likely_answer_with_a_link_to_its_page(page, live, meaning_corpus):
    """A question: above the results, the passage that answers it, marked only with <mark>, its document and
    page as a link that opens the document at that page; "more passages like this" lists passages of other
    documents in a panel the button opens and closes."""
    open_search(page, live, meaning_corpus, QUESTION)
    box = wait_for(page, "#answer")
    manual = meaning_corpus["ids"]["manual"]
    assert box.find_element(By.CSS_SELECTOR, "h3").text == "Respuesta probable"
    assert box.get_attribute("aria-labelledby") == "answer-heading"
    text = box.find_element(By.CSS_SELECTOR, ".answer-text")
    assert "flagrante delito" in text.text
    assert {m.tag_name for m in text.find_elements(By.CSS_SELECTOR, "*")} <= {"mark"}
    assert "significado" in box.find_element(By.CSS_SELECTOR, ".answer-hint").text
    # Above the results, in the reading order too.
    assert page.execute_script("return !!(document.querySelector('#answer').compareDocumentPosition("
                               "document.querySelector('#results')) & Node.DOCUMENT_POSITION_FOLLOWING)")
    link = box.find_element(By.CSS_SELECTOR, "a#answer-link")
    assert link.text == f"{DOCS['manual'][1]}, pág. 2"
    # The link results use to open a document at a page (router.js docHash).
    assert link.get_attribute("href") == f"{live.url}/#/doc/{manual}?" + urlencode({"page": 2, "q": QUESTION})

    more = box.find_element(By.CSS_SELECTOR, "button.more-passages")
    assert more.text == "Más pasajes como este" and more.get_attribute("aria-expanded") == "false"
    panel_id = more.get_attribute("aria-controls")
    more.click()
    wait_until(page, lambda d: d.find_element(By.ID, panel_id).get_attribute("aria-busy") is None
               and d.find_element(By.ID, panel_id).text.strip() != "", "similar passages listed")
    panel = page.find_element(By.ID, panel_id)
    assert more.get_attribute("aria-expanded") == "true" and panel.get_attribute("aria-live") == "polite"
    assert not panel.find_elements(By.CSS_SELECTOR, ".error"), panel.text
    items = panel.find_elements(By.CSS_SELECTOR, "li")
    assert items, panel.text                      # the other documents of the archive have passages
    for item in items:
        assert item.get_attribute("data-id") != manual
        assert re.search(r"#/doc/[0-9a-f]{64}", item.find_element(By.CSS_SELECTOR, "a").get_attribute("href"))
        assert item.find_element(By.CSS_SELECTOR, ".passage-text").text
    more.click()
    assert not panel.is_displayed() and more.get_attribute("aria-expanded") == "false"

    link.click()
    wait_for(page, "#doc-text")
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "#page-input").get_attribute("value") == "2",
               "the document at page 2")
    assert page.find_element(By.CSS_SELECTOR, "#doc-title").text == DOCS["manual"][1]
    assert hash_params(page)[0] == f"/doc/{manual}"
    wait_until(page, lambda d: "flagrante delito" in d.find_element(By.CSS_SELECTOR, "#doc-text").text, "its text")
    clean_console(page)


def test_words_only_updates_the_url_and_the_request_and_drops_the_answer(page, live, meaning_corpus):
    """Choosing "Solo palabras" searches again at page 1 with mode=lexical, in the hash and in the request to
    the API; the answer box goes (a likely answer comes from meaning); the back button brings it back."""
    # From any page of results, a new mode starts again at page 1.
    page.get(live.url + "/#/search?" + urlencode({"q": "sentencia", "collection": meaning_corpus["collection"],
                                                   "page": 2}))
    wait_until(page, lambda d: hash_params(d)[1].get("page") == ["2"] and not css(d, "#results[aria-busy]")
               and d.find_element(By.CSS_SELECTOR, "#status").text not in ("", "Buscando…"), "page 2 answered")
    Select(page.find_element(By.CSS_SELECTOR, "#mode")).select_by_value("lexical")
    wait_until(page, lambda d: hash_params(d)[1].get("mode") == ["lexical"] and "page" not in hash_params(d)[1],
               "page 1 in words only")

    open_search(page, live, meaning_corpus, QUESTION)
    wait_for(page, "#answer")
    options = Select(page.find_element(By.CSS_SELECTOR, "#mode"))
    assert [o.text for o in options.options] == ["Palabras y significado", "Solo palabras", "Significado"]
    assert page.find_element(By.CSS_SELECTOR, "label[for='mode']").text == "Buscar por"

    clear_requests(page)
    options.select_by_value("lexical")
    wait_until(page, lambda d: hash_params(d)[1].get("mode") == ["lexical"], "mode=lexical in the hash")
    wait_until(page, lambda d: not d.find_element(By.CSS_SELECTOR, "#answer").is_displayed()
               and not css(d, "#results[aria-busy]"), "the answer box gone")
    params = hash_params(page)[1]
    assert "page" not in params and params["q"] == [QUESTION] and params["collection"] == [meaning_corpus["collection"]]
    sent = search_requests(page)
    assert sent and all("mode=lexical" in url for url in sent), sent
    assert not css(page, "#answer *")
    assert not css(page, "#query-info .words-only")   # words only was asked for: nothing to explain

    page.back()
    wait_until(page, lambda d: "mode" not in hash_params(d)[1] and d.find_element(By.CSS_SELECTOR, "#answer").is_displayed(),
               "back to words and meaning, with the answer")
    assert Select(page.find_element(By.CSS_SELECTOR, "#mode")).first_selected_option.get_attribute("value") == "hybrid"

    clear_requests(page)
    Select(page.find_element(By.CSS_SELECTOR, "#mode")).select_by_value("semantic")
    wait_until(page, lambda d: hash_params(d)[1].get("mode") == ["semantic"] and not css(d, "#results[aria-busy]")
               and search_requests(d), "meaning only")
    assert all("mode=semantic" in url for url in search_requests(page))
    clean_console(page)


def test_a_phrase_in_hybrid_mode_is_searched_by_its_words_and_says_why(page, live, meaning_corpus):
    """A quoted phrase asks for those words: the server searches it by its words alone, and the page says so;
    a description in the same mode, or the phrase in "Solo palabras", has no such note."""
    open_search(page, live, meaning_corpus, '"compra de inmuebles"')
    note = wait_for(page, "#query-info .words-only")
    assert note.text.startswith("Se buscó solo por las palabras:") and "frase entre comillas" in note.text
    assert not css(page, "#results .found-by")

    open_search(page, live, meaning_corpus, '"compra de inmuebles"', mode="lexical")
    assert not css(page, "#query-info .words-only")
    open_search(page, live, meaning_corpus, "compra de inmuebles con dinero ilícito")
    assert not css(page, "#query-info .words-only")
    clean_console(page)


def _save(driver, folder: Path, name: str) -> Path:
    driver.execute_script("document.activeElement.blur()")
    path = folder / name
    driver.save_screenshot(str(path))
    target = os.environ.get("DOCSEARCH_SCREENSHOTS")
    if target:
        out = Path(target) if Path(target).is_absolute() else REPO_ROOT / target
        out.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out / name)
    return path


def _answer_and_badges(driver, live, corpus) -> None:
    open_search(driver, live, corpus, ENGLISH_QUESTION)
    wait_for(driver, "#answer")
    wait_until(driver, lambda d: css(d, "#results .found-by"), "badges")
    assert css(driver, "#query-info .translated")


def test_screenshots_of_the_answer_and_badges_at_desktop_and_phone_width(page, live, meaning_corpus, tmp_path):
    """An English question over Spanish documents: the query translated, the likely answer, results found by
    meaning. At both widths nothing is wider than the screen and the answer box comes before the results."""
    _answer_and_badges(page, live, meaning_corpus)
    box = page.find_element(By.CSS_SELECTOR, "#answer").rect
    first = page.find_element(By.CSS_SELECTOR, "#results li.result").rect
    assert box["y"] + box["height"] <= first["y"]
    assert page.execute_script("return document.documentElement.scrollWidth <= innerWidth")
    _save(page, tmp_path, "search-meaning.png")

    # "More passages like this" of the answer, opened.
    more = page.find_element(By.CSS_SELECTOR, "#answer button.more-passages")
    more.click()
    panel = page.find_element(By.ID, more.get_attribute("aria-controls"))
    wait_until(page, lambda d: panel.get_attribute("aria-busy") is None and panel.find_elements(By.CSS_SELECTOR, "li"),
               "similar passages listed")
    page.execute_script("document.querySelector('#answer').scrollIntoView(); scrollBy(0, -12)")
    assert page.execute_script("return document.documentElement.scrollWidth <= innerWidth")
    _save(page, tmp_path, "search-meaning-passages.png")

    page.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                         {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    try:
        page.refresh()   # the page afresh (the panel closed) at the phone's width
        _answer_and_badges(page, live, meaning_corpus)
        assert page.execute_script("return innerWidth") == 390
        assert page.execute_script("return document.documentElement.scrollWidth <= innerWidth")
        for selector in ("#mode", "#sort", "#answer", "#results li.result"):
            r = page.find_element(By.CSS_SELECTOR, selector).rect
            assert r["x"] >= 0 and r["x"] + r["width"] <= 390, (selector, r)
        page.execute_script("document.querySelector('#answer').scrollIntoView(); scrollBy(0, -12)")
        _save(page, tmp_path, "search-meaning-phone.png")
    finally:
        page.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    clean_console(page)
