from __future__ import annotations

import redis
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import SettingsDep, get_engine
from api.models import Health
from docsearch.engine import EngineError, EngineUnavailable

router = APIRouter(prefix="/api", tags=["health"])


def _engine_health() -> dict:
    try:
        engine = get_engine()
        health = engine.cluster_health()
        info = engine.info()
    except (EngineUnavailable, EngineError) as exc:
        return {"ok": False, "detail": str(exc)[:300]}
    ok = health.get("status") in ("green", "yellow")
    return {"ok": ok, "detail": f"cluster {health.get('status')}",
            "info": {"kind": engine.kind, "version": info.get("version", {}).get("number"),
                     "nodes": health.get("number_of_nodes")}}


def _redis_health(settings) -> dict:
    try:
        client = redis.Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        return {"ok": False, "detail": str(exc)[:300]}
    return {"ok": True, "detail": "ping ok"}


def _worker_health() -> dict:
    from ingestion.celery_app import app as celery_app

    try:
        replies = celery_app.control.ping(timeout=1.5)
    except Exception as exc:  # noqa: BLE001 - any broker failure means no worker can be reached
        return {"ok": False, "detail": f"broker unreachable: {exc}"[:300]}
    names = sorted(name for reply in replies for name in reply)
    if not names:
        return {"ok": False, "detail": "no worker answered"}
    return {"ok": True, "detail": f"{len(names)} worker(s)", "info": {"workers": names}}


@router.get("/health", response_model=Health, responses={503: {"model": Health}}, summary="State of each component")
def health(settings: SettingsDep):
    """Engine, Redis and worker state. 200 when all are up, 503 (same body) when any is down."""
    body = {"engine": _engine_health(), "redis": _redis_health(settings), "worker": _worker_health()}
    ok = all(part["ok"] for part in body.values())
    body["status"] = "ok" if ok else "degraded"
    return JSONResponse(Health.model_validate(body).model_dump(), status_code=200 if ok else 503)
