"""Turn what a user gives us (uploads, folders, ZIPs) into a durable batch and queued tasks.

Archives are opened here, entry by entry (``ingestion.inputs``), so the batch
lists every file inside them. Checks that need no parsing (zero bytes, over
the size limit, unsafe archive paths, ZIP bombs) fail the file here, before
anything is queued; everything else is the worker's job. Nothing given to us
goes unrecorded: each item becomes a file record, whatever happens to it.
"""

from __future__ import annotations

import logging
import zipfile
import zlib
from pathlib import Path
from typing import Callable, Iterable

from docsearch.engine import Engine
from docsearch.settings import Settings
from ingestion.batches import BatchStore, new_batch_id
from ingestion.errors import REASONS
from ingestion.inputs import ArchiveLimits, Incoming, MemberUnreadable, Rejected, expand, expand_paths
from docsearch.store import FileStore, TooLarge

log = logging.getLogger(__name__)

__all__ = ["Incoming", "archive_limits", "submit", "submit_paths"]


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
    enqueue: Callable[[str], None],
    progress: Callable[[int], None] | None = None,
    expand_archives: bool = True,
) -> str:
    """Store every file, record the batch durably, then queue one task per file. Returns the batch id.

    ``items`` are expanded (ZIPs opened) unless they were already; ``progress`` is called with the
    number of files stored so far.
    """
    store = FileStore(settings.store_dir)
    batch_id = new_batch_id()
    records: list[dict] = []
    seen: dict[str, str] = {}
    stream = expand(items, archive_limits(settings)) if expand_archives else items
    for seq, item in enumerate(stream):
        record = {"id": f"{batch_id}-{seq:06d}", "batch_id": batch_id, "seq": seq, "name": item.name,
                  "status": "queued"}
        records.append(record)
        if progress is not None:
            progress(len(records))
        if isinstance(item, Rejected):
            record.update(status="failed", reason=item.reason, message=item.message)
            continue
        if item.note:
            record["note"] = item.note
        _store(store, settings, item, record, seen)
    BatchStore(engine, settings).create(batch_id, records, collection, doc_type, origin)
    for record in records:
        if record["status"] == "queued":
            enqueue(record["id"])
    log.info("batch %s: %d files, %d queued", batch_id, len(records), sum(r["status"] == "queued" for r in records))
    return batch_id


def _store(store: FileStore, settings: Settings, item: Incoming, record: dict, seen: dict[str, str]) -> None:
    try:
        with item.open() as stream:
            stored = store.put_stream(stream, settings.max_file_bytes)
    except TooLarge:
        record.update(status="failed", reason="too_large",
                      message=f"The file is larger than the {settings.max_file_mb} MiB limit.")
        return
    except MemberUnreadable as exc:  # a ZIP bomb, an over-size or damaged archive entry
        record.update(status="failed", reason=exc.reason, message=exc.message)
        return
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        record.update(status="failed", reason="corrupt",
                      message=f"The archive entry is damaged and could not be read ({exc}).")
        return
    except OSError as exc:
        record.update(status="failed", reason="missing_file",
                      message=f"The file could not be read: {exc.strerror or exc}.")
        return
    record.update(sha256=stored.sha256, size=stored.size)
    if stored.size == 0:
        record.update(status="failed", reason="empty_file", message=REASONS["empty_file"])
    elif stored.sha256 in seen:
        record.update(status="duplicate", document_id=stored.sha256,
                      message=f"Same content as '{seen[stored.sha256]}' in this load.")
    else:
        seen[stored.sha256] = item.name


def submit_paths(engine: Engine, settings: Settings, paths: Iterable[Path], **kwargs) -> str:
    """Files and folders on this machine (folders recursively, ZIPs opened)."""
    return submit(engine, settings, expand_paths(paths, archive_limits(settings)), expand_archives=False, **kwargs)
