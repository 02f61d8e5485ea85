"""``docsearch custody`` and ``docsearch export``: the chain of custody of the originals from the terminal
(docs/custody.md) — where a document came from, a check of every stored original, exports for court and the
check of an export. Run on the server; what changes or exports anything is recorded in the audit trail under
``cli:<user>``."""

from __future__ import annotations

import getpass
import os
import tempfile
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from cli.filters import Filters
from cli.searching import dump, err, out, user_errors
from docsearch.access import SYSTEM, Caller
from docsearch.accounts import Accounts
from docsearch.audit import Action, Audit
from docsearch.custody import Progress as Step
from docsearch.custody import Report, provenance, sha256_of, verify_store
from docsearch.engine import Engine
from docsearch.exports import (
    Asked,
    ExportError,
    check_export,
    key_id,
    key_path,
    load_public_key,
    public_pem,
    signing_key,
    write_export,
)
from docsearch.search import SearchService
from docsearch.settings import get_settings
from docsearch.store import FileStore


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(Text("error: ", style="bold red") + Text(message))
    return typer.Exit(code)


# -- one document ----------------------------------------------------------------------------------------

def show(doc_id: str, as_json: bool) -> None:
    """A document's chain of custody, and whether its stored original still hashes to its id now."""
    settings = get_settings()
    engine = Engine.connect(settings)
    found = provenance(engine, settings, doc_id, SYSTEM)
    if found is None:
        raise _fail(f"no document {doc_id}")
    path = FileStore.of(settings).path_for(doc_id)
    actual = sha256_of(path)[0] if path.is_file() else None
    found["original"] = "missing" if actual is None else ("intact" if actual == doc_id else "modified")
    if actual is not None and actual != doc_id:
        found["actual_sha256"] = actual
    if as_json:
        dump(found)
    else:
        style = {"intact": "green", "modified": "bold red", "missing": "bold red"}[found["original"]]
        for label, value in (("sha256", doc_id), ("bytes", found.get("size")), ("indexed", found.get("ingested_at"))):
            out.print(Text.assemble((f"{label:>9}  ", "dim"), str(value)))
        out.print(Text.assemble((f"{'original':>9}  ", "dim"), (found["original"], style),
                                f" (now hashes to {actual})" if found["original"] == "modified" else ""))
        out.print(Text(f"{len(found['loads'])} load(s):", style="bold"))
        for load in found["loads"]:
            who = load.get("uploader") or "server tooling"
            out.print(Text(f"  {load.get('loaded_at') or '?'}  {who}  {load.get('collection') or '?'}  "
                           f"batch {load.get('batch') or '?'}  {load.get('status') or ''}  ") + Text(load.get("name") or ""))
    if found["original"] != "intact":
        raise typer.Exit(1)


# -- the whole store -------------------------------------------------------------------------------------

def verify(as_json: bool) -> None:
    """Re-hash every original; exit 1 when one is modified, missing or an orphan. Recorded in the audit trail."""
    settings = get_settings()
    engine = Engine.connect(settings)
    if err.is_terminal and not as_json:
        with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.fields[size]}"), TimeElapsedColumn(), console=err, transient=True) as bar:
            tasks: dict[str, int] = {}

            def moved(step: Step) -> None:
                if step.phase not in tasks:
                    label = "documents' originals" if step.phase == "index" else "originals re-hashed"
                    tasks[step.phase] = bar.add_task(label, total=step.total, size="")
                size = (f"{step.bytes / 1e6:,.1f} of {step.total_bytes / 1e6:,.1f} MB"
                        if step.total_bytes is not None else "")
                bar.update(tasks[step.phase], completed=step.done, total=step.total, size=size)

            report = verify_store(engine, settings, moved)
    else:
        report = verify_store(engine, settings)
    Audit(engine, settings).record(_actor(), Action.CUSTODY_VERIFY, details=report.summary())
    if as_json:
        dump(report.as_dict())
    else:
        _print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_report(report: Report) -> None:
    size = f"{report.bytes / 1e6:,.1f} MB"
    if report.ok:
        out.print(f"[bold green]store intact:[/] {report.documents} documents, {report.files} originals re-hashed "
                  f"({size}) in {report.seconds:.1f} s")
        return
    counts = ", ".join(f"{n} {kind}" for kind, n in report.counts.items() if n)
    err.print(f"[bold red]store damaged:[/] {counts} ({report.documents} documents, {report.files} originals "
              f"re-hashed, {size})")
    for finding in report.findings:
        err.print(Text(f"  {finding.kind:8} {finding.sha256}  {finding.path}  {finding.detail}"
                       + (f" (now {finding.actual})" if finding.actual else "")))
    unlisted = sum(report.counts.values()) - len(report.findings)
    if unlisted:
        err.print(f"  ... and {unlisted} more (--json lists the first {len(report.findings)})")


# -- exports ---------------------------------------------------------------------------------------------

def export(q: str, filters: Filters, ids: list[str], output: Path, limit: int, sort: str, as_user: str | None) -> None:
    """The signed export of a search's first ``limit`` results (or of ``ids``) to ``output``; exit 2 when it
    cannot be made as asked, and nothing is written then."""
    settings = get_settings()
    engine = Engine.connect(settings)
    caller: Caller = SYSTEM
    if as_user:
        found = Accounts(engine, settings).caller(as_user)
        if found is None:
            raise _fail(f"no user {as_user} (or it is disabled)", 2)
        caller = found
    search = SearchService(engine, settings, caller=caller)
    if ids and (q.strip() or filters.describe()):
        raise _fail("give either --id or a search (a query, filters), not both", 2)
    if ids:
        asked = Asked(ids=tuple(ids))
    else:
        with user_errors():
            asked = Asked(request=filters.request(q, sort=sort).validate(search.registry), limit=limit)
            search.parse(q)
    output = output.resolve()
    fd, name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
    try:
        with user_errors(), os.fdopen(fd, "w+b") as part:
            manifest = write_export(search, settings, asked, part, _actor())
        Audit(engine, settings).record(_actor(), Action.EXPORT, manifest["manifest_sha256"], query=q or None, details={
            "count": manifest["count"], "total": manifest["total"], "bytes": manifest["bytes"],
            "query": manifest["query"], "documents": [row["id"] for row in manifest["documents"]],
            "key_id": manifest["signature"]["key_id"], "as": as_user})
        os.replace(name, output)
    except ExportError as exc:
        os.unlink(name)
        raise _fail(exc.message, 2) from None
    except BaseException:
        if os.path.exists(name):
            os.unlink(name)
        raise
    err.print(Text(f"{output}: {manifest['count']} documents, {manifest['bytes']:,} bytes; manifest sha256 "
                   f"{manifest['manifest_sha256']}; signed by key {manifest['signature']['key_id']}"))
    if not manifest["complete"]:
        err.print(Text(f"note: the search matched {manifest['total']} documents; the first {manifest['count']} "
                       f"were exported (raise --limit for more)", style="yellow"))


def check(path: Path, key: Path | None, as_json: bool) -> None:
    """Check an export's signature and every hash; exit 1 when anything does not match."""
    trusted, whose = None, "the key inside the export"
    if key is not None:
        try:
            trusted = load_public_key(key.read_bytes())
        except (OSError, ValueError) as exc:
            raise _fail(f"{key}: {exc}", 2) from None
        whose = str(key)
    else:
        local = key_path(get_settings())
        if local.is_file():  # on the server that made it: its own key
            trusted, whose = signing_key(get_settings()).public_key(), "this deployment's key"
    result = check_export(path, trusted)
    if as_json:
        dump(result.as_dict() | {"key": whose})
    elif result.ok:
        out.print(f"[bold green]export intact:[/] {result.documents} originals, each hashing to its sha256; "
                  f"manifest signed by key {result.key_id} ({whose})")
        if not result.trusted:
            err.print("[yellow]note:[/] checked with the key inside the export: compare its id with the one the "
                      "issuer published (`docsearch custody key` on the server), or pass it with --key")
    else:
        err.print(f"[bold red]export NOT intact:[/] {len(result.problems)} problem(s)")
        for problem in result.problems:
            err.print(Text(f"  {problem}"))
    if not result.ok:
        raise typer.Exit(1)


def key(output: Path | None) -> None:
    """This deployment's public export key (PEM) on stdout or in ``output``, and its id on stderr."""
    public = signing_key(get_settings()).public_key()
    if output is None:
        print(public_pem(public).decode(), end="")
    else:
        output.write_bytes(public_pem(public))
    err.print(Text(f"key id {key_id(public)}"))
