"""A PDF goes in through the HTTP API and comes out searchable by page; bad files fail alone."""

from __future__ import annotations

import random
from pathlib import Path

import httpx

from docsearch.accounts import Accounts
from tests import pdfs

CASE_PAGES = [
    "Fiscalía Especializada contra la Criminalidad Organizada.\nRequerimiento de prisión preventiva.",
    "Durante el operativo se realizaron incautaciones de clorhidrato de cocaína en el puerto del Callao, "
    "bajo la dirección de la DIRANDRO y del fiscal Ricardo Salazar Quispe.",
    "Se aplicaron técnicas especiales de investigación: agente encubierto y entrega vigilada.",
]


def test_uploaded_pdf_is_searchable_with_page_and_highlight(live, tmp_path: Path):
    pdf = pdfs.text_pdf(tmp_path / "requerimiento.pdf", CASE_PAGES, title="Requerimiento de prisión preventiva")
    batch = live.wait_batch(live.upload([pdf], collection="casos"))
    assert batch["counts"]["indexed"] == 1, batch
    assert batch["files"][0]["status"] == "indexed"
    doc_id = batch["files"][0]["document_id"]

    # Accents folded and light stemming: "incautacion cocaina" finds "incautaciones de ... cocaína" on page 2.
    body = live.search("incautacion cocaina")
    hit = next(r for r in body["results"] if r["id"] == doc_id)
    assert hit["title"] == "Requerimiento de prisión preventiva"
    assert hit["pages"][0]["page"] == 2
    assert "<mark>incautaciones</mark>" in hit["pages"][0]["snippet"]
    assert "<mark>cocaína</mark>" in hit["pages"][0]["snippet"]

    # "tecnicas" without the accent finds page 3.
    pages = [p["page"] for r in live.search("tecnicas especiales")["results"] if r["id"] == doc_id for p in r["pages"]]
    assert pages[0] == 3

    with live.client() as client:
        doc = client.get(f"/api/documents/{doc_id}").json()
        assert doc["collection"] == "casos"
        assert doc["page_count"] == 3
        assert "requerimiento.pdf" in doc["source_paths"]
        assert "Ricardo Salazar Quispe" in doc["entities"]["per"]
        page = client.get(f"/api/documents/{doc_id}/pages/2").json()
        assert "puerto del Callao" in page["text"]
        assert "Ricardo Salazar Quispe" in page["entities"]["per"]
        assert client.get(f"/api/documents/{doc_id}/pages/9").status_code == 404


def test_bad_files_fail_with_reasons_and_the_rest_is_indexed(live, tmp_path: Path):
    good = pdfs.text_pdf(tmp_path / "bueno.pdf", ["Sentencia sobre lavado de activos y financiamiento ilícito."])
    files = [
        pdfs.encrypted_pdf(tmp_path / "cifrado.pdf"),
        pdfs.truncated_pdf(tmp_path / "truncado.pdf"),
        pdfs.corrupt_pdf(tmp_path / "corrupto.pdf"),
        pdfs.empty_file(tmp_path / "vacio.pdf"),
        pdfs.not_a_pdf(tmp_path / "imagen.pdf"),
        pdfs.big_file(tmp_path / "enorme.pdf", 3 * 1024 * 1024),  # limit in tests: 2 MiB
        pdfs.many_pages_pdf(tmp_path / "largo.pdf", 45),  # limit in tests: 40 pages
        pdfs.blank_pdf(tmp_path / "en-blanco.pdf"),
        good,
    ]
    batch = live.wait_batch(live.upload(files))
    by_name = {f["name"]: f for f in batch["files"]}
    expected = {
        "cifrado.pdf": "encrypted",
        "truncado.pdf": "corrupt",
        "corrupto.pdf": "corrupt",
        "vacio.pdf": "empty_file",
        "imagen.pdf": "not_pdf",
        "enorme.pdf": "too_large",
        "largo.pdf": "too_many_pages",
        "en-blanco.pdf": "no_text",
    }
    for name, reason in expected.items():
        assert by_name[name]["status"] == "failed", by_name[name]
        assert by_name[name]["reason"] == reason, by_name[name]
        assert by_name[name]["message"], by_name[name]
    assert by_name["bueno.pdf"]["status"] == "indexed"
    assert batch["counts"] == {"queued": 0, "processing": 0, "indexed": 1, "duplicate": 0, "failed": len(expected)}
    ids = [r["id"] for r in live.search("lavado de activos")["results"]]
    assert by_name["bueno.pdf"]["document_id"] in ids


def test_same_bytes_twice_become_one_document_with_both_sources(live, tmp_path: Path):
    pdf = pdfs.text_pdf(tmp_path / "acuerdo.pdf", ["Acuerdo plenario sobre la prueba indiciaria en el delito de tráfico."])
    first = live.wait_batch(live.upload([pdf]))
    second = live.wait_batch(live.upload([("copia/acuerdo-copia.pdf", pdf.read_bytes()), ("otra.pdf", pdf.read_bytes())]))
    assert first["files"][0]["status"] == "indexed"
    # Known bytes from another load read as new ones; a second copy in the same load is its duplicate.
    assert [f["status"] for f in second["files"]] == ["indexed", "duplicate"]
    doc_id = first["files"][0]["document_id"]
    assert {f["document_id"] for f in second["files"]} == {doc_id}
    with live.client() as client:
        doc = client.get(f"/api/documents/{doc_id}").json()
    assert "acuerdo.pdf" in doc["source_paths"]
    assert "copia/acuerdo-copia.pdf" in doc["source_paths"]
    hits = [r for r in live.search("prueba indiciaria")["results"] if r["id"] == doc_id]
    assert len(hits) == 1


# What a load's answer says of one file, without what differs between any two files (name, bytes, times).
SAME = ("status", "reason", "message", "note", "document_id", "pages", "ocr_pages", "attempts")


def test_known_bytes_in_another_collection_answer_as_new_ones_and_add_no_name_there(live, tmp_path: Path):
    """Loading bytes someone else loaded into another collection tells nothing of it, and the document its
    readers see keeps its collection and names; the new load is kept as a source of that collection."""
    text = ["Informe reservado sobre la red de lavado de activos del puerto de Paita."]
    original = pdfs.text_pdf(tmp_path / "informe-paita.pdf", text)
    first = live.wait_batch(live.upload([original], collection="fiscalia-a"))
    doc_id = first["files"][0]["document_id"]
    fresh = pdfs.text_pdf(tmp_path / "nuevo.pdf", ["Acta de una diligencia que nadie había cargado antes."])
    known = live.wait_batch(live.upload([("copia-de-b.pdf", original.read_bytes())], collection="fiscalia-b"))
    new = live.wait_batch(live.upload([fresh], collection="fiscalia-b"))
    assert {k: known["files"][0][k] for k in SAME if k != "document_id"} == \
        {k: new["files"][0][k] for k in SAME if k != "document_id"}
    assert known["files"][0]["status"] == "indexed" and known["files"][0]["message"] is None
    assert known["files"][0]["document_id"] == known["files"][0]["sha256"] == doc_id  # its own bytes' hash
    assert known["counts"] == new["counts"]
    accounts = Accounts(live.engine, live.settings)  # a reader of fiscalia-a only
    accounts.set_collection("fiscalia-a", grants=[{"principal": "user:lector-a", "rights": ["read"]}])
    if accounts.user("lector-a") is None:
        accounts.create_user("lector-a", "clave-de-prueba-123", "prosecutor")
    token = accounts.create_token("lector-a", "test")["token"]
    with httpx.Client(base_url=live.url, headers={"Authorization": f"Bearer {token}"}) as reader:
        doc = reader.get(f"/api/documents/{doc_id}").json()
    assert doc["collection"] == "fiscalia-a"
    assert doc["source_paths"] == ["informe-paita.pdf"] and doc["batch_ids"] == [first["id"]]
    with live.client() as admin:  # an administrator reads every collection, so sees both loads
        assert admin.get(f"/api/documents/{doc_id}").json()["source_paths"] == ["informe-paita.pdf", "copia-de-b.pdf"]
    stored = live.engine.get(live.settings.documents_alias, doc_id)
    assert [(s["collection"], s["path"]) for s in stored["sources"]] == [
        ("fiscalia-a", "informe-paita.pdf"), ("fiscalia-b", "copia-de-b.pdf")]


def test_a_retry_leaves_a_file_failed_for_its_bytes_as_it_was(live, tmp_path: Path):
    """An empty file stays empty_file (it once came back not_pdf); what a retry can fix is retried."""
    empty = pdfs.empty_file(tmp_path / "vacio.pdf")
    image = pdfs.not_a_pdf(tmp_path / "foto.pdf")
    batch = live.wait_batch(live.upload([empty, image]))
    before = {f["name"]: f for f in batch["files"]}
    assert before["vacio.pdf"]["reason"] == "empty_file" and before["foto.pdf"]["reason"] == "not_pdf"
    with live.client() as client:
        for body in (None, {"reasons": ["empty_file", "not_pdf"]}):
            resp = client.post(f"/api/batches/{batch['id']}/retry", json=body)
            assert resp.status_code == 202 and resp.json()["requeued"] == 0, resp.text
    after = {f["name"]: f for f in live.wait_batch(batch["id"])["files"]}
    for name in before:
        assert {k: after[name][k] for k in ("status", "reason", "message")} == \
            {k: before[name][k] for k in ("status", "reason", "message")}


def test_files_failed_for_their_bytes_leave_nothing_in_the_store(live, tmp_path: Path):
    good = pdfs.text_pdf(tmp_path / "bueno.pdf", ["Resolución que declara fundada la prisión preventiva del imputado."])
    bomb = pdfs.zip_of(tmp_path / "bomba.zip", [("ceros.pdf", bytes(50 * 1024 * 1024)), ("bueno.pdf", good.read_bytes())])
    noise = b"%PDF-1.4\n" + random.Random(5).randbytes(3 * 1024 * 1024)  # past the tests' 2 MiB, and incompressible
    big = pdfs.zip_of(tmp_path / "grande.zip", [("grande.pdf", noise)])
    files = [bomb, big, pdfs.empty_file(tmp_path / "vacio.pdf"), pdfs.not_a_pdf(tmp_path / "foto.pdf", kind="html"),
             pdfs.corrupt_pdf(tmp_path / "roto.pdf")]
    batch = live.wait_batch(live.upload(files))
    by_name = {f["name"]: f for f in batch["files"]}
    assert by_name["bomba.zip/ceros.pdf"]["reason"] == "archive_bomb"
    assert by_name["grande.zip/grande.pdf"]["reason"] == "too_large"
    assert by_name["bomba.zip/bueno.pdf"]["status"] == "indexed"
    store = live.settings.store_dir
    for name in ("vacio.pdf", "foto.pdf", "roto.pdf"):
        assert by_name[name]["status"] == "failed" and by_name[name]["sha256"], by_name[name]
        assert not (store / "objects" / by_name[name]["sha256"][:2] / by_name[name]["sha256"][2:4]
                    / by_name[name]["sha256"]).exists(), name
    kept = {p.name for p in (store / "objects").rglob("*") if p.is_file()}
    assert by_name["bomba.zip/bueno.pdf"]["sha256"] in kept
    assert not any((store / "tmp").iterdir())


def test_snippets_are_html_safe(live, tmp_path: Path):
    text = 'Texto con <script>alert("x")</script> & <b>marcado</b> dentro del expediente fraudulento.'
    pdf = pdfs.text_pdf(tmp_path / "hostil.pdf", [text])
    live.wait_batch(live.upload([pdf]))
    result = live.search("expediente fraudulento")["results"][0]
    snippet = result["pages"][0]["snippet"]
    assert "<script" not in snippet and "<b>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "<mark>fraudulento</mark>" in snippet


def test_batch_state_is_durable_without_redis(live, tmp_path: Path):
    """Batch state lives in the engine: emptying the broker's database loses nothing."""
    import redis

    pdf = pdfs.text_pdf(tmp_path / "informe.pdf", ["Informe policial sobre extinción de dominio de inmuebles."])
    batch_id = live.upload([pdf])
    done = live.wait_batch(batch_id)
    redis.Redis.from_url(live.settings.redis_url).flushdb()
    with live.client() as client:
        again = client.get(f"/api/batches/{batch_id}").json()
        recent = client.get("/api/batches").json()
    assert again["files"] == done["files"]
    assert batch_id in [b["id"] for b in recent]


def test_upload_without_files_is_a_clear_client_error(live):
    with live.client() as client:
        resp = client.post("/api/documents", data={"collection": "x"})
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "invalid_request"
    assert "files" in resp.json()["error"]["message"]
