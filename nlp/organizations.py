"""Organisations that are not institutions: companies (by their legal form) and criminal
organisations (by how case files name them: «Los Topos de la Chalaca»), plus a short list of
well-known ones (``nlp/data/organizations.json``).

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
_NAME = rf"{_WORD}(?:[ \t]+(?:{_LINK}[ \t]+)*{_WORD}){{0,8}}"
_QUOTES = {"«": "»", '"': '"', "“": "”", "'": "'"}


@functools.cache
def _patterns() -> dict:
    data = load_json("organizations.json")
    suffixes = "|".join(re.escape(s).replace(r"\.", r"\.?") for s in sorted(data["legal_forms"], key=len, reverse=True))
    cues = "|".join(sorted(data["criminal_cues"], key=len, reverse=True))
    known = "|".join(re.escape(k) for k in sorted(data["known"], key=len, reverse=True))
    return {
        "company": re.compile(rf"\b(?P<name>{_NAME}),?[ \t]+(?P<form>{suffixes})(?=[\s,;:)»\"”]|$)"),
        "criminal": re.compile(
            rf"\b(?:{cues})[ \t\n]+(?:(?:denominad[oa]s?|conocid[oa]s? como|autodenominad[oa]s?)[ \t\n]+)?"
            rf"(?P<open>[«\"“'])(?P<name>[^«»\"“”'\n]{{3,80}})[»\"”']", re.IGNORECASE),
        "known": re.compile(rf"\b(?P<name>{known})\b") if known else None,
        "forms": {s.replace(".", "").lower(): s for s in data["legal_forms"]},
    }


def _company(match: re.Match, forms: dict) -> str:
    form = forms.get(match.group("form").replace(".", "").lower(), match.group("form"))
    name = " ".join(match.group("name").split())
    # A name never starts with a connective swallowed from the sentence ("y", "la", "de").
    return f"{name} {form}"


def find_organizations(text: str) -> list[Mention]:
    """Companies, criminal organisations and well-known organisations in ``text``."""
    patterns = _patterns()
    found: list[Mention] = []
    for match in patterns["company"].finditer(text):
        found.append(Mention("org", _company(match, patterns["forms"]), match.group(0), match.start(), match.end()))
    for match in patterns["criminal"].finditer(text):
        name = " ".join(match.group("name").split())
        if name[:1].isupper():
            found.append(Mention("org", name, match.group("name"), match.start("name"), match.end("name")))
    if patterns["known"] is not None:
        for match in patterns["known"].finditer(text):
            found.append(Mention("org", match.group("name"), match.group(0), match.start(), match.end()))
    return found
