"""Search relevance: the tuned search API against a plain BM25 baseline, on a judged dev corpus.

``python bench/relevance.py`` (the shared engine and Redis must run: ``docsearch services up --only engine,redis``)

1. generates the dev corpus (``generate``): about 200 fictitious legal PDFs, Spanish and some English, made with
   reportlab from ``bench/relevance/text_bank.json``; deterministic (a seeded generator, ``invariant=1`` canvases),
   each document with a stable key (``d017``) recorded in ``bench/relevance/corpus.jsonl`` with its sha256 and
   what the generator put in it (topics it is about, topics mentioned in passing, citations, people, organisations);
2. grades every query of ``bench/relevance/queries.jsonl`` over the corpus from the rule stored with it (the rules
   are in ``docs/relevance.md``), and checks the stored judgments are the ones the rules give;
3. starts a private stack beside the shared services (index prefix ``relevance-<hex>``, Redis database 13, an
   ingest and an OCR worker, the API), uploads the corpus with ``POST /api/documents`` (one upload per
   collection) and waits for the batches;
4. builds the baseline: one more index in the same engine, standard analyzer (no accent folding, no stemming, no
   citation normalisation), one document per PDF with its title and the full text the pipeline extracted, and the
   same metadata as the tuned index;
5. runs every query through ``GET /api/search`` (tuned) and as a BM25 ``multi_match`` (operator ``or``) with the
   filters as ``terms`` filters (baseline), and prints nDCG@10, recall@20 and MRR per system, overall and per
   category, as markdown, then the worst queries of the tuned system.

``--json FILE`` keeps every query's ranked keys and metrics; ``--keep`` leaves the stack's indices in place (and
prints their prefix); ``--reuse PREFIX`` runs the queries again on indices kept by ``--keep`` (seconds, no
ingest). ``build`` rewrites ``corpus.jsonl`` and the judgments after a change of the generator or of a rule;
``pdfs DIR`` writes the corpus PDFs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab.lib.units import cm  # noqa: E402

from samples import pdf  # noqa: E402

DATA = ROOT / "bench" / "relevance"
BANK_FILE = DATA / "text_bank.json"
CORPUS_FILE = DATA / "corpus.jsonl"
QUERIES_FILE = DATA / "queries.jsonl"
SEED = 1106
RELEVANCE_REDIS_DB = 13
K_NDCG, K_RECALL = 10, 20


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fold(text: str) -> str:
    """Lower case without accents (ñ too): how grading compares text."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def strip_accents(text: str) -> str:
    """Text as typed without accents (ñ kept), as in some documents."""
    out = []
    for ch in text:
        if ch in "ñÑ":
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def count_phrase(folded_text: str, phrase: str) -> int:
    """Occurrences of a phrase (folded, whole words, any whitespace between words) in folded text."""
    words = [re.escape(w) for w in fold(phrase).split()]
    return len(re.findall(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", folded_text))


# -- the cast ---------------------------------------------------------------------------------------------------
# People: key -> (full name, short name used in running text). Parties of the cases, then distractors whose names
# share words with them (queried names must be told apart from these).
PERSONS = {
    "p01": ("Wilmer Aurelio Quispe Huamán", "Quispe Huamán"),
    "p02": ("Jhonny Alberto Sánchez Paredes", "Sánchez Paredes"),
    "p03": ("Rosa Elvira Cárdenas Villanueva", "Cárdenas Villanueva"),
    "p04": ("Marco Antonio Ñique Salas", "Ñique Salas"),
    "p05": ("Gustavo Adolfo Benavides Rímac", "Benavides Rímac"),
    "p06": ("Lucía Fernanda Oyarce Tello", "Oyarce Tello"),
    "p07": ("Teodoro Huamaní Ccori", "Huamaní Ccori"),
    "p08": ("Delia Rosario Paucar Inga", "Paucar Inga"),
    "p09": ("Edwin Ríos Chumbe", "Ríos Chumbe"),
    "p10": ("Óscar Zevallos Pinto", "Zevallos Pinto"),
    "p11": ("Pedro Pablo Mendoza Rivas", "Mendoza Rivas"),
    "p12": ("Juana Mamani Quispe", "Mamani Quispe"),
    "p13": ("Julio César Mamani Condori", "Mamani Condori"),
    "p14": ("Fredy Ccahuana Yupanqui", "Ccahuana Yupanqui"),
    "p15": ("Ricardo Salvador Villena Paz", "Villena Paz"),
    "p16": ("Nelly Ramos Atoche", "Ramos Atoche"),
    # distractors: never parties of a case
    "x01": ("Wilmer Huamán Rojas", "Huamán Rojas"),
    "x02": ("Julio Quispe Mamani", "Quispe Mamani"),
    "x03": ("Rosa Villanueva Paredes", "Villanueva Paredes"),
    "x04": ("Gustavo Rímac Salazar", "Rímac Salazar"),
    "x05": ("César Condori Mamani", "Condori Mamani"),
}
FIRST_NAMES = ["Luis", "Carmen", "Jorge", "Ana", "Víctor", "Milagros", "Raúl", "Patricia", "Hugo", "Elena", "Iván",
               "Sonia", "Walter", "Gladys", "Alfredo", "Karina", "Ernesto", "Beatriz", "Manuel", "Silvia"]
SURNAMES = ["Torres", "Gómez", "Flores", "Vargas", "Castillo", "Chávez", "Rojas", "Díaz", "Herrera", "Medina",
            "Aguilar", "Ponce", "Espinoza", "Cruz", "Salinas", "Arévalo", "Loayza", "Tapia", "Núñez", "Bustamante"]

# Organisations: key -> name. Criminal organisations (o..) and companies (e..).
ORGS = {
    "o01": "Los Halcones del Puerto", "o02": "Los Injertos de Carabayllo", "o03": "Los Tiranos de La Pampa",
    "o04": "La Jauría del Santa", "o05": "Los Charlys del VRAEM", "o06": "Los Cuervos de Juliaca",
    "e01": "Exportadora Frutos del Norte S.A.C.", "e02": "Inversiones Santa Clara E.I.R.L.",
    "e03": "Constructora Los Álamos S.A.C.", "e04": "Hospedaje El Paraíso E.I.R.L.",
    "e05": "Minera Aurífera Señor de Quilla S.A.C.", "e06": "Consorcio Vial Lambayeque",
    "e07": "Transportes Mar Azul E.I.R.L.", "e08": "Agroindustrias San Gabriel S.A.",
}
GENERIC_ORGS = ["Los Malditos del Sur", "Los Topos del Rímac", "La Red del Oriente", "Los Pulpos del Norte"]
GENERIC_COMPANIES = ["Comercializadora Andina S.A.C.", "Servicios Generales Pacífico E.I.R.L.",
                     "Importaciones Lucero S.R.L.", "Negocios Cordillera S.A.C.", "Grupo Inmobiliario Miraflores S.A."]
PLACES = ["Lima", "Callao", "Piura", "Tingo María", "Puerto Maldonado", "Chiclayo", "Juliaca", "Ayacucho",
          "Chimbote", "Trujillo", "Arequipa", "Pucallpa", "Huánuco", "Tumbes", "Cusco"]

# Cases: each gives 3-5 documents (police report, prosecutor's request, ruling, appeal) sharing their cast.
CASES = [
    dict(topics=["tid", "co"], persons=["p01", "p02"], org="o01", emp="e01", lugar="Callao",
         droga="clorhidrato de cocaína", year=2019, cites=["rn456", "ley30077"], extra=["tei"]),
    dict(topics=["co", "lavado"], persons=["p03", "p04"], org="o02", emp="e02", lugar="Lima",
         droga="pasta básica de cocaína", year=2020, cites=["ap1_2017", "dl1106"]),
    dict(topics=["lavado"], persons=["p05", "p06"], org=None, emp="e03", lugar="Piura",
         droga="clorhidrato de cocaína", year=2018, cites=["cas1234", "ap3_2010"]),
    dict(topics=["ed"], persons=["p07", "p08"], org=None, emp="e04", lugar="Tingo María",
         droga="pasta básica de cocaína", year=2021, cites=["dl1373"]),
    dict(topics=["mineria", "lavado"], persons=["p09", "p16"], org=None, emp="e05", lugar="Puerto Maldonado",
         droga="clorhidrato de cocaína", year=2020, cites=["dl1106"]),
    dict(topics=["corr"], persons=["p10", "p11"], org=None, emp="e06", lugar="Chiclayo",
         droga="clorhidrato de cocaína", year=2017, cites=["art384"]),
    dict(topics=["trata", "co"], persons=["p12", "p15"], org="o03", emp="e07", lugar="Puerto Maldonado",
         droga="clorhidrato de cocaína", year=2019, cites=["ley30077"]),
    dict(topics=["tid", "tei"], persons=["p13", "p14"], org="o06", emp="e08", lugar="Juliaca",
         droga="marihuana", year=2022, cites=["art296"]),
    dict(topics=["tid", "lavado"], persons=["p14", "p02"], org="o05", emp="e07", lugar="Ayacucho",
         droga="pasta básica de cocaína", year=2018, cites=["art296", "dl1106"]),
    dict(topics=["co", "tei"], persons=["p15", "p16"], org="o04", emp="e08", lugar="Chimbote",
         droga="marihuana", year=2021, cites=["ley30077", "art317"]),
]

TOPIC_NAMES_EN = {"lavado": "Money Laundering", "tid": "Drug Trafficking", "co": "Organized Crime",
                  "ed": "Asset Forfeiture", "tei": "Special Investigative Techniques",
                  "corr": "Corruption of Public Officials", "trata": "Human Trafficking", "mineria": "Illegal Mining"}
TOPIC_TITLES_ES = {"lavado": "lavado de activos", "tid": "tráfico ilícito de drogas", "co": "crimen organizado",
                   "ed": "extinción de dominio", "tei": "técnicas especiales de investigación",
                   "corr": "delitos de corrupción de funcionarios", "trata": "trata de personas",
                   "mineria": "minería ilegal", "robo": "robo agravado", "violencia": "violencia familiar",
                   "tributario": "defraudación tributaria", "habeas": "hábeas corpus"}
MAIN_TOPICS = ["lavado", "tid", "co", "ed", "tei", "corr", "trata", "mineria"]
SIDE_TOPICS = ["robo", "violencia", "tributario", "habeas"]
DRUGS = {"cocaina": ["cocaína", "cocaine"], "marihuana": ["marihuana", "marijuana", "cannabis"]}
MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "setiembre", "octubre",
          "noviembre", "diciembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
REGISTERS = {  # generator register -> the doc_type label the search offers as a filter
    "informe": "informe policial", "requerimiento": "requerimiento", "sentencia": "sentencia",
    "casacion": "casación", "rn": "recurso de nulidad", "plenario": "acuerdo plenario",
    "manual": "material de capacitación", "note_en": "material de capacitación", "auto": "auto",
}


# -- one document -----------------------------------------------------------------------------------------------
@dataclass
class Doc:
    key: str
    register: str
    collection: str
    language: str
    year: int
    title: str
    header: str
    about: list[str]                      # topics it is about, main first
    passing: list[str] = field(default_factory=list)
    is_citation: str | None = None        # the decision this document is (cas1234, rn456, ...)
    accents: bool = True
    pages: list[list[str]] = field(default_factory=list)
    cites: Counter = field(default_factory=Counter)
    parties: list[str] = field(default_factory=list)  # people and organisations the case file is about

    def text(self) -> str:
        return "\n".join([self.title] + [block for page in self.pages for block in page])


class Writer:
    """Fills the text bank's templates for one document and counts the citations it writes."""

    def __init__(self, bank: dict, rng: random.Random, cast: dict):
        self.bank, self.rng, self.cast = bank, rng, cast
        self.cites: Counter = Counter()

    def cite(self, cid: str) -> str:
        self.cites[cid] += 1
        return self.rng.choice(self.bank["citations"][cid]["forms"])

    def fill(self, template: str) -> str:
        c, rng = self.cast, self.rng

        def slot(match: re.Match) -> str:
            name = match.group(1)
            if name.startswith("C:"):
                return self.cite(name[2:])
            if name in ("P1", "P2"):
                return PERSONS[c[name]][0] if c[name] in PERSONS else c[name]
            if name in ("P1s", "P2s"):
                key = c[name[:2]]
                return PERSONS[key][1] if key in PERSONS else key.split()[-1]
            if name == "ORG":
                return c["org"]
            if name == "EMP":
                return c["emp"]
            if name == "LUGAR":
                return c["lugar"]
            if name == "DROGA":
                return c["droga"]
            if name == "KG":
                return str(rng.choice([12, 35, 48, 120, 230, 417, 1050]))
            if name == "MONTO":
                return f"S/ {rng.randint(120, 9800) * 1000:,}".replace(",", ".")
            if name == "FECHA":
                return f"{rng.randint(1, 28)} de {rng.choice(MONTHS)} de {c['year'] - rng.randint(1, 3)}"
            raise KeyError(name)

        return re.sub(r"\{([A-Za-z0-9_:]+)\}", slot, template)


def _minor_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"


def _date_line(rng: random.Random, year: int, place: str, language: str) -> str:
    day, month = rng.randint(1, 28), rng.randrange(12)
    if language == "en":
        return f"{place}, {MONTHS_EN[month]} {day}, {year}"
    return f"{place}, {day} de {MONTHS[month]} de {year}"


def _paragraphs(bank: dict, topic: str, language: str) -> list[str]:
    return list(bank["topics"][topic]["en" if language == "en" else "es"])


def _compose(w: Writer, doc: Doc, n_pages: int, intro: list[str], case_refs: list[str]) -> None:
    """Body of a document: paragraphs of its topics (main topic most), filler, passing mentions, case references."""
    bank, rng = w.bank, w.rng
    lang = doc.language
    per_page = 3 if lang == "es" else 3
    total = max(2, n_pages * per_page)
    main = _paragraphs(bank, doc.about[0], lang)
    rng.shuffle(main)
    blocks: list[str] = []
    n_main = min(len(main), max(2, total // 2 if len(doc.about) == 1 else total // 3))
    blocks += main[:n_main]
    for topic in doc.about[1:]:
        extra = _paragraphs(bank, topic, lang)
        rng.shuffle(extra)
        blocks += extra[:max(1, min(len(extra), total // 4))]
    filler = list(bank["filler_en" if lang == "en" else "filler_es"])
    rng.shuffle(filler)
    blocks += filler[:max(0, total - len(blocks))]
    rng.shuffle(blocks)
    for topic in doc.passing:
        pool = bank["topics"][topic]["passing_en" if lang == "en" else "passing_es"]
        if pool:
            blocks.insert(rng.randrange(len(blocks) + 1), rng.choice(pool))
    for ref in case_refs:
        blocks.insert(rng.randrange(len(blocks) + 1), ref)
    blocks = intro + [w.fill(b) for b in blocks]
    pages: list[list[str]] = [[] for _ in range(n_pages)]
    for i, block in enumerate(blocks):
        pages[min(n_pages - 1, i * n_pages // len(blocks))].append(block)
    if not doc.accents:
        pages = [[strip_accents(b) for b in page] for page in pages]
        doc.title = strip_accents(doc.title)
    doc.pages = pages
    doc.cites = w.cites


def _case_ref(case: dict, rng: random.Random) -> tuple[str, dict]:
    """A sentence that mentions a case in passing (its main party and organisation or company)."""
    who = PERSONS[case["persons"][0]][0]
    org = ORGS[case["org"]] if case["org"] else ORGS[case["emp"]]
    sentence = rng.choice([
        f"Como antecedente, puede revisarse el caso seguido contra {who} y la denominada «{org}», donde se discutió un punto similar.",
        f"Un ejemplo citado con frecuencia en los cursos es la investigación contra {who}, vinculada a «{org}».",
        f"Véase, en sentido parecido, lo resuelto en el proceso contra {who} («{org}»).",
    ])
    return sentence, case


def generate_specs(bank: dict) -> list[Doc]:
    """The corpus, document by document, from the seeded generator (same seed, same corpus)."""
    rng = random.Random(SEED)
    docs: list[Doc] = []

    def new_key() -> str:
        return f"d{len(docs) + 1:03d}"

    def minor_cast(year: int) -> dict:
        return {"P1": _minor_name(rng), "P2": _minor_name(rng), "org": rng.choice(GENERIC_ORGS),
                "emp": rng.choice(GENERIC_COMPANIES), "lugar": rng.choice(PLACES),
                "droga": rng.choice(["clorhidrato de cocaína", "pasta básica de cocaína", "marihuana"]), "year": year}

    def passing_for(about: list[str], k: int) -> list[str]:
        pool = [t for t in MAIN_TOPICS if t not in about]
        return rng.sample(pool, k)

    # 1. case files: police report, request, ruling, sometimes an appeal
    for ci, case in enumerate(CASES):
        cast = {"P1": case["persons"][0], "P2": case["persons"][1], "org": ORGS[case["org"]] if case["org"] else
                rng.choice(GENERIC_ORGS), "emp": ORGS[case["emp"]], "lugar": case["lugar"], "droga": case["droga"],
                "year": case["year"]}
        registers = ["informe", "requerimiento", "sentencia"] + (["casacion"] if ci % 3 == 0 else []) + \
                    (["auto"] if ci % 4 == 1 else [])
        for reg in registers:
            w = Writer(bank, rng, cast)
            year = case["year"] + {"informe": 0, "requerimiento": 0, "auto": 0, "sentencia": 1, "casacion": 2}[reg]
            p1, p2 = PERSONS[cast["P1"]][0], PERSONS[cast["P2"]][0]
            number = rng.randint(20, 990)
            org_name = ORGS[case["org"]] if case["org"] else None
            title, header, heading = {
                "informe": (f"Informe Policial N° {number}-{year}-DIRNIC-PNP/{case['lugar']}",
                            "POLICÍA NACIONAL DEL PERÚ – DIRECCIÓN DE INVESTIGACIÓN CRIMINAL",
                            f"INFORME POLICIAL N° {number}-{year}. ASUNTO: resultado de la investigación"),
                "requerimiento": (f"Requerimiento de prisión preventiva contra {p1} y otros",
                                  "MINISTERIO PÚBLICO – FISCALÍA PROVINCIAL CORPORATIVA ESPECIALIZADA",
                                  "Sumilla: requerimiento de prisión preventiva"),
                "sentencia": (f"Sentencia – Expediente N° 00{number}-{year - 1}-0-JR-PE-02",
                              "CORTE SUPERIOR DE JUSTICIA – JUZGADO PENAL COLEGIADO",
                              "SENTENCIA"),
                "casacion": (f"Casación N.° {number}-{year - 1}/{case['lugar']}",
                             "CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA – SALA PENAL PERMANENTE",
                             f"CASACIÓN N.° {number}-{year - 1}/{case['lugar'].upper()}"),
                "auto": (f"Auto que resuelve el pedido de incautación – Expediente N° 00{number}-{year}",
                         "CORTE SUPERIOR DE JUSTICIA – JUZGADO DE INVESTIGACIÓN PREPARATORIA",
                         "AUTO. AUTOS Y VISTOS: el requerimiento de incautación"),
            }[reg]
            parties = f"Investigados: {p1} y {p2}"
            if org_name:
                parties += f", presuntos integrantes de la organización «{org_name}»"
            parties += f". Persona jurídica vinculada: {ORGS[case['emp']]}"
            intro = [heading, _date_line(rng, year, case["lugar"], "es"), parties]
            intro += [w.fill("En el presente caso se invocan, entre otras normas, " +
                             ", ".join("{C:" + c + "}" for c in case["cites"]) + ".")]
            extra = case.get("extra", []) if reg in ("informe", "requerimiento") else []
            about = case["topics"] + [t for t in extra if t not in case["topics"]]
            doc = Doc(new_key(), reg, "casos", "es", year, title, header, about,
                      passing=passing_for(about, rng.choice([0, 0, 1])), accents=rng.random() > 0.2,
                      parties=case["persons"] + [k for k in (case["org"], case["emp"]) if k])
            n_pages = {"informe": rng.randint(1, 3), "requerimiento": rng.randint(2, 4), "sentencia":
                       rng.randint(3, 6), "casacion": rng.randint(2, 4), "auto": rng.randint(1, 2)}[reg]
            _compose(w, doc, n_pages, intro, [])
            docs.append(doc)

    # 2. jurisprudence: the three decisions queried by citation, then more cassations, appeals, plenary agreements
    landmark = [("cas1234", "casacion", "lavado", "Casación N° 1234-2018/Lima", "CASACIÓN N.° 1234-2018/LIMA", 2019),
                ("rn456", "rn", "tid", "Recurso de Nulidad N° 456-2019/Callao",
                 "RECURSO DE NULIDAD N.° 456-2019/CALLAO", 2020),
                ("ap3_2010", "plenario", "lavado", "Acuerdo Plenario N° 3-2010/CJ-116",
                 "ACUERDO PLENARIO N.° 3-2010/CJ-116. VI PLENO JURISDICCIONAL DE LAS SALAS PENALES", 2010)]
    for cid, reg, topic, title, heading, year in landmark:
        cast = minor_cast(year)
        w = Writer(bank, rng, cast)
        intro = [heading, _date_line(rng, year, "Lima", "es"),
                 f"Materia: {TOPIC_TITLES_ES[topic]}. Recurrente: {cast['P1']}."]
        doc = Doc(new_key(), reg, "jurisprudencia", "es", year, title,
                  "CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA", [topic], passing=passing_for([topic], 1),
                  is_citation=cid)
        _compose(w, doc, rng.randint(3, 5), intro, [])
        docs.append(doc)
    for i in range(28):
        reg = ["casacion", "rn", "plenario", "casacion", "rn", "sentencia"][i % 6]
        about = [MAIN_TOPICS[i % len(MAIN_TOPICS)]]
        if i % 3 == 0:
            about.append(rng.choice([t for t in MAIN_TOPICS if t not in about]))
        year = rng.randint(2012, 2023)
        cast = minor_cast(year)
        w = Writer(bank, rng, cast)
        number = rng.randint(100, 2900)
        place = rng.choice(PLACES)
        title, heading = {
            "casacion": (f"Casación N.° {number}-{year - 1}/{place}", f"CASACIÓN N.° {number}-{year - 1}/{place.upper()}"),
            "rn": (f"Recurso de Nulidad N.° {number}-{year - 1}/{place}",
                   f"RECURSO DE NULIDAD N.° {number}-{year - 1}/{place.upper()}"),
            "plenario": (f"Acuerdo Plenario N.° {i % 9 + 1}-{year}/CIJ-116 sobre {TOPIC_TITLES_ES[about[0]]}",
                         f"ACUERDO PLENARIO N.° {i % 9 + 1}-{year}/CIJ-116. PLENO JURISDICCIONAL"),
            "sentencia": (f"Sentencia de la Sala Penal de Apelaciones – Expediente N° {number}-{year - 1}",
                          "SENTENCIA DE VISTA"),
        }[reg]
        cites = [c for t in about for c in bank["topics"][t]["citations"]]
        intro = [heading, _date_line(rng, year, "Lima" if reg != "sentencia" else place, "es"),
                 f"Materia: {TOPIC_TITLES_ES[about[0]]}. Recurrente: {cast['P1']}."]
        if cites:
            chosen = rng.sample(cites, min(len(cites), rng.randint(1, 2)))
            intro.append(w.fill("Normas y precedentes invocados: " + "; ".join("{C:" + c + "}" for c in chosen) + "."))
        refs = [_case_ref(CASES[rng.randrange(len(CASES))], rng)[0]] if i % 4 == 0 else []
        doc = Doc(new_key(), reg, "jurisprudencia", "es", year, title,
                  "CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA" if reg != "sentencia" else "CORTE SUPERIOR DE JUSTICIA",
                  about, passing=passing_for(about, rng.choice([0, 1, 1, 2])), accents=rng.random() > 0.2)
        _compose(w, doc, rng.randint(2, 5), intro, refs)
        docs.append(doc)

    # 3. training manuals in Spanish: long, about one or two topics, passing mentions, examples from the cases
    kinds = ["Manual de {t} para fiscales", "Guía práctica de investigación en {t}", "Módulo {n}: {t}",
             "Material de lectura del curso sobre {t}", "Protocolo de actuación en {t}"]
    for i in range(40):
        about = [MAIN_TOPICS[i % len(MAIN_TOPICS)]]
        if i % 2 == 1:
            about.append(MAIN_TOPICS[(i * 3 + 1) % len(MAIN_TOPICS)])
            if about[1] == about[0]:
                about.pop()
        year = rng.randint(2014, 2024)
        cast = minor_cast(year)
        cast["P1"], cast["P2"] = "Juan Pérez", "María López"  # the manuals' hypothetical persons
        w = Writer(bank, rng, cast)
        title = kinds[i % len(kinds)].format(t=TOPIC_TITLES_ES[about[0]], n=i % 7 + 1)
        title = title[0].upper() + title[1:]
        refs = [_case_ref(CASES[rng.randrange(len(CASES))], rng)[0] for _ in range(i % 3 == 0)]
        intro = [f"ACADEMIA DE LA MAGISTRATURA – PROGRAMA DE CAPACITACIÓN. {title.upper()}",
                 f"Lima, {year}", "Presentación: " + bank["filler_es"][18]]
        doc = Doc(new_key(), "manual", "capacitacion", "es", year, title, "PROGRAMA DE CAPACITACIÓN", about,
                  passing=passing_for(about, rng.choice([0, 1, 2])), accents=rng.random() > 0.15)
        _compose(w, doc, rng.randint(4, 8), intro, refs)
        docs.append(doc)

    # 4. English training notes
    en_topics = ["lavado", "tid", "co", "ed", "tei", "corr", "trata", "mineria"]
    for i in range(24):
        about = [en_topics[i % len(en_topics)]]
        if i % 3 == 2:
            about.append(en_topics[(i + 3) % len(en_topics)])
        year = rng.randint(2015, 2024)
        cast = minor_cast(year)
        cast["P1"], cast["P2"] = "John Doe", "Jane Roe"
        w = Writer(bank, rng, cast)
        kind = ["Training note on {t}", "Practitioner guide: {t}", "{t}: a casebook for prosecutors"][i % 3]
        title = kind.format(t=TOPIC_NAMES_EN[about[0]])
        intro = [title.upper(), _date_line(rng, year, "Lima", "en")]
        passing = [t for t in passing_for(about, rng.choice([0, 1])) if bank["topics"][t]["passing_en"]]
        doc = Doc(new_key(), "note_en", "capacitacion", "en", year, title, "TRAINING PROGRAMME", about,
                  passing=passing)
        _compose(w, doc, rng.randint(1, 4), intro, [])
        docs.append(doc)

    # 5. distractors: rulings on other matters that mention a main topic once, or a case in passing
    for i in range(48):
        side = SIDE_TOPICS[i % len(SIDE_TOPICS)]
        reg = "sentencia" if side in ("robo", "tributario") else ("auto" if side == "violencia" else
                                                                    rng.choice(["sentencia", "auto"]))
        year = rng.randint(2013, 2024)
        cast = minor_cast(year)
        # some distractor parties share words with the queried people
        if i % 6 == 0:
            cast["P1"] = PERSONS[["x01", "x02", "x03", "x04", "x05"][(i // 6) % 5]][0]
        w = Writer(bank, rng, cast)
        number = rng.randint(100, 9000)
        place = cast["lugar"]
        title = (f"Sentencia – Expediente N° {number}-{year - 1} – {TOPIC_TITLES_ES[side]}" if reg == "sentencia"
                 else f"Auto – Expediente N° {number}-{year} – {TOPIC_TITLES_ES[side]}")
        heading = "SENTENCIA" if reg == "sentencia" else "AUTO. AUTOS Y VISTOS"
        intro = [heading, _date_line(rng, year, place, "es"), f"Procesado: {cast['P1']}. Agraviado: {cast['P2']}."]
        refs = [_case_ref(CASES[(i // 8) % len(CASES)], rng)[0]] if i % 8 == 3 else []
        doc = Doc(new_key(), reg, "casos" if side != "habeas" else "jurisprudencia", "es", year, title,
                  "CORTE SUPERIOR DE JUSTICIA", [side], passing=passing_for([side], rng.choice([1, 1, 2])),
                  accents=rng.random() > 0.2)
        _compose(w, doc, rng.randint(1, 3), intro, refs)
        docs.append(doc)
    return docs


# -- rendering --------------------------------------------------------------------------------------------------
LAYOUT = pdf.Layout(margin=2.3 * cm, top=2.6 * cm, bottom=2.8 * cm, body=pdf.Style("Helvetica", 10, 13.6), gap=6,
                    title=pdf.Style("Helvetica-Bold", 14, 14 * 1.36), title_gap=6,
                    header=pdf.Style("Helvetica-Oblique", 8, 8), header_y=1.4 * cm,
                    footer=pdf.Style("Helvetica", 8.5, 8.5), footer_y=1.6 * cm)


def render(doc: Doc) -> bytes:
    """One PDF (invariant: the same document gives the same bytes)."""
    try:
        return pdf.render(doc.pages, LAYOUT, title=doc.title, header=doc.header, label=pdf.page_label(doc.language),
                          compress=False, author=doc.header, creator="docsearch relevance corpus generator")
    except ValueError as exc:
        raise ValueError(f"{doc.key}: {exc}") from None


def load_bank() -> dict:
    return json.loads(BANK_FILE.read_text(encoding="utf-8"))


# -- what each document holds (the facts judgments are derived from) ---------------------------------------------
def facts(doc: Doc, bank: dict) -> dict:
    text = fold(doc.text())
    topic_mentions = {t: sum(count_phrase(text, k) for k in spec["keys"]) for t, spec in bank["topics"].items()}
    persons = {}
    for key, (full, short) in PERSONS.items():
        first_last = " ".join([full.split()[0]] + full.split()[-2:])
        forms = sorted({fold(full), fold(first_last), fold(short)}, key=len, reverse=True)
        n = len(re.findall(r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)", text))
        if n:
            persons[key] = n
    orgs = {key: n for key, name in ORGS.items() if (n := count_phrase(text, name.split(" S.A")[0].split(" E.I.R.L")[0]))}
    drugs = {d: n for d, forms in DRUGS.items() if (n := sum(count_phrase(text, f) for f in forms))}
    return {
        "key": doc.key, "register": doc.register, "doc_type": REGISTERS[doc.register], "collection": doc.collection,
        "language": doc.language, "year": doc.year, "title": doc.title, "pages": len(doc.pages),
        "accents": doc.accents, "about": doc.about, "parties": doc.parties, "passing": doc.passing, "is_citation": doc.is_citation,
        "citations": dict(sorted(doc.cites.items())),
        "topic_mentions": {t: n for t, n in topic_mentions.items() if n},
        "persons": persons, "orgs": orgs, "drugs": drugs,
        "words": len(text.split()),
        "_text": text,
    }


# -- grading rules (docs/relevance.md explains them) ---------------------------------------------------------------
def _by_count(n: int) -> int:
    return 3 if n >= 3 else (2 if n == 2 else (1 if n == 1 else 0))


def grade(rule: dict, f: dict, bank: dict) -> int:
    if "topic" in rule:
        t = rule["topic"]
        if f["about"] and f["about"][0] == t:
            g = 3
        elif t in f["about"]:
            g = 2
        else:
            g = 1 if f["topic_mentions"].get(t) else 0
        if rule.get("lang") and f["language"] != rule["lang"]:
            g = 1 if g >= 2 else 0  # about the subject, but in the other language
        return g
    if "citation" in rule:
        cid = rule["citation"]
        n = f["citations"].get(cid, 0)
        if f["is_citation"] == cid or n >= 2:
            return 3
        if n == 1:
            return 2
        return 1 if bank["citations"][cid]["topic"] in f["about"] else 0
    if "person" in rule or "org" in rule:
        key = rule.get("person") or rule.get("org")
        if key in f["parties"]:
            return 3
        return 1 if f["persons" if "person" in rule else "orgs"].get(key) else 0
    if "drug" in rule:
        return _by_count(f["drugs"].get(rule["drug"], 0))
    if "phrase" in rule:
        return _by_count(count_phrase(f["_text"], rule["phrase"]))
    if "term" in rule:
        return 3 if count_phrase(f["_text"], rule["term"]) else 0
    if "and" in rule:
        return min(grade(r, f, bank) for r in rule["and"])
    if "or" in rule:
        return max(grade(r, f, bank) for r in rule["or"])
    if "cap" in rule:
        return min(rule["cap"], grade(rule["rule"], f, bank))
    if "not" in rule:
        return 0 if grade(rule["not"], f, bank) else grade(rule["rule"], f, bank)
    raise ValueError(f"unknown rule {rule}")


FILTER_FACTS = {"doc_type": "doc_type", "collection": "collection", "language": "language", "year": "year"}


def judge(query: dict, corpus: list[dict], bank: dict) -> dict[str, int]:
    out = {}
    for f in corpus:
        ok = all(str(f[FILTER_FACTS[name]]) in [str(v) for v in values]
                 for name, values in (query.get("filters") or {}).items())
        g = grade(query["rule"], f, bank) if ok else 0
        if g:
            out[f["key"]] = g
    return out


# -- corpus on disk ----------------------------------------------------------------------------------------------
def build_corpus(out: Path | None) -> tuple[list[dict], dict[str, Path]]:
    """Generate the corpus (PDFs in ``out`` if given, else only in memory); returns its facts and paths."""
    bank = load_bank()
    specs = generate_specs(bank)
    corpus, paths = [], {}
    tmp = None
    if out is None:
        tmp = tempfile.TemporaryDirectory(prefix="docsearch-relevance-")
        out = Path(tmp.name)
    out.mkdir(parents=True, exist_ok=True)
    try:
        for doc in specs:
            path = out / doc.collection / f"{doc.key}.pdf"
            path.parent.mkdir(exist_ok=True)
            data = render(doc)
            path.write_bytes(data)
            f = facts(doc, bank)
            f["sha256"] = hashlib.sha256(data).hexdigest()
            corpus.append(f)
            paths[doc.key] = path
    finally:
        if tmp is not None:
            tmp.cleanup()
            paths = {}
    return corpus, paths


def public(f: dict) -> dict:
    return {k: v for k, v in f.items() if not k.startswith("_")}


def load_queries() -> list[dict]:
    return [json.loads(line) for line in QUERIES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_build(corpus: list[dict]) -> None:
    bank = load_bank()
    CORPUS_FILE.write_text("".join(json.dumps(public(f), ensure_ascii=False) + "\n" for f in corpus), encoding="utf-8")
    queries = load_queries()
    for q in queries:
        q["judgments"] = judge(q, corpus, bank)
    QUERIES_FILE.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in queries), encoding="utf-8")


def check_build(corpus: list[dict], queries: list[dict]) -> list[str]:
    """Differences between the stored corpus/judgments and what the generator and rules give now."""
    bank = load_bank()
    problems = []
    stored = {json.loads(line)["key"]: json.loads(line) for line in CORPUS_FILE.read_text(encoding="utf-8").splitlines()}
    for f in corpus:
        old = stored.get(f["key"])
        if old is None:
            problems.append(f"{f['key']}: not in corpus.jsonl")
        elif {k: v for k, v in old.items() if k != "sha256"} != {k: v for k, v in public(f).items() if k != "sha256"}:
            problems.append(f"{f['key']}: generated content differs from corpus.jsonl")
    for q in queries:
        if judge(q, corpus, bank) != q.get("judgments"):
            problems.append(f"query {q['id']}: stored judgments differ from its rule")
    return problems


# -- metrics -----------------------------------------------------------------------------------------------------
def ndcg(ranked: list[str], judgments: dict[str, int], k: int = K_NDCG) -> float:
    def dcg(grades: list[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(judgments.values(), reverse=True))
    return dcg([judgments.get(key, 0) for key in ranked]) / ideal if ideal else 0.0


def relevant_set(judgments: dict[str, int]) -> set[str]:
    """Relevant for recall and MRR: grade 2 or 3 (grade 1 when a query has nothing better)."""
    strong = {k for k, g in judgments.items() if g >= 2}
    return strong or set(judgments)


def recall(ranked: list[str], judgments: dict[str, int], k: int = K_RECALL) -> float:
    rel = relevant_set(judgments)
    return len(rel & set(ranked[:k])) / len(rel) if rel else 0.0


def mrr(ranked: list[str], judgments: dict[str, int]) -> float:
    rel = relevant_set(judgments)
    return next((1.0 / (i + 1) for i, key in enumerate(ranked) if key in rel), 0.0)


def metrics(ranked: list[str], judgments: dict[str, int]) -> dict[str, float]:
    return {"ndcg@10": ndcg(ranked, judgments), "recall@20": recall(ranked, judgments), "mrr": mrr(ranked, judgments)}


# -- the two systems -------------------------------------------------------------------------------------------------
def tuned_search(client, query: dict) -> tuple[list[str], dict]:
    """Ids ranked by ``GET /api/search`` (the first 20), and what the API said about the query."""
    params: list[tuple[str, str]] = [("q", query["q"]), ("size", str(K_RECALL)), ("facets", "false")]
    for name, values in (query.get("filters") or {}).items():
        params += [(name, str(v)) for v in values]
    resp = client.get("/api/search", params=params)
    if resp.status_code != 200:
        return [], {"status": resp.status_code, "error": resp.text[:300]}
    body = resp.json()
    info = {"status": 200, "total": body.get("total")}
    if isinstance(body.get("query"), dict):
        info["interpreted"] = body["query"].get("interpreted")
        info["warnings"] = body["query"].get("warnings")
    return [r["id"] for r in body.get("results", [])], info


SYNTAX = re.compile(r'["()+~*]|(?<!\w)-|\b(?:AND|OR|NOT)\b')


def baseline_words(q: str) -> str:
    """The query's words without the query language (quotes, operators, parentheses): a bag of words."""
    return " ".join(SYNTAX.sub(" ", q).split())


BASELINE_SETTINGS = {"number_of_shards": 1, "number_of_replicas": 0}


def baseline_mapping() -> dict:
    text = {"type": "text", "analyzer": "standard"}
    entities = {"type": "object", "properties": {}, "dynamic": True}
    return {"dynamic_templates": [{"strings": {"match_mapping_type": "string", "mapping": {"type": "keyword"}}}],
            "properties": {"title": text, "text": text, "collection": {"type": "keyword"},
                           "doc_type": {"type": "keyword"}, "institution": {"type": "keyword"},
                           "year": {"type": "integer"}, "language": {"type": "keyword"},
                           "topics": {"type": "keyword"}, "entities": entities}}


def facet_fields() -> dict[str, str]:
    try:
        from docsearch.search import FACETS
        return dict(FACETS)
    except ImportError:
        return {"collection": "collection", "doc_type": "doc_type", "court": "institution", "year": "year",
                "language": "language", "topics": "topics"}


def build_baseline(engine, settings, index: str) -> int:
    """Copy title, full text and metadata of every indexed document into a standard-analyzer index."""
    engine.client.indices.create(index=index, body={"settings": BASELINE_SETTINGS, "mappings": baseline_mapping()})
    resp = engine.client.search(index=settings.documents_alias, body={"size": 1000, "query": {"match_all": {}}})
    n = 0
    for hit in resp["hits"]["hits"]:
        src = hit["_source"]
        pages = sorted(src.get("pages") or [], key=lambda p: p.get("page", 0))
        body = {"title": src.get("title") or "", "text": "\n".join(p.get("text") or "" for p in pages)}
        for name in ("collection", "doc_type", "institution", "year", "language", "topics", "entities"):
            if src.get(name) is not None:
                body[name] = src[name]
        engine.client.index(index=index, id=hit["_id"], body=body)
        n += 1
    engine.client.indices.refresh(index=index)
    return n


def baseline_search(engine, index: str, query: dict) -> list[str]:
    fields = facet_fields()
    filters = []
    for name, values in (query.get("filters") or {}).items():
        field_name = fields.get(name, name)
        filters.append({"terms": {field_name: [int(v) for v in values] if name == "year" else list(values)}})
    body = {"size": K_RECALL, "_source": False, "query": {"bool": {
        "must": [{"multi_match": {"query": baseline_words(query["q"]), "fields": ["title", "text"],
                                  "operator": "or"}}],
        "filter": filters}}}
    resp = engine.client.search(index=index, body=body)
    return [hit["_id"] for hit in resp["hits"]["hits"]]


# -- the run -----------------------------------------------------------------------------------------------------
def ingest(running, corpus: list[dict], paths: dict[str, Path]) -> float:
    """Upload the corpus to a private stack (one batch per collection) and wait for it; returns seconds."""
    started = time.monotonic()
    by_collection = defaultdict(list)
    for f in corpus:
        by_collection[f["collection"]].append(paths[f["key"]])
    batches = [running.upload(files, collection=collection) for collection, files in sorted(by_collection.items())]
    log(f"uploaded {len(corpus)} PDFs in {len(batches)} batches; waiting for the workers")
    for batch_id in batches:
        body = running.wait_batch(batch_id, max(1.0, 1800 - (time.monotonic() - started)), poll=1, limit=0)
        counts = body.get("counts") or {}
        if counts.get("failed"):
            raise RuntimeError(f"batch {batch_id}: files failed: {counts}")
    return time.monotonic() - started


def run_queries(url: str, engine, baseline_index: str, queries: list[dict], key_of: dict[str, str]) -> list[dict]:
    import httpx

    rows = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for q in queries:
            ids, info = tuned_search(client, q)
            tuned = [key_of.get(i, i[:12]) for i in ids]
            base = [key_of.get(i, i[:12]) for i in baseline_search(engine, baseline_index, q)]
            rows.append({"id": q["id"], "category": q["category"], "q": q["q"], "filters": q.get("filters"),
                         "judgments": q["judgments"], "tuned": tuned, "tuned_info": info, "baseline": base,
                         "m_tuned": metrics(tuned, q["judgments"]), "m_baseline": metrics(base, q["judgments"])})
    return rows


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def report(rows: list[dict], meta: dict) -> str:
    names = ["ndcg@10", "recall@20", "mrr"]
    out = [f"Run {meta['date']} UTC, commit {meta['commit']}, {meta['docs']} documents ({meta['pages']} pages), "
           f"{len(rows)} queries; ingest {meta['ingest_s']:.0f} s, whole run {meta.get('total_s', 0):.0f} s.", "",
           "| queries | n | nDCG@10 tuned | nDCG@10 baseline | recall@20 tuned | recall@20 baseline | MRR tuned | MRR baseline |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]

    def line(label: str, subset: list[dict]) -> str:
        cells = []
        for m in names:
            cells += [f"{_mean([r['m_tuned'][m] for r in subset]):.3f}", f"{_mean([r['m_baseline'][m] for r in subset]):.3f}"]
        return f"| {label} | {len(subset)} | " + " | ".join(cells) + " |"

    out.append(line("**all**", rows))
    for cat in sorted({r["category"] for r in rows}):
        out.append(line(cat, [r for r in rows if r["category"] == cat]))
    out += ["", "Worst queries of the tuned system (nDCG@10), with the baseline beside:", "",
            "| query | category | filters | nDCG@10 tuned | baseline | tuned hits | tuned top 5 (grade) | missed (grade ≥ 2) |",
            "| --- | --- | --- | ---: | ---: | ---: | --- | --- |"]
    for r in sorted(rows, key=lambda r: (r["m_tuned"]["ndcg@10"], r["id"]))[:12]:
        j = r["judgments"]
        top = ", ".join(f"{k}({j.get(k, 0)})" for k in r["tuned"][:5]) or "—"
        missed = sorted(k for k in relevant_set(j) if k not in r["tuned"][:K_RECALL])
        missed_s = ", ".join(missed[:6]) + (f" +{len(missed) - 6}" if len(missed) > 6 else "") if missed else "—"
        total = r["tuned_info"].get("total", r["tuned_info"].get("status"))
        filt = json.dumps(r["filters"], ensure_ascii=False) if r["filters"] else ""
        out.append(f"| `{r['q']}` | {r['category']} | {filt} | {r['m_tuned']['ndcg@10']:.3f} | "
                   f"{r['m_baseline']['ndcg@10']:.3f} | {total} | {top} | {missed_s} |")
    return "\n".join(out)


def git_head() -> str:
    import subprocess

    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="run", choices=["run", "build", "pdfs", "check"])
    parser.add_argument("dir", nargs="?", type=Path, help="for 'pdfs': where to write the corpus")
    parser.add_argument("--json", type=Path, help="write every query's ranked keys and metrics here")
    parser.add_argument("--keep", action="store_true", help="keep the private indices (prints their prefix)")
    parser.add_argument("--reuse", metavar="PREFIX", help="query indices kept by --keep (no ingest)")
    parser.add_argument("--only", help="comma-separated query ids or categories")
    args = parser.parse_args(argv)
    t0 = time.monotonic()

    if args.command == "pdfs":
        if not args.dir:
            parser.error("pdfs needs a directory")
        corpus, _ = build_corpus(args.dir)
        print(f"{len(corpus)} PDFs, {sum(f['pages'] for f in corpus)} pages in {args.dir}")
        return 0
    if args.command == "build":
        corpus, _ = build_corpus(None)
        write_build(corpus)
        print(f"wrote {CORPUS_FILE.name} ({len(corpus)} documents) and the judgments of {QUERIES_FILE.name}")
        return 0

    from services import stack
    from docsearch.settings import Settings

    queries = load_queries()
    if args.only:
        wanted = set(args.only.split(","))
        queries = [q for q in queries if q["id"] in wanted or q["category"] in wanted]
    with tempfile.TemporaryDirectory(prefix="docsearch-relevance-") as tmp:
        work = Path(tmp)
        corpus, paths = build_corpus(work / "corpus")
        problems = check_build(corpus, load_queries())
        if problems:
            for p in problems[:20]:
                log(p)
            log("the stored corpus or judgments differ from the generator: run `python bench/relevance.py build` "
                "and review the diff")
            return 1
        stored_sha = {json.loads(line)["key"]: json.loads(line)["sha256"]
                      for line in CORPUS_FILE.read_text(encoding="utf-8").splitlines()}
        changed = [f["key"] for f in corpus if stored_sha.get(f["key"]) != f["sha256"]]
        if changed:
            log(f"{len(changed)} PDFs have other bytes than recorded (another reportlab?); keys still apply")
        if args.command == "check":
            print(f"corpus and {len(queries)} queries consistent; {len(changed)} sha256 differ")
            return 0
        key_of = {f["sha256"]: f["key"] for f in corpus}
        base = Settings()
        if not (stack.engine_ok(base) and stack.redis_ok(base)):
            parser.error("the engine and Redis must run: docsearch services up --only engine,redis")
        reuse = {"index_prefix": args.reuse} if args.reuse else {}
        with stack.private(base, work / "stack", prefix="relevance", redis_db=RELEVANCE_REDIS_DB,
                           components=("api",) if args.reuse else ("worker", "api"), timeout=300,
                           worker_concurrency=2, ocr_concurrency=1, **reuse) as running:
            settings, engine = running.settings, running.engine
            running.keep = bool(args.reuse or args.keep)
            if args.reuse:
                ingest_s = 0.0
                baseline_index = f"{args.reuse}-baseline"
            else:
                log(f"private stack {settings.index_prefix}: workers and API up")
                baseline_index = f"{settings.index_prefix}-baseline"
            try:
                if not args.reuse:
                    ingest_s = ingest(running, corpus, paths)
                    n = build_baseline(engine, settings, baseline_index)
                    log(f"baseline index: {n} documents")
                indexed = engine.client.search(index=settings.documents_alias, body={
                    "size": 1000, "_source": ["doc_type", "year", "language"], "query": {"match_all": {}}})["hits"]["hits"]
                facts_by_key = {f["key"]: f for f in corpus}
                inferred = {key_of.get(h["_id"], h["_id"]): h["_source"] for h in indexed}
                mismatch = {field_name: sorted(k for k, src in inferred.items() if k in facts_by_key and
                                               str(src.get(field_name)) != str(facts_by_key[k][field_name]))
                            for field_name in ("doc_type", "year", "language")}
                rows = run_queries(running.url, engine, baseline_index, queries, key_of)
            finally:
                if running.keep:
                    log(f"kept indices under prefix {settings.index_prefix} (baseline: {baseline_index})")
                else:
                    engine.client.indices.delete(index=baseline_index, ignore_unavailable=True)
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"), "commit": git_head(),
            "docs": len(corpus), "pages": sum(f["pages"] for f in corpus), "ingest_s": ingest_s,
            "total_s": time.monotonic() - t0, "metadata_mismatch": mismatch, "indexed": len(indexed)}
    print(report(rows, meta))
    print("\nMetadata the pipeline inferred that differs from the generator's: " + "; ".join(
        f"{k}: {len(v)} ({', '.join(v[:8])}{'…' if len(v) > 8 else ''})" for k, v in mismatch.items()))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "queries": rows}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
