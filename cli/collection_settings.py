"""``docsearch collections``: each collection's display name, whether searches leave it out unless chosen, and
the classification of its new documents, on the server's command line (as the administration page and
``PUT /api/collections/{name}`` set them). Each change is recorded in the audit trail under ``cli:<user>``."""

from __future__ import annotations

import getpass

import typer
from rich.table import Table

from cli.searching import dump, err, out
from docsearch.accounts import AccountError, Accounts
from docsearch.audit import Action, Audit
from docsearch.engine import Engine
from docsearch.schema import ensure_indices
from docsearch.search import SearchService
from docsearch.settings import get_settings


def _stores() -> tuple[Accounts, Audit, SearchService]:
    settings = get_settings()
    engine = Engine.connect(settings)
    ensure_indices(engine, settings)
    return Accounts(engine, settings), Audit(engine, settings), SearchService(engine, settings)


def list_collections(as_json: bool) -> None:
    accounts, _, service = _stores()
    found = accounts.collections(also=service.collection_names())
    if as_json:
        dump(found)
        return
    table = Table("name", "display name", "hidden", "new documents", "grants")
    for c in found:
        table.add_row(c["name"], c.get("display_name") or "", "yes" if c.get("hidden") else "",
                      c.get("default_classification") or "",
                      ", ".join(f"{g['principal']}:{'+'.join(g['rights'])}" for g in c.get("grants") or []))
    out.print(table)


def set_collection(name: str, display_name: str | None, hidden: bool | None, classification: str | None) -> None:
    """Change what is given; the rest (grants included) stays as it was."""
    accounts, audit, _ = _stores()
    before = accounts.collection(name) or {}
    try:
        done = accounts.set_collection(
            name, default_classification=classification or before.get("default_classification") or "reserved",
            grants=before.get("grants") or [], display_name=display_name, hidden=hidden)
    except AccountError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None
    audit.record(f"cli:{getpass.getuser()}", Action.GRANT, name, collection=name, details={
        "default_classification": done["default_classification"], "grants": done["grants"],
        "display_name": done["display_name"], "hidden": done["hidden"]})
    shown = f" \u201c{done['display_name']}\u201d" if done["display_name"] else ""
    out.print(f"collection {name}{shown}: {'hidden from default searches' if done['hidden'] else 'searched by default'}, "
              f"new documents {done['default_classification']}")
