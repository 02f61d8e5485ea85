"""What each entry of a ZIP archive becomes: a file to take, a refusal with its reason, or a nested walk.

Invariants:

* Each entry that is not a folder or system clutter yields one item, :class:`Incoming` or
  :class:`Rejected` with one reason (a nested archive: the items of its own walk); an archive with nothing to take is one ``empty_archive``,
  and past ``max_members`` files (nested archives' included) one ``archive_too_many_files``
  for the top-level archive ends the walk.
* The cheap refusals come first and read nothing: an unsafe name, a link or special file, an
  encrypted entry, data overlapping another entry's, a declared ratio or archive total past its
  limit (``_declared_bomb``). Then the first bytes are read, metered, to tell a nested archive
  from a file; a file declaring more than ``max_member_bytes`` is refused there
  (``_declared_too_large``). Every byte read goes through a metered stream
  (:mod:`ingestion.archives`), which holds the limits whatever the headers said.
* A nested archive is opened only from a spooled copy, never from a name; deeper than
  ``max_depth`` it is one ``archive_too_deep``. A ZIP that is one document (.docx, .odt) is a file.
* An archive is closed when its walk ends, however it ends; its members' ``open`` then raises
  :class:`~ingestion.archives.ArchiveClosed`.
"""

from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from typing import BinaryIO, Iterator

from ingestion.archive_names import decoded_name, member_path, shown, unique_name
from ingestion.archives import (
    OPEN_ERRORS,
    RATIO_GRACE_BYTES,
    ZIP_MAGIC,
    Archive,
    ArchiveLimits,
    Budget,
    Member,
    MemberUnreadable,
    is_document,
    is_encrypted,
    overlapping,
    read_head,
    seekable,
    size_text,
    spool,
)
from ingestion.errors import REASONS
from ingestion.incoming import Incoming, Rejected, hidden
from ingestion.states import Reason


def expand_item(item: Incoming, limits: ArchiveLimits) -> Iterator[Incoming | Rejected]:
    """The item as it is, or, for a ZIP (by its first bytes), the files inside it, recursively."""
    try:
        stream = item.open()
    except OSError:
        yield item  # the caller reports it when it fails to read it
        return
    archive: BinaryIO | None = None
    outcome: Incoming | Rejected | None = None
    try:
        head = read_head(stream)
        if head not in ZIP_MAGIC:
            outcome = item
        elif seekable(stream):
            stream.seek(0)
            archive = stream
        else:  # zipfile needs to seek: copy the archive to an anonymous temp file first
            try:
                archive = spool(head, stream, limits.max_total_bytes)
            except OSError as exc:
                outcome = Rejected(item.name, Reason.MISSING_FILE, f"The file could not be read: {exc.strerror or exc}.")
            else:
                if archive is None:
                    outcome = Rejected(item.name, Reason.TOO_LARGE,
                                       f"The archive is larger than the {size_text(limits.max_total_bytes)} limit.")
        if archive is not None:
            try:
                zf = zipfile.ZipFile(archive)
            except OPEN_ERRORS as exc:
                outcome = _corrupt_archive(item.name, exc)
            else:
                if is_document(zf):
                    zf.close()
                    outcome = item  # a .docx / .odt: a ZIP by its bytes, but one document to the user
                elif limits.max_depth < 1:
                    zf.close()
                    outcome = _too_deep(item.name, limits)
                else:
                    yield from _walk(zf, item.name, 1, Budget(item.name, limits))
    finally:
        if archive is not None and archive is not stream:
            archive.close()
        stream.close()
    if outcome is not None:
        yield outcome  # after closing: the caller opens it again


def _walk(zf: zipfile.ZipFile, name: str, depth: int, budget: Budget) -> Iterator[Incoming | Rejected]:
    """The files of one open archive (closed when done), nested archives expanded in place."""
    limits = budget.limits
    archive = Archive(zf, name, depth)
    used: set[str] = set()
    produced = 0
    try:
        infos = zf.infolist()
        overlaps = overlapping(infos)
        for index, info in enumerate(infos):
            raw = decoded_name(info)
            mode = info.external_attr >> 16
            if raw.endswith(("/", "\\")) or stat.S_ISDIR(mode):
                continue
            path, problem = member_path(raw)
            if path is not None and any(hidden(part) for part in path.split("/")):
                continue
            if budget.outputs >= limits.max_members:
                if not budget.exhausted:
                    budget.exhausted = True
                    yield Rejected(budget.name, Reason.ARCHIVE_TOO_MANY_FILES,
                                   f"The archive holds more than {limits.max_members} files (counting the archives "
                                   f"inside it): the first {limits.max_members} were taken, the rest were not. "
                                   "Split it into smaller archives.")
                return produced
            for out in _entry(archive, info, index, raw, path, problem, mode, overlaps, used, budget):
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
    member: Member
    fileobj: BinaryIO
    note: str | None


def _entry(archive: Archive, info: zipfile.ZipInfo, index: int, raw: str, path: str | None, problem: str,
           mode: int, overlaps: set[int], used: set[str], budget: Budget) -> Iterator[Incoming | Rejected | _Nested]:
    """What one non-directory, non-hidden entry becomes (at most one item)."""
    limits = budget.limits
    entry = shown(raw)
    if path is None:
        yield Rejected(f"{archive.name}/{entry}", Reason.UNSAFE_PATH,
                       f"The archive entry '{entry}' {problem}; it was not read.")
        return
    if stat.S_ISLNK(mode):
        yield Rejected(f"{archive.name}/{entry}", Reason.UNSAFE_PATH,
                       f"The archive entry '{entry}' is a symbolic link; it was not followed.")
        return
    if mode and stat.S_IFMT(mode) and not stat.S_ISREG(mode):
        yield Rejected(f"{archive.name}/{entry}", Reason.UNSAFE_PATH,
                       f"The archive entry '{entry}' is a special file (device, FIFO or socket); it was not read.")
        return
    name, note = unique_name(f"{archive.name}/{path}", used)
    if is_encrypted(info):
        yield Rejected(name, Reason.ENCRYPTED_ARCHIVE, "The archive entry is password-protected; it was not read.")
        return
    if index in overlaps:
        yield Rejected(name, Reason.ARCHIVE_BOMB, "The archive entry's data overlaps another entry's (an overlapping-entry "
                                             "ZIP bomb); it was not read.")
        return
    if (rejected := _declared_bomb(name, info, budget)) is not None:
        yield rejected
        return
    member = Member(archive, info, name, budget)
    # Peek at the first bytes (metered) to tell a nested archive from a file; keep reading if it is one.
    spooled = None
    try:
        with member.open_metered(None) as stream:
            head = stream.read(4)
            if head in ZIP_MAGIC:
                budget.declared += info.file_size
                spooled = spool(head, stream)
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

def _declared_bomb(name: str, info: zipfile.ZipInfo, budget: Budget) -> Rejected | None:
    limits = budget.limits
    if info.file_size > RATIO_GRACE_BYTES and info.file_size > limits.max_ratio * max(info.compress_size, 1):
        return Rejected(name, Reason.ARCHIVE_BOMB,
                        f"The archive entry would inflate {info.file_size / max(info.compress_size, 1):,.0f} times its "
                        f"compressed size (over {limits.max_ratio:g}: a ZIP bomb); it was not read.")
    if budget.declared + info.file_size > limits.max_total_bytes:
        return Rejected(name, Reason.ARCHIVE_BOMB, f"The archive '{budget.name}' expands to more than "
                                              f"{size_text(limits.max_total_bytes)} in all; this entry was not read.")
    return None


def _declared_too_large(name: str, info: zipfile.ZipInfo, limits: ArchiveLimits) -> Rejected | None:
    if info.file_size > limits.max_member_bytes:
        return Rejected(name, Reason.TOO_LARGE, f"The file is larger than the {size_text(limits.max_member_bytes)} limit.")
    return None


def _nested(nested: _Nested, budget: Budget):
    """Expand a spooled nested archive (a generator returning how many items it yielded)."""
    member, limits = nested.member, budget.limits
    depth = member.archive.depth + 1

    def emit(item):
        budget.outputs += 1
        return item

    try:
        try:
            zf = zipfile.ZipFile(nested.fileobj)
        except OPEN_ERRORS as exc:
            yield emit(_corrupt_archive(member.name, exc))
            return 1
        if is_document(zf):
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


def _corrupt_archive(name: str, exc: BaseException) -> Rejected:
    return Rejected(name, Reason.CORRUPT_ARCHIVE, f"The ZIP archive is damaged and could not be opened ({exc}).")


def _too_deep(name: str, limits: ArchiveLimits) -> Rejected:
    return Rejected(name, Reason.ARCHIVE_TOO_DEEP,
                    f"An archive nested more than {limits.max_depth} deep (a ZIP inside a ZIP is 2); "
                    "it was not opened. Extract it and load it on its own.")
