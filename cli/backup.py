"""``docsearch backup``: snapshots of the indices with the original files beside them, listed, verified and
restored (docsearch.backup, docs/backups.md). Run on the server; exit 0 when done, 1 with a message when not.
A backup and a restore are recorded in the audit trail under ``cli:<user>`` when the engine has one."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Optional

import typer
from rich.table import Table

from cli.searching import dump, err, out
from docsearch.audit import Action
from docsearch.backup import BackupError, Backups, Problem, engine_reason
from docsearch.engine import Engine, EngineError, EngineUnavailable
from docsearch.settings import get_settings

app = typer.Typer(help="Back up the indices and the original files, list, verify and restore backups "
                  "(on the server).", no_args_is_help=True)

AsJson = Annotated[bool, typer.Option("--json", help="The result as JSON.")]


@contextmanager
def _failures() -> Iterator[None]:
    """What stops a backup or a restore is a message and exit status 1, not a trace."""
    try:
        yield
    except BackupError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(1) from None
    except EngineUnavailable as exc:
        err.print(f"[bold red]error:[/] {exc}. Start it "
                  "(`docsearch services up --only engine`) or check DOCSEARCH_ENGINE_URL.")
        raise typer.Exit(1) from None
    except EngineError as exc:
        err.print(f"[bold red]error:[/] the search engine refused: {engine_reason(exc)}")
        raise typer.Exit(1) from None


def _backups() -> Backups:
    settings = get_settings()
    return Backups(Engine.connect(settings), settings, progress=lambda line: err.print(f"  {line}"))


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _problems(problems: list[Problem]) -> None:
    for problem in problems:
        err.print(f"  [red]{problem.message}[/]")


def _mib(size: int | None) -> str:
    return "" if size is None else f"{size / 2**20:.1f} MiB"


@app.command("create")
def create(name: Annotated[Optional[str], typer.Option(help="The backup's name (default: the UTC date and time, "
                                                        "20250131-235959).")] = None) -> None:
    """Snapshot every index of this prefix, copy the originals not yet in the backup, write its manifest."""
    with _failures():
        backups = _backups()
        created = backups.create(name)
        backups.record(_actor(), Action.BACKUP_CREATE, created.name, {
            "documents": {alias: e["documents"] for alias, e in created.manifest.indices.items()},
            "originals": len(created.manifest.files), "copied": created.copied})
    for alias in created.missing:
        err.print(f"[yellow]note:[/] {alias} has no index: not in the backup")
    for alias in created.moved:
        err.print(f"[yellow]note:[/] {alias} changed while the snapshot was taken: a restore expects a count "
                  f"between {created.manifest.expected(alias)[0]} and {created.manifest.expected(alias)[1]}")
    if created.corrupt:
        err.print(f"[bold red]{len(created.corrupt)} original(s) in the store do not hash to their name[/] and were "
                  "not copied (load them again):")
        for sha in created.corrupt:
            err.print(f"  {sha}")
    counts = ", ".join(f"{alias} {e['documents']}" for alias, e in created.manifest.indices.items())
    out.print(f"[bold green]backup {created.name}[/]: {counts}; {len(created.manifest.files)} originals")
    out.print(f"manifest {created.path}")
    if created.corrupt:
        raise typer.Exit(1)


@app.command("list")
def listing(as_json: AsJson = False) -> None:
    """The backups, oldest first: date, state, indices, document counts, size."""
    with _failures():
        rows = _backups().listing()
    if as_json:
        dump(rows)
        return
    if not rows:
        out.print("no backups")
        return
    documents = get_settings().documents_alias
    table = Table(box=None)  # the count of every index: --json
    for column in ("name", "date", "state", "indices", "documents", "originals", "snapshot"):
        table.add_column(column, no_wrap=column in ("name", "date", "state"),
                         justify="right" if column in ("indices", "documents") else "left")
    for row in rows:
        table.add_row(row["name"], (row["date"] or "")[:16].replace("T", " "), row["state"], str(len(row["indices"])),
                      str((row["documents"] or {}).get(documents, "")) if row["manifest"] else "no manifest",
                      f"{row['originals']}, {_mib(row['originals_bytes'])}" if row["manifest"] else "",
                      _mib(row["size_bytes"]))
    out.print(table)


@app.command("verify")
def verify(name: Annotated[Optional[str], typer.Argument(help="The backup (default: the newest).")] = None,
           as_json: AsJson = False) -> None:
    """Check the repository (the engine's verify), the snapshot's state, and every original of the backup
    re-hashed against its manifest; exit 1 naming what is wrong."""
    with _failures():
        result = _backups().verify(name)
    if as_json:
        dump({"name": result.name, "ok": result.ok, "files": result.files, "bytes": result.bytes,
              "problems": [p.__dict__ | {"message": p.message} for p in result.problems]})
    elif result.ok:
        out.print(f"[bold green]backup {result.name} verified:[/] repository, snapshot, and {result.files} "
                  f"originals ({_mib(result.bytes)}) matching the manifest")
    else:
        err.print(f"[bold red]backup {result.name} failed verification:[/] {len(result.problems)} problem(s)")
        _problems(result.problems)
    if not result.ok:
        raise typer.Exit(1)


@app.command("restore")
def restore(
    name: Annotated[str, typer.Argument(help="The backup (`docsearch backup list`).")],
    replace: Annotated[bool, typer.Option("--replace/--into-empty",
                                          help="--into-empty (the default) refuses an engine whose indices of this "
                                               "prefix hold documents; --replace deletes them first (with --yes).")]
    = False,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm --replace.")] = False,
) -> None:
    """Restore a backup: its indices under their own names (the aliases come back), then its originals into
    the store, then check the document counts against its manifest. Stop the API and the workers first."""
    with _failures():
        backups = _backups()
        if replace and not yes:
            present = backups.present()
            listed = ", ".join(f"{index} ({n} documents)" for index, n in present.items()) or "none now"
            err.print(f"[red]--replace deletes the indices of prefix {backups.settings.index_prefix} before restoring "
                      f"{name}[/] ({listed}): documents, loads, users, the audit trail and identities written since "
                      "the backup are lost. Run again with --yes to confirm.")
            raise typer.Exit(1)
        result = backups.restore(name, replace=replace)
        head = result.audit_head_before
        backups.record(_actor(), Action.BACKUP_RESTORE, name, {
            "deleted": result.deleted, "copied": result.copied, "ok": result.ok,
            "audit_head_before": f"{head['seq']}:{head['hash']}" if head else None})
    for alias, (low, high, found) in result.counts.items():
        expected = str(low) if low == high else f"{low}-{high}"
        out.print(f"  {alias:28} {found} documents (backup: {expected})")
    if not result.ok:
        err.print(f"[bold red]backup {name} restored with {len(result.problems)} problem(s):[/]")
        _problems(result.problems)
        raise typer.Exit(1)
    out.print(f"[bold green]backup {name} restored:[/] {len(result.indices)} indices, "
              f"{result.copied + result.present} originals in the store")
