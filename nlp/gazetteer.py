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
import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from nlp.types import Mention

DATA_DIR = Path(__file__).resolve().parent / "data"
INSTITUTIONS_FILE = DATA_DIR / "institutions.jsonl"
DRUGS_FILE = DATA_DIR / "drugs.jsonl"

INSTITUTION_KINDS = ("court", "prosecutor", "police", "agency")
DRUG_KINDS = ("drug", "plant", "chemical", "category")
CONTEXT_CHARS = 200

# ---------------------------------------------------------------------------
# Folding: one character in, one character out.
# ---------------------------------------------------------------------------


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {cp: chr(cp + 32) for cp in range(ord("A"), ord("Z") + 1)}
    for cp in range(0xC0, 0x250):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base.isascii() and base.isalpha():
            table[cp] = base.lower()
        elif ch.lower() != ch and len(ch.lower()) == 1:
            table[cp] = ch.lower()
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
        table[ord(dash)] = "-"
    table[0xBA] = "°"  # º (ordinal indicator), the usual OCR/typing variant of °
    table[0xA0] = " "
    return table


_FOLD = _fold_table()
_LOWER = "a-zàáâäãçèéêëìíîïñòóôöõùúûü"
_UPPER = "A-ZÀÁÂÄÃÇÈÉÊËÌÍÎÏÑÒÓÔÖÕÙÚÛÜ"
# What carries no letter and is skipped when matching: combining marks, soft hyphens (with the line
# break after them), zero-width characters, and a hyphen at a line end inside a word written in one
# case ("Especia-\nlizada", OCR's "DI-\nRANDRO"; "Lima-\nCallao" is a compound and stays).
_DROP = re.compile(
    "[\u0300-\u036f\u200b-\u200d\u2060\ufeff]+"
    "|[\u00ad\ufffe][ \t]*\r?\n?[ \t]*"
    f"|(?<=[{_LOWER}])-[ \t]*\r?\n[ \t]*(?=[{_LOWER}])"
    f"|(?<=[{_UPPER}])-[ \t]*\r?\n[ \t]*(?=[{_UPPER}])")
# OCR confusions inside words, fixed one character for one: "c1orhidrato", "DlRANDRO", "C0CAINA".
_OCR_ONE = re.compile(f"(?<=[{_LOWER}{_UPPER}])1(?=[{_LOWER}])")
_OCR_ZERO = re.compile(f"(?<=[{_UPPER}])0(?=[{_UPPER}])|(?<=[{_LOWER}])0(?=[{_LOWER}])")
_OCR_ELL = re.compile(f"(?<=[{_UPPER}])l(?=[{_UPPER}])")
# ... and letters for digits inside numbers: "2O19", "l5 de enero", "N* 2295O183".
_OCR_DIGIT_O = re.compile(r"(?<=\d)[Oo]+(?=\d)|(?<![\w])[Oo]+(?=\d{2})")
_OCR_DIGIT_L = re.compile(r"(?<=\d)[lI](?=\d)|(?<![\w])l(?=\d)")


def ocr_repair(text: str) -> str:
    """Undo OCR's digit/letter confusions inside words and numbers, keeping the length of the text."""
    if "1" in text:
        text = _OCR_ONE.sub("l", text)
    if "0" in text:
        text = _OCR_ZERO.sub(lambda m: "O" if m.string[m.start() - 1].isupper() else "o", text)
    if "l" in text:
        text = _OCR_ELL.sub("I", text)
    if "O" in text or "o" in text:
        text = _OCR_DIGIT_O.sub(lambda m: "0" * len(m.group()), text)
    if "l" in text or "I" in text:
        text = _OCR_DIGIT_L.sub("1", text)
    return text


def fold(text: str) -> str:
    """Lowercase, accent-free form of ``text``, one character for one."""
    return text.translate(_FOLD)


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
        return repaired, repaired.translate(_FOLD), None
    kept, pos = [], 0
    for start, end in drops:
        if start > pos:
            kept.append((pos, start))
        pos = end
    if pos < len(repaired):
        kept.append((pos, len(repaired)))
    if not kept:
        return repaired, "", None
    folded = "".join(repaired[s:e] for s, e in kept).translate(_FOLD)
    return repaired, folded, _OffsetMap(kept)


def fold_plain(text: str) -> str:
    """:func:`fold` after OCR repairs and dropping what carries no letter (no offsets kept)."""
    return _DROP.sub("", ocr_repair(text)).translate(_FOLD)


# A separator inside an alias: spaces (line breaks too) or one hyphen/slash/comma with optional spaces.
SEPARATOR = r"(?:\s*[-/,]\s*|\s+)"
_SEP_RUN = re.compile(SEPARATOR)
_EDGE_SEPARATORS = re.compile(r"^[\s\-/,]+|[\s\-/,]+$")


def key_of(text: str) -> str:
    """The lookup key of an alias or of a matched surface: folded, separators collapsed to one space."""
    return _SEP_RUN.sub(" ", _EDGE_SEPARATORS.sub("", fold(text)))


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
        folded = fold(alias)
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

    def alias_keys(self) -> list[str]:
        return sorted(self._aliases)

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
        if near or _QUANTITY_BEFORE.search(fold(text[max(0, s - 40):s])):
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


def _read_jsonl(path: Path, kinds: tuple[str, ...]) -> list[GazetteerEntry]:
    entries = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            obj = json.loads(line)
            if obj["kind"] not in kinds:
                raise ValueError(f"{path.name}:{number}: kind {obj['kind']!r} is not one of {kinds}")
            aliases = [obj["canonical"], *obj.get("aliases", [])]
            entries.append(GazetteerEntry(obj["canonical"], obj["kind"], tuple(dict.fromkeys(aliases)),
                                          tuple(obj.get("context_aliases", ()))))
    return entries


_lock = threading.Lock()
_loaded: dict[str, Gazetteer] = {}


def _gazetteer(name: str) -> Gazetteer:
    gazetteer = _loaded.get(name)
    if gazetteer is None:
        with _lock:
            gazetteer = _loaded.get(name)
            if gazetteer is None:
                if name == "institution":
                    gazetteer = Gazetteer(_read_jsonl(INSTITUTIONS_FILE, INSTITUTION_KINDS), "institution")
                else:
                    gazetteer = Gazetteer(_read_jsonl(DRUGS_FILE, DRUG_KINDS), "drug")
                _loaded[name] = gazetteer
    return gazetteer


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
