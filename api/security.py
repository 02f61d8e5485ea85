"""What every request and response of the API is held to.

* A request must name one of the API's own hosts (``Host``; ``DOCSEARCH_ALLOWED_HOSTS`` and the address it
  binds to): another name is a 400, so a DNS-rebinding page cannot talk to it.
* A change (POST, PUT, PATCH, DELETE) that a browser sends from another site carries that site's ``Origin``:
  refused, 403 ``bad_origin``. Requests without ``Origin`` (scripts, the command line) are not affected.
* Every response carries the security headers (a strict CSP, no sniffing, same-origin referrers), and every
  ``/api`` answer ``Cache-Control: no-store``: document text, files, page images and batches stay out of
  browser and proxy caches.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware

from api import errors
from docsearch.settings import Settings

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def same_origin(origin: str, host: str | None) -> bool:
    """Whether ``Origin`` names the host (and port) this request was sent to."""
    parts = urlsplit(origin.strip())
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == (host or "").lower()


def install(app: FastAPI, settings: Settings, csp: dict[str, str] | None = None) -> None:
    """Add the checks and headers to ``app``; ``csp`` gives other policies to paths that start with its keys."""
    policies = sorted((csp or {}).items(), key=lambda item: -len(item[0]))

    @app.middleware("http")
    async def guard(request: Request, call_next):
        origin = request.headers.get("origin")
        if request.method in UNSAFE_METHODS and origin is not None and not same_origin(origin, request.headers.get("host")):
            response = JSONResponse(errors.error_body(
                "bad_origin", "This change was sent from another site's page; it is only taken from docsearch's own "
                "pages or from clients that send no Origin."), status_code=403)
        else:
            response = await call_next(request)
        path = request.url.path
        response.headers.setdefault(
            "Content-Security-Policy", next((policy for prefix, policy in policies if path.startswith(prefix)), CSP))
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    # Added last, so it runs first: an unknown Host is refused before anything else looks at the request.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts)
