"""One entity across the archive: where it appears, since when, and who and what appear with it.

``GET /api/entities/{field}/{value}``: a person, criminal organisation, company, operation, case, law, ... by
its canonical form (the value its facet lists). Counted over the documents the caller may read (every request
goes through the service's ``_find``, which adds the read rule): how many documents and pages name it, the first
and last year, the names it is written under, the documents (most mentions first) with the pages naming it, and
the entities that appear with it — on the same page (the stronger link) and in the same document — with counts.
"""

from __future__ import annotations

from typing import Any

from docsearch.fields import Field, Registry
from docsearch.identities import NUMBER_FIELD
from docsearch.search.request import InvalidQuery

CO_SIZE = 10  # co-occurring values listed per entity field
DOCS = 20  # documents listed


def entity_field(registry: Registry, key: str) -> Field:
    """The registry field of an entity type by its facet key (``persons``, ``criminal_orgs``, ``cases``…)."""
    field = next((f for f in registry.fields if f.key == key and f.entity), None)
    if field is None:
        keys = ", ".join(f.key for f in registry.fields if f.entity)
        raise InvalidQuery(f"field is one of {keys}.")
    return field


def entity_body(registry: Registry, field: Field, value: str) -> dict:
    """One request: the documents naming ``value`` as ``field``'s entity, their years, the DNI/RUC numbers they
    print, and what co-occurs with it on its pages and in its documents."""
    others = [registry[k] for k in registry.entity_facets]
    on_page = {"term": {f"pages.entities.{field.entity}": value}}
    numbers = NUMBER_FIELD.get(field.entity or "")  # the DNI or RUC printed beside it
    return {
        "size": DOCS,
        "track_total_hits": True,
        "_source": ["id", "title", "doc_type", "year", "collection", "entity_summary"],
        "query": {"term": {f"entities.{field.entity}": value}},
        "sort": [{"year": {"order": "desc", "missing": "_last"}}, {"id": "asc"}],
        "aggs": {
            **({"numbers": {"terms": {"field": f"entities.{numbers}", "size": 100}}} if numbers else {}),
            "first": {"min": {"field": "year"}},
            "last": {"max": {"field": "year"}},
            "in_documents": {"filter": {"match_all": {}}, "aggs": {
                o.key: {"terms": {"field": f"entities.{o.entity}", "size": CO_SIZE + 1}} for o in others}},
            "pages": {"nested": {"path": "pages"}, "aggs": {"naming": {"filter": on_page, "aggs": {
                o.key: {"terms": {"field": f"pages.entities.{o.entity}", "size": CO_SIZE + 1}} for o in others}}}},
        },
    }


def _counts(aggs: dict, key: str, exclude: str | None) -> list[dict]:
    buckets = (aggs.get(key) or {}).get("buckets", [])
    return [{"value": str(b["key"]), "count": b["doc_count"]} for b in buckets if str(b["key"]) != exclude][:CO_SIZE]


def entity_page(found: dict, registry: Registry, field: Field, value: str,
                identity: dict | None = None) -> dict[str, Any]:
    """The answer of :func:`entity_body`'s request, shaped for ``GET /api/entities/{field}/{value}``; ``identity``
    is the archive's record of the entity (docsearch.identities), of which only its id and the DNI/RUC numbers
    the caller's documents print are told."""
    hits = found["hits"]["hits"]
    aggs = found.get("aggregations") or {}
    naming = (aggs.get("pages") or {}).get("naming") or {}
    in_documents = aggs.get("in_documents") or {}
    documents: list[dict] = []
    variants: list[str] = []
    spellings: list[str] = []
    for hit in hits:
        src = hit["_source"]
        rows = [r for r in src.get("entity_summary") or [] if r.get("type") == field.entity and r.get("canonical") == value]
        for row in rows:
            if (spelling := row.get("spelling", value)) not in spellings:
                spellings.append(spelling)
            for surface in row.get("surfaces") or []:
                if surface not in variants and len(variants) < 20:
                    variants.append(surface)
        documents.append({"id": src.get("id") or hit["_id"], "title": src.get("title"), "doc_type": src.get("doc_type"),
                          "year": src.get("year"), "collection": src.get("collection"),
                          "mentions": sum(r.get("count", 0) for r in rows),
                          "pages": sorted({p for r in rows for p in r.get("pages", [])})})
    documents.sort(key=lambda d: (-d["mentions"], d["id"]))
    others = [registry[k] for k in registry.entity_facets]
    linked = []
    for other in others:
        same = other.key == field.key
        page_counts = _counts(naming, other.key, value if same else None)
        doc_counts = {c["value"]: c["count"] for c in _counts(in_documents, other.key, value if same else None)}
        values = {c["value"]: {"value": c["value"], "pages": c["count"], "documents": doc_counts.get(c["value"], 0)}
                  for c in page_counts}
        for name, count in doc_counts.items():
            values.setdefault(name, {"value": name, "pages": 0, "documents": count})
        if values:
            ranked = sorted(values.values(), key=lambda v: (-v["pages"], -v["documents"], v["value"]))[:CO_SIZE]
            linked.append({"field": other.key, "type": other.entity, "values": ranked})
    first, last = (aggs.get("first") or {}).get("value"), (aggs.get("last") or {}).get("value")
    printed = {str(b["key"]) for b in (aggs.get("numbers") or {}).get("buckets", [])}
    return {
        "field": field.key, "type": field.entity, "value": value,
        "identity": {"id": identity["id"], **{kind: [n for n in identity.get(kind) or [] if n in printed]
                                              for kind in ("dni", "ruc")}} if identity else None,
        "documents": found["hits"]["total"]["value"],
        "pages": naming.get("doc_count", 0),
        "first_year": int(first) if first is not None else None,
        "last_year": int(last) if last is not None else None,
        "variants": variants,
        "spellings": spellings,
        "results": documents,
        "linked": linked,
    }
