"""``docsearch saved``, ``docsearch watches`` and ``docsearch inbox``: a user's saved searches, watches and
notifications (docsearch.watches), on the server. Each command acts as the user named by ``--user``, with that
user's permissions: a saved search runs as they would run it, the inbox shows only what they may read now, and
every change is recorded in the audit trail under their name."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import typer

from cli import searching
from cli.filters import Filters
from cli.searching import dump, err, out
from docsearch.accounts import Accounts
from docsearch.engine import Engine
from docsearch.search import SearchService
from docsearch.settings import get_settings
from docsearch.watches import Watches, WatchError, rebuild, request_of, send_digests

_MARK = re.compile(r"</?mark>")


def _watches(user: str) -> Watches:
    settings = get_settings()
    engine = Engine.connect(settings)
    caller = Accounts(engine, settings).caller(user)
    if caller is None:
        err.print(f"[red]no active user '{user}'[/]")
        raise typer.Exit(1)
    return Watches(engine, settings, caller)


@contextmanager
def _refused() -> Iterator[None]:
    try:
        with searching.user_errors():
            yield
    except WatchError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1 if exc.code == "not_found" else 2) from None


def _print_watch(watch: dict) -> None:
    state = "" if watch["active"] else "  [yellow](paused)[/]"
    out.print(f"[bold]{watch['label']}[/]  {watch['kind']}, {watch['delivery']}  {watch['id']}{state}")


def saved_list(user: str, as_json: bool) -> None:
    found = _watches(user).saved_searches()
    if as_json:
        dump(found)
        return
    for saved in found:
        watched = f"  watched ({saved['watch']['delivery']})" if saved["watch"] else ""
        filters = "  " + " ".join(f"{k}={'|'.join(v)}" for k, v in (saved["filters"] or {}).items()) if saved["filters"] else ""
        out.print(f"[bold]{saved['name']}[/]  {saved['id']}{watched}")
        out.print(f"  q: {saved['q'] or '(every document)'}{filters}")
    if not found:
        out.print("no saved searches")


def saved_add(user: str, name: str, q: str, filters: Filters, mode: str | None, watch: str | None) -> None:
    watches = _watches(user)
    with _refused():
        saved = watches.save_search(name, filters.request(q, mode=mode))
        out.print(f"saved [bold]{saved['name']}[/]  {saved['id']}")
        if watch:
            _print_watch(watches.watch("search", watch, saved_search=saved["id"]))


def saved_rename(user: str, id: str, name: str) -> None:
    with _refused():
        saved = _watches(user).rename_search(id, name)
    out.print(f"renamed to [bold]{saved['name']}[/]")


def saved_delete(user: str, id: str) -> None:
    with _refused():
        _watches(user).delete_search(id)
    out.print(f"deleted {id} (and its watch)")


def saved_run(user: str, id: str, size: int, as_json: bool) -> None:
    watches = _watches(user)
    with _refused():
        saved = watches.saved_search(id)
        answer = SearchService(watches.engine, watches.settings, caller=watches.caller).search(
            replace(request_of(saved), size=size))
    if as_json:
        dump(answer)
    else:
        searching.show_answer(answer, facets=False)


def watches_list(user: str, as_json: bool) -> None:
    found = _watches(user).watches()
    if as_json:
        dump(found)
        return
    for watch in found:
        _print_watch(watch)
    if not found:
        out.print("no watches")


def watches_add(user: str, saved: str | None, entity: tuple[str, str] | None, collection: str | None,
                delivery: str) -> None:
    chosen = [x for x in (saved, entity, collection) if x]
    if len(chosen) != 1:
        err.print("[red]watch one thing: --saved ID, --entity FIELD VALUE or --collection NAME[/]")
        raise typer.Exit(2)
    watches = _watches(user)
    with _refused():
        if saved:
            watch = watches.watch("search", delivery, saved_search=saved)
        elif entity:
            watch = watches.watch("entity", delivery, field=entity[0], value=entity[1])
        else:
            watch = watches.watch("collection", delivery, collection=collection)
    _print_watch(watch)


def watches_set(user: str, id: str, delivery: str | None, active: bool | None) -> None:
    with _refused():
        _print_watch(_watches(user).change_watch(id, delivery=delivery, active=active))


def watches_delete(user: str, id: str) -> None:
    with _refused():
        _watches(user).delete_watch(id)
    out.print(f"stopped watching ({id})")


def digest() -> None:
    settings = get_settings()
    sent = send_digests(Engine.connect(settings), settings)
    out.print(f"{sent} daily digest e-mails sent" if settings.smtp_host else "e-mail is off (smtp_host is not set)")


def rebuild_index() -> None:
    settings = get_settings()
    done = rebuild(Engine.connect(settings), settings)
    if done["state"] == "current":
        out.print(f"{done['index']} is current: nothing to do")
    else:
        out.print(f"{done['from']} → {done['index']}: {done['watches']} watches")


def inbox(user: str, size: int, unread_only: bool, mark_read: bool, as_json: bool) -> None:
    watches = _watches(user)
    box = watches.inbox(size, unread_only)
    if as_json:
        dump(box)
    else:
        out.print(f"[bold]{box['unread']} unread[/]")
        for note in box["items"]:
            new = "[bold green]new[/] " if not note["read"] else ""
            page = f", p. {note['page']}" if note["page"] else ""
            out.print(f"\n{new}[bold]{note['title']}[/]  ({note['watch_label']}{page})  {note['at'][:16]}")
            out.print(f"  {note['document_id']}")
            if note["snippet"]:
                out.print("  " + html.unescape(_MARK.sub("", note["snippet"])), markup=False)
    if mark_read:
        watches.mark_read(every=True)
