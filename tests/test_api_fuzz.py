"""No input a user can send makes the API fail: random query strings (property-based) and requests generated
from the OpenAPI schema (schemathesis) against the running API, on the real stack. A user's mistake is a
4xx with the error shape; a 5xx is a bug."""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from docsearch.search import parser as ql
from docsearch.search.tree import describe

# Characters the query language gives a meaning to, mixed with words, citations and any unicode.
SYNTAX = st.sampled_from(['"', "(", ")", "*", "~", "-", "+", "!", "|", "||", "&&", ":", "AND", "OR", "NOT",
                          "year:", "court:", "law:", "person:", "title:", "DL 1106", "art. 296 del CP", "\\", "/",
                          "[", "]", "{", "}", "^", "?", "..", "year:2015..", "2019", "lavado", "cocaína", " "])
QUERIES = st.lists(st.one_of(SYNTAX, st.text(max_size=8)), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(q=QUERIES)
def test_the_parser_reads_or_rejects_with_a_position(q):
    try:
        parsed = ql.parse(q)
    except ql.QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(q) and str(exc)
        return
    assert isinstance(describe(parsed.tree), str)


@pytest.fixture(scope="module")
def http(live):
    with live.client() as client:
        yield client


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERIES)
def test_no_query_string_makes_a_server_error(http, q):
    resp = http.get("/api/search", params={"q": q[:1000]})
    assert resp.status_code in (200, 400), (q, resp.status_code, resp.text)
    if resp.status_code == 400:
        assert resp.json()["error"]["code"] == "invalid_query"
    facets = http.get("/api/facets/persons", params={"q": q[:1000], "prefix": q[:100]})
    assert facets.status_code in (200, 400), (q, facets.text)
    suggest = http.get("/api/suggest", params={"prefix": q[:100] or "a"})
    assert suggest.status_code in (200, 422), (q, suggest.text)


@pytest.fixture(scope="module")
def api_schema(live):
    return schemathesis.openapi.from_url(f"{live.url}/openapi.json")


# Uploads (POST /api/documents) and the admin import are exercised with real files by their own tests.
schema = schemathesis.pytest.from_fixture("api_schema").exclude(method="POST", path="/api/documents").exclude(
    path="/api/admin/import")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_schema_conforming_request_without_a_server_error(case):
    case.call_and_validate(checks=[not_a_server_error], timeout=60)


def test_the_schema_is_complete(live):
    spec = httpx.get(f"{live.url}/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/search", "/api/facets/{name}", "/api/documents/{doc_id}", "/api/documents/{doc_id}/pages/{number}",
                 "/api/documents/{doc_id}/file", "/api/documents/{doc_id}/similar", "/api/citations/{citation}",
                 "/api/suggest", "/api/batches/{batch_id}", "/api/health"):
        assert path in paths, path
    assert "post" in paths["/api/search"] and "get" in paths["/api/search"]
    q = next(p for p in paths["/api/search"]["get"]["parameters"] if p["name"] == "q")
    assert q.get("examples") and "field:value" in q["description"]
