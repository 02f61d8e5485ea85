"""One document of the relevance corpus: its spec (:class:`Doc`), the text bank's templates filled for it
(:class:`Writer`, which counts the citations it writes), its pages composed from its topics, and its PDF."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from reportlab.lib.units import cm

from relevance_cast import FIRST_NAMES, MONTHS, MONTHS_EN, ORGS, PERSONS, SURNAMES
from samples import pdf


def strip_accents(text: str) -> str:
    """Text as typed without accents (ñ kept), as in some documents."""
    out = []
    for ch in text:
        if ch in "ñÑ":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


@dataclass
class Doc:
    key: str
    register: str
    collection: str
    language: str
    year: int
    title: str
    header: str
    about: list[str]                      # topics it is about, main first
    passing: list[str] = field(default_factory=list)
    is_citation: str | None = None        # the decision this document is (cas1234, rn456, ...)
    accents: bool = True
    pages: list[list[str]] = field(default_factory=list)
    cites: Counter = field(default_factory=Counter)
    parties: list[str] = field(default_factory=list)  # people and organisations the case file is about

    def text(self) -> str:
        return "\n".join([self.title] + [block for page in self.pages for block in page])


class Writer:
    """Fills the text bank's templates for one document and counts the citations it writes."""

    def __init__(self, bank: dict, rng: random.Random, cast: dict):
        self.bank, self.rng, self.cast = bank, rng, cast
        self.cites: Counter = Counter()

    def cite(self, cid: str) -> str:
        self.cites[cid] += 1
        return self.rng.choice(self.bank["citations"][cid]["forms"])

    def fill(self, template: str) -> str:
        c, rng = self.cast, self.rng

        def slot(match: re.Match) -> str:
            name = match.group(1)
            if name.startswith("C:"):
                return self.cite(name[2:])
            if name in ("P1", "P2"):
                return PERSONS[c[name]][0] if c[name] in PERSONS else c[name]
            if name in ("P1s", "P2s"):
                key = c[name[:2]]
                return PERSONS[key][1] if key in PERSONS else key.split()[-1]
            if name == "ORG":
                return c["org"]
            if name == "EMP":
                return c["emp"]
            if name == "LUGAR":
                return c["lugar"]
            if name == "DROGA":
                return c["droga"]
            if name == "KG":
                return str(rng.choice([12, 35, 48, 120, 230, 417, 1050]))
            if name == "MONTO":
                return f"S/ {rng.randint(120, 9800) * 1000:,}".replace(",", ".")
            if name == "FECHA":
                return f"{rng.randint(1, 28)} de {rng.choice(MONTHS)} de {c['year'] - rng.randint(1, 3)}"
            raise KeyError(name)

        return re.sub(r"\{([A-Za-z0-9_:]+)\}", slot, template)


def _minor_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"


def _date_line(rng: random.Random, year: int, place: str, language: str) -> str:
    day, month = rng.randint(1, 28), rng.randrange(12)
    if language == "en":
        return f"{place}, {MONTHS_EN[month]} {day}, {year}"
    return f"{place}, {day} de {MONTHS[month]} de {year}"


def _paragraphs(bank: dict, topic: str, language: str) -> list[str]:
    return list(bank["topics"][topic]["en" if language == "en" else "es"])


def _compose(w: Writer, doc: Doc, n_pages: int, intro: list[str], case_refs: list[str]) -> None:
    """Body of a document: paragraphs of its topics (main topic most), filler, passing mentions, case references."""
    bank, rng = w.bank, w.rng
    lang = doc.language
    per_page = 3 if lang == "es" else 3
    total = max(2, n_pages * per_page)
    main = _paragraphs(bank, doc.about[0], lang)
    rng.shuffle(main)
    blocks: list[str] = []
    n_main = min(len(main), max(2, total // 2 if len(doc.about) == 1 else total // 3))
    blocks += main[:n_main]
    for topic in doc.about[1:]:
        extra = _paragraphs(bank, topic, lang)
        rng.shuffle(extra)
        blocks += extra[:max(1, min(len(extra), total // 4))]
    filler = list(bank["filler_en" if lang == "en" else "filler_es"])
    rng.shuffle(filler)
    blocks += filler[:max(0, total - len(blocks))]
    rng.shuffle(blocks)
    for topic in doc.passing:
        pool = bank["topics"][topic]["passing_en" if lang == "en" else "passing_es"]
        if pool:
            blocks.insert(rng.randrange(len(blocks) + 1), rng.choice(pool))
    for ref in case_refs:
        blocks.insert(rng.randrange(len(blocks) + 1), ref)
    blocks = intro + [w.fill(b) for b in blocks]
    pages: list[list[str]] = [[] for _ in range(n_pages)]
    for i, block in enumerate(blocks):
        pages[min(n_pages - 1, i * n_pages // len(blocks))].append(block)
    if not doc.accents:
        pages = [[strip_accents(b) for b in page] for page in pages]
        doc.title = strip_accents(doc.title)
    doc.pages = pages
    doc.cites = w.cites


def _case_ref(case: dict, rng: random.Random) -> tuple[str, dict]:
    """A sentence that mentions a case in passing (its main party and organisation or company)."""
    who = PERSONS[case["persons"][0]][0]
    org = ORGS[case["org"]] if case["org"] else ORGS[case["emp"]]
    sentence = rng.choice([
        f"Como antecedente, puede revisarse el caso seguido contra {who} y la denominada «{org}», donde se discutió un punto similar.",
        f"Un ejemplo citado con frecuencia en los cursos es la investigación contra {who}, vinculada a «{org}».",
        f"Véase, en sentido parecido, lo resuelto en el proceso contra {who} («{org}»).",
    ])
    return sentence, case


LAYOUT = pdf.Layout(margin=2.3 * cm, top=2.6 * cm, bottom=2.8 * cm, body=pdf.Style("Helvetica", 10, 13.6), gap=6,
                    title=pdf.Style("Helvetica-Bold", 14, 14 * 1.36), title_gap=6,
                    header=pdf.Style("Helvetica-Oblique", 8, 8), header_y=1.4 * cm,
                    footer=pdf.Style("Helvetica", 8.5, 8.5), footer_y=1.6 * cm)


def render(doc: Doc) -> bytes:
    """One PDF (invariant: the same document gives the same bytes)."""
    try:
        return pdf.render(doc.pages, LAYOUT, title=doc.title, header=doc.header, label=pdf.page_label(doc.language),
                          compress=False, author=doc.header, creator="docsearch relevance corpus generator")
    except ValueError as exc:
        raise ValueError(f"{doc.key}: {exc}") from None
