"""Signing in and out of the web interface, who is signed in, and one's own API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Request, Response
from pydantic import BaseModel, Field

from api.deps import CSRF_COOKIE, SESSION_COOKIE, AccountsDep, CallerDep, SettingsDep, TrailDep
from api.errors import ApiError
from api.throttle import SignInThrottle
from api.models import ErrorResponse, Me, NewToken, SignedIn, TokenInfo
from docsearch.access import Caller
from docsearch.accounts import BadCredentials, Locked
from docsearch.audit import Action

router = APIRouter(prefix="/api/auth", tags=["sign-in"])


class Credentials(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=1024)


def me_of(caller: Caller) -> dict:
    return {"username": caller.user, "role": caller.role, "groups": sorted(caller.groups),
            "collections": {name: sorted(rights) for name, rights in sorted(caller.rights.items())}}


@router.post("/login", response_model=SignedIn, summary="Sign in (the web interface)",
             responses={401: {"model": ErrorResponse}, 429: {"model": ErrorResponse}})
def login(request: Request, response: Response, accounts: AccountsDep, settings: SettingsDep, trail: TrailDep,
          credentials: Credentials) -> dict:
    """Sets the session cookie (HttpOnly) and a CSRF cookie whose value every change must repeat in the
    ``X-CSRF-Token`` header. After ``login_attempts`` failures in a row the user is locked for a while (429)."""
    username = credentials.username.strip().lower()
    address = request.client.host if request.client else "unknown"
    throttle = SignInThrottle(settings)
    wait = throttle.wait(address)
    if wait:
        trail(Action.LOGIN_FAILED, username, actor=username, details={"throttled": True})
        raise ApiError(429, "locked", f"Too many failed sign-ins from this address: try again in {wait // 60 + 1} min.",
                       {"retry_after": wait})
    try:
        caller = accounts.login(username, credentials.password)
    except Locked as exc:
        trail(Action.LOGIN_FAILED, username, actor=username, details={"locked": True})
        raise ApiError(429, "locked", f"Too many failed sign-ins: try again in {exc.seconds // 60 + 1} min.",
                       {"retry_after": exc.seconds}) from None
    except BadCredentials:
        throttle.failed(address)
        trail(Action.LOGIN_FAILED, username, actor=username)
        raise ApiError(401, "invalid_credentials", "Wrong user name or password.") from None
    sid, csrf = accounts.start_session(caller)
    secure = settings.env == "production"
    max_age = settings.session_hours * 3600
    response.set_cookie(SESSION_COOKIE, sid, max_age=max_age, httponly=True, samesite="strict", secure=secure,
                        path="/")
    response.set_cookie(CSRF_COOKIE, csrf, max_age=max_age, httponly=False, samesite="strict", secure=secure,
                        path="/")
    request.state.caller = caller
    trail(Action.LOGIN, caller.user)
    return {"user": me_of(caller), "csrf_token": csrf}


@router.post("/logout", status_code=204, summary="Sign out")
def logout(request: Request, accounts: AccountsDep, trail: TrailDep) -> Response:
    sid = request.cookies.get(SESSION_COOKIE)
    session = accounts.session(sid) if sid else None
    if sid:
        accounts.end_session(sid)
    if session is not None:
        trail(Action.LOGOUT, session.caller.user, actor=session.caller.user)
    out = Response(status_code=204)
    out.delete_cookie(SESSION_COOKIE, path="/")
    out.delete_cookie(CSRF_COOKIE, path="/")
    return out


@router.get("/me", response_model=Me, summary="Who is signed in", responses={401: {"model": ErrorResponse}})
def me(caller: CallerDep) -> dict:
    return me_of(caller)


class TokenRequest(BaseModel):
    name: str = Field("token", min_length=1, max_length=100, description="What the token is for.")


@router.post("/tokens", response_model=NewToken, status_code=201, summary="Create an API token for yourself")
def create_token(caller: CallerDep, accounts: AccountsDep, trail: TrailDep,
                 request: Annotated[TokenRequest | None, Body()] = None) -> dict:
    made = accounts.create_token(caller.user, request.name if request else "token")
    trail(Action.TOKEN_CREATE, made["id"], details={"name": made["name"]})
    return made


@router.get("/tokens", response_model=list[TokenInfo], summary="Your API tokens (never the tokens themselves)")
def tokens(caller: CallerDep, accounts: AccountsDep) -> list[dict]:
    return accounts.tokens(caller.user)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke one of your API tokens",
               responses={404: {"model": ErrorResponse}})
def delete_token(caller: CallerDep, accounts: AccountsDep, trail: TrailDep,
                 token_id: Annotated[str, Path(pattern=r"^[0-9a-f]{16}$")]) -> Response:
    if not accounts.delete_token(caller.user, token_id):
        raise ApiError(404, "not_found", "You have no token with this id.")
    trail(Action.TOKEN_DELETE, token_id)
    return Response(status_code=204)
