"""The working tools in the web interface (headless Chromium, the real test stack): a case folder built from search
results ("Añadir a carpeta", a new folder then an existing one) and from the document view (with its star, tags
and notes), listed on #/folders and exported as a spreadsheet and a ZIP of the originals, both downloaded; and a
batch search of 20 names pasted in, each line's count shown and the CSV downloaded."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests import pdfs
from tests.browser.driver import wait_for, wait_until
from tests.browser.test_ui import FILLER, css, result_count
from tests.browser.test_watches import no_console_errors, text

NAMES = 20


@pytest.fixture(scope="module")
def archive(live, tmp_path_factory):
    """Three acts with a made-up word; the first names people 0-4, the second people 0-2 and 10 (of 20 names)."""
    folder = tmp_path_factory.mktemp("workspace-ui")
    tag = uuid.uuid4().hex[:6]
    word = "legajillo" + tag
    names = [f"Persona{n}{tag} Apellido{n}{tag}" for n in range(NAMES)]
    named = {"uno": names[0:5], "dos": names[0:3] + [names[10]], "tres": []}
    made = [pdfs.text_pdf(folder / f"{key}.pdf", [f"{FILLER} Acta {key} sobre {word}. Declararon: {', '.join(people)}.",
                                                   f"{FILLER} Segunda página del acta {key}."], title=f"Acta {key} {tag}")
            for key, people in named.items()]
    batch = live.wait_batch(live.upload(made, collection=f"carpetas-{tag}"))
    assert batch["counts"]["indexed"] == 3, batch
    ids = {f["name"].removesuffix(".pdf"): f["document_id"] for f in batch["files"]}
    return {"tag": tag, "word": word, "names": names, "ids": ids}


@pytest.fixture()
def downloads(page, tmp_path):
    """Files the browser downloads land in a folder of this test's."""
    target = tmp_path / "downloads"
    target.mkdir()
    try:
        page.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(target)})
    except Exception:  # older Chromium: the page's own command
        page.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(target)})
    return target


def downloaded(folder: Path, pattern: str, timeout: float = 30) -> bytes:
    """The bytes of the file downloaded into ``folder`` whose name matches ``pattern``, once it is complete."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(pattern) if p.stat().st_size]
        if done and not list(folder.glob("*.crdownload")):
            return done[0].read_bytes()
        time.sleep(0.2)
    raise AssertionError(f"{pattern} not downloaded: {sorted(p.name for p in folder.iterdir())}")


def add_to_folder(driver, root: str, folder: str, note: str = "", new: bool = False) -> None:
    """Open the "Añadir a carpeta" control under ``root``, choose (or make) ``folder`` and add."""
    driver.find_element(By.CSS_SELECTOR, f"{root} .add-folder-button").click()
    select = wait_for(driver, f"{root} .add-folder-select")
    wait_until(driver, lambda d: css(d, f"{root} .add-folder-select option"), "the folders listed")
    if new:
        Select(select).select_by_value("")
        wait_for(driver, f"{root} .add-folder-name").send_keys(folder)
    else:
        Select(select).select_by_visible_text(folder)
    if note:
        driver.find_element(By.CSS_SELECTOR, f"{root} .add-folder-note").send_keys(note)
    driver.find_element(By.CSS_SELECTOR, f"{root} .add-folder-submit").click()
    wait_until(driver, lambda d: folder in text(d, f"{root} .add-folder-status"), f"added to {folder}")


def test_a_folder_built_from_results_and_the_document_view_then_exported(page, live, admin_api, archive, downloads):
    ids, tag = archive["ids"], archive["tag"]
    name = f"Caso legajos {tag}"
    page.get(live.url + f"/#/search?q={archive['word']}&mode=lexical")
    wait_until(page, lambda d: result_count(d) == 3, "three results")
    first, second = (f"#results li.result[data-id='{ids[key]}']" for key in ("uno", "dos"))
    add_to_folder(page, first, name, new=True)
    add_to_folder(page, second, name, note="Declaración de testigos")
    # a star from the results
    star = page.find_element(By.CSS_SELECTOR, f"{first} .star")
    assert star.get_attribute("aria-pressed") == "false"
    star.click()
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, f"{first} .star").get_attribute("aria-pressed") == "true",
               "starred")
    assert ids["uno"] in {m["document_id"] for m in admin_api.get("/api/marks", params={"starred": "true"}).json()}

    # the document view: into the folder with a note, tags, a note on the document and one on its page 2
    page.get(live.url + f"/#/doc/{ids['tres']}?page=2")
    wait_for(page, "#doc-marks")
    add_to_folder(page, "#doc-marks", name, note="Acta sin declarantes")
    tags = page.find_element(By.CSS_SELECTOR, "#marks-tags")
    tags.send_keys("clave, revisar")
    page.find_element(By.CSS_SELECTOR, "#marks-note").send_keys("Pedir copia certificada.")
    page.find_element(By.CSS_SELECTOR, "#marks-save").click()
    wait_until(page, lambda d: text(d, "#marks-status") == "Guardado.", "saved")
    assert "2" in text(page, "label[for='marks-page-note']")
    page.find_element(By.CSS_SELECTOR, "#marks-page-note").send_keys("Firma ilegible.")
    page.find_element(By.CSS_SELECTOR, "#marks-page-save").click()
    wait_until(page, lambda d: "Firma ilegible." in text(d, "#marks-pages"), "the page's note listed")
    marks = {m["page"]: m for m in admin_api.get(f"/api/marks/{ids['tres']}").json()}
    assert marks[None]["tags"] == ["clave", "revisar"] and marks[None]["note"] == "Pedir copia certificada."
    assert marks[2]["note"] == "Firma ilegible."

    # #/folders: the folder with its three documents, the tag listed
    page.find_element(By.CSS_SELECTOR, "#nav-folders").click()
    folder = next(f for f in admin_api.get("/api/folders").json() if f["name"] == name)
    card = f"#folder-list li[data-id='{folder['id']}']"
    wait_until(page, lambda d: "3 documentos" in text(d, card), "the folder listed with its count")
    assert "clave" in text(page, "#tag-list")
    page.find_element(By.CSS_SELECTOR, f"{card} a").click()
    wait_until(page, lambda d: len(css(d, "#folder-items li.folder-item")) == 3, "its three documents")
    assert text(page, "#folders-heading") == name
    assert any(box.get_attribute("value") == "Declaración de testigos" for box in css(page, "#folder-items textarea"))

    # exported: the spreadsheet and the originals, downloaded from the folder's links
    page.find_element(By.CSS_SELECTOR, "#folder-csv").click()
    body = downloaded(downloads, "*.csv")
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {r["id"] for r in rows} == set(ids.values())
    assert {r["note"] for r in rows} >= {"Declaración de testigos", "Acta sin declarantes"}
    page.find_element(By.CSS_SELECTOR, "#folder-zip").click()
    with zipfile.ZipFile(io.BytesIO(downloaded(downloads, "*.zip"))) as archive_zip:
        manifest = json.loads(archive_zip.read("manifest.json"))
    assert {row["id"] for row in manifest["documents"]} == set(ids.values())
    no_console_errors(page)


def test_a_batch_search_of_twenty_names_shows_each_count_and_offers_the_csv(page, live, archive, downloads):
    names = archive["names"]
    page.get(live.url + "/#/batch-search")
    box = wait_for(page, "#batch-text")
    assert page.find_element(By.CSS_SELECTOR, "#nav-batch").get_attribute("aria-current") == "page"
    box.send_keys("\n".join(names))
    page.find_element(By.CSS_SELECTOR, "#batch-submit").click()
    wait_until(page, lambda d: len(css(d, "#batch-table tbody tr")) == NAMES, "twenty rows")
    expected = {n: (2 if n < 3 else 1 if n in (3, 4, 10) else 0) for n in range(NAMES)}
    shown = {int(row.get_attribute("data-line")) - 1: row.find_element(By.CSS_SELECTOR, ".batch-total").text
             for row in css(page, "#batch-table tbody tr")}
    assert shown == {n: str(count) for n, count in expected.items()}
    assert "20 líneas buscadas, 6 con documentos" in text(page, "#batch-status")
    first = css(page, "#batch-table tbody tr")[0]
    assert {a.text for a in first.find_elements(By.CSS_SELECTOR, "a")} == {f"Acta uno {archive['tag']}",
                                                                           f"Acta dos {archive['tag']}"}
    page.find_element(By.CSS_SELECTOR, "#batch-csv").click()
    rows = list(csv.DictReader(io.StringIO(downloaded(downloads, "*.csv").decode("utf-8-sig"))))
    assert [r["line"] for r in rows] == names
    assert [r["documents"] for r in rows] == [str(expected[n]) for n in range(NAMES)]
    no_console_errors(page)
