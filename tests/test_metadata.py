"""Document metadata inferred from text (``nlp.metadata``), table-driven."""

from __future__ import annotations

import json

import pytest

from samples.texts import DOCUMENTS
from nlp.gazetteer import find_drugs, find_institutions
from nlp.metadata import DOC_TYPES_FILE, TOPICS_FILE, doc_type_labels, infer_metadata, topic_labels
from nlp.types import Metadata

LABELS = ["sentencia", "auto", "acusación", "requerimiento", "informe policial", "casación", "recurso de nulidad",
          "acuerdo plenario", "material de capacitación", "otro"]

# ---------------------------------------------------------------------------
# First pages written for these tests (fictitious people and numbers)
# ---------------------------------------------------------------------------

SENTENCIA = """CORTE SUPERIOR DE JUSTICIA DE HUÁNUCO
JUZGADO PENAL COLEGIADO SUPRAPROVINCIAL
EXPEDIENTE N° 00456-2018-12-1201-JR-PE-01
ACUSADOS: Juan Carlos Pérez Huamán y otro
DELITO: Promoción o favorecimiento al tráfico ilícito de drogas
AGRAVIADO: El Estado
SENTENCIA N° 34-2020
RESOLUCIÓN NÚMERO DIECIOCHO
Huánuco, doce de marzo de dos mil veinte.
VISTOS Y OÍDOS: en audiencia pública el juicio oral seguido contra Juan Carlos Pérez Huamán y Édgar
Ruiz Soto por el delito de tráfico ilícito de drogas, previsto en el artículo 296 del Código Penal, con la
agravante del artículo 297, inciso 6, en agravio del Estado; y CONSIDERANDO: Primero. Según la acusación
fiscal, el 14 de agosto de 2018, en el kilómetro 12 de la carretera Tingo María–Huánuco, personal de la
DIRANDRO intervino el vehículo de placa B2K-431, en cuyo interior se hallaron 48 paquetes tipo ladrillo con
pasta básica de cocaína, con un peso neto de 52.300 kg, según el dictamen pericial de química forense.
"""

AUTO = """CORTE SUPERIOR NACIONAL DE JUSTICIA PENAL ESPECIALIZADA
PRIMER JUZGADO DE INVESTIGACIÓN PREPARATORIA NACIONAL
EXPEDIENTE: 00035-2019-3-5201-JR-PE-01
AUTO QUE DECLARA FUNDADO EL REQUERIMIENTO DE PRISIÓN PREVENTIVA
RESOLUCIÓN N° 4
Lima, veintiuno de junio de dos mil diecinueve.
AUTOS Y VISTOS: el requerimiento de prisión preventiva formulado por la Fiscalía Supraprovincial
Especializada contra la Criminalidad Organizada contra los integrantes de la organización criminal
«Los Malditos del Puerto», investigados por tráfico ilícito de drogas y lavado de activos; y CONSIDERANDO:
Primero. La prisión preventiva exige fundados y graves elementos de convicción, una prognosis de pena
superior a cinco años y peligro procesal, conforme al artículo 268 del Código Procesal Penal.
"""

ACUSACION = """MINISTERIO PÚBLICO
FISCALÍA PROVINCIAL ESPECIALIZADA EN DELITOS DE TRÁFICO ILÍCITO DE DROGAS DE TUMBES
Carpeta Fiscal N° 2506014500-2019-88-0
REQUERIMIENTO ACUSATORIO
SEÑOR JUEZ DEL JUZGADO DE INVESTIGACIÓN PREPARATORIA DE TUMBES:
La fiscal provincial que suscribe, conforme al artículo 349 del Código Procesal Penal, formula acusación
contra Rosa Quispe Mamani por el delito de tráfico ilícito de drogas en la modalidad de posesión con fines
de comercialización, previsto en el artículo 296 del Código Penal, en agravio del Estado, por haber sido
intervenida en el puesto de control de Aguas Verdes con 3.250 kg de clorhidrato de cocaína adherida al
cuerpo, y solicita que se le imponga quince años de pena privativa de libertad.
"""

REQUERIMIENTO = """FISCALÍA PROVINCIAL TRANSITORIA DE EXTINCIÓN DE DOMINIO DE LIMA
Expediente N° 00012-2021-0-1801-JR-ED-01
Sumilla: Requerimiento de medida cautelar de incautación
SEÑOR JUEZ DEL JUZGADO TRANSITORIO ESPECIALIZADO EN EXTINCIÓN DE DOMINIO DE LIMA:
La fiscal provincial que suscribe, al amparo del Decreto Legislativo N° 1373, sobre extinción de dominio, y de
su reglamento, solicita que se dicte medida cautelar de incautación sobre el inmueble inscrito en la partida
N° 11023456, cuyo origen ilícito se vincula al tráfico ilícito de drogas, por cuanto el requerido no acredita
ingresos lícitos que justifiquen su adquisición y el desbalance patrimonial asciende a S/ 1 480 000.00.
Lima, 3 de febrero de 2021.
"""

INFORME = """POLICÍA NACIONAL DEL PERÚ
DIRECCIÓN NACIONAL DE INVESTIGACIÓN CRIMINAL
DIVISIÓN DE INVESTIGACIÓN DE ALTA COMPLEJIDAD
INFORME N° 045-2018-DIRNIC-PNP/DIVIAC
ASUNTO: Resultado de las diligencias de investigación sobre la organización criminal «Los Injertos del Cono Norte»
REF.: Disposición fiscal N° 3, de la Fiscalía Supraprovincial Especializada contra la Criminalidad Organizada.
I. INFORMACIÓN
Por disposición de la fiscalía de la referencia, personal de esta división realizó las vigilancias, el
seguimiento y el análisis de las comunicaciones interceptadas con autorización judicial de los integrantes
de la organización criminal, dedicada a la extorsión y al sicariato en los distritos de Comas y Carabayllo.
Es todo cuanto se informa.
Lima, 5 de setiembre de 2018.
"""

CASACION = """CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA
SALA PENAL TRANSITORIA
CASACIÓN N.° 1587-2019/LAMBAYEQUE
PONENTE: JUEZ SUPREMO
Título: Prueba indiciaria. Tráfico ilícito de drogas.
Sumilla: La condena por tráfico ilícito de drogas puede sustentarse en prueba indiciaria cuando los indicios
son plurales, concordantes y convergentes, y no han sido desvirtuados por contraindicios consistentes.
Lima, catorce de abril de dos mil veintiuno.
VISTOS: en audiencia pública, el recurso de casación interpuesto por la defensa contra la sentencia de vista
del 20 de mayo de 2019 emitida por la Sala Penal de Apelaciones de la Corte Superior de Justicia de Lambayeque.
"""

RECURSO_NULIDAD = """CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA
PRIMERA SALA PENAL TRANSITORIA
R. N. N° 456-2019/CALLAO
Lima, tres de diciembre de dos mil diecinueve.
VISTOS: el recurso de nulidad interpuesto por el sentenciado contra la sentencia del 12 de febrero de 2019,
emitida por la Sala Penal Liquidadora de la Corte Superior de Justicia del Callao, que lo condenó como autor
del delito de tráfico ilícito de drogas en su forma agravada, por el transporte de 120 kg de clorhidrato de
cocaína en un contenedor con destino al puerto de Valencia.
"""

ACUERDO_PLENARIO = """VI PLENO JURISDICCIONAL DE LAS SALAS PENALES PERMANENTE Y TRANSITORIAS
ACUERDO PLENARIO N° 3-2010/CJ-116
FUNDAMENTO: ARTÍCULO 116° TUO LOPJ
ASUNTO: EL DELITO DE LAVADO DE ACTIVOS
Lima, dieciséis de noviembre de dos mil diez.
Los jueces supremos de lo Penal, integrantes de las Salas Penales Permanente y Transitorias de la Corte
Suprema de Justicia de la República, reunidos en Pleno Jurisdiccional, acordaron dictar el siguiente acuerdo
plenario sobre el delito de lavado de activos, su autonomía, el delito fuente y la prueba indiciaria del
origen ilícito de los activos, en el marco del Decreto Legislativo N° 1106 y de la Ley N° 27765.
"""

MANUAL = """ACADEMIA DE LA MAGISTRATURA
PROGRAMA DE ACTUALIZACIÓN Y PERFECCIONAMIENTO
MANUAL DE INVESTIGACIÓN DEL DELITO DE LAVADO DE ACTIVOS
Lima, 2016
Presentación
El presente manual está dirigido a jueces y fiscales que investigan y juzgan casos de lavado de activos
vinculados al tráfico ilícito de drogas y a la minería ilegal. Estudia la autonomía del delito, la prueba
del origen ilícito, los actos de conversión y transferencia, los actos de ocultamiento y tenencia, el uso de
testaferros y las tipologías más frecuentes, y comenta la sentencia de la Corte Suprema de Justicia que
fijó los indicios del Acuerdo Plenario N° 3-2010/CJ-116 y la Convención de Viena de 1988.
"""

MANUAL_WITH_RULING_HEADING = """MÓDULO 3
La sentencia penal en los casos de tráfico ilícito de drogas
En este módulo los participantes estudiarán la estructura de la sentencia condenatoria, la motivación
de la pena y de la reparación civil y los errores más frecuentes señalados por la Corte Suprema.
SENTENCIA CONDENATORIA: REQUISITOS
La sentencia debe contener la enunciación de los hechos, la valoración de la prueba y la decisión.
Ejercicio 1. Redacte la parte resolutiva de una sentencia por tráfico ilícito de drogas agravado.
"""

MANUAL_BODY_CUES_ONLY = """Introducción
Las organizaciones criminales dedicadas al tráfico ilícito de drogas emplean empresas de fachada y
testaferros para ocultar el origen ilícito de sus ganancias. El presente manual explica cómo detectar
los actos de conversión y transferencia y cómo presentar la prueba indiciaria ante el juez.
LA SENTENCIA Y EL DECOMISO
Al terminar, los participantes deberán resolver el caso práctico de la sección final.
Material de capacitación de la Escuela del Ministerio Público.
"""

ENGLISH_NOTE = """TRAINING MODULE 4
CONTROLLED DELIVERIES AND UNDERCOVER OPERATIONS
United Nations Office on Drugs and Crime – Regional Office for the Andean Region
This module explains how prosecutors and police officers plan a controlled delivery of cocaine
shipments, how undercover officers are authorised and supervised, and how wiretap evidence is kept
admissible. Trainees will work on a case of cocaine hydrochloride concealed in banana containers
leaving the port of Paita. Special investigative techniques must always respect the law of the
requesting and the requested State when a delivery crosses borders.
"""

DISPOSICION = """MINISTERIO PÚBLICO
FISCALÍA DE LA NACIÓN
TERCERA FISCALÍA PROVINCIAL CORPORATIVA ESPECIALIZADA CONTRA LA
CRIMINALIDAD ORGANIZADA DE PIURA
Carpeta Fiscal N° 318-2020
DISPOSICIÓN N° 02 – FORMALIZACIÓN DE LA INVESTIGACIÓN PREPARATORIA
Piura, nueve de marzo de dos mil veinte.
VISTOS: el Informe Policial N° 41-2020-DIRANDRO-PNP/OFICRI y sus anexos; y CONSIDERANDO: que existen indicios
reveladores de la existencia de una organización criminal dedicada al acopio de clorhidrato de cocaína en el
puerto de Paita, se dispone formalizar la investigación preparatoria contra sus integrantes.
"""

AUTO_WITHOUT_AUTO_HEADING = """CORTE SUPERIOR DE JUSTICIA DE PIURA
PRIMER JUZGADO DE INVESTIGACIÓN PREPARATORIA DE PIURA
EXPEDIENTE N° 01422-2020-3-2001-JR-PE-01
RESOLUCIÓN NÚMERO CINCO
Piura, dos de junio de dos mil veinte.
AUTOS Y VISTOS: el requerimiento de incautación formulado por la fiscalía contra la organización criminal
investigada; y CONSIDERANDO: que la medida resulta necesaria para asegurar los bienes del delito.
"""

SENTENCIA_WITH_AUTOS_Y_VISTOS = """JUZGADO PENAL COLEGIADO SUPRAPROVINCIAL DE PIURA
SENTENCIA N° 12-2021
AUTOS Y VISTOS: en audiencia pública, el juicio oral seguido contra el acusado por el delito de tráfico
ilícito de drogas en agravio del Estado. Piura, ocho de abril de dos mil veintiuno.
"""

ENGLISH_CASE_STUDY = """CASE STUDY 3
A Maceration Pit Network in the Upper Huallaga (fictitious)
Background
Coca leaf is macerated in pits with kerosene and sulphuric acid to obtain cocaine base paste. On 3 May 2021
police officers found four pits and 900 litres of kerosene near Uchiza.
Questions for discussion
1. Which controlled chemical inputs should be sampled? 2. How is the chain of custody kept?
"""

ENGLISH_CHECKLIST = """Asset Tracing Checklist for Drug Trafficking Investigations
Step 1. Request bank records and suspicious transaction reports from the Financial Intelligence Unit.
Step 2. Request property records and vehicle registrations.
Step 3. Compare declared income with assets acquired during the period under investigation.
"""

NEWS = """El alcalde inauguró ayer el nuevo parque del distrito, que cuenta con juegos para niños, una
pista de trote y áreas verdes. Los vecinos agradecieron la obra, que demandó seis meses de trabajo.
"""

CASES = [
    # id, pages, title, doc_type, institution, year, topics that must be present (first one first)
    pytest.param([SENTENCIA], None, "sentencia", "Corte Superior de Justicia de Huánuco", 2020,
                 ["tráfico ilícito de drogas"], id="sentencia"),
    pytest.param([AUTO], None, "auto", "Corte Superior Nacional de Justicia Penal Especializada", 2019,
                 ["procedimiento penal"], id="auto"),
    pytest.param([ACUSACION], None, "acusación", "Fiscalía Especializada en Delitos de Tráfico Ilícito de Drogas",
                 2019, ["tráfico ilícito de drogas"], id="acusacion"),
    pytest.param([REQUERIMIENTO], None, "requerimiento", "Fiscalía de Extinción de Dominio", 2021,
                 ["extinción de dominio"], id="requerimiento"),
    pytest.param([INFORME], None, "informe policial", "DIRNIC", 2018, ["crimen organizado"], id="informe-policial"),
    pytest.param([CASACION], None, "casación", "Sala Penal Transitoria", 2021, ["tráfico ilícito de drogas"],
                 id="casacion"),
    pytest.param([RECURSO_NULIDAD], None, "recurso de nulidad", "Sala Penal Transitoria", 2019,
                 ["tráfico ilícito de drogas"], id="recurso-de-nulidad"),
    pytest.param([ACUERDO_PLENARIO], None, "acuerdo plenario", "Corte Suprema de Justicia", 2010,
                 ["lavado de activos"], id="acuerdo-plenario"),
    pytest.param([MANUAL], "Manual de investigación del delito de lavado de activos", "material de capacitación",
                 "Academia de la Magistratura", 2016, ["lavado de activos"], id="manual"),
    pytest.param([MANUAL], None, "material de capacitación", "Academia de la Magistratura", 2016,
                 ["lavado de activos"], id="manual-without-title"),
    pytest.param([MANUAL_WITH_RULING_HEADING], None, "material de capacitación", None, None,
                 ["tráfico ilícito de drogas"], id="module-about-sentencias-is-not-a-sentencia"),
    pytest.param([MANUAL_WITH_RULING_HEADING], "Guía práctica para la redacción de la sentencia penal",
                 "material de capacitación", None, None, [], id="guide-titled-sentencia"),
    pytest.param([MANUAL_BODY_CUES_ONLY], None, "material de capacitación", None, None, ["lavado de activos"],
                 id="manual-by-body-cues-despite-capital-heading"),
    pytest.param([ENGLISH_NOTE], None, "material de capacitación", "UNODC", None,
                 ["técnicas especiales de investigación"], id="english-training-module"),
    pytest.param([DISPOSICION], None, "otro", "FECOR", 2020, ["crimen organizado"], id="disposicion-is-otro"),
    pytest.param([AUTO_WITHOUT_AUTO_HEADING], None, "auto", "Corte Superior de Justicia de Piura", 2020, [],
                 id="auto-by-autos-y-vistos"),
    pytest.param([SENTENCIA_WITH_AUTOS_Y_VISTOS], None, "sentencia", "Juzgado Penal Colegiado", 2021,
                 ["tráfico ilícito de drogas"], id="sentencia-heading-beats-autos-y-vistos"),
    pytest.param([ENGLISH_CASE_STUDY], None, "material de capacitación", None, None, ["insumos químicos"],
                 id="english-case-study"),
    pytest.param([ENGLISH_CHECKLIST], None, "material de capacitación", None, None, ["análisis financiero"],
                 id="english-checklist"),
    pytest.param([NEWS], None, "otro", None, None, [], id="unrelated-text"),
    pytest.param([""], None, "otro", None, None, [], id="empty"),
    pytest.param(["", "", SENTENCIA], None, "sentencia", "Corte Superior de Justicia de Huánuco", 2020,
                 ["tráfico ilícito de drogas"], id="blank-cover-pages"),
    pytest.param([CASACION], "Sentencia del caso Los Malditos del Puerto", "casación", "Sala Penal Transitoria", 2021,
                 [], id="title-sentencia-heading-casacion"),
]


@pytest.mark.parametrize("pages, title, doc_type, institution, year, topics", CASES)
def test_infer_metadata(pages, title, doc_type, institution, year, topics):
    meta = infer_metadata(pages, title=title)
    assert isinstance(meta, Metadata)
    assert (meta.doc_type, meta.institution, meta.year) == (doc_type, institution, year), meta.signals
    assert meta.doc_type in LABELS
    assert set(topics) <= set(meta.topics), meta.signals
    if topics:
        assert meta.topics[0] == topics[0], meta.signals
    assert len(meta.topics) <= 4
    assert set(meta.topics) <= set(topic_labels())
    assert {"doc_type", "institution", "year"} <= set(meta.signals)


def test_unrelated_text_has_no_topics():
    assert infer_metadata([NEWS * 5]).topics == ()


YEAR_CASES = [
    pytest.param("SENTENCIA\nLima, 14 de mayo de 2019.\nVistos los autos.", 2019, id="digits"),
    pytest.param("SENTENCIA\nLima, catorce de mayo de dos mil diecinueve.", 2019, id="words"),
    pytest.param("SENTENCIA\nCusco, treinta y uno de diciembre del año dos mil quince.", 2015, id="words-del-ano"),
    pytest.param("SENTENCIA\nArequipa, 2 de setiembre de 2009.", 2009, id="setiembre"),
    pytest.param("SENTENCIA\nLima, mil novecientos noventa y nueve, 3 de marzo de 1999.", 1999, id="old"),
    pytest.param("SENTENCIA\nLima, 14/05/2016.", 2016, id="numeric-date"),
    pytest.param("SENTENCIA\nLima, 14 de mayo de 2099.\nExpediente N° 123-2017", 2017, id="out-of-range-date-ignored"),
    pytest.param("SENTENCIA\nExpediente N° 123-2017\nlos hechos del 3 de marzo de 2016 y del 5 de enero de 2018",
                 2018, id="latest-date-of-first-page"),
    pytest.param("SENTENCIA\nEl Código Penal de 1991 y la Ley N° 30077.", None, id="no-date"),
    pytest.param("DISPOSICION N* 01\nCarpeta Fiscal N* 12O7-2O20\nChiclayo, l5 de enero de 2O21", 2021, id="ocr-damage"),
]


@pytest.mark.parametrize("text, year", YEAR_CASES)
def test_year(text, year):
    assert infer_metadata([text]).year == year


def test_year_of_training_material_ignores_cited_years():
    text = ("MANUAL DE COOPERACIÓN INTERNACIONAL\nLa Convención de Viena de 1988, la Convención de Palermo del "
            "año 2000 y la Ley N° 30077, publicada el 20 de agosto de 2013, son el marco normativo.")
    assert infer_metadata([text]).year is None


def test_year_from_signing_line_on_last_page():
    pages = ["REQUERIMIENTO DE PRISIÓN PREVENTIVA\nCarpeta Fiscal N° 506-2015", "Hechos…",
             "POR LO EXPUESTO…\nCallao, 27 de octubre de 2017."]
    assert infer_metadata(pages).year == 2017


# Rulings that cite an acuerdo plenario just under their heading, and English training material, as the
# PDF text reads: the letterhead or the title, then the heading and the opening blocks.
RULING_CITING_PLENARY = """CORTE SUPERIOR DE JUSTICIA – JUZGADO PENAL COLEGIADO
Sentencia – Expediente N° 00512-2019-0-JR-PE-02
SENTENCIA
Callao, 11 de marzo de 2020
Investigados: Pedro Ramos Tello y Ana Quispe Rojas, presuntos integrantes de la organización «Los Topos».
En el presente caso se invocan, entre otras normas, Acuerdo Plenario N° 1-2017/SPN, Ley N° 30077.
El delito de organización criminal exige una estructura estable destinada a cometer delitos graves.
"""

CASSATION_CITING_PLENARY = """CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA
Casacion N.° 1642-2018/Juliaca
CASACION N.° 1642-2018/JULIACA
Lima, 22 de julio de 2019
Materia: lavado de activos. Recurrente: Ivan Ponce Diaz.
Normas y precedentes invocados: Acuerdo Plenario N.º 3-2010/CJ-116.
No se requiere una sentencia previa por el delito fuente, como lo preciso el Acuerdo Plenario 3-2010/CJ-116.
"""

RULING_CITING_PLENARY_IN_A_SENTENCE = """SENTENCIA DE VISTA
Piura, 4 de octubre de 2018
Conforme al Acuerdo Plenario N° 3-2010/CJ-116 del VI Pleno Jurisdiccional de las Salas Penales, el delito
de lavado de activos es autónomo y no exige una condena previa por el delito fuente.
"""

PLENARY_HEADING_ON_ONE_LINE = """CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA VI PLENO JURISDICCIONAL DE LAS SALAS PENALES
Acuerdo Plenario N° 3-2010/CJ-116
Lima, dieciséis de noviembre de dos mil diez.
Los jueces supremos acordaron dictar el siguiente acuerdo plenario sobre el delito de lavado de activos.
"""

ENGLISH_CASEBOOK = """Asset Forfeiture: a casebook for prosecutors
ASSET FORFEITURE: A CASEBOOK FOR PROSECUTORS
Lima, February 9, 2016
Asset forfeiture is an autonomous proceeding against assets of illicit origin, independent of any criminal
conviction. Cooperation between prosecutors, the police and the judiciary is essential.
"""

DOC_TYPE_CASES = [
    pytest.param([RULING_CITING_PLENARY], "Sentencia – Expediente N° 00512-2019-0-JR-PE-02", "sentencia",
                 id="sentencia-citing-plenary-with-title"),
    pytest.param([RULING_CITING_PLENARY], None, "sentencia", id="sentencia-citing-plenary"),
    pytest.param([CASSATION_CITING_PLENARY], "Casacion N.° 1642-2018/Juliaca", "casación",
                 id="casacion-citing-plenary-with-title"),
    pytest.param([CASSATION_CITING_PLENARY], None, "casación", id="casacion-citing-plenary"),
    pytest.param([RULING_CITING_PLENARY_IN_A_SENTENCE], None, "sentencia", id="plenary-cited-in-a-sentence"),
    pytest.param([ACUERDO_PLENARIO], None, "acuerdo plenario", id="plenary-heading"),
    pytest.param([PLENARY_HEADING_ON_ONE_LINE], None, "acuerdo plenario", id="plenary-heading-after-capitals"),
    pytest.param([ENGLISH_CASEBOOK], "Asset Forfeiture: a casebook for prosecutors", "material de capacitación",
                 id="english-casebook-with-title"),
    pytest.param([ENGLISH_CASEBOOK], None, "material de capacitación", id="english-casebook"),
]


@pytest.mark.parametrize("pages, title, doc_type", DOC_TYPE_CASES)
def test_doc_type_heading_beats_cited_decisions(pages, title, doc_type):
    meta = infer_metadata(pages, title=title)
    assert meta.doc_type == doc_type, meta.signals


ENGLISH_YEAR_CASES = [
    pytest.param("TRAINING NOTE ON MONEY LAUNDERING\nLima, May 3, 2019\nThis note explains the offence.", 2019,
                 id="place-month-day-year"),
    pytest.param("TRAINING NOTE\nLima, 3 May 2019.\nThis note explains the offence.", 2019, id="place-day-month-year"),
    pytest.param("PRACTITIONER GUIDE\nMay 3, 2019\nThis guide explains the offence.", 2019, id="date-line"),
    pytest.param("PRACTITIONER GUIDE\n3 May 2019\nThis guide explains the offence.", 2019, id="day-month-date-line"),
    pytest.param("CASEBOOK\nLima, the 3rd of September, 2017\nCases for discussion.", 2017, id="ordinal-day"),
    pytest.param("CASEBOOK\nDated: 21 November 2022\nCases for discussion.", 2022, id="dated"),
    pytest.param("TRAINING NOTE\nThe seizure of 3 May 2016 in Paita, and another on June 2, 2017, are the cases.",
                 None, id="dates-in-a-sentence-are-not-the-issuing-date"),
    pytest.param("TRAINING NOTE\nOfficers may 3, 2019 be trained.", None, id="may-is-also-a-verb"),
    pytest.param("TRAINING NOTE\nHowever, on May 3, 2019 the police seized 40 kg of cocaine.", None,
                 id="date-after-a-sentence-opening"),
]


@pytest.mark.parametrize("text, year", ENGLISH_YEAR_CASES)
def test_year_of_english_documents(text, year):
    meta = infer_metadata([text])
    assert meta.year == year, meta.signals


def test_english_signing_line_on_last_page():
    pages = ["INDICTMENT\nThe prosecution charges the accused with drug trafficking.", "Facts…",
             "Respectfully submitted.\nCallao, October 27, 2017."]
    assert infer_metadata(pages).year == 2017


def test_mentions_given_by_the_caller_are_used_for_topics():
    text = AUTO
    mentions = find_institutions(text) + find_drugs(text)
    assert infer_metadata([text], mentions=mentions).topics == infer_metadata([text]).topics


# ---------------------------------------------------------------------------
# The sample corpus: every document gets sensible metadata
# ---------------------------------------------------------------------------

# doc_type, institution, year, the topic(s) that may come first, other topics that must be present
SAMPLE_EXPECTED = {
    "01_requerimiento_prision_preventiva_fecor.pdf":
        ("requerimiento", "FECOR", 2017, ["crimen organizado"], ["tráfico ilícito de drogas"]),
    "02_casacion_1234_2018_lima_lavado_activos.pdf":
        ("casación", "Sala Penal Permanente", 2019, ["lavado de activos"], ["tráfico ilícito de drogas"]),
    "03_manual_tecnicas_especiales_investigacion.pdf":
        ("material de capacitación", None, None, ["técnicas especiales de investigación"], ["crimen organizado"]),
    "04_manual_inteligencia_puertos_aeropuertos.pdf":
        ("material de capacitación", None, None, ["insumos químicos", "inteligencia en puertos y aeropuertos"], []),
    "05_informe_policial_extincion_dominio.pdf":
        ("informe policial", "DIRANDRO", 2020, ["extinción de dominio", "análisis financiero"], []),
    "06_mla_money_laundering_training_note_en.pdf":
        ("material de capacitación", None, None, ["cooperación judicial internacional"], ["lavado de activos"]),
}


def _pages(doc: dict, with_header: bool) -> list[str]:
    """The text of each page as the PDF renders it: running header, the title on page 1, the blocks."""
    pages = []
    for number, blocks in enumerate(doc["pages"], start=1):
        lines = [doc["header"]] if with_header else []
        if number == 1:
            lines.append(doc["title"])
        for block in blocks:
            lines.append(block[3:] if block.startswith("## ") else block[2:] if block.startswith("• ") else block)
        pages.append("\n".join(lines).replace("\u00ad", ""))
    return pages


def test_sample_expectations_cover_the_corpus():
    assert sorted(SAMPLE_EXPECTED) == sorted(doc["filename"] for doc in DOCUMENTS)


@pytest.mark.parametrize("with_title", [True, False], ids=["title", "no-title"])
@pytest.mark.parametrize("with_header", [False, True], ids=["header-removed", "header-kept"])
@pytest.mark.parametrize("doc", DOCUMENTS, ids=[doc["filename"][:2] for doc in DOCUMENTS])
def test_sample_corpus(doc, with_header, with_title):
    doc_type, institution, year, first, others = SAMPLE_EXPECTED[doc["filename"]]
    meta = infer_metadata(_pages(doc, with_header), title=doc["title"] if with_title else None)
    assert (meta.doc_type, meta.institution, meta.year) == (doc_type, institution, year), meta.signals
    assert set(first) | set(others) <= set(meta.topics), meta.signals
    assert meta.topics[0] in first, meta.signals


# ---------------------------------------------------------------------------
# The data files
# ---------------------------------------------------------------------------


def test_doc_type_labels_are_the_agreed_ones():
    assert doc_type_labels() == LABELS
    assert json.loads(DOC_TYPES_FILE.read_text(encoding="utf-8"))["labels"] == LABELS


def test_topics_include_the_training_taxonomy():
    required = {"lavado de activos", "tráfico ilícito de drogas", "crimen organizado", "extinción de dominio",
                "técnicas especiales de investigación", "inteligencia en puertos y aeropuertos", "insumos químicos",
                "cooperación judicial internacional", "derechos humanos y enfoque de género", "análisis financiero",
                "corrupción de funcionarios", "minería ilegal", "trata de personas", "ciberdelincuencia",
                "procedimiento penal"}
    labels = topic_labels()
    assert required <= set(labels)
    assert len(labels) == len(set(labels))
    spec = json.loads(TOPICS_FILE.read_text(encoding="utf-8"))
    for topic in spec["topics"]:
        assert topic["cues"], topic["label"]
        for key in topic.get("entities", {}):
            assert key.split(":", 1)[0] in ("institution", "drug_kind"), key


def test_topic_entity_cues_name_known_institutions():
    from nlp.gazetteer import DRUG_KINDS, institution_kind

    spec = json.loads(TOPICS_FILE.read_text(encoding="utf-8"))
    for topic in spec["topics"]:
        for key in topic.get("entities", {}):
            kind, name = key.split(":", 1)
            if kind == "institution":
                assert institution_kind(name) is not None, key
            else:
                assert name in DRUG_KINDS, key


TITLE_INSTITUTION_CASES = [
    pytest.param("Manual de la DIRANDRO sobre entregas vigiladas", None, id="manual-about-a-unit"),
    pytest.param("UNODC – Manual de entregas vigiladas", "UNODC", id="manual-issued-by"),
]


@pytest.mark.parametrize("title, institution", TITLE_INSTITUTION_CASES)
def test_training_material_institution_only_from_a_letterhead(title, institution):
    meta = infer_metadata(["Presentación\nEste manual explica la técnica de la entrega vigilada."], title=title)
    assert meta.doc_type == "material de capacitación"
    assert meta.institution == institution
