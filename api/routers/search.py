from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import SearchDep
from api.models import ErrorResponse, SearchResponse
from docsearch.search import MAX_PAGE_SIZE, MAX_QUERY_CHARS, SearchRequest

router = APIRouter(prefix="/api", tags=["search"])


@router.get(
    "/search",
    response_model=SearchResponse,
    responses={400: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
    summary="Full-text search over every page",
)
def search(
    service: SearchDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Words, \"phrases\", prefix*, -exclusion, a | b.",
                            examples=["lavado de activos"])] = "",
    page: Annotated[int, Query(ge=1, description="Result page, from 1.")] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Results per page.")] = 10,
) -> dict:
    """Documents matching ``q``, each with its best pages and highlighted snippets. An empty ``q`` lists the newest."""
    return service.search(SearchRequest(q=q, page=page, size=size))
