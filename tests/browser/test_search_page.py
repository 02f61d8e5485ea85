"""The search page for people who read it all day, in headless Chromium on the real stack: the year chart (labelled
columns, one tab stop worked by the arrow keys, a range by Shift+arrows, Shift+click or a drag, "sin fecha"), the
filters' groups, a filter applied bringing the focus to the results, and the filters as a sheet on a phone."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests import pdfs
from tests.browser.driver import wait_for, wait_until

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
DATED = {"2015": "Lima, 14 de mayo de 2015.", "2018": "Lima, 3 de marzo de 2018.", "2019": "Lima, 10 de septiembre de 2019."}


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def params(driver) -> dict[str, list[str]]:
    return parse_qs(urlparse(driver.current_url).fragment.partition("?")[2])


def results(driver) -> int:
    return -1 if css(driver, "#results[aria-busy]") else len(css(driver, "#results li.result"))


def active(driver, attribute: str) -> str:
    return driver.execute_script(f"return document.activeElement.getAttribute('{attribute}') || ''")


def shot(driver, name: str) -> None:
    folder = os.environ.get("DOCSEARCH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))


def column(driver, year: str):
    return driver.find_element(By.CSS_SELECTOR, f".histogram .year-col[data-year='{year}']")


@pytest.fixture(scope="module")
def years(live, tmp_path_factory):
    """Five acts with one made-up word: 2015 and 2018 in one collection; 2019 (twice) and one undated in another."""
    word = "basalto" + uuid.uuid4().hex[:6]
    folder = tmp_path_factory.mktemp("years")
    tag = uuid.uuid4().hex[:6]
    info = {"word": word, "a": f"anuario-a-{tag}", "b": f"anuario-b-{tag}"}
    rows = [("a", "2015", DATED["2015"]), ("a", "2018", DATED["2018"]), ("b", "2019", DATED["2019"]),
            ("b", "2019b", "Lima, 2 de julio de 2019."),
            ("b", "none", "Acta sin fecha alguna. Se coordinó con las sedes de Paita, Tocache, Callao, Cusco, Arequipa, "
                          "Piura y Chiclayo.")]
    for collection in ("a", "b"):
        files = [pdfs.text_pdf(folder / f"acta-{name}.pdf", [f"{opening}\nActa fiscal de la operación {word}.",
                                                             f"Segunda página del acta, {word}."],
                               title=f"Acta {name} {tag}") for coll, name, opening in rows if coll == collection]
        batch = live.wait_batch(live.upload(files, collection=info[collection]))
        assert batch["counts"]["indexed"] == len(files), batch
    facets = live.search(word)
    assert {v["value"]: v["count"] for v in facets["facets"]["year"]} == {"2015": 1, "2018": 1, "2019": 2}, facets["facets"]
    assert facets["facets_missing"] == {"year": 1}
    info["places"] = len(facets["facets"]["places"])
    assert info["places"] > 5, facets["facets"]["places"]   # more than a facet shows before "Mostrar N más"
    return info


def test_the_year_chart_by_keyboard_and_by_mouse(page, live, years):
    page.get(f"{live.url}/#/search?q={years['word']}")
    wait_until(page, lambda d: results(d) == 5, "five results")
    chart = wait_for(page, ".histogram")
    assert chart.get_attribute("role") == "toolbar"
    # Each column says its count above it (not only in a tooltip) and its year below.
    labels = {c.get_attribute("data-year"): (c.find_element(By.CSS_SELECTOR, ".year-count").text,
                                             c.find_element(By.CSS_SELECTOR, ".year-label").text)
              for c in css(page, ".histogram .year-col")}
    assert labels == {"2015": ("1", "2015"), "2018": ("1", "2018"), "2019": ("2", "2019")}
    assert page.find_element(By.CSS_SELECTOR, "#year-none").text == "sin fecha (1)"
    assert page.execute_script("return document.querySelectorAll('.histogram [tabindex=\"0\"]').length") == 1
    shot(page, "search-desktop")

    # One tab stop: reached by Tab (the latest year), left by one Tab.
    page.find_element(By.CSS_SELECTOR, "#q").click()
    for _ in range(80):
        ActionChains(page).send_keys(Keys.TAB).perform()
        if "year-col" in active(page, "class"):
            break
    assert active(page, "data-year") == "2019"
    assert page.execute_script("return getComputedStyle(document.activeElement).outlineStyle") != "none"
    ActionChains(page).send_keys(Keys.TAB).perform()
    assert active(page, "id") == "year-none"
    ActionChains(page).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
    assert active(page, "data-year") == "2019"
    # Arrows move, Enter chooses the year: the results then have the focus.
    ActionChains(page).send_keys(Keys.ARROW_LEFT).perform()
    assert active(page, "data-year") == "2018"
    ActionChains(page).send_keys(Keys.ENTER).perform()
    wait_until(page, lambda d: results(d) == 1 and params(d).get("year_from") == ["2018"], "2018 chosen")
    assert params(page).get("year_to") == ["2018"]
    wait_until(page, lambda d: active(d, "id") == "results-heading", "the focus on the results")
    assert "2018" in page.find_element(By.CSS_SELECTOR, "#active-filters").text

    # Shift+arrows: a range, shown before it is chosen with Enter.
    page.execute_script("document.querySelector('.histogram [tabindex=\"0\"]').focus()")
    assert active(page, "data-year") == "2018"
    ActionChains(page).key_down(Keys.SHIFT).send_keys(Keys.ARROW_RIGHT).key_up(Keys.SHIFT).perform()
    assert [c.get_attribute("data-year") for c in css(page, ".histogram .year-col.pending")] == ["2018", "2019"]
    assert "2018–2019" in page.find_element(By.CSS_SELECTOR, "#year-pending").text
    shot(page, "search-desktop-range")
    ActionChains(page).send_keys(Keys.ENTER).perform()
    wait_until(page, lambda d: results(d) == 3 and params(d).get("year_to") == ["2019"], "2018–2019 chosen")
    assert [c.get_attribute("data-year") for c in css(page, ".histogram .year-col[aria-pressed='true']")] == ["2018", "2019"]

    # "sin fecha": the undated act alone, said on its chip.
    page.find_element(By.CSS_SELECTOR, "#year-none").click()
    wait_until(page, lambda d: results(d) == 1 and params(d).get("year") == ["none"], "the undated act")
    assert "year_from" not in params(page)
    assert "Año: sin fecha" in page.find_element(By.CSS_SELECTOR, "#active-filters").text
    assert page.find_element(By.CSS_SELECTOR, "#year-none").get_attribute("aria-pressed") == "true"

    # Mouse: a click chooses a year, Shift+click a range from it; a drag a range.
    column(page, "2015").click()
    wait_until(page, lambda d: results(d) == 1 and params(d).get("year_from") == ["2015"], "2015 clicked")
    assert "year" not in params(page)
    ActionChains(page).key_down(Keys.SHIFT).click(column(page, "2018")).key_up(Keys.SHIFT).perform()
    wait_until(page, lambda d: results(d) == 2 and params(d).get("year_to") == ["2018"], "2015–2018 by Shift+click")
    ActionChains(page).click_and_hold(column(page, "2018")).move_to_element(column(page, "2019")).release().perform()
    wait_until(page, lambda d: results(d) == 3 and params(d).get("year_from") == ["2018"]
               and params(d).get("year_to") == ["2019"], "2018–2019 dragged")

    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert page.execute_script("return window.__cspViolations") == []


def test_filters_keep_the_results_in_view(page, live, years):
    """The general groups open, the entity groups closed; no value list scrolls inside itself; a filter chosen in
    the column brings the focus to the results' heading, the count and the chip in view."""
    page.get(f"{live.url}/#/search?q={years['word']}")
    wait_until(page, lambda d: results(d) == 5, "five results")
    toggles = {g.get_attribute("data-facet"): g.find_element(By.CSS_SELECTOR, ".facet-toggle").get_attribute("aria-expanded")
               for g in css(page, "#facet-list fieldset.facet:not(.year-facet)")}
    assert toggles["collection"] == "true", toggles
    entity = [name for name in ("persons", "places", "institutions", "criminal_orgs") if name in toggles]
    assert all(toggles[name] == "false" for name in entity), toggles
    assert all(v.value_of_css_property("overflow-y") == "visible" for v in css(page, ".facet-values"))
    # The results precede the filters in the markup, the filters are drawn on their left.
    assert page.execute_script("return document.querySelector('.results-area').compareDocumentPosition("
                               "document.querySelector('#facets')) & Node.DOCUMENT_POSITION_FOLLOWING") != 0
    assert page.find_element(By.ID, "facets").rect["x"] < page.find_element(By.ID, "results").rect["x"]

    # An entity facet opens on demand; its top five values show, "Mostrar N más" the others (the focus on the first of them).
    places = page.find_element(By.CSS_SELECTOR, "#facet-places .facet-toggle")
    assert not page.find_element(By.ID, "facet-places-values").is_displayed()
    places.click()
    assert places.get_attribute("aria-expanded") == "true"
    assert len(css(page, "#facet-places-values input[type=checkbox]")) == 5
    more = page.find_element(By.CSS_SELECTOR, "#facet-places .facet-more button")
    assert more.text == f"Mostrar {years['places'] - 5} más"
    more.click()
    assert len(css(page, "#facet-places-values input[type=checkbox]")) == years["places"]
    assert page.execute_script("return document.activeElement") == css(page, "#facet-places-values input[type=checkbox]")[5]
    assert page.find_element(By.CSS_SELECTOR, "#facet-places .facet-more button").text == "Mostrar menos"
    shot(page, "search-desktop-places")

    box = page.find_element(By.CSS_SELECTOR, f"#facet-collection input[value='{years['b']}']")
    page.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']").click()
    wait_until(page, lambda d: results(d) == 3, "the collection chosen")
    wait_until(page, lambda d: active(d, "id") == "results-heading", "the focus on the results")
    head = page.find_element(By.CSS_SELECTOR, ".results-head")
    assert years["b"] in head.find_element(By.CSS_SELECTOR, "#active-filters").text
    # Scrolled to the end of the results, the count and the chips are still in sight.
    page.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    assert page.execute_script("const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;",
                               head.find_element(By.CSS_SELECTOR, "#active-filters"))


def test_a_filter_on_a_phone(page, live, years):
    """390x844: "Filtros" opens the sheet over the page, a value ticked there updates its "Ver N resultados", which
    closes the sheet and shows the results with the chip."""
    page.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        page.get(f"{live.url}/#/search?q={years['word']}")
        wait_until(page, lambda d: results(d) == 5, "five results")
        assert not page.find_element(By.ID, "facets").is_displayed()
        assert page.execute_script("return document.documentElement.scrollWidth <= innerWidth")
        assert page.execute_script("return document.documentElement.scrollHeight") < 3000
        shot(page, "search-phone")
        opener = page.find_element(By.ID, "open-filters")
        assert opener.is_displayed() and opener.text == "Filtros"
        opener.click()
        sheet = wait_for(page, "#facets")
        assert sheet.get_attribute("role") == "dialog" and sheet.get_attribute("aria-modal") == "true"
        assert active(page, "id") == "facets-heading"
        assert page.execute_script("return document.querySelector('.results-area').inert")
        shot(page, "search-phone-filters")

        box = page.find_element(By.CSS_SELECTOR, f"#facet-collection input[value='{years['a']}']")
        page.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']").click()
        show = page.find_element(By.ID, "show-results")
        wait_until(page, lambda d: show.text == "Ver 2 resultados", "the count on the sheet's button")
        assert sheet.is_displayed() and active(page, "value") == years["a"]   # still open, the box ticked in focus
        assert page.execute_script(  # the button in sight at the sheet's bottom
            "const r = arguments[0].getBoundingClientRect(); return r.bottom <= innerHeight && r.top >= 0;", show)
        shot(page, "search-phone-filters-chosen")
        show.click()
        wait_until(page, lambda d: not d.find_element(By.ID, "facets").is_displayed(), "the sheet closed")
        assert results(page) == 2 and params(page).get("collection") == [years["a"]]
        chip = page.find_element(By.CSS_SELECTOR, "#active-filters button.chip")
        assert years["a"] in chip.text and chip.is_displayed()
        assert page.execute_script("const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;",
                                   chip)
        assert active(page, "id") == "results-heading"
        assert opener.text == "Filtros (1)"
        shot(page, "search-phone-results")
        # Escape closes the sheet too, and gives the focus back to "Filtros".
        opener.click()
        wait_for(page, "#facets")
        ActionChains(page).send_keys(Keys.ESCAPE).perform()
        wait_until(page, lambda d: not d.find_element(By.ID, "facets").is_displayed(), "closed by Escape")
        assert active(page, "id") == "open-filters"
    finally:
        page.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert page.execute_script("return window.__cspViolations") == []


def test_one_year_is_said_in_words_and_the_sort_box_says_the_order_in_use(page, live, years):
    page.get(f"{live.url}/#/search?q={years['word']}&collection={years['b']}")
    wait_until(page, lambda d: results(d) == 3, "the collection's three acts")
    assert not css(page, ".histogram")
    assert page.find_element(By.CSS_SELECTOR, ".year-single").text == \
        "Todos los documentos con fecha son de 2019 (2 documentos)."
    assert page.find_element(By.CSS_SELECTOR, "#year-none").text == "sin fecha (1)"
    chosen = lambda: Select(page.find_element(By.ID, "sort")).first_selected_option.text   # noqa: E731
    assert chosen() == "relevancia"
    # Without a query the newest loaded come first: the count and the sort box say so alike.
    page.get(f"{live.url}/#/search")
    wait_until(page, lambda d: results(d) > 0, "the latest documents")
    assert "los últimos cargados primero" in page.find_element(By.ID, "status").text
    assert chosen() == "últimos cargados"
    Select(page.find_element(By.ID, "sort")).select_by_value("date_desc")
    wait_until(page, lambda d: params(d).get("sort") == ["date_desc"] and results(d) > 0, "by date")
    assert chosen() == "más recientes" and "últimos cargados" not in page.find_element(By.ID, "status").text
