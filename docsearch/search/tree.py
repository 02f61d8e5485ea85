"""The tree a query becomes: words, phrases, prefixes, citations and ``field:value`` terms under AND, OR
and NOT; its reading in the query language (shown to the user), and the walks the search makes over it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Union

from docsearch.fields import Field as FieldSpec

Years = tuple[int | None, int | None]

# Typos are tried on words of 4 to 30 letters only: no legal word is longer, and the engine builds an edit
# automaton per fuzzy word before any time limit applies (a 1,000-letter word cost it 1.4 s).
MAX_FUZZY_CHARS = 30
_FUZZABLE = re.compile(r"\w{4,%d}" % MAX_FUZZY_CHARS)
_EDGES = "¿¡?!.,;:\"'()[]{}«»"


def fuzzable(word: str) -> bool:
    """Whether typos are tried on ``word``: 4 to 30 letters or digits, nothing else."""
    return _FUZZABLE.fullmatch(word) is not None


@dataclass(frozen=True)
class Synonym:
    """Words of a run (``text[start:end]``) the legal thesaurus (``nlp.thesaurus``) knows: the same thing is
    also searched as ``alternatives``; ``related`` terms only rank a document a little higher."""

    start: int
    end: int
    surface: str
    alternatives: tuple[str, ...]
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Words:
    """A run of plain words; ``fuzzy`` allows typos. A document with every word ranks first, then those with
    most of them (best match), unless the user asked for every word (``strict``: ``+word``, ``a AND b``)."""

    text: str
    fuzzy: bool = False
    strict: bool = False
    synonyms: tuple[Synonym, ...] = ()


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Prefix:
    text: str  # without the trailing '*'


@dataclass(frozen=True)
class Citation:
    type: str  # "law" | "case"
    canonical: str
    surface: str


@dataclass(frozen=True)
class FieldValue:
    """``name:value`` for a field of the registry; ``kind`` is word | phrase | prefix | range (``value`` is
    then ``(low, high)``)."""

    field: FieldSpec
    kind: str
    value: str | Years
    # For a person, company or criminal organisation: the names of the archive's identities this value is a
    # spelling of (``with_identities``), matched beside the value itself.
    names: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The field's name in the query language (``person``), whatever alias was typed."""
        return self.field.query or self.field.key

    @property
    def text(self) -> str:
        """The value of a word, phrase or prefix term."""
        return self.value if isinstance(self.value, str) else ""

    @property
    def years(self) -> Years:
        """The bounds of a range term (either may be open)."""
        return self.value if isinstance(self.value, tuple) else (None, None)


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class MatchAll:
    pass


Node = Union[Words, Phrase, Prefix, Citation, FieldValue, Not, And, Or, MatchAll]
Leaf = Union[Words, Phrase, Prefix, Citation, FieldValue]


def describe(node: Node) -> str:
    """The reading of a query, in the query language itself (shown to the user)."""
    if isinstance(node, MatchAll):
        return "*"
    if isinstance(node, Words):
        return " ".join(_describe_unit(unit, node) for unit in units(node))
    if isinstance(node, Phrase):
        return f'"{node.text}"'
    if isinstance(node, Prefix):
        return f"{node.text}*"
    if isinstance(node, Citation):
        return f"{node.type}:\"{node.canonical}\""
    if isinstance(node, FieldValue):
        if node.kind == "range":
            low, high = node.years
            if low == high:
                return f"{node.name}:{low}"
            return f"{node.name}:{low or ''}..{high or ''}"
        if node.kind == "phrase":
            return f'{node.name}:"{node.value}"'
        return f"{node.name}:{node.value}{'*' if node.kind == 'prefix' else ''}"
    if isinstance(node, Not):
        return f"NOT {describe(node.child)}"
    if isinstance(node, And):
        return " ".join(_group(c) for c in node.children)
    if isinstance(node, Or):
        return " OR ".join(_group(c, in_or=True) for c in node.children)
    raise TypeError(node)


def units(node: Words) -> list[str | Synonym]:
    """A run of words as what it searches: its words one by one, and each term the thesaurus knows as one."""
    out: list[str | Synonym] = []
    at = 0
    for synonym in node.synonyms:
        out.extend(node.text[at:synonym.start].split())
        out.append(synonym)
        at = synonym.end
    out.extend(node.text[at:].split())
    return out


def _describe_unit(unit: str | Synonym, node: Words) -> str:
    if isinstance(unit, Synonym):
        terms = (unit.surface,) + unit.alternatives
        return "(" + " OR ".join(f'"{t}"' if " " in t else t for t in terms) + ")"
    return ("+" if node.strict else "") + unit + ("~" if node.fuzzy else "")


def _group(node: Node, in_or: bool = False) -> str:
    text = describe(node)
    if isinstance(node, Or) or (in_or and isinstance(node, And)):
        return f"({text})"
    return text


def positives(node: Node) -> list[Leaf]:
    """The leaves a document is searched FOR (not under NOT): what snippets should mark."""
    if isinstance(node, (And, Or)):
        return [leaf for child in node.children for leaf in positives(child)]
    if isinstance(node, Not) or isinstance(node, MatchAll):
        return []
    return [node]


def has_fuzzable(node: Node) -> bool:
    """True when the query has plain words that typo tolerance could help (:func:`fuzzable` ones)."""
    return any(isinstance(leaf, Words) and not leaf.fuzzy
               and any(isinstance(unit, str) and fuzzable(unit.strip(_EDGES)) for unit in units(leaf))
               for leaf in positives(node))


def with_identities(node: Node, names_of: Callable[[str, str], tuple[str, ...]]) -> Node:
    """The same query with each ``person:``/``org:``/``criminal_org:`` word or phrase also matching the identities
    ``names_of(type, value)`` gives: ``person:"Juan Pérez Gómez"`` finds the documents that name him ``Juan Carlos
    Pérez Gómez`` (docsearch.identities)."""
    if isinstance(node, FieldValue):
        if node.kind in ("word", "phrase") and node.field.entity and (names := names_of(node.field.entity, node.text)):
            return replace(node, names=names)
        return node
    if isinstance(node, (And, Or)):
        return type(node)(tuple(with_identities(c, names_of) for c in node.children))
    if isinstance(node, Not):
        return Not(with_identities(node.child, names_of))
    return node


def with_fuzzy(node: Node) -> Node:
    """The same query with every plain word typo-tolerant."""
    if isinstance(node, Words):
        return Words(node.text, fuzzy=True, strict=node.strict, synonyms=node.synonyms)
    if isinstance(node, And):
        return And(tuple(with_fuzzy(c) for c in node.children))
    if isinstance(node, Or):
        return Or(tuple(with_fuzzy(c) for c in node.children))
    if isinstance(node, Not):
        return node  # an exclusion stays exact
    return node
