"""Failures a user can act on, each with a stable reason code and a readable message.

Anything that is not an :class:`IngestError` is a bug or an outage: it is
recorded as ``internal_error`` (after retries for outages) and logged with its
traceback.

Every recorded message says what happened and then what the person can do next: :func:`message` puts
the reason's next step after a file's own account of what happened (``"The PDF has 41 pages; the limit
is 40."``), so a specific message never loses the advice.
"""

from __future__ import annotations

from typing import NamedTuple

from ingestion.states import Reason


class IngestError(Exception):
    """A file that cannot be indexed, for a reason the person who gave it to us can understand.

    ``message`` is what happened to this file; the next step is added where the failure is recorded.
    """

    def __init__(self, reason: str, message: str):
        super().__init__(f"{reason}: {message}")
        self.reason = Reason(reason)
        self.message = message


class Words(NamedTuple):
    what: str  # what happened, when nothing more specific is known
    next: str  # what the person who loaded the file can do about it


# The one table of reason code -> what it means and what to do (the README's table is these words, and a
# test keeps them equal). Plain and short: many readers are Spanish speakers reading English.
WORDS: dict[Reason, Words] = {
    Reason.EMPTY_FILE: Words("The file has zero bytes.",
                             "Check the original (it may not have finished copying or downloading) and load it again."),
    Reason.TOO_LARGE: Words("The file is larger than the size limit (DOCSEARCH_MAX_FILE_MB).",
                            "Split it into smaller files, or ask the administrator to raise DOCSEARCH_MAX_FILE_MB."),
    Reason.TOO_MANY_PAGES: Words("The PDF has more pages than the page limit (DOCSEARCH_MAX_PAGES).",
                                 "Split it into parts below the limit, or ask the administrator to raise "
                                 "DOCSEARCH_MAX_PAGES."),
    Reason.NOT_PDF: Words("The content is not a PDF, whatever the file name says.",
                          "Save or export the document as PDF and load that (PDF files and ZIP archives of them "
                          "are accepted)."),
    Reason.ENCRYPTED: Words("The PDF is password-protected and the empty password does not open it.",
                            "Remove the password (save or print it to a new PDF without one) and load it again."),
    Reason.CORRUPT: Words("The PDF is damaged and could not be read.",
                          "Get a fresh copy from its source, or open it in a PDF reader and save it again, "
                          "then load it again."),
    Reason.NO_TEXT: Words("No page has text, and no page has a scanned image to read with OCR.",
                          "Check that the pages are not blank; if they should have text, export the PDF again "
                          "from its source."),
    Reason.GARBAGE_TEXT: Words("The text in the PDF is unreadable (damaged content streams or fonts).",
                               "Export the PDF again from its source, or print and scan it so that OCR reads it."),
    Reason.MISSING_FILE: Words("The file is missing: the stored original, or a file given by path.",
                               "Load the file again."),
    Reason.TIMEOUT: Words("Processing took longer than the time limit (DOCSEARCH_TASK_SOFT_TIME_LIMIT_S).",
                          "Split the file into smaller parts and load them, or ask the administrator to raise "
                          "DOCSEARCH_TASK_SOFT_TIME_LIMIT_S."),
    Reason.INTERRUPTED: Words("Processing was interrupted three times (the worker was killed, ran out of memory "
                              "or of time).",
                              "Retry the batch; if it fails again, split the file into smaller parts or tell the "
                              "administrator."),
    Reason.MISSING_DOCUMENT: Words("The document to re-process is no longer in the index.", "Load the file again."),
    Reason.UNSAFE_PATH: Words("The archive entry's path is absolute, leaves the archive (..) or is a link; "
                              "it was not read.",
                              "If you need that file, take it out of the archive and load it on its own."),
    Reason.ARCHIVE_BOMB: Words("The archive entry expands far more than its size allows (a ZIP bomb); "
                               "it was not read.",
                               "If the archive is genuine, extract it and load the files themselves."),
    Reason.ARCHIVE_TOO_DEEP: Words("An archive is nested inside archives deeper than the limit "
                                   "(DOCSEARCH_MAX_ARCHIVE_DEPTH); it was not opened.",
                                   "Extract the inner archives and load their files."),
    Reason.ARCHIVE_TOO_MANY_FILES: Words("The archive holds more entries than the limit "
                                         "(DOCSEARCH_MAX_ARCHIVE_MEMBERS); the rest were not read.",
                                         "Split it into smaller archives and load them."),
    Reason.CORRUPT_ARCHIVE: Words("The ZIP archive is damaged and could not be opened.",
                                  "Get a fresh copy, or make the ZIP again, and load it again."),
    Reason.ENCRYPTED_ARCHIVE: Words("The archive entry is password-protected.",
                                    "Extract it with its password and load the files, or a ZIP made without a "
                                    "password."),
    Reason.UNSUPPORTED_COMPRESSION: Words("The archive entry is compressed with a method docsearch cannot read "
                                          "(such as Deflate64).",
                                          "Re-compress the archive with ordinary ZIP settings and load it again."),
    Reason.EMPTY_ARCHIVE: Words("The archive holds no files (only folders, or nothing).",
                                "Check that it is the right archive and load it again."),
    Reason.QUOTA_EXCEEDED: Words("The file would take the user past the daily load quota (DOCSEARCH_USER_QUOTA_MB); "
                                 "it was not kept.",
                                 "Load it again tomorrow, or ask the administrator to raise DOCSEARCH_USER_QUOTA_MB."),
    Reason.INTERNAL_ERROR: Words("docsearch failed on this file.",
                                 "Retry the batch; if it fails again, tell the administrator (the worker log has "
                                 "the details)."),
}

# The message recorded for a reason when nothing more specific is known.
REASONS: dict[Reason, str] = {reason: f"{words.what} {words.next}" for reason, words in WORDS.items()}


def message(reason: Reason | str, what: str | None = None) -> str:
    """``what`` happened to this file (the table's words if not given), then what to do next.

    A message that already holds the next step is returned as it is, so recording it twice adds nothing.
    """
    words = WORDS[Reason(reason)]
    if not what:
        return f"{words.what} {words.next}"
    if words.next in what:
        return what
    return f"{what.rstrip()} {words.next}"


# ``no_text`` has three causes, and the person reading the message must know which one it was.
def no_text_after_ocr(ocr_pages: int) -> str:
    """OCR ran on the scanned pages and read nothing."""
    return (f"OCR ran on {_pages(ocr_pages)} and found no text: the scan is blank or unreadable. "
            "Scan the paper again at 300 dpi, or check that the pages are not blank, then load it again.")


def no_text_ocr_disabled(scanned_pages: int) -> str:
    """The pages are scans, and OCR is switched off."""
    return (f"{_pages(scanned_pages).capitalize()} {'is a' if scanned_pages == 1 else 'are'} scanned "
            f"image{'' if scanned_pages == 1 else 's'} without text, and OCR is disabled "
            "(DOCSEARCH_OCR_ENABLED=false). Enable OCR, then retry the batch.")


def no_text_ocr_unavailable(detail: str) -> str:
    """OCR could not run on this machine (Tesseract or its language data is missing)."""
    return (f"The scanned pages could not be read: OCR is not available ({detail.rstrip('.')}). "
            "Ask the administrator to install Tesseract with its language data, then retry the batch.")


def _pages(n: int) -> str:
    return f"{n} page" if n == 1 else f"{n} pages"
