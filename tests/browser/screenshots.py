"""Screenshots of the web interface for the README, taken in headless Chromium.

Runs a private stack beside the shared engine and Redis (own indices, Redis
database, workers and API), loads the sample corpus into it through the API,
signs in through the sign-in page as the stack's administrator, and saves PNGs
(1280x800) of the sign-in page, the search page with facets (and at a phone's 390x844), a document view,
an upload in progress and the administration's users, collections and audit
pages under ``docs/screenshots/``::

    .venv/bin/python -m tests.browser.screenshots            # writes docs/screenshots/*.png
    .venv/bin/python -m tests.browser.screenshots --serve    # only keep the stack running, print its URL

The shared services must be up (``docsearch services up --only engine,redis``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import signal
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from docsearch.settings import REPO_ROOT, Settings
from samples import corpus as sample_corpus
from services import stack

# Own indices and Redis database; DOCSEARCH_TEST_PREFIX / DOCSEARCH_TEST_REDIS_DB move them, as for the tests.
SCREENSHOT_PREFIX = os.environ.get("DOCSEARCH_TEST_PREFIX", "ds") + "shots"
SCREENSHOT_REDIS_DB = int(os.environ.get("DOCSEARCH_TEST_REDIS_DB", "13"))
OUT_DIR = REPO_ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 800
PHONE = (390, 844)


@contextlib.contextmanager
def sample_stack():
    """A private stack with the sample corpus loaded, and a few users and grants; yields the stack."""
    base = Settings()
    stack.engine_up(base)
    stack.redis_up(base, stack.Paths.of(base))
    with tempfile.TemporaryDirectory(prefix="docsearch-shots-") as tmp, \
            stack.private(base, Path(tmp), prefix=SCREENSHOT_PREFIX, redis_db=SCREENSHOT_REDIS_DB, timeout=120,
                          worker_concurrency=2) as running:
        pdfs = sample_corpus.generate(Path(tmp) / "sample")
        running.wait_batch(running.upload(pdfs, collection="muestra"), 300, poll=0.5, limit=0)
        people(running)
        yield running


def people(running) -> None:
    """Users, groups and grants for the administration's pages, made through the API."""
    with running.client() as api:
        for name, role, groups in (("ana.quispe", "prosecutor", ["fiscalia-lima"]), ("jorge.ramos", "judge", []),
                                   ("lucia.flores", "analyst", ["fiscalia-lima", "uif"]), ("pedro.soto", "viewer", [])):
            api.post("/api/users", json={"username": name, "password": "clave-de-muestra-2024", "role": role,
                                         "groups": groups}).raise_for_status()
        api.put("/api/collections/muestra", json={"default_classification": "reserved", "grants": [
            {"principal": "group:fiscalia-lima", "rights": ["read", "write"]},
            {"principal": "user:ana.quispe", "rights": ["read", "write", "manage"]},
            {"principal": "user:jorge.ramos", "rights": ["read"]}]}).raise_for_status()
        api.put("/api/collections/archivo 2024", json={"default_classification": "sealed", "grants": [
            {"principal": "user:ana.quispe", "rights": ["read", "manage"]}]}).raise_for_status()


def sample_zip(count: int = 40, pages: int = 10) -> bytes:
    """A ZIP of ``count`` reports of ``pages`` long pages (real PDFs made with reportlab) and two broken
    files, so that the load takes a while and shows failures with their reasons."""
    from tests import pdfs

    paragraph = ("Informe policial sobre la incautación de insumos químicos fiscalizados en el puerto del Callao. "
                 "La DIRANDRO levantó el acta de decomiso en presencia del fiscal provincial; se identificó a los "
                 "responsables de la empresa de fachada y se solicitó el levantamiento del secreto bancario. ")
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w") as archive:
        archive.write(pdfs.truncated_pdf(Path(tmp) / "acta-cortada.pdf"), "carga-2024/acta-cortada.pdf")
        archive.write(pdfs.not_a_pdf(Path(tmp) / "foto.pdf"), "carga-2024/foto.pdf")
        for i in range(count):
            texts = [f"Informe {i + 1}, página {p + 1}. " + paragraph * 6 for p in range(pages)]
            path = pdfs.text_pdf(Path(tmp) / f"informe-{i:02d}.pdf", texts)
            archive.write(path, f"carga-2024/informe-{i:02d}.pdf")
    return buffer.getvalue()


def take(running, out_dir: Path) -> list[Path]:
    from tests.browser.driver import chromium, fill_sign_in, wait_for, wait_until

    url = running.url
    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    with chromium(WIDTH, HEIGHT) as driver:
        driver.get(url + "/?q=lavado+de+activos")      # no session yet: the sign-in page, which comes back here
        wait_for(driver, "#sign-in-form")
        wait_until(driver, lambda d: d.execute_script("return document.activeElement.id") == "username", "focus")
        driver.find_element("css selector", "#username").send_keys(running.admin_user)
        saved.append(_shot(driver, out_dir / "sign-in.png"))
        fill_sign_in(driver, running.admin_user, running.admin_password)
        wait_for(driver, "#results li.result")
        wait_for(driver, "#facets .facet input[type=checkbox]")
        saved.append(_shot(driver, out_dir / "search.png"))

        # The same search on a phone: the filters fold into a sheet behind their button.
        _viewport(driver, *PHONE)
        try:
            driver.refresh()
            wait_for(driver, "#results li.result")
            driver.execute_script("document.activeElement.blur(); scrollTo(0, 0)")
            saved.append(_shot(driver, out_dir / "search-phone.png"))
        finally:
            _viewport(driver, WIDTH, HEIGHT)

        # A document opened at a hit, one step on: the reading view with its title in sight, the text in
        # paragraphs and the counter over the whole document.
        wait_for(driver, "#results li.result a.page-link")
        first = driver.find_element("css selector", "#results li.result a.page-link")
        first.click()
        wait_for(driver, "#doc-text mark.current")
        wait_until(driver, lambda d: d.find_element("css selector", "#hit-count").text.startswith("Coincidencia "),
                   "the hits counted over the document")
        before = driver.find_element("css selector", "#hit-count").text
        driver.find_element("css selector", "#hit-next").click()
        wait_until(driver, lambda d: d.find_element("css selector", "#hit-count").text != before
                   or "No hay más" in d.find_element("css selector", "#doc-status").text, "one hit on")
        wait_for(driver, "#doc-text mark.current")
        driver.execute_script("document.activeElement.blur()")
        saved.append(_shot(driver, out_dir / "document.png"))

        driver.get(url + "/#/admin")
        wait_for(driver, "#upload-input", visible=False)
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "carga-2024.zip"
            archive.write_bytes(sample_zip())
            driver.find_element("css selector", "#upload-input").send_keys(str(archive))
            collection = driver.find_element("css selector", "#upload-collection")
            collection.clear()
            collection.send_keys("archivo 2024")
            driver.find_element("css selector", "#upload-submit").click()
            batch = wait_until(driver, lambda d: d.find_element("css selector", "#upload-status")
                               .get_attribute("data-batch-id"), "the upload accepted")
            selector = f"#batches .batch[data-id='{batch}']"
            wait_for(driver, selector + " progress")
            # Catch the load while it runs, best once a broken file has failed; a finished one will do.
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                card = driver.find_element("css selector", selector)
                state = card.get_attribute("data-state")
                if state == "done" or (state == "running" and int(card.get_attribute("data-failed") or 0) > 0):
                    break
                time.sleep(0.2)
            buttons = driver.find_elements("css selector", selector + " .show-failures")
            if buttons:
                buttons[0].click()
                wait_for(driver, selector + " .failure-table")
            saved.append(_shot(driver, out_dir / "upload.png"))

        for name, ready in (("users", "#users-table tbody tr"), ("collections", "#collections li.card"),
                            ("audit", "#audit-table tbody tr")):
            driver.get(url + f"/#/admin/{name}")
            wait_for(driver, ready)
            driver.execute_script("document.activeElement.blur()")
            saved.append(_shot(driver, out_dir / f"{name}.png"))
    return saved


def _viewport(driver, width: int, height: int) -> None:
    """The page's viewport exactly ``width`` x ``height`` (the window's size counts the browser's frame)."""
    driver.set_window_size(width, height)
    inner_w, inner_h = driver.execute_script("return [window.innerWidth, window.innerHeight]")
    if (inner_w, inner_h) != (width, height):
        driver.set_window_size(2 * width - inner_w, 2 * height - inner_h)


def _shot(driver, path: Path) -> Path:
    driver.save_screenshot(str(path))
    return path


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="keep the stack running (Ctrl-C stops it)")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    # A background job ignores SIGINT: stop on SIGTERM too, through the same clean-up.
    signal.signal(signal.SIGTERM, _interrupt)
    with sample_stack() as running:
        if args.serve:
            print(f"serving the sample corpus at {running.url}/ (sign in as {running.admin_user}, "
                  f"password {running.admin_password})", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
            return 0
        for path in take(running, args.out):
            print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
