"""The search's retry with typos allowed (when nothing holds the words as typed) is bounded: only words of 4 to
30 letters are tried with typos, a query without one is not retried at all, and the retry carries the
engine time limit DOCSEARCH_FUZZY_BUDGET_MS."""

from __future__ import annotations

from pathlib import Path

import pytest

from docsearch.search import SearchRequest, SearchService
from docsearch.search.parser import parse
from docsearch.search.tree import has_fuzzable
from tests import pdfs


@pytest.mark.parametrize("q, expected", [
    ("activso", True), ("¿lavado?", True), ("de la", False), ("a" * 31, False), ("a" * 1000, False),
    ("x" * 64 + " lavdo", True), ('"frase exacta"', False), ("NOT lavdo", False), ("ab12", True),
])
def test_only_words_of_4_to_30_letters_are_worth_a_retry_with_typos(q, expected):
    assert has_fuzzable(parse(q).tree) is expected


class Recording:
    """The real engine, with the bodies of the searches sent through it kept."""

    def __init__(self, engine):
        self._engine = engine
        self.bodies: list[dict] = []

    def search(self, index, body, **params):
        self.bodies.append(body)
        return self._engine.search(index, body, **params)

    def __getattr__(self, name):
        return getattr(self._engine, name)


@pytest.fixture(scope="module")
def corpus(live, tmp_path_factory):
    tmp: Path = tmp_path_factory.mktemp("fuzzy")
    pdf = pdfs.text_pdf(tmp / "activos.pdf", ["Sentencia sobre el lavado de activos de la organización Los Pulpos."])
    live.wait_batch(live.upload([pdf]))
    return live


def _search(live, q: str) -> tuple[dict, list[dict]]:
    engine = Recording(live.engine)
    service = SearchService(engine, live.settings)  # type: ignore[arg-type]
    out = service.search(SearchRequest.create(q=q, facets=False))
    return out, [b for b in engine.bodies if "size" in b and b.get("size")]


def test_a_typo_is_found_by_a_retry_within_its_time_limit(corpus):
    out, bodies = _search(corpus, "activso pulpos")
    assert out["total"] >= 1 and out["query"]["approximate"] is True
    retries = [b for b in bodies if "timeout" in b]
    assert retries and all(b["timeout"] == f"{corpus.settings.fuzzy_budget_ms}ms" for b in retries)
    assert "~" in repr(retries[0]["query"])


def test_a_long_unmatched_word_is_not_retried_with_typos(corpus):
    out, bodies = _search(corpus, "a" * 1000)
    assert out["total"] == 0 and out["query"]["approximate"] is False
    assert not any("timeout" in b or "~" in repr(b.get("query")) for b in bodies)
