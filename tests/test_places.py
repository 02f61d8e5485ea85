"""Place patterns (nlp/places.py) and the place filters of nlp/ner.py: table-driven, no model."""

from __future__ import annotations

import pytest

from nlp.ner import clean_span, sentence_initial
from nlp.places import find_addresses, find_places


@pytest.mark.parametrize(("text", "expected"), [
    ("en el sector Afilador, distrito de Rupa Rupa,\nprovincia de Leoncio Prado, departamento de Huánuco,",
     {"Afilador", "Rupa Rupa", "Leoncio Prado", "Huánuco"}),
    ("seis inmuebles en los distritos de Surco y La Molina a nombre", {"Surco", "La Molina"}),
    ("en el centro poblado Unión Mantaro, distrito de Pichari", {"Unión Mantaro", "Pichari"}),
    ("en la ruta Ayacucho–San Francisco, la policía", {"Ayacucho", "San Francisco"}),
    ("en el Valle de los Ríos Apurímac, Ene y Mantaro (VRAEM)", {"VRAEM"}),
    ("the Apurímac, Ene and Mantaro River Valley (VRAEM)", {"VRAEM"}),
    ("los puertos del Callao y de Paita", {"Callao", "Paita"}),
    # rivers and port terminals are places of their own, not the province or city named after them
    ("la droga bajó por el río Huallaga hasta Tocache", {"Río Huallaga", "Tocache"}),
    ("embarcada en el Terminal Portuario del Callao y en el Muelle Sur del Callao",
     {"Terminal Portuario del Callao", "Muelle Sur del Callao"}),
    ("el TERMINAL NORTE MULTIPROPÓSITO DEL CALLAO", set()),  # capitals: a heading's words, not read
    # not places
    ("el distrito de Fiscalía Provincial", set()),
    ("la provincia de donde viene", set()),
    ("UIF-Peru", set()),
    ("Peruvian nationals", set()),
])
def test_find_places(text, expected):
    assert {m.canonical for m in find_places(text)} == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("el inmueble ubicado en Jr. Huallaga 345, Cercado de Lima", ["Jr. Huallaga 345"]),
    ("el almacén de la Avenida Argentina N° 1240, Callao", ["Av. Argentina 1240"]),
    ("en Av. 28 de Julio 1234, Miraflores", ["Av. 28 de Julio 1234"]),
    ("la vivienda de Calle Los Pinos 158 Mz. B Lt. 7, Comas", ["Calle Los Pinos 158 Mz. B Lt. 7"]),
    ("el jirón Ucayali s/n, Tingo María", ["Jr. Ucayali S/N"]),
    # no number: a street named in passing, not an address
    ("caminaba por la Av. Javier Prado cuando", []),
    ("en la calle de enfrente 23 personas", []),
])
def test_find_addresses(text, expected):
    assert [m.canonical for m in find_addresses(text)] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Tingo María", "Tingo María"),
    ("El hecho", None),
    ("DOMINIO DE LIMA", None),
    ("La Fiscal Provincial", None),
    ("AUTOS Y VISTOS", None),
    ("ASUNTO", None),
    ("CALLAO", "CALLAO"),
    ("Aeropuerto Internacional Jorge Chávez", "Aeropuerto Internacional Jorge Chávez"),
])
def test_clean_span_for_places(text, expected):
    assert clean_span(text, "loc") == expected


@pytest.mark.parametrize(("text", "word", "expected"), [
    ("Indicadores de riesgo", "Indicadores", True),
    ("4.2 Indicadores de riesgo", "Indicadores", True),
    ("texto.\n- Mercancía de bajo valor", "Mercancía", True),
    ("Hecho. Camioneta blanca", "Camioneta", True),
    ("viajó a Pucallpa en", "Pucallpa", False),
])
def test_sentence_initial(text, word, expected):
    assert sentence_initial(text, text.index(word)) is expected
