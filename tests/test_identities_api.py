"""One identity per person across the archive, through the worker and HTTP: spellings of one person in several
documents are one facet value and one entity page; an analyst merges and splits, audited; what the caller may not
read is never told; reprocessing brings an archive indexed before identities to them."""

from __future__ import annotations

import random
import subprocess
import sys
import uuid
from urllib.parse import quote

import httpx
import pytest

from docsearch.accounts import Accounts
from docsearch.audit import Audit
from docsearch.identities import Identities, identity_id
from services import stack
from tests import pdfs


def _word(seed: str) -> str:
    """A surname of its own per run (consonant-vowel syllables), so no other test's documents share it."""
    rng = random.Random(seed)
    return "".join(rng.choice("bcdfgjklmnprstvz") + rng.choice("aeiou") for _ in range(3)).capitalize()


@pytest.fixture(scope="module")
def people(live, tmp_path_factory):
    tag = uuid.uuid4().hex[:6]
    sur = _word(tag)
    full, short, upper = (f"Eusebio Fermín Calderón {sur}", f"Eusebio Calderón {sur}",
                          f"EUSEBIO FERMIN CALDERON {sur.upper()}")
    band, other = f"Los Topos de {sur}", f"Hilario Quispe {_word(tag + 'x')}"
    report = [f"INFORME POLICIAL N° 45-2022-DIRANDRO-PNP\nLima, 2 de mayo de 2022.\nEl investigado {full}, identificado "
              f"con DNI N° 40123456, alias «Tío {sur}», dirigía la organización criminal «{band}» junto con {other}."]
    ruling = [f"SENTENCIA\nLima, 9 de octubre de 2023.\nSe condena al acusado {short}, con DNI 40123456, como líder de "
              f"la organización criminal «{band}», por tráfico ilícito de drogas."]
    hidden = [f"NOTA RESERVADA N° 3-2024\nLima, 4 de enero de 2024.\nEl sujeto {upper} se reunió con la investigada "
              f"Rosa Tapia {_word(tag + 'y')} en Paita."]
    folder = tmp_path_factory.mktemp("identities")
    seen = live.wait_batch(live.upload([pdfs.text_pdf(folder / "informe.pdf", report),
                                       pdfs.text_pdf(folder / "sentencia.pdf", ruling)], collection=f"idn-{tag}"))
    assert seen["counts"]["indexed"] == 2, seen
    unseen = live.wait_batch(live.upload([pdfs.text_pdf(folder / "nota.pdf", hidden)], collection=f"idn-hidden-{tag}"))
    assert unseen["counts"]["indexed"] == 1, unseen
    with live.client() as admin:
        for role in ("analyst", "viewer"):
            resp = admin.post("/api/users", json={"username": f"{role}-{tag}", "password": "clave-de-prueba-123",
                                                  "role": role})
            assert resp.status_code == 201, resp.text
        grants = {"default_classification": "reserved", "grants": [
            {"principal": f"user:analyst-{tag}", "rights": ["read"]}, {"principal": f"user:viewer-{tag}", "rights": ["read"]}]}
        assert admin.put(f"/api/collections/idn-{tag}", json=grants).status_code == 200
    accounts = Accounts(live.engine, live.settings)
    live.refresh()
    # the identity is named as the document loaded first wrote it (the workers take the two in either order)
    name = Identities(live.engine, live.settings).get(identity_id("per", "dni:40123456"))["name"]
    return {"tag": tag, "name": name, "full": full, "short": short, "upper": upper, "band": band, "other": other, "batch": seen["id"],
            "analyst": accounts.create_token(f"analyst-{tag}", "test")["token"],
            "viewer": accounts.create_token(f"viewer-{tag}", "test")["token"]}


def _as(live, token: str) -> httpx.Client:
    return httpx.Client(base_url=live.url, timeout=60, headers={"Authorization": f"Bearer {token}"})


def _person(client: httpx.Client, name: str) -> dict:
    resp = client.get(f"/api/entities/persons/{quote(name)}")
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_one_person_in_several_spellings_is_one_facet_value_and_one_page(live, people):
    with live.client() as admin:
        found = admin.get("/api/search", params={"q": "Calderón", "collection": f"idn-{people['tag']}"}).json()
        page = _person(admin, people["name"])
    persons = [v["value"] for v in found["facets"]["persons"]]
    assert [p for p in persons if p in (people["full"], people["short"])] == [people["name"]], persons
    assert not any(p.startswith("Tío") for p in persons), persons  # the alias is the same person
    # the report, the ruling (another spelling, the same DNI) and the hidden note (capitals, no DNI)
    assert page["documents"] == 3
    assert set(page["spellings"]) >= {people["full"], people["short"]}
    assert page["identity"]["id"].startswith("per-") and page["identity"]["dni"] == ["40123456"]
    with live.client() as admin:
        by_id = admin.get(f"/api/entities/{page['identity']['id']}").json()
        # a search for one spelling finds the documents of every spelling of the identity
        spelled = {people["short"]: admin.get("/api/search", params={"q": f'person:"{people["short"]}"'}).json(),
                   people["upper"]: admin.get("/api/search", params={"q": f'persona:"{people["upper"]}"'}).json()}
    assert by_id["value"] == people["name"] and by_id["documents"] == 3
    for found in spelled.values():
        assert found["total"] == 3, found


def test_what_the_caller_may_not_read_is_not_told(live, people):
    with _as(live, people["analyst"]) as analyst:
        page = _person(analyst, people["name"])
        hidden_id = analyst.get(f"/api/entities/persons/{quote(people['other'])}").json()["identity"]
    assert page["documents"] == 2
    assert people["upper"] not in page["spellings"] + page["variants"]  # only the hidden note writes it so
    assert hidden_id is not None  # named in a document the analyst reads
    with live.client() as admin:
        rosa = next(v["value"] for g in _person(admin, people["name"])["linked"] for v in g["values"]
                    if v["value"].startswith("Rosa Tapia"))
        rosa_id = _person(admin, rosa)["identity"]["id"]
    with _as(live, people["analyst"]) as analyst:
        assert analyst.get(f"/api/entities/{rosa_id}").status_code == 404  # exists, but only where it may not read
        assert analyst.get("/api/entities/per-0000000000000000").status_code == 404
        merge = analyst.post("/api/entities/merge", json={"source": rosa_id, "target": page["identity"]["id"]})
    assert merge.status_code == 404


def test_an_analyst_merges_and_splits_and_the_trail_records_it(live, people):
    with live.client() as admin:
        person = _person(admin, people["name"])
        other = _person(admin, people["other"])
    with _as(live, people["viewer"]) as viewer:
        refused = viewer.post("/api/entities/merge", json={"source": other["identity"]["id"],
                                                           "target": person["identity"]["id"]})
    assert refused.status_code == 403
    with _as(live, people["analyst"]) as analyst:
        merged = analyst.post("/api/entities/merge", json={"source": other["identity"]["id"],
                                                           "target": person["identity"]["id"]})
        assert merged.status_code == 200, merged.text
        assert people["other"] in merged.json()["entity"]["spellings"]
        facets = analyst.get("/api/search", params={"q": "Topos"}).json()["facets"]["persons"]
        assert people["other"] not in [v["value"] for v in facets]
        # the other person was someone else after all
        split = analyst.post("/api/entities/split", json={"id": person["identity"]["id"],
                                                          "spellings": [people["other"]]})
        assert split.status_code == 200, split.text
        bad = analyst.post("/api/entities/split", json={"id": person["identity"]["id"], "spellings": ["Nadie"]})
        assert bad.status_code == 400
    assert split.json()["new"]["value"] == people["other"] and split.json()["new"]["documents"] == 1
    assert people["other"] not in split.json()["entity"]["spellings"]
    trail = Audit(live.engine, live.settings)
    live.engine.refresh(trail.alias)
    actions = {(r["action"], r["actor"]) for r in trail.search(actor=f"analyst-{people['tag']}")["records"]}
    assert {("entity_merge", f"analyst-{people['tag']}"), ("entity_split", f"analyst-{people['tag']}")} <= actions


def test_reprocessing_brings_an_archive_indexed_before_identities_to_them(live, people):
    """Documents as an earlier version indexed them (each spelling its own value, no criminal organisations, no
    identities) get the types and identities from ``reprocess --stage nlp``, without a new upload."""
    alias = live.settings.documents_alias
    with live.client() as admin:
        ids = [f["document_id"] for f in admin.get(f"/api/batches/{people['batch']}").json()["files"]]
    for doc_id in ids:
        doc = live.engine.get(alias, doc_id)
        spellings = [r.get("spelling", r["canonical"]) for r in doc["entity_summary"] if r["type"] == "per"]
        live.engine.update(alias, doc_id, {"doc": {"entities": {"per": spellings, "criminal_org": []},
                                                   "entity_ids": []}}, refresh=True)
    collection = {"q": "", "collection": f"idn-{people['tag']}"}
    with live.client() as admin:
        before = [v["value"] for v in admin.get("/api/search", params=collection).json()["facets"]["persons"]]
        assert {people["full"], people["short"]} <= set(before)  # each spelling counted apart, as before identities
        resp = admin.post(f"/api/batches/{people['batch']}/reprocess", json={"stage": "nlp"})
        assert resp.status_code == 202 and resp.json()["requeued"] == 2
        live.wait_batch(people["batch"])
        live.refresh()
        after = _person(admin, people["name"])
        band = admin.get(f"/api/entities/criminal_orgs/{quote(people['band'])}").json()
        facet = [v["value"] for v in admin.get("/api/search", params=collection).json()["facets"]["persons"]]
    assert [p for p in facet if p in (people["full"], people["short"])] == [people["name"]], facet
    assert after["documents"] == 3 and people["short"] in after["spellings"]
    assert band["documents"] == 2


def test_the_cli_shows_an_identity(live, people):
    with live.client() as admin:
        id = _person(admin, people["name"])["identity"]["id"]
    shown = subprocess.run([sys.executable, "-m", "cli.main", "entities", "show", id], capture_output=True,
                           text=True, env=stack.env_for(live.settings), timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert people["full"] in shown.stdout and "40123456" in shown.stdout
