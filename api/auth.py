"""Kept for imports of the admin check: see :mod:`api.deps`."""

from __future__ import annotations

from api.deps import AdminDep, require_admin

__all__ = ["AdminDep", "require_admin"]
