"""The relevance benchmark's markdown: nDCG@10, recall@20 and MRR per system, overall and per category, and
the tuned system's worst queries; for a run in several search modes, ``tables`` gives one mode's (with the
zero-result rate) to ``relevance_test.report_modes``."""

from __future__ import annotations

import json

from markdown_tables import table
from relevance_judging import K_RECALL, relevant_set

METRICS = ["ndcg@10", "recall@20", "mrr"]
MODE_METRICS = [*METRICS, "zero"]  # a run with --modes also counts the queries answered with nothing
LABELS = {"ndcg@10": "nDCG@10", "recall@20": "recall@20", "mrr": "MRR", "zero": "zero-result"}


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _category_row(label: str, subset: list[dict], metrics: list[str] = METRICS) -> list[object]:
    cells: list[object] = [label, len(subset)]
    for m in metrics:
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
    out = [headline(rows, meta), ""]
    categories = sorted({r["category"] for r in rows})
    out += table(("queries", "n", "nDCG@10 tuned", "nDCG@10 baseline", "recall@20 tuned", "recall@20 baseline",
                  "MRR tuned", "MRR baseline"), "lrrrrrrr",
                 [_category_row("**all**", rows)]
                 + [_category_row(cat, [r for r in rows if r["category"] == cat]) for cat in categories], spaced=True)
    out += ["", "Worst queries of the tuned system (nDCG@10), with the baseline beside:", ""]
    out += _worst(rows)
    return "\n".join(out)


def _worst(rows: list[dict], label: str = "tuned") -> list[str]:
    return table(("query", "category", "filters", f"nDCG@10 {label}", "baseline", f"{label} hits",
                  f"{label} top 5 (grade)", "missed (grade ≥ 2)"), "lllrrrll",
                 [_worst_row(r) for r in sorted(rows, key=lambda r: (r["m_tuned"]["ndcg@10"], r["id"]))[:12]],
                 spaced=True)


def headline(rows: list[dict], meta: dict) -> str:
    queries = f" (`{meta['queries']}`)" if meta.get("queries") else ""
    return (f"Run {meta['date']} UTC, commit {meta['commit']}, {meta['docs']} documents ({meta['pages']} pages), "
            f"{len(rows)} queries{queries}; ingest {meta['ingest_s']:.0f} s, whole run {meta.get('total_s', 0):.0f} s.")


def categories_of(rows: list[dict]) -> list[str]:
    """The categories in the order of the query file."""
    return list(dict.fromkeys(r["category"] for r in rows))


def tables(rows: list[dict], label: str = "tuned") -> list[str]:
    """One search mode of a run with ``--modes`` (rows of ``run_queries(..., zero=True)``, as ``mode_rows``
    gives them): every metric and the zero-result rate per category beside the baseline, then the worst
    queries; ``label`` names the mode."""
    header = ["queries", "n"] + [f"{LABELS[m]} {system}" for m in MODE_METRICS for system in (label, "baseline")]
    out = table(header, "lr" + "r" * (len(header) - 2),
                [_category_row("**all**", rows, MODE_METRICS)]
                + [_category_row(c, [r for r in rows if r["category"] == c], MODE_METRICS)
                   for c in categories_of(rows)], spaced=True)
    zero = [r for r in rows if r["m_tuned"]["zero"]]
    out += ["", f"Queries the {label} search answered with nothing ({len(zero)}): "
            + (", ".join(f"`{r['q']}` ({r['category']})" for r in zero) or "none") + ".", "",
            f"Worst queries in mode {label} (nDCG@10), with the baseline beside:", ""]
    return out + _worst(rows, label)
