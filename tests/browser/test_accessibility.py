"""Accessibility, checked by axe-core (vendored: tests/browser/vendor/axe.min.js) on the search, document, upload and
sign-in pages at desktop and phone sizes: no serious or critical violation of WCAG 2.2 A and AA rules."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from tests import pdfs
from tests.browser.driver import wait_for

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
