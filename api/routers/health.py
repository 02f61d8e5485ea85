"""GET /api/health: whether the engine, Redis and the workers are up.

Anyone may ask, so the answer says only up or down per component: worker host names, versions and
cluster names are for an admin who asks for them (``?detail=true``). One check serves every caller for
a second (:class:`HealthCache`): 200 calls at once cost one check, not 200 pings of the workers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import SettingsDep, authenticate, get_engine, require_admin
from api.errors import ApiError
from api.models import ErrorResponse
from docsearch.accounts import Accounts
from docsearch.engine import EngineError, EngineUnavailable
from docsearch.settings import Settings
from ingestion.health import Check, alive_workers, redis_check

router = APIRouter(prefix="/api", tags=["health"])

State = Literal["up", "down"]
COMPONENTS = ("engine", "redis", "worker")
TTL_S = 1.0


class Components(BaseModel):
    engine: State
    redis: State
    worker: State


class ComponentDetail(BaseModel):
    ok: bool
    detail: str | None = None
    info: dict | None = None


class HealthDetail(BaseModel):
    engine: ComponentDetail
    redis: ComponentDetail
    worker: ComponentDetail
    checked_at: float = Field(description="When the components were checked (Unix time, seconds).")


class Health(BaseModel):
    status: Literal["ok", "degraded"] = Field(description="ok when every component is up, else degraded.")
    components: Components
    detail: HealthDetail | None = Field(None, description="Only with ?detail=true, for an admin.")


def _engine_health() -> dict:
    try:
        engine = get_engine()  # connecting asks the engine its kind: inside the try, so a down engine is reported
        health = engine.cluster_health()
        info = engine.info()
    except (EngineUnavailable, EngineError) as exc:
        return {"ok": False, "detail": str(exc)[:300]}
    ok = health.get("status") in ("green", "yellow")
    return {"ok": ok, "detail": f"cluster {health.get('status')}",
            "info": {"kind": engine.kind, "version": info.get("version", {}).get("number"),
                     "cluster": health.get("cluster_name"), "nodes": health.get("number_of_nodes")}}


def _component(check: Check) -> dict:
    return {"ok": check.ok, "detail": check.detail, "info": {"workers": list(check.workers)} if check.workers else None}


def check_components(settings: Settings) -> dict:
    """Every component's state with its details (blocking: seconds when a component is down)."""
    broker = redis_check(settings.redis_url)
    # Workers' heartbeats live in Redis: with Redis down no worker can be seen (nor reached).
    workers = (alive_workers(settings.redis_url, settings.index_prefix) if broker.ok
               else Check(False, f"broker unreachable: {broker.detail}"))
    return {"engine": _engine_health(), "redis": _component(broker), "worker": _component(workers),
            "checked_at": time.time()}


class HealthCache:
    """The last check, kept ``ttl`` seconds; callers that come while a check runs wait for it, not run their
    own. A cache of this process's answers (each API process checks on its own), not state to share."""

    def __init__(self, ttl: float = TTL_S):
        self.ttl = ttl
        self._value: dict | None = None
        self._at = float("-inf")
        self._lock: asyncio.Lock | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _lock_of_this_loop(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop = asyncio.Lock(), loop
        return self._lock

    async def get(self, check: Callable[[], dict]) -> dict:
        async with self._lock_of_this_loop():
            if self._value is None or time.monotonic() - self._at >= self.ttl:
                self._value = await run_in_threadpool(check)
                self._at = time.monotonic()
            return self._value


CACHE = HealthCache()


def _admin_only(request: Request, settings: Settings) -> None:
    found = authenticate(request, Accounts(get_engine(), settings))  # health itself is public: asked here
    if isinstance(found, ApiError):
        raise found
    require_admin(found)


@router.get("/health", response_model=Health, response_model_exclude_none=True,
            responses={503: {"model": Health}, 401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
            summary="Whether each component is up")
async def health(
    request: Request,
    settings: SettingsDep,
    detail: Annotated[bool, Query(description="Each component's details (worker names, engine version): "
                                              "admin only.")] = False,
):
    """Engine, Redis and workers: up or down. 200 when all are up, 503 (same body) when any is down."""
    if detail:  # only then is the caller looked up: a plain health call needs no engine to answer
        await run_in_threadpool(_admin_only, request, settings)
    checked = await CACHE.get(lambda: check_components(settings))
    ok = all(checked[name]["ok"] for name in COMPONENTS)
    body: dict = {"status": "ok" if ok else "degraded",
                  "components": {name: "up" if checked[name]["ok"] else "down" for name in COMPONENTS}}
    if detail:
        body["detail"] = checked
    return JSONResponse(Health.model_validate(body).model_dump(exclude_none=True), status_code=200 if ok else 503)
