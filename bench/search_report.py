"""The search benchmark's markdown: latency per level, per query kind, what each kind returned, and where the
engine's time goes."""

from __future__ import annotations

import statistics

from markdown_tables import row, rule, table


def _med(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def _runs(rows: list[dict], key: str, fmt: str = "{:.0f}") -> str:
    return ", ".join(fmt.format(r[key]) for r in rows)


def _level_row(clients: str, rows: list[dict]) -> tuple[str, ...]:
    cpu = [r["cpu"] for r in rows]
    jvm = [r["jvm"] for r in rows]
    return (clients, f"{_med(rows, 'rps'):.1f} ({_runs(rows, 'rps', '{:.1f}')})",
            f"{_med(rows, 'p50'):.0f} ({_runs(rows, 'p50')})", f"**{_med(rows, 'p95'):.0f}** ({_runs(rows, 'p95')})",
            f"{_med(rows, 'p99'):.0f} ({_runs(rows, 'p99')})", f"{_med(rows, 'errors'):.0f} ({_runs(rows, 'errors')})",
            f"{_med(rows, 'partial'):.0f} ({_runs(rows, 'partial')})",
            f"{_med(rows, 'took_p50'):.0f} / {_med(rows, 'took_p95'):.0f}",
            f"{statistics.median(c['engine_s'] for c in cpu):.0f}"
            f" / {statistics.median(c['workers_s'] for c in cpu):.0f}"
            f" / {_med(rows, 'bench_cpu_s'):.0f}"
            f" / {statistics.median(c['other_s'] - r['bench_cpu_s'] for c, r in zip(cpu, rows)):.0f}",
            f"{max(j['heap_pct_max'] for j in jvm)} · {statistics.median(j['young_n'] for j in jvm):.0f}, "
            f"{statistics.median(j['young_ms'] for j in jvm):.0f} · {max(j['old_n'] for j in jvm)}")


def report(result: dict) -> str:
    m, facts, args = result["machine"], result["index"], result["args"]
    lines = [
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['ram_gib']} GiB RAM; {m['engine']}, "
        f"heap {m['engine_heap_bytes'] / 2**20:.0f} MiB; Python {m['python']}, httpx {m['httpx']}.",
        f"Index `{facts['index']}` (schema v{facts.get('schema_version')}): {facts['documents']:,} documents, "
        f"{facts['pages']:,} pages, {facts.get('passages', 0):,} passages with vectors"
        + (f" ({', '.join(facts['models'])})" if facts.get("models") else "")
        + f" ({facts['lucene_docs']:,} Lucene documents with the nested pages and passages), "
        f"{facts['store_bytes'] / 2**20:,.0f} MiB on disk, {facts['segments']} segments.",
        f"API: uvicorn, {result['api_workers']} worker process(es)."
        + (" Every request with facets=false." if args.get("no_facets") else "")
        + (f" Every request with mode={args['mode']}." if args.get("mode") else " No mode sent (the server's "
           "default).")
        + (f" Only the kinds {args['kinds']}." if args.get("kinds") else "")
        + f" Each level: {args['warmup']:.0f} s warm-up, "
        f"{args['duration']:.0f} s measured, {args['runs']} runs; medians of the runs (each run in brackets).",
        "",
    ]
    lines += table(("clients", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "partial facets",
                    "service took_ms p50 / p95", "CPU s engine / API / bench client / rest",
                    "engine heap max % · young GC n, ms · old GC n"), "rrrrrrrrll",
                   [_level_row(clients, rows) for clients, rows in result["levels"].items()])
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
              "", row("kind", *(f"{c} clients p50 / p95" for c in levels), "took_ms p50 (1 client)",
                      "responses with partial facets (all runs)"),
              rule("l" + "r" * (len(levels) + 2))]
    for kind in kinds:
        cells = []
        for clients in levels:
            rows = [r["per_kind"][kind] for r in result["levels"][clients] if kind in r["per_kind"]]
            cells.append(f"{_med(rows, 'p50'):.0f} / {_med(rows, 'p95'):.0f}" if rows else "–")
        first = [r["per_kind"][kind] for r in result["levels"][levels[0]] if kind in r["per_kind"]]
        partial = sum(r["per_kind"][kind]["partial"] for rows in result["levels"].values() for r in rows
                      if kind in r["per_kind"])
        lines.append(row(kind, *cells, f"{_med(first, 'took_p50'):.0f}", partial))
    probes = result.get("probe", {})
    if probes:
        lines += ["", "What each kind returned (one request each, before the load):", ""]
        for kind, rows in probes.items():
            cells = []
            for probe_row in rows:
                q = probe_row["params"].get("q", "")
                extra = {k: v for k, v in probe_row["params"].items() if k != "q"}
                cell = f"`{q}`" + (f" {extra}" if extra else "") + f": {probe_row['status']}"
                if probe_row["status"] == 200:
                    cell += f", {probe_row['total']:,} hits"
                    for flag in ("years_in_range", "years_sorted"):
                        if flag in probe_row:
                            cell += f", {flag}={probe_row[flag]}"
                    if probe_row.get("mode"):
                        cell += f", mode {probe_row['mode']}"
                    if probe_row.get("by_meaning"):
                        cell += f", {probe_row['by_meaning']} of the first page found by meaning"
                    if probe_row.get("answer"):
                        cell += ", an answer"
                    if probe_row.get("translated"):
                        cell += f", also searched as «{probe_row['translated']}»"
                    if probe_row.get("interpreted"):
                        cell += f", read as «{probe_row['interpreted']}»"
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
