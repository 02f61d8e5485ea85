"""Entities prosecutors search by, end to end: ingest → entities per document and page → facets and
filters → a citation in any spelling finds every spelling."""

from __future__ import annotations


import pytest

from tests import pdfs

RULING = [
    "CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA\nSALA PENAL PERMANENTE\nRECURSO DE NULIDAD N° 456-2019/CALLAO\n"
    "Lima, catorce de mayo de dos mil diecinueve.\nVISTOS: el recurso de nulidad interpuesto por la defensa de "
    "Wilmer Aurelio Quispe Huamán contra la sentencia que lo condenó por el delito de lavado de activos.",
    "Conforme al artículo 10 del Decreto Legislativo N.° 1106, el lavado de activos es autónomo. La DIRANDRO "
    "incautó 120 kilogramos de clorhidrato de cocaína y la suma de S/ 1 250 000.00 en el Callao.",
]
MANUAL = [
    "MANUAL DE TÉCNICAS ESPECIALES DE INVESTIGACIÓN\nMódulo II\nEl D. Leg. 1106 regula el lavado de activos; "
    "la Ley N° 30077 regula el crimen organizado y la entrega vigilada de pasta básica de cocaína.",
]
UNRELATED = ["Informe sobre la Ley N° 30077 y la criminalidad organizada en Huánuco."]


@pytest.fixture(scope="module")
def docs(live, tmp_path_factory):
    folder = tmp_path_factory.mktemp("entities")
    ruling = pdfs.text_pdf(folder / "rn-456-2019.pdf", RULING, title="Recurso de Nulidad 456-2019/Callao")
    manual = pdfs.text_pdf(folder / "manual.pdf", MANUAL, title="Manual de técnicas especiales")
    other = pdfs.text_pdf(folder / "informe.pdf", UNRELATED)
    batch = live.wait_batch(live.upload([ruling, manual, other], collection="entidades"))
    assert batch["counts"]["indexed"] == 3, batch
    return {f["name"]: f["document_id"] for f in batch["files"]}


def test_entities_are_on_the_document_and_on_their_page(live, docs):
    with live.client() as client:
        doc = client.get(f"/api/documents/{docs['rn-456-2019.pdf']}").json()
        page2 = client.get(f"/api/documents/{docs['rn-456-2019.pdf']}/pages/2").json()
    e = doc["entities"]
    assert "Decreto Legislativo 1106" in e["law"]
    assert "R.N. 456-2019/Callao" in e["case"]
    assert "DIRANDRO" in e["institution"]
    assert "clorhidrato de cocaína" in e["drug"]
    assert "PEN 1250000.00" in e["money"]
    assert "Wilmer Aurelio Quispe Huamán" in e["per"]
    assert "2019-05-14" in e["date"]
    assert "Decreto Legislativo 1106" in page2["entities"]["law"]
    assert "Decreto Legislativo 1106" not in (doc["pages"][0]["entities"].get("law") or [])
    row = next(r for r in doc["entity_summary"] if r["canonical"] == "Decreto Legislativo 1106")
    assert row["pages"] == [2] and "Decreto Legislativo N.° 1106" in row["surfaces"]
    # metadata inferred from the content
    assert doc["doc_type"] == "recurso de nulidad" and doc["year"] == 2019
    assert "lavado de activos" in doc["topics"]


@pytest.mark.parametrize("query", ["DL 1106", "D. Leg. 1106", "Decreto Legislativo N.° 1106", "d.l. n° 1106"])
def test_a_citation_in_any_spelling_finds_every_spelling(live, docs, query):
    ids = {r["id"] for r in live.search(query, collection="entidades")["results"]}
    assert ids == {docs["rn-456-2019.pdf"], docs["manual.pdf"]}


def test_citation_hits_point_at_the_page_and_mark_the_number(live, docs):
    hit = next(r for r in live.search("DL 1106")["results"] if r["id"] == docs["rn-456-2019.pdf"])
    assert hit["pages"][0]["page"] == 2
    assert "<mark>1106</mark>" in hit["pages"][0]["snippet"]


def test_entity_facets_count_documents_and_filter(live, docs):
    body = live.search("", collection="entidades", size=10)
    laws = {f["value"]: f["count"] for f in body["facets"]["laws"]}
    assert laws["Ley 30077"] == 2 and laws["Decreto Legislativo 1106"] == 2
    filtered = live.search("", collection="entidades", laws=["Ley 30077"], drugs=["pasta básica de cocaína"])
    assert {r["id"] for r in filtered["results"]} == {docs["manual.pdf"]}
    # a facet's own counts ignore its own selection: other laws stay visible
    visible = {f["value"] for f in filtered["facets"]["laws"]}
    assert "Decreto Legislativo 1106" in visible
    assert next(f for f in filtered["facets"]["laws"] if f["value"] == "Ley 30077")["selected"]


def test_unknown_filter_values_and_names(live, docs):
    assert live.search("", laws=["Ley 99999999"])["total"] == 0
    with live.client() as client:
        resp = client.get("/api/search", params={"year": "dos mil"})
    assert resp.status_code == 400 and resp.json()["error"]["code"] == "invalid_query"
