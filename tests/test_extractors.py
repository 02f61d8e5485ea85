"""Extractor choice and PDF extraction on the fixture corpus of :mod:`tests.pdfs` (no services needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from ingestion.errors import REASONS, IngestError
from ingestion.extractors import extractor_for
from ingestion.extractors.pdf import PdfExtractor
from nlp.text import clean_page_text
from tests.pdfs import (
    BIG_FILE_TEXT,
    big_file,
    corrupt_pdf,
    empty_file,
    encrypted_empty_password_pdf,
    encrypted_pdf,
    hyphenated_pdf,
    many_pages_pdf,
    not_a_pdf,
    scanned_pdf,
    text_pdf,
    truncated_pdf,
)

MAX_PAGES = 50
HOSTILE = '<script>alert(1)</script> & "quotes" (paréntesis) \\ barra'
SPANISH = [
    "Requerimiento de prisión preventiva contra el señor Núñez Ibáñez.",
    "¿Procede la medida? ¡Sí! La Fiscalía acreditó el peligro de fuga; año 2019, N° 123-2019.",
    HOSTILE,
]

Build = Callable[[Path], Path]


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(1024)


def _extract(path: Path, max_pages: int = MAX_PAGES):
    return extractor_for(_head(path)).extract(path, max_pages)


# --- files that extract ------------------------------------------------------------------------------

# (builder, expected text of each page, compared word by word)
EXTRACTS = [
    pytest.param(lambda d: text_pdf(d / "es.pdf", SPANISH, title="Requerimiento"), SPANISH, id="text-accents"),
    pytest.param(lambda d: text_pdf(d / "long.pdf", ["Acción penal " * 200]), ["Acción penal " * 200],
                 id="text-wrapped-long-line"),
    pytest.param(lambda d: encrypted_empty_password_pdf(d / "enc0.pdf", pages=SPANISH[:2]), SPANISH[:2],
                 id="encrypted-empty-user-password"),
    pytest.param(lambda d: many_pages_pdf(d / "n.pdf", MAX_PAGES),
                 [f"Página {n} de {MAX_PAGES}" for n in range(1, MAX_PAGES + 1)], id="pages-at-limit"),
    pytest.param(lambda d: scanned_pdf(d / "scan.pdf", "Resolución número cinco: la evidencia es válida."), [""],
                 id="scanned-no-text-layer"),
    pytest.param(lambda d: big_file(d / "big.pdf", 3_000_000), [BIG_FILE_TEXT], id="big-padded-file"),
]


@pytest.mark.parametrize("build, expected", EXTRACTS)
def test_extracts_pages(tmp_path: Path, build: Build, expected: list[str]) -> None:
    path = build(tmp_path)
    assert isinstance(extractor_for(_head(path)), PdfExtractor)
    extracted = _extract(path)
    assert [page.split() for page in extracted.pages] == [page.split() for page in expected]


def test_text_pdf_keeps_accents_markup_and_title(tmp_path: Path) -> None:
    extracted = _extract(text_pdf(tmp_path / "es.pdf", SPANISH, title="Requerimiento de prisión"))
    assert "Núñez Ibáñez" in extracted.pages[0]
    assert "¿Procede la medida? ¡Sí!" in extracted.pages[1]
    assert HOSTILE in extracted.pages[2]  # literal text, never interpreted as markup
    assert extracted.metadata["title"] == "Requerimiento de prisión"


def test_hyphenated_line_break_is_joined_by_cleaning(tmp_path: Path) -> None:
    raw = _extract(hyphenated_pdf(tmp_path / "hyph.pdf")).pages[0]
    assert "eviden-\ncia" in raw and "Lima-\nCallao" in raw  # pypdf keeps the layout's line breaks
    cleaned = clean_page_text(raw)
    assert "evidencia documental" in cleaned
    assert "Lima-\nCallao" in cleaned  # a capitalised continuation is a real compound


# --- files that are rejected -------------------------------------------------------------------------

# (builder, max_pages, reason). Every one of these starts with "%PDF-", so extractor_for picks the
# PDF extractor and the failure comes from extract().
REJECTS = [
    pytest.param(lambda d: encrypted_pdf(d / "enc.pdf"), MAX_PAGES, "encrypted", id="encrypted-aes256"),
    pytest.param(lambda d: encrypted_pdf(d / "enc2.pdf", password="otra clave"), MAX_PAGES, "encrypted",
                 id="encrypted-other-password"),
    # pypdf 6 does not recover a PDF that lost its tail, however little is missing: without "%%EOF" its
    # backwards search for the marker runs off the start of the file (PdfStreamError), even with strict=False.
    pytest.param(lambda d: truncated_pdf(d / "t40.pdf"), MAX_PAGES, "corrupt", id="truncated-40pct"),
    pytest.param(lambda d: truncated_pdf(d / "t10.pdf", fraction=0.1), MAX_PAGES, "corrupt", id="truncated-10pct"),
    pytest.param(lambda d: truncated_pdf(d / "t99.pdf", fraction=0.99), MAX_PAGES, "corrupt", id="truncated-99pct"),
    pytest.param(lambda d: corrupt_pdf(d / "c.pdf"), MAX_PAGES, "corrupt", id="corrupt-random-body"),
    pytest.param(lambda d: corrupt_pdf(d / "c7.pdf", size=100_000, seed=7), MAX_PAGES, "corrupt",
                 id="corrupt-random-body-large"),
    pytest.param(lambda d: many_pages_pdf(d / "many.pdf", 12), 10, "too_many_pages", id="too-many-pages"),
    pytest.param(lambda d: many_pages_pdf(d / "many1.pdf", MAX_PAGES + 1), MAX_PAGES, "too_many_pages",
                 id="one-page-over-limit"),
]


@pytest.mark.parametrize("build, max_pages, reason", REJECTS)
def test_extract_rejects(tmp_path: Path, build: Build, max_pages: int, reason: str) -> None:
    path = build(tmp_path)
    extractor = extractor_for(_head(path))
    assert isinstance(extractor, PdfExtractor)
    with pytest.raises(IngestError) as caught:
        extractor.extract(path, max_pages)
    assert caught.value.reason == reason
    assert reason in REASONS
    assert caught.value.message


def test_too_many_pages_message_names_the_count(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        _extract(many_pages_pdf(tmp_path / "many.pdf", 12), max_pages=10)
    assert "12" in caught.value.message and "10" in caught.value.message


# --- choosing the extractor from the first bytes -----------------------------------------------------

NOT_PDF = [
    pytest.param(lambda d: not_a_pdf(d / "image.pdf", kind="png"), id="png-named-pdf"),
    pytest.param(lambda d: not_a_pdf(d / "notes.pdf", kind="text"), id="text-named-pdf"),
    pytest.param(lambda d: not_a_pdf(d / "page.pdf", kind="html"), id="html-named-pdf"),
    pytest.param(lambda d: empty_file(d / "empty.pdf"), id="empty-file"),
]


@pytest.mark.parametrize("build", NOT_PDF)
def test_extractor_for_rejects_non_pdf_bytes(tmp_path: Path, build: Build) -> None:
    path = build(tmp_path)
    with pytest.raises(IngestError) as caught:
        extractor_for(_head(path))
    assert caught.value.reason == "not_pdf"


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", id="plain-header"),
        pytest.param(b"\xef\xbb\xbf%PDF-1.7\n", id="junk-before-header"),
        pytest.param(b"\x00" * 1000 + b"%PDF-1.4", id="header-within-1024-bytes"),
    ],
)
def test_extractor_for_accepts_pdf_heads(head: bytes) -> None:
    assert isinstance(extractor_for(head), PdfExtractor)


def test_extractor_for_ignores_header_after_1024_bytes() -> None:
    with pytest.raises(IngestError) as caught:
        extractor_for(b"\x00" * 1024 + b"%PDF-1.4")
    assert caught.value.reason == "not_pdf"


def test_empty_file_given_to_pdf_extractor_is_corrupt(tmp_path: Path) -> None:
    # The pipeline rejects empty files earlier (reason "empty_file"); the extractor alone calls them corrupt.
    with pytest.raises(IngestError) as caught:
        PdfExtractor().extract(empty_file(tmp_path / "empty.pdf"), MAX_PAGES)
    assert caught.value.reason == "corrupt"
