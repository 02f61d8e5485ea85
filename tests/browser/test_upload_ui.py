"""The upload page on the real stack: a file of another kind refused before sending, a document type per file, a
load called by its first file, a failure said in words with what to do next, and a retry answered at once."""

from __future__ import annotations

import json
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

from tests import pdfs
from tests.browser.driver import submit_upload, wait_for, wait_until
from tests.browser.test_accessibility import axe

TEXT = ["Sentencia de la Sala Penal sobre lavado de activos en el puerto del Callao.",
        "Se valoraron las pruebas del operativo y la declaración del colaborador eficaz."]


def text(driver, selector: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, selector).text


def test_a_docx_is_refused_at_once_and_each_file_sent_with_its_own_type(page, live, tmp_path):
    word = "ambar" + uuid.uuid4().hex[:6]
    docx = pdfs.zip_of(tmp_path / "informe.docx", [("[Content_Types].xml", b"<Types/>"),
                                                  ("word/document.xml", b"<w:document/>")])
    first = pdfs.text_pdf(tmp_path / "primero.pdf", [f"Auto de apertura {word}. " + TEXT[0]])
    second = pdfs.text_pdf(tmp_path / "segundo.pdf", [f"Sentencia {word}. " + TEXT[1]])
    collection = "ui-tipos-" + uuid.uuid4().hex[:6]

    page.get(live.url + "/#/admin")
    wait_for(page, "#admin-heading")
    page.find_element(By.CSS_SELECTOR, "#upload-input").send_keys("\n".join(map(str, (docx, first, second))))
    refused = wait_for(page, "#upload-chosen li.refused")
    assert refused.get_attribute("data-name") == "informe.docx"
    assert "No es un PDF ni un ZIP" in refused.text and "Conviértalo a PDF" in refused.text
    assert "2 archivos elegidos" in text(page, "#upload-chosen")
    assert "1 archivo rechazado; no se enviará" in text(page, "#upload-chosen")
    rows = page.find_elements(By.CSS_SELECTOR, "#upload-files tbody tr")
    assert [r.find_element(By.CSS_SELECTOR, "td.file").text for r in rows] == ["primero.pdf", "segundo.pdf"]

    # The form's type is a default each file shows; one file takes another.
    Select(page.find_element(By.CSS_SELECTOR, "#upload-doctype")).select_by_value("sentencia")
    boxes = page.find_elements(By.CSS_SELECTOR, "#upload-files select.file-type")
    assert [Select(b).first_selected_option.text for b in boxes] == ["Por defecto (sentencia)"] * 2
    Select(boxes[0]).select_by_value("auto")
    assert not axe(page)  # the list of files with their type boxes, and the refused file, read well

    batch_id, card = submit_upload(page, collection)
    assert card.find_element(By.CSS_SELECTOR, ".batch-name").text == "primero.pdf (+1)"
    assert f"id {batch_id[:8]}" in card.find_element(By.CSS_SELECTOR, ".batch-meta").text
    batch = live.wait_batch(batch_id)
    assert batch["total"] == 2  # the .docx never left the browser
    assert {f["name"]: f["doc_type"] for f in batch["files"]} == {"primero.pdf": "auto", "segundo.pdf": "sentencia"}
    assert not page.find_elements(By.CSS_SELECTOR, "#upload-chosen li.refused")


def test_a_failure_is_said_in_words_and_a_retry_answers_at_once(page, live, tmp_path):
    good = pdfs.text_pdf(tmp_path / "bueno.pdf", ["Acuerdo plenario sobre la prueba indiciaria. " + TEXT[1]])
    image = pdfs.not_a_pdf(tmp_path / "foto.pdf")
    archive = pdfs.zip_of(tmp_path / f"expedientes-{uuid.uuid4().hex[:6]}.zip",
                          [("2019/bueno.pdf", good.read_bytes()), ("2019/foto.pdf", image.read_bytes())])
    batch = live.wait_batch(live.upload([archive]))
    assert batch["reasons"] == {"not_pdf": 1}, batch

    page.get(live.url + "/#/admin")
    card = wait_for(page, f"li.batch[data-id='{batch['id']}']")
    assert card.find_element(By.CSS_SELECTOR, ".batch-name").text == archive.name
    card.find_element(By.CSS_SELECTOR, ".show-failures").click()
    reason = wait_for(page, f"li.batch[data-id='{batch['id']}'] .failures td.reason")
    assert reason.text == "No es un PDF. Conviértalo a PDF y vuelva a subirlo."
    assert reason.get_attribute("data-reason") == "not_pdf"
    assert "not_pdf" not in card.find_element(By.CSS_SELECTOR, ".failures").text

    # Pressed: said at once, the button off, before the server has answered.
    said, disabled, busy = page.execute_script(
        "const card = document.querySelector(`li.batch[data-id='${arguments[0]}']`);"
        "const button = card.querySelector('button.retry'); button.click();"
        "return [card.querySelector('.batch-status').textContent, button.disabled, button.getAttribute('aria-busy')];",
        batch["id"])
    assert (said, disabled, busy) == ("Reintentando…", True, "true")
    wait_until(page, lambda d: "Ningún archivo se puede reintentar" in
               d.find_element(By.CSS_SELECTOR, f"li.batch[data-id='{batch['id']}'] .batch-status").text,
               "the server's answer: nothing to retry (a file that is not a PDF fails the same way)")
    assert page.find_element(By.CSS_SELECTOR, f"li.batch[data-id='{batch['id']}'] button.retry").is_enabled()

    # The same reason in English.
    page.find_element(By.CSS_SELECTOR, "#lang-switch").click()
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, "html").get_attribute("lang") == "en", "English")
    wait_for(page, f"li.batch[data-id='{batch['id']}'] .show-failures").click()
    reason = wait_for(page, f"li.batch[data-id='{batch['id']}'] .failures td.reason")
    assert reason.text == "It is not a PDF. Convert it to PDF and upload it again."
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], json.dumps(errors)


def test_a_load_waiting_for_a_worker_says_so_with_its_place_and_no_time_left(page, live, tmp_path):
    ahead = [(f"antes-{i}.pdf", pdfs.text_pdf(tmp_path / f"a{i}.pdf", [f"Expediente {i}. " + TEXT[0]]).read_bytes())
             for i in range(2)]
    mine = pdfs.text_pdf(tmp_path / "espera.pdf", ["Expediente que espera a un trabajador. " + TEXT[1]])
    live.down("worker")
    try:
        live.upload(ahead)
        batch_id = live.upload([mine])
        live.engine.refresh(live.settings.batches_alias)  # the list of loads is a search: made visible now
        live.engine.refresh(live.settings.files_alias)
        page.get(live.url + "/#/admin")
        progress = wait_for(page, f"li.batch[data-id='{batch_id}'] .batch-progress")
        wait_until(page, lambda d: "Esperando un trabajador: puesto" in progress.text, "its place in the queue")
        said, position = progress.text, progress.get_attribute("data-position")
        card = page.find_element(By.CSS_SELECTOR, f"li.batch[data-id='{batch_id}']")
        assert card.find_element(By.CSS_SELECTOR, ".batch-name").text == "espera.pdf"
        assert "en cola" in card.find_element(By.CSS_SELECTOR, ".state").text
    finally:
        live.up("worker")
    assert int(position) >= 2, said
    assert "cargas delante" in said or "carga delante" in said
    assert "quedan" not in said and "págs./s" not in said and "tiempo:" not in said
    wait_until(page, lambda d: d.find_element(By.CSS_SELECTOR, f"li.batch[data-id='{batch_id}']")
               .get_attribute("data-state") == "done", "the load done once a worker is back", timeout=240)
    assert "Esperando" not in page.find_element(By.CSS_SELECTOR, f"li.batch[data-id='{batch_id}'] .batch-progress").text
