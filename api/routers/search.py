from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import ORJSONResponse
from pydantic import BaseModel, Field

from api.deps import SearchDep
from api.models import CitedBy, ErrorResponse, FacetValues, SearchResponse, Suggestions
from docsearch.search import FACETS, MAX_FACET_SIZE, MAX_PAGE_SIZE, MAX_QUERY_CHARS, SUGGEST_TYPES, SearchRequest

router = APIRouter(prefix="/api", tags=["search"])

ERRORS = {400: {"model": ErrorResponse}, 422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}}
Values = Annotated[list[str] | None, Query(max_length=50)]
Sort = Literal["relevance", "date_desc", "date_asc"]
FacetName = Literal[tuple(FACETS)]  # type: ignore[valid-type]

QUERY_HELP = (
    "Query language: words (all required), `AND` / `OR` (also `|`) / `NOT` (also `-word`), `+word`, "
    '`"exact phrase"` (whole words, accents folded), `prefix*`, `word~` (typos allowed), `( )`, and '
    "`field:value` for title, court, type, year (`year:2019`, `year:2015..2019`, `year:>2018`), collection, "
    "language, topic, person, org, place, institution, case, law, drug. Legal citations in any spelling "
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
    search_after: str | None = Field(None, max_length=2000, description="next_search_after of the previous page.")
    facets: bool = True
    filters: dict[FacetName, list[str]] = Field(  # type: ignore[valid-type]
        default_factory=dict, description="Facet name -> values (OR within a facet, AND across facets).",
        examples=[{"doc_type": ["sentencia"], "laws": ["Decreto Legislativo 1106"]}])
    year_from: int | None = Field(None, ge=0, le=9999)
    year_to: int | None = Field(None, ge=0, le=9999)


def _filters(collection, doc_type, court, year, language, topics, persons, organizations, places, institutions,
             cases, laws, drugs) -> dict:
    return {"collection": collection, "doc_type": doc_type, "court": court, "year": year, "language": language,
            "topics": topics, "persons": persons, "organizations": organizations, "places": places,
            "institutions": institutions, "cases": cases, "laws": laws, "drugs": drugs}


class FilterParams:
    """The facet filters every search-shaped GET takes (repeat a parameter for several values)."""

    def __init__(
        self,
        collection: Values = None,
        doc_type: Values = None,
        court: Annotated[list[str] | None, Query(max_length=50, description="Issuing court or office.")] = None,
        year: Values = None,
        year_from: Annotated[int | None, Query(ge=0, le=9999, description="From this year (inclusive).")] = None,
        year_to: Annotated[int | None, Query(ge=0, le=9999, description="Up to this year (inclusive).")] = None,
        language: Values = None,
        topics: Values = None,
        persons: Values = None,
        organizations: Values = None,
        places: Values = None,
        institutions: Annotated[list[str] | None, Query(max_length=50, description="Institutions mentioned.")] = None,
        cases: Values = None,
        laws: Annotated[list[str] | None, Query(max_length=50,
                                                description="Canonical law, e.g. 'Decreto Legislativo 1106'.")] = None,
        drugs: Values = None,
    ):
        self.filters = _filters(collection, doc_type, court, year, language, topics, persons, organizations, places,
                                institutions, cases, laws, drugs)
        self.year_from, self.year_to = year_from, year_to


Filters = Annotated[FilterParams, Depends()]


@router.get("/search", response_model=SearchResponse, responses=ERRORS,
            summary="Full-text search over every page, with facets")
def search(
    service: SearchDep,
    filters: Filters,
    q: Q = "",
    page: Annotated[int, Query(ge=1, le=10_000, description="Result page, from 1.")] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Results per page.")] = 10,
    sort: Annotated[Sort, Query(description="relevance, or by the document's year (then load time).")] = "relevance",
    search_after: Annotated[str | None, Query(max_length=2000, description="Deep paging: next_search_after of the "
                                              "previous response (same q, filters, sort); page is then ignored.")] = None,
    facets: Annotated[bool, Query(description="Include facet counts.")] = True,
) -> dict:
    """Documents matching ``q`` (empty lists the newest), each with its best pages and highlighted snippets.

    Filters take facet values (repeat a parameter for several: values of one facet combine with OR,
    facets with AND). Facet counts count documents; each facet's counts ignore its own selection.
    Entity facets each have a time budget; one that runs out is named in ``partial_facets``.
    """
    # The service's answer has the documented shape (tests check it); written as is, without validating it
    # again against the model, which cost a tenth of the API's time per search.
    return ORJSONResponse(service.search(SearchRequest.create(
        q=q, page=page, size=size, filters=filters.filters, facets=facets, sort=sort, search_after=search_after,
        year_from=filters.year_from, year_to=filters.year_to)))


@router.post("/search", response_model=SearchResponse, responses=ERRORS, summary="Search, with a JSON body")
def search_post(service: SearchDep, body: SearchBody) -> dict:
    """The same as ``GET /api/search``; filters as ``{"filters": {"laws": ["Ley 30077"], ...}}``."""
    return service.search(SearchRequest.create(q=body.q, page=body.page, size=body.size, filters=body.filters,
                                               facets=body.facets, sort=body.sort, search_after=body.search_after,
                                               year_from=body.year_from, year_to=body.year_to))


@router.get("/facets/{name}", response_model=FacetValues, responses=ERRORS,
            summary="One facet's values for a search, by prefix")
def facet(
    service: SearchDep,
    filters: Filters,
    name: Annotated[FacetName, Path(description="A facet of GET /api/search.")],  # type: ignore[valid-type]
    prefix: Annotated[str, Query(max_length=100, description="Values with a word starting with this "
                                 "(any case, accents optional).", examples=["quis"])] = "",
    q: Q = "",
    size: Annotated[int, Query(ge=1, le=MAX_FACET_SIZE)] = 20,
) -> dict:
    """For large facets (names of people, organisations, places): search the values, with document counts
    for the same query and filters as the search (the facet's own selection ignored)."""
    request = SearchRequest.create(q=q, filters=filters.filters, year_from=filters.year_from,
                                   year_to=filters.year_to)
    return service.facet_values(request, name, prefix=prefix, size=size)


@router.get("/citations/{citation}", response_model=CitedBy, responses=ERRORS, summary="Cited by")
def cited_by(
    service: SearchDep,
    citation: Annotated[str, Path(min_length=1, max_length=200, description="A law, article or ruling in any "
                                  "spelling, or its canonical form.", examples=["Decreto Legislativo 1106"])],
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> dict:
    """Documents that cite a law, an article or a ruling, most citations first, with pages."""
    return service.cited_by(citation, size=size)


@router.get("/suggest", response_model=Suggestions, responses=ERRORS, summary="Autocomplete titles and names")
def suggest(
    service: SearchDep,
    prefix: Annotated[str, Query(min_length=1, max_length=100, examples=["lav"])],
    type: Annotated[Literal[SUGGEST_TYPES] | None, Query(description="Only this kind (default: all).")] = None,  # type: ignore[valid-type]
    size: Annotated[int, Query(ge=1, le=20)] = 5,
) -> dict:
    """Titles and entity names (people, organisations, laws, ...) with a word starting with ``prefix``."""
    return service.suggest(prefix, type, size)
