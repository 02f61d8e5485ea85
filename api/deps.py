"""FastAPI dependencies as typed aliases: one engine client per API process, and the caller of each request.

Every route but sign-in and health needs a caller: ``Authorization: Bearer <API token>`` (scripts and the
command line) or the ``ds_session`` cookie of a sign-in (the web interface). A request that changes
something under a session cookie must also carry ``X-CSRF-Token``, the ``ds_csrf`` cookie's value, which a
page of another site cannot read.
"""

from __future__ import annotations

import hmac
from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Request

from api.errors import ApiError
from docsearch.access import Caller
from docsearch.accounts import Accounts, digest
from docsearch.audit import Audit
from docsearch.engine import Engine
from docsearch.search import SearchService
from docsearch.settings import Settings, get_settings

SESSION_COOKIE = "ds_session"
CSRF_COOKIE = "ds_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@lru_cache(maxsize=1)
def _engine() -> Engine:
    return Engine.connect(get_settings())


def get_engine() -> Engine:
    return _engine()


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]


def get_accounts(engine: EngineDep, settings: SettingsDep) -> Accounts:
    return Accounts(engine, settings)


AccountsDep = Annotated[Accounts, Depends(get_accounts)]


def get_caller(request: Request, accounts: AccountsDep) -> Caller:
    """The signed-in caller of this request; 401 when there is none, 403 when a session's CSRF token is missing."""
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme:
        caller = accounts.caller_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if caller is None:
            raise ApiError(401, "unauthorized", "This API token is not valid (revoked, or its user is disabled).")
        request.state.caller = caller
        return caller
    sid = request.cookies.get(SESSION_COOKIE)
    session = accounts.session(sid) if sid else None
    if session is None:
        raise ApiError(401, "unauthorized", "Sign in first (or send 'Authorization: Bearer <API token>').")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER) or ""
        if not sent or not hmac.compare_digest(digest(sent), session.csrf_hash):
            raise ApiError(403, "csrf_failed", f"This change needs the {CSRF_HEADER} header of the signed-in page.")
    request.state.caller = session.caller
    return session.caller


CallerDep = Annotated[Caller, Depends(get_caller)]


def require_admin(caller: CallerDep) -> Caller:
    if not caller.is_admin:
        raise ApiError(403, "forbidden", "Only an administrator may do this.")
    return caller


AdminDep = Annotated[Caller, Depends(require_admin)]


def get_search(engine: EngineDep, settings: SettingsDep, caller: CallerDep) -> SearchService:
    return SearchService(engine, settings, caller=caller)


SearchDep = Annotated[SearchService, Depends(get_search)]


class Trail:
    """The audit records of one request (docs/audit.md): who (the signed-in caller, or ``actor``), from which
    address. A record that cannot be written fails the request: what was read must be answerable later."""

    def __init__(self, request: Request, engine: EngineDep, settings: SettingsDep):
        self.request = request
        self.audit = Audit(engine, settings)

    def __call__(self, action: str, target: str | None = None, *, actor: str | None = None, **fields) -> None:
        caller = getattr(self.request.state, "caller", None)
        who = actor if actor is not None else (caller.user if caller is not None else "")
        client = self.request.client
        self.audit.record(who, action, target, ip=client.host if client else None, **fields)


TrailDep = Annotated[Trail, Depends(Trail)]
