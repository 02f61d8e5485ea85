"""The web interface in headless Chromium, on the real test stack (engine, Redis, worker, API).

Documents are real PDFs made with reportlab and loaded through the API (or, for the upload test,
through the page itself); every wait is explicit and bounded, nothing sleeps for a fixed time.
"""

from __future__ import annotations

import contextlib
import os
import uuid
import zipfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from docsearch.fields import REGISTRY
from nlp.text import fold
from tests import pdfs
from tests.browser.driver import submit_upload, wait_for, wait_until

FILLER = ("La Fiscalía Provincial presenta los actuados de la investigación preparatoria y solicita que se "
          "valore la prueba reunida por la policía especializada.")
HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> & <b>negrita</b>"


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def hash_params(driver) -> tuple[str, dict[str, list[str]]]:
    fragment = urlparse(driver.current_url).fragment
    path, _, query = fragment.partition("?")
    return path, parse_qs(query)


def result_count(driver) -> int:
    if css(driver, "#results[aria-busy]"):
        return -1
    return len(css(driver, "#results li.result"))


def search_via_form(driver, q: str) -> None:
    box = wait_for(driver, "#q")
    box.clear()
    box.send_keys(q, Keys.ENTER)


@pytest.fixture(scope="module")
def corpus(live, token, tmp_path_factory):
    """Two documents with the token in two collections: A (4 pages, hits on pages 1 and 3), B (hostile text)."""
    folder = tmp_path_factory.mktemp("ui-corpus")
    tag = uuid.uuid4().hex[:6]
    a_pages = [
        f"{FILLER} Primera mención del término {token} en el requerimiento fiscal.",
        f"{FILLER} Esta página no lo menciona.",
        f"{FILLER} El {token} aparece aquí, conforme al Decreto Legislativo 1106, y otra vez: {token}.",
        f"{FILLER} Última página sin menciones.",
    ]
    b_pages = [f"{FILLER} Texto con marcas: {HOSTILE} y el término {token}.", f"{FILLER} Segunda página."]
    a = pdfs.text_pdf(folder / "a.pdf", a_pages, title=f"Requerimiento de prueba {tag}")
    b = pdfs.text_pdf(folder / "b.pdf", b_pages, title=f"Informe <b>hostil</b> {tag}")
    info = {"a": f"ui-a-{tag}", "b": f"ui-b-{tag}"}
    for path, collection in ((a, info["a"]), (b, info["b"])):
        batch = live.wait_batch(live.upload([path], collection=collection))
        assert batch["counts"]["indexed"] == 1, batch
    return info


def test_search_facet_document_hit(page, live, token, corpus):
    """Search, narrow with a facet, open the hit page: the hit is highlighted; hits and back button navigate."""
    page.get(live.url + "/")
    search_via_form(page, token)
    wait_until(page, lambda d: result_count(d) == 2, "two results for the token")

    box = wait_for(page, f"#facet-collection input[value='{corpus['a']}']")
    # The filters' names come from the server's field registry (GET /api/fields).
    assert page.find_element(By.CSS_SELECTOR, "#facet-collection legend").text == REGISTRY["collection"].label_es
    page.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']").click()
    wait_until(page, lambda d: result_count(d) == 1 and hash_params(d)[1].get("collection") == [corpus["a"]],
               "one result once the collection is selected")
    assert page.find_element(By.CSS_SELECTOR, f"#facet-collection input[value='{corpus['a']}']").is_selected()
    assert corpus["a"] in page.find_element(By.CSS_SELECTOR, "#active-filters").text

    result = page.find_element(By.CSS_SELECTOR, "#results li.result")
    title = result.find_element(By.CSS_SELECTOR, ".result-title").text
    snippets = result.find_elements(By.CSS_SELECTOR, ".snippet mark")
    assert snippets and all(fold(token) in fold(m.text) for m in snippets)
    links = {a.text: a for a in result.find_elements(By.CSS_SELECTOR, "a.page-link")}
    assert "página 3" in links, list(links)
    links["página 3"].click()

    current = wait_for(page, "#doc-text mark.current")
    assert fold(token) in fold(current.text)
    assert page.find_element(By.CSS_SELECTOR, "#doc-title").text == title
    assert page.find_element(By.CSS_SELECTOR, "#page-input").get_attribute("value") == "3"
    doc_id = hash_params(page)[0].rsplit("/", 1)[1]  # the chain of custody: the original's hash, and its one load
    assert page.find_element(By.CSS_SELECTOR, "#custody-sha256").get_attribute("textContent") == doc_id
    loads = [li.get_attribute("textContent") for li in css(page, "#custody .custody-loads li")]
    assert len(loads) == 1 and corpus["a"] in loads[0] and "a.pdf" in loads[0] and "indexado" in loads[0], loads
    assert hash_params(page)[1]["page"] == ["3"]
    assert page.execute_script(  # the highlighted hit is on screen
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;", current)
    assert len(css(page, "#doc-text mark")) == 2
    assert page.find_element(By.CSS_SELECTOR, "#hit-where").text.startswith("1 de 2")
    pdf = page.find_element(By.CSS_SELECTOR, "#open-pdf").get_attribute("href")
    assert pdf.endswith("/file#page=3")
    assert httpx.get(pdf.split("#")[0], timeout=30).status_code == 401   # the file is for signed-in users only
    with live.client() as api:
        assert api.get(pdf.split("#")[0]).headers["content-type"] == "application/pdf"

    page.find_element(By.CSS_SELECTOR, "#hit-next").click()
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "#hit-where").text.startswith("2 de 2"),
               "second hit of the page selected")
    page.find_element(By.CSS_SELECTOR, "#hit-next").click()   # page 4 has none: nothing after
    wait_until(page, lambda d: "No hay más coincidencias" in d.find_element(By.CSS_SELECTOR, "#doc-status").text,
               "told there are no more hits")
    page.find_element(By.CSS_SELECTOR, "#hit-prev").click()
    page.find_element(By.CSS_SELECTOR, "#hit-prev").click()   # before the first hit of page 3: page 1
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "#page-input").get_attribute("value") == "1"
               and d.find_elements(By.CSS_SELECTOR, "#doc-text mark.current"), "previous hit on page 1")
    assert fold(token) in fold(page.find_element(By.CSS_SELECTOR, "#doc-text mark.current").text)

    page.back()      # hit steps replace the history entry: one Back leaves the document for the filtered search
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "#view-search").is_displayed() and result_count(d) == 1,
               "back to the filtered results")
    assert page.find_element(By.CSS_SELECTOR, f"#facet-collection input[value='{corpus['a']}']").is_selected()
    assert page.find_element(By.CSS_SELECTOR, "#q").get_attribute("value") == token


def test_upload_zip_progress_then_search(page, live, token, tmp_path):
    """A ZIP dropped on the admin view: its batch's progress bar reaches done, then search finds its files."""
    word = token + "lote"
    archive = tmp_path / "lote-navegador.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(3):
            pdfs.text_pdf(tmp_path / f"acta-{i}.pdf", [f"Acta de decomiso {i}. {FILLER} Clave {word}.",
                                                      f"{FILLER} Segunda página del acta {i}."])
            zf.write(tmp_path / f"acta-{i}.pdf", f"actas/acta-{i}.pdf")
    collection = "ui-zip-" + uuid.uuid4().hex[:6]

    page.get(live.url + "/#/admin")
    wait_for(page, "#admin-heading")
    page.find_element(By.CSS_SELECTOR, "#upload-input").send_keys(str(archive))
    wait_until(page, lambda d: "1 archivo elegido" in d.find_element(By.CSS_SELECTOR, "#upload-chosen").text,
               "the chosen file listed")
    batch_id, card = submit_upload(page, collection)
    assert card.find_element(By.CSS_SELECTOR, "progress").is_displayed()
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, f"li.batch[data-id='{batch_id}']")
               .get_attribute("data-state") == "done", "the load done", timeout=240)
    card = page.find_element(By.CSS_SELECTOR, f"li.batch[data-id='{batch_id}']")
    bar = card.find_element(By.CSS_SELECTOR, "progress")
    assert float(bar.get_attribute("value")) == float(bar.get_attribute("max")) == 3
    assert "3 de 3 archivos" in card.find_element(By.CSS_SELECTOR, ".batch-progress").text
    assert "indexados 3" in card.find_element(By.CSS_SELECTOR, ".batch-counts").text
    assert "terminada" in card.find_element(By.CSS_SELECTOR, ".state").text
    assert not card.find_elements(By.CSS_SELECTOR, ".show-failures")

    live.engine.refresh(live.settings.documents_alias)   # workers write without waiting for a refresh
    page.find_element(By.CSS_SELECTOR, "#nav-search").click()
    search_via_form(page, word)
    wait_until(page, lambda d: result_count(d) == 3, "the three files of the ZIP found")
    metas = [m.text for m in css(page, "#results .result-meta")]
    assert all(collection in m for m in metas), metas


def test_keyboard_only_search_reaches_a_result(page, live, token, corpus):
    """Tab and Enter only: focus the query box, search, tab to a result, open it."""
    page.get(live.url + "/#/search")
    wait_for(page, "#q")
    keys = ActionChains(page)
    for _ in range(30):
        if page.execute_script("return document.activeElement.id") == "q":
            break
        keys.send_keys(Keys.TAB).perform()
    assert page.execute_script("return document.activeElement.id") == "q"
    ActionChains(page).send_keys(token).send_keys(Keys.ENTER).perform()
    wait_until(page, lambda d: result_count(d) == 2, "two results")

    for _ in range(200):
        ActionChains(page).send_keys(Keys.TAB).perform()
        if page.execute_script("const a = document.activeElement;"
                               "return a.matches('#results .result-title a') ? a.textContent : null"):
            break
    focused = page.execute_script("return document.activeElement")
    assert focused.get_attribute("href") and "#/doc/" in focused.get_attribute("href")
    # Focus is visible: the outline of :focus-visible is drawn.
    assert page.execute_script("return getComputedStyle(document.activeElement).outlineStyle") != "none"
    ActionChains(page).send_keys(Keys.ENTER).perform()
    wait_for(page, "#doc-text mark.current")
    assert hash_params(page)[0].startswith("/doc/")


def test_document_text_is_never_markup(page, live, token, corpus):
    """Markup inside a document shows as text: only the API's <mark> becomes an element."""
    page.get(live.url + f"/#/search?q={token}&collection={corpus['b']}")
    wait_until(page, lambda d: result_count(d) == 1, "the hostile document found")
    result = page.find_element(By.CSS_SELECTOR, "#results li.result")
    api_title = live.search(token, collection=corpus["b"])["results"][0]["title"]
    assert result.find_element(By.CSS_SELECTOR, ".result-title").text == api_title
    assert "onerror=alert(2)" in result.text
    assert not result.find_elements(By.CSS_SELECTOR, "img, script, b")
    assert {m.tag_name for m in result.find_elements(By.CSS_SELECTOR, ".snippet *")} == {"mark"}
    result.find_element(By.CSS_SELECTOR, ".result-title a").click()
    text = wait_for(page, "#doc-text")
    wait_until(page, lambda d: "onerror" in d.find_element(By.CSS_SELECTOR, "#doc-text").text, "page text shown")
    assert "<img src=x onerror=alert(2)>" in text.text
    assert {m.tag_name for m in text.find_elements(By.CSS_SELECTOR, "*")} == {"mark"}


def test_no_console_errors_and_no_csp_violations(page, live, token, corpus):
    """Every view, the facet filter, 'cited by', similar documents, the language switch: a clean console."""
    headers = httpx.get(live.url + "/", timeout=30).headers
    assert "style-src 'self'" in headers["content-security-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]

    page.get(live.url + f"/#/search?q={token}")
    wait_until(page, lambda d: result_count(d) == 2, "results")
    wait_for(page, "#facet-institutions .facet-toggle").click()   # an entity facet: closed until opened
    filter_box = wait_for(page, "#facet-institutions-filter")
    filter_box.send_keys("fis")
    wait_until(page, lambda d: not css(d, "#facet-institutions-values[aria-busy]")
               and css(d, "#facet-institutions-values li"), "the facet filtered")
    page.find_element(By.CSS_SELECTOR, f"#facet-collection input[value='{corpus['a']}']").click()
    wait_until(page, lambda d: result_count(d) == 1, "one result")
    page.find_element(By.CSS_SELECTOR, "#results .result-title a").click()
    wait_for(page, "#doc-text mark.current")
    wait_until(page, lambda d: not css(d, "#similar p.status") or
               d.find_element(By.CSS_SELECTOR, "#similar p.status").text not in ("Cargando el documento…", ""),
               "similar documents answered")
    cited = wait_for(page, "#entities .cited-by button")
    cited.click()
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "#entities .cited-list").text.strip()
               not in ("", "Cargando el documento…"), "'cited by' answered")
    page.find_element(By.CSS_SELECTOR, "#lang-switch").click()
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "en", "English")
    assert page.find_element(By.CSS_SELECTOR, "#open-pdf").text == "Open the PDF at this page"
    page.find_element(By.CSS_SELECTOR, "#nav-admin").click()
    wait_for(page, "#batches li.batch")

    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert page.execute_script("return window.__cspViolations") == []

    # The checks see what they should: an inline style attribute is refused and reported.
    page.execute_script("document.body.insertAdjacentHTML('beforeend', '<p id=probe style=\"color:red\">x</p>')")
    wait_until(page, lambda d: d.execute_script("return window.__cspViolations.length") > 0, "the probe's violation")
    assert any("style" in e["message"] for e in page.get_log("browser"))


SANITISER_CASES = [
    # (html from the API, text shown, texts of the marks)
    ("a <mark>hit</mark> b", "a hit b", ["hit"]),
    ("&lt;b&gt;x&lt;/b&gt; &amp; <mark>y</mark>", "<b>x</b> & y", ["y"]),
    ("<img src=x onerror=alert(1)><mark>z</mark>", "<img src=x onerror=alert(1)>z", ["z"]),
    ("<script>alert(1)</script>", "<script>alert(1)</script>", []),
    ("<mark onclick=alert(1)>w</mark>", "<mark onclick=alert(1)>w", []),
    ("<MARK>up</MARK> &#60;i&#x3e; &bogus;", "up <i> &bogus;", ["up"]),
]


@pytest.mark.parametrize(("html", "text", "marks"), SANITISER_CASES)
def test_snippet_sanitiser_keeps_only_mark(page, live, html, text, marks):
    """The front end's own guard, apart from the API's escaping: whatever arrives, only a bare <mark> is markup."""
    page.get(live.url + "/#/admin")
    wait_for(page, "#admin-heading")
    out = page.execute_async_script(
        "const [html, done] = arguments;"
        "import('./js/dom.js').then((m) => { const box = document.createElement('div'); m.appendMarked(box, html);"
        "  done({text: box.textContent, marks: [...box.querySelectorAll('mark')].map((x) => x.textContent),"
        "        tags: [...box.querySelectorAll('*')].map((x) => x.tagName), attrs: [...box.querySelectorAll('*')]"
        "        .reduce((n, x) => n + x.attributes.length, 0)}); });", html)
    assert out["text"] == text
    assert out["marks"] == marks
    assert set(out["tags"]) <= {"MARK"} and out["attrs"] == 0


def test_page_image_with_hit_boxes(page, live, token, corpus):
    """The page as it looks: the toggle (by keyboard) shows the PNG with a box over each hit, in the hash;
    the hit buttons move between the boxes; a search missing a word says so in words; a clean console."""
    page.get(live.url + f"/#/search?q={token}&collection={corpus['a']}")
    wait_until(page, lambda d: result_count(d) == 1, "the document found")
    page.find_element(By.CSS_SELECTOR, "#results .result-title a").click()
    wait_for(page, "#doc-text mark.current")
    assert page.find_element(By.CSS_SELECTOR, "#view-text").get_attribute("aria-pressed") == "true"
    page.find_element(By.CSS_SELECTOR, "#view-image").send_keys(Keys.ENTER)   # keyboard, as a user would

    wait_for(page, "#page-image .hit-box.current")
    assert hash_params(page)[1].get("view") == ["image"]
    assert page.find_element(By.CSS_SELECTOR, "#view-image").get_attribute("aria-pressed") == "true"
    assert not page.find_element(By.CSS_SELECTOR, "#doc-text").is_displayed()
    img = page.find_element(By.CSS_SELECTOR, "#page-image img")
    wait_until(page, lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth", img),
               "the page image loaded")
    assert "/image" in img.get_attribute("src") and img.get_attribute("alt")
    page_number = hash_params(page)[1].get("page", ["1"])[0]
    boxes = css(page, "#page-image .hit-box")
    expected = 2 if page_number == "3" else 1
    assert len(boxes) == expected, page_number
    # Each box lies inside the image, where the API placed it (positioned through the CSSOM).
    frame = img.rect
    for box in boxes:
        r = box.rect
        assert r["width"] > 3 and r["height"] > 3
        assert frame["x"] - 1 <= r["x"] and r["x"] + r["width"] <= frame["x"] + frame["width"] + 1
        assert frame["y"] - 1 <= r["y"] and r["y"] + r["height"] <= frame["y"] + frame["height"] + 1
        assert box.get_attribute("style") is not None   # CSSOM sets it; the markup never had one
    where = page.find_element(By.CSS_SELECTOR, "#hit-where").text
    assert where.startswith(f"1 de {expected}")

    # Next hit: on this page's next box, or the next page's first, still as an image.
    page.find_element(By.CSS_SELECTOR, "#hit-next").click()
    if expected == 2:
        wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "#hit-where").text.startswith("2 de 2"),
                   "the second box selected")
        current = page.find_element(By.CSS_SELECTOR, "#page-image .hit-box.current")
        assert current == css(page, "#page-image .hit-box")[1]
        assert page.execute_script(  # scrolled to it
            "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;", current)
    else:
        wait_until(page, lambda d: hash_params(d)[1].get("page") == ["3"] and css(d, "#page-image .hit-box.current"),
                   "the next page's first box")
        assert hash_params(page)[1].get("view") == ["image"]
    page.find_element(By.CSS_SELECTOR, "#page-next").click()   # paging keeps the view
    wait_until(page, lambda d: hash_params(d)[1].get("page") == ["4"] and hash_params(d)[1].get("view") == ["image"]
               and "Sin coincidencias" in d.find_element(By.CSS_SELECTOR, "#hit-where").text, "page 4 as an image")
    page.find_element(By.CSS_SELECTOR, "#view-text").click()
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "#doc-text").is_displayed()
               and "view" not in hash_params(d)[1], "back to the text")

    # Some results lack a word: the count says so in words, when the API says so.
    q = f"{token} fiscalía ornitorrinco"
    reading = live.search(q)["query"]
    page.get(live.url + f"/#/search?q={q}")
    wait_until(page, lambda d: result_count(d) >= 0, "results")
    if reading.get("relaxed"):
        note = wait_for(page, "#query-info .relaxed").text
        assert "todas las palabras" in note

    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert page.execute_script("return window.__cspViolations") == []


@contextlib.contextmanager
def window(driver, width: int, height: int):
    """The browser's viewport at width x height for a while, then back to what it was."""
    def resize(w: int, h: int) -> None:
        driver.set_window_size(w, h)
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        if inner != [w, h]:
            driver.set_window_size(2 * w - inner[0], 2 * h - inner[1])

    before = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    resize(width, height)
    try:
        yield
    finally:
        resize(*before)


def screenshot(driver, name: str) -> None:
    """A screenshot in the folder DOCSEARCH_SCREENSHOTS names, when it names one."""
    folder = os.environ.get("DOCSEARCH_SCREENSHOTS")
    if folder:
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


PRIMARY = ["nav-search", "nav-saved", "nav-inbox"]
EXTRA = ["nav-folders", "nav-batch", "nav-admin", "nav-manage", "nav-account", "lang-switch"]


def test_phone_header_folds_the_less_used_links_into_a_menu(page, live):
    """At a phone's width the header is two short rows: the brand with "Menú", then the links used most (search,
    saved searches, alerts) side by side. The menu, a disclosure button, opens the others and the signed-in user
    below them, each reachable by Tab in the order shown; Escape closes it and gives the focus back; a link followed
    closes it; the language switch keeps it open. On a wide screen everything is in the header and no menu shows."""
    page.get(live.url + "/#/saved")
    wait_for(page, "#saved-heading")
    wait_for(page, "#nav-inbox")
    def shown(ids: list[str]) -> list[str]:
        return [i for i in ids if page.find_element(By.ID, i).is_displayed()]

    assert not page.find_element(By.ID, "nav-menu").is_displayed()
    assert shown(PRIMARY + EXTRA + ["sign-out"]) == PRIMARY + EXTRA + ["sign-out"]

    with window(page, 390, 844):
        menu = wait_for(page, "#nav-menu")
        assert menu.text == "Menú" and menu.get_attribute("aria-expanded") == "false"
        assert set(menu.get_attribute("aria-controls").split()) == {"site-nav", "user-box"}
        header = page.find_element(By.CSS_SELECTOR, "header.site")
        assert header.size["height"] <= 110, header.size
        assert shown(PRIMARY + EXTRA + ["sign-out"]) == PRIMARY
        assert len({page.find_element(By.ID, i).location["y"] for i in PRIMARY}) == 1      # one row
        assert not page.find_element(By.ID, "user-box").is_displayed()
        assert not page.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
        screenshot(page, "header-phone")

        # by keyboard: from the brand to the button, opened with Enter, then every link in the order shown
        page.execute_script("document.querySelector('header.site .brand a').focus()")
        ActionChains(page).send_keys(Keys.TAB).perform()
        assert page.switch_to.active_element.get_attribute("id") == "nav-menu"
        ActionChains(page).send_keys(Keys.ENTER).perform()
        wait_until(page, lambda d: menu.get_attribute("aria-expanded") == "true", "the menu open")
        assert shown(PRIMARY + EXTRA + ["sign-out"]) == PRIMARY + EXTRA + ["sign-out"]
        assert page.find_element(By.ID, "user-name").text == live.admin_user
        tops = [page.find_element(By.ID, i).location["y"] for i in ["nav-search"] + EXTRA + ["sign-out"]]
        assert tops == sorted(tops) and len(set(tops)) == len(tops), tops                # one below the other
        assert not page.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
        screenshot(page, "header-phone-menu")
        order = []
        for _ in PRIMARY + EXTRA + ["sign-out"]:
            ActionChains(page).send_keys(Keys.TAB).perform()
            active = page.switch_to.active_element
            assert active.is_displayed() and active.text.strip(), active.get_attribute("id")      # seen and labelled
            order.append(active.get_attribute("id"))
        assert order == PRIMARY + EXTRA + ["sign-out"]
        ActionChains(page).send_keys(Keys.ESCAPE).perform()
        wait_until(page, lambda d: menu.get_attribute("aria-expanded") == "false", "the menu closed")
        assert page.switch_to.active_element.get_attribute("id") == "nav-menu"
        assert shown(EXTRA + ["sign-out"]) == []

        # the language switch keeps it open, in the other language
        menu.click()
        page.find_element(By.ID, "lang-switch").click()
        wait_until(page, lambda d: menu.text == "Menu", "English")
        assert menu.get_attribute("aria-expanded") == "true"
        assert page.switch_to.active_element.get_attribute("id") == "lang-switch"
        page.find_element(By.ID, "lang-switch").click()
        wait_until(page, lambda d: menu.text == "Menú", "Spanish again")

        # a link followed closes it, and its view takes the focus
        page.find_element(By.ID, "nav-account").click()
        wait_until(page, lambda d: d.switch_to.active_element.get_attribute("id") == "account-heading", "the view")
        assert menu.get_attribute("aria-expanded") == "false" and not page.find_element(By.ID, "nav-account").is_displayed()
        assert page.find_element(By.ID, "nav-account").get_attribute("aria-current") == "page"

        menu.click()                        # and a wide window has no menu to keep open
    wait_until(page, lambda d: not menu.is_displayed(), "no menu on a wide screen")
    assert menu.get_attribute("aria-expanded") == "false"
    assert shown(PRIMARY + EXTRA + ["sign-out"]) == PRIMARY + EXTRA + ["sign-out"]
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert page.execute_script("return window.__cspViolations") == []
