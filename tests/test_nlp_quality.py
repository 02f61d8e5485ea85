"""Entity quality on the labelled dev set (``nlp/devset``), per type, against floors set from
measurement (docs/nlp-quality.md has the table and how it was made). A change that makes any type
worse than its floor fails here."""

from __future__ import annotations

import pytest

from nlp.evaluate import evaluate, load_devset
from nlp.extract import document_entities

# type: (precision floor, recall floor). Targets: case/law P 0.95 R 0.90; per/org P 0.85 R 0.80.
FLOORS = {
    "case": (0.95, 0.95),
    "law": (0.95, 0.95),
    "money": (0.95, 0.95),
    "dni": (0.95, 0.95),
    "ruc": (0.95, 0.95),
    "date": (0.95, 0.95),
    "drug": (0.95, 0.95),
    "org": (0.95, 0.85),
    "per": (0.87, 0.65),  # recall below the 0.80 target: see docs/nlp-quality.md
    "institution": (0.80, 0.80),
    "loc": (0.70, 0.75),
}


@pytest.fixture(scope="module")
def report():
    return evaluate(document_entities, load_devset())


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_precision_and_recall_stay_above_their_floors(report, kind):
    precision_floor, recall_floor = FLOORS[kind]
    row = report.per_type[kind]
    assert row.precision >= precision_floor, report.markdown()
    assert row.recall >= recall_floor, report.markdown()
