"""The evaluator (nlp/evaluate.py) and the labelled sets it reads (nlp/devset/, nlp/heldout/)."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter

import pytest

from nlp.evaluate import (
    DEVSET_DIR,
    HELDOUT_DIR,
    KINDS,
    SETS,
    TUNING_SETS,
    TYPES,
    DevDoc,
    DevSetError,
    evaluate,
    load_devset,
    load_heldout,
    main,
    normalise,
)
from nlp.gazetteer import institutions


def doc(id: str, entities: list[tuple[str, str]], text: str = "texto", language: str = "es") -> DevDoc:
    return DevDoc(id=id, language=language, kind="otro", source="typed", text=text, entities=tuple(entities))


def fixed(answers: dict[str, list[tuple[str, str]]]):
    """An extractor that answers by document text."""
    return lambda text, language: answers.get(text, [])


# ----------------------------------------------------------------------------- the evaluator


@pytest.fixture(scope="module")
def devset() -> list[DevDoc]:
    return load_devset()


def oracle_extract(text: str, language: str) -> list[tuple[str, str]]:
    """The perfect extractor: the gold labels of the document of any labelled set with this text."""
    for d in (d for name, folder in SETS.items() if any(folder.glob("*.json")) for d in load_devset(folder)):
        if d.text == text:
            return list(d.entities)
    return []


def test_perfect_extractor_scores_one(devset):
    report = evaluate(oracle_extract, devset)
    assert report.micro.fn == report.micro.fp == 0
    assert report.micro.precision == report.micro.recall == report.micro.f1 == 1.0
    for t in TYPES:
        c = report.per_type[t]
        assert c.gold > 0, f"the dev set has no {t}"
        assert (c.precision, c.recall, c.f1) == (1.0, 1.0, 1.0)
    assert report.worst() == []


def test_empty_extractor_has_zero_recall(devset):
    report = evaluate(lambda text, language: [], devset)
    micro = report.micro
    assert micro.tp == micro.fp == 0
    assert micro.fn == sum(len(d.entities) for d in devset)
    assert micro.recall == 0.0 and micro.precision == 0.0 and micro.f1 == 0.0
    assert all(c.recall == 0.0 for c in report.per_type.values())
    assert len(report.worst(100)) == len(devset)


def test_known_mix_gives_expected_numbers():
    docs = [
        doc("a", [("per", "Juan Pérez"), ("loc", "Lima"), ("law", "Ley 30077")], text="A"),
        doc("b", [("loc", "Callao"), ("drug", "cocaína")], text="B"),
    ]
    extract = fixed({
        "A": [("per", "Juan Pérez"), ("loc", "Lima"), ("loc", "Perú"), ("misc", "Operación Tenaza")],
        "B": [("loc", "Callao"), ("drug", "marihuana"), ("drug", "marihuana")],
    })
    report = evaluate(extract, docs)
    per, loc, law, drug = (report.per_type[t] for t in ("per", "loc", "law", "drug"))
    assert (per.tp, per.fp, per.fn) == (1, 0, 0)
    assert (loc.tp, loc.fp, loc.fn) == (2, 1, 0)
    assert (law.tp, law.fp, law.fn) == (0, 0, 1)
    assert (drug.tp, drug.fp, drug.fn) == (0, 1, 1)  # the duplicate prediction counts once
    assert loc.precision == pytest.approx(2 / 3) and loc.recall == 1.0
    assert loc.f1 == pytest.approx(0.8)
    assert law.precision == 0.0 and law.recall == 0.0 and law.f1 == 0.0
    micro = report.micro
    assert (micro.tp, micro.fp, micro.fn) == (3, 2, 2)  # misc is ignored
    assert micro.precision == pytest.approx(0.6) and micro.recall == pytest.approx(0.6)
    assert micro.f1 == pytest.approx(0.6)
    # a type absent from gold and predictions scores 1 and is left out of the macro average
    assert report.per_type["ruc"].f1 == 1.0
    assert report.macro_f1 == pytest.approx((1.0 + 0.8 + 0.0 + 0.0) / 4)
    a, b = report.documents
    assert a.missed == [("law", "Ley 30077")] and a.spurious == [("loc", "Perú")]
    assert b.missed == [("drug", "cocaína")] and b.spurious == [("drug", "marihuana")]
    assert [d.id for d in report.worst()] == ["b", "a"]  # same error count, lower F1 first


def test_types_restrict_both_sides():
    docs = [doc("a", [("per", "Ana Ruiz"), ("loc", "Lima")], text="A")]
    extract = fixed({"A": [("per", "Ana Ruiz"), ("org", "Los Topos")]})
    report = evaluate(extract, docs, types=["per"])
    assert report.types == ("per",)
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (1, 0, 0)


def test_normalisation_case_whitespace_nfc():
    decomposed = unicodedata.normalize("NFD", "Tingo María")
    assert decomposed != "Tingo María"
    docs = [doc("a", [("per", "Juan Carlos Pérez Huamán"), ("loc", "Tingo María"), ("org", "Los  Topos\nde la Chalaca")], text="A")]
    extract = fixed({"A": [
        ("PER", "JUAN CARLOS  PÉREZ\nHUAMÁN "),
        ("loc", decomposed),
        ("org", "los topos de la chalaca"),
    ]})
    report = evaluate(extract, docs)
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (3, 0, 0)


def test_normalisation_keeps_accents():
    assert normalise("Huánuco") != normalise("Huanuco")
    docs = [doc("a", [("loc", "Huánuco"), ("drug", "clorhidrato de cocaína")], text="A")]
    extract = fixed({"A": [("loc", "Huanuco"), ("drug", "clorhidrato de cocaina")]})
    report = evaluate(extract, docs)
    assert (report.micro.tp, report.micro.fp, report.micro.fn) == (0, 2, 2)


def test_normalise_rules():
    assert normalise("  Ley\t30077\n") == "ley 30077"
    assert normalise("STRASSE") == normalise("straße")  # casefold, not lower
    assert normalise("Ñique Salazar") == "ñique salazar"


def test_extractor_may_return_objects_with_attributes():
    class Ent:
        def __init__(self, type, canonical):
            self.type, self.canonical = type, canonical

    docs = [doc("a", [("dni", "43817265")], text="A")]
    report = evaluate(lambda text, language: iter([Ent("dni", "43817265")]), docs)
    assert report.micro.f1 == 1.0


def test_markdown_table(devset):
    report = evaluate(lambda text, language: [("loc", "Lima")], devset)
    table = report.markdown()
    lines = table.splitlines()
    assert lines[0].startswith("| type | gold | predicted | tp | fp | fn | precision | recall | F1 |")
    assert len(lines) == 2 + len(TYPES) + 2
    assert any(line.startswith("| loc |") for line in lines)
    assert "**micro**" in table and "macro F1" in table
    errors = report.errors_markdown(3)
    assert errors.count("### ") == 3 and "missed" in errors


def test_main_prints_table_and_worst(capsys):
    assert main(["tests.test_evaluate:oracle_extract", "--worst", "3"]) == 0
    out = capsys.readouterr().out
    labelled_sets = [name for name, folder in SETS.items() if any(folder.glob("*.json"))]
    assert out.count("| **micro** |") == len(labelled_sets) and "## dev:" in out and "## heldout:" in out
    # the tuning sets' errors are listed (none, for the oracle), the held-out sets' are not by default
    assert out.count("No errors.") == len([n for n in TUNING_SETS if n in labelled_sets])
    assert main(["tests.test_evaluate:oracle_extract", "--set", "dev", "--types", "per,dni", "--source", "ocr"]) == 0
    out = capsys.readouterr().out
    assert "| per |" in out and "| loc |" not in out and "heldout" not in out


def test_main_scores_each_set_apart(capsys):
    """A set the extractor knows nothing of scores zero, the other one: the two tables are separate."""
    assert main(["tests.test_evaluate:dev_only_oracle", "--worst", "0"]) == 0
    out = capsys.readouterr().out
    dev, heldout = out.split("## heldout:")

    def micro(table: str) -> str:
        return next(line for line in table.splitlines() if line.startswith("| **micro** |"))

    assert micro(dev).endswith("| 0 | 0 | 1.000 | 1.000 | 1.000 |"), micro(dev)
    assert micro(heldout).endswith("| 0.000 | 0.000 | 0.000 |") and "| 0 | 0 | 0 |" in micro(heldout), micro(heldout)
    assert main(["tests.test_evaluate:dev_only_oracle", "--set", "heldout", "--heldout-errors", "--worst", "2"]) == 0
    out = capsys.readouterr().out
    assert "## dev:" not in out and out.count("- missed") >= 2


def dev_only_oracle(text: str, language: str) -> list[tuple[str, str]]:
    """The gold labels of the dev set only: perfect on it, empty on the held-out set."""
    for d in load_devset():
        if d.text == text:
            return list(d.entities)
    return []


def test_load_devset_rejects_bad_files(tmp_path):
    good = {"id": "x", "language": "es", "kind": "otro", "source": "typed", "text": "t",
            "entities": [{"type": "per", "canonical": "Ana"}]}
    path = tmp_path / "001-x.json"
    path.write_text(json.dumps(good), encoding="utf-8")
    assert load_devset(tmp_path)[0].entities == (("per", "Ana"),)
    for change in ({"language": "pt"}, {"kind": "memo"}, {"source": "scan"},
                   {"entities": [{"type": "misc", "canonical": "x"}]},
                   {"entities": [{"type": "per", "canonical": "  "}]}):
        path.write_text(json.dumps({**good, **change}), encoding="utf-8")
        with pytest.raises(DevSetError):
            load_devset(tmp_path)


# ------------------------------------------------------------------------------- the dev set

# Formats of docs/entities.md.
DISTRICT = r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?: (?:de|del|la|las|los|[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+))*"
FORMATS = {
    "case": re.compile(
        r"(?:Expediente|Casación|R\.N\.|Carpeta Fiscal|Acuerdo Plenario) "
        rf"\d[\dA-Z]*(?:-[\dA-Z]+)*(?:/(?:{DISTRICT}|[A-Z]+-\d+))?"
    ),
    "law": re.compile(
        r"Ley \d+|Decreto Legislativo \d+|Decreto Ley \d+|Decreto Supremo \d{3}-\d{2,4}-[A-Z]+"
        r"|Resolución Administrativa \d+-\d{4}-[A-Z]+(?:-[A-Z]+)*"
        r"|(?:Código Penal|Código Procesal Penal|Código de Procedimientos Penales)"
        r"(?: art\. \d+(?:-[A-Z])?(?: inc\. \d+)?)?"
    ),
    "money": re.compile(r"(?:PEN|USD|EUR) \d+\.\d{2}"),
    "dni": re.compile(r"\d{8}"),
    "ruc": re.compile(r"(?:10|15|17|20)\d{9}"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
}
# Fixed names of docs/entities.md; spellings that must not be used as canonical forms instead.
TABLE_INSTITUTIONS = {
    "DIRANDRO", "Corte Suprema de Justicia", "Sala Penal Permanente", "FECOR", "SUNAT", "UIF-Perú",
    "Procuraduría Pública Especializada en Delitos de Tráfico Ilícito de Drogas",
}
INSTITUTION_ALIASES = {
    "PNP", "DIRANDRO-PNP", "Dirección Antidrogas", "UIF", "UIF-Peru", "UIF Perú",
    "Unidad de Inteligencia Financiera", "Unidad de Inteligencia Financiera del Perú",
    "Superintendencia Nacional de Aduanas y de Administración Tributaria", "SUNARP", "PRONABI",
    "Corte Suprema de Justicia de la República", "Corte Suprema", "Ministerio Publico",
    "Fiscalía Especializada contra la Criminalidad Organizada", "Procuraduría Pública Especializada en Delitos de TID",
}
# The drug canonical forms used by the dev set (Spanish, lower case, with accents).
DRUGS = {
    "clorhidrato de cocaína", "pasta básica de cocaína", "cocaína", "marihuana", "látex de opio",
    "insumos químicos fiscalizados", "kerosene", "ácido sulfúrico", "ácido clorhídrico", "acetona",
    "carbonato de sodio", "hoja de coca",
}
AS_WRITTEN = ("per", "org", "criminal_org", "loc")
OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})


def squeeze(text: str) -> str:
    """Case- and whitespace-insensitive text; line-end hyphenation joined (``Tin-\\ngo`` → ``Tingo``)."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"-[ \t]*\n\s*", "", text)
    return re.sub(r"\s+", "", text).casefold()


def number_of(entity_type: str, canonical: str) -> str | None:
    """The digits a document must show for this label (None: not checked)."""
    if entity_type in ("dni", "ruc"):
        return canonical
    if entity_type == "case":
        return canonical.split(" ")[-1].split("/")[0]
    if entity_type == "law":
        m = re.search(r"(\d[\d-]*[\dA-Z]*)", canonical.split(" inc.")[0].replace("art. ", ""))
        return m.group(1).split("-")[0] if m else None
    return None


@pytest.fixture(scope="module")
def heldout() -> list[DevDoc]:
    return load_heldout()


@pytest.fixture(scope="module", params=["dev", "heldout"])
def labelled(request, devset, heldout) -> list[DevDoc]:
    """Each labelled set in turn: the checks below hold for both."""
    return devset if request.param == "dev" else heldout


def test_devset_size_and_mix(devset):
    assert len(devset) >= 36
    languages = Counter(d.language for d in devset)
    assert languages["es"] >= 30 and languages["en"] >= 6
    assert sum(d.source == "ocr" for d in devset) >= 6
    assert {d.kind for d in devset} <= set(KINDS)


def test_heldout_size_and_mix(heldout):
    assert len(heldout) >= 15
    languages = Counter(d.language for d in heldout)
    assert languages["es"] >= 12 and languages["en"] >= 3
    assert sum(d.source == "ocr" for d in heldout) >= 3
    assert len({d.kind for d in heldout}) >= 6 and {d.kind for d in heldout} <= set(KINDS)
    assert sum(t == "per" for d in heldout for t, _ in d.entities) >= 80


def test_sets_are_disjoint(devset, heldout):
    """No document, id or number in both sets, and no held-out text reused from the dev set."""
    assert not {d.id for d in devset} & {d.id for d in heldout}
    assert not {d.id[:3] for d in devset} & {d.id[:3] for d in heldout}
    dev_paragraphs = {p.strip() for d in devset for p in d.text.split("\n\n") if len(p.strip()) > 80}
    reused = [(d.id, p[:60]) for d in heldout for p in d.text.split("\n\n") if p.strip() in dev_paragraphs]
    assert not reused, reused


def test_devset_files_and_ids(labelled):
    ids = [d.id for d in labelled]
    assert len(set(ids)) == len(ids)
    numbers = [d.id[:3] for d in labelled]
    assert len(set(numbers)) == len(numbers)
    for d in labelled:
        assert re.fullmatch(r"\d{3}-[a-z0-9]+(?:-[a-z0-9]+)*", d.id), d.id
        assert d.path is not None and d.path.stem == d.id
        words = len(d.text.split())
        assert 150 <= words <= 500, f"{d.id}: {words} words"
        assert d.text == unicodedata.normalize("NFC", d.text), d.id
        assert d.entities, d.id
    for folder in (DEVSET_DIR, HELDOUT_DIR):
        for path in folder.iterdir():
            assert path.suffix in (".json", ".md"), path.name
            content = path.read_text(encoding="utf-8")
            assert not re.search(r"(?:^|[\s\"'(])/(?:home|root|tmp|work|Users|mnt)/", content), path.name
            assert not re.search(r"[A-Za-z]:\\\\", content), path.name


def test_devset_labels_valid_and_distinct(labelled):
    for d in labelled:
        keys = Counter((t, normalise(c)) for t, c in d.entities)
        dup = [k for k, n in keys.items() if n > 1]
        assert not dup, f"{d.id}: duplicate labels {dup}"
        for t, c in d.entities:
            assert t in TYPES, (d.id, t)
            assert c.strip() and c == c.strip() and "  " not in c and "\n" not in c, (d.id, t, c)


@pytest.mark.parametrize("entity_type", sorted(FORMATS))
def test_devset_formats(labelled, entity_type):
    bad = [
        (d.id, c) for d in labelled for t, c in d.entities
        if t == entity_type and not FORMATS[entity_type].fullmatch(c)
    ]
    assert not bad, bad
    if entity_type == "date":
        for d in labelled:
            for t, c in d.entities:
                if t == "date":
                    try:
                        dt.date.fromisoformat(c)
                    except ValueError:
                        pytest.fail(f"{d.id}: {c} is not a calendar date")


def test_devset_as_written_types_occur_in_text(labelled):
    missing = [
        (d.id, t, c) for d in labelled for t, c in d.entities
        if t in AS_WRITTEN and squeeze(c) not in squeeze(d.text)
    ]
    assert not missing, missing


def test_devset_numbers_occur_in_text(labelled):
    """The digits of dni/ruc/case/law labels appear in the text (OCR O/l/I read as 0/1)."""
    missing = []
    for d in labelled:
        text = squeeze(d.text)
        if d.source == "ocr":
            text = text.translate(OCR_DIGITS)
        for t, c in d.entities:
            number = number_of(t, c)
            if number and number.casefold() not in text:
                missing.append((d.id, t, c))
    assert not missing, missing


def test_devset_institutions_and_drugs_consistent(labelled):
    """Institution labels are names of the gazetteer (one convention for both): never an alias, never a
    body or office the list lacks."""
    canonical = {entry.canonical for entry in institutions()}
    for d in labelled:
        for t, c in d.entities:
            if t == "institution":
                assert c not in INSTITUTION_ALIASES, (d.id, c)
                assert c in canonical, (d.id, c)
            if t == "drug":
                assert c in DRUGS, (d.id, c)


def test_devset_uses_the_table_institutions(devset):
    used = {c for d in devset for t, c in d.entities if t == "institution"}
    assert TABLE_INSTITUTIONS <= used, TABLE_INSTITUTIONS - used


def test_devset_has_hard_negatives(labelled):
    """Words the labels must not contain: sentence-initial and heading words, bare years."""
    for d in labelled:
        canon = {normalise(c) for _, c in d.entities}
        for word in ("asimismo", "que", "considerando", "vistos", "la ley", "estado"):
            assert word not in canon, (d.id, word)
        assert not any(re.fullmatch(r"\d{4}", c) for c in canon), d.id
    texts = " ".join(d.text for d in labelled)
    for phrase in ("Asimismo", "CONSIDERANDO", "Estado"):
        assert phrase in texts, phrase


def test_devset_keeps_its_hard_negatives(devset):
    texts = " ".join(d.text for d in devset)
    for phrase in ("Que,", "la ley", "sobre la base de"):
        assert phrase in texts, phrase


def test_the_second_heldout_set_is_well_formed():
    """nlp/heldout2/: its own types only, ids = file names, distinct pairs, names as written in the text."""
    from nlp.evaluate import HELDOUT2_DIR, SET_TYPES

    docs = load_devset(HELDOUT2_DIR)
    assert len(docs) >= 25
    assert len({d.id for d in docs}) == len(docs)
    for d in docs:
        assert d.path is not None and d.path.stem == d.id
        assert {t for t, _ in d.entities} <= set(SET_TYPES["heldout2"]), d.id
        keys = Counter((t, normalise(c)) for t, c in d.entities)
        assert all(n == 1 for n in keys.values()), d.id
    assert not {d.id[:3] for d in docs} & {d.id[:3] for d in load_devset() + load_heldout()}


def test_the_second_tuning_set_is_well_formed():
    """nlp/dev2/: the second held-out set's types only, ids = file names, distinct pairs, names as written, and
    no document or number shared with another set."""
    from nlp.evaluate import DEV2_DIR, HELDOUT2_DIR, SET_TYPES

    docs = load_devset(DEV2_DIR)
    assert len(docs) >= 25
    assert sum(d.language == "en" for d in docs) >= 3 and sum(d.source == "ocr" for d in docs) >= 3
    assert len({d.id for d in docs}) == len(docs)
    for d in docs:
        assert d.path is not None and d.path.stem == d.id
        assert {t for t, _ in d.entities} <= set(SET_TYPES["dev2"]), d.id
        keys = Counter((t, normalise(c)) for t, c in d.entities)
        assert all(n == 1 for n in keys.values()), d.id
        text = squeeze(d.text)
        missing = [c for t, c in d.entities if t in ("per", "org", "criminal_org") and squeeze(c) not in text]
        assert not missing, (d.id, missing)
    others = load_devset() + load_heldout() + load_devset(HELDOUT2_DIR)
    assert not {d.id[:3] for d in docs} & {d.id[:3] for d in others}
