"""What every request to the API is held to (api.security, api.docs, the admin import's path checks), on the
test stack's real API: unknown hosts, changes from other sites, caching of answers, the API documentation
page, and paths a server import cannot take."""

from __future__ import annotations

import re

import httpx
import pytest

from tests import pdfs


@pytest.fixture(scope="module")
def http(live):
    with live.client() as client:
        yield client


def test_a_request_naming_another_host_is_refused(live, http):
    assert http.get("/api/health").status_code == 200
    for host in ("evil.example", "127.0.0.1.nip.io", "localhost.evil.example"):
        resp = http.get("/api/health", headers={"Host": host})
        assert resp.status_code == 400, host
    port = live.settings.api_port
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "LOCALHOST"):
        assert http.get("/api/health", headers={"Host": host}).status_code == 200, host


@pytest.mark.parametrize("method, path", [("POST", "/api/search"), ("POST", "/api/auth/logout"),
                                          ("POST", "/api/documents"), ("DELETE", "/api/auth/tokens/x"),
                                          ("PUT", "/api/collections/x"), ("PATCH", "/api/users/x")])
def test_a_change_sent_from_another_site_is_refused(live, http, method, path):
    for origin in ("https://evil.example", "null", f"http://localhost:{live.settings.api_port + 1}"):
        resp = http.request(method, path, headers={"Origin": origin}, json={})
        assert resp.status_code == 403, (origin, resp.text)
        assert resp.json()["error"]["code"] == "bad_origin"


def test_changes_from_the_api_s_own_pages_and_from_scripts_go_through(live, http):
    own = live.url  # http://127.0.0.1:<port>
    assert http.post("/api/search", json={"q": "lavado"}, headers={"Origin": own}).status_code == 200
    assert http.post("/api/search", json={"q": "lavado"}).status_code == 200  # no Origin: a script
    # A read is never refused for its Origin (cross-site reads are the browser's CORS business).
    assert http.get("/api/health", headers={"Origin": "https://evil.example"}).status_code == 200


def test_api_answers_are_not_cached(live, http, tmp_path):
    pdf = pdfs.text_pdf(tmp_path / "cache.pdf", ["Resolución fiscal de archivo sobre el caso de Chiclayo."])
    batch = live.wait_batch(live.upload([pdf]))
    doc_id = batch["files"][0]["document_id"]
    for path in ("/api/health", f"/api/batches/{batch['id']}", f"/api/documents/{doc_id}",
                 f"/api/documents/{doc_id}/pages/1", f"/api/documents/{doc_id}/file",
                 f"/api/documents/{doc_id}/pages/1/image", "/api/search?q=Chiclayo", "/api/nothing-here"):
        resp = http.get(path)
        assert resp.headers.get("cache-control") == "no-store", (path, resp.status_code, resp.headers)
    assert "no-store" not in http.get("/js/app.js").headers.get("cache-control", "")


def test_the_api_documentation_needs_nothing_from_another_site(live, http):
    page = http.get("/docs")
    assert page.status_code == 200 and 'id="swagger-ui"' in page.text
    assert "<script>" not in page.text and "cdn" not in page.text.lower()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/docs/") for s in sources), sources
    for source in sources:
        asset = http.get(source)
        assert asset.status_code == 200 and len(asset.content) > 100, source
    assert "/openapi.json" in http.get("/docs/start.js").text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "http" not in csp
    assert http.get("/redoc").status_code == 404


@pytest.mark.parametrize("path, status, code", [
    ("a\x00b", 400, "bad_path"),
    ("\x00", 400, "bad_path"),
    ("carpeta/\x1b[31m", 400, "bad_path"),
    ("a" * 5000, 400, "bad_path"),
    ("/".join(["a" * 200] * 30), 400, "bad_path"),
    ("x" * 300, 400, "bad_path"),
    ("../../etc", 400, "outside_import_root"),
    ("/etc/passwd", 400, "outside_import_root"),
    ("enlace-fuera", 400, "outside_import_root"),
    ("nada-aqui", 404, "not_found"),
])
def test_a_server_import_path_that_cannot_be_taken_is_a_clear_client_error(live, http, path, status, code):
    root = live.settings.import_root
    root.mkdir(parents=True, exist_ok=True)
    if not (root / "enlace-fuera").is_symlink():
        (root / "enlace-fuera").symlink_to("/etc")
    resp = http.post("/api/admin/import", json={"path": path})
    assert resp.status_code == status, resp.text
    assert resp.json()["error"]["code"] == code


def test_anonymous_callers_get_the_same_refusals(live):
    with httpx.Client(base_url=live.url, timeout=30) as anonymous:
        assert anonymous.get("/api/health", headers={"Host": "evil.example"}).status_code == 400
        resp = anonymous.post("/api/auth/login", json={"username": "x", "password": "y"},
                              headers={"Origin": "https://evil.example"})
        assert resp.status_code == 403 and resp.json()["error"]["code"] == "bad_origin"
