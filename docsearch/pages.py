"""A stored PDF's page as it looks: rendered to PNG by pdfium, and where a page view's marked hits lie on it.

The boxes come from the page's text layer (pdfium's per-character boxes), never from OCR text, which has
no positions. They follow the page view exactly: the hits are the ``<mark>`` spans of the page's
highlighted html (:meth:`docsearch.search.reads.ReadService.page`), and the k-th marked occurrence of a
word or phrase in the indexed text is placed on the k-th occurrence of the same words in the text layer
(compared as :func:`nlp.text.fold` keys), so a phrase query marks only the phrase, not every word of it
elsewhere on the page.

Invariants:

* coordinates are relative to the rendered page (0..1 from its top-left corner, the page's own rotation
  and crop box applied, as in the PNG), so the front end scales them to any image width;
* one hit is one ``hit`` number; a phrase wrapped across lines gives one box per line, all with its number;
* a file pdfium cannot open or a page it cannot load is :class:`UnreadablePage`, with pdfium's reason:
  the caller says so instead of failing with a stack.
"""

from __future__ import annotations

import ctypes
import html
import io
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from nlp.text import LOWER, UPPER, fold

DEFAULT_WIDTH = 1000
MIN_WIDTH = 200
MAX_WIDTH = 2000
# A page image holds at most this many pixels, whatever its shape: a 1000 px wide A4 page is 1.4 MP and
# renders and encodes in about 30 ms; a scroll-like page 50 times taller than wide would otherwise be 50 MP.
MAX_PIXELS = 6_000_000
# Device space for pdfium's page-to-device mapping: fine enough that rounding to whole units is < 0.001 %.
_DEVICE = 100_000

_MARK = re.compile(r"(<mark>|</mark>)", re.IGNORECASE)
_WORD = re.compile(r"[\w\u0300-\u036f]+")
# pdfium's text layer marks a hyphen it joined across a line break with U+0002 (U+FFFE in its text API)
# and drops the line break; a hyphen followed by a line break is the other way such a word is cut.
_BREAK = re.compile(r"^(?:[\x02\ufffe\u00ad]|-[ \t]*\r?\n[ \t]*)[ \t]*\r?\n?[ \t]*$")
_LOWER = re.compile(f"[{LOWER}]")
_UPPER = re.compile(f"[{UPPER}]")
_GAP = re.compile(r"^[ \t]+$")


class UnreadablePage(Exception):
    """The stored file (or this page of it) cannot be opened by pdfium; the message says why."""


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    hit: int

    def as_dict(self) -> dict:
        return {"x": self.x, "y": self.y, "w": self.w, "h": self.h, "hit": self.hit}


@dataclass
class PageBoxes:
    """A page's size in PDF points (as displayed: rotation applied) and its hits' boxes."""

    width: float
    height: float
    text_layer: bool
    boxes: list[Box] = field(default_factory=list)

    @property
    def hits(self) -> int:
        return len({box.hit for box in self.boxes})

    def as_dict(self) -> dict:
        return {"width": self.width, "height": self.height, "text_layer": self.text_layer, "hits": self.hits,
                "boxes": [box.as_dict() for box in self.boxes]}


@dataclass(frozen=True)
class PageImage:
    png: bytes
    width: int
    height: int


@contextmanager
def _open_page(path: Path, number: int) -> Iterator[pdfium.PdfPage]:
    """Page ``number`` (from 1) of the PDF at ``path``; IndexError when there is no such page."""
    try:
        document = pdfium.PdfDocument(Path(path), password="")
    except pdfium.PdfiumError as exc:
        raise UnreadablePage(f"The stored PDF cannot be opened for display ({exc}).") from None
    try:
        if not 1 <= number <= len(document):
            raise IndexError(f"the PDF has {len(document)} pages")
        try:
            page = document[number - 1]
        except pdfium.PdfiumError as exc:
            raise UnreadablePage(f"Page {number} of the stored PDF cannot be loaded for display ({exc}).") from None
        yield page
    finally:
        document.close()  # closes the page, its text page and bitmaps with it


def clamp_width(width: int | None) -> int:
    return DEFAULT_WIDTH if width is None else max(MIN_WIDTH, min(MAX_WIDTH, int(width)))


def render_png(path: Path, number: int, width: int | None = None) -> PageImage:
    """Page ``number`` rendered ``width`` pixels wide (bounded; fewer when the page is very tall) as PNG."""
    import PIL.Image  # noqa: F401 - pypdfium2's to_pil needs Pillow (installed with reportlab)

    with _open_page(path, number) as page:
        page_w, page_h = page.get_size()
        if page_w <= 0 or page_h <= 0:
            raise UnreadablePage(f"Page {number} of the stored PDF has no area.")
        scale = clamp_width(width) / page_w
        if page_w * page_h * scale * scale > MAX_PIXELS:
            scale = math.sqrt(MAX_PIXELS / (page_w * page_h))
        bitmap = page.render(scale=scale, may_draw_forms=False)
        image = bitmap.to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return PageImage(out.getvalue(), image.width, image.height)


# -- hits -----------------------------------------------------------------------------------------------
def marked_spans(marked_html: str) -> tuple[str, list[tuple[int, int]]]:
    """The plain text of a page's highlighted html and its marked spans, as the page view shows them:
    marks separated only by spaces or tabs are one hit ("lavado de activos")."""
    text = ""
    spans: list[tuple[int, int]] = []
    inside = False
    for part in _MARK.split(marked_html):
        if part.lower() in ("<mark>", "</mark>"):
            inside = part.lower() == "<mark>"
            continue
        plain = html.unescape(part)
        if inside and plain:
            if spans and _GAP.match(text[spans[-1][1]:]):
                spans[-1] = (spans[-1][0], len(text) + len(plain))
            else:
                spans.append((len(text), len(text) + len(plain)))
        text += plain
    return text, spans


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]


def _layer_words(text: str) -> list[tuple[int, int, str]]:
    """Words of the text layer, a word cut by a hyphen at a line end joined as the indexed text joins it
    (:data:`nlp.text.HYPHEN_BREAK`: within one case; "Lima-" / "Callao" stays two words)."""
    out: list[tuple[int, int, str]] = []
    for start, end, word in _words(text):
        if out:
            p_start, p_end, p_word = out[-1]
            gap = text[p_end:start]
            before, after = text[p_end - 1], text[start]
            if gap and _BREAK.match(gap) and (gap[0] == "\u00ad" or (_LOWER.match(before) and _LOWER.match(after))
                                              or (_UPPER.match(before) and _UPPER.match(after))):
                out[-1] = (p_start, end, p_word + word)
                continue
        out.append((start, end, word))
    return out


def _occurrences(words: list[str], key: tuple[str, ...]) -> list[int]:
    n = len(key)
    return [i for i in range(len(words) - n + 1) if tuple(words[i:i + n]) == key]


def _hits_in_layer(marked_html: str, layer_text: str) -> list[tuple[int, int]]:
    """Char ranges ``[start, end)`` of ``layer_text`` for each marked hit of ``marked_html``, in page order."""
    text, spans = marked_spans(marked_html)
    words = _words(text)
    plain = [w for _, _, w in words]
    layer = _layer_words(layer_text)
    layer_plain = [w for _, _, w in layer]
    found: list[tuple[int, int]] = []
    seen: dict[tuple[str, ...], tuple[list[int], list[int]]] = {}
    for start, end in spans:
        covered = [i for i, (s, e, _) in enumerate(words) if s < end and e > start]
        if not covered:
            continue
        first, last = covered[0], covered[-1]
        key = tuple(plain[first:last + 1])
        if key not in seen:
            seen[key] = (_occurrences(plain, key), _occurrences(layer_plain, key))
        in_text, in_layer = seen[key]
        if not in_layer:
            continue
        k = in_text.index(first) if first in in_text else 0
        # The same count in both: the k-th marked is the k-th in the layer. Otherwise (the layer split or
        # joined a word differently) the nearest by rank.
        at = in_layer[k] if len(in_layer) == len(in_text) else in_layer[min(len(in_layer) - 1,
                                                                          round(k * len(in_layer) / max(1, len(in_text))))]
        found.append((layer[at][0], layer[at + len(key) - 1][1]))
    return sorted(set(found))


def hit_boxes(path: Path, number: int, marked_html: str, *, ocr: bool = False) -> PageBoxes:
    """Where the marked hits of ``marked_html`` (the page view's html of page ``number``) are on the page.

    ``ocr``: the indexed text came from OCR, so it is not the text layer's and cannot be placed; the page is
    reported as having no text layer (there is none worth the name: OCR runs only on such pages)."""
    with _open_page(path, number) as page:
        width, height = page.get_size()
        textpage = page.get_textpage()
        count = textpage.count_chars()
        # One character per index (pdfium's text API may insert or drop characters; this does not).
        layer = "".join(_char(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
        if ocr or not layer.strip():
            return PageBoxes(width, height, text_layer=False)
        boxes: list[Box] = []
        if "<mark>" in marked_html.lower():
            for hit, (start, end) in enumerate(_hits_in_layer(marked_html, layer)):
                boxes.extend(_line_boxes(page, textpage, start, end, hit))
        return PageBoxes(width, height, text_layer=True, boxes=boxes)


def _char(code: int) -> str:
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\x00"


def _line_boxes(page, textpage, start: int, end: int, hit: int) -> list[Box]:
    """The boxes of chars ``start..end-1``, one per line (across, or down the image of a turned page), in
    page-relative units."""
    lines: list[list[float]] = []   # [left, top, right, bottom] in relative units
    turned = page.get_rotation() in (90, 270)   # its lines run down the image
    for index in range(start, end):
        rect = _relative_box(page, textpage, index)
        if rect is None:
            continue
        left, top, right, bottom = rect
        if lines:
            cur = lines[-1]
            # The same line: the char's middle within the box's band (a wrapped line is in another band).
            if (cur[0] <= (left + right) / 2 <= cur[2]) if turned else (cur[1] <= (top + bottom) / 2 <= cur[3]):
                cur[0], cur[1], cur[2], cur[3] = min(cur[0], left), min(cur[1], top), max(cur[2], right), max(cur[3], bottom)
                continue
        lines.append([left, top, right, bottom])
    return [Box(round(x0, 5), round(y0, 5), round(x1 - x0, 5), round(y1 - y0, 5), hit)
            for x0, y0, x1, y1 in (_clip(line) for line in lines) if x1 > x0 and y1 > y0]


def _relative_box(page, textpage, index: int) -> tuple[float, float, float, float] | None:
    try:
        left, bottom, right, top = textpage.get_charbox(index, loose=True)
    except pdfium.PdfiumError:
        return None
    if right <= left or top <= bottom:
        return None
    corners = [_to_device(page, x, y) for x, y in ((left, bottom), (right, top))]
    xs = [x for x, _ in corners]
    ys = [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _to_device(page, x: float, y: float) -> tuple[float, float]:
    dx, dy = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDF_PageToDevice(page, 0, 0, _DEVICE, _DEVICE, 0, x, y, dx, dy)
    return dx.value / _DEVICE, dy.value / _DEVICE


def _clip(line: list[float]) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (min(1.0, max(0.0, v)) for v in line)
    return x0, y0, x1, y1
