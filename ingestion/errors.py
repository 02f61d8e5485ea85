"""Failures a user can act on, each with a stable reason code and a readable message.

Anything that is not an :class:`IngestError` is a bug or an outage: it is
recorded as ``internal_error`` (after retries for outages) and logged with its
traceback.
"""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be indexed, for a reason the person who gave it to us can understand."""

    def __init__(self, reason: str, message: str):
        super().__init__(f"{reason}: {message}")
        self.reason = reason
        self.message = message


# reason code -> what it means (listed in the README and the batch API docs)
REASONS = {
    "empty_file": "The file has zero bytes.",
    "too_large": "The file is larger than the configured size limit.",
    "too_many_pages": "The PDF has more pages than the configured page limit.",
    "not_pdf": "The bytes are not a PDF (the name may say .pdf, the content does not).",
    "encrypted": "The PDF is password-protected and the empty password does not open it.",
    "corrupt": "The PDF is damaged and could not be parsed.",
    "no_text": "No page has a text layer (a scanned document without OCR).",
    "garbage_text": "The text extracted from the PDF is unreadable (damaged content streams).",
    "missing_file": "The stored original is missing from the file store.",
    "timeout": "Processing the file took longer than the time limit.",
    "interrupted": "Processing was interrupted three times (the worker was killed, ran out of memory or of time).",
    "missing_document": "The document to re-process is no longer in the index; load the file again.",
    "unsafe_path": "The archive entry's path is absolute, leaves the archive (..) or is a link; it was not read.",
    "archive_bomb": "The archive entry expands far more than its size allows (a ZIP bomb); it was not read.",
    "archive_too_deep": "An archive nested inside archives deeper than the limit; it was not opened.",
    "archive_too_many_files": "The archive holds more entries than the limit; the rest were not read.",
    "corrupt_archive": "The ZIP archive is damaged and could not be opened.",
    "encrypted_archive": "The archive entry is password-protected.",
    "unsupported_compression": "The archive entry uses a compression method docsearch cannot read (such as "
    "Deflate64); re-compress the archive with ordinary ZIP settings.",
    "empty_archive": "The archive holds no files (only folders, or nothing).",
    "internal_error": "docsearch failed on this file; the logs have details.",
}
