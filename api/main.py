"""Assembles the API: routers, error handlers, upload limits, host, origin and header checks
(``api.security``), the API documentation and the front end."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.responses import FileResponse, ORJSONResponse
from fastapi.staticfiles import StaticFiles

from api import deps, docs, errors, security, uploads
from api.routers import (accounts, admin, audit, auth, batches, documents, entities, exports, health, search, watches,
                         workspace)
from docsearch import __version__
from docsearch.engine import quiet_client_logs
from docsearch.settings import REPO_ROOT, get_settings

FRONTEND_DIR = REPO_ROOT / "frontend"


def create_app() -> FastAPI:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_client_logs()
    settings = get_settings()
    app = FastAPI(
        title="docsearch",
        version=__version__,
        description="Search legal and prosecution material (case files, rulings, training manuals) by page.",
        default_response_class=ORJSONResponse,
        docs_url=None,  # served by api.docs, without a CDN
        redoc_url=None,
        form_limits=uploads.form_limits(settings),
    )
    errors.install(app)
    for module in (auth, search, entities, documents, batches, watches, workspace, accounts, audit, admin, exports,
                   health):
        app.include_router(module.router)

    docs.install(app)
    uploads.install(app, settings)
    deps.install(app)  # who is calling, before a body is read
    security.install(app, settings)  # last: its checks run before anything else

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """Browsers ask for /favicon.ico on their own (error pages, some navigations) whatever the page names."""
        return FileResponse(FRONTEND_DIR / "favicon.svg", media_type="image/svg+xml")

    app.mount("/", StaticFiles(directory=FRONTEND_DIR, html=True), name="frontend")
    return app


app = create_app()
