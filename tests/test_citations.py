"""Legal citations (``nlp.citations``), table-driven: case identifiers and legal instruments.

Each row is ``(text, [(type, canonical), ...])``: every mention the finder must return, in order,
and nothing else. Negative rows expect ``[]``.
"""

from __future__ import annotations

import re
import time

import pytest

from nlp.citations import citations_in_query, extends, find_citations, normalize_citation, patterns
from nlp.numbers import find_numbers
from tests.tables import assert_spans, pairs

C, L, R = "case", "law", "ref"

CASES = [
    # --- case: Expediente
    pytest.param("Expediente N° 00123-2017-5-1826-JR-PE-03. Sumilla", [(C, "Expediente 00123-2017-5-1826-JR-PE-03")], id="exp-full"),
    pytest.param("Exp. N° 123-2017", [(C, "Expediente 00123-2017")], id="exp-short-padded-to-five"),
    pytest.param("EXP. N.º 00018-2017-1-5001-JR-PE-01", [(C, "Expediente 00018-2017-1-5001-JR-PE-01")], id="exp-upper"),
    pytest.param("en el 00123-2017-5-1826-JR-PE-03 se resolvió", [(C, "Expediente 00123-2017-5-1826-JR-PE-03")], id="exp-bare-full"),
    pytest.param("STC recaída en el Exp. N.° 00728-2008-PHC/TC", [(C, "Expediente 00728-2008-PHC/TC")], id="exp-tc"),
    pytest.param("Expediente N* 123-2017", [(C, "Expediente 00123-2017")], id="exp-ocr-star"),
    pytest.param("Exp. 00123-2017-5-\n1826-JR-PE-03", [(C, "Expediente 00123-2017-5-1826-JR-PE-03")], id="exp-line-break"),
    # --- case: Casación, R.N.
    pytest.param("Casación N° 1234-2018/Lima – Lavado de activos", [(C, "Casación 1234-2018/Lima")], id="cas-slash"),
    pytest.param("Cas. N.° 1234-2018-LIMA", [(C, "Casación 1234-2018/Lima")], id="cas-abbr-hyphen"),
    pytest.param("CASACIÓN N° 1234-2018 LIMA NORTE", [(C, "Casación 1234-2018/Lima Norte")], id="cas-header-upper-district"),
    pytest.param("Casacion Nro. 626-2013/Moquegua", [(C, "Casación 626-2013/Moquegua")], id="cas-no-accent"),
    pytest.param("la Casación N° 1234-2018 Lima, catorce de mayo", [(C, "Casación 1234-2018")], id="cas-capitalised-next-word-not-district"),
    pytest.param("Casación N? 5-2016/Madre de Dios", [(C, "Casación 5-2016/Madre de Dios")], id="cas-ocr-question-multiword"),
    pytest.param("Casación N° 1234-2018/Huacho", [(C, "Casación 1234-2018")], id="cas-unknown-district-left-out"),
    pytest.param("R.N. N° 456-2019/Callao", [(C, "R.N. 456-2019/Callao")], id="rn"),
    pytest.param("Recurso de Nulidad N.º 456-2019-CALLAO", [(C, "R.N. 456-2019/Callao")], id="rn-words"),
    pytest.param("el RN 3044-2004/Lima", [(C, "R.N. 3044-2004/Lima")], id="rn-bare-upper"),
    # --- case: Carpeta Fiscal, Acuerdo Plenario, Sentencia Plenaria
    pytest.param("Carpeta Fiscal N° 506015503-2017-45-0.", [(C, "Carpeta Fiscal 506015503-2017-45-0")], id="carpeta"),
    pytest.param("CARPETA FISCAL Nº 506-2019", [(C, "Carpeta Fiscal 506-2019")], id="carpeta-short-upper"),
    pytest.param("desde el Acuerdo Plenario N° 3-2010/CJ-116, ha precisado", [(C, "Acuerdo Plenario 3-2010/CJ-116")], id="ap"),
    pytest.param("AP 3-2010/CJ-116", [(C, "Acuerdo Plenario 3-2010/CJ-116")], id="ap-abbr"),
    pytest.param("A.P. N° 03-2010-CJ-116", [(C, "Acuerdo Plenario 3-2010/CJ-116")], id="ap-dots-zero-hyphen"),
    pytest.param("Acuerdo Plenario Extraordinario N° 2-2016/CIJ-116", [(C, "Acuerdo Plenario Extraordinario 2-2016/CIJ-116")], id="ap-extraordinario"),
    pytest.param("la Sentencia Plenaria Casatoria N° 1-2017/CIJ-433", [(C, "Sentencia Plenaria Casatoria 1-2017/CIJ-433")], id="spc"),
    # --- law: Ley
    pytest.param("la Ley N° 30077, Ley contra el Crimen Organizado", [(L, "Ley 30077")], id="ley"),
    pytest.param("LEY Nº 27697", [(L, "Ley 27697")], id="ley-upper"),
    pytest.param("Ley N.° 30077", [(L, "Ley 30077")], id="ley-n-dot-degree"),
    pytest.param('Ley N" 30077', [(L, "Ley 30077")], id="ley-ocr-quote"),
    pytest.param("Ley Nro. 30077", [(L, "Ley 30077")], id="ley-nro"),
    pytest.param("Ley 30.077", [(L, "Ley 30077")], id="ley-dot-thousands"),
    pytest.param("Ley N° 30 077", [(L, "Ley 30077")], id="ley-ocr-space"),
    pytest.param("la Ley30077", [(L, "Ley 30077")], id="ley-ocr-no-space"),
    pytest.param("las Leyes N° 28305 y 29037", [(L, "Ley 28305"), (L, "Ley 29037")], id="leyes-list"),
    pytest.param("Peru criminalises organized crime under Law 30077", [(L, "Ley 30077")], id="ley-english"),
    # --- law: Decreto Legislativo, Decreto Ley, Decreto Supremo
    pytest.param("Decreto Legislativo N.° 1106, Decreto Legislativo de lucha eficaz", [(L, "Decreto Legislativo 1106")], id="dleg"),
    pytest.param("expreso del D. Leg. 1106 y la doctrina", [(L, "Decreto Legislativo 1106")], id="dleg-abbr"),
    pytest.param("D.Leg. N° 1106", [(L, "Decreto Legislativo 1106")], id="dleg-abbr-nospace"),
    pytest.param("Invocó los artículos 1, 2 y 10 del D.L. N° 1106", [(L, "Decreto Legislativo 1106")], id="dleg-dl-dots"),
    pytest.param("DL 1106", [(L, "Decreto Legislativo 1106")], id="dleg-dl"),
    pytest.param("DECRETO LEGISLATIVO Nº 1106", [(L, "Decreto Legislativo 1106")], id="dleg-upper"),
    pytest.param("conforme al Decreto\nLegislativo N° 1373, sobre extinción", [(L, "Decreto Legislativo 1373")], id="dleg-line-break"),
    pytest.param("Decretos Legislativos N° 1106 y 1249", [(L, "Decreto Legislativo 1106"), (L, "Decreto Legislativo 1249")], id="dleg-list"),
    pytest.param("Decreto Ley N° 25475", [(L, "Decreto Ley 25475")], id="dley"),
    pytest.param("el D.L. 25475", [(L, "Decreto Ley 25475")], id="dley-abbr-by-number"),
    pytest.param("D.S. N° 004-2017-JUS", [(L, "Decreto Supremo 004-2017-JUS")], id="ds"),
    pytest.param("Decreto Supremo N° 017-93-JUS", [(L, "Decreto Supremo 017-93-JUS")], id="ds-two-digit-year"),
    pytest.param("DS 4-2017-JUS", [(L, "Decreto Supremo 004-2017-JUS")], id="ds-padded"),
    # --- law: resolutions
    pytest.param("Resolución Administrativa N° 123-2019-CE-PJ", [(L, "Resolución Administrativa 123-2019-CE-PJ")], id="res-adm"),
    pytest.param("R.M. Nº 0123-2019-IN", [(L, "Resolución Ministerial 0123-2019-IN")], id="res-min-abbr"),
    pytest.param("Resolución de la Fiscalía de la Nación N° 1234-2019-MP-FN", [(L, "Resolución de la Fiscalía de la Nación 1234-2019-MP-FN")], id="res-fn"),
    # --- law: code articles
    pytest.param("art. 296 del CP", [(L, "Código Penal art. 296")], id="art-cp"),
    pytest.param("el artículo 297 del Código Penal es", [(L, "Código Penal art. 297")], id="art-codigo-penal"),
    pytest.param("arts. 296 y 297 del Código Penal", [(L, "Código Penal art. 296"), (L, "Código Penal art. 297")], id="art-list"),
    pytest.param("artículo 268 del Código Procesal Penal", [(L, "Código Procesal Penal art. 268")], id="art-cpp"),
    pytest.param("art. 268 del CPP", [(L, "Código Procesal Penal art. 268")], id="art-cpp-abbr"),
    pytest.param("artículo 296, inciso 1, del CP", [(L, "Código Penal art. 296 inc. 1")], id="art-inciso"),
    pytest.param("con la agravante del artículo 297, inciso 6, del Código Penal", [(L, "Código Penal art. 297 inc. 6")], id="art-inciso-comma"),
    pytest.param("el inciso 6 del artículo 297 del Código Penal", [(L, "Código Penal art. 297 inc. 6")], id="art-inciso-before"),
    pytest.param(
        "Al amparo de los artículos 268, 269, 270 y 272, numeral 3, del Código Procesal Penal, requerimos",
        [(L, "Código Procesal Penal art. 268"), (L, "Código Procesal Penal art. 269"), (L, "Código Procesal Penal art. 270"),
         (L, "Código Procesal Penal art. 272 inc. 3")],
        id="art-long-list-numeral",
    ),
    pytest.param("Conforme al artículo 268, literal a), del Código Procesal Penal", [(L, "Código Procesal Penal art. 268 lit. a")], id="art-literal"),
    pytest.param("artículo 297, incisos 6 y 7, del CP", [(L, "Código Penal art. 297 inc. 6"), (L, "Código Penal art. 297 inc. 7")], id="art-incisos"),
    pytest.param("previsto en el artículo 296-B del Código Penal", [(L, "Código Penal art. 296-B")], id="art-letter-suffix"),
    pytest.param("Art. 296° del C.P.", [(L, "Código Penal art. 296")], id="art-degree"),
    pytest.param("Art. 296º del C.P.", [(L, "Código Penal art. 296")], id="art-ordinal-sign"),
    pytest.param("primer párrafo del artículo 296 del Código Penal", [(L, "Código Penal art. 296")], id="art-paragraph-dropped"),
    pytest.param("ARTÍCULO 317 DEL CÓDIGO PENAL", [(L, "Código Penal art. 317")], id="art-upper"),
    pytest.param("articulo 317 del Codigo Penal", [(L, "Código Penal art. 317")], id="art-no-accents"),
    pytest.param("artículo 300 del Código de Procedimientos Penales", [(L, "Código de Procedimientos Penales art. 300")], id="art-cdepp"),
    pytest.param("such as article 296 of the Peruvian Criminal\nCode", [(L, "Código Penal art. 296")], id="art-english"),
    # --- OCR: "268°" read as "2682"
    pytest.param("art. 2682 del CPP", [(L, "Código Procesal Penal art. 268")], id="ocr-degree-as-2"),
    pytest.param("artículo 2969 del Código Penal", [(L, "Código Penal art. 296")], id="ocr-degree-as-9"),
    pytest.param("artículo 222 del CP", [(L, "Código Penal art. 222")], id="ocr-three-digits-kept"),
    pytest.param("art. 2685 del CPP", [(L, "Código Procesal Penal")], id="ocr-not-a-degree-article-rejected"),
    # --- OCR: O for 0 and l for 1 inside numbers, N° damaged
    pytest.param("RECURSO DE NULIDAD N* 2O87-2O17/HUÁNUCO", [(C, "R.N. 2087-2017/Huánuco")], id="ocr-o-for-zero-rn"),
    pytest.param("EXPEDIENTE : OO612-2O19-O-1217-JR-PE-O1", [(C, "Expediente 00612-2019-0-1217-JR-PE-01")], id="ocr-o-for-zero-exp"),
    pytest.param("la Ley N? 3OO77", [(L, "Ley 30077")], id="ocr-o-for-zero-ley"),
    pytest.param("D.L. N? 1l06", [(L, "Decreto Legislativo 1106")], id="ocr-l-for-one"),
    pytest.param("ARTÍCULOS 296 O 297 DEL CÓDIGO PENAL", [(L, "Código Penal art. 296"), (L, "Código Penal art. 297")], id="ocr-o-conjunction-kept"),
    # --- "del mismo código": the code named just before
    pytest.param(
        "el artículo 316 del Código Procesal Penal autoriza la incautación, y el artículo 317 del mismo código exige",
        [(L, "Código Procesal Penal art. 316"), (L, "Código Procesal Penal art. 317")],
        id="anaphor-mismo-codigo",
    ),
    pytest.param(
        "los hechos se subsumen en el artículo 317 del Codigo Penal\ny en los artículos 296 y 297 del mismo cuerpo normativo",
        [(L, "Código Penal art. 317"), (L, "Código Penal art. 296"), (L, "Código Penal art. 297")],
        id="anaphor-cuerpo-normativo-list",
    ),
    pytest.param(
        "artículo 296 del Código Penal y el artículo 2 de la Ley N° 30077; el artículo 3 del mismo cuerpo legal",
        [(L, "Código Penal art. 296"), (L, "Ley 30077")],
        id="anaphor-after-a-law-unread",
    ),
    pytest.param("artículo 1969 del Código Civil y el artículo 1985 del mismo código", [], id="anaphor-after-civil-code-unread"),
    pytest.param("los artículos 230 y 231 del mismo código", [], id="anaphor-without-antecedent"),
    pytest.param(
        "previsto en el artículo 296 concordante con el artículo 297 inciso 6 del Código Penal",
        [(L, "Código Penal art. 296"), (L, "Código Penal art. 297 inc. 6")],
        id="article-chain-concordante",
    ),
    # --- a code named alone
    pytest.param("El Código Procesal Penal las regula de forma expresa", [(L, "Código Procesal Penal")], id="code-alone"),
    pytest.param("is governed by the Code of Criminal Procedure and", [(L, "Código Procesal Penal")], id="code-alone-english"),
    pytest.param("conforme al Código Civil", [], id="neg-other-code"),
    # --- English
    pytest.param("Case Summary: Peru, Cassation No. 1234-2018/Lima", [(C, "Casación 1234-2018/Lima")], id="cassation-english"),
    pytest.param("in particular Plenary Agreement 3-2010/CJ-116.", [(C, "Acuerdo Plenario 3-2010/CJ-116")], id="plenary-english"),
    pytest.param("Legislative Decree No. 1106, as amended by Legislative Decree No. 1249",
                 [(L, "Decreto Legislativo 1106"), (L, "Decreto Legislativo 1249")], id="dleg-english-no"),
    # --- several in a sentence
    pytest.param(
        "en concordancia con el artículo 2 de la Ley N° 30077 y el D. Leg. N° 1106",
        [(L, "Ley 30077"), (L, "Decreto Legislativo 1106")],
        id="mixed-sentence",
    ),
    # --- negatives
    pytest.param("cuando la ley lo exige, con autorización judicial", [], id="neg-la-ley"),
    pytest.param("entre los años 2011 y 2014", [], id="neg-years"),
    pytest.param("el investigado DL, alias «el Tío»", [], id="neg-dl-initials"),
    pytest.param("DL 50 kg de clorhidrato", [], id="neg-dl-quantity"),
    pytest.param("5 dl 100 ml", [], id="neg-dl-lowercase"),
    pytest.param("Proyecto de Ley N° 4321/2019-CR", [], id="neg-proyecto-de-ley"),
    pytest.param("Proyecto de Ley N° 4321", [], id="neg-proyecto-de-ley-no-year"),
    # An expert's report is a document of the file (ref), never a case or a law.
    pytest.param("el dictamen pericial de química forense N° 4512-2017", [("ref", "Dictamen Pericial 4512-2017")],
                 id="peritaje-number-is-a-ref"),
    pytest.param("exigido por el literal b) del artículo\n268.", [], id="neg-article-without-code"),
    pytest.param("los artículos 230 y 231 del mismo código", [], id="neg-mismo-codigo"),
    pytest.param("el artículo 10 del Decreto Legislativo 1106", [(L, "Decreto Legislativo 1106")], id="neg-article-of-a-law-is-the-law"),
    pytest.param("article 18 of the Palermo Convention", [(L, "Convención de Palermo")],
                 id="english-article-of-a-convention-is-the-convention"),
    pytest.param("Resolución N° 5 del 3 de marzo", [], id="neg-resolucion-in-file"),
    pytest.param("el recurso de casación interpuesto", [], id="neg-casacion-word"),
    pytest.param("Oficio N° 14-05-2019", [], id="neg-oficio"),
    pytest.param("telf. 01-4567", [], id="neg-phone"),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_find_citations(text, expected):
    found = find_citations(text)
    assert pairs(found) == expected
    assert_spans(text, found)


def test_enumeration_spans_tile_the_phrase():
    text = "Según los arts. 296 y 297 del Código Penal, la pena"
    first, second = find_citations(text)
    assert (first.surface, second.surface) == ("arts. 296", "297 del Código Penal")


def test_single_citation_span_is_the_whole_phrase():
    text = "Siguiendo la Casación N° 626-2013/Moquegua, la medida"
    (m,) = find_citations(text)
    assert m.surface == "Casación N° 626-2013/Moquegua"
    assert (m.start, m.end) == (13, 13 + len(m.surface))


def test_spans_survive_decomposed_accents():
    text = "Según la Casacio\u0301n N° 1234-2018/Lima y el arti\u0301culo 296 del Co\u0301digo Penal."
    found = find_citations(text)
    assert [m.canonical for m in found] == ["Casación 1234-2018/Lima", "Código Penal art. 296"]
    assert [text[m.start : m.end] for m in found] == [m.surface for m in found]
    assert found[0].surface == "Casacio\u0301n N° 1234-2018/Lima"
    assert found[1].surface == "arti\u0301culo 296 del Co\u0301digo Penal"


def test_realistic_passage_precision_and_recall():
    text = (
        "Cuarto. El artículo 10 del Decreto Legislativo 1106 establece que el lavado de activos es un delito\n"
        "autónomo. Este Supremo Tribunal, desde el Acuerdo Plenario N° 3-2010/CJ-116, ha precisado que el delito\n"
        "previo es un elemento normativo del tipo. La Sentencia Plenaria Casatoria N° 1-2017/CIJ-433 reafirmó\n"
        "la autonomía del delito. En el año 2016, por S/ 500 000.00, conforme a la ley, el investigado (DL)\n"
        "fue condenado en el Exp. N° 00123-2017-5-1826-JR-PE-03 por el delito del artículo 296 del Código\n"
        "Penal, con la agravante del artículo 297, inciso 6, y la del inciso 7, según la Casación N° 1234-2018/Lima\n"
        "y el R.N. N° 456-2019/Callao; la Ley N° 28305 y el Decreto Legislativo N° 1126 regulan los insumos.\n"
    )
    got = [(m.type, m.canonical) for m in find_citations(text)]
    assert got == [
        (L, "Decreto Legislativo 1106"),
        (C, "Acuerdo Plenario 3-2010/CJ-116"),
        (C, "Sentencia Plenaria Casatoria 1-2017/CIJ-433"),
        (C, "Expediente 00123-2017-5-1826-JR-PE-03"),
        (L, "Código Penal art. 296"),
        (C, "Casación 1234-2018/Lima"),
        (C, "R.N. 456-2019/Callao"),
        (L, "Ley 28305"),
        (L, "Decreto Legislativo 1126"),
    ]


# --- the patterns' own examples (nlp/data/citations.jsonl) ----------------------------------------

EXAMPLES = [
    pytest.param(p, text, expected, id=f"{p.kind}-{i}-{j}")
    for i, p in enumerate(patterns())
    for j, (text, expected) in enumerate(p.examples)
]
COUNTEREXAMPLES = [
    pytest.param(p, text, id=f"{p.kind}-{i}-not-{j}") for i, p in enumerate(patterns()) for j, text in enumerate(p.counterexamples)
]


def test_every_pattern_has_examples():
    assert all(p.examples for p in patterns())


@pytest.mark.parametrize("pattern,text,expected", EXAMPLES)
def test_pattern_matches_its_examples(pattern, text, expected):
    assert [m.canonical for m in pattern.find(text)] == expected
    # and the whole finder agrees
    assert [m.canonical for m in find_citations(text)] == expected


@pytest.mark.parametrize("pattern,text", COUNTEREXAMPLES)
def test_pattern_rejects_its_counterexamples(pattern, text):
    assert pattern.find(text) == []


# --- queries ---------------------------------------------------------------------------------------

QUERIES = [
    pytest.param("dl 1106", [(L, "Decreto Legislativo 1106")], id="q-dl"),
    pytest.param("ley 30077", [(L, "Ley 30077")], id="q-ley"),
    pytest.param("casacion 1234-2018", [(C, "Casación 1234-2018")], id="q-casacion"),
    pytest.param("art 296 cp", [(L, "Código Penal art. 296")], id="q-art-cp"),
    pytest.param("lavado de activos dl 1106 casacion 1234-2018 lima",
                 [(L, "Decreto Legislativo 1106"), (C, "Casación 1234-2018/Lima")], id="q-two-in-free-text"),
    pytest.param("rn 456-2019/callao", [(C, "R.N. 456-2019/Callao")], id="q-rn"),
    pytest.param("ap 3-2010/cj-116", [(C, "Acuerdo Plenario 3-2010/CJ-116")], id="q-ap"),
    pytest.param("d.s. 4-2017-jus", [(L, "Decreto Supremo 004-2017-JUS")], id="q-ds"),
    pytest.param("lavado de activos", [], id="q-none"),
]


@pytest.mark.parametrize("q,expected", QUERIES)
def test_citations_in_query(q, expected):
    found = citations_in_query(q)
    assert pairs(found) == expected
    assert_spans(q, found)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("DL 1106", "Decreto Legislativo 1106"),
        ("  d. leg. 1106 ", "Decreto Legislativo 1106"),
        ("Decreto Legislativo N.° 1106", "Decreto Legislativo 1106"),
        ("ley 30077.", "Ley 30077"),
        ("exp 123-2017", "Expediente 00123-2017"),
        ("informe policial 231-2019", "Informe Policial 231-2019"),
        ("Cas. 1234-2018-LIMA", "Casación 1234-2018/Lima"),
        ("art. 297 inc. 6 del CP", "Código Penal art. 297 inc. 6"),
        ("arts. 296 y 297 CP", None),  # two citations
        ("lavado dl 1106", None),  # not the whole text
        ("30077", None),
        ("", None),
    ],
)
def test_normalize_citation(text, expected):
    assert normalize_citation(text) == expected


# --- what users type and scans contain: the same rows in documents and in queries -----------------
# Each row is read by find_citations (a document) and by citations_in_query (a query): both go
# through the same code, so a scan's spelling and a user's give the same canonical form.

BOTH = [
    # the number sign in every spelling OCR and typists give it
    pytest.param("Casación N* 1234-2018", [(C, "Casación 1234-2018")], id="sign-star"),
    pytest.param("Casación Nº 1234-2018", [(C, "Casación 1234-2018")], id="sign-ordinal"),
    pytest.param("Casación N.° 1234-2018", [(C, "Casación 1234-2018")], id="sign-dot-degree"),
    pytest.param("Casación N° 1234-2018", [(C, "Casación 1234-2018")], id="sign-degree"),
    pytest.param("Casación No. 1234-2018", [(C, "Casación 1234-2018")], id="sign-no"),
    pytest.param("Casación Nro. 1234-2018", [(C, "Casación 1234-2018")], id="sign-nro"),
    pytest.param("Casación N. 1234-2018", [(C, "Casación 1234-2018")], id="sign-n-dot"),
    pytest.param("Ley N. 30077", [(L, "Ley 30077")], id="sign-n-dot-ley"),
    pytest.param("Oficio Nro. 512-2020-MP-FN", [(R, "Oficio 512-2020-MP-FN")], id="sign-nro-ref"),
    # OCR's letters inside the digits of an identifier
    pytest.param("Casación N° l234-2Ol8/Lima", [(C, "Casación 1234-2018/Lima")], id="ocr-l-and-O"),
    pytest.param("Casación N° I234-2O1B", [(C, "Casación 1234-2018")], id="ocr-I-and-B-in-year"),
    pytest.param("Casación N° 12|4-2018", [(C, "Casación 1214-2018")], id="ocr-bar-between-digits"),
    pytest.param("R.N. N° 456-2o19/Callao", [(C, "R.N. 456-2019/Callao")], id="ocr-lowercase-o-in-year"),
    pytest.param("Casación N° 1S34-2018", [(C, "Casación 1534-2018")], id="ocr-S-between-digits"),
    pytest.param("Expediente N° OO456-2O19-3-l826-JR-PE-O2", [(C, "Expediente 00456-2019-3-1826-JR-PE-02")], id="ocr-exp-every-part"),
    pytest.param("Informe Policial N° 23l-2Ol9-DIRANDRO-PNP/DIVINESP", [(R, "Informe Policial 231-2019-DIRANDRO-PNP/DIVINESP")],
                 id="ocr-ref-letters-of-the-office-kept"),
    pytest.param("Ley N° 3OO77", [(L, "Ley 30077")], id="ocr-ley"),
    pytest.param("D. Leg. N° l1O6", [(L, "Decreto Legislativo 1106")], id="ocr-dleg"),
    # a space or a stray dot inside a number, dashes of every length
    pytest.param("Casación N° 1 234-2018", [(C, "Casación 1234-2018")], id="ocr-space-in-number"),
    pytest.param("Casación N° 1.234-2018", [(C, "Casación 1234-2018")], id="ocr-dot-in-number"),
    pytest.param("Exp. 1.234-2019", [(C, "Expediente 01234-2019")], id="ocr-dot-in-exp-number"),
    pytest.param("D. Leg. 1 106", [(L, "Decreto Legislativo 1106")], id="ocr-space-in-dleg"),
    pytest.param("Ley 30 077", [(L, "Ley 30077")], id="ocr-space-in-ley"),
    pytest.param("Casación 1234—2018", [(C, "Casación 1234-2018")], id="em-dash"),
    pytest.param("Casación 1234–2018", [(C, "Casación 1234-2018")], id="en-dash"),
    pytest.param("Oficio N° 512—2020—MP—FN", [(R, "Oficio 512-2020-MP-FN")], id="em-dash-ref"),
    # abbreviations (the upper-case-only ones, DL, RN, AP, SPC, CF, are in ABBREVIATIONS below)
    pytest.param("Cas. 1234-2018", [(C, "Casación 1234-2018")], id="abbr-cas-dot"),
    pytest.param("Cas 1234-2018", [(C, "Casación 1234-2018")], id="abbr-cas"),
    pytest.param("R.N. 456-2019", [(C, "R.N. 456-2019")], id="abbr-rn-dots"),
    pytest.param("A.P. 7-2011/CJ-116", [(C, "Acuerdo Plenario 7-2011/CJ-116")], id="abbr-ap-dots"),
    pytest.param("S.P.C. N° 1-2017/CIJ-433", [(C, "Sentencia Plenaria Casatoria 1-2017/CIJ-433")], id="abbr-spc-dots"),
    pytest.param("Sentencia Plenaria Casatoria N° 1-2017/CIJ-433", [(C, "Sentencia Plenaria Casatoria 1-2017/CIJ-433")], id="spc-words"),
    pytest.param("Exp. 456-2019", [(C, "Expediente 00456-2019")], id="abbr-exp"),
    pytest.param("Expediente 456-2019", [(C, "Expediente 00456-2019")], id="abbr-expediente"),
    pytest.param("Exp. N° 456-2019", [(C, "Expediente 00456-2019")], id="abbr-exp-n"),
    pytest.param("Expte. 456-2019", [(C, "Expediente 00456-2019")], id="abbr-expte"),
    pytest.param("C.F. 506-2019", [(C, "Carpeta Fiscal 506-2019")], id="abbr-cf-dots"),
    pytest.param("Carpeta Fiscal N° 506-2019", [(C, "Carpeta Fiscal 506-2019")], id="abbr-carpeta-fiscal"),
    pytest.param("D. Leg. 1106", [(L, "Decreto Legislativo 1106")], id="abbr-d-leg"),
    pytest.param("D.S. 004-2017-JUS", [(L, "Decreto Supremo 004-2017-JUS")], id="abbr-ds-dots"),
    pytest.param("Ley N° 30077", [(L, "Ley 30077")], id="abbr-ley-n"),
    pytest.param("art. 296 del Código Penal", [(L, "Código Penal art. 296")], id="abbr-art"),
    pytest.param("arts. 296 y 297 del Código Penal", [(L, "Código Penal art. 296"), (L, "Código Penal art. 297")], id="abbr-arts"),
    # partial identifiers: the number-year without its seat or suffixes
    pytest.param("Casación 1234-2018", [(C, "Casación 1234-2018")], id="partial-casacion"),
    pytest.param("Exp. 00456-2019", [(C, "Expediente 00456-2019")], id="partial-exp"),
    pytest.param("Acuerdo Plenario 7-2011", [(C, "Acuerdo Plenario 7-2011")], id="partial-ap-suffix-not-invented"),
    # leading zeros: a file number is padded to five digits, a ruling's or a document's loses them
    pytest.param("Exp. 0456-2019", [(C, "Expediente 00456-2019")], id="zeros-exp-four"),
    pytest.param("Exp. 728-2008-PHC/TC", [(C, "Expediente 00728-2008-PHC/TC")], id="zeros-exp-tc"),
    pytest.param("Casación N° 092-2017/Arequipa", [(C, "Casación 92-2017/Arequipa")], id="zeros-casacion"),
    pytest.param("Informe Policial N° 087-2020", [(R, "Informe Policial 87-2020")], id="zeros-ref"),
    # document references
    pytest.param("Informe Policial N° 231-2019-DIRANDRO-PNP/DIVINESP", [(R, "Informe Policial 231-2019-DIRANDRO-PNP/DIVINESP")], id="ref-informe"),
    pytest.param("Oficio N° 512-2020-MP-FN-FECOR", [(R, "Oficio 512-2020-MP-FN-FECOR")], id="ref-oficio"),
    pytest.param("Disposición Fiscal N° 04-2021-MP-FN-FPCEDCF", [(R, "Disposición Fiscal 4-2021-MP-FN-FPCEDCF")], id="ref-disposicion"),
    pytest.param("Parte Policial N° 45-2019-DIVPOL-CH", [(R, "Parte Policial 45-2019-DIVPOL-CH")], id="ref-parte"),
    pytest.param("Atestado Policial N° 12-2015-DIRANDRO-PNP", [(R, "Atestado Policial 12-2015-DIRANDRO-PNP")], id="ref-atestado"),
    pytest.param("Acta de Intervención N° 18-2019-DIRANDRO-PNP", [(R, "Acta de Intervención 18-2019-DIRANDRO-PNP")], id="ref-acta"),
    pytest.param("Resolución N° 12-2020-MP-FN-FECOR", [(R, "Resolución 12-2020-MP-FN-FECOR")], id="ref-resolucion"),
    pytest.param("Requerimiento N° 23-2021-MP-FN", [(R, "Requerimiento 23-2021-MP-FN")], id="ref-requerimiento"),
    pytest.param("Informe Policial 231-2019", [(R, "Informe Policial 231-2019")], id="ref-partial"),
    pytest.param("Resolución N° 5", [], id="ref-neg-resolucion-without-year"),
    pytest.param("Oficio N° 14-05-2019", [], id="ref-neg-date-shaped"),
    pytest.param("Resolución Administrativa N° 123-2019-CE-PJ", [(L, "Resolución Administrativa 123-2019-CE-PJ")], id="ref-neg-instrument-is-a-law"),
]


_LETTER_BY_DIGIT = re.compile(r"[^\W\d_|](?=[\d|])|(?<=\d)[^\W\d_|]")


@pytest.mark.parametrize("text,expected", BOTH)
def test_documents_and_queries_read_alike(text, expected):
    readings = [(find_citations, text), (citations_in_query, text)]
    if not _LETTER_BY_DIGIT.search(text):  # OCR's confusions are capitals: "I234" is not "i234"
        readings.append((citations_in_query, text.lower()))
    for read, given in readings:
        found = read(given)
        assert pairs(found) == expected, (read.__name__, given)
        assert_spans(given, found)


# Abbreviations that are also initials: upper case only in documents, any case in queries.
ABBREVIATIONS = [
    pytest.param("DL 1106", "dl 1106", [(L, "Decreto Legislativo 1106")], id="dl"),
    pytest.param("DS 4-2017-JUS", "ds 4-2017-jus", [(L, "Decreto Supremo 004-2017-JUS")], id="ds"),
    pytest.param("RN 456-2019", "rn 456-2019", [(C, "R.N. 456-2019")], id="rn"),
    pytest.param("AP 7-2011", "ap 7-2011", [(C, "Acuerdo Plenario 7-2011")], id="ap-without-body"),
    pytest.param("AP 7-2011/CJ-116", "ap 7-2011/cj-116", [(C, "Acuerdo Plenario 7-2011/CJ-116")], id="ap"),
    pytest.param("SPC 1-2017/CIJ-433", "spc 1-2017/cij-433", [(C, "Sentencia Plenaria Casatoria 1-2017/CIJ-433")], id="spc"),
    pytest.param("CF 506-2019", "cf 506-2019", [(C, "Carpeta Fiscal 506-2019")], id="cf"),
]


@pytest.mark.parametrize("document,query,expected", ABBREVIATIONS)
def test_initials_upper_case_in_documents_any_case_in_queries(document, query, expected):
    assert pairs(find_citations(document)) == expected
    assert pairs(citations_in_query(query)) == expected
    assert pairs(citations_in_query(document)) == expected
    assert find_citations(query) == []


# What a user types, and what a document that is the same identifier writes in full: the query's
# canonical form is a partial form of the document's (nlp.citations.extends), so a search that asks
# for canonical == q or canonical startswith q + "-" / q + "/" finds it.
PARTIAL = [
    pytest.param("exp 456-2019", "Expediente N° 00456-2019-3-1826-JR-PE-02", id="exp-without-suffixes-unpadded"),
    pytest.param("exp. 00456-2019", "EXP. Nº 00456-2019-3-1826-JR-PE-02", id="exp-without-suffixes"),
    pytest.param("exp 00456-2019-3", "Expediente N° 00456-2019-3-1826-JR-PE-02", id="exp-with-incident"),
    pytest.param("exp 00456-2019-3-1826-jr", "Expediente N° 00456-2019-3-1826-JR-PE-02", id="exp-cut-after-a-letter-part"),
    pytest.param("exp 728-2008", "Exp. N.° 00728-2008-PHC/TC", id="exp-tc"),
    pytest.param("casacion 1234-2018", "CASACIÓN N° 1234-2018-LIMA", id="casacion-without-seat"),
    pytest.param("cas 092-2017", "Casación N° 92-2017/Arequipa", id="casacion-zeros"),
    pytest.param("rn 456-2019", "Recurso de Nulidad N° 456-2019/Callao", id="rn-without-seat"),
    pytest.param("ap 7-2011", "Acuerdo Plenario N° 7-2011/CJ-116", id="ap-without-body"),
    pytest.param("carpeta fiscal 506015503-2017", "Carpeta Fiscal N° 506015503-2017-45-0", id="carpeta"),
    pytest.param("d.s. 4-2017", "Decreto Supremo N° 004-2017-JUS", id="ds-without-ministry"),
    pytest.param("informe policial 231-2019", "Informe Policial N° 231-2019-DIRANDRO-PNP/DIVINESP", id="informe"),
    pytest.param("oficio 512-2020-mp-fn", "Oficio N° 512-2020-MP-FN-FECOR", id="oficio-half-suffix"),
    pytest.param("disposicion 4-2021", "DISPOSICIÓN FISCAL N° 04-2021-MP-FN", id="disposicion"),
]


@pytest.mark.parametrize("query,document", PARTIAL)
def test_a_partial_query_is_a_prefix_of_the_full_canonical(query, document):
    (typed,) = citations_in_query(query)
    (written,) = find_citations(document)
    assert typed.type == written.type
    assert extends(written.canonical, typed.canonical)
    assert written.canonical.startswith(typed.canonical)


@pytest.mark.parametrize("full,partial,expected", [
    ("Casación 1234-2018/Lima", "Casación 1234-2018", True),
    ("Casación 1234-2018", "Casación 1234-2018", True),
    ("Expediente 00456-2019-3-1826-JR-PE-02", "Expediente 00456-2019", True),
    ("Expediente 00456-2019-3-1826-JR-PE-02", "Expediente 00456-2019-3", True),
    ("Informe Policial 231-2019-DIRANDRO-PNP/DIVINESP", "Informe Policial 231-2019-DIRANDRO", True),
    ("Casación 1234-2018/Lima", "Casación 123", False),  # cut inside a number
    ("Expediente 00456-2019-31-1826-JR-PE-02", "Expediente 00456-2019-3", False),
    ("Expediente 00456-2019", "Expediente 00456-2019-3-1826-JR-PE-02", False),  # the longer is not part of the shorter
    ("Ley 30077", "Ley 300", False),
    ("Código Penal art. 296-A", "Código Penal art. 296", False),  # another article, not a part: no number-year
    ("Casación 1234-2018/Lima", "R.N. 1234-2018", False),
])
def test_extends(full, partial, expected):
    assert extends(full, partial) is expected


def test_refs_in_a_passage():
    text = (
        "VISTOS: el Informe Policial N° 231-2019-DIRANDRO-PNP/DIVINESP y el Oficio N° 512-2020-MP-FN-FECOR; y,\n"
        "CONSIDERANDO: que mediante DISPOSICIÓN N° 04-2021-MP-FN – FORMALIZACIÓN se formalizó la investigación,\n"
        "que el Acta de Intervención Policial N° 018-2019-DIRNIC-PNP/Callao consigna la incautación, y que la\n"
        "Resolución N° 5 del Juzgado, según la Casación N° 1234-2018/Lima, no fue apelada."
    )
    assert pairs(find_citations(text)) == [
        (R, "Informe Policial 231-2019-DIRANDRO-PNP/DIVINESP"),
        (R, "Oficio 512-2020-MP-FN-FECOR"),
        (R, "Disposición Fiscal 4-2021-MP-FN"),
        (R, "Acta de Intervención 18-2019-DIRNIC-PNP/CALLAO"),
        (C, "Casación 1234-2018/Lima"),
    ]


def test_ref_is_an_entity_type():
    from nlp.types import ENTITY_TYPES

    assert {p.type for p in patterns()} <= set(ENTITY_TYPES)
    assert "ref" in ENTITY_TYPES


# --- throughput (printed, not asserted) ------------------------------------------------------------

_PARAGRAPH = (
    "Lima, {d} de mayo de 2019. VISTOS: el recurso de nulidad interpuesto por la defensa del sentenciado contra "
    "la sentencia que lo condenó como autor del delito de tráfico ilícito de drogas previsto en el artículo 296 "
    "del Código Penal, con la agravante del artículo 297, inciso 6, en agravio del Estado, y fijó en S/ {n} 000.00 "
    "la reparación civil. El acusado, identificado con DNI N° 4381{n:04d}, gerente de la empresa con RUC N° "
    "2060123{n:04d}, fue intervenido el 24/10/2017 con 1 046 paquetes de clorhidrato de cocaína. Conforme al "
    "Acuerdo Plenario N° 3-2010/CJ-116, la Ley N° 30077 y el Decreto Legislativo N° 1106, y siguiendo la "
    "Casación N° {n}-2018/Lima, se declara no haber nulidad en el Expediente N° 00{n}-2017-5-1826-JR-PE-03. "
    "Las organizaciones criminales dedicadas al tráfico ilícito de drogas actúan con compartimentación, "
    "disciplina interna y una notable capacidad para detectar la vigilancia policial; frente a ellas, los "
    "medios tradicionales de investigación resultan muchas veces insuficientes.\n"
)


def test_throughput(capsys):
    text = "".join(_PARAGRAPH.format(d=1 + i % 28, n=100 + i % 900) for i in range(400))
    size = len(text.encode("utf-8"))
    t0 = time.perf_counter()
    citations = find_citations(text)
    t1 = time.perf_counter()
    numbers = find_numbers(text)
    t2 = time.perf_counter()
    assert len(citations) == 400 * 6 and len(numbers) == 400 * 5
    with capsys.disabled():
        print(
            f"\n[throughput] {size / 1e3:.0f} KB: find_citations {size / (t1 - t0) / 1e6:.2f} MB/s, "
            f"find_numbers {size / (t2 - t1) / 1e6:.2f} MB/s, both {size / (t2 - t0) / 1e6:.2f} MB/s"
        )
