"""People named the way case files name them: after a role ("contra", "el investigado", "don",
"Jueza:", "SO1 PNP"), before an identity document ("…, identificado con DNI", "(DNI …)"), in the
signature blocks of rulings (the judges one a line under "S.S.") and of letters (a name on its own line
above its role), and nicknames in quotes («alias "Cholo Rafa"», «conocido como «Tío Lucas»»). A name
after a role also carries the names listed with it ("los investigados A, B y C"). Cue words are data
(``nlp/data/persons.json``). Precise where the statistical model is not: these names are the ones
prosecutors follow across files.
"""

from __future__ import annotations

import functools
import re

from nlp.ner import known_place, legal_terms, not_name_line, not_name_word, strip_titles, term_key
from nlp.resources import load_json
from nlp.text import fold
from nlp.types import Mention

_UP = "A-ZÁÉÍÓÚÑÜ"
_LO = "a-záéíóúñü"
_CAP = rf"[{_UP}][{_LO}]+|[{_UP}]{{2,}}"
_LINK = r"(?:de|del|de la|de los|DE|DEL|DE LA|DE LOS)"
# Between the words of a name: spaces, and at most one line break (a blank line ends the name).
_SP = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"
# A middle initial ('Daniel P. Whitaker', 'J. R. Pinto' after its first name) is a word of the name when a name
# word follows it.
_INITIAL = rf"[{_UP}]\.(?=[ \t]+[{_UP}])"
_NAME = rf"(?:{_CAP})(?:{_SP}(?:{_LINK}{_SP})?(?:{_CAP}|{_INITIAL})){{1,5}}"
# A name on one line (signature blocks).
_LINE_NAME = rf"(?:{_CAP})(?:[ \t]+(?:{_LINK}[ \t]+)?(?:{_CAP})){{1,5}}"
# Half a name on a line of its own: two words.
_SHORT_LINE = rf"(?:{_CAP})[ \t]+(?:{_LINK}[ \t]+)?(?:{_CAP})"
# More names listed after the first: ", B", " y C", " and D".
_MORE = re.compile(rf"[ \t]*(?:,[ \t\n]*(?:y[ \t\n]+|and[ \t\n]+)?|[ \t\n]+(?:y|e|and)[ \t\n]+)(?P<name>{_NAME})")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@functools.cache
def _patterns() -> dict:
    data = load_json("persons.json")
    before = _alternation(data["before"])
    any_case = _alternation(data["before_any_case"])
    ranks = _alternation(data["ranks"])
    after = _alternation(data["after"])
    aliases = _alternation(data["alias_cues"])
    heads = _alternation(data["signature_heads"])
    roles = _alternation(data["signature_roles"])
    start = r"(?:(?<=[\s(\[,;:])|^)"
    article = r"(?:(?:el|la|los|las|a|al)[ \t\n]+)?"
    return {
        "before": re.compile(rf"{start}(?:{before})[ \t\n]+{article}(?P<name>{_NAME})"),
        "title": re.compile(rf"{start}(?i:{any_case})\.?[ \t]*:?[ \t\n]+(?P<name>{_NAME})"),
        "rank": re.compile(rf"{start}(?:{ranks})\.?[ \t]+PNP[ \t\n]+(?P<name>{_NAME})"),
        "after": re.compile(rf"(?P<name>{_NAME})[ \t\n]*,?[ \t\n]*(?:{after})"),
        "alias": re.compile(
            rf"(?i:(?<!\w)(?:{aliases}))[ \t\n]+[«\"“'](?P<name>[^«»\"“”'\n]{{2,40}})[»\"”']"),
        # A name on its own line, or wrapped over two short lines ('CARLOS ALBERTO\nRODRIGUEZ PALACIOS'), above
        # its role.
        "signed": re.compile(rf"^[ \t]*(?P<name>{_LINE_NAME}|{_SHORT_LINE}[ \t]*\n[ \t]*{_SHORT_LINE})[ \t]*\n[ \t]*"
                             rf"(?:{roles})\b", re.MULTILINE),
        # The judges under "S.S.": one a line, blank lines and their roles ('Presidente') between them.
        "bench": re.compile(rf"^[ \t]*(?:{heads})[ \t]*\n(?P<block>(?:[ \t]*(?:{_LINE_NAME}|(?:{roles})\b[^\n]*)?"
                            rf"[ \t]*(?:\n|$))+)", re.MULTILINE),
        "bench_line": re.compile(rf"^[ \t]*(?P<name>{_LINE_NAME})[ \t]*$", re.MULTILINE),
        "stop": {_word_key(w) for w in data["stop_words"]},
    }


def _word_key(word: str) -> str:
    """A word as the stop-word set holds it: folded, without the punctuation around it ("Dr." → "dr")."""
    return fold(word).strip(".,:;")


def _canonical(name: str) -> str:
    name = strip_titles(" ".join(name.split()))
    if name.isupper():
        name = " ".join(w.lower() if w.lower() in ("de", "del", "la", "los", "y") else w.capitalize()
                        for w in name.split(" "))
    return name


def _trim(name: str, stop: set[str]) -> str:
    """The name without the titles before it and up to the first role, title or legal word after it
    ('Juez Supremo Iván Quiroz' → 'Iván Quiroz'; 'Raúl Salas Gutiérrez\\nJefe de …' → the name)."""
    words = name.split()
    while words and _word_key(words[0]) in stop:
        name = name[name.index(words[0]) + len(words[0]):].lstrip()
        words.pop(0)
    kept: list[str] = []
    shout = bool(words) and _shouted(words[0])
    starts_line = _line_starts(name)
    for i, word in enumerate(words):
        if kept and (_word_key(word) in stop or not_name_word(word, last=i == len(words) - 1)):
            break
        if kept and i in starts_line and not_name_line(word):
            break  # the next line's place or page mark
        if kept and word.lower() not in _LINK_WORDS and _shouted(word) != shout:
            break  # a name is all capitals or none: 'ARTURO BENAVIDES LOZANO\nSumilla'
        kept.append(word)
    while kept and kept[-1].lower() in ("de", "del", "la", "los"):
        kept.pop()
    if not kept:
        return ""
    # Keep the original spacing of what is left: cut the surface after the last kept word.
    end, pos = 0, 0
    for word in kept:
        pos = name.index(word, pos)
        end = pos = pos + len(word)
    return name[:end]


_LINK_WORDS = {"de", "del", "la", "los"}
def _line_starts(name: str) -> set[int]:
    """The indexes of the words of ``name`` (split on whitespace) that begin a new line."""
    return {i for i, m in enumerate(re.finditer(r"(\s*)\S+", name)) if i and "\n" in m.group(1)}


def _shouted(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) > 1 and all(ch.isupper() for ch in letters)


def _is_name(canonical: str) -> bool:
    words = canonical.split(" ")
    if len(words) < 2 or words[0].lower() in ("de", "del", "la", "los", "las", "y"):
        return False
    return (not any(not_name_word(w, last=i == len(words) - 1) for i, w in enumerate(words))
            and term_key(canonical) not in legal_terms())


def find_persons(text: str) -> list[Mention]:
    patterns = _patterns()
    stop = patterns["stop"]
    found: list[Mention] = []

    def add(surface: str, start: int, check: bool = True) -> bool:
        trimmed = _trim(surface, stop)
        start += surface.index(trimmed) if trimmed else 0
        surface = trimmed
        if "\n" in surface and text.startswith(":", start + len(surface)):
            surface = surface[:surface.rindex("\n")].rstrip()  # the next line's label ('…Whitaker\nDate: 11 July')
        canonical = _canonical(surface)
        if check and not _is_name(canonical):
            return False  # "contra el Crimen Organizado" names no one
        found.append(Mention("per", canonical, surface, start, start + len(surface)))
        return True

    for kind in ("before", "title", "rank"):
        for match in patterns[kind].finditer(text):
            if not add(match.group("name"), match.start("name")):
                continue
            pos = match.end("name")
            while (more := _MORE.match(text, pos)) is not None:
                if not add(more.group("name"), more.start("name")):
                    break
                pos = more.end("name")
    for match in patterns["after"].finditer(text):
        add(match.group("name"), match.start("name"))
    for match in patterns["signed"].finditer(text):
        add(match.group("name"), match.start("name"))
    for match in patterns["bench"].finditer(text):
        offset = match.start("block")
        for line in patterns["bench_line"].finditer(match.group("block")):
            add(line.group("name"), offset + line.start("name"))
    for match in patterns["alias"].finditer(text):
        name = match.group("name").strip()
        if name[:1].isupper():
            found.append(Mention("per", _canonical(name), name, match.start("name"), match.start("name") + len(name)))
    return found


def continue_lists(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` (sorted by start) with the names listed right after a person's: 'Marco Antonio
    Huillca Ccoa and Lidia Quispe Ayala', 'A, B y C'. A listed name that overlaps a mention of
    another type (an institution, a place) is left to it."""
    stop = _patterns()["stop"]
    # The English model reads some Andean names as places ('… Ccoa and Lidia Quispe Ayala'): in a
    # list of persons, a place reading that is not a known place gives way.
    places = {(m.start, m.end): m for m in mentions if m.type == "loc" and known_place(m.canonical) is None}
    taken = [(m.start, m.end) for m in mentions if (m.start, m.end) not in places]
    added: list[Mention] = []
    dropped: set[tuple[int, int]] = set()
    for mention in mentions:
        if mention.type != "per":
            continue
        pos = mention.end
        while (more := _MORE.match(text, pos)) is not None:
            surface = _trim(more.group("name"), stop)
            start = more.start("name") + (more.group("name").index(surface) if surface else 0)
            end = start + len(surface)
            canonical = _canonical(surface)
            if not surface or not _is_name(canonical) or any(s < end and start < e for s, e in taken):
                break
            overlapping = [span for span in places if span[0] < end and start < span[1]]
            if any(span != (start, end) for span in overlapping):
                break
            dropped.update(overlapping)
            added.append(Mention("per", canonical, surface, start, end))
            taken.append((start, end))
            pos = end
    if not added:
        return mentions
    kept = [m for m in mentions if not (m.type == "loc" and (m.start, m.end) in dropped)]
    return sorted(kept + added, key=lambda m: m.start)


def resolve_partial(pages: list[list[Mention]]) -> list[list[Mention]]:
    """Later partial mentions of a person are that person: 'BENAVIDES LOZANO' signing a ruling whose
    ponente is 'Arturo Benavides Lozano'. A name of two words or more whose words run, in order,
    inside exactly one longer name of the same document takes that name."""
    names = {m.canonical for page in pages for m in page if m.type == "per"}
    folded = {name: [fold(w) for w in name.split(" ")] for name in names}

    def inside(short: list[str], long: list[str]) -> bool:
        """Contiguous ('Benavides Lozano' in 'Arturo Benavides Lozano'), or the first name and later words in order
        ('Ricardo Benites' in 'Ricardo Alonso Benites Cueva')."""
        if len(short) >= len(long):
            return False
        if any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1)):
            return True
        rest = iter(long[1:])
        return short[0] == long[0] and all(word in rest for word in short[1:])

    by_word: dict[str, set[str]] = {}
    for name, words in folded.items():
        for word in words:
            by_word.setdefault(word, set()).add(name)
    target: dict[str, str] = {}
    for name, words in folded.items():
        if len(words) < 2:
            continue
        longer = {other for other in by_word[words[0]] if inside(words, folded[other])}
        # The longest names that contain it; two different people sharing surnames leave it alone.
        maximal = {o for o in longer if not any(inside(folded[o], folded[p]) for p in longer)}
        if len(maximal) == 1:
            target[name] = maximal.pop()
    if not target:
        return pages
    return [[Mention(m.type, target[m.canonical], m.surface, m.start, m.end)
             if m.type == "per" and m.canonical in target else m for m in page] for page in pages]
