from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import SettingsDep, get_engine
from api.models import Health
from docsearch.engine import EngineError, EngineUnavailable
from ingestion.health import Check, redis_check, worker_check

router = APIRouter(prefix="/api", tags=["health"])


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
                     "nodes": health.get("number_of_nodes")}}


def _component(check: Check) -> dict:
    return {"ok": check.ok, "detail": check.detail, "info": {"workers": list(check.workers)} if check.workers else None}


@router.get("/health", response_model=Health, responses={503: {"model": Health}}, summary="State of each component")
def health(settings: SettingsDep):
    """Engine, Redis and worker state. 200 when all are up, 503 (same body) when any is down."""
    broker = redis_check(settings.redis_url)
    # With Redis down no worker can answer; asking anyway would take seconds of connection retries.
    workers = worker_check(settings.redis_url) if broker.ok else Check(False, f"broker unreachable: {broker.detail}")
    body: dict[str, Any] = {"engine": _engine_health(), "redis": _component(broker), "worker": _component(workers)}
    ok = all(part["ok"] for part in body.values())
    body["status"] = "ok" if ok else "degraded"
    return JSONResponse(Health.model_validate(body).model_dump(), status_code=200 if ok else 503)
