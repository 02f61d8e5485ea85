"""Terminal rendering of what the search service answers: marked HTML as styled text, results, notices, facets.

The service marks hits as HTML (``<mark>``…``</mark>``, everything else escaped: ``&amp;``, ``&#x2F;``). Here
that becomes a :class:`rich.text.Text` whose hits carry a style and whose text is the document's own, entities
unescaped. Document text is never parsed as rich markup (a ``[bold]`` in a ruling stays as written): every
line is built from ``Text`` pieces, as the web page's ``appendMarked`` builds DOM text nodes.
"""

from __future__ import annotations

import html
import re

from rich.table import Table
from rich.text import Text

from docsearch.fields import REGISTRY, Registry

HIT = "bold reverse"
_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")  # anything else the engine might wrap text in (never shown as tags)
_SPACE = re.compile(r"\s+")


def plain(fragment: str) -> str:
    """HTML text as the words it shows: tags dropped, entities unescaped."""
    return html.unescape(_TAG.sub("", fragment))


def marked(fragment: str, style: str = HIT, one_line: bool = False) -> Text:
    """``fragment`` (HTML-escaped text with hits in ``<mark>``) as text whose hits carry ``style``.

    ``one_line`` folds every run of white space (newlines too) into one space, for a snippet line."""
    out = Text()
    at = 0
    for match in _MARK.finditer(fragment):
        out.append(_clean(fragment[at:match.start()], one_line))
        out.append(_clean(match.group(1), one_line), style=style)
        at = match.end()
    out.append(_clean(fragment[at:], one_line))
    return out


def _clean(fragment: str, one_line: bool) -> str:
    text = plain(fragment)
    return _SPACE.sub(" ", text) if one_line else text


def describe_result(result: dict) -> str:
    """The line under a title: type · court · year · collection (what is known of them)."""
    parts = [result.get("doc_type"), result.get("institution"), result.get("year"), result.get("collection")]
    return " · ".join(str(p) for p in parts if p not in (None, ""))


def result_lines(result: dict) -> list[Text]:
    """One search result as the web page shows it: title, what it is, short id, one line per best page."""
    title = Text(result.get("title") or result["id"], style="bold")
    lines = [title]
    about = Text("   ")
    about.append(describe_result(result), style="cyan")
    about.append(("   " if about.plain.strip() else "") + result["id"][:12], style="dim")
    lines.append(about)
    for page in result.get("pages") or []:
        line = Text(f"   p. {page['page']}: ", style="dim")
        line.append_text(marked(page.get("snippet") or "", one_line=True))
        lines.append(line)
    return lines


def header(answer: dict) -> Text:
    """``N documents (M ms)`` and, when paged, which page of how many."""
    total, size, page = answer["total"], answer.get("size") or 10, answer.get("page") or 1
    line = Text(f"{total} document{'s' if total != 1 else ''}", style="bold")
    pages = max(1, -(-total // size))
    line.append(f" ({answer.get('took_ms', 0)} ms)" + (f" · page {page} of {pages}" if pages > 1 else ""), style="dim")
    return line


def notices(query: dict | None) -> list[Text]:
    """How the query was read and what the user is told about it (the web page's lines above the results)."""
    if not query:
        return []
    out = []
    if query.get("interpreted"):
        out.append(Text("read as: ", style="dim") + Text(str(query["interpreted"])))
    if query.get("approximate"):
        out.append(Text("no document has these exact words: similar words allowed (typos)", style="yellow"))
    if query.get("relaxed"):
        all_words = query.get("all_words")
        out.append(Text(f"{all_words if all_words is not None else 'some'} hold every word; "
                        "the rest hold most of them", style="yellow"))
    for expansion in query.get("expansions") or []:
        also = list(expansion.get("alternatives") or []) + list(expansion.get("related") or [])
        out.append(Text("also searched for ", style="dim") + Text(str(expansion.get("term", "")), style="bold")
                   + Text(": " + ", ".join(also)))
    for warning in query.get("warnings") or []:
        out.append(Text("note: ", style="yellow") + Text(str(warning)))
    return out


def facets_table(facets: dict[str, list[dict]], registry: Registry = REGISTRY, partial: list[str] | None = None,
                 lang: str = "en") -> Table:
    """Facet counts, one row per value, grouped under each facet's label (selected values marked ``*``)."""
    table = Table("facet", "value", "documents", title="facets", show_lines=False)
    for key, values in facets.items():
        if not values:
            continue
        label = registry[key].label(lang) if key in registry else key
        if partial and key in partial:
            label += " (partial)"
        for i, v in enumerate(values):
            table.add_row(Text(label if i == 0 else ""), Text(("* " if v.get("selected") else "") + str(v["value"])),
                          Text(str(v["count"])))
    return table
