"""Deleting a document (ingestion.removal) on the real engine and file store: the document with its pages, its
original and the file records of every load go; the loads' batches still add up; other documents stay."""

from __future__ import annotations

from pathlib import Path

from ingestion.batches import BatchStore
from ingestion.removal import delete_document
from tests import pdfs


def _object(live, sha: str) -> Path:
    return live.settings.store_dir / "objects" / sha[:2] / sha[2:4] / sha


def test_a_deleted_document_leaves_no_page_no_original_and_no_file_record(live, tmp_path: Path):
    doomed = pdfs.text_pdf(tmp_path / "borrar.pdf", ["Oficio de la Unidad de Flagrancia sobre el decomiso zarandajo.",
                                                    "Segunda página del oficio zarandajo de Tumbes."])
    other = pdfs.text_pdf(tmp_path / "queda.pdf", ["Acta de la Unidad de Flagrancia que se conserva en Tumbes."])
    first = live.wait_batch(live.upload([doomed, other], collection="borrables"))
    again = live.wait_batch(live.upload([("copia/borrar.pdf", doomed.read_bytes())], collection="otra"))
    by_name = {f["name"]: f for f in first["files"]}
    doc_id, kept_id = by_name["borrar.pdf"]["document_id"], by_name["queda.pdf"]["document_id"]
    assert _object(live, doc_id).is_file()

    deleted = delete_document(live.engine, live.settings, doc_id)

    assert deleted is not None and deleted.files == 2 and deleted.original
    assert deleted.batches == {first["id"]: 1, again["id"]: 1}
    settings, engine = live.settings, live.engine
    engine.refresh(settings.documents_alias)
    engine.refresh(settings.files_alias)
    assert engine.get(settings.documents_alias, doc_id) is None
    assert engine.count(settings.documents_alias, {"query": {"nested": {"path": "pages", "query": {
        "match": {"pages.text": "zarandajo"}}}}}) == 0
    assert engine.count(settings.files_alias, {"query": {"term": {"sha256": doc_id}}}) == 0
    assert not _object(live, doc_id).exists()
    # What else was loaded is untouched, and each batch still adds up (and is done).
    assert engine.get(settings.documents_alias, kept_id) is not None and _object(live, kept_id).is_file()
    batches = BatchStore(engine, settings)
    summary = batches.summary(first["id"])
    assert summary["total"] == 1 and summary["state"] == "done" and [f["name"] for f in summary["files"]] == ["queda.pdf"]
    emptied = batches.summary(again["id"])
    assert emptied["total"] == 0 and emptied["state"] == "done" and emptied["files"] == []
    with live.client() as client:
        assert client.get(f"/api/documents/{doc_id}").status_code == 404
        assert doc_id not in [r["id"] for r in live.search("zarandajo")["results"]]


def test_deleting_a_document_that_is_not_there_says_so(live):
    assert delete_document(live.engine, live.settings, "0" * 64) is None
