"""Accessibility, checked by axe-core (vendored: tests/browser/vendor/axe.min.js) on the search, document, upload and
sign-in pages at desktop and phone sizes: no serious or critical violation of WCAG 2.2 A and AA rules."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests import pdfs
from tests.browser.driver import wait_for, wait_until

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe(driver) -> list[dict]:
    """The serious and critical violations axe-core finds on the page as it is now."""
    driver.execute_script(AXE)
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        "  .then(r => done({passed: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        "     help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))}))"
        "  .catch(e => done({passed: 0, violations: [{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]}));",
        WCAG)
    assert found["passed"] > 10, found  # the rules ran on a page with content
    print(driver.current_url, found["passed"], "rules passed;", [(v["id"], v["impact"]) for v in found["violations"]])
    return [v for v in found["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture(scope="module")
def reading(live, tmp_path_factory):
    word = "cuarzo" + uuid.uuid4().hex[:6]
    folder = tmp_path_factory.mktemp("a11y")
    path = pdfs.text_pdf(folder / "acta.pdf", [f"Acta de incautación en la operación {word}.", f"Segunda página, {word}."],
                         title="Acta de incautación")
    batch = live.wait_batch(live.upload([path], collection="accesible"))
    return {"word": word, "id": batch["files"][0]["document_id"]}


@pytest.mark.parametrize("size", sorted(SIZES))
def test_axe_finds_nothing_serious(page, live, reading, size):
    width, height = SIZES[size]
    page.set_window_size(width, height)
    report = {}
    try:
        page.get(f"{live.url}/#/search?q={reading['word']}")
        wait_for(page, ".result")
        report["search"] = axe(page)
        wait_for(page, f".result a[href*='{reading['id']}']").click()
        wait_for(page, "#doc-text mark")
        report["document"] = axe(page)
        page.get(f"{live.url}/#/admin")
        wait_for(page, "input[type=file]", visible=False)
        report["upload"] = axe(page)
    finally:
        page.set_window_size(1280, 800)
    assert not any(report.values()), json.dumps(report, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_axe_finds_nothing_serious_on_the_sign_in_page(anonymous, live, size):
    anonymous.set_window_size(*SIZES[size])
    try:
        anonymous.get(f"{live.url}/login.html")
        wait_for(anonymous, "input[type=password]")
        found = axe(anonymous)
    finally:
        anonymous.set_window_size(1280, 800)
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def _focused_href(driver) -> str:
    return driver.execute_script("const a = document.activeElement; return a && a.getAttribute('href') || ''")


def test_the_first_result_is_three_tab_presses_from_the_search_box(page, live, reading):
    """The results come before the options and the filters: query box, its button, "Cómo buscar", the first result."""
    page.get(f"{live.url}/#/search?q={reading['word']}")
    wait_for(page, ".result")
    page.find_element(By.CSS_SELECTOR, "#q").click()
    pressed = []
    for _ in range(3):
        ActionChains(page).send_keys(Keys.TAB).perform()
        pressed.append(page.execute_script("const a = document.activeElement; return a.id || a.tagName"))
        if _focused_href(page).startswith("#/doc/"):
            break
    assert _focused_href(page).startswith(f"#/doc/{reading['id']}"), pressed
    assert page.execute_script("return getComputedStyle(document.activeElement).outlineStyle") != "none"
    assert page.execute_script("return document.querySelectorAll('h1').length") == 1   # the page's one h1
    # The skip link, the page's first stop, shows itself when it has the focus and leads forward to the results.
    assert page.execute_script("return document.querySelector('a[href], button, input, select')"
                               ".classList.contains('skip-link')")
    page.execute_script("window.scrollTo(0, 0); document.querySelector('.skip-link').focus()")
    skip = page.switch_to.active_element
    assert skip.is_displayed() and skip.rect["y"] >= 0
    skip.send_keys(Keys.ENTER)
    assert page.switch_to.active_element.get_attribute("id") == "results-heading"


def test_keyboard_only_open_a_result_and_come_back_to_it(page, live, reading):
    """Type a query, Tab to the result, open it with Enter; back from the document, the focus is on that result."""
    page.get(f"{live.url}/#/search")
    wait_for(page, "#q")
    wait_until(page, lambda d: d.execute_script("return document.activeElement.id") == "q", "the query box focused")
    ActionChains(page).send_keys(reading["word"], Keys.ENTER).perform()
    wait_for(page, f".result[data-id='{reading['id']}'] a[href*='q={reading['word']}']")   # the query's, not the newest
    for _ in range(3):
        ActionChains(page).send_keys(Keys.TAB).perform()
        if _focused_href(page).startswith("#/doc/"):
            break
    href = _focused_href(page)
    assert href.startswith(f"#/doc/{reading['id']}")
    ActionChains(page).send_keys(Keys.ENTER).perform()
    wait_for(page, "#doc-text mark")
    page.back()
    wait_until(page, lambda d: _focused_href(d) == href, "the focus back on the result opened")
    link = page.switch_to.active_element
    assert link.is_displayed() and page.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;", link)
    # The document's own link back does the same.
    ActionChains(page).send_keys(Keys.ENTER).perform()
    wait_for(page, "#doc-text mark")
    wait_for(page, "#doc-back").click()
    wait_until(page, lambda d: _focused_href(d) == href, "the focus on the result after the link back")


def test_the_document_go_to_page_button_shows_itself_when_it_has_the_focus(page, live, reading):
    """The page field's submit button is kept out of sight, but a Tab onto it shows it: no invisible focus."""
    page.get(f"{live.url}/#/doc/{reading['id']}?q={reading['word']}")
    wait_for(page, "#doc-text mark")
    page.find_element(By.ID, "page-input").click()
    ActionChains(page).send_keys(Keys.TAB).perform()
    button = page.switch_to.active_element
    if button.get_attribute("type") != "submit":
        pytest.skip("the page field has no submit button of its own")
    assert button.is_displayed() and button.size["width"] > 20 and button.size["height"] > 10, button.size
    assert page.execute_script("return getComputedStyle(document.activeElement).outlineStyle") != "none"
