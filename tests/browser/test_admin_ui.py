"""The administration's pages (users, collections), one's API tokens and a document's access control,
driven through the page on the real test stack; the API (with the administrator's token) checks the result.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests import pdfs
from tests.browser.driver import sign_in, wait_for, wait_until

FILLER = "La Fiscalía Provincial presenta los actuados de la investigación preparatoria ante el juzgado."


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def text_of(driver, selector: str) -> str:
    """An element's text, or "" while it is missing or being drawn again (a row replaced after a change)."""
    try:
        return driver.find_element(By.CSS_SELECTOR, selector).text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def active_id(driver) -> str:
    return driver.execute_script("return document.activeElement && document.activeElement.id")


def confirm_dialog(driver, accept: bool = True) -> None:
    wait_for(driver, "dialog.dialog[open]")
    driver.find_element(By.CSS_SELECTOR, "#dialog-confirm" if accept else "#dialog-cancel").click()
    wait_until(driver, lambda d: not css(d, "dialog.dialog"), "the dialog closed")


def only_refusals(driver, path: str) -> None:
    """Empties the console, which may only hold the browser's lines about the 400s the page was expecting."""
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
            and not (path in e["message"] and "status of 400" in e["message"])] == []


def no_errors(driver) -> None:
    """A clean console, but for the browser's line about the 401 that sends a new visitor to the sign-in page."""
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE" and "status of 401" not in e["message"]] == []
    assert driver.execute_script("return window.__cspViolations") == []


@pytest.fixture()
def document(live, tmp_path):
    """One document in a collection of its own: (collection, document id)."""
    collection = "ui-acc-" + uuid.uuid4().hex[:6]
    path = pdfs.text_pdf(tmp_path / "acceso.pdf", [f"{FILLER} Acta {collection}.", f"{FILLER} Segunda página."],
                         title=f"Acta reservada {collection}")
    batch = live.wait_batch(live.upload([path], collection=collection), limit=10)
    assert batch["counts"]["indexed"] == 1, batch
    live.engine.refresh(live.settings.documents_alias)
    return collection, batch["files"][0]["document_id"]


def test_admin_creates_disables_and_resets_a_user(page, live, admin_api):
    """Users page: a short password is refused in words, a malformed e-mail address with the API's message; a
    new prosecutor with a group and an address appears in the list; the address is changed, then removed, from
    the list; disabling asks first; a reset password lets the user sign in again."""
    name = "ui-ana-" + uuid.uuid4().hex[:6]
    page.get(live.url + "/#/admin/users")
    wait_for(page, "#users-table tbody tr")
    assert page.find_element(By.CSS_SELECTOR, "#tab-users").get_attribute("aria-current") == "page"
    page.find_element(By.CSS_SELECTOR, "#new-username").send_keys(name)
    page.find_element(By.CSS_SELECTOR, "#new-password").send_keys("corta")
    Select(page.find_element(By.CSS_SELECTOR, "#new-role")).select_by_value("prosecutor")
    page.find_element(By.CSS_SELECTOR, "#new-groups").send_keys("fiscalia-ui, Jueces-UI")
    page.find_element(By.CSS_SELECTOR, "#user-create-submit").click()
    assert "Al menos 12 caracteres" in page.find_element(By.CSS_SELECTOR, "#user-create-status").text
    assert active_id(page) == "new-password"

    page.find_element(By.CSS_SELECTOR, "#new-password").send_keys("-larga-de-verdad")
    email = page.find_element(By.CSS_SELECTOR, "#new-email")
    assert page.find_element(By.CSS_SELECTOR, "label[for=new-email]").text == "Correo electrónico"
    email.send_keys("ana.quispe-en-mpfn")                  # no @: the API refuses it, the page says why
    page.find_element(By.CSS_SELECTOR, "#user-create-submit").click()
    wait_until(page, lambda d: "is not an e-mail address" in d.find_element(By.CSS_SELECTOR, "#user-create-status").text,
               "the API's message")
    assert "error" in page.find_element(By.CSS_SELECTOR, "#user-create-status").get_attribute("class")
    assert active_id(page) == "new-email" and email.get_attribute("aria-invalid") == "true"
    assert not [u for u in admin_api.get("/api/users").json() if u["username"] == name]
    only_refusals(page, "/api/users")
    email.clear()
    email.send_keys(f"{name}@mpfn.gob.pe")
    page.find_element(By.CSS_SELECTOR, "#user-create-submit").click()
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "#user-create-status").text == f"Usuario {name} creado.",
               "created")
    row = wait_for(page, f"#users-table tr[data-username='{name}']")
    assert email.get_attribute("value") == "" and email.get_attribute("aria-invalid") is None
    assert Select(row.find_element(By.CSS_SELECTOR, "select")).first_selected_option.text == "fiscal"
    listed = row.find_element(By.CSS_SELECTOR, "input.user-email")
    assert listed.get_attribute("value") == f"{name}@mpfn.gob.pe"
    assert listed.get_attribute("aria-label") == f"Correo electrónico de {name}"
    assert "Correo electrónico" in [th.text for th in css(page, "#users-table thead th")]
    user = next(u for u in admin_api.get("/api/users").json() if u["username"] == name)
    assert (user["role"], sorted(user["groups"]), user["disabled"]) == ("prosecutor", ["fiscalia-ui", "jueces-ui"], False)
    assert user["email"] == f"{name}@mpfn.gob.pe"

    # the address changed in the list: a bad one refused with the API's message, a good one saved, then removed
    def user_email():
        return next(u for u in admin_api.get("/api/users").json() if u["username"] == name).get("email")

    def row_status(d):
        return text_of(d, f"tr[data-username='{name}'] .row-status")

    listed.clear()
    listed.send_keys("sin arroba")
    row.find_element(By.CSS_SELECTOR, ".save").click()
    wait_until(page, lambda d: "is not an e-mail address" in row_status(d), "the API's message in the row")
    assert listed.get_attribute("aria-invalid") == "true"
    assert page.switch_to.active_element == listed
    assert user_email() == f"{name}@mpfn.gob.pe"
    only_refusals(page, f"/api/users/{name}")
    listed.clear()
    listed.send_keys(f"  mesa.partes.{name}@mpfn.gob.pe ")
    row.find_element(By.CSS_SELECTOR, ".save").click()
    wait_until(page, lambda d: row_status(d) == f"Cambios de {name} guardados.", "the new address saved")
    assert user_email() == f"mesa.partes.{name}@mpfn.gob.pe"
    assert listed.get_attribute("value") == f"mesa.partes.{name}@mpfn.gob.pe" and listed.get_attribute("aria-invalid") is None
    listed.clear()
    row.find_element(By.CSS_SELECTOR, ".save").click()
    wait_until(page, lambda d: user_email() is None and row_status(d) == f"Cambios de {name} guardados.",
               "the address removed")
    page.refresh()      # read back from the server
    row = wait_for(page, f"#users-table tr[data-username='{name}']")
    assert row.find_element(By.CSS_SELECTOR, "input.user-email").get_attribute("value") == ""

    row.find_element(By.CSS_SELECTOR, ".toggle-disabled").click()
    confirm_dialog(page, accept=False)        # cancelled: nothing changes, the focus is back on the button
    assert page.execute_script("return document.activeElement.classList.contains('toggle-disabled')")
    assert row.find_element(By.CSS_SELECTOR, ".user-state").text == "activo"
    row.find_element(By.CSS_SELECTOR, ".toggle-disabled").click()
    confirm_dialog(page)
    wait_until(page, lambda d: text_of(d, f"tr[data-username='{name}'] .user-state") == "desactivado", "the user disabled")
    assert next(u for u in admin_api.get("/api/users").json() if u["username"] == name)["disabled"] is True
    page.find_element(By.CSS_SELECTOR, f"tr[data-username='{name}'] .toggle-disabled").click()   # enable: no question
    wait_until(page, lambda d: text_of(d, f"tr[data-username='{name}'] .user-state") == "activo", "the user enabled")

    page.find_element(By.CSS_SELECTOR, f"tr[data-username='{name}'] .reset-password").click()
    box = wait_for(page, "#dialog-input")
    assert active_id(page) == "dialog-input" and box.get_attribute("type") == "password"
    box.send_keys("nueva-clave-segura-123")
    page.find_element(By.CSS_SELECTOR, "#dialog-confirm").click()
    wait_until(page, lambda d: "restablecida" in row_status(d), "the password reset")
    resp = httpx.post(live.url + "/api/auth/login", json={"username": name, "password": "nueva-clave-segura-123"}, timeout=30)
    assert resp.status_code == 200, resp.text
    no_errors(page)


def test_admin_sets_a_collections_grants(page, live, admin_api):
    """Collections page: a new collection, its default classification and two grants, saved; a malformed
    principal is refused in words before anything is sent."""
    name = "ui-col-" + uuid.uuid4().hex[:6]
    page.get(live.url + "/#/admin/collections")
    wait_for(page, "#collection-new")
    page.find_element(By.CSS_SELECTOR, "#collection-name").send_keys(name)
    page.find_element(By.CSS_SELECTOR, "#collection-add").click()
    card = wait_for(page, f"#collections li[data-name='{name}']")
    assert page.execute_script("return document.activeElement.classList.contains('default-classification')")
    Select(card.find_element(By.CSS_SELECTOR, ".default-classification")).select_by_value("public")
    card.find_element(By.CSS_SELECTOR, ".add-grant").click()
    principal = card.find_elements(By.CSS_SELECTOR, "input.principal")[-1]
    principal.send_keys("ana sin prefijo")
    card.find_element(By.CSS_SELECTOR, ".save-collection").click()
    assert "user:nombre o group:nombre" in card.find_element(By.CSS_SELECTOR, "p.status").text
    assert principal.get_attribute("aria-invalid") == "true"
    principal.clear()
    principal.send_keys("group:fiscalia-ui")
    card.find_element(By.CSS_SELECTOR, "tr.grant:last-child input[value=write]").click()
    card.find_element(By.CSS_SELECTOR, ".add-grant").click()
    card.find_elements(By.CSS_SELECTOR, "input.principal")[-1].send_keys("user:ana")
    card.find_element(By.CSS_SELECTOR, "tr.grant:last-child input[value=manage]").click()
    card.find_element(By.CSS_SELECTOR, ".save-collection").click()
    wait_until(page, lambda d: f"Colección {name} guardada." in d.find_element(
        By.CSS_SELECTOR, f"li[data-name='{name}'] p.status").text, "saved")

    saved = next(c for c in admin_api.get("/api/collections").json() if c["name"] == name)
    assert saved["default_classification"] == "public"
    assert sorted((g["principal"], sorted(g["rights"])) for g in saved["grants"]) == [
        ("group:fiscalia-ui", ["read", "write"]), ("user:ana", ["manage", "read"])]
    page.refresh()      # read back from the server
    card = wait_for(page, f"#collections li[data-name='{name}']")
    assert Select(card.find_element(By.CSS_SELECTOR, ".default-classification")).first_selected_option.text == "público"
    assert len(card.find_elements(By.CSS_SELECTOR, "tr.grant")) == 2
    no_errors(page)


def test_api_token_shown_once_then_revoked(page, live):
    """My tokens: a new token is shown once, works as a bearer token, is listed by name, and once revoked
    no longer works."""
    label = "script " + uuid.uuid4().hex[:6]
    page.get(live.url + "/#/account")
    wait_for(page, "#token-create")
    page.find_element(By.CSS_SELECTOR, "#token-name").send_keys(label)
    page.find_element(By.CSS_SELECTOR, "#token-create-submit").click()
    value = wait_for(page, "#token-value").get_attribute("value")
    assert active_id(page) == "token-value"
    assert "no se volverá a mostrar" in page.find_element(By.CSS_SELECTOR, "#token-once").text
    me = httpx.get(live.url + "/api/auth/me", headers={"Authorization": f"Bearer {value}"}, timeout=30)
    assert me.status_code == 200 and me.json()["username"] == live.admin_user
    row = wait_until(page, lambda d: next((r for r in css(d, "#tokens-table tbody tr")
                                           if r.find_element(By.CSS_SELECTOR, "th").text == label), None), "listed")
    assert value not in page.find_element(By.CSS_SELECTOR, "#tokens-table").text

    page.refresh()      # shown once: gone from the page
    wait_until(page, lambda d: any(r.find_element(By.CSS_SELECTOR, "th").text == label
                                   for r in css(d, "#tokens-table tbody tr")), "listed again")
    assert not css(page, "#token-value")
    row = next(r for r in css(page, "#tokens-table tbody tr") if r.find_element(By.CSS_SELECTOR, "th").text == label)
    row.find_element(By.CSS_SELECTOR, ".revoke").click()
    confirm_dialog(page)
    wait_until(page, lambda d: "revocada" in d.find_element(By.CSS_SELECTOR, "#tokens-status").text, "revoked")
    assert label not in page.find_element(By.CSS_SELECTOR, "#tokens-table").text
    me = httpx.get(live.url + "/api/auth/me", headers={"Authorization": f"Bearer {value}"}, timeout=30)
    assert me.status_code == 401
    no_errors(page)


def test_a_manager_seals_a_document(anonymous, live, make_user, admin_api, document):
    """A reader sees the classification but no control; a manager of the collection seals the document
    for named readers; then even the administrator, not named, no longer finds it."""
    page = anonymous
    collection, doc_id = document
    reader, reader_pw = make_user("analyst")
    manager, manager_pw = make_user("prosecutor")
    resp = admin_api.put(f"/api/collections/{collection}", json={"default_classification": "reserved", "grants": [
        {"principal": f"user:{reader}", "rights": ["read"]}, {"principal": f"user:{manager}", "rights": ["read", "manage"]}]})
    assert resp.status_code == 200, resp.text

    sign_in(page, live.url, reader, reader_pw, start=f"/#/doc/{doc_id}")
    wait_for(page, "#doc-text")
    assert page.find_element(By.CSS_SELECTOR, "#doc-classification").text == "reservado"
    assert not css(page, "#doc-access")
    page.delete_all_cookies()

    sign_in(page, live.url, manager, manager_pw, start=f"/#/doc/{doc_id}")
    section = wait_for(page, "#doc-access")
    assert not css(page, "#doc-delete")          # deleting is for admins
    assert page.find_element(By.CSS_SELECTOR, "#access-reserved").is_selected()
    assert not page.find_element(By.CSS_SELECTOR, "#access-readers").is_displayed()
    page.find_element(By.CSS_SELECTOR, "label[for=access-sealed]").click()
    readers = wait_for(page, "#access-readers")
    page.find_element(By.CSS_SELECTOR, "#access-save").click()
    assert "al menos un lector" in page.find_element(By.CSS_SELECTOR, "#access-status").text
    assert active_id(page) == "access-readers"
    readers.send_keys(f"{manager}, {reader}")
    page.find_element(By.CSS_SELECTOR, "#access-save").click()
    wait_until(page, lambda d: "sellado" in d.find_element(By.CSS_SELECTOR, "#access-status").text, "sealed")
    assert page.find_element(By.CSS_SELECTOR, "#doc-classification").text == "sellado"
    assert section.is_displayed()
    assert admin_api.get(f"/api/documents/{doc_id}").status_code == 404     # admins read seals only when named
    no_errors(page)


def test_admin_deletes_a_document_after_confirming(page, live, admin_api, document):
    """The delete button asks first (cancel keeps it); confirmed, the document is gone."""
    collection, doc_id = document
    if admin_api.delete("/api/documents/" + "0" * 64).status_code == 405:
        pytest.skip("DELETE /api/documents/{id} is not served yet")
    page.get(live.url + f"/#/doc/{doc_id}")
    button = wait_for(page, "#doc-delete")
    button.click()
    assert collection in page.find_element(By.CSS_SELECTOR, "#dialog-message").text or \
        "Acta reservada" in page.find_element(By.CSS_SELECTOR, "#dialog-message").text
    confirm_dialog(page, accept=False)
    assert admin_api.get(f"/api/documents/{doc_id}").status_code == 200
    page.find_element(By.CSS_SELECTOR, "#doc-delete").click()
    confirm_dialog(page)
    wait_until(page, lambda d: "eliminado" in d.find_element(By.CSS_SELECTOR, "#doc-status").text, "deleted")
    assert active_id(page) == "doc-status"
    assert admin_api.get(f"/api/documents/{doc_id}").status_code == 404
    no_errors(page)
