from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import AdminDep, EngineDep, SettingsDep
from api.errors import ApiError
from api.models import BatchCreated, ErrorResponse
from api.routers.documents import COLLECTION_PATTERN
from ingestion.submit import submit_paths

router = APIRouter(prefix="/api/admin", tags=["admin"])

MAX_PATH_CHARS = 1024
MAX_NAME_BYTES = 255  # one folder or file name (the usual file system limit)


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
    target = _inside(settings.import_root, request.path)
    batch_id = submit_paths(engine, settings, [target], collection=request.collection, doc_type=request.doc_type,
                            origin="import")
    return {"batch_id": batch_id}


def _bad_path(why: str) -> ApiError:
    return ApiError(400, "bad_path", f"The path {why}; give a folder or file under the import root, relative to it.")


def _inside(import_root: Path, path: str) -> Path:
    """The existing file or folder ``path`` names under the import root: 400 for a path that cannot name one
    (control characters, too long) or that leads out of the root (``..``, absolute, through a link); 404 when
    nothing is there."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in path):
        raise _bad_path("holds control characters")
    if len(path) > MAX_PATH_CHARS or any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES
                                          for part in path.split("/")):
        raise _bad_path(f"is too long (at most {MAX_PATH_CHARS} characters, {MAX_NAME_BYTES} bytes a name)")
    try:
        root = import_root.resolve()
        target = (root / path).resolve()
        outside = not target.is_relative_to(root)
        exists = not outside and os.path.lexists(target)
    except (OSError, ValueError, RuntimeError):  # a name the file system refuses, a loop of links
        raise _bad_path("cannot be read") from None
    if outside:
        raise ApiError(400, "outside_import_root", "The path leaves the import root; give a path inside it.")
    if not exists:
        raise ApiError(404, "not_found", f"Nothing at '{path}' under the import root.")
    return target
