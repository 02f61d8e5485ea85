"""The generated sample corpus: reproducible bytes, extractable Spanish (and English) text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from samples.corpus import generate
from samples.pdf import SOFT_HYPHEN
from samples.texts import DOCUMENTS
from nlp.text import clean_page_text

ACCENTED_WORD = re.compile(r"\w*[áéíóúüñÁÉÍÓÚÜÑ]\w*")
STOPWORDS = {
    "es": {"de", "la", "el", "que", "en", "los", "del"},
    "en": {"the", "of", "and", "to", "in", "is", "for"},
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def texts(corpus: list[Path]) -> dict[str, list[str]]:
    """Cleaned text of every page, by file name."""
    return {path.name: [clean_page_text(page.extract_text()) for page in PdfReader(path).pages] for path in corpus}


def _language(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    counts = {lang: sum(word in stop for word in words) for lang, stop in STOPWORDS.items()}
    return max(counts, key=counts.get)


def test_generation_is_byte_for_byte_reproducible(corpus: list[Path], tmp_path: Path) -> None:
    again = generate(tmp_path / "again")
    assert [path.name for path in again] == [path.name for path in corpus]
    for first, second in zip(corpus, again):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_one_pdf_per_document(corpus: list[Path]) -> None:
    assert [path.name for path in corpus] == [doc["filename"] for doc in DOCUMENTS]
    for path in corpus:
        assert path.read_bytes().startswith(b"%PDF-")


def test_languages(texts: dict[str, list[str]]) -> None:
    declared = {doc["filename"]: doc["language"] for doc in DOCUMENTS}
    detected = {name: _language("\n".join(pages)) for name, pages in texts.items()}
    assert detected == declared
    languages = list(detected.values())
    assert languages.count("es") >= 5
    assert languages.count("en") == 1


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[doc["filename"] for doc in DOCUMENTS])
def test_document_extracts_with_accents(doc: dict, texts: dict[str, list[str]]) -> None:
    pages = texts[doc["filename"]]
    assert len(pages) == len(doc["pages"])
    assert all(pages), "every page has text"
    assert ACCENTED_WORD.search("\n".join(pages)), "no accented word extracted"
    # Every accented word of the source text comes back intact on its page (after hyphen joining).
    for number, (page, blocks) in enumerate(zip(pages, doc["pages"]), start=1):
        source = " ".join(blocks).replace(SOFT_HYPHEN, "")
        missing = sorted({word for word in ACCENTED_WORD.findall(source) if word not in page})
        assert not missing, f"page {number} lost {missing}"


@pytest.mark.parametrize("doc", DOCUMENTS, ids=[doc["filename"] for doc in DOCUMENTS])
def test_metadata_and_page_labels(doc: dict, texts: dict[str, list[str]], corpus: list[Path]) -> None:
    path = next(path for path in corpus if path.name == doc["filename"])
    metadata = PdfReader(path).metadata
    assert metadata.title == doc["title"]
    assert metadata.author == doc["author"]
    pages = texts[doc["filename"]]
    label = "Page {} of {}" if doc["language"] == "en" else "Página {} de {}"
    for number, page in enumerate(pages, start=1):
        assert label.format(number, len(pages)) in page
