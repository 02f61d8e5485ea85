"""Entity quality per type on the two labelled sets, against floors set from measurement
(docs/nlp-quality.md has the tables and how they were made). A change that makes any type worse
than its floor on either set fails here.

The dev set (``nlp/devset``) is the one errors are studied on; the held-out set (``nlp/heldout``)
is only scored, so its floors are the honest ones. Targets: case/law P 0.95 R 0.90; per/org P 0.85
R 0.80.
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


# The second held-out set (nlp/heldout2/, its own types): floors a little under its first measurement
# (docs/nlp-quality.md), so that a change which loses what it found fails here.
HELDOUT2_FLOORS = {
    "per": (0.86, 0.85),
    "org": (0.95, 0.83),
    "criminal_org": (0.93, 0.64),
    "operation": (0.95, 0.88),
    "ref": (0.95, 0.77),
    "case": (0.95, 0.95),
    "law": (0.95, 0.90),
    "money": (0.95, 0.95),
}


@pytest.fixture(scope="module")
def reports():
    return {"dev": evaluate(document_entities, load_devset()),
            "heldout": evaluate(document_entities, load_heldout()),
            "heldout2": evaluate(document_entities, load_devset(SETS["heldout2"]), SET_TYPES["heldout2"])}


@pytest.mark.parametrize(("labelled", "kind"),
                         [("dev", k) for k in sorted(DEV_FLOORS)] + [("heldout", k) for k in sorted(HELDOUT_FLOORS)]
                         + [("heldout2", k) for k in sorted(HELDOUT2_FLOORS)])
def test_precision_and_recall_stay_above_their_floors(reports, labelled, kind):
    floors = {"dev": DEV_FLOORS, "heldout": HELDOUT_FLOORS, "heldout2": HELDOUT2_FLOORS}[labelled]
    precision_floor, recall_floor = floors[kind]
    report = reports[labelled]
    row = report.per_type[kind]
    assert row.precision >= precision_floor, report.markdown()
    assert row.recall >= recall_floor, report.markdown()


def test_every_set_is_scored_on_every_type_it_labels(reports):
    floors = {"dev": DEV_FLOORS, "heldout": HELDOUT_FLOORS, "heldout2": HELDOUT2_FLOORS}
    for name, report in reports.items():
        assert set(report.per_type) == set(floors[name]), name
        assert all(row.gold > 0 for row in report.per_type.values()), name
