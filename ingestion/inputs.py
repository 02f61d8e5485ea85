"""Expand what a user gives us (files, folder trees, ZIP archives) into single files, safely.

One handler per kind of input, chosen by what it is, never by its name: a
folder because it is a directory, a ZIP because its bytes start with
``PK\\x03\\x04`` (or ``PK\\x05\\x06``, an empty archive); anything else is
passed on as it is (the PDF extractor decides later whether it is a PDF).

Nothing is ever written to disk under a name taken from an archive: members
are handed on as streams (the caller copies them into the content-addressed
store), and a nested ZIP is spooled into an anonymous temporary file.

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

Limits (:class:`ArchiveLimits`) are checked twice: early from the sizes the
archive's headers declare (cheap, so a declared bomb is a :class:`Rejected`
before anything is read) and again on the bytes actually inflated, which is
the check that counts: headers can lie.
"""

from __future__ import annotations

import io
import logging
import lzma
import os
import re
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from ingestion.errors import REASONS, IngestError
from ingestion.states import Reason

log = logging.getLogger(__name__)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# Below this many inflated bytes a member is never called a bomb for its ratio: small, highly
# compressible files (a page of blanks) are harmless whatever their ratio.
RATIO_GRACE_BYTES = 1024 * 1024
SPOOL_MEMORY_BYTES = 8 * 1024 * 1024  # a nested archive spills from memory to an anonymous temp file past this
READ_CHUNK = 1024 * 1024
READ_PIECE = 256 * 1024  # most inflated per read of a member: how far past a limit a read can go

_ENCRYPTED = 0x01
_STRONG_ENCRYPTION = 0x40
_UTF8_NAME = 0x800
_DRIVE = re.compile(r"^[A-Za-z]:")
_DOTS_ONLY = re.compile(r"^[. ]*\.\.[. ]*$")  # "..", "...", ".. " (Windows drops trailing dots and spaces)


@dataclass
class Incoming:
    """One file as given: the name the user knows it by and a way to read its bytes."""

    name: str
    open: Callable[[], BinaryIO]
    note: str | None = None  # something the user should know about this file (shown with its record)

    @classmethod
    def from_path(cls, path: Path | str, name: str | None = None) -> "Incoming":
        path = Path(path)
        return cls(name or str(path), lambda: open(path, "rb"))


@dataclass
class Rejected:
    """A file or archive entry that cannot be taken, with a stable reason code and a readable message."""

    name: str
    reason: Reason
    message: str


@dataclass(frozen=True)
class ArchiveLimits:
    max_depth: int = 2  # a ZIP inside a ZIP is depth 2; deeper -> archive_too_deep
    max_members: int = 20_000  # files taken from one top-level archive, nested ones included
    max_total_bytes: int = 20 * 1024**3  # inflated bytes per top-level archive -> archive_bomb
    max_ratio: float = 200.0  # per member, inflated / compressed, measured while reading -> archive_bomb
    max_member_bytes: int = 200 * 1024**2  # per member -> too_large (nested archives: bounded by the total)


class MemberUnreadable(IngestError):
    """Reading an archive member failed for a reason the user can act on (``.reason``, ``.message``)."""


class LimitExceeded(MemberUnreadable):
    """A member inflated past a limit: ``archive_bomb`` (ratio or archive total) or ``too_large``."""


class MemberCorrupt(MemberUnreadable, zipfile.BadZipFile):
    """A member's data is damaged (bad CRC, bad deflate stream) or compressed with an unknown method."""


class ArchiveClosed(RuntimeError):
    """A member was opened after :func:`expand` had finished with its archive (a caller bug)."""


def expand(items: Iterable[Incoming | Rejected], limits: ArchiveLimits) -> Iterator[Incoming | Rejected]:
    """Each item as it is, or, for a ZIP (by its first bytes), the files inside it, recursively.

    :class:`Rejected` items are passed through, so the output of folder walking can be fed in.
    """
    for item in items:
        if isinstance(item, Rejected):
            yield item
        else:
            yield from _expand_item(item, limits)


def expand_paths(paths: Iterable[Path | str], limits: ArchiveLimits) -> Iterator[Incoming | Rejected]:
    """Files and folders on this machine: folders recursively (sorted), then :func:`expand`.

    Inside a folder, hidden entries (a name starting with ``.``, such as ``.DS_Store``) and
    ``__MACOSX`` are skipped without a record; so are symbolic links that lead out of the folder
    (logged as a warning), links to folders (what they hold is reached through its real path) and
    special files (FIFOs, sockets, devices). A path given explicitly is taken as it is.
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
        if _hidden(entry.name):
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


# System clutter, never documents. Other hidden files and folders are loaded: a lost file costs more.
_JUNK = {"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini", ".git", ".svn", ".Trashes", ".Spotlight-V100"}


def _hidden(component: str) -> bool:
    return component in _JUNK or component.startswith("._") or component.startswith("~$")


# --- archives ------------------------------------------------------------------------------------


class _Budget:
    """What one top-level archive (nested archives included) has used of its limits."""

    def __init__(self, name: str, limits: ArchiveLimits):
        self.name = name
        self.limits = limits
        self.declared = 0  # sum of the sizes headers declare for members handed on or spooled
        self.inflated = 0  # bytes actually inflated (each member counted once, however often it is read)
        self.outputs = 0  # files handed on (Incoming or Rejected), nested archives' files included
        self.exhausted = False


class _Archive:
    def __init__(self, zf: zipfile.ZipFile, name: str, depth: int):
        self.zf = zf
        self.name = name
        self.depth = depth
        self.closed = False


class _Member:
    """One entry of an open archive: opens metered streams over it."""

    def __init__(self, archive: _Archive, info: zipfile.ZipInfo, name: str, budget: _Budget):
        self.archive = archive
        self.info = info
        self.name = name
        self.budget = budget
        self.high_water = 0  # most bytes inflated by any one stream: what the archive total is charged

    def open(self) -> BinaryIO:
        """A stream of the member's bytes, capped at ``max_member_bytes``."""
        return self.open_metered(self.budget.limits.max_member_bytes)

    def open_metered(self, max_bytes: int | None) -> BinaryIO:
        if self.archive.closed:
            raise ArchiveClosed(f"{self.name!r} was opened after expand() had left its archive; "
                                "open each item before asking for the next ones")
        try:
            raw = self.archive.zf.open(self.info)
        except NotImplementedError as exc:
            raise MemberCorrupt(Reason.UNSUPPORTED_COMPRESSION,
                                f"The archive entry is compressed with a method docsearch cannot read ({exc}).") from exc
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, UnicodeDecodeError) as exc:
            raise MemberCorrupt(Reason.CORRUPT, f"The archive entry is damaged and could not be read ({exc}).") from exc
        return _MeteredStream(raw, self, max_bytes)

    def charge(self, position: int, compressed: int, max_bytes: int | None) -> None:
        """Account for a stream of this member having inflated ``position`` bytes; raise past a limit."""
        limits = self.budget.limits
        if position > self.high_water:
            self.budget.inflated += position - self.high_water
            self.high_water = position
        if max_bytes is not None and position > max_bytes:
            raise LimitExceeded(Reason.TOO_LARGE, f"The file is larger than the {_size(max_bytes)} limit.")
        if position > RATIO_GRACE_BYTES and position > limits.max_ratio * max(compressed, 1):
            raise LimitExceeded(Reason.ARCHIVE_BOMB, f"The archive entry inflates more than {limits.max_ratio:g} times "
                                                "its compressed size (a ZIP bomb); it was not read.")
        if self.budget.inflated > limits.max_total_bytes:
            raise LimitExceeded(Reason.ARCHIVE_BOMB, f"The archive '{self.budget.name}' expands to more than "
                                                f"{_size(limits.max_total_bytes)} in all; this entry and the "
                                                "ones after it were not read.")


class _MeteredStream(io.RawIOBase):
    """A member's inflated bytes, counted as they are read (nothing trusts the header sizes)."""

    def __init__(self, raw: zipfile.ZipExtFile, member: _Member, max_bytes: int | None):
        super().__init__()
        self._raw = raw
        self._member = member
        self._max_bytes = max_bytes
        self._position = 0

    def readable(self) -> bool:
        return True

    def _compressed_read(self) -> int:
        """Compressed bytes inflated so far: the denominator of the measured ratio.

        zipfile pulls at most the central directory's ``compress_size`` from the archive (so a
        compress_size that lies low cuts the member short: a CRC error), but one that lies high
        lets it pull as much as it likes; what it has pulled is ``compress_size - _compress_left``,
        less what the deflate decompressor holds unconsumed. Both are CPython internals: without
        them this falls back to the declared size, and reads in small pieces bound the slack.
        """
        declared = self._member.info.compress_size
        left = getattr(self._raw, "_compress_left", None)
        if not (isinstance(left, int) and 0 <= left <= declared):
            return declared
        pending = getattr(getattr(self._raw, "_decompressor", None), "unconsumed_tail", b"")
        return declared - left - (len(pending) if isinstance(pending, bytes) else 0)

    def read(self, size: int | None = -1) -> bytes:
        if self.closed:
            raise ValueError("read from a closed archive member")
        if size is None or size < 0:
            return self.readall()
        try:
            data = self._raw.read(min(size, READ_PIECE))
        except (zipfile.BadZipFile, EOFError, zlib.error, lzma.LZMAError, OSError) as exc:
            raise MemberCorrupt(Reason.CORRUPT, f"The archive entry is damaged and could not be read ({exc}).") from exc
        self._position += len(data)
        self._member.charge(self._position, self._compressed_read(), self._max_bytes)
        return data

    def readall(self) -> bytes:
        chunks = []
        while chunk := self.read(READ_CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def _expand_item(item: Incoming, limits: ArchiveLimits) -> Iterator[Incoming | Rejected]:
    try:
        stream = item.open()
    except OSError:
        yield item  # the caller reports it when it fails to read it
        return
    archive: BinaryIO | None = None
    outcome: Incoming | Rejected | None = None
    try:
        head = _read_head(stream)
        if head not in ZIP_MAGIC:
            outcome = item
        elif _seekable(stream):
            stream.seek(0)
            archive = stream
        else:  # zipfile needs to seek: copy the archive to an anonymous temp file first
            archive, outcome = _spool_upload(item, head, stream, limits)
        if archive is not None:
            try:
                zf = zipfile.ZipFile(archive)
            except _OPEN_ERRORS as exc:
                outcome = _corrupt_archive(item.name, exc)
            else:
                if _is_document(zf):
                    zf.close()
                    outcome = item  # a .docx / .odt: a ZIP by its bytes, but one document to the user
                elif limits.max_depth < 1:
                    zf.close()
                    outcome = _too_deep(item.name, limits)
                else:
                    yield from _walk(zf, item.name, 1, _Budget(item.name, limits))
    finally:
        if archive is not None and archive is not stream:
            archive.close()
        stream.close()
    if outcome is not None:
        yield outcome  # after closing: the caller opens it again


def _read_head(stream: BinaryIO) -> bytes:
    try:
        return stream.read(4)[:4]
    except OSError:
        return b""


def _spool_upload(item: Incoming, head: bytes, stream: BinaryIO,
                  limits: ArchiveLimits) -> tuple[BinaryIO | None, Rejected | None]:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)
    copied = len(head)
    spool.write(head)
    try:
        while chunk := stream.read(READ_CHUNK):
            copied += len(chunk)
            if copied > limits.max_total_bytes:
                spool.close()
                return None, Rejected(item.name, Reason.TOO_LARGE,
                                      f"The archive is larger than the {_size(limits.max_total_bytes)} limit.")
            spool.write(chunk)
    except OSError as exc:
        spool.close()
        return None, Rejected(item.name, Reason.MISSING_FILE, f"The file could not be read: {exc.strerror or exc}.")
    spool.seek(0)
    return spool, None


_OPEN_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
                UnicodeDecodeError)


def _walk(zf: zipfile.ZipFile, name: str, depth: int, budget: _Budget) -> Iterator[Incoming | Rejected]:
    """The files of one open archive (closed when done), nested archives expanded in place."""
    limits = budget.limits
    archive = _Archive(zf, name, depth)
    used: set[str] = set()
    produced = 0
    try:
        infos = zf.infolist()
        overlapping = _overlapping(infos)
        for index, info in enumerate(infos):
            raw = _decoded_name(info)
            mode = info.external_attr >> 16
            if raw.endswith(("/", "\\")) or stat.S_ISDIR(mode):
                continue
            path, problem = _member_path(raw)
            if path is not None and any(_hidden(part) for part in path.split("/")):
                continue
            if budget.outputs >= limits.max_members:
                if not budget.exhausted:
                    budget.exhausted = True
                    yield Rejected(budget.name, Reason.ARCHIVE_TOO_MANY_FILES,
                                   f"The archive holds more than {limits.max_members} files (counting the archives "
                                   f"inside it): the first {limits.max_members} were taken, the rest were not. "
                                   "Split it into smaller archives.")
                return produced
            for out in _entry(archive, info, index, raw, path, problem, mode, overlapping, used, budget):
                if isinstance(out, _Nested):
                    nested_produced = yield from _nested(out, budget)
                    produced += nested_produced
                    if budget.exhausted:
                        return produced
                    continue
                budget.outputs += 1
                produced += 1
                yield out
        if produced == 0:
            budget.outputs += 1
            produced = 1
            yield Rejected(name, Reason.EMPTY_ARCHIVE, REASONS[Reason.EMPTY_ARCHIVE])
    finally:
        archive.closed = True
        zf.close()
    return produced


@dataclass
class _Nested:
    member: _Member
    fileobj: BinaryIO
    note: str | None


def _entry(archive: _Archive, info: zipfile.ZipInfo, index: int, raw: str, path: str | None, problem: str,
           mode: int, overlapping: set[int], used: set[str], budget: _Budget) -> Iterator[Incoming | Rejected | _Nested]:
    """What one non-directory, non-hidden entry becomes (at most one item)."""
    limits = budget.limits
    shown = _shown(raw)
    if path is None:
        yield Rejected(f"{archive.name}/{shown}", Reason.UNSAFE_PATH,
                       f"The archive entry '{shown}' {problem}; it was not read.")
        return
    if stat.S_ISLNK(mode):
        yield Rejected(f"{archive.name}/{shown}", Reason.UNSAFE_PATH,
                       f"The archive entry '{shown}' is a symbolic link; it was not followed.")
        return
    if mode and stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        yield Rejected(f"{archive.name}/{shown}", Reason.UNSAFE_PATH,
                       f"The archive entry '{shown}' is a special file (device, FIFO or socket); it was not read.")
        return
    name, note = _unique(f"{archive.name}/{path}", used)
    if info.flag_bits & (_ENCRYPTED | _STRONG_ENCRYPTION):
        yield Rejected(name, Reason.ENCRYPTED_ARCHIVE, "The archive entry is password-protected; it was not read.")
        return
    if index in overlapping:
        yield Rejected(name, Reason.ARCHIVE_BOMB, "The archive entry's data overlaps another entry's (an overlapping-entry "
                                             "ZIP bomb); it was not read.")
        return
    if (rejected := _declared_bomb(name, info, budget)) is not None:
        yield rejected
        return
    member = _Member(archive, info, name, budget)
    # Peek at the first bytes (metered) to tell a nested archive from a file; keep reading if it is one.
    spooled = None
    try:
        with member.open_metered(None) as stream:
            head = stream.read(4)
            if head in ZIP_MAGIC:
                budget.declared += info.file_size
                spooled = _spool(head, stream)
    except MemberUnreadable as exc:
        yield Rejected(name, exc.reason, exc.message)
        return
    if spooled is not None:
        yield _Nested(member, spooled, note)
        return
    if (rejected := _declared_too_large(name, info, limits)) is not None:
        yield rejected
        return
    budget.declared += info.file_size
    yield Incoming(name, member.open, note)


# Early checks on the sizes the headers declare: cheap, but only a first line (headers can lie).

def _declared_bomb(name: str, info: zipfile.ZipInfo, budget: _Budget) -> Rejected | None:
    limits = budget.limits
    if info.file_size > RATIO_GRACE_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        return Rejected(name, Reason.ARCHIVE_BOMB,
                        f"The archive entry would inflate {info.file_size / max(info.compress_size, 1):,.0f} times its "
                        f"compressed size (over {limits.max_ratio:g}: a ZIP bomb); it was not read.")
    if budget.declared + info.file_size > limits.max_total_bytes:
        return Rejected(name, Reason.ARCHIVE_BOMB, f"The archive '{budget.name}' expands to more than "
                                              f"{_size(limits.max_total_bytes)} in all; this entry was not read.")
    return None


def _declared_too_large(name: str, info: zipfile.ZipInfo, limits: ArchiveLimits) -> Rejected | None:
    if info.file_size > limits.max_member_bytes:
        return Rejected(name, Reason.TOO_LARGE, f"The file is larger than the {_size(limits.max_member_bytes)} limit.")
    return None


def _nested(nested: _Nested, budget: _Budget):
    """Expand a spooled nested archive (a generator returning how many items it yielded)."""
    member, limits = nested.member, budget.limits
    depth = member.archive.depth + 1

    def emit(item):
        budget.outputs += 1
        return item

    try:
        try:
            zf = zipfile.ZipFile(nested.fileobj)
        except _OPEN_ERRORS as exc:
            yield emit(_corrupt_archive(member.name, exc))
            return 1
        if _is_document(zf):
            zf.close()
            rejected = _declared_too_large(member.name, member.info, limits)
            yield emit(rejected or Incoming(member.name, member.open, nested.note))
            return 1
        if depth > limits.max_depth:
            zf.close()
            yield emit(_too_deep(member.name, limits))
            return 1
        return (yield from _walk(zf, member.name, depth, budget))
    finally:
        nested.fileobj.close()


def _spool(head: bytes, stream: BinaryIO) -> BinaryIO:
    """Copy a nested archive (already metered: ratio and archive total) into an anonymous temp file."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)
    try:
        spool.write(head)
        while chunk := stream.read(READ_CHUNK):
            spool.write(chunk)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool


def _overlapping(infos: list[zipfile.ZipInfo]) -> set[int]:
    """Indexes of entries whose data starts inside an earlier entry's (overlapping-entry bombs).

    zipfile in Python 3.11 does not check this; legitimate archives never share data.
    """
    order = sorted(range(len(infos)), key=lambda i: infos[i].header_offset)
    bad: set[int] = set()
    end = -1
    for i in order:
        info = infos[i]
        if info.header_offset < end:
            bad.add(i)
            continue
        name_len = len(info.orig_filename.encode("utf-8" if info.flag_bits & _UTF8_NAME else "cp437", "replace"))
        end = info.header_offset + 30 + name_len + info.compress_size  # 30: the fixed part of a local header
    return bad


def _is_document(zf: zipfile.ZipFile) -> bool:
    """An Office Open XML (.docx, .xlsx) or OpenDocument / EPUB file: a ZIP that is one document."""
    infos = zf.infolist()
    if infos and infos[0].filename == "mimetype":
        return True
    return any(info.filename == "[Content_Types].xml" for info in infos)


def _decoded_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its maker meant it (``orig_filename``: zipfile's ``filename`` is cut at a NUL).

    Without the UTF-8 flag zipfile decodes names as cp437. Many tools write UTF-8 without setting
    the flag; Windows' own ZIP writes the OEM code page, cp850 on Spanish-language Windows, which
    agrees with cp437 on ñ and lower-case accents but not on capitals (cp437 shows "Ó" as "α").
    """
    name = info.orig_filename
    if info.flag_bits & _UTF8_NAME or name.isascii():
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:  # decoded with another metadata_encoding: keep it
        return name
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp850")


def _member_path(raw: str) -> tuple[str | None, str]:
    """The entry's path made relative and clean, or ``None`` and why it is unsafe."""
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        return None, "contains control characters (such as NUL)"
    name = raw.replace("\\", "/")  # a separator to Windows; a trick anywhere else
    if name.startswith("/"):
        return None, "is an absolute path"
    if _DRIVE.match(name):
        return None, "starts with a drive letter"
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if any(_DOTS_ONLY.match(part) for part in parts):
        return None, "leaves the archive's folder ('..')"
    if not parts:
        return None, "has an empty name"
    return "/".join(parts), ""


def _shown(raw: str) -> str:
    """A raw entry name made safe to show: control characters and backslashes escaped, quotes dropped."""
    return repr(raw)[1:-1]


def _unique(name: str, used: set[str]) -> tuple[str, str | None]:
    """``name``, or ``name`` with " (2)" (" (3)"...) before its extension when an earlier entry had it."""
    if name not in used:
        used.add(name)
        return name, None
    folder, slash, base = name.rpartition("/")
    stem, dot, ext = base.rpartition(".")
    if not stem:  # no extension (or a leading dot only)
        stem, dot, ext = base, "", ""
    number = 2
    while (candidate := f"{folder}{slash}{stem} ({number}){dot}{ext}") in used:
        number += 1
    used.add(candidate)
    return candidate, "another entry of the archive has the same name"


def _corrupt_archive(name: str, exc: BaseException) -> Rejected:
    return Rejected(name, Reason.CORRUPT_ARCHIVE, f"The ZIP archive is damaged and could not be opened ({exc}).")


def _too_deep(name: str, limits: ArchiveLimits) -> Rejected:
    return Rejected(name, Reason.ARCHIVE_TOO_DEEP,
                    f"An archive nested more than {limits.max_depth} deep (a ZIP inside a ZIP is 2); "
                    "it was not opened. Extract it and load it on its own.")


def _seekable(stream: BinaryIO) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def _size(n: int) -> str:
    if n >= 1024**3 and n % 1024**3 == 0:
        return f"{n // 1024**3} GiB"
    if n >= 1024**2:
        return f"{n / 1024**2:g} MiB"
    return f"{n:,} bytes"
