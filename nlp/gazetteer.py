"""Gazetteer of institutions and drugs: fixed names found in text by their aliases.

The names and their aliases live in ``nlp/data/institutions.jsonl`` and
``nlp/data/drugs.jsonl`` (one JSON object a line: ``canonical``, ``kind``,
``aliases`` and, for drugs, optional ``context_aliases``). The canonical forms
are the ones of ``docs/entities.md``.

Matching
    Text and aliases are *folded* (lowercase, accents dropped, º read as °,
    dashes read as ``-``) one character for one character, so a match in the
    folded text is a span of the original text. Inside an alias, a space, a
    hyphen, a slash or a comma matches any run of spaces (line breaks too) or
    one of those marks: ``UIF-Perú`` matches ``UIF Perú`` and ``UIF – Perú``.
    All aliases are compiled into one regular expression shaped as a
    character trie, so at each position the longest alias wins, and a match
    must start and end at word boundaries (``SBS`` is not found in ``SBSX``).
    Soft hyphens, combining accents and a hyphen at a line end inside a word
    (``Especia-\\nlizada``, OCR's ``DI-\\nRANDRO``) are skipped, and OCR's digits
    for letters inside words are read as letters (``c1orhidrato``, ``DlRANDRO``);
    spans still point at the original text.

Precision rules
    * An alias written in capitals without spaces (an acronym: ``PNP``,
      ``SBS``, ``DEA``, ``PBC``) matches only text in capitals; an acronym of
      five letters or more also matches in title case (``Dirandro``,
      ``Sunat``), never in lowercase (``dea`` is a word).
    * ``context_aliases`` (``cal`` for óxido de calcio, ``éter``) are common
      words and count only next to another drug or chemical (within
      ``CONTEXT_CHARS`` characters) or after a quantity (``85 kg de cal``,
      ``sacos de cal``): "la cal de la pared" is not a chemical.
    * ``Dirección Antidrogas de la Policía Nacional del Perú (DIRANDRO)`` is one
      mention: a name followed by its own acronym in parentheses is merged.
    * Police units also match with the ``PNP`` suffixes written in practice:
      ``DIRANDRO-PNP``, ``Dirección Antidrogas de la PNP``.

The data and the compiled expressions are loaded once per process, lazily.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from typing import Iterable

from nlp.resources import DATA_DIR, load_jsonl
from nlp.text import HYPHEN_BREAK, LOWER, SOFT_HYPHEN, UPPER, fold_chars, repair_ocr_digits
from nlp.types import Mention

INSTITUTIONS_FILE = DATA_DIR / "institutions.jsonl"
DRUGS_FILE = DATA_DIR / "drugs.jsonl"

INSTITUTION_KINDS = ("court", "prosecutor", "police", "agency")
DRUG_KINDS = ("drug", "plant", "chemical", "category")
CONTEXT_CHARS = 200

# ---------------------------------------------------------------------------
# Folding: one character in, one character out (nlp.text.fold_chars).
# ---------------------------------------------------------------------------

# What carries no letter and is skipped when matching: combining marks, zero-width characters, soft
# hyphens (with the line break after them), and a hyphen at a line end inside a word
# (nlp.text.HYPHEN_BREAK: "Especia-\nlizada", OCR's "DI-\nRANDRO"; "Lima-\nCallao" stays).
_DROP = re.compile(f"[\u0300-\u036f\u200b-\u200d\u2060\ufeff]+|{SOFT_HYPHEN}|{HYPHEN_BREAK}")
# OCR confusions inside words, fixed one character for one: "c1orhidrato", "DlRANDRO", "C0CAINA".
_OCR_ONE = re.compile(f"(?<=[{LOWER}{UPPER}])1(?=[{LOWER}])")
_OCR_ZERO = re.compile(f"(?<=[{UPPER}])0(?=[{UPPER}])|(?<=[{LOWER}])0(?=[{LOWER}])")
_OCR_ELL = re.compile(f"(?<=[{UPPER}])l(?=[{UPPER}])")


def ocr_repair(text: str) -> str:
    """Undo OCR's digit/letter confusions inside words and numbers, keeping the length of the text."""
    if "1" in text:
        text = _OCR_ONE.sub("l", text)
    if "0" in text:
        text = _OCR_ZERO.sub(lambda m: "O" if m.string[m.start() - 1].isupper() else "o", text)
    if "l" in text:
        text = _OCR_ELL.sub("I", text)
    return repair_ocr_digits(text)


class _OffsetMap:
    """Maps positions in a text with some spans removed back to positions in the original."""

    def __init__(self, kept: list[tuple[int, int]]):
        self.orig_starts = [start for start, _ in kept]
        self.new_starts = []
        total = 0
        for start, end in kept:
            self.new_starts.append(total)
            total += end - start

    def __call__(self, pos: int) -> int:
        k = bisect.bisect_right(self.new_starts, pos) - 1
        return self.orig_starts[k] + pos - self.new_starts[k]


def fold_with_map(text: str) -> tuple[str, str, _OffsetMap | None]:
    """(repaired text, folded text, offset map) — the map is ``None`` when nothing had to be dropped.

    The repaired text has the original's offsets (OCR repairs are one character for one); the folded
    text has no dropped characters, and the map takes its offsets back to the original's.
    """
    repaired = ocr_repair(text)
    drops = [m.span() for m in _DROP.finditer(repaired)]
    if not drops:
        return repaired, fold_chars(repaired), None
    kept, pos = [], 0
    for start, end in drops:
        if start > pos:
            kept.append((pos, start))
        pos = end
    if pos < len(repaired):
        kept.append((pos, len(repaired)))
    if not kept:
        return repaired, "", None
    folded = fold_chars("".join(repaired[s:e] for s, e in kept))
    return repaired, folded, _OffsetMap(kept)


def fold_plain(text: str) -> str:
    """:func:`~nlp.text.fold_chars` after OCR repairs and dropping what carries no letter (no offsets kept):
    the folded text of :func:`fold_with_map`, for text whose matches need no offsets."""
    return fold_chars(_DROP.sub("", ocr_repair(text)))


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


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GazetteerEntry:
    canonical: str
    kind: str
    aliases: tuple[str, ...]
    context_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Alias:
    entry: GazetteerEntry
    case: str  # "any" | "upper" (acronym: capitals only) | "upper_or_title"
    needs_context: bool


_LETTER = re.compile(r"[^\W\d_]")


def _case_rule(alias: str) -> str:
    letters = _LETTER.findall(alias)
    if " " in alias.strip() or not letters or any(ch.islower() for ch in letters):
        return "any"
    return "upper_or_title" if len(letters) >= 5 else "upper"


def _case_ok(surface: str, rule: str) -> bool:
    if rule == "any":
        return True
    letters = _LETTER.findall(surface)
    if all(ch.isupper() for ch in letters):
        return True
    if rule == "upper_or_title":
        return letters[0].isupper() and all(ch.islower() for ch in letters[1:])
    return False


# Police units are written with the PNP they belong to: "DIRANDRO-PNP", "Dirección Antidrogas de la PNP".
_POLICE_SUFFIXES = (" PNP", " de la PNP", " de la Policía Nacional del Perú", " de la Policía Nacional")


def _variants(entry: GazetteerEntry, alias: str) -> list[str]:
    out = [alias]
    if entry.kind == "police" and entry.canonical != "Policía Nacional del Perú":
        folded = fold_chars(alias)
        if "pnp" not in folded and "policia" not in folded:
            out += [alias + suffix for suffix in _POLICE_SUFFIXES]
    return out


class Gazetteer:
    """Aliases of a list of entries compiled into one trie expression."""

    def __init__(self, entries: list[GazetteerEntry], mention_type: str):
        self.entries = entries
        self.mention_type = mention_type
        self.by_canonical = {entry.canonical: entry for entry in entries}
        self._aliases: dict[str, _Alias] = {}
        for entry in entries:
            for alias in entry.aliases:
                for variant in _variants(entry, alias):
                    self._register(variant, _Alias(entry, _case_rule(variant), False))
            for alias in entry.context_aliases:
                self._register(alias, _Alias(entry, _case_rule(alias), True))
        self.pattern = compile_trie(self._aliases)

    def _register(self, alias: str, info: _Alias) -> None:
        key = key_of(alias)
        previous = self._aliases.get(key)
        if previous is not None:
            if previous.entry.canonical != info.entry.canonical:
                raise ValueError(f"alias {alias!r} names both {previous.entry.canonical!r} "
                                 f"and {info.entry.canonical!r}")
            # The same key written twice: keep the most tolerant case rule and context need.
            case = previous.case if previous.case == "any" or info.case == "upper" else info.case
            info = _Alias(info.entry, case, previous.needs_context and info.needs_context)
        self._aliases[key] = info

    def find(self, text: str) -> list[Mention]:
        repaired, folded, index = fold_with_map(text)
        found: list[tuple[int, int, _Alias]] = []
        pos = 0
        search = self.pattern.search
        while True:
            match = search(folded, pos)
            if match is None:
                break
            start, end = match.span()
            info = self._aliases.get(key_of(match.group()))
            if index is None:
                o_start, o_end = start, end
            else:
                o_start, o_end = index(start), index(end - 1) + 1
                while o_end < len(text) and "\u0300" <= text[o_end] <= "\u036f":
                    o_end += 1  # the accent of the last letter belongs to the surface
            if info is not None and _case_ok(repaired[o_start:o_end], info.case):
                found.append((o_start, o_end, info))
                pos = end
            else:
                # A rejected acronym ("dea") or a key the table misses: go on one character later.
                pos = start + 1
        if any(info.needs_context for _, _, info in found):
            found = _apply_context(text, found)
        found = _merge_parenthesised(text, found)
        return [Mention(self.mention_type, info.entry.canonical, text[s:e], s, e) for s, e, info in found]

    def canonical_of(self, text: str) -> str | None:
        """The canonical form when ``text`` as a whole is one alias (in any case); else ``None``."""
        info = self._aliases.get(key_of(text.strip(" \t\n.;:()«»\"'")))
        if info is None or info.needs_context:
            return None
        return info.entry.canonical


_QUANTITY_BEFORE = re.compile(
    r"(?:\d[\d.,]*\s*(?:kg|kgs|kilos?|kilogramos?|g|gr|grs|gramos?|t|tm|toneladas?|l|lt|lts|litros?|galon(?:es)?)"
    r"|\b(?:sacos?|bolsas?|costales?|toneladas?|kilos?|kilogramos?|litros?|galon(?:es)?|cilindros?|bidones?))"
    r"\.?\s+de\s+$")


def _apply_context(text: str, found: list[tuple[int, int, _Alias]]) -> list[tuple[int, int, _Alias]]:
    anchors = [(s, e) for s, e, info in found if not info.needs_context]
    kept = []
    for s, e, info in found:
        if not info.needs_context:
            kept.append((s, e, info))
            continue
        near = any(a_e >= s - CONTEXT_CHARS and a_s <= e + CONTEXT_CHARS for a_s, a_e in anchors)
        if near or _QUANTITY_BEFORE.search(fold_chars(text[max(0, s - 40):s])):
            kept.append((s, e, info))
    return kept


_PAREN_GAP = re.compile(r"\s*[(\[]\s*$")
_PAREN_CLOSE = re.compile(r"\s*[)\]]")


def _merge_parenthesised(text: str, found: list[tuple[int, int, _Alias]]) -> list[tuple[int, int, _Alias]]:
    """``Unidad de Inteligencia Financiera del Perú (UIF-Perú)``: one mention, not two."""
    merged: list[tuple[int, int, _Alias]] = []
    for s, e, info in found:
        if merged:
            p_s, p_e, p_info = merged[-1]
            if p_info.entry is info.entry and _PAREN_GAP.fullmatch(text[p_e:s]):
                close = _PAREN_CLOSE.match(text, e)
                if close:
                    merged[-1] = (p_s, close.end(), p_info)
                    continue
        merged.append((s, e, info))
    return merged


def _entries(name: str, kinds: tuple[str, ...]) -> list[GazetteerEntry]:
    entries = []
    for number, obj in load_jsonl(name):
        if obj["kind"] not in kinds:
            raise ValueError(f"{name}:{number}: kind {obj['kind']!r} is not one of {kinds}")
        aliases = [obj["canonical"], *obj.get("aliases", [])]
        entries.append(GazetteerEntry(obj["canonical"], obj["kind"], tuple(dict.fromkeys(aliases)),
                                      tuple(obj.get("context_aliases", ()))))
    return entries


@functools.cache
def _gazetteer(name: str) -> Gazetteer:
    if name == "institution":
        return Gazetteer(_entries(INSTITUTIONS_FILE.name, INSTITUTION_KINDS), "institution")
    return Gazetteer(_entries(DRUGS_FILE.name, DRUG_KINDS), "drug")


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def find_institutions(text: str) -> list[Mention]:
    """Institution mentions (type ``institution``) in ``text``, in text order."""
    return _gazetteer("institution").find(text)


def find_drugs(text: str) -> list[Mention]:
    """Drug and chemical-input mentions (type ``drug``) in ``text``, in text order."""
    return _gazetteer("drug").find(text)


# Broad names: a more specific institution in the same string is the better answer.
GENERIC_INSTITUTIONS = frozenset({
    "Poder Judicial", "Corte Suprema de Justicia", "Ministerio Público", "Fiscalía de la Nación",
    "Policía Nacional del Perú",
})


def canonical_institution(text: str) -> str | None:
    """The institution a whole string names (a court field, a PDF author, a letterhead line).

    An exact alias first; otherwise the first specific institution the string mentions
    (``Corte Suprema de Justicia de la República – Sala Penal Permanente`` → ``Sala Penal
    Permanente``; ``Policía Nacional del Perú – DIRANDRO`` → ``DIRANDRO``), else the first
    broad one; ``None`` when it names none.
    """
    if not text or not text.strip():
        return None
    gazetteer = _gazetteer("institution")
    exact = gazetteer.canonical_of(text)
    if exact is not None:
        return exact
    mentions = gazetteer.find(text)
    for mention in mentions:
        if mention.canonical not in GENERIC_INSTITUTIONS:
            return mention.canonical
    return mentions[0].canonical if mentions else None


def institutions() -> list[GazetteerEntry]:
    """All institutions of the gazetteer (for facets and documentation)."""
    return list(_gazetteer("institution").entries)


def drugs() -> list[GazetteerEntry]:
    """All drugs and chemical inputs of the gazetteer."""
    return list(_gazetteer("drug").entries)


def institution_kind(canonical: str) -> str | None:
    """``court``, ``prosecutor``, ``police`` or ``agency`` for a canonical institution name."""
    entry = _gazetteer("institution").by_canonical.get(canonical)
    return entry.kind if entry else None


def drug_kind(canonical: str) -> str | None:
    """``drug``, ``plant``, ``chemical`` or ``category`` for a canonical drug name."""
    entry = _gazetteer("drug").by_canonical.get(canonical)
    return entry.kind if entry else None
