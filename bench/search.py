"""Search latency under load, over a large generated index: ``python bench/search.py``.

Needs the shared engine (``docsearch services up --only engine,redis``); never restarts it.

1. **Index.** Builds ``--pages`` pages (default 100,000) in ``--docs`` documents (default 5,000) of
   generated, fictitious Spanish legal text (``bench/search_corpus.py``: documents in the shape
   ``ingestion.pipeline.build_document`` gives them, entities per page and per document) into a private
   index prefix beside the shared indices (``bench-search-<hex>``; the schema of ``docsearch.schema``),
   with bulk requests and ``refresh_interval: -1`` during the load. ``--reuse PREFIX`` measures an index
   built before instead (never dropped by this run unless ``--drop``); a built index is dropped at the end
   unless ``--keep``.
2. **Load.** Starts the API on loopback over that index (``stack.api_up``: uvicorn, 1 worker process, as
   ``docsearch services up`` runs it; ``--api-workers N`` starts uvicorn with N instead) and sends a mixed
   workload of ``GET /api/search`` requests (query kinds below, in equal shares) from 1, 8 and 32 clients
   (``--clients``): asyncio tasks in this process, each with its own keep-alive connection (httpx). Each level
   runs ``--warmup`` seconds unmeasured, then ``--duration`` seconds measured, ``--runs`` times; reported are
   the medians over runs of p50/p95/p99 latency, throughput and errors (any status but 200), with every run's
   numbers, latency per query kind, the service's own ``took_ms`` and how many answers had partial facets
   (an entity facet past its time budget, ``facet_budget_ms``).
3. **Where the engine's time goes.** For one request of each kind, the body the search service sends is
   captured (``docsearch.search.SearchService`` over a recording wrapper of the real engine client: the hits
   request and each entity facet's request of its own) and sent to the engine directly, one at a time: the
   hits request as sent and without parts of it (aggregations, inner hits, their highlighting, exact
   total), each facet request, and each aggregation of the hits request alone. ``request_cache=false``.

Before each run it waits while a ``python -m pytest`` runs (``bench/ingest.py``'s check); a run during which
one ran, or other processes used more than 8 % of the machine's CPU, is repeated (at most 3 times a level). Prints markdown; ``--json FILE`` keeps every number.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import inspect
import json
import os
import platform
import queue
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from docsearch.engine import Engine  # noqa: E402
from services import stack  # noqa: E402
from docsearch.settings import Settings  # noqa: E402

sys.path.insert(1, str(ROOT / "bench"))
import ingest as bench_ingest  # noqa: E402  (pytest watch, CPU meter, code state)
import search_corpus  # noqa: E402

BENCH_REDIS_DB = 13  # the API does not use Redis for search; a database of its own all the same
BUSY_SHARE = 0.08  # a run during which other processes used more of the machine's CPU is repeated
BULK_PAGES = 1200  # pages per bulk request (~5 MB): small next to the engine's heap
log = bench_ingest.log


# -- index ---------------------------------------------------------------------------------------------
def build_index(running: stack.Private, plan: search_corpus.Plan, force_merge: int | None) -> dict:
    """Generate the plan's documents and bulk-index them into the stack's new indices; returns timings."""
    engine, settings, created = running.engine, running.settings, running.indices
    concrete = engine.alias_targets(settings.documents_alias)[0]
    engine.client.indices.put_settings(index=concrete, body={"index": {"refresh_interval": "-1"}})
    vocab = search_corpus.Vocabulary(plan.seed)
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


# -- machine -------------------------------------------------------------------------------------------
def machine(engine: Engine) -> dict:
    with open("/proc/meminfo") as fh:
        mem_kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
    model = ""
    try:
        with open("/proc/cpuinfo") as fh:
            model = next((line.split(":", 1)[1].strip() for line in fh if line.startswith("model name")), "")
    except OSError:
        pass
    info = engine.info()
    nodes = engine.client.nodes.info(metric="jvm")["nodes"]
    node = next(iter(nodes.values()))
    return {
        "cpus": os.cpu_count(), "cpu_model": model, "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "engine": f"{info['version'].get('distribution', 'elasticsearch')} {info['version']['number']} "
                  f"(Lucene {info['version'].get('lucene_version', '?')})",
        "engine_heap_bytes": node["jvm"]["mem"]["heap_max_in_bytes"], "jvm": node["jvm"].get("version"),
        "python": platform.python_version(), "httpx": httpx.__version__,
    }


def jvm_sample(engine: Engine) -> dict:
    node = next(iter(engine.client.nodes.stats(metric="jvm,thread_pool,breaker")["nodes"].values()))
    gc = node["jvm"]["gc"]["collectors"]
    pool = node["thread_pool"].get("search", {})
    return {
        "heap_used": node["jvm"]["mem"]["heap_used_in_bytes"],
        "heap_pct": node["jvm"]["mem"]["heap_used_percent"],
        "young_n": gc.get("young", {}).get("collection_count", 0),
        "young_ms": gc.get("young", {}).get("collection_time_in_millis", 0),
        "old_n": gc.get("old", {}).get("collection_count", 0),
        "old_ms": gc.get("old", {}).get("collection_time_in_millis", 0),
        "search_rejected": pool.get("rejected", 0),
        "breaker_tripped": sum(b.get("tripped", 0) for b in node.get("breakers", {}).values()),
    }


class JvmWatch:
    """Heap use sampled every second over a phase, and the GC and rejection counts it added."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.samples: list[dict] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            try:
                self.samples.append(jvm_sample(self.engine))
            except Exception:  # noqa: BLE001 - a missed sample is not a result
                pass

    def __enter__(self) -> "JvmWatch":
        self.start = jvm_sample(self.engine)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        end = jvm_sample(self.engine)
        heap = [s["heap_pct"] for s in self.samples] or [end["heap_pct"]]
        self.result = {
            "heap_pct_max": max(heap), "heap_pct_mean": round(statistics.mean(heap), 1),
            **{k: end[k] - self.start[k] for k in ("young_n", "young_ms", "old_n", "old_ms", "search_rejected",
                                                   "breaker_tripped")},
        }


# -- workload ------------------------------------------------------------------------------------------
def top_values(engine: Engine, settings: Settings) -> dict[str, list[str]]:
    fields = {"per": ("entities.per", 400), "law": ("entities.law", 60), "case": ("entities.case", 300),
              "topics": ("topics", 20), "doc_type": ("doc_type", 20), "org": ("entities.org", 50),
              "court": ("institution", 20)}
    body = {"size": 0, "aggs": {k: {"terms": {"field": f, "size": n}} for k, (f, n) in fields.items()}}
    aggs = engine.search(settings.documents_alias, body)["aggregations"]
    return {k: [str(b["key"]) for b in aggs[k]["buckets"]] for k in fields}


def workload(values: dict[str, list[str]]) -> dict[str, list[dict]]:
    """Query kinds, each a few concrete requests (params of GET /api/search)."""
    persons, laws, cases = values["per"], values["law"], values["case"]
    frequent, rare = persons[0], persons[-1]
    surname = " ".join(persons[len(persons) // 3].split()[-2:])
    dl = next((v for v in laws if v.startswith("Decreto Legislativo")), "Decreto Legislativo 1106")
    case = next((v for v in cases if v.startswith("Casación")), cases[0])
    court = values["court"][0]
    return {
        "plain": [{"q": q} for q in ["prisión preventiva", "lavado de activos", "organización criminal",
                                     "colaboración eficaz", "incautación cocaína Callao", "peligro procesal arraigo",
                                     "testaferro empresa", "extinción de dominio"]],
        "rare": [{"q": q} for q in ["fentanilo", "ácido sulfúrico Pisco", "Caballococha", surname, rare]],
        "phrase": [{"q": q} for q in ['"organización criminal"', '"prisión preventiva" Callao',
                                      '"lavado de activos" "delito fuente"', f'"{frequent}"']],
        "citation": [{"q": q} for q in ["DL 1106", "Decreto Legislativo N.° 1106", "D. Leg. 1106", "art. 296 del CP",
                                        "artículo 317 del Código Penal", "Ley 30077", "art. 268 del CPP", case]],
        "prefix": [{"q": q} for q in ["incaut*", "lava*", "narcotr*", "coca*", "extradi*"]],
        "boolean": [{"q": q} for q in ["cocaína AND (Callao OR Paita) NOT marihuana", "lavado -minería",
                                       "+testaferro +inmueble", "fentanilo OR heroína"]],
        "field": [{"q": q} for q in [f'person:"{frequent}"', f'law:"{dl}" prisión', f'court:"{court}"',
                                     "drug:fentanilo", "year:2019 lavado"]],
        "facets_off": [{"q": q, "facets": "false"} for q in ["prisión preventiva", "lavado de activos",
                                                             "organización criminal"]],
        "filtered": [{"q": "prisión preventiva", "doc_type": "sentencia"},
                     {"q": "incautación", "laws": dl},
                     {"q": "", "persons": frequent},
                     {"q": "lavado de activos", "topics": values["topics"][0], "year": "2020"},
                     {"q": "", "doc_type": "casación"}],
        "year_range": [{"q": q, "year_from": "2015", "year_to": "2020"} for q in ["lavado de activos", "cocaína"]],
        "sort_date": [{"q": q, "sort": "date_desc"} for q in ["organización criminal", "DL 1106"]],
        "deep_page": [{"q": q, "page": "100"} for q in ["prisión preventiva", "cocaína"]],
        "listing": [{"q": ""}],
    }


def schedule(kinds: dict[str, list[dict]], seed: int, length: int = 2000) -> list[tuple[str, dict]]:
    """Every kind in equal shares, in a seeded shuffled order."""
    rng = random.Random(f"schedule:{seed}")
    names = sorted(kinds)
    out = []
    while len(out) < length:
        batch = [(name, rng.choice(kinds[name])) for name in names]
        rng.shuffle(batch)
        out += batch
    return out


def probe(client: httpx.Client, kinds: dict[str, list[dict]]) -> dict:
    """One request of each concrete query: status, hits, and whether the API applied the feature asked."""
    out = {}
    for name, requests in kinds.items():
        rows = []
        for params in requests:
            resp = client.get("/api/search", params=params)
            row = {"params": params, "status": resp.status_code}
            if resp.status_code == 200:
                body = resp.json()
                row.update(total=body.get("total"), took_ms=body.get("took_ms"), bytes=len(resp.content),
                           sort=body.get("sort"), interpreted=(body.get("query") or {}).get("interpreted"))
                years = [r.get("year") for r in body.get("results", []) if r.get("year") is not None]
                if "year_from" in params:
                    row["years_in_range"] = all(int(params["year_from"]) <= y <= int(params["year_to"])
                                                for y in years)
                if params.get("sort") == "date_desc":
                    row["years_sorted"] = years == sorted(years, reverse=True)
            else:
                row["body"] = resp.text[:300]
            rows.append(row)
        out[name] = rows
    return out


async def _level(url: str, plan: list[tuple[str, dict]], clients: int, warmup: float, duration: float) -> dict:
    samples: list[tuple[str, float, float, int, int | None, bool]] = []  # kind, start, s, status, took, partial
    errors: list[str] = []
    position = [0]
    t_measure = time.monotonic() + warmup
    t_end = t_measure + duration

    async def client_loop(index: int) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
            while True:
                start = time.monotonic()
                if start >= t_end:
                    return
                kind, params = plan[position[0] % len(plan)]
                position[0] += 1
                took, partial = None, False
                try:
                    resp = await client.get("/api/search", params=params)
                    status = resp.status_code
                    if status == 200:
                        answer = resp.json()
                        took, partial = answer.get("took_ms"), bool(answer.get("partial_facets"))
                    elif len(errors) < 5:
                        errors.append(f"{status} {kind} {params}: {resp.text[:200]}")
                except httpx.HTTPError as exc:
                    status = -1
                    if len(errors) < 5:
                        errors.append(f"{type(exc).__name__} {kind} {params}: {exc}")
                seconds = time.monotonic() - start
                if start >= t_measure:
                    samples.append((kind, start, seconds, status, took, partial))

    cpu0 = time.process_time()
    await asyncio.gather(*(client_loop(i) for i in range(clients)))
    return {"samples": samples, "errors": errors, "bench_cpu_s": time.process_time() - cpu0,
            "wall_s": time.monotonic() - t_measure}


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summarise_run(raw: dict, duration: float) -> dict:
    samples = raw["samples"]
    lat = [s[2] * 1000 for s in samples]
    took = [s[4] for s in samples if s[4] is not None]
    per_kind: dict[str, dict] = {}
    for kind in sorted({s[0] for s in samples}):
        ks = [s for s in samples if s[0] == kind]
        kl = [s[2] * 1000 for s in ks]
        kt = [s[4] for s in ks if s[4] is not None]
        per_kind[kind] = {"n": len(ks), "p50": pct(kl, 50), "p95": pct(kl, 95), "took_p50": pct(kt, 50),
                          "errors": sum(1 for s in ks if s[3] != 200), "partial": sum(1 for s in ks if s[5])}
    return {"requests": len(samples), "rps": len(samples) / duration, "p50": pct(lat, 50), "p95": pct(lat, 95),
            "p99": pct(lat, 99), "max": max(lat) if lat else float("nan"), "took_p50": pct(took, 50),
            "took_p95": pct(took, 95), "errors": sum(1 for s in samples if s[3] != 200),
            "partial": sum(1 for s in samples if s[5]),
            "first_errors": raw["errors"], "bench_cpu_s": raw["bench_cpu_s"], "per_kind": per_kind}


def measure(url: str, plan: list[tuple[str, dict]], levels: list[int], runs: int, warmup: float, duration: float,
            engine: Engine, api_pid: int | None, max_discard: int = 3) -> dict:
    out: dict = {}
    for clients in levels:
        rows, discarded = [], []
        run = 0
        while len(rows) < runs:
            run += 1
            waited = bench_ingest.wait_until_quiet()
            offset = random.Random(f"offset:{clients}:{run}").randrange(len(plan))
            rotated = plan[offset:] + plan[:offset]
            with bench_ingest.Meter([api_pid] if api_pid else []) as meter, JvmWatch(engine) as jvm:
                raw = asyncio.run(_level(url, rotated, clients, warmup, duration))
            row = summarise_run(raw, duration)
            row.update(cpu=meter.cpu, jvm=jvm.result, pytest_seen=meter.pytest_seen, waited_s=waited)
            others = meter.cpu["other_s"] - row["bench_cpu_s"]
            busy = others > BUSY_SHARE * meter.cpu["machine_capacity_s"]
            if (meter.pytest_seen or busy) and len(discarded) < max_discard:
                discarded.append(row)
                why = "a pytest ran" if meter.pytest_seen else f"other processes used {others:.0f} CPU-s"
                log(f"{clients:>2} clients, run {run}: {why}; discarded, run again in a minute")
                time.sleep(60)
                continue
            rows.append(row)
            log(f"{clients:>2} clients, run {run}: {row['rps']:.1f} req/s, p50 {row['p50']:.0f} ms, "
                f"p95 {row['p95']:.0f} ms, p99 {row['p99']:.0f} ms, errors {row['errors']}, "
                f"partial facets {row['partial']}"
                + (" (pytest ran)" if meter.pytest_seen else ""))
            for line in row["first_errors"]:
                log(f"   error: {line}")
        out[str(clients)] = rows
        if discarded:
            out.setdefault("_discarded", {})[str(clients)] = discarded
    return out


# -- the engine request, taken apart ------------------------------------------------------------------
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


def service_request(params: dict):
    """A ``SearchRequest`` for GET parameters, through whatever constructor the service offers."""
    from docsearch import search as search_module

    request_cls = search_module.SearchRequest
    facet_names = set(getattr(search_module, "FACETS", {}))
    filters = {k: [v] for k, v in params.items() if k in facet_names}
    kwargs = {"q": params.get("q", ""), "page": int(params.get("page", 1)), "size": int(params.get("size", 10)),
              "facets": params.get("facets", "true") != "false", "filters": filters}
    for extra in ("sort", "year_from", "year_to"):
        if extra in params:
            kwargs[extra] = int(params[extra]) if extra.startswith("year") else params[extra]
    accepted = inspect.signature(request_cls.create).parameters
    return request_cls.create(**{k: v for k, v in kwargs.items() if k in accepted})


def capture(engine: Engine, settings: Settings, params: dict) -> list[tuple[str, dict]]:
    from docsearch.search import SearchService

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


# -- report --------------------------------------------------------------------------------------------
def _med(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def _runs(rows: list[dict], key: str, fmt: str = "{:.0f}") -> str:
    return ", ".join(fmt.format(r[key]) for r in rows)


def report(result: dict) -> str:
    m, facts, args = result["machine"], result["index"], result["args"]
    lines = [
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']} GiB RAM; {m['engine']}, "
        f"heap {m['engine_heap_bytes'] / 2**20:.0f} MiB; Python {m['python']}, httpx {m['httpx']}.",
        f"Index `{facts['index']}`: {facts['documents']:,} documents, {facts['pages']:,} pages "
        f"({facts['lucene_docs']:,} Lucene documents with the nested pages), "
        f"{facts['store_bytes'] / 2**20:,.0f} MiB on disk, {facts['segments']} segments.",
        f"API: uvicorn, {result['api_workers']} worker process(es)."
        + (" Every request with facets=false." if args.get("no_facets") else "")
        + (f" Only the kinds {args['kinds']}." if args.get("kinds") else "")
        + f" Each level: {args['warmup']:.0f} s warm-up, "
        f"{args['duration']:.0f} s measured, {args['runs']} runs; medians of the runs (each run in brackets).",
        "",
        "| clients | req/s | p50 ms | p95 ms | p99 ms | errors | partial facets | service took_ms p50 / p95 "
        "| CPU s engine / API / bench client / rest | engine heap max % · young GC n, ms · old GC n |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for clients, rows in result["levels"].items():
        cpu = [r["cpu"] for r in rows]
        jvm = [r["jvm"] for r in rows]
        lines.append(
            f"| {clients} | {_med(rows, 'rps'):.1f} ({_runs(rows, 'rps', '{:.1f}')}) "
            f"| {_med(rows, 'p50'):.0f} ({_runs(rows, 'p50')}) | **{_med(rows, 'p95'):.0f}** ({_runs(rows, 'p95')}) "
            f"| {_med(rows, 'p99'):.0f} ({_runs(rows, 'p99')}) | {_med(rows, 'errors'):.0f} ({_runs(rows, 'errors')}) "
            f"| {_med(rows, 'partial'):.0f} ({_runs(rows, 'partial')}) "
            f"| {_med(rows, 'took_p50'):.0f} / {_med(rows, 'took_p95'):.0f} "
            f"| {statistics.median(c['engine_s'] for c in cpu):.0f}"
            f" / {statistics.median(c['workers_s'] for c in cpu):.0f}"
            f" / {_med(rows, 'bench_cpu_s'):.0f}"
            f" / {statistics.median(c['other_s'] - r['bench_cpu_s'] for c, r in zip(cpu, rows)):.0f} "
            f"| {max(j['heap_pct_max'] for j in jvm)} · {statistics.median(j['young_n'] for j in jvm):.0f}, "
            f"{statistics.median(j['young_ms'] for j in jvm):.0f} · {max(j['old_n'] for j in jvm)} |")
    span = args["warmup"] + args["duration"]
    lines.append(f"\nCPU seconds are per run, over warm-up and measurement ({span:.0f} s: at most "
                 f"{m['cpus'] * span:.0f} CPU-s on {m['cpus']} cores); 'rest' is every other process on the machine.")
    if any(r["pytest_seen"] for rows in result["levels"].values() for r in rows):
        lines.append("A pytest ran during at least one kept run (see the JSON).")
    discarded = sum(len(v) for v in result.get("discarded_runs", {}).values())
    if discarded:
        lines.append(f"{discarded} run(s) during which a pytest ran or other processes used the CPU were discarded "
                     "and run again.")
    kinds = sorted({k for rows in result["levels"].values() for r in rows for k in r["per_kind"]})
    levels = list(result["levels"])
    lines += ["", "Latency per query kind, medians over runs of each run's p50 / p95 (ms), and the service's own "
              "took_ms p50 (1 client):",
              "", "| kind | " + " | ".join(f"{c} clients p50 / p95" for c in levels) + " | took_ms p50 (1 client) "
              "| responses with partial facets (all runs) |",
              "|---|" + "---:|" * (len(levels) + 2)]
    rank = []
    for kind in kinds:
        cells = []
        for clients in levels:
            rows = [r["per_kind"][kind] for r in result["levels"][clients] if kind in r["per_kind"]]
            cells.append(f"{_med(rows, 'p50'):.0f} / {_med(rows, 'p95'):.0f}" if rows else "–")
        first = [r["per_kind"][kind] for r in result["levels"][levels[0]] if kind in r["per_kind"]]
        rank.append((kind, cells))
        partial = sum(r["per_kind"][kind]["partial"] for rows in result["levels"].values() for r in rows
                      if kind in r["per_kind"])
        lines.append(f"| {kind} | " + " | ".join(cells) + f" | {_med(first, 'took_p50'):.0f} | {partial} |")
    probes = result.get("probe", {})
    if probes:
        lines += ["", "What each kind returned (one request each, before the load):", ""]
        for kind, rows in probes.items():
            cells = []
            for row in rows:
                q = row["params"].get("q", "")
                extra = {k: v for k, v in row["params"].items() if k != "q"}
                cell = f"`{q}`" + (f" {extra}" if extra else "") + f": {row['status']}"
                if row["status"] == 200:
                    cell += f", {row['total']:,} hits"
                    for flag in ("years_in_range", "years_sorted"):
                        if flag in row:
                            cell += f", {flag}={row[flag]}"
                    if row.get("interpreted"):
                        cell += f", read as «{row['interpreted']}»"
                cells.append(cell)
            lines.append(f"* **{kind}**: " + "; ".join(cells))
    anat = result.get("anatomy")
    if anat:
        lines += ["", "The engine request of one query of each kind, sent directly (1 client, medians of "
                  f"{args['reps']} after 2 warm-ups, `request_cache=false`): wall ms / took ms", ""]
        for kind, entry in anat["kinds"].items():
            if "error" in entry:
                lines.append(f"* **{kind}**: not captured ({entry['error']})")
                continue
            parts = [f"{label} {v['wall_ms']:.0f} / {v['took_ms']:.0f}" for label, v in entry["variants"].items()]
            facets = entry.get("facet_requests") or {}
            if len(facets) == 1:
                (names, v), = facets.items()
                parts.append(f"the facet request of its own ({names}) {v['wall_ms']:.0f} / {v['took_ms']:.0f}")
            elif facets:
                parts.append(f"{len(facets)} facet requests of their own, each: " + ", ".join(
                    f"{k} {v['wall_ms']:.0f} / {v['took_ms']:.0f}" for k, v in facets.items())
                    + f" (sum of walls {sum(v['wall_ms'] for v in facets.values()):.0f})")
            for label, v in (entry.get("other_requests") or {}).items():
                parts.append(f"another request ({label}) {v['wall_ms']:.0f} / {v['took_ms']:.0f}")
            lines.append(f"* **{kind}** `{entry['params']}`: " + "; ".join(parts))
        for name, entry in anat["facets"].items():
            timings = entry["timings"]
            parts = [f"{k} {v['took_ms']:.0f}" for k, v in sorted(timings.items(), key=lambda kv: -kv[1]["took_ms"])]
            lines.append(f"* each facet's aggregation alone (size 0) under **{name}**, took ms: " + ", ".join(parts))
    return "\n".join(lines)


# -- main -----------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=5_000)
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", metavar="PREFIX", help="measure the index of this prefix; build nothing")
    parser.add_argument("--keep", action="store_true", help="keep the built index (its prefix is printed)")
    parser.add_argument("--drop", action="store_true", help="with --reuse: drop that index at the end")
    parser.add_argument("--build-only", action="store_true", help="build (and keep) the index, measure nothing")
    parser.add_argument("--force-merge", type=int, metavar="SEGMENTS", help="force-merge to at most SEGMENTS")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--api-workers", type=int, default=1)
    parser.add_argument("--kinds", help="only these query kinds (comma-separated), e.g. plain,citation")
    parser.add_argument("--no-facets", action="store_true", help="send facets=false with every request")
    parser.add_argument("--reps", type=int, default=7, help="repetitions of each engine request taken apart")
    parser.add_argument("--no-anatomy", action="store_true")
    parser.add_argument("--ignore-pytest", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    bench_ingest.IGNORE_PYTEST = args.ignore_pytest
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the API and drop what was built on `kill`

    base = Settings()
    if not stack.engine_ok(base):
        parser.error(f"the engine at {base.engine_url} does not answer; `docsearch services up --only engine,redis`")
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    overrides = {"index_prefix": args.reuse} if args.reuse else {}
    with stack.private(base, work, prefix="bench-search", redis_db=BENCH_REDIS_DB, components=(), timeout=120,
                       **overrides) as running:
        measure_stack(running, args, parser)
    return 0


def measure_stack(running: stack.Private, args, parser: argparse.ArgumentParser) -> None:
    """Build (or reuse) the index of ``running``, measure through its API, then decide what to keep."""
    settings, engine = running.settings, running.engine
    result: dict = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "args": vars(args) | {
        "json": str(args.json) if args.json else None}, "prefix": settings.index_prefix,
        "code": bench_ingest.code_state(), "machine": machine(engine), "api_workers": args.api_workers}
    built = False
    try:
        if args.reuse:
            if "created" in running.indices.values():
                parser.error(f"no index behind {settings.documents_alias}")
        else:
            plan = search_corpus.Plan.make(args.docs, args.pages, args.seed)
            log(f"building {args.docs:,} documents, {args.pages:,} pages under prefix {settings.index_prefix}")
            built = True
            result["build"] = build_index(running, plan, args.force_merge)
            log(f"built in {result['build']['load_s']:.0f} s ({result['build']['pages_per_s']:,.0f} pages/s)")
        result["index"] = index_facts(engine, settings)
        log(f"index: {json.dumps(result['index'])}")
        if args.build_only:
            args.keep = True
            return
        kinds = workload(top_values(engine, settings))
        if args.kinds:
            kinds = {k: v for k, v in kinds.items() if k in args.kinds.split(",")}
        if args.no_facets:
            kinds = {k: [{**params, "facets": "false"} for params in v] for k, v in kinds.items()}
        plan_requests = schedule(kinds, args.seed)
        running.up("api", api_workers=args.api_workers)
        api_pid = int((running.paths.run / "api.pid").read_text())
        with running.client() as client:
            result["probe"] = probe(client, kinds)
        bad = [(k, r) for k, rows in result["probe"].items() for r in rows if r["status"] != 200]
        for kind, row in bad[:5]:
            log(f"probe error {kind}: {row['status']} {row.get('body')}")
        levels = [int(c) for c in args.clients.split(",") if c]
        measured = measure(running.url, plan_requests, levels, args.runs, args.warmup, args.duration, engine, api_pid)
        result["discarded_runs"] = measured.pop("_discarded", {})
        result["levels"] = measured
        running.down("api")
        if not args.no_anatomy:
            bench_ingest.wait_until_quiet()
            result["anatomy"] = anatomy(engine, settings, kinds, args.reps)
        result["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        result["code_after"] = bench_ingest.code_state()
        print(report(result))
        if result["code_after"]["fingerprint"] != result["code"]["fingerprint"]:
            print("\nThe code under ingestion/, nlp/, docsearch/, api/ changed during the run (see the JSON).")
    finally:
        if args.json:
            args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
        running.keep = not ((built and not args.keep) or (args.reuse and args.drop))
        log(f"kept the index: reuse it with --reuse {settings.index_prefix}" if running.keep
            else f"dropping the indices of prefix {settings.index_prefix}")


if __name__ == "__main__":
    sys.exit(main())
