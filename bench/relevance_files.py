"""The relevance corpus on disk: the text bank, the generated PDFs, and the stored corpus facts
(``corpus.jsonl``) and judged queries (``queries.jsonl``, ``queries_meaning.jsonl``) kept in step with the
generator and the rules."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from relevance_documents import render
from relevance_generator import generate_specs
from relevance_judging import facts, judge

DATA = Path(__file__).resolve().parent / "relevance"
BANK_FILE = DATA / "text_bank.json"
CORPUS_FILE = DATA / "corpus.jsonl"
QUERIES_FILE = DATA / "queries.jsonl"
MEANING_FILE = DATA / "queries_meaning.jsonl"  # cross-lingual, paraphrase, question, phrase (docs/relevance.md)
QUERY_FILES = (QUERIES_FILE, MEANING_FILE)  # every judged query file ``build`` keeps in step


def load_bank() -> dict:
    return json.loads(BANK_FILE.read_text(encoding="utf-8"))


def build_corpus(out: Path | None) -> tuple[list[dict], dict[str, Path]]:
    """Generate the corpus (PDFs in ``out`` if given, else only in memory); returns its facts and paths."""
    bank = load_bank()
    specs = generate_specs(bank)
    corpus, paths = [], {}
    tmp = None
    if out is None:
        tmp = tempfile.TemporaryDirectory(prefix="docsearch-relevance-")
        out = Path(tmp.name)
    out.mkdir(parents=True, exist_ok=True)
    try:
        for doc in specs:
            path = out / doc.collection / f"{doc.key}.pdf"
            path.parent.mkdir(exist_ok=True)
            data = render(doc)
            path.write_bytes(data)
            f = facts(doc, bank)
            f["sha256"] = hashlib.sha256(data).hexdigest()
            corpus.append(f)
            paths[doc.key] = path
    finally:
        if tmp is not None:
            tmp.cleanup()
            paths = {}
    return corpus, paths


def public(f: dict) -> dict:
    return {k: v for k, v in f.items() if not k.startswith("_")}


def load_queries(path: Path = QUERIES_FILE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_build(corpus: list[dict]) -> None:
    bank = load_bank()
    CORPUS_FILE.write_text("".join(json.dumps(public(f), ensure_ascii=False) + "\n" for f in corpus), encoding="utf-8")
    for path in QUERY_FILES:
        queries = load_queries(path)
        for q in queries:
            q["judgments"] = judge(q, corpus, bank)
        path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries), encoding="utf-8")


def check_build(corpus: list[dict], queries: list[dict]) -> list[str]:
    """Differences between the stored corpus/judgments and what the generator and rules give now."""
    bank = load_bank()
    problems = []
    stored = {json.loads(line)["key"]: json.loads(line) for line in CORPUS_FILE.read_text(encoding="utf-8").splitlines()}
    for f in corpus:
        old = stored.get(f["key"])
        if old is None:
            problems.append(f"{f['key']}: not in corpus.jsonl")
        elif {k: v for k, v in old.items() if k != "sha256"} != {k: v for k, v in public(f).items() if k != "sha256"}:
            problems.append(f"{f['key']}: generated content differs from corpus.jsonl")
    for q in queries:
        if judge(q, corpus, bank) != q.get("judgments"):
            problems.append(f"query {q['id']}: stored judgments differ from its rule")
    return problems
