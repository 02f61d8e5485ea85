"""The pages of one generated document for the search benchmark: Spanish sentences from templates whose
slots carry the document's cast of entities (and sentences of the sample corpus), or English sample
sentences; every page with the entities written on it."""

from __future__ import annotations

import random

from search_vocabulary import Entity, Vocabulary, draw, fixed_entities
from search_words import CONNECTORS, MONTHS, SUBJECTS


def _feminine(adj: str) -> str:
    if adj.endswith("o"):
        return adj[:-1] + "a"
    if adj.endswith("or"):
        return adj + "a"
    if adj.endswith(("án", "ón", "ín")):
        return adj[:-2] + {"á": "a", "ó": "o", "í": "i"}[adj[-2]] + "na"
    return adj


class PageWriter:
    """Builds the pages of one document: text and entity mentions per page."""

    def __init__(self, vocab: Vocabulary, rng: random.Random, cast: dict, topics: list[str]):
        self.v, self.rng, self.cast, self.topics = vocab, rng, cast, topics

    # slot fillers: each returns the text and records its entity
    def np(self) -> str:
        rng, v = self.rng, self.v
        noun, gender = v.nouns(rng)
        article = ("el" if gender == "m" else "la") if rng.random() < 0.7 else ("un" if gender == "m" else "una")
        adj = v.adjectives(rng)
        phrase = f"{article} {noun} {adj if gender == 'm' else _feminine(adj)}"
        if rng.random() < 0.45:
            noun2, gender2 = v.nouns(rng)
            phrase += f" {'del' if gender2 == 'm' else 'de la'} {noun2}"
        return phrase

    def pick(self, kind: str) -> Entity:
        rng, v = self.rng, self.v
        local = self.cast.get(kind)
        if local and rng.random() < 0.8:
            return rng.choice(local)
        return draw(v, rng, kind)

    def sentence(self, found: list[Entity]) -> str:
        rng, v = self.rng, self.v
        roll = rng.random()
        if roll < 0.12:
            text, entities = rng.choice(v.sentences_es)
            found.extend(entities)
            return text

        def ent(kind: str) -> str:
            entity = self.pick(kind)
            found.append(entity)
            return entity.surface

        head = f"{rng.choice(CONNECTORS)}, " if rng.random() < 0.35 else ""
        subject = rng.choice(SUBJECTS)
        found.extend(fixed_entities(subject))
        verb = v.verbs(rng)
        body_roll = rng.random()
        if body_roll < 0.16:
            tail = f"conforme a lo previsto en el {ent('law')}"
        elif body_roll < 0.27:
            person = ent("per")
            form = rng.randrange(4)
            if form == 3:
                tail = f"contra {person}, identificado con DNI N° {self._dni(found)}"
            else:
                tail = (f"respecto del investigado {person}", f"que el imputado {person} habría participado",
                        f"en relación con la declaración de {person}")[form]
        elif body_roll < 0.35:
            tail = f"en el marco del {ent('case')}" if rng.random() < 0.5 else f"según lo resuelto en la {ent('case')}"
        elif body_roll < 0.43:
            tail = f"la incautación de {rng.randint(1, 2400)} kg de {ent('drug')} en {ent('loc')}"
        elif body_roll < 0.50:
            org = self.pick("org")
            found.append(org)
            tail = (f"la existencia de la organización criminal «{org.surface}»" if org.canonical.startswith("Los ")
                    else f"depósitos en las cuentas de la empresa {org.surface} por {self._amount(found)}")
        elif body_roll < 0.57:
            tail = f"lo informado por {ent('institution')} el {self._date(found)}"
        elif body_roll < 0.62:
            topic = rng.choice(self.topics)
            found.extend(fixed_entities(topic))
            tail = f"la investigación por {topic} en agravio del Estado"
        elif body_roll < 0.66:
            tail = f"la diligencia realizada en {ent('loc')} a fojas {rng.randint(1, 9999)}"
        else:
            tail = f"que {self.np()} {v.verbs(rng)} {self.np()}"
        middle = f"{verb} {self.np()}" if rng.random() < 0.5 else f"{verb} que {self.np()} resulta {v.adjectives(rng)}"
        text = f"{head}{subject} {middle} y {tail}" if rng.random() < 0.6 else f"{head}{subject} {verb} {tail}"
        text = text[0].upper() + text[1:] + "."
        return text

    def _dni(self, found: list[Entity]) -> str:
        number = f"{self.rng.randint(1_000_000, 79_999_999):08d}"
        found.append(Entity("dni", number, f"DNI N° {number}"))
        return number

    def _amount(self, found: list[Entity]) -> str:
        rng = self.rng
        value = rng.choice([rng.randint(1_000, 99_999), rng.randint(100_000, 9_999_999)])
        currency, sign = ("PEN", "S/") if rng.random() < 0.75 else ("USD", "US$")
        surface = f"{sign} {value:,}.00".replace(",", " ")
        found.append(Entity("money", f"{currency} {value}.00", surface))
        return surface

    def _date(self, found: list[Entity]) -> str:
        rng = self.rng
        year, month, day = rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28)
        surface = f"{day} de {MONTHS[month - 1]} de {year}"
        found.append(Entity("date", f"{year:04d}-{month:02d}-{day:02d}", surface))
        return surface

    def page_es(self, words: int, opening: str | None) -> tuple[str, list[Entity]]:
        found: list[Entity] = []
        parts, count = [], 0
        if opening:
            parts.append(opening)
            count += len(opening.split())
        paragraph: list[str] = []
        while count < words:
            sentence = self.sentence(found)
            paragraph.append(sentence)
            count += sentence.count(" ") + 1
            if len(paragraph) >= self.rng.randint(3, 7):
                parts.append(" ".join(paragraph))
                paragraph = []
        if paragraph:
            parts.append(" ".join(paragraph))
        return "\n".join(parts), found

    def page_en(self, words: int) -> tuple[str, list[Entity]]:
        found: list[Entity] = []
        out, count = [], 0
        while count < words:
            text, entities = self.rng.choice(self.v.sentences_en)
            out.append(text)
            found.extend(entities)
            count += text.count(" ") + 1
        return " ".join(out), found
