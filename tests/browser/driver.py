"""Headless Debian Chromium driven by Selenium through Debian's chromedriver."""

from __future__ import annotations

import contextlib
import os
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("DOCSEARCH_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("DOCSEARCH_CHROMEDRIVER", "/usr/bin/chromedriver")
WAIT_S = float(os.environ.get("DOCSEARCH_BROWSER_WAIT", "60"))


def available() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.exists(path) or shutil.which(path)):
            return f"{path} is missing (Debian: apt-get install chromium chromium-driver; `make setup` does it)"
    return None


def options(width: int = 1280, height: int = 800, lang: str = "es") -> webdriver.ChromeOptions:
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                f"--window-size={width},{height}", f"--lang={lang}", "--hide-scrollbars",
                "--force-device-scale-factor=1"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"intl.accept_languages": lang})
    # Console messages (errors, CSP violations) are read back through the browser log.
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return opts


@contextlib.contextmanager
def chromium(width: int = 1280, height: int = 800, lang: str = "es"):
    driver = webdriver.Chrome(options=options(width, height, lang), service=Service(CHROMEDRIVER))
    try:
        # The window size counts the browser's own frame; grow it until the viewport is exactly width x height.
        driver.set_window_size(width, height)
        inner_w, inner_h = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        if (inner_w, inner_h) != (width, height):
            driver.set_window_size(2 * width - inner_w, 2 * height - inner_h)
        yield driver
    finally:
        driver.quit()


def wait_for(driver, selector: str, timeout: float = WAIT_S, visible: bool = True):
    """The first element matching ``selector``, once it is present (and visible)."""
    condition = EC.visibility_of_element_located if visible else EC.presence_of_element_located
    return WebDriverWait(driver, timeout).until(condition((By.CSS_SELECTOR, selector)),
                                                message=f"no {selector!r} after {timeout} s")


def wait_until(driver, predicate, message: str, timeout: float = WAIT_S):
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: predicate(d), message=message)


# -- signing in through the interface -------------------------------------------------------------------
SESSION_COOKIE = "ds_session"


def sign_in(driver, base_url: str, username: str, password: str, start: str = "/") -> None:
    """Open ``start`` (the sign-in page comes first when there is no session), sign in through the form and
    wait until the page named the user in its header."""
    target = base_url + start
    if driver.current_url == target:
        driver.refresh()   # get() of the URL already shown does nothing
    else:
        driver.get(target)
    fill_sign_in(driver, username, password)
    WebDriverWait(driver, WAIT_S, poll_frequency=0.2).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#user-name")
        and d.find_element(By.CSS_SELECTOR, "#user-name").text == username,
        message=f"signed in as {username}")


def fill_sign_in(driver, username: str, password: str) -> None:
    """Type the credentials into the sign-in form (waiting for it) and send them with Enter."""
    from selenium.webdriver.common.keys import Keys

    box = wait_for(driver, "#username")
    box.clear()
    box.send_keys(username)
    secret = driver.find_element(By.CSS_SELECTOR, "#password")
    secret.clear()
    secret.send_keys(password, Keys.ENTER)


def signed_in(driver) -> bool:
    return driver.get_cookie(SESSION_COOKIE) is not None


def submit_upload(driver, collection: str):
    """Send the files chosen on the upload page into ``collection``; the batch's id and its card in the list."""
    field = driver.find_element(By.CSS_SELECTOR, "#upload-collection")
    field.clear()
    field.send_keys(collection)
    driver.find_element(By.CSS_SELECTOR, "#upload-submit").click()
    batch_id = wait_until(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#upload-status").get_attribute(
        "data-batch-id"), "the upload accepted")
    return batch_id, wait_for(driver, f"li.batch[data-id='{batch_id}']")

