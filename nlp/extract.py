"""Everything ``nlp`` finds in a document, page by page: the one entry point ingestion calls.

For each page: the domain finders (citations of cases and laws, amounts, DNI/RUC, dates,
institutions, drugs, organisations, persons, places — patterns and lists kept as data under
``nlp/data``) and the statistical model of the page's language. Where both speak of the same words the domain finders win: the model calls
"DIRANDRO" MISC and splits case numbers, the patterns know better; a statistical ORG or LOC that is
a known institution becomes an ``institution``. Then the names listed after a person's are persons
too, and a partial name of a person takes the full one found in the same document.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from nlp.citations import bare_articles, find_citations
from nlp.gazetteer import canonical_institution, find_drugs, find_institutions
from nlp.lang import page_languages
from nlp.metadata import infer_metadata
from nlp.ner import statistical_mentions
from nlp.numbers import find_numbers
from nlp.organizations import find_operations, find_organizations, repeat_named
from nlp.persons import continue_lists, find_persons, resolve_partial
from nlp.places import find_addresses, find_places
from nlp.text import clean_page_text
from nlp.types import Mention, Metadata


@dataclass
class Analysis:
    language: str
    page_languages: list[str]
    pages: list[list[Mention]]  # mentions per page, in page order
    metadata: Metadata | None = None
    summary: list[dict] = field(default_factory=list)


def domain_mentions(text: str) -> list[Mention]:
    return (find_citations(text) + find_numbers(text) + find_institutions(text) + find_drugs(text)
            + find_organizations(text) + find_operations(text) + find_persons(text) + find_places(text)
            + find_addresses(text))


def _overlaps(mention: Mention, taken: list[tuple[int, int]]) -> bool:
    return any(mention.start < end and start < mention.end for start, end in taken)


def merge(domain: list[Mention], statistical: list[Mention]) -> list[Mention]:
    """Domain mentions, then the statistical ones that do not overlap them (as institutions when known)."""
    # Longest domain match first; drop domain mentions inside a longer one of another finder.
    kept: list[Mention] = []
    for mention in sorted(domain, key=lambda m: (-(m.end - m.start), m.start)):
        if not _overlaps(mention, [(m.start, m.end) for m in kept]):
            kept.append(mention)
    spans = [(m.start, m.end) for m in kept]
    for mention in statistical:
        if mention.type == "per":
            # A name that ends in a known place ('Jhonatan Ruiz Pisco') is a name: the place gives way.
            inside = [m for m in kept if m.start < mention.end and mention.start < m.end]
            if inside and all(m.type == "loc" and mention.start <= m.start and m.end <= mention.end
                              and (m.end - m.start) < (mention.end - mention.start) for m in inside):
                kept = [m for m in kept if m not in inside]
                spans = [(m.start, m.end) for m in kept]
        if _overlaps(mention, spans):
            continue
        if mention.type in ("org", "loc", "misc"):
            institution = canonical_institution(mention.surface)
            if institution:
                mention = Mention("institution", institution, mention.surface, mention.start, mention.end)
            elif mention.type in ("misc", "org"):
                # On legal text the models' MISC and ORG are mostly headings and institutions; the
                # organisation patterns (companies, «criminal organisations») speak for ORG instead.
                continue
        kept.append(mention)
    return sorted(kept, key=lambda m: m.start)


def with_bare_articles(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` with the articles the page cites without their code (:func:`nlp.citations.bare_articles`), in
    the place of whatever the statistical model read inside them."""
    bare = bare_articles(text, [m for m in mentions if m.type in ("law", "case", "ref")])
    if not bare:
        return mentions
    kept = [m for m in mentions if not _overlaps(m, [(b.start, b.end) for b in bare])]
    return sorted(kept + bare, key=lambda m: m.start)


def analyse(pages: list[str], title: str | None = None, statistical: bool = True, metadata: bool = True,
            language: str | None = None) -> Analysis:
    """Language, entities per page, and inferred metadata of a document's cleaned pages.

    ``language`` forces one language for every page; by default each page's is detected.
    """
    if language:
        languages = [language] * len(pages)
    else:
        language, languages = page_languages(pages)
    stat: list[list[Mention]] = [[] for _ in pages]
    if statistical:
        for lang in sorted(set(languages)):
            indexes = [i for i, page_lang in enumerate(languages) if page_lang == lang and pages[i]]
            for i, found in zip(indexes, statistical_mentions([pages[i] for i in indexes], lang)):
                stat[i] = found
    per_page = repeat_named(pages, resolve_partial([with_bare_articles(text, continue_lists(
        text, merge(domain_mentions(text), stat[i]))) for i, text in enumerate(pages)]))
    result = Analysis(language, languages, per_page, summary=summarise(per_page))
    if metadata:
        result.metadata = infer_metadata(pages, [m for page in per_page for m in page], title=title)
    return result


def summarise(per_page: list[list[Mention]]) -> list[dict]:
    """One row per distinct entity: type, canonical form, count, surface forms, pages — most frequent first."""
    rows: dict[tuple[str, str], dict] = {}
    for number, mentions in enumerate(per_page, start=1):
        for m in mentions:
            row = rows.setdefault((m.type, m.canonical), {"type": m.type, "canonical": m.canonical, "count": 0,
                                                          "surfaces": [], "pages": []})
            row["count"] += 1
            surface = " ".join(m.surface.split())
            if surface not in row["surfaces"] and len(row["surfaces"]) < 10:
                row["surfaces"].append(surface)
            if number not in row["pages"]:
                row["pages"].append(number)
    return sorted(rows.values(), key=lambda r: (-r["count"], r["type"], r["canonical"]))


def by_type(mentions: list[Mention]) -> dict[str, list[str]]:
    """Distinct canonical forms by type, most frequent first."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for m in mentions:
        counts[m.type][m.canonical] = counts[m.type].get(m.canonical, 0) + 1
    return {kind: sorted(c, key=lambda k: -c[k]) for kind, c in counts.items()}


def document_entities(text: str, language: str | None = None) -> set[tuple[str, str]]:
    """(type, canonical) pairs of a whole text: the entry point of ``python -m nlp.evaluate``."""
    analysis = analyse([clean_page_text(text)], metadata=False, language=language)
    return {(m.type, m.canonical) for page in analysis.pages for m in page if m.type != "misc"}
