"""Companies, criminal organisations and named operations, as the case files write them (table-driven)."""

from __future__ import annotations

import pytest

from nlp.organizations import find_operations, find_organizations


def _found(text: str) -> list[tuple[str, str]]:
    return [(m.type, m.canonical) for m in find_organizations(text) + find_operations(text)]


CASES = [
    # criminal organisations: quoted, bare after a criminal cue, clans, well-known ones
    ("La organización criminal «Los Injertos del Cono» cobraba cupos en Comas.",
     [("criminal_org", "Los Injertos del Cono")]),
    ("la banda criminal Los Malditos de Bayóvar operaba en San Juan de Lurigancho",
     [("criminal_org", "Los Malditos de Bayóvar")]),
    ("integrantes de la organización criminal Los Pulpos de Trujillo y de la banda Los Topos",
     [("criminal_org", "Los Pulpos de Trujillo"), ("criminal_org", "Los Topos")]),
    ("LA ORGANIZACIÓN CRIMINAL LOS INJERTOS DEL CONO", [("criminal_org", "LOS INJERTOS DEL CONO")]),
    ("el clan Sánchez Paredes lavó activos mediante empresas", [("criminal_org", "Clan Sánchez Paredes")]),
    ("remanentes de Sendero Luminoso transportan droga en el VRAEM", [("criminal_org", "Sendero Luminoso")]),
    ("the gang «Los Injertos del Cono» extorted bus drivers", [("criminal_org", "Los Injertos del Cono")]),
    # generic mentions are not names
    ("una banda de delincuentes asaltó el local", []),
    ("la organización criminal investigada operaba en el puerto", []),
    # companies keep their full legal name, suffix included
    ("Inmobiliaria Costa Verde Premium S.A.C. recibió depósitos fraccionados.",
     [("org", "Inmobiliaria Costa Verde Premium S.A.C.")]),
    # operations, whatever the text calls them
    ("la Operación «Tormenta del Norte» desarticuló la red", [("operation", "Operación Tormenta del Norte")]),
    ('durante el operativo "Gran Cóndor" se incautó', [("operation", "Operación Gran Cóndor")]),
    ("Operation Tormenta del Norte was led by DIRANDRO", [("operation", "Operación Tormenta del Norte")]),
    ("en el operativo policial del 3 de mayo se detuvo a dos personas", []),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_organisations_and_operations(text, expected):
    assert sorted(_found(text)) == sorted(expected)
