"""Passage vectors at ingest (``ingestion.pipeline``): written beside the pages, made again by a reprocess of
stage ``nlp`` when their model changed, and never the reason a file fails."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from ingestion.batches import BatchStore
from ingestion.pipeline import NO_VECTORS, Context, _note, process_file
from ingestion.records import FileRecord
from nlp.encoder import MODEL_NAME, get_encoder, to_int8
from tests import pdfs

PAGES = [
    "Resolución fiscal de archivo. " + " ".join(
        ["El investigado depositó el dinero en una cuenta del extranjero y lo retiró días después."] * 14),
    "Segunda página. La Fiscalía Provincial requirió prisión preventiva contra el imputado por lavado de activos.",
]


def indexed(live, tmp_path: Path, name: str) -> tuple[str, dict]:
    batch = live.wait_batch(live.upload([pdfs.text_pdf(tmp_path / name, PAGES)]))
    file = batch["files"][0]
    assert file["status"] == "indexed", file
    return f"{batch['id']}-000000", live.engine.get(live.settings.documents_alias, file["document_id"])


def again(live, ctx: Context, file_id: str, mode: str) -> FileRecord:
    """Process an indexed file again in this process, as a worker would after ``reprocess``."""
    live.engine.update(live.settings.files_alias, file_id, {"doc": {"status": "queued", "mode": mode,
                                                                    "attempts": 0}}, refresh=True)
    assert process_file(ctx, file_id, enqueue_ocr=lambda *a: None, holder="test") == "indexed"
    record = BatchStore(live.engine, live.settings).file(file_id)
    assert record is not None
    return record


class Broken:
    name, dims = "broken/0", 512

    def encode(self, texts):
        raise RuntimeError("out of memory, say")


def check_vectors(doc: dict) -> None:
    assert doc["embedding"] == {"model": MODEL_NAME, "dims": 512}
    assert {p["page"] for p in doc["passages"]} == {1, 2}
    for passage in doc["passages"]:
        text = doc["pages"][passage["page"] - 1]["text"]
        assert 0 <= passage["start"] < passage["end"] <= len(text)
        assert len(passage["vector"]) == 512 and all(-127 <= x <= 127 for x in passage["vector"])
    first = doc["passages"][0]
    text = doc["pages"][0]["text"][first["start"] : first["end"]]
    assert text.startswith("Resolución fiscal")
    expected = np.array(to_int8(get_encoder().encode([text]))[0])
    assert np.abs(np.array(first["vector"]) - expected).max() <= 1


def test_passages_index_the_page_texts(live, tmp_path: Path) -> None:
    _, doc = indexed(live, tmp_path, "vectores.pdf")
    check_vectors(doc)


def test_an_encoder_error_leaves_the_file_indexed_with_a_note_and_nlp_makes_them_again(live, tmp_path: Path) -> None:
    file_id, _ = indexed(live, tmp_path, "sin-vectores.pdf")
    ctx = Context.create(live.settings)
    try:
        record = again(live, replace(ctx, encoder=Broken), file_id, "all")
        doc = live.engine.get(live.settings.documents_alias, record.sha256)
        assert "passages" not in doc and "embedding" not in doc
        assert doc["pages"][0]["text"].startswith("Resolución fiscal")  # still found by its words
        assert record.note and record.note.startswith(NO_VECTORS) and "RuntimeError" in record.note

        # A stored model of another name (or none, as here) is made again by stage nlp; the note goes.
        record = again(live, ctx, file_id, "nlp")
        check_vectors(live.engine.get(live.settings.documents_alias, record.sha256))
        assert record.note is None

        live.engine.update(live.settings.documents_alias, record.sha256,
                           {"doc": {"embedding": {"model": "use-multilingual-v3/0.0.1", "dims": 512}}}, refresh=True)
        record = again(live, ctx, file_id, "nlp")
        check_vectors(live.engine.get(live.settings.documents_alias, record.sha256))
    finally:
        ctx.engine.close()


RENAMED = "another entry of the archive has the same name"
PROBLEM = f"{NO_VECTORS} (RuntimeError): found by its words."


@pytest.mark.parametrize(("before", "problem", "expected"), [
    pytest.param(None, None, {}, id="nothing-to-say"),
    pytest.param(None, PROBLEM, {"note": PROBLEM, "noted": True}, id="problem"),
    pytest.param(RENAMED, PROBLEM, {"note": f"{RENAMED}; {PROBLEM}", "noted": True}, id="kept-beside"),
    pytest.param(RENAMED, None, {}, id="other-note-untouched"),
    pytest.param(PROBLEM, None, {"note": None, "noted": True}, id="solved-clears"),
    pytest.param(f"{RENAMED}; {PROBLEM}", None, {"note": RENAMED, "noted": True}, id="solved-keeps-other"),
    pytest.param(PROBLEM, PROBLEM, {}, id="same-problem-again"),
])
def test_note(before: str | None, problem: str | None, expected: dict) -> None:
    record = FileRecord(id="b-000000", batch_id="b", seq=0, name="a.pdf", note=before)
    assert _note(record, problem) == expected
