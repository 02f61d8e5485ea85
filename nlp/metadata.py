"""Document metadata inferred from the text: type, issuing institution, year and topics.

``infer_metadata(pages, mentions=None, title=None)`` looks at

* the **title** and the **heading of the first page** (its first characters and its lines in
  capitals) for the document type, with cue expressions and priorities kept in
  ``nlp/data/doc_types.json``: a "Casación N°" heading beats the word "SENTENCIA" above it,
  a training cue in the title (``Manual``, ``Guía``, ``Módulo``, ``Training note``) beats
  everything, and body cues ("el presente manual", "los participantes") decide only when
  the heading says nothing or says it weakly. The types that documents cite (acuerdo
  plenario, casación, recurso de nulidad) take heading cues only outside running text: a
  ruling headed ``SENTENCIA`` that says "conforme al Acuerdo Plenario N° 3-2010/CJ-116" just
  below is a sentencia;
* the **institutions of the heading**, found by :mod:`nlp.gazetteer`, for the issuing
  institution: the kinds that issue the document type (a court for a ruling, a prosecutor's
  office for a requerimiento, a police unit for a police report), the preferred names of the
  type (the chambers of the Supreme Court for a casación), the specific before the broad
  (``DIRANDRO`` before ``Policía Nacional del Perú``), then the first (the letterhead: a
  superior court's ruling gets ``Corte Superior de Justicia de Huánuco``, not the generic
  ``Juzgado Penal Colegiado`` below it). Training material and ``otro`` take only a name
  that opens one of the first lines (a letterhead), never one cited in a sentence;
* **dates** for the year: a place-and-date line (``Lima, 14 de mayo de 2019``, also in
  words: ``catorce de mayo de dos mil diecinueve``; in English ``Lima, May 3, 2019``,
  ``Lima, 3 May 2019`` or a line holding only such a date) on the first page, then on the last
  page; for case documents then the latest of the dates on the first page and the year of
  the document's own number (``Casación N° 1234-2018``); for ``otro`` the own number only;
  for training material only a place-and-date line or a cover year (``Lima, 2019``,
  ``Edición 2019``), never a cited year (a manual citing the 1988 Vienna Convention is not
  from 1988). Years outside 1950–2030 are ignored;
* the **whole text** for the topics of ``nlp/data/topics.json``: weighted cue phrases,
  patterns and gazetteer mentions (institutions, drugs) per 1000 words.

``mentions`` (optional) are the document's entity mentions if the caller already has them;
their institutions and drugs feed the topic scores (otherwise the gazetteer is run on the
text). ``signals`` says, in short strings, why each value was chosen.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from nlp.gazetteer import (
    GENERIC_INSTITUTIONS,
    compile_trie,
    drug_kind,
    find_drugs,
    find_institutions,
    fold_plain,
    fold_with_map,
    institution_kind,
    key_of,
)
from nlp.resources import DATA_DIR, load_json
from nlp.types import Mention, Metadata

DOC_TYPES_FILE = DATA_DIR / "doc_types.json"
TOPICS_FILE = DATA_DIR / "topics.json"

YEAR_MIN, YEAR_MAX = 1950, 2030


# ---------------------------------------------------------------------------
# Configuration, loaded once
# ---------------------------------------------------------------------------


@dataclass
class _DocType:
    label: str
    priority: int
    title: list[tuple[re.Pattern, int]]
    heading: list[tuple[re.Pattern, int]]
    body: list[tuple[re.Pattern, float]]
    kinds: tuple[str, ...]
    prefer: tuple[str, ...]
    chars: int | None
    letterhead_lines: int | None
    cited: bool = False


@dataclass
class _Topic:
    label: str
    patterns: list[tuple[re.Pattern, float]]
    entities: dict[str, float]


@dataclass
class _Config:
    labels: list[str]
    default: str
    training: str
    strong_chars: int
    weak_chars: int
    body_strong: float
    body_weak: float
    types: list[_DocType]
    other_institution: _DocType
    topics: list[_Topic]
    cue_pattern: re.Pattern
    cue_weights: dict[str, list[tuple[str, float]]]
    topic_params: dict


def _expand(expr: str, placeholders: dict[str, str]) -> re.Pattern:
    for name, value in placeholders.items():
        expr = expr.replace("{" + name + "}", value)
    return re.compile(expr, re.MULTILINE)


def _cues(items: list, placeholders: dict[str, str], priority: int) -> list[tuple[re.Pattern, int]]:
    """Cue expressions with their priority: a string has its type's, ``[expression, priority]`` its own."""
    out = []
    for item in items:
        expr, prio = (item, priority) if isinstance(item, str) else (item[0], int(item[1]))
        out.append((_expand(expr, placeholders), prio))
    return out


@functools.cache
def _cfg() -> _Config:
    spec = load_json(DOC_TYPES_FILE.name)
    ph = spec["placeholders"]
    types = []
    for t in spec["types"]:
        inst = t.get("institution", {})
        types.append(_DocType(
            label=t["label"], priority=t["priority"],
            title=_cues(t.get("title", []), ph, t["priority"]),
            heading=_cues(t.get("heading", []), ph, t["priority"]),
            body=[(_expand(e, ph), float(w)) for e, w in t.get("body", {}).items()],
            kinds=tuple(inst.get("kinds", ())), prefer=tuple(inst.get("prefer", ())), chars=inst.get("chars"),
            letterhead_lines=inst.get("letterhead_lines"),
            cited=bool(t.get("cited")),
        ))
    topics_spec = load_json(TOPICS_FILE.name)
    topics = []
    cue_weights: dict[str, list[tuple[str, float]]] = {}
    for t in topics_spec["topics"]:
        for cue, weight in t.get("cues", {}).items():
            key = key_of(cue)
            forms = {key} if key.endswith("s") else {key, key + "s", key + "es"}
            for form in forms:
                cue_weights.setdefault(form, []).append((t["label"], float(weight)))
        topics.append(_Topic(
            label=t["label"],
            patterns=[(re.compile(p), float(w)) for p, w in t.get("patterns", {}).items()],
            entities={k: float(v) for k, v in t.get("entities", {}).items()},
        ))
    # One key with two weights for one topic (a cue and the plural of another): keep the larger.
    for key, pairs in cue_weights.items():
        best: dict[str, float] = {}
        for label, weight in pairs:
            best[label] = max(weight, best.get(label, 0.0))
        cue_weights[key] = list(best.items())
    params = {k: topics_spec[k] for k in ("title_weight", "max_hits_per_cue", "min_words", "min_density",
                                          "min_score", "relative", "max_topics")}
    labels = [t.label for t in types] + [spec["default"]]
    if sorted(labels) != sorted(spec["labels"]):
        raise ValueError("doc_types.json: 'labels' and the types defined differ")
    other = spec["other_institution"]
    other_rule = _DocType(spec["default"], 0, [], [], [], tuple(other["kinds"]), tuple(other.get("prefer", ())),
                          other.get("chars"), other.get("letterhead_lines"))
    return _Config(
        labels=spec["labels"], default=spec["default"], training=spec["training_label"],
        strong_chars=spec["strong_heading_chars"], weak_chars=spec["weak_heading_chars"],
        body_strong=spec["body_strong_score"], body_weak=spec["body_weak_score"],
        types=types, other_institution=other_rule, topics=topics,
        cue_pattern=compile_trie(cue_weights), cue_weights=cue_weights, topic_params=params,
    )


def doc_type_labels() -> list[str]:
    """All document types, in the order of the ``labels`` of ``doc_types.json``."""
    return list(_cfg().labels)


def topic_labels() -> list[str]:
    """All topics of ``topics.json``."""
    return [t.label for t in _cfg().topics]


# ---------------------------------------------------------------------------
# Document type
# ---------------------------------------------------------------------------


def _first_page(pages: list[str]) -> tuple[int, str]:
    for i, page in enumerate(pages):
        if page and page.strip():
            return i, page
    return 0, ""


_LETTERS = re.compile(r"[^\W\d_]")


def _capital_lines(page: str) -> str:
    """Lines of a page written in capitals (headings), folded, one per line."""
    out = []
    for line in page.splitlines():
        letters = _LETTERS.findall(line)
        if 4 <= len(letters) and len(line) <= 160 and sum(ch.isupper() for ch in letters) >= 0.7 * len(letters):
            out.append(line.strip())
    return fold_plain("\n".join(out))


_SENTENCE_END = re.compile(r"[.;!?](?:\s|$)")


class _Page:
    """A page's folded text, and whether a position of it lies inside a sentence of running text."""

    def __init__(self, page: str):
        self.repaired, self.folded, self._map = fold_with_map(page)

    def in_running_text(self, pos: int) -> bool:
        """True when the text before ``pos``, on its line and in its sentence, has a lowercase letter.

        A heading (``ACUERDO PLENARIO N° 3-2010/CJ-116``, ``VI PLENO JURISDICCIONAL … ACUERDO PLENARIO``)
        opens its line or follows capitals; a citation (``conforme al Acuerdo Plenario N° 3-2010/CJ-116``,
        ``Normas y precedentes invocados: Acuerdo Plenario …``) follows words of a sentence.
        """
        orig = self._map(pos) if self._map else pos
        line = self.repaired[self.repaired.rfind("\n", 0, orig) + 1: orig]
        ends = list(_SENTENCE_END.finditer(line))
        before = line[ends[-1].end():] if ends else line
        return any(ch.islower() for ch in before)


def _hits(cfg: _Config, attr: str, text: str, page: _Page | None = None,
          offset: int = 0) -> dict[str, tuple[int, int]]:
    """For each type with a cue in ``text``: (position of its first cue, highest priority of its cues).

    With ``page`` (``text`` being ``page.folded[offset:…]``), the cues of a type that documents cite
    count only outside running text: a ruling that cites an acuerdo plenario under its heading is not one.
    """
    hits: dict[str, tuple[int, int]] = {}
    if not text.strip():
        return hits
    for t in cfg.types:
        guard = page is not None and t.cited
        for pattern, priority in getattr(t, attr):
            match = next((m for m in pattern.finditer(text)
                          if not guard or not page.in_running_text(offset + m.start())), None)
            if match:
                pos, prio = hits.get(t.label, (match.start(), priority))
                hits[t.label] = (min(pos, match.start()), max(prio, priority))
    return hits


def _best(hits: dict[str, tuple[int, int]]) -> str:
    return max(hits, key=lambda label: (hits[label][1], -hits[label][0]))


def _infer_doc_type(cfg: _Config, title: str | None, pages: list[str], signals: dict) -> str:
    _, page1 = _first_page(pages)
    head = _Page(page1)
    folded1 = head.folded
    strong = folded1[: cfg.strong_chars]
    training = cfg.training

    in_title = _hits(cfg, "title", fold_plain(title or "").strip())
    in_strong = _hits(cfg, "heading", strong, head)
    legal_title = {k: v for k, v in in_title.items() if k != training}
    legal_strong = {k: v for k, v in in_strong.items() if k != training}

    if training in in_title:
        signals["doc_type"] = "training cue in title"
        return training
    if legal_title:
        both = dict(legal_strong)
        for label, (pos, prio) in legal_title.items():
            both[label] = (-1, max(prio, both.get(label, (0, 0))[1]))
        signals["doc_type"] = f"title cue ({', '.join(sorted(both))})"
        return _best(both)
    if in_strong:
        first = min(in_strong, key=lambda label: (in_strong[label][0], -in_strong[label][1]))
        if first == training:
            signals["doc_type"] = "training cue opens the first page"
            return training
        signals["doc_type"] = f"heading cue ({', '.join(sorted(legal_strong))})"
        return _best(legal_strong)

    body = fold_plain("\n".join(pages))
    scores = {}
    for t in cfg.types:
        score = sum(min(len(pattern.findall(body)), 3) * weight for pattern, weight in t.body)
        if score:
            scores[t.label] = score
    if scores.get(training, 0) >= cfg.body_strong:
        signals["doc_type"] = f"training cues in the text (score {scores[training]:g})"
        return training
    in_weak = _hits(cfg, "heading", folded1[cfg.strong_chars: cfg.weak_chars], head, cfg.strong_chars)
    for label, (pos, prio) in _hits(cfg, "heading", _capital_lines(page1)).items():
        # positions of the capital lines follow the weak part of the heading, as in one text
        pos += cfg.weak_chars - cfg.strong_chars + 1
        in_weak[label] = (min(pos, in_weak.get(label, (pos, 0))[0]), max(prio, in_weak.get(label, (0, 0))[1]))
    in_weak = {k: v for k, v in in_weak.items() if k != training}
    if in_weak:
        signals["doc_type"] = f"capitalised heading cue ({', '.join(sorted(in_weak))})"
        return _best(in_weak)
    if scores:
        label = max(scores, key=scores.get)
        if scores[label] >= cfg.body_weak:
            signals["doc_type"] = f"cues in the text ({label}: {scores[label]:g})"
            return label
    signals["doc_type"] = "no cue"
    return cfg.default


# ---------------------------------------------------------------------------
# Institution
# ---------------------------------------------------------------------------


_ORDINALS = ("primer|primera|primero|segund[oa]|tercer|tercer[oa]|cuart[oa]|quint[oa]|sext[oa]|septim[oa]"
             "|setim[oa]|octav[oa]|noven[oa]|decim[oa]|\\d{1,2}\\s*(?:°|º|ra|da|ro|do|er|ta|to|va|vo|na|no)\\.?")
# What may precede an institution that opens a line: bullets, an article, an ordinal ("SEGUNDA FISCALÍA …").
_LINE_OPENING = re.compile(rf"^[^\w\n]*(?:(?:la|el|los|las|the)\s+)?(?:(?:{_ORDINALS})\s+)?$", re.IGNORECASE)


def _letterhead_mentions(page: str, max_lines: int) -> list[tuple[int, Mention]]:
    """Institutions that open one of the first lines of a page (a letterhead, not a citation in a sentence)."""
    end, seen = 0, 0
    for line in page.split("\n"):
        end += len(line) + 1
        if line.strip():
            seen += 1
            if seen >= max_lines:
                break
    head = page[:end]
    out = []
    for mention in find_institutions(head):
        line_start = head.rfind("\n", 0, mention.start) + 1
        if _LINE_OPENING.match(head[line_start: mention.start]):
            out.append((mention.start, mention))
    return out


def _infer_institution(cfg: _Config, doc_type: str, title: str | None, pages: list[str], signals: dict) -> str | None:
    rule = next((t for t in cfg.types if t.label == doc_type), cfg.other_institution)
    kinds, prefer = rule.kinds, rule.prefer
    _, page1 = _first_page(pages)
    candidates: list[tuple[int, Mention]] = []
    if title:
        candidates += [(-1, m) for m in find_institutions(title)
                       if not rule.letterhead_lines or _LINE_OPENING.match(title[: m.start])]
    if rule.letterhead_lines:
        candidates += _letterhead_mentions(page1, rule.letterhead_lines)
    else:
        candidates += [(m.start, m) for m in find_institutions(page1[: rule.chars or 1500])]
    fitting = [(pos, m) for pos, m in candidates if institution_kind(m.canonical) in kinds]
    if not fitting:
        signals["institution"] = "no institution of the expected kind in the heading"
        return None

    def rank(item):
        pos, mention = item
        preferred = prefer.index(mention.canonical) if mention.canonical in prefer else len(prefer)
        return (preferred, mention.canonical in GENERIC_INSTITUTIONS, pos)

    pos, chosen = min(fitting, key=rank)
    where = "title" if pos < 0 else f"first page, char {pos}"
    signals["institution"] = f"{chosen.surface!r} ({where})"
    return chosen.canonical


# ---------------------------------------------------------------------------
# Year
# ---------------------------------------------------------------------------

_MONTHS_EN = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTHS = ("enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
           + _MONTHS_EN)
_UNITS = {"cero": 0, "un": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
          "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
          "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiun": 21,
          "veintiuno": 21, "veintidos": 22, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25,
          "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29}
_TENS = {"treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90}
_NUMBER_WORD = "|".join(sorted(list(_UNITS) + list(_TENS), key=len, reverse=True))
_YEAR_WORDS = (rf"(?:dos mil|mil novecientos)(?:\s+(?:{_NUMBER_WORD})(?:\s+y\s+(?:{_NUMBER_WORD}))?)?")


def _year_group(name: str) -> str:
    return rf"(?P<{name}>(?:19|20)\d{{2}}|{_YEAR_WORDS})"


_DAY = rf"(?:\d{{1,2}}°?|primero|(?:{_NUMBER_WORD})(?:\s+y\s+(?:{_NUMBER_WORD}))?)"


def _date_es(name: str) -> str:
    return rf"{_DAY}\s+(?:de\s+)?(?:{_MONTHS})\s+(?:de|del)\s+(?:ano\s+)?{_year_group(name)}(?!\w)"


def _date_num(name: str) -> str:
    return rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-](?P<{name}>(?:19|20)\d{{2}})\b"


def _date_en(name: str) -> str:
    """An English date: "May 3, 2019", "May 3rd, 2019", "3 May 2019", "the 3rd of May, 2019"."""
    return (rf"(?:the\s+)?(?:(?:{_MONTHS_EN})\s+\d{{1,2}}(?:st|nd|rd|th)?,?"
            rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS_EN}),?)\s+(?P<{name}>(?:19|20)\d{{2}})\b")


_DATES = [
    re.compile(_date_es("year")),
    re.compile(rf"(?:(?:{_MONTHS})\s+\d{{1,2}},?\s+|\d{{1,2}}\s+(?:{_MONTHS}),?\s+)(?P<year>(?:19|20)\d{{2}})\b"),
    re.compile(_date_num("year")),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-\d{2}-\d{2}\b"),
]
# A place and a date: "Lima, 14 de mayo de 2019", "Callao, 27 de octubre de 2017", "Lima, May 3, 2019",
# "Lima, 3 May 2019", at a line or sentence start; or a line that is only an English date ("May 3, 2019",
# "Dated: 3 May 2019"), the way English documents are dated.
_PLACE_DATE = re.compile(
    rf"(?:^|[.;:]\s+)[^\W\d_][^\W\d_.,;:\n]{{1,40}}?,\s+(?:a\s+los\s+|el\s+)?"
    rf"(?:{_date_es('y1')}|{_date_num('y2')}|{_date_en('y3')})"
    rf"|^[^\w\n]*(?:dated?\s*:?\s*)?{_date_en('y4')}[^\w\n]*$",
    re.MULTILINE)
_COVER_YEAR = re.compile(
    r"(?:^\W*(?P<y1>(?:19|20)\d{2})\W*$"
    r"|^[^\W\d_][^\W\d_ ]{1,20}(?: [^\W\d_]+){0,2}\s*[,–-]\s*(?P<y2>(?:19|20)\d{2})\W*$"
    r"|\b(?:edicion|actualizacion|version)\s*:?\s*(?:[a-z]+\s+(?:de\s+)?)?(?P<y3>(?:19|20)\d{2})\b"
    r"|(?:©|\(c\)|copyright)\s*(?P<y4>(?:19|20)\d{2})\b)",
    re.MULTILINE)
# The document's own number: "Casación N° 1234-2018", "Informe policial N° 087-2020-DIRANDRO", "Exp. 00123-2017-5-...".
_OWN_NUMBER = re.compile(
    r"\b(?:casacion|cas\.|recurso de nulidad|r\.\s?n\.|acuerdo plenario|expediente|exp\.|informe(?: policial)?"
    r"|carpeta fiscal|resolucion|disposicion|oficio|atestado|parte)\s*(?:n(?:ro)?\s*[.°*?\"'o]{0,3}\s*)?"
    r"\d{1,12}-(?P<year>(?:19|20)\d{2})\b")


def _year_value(text: str) -> int | None:
    text = text.strip()
    digits = re.sub(r"[\s.]", "", text)
    if digits.isdigit():
        year = int(digits)
    else:
        words = text.split()
        year = 2000 if words[0] == "dos" else 1900
        rest = [w for w in words[2:] if w != "y"]
        for w in rest:
            year += _UNITS.get(w, _TENS.get(w, 0))
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def _years(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    """(position, year) of each match whose year is plausible."""
    out = []
    for match in pattern.finditer(text):
        groups = {k: v for k, v in match.groupdict().items() if v}
        raw = next(iter(groups.values()), None)
        if raw is None:
            continue
        year = _year_value(raw)
        if year is not None:
            out.append((match.start(), year))
    return out


def _all_date_years(text: str) -> list[int]:
    years = []
    for pattern in _DATES:
        years += [y for _, y in _years(pattern, text)]
    return years


_CASE_TYPES = {"sentencia", "auto", "acusación", "requerimiento", "informe policial", "casación",
               "recurso de nulidad", "acuerdo plenario"}


def _infer_year(cfg: _Config, doc_type: str, title: str | None, pages: list[str], signals: dict) -> int | None:
    first_index, page1 = _first_page(pages)
    page1_f = fold_plain(page1)
    title_f = fold_plain(title or "")
    found = _years(_PLACE_DATE, page1_f)
    if found:
        signals["year"] = "place and date line on the first page"
        return found[0][1]
    last = next((p for p in reversed(pages[first_index + 1:]) if p and p.strip()), None)
    if last is not None:
        found = _years(_PLACE_DATE, fold_plain(last))
        if found:
            signals["year"] = "place and date line on the last page"
            return found[-1][1]
    if doc_type in _CASE_TYPES or doc_type == cfg.default:
        own = [y for _, y in _years(_OWN_NUMBER, title_f + "\n" + page1_f[:600])]
        dated = _all_date_years(page1_f) if doc_type in _CASE_TYPES else []
        if own or dated:
            year = max(own[:1] + dated)
            signals["year"] = "latest of the own number and the dates of the first page"
            return year
    cover = _years(_COVER_YEAR, title_f + "\n" + page1_f[:400])
    if cover:
        signals["year"] = "cover year"
        return cover[0][1]
    signals["year"] = "no issuing date"
    return None


# ---------------------------------------------------------------------------
# Topics
# ---------------------------------------------------------------------------


def _entity_keys(mentions: list[Mention]) -> Counter:
    keys: Counter = Counter()
    for m in mentions:
        if m.type == "institution":
            keys[f"institution:{m.canonical}"] += 1
        elif m.type == "drug":
            kind = drug_kind(m.canonical)
            if kind:
                keys[f"drug_kind:{kind}"] += 1
    return keys


def _infer_topics(cfg: _Config, title: str | None, pages: list[str], mentions: list[Mention] | None,
                  signals: dict) -> list[str]:
    p = cfg.topic_params
    text = "\n".join(pages)
    body = fold_plain(text)
    title_f = fold_plain(title or "")
    words = len(body.split())
    cap = p["max_hits_per_cue"]
    scores: Counter = Counter()

    def add_cues(folded: str, factor: float) -> None:
        hits = Counter(key_of(m.group()) for m in cfg.cue_pattern.finditer(folded))
        for key, count in hits.items():
            for label, weight in cfg.cue_weights.get(key, ()):
                scores[label] += min(count, cap) * weight * factor

    add_cues(body, 1.0)
    if title_f:
        add_cues(title_f, p["title_weight"])
    for topic in cfg.topics:
        for pattern, weight in topic.patterns:
            scores[topic.label] += min(len(pattern.findall(body)), cap) * weight
            if title_f:
                scores[topic.label] += len(pattern.findall(title_f)) * weight * p["title_weight"]
    if mentions is None:
        mentions = find_institutions(text) + find_drugs(text)
        if title:
            mentions += find_institutions(title) + find_drugs(title)
    entity_hits = _entity_keys(mentions)
    for topic in cfg.topics:
        for key, weight in topic.entities.items():
            scores[topic.label] += min(entity_hits.get(key, 0), cap) * weight

    per_k = 1000.0 / max(words, p["min_words"])
    density = {label: score * per_k for label, score in scores.items() if score > 0}
    ranked = sorted(density, key=lambda label: (-density[label], label))
    signals["topic_scores"] = {label: round(density[label], 1) for label in ranked[:8]}
    if not ranked:
        return []
    top = density[ranked[0]]
    chosen = [label for label in ranked
              if density[label] >= p["min_density"] and scores[label] >= p["min_score"]
              and density[label] >= p["relative"] * top]
    return chosen[: p["max_topics"]]


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def infer_metadata(pages: list[str], mentions: list[Mention] | None = None, title: str | None = None) -> Metadata:
    """Type, issuing institution, year and topics of a document given its pages' text."""
    cfg = _cfg()
    pages = [p or "" for p in pages]
    signals: dict = {}
    doc_type = _infer_doc_type(cfg, title, pages, signals)
    institution = _infer_institution(cfg, doc_type, title, pages, signals)
    year = _infer_year(cfg, doc_type, title, pages, signals)
    topics = _infer_topics(cfg, title, pages, mentions, signals)
    return Metadata(doc_type=doc_type, institution=institution, year=year, topics=tuple(topics), signals=signals)
