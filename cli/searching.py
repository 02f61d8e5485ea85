"""``docsearch search``: the web page's search in the terminal, through the core's search service.

Three outputs: the results as the web page shows them (styled, for a person), ``--json`` (the service's
answer, for ``jq``) and ``--ids`` (one document id a line, for ``xargs``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import typer
from rich.console import Console

from cli import render
from cli.filters import Filters
from docsearch.engine import Engine, QueryTooLarge
from docsearch.search import SearchService
from docsearch.search.request import MAX_PAGE_SIZE, InvalidQuery, SearchRequest
from docsearch.settings import get_settings

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def service() -> SearchService:
    settings = get_settings()
    return SearchService(Engine.connect(settings), settings)


@contextmanager
def user_errors() -> Iterator[None]:
    """A request the user can fix (a bad query, filter or page) is a message and exit status 2, not a trace."""
    try:
        yield
    except InvalidQuery as exc:
        err.print(render.Text("error: ", style="bold red") + render.Text(str(exc)))
        raise typer.Exit(2) from None
    except QueryTooLarge:
        err.print(render.Text("error: ", style="bold red") +
                  render.Text("the query asks the search engine for too many terms at once; shorten it."))
        raise typer.Exit(2) from None


def dump(value: object) -> None:
    """JSON on stdout, untouched by rich (for pipes)."""
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def run(q: str, filters: Filters, *, page: int, size: int, sort: str, facets: bool, as_json: bool,
        ids: bool) -> None:
    with user_errors():
        answer = service().search(filters.request(q, page=page, size=size, sort=sort, facets=facets or as_json))
    if as_json:
        dump(answer)
    elif ids:
        for result in answer["results"]:
            print(result["id"])
    else:
        show_answer(answer, facets)


def show_answer(answer: dict, facets: bool) -> None:
    out.print(render.header(answer))
    for line in render.notices(answer.get("query")):
        out.print(line)
    for result in answer["results"]:
        out.print()
        for line in render.result_lines(result):
            out.print(line)
    if facets and any((answer.get("facets") or {}).values()):
        out.print()
        out.print(render.facets_table(answer["facets"], partial=answer.get("partial_facets")))


def results(search: SearchService, request: SearchRequest, limit: int) -> Iterator[dict]:
    """Up to ``limit`` results of a search, in order, paged through with ``next_search_after``."""
    request = replace(request, page=1, size=min(MAX_PAGE_SIZE, max(1, limit)), facets=False, search_after=None)
    given = 0
    while given < limit:
        answer = search.search(request)
        for result in answer["results"][:limit - given]:
            given += 1
            yield result
        after = answer.get("next_search_after")
        if not after or not answer["results"]:
            return
        request = replace(request, search_after=after)
