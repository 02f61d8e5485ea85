"""Where a query's hits are in one document: ``GET /api/documents/{id}/hits?q=`` (the pages holding hits,
with how many each holds, counted as the page view marks them), on the real test stack."""

from __future__ import annotations

import hashlib
import uuid

import pytest

from tests import pdfs


@pytest.fixture(scope="module")
def loaded(live, tmp_path_factory):
    """Five pages: the token twice on page 2, none on 1 and 3, once on 4, three times on 5 (twice in a phrase
    that the page view marks as one hit each)."""
    folder = tmp_path_factory.mktemp("doc-hits")
    token = "garza" + uuid.uuid4().hex[:6]
    path = pdfs.text_pdf(folder / "hits.pdf", [
        "Primera página sin la palabra buscada.",
        f"El {token} aparece aquí\ny otra vez {token} en la línea siguiente.",
        "Tercera página, tampoco.",
        f"Cuarta página: {token} una vez.",
        f"Quinta: {token} dorado, luego {token} dorado y al final {token}.",
    ], title=f"Conteo {token}")
    batch = live.wait_batch(live.upload([path], collection="doc-hits"))
    assert batch["counts"]["indexed"] == 1, batch
    return {"token": token, "id": hashlib.sha256(path.read_bytes()).hexdigest()}


def _hits(live, doc_id: str, q: str):
    with live.client() as client:
        return client.get(f"/api/documents/{doc_id}/hits", params={"q": q})


def test_pages_and_counts_across_the_document(live, loaded):
    resp = _hits(live, loaded["id"], loaded["token"])
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["pages"] == [{"page": 2, "hits": 2}, {"page": 4, "hits": 1}, {"page": 5, "hits": 3}]
    assert body["total"] == 6 and body["q"] == loaded["token"]


def test_counts_agree_with_the_page_view(live, loaded):
    """Each page's count is the number of hits its page view marks (adjacent marks being one hit)."""
    with live.client() as client:
        for row in _hits(live, loaded["id"], loaded["token"]).json()["pages"]:
            page = client.get(f"/api/documents/{loaded['id']}/pages/{row['page']}", params={"q": loaded["token"]})
            assert page.json()["hits"] == row["hits"], row


def test_a_phrase_counts_once_per_occurrence(live, loaded):
    body = _hits(live, loaded["id"], f'"{loaded["token"]} dorado"').json()
    assert body["pages"] == [{"page": 5, "hits": 2}] and body["total"] == 2


def test_nothing_found_and_no_query(live, loaded):
    missing = _hits(live, loaded["id"], "ornitorrincoausente").json()
    assert missing["total"] == 0 and missing["pages"] == []
    empty = _hits(live, loaded["id"], "").json()
    assert empty == {"q": "", "total": 0, "pages": []}


def test_unknown_document_and_bad_query(live, loaded):
    unknown = _hits(live, "0" * 64, loaded["token"])
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "not_found"
    assert _hits(live, loaded["id"], "x" * 1001).status_code in (400, 422)


def test_in_the_openapi_schema(live):
    with live.client() as client:
        spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/api/documents/{doc_id}/hits"]["get"]
    assert "200" in operation["responses"] and any(p["name"] == "q" for p in operation["parameters"])
