from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import EngineDep, SettingsDep
from api.errors import ApiError
from api.models import BatchStatus, ErrorResponse
from ingestion.batches import BatchStore

router = APIRouter(prefix="/api", tags=["batches"])


@router.get("/batches/{batch_id}", response_model=BatchStatus, responses={404: {"model": ErrorResponse}},
            summary="Progress of one load")
def batch(engine: EngineDep, settings: SettingsDep,
          batch_id: Annotated[str, Path(pattern=r"^[0-9a-f]{32}$")]) -> dict:
    """Counts by state, pages done, and every file with its status and, when failed, the reason."""
    summary = BatchStore(engine, settings).summary(batch_id)
    if summary is None:
        raise ApiError(404, "not_found", f"No batch with id {batch_id}.")
    return summary


@router.get("/batches", response_model=list[BatchStatus], summary="Recent loads")
def batches(engine: EngineDep, settings: SettingsDep,
            limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[dict]:
    return BatchStore(engine, settings).recent(limit)
