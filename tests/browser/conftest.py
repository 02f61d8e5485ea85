"""Browser fixtures: headless Debian Chromium (Selenium + chromedriver) on the test stack of ``live``."""

from __future__ import annotations

import uuid

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
    """The browser, with its console emptied and the language reset to Spanish, ready to open the stack's UI."""
    browser.get(live.url + "/favicon.svg")
    browser.execute_script("localStorage.clear()")
    browser.get_log("browser")
    return browser


@pytest.fixture(scope="session")
def token() -> str:
    """A made-up word found in no other test's documents."""
    return "zafrano" + uuid.uuid4().hex[:6]
