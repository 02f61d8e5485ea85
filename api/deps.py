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

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from api.errors import ApiError, error_body
from docsearch.access import Caller
from docsearch.accounts import Accounts, digest
from docsearch.audit import Audit
from docsearch.engine import Engine, EngineUnavailable
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


SIGN_IN_FIRST = "Sign in first (or send 'Authorization: Bearer <API token>')."
PUBLIC = frozenset({"/api/auth/login", "/api/auth/logout", "/api/health"})
"""The only /api routes that answer without a signed-in caller."""


def authenticate(request: Request, accounts: Accounts) -> Caller | ApiError:
    """Who sends this request: the caller of its API token or of its session cookie, else why not (401)."""
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme:
        caller = accounts.caller_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if caller is None:
            return ApiError(401, "unauthorized", "This API token is not valid (revoked, or its user is disabled).")
        return caller
    sid = request.cookies.get(SESSION_COOKIE)
    session = accounts.session(sid) if sid else None
    if session is None:
        return ApiError(401, "unauthorized", SIGN_IN_FIRST)
    request.state.csrf_hash = session.csrf_hash
    return session.caller


def install(app: FastAPI) -> None:
    """Authenticate every /api request but :data:`PUBLIC` before anything reads its body: a caller without
    valid credentials gets 401 whatever it sent, and the routes find the caller in ``request.state``."""

    @app.middleware("http")
    async def signed_in(request: Request, call_next):
        path = request.url.path
        if path.startswith("/api/") and path not in PUBLIC:
            try:
                found = await run_in_threadpool(authenticate, request, Accounts(get_engine(), get_settings()))
            except EngineUnavailable:
                return JSONResponse(error_body("engine_unavailable", "The search engine is not available right now; "
                                               "try again shortly."), status_code=503, headers={"Retry-After": "10"})
            if isinstance(found, ApiError):
                return JSONResponse(error_body(found.code, found.message), status_code=found.status)
            request.state.caller = found
        return await call_next(request)


def get_caller(request: Request) -> Caller:
    """The signed-in caller of this request (see :func:`install`); 403 when a change made under a session
    lacks its CSRF token."""
    caller = getattr(request.state, "caller", None)
    if caller is None:  # a public route asking for a caller: none is signed in
        raise ApiError(401, "unauthorized", SIGN_IN_FIRST)
    csrf_hash = getattr(request.state, "csrf_hash", None)
    if csrf_hash is not None and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER) or ""
        if not sent or not hmac.compare_digest(digest(sent), csrf_hash):
            raise ApiError(403, "csrf_failed", f"This change needs the {CSRF_HEADER} header of the signed-in page.")
    return caller


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
