"""Where the engine's time goes: the requests the search service sends for one query of each kind,
captured over a recording wrapper of the real engine client, sent again directly (``request_cache=false``)
as sent and without parts of them, and each facet's aggregation alone."""

from __future__ import annotations

import copy
import json
import statistics
import time

from docsearch.engine import Engine
from docsearch.fields import REGISTRY
from docsearch.search import SearchRequest, SearchService
from docsearch.settings import Settings
from run_watch import log


class RecordingEngine:
    """The real engine client; every search body the service sends is kept."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self.bodies: list[tuple[str, dict]] = []

    def search(self, index: str, body: dict, **params):
        self.bodies.append((index, copy.deepcopy(body)))
        return self._engine.search(index, body, **params)

    def __getattr__(self, name):
        return getattr(self._engine, name)


def service_request(params: dict) -> SearchRequest:
    """The ``SearchRequest`` that ``GET /api/search`` makes of these parameters."""
    filters = {k: [v] for k, v in params.items() if k in REGISTRY.facet_keys}
    kwargs = {"q": params.get("q", ""), "page": int(params.get("page", 1)), "size": int(params.get("size", 10)),
              "facets": params.get("facets", "true") != "false", "filters": filters}
    for extra in ("sort", "year_from", "year_to", "mode"):
        if extra in params:
            kwargs[extra] = int(params[extra]) if extra.startswith("year") else params[extra]
    return SearchRequest.create(**kwargs)


def capture(engine: Engine, settings: Settings, params: dict) -> list[tuple[str, dict]]:
    recorder = RecordingEngine(engine)
    SearchService(recorder, settings).search(service_request(params))
    return recorder.bodies


def _strip(node, key: str, inner_only: bool = False):
    """``node`` without ``key`` anywhere (``inner_only``: only inside inner_hits)."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == key and not inner_only:
                continue
            if k == "inner_hits" and inner_only and isinstance(v, dict):
                v = {kk: vv for kk, vv in v.items() if kk != key}
                out[k] = _strip(v, key, inner_only)
                continue
            out[k] = _strip(v, key, inner_only)
        return out
    if isinstance(node, list):
        return [_strip(v, key, inner_only) for v in node]
    return node


def variants(body: dict) -> dict[str, dict]:
    out = {"as sent": body}
    if "aggs" in body or "aggregations" in body:
        out["without aggregations"] = {k: v for k, v in body.items() if k not in ("aggs", "aggregations")}
    text = json.dumps(body)
    if '"inner_hits"' in text:
        out["without highlight in inner hits"] = _strip(body, "highlight", inner_only=True)
        out["without inner hits"] = _strip(body, "inner_hits")
        if "aggs" in body:
            out["without aggregations and inner hits"] = {k: v for k, v in _strip(body, "inner_hits").items()
                                                          if k != "aggs"}
    if body.get("track_total_hits") is True:
        out["total not counted"] = {**body, "track_total_hits": False}
    query = (body.get("query") or {}).get("bool") or {}
    should = query.get("should") or []
    for index, clause in enumerate(should):
        name = ((clause.get("nested") or {}).get("inner_hits") or {}).get("name")
        if name:
            kept = should[:index] + should[index + 1:]
            out[f"without the nested '{name}' clause"] = {**body, "query": {"bool": {**query, "should": kept}}}
    if should:
        out["without any should clause"] = {**body, "query": {"bool": {k: v for k, v in query.items()
                                                                        if k != "should"}}}
    if query.get("filter"):
        out["without the filter clauses (the 'opening' page)"] = {
            **body, "query": {"bool": {k: v for k, v in query.items() if k != "filter"}}}
    if "aggs" in body:
        out["aggregations only (size 0)"] = {**_strip(body, "inner_hits"), "size": 0, "from": 0}
        out["aggregations only (size 0)"].pop("sort", None)
    return out


def _facet_request(body: dict) -> str | None:
    """The facets a request of their own counts (size 0, aggregations only), or None."""
    aggs = body.get("aggs") or body.get("aggregations") or {}
    if body.get("size") == 0 and aggs:
        return ", ".join(aggs)
    return None


def time_body(engine: Engine, index: str, body: dict, reps: int) -> dict:
    walls, tooks = [], []
    for i in range(reps + 2):
        t0 = time.monotonic()
        resp = engine.search(index, body, request_cache=False)
        wall = (time.monotonic() - t0) * 1000
        if i >= 2:
            walls.append(wall)
            tooks.append(resp.get("took", 0))
    return {"wall_ms": statistics.median(walls), "took_ms": statistics.median(tooks)}


def anatomy(engine: Engine, settings: Settings, kinds: dict[str, list[dict]], reps: int) -> dict:
    out: dict = {"kinds": {}, "facets": {}}
    for name, requests in kinds.items():
        params = requests[0]
        try:
            bodies = capture(engine, settings, params)
        except Exception as exc:  # noqa: BLE001 - the service is changing; say so, measure the rest
            out["kinds"][name] = {"params": params, "error": f"{type(exc).__name__}: {exc}"}
            continue
        entry = {"params": params, "requests": len(bodies), "variants": {}, "facet_requests": {}, "other_requests": {}}
        hits_request = next(((i, b) for i, b in bodies if not _facet_request(b)), None)
        for number, (index, body) in enumerate(bodies, start=1):
            facet = _facet_request(body)
            if facet:
                entry["facet_requests"][facet] = time_body(engine, index, body, reps)
            elif hits_request is not None and body is hits_request[1]:
                for label, variant in variants(body).items():
                    entry["variants"][label] = time_body(engine, index, variant, reps)
            else:
                entry["other_requests"][f"request {number}"] = {**time_body(engine, index, body, reps),
                                                                "body": body}
        out["kinds"][name] = entry
        log(f"anatomy {name}: " + ", ".join(f"{k} {v['wall_ms']:.0f}" for k, v in
                                            {**entry["variants"], **entry["facet_requests"],
                                             **entry["other_requests"]}.items()))
    # Each facet's aggregation alone (as the request carrying it asks for it), under the plain query and under
    # the listing (no query).
    for name in ("plain", "listing"):
        try:
            bodies = capture(engine, settings, kinds[name][0])
        except Exception:  # noqa: BLE001
            continue
        row: dict = {}
        for index, body in bodies:
            aggs = body.get("aggs") or {}
            if not aggs:
                continue
            base = {**_strip(body, "inner_hits"), "size": 0, "from": 0, "track_total_hits": False}
            for key in ("aggs", "sort", "post_filter", "timeout"):
                base.pop(key, None)
            label = "facet request" if _facet_request(body) else "hits request"
            row[f"{label}: no aggregation"] = time_body(engine, index, base, reps)
            for agg_name, agg in aggs.items():
                row[agg_name] = time_body(engine, index, {**base, "aggs": {agg_name: agg}}, reps)
        out["facets"][name] = {"params": kinds[name][0], "timings": row}
        log(f"facets under {name}: " + ", ".join(f"{k} {v['took_ms']:.0f}" for k, v in row.items()))
    return out
