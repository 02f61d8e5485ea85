"""Entity quality per type on the labelled sets, against floors set from measurement
(docs/nlp-quality.md has the tables and how they were made). A change that makes any type worse
than its floor on any set fails here.

The dev sets (``nlp/devset``, ``nlp/dev2``) are the ones errors are studied on; the held-out sets
(``nlp/heldout``, ``nlp/heldout2``) are only scored, so their floors are the honest ones. Targets:
case/law P 0.95 R 0.90; per/org P 0.85 R 0.80 (first held-out set); P 0.90 R 0.85 for persons, criminal
organisations, companies, laws and cases and document references (second held-out set).
"""

from __future__ import annotations

import pytest

from nlp.evaluate import SET_TYPES, SETS, evaluate, load_devset, load_heldout
from nlp.extract import document_entities

# type: (precision floor, recall floor), a little under the measured figures.
DEV_FLOORS = {
    "case": (0.95, 0.95),
    "law": (0.95, 0.95),
    "money": (0.95, 0.95),
    "dni": (0.95, 0.95),
    "ruc": (0.95, 0.95),
    "date": (0.95, 0.95),
    "drug": (0.95, 0.95),
    "org": (0.95, 0.95),
    "criminal_org": (0.95, 0.95),
    "per": (0.95, 0.95),
    "institution": (0.95, 0.95),
    "loc": (0.93, 0.95),
}
HELDOUT_FLOORS = {
    "case": (0.95, 0.95),
    "law": (0.95, 0.95),
    "money": (0.95, 0.90),
    "dni": (0.95, 0.95),
    "ruc": (0.95, 0.95),
    "date": (0.95, 0.95),
    "drug": (0.95, 0.95),
    "org": (0.95, 0.90),
    "criminal_org": (0.95, 0.70),  # 4 labels: one missed is 0.75
    "per": (0.90, 0.83),  # targets P 0.85, R 0.80: met, by a margin of a few names on 103
    "institution": (0.95, 0.93),
    "loc": (0.90, 0.87),
}


# The second held-out set (nlp/heldout2/, its own types): its measurement after the dev2 round rounded down to
# two decimals, a perfect score's floor at 0.95 (docs/nlp-quality.md), so that a change which loses what it found
# fails here.
HELDOUT2_FLOORS = {
    "per": (0.90, 0.92),
    "org": (0.95, 0.88),
    "criminal_org": (0.97, 0.86),  # 51 labels
    "operation": (0.95, 0.96),
    "ref": (0.98, 0.98),
    "case": (0.95, 0.98),
    "law": (0.98, 0.97),
    "money": (0.95, 0.97),
}
# The second tuning set (nlp/dev2/, the second held-out set's types; tuned on, like the dev set).
DEV2_FLOORS = {t: (0.95, 0.95) for t in ("per", "org", "criminal_org", "operation", "ref", "case", "law", "money")}
FLOORS = {"dev": DEV_FLOORS, "dev2": DEV2_FLOORS, "heldout": HELDOUT_FLOORS, "heldout2": HELDOUT2_FLOORS}


@pytest.fixture(scope="module")
def reports():
    return {"dev": evaluate(document_entities, load_devset()),
            "dev2": evaluate(document_entities, load_devset(SETS["dev2"]), SET_TYPES["dev2"]),
            "heldout": evaluate(document_entities, load_heldout()),
            "heldout2": evaluate(document_entities, load_devset(SETS["heldout2"]), SET_TYPES["heldout2"])}


@pytest.mark.parametrize(("labelled", "kind"), [(name, k) for name, floors in FLOORS.items() for k in sorted(floors)])
def test_precision_and_recall_stay_above_their_floors(reports, labelled, kind):
    precision_floor, recall_floor = FLOORS[labelled][kind]
    report = reports[labelled]
    row = report.per_type[kind]
    assert row.precision >= precision_floor, report.markdown()
    assert row.recall >= recall_floor, report.markdown()


def test_every_set_is_scored_on_every_type_it_labels(reports):
    assert set(reports) == set(FLOORS)
    for name, report in reports.items():
        assert set(report.per_type) == set(FLOORS[name]), name
        assert all(row.gold > 0 for row in report.per_type.values()), name
