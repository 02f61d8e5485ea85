"""The Celery application: Redis broker, JSON messages, late acks.

Started with ``celery -A ingestion.celery_app worker``. Importing this module
connects to nothing; tasks load their engine client and spaCy model lazily,
once per worker process.
"""

from __future__ import annotations

from celery import Celery

from docsearch.settings import get_settings

_settings = get_settings()

# Queue names carry the index prefix: two deployments (or test runs) sharing one Redis never
# take each other's messages.
INGEST_QUEUE = f"{_settings.index_prefix}.ingest"
OCR_QUEUE = f"{_settings.index_prefix}.ocr"
INGEST_TASK = "docsearch.ingest_file"
OCR_TASK = "docsearch.ocr_pages"
FINISH_TASK = "docsearch.finish_file"
MATCH_TASK = "docsearch.match_document"
QUEUES = (INGEST_QUEUE, OCR_QUEUE)

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
    # Scans are OCR'd on their own queue (and workers), so text PDFs are never stuck behind them.
    task_routes={INGEST_TASK: {"queue": INGEST_QUEUE}, FINISH_TASK: {"queue": INGEST_QUEUE},
                 MATCH_TASK: {"queue": INGEST_QUEUE}, OCR_TASK: {"queue": OCR_QUEUE}},
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


def enqueue_ocr(file_id: str, page_indexes: list[int]) -> None:
    app.send_task(OCR_TASK, args=[file_id, page_indexes], queue=OCR_QUEUE)


def enqueue_finish(file_id: str) -> None:
    app.send_task(FINISH_TASK, args=[file_id], queue=INGEST_QUEUE)


def enqueue_match(file_id: str) -> None:
    """Match the document a file was just indexed as against every watch (docsearch.watches)."""
    app.send_task(MATCH_TASK, args=[file_id], queue=INGEST_QUEUE)


def queue_lengths() -> dict[str, int]:
    """Messages waiting in each of our Redis queues (not counting those a worker holds)."""
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        out = {}
        for queue in QUEUES:
            # kombu keeps priority levels in sibling lists named "<queue>\x06\x16<priority>".
            names = [queue] + [f"{queue}\x06\x16{p}" for p in (3, 6, 9)]
            out[queue] = sum(client.llen(name) for name in names)
        return out
