"""Places named the way legal text names them: after an administrative cue ("distrito de Amarilis",
"provincia de Leoncio Prado", "caserío Santa Lucía", "centro poblado Unión Mantaro", "la ruta
Ayacucho–San Francisco"), with the places listed with them ("los distritos de Surco y La Molina"),
and the known places of ``nlp/data/persons.json`` wherever they are written in title case. Cue words
are data (``nlp/data/places.json``).

A place inside a longer mention (an institution's seat, a case number's district, an organisation's
name) is left to that mention by :func:`nlp.extract.merge`, as the labelling conventions ask.
"""

from __future__ import annotations

import functools
import re

from nlp.ner import known_places, not_name_words
from nlp.resources import load_json
from nlp.text import fold
from nlp.types import Mention

_WORD = r"[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü]+"
_PLACE = rf"{_WORD}(?:[ \t]+(?:(?:de|del|de la|de los|la|las|los)[ \t]+)?{_WORD}){{0,3}}"
_MORE = re.compile(rf"(?:[ \t]*,[ \t]*|[ \t]+(?:y|e|and)[ \t]+|[ \t]*[–—-][ \t]*)(?P<name>{_PLACE})")


@functools.cache
def _patterns() -> dict:
    data = load_json("places.json")
    cues = "|".join(re.escape(c) for c in sorted(data["cues"], key=len, reverse=True))
    known = sorted(known_places(), key=len, reverse=True)
    return {
        "cue": re.compile(rf"(?<!\w)(?i:{cues})[ \t]*\n?[ \t]*(?P<name>{_PLACE})"),
        "known": re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(k) for k in known) + r")(?![\w-])"),
        "not": set(data["not_places"]),
        # Long names of a place that has a short canonical one (the VRAEM valley).
        "names": [(re.compile(r"(?<!\w)" + re.escape(long).replace(r"\ ", r"\s+") + r"(?!\w)"), short)
                  for long, short in sorted(data["names"].items(), key=lambda kv: -len(kv[0]))],
    }


# Rivers (el río Huallaga → Río Huallaga) and port terminals (Terminal Portuario del Callao, Terminal Norte
# Multipropósito del Callao, Muelle Sur del Callao) are places of their own, not the city they are named after.
_RIVER = re.compile(rf"(?<!\w)(?:[Rr][ií]o|R[IÍ]O)[ \t]+(?P<name>{_PLACE})")
_TERMINAL = re.compile(
    rf"(?<!\w)(?:Terminal|Muelle|TERMINAL|MUELLE)(?:[ \t]+(?:Portuario|Mar[ií]timo|Multiprop[oó]sito|Norte|Sur|"
    rf"de Contenedores|de Embarque))*[ \t]+(?:de|del)[ \t]+{_WORD}(?:[ \t]+{_WORD})?")

# A street address, by its kind of street and a number (or S/N), with the block and lot when given: "Jr. Huallaga
# 345", "Av. 28 de Julio N° 1240", "Calle Los Pinos 158 Mz. B Lt. 7". The canonical form writes the kind short.
_STREET_KINDS = {"jiron": "Jr.", "jr": "Jr.", "avenida": "Av.", "av": "Av.", "avda": "Av.", "calle": "Calle",
                 "ca": "Calle", "pasaje": "Psje.", "psje": "Psje.", "pje": "Psje.", "prolongacion": "Prol.",
                 "prol": "Prol.", "carretera": "Carretera"}
_STREET_WORD = r"(?:[A-ZÁÉÍÓÚÑ0-9][\wÁÉÍÓÚÑáéíóúñ.'-]*|de|del|la|las|los|el|y)"
_ADDRESS = re.compile(
    r"(?<![\w.])(?P<kind>Jr\.|[Jj]ir[oó]n|Av\.|Avda\.|[Aa]venida|[Cc]alle|Ca\.|Psje\.|Pje\.|[Pp]asaje|[Pp]rolongaci[oó]n|Prol\.|"
    r"Carretera|JR\.|AV\.|CALLE)"
    rf"[ \t]+(?P<name>{_STREET_WORD}(?:[ \t]+{_STREET_WORD}){{0,6}}?)"
    r"[ \t]*,?[ \t]+(?:N[°º*]\.?|No\.|Nro\.|N\.°)?[ \t]*(?P<number>\d{1,5}(?:-?[A-Z])?\b|S/N|s/n)"
    r"(?:[ \t]*,?[ \t]*(?:Mz\.?|Manzana)[ \t]*(?P<block>[A-Z0-9]{1,3})[ \t]*,?[ \t]*(?:Lt\.?|Lote)[ \t]*(?P<lot>\d{1,3}))?")


def find_addresses(text: str) -> list[Mention]:
    """Street addresses (``address``: not places, but what links two raids or two companies to one house)."""
    found = []
    for match in _ADDRESS.finditer(text):
        kind = _STREET_KINDS[fold(match.group("kind")).rstrip(".")]
        name = " ".join(match.group("name").split())
        if name.lower() in ("de", "del", "la", "las", "los", "el", "y"):
            continue
        number = match.group("number").upper()
        canonical = f"{kind} {name} {number}"
        if match.group("block"):
            canonical += f" Mz. {match.group('block')} Lt. {match.group('lot')}"
        found.append(Mention("address", canonical, match.group(0), match.start(), match.end()))
    return found


def _ok(name: str, not_places: set[str]) -> bool:
    words = name.split()
    geographic = {"rio", "valle", "puerto", "aeropuerto", "provincia", "distrito", "departamento", "region"}
    return not any(w in not_places or (fold(w) in not_name_words() and fold(w) not in geographic) for w in words)


def find_places(text: str) -> list[Mention]:
    patterns = _patterns()
    found: list[Mention] = []
    for match in patterns["cue"].finditer(text):
        name, start = match.group("name"), match.start("name")
        pos = match.end("name")
        while name:
            name = " ".join(name.split())
            if not _ok(name, patterns["not"]):
                break
            found.append(Mention("loc", name, text[start:pos], start, pos))
            more = _MORE.match(text, pos)
            if more is None:
                break
            name, start, pos = more.group("name"), more.start("name"), more.end("name")
    for pattern, short in patterns["names"]:
        for match in pattern.finditer(text):
            found.append(Mention("loc", short, match.group(0), match.start(), match.end()))
    for match in patterns["known"].finditer(text):
        found.append(Mention("loc", match.group(0), match.group(0), match.start(), match.end()))
    for match in _RIVER.finditer(text):
        name = " ".join(match.group("name").split())
        if _ok(name, patterns["not"]):
            found.append(Mention("loc", f"Río {name}", match.group(0), match.start(), match.end()))
    for match in _TERMINAL.finditer(text):
        name = " ".join(match.group(0).split())
        found.append(Mention("loc", name[:1].upper() + name[1:].replace("TERMINAL", "Terminal"), match.group(0),
                             match.start(), match.end()))
    # A known place inside a longer place ('Mantaro' in 'Unión Mantaro') is part of it.
    return [m for m in found if not any(o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                                        for o in found)]
