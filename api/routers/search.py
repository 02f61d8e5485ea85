from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SearchDep
from api.models import ErrorResponse, SearchResponse
from docsearch.search import MAX_PAGE_SIZE, MAX_QUERY_CHARS, SearchRequest

router = APIRouter(prefix="/api", tags=["search"])

Values = Annotated[list[str] | None, Query(max_length=50)]


@router.get(
    "/search",
    response_model=SearchResponse,
    responses={400: {"model": ErrorResponse}, 422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
    summary="Full-text search over every page, with facets",
)
def search(
    service: SearchDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Words, \"phrases\", prefix*, -exclusion, a | b; "
                            "legal citations in any spelling (DL 1106, art. 296 del CP).",
                            examples=["lavado de activos"])] = "",
    page: Annotated[int, Query(ge=1, description="Result page, from 1.")] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Results per page.")] = 10,
    facets: Annotated[bool, Query(description="Include facet counts.")] = True,
    collection: Values = None,
    doc_type: Values = None,
    court: Annotated[list[str] | None, Query(max_length=50, description="Issuing court or office.")] = None,
    year: Values = None,
    language: Values = None,
    topics: Values = None,
    persons: Values = None,
    organizations: Values = None,
    places: Values = None,
    institutions: Annotated[list[str] | None, Query(max_length=50, description="Institutions mentioned.")] = None,
    cases: Values = None,
    laws: Annotated[list[str] | None, Query(max_length=50, description="Canonical law, e.g. 'Decreto Legislativo 1106'.")] = None,
    drugs: Values = None,
) -> dict:
    """Documents matching ``q`` (empty lists the newest), each with its best pages and highlighted snippets.

    Filters take facet values (repeat a parameter for several: values of one facet combine with OR,
    facets with AND). Facet counts count documents; each facet's counts ignore its own selection.
    """
    filters = {"collection": collection, "doc_type": doc_type, "court": court, "year": year, "language": language,
               "topics": topics, "persons": persons, "organizations": organizations, "places": places,
               "institutions": institutions, "cases": cases, "laws": laws, "drugs": drugs}
    return service.search(SearchRequest.create(q=q, page=page, size=size, filters=filters, facets=facets))
