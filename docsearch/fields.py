"""The field registry: every searchable field, facet and entity type of docsearch, declared once.

Everything else derives from it: the index mapping of entity fields (``docsearch.schema``), the names the
query language takes (``person:quispe``), the facets a search counts and the filters it takes, the API's
filter parameters (``persons=``), and the front end's facet list and labels (``GET /api/fields``).

One naming scheme: a field is known everywhere by its ``key``, which is also its facet name and the API's
filter parameter (``persons``). The query language reads a short singular ``query`` name and its
``aliases`` (``person:``, ``persona:``); an entity field holds the canonical forms of one ``nlp`` entity
type (``per``) in ``entities.<type>``, on the document and on each page.

``docs/fields.md`` shows how to add a field; ``tests/test_fields.py`` proves it with a registry of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from nlp.text import fold

Kind = Literal["text", "year", "code", "name"]


@dataclass(frozen=True)
class Field:
    """One searchable thing.

    ``kind`` says how a ``field:value`` query matches it: ``text`` (analysed words, as the title), ``year``
    (a year or a range), ``code`` (a short value such as ``sentencia`` or ``es``: the exact value, or the
    words of a longer one), ``name`` (the words of a name, in any case and with or without accents:
    ``court:lima`` matches ``Corte Superior de Justicia de Lima``).
    """

    key: str
    label_es: str
    label_en: str
    kind: Kind = "name"
    index: str = ""  # the indexed field; entity fields default to entities.<entity>
    query: str | None = None  # the name a query uses (court:lima); None: not a query field
    aliases: tuple[str, ...] = ()  # other names a query may use (tribunal:lima)
    facet: bool = True  # counted and filtered by (?court=...)
    entity: str | None = None  # the nlp entity type whose canonical forms fill it
    citations: bool = False  # values are legal citations, read in any spelling by nlp.citations
    help: str = ""  # the API parameter's description

    @property
    def field(self) -> str:
        return self.index or f"entities.{self.entity}"

    @property
    def on_pages(self) -> bool:
        """Entity fields are also indexed per page (``pages.entities.<type>``): a hit can name its page."""
        return self.entity is not None

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_es


class Registry:
    """An ordered set of fields (facets are listed in this order) with the look-ups the rest of the code uses."""

    def __init__(self, fields: list[Field] | tuple[Field, ...]):
        self.fields = tuple(fields)
        keys = [f.key for f in self.fields]
        if len(set(keys)) != len(keys):
            raise ValueError(f"field keys repeat: {keys}")
        names: dict[str, str] = {}
        for f in self.fields:
            for name in ((f.query,) + f.aliases) if f.query else ():
                folded = fold(name)
                if names.setdefault(folded, f.key) != f.key:
                    raise ValueError(f"query name '{name}' names both {names[folded]} and {f.key}")
        self._query_names = names
        self._by_key = {f.key: f for f in self.fields}

    def __getitem__(self, key: str) -> Field:
        return self._by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    @cached_property
    def facets(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.facet)

    @cached_property
    def facet_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.facets)

    @cached_property
    def entity_facets(self) -> tuple[str, ...]:
        """Facets over entity names, which can hold many values: searchable by prefix."""
        return tuple(f.key for f in self.facets if f.entity)

    @cached_property
    def query_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.query)

    @cached_property
    def entity_types(self) -> tuple[str, ...]:
        """Every entity type with a field (the mapping has one keyword field per type)."""
        return tuple(f.entity for f in self.fields if f.entity)

    def by_query_name(self, name: str) -> Field | None:
        """The field a query's ``name:`` means (any case, accents optional: ``año:`` is ``ano:``), or None."""
        key = self._query_names.get(fold(name))
        return self._by_key[key] if key else None


REGISTRY = Registry([
    Field("collection", "Colección", "Collection", kind="code", index="collection", query="collection",
          aliases=("coleccion",)),
    Field("doc_type", "Tipo de documento", "Document type", kind="code", index="doc_type", query="type",
          aliases=("tipo", "doc_type")),
    Field("court", "Tribunal o despacho", "Court or office", index="institution", query="court",
          aliases=("tribunal", "juzgado", "corte"), help="Issuing court or office."),
    Field("year", "Año", "Year", kind="year", index="year", query="year", aliases=("ano", "anio")),
    Field("language", "Idioma", "Language", kind="code", index="language", query="language",
          aliases=("idioma", "lang")),
    Field("topics", "Temas", "Topics", index="topics", query="topic", aliases=("tema", "topics")),
    Field("persons", "Personas", "People", entity="per", query="person", aliases=("persona", "persons")),
    Field("organizations", "Organizaciones", "Organisations", entity="org", query="org",
          aliases=("organizacion", "organization", "organizations")),
    Field("criminal_orgs", "Organizaciones criminales", "Criminal organisations", entity="criminal_org",
          query="criminal_org", aliases=("banda", "organizacion_criminal", "criminal_organization", "gang"),
          help="A criminal organisation, band, clan or cartel, e.g. 'Los Injertos del Cono'."),
    Field("operations", "Operaciones", "Operations", entity="operation", query="operation",
          aliases=("operacion", "operativo", "operations"), help="A named police or fiscal operation, e.g. "
          "'Operación Tormenta del Norte'."),
    Field("places", "Lugares", "Places", entity="loc", query="place", aliases=("lugar", "places", "location")),
    Field("addresses", "Direcciones", "Addresses", entity="address", query="address",
          aliases=("direccion", "domicilio", "addresses"), help="A street address, e.g. 'Jr. Huallaga 345'."),
    Field("institutions", "Instituciones", "Institutions", entity="institution", query="institution",
          aliases=("institucion", "institutions"), help="Institutions mentioned."),
    Field("cases", "Casos", "Cases", entity="case", query="case", aliases=("caso", "expediente", "cases"),
          citations=True),
    Field("laws", "Leyes", "Laws", entity="law", query="law", aliases=("ley", "laws", "norma"), citations=True,
          help="Canonical law, e.g. 'Decreto Legislativo 1106'."),
    Field("drugs", "Drogas", "Drugs", entity="drug", query="drug", aliases=("droga", "drugs")),
    Field("references", "Documentos citados", "Documents cited", entity="ref", query="ref",
          aliases=("referencia", "documento", "references"), citations=True,
          help="A document named by its number, e.g. 'Informe Policial 231-2019-DIRANDRO-PNP/DIVINESP'."),
    # Searched, not counted.
    Field("title", "Título", "Title", kind="text", index="title", query="title", aliases=("titulo",), facet=False),
    # Entities shown on a document, neither searched by name nor counted.
    Field("amounts", "Montos", "Amounts", entity="money", facet=False),
    Field("dni", "DNI", "DNI", entity="dni", facet=False),
    Field("ruc", "RUC", "RUC", entity="ruc", facet=False),
    Field("dates", "Fechas", "Dates", entity="date", facet=False),
    Field("other", "Otros", "Other", entity="misc", facet=False),
])
