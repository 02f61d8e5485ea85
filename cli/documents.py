"""One document from the terminal (``show``, ``get``) and the originals of a search's results (``export``).

Every read goes through the core's search service: ``document``, ``page`` and ``file_path``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import typer
from rich.text import Text

from cli import render
from cli.filters import Filters
from cli.searching import dump, err, out, results, service, user_errors
from docsearch.fields import REGISTRY, Registry

MANIFEST = "manifest.json"


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


def export(q: str, filters: Filters, output: Path, limit: int, sort: str) -> None:
    """The originals of the search's first ``limit`` results in a ZIP, with ``manifest.json``."""
    search = service()
    rows, missing, names = [], [], set()
    with user_errors():  # a query the user must fix writes no ZIP
        request = filters.request(q, sort=sort).validate(search.registry)
        search.parse(q)
    with user_errors(), zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for result in results(search, request, limit):
            found = search.file_path(result["id"])
            if found is None:
                missing.append(result["id"])
                continue
            path, meta = found
            name = _unique(file_name(result["id"], meta), result["id"], names)
            digest = hashlib.sha256()
            with path.open("rb") as src, archive.open(name, "w", force_zip64=True) as dst:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
                    dst.write(chunk)
            rows.append({"id": result["id"], "title": result.get("title"), "sha256": digest.hexdigest(),
                         "file": name, "page_count": result.get("page_count")})
        manifest = {"query": {"q": q, "filters": filters.describe(), "sort": sort, "limit": limit},
                    "documents": rows, "missing": missing}
        archive.writestr(MANIFEST, _json(manifest))
    err.print(Text(f"{output}: {len(rows)} documents" + (f", {len(missing)} without a stored file" if missing else "")))


def _unique(name: str, doc_id: str, taken: set[str]) -> str:
    """Two documents loaded under one name keep both: the second is ``name (<id prefix>).pdf``."""
    if name in taken:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem} ({doc_id[:8]}).{ext}" if dot else f"{name} ({doc_id[:8]})"
    taken.add(name)
    return name


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
