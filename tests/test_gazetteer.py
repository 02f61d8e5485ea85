"""Institution and drug gazetteer (``nlp.gazetteer``), table-driven."""

from __future__ import annotations

import json

import pytest

from nlp.folding import ocr_repair
from nlp.gazetteer import (
    DRUGS_FILE,
    INSTITUTION_KINDS,
    INSTITUTIONS_FILE,
    DRUG_KINDS,
    canonical_institution,
    drug_kind,
    drugs,
    find_drugs,
    find_institutions,
    institution_kind,
    institutions,
)
from nlp.types import ENTITY_TYPES
from tests.tables import assert_spans


def found(mentions):
    return [(m.canonical, m.surface) for m in mentions]


INSTITUTION_CASES = [
    # the forms of docs/entities.md
    pytest.param("la Dirección Antidrogas de la PNP intervino", [("DIRANDRO", "Dirección Antidrogas de la PNP")],
                 id="dirandro-long-form-pnp"),
    pytest.param("el parte de la DIRANDRO-PNP", [("DIRANDRO", "DIRANDRO-PNP")], id="dirandro-hyphen-pnp"),
    pytest.param("Informe N° 215-2017-DIRANDRO-PNP/DIVILA", [("DIRANDRO", "DIRANDRO-PNP"), ("DIVILA", "DIVILA")],
                 id="units-inside-a-document-number"),
    pytest.param("personal de la Dirandro", [("DIRANDRO", "Dirandro")], id="long-acronym-title-case"),
    pytest.param("la Dirección Antidrogas de la Policía Nacional del Perú (DIRANDRO), que daba cuenta",
                 [("DIRANDRO", "Dirección Antidrogas de la Policía Nacional del Perú (DIRANDRO)")],
                 id="name-and-own-acronym-merged"),
    pytest.param("la Unidad de Inteligencia Financiera del Perú (UIF-Perú) de la "
                 "Superintendencia de Banca, Seguros y AFP",
                 [("UIF-Perú", "Unidad de Inteligencia Financiera del Perú (UIF-Perú)"),
                  ("SBS", "Superintendencia de Banca, Seguros y AFP")], id="uif-and-sbs"),
    pytest.param("según la UIF Perú y la UIF - Perú", [("UIF-Perú", "UIF Perú"), ("UIF-Perú", "UIF - Perú")],
                 id="hyphen-variants"),
    pytest.param("la Sala Penal Permanente de la Corte Suprema de Justicia de la República",
                 [("Sala Penal Permanente", "Sala Penal Permanente de la Corte Suprema de Justicia de la República")],
                 id="chamber-of-the-supreme-court-is-one-mention"),
    pytest.param("CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA", [("Corte Suprema de Justicia",
                 "CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA")], id="capitals"),
    pytest.param("corte suprema de\njusticia de la republica", [("Corte Suprema de Justicia",
                 "corte suprema de\njusticia de la republica")], id="lowercase-no-accents-line-break"),
    pytest.param("Primera Sala Penal de Apelaciones de la Corte Superior de Justicia de Lima",
                 [("Sala Penal de Apelaciones", "Sala Penal de Apelaciones"),
                  ("Corte Superior de Justicia de Lima", "Corte Superior de Justicia de Lima")], id="appeals-chamber"),
    pytest.param("la Corte Superior de Justicia de Lima Norte y la Corte Superior de Lima",
                 [("Corte Superior de Justicia de Lima Norte", "Corte Superior de Justicia de Lima Norte"),
                  ("Corte Superior de Justicia de Lima", "Corte Superior de Lima")], id="longest-district-wins"),
    pytest.param("la Corte Superior de Justicia del Santa", [("Corte Superior de Justicia del Santa",
                 "Corte Superior de Justicia del Santa")], id="del-santa"),
    pytest.param("MINISTERIO PÚBLICO – FISCALÍA DE LA NACIÓN", [("Ministerio Público", "MINISTERIO PÚBLICO"),
                 ("Fiscalía de la Nación", "FISCALÍA DE LA NACIÓN")], id="letterhead-gives-both-bodies"),
    pytest.param("la Corte Superior de Justicia del Callao", [("Corte Superior de Justicia del Callao",
                 "Corte Superior de Justicia del Callao")], id="del-callao"),
    pytest.param("In R.N. 456-2019/Callao, the Supreme Court (Permanent Criminal Chamber) acquitted",
                 [("Corte Suprema de Justicia", "Supreme Court"), ("Sala Penal Permanente", "Permanent Criminal Chamber")],
                 id="english-chamber"),
    pytest.param("la SUNARP y el RENIEC", [("Superintendencia Nacional de los Registros Públicos", "SUNARP"),
                 ("Registro Nacional de Identificación y Estado Civil", "RENIEC")], id="acronyms-expanded"),
    # OCR damage: digits for letters, hyphenated line ends, l for I in capitals
    pytest.param("el Informe N? 009-2021-DI-\nRANDRO-PNP y la Procuraduria Pública Especia-\nlizada en Delitos de "
                 "Tráfico Ilícito de Drogas",
                 [("DIRANDRO", "DI-\nRANDRO-PNP"), ("Procuraduría Pública Especializada en Delitos de Tráfico Ilícito "
                  "de Drogas", "Procuraduria Pública Especia-\nlizada en Delitos de Tráfico Ilícito de Drogas")],
                 id="ocr-hyphenation"),
    pytest.param("INFORME N* 245-2021-DlRANDRO-PNP", [("DIRANDRO", "DlRANDRO-PNP")], id="ocr-l-for-I"),
    pytest.param("la Corte Superior de Justicia de Lima-\nCallao", [("Corte Superior de Justicia de Lima",
                 "Corte Superior de Justicia de Lima")], id="compound-across-lines-is-not-joined"),
    pytest.param("La Segunda Fiscalía Supraprovincial Corporativa Especializada contra la Criminalidad "
                 "Organizada (FECOR), con",
                 [("FECOR", "Fiscalía Supraprovincial Corporativa Especializada contra la Criminalidad "
                            "Organizada (FECOR)")],
                 id="fecor-long-form"),
    pytest.param("FISCALÍA PROVINCIAL ESPECIALIZADA EN DELITOS DE TRÁFICO ILÍCITO DE DROGAS DE TUMBES",
                 [("Fiscalía Especializada en Delitos de Tráfico Ilícito de Drogas",
                   "FISCALÍA PROVINCIAL ESPECIALIZADA EN DELITOS DE TRÁFICO ILÍCITO DE DROGAS")], id="fetid"),
    pytest.param("la Fiscalía Provincial Transitoria de Extinción de Dominio de Lima",
                 [("Fiscalía de Extinción de Dominio", "Fiscalía Provincial Transitoria de Extinción de Dominio")],
                 id="extincion-beats-provincial"),
    pytest.param("la Fiscalía Provincial Penal Corporativa de Tingo María",
                 [("Fiscalía Provincial Penal", "Fiscalía Provincial Penal Corporativa")], id="provincial"),
    pytest.param("el TERCER JUZGADO DE INVESTIGACIÓN PREPARATORIA NACIONAL",
                 [("Juzgado de Investigación Preparatoria", "JUZGADO DE INVESTIGACIÓN PREPARATORIA NACIONAL")],
                 id="juzgado"),
    pytest.param("la Superintendencia Nacional de Aduanas y de Administración Tributaria (SUNAT), intervino",
                 [("SUNAT", "Superintendencia Nacional de Aduanas y de Administración Tributaria (SUNAT)")],
                 id="sunat"),
    pytest.param("la SUNAT-Aduanas y SUNAT Aduanas", [("SUNAT-Aduanas", "SUNAT-Aduanas"),
                 ("SUNAT-Aduanas", "SUNAT Aduanas")], id="sunat-aduanas-longest"),
    pytest.param("la Procuraduría Pública Especializada en Delitos de Tráfico Ilícito de Drogas del "
                 "Ministerio del Interior",
                 [("Procuraduría Pública Especializada en Delitos de Tráfico Ilícito de Drogas",
                   "Procuraduría Pública Especializada en Delitos de Tráfico Ilícito de Drogas"),
                  ("Ministerio del Interior", "Ministerio del Interior")], id="procuraduria"),
    pytest.param("con apoyo de la DEA y la CICAD-OEA", [("DEA", "DEA"), ("CICAD", "CICAD-OEA")], id="foreign"),
    pytest.param("con la Policía Federal de Brasil, el FBI, Eurojust y el programa EL PAcCTO",
                 [("Policía Federal de Brasil", "Policía Federal de Brasil"), ("FBI", "FBI"),
                  ("Eurojust", "Eurojust"), ("EL PAcCTO", "EL PAcCTO")], id="foreign-and-eu-bodies"),
    pytest.param("The Guardia Civil and the National Crime Agency, through AIRCOP and SEACOP",
                 [("Guardia Civil", "Guardia Civil"), ("National Crime Agency", "National Crime Agency"),
                  ("AIRCOP", "AIRCOP"), ("SEACOP", "SEACOP")], id="foreign-bodies-in-english"),
    pytest.param("the Financial Intelligence Unit of Peru (UIF-Perú)", [("UIF-Perú",
                 "Financial Intelligence Unit of Peru (UIF-Perú)")], id="english-alias"),
    pytest.param("Fiscali\u0301a de la Nacio\u0301n",
                 [("Fiscalía de la Nación", "Fiscali\u0301a de la Nacio\u0301n")],
                 id="combining-accents"),
    pytest.param("Unidad de Inteligencia Financiera del Peru\u0301 (UIF-Peru\u0301)",
                 [("UIF-Perú", "Unidad de Inteligencia Financiera del Peru\u0301 (UIF-Peru\u0301)")],
                 id="combining-accent-on-the-last-letter"),
    pytest.param("la Fisca\u00adlía de la Nación", [("Fiscalía de la Nación", "Fisca\u00adlía de la Nación")],
                 id="soft-hyphen"),
    # word boundaries and acronyms in lowercase
    pytest.param("el código SBSX-12 y XSBS", [], id="acronym-inside-a-word"),
    pytest.param("la dea griega y el pnp", [], id="short-acronyms-only-in-capitals"),
    pytest.param("reunión en la sunat", [], id="long-acronym-not-in-lowercase"),
    pytest.param("la policía intervino y la fiscalía denunció", [], id="bare-common-nouns"),
    pytest.param("Sunat y SUNAT", [("SUNAT", "Sunat"), ("SUNAT", "SUNAT")], id="acronym-title-and-capitals"),
    pytest.param("mayor PNP Juan Pérez", [("Policía Nacional del Perú", "PNP")], id="pnp-rank"),
]


@pytest.mark.parametrize("text, expected", INSTITUTION_CASES)
def test_find_institutions(text, expected):
    mentions = find_institutions(text)
    assert found(mentions) == expected
    assert all(m.type == "institution" for m in mentions)
    assert_spans(text, mentions)


DRUG_CASES = [
    pytest.param("1 126.450 kg de clorhidrato de cocaína", [("clorhidrato de cocaína", "clorhidrato de cocaína")],
                 id="hydrochloride-longest"),
    pytest.param("CLORHIDRATO DE COCAINA", [("clorhidrato de cocaína", "CLORHIDRATO DE COCAINA")],
                 id="capitals-no-accent"),
    pytest.param("acopio de pasta básica de cocaína", [("pasta básica de cocaína", "pasta básica de cocaína")],
                 id="pbc"),
    pytest.param("dos kilos de PBC y pasta básica", [("pasta básica de cocaína", "PBC"),
                 ("pasta básica de cocaína", "pasta básica")], id="pbc-aliases"),
    pytest.param("la pbc", [], id="pbc-acronym-in-lowercase"),
    pytest.param("trazas de cocaína y de COCAINA", [("cocaína", "cocaína"), ("cocaína", "COCAINA")], id="cocaine"),
    pytest.param("plantones de Cannabis sativa L. y marihuana", [("marihuana", "Cannabis sativa L."),
                 ("marihuana", "marihuana")], id="cannabis"),
    pytest.param("látex de opio extraído de la amapola",
                 [("látex de opio", "látex de opio"), ("amapola", "amapola")],
                 id="opium"),
    pytest.param("venta de tusi o cocaína rosada", [("tusi", "tusi"), ("tusi", "cocaína rosada")],
                 id="longest-beats-cocaina"),
    pytest.param("pastillas de éxtasis (MDMA) y metanfetaminas", [("éxtasis", "éxtasis (MDMA)"),
                 ("metanfetamina", "metanfetaminas")], id="synthetics"),
    pytest.param("240 litros de kerosene y 85 kg de carbonato de sodio, insumos químicos fiscalizados",
                 [("kerosene", "kerosene"), ("carbonato de sodio", "carbonato de sodio"),
                  ("insumos químicos fiscalizados", "insumos químicos fiscalizados")], id="chemicals"),
    pytest.param("kerosene, ácido sulfúrico, ácido clorhídrico, permanganato de potasio, acetona, "
                 "carbonato de sodio, cal y solventes",
                 [("kerosene", "kerosene"), ("ácido sulfúrico", "ácido sulfúrico"),
                  ("ácido clorhídrico", "ácido clorhídrico"),
                  ("permanganato de potasio", "permanganato de potasio"),
                  ("acetona", "acetona"), ("carbonato de sodio", "carbonato de sodio"), ("óxido de calcio", "cal")],
                 id="cal-in-a-list-of-chemicals"),
    pytest.param("se hallaron 20 sacos de cal en el almacén", [("óxido de calcio", "cal")], id="cal-after-quantity"),
    pytest.param("85 kg de cal viva", [("óxido de calcio", "cal viva")], id="cal-viva"),
    pytest.param("la cal de la pared estaba húmeda", [], id="cal-without-context"),
    pytest.param("en la calle Los Cedros y el Cal. Real", [], id="cal-inside-words"),
    pytest.param("el éter de la noche", [], id="eter-without-context"),
    pytest.param("bidones de acetona y éter", [("acetona", "acetona"), ("éter etílico", "éter")],
                 id="eter-with-context"),
    pytest.param("metil etil cetona (MEK) y metil-etil-cetona", [("metil etil cetona", "metil etil cetona (MEK)"),
                 ("metil etil cetona", "metil-etil-cetona")], id="mek"),
    pytest.param("60 paque-\ntes de c1orhidrato de cocaína y pasta bá-\nsica de cocaína",
                 [("clorhidrato de cocaína", "c1orhidrato de cocaína"),
                  ("pasta básica de cocaína", "pasta bá-\nsica de cocaína")], id="ocr-damage"),
    pytest.param("48.6 kg of cocaine hydroch1oride", [("clorhidrato de cocaína", "cocaine hydroch1oride")],
                 id="ocr-english"),
    pytest.param("cocaine hydrochloride and coca paste", [("clorhidrato de cocaína", "cocaine hydrochloride"),
                 ("pasta básica de cocaína", "coca paste")], id="english"),
    pytest.param("la heroína y el fentanilo", [("heroína", "heroína"), ("fentanilo", "fentanilo")], id="opioids"),
    pytest.param("la cocainómana y la marihuanera", [], id="word-boundaries"),
]


@pytest.mark.parametrize("text, expected", DRUG_CASES)
def test_find_drugs(text, expected):
    mentions = find_drugs(text)
    assert found(mentions) == expected
    assert all(m.type == "drug" for m in mentions)
    assert_spans(text, mentions)


CANONICAL_CASES = [
    ("Corte Suprema de Justicia de la República – Sala Penal Permanente", "Sala Penal Permanente"),
    ("Policía Nacional del Perú – DIRANDRO – División de Investigación de Lavado de Activos", "DIRANDRO"),
    ("Segunda Fiscalía Supraprovincial Corporativa Especializada contra la Criminalidad Organizada (FECOR)", "FECOR"),
    ("CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA", "Corte Suprema de Justicia"),
    ("sunat", "SUNAT"),
    ("  Unidad de Inteligencia Financiera del Perú. ", "UIF-Perú"),
    ("MINISTERIO PÚBLICO", "Ministerio Público"),
    ("Escuela del Ministerio Público – Programa de capacitación", "Escuela del Ministerio Público"),
    ("Regional Training Programme on Organized Crime", None),
    ("", None),
]


@pytest.mark.parametrize("text, expected", CANONICAL_CASES)
def test_canonical_institution(text, expected):
    assert canonical_institution(text) == expected


# ---------------------------------------------------------------------------
# The data files
# ---------------------------------------------------------------------------


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("path, kinds", [(INSTITUTIONS_FILE, INSTITUTION_KINDS), (DRUGS_FILE, DRUG_KINDS)],
                         ids=["institutions", "drugs"])
def test_data_file_shape(path, kinds):
    rows = _lines(path)
    assert len(rows) >= 40
    canonicals = [row["canonical"] for row in rows]
    assert len(canonicals) == len(set(canonicals))
    for row in rows:
        assert set(row) <= {"canonical", "kind", "aliases", "context_aliases"}
        assert row["kind"] in kinds
        assert isinstance(row["aliases"], list) and all(isinstance(a, str) and a.strip() for a in row["aliases"])


def test_types_are_the_documented_ones():
    assert "institution" in ENTITY_TYPES and "drug" in ENTITY_TYPES


@pytest.mark.parametrize("canonical", [
    "DIRANDRO", "Corte Suprema de Justicia", "Sala Penal Permanente", "FECOR", "SUNAT", "UIF-Perú",
    "Procuraduría Pública Especializada en Delitos de Tráfico Ilícito de Drogas",
])
def test_documented_institution_canonicals_exist(canonical):
    assert institution_kind(canonical) is not None


@pytest.mark.parametrize("canonical", [
    "clorhidrato de cocaína", "pasta básica de cocaína", "cocaína", "marihuana", "látex de opio",
    "insumos químicos fiscalizados", "kerosene", "ácido sulfúrico",
])
def test_documented_drug_canonicals_exist(canonical):
    assert drug_kind(canonical) is not None


def _every_alias(entries):
    for entry in entries:
        for alias in entry.aliases:
            yield entry.canonical, alias


def test_every_institution_alias_finds_its_canonical():
    for canonical, alias in _every_alias(institutions()):
        text = f"Según {alias}, se informó."
        mentions = find_institutions(text)
        assert found(mentions) == [(canonical, alias)], alias


def test_every_drug_alias_finds_its_canonical():
    for canonical, alias in _every_alias(drugs()):
        text = f"Se halló {alias}, según el acta."
        mentions = find_drugs(text)
        assert found(mentions) == [(canonical, alias)], alias


def test_long_text_spans_point_at_the_surface():
    from samples.texts import DOCUMENTS

    text = "\n".join(block for doc in DOCUMENTS for page in doc["pages"] for block in page)
    for finder in (find_institutions, find_drugs):
        mentions = finder(text)
        assert len(mentions) > 20
        assert_spans(text, mentions)


@pytest.mark.parametrize("text, expected", [
    ("c1orhidrato", "clorhidrato"), ("DlRANDRO", "DIRANDRO"), ("2O19", "2019"), ("OO612-2O19", "00612-2019"),
    ("l5 de enero", "15 de enero"), ("Oficio N° 12", "Oficio N° 12"), ("O sea", "O sea"), ("Lima 1", "Lima 1"),
    ("Del 1 al 10", "Del 1 al 10"), ("Sala 2, Lima", "Sala 2, Lima"),
])
def test_ocr_repair_keeps_length(text, expected):
    assert ocr_repair(text) == expected
    assert len(ocr_repair(text)) == len(text)
