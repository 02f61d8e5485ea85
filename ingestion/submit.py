"""What the faces (API, CLI) ask of ingestion: take a load, or queue a load's files again.

A load (uploads, folders, ZIPs) becomes a durable batch and queued tasks.
Archives are opened here, entry by entry (``ingestion.inputs``), so the batch
lists every file inside them. Checks that need no parsing (zero bytes, over
the size limit, unsafe archive paths, ZIP bombs, the uploader's daily quota)
fail the file here, before anything is queued, and keep none of its bytes;
everything else is the worker's job. Nothing given to us goes unrecorded: each
item becomes a file record, whatever happens to it.

Retry and reprocess set a batch's records back to ``queued`` first and queue
their messages after: a message lost on the way leaves a queued record, which
the reconciler queues again. A retry leaves alone the files that failed for
their bytes (``states.UNRETRYABLE``): read again, they would fail the same way.
"""

from __future__ import annotations

import logging
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from docsearch.engine import Engine
from docsearch.settings import Settings
from docsearch.store import FileStore, TooLarge
from ingestion.archives import ArchiveLimits, MemberUnreadable
from ingestion.batches import BatchStore, new_batch_id
from ingestion.celery_app import enqueue_file
from ingestion.errors import REASONS
from ingestion.incoming import Incoming, Rejected
from ingestion.inputs import expand, expand_paths
from ingestion.originals import release
from ingestion.quota import Allowance, QuotaExceeded
from ingestion.records import FileRecord
from ingestion.states import REPROCESS_MODES, Mode, Reason, Status

log = logging.getLogger(__name__)

__all__ = ["Incoming", "QuotaExceeded", "archive_limits", "reprocess", "retry", "submit", "submit_paths"]

Enqueue = Callable[[str], None]


def archive_limits(settings: Settings) -> ArchiveLimits:
    return ArchiveLimits(
        max_depth=settings.max_archive_depth,
        max_members=settings.max_archive_members,
        max_total_bytes=settings.max_archive_total_mb * 1024 * 1024,
        max_ratio=settings.max_archive_ratio,
        max_member_bytes=settings.max_file_bytes,
    )


def submit(
    engine: Engine,
    settings: Settings,
    items: Iterable[Incoming | Rejected],
    *,
    collection: str,
    doc_type: str | None = None,
    origin: str = "api",
    uploader: str | None = None,
    enqueue: Enqueue = enqueue_file,
    progress: Callable[[int], None] | None = None,
    expand_archives: bool = True,
    types: Mapping[str, str] | None = None,
    given: Sequence[str] | None = None,
) -> str:
    """Store every file, record the batch durably, then queue one task per file. Returns the batch id.

    ``items`` are expanded (ZIPs opened) unless they were already; ``progress`` is called with the
    number of files stored so far. ``uploader`` (the user, for loads through the API) is recorded, and
    what it loads counts against its daily quota: :class:`QuotaExceeded`, before anything is stored, when
    none is left; files past it fail ``quota_exceeded``.

    ``types`` gives a document type per file given (its name as given -> type): a file's own, or that of the
    archive or folder it came in, wins over ``doc_type`` (the batch's, for the files ``types`` does not name).
    The batch is named after what was given (``given``: the names of the files and folders as given; the
    items' names when they are a list), see :func:`batch_name`.
    """
    store = FileStore.of(settings)
    allowance = Allowance.of(engine, settings, uploader)
    batch_id = new_batch_id()
    records: list[FileRecord] = []
    seen: dict[str, str] = {}
    if given is None and isinstance(items, (list, tuple)):
        given = [item.name for item in items]
    stream = expand(items, archive_limits(settings)) if expand_archives else items
    for seq, item in enumerate(stream):
        record = FileRecord(id=f"{batch_id}-{seq:06d}", batch_id=batch_id, seq=seq, name=item.name, uploader=uploader,
                            doc_type=type_of(item.name, types))
        records.append(record)
        if progress is not None:
            progress(len(records))
        if isinstance(item, Rejected):
            record.fail(item.reason, item.message)
            continue
        record.note = item.note
        _store(engine, settings, store, item, record, seen, allowance)
    name = batch_name(list(given) if given else [record.name for record in records])
    BatchStore(engine, settings).create(batch_id, records, collection, doc_type, origin, uploader, name)
    queued = [record.id for record in records if record.status == Status.QUEUED]
    for file_id in queued:
        enqueue(file_id)
    log.info("batch %s: %d files, %d queued", batch_id, len(records), len(queued))
    return batch_id


def type_of(name: str, types: Mapping[str, str] | None) -> str | None:
    """The type ``types`` gives the file ``name``: its own, else that of the archive or folder it is in (the
    nearest), else None."""
    if not types:
        return None
    path = name
    while True:
        if path in types:
            return types[path]
        if "/" not in path:
            return None
        path = path.rsplit("/", 1)[0]


def batch_name(given: Sequence[str]) -> str | None:
    """What a person calls a load: the first thing given (a file, an archive, a folder: a name ending in "/"; a
    file given with a folder path, among others, names its folder), and how many other things came with it:
    ``expedientes.zip``, ``archivo/2019``, ``a.pdf (+41)``, ``archivo/2019 (+41)``. None for a load of nothing."""
    if not given:
        return None
    first = given[0]
    if first.endswith("/"):
        first = first.rstrip("/") or first
    elif "/" in first and len(given) > 1:  # files picked in a folder (a browser's folder upload): the folder
        first = first.rsplit("/", 1)[0]
    others = sum(1 for name in given[1:] if name != first and not name.startswith(first + "/"))
    if first.startswith("/"):  # a path on the server (the command line's): its last part, not where it is kept
        first = first.rstrip("/").rsplit("/", 1)[-1] or first
    return f"{first} (+{others})" if others else first


def _store(engine: Engine, settings: Settings, store: FileStore, item: Incoming, record: FileRecord,
           seen: dict[str, str], allowance: Allowance) -> None:
    try:
        with item.open() as stream:
            stored = store.put_stream(stream, settings.max_file_bytes)
    except TooLarge:
        record.fail(Reason.TOO_LARGE, f"The file is larger than the {settings.max_file_mb} MiB limit.")
        return
    except MemberUnreadable as exc:  # a ZIP bomb, an over-size or damaged archive entry
        record.fail(exc.reason, exc.message)
        return
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        record.fail(Reason.CORRUPT, f"The archive entry is damaged and could not be read ({exc}).")
        return
    except OSError as exc:
        record.fail(Reason.MISSING_FILE, f"The file could not be read: {exc.strerror or exc}.")
        return
    record.sha256, record.size = stored.sha256, stored.size
    if stored.sha256 in seen:
        record.status, record.document_id = Status.DUPLICATE, stored.sha256
        record.message = f"Same content as '{seen[stored.sha256]}' in this load."
        return
    if stored.size == 0:
        record.fail(Reason.EMPTY_FILE, REASONS[Reason.EMPTY_FILE])
    elif not allowance.take(stored.size):
        record.fail(Reason.QUOTA_EXCEEDED, f"The file ({stored.size:,} bytes) would take you past your daily load "
                                           f"quota of {settings.user_quota_mb:,} MiB; it was not kept.")
    else:
        seen[stored.sha256] = item.name
        return
    if stored.created:  # bytes this load brought and cannot use: not kept, unless another load needs them now
        release(engine, settings, store, stored.sha256)


def submit_paths(engine: Engine, settings: Settings, paths: Iterable[Path], **kwargs) -> str:
    """Files and folders on this machine (folders recursively, ZIPs opened)."""
    paths = list(paths)
    kwargs.setdefault("given", [f"{str(path).rstrip('/')}/" if Path(path).is_dir() else str(path) for path in paths])
    return submit(engine, settings, expand_paths(paths, archive_limits(settings)), expand_archives=False, **kwargs)


def retry(engine: Engine, settings: Settings, batch_id: str, reasons: Iterable[str] | None = None,
          enqueue: Enqueue = enqueue_file) -> list[str] | None:
    """Queue the failed files of a batch again (only those failed for one of ``reasons``, if given).

    Returns the ids queued, or None when there is no such batch (a reason no file has queues none).
    """
    return _requeue(engine, settings, batch_id, Status.FAILED, Mode.FULL, list(reasons or ()), enqueue)


def reprocess(engine: Engine, settings: Settings, batch_id: str, stage: str,
              enqueue: Enqueue = enqueue_file) -> list[str] | None:
    """Process the indexed files of a batch again: ``all`` (extract, OCR, tag), ``ocr`` (the same, only
    for files that had OCR'd pages) or ``nlp`` (tag the indexed text again).

    Returns the ids queued, or None when there is no such batch. Another stage is a ValueError.
    """
    if stage not in REPROCESS_MODES:
        raise ValueError(f"stage is one of: {', '.join(REPROCESS_MODES)}")
    return _requeue(engine, settings, batch_id, Status.INDEXED, Mode(stage), None, enqueue)


def _requeue(engine: Engine, settings: Settings, batch_id: str, status: Status, mode: Mode,
             reasons: list[str] | None, enqueue: Enqueue) -> list[str] | None:
    batches = BatchStore(engine, settings)
    if batches.batch(batch_id) is None:
        return None
    ids = batches.requeue(batch_id, status, mode, reasons)
    for file_id in ids:
        enqueue(file_id)
    return ids
