"""The search benchmark's index: the plan's generated documents bulk-loaded into a private stack's
documents index (``refresh_interval: -1`` during the load), and what the engine says of it after."""

from __future__ import annotations

import queue
import threading
import time

import search_corpus
from docsearch.engine import Engine
from docsearch.settings import Settings
from run_watch import log
from search_vocabulary import Vocabulary
from services import stack

BULK_PAGES = 1200  # pages per bulk request (~5 MB): small next to the engine's heap


def build_index(running: stack.Private, plan: search_corpus.Plan, force_merge: int | None) -> dict:
    """Generate the plan's documents and bulk-index them into the stack's new indices; returns timings."""
    engine, settings, created = running.engine, running.settings, running.indices
    concrete = engine.alias_targets(settings.documents_alias)[0]
    engine.client.indices.put_settings(index=concrete, body={"index": {"refresh_interval": "-1"}})
    vocab = Vocabulary(plan.seed)
    chunks: queue.Queue = queue.Queue(maxsize=3)
    errors: list[BaseException] = []
    sent = {"docs": 0, "pages": 0}

    def sender() -> None:
        while True:
            item = chunks.get()
            if item is None:
                return
            ops, pages = item
            try:
                if not errors:
                    engine.bulk(ops)
                    sent["docs"] += len(ops) // 2
                    sent["pages"] += pages
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    generate_s = 0.0
    ops: list[dict] = []
    pages = 0
    last_report = started
    for number in range(plan.docs):
        t0 = time.monotonic()
        doc = search_corpus.document(vocab, plan, number)
        generate_s += time.monotonic() - t0
        ops += [{"index": {"_index": settings.documents_alias, "_id": doc["id"]}}, doc]
        pages += doc["page_count"]
        if pages >= BULK_PAGES or number == plan.docs - 1:
            chunks.put((ops, pages))
            ops, pages = [], 0
        if errors:
            break
        if time.monotonic() - last_report > 30:
            last_report = time.monotonic()
            log(f"indexing: {sent['docs']:,} documents, {sent['pages']:,} pages sent "
                f"({sent['pages'] / (last_report - started):,.0f} pages/s)")
    for _ in threads:
        chunks.put(None)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    load_s = time.monotonic() - started
    engine.client.indices.put_settings(index=concrete, body={"index": {"refresh_interval": None}})
    t0 = time.monotonic()
    engine.refresh(settings.documents_alias)
    refresh_s = time.monotonic() - t0
    merge_s = None
    if force_merge:
        t0 = time.monotonic()
        engine.client.indices.forcemerge(index=concrete, max_num_segments=force_merge, request_timeout=3600)
        merge_s = time.monotonic() - t0
    return {"indices": created, "load_s": load_s, "generate_s": generate_s, "refresh_s": refresh_s,
            "force_merge_s": merge_s, "pages_per_s": plan.pages / load_s}


def index_facts(engine: Engine, settings: Settings) -> dict:
    concrete = engine.alias_targets(settings.documents_alias)[0]
    stats = engine.client.indices.stats(index=concrete, metric="docs,store,segments")["_all"]["primaries"]
    agg = engine.search(settings.documents_alias, {"size": 0, "track_total_hits": True,
                                                   "aggs": {"pages": {"sum": {"field": "page_count"}}}})
    return {
        "index": concrete,
        "documents": agg["hits"]["total"]["value"],
        "pages": int(agg["aggregations"]["pages"]["value"]),
        "lucene_docs": stats["docs"]["count"],
        "store_bytes": stats["store"]["size_in_bytes"],
        "segments": stats["segments"]["count"],
    }
