"""People named the way case files name them: after a role ("contra", "el investigado", "don") or
before an identity document ("…, identificado con DNI", "(DNI …)"), and aliases («alias "Cholo
Rafa"»). Cue words are data (``nlp/data/persons.json``). Precise where the statistical model is not:
these names are the ones prosecutors follow across files.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

from nlp.types import Mention

_DATA = Path(__file__).parent / "data" / "persons.json"
_lock = threading.Lock()
_compiled: dict | None = None

_CAP = r"[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü]+|[A-ZÁÉÍÓÚÑÜ]{2,}"
_LINK = r"(?:de|del|de la|de los|DE|DEL|DE LA|DE LOS)"
_NAME = rf"(?:{_CAP})(?:[ \t\n]+(?:{_LINK}[ \t\n]+)?(?:{_CAP})){{1,5}}"


def _load() -> dict:
    global _compiled
    with _lock:
        if _compiled is None:
            data = json.loads(_DATA.read_text(encoding="utf-8"))
            before = "|".join(re.escape(w) for w in sorted(data["before"], key=len, reverse=True))
            after = "|".join(re.escape(w) for w in sorted(data["after"], key=len, reverse=True))
            _compiled = {
                "before": re.compile(rf"(?:(?<=\s)|^)(?:{before})[ \t\n]+(?:(?:el|la|los|las|a)[ \t\n]+)?(?P<name>{_NAME})"),
                "after": re.compile(rf"(?P<name>{_NAME})[ \t\n]*,?[ \t\n]*(?:{after})"),
                "alias": re.compile(r"\balias[ \t\n]+[«\"“'](?P<name>[^«»\"“”'\n]{2,40})[»\"”']", re.IGNORECASE),
            }
    return _compiled


def _canonical(name: str) -> str:
    from nlp.ner import strip_titles

    name = strip_titles(" ".join(name.split()))
    if name.isupper():
        name = " ".join(w.lower() if w.lower() in ("de", "del", "la", "los", "y") else w.capitalize()
                        for w in name.split(" "))
    return name


def find_persons(text: str) -> list[Mention]:
    from nlp.ner import _fold, _not_name_words

    patterns = _load()
    found = []
    for kind in ("before", "after", "alias"):
        for match in patterns[kind].finditer(text):
            name = match.group("name")
            canonical = _canonical(name)
            if kind != "alias" and any(_fold(w) in _not_name_words() for w in canonical.split(" ")):
                continue  # "contra el Crimen Organizado" names no one
            found.append(Mention("per", canonical, name, match.start("name"), match.end("name")))
    return found
