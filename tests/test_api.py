"""The HTTP API's contract: error shape, parameter checks, health, front end, outages as 503."""

from __future__ import annotations

import httpx
import pytest

from services import stack
from tests.conftest import make_settings


def _error(resp: httpx.Response, status: int, code: str) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "detail"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.mark.parametrize(
    "params, status, code",
    [
        ({"size": 0}, 422, "invalid_request"),
        ({"size": 101}, 422, "invalid_request"),
        ({"page": 0}, 422, "invalid_request"),
        ({"page": "uno"}, 422, "invalid_request"),
        ({"q": "x" * 1001}, 422, "invalid_request"),
        ({"page": 200, "size": 100}, 400, "invalid_query"),
    ],
)
def test_bad_search_parameters_get_a_clear_error(live, params, status, code):
    with live.client() as client:
        _error(client.get("/api/search", params=params), status, code)


@pytest.mark.parametrize("q", ['"sin cerrar', "(((", "a AND", "-", "*", "||", "~~~", "título:", "\\", "\u0000", "🙂"])
def test_malformed_queries_get_a_reading_not_an_error(live, q):
    with live.client() as client:
        resp = client.get("/api/search", params={"q": q})
    assert resp.status_code == 200, resp.text
    assert isinstance(resp.json()["total"], int)


def test_unknown_ids_are_404_in_the_error_shape(live):
    with live.client() as client:
        _error(client.get("/api/documents/" + "0" * 64), 404, "not_found")
        _error(client.get("/api/batches/" + "0" * 32), 404, "not_found")
        _error(client.get("/api/documents/not-a-sha"), 422, "invalid_request")
        _error(client.get("/api/nothing-here"), 404, "not_found")


def test_health_reports_engine_redis_and_worker(live):
    with live.client() as client:
        body = client.get("/api/health", params={"detail": "true"}).json()
    assert body["status"] == "ok", body
    assert body["components"] == {"engine": "up", "redis": "up", "worker": "up"}
    detail = body["detail"]
    assert detail["engine"]["ok"] and detail["engine"]["info"]["kind"] == "opensearch"
    assert detail["redis"]["ok"]
    assert any(name.startswith(f"{live.name}-ingest@") for name in detail["worker"]["info"]["workers"])


def test_front_end_is_served_with_a_strict_csp(live):
    with live.client() as client:
        page = client.get("/")
        script = client.get("/js/app.js")
        dom = client.get("/js/dom.js")
    assert page.status_code == 200
    assert 'id="search-form"' in page.text
    assert "<script>" not in page.text  # no inline script
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert dom.status_code == 200 and "appendMarked" in dom.text  # snippets go in through the sanitiser


def test_openapi_documents_the_public_paths(live):
    with live.client() as client:
        spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/documents", "/api/documents/{doc_id}", "/api/batches/{batch_id}",
                 "/api/batches", "/api/health"):
        assert path in spec["paths"], path


def test_engine_outage_is_503_not_a_client_error(services, tmp_path):
    """An API whose engine is down answers 503 in the error shape, never 400 or a bare 500."""
    dead = make_settings(services, tmp_path, engine_url="http://127.0.0.1:9", engine_kind="opensearch",
                         engine_timeout_s=2)
    paths = stack.Paths(tmp_path / "run", tmp_path / "logs")
    stack.api_up(dead, paths)
    try:
        with httpx.Client(base_url=stack.api_url(dead), timeout=60) as client:
            # A token cannot be checked without the engine: that is our outage, not the caller's mistake.
            token = {"Authorization": "Bearer ds_" + "x" * 43}
            _error(client.get("/api/search", params={"q": "cocaína"}, headers=token), 503, "engine_unavailable")
            health = client.get("/api/health")
            assert health.status_code == 503
            assert health.json()["components"]["engine"] == "down"
    finally:
        stack.down(dead, ("api",), paths)
