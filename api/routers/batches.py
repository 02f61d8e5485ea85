from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, Field

from api.deps import CallerDep, EngineDep, SettingsDep, TrailDep
from api.errors import ApiError
from api.models import BatchStatus, ErrorResponse, Requeued
from docsearch.access import Caller
from docsearch.audit import Action
from ingestion import submit
from ingestion.batches import BatchStore
from ingestion.states import REPROCESS_MODES, Status

router = APIRouter(prefix="/api", tags=["batches"])

BatchId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="The id POST /api/documents returned.")]


def _no_batch(batch_id: str) -> ApiError:
    return ApiError(404, "not_found", f"No batch with id {batch_id}.")


def _sees(caller: Caller, uploader: str | None, collection: str) -> bool:
    """A load is seen (with its file names) by whoever made it, the managers of its collection and admins."""
    return caller.is_admin or uploader == caller.user or caller.can("manage", collection)


def _seen_by(caller: Caller) -> dict | None:
    """:func:`_sees` as a clause over the batches index."""
    if caller.is_admin:
        return None
    return {"bool": {"minimum_should_match": 1, "should": [
        {"term": {"uploader": caller.user}}, {"terms": {"collection": caller.having("manage")}}]}}


def _visible(engine, settings, caller: Caller, batch_id: str) -> None:
    record = BatchStore(engine, settings).batch(batch_id)  # its record: who made it, for which collection
    if record is None or not _sees(caller, record.uploader, record.collection):
        raise _no_batch(batch_id)


@router.get("/batches/{batch_id}", response_model=BatchStatus, responses={404: {"model": ErrorResponse}},
            summary="Progress of one load")
def batch(
    engine: EngineDep,
    settings: SettingsDep,
    caller: CallerDep,
    batch_id: BatchId,
    status: Annotated[Status | None, Query(description="Only files with this status.")] = None,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    limit: Annotated[int, Query(ge=0, le=10_000, description="Files listed (0: counts only).")] = 1000,
) -> dict:
    """Counts by state, pages done, pages/s and ETA, reasons of failures, and the files with their status."""
    summary = BatchStore(engine, settings).summary(batch_id, include_files=limit > 0, status=status, offset=offset,
                                                   limit=limit)
    if summary is None or not _sees(caller, summary.get("uploader"), summary.get("collection") or ""):
        raise _no_batch(batch_id)
    return summary


@router.get("/batches", response_model=list[BatchStatus], summary="Recent loads")
def batches(engine: EngineDep, settings: SettingsDep, caller: CallerDep,
            limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[dict]:
    """The newest loads the caller may see: its own, those of collections it manages (all, for admins)."""
    return BatchStore(engine, settings).recent(limit, _seen_by(caller))


class RetryRequest(BaseModel):
    reasons: list[str] | None = Field(None, description="Only failures with these reason codes (default: all).",
                                      examples=[["timeout", "internal_error"]])


@router.post("/batches/{batch_id}/retry", response_model=Requeued, status_code=202,
             responses={404: {"model": ErrorResponse}}, summary="Try the failed files of a load again")
def retry(engine: EngineDep, settings: SettingsDep, caller: CallerDep, trail: TrailDep, batch_id: BatchId,
          request: Annotated[RetryRequest | None, Body()] = None) -> dict:
    _visible(engine, settings, caller, batch_id)
    ids = submit.retry(engine, settings, batch_id, request.reasons if request else None)
    if ids is None:
        raise _no_batch(batch_id)
    trail(Action.RETRY, batch_id, details={"requeued": len(ids), "reasons": request.reasons if request else None})
    return {"batch_id": batch_id, "requeued": len(ids)}


class ReprocessRequest(BaseModel):
    stage: Literal[tuple(mode.value for mode in REPROCESS_MODES)] = Field(  # type: ignore[valid-type]
        description="all: extract, OCR and tag again; ocr: the same, for files that had OCR'd pages; "
        "nlp: tag the indexed text again (after a model or pattern update)."
    )


@router.post("/batches/{batch_id}/reprocess", response_model=Requeued, status_code=202,
             responses={404: {"model": ErrorResponse}}, summary="Process the indexed files of a load again")
def reprocess(engine: EngineDep, settings: SettingsDep, caller: CallerDep, trail: TrailDep, batch_id: BatchId,
              request: ReprocessRequest) -> dict:
    _visible(engine, settings, caller, batch_id)
    ids = submit.reprocess(engine, settings, batch_id, request.stage)
    if ids is None:
        raise _no_batch(batch_id)
    trail(Action.REPROCESS, batch_id, details={"requeued": len(ids), "stage": request.stage})
    return {"batch_id": batch_id, "requeued": len(ids)}
