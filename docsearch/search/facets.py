"""Facets: document counts per value of each facet of the registry, counted beside the hits.

Counts count documents; values within a facet combine with OR, facets with AND, and a facet's own counts
ignore its own selection. All facets are counted by one size-0 request sent in parallel with the hits,
within a time budget: when it runs out (or the request fails) the facets are reported as partial instead
of failing the search they belong to.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from docsearch.fields import Field, Registry
from docsearch.search.clauses import year_range
from docsearch.search.request import FACET_SIZE, SearchRequest

log = logging.getLogger(__name__)
# Facets are counted in parallel with the hits, within their time budget.
POOL = ThreadPoolExecutor(max_workers=32, thread_name_prefix="facet")
YEARS_SHOWN = 200  # a year facet lists every year (a histogram), newest first
# The value of a year facet that selects the documents with no year (no date found in them): they are counted
# apart, as the facet's ``missing``, since a histogram of years has no place for them.
NO_YEAR = "none"


def _filter(spec: Field, values: tuple[str, ...]) -> dict:
    if spec.kind != "year":
        return {"terms": {spec.field: list(values)}}
    years = {"terms": {spec.field: [int(v) for v in values if v != NO_YEAR]}}
    if NO_YEAR not in values:
        return years
    undated = {"bool": {"must_not": [{"exists": {"field": spec.field}}]}}
    if len(values) == values.count(NO_YEAR):
        return undated
    return {"bool": {"should": [years, undated], "minimum_should_match": 1}}


def selections(request: SearchRequest, registry: Registry) -> dict[str, dict]:
    """One filter clause per facet with a selection (the year range joins the year facet's clause)."""
    selected = {name: _filter(registry[name], values) for name, values in request.filters}
    # Hidden collections are left out as if the collection facet had every other value chosen: its own counts
    # still list them, so that one can be chosen.
    if request.hidden and "collection" in registry and "collection" not in selected:
        selected["collection"] = {"bool": {"must_not": [{"terms": {registry["collection"].field: list(request.hidden)}}]}}
    if request.year_from is not None or request.year_to is not None:
        year = next(f for f in registry.facets if f.kind == "year")
        years = year_range(request.year_from, request.year_to, field=year.field)
        selected[year.key] = {"bool": {"filter": [selected[year.key], years]}} if year.key in selected else years
    return selected


def _terms(spec: Field, size: int = FACET_SIZE, include: str | None = None) -> dict:
    if spec.kind == "year":
        return {"field": spec.field, "size": YEARS_SHOWN, "order": {"_key": "desc"}}
    terms: dict = {"field": spec.field, "size": size}
    if include:
        terms["include"] = include
    return terms


def _agg(spec: Field, selected: dict[str, dict], include: str | None, size: int) -> dict:
    others = [clause for other, clause in selected.items() if other != spec.key]
    aggs: dict = {"values": {"terms": _terms(spec, size, include)}}
    if spec.kind == "year":  # the documents without a year, under the same selections
        aggs["missing"] = {"missing": {"field": spec.field}}
    return {"filter": {"bool": {"filter": others}} if others else {"match_all": {}}, "aggs": aggs}


def facets_body(specs: tuple[Field, ...], query: dict, selected: dict[str, dict], budget_ms: int,
                include: str | None = None, size: int = FACET_SIZE) -> dict:
    """One request counting these facets for the documents matching ``query`` (each facet under every
    selection but its own), within the time budget."""
    return {
        "size": 0,
        "track_total_hits": False,
        "timeout": f"{budget_ms}ms",
        "query": query,
        "aggs": {spec.key: _agg(spec, selected, include, size) for spec in specs},
    }


def facet_counts(aggs: dict, name: str, chosen: dict[str, tuple[str, ...]]) -> list[dict]:
    buckets = aggs.get(name, {}).get("values", {}).get("buckets", [])
    selected = set(chosen.get(name, ()))
    out = [{"value": str(b["key"]), "count": b["doc_count"], "selected": str(b["key"]) in selected} for b in buckets]
    # A selected value always shows, even when other selections leave it no documents; "no year" is counted
    # apart (facet_missing), not as a value.
    seen = {v["value"] for v in out}
    out.extend({"value": v, "count": 0, "selected": True} for v in chosen.get(name, ())
               if v not in seen and not ("missing" in aggs.get(name, {}) and v == NO_YEAR))
    return out


def facet_missing(aggs: dict, registry: Registry) -> dict[str, int]:
    """Per year facet, the documents without a year (given every other selection); none when not counted."""
    return {spec.key: aggs[spec.key]["missing"]["doc_count"] for spec in registry.facets
            if spec.kind == "year" and "missing" in aggs.get(spec.key, {})}


def within_budget(future: Future, deadline: float) -> dict | None:
    """The facets' engine answer if it came within the budget; None (partial) if not, or if it failed:
    facets never fail the search they belong to."""
    try:
        return future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        future.cancel()
        log.warning("facets over their time budget, reported partial")
    except Exception as exc:  # noqa: BLE001 - the hits are already there; the facets are reported partial
        log.warning("facets failed, reported partial: %s", exc)
    return None
