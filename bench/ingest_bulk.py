"""The bulk loads: a folder tree of small PDFs through ``docsearch ingest --wait`` in a pseudo-terminal
(its progress bar checked against the file records), and the same tree as one ZIP through
``POST /api/documents``; every generated file accounted for."""

from __future__ import annotations

import os
import re
import select
import shutil
import statistics
import subprocess
import time
import zipfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import httpx

from docsearch.engine import basic_auth
from docsearch.settings import Settings
from ingest_stack import log_since, private, task_times, worker_pids
from run_watch import Meter, log, wait_until_quiet
from services import stack


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
                          json={"ids": ids[start:start + 500]}, params={"_source": "false"},
                          auth=basic_auth(ps.settings), timeout=60).json()
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
