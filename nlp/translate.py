"""Query translation between Spanish and English: a legal glossary, then Apertium for the rest (``docs/translation.md``).

Invariants
    * :func:`translate` never raises for a string, and takes bounded time: Apertium runs as a separate
      process (``apertium -u spa-eng`` / ``eng-spa``), killed after ``timeout`` seconds (2 s by
      default). When Apertium is absent, fails, times out or answers out of step, the result is the
      glossary's alone and says so (``via="glossary"``).
    * What a query names passes unchanged: identifiers and numbers (``Exp. 00456-2019-3-1826-JR-PE-02``,
      ``D. Leg. 1106``, ``N° 30077``, ``S/ 34 800.00``), query syntax (``AND``, ``field:value``,
      ``lava*``) and, in a query that has lower-case letters, runs of capitalised words (``Juan de la
      Cruz``, ``Los Pulpos``, ``DIRANDRO``) except a single word opening a sentence.
    * Glossary terms (``nlp/data/glossary_en_es.jsonl``) are matched before Apertium sees the text:
      case- and accent-insensitive, whole words, a content word may carry a plural ``-s``/``-es``,
      leftmost-longest; a term is replaced by the first term of the other side of its entry. A term of
      at most three capitals (``UIF``, ``FIU``, ``PBC``) matches only in capitals.
    * The pieces between protected spans and terms are translated by one Apertium call, each piece as
      a paragraph of its own (a blank line apart), so Apertium cannot move words across a term or an
      identifier. Apertium's marks (``*``, ``#``, ``@``) are removed.
    * ``None`` when the pair is not es<->en, the query is empty or longer than :data:`MAX_CHARS`, or the
      result equals the query once case and accents are folded (nothing was translated).

Results are cached per process (bounded). Only the standard library and :mod:`nlp` are imported.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import signal
import subprocess
import unicodedata
from dataclasses import dataclass

from nlp.resources import load_jsonl
from nlp.text import fold, fold_chars

__all__ = [
    "APERTIUM", "DATA_FILE", "MAX_CHARS", "TIMEOUT", "GlossaryEntry", "Translation",
    "glossary", "query_language", "term_key", "translate",
]

log = logging.getLogger(__name__)

DATA_FILE = "glossary_en_es.jsonl"
APERTIUM = "apertium"
# One call costs about 100 ms whatever the query's length (median 108 ms over 20 legal queries: the
# pipe of ten programs starting up is most of it); 2 s only trips on a stuck process.
TIMEOUT = 2.0
MAX_CHARS = 1000
LANGS = ("es", "en")
_MODES = {("es", "en"): "spa-eng", ("en", "es"): "eng-spa"}
_FIELDS = {"en", "es", "note"}


@dataclass(frozen=True)
class Translation:
    """A translated query; ``via`` is ``"apertium+glossary"`` when Apertium took part, else ``"glossary"``."""

    text: str
    source: str
    target: str
    via: str


@dataclass(frozen=True)
class GlossaryEntry:
    """One line of the glossary; the first term of each side is its preferred rendering."""

    line: int
    en: tuple[str, ...]
    es: tuple[str, ...]
    note: str


# --- the glossary -------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"\s*-\s*|\s+")
# Words that never take the plural suffix when a term is matched.
_FUNCTION_WORDS = frozenset(
    "a al and by con de del e el en for from in la las lo los of on or para por the to un una y".split()
)


def term_key(term: str) -> str:
    """A term's comparison key: folded (case and accents), a hyphen or any spaces read as one space."""
    return _SEPARATORS.sub(" ", fold(term).replace("\u2019", "'")).strip()


def _parse(line: int, record: object) -> GlossaryEntry:
    where = f"{DATA_FILE}:{line}"
    if not isinstance(record, dict):
        raise ValueError(f"{where}: not an object")
    unknown = set(record) - _FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown fields {sorted(unknown)}")
    sides = {}
    for lang in LANGS:
        terms = record.get(lang)
        if not isinstance(terms, list) or not terms:
            raise ValueError(f"{where}: {lang!r} must be a non-empty list")
        if not all(isinstance(t, str) and t.strip() and t == t.strip() for t in terms):
            raise ValueError(f"{where}: {lang!r} holds an empty, padded or non-string term")
        sides[lang] = tuple(terms)
    note = record.get("note", "")
    if not isinstance(note, str):
        raise ValueError(f"{where}: 'note' must be a string")
    return GlossaryEntry(line, sides["en"], sides["es"], note)


@functools.cache
def glossary() -> tuple[GlossaryEntry, ...]:
    """The glossary's entries; a term key found twice on one side fails with both line numbers."""
    entries = tuple(_parse(line, record) for line, record in load_jsonl(DATA_FILE))
    for lang in LANGS:
        seen: dict[str, int] = {}
        for entry in entries:
            for term in getattr(entry, lang):
                key = term_key(term)
                if key in seen:
                    raise ValueError(f"{DATA_FILE}:{entry.line}: {lang} term {term!r} also on line {seen[key]}")
                seen[key] = entry.line
    return entries


def _is_acronym(term: str) -> bool:
    letters = [c for c in term if c.isalpha()]
    return len(letters) <= 3 and all(c.isupper() for c in letters) and term.replace(".", "").isalpha()


def _term_pattern(term: str) -> str:
    words = _SEPARATORS.split(fold_chars(term).replace("\u2019", "'").strip())
    parts = []
    for word in words:
        escaped = re.escape(word)
        if len(word) >= 3 and word[-1].isalpha() and word.lower() not in _FUNCTION_WORDS:
            escaped += "(?:e?s)?"
        parts.append(escaped)
    body = r"(?:\s*-\s*|\s+)".join(parts)
    return body if _is_acronym(term) else f"(?i:{body})"


@dataclass(frozen=True)
class _Matcher:
    regex: re.Pattern[str]
    terms: tuple[tuple[str, str], ...]  # (source term, target term) by group number - 1


@functools.cache
def _matcher(source: str, target: str) -> _Matcher:
    """One alternation of every ``source`` term, longest first, each in its own group."""
    terms = [(term, getattr(entry, target)[0]) for entry in glossary() for term in getattr(entry, source)]
    terms.sort(key=lambda pair: len(term_key(pair[0])), reverse=True)
    alternation = "|".join(f"({_term_pattern(term)})" for term, _ in terms)
    regex = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
    return _Matcher(regex, tuple(terms))


@functools.cache
def _exclusive_matcher(lang: str) -> re.Pattern[str]:
    """The ``lang`` terms whose key is not also a term of the other language (for the language guess)."""
    other = LANGS[1 - LANGS.index(lang)]
    other_keys = {term_key(t) for entry in glossary() for t in getattr(entry, other)}
    terms = sorted(
        {t for entry in glossary() for t in getattr(entry, lang) if term_key(t) not in other_keys},
        key=lambda t: len(term_key(t)), reverse=True,
    )
    return re.compile(rf"(?<!\w)(?:{'|'.join(_term_pattern(t) for t in terms)})(?!\w)")


def _key_text(text: str) -> str:
    """``text`` folded one character for one (accents off, ``’`` as ``'``), for the term patterns."""
    return fold_chars(text).replace("\u2019", "'")


# --- what passes unchanged ----------------------------------------------------------------------

_ABBREVIATION = r"(?:[A-ZÁÉÍÓÚÑ][^\W\d_]{0,4}\.|(?i:exp|art|arts|inc|cas|leg|nro|num|no)\.|N\.?\s?[°º])\s?"
_TOKEN = r"[^\s\"'()¿¡«»]*(?:\d|[_@#$^*~\\/<>\[\]{}|=&%+])[^\s\"'()¿¡«»]*"
_IDENTIFIER = re.compile(
    rf"(?:{_ABBREVIATION})*{_TOKEN}"  # Exp. 00456-2019-..., D. Leg. 1106, N° 30077, S/, lava*
    r"|(?<!\w)\w+:[^\s\"()]+"  # field:value
    r"|\b(?:AND|OR|NOT)\b"  # query operators
)
_CAPITAL = r"[A-ZÁÉÍÓÚÑÜ][^\W_]*"
_CONNECTOR = r"(?:de|del|la|las|los|of|the|van|von|da|di|du)"
_NAME_RUN = re.compile(rf"(?<!\w){_CAPITAL}(?:\s+(?:{_CONNECTOR}\s+)*{_CAPITAL})*(?!\w)")
_SENTENCE_START = re.compile(r"(?:^|[.?!¿¡:;\"«(])\s*$")
_LETTER = re.compile(r"[^\W\d_]")


def _name_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Runs of capitalised words in ``text[start:end]``, less a single word opening a sentence."""
    spans = []
    for match in _NAME_RUN.finditer(text, start, end):
        single = " " not in match.group()
        if single and _SENTENCE_START.search(text, 0, match.start()):
            continue
        spans.append(match.span())
    return spans


# --- the pieces of a query ----------------------------------------------------------------------

# A piece is (start, end, output): output None means "still to translate".
_Piece = tuple[int, int, "str | None"]


def _refine(pieces: list[_Piece], find) -> list[_Piece]:
    """Split each untranslated piece around the spans ``find(start, end)`` gives as ``(start, end, output)``."""
    result: list[_Piece] = []
    for start, end, out in pieces:
        if out is not None:
            result.append((start, end, out))
            continue
        cursor = start
        for s, e, replacement in find(start, end):
            if s > cursor:
                result.append((cursor, s, None))
            result.append((s, e, replacement))
            cursor = e
        if cursor < end:
            result.append((cursor, end, None))
    return result


def _surface_case(surface: str, source_term: str, term: str) -> str:
    """``term`` in the case of the text it replaces: capitals for capitals (an acronym's rendering as
    written), a capital first letter for a capital first letter."""
    letters = [c for c in surface if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters) and not source_term.isupper():
        return term.upper()
    if letters and letters[0].isupper() and term[:1].islower():
        return term[:1].upper() + term[1:]
    return term


def _glossary_finder(text: str, key: str, source: str, target: str):
    matcher = _matcher(source, target)

    def find(start: int, end: int):
        for match in matcher.regex.finditer(key, start, end):
            source_term, out = matcher.terms[(match.lastindex or 1) - 1]
            yield match.start(), match.end(), _surface_case(text[match.start():match.end()], source_term, out)

    return find


def _normalize(q: str) -> str:
    """NFC, no control or invisible characters, one space between words."""
    q = q.encode("utf-8", "replace").decode("utf-8")
    q = unicodedata.normalize("NFC", q)
    q = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in q)
    q = "".join(c for c in q if unicodedata.category(c) not in ("Cf", "Cs", "Co", "Cn"))
    return " ".join(q.split())


_MARKS = re.compile(r"(?<![^\s\"'(¿¡«])[*#@]+(?=\w)")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n")


def _apertium(texts: list[str], mode: str, binary: str | None, timeout: float) -> list[str] | None:
    """Apertium's translation of each text (one call), or None when it is absent, fails or times out."""
    path = shutil.which(binary) if binary else None
    if path is None:
        return None
    payload = ("\n\n".join(texts) + "\n").encode("utf-8")
    try:
        proc = subprocess.Popen(
            [path, "-u", mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True, env={**os.environ, "LC_ALL": "C.UTF-8"},
        )
    except OSError as exc:
        log.warning("apertium did not start: %s", exc)
        return None
    try:
        out, err = proc.communicate(payload, timeout=timeout)
    except subprocess.TimeoutExpired:
        # apertium is a shell script over a pipe of programs: end the whole group it leads.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate()
        log.warning("apertium %s took over %.1f s; glossary only", mode, timeout)
        return None
    if proc.returncode != 0:
        log.warning("apertium %s failed (%s): %s", mode, proc.returncode, err.decode("utf-8", "replace")[:200])
        return None
    parts = _PARAGRAPHS.split(out.decode("utf-8", "replace").strip("\n"))
    if len(parts) != len(texts):
        log.warning("apertium %s answered %d paragraphs for %d; glossary only", mode, len(parts), len(texts))
        return None
    return parts


def _restore_case(source: str, translated: str) -> str:
    """Apertium capitalises each paragraph: keep the source's case (all lower, all capitals, first letter)."""
    translated = _MARKS.sub("", translated).strip()
    if not any(c.isupper() for c in source):
        return translated.lower()
    if not any(c.islower() for c in source):
        return translated.upper()
    if source[:1].islower():
        return translated[:1].lower() + translated[1:]
    return translated


@functools.lru_cache(maxsize=4096)
def _translate(text: str, source: str, target: str, apertium: str | None, timeout: float) -> Translation | None:
    key = _key_text(text)
    pieces: list[_Piece] = [(0, len(text), None)]
    pieces = _refine(pieces, lambda s, e: ((m.start(), m.end(), m.group()) for m in _IDENTIFIER.finditer(text, s, e)))
    pieces = _refine(pieces, _glossary_finder(text, key, source, target))
    if any(c.islower() for c in text):  # in capitals only, a name looks like any word
        pieces = _refine(pieces, lambda s, e: ((a, b, text[a:b]) for a, b in _name_spans(text, s, e)))

    todo = [i for i, (s, e, out) in enumerate(pieces) if out is None and _LETTER.search(text, s, e)]
    translated = None
    if todo:
        texts = [text[pieces[i][0]:pieces[i][1]].strip() for i in todo]
        translated = _apertium(texts, _MODES[source, target], apertium, timeout)
    outputs = dict(zip(todo, translated or ()))

    words = []
    for i, (s, e, out) in enumerate(pieces):
        chunk = text[s:e]
        if out is None and i in outputs:
            lead = chunk[: len(chunk) - len(chunk.lstrip())]
            trail = chunk[len(chunk.rstrip()):]
            out = lead + _restore_case(chunk.strip(), outputs[i]) + trail
        words.append(chunk if out is None else out)
    result = " ".join("".join(words).split())
    if not result or fold(result) == fold(text):
        return None
    return Translation(result, source, target, "apertium+glossary" if translated else "glossary")


def translate(
    q: str, source: str, target: str, *, apertium: str | None = APERTIUM, timeout: float = TIMEOUT,
) -> Translation | None:
    """``q`` in ``target`` (es<->en), or None when nothing changed or the pair is not supported.

    ``apertium`` names the program (a path or a name on ``PATH``); None or a missing program leaves the
    glossary alone (``via="glossary"``).
    """
    if (source, target) not in _MODES or not isinstance(q, str):
        return None
    text = _normalize(q)
    if not text or len(text) > MAX_CHARS:
        return None
    return _translate(text, source, target, apertium, timeout)


# --- the language of a query --------------------------------------------------------------------

_STOP = {
    "es": frozenset(
        "al como con contra cual cuales cuando de del desde donde durante el ella ellos en entre es esa ese "
        "esta estas este estos fue fueron hasta hay la las los mas muy para pero por porque que quien quienes "
        "se segun ser sobre su sus tras una uno unos unas y".split()
    ),
    "en": frozenset(
        "abroad about after against all an and any are as at be been before being between both but by can "
        "could did does during for from had has have how in into is it its of on or over should than that "
        "the their them then there these they this those through to under was were what when where which "
        "while who whom whose why will with within without would".split()
    ),
}
_SUFFIXES = {
    "es": ("cion", "ciones", "dad", "dades", "mente", "ado", "ados", "ada", "adas", "ido", "idos", "ida", "idas"),
    "en": ("tion", "tions", "ing", "ings", "ness", "ship", "ment", "ments", "ity", "ities", "ly", "ed"),
}
_NOT_ENGLISH_ED = frozenset({"usted", "ustedes", "merced", "pared", "huesped", "cesped"})
_SPANISH_LETTERS = re.compile(r"[áéíóúñü]")
_WORD = re.compile(r"[^\W\d_]+")


def query_language(q: str) -> str:
    """``"es"``, ``"en"``, or ``""`` when a short query does not tell (an identifier, a name, one neutral word).

    Evidence, counted after identifiers are set aside: glossary terms found in one language only
    (2 each), then, outside those and outside runs of capitalised words (names), stop words, accents
    and ``ñ`` in lower-case words, ``¿``/``¡`` (2), and word endings (``-ción``, ``-mente``;
    ``-tion``, ``-ing``, ``-ed``). The language with more evidence wins; a tie is ``""``.
    """
    if not isinstance(q, str):
        return ""
    text = _normalize(q)[:MAX_CHARS]
    text = _IDENTIFIER.sub(" ", text)
    score = {"es": 0, "en": 0}
    for lang in LANGS:
        key = _key_text(text)
        hits = list(_exclusive_matcher(lang).finditer(key))
        score[lang] += 2 * len(hits)
        for match in reversed(hits):
            text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end():]
    score["es"] += 2 * (text.count("¿") + text.count("¡"))
    for start, end in reversed(_name_spans(text, 0, len(text))):
        text = text[:start] + " " + text[end:]
    for word in _WORD.findall(text):
        lower = word.lower()
        folded = fold(lower)
        for lang in LANGS:
            if folded in _STOP[lang]:
                score[lang] += 1
            elif len(folded) >= 5 and folded.endswith(_SUFFIXES[lang]) and folded not in _NOT_ENGLISH_ED:
                score[lang] += 1
        if word[0].islower() and _SPANISH_LETTERS.search(lower):
            score["es"] += 1
    if score["es"] > score["en"]:
        return "es"
    if score["en"] > score["es"]:
        return "en"
    return ""
