"""The warnings of a search, each with a stable code: a client says them in its own language by their code and
values (``query.notices``), and shows the English message only for a code it does not know.

A warning stays a string (its English message, as ``query.warnings`` lists them), with its code and values
beside it: :class:`Notice`.
"""

from __future__ import annotations

from typing import Any

# Every code a search warning has, and what it says (tests/test_messages_by_code.py keeps the front end's table
# of them, frontend/js/i18n-values.js, in step with this one).
WARNING_CODES: dict[str, str] = {
    "unclosed_quote": "A quote was not closed: read as a phrase to the end (position).",
    "empty_field": "A field name had no value after the colon: read as a word (position, word).",
    "unmatched_bracket": "A closing bracket without its opening one was ignored (position).",
    "or_nothing_after": "'OR' had nothing after it and was ignored (position).",
    "or_nothing_before": "'OR' had nothing before it and was ignored (position).",
    "and_nothing_before": "'AND' had nothing before it and was ignored (position).",
    "and_nothing_after": "'AND' had nothing after it and was ignored (position).",
    "exclude_nothing": "An exclusion ('-', '!', NOT) had nothing after it and was ignored (position, operator).",
    "bracket_unclosed": "A bracket was not closed; closed at the end (position).",
    "brackets_empty": "Brackets held nothing to search for (position).",
    "phrase_empty": "A phrase had no words and was ignored (position).",
    "unknown_field": "A name before a colon is not a field; it was read as words (field, fields).",
    "typos_allowed": "No document had the exact words; documents with similar words are shown.",
    "typos_time_limit": "The search for similar words stopped at its time limit.",
    "meaning_unavailable": "Search by meaning is not available on this index until it is rebuilt.",
}


class Notice(str):
    """A warning: its English message (the string itself), its ``code`` and the values it names (``params``)."""

    code: str
    params: dict[str, Any]

    def __new__(cls, code: str, message: str, **params: Any) -> Notice:
        if code not in WARNING_CODES:
            raise ValueError(f"not a warning code: {code}")
        made = super().__new__(cls, message)
        made.code, made.params = code, params
        return made


def notices(warnings: list[str]) -> list[dict[str, Any]]:
    """The warnings as the API lists them in ``query.notices``; one without a code is ``other``."""
    return [{"code": w.code, "message": str(w), "params": dict(w.params)} if isinstance(w, Notice)
            else {"code": "other", "message": str(w), "params": {}} for w in warnings]
