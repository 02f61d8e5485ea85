"""The archive's identities of persons, companies and criminal organisations (docsearch.identities): an identity's
page by id, and the corrections an analyst makes when two identities are one person or one is two."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from api.deps import CallerDep, SearchDep, TrailDep
from api.errors import ApiError
from api.models import EntityCorrection, EntityMerge, EntityPage, EntitySplit, ErrorResponse
from docsearch.audit import Action
from docsearch.access import Caller
from docsearch.identities import Identities, IdentityError
from docsearch.search import SearchService
from docsearch.search.request import UnknownEntity
from docsearch.watches import follow_merge

router = APIRouter(prefix="/api/entities", tags=["entities"])

ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
                                           404: {"model": ErrorResponse}, 503: {"model": ErrorResponse}}
#: Who may merge and split identities: what they change is what every reader's facets count.
CORRECTORS = ("admin", "analyst")


def _visible(service: SearchService, id: str) -> dict:
    """The identity's page for the caller; 404 when none of the documents the caller may read names it."""
    try:
        return service.identity(id)
    except UnknownEntity as exc:
        raise ApiError(404, "not_found", str(exc)) from None


def _corrector(service: SearchService, caller: Caller) -> Identities:
    if not (caller.is_admin or caller.role in CORRECTORS):
        raise ApiError(403, "forbidden", "Only an analyst or an administrator may merge or split entities.")
    return Identities(service.engine, service.settings)


@router.get("/{id}", response_model=EntityPage, responses=ERRORS, summary="One identity across the archive")
def identity(service: SearchDep, trail: TrailDep,
             id: Annotated[str, Path(min_length=1, max_length=100, examples=["per-3f9a0c1d2b4e5f60"])]) -> dict:
    """The page of the person, company or criminal organisation ``id`` (as ``GET /api/entities/{field}/{value}``
    gives it), followed to the identity it was merged into."""
    page = _visible(service, id)
    trail(Action.SEARCH, query=f"entity:{id}", details={"entity": True, "total": page["documents"]})
    return page


@router.post("/merge", response_model=EntityCorrection, responses=ERRORS, summary="Two identities are one")
def merge(body: EntityMerge, service: SearchDep, caller: CallerDep, trail: TrailDep) -> dict:
    """``source`` becomes part of ``target``: its spellings, aliases and numbers, and every document naming it.
    Later loads of its spellings go to ``target``. Recorded in the audit trail."""
    identities = _corrector(service, caller)
    source = _visible(service, body.source)["identity"]["id"]
    target = _visible(service, body.target)["identity"]["id"]
    try:
        identities.merge(source, target)
    except IdentityError as exc:
        raise ApiError(404 if exc.code == "not_found" else 400, exc.code, str(exc)) from None
    moved = follow_merge(service.engine, service.settings, source, target)
    trail(Action.ENTITY_MERGE, source, details={"into": target, "watches_moved": moved})
    return {"entity": _visible(service, target)}


@router.post("/split", response_model=EntityCorrection, responses=ERRORS, summary="One identity is two")
def split(body: EntitySplit, service: SearchDep, caller: CallerDep, trail: TrailDep) -> dict:
    """The documents naming identity ``id`` under ``spellings`` name a new identity instead (the DNI/RUC stay).
    Later loads of those spellings go to the new identity. Recorded in the audit trail."""
    identities = _corrector(service, caller)
    page = _visible(service, body.id)
    unseen = [s for s in body.spellings if s not in page["spellings"]]
    if unseen:
        raise ApiError(400, "invalid", f"not spellings of {body.id} in your documents: {', '.join(unseen)}.")
    try:
        done = identities.split(page["identity"]["id"], body.spellings, body.name)
    except IdentityError as exc:
        raise ApiError(404 if exc.code == "not_found" else 400, exc.code, str(exc)) from None
    trail(Action.ENTITY_SPLIT, page["identity"]["id"], details={"spellings": body.spellings,
                                                                "new": done["new"]["id"]})
    return {"entity": _visible(service, page["identity"]["id"]), "new": _visible(service, done["new"]["id"])}
