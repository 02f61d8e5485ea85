"""The citation pattern table: ``nlp/data/citations.jsonl`` loaded, compiled and read match by match.

Invariants: the table is compiled once per process, when first needed (:func:`patterns`); a line
it cannot read fails with its line number (``citations.jsonl:12: ...``). A ``{NAME}`` in a regex
must be defined on an earlier line. Each pattern has a regex for documents and one for user
queries; they differ only where a define gives a ``query_regex`` or is ``upper_only``
(abbreviations that are also initials, ``DL``, ``DS``, ``RN``, ``AP``, are upper case only in
documents, any case in queries). The query regex is compiled on first use.

The format of the lines (defines and patterns) is described in :mod:`nlp.citations`.

Only the standard library and modules of :mod:`nlp` are imported.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from nlp.citation_articles import article_leaves
from nlp.citation_finding import find_with
from nlp.citation_forms import NORMALIZERS, fill, tile
from nlp.resources import load_jsonl
from nlp.text import fold
from nlp.types import Mention

DATA_FILE = "citations.jsonl"

__all__ = ["DATA_FILE", "CitationPattern", "Defines", "patterns"]

_DEFINE_REF = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_ACCENTS = {"a": "aá", "e": "eé", "i": "ií", "o": "oó", "u": "uúü", "n": "nñ"}


def _tolerant(name: str, upper: bool = False) -> str:
    """A regex for ``name`` with accents optional and any whitespace between its words."""
    parts = []
    for letter in name:
        ch = fold(letter).upper() if letter.isupper() else fold(letter)  # the letter without its accent
        if ch == " ":
            parts.append(r"\s+")
        elif ch.lower() in _ACCENTS:
            chars = _ACCENTS[ch.lower()]
            parts.append("[" + (chars.upper() if upper else chars) + "]")
        else:
            parts.append(re.escape(ch.upper() if upper else ch))
    return "".join(parts)


def _key(text: str) -> str:
    return " ".join(fold(text).split())


@dataclass
class Defines:
    """Shared sub-patterns for the text and the query mode, plus the lookups they bring."""

    text: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    districts: dict[str, str] = field(default_factory=dict)  # key -> canonical name
    codes: list[tuple[re.Pattern, str, int]] = field(default_factory=list)  # (full match, name, max article)
    _other_code: re.Pattern | None = None

    def other_code(self) -> re.Pattern:
        """Names of the codes that are not cited by article here (Código Civil, ...)."""
        if self._other_code is None:
            self._other_code = re.compile(self.text.get("OTHER_CODE", "(?!)"), re.I)
        return self._other_code

    def substitute(self, regex: str, query: bool) -> str:
        table = self.query if query else self.text

        def repl(m: re.Match) -> str:
            name = m.group(1)
            if name not in table:
                raise KeyError(f"citations.jsonl: undefined sub-pattern {{{name}}}")
            return table[name]

        return _DEFINE_REF.sub(repl, regex)

    def add(self, spec: dict) -> None:
        name = spec["define"]
        if "values" in spec:  # a list of names, each [canonical, alias, ...]
            names = []
            for entry in spec["values"]:
                entry = [entry] if isinstance(entry, str) else entry
                for alias in entry:
                    self.districts[_key(alias)] = entry[0]
                    names.append(alias)
            names.sort(key=len, reverse=True)  # "Lima Norte" before "Lima"
            alternation = "|".join(_tolerant(n) for n in names)
            # A guard on the first letter: where a pattern starts with the names, it skips most
            # positions at once (13 ms -> 8 ms per 400 KB for the kinds of document).
            firsts = sorted({c for n in names for c in _ACCENTS.get(fold(n[0]).lower(), fold(n[0]).lower())})
            guard = "(?=[" + "".join(re.escape(c) + re.escape(c.upper()) for c in firsts) + "])"
            self.text[name] = self.query[name] = f"{guard}(?:{alternation})(?![\\w])"
            if spec.get("upper_only"):
                upper = "|".join(_tolerant(n, upper=True) for n in names)
                self.text[name] = f"(?-i:(?:{upper})(?![\\w]))"
            return
        if "codes" in spec:  # the codes whose articles are cited
            alternation = []
            for code in spec["codes"]:
                regex = self.substitute(code["regex"], query=False)
                self.codes.append((re.compile(regex + r"\Z", re.I), code["name"], int(code["max_article"])))
                alternation.append(regex)
            self.text[name] = self.query[name] = "(?:" + "|".join(alternation) + ")"
            return
        self.text[name] = self.substitute(spec["regex"], query=False)
        self.query[name] = self.substitute(spec.get("query_regex", spec["regex"]), query=True)

    def district(self, text: str) -> str | None:
        return self.districts.get(_key(text))

    def code(self, text: str) -> tuple[str, int] | None:
        text = " ".join(text.split())
        for regex, name, max_article in self.codes:
            if regex.match(text):
                return name, max_article
        return None


_FLAGS = re.IGNORECASE | re.UNICODE
# A document's number-year and what follows it: "119-2022-MP-FN" -> tail "2022-MP-FN".
_YEAR_TAIL = re.compile(r"[\d. ]+?\s?-\s?(?P<tail>(?:19|20)\d{2}.*)\Z", re.S)


class CitationPattern:
    """One line of ``citations.jsonl``: a regex, how to read its groups, and its examples."""

    def __init__(self, spec: dict, defines: Defines, order: int):
        self.spec = spec
        self.type: str = spec["type"]
        self.kind: str = spec["kind"]
        self.canonical: str = spec["canonical"]
        self.order = order
        self.normalize: dict[str, str] = spec.get("normalize", {})
        self.ranges: dict[str, list[int]] = spec.get("range", {})
        self.split: str | None = spec.get("split")
        self.examples: list = spec.get("examples", [])
        self.counterexamples: list[str] = spec.get("not", [])
        self.defines = defines
        self.regex_text = re.compile(defines.substitute(spec["regex"], query=False), _FLAGS)
        self._regex_query: re.Pattern | None = None  # compiled on first use: most processes never see a query
        item = spec.get("item")
        self.item = re.compile(defines.substitute(item, query=True), re.I) if item else None
        before = spec.get("reject_before")
        self.reject_before = re.compile(before + r"\Z", re.I) if before else None

    def __repr__(self) -> str:
        return f"CitationPattern({self.type}/{self.kind})"

    @property
    def regex_query(self) -> re.Pattern:
        if self._regex_query is None:
            self._regex_query = re.compile(self.defines.substitute(self.spec["regex"], query=True), _FLAGS)
        return self._regex_query

    # -- reading one match ------------------------------------------------------------------------

    def _value(self, name: str, raw: str | None) -> str | None:
        if raw is None or raw == "":
            return None
        how = self.normalize.get(name)
        if how in ("district", "name"):  # the canonical name of a ``values`` define (a district, a kind of document)
            return self.defines.district(raw)
        if how == "code":
            code = self.defines.code(raw)
            return code[0] if code else None
        if how:
            return NORMALIZERS[how](raw)
        return " ".join(raw.split())

    def _in_range(self, name: str, value: str | None) -> bool:
        bounds = self.ranges.get(name)
        if bounds is None or value is None:
            return True
        try:
            number = int(re.sub(r"\D", "", value))
        except ValueError:
            return False
        return bounds[0] <= number <= bounds[1]

    def read(self, m: re.Match) -> list[tuple[str, int, int]]:
        """``(canonical, start, end)`` of each mention in a match of this pattern; ``[]`` when it reads as none."""
        if self.split == "articles":
            return self.articles(m)
        values = {}
        for name, raw in m.groupdict().items():
            if name == "numbers":
                continue
            values[name] = self._value(name, raw)
            if not self._in_range(name, values[name]):
                return []
        if self.split == "ref_list":
            return self.ref_list(m, values)
        if self.split == "list":
            group = m.group("numbers")
            base = m.start("numbers")
            items = []
            for im in self.item.finditer(group):
                number = self._value("number", im.group(0))
                if not self._in_range("number", number):
                    return []
                items.append((fill(self.canonical, {**values, "number": number}), base + im.start(), base + im.end()))
            return tile(items, m.start(), m.end())
        return [(fill(self.canonical, values), m.start(), m.end())]

    def ref_list(self, m: re.Match, values: dict[str, str | None]) -> list[tuple[str, int, int]]:
        """One mention per document of a list (``Oficios N° 118 y 119-2022-MP-FN``): a number written without
        its year takes the year and offices of the next number that has them; none when the last has no year."""
        assert self.item is not None, "a ref_list pattern has an item regex"
        base = m.start("numbers")
        items = [(im.group(0), base + im.start(), base + im.end()) for im in self.item.finditer(m.group("numbers"))]
        tails = [_YEAR_TAIL.match(raw) for raw, _, _ in items]
        if not items or tails[-1] is None:
            return []
        out = []
        for i, (raw, start, end) in enumerate(items):
            if tails[i] is None:
                raw = raw.strip() + "-" + next(t for t in tails[i:] if t is not None).group("tail")
            out.append((fill(self.canonical, {**values, "number": self._value("number", raw) or ""}), start, end))
        return tile(out, m.start(), m.end())

    def articles(self, m: re.Match, code: tuple[str, int] | None = None) -> list[tuple[str, int, int]]:
        """One leaf per article, or per sub-number of an article: ``art. 297, incisos 6 y 7``.

        ``code`` is given for an anaphor (``del mismo código``) once the code it refers to is known.
        """
        if code is None:
            code = self.defines.code(m.group("code") or "")
        if code is None:
            return []
        return article_leaves(m, code)

    def find(self, text: str, query: bool = False) -> list[Mention]:
        """This pattern's mentions in ``text`` (the tests run every pattern on its own examples)."""
        return find_with((self,), text, query)


@functools.cache
def patterns() -> tuple[CitationPattern, ...]:
    """The patterns of ``citations.jsonl``, compiled once per process when first needed."""
    defines = Defines()
    found: list[CitationPattern] = []
    for number, spec in load_jsonl(DATA_FILE):
        try:
            if "define" in spec:
                defines.add(spec)
            elif "type" in spec:
                found.append(CitationPattern(spec, defines, len(found)))
        except (ValueError, KeyError, re.error) as exc:
            raise ValueError(f"{DATA_FILE}:{number}: {exc}") from exc
    return tuple(found)
