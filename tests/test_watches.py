"""Saved searches and watches on a real stack: documents matched when they are indexed (the engine's percolator, in
the worker), announced in the inbox and by e-mail (a real SMTP server, ``mailbox``) only to owners who may read
them, then and later; every change and every notification in the audit trail."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from docsearch.access import SYSTEM
from docsearch.accounts import Accounts
from docsearch.audit import audit_alias
from docsearch.engine import Engine
from docsearch.schema import (documents_mapping, drop_indices, ensure_indices, index_body, notifications_alias,
                              schema_status, specs, watches_alias)
from docsearch.watches import Watches, follow_merge, percolate, percolated, rebuild, send_digests
from services import stack
from tests import pdfs
from tests.conftest import make_settings

PASSWORD = "clave-de-prueba-123"
ORG_TEXT = ("Informe policial sobre la organización criminal Los Halcones del Rímac, dedicada al tráfico ilícito "
            "de drogas en el Callao. Se incautaron 40 kilos de clorhidrato de cocaína.")


def _wait(what, timeout: float = 60.0, poll: float = 0.5):
    deadline = time.monotonic() + timeout
    while True:
        value = what()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(poll)


@pytest.fixture(scope="module")
def office(live, tmp_path_factory):
    """Two collections (lima, norte); ``fiscal`` reads lima only, ``jefa`` both; both have an e-mail address. A
    first document naming the organisation is loaded into lima, so that its identity exists."""
    tag = uuid.uuid4().hex[:6]
    users = {"fiscal": ["lima"], "jefa": ["lima", "norte"]}
    with live.client() as admin:
        for name, groups in users.items():
            resp = admin.post("/api/users", json={"username": f"{name}-{tag}", "password": PASSWORD, "role": "prosecutor",
                                                  "groups": [f"{g}-{tag}" for g in groups],
                                                  "email": f"{name}-{tag}@fiscalia.example"})
            assert resp.status_code == 201, resp.text
        for collection in ("lima", "norte"):
            grants = [{"principal": f"group:{collection}-{tag}", "rights": ["read", "write"]}]
            resp = admin.put(f"/api/collections/{collection}-{tag}", json={"grants": grants})
            assert resp.status_code == 200, resp.text
    folder = tmp_path_factory.mktemp("watches")
    seed = pdfs.text_pdf(folder / f"antecedente-{tag}.pdf", [f"Antecedente {tag}. " + ORG_TEXT])
    batch = live.wait_batch(live.upload([seed], collection=f"lima-{tag}"))
    assert batch["counts"]["indexed"] == 1, batch
    accounts = Accounts(live.engine, live.settings)
    tokens = {name: accounts.create_token(f"{name}-{tag}", "test")["token"] for name in users}
    live.refresh()
    with _as(live, tokens["jefa"]) as jefa:
        orgs = jefa.get("/api/search", params={"q": f"antecedente {tag}", "mode": "lexical"}).json()["facets"]["criminal_orgs"]
    org = next(v["value"] for v in orgs if "Halcones" in v["value"])
    return {"tag": tag, "tokens": tokens, "folder": folder, "org": org,
            "email": {name: f"{name}-{tag}@fiscalia.example" for name in users}}


def _as(live, token: str) -> httpx.Client:
    return httpx.Client(base_url=live.url, timeout=60, headers={"Authorization": f"Bearer {token}"})


def _inbox(live, token: str) -> dict:
    with _as(live, token) as client:
        resp = client.get("/api/notifications", params={"size": 50})
    assert resp.status_code == 200, resp.text
    return resp.json()


def _about(inbox: dict, doc_id: str) -> list[dict]:
    return [n for n in inbox["items"] if n["document_id"] == doc_id]


def test_a_watched_organisation_is_announced_only_to_those_who_may_read_the_document(live, office, mailbox):
    tag, tokens = office["tag"], office["tokens"]
    for name in ("fiscal", "jefa"):
        with _as(live, tokens[name]) as client:
            resp = client.post("/api/watches", json={"kind": "entity", "field": "criminal_orgs", "value": office["org"]})
            assert resp.status_code == 201, resp.text
            watch = resp.json()
            assert watch["target"]["identity"], watch  # watched as the identity, not as a spelling
    # One load: a police report naming the organisation into lima (both read it), and an oficio naming it into
    # norte, which the fiscal may not read. Both batches are queued together and indexed by the same workers.
    lima = pdfs.text_pdf(office["folder"] / f"parte-{tag}.pdf", [f"Parte {tag} uno. " + ORG_TEXT, "Segunda página."])
    norte = pdfs.text_pdf(office["folder"] / f"oficio-{tag}.pdf", [f"Oficio {tag} reservado. " + ORG_TEXT])
    batches = [live.upload([lima], collection=f"lima-{tag}"), live.upload([norte], collection=f"norte-{tag}")]
    done = [live.wait_batch(b) for b in batches]
    readable, hidden = (b["files"][0]["document_id"] for b in done)
    assert all(b["counts"]["indexed"] == 1 for b in done), done

    # The jefa gets both, the fiscal the first (matching runs after indexing, in the worker); each document's
    # watches are matched one after the other, so a moment more lets anything else arrive before counting.
    assert _wait(lambda: len({n["document_id"] for n in _inbox(live, tokens["jefa"])["items"]} & {readable, hidden}) == 2
                 and _about(_inbox(live, tokens["fiscal"]), readable))
    assert _wait(lambda: len(mailbox.to(office["email"]["jefa"])) >= 2 and mailbox.to(office["email"]["fiscal"]))
    time.sleep(2)
    jefa_inbox, fiscal_inbox = _inbox(live, tokens["jefa"]), _inbox(live, tokens["fiscal"])
    assert [n["document_id"] for n in fiscal_inbox["items"] if n["document_id"] in (readable, hidden)] == [readable]
    assert fiscal_inbox["unread"] == 1 and jefa_inbox["unread"] == 2
    notice = _about(fiscal_inbox, readable)[0]
    assert notice["page"] == 1 and "Halcones" in notice["snippet"] and "<mark>" in notice["snippet"], notice
    assert notice["watch_label"] == office["org"] and notice["read"] is False

    # E-mail: one to the fiscal (about the readable report only), two to the jefa.
    fiscal_mail = mailbox.to(office["email"]["fiscal"])
    assert len(fiscal_mail) == 1, [m["Subject"] for m in fiscal_mail]
    body = fiscal_mail[0].get_content()
    assert f"#/doc/{readable}" in body and hidden not in body and f"oficio {tag}" not in body.lower()
    assert len(mailbox.to(office["email"]["jefa"])) == 2

    # Every notification is in the audit trail, as is each watch made.
    live.engine.refresh(audit_alias(live.settings))
    with live.client() as admin:
        notified = admin.get("/api/audit", params={"action": "notify", "size": 100}).json()["records"]
        created = admin.get("/api/audit", params={"action": "watch_create", "size": 100}).json()["records"]
    inbox_records = [r for r in notified if r["details"].get("channel") == "inbox"]
    assert sorted((n["owner"], r["target"]) for r in inbox_records if r["target"] in (readable, hidden)
                  for n in r["details"]["notifications"]) == \
        sorted([(f"fiscal-{tag}", readable), (f"jefa-{tag}", readable), (f"jefa-{tag}", hidden)])
    assert {r["actor"] for r in created} >= {f"fiscal-{tag}", f"jefa-{tag}"}

    # Read once, gone from the unread count; the document made unreadable later leaves the inbox and its counts.
    with _as(live, tokens["fiscal"]) as fiscal:
        assert fiscal.post("/api/notifications/read", json={"ids": [notice["id"]]}).json()["unread"] == 0
    with live.client() as admin:
        resp = admin.put(f"/api/documents/{readable}/classification",
                         json={"classification": "sealed", "readers": [f"jefa-{tag}"]})
        assert resp.status_code == 200, resp.text
    live.refresh()
    assert not _about(_inbox(live, tokens["fiscal"]), readable)
    assert _about(_inbox(live, tokens["jefa"]), readable)

    # Indexed again (reprocessed), a document is matched again: a watch made since finds it, one that had found
    # it does not announce it twice.
    with _as(live, tokens["jefa"]) as jefa:
        since = jefa.post("/api/watches", json={"kind": "collection", "collection": f"norte-{tag}"}).json()
    with live.client() as admin:
        assert admin.post(f"/api/batches/{done[1]['id']}/reprocess", json={"stage": "nlp"}).status_code == 202
    assert _wait(lambda: [n for n in _about(_inbox(live, tokens["jefa"]), hidden) if n["watch_id"] == since["id"]])
    assert len([n for n in _about(_inbox(live, tokens["jefa"]), hidden) if n["watch_id"] != since["id"]]) == 1
    with _as(live, tokens["jefa"]) as jefa:
        assert jefa.delete(f"/api/watches/{since['id']}").status_code == 204


def test_a_saved_search_is_kept_renamed_watched_and_deleted(live, office):
    tag, tokens = office["tag"], office["tokens"]
    with _as(live, tokens["fiscal"]) as fiscal, _as(live, tokens["jefa"]) as jefa:
        bad = fiscal.post("/api/saved-searches", json={"name": "roto", "q": 'lavado "sin cerrar'})
        assert bad.status_code in (201, 400), bad.text  # the tolerant parser may read it; never a 500
        resp = fiscal.post("/api/saved-searches", json={"name": "  Cocaína   en el Callao ", "q": f"clorhidrato {tag}",
                                                       "filters": {"collection": [f"lima-{tag}"]}, "mode": "hybrid"})
        assert resp.status_code == 201, resp.text
        saved = resp.json()
        assert saved["name"] == "Cocaína en el Callao" and saved["filters"] == {"collection": [f"lima-{tag}"]}
        assert jefa.get(f"/api/saved-searches/{saved['id']}").status_code == 404  # another user's: not there
        assert jefa.patch(f"/api/saved-searches/{saved['id']}", json={"name": "mío"}).status_code == 404
        watch = fiscal.post("/api/watches", json={"kind": "search", "saved_search": saved["id"], "delivery": "daily"})
        assert watch.status_code == 201, watch.text
        renamed = fiscal.patch(f"/api/saved-searches/{saved['id']}", json={"name": "Callao"}).json()
        assert renamed["name"] == "Callao" and renamed["watch"]["label"] == "Callao"
        assert renamed["watch"]["delivery"] == "daily"
        listed = fiscal.get("/api/saved-searches").json()
        assert [s["id"] for s in listed].count(saved["id"]) == 1
        paused = fiscal.patch(f"/api/watches/{watch.json()['id']}", json={"active": False}).json()
        assert paused["active"] is False
        assert fiscal.delete(f"/api/saved-searches/{saved['id']}").status_code == 204
        assert fiscal.get(f"/api/saved-searches/{saved['id']}").status_code == 404
        assert not [w for w in fiscal.get("/api/watches").json() if w["id"] == watch.json()["id"]]
        # A collection the fiscal may not read cannot be watched (told as if it did not exist).
        refused = fiscal.post("/api/watches", json={"kind": "collection", "collection": f"norte-{tag}"})
        assert refused.status_code == 404, refused.text
        assert fiscal.post("/api/watches", json={"kind": "entity", "field": "title", "value": "x"}).status_code == 400


def test_a_saved_search_watch_finds_its_words_and_the_daily_digest_goes_once(live, office, mailbox):
    tag, tokens = office["tag"], office["tokens"]
    word = f"zafiro{tag}"
    with _as(live, tokens["jefa"]) as jefa:
        saved = jefa.post("/api/saved-searches", json={"name": "Zafiro", "q": f"{word} cocaína"}).json()
        assert jefa.post("/api/watches", json={"kind": "search", "saved_search": saved["id"],
                                               "delivery": "daily"}).status_code == 201
        assert jefa.post("/api/watches", json={"kind": "collection", "collection": f"norte-{tag}",
                                               "delivery": "daily"}).status_code == 201
    path = pdfs.text_pdf(office["folder"] / f"zafiro-{tag}.pdf",
                         ["Portada del expediente.", f"Acta de incautación de cocaína en la operación {word}."])
    other = pdfs.text_pdf(office["folder"] / f"otro-{tag}.pdf", [f"Acta sin relación {tag}, sobre cocaína."])
    done = live.wait_batch(live.upload([path, other], collection=f"norte-{tag}"))
    found, unrelated = (f["document_id"] for f in sorted(done["files"], key=lambda f: f["name"], reverse=True))
    def made() -> list[dict]:
        items = _inbox(live, tokens["jefa"])["items"]
        return items if len([n for n in items if n["watch_label"] in ("Zafiro", f"norte-{tag}")]) >= 3 else []

    items = _wait(made)
    time.sleep(1)  # anything more would be made by now
    items = _inbox(live, tokens["jefa"])["items"]
    by_search = [n for n in items if n["watch_label"] == "Zafiro"]
    assert [n["document_id"] for n in by_search] == [found], (found, unrelated, items)
    assert by_search[0]["page"] == 2 and f"<mark>{word}</mark>" in by_search[0]["snippet"].lower(), by_search
    assert {n["document_id"] for n in items if n["watch_kind"] == "collection"} >= {found, unrelated}
    # The digest: once a day after its hour, every daily notification not e-mailed yet in one e-mail (the worker
    # sends today's on its own; tomorrow's is sent here, with whatever today's did not hold).
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(hour=live.settings.digest_hour_utc, minute=5)
    send_digests(live.engine, live.settings, tomorrow)
    live.engine.refresh(notifications_alias(live.settings))
    assert send_digests(live.engine, live.settings, tomorrow) == 0
    assert send_digests(live.engine, live.settings, tomorrow.replace(hour=0)) == 0  # before its hour: nothing
    for doc_id in (found, unrelated):
        mails = [m for m in mailbox.to(office["email"]["jefa"]) if f"#/doc/{doc_id}" in m.get_content()]
        assert len(mails) == 1, [m["Subject"] for m in mails]


def test_ten_thousand_watches_match_a_document_in_one_request(live, office):
    """The percolator reads each stored query's terms: a document is matched against thousands of watches in one
    request, and only those whose terms it holds are run."""
    watches = Watches(live.engine, live.settings, SYSTEM)
    doc = {"id": "x" * 64, "title": "Acta", "collection": "c", "pages": [
        {"page": 1, "text": f"Acta de la operación marfil{office['tag']} en Tumbes."}]}
    ops = [{"index": {"_index": watches_alias(live.settings), "_id": f"bulk-{office['tag']}-{i}"}} for i in range(2000)]
    body = []
    for i, op in enumerate(ops):
        word = f"marfil{office['tag']}" if i == 7 else f"palabra{i}x{office['tag']}"
        body += [op, {"query": {"match": {"pages.text": word}}, "needs": {"match_all": {}}, "watch": {
            "id": op["index"]["_id"], "owner": "nadie", "kind": "search", "label": word, "delivery": "immediate",
            "active": True}}]
    live.engine.bulk(body, refresh=True)
    try:
        matched = percolate(live.engine, live.settings, doc)
        assert [w["id"] for w in matched if w["owner"] == "nadie"] == [f"bulk-{office['tag']}-7"]
        assert watches.watches() == []  # the system caller owns no watch
    finally:
        live.engine.delete_by_query(watches_alias(live.settings), {"query": {"term": {"watch.owner": "nadie"}}})


def test_a_file_is_indexed_when_matching_fails(live, office):
    """Matching runs after the file is recorded, in a task of its own: without a watches index at all the file is
    indexed and searchable as ever."""
    tag = office["tag"]
    for target in live.engine.alias_targets(watches_alias(live.settings)):
        live.engine.delete_index(target)
    try:
        path = pdfs.text_pdf(office["folder"] / f"sin-vigilancia-{tag}.pdf", [f"Acta ambar{tag} de control."])
        done = live.wait_batch(live.upload([path], collection=f"lima-{tag}"))
        assert done["counts"]["indexed"] == 1, done
        assert live.search(f"ambar{tag}")["total"] == 1
    finally:
        ensure_indices(live.engine, live.settings)


def test_the_command_line_keeps_a_users_saved_searches_watches_and_inbox(live, office):
    tag, user = office["tag"], f"fiscal-{office['tag']}"

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cli.main", *args], env=stack.env_for(live.settings),
                              capture_output=True, text=True, timeout=300)

    added = cli("saved", "add", "Halcones en Lima", "--user", user, "--q", "halcones", "--collection", f"lima-{tag}",
                "--watch", "daily")
    assert added.returncode == 0, added.stderr
    listed = json.loads(cli("saved", "list", "--user", user, "--json").stdout)
    saved = next(s for s in listed if s["name"] == "Halcones en Lima")
    assert saved["filters"] == {"collection": [f"lima-{tag}"]} and saved["watch"]["delivery"] == "daily"
    ran = json.loads(cli("saved", "run", saved["id"], "--user", user, "--json").stdout)
    assert ran["total"] >= 1 and {r["collection"] for r in ran["results"]} == {f"lima-{tag}"}
    assert cli("saved", "rename", saved["id"], "Halcones", "--user", user).returncode == 0
    # Another user's saved search is not there for this one.
    other = cli("saved", "run", saved["id"], "--user", f"jefa-{tag}")
    assert other.returncode == 1 and "no saved search" in other.stderr.lower(), other.stderr
    watch = json.loads(cli("watches", "list", "--user", user, "--json").stdout)
    assert [w["label"] for w in watch if w["target"].get("saved_search") == saved["id"]] == ["Halcones"]
    paused = cli("watches", "set", saved["watch"]["id"], "--user", user, "--pause")
    assert paused.returncode == 0 and "paused" in paused.stdout
    refused = cli("watches", "add", "--user", user, "--collection", f"norte-{tag}")
    assert refused.returncode == 1, refused.stdout
    box = json.loads(cli("inbox", "--user", user, "--json").stdout)
    assert set(box) == {"unread", "items"}
    assert cli("saved", "delete", saved["id"], "--user", user).returncode == 0
    assert saved["id"] not in cli("saved", "list", "--user", user).stdout


def test_a_watch_of_an_identity_follows_it_when_it_is_merged_into_another(live, office):
    tag = office["tag"]
    fiscal = Accounts(live.engine, live.settings).caller(f"fiscal-{tag}")
    watch = Watches(live.engine, live.settings, fiscal).watch("entity", field="criminal_orgs", value=office["org"])
    source = watch["target"]["identity"]
    target = f"criminal_org-{tag}merged"
    assert follow_merge(live.engine, live.settings, source, target) >= 1
    doc = {"id": "y" * 64, "entity_ids": [target], "pages": [{"page": 1, "text": "Acta."}]}
    assert watch["id"] in [w["id"] for w in percolate(live.engine, live.settings, doc)]
    old = {**doc, "entity_ids": [source]}
    assert watch["id"] not in [w["id"] for w in percolate(live.engine, live.settings, old)]
    moved = next(w for w in Watches(live.engine, live.settings, fiscal).watches() if w["id"] == watch["id"])
    assert moved["target"]["identity"] == target and moved["label"] == office["org"]
    Watches(live.engine, live.settings, fiscal).delete_watch(watch["id"])


def test_a_saved_search_matches_words_on_different_pages_of_a_long_document(live, office):
    """A stored query reads the document as a whole: words on different pages of a long document match a watch of
    both, and not a watch of a word the document lacks; a watch whose filters the document fails (matched first,
    on the document without its pages) is not matched, its words notwithstanding."""
    tag = office["tag"]
    filler = [" ".join(f"termino{tag}{p}x{i}" for i in range(400)) for p in range(4)]
    doc = {"id": "y" * 64, "title": "Expediente largo", "collection": "c", "year": 2021, "pages": [
        {"page": 1, "text": f"Declaración de Quilca{tag}. " + filler[0], "entities": {"per": ["Quilca"]}},
        {"page": 2, "text": filler[1]}, {"page": 3, "text": filler[2]},
        {"page": 4, "text": filler[3] + f" Se menciona el puerto de Paita{tag}."}]}
    wanted = {"both": {"bool": {"filter": [{"match": {"pages.text": f"quilca{tag}"}},
                                           {"match": {"pages.text": f"paita{tag}"}}, {"term": {"year": 2021}}]}},
              "absent": {"bool": {"filter": [{"match": {"pages.text": f"quilca{tag}"}},
                                             {"match": {"pages.text": f"ausente{tag}"}}]}},
              "other-year": {"bool": {"filter": [{"match": {"pages.text": f"paita{tag}"}}, {"term": {"year": 1999}}]}}}
    needs = {"both": {"term": {"year": 2021}}, "absent": {"match_all": {}}, "other-year": {"term": {"year": 1999}}}
    body = []
    for name, query in wanted.items():
        id = f"long-{tag}-{name}"
        body += [{"index": {"_index": watches_alias(live.settings), "_id": id}},
                 {"query": query, "needs": needs[name], "watch": {"id": id, "owner": "nadie", "kind": "search",
                                                                  "label": name, "delivery": "immediate",
                                                                  "active": True}}]
    live.engine.bulk(body, refresh=True)
    try:
        matched = percolate(live.engine, live.settings, percolated(doc))
        assert [w["label"] for w in matched if w["owner"] == "nadie"] == ["both"]
        assert percolated(doc)["pages"][0] == {"text": doc["pages"][0]["text"]}  # what only a page shows is left out
    finally:
        live.engine.delete_by_query(watches_alias(live.settings), {"query": {"term": {"watch.owner": "nadie"}}})


def test_a_watches_index_of_an_older_version_is_rebuilt_with_its_watches(services, tmp_path):
    """`docsearch watches rebuild`: an index built before (pages nested, version 1) is built again at the current
    version behind the same alias, every watch kept and matching."""
    settings = make_settings(services, tmp_path)
    engine = Engine.connect(settings)
    try:
        ensure_indices(engine, settings)
        alias = watches_alias(settings)
        [current] = engine.alias_targets(alias)
        spec = next(s for s in specs(settings, kind=engine.kind) if s.alias == alias)
        old_body = index_body(spec, settings, engine.kind)
        old_body["mappings"] = {**old_body["mappings"], "_meta": {"schema_version": 1}}
        old_body["mappings"]["properties"] = {**old_body["mappings"]["properties"],
                                              "pages": documents_mapping()["properties"]["pages"]}
        old_body["aliases"] = {}
        engine.delete_index(current)
        engine.create_index(f"{alias}-v1", old_body)
        engine.update_aliases([{"add": {"index": f"{alias}-v1", "alias": alias}}])
        assert schema_status(engine, settings)[alias] == f"needs-rebuild (v1 < v{spec.version})"
        watch = {"id": "w1", "owner": "nadie", "kind": "search", "label": "tumbes", "delivery": "daily", "active": True}
        engine.index(alias, "w1", {"query": {"match": {"pages.text": "tumbes"}}, "watch": watch}, refresh=True)

        done = rebuild(engine, settings)
        assert done["state"] == "rebuilt" and done["watches"] == 1, done
        assert engine.alias_targets(alias) == [spec.concrete]
        assert schema_status(engine, settings)[alias] == "exists"
        doc = {"id": "z" * 64, "title": "Acta", "pages": [{"page": 1, "text": "Control en Tumbes."}]}
        assert [w["id"] for w in percolate(engine, settings, percolated(doc))] == ["w1"]
        assert rebuild(engine, settings)["state"] == "current"
    finally:
        drop_indices(engine, settings)
