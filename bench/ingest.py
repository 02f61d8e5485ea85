"""Benchmark of ingestion end to end, against its stages alone: ``python bench/ingest.py --runs 3``.

Needs the shared engine and Redis (``docsearch services up --only engine,redis``). Every run starts a
private stack beside them, as the tests do (``tests/conftest.py``): its own index prefix ``bench-<hex>``,
Redis database 14, a data directory in a temporary directory, an ingest and an OCR Celery worker of 2
processes each. Nothing under the default prefix is touched; the run's indices are dropped at its end.

The corpus is generated once in a temporary directory with ``bench/extract.py``'s generator:

* text: ``--docs`` PDFs of ``--pages`` pages in all of fictitious Spanish legal text, 400-530 words per page;
* scanned: ``--scan-docs`` PDFs of ``--scan-pages`` image-only pages each, grayscale JPEG images of corpus
  pages at ``--scan-dpi`` (what a scanner makes), no text layer.

Each run (``--runs``) then measures, on the same machine, one after the other:

1. end to end: the text corpus, then the scanned corpus, loaded with ``ingestion.submit.submit_paths`` and
   ``ingestion.celery_app.enqueue_file`` in a child process that has the private settings in its
   environment, which polls ``BatchStore.summary`` until the batch is ``done``. Time is submit start to
   done as the poll sees it; pages/s is ``pages_done`` over that time. Every file must end ``indexed``.
   Beside it: the workers' task times (from their logs), engine operations per file (index stats), and
   CPU seconds of the engine, the workers and everything else;
2. each stage alone, with the workers stopped: extraction (``PdfExtractor.extract``, 1 process);
   clean-up + NER as the worker does it (``pipeline.clean_pages`` = ``looks_like_garbage`` +
   ``clean_page_text``, ``strip_running_lines``, ``nlp.extract.analyse``), 1 and 2 processes; OCR
   (``ocr_page``) of ``--ocr-pages`` scanned pages, 1 and 2 processes; indexing (``build_document`` and
   one ``index`` request per document, no refresh wait, as the workers write) into a scratch index with
   the real mapping, 1 process.

With ``--bulk-files N`` (default 2,000; 0 skips it) it also loads N small PDFs (1-3 pages) in a folder
tree twice, each into a fresh private stack: (a) with the CLI as a user would, ``docsearch ingest
FOLDER --collection bench --wait`` in a pseudo-terminal (its progress bar is recorded and checked
against the file records), and (b) as one ZIP of the same folder uploaded to ``POST /api/documents`` of
a private API.

Before each run it waits until no ``python -m pytest`` runs; a run during which one appeared, or the tracked
code under ``ingestion/``, ``nlp/``, ``docsearch/``, ``api/`` changed, is
discarded and repeated. Prints markdown tables; ``--json`` writes every number.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import random
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import extract as bench_extract  # noqa: E402  (the corpus generator; sets OMP_THREAD_LIMIT=1 as a worker does)
import httpx  # noqa: E402

from docsearch.engine import Engine  # noqa: E402
from services import stack  # noqa: E402
from docsearch.settings import Settings  # noqa: E402

BENCH_REDIS_DB = 14
PYTEST_MARK = "python -m pytest"
IGNORE_PYTEST = False  # --ignore-pytest: smoke tests only
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- a private stack ---------------------------------------------------------------------------------------
def private(base: Settings, data_dir: Path, components: tuple[str, ...] = ("worker",), **overrides):
    """A private stack with the production limits (pages, size): ``stack.private`` under the bench's
    prefix and Redis database."""
    return stack.private(base, data_dir, prefix="bench", redis_db=BENCH_REDIS_DB, components=components,
                         **(dict(worker_concurrency=2, ocr_concurrency=2) | overrides))


def log_size(ps: stack.Private, queue: str) -> int:
    path = ps.paths.logs / f"worker-{queue}.log"
    return path.stat().st_size if path.exists() else 0


def log_since(ps: stack.Private, queue: str, offset: int) -> str:
    path = ps.paths.logs / f"worker-{queue}.log"
    if not path.exists():
        return ""
    with open(path, "rb") as fh:
        fh.seek(offset)
        return fh.read().decode("utf-8", "replace")


def worker_pids(ps: stack.Private) -> list[int]:
    pids = (stack.read_pid(ps.paths.run / f"worker-{queue}.pid") for queue in stack.WORKERS)
    return [pid for pid in pids if pid]


def index_stats(ps: stack.Private) -> dict[str, dict]:
    """Operations counted by the engine on each of this stack's indices."""
    out = {}
    for alias in (ps.settings.documents_alias, ps.settings.files_alias, ps.settings.batches_alias):
        resp = httpx.get(f"{ps.settings.engine_url}/{alias}/_stats/indexing,get,search,refresh", timeout=30)
        total = next(iter(resp.json()["indices"].values()))["total"]
        out[alias.rsplit("-", 1)[1]] = {
            "index": total["indexing"]["index_total"],
            "index_ms": total["indexing"]["index_time_in_millis"],
            "get": total["get"]["total"],
            "search": total["search"]["query_total"],
            "refresh": total["refresh"]["total"],
        }
    return out


# -- code measured -------------------------------------------------------------------------------------
CODE_DIRS = ("ingestion", "nlp", "docsearch", "api")


def code_state() -> dict:
    """The commit and the changes to tracked files under the code's folders; a fingerprint of both catches edits
    mid-run. Untracked files are listed, not fingerprinted: tracked code cannot import them unless it changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    head = git("rev-parse", "--short", "HEAD").strip()
    status = git("status", "--short", "--", *CODE_DIRS).splitlines()
    digest = hashlib.sha256(head.encode() + git("diff", "HEAD", "--", *CODE_DIRS).encode())
    return {"head": head, "changes": [line for line in status if not line.startswith("??")],
            "untracked": [line[3:] for line in status if line.startswith("??")],
            "fingerprint": digest.hexdigest()[:12]}


# -- machine load ---------------------------------------------------------------------------------------
def _pytest_running() -> bool:
    if IGNORE_PYTEST:
        return False
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if PYTEST_MARK in cmd:
            return True
    return False


def wait_until_quiet(poll: float = 10.0, settle: float = 20.0) -> float:
    """Wait until no pytest has run for ``settle`` seconds; returns the seconds waited."""
    started = time.monotonic()
    quiet_since = None
    announced = False
    while True:
        if _pytest_running():
            quiet_since = None
            if not announced:
                log("a pytest run is going on; waiting for it to end")
                announced = True
        else:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= (settle if announced else 0):
                return time.monotonic() - started
        time.sleep(poll if quiet_since is None else 2)


def _stat_fields(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _descendants(roots: list[int]) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(int(entry))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry))
    out, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid in out:
            continue
        out.add(pid)
        todo += children.get(pid, [])
    return out


def _cpu_seconds(pids: set[int]) -> float:
    """utime + stime of each process and of its reaped children (tesseract runs are reaped by their parent)."""
    total = 0
    for pid in pids:
        fields = _stat_fields(pid)
        if fields:
            total += sum(int(v) for v in fields[11:15])
    return total / CLK_TCK


def _engine_pid() -> int | None:
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmd = fh.read()
        except OSError:
            continue
        if b"docsearch.node.EmbeddedNode" in cmd and b"java" in cmd.split(b"\0")[0]:
            return int(entry)
    return None


def _system_busy() -> tuple[float, float]:
    with open("/proc/stat") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLK_TCK, sum(values) / CLK_TCK


class Meter:
    """CPU seconds of the engine, of given process trees and of the whole machine over a phase; watches for pytest."""

    def __init__(self, roots: list[int]):
        self.roots = roots
        self.engine = _engine_pid()
        self.pytest_seen = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(1.0):
            if _pytest_running():
                self.pytest_seen = True

    def _snapshot(self) -> dict:
        busy, total = _system_busy()
        return {"busy": busy, "total": total, "engine": _cpu_seconds({self.engine}) if self.engine else 0.0,
                "workers": _cpu_seconds(_descendants(self.roots))}

    def __enter__(self) -> "Meter":
        self.pytest_seen = _pytest_running()
        self.start = self._snapshot()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        end = self._snapshot()
        self.pytest_seen = self.pytest_seen or _pytest_running()
        busy = end["busy"] - self.start["busy"]
        self.cpu = {
            "engine_s": end["engine"] - self.start["engine"],
            "workers_s": end["workers"] - self.start["workers"],
            "machine_busy_s": busy,
            "machine_capacity_s": end["total"] - self.start["total"],
        }
        self.cpu["other_s"] = busy - self.cpu["engine_s"] - self.cpu["workers_s"]


# -- corpus ---------------------------------------------------------------------------------------------
def make_corpus(root: Path, args) -> dict:
    from pypdf import PdfReader, PdfWriter

    text_dir, scan_dir, single = root / "text", root / "scans", root / "scan-pages"
    for folder in (text_dir, scan_dir, single):
        folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    paths, truth = bench_extract.generate_corpus(text_dir, args.pages, args.docs, args.seed)
    words = [len(text.split()) for text in truth.values()]
    rng = random.Random(args.seed + 1)
    sources = rng.sample(sorted(truth), args.scan_docs * args.scan_pages)
    singles = bench_extract.generate_scans(single, [(text_dir / name, index) for name, index in sources],
                                           args.scan_dpi)
    scans, scan_truth = [], {}
    for number in range(args.scan_docs):
        writer = PdfWriter()
        path = scan_dir / f"escaneo_{number + 1:02d}.pdf"
        for offset in range(args.scan_pages):
            k = number * args.scan_pages + offset
            writer.add_page(PdfReader(singles[k]).pages[0])
            scan_truth[(path.name, offset)] = truth[sources[k]]
        with open(path, "wb") as fh:
            writer.write(fh)
        scans.append(path)
    shutil.rmtree(single)
    corpus = {
        "text_dir": text_dir, "text_paths": paths, "truth": truth, "scan_dir": scan_dir, "scan_paths": scans,
        "scan_truth": scan_truth,
        "description": {
            "text_pdfs": len(paths), "text_pages": len(truth), "words_per_page_mean": round(statistics.mean(words)),
            "words_per_page_min": min(words), "words_per_page_max": max(words),
            "pages_per_pdf_min": min(Counter(n for n, _ in truth).values()),
            "pages_per_pdf_max": max(Counter(n for n, _ in truth).values()),
            "text_mb": round(sum(p.stat().st_size for p in paths) / 1e6, 1),
            "scan_pdfs": len(scans), "scan_pages": len(scan_truth), "scan_dpi": args.scan_dpi,
            "scan_mb": round(sum(p.stat().st_size for p in scans) / 1e6, 1),
        },
    }
    log(f"corpus: {corpus['description']} (made in {time.perf_counter() - started:.0f} s)")
    return corpus


def make_bulk_tree(root: Path, files: int, seed: int) -> dict:
    """``files`` PDFs of 1-3 pages in ``archivo/<year>/<sala>/``, 100 files a folder, all different bytes."""
    per_folder = 100
    folders = max(1, -(-files // per_folder))
    tree = root / "archivo"
    started = time.perf_counter()
    pages, paths = 0, []
    years = ["2019", "2020", "2021", "2022", "2023"]
    rng = random.Random(seed + 99)
    for k in range(folders):
        n = min(per_folder, files - k * per_folder)
        folder = tree / years[k % len(years)] / f"sala-{k // len(years) + 1:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        wanted = [rng.randint(1, 3) for _ in range(n)]
        split = bench_extract._split_pages
        bench_extract._split_pages = lambda total, docs, _rng, w=wanted: list(w)  # 1-3 pages a file, exactly
        try:
            for attempt in range(10):
                try:
                    made, truth = bench_extract.generate_corpus(folder, sum(wanted), n, seed + 100 + k + 1000 * attempt)
                    break
                except ValueError:  # "page overflow": this seed's paragraphs did not fit a page; try another
                    for leftover in folder.glob("*.pdf"):
                        leftover.unlink()
            else:
                raise RuntimeError("the corpus generator overflowed a page with 10 seeds")
        finally:
            bench_extract._split_pages = split
        counts = Counter(name for name, _ in truth).values()
        if min(counts) < 1 or max(counts) > 3:
            raise AssertionError(f"pages per file out of 1-3: {min(counts)}-{max(counts)}")
        pages += len(truth)
        paths += made
    shas = {hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    if len(shas) != len(paths):
        raise AssertionError("two generated bulk files have the same bytes")
    info = {"files": len(paths), "pages": pages, "folders": folders,
            "mb": round(sum(p.stat().st_size for p in paths) / 1e6, 1)}
    log(f"bulk tree: {info} (made in {time.perf_counter() - started:.0f} s)")
    return {"tree": tree, "paths": paths, "shas": shas, "info": info}


# -- end to end -----------------------------------------------------------------------------------------
TASK_LINE = re.compile(r"Task (docsearch\.\w+)\[[^\]]+\] (succeeded|failed|retry|raised)[^\n]*?in ([\d.]+)s")
WARN_LINE = re.compile(r"(WARNING|ERROR|CRITICAL)/")


def task_times(text: str) -> dict:
    by_task: dict[str, list[float]] = {}
    outcomes = Counter()
    for name, outcome, seconds in TASK_LINE.findall(text):
        by_task.setdefault(name, []).append(float(seconds))
        outcomes[f"{name}:{outcome}"] += 1
    warnings = [line for line in text.splitlines() if WARN_LINE.search(line)]
    out = {name: {"n": len(v), "sum_s": round(sum(v), 2), "mean_s": round(statistics.mean(v), 3),
                  "max_s": round(max(v), 2)} for name, v in by_task.items()}
    return {"tasks": out, "outcomes": dict(outcomes), "warnings": warnings[:20], "warning_count": len(warnings)}


def submit_in_child(ps: stack.Private, folder: Path, collection: str, out: Path, timeout: float) -> dict:
    """Submit ``folder`` and follow the batch in a child process that has the private settings' environment."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-submit", str(folder), "--collection", collection,
           "--child-out", str(out), "--timeout", str(timeout)]
    subprocess.run(cmd, env=stack.env_for(ps.settings), cwd=str(out.parent), check=True, timeout=timeout + 120)
    return json.loads(out.read_text())


def child_submit(args) -> int:
    """``--child-submit``: runs with the private settings in the environment (queue names come from them)."""
    from docsearch.settings import get_settings
    from ingestion.batches import BatchStore
    from ingestion.celery_app import enqueue_file
    from ingestion.submit import submit_paths

    settings = get_settings()
    engine = Engine.connect(settings)
    store = BatchStore(engine, settings)
    folder = Path(args.child_submit)
    wall0 = datetime.now(timezone.utc)
    t0 = time.monotonic()
    batch_id = submit_paths(engine, settings, [folder], collection=args.collection, origin="bench",
                            enqueue=enqueue_file)
    submitted = time.monotonic() - t0
    first_final = None
    summary = None
    polls = 0
    while time.monotonic() - t0 < args.timeout:
        summary = store.summary(batch_id, include_files=False)
        polls += 1
        c = summary["counts"]
        if first_final is None and c["indexed"] + c["duplicate"] + c["failed"] > 0:
            first_final = time.monotonic() - t0
        if summary["state"] == "done":
            break
        time.sleep(args.poll)
    done = time.monotonic() - t0
    files = []
    offset = 0
    summary_calls = polls
    while True:
        page = store.summary(batch_id, include_files=True, offset=offset, limit=1000)
        summary_calls += 1
        files += page["files"]
        offset += 1000
        if offset >= page["files_matching"]:
            break
    finished = [datetime.fromisoformat(f["updated_at"]) for f in files
                if f["status"] in ("indexed", "duplicate", "failed")]
    last = max(finished) if finished else None
    result = {
        "batch_id": batch_id, "submit_s": submitted, "done_s": done, "first_final_s": first_final,
        "state": summary["state"] if summary else None, "polls": polls, "summary_calls": summary_calls,
        "last_finished_s": (last - wall0).total_seconds() if last else None,
        "summary": summary,
        "statuses": dict(Counter(f["status"] for f in files)),
        "records": len(files),
        "not_indexed": [{"name": os.path.relpath(f["name"], folder), "status": f["status"], "reason": f["reason"],
                         "message": f["message"]} for f in files if f["status"] != "indexed"],
        "pages_by_file": sum(f["pages"] or 0 for f in files),
    }
    Path(args.child_out).write_text(json.dumps(result, default=str))
    engine.close()
    return 0


def e2e_phase(ps: stack.Private, folder: Path, collection: str, work: Path, timeout: float, files: int) -> dict:
    logs = {queue: log_size(ps, queue) for queue in stack.WORKERS}
    before = index_stats(ps)
    with Meter(worker_pids(ps)) as meter:
        result = submit_in_child(ps, folder, collection, work / f"{collection}.json", timeout)
    after = index_stats(ps)
    time.sleep(0.5)  # the last task lines reach the log
    result["ops"] = {name: {k: after[name][k] - before[name][k] for k in after[name]} for name in after}
    # The child's own summary calls (1 batch get + 1 files search each) are not the pipeline's.
    pipeline_ops = json.loads(json.dumps(result["ops"]))
    pipeline_ops["batches"]["get"] -= result["summary_calls"]
    pipeline_ops["files"]["search"] -= result["summary_calls"]
    result["ops_per_file"] = {name: {k: round(v / files, 2) for k, v in ops.items() if k != "index_ms"}
                              for name, ops in pipeline_ops.items()}
    result["workers"] = {queue: task_times(log_since(ps, queue, logs[queue])) for queue in stack.WORKERS}
    result["cpu"] = meter.cpu
    result["pytest_seen"] = meter.pytest_seen
    pages = result["summary"]["pages_done"]
    result["pages"] = pages
    result["ocr_pages"] = result["summary"]["ocr_pages_done"]
    result["pages_per_s"] = pages / result["done_s"]
    result["files_per_s"] = result["records"] / result["done_s"]
    ok = result["state"] == "done" and result["statuses"].get("indexed", 0) == files and result["records"] == files
    result["all_indexed"] = ok
    log(f"  {collection}: {result['records']} files {result['statuses']}, {pages} pages in {result['done_s']:.1f} s "
        f"= {result['pages_per_s']:.2f} pages/s (submit {result['submit_s']:.1f} s, last finish "
        f"{result['last_finished_s']:.1f} s); cpu {', '.join(f'{k} {v:.0f}' for k, v in meter.cpu.items())}"
        + ("" if ok else f"; NOT ALL INDEXED: {result['not_indexed'][:5]}"))
    return result


# -- stages alone ---------------------------------------------------------------------------------------
def _nlp_docs(docs: list[list[str]]) -> list[tuple[list[str], list]]:
    """What ``pipeline.finish`` does to a text file's pages before building the document."""
    from ingestion.pipeline import clean_pages
    from nlp.extract import analyse
    from nlp.layout import strip_running_lines

    out = []
    for raw in docs:
        pages = strip_running_lines(clean_pages(raw))
        out.append((pages, analyse(pages)))
    return out


def _ocr_items(items: list[tuple[str, int]]) -> list:
    from ingestion.ocr import ocr_page

    return [ocr_page(Path(path), index, lang="spa") for path, index in items]


def _warm(kind: str) -> None:
    if kind == "nlp":
        from nlp.extract import analyse

        analyse(["La Fiscalía Provincial de Lima investiga a Juan Pérez en el Callao."])
    else:
        from ingestion.ocr import available_languages

        available_languages()


def _stage_child(kind: str, items: list, ready, go, results) -> None:
    _warm(kind)
    ready.put(os.getpid())
    go.wait()
    start = time.monotonic()
    out = _nlp_docs(items) if kind == "nlp" else _ocr_items(items)
    results.put((start, time.monotonic(), len(out)))


def in_processes(kind: str, parts: list[list]) -> float:
    """Seconds from go to the last process's end, each process given one part (models loaded before go)."""
    ctx = mp.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=_stage_child, args=(kind, part, ready, go, results)) for part in parts]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=300)
    started = time.monotonic()
    go.set()
    ends = [results.get(timeout=1800)[1] for _ in procs]
    for proc in procs:
        proc.join()
    return max(ends) - started


def _split_by_pages(docs: list[list[str]], parts: int) -> list[list[list[str]]]:
    """Greedy split of documents into ``parts`` groups of about the same number of pages."""
    groups: list[list[list[str]]] = [[] for _ in range(parts)]
    load = [0] * parts
    for doc in sorted(docs, key=len, reverse=True):
        k = load.index(min(load))
        groups[k].append(doc)
        load[k] += len(doc)
    return groups


def stages(base: Settings, corpus: dict, args) -> dict:
    from ingestion.extractors.pdf import PdfExtractor
    from ingestion.pipeline import build_document, guess_title

    out: dict = {}
    paths = corpus["text_paths"]
    extractor = PdfExtractor()
    extractor.extract(paths[0], 10_000)  # warm-up
    started = time.perf_counter()
    extracted = [extractor.extract(path, 10_000) for path in paths]
    elapsed = time.perf_counter() - started
    pages = sum(len(e.pages) for e in extracted)
    out["extract"] = pages / elapsed
    log(f"  extract: {pages} pages in {elapsed:.2f} s = {out['extract']:.0f} pages/s")

    raw = [e.pages for e in extracted]
    _warm("nlp")
    started = time.perf_counter()
    nlp = _nlp_docs(raw)
    elapsed = time.perf_counter() - started
    out["nlp_1"] = pages / elapsed
    log(f"  clean+NER, 1 process: {elapsed:.1f} s = {out['nlp_1']:.1f} pages/s")
    elapsed = in_processes("nlp", _split_by_pages(raw, 2))
    out["nlp_2"] = pages / elapsed
    log(f"  clean+NER, 2 processes: {elapsed:.1f} s = {out['nlp_2']:.1f} pages/s")

    items = [(str(path), index) for path in corpus["scan_paths"] for index in range(args.scan_pages)][: args.ocr_pages]
    _warm("ocr")
    started = time.perf_counter()
    results = _ocr_items(items)
    elapsed = time.perf_counter() - started
    out["ocr_1"] = len(items) / elapsed
    truth = corpus["scan_truth"]
    out["ocr_recall"] = statistics.mean(bench_extract.recall(r.text, truth[(Path(p).name, i)])
                                        for (p, i), r in zip(items, results))
    log(f"  OCR, 1 process: {len(items)} pages in {elapsed:.1f} s = {out['ocr_1']:.2f} pages/s "
        f"(source words found {out['ocr_recall']:.1%})")
    elapsed = in_processes("ocr", [items[0::2], items[1::2]])
    out["ocr_2"] = len(items) / elapsed
    log(f"  OCR, 2 processes: {len(items)} pages in {elapsed:.1f} s = {out['ocr_2']:.2f} pages/s")

    # Index: the document the worker builds, one request per document, as the worker writes it.
    with tempfile.TemporaryDirectory() as tmp, private(base, Path(tmp), components=()) as indices:
        scratch, engine = indices.settings, indices.engine
        batch = {"collection": "bench", "doc_type": None}
        docs = []
        for path, ex, (clean, ents) in zip(paths, extracted, nlp):
            sha = hashlib.sha256(f"{scratch.index_prefix}/{path.name}".encode()).hexdigest()
            record = {"id": f"b-{path.stem}", "sha256": sha, "batch_id": "b", "name": path.name,
                      "size": path.stat().st_size}
            docs.append((record, ex, clean, ents))
        started = time.perf_counter()
        for record, ex, clean, ents in docs:
            title = guess_title(ex.metadata, clean, record["name"])
            document = build_document(record, batch, ex, title, clean, ents, {})
            engine.index(scratch.documents_alias, record["sha256"], document)
        elapsed = time.perf_counter() - started
        out["index"] = pages / elapsed
        out["index_docs_per_s"] = len(docs) / elapsed
        log(f"  index: {len(docs)} documents, {pages} pages in {elapsed:.2f} s = {out['index']:.0f} pages/s")
        if args.wait_for_docs:
            # The same write with refresh="wait_for", as the workers wrote before commit 55f27c8.
            n = min(args.wait_for_docs, len(docs))
            started = time.perf_counter()
            for record, ex, clean, ents in docs[:n]:
                document = build_document(record, batch, ex, "t", clean, ents, {})
                engine.index(scratch.documents_alias, record["sha256"] + "-w", document, refresh="wait_for")
            elapsed = time.perf_counter() - started
            out["index_wait_for_s_per_doc"] = elapsed / n
            log(f"  index with refresh=wait_for: {elapsed / n:.3f} s per document ({n} documents)")
    return out


def one_run(base: Settings, corpus: dict, args, number: int, work: Path) -> dict:
    log(f"run {number}: waiting for a quiet machine")
    waited = wait_until_quiet()
    run: dict = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "waited_s": round(waited),
                 "code": code_state()}
    run_dir = work / f"run-{number}-{uuid.uuid4().hex[:6]}"
    run_dir.mkdir()
    with private(base, run_dir / "stack") as ps:
        run["prefix"] = ps.settings.index_prefix
        log(f"run {number}: stack {ps.settings.index_prefix} up; text corpus")
        run["text"] = e2e_phase(ps, corpus["text_dir"], "bench-text", run_dir, args.timeout,
                                len(corpus["text_paths"]))
        log(f"run {number}: scanned corpus")
        run["scans"] = e2e_phase(ps, corpus["scan_dir"], "bench-scans", run_dir, args.timeout,
                                 len(corpus["scan_paths"]))
    log(f"run {number}: stages alone (workers stopped)")
    with Meter([os.getpid()]) as meter:  # "workers" here: this process and its children
        run["stages"] = stages(base, corpus, args)
    run["stages_pytest_seen"] = meter.pytest_seen
    run["stages_cpu"] = meter.cpu
    run["pytest_seen"] = run["text"]["pytest_seen"] or run["scans"]["pytest_seen"] or meter.pytest_seen
    s = run["stages"]
    slowest = min(("extract", s["extract"]), ("clean+NER (2 processes)", s["nlp_2"]), ("index", s["index"]),
                  key=lambda kv: kv[1])
    run["slowest_text_stage"] = slowest[0]
    run["ratio_text"] = run["text"]["pages_per_s"] / slowest[1]
    run["ratio_scans"] = run["scans"]["pages_per_s"] / s["ocr_2"]
    # Every worker process runs extract, clean+NER and index one after the other for its file.
    run["serial_bound"] = 1 / (1 / s["extract"] + 1 / s["nlp_2"] + 1 / s["index"])
    run["code_changed"] = code_state()["fingerprint"] != run["code"]["fingerprint"]
    run["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    shutil.rmtree(run_dir, ignore_errors=True)
    return run


# -- bulk load ------------------------------------------------------------------------------------------
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]")
BAR = re.compile(r"batch (\w{8})\S*\s.*?(\d+)/(\d+)\s+(\d+) pages(?: · ([\d.]+) pages/s)?(?: · (\d+) failed)?"
                 r"(?: · ETA (\d+):(\d\d))?\s+(\d+:\d\d:\d\d)")


def run_in_pty(cmd: list[str], env: dict, cwd: Path, timeout: float) -> tuple[int, list[tuple[float, str]], float]:
    """Run ``cmd`` in a pseudo-terminal of 120 columns; returns its exit code, timestamped output and wall time."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(env, TERM="xterm-256color", COLUMNS="120", LINES="40")
    started = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=str(cwd), close_fds=True)
    os.close(slave)
    chunks: list[tuple[float, str]] = []
    while True:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""
            if not data:
                break
            chunks.append((time.monotonic() - started, data.decode("utf-8", "replace")))
        elif proc.poll() is not None:
            break
        if time.monotonic() - started > timeout:
            proc.kill()
            break
    code = proc.wait()
    wall = time.monotonic() - started
    os.close(master)
    return code, chunks, wall


def _screen_lines(chunks: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """Every line the terminal was given (ANSI codes stripped), with the time it was written."""
    out = []
    for at, text in chunks:
        for piece in re.split(r"[\r\n]", ANSI.sub("", text)):
            if piece.strip():
                out.append((at, piece.rstrip()))
    return out


def _batch_records(ps: stack.Private, batch_id: str) -> list[dict]:
    body = {"size": 10_000, "query": {"term": {"batch_id": batch_id}},
            "_source": ["name", "status", "reason", "message", "pages", "sha256", "finished_at", "started_at",
                        "queued_at"]}
    ps.engine.refresh(ps.settings.files_alias)
    return [hit["_source"] for hit in ps.engine.search(ps.settings.files_alias, body)["hits"]["hits"]]


def account(ps: stack.Private, batch_id: str, shas: set[str], root: Path) -> dict:
    """Every generated file accounted for: one record each, its document indexed, the counts agreeing."""
    from ingestion.batches import BatchStore

    summary = BatchStore(ps.engine, ps.settings).summary(batch_id, include_files=False)
    records = _batch_records(ps, batch_id)
    ps.engine.refresh(ps.settings.documents_alias)
    indexed_docs = ps.engine.count(ps.settings.documents_alias)
    recorded = {r.get("sha256") for r in records}
    missing = []
    found_docs = 0
    ids = sorted(shas)
    for start in range(0, len(ids), 500):
        resp = httpx.post(f"{ps.settings.engine_url}/{ps.settings.documents_alias}/_mget",
                          json={"ids": ids[start:start + 500]}, params={"_source": "false"}, timeout=60).json()
        found_docs += sum(1 for d in resp["docs"] if d.get("found"))
        missing += [d["_id"] for d in resp["docs"] if not d.get("found")]
    names = [r["name"] for r in records]
    return {
        "summary_counts": summary["counts"], "summary_total": summary["total"], "summary_state": summary["state"],
        "pages_done": summary["pages_done"], "summary_pages_per_s": summary["pages_per_s"],
        "summary_elapsed_s": summary["elapsed_s"],
        "records": len(records), "distinct_names": len(set(names)),
        "statuses": dict(Counter(r["status"] for r in records)),
        "pages_in_records": sum(r.get("pages") or 0 for r in records),
        "generated_files_without_record": len(shas - recorded),
        "documents_in_index": indexed_docs, "generated_files_indexed": found_docs,
        "not_indexed": [{"name": r["name"].replace(str(root), "$TMP"), "status": r["status"], "reason": r.get("reason"),
                         "message": r.get("message")} for r in records if r["status"] != "indexed"][:20],
        "first_started": min((r["started_at"] for r in records if r.get("started_at")), default=None),
        "last_finished": max((r["finished_at"] for r in records if r.get("finished_at")), default=None),
        "finished_at": sorted(r["finished_at"] for r in records if r.get("finished_at")),
        "example_names": [n.replace(str(root), "$TMP") for n in sorted(names)[:2]],
        "missing_ids": missing[:5],
    }


def bar_check(lines: list[tuple[float, str]], wall0: datetime, finished: list[str], total_wall: float) -> dict:
    """The progress bar's readings against the records: files shown done vs. files really done then, ETA vs. real."""
    done_at = sorted((datetime.fromisoformat(f) - wall0).total_seconds() for f in finished)
    readings = []
    for at, line in lines:
        m = BAR.search(line)
        if m:
            completed, total, pages = int(m.group(2)), int(m.group(3)), int(m.group(4))
            eta = int(m.group(7)) * 60 + int(m.group(8)) if m.group(7) else None
            real = sum(1 for t in done_at if t <= at)
            readings.append({"t": round(at, 1), "shown": completed, "total": total, "pages": pages,
                             "rate": float(m.group(5)) if m.group(5) else None, "eta": eta, "real_done": real,
                             "elapsed": m.group(9)})
    if not readings:
        return {"readings": 0}
    last_done = done_at[-1] if done_at else None
    checks = []
    for frac in (0.1, 0.25, 0.5, 0.75, 0.9):
        pick = next((r for r in readings if r["shown"] >= frac * r["total"]), None)
        if pick:
            checks.append(dict(pick, real_left_s=round(last_done - pick["t"], 1) if last_done else None))
    lag = [r["real_done"] - r["shown"] for r in readings]
    first_bar = readings[0]["t"]
    return {"readings": len(readings), "first_bar_at_s": first_bar, "last": readings[-1],
            "max_lag_files": max(lag), "median_lag_files": statistics.median(lag),
            "shown_exceeds_real": sum(1 for v in lag if v < 0), "samples": checks, "total_wall_s": round(total_wall, 1),
            "last_finished_s": round(last_done, 1) if last_done else None}


def bulk_cli(base: Settings, bulk: dict, work: Path, timeout: float) -> dict:
    log("bulk (a): waiting for a quiet machine")
    wait_until_quiet()
    with private(base, work / "bulk-cli") as ps:
        exe = shutil.which("docsearch") or "docsearch"
        cmd = [exe, "ingest", bulk["tree"].name, "--collection", "bench", "--wait"]  # relative, as a user types it
        log(f"bulk (a): docsearch ingest archivo/ --collection bench --wait  (stack {ps.settings.index_prefix})")
        wall0 = datetime.now(timezone.utc)
        with Meter(worker_pids(ps)) as meter:
            code, chunks, wall = run_in_pty(cmd, stack.env_for(ps.settings), bulk["tree"].parent, timeout)
        lines = _screen_lines(chunks)
        transcript = "".join(text for _, text in chunks).replace(str(bulk["tree"].parent), "$TMP")
        (work / "bulk-cli-transcript.txt").write_text(transcript)
        final = [line.replace(str(bulk["tree"].parent), "$TMP") for _, line in lines if line.startswith("batch ")]
        ids = [m.group(1) for line in final if (m := re.match(r"batch ([0-9a-f]{32}):", line))]
        batch_id = ids[-1] if ids else None
        result = {"exit_code": code, "wall_s": wall, "final_lines": final[-3:], "batch_id": batch_id,
                  "cpu": meter.cpu, "pytest_seen": meter.pytest_seen, "prefix": ps.settings.index_prefix,
                  "storing_lines": [line for _, line in lines if "storing files" in line][-1:],
                  "logs": {q: task_times(log_since(ps, q, 0)) for q in stack.WORKERS}}
        if batch_id:
            result["account"] = account(ps, batch_id, bulk["shas"], bulk["tree"].parent)
            result["bar"] = bar_check(lines, wall0, result["account"].pop("finished_at"), wall)
        result["files_per_s"] = bulk["info"]["files"] / wall
        result["pages_per_s"] = (result.get("account", {}).get("pages_done") or 0) / wall
    log(f"bulk (a): exit {code}, {wall:.1f} s; {final[-1:] if final else 'no final line'}")
    return result


def bulk_api(base: Settings, bulk: dict, work: Path, timeout: float) -> dict:
    zip_path = work / "archivo.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(bulk["paths"]):
            zf.write(path, path.relative_to(bulk["tree"].parent).as_posix())
    log(f"bulk (b): ZIP of {len(bulk['paths'])} files, {zip_path.stat().st_size / 1e6:.1f} MB; "
        "waiting for a quiet machine")
    wait_until_quiet()
    with private(base, work / "bulk-api", ("worker", "api"), timeout=timeout) as ps:
        wall0 = datetime.now(timezone.utc)
        t0 = time.monotonic()
        polls = []

        def record(body: dict) -> None:
            polls.append((time.monotonic() - t0, body["counts"], body["pages_done"], body.get("eta_s")))

        with Meter(worker_pids(ps)) as meter:
            batch_id = ps.upload([zip_path], collection="bench")
            posted = time.monotonic() - t0
            body = ps.wait_batch(batch_id, timeout, poll=0.5, each=record, limit=0)
            done = time.monotonic() - t0
        result = {"post_s": posted, "done_s": done, "batch_id": batch_id,
                  "state": body["state"], "cpu": meter.cpu, "pytest_seen": meter.pytest_seen,
                  "zip_mb": round(zip_path.stat().st_size / 1e6, 1), "prefix": ps.settings.index_prefix,
                  "logs": {q: task_times(log_since(ps, q, 0)) for q in stack.WORKERS},
                  "api_log_tail": ps.paths.logs.joinpath("api.log").read_text(errors="replace")[-2000:]}
        result["account"] = account(ps, batch_id, bulk["shas"], bulk["tree"].parent)
        finished = result["account"].pop("finished_at")
        result["last_finished_s"] = ((datetime.fromisoformat(finished[-1]) - wall0).total_seconds()
                                     if finished else None)
        result["files_per_s"] = bulk["info"]["files"] / done
        result["pages_per_s"] = result["account"]["pages_done"] / done
    log(f"bulk (b): POST {posted:.1f} s, done {done:.1f} s; {result['account']['statuses']}")
    return result


# -- report ---------------------------------------------------------------------------------------------
def _med(values: list[float]) -> float:
    return statistics.median(values)


def _fmt(value: float, digits: int) -> str:
    return f"{value:,.{digits}f}"


def report(results: dict, args) -> str:
    runs = results["runs"]
    lines = []
    desc = results["corpus"]
    lines.append(f"Corpus: {desc['text_pdfs']} text PDFs, {desc['text_pages']} pages "
                 f"({desc['pages_per_pdf_min']}-{desc['pages_per_pdf_max']} a PDF), "
                 f"{desc['words_per_page_mean']} words/page "
                 f"({desc['words_per_page_min']}-{desc['words_per_page_max']}), "
                 f"{desc['text_mb']} MB; {desc['scan_pdfs']} scanned PDFs x {args.scan_pages} pages = "
                 f"{desc['scan_pages']} image-only pages ({desc['scan_dpi']} dpi grayscale JPEG), "
                 f"{desc['scan_mb']} MB. "
                 f"{len(runs)} runs, median and per run.")
    codes = sorted({(r["code"]["head"], tuple(r["code"]["changes"])) for r in runs})
    lines.append("Code: " + "; ".join(f"commit {h}" + (f" with {', '.join(c)}" if c else "") for h, c in codes)
                 + ". Runs discarded (a pytest ran, the code changed, or a failure): "
                 + f"{len(results.get('discarded', []))}.\n")

    def row(label: str, phase: str, key: str, digits: int) -> str:
        values = [r[phase][key] for r in runs]
        return f"| {label} | {_fmt(_med(values), digits)} | {', '.join(_fmt(v, digits) for v in values)} |"

    ocr = args.ocr_pages
    rows = [
        ("Text PDFs end to end, pages/s (submit start → batch done)", "text", "pages_per_s", 1),
        ("Text PDFs end to end, files/s", "text", "files_per_s", 2),
        ("Text PDFs end to end, s", "text", "done_s", 1),
        ("— of which submit (store, records, queue), s", "text", "submit_s", 2),
        ("— last file finished (engine time stamps), s", "text", "last_finished_s", 1),
        ("Scanned pages end to end, pages/s", "scans", "pages_per_s", 2),
        ("Scanned end to end, s", "scans", "done_s", 1),
        ("Stage: extract (`PdfExtractor.extract`, 1 process), pages/s", "stages", "extract", 0),
        ("Stage: clean + NER, 1 process, pages/s", "stages", "nlp_1", 1),
        ("Stage: clean + NER, 2 processes, pages/s", "stages", "nlp_2", 1),
        (f"Stage: OCR (`ocr_page`, {ocr} pages), 1 process, pages/s", "stages", "ocr_1", 2),
        (f"Stage: OCR ({ocr} pages), 2 processes, pages/s", "stages", "ocr_2", 2),
        ("Stage: index (build + 1 request/document, 1 process), pages/s", "stages", "index", 0),
    ]
    if all("index_wait_for_s_per_doc" in r["stages"] for r in runs):
        rows.append(("(index with `refresh=wait_for`, as workers wrote before 55f27c8), s/document", "stages",
                     "index_wait_for_s_per_doc", 3))
    slowest = Counter(r["slowest_text_stage"] for r in runs).most_common(1)[0][0]
    lines.append("| Measure | median | runs |")
    lines.append("|---|---:|---|")
    lines += [row(*spec) for spec in rows]
    for r in runs:
        r["ratios"] = {"text": r["ratio_text"], "scans": r["ratio_scans"], "serial": r["serial_bound"]}
    lines.append(row(f"Ratio text end to end / slowest text stage ({slowest})", "ratios", "text", 2))
    lines.append(row("Ratio scanned end to end / OCR 2 processes", "ratios", "scans", 2))
    lines.append(row("(extract + clean/NER (2 proc.) + index, one after the other), pages/s", "ratios", "serial", 1))

    text_rate = _med([r["text"]["pages_per_s"] for r in runs])
    ratio = _med([r["ratio_text"] for r in runs])
    scan_rate = _med([r["scans"]["pages_per_s"] for r in runs])
    all_ok = all(r["text"]["all_indexed"] and r["scans"]["all_indexed"] for r in runs)
    lines.append("\n| Target | measured (median) | met |")
    lines.append("|---|---:|---|")
    def met(ok: bool) -> str:
        return "met" if ok else "not met"

    lines.append(f"| Text PDFs ≥ 30 pages/s end to end | {text_rate:.1f} | {met(text_rate >= 30)} |")
    lines.append(f"| Text end to end ≥ 80 % of the slowest stage alone | {ratio:.0%} | {met(ratio >= 0.8)} |")
    lines.append(f"| Scanned pages ≥ 0.45 pages/s (both cores) | {scan_rate:.2f} | {met(scan_rate >= 0.45)} |")
    lines.append(f"| Every file indexed, every run | {'yes' if all_ok else 'NO'} | {'met' if all_ok else 'not met'} |")

    lines.append("\nWhere the end-to-end time goes (workers' task times from their logs; engine operations counted "
                 "by the engine's index stats, less the bench's own batch polls, divided by the files of the phase; "
                 "CPU seconds over the phase):\n")
    lines.append("| Run, phase | s | ingest tasks: n, mean s, sum s | OCR tasks: n, sum s | ingest processes busy "
                 "| engine ops per file: files index/get/search · documents index/get · batches get/search "
                 "| CPU s: engine / workers / rest | pytest |")
    lines.append("|---|---:|---|---|---:|---|---|---|")
    for k, r in enumerate(runs, start=1):
        for phase in ("text", "scans"):
            p = r[phase]
            ing = p["workers"]["ingest"]["tasks"]
            n = sum(v["n"] for v in ing.values())
            s = sum(v["sum_s"] for v in ing.values())
            ocr = p["workers"]["ocr"]["tasks"].get("docsearch.ocr_pages", {"n": 0, "sum_s": 0})
            o, cpu = p["ops_per_file"], p["cpu"]
            lines.append(f"| {k}, {phase} | {p['done_s']:.1f} | {n}, {s / max(n, 1):.2f}, {s:.1f} "
                         f"| {ocr['n']}, {ocr['sum_s']:.1f} | {s / (p['done_s'] * 2):.0%} "
                         f"| {o['files']['index']}/{o['files']['get']}/{o['files']['search']} · "
                         f"{o['documents']['index']}/{o['documents']['get']} · "
                         f"{o['batches']['get']}/{o['batches']['search']} "
                         f"| {cpu['engine_s']:.0f} / {cpu['workers_s']:.0f} / {cpu['other_s']:.0f} "
                         f"| {'yes' if p['pytest_seen'] else 'no'} |")
    return "\n".join(lines)


def report_bulk(results: dict) -> str:
    lines = []
    if results.get("bulk"):
        b = results["bulk"]
        lines.append(f"\nBulk load: {b['info']['files']} PDFs of 1-3 pages ({b['info']['pages']} pages, "
                     f"{b['info']['mb']} MB) in {b['info']['folders']} folders `archivo/<year>/sala-NN/`.\n")
        lines.append("| Load | wall s | files/s | pages/s | records | indexed | duplicate | failed "
                     "| documents in index |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, key, wall in (("(a) `docsearch ingest archivo/ --wait` (CLI)", "cli", "wall_s"),
                                ("(b) ZIP, `POST /api/documents` → done", "api", "done_s")):
            r = b.get(key)
            if not r or "account" not in r:
                continue
            a = r["account"]
            st = a["statuses"]
            lines.append(f"| {name} | {r[wall]:.1f} | {r['files_per_s']:.1f} | {r['pages_per_s']:.1f} | {a['records']} "
                         f"| {st.get('indexed', 0)} | {st.get('duplicate', 0)} | {st.get('failed', 0)} "
                         f"| {a['documents_in_index']} |")
    return "\n".join(lines)


# -- main -----------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs (fresh stack each); medians shown (default 3)")
    parser.add_argument("--docs", type=int, default=50, help="text PDFs (default 50)")
    parser.add_argument("--pages", type=int, default=1000, help="text pages in all (default 1000)")
    parser.add_argument("--scan-docs", type=int, default=10, help="scanned PDFs (default 10)")
    parser.add_argument("--scan-pages", type=int, default=3, help="pages per scanned PDF (default 3)")
    parser.add_argument("--scan-dpi", type=int, default=300, help="resolution of the scanned page images (default 300)")
    parser.add_argument("--ocr-pages", type=int, default=10, help="scanned pages OCR'd in the OCR stage (default 10)")
    parser.add_argument("--wait-for-docs", type=int, default=10,
                        help="also time N index requests with refresh=wait_for (as workers wrote before "
                             "55f27c8); 0: no")
    parser.add_argument("--bulk-files", type=int, default=2000, help="small PDFs for the bulk loads; 0: skip them")
    parser.add_argument("--no-e2e", action="store_true", help="skip the runs (only the bulk loads)")
    parser.add_argument("--max-discarded", type=int, default=8, help="runs discarded for a pytest before giving up")
    parser.add_argument("--timeout", type=float, default=1800, help="longest wait for one batch, s")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", type=Path, help="write every measured number here")
    parser.add_argument("--ignore-pytest", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-submit", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    parser.add_argument("--collection", default="bench", help=argparse.SUPPRESS)
    parser.add_argument("--poll", type=float, default=0.25, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_submit:
        return child_submit(args)
    global IGNORE_PYTEST
    IGNORE_PYTEST = args.ignore_pytest
    if args.docs < 1 or args.pages < args.docs or args.ocr_pages > args.scan_docs * args.scan_pages:
        parser.error("need --pages >= --docs >= 1 and --ocr-pages <= --scan-docs * --scan-pages")

    base = Settings()
    if not (stack.engine_ok(base) and stack.redis_ok(base)):
        parser.error("the engine and Redis must run: docsearch services up --only engine,redis")
    results: dict = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "args": {
        k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if not k.startswith("child")}}
    with tempfile.TemporaryDirectory(prefix="docsearch-bench-ingest-") as tmp:
        work = Path(tmp)
        if not args.no_e2e:
            corpus = make_corpus(work / "corpus", args)
            results["corpus"] = corpus["description"]
        results["runs"], results["discarded"] = [], []
        number = 0
        while not args.no_e2e and len(results["runs"]) < args.runs:
            number += 1
            try:
                run = one_run(base, corpus, args, number, work)
            except Exception as exc:  # noqa: BLE001 - e.g. a worker that cannot start while the code is being edited
                log(f"run {number} failed: {type(exc).__name__}: {str(exc)[-300:]}")
                run = {"error": f"{type(exc).__name__}: {str(exc)[-2000:]}", "pytest_seen": True}
                time.sleep(30)
            if run["pytest_seen"] or run.get("code_changed"):
                results["discarded"].append(run)
                log(f"run {number}: a pytest ran or the code changed meanwhile; discarded")
                if len(results["discarded"]) > args.max_discarded:
                    log("too many runs disturbed by pytest; stopping")
                    break
                continue
            results["runs"].append(run)
            if args.json:
                args.json.write_text(json.dumps(results, indent=1, default=str))
        if args.bulk_files:
            bulk = make_bulk_tree(work / "bulk", args.bulk_files, args.seed)
            results["bulk"] = {"info": bulk["info"]}
            results["bulk"]["cli"] = bulk_cli(base, bulk, work, args.timeout)
            if args.json:
                args.json.write_text(json.dumps(results, indent=1, default=str))
            results["bulk"]["api"] = bulk_api(base, bulk, work, args.timeout)
        results["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        if args.json:
            args.json.write_text(json.dumps(results, indent=1, default=str))
    if results.get("runs"):
        print(report(results, args))
    if results.get("bulk"):
        print(report_bulk(results))
        for key in ("cli", "api"):
            r = results["bulk"].get(key) or {}
            if "final_lines" in r:
                print("\nCLI final output:\n```\n" + "\n".join(r["final_lines"]) + "\n```")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
