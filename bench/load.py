"""200 requests at once against the API on loopback: ``python bench/load.py``.

Needs the shared engine and Redis (``docsearch services up --only engine,redis``); never restarts them.

1. **Stack.** A private stack beside the shared services (``services.stack.private``, as the tests run one):
   index prefix ``bench-load-<hex>``, Redis database 12, the ingest and OCR workers, the API under uvicorn with
   one worker process (``--api-workers N`` for more). The six sample PDFs (``samples.corpus``) are loaded
   through ``POST /api/documents`` into the collection ``muestras`` (reserved), which a user ``lector``
   (analyst) may read; the searches carry that user's API token, so every one goes through the read rule and
   writes its audit record. Its indices are dropped at the end unless ``--keep``.
2. **Load.** ``--runs`` times (default 3): ``--requests`` requests (default 200) created at once in one
   asyncio loop and released together, each on a connection of its own (httpx, one pool as large as the
   burst): every other one ``GET /api/health`` (no credentials), the rest ``GET /api/search`` with one of a
   few queries the samples answer. Every request has a hard limit of ``--timeout`` seconds (default 30) from
   release to the last byte: past it, it counts as a timeout, a failure. Between runs a pause of ``--pause``
   seconds. Nothing can hang: the whole burst is cancelled at twice the limit. Before the bursts, each route
   one request at a time, for comparison.

Reported per run and as the median over runs: requests answered, transport errors, timeouts, status codes
per route, p50/p95/max latency per route (from release to the whole answer, connection set-up included),
wall time of the burst, and the CPU seconds of the engine, the API and the rest of the machine. Before each
run it waits while a ``python -m pytest`` runs (``--ignore-pytest``: do not wait; whether one ran is recorded
either way).
Prints markdown; ``--json FILE`` keeps every number.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "bench"))

from docsearch.accounts import Accounts  # noqa: E402
from docsearch.settings import Settings  # noqa: E402
from machine_facts import machine  # noqa: E402
from markdown_tables import table  # noqa: E402
from run_watch import Meter, code_state, log, wait_until_quiet  # noqa: E402
from samples import corpus  # noqa: E402
from search_load import pct  # noqa: E402
from services import stack  # noqa: E402

BENCH_REDIS_DB = 12
COLLECTION, READER = "muestras", "lector"
QUERIES = ["prisión preventiva", "lavado de activos", "extinción de dominio", "organización criminal",
           "mutual legal assistance", '"técnicas especiales"', "Casación 1234-2018", "insumos químicos"]
ROUTES = ("health", "search")


def requests_of(n: int) -> list[tuple[str, str, dict]]:
    """The burst: (route, path, params), health and search alternating, the queries in turn."""
    out = []
    for i in range(n):
        if i % 2 == 0:
            out.append(("health", "/api/health", {}))
        else:
            out.append(("search", "/api/search", {"q": QUERIES[(i // 2) % len(QUERIES)]}))
    return out


async def _burst(url: str, token: str, plan: list[tuple[str, str, dict]], timeout: float) -> dict:
    """Send every request of ``plan`` at once; one row per request: route, status (or error), seconds."""
    release = asyncio.Event()
    limits = httpx.Limits(max_connections=len(plan), max_keepalive_connections=len(plan))
    # httpx's own timeouts are per phase (connect, read, ...); the hard limit is wait_for's, on the whole request.
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout + 5) as client:

        async def one(route: str, path: str, params: dict) -> dict:
            headers = {"Authorization": f"Bearer {token}"} if route == "search" else {}
            await release.wait()
            start = time.monotonic()
            row: dict = {"route": route}
            try:
                resp = await asyncio.wait_for(client.get(path, params=params, headers=headers), timeout)
                row["status"] = resp.status_code
                if resp.status_code >= 400:
                    row["body"] = resp.text[:200]
            except TimeoutError:
                row["status"] = "timeout"
            except httpx.HTTPError as exc:
                row["status"], row["body"] = "error", f"{type(exc).__name__}: {exc}"[:200]
            row["s"] = time.monotonic() - start
            return row

        tasks = [asyncio.create_task(one(*request)) for request in plan]
        await asyncio.sleep(0.2)  # every task created and waiting
        t0 = time.monotonic()
        release.set()
        _, pending = await asyncio.wait(tasks, timeout=2 * timeout)
        for task in pending:
            task.cancel()
        wall = time.monotonic() - t0
    rows = [task.result() if task not in pending else {"route": route, "status": "timeout", "s": wall}
            for task, (route, _, _) in zip(tasks, plan)]
    return {"rows": rows, "wall_s": wall}


def alone(url: str, token: str) -> dict:
    """One request at a time, before the bursts: every query twice, and health three times after its one-second
    cache has expired (cold) and right after (cached)."""
    def timed(client: httpx.Client, path: str, **kw) -> float:
        start = time.monotonic()
        resp = client.get(path, **kw)
        resp.raise_for_status()
        return (time.monotonic() - start) * 1000

    with httpx.Client(base_url=url, timeout=30) as client:
        search = [timed(client, "/api/search", params={"q": q}, headers={"Authorization": f"Bearer {token}"})
                  for q in QUERIES * 2]
        cold, cached = [], []
        for _ in range(3):
            time.sleep(1.2)
            cold.append(timed(client, "/api/health"))
            cached.append(timed(client, "/api/health"))
    med = lambda values: round(statistics.median(values), 1)  # noqa: E731
    return {"search_p50_ms": med(search), "search_max_ms": round(max(search), 1), "health_cold_ms": med(cold),
            "health_cached_ms": med(cached)}


def summarise(rows: list[dict], wall: float) -> dict:
    """Counts and latency per route of one burst."""
    out: dict = {"sent": len(rows), "wall_s": round(wall, 3),
                 "answered": sum(isinstance(r["status"], int) for r in rows),
                 "errors": sum(r["status"] == "error" for r in rows),
                 "timeouts": sum(r["status"] == "timeout" for r in rows), "routes": {}}
    for route in ROUTES:
        mine = [r for r in rows if r["route"] == route]
        answered = [r["s"] * 1000 for r in mine if isinstance(r["status"], int)]
        out["routes"][route] = {
            "sent": len(mine), "statuses": dict(sorted(Counter(str(r["status"]) for r in mine).items())),
            "p50_ms": round(pct(answered, 50), 1), "p95_ms": round(pct(answered, 95), 1),
            "max_ms": round(max(answered), 1) if answered else float("nan"),
            "failures": [r for r in mine if r["status"] not in (200,)][:5],
        }
    return out


def median_of(runs: list[dict]) -> dict:
    """The median of every number over runs."""
    med = lambda values: round(statistics.median(values), 1)  # noqa: E731
    out = {key: med([r[key] for r in runs]) for key in ("answered", "errors", "timeouts", "wall_s")}
    out["routes"] = {route: {key: med([r["routes"][route][key] for r in runs])
                             for key in ("p50_ms", "p95_ms", "max_ms")} for route in ROUTES}
    return out


def load_samples(running: stack.Private, work: Path) -> dict:
    """The six sample PDFs in a reserved collection that ``lector`` reads; returns what was loaded and its token."""
    accounts = Accounts(running.engine, running.settings)
    accounts.create_user(READER, "clave-de-lectura-123", "analyst")
    accounts.set_collection(COLLECTION, default_classification="reserved",
                            grants=[{"principal": f"user:{READER}", "rights": ["read"]}])
    paths = corpus.generate(work / "samples")
    t0 = time.monotonic()
    batch = running.wait_batch(running.upload(paths, collection=COLLECTION), timeout=600)
    indexed = batch["counts"].get("indexed", 0)
    if indexed != len(paths):
        raise RuntimeError(f"{indexed} of {len(paths)} sample PDFs indexed: {batch['counts']}")
    token = accounts.create_token(READER, "bench load")["token"]
    with httpx.Client(base_url=running.url, timeout=60, headers={"Authorization": f"Bearer {token}"}) as client:
        totals = {q: client.get("/api/search", params={"q": q}).json().get("total") for q in QUERIES}
        pages = client.get("/api/search", params={"q": ""}).json()
    if not all(totals.values()):
        raise RuntimeError(f"a query finds nothing in the samples: {totals}")
    return {"token": token, "load_s": round(time.monotonic() - t0, 1), "documents": len(paths),
            "pages": sum(r.get("page_count") or 0 for r in pages.get("results", [])), "totals": totals}


def report(result: dict) -> str:
    runs, median = result["runs"], result["median"]
    lines = [f"# {result['requests']} requests at once ({len(runs)} runs, limit {result['timeout_s']} s)",
             "", f"Loaded: {result['loaded']['documents']} sample PDFs ({result['loaded']['pages']} pages) in "
             f"{result['loaded']['load_s']} s; API workers: {result['api_workers']}.", "",
             "One at a time: search p50 {search_p50_ms:.0f} ms (max {search_max_ms:.0f}); health "
             "{health_cold_ms:.0f} ms when its cache has expired, {health_cached_ms:.0f} ms cached."
             .format(**result["alone"]), ""]
    rows = []
    for i, run in enumerate(runs, 1):
        h, s = run["routes"]["health"], run["routes"]["search"]
        rows.append([i, f"{run['answered']}/{run['sent']}", run["errors"], run["timeouts"],
                     " ".join(f"{k}×{v}" for k, v in h["statuses"].items()),
                     " ".join(f"{k}×{v}" for k, v in s["statuses"].items()),
                     f"{h['p50_ms']:.0f} / {h['p95_ms']:.0f} / {h['max_ms']:.0f}",
                     f"{s['p50_ms']:.0f} / {s['p95_ms']:.0f} / {s['max_ms']:.0f}", f"{run['wall_s']:.2f}",
                     f"{run['cpu']['engine_s']:.1f} / {run['cpu']['api_s']:.1f} / {run['cpu']['other_s']:.1f}",
                     "yes" if run["pytest_seen"] else "no"])
    h, s = median["routes"]["health"], median["routes"]["search"]
    rows.append(["median", median["answered"], median["errors"], median["timeouts"], "", "",
                 f"{h['p50_ms']:.0f} / {h['p95_ms']:.0f} / {h['max_ms']:.0f}",
                 f"{s['p50_ms']:.0f} / {s['p95_ms']:.0f} / {s['max_ms']:.0f}", f"{median['wall_s']:.2f}", "", ""])
    lines += table(["run", "answered", "errors", "timeouts", "health statuses", "search statuses",
                    "health p50 / p95 / max ms", "search p50 / p95 / max ms", "wall s", "CPU s engine / API / other",
                    "pytest ran"], "rrrrllrrrll", rows)
    failures = [f for run in runs for route in run["routes"].values() for f in route["failures"]][:10]
    if failures:
        lines += ["", "Failures (first 10):", *(f"* {json.dumps(f, ensure_ascii=False)}" for f in failures)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=30.0, help="hard limit per request, seconds")
    parser.add_argument("--pause", type=float, default=5.0, help="seconds between runs")
    parser.add_argument("--api-workers", type=int, default=1)
    parser.add_argument("--redis-db", type=int, default=BENCH_REDIS_DB)
    parser.add_argument("--keep", action="store_true", help="keep the indices (their prefix is printed)")
    parser.add_argument("--ignore-pytest", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the stack and drop its indices on `kill`

    base = Settings()
    if not stack.engine_ok(base):
        parser.error(f"the engine at {base.engine_url} does not answer; `docsearch services up --only engine,redis`")
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    result: dict = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "requests": args.requests,
                    "timeout_s": args.timeout, "api_workers": args.api_workers, "code": code_state(), "runs": []}
    try:
        with stack.private(base, work, prefix="bench-load", redis_db=args.redis_db, timeout=120,
                           api_workers=args.api_workers) as running:
            running.keep = args.keep
            result["prefix"], result["machine"] = running.settings.index_prefix, machine(running.engine)
            result["loaded"] = load_samples(running, work)
            log(f"loaded {result['loaded']}")
            api_pid = int((running.paths.run / "api.pid").read_text())
            plan = requests_of(args.requests)
            asyncio.run(_burst(running.url, result["loaded"]["token"], requests_of(8), args.timeout))  # warm-up
            result["alone"] = alone(running.url, result["loaded"]["token"])
            log(f"one at a time: {result['alone']}")
            for i in range(args.runs):
                if not args.ignore_pytest:
                    wait_until_quiet()
                time.sleep(args.pause)
                with Meter([api_pid]) as meter:
                    burst = asyncio.run(_burst(running.url, result["loaded"]["token"], plan, args.timeout))
                run = summarise(burst["rows"], burst["wall_s"])
                run["cpu"] = {"engine_s": meter.cpu["engine_s"], "api_s": meter.cpu["workers_s"],
                              "other_s": meter.cpu["other_s"], "machine_capacity_s": meter.cpu["machine_capacity_s"]}
                run["pytest_seen"] = meter.pytest_seen
                result["runs"].append(run)
                log(f"run {i + 1}: {run['answered']}/{run['sent']} answered, {run['errors']} errors, "
                    f"{run['timeouts']} timeouts, wall {run['wall_s']} s")
            result["median"] = median_of(result["runs"])
            result["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
            if running.keep:
                log(f"kept the indices of prefix {running.settings.index_prefix}")
        print(report(result))
    finally:
        if args.json:
            args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str))
    complete = all(r["answered"] == r["sent"] and r["timeouts"] == 0 for r in result["runs"])
    return 0 if result.get("median") and complete else 1


if __name__ == "__main__":
    sys.exit(main())
