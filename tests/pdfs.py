"""Builders of a fixture corpus of PDFs (good, damaged and hostile), made with real tools.

This is a helper module for tests, not a test file: ``from tests.pdfs import
text_pdf`` (or ``from tests import pdfs``).

Every builder takes the output path first, writes the file (creating parent
directories) and returns the path. Pages are drawn by :mod:`samples.pdf`; the
damage is done here. Unless stated otherwise the bytes are deterministic:
reportlab canvases use ``invariant=1`` and random data comes from fixed seeds.
Encryption (pypdf) uses random salts, so encrypted files differ from run to run.

What each fixture does under pypdf 6 (``PdfReader(path, strict=False)``):

* ``text_pdf`` / ``many_pages_pdf`` / ``hyphenated_pdf``: extract normally,
  accents intact; ``hyphenated_pdf`` gives ``"eviden-\\ncia"``.
* ``encrypted_pdf``: ``is_encrypted``; ``decrypt("")`` fails, the password works.
* ``encrypted_empty_password_pdf``: ``is_encrypted``; ``decrypt("")`` succeeds.
* ``truncated_pdf``: the tail (xref, trailer, ``%%EOF``) is gone. pypdf first
  looks backwards for ``%%EOF``, runs off the start of the file and raises
  ``PdfStreamError`` ("Stream has ended unexpectedly") even in non-strict mode;
  it never gets as far as rebuilding the xref, whatever the cut (10 % to 99 %).
* ``corrupt_pdf``: a ``%PDF-`` header followed by random bytes; opening raises
  ``PdfStreamError`` for the same reason (no ``%%EOF``).
* ``not_a_pdf`` / ``empty_file``: opening raises (``PdfStreamError`` /
  ``EmptyFileError``); ingestion should reject them from their first bytes.
* ``scanned_pdf``: one page holding only an image; ``extract_text()`` is ``""``.
* ``big_file``: a valid one-page PDF with a long comment inside; extracts
  ``BIG_FILE_TEXT``.
* ``broken_xref_pdf``: ``startxref`` points to the wrong place and every xref
  offset is wrong; pypdf (non-strict) and pdfium both rebuild the xref and read
  every page.
* ``missing_eof_pdf``: complete but for the final ``%%EOF``; pypdf raises
  ``PdfStreamError`` (as for ``truncated_pdf``), pdfium reads every page.
* ``no_root_pdf``: the trailer has no ``/Root``; pypdf finds the catalog anyway
  and reads every page, pdfium refuses the file ("Data format error").
* ``broken_page_pdf``: the object of one page is a string, not a page
  dictionary. pdfium counts every page and fails to load that one; pypdf skips
  it (one page fewer).
* ``no_pages_pdf``: a valid PDF with an empty page tree; pypdf reads 0 pages,
  pdfium refuses it.
* ``blank_pdf``: pages with nothing on them (no text, no image).
* ``mixed_pdf``: a text page, a scanned page with only a page number as text,
  a blank page, and a text page with a small logo image.

pdfium (pypdfium2 5.x) opens neither ``truncated_pdf`` (any cut tested:
10 %, 40 %, 99 %) nor ``corrupt_pdf``.
"""

from __future__ import annotations

import io
import random
import re
import struct
import zlib
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.units import cm

from samples import pdf
from samples.pdf import PAGE_HEIGHT, PAGE_WIDTH, PLAIN

CREATOR = "docsearch test fixtures"

DEFAULT_PASSWORD = "secreto"
OWNER_PASSWORD = "propietario"
DEFAULT_PAGES = [
    "Requerimiento de prisión preventiva. La Fiscalía presenta la evidencia recabada "
    "durante la investigación preparatoria.",
    "Segunda página: el imputado, señor Núñez, declaró ante el juez de investigación.",
]
BIG_FILE_TEXT = "Documento grande de relleno"
HYPHENATED_LINES = [
    "La Fiscalía valoró la eviden-",
    "cia documental presentada por la defensa.",
    "El hecho ocurrió en la provincia de Lima-",
    "Callao durante el año 2019.",
]


def _prepare(path: Path | str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _canvas(target: Path | io.BytesIO, title: str | None = None):
    return pdf.canvas(target, title=title, creator=CREATOR)


def _text_pdf_bytes(pages: list[str], title: str | None = None) -> bytes:
    return pdf.text_pdf(pages, title, creator=CREATOR)


def text_pdf(path: Path | str, pages: list[str], title: str | None = None) -> Path:
    """A real text PDF: one page per string (``\n`` breaks a line), Helvetica (WinAnsi: Spanish accents, ñ, ¿¡)."""
    if not pages:
        raise ValueError("a PDF needs at least one page")
    path = _prepare(path)
    path.write_bytes(_text_pdf_bytes(pages, title))
    return path


def _encrypt(path: Path, pages: list[str], user_password: str, owner_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_text_pdf_bytes(pages))))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def encrypted_pdf(path: Path | str, password: str = DEFAULT_PASSWORD, pages: list[str] | None = None) -> Path:
    """An AES-256 encrypted PDF that needs ``password`` to open (the empty password fails)."""
    if not password:
        raise ValueError("use encrypted_empty_password_pdf for an empty user password")
    return _encrypt(_prepare(path), pages or DEFAULT_PAGES, password, OWNER_PASSWORD)


def encrypted_empty_password_pdf(path: Path | str, pages: list[str] | None = None) -> Path:
    """AES-256 encrypted with an empty user password and an owner password: opens with ``""``."""
    return _encrypt(_prepare(path), pages or DEFAULT_PAGES, "", OWNER_PASSWORD)


def truncated_pdf(path: Path | str, fraction: float = 0.4) -> Path:
    """A valid multi-page text PDF cut to ``fraction`` of its bytes (no xref, no trailer)."""
    data = _text_pdf_bytes(DEFAULT_PAGES * 3)
    path = _prepare(path)
    path.write_bytes(data[: int(len(data) * fraction)])
    return path


def corrupt_pdf(path: Path | str, size: int = 4096, seed: int = 1234) -> Path:
    """A ``%PDF-1.4`` header followed by ``size`` random bytes from a fixed seed."""
    path = _prepare(path)
    path.write_bytes(b"%PDF-1.4\n" + random.Random(seed).randbytes(size))
    return path


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _tiny_png() -> bytes:
    """A valid 2x2 grey PNG, written by hand."""
    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = b"\x00\x80\xff" * 2  # filter byte + two pixels per row
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows)) + _png_chunk(b"IEND", b""))


def not_a_pdf(path: Path | str, kind: str = "png") -> Path:
    """Bytes that are not a PDF under a ``.pdf`` name: ``kind`` is ``"png"``, ``"text"`` or ``"html"``."""
    contents = {
        "png": _tiny_png(),
        "text": "Esto no es un PDF: es un archivo de texto con nombre .pdf.\n".encode("utf-8"),
        "html": b"<!DOCTYPE html><html><body><p>No es un PDF</p></body></html>\n",
    }
    if kind not in contents:
        raise ValueError(f"unknown kind {kind!r}; choose one of {sorted(contents)}")
    path = _prepare(path)
    path.write_bytes(contents[kind])
    return path


def empty_file(path: Path | str) -> Path:
    """A file of zero bytes."""
    path = _prepare(path)
    path.write_bytes(b"")
    return path


def big_file(path: Path | str, size_bytes: int) -> Path:
    """A valid one-page PDF of exactly ``size_bytes`` bytes, padded with a comment.

    Hand-written so the padding costs nothing: it is a seek over a sparse
    region (NUL bytes inside a PDF comment), and the xref offsets account for
    it. The page shows ``BIG_FILE_TEXT`` in Helvetica.
    """
    header = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n%"  # the padding comment starts here
    content = f"BT /F1 12 Tf 72 720 Td ({BIG_FILE_TEXT}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]

    def tail(start: int) -> bytes:
        body = b"\n"  # ends the padding comment
        offsets = []
        for number, obj in enumerate(objects, start=1):
            offsets.append(start + len(body))
            body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
        xref_at = start + len(body)
        body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
        return body

    # The tail's length depends (by a few digits) on where it starts: settle the padding by iteration.
    padding = 0
    for _ in range(10):
        needed = size_bytes - len(header) - len(tail(len(header) + padding))
        if needed == padding:
            break
        padding = needed
    if padding < 0:
        raise ValueError(f"size_bytes must be at least {len(header) + len(tail(len(header)))}")
    path = _prepare(path)
    with path.open("wb") as fh:
        fh.write(header)
        fh.seek(len(header) + padding)
        fh.write(tail(len(header) + padding))
    if path.stat().st_size != size_bytes:  # pragma: no cover - guards the arithmetic above
        raise AssertionError(f"big_file wrote {path.stat().st_size} bytes, wanted {size_bytes}")
    return path


def scanned_pdf(path: Path | str, text: str, dpi: int = 150) -> Path:
    """A one-page PDF whose page is only an image of ``text``: no text layer (OCR material)."""
    return scanned_pages_pdf(path, [text], dpi)


def hyphenated_pdf(path: Path | str, lines: list[str] | None = None) -> Path:
    """One page whose lines are drawn exactly as given: by default "eviden-" / "cia" and "Lima-" / "Callao"."""
    path = _prepare(path)
    path.write_bytes(pdf.text_pdf(["\n".join(lines or HYPHENATED_LINES)], creator=CREATOR))
    return path


def many_pages_pdf(path: Path | str, n: int) -> Path:
    """A PDF of ``n`` short pages ("Página i de n")."""
    if n < 1:
        raise ValueError("n must be at least 1")
    path = _prepare(path)
    path.write_bytes(pdf.render([[f"Página {number} de {n}"] for number in range(1, n + 1)], creator=CREATOR))
    return path


def zip_of(path: Path | str, members, compression: int = 8) -> Path:
    """A ZIP of ``members``: a dict or (name or ``zipfile.ZipInfo``, bytes) pairs; names kept verbatim
    (``../x``, ``/abs``, duplicates); ``compression`` 8 is deflate, 0 stored."""
    import warnings
    import zipfile

    path = _prepare(path)
    pairs = members.items() if isinstance(members, dict) else members
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w", compression) as zf:
        warnings.simplefilter("ignore")  # "Duplicate name": wanted here
        for name, data in pairs:
            zf.writestr(name, data)
    return path


def _damage(pages: list[str] | None, title: str | None, change) -> bytes:
    data = _text_pdf_bytes(pages or DEFAULT_PAGES, title)
    damaged = change(data)
    if damaged == data:  # pragma: no cover - guards against a change of reportlab's output
        raise AssertionError("the damage did not apply")
    return damaged


def _startxref(data: bytes) -> int:
    at = data.rindex(b"startxref")
    return int(data[at + len(b"startxref"):].split()[0])


def broken_xref_pdf(path: Path | str, pages: list[str] | None = None, title: str | None = None) -> Path:
    """A text PDF whose ``startxref`` is off by 37 bytes and whose xref entries all point nowhere."""
    def change(data: bytes) -> bytes:
        xref_at = _startxref(data)
        tail_at = data.rindex(b"startxref")
        table = data[xref_at:tail_at]
        lines = table.split(b"\n")
        # Entries are "oooooooooo ggggg n " (20 bytes with the newline): keep the lengths, ruin the offsets.
        lines = [b"%010d" % (int(line[:10]) + 7) + line[10:] if line.endswith(b" n ") else line for line in lines]
        return data[:xref_at] + b"\n".join(lines) + b"startxref\n%d\n%%%%EOF\n" % (xref_at + 37)

    path = _prepare(path)
    path.write_bytes(_damage(pages, title, change))
    return path


def missing_eof_pdf(path: Path | str, pages: list[str] | None = None, title: str | None = None) -> Path:
    """A complete text PDF without its final ``%%EOF`` marker (a download cut in the very last bytes)."""
    path = _prepare(path)
    path.write_bytes(_damage(pages, title, lambda data: data[: data.rindex(b"%%EOF")]))
    return path


def no_root_pdf(path: Path | str, pages: list[str] | None = None, title: str | None = None) -> Path:
    """A text PDF whose trailer lost its ``/Root`` entry (renamed, same length: offsets stay right)."""
    def change(data: bytes) -> bytes:
        trailer_at = data.rindex(b"trailer")
        return data[:trailer_at] + data[trailer_at:].replace(b"/Root", b"/Ro0t")

    path = _prepare(path)
    path.write_bytes(_damage(pages, title, change))
    return path


def broken_page_pdf(path: Path | str, pages: list[str], broken: int) -> Path:
    """A text PDF whose page ``broken`` (0-based) is a string object instead of a page dictionary.

    The replacement has the same length, so the xref stays right and only that page is damaged.
    """
    if not 0 <= broken < len(pages):
        raise ValueError("broken must index one of the pages")

    def change(data: bytes) -> bytes:
        kids = re.search(rb"/Kids \[([^\]]*)\]", data)
        number = int(kids.group(1).split(b"R")[broken].split()[0])
        body = re.search(rb"\n%d 0 obj\n(.*?)\nendobj" % number, data, re.S)
        replacement = b"(broken page)".ljust(len(body.group(1)))
        return data[: body.start(1)] + replacement + data[body.end(1):]

    path = _prepare(path)
    path.write_bytes(_damage(pages, None, change))
    return path


def no_pages_pdf(path: Path | str) -> Path:
    """A well-formed PDF with an empty page tree (``/Count 0``)."""
    path = _prepare(path)
    writer = PdfWriter()
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def blank_pdf(path: Path | str, n: int = 1) -> Path:
    """``n`` pages with nothing drawn on them."""
    if n < 1:
        raise ValueError("n must be at least 1")
    path = _prepare(path)
    c = _canvas(path)
    for _ in range(n):
        c.showPage()
    c.save()
    return path


MIXED_TEXT = ("Resolución número cinco. Vistos: el requerimiento fiscal de prisión preventiva "
              "y los recaudos que lo sustentan.")
MIXED_SCANNED_TEXT = "Acta de incautación de clorhidrato de cocaína en el puerto del Callao"


def mixed_pdf(path: Path | str, dpi: int = 150) -> Path:
    """Four pages: 0 text; 1 a scan of ``MIXED_SCANNED_TEXT`` plus the text "Pág. 2"; 2 blank;
    3 text (``MIXED_TEXT``) with a small logo image."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    path = _prepare(path)
    c = _canvas(path)
    pdf.draw_page(c, [MIXED_TEXT], PLAIN)
    pdf.draw_image_page(c, pdf.text_image(MIXED_SCANNED_TEXT, dpi))
    c.setFont(PLAIN.body.font, PLAIN.body.size)
    c.drawString(PAGE_WIDTH / 2, PLAIN.margin / 2, "Pág. 2")
    c.showPage()
    c.showPage()
    logo = Image.new("L", (64, 64), 0)
    c.drawImage(ImageReader(logo), PLAIN.margin, PAGE_HEIGHT - PLAIN.margin - 2 * cm, width=2 * cm, height=2 * cm)
    pdf.draw_page(c, [MIXED_TEXT], PLAIN)
    c.save()
    return path


def scanned_pages_pdf(path: Path | str, texts: list[str], dpi: int = 150) -> Path:
    """A PDF of several image-only pages, one per text: a multi-page scan."""
    path = _prepare(path)
    path.write_bytes(pdf.image_pdf([pdf.text_image(text, dpi) for text in texts], creator=CREATOR))
    return path
