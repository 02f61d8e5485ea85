"""Matching a gazetteer: the aliases of fixed names found in text, with the precision rules.

Matching
    Text and aliases are folded (:mod:`nlp.folding`: lowercase, accents dropped, º read as °,
    dashes read as ``-``) one character for one character, so a match in the folded text is a span
    of the original text. All aliases are compiled into one character trie (:mod:`nlp.alias_trie`),
    so at each position the longest alias wins, and a match must start and end at word boundaries
    (``SBS`` is not found in ``SBSX``). Soft hyphens, combining accents and a hyphen at a line end
    inside a word (``Especia-\\nlizada``, OCR's ``DI-\\nRANDRO``) are skipped, and OCR's digits for
    letters inside words are read as letters (``c1orhidrato``, ``DlRANDRO``); spans still point at
    the original text. One alias names one entry: an alias of two entries is refused.

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.alias_trie import compile_trie, key_of
from nlp.folding import fold_with_map
from nlp.text import fold_chars
from nlp.types import Mention

__all__ = ["CONTEXT_CHARS", "Gazetteer", "GazetteerEntry"]

CONTEXT_CHARS = 200


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
