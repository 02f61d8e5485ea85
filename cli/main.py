"""The ``docsearch`` command line: a face of the system beside the API.

Like the API it composes the core (``docsearch/``) and ``ingestion/``; nothing imports it.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from docsearch.engine import Engine, quiet_client_logs
from docsearch.schema import drop_indices, ensure_indices, schema_status
from docsearch.search import SearchRequest, SearchService
from docsearch.settings import Settings, get_settings
from ingestion import submit
from ingestion.batches import BatchStore
from ingestion.reconcile import Reconciler
from ingestion.states import FINAL, PENDING, BatchState, Mode, Status
from samples import corpus as sample_corpus
from services import stack

app = typer.Typer(help="docsearch: search legal and prosecution material.", no_args_is_help=True,
                  add_completion=False)
services_app = typer.Typer(help="Start, stop and inspect the local services.", no_args_is_help=True)
index_app = typer.Typer(help="Manage the search indices.", no_args_is_help=True)
app.add_typer(services_app, name="services")
app.add_typer(index_app, name="index")
console = Console(soft_wrap=True)

SAMPLE_COLLECTION = "muestra"
Only = Annotated[Optional[str], typer.Option(help="Comma-separated subset: engine,redis,worker,api.")]


def _components(only: str | None) -> tuple[str, ...]:
    if not only:
        return stack.COMPONENTS
    chosen = tuple(part.strip() for part in only.split(",") if part.strip())
    unknown = [c for c in chosen if c not in stack.COMPONENTS]
    if unknown:
        raise typer.BadParameter(f"unknown component(s): {', '.join(unknown)}; "
                                 f"choose from {', '.join(stack.COMPONENTS)}")
    return tuple(c for c in stack.COMPONENTS if c in chosen)


def _start(settings, components: tuple[str, ...]) -> None:
    try:
        stack.up(settings, components, report=_report)
    except RuntimeError as exc:
        console.print(f"[red]could not start:[/] {exc}")
        raise typer.Exit(1) from None


def _report(name: str, state: str) -> None:
    console.print(f"  [bold]{name:8}[/] {state}")


@services_app.command("up")
def services_up(only: Only = None) -> None:
    """Start the engine, Redis, a worker and the API (each only if not already running)."""
    _start(get_settings(), _components(only))


@services_app.command("down")
def services_down(only: Only = None) -> None:
    """Stop what `services up` started."""
    stack.down(get_settings(), _components(only), report=_report)


@services_app.command("status")
def services_status() -> None:
    for name, state in stack.status(get_settings()).items():
        _report(name, state)


@app.command()
def up(sample: Annotated[bool, typer.Option(help="Load the sample corpus.")] = True) -> None:
    """Start everything, load the sample corpus, and print where to search."""
    settings = get_settings()
    console.print("[bold]Starting docsearch[/]")
    _start(settings, stack.COMPONENTS)
    if sample:
        _load_sample(settings)
    console.print(f"\n[bold green]docsearch is running:[/] {stack.api_url(settings)}/  "
                  f"(API docs: {stack.api_url(settings)}/docs)")


@app.command()
def down() -> None:
    """Stop every local service."""
    services_down(None)


def _load_sample(settings: Settings) -> None:
    folder = settings.data_dir / "sample"
    paths = sample_corpus.generate(folder)
    engine = Engine.connect(settings)
    missing = [p for p in paths if engine.get(settings.documents_alias, _sha256(p), _source_includes=["id"]) is None]
    if not missing:
        console.print(f"  [bold]sample  [/] {len(paths)} documents already indexed")
        return
    console.print(f"  [bold]sample  [/] loading {len(missing)} documents into collection '{SAMPLE_COLLECTION}'")
    _ingest(missing, SAMPLE_COLLECTION, None, wait=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF files or folders (searched recursively).", exists=True)],
    collection: Annotated[str, typer.Option(help="Collection to file the documents under.")] = "default",
    doc_type: Annotated[Optional[str], typer.Option(help="Document type, if known.")] = None,
    wait: Annotated[bool, typer.Option(help="Show progress until every file is done.")] = False,
) -> None:
    """Load PDFs: each file is stored, queued and indexed by the workers."""
    batch_id = _ingest(paths, collection, doc_type, wait)
    if not wait:
        console.print(f"batch {batch_id} queued; follow it with: docsearch batch {batch_id}")


def _ingest(paths: list[Path], collection: str, doc_type: str | None, wait: bool) -> str:
    settings = get_settings()
    engine = Engine.connect(settings)
    with Progress(TextColumn("[bold]storing files"), TextColumn("{task.completed} read"), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("store", total=None)
        batch_id = submit.submit_paths(engine, settings, paths, collection=collection, doc_type=doc_type,
                                       origin="cli", progress=lambda n: progress.update(task, completed=n))
    if wait:
        _wait_and_report(engine, settings, batch_id)
    return batch_id


def _wait_and_report(engine: Engine, settings: Settings, batch_id: str) -> None:
    """Progress until the batch is done, then its counts and failed files; exit 2 when any failed."""
    summary = _follow(engine, settings, batch_id)
    _print_batch(summary, _failed(engine, settings, batch_id))
    if summary["counts"][Status.FAILED]:
        raise typer.Exit(2)


def _follow(engine: Engine, settings: Settings, batch_id: str, poll: float = 0.5) -> dict:
    store = BatchStore(engine, settings)
    summary = store.summary(batch_id, include_files=False)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task(f"batch {batch_id[:8]}", total=summary["total"], detail="")
        while True:
            summary = store.summary(batch_id, include_files=False)
            c = summary["counts"]
            progress.update(task, completed=sum(c[state] for state in FINAL), detail=_detail(summary))
            if summary["state"] == BatchState.DONE:
                break
            time.sleep(poll)
    engine.refresh(settings.documents_alias)  # searchable now, not after the next refresh interval
    return store.summary(batch_id, include_files=False)


def _failed(engine: Engine, settings: Settings, batch_id: str) -> dict | None:
    return BatchStore(engine, settings).summary(batch_id, status=Status.FAILED, limit=10_000)


def _detail(summary: dict) -> str:
    c = summary["counts"]
    parts = [f"{summary['pages_done']} pages"]
    if summary.get("pages_per_s"):
        parts.append(f"{summary['pages_per_s']:.1f} pages/s")
    if c[Status.FAILED]:
        parts.append(f"[red]{c[Status.FAILED]} failed[/]")
    if summary["state"] != BatchState.DONE and summary.get("eta_s") is not None:
        parts.append(f"ETA {int(summary['eta_s']) // 60}:{int(summary['eta_s']) % 60:02d}")
    return " · ".join(parts)


def _print_batch(summary: dict, failed: dict | None = None) -> None:
    """Counts, then every failed file (``failed`` is the summary filtered on failures)."""
    c = summary["counts"]
    pending = sum(c[state] for state in PENDING)
    console.print(f"batch {summary['id']}: {summary['state']} — {c[Status.INDEXED]} indexed, "
                  f"{c[Status.DUPLICATE]} duplicate, {c[Status.FAILED]} failed, {pending} pending; "
                  f"{summary['pages_done']} pages")
    rows = (failed or {}).get("files") or []
    if rows:
        table = Table("file", "reason", "message", title="failed files")
        for f in rows:
            table.add_row(f["name"], f["reason"] or "", f["message"] or "")
        console.print(table)
        if failed["files_matching"] > len(rows):
            console.print(f"… and {failed['files_matching'] - len(rows)} more failed files: "
                          f"GET /api/batches/{summary['id']}?status=failed&offset={len(rows)}")


@app.command()
def batch(batch_id: str, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show a batch: counts by state and every failed file with its reason."""
    settings = get_settings()
    engine = Engine.connect(settings)
    summary = BatchStore(engine, settings).summary(batch_id)
    if summary is None:
        console.print(f"[red]no batch {batch_id}[/]")
        raise typer.Exit(1)
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        _print_batch(summary, _failed(engine, settings, batch_id))


@app.command()
def retry(
    batch_id: str,
    reason: Annotated[Optional[list[str]], typer.Option(help="Only failures with this reason (repeatable).")] = None,
    wait: Annotated[bool, typer.Option(help="Show progress until every file is done.")] = True,
) -> None:
    """Queue the failed files of a batch again."""
    settings = get_settings()
    engine = Engine.connect(settings)
    _report_requeued(engine, settings, batch_id, submit.retry(engine, settings, batch_id, reason), wait)


@app.command()
def reprocess(
    batch_id: str,
    stage: Annotated[str, typer.Option(help="all | ocr | nlp (tag the indexed text again).")] = Mode.NLP.value,
    wait: Annotated[bool, typer.Option(help="Show progress until every file is done.")] = True,
) -> None:
    """Process the indexed files of a batch again: everything, only scans (OCR), or only NER."""
    settings = get_settings()
    engine = Engine.connect(settings)
    try:
        ids = submit.reprocess(engine, settings, batch_id, stage)
    except ValueError as exc:  # not a stage
        raise typer.BadParameter(str(exc)) from exc
    _report_requeued(engine, settings, batch_id, ids, wait)


def _report_requeued(engine: Engine, settings: Settings, batch_id: str, ids: list[str] | None, wait: bool) -> None:
    if ids is None:
        console.print(f"[red]no batch {batch_id}[/]")
        raise typer.Exit(1)
    console.print(f"{len(ids)} files queued again")
    if wait and ids:
        _wait_and_report(engine, settings, batch_id)


@app.command()
def reconcile() -> None:
    """Queue again the files lost by a broker restart or a dead worker (the workers also do it on their own)."""
    reconciler = Reconciler.create(get_settings())
    report = reconciler.run_once()
    console.print(f"{report['checked']} stale files checked, {len(report['requeued'])} queued again")


@app.command()
def search(q: str, size: int = 10) -> None:
    """Search from the terminal (same service as the API)."""
    settings = get_settings()
    result = SearchService(Engine.connect(settings), settings).search(SearchRequest(q=q, size=size))
    console.print(f"{result['total']} documents ({result['took_ms']} ms)")
    for r in result["results"]:
        console.print(f"[bold]{r['title']}[/]  [dim]{r['id'][:12]}[/]")
        for p in r["pages"]:
            console.print(f"   p. {p['page']}: {p['snippet']}", markup=False, highlight=False)


@index_app.command("ensure")
def index_ensure() -> None:
    """Create missing indices behind their aliases (idempotent)."""
    settings = get_settings()
    for alias, state in ensure_indices(Engine.connect(settings), settings).items():
        _report(alias, state)


@index_app.command("status")
def index_status() -> None:
    settings = get_settings()
    for alias, state in schema_status(Engine.connect(settings), settings).items():
        _report(alias, state)


@index_app.command("reset")
def index_reset(yes: Annotated[bool, typer.Option("--yes", help="Confirm: every indexed document is removed.")] = False) -> None:
    """Delete and recreate the indices (the stored originals stay; load them again to index)."""
    if not yes:
        console.print("[red]This deletes every indexed document and batch record.[/] Run again with --yes to confirm.")
        raise typer.Exit(1)
    settings = get_settings()
    engine = Engine.connect(settings)
    drop_indices(engine, settings)
    for alias, state in ensure_indices(engine, settings).items():
        _report(alias, state)


def main() -> None:
    quiet_client_logs()
    app()


if __name__ == "__main__":
    main()
