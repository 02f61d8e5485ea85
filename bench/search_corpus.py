"""Generated documents in the indexed shape, for the search benchmark (``bench/search.py``).

Running the real pipeline (PDF, NLP) over 100,000 pages takes the better part of an hour on two cores,
so this module writes documents as ``ingestion.pipeline.build_document`` would have built them, with
that very function: text per page, entities per page and per document (canonical forms as
``docs/entities.md`` and ``nlp.citations`` give them), metadata (doc_type, institution, year, topics,
collection, language) and the document-level entity summary.

The text is FICTITIOUS Spanish legal prose (some documents in English): sentences of
``samples/texts.py`` (their entities found by ``nlp.extract.domain_mentions``) among
sentences built from templates whose words are drawn with Zipf-like frequencies from a legal
vocabulary, and whose slots carry entities: persons (a pool of generated names, each document having
its own cast), criminal organisations and companies, places, case numbers, law citations in several
spellings (``DL 1106``, ``Decreto Legislativo N.° 1106``, ``art. 296 del CP``), drugs and chemical
inputs, institutions, amounts, DNIs and dates. Law and case canonical forms come from
``nlp.citations.find_citations`` on the spelling written, so the index holds what ingestion would store.

Everything is deterministic: document ``n`` of seed ``s`` is the same on every machine.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]

# -- vocabulary ---------------------------------------------------------------------------------------
# Nouns with their gender, most frequent first (Zipf rank = position).
NOUNS_M = """proceso delito imputado juez fiscal hecho requerimiento plazo mandato auto informe acto elemento
expediente recurso derecho principio peligro riesgo dinero patrimonio inmueble vehículo contenedor cargamento
almacén laboratorio acusado testigo agraviado perito peritaje dictamen allanamiento registro decomiso embargo
secuestro operativo seguimiento procedimiento juicio debate alegato fundamento considerando extremo agravio
despacho colegiado tribunal órgano cargo sustento indicio arraigo vínculo beneficio pago depósito movimiento
desbalance incremento origen destino traslado envío transporte acopio embarque puerto aeropuerto terminal
control hallazgo paquete ladrillo kilogramo análisis resultado estudio caso tipo delito sujeto autor cómplice
partícipe instigador cabecilla integrante miembro grupo aparato esquema circuito flujo financiamiento activo
bien producto instrumento efecto objeto valor monto importe saldo contrato documento certificado título
testimonio protocolo acta oficio escrito pronunciamiento razonamiento criterio estándar umbral margen
término lugar domicilio distrito territorio ámbito sector mercado comercio negocio rubro giro capital
aporte préstamo crédito cheque retiro reporte sistema mecanismo método uso manejo empleo servicio apoyo
recaudo archivo sobreseimiento desistimiento requisito supuesto presupuesto fin objetivo resultado perjuicio
daño menoscabo interés orden mandato cese levantamiento impedimento arresto internamiento cumplimiento""".split()
NOUNS_F = """investigación prisión medida organización droga pena sentencia resolución audiencia defensa
prueba declaración diligencia incautación intervención carpeta disposición acusación imputación conducta
comisión actividad empresa sociedad cuenta transferencia operación suma cantidad sustancia muestra pericia
comunicación interceptación videovigilancia técnica información fuente inteligencia unidad fiscalía sala
corte instancia apelación casación nulidad queja excepción cuestión tesis teoría hipótesis versión
argumentación motivación valoración calificación tipificación subsunción agravante atenuante circunstancia
responsabilidad culpabilidad participación autoría coautoría complicidad colaboración cooperación asistencia
solicitud petición pretensión reparación indemnización multa inhabilitación reclusión detención libertad
comparecencia restricción caución garantía vigilancia obligación regla norma ley disposición jurisprudencia
doctrina línea posición postura jerarquía estructura red célula banda facción estrategia ruta vía frontera
región provincia zona ciudad localidad vivienda propiedad finca parcela chacra plantación cosecha producción
elaboración comercialización distribución venta compra adquisición posesión tenencia conversión ocultación
simulación apariencia procedencia licitud ilicitud relevancia gravedad proporcionalidad necesidad idoneidad
urgencia flagrancia denuncia noticia querella notificación citación emplazamiento etapa fase formalización
conclusión decisión consecuencia evaluación capacitación enseñanza materia asignatura lección unidad""".split()
ADJECTIVES = """penal procesal fiscal judicial preventivo criminal ilícito organizado nacional provincial
superior supremo especializado preparatorio preliminar formalizado objetivo subjetivo típico antijurídico
culpable grave leve doloso culposo agravado atenuado económico financiero patrimonial bancario comercial
tributario aduanero portuario internacional transnacional extranjero peruano público privado estatal
fundado razonable suficiente idóneo necesario proporcional legítimo válido nulo eficaz ineficaz firme
definitivo provisional cautelar personal real probatorio pericial documental testimonial material formal
sustancial relevante determinante concreto abstracto específico general particular especial común anterior
posterior previo actual reciente sucesivo continuo permanente temporal reiterado múltiple diverso distinto
similar idéntico mayor menor alto bajo elevado reducido considerable significativo escaso abundante
injustificado inusual irregular sospechoso clandestino oculto aparente simulado fraudulento falso verdadero
directo indirecto inmediato mediato principal accesorio secundario primario complementario adicional""".split()
VERBS = """sostiene|advierte|señala|precisa|refiere|indica|concluye|acredita|establece|determina|valora|
considera|estima|sustenta|argumenta|alega|afirma|reconoce|niega|cuestiona|impugna|solicita|requiere|
dispone|ordena|resuelve|declara|confirma|revoca|anula|desestima|admite|rechaza|ampara|evalúa|analiza|
examina|verifica|constata|corrobora|descarta|atribuye|imputa|vincula|relaciona|identifica|describe|
detalla|explica|expone|comunica|informa|registra|documenta""".replace("\n", "").split("|")
CONNECTORS = ["Asimismo", "Por otro lado", "En tal sentido", "Sin embargo", "Por consiguiente", "En efecto",
              "Además", "De otro lado", "En consecuencia", "Por ello", "Al respecto", "En ese orden de ideas",
              "Cabe precisar que", "Debe tenerse en cuenta que", "No obstante", "De igual modo",
              "Conforme a lo expuesto", "En el presente caso", "De lo actuado", "Por tanto"]
SUBJECTS = ["el Ministerio Público", "la defensa técnica", "el representante del Ministerio Público",
            "el juez de investigación preparatoria", "el Colegiado", "la Sala", "este despacho",
            "la Fiscalía", "el órgano jurisdiccional", "la parte civil", "la Procuraduría", "el perito",
            "el colaborador eficaz", "la Policía Nacional", "el tribunal de apelación", "la defensa del imputado"]
PLACES = [p.strip() for p in """Lima, Callao, Huánuco, Tingo María, Pichari, VRAEM, Ayacucho, Cusco, Puno, Juliaca,
Desaguadero, Tumbes, Piura, Paita, Sullana, Chiclayo, Trujillo, Chimbote, Huaraz, Cajamarca, Tarapoto, Moyobamba,
Iquitos, Pucallpa, Puerto Maldonado, Madre de Dios, Tacna, Arequipa, Moquegua, Ilo, Ica, Pisco, Cañete, Huacho,
Huancayo, La Merced, Satipo, Pichanaki, Huancavelica, Abancay, Andahuaylas, Quillabamba, La Convención,
Santiago de Surco, Miraflores, San Isidro, La Victoria, San Juan de Lurigancho, Ate, Comas, Los Olivos, Ventanilla,
San Martín de Porres, Chorrillos, Villa El Salvador, Lurín, Chosica, Aucayacu, Monzón, Leoncio Prado,
Alto Huallaga, Putumayo, Caballococha, Yurimaguas, Bagua, Jaén, Chachapoyas, Nazca, Camaná, Mollendo, Sechura,
Talara, Zarumilla, Aguas Verdes""".split(",")]
GIVEN_M = """Wilmer Édgar Jhonatan Luis Carlos José Juan Jorge Miguel Víctor César Raúl Alberto Manuel Julio
Walter Percy Fredy Elmer Segundo Teodoro Hugo Óscar Rubén Néstor Marco Richard Jhon Kevin Brayan Álex Ítalo
Aurelio Martín Paúl Alfredo Ernesto Guillermo Hernán Ricardo Roberto Santiago Gustavo Abel Eduardo Félix
Fernando Gilberto Héctor Iván Jaime Leonidas Mario Nilo Orlando Pedro Ramiro Simón Tomás Ulises Vladimir""".split()
GIVEN_F = """Rosa Elvira María Ana Carmen Luz Gladys Juana Elizabeth Flor Milagros Yolanda Nancy Sonia Marisol
Patricia Roxana Diana Karina Lucía Sofía Vanessa Jessica Liliana Maribel Norma Olga Pilar Rocío Silvia Teresa
Úrsula Verónica Zoila Beatriz Claudia Delia Esther Fiorella Gabriela Hilda Irma Janet Katherine Lidia Magaly""".split()
SURNAMES = """Quispe Huamán Mamani Flores Rodríguez Sánchez García Rojas Gonzales Díaz Torres López Vargas Ramírez
Chávez Castillo Ramos Espinoza Mendoza Cárdenas Villanueva Salazar Ñañez Ruiz Gutiérrez Pérez Fernández Cruz
Romero Vásquez Castro Morales Reyes Jiménez Herrera Medina Aguilar Rivera Silva Ortiz Álvarez Paredes Cáceres
Ccori Condori Apaza Huanca Choque Ticona Layme Yupanqui Cusi Chambi Pari Coaquira Luque Nina Vilca Zapata
Córdova Valverde Benites Palacios Tello Acosta Salinas Cabrera Navarro Campos Vega Guerrero Montes Arce
Muñoz Delgado León Ríos Lozano Soto Valdivia Zegarra Bustamante Cornejo Del Águila Panduro Pinedo Tuesta
Shapiama Chumpitaz Pacheco Carrasco Inga Huaranga Osorio Poma Tapia Alarcón Velásquez Saavedra Peña Sotelo""".split()
GANG_HEADS = """Topos Malditos Injertos Pulpos Cuellos Blancos Destructores Intocables Tiburones Halcones Lobos
Zorros Chacales Pumas Cóndores Dragones Gatitos Limpios Babys Charlys Escorpiones Cobras Panteras
Águilas Patrones Reyes Fantasmas Elegantes Norteños Sureños Hermanos Primos Compadres Socios Piratas
Mochileros Burriers Correcaminos Ninjas Tuercas Rucos Wachiturros Pepes Chinos Gordos Flacos""".split()
COMPANY_HEADS = ["Inversiones", "Agroexportadora", "Transportes", "Comercializadora", "Constructora", "Minera",
                 "Servicios Generales", "Importaciones", "Corporación", "Grupo", "Negociaciones", "Consorcio",
                 "Inmobiliaria", "Agropecuaria", "Distribuidora", "Logística", "Pesquera", "Maderera"]
COMPANY_NAMES = ["Valle Verde", "del Sur", "Andina", "San Martín", "Los Andes", "Amazónica", "Pacífico",
                 "Santa Rosa", "El Dorado", "Huallaga", "Norte Chico", "Virgen del Carmen", "Señor de Luren",
                 "Tres Hermanos", "Mi Perú", "Real", "Continental", "Oriente", "Costa Azul", "Inca", "Kallpa",
                 "Chavín", "Wari", "Tahuantinsuyo", "Miski", "Illari", "Sumaq", "Puerto Nuevo", "Los Jazmines"]
COMPANY_FORMS = ["S.A.C.", "E.I.R.L.", "S.A.", "S.R.L."]
LAW_NUMBERS = {
    "Decreto Legislativo": [1106, 1104, 957, 635, 1373, 1241, 1126, 1107, 1249, 1611, 1182, 1338, 1351, 1453],
    "Ley": [30077, 27765, 30424, 28950, 30737, 27378, 29733, 30096, 28122, 27693, 29038, 30835, 31307],
}
CODE_ARTICLES = {
    "CP": [296, 297, 298, 299, 300, 317, 318, 384, 393, 400, 401, 152, 153, 108, 106, 186, 188, 189, 45,
           46, 57, 92, 102],
    "CPP": [268, 269, 270, 271, 272, 273, 230, 231, 341, 473, 474, 475, 334, 336, 349, 155, 158, 159, 202, 203],
}
DECRETOS_SUPREMOS = ["004-2017-JUS", "007-2017-JUS", "020-2017-JUS", "018-2017-JUS", "003-2018-IN", "010-2019-IN"]
PLENARIOS = ["3-2010/CJ-116", "7-2011/CJ-116", "1-2017/CIJ-433", "2-2016/CIJ-116", "1-2019/CIJ-116",
             "3-2008/CJ-116", "4-2015/CIJ-116", "5-2010/CJ-116", "1-2011/CJ-116", "2-2012/CJ-116"]
CASE_DISTRICTS = ["Lima", "Callao", "Huánuco", "Junín", "Piura", "Tumbes", "Cusco", "Puno", "Ayacucho", "Loreto",
                  "Ucayali", "Arequipa", "Lambayeque", "La Libertad", "Moquegua", "Tacna", "San Martín", "Ica"]
MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "setiembre", "octubre",
          "noviembre", "diciembre"]
DOC_TYPES = [  # label, weight, collection, pages (typical), institution kinds
    ("sentencia", 18, "jurisprudencia", 24, "court"),
    ("auto", 14, "jurisprudencia", 10, "court"),
    ("casación", 8, "jurisprudencia", 14, "supreme"),
    ("recurso de nulidad", 6, "jurisprudencia", 8, "supreme"),
    ("acuerdo plenario", 2, "jurisprudencia", 16, "supreme"),
    ("requerimiento", 14, "carpetas fiscales", 30, "prosecutor"),
    ("acusación", 10, "carpetas fiscales", 40, "prosecutor"),
    ("informe policial", 10, "informes", 22, "police"),
    ("material de capacitación", 12, "capacitación", 60, "school"),
    ("otro", 6, "normativa", 12, "agency"),
]
SCHOOLS = ["Escuela del Ministerio Público", "Academia de la Magistratura", "UNODC"]
SUPREME = ["Sala Penal Permanente", "Sala Penal Transitoria", "Corte Suprema de Justicia", "Sala Penal Especial"]
_ENGLISH_ALIAS = re.compile(r"\b(of|the|Court|Chamber|Police|Office|Prosecutor|Supreme|cocaine|coca leaf|leaves|"
                            r"paste|hydrochloride|heroin|opium|poppy|ecstasy|methamphetamine|amphetamine|acid|"
                            r"sulfuric|potassium|sodium|calcium|ether|ammonia|chloride|acetate|anhydride|base)\b",
                            re.I)


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


def _feminine(adj: str) -> str:
    if adj.endswith("o"):
        return adj[:-1] + "a"
    if adj.endswith("or"):
        return adj + "a"
    if adj.endswith(("án", "ón", "ín")):
        return adj[:-2] + {"á": "a", "ó": "o", "í": "i"}[adj[-2]] + "na"
    return adj


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
                                              and not _ENGLISH_ALIAS.search(a) and len(a) > 3]
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


# -- one document -------------------------------------------------------------------------------------
class _Writer:
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


def _page_counts(total: int, docs: int, seed: int, types: list[int]) -> list[int]:
    """Pages per document: log-normal around each type's typical length, summing to ``total``."""
    rng = random.Random(f"pages:{seed}")
    weights = [DOC_TYPES[t][3] * rng.lognormvariate(0, 0.8) for t in types]
    scale = total / sum(weights)
    counts = [min(800, max(1, round(w * scale))) for w in weights]
    step = 1 if sum(counts) < total else -1
    order = sorted(range(docs), key=lambda i: -weights[i])
    i = 0
    while sum(counts) != total:
        index = order[i % docs]
        if counts[index] + step >= 1:
            counts[index] += step
        i += 1
    return counts


@dataclass(frozen=True)
class Plan:
    """The corpus: how many documents and pages, and each document's type and length."""

    seed: int
    docs: int
    pages: int
    types: tuple[int, ...]
    page_counts: tuple[int, ...]

    @classmethod
    def make(cls, docs: int, pages: int, seed: int) -> "Plan":
        if pages < docs:
            raise ValueError("every document has at least one page")
        rng = random.Random(f"types:{seed}")
        weights = [t[1] for t in DOC_TYPES]
        types = [rng.choices(range(len(DOC_TYPES)), weights)[0] for _ in range(docs)]
        return cls(seed, docs, pages, tuple(types), tuple(_page_counts(pages, docs, seed, types)))


def _institution(vocab: Vocabulary, rng: random.Random, kind: str) -> str:
    if kind == "supreme":
        return rng.choice(SUPREME)
    if kind == "school":
        return rng.choice(SCHOOLS)
    if kind == "agency":
        return rng.choice(vocab.by_kind["agency"])
    return rng.choice(vocab.by_kind[kind])


def document(vocab: Vocabulary, plan: Plan, number: int) -> dict:
    """Document ``number`` (0-based) of the plan, as ``ingestion.pipeline.build_document`` builds it."""
    from ingestion.extractors import Extracted
    from ingestion.pipeline import build_document
    from nlp.extract import Analysis, summarise
    from nlp.types import Mention

    rng = random.Random(f"doc:{plan.seed}:{number}")
    label, _, collection, _, inst_kind = DOC_TYPES[plan.types[number]]
    page_count = plan.page_counts[number]
    english = rng.random() < 0.05
    year = min(2025, max(2000, int(rng.triangular(2003, 2026, 2022))))
    institution = _institution(vocab, rng, inst_kind)
    topics = rng.sample(vocab.topics, rng.choice([1, 1, 2, 2, 3]))
    main_case = case_number(rng)
    cast = {
        "per": [draw(vocab, rng, "per") for _ in range(rng.randint(2, 9))],
        "org": [draw(vocab, rng, "org") for _ in range(rng.randint(1, 3))],
        "loc": [draw(vocab, rng, "loc") for _ in range(rng.randint(1, 4))],
        "law": [draw(vocab, rng, "law") for _ in range(rng.randint(2, 6))],
        "case": [main_case] + [case_number(rng) for _ in range(rng.randint(0, 2))],
        "drug": [draw(vocab, rng, "drug") for _ in range(rng.randint(1, 3))],
        "institution": [Entity("institution", institution, institution)]
        + [draw(vocab, rng, "institution") for _ in range(rng.randint(1, 3))],
    }
    if label == "material de capacitación":
        title = f"Manual de {topics[0]} para fiscales y jueces — módulo {rng.randint(1, 12)}"
    elif label in ("casación", "recurso de nulidad", "acuerdo plenario"):
        title = f"{label.capitalize()} — {main_case.surface}"
    else:
        title = f"{label.capitalize()} — {main_case.surface} — {topics[0]}"
    if english:
        title = f"Training notes on {topics[0]} (English) — {rng.randint(1, 99)}"
    writer = _Writer(vocab, rng, cast, topics)
    texts, per_page, languages = [], [], []
    for index in range(page_count):
        words = rng.randint(60, 160) if index == 0 and page_count > 3 else rng.randint(250, 560)
        if english:
            text, found = writer.page_en(words)
        else:
            opening = None
            if index == 0:
                opening = f"{institution.upper()}\n{title}\n{main_case.surface}. Sumilla: {label}."
                found_open = [main_case, Entity("institution", institution, institution)]
            text, found = writer.page_es(words, opening)
            if index == 0:
                found = found_open + found
        texts.append(text)
        per_page.append([Mention(e.type, e.canonical, e.surface, 0, 0) for e in found])
        languages.append("en" if english else "es")
    analysis = Analysis("en" if english else "es", languages, per_page,
                        metadata=SimpleNamespace(doc_type=label, institution=institution, year=year, topics=topics,
                                                 signals={"generated": "bench/search_corpus.py"}),
                        summary=summarise(per_page))
    digest = hashlib.sha256(f"search-bench:{plan.seed}:{number}".encode()).hexdigest()
    name = f"{collection}/{label.replace(' ', '_')}_{number:06d}.pdf"
    record = {"sha256": digest, "id": f"file-{digest[:32]}", "name": name, "size": 8_000 + 41_000 * page_count,
              "batch_id": f"search-bench-{plan.seed}"}
    extracted = Extracted(pages=texts, metadata={"title": title, "author": institution, "created": f"D:{year}0101",
                                                 "producer": "bench/search_corpus.py"}, parser="pdfium")
    doc = build_document(record, {"collection": collection, "doc_type": label}, extracted, title, texts, analysis, {})
    ingested = datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=rng.randint(0, 2 * 365 * 86400))
    doc["ingested_at"] = ingested.isoformat()
    return doc
