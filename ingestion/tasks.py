"""Celery tasks: thin wrappers over :mod:`ingestion.pipeline`."""

from __future__ import annotations

import logging

from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from redis.exceptions import ConnectionError as RedisConnectionError

from docsearch.engine import EngineUnavailable
from docsearch.settings import get_settings
from ingestion.celery_app import INGEST_TASK, app
from ingestion.pipeline import Context, fail_record, process_file

log = logging.getLogger(__name__)

_context: Context | None = None


def context() -> Context:
    """The worker process's context, created on first use (never at import)."""
    global _context
    if _context is None:
        _context = Context.create(get_settings())
    return _context


@worker_process_init.connect
def _fresh_process(**_: object) -> None:
    # A forked child must not reuse its parent's HTTP connections.
    global _context
    _context = None


TRANSIENT = (EngineUnavailable, RedisConnectionError, ConnectionError)


@app.task(
    name=INGEST_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=8,
)
def ingest_file(self, file_id: str) -> str | None:
    ctx = context()
    try:
        outcome = process_file(ctx, file_id)
    except SoftTimeLimitExceeded:
        fail_record(ctx, file_id, "timeout",
                    f"Processing took longer than {ctx.settings.task_soft_time_limit_s} s and was stopped.")
        return "failed"
    except TRANSIENT:
        raise
    except Exception:
        log.exception("ingest of %s failed", file_id)
        fail_record(ctx, file_id, "internal_error")
        return "failed"
    return outcome.status if outcome else None
