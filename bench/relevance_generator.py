"""The relevance corpus, document by document, from a seeded generator: case files, jurisprudence,
training manuals in Spanish, English training notes and distractors (same seed, same corpus)."""

from __future__ import annotations

import random

from relevance_cast import (CASES, GENERIC_COMPANIES, GENERIC_ORGS, MAIN_TOPICS, ORGS, PERSONS, PLACES, SIDE_TOPICS,
                            TOPIC_NAMES_EN, TOPIC_TITLES_ES)
from relevance_documents import Doc, Writer, _case_ref, _compose, _date_line, _minor_name

SEED = 1106


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
