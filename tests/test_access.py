"""Need-to-know access: three users with different grants over one corpus, on a real stack.

Each reads through every read path (search hits and totals, facet counts, histograms, suggestions,
cited-by, similar documents, the document, its page, page image, hit boxes and file, batches) and must find
no trace of what it may not read: not a hit, not a count, not a suggestion, and a 404 exactly like that of
an id that does not exist. The rule itself (docsearch.access) is checked case by case against the engine:
its clause and its check over one document agree.
"""

from __future__ import annotations

import itertools
import uuid

import httpx
import pytest

from docsearch.access import Caller
from docsearch.accounts import Accounts
from docsearch.audit import audit_alias
from tests import pdfs

MISSING = "0" * 64

# Each document holds a word of its own, a person and a citation of its own.
DOCS = {
    "lima": ("fiscalia-lima", "Carpeta fiscal sobre tráfico ilícito de drogas. Investigado Zacarías Quenallata "
             "Huamanchumo por la operación zafiroalfa. Se cita la Casación N° 4512-2019-Lima."),
    "sealed": ("fiscalia-lima", "Informe reservado de colaboración eficaz sobre la operación rubiobeta. "
               "Colaborador Teodomiro Challco Yupanqui. Se cita la Casación N° 7788-2020-Lima."),
    "norte": ("fiscalia-norte", "Disposición fiscal de la operación esmeraldagamma contra Filomena Ccopa "
              "Villanueva por lavado de activos. Se cita la Casación N° 3321-2018-Piura."),
    "juris": ("jurisprudencia", "Sentencia de casación sobre prueba prohibida y la operación topaciodelta. "
              "Se cita la Casación N° 1010-2017-Lima."),
}
WORD = {"lima": "zafiroalfa", "sealed": "rubiobeta", "norte": "esmeraldagamma", "juris": "topaciodelta"}
PERSON = {"lima": "Quenallata", "sealed": "Challco", "norte": "Ccopa", "juris": None}
CASE = {"lima": "Casación 4512-2019", "sealed": "Casación 7788-2020", "norte": "Casación 3321-2018",
        "juris": "Casación 1010-2017"}

# Who reads what: ana is a prosecutor of the Lima group (not named on the sealed file), ines is named on it,
# juez reads jurisprudence only (public), norte reads its own collection.
USERS = {"ana": ("prosecutor", ["fiscalia-lima"]), "ines": ("prosecutor", ["fiscalia-lima"]),
         "juez": ("judge", []), "norte": ("prosecutor", [])}
READS = {"ana": {"lima", "juris"}, "ines": {"lima", "sealed", "juris"}, "juez": {"juris"}, "norte": {"norte", "juris"}}


@pytest.fixture(scope="module")
def corpus(live, tmp_path_factory):
    folder = tmp_path_factory.mktemp("access")
    tag = uuid.uuid4().hex[:6]
    with live.client() as admin:
        for name, (role, groups) in USERS.items():
            resp = admin.post("/api/users", json={"username": f"{name}-{tag}", "password": "clave-de-prueba-123",
                                                  "role": role, "groups": [f"{g}-{tag}" for g in groups]})
            assert resp.status_code == 201, resp.text
        grants = {"fiscalia-lima": [{"principal": f"group:fiscalia-lima-{tag}", "rights": ["read", "write"]}],
                  "fiscalia-norte": [{"principal": f"user:norte-{tag}", "rights": ["read", "manage"]}],
                  "jurisprudencia": []}
        for collection, rows in grants.items():
            body = {"default_classification": "public" if collection == "jurisprudencia" else "reserved",
                    "grants": rows}
            assert admin.put(f"/api/collections/{collection}-{tag}", json=body).status_code == 200
    ids = {}
    for key, (collection, text) in DOCS.items():
        path = pdfs.text_pdf(folder / f"{key}-{tag}.pdf", [text, f"Segunda página de {WORD[key]}."])
        batch = live.wait_batch(live.upload([path], collection=f"{collection}-{tag}"))
        assert batch["counts"]["indexed"] == 1, batch
        ids[key] = batch["files"][0]["document_id"]
        ids[f"batch:{key}"] = batch["id"]
    with live.client() as admin:
        resp = admin.put(f"/api/documents/{ids['sealed']}/classification",
                         json={"classification": "sealed", "readers": [f"ines-{tag}"]})
        assert resp.status_code == 200, resp.text
    accounts = Accounts(live.engine, live.settings)
    tokens = {name: accounts.create_token(f"{name}-{tag}", "test")["token"] for name in USERS}
    live.refresh()
    return {"ids": ids, "tokens": tokens, "tag": tag}


def _as(live, corpus, user: str) -> httpx.Client:
    return httpx.Client(base_url=live.url, timeout=60, headers={"Authorization": f"Bearer {corpus['tokens'][user]}"})


def _ids(body: dict) -> set[str]:
    return {r["id"] for r in body.get("results") or []}


@pytest.mark.parametrize("user", sorted(USERS))
def test_no_trace_of_what_a_user_may_not_read(live, corpus, user):
    ids, tag = corpus["ids"], corpus["tag"]
    with _as(live, corpus, user) as client:
        for key, word in WORD.items():
            visible = key in READS[user]
            found = client.get("/api/search", params={"q": word}).json()
            assert (ids[key] in _ids(found)) is visible, (user, key, found)
            assert found["total"] == (1 if visible else 0), (user, key, found["total"])
            # Facets and the year histogram count only what the user reads.
            counts = {f["value"]: f["count"] for f in found["facets"]["collection"]}
            assert counts == ({f"{DOCS[key][0]}-{tag}": 1} if visible else {}), (user, key, counts)
            assert sum(f["count"] for f in found["facets"].get("year") or []) <= (1 if visible else 0)
            if not visible:  # nor through typos allowed, relaxed matching or autocompletion
                assert ids[key] not in _ids(client.get("/api/search", params={"q": word[:-1] + "x"}).json())
                suggestions = client.get("/api/suggest", params={"prefix": word[:7]}).json()["suggestions"]
                assert not [s for s in suggestions if word in (s["value"] or "").lower()], (user, key, suggestions)
                if PERSON[key]:
                    people = client.get("/api/suggest", params={"prefix": PERSON[key]}).json()["suggestions"]
                    assert not [s for s in people if PERSON[key].lower() in s["value"].lower()], (user, key, people)
            cited = client.get(f"/api/citations/{CASE[key]}").json()
            assert (ids[key] in {r["id"] for r in cited["results"]}) is visible, (user, key, cited)
            assert cited["total"] == (1 if visible else 0)
            # One id, every read path: what may not be read answers like what does not exist.
            for path in ("", "/pages/1", "/pages/1/image", "/pages/1/boxes", "/file", "/similar"):
                resp = client.get(f"/api/documents/{ids[key]}{path}")
                if visible:
                    assert resp.status_code == 200, (user, key, path, resp.text)
                else:
                    ghost = client.get(f"/api/documents/{MISSING}{path}")
                    assert resp.status_code == ghost.status_code == 404, (user, key, path, resp.status_code)
                    assert resp.text.replace(ids[key], MISSING) == ghost.text, (user, key, path)
        # Similar documents of what the user reads never name what it does not.
        hidden = {ids[k] for k in WORD if k not in READS[user]}
        for key in READS[user]:
            similar = client.get(f"/api/documents/{ids[key]}/similar").json()
            assert not _ids(similar) & hidden, (user, key, similar)
        # Loads made by someone else are seen only by the managers of their collection (norte manages its own).
        managed = {"norte"} if user == "norte" else set()
        listed = {b["id"] for b in client.get("/api/batches").json()}
        assert listed & {ids[f"batch:{k}"] for k in WORD} == {ids[f"batch:{k}"] for k in managed}, (user, listed)
        for key in WORD:
            expected = 200 if key in managed else 404
            assert client.get(f"/api/batches/{ids[f'batch:{key}']}").status_code == expected


def test_sealed_stays_invisible_to_a_prosecutor_of_its_collection_and_to_admins(live, corpus):
    ids = corpus["ids"]
    with _as(live, corpus, "ana") as ana, _as(live, corpus, "ines") as ines, live.client() as admin:
        assert ana.get(f"/api/documents/{ids['sealed']}").status_code == 404
        assert ines.get(f"/api/documents/{ids['sealed']}").status_code == 200
        assert admin.get(f"/api/documents/{ids['sealed']}").status_code == 404
        assert admin.get("/api/search", params={"q": WORD["sealed"]}).json()["total"] == 0
        # Same collection, same group: the reserved document is there for both.
        assert ana.get(f"/api/documents/{ids['lima']}").status_code == 200


def test_rights_to_write_and_manage_are_not_rights_to_read(live, corpus, tmp_path):
    ids, tag = corpus["ids"], corpus["tag"]
    path = pdfs.text_pdf(tmp_path / "x.pdf", ["Oficio de prueba de permisos."])
    with _as(live, corpus, "juez") as juez, _as(live, corpus, "norte") as norte, _as(live, corpus, "ana") as ana:
        with path.open("rb") as fh:  # the judge has no write right anywhere
            refused = juez.post("/api/documents", files={"files": ("x.pdf", fh)}, data={"collection": f"fiscalia-lima-{tag}"})
        assert refused.status_code == 403, refused.text
        # A manager of fiscalia-norte may classify its document, not one of Lima.
        assert norte.put(f"/api/documents/{ids['norte']}/classification",
                         json={"classification": "reserved", "readers": []}).status_code == 200
        assert norte.put(f"/api/documents/{ids['lima']}/classification",
                         json={"classification": "public", "readers": []}).status_code == 404
        assert ana.put(f"/api/documents/{ids['lima']}/classification",
                       json={"classification": "public", "readers": []}).status_code == 403
        for route in ("/api/users", "/api/collections"):
            assert ana.get(route).status_code == 403


def test_without_credentials_nothing_is_read(live, corpus):
    with httpx.Client(base_url=live.url, timeout=30) as anonymous:
        for route in ("/api/search?q=zafiroalfa", f"/api/documents/{corpus['ids']['juris']}", "/api/batches",
                      "/api/suggest?prefix=zafiro", "/api/fields", "/api/users", "/api/auth/me"):
            resp = anonymous.get(route)
            assert resp.status_code == 401, (route, resp.status_code)
            assert "zafiroalfa" not in resp.text.replace(route, "")
        bad = anonymous.get("/api/search", params={"q": "x"}, headers={"Authorization": "Bearer ds_nope"})
        assert bad.status_code == 401


def test_sign_in_session_needs_its_csrf_token_for_changes_and_locks_after_failures(live, corpus):
    tag = corpus["tag"]
    with httpx.Client(base_url=live.url, timeout=30) as browser:
        signed = browser.post("/api/auth/login", json={"username": f"norte-{tag}", "password": "clave-de-prueba-123"})
        assert signed.status_code == 200, signed.text
        assert "httponly" in signed.headers["set-cookie"].lower() and "samesite=strict" in signed.headers["set-cookie"].lower()
        assert browser.get("/api/auth/me").json()["username"] == f"norte-{tag}"
        change = {"classification": "reserved", "readers": []}
        doc = corpus["ids"]["norte"]
        assert browser.put(f"/api/documents/{doc}/classification", json=change).status_code == 403
        ok = browser.put(f"/api/documents/{doc}/classification", json=change,
                         headers={"X-CSRF-Token": signed.json()["csrf_token"]})
        assert ok.status_code == 200, ok.text
        assert browser.post("/api/auth/logout").status_code == 204
        assert browser.get("/api/auth/me").status_code == 401
    with httpx.Client(base_url=live.url, timeout=30) as attacker:
        codes = [attacker.post("/api/auth/login", json={"username": f"juez-{tag}", "password": "wrong-password-1"}
                               ).status_code for _ in range(live.settings.login_attempts + 1)]
        assert codes[:-1] == [401] * live.settings.login_attempts and codes[-1] == 429, codes
        # Locked: even the right password waits.
        right = attacker.post("/api/auth/login", json={"username": f"juez-{tag}", "password": "clave-de-prueba-123"})
        assert right.status_code == 429 and right.json()["error"]["code"] == "locked"


CALLERS = [Caller("ana", "prosecutor", rights={"c1": frozenset({"read"})}),
           Caller("bea", "admin"), Caller("carl", "viewer", rights={"c2": frozenset({"read", "write"})}),
           Caller("", "viewer")]
SOURCES = [{"id": f"d{i}", "collection": collection, "classification": kind, "readers": readers}
           for i, (collection, kind, readers) in enumerate(itertools.product(
               ["c1", "c2", ["c1", "c2"], "c3"], [None, "public", "reserved", "sealed"], [[], ["ana"], ["bea", "carl"]]))]


def test_the_rule_as_a_clause_and_as_a_check_agree(services, tmp_path):
    """Every caller against every kind of document: the engine clause finds exactly what may_read allows."""
    from docsearch.engine import Engine
    from tests.conftest import make_settings
    settings = make_settings(services, tmp_path, index_prefix=f"dsacc{uuid.uuid4().hex[:6]}")
    engine = Engine.connect(settings)
    index = f"{settings.index_prefix}-rule"
    mapping = {"properties": {k: {"type": "keyword"} for k in ("id", "collection", "classification", "readers")}}
    engine.create_index(index, {"mappings": mapping})
    try:
        engine.bulk([op for src in SOURCES for op in ({"index": {"_index": index, "_id": src["id"]}},
                                                          {k: v for k, v in src.items() if v is not None})],
                    refresh=True)
        for caller in CALLERS:
            body = {"size": 1000, "_source": ["id"], "query": caller.restrict({"match_all": {}})}
            found = {hit["_source"]["id"] for hit in engine.search(index, body)["hits"]["hits"]}
            allowed = {src["id"] for src in SOURCES if caller.may_read(src)}
            assert found == allowed, caller
        assert not {s["id"] for s in SOURCES if CALLERS[3].may_read(s)}
    finally:
        engine.delete_index(index)
        engine.close()


def test_what_a_user_reads_is_in_the_audit_trail(live, corpus):
    tag, ids = corpus["tag"], corpus["ids"]
    user = f"ines-{tag}"
    with _as(live, corpus, "ines") as ines:
        assert ines.get("/api/search", params={"q": WORD["sealed"], "collection": f"fiscalia-lima-{tag}"}).status_code == 200
        assert ines.get(f"/api/documents/{ids['sealed']}/pages/1").status_code == 200
        assert ines.get(f"/api/documents/{ids['sealed']}/file").status_code == 200
    with httpx.Client(base_url=live.url, timeout=30) as stranger:
        stranger.post("/api/auth/login", json={"username": user, "password": "not-the-password"})
    live.engine.refresh(audit_alias(live.settings))  # searchable now, not after the next refresh interval
    with live.client() as admin:
        records = admin.get("/api/audit", params={"actor": user, "size": 20}).json()["records"]
        with _as(live, corpus, "ines") as ines:
            assert ines.get("/api/audit").status_code == 403
    seen = [(r["action"], r.get("target"), r.get("query")) for r in records]
    assert ("search", None, WORD["sealed"]) in seen, seen
    search = next(r for r in records if r["action"] == "search")
    assert search["details"]["filters"] == {"collection": [f"fiscalia-lima-{tag}"]} and search["ip"] == "127.0.0.1"
    assert ("view_page", ids["sealed"], None) in seen and ("download", ids["sealed"], None) in seen
    assert ("login_failed", user, None) in seen
    assert records[0]["seq"] > records[-1]["seq"]  # newest first


def test_failed_sign_ins_from_one_address_make_it_wait(services, tmp_path):
    from api.throttle import SignInThrottle
    from tests.conftest import make_settings
    settings = make_settings(services, tmp_path, index_prefix=f"dsthr{uuid.uuid4().hex[:6]}", address_sign_in_failures=3)
    throttle = SignInThrottle(settings)
    try:
        for _ in range(3):
            assert throttle.wait("10.0.0.9") == 0
            throttle.failed("10.0.0.9")
        assert 0 < throttle.wait("10.0.0.9") <= 600
        assert throttle.wait("10.0.0.8") == 0  # another address is not held up
    finally:
        throttle.client.delete(throttle._key("10.0.0.9"))


def test_an_admin_deletes_a_document_with_its_file_and_the_deletion_is_audited(live, corpus, tmp_path):
    path = pdfs.text_pdf(tmp_path / "borrar.pdf", ["Oficio para borrar sobre la operación ambardelta."])
    batch = live.wait_batch(live.upload([path], collection="borrables"))
    doc_id = batch["files"][0]["document_id"]
    with _as(live, corpus, "ana") as ana:
        assert ana.delete(f"/api/documents/{doc_id}").status_code == 403
    with live.client() as admin:
        assert admin.get(f"/api/documents/{doc_id}/file").status_code == 200
        gone = admin.delete(f"/api/documents/{doc_id}")
        assert gone.status_code == 200 and gone.json()["original"] is True, gone.text
        for path_ in ("", "/file", "/pages/1"):
            assert admin.get(f"/api/documents/{doc_id}{path_}").status_code == 404
        assert admin.delete(f"/api/documents/{doc_id}").status_code == 404
        live.refresh()
        assert admin.get("/api/search", params={"q": "ambardelta"}).json()["total"] == 0
        live.engine.refresh(audit_alias(live.settings))
        records = admin.get("/api/audit", params={"action": "delete", "size": 5}).json()["records"]
    assert any(r["target"] == doc_id and r["actor"] == live.admin_user for r in records), records


def test_the_same_bytes_loaded_into_another_collection_reveal_nothing_of_the_first(live, corpus, tmp_path):
    tag = corpus["tag"]
    path = pdfs.text_pdf(tmp_path / "informe-lima.pdf", ["Informe policial de la operación cuarzoepsilon en Lima."])
    first = live.wait_batch(live.upload([path], collection=f"fiscalia-lima-{tag}"))
    doc_id = first["files"][0]["document_id"]
    with _as(live, corpus, "norte") as norte:
        assert norte.get(f"/api/documents/{doc_id}").status_code == 404
    # Loaded again (as norte's office would, with its own copy) under another name into fiscalia-norte.
    second = live.wait_batch(live.upload([("copia-norte.pdf", path.read_bytes())], collection=f"fiscalia-norte-{tag}"))
    assert second["files"][0]["status"] == first["files"][0]["status"] == "indexed"
    live.refresh()
    with _as(live, corpus, "norte") as norte, _as(live, corpus, "ana") as ana:
        seen_by_norte = norte.get(f"/api/documents/{doc_id}").json()
        assert seen_by_norte["collection"] == f"fiscalia-norte-{tag}"
        assert seen_by_norte["source_paths"] == ["copia-norte.pdf"], seen_by_norte["source_paths"]
        hit = norte.get("/api/search", params={"q": "cuarzoepsilon"}).json()["results"]
        assert [r["collection"] for r in hit] == [f"fiscalia-norte-{tag}"]
        seen_by_ana = ana.get(f"/api/documents/{doc_id}").json()
        assert seen_by_ana["collection"] == f"fiscalia-lima-{tag}"
        assert "copia-norte.pdf" not in seen_by_ana["source_paths"] and "informe-lima.pdf" in seen_by_ana["source_paths"]


def test_tokens_are_listed_and_revoked_at_once_and_sign_out_ends_the_session_at_once(live, corpus):
    tag = corpus["tag"]
    with _as(live, corpus, "juez") as juez:
        made = juez.post("/api/auth/tokens", json={"name": "script"}).json()
        assert made["token"].startswith("ds_") and made["id"] in {t["id"] for t in juez.get("/api/auth/tokens").json()}
        with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {made['token']}"}) as script:
            assert script.get("/api/auth/me").json()["username"] == f"juez-{tag}"
            assert juez.delete(f"/api/auth/tokens/{made['id']}").status_code == 204
            assert script.get("/api/auth/me").status_code == 401
        assert juez.delete(f"/api/auth/tokens/{made['id']}").status_code == 404
    with httpx.Client(base_url=live.url, timeout=30) as browser:
        browser.post("/api/auth/login", json={"username": f"ines-{tag}", "password": "clave-de-prueba-123"})
        cookies = dict(browser.cookies)
        assert browser.post("/api/auth/logout").status_code == 204
    with httpx.Client(base_url=live.url, timeout=30, cookies=cookies) as replay:
        assert replay.get("/api/auth/me").status_code == 401


def test_collections_with_documents_are_listed_before_they_have_settings(live, corpus, tmp_path):
    fresh = f"sin-ajustes-{corpus['tag']}"
    live.wait_batch(live.upload([pdfs.text_pdf(tmp_path / "s.pdf", ["Oficio sin ajustes."])], collection=fresh))
    live.refresh()
    with live.client() as admin:
        names = {c["name"]: c for c in admin.get("/api/collections").json()}
    assert names[fresh] == {"name": fresh, "default_classification": "reserved", "grants": [], "display_name": None,
                            "hidden": False, "updated_at": None}
    assert names[f"fiscalia-lima-{corpus['tag']}"]["grants"]
