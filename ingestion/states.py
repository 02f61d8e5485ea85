"""Every state word of ingestion, once: what the records in the engine and the batch API say.

``StrEnum`` members are the strings themselves (``Status.FAILED == "failed"``), so the JSON in the
engine and in the API is the same words as before, and a record read back compares equal.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where one file is. Every file ends in one of ``FINAL``."""

    QUEUED = "queued"
    PROCESSING = "processing"
    INDEXED = "indexed"
    DUPLICATE = "duplicate"
    FAILED = "failed"


FINAL = (Status.INDEXED, Status.DUPLICATE, Status.FAILED)
PENDING = (Status.QUEUED, Status.PROCESSING)


class BatchState(StrEnum):
    QUEUED = "queued"  # no file started yet
    RUNNING = "running"
    DONE = "done"  # every file is final


class Mode(StrEnum):
    """How much of the work a queued file gets: a first ingest, or a re-processing of an indexed one."""

    FULL = "full"  # first ingest (and retry of a failed file)
    ALL = "all"  # extract, OCR and tag again
    OCR = "ocr"  # the same, for files that had OCR'd pages
    NLP = "nlp"  # tag the indexed text again (after a model or pattern update)


REPROCESS_MODES = (Mode.ALL, Mode.OCR, Mode.NLP)


class Stage(StrEnum):
    """The step a ``processing`` file is in, when it spans several tasks (absent otherwise)."""

    OCR = "ocr"  # extracted; its pages are being OCR'd on the ocr queue


class NotClaimed(StrEnum):
    """Why a worker did not get a file record to work on."""

    MISSING = "missing"
    FINAL = "final"
    HELD = "held"  # another delivery holds the lease
    LOST_RACE = "lost-race"
    EXHAUSTED = "exhausted"  # MAX_ATTEMPTS deliveries already


class Reason(StrEnum):
    """Why a file failed; the words a person reads are ``ingestion.errors.REASONS``."""

    EMPTY_FILE = "empty_file"
    TOO_LARGE = "too_large"
    TOO_MANY_PAGES = "too_many_pages"
    NOT_PDF = "not_pdf"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    NO_TEXT = "no_text"
    GARBAGE_TEXT = "garbage_text"
    MISSING_FILE = "missing_file"
    TIMEOUT = "timeout"
    INTERRUPTED = "interrupted"
    MISSING_DOCUMENT = "missing_document"
    UNSAFE_PATH = "unsafe_path"
    ARCHIVE_BOMB = "archive_bomb"
    ARCHIVE_TOO_DEEP = "archive_too_deep"
    ARCHIVE_TOO_MANY_FILES = "archive_too_many_files"
    CORRUPT_ARCHIVE = "corrupt_archive"
    ENCRYPTED_ARCHIVE = "encrypted_archive"
    UNSUPPORTED_COMPRESSION = "unsupported_compression"
    EMPTY_ARCHIVE = "empty_archive"
    QUOTA_EXCEEDED = "quota_exceeded"
    INTERNAL_ERROR = "internal_error"


# Failures of the bytes themselves (or of bytes never kept): a retry would read the same bytes and fail the same
# way, so retrying a batch leaves these files as they are, and their stored originals are removed.
UNRETRYABLE = frozenset({
    Reason.EMPTY_FILE, Reason.TOO_LARGE, Reason.NOT_PDF, Reason.ENCRYPTED, Reason.CORRUPT, Reason.UNSAFE_PATH,
    Reason.ARCHIVE_BOMB, Reason.ARCHIVE_TOO_DEEP, Reason.ARCHIVE_TOO_MANY_FILES, Reason.CORRUPT_ARCHIVE,
    Reason.ENCRYPTED_ARCHIVE, Reason.UNSUPPORTED_COMPRESSION, Reason.EMPTY_ARCHIVE, Reason.QUOTA_EXCEEDED,
})
