"""The API documentation (/docs) renders in the browser from the API's own files, under the strict CSP."""

from __future__ import annotations

from tests.browser import driver as drv


def test_the_api_documentation_renders_without_a_csp_violation(anonymous, live):
    anonymous.get(live.url + "/docs")
    drv.wait_for(anonymous, ".opblock")  # one block per operation, built by Swagger UI from /openapi.json
    paths = anonymous.execute_script(
        "return [...document.querySelectorAll('.opblock-summary-path')].map(e => e.textContent)")
    assert any("/api/search" in path for path in paths), paths
    assert anonymous.execute_script("return window.__cspViolations") == []
    severe = [e for e in anonymous.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == [], severe
