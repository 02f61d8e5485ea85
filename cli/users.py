"""``docsearch users``: accounts on the server's command line (the first administrator, a lost password, a
token for a script). The command line acts on the engine directly, so it is only for whoever runs the
server; everyone else goes through the API with their own rights."""

from __future__ import annotations

import getpass
import sys

import typer
from rich.table import Table

from cli.searching import err, out
from docsearch.accounts import AccountError, Accounts, first_admin
from docsearch.engine import Engine
from docsearch.schema import ensure_indices
from docsearch.settings import Settings, get_settings


def accounts(settings: Settings | None = None) -> Accounts:
    settings = settings or get_settings()
    engine = Engine.connect(settings)
    ensure_indices(engine, settings)
    return Accounts(engine, settings)


def _password(given: str | None) -> str:
    """The password given, else read from the terminal twice (or one line of stdin when it is not a terminal)."""
    if given:
        return given
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password (12 characters or more): ")
    if getpass.getpass("Again: ") != first:
        err.print("[red]The two passwords differ.[/]")
        raise typer.Exit(1)
    return first


def _done(call):
    try:
        return call()
    except AccountError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None


def create(username: str, role: str, groups: list[str], password: str | None, email: str | None = None) -> None:
    user = _done(lambda: accounts().create_user(username, _password(password), role, groups, email=email))
    out.print(f"created {user['name']} ({user['role']})")


def change(username: str, *, role: str | None = None, groups: list[str] | None = None,
           disabled: bool | None = None, password: str | None = None, ask_password: bool = False,
           email: str | None = None) -> None:
    secret = _password(password) if ask_password or password else None
    user = _done(lambda: accounts().change_user(username, role=role, groups=groups, disabled=disabled,
                                                password=secret, email=email))
    out.print(f"changed {user['name']} ({user['role']}{', disabled' if user.get('disabled') else ''})")


def listing() -> None:
    table = Table("user", "role", "groups", "state", "last sign-in")
    for user in accounts().users():
        table.add_row(user["name"], user["role"], ", ".join(user.get("groups") or []),
                      "disabled" if user.get("disabled") else "active", user.get("last_used_at") or "")
    out.print(table)


def token(username: str, name: str) -> None:
    made = _done(lambda: _token(username, name))
    err.print(f"API token '{made['name']}' for {username} (shown once; send it as 'Authorization: Bearer ...'):")
    out.print(made["token"])


def _token(username: str, name: str) -> dict:
    store = accounts()
    if store.user(username) is None:
        raise AccountError("not_found", f"There is no user '{username}'.")
    return store.create_token(username, name)


def first_sign_in(settings: Settings, url: str) -> None:
    """What `docsearch up` prints in development: a new administrator's password, once, or how to get one."""
    made = first_admin(accounts(settings))
    if made is not None:
        out.print(f"  [bold]sign in [/] {url}/login.html  user [bold]{made[0]}[/]  password [bold]{made[1]}[/]"
                  "  (shown once; `docsearch users passwd admin` sets another)")
    else:
        out.print("  [bold]sign in [/] with an existing user; `docsearch users passwd <user>` sets a new password")
