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
    MIXED_TEXT,
    big_file,
    blank_pdf,
    broken_page_pdf,
    broken_xref_pdf,
    corrupt_pdf,
    empty_file,
    encrypted_empty_password_pdf,
    encrypted_pdf,
    hyphenated_pdf,
    many_pages_pdf,
    missing_eof_pdf,
    mixed_pdf,
    no_pages_pdf,
    no_root_pdf,
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

# (builder, expected text of each page compared word by word, parser that gave it, pages to OCR)
EXTRACTS = [
    pytest.param(lambda d: text_pdf(d / "es.pdf", SPANISH, title="Requerimiento"), SPANISH, "pdfium", [],
                 id="text-accents"),
    pytest.param(lambda d: text_pdf(d / "long.pdf", ["Acción penal " * 200]), ["Acción penal " * 200], "pdfium", [],
                 id="text-wrapped-long-line"),
    pytest.param(lambda d: encrypted_empty_password_pdf(d / "enc0.pdf", pages=SPANISH[:2]), SPANISH[:2], "pdfium", [],
                 id="encrypted-empty-user-password"),
    pytest.param(lambda d: many_pages_pdf(d / "n.pdf", MAX_PAGES),
                 [f"Página {n} de {MAX_PAGES}" for n in range(1, MAX_PAGES + 1)], "pdfium", [], id="pages-at-limit"),
    pytest.param(lambda d: scanned_pdf(d / "scan.pdf", "Resolución número cinco: la evidencia es válida."), [""],
                 "pdfium", [0], id="scanned-no-text-layer"),
    pytest.param(lambda d: scanned_pdf(d / "white.pdf", ""), [""], "pdfium", [0], id="scanned-white-page"),
    pytest.param(lambda d: blank_pdf(d / "blank.pdf", 2), ["", ""], "pdfium", [], id="blank-pages-not-ocr"),
    pytest.param(lambda d: big_file(d / "big.pdf", 3_000_000), [BIG_FILE_TEXT], "pdfium", [], id="big-padded-file"),
    # Damaged files one parser or both recover (see tests/pdfs.py for what each parser does).
    pytest.param(lambda d: broken_xref_pdf(d / "xref.pdf", SPANISH), SPANISH, "pdfium", [], id="broken-xref"),
    pytest.param(lambda d: missing_eof_pdf(d / "eof.pdf", SPANISH), SPANISH, "pdfium", [],
                 id="missing-eof-pypdf-fails-pdfium-reads"),
    pytest.param(lambda d: no_root_pdf(d / "root.pdf", SPANISH), SPANISH, "pypdf", [],
                 id="no-root-pdfium-fails-pypdf-reads"),
]


@pytest.mark.parametrize("build, expected, parser, needs_ocr", EXTRACTS)
def test_extracts_pages(tmp_path: Path, build: Build, expected: list[str], parser: str, needs_ocr: list[int]) -> None:
    path = build(tmp_path)
    assert isinstance(extractor_for(_head(path)), PdfExtractor)
    extracted = _extract(path)
    assert [page.split() for page in extracted.pages] == [page.split() for page in expected]
    assert extracted.parser == parser
    assert extracted.needs_ocr == needs_ocr
    assert extracted.page_count == len(expected)


def test_needs_ocr_only_for_image_pages_without_text(tmp_path: Path) -> None:
    # 0 text; 1 scan with a page number as its only text; 2 blank; 3 text and a logo image.
    extracted = _extract(mixed_pdf(tmp_path / "mixed.pdf"))
    assert extracted.page_count == 4
    assert extracted.needs_ocr == [1]
    assert extracted.pages[1].split() == ["Pág.", "2"]
    assert extracted.pages[0].split() == extracted.pages[3].split() == MIXED_TEXT.split()
    assert extracted.pages[2] == ""


def test_metadata_comes_from_pdfium_when_pypdf_cannot_open(tmp_path: Path) -> None:
    extracted = _extract(missing_eof_pdf(tmp_path / "eof.pdf", SPANISH, title="Acta de incautación"))
    assert extracted.parser == "pdfium"
    assert extracted.metadata["title"] == "Acta de incautación"
    assert extracted.metadata["producer"].startswith("ReportLab")


def test_metadata_and_text_from_pypdf_when_pdfium_cannot_open(tmp_path: Path) -> None:
    extracted = _extract(no_root_pdf(tmp_path / "root.pdf", SPANISH, title="Sin raíz"))
    assert extracted.parser == "pypdf"
    assert extracted.metadata["title"] == "Sin raíz"
    assert "Núñez Ibáñez" in extracted.pages[0]


def test_one_broken_page_keeps_the_others(tmp_path: Path) -> None:
    # pdfium fails to load page 2; pypdf skips it and counts 2 pages, so it cannot stand in for it.
    pages = ["Primera página íntegra", "Segunda", "Tercera página íntegra"]
    path = broken_page_pdf(tmp_path / "page.pdf", pages, broken=1)
    extracted = _extract(path)
    assert extracted.parser == "pdfium"
    assert extracted.pages == ["Primera página íntegra", "", "Tercera página íntegra"]
    assert extracted.needs_ocr == []


def test_pdfium_objects_are_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Long-running workers: documents, pages and textpages are closed when extract() returns, not left to
    # the garbage collector. Keeping references here stops the collector from closing them itself.
    import pypdfium2 as pdfium

    opened: list = []

    class Tracked(pdfium.PdfDocument):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            opened.append(self)

        def __getitem__(self, index):
            page = super().__getitem__(index)
            opened.append(page)
            get_textpage = page.get_textpage

            def tracked_textpage():
                textpage = get_textpage()
                opened.append(textpage)
                return textpage

            page.get_textpage = tracked_textpage
            return page

    monkeypatch.setattr("ingestion.extractors.pdf.pdfium.PdfDocument", Tracked)
    _extract(mixed_pdf(tmp_path / "mixed.pdf"))
    assert len(opened) == 1 + 4 + 4
    assert all(obj.raw is None for obj in opened)


def test_text_pdf_keeps_accents_markup_and_title(tmp_path: Path) -> None:
    extracted = _extract(text_pdf(tmp_path / "es.pdf", SPANISH, title="Requerimiento de prisión"))
    assert "Núñez Ibáñez" in extracted.pages[0]
    assert "¿Procede la medida? ¡Sí!" in extracted.pages[1]
    assert HOSTILE in extracted.pages[2]  # literal text, never interpreted as markup
    assert extracted.metadata["title"] == "Requerimiento de prisión"


def test_hyphenated_line_break_is_joined_by_cleaning(tmp_path: Path) -> None:
    raw = _extract(hyphenated_pdf(tmp_path / "hyph.pdf")).pages[0]
    # pdfium joins "eviden-" / "cia" into "eviden\ufffecia"; the extractor puts back the hyphen and the line
    # break (the shape pypdf gives), so the cleaner alone decides what to join.
    assert "eviden-\ncia" in raw and "Lima-\nCallao" in raw
    assert "\ufffe" not in raw and "\r" not in raw
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
    # pdfium reads a file that lost only "%%EOF" (missing_eof_pdf above) but not these: "Data format error".
    pytest.param(lambda d: truncated_pdf(d / "t40.pdf"), MAX_PAGES, "corrupt", id="truncated-40pct"),
    pytest.param(lambda d: truncated_pdf(d / "t10.pdf", fraction=0.1), MAX_PAGES, "corrupt", id="truncated-10pct"),
    pytest.param(lambda d: truncated_pdf(d / "t99.pdf", fraction=0.99), MAX_PAGES, "corrupt", id="truncated-99pct"),
    pytest.param(lambda d: corrupt_pdf(d / "c.pdf"), MAX_PAGES, "corrupt", id="corrupt-random-body"),
    pytest.param(lambda d: no_pages_pdf(d / "none.pdf"), MAX_PAGES, "corrupt", id="no-pages"),
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


def test_corrupt_message_names_both_parsers(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        _extract(truncated_pdf(tmp_path / "t.pdf"))
    assert caught.value.reason == "corrupt"
    assert "pypdf:" in caught.value.message and "pdfium:" in caught.value.message


def test_no_pages_message(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        _extract(no_pages_pdf(tmp_path / "none.pdf"))
    assert caught.value.message == "The PDF has no pages."


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


# --- the entity finders on the failure kinds of real documents (nlp/organizations.py, nlp/persons.py) ---------

# (text, what the organisation and operation finders read in it)
ORGANISATIONS = [
    pytest.param("la facción Los Piratas de Paita siguió la carga", [("criminal_org", "Los Piratas de Paita")],
                 id="faccion-bare"),
    pytest.param("integraban la organización Los Rompemuros de Chimbote, que robaba",
                 [("criminal_org", "Los Rompemuros de Chimbote")], id="organizacion-bare"),
    pytest.param("la colaboración de un exintegrante del cártel de los Tiburones", [("criminal_org", "Los Tiburones")],
                 id="cartel-de-los"),
    pytest.param("identificar al Cártel de Cali como proveedor", [("criminal_org", "Cártel de Cali")], id="cartel-place"),
    pytest.param("answer to the Cartel de Sinaloa and to the Clan del Golfo",
                 [("criminal_org", "Cártel de Sinaloa"), ("criminal_org", "Clan del Golfo")], id="cartel-clan-place"),
    pytest.param("con la banda de «Los Tucos».", [("criminal_org", "Los Tucos")], id="banda-de-quoted"),
    pytest.param("dismantled the Los Lobos de Chancay gang, which laundered", [("criminal_org", "Los Lobos de Chancay")],
                 id="english-head-after"),
    pytest.param("the criminal organisation known as Los Hijos del Sol, which shipped",
                 [("criminal_org", "Los Hijos del Sol")], id="english-known-as"),
    pytest.param("la banda criminal\nLos Malditos de Jicamarca, dedicada", [("criminal_org", "Los Malditos de Jicamarca")],
                 id="name-on-the-next-line"),
    pytest.param("gerente general de Inmobiliaria y Constructora Brisas\ndel Pacífico S.A.C.\n- Ruth",
                 [("org", "Inmobiliaria y Constructora Brisas del Pacífico S.A.C.")], id="company-wraps-before-del"),
    pytest.param("b) Agroindustrias San Miguel de\nPiura S.A.C., titular",
                 [("org", "Agroindustrias San Miguel de Piura S.A.C.")], id="company-wraps-after-de"),
    pytest.param("EMPRESAS VINCULADAS\nTransportes Norte S.A.C.", [("org", "Transportes Norte S.A.C.")],
                 id="company-not-joined-to-a-heading"),
    pytest.param("a favor del Consorcio Vial Santa Rosa y de Constructora e Inmobiliaria Los Andes del Norte S.A.C.",
                 [("org", "Consorcio Vial Santa Rosa"), ("org", "Constructora e Inmobiliaria Los Andes del Norte S.A.C.")],
                 id="company-list-and-consortium"),
    pytest.param("en el marco del operativo denominado «Frontera Blanca».", [("operation", "Operación Frontera Blanca")],
                 id="operativo-denominado"),
    pytest.param("ejecutó la operación denominada «Raíces Profundas», que", [("operation", "Operación Raíces Profundas")],
                 id="operacion-denominada"),
    pytest.param("la organización de las Naciones Unidas", [], id="not-an-organisation-of"),
    pytest.param("su gerente pertenece a «los Cuatreros de Ocucaje». No se aporta",
                 [("criminal_org", "Los Cuatreros de Ocucaje")], id="quoted-band-without-cue"),
    pytest.param("Caso \"Los Injertos del Cono\" (extorsión)", [("criminal_org", "Los Injertos del Cono")],
                 id="quoted-band-as-a-case-name"),
    pytest.param("en la Operación «Los Cuellos Blancos del Puerto» se usó",
                 [("operation", "Operación Los Cuellos Blancos del Puerto")], id="quoted-operation-not-a-band"),
    pytest.param("vivía en el distrito «Los Olivos de Pro», a dos cuadras", [], id="quoted-place-not-a-band"),
    pytest.param("conocido como «Los Gemelos», fue", [], id="quoted-short-name-not-a-band"),
    pytest.param("la empresa «Los Andes del Sur», que exporta", [], id="quoted-company-not-a-band"),
]


@pytest.mark.parametrize(("text", "expected"), ORGANISATIONS)
def test_organisations_as_real_documents_write_them(text: str, expected: list[tuple[str, str]]) -> None:
    from nlp.extract import merge
    from nlp.organizations import find_operations, find_organizations

    found = merge(find_organizations(text) + find_operations(text), [])
    assert sorted((m.type, m.canonical) for m in found) == sorted(expected)


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("El Código Penal sanciona el tráfico. El artículo 296 fija la pena; los artículos 297 y 298 la agravan.",
                 ["Código Penal", "Código Penal art. 296", "Código Penal art. 297", "Código Penal art. 298"],
                 id="after-the-code"),
    pytest.param("conforme al artículo 268 del Código Procesal Penal y al artículo 269 del mismo cuerpo legal",
                 ["Código Procesal Penal art. 268", "Código Procesal Penal art. 269"], id="del-mismo-cuerpo-legal"),
    pytest.param("el artículo 296 del Código Penal y el artículo 2 de la Ley N° 30077",
                 ["Código Penal art. 296", "Ley 30077"], id="an-article-of-the-law-after-it"),
    pytest.param("el artículo 10 del D. Leg. 1106; el artículo 3 dice", ["Decreto Legislativo 1106"],
                 id="after-another-instrument"),
    pytest.param("el Código Penal.\n\nII. HECHOS\n\nEl artículo 3 del reglamento", ["Código Penal"],
                 id="another-paragraph"),
    pytest.param("el artículo 340 dice", [], id="no-code-before"),
    pytest.param("la Recomendación 10 del GAFI y las Recomendaciones N° 20 y 21 del GAFI",
                 ["Recomendación 10 del GAFI", "Recomendación 20 del GAFI", "Recomendación 21 del GAFI"], id="fatf"),
])
def test_articles_cited_without_their_code_belong_to_the_code_named_before(text, expected):
    from nlp.extract import analyse

    found = analyse([text], metadata=False, statistical=False).pages[0]
    assert [m.canonical for m in found if m.type == "law"] == expected


def test_a_band_named_once_by_its_cue_is_found_where_it_is_written_again():
    from nlp.extract import analyse

    pages = ["La organización criminal «Los Rápidos del Huallaga» acopiaba la droga.",
             "Según el colaborador, Los Rápidos del Huallaga pagaban a los transportistas."]
    found = analyse(pages, metadata=False, statistical=False).pages
    assert [[m.canonical for m in page if m.type == "criminal_org"] for page in found] == [
        ["Los Rápidos del Huallaga"], ["Los Rápidos del Huallaga"]]


# (text, the persons read in it, after the partial names took their full ones)
PERSONS = [
    pytest.param("Atentamente,\n\nCARLOS ALBERTO\nRODRIGUEZ PALACIOS\nFiscal Provincial\n",
                 ["Carlos Alberto Rodriguez Palacios"], id="signature-over-two-lines"),
    pytest.param("Trujillo, 12 de mayo de 2023.\n\nFranklin Edgar\nVásquez Pretel\nMayor PNP – Jefe DEPINCRI\n",
                 ["Franklin Edgar Vásquez Pretel"], id="signature-over-two-lines-title-case"),
    pytest.param("RESUELVE: CONFIRMAR.\n\nS. S.\n\nJorge Luis Cárdenas Alvarado\nPresidente\n\nMariella Yanet Zúñiga Tello\n\n"
                 "Pedro Pablo Tarazona Leandro\n",
                 ["Jorge Luis Cárdenas Alvarado", "Mariella Yanet Zúñiga Tello", "Pedro Pablo Tarazona Leandro"],
                 id="bench-with-blank-lines-and-roles"),
    pytest.param("FIJANDO la reparación civil.\n\nS. S.\n\nVÍLCHEZ ARRUNÁTEGUI\n\nCarmen Rosa Távara Peña",
                 ["Vílchez Arrunátegui", "Carmen Rosa Távara Peña"], id="pena-is-a-word-peña-a-surname"),
    pytest.param("Perito Químico Forense\nMayor PNP Giovanna Isabel Rázuri Calle\n",
                 ["Giovanna Isabel Rázuri Calle"], id="surname-that-is-a-street-word"),
    pytest.param("Docente: Magíster Ana Cecilia Villanueva Rosales\n", ["Ana Cecilia Villanueva Rosales"],
                 id="academic-title"),
    pytest.param("From: Special Agent Daniel P. Whitaker\nDate: 11 July 2022\n", ["Daniel P. Whitaker"],
                 id="middle-initial-and-the-next-line-label"),
    pytest.param("- ABELARDO RAMIREZ TUCTO (a) \"Cachaco\", DNI 22987145.\n- Clever Huaman Espiritu, DNI 41120983.\n",
                 ["Abelardo Ramirez Tucto", "Cachaco", "Clever Huaman Espiritu"], id="alias-a-and-name-before-dni"),
    pytest.param("el recurso interpuesto por la defensa de Wilder Augusto Cárdenas Lima contra la resolución",
                 ["Wilder Augusto Cárdenas Lima"], id="defensa-de-and-a-surname-that-is-a-place"),
    pytest.param("The defendants Rubén Darío Quispe Taipe and Mónica Lizeth Salvatierra Ochoa were convicted.",
                 ["Rubén Darío Quispe Taipe", "Mónica Lizeth Salvatierra Ochoa"], id="english-defendants-list"),
    pytest.param("Facilitator: Prosecutor Ricardo Alonso Benites Cueva.\nQuestions to Ricardo Benites.",
                 ["Ricardo Alonso Benites Cueva"], id="first-name-and-surname-is-the-full-name"),
    pytest.param("Primero. Tipicidad Objetiva\nLa denunciante afirma.\n\nSalud Pública\nLos hechos afectarían.", [],
                 id="headings-are-not-persons"),
    pytest.param("REQUERIMIENTO DE INCAUTACIÓN Y EMBARGO\n\nSeñor Juez:", [], id="document-title-is-not-a-person"),
]


@pytest.mark.parametrize(("text", "expected"), PERSONS)
def test_persons_as_real_documents_write_them(text: str, expected: list[str]) -> None:
    from nlp.extract import analyse

    language = "en" if any(w in text for w in ("From:", "The ", "Facilitator")) else "es"
    pages = analyse([clean_page_text(text)], metadata=False, language=language).pages
    assert sorted({m.canonical for page in pages for m in page if m.type == "per"}) == sorted(expected)
