from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, BinaryIO, Literal, TypeVar, cast

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from api.deps import AdminDep, CallerDep, EngineDep, SearchDep, SettingsDep, TrailDep
from api.errors import ApiError
from api.uploads import file_types
from docsearch.pages import DEFAULT_WIDTH, MAX_WIDTH, MIN_WIDTH, UnreadablePage
from api.models import BatchCreated, DocumentDetail, ErrorResponse, PageBoxes, PageText, SimilarDocuments, SimilarPassages
from docsearch.accounts import AccountError, classify
from docsearch.audit import Action
from docsearch.custody import provenance
from ingestion.incoming import Incoming
from ingestion.removal import delete_document
from ingestion.submit import submit

router = APIRouter(prefix="/api", tags=["documents"])
T = TypeVar("T")

DocId = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="sha256 of the original file.")]
PageNumber = Annotated[int, Path(ge=1, le=100_000, description="Page number, from 1.")]
# A document's bytes never change (its id is their hash), so neither does a page image of a given width;
# "private": a cache shared between users must not keep what an access filter may one day withhold.
IMAGE_CACHE = "private, max-age=604800, immutable"
COLLECTION_PATTERN = r"^[\w][\w .-]{0,63}$"


@router.post(
    "/documents",
    response_model=BatchCreated,
    status_code=202,
    responses={400: {"model": ErrorResponse}, 422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
    summary="Upload PDFs or ZIP archives of PDFs for indexing",
)
def upload(
    engine: EngineDep,
    settings: SettingsDep,
    caller: CallerDep,
    trail: TrailDep,
    files: Annotated[list[UploadFile], File(description="PDF files and/or ZIP archives (folders inside are kept).")],
    collection: Annotated[str, Form(pattern=COLLECTION_PATTERN, description="Collection to file them under.")] = "default",
    doc_type: Annotated[str | None, Form(max_length=64, description="Document type of every file that `types` "
                                         "does not name, if known.")] = None,
    types: Annotated[str | None, Form(max_length=200_000, description="A document type per file: a JSON object of "
                                      "file name (as sent) -> one of the known types, such as "
                                      '`{"a.pdf": "sentencia", "b.zip": "auto"}` (an archive\'s type is that of '
                                      "every file in it). It wins over `doc_type`; an unknown type or file name "
                                      "is refused (400).")] = None,
) -> dict:
    """Stores the files (opening ZIPs) and queues them; follow progress at ``GET /api/batches/{batch_id}``.

    Every file gets a record: one that cannot be indexed ends ``failed`` with a reason, the rest are unaffected.
    The load is named after its first file or folder (the batch's ``name``).
    """
    if not caller.can("write", collection):
        raise ApiError(403, "forbidden", f"You may not add documents to the collection '{collection}'.")
    if not files:
        raise ApiError(400, "no_files", "Send at least one file in the 'files' field.")
    if len(files) > settings.max_upload_files:
        raise ApiError(400, "too_many_files", f"At most {settings.max_upload_files} files per upload; split the load.")
    items = [Incoming(upload.filename or f"upload-{i}", _opener(upload)) for i, upload in enumerate(files)]
    per_file = file_types(types, [item.name for item in items])
    batch_id = submit(engine, settings, items, collection=collection, doc_type=doc_type, origin="api",
                      uploader=caller.user, types=per_file)
    trail(Action.UPLOAD, batch_id, collection=collection, details={"files": len(items)})
    return {"batch_id": batch_id}


def _opener(upload: UploadFile) -> Callable[[], BinaryIO]:
    return lambda: cast(BinaryIO, KeepOpen(upload.file))


class KeepOpen:
    """An upload's spooled file, rewound, that ``with`` does not close (FastAPI closes it)."""

    def __init__(self, fh):
        self._fh = fh
        fh.seek(0)

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def close(self) -> None:
        self._fh.seek(0)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


@router.get("/documents/{doc_id}", response_model=DocumentDetail, responses={404: {"model": ErrorResponse}},
            summary="A document's metadata")
def document(service: SearchDep, trail: TrailDep, doc_id: DocId) -> dict:
    """Metadata, entities and the list of pages (number, length, OCR confidence) of one document, and the
    chain of custody of its original (``custody``: sha256, size, every load of its bytes: who, when, where)."""
    doc = service.document(doc_id)
    if doc is None:
        raise ApiError(404, "not_found", f"No document with id {doc_id}.")
    doc["custody"] = provenance(service.engine, service.settings, doc_id, service.caller)
    trail(Action.VIEW_DOCUMENT, doc_id, collection=doc.get("collection"))
    return doc


@router.get("/documents/{doc_id}/pages/{number}", response_model=PageText,
            responses={400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}}, summary="One page's text")
def page(
    service: SearchDep,
    trail: TrailDep,
    doc_id: DocId,
    number: PageNumber,
    q: Annotated[str, Query(max_length=1000, description="A search query whose hits are marked in `html`.")] = "",
) -> dict:
    """The page's text, and the same text HTML-escaped with the query's hits in ``<mark>``."""
    found = service.page(doc_id, number, q)
    if found is None:
        raise ApiError(404, "not_found", f"Document {doc_id} has no page {number}.")
    trail(Action.VIEW_PAGE, doc_id, query=q or None, details={"page": number})
    return found


class HitPage(BaseModel):
    page: int = Field(description="Page number, from 1.")
    hits: int = Field(description="Hits the page view marks on this page for `q`.")


class DocumentHits(BaseModel):
    q: str
    total: int = Field(description="Hits in the whole document: the sum over `pages`.")
    pages: list[HitPage] = Field(description="The pages holding hits, in page order (none without `q`).")


@router.get("/documents/{doc_id}/hits", response_model=DocumentHits,
            responses={400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
            summary="Where a query's hits are in one document")
def document_hits(
    service: SearchDep,
    doc_id: DocId,
    q: Annotated[str, Query(max_length=1000, description="The search query whose hits are counted.")] = "",
) -> dict:
    """The pages of the document holding the query's hits, with how many each holds, counted as the page
    view (``GET .../pages/{number}?q=``) marks them: a reader's "hit 5 of 17, pages 2, 7, 8"."""
    found = service.hit_pages(doc_id, q)
    if found is None:
        raise ApiError(404, "not_found", f"No document with id {doc_id}.")
    return found


@router.get("/documents/{doc_id}/file", response_class=FileResponse, responses={
    200: {"content": {"application/pdf": {}}, "description": "The original PDF."},
    206: {"content": {"application/pdf": {}}, "description": "The requested byte range."},
    404: {"model": ErrorResponse}}, summary="The original PDF")
def original(service: SearchDep, trail: TrailDep, doc_id: DocId) -> FileResponse:
    """The file as it was loaded; supports HTTP range requests. Open at a page with ``#page=N``."""
    found = service.file_path(doc_id)
    if found is None:
        raise ApiError(404, "not_found", f"No stored file for document {doc_id}.")
    path, meta = found
    name = (meta.get("source_paths") or [f"{doc_id}.pdf"])[0].rsplit("/", 1)[-1]
    trail(Action.DOWNLOAD, doc_id, collection=meta.get("collection"))
    return FileResponse(path, media_type="application/pdf", filename=name, content_disposition_type="inline")


@router.get("/documents/{doc_id}/pages/{number}/image", response_class=Response, responses={
    200: {"content": {"image/png": {}}, "description": "The page rendered by pdfium."},
    304: {"description": "Not modified (the image named by `If-None-Match`)."},
    404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}, summary="One page as it looks (PNG)")
def page_image(
    service: SearchDep,
    trail: TrailDep,
    request: Request,
    doc_id: DocId,
    number: PageNumber,
    width: Annotated[int, Query(ge=MIN_WIDTH, le=MAX_WIDTH, description="Image width in pixels.")] = DEFAULT_WIDTH,
) -> Response:
    """The page of the original PDF as PNG, ``width`` pixels wide (a very tall page is made narrower so the
    image stays within a few megapixels). Cacheable: the same document, page and width give the same bytes."""
    etag = f'"{doc_id[:32]}-{number}-{width}"'
    headers = {"Cache-Control": IMAGE_CACHE, "ETag": etag}
    if etag in request.headers.get("if-none-match", ""):
        if service.file_path(doc_id) is not None:  # still there, and still readable by this caller
            return Response(status_code=304, headers=headers)
    image = _from_page(doc_id, number, lambda: service.page_image(doc_id, number, width))
    trail(Action.VIEW_PAGE, doc_id, details={"page": number, "image": True})
    return Response(image.png, media_type="image/png", headers=headers)


@router.get("/documents/{doc_id}/pages/{number}/boxes", response_model=PageBoxes,
            responses={400: {"model": ErrorResponse}, 404: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
            summary="Where the query's hits are on the page image")
def page_boxes(
    service: SearchDep,
    doc_id: DocId,
    number: PageNumber,
    q: Annotated[str, Query(max_length=1000, description="The search query whose hits the page view marks.")] = "",
) -> dict:
    """One box per hit that ``GET /api/documents/{id}/pages/{n}?q=`` marks, found in the PDF's text layer, in
    fractions of the page image's size. A scanned page (text read by OCR) has ``text_layer: false`` and no boxes."""
    return _from_page(doc_id, number, lambda: service.page_boxes(doc_id, number, q))


def _from_page(doc_id: str, number: int, read: Callable[[], T | None]) -> T:
    """What ``read`` takes from a stored page: 404 when there is none, 422 when pdfium cannot open the file."""
    try:
        found = read()
    except UnreadablePage as exc:
        raise ApiError(422, "unreadable_file", str(exc)) from None
    if found is None:
        raise ApiError(404, "not_found", f"Document {doc_id} has no stored file with a page {number}.")
    return found


@router.get("/documents/{doc_id}/similar", response_model=SimilarDocuments, responses={404: {"model": ErrorResponse}},
            summary="Documents like this one")
def similar(service: SearchDep, doc_id: DocId, size: Annotated[int, Query(ge=1, le=20)] = 5) -> dict:
    """More-like-this over the document's title and text, fused with the documents whose passages are nearest
    its own in meaning."""
    found = service.similar(doc_id, size)
    if found is None:
        raise ApiError(404, "not_found", f"No document with id {doc_id}.")
    return found


@router.get("/documents/{doc_id}/passages/similar", response_model=SimilarPassages,
            responses={404: {"model": ErrorResponse}}, summary="More passages like this one")
def similar_passages(service: SearchDep, doc_id: DocId,
                     page: Annotated[int, Query(ge=1, le=100_000, description="The passage's page.")],
                     start: Annotated[int, Query(ge=0, description="Where it starts in the page's text "
                                                                   "(a search result's `passages`).")],
                     size: Annotated[int, Query(ge=1, le=50)] = 10) -> dict:
    """Passages of other documents nearest this passage's meaning, in any language."""
    found = service.similar_passages(doc_id, page, start, size)
    if found is None:
        raise ApiError(404, "not_found", f"Document {doc_id} has no passage at page {page}, character {start}.")
    return found


class Classification(BaseModel):
    classification: Literal["public", "reserved", "sealed"] = Field(
        description="public: every signed-in user; reserved: readers of its collection; sealed: only `readers`.")
    readers: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]] = Field(
        default_factory=list, max_length=200, description="Users a sealed document is open to.")


@router.put("/documents/{doc_id}/classification", response_model=Classification,
            responses={400: {"model": ErrorResponse}, 403: {"model": ErrorResponse}, 404: {"model": ErrorResponse}},
            summary="Set who may read a document")
def set_classification(service: SearchDep, caller: CallerDep, trail: TrailDep, doc_id: DocId,
                       change: Classification) -> dict:
    """Needs the right to manage one of the document's collections (and to read the document)."""
    doc = service.document(doc_id)
    if doc is None:
        raise ApiError(404, "not_found", f"No document with id {doc_id}.")
    collection = doc.get("collection") or ""  # as this caller sees it (docsearch.sources.shown)
    if not caller.can("manage", collection):
        raise ApiError(403, "forbidden", "Only a manager of its collection may change who reads this document.")
    try:
        done = classify(service.engine, service.settings, doc_id, change.classification, change.readers)
    except AccountError as exc:
        raise ApiError(400, exc.code, str(exc)) from None
    trail(Action.CLASSIFY, doc_id, collection=collection, details=done)
    return done


class Removed(BaseModel):
    id: str
    files: int = Field(description="File records removed (one per load of these bytes).")
    original: bool = Field(description="Whether the stored original was removed.")


@router.delete("/documents/{doc_id}", response_model=Removed, responses={403: {"model": ErrorResponse},
               404: {"model": ErrorResponse}}, summary="Delete a document (administrators)")
def delete(_: AdminDep, service: SearchDep, trail: TrailDep, doc_id: DocId) -> dict:
    """Removes the document with its pages and entities, its original file, and its file records."""
    doc = service.document(doc_id)  # what the admin may read: a sealed document must be opened to them first
    if doc is None:
        raise ApiError(404, "not_found", f"No document with id {doc_id}.")
    removed = delete_document(service.engine, service.settings, doc_id)
    if removed is None:
        raise ApiError(404, "not_found", f"No document with id {doc_id}.")
    trail(Action.DELETE, doc_id, collection=doc.get("collection"),
          details={"title": doc.get("title"), "files": removed.files, "batches": removed.batches})
    return {"id": doc_id, "files": removed.files, "original": removed.original}
