"""Screenshots of the web interface for the README, taken in headless Chromium.

Runs a private stack beside the shared engine and Redis (own indices, Redis
database, workers and API), loads the sample corpus into it through the API,
and saves PNGs (1280x800) of the search page with facets, a document view and
an upload in progress under ``docs/screenshots/``::

    .venv/bin/python -m tests.browser.screenshots            # writes docs/screenshots/*.png
    .venv/bin/python -m tests.browser.screenshots --serve    # only keep the stack running, print its URL

The shared services must be up (``docsearch services up --only engine,redis``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import signal
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import httpx

from docsearch import sample_corpus
from docsearch.engine import Engine
from docsearch.schema import drop_indices, ensure_indices
from docsearch.services import stack
from docsearch.settings import REPO_ROOT, Settings

SCREENSHOT_REDIS_DB = 13
OUT_DIR = REPO_ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 800


@contextlib.contextmanager
def sample_stack():
    """A private stack with the sample corpus loaded; yields its base URL."""
    base = Settings()
    stack.engine_up(base)
    stack.redis_up(base, stack.Paths.of(base))
    with tempfile.TemporaryDirectory(prefix="docsearch-shots-") as tmp:
        data = Path(tmp)
        settings = stack.private_settings(base, data, prefix="dsshots", redis_db=SCREENSHOT_REDIS_DB,
                                          worker_concurrency=2)
        engine = Engine.connect(settings)
        ensure_indices(engine, settings)
        paths = stack.Paths(data / "run", data / "logs")
        try:
            stack.workers_up(settings, paths, name=f"shots-{settings.index_prefix}")
            stack.api_up(settings, paths)
            url = stack.api_url(settings)
            pdfs = sample_corpus.generate(data / "sample")
            batch = upload(url, [(p.name, p.read_bytes()) for p in pdfs], collection="muestra")
            wait_batch(url, batch)
            engine.refresh(settings.documents_alias)
            yield url
        finally:
            stack.down(settings, ("api", "worker"), paths)
            drop_indices(engine, settings)
            engine.close()


def upload(url: str, files: list[tuple[str, bytes]], **form) -> str:
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    resp = httpx.post(url + "/api/documents", files=parts, data=form, timeout=120)
    resp.raise_for_status()
    return resp.json()["batch_id"]


def wait_batch(url: str, batch_id: str, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = httpx.get(f"{url}/api/batches/{batch_id}?limit=0", timeout=30).json()
        if body["state"] == "done":
            return body
        if time.monotonic() > deadline:
            raise RuntimeError(f"batch {batch_id} not done after {timeout} s: {body}")
        time.sleep(0.5)


def sample_zip(count: int = 12) -> bytes:
    """A ZIP of ``count`` eight-page reports (real PDFs made with reportlab), in a folder."""
    from tests import pdfs

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w") as archive:
        for i in range(count):
            pages = [f"Informe policial {i + 1}, página {p + 1}. Incautación de insumos químicos fiscalizados "
                     f"en el puerto del Callao; la DIRANDRO levantó el acta de decomiso." for p in range(8)]
            path = pdfs.text_pdf(Path(tmp) / f"informe-{i:02d}.pdf", pages)
            archive.write(path, f"carga-2024/informe-{i:02d}.pdf")
    return buffer.getvalue()


def take(url: str, out_dir: Path) -> list[Path]:
    from tests.browser.driver import chromium, wait_for

    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    with chromium(WIDTH, HEIGHT) as driver:
        driver.get(url + "/?q=lavado+de+activos")
        wait_for(driver, "#results li.result")
        wait_for(driver, "#facets .facet input[type=checkbox]")
        saved.append(_shot(driver, out_dir / "search.png"))

        first = driver.find_element("css selector", "#results li.result a.page-link")
        first.click()
        wait_for(driver, "#doc-text mark")
        saved.append(_shot(driver, out_dir / "document.png"))

        driver.get(url + "/#/admin")
        wait_for(driver, "#upload-input")
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "carga-2024.zip"
            archive.write_bytes(sample_zip())
            driver.find_element("css selector", "#upload-input").send_keys(str(archive))
            driver.find_element("css selector", "#upload-submit").click()
            wait_for(driver, "#batches .batch progress")
            # Catch the load while it runs; a finished one is still a fair picture.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                state = driver.find_element("css selector", "#batches .batch").get_attribute("data-state")
                done = driver.find_element("css selector", "#batches .batch progress").get_attribute("value")
                if state == "running" and float(done or 0) > 0:
                    break
                time.sleep(0.2)
            saved.append(_shot(driver, out_dir / "upload.png"))
    return saved


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
    with sample_stack() as url:
        if args.serve:
            print(f"serving the sample corpus at {url}/", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
            return 0
        for path in take(url, args.out):
            print(path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
