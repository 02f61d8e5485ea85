"""Time limits and repeated crashes: a file that takes too long, or kills its worker again and again,
ends ``failed`` with a reason, and the rest of its batch is indexed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.batches import MAX_ATTEMPTS, BatchStore
from ingestion.pipeline import Context, process_file
from services.stack import Private
from tests import pdfs
from tests.conftest import private_stack

LINE = "Acta fiscal de registro domiciliario e incautación de bienes en el distrito de La Victoria."


@pytest.fixture(scope="module")
def strict(services, tmp_path_factory):
    """A stack whose tasks may run 2 s (soft) / 6 s (hard): OCR of four pages takes longer. Its worker has
    loaded its language models before (a worker's first file also pays for loading them, about 2 s here)."""
    folder = tmp_path_factory.mktemp("limits")
    with private_stack(services, folder, task_soft_time_limit_s=2, task_time_limit_s=6,
                       worker_concurrency=1, ocr_concurrency=1) as running:
        for attempt in range(3):  # the first file may time out while the models load; then they are loaded
            warm = pdfs.text_pdf(folder / f"calentar-{attempt}.pdf", [f"Oficio de prueba número {attempt}."])
            if running.wait_batch(running.upload([warm]), timeout=120)["counts"].get("indexed"):
                break
        yield running


def test_a_file_over_the_time_limit_fails_with_timeout_and_the_rest_is_indexed(strict: Private, tmp_path: Path):
    full_page = "\n".join([LINE] * 30)
    slow = pdfs.scanned_pages_pdf(tmp_path / "lento.pdf", [full_page] * 4, dpi=300)  # seconds of OCR per page
    quick = pdfs.text_pdf(tmp_path / "rapido.pdf", ["Resolución de archivo de la investigación preliminar."])
    batch = strict.wait_batch(strict.upload([slow, quick]), timeout=120)
    by_name = {f["name"]: f for f in batch["files"]}
    assert by_name["lento.pdf"]["status"] == "failed"
    assert by_name["lento.pdf"]["reason"] == "timeout"
    assert "2 s" in by_name["lento.pdf"]["message"]
    assert by_name["rapido.pdf"]["status"] == "indexed", by_name["rapido.pdf"]


def test_a_file_whose_worker_died_three_times_ends_interrupted(live, tmp_path: Path):
    """Each delivery after a crash counts as an attempt; the third crash is the last."""
    pdf = pdfs.text_pdf(tmp_path / "venenoso.pdf", ["Documento que, en este supuesto, mata a su worker."])
    batch = live.wait_batch(live.upload([pdf]))
    file_id = f"{batch['id']}-000000"
    ctx = Context.create(live.settings)
    store = BatchStore(live.engine, live.settings)
    # The state a record is left in when its worker was killed MAX_ATTEMPTS times: processing, lease run out.
    live.engine.update(live.settings.files_alias, file_id, {"doc": {
        "status": "processing", "attempts": MAX_ATTEMPTS, "lease_until": "2000-01-01T00:00:00+00:00",
        "holder": "a-dead-message"}}, refresh=True)
    assert process_file(ctx, file_id, enqueue_ocr=lambda *a: None, holder="another-message") == "failed"
    record = store.file(file_id)
    assert record.status == "failed" and record.reason == "interrupted"
    assert "three times" in record.message
    ctx.engine.close()


def test_a_second_delivery_does_not_process_a_file_being_processed(live, tmp_path: Path):
    pdf = pdfs.text_pdf(tmp_path / "doble.pdf", ["Oficio remitido a la Unidad de Inteligencia Financiera."])
    batch = live.wait_batch(live.upload([pdf]))
    file_id = f"{batch['id']}-000000"
    store = BatchStore(live.engine, live.settings)
    live.engine.update(live.settings.files_alias, file_id, {"doc": {"status": "queued", "attempts": 0}}, refresh=True)
    first = store.claim(file_id, lease_s=60, holder="message-1")
    assert first.record is not None and first.record.attempts == 1
    assert store.claim(file_id, lease_s=60, holder="message-2").why_not == "held"
    again = store.claim(file_id, lease_s=60, holder="message-1")  # the same message, retried after an outage
    assert again.record is not None and again.record.attempts == 1
