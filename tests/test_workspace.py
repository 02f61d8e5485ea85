"""The working tools on a real stack: case folders shared between two prosecutors, one of whom may not read every
document in them (neither shown nor counted nor exported to them); their spreadsheet and ZIP exports; stars,
tags and notes private to their owner; batch search with per-line counts that obey access and a bad line
answered in its row; every change in the audit trail."""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile

import httpx
import pytest

from docsearch.accounts import Accounts
from docsearch.audit import audit_alias
from tests import pdfs

PASSWORD = "clave-de-prueba-123"


@pytest.fixture(scope="module")
def office(live, tmp_path_factory):
    """Collections lima and norte; ``fiscal`` reads lima only, ``jefa`` both, ``otro`` neither. Two documents in
    lima (one names Rosalinda Quispe Huamán, DNI 40123456), one in norte naming Teodoro Mamani Ccori."""
    tag = uuid.uuid4().hex[:6]
    users = {"fiscal": ["lima"], "jefa": ["lima", "norte"], "otro": []}
    with live.client() as admin:
        for name, groups in users.items():
            resp = admin.post("/api/users", json={"username": f"{name}-{tag}", "password": PASSWORD,
                                                  "role": "prosecutor", "groups": [f"{g}-{tag}" for g in groups]})
            assert resp.status_code == 201, resp.text
        for collection in ("lima", "norte"):
            grants = [{"principal": f"group:{collection}-{tag}", "rights": ["read", "write"]}]
            resp = admin.put(f"/api/collections/{collection}-{tag}", json={"grants": grants})
            assert resp.status_code == 200, resp.text
    folder = tmp_path_factory.mktemp("workspace")
    texts = {
        "lima": [f"Disposición fiscal {tag} de formalización. Se investiga a Rosalinda Quispe Huamán, identificada "
                 "con DNI 40123456, por lavado de activos.", "Segunda página: diligencias pendientes."],
        "lima2": [f"Informe pericial contable {tag}. Movimientos bancarios de la empresa Inversiones Sol Naciente."],
        "norte": [f"Oficio reservado {tag}. Teodoro Mamani Ccori integra la organización criminal Los Topos del Norte."],
    }
    made = {key: pdfs.text_pdf(folder / f"{key}-{tag}.pdf", pages, title=f"{key} {tag}") for key, pages in texts.items()}
    done = [live.wait_batch(live.upload([made["lima"], made["lima2"]], collection=f"lima-{tag}")),
            live.wait_batch(live.upload([made["norte"]], collection=f"norte-{tag}"))]
    ids = {}
    for batch in done:
        assert batch["counts"]["indexed"] == len(batch["files"]), batch
        for f in batch["files"]:
            ids[f["name"].split("-")[0]] = f["document_id"]
    accounts = Accounts(live.engine, live.settings)
    tokens = {name: accounts.create_token(f"{name}-{tag}", "test")["token"] for name in users}
    return {"tag": tag, "ids": ids, "tokens": tokens, "user": {name: f"{name}-{tag}" for name in users}}


def _as(live, token: str) -> httpx.Client:
    return httpx.Client(base_url=live.url, timeout=60, headers={"Authorization": f"Bearer {token}"})


def _audit(live, action: str) -> list[dict]:
    live.engine.refresh(audit_alias(live.settings))
    with live.client() as admin:
        resp = admin.get("/api/audit", params={"action": action, "size": 200})
    assert resp.status_code == 200, resp.text
    return resp.json()["records"]


@pytest.fixture(scope="module")
def shared(live, office):
    """A folder of the jefa's holding the three documents (the norte one the fiscal may not read), shared with
    the fiscal."""
    ids, tokens = office["ids"], office["tokens"]
    with _as(live, tokens["jefa"]) as jefa:
        resp = jefa.post("/api/folders", json={"name": f"Caso Quispe {office['tag']}",
                                               "members": [f"user:{office['user']['fiscal']}"]})
        assert resp.status_code == 201, resp.text
        folder = resp.json()
        assert folder["count"] == 0 and folder["mine"] is True
        for key, note in (("lima", "Disposición de formalización"), ("norte", "=1+1 no es una fórmula")):
            resp = jefa.post(f"/api/folders/{folder['id']}/items", json={"document_id": ids[key], "note": note})
            assert resp.status_code == 201, resp.text
    return folder


def test_a_member_sees_and_counts_only_the_documents_they_may_read(live, office, shared):
    ids, tokens, user = office["ids"], office["tokens"], office["user"]
    with _as(live, tokens["jefa"]) as jefa:
        mine = jefa.get(f"/api/folders/{shared['id']}").json()
        assert {i["document_id"] for i in mine["items"]} == {ids["lima"], ids["norte"]} and mine["count"] == 2
    with _as(live, tokens["fiscal"]) as fiscal:
        listed = [f for f in fiscal.get("/api/folders").json() if f["id"] == shared["id"]]
        assert len(listed) == 1 and listed[0]["count"] == 1 and listed[0]["mine"] is False
        seen = fiscal.get(f"/api/folders/{shared['id']}").json()
        assert [i["document_id"] for i in seen["items"]] == [ids["lima"]] and seen["count"] == 1
        row = seen["items"][0]
        assert row["added_by"] == user["jefa"] and row["note"] == "Disposición de formalización"
        assert row["title"] and row["collection"] == f"lima-{office['tag']}" and row["page_count"] == 2
        # A member adds what they may read, never what they may not (told as a document that does not exist).
        refused = fiscal.post(f"/api/folders/{shared['id']}/items", json={"document_id": ids["norte"]})
        assert refused.status_code == 404, refused.text
        assert fiscal.delete(f"/api/folders/{shared['id']}/items/{ids['norte']}").status_code == 404
        added = fiscal.post(f"/api/folders/{shared['id']}/items", json={"document_id": ids["lima2"]})
        assert added.status_code == 201 and added.json()["added_by"] == user["fiscal"], added.text
        assert fiscal.get(f"/api/folders/{shared['id']}").json()["count"] == 2
        # The owner alone renames, shares and deletes.
        for resp in (fiscal.patch(f"/api/folders/{shared['id']}", json={"name": "Otro nombre"}),
                     fiscal.delete(f"/api/folders/{shared['id']}")):
            assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden", resp.text
    with _as(live, tokens["jefa"]) as jefa:
        assert jefa.get(f"/api/folders/{shared['id']}").json()["count"] == 3
    with _as(live, tokens["otro"]) as otro:  # not a member: no such folder
        assert all(f["id"] != shared["id"] for f in otro.get("/api/folders").json())
        assert otro.get(f"/api/folders/{shared['id']}").status_code == 404
        assert otro.post(f"/api/folders/{shared['id']}/items", json={"document_id": ids["lima"]}).status_code == 404


def test_sharing_renaming_and_deleting_a_folder(live, office):
    tokens, user, ids = office["tokens"], office["user"], office["ids"]
    with _as(live, tokens["fiscal"]) as fiscal:
        made = fiscal.post("/api/folders", json={"name": "Borrador"}).json()
        bad = fiscal.patch(f"/api/folders/{made['id']}", json={"members": ["user:nadie-existe"]})
        assert bad.status_code == 400, bad.text
        shared = fiscal.patch(f"/api/folders/{made['id']}", json={"name": "Caso Mamani",
                                                                   "members": [f"group:norte-{office['tag']}"]})
        assert shared.status_code == 200 and shared.json()["name"] == "Caso Mamani", shared.text
        assert fiscal.post(f"/api/folders/{made['id']}/items", json={"document_id": ids["lima"]}).status_code == 201
    with _as(live, tokens["jefa"]) as jefa:  # a member through her group
        seen = jefa.get(f"/api/folders/{made['id']}")
        assert seen.status_code == 200 and seen.json()["count"] == 1
        assert jefa.post(f"/api/folders/{made['id']}/items", json={"document_id": ids["norte"]}).status_code == 201
        assert jefa.delete(f"/api/folders/{made['id']}/items/{ids['lima']}").status_code == 204
    with _as(live, tokens["fiscal"]) as fiscal:
        assert fiscal.get(f"/api/folders/{made['id']}").json()["count"] == 0  # norte only: not counted
        assert fiscal.patch(f"/api/folders/{made['id']}", json={"members": []}).status_code == 200
    with _as(live, tokens["jefa"]) as jefa:
        assert jefa.get(f"/api/folders/{made['id']}").status_code == 404
    with _as(live, tokens["fiscal"]) as fiscal:
        assert fiscal.delete(f"/api/folders/{made['id']}").status_code == 204
        assert fiscal.get(f"/api/folders/{made['id']}").status_code == 404
    assert any(r["target"] == made["id"] and r["actor"] == user["fiscal"] for r in _audit(live, "folder_share"))
    assert any(r["target"] == made["id"] for r in _audit(live, "folder_delete"))
    removed = [r for r in _audit(live, "folder_remove") if r["target"] == made["id"]]
    assert removed and removed[0]["actor"] == user["jefa"] and removed[0]["details"]["document"] == ids["lima"]


def _csv_rows(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf"), body[:10]  # the BOM: Excel reads the accents
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_folder_exports_as_a_spreadsheet_and_a_zip_of_what_its_reader_may_read(live, office, shared):
    ids, tokens = office["ids"], office["tokens"]
    with _as(live, tokens["jefa"]) as jefa:
        resp = jefa.get(f"/api/folders/{shared['id']}/export.csv")
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv"), resp.text
        rows = _csv_rows(resp.content)
    assert list(rows[0]) == ["title", "id", "collection", "type", "court", "year", "pages", "added_by", "added_at",
                             "note", "link"]
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) >= {ids["lima"], ids["norte"]}
    assert by_id[ids["norte"]]["note"] == "'=1+1 no es una fórmula"  # kept as text
    assert by_id[ids["lima"]]["note"] == "Disposición de formalización" and by_id[ids["lima"]]["pages"] == "2"
    assert by_id[ids["lima"]]["link"].endswith(f"/#/doc/{ids['lima']}")
    with _as(live, tokens["fiscal"]) as fiscal:
        mine = _csv_rows(fiscal.get(f"/api/folders/{shared['id']}/export.csv").content)
        assert ids["norte"] not in {r["id"] for r in mine} and ids["lima"] in {r["id"] for r in mine}
        resp = fiscal.get(f"/api/folders/{shared['id']}/export.zip")
        assert resp.status_code == 200 and resp.headers["content-type"] == "application/zip", resp.text
    with zipfile.ZipFile(io.BytesIO(resp.content)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = archive.namelist()
    exported = {row["id"] for row in manifest["documents"]}
    assert ids["lima"] in exported and ids["norte"] not in exported
    assert not any(ids["norte"] in n for n in names)
    records = [r for r in _audit(live, "export") if (r.get("details") or {}).get("folder") == shared["id"]]
    assert records and ids["norte"] not in records[0]["details"]["documents"]
    csv_records = [r for r in _audit(live, "folder_export") if r["target"] == shared["id"]]
    assert {r["actor"] for r in csv_records} >= {office["user"]["jefa"], office["user"]["fiscal"]}


def test_stars_tags_and_notes_are_their_owner_s_alone(live, office):
    ids, tokens, user = office["ids"], office["tokens"], office["user"]
    with _as(live, tokens["fiscal"]) as fiscal:
        resp = fiscal.put(f"/api/marks/{ids['lima']}", json={"starred": True, "tags": ["Testigo clave", "urgente",
                                                                                     "testigo clave"]})
        assert resp.status_code == 200, resp.text
        assert resp.json()["tags"] == ["Testigo clave", "urgente"] and resp.json()["starred"] is True
        page = fiscal.put(f"/api/marks/{ids['lima']}", json={"page": 2, "note": "Pedir las diligencias pendientes."})
        assert page.status_code == 200 and page.json()["page"] == 2, page.text
        assert fiscal.put(f"/api/marks/{ids['norte']}", json={"starred": True}).status_code == 404
        marks = fiscal.get(f"/api/marks/{ids['lima']}").json()
        assert [(m["page"], m["starred"], m["note"]) for m in marks] == [
            (None, True, ""), (2, False, "Pedir las diligencias pendientes.")]
        starred = fiscal.get("/api/marks", params={"starred": "true"}).json()
        assert [m["document_id"] for m in starred] == [ids["lima"]] and starred[0]["document"]["title"]
        tagged = fiscal.get("/api/marks", params={"tag": "urgente"}).json()
        assert [m["document_id"] for m in tagged] == [ids["lima"]]
        assert {t["tag"]: t["count"] for t in fiscal.get("/api/tags").json()} == {"Testigo clave": 1, "urgente": 1}
    with _as(live, tokens["jefa"]) as jefa:  # reads the same document, sees none of the fiscal's marks
        assert jefa.get(f"/api/marks/{ids['lima']}").json() == []
        assert jefa.get("/api/marks", params={"starred": "true"}).json() == []
        assert jefa.get("/api/tags").json() == []
        assert jefa.put(f"/api/marks/{ids['norte']}", json={"tags": ["reservado"]}).status_code == 200
    with _as(live, tokens["fiscal"]) as fiscal:  # unstarred, untagged: gone from the lists
        fiscal.put(f"/api/marks/{ids['lima']}", json={"starred": False, "tags": []})
        assert fiscal.get("/api/marks", params={"starred": "true"}).json() == []
        assert [m["page"] for m in fiscal.get(f"/api/marks/{ids['lima']}").json()] == [2]
    records = [r for r in _audit(live, "annotate") if r["target"] == ids["lima"] and r["actor"] == user["fiscal"]]
    assert len(records) >= 3 and any(r["details"].get("starred") is True for r in records)


def test_batch_search_counts_each_line_with_its_reader_s_access(live, office):
    tokens, tag = office["tokens"], office["tag"]
    text = "\n".join(["Rosalinda Quispe Huamán", "40123456", "", "Teodoro Mamani Ccori", f"Zzyzx{tag} Nadie",
                      "year:abc", "x" * 400, "Inversiones Sol Naciente"])
    answers = {}
    for name in ("fiscal", "jefa"):
        with _as(live, tokens[name]) as client:
            resp = client.post("/api/batch-search", json={"text": text, "top": 2})
            assert resp.status_code == 200, resp.text
            answers[name] = resp.json()
    fiscal, jefa = answers["fiscal"], answers["jefa"]
    assert fiscal["count"] == 7 and [r["line"] for r in fiscal["rows"]] == list(range(1, 8))
    counts = {r["text"]: r["total"] for r in fiscal["rows"]}
    assert counts["Rosalinda Quispe Huamán"] == 1 and counts["40123456"] == 1
    assert counts["Teodoro Mamani Ccori"] == 0  # in norte only: the fiscal may not read it
    assert counts["Inversiones Sol Naciente"] == 1 and counts[f"Zzyzx{tag} Nadie"] == 0
    assert {r["text"]: r["total"] for r in jefa["rows"]}["Teodoro Mamani Ccori"] == 1
    first = fiscal["rows"][0]
    assert first["query"] == '"Rosalinda Quispe Huamán"' and first["top"][0]["id"] == office["ids"]["lima"]
    bad, long = fiscal["rows"][4], fiscal["rows"][5]
    assert bad["text"] == "year:abc" and bad["error"] and bad["total"] is None
    assert long["error"] and "300" in long["error"] and long["total"] is None
    with _as(live, tokens["fiscal"]) as client:
        resp = client.post("/api/batch-search", params={"format": "csv"}, json={"lines": ["Rosalinda Quispe Huamán",
                                                                                          "year:abc"]})
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv"), resp.text
        rows = _csv_rows(resp.content)
        assert rows[0]["line"] == "Rosalinda Quispe Huamán" and rows[0]["documents"] == "1"
        assert office["ids"]["lima"] in rows[0]["top_links"] and rows[1]["error"] and rows[1]["documents"] == ""
        over = client.post("/api/batch-search", json={"lines": [f"nombre {n}" for n in range(201)]})
        assert over.status_code == 400 and "200" in over.json()["error"]["message"], over.text
        assert client.post("/api/batch-search", json={"text": "\n \n"}).status_code == 400
    records = [r for r in _audit(live, "batch_search") if r["actor"] == office["user"]["fiscal"]]
    assert records and any(r["details"]["lines"] == 7 and r["details"]["errors"] == 2 for r in records)
