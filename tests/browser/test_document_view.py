"""The document view for reading all day, in headless Chromium on the real test stack (PDFs made by reportlab,
loaded through the API): a hit walk across pages by keyboard alone (the counter over the whole document, the
sentence read out, the tab's title, no history entry per step, no layout jump), and the reflowed text with its
"Líneas originales" toggle."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests import pdfs
from tests.browser.driver import wait_for, wait_until

WRAPPED = ("La Fiscalía Provincial Corporativa presenta los actuados de la investigación preparatoria, solicita "
           "que se valore la prueba reunida por la policía especializada durante los meses de seguimiento y "
           "pide que el juzgado disponga las medidas que correspondan conforme a ley, sin dilación alguna, "
           "dentro del plazo que la norma procesal señala para esta etapa del proceso penal en curso.")


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def text(driver, selector) -> str:
    found = css(driver, selector)
    return found[0].get_attribute("textContent") if found else ""


def hash_params(driver) -> dict[str, list[str]]:
    return parse_qs(urlparse(driver.current_url).fragment.partition("?")[2])


def active_id(driver) -> str:
    return driver.execute_script("return document.activeElement && document.activeElement.id")


def press(driver, *keys) -> None:
    ActionChains(driver).send_keys(*keys).perform()


def in_view(driver, selector) -> bool:
    return driver.execute_script("const r = document.querySelector(arguments[0]).getBoundingClientRect();"
                                 "return r.top >= 0 && r.bottom <= innerHeight && r.height > 0;", selector)


@pytest.fixture(scope="module")
def walk(live, tmp_path_factory):
    """Six pages: the word twice on page 2, once on page 4, twice on page 6; none on 1, 3 and 5."""
    word = "alcotan" + uuid.uuid4().hex[:6]
    folder = tmp_path_factory.mktemp("doc-walk")
    title = f"Expediente de lectura {word}"
    intro = ["Acta fiscal de apertura.", "Segunda parte del acta.", "Tercera parte, sin novedad.",
             "Cuarta parte del expediente.", "Quinta parte, sin novedad.", "Sexta y última parte."]
    body = [f"{intro[n]} {WRAPPED}" for n in range(6)]
    path = pdfs.text_pdf(folder / "lectura.pdf", [
        f"{body[0]}\n{WRAPPED}",
        f"{body[1]} La primera mención del {word} abre el acta. Luego la segunda mención del {word} la cierra.",
        f"{body[2]} Esta página no lo nombra.",
        f"{body[3]} En la cuarta página el {word} figura en el acta de incautación.",
        f"{body[4]} Tampoco esta.",
        f"{body[5]} La sexta página nombra al {word} una vez. Y otra vez al {word} antes del final.",
    ], title=title)
    batch = live.wait_batch(live.upload([path], collection="lectura"))
    assert batch["counts"]["indexed"] == 1, batch
    return {"word": word, "title": title, "id": batch["files"][0]["document_id"]}


def test_a_hit_walk_across_pages_by_keyboard(page, live, walk):
    word = walk["word"]
    page.get(f"{live.url}/#/search?q={word}")
    wait_for(page, f".result[data-id='{walk['id']}'] a[href*='q={word}']")
    link = next(a for a in css(page, f".result[data-id='{walk['id']}'] a.page-link")
                if parse_qs(a.get_attribute("href").partition("?")[2]).get("page") == ["2"])
    link.send_keys(Keys.ENTER)     # opened from the search, by keyboard

    wait_until(page, lambda d: text(d, "#hit-count") == "Coincidencia 1 de 5 · págs. 2, 4, 6", "the counter")
    wait_for(page, "#doc-text mark.current")
    assert hash_params(page)["page"] == ["2"]
    assert page.title == f"{walk['title']} — docsearch"
    assert in_view(page, "#doc-title") and in_view(page, "#doc-text mark.current")
    length = page.execute_script("return history.length")
    text_top = page.execute_script("return document.querySelector('#doc-text').getBoundingClientRect().top + scrollY")

    for _ in range(6):             # from the title (focused on opening) to the next-hit button
        if active_id(page) == "hit-next":
            break
        press(page, Keys.TAB)
    assert active_id(page) == "hit-next"

    expected = [(2, 2, "segunda mención"), (3, 4, "cuarta página"), (4, 6, "sexta página"), (5, 6, "otra vez")]
    for index, number, words in expected:
        press(page, Keys.ENTER)
        wait_until(page, lambda d, i=index, n=number: text(d, "#hit-count") == f"Coincidencia {i} de 5 · págs. 2, 4, 6"
                   and d.find_element(By.ID, "page-input").get_attribute("value") == str(n)
                   and f"Coincidencia {i} de 5, página {n}:" in text(d, "#hit-live"), f"hit {index} on page {number}")
        spoken = text(page, "#hit-live")
        assert words in spoken and word in spoken, spoken              # the hit's sentence, not just its number
        assert fold_marks(page) == word
        assert active_id(page) == "hit-next"                          # the keyboard stays where it was
        assert in_view(page, "#doc-title") and in_view(page, "#doc-text mark.current")
        assert page.title == f"{walk['title']} — docsearch"
    assert hash_params(page)["page"] == ["6"]

    press(page, Keys.ENTER)        # after the last hit: said in the status line, which had its room already
    wait_until(page, lambda d: "No hay más coincidencias" in text(d, "#doc-status"), "no more hits")
    assert text(page, "#hit-count") == "Coincidencia 5 de 5 · págs. 2, 4, 6"
    ActionChains(page).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert active_id(page) == "hit-prev"
    for index, number in ((4, 6), (3, 4)):
        press(page, Keys.ENTER)
        wait_until(page, lambda d, i=index, n=number: text(d, "#hit-count").startswith(f"Coincidencia {i} de 5")
                   and d.find_element(By.ID, "page-input").get_attribute("value") == str(n), f"back to hit {index}")
    wait_until(page, lambda d: "Coincidencia 3 de 5, página 4:" in text(d, "#hit-live"), "the sentence read")
    page.execute_script("scrollTo(0, 0)")
    top = page.execute_script("return document.querySelector('#doc-text').getBoundingClientRect().top + scrollY")
    assert abs(top - text_top) < 1, (top, text_top)                  # the status line never pushed the text down
    assert page.execute_script("return history.length") == length    # hit steps replaced the entry

    page.find_element(By.ID, "lang-switch").send_keys(Keys.ENTER)
    wait_until(page, lambda d: text(d, "#hit-count") == "Hit 3 of 5 · pp. 2, 4, 6", "the counter in English")
    page.find_element(By.ID, "lang-switch").send_keys(Keys.ENTER)
    wait_until(page, lambda d: text(d, "#hit-count") == "Coincidencia 3 de 5 · págs. 2, 4, 6", "in Spanish again")

    page.back()                    # one press: back to the search, whose title the tab shows again
    wait_until(page, lambda d: d.find_element(By.ID, "view-search").is_displayed(), "the search again")
    wait_until(page, lambda d: d.title == f"{word} — docsearch", "the search's title in the tab")
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert page.execute_script("return window.__cspViolations") == []


def fold_marks(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, "#doc-text mark.current").text.strip()


def test_reflowed_text_and_the_original_lines(page, live, walk):
    """The PDF's lines joined into paragraphs; the toggle (by keyboard, remembered) shows the lines as they
    were, with the same hits marked; the file's name is shown, never where the server keeps it."""
    page.get(f"{live.url}/#/doc/{walk['id']}?page=2&q={walk['word']}")
    wait_for(page, "#doc-text mark.current")
    wait_for(page, "#doc-text.reflowed")
    toggle = page.find_element(By.ID, "lines-toggle")
    assert toggle.text == "Líneas originales" and toggle.get_attribute("aria-pressed") == "false"
    paragraphs = text(page, "#doc-text").split("\n\n")
    assert len(paragraphs) == 1, paragraphs                   # one paragraph wrapped on several lines of the PDF
    assert "\n" not in paragraphs[0] and "sin dilación alguna, dentro del plazo" in paragraphs[0]
    assert {e.tag_name for e in css(page, "#doc-text *")} == {"mark"}     # text only, the hits marked
    assert page.execute_script("return getComputedStyle(document.querySelector('#doc-text')).whiteSpace") == "pre-line"
    marks = [m.text for m in css(page, "#doc-text mark")]
    assert len(marks) == 2

    page.execute_script("document.querySelector('#hit-next').focus()")
    press(page, Keys.ENTER)        # the second hit, then the toggle by keyboard
    wait_until(page, lambda d: text(d, "#hit-count").startswith("Coincidencia 2 de 5"), "second hit")
    toggle.send_keys(Keys.SPACE)
    wait_until(page, lambda d: d.find_element(By.ID, "lines-toggle").get_attribute("aria-pressed") == "true",
               "original lines")
    assert not css(page, "#doc-text.reflowed")
    shown = text(page, "#doc-text")
    assert shown.count("\n") >= 3, shown                       # the PDF's own lines
    assert page.execute_script("return getComputedStyle(document.querySelector('#doc-text')).whiteSpace") == "pre-wrap"
    assert [m.text for m in css(page, "#doc-text mark")] == marks
    assert css(page, "#doc-text mark")[1].get_attribute("class") == "current"   # the same hit still selected
    assert text(page, "#hit-count").startswith("Coincidencia 2 de 5")
    assert active_id(page) == "lines-toggle"

    page.refresh()                 # remembered
    wait_for(page, "#doc-text mark")
    assert page.find_element(By.ID, "lines-toggle").get_attribute("aria-pressed") == "true"
    assert not css(page, "#doc-text.reflowed") and text(page, "#doc-text").count("\n") >= 3
    page.find_element(By.ID, "lines-toggle").send_keys(Keys.ENTER)
    wait_until(page, lambda d: css(d, "#doc-text.reflowed"), "paragraphs again")

    page.get(f"{live.url}/#/doc/{walk['id']}")        # page 1: two paragraphs, each of several lines
    wait_until(page, lambda d: css(d, "#doc-text.reflowed") and text(d, "#doc-text").strip(), "page 1")
    paragraphs = text(page, "#doc-text").split("\n\n")
    assert len(paragraphs) == 2 and all("\n" not in p and p.endswith("en curso.") for p in paragraphs), paragraphs
    assert paragraphs[0].startswith("Acta fiscal de apertura. La Fiscalía") and paragraphs[1].startswith("La Fiscalía")

    files = [dd.get_attribute("textContent") for dt, dd in zip(css(page, ".meta-list dt"), css(page, ".meta-list dd"))
             if dt.get_attribute("textContent") == "Archivo"]
    assert files == ["lectura.pdf"], files


def test_text_and_image_side_by_side(page, live, walk):
    page.set_window_size(1600, 1000)
    try:
        page.get(f"{live.url}/#/doc/{walk['id']}?page=6&q={walk['word']}")
        wait_for(page, "#doc-text mark.current")
        page.find_element(By.ID, "view-both").send_keys(Keys.ENTER)
        wait_for(page, "#page-image .hit-box.current")
        assert hash_params(page)["view"] == ["both"]
        text_box = page.find_element(By.ID, "doc-text").rect
        image_box = page.find_element(By.ID, "page-image").rect
        assert image_box["x"] >= text_box["x"] + text_box["width"] - 1          # side by side
        assert abs(image_box["y"] - text_box["y"]) < 5
        page.find_element(By.ID, "hit-next").send_keys(Keys.ENTER)
        wait_until(page, lambda d: text(d, "#hit-count").startswith("Coincidencia 5 de 5"), "the second hit")
        assert css(page, "#page-image .hit-box.current") and css(page, "#doc-text mark.current")
        assert css(page, "#page-image .hit-box")[-1].get_attribute("class").endswith("current")
    finally:
        page.set_window_size(1280, 800)
