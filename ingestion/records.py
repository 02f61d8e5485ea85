"""The durable records of ingestion as types: one per file given to us, one per batch.

They are stored in the engine as the documents of ``docsearch.schema`` (FILES_MAPPING,
BATCHES_MAPPING): :meth:`to_doc` writes exactly those fields, leaving out the empty ones (an
absent field and a null one read the same), and :meth:`from_doc` reads them back, with the state
words as :mod:`ingestion.states` enums.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from ingestion import errors
from ingestion.states import FINAL, Mode, Reason, Stage, Status


@dataclass
class FileRecord:
    """One file of a batch, ``<batch_id>-<seq>``; ends ``indexed``, ``duplicate`` or ``failed`` with a reason."""

    id: str
    batch_id: str
    seq: int
    name: str  # as given, with the path inside an archive: "archivo.zip/2019/a.pdf"
    status: Status = Status.QUEUED
    reason: Reason | None = None
    message: str | None = None  # what happened, in words
    note: str | None = None  # worth knowing, not a failure (a renamed archive entry)
    sha256: str | None = None  # None when the bytes were never stored
    size: int | None = None
    document_id: str | None = None
    pages: int | None = None
    mode: Mode = Mode.FULL
    stage: Stage | None = None
    attempts: int = 0
    holder: str | None = None  # the Celery task id that holds the lease
    lease_until: str | None = None
    ocr_pages: int | None = None
    ocr_done: int | None = None
    queued_at: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    updated_at: str | None = None
    uploader: str | None = None  # the user who loaded it (counted against their daily quota)
    doc_type: str | None = None  # the type the uploader gave this file (or the archive it came in); wins over the batch's

    @property
    def final(self) -> bool:
        return self.status in FINAL

    def __getitem__(self, key: str):
        # Transitional: tests/test_limits.py still reads record["status"]; remove once it reads attributes.
        return getattr(self, key)

    def fail(self, reason: Reason, message: str) -> None:
        """Failed for ``reason``: the message says what happened to this file, then what to do next
        (``errors.message``; every way a file can fail ends here, so none misses its next step)."""
        self.status, self.reason, self.message = Status.FAILED, reason, errors.message(reason, message)

    def to_doc(self) -> dict:
        return _doc(self)

    @classmethod
    def from_doc(cls, doc: dict) -> "FileRecord":
        values = _known(cls, doc)
        values["status"] = Status(values["status"])
        values["mode"] = Mode(values.get("mode") or Mode.FULL)
        for key, kind in (("reason", Reason), ("stage", Stage)):
            if values.get(key) is not None:
                values[key] = kind(values[key])
        return cls(**values)


@dataclass
class BatchRecord:
    """One load: an upload, a CLI call, a server-side import. Its files are counted, not listed, here."""

    id: str
    created_at: str
    collection: str
    origin: str  # api, cli, import (or bench)
    file_count: int
    doc_type: str | None = None  # as the uploader gave it; wins over the inferred one
    uploader: str | None = None  # the user who loaded it (None: local tooling)
    name: str | None = None  # what a person calls the load: its first file or folder, "archivo/2019 (+41)"

    def to_doc(self) -> dict:
        return _doc(self)

    @classmethod
    def from_doc(cls, doc: dict) -> "BatchRecord":
        return cls(**_known(cls, doc))


def _doc(record) -> dict:
    # StrEnum members are str: json and orjson write them as their plain words.
    return {key: value for key, value in asdict(record).items() if value is not None}


def _known(cls, doc: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in doc.items() if key in names}
