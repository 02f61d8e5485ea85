"""Batch search: a list of names, DNI numbers, case numbers or organisations, one a line, each searched as the
caller, answered with the number of documents it matches and the first few.

Each line is one lexical search through :class:`SearchService` (no facets), so its count obeys the caller's
access rule exactly as a search of the same words would. A plain line (no quotes, brackets, colons or
operators) is searched as a phrase, its words together and in order: "Juan Pérez Soto" counts the documents
naming him, not every document holding "Juan". A line written in the query language (``"..."``, ``court:lima``,
``A OR B``) is searched as written. A line the query language cannot read gets its own error in its row; the
other lines are answered all the same.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from docsearch.search import InvalidQuery, SearchRequest, SearchService
from docsearch.workspace import WorkspaceError, cell, link

MAX_LINES = 200
MAX_LINE = 300  # characters of one line
MAX_TOP = 10
CSV_COLUMNS = ("line", "query", "documents", "approximate", "error", "top_titles", "top_links")
_SYNTAX = re.compile(r"[\"():*]|\b(AND|OR|NOT)\b")


def lines_of(text: str) -> list[str]:
    """The non-empty lines of ``text``, their spaces collapsed (a spreadsheet's tab-separated cells too)."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def query_of(line: str) -> str:
    """What is searched for a line: the line as written when it uses the query language, else a phrase."""
    return line if _SYNTAX.search(line) else f'"{line}"'


@dataclass
class BatchSearch:
    service: SearchService
    public_url: str

    def run(self, lines: list[str], top: int = 3) -> list[dict]:
        """One row per line: ``line`` (its number, from 1), ``text``, ``query``, ``total`` (documents the caller
        may read that match; None when the line has an error), ``approximate`` (found with typos allowed or
        with some of its words), ``top`` (the first ``top`` documents: id, title) and ``error``."""
        if not lines:
            raise WorkspaceError("invalid", "Give at least one line to search.")
        if len(lines) > MAX_LINES:
            raise WorkspaceError("limit", f"At most {MAX_LINES} lines per batch search; {len(lines)} were given. "
                                 "Split the list.")
        if not 0 <= top <= MAX_TOP:
            raise WorkspaceError("invalid", f"top is between 0 and {MAX_TOP}.")
        return [self._row(n, line, top) for n, line in enumerate(lines, 1)]

    def _row(self, number: int, line: str, top: int) -> dict:
        row: dict = {"line": number, "text": line, "query": "", "total": None, "approximate": False, "top": [],
                     "error": None}
        if len(line) > MAX_LINE:
            row["error"] = f"The line is {len(line)} characters long; the limit is {MAX_LINE}."
            return row
        row["query"] = query_of(line)
        request = SearchRequest.create(q=row["query"], size=max(top, 1), facets=False, mode="lexical")
        try:
            answer = self.service.search(request)
        except InvalidQuery as exc:
            row["error"] = str(exc)
            return row
        asked = answer.get("query") or {}
        row["total"] = int(answer["total"])
        row["approximate"] = bool(asked.get("approximate") or asked.get("relaxed"))
        row["top"] = [{"id": r["id"], "title": r.get("title") or r["id"]} for r in answer["results"][:top]]
        return row

    def spreadsheet(self, rows: list[dict]) -> bytes:
        """The rows as CSV, UTF-8 with a BOM (Excel reads its accents): :data:`CSV_COLUMNS`, the first
        documents' titles and links joined by " | "."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow([cell(row["text"]), cell(row["query"]), "" if row["total"] is None else row["total"],
                             "yes" if row["approximate"] else "", cell(row["error"] or ""),
                             cell(" | ".join(t["title"] for t in row["top"])),
                             " | ".join(link(self.public_url, t["id"]) for t in row["top"])])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

