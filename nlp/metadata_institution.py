"""The issuing institution of a document: an institution of its heading, of a kind that issues its type.

Invariants: the institution is one found by :mod:`nlp.gazetteer` in the title or the heading of
the first page, of a kind the document type's rule names (a court for a ruling, a prosecutor's
office for a requerimiento, a police unit for a police report), else ``None``; the reason is left
in ``signals["institution"]``. Of those that fit: the preferred names of the type first (the
chambers of the Supreme Court for a casación), the specific before the broad (``DIRANDRO`` before
``Policía Nacional del Perú``), then the first (the letterhead: a superior court's ruling gets
``Corte Superior de Justicia de Huánuco``, not the generic ``Juzgado Penal Colegiado`` below it).
Types whose rule has ``letterhead_lines`` (training material, ``otro``) take only a name that
opens one of the first lines, never one cited in a sentence.
"""

from __future__ import annotations

import re

from nlp.gazetteer import GENERIC_INSTITUTIONS, find_institutions, institution_kind
from nlp.metadata_doc_type import DocTypeConfig, first_page
from nlp.types import Mention

__all__ = ["infer_institution"]


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


def infer_institution(cfg: DocTypeConfig, doc_type: str, title: str | None, pages: list[str],
                      signals: dict) -> str | None:
    """The canonical name of the institution issuing a document of type ``doc_type``, or ``None``."""
    rule = next((t for t in cfg.types if t.label == doc_type), cfg.other_institution)
    kinds, prefer = rule.kinds, rule.prefer
    _, page1 = first_page(pages)
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
