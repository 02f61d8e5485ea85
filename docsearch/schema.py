"""Index schemas, their versions, and idempotent creation behind aliases.

Each logical index (documents, batches, files) is a concrete index named
``<prefix>-<name>-v<N>`` reached through the alias ``<prefix>-<name>``. The
version lives in the mapping's ``_meta``; :func:`schema_status` says when an
index needs a rebuild because the code expects a newer version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from docsearch.engine import Engine
from docsearch.fields import REGISTRY, Registry
from docsearch.settings import Settings

# A change of a mapping or of the analysis needs its version raised (and the index rebuilt):
# tests/test_schema.py fails on a change of their fingerprint without one.
# v2: offsets in the postings of the text fields (fast highlighting); v3: document references (entity type
# ``ref``), court file numbers padded to five digits in their canonical form; v4: ``classification`` and
# ``readers`` (who may read it, docsearch.access); v5: ``sources``, every name the file was loaded under with
# its collection (a document loaded into several collections shows each collection's readers only their names).
# v6: ``passages`` (a vector per passage of ~100-200 words, nested, for semantic and cross-lingual search) and
# ``embedding`` (the model that made them). v7: entity types ``criminal_org`` (apart from companies, ``org``) and
# ``operation``.
# Batches and files v2: ``uploader``, the user who loaded them. Accounts v2: a user's ``email``.
# Batches v3: ``name`` (the load's first file or folder); files v3: ``doc_type``, the type given for that file.
DOCUMENTS_VERSION = 8
BATCHES_VERSION = 3
FILES_VERSION = 3
AUDIT_VERSION = 1
# Accounts v3: a collection's display_name and hidden (added to an older index in place).
ACCOUNTS_VERSION = 3
ENTITIES_VERSION = 1
SAVED_VERSION = 1
# The watches index holds the documents' fields (a document is matched against its stored queries with them):
# it follows every change of the documents mapping (tests/test_schema.py). v2: pages as plain objects.
WATCHES_VERSION = 2
NOTIFICATIONS_VERSION = 1
WORKSPACE_VERSION = 1

# Spanish first: accents folded, Spanish stop words, light stemming (plural and
# gender endings) so "tecnicas" finds "técnicas" and "incautación" finds
# "incautaciones". The ``exact`` subfield keeps whole words (accents folded) for
# phrases; the ``en`` subfield serves English text.
ANALYSIS = {
    "filter": {
        "es_stop": {"type": "stop", "stopwords": "_spanish_"},
        "es_stem": {"type": "stemmer", "language": "light_spanish"},
        "en_stop": {"type": "stop", "stopwords": "_english_"},
        "en_stem": {"type": "stemmer", "language": "light_english"},
        "en_possessive": {"type": "stemmer", "language": "possessive_english"},
        "folding": {"type": "asciifolding", "preserve_original": False},
    },
    "analyzer": {
        "es_text": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["lowercase", "folding", "es_stop", "es_stem"],
        },
        "exact_text": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "folding"]},
        "en_text": {
            "type": "custom",
            "tokenizer": "standard",
            "filter": ["en_possessive", "lowercase", "folding", "en_stop", "en_stem"],
        },
    },
    "normalizer": {"folded": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
}


def _text(with_keyword: bool = False) -> dict:
    # Offsets in the postings let the highlighter mark a page without analysing its text again: on 100k
    # pages this halves the cost of a search with snippets (docs/benchmarks.md).
    field: dict = {
        "type": "text",
        "analyzer": "es_text",
        "index_options": "offsets",
        "fields": {
            "exact": {"type": "text", "analyzer": "exact_text", "index_options": "offsets"},
            "en": {"type": "text", "analyzer": "en_text"},
        },
    }
    if with_keyword:
        field["fields"]["raw"] = {"type": "keyword", "ignore_above": 512}
    return field


def _entities(registry: Registry) -> dict:
    """One keyword field of canonical forms per entity type of the registry (see docs/entities.md)."""
    return {"properties": {t: {"type": "keyword", "ignore_above": 256} for t in registry.entity_types}}


# Passage vectors: the dimensions of nlp.encoder's model, stored as bytes (each vector scaled to -127..127 by
# its own largest value: cosine does not change with scale), compared by cosine in an HNSW graph.
VECTOR_DIMS = 512
HNSW = {"m": 16, "ef_construction": 100}


def vector_field(kind: str = "opensearch", dims: int = VECTOR_DIMS) -> dict:
    """A passage vector field in the engine's own terms: OpenSearch's k-NN plugin (Lucene engine, pure Java) or
    Elasticsearch's built-in ``dense_vector``."""
    if kind == "elasticsearch":
        return {"type": "dense_vector", "dims": dims, "element_type": "byte", "index": True,
                "similarity": "cosine", "index_options": {"type": "hnsw", **HNSW}}
    return {"type": "knn_vector", "dimension": dims, "data_type": "byte",
            "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil", "parameters": HNSW}}


def documents_mapping(registry: Registry = REGISTRY, kind: str = "opensearch") -> dict:
    entities = _entities(registry)
    return {
        "dynamic": "strict",
        "_meta": {"schema_version": DOCUMENTS_VERSION},
        "properties": {
            "id": {"type": "keyword"},
            "title": _text(with_keyword=True),
            "collection": {"type": "keyword"},
            "classification": {"type": "keyword"},
            "readers": {"type": "keyword"},
            "doc_type": {"type": "keyword"},
            "institution": {"type": "keyword"},
            "year": {"type": "integer"},
            "language": {"type": "keyword"},
            "topics": {"type": "keyword"},
            "page_count": {"type": "integer"},
            "file_size": {"type": "long"},
            "parser": {"type": "keyword"},
            "ocr_pages": {"type": "integer"},
            "source_paths": {"type": "keyword", "ignore_above": 2048},
            "source_names": {"type": "text", "analyzer": "exact_text"},
            "batch_ids": {"type": "keyword"},
            "file_ids": {"type": "keyword"},
            # One per load of the file: the flat fields above hold those of its first collection only.
            "sources": {
                "properties": {
                    "collection": {"type": "keyword"},
                    "path": {"type": "keyword", "ignore_above": 2048},
                    "batch": {"type": "keyword"},
                    "file": {"type": "keyword"},
                }
            },
            "pdf": {
                "properties": {
                    "title": {"type": "keyword", "ignore_above": 1024},
                    "author": {"type": "keyword", "ignore_above": 1024},
                    "created": {"type": "keyword"},
                    "producer": {"type": "keyword", "ignore_above": 1024},
                }
            },
            "ingested_at": {"type": "date"},
            "entities": entities,
            # One row per distinct entity (type, canonical, count, surface forms, pages): shown, not searched.
            # The archive-wide identities (docsearch.identities) its persons, companies and criminal
            # organisations resolved to: what a merge or split of an identity finds the document by.
            "entity_ids": {"type": "keyword"},
            "entity_summary": {"type": "object", "enabled": False},
            # What nlp inferred (doc_type, institution, year, topics, signals), beside what the uploader said.
            "inferred": {"type": "object", "enabled": False},
            "pages": {
                "type": "nested",
                # Also indexed in the parent: a query whose words are on different pages still matches.
                "include_in_parent": True,
                "properties": {
                    "page": {"type": "integer"},
                    "language": {"type": "keyword"},
                    "text": _text(),
                    "chars": {"type": "integer"},
                    "ocr": {"type": "boolean"},
                    "ocr_confidence": {"type": "float"},
                    "entities": entities,
                },
            },
            "embedding": {"properties": {"model": {"type": "keyword"}, "dims": {"type": "integer"}}},
            # Passage text is not stored twice: it is ``pages[page - 1].text[start:end]``.
            "passages": {
                "type": "nested",
                "properties": {
                    "page": {"type": "integer"},
                    "start": {"type": "integer"},
                    "end": {"type": "integer"},
                    "vector": vector_field(kind),
                },
            },
        },
    }


DOCUMENTS_MAPPING = documents_mapping()

BATCHES_MAPPING = {
    "dynamic": "strict",
    "_meta": {"schema_version": BATCHES_VERSION},
    "properties": {
        "id": {"type": "keyword"},
        "created_at": {"type": "date"},
        "collection": {"type": "keyword"},
        "doc_type": {"type": "keyword"},
        "origin": {"type": "keyword"},
        "file_count": {"type": "integer"},
        "uploader": {"type": "keyword"},
        "name": {"type": "keyword", "ignore_above": 2048},
    },
}

FILES_MAPPING = {
    "dynamic": "strict",
    "_meta": {"schema_version": FILES_VERSION},
    "properties": {
        "id": {"type": "keyword"},
        "batch_id": {"type": "keyword"},
        "seq": {"type": "integer"},
        "name": {"type": "keyword", "ignore_above": 2048},
        "sha256": {"type": "keyword"},
        "size": {"type": "long"},
        "status": {"type": "keyword"},
        "reason": {"type": "keyword"},
        "message": {"type": "text", "index": False},
        "document_id": {"type": "keyword"},
        "pages": {"type": "integer"},
        "note": {"type": "text", "index": False},
        "attempts": {"type": "integer"},
        "mode": {"type": "keyword"},
        "stage": {"type": "keyword"},
        "ocr_pages": {"type": "integer"},
        "ocr_done": {"type": "integer"},
        "queued_at": {"type": "date"},
        "started_at": {"type": "date"},
        "finished_at": {"type": "date"},
        "lease_until": {"type": "date"},
        "holder": {"type": "keyword"},
        "updated_at": {"type": "date"},
        "uploader": {"type": "keyword"},
        "doc_type": {"type": "keyword"},
    },
}

# Users, groups, collections with their grants, API tokens and sessions (docsearch.accounts), one ``kind``
# each. Secrets are stored as hashes only.
ACCOUNTS_MAPPING = {
    "dynamic": "strict",
    "_meta": {"schema_version": ACCOUNTS_VERSION},
    "properties": {
        "kind": {"type": "keyword"},
        "name": {"type": "keyword"},
        "user": {"type": "keyword"},
        "role": {"type": "keyword"},
        "groups": {"type": "keyword"},
        "email": {"type": "keyword", "ignore_above": 320},
        "disabled": {"type": "boolean"},
        "password_hash": {"type": "keyword", "index": False},
        "csrf_hash": {"type": "keyword", "index": False},
        "failed_logins": {"type": "integer"},
        "locked_until": {"type": "date"},
        "default_classification": {"type": "keyword"},
        "display_name": {"type": "keyword", "ignore_above": 512},
        "hidden": {"type": "boolean"},
        "grants": {"properties": {"principal": {"type": "keyword"}, "rights": {"type": "keyword"}}},
        "created_at": {"type": "date"},
        "updated_at": {"type": "date"},
        "expires_at": {"type": "date"},
        "last_used_at": {"type": "date"},
    },
}


# The audit trail (docsearch/audit.py, docs/audit.md): one record per seq (id = seq) and the head (id ``head``).
# ``details`` is kept, not indexed: what a record says beyond its fields is read, not searched.
AUDIT_MAPPING = {
    "dynamic": "strict",
    "_meta": {"schema_version": AUDIT_VERSION},
    "properties": {
        "seq": {"type": "long"},
        "at": {"type": "date"},
        "actor": {"type": "keyword", "ignore_above": 256},
        "action": {"type": "keyword"},
        "target": {"type": "keyword", "ignore_above": 1024},
        "collection": {"type": "keyword"},
        "ip": {"type": "keyword"},
        "details": {"type": "object", "enabled": False},
        "query": {"type": "text", "analyzer": "standard"},
        "prev": {"type": "keyword"},
        "hash": {"type": "keyword"},
    },
}


def audit_alias(settings: Settings) -> str:
    return f"{settings.index_prefix}-audit"


# One identity per person, company or criminal organisation across the archive (docsearch/identities.py,
# docs/identities.md): the names it is written under, the keys a new spelling is
# compared by, the DNI/RUC documents give it, and, once merged into another, where it went.
ENTITIES_MAPPING = {
    "dynamic": "strict",
    "_meta": {"schema_version": ENTITIES_VERSION},
    "properties": {
        "id": {"type": "keyword"},
        "type": {"type": "keyword"},
        "name": {"type": "keyword", "ignore_above": 512},
        "variants": {"type": "keyword", "ignore_above": 512},
        "keys": {"type": "keyword", "ignore_above": 512},
        "aliases": {"type": "keyword", "ignore_above": 512},
        "dni": {"type": "keyword"},
        "ruc": {"type": "keyword"},
        "merged_into": {"type": "keyword"},
        # Pointers (docsearch.identities.pointer_id): what identities are known by, read by id.
        "pointer": {"type": "keyword", "ignore_above": 1024},
        "targets": {"type": "keyword"},
        "created_at": {"type": "date"},
        "updated_at": {"type": "date"},
    },
}


def entities_alias(settings: Settings) -> str:
    return f"{settings.index_prefix}-entities"


# Saved searches (docsearch/watches.py): a named search of one user, as its request's parts.
SAVED_MAPPING = {
    "dynamic": "strict",
    "_meta": {"schema_version": SAVED_VERSION},
    "properties": {
        "id": {"type": "keyword"},
        "owner": {"type": "keyword"},
        "name": {"type": "keyword", "ignore_above": 512},
        "request": {"type": "object", "enabled": False},  # q, filters, mode, sort, year_from, year_to
        "created_at": {"type": "date"},
        "updated_at": {"type": "date"},
    },
}


def watches_mapping(registry: Registry = REGISTRY, kind: str = "opensearch") -> dict:
    """The watches: one stored query each (``query``, the engine's percolator field) with what is watched, by
    whom and how (``watch``), beside every field of a document, which a new document is read with when it is
    matched against them all, and (``needs``) what of the query is not its words. A stored query reads a document as a whole (its pages' text as the parent's copy
    of it), never page by page: the pages are plain objects here, not nested, so the engine reads a document
    being matched as one document, and a watch its terms decide alone is not run against it again
    (docs/watches.md). Vectors and the shown-only parts are carried, not read: no watch asks for them."""
    properties = dict(documents_mapping(registry, kind)["properties"])
    pages = properties["pages"]
    properties["pages"] = {"properties": pages["properties"]}
    properties["passages"] = {"type": "object", "enabled": False}
    properties["query"] = {"type": "percolator"}
    properties["needs"] = {"type": "percolator"}  # the query's filters alone, matched first (docs/watches.md)
    properties["watch"] = {"properties": {
        "id": {"type": "keyword"},
        "owner": {"type": "keyword"},
        "kind": {"type": "keyword"},
        "label": {"type": "keyword", "ignore_above": 1024},
        "target": {"type": "object", "enabled": False},
        "identity": {"type": "keyword"},  # an entity watch's identity, moved when it is merged into another
        "request": {"type": "object", "enabled": False},
        "delivery": {"type": "keyword"},
        "active": {"type": "boolean"},
        "created_at": {"type": "date"},
        "updated_at": {"type": "date"},
    }}
    return {"dynamic": "strict", "_meta": {"schema_version": WATCHES_VERSION}, "properties": properties}


# What a watch found (docsearch/watches.py): one record per watch and document, and one per daily digest sent.
NOTIFICATIONS_MAPPING = {
    "dynamic": "strict",
    "_meta": {"schema_version": NOTIFICATIONS_VERSION},
    "properties": {
        "kind": {"type": "keyword"},  # notice | digest
        "owner": {"type": "keyword"},
        "watch_id": {"type": "keyword"},
        "watch_kind": {"type": "keyword"},
        "watch_label": {"type": "keyword", "ignore_above": 1024},
        "document_id": {"type": "keyword"},
        "title": {"type": "keyword", "index": False, "ignore_above": 4096},
        "page": {"type": "integer"},
        "snippet": {"type": "text", "index": False},
        "delivery": {"type": "keyword"},
        "indexed_at": {"type": "date"},
        "at": {"type": "date"},
        "read": {"type": "boolean"},
        "emailed_at": {"type": "date"},
        "day": {"type": "keyword"},
        "count": {"type": "integer"},
    },
}


def saved_alias(settings: Settings) -> str:
    return f"{settings.index_prefix}-saved"


def watches_alias(settings: Settings) -> str:
    return f"{settings.index_prefix}-watches"


def notifications_alias(settings: Settings) -> str:
    return f"{settings.index_prefix}-notifications"


# A user's working tools (docsearch/folders.py, docsearch/annotations.py): case folders (``kind`` folder), the
# documents in them (item), and the stars, tags and notes a user puts on a document or one of its pages (mark).
WORKSPACE_MAPPING = {
    "dynamic": "strict",
    "_meta": {"schema_version": WORKSPACE_VERSION},
    "properties": {
        "kind": {"type": "keyword"},  # folder | item | mark
        "id": {"type": "keyword"},
        "owner": {"type": "keyword"},  # a folder's or a mark's user
        "name": {"type": "keyword", "ignore_above": 512},  # a folder's
        "members": {"type": "keyword"},  # a folder's: user:<name> | group:<name>
        "folder_id": {"type": "keyword"},  # an item's
        "document_id": {"type": "keyword"},  # an item's or a mark's
        "page": {"type": "integer"},  # a mark's page; absent: the document as a whole
        "starred": {"type": "boolean"},
        "tags": {"type": "keyword", "ignore_above": 256},
        "note": {"type": "text", "index": False},
        "added_by": {"type": "keyword"},
        "created_at": {"type": "date"},
        "updated_at": {"type": "date"},
    },
}


def workspace_alias(settings: Settings) -> str:
    return f"{settings.index_prefix}-workspace"


@dataclass(frozen=True)
class IndexSpec:
    alias: str
    version: int
    mapping: dict
    analysis: bool
    shards: int

    @property
    def concrete(self) -> str:
        return f"{self.alias}-v{self.version}"

    @property
    def fingerprint(self) -> str:
        """A hash of what the index is built with (mapping and analysis, not its version): when it changes,
        an index built before cannot hold what the code writes, and the version must go up."""
        built = {"mapping": {k: v for k, v in self.mapping.items() if k != "_meta"},
                 "analysis": ANALYSIS if self.analysis else None}
        return hashlib.sha256(json.dumps(built, sort_keys=True).encode()).hexdigest()[:16]


def specs(settings: Settings, registry: Registry = REGISTRY, kind: str = "opensearch") -> list[IndexSpec]:
    return [
        IndexSpec(settings.documents_alias, DOCUMENTS_VERSION, documents_mapping(registry, kind), True,
                  settings.index_shards),
        IndexSpec(settings.batches_alias, BATCHES_VERSION, BATCHES_MAPPING, False, 1),
        IndexSpec(settings.files_alias, FILES_VERSION, FILES_MAPPING, False, 1),
        IndexSpec(settings.accounts_alias, ACCOUNTS_VERSION, ACCOUNTS_MAPPING, False, 1),
        IndexSpec(audit_alias(settings), AUDIT_VERSION, AUDIT_MAPPING, False, 1),
        IndexSpec(entities_alias(settings), ENTITIES_VERSION, ENTITIES_MAPPING, False, 1),
        IndexSpec(saved_alias(settings), SAVED_VERSION, SAVED_MAPPING, False, 1),
        IndexSpec(watches_alias(settings), WATCHES_VERSION, watches_mapping(registry, kind), True, 1),
        IndexSpec(notifications_alias(settings), NOTIFICATIONS_VERSION, NOTIFICATIONS_MAPPING, False, 1),
        IndexSpec(workspace_alias(settings), WORKSPACE_VERSION, WORKSPACE_MAPPING, False, 1),
    ]


def index_body(spec: IndexSpec, settings: Settings, kind: str = "opensearch") -> dict:
    index_settings: dict = {
        "number_of_shards": spec.shards,
        "number_of_replicas": settings.index_replicas,
    }
    if spec.analysis:
        index_settings["analysis"] = ANALYSIS
        # pages and passages (a page holds up to a few passages)
        index_settings["mapping"] = {"nested_objects": {"limit": max(10000, settings.max_pages * 8)}}
        if kind != "elasticsearch":
            index_settings["knn"] = True
    return {"settings": {"index": index_settings}, "mappings": spec.mapping, "aliases": {spec.alias: {}}}


def ensure_indices(engine: Engine, settings: Settings, registry: Registry = REGISTRY) -> dict[str, str]:
    """Create every missing index behind its alias; safe to call concurrently and repeatedly.

    Returns ``{alias: "created" | "exists" | "needs-rebuild (vX < vY)"}``. An index of an older version
    takes the fields added since (new entity types), so documents loaded now are written whole; documents
    loaded before keep what was extracted then until the index is rebuilt.
    """
    result = {}
    for spec in specs(settings, registry, engine.kind):
        targets = engine.alias_targets(spec.alias)
        if not targets:
            created = engine.create_index(spec.concrete, index_body(spec, settings, engine.kind))
            result[spec.alias] = "created" if created else "exists"
            continue
        state = _version_state(engine, spec, targets)
        if state != "exists":
            existing = engine.get_mapping(targets[-1])[targets[-1]]["mappings"].get("properties") or {}
            added = _flat_vectors(_added(spec.mapping["properties"], existing))
            if added:
                engine.put_mapping(targets[-1], {"properties": added})
        result[spec.alias] = state
    return result


def _added(new: dict, old: dict) -> dict:
    """The fields of mapping properties ``new`` that ``old`` lacks, inside objects too (with what declares
    the object, such as ``nested``, which the engine needs repeated and which must not change)."""
    out = {}
    for name, spec in new.items():
        if name not in old:
            out[name] = spec
        elif "properties" in spec and "properties" in old[name]:
            inner = _added(spec["properties"], old[name]["properties"])
            if inner:
                out[name] = {**{k: v for k, v in spec.items() if k != "properties"}, "properties": inner}
    return out


def _flat_vectors(props: dict) -> dict:
    """Vector fields without their ANN graph: an index built before vectors existed has no ``index.knn`` and
    refuses a graph, but takes the vectors, so documents loaded now are written whole (their semantic search
    waits for the rebuild the index needs anyway)."""
    out = {}
    for name, spec in props.items():
        if spec.get("type") == "knn_vector":
            spec = {k: v for k, v in spec.items() if k != "method"}
        elif "properties" in spec:
            spec = {**spec, "properties": _flat_vectors(spec["properties"])}
        out[name] = spec
    return out


def built_version(engine: Engine, index: str) -> int:
    """The schema version ``index`` was built at (its mapping's ``_meta``)."""
    mapping = engine.get_mapping(index)[index]["mappings"]
    return int((mapping.get("_meta") or {}).get("schema_version", 0))


def _version_state(engine: Engine, spec: IndexSpec, targets: list[str]) -> str:
    found = built_version(engine, targets[-1])
    return "exists" if found >= spec.version else f"needs-rebuild (v{found} < v{spec.version})"


def schema_status(engine: Engine, settings: Settings) -> dict[str, str]:
    """Like :func:`ensure_indices` but read-only: ``missing`` where nothing exists."""
    out = {}
    for spec in specs(settings):
        targets = engine.alias_targets(spec.alias)
        out[spec.alias] = _version_state(engine, spec, targets) if targets else "missing"
    return out


def drop_indices(engine: Engine, settings: Settings, keep: tuple[str, ...] = ()) -> None:
    """Delete every index of this prefix but the aliases in ``keep`` (tests drop all; `docsearch index reset`
    keeps the accounts and the audit trail)."""
    for spec in specs(settings):
        if spec.alias in keep:
            continue
        for target in engine.alias_targets(spec.alias):
            engine.delete_index(target)
        engine.delete_index(spec.concrete)
