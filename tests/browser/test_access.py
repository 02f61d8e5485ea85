"""Signing in and out of the web interface, and what each user is offered, on the real test stack.

Users are made through the API with the administrator's token (``make_user``); everything a person
would do (sign in, fail, sign out, open the audit trail) goes through the page itself.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, quote, urlparse

import httpx
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser.driver import SESSION_COOKIE, fill_sign_in, sign_in, signed_in, wait_for, wait_until


def css(driver, selector):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def active_id(driver) -> str:
    return driver.execute_script("return document.activeElement && document.activeElement.id")


def on_sign_in_page(driver) -> bool:
    return urlparse(driver.current_url).path.endswith("/login.html") and bool(css(driver, "#sign-in-form"))


def next_of(driver) -> str:
    return parse_qs(urlparse(driver.current_url).query).get("next", [""])[0]


def severe(driver) -> list[dict]:
    """Console errors other than the browser's own line for a refused request (a 401 or 403 is expected here)."""
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"
            and not re.search(r"status of 40[13]", e["message"])]


def test_wrong_password_shows_the_error(anonymous, live, make_user):
    """A page opened without a session leads to the sign-in form (focus in the username); a wrong password
    says so in words, in an alert, and leaves the focus in the emptied password field; English too."""
    page = anonymous
    user, _ = make_user("analyst")
    page.get(live.url + "/#/search?q=lavado")
    wait_until(page, on_sign_in_page, "sent to the sign-in page")
    assert next_of(page) == "/#/search?q=lavado"
    wait_until(page, lambda d: active_id(d) == "username", "the focus in the username field")
    assert page.find_element(By.CSS_SELECTOR, "label[for=username]").text == "Usuario"
    assert page.find_element(By.CSS_SELECTOR, "label[for=password]").text == "Contraseña"
    assert page.find_element(By.CSS_SELECTOR, "#sign-in-note").text == "Inicie sesión para continuar."

    # Nothing typed: each field says what it lacks, and the focus goes to the first.
    page.find_element(By.CSS_SELECTOR, "#sign-in-submit").send_keys(Keys.ENTER)
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "#username-error").is_displayed(), "the field's error")
    assert page.find_element(By.CSS_SELECTOR, "#username-error").text == "Escriba su nombre de usuario."
    assert page.find_element(By.CSS_SELECTOR, "#username").get_attribute("aria-invalid") == "true"
    assert active_id(page) == "username"

    fill_sign_in(page, user, "no-es-la-clave")
    error = wait_for(page, "#sign-in-error")
    assert error.get_attribute("role") == "alert"
    assert error.text == "Usuario o contraseña incorrectos. Revise los datos e inténtelo de nuevo."
    assert active_id(page) == "password"
    assert page.find_element(By.CSS_SELECTOR, "#password").get_attribute("value") == ""
    assert page.find_element(By.CSS_SELECTOR, "#password").get_attribute("aria-invalid") == "true"
    assert on_sign_in_page(page) and not signed_in(page)

    page.find_element(By.CSS_SELECTOR, "#lang-switch").click()
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "en", "English")
    assert page.find_element(By.CSS_SELECTOR, "#sign-in-error").text.startswith("Wrong username or password.")
    assert page.find_element(By.CSS_SELECTOR, "label[for=password]").text == "Password"
    assert severe(page) == []
    assert page.execute_script("return window.__cspViolations") == []


def test_locked_user_is_told_the_minutes_left(anonymous, live, make_user):
    """After too many failures the sign-in is refused even with the right password, and the page says
    for how many minutes."""
    page = anonymous
    user, password = make_user("analyst")
    for _ in range(live.settings.login_attempts):
        resp = httpx.post(live.url + "/api/auth/login", json={"username": user, "password": "equivocada"}, timeout=30)
        assert resp.status_code in (401, 429), resp.text
    page.get(live.url + "/login.html")
    fill_sign_in(page, user, password)
    error = wait_for(page, "#sign-in-error")
    found = re.search(r"Inténtelo de nuevo en (\d+) minutos?\.", error.text)
    assert found, error.text
    assert 1 <= int(found.group(1)) <= live.settings.lockout_minutes + 1
    assert error.text.startswith("Demasiados intentos fallidos")
    assert not signed_in(page)


def test_sign_in_returns_to_the_page_then_sign_out(anonymous, live):
    """Signing in goes back to the page asked for; the header names the user and role; signing out ends the
    session on the server and the next page asks to sign in again."""
    page = anonymous
    page.get(live.url + "/#/search?q=decomiso")
    wait_until(page, on_sign_in_page, "sent to the sign-in page")
    fill_sign_in(page, live.admin_user, live.admin_password)
    # The header names the user first; the search box is filled once the fields are read.
    wait_until(page, lambda d: urlparse(d.current_url).fragment == "/search?q=decomiso"
               and css(d, "#user-name") and d.find_element(By.CSS_SELECTOR, "#user-name").text == live.admin_user
               and d.find_element(By.CSS_SELECTOR, "#q").get_attribute("value") == "decomiso",
               "back at the search asked for, signed in, the query in the search box")
    assert page.find_element(By.CSS_SELECTOR, "#user-role").text == "administrador"
    assert page.find_element(By.CSS_SELECTOR, "#nav-manage").is_displayed()
    session = page.get_cookie(SESSION_COOKIE)
    assert session and session["httpOnly"] and session["sameSite"] == "Strict"
    assert page.get_cookie("ds_csrf")

    page.find_element(By.CSS_SELECTOR, "#sign-out").click()
    wait_until(page, on_sign_in_page, "the sign-in page after signing out")
    assert page.find_element(By.CSS_SELECTOR, "#sign-in-note").text == "Ha cerrado la sesión."
    assert not signed_in(page) and not page.get_cookie("ds_csrf")
    # The old session is over on the server too, not only forgotten by the browser.
    resp = httpx.get(live.url + "/api/auth/me", cookies={SESSION_COOKIE: session["value"]}, timeout=30)
    assert resp.status_code == 401
    page.get(live.url + "/#/admin")
    wait_until(page, on_sign_in_page, "asked to sign in again")
    assert next_of(page) == "/#/admin"
    assert severe(page) == []


def test_non_admin_sees_no_admin_links(anonymous, live, make_user, admin_api):
    """An analyst sees neither the administration nor the loads link; the administration's pages say they
    are for admins and the server refuses them anyway; a write grant brings the loads link."""
    page = anonymous
    user, password = make_user("analyst")
    sign_in(page, live.url, user, password)
    assert page.find_element(By.CSS_SELECTOR, "#user-role").text == "analista"
    assert not page.find_element(By.CSS_SELECTOR, "#nav-manage").is_displayed()
    assert not page.find_element(By.CSS_SELECTOR, "#nav-admin").is_displayed()
    assert page.find_element(By.CSS_SELECTOR, "#nav-account").is_displayed()

    page.get(live.url + "/#/admin/users")
    notice = wait_for(page, "#users-forbidden")
    assert notice.text == "Solo los administradores pueden ver esta página."
    assert not css(page, "#users-table") and not css(page, "#user-create")
    status = page.execute_async_script(
        "const done = arguments[0]; fetch('api/users', {credentials: 'same-origin'}).then((r) => done(r.status));")
    assert status == 403
    # A change without the CSRF header is refused, even from the signed-in page itself.
    status = page.execute_async_script(
        "const done = arguments[0]; fetch('api/auth/tokens', {method: 'POST', credentials: 'same-origin',"
        " headers: {'content-type': 'application/json'}, body: '{\"name\": \"x\"}'}).then((r) => done(r.status));")
    assert status == 403

    collection = f"ui-w-{user}"
    resp = admin_api.put(f"/api/collections/{collection}", json={
        "default_classification": "reserved", "grants": [{"principal": f"user:{user}", "rights": ["read", "write"]}]})
    assert resp.status_code == 200, resp.text
    page.get(live.url + "/#/search")
    page.refresh()      # the page asks who is signed in once, when it loads
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "#nav-admin").is_displayed(), "the loads link")
    assert not page.find_element(By.CSS_SELECTOR, "#nav-manage").is_displayed()


def test_audit_lists_the_sign_in(anonymous, live, make_user, admin_api):
    """A judge fails once, signs in and out; the administrator finds those three events in the audit view,
    newest first, by actor and by action."""
    page = anonymous
    user, password = make_user("judge")
    page.get(live.url + "/login.html")
    fill_sign_in(page, user, "equivocada")
    wait_for(page, "#sign-in-error")
    sign_in(page, live.url, user, password)
    page.find_element(By.CSS_SELECTOR, "#sign-out").click()
    wait_until(page, on_sign_in_page, "signed out")
    # The trail is searched near real time: the page asks once the engine shows the three records.
    wait_until(page, lambda _: len(admin_api.get("/api/audit", params={"actor": user}).json()["records"]) >= 3,
               "the judge's records in the trail")
    sign_in(page, live.url, live.admin_user, live.admin_password, start="/#/admin/audit")

    wait_for(page, "#audit-form")
    page.find_element(By.CSS_SELECTOR, "#audit-actor").send_keys(user, Keys.ENTER)
    wait_until(page, lambda d: "actor=" + user in d.current_url and css(d, "#audit-table tbody tr")
               and not d.find_element(By.CSS_SELECTOR, "#audit-more").is_displayed(), "the judge's events")
    rows = css(page, "#audit-table tbody tr")
    assert {r.find_element(By.CSS_SELECTOR, ".actor").text for r in rows} == {user}
    actions = [r.get_attribute("data-action") for r in rows]
    sign_ins = [a for a in actions if a in ("login", "login_failed", "logout")]
    assert sign_ins == ["logout", "login", "login_failed"], actions   # newest first
    seqs = [int(r.get_attribute("data-seq")) for r in rows]
    assert seqs == sorted(seqs, reverse=True)
    login = rows[actions.index("login")]
    assert "inicio de sesión" in login.find_element(By.CSS_SELECTOR, ".action").text
    assert login.find_element(By.CSS_SELECTOR, "time").text

    Select(page.find_element(By.CSS_SELECTOR, "#audit-action")).select_by_value("login")
    page.find_element(By.CSS_SELECTOR, "#audit-submit").click()
    wait_until(page, lambda d: "action=login" in d.current_url
               and [r.get_attribute("data-action") for r in css(d, "#audit-table tbody tr")] == ["login"],
               "only the sign-in")
    assert "1 evento" in page.find_element(By.CSS_SELECTOR, "#audit-status").text
    assert severe(page) == []
    assert page.execute_script("return window.__cspViolations") == []


def test_audit_pages_with_load_more(page, live, admin_api):
    """More events than one page: "Load more" brings older ones after the first fifty, without repeats."""
    tag = "paginado" + uuid.uuid4().hex[:8]
    for i in range(55):
        assert admin_api.get("/api/search", params={"q": f"{tag} {i}"}).status_code == 200
    # The trail is searched near real time: wait until the engine shows all 55 before the page asks.
    wait_until(page, lambda _: len(admin_api.get("/api/audit", params={"action": "search", "q": tag, "size": 100})
                                   .json()["records"]) == 55, "the 55 searches in the trail")
    page.get(live.url + f"/#/admin/audit?action=search&q={tag}")
    more = wait_for(page, "#audit-more")
    assert len(css(page, "#audit-table tbody tr")) == 50
    more.click()
    wait_until(page, lambda d: len(css(d, "#audit-table tbody tr")) == 55, "the five older events")
    seqs = [int(r.get_attribute("data-seq")) for r in css(page, "#audit-table tbody tr")]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == 55
    assert not page.find_element(By.CSS_SELECTOR, "#audit-more").is_displayed()


def test_the_return_address_stays_on_this_site(anonymous, live):
    """A crafted sign-in link cannot send the user to another site afterwards."""
    page = anonymous
    for crafted in ("//example.org/x", "https://example.org/", "/\\example.org"):
        page.get(live.url + "/login.html?next=" + quote(crafted, safe=""))
        fill_sign_in(page, live.admin_user, live.admin_password)
        wait_until(page, lambda d: css(d, "#user-name"), "signed in")
        assert page.current_url.startswith(live.url + "/"), (crafted, page.current_url)
        page.delete_all_cookies()
