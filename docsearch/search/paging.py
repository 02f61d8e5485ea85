"""Sort orders and paging tokens (``search_after``) of a search.

Relevance pages inside the re-ranked window go by offset (re-ranked hits carry no sort values); past it,
and for date sorts, by the sort values of the last hit. A token names its sort, so it cannot be replayed
against another one.
"""

from __future__ import annotations

import base64
import json
import math

from docsearch.search.request import MAX_RESULT_WINDOW, InvalidQuery


def sort_clause(sort: str, has_query: bool) -> list[dict]:
    if sort == "date_desc":
        return [{"year": {"order": "desc", "missing": "_last"}}, {"ingested_at": {"order": "desc"}}, {"id": "asc"}]
    if sort == "date_asc":
        return [{"year": {"order": "asc", "missing": "_last"}}, {"ingested_at": {"order": "asc"}}, {"id": "asc"}]
    if has_query:
        return [{"_score": {"order": "desc"}}, {"id": "asc"}]
    return [{"ingested_at": {"order": "desc"}}, {"id": "asc"}]


RESCORE_WINDOW = 100


def encode_after(sort: str, values: list | None = None, offset: int | None = None) -> str:
    """The next page's token: the sort values of the last hit, or (within the re-ranked window of a
    relevance search, whose hits carry no sort values) the offset of the next hit."""
    data = {"s": sort, "v": values} if values is not None else {"s": sort, "o": offset}
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _sort_value(value: object) -> bool:
    """A value a hit can sort by: a string, a finite number, an integer the engine's long holds."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str)


def decode_after(token: str, sort: str, length: int) -> dict:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        data = json.loads(raw)
        ok = data["s"] == sort
        if "o" in data:
            ok = (ok and isinstance(data["o"], int) and not isinstance(data["o"], bool)
                  and 0 <= data["o"] <= MAX_RESULT_WINDOW)
        else:
            values = data["v"]
            ok = ok and isinstance(values, list) and len(values) == length and all(map(_sort_value, values))
    except (ValueError, TypeError, KeyError, AttributeError):
        ok = False
    if not ok:
        raise InvalidQuery("search_after is not a token this search returned (it comes from next_search_after, "
                           "with the same sort).")
    return data

