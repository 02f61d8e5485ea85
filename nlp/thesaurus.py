"""Query expansion from a Peruvian legal thesaurus: ``nlp/data/thesaurus.jsonl`` (``docs/thesaurus.md``).

Invariants
    * An entry is a set of terms, ``equal`` (they mean the same to a prosecutor) or ``related``
      (close, but not the same: ``incautación`` / ``decomiso``). A term is in at most one ``equal``
      entry, compared by its key (:func:`term_key`); ``related`` entries may share terms with anything.
    * A term's key is :func:`nlp.text.fold` of it, with a space, hyphen, slash or comma (and the
      spaces around them) read as one space and no space after a dot: ``D. Leg.`` and ``D.Leg.``,
      ``LA/FT`` and ``LA-FT``, ``pre-trial`` and ``pre trial`` are one key each.
    * Matching (:func:`expansions`) is case- and accent-insensitive, whole words only, and
      leftmost-longest: at the leftmost place where a term starts, the longest term wins, and the
      next match starts after it. Matches never overlap; each span slices its surface out of the
      text given (combining accents and all).
    * The case rule: a term whose letters are all capitals and at most three (``CP``, ``R.N.``,
      ``PBC``) matches only text written in capitals (``cp`` in ordinary text is not ``Código
      Penal``); longer capitals (``DIRANDRO``, ``IQBF``) match in any case.
    * An expansion lists the other terms of the matched term's ``equal`` entry (``alternatives``)
      and of its ``related`` entries (``related``, for the caller to weigh lower), each spelling
      once, none with the matched surface's own key. Relations are not transitive: an entry lists
      every term it means.

The table is read once per process through :mod:`nlp.resources`; a line it cannot use fails with
its line number (``thesaurus.jsonl:12: ...``). Only the standard library and :mod:`nlp` are imported.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from nlp.resources import load_jsonl
from nlp.text import fold

__all__ = ["DATA_FILE", "Entry", "Example", "Expansion", "entries", "exact_case", "expansions", "parse_entry", "term_key"]

DATA_FILE = "thesaurus.jsonl"
KINDS = ("abbreviation", "synonyms")
RELATIONS = ("equal", "related")
LANGS = ("es", "en", "la")
_FIELDS = {"id", "kind", "terms", "relation", "lang", "note", "examples"}

_SEPARATORS = re.compile(r"\s*[-/,]\s*|\s+")
_DOT_SPACE = re.compile(r"\.\s+")
# Inside a term, a space stands for any run of spaces (line breaks too) or one - / , with spaces around.
_SEPARATOR = r"(?:\s*[-/,]\s*|\s+)"
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Example:
    """``text`` holds a term of the entry, and ``finds`` is that match's surface; ``None``: no match of the entry."""

    text: str
    finds: str | None


@dataclass(frozen=True)
class Entry:
    """One line of the thesaurus. In an ``abbreviation``, ``terms[0]`` is the abbreviation and ``terms[1]`` what it stands for."""

    id: str
    kind: str
    terms: tuple[str, ...]
    relation: str
    lang: tuple[str, ...]
    note: str
    examples: tuple[Example, ...]
    line: int


@dataclass(frozen=True)
class Expansion:
    """A thesaurus term found in a query: its span, and what else to search for it."""

    start: int
    end: int
    surface: str
    alternatives: tuple[str, ...]  # the other terms of its equal entry: search them as the same thing
    related: tuple[str, ...]  # the other terms of its related entries: weigh them lower
    entries: tuple[str, ...]  # the ids of the entries it comes from

    @property
    def relation(self) -> str:
        """``equal`` when the match has equal alternatives, else ``related``."""
        return "equal" if self.alternatives else "related"


def _case_kept_fold(text: str) -> str:
    """:func:`fold` of each character, capitals kept (``Ó`` -> ``O``)."""
    return "".join(fold(ch).upper() if ch.isupper() else fold(ch) for ch in text)


def _normalise(folded: str) -> str:
    return _SEPARATORS.sub(" ", _DOT_SPACE.sub(".", folded)).strip(" ")


def term_key(text: str) -> str:
    """The key a term (or a matched surface) is compared by: ``"D. Leg."`` -> ``"d.leg."``."""
    return _normalise(fold(text))


def exact_case(term: str) -> bool:
    """The case rule: a term whose letters are all capitals, and at most three, matches only in capitals."""
    letters = [ch for ch in term if ch.isalpha()]
    return 0 < len(letters) <= 3 and all(ch.isupper() for ch in letters)


def _term_pattern(term: str) -> str:
    shape = _normalise(_case_kept_fold(term))
    parts = []
    for i, ch in enumerate(shape):
        if ch == " ":
            parts.append(_SEPARATOR)
        elif ch == "." and i + 1 < len(shape):
            parts.append(r"\.\s*")
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    if exact_case(term):
        body = f"(?-i:{body})"
    before = r"(?<!\w)" if re.match(r"\w", shape) else ""
    after = r"(?!\w)" if re.search(r"\w$", shape) else ""
    return before + body + after


def parse_entry(line: int, raw: object) -> Entry:
    def fail(message: str) -> ValueError:
        return ValueError(f"{DATA_FILE}:{line}: {message}")

    if not isinstance(raw, dict):
        raise fail("a line is a JSON object")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise fail(f"unknown fields {sorted(unknown)}")
    for name in ("id", "kind", "terms", "relation", "lang", "examples"):
        if name not in raw:
            raise fail(f"missing {name!r}")
    if not isinstance(raw["id"], str) or not _ID.fullmatch(raw["id"]):
        raise fail(f"id {raw['id']!r}: lower-case words joined by hyphens")
    if raw["kind"] not in KINDS:
        raise fail(f"kind {raw['kind']!r} is not one of {KINDS}")
    if raw["relation"] not in RELATIONS:
        raise fail(f"relation {raw['relation']!r} is not one of {RELATIONS}")
    terms = raw["terms"]
    if not isinstance(terms, list) or len(terms) < 2 or not all(isinstance(t, str) and term_key(t) for t in terms):
        raise fail("terms: at least two non-empty strings")
    if len({term_key(t) for t in terms}) != len(terms):
        raise fail("terms: two terms with the same key (they differ only in case, accents or separators)")
    lang = raw["lang"]
    if not isinstance(lang, list) or not lang or any(x not in LANGS for x in lang):
        raise fail(f"lang: a non-empty list of {LANGS}")
    examples = raw["examples"]
    if not isinstance(examples, list) or not examples:
        raise fail("examples: at least one")
    parsed = []
    for example in examples:
        if not isinstance(example, dict) or set(example) != {"text", "finds"} or not isinstance(example["text"], str):
            raise fail(f"example {example!r}: {{'text': ..., 'finds': surface or null}}")
        finds = example["finds"]
        if finds is not None and (not isinstance(finds, str) or finds not in example["text"]):
            raise fail(f"example {example!r}: 'finds' is a part of 'text', or null")
        parsed.append(Example(example["text"], finds))
    return Entry(raw["id"], raw["kind"], tuple(terms), raw["relation"], tuple(lang), raw.get("note", ""),
                 tuple(parsed), line)


@functools.cache
def entries() -> tuple[Entry, ...]:
    """The entries of ``nlp/data/thesaurus.jsonl``, in file order, each line's shape checked."""
    return tuple(parse_entry(line, raw) for line, raw in load_jsonl(DATA_FILE))


@dataclass(frozen=True)
class _Target:
    equal: tuple[str, ...]
    related: tuple[str, ...]
    entries: tuple[str, ...]


def _others(terms: list[str], key: str, skip: set[str]) -> tuple[str, ...]:
    out, seen = [], set(skip) | {key}
    for term in terms:
        k = term_key(term)
        if k not in seen:
            seen.add(k)
            out.append(term)
    return tuple(out)


@functools.cache
def _table() -> tuple[re.Pattern[str], dict[str, _Target]]:
    """The matcher over every term, longest first, and what each key expands to."""
    equal_of: dict[str, Entry] = {}
    related_of: dict[str, list[Entry]] = {}
    spelling: dict[str, str] = {}
    for entry in entries():
        for term in entry.terms:
            key = term_key(term)
            if key in spelling and exact_case(spelling[key]) != exact_case(term):
                raise ValueError(f"{DATA_FILE}:{entry.line}: {term!r} and {spelling[key]!r} have one key but two case rules")
            spelling.setdefault(key, term)
            if entry.relation == "related":
                related_of.setdefault(key, []).append(entry)
            elif key in equal_of:
                raise ValueError(f"{DATA_FILE}:{entry.line}: {term!r} is already in the equal entry "
                                 f"{equal_of[key].id!r} (line {equal_of[key].line})")
            else:
                equal_of[key] = entry
    targets = {}
    for key in spelling:
        same = equal_of.get(key)
        equal = _others(list(same.terms), key, set()) if same else ()
        near = related_of.get(key, [])
        related = _others([t for e in near for t in e.terms], key, {term_key(t) for t in equal})
        ids = ((same.id,) if same else ()) + tuple(e.id for e in near)
        targets[key] = _Target(equal, related, ids)
    # Longest first: an alternation takes the first alternative that matches, so at one position
    # the longest term wins (with the leftmost position from the scan, leftmost-longest).
    ordered = sorted(spelling.values(), key=lambda t: (-len(term_key(t)), term_key(t)))
    pattern = re.compile("|".join(_term_pattern(t) for t in ordered), re.IGNORECASE)
    return pattern, targets


def _folded_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """The case-kept folded text, and for each of its characters the span of the original it comes from.

    A character that folds to nothing (a combining accent) joins the span of the one before it.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0  # where the previous character's folded output begins in ``starts``
    for i, ch in enumerate(text):
        folded = _case_kept_fold(ch)
        if not folded:
            for k in range(last, len(starts)):
                ends[k] = i + 1
            continue
        last = len(starts)
        out.append(folded)
        starts.extend([i] * len(folded))
        ends.extend([i + 1] * len(folded))
    return "".join(out), starts, ends


def expansions(text: str) -> list[Expansion]:
    """The thesaurus terms in ``text`` (a query), leftmost-longest, with what to search besides each."""
    pattern, targets = _table()
    folded, starts, ends = _folded_with_offsets(text)
    found = []
    for m in pattern.finditer(folded):
        start, end = starts[m.start()], ends[m.end() - 1]
        surface = text[start:end]
        target = targets[term_key(surface)]
        found.append(Expansion(start, end, surface, target.equal, target.related, target.entries))
    return found
