"""Loads from the terminal: submit files, follow a batch with a progress bar, report it with every failed file.

A batch's failed files are read a page at a time (``BatchStore.summary`` with ``status``, ``offset`` and
``limit``) until all of them are listed: a load of 50,000 scans may fail thousands, and each deserves its line.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from cli.searching import dump, err, out
from docsearch.engine import Engine
from docsearch.settings import Settings, get_settings
from ingestion import submit
from ingestion.batches import BatchStore
from ingestion.states import FINAL, PENDING, BatchState, Status

FAILED_PAGE = 1000  # failed files read per request


def failed_files(store: BatchStore, batch_id: str, page: int = FAILED_PAGE) -> Iterator[dict]:
    """Every failed file of a batch, in load order, a page of ``page`` at a time."""
    offset = 0
    while True:
        found = store.summary(batch_id, status=Status.FAILED, offset=offset, limit=page)
        files = (found or {}).get("files") or []
        yield from files
        offset += len(files)
        if not files or offset >= (found or {}).get("files_matching", 0):
            return


def ingest(paths: list[Path], collection: str, doc_type: str | None, wait: bool, as_json: bool = False) -> str:
    """Store and queue ``paths`` as one batch; with ``wait``, follow it and report it (exit 2 if any failed)."""
    settings = get_settings()
    engine = Engine.connect(settings)
    console = err if as_json else out
    with Progress(TextColumn("[bold]storing files"), TextColumn("{task.completed} read"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("store", total=None)
        batch_id = submit.submit_paths(engine, settings, paths, collection=collection, doc_type=doc_type,
                                       origin="cli", progress=lambda n: progress.update(task, completed=n))
    if wait:
        summary = follow(engine, settings, batch_id, console)
        report(engine, settings, summary, as_json)
        if summary["counts"][Status.FAILED]:
            raise typer.Exit(2)
    elif as_json:
        dump({"batch_id": batch_id})
    return batch_id


def follow(engine: Engine, settings: Settings, batch_id: str, console: Console, poll: float = 0.5) -> dict:
    """A progress bar until every file of the batch is done; the batch's summary then."""
    store = BatchStore(engine, settings)
    summary = store.summary(batch_id, include_files=False)
    if summary is None:
        raise LookupError(batch_id)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task(summary.get("name") or f"batch {batch_id[:8]}", total=summary["total"], detail="")
        while True:
            summary = store.summary(batch_id, include_files=False) or summary
            c = summary["counts"]
            progress.update(task, completed=sum(c[state] for state in FINAL), detail=_detail(summary))
            if summary["state"] == BatchState.DONE:
                break
            time.sleep(poll)
    engine.refresh(settings.documents_alias)  # searchable now, not after the next refresh interval
    return store.summary(batch_id, include_files=False) or summary


def _detail(summary: dict) -> str:
    c = summary["counts"]
    queue = summary.get("queue")
    if queue:  # nothing of it started: where it stands, and no rate or time left
        return ("waiting for a worker: next in the queue" if queue["position"] <= 1 else
                f"waiting for a worker: {queue['files_ahead']} files of {queue['batches_ahead']} loads ahead")
    parts = [f"{summary['pages_done']} pages"]
    if summary.get("pages_per_s"):
        parts.append(f"{summary['pages_per_s']:.1f} pages/s")
    if c[Status.FAILED]:
        parts.append(f"[red]{c[Status.FAILED]} failed[/]")
    if summary["state"] != BatchState.DONE and summary.get("eta_s") is not None:
        parts.append(f"ETA {int(summary['eta_s']) // 60}:{int(summary['eta_s']) % 60:02d}")
    return " · ".join(parts)


def show(batch_id: str, as_json: bool) -> None:
    settings = get_settings()
    engine = Engine.connect(settings)
    summary = BatchStore(engine, settings).summary(batch_id, include_files=False)
    if summary is None:
        err.print(Text(f"no batch {batch_id}", style="red"))
        raise typer.Exit(1)
    report(engine, settings, summary, as_json)


def report(engine: Engine, settings: Settings, summary: dict, as_json: bool) -> None:
    """Counts, then every failed file with its reason: a table, or JSON (the summary with ``failed``)."""
    failed = list(failed_files(BatchStore(engine, settings), summary["id"]))
    if as_json:
        dump({**summary, "failed": failed})
        return
    c = summary["counts"]
    pending = sum(c[state] for state in PENDING)
    name = f"{summary['name']} " if summary.get("name") else ""
    out.print(Text(f"{name}batch {summary['id']}: {summary['state']} — {c[Status.INDEXED]} indexed, "
                   f"{c[Status.DUPLICATE]} duplicate, {c[Status.FAILED]} failed, {pending} pending; "
                   f"{summary['pages_done']} pages"))
    if failed:
        table = Table("file", "reason", "message", title=f"failed files ({len(failed)})")
        for f in failed:
            table.add_row(Text(f["name"] or ""), Text(f["reason"] or ""), Text(f["message"] or ""))
        out.print(table)


def requeued(batch_id: str, ids: list[str] | None, wait: bool) -> None:
    """After ``retry`` or ``reprocess``: how many files went back to the queue, then (``wait``) the batch."""
    if ids is None:
        err.print(Text(f"no batch {batch_id}", style="red"))
        raise typer.Exit(1)
    out.print(f"{len(ids)} files queued again")
    if wait and ids:
        settings = get_settings()
        engine = Engine.connect(settings)
        summary = follow(engine, settings, batch_id, out)
        report(engine, settings, summary, False)
        if summary["counts"][Status.FAILED]:
            raise typer.Exit(2)
