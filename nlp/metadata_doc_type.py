"""The document type inferred from the title, the heading of the first page and the text.

Invariants: the result is one of the ``labels`` of ``nlp/data/doc_types.json`` (the file is
refused when its ``labels`` and its types differ), ``default`` when no cue decides; each
decision leaves its reason in ``signals["doc_type"]``. In order:

* a training cue in the title (``Manual``, ``Guía``, ``Módulo``, ``Training note``) beats
  everything; then a cue of another type in the title (weighed with the heading's cues, the
  title's counting as first);
* then the cues of the **heading of the first page** (its first ``strong_heading_chars``): the
  highest priority wins (a "Casación N°" heading beats the word "SENTENCIA" above it), then the
  first; a training cue that opens the page makes training material;
* then strong body cues of training material ("el presente manual", "los participantes");
* then the weak part of the heading (up to ``weak_heading_chars``) and the lines in capitals of
  the first page; last the body cues, when their score reaches ``body_weak_score``.

The types that documents cite (acuerdo plenario, casación, recurso de nulidad: ``"cited"``) take
heading cues only outside running text: a ruling headed ``SENTENCIA`` that says "conforme al
Acuerdo Plenario N° 3-2010/CJ-116" just below is a sentencia.

The configuration (:func:`doc_type_config`) also holds, per type, the institution rule read by
:mod:`nlp.metadata_institution`; it is loaded once per process, when first needed.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from nlp.folding import fold_plain, fold_with_map
from nlp.resources import DATA_DIR, load_json

DOC_TYPES_FILE = DATA_DIR / "doc_types.json"

__all__ = ["DOC_TYPES_FILE", "DocType", "DocTypeConfig", "doc_type_config", "first_page", "infer_doc_type"]


@dataclass
class DocType:
    """One type of ``doc_types.json``: its cues (with priorities or weights) and its institution rule."""

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
class DocTypeConfig:
    """``doc_types.json`` compiled: the types in file order and the thresholds of the decision."""

    labels: list[str]
    default: str
    training: str
    strong_chars: int
    weak_chars: int
    body_strong: float
    body_weak: float
    types: list[DocType]
    other_institution: DocType  # the institution rule of the default type


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
def doc_type_config() -> DocTypeConfig:
    """``doc_types.json``, compiled once per process when first needed."""
    spec = load_json(DOC_TYPES_FILE.name)
    ph = spec["placeholders"]
    types = []
    for t in spec["types"]:
        inst = t.get("institution", {})
        types.append(DocType(
            label=t["label"], priority=t["priority"],
            title=_cues(t.get("title", []), ph, t["priority"]),
            heading=_cues(t.get("heading", []), ph, t["priority"]),
            body=[(_expand(e, ph), float(w)) for e, w in t.get("body", {}).items()],
            kinds=tuple(inst.get("kinds", ())), prefer=tuple(inst.get("prefer", ())), chars=inst.get("chars"),
            letterhead_lines=inst.get("letterhead_lines"),
            cited=bool(t.get("cited")),
        ))
    labels = [t.label for t in types] + [spec["default"]]
    if sorted(labels) != sorted(spec["labels"]):
        raise ValueError("doc_types.json: 'labels' and the types defined differ")
    other = spec["other_institution"]
    other_rule = DocType(spec["default"], 0, [], [], [], tuple(other["kinds"]), tuple(other.get("prefer", ())),
                         other.get("chars"), other.get("letterhead_lines"))
    return DocTypeConfig(
        labels=spec["labels"], default=spec["default"], training=spec["training_label"],
        strong_chars=spec["strong_heading_chars"], weak_chars=spec["weak_heading_chars"],
        body_strong=spec["body_strong_score"], body_weak=spec["body_weak_score"],
        types=types, other_institution=other_rule,
    )


def first_page(pages: list[str]) -> tuple[int, str]:
    """(index, text) of the first page with text; ``(0, "")`` when there is none."""
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


def _hits(cfg: DocTypeConfig, attr: str, text: str, page: _Page | None = None,
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


def infer_doc_type(cfg: DocTypeConfig, title: str | None, pages: list[str], signals: dict) -> str:
    """The type of a document, one of ``cfg.labels``."""
    _, page1 = first_page(pages)
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
        for label, (_pos, prio) in legal_title.items():
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
