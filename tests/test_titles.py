"""A result's title says what the document is: the PDF's title only when it is one, else a heading of page 1
that names the document, else a title built from what was read (table-driven)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.titles import built_title, heading_title, pdf_title
from tests import pdfs


@pytest.mark.parametrize("raw,expected", [
    ("Requerimiento de prisión preventiva", "Requerimiento de prisión preventiva"),
    ("Casación N° 1234-2018/Lima – lavado de activos", "Casación N° 1234-2018/Lima – lavado de activos"),
    ("Microsoft Word - Sentencia 00456-2019 TID.docx", None),
    ("Microsoft Word - SENTENCIA EXP 123-2019 final", None),
    ("SENT_2019_0045_FINAL", None),
    ("sentencia final.pdf", None),
    ("Untitled", None),
    ("Documento1", None),
    ("REPÚBLICA DEL ECUADOR", None),
    ("PODER JUDICIAL DEL PERÚ", None),
    ("", None),
    (None, None),
])
def test_pdf_title_only_when_it_is_one(raw, expected):
    assert pdf_title(raw) == expected


@pytest.mark.parametrize("page,expected", [
    ("REPÚBLICA DEL ECUADOR\nUNIDAD JUDICIAL DE LO PENAL CON SEDE EN EL CANTÓN GUAYAQUIL\nJUEZ PONENTE: Dr. Luis Mora\n"
     "SENTENCIA\nVISTOS: ...", None),
    ("PODER JUDICIAL DEL PERÚ\nCORTE SUPERIOR DE JUSTICIA DE TUMBES\n\"Año del Bicentenario del Perú\"\n"
     "SENTENCIA N° 45-2021-JPCT\nVISTOS: la causa seguida contra ...", "SENTENCIA N° 45-2021-JPCT"),
    ("POLICÍA NACIONAL DEL PERÚ\nDIRECCIÓN ANTIDROGAS\nINFORME POLICIAL N° 087-2021-DIRNIC-PNP/DIVIAC\nASUNTO: ...",
     "INFORME POLICIAL N° 087-2021-DIRNIC-PNP/DIVIAC"),
    ("Manual de técnicas especiales de investigación\nPrimera edición", "Manual de técnicas especiales de investigación"),
    ("S. S.\nSAN MARTÍN CASTRO\nLUJÁN TÚPEZ", None),
    ("INFORME POLICIAL N° 318-2020-DIRANDRO-PNP/DIVINESP. Lima, 2 de marzo de 2020. La organización",
     "INFORME POLICIAL N° 318-2020-DIRANDRO-PNP/DIVINESP"),
    ("SENTENCIA Exp. N° 00456-2019. Callao", "SENTENCIA Exp. N° 00456-2019"),
])
def test_heading_title_names_the_document_not_the_letterhead(page, expected):
    assert heading_title(page) == expected


def test_built_title_from_type_identifier_subject_and_office():
    assert built_title("sentencia", "Expediente 00456-2019-3-2601-JR-PE-01", "tráfico ilícito de drogas",
                       "Juzgado Penal Colegiado") == ("Sentencia · Expediente 00456-2019-3-2601-JR-PE-01 · "
                                                      "tráfico ilícito de drogas · Juzgado Penal Colegiado")
    assert built_title("otro", None, "lavado de activos", "FECOR") is None  # nothing says what it is
    assert built_title("otro", "Oficio 512-2020-MP-FN-FECOR", None, None) == "Oficio 512-2020-MP-FN-FECOR"


HEADED_PAGES = [
    "REPÚBLICA DEL PERÚ\nPODER JUDICIAL\nCORTE SUPERIOR DE JUSTICIA DE TUMBES\nJUEZ PONENTE: Rosa Vega Torres\n"
    "SENTENCIA\nExpediente N° 00456-2019-3-2601-JR-PE-01\n"
    "VISTOS: el proceso seguido contra Juan Carlos Pérez Huamán por el delito de tráfico ilícito de drogas, "
    "por la posesión de clorhidrato de cocaína con fines de comercialización en el puerto de Paita.",
    "REPÚBLICA DEL PERÚ\nPODER JUDICIAL\nCORTE SUPERIOR DE JUSTICIA DE TUMBES\n"
    "CONSIDERANDO: que la droga incautada fue sometida a pericia química; FALLO: condenando al acusado.",
]


def test_a_pdf_titled_by_its_file_name_with_a_letterhead_gets_a_title_that_says_what_it_is(live, tmp_path: Path):
    pdf = pdfs.text_pdf(tmp_path / "SENT_456_2019.pdf", HEADED_PAGES, title="Microsoft Word - SENT 456-2019 final.docx")
    batch = live.wait_batch(live.upload([pdf], collection="casos"))
    assert batch["counts"]["indexed"] == 1, batch
    doc_id = batch["files"][0]["document_id"]
    with live.client() as client:
        doc = client.get(f"/api/documents/{doc_id}").json()
    assert doc["title"].startswith("Sentencia · Expediente 00456-2019-3-2601-JR-PE-01"), doc["title"]
    assert "Microsoft" not in doc["title"] and "REPÚBLICA" not in doc["title"]
