"""Search by meaning through the HTTP API, on the real engine's vector search and the real encoder: an English
query finds a Spanish ruling that shares none of its words, a question gets its answer passage, filters and
the read rule hold for what meaning finds, and identifiers stay lexical."""

from __future__ import annotations

import uuid

import httpx
import pytest

from docsearch.accounts import Accounts
from tests import pdfs

RULING = [
    "SALA PENAL PERMANENTE. RECURSO DE NULIDAD. Lima, doce de marzo. VISTOS: el recurso interpuesto por la "
    "defensa del sentenciado contra la sentencia que lo condenó como autor del delito de lavado de activos.",
    "CONSIDERANDO: Que el acusado adquirió tres departamentos y dos terrenos en la ciudad de Trujillo con "
    "dinero proveniente del tráfico ilícito de drogas, inscribiéndolos a nombre de familiares y de una empresa "
    "inmobiliaria de fachada, sin acreditar ingresos lícitos que justifiquen las compras. La compra de inmuebles "
    "para dar apariencia de legitimidad a las ganancias del narcotráfico configura actos de conversión.",
]
SEARCH = [
    "MANUAL DE ACTUACIÓN FISCAL. Capítulo sobre el ingreso a domicilios.",
    "La policía solo puede ingresar a un domicilio sin autorización judicial en caso de flagrante delito o de "
    "peligro inminente de su perpetración, conforme al artículo 2 inciso 9 de la Constitución. Fuera de esos "
    "supuestos, el allanamiento requiere resolución motivada del juez de la investigación preparatoria.",
]
OTHER = [
    "Sentencia por robo agravado. El acusado sustrajo un teléfono celular a mano armada en la vía pública.",
    "Se le impone pena privativa de libertad de doce años y el pago de una reparación civil.",
]
HIDDEN = [
    "Informe reservado. Se adquirieron viviendas y lotes con ganancias de la venta de cocaína, registrados a "
    "nombre de testaferros, para aparentar un origen legal del dinero ilícito.",
]


@pytest.fixture(scope="module")
def corpus(live, tmp_path_factory):
    folder = tmp_path_factory.mktemp("semantic")
    tag = uuid.uuid4().hex[:6]
    files = {
        "ruling": pdfs.text_pdf(folder / "ruling.pdf", RULING, title="Recurso de Nulidad 2231-2019/Lima"),
        "search": pdfs.text_pdf(folder / "search.pdf", SEARCH, title="Manual de actuación fiscal"),
        "other": pdfs.text_pdf(folder / "other.pdf", OTHER, title="Sentencia por robo agravado"),
    }
    batch = live.wait_batch(live.upload(list(files.values()), collection=f"meaning-{tag}"))
    assert batch["counts"]["indexed"] == 3, batch
    by_name = {f["name"]: f["document_id"] for f in batch["files"]}
    ids = {key: by_name[path.name] for key, path in files.items()}
    hidden = live.wait_batch(live.upload([pdfs.text_pdf(folder / "hidden.pdf", HIDDEN)],
                                         collection=f"meaning-hidden-{tag}"))
    ids["hidden"] = hidden["files"][0]["document_id"]
    with live.client() as admin:
        resp = admin.post("/api/users", json={"username": f"reader-{tag}", "password": "clave-de-prueba-123",
                                              "role": "prosecutor"})
        assert resp.status_code == 201, resp.text
        grants = {"default_classification": "reserved",
                  "grants": [{"principal": f"user:reader-{tag}", "rights": ["read"]}]}
        assert admin.put(f"/api/collections/meaning-{tag}", json=grants).status_code == 200
    token = Accounts(live.engine, live.settings).create_token(f"reader-{tag}", "test")["token"]
    live.refresh()
    return {"ids": ids, "tag": tag, "token": token}


def _ids(body: dict) -> list[str]:
    return [r["id"] for r in body["results"]]


def _search(live, **params) -> dict:
    with live.client() as client:
        resp = client.get("/api/search", params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_documents_carry_passage_vectors_of_the_named_model(live, corpus):
    doc = live.engine.get(live.settings.documents_alias, corpus["ids"]["ruling"])
    assert doc["embedding"]["model"].startswith("use-multilingual-v3/") and doc["embedding"]["dims"] == 512
    pages = {p["page"]: p["text"] for p in doc["pages"]}
    assert doc["passages"] and all(len(p["vector"]) == 512 for p in doc["passages"])
    for passage in doc["passages"]:
        assert pages[passage["page"]][passage["start"]:passage["end"]].strip()


def test_an_english_query_finds_the_spanish_ruling_it_shares_no_word_with(live, corpus):
    ruling, other = corpus["ids"]["ruling"], corpus["ids"]["other"]
    q = "laundering drug money by buying real estate"
    lexical = _search(live, q=q, mode="lexical", collection=f"meaning-{corpus['tag']}")
    translated = lexical["query"]["translated"]
    assert translated and translated["source"] == "en" and translated["target"] == "es", lexical["query"]
    assert "lavado de activos" in translated["text"] or "inmuebles" in translated["text"], translated
    # Its own words find nothing: only the query translated does.
    assert all(r["matched"] == "translation" for r in lexical["results"]), lexical["results"]
    for mode in ("semantic", "hybrid"):
        found = _search(live, q=q, mode=mode, collection=f"meaning-{corpus['tag']}")
        assert found["query"]["mode"] == mode
        ranked = _ids(found)
        assert ranked and ranked[0] == ruling, (mode, found)
        assert other not in ranked[:1]
        hit = found["results"][0]
        assert hit["matched"] in ("semantic", "translation", "both")
        assert hit["pages"] and hit["pages"][0]["page"] == 2, hit
        assert "inmuebles" in hit["pages"][0]["snippet"] or hit["passages"], hit


def test_a_question_gets_the_passage_that_answers_it(live, corpus):
    found = _search(live, q="¿cuándo puede la policía entrar a una casa sin orden del juez?", mode="hybrid",
                    collection=f"meaning-{corpus['tag']}")
    answer = found["answer"]
    assert answer is not None, found
    assert answer["id"] == corpus["ids"]["search"] and answer["page"] == 2
    assert "flagrante delito" in answer["text"]
    assert "<" not in answer["html"].replace("<mark>", "").replace("</mark>", "")


def test_filters_and_the_read_rule_hold_for_what_meaning_finds(live, corpus):
    q = "propiedades compradas con dinero de la droga a nombre de terceros"
    with httpx.Client(base_url=live.url, timeout=60, headers={"Authorization": f"Bearer {corpus['token']}"}) as reader:
        for mode in ("semantic", "hybrid"):
            body = reader.get("/api/search", params={"q": q, "mode": mode}).json()
            assert corpus["ids"]["hidden"] not in _ids(body), body
            assert corpus["ids"]["ruling"] in _ids(body), body
            assert all(f["value"] != f"meaning-hidden-{corpus['tag']}" for f in body["facets"]["collection"])
    admin = _search(live, q=q, mode="semantic")
    assert corpus["ids"]["hidden"] in _ids(admin)  # it is near: only the read rule keeps it from the reader
    kept = _search(live, q=q, mode="semantic", collection=f"meaning-hidden-{corpus['tag']}")
    assert _ids(kept) == [corpus["ids"]["hidden"]]


def test_identifiers_and_phrases_stay_lexical_and_one_word_asks_for_that_word(live, corpus):
    for q in ("Recurso de Nulidad 2231-2019", '"compra de inmuebles"', "robo AND celular"):
        found = _search(live, q=q, collection=f"meaning-{corpus['tag']}")
        assert found["query"]["mode"] == "lexical", (q, found["query"])
        assert found["query"]["asked_mode"] == "hybrid"  # the server's default, which the page compares with
        assert all(r["matched"] == "lexical" for r in found["results"])
    one = _search(live, q="celular", collection=f"meaning-{corpus['tag']}")
    assert _ids(one) == [corpus["ids"]["other"]]


def test_hybrid_pages_do_not_repeat_and_totals_count_the_union(live, corpus):
    q = "compra de departamentos con dinero ilícito"
    params = {"q": q, "mode": "hybrid", "size": 1, "collection": f"meaning-{corpus['tag']}"}
    first = _search(live, **params)
    seen = _ids(first)
    body = first
    while body["next_search_after"]:
        body = _search(live, **params, search_after=body["next_search_after"])
        seen += _ids(body)
    assert len(seen) == len(set(seen)) == first["total"], (seen, first["total"])
    # The collection facet counts all but its own selection: this collection's count is the total.
    counts = {f["value"]: f["count"] for f in first["facets"]["collection"]}
    assert counts[f"meaning-{corpus['tag']}"] == first["total"]


def test_an_unknown_mode_is_the_users_mistake(live, corpus):
    with live.client() as client:
        resp = client.get("/api/search", params={"q": "lavado", "mode": "vector"})
    assert resp.status_code in (400, 422)
    assert "mode" in resp.text
