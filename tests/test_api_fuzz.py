"""No input a user can send makes the API fail: random query strings (property-based) and requests generated
from the OpenAPI schema (schemathesis) against the running API, on the real stack. A user's mistake is a
4xx with the error shape; a 5xx is a bug."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

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


# What a hostile caller sends, by kind: each goes into every place a user's text reaches.
def _token(data: object) -> str:
    raw = json.dumps(data, separators=(",", ":"), allow_nan=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


HOSTILE_TEXT = {
    "chained NOTs": "NOT " * 300 + "lavado",
    "NOT NOT NOT alone": "NOT NOT NOT",
    "minus chain": "-" * 300 + "lavado",
    "nested NOTs": "(NOT " * 150 + "lavado" + ")" * 150,
    "NFKD ligature x300": "\ufdfa" * 300,  # each reads as four words once folded
    "NFKD ligature x20": "\ufdfa" * 20 + " lavado",
    "NFKD mix": "\ufb03\u3231\u01c5\u00bc\u2474\u337f" * 40,
    "1,000 letters": "a" * 1000,
    "1,000 accented letters": "ñ" * 1000,
    "1,000-letter word and a typo": "x" * 990 + " activso",
    "NUL byte": "lavado\x00activos",
    "NULs": "\x00" * 50,
    "control characters": "\x01\x02\x1b[31m\x7f\x08lavado",
    "bidi and BOM": "\u202elavado\u202c \ufeffactivos \u200b",
    "lone quote and colon": '"year:',
    "field of nothing": "person:" + " " * 20,
    "huge year range": "year:0..99999999999999999999",
    "many citations": " ".join(f"DL {1000 + i}" for i in range(60)),
}
BAD_AFTER = {
    "infinite": _token({"s": "date_desc", "v": [1e999, 1, "x"]}),
    "NaN": _token({"s": "date_desc", "v": [float("nan"), 1, "x"]}),
    "past a long": _token({"s": "date_desc", "v": [2**64 + 1, 1, "x"]}),
    "negative past a long": _token({"s": "date_desc", "v": [-(2**64) - 1, 1, "x"]}),
    "offset past a long": _token({"s": "relevance", "o": 2**64 + 1}),
    "offset NaN": _token({"s": "relevance", "o": float("nan")}),
    "not JSON": base64.urlsafe_b64encode(b"\xff\xfe\x00garbage").decode(),
    "not base64": "!!!***%%%",
    "padding only": "====",
    "a list": _token([1, 2, 3]),
    "deep": _token(json.loads("[" * 740 + "]" * 740)),  # as deep as 2,000 characters of token go
    "nested values": _token({"s": "relevance", "v": [[[[1]]]]}),
}
DOC = "0" * 64
HUGE = [10**9, 2**63, 2**64 + 1, -1, 0]


def _never_5xx(resp: httpx.Response, what: object) -> None:
    assert resp.status_code < 500, (what, resp.status_code, resp.text[:500])
    if resp.status_code >= 400:
        assert set(resp.json()["error"]) >= {"code", "message"}, (what, resp.text[:500])


@pytest.mark.parametrize("kind", HOSTILE_TEXT)
def test_hostile_text_anywhere_is_never_a_server_error(http, kind):
    text = HOSTILE_TEXT[kind]
    requests = [
        ("GET", "/api/search", {"params": {"q": text}}),
        ("GET", "/api/search", {"params": {"q": text, "sort": "date_desc"}}),
        ("GET", "/api/search", {"params": {"q": "lavado", "persons": text, "collection": text[:200]}}),
        ("POST", "/api/search", {"json": {"q": text, "filters": {"laws": [text], "places": [text[:50]]}}}),
        ("GET", "/api/facets/persons", {"params": {"q": text, "prefix": text[:100]}}),
        ("GET", "/api/facets/year", {"params": {"q": text, "prefix": text[:100]}}),
        ("GET", "/api/suggest", {"params": {"prefix": text[:100] or "a"}}),
        ("GET", "/api/suggest", {"params": {"prefix": text[:100] or "a", "type": "persons"}}),
        ("GET", f"/api/citations/{quote(text[:500], safe='')}", {}),
        ("GET", f"/api/documents/{DOC}/pages/1", {"params": {"q": text}}),
        ("GET", f"/api/documents/{DOC}/pages/1/boxes", {"params": {"q": text}}),
    ]
    for method, path, kwargs in requests:
        _never_5xx(http.request(method, path, **kwargs), (kind, method, path))


@pytest.mark.parametrize("kind", BAD_AFTER)
@pytest.mark.parametrize("sort", ["relevance", "date_desc", "date_asc"])
def test_a_forged_search_after_is_a_client_error(http, kind, sort):
    for q in ("lavado", ""):
        resp = http.get("/api/search", params={"q": q, "sort": sort, "search_after": BAD_AFTER[kind]})
        _never_5xx(resp, (kind, sort, q))
        assert resp.status_code in (200, 400, 422), (kind, resp.text[:300])
    _never_5xx(http.post("/api/search", json={"q": "lavado", "sort": sort, "search_after": BAD_AFTER[kind]}), kind)


@pytest.mark.parametrize("number", HUGE)
def test_huge_and_negative_numbers_are_client_errors(http, number):
    for method, path, kwargs in [
        ("GET", "/api/search", {"params": {"q": "lavado", "page": number}}),
        ("GET", "/api/search", {"params": {"q": "lavado", "size": number}}),
        ("GET", "/api/search", {"params": {"q": "lavado", "year_from": number, "year_to": number}}),
        ("POST", "/api/search", {"json": {"q": "lavado", "page": number, "size": 10}}),
        ("GET", "/api/facets/persons", {"params": {"size": number}}),
        ("GET", "/api/suggest", {"params": {"prefix": "la", "size": number}}),
        ("GET", "/api/citations/DL%201106", {"params": {"size": number}}),
        ("GET", f"/api/documents/{DOC}/pages/{number}", {}),
        ("GET", f"/api/documents/{DOC}/pages/{number}/image", {"params": {"width": number}}),
        ("GET", f"/api/documents/{DOC}/similar", {"params": {"size": number}}),
        ("GET", "/api/batches", {"params": {"limit": number}}),
        ("GET", f"/api/batches/{'0' * 32}", {"params": {"offset": number, "limit": number}}),
    ]:
        _never_5xx(http.request(method, path, **kwargs), (method, path, number))


def test_bytes_that_are_not_utf8_in_a_query_are_a_client_error(live, http):
    for raw in ("%FF%FE", "%ED%A0%80", "%C0%AF", "lavado%00"):
        resp = http.get(f"/api/search?q={raw}")
        _never_5xx(resp, raw)
        _never_5xx(http.get(f"/api/suggest?prefix={raw}"), raw)
        _never_5xx(http.get(f"/api/citations/{raw}"), raw)


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
