"""Collections with a display name and hidden from default searches, on a real stack (engine, worker, API).

A hidden collection's documents are left out of a search that chooses no collection, and found when it is
chosen; its name still shows in the collection facet, so that it can be chosen. Who may read it is unchanged.
Display names are given to any signed-in user for the collections it reads (``GET /api/collections/labels``);
every change is in the audit trail; the command line sets them too."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import uuid
import zipfile

import pytest

from docsearch.accounts import Accounts
from services import stack
from tests import pdfs


@pytest.fixture(scope="module")
def corpus(live, tmp_path_factory):
    tag = uuid.uuid4().hex[:6]
    word = f"berilio{tag}"
    folder = tmp_path_factory.mktemp("collection-names")
    shown, hidden = f"lima-{tag}", f"pruebas-{tag}"
    ids = {}
    for collection in (shown, hidden):
        path = pdfs.text_pdf(folder / f"{collection}.pdf", [f"Acta fiscal de la operación {word} en {collection}.",
                                                            f"Segunda página sobre {word}."])
        batch = live.wait_batch(live.upload([path], collection=collection))
        assert batch["counts"]["indexed"] == 1, batch
        ids[collection] = batch["files"][0]["document_id"]
    with live.client() as admin:
        resp = admin.put(f"/api/collections/{shown}", json={
            "default_classification": "reserved", "display_name": "  Fiscalía de Lima —   Crimen Organizado ",
            "grants": [{"principal": f"group:lima-{tag}", "rights": ["read"]}]})
        assert resp.status_code == 200, resp.text
        resp = admin.put(f"/api/collections/{hidden}", json={"default_classification": "reserved", "hidden": True})
        assert resp.status_code == 200, resp.text
    live.refresh()
    return {"tag": tag, "word": word, "shown": shown, "hidden": hidden, "ids": ids}


def _ids(body: dict) -> set[str]:
    return {r["id"] for r in body["results"]}


def test_a_hidden_collection_is_left_out_of_a_default_search_and_found_when_chosen(live, corpus):
    shown, hidden, ids = corpus["shown"], corpus["hidden"], corpus["ids"]
    default = live.search(corpus["word"])
    assert _ids(default) == {ids[shown]}
    assert default["total"] == 1
    facet = {v["value"]: v["count"] for v in default["facets"]["collection"]}
    assert facet.get(hidden) == 1 and facet.get(shown) == 1   # still there to be chosen
    chosen = live.search(corpus["word"], collection=[hidden])
    assert _ids(chosen) == {ids[hidden]}
    both = live.search(corpus["word"], collection=[hidden, shown])
    assert _ids(both) == {ids[shown], ids[hidden]}
    with live.client() as client:
        posted = client.post("/api/search", json={"q": corpus["word"]}).json()
        assert _ids(posted) == {ids[shown]}
        posted = client.post("/api/search", json={"q": corpus["word"], "filters": {"collection": [hidden]}}).json()
        assert _ids(posted) == {ids[hidden]}
        # The listing without a query leaves it out too; the documents themselves are still read as before.
        listing = client.get("/api/search", params={"size": 100}).json()
        assert ids[hidden] not in _ids(listing)
        assert client.get(f"/api/documents/{ids[hidden]}").status_code == 200


def test_an_export_of_a_default_search_leaves_the_hidden_collection_out_and_says_so(live, corpus):
    """The signed export of a search holds what the search page showed: a hidden collection's documents only when
    the search chooses it, and the manifest names the collections left out."""
    shown, hidden, ids = corpus["shown"], corpus["hidden"], corpus["ids"]

    def manifest(body: dict) -> dict:
        with live.client() as client:
            resp = client.post("/api/exports", json=body)
        assert resp.status_code == 200, resp.text
        with zipfile.ZipFile(io.BytesIO(resp.content)) as archive:
            return json.loads(archive.read("manifest.json"))

    default = manifest({"q": corpus["word"]})
    assert {d["id"] for d in default["documents"]} == {ids[shown]}
    assert hidden in default["query"]["left_out"]
    chosen = manifest({"q": corpus["word"], "filters": {"collection": [shown, hidden]}})
    assert {d["id"] for d in chosen["documents"]} == {ids[shown], ids[hidden]}
    assert "left_out" not in chosen["query"]


def test_hiding_and_showing_again_takes_effect_at_once(live, corpus):
    shown, ids = corpus["shown"], corpus["ids"]
    with live.client() as admin:
        assert admin.put(f"/api/collections/{shown}", json={"hidden": True}).json()["hidden"] is True
        try:
            assert _ids(live.search(corpus["word"])) == set()
            assert _ids(live.search(corpus["word"], collection=[shown])) == {ids[shown]}
        finally:
            back = admin.put(f"/api/collections/{shown}", json={
                "default_classification": "reserved", "hidden": False,
                "grants": [{"principal": f"group:lima-{corpus['tag']}", "rights": ["read"]}]}).json()
    assert back["hidden"] is False
    assert back["display_name"] == "Fiscalía de Lima — Crimen Organizado"   # kept: not given
    assert _ids(live.search(corpus["word"])) == {ids[shown]}


def test_display_names_are_given_to_whoever_reads_the_collection(live, corpus):
    shown, hidden, tag = corpus["shown"], corpus["hidden"], corpus["tag"]
    with live.client() as admin:
        everything = {c["name"]: c for c in admin.get("/api/collections/labels").json()}
        assert everything[shown] == {"name": shown, "display_name": "Fiscalía de Lima — Crimen Organizado",
                                     "hidden": False}
        assert everything[hidden] == {"name": hidden, "display_name": None, "hidden": True}
        listed = {c["name"]: c for c in admin.get("/api/collections").json()}
        assert listed[shown]["display_name"] == "Fiscalía de Lima — Crimen Organizado"
        assert listed[hidden]["hidden"] is True
        resp = admin.post("/api/users", json={"username": f"fiscal-{tag}", "password": "clave-de-prueba-123",
                                              "role": "prosecutor", "groups": [f"lima-{tag}"]})
        assert resp.status_code == 201, resp.text
    token = Accounts(live.engine, live.settings).create_token(f"fiscal-{tag}", "test")["token"]
    with live.client() as client:
        client.headers["Authorization"] = f"Bearer {token}"
        labels = {c["name"]: c for c in client.get("/api/collections/labels").json()}
        assert labels[shown]["display_name"] == "Fiscalía de Lima — Crimen Organizado"
        assert hidden not in labels   # a collection it cannot read is not named to it
        assert client.get("/api/collections").status_code == 403
        assert _ids(client.get("/api/search", params={"q": corpus["word"]}).json()) == {corpus["ids"][shown]}
        # Choosing a hidden collection gives no one more than it may read.
        assert _ids(client.get("/api/search", params={"q": corpus["word"], "collection": hidden}).json()) == set()


@pytest.mark.parametrize("body, status, code", [
    ({"display_name": "x" * 121}, 422, "invalid_request"),
    ({"display_name": "Fiscalía\u0007"}, 400, "invalid"),
    ({"hidden": "perhaps"}, 422, "invalid_request"),
])
def test_a_bad_display_name_or_hidden_is_refused(live, corpus, body, status, code):
    with live.client() as admin:
        resp = admin.put(f"/api/collections/{corpus['shown']}", json=body)
    assert resp.status_code == status, resp.text
    assert resp.json()["error"]["code"] == code


def test_a_change_is_in_the_audit_trail(live, corpus):
    with live.client() as admin:
        page = admin.get("/api/audit", params={"action": "grant", "q": corpus["hidden"], "size": 10}).json()
    records = [r for r in page["records"] if r.get("target") == corpus["hidden"]]
    assert records and records[0]["details"]["hidden"] is True


def _cli(live, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], env=stack.env_for(live.settings),
                          capture_output=True, text=True, timeout=120)


def test_the_command_line_sets_and_lists_them(live, corpus):
    done = _cli(live, "collections", "set", corpus["hidden"], "--display-name", "Pruebas internas", "--shown")
    assert done.returncode == 0, done.stdout + done.stderr
    listed = _cli(live, "collections", "list", "--json")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert any(c["name"] == corpus["hidden"] and c["display_name"] == "Pruebas internas"
               for c in json.loads(listed.stdout))
    with live.client() as admin:
        found = {c["name"]: c for c in admin.get("/api/collections").json()}[corpus["hidden"]]
        assert found["display_name"] == "Pruebas internas" and found["hidden"] is False
        assert found["default_classification"] == "reserved"
        page = admin.get("/api/audit", params={"action": "grant", "q": corpus["hidden"], "size": 10}).json()
    assert any(r["actor"].startswith("cli:") for r in page["records"])
    assert corpus["ids"][corpus["hidden"]] in _ids(live.search(corpus["word"]))   # shown again: searched by default
    with live.client() as admin:   # hidden again, for whoever runs after
        assert admin.put(f"/api/collections/{corpus['hidden']}", json={"hidden": True}).status_code == 200
