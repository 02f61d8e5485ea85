from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.auth import AdminDep
from api.deps import EngineDep, SettingsDep
from api.errors import ApiError
from api.models import BatchCreated, ErrorResponse
from api.routers.documents import COLLECTION_PATTERN
from ingestion.submit import submit_paths

router = APIRouter(prefix="/api/admin", tags=["admin"])


class ImportRequest(BaseModel):
    path: str = Field(description="A folder or file under the server's import root (DOCSEARCH_IMPORT_ROOT), "
                      "relative to it.", examples=["archivo-2019/sentencias"])
    collection: str = Field("default", pattern=COLLECTION_PATTERN)
    doc_type: str | None = Field(None, max_length=64)


@router.post("/import", response_model=BatchCreated, status_code=202,
             responses={400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
                        404: {"model": ErrorResponse}},
             summary="Load a folder (or ZIP) that is already on the server")
def import_folder(_: AdminDep, engine: EngineDep, settings: SettingsDep, request: ImportRequest) -> dict:
    """Admin only. Reads folders recursively and opens ZIPs, like an upload; nothing outside the import root."""
    if settings.import_root is None:
        raise ApiError(403, "import_disabled", "Server imports are disabled: set DOCSEARCH_IMPORT_ROOT.")
    root = settings.import_root.resolve()
    target = (root / request.path).resolve()
    if not target.is_relative_to(root):
        raise ApiError(400, "outside_import_root", "The path leaves the import root; give a path inside it.")
    if not target.exists():
        raise ApiError(404, "not_found", f"Nothing at '{request.path}' under the import root.")
    batch_id = submit_paths(engine, settings, [target], collection=request.collection, doc_type=request.doc_type,
                            origin="import")
    return {"batch_id": batch_id}
