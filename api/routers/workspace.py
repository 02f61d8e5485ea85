"""The working tools: case folders shared with colleagues and exported (CSV, signed ZIP of the originals), a user's
own stars, tags and notes on documents and pages, and batch search (docsearch.folders, docsearch.annotations,
docsearch.batchsearch). Everything shown, counted and exported is what the caller may read now; every change,
export and batch search is recorded in the audit trail."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from api.deps import CallerDep, EngineDep, SearchDep, SettingsDep, TrailDep
from api.errors import ApiError
from api.models import (BatchSearchAnswer, BatchSearchBody, ErrorResponse, Folder, FolderChange, FolderDetail,
                        FolderItem, FolderItemChange, ListedMark, Mark, MarkChange, NewFolder, NewFolderItem, TagCount)
from api.routers.exports import ZIP_ANSWER, send_export
from docsearch.annotations import Annotations
from docsearch.audit import Action
from docsearch.batchsearch import BatchSearch, lines_of
from docsearch.exports import Asked
from docsearch.folders import Folders
from docsearch.workspace import WorkspaceError

router = APIRouter(prefix="/api", tags=["workspace"])
ERRORS: dict[int | str, dict[str, Any]] = {status: {"model": ErrorResponse} for status in (400, 403, 404)}
Id = Annotated[str, Path(pattern=r"^[0-9a-f]{24}$", description="A folder's id.")]
DocId = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="A document's id (its sha256).")]
STATUS = {"not_found": 404, "forbidden": 403}
CSV = "text/csv; charset=utf-8"
CSV_ANSWER: dict[int | str, dict[str, Any]] = {200: {"content": {CSV: {}}, "description": "UTF-8 with a BOM."}, **ERRORS}


def get_folders(engine: EngineDep, settings: SettingsDep, caller: CallerDep) -> Folders:
    return Folders(engine, settings, caller)


def get_annotations(engine: EngineDep, settings: SettingsDep, caller: CallerDep) -> Annotations:
    return Annotations(engine, settings, caller)


FoldersDep = Annotated[Folders, Depends(get_folders)]
AnnotationsDep = Annotated[Annotations, Depends(get_annotations)]


def _refused(exc: WorkspaceError) -> ApiError:
    return ApiError(STATUS.get(exc.code, 400), exc.code, str(exc))


def _csv(body: bytes, name: str) -> Response:
    return Response(body, media_type=CSV, headers={"Content-Disposition": f'attachment; filename="{name}"'})


# -- case folders ---------------------------------------------------------------------------------------------
@router.get("/folders", response_model=list[Folder], summary="Your case folders and those shared with you")
def folders(box: FoldersDep) -> list[dict]:
    """Newest change first, each with the number of its documents you may read."""
    return box.all()


@router.post("/folders", response_model=Folder, status_code=201, responses=ERRORS, summary="Make a case folder")
def create_folder(box: FoldersDep, body: NewFolder) -> dict:
    """Members (`user:<name>`, `group:<group>`) see it and add or remove documents; each sees only the documents
    they may read. Recorded in the audit trail (`folder_create`)."""
    try:
        return box.create(body.name, body.note, body.members)
    except WorkspaceError as exc:
        raise _refused(exc) from None


@router.get("/folders/{id}", response_model=FolderDetail, responses=ERRORS,
            summary="A case folder with the documents in it you may read")
def folder(box: FoldersDep, id: Id) -> dict:
    try:
        return box.get(id)
    except WorkspaceError as exc:
        raise _refused(exc) from None


@router.patch("/folders/{id}", response_model=FolderDetail, responses=ERRORS,
              summary="Rename a case folder, change its note or share it (its owner)")
def change_folder(box: FoldersDep, id: Id, body: FolderChange) -> dict:
    """`members` replaces the members. Recorded in the audit trail (`folder_change`, `folder_share`)."""
    try:
        return box.change(id, name=body.name, note=body.note, members=body.members)
    except WorkspaceError as exc:
        raise _refused(exc) from None


@router.delete("/folders/{id}", status_code=204, responses=ERRORS, summary="Delete a case folder (its owner)")
def delete_folder(box: FoldersDep, id: Id) -> Response:
    try:
        box.delete(id)
    except WorkspaceError as exc:
        raise _refused(exc) from None
    return Response(status_code=204)


@router.post("/folders/{id}/items", response_model=FolderItem, status_code=201, responses=ERRORS,
             summary="Add a document you may read to a case folder")
def add_item(box: FoldersDep, id: Id, body: NewFolderItem) -> dict:
    """Adding it again keeps it once (a note given replaces its note). Recorded in the audit trail
    (`folder_add`)."""
    try:
        return box.add(id, body.document_id, body.note)
    except WorkspaceError as exc:
        raise _refused(exc) from None


@router.patch("/folders/{id}/items/{document_id}", response_model=FolderItem, responses=ERRORS,
              summary="Change the note of a document in a case folder")
def change_item(box: FoldersDep, id: Id, document_id: DocId, body: FolderItemChange) -> dict:
    try:
        return box.note(id, document_id, body.note)
    except WorkspaceError as exc:
        raise _refused(exc) from None


@router.delete("/folders/{id}/items/{document_id}", status_code=204, responses=ERRORS,
               summary="Take a document out of a case folder")
def remove_item(box: FoldersDep, id: Id, document_id: DocId) -> Response:
    try:
        box.remove(id, document_id)
    except WorkspaceError as exc:
        raise _refused(exc) from None
    return Response(status_code=204)


@router.get("/folders/{id}/export.csv", response_class=Response, responses=CSV_ANSWER,
            summary="A case folder as a spreadsheet (CSV)")
def folder_csv(box: FoldersDep, id: Id) -> Response:
    """One row per document you may read: title, id, collection, type, court, year, pages, added by, added at,
    note, link. UTF-8 with a BOM, so that Excel reads the accents. Recorded in the audit trail
    (`folder_export`)."""
    try:
        _, body = box.spreadsheet(id)
    except WorkspaceError as exc:
        raise _refused(exc) from None
    return _csv(body, f"carpeta-{id}.csv")


@router.get("/folders/{id}/export.zip", response_class=Response, responses={**ZIP_ANSWER, **ERRORS},
            summary="The originals of a case folder's documents in a signed ZIP, for court")
def folder_zip(box: FoldersDep, service: SearchDep, settings: SettingsDep, trail: TrailDep, id: Id) -> Response:
    """The export of `POST /api/exports` for the documents of the folder you may read. Recorded in the audit
    trail (`export`, with the folder in its details)."""
    try:
        found, ids = box.readable_ids(id)
    except WorkspaceError as exc:
        raise _refused(exc) from None
    if not ids:
        raise ApiError(404, "not_found", "This folder holds no document you may read: there is nothing to export.")
    return send_export(service, settings, trail, Asked(ids=tuple(ids)), about={"folder": id, "name": found["name"]})


# -- stars, tags and notes ---------------------------------------------------------------------------------------
@router.get("/marks", response_model=list[ListedMark], summary="Your starred, tagged and annotated documents")
def marks(notes: AnnotationsDep, starred: bool | None = None,
          tag: Annotated[str | None, Query(max_length=50)] = None,
          size: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict]:
    """Only yours, only on documents you may read now; newest change first. `starred=true`: your starred
    documents; `tag=`: those you gave that tag."""
    return notes.listed(starred, tag, size)


@router.get("/tags", response_model=list[TagCount], summary="Your tags, the most used first")
def tags(notes: AnnotationsDep) -> list[dict]:
    return notes.tags()


@router.get("/marks/{document_id}", response_model=list[Mark], responses=ERRORS,
            summary="Your star, tags and notes on a document and its pages")
def document_marks(notes: AnnotationsDep, document_id: DocId) -> list[dict]:
    try:
        return notes.of(document_id)
    except WorkspaceError as exc:
        raise _refused(exc) from None


@router.put("/marks/{document_id}", response_model=Mark, responses=ERRORS,
            summary="Star a document, tag it or write a note on it or on one of its pages")
def set_mark(notes: AnnotationsDep, document_id: DocId, body: MarkChange) -> dict:
    """Only what is given changes (`page` says where: none, the document as a whole). Private: no one else reads
    them. Recorded in the audit trail (`annotate`)."""
    try:
        return notes.set(document_id, body.page, starred=body.starred, tags=body.tags, note=body.note)
    except WorkspaceError as exc:
        raise _refused(exc) from None


# -- batch search ----------------------------------------------------------------------------------------------
@router.post("/batch-search", response_model=BatchSearchAnswer, responses={**CSV_ANSWER, 400: {"model": ErrorResponse}},
             summary="Search a list: the number of documents matching each line")
def batch_search(service: SearchDep, settings: SettingsDep, trail: TrailDep, body: BatchSearchBody,
                 format: Literal["json", "csv"] = "json") -> Any:
    """Each line (at most 200) is searched by its words as you would search it (a plain line as a phrase), with
    your access: its count is of the documents you may read. A line that cannot be searched has its `error`;
    the others are answered. `format=csv`: the rows as a spreadsheet. Recorded in the audit trail
    (`batch_search`)."""
    lines = [" ".join(line.split()) for line in body.lines if line.strip()] if body.lines else lines_of(body.text)
    batch = BatchSearch(service, settings.public_url)
    try:
        rows = batch.run(lines, body.top)
    except WorkspaceError as exc:
        raise _refused(exc) from None
    trail(Action.BATCH_SEARCH, details={"lines": len(rows), "format": format, "queries": [r["query"] for r in rows],
                                        "errors": sum(1 for r in rows if r["error"])})
    if format == "csv":
        return _csv(batch.spreadsheet(rows), "busqueda-por-lotes.csv")
    return {"count": len(rows), "rows": rows}
