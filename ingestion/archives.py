"""Reading one ZIP archive safely: its limits, metered member streams, spooling and structure checks.

Invariants:

* No limit that counts trusts a header. Every byte of a member is inflated through a
  metered stream (:meth:`Member.open`), which counts what it inflated, charges the
  archive's :class:`Budget` once per member however often it is read, and raises
  :class:`LimitExceeded` (``archive_bomb``: ratio or archive total; ``too_large``: member
  size) past a limit. The header sizes serve only for early refusals, made by the caller.
* A member that cannot be read raises exactly one :class:`MemberUnreadable` with one
  reason: :class:`LimitExceeded`, or :class:`MemberCorrupt` (``corrupt``,
  ``unsupported_compression``; also a ``zipfile.BadZipFile``). Reads inflate at most
  ``READ_PIECE`` bytes each, which bounds how far past a limit a read can go.
* A member is read only while its archive is open; opening it after the walk has left
  the archive raises :class:`ArchiveClosed` (a caller bug, not a user's).
* Nothing is written to disk under a name taken from an archive: a nested archive, or an
  upload that cannot seek, is :func:`spool`-ed into an anonymous temporary file.

Entry names and their safety are in :mod:`ingestion.archive_names`; what each entry
becomes (a file, or a refusal with its reason) is decided in :mod:`ingestion.inputs`.
"""

from __future__ import annotations

import io
import lzma
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from ingestion.archive_names import UTF8_NAME
from ingestion.errors import IngestError
from ingestion.states import Reason

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# Below this many inflated bytes a member is never called a bomb for its ratio: small, highly
# compressible files (a page of blanks) are harmless whatever their ratio.
RATIO_GRACE_BYTES = 1024 * 1024
SPOOL_MEMORY_BYTES = 8 * 1024 * 1024  # a nested archive spills from memory to an anonymous temp file past this
READ_CHUNK = 1024 * 1024
READ_PIECE = 256 * 1024  # most inflated per read of a member: how far past a limit a read can go

OPEN_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
               UnicodeDecodeError)  # what zipfile.ZipFile() raises for a damaged archive

_ENCRYPTED = 0x01
_STRONG_ENCRYPTION = 0x40


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
    """A member was opened after :func:`~ingestion.inputs.expand` had finished with its archive (a caller bug)."""


class Budget:
    """What one top-level archive (nested archives included) has used of its limits."""

    def __init__(self, name: str, limits: ArchiveLimits):
        self.name = name
        self.limits = limits
        self.declared = 0  # sum of the sizes headers declare for members handed on or spooled
        self.inflated = 0  # bytes actually inflated (each member counted once, however often it is read)
        self.outputs = 0  # files handed on (Incoming or Rejected), nested archives' files included
        self.exhausted = False


class Archive:
    """One open archive of a walk: ``closed`` once the walk has left it."""

    def __init__(self, zf: zipfile.ZipFile, name: str, depth: int):
        self.zf = zf
        self.name = name
        self.depth = depth
        self.closed = False


class Member:
    """One entry of an open archive: opens metered streams over it."""

    def __init__(self, archive: Archive, info: zipfile.ZipInfo, name: str, budget: Budget):
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
            raise LimitExceeded(Reason.TOO_LARGE, f"The file is larger than the {size_text(max_bytes)} limit.")
        if position > RATIO_GRACE_BYTES and position > limits.max_ratio * max(compressed, 1):
            raise LimitExceeded(Reason.ARCHIVE_BOMB, f"The archive entry inflates more than {limits.max_ratio:g} times "
                                                "its compressed size (a ZIP bomb); it was not read.")
        if self.budget.inflated > limits.max_total_bytes:
            raise LimitExceeded(Reason.ARCHIVE_BOMB, f"The archive '{self.budget.name}' expands to more than "
                                                f"{size_text(limits.max_total_bytes)} in all; this entry and the "
                                                "ones after it were not read.")


class _MeteredStream(io.RawIOBase):
    """A member's inflated bytes, counted as they are read (nothing trusts the header sizes)."""

    def __init__(self, raw: zipfile.ZipExtFile, member: Member, max_bytes: int | None):
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


def read_head(stream: BinaryIO) -> bytes:
    """The first four bytes (what :data:`ZIP_MAGIC` is compared with), or none if the stream fails."""
    try:
        return stream.read(4)[:4]
    except OSError:
        return b""


def seekable(stream: BinaryIO) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, OSError, ValueError):
        return False


def spool(head: bytes, stream: BinaryIO, max_bytes: int | None = None) -> BinaryIO | None:
    """``head`` and the rest of ``stream`` in an anonymous temporary file, positioned at its start.

    ``None`` when the copy would pass ``max_bytes``. On any failure (a read error, a member's
    :class:`MemberUnreadable`) the copy is discarded and the exception propagates.
    """
    copy = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)
    try:
        copy.write(head)
        copied = len(head)
        while chunk := stream.read(READ_CHUNK):
            copied += len(chunk)
            if max_bytes is not None and copied > max_bytes:
                copy.close()
                return None
            copy.write(chunk)
        copy.seek(0)
    except BaseException:
        copy.close()
        raise
    return copy


def is_document(zf: zipfile.ZipFile) -> bool:
    """An Office Open XML (.docx, .xlsx) or OpenDocument / EPUB file: a ZIP that is one document."""
    infos = zf.infolist()
    if infos and infos[0].filename == "mimetype":
        return True
    return any(info.filename == "[Content_Types].xml" for info in infos)


def is_encrypted(info: zipfile.ZipInfo) -> bool:
    return bool(info.flag_bits & (_ENCRYPTED | _STRONG_ENCRYPTION))


def overlapping(infos: list[zipfile.ZipInfo]) -> set[int]:
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
        name_len = len(info.orig_filename.encode("utf-8" if info.flag_bits & UTF8_NAME else "cp437", "replace"))
        end = info.header_offset + 30 + name_len + info.compress_size  # 30: the fixed part of a local header
    return bad


def size_text(n: int) -> str:
    """A limit as people read it: ``20 GiB``, ``200 MiB``, ``4,096 bytes``."""
    if n >= 1024**3 and n % 1024**3 == 0:
        return f"{n // 1024**3} GiB"
    if n >= 1024**2:
        return f"{n / 1024**2:g} MiB"
    return f"{n:,} bytes"
