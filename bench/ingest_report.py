"""The ingest benchmark's markdown: the runs (medians and each run), the targets, where the end-to-end time
goes, and the bulk loads."""

from __future__ import annotations

import statistics
from collections import Counter

from markdown_tables import table


def _med(values: list[float]) -> float:
    return statistics.median(values)


def _fmt(value: float, digits: int) -> str:
    return f"{value:,.{digits}f}"


def _met(ok: bool) -> str:
    return "met" if ok else "not met"


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

    def measure(label: str, phase: str, key: str, digits: int) -> tuple[str, str, str]:
        values = [r[phase][key] for r in runs]
        return label, _fmt(_med(values), digits), ", ".join(_fmt(v, digits) for v in values)

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
    for r in runs:
        r["ratios"] = {"text": r["ratio_text"], "scans": r["ratio_scans"], "serial": r["serial_bound"]}
    rows += [(f"Ratio text end to end / slowest text stage ({slowest})", "ratios", "text", 2),
             ("Ratio scanned end to end / OCR 2 processes", "ratios", "scans", 2),
             ("(extract + clean/NER (2 proc.) + index, one after the other), pages/s", "ratios", "serial", 1)]
    lines += table(("Measure", "median", "runs"), "lrl", [measure(*spec) for spec in rows])

    text_rate = _med([r["text"]["pages_per_s"] for r in runs])
    ratio = _med([r["ratio_text"] for r in runs])
    scan_rate = _med([r["scans"]["pages_per_s"] for r in runs])
    all_ok = all(r["text"]["all_indexed"] and r["scans"]["all_indexed"] for r in runs)
    lines.append("")
    lines += table(("Target", "measured (median)", "met"), "lrl", [
        ("Text PDFs ≥ 30 pages/s end to end", f"{text_rate:.1f}", _met(text_rate >= 30)),
        ("Text end to end ≥ 80 % of the slowest stage alone", f"{ratio:.0%}", _met(ratio >= 0.8)),
        ("Scanned pages ≥ 0.45 pages/s (both cores)", f"{scan_rate:.2f}", _met(scan_rate >= 0.45)),
        ("Every file indexed, every run", "yes" if all_ok else "NO", _met(all_ok)),
    ])

    lines.append("\nWhere the end-to-end time goes (workers' task times from their logs; engine operations counted "
                 "by the engine's index stats, less the bench's own batch polls, divided by the files of the phase; "
                 "CPU seconds over the phase):\n")
    lines += table(("Run, phase", "s", "ingest tasks: n, mean s, sum s", "OCR tasks: n, sum s", "ingest processes busy",
                    "engine ops per file: files index/get/search · documents index/get · batches get/search",
                    "CPU s: engine / workers / rest", "pytest"), "lrllrlll",
                   [_phase_row(k, phase, r[phase]) for k, r in enumerate(runs, start=1) for phase in ("text", "scans")])
    return "\n".join(lines)


def _phase_row(run: int, phase: str, p: dict) -> tuple[str, ...]:
    ing = p["workers"]["ingest"]["tasks"]
    n = sum(v["n"] for v in ing.values())
    s = sum(v["sum_s"] for v in ing.values())
    ocr = p["workers"]["ocr"]["tasks"].get("docsearch.ocr_pages", {"n": 0, "sum_s": 0})
    o, cpu = p["ops_per_file"], p["cpu"]
    return (f"{run}, {phase}", f"{p['done_s']:.1f}", f"{n}, {s / max(n, 1):.2f}, {s:.1f}",
            f"{ocr['n']}, {ocr['sum_s']:.1f}", f"{s / (p['done_s'] * 2):.0%}",
            f"{o['files']['index']}/{o['files']['get']}/{o['files']['search']} · "
            f"{o['documents']['index']}/{o['documents']['get']} · {o['batches']['get']}/{o['batches']['search']}",
            f"{cpu['engine_s']:.0f} / {cpu['workers_s']:.0f} / {cpu['other_s']:.0f}",
            "yes" if p["pytest_seen"] else "no")


def report_bulk(results: dict) -> str:
    lines = []
    if results.get("bulk"):
        b = results["bulk"]
        lines.append(f"\nBulk load: {b['info']['files']} PDFs of 1-3 pages ({b['info']['pages']} pages, "
                     f"{b['info']['mb']} MB) in {b['info']['folders']} folders `archivo/<year>/sala-NN/`.\n")
        rows = []
        for name, key, wall in (("(a) `docsearch ingest archivo/ --wait` (CLI)", "cli", "wall_s"),
                                ("(b) ZIP, `POST /api/documents` → done", "api", "done_s")):
            r = b.get(key)
            if not r or "account" not in r:
                continue
            a = r["account"]
            st = a["statuses"]
            rows.append((name, f"{r[wall]:.1f}", f"{r['files_per_s']:.1f}", f"{r['pages_per_s']:.1f}", a["records"],
                         st.get("indexed", 0), st.get("duplicate", 0), st.get("failed", 0), a["documents_in_index"]))
        lines += table(("Load", "wall s", "files/s", "pages/s", "records", "indexed", "duplicate", "failed",
                        "documents in index"), "lrrrrrrrr", rows)
    return "\n".join(lines)
