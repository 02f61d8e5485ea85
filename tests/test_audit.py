"""The audit trail on the real engine: a hash chain that concurrent writers keep gapless, and that shows a
record changed, removed or cut off the end (docsearch/audit.py, docs/audit.md)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import errors
from api.deps import get_caller, get_engine, get_settings
from api.routers import audit as audit_router
from docsearch import audit
from docsearch.access import Caller
from docsearch.audit import ACTIONS, GENESIS, HEAD_ID, Action, Audit, chain_hash
from docsearch.engine import Engine
from docsearch.schema import drop_indices, ensure_indices
from docsearch.settings import REPO_ROOT, Settings
from services import stack
from tests.conftest import make_settings


@pytest.fixture
def settings(services, tmp_path):
    """Settings with an index prefix of their own: each test starts with an empty trail."""
    return make_settings(services, tmp_path)


@pytest.fixture
def trail(settings):
    engine = Engine.connect(settings)
    ensure_indices(engine, settings)
    try:
        yield Audit(engine, settings)
    finally:
        drop_indices(engine, settings)
        engine.close()


def _fill(audit: Audit, n: int) -> list[dict]:
    return [audit.record(f"user{i % 3}", Action.SEARCH, query=f"lavado de activos {i}", ip="10.0.0.7")
            for i in range(n)]


def _tamper(audit: Audit, seq: int | str, doc: dict | None = None) -> None:
    """Change (``doc``) or remove a document of the trail directly in the engine, as an intruder would."""
    if doc is None:
        audit.engine.refresh(audit.alias)  # a delete by query sees what a search sees
        audit.engine.delete_by_query(audit.alias, {"query": {"ids": {"values": [str(seq)]}}})
    else:
        audit.engine.update(audit.alias, str(seq), {"doc": doc}, refresh=True)


def _problems(audit: Audit) -> list[tuple[str, int, int]]:
    return [(p.kind, p.first, p.last) for p in audit.verify().problems]


def test_records_form_a_hash_chain_and_are_listed_newest_first(trail):
    first = trail.record("ana", Action.LOGIN, ip="10.0.0.1")
    second = trail.record("ana", "download", "a" * 64, collection="fecor", details={"pages": (1, 2)})
    third = trail.record("ben", Action.SEARCH, query="cohecho pasivo", details={"results": 12})
    assert [first["seq"], second["seq"], third["seq"]] == [1, 2, 3]
    assert first["prev"] == GENESIS and second["prev"] == first["hash"] and third["prev"] == second["hash"]
    assert all(r["hash"] == chain_hash(r["prev"], r) for r in (first, second, third))
    assert trail.engine.get(trail.alias, "2") == second  # stored exactly as hashed (the tuple as a list)
    assert trail.last() == {"seq": 3, "hash": third["hash"], "at": third["at"]}
    with pytest.raises(ValueError, match="not an audit action"):
        trail.record("ana", "lunch")

    result = trail.verify()
    assert result.ok and result.records == 3 and (result.last_seq, result.last_hash) == (3, third["hash"])

    trail.engine.refresh(trail.alias)
    assert [r["seq"] for r in trail.search()["records"]] == [3, 2, 1]
    assert [r["seq"] for r in trail.search(actor="ana")["records"]] == [2, 1]
    assert [r["seq"] for r in trail.search(action="search", q="cohecho")["records"]] == [3]
    assert [r["seq"] for r in trail.search(q="a" * 64)["records"]] == [2]
    assert trail.search(since="1h", until="now")["next"] is None
    assert trail.search(until="2000-01-01")["records"] == []
    page = trail.search(size=2)
    assert [r["seq"] for r in page["records"]] == [3, 2] and page["next"] == 2
    assert [r["seq"] for r in trail.search(size=2, after=page["next"])["records"]] == [1]
    with pytest.raises(ValueError, match="since"):
        trail.search(since="last tuesday")


def test_an_empty_trail_verifies(trail):
    result = trail.verify()
    assert result.ok and result.records == 0 and result.head is None


WRITER = """
import sys, time
from docsearch.audit import Audit
from docsearch.engine import Engine
from docsearch.settings import Settings
settings = Settings()
audit = Audit(Engine.connect(settings), settings)
n, actor, start = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
time.sleep(max(0.0, start - time.time()))
for i in range(n):
    audit.record(actor, "view_page", f"doc-{i}")
"""


def write_together(trail: Audit, writers: int, records: int, start: float) -> list[BaseException]:
    """``writers`` threads of this process, each writing ``records`` records from the time ``start``
    (``time.time()``) on; the errors they met."""
    failures: list[BaseException] = []

    def write(name: str) -> None:
        time.sleep(max(0.0, start - time.time()))
        try:
            for i in range(records):
                trail.record(name, Action.VIEW_DOCUMENT, f"doc-{i}")
        except BaseException as exc:  # noqa: BLE001 - returned to the test
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(f"thread{i}",)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return failures


def test_concurrent_writers_in_threads_and_processes_make_one_gapless_chain(trail, settings):
    start = time.time() + 4  # every writer starts together, once the processes have imported docsearch
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, "40", f"proc{i}", str(start)],
                              env=stack.env_for(settings), cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    failures = write_together(trail, 6, 20, start)
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read() if proc.stderr else ""
    assert not failures

    result = trail.verify()
    assert result.ok, result.as_dict()
    assert result.records == result.last_seq == 2 * 40 + 6 * 20
    assert trail.last()["seq"] == result.last_seq
    trail.engine.refresh(trail.alias)
    seen = trail.search(size=1000)["records"]
    assert sorted(r["seq"] for r in seen) == list(range(1, 201))
    assert sum(r["actor"].startswith("proc") for r in seen) == 80


def test_a_changed_field_is_caught_as_modified(trail):
    _fill(trail, 6)
    _tamper(trail, 3, {"actor": "someone-else"})
    assert _problems(trail) == [("modified", 3, 3)]


def test_a_changed_record_with_its_hash_recomputed_breaks_the_next_link(trail):
    records = _fill(trail, 6)
    forged = {**records[2], "query": "nada que ver"}
    forged["hash"] = chain_hash(forged["prev"], forged)
    _tamper(trail, 3, forged)
    assert _problems(trail) == [("broken_link", 4, 4)]


def test_a_removed_record_in_the_middle_is_caught(trail):
    _fill(trail, 8)
    _tamper(trail, 4)
    _tamper(trail, 5)
    assert _problems(trail) == [("removed", 4, 5)]


def test_a_removed_tail_is_caught_by_the_head(trail):
    _fill(trail, 6)
    _tamper(trail, 6)
    _tamper(trail, 5)
    assert _problems(trail) == [("removed", 5, 6)]
    _tamper(trail, HEAD_ID)
    assert _problems(trail) == [("head", 4, 4)]


def test_a_head_left_behind_is_a_note_and_the_next_writer_moves_it(trail):
    records = _fill(trail, 5)
    _tamper(trail, HEAD_ID, {"seq": 3, "hash": records[2]["hash"]})  # as if two writers stopped before the head
    result = trail.verify()
    assert result.ok and "2 record(s) behind" in result.notes[0]
    assert trail.record("ana", Action.LOGOUT)["seq"] == 6
    assert trail.verify().ok and trail.last()["seq"] == 6


def test_an_anchored_head_catches_a_rewritten_chain(trail):
    records = _fill(trail, 4)
    anchor = (4, records[3]["hash"])
    assert trail.verify(anchor).ok
    # An intruder with write access to the engine rewrites the whole trail: it verifies, but not against the
    # hash kept outside the system.
    trail.engine.refresh(trail.alias)
    trail.engine.delete_by_query(trail.alias, {"query": {"match_all": {}}})
    audit._LAST.clear()  # the intruder is another process: it knows nothing of this one's last record
    _fill(trail, 4)
    assert trail.verify().ok
    assert [(p.kind, p.first) for p in trail.verify(anchor).problems] == [("anchor", 4)]


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", "audit", *args],
                          env=stack.env_for(settings) | {"COLUMNS": "200"},
                          capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)


def test_cli_verify_exits_1_naming_the_seqs_of_a_tampered_trail(trail, settings):
    records = _fill(trail, 5)
    intact = _cli(settings, "verify")
    assert intact.returncode == 0, intact.stderr
    assert "intact" in intact.stdout and f"5:{records[4]['hash']}" in intact.stdout
    assert _cli(settings, "verify", "--anchor", f"5:{records[4]['hash']}").returncode == 0

    trail.engine.refresh(trail.alias)
    listed = _cli(settings, "list", "--actor", "user1", "--since", "1h")
    assert listed.returncode == 0, listed.stderr
    assert "lavado de activos 4" in listed.stdout and "lavado de activos 1" in listed.stdout
    assert "lavado de activos 3" not in listed.stdout

    _tamper(trail, 2, {"ip": "192.168.9.9"})
    _tamper(trail, 4)
    tampered = _cli(settings, "verify")
    assert tampered.returncode == 1
    assert "tampered" in tampered.stderr and "seq 2, 4" in tampered.stderr
    assert "seq 2: modified" in tampered.stderr and "seq 4: removed" in tampered.stderr


def test_the_api_lists_the_trail_for_admins_only(trail, settings):
    _fill(trail, 3)
    trail.engine.refresh(trail.alias)
    app = FastAPI()
    errors.install(app)
    app.include_router(audit_router.router)
    caller = {"who": Caller("root", "admin")}
    app.dependency_overrides[get_engine] = lambda: trail.engine
    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_caller] = lambda: caller["who"]
    with TestClient(app) as client:
        page = client.get("/api/audit", params={"actor": "user0", "size": 1}).json()
        assert [r["seq"] for r in page["records"]] == [1] and page["next"] is None
        assert [r["seq"] for r in client.get("/api/audit", params={"q": "activos"}).json()["records"]] == [3, 2, 1]
        assert client.get("/api/audit", params={"since": "yesterday"}).status_code == 400
        assert client.get("/api/audit", params={"action": "lunch"}).status_code == 422
        caller["who"] = Caller("ana", "analyst")
        refused = client.get("/api/audit")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


def test_the_audit_page_offers_every_action_with_a_label_in_both_languages():
    """The web page's action filter (frontend/js/audit.js) lists exactly the trail's actions, each named in Spanish
    and English (frontend/js/i18n-access.js)."""
    root = REPO_ROOT / "frontend" / "js"
    listed = re.search(r"const ACTIONS = \[(.*?)\];", (root / "audit.js").read_text(encoding="utf-8"), re.S)
    assert listed is not None
    assert set(re.findall(r'"([a-z_]+)"', listed.group(1))) == set(ACTIONS)
    labels = (root / "i18n-access.js").read_text(encoding="utf-8")
    for action in ACTIONS:
        assert labels.count(f'"audit.action.{action}":') == 2, action


def test_a_process_that_wrote_long_ago_starts_at_the_head(trail, monkeypatch):
    """A worker writes a record now and then while the API writes many: its next record starts from the head, not
    from its own last record, past which every seq is taken (it used to give up after MAX_STEPS of them)."""
    first = trail.record("system", Action.NOTIFY, "doc-1")
    monkeypatch.setattr(audit, "MAX_STEPS", 5)
    _fill(trail, 8)  # what other processes wrote since
    audit._LAST[trail.alias] = (first["seq"], first["hash"])  # this process last wrote the first record
    later = trail.record("system", Action.NOTIFY, "doc-2")
    assert later["seq"] == first["seq"] + 9
    assert _problems(trail) == []
