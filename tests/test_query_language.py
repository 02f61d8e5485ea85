"""The query language and the read API, through HTTP on the real stack: boolean operators, phrases,
prefixes, fields, typos, sorting and deep paging, facets by prefix, page highlights, the original file,
similar documents, "cited by" and suggestions."""

from __future__ import annotations

import base64
import hashlib
import json
import time

import pytest

from docsearch.engine import Engine
from docsearch.fields import REGISTRY
from docsearch.search import SearchRequest, SearchService
from tests import pdfs

COLLECTION = "lenguaje"

DOCS = {
    "sentencia.pdf": dict(title="Sentencia por lavado de activos del clan Tucanes", pages=[
        "CORTE SUPERIOR DE JUSTICIA DE LIMA\nLima, 14 de mayo de 2015.\nSentencia en el proceso seguido contra "
        "Wilmer Aurelio Quispe Huamán.",
        "El acusado Wilmer Aurelio Quispe Huamán cometió lavado de activos conforme al Decreto Legislativo "
        "N.° 1106; el ornitorrinco fue hallado en Paita.",
        "Se dispuso la entrega vigilada del cargamento y las incautaciones de dinero en efectivo.",
    ]),
    "informe.pdf": dict(title="Informe policial sobre marihuana en Tocache", pages=[
        "Tocache, 3 de marzo de 2019.\nInforme policial. La DIRANDRO incautó marihuana en Tocache; el ornitorrinco no aparece.",
        "Se realizaron entregas vigiladas sin resultado. Técnicas especiales de investigación.",
    ]),
    "acuerdo.pdf": dict(title="Acuerdo plenario sobre blanqueo de capitales", pages=[
        "Lima, 10 de septiembre de 2021.\nAcuerdo plenario sobre el blanqueo de capitales y el D. Leg. 1106, con la escarapela "
        "del tribunal.",
    ]),
    "script.pdf": dict(title="Escrito con marcas", pages=[
        "Texto con <script>alert(1)</script> y la palabra escarapela para buscar.",
    ]),
    "manual.pdf": dict(title="Manual de lavado de activos para fiscales", pages=[
        "Manual de capacitación. Lima, 2018.\nEdición 2018. El lavado de activos, el ornitorrinco de la tipología, y el DL 1106 "
        "aplicado por la fiscalía al clan Tucanes.",
    ]),
}


@pytest.fixture(scope="module")
def docs(live, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lenguaje")
    files = [pdfs.text_pdf(folder / name, spec["pages"], title=spec["title"]) for name, spec in DOCS.items()]
    batch = live.wait_batch(live.upload(files, collection=COLLECTION))
    assert batch["counts"]["indexed"] == len(DOCS), batch
    ids = {f["name"]: f["document_id"] for f in batch["files"]}
    ids["_paths"] = {f.name: f for f in files}
    return ids


def _ids(body: dict) -> list[str]:
    return [r["id"] for r in body["results"]]


def _search(live, q: str, **params) -> dict:
    return live.search(q, collection=COLLECTION, **params)


def test_or_is_or_and_not_excludes(live, docs):
    either = _ids(_search(live, "ornitorrinco OR blanqueo"))
    assert {docs["sentencia.pdf"], docs["informe.pdf"], docs["acuerdo.pdf"], docs["manual.pdf"]} <= set(either)
    # No document has both: best match shows those with either, and says so; asked for both, none.
    most = _search(live, "ornitorrinco blanqueo")
    assert set(_ids(most)) == set(either) and most["query"]["relaxed"] and most["query"]["all_words"] == 0
    assert _ids(_search(live, "+ornitorrinco +blanqueo")) == [] and _ids(_search(live, "ornitorrinco AND blanqueo")) == []
    without = _ids(_search(live, "ornitorrinco -marihuana"))
    assert docs["informe.pdf"] not in without and docs["sentencia.pdf"] in without
    assert set(_ids(_search(live, "ornitorrinco NOT (marihuana OR capacitación)"))) == {docs["sentencia.pdf"]}


def test_phrases_are_exact_words_with_accents_folded(live, docs):
    exact = _ids(_search(live, '"entrega vigilada"'))
    assert docs["sentencia.pdf"] in exact and docs["informe.pdf"] not in exact  # "entregas vigiladas" is not it
    stemmed = _ids(_search(live, "entrega vigilada"))
    assert docs["informe.pdf"] in stemmed  # plain words are stemmed
    folded = _ids(_search(live, '"tecnicas especiales de investigacion"'))
    assert docs["informe.pdf"] in folded


def test_prefix_and_fields(live, docs):
    assert docs["sentencia.pdf"] in _ids(_search(live, "incautacio*"))
    assert _ids(_search(live, "ornitorrinco year:2015")) == [docs["sentencia.pdf"]]
    in_range = set(_ids(_search(live, "ornitorrinco year:2018..2019")))
    assert in_range == {docs["informe.pdf"], docs["manual.pdf"]}
    assert set(_ids(_search(live, "person:quispe"))) == {docs["sentencia.pdf"]}
    assert set(_ids(_search(live, "title:blanqueo"))) == {docs["acuerdo.pdf"]}
    assert docs["sentencia.pdf"] in _ids(_search(live, "law:\"DL 1106\" ornitorrinco"))


def test_citations_in_any_spelling_find_the_same_documents(live, docs):
    spellings = ["DL 1106", "D. Leg. 1106", "Decreto Legislativo N.° 1106", "law:D.L.1106"]
    found = [set(_ids(_search(live, q))) for q in spellings]
    assert found[0] == {docs["sentencia.pdf"], docs["acuerdo.pdf"], docs["manual.pdf"]}
    assert all(f == found[0] for f in found), found


def test_typos_are_tolerated_only_when_nothing_matches_exactly(live, docs):
    typo = _search(live, "ornitorinco tucanes")
    assert typo["query"]["approximate"] is True
    assert docs["sentencia.pdf"] in _ids(typo)
    exact = _search(live, "escarapela")
    assert exact["query"]["approximate"] is False
    assert set(_ids(exact)) == {docs["acuerdo.pdf"], docs["script.pdf"]}
    assert _search(live, "zzqxw")["total"] == 0  # nothing near: still nothing, not noise


def test_malformed_queries_get_a_reading_or_a_positioned_400(live, docs):
    read = _search(live, '"entrega vigilada')
    assert read["query"]["warnings"] and docs["sentencia.pdf"] in _ids(read)
    with live.client() as client:
        resp = client.get("/api/search", params={"q": "lavado year:abc"})
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["code"] == "invalid_query" and err["detail"]["position"] == 12 and "year" in err["message"]


def test_sort_by_date_and_search_after_walk_every_result_once(live, docs):
    by_date = _search(live, "", sort="date_desc", facets="false")
    years = [r["year"] for r in by_date["results"] if r["year"] is not None]
    assert years == sorted(years, reverse=True) and len(years) >= 4
    seen, token = [], None
    for _ in range(10):
        params = {"size": 2, "sort": "date_asc", "facets": "false"}
        if token:
            params["search_after"] = token
        body = _search(live, "", **params)
        seen.extend(_ids(body))
        token = body["next_search_after"]
        if not token:
            break
    assert len(seen) == len(set(seen)) == by_date["total"] == len(DOCS)
    with live.client() as client:
        bad = client.get("/api/search", params={"q": "x", "search_after": "not-a-token"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_query"


def test_relevance_pages_walk_by_token_without_repeats(live, docs):
    q = "ornitorrinco OR escarapela OR lavado"
    whole = _ids(_search(live, q, size=20, facets="false"))
    seen, token = [], None
    for _ in range(10):
        params = {"size": 2, "facets": "false"}
        if token:
            params["search_after"] = token
        body = _search(live, q, **params)
        seen.extend(_ids(body))
        token = body["next_search_after"]
        if not token:
            break
    assert seen == whole and len(whole) == len(DOCS)  # the same order as one big page


def test_post_search_equals_get(live, docs):
    with live.client() as client:
        posted = client.post("/api/search", json={"q": "lavado de activos",
                                                  "filters": {"collection": [COLLECTION], "year": ["2015", "2018"]}})
    assert posted.status_code == 200, posted.text
    got = live.search("lavado de activos", collection=COLLECTION, year=["2015", "2018"])
    assert _ids(posted.json()) == _ids(got) and set(_ids(got)) == {docs["sentencia.pdf"], docs["manual.pdf"]}


def test_facets_count_documents_and_large_facets_search_by_prefix(live, docs):
    body = _search(live, "ornitorrinco")
    assert body["partial_facets"] == []
    years = {v["value"]: v["count"] for v in body["facets"]["year"]}
    assert years == {"2015": 1, "2018": 1, "2019": 1}
    with live.client() as client:
        resp = client.get("/api/facets/persons", params={"prefix": "HUAMA", "collection": COLLECTION})
    assert resp.status_code == 200, resp.text
    values = [v["value"] for v in resp.json()["values"]]
    assert "Wilmer Aurelio Quispe Huamán" in values
    assert all("huam" in v.lower() for v in values)


def test_documents_without_a_year_are_counted_and_selected_apart(live, docs):
    body = _search(live, "escarapela")  # the plenary agreement (2021) and the undated writ
    assert {v["value"]: v["count"] for v in body["facets"]["year"]} == {"2021": 1}
    assert body["facets_missing"] == {"year": 1}
    assert _ids(_search(live, "escarapela", year="none")) == [docs["script.pdf"]]
    both = _search(live, "escarapela", year=["none", "2021"])
    assert set(_ids(both)) == {docs["script.pdf"], docs["acuerdo.pdf"]}
    assert both["facets_missing"] == {"year": 1}  # a facet's counts ignore its own selection
    assert live.search("escarapela", collection="otra-coleccion")["facets_missing"] == {"year": 0}


def test_a_page_marks_the_query_and_escapes_the_rest(live, docs):
    with live.client() as client:
        page = client.get(f"/api/documents/{docs['sentencia.pdf']}/pages/2", params={"q": "DL 1106 ornitorrinco"}).json()
        hostile = client.get(f"/api/documents/{docs['script.pdf']}/pages/1", params={"q": "escarapela"}).json()
    assert "<mark>ornitorrinco</mark>" in page["html"] and "<mark>1106</mark>" in page["html"]
    assert page["hits"] >= 2 and page["page_count"] == 3
    assert "<script>" not in hostile["html"] and "&lt;script&gt;" in hostile["html"]
    assert "<mark>escarapela</mark>" in hostile["html"]


def test_the_original_file_with_range_requests(live, docs):
    doc_id = docs["acuerdo.pdf"]
    original = docs["_paths"]["acuerdo.pdf"].read_bytes()
    with live.client() as client:
        whole = client.get(f"/api/documents/{doc_id}/file")
        part = client.get(f"/api/documents/{doc_id}/file", headers={"Range": "bytes=0-99"})
        missing = client.get("/api/documents/" + "0" * 64 + "/file")
    assert whole.status_code == 200 and whole.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(whole.content).hexdigest() == doc_id and whole.content == original
    assert part.status_code == 206 and part.content == original[:100]
    assert part.headers["content-range"] == f"bytes 0-99/{len(original)}"
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_similar_documents(live, docs):
    with live.client() as client:
        body = client.get(f"/api/documents/{docs['manual.pdf']}/similar", params={"size": 20}).json()
    ids = _ids(body)
    assert docs["manual.pdf"] not in ids
    mine = [i for i in ids if i in docs.values()]  # the session's other tests load documents too
    assert mine and mine[0] == docs["sentencia.pdf"]  # same topic, same clan, same law


def test_cited_by_counts_documents_and_mentions(live, docs):
    with live.client() as client:
        body = client.get("/api/citations/D.%20Leg.%201106").json()
    assert body["canonical"] == "Decreto Legislativo 1106" and body["type"] == "law"
    mine = {r["id"]: r for r in body["results"] if r["id"] in docs.values()}
    assert set(mine) == {docs["sentencia.pdf"], docs["acuerdo.pdf"], docs["manual.pdf"]}
    assert mine[docs["sentencia.pdf"]]["pages"] == [2] and mine[docs["sentencia.pdf"]]["count"] == 1
    assert body["total"] >= 3 and body["mentions"] >= 3


def test_suggest_names_and_titles(live, docs):
    with live.client() as client:
        names = client.get("/api/suggest", params={"prefix": "quisp", "type": "persons"}).json()
        anything = client.get("/api/suggest", params={"prefix": "blanq"}).json()
    assert "Wilmer Aurelio Quispe Huamán" in [s["value"] for s in names["suggestions"]]
    assert "Acuerdo plenario sobre blanqueo de capitales" in [s["value"] for s in anything["suggestions"]
                                                             if s["type"] == "title"]


class _LateFacets(Engine):
    """The real engine, with the answer to the facets' request held back past their budget."""

    late_field = REGISTRY["persons"].field

    def search(self, index, body, **params):
        resp = super().search(index, body, **params)
        aggs = body.get("aggs") or {}
        if body.get("size") == 0 and any(a.get("aggs", {}).get("values", {}).get("terms", {}).get("field") ==
                                         self.late_field for a in aggs.values()):
            time.sleep(0.5)
        return resp


def test_a_facet_over_its_time_budget_is_reported_partial_and_the_search_answers(live, docs):
    engine = _LateFacets.connect(live.settings)
    try:
        service = SearchService(engine, live.settings.model_copy(update={"facet_budget_ms": 100}))
        body = service.search(SearchRequest.create(q="ornitorrinco", filters={"collection": [COLLECTION]}))
    finally:
        engine.close()
    assert body["partial_facets"] == list(REGISTRY.facet_keys)  # counted by the late request
    assert body["facets"]["persons"] == [] and body["facets"]["year"] == []
    assert body["facets"]["collection"] == [{"value": COLLECTION, "count": 0, "selected": True}]  # kept, uncounted
    assert {r["id"] for r in body["results"]} >= {docs["sentencia.pdf"], docs["manual.pdf"]}


def test_page_marks_words_not_stop_words_and_citations_in_the_document_s_spelling(live, docs):
    with live.client() as client:
        words = client.get(f"/api/documents/{docs['sentencia.pdf']}/pages/2", params={"q": "lavado de activos"}).json()
        cited = client.get(f"/api/documents/{docs['acuerdo.pdf']}/pages/1", params={"q": "DL 1106"}).json()
    assert "<mark>lavado</mark>" in words["html"] and "<mark>activos</mark>" in words["html"]
    assert "<mark>de</mark>" not in words["html"]
    assert "<mark>Leg</mark>" in cited["html"] and "<mark>1106</mark>" in cited["html"], cited["html"]


def _token(data: dict) -> str:
    raw = json.dumps(data, separators=(",", ":"), allow_nan=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize("params, status", [
    ({"q": "NOT " * 84 + "lavado"}, 200),  # a chain of NOTs: read as one NOT or none, not nested 84 deep
    ({"q": "ﷺ" * 300}, 400),  # 300 characters that read as ~900 words
    ({"q": "a" * 1000}, 200),  # an unmatched 1,000-letter word: typos are not tried on it
    ({"q": " ".join(f"coima{i} PBC lavado narcotráfico" for i in range(16))}, 200),  # many thesaurus terms
    ({"q": "lavado", "sort": "date_desc", "search_after": _token({"s": "date_desc", "v": [1e999, 1, "x"]})}, 400),
    ({"q": "lavado", "sort": "date_desc", "search_after": _token({"s": "date_desc", "v": [float("nan"), 1, "x"]})}, 400),
    ({"q": "lavado", "sort": "date_desc", "search_after": _token({"s": "date_desc", "v": [2**64, 1, "x"]})}, 400),
])
def test_hostile_queries_get_an_answer_or_a_400_never_a_5xx(live, docs, params, status):
    with live.client() as client:
        resp = client.get("/api/search", params=params)
    assert resp.status_code == status, resp.text


def test_a_query_the_engine_finds_too_large_is_the_users_to_shorten(live, docs):
    """Whichever read builds it, a query over the engine's clause limit is a QueryTooLarge (API: 400), not a 500."""
    from docsearch.engine import QueryTooLarge

    body = {"query": {"bool": {"should": [{"term": {"pages.text": f"w{i}"}} for i in range(1100)]}}}
    with pytest.raises(QueryTooLarge) as err:
        live.engine.search(live.settings.documents_alias, body)
    assert err.value.status == 400
