"""Entities and the pools they are drawn from, for the search benchmark's documents: Zipf-like pickers over
the words of ``search_words``, names, organisations, laws (canonical forms as ``nlp.citations`` reads them),
the gazetteers of ``nlp/data`` and the sample corpus's sentences with the entities ``nlp`` finds in them."""

from __future__ import annotations

import bisect
import json
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from search_words import (ADJECTIVES, CASE_DISTRICTS, CODE_ARTICLES, COMPANY_FORMS, COMPANY_HEADS, COMPANY_NAMES,
                          DECRETOS_SUPREMOS, ENGLISH_ALIAS, GANG_HEADS, GIVEN_F, GIVEN_M, LAW_NUMBERS, NOUNS_F,
                          NOUNS_M, PLACES, PLENARIOS, SURNAMES, VERBS)

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Entity:
    type: str
    canonical: str
    surface: str


def _zipf(n: int, s: float = 1.0) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank ** s
        out.append(total)
    return out


class Picker:
    """Draw from a list with Zipf-like frequencies (first = most frequent)."""

    def __init__(self, items: list, s: float = 1.0):
        self.items = items
        self.cum = _zipf(len(items), s)
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.total)]


def _jsonl(name: str) -> list[dict]:
    with open(ROOT / "nlp" / "data" / name, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@lru_cache(maxsize=None)
def citation(surface: str) -> Entity | None:
    """The entity ``nlp.citations`` reads in ``surface`` (a law or a case), or None."""
    from nlp.citations import find_citations

    found = find_citations(surface)
    if len(found) != 1:
        return None
    return Entity(found[0].type, found[0].canonical, surface)


@lru_cache(maxsize=None)
def fixed_entities(phrase: str) -> tuple[Entity, ...]:
    """What nlp's domain finders read in a fixed phrase of the templates ("el Ministerio Público")."""
    from nlp.extract import domain_mentions

    return tuple(Entity(m.type, m.canonical, m.surface) for m in domain_mentions(phrase))


class Vocabulary:
    """Everything documents are made of; built once per process (deterministic)."""

    def __init__(self, seed: int):
        rng = random.Random(f"vocabulary:{seed}")
        self.nouns = Picker([(n, "m") for n in NOUNS_M] + [(n, "f") for n in NOUNS_F], s=0.9)
        rng.shuffle(self.nouns.items)  # interleave genders; the shuffle is seeded
        self.adjectives = Picker(ADJECTIVES, s=0.9)
        self.verbs = Picker(VERBS, s=0.8)
        self.places = Picker(PLACES, s=0.9)
        self.persons = Picker(self._persons(rng, 40_000), s=0.85)
        self.orgs = Picker(self._orgs(rng), s=0.9)
        self.laws = Picker(self._laws(), s=1.0)
        self.drugs = Picker(self._gazetteer("drugs.jsonl"), s=1.1)
        institutions = _jsonl("institutions.jsonl")
        self.institutions = Picker(self._gazetteer("institutions.jsonl"), s=1.0)
        self.by_kind: dict[str, list[str]] = {}
        for row in institutions:
            self.by_kind.setdefault(row["kind"], []).append(row["canonical"])
        topics = json.loads((ROOT / "nlp" / "data" / "topics.json").read_text(encoding="utf-8"))
        self.topics = [t["label"] for t in topics["topics"]]
        self.sentences_es, self.sentences_en = self._sample_sentences()

    @staticmethod
    def _persons(rng: random.Random, count: int) -> list[str]:
        names = set()
        out = []
        while len(out) < count:
            given = GIVEN_M if rng.random() < 0.7 else GIVEN_F
            first = rng.choice(given)
            if rng.random() < 0.6:
                second = rng.choice(given)
                if second != first:
                    first = f"{first} {second}"
            name = f"{first} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
            if name not in names:
                names.add(name)
                out.append(name)
        return out

    @staticmethod
    def _orgs(rng: random.Random) -> list[tuple[str, str]]:
        gangs = [(f"Los {head} de {place}", "gang") for head in GANG_HEADS for place in PLACES[:30]]
        companies = [(f"{head} {name} {form}", "company") for head in COMPANY_HEADS for name in COMPANY_NAMES
                     for form in COMPANY_FORMS[:2]]
        out = gangs + companies
        rng.shuffle(out)
        return out

    @staticmethod
    def _laws() -> list[list[Entity]]:
        """Each law with the spellings documents use for it; canonical forms as nlp.citations reads them."""
        groups: list[list[str]] = []
        dl, ley = LAW_NUMBERS["Decreto Legislativo"], LAW_NUMBERS["Ley"]
        for index in range(max(len(dl), len(ley), len(CODE_ARTICLES["CP"]))):
            if index < len(CODE_ARTICLES["CP"]):
                n = CODE_ARTICLES["CP"][index]
                groups.append([f"artículo {n} del Código Penal", f"art. {n} del CP", f"artículo {n}° del Código Penal",
                               f"art. {n} del Código Penal"])
            if index < len(dl):
                n = dl[index]
                groups.append([f"Decreto Legislativo N.° {n}", f"Decreto Legislativo N° {n}", f"D. Leg. {n}",
                               f"DL {n}", f"D.L. N° {n}", f"Decreto Legislativo {n}"])
            if index < len(ley):
                n = ley[index]
                groups.append([f"Ley N° {n}", f"Ley {n}", f"Ley Nº {n}", f"Ley N.° {n}"])
            if index < len(CODE_ARTICLES["CPP"]):
                n = CODE_ARTICLES["CPP"][index]
                groups.append([f"artículo {n} del Código Procesal Penal", f"art. {n} del CPP",
                               f"artículo {n}° del Código Procesal Penal"])
        groups += [[f"Decreto Supremo N° {n}", f"D.S. N° {n}"] for n in DECRETOS_SUPREMOS]
        groups += [[f"Acuerdo Plenario N° {n}", f"A.P. N° {n}"] for n in PLENARIOS]
        out = []
        for spellings in groups:
            entities = [e for e in (citation(s) for s in spellings) if e is not None]
            if entities and len({e.canonical for e in entities}) == 1:
                out.append(entities)
        return out

    @staticmethod
    def _gazetteer(name: str) -> list[list[Entity]]:
        out = []
        for row in _jsonl(name):
            kind = "drug" if name.startswith("drugs") else "institution"
            surfaces = [row["canonical"]] + [a for a in row.get("aliases", []) if a != row["canonical"]
                                              and not ENGLISH_ALIAS.search(a) and len(a) > 3]
            out.append([Entity(kind, row["canonical"], s) for s in surfaces[:5]])
        return out

    @staticmethod
    def _sample_sentences() -> tuple[list[tuple[str, list[Entity]]], list[tuple[str, list[Entity]]]]:
        """Sentences of the sample corpus with what nlp's domain finders read in each."""
        from samples.texts import DOCUMENTS
        from nlp.extract import domain_mentions

        es, en = [], []
        for doc in DOCUMENTS:
            for page in doc["pages"]:
                for block in page:
                    block = block.replace("\u00ad", "")
                    if block.startswith(("## ", "• ")):
                        block = block[2:].strip()
                    for sentence in re.split(r"(?<=[.:;])\s+(?=[A-ZÁÉÍÓÚÑ«(])", block):
                        if len(sentence.split()) < 6:
                            continue
                        found = [Entity(m.type, m.canonical, m.surface) for m in domain_mentions(sentence)]
                        (en if doc.get("language") == "en" else es).append((sentence, found))
        return es, en


def draw(v: Vocabulary, rng: random.Random, kind: str) -> Entity:
    """One entity of ``kind`` from the whole corpus's pool (Zipf-like frequencies)."""
    if kind == "per":
        name = v.persons(rng)
        return Entity("per", name, name)
    if kind == "org":
        name, _ = v.orgs(rng)
        return Entity("org", name, name)
    if kind == "loc":
        name = v.places(rng)
        return Entity("loc", name, name)
    if kind == "law":
        return rng.choice(v.laws(rng))
    if kind == "drug":
        return rng.choice(v.drugs(rng))
    if kind == "institution":
        return rng.choice(v.institutions(rng))
    if kind == "case":
        return case_number(rng)
    raise ValueError(kind)


def case_number(rng: random.Random) -> Entity:
    year = rng.randint(2005, 2025)
    district = rng.choice(CASE_DISTRICTS)
    for _ in range(5):
        kind = rng.random()
        if kind < 0.3:
            court = rng.randint(1, 40)
            surface = rng.choice(["Expediente N° ", "Exp. N° "]) + (
                f"{rng.randint(1, 9999):05d}-{year}-{rng.randint(0, 9)}-{rng.randint(1001, 3401)}-JR-PE-{court:02d}")
        elif kind < 0.55:
            number = f"{rng.randint(1, 3200)}-{year}"
            surface = rng.choice([f"Casación N° {number}/{district}", f"Cas. N.° {number}-{district.upper()}"])
        elif kind < 0.75:
            number = f"{rng.randint(1, 4000)}-{year}"
            surface = rng.choice([f"Recurso de Nulidad N° {number}/{district}", f"R.N. N° {number}/{district}"])
        else:
            surface = f"Carpeta Fiscal N° {rng.randint(1, 9999)}-{year}"
        entity = citation(surface)
        if entity is not None:
            return entity
    raise RuntimeError(f"nlp.citations reads no case in {surface!r}")
