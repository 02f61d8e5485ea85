"""The two systems compared: the tuned search (``GET /api/search`` of a private stack loaded through
``POST /api/documents``) and a baseline index (standard analyzer, BM25 ``multi_match``, operator ``or``)
holding the same documents; every query run through both."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from docsearch.fields import REGISTRY
from relevance_judging import K_RECALL, metrics
from run_watch import log


def tuned_search(client, query: dict, mode: str | None = None) -> tuple[list[str], dict]:
    """Ids ranked by ``GET /api/search`` (the first 20), and what the API said about the query; ``mode``
    (``lexical``, ``semantic``, ``hybrid``) is sent as the ``mode`` parameter, none by default."""
    params: list[tuple[str, str]] = [("q", query["q"]), ("size", str(K_RECALL)), ("facets", "false")]
    for name, values in (query.get("filters") or {}).items():
        params += [(name, str(v)) for v in values]
    if mode:
        params.append(("mode", mode))
    resp = client.get("/api/search", params=params)
    if resp.status_code != 200:
        return [], {"status": resp.status_code, "error": resp.text[:300]}
    body = resp.json()
    info = {"status": 200, "total": body.get("total")}
    if isinstance(body.get("query"), dict):
        info["interpreted"] = body["query"].get("interpreted")
        info["warnings"] = body["query"].get("warnings")
        if mode:
            info["mode"] = body["query"].get("mode")
    return [r["id"] for r in body.get("results", [])], info


SYNTAX = re.compile(r'["()+~*]|(?<!\w)-|\b(?:AND|OR|NOT)\b')


def baseline_words(q: str) -> str:
    """The query's words without the query language (quotes, operators, parentheses): a bag of words."""
    return " ".join(SYNTAX.sub(" ", q).split())


BASELINE_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}


def baseline_mapping() -> dict:
    text = {"type": "text", "analyzer": "standard"}
    entities = {"type": "object", "properties": {}, "dynamic": True}
    return {"dynamic_templates": [{"strings": {"match_mapping_type": "string", "mapping": {"type": "keyword"}}}],
            "properties": {"title": text, "text": text, "collection": {"type": "keyword"},
                           "doc_type": {"type": "keyword"}, "institution": {"type": "keyword"},
                           "year": {"type": "integer"}, "language": {"type": "keyword"},
                           "topics": {"type": "keyword"}, "entities": entities}}


def build_baseline(engine, settings, index: str) -> int:
    """Copy title, full text and metadata of every indexed document into a standard-analyzer index."""
    engine.client.indices.create(index=index, body={"settings": BASELINE_SETTINGS, "mappings": baseline_mapping()})
    resp = engine.client.search(index=settings.documents_alias, body={"size": 1000, "query": {"match_all": {}}})
    n = 0
    for hit in resp["hits"]["hits"]:
        src = hit["_source"]
        pages = sorted(src.get("pages") or [], key=lambda p: p.get("page", 0))
        body = {"title": src.get("title") or "", "text": "\n".join(p.get("text") or "" for p in pages)}
        for name in ("collection", "doc_type", "institution", "year", "language", "topics", "entities"):
            if src.get(name) is not None:
                body[name] = src[name]
        engine.client.index(index=index, id=hit["_id"], body=body)
        n += 1
    engine.client.indices.refresh(index=index)
    return n


def baseline_search(engine, index: str, query: dict) -> list[str]:
    filters = []
    for name, values in (query.get("filters") or {}).items():
        field_name = REGISTRY[name].field  # the baseline copies the indexed fields under their own names
        filters.append({"terms": {field_name: [int(v) for v in values] if name == "year" else list(values)}})
    body = {"size": K_RECALL, "_source": False, "query": {"bool": {
        "must": [{"multi_match": {"query": baseline_words(query["q"]), "fields": ["title", "text"],
                                  "operator": "or"}}],
        "filter": filters}}}
    resp = engine.client.search(index=index, body=body)
    return [hit["_id"] for hit in resp["hits"]["hits"]]


# -- the run -----------------------------------------------------------------------------------------------------
def ingest(running, corpus: list[dict], paths: dict[str, Path]) -> float:
    """Upload the corpus to a private stack (one batch per collection) and wait for it; returns seconds."""
    started = time.monotonic()
    by_collection = defaultdict(list)
    for f in corpus:
        by_collection[f["collection"]].append(paths[f["key"]])
    batches = [running.upload(files, collection=collection) for collection, files in sorted(by_collection.items())]
    log(f"uploaded {len(corpus)} PDFs in {len(batches)} batches; waiting for the workers")
    for batch_id in batches:
        body = running.wait_batch(batch_id, max(1.0, 1800 - (time.monotonic() - started)), poll=1, limit=0)
        counts = body.get("counts") or {}
        if counts.get("failed"):
            raise RuntimeError(f"batch {batch_id}: files failed: {counts}")
    return time.monotonic() - started


def run_queries(api, engine, baseline_index: str, queries: list[dict], key_of: dict[str, str],
                kind: str = "category", zero: bool = False, modes: Sequence[str] = ()) -> list[dict]:
    """Every query through the tuned search (``api``: a signed-in client of the stack, services.client.Client)
    and the baseline, with their metrics; ``kind`` names the field that groups the queries, ``zero`` adds
    whether a system answered nothing. With ``modes`` the tuned search runs once per mode (``mode=<m>``):
    each row's ``modes`` holds every mode's ``tuned``, ``tuned_info`` and ``m_tuned``, and the row's own are
    the first mode's."""

    def measured(ranked: list[str], judgments: dict) -> dict:
        return {**metrics(ranked, judgments), **({"zero": float(not ranked)} if zero else {})}

    def tuned_run(client, q: dict, mode: str | None) -> dict:
        ids, info = tuned_search(client, q, mode)
        tuned = [key_of.get(i, i[:12]) for i in ids]
        return {"tuned": tuned, "tuned_info": info, "m_tuned": measured(tuned, q["judgments"])}

    rows = []
    with api.client() as client:
        for q in queries:
            runs = {mode: tuned_run(client, q, mode) for mode in modes or (None,)}
            first = runs[modes[0] if modes else None]
            base = [key_of.get(i, i[:12]) for i in baseline_search(engine, baseline_index, q)]
            row = {"id": q["id"], kind: q[kind], "q": q["q"], "filters": q.get("filters"),
                   "judgments": q["judgments"], "tuned": first["tuned"], "tuned_info": first["tuned_info"],
                   "baseline": base, "m_tuned": first["m_tuned"], "m_baseline": measured(base, q["judgments"])}
            if modes:
                row["modes"] = runs
            rows.append(row)
    return rows


def mode_rows(rows: list[dict], mode: str) -> list[dict]:
    """The rows of a run with ``modes`` as if the tuned search had run in ``mode`` only."""
    return [{**r, **r["modes"][mode]} for r in rows]
