"""One JSON error shape for the whole API: ``{"error": {"code", "message", "detail"}}``.

User mistakes map to 4xx with a message that says what to change; an engine
or broker outage maps to 503; anything else is a bug (500, logged, no internals
in the body).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from starlette.exceptions import HTTPException as StarletteHTTPException

from docsearch.engine import EngineError, EngineUnavailable
from docsearch.search import InvalidQuery
from docsearch.watches import WatchError

log = logging.getLogger(__name__)


# Every ``error.code`` the API answers with, and what it means. A client says the error in its own language by its
# code and shows the English ``message`` only for a code it does not know (the front end's table,
# frontend/js/i18n-values.js, is kept in step with this one by tests/test_messages_by_code.py, which also finds
# every code the API's code raises).
ERROR_CODES: dict[str, str] = {
    "bad_request": "The request cannot be served as sent.",
    "invalid_request": "A parameter or field of the request is not valid (detail: field and message of each).",
    "invalid": "A value is not valid (a name, a setting, a grant...).",
    "invalid_query": "The query cannot be read (detail.position: where).",
    "query_too_complex": "The search engine could not run this query; simplify it.",
    "unauthorized": "Not signed in, or the API token is not valid.",
    "invalid_credentials": "Wrong user name or password.",
    "locked": "Too many failed sign-ins: try again later (detail.retry_after).",
    "forbidden": "The caller may not do this.",
    "csrf_failed": "A change without the signed-in page's CSRF header.",
    "bad_origin": "A change sent from another site.",
    "not_found": "No such thing (or the caller may not read it).",
    "method_not_allowed": "This path does not take that method.",
    "exists": "One with that name already exists.",
    "weak_password": "The password is too short or too common.",
    "limit": "A limit was reached (how many saved searches, watches, folders...).",
    "too_large": "The upload or export is over its size limit.",
    "too_many_files": "Too many files in one upload.",
    "no_files": "The upload holds no file.",
    "unreadable_file": "A file of the upload could not be read.",
    "invalid_types": "The upload's 'types' is not a JSON object of file name to document type.",
    "unknown_doc_type": "A document type that is not one of the known types (detail: unknown, known).",
    "unknown_file": "The upload's 'types' names a file that is not in the upload (detail: unknown).",
    "unsupported_media_type": "The body is not of a type this path takes.",
    "quota_exceeded": "The caller's upload quota is used up for now.",
    "bad_path": "A server path that cannot be imported from.",
    "outside_import_root": "A server path outside the import folder.",
    "import_disabled": "Importing from server folders is disabled.",
    "already_running": "The same export is already being made.",
    "original_missing": "A document's original file is missing from the store.",
    "original_modified": "A document's original file no longer matches its hash.",
    "engine_unavailable": "The search engine is not available right now; try again shortly.",
    "broker_unavailable": "The ingest queue (Redis) is not available right now.",
    "internal_error": "docsearch failed on this request; the error was logged.",
    "http_error": "Another HTTP error.",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, detail: object = None):
        super().__init__(message)
        self.status, self.code, self.message, self.detail = status, code, message, detail


def error_body(code: str, message: str, detail: object = None) -> dict:
    return {"error": {"code": code, "message": message, "detail": detail}}


def _json(status: int, code: str, message: str, detail: object = None, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, detail), status_code=status, headers=headers)


_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 413: "too_large", 415: "unsupported_media_type"}


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError):
        wait = exc.detail.get("retry_after") if isinstance(exc.detail, dict) else None
        return _json(exc.status, exc.code, exc.message, exc.detail,
                     headers={"Retry-After": str(wait)} if isinstance(wait, int) else None)

    @app.exception_handler(InvalidQuery)
    async def _invalid_query(_: Request, exc: InvalidQuery):
        detail = {"position": exc.position} if exc.position is not None else None
        return _json(400, "invalid_query", str(exc), detail)

    @app.exception_handler(WatchError)
    async def _watch_refused(_: Request, exc: WatchError):
        return _json(404 if exc.code == "not_found" else 400, exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError):
        problems = [
            {"field": ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path")),
             "message": err.get("msg")}
            for err in exc.errors()
        ]
        text = "; ".join(f"{p['field']}: {p['message']}" for p in problems) or "invalid request"
        return _json(422, "invalid_request", f"The request is not valid: {text}", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException):
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return _json(exc.status_code, code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(EngineUnavailable)
    async def _engine_down(_: Request, exc: EngineUnavailable):
        log.error("engine unavailable: %s", exc)
        return _json(503, "engine_unavailable", "The search engine is not available right now; try again shortly.",
                     headers={"Retry-After": "10"})

    @app.exception_handler(EngineError)
    async def _engine_error(request: Request, exc: EngineError):
        # The engine refused a request docsearch built: our bug, not the user's; its text stays in the log.
        log.error("engine error on %s %s: %s", request.method, request.url.path, exc)
        if exc.status == 400:
            return _json(400, "query_too_complex", "The search engine could not run this query; simplify it.")
        return _json(500, "internal_error", "docsearch failed on this request; the error was logged.")

    @app.exception_handler(BrokerError)
    @app.exception_handler(RedisConnectionError)
    async def _broker_down(_: Request, exc: Exception):
        log.error("broker unavailable: %s", exc)
        return _json(503, "broker_unavailable",
                     "The ingest queue (Redis) is not available right now; the files were recorded, try again shortly.",
                     headers={"Retry-After": "10"})

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _json(500, "internal_error", "docsearch failed on this request; the error was logged.")
