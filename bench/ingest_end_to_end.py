"""A corpus loaded end to end: submitted in a child process that has the private stack's settings in its
environment, followed until its batch is ``done``, with the workers' task times, the engine operations
per file and the CPU seconds over the phase."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from docsearch.engine import Engine
from ingest_stack import index_stats, log_since, log_size, task_times, worker_pids
from run_watch import Meter, log
from services import stack

SCRIPT = Path(__file__).resolve().with_name("ingest.py")  # its --child-submit runs child_submit


def submit_in_child(ps: stack.Private, folder: Path, collection: str, out: Path, timeout: float) -> dict:
    """Submit ``folder`` and follow the batch in a child process that has the private settings' environment."""
    cmd = [sys.executable, str(SCRIPT), "--child-submit", str(folder), "--collection", collection,
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
