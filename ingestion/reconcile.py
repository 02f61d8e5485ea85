"""Finds files that were lost on the way and queues them again.

A file record is the truth; a queue message is only a reminder. After a broker
loss (Redis restarted without its data) or a dead worker, some records stay
``queued`` or ``processing`` with nobody working on them:

* ``processing`` whose lease ran out: its worker died. A scan in the OCR stage
  gets its missing pages queued again (or its finish, if none is missing);
  anything else starts over (the claim counts attempts, so a file that kills
  its worker every time ends ``failed`` / ``interrupted``).
* ``queued`` untouched for ``reconcile_grace_s`` while the queues are empty:
  its message was lost.

Queuing twice is harmless: the claim lets one delivery work and the other
leave. Runs in every ingest worker; a Redis lock makes one of them do a round.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import redis

from docsearch.settings import Settings
from ingestion.batches import parse, utcnow
from ingestion.celery_app import enqueue_file, enqueue_finish, enqueue_ocr, queue_lengths
from ingestion.pipeline import OCR_CHUNK, Context
from ingestion.records import FileRecord
from ingestion.states import Stage, Status

log = logging.getLogger(__name__)


@dataclass
class Reconciler:
    ctx: Context
    redis: redis.Redis
    enqueue_file: Callable[[str], None]
    enqueue_ocr: Callable[[str, list[int]], None]
    enqueue_finish: Callable[[str], None]
    queue_lengths: Callable[[], dict[str, int]]

    @classmethod
    def create(cls, settings: Settings) -> "Reconciler":
        """One on the process's broker (``ingestion.celery_app``) and the engine of ``settings``."""
        client = redis.Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
        return cls(Context.create(settings), client, enqueue_file, enqueue_ocr, enqueue_finish, queue_lengths)

    @property
    def lock_key(self) -> str:
        return f"docsearch:{self.ctx.settings.index_prefix}:reconcile"

    def run_once(self, lock: bool = False) -> dict:
        settings = self.ctx.settings
        if lock and not self.redis.set(self.lock_key, "1", nx=True, ex=max(1, settings.reconcile_interval_s - 1)):
            return {"skipped": "another worker reconciles"}
        moment = utcnow()
        stale = self.ctx.batches.pending(moment - timedelta(seconds=settings.reconcile_grace_s))
        queues_empty = None
        requeued: list[str] = []
        for record in stale:
            if record.status == Status.PROCESSING:
                lease = parse(record.lease_until)
                if lease and lease > moment:
                    continue
                self._resume(record)
                requeued.append(record.id)
            elif record.status == Status.QUEUED:
                if queues_empty is None:
                    queues_empty = not any(self.queue_lengths().values())
                if queues_empty:
                    self.enqueue_file(record.id)
                    requeued.append(record.id)
        return {"checked": len(stale), "requeued": requeued}

    def _resume(self, record: FileRecord) -> None:
        if record.stage == Stage.OCR:
            work = self.ctx.work(record.id)
            saved = work.load_extracted()
            if saved is not None:
                missing = [i for i in saved["needs_ocr"] if not work.has_ocr(i)]
                # A fresh lease first, so the next round does not queue the same pages again.
                self.ctx.batches.extend(record.id, self.ctx.lease_s(len(missing)))
                if not missing:
                    self.enqueue_finish(record.id)
                for start in range(0, len(missing), OCR_CHUNK):
                    self.enqueue_ocr(record.id, missing[start : start + OCR_CHUNK])
                return
        # Back to queued: later rounds then requeue it only if this message is lost too.
        self.ctx.batches.release(record.id)
        self.enqueue_file(record.id)
