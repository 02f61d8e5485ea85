"""Assembles the API: routers, error handlers, security headers and the front end."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import ORJSONResponse
from fastapi.staticfiles import StaticFiles

from api import errors
from api.routers import accounts, admin, auth, batches, documents, health, search
from docsearch import __version__
from docsearch.engine import quiet_client_logs
from docsearch.settings import REPO_ROOT

FRONTEND_DIR = REPO_ROOT / "frontend"

CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'"


def create_app() -> FastAPI:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_client_logs()
    app = FastAPI(
        title="docsearch",
        version=__version__,
        description="Search legal and prosecution material (case files, rulings, training manuals) by page.",
        default_response_class=ORJSONResponse,
    )
    errors.install(app)
    for module in (auth, search, documents, batches, accounts, admin, health):
        app.include_router(module.router)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        if not request.url.path.startswith(("/docs", "/redoc")):  # FastAPI's own doc pages use inline script
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    app.mount("/", StaticFiles(directory=FRONTEND_DIR, html=True), name="frontend")
    return app


app = create_app()
