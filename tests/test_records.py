"""File and batch records as types, and the state words they carry (no services)."""

from __future__ import annotations

import json
import re

import pytest

from docsearch.schema import BATCHES_MAPPING, FILES_MAPPING
from docsearch.settings import REPO_ROOT
from ingestion.errors import REASONS, WORDS, IngestError, message
from ingestion.records import BatchRecord, FileRecord
from ingestion.states import Mode, Reason, Stage, Status

# A file record as the engine holds it after a failure in the OCR stage: the words are the JSON's.
STORED = {
    "id": "b" * 32 + "-000003", "batch_id": "b" * 32, "seq": 3, "name": "archivo.zip/2019/acta.pdf",
    "status": "failed", "reason": "timeout", "message": "Processing took longer than 600 s and was stopped.",
    "sha256": "a" * 64, "size": 1234, "mode": "ocr", "stage": "ocr", "attempts": 2, "holder": "task-1",
    "ocr_pages": 4, "ocr_done": 1, "queued_at": "2024-05-01T10:00:00.000+00:00",
    "started_at": "2024-05-01T10:00:01.000+00:00", "finished_at": "2024-05-01T10:10:01.000+00:00",
    "updated_at": "2024-05-01T10:10:01.000+00:00",
}


def test_file_record_reads_and_writes_the_same_document():
    record = FileRecord.from_doc(STORED)
    assert (record.status, record.reason, record.mode, record.stage) == (
        Status.FAILED, Reason.TIMEOUT, Mode.OCR, Stage.OCR)
    assert record.final
    assert record.to_doc() == STORED
    assert json.loads(json.dumps(record.to_doc())) == STORED  # enums are written as their plain words


def test_a_new_record_is_queued_for_a_full_ingest_and_writes_no_empty_fields():
    record = FileRecord(id="x-000000", batch_id="x", seq=0, name="a.pdf")
    assert record.to_doc() == {"id": "x-000000", "batch_id": "x", "seq": 0, "name": "a.pdf", "status": "queued",
                               "mode": "full", "attempts": 0}
    record.fail(Reason.EMPTY_FILE, REASONS[Reason.EMPTY_FILE])
    assert record.to_doc()["status"] == "failed" and record.final


def test_records_hold_only_fields_of_the_index_mappings():
    record = FileRecord(id="x", batch_id="x", seq=0, name="a")
    assert set(vars(record)) == set(FILES_MAPPING["properties"])
    batch = BatchRecord("x", "2024-05-01T10:00:00.000+00:00", "default", "api", 1)
    assert set(vars(batch)) == set(BATCHES_MAPPING["properties"])
    assert BatchRecord.from_doc(batch.to_doc()) == batch


def test_every_reason_has_words_and_the_readme_table_says_exactly_them():
    assert set(REASONS) == set(WORDS) == set(Reason)
    readme = (REPO_ROOT / "README.md").read_text()
    table = readme[readme.index("| reason | meaning | what to do |"):]
    table = table[: table.index("\n\n")]
    rows = re.findall(r"^\| `([a-z_]+)` \| (.+?) \| (.+?) \|$", table, re.MULTILINE)
    assert {code: (what, next_step) for code, what, next_step in rows} == {
        reason.value: (words.what, words.next) for reason, words in WORDS.items()}


def test_every_message_says_what_to_do_next_once():
    for reason, words in WORDS.items():
        assert words.what.endswith(".") and words.next.endswith("."), reason
        assert REASONS[reason] == message(reason) == f"{words.what} {words.next}"
        specific = message(reason, "This file, in particular, failed.")
        assert specific == f"This file, in particular, failed. {words.next}"
        assert message(reason, specific) == specific  # recorded twice, advised once


def test_an_ingest_error_carries_a_known_reason():
    assert IngestError("not_pdf", "x").reason is Reason.NOT_PDF
    with pytest.raises(ValueError):
        IngestError("no_such_reason", "x")
