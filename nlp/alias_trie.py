"""Many fixed names in one regular expression: alias keys and the character trie that matches them.

Invariants: a key (:func:`key_of`) is the folded alias with its separators collapsed to one space,
and a match is looked up by the key of its text. Inside an alias, a space, a hyphen, a slash or a comma matches any
run of spaces (line breaks too) or one of those marks (:data:`SEPARATOR`): ``UIF-Perú`` matches
``UIF Perú`` and ``UIF – Perú``. At each position the longest alias wins, and
:func:`compile_trie` matches only between word boundaries (``SBS`` is not found in ``SBSX``).

Used by the gazetteer (:mod:`nlp.gazetteer_matching`) and the topic cues of :mod:`nlp.metadata`.
"""

from __future__ import annotations

import re
from typing import Iterable

from nlp.text import fold_chars

__all__ = ["SEPARATOR", "compile_trie", "key_of", "trie_pattern"]

# A separator inside an alias: spaces (line breaks too) or one hyphen/slash/comma with optional spaces.
SEPARATOR = r"(?:\s*[-/,]\s*|\s+)"
_SEP_RUN = re.compile(SEPARATOR)
_EDGE_SEPARATORS = re.compile(r"^[\s\-/,]+|[\s\-/,]+$")


def key_of(text: str) -> str:
    """The lookup key of an alias or of a matched surface: folded, separators collapsed to one space."""
    return _SEP_RUN.sub(" ", _EDGE_SEPARATORS.sub("", fold_chars(text)))


def trie_pattern(keys: Iterable[str]) -> str:
    """One regular expression matching any of ``keys`` (as made by :func:`key_of`), longest first.

    The expression is a character trie: alternatives at each node begin with different
    characters, and an alias that is a prefix of another is an optional continuation,
    which the regex engine tries first (greedy) and gives up only if the longer one fails.
    """
    root: dict = {}
    for key in keys:
        if not key:
            continue
        node = root
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def atom(ch: str) -> str:
        return SEPARATOR if ch == " " else re.escape(ch)

    def emit(node: dict) -> str:
        ends_here = "" in node
        branches = [(ch, emit(child)) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        plain = [ch for ch, rest in branches if rest == "" and ch != " "]
        alternatives = [atom(ch) + rest for ch, rest in branches if not (rest == "" and ch != " ")]
        if len(plain) == 1:
            alternatives.append(re.escape(plain[0]))
        elif plain:
            alternatives.append("[" + "".join(re.escape(ch) for ch in plain) + "]")
        body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if ends_here:
            if len(alternatives) == 1 and len(body) == 1:
                return body + "?"
            return "(?:" + body + ")?"
        return body

    return emit(root)


def compile_trie(keys: Iterable[str]) -> re.Pattern:
    """:func:`trie_pattern` between word boundaries."""
    return re.compile(r"(?<!\w)(?:" + trie_pattern(keys) + r")(?!\w)")
