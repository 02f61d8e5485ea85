"""The relevance benchmark's markdown: nDCG@10, recall@20 and MRR per system, overall and per category, and
the tuned system's worst queries."""

from __future__ import annotations

import json

from markdown_tables import table
from relevance_judging import K_RECALL, relevant_set

METRICS = ["ndcg@10", "recall@20", "mrr"]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _category_row(label: str, subset: list[dict]) -> list[object]:
    cells: list[object] = [label, len(subset)]
    for m in METRICS:
        cells += [f"{_mean([r['m_tuned'][m] for r in subset]):.3f}", f"{_mean([r['m_baseline'][m] for r in subset]):.3f}"]
    return cells


def _worst_row(r: dict) -> list[object]:
    j = r["judgments"]
    top = ", ".join(f"{k}({j.get(k, 0)})" for k in r["tuned"][:5]) or "—"
    missed = sorted(k for k in relevant_set(j) if k not in r["tuned"][:K_RECALL])
    missed_s = ", ".join(missed[:6]) + (f" +{len(missed) - 6}" if len(missed) > 6 else "") if missed else "—"
    total = r["tuned_info"].get("total", r["tuned_info"].get("status"))
    filt = json.dumps(r["filters"], ensure_ascii=False) if r["filters"] else ""
    return [f"`{r['q']}`", r["category"], filt, f"{r['m_tuned']['ndcg@10']:.3f}", f"{r['m_baseline']['ndcg@10']:.3f}",
            total, top, missed_s]


def report(rows: list[dict], meta: dict) -> str:
    out = [f"Run {meta['date']} UTC, commit {meta['commit']}, {meta['docs']} documents ({meta['pages']} pages), "
           f"{len(rows)} queries; ingest {meta['ingest_s']:.0f} s, whole run {meta.get('total_s', 0):.0f} s.", ""]
    categories = sorted({r["category"] for r in rows})
    out += table(("queries", "n", "nDCG@10 tuned", "nDCG@10 baseline", "recall@20 tuned", "recall@20 baseline",
                  "MRR tuned", "MRR baseline"), "lrrrrrrr",
                 [_category_row("**all**", rows)]
                 + [_category_row(cat, [r for r in rows if r["category"] == cat]) for cat in categories], spaced=True)
    out += ["", "Worst queries of the tuned system (nDCG@10), with the baseline beside:", ""]
    out += table(("query", "category", "filters", "nDCG@10 tuned", "baseline", "tuned hits", "tuned top 5 (grade)",
                  "missed (grade ≥ 2)"), "lllrrrll",
                 [_worst_row(r) for r in sorted(rows, key=lambda r: (r["m_tuned"]["ndcg@10"], r["id"]))[:12]],
                 spaced=True)
    return "\n".join(out)
