from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import ORJSONResponse, Response
from pydantic import BaseModel, Field, create_model

from api.deps import AccountsDep, CallerDep, SearchDep, Trail, TrailDep
from api.models import CitedBy, EntityPage, ErrorResponse, FacetValues, FieldInfo, Network, SearchResponse, Suggestions
from docsearch.audit import Action
from docsearch.fields import REGISTRY, Registry
from docsearch.search.network import as_csv, as_graphml
from docsearch.search import MAX_FACET_SIZE, MAX_PAGE_SIZE, MAX_QUERY_CHARS, MODES, SORTS, SearchRequest
from docsearch.search.request import MAX_FILTER_VALUES

router = APIRouter(prefix="/api", tags=["search"])

ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorResponse}, 422: {"model": ErrorResponse},
                                           503: {"model": ErrorResponse}}
# Names the API takes, as enums in the OpenAPI schema, built from the registry when the module loads (a type
# checker sees them as the strings they are).
if TYPE_CHECKING:
    Sort = str
    Mode = str
    FacetName = str
    SuggestType = str
else:
    Sort = Literal[SORTS]
    Mode = Literal[MODES]
    FacetName = Literal[REGISTRY.facet_keys]
    SuggestType = Literal[("title",) + REGISTRY.entity_facets]

MODE_HELP = ("lexical (the query's words), semantic (its meaning: passages' vectors, any language) or hybrid "
             "(both, fused by rank); the server's default when absent (docs/semantic.md).")
QUERY_HELP = (
    "Query language: words (all required), `AND` / `OR` (also `|`) / `NOT` (also `-word`), `+word`, "
    '`"exact phrase"` (whole words, accents folded), `prefix*`, `word~` (typos allowed), `( )`, and '
    "`field:value` (`year:2019`, `year:2015..2019`, `year:>2018`) for "
    + ", ".join(f.query for f in REGISTRY.query_fields if f.query)
    + " (GET /api/fields lists them with their other names). Legal citations in any spelling "
    "(`DL 1106`, `D. Leg. 1106`, `art. 296 del CP`). When no document has the exact words, typos are allowed "
    "and the response says so (`query.approximate`). A query that cannot be read is a 400 whose "
    "`error.detail.position` points at the problem."
)
Q = Annotated[str, Query(max_length=MAX_QUERY_CHARS, description=QUERY_HELP, examples=["lavado de activos"],
                         openapi_examples={
                             "words": {"summary": "Words", "value": "lavado de activos"},
                             "citation": {"summary": "A law in any spelling", "value": "DL 1106"},
                             "phrase": {"summary": "Phrase and field", "value": '"entrega vigilada" court:lima'},
                             "boolean": {"summary": "OR, NOT, prefix", "value": "(cocaina OR marihuana) -menor incauta*"},
                         })]


class SearchBody(BaseModel):
    """The same search as ``GET /api/search``, for long filter sets."""

    q: str = Field("", max_length=MAX_QUERY_CHARS, description=QUERY_HELP, examples=["lavado de activos"])
    page: int = Field(1, ge=1)
    size: int = Field(10, ge=1, le=MAX_PAGE_SIZE)
    sort: Sort = "relevance"
    mode: Mode | None = Field(None, description=MODE_HELP)
    search_after: str | None = Field(None, max_length=2000, description="next_search_after of the previous page.")
    facets: bool = True
    filters: dict[FacetName, list[str]] = Field(
        default_factory=dict, description="Facet name -> values (OR within a facet, AND across facets).",
        examples=[{"doc_type": ["sentencia"], "laws": ["Decreto Legislativo 1106"]}])
    year_from: int | None = Field(None, ge=0, le=9999)
    year_to: int | None = Field(None, ge=0, le=9999)


class FilterParams(BaseModel):
    """The facet filters every search-shaped GET takes; built from the field registry by :func:`filter_params`."""

    def request(self, **params) -> SearchRequest:
        """A search request with these filters (``params``: q, page, size, ...)."""
        chosen = {key: value for key, value in self if value and key not in ("year_from", "year_to")}
        return SearchRequest.create(filters=chosen, year_from=getattr(self, "year_from"),
                                    year_to=getattr(self, "year_to"), **params)


def _default_view(request: SearchRequest, accounts: AccountsDep) -> SearchRequest:
    """The collections an administrator hid are left out of a search that chooses none (docs/collections.md)."""
    return replace(request, hidden=accounts.hidden_collections())


def filter_params(registry: Registry) -> type[FilterParams]:
    """One query parameter per facet of the registry (repeat it for several values: OR within a facet,
    AND across facets), plus the year range."""
    fields: dict[str, Any] = {f.key: (list[str] | None, Field(None, max_length=MAX_FILTER_VALUES, description=f.help or f.label_en))
              for f in registry.facets}
    fields["year_from"] = (int | None, Field(None, ge=0, le=9999, description="From this year (inclusive)."))
    fields["year_to"] = (int | None, Field(None, ge=0, le=9999, description="Up to this year (inclusive)."))
    return create_model("Filters", __base__=FilterParams, **fields)


if TYPE_CHECKING:
    Filters = FilterParams
else:
    Filters = Annotated[filter_params(REGISTRY), Query()]


@router.get("/search", response_model=SearchResponse, responses=ERRORS,
            summary="Full-text search over every page, with facets")
def search(
    service: SearchDep,
    trail: TrailDep,
    accounts: AccountsDep,
    filters: Filters,
    q: Q = "",
    page: Annotated[int, Query(ge=1, le=10_000, description="Result page, from 1.")] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Results per page.")] = 10,
    sort: Annotated[Sort, Query(description="relevance, or by the document's year (then load time).")] = "relevance",
    search_after: Annotated[str | None, Query(max_length=2000, description="Deep paging: next_search_after of the "
                                              "previous response (same q, filters, sort); page is then ignored.")] = None,
    facets: Annotated[bool, Query(description="Include facet counts.")] = True,
    mode: Annotated[Mode | None, Query(description=MODE_HELP)] = None,
) -> ORJSONResponse:
    """Documents matching ``q`` (empty lists the newest), each with its best pages and highlighted snippets.

    Filters take facet values (repeat a parameter for several: values of one facet combine with OR,
    facets with AND). Facet counts count documents; each facet's counts ignore its own selection.
    Entity facets each have a time budget; one that runs out is named in ``partial_facets``.
    """
    # The service's answer has the documented shape (tests check it); written as is, without validating it
    # again against the model, which cost a tenth of the API's time per search.
    request = _default_view(filters.request(q=q, page=page, size=size, facets=facets, sort=sort,
                                            search_after=search_after, mode=mode), accounts)
    found = service.search(request)
    _searched(trail, request, found)
    return ORJSONResponse(found)


def _searched(trail: Trail, request: SearchRequest, found: dict) -> None:
    trail(Action.SEARCH, query=request.q, details={
        "filters": {name: list(values) for name, values in request.filters}, "page": request.page,
        "sort": request.sort, "mode": found["query"].get("mode"), "year_from": request.year_from, "year_to": request.year_to, "total": found["total"]})


@router.post("/search", response_model=SearchResponse, responses=ERRORS, summary="Search, with a JSON body")
def search_post(service: SearchDep, trail: TrailDep, accounts: AccountsDep, body: SearchBody) -> dict:
    """The same as ``GET /api/search``; filters as ``{"filters": {"laws": ["Ley 30077"], ...}}``."""
    request = SearchRequest.create(q=body.q, page=body.page, size=body.size, filters=body.filters,
                                   facets=body.facets, sort=body.sort, search_after=body.search_after,
                                   year_from=body.year_from, year_to=body.year_to, mode=body.mode)
    found = service.search(_default_view(request, accounts))
    _searched(trail, request, found)
    return found


@router.get("/facets/{name}", response_model=FacetValues, responses=ERRORS,
            summary="One facet's values for a search, by prefix")
def facet(
    service: SearchDep,
    accounts: AccountsDep,
    filters: Filters,
    name: Annotated[FacetName, Path(description="A facet of GET /api/search.")],
    prefix: Annotated[str, Query(max_length=100, description="Values with a word starting with this "
                                 "(any case, accents optional).", examples=["quis"])] = "",
    q: Q = "",
    size: Annotated[int, Query(ge=1, le=MAX_FACET_SIZE)] = 20,
) -> dict:
    """For large facets (names of people, organisations, places): search the values, with document counts
    for the same query and filters as the search (the facet's own selection ignored)."""
    return service.facet_values(_default_view(filters.request(q=q), accounts), name, prefix=prefix, size=size)


@router.get("/citations/{citation}", response_model=CitedBy, responses=ERRORS, summary="Cited by")
def cited_by(
    service: SearchDep,
    trail: TrailDep,
    citation: Annotated[str, Path(min_length=1, max_length=200, description="A law, article or ruling in any "
                                  "spelling, or its canonical form.", examples=["Decreto Legislativo 1106"])],
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> dict:
    """Documents that cite a law, an article or a ruling, most citations first, with pages."""
    found = service.cited_by(citation, size=size)
    trail(Action.SEARCH, query=citation, details={"cited_by": True, "total": found["total"]})
    return found


@router.get("/entities/{field}/{value}", response_model=EntityPage, responses=ERRORS,
            summary="One entity across the archive")
def entity(
    service: SearchDep,
    trail: TrailDep,
    field: Annotated[str, Path(max_length=50, description="An entity facet of GET /api/search.",
                               examples=["criminal_orgs"])],
    value: Annotated[str, Path(min_length=1, max_length=256, description="Its canonical form, as the facet lists "
                               "it.", examples=["Los Injertos del Cono"])],
) -> dict:
    """Where a person, organisation, case or law appears (documents and pages, first and last year, how it is
    written) and what appears with it on the same pages and in the same documents, within what the caller
    may read."""
    found = service.entity(field, value)
    trail(Action.SEARCH, query=f"{field}:{value}", details={"entity": True, "total": found["documents"]})
    return found


@router.get("/network", response_model=Network, summary="Who appears with whom",
            responses={**ERRORS, 200: {"content": {"application/json": {}, "application/graphml+xml": {},
                                                   "text/csv": {}},
                                       "description": "The network as JSON, GraphML or CSV (`format`)."}})
def network(
    service: SearchDep,
    trail: TrailDep,
    accounts: AccountsDep,
    filters: Filters,
    q: Q = "",
    types: Annotated[str, Query(max_length=300, description="Comma-separated entity facets (default: persons, "
                                "criminal_orgs, organizations, operations, cases).",
                                examples=["persons,criminal_orgs"])] = "",
    size: Annotated[int, Query(ge=1, le=30, description="Nodes per type: the most named.")] = 10,
    format: Annotated[Literal["json", "graphml", "csv"], Query(description="json, or graphml / csv to download "
                                                               "(Gephi, i2).")] = "json",
) -> Any:
    """The entities of the documents a search selects (same query and filters as GET /api/search) as a
    network: nodes with their document counts, edges weighted by the pages that name both. Every count is of
    the documents the caller may read."""
    keys = [k.strip() for k in types.split(",") if k.strip()] or None
    found = service.network(_default_view(filters.request(q=q), accounts), keys, size)
    trail(Action.SEARCH, query=q, details={"network": True, "total": found["documents"]})
    if format == "json":
        return found
    body = as_graphml(found) if format == "graphml" else as_csv(found)
    media = "application/graphml+xml" if format == "graphml" else "text/csv"
    return Response(body, media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="docsearch-network.{format}"'})


@router.get("/suggest", response_model=Suggestions, responses=ERRORS, summary="Autocomplete titles and names")
def suggest(
    service: SearchDep,
    prefix: Annotated[str, Query(min_length=1, max_length=100, examples=["lav"])],
    type: Annotated[SuggestType | None, Query(description="Only this kind (default: all).")] = None,
    size: Annotated[int, Query(ge=1, le=20)] = 5,
) -> dict:
    """Titles and entity names (people, organisations, laws, ...) with a word starting with ``prefix``."""
    return service.suggest(prefix, type, size)


@router.get("/fields", response_model=list[FieldInfo], summary="The searchable fields, facets and entity types")
def fields(_: CallerDep) -> list[dict]:
    """Every field of the registry: its key (the facet name and filter parameter), labels, the names the
    query language takes for it, and the entity type it holds. The web interface builds its filters from it."""
    return [{"key": f.key, "labels": {"es": f.label_es, "en": f.label_en}, "kind": f.kind, "facet": f.facet,
             "entity": f.entity, "query": f.query, "aliases": list(f.aliases)} for f in REGISTRY.fields]
