"""PDFs made from text with reportlab: the sample corpus, the tests' fixtures and the benchmarks' corpora.

One page is a list of blocks (paragraphs) laid out by a ``Layout``: margins, fonts, an optional running
header and page-number footer, the title on the first page, ``## `` headings and ``• `` bullets when the
layout has styles for them. Words wrap greedily; a soft hyphen inside a word is a permitted break point.
Pages can also be images only (what a scanner makes: OCR material).

Bytes are reproducible: every canvas is made with ``invariant=1`` (fixed creation date and document id)
and nothing else varies, so document ids (the SHA-256 of the bytes) are stable from run to run for a
given reportlab version. The built-in Helvetica fonts use WinAnsi encoding, which covers Spanish accents,
``ñ``, ``°``, ``¿``/``¡`` and ``«»``: text extraction returns them intact.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas

PAGE_WIDTH, PAGE_HEIGHT = A4
SOFT_HYPHEN = "\u00ad"


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float


@dataclass(frozen=True)
class Layout:
    """Where things go on a page. Vertical positions are measured from the top edge, except
    ``bottom`` and the footer's, measured from the bottom edge."""

    margin: float                       # left and right
    top: float                          # the first line of text
    bottom: float                       # no line of text below this
    body: Style
    gap: float = 0                      # after each paragraph
    title: Style | None = None          # drawn at the top of the first page
    title_drop: float = 0               # lowers the title's first line
    title_gap: float = 0
    heading: Style | None = None        # blocks that start with "## "
    heading_gaps: tuple[float, float] = (0, 0)  # before, after
    bullet_indent: float | None = None  # blocks that start with "• "
    bullet_gap: float = 0
    header: Style | None = None         # the running header
    header_y: float = 0
    header_rule: float | None = None    # a line under it
    footer: Style | None = None         # the page label, centred
    footer_y: float = 0
    footer_rule: float | None = None    # a line above it

    @property
    def width(self) -> float:
        return PAGE_WIDTH - 2 * self.margin


# A plain page of text, as the tests' fixtures draw it: nothing but the body.
PLAIN = Layout(margin=2 * cm, top=2 * cm, bottom=2 * cm, body=Style("Helvetica", 11, 14))


def canvas(target: Path | io.BytesIO, *, title: str | None = None, author: str | None = None,
           subject: str | None = None, keywords: str | None = None, creator: str | None = None,
           compress: bool = True) -> rl_canvas.Canvas:
    """An A4 canvas with ``invariant=1``, so the bytes are reproducible; ``compress=False`` leaves the
    page streams readable (the sample corpus and the relevance corpus are made so)."""
    c = rl_canvas.Canvas(str(target) if isinstance(target, Path) else target, pagesize=A4, invariant=1,
                         pageCompression=None if compress else 0)
    for setter, value in ((c.setTitle, title), (c.setAuthor, author), (c.setSubject, subject),
                          (c.setKeywords, keywords), (c.setCreator, creator)):
        if value is not None:
            setter(value)
    return c


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap; ``\n`` breaks a line; a soft hyphen inside a word is a permitted break point.

    When a word containing soft hyphens does not fit at the end of a line, it is split at the
    rightmost soft hyphen whose prefix (plus a visible ``-``) still fits, and the rest continues on
    the next line. Soft hyphens that are not used as break points are removed. A word wider than
    the line gets a line of its own; an empty line stays (as ``""``).
    """
    lines: list[str] = []

    def fits(candidate: str) -> bool:
        return stringWidth(candidate, font, size) <= width

    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            while True:
                plain = word.replace(SOFT_HYPHEN, "")
                candidate = f"{current} {plain}" if current else plain
                if fits(candidate):
                    current = candidate
                    break
                parts = word.split(SOFT_HYPHEN)
                for k in range(len(parts) - 1, 0, -1):
                    head = "".join(parts[:k]) + "-"
                    candidate = f"{current} {head}" if current else head
                    if fits(candidate):
                        lines.append(candidate)
                        current = ""
                        word = SOFT_HYPHEN.join(parts[k:])
                        break
                else:
                    if current:
                        lines.append(current)
                        current = ""
                        continue
                    current = plain
                    break
        lines.append(current)
    return lines


def page_label(language: str) -> Callable[[int, int], str]:
    """"Página 2 de 5", or "Page 2 of 5" for English."""
    if language == "en":
        return lambda number, total: f"Page {number} of {total}"
    return lambda number, total: f"Página {number} de {total}"


def draw_page(c: rl_canvas.Canvas, blocks: list[str], layout: Layout, *, number: int = 1, total: int = 1,
              title: str | None = None, header: str | None = None,
              label: Callable[[int, int], str] | None = None) -> None:
    """Draw one page and end it. ``title`` is drawn on page 1 only; ``label(number, total)`` in the footer.
    Raises ValueError when the text does not fit (a fixture that overflows would hide text)."""
    if header is not None and layout.header:
        c.setFont(layout.header.font, layout.header.size)
        c.drawString(layout.margin, PAGE_HEIGHT - layout.header_y, header)
        if layout.header_rule is not None:
            c.setLineWidth(0.4)
            c.line(layout.margin, PAGE_HEIGHT - layout.header_rule, PAGE_WIDTH - layout.margin,
                   PAGE_HEIGHT - layout.header_rule)
    y = PAGE_HEIGHT - layout.top

    def lines(text: str, style: Style, x: float, width: float) -> None:
        nonlocal y
        c.setFont(style.font, style.size)
        for line in wrap(text, style.font, style.size, width):
            if y < layout.bottom:
                raise ValueError(f"the text of page {number} does not fit on one page")
            if line:
                c.drawString(x, y, line)  # drawString escapes PDF syntax itself: no markup involved
            y -= style.leading

    if number == 1 and title is not None and layout.title:
        y -= layout.title_drop
        lines(title, layout.title, layout.margin, layout.width)
        y -= layout.title_gap
    for block in blocks:
        if layout.heading and block.startswith("## "):
            y -= layout.heading_gaps[0]
            lines(block[3:], layout.heading, layout.margin, layout.width)
            y -= layout.heading_gaps[1]
        elif layout.bullet_indent is not None and block.startswith("• "):
            c.setFont(layout.body.font, layout.body.size)
            c.drawString(layout.margin + 2, y, "•")
            lines(block[2:], layout.body, layout.margin + layout.bullet_indent, layout.width - layout.bullet_indent)
            y -= layout.bullet_gap
        else:
            lines(block, layout.body, layout.margin, layout.width)
            y -= layout.gap
    if label is not None and layout.footer:
        if layout.footer_rule is not None:
            c.setLineWidth(0.4)
            c.line(layout.margin, layout.footer_rule, PAGE_WIDTH - layout.margin, layout.footer_rule)
        c.setFont(layout.footer.font, layout.footer.size)
        c.drawCentredString(PAGE_WIDTH / 2, layout.footer_y, label(number, total))
    c.showPage()


def render(pages: list[list[str]], layout: Layout = PLAIN, *, title: str | None = None, header: str | None = None,
           label: Callable[[int, int], str] | None = None, compress: bool = True, **info: str) -> bytes:
    """A PDF of ``pages`` (each a list of paragraphs); ``title`` is both the metadata title and, when
    the layout has a title style, drawn on page 1; ``info``: author, subject, keywords, creator."""
    if not pages:
        raise ValueError("a PDF needs at least one page")
    buffer = io.BytesIO()
    c = canvas(buffer, title=title, compress=compress, **info)
    for number, blocks in enumerate(pages, start=1):
        draw_page(c, blocks, layout, number=number, total=len(pages), title=title, header=header, label=label)
    c.save()
    return buffer.getvalue()


def text_pdf(pages: list[str], title: str | None = None, **info: str) -> bytes:
    """One plain page per string; ``\\n`` breaks a line."""
    return render([[text] for text in pages], PLAIN, title=title, **info)


# -- image-only pages ----------------------------------------------------------------------------------
def draw_image_page(c: rl_canvas.Canvas, image) -> None:
    """Draw ``image`` (a PIL image, or a JPEG file object, embedded as it is) over the whole page."""
    c.drawImage(ImageReader(image), 0, 0, width=PAGE_WIDTH, height=PAGE_HEIGHT)


def image_pdf(images: list, **info: str) -> bytes:
    """One page per image, nothing else on it: no text layer, what a scanner makes."""
    buffer = io.BytesIO()
    c = canvas(buffer, **info)
    for image in images:
        draw_image_page(c, image)
        c.showPage()
    c.save()
    return buffer.getvalue()


def text_image(text: str, dpi: int, margin: float = PLAIN.margin):
    """A greyscale PIL image of an A4 page with ``text`` on it (``\\n`` breaks a line), for OCR.

    Drawn with Bitstream Vera (shipped with reportlab) when Pillow has FreeType; otherwise the text
    is drawn with reportlab and the page rasterised with poppler's ``pdftoppm``."""
    from PIL import Image, ImageDraw, ImageFont, features

    if not features.check("freetype2"):
        return _rasterise(text_pdf([text]), dpi)
    import reportlab

    scale = dpi / 72
    font = ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), size=round(14 * scale))
    width, height = round(PAGE_WIDTH * scale), round(PAGE_HEIGHT * scale)
    left, leading = round(margin * scale), round(20 * scale)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    y = left
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if line and font.getlength(candidate) > width - 2 * left:
                draw.text((left, y), line, font=font, fill=0)
                y += leading
                line = word
            else:
                line = candidate
        draw.text((left, y), line, font=font, fill=0)
        y += leading
    return image


def _rasterise(pdf: bytes, dpi: int):
    import shutil
    import subprocess
    import tempfile

    from PIL import Image

    if shutil.which("pdftoppm") is None:
        raise RuntimeError("scanned pages need Pillow with FreeType or poppler-utils (pdftoppm)")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", str(source),
                        str(Path(tmp) / "page")], check=True, capture_output=True, timeout=60)
        with Image.open(Path(tmp) / "page.png") as image:
            return image.copy()


def scanned_pdf(texts: list[str], dpi: int = 150) -> bytes:
    """A PDF of image-only pages, one per text: a scan with no text layer."""
    return image_pdf([text_image(text, dpi) for text in texts])


def register_vera() -> str:
    """Register Bitstream Vera (shipped with reportlab) as an embedded TrueType font, as Word and
    LibreOffice exports embed theirs (a subset with a ToUnicode map); returns its name."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("Vera", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))
    return "Vera"
