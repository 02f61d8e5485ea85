"""Saved searches, watches and the inbox in the web interface (headless Chromium, the real test stack: engine,
Redis, worker, API): a search saved with its watch from the results, then renamed, run and deleted on #/saved; an
organisation watched from its page, its delivery changed, paused and deleted on #/saved; and a document loaded
after the watch announced by the header's count and in #/inbox, which opens it at its page. With
``DOCSEARCH_SCREENSHOTS`` naming a folder, the views are saved there at a desktop and a phone width."""

from __future__ import annotations

import base64
import os
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests import pdfs
from tests.browser.driver import wait_for, wait_until
from tests.browser.test_ui import FILLER, css, hash_params, result_count

ORG = "Los Gavilanes del Rímac"
SEED = [f"{FILLER} Informe policial sobre la organización criminal «{ORG}», dedicada al tráfico ilícito de drogas en "
        "el Callao. Se incautaron 40 kilos de clorhidrato de cocaína."]
PHONE = (390, 844)


def text(driver, selector: str) -> str:
    """An element's text, or "" while it is missing or being drawn again."""
    try:
        return driver.find_element(By.CSS_SELECTOR, selector).text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def attr(driver, selector: str, name: str) -> str | None:
    try:
        return driver.find_element(By.CSS_SELECTOR, selector).get_attribute(name)
    except (NoSuchElementException, StaleElementReferenceException):
        return None


def badge(driver) -> str | None:
    """The header's unread count as the page holds it (its link's data-count)."""
    return attr(driver, "#nav-inbox", "data-count")


def shoot(driver, name: str) -> None:
    """Screenshots of what is shown, at the browser's width and at a phone's (then back), when asked for."""
    folder = os.environ.get("DOCSEARCH_SCREENSHOTS")
    if not folder:
        return
    size = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    driver.save_screenshot(str(Path(folder) / f"{name}.png"))
    driver.set_window_size(*PHONE)
    try:
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(Path(folder) / f"{name}-phone.png"))
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"captureBeyondViewport": True, "format": "png"})
        (Path(folder) / f"{name}-phone-full.png").write_bytes(base64.b64decode(shot["data"]))
        wide = driver.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"{name}: wider than a phone's screen"
    finally:
        driver.set_window_size(*size)
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        if inner != size:
            driver.set_window_size(2 * size[0] - inner[0], 2 * size[1] - inner[1])


def no_console_errors(driver) -> None:
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert driver.execute_script("return window.__cspViolations") == []


@pytest.fixture(scope="module")
def archive(live, tmp_path_factory):
    """Two documents with a made-up word (one collection), and a report naming the organisation (another), so that
    its page and identity exist before it is watched."""
    folder = tmp_path_factory.mktemp("watches-ui")
    tag = uuid.uuid4().hex[:6]
    word = "cardenillo" + tag
    found = [pdfs.text_pdf(folder / f"{n}.pdf", [f"{FILLER} Primera mención de {word} en el acta {n}.", FILLER],
                           title=f"Acta {n} {tag}") for n in ("uno", "dos")]
    batch = live.wait_batch(live.upload(found, collection=f"vigilancias-{tag}"))
    assert batch["counts"]["indexed"] == 2, batch
    seed = pdfs.text_pdf(folder / "antecedente.pdf", [f"Antecedente {tag}. " + SEED[0]], title=f"Antecedente {tag}")
    batch = live.wait_batch(live.upload([seed], collection=f"informes-{tag}"))
    assert batch["counts"]["indexed"] == 1, batch
    with live.client() as api:
        values = api.get("/api/search", params={"q": f"antecedente {tag}", "mode": "lexical"}).json()["facets"]["criminal_orgs"]
    org = next(v["value"] for v in values if "Gavilanes" in v["value"])
    return {"tag": tag, "word": word, "org": org, "folder": folder, "reports": f"informes-{tag}"}


def saved_by_name(admin_api, name: str) -> dict | None:
    resp = admin_api.get("/api/saved-searches")
    assert resp.status_code == 200, resp.text
    return next((s for s in resp.json() if s["name"] == name), None)


def entity_watch(admin_api, org: str) -> dict | None:
    resp = admin_api.get("/api/watches")
    assert resp.status_code == 200, resp.text
    return next((w for w in resp.json() if w["kind"] == "entity" and w["target"]["value"] == org), None)


def test_save_a_search_with_its_watch_then_rename_run_and_delete_it(page, live, admin_api, archive):
    word = archive["word"]
    page.get(live.url + f"/#/search?q={word}")
    wait_until(page, lambda d: result_count(d) == 2, "two results")
    button = wait_for(page, "#save-search")
    assert button.text == "Guardar búsqueda" and button.get_attribute("aria-expanded") == "false"
    button.click()
    name_box = wait_for(page, "#save-name")
    assert name_box.get_attribute("value") == word           # the name starts as the query
    assert page.switch_to.active_element == name_box
    assert not page.find_element(By.CSS_SELECTOR, "#save-delivery").is_enabled()   # until the box is ticked
    shoot(page, "save-search")
    name = f"Actas {archive['tag']}"
    name_box.clear()
    name_box.send_keys(name)
    page.find_element(By.CSS_SELECTOR, "label[for='save-notify']").click()
    Select(page.find_element(By.CSS_SELECTOR, "#save-delivery")).select_by_value("daily")
    page.find_element(By.CSS_SELECTOR, "#save-submit").click()
    wait_until(page, lambda d: "Búsqueda guardada" in text(d, "#save-search-status"), "saved, said so")
    status = text(page, "#save-search-status")
    assert name in status and "resumen diario" in status, status
    assert not css(page, "#save-search-form")
    saved = saved_by_name(admin_api, name)
    assert saved and saved["q"] == word and saved["watch"]["delivery"] == "daily" and saved["watch"]["active"]

    page.find_element(By.CSS_SELECTOR, "#save-search-open").click()       # to #/saved
    card = f"#saved-searches li[data-id='{saved['id']}']"
    wait_until(page, lambda d: text(d, f"{card} h4") == name, "the saved search listed")
    assert page.find_element(By.CSS_SELECTOR, f"{card} .watch-toggle").is_selected()
    assert Select(page.find_element(By.CSS_SELECTOR, f"{card} select.delivery")).first_selected_option.get_attribute("value") == "daily"
    assert word in text(page, f"{card} .saved-summary")
    assert page.find_element(By.CSS_SELECTOR, "#nav-saved").get_attribute("aria-current") == "page"
    shoot(page, "saved")

    # rename, inline, by keyboard
    page.find_element(By.CSS_SELECTOR, f"{card} .saved-rename").click()
    box = wait_for(page, f"#rename-{saved['id']}")
    assert page.switch_to.active_element == box
    box.send_keys(Keys.CONTROL, "a")
    renamed = f"Actas renombradas {archive['tag']}"
    box.send_keys(renamed, Keys.ENTER)
    wait_until(page, lambda d: text(d, f"{card} h4") == renamed, "the new name")
    assert "renombrada" in text(page, "#saved-status")
    assert page.switch_to.active_element.get_attribute("class") == "saved-rename"
    assert saved_by_name(admin_api, renamed)["id"] == saved["id"]

    # run: its results
    page.find_element(By.CSS_SELECTOR, f"{card} a.saved-run").click()
    wait_until(page, lambda d: result_count(d) == 2, "the saved search's results")
    path, params = hash_params(page)
    assert path == "/search" and params["q"] == [word]

    # delete, after a confirmation; its watch goes with it
    page.find_element(By.CSS_SELECTOR, "#nav-saved").click()
    wait_for(page, f"{card} .saved-delete").click()
    dialog = wait_for(page, "dialog.dialog")
    assert renamed in dialog.text
    page.find_element(By.CSS_SELECTOR, "#dialog-confirm").click()
    wait_until(page, lambda d: not css(d, card), "the saved search gone")
    assert "eliminada" in text(page, "#saved-status")
    assert saved_by_name(admin_api, renamed) is None
    assert all(w["target"].get("saved_search") != saved["id"] for w in admin_api.get("/api/watches").json())
    no_console_errors(page)


def test_a_watch_on_a_search_by_meaning_says_it_matches_words(page, live, admin_api, archive):
    """Ticking "notify me" in the save form of a search by words and meaning (the default) or by meaning alone shows
    a note that watches compare words, gone again when unticked; a search by words alone, asked for or made so by
    the server (a made-up word, an identifier), says nothing of it."""
    note = "#save-mode-note"
    spanish = ("Las vigilancias buscan por palabras: los documentos nuevos se comparan con las palabras de la "
               "búsqueda, no por su significado.")
    phrase = "primera mención en el acta"

    def open_form(q: str, mode: str, used: str) -> None:
        page.get(live.url + f"/#/search?q={quote(q)}" + (f"&mode={mode}" if mode else ""))
        wait_until(page, lambda d: result_count(d) >= 1, "results")
        answer = admin_api.get("/api/search", params={"q": q, **({"mode": mode} if mode else {})}).json()["query"]
        assert answer["mode"] == used, answer
        wait_for(page, "#save-search").click()
        wait_for(page, "#save-name")

    for q, mode in ((phrase, "lexical"), (archive["word"], "")):
        open_form(q, mode, "lexical")
        page.find_element(By.CSS_SELECTOR, "label[for='save-notify']").click()
        assert page.find_element(By.CSS_SELECTOR, "#save-notify").is_selected()
        assert text(page, note) == "" and not page.find_element(By.CSS_SELECTOR, note).is_displayed()
        page.find_element(By.CSS_SELECTOR, "#save-cancel").click()

    for mode in ("", "semantic"):          # the server's default (words and meaning), then meaning alone
        open_form(phrase, mode, mode or "hybrid")
        box = page.find_element(By.CSS_SELECTOR, "#save-notify")
        assert not page.find_element(By.CSS_SELECTOR, note).is_displayed()         # not before the box is ticked
        box.send_keys(Keys.SPACE)                                                   # by keyboard
        wait_until(page, lambda d: text(d, note) == spanish, f"the note ({mode or 'default'})")
        assert box.get_attribute("aria-describedby") == "save-mode-note"
        assert page.find_element(By.CSS_SELECTOR, note).get_attribute("aria-live") == "polite"
        if mode == "semantic":
            shoot(page, "save-search-meaning")
            page.find_element(By.CSS_SELECTOR, "#lang-switch").click()             # the open form, in English
            wait_until(page, lambda d: text(d, note).startswith("Watches search by words"), "the note in English")
            assert page.find_element(By.CSS_SELECTOR, "#save-notify").is_selected()
            page.find_element(By.CSS_SELECTOR, "#lang-switch").click()
            wait_until(page, lambda d: text(d, note) == spanish, "the note in Spanish again")
        page.find_element(By.CSS_SELECTOR, "label[for='save-notify']").click()
        wait_until(page, lambda d: not d.find_element(By.CSS_SELECTOR, note).is_displayed(), "the note gone")
        page.find_element(By.CSS_SELECTOR, "#save-cancel").click()
    assert saved_by_name(admin_api, phrase) is None                              # nothing was saved
    no_console_errors(page)


def test_watch_an_organisation_from_its_page_then_change_pause_and_delete_it(page, live, admin_api, archive):
    org = archive["org"]
    page.get(live.url + f"/#/entity/criminal_orgs/{quote(org)}")
    wait_until(page, lambda d: text(d, "#entity-heading") == org, "the organisation's page")
    button = wait_for(page, "#entity-watch-button")
    assert button.text == "Vigilar" and button.get_attribute("aria-pressed") == "false"
    button.send_keys(Keys.ENTER)                                          # by keyboard
    wait_until(page, lambda d: attr(d, "#entity-watch-button", "aria-pressed") == "true", "pressed")
    assert "inmediato" in text(page, "#entity-watch-note")
    assert page.switch_to.active_element.get_attribute("id") == "entity-watch-button"
    made = entity_watch(admin_api, org)
    assert made and made["target"]["field"] == "criminal_orgs" and made["delivery"] == "immediate" and made["active"]
    shoot(page, "entity-watch")

    page.find_element(By.CSS_SELECTOR, "#entity-watch-manage").click()     # to #/saved
    card = f"#watches li[data-id='{made['id']}']"
    wait_until(page, lambda d: text(d, f"{card} h4") == org, "the watch listed")
    assert page.find_element(By.CSS_SELECTOR, f"{card} h4 a").get_attribute("href").endswith(
        f"#/entity/criminal_orgs/{quote(org)}")
    Select(page.find_element(By.CSS_SELECTOR, f"{card} select.delivery")).select_by_value("daily")
    wait_until(page, lambda d: "resumen diario" in text(d, "#saved-status"), "the delivery changed")
    assert entity_watch(admin_api, org)["delivery"] == "daily"
    page.find_element(By.CSS_SELECTOR, f"{card} .watch-pause").click()
    wait_until(page, lambda d: "en pausa" in text(d, f"{card} .watch-state"), "paused")
    assert entity_watch(admin_api, org)["active"] is False
    assert text(page, f"{card} .watch-pause") == "Reanudar"
    shoot(page, "watches")
    page.find_element(By.CSS_SELECTOR, f"{card} .watch-pause").click()
    wait_until(page, lambda d: "activa" in text(d, f"{card} .watch-state"), "resumed")
    assert entity_watch(admin_api, org)["active"] is True
    page.find_element(By.CSS_SELECTOR, f"{card} .watch-delete").click()
    wait_until(page, lambda d: not css(d, card), "the watch gone")
    assert "Ya no vigila" in text(page, "#saved-status")
    assert entity_watch(admin_api, org) is None

    # a collection, chosen among those the user may read
    choice = Select(wait_for(page, "#watch-collection"))
    assert archive["reports"] in [o.get_attribute("value") for o in choice.options]
    choice.select_by_value(archive["reports"])
    Select(page.find_element(By.CSS_SELECTOR, "#watch-collection-delivery")).select_by_value("daily")
    page.find_element(By.CSS_SELECTOR, "#watch-collection-submit").click()
    wait_until(page, lambda d: text(d, "#watches li[data-kind='collection'] h4") == archive["reports"], "the collection")
    assert "resumen diario" in text(page, "#watch-collection-status")
    collection = next(w for w in admin_api.get("/api/watches").json() if w["kind"] == "collection")
    assert collection["target"]["collection"] == archive["reports"] and collection["delivery"] == "daily"
    assert archive["reports"] not in [o.get_attribute("value") for o in Select(page.find_element(
        By.CSS_SELECTOR, "#watch-collection")).options]                     # watched: no longer offered
    page.find_element(By.CSS_SELECTOR, f"#watches li[data-id='{collection['id']}'] .watch-delete").click()
    wait_until(page, lambda d: not css(d, "#watches li[data-kind='collection']"), "the collection's watch gone")
    assert all(w["kind"] != "collection" for w in admin_api.get("/api/watches").json())

    page.back()                                                             # its page again: not watched
    wait_until(page, lambda d: attr(d, "#entity-watch-button", "aria-pressed") == "false", "no longer pressed")
    no_console_errors(page)


def test_a_new_document_naming_a_watched_organisation_reaches_the_inbox(page, live, admin_api, archive):
    org = archive["org"]
    assert admin_api.post("/api/notifications/read", json={"all": True}).json()["unread"] == 0
    page.get(live.url + f"/#/entity/criminal_orgs/{quote(org)}")
    wait_until(page, lambda d: attr(d, "#entity-watch-button", "aria-pressed") == "false", "the button")
    wait_until(page, lambda d: badge(d) == "0", "no unread notices")
    assert not page.find_element(By.CSS_SELECTOR, "#inbox-count").is_displayed()
    assert page.find_element(By.CSS_SELECTOR, "#nav-inbox").get_attribute("aria-label") == "Avisos: ninguno sin leer"
    page.find_element(By.CSS_SELECTOR, "#entity-watch-button").click()
    wait_until(page, lambda d: attr(d, "#entity-watch-button", "aria-pressed") == "true", "watched")
    made = entity_watch(admin_api, org)
    try:
        title = f"Informe ampliatorio {archive['tag']}"
        pages = [f"{FILLER} Antecedentes del caso {archive['tag']}.", SEED[0], f"{FILLER} Conclusiones."]
        report = pdfs.text_pdf(archive["folder"] / "ampliatorio.pdf", pages, title=title)
        batch = live.wait_batch(live.upload([report], collection=archive["reports"]))
        assert batch["counts"]["indexed"] == 1, batch
        doc_id = batch["files"][0]["document_id"]
        # The worker matches the document once it is indexed; the page asks again on every route and every minute.
        wait_until(page, lambda d: admin_api.get("/api/notifications/unread").json()["unread"] == 1,
                   "the notice recorded", timeout=90)
        page.find_element(By.CSS_SELECTOR, "#nav-search").click()
        wait_until(page, lambda d: badge(d) == "1", "the header's count", timeout=15)
        count = page.find_element(By.CSS_SELECTOR, "#inbox-count")
        assert count.is_displayed() and count.text == "1"
        assert page.find_element(By.CSS_SELECTOR, "#nav-inbox").get_attribute("aria-label") == "Avisos: 1 sin leer"
        assert text(page, "#inbox-live") == "1 aviso sin leer"

        page.find_element(By.CSS_SELECTOR, "#nav-inbox").click()
        item = f"#inbox-list li.notice[data-document='{doc_id}']"
        wait_for(page, item)
        assert "unread" in page.find_element(By.CSS_SELECTOR, item).get_attribute("class")
        assert text(page, f"{item} .notice-new") == "Nuevo"
        assert text(page, f"{item} .notice-title") == title
        assert text(page, f"{item} .notice-watch") == f"Vigilancia: {org}"
        snippet = page.find_element(By.CSS_SELECTOR, f"{item} .notice-snippet")
        assert "Gavilanes" in snippet.text
        assert {m.tag_name for m in snippet.find_elements(By.CSS_SELECTOR, "*")} <= {"mark"}
        assert text(page, f"{item} time")
        link = page.find_element(By.CSS_SELECTOR, f"{item} a.notice-title")
        assert link.get_attribute("href").endswith(f"#/doc/{doc_id}?page=2")
        assert page.find_element(By.CSS_SELECTOR, "#inbox-mark-all").is_enabled()
        shoot(page, "inbox")

        link.click()                                                       # opens it at its page, read
        wait_until(page, lambda d: text(d, "#doc-title") == title, "the document")
        assert page.find_element(By.CSS_SELECTOR, "#page-input").get_attribute("value") == "2"
        wait_until(page, lambda d: badge(d) == "0", "the count back to 0", timeout=15)
        assert not page.find_element(By.CSS_SELECTOR, "#inbox-count").is_displayed()
        assert admin_api.get("/api/notifications/unread").json()["unread"] == 0

        page.back()                                                        # the inbox again: read now
        wait_until(page, lambda d: css(d, item) and "unread" not in (attr(d, item, "class") or "unread"), "read")
        assert not css(page, f"{item} .notice-new")
        assert not page.find_element(By.CSS_SELECTOR, "#inbox-mark-all").is_enabled()
        page.find_element(By.CSS_SELECTOR, "#lang-switch").click()          # in English
        wait_until(page, lambda d: text(d, "#inbox-heading") == "Alerts", "English")
        assert text(page, f"{item} .notice-watch") == f"Watch: {org}"
        assert page.find_element(By.CSS_SELECTOR, "#nav-inbox").get_attribute("aria-label") == "Alerts: none unread"
        shoot(page, "inbox-en")
        no_console_errors(page)
    finally:
        if made:
            admin_api.delete(f"/api/watches/{made['id']}")
