"""Celery tasks: thin wrappers over :mod:`ingestion.pipeline`, the worker's start-up, and the reconciler thread."""

from __future__ import annotations

import logging
import threading

import redis

from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_init, worker_process_init, worker_ready, worker_shutdown
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from docsearch.engine import EngineUnavailable, quiet_client_logs
from docsearch.settings import get_settings
from ingestion import health, pipeline
from docsearch.watches import match_document as match_watches
from docsearch.watches import send_digests
from ingestion.celery_app import (FINISH_TASK, INGEST_QUEUE, INGEST_TASK, MATCH_TASK, OCR_TASK, app, enqueue_finish,
                                  enqueue_match, enqueue_ocr)
from ingestion.ocr import limit_threads
from ingestion.reconcile import Reconciler
from ingestion.states import Reason, Status

log = logging.getLogger(__name__)

_context: pipeline.Context | None = None


def context() -> pipeline.Context:
    """The worker process's context, created on first use (never at import)."""
    global _context
    if _context is None:
        _context = pipeline.Context.create(get_settings())
    return _context


@worker_init.connect
def _start_worker(**_: object) -> None:
    # Before the pool forks: every child inherits both.
    limit_threads()
    quiet_client_logs()


@worker_process_init.connect
def _fresh_process(**_: object) -> None:
    # A forked child must not reuse its parent's HTTP connections.
    global _context
    _context = None
    # Ingest workers load the encoder now, beside the start-up: a child that took longer than Celery's
    # 4 s to report ready would be killed, and the first file would otherwise pay for the load.
    if _takes_ingest_tasks():
        threading.Thread(target=pipeline.preload, args=(get_settings(),), name="docsearch-preload",
                         daemon=True).start()


def _takes_ingest_tasks() -> bool:
    consume = app.amqp.queues.consume_from  # this worker's --queues; none given: every queue
    return not consume or INGEST_QUEUE in consume


# Only outages are retried; a user's bad file is recorded as failed, a bug is recorded and logged.
TRANSIENT = (EngineUnavailable, RedisConnectionError, RedisTimeoutError, ConnectionError)
RETRY = dict(autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=120, retry_jitter=True, max_retries=10)


def _guarded(file_id: str, run):
    ctx = context()
    try:
        return run(ctx)
    except SoftTimeLimitExceeded:
        pipeline.fail_record(ctx, file_id, Reason.TIMEOUT,
                             f"Processing took longer than {ctx.settings.task_soft_time_limit_s} s and was stopped.")
        return Status.FAILED
    except TRANSIENT:
        raise
    except Exception:
        log.exception("task on %s failed", file_id)
        pipeline.fail_record(ctx, file_id, Reason.INTERNAL_ERROR)
        return Status.FAILED


def _then_match(file_id: str, status: str) -> str:
    """A file indexed: its document is matched against the watches by a task of its own, so that matching never
    holds, slows or fails the file (a failure to queue it is logged)."""
    if status == Status.INDEXED:
        try:
            enqueue_match(file_id)
        except Exception:  # noqa: BLE001 - the file is indexed whatever happens to its notifications
            log.warning("the watches of file %s could not be queued", file_id, exc_info=True)
    return status


@app.task(name=INGEST_TASK, bind=True, acks_late=True, reject_on_worker_lost=True, **RETRY)
def ingest_file(self, file_id: str) -> str:
    return _then_match(file_id, _guarded(
        file_id, lambda ctx: pipeline.process_file(ctx, file_id, enqueue_ocr, holder=self.request.id)))


@app.task(name=OCR_TASK, acks_late=True, reject_on_worker_lost=True, **RETRY)
def ocr_pages(file_id: str, page_indexes: list[int]) -> int | str:
    return _guarded(file_id, lambda ctx: pipeline.ocr_pages(ctx, file_id, page_indexes, enqueue_finish))


@app.task(name=FINISH_TASK, acks_late=True, reject_on_worker_lost=True, **RETRY)
def finish_file(file_id: str) -> str:
    return _then_match(file_id, _guarded(file_id, lambda ctx: pipeline.finish_file(ctx, file_id)))


@app.task(name=MATCH_TASK, acks_late=True, reject_on_worker_lost=True, **RETRY)
def match_document(file_id: str) -> int:
    """The notifications earned by the document file ``file_id`` was indexed as (docsearch.watches). An outage
    is retried; anything else is logged and dropped: the file stays indexed."""
    ctx = context()
    try:
        record = ctx.batches.file(file_id)
        if record is None or not record.document_id:
            return 0
        return len(match_watches(ctx.engine, ctx.settings, record.document_id))
    except TRANSIENT:
        raise
    except Exception:
        log.exception("watches of file %s not matched", file_id)
        return 0


# -- reconciler: a thread in the worker's main process -------------------------------
_stop = threading.Event()


@worker_ready.connect
def _start_reconciler(sender=None, **_: object) -> None:
    consumer = getattr(sender, "task_consumer", None)
    queues = {q.name for q in consumer.queues} if consumer is not None else set()
    name = getattr(sender, "hostname", None)
    if name:
        threading.Thread(target=_heartbeat_loop, args=(name, sorted(queues)), name="docsearch-heartbeat",
                         daemon=True).start()
    if queues and INGEST_QUEUE not in queues:
        return  # OCR-only workers leave reconciling to the ingest workers
    thread = threading.Thread(target=_reconcile_loop, name="docsearch-reconciler", daemon=True)
    thread.start()


@worker_shutdown.connect
def _stop_reconciler(**_: object) -> None:
    _stop.set()


def _heartbeat_loop(name: str, queues: list[str]) -> None:
    """This worker is alive (ingestion.health.alive_workers) while this loop runs."""
    settings = get_settings()
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
    while not _stop.is_set():
        try:
            health.beat(client, settings.index_prefix, name, queues)
        except redis.RedisError:
            log.warning("heartbeat failed", exc_info=True)
        _stop.wait(health.HEARTBEAT_S)
    try:
        health.forget(client, settings.index_prefix, name)
    except redis.RedisError:
        pass


def _reconcile_loop() -> None:
    settings = get_settings()
    reconciler = Reconciler.create(settings)
    while not _stop.is_set():
        try:
            report = reconciler.run_once(lock=True)
            if report.get("requeued"):
                log.warning("reconciler: %s", report)
        except Exception:  # noqa: BLE001 - the loop must outlive an outage; next round tries again
            log.warning("reconciler round failed", exc_info=True)
        try:  # the day's digests of watches, once a day (each owner's digest is created once, by one worker)
            send_digests(reconciler.ctx.engine, settings)
        except Exception:  # noqa: BLE001 - as above
            log.warning("daily digests not sent", exc_info=True)
        _stop.wait(settings.reconcile_interval_s)
