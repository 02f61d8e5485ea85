"""Organisations that are not institutions: companies (``org``, by their legal form), criminal
organisations (``criminal_org``, by how case files name them: la organización criminal «Los Topos de la
Chalaca», la banda Los Malditos de Bayóvar, el clan Sánchez Paredes, plus a short list of well-known ones in
``nlp/data/organizations.json``), and named police or prosecutorial operations (``operation``: Operación
«Tormenta del Norte»).

The statistical models tag almost any capitalised heading as an organisation on legal text; these
patterns are precise instead, and their output replaces the model's organisations.
"""

from __future__ import annotations

import functools
import re

from nlp.resources import load_json
from nlp.types import Mention

_WORD = r"(?:[A-ZÁÉÍÓÚÑÜ][\wÁÉÍÓÚÑÜáéíóúñü'’-]*|\d{1,4}|&)"
_LINK = r"(?:de|del|la|las|los|el|y|e|&|en)"
# A name may wrap at a line end next to a connective ('Brisas\ndel Pacífico S.A.C.', 'San Miguel de\nPiura'), never
# between two capitalised words (the line above may be a heading) nor over a blank line.
_BREAK = r"[ \t]*\n[ \t]*"
_NAME = (rf"{_WORD}(?:(?:[ \t]+|{_BREAK}(?={_LINK}[ \t]))(?:{_LINK}(?:[ \t]+|{_BREAK}))*(?<=[ \t\n]){_WORD}){{0,8}}")
_QUOTES = {"«": "»", '"': '"', "“": "”", "'": "'"}
_CRIMINAL_CUES = (r"organizaci[oó]n(?:es)? criminal(?:es)?|banda(?:s)?(?: criminal(?:es)?)?|pandilla|c[aá]rtel|"
                  r"red(?:es)? criminal(?:es)?|criminal organi[sz]ation|gang")
_OPERATION = re.compile(
    rf"\b(?:[Oo]peraci[oó]n|OPERACI[OÓ]N|[Oo]perativo|OPERATIVO|[Oo]peration|OPERATION|Op\.)[ \t]+"
    rf"(?:(?:denominad[oa]|llamad[oa]|conocid[oa] como|code-named|codenamed|called|named)[ \t\n]+)?"
    rf"(?:(?P<open>[«\"“'])(?P<quoted>[^«»\"“”'\n]{{2,60}}(?:\n[^«»\"“”'\n]{{1,40}})?)[»\"”']|(?P<name>{_NAME}))")


@functools.cache
def _patterns() -> dict:
    data = load_json("organizations.json")
    suffixes = "|".join(re.escape(s).replace(r"\.", r"\.?") for s in sorted(data["legal_forms"], key=len, reverse=True))
    cues = "|".join(sorted(data["criminal_cues"], key=len, reverse=True))
    known = "|".join(re.escape(k) for k in sorted(data["known"], key=len, reverse=True))
    heads = "|".join(sorted(data["company_heads"], key=len, reverse=True))
    after = "|".join(sorted(data["criminal_heads_after"], key=len, reverse=True))
    named = r"(?:denominad[oa]s?|conocid[oa]s? como|autodenominad[oa]s?|known as|called)"
    return {
        "company": re.compile(rf"\b(?P<name>{_NAME}),?[ \t]+(?P<form>{suffixes})(?=[\s,;:)»\"”]|$)"),
        # A company without a legal form, by the word that heads its name (a consortium).
        "company_head": re.compile(rf"\b(?P<name>(?:{heads})[ \t]+{_NAME})"),
        "criminal": re.compile(
            rf"\b(?:{cues})[ \t\n]+(?:(?:{named}|de)[ \t\n]+)?"
            rf"(?P<open>[«\"“'])(?P<name>[^«»\"“”'\n]{{2,80}}(?:\n[^«»\"“”'\n]{{1,60}})?)[»\"”']", re.IGNORECASE),
        "known": re.compile(rf"\b(?P<name>{known})\b") if known else None,
        # Without quotes, only after a criminal cue: a name led by its article (la banda criminal Los Malditos de
        # Bayóvar, la facción Los Piratas de Paita, el cártel de los Tiburones), or surnames or a place after "clan"
        # or "cártel" (el clan Sánchez Paredes, el Clan del Golfo, el Cártel de Cali: the head is part of the name).
        "bare": re.compile(
            rf"\b(?:(?i:{cues})[ \t\n]+(?i:{named}[ \t\n]+)?|(?i:{_CRIMINAL_CUES}|facci[oó]n|c[aá]rtel|clan)[ \t\n]+de[ \t\n]+)"
            rf"(?P<name>(?:Los|Las|El|La|LOS|LAS|los|las)[ \t]+{_NAME})"),
        "clan": re.compile(rf"\b(?P<cue>[Cc]lan|CLAN|[Cc][aá]rtel|C[AÁ]RTEL)[ \t]+"
                           rf"(?P<name>(?:(?:de|del)[ \t]+)?(?!(?:Los|Las|El|La|de|del)\b){_NAME})"),
        # In quotes, a name led by "Los"/"Las", a capitalised word and where from is how bands are named («los
        # Cuatreros de Ocucaje», «Las Gatitas del Callao») even with no cue before it; what the quote follows may make it a
        # place, a company, an operation, a vessel or an alias instead (``_NOT_A_BAND``).
        "quoted": re.compile(rf"[«\"“](?P<name>(?:Los|Las|los|las|LOS|LAS)[ \t]+{_NAME})[»\"”]"),
        # English puts the head after the name: the Los Lobos de Chancay gang.
        "after": re.compile(rf"\b(?P<name>(?:Los|Las)[ \t]+{_NAME})[ \t]+(?:{after})\b"),
        "forms": {s.replace(".", "").lower(): s for s in data["legal_forms"]},
    }


_LIST_JOIN = re.compile(r"\s(?:y|e)\s(?:de|del|a|al|con|para)\s")


def _company(match: re.Match, forms: dict) -> tuple[str, int]:
    """The canonical name of a company and where it starts in the match: a list's last item ('del Consorcio
    Vial Santa Rosa y de Constructora Los Andes S.A.C.' → 'Constructora Los Andes S.A.C.')."""
    form = forms.get(match.group("form").replace(".", "").lower(), match.group("form"))
    raw = match.group("name")
    offset = 0
    for join in _LIST_JOIN.finditer(raw):
        offset = join.end()
    name = " ".join(raw[offset:].split())
    return f"{name} {form}", match.start("name") + offset


def _head(cue: str) -> str:
    """The head word of a name it is part of, spelt one way: 'CLAN' → 'Clan', 'cartel' → 'Cártel'."""
    return "Clan" if cue.lower() == "clan" else "Cártel"


def find_organizations(text: str) -> list[Mention]:
    """Companies, criminal organisations and well-known organisations in ``text``."""
    patterns = _patterns()
    found: list[Mention] = []
    for match in patterns["company"].finditer(text):
        name, start = _company(match, patterns["forms"])
        found.append(Mention("org", name, text[start:match.end()], start, match.end()))
    for match in patterns["company_head"].finditer(text):
        name = _trimmed(_LIST_JOIN.split(match.group("name"))[0])
        if len(name.split()) >= 2:
            start = match.start("name")
            found.append(Mention("org", name, text[start:start + len(name)], start, start + len(name)))
    for match in patterns["criminal"].finditer(text):
        name = " ".join(match.group("name").split())
        if name[:1].isupper():
            found.append(Mention("criminal_org", name, match.group("name"), match.start("name"), match.end("name")))
    for match in patterns["quoted"].finditer(text):
        name = " ".join(match.group("name").split())
        # «Los X de Y»: «los Reyes» alone may be a short form of a name given in full elsewhere, or a nickname
        if _OF_PLACE.search(name) and not _NOT_A_BAND.search(text[max(0, match.start() - 40):match.start()]):
            found.append(Mention("criminal_org", name[:1].upper() + name[1:], match.group("name"),
                                 match.start("name"), match.end("name")))
    for kind in ("bare", "after"):
        for match in patterns[kind].finditer(text):
            name = _trimmed(match.group("name"))
            if len(name.split()) >= 2:
                found.append(Mention("criminal_org", name[:1].upper() + name[1:], match.group("name"),
                                     match.start("name"), match.start("name") + len(name)))
    for match in patterns["clan"].finditer(text):
        name = _trimmed(match.group("name"))
        found.append(Mention("criminal_org", f"{_head(match.group('cue'))} {name}", match.group(0), match.start(),
                             match.start("name") + len(name)))
    if patterns["known"] is not None:
        for match in patterns["known"].finditer(text):
            found.append(Mention("criminal_org", match.group("name"), match.group(0), match.start(), match.end()))
    return list(dict.fromkeys(found))  # a quoted band after its cue is read by two patterns


# What a quoted «Los …» name right after it is not a band's: an operation, an alias, a company, a place, a vessel,
# a work or a venue.
_NOT_A_BAND = re.compile(
    r"(?i:\b(?:operaci[oó]n|operativo|operation|op\.|alias|apodo|apodad[oa]|conocid[oa] como|\(a\)|empresa|"
    r"compa[nñ][ií]a|consorcio|asociaci[oó]n|cooperativa|raz[oó]n social|sector|caser[ií]o|centro poblado|anexo|"
    r"asentamiento humano|aa\.\s?hh\.|urbanizaci[oó]n|urb\.|distrito|provincia|fundo|hacienda|jir[oó]n|jr\.|"
    r"calle|avenida|av\.|pasaje|barrio|embarcaci[oó]n|nave|buque|motonave|barco|vessel|boat|programa|proyecto|"
    r"libro|manual|curso|revista|diario|canal|restaurante|hotel|discoteca|local|bar|grupo musical|orquesta)"
    r"\b[^«\"“.;]{0,12}$)")


_OF_PLACE = re.compile(r"^\S+ \S+ (?:de|del|de la|de las|de los) ")


def repeat_named(pages: list[str], per_page: list[list[Mention]]) -> list[list[Mention]]:
    """Each criminal organisation a document names (by a cue, quoted) also where it is written again without
    one, on any of its pages (``… a la organización criminal del mismo nombre, Los Cuellos Blancos del Puerto``):
    a page naming it is a page it is linked on."""
    names = {m.canonical for page in per_page for m in page if m.type == "criminal_org" and len(m.canonical.split()) >= 2}
    if not names:
        return per_page
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
                         + r")(?![\w])")
    out = []
    for text, mentions in zip(pages, per_page):
        for match in pattern.finditer(text):
            a, b = match.span()
            crossing = [m for m in mentions if m.start < b and a < m.end]
            # the name again, or a place or a person inside it (Huallaga in Los Rápidos del Huallaga) that it wins over
            if all(a <= m.start and m.end <= b and m.type != "criminal_org" for m in crossing):
                mentions = [m for m in mentions if m not in crossing]
                mentions.append(Mention("criminal_org", match.group(0), match.group(0), a, b))
        out.append(sorted(mentions, key=lambda m: m.start))
    return out


# Words a capitalised run may end on that are the sentence's, not the name's.
_TAIL = re.compile(r"(?:[ \t]+(?:de|del|la|las|los|el|y|e|&|en))+$")


def _trimmed(name: str) -> str:
    return _TAIL.sub("", " ".join(name.split()))


def find_operations(text: str) -> list[Mention]:
    """Named police or prosecutorial operations: ``Operación «Tormenta del Norte»``, ``el operativo "Gran
    Cóndor"``, ``Operation Tormenta``; canonical ``Operación <name>`` whatever the text calls it. A generic
    operativo (``el operativo policial``) has no capitalised name and is left out."""
    found = []
    for match in _OPERATION.finditer(text):
        name = match.group("quoted") or match.group("name") or ""
        name = _trimmed(name.strip())
        if not name or not name[:1].isupper() or name.split()[0].lower() in _NOT_NAMES:
            continue
        found.append(Mention("operation", f"Operación {name}", match.group(0), match.start(), match.end()))
    return found


# Capitalised words that follow "Operación" without naming one (a heading, a date, an institution).
_NOT_NAMES = frozenset({"policial", "conjunta", "de", "del", "n", "nº", "n°", "no", "fiscal", "antidrogas"})
