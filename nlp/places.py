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
    # A known place inside a longer place ('Mantaro' in 'Unión Mantaro') is part of it.
    return [m for m in found if not any(o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                                        for o in found)]
