"""Judging the relevance corpus: what each document holds (its facts), the grading rules
(``docs/relevance.md`` explains them), the judgments of a query, and the metrics of a ranking
(nDCG@10, recall@20, MRR)."""

from __future__ import annotations

import math
import re
import unicodedata

from relevance_cast import DRUGS, ORGS, PERSONS, REGISTERS
from relevance_documents import Doc

K_NDCG, K_RECALL = 10, 20


def fold(text: str) -> str:
    """Lower case without accents (ñ too): how grading compares text."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def count_phrase(folded_text: str, phrase: str) -> int:
    """Occurrences of a phrase (folded, whole words, any whitespace between words) in folded text."""
    words = [re.escape(w) for w in fold(phrase).split()]
    return len(re.findall(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", folded_text))


def facts(doc: Doc, bank: dict) -> dict:
    text = fold(doc.text())
    topic_mentions = {t: sum(count_phrase(text, k) for k in spec["keys"]) for t, spec in bank["topics"].items()}
    persons = {}
    for key, (full, short) in PERSONS.items():
        first_last = " ".join([full.split()[0]] + full.split()[-2:])
        forms = sorted({fold(full), fold(first_last), fold(short)}, key=len, reverse=True)
        n = len(re.findall(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)", text))
        if n:
            persons[key] = n
    orgs = {key: n for key, name in ORGS.items() if (n := count_phrase(text, name.split(" S.A")[0].split(" E.I.R.L")[0]))}
    drugs = {d: n for d, forms in DRUGS.items() if (n := sum(count_phrase(text, f) for f in forms))}
    return {
        "key": doc.key, "register": doc.register, "doc_type": REGISTERS[doc.register], "collection": doc.collection,
        "language": doc.language, "year": doc.year, "title": doc.title, "pages": len(doc.pages),
        "accents": doc.accents, "about": doc.about, "parties": doc.parties, "passing": doc.passing, "is_citation": doc.is_citation,
        "citations": dict(sorted(doc.cites.items())),
        "topic_mentions": {t: n for t, n in topic_mentions.items() if n},
        "persons": persons, "orgs": orgs, "drugs": drugs,
        "words": len(text.split()),
        "_text": text,
    }


# -- grading rules (docs/relevance.md explains them) ---------------------------------------------------------------
def _by_count(n: int) -> int:
    return 3 if n >= 3 else (2 if n == 2 else (1 if n == 1 else 0))


def grade(rule: dict, f: dict, bank: dict) -> int:
    if "topic" in rule:
        t = rule["topic"]
        if f["about"] and f["about"][0] == t:
            g = 3
        elif t in f["about"]:
            g = 2
        else:
            g = 1 if f["topic_mentions"].get(t) else 0
        if rule.get("lang") and f["language"] != rule["lang"]:
            g = 1 if g >= 2 else 0  # about the subject, but in the other language
        return g
    if "citation" in rule:
        cid = rule["citation"]
        n = f["citations"].get(cid, 0)
        if f["is_citation"] == cid or n >= 2:
            return 3
        if n == 1:
            return 2
        return 1 if bank["citations"][cid]["topic"] in f["about"] else 0
    if "person" in rule or "org" in rule:
        key = rule.get("person") or rule.get("org")
        if key in f["parties"]:
            return 3
        return 1 if f["persons" if "person" in rule else "orgs"].get(key) else 0
    if "drug" in rule:
        return _by_count(f["drugs"].get(rule["drug"], 0))
    if "phrase" in rule:
        return _by_count(count_phrase(f["_text"], rule["phrase"]))
    if "term" in rule:
        return 3 if count_phrase(f["_text"], rule["term"]) else 0
    if "and" in rule:
        return min(grade(r, f, bank) for r in rule["and"])
    if "or" in rule:
        return max(grade(r, f, bank) for r in rule["or"])
    if "cap" in rule:
        return min(rule["cap"], grade(rule["rule"], f, bank))
    if "not" in rule:
        return 0 if grade(rule["not"], f, bank) else grade(rule["rule"], f, bank)
    raise ValueError(f"unknown rule {rule}")


FILTER_FACTS = {"doc_type": "doc_type", "collection": "collection", "language": "language", "year": "year"}


def judge(query: dict, corpus: list[dict], bank: dict) -> dict[str, int]:
    out = {}
    for f in corpus:
        ok = all(str(f[FILTER_FACTS[name]]) in [str(v) for v in values]
                 for name, values in (query.get("filters") or {}).items())
        g = grade(query["rule"], f, bank) if ok else 0
        if g:
            out[f["key"]] = g
    return out


def ndcg(ranked: list[str], judgments: dict[str, int], k: int = K_NDCG) -> float:
    def dcg(grades: list[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(judgments.values(), reverse=True))
    return dcg([judgments.get(key, 0) for key in ranked]) / ideal if ideal else 0.0


def relevant_set(judgments: dict[str, int]) -> set[str]:
    """Relevant for recall and MRR: grade 2 or 3 (grade 1 when a query has nothing better)."""
    strong = {k for k, g in judgments.items() if g >= 2}
    return strong or set(judgments)


def recall(ranked: list[str], judgments: dict[str, int], k: int = K_RECALL) -> float:
    rel = relevant_set(judgments)
    return len(rel & set(ranked[:k])) / len(rel) if rel else 0.0


def mrr(ranked: list[str], judgments: dict[str, int]) -> float:
    rel = relevant_set(judgments)
    return next((1.0 / (i + 1) for i, key in enumerate(ranked) if key in rel), 0.0)


def metrics(ranked: list[str], judgments: dict[str, int]) -> dict[str, float]:
    return {"ndcg@10": ndcg(ranked, judgments), "recall@20": recall(ranked, judgments), "mrr": mrr(ranked, judgments)}
