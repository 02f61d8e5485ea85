"""Admin authentication: a bearer token from the settings, compared in constant time."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header

from api.deps import SettingsDep
from api.errors import ApiError


def require_admin(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> None:
    if not settings.admin_token:
        raise ApiError(403, "admin_disabled", "Admin endpoints are disabled: set DOCSEARCH_ADMIN_TOKEN to enable them.")
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.encode(), settings.admin_token.encode()):
        raise ApiError(401, "unauthorized", "This endpoint needs 'Authorization: Bearer <admin token>'.")


AdminDep = Annotated[None, Depends(require_admin)]
