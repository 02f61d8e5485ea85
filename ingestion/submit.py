"""Turn files given to us (uploads, paths) into a durable batch and queued tasks.

Checks that need no parsing (zero bytes, over the size limit) fail the file
here, before anything is queued; everything else is the worker's job.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterable

from docsearch.engine import Engine
from docsearch.settings import Settings
from ingestion.batches import BatchStore, new_batch_id
from ingestion.errors import REASONS
from ingestion.store import FileStore, TooLarge

log = logging.getLogger(__name__)


@dataclass
class Incoming:
    """One file as given: the name the user knows it by and a way to read its bytes."""

    name: str
    open: Callable[[], BinaryIO]

    @classmethod
    def from_path(cls, path: Path, name: str | None = None) -> "Incoming":
        return cls(name or str(path), lambda: open(path, "rb"))


def submit(
    engine: Engine,
    settings: Settings,
    items: Iterable[Incoming],
    *,
    collection: str,
    doc_type: str | None = None,
    origin: str = "api",
    enqueue: Callable[[str], None],
) -> str:
    """Store every file, record the batch durably, then queue one task per file. Returns the batch id."""
    store = FileStore(settings.store_dir)
    batch_id = new_batch_id()
    records: list[dict] = []
    seen: dict[str, str] = {}
    for seq, item in enumerate(items):
        record = {"id": f"{batch_id}-{seq:06d}", "batch_id": batch_id, "seq": seq, "name": item.name, "status": "queued"}
        records.append(record)
        try:
            with item.open() as stream:
                stored = store.put_stream(stream, settings.max_file_bytes)
        except TooLarge:
            record.update(status="failed", reason="too_large",
                          message=f"The file is larger than the {settings.max_file_mb} MiB limit.")
            continue
        except OSError as exc:
            record.update(status="failed", reason="missing_file", message=f"The file could not be read: {exc.strerror or exc}.")
            continue
        record.update(sha256=stored.sha256, size=stored.size)
        if stored.size == 0:
            record.update(status="failed", reason="empty_file", message=REASONS["empty_file"])
        elif stored.sha256 in seen:
            record.update(status="duplicate", document_id=stored.sha256,
                          message=f"Same content as '{seen[stored.sha256]}' in this batch.")
        else:
            seen[stored.sha256] = item.name
    BatchStore(engine, settings).create(batch_id, records, collection, doc_type, origin)
    for record in records:
        if record["status"] == "queued":
            enqueue(record["id"])
    log.info("batch %s: %d files, %d queued", batch_id, len(records), sum(r["status"] == "queued" for r in records))
    return batch_id


def paths_to_incoming(paths: Iterable[Path]) -> list[Incoming]:
    """Expand files and folders (recursively, sorted) into :class:`Incoming` items."""
    out: list[Incoming] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                out.append(Incoming.from_path(child))
        else:
            out.append(Incoming.from_path(path))
    return out
