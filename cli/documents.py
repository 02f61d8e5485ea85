"""One document from the terminal (``show``, ``get``; exports of originals for court are in ``custody``).

Every read goes through the core's search service: ``document``, ``page`` and ``file_path``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import typer
from rich.text import Text

from cli import render
from cli.searching import dump, err, out, service, user_errors
from docsearch.fields import REGISTRY, Registry


def _missing(doc_id: str) -> typer.Exit:
    err.print(Text("error: ", style="bold red") + Text(f"no document {doc_id}"))
    return typer.Exit(1)


def file_name(doc_id: str, meta: dict) -> str:
    """The name the file was loaded under (its last path part), else ``<id>.pdf``."""
    paths = meta.get("source_paths") or []
    name = paths[0].replace("\\", "/").rsplit("/", 1)[-1] if paths else ""
    return name or f"{doc_id}.pdf"


def entity_rows(entities: dict[str, list[str]], registry: Registry = REGISTRY, lang: str = "en") -> list[tuple[str, list[str]]]:
    """The entities of a document by type, in the registry's order, each under its field's label."""
    rows = []
    for field in registry.fields:
        if field.entity and entities.get(field.entity):
            rows.append((field.label(lang), list(entities[field.entity])))
    return rows


def show(doc_id: str, page: int | None, q: str, as_json: bool) -> None:
    search = service()
    with user_errors():
        doc = search.document(doc_id)
        if doc is None:
            raise _missing(doc_id)
        if page is None:
            page = (search.best_page(doc_id, q) if q.strip() else None) or 1
        found = search.page(doc_id, page, q)
    if as_json:
        dump({"document": doc, "page": found})
        return
    out.print(Text(doc.get("title") or doc_id, style="bold"))
    about = render.describe_result(doc)
    if about:
        out.print(Text(about, style="cyan"))
    facts = [("id", doc_id), ("language", doc.get("language")), ("pages", doc.get("page_count")),
             ("file", ", ".join(doc.get("source_paths") or [])), ("bytes", doc.get("file_size")),
             ("OCR pages", doc.get("ocr_pages")), ("loaded", doc.get("ingested_at"))]
    for label, value in facts:
        if value not in (None, "", 0):
            out.print(Text(f"{label:>10}  ", style="dim") + Text(str(value)))
    rows = entity_rows(doc.get("entities") or {})
    if rows:
        out.print()
        for label, values in rows:
            out.print(Text(f"{label}: ", style="bold") + Text("; ".join(values)))
    out.print()
    if found is None:
        out.print(Text(f"no page {page} (the document has {doc.get('page_count') or 0})", style="yellow"))
        raise typer.Exit(1)
    heading = f"— page {found['page']} of {found.get('page_count') or doc.get('page_count')}"
    if q.strip():
        heading += f", {found.get('hits', 0)} hit{'s' if found.get('hits') != 1 else ''} of '{q}'"
    if found.get("ocr"):
        heading += f" (OCR, confidence {found.get('ocr_confidence')})"
    out.print(Text(heading + " —", style="dim"))
    out.print(render.marked(found.get("html") or ""))


def get(doc_id: str, output: Path | None) -> None:
    found = service().file_path(doc_id)
    if found is None:
        raise _missing(doc_id)
    path, meta = found
    target = output or Path(file_name(doc_id, meta))
    if target.is_dir():
        target = target / file_name(doc_id, meta)
    shutil.copyfile(path, target)
    err.print(Text(f"{target} ({path.stat().st_size} bytes)"))
