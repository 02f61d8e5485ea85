"""The sign-in contract of every route, checked on requests generated from the live API's OpenAPI schema
(schemathesis), twice:

* without credentials, every route but the public ones answers 401 ``unauthorized`` (never a 2xx, never a
  5xx), and the routes that answered anything else are exactly the public ones;
* with the API token of a prosecutor who reads and writes one collection, no route fails (no 5xx) and
  every administrator's route answers 403 ``forbidden``.

And, without schemathesis, that a change under a session cookie needs its CSRF token (and, once the API
checks it, an ``Origin`` of its own).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from docsearch.accounts import Accounts

# Routes anyone may call: signing in and out, and whether the service is up (the front end's static
# files are not in the schema).
PUBLIC = {("POST", "/api/auth/login"), ("POST", "/api/auth/logout"), ("GET", "/api/health")}
# Routes for administrators only (``AdminDep``); those not in the schema yet are left out of the check.
ADMIN = {("GET", "/api/users"), ("POST", "/api/users"), ("PATCH", "/api/users/{username}"),
         ("GET", "/api/collections"), ("PUT", "/api/collections/{name}"), ("POST", "/api/admin/import"),
         ("GET", "/api/audit"), ("DELETE", "/api/documents/{doc_id}"), ("POST", "/api/admin/custody/verify")}
PASSWORD = "clave-de-contrato-123"
# Whether the API refuses a foreign Origin on changes (403 ``bad_origin``): checked once it does.
ORIGIN_CHECKED = any("bad_origin" in path.read_text() for path in (Path(__file__).parents[1] / "api").rglob("*.py"))

# Few examples per operation: about 30 operations, two runs, under a minute. Every operation runs, uploads
# included (the generated files are small, and no generated collection is the one granted).
EXAMPLES = settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
TIMEOUT = 30

# What each run saw, per operation: the statuses answered, "refused" for the sign-in check's 401.
SEEN: dict[str, dict[tuple[str, str], set[str]]] = {"anonymous": {}, "prosecutor": {}}
REFUSED = "refused"


@pytest.fixture(scope="module")
def api_schema(live):
    return schemathesis.openapi.from_url(f"{live.url}/openapi.json")


@pytest.fixture(scope="module")
def prosecutor(live) -> dict:
    """A prosecutor with read and write on one collection of its own, and an API token."""
    tag = uuid.uuid4().hex[:6]
    name, collection = f"contrato-{tag}", f"contrato-{tag}"
    accounts = Accounts(live.engine, live.settings)
    accounts.create_user(name, PASSWORD, "prosecutor")
    accounts.set_collection(collection, grants=[{"principal": f"user:{name}", "rights": ["read", "write"]}])
    return {"name": name, "collection": collection, "token": accounts.create_token(name, "contract")["token"]}


def _operation(case) -> tuple[str, str]:
    return case.operation.method.upper(), case.operation.path


def _unexpected_method(case, response) -> bool:
    """Whether the case sends a method the path does not have (schemathesis's coverage phase does): it
    reaches no route but the front end's static files, which answer 405 (404 for a GET), never more."""
    if case.method.upper() == case.operation.method.upper():
        return False
    assert response.status_code in (401, 404, 405), f"{case.method} {case.formatted_path} -> {response.status_code}"
    return True


def _code(response) -> str | None:
    try:
        return (response.json().get("error") or {}).get("code")
    except (ValueError, AttributeError):
        return None


def _seen(run: str, case, response) -> tuple[str, str]:
    """Records what the operation answered; returns its key and a description for failures."""
    operation, status = _operation(case), response.status_code
    refused = status == 401 and _code(response) == "unauthorized"
    SEEN[run].setdefault(operation, set()).add(REFUSED if refused else str(status))
    body = response.content[:300].decode("utf-8", "replace")  # a ZIP or a PDF is bytes, not text
    where = f"{case.method} {case.formatted_path} -> {status} {body}\n{case.as_curl_command()}"
    return REFUSED if refused else str(status), where


def _operations(api_schema) -> set[tuple[str, str]]:
    return {(op.method.upper(), op.path) for op in (r.ok() for r in api_schema.get_all_operations())}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@EXAMPLES
def test_without_credentials_only_the_public_routes_answer(case):
    response = case.call(timeout=TIMEOUT)
    if _unexpected_method(case, response):
        return
    answer, where = _seen("anonymous", case, response)
    assert response.status_code < 500, where
    if _operation(case) not in PUBLIC:
        assert answer == REFUSED, where


def test_the_routes_that_answer_without_credentials_are_the_public_ones(api_schema):
    operations = _operations(api_schema)
    seen = SEEN["anonymous"]
    assert set(seen) == operations, f"not tried (run the whole file): {sorted(operations - set(seen))}"
    assert PUBLIC <= operations
    # A public route may still refuse part of itself (GET /api/health?detail=true is for administrators):
    # it answered when any of its requests got more than the refusal.
    answered = {op for op, answers in seen.items() if answers != {REFUSED}}
    assert answered == PUBLIC, sorted(answered ^ PUBLIC)


@schema.parametrize()
@EXAMPLES
def test_a_prosecutor_gets_no_server_error_and_no_administration(case, prosecutor):
    response = case.call(headers={"Authorization": f"Bearer {prosecutor['token']}"}, timeout=TIMEOUT)
    if _unexpected_method(case, response):
        return
    answer, where = _seen("prosecutor", case, response)
    assert response.status_code < 500, where
    assert answer != REFUSED, where  # the token is good
    if _operation(case) in ADMIN:
        # A signed-in caller may learn that a body it sent is malformed before it learns the route is not for
        # it (the body is read before the route's own checks); it never gets anything else.
        assert (answer == "403" and _code(response) == "forbidden"
                or answer in ("400", "422") and _code(response) in ("invalid_request", "bad_request")), where


def test_every_route_was_tried_with_a_prosecutor_token(api_schema):
    operations = _operations(api_schema)
    missing = operations - set(SEEN["prosecutor"])
    assert not missing, f"not tried (run the whole file): {sorted(missing)}"
    # Every administrator's route refused the prosecutor at least once with 403 (a well-formed request).
    assert {op for op in ADMIN & operations if "403" not in SEEN["prosecutor"][op]} == set()


def _sign_in(browser: httpx.Client, prosecutor: dict) -> str:
    """Signs the browser in (session and CSRF cookies); returns the CSRF token."""
    signed = browser.post("/api/auth/login", json={"username": prosecutor["name"], "password": PASSWORD})
    assert signed.status_code == 200, signed.text
    return signed.json()["csrf_token"]


def test_a_session_change_needs_its_csrf_token(live, prosecutor):
    with httpx.Client(base_url=live.url, timeout=TIMEOUT) as browser:
        csrf = _sign_in(browser, prosecutor)
        refused = browser.post("/api/auth/tokens", json={"name": "sin csrf"})
        assert refused.status_code == 403 and _code(refused) == "csrf_failed", refused.text
        wrong = browser.post("/api/auth/tokens", json={"name": "otro csrf"}, headers={"X-CSRF-Token": csrf + "x"})
        assert wrong.status_code == 403 and _code(wrong) == "csrf_failed", wrong.text
        made = browser.post("/api/auth/tokens", json={"name": "con csrf"}, headers={"X-CSRF-Token": csrf})
        assert made.status_code == 201, made.text
        assert browser.get("/api/auth/me").status_code == 200  # reads need no CSRF token


@pytest.mark.skipif(not ORIGIN_CHECKED, reason="the API does not check the Origin of changes yet (no bad_origin)")
def test_a_session_change_from_a_foreign_origin_is_refused(live, prosecutor):
    with httpx.Client(base_url=live.url, timeout=TIMEOUT) as browser:
        csrf = _sign_in(browser, prosecutor)
        foreign = browser.post("/api/auth/tokens", json={"name": "ajeno"},
                               headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"})
        assert foreign.status_code == 403 and _code(foreign) == "bad_origin", foreign.text
        own = browser.post("/api/auth/tokens", json={"name": "propio"},
                           headers={"X-CSRF-Token": csrf, "Origin": live.url})
        assert own.status_code == 201, own.text
