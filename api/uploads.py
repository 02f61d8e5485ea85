"""The limits of an upload (``POST /api/documents``), answered in the API's error shape.

* ``max_upload_mb``: a request body larger than this is refused, 413 ``too_large``: at once when its
  ``Content-Length`` says so, else as soon as that many bytes have come in (nothing is stored).
* ``max_upload_files``: the multipart parser itself stops at this many files (:func:`form_limits`), and the
  refusal is our 400 ``too_many_files``, not the parser's own words; a form with more than a handful of
  other fields is refused too.
* ``user_quota_mb``: a user who has loaded their quota in the last 24 hours gets 429 ``quota_exceeded``
  (``ingestion.quota``).

And what the form says of the files: ``types`` (:func:`file_types`), a document type per file given, each
one of the known types (400 ``unknown_doc_type``) for a file of the upload (400 ``unknown_file``).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Sequence
from typing import TypedDict

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import errors
from docsearch.settings import Settings
from ingestion.quota import QuotaExceeded
from nlp.metadata import doc_type_labels

UPLOAD_PATH = "/api/documents"
MAX_FIELDS = 8  # collection, doc_type, types, and room to grow
MiB = 1024 * 1024


class FormLimits(TypedDict, total=False):  # the shape FastAPI takes
    max_files: int
    max_fields: int
    max_part_size: int


def form_limits(settings: Settings) -> FormLimits:
    """What FastAPI's form parsing may take (``FastAPI(form_limits=...)``)."""
    return {"max_files": settings.max_upload_files, "max_fields": MAX_FIELDS}


def too_large(settings: Settings) -> str:
    return (f"The upload is larger than the {settings.max_upload_mb:,} MiB allowed in one request "
            "(DOCSEARCH_MAX_UPLOAD_MB); split it into several uploads.")


class UploadSizeLimit:
    """Refuses an upload body past ``max_upload_mb`` (other requests pass untouched)."""

    def __init__(self, app: ASGIApp, settings: Settings):
        self.app = app
        self.settings = settings
        self.limit = settings.max_upload_mb * MiB

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != UPLOAD_PATH:
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            response = JSONResponse(errors.error_body("too_large", too_large(self.settings)), status_code=413,
                                    headers={"Connection": "close"})
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:  # FastAPI passes an HTTPException from reading the body on to its handler
                    raise StarletteHTTPException(413, too_large(self.settings))
            return message

        await self.app(scope, counted, send)


def install(app: FastAPI, settings: Settings) -> None:
    """The body limit, and our answers for the parser's too-many-files and for a used-up quota."""
    app.add_middleware(UploadSizeLimit, settings=settings)
    plain = app.exception_handlers[StarletteHTTPException]

    async def http_error(request: Request, exc: Exception):
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400 and str(exc.detail).startswith("Too many files"):
            return JSONResponse(errors.error_body(
                "too_many_files", f"At most {settings.max_upload_files:,} files per upload "
                "(DOCSEARCH_MAX_UPLOAD_FILES); split the load."), status_code=400)
        answer = plain(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    async def quota(_: Request, exc: Exception):
        return JSONResponse(errors.error_body("quota_exceeded", str(exc)), status_code=429)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(QuotaExceeded, quota)


def file_types(types: str | None, names: Sequence[str]) -> dict[str, str]:
    """The ``types`` field of an upload: a JSON object of file name (as sent) -> document type, one of
    ``nlp.metadata.doc_type_labels()``. An archive's type is that of every file inside it. Empty: none."""
    if not types or not types.strip():
        return {}
    try:
        given = json.loads(types)
    except ValueError as exc:
        raise errors.ApiError(400, "invalid_types", "'types' must be a JSON object of file name to document type, "
                                                    f'such as {{"a.pdf": "sentencia"}} ({exc}).') from None
    if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
        raise errors.ApiError(400, "invalid_types", "'types' must be a JSON object of file name to document type, "
                                                    'such as {"a.pdf": "sentencia"}.')
    known = doc_type_labels()
    unknown = sorted({value for value in given.values() if value not in known})
    if unknown:
        raise errors.ApiError(400, "unknown_doc_type", f"Unknown document type {', '.join(map(repr, unknown))}; "
                              f"the types are: {', '.join(known)}.", {"unknown": unknown, "known": known})
    missing = sorted(set(given) - set(names))
    if missing:
        shown = ", ".join(repr(name) for name in missing[:5]) + (" …" if len(missing) > 5 else "")
        raise errors.ApiError(400, "unknown_file", f"'types' names files that are not in the upload: {shown}; "
                              "use the names of the files as sent.", {"unknown": missing})
    return {name: value for name, value in given.items() if value}
