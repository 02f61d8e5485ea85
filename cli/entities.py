"""``docsearch entities``: the archive's identities of persons, companies and criminal organisations — look one
up, merge two that are one, split one that is two (docsearch.identities). Run on the server: every document is
seen, and each correction is recorded in the audit trail under ``cli:<user>``."""

from __future__ import annotations

import getpass

import typer

from cli.searching import dump, err, out
from docsearch.audit import Action, Audit
from docsearch.engine import Engine
from docsearch.identities import Identities, IdentityError
from docsearch.settings import get_settings
from docsearch.watches import follow_merge


def _identities() -> tuple[Identities, Audit]:
    settings = get_settings()
    engine = Engine.connect(settings)
    return Identities(engine, settings), Audit(engine, settings)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _print(record: dict) -> None:
    out.print(f"[bold]{record['name']}[/]  {record['type']}  {record['id']}")
    for label, key in (("spellings", "variants"), ("aliases", "aliases"), ("DNI", "dni"), ("RUC", "ruc")):
        if record.get(key):
            out.print(f"  {label}: {'; '.join(record[key])}")


def _fail(exc: IdentityError) -> None:
    err.print(f"[red]{exc}[/]")
    raise typer.Exit(1)


def show(id_or_name: str, kind: str | None, as_json: bool) -> None:
    identities, _ = _identities()
    record = identities.get(id_or_name) or (identities.named(kind, id_or_name) if kind else None)
    if record is None:
        err.print(f"[red]no entity {id_or_name}{'' if kind else ' (give --type to look a name up)'}[/]")
        raise typer.Exit(1)
    if as_json:
        dump(record)
    else:
        _print(record)


def merge(source: str, target: str) -> None:
    identities, audit = _identities()
    try:
        done = identities.merge(source, target)
    except IdentityError as exc:
        _fail(exc)
    moved = follow_merge(identities.engine, identities.settings, source, target)
    audit.record(_actor(), Action.ENTITY_MERGE, source, details={"into": target, "watches_moved": moved})
    out.print(f"merged {source} into {target}; {done['documents']} documents rewritten")
    _print(done["entity"])


def split(id: str, spellings: list[str], name: str | None) -> None:
    identities, audit = _identities()
    try:
        done = identities.split(id, spellings, name)
    except IdentityError as exc:
        _fail(exc)
    audit.record(_actor(), Action.ENTITY_SPLIT, id, details={"spellings": spellings, "new": done["new"]["id"]})
    out.print(f"split {id}; {done['documents']} documents rewritten")
    _print(done["entity"])
    _print(done["new"])
