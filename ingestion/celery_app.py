"""The Celery application: Redis broker, JSON messages, late acks.

Started with ``celery -A ingestion.celery_app worker``. Importing this module
connects to nothing; tasks load their engine client and spaCy model lazily,
once per worker process.
"""

from __future__ import annotations

from celery import Celery

from docsearch.settings import get_settings

INGEST_QUEUE = "ingest"
INGEST_TASK = "docsearch.ingest_file"

_settings = get_settings()

app = Celery("docsearch", broker=_settings.redis_url, include=["ingestion.tasks"])
app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_default_queue=INGEST_QUEUE,
    task_routes={INGEST_TASK: {"queue": INGEST_QUEUE}},
    task_soft_time_limit=_settings.task_soft_time_limit_s,
    task_time_limit=_settings.task_time_limit_s,
    # A worker child that grew past 1.5 GiB (a huge PDF) is replaced after its task.
    worker_max_memory_per_child=1_500_000,
    # Unacked messages come back after this long; it must exceed the hard time limit.
    broker_transport_options={"visibility_timeout": _settings.task_time_limit_s * 2},
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    enable_utc=True,
)


def enqueue_file(file_id: str) -> None:
    """Queue one file record for ingest (the message carries only its id)."""
    app.send_task(INGEST_TASK, args=[file_id], queue=INGEST_QUEUE)
