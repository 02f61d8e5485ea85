"""How much a user may still load: ``user_quota_mb`` in any 24 hours, counted from the file records of their loads.

Only loads with an uploader count (those through the API); the server's own tooling (the command line, an
admin import of a server folder) has none. The bytes counted are those stored: each file's size, the files
inside a ZIP rather than the ZIP. Records are found by search, so a load recorded in the last second may
not be counted yet: loads made at the same moment can pass the quota by one upload each (bounded by
``max_upload_mb``).
"""

from __future__ import annotations

from datetime import timedelta

from docsearch.engine import Engine
from docsearch.settings import Settings
from ingestion.batches import stamp, utcnow
from ingestion.states import Reason

MiB = 1024 * 1024
WINDOW = timedelta(hours=24)


class QuotaExceeded(Exception):
    """The user has loaded their quota in the last 24 hours: nothing of this load was taken."""

    def __init__(self, used: int, limit: int):
        super().__init__(f"You have loaded {used / MiB:,.0f} MiB in the last 24 hours; the limit is {limit / MiB:,.0f} "
                         "MiB (DOCSEARCH_USER_QUOTA_MB). Load the rest later, or ask the administrator to raise it.")
        self.used, self.limit = used, limit


def loaded_bytes(engine: Engine, settings: Settings, uploader: str) -> int:
    """Bytes ``uploader`` loaded in the last 24 hours."""
    body = {"size": 0, "track_total_hits": False,
            "query": {"bool": {"filter": [{"term": {"uploader": uploader}},
                                          {"range": {"queued_at": {"gte": stamp(utcnow() - WINDOW)}}}],
                               "must_not": [{"term": {"reason": Reason.QUOTA_EXCEEDED}}]}},  # refused, not kept
            "aggs": {"bytes": {"sum": {"field": "size"}}}}
    resp = engine.search(settings.files_alias, body)
    return int(resp["aggregations"]["bytes"]["value"] or 0)


class Allowance:
    """What a load may still store; ``left`` is None when it has no uploader (no quota)."""

    def __init__(self, left: int | None):
        self.left = left

    @classmethod
    def of(cls, engine: Engine, settings: Settings, uploader: str | None) -> "Allowance":
        """The uploader's allowance now; :class:`QuotaExceeded` when nothing is left."""
        if uploader is None:
            return cls(None)
        limit = settings.user_quota_mb * MiB
        used = loaded_bytes(engine, settings, uploader)
        if used >= limit:
            raise QuotaExceeded(used, limit)
        return cls(limit - used)

    def take(self, size: int) -> bool:
        """Count ``size`` bytes against the allowance; False (and nothing counted) when they do not fit."""
        if self.left is None:
            return True
        if size > self.left:
            return False
        self.left -= size
        return True
