"""Failures a user can act on, each with a stable reason code and a readable message.

Anything that is not an :class:`IngestError` is a bug or an outage: it is
recorded as ``internal_error`` (after retries for outages) and logged with its
traceback.
"""

from __future__ import annotations

from ingestion.states import Reason


class IngestError(Exception):
    """A file that cannot be indexed, for a reason the person who gave it to us can understand."""

    def __init__(self, reason: str, message: str):
        super().__init__(f"{reason}: {message}")
        self.reason = Reason(reason)
        self.message = message


# The one table of reason code -> what it means (listed in the README, whose table a test keeps equal,
# and in the batch API docs). A failure with nothing more specific to say is recorded with these words.
REASONS: dict[Reason, str] = {
    Reason.EMPTY_FILE: "The file has zero bytes.",
    Reason.TOO_LARGE: "The file is larger than the configured size limit.",
    Reason.TOO_MANY_PAGES: "The PDF has more pages than the configured page limit.",
    Reason.NOT_PDF: "The bytes are not a PDF (the name may say .pdf, the content does not).",
    Reason.ENCRYPTED: "The PDF is password-protected and the empty password does not open it.",
    Reason.CORRUPT: "The PDF is damaged and could not be parsed.",
    Reason.NO_TEXT: "No page has a text layer (a scanned document without OCR).",
    Reason.GARBAGE_TEXT: "The text extracted from the PDF is unreadable (damaged content streams).",
    Reason.MISSING_FILE: "The stored original is missing from the file store.",
    Reason.TIMEOUT: "Processing the file took longer than the time limit.",
    Reason.INTERRUPTED: "Processing was interrupted three times (the worker was killed, ran out of memory or of time).",
    Reason.MISSING_DOCUMENT: "The document to re-process is no longer in the index; load the file again.",
    Reason.UNSAFE_PATH: "The archive entry's path is absolute, leaves the archive (..) or is a link; it was not read.",
    Reason.ARCHIVE_BOMB: "The archive entry expands far more than its size allows (a ZIP bomb); it was not read.",
    Reason.ARCHIVE_TOO_DEEP: "An archive nested inside archives deeper than the limit; it was not opened.",
    Reason.ARCHIVE_TOO_MANY_FILES: "The archive holds more entries than the limit; the rest were not read.",
    Reason.CORRUPT_ARCHIVE: "The ZIP archive is damaged and could not be opened.",
    Reason.ENCRYPTED_ARCHIVE: "The archive entry is password-protected.",
    Reason.UNSUPPORTED_COMPRESSION: "The archive entry is compressed with a method docsearch cannot read (such as "
    "Deflate64); re-compress the archive with ordinary ZIP settings.",
    Reason.EMPTY_ARCHIVE: "The archive holds no files (only folders, or nothing).",
    Reason.INTERNAL_ERROR: "docsearch failed on this file; the logs have details.",
}
