"""Bulk loads through the HTTP API: ZIPs with folders, hostile archives, scans with OCR, retry,
re-processing, server-side import, and progress figures."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests import pdfs


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_zip_with_folders_and_hostile_entries(live, tmp_path: Path):
    a = pdfs.text_pdf(tmp_path / "a.pdf", ["Sentencia de la Sala Penal Nacional sobre organización criminal."])
    b = pdfs.text_pdf(tmp_path / "b.pdf", ["Auto de prisión preventiva por tráfico ilícito de drogas."])
    inner = pdfs.zip_of(tmp_path / "inner.zip", {"anexo/c.pdf": pdfs._text_pdf_bytes(["Anexo con cuadro de bienes incautados."])})
    archive = pdfs.zip_of(tmp_path / "archivo.zip", [
        ("2019/sentencias/a.pdf", _bytes(a)),
        ("2019/autos/b.pdf", _bytes(b)),
        ("../../escapa.pdf", _bytes(a)),
        ("/etc/absoluto.pdf", _bytes(b)),
        ("anexos/inner.zip", _bytes(inner)),
        ("2019/autos/b.pdf", b"otro contenido con el mismo nombre"),
        ("ceros.pdf", b"\0" * (8 * 1024 * 1024)),  # compresses ~1000:1: a bomb by ratio
    ])
    batch = live.wait_batch(live.upload([archive], collection="zip"))
    by_name = {f["name"]: f for f in batch["files"]}
    assert by_name["archivo.zip/2019/sentencias/a.pdf"]["status"] == "indexed"
    assert by_name["archivo.zip/2019/autos/b.pdf"]["status"] == "indexed"
    assert by_name["archivo.zip/anexos/inner.zip/anexo/c.pdf"]["status"] == "indexed"
    unsafe = [f for f in batch["files"] if f["reason"] == "unsafe_path"]
    assert len(unsafe) == 2 and all(f["status"] == "failed" for f in unsafe)
    renamed = by_name["archivo.zip/2019/autos/b (2).pdf"]
    assert renamed["note"] and renamed["status"] == "failed" and renamed["reason"] == "not_pdf"
    bomb = next(f for f in batch["files"] if "ceros" in f["name"])
    assert bomb["reason"] in ("archive_bomb", "too_large"), bomb
    assert batch["total"] == len(batch["files"]) == 7
    hits = live.search("bienes incautados")["results"]
    assert any(r["collection"] == "zip" for r in hits)


def test_scanned_pages_are_read_by_ocr_with_confidence(live, tmp_path: Path):
    scan = pdfs.scanned_pdf(tmp_path / "acta.pdf", "Acta de incautación de clorhidrato de cocaína en Tocache", dpi=200)
    mixed = pdfs.mixed_pdf(tmp_path / "mixto.pdf")
    batch = live.wait_batch(live.upload([scan, mixed]), timeout=300)
    by_name = {f["name"]: f for f in batch["files"]}
    assert by_name["acta.pdf"]["status"] == "indexed", by_name["acta.pdf"]
    assert by_name["acta.pdf"]["ocr_pages"] == 1
    assert batch["ocr_pages_done"] >= 2
    doc_id = by_name["acta.pdf"]["document_id"]
    with live.client() as client:
        page = client.get(f"/api/documents/{doc_id}/pages/1").json()
    assert page["ocr"] is True and 0 < page["ocr_confidence"] <= 100
    ids = [r["id"] for r in live.search("clorhidrato Tocache")["results"]]
    assert doc_id in ids
    mixed_doc = by_name["mixto.pdf"]
    assert mixed_doc["status"] == "indexed" and mixed_doc["ocr_pages"] >= 1


def test_retry_failed_files_after_fixing_the_cause(live, tmp_path: Path):
    pdf = pdfs.text_pdf(tmp_path / "recuperable.pdf", ["Informe de inteligencia financiera sobre transferencias."])
    batch = live.wait_batch(live.upload([pdf]))
    file_record = batch["files"][0]
    assert file_record["status"] == "indexed"
    # Simulate a file that failed for a reason since fixed: the stored original went missing, then came back.
    store_path = live.settings.store_dir / "objects" / file_record["sha256"][:2] / file_record["sha256"][2:4] / file_record["sha256"]
    hidden = store_path.with_suffix(".aside")
    store_path.rename(hidden)
    live.engine.delete_by_query(live.settings.documents_alias, {"query": {"ids": {"values": [file_record["document_id"]]}}})
    with live.client() as client:
        assert client.post(f"/api/batches/{batch['id']}/reprocess", json={"stage": "all"}).status_code == 202
        failed = live.wait_batch(batch["id"])
        assert failed["files"][0]["reason"] == "missing_file"
        hidden.rename(store_path)
        resp = client.post(f"/api/batches/{batch['id']}/retry", json={"reasons": ["missing_file"]})
        assert resp.status_code == 202 and resp.json()["requeued"] == 1
    again = live.wait_batch(batch["id"])
    assert again["files"][0]["status"] == "indexed" and again["files"][0]["reason"] is None
    assert file_record["document_id"] in [r["id"] for r in live.search("transferencias")["results"]]


def test_reprocess_nlp_retags_indexed_text(live, tmp_path: Path):
    pdf = pdfs.text_pdf(tmp_path / "personas.pdf", ["El investigado Marco Antonio Villanueva Rojas fue detenido en Piura."])
    batch = live.wait_batch(live.upload([pdf]))
    doc_id = batch["files"][0]["document_id"]
    # Damage the entities in the index as an outdated model would have left them.
    live.engine.update(live.settings.documents_alias, doc_id, {"doc": {"entities": {"per": ["obsoleto"]}}},
                       refresh=True)
    with live.client() as client:
        resp = client.post(f"/api/batches/{batch['id']}/reprocess", json={"stage": "nlp"})
        assert resp.status_code == 202 and resp.json()["requeued"] == 1
        live.wait_batch(batch["id"])
        doc = client.get(f"/api/documents/{doc_id}").json()
    assert "Marco Antonio Villanueva Rojas" in doc["entities"]["per"]
    assert "obsoleto" not in doc["entities"]["per"]


def test_server_import_is_admin_only_and_stays_in_its_root(live, tmp_path: Path):
    root = live.settings.import_root
    (root / "lote" / "sub").mkdir(parents=True, exist_ok=True)
    pdfs.text_pdf(root / "lote" / "sub" / "oficio.pdf", ["Oficio de la Procuraduría sobre extinción de dominio."])
    body = {"path": "lote", "collection": "importado"}
    auth = {"Authorization": f"Bearer {live.token}"}
    with httpx.Client(base_url=live.url) as client:
        assert client.post("/api/admin/import", json=body).status_code == 401
        assert client.post("/api/admin/import", json=body, headers={"Authorization": "Bearer wrong-token-xxxxxxxx"}).status_code == 401
        outside = client.post("/api/admin/import", json={"path": "../../"}, headers=auth)
        assert outside.status_code == 400 and outside.json()["error"]["code"] == "outside_import_root"
        assert client.post("/api/admin/import", json={"path": "nada"}, headers=auth).status_code == 404
        resp = client.post("/api/admin/import", json=body, headers=auth)
        assert resp.status_code == 202, resp.text
    batch = live.wait_batch(resp.json()["batch_id"])
    assert batch["origin"] == "import" and batch["counts"]["indexed"] == 1
    assert batch["files"][0]["name"].endswith("lote/sub/oficio.pdf")


def test_batch_progress_figures_and_listing(live, tmp_path: Path):
    files = [pdfs.text_pdf(tmp_path / f"p{i}.pdf", [f"Página uno del documento {i} sobre decomiso.", "Página dos."])
             for i in range(5)]
    batch_id = live.upload(files)
    done = live.wait_batch(batch_id)
    assert done["counts"]["indexed"] == 5 and done["pages_done"] == 10
    assert done["pages_per_s"] > 0 and done["elapsed_s"] > 0 and done["eta_s"] == 0
    with live.client() as client:
        counts_only = client.get(f"/api/batches/{batch_id}", params={"limit": 0}).json()
        assert counts_only["files"] is None and counts_only["counts"] == done["counts"]
        page = client.get(f"/api/batches/{batch_id}", params={"status": "indexed", "offset": 2, "limit": 2}).json()
        assert [f["name"] for f in page["files"]] == ["p2.pdf", "p3.pdf"] and page["files_matching"] == 5
        recent = client.get("/api/batches", params={"limit": 5}).json()
    assert batch_id in [b["id"] for b in recent]
