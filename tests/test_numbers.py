"""Money, DNI, RUC and dates (``nlp.numbers``), table-driven.

Each row is ``(text, [(type, canonical), ...])``: every mention ``find_numbers`` must return, in
order, and nothing else. Negative rows expect ``[]``.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlp.numbers import find_numbers, parse_amount
from tests.tables import assert_spans, pairs

M, D, R, T = "money", "dni", "ruc", "date"

CASES = [
    # --- money: soles
    pytest.param("la suma de S/ 1 250 000.00 (un millón", [(M, "PEN 1250000.00")], id="pen-space-thousands"),
    pytest.param("S/. 1,250,000", [(M, "PEN 1250000.00")], id="pen-old-sign-commas"),
    pytest.param("S/1'250,000.00", [(M, "PEN 1250000.00")], id="pen-apostrophe-millions"),
    pytest.param("S/ 1.250.000,00", [(M, "PEN 1250000.00")], id="pen-continental"),
    pytest.param("fijó en S/\n500 000.00 el monto", [(M, "PEN 500000.00")], id="pen-line-break-after-sign"),
    pytest.param("S/ 96 000.00 anuales", [(M, "PEN 96000.00")], id="pen-small"),
    pytest.param("S/ 5 000.-", [(M, "PEN 5000.00")], id="pen-dash-ending"),
    pytest.param("S/ 20,50", [(M, "PEN 20.50")], id="pen-decimal-comma"),
    pytest.param("S/ 5 mil", [(M, "PEN 5000.00")], id="pen-mil"),
    pytest.param("1.5 millones de soles", [(M, "PEN 1500000.00")], id="pen-words-millones"),
    pytest.param("500 mil nuevos soles", [(M, "PEN 500000.00")], id="pen-nuevos-soles"),
    pytest.param("10 000 soles", [(M, "PEN 10000.00")], id="pen-amount-then-soles"),
    pytest.param("PEN 2 500", [(M, "PEN 2500.00")], id="pen-code"),
    # --- money: dollars, euros
    pytest.param("US$ 3.2 millones", [(M, "USD 3200000.00")], id="usd-millones"),
    pytest.param("y US$ 380 000.00, distribuidos", [(M, "USD 380000.00")], id="usd-sign"),
    pytest.param("USD 50,000", [(M, "USD 50000.00")], id="usd-code"),
    pytest.param("$us 12 000", [(M, "USD 12000.00")], id="usd-dollar-us"),
    pytest.param("2 millones de dólares americanos", [(M, "USD 2000000.00")], id="usd-words"),
    pytest.param("$ 10 000 dólares", [(M, "USD 10000.00")], id="usd-bare-dollar-with-word"),
    pytest.param("€ 500", [(M, "EUR 500.00")], id="eur-sign"),
    pytest.param("500 €", [(M, "EUR 500.00")], id="eur-after"),
    pytest.param("3 millones de euros", [(M, "EUR 3000000.00")], id="eur-words"),
    pytest.param("por S/ 214 830.00 y US$ 36 100.00.", [(M, "PEN 214830.00"), (M, "USD 36100.00")], id="two-currencies"),
    # --- money: negatives
    pytest.param("$ 10 000", [], id="neg-bare-dollar-ambiguous"),
    pytest.param("(un millón doscientos cincuenta mil con 00/100 soles)", [], id="neg-cents-in-words"),
    pytest.param("un total de 1 046 paquetes", [], id="neg-count"),
    pytest.param("con un peso neto de 1 126.450 kg", [], id="neg-weight"),
    pytest.param("Av. Arequipa s/n", [], id="neg-sin-numero"),
    # --- DNI
    pytest.param("identificado con DNI N° 43817265, de cuarenta", [(D, "43817265")], id="dni"),
    pytest.param("D.N.I. N.º 09874132", [(D, "09874132")], id="dni-dots-leading-zero"),
    pytest.param("DNI: 43817265", [(D, "43817265")], id="dni-colon"),
    pytest.param("DNI Nro. 43817265", [(D, "43817265")], id="dni-nro"),
    pytest.param("DNI N* 43817265", [(D, "43817265")], id="dni-ocr-star"),
    pytest.param("documento nacional de identidad número 43817265", [(D, "43817265")], id="dni-words"),
    pytest.param("L.E. N° 08123456", [(D, "08123456")], id="dni-libreta-electoral"),
    pytest.param("partida registral N° 11023456", [], id="neg-bare-8-digits"),
    pytest.param("DNI N° 4381726", [], id="neg-dni-7-digits"),
    pytest.param("DNI N° 438172651", [], id="neg-dni-9-digits"),
    # --- RUC
    pytest.param("(RUC N° 20601234567)", [(R, "20601234567")], id="ruc"),
    pytest.param("R.U.C. 10438172651", [(R, "10438172651")], id="ruc-person"),
    pytest.param("RUC: 15123456789", [(R, "15123456789")], id="ruc-15"),
    pytest.param("RUC N° 12345678901", [], id="neg-ruc-bad-prefix"),
    pytest.param("20601234567", [], id="neg-bare-11-digits"),
    # --- dates
    pytest.param("Lima, 18 de agosto de\n2020.", [(T, "2020-08-18")], id="date-line-break"),
    pytest.param("14 de mayo del 2019", [(T, "2019-05-14")], id="date-del"),
    pytest.param("el 3 de marzo del año 2017, a partir", [(T, "2017-03-03")], id="date-del-ano"),
    pytest.param("14 de Setiembre de 2019", [(T, "2019-09-14")], id="date-setiembre"),
    pytest.param("14 DE SEPTIEMBRE DE 2019", [(T, "2019-09-14")], id="date-upper"),
    pytest.param("el lunes 13 de mayo de 2019", [(T, "2019-05-13")], id="date-weekday"),
    pytest.param("1° de enero de 2020", [(T, "2020-01-01")], id="date-first-degree"),
    pytest.param("1ro de enero de 2020", [(T, "2020-01-01")], id="date-first-ro"),
    pytest.param("a los 14 días del mes de mayo del año 2019", [(T, "2019-05-14")], id="date-acta"),
    pytest.param("Lima, catorce de mayo de dos mil diecinueve.", [(T, "2019-05-14")], id="date-words"),
    pytest.param("treinta y uno de diciembre de mil novecientos noventa y ocho", [(T, "1998-12-31")], id="date-words-1900s"),
    pytest.param("14/05/2019", [(T, "2019-05-14")], id="date-slash"),
    pytest.param("14-05-2019", [(T, "2019-05-14")], id="date-hyphen"),
    pytest.param("14.05.2019", [(T, "2019-05-14")], id="date-dot"),
    pytest.param("intervenido el 4/1/2018 en", [(T, "2018-01-04")], id="date-slash-one-digit"),
    pytest.param("2019-05-14", [(T, "2019-05-14")], id="date-iso"),
    pytest.param("14-MAY-2019", [(T, "2019-05-14")], id="date-month-abbr"),
    pytest.param("29 de febrero de 2020", [(T, "2020-02-29")], id="date-leap-day"),
    pytest.param("29 de febrero de 2019", [], id="neg-date-not-leap"),
    pytest.param("31 de abril de 2019", [], id="neg-date-31-april"),
    pytest.param("32/01/2019", [], id="neg-date-day-32"),
    pytest.param("14/13/2019", [], id="neg-date-month-13"),
    pytest.param("desde enero del año 2016 hasta octubre", [], id="neg-month-year"),
    pytest.param("mayo de 2019", [], id="neg-month-de-year"),
    pytest.param("14/05/19", [], id="neg-two-digit-year"),
    pytest.param("Oficio N° 14-05-2019", [], id="neg-numbered-document"),
    pytest.param("Informe N° 14-05-2019-DIRANDRO", [], id="neg-identifier-continues"),
    pytest.param("entre los años 2011 y 2014", [], id="neg-years"),
    # --- OCR: O for 0 and l for 1 inside numbers
    pytest.param("la suma de S/ 34 8OO.OO en billetes", [(M, "PEN 34800.00")], id="ocr-money-o"),
    pytest.param("FIJANDO en S/ 5,OOO.OO la reparación", [(M, "PEN 5000.00")], id="ocr-money-o-groups"),
    pytest.param("remesas del exterior por US$ 2l0 OOO, sin", [(M, "USD 210000.00")], id="ocr-money-l-and-o"),
    pytest.param("identificado con DNl N? 46612378, y", [(D, "46612378")], id="ocr-dni-l-for-i"),
    pytest.param("DNI N? 2295O183", [(D, "22950183")], id="ocr-dni-o"),
    pytest.param("DNI N° 438I7265", [(D, "43817265")], id="ocr-dni-capital-i-after-number-sign"),
    pytest.param("DNI N° 4381B265", [(D, "43818265")], id="ocr-dni-b-between-digits-after-number-sign"),
    pytest.param("el 14—05—2019", [(T, "2019-05-14")], id="date-em-dashes"),
    pytest.param("The driver (DNI 2251 7839), has", [(D, "22517839")], id="ocr-dni-split"),
    pytest.param("(RUC N* 2O5O1122334)", [(R, "20501122334")], id="ocr-ruc-o"),
    pytest.param("Chiclayo, l5 de enero de 2021", [(T, "2021-01-15")], id="ocr-date-l"),
    pytest.param("Tingo María, O6 de octubre de 2022", [(T, "2022-10-06")], id="ocr-date-o"),
    pytest.param("declaración del SO2 PNP Richard Tello", [], id="neg-ocr-rank-not-a-number"),
    # --- English
    pytest.param("declared annual revenue of PEN 2.4 million but", [(M, "PEN 2400000.00")], id="en-pen-million"),
    pytest.param("transfers of US$ 1.5 million from", [(M, "USD 1500000.00")], id="en-usd-million"),
    pytest.param("held in Lima on 14 May 2019.", [(T, "2019-05-14")], id="en-date"),
    pytest.param("Date of judgment: July 5, 2021", [(T, "2021-07-05")], id="en-date-month-first"),
    pytest.param("On 22nd February 2023, officers", [(T, "2023-02-22")], id="en-date-ordinal"),
    pytest.param("you may 14 times", [], id="neg-en-may"),
    # --- mixed
    pytest.param(
        "El 24 de octubre de 2017 se incautó S/ 1 250 000.00 a Rosa (DNI N° 40592718), gerente de la empresa (RUC N° 20601234567).",
        [(T, "2017-10-24"), (M, "PEN 1250000.00"), (D, "40592718"), (R, "20601234567")],
        id="mixed-sentence",
    ),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_find_numbers(text, expected):
    found = find_numbers(text)
    assert pairs(found) == expected
    assert_spans(text, found)


def test_surfaces():
    text = "por S/ 214 830.00 y US$ 36 100.00; DNI N° 41267093; el lunes 13 de mayo de 2019."
    assert [m.surface for m in find_numbers(text)] == [
        "S/ 214 830.00",
        "US$ 36 100.00",
        "DNI N° 41267093",
        "lunes 13 de mayo de 2019",
    ]


def test_spans_survive_decomposed_accents():
    text = "el mie\u0301rcoles 15 de mayo de 2019 y S/ 500.00"
    found = find_numbers(text)
    assert [(m.canonical, m.surface) for m in found] == [
        ("2019-05-15", "mie\u0301rcoles 15 de mayo de 2019"),
        ("PEN 500.00", "S/ 500.00"),
    ]
    assert all(text[m.start : m.end] == m.surface for m in found)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1 250 000.00", "1250000.00"),
        ("1,250,000", "1250000"),
        ("1.250.000,00", "1250000.00"),
        ("1'250,000.00", "1250000.00"),
        ("3.2", "3.2"),
        ("3,5", "3.5"),
        ("1.250", "1250"),
        ("50,000", "50000"),
        ("1250000.00", "1250000.00"),
    ],
)
def test_parse_amount(text, expected):
    assert parse_amount(text) == Decimal(expected)
