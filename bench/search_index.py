"""The search benchmark's index: the plan's generated documents (with their passage vectors unless asked
not to) bulk-loaded into a private stack's documents index (``refresh_interval: -1`` during the load), and
what the engine says of it after."""

from __future__ import annotations

import queue
import threading
import time

import search_corpus
from docsearch.engine import Engine, EngineError, EngineUnavailable
from docsearch.settings import Settings
from run_watch import log
from services import stack

BULK_PAGES = 1200  # pages per bulk request (~5 MB): small next to the engine's heap
BULK_PAGES_VECTORS = 300  # with vectors (~3 passages of 512 numbers a page): ~3 MB, the shared heap is small


retried = {"bulk": 0}  # bulk requests sent again, over this process


def _bulk(engine: Engine, ops: list[dict], attempts: int = 6) -> None:
    """One bulk request, sent again (the same ids: nothing twice) while the shared engine refuses it for a
    while (429: a circuit breaker on its small heap, a full write queue), with growing pauses."""
    for attempt in range(attempts):
        try:
            engine.bulk(ops)
            return
        except (EngineUnavailable, EngineError) as exc:
            if attempt == attempts - 1:
                raise
            retried["bulk"] += 1
            log(f"bulk request refused ({str(exc)[:160]}); again in {2 ** (attempt + 1)} s")
            time.sleep(2 ** (attempt + 1))


def build_index(running: stack.Private, plan: search_corpus.Plan, force_merge: int | None, vectors: bool = True,
                processes: int = 2, numbers: range | None = None) -> dict:
    """Generate the plan's documents (those of ``numbers`` only, when given: an index grown in steps; with
    ``processes`` processes; with their passage vectors when ``vectors``) and bulk-index them into the stack's
    indices; returns timings."""
    numbers = range(plan.docs) if numbers is None else numbers
    engine, settings, created = running.engine, running.settings, running.indices
    concrete = engine.alias_targets(settings.documents_alias)[0]
    engine.client.indices.put_settings(index=concrete, body={"index": {"refresh_interval": "-1"}})
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
                    _bulk(engine, ops)
                    sent["docs"] += len(ops) // 2
                    sent["pages"] += pages
            except BaseException as exc:  # noqa: BLE001 - reported by the main thread
                errors.append(exc)

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    generate_s = embed_s = 0.0
    passages = 0
    bulk_pages = BULK_PAGES_VECTORS if vectors else BULK_PAGES
    ops: list[dict] = []
    pages = 0
    last_report = started
    for number, made in zip(numbers, search_corpus.documents(plan, vectors, processes, numbers)):
        doc = made.doc
        generate_s += made.generate_s
        embed_s += made.embed_s
        passages += len(doc.get("passages") or ())
        ops += [{"index": {"_index": settings.documents_alias, "_id": doc["id"]}}, doc]
        pages += doc["page_count"]
        if pages >= bulk_pages or number == numbers[-1]:
            chunks.put((ops, pages))
            ops, pages = [], 0
        if errors:
            break
        if time.monotonic() - last_report > 30:
            last_report = time.monotonic()
            log(f"indexing: {sent['docs']:,} documents, {sent['pages']:,} pages sent "
                f"({sent['pages'] / (last_report - started):,.0f} pages/s), {passages:,} passages embedded")
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
    return {"indices": created, "load_s": load_s, "generate_cpu_s": generate_s, "embed_cpu_s": embed_s,
            "passages": passages, "vectors": vectors, "processes": processes, "bulk_retries": retried["bulk"],
            "refresh_s": refresh_s,
            "force_merge_s": merge_s, "pages": sent["pages"], "documents": sent["docs"],
            "pages_per_s": sent["pages"] / load_s}


def index_facts(engine: Engine, settings: Settings) -> dict:
    concrete = engine.alias_targets(settings.documents_alias)[0]
    stats = engine.client.indices.stats(index=concrete, metric="docs,store,segments")["_all"]["primaries"]
    mapping = engine.client.indices.get_mapping(index=concrete)[concrete]["mappings"]
    with_vectors = "passages" in mapping.get("properties", {})  # schema v6 on: an older index has no such path
    aggs: dict = {"pages": {"sum": {"field": "page_count"}}}
    if with_vectors:
        aggs |= {"models": {"terms": {"field": "embedding.model"}}, "passages": {"nested": {"path": "passages"}}}
    agg = engine.search(settings.documents_alias, {"size": 0, "track_total_hits": True, "aggs": aggs})
    meta = mapping.get("_meta") or {}
    return {
        "index": concrete,
        "schema_version": meta.get("schema_version"),
        "documents": agg["hits"]["total"]["value"],
        "pages": int(agg["aggregations"]["pages"]["value"]),
        "passages": agg["aggregations"]["passages"]["doc_count"] if with_vectors else 0,
        "models": {b["key"]: b["doc_count"] for b in agg["aggregations"]["models"]["buckets"]} if with_vectors else {},
        "lucene_docs": stats["docs"]["count"],
        "store_bytes": stats["store"]["size_in_bytes"],
        "segments": stats["segments"]["count"],
    }
