"""One entity across the archive through HTTP: where a criminal organisation appears, since when, and who
and what appear with it — within what the caller may read."""

from __future__ import annotations

import uuid
from urllib.parse import quote

import httpx
import pytest

from docsearch.accounts import Accounts
from tests import pdfs

ORG = "Los Halcones del Ramal"
REPORT = [
    "INFORME POLICIAL N° 112-2019-DIRANDRO-PNP/DIVINESP\nLima, 3 de junio de 2019.\n"
    f"La organización criminal «{ORG}», liderada por el investigado Teodoro Quispe Mamani, alias «Cholo Teo», usaba a la "
    "empresa Transportes Ramal del Norte S.A.C. para llevar pasta básica de cocaína a Paita.",
    "Durante la Operación «Cielo Abierto» se detuvo al investigado Rubén Flores Carhuaz.",
]
RULING = [
    "SENTENCIA\nExpediente N° 00321-2021-4-1826-JR-PE-02\nLima, 14 de octubre de 2021.\n"
    f"Se condena al acusado Teodoro Quispe Mamani como líder de la organización criminal «{ORG}» por el delito de "
    "tráfico ilícito de drogas.",
]
HIDDEN = [
    "INFORME RESERVADO N° 7-2023\nLima, 5 de marzo de 2023.\n"
    f"La organización criminal «{ORG}» pagaba a la investigada Hilda Vargas Rojas.",
]


@pytest.fixture(scope="module")
def archive(live, tmp_path_factory):
    folder = tmp_path_factory.mktemp("entity")
    tag = uuid.uuid4().hex[:6]
    batch = live.wait_batch(live.upload([pdfs.text_pdf(folder / "informe.pdf", REPORT),
                                         pdfs.text_pdf(folder / "sentencia.pdf", RULING)], collection=f"ent-{tag}"))
    assert batch["counts"]["indexed"] == 2, batch
    hidden = live.wait_batch(live.upload([pdfs.text_pdf(folder / "reservado.pdf", HIDDEN)],
                                         collection=f"ent-hidden-{tag}"))
    assert hidden["counts"]["indexed"] == 1, hidden
    with live.client() as admin:
        resp = admin.post("/api/users", json={"username": f"analyst-{tag}", "password": "clave-de-prueba-123",
                                              "role": "prosecutor"})
        assert resp.status_code == 201, resp.text
        grants = {"default_classification": "reserved", "grants": [{"principal": f"user:analyst-{tag}", "rights": ["read"]}]}
        assert admin.put(f"/api/collections/ent-{tag}", json=grants).status_code == 200
    token = Accounts(live.engine, live.settings).create_token(f"analyst-{tag}", "test")["token"]
    live.refresh()
    return {"tag": tag, "token": token}


def _page(client: httpx.Client, field: str, value: str) -> httpx.Response:
    return client.get(f"/api/entities/{field}/{quote(value)}")


def test_a_criminal_organisation_has_its_documents_years_and_links(live, archive):
    with live.client() as admin:
        resp = _page(admin, "criminal_orgs", ORG)
    assert resp.status_code == 200, resp.text
    page = resp.json()
    assert page["type"] == "criminal_org" and page["documents"] == 3, page
    assert page["first_year"] == 2019 and page["last_year"] == 2023
    assert ORG in page["variants"]
    linked = {group["field"]: {v["value"]: v for v in group["values"]} for group in page["linked"]}
    assert linked["persons"]["Teodoro Quispe Mamani"]["pages"] == 2  # on its pages in both documents
    assert linked["persons"]["Teodoro Quispe Mamani"]["documents"] == 2
    assert "Transportes Ramal del Norte S.A.C." in linked["organizations"]
    # named in the report, on another page than the organisation: linked by the document only
    assert linked["operations"]["Operación Cielo Abierto"]["pages"] == 0
    assert linked["operations"]["Operación Cielo Abierto"]["documents"] == 1
    assert ORG not in linked.get("criminal_orgs", {})


def test_the_read_rule_holds_for_documents_counts_and_links(live, archive):
    headers = {"Authorization": f"Bearer {archive['token']}"}
    with httpx.Client(base_url=live.url, timeout=60, headers=headers) as analyst:
        page = _page(analyst, "criminal_orgs", ORG).json()
    assert page["documents"] == 2 and page["last_year"] == 2021
    names = {v["value"] for group in page["linked"] for v in group["values"]}
    assert "Hilda Vargas Rojas" not in names
    assert all(d["collection"] == f"ent-{archive['tag']}" for d in page["results"])


def test_unknown_fields_are_a_clear_error_and_unknown_values_are_empty(live, archive):
    with live.client() as client:
        bad = _page(client, "vessels", "Esperanza")
        assert bad.status_code == 400 and "criminal_orgs" in bad.json()["error"]["message"]
        empty = _page(client, "persons", "Nadie Conocido Jamás").json()
    assert empty["documents"] == 0 and empty["results"] == [] and empty["linked"] == []


def _network(client: httpx.Client, **params) -> httpx.Response:
    return client.get("/api/network", params=params)


def test_the_network_of_a_search_links_who_is_named_on_the_same_pages(live, archive):
    collection = f"ent-{archive['tag']}"
    with live.client() as admin:
        resp = _network(admin, collection=collection, types="persons,criminal_orgs,organizations,operations")
    assert resp.status_code == 200, resp.text
    net = resp.json()
    assert net["documents"] == 2 and net["types"] == ["persons", "criminal_orgs", "organizations", "operations"]
    nodes = {n["id"]: n for n in net["nodes"]}
    org, leader = f"criminal_org:{ORG}", "per:Teodoro Quispe Mamani"
    assert nodes[org]["documents"] == 2 and nodes[leader]["documents"] == 2
    weight = {frozenset((e["source"], e["target"])): e["pages"] for e in net["edges"]}
    assert weight[frozenset((org, leader))] == 2  # on one page of each document
    assert weight[frozenset((org, "org:Transportes Ramal del Norte S.A.C."))] == 1
    assert frozenset((org, "operation:Operación Cielo Abierto")) not in weight  # another page of the report
    with live.client() as admin:
        graphml = _network(admin, collection=collection, types="persons,criminal_orgs", format="graphml")
        table = _network(admin, collection=collection, types="persons,criminal_orgs", format="csv")
    assert graphml.status_code == 200 and graphml.headers["content-type"].startswith("application/graphml+xml")
    assert f'<node id="{org}">' in graphml.text and 'edgedefault="undirected"' in graphml.text
    assert table.text.splitlines()[0] == "source,source_type,target,target_type,weight"
    assert any(ORG in line and "Teodoro Quispe Mamani" in line and line.endswith(",2") for line in table.text.splitlines())


def test_the_network_holds_the_read_rule_and_refuses_unknown_types(live, archive):
    headers = {"Authorization": f"Bearer {archive['token']}"}
    with httpx.Client(base_url=live.url, timeout=60, headers=headers) as analyst:
        net = _network(analyst, q="Halcones").json()
        bad = _network(analyst, types="vessels")
    assert net["documents"] == 2
    assert "per:Hilda Vargas Rojas" not in {n["id"] for n in net["nodes"]}
    assert bad.status_code == 400
