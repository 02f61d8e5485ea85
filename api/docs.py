"""The interactive API documentation at ``/docs``: Swagger UI served from this server, under the strict CSP.

FastAPI's own page loads Swagger UI from a CDN and starts it with an inline script; here the page, its
start-up script and Swagger UI's files (from the ``swagger-ui-bundle-v2`` package) all come from the API
itself, so the page needs nothing from another site and no inline script.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from swagger_ui_bundle import swagger_ui_path

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
"""

START = """window.ui = SwaggerUIBundle({
  url: %s,
  dom_id: "#swagger-ui",
  deepLinking: true,
  showExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  layout: "BaseLayout"
});
"""

ASSETS = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript"}


def install(app: FastAPI) -> None:
    """Serve ``/docs`` (create the app with ``docs_url=None`` and ``redoc_url=None``)."""
    page = PAGE.format(title=app.title)
    start = START % f'"{app.openapi_url}"'

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/docs/start.js", include_in_schema=False)
    def docs_start() -> Response:
        return Response(start, media_type="text/javascript")

    for name, media_type in ASSETS.items():
        _asset(app, name, media_type)


def _asset(app: FastAPI, name: str, media_type: str) -> None:
    path = swagger_ui_path / name

    @app.get(f"/docs/{name}", include_in_schema=False)
    def asset() -> FileResponse:
        return FileResponse(str(path), media_type=media_type)
