"""``docsearch audit``: check the audit trail's chain, and list its records (docs/audit.md)."""

from __future__ import annotations

import typer
from rich.table import Table

from cli.searching import dump, err, out
from docsearch.audit import Audit
from docsearch.engine import Engine
from docsearch.settings import get_settings


def _audit() -> Audit:
    settings = get_settings()
    return Audit(Engine.connect(settings), settings)


def parse_anchor(value: str | None) -> tuple[int, str] | None:
    """``SEQ:HASH`` as kept outside the system (what `audit verify` printed on an earlier day)."""
    if not value:
        return None
    seq, _, digest = value.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise typer.BadParameter("give SEQ:HASH, as `docsearch audit verify` prints it (e.g. 1234:9c94d1...)")
    return int(seq), digest.lower()


def verify(anchor: str | None, as_json: bool) -> None:
    """Exit 0 when the chain is whole, 1 (naming the seqs) when a record was changed or removed."""
    result = _audit().verify(parse_anchor(anchor))
    if as_json:
        dump(result.as_dict())
    elif result.ok:
        out.print(f"[bold green]audit trail intact:[/] {result.records} records")
        if result.records:
            out.print(f"head {result.last_seq}:{result.last_hash}")
    else:
        bad = ", ".join(p.seqs for p in result.problems)
        err.print(f"[bold red]audit trail tampered:[/] {len(result.problems)} problem(s) at seq {bad}")
        for problem in result.problems:
            err.print(f"  {problem.message}")
        err.print(f"{result.records} records read; the last is {result.last_seq}")
    for note in result.notes:
        err.print(f"[yellow]note:[/] {note}")
    if not result.ok:
        raise typer.Exit(1)


def list_records(actor: str | None, action: str | None, since: str | None, until: str | None, q: str | None,
                 size: int, after: int | None, as_json: bool) -> None:
    try:
        page = _audit().search(actor=actor, action=action, since=since, until=until, q=q, size=size, after=after)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if as_json:
        dump(page)
        return
    table = Table(box=None)  # a long target (a document's sha256) is cut short here: --json has it whole
    for name in ("seq", "at", "actor", "action", "ip"):
        table.add_column(name, no_wrap=True)
    for name in ("target", "collection", "query"):
        table.add_column(name, min_width=8)
    for r in page["records"]:
        table.add_row(str(r["seq"]), r["at"][:19].replace("T", " "), r.get("actor") or "", r.get("action") or "",
                      r.get("ip") or "", r.get("target") or "", r.get("collection") or "", r.get("query") or "")
    out.print(table)
    if page["next"]:
        out.print(f"[dim]older: --after {page['next']}[/]")
