"""Expand what a user gives us (files, folder trees, ZIP archives) into single files, safely.

Invariants:

* Each file given, or found in a folder or an archive, becomes one item: an :class:`Incoming`
  to read, or a :class:`Rejected` with one reason code and a message a person can read. Only
  system clutter (``__MACOSX``, ``.DS_Store``, ``Thumbs.db``...), folders themselves, and in a
  folder links to folders and special files are skipped without a record; an archive with
  nothing to take is one ``empty_archive``.
* The kind of input is decided by what it is, never by its name: a folder because it is a
  directory, a ZIP because its bytes start with ``PK\\x03\\x04`` (or ``PK\\x05\\x06``, an empty
  archive); anything else is passed on as it is (the PDF extractor decides later whether it is
  a PDF). A ZIP that is one document (.docx, .odt) is passed on whole.
* Nothing is ever written to disk under a name taken from an archive: members are handed on as
  streams (the caller copies them into the content-addressed store), and a nested ZIP is
  spooled into an anonymous temporary file.
* Limits (:class:`~ingestion.archives.ArchiveLimits`) are checked twice: early from the sizes
  the archive's headers declare (cheap, so a declared bomb is a :class:`Rejected` before
  anything is read) and again on the bytes actually inflated, which is the check that counts:
  headers can lie (:mod:`ingestion.archives`).

What :func:`expand` yields, and what the caller does with it
-----------------------------------------------------------
* :class:`Rejected`: record the file as failed with ``.reason`` / ``.message``.
* :class:`Incoming`: read it with ``with item.open() as stream: ...``. For an
  archive member the stream meters what it inflates and raises
  :class:`LimitExceeded` (``archive_bomb``, ``too_large``) past a limit, or
  :class:`MemberCorrupt` (``corrupt``, ``unsupported_compression``) when the
  entry is damaged. Both are :class:`MemberUnreadable` (an
  :class:`~ingestion.errors.IngestError`): catch that and record the file as
  failed with ``exc.reason`` / ``exc.message``; whatever was copied so far is
  discarded (``FileStore.put_stream`` does so on any exception).
  :class:`MemberCorrupt` is also a ``zipfile.BadZipFile``, for callers that
  catch that.
* Members are read from the archive while :func:`expand` is inside it: open
  (and read) each item before asking the iterator for more items than the
  rest of its archive. ``list(expand(...))`` and opening later raises
  :class:`ArchiveClosed` for members. Opening a member twice is fine.

The two kinds of item are defined in :mod:`ingestion.incoming`, what each archive entry
becomes in :mod:`ingestion.archive_entries`, reading a ZIP safely (limits, metered streams,
spooling) in :mod:`ingestion.archives`, entry names in :mod:`ingestion.archive_names`. Here:
the entry points and folders; the names above are importable from here too.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Iterable, Iterator

from ingestion.archive_entries import expand_item
from ingestion.archives import ArchiveClosed, ArchiveLimits, LimitExceeded, MemberCorrupt, MemberUnreadable
from ingestion.incoming import Incoming, Rejected, hidden
from ingestion.states import Reason

__all__ = ["ArchiveClosed", "ArchiveLimits", "Incoming", "LimitExceeded", "MemberCorrupt", "MemberUnreadable",
           "Rejected", "expand", "expand_paths"]

log = logging.getLogger(__name__)


def expand(items: Iterable[Incoming | Rejected], limits: ArchiveLimits) -> Iterator[Incoming | Rejected]:
    """Each item as it is, or, for a ZIP (by its first bytes), the files inside it, recursively.

    :class:`Rejected` items are passed through, so the output of folder walking can be fed in.
    """
    for item in items:
        if isinstance(item, Rejected):
            yield item
        else:
            yield from expand_item(item, limits)


def expand_paths(paths: Iterable[Path | str], limits: ArchiveLimits) -> Iterator[Incoming | Rejected]:
    """Files and folders on this machine: folders recursively (sorted), then :func:`expand`.

    Inside a folder, system clutter (:func:`~ingestion.incoming.hidden`: ``__MACOSX``,
    ``.DS_Store``...) is skipped without a record; so are links to folders (what they hold is
    reached through its real path) and special files (FIFOs, sockets, devices; logged as a
    warning). A link that leads out of the folder is refused (``unsafe_path``), one to nothing is
    ``missing_file``. A path given explicitly is taken as it is.
    """
    return expand(_path_items(paths), limits)


# --- folders -------------------------------------------------------------------------------------


def _path_items(paths: Iterable[Path | str]) -> Iterator[Incoming | Rejected]:
    for path in paths:
        path = Path(path)
        if path.is_dir():
            yield from _folder_items(path, path.resolve())
        else:
            yield Incoming.from_path(path)


def _folder_items(folder: Path, root: Path) -> Iterator[Incoming | Rejected]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Rejected(str(folder), Reason.MISSING_FILE, f"The folder could not be read: {exc.strerror or exc}.")
        return
    for entry in entries:
        path = Path(entry.path)
        if hidden(entry.name):
            continue
        if entry.is_symlink():
            target = Path(os.path.realpath(path))
            if not target.is_relative_to(root):
                yield Rejected(str(path), Reason.UNSAFE_PATH, "The link leads out of the folder being loaded; it was not followed.")
            elif target.is_file():
                yield Incoming.from_path(path)
            elif not target.exists():
                yield Rejected(str(path), Reason.MISSING_FILE, "The link points to a file that does not exist.")
            continue  # a link to a folder inside: its files come through their real path
        if entry.is_dir(follow_symlinks=False):
            yield from _folder_items(path, root)
        elif entry.is_file(follow_symlinks=False):
            yield Incoming.from_path(path)
        else:
            log.warning("skipping %s: not a regular file", path)
