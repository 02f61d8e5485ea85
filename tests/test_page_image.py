"""The page as it looks: ``GET /api/documents/{id}/pages/{n}/image`` (PNG by pdfium) and ``.../boxes`` (where
the page view's marked hits lie on it), on the real test stack with PDFs drawn by reportlab."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from PIL import Image

from samples.pdf import PAGE_HEIGHT, PAGE_WIDTH, PLAIN
from tests import pdfs

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MISSING = "0" * 64


def _doc_id(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def loaded(live, tmp_path_factory):
    """A two-page text PDF (the token once on page 1, twice on page 2, once inside a phrase), a scanned PDF
    (image only: OCR) and a PDF that pdfium refuses (no /Root; pypdf reads it, so it is indexed)."""
    folder = tmp_path_factory.mktemp("page-image")
    token = "zorzal" + uuid.uuid4().hex[:6]
    text = pdfs.text_pdf(folder / "text.pdf", [
        f"{token} abre la primera línea. La Fiscalía presenta el requerimiento de prisión preventiva.",
        f"Segunda página: el {token} otra vez, y la prisión preventiva dictada; al final {token}.",
    ], title=f"Requerimiento {token}")
    scanned = pdfs.scanned_pdf(folder / "scan.pdf", f"Acta escaneada {token} de incautación en el Callao")
    no_root = pdfs.no_root_pdf(folder / "noroot.pdf", [f"Resolución sin raíz {token} para la prueba."])
    batch = live.wait_batch(live.upload([text, scanned, no_root], collection="page-image"), timeout=240)
    assert batch["counts"]["indexed"] == 3, batch
    return {"token": token, "text": _doc_id(text), "scanned": _doc_id(scanned), "no_root": _doc_id(no_root)}


def _get(live, path: str, **params):
    with live.client() as client:
        return client.get(path, params=params)


def test_image_is_a_png_of_the_asked_width(live, loaded):
    resp = _get(live, f"/api/documents/{loaded['text']}/pages/1/image")
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"] == "image/png"
    assert resp.content.startswith(PNG_MAGIC)
    image = Image.open(io.BytesIO(resp.content))
    assert image.width == 1000
    assert image.height == pytest.approx(1000 * PAGE_HEIGHT / PAGE_WIDTH, abs=2)
    assert resp.headers["cache-control"] == "no-store" and resp.headers["etag"]  # kept by no cache (api.security)

    narrow = _get(live, f"/api/documents/{loaded['text']}/pages/2/image", width=400)
    assert narrow.status_code == 200 and Image.open(io.BytesIO(narrow.content)).width == 400
    with live.client() as client:
        again = client.get(f"/api/documents/{loaded['text']}/pages/1/image",
                           headers={"If-None-Match": resp.headers["etag"]})
    assert again.status_code == 304 and not again.content


@pytest.mark.parametrize("width", [10, 5000])
def test_image_width_is_bounded(live, loaded, width):
    resp = _get(live, f"/api/documents/{loaded['text']}/pages/1/image", width=width)
    assert resp.status_code == 422
    assert resp.json()["error"]["code"] == "invalid_request"


def test_boxes_for_a_word_on_the_page(live, loaded):
    token = loaded["token"]
    resp = _get(live, f"/api/documents/{loaded['text']}/pages/1/boxes", q=token)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["text_layer"] is True
    assert body["width"] == pytest.approx(PAGE_WIDTH, abs=0.5) and body["height"] == pytest.approx(PAGE_HEIGHT, abs=0.5)
    assert body["hits"] == 1 and len(body["boxes"]) == 1
    box = body["boxes"][0]
    assert all(0 <= box[k] <= 1 for k in ("x", "y", "w", "h"))
    assert box["x"] + box["w"] <= 1 and box["y"] + box["h"] <= 1
    # The token starts the first line: at the left margin, near the top.
    assert box["x"] == pytest.approx(PLAIN.margin / PAGE_WIDTH, abs=0.01)
    assert box["y"] < (PLAIN.top + PLAIN.body.leading) / PAGE_HEIGHT < box["y"] + 3 * box["h"]
    assert 0 < box["h"] < 0.05 and 0 < box["w"] < 0.5


def test_boxes_agree_with_the_page_view(live, loaded):
    """As many hits as the page view marks, in page order; accents and case do not matter."""
    token = loaded["token"]
    for q in (token, f"{token} fiscalia", "PRISION PREVENTIVA"):
        for n in (1, 2):
            marked = _get(live, f"/api/documents/{loaded['text']}/pages/{n}", q=q).json()
            body = _get(live, f"/api/documents/{loaded['text']}/pages/{n}/boxes", q=q).json()
            assert body["hits"] == len({b["hit"] for b in body["boxes"]})
            assert 0 < body["hits"] <= marked["hits"], (q, n, marked["html"], body)
            order = [(round(b["y"], 3), b["x"]) for b in body["boxes"]]   # page order: line, then left to right
            assert order == sorted(order)
    page2 = _get(live, f"/api/documents/{loaded['text']}/pages/2/boxes", q=token).json()
    assert page2["hits"] == 2


def test_a_phrase_is_one_box_and_only_where_the_phrase_is(live, loaded):
    token = loaded["token"]
    body = _get(live, f"/api/documents/{loaded['text']}/pages/2/boxes", q=f'"preventiva dictada" {token}').json()
    assert body["hits"] == 3   # the phrase once, the token twice
    words = _get(live, f"/api/documents/{loaded['text']}/pages/1/boxes", q='"preventiva dictada"').json()
    assert words["hits"] == 0 and words["boxes"] == []   # page 1 has "preventiva", not the phrase


def test_no_boxes_for_a_word_not_on_the_page(live, loaded):
    for q in ("ornitorrinco", ""):
        body = _get(live, f"/api/documents/{loaded['text']}/pages/1/boxes", q=q).json()
        assert body["text_layer"] is True and body["boxes"] == [] and body["hits"] == 0


def test_a_scanned_page_has_no_text_layer(live, loaded):
    marked = _get(live, f"/api/documents/{loaded['scanned']}/pages/1", q="Callao").json()
    assert marked["ocr"] is True
    body = _get(live, f"/api/documents/{loaded['scanned']}/pages/1/boxes", q="Callao").json()
    assert body["text_layer"] is False and body["boxes"] == []
    image = _get(live, f"/api/documents/{loaded['scanned']}/pages/1/image", width=300)
    assert image.status_code == 200 and image.content.startswith(PNG_MAGIC)


@pytest.mark.parametrize("suffix", ["image", "boxes"])
def test_missing_document_or_page_is_404(live, loaded, suffix):
    for doc, page in ((MISSING, 1), (loaded["text"], 3), (loaded["text"], 99)):
        resp = _get(live, f"/api/documents/{doc}/pages/{page}/{suffix}", q=loaded["token"])
        assert resp.status_code == 404, (doc, page, resp.text)
        assert resp.json()["error"]["code"] == "not_found"
    assert _get(live, f"/api/documents/not-an-id/pages/1/{suffix}").status_code == 422
    assert _get(live, f"/api/documents/{loaded['text']}/pages/0/{suffix}").status_code == 422


@pytest.mark.parametrize("suffix", ["image", "boxes"])
def test_a_file_pdfium_cannot_open_is_a_clear_error(live, loaded, suffix):
    resp = _get(live, f"/api/documents/{loaded['no_root']}/pages/1/{suffix}", q=loaded["token"])
    assert resp.status_code == 422, resp.text
    error = resp.json()["error"]
    assert error["code"] == "unreadable_file"
    assert "cannot be opened" in error["message"] and "Traceback" not in resp.text


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_boxes_cover_the_word_on_a_turned_page(tmp_path, degrees):
    """docsearch.pages alone: on a page turned by /Rotate, the box is where the rendered word's ink is."""
    from pypdf import PdfReader, PdfWriter

    from docsearch.pages import hit_boxes, render_png

    source = pdfs.text_pdf(tmp_path / "plain.pdf", ["Requerimiento de prisión preventiva."])
    writer = PdfWriter()
    page = PdfReader(source).pages[0]
    page.rotate(degrees)
    writer.add_page(page)
    turned = tmp_path / "turned.pdf"
    writer.write(turned)

    found = hit_boxes(turned, 1, "<mark>Requerimiento</mark> de prisión preventiva.")
    assert found.text_layer and found.hits == 1 and len(found.boxes) == 1
    box = found.boxes[0]
    long_side, short_side = (box.h, box.w) if degrees in (90, 270) else (box.w, box.h)
    assert long_side > 4 * short_side   # one box along the word, not one per letter
    image = Image.open(io.BytesIO(render_png(turned, 1, 800).png)).convert("L")
    inside = image.crop((int(box.x * image.width), int(box.y * image.height),
                         int((box.x + box.w) * image.width) + 1, int((box.y + box.h) * image.height) + 1))
    assert inside.getextrema()[0] < 100   # ink under the box
