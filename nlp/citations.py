"""Legal citations in Peruvian text: case identifiers (``case``) and legal instruments (``law``).

In the style of eyecite: **clean → find → normalise**.

* *clean* (:func:`prepare`): the text is mapped to a matching copy of **the same length**: one
  spelling for exotic spaces, dashes, degree signs (``º`` → ``°``) and quotes; OCR's ``O`` and ``l``
  inside numbers read as ``0`` and ``1`` (``2O19``, ``l5``); decomposed accents composed with an
  offset map. Every span found points back at the input.
* *find*: the patterns are data, ``nlp/data/citations.jsonl``, one JSON object per line:

  - ``{"define": NAME, "regex": ..., "query_regex": ...}``: a shared sub-pattern, substituted where
    a regex (or a later define) says ``{NAME}``; ``query_regex``, when given, is used for user
    queries. ``{"define": NAME, "values": [...]}`` builds an accent-tolerant alternation of names
    (the judicial districts; ``"upper_only": true`` makes it upper case only in documents), and
    ``{"define": "CODE", "codes": [...]}`` the codes cited by article, with their canonical name
    and last article;
  - a pattern: ``type``, ``kind``, ``regex`` (compiled with ``re.IGNORECASE | re.UNICODE``; a
    part that must keep its case says ``(?-i:...)``), ``canonical`` (a template over the named
    groups: ``"Casación {number}[/{district}]"``, a ``[...]`` part is left out when a group in it is
    empty), ``normalize`` (group → ``ident``, ``int``, ``pad3``, ``ordinal``, ``title``, ``suffix``,
    ``district``, ``code``), ``range`` (group → ``[min, max]``), ``split`` (``list``: one mention per
    number of ``item`` in group ``numbers``; ``articles``: the code-article grammar below),
    ``reject_before`` (a regex the text just before must not end with), ``examples`` (``[text,
    [canonical, ...]]`` that the pattern must find, checked by the tests) and ``not`` (texts it must
    not match).
* *normalise*: each match becomes one :class:`~nlp.types.Mention`, or several for an enumeration
  (``arts. 296 y 297 del Código Penal``: the first spans ``arts. 296``, the last ``297 del Código
  Penal``), with the canonical form of ``docs/entities.md``. Overlapping matches are resolved
  leftmost-longest. An article "del mismo código" takes the code of the nearest legal instrument
  named before it in the same text, if that is one of the codes.

Abbreviations that are also initials (``DL``, ``DS``, ``RN``, ``AP``) are upper case only in
documents but any case in user queries (:func:`citations_in_query`, :func:`normalize_citation`),
where people type ``dl 1106``.

Only the standard library and :mod:`nlp.resources`, :mod:`nlp.text` and :mod:`nlp.types` are imported.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterator

from nlp.resources import load_jsonl
from nlp.text import fold, repair_ocr_digits
from nlp.types import Mention

DATA_FILE = "citations.jsonl"

__all__ = [
    "CitationPattern",
    "citations_in_query",
    "find_citations",
    "normalize_citation",
    "patterns",
    "prepare",
]

# --------------------------------------------------------------------------------------------------
# clean: an offset-preserving matching copy of the text
# --------------------------------------------------------------------------------------------------

# One character for one character, so offsets survive.
_TRANSLATE = str.maketrans(
    {
        "\u00a0": " ",  # no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u202f": " ",  # narrow no-break space
        "\t": " ",
        "\r": "\n",
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash (PDFs write "1234–2018")
        "\u2212": "-",  # minus
        "\u00ba": "°",  # masculine ordinal: "Nº", "296º"
        "\u02da": "°",  # ring above
        "\u2070": "°",  # superscript zero
        "\u2019": "'",
        "\u2018": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ad": "-",  # soft hyphen
    }
)


# str.translate with a dict is slow on non-ASCII text; a regex finds the few characters to map.
_TO_TRANSLATE = re.compile("[" + "".join(re.escape(chr(c)) for c in _TRANSLATE) + "]")


def _translate(text: str) -> str:
    if not _TO_TRANSLATE.search(text):
        return text
    return _TO_TRANSLATE.sub(lambda m: _TRANSLATE[ord(m.group(0))], text)


def prepare(text: str) -> tuple[str, list[int] | None]:
    """The matching copy of ``text`` and, when it differs in length, a map of its offsets.

    ``offsets[i]`` is the offset in ``text`` of character ``i`` of the copy (one extra entry maps the
    end). ``None`` means the copy has the same length and offsets are the same. The copy has one
    spelling for spaces, dashes, degree signs and quotes, and OCR's ``O``/``l`` inside numbers read
    as ``0``/``1``.
    """
    if unicodedata.is_normalized("NFC", text):
        return repair_ocr_digits(_translate(text)), None
    out: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        out.append(piece)
        offsets.extend([i] * len(piece))
        i = j
    offsets.append(n)
    return repair_ocr_digits(_translate("".join(out))), offsets


def _span(offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    if offsets is None:
        return start, end
    # The end maps to the start of the next cluster, so combining marks of the last letter are kept.
    return offsets[start], offsets[end]


# --------------------------------------------------------------------------------------------------
# patterns (data) and their compilation
# --------------------------------------------------------------------------------------------------

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
class _Defines:
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
            self.text[name] = self.query[name] = f"(?:{alternation})(?![\\w])"
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


@dataclass
class _Candidate:
    start: int
    end: int
    order: int
    mentions: list[tuple[str, int, int]]  # (canonical, start, end) in the matching copy
    type: str
    code: tuple[str, int] | None = None  # the code a law mention names, if any
    pattern: CitationPattern | None = None
    match: re.Match | None = None  # kept for an anaphor ("del mismo código"), read once its code is known


# Optional parts of a canonical template: "Casación {number}[/{district}]".
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_FIELD = re.compile(r"\{([a-z_]+)\}")


def _fill(template: str, values: dict[str, str]) -> str:
    def optional(m: re.Match) -> str:
        names = _FIELD.findall(m.group(1))
        return m.group(1) if all(values.get(n) for n in names) else ""

    return _FIELD.sub(lambda m: values.get(m.group(1)) or "", _OPTIONAL.sub(optional, template))


def _ident(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def _int(value: str) -> str:
    digits = re.sub(r"[\s.,']", "", value)
    return str(int(digits))


def _first_component(value: str, fn) -> str:
    value = _ident(value)
    head, sep, rest = value.partition("-")
    return fn(head) + sep + rest


_NORMALIZERS = {
    "ident": _ident,  # "00123-2017-5-1826-jr-pe-03" -> "00123-2017-5-1826-JR-PE-03"
    "int": _int,  # "30.077", "30 077", "01106" -> "30077", "1106"
    "pad3": lambda v: _first_component(v, lambda h: h.zfill(3)),  # "4-2017-JUS" -> "004-2017-JUS"
    "ordinal": lambda v: _first_component(v, lambda h: str(int(h))),  # "03-2010" -> "3-2010"
    "title": lambda v: " ".join(v.split()).title(),
    "suffix": lambda v: re.sub(r"\s+", "", v).upper(),
}

# Articles: the tokens inside the enumeration of an article phrase.
_ART_TOKENS = re.compile(
    r"(?P<subs>incisos|incs\.|numerales|literales|lits\.)"
    r"|(?P<sub>inciso|inc\.?|numeral|num\.|literal|lit\.)(?![\w])"
    r"|(?P<par>p[áa]rrafos?)"
    r"|(?P<num>(?<![\w])\d{1,4}(?:\s?\.?°|o(?![\w]))?(?:\s?-\s?[a-z](?![\w]))?(?:\s?°)?)"
    r"|(?P<let>(?<![\w])[a-z](?![\w]))(?P<paren>\s?\))?",
    re.I,
)
_SUB_WORD = {"inc": "inc.", "num": "inc.", "lit": "lit."}


def _sub_kind(word: str) -> str:
    return _SUB_WORD[fold(word)[:3]]


_FLAGS = re.IGNORECASE | re.UNICODE


class CitationPattern:
    """One line of ``citations.jsonl``: a regex, how to read its groups, and its examples."""

    def __init__(self, spec: dict, defines: _Defines, order: int):
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
        self._defines = defines
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
            self._regex_query = re.compile(self._defines.substitute(self.spec["regex"], query=True), _FLAGS)
        return self._regex_query

    # -- reading one match ------------------------------------------------------------------------

    def _value(self, name: str, raw: str | None) -> str | None:
        if raw is None or raw == "":
            return None
        how = self.normalize.get(name)
        if how == "district":
            return self._defines.district(raw)
        if how == "code":
            code = self._defines.code(raw)
            return code[0] if code else None
        if how:
            return _NORMALIZERS[how](raw)
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

    def _read(self, m: re.Match) -> list[tuple[str, int, int]]:
        if self.split == "articles":
            return self._articles(m)
        values = {}
        for name, raw in m.groupdict().items():
            if name == "numbers":
                continue
            values[name] = self._value(name, raw)
            if not self._in_range(name, values[name]):
                return []
        if self.split == "list":
            group = m.group("numbers")
            base = m.start("numbers")
            items = []
            for im in self.item.finditer(group):
                number = self._value("number", im.group(0))
                if not self._in_range("number", number):
                    return []
                items.append((_fill(self.canonical, {**values, "number": number}), base + im.start(), base + im.end()))
            return _tile(items, m.start(), m.end())
        return [(_fill(self.canonical, values), m.start(), m.end())]

    def _articles(self, m: re.Match, code: tuple[str, int] | None = None) -> list[tuple[str, int, int]]:
        """One leaf per article, or per sub-number of an article: ``art. 297, incisos 6 y 7``.

        ``code`` is given for an anaphor (``del mismo código``) once the code it refers to is known.
        """
        if code is None:
            code = self._defines.code(m.group("code") or "")
        if code is None:
            return []
        code_name, max_article = code
        leaves: list[tuple[str, int, int]] = []  # (canonical, start, end)
        article: tuple[str, int, int] | None = None  # (number, start, end)
        subs: list[tuple[str, int, int]] = []  # ("inc. 6", start, end) of the current article

        def flush() -> None:
            if article is None:
                return
            label = f"{code_name} art. {article[0]}"
            if not subs:
                leaves.append((label, article[1], article[2]))
            for i, (sub, s, e) in enumerate(subs):
                leaves.append((f"{label} {sub}", article[1] if i == 0 else s, e))

        for kind, value, s, e in _art_tokens(m.group("items"), m.start("items")):
            if kind == "art":
                flush()
                number = _article_number(value, max_article)
                article = (number, s, e) if number else None  # a rejected number drops its sub-numbers too
                subs = []
            elif article is not None:
                _add_sub(subs, kind, value, s, e)
        flush()
        if m.groupdict().get("pre") and len(leaves) == 1 and leaves[0][0].endswith(f"art. {article[0]}"):
            # "incisos 6 y 7 del artículo 297 del Código Penal"
            pre: list[tuple[str, int, int]] = []
            for kind, value, s, e in _art_tokens(m.group("pre"), m.start("pre")):
                if kind != "art":
                    _add_sub(pre, kind, value, s, e)
            if pre:
                leaves = [(f"{leaves[0][0]} {sub}", s, e) for sub, s, e in pre]
        if not leaves:
            return []
        return _tile(leaves, m.start(), m.end())

    # -- finding ------------------------------------------------------------------------------------

    def candidates(self, clean: str, query: bool = False) -> Iterator[_Candidate]:
        regex = self.regex_query if query else self.regex_text
        for m in regex.finditer(clean):
            if self.reject_before is not None and self.reject_before.search(clean, max(0, m.start() - 40), m.start()):
                continue
            groups = m.groupdict()
            if groups.get("anaphor"):
                yield _Candidate(m.start(), m.end(), self.order, [], self.type, None, self, m)
                continue
            mentions = self._read(m)
            if mentions:
                code = self._defines.code(groups["code"]) if groups.get("code") else None
                yield _Candidate(m.start(), m.end(), self.order, mentions, self.type, code)

    def find(self, text: str, query: bool = False) -> list[Mention]:
        """This pattern's mentions in ``text`` (the tests run every pattern on its own examples)."""
        clean, offsets = prepare(text)
        return _mentions(text, offsets, _anaphors(clean, _resolve(self.candidates(clean, query))))


def _art_tokens(text: str, base: int) -> Iterator[tuple[str, str, int, int]]:
    """``("art", "296", s, e)``, ``("sub", "inc. 6", s, e)`` or ``("nest", "inc. 1 lit. a", s, e)``.

    Conjunctions, ranges ("296 al 298": both ends are read) and paragraphs are dropped. After a
    singular sub-word ("inciso") one value is read, after a plural one ("incisos") as many as follow;
    a number of three digits or more is an article again.
    """
    sub_kind: str | None = None
    sub_mode: str | None = None  # "one" after "inciso", "many" after "incisos"
    parent: str | None = None  # the last "inc. N": a "literal" that follows nests under it
    for t in _ART_TOKENS.finditer(text):
        s, e = base + t.start(), base + t.end()
        if t.group("subs") or t.group("sub"):
            sub_kind = _sub_kind(t.group(0))
            sub_mode = "many" if t.group("subs") else "one"
            if sub_kind == "inc.":
                parent = None
            continue
        if t.group("par"):
            sub_kind = sub_mode = parent = None
            continue
        letter = t.group("let")
        value = (letter or t.group("num")).strip()
        if letter and sub_mode == "many" and (sub_kind != "lit." or letter.lower() in "yeo" and not t.group("paren")):
            continue  # "incisos 6 y 7": a conjunction, not a sub-number
        if sub_mode is not None and (letter or len(value) <= 2):
            label = f"{sub_kind} {value.lower()}"
            if sub_kind == "lit." and parent:
                yield "nest", f"{parent} {label}", s, e
            else:
                yield "sub", label, s, e
                if sub_kind == "inc.":
                    parent = label
            if sub_mode == "one":
                sub_mode = None
            continue
        if letter:
            continue  # "y", "e", "o", "a" (a range) between articles
        sub_kind = sub_mode = parent = None
        yield "art", value, s, e


def _add_sub(subs: list[tuple[str, int, int]], kind: str, value: str, s: int, e: int) -> None:
    parent = value.rsplit(" lit. ", 1)[0]
    if kind == "nest" and subs and subs[-1][0] == parent:
        subs[-1] = (value, subs[-1][1], e)  # "numeral 1, literal a)" is one leaf: "inc. 1 lit. a"
    else:
        subs.append((value, s, e))


def _article_number(value: str, max_article: int) -> str | None:
    """``296``, ``296-A``; ``2682`` read as ``268°`` when 2682 is past the code's last article."""
    m = re.match(r"(\d+)\s?\.?(°|o)?\s?(?:-\s?([a-z]))?", value.strip(), re.I)
    digits, letter = m.group(1), m.group(3)
    number = int(digits)
    if number > max_article:
        # OCR read the degree sign of "268°" as a digit: accept only when the number cannot be an article.
        if len(digits) == 4 and digits[-1] in "029" and 1 <= int(digits[:3]) <= max_article:
            number = int(digits[:3])
        else:
            return None
    if number < 1:
        return None
    return f"{number}-{letter.upper()}" if letter else str(number)


def _tile(items: list[tuple[str, int, int]], start: int, end: int) -> list[tuple[str, int, int]]:
    """Spans of an enumeration: the first item starts at the phrase, the last ends with it."""
    if not items:
        return []
    items = list(items)
    c, s, e = items[0]
    items[0] = (c, start, e)
    c, s, e = items[-1]
    items[-1] = (c, s, end)
    return items


def _resolve(candidates: Iterator[_Candidate] | list[_Candidate]) -> list[_Candidate]:
    """Leftmost-longest: of overlapping matches keep the one that starts first, then the longest."""
    chosen: list[_Candidate] = []
    last_end = -1
    for c in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start), c.order)):
        if c.start >= last_end:
            chosen.append(c)
            last_end = c.end
    return chosen


def _anaphors(clean: str, chosen: list[_Candidate]) -> list[_Candidate]:
    """Read "del mismo código" with the code of the nearest legal instrument named before it.

    The nearest instrument must be one of the codes cited by article (a ``Ley`` or the Código Civil
    in between leaves the anaphor unread). Only the text given is looked at (a page, a query).
    """
    if not any(c.match is not None for c in chosen):
        return chosen
    defines = next(c.pattern._defines for c in chosen if c.match is not None)
    others = [m.end() for m in defines.other_code().finditer(clean)]
    out: list[_Candidate] = []
    last: tuple[int, tuple[str, int] | None] = (-1, None)  # (end, code) of the nearest instrument so far
    for c in chosen:
        if c.match is not None:
            other_end = max((e for e in others if e <= c.start), default=-1)
            code = last[1] if last[0] > other_end else None
            mentions = c.pattern._articles(c.match, code) if code else []
            if mentions:
                out.append(_Candidate(c.start, c.end, c.order, mentions, c.type, code))
                last = (c.end, code)
            continue
        out.append(c)
        if c.type == "law":
            last = (c.end, c.code)
    return out


def _mentions(text: str, offsets: list[int] | None, chosen: list[_Candidate]) -> list[Mention]:
    out = []
    for c in chosen:
        for canonical, s, e in c.mentions:
            start, end = _span(offsets, s, e)
            out.append(Mention(c.type, canonical, text[start:end], start, end))
    return out


@functools.cache
def patterns() -> tuple[CitationPattern, ...]:
    """The patterns of ``citations.jsonl``, compiled once per process when first needed."""
    defines = _Defines()
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


# --------------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------------


def _find(text: str, query: bool) -> list[Mention]:
    if not text:
        return []
    clean, offsets = prepare(text)
    candidates = [c for p in patterns() for c in p.candidates(clean, query)]
    return _mentions(text, offsets, _anaphors(clean, _resolve(candidates)))


def find_citations(text: str) -> list[Mention]:
    """Case identifiers and legal instruments in a document's text, in reading order."""
    return _find(text, query=False)


def citations_in_query(q: str) -> list[Mention]:
    """Citations inside a free query string (abbreviations in any case: ``dl 1106``, ``art 296 cp``)."""
    return _find(q, query=True)


def normalize_citation(text: str) -> str | None:
    """The canonical form when the whole of ``text`` is one citation (``"DL 1106"`` → ``"Decreto Legislativo 1106"``)."""
    stripped = text.strip().rstrip(".,;:")
    found = citations_in_query(stripped)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(stripped):
        return found[0].canonical
    return None
