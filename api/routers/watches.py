"""Saved searches, watches of searches, entities and collections, and the inbox of what they found
(docsearch.watches). Each user sees and changes only their own; the inbox shows only documents its reader may
read now. A request about something the caller does not own is a 404, whether it exists or not
(``docsearch.watches.WatchError``, answered by ``api.errors``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from api.deps import CallerDep, EngineDep, SettingsDep
from api.models import (ErrorResponse, Inbox, MarkRead, NewSavedSearch, NewWatch, SavedSearch, SavedSearchChange, Unread,
                        Watch, WatchChange)
from docsearch.search import SearchRequest
from docsearch.watches import Watches

router = APIRouter(prefix="/api", tags=["watches"])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}}
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{24}$")]


def get_watches(engine: EngineDep, settings: SettingsDep, caller: CallerDep) -> Watches:
    return Watches(engine, settings, caller)


WatchesDep = Annotated[Watches, Depends(get_watches)]




@router.get("/saved-searches", response_model=list[SavedSearch], summary="Your saved searches")
def saved_searches(watches: WatchesDep) -> list[dict]:
    return watches.saved_searches()


@router.post("/saved-searches", response_model=SavedSearch, status_code=201, responses=ERRORS,
             summary="Save a search under a name")
def save_search(watches: WatchesDep, body: NewSavedSearch) -> dict:
    """The search's words, filters, mode, order and years, as `GET /api/search` takes them. Recorded in the audit
    trail."""
    request = SearchRequest.create(q=body.q, filters=body.filters, sort=body.sort, mode=body.mode,
                                   year_from=body.year_from, year_to=body.year_to)
    return watches.save_search(body.name, request)


@router.get("/saved-searches/{id}", response_model=SavedSearch, responses=ERRORS, summary="One saved search")
def saved_search(watches: WatchesDep, id: Id) -> dict:
    return watches.saved_search(id)


@router.patch("/saved-searches/{id}", response_model=SavedSearch, responses=ERRORS, summary="Rename a saved search")
def rename_search(watches: WatchesDep, id: Id, body: SavedSearchChange) -> dict:
    return watches.rename_search(id, body.name)


@router.delete("/saved-searches/{id}", status_code=204, responses=ERRORS, summary="Delete a saved search and its watch")
def delete_search(watches: WatchesDep, id: Id) -> Response:
    watches.delete_search(id)
    return Response(status_code=204)


@router.get("/watches", response_model=list[Watch], summary="Your watches")
def list_watches(watches: WatchesDep) -> list[dict]:
    return watches.watches()


@router.post("/watches", response_model=Watch, status_code=201, responses=ERRORS,
             summary="Watch a saved search, an entity or a collection")
def watch(watches: WatchesDep, body: NewWatch) -> dict:
    """From now on, each document indexed (new or reprocessed) that it finds and you may read is announced in
    your inbox, and by e-mail when the server sends e-mail and your account has an address: at once
    (`immediate`) or in a daily digest (`daily`). Watching the same thing again changes its delivery and resumes
    it. An entity is watched as the archive's identity (every spelling of the name). Recorded in the audit trail."""
    return watches.watch(body.kind, body.delivery, saved_search=body.saved_search, field=body.field,
                         value=body.value, collection=body.collection)


@router.patch("/watches/{id}", response_model=Watch, responses=ERRORS, summary="Change a watch's delivery, pause or resume it")
def change_watch(watches: WatchesDep, id: Id, body: WatchChange) -> dict:
    return watches.change_watch(id, delivery=body.delivery, active=body.active)


@router.delete("/watches/{id}", status_code=204, responses=ERRORS, summary="Stop watching")
def delete_watch(watches: WatchesDep, id: Id) -> Response:
    watches.delete_watch(id)
    return Response(status_code=204)


@router.get("/notifications", response_model=Inbox, summary="Your inbox: documents your watches found")
def inbox(watches: WatchesDep, size: Annotated[int, Query(ge=1, le=100)] = 20,
          unread_only: bool = False) -> dict:
    """Newest first, each with the page and sentence it was found in. A document you may no longer read is left
    out, and not counted."""
    return watches.inbox(size, unread_only)


@router.get("/notifications/unread", response_model=Unread, summary="How many notifications are unread")
def unread(watches: WatchesDep) -> dict:
    return {"unread": watches.unread()}


@router.post("/notifications/read", response_model=Unread, summary="Mark notifications read")
def mark_read(watches: WatchesDep, body: MarkRead) -> dict:
    return {"unread": watches.mark_read(body.ids, every=body.all)}
