"""Browser fixtures: headless Debian Chromium (Selenium + chromedriver) on the test stack of ``live``."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.browser import driver as drv

# Runs in every page before the page's own scripts: records Content-Security-Policy violations.
CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sourceFile || ""));
});
"""


@pytest.fixture(scope="session")
def browser():
    reason = drv.available()
    if reason:
        pytest.skip(reason)
    with drv.chromium(1280, 800) as driver:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_PROBE})
        yield driver


@pytest.fixture()
def page(browser, live):
    """The browser signed in as the stack's administrator (through the sign-in page, when it has no
    session), its console emptied and the language reset to Spanish, ready to open the stack's UI."""
    browser.get(live.url + "/favicon.svg")
    browser.execute_script("localStorage.clear()")
    if not drv.signed_in(browser):
        drv.sign_in(browser, live.url, live.admin_user, live.admin_password)
    browser.get(live.url + "/favicon.svg")
    browser.get_log("browser")
    return browser


@pytest.fixture()
def anonymous(browser, live):
    """The browser with no session (its cookies deleted before and after, so the next ``page`` signs in as
    the administrator again), the language reset to Spanish."""
    browser.get(live.url + "/favicon.svg")
    browser.delete_all_cookies()
    browser.execute_script("localStorage.clear()")
    browser.get_log("browser")
    yield browser
    browser.get(live.url + "/favicon.svg")
    browser.delete_all_cookies()


@pytest.fixture()
def admin_api(live):
    """An httpx client of the stack's API signed in with the administrator's API token."""
    with httpx.Client(base_url=live.url, timeout=60, headers={"Authorization": f"Bearer {live.token}"}) as client:
        yield client


@pytest.fixture()
def make_user(admin_api):
    """Creates users through the API (as the administrator): make_user(role, groups) -> (username, password)."""
    def make(role: str = "analyst", groups: tuple[str, ...] = ()) -> tuple[str, str]:
        username = f"{role[:5]}-{uuid.uuid4().hex[:8]}"
        password = "clave-" + uuid.uuid4().hex
        resp = admin_api.post("/api/users", json={"username": username, "password": password, "role": role,
                                                  "groups": list(groups)})
        assert resp.status_code == 201, resp.text
        return username, password
    return make


@pytest.fixture(scope="session")
def token() -> str:
    """A made-up word found in no other test's documents."""
    return "zafrano" + uuid.uuid4().hex[:6]
