"""Deterministic sample corpus of legal / prosecution PDFs for docsearch.

``generate(out_dir)`` writes six multi-page PDFs (five in Spanish, one in
English) rendered with reportlab from the text in
:mod:`samples.texts`: a FECOR pre-trial detention request, a
Supreme Court cassation ruling on money laundering, two training manuals, a
police report on an asset-forfeiture (extinción de dominio) case and an
English note on mutual legal assistance. All content is fictitious.

The output is byte-for-byte reproducible: the canvas is created with
``invariant=1`` (fixed creation date and document id) and the metadata is
fixed, so document ids derived from the SHA-256 of the bytes are stable
across runs (for a given reportlab version). Text is drawn with the built-in
Helvetica fonts in WinAnsi encoding, which covers Spanish accents, ``ñ``,
``°``, ``¿``/``¡`` and ``«»``, so PDF text extraction returns them intact.

Usage::

    python -m samples.corpus OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from samples.texts import DOCUMENTS

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 2.3 * cm
MARGIN_TOP = 2.0 * cm
MARGIN_BOTTOM = 2.0 * cm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

BODY_FONT = "Helvetica"
BOLD_FONT = "Helvetica-Bold"
ITALIC_FONT = "Helvetica-Oblique"
BODY_SIZE = 10
BODY_LEADING = 13.6
HEADING_SIZE = 11.5
TITLE_SIZE = 15
BULLET_INDENT = 14

CREATOR = "docsearch sample corpus generator"


def _page_label(language: str, number: int, total: int) -> str:
    if language == "en":
        return f"Page {number} of {total}"
    return f"Página {number} de {total}"


def _draw_lines(c: canvas.Canvas, lines: list[str], x: float, y: float, font: str, size: float,
                leading: float) -> float:
    c.setFont(font, size)
    for line in lines:
        c.drawString(x, y, line)
        y -= leading
    return y


SOFT_HYPHEN = "\u00ad"


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; a soft hyphen inside a word is a permitted break point.

    When a word containing soft hyphens does not fit at the end of a line, it
    is split at the rightmost soft hyphen whose prefix (plus a visible ``-``)
    still fits, and the rest continues on the next line. Soft hyphens that are
    not used as break points are removed.
    """
    lines: list[str] = []
    current = ""

    def fits(candidate: str) -> bool:
        return stringWidth(candidate, font, size) <= width

    for word in text.split():
        while True:
            plain = word.replace(SOFT_HYPHEN, "")
            candidate = f"{current} {plain}" if current else plain
            if fits(candidate):
                current = candidate
                break
            parts = word.split(SOFT_HYPHEN)
            split_done = False
            for k in range(len(parts) - 1, 0, -1):
                head = "".join(parts[:k]) + "-"
                candidate = f"{current} {head}" if current else head
                if fits(candidate):
                    lines.append(candidate)
                    current = ""
                    word = SOFT_HYPHEN.join(parts[k:])
                    split_done = True
                    break
            if split_done:
                continue
            if current:
                lines.append(current)
                current = ""
                continue
            # A single word wider than the line: place it anyway.
            current = plain
            break
    if current:
        lines.append(current)
    return lines


def _render_document(doc: dict, path: Path) -> None:
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=0)
    c.setTitle(doc["title"])
    c.setAuthor(doc["author"])
    c.setSubject(doc["subject"])
    c.setCreator(CREATOR)
    c.setKeywords("docsearch, test corpus, fictitious document" if doc["language"] == "en"
                  else "docsearch, corpus de prueba, documento ficticio")

    pages = doc["pages"]
    total = len(pages)
    bottom_limit = MARGIN_BOTTOM + 1.2 * cm

    for number, blocks in enumerate(pages, start=1):
        # Running header.
        c.setFont(ITALIC_FONT, 8)
        c.drawString(MARGIN_X, PAGE_HEIGHT - MARGIN_TOP + 0.6 * cm, doc["header"])
        c.setLineWidth(0.4)
        c.line(MARGIN_X, PAGE_HEIGHT - MARGIN_TOP + 0.4 * cm,
               PAGE_WIDTH - MARGIN_X, PAGE_HEIGHT - MARGIN_TOP + 0.4 * cm)

        y = PAGE_HEIGHT - MARGIN_TOP - 0.4 * cm
        if number == 1:
            title_lines = _wrap(doc["title"], BOLD_FONT, TITLE_SIZE, TEXT_WIDTH)
            y -= TITLE_SIZE
            y = _draw_lines(c, title_lines, MARGIN_X, y, BOLD_FONT, TITLE_SIZE, TITLE_SIZE * 1.3)
            y -= 0.4 * cm

        for block in blocks:
            if block.startswith("## "):
                y -= 0.25 * cm
                lines = _wrap(block[3:], BOLD_FONT, HEADING_SIZE, TEXT_WIDTH)
                y = _draw_lines(c, lines, MARGIN_X, y, BOLD_FONT, HEADING_SIZE, HEADING_SIZE * 1.3)
                y -= 0.1 * cm
            elif block.startswith("• "):
                lines = _wrap(block[2:], BODY_FONT, BODY_SIZE, TEXT_WIDTH - BULLET_INDENT)
                c.setFont(BODY_FONT, BODY_SIZE)
                c.drawString(MARGIN_X + 2, y, "•")
                y = _draw_lines(c, lines, MARGIN_X + BULLET_INDENT, y, BODY_FONT, BODY_SIZE,
                                BODY_LEADING)
                y -= 0.1 * cm
            else:
                lines = _wrap(block, BODY_FONT, BODY_SIZE, TEXT_WIDTH)
                y = _draw_lines(c, lines, MARGIN_X, y, BODY_FONT, BODY_SIZE, BODY_LEADING)
                y -= 0.2 * cm
            if y < bottom_limit:
                raise ValueError(f"{doc['filename']}: text of page {number} does not fit on one page")

        # Footer with page number.
        c.setLineWidth(0.4)
        c.line(MARGIN_X, MARGIN_BOTTOM, PAGE_WIDTH - MARGIN_X, MARGIN_BOTTOM)
        c.setFont(BODY_FONT, 8.5)
        c.drawCentredString(PAGE_WIDTH / 2, MARGIN_BOTTOM - 0.5 * cm,
                            _page_label(doc["language"], number, total))
        c.showPage()
    c.save()


def generate(out_dir: Path) -> list[Path]:
    """Write the sample PDFs into ``out_dir`` (created if needed); return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for doc in DOCUMENTS:
        path = out_dir / doc["filename"]
        _render_document(doc, path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m samples.corpus OUT_DIR", file=sys.stderr)
        return 2
    for path in generate(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
