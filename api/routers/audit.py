"""The audit trail for administrators: who did what, newest first (docs/audit.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.deps import AdminDep, EngineDep, SettingsDep
from api.errors import ApiError
from api.models import ErrorResponse
from docsearch.audit import MAX_SIZE, Action, Audit

router = APIRouter(prefix="/api", tags=["audit"], responses={401: {"model": ErrorResponse},
                                                             403: {"model": ErrorResponse}})


class AuditRecord(BaseModel):
    seq: int = Field(description="Position in the trail, from 1, without gaps.")
    at: str = Field(description="When (ISO 8601, UTC).")
    actor: str = Field(description="The user who acted.")
    action: Action
    target: str | None = Field(None, description="What was acted on: a document id, a username, a batch id, ...")
    collection: str | None = None
    ip: str | None = None
    query: str | None = Field(None, description="A search's query.")
    details: dict[str, Any] | None = None
    prev: str = Field(description="The hash of the record before.")
    hash: str = Field(description="sha256 of prev and this record's canonical JSON.")


class AuditPage(BaseModel):
    records: list[AuditRecord]
    next: int | None = Field(description="Pass as `after` for older records; null on the last page.")


When = Query(max_length=64, description="An ISO date or time (2024-05-01, 2024-05-01T12:00:00Z) or a span "
             "back from now (7d, 24h, 30m).")


@router.get("/audit", response_model=AuditPage, responses={400: {"model": ErrorResponse}},
            summary="The audit trail, newest first")
def audit(
    _: AdminDep,
    engine: EngineDep,
    settings: SettingsDep,
    actor: Annotated[str | None, Query(max_length=256)] = None,
    action: Action | None = None,
    since: Annotated[str | None, When] = None,
    until: Annotated[str | None, When] = None,
    q: Annotated[str | None, Query(max_length=500, description="Words of a search's query, or a target.")] = None,
    size: Annotated[int, Query(ge=1, le=MAX_SIZE)] = 50,
    after: Annotated[int | None, Query(ge=1, description="Only records before this seq (`next`).")] = None,
) -> dict:
    """Administrators only. `docsearch audit verify` checks that no record was changed or removed."""
    try:
        return Audit(engine, settings).search(actor=actor, action=action, since=since, until=until, q=q,
                                              size=size, after=after)
    except ValueError as exc:
        raise ApiError(400, "bad_request", str(exc)) from None
