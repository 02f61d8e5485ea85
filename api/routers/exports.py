"""Exports for court and the check of the store's originals (docs/custody.md): ``POST /api/exports`` answers a
signed ZIP of the originals the caller may read; ``POST /api/admin/custody/verify`` re-hashes every original."""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import replace
from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from api.deps import AccountsDep, AdminDep, EngineDep, SearchDep, SettingsDep, Trail, TrailDep
from api.errors import ApiError
from api.models import CustodyReport, ErrorResponse
from api.routers.search import QUERY_HELP, FacetName, Mode, Sort
from docsearch.audit import Action
from docsearch.custody import verify_store
from docsearch.exports import MAX_DOCUMENTS, Asked, ExportError, write_export
from docsearch.local_secrets import private_dir
from docsearch.search import MAX_QUERY_CHARS, SearchRequest, SearchService
from docsearch.settings import Settings

router = APIRouter(prefix="/api", tags=["custody"])

STATUS = {"bad_request": 400, "not_found": 404, "too_large": 413, "original_missing": 409, "original_modified": 409}
_VERIFYING = threading.Lock()  # one run at a time per API process: each reads every original


class ExportBody(BaseModel):
    """A search (as ``POST /api/search`` takes it) whose first ``limit`` results are exported, or ``ids``."""

    q: str = Field("", max_length=MAX_QUERY_CHARS, description=QUERY_HELP, examples=["lavado de activos"])
    filters: dict[FacetName, list[str]] = Field(
        default_factory=dict, description="Facet name -> values (OR within a facet, AND across facets).")
    year_from: int | None = Field(None, ge=0, le=9999)
    year_to: int | None = Field(None, ge=0, le=9999)
    sort: Sort = "relevance"
    mode: Mode | None = None
    limit: int = Field(100, ge=1, le=MAX_DOCUMENTS, description="At most this many results, in result order.")
    ids: list[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]] = Field(
        default_factory=list, max_length=MAX_DOCUMENTS, description="Documents to export instead of a search.")


ZIP_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": {}}, "description": "The export: originals/, SHA256SUMS, manifest.json, "
          "manifest.json.sig, signing-key.pem."},
    **{status: {"model": ErrorResponse} for status in (400, 404, 409, 413, 422, 503)}}


@router.post("/exports", response_class=FileResponse, responses=ZIP_ANSWER,
             summary="The originals of a search's results (or of given ids) in a signed ZIP, for court")
def export(service: SearchDep, settings: SettingsDep, trail: TrailDep, accounts: AccountsDep,
           body: ExportBody) -> FileResponse:
    """Only documents the caller may read; every original is hashed as it is copied and must hash to its id.
    ``manifest.json`` names the exporter, the time, the query and every file with its sha256, size, names and
    loads; ``manifest.json.sig`` is its Ed25519 signature. Recorded in the audit trail (``export``). A search that
    chooses no collection leaves out those an administrator hid, as the search page does; the manifest names
    them (``query.left_out``)."""
    if body.ids and (body.q.strip() or body.filters or body.year_from is not None or body.year_to is not None):
        raise ApiError(400, "bad_request", "Give either ids or a search (q, filters), not both.")
    if body.ids:
        asked = Asked(ids=tuple(body.ids))
    else:
        request = SearchRequest.create(q=body.q, filters=body.filters, sort=body.sort, mode=body.mode,
                                       year_from=body.year_from, year_to=body.year_to)
        asked = Asked(request=replace(request, hidden=accounts.hidden_collections()), limit=body.limit)
    return send_export(service, settings, trail, asked, query=body.q or None)


def send_export(service: SearchService, settings: Settings, trail: Trail, asked: Asked, query: str | None = None,
                about: dict[str, Any] | None = None) -> FileResponse:
    """The signed ZIP of what ``asked`` names as the caller may read it, recorded in the audit trail
    (``export``, with ``about`` among its details); an :class:`ExportError` as the API's error."""
    fd, name = tempfile.mkstemp(dir=private_dir(settings.data_dir / "tmp"), prefix="export-", suffix=".zip")
    try:
        with os.fdopen(fd, "w+b") as out:
            manifest = write_export(service, settings, asked, out, service.caller.user)
        trail(Action.EXPORT, manifest["manifest_sha256"], query=query, details={
            **(about or {}), "count": manifest["count"], "total": manifest["total"], "bytes": manifest["bytes"],
            "query": manifest["query"], "documents": [row["id"] for row in manifest["documents"]],
            "key_id": manifest["signature"]["key_id"]})
    except ExportError as exc:
        os.unlink(name)
        raise ApiError(STATUS.get(exc.code, 400), exc.code, exc.message, exc.detail) from None
    except BaseException:
        os.unlink(name)
        raise
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return FileResponse(name, media_type="application/zip", filename=f"export-{stamp}.zip",
                        background=BackgroundTask(os.unlink, name),
                        headers={"X-Export-Documents": str(manifest["count"]),
                                 "X-Export-Manifest-Sha256": manifest["manifest_sha256"]})


@router.post("/admin/custody/verify", response_model=CustodyReport,
             responses={403: {"model": ErrorResponse}, 409: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
             summary="Re-hash every stored original and check it against the index (administrators)")
def verify(_: AdminDep, engine: EngineDep, settings: SettingsDep, trail: TrailDep) -> dict:
    """Every indexed document's original is there and hashes to its id; every stored file is known. Reads
    every original: on a large store this takes as long as reading it (`docsearch custody verify` shows its
    progress). Recorded in the audit trail (``custody_verify``)."""
    if not _VERIFYING.acquire(blocking=False):
        raise ApiError(409, "already_running", "A check of the store is already running; wait for its result.")
    try:
        report = verify_store(engine, settings)
    finally:
        _VERIFYING.release()
    trail(Action.CUSTODY_VERIFY, details=report.summary())
    return report.as_dict()
