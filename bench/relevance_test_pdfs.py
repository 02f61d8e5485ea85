"""The held-out test set's documents (``bench/relevance_test/documents/*.md``) read and drawn as PDFs.

Text documents are drawn with ``samples.pdf`` in one of four layouts (plain, dense, memo, slides); text that
does not fit on a page continues on the next. Scanned documents become image-only pages: the text drawn
with Pillow at 200 dpi, turned by a fraction of a degree and speckled, as a scanner makes them, so the
pipeline has to OCR them. Bytes are deterministic (``invariant=1`` canvases, seeds from the key).
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import cm

from samples import pdf

DOCS = Path(__file__).resolve().parent / "relevance_test" / "documents"
PAGE_BREAK = "<!-- page -->"

LAYOUTS = {
    "plain": pdf.Layout(margin=2.2 * cm, top=2.2 * cm, bottom=2.2 * cm, body=pdf.Style("Helvetica", 10.5, 13.5),
                        gap=5, title=pdf.Style("Helvetica-Bold", 12, 15), title_gap=8,
                        heading=pdf.Style("Helvetica-Bold", 11, 14), heading_gaps=(6, 2), bullet_indent=12,
                        bullet_gap=2, footer=pdf.Style("Helvetica", 8, 10), footer_y=1.2 * cm),
    "dense": pdf.Layout(margin=1.6 * cm, top=1.9 * cm, bottom=1.5 * cm, body=pdf.Style("Times-Roman", 9, 10.6),
                        gap=2.5, title=pdf.Style("Times-Bold", 10, 12), title_gap=4,
                        heading=pdf.Style("Times-Bold", 9.5, 11.5), heading_gaps=(3, 1), bullet_indent=10,
                        header=pdf.Style("Times-Italic", 7.5, 9), header_y=1.1 * cm, header_rule=1.3 * cm,
                        footer=pdf.Style("Times-Roman", 7.5, 9), footer_y=0.9 * cm),
    "memo": pdf.Layout(margin=2.5 * cm, top=2.5 * cm, bottom=2.5 * cm, body=pdf.Style("Courier", 10, 13), gap=9,
                       title=pdf.Style("Courier-Bold", 10, 13), title_gap=13),
    "slides": pdf.Layout(margin=2 * cm, top=3 * cm, bottom=2.5 * cm, body=pdf.Style("Helvetica", 13, 18), gap=8,
                         heading=pdf.Style("Helvetica-Bold", 18, 23), heading_gaps=(0, 14), bullet_indent=16,
                         bullet_gap=6, footer=pdf.Style("Helvetica", 9, 11), footer_y=1.2 * cm),
}


@dataclass
class Doc:
    key: str
    title: str
    collection: str
    lang: str
    render: str
    layout: str
    pages: list[list[str]]  # explicit pages (between page breaks), each a list of blocks

    @property
    def words(self) -> int:
        return sum(len(block.split()) for page in self.pages for block in page)


def parse(path: Path) -> Doc:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    meta = dict(line.split(": ", 1) for line in front.strip().splitlines())
    pages = [[b.strip() for b in chunk.strip().split("\n\n") if b.strip()] for chunk in body.split(PAGE_BREAK)]
    return Doc(key=path.stem, title=meta["title"], collection=meta["collection"], lang=meta["lang"],
               render=meta["render"], layout=meta.get("layout", "plain"), pages=[p for p in pages if p])


def load_docs(directory: Path = DOCS) -> list[Doc]:
    return [parse(p) for p in sorted(directory.glob("*.md"))]


# -- text PDFs ---------------------------------------------------------------------------------------------------
def _fits(blocks: list[str], layout: pdf.Layout, title: str | None) -> bool:
    try:
        pdf.draw_page(pdf.canvas(io.BytesIO()), blocks, layout, number=1, title=title)
        return True
    except ValueError:
        return False


def paginate(pages: list[list[str]], layout: pdf.Layout, title: str) -> list[list[str]]:
    """Fill pages greedily; a block too long for what is left of a page is split between words."""
    out: list[list[str]] = []
    for blocks in pages:
        current: list[str] = []
        queue = list(blocks)
        while queue:
            block = queue.pop(0)
            page_title = title if not out else None
            if _fits(current + [block], layout, page_title):
                current.append(block)
                continue
            words = block.split(" ")
            lo, hi = 0, len(words)  # the longest head of the block that still fits
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if _fits(current + [" ".join(words[:mid])], layout, page_title):
                    lo = mid
                else:
                    hi = mid - 1
            if lo == 0 and not current:
                raise ValueError(f"a block does not fit on an empty page: {block[:60]!r}")
            if lo:
                current.append(" ".join(words[:lo]))
            queue.insert(0, " ".join(words[lo:]))
            out.append(current)
            current = []
        if current:
            out.append(current)
    return out


def text_pdf(doc: Doc) -> tuple[bytes, int]:
    layout = LAYOUTS[doc.layout]
    pages = paginate(doc.pages, layout, doc.title)
    data = pdf.render(pages, layout, title=doc.title, header=doc.title if layout.header else None,
                      label=pdf.page_label(doc.lang), author="", creator="docsearch relevance test set")
    return data, len(pages)


# -- scans -------------------------------------------------------------------------------------------------------
DPI = 200


def _scan_lines(blocks: list[str], font, width: int) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        for paragraph in block.split("\n"):
            line = ""
            for word in paragraph.split():
                candidate = f"{line} {word}".strip()
                if line and font.getlength(candidate) > width:
                    lines.append(line)
                    line = word
                else:
                    line = candidate
            lines.append(line)
        lines.append("")
    return lines


def scan_images(doc: Doc) -> list:
    """One greyscale image per scanned page; pages overflow onto the next as needed."""
    import reportlab
    from PIL import Image, ImageDraw, ImageFont

    scale = DPI / 72
    font = ImageFont.truetype(str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"), size=round(10.5 * scale))
    width, height = round(pdf.PAGE_WIDTH * scale), round(pdf.PAGE_HEIGHT * scale)
    margin, leading = round(2 * cm * scale), round(14.5 * scale)
    per_page = (height - 2 * margin) // leading
    seed = int(hashlib.sha256(doc.key.encode()).hexdigest()[:8], 16)
    rng = random.Random(seed)
    images = []
    for blocks in doc.pages:
        lines = _scan_lines(blocks, font, width - 2 * margin)
        for start in range(0, len(lines), per_page):
            image = Image.new("L", (width, height), 255)
            draw = ImageDraw.Draw(image)
            for i, line in enumerate(lines[start:start + per_page]):
                draw.text((margin, margin + i * leading), line, font=font, fill=rng.randint(0, 50))
            for _ in range(width * height // 2500):  # dust and speckle
                draw.point((rng.randrange(width), rng.randrange(height)), fill=rng.randint(60, 160))
            angle = rng.uniform(-0.6, 0.6)
            images.append(image.rotate(angle, resample=Image.BICUBIC, fillcolor=255))
    return images


def scan_pdf(doc: Doc) -> tuple[bytes, int]:
    images = scan_images(doc)
    return pdf.image_pdf(images, creator="scanner"), len(images)


def render(doc: Doc) -> tuple[bytes, int]:
    """The PDF's bytes and its number of pages."""
    return scan_pdf(doc) if doc.render == "scan" else text_pdf(doc)


def write_pdfs(directory: Path, docs: list[Doc] | None = None) -> tuple[list[dict], dict[str, Path]]:
    """Write every document as ``<key>.pdf``; returns the corpus records (key, sha256, collection, pages, …)
    and the paths by key."""
    directory.mkdir(parents=True, exist_ok=True)
    corpus, paths = [], {}
    for doc in docs if docs is not None else load_docs():
        data, n_pages = render(doc)
        path = directory / f"{doc.key}.pdf"
        path.write_bytes(data)
        corpus.append({"key": doc.key, "sha256": hashlib.sha256(data).hexdigest(), "collection": doc.collection,
                       "language": doc.lang, "render": doc.render, "pages": n_pages, "words": doc.words})
        paths[doc.key] = path
    return corpus, paths
