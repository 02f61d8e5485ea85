"""One identity per person, company and criminal organisation across the archive.

A document names ``Juan Carlos Pérez Gómez``, another ``PEREZ GOMEZ, Juan`` with the same DNI, a third ``Juan Pérez
Gómez``, alias «Chato Miguel»: they are one person, and a prosecutor asking who appears with him must see one
entry, not three. Each identity is a record of the index ``<prefix>-entities``: its id, type, the name every
document shows it under (unique among the live identities of its type), the spellings it was found under, the
keys a new spelling is compared by (``nlp.identity.name_keys``), its aliases, and the DNI or RUC documents tie to
it.

**Resolving** (:meth:`Identities.resolve`, run by the worker before a document is indexed, so also by
``docsearch reprocess --stage nlp``): each person, company and criminal organisation of the document goes, in this
order, to

1. the identity holding the DNI (RUC) the document prints after the name;
2. the one identity already known under this exact spelling;
3. the identity whose id the name's full key gives;
4. the one identity sharing a key (``Juan Pérez Gómez`` for ``Juan Carlos Pérez Gómez``), unless it has another DNI
   or another second given name (two brothers);

else a new identity is created. Every lookup is a read by id, realtime: the identity's own id (made from the
name's full key or number) and *pointers* (``pointer_id``: one record per spelling, key, number and shown name,
listing the identities known by it), so a name another worker resolved a moment ago is found — a search would see
it only after the index's next refresh. Two identities sharing the spelling (two DNIs) leave a spelling without a number
unresolved between them: it gets its own identity, shown with a suffix. An alias goes to the identity of the
person it follows.

The document then carries the identity's *name* in its entity fields (``entities.per``, the pages' entities: so
facets, filters, the entity page and the network count identities, not spellings), the ids in ``entity_ids``, and
each row of its ``entity_summary`` keeps the spelling it was found under.

**Correcting** (:meth:`Identities.merge`, :meth:`Identities.split`; the CLI ``docsearch entities`` and
``POST /api/entities/merge|split``, audited): a merge points one identity at another and rewrites the documents
naming it; a split moves spellings to a new identity and rewrites the documents found under them. Later loads
follow both: a merged identity is followed to where it went, a moved spelling is found under its new identity.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from docsearch.engine import Conflict, Engine, NotFound
from docsearch.migration import index_document
from docsearch.schema import entities_alias
from docsearch.settings import Settings
from nlp.identity import RESOLVED_TYPES, Links, middle_name, name_keys

log = logging.getLogger(__name__)

MAX_VARIANTS = 100  # spellings kept per identity (the first ones found)
#: The number a document prints beside a name of this type, and the identity field that keeps it.
NUMBER_FIELD = {"per": "dni", "org": "ruc"}
_HOPS = 10  # merges followed from an id

# Adds values to the record's lists (each kept once, up to params.max values).
_ADD = ("for (f in params.add.keySet()) { if (ctx._source[f] == null) { ctx._source[f] = []; } "
        "for (v in params.add[f]) { if (!ctx._source[f].contains(v) && ctx._source[f].size() < params.max) "
        "{ ctx._source[f].add(v); } } } ctx._source.updated_at = params.now;")


class IdentityError(ValueError):
    """A correction that cannot be made: ``code`` ``not_found`` or ``invalid``, and why."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Resolved:
    id: str
    name: str


@dataclass
class _Name:
    kind: str
    spelling: str
    keys: list[str]
    number: str | None


def identity_id(kind: str, basis: str) -> str:
    """The id an identity created from ``basis`` (``name:<full key>``, ``dni:<n>``, ``ruc:<n>``) gets: the same in
    every worker, so two loads of one new name at once make one identity."""
    digest = hashlib.sha256(f"{kind}\n{basis}".encode()).hexdigest()
    return f"{kind}-{digest[:16]}"


def pointer_id(kind: str, what: str) -> str:
    """The id of the record listing the identities known by ``what`` (``spelling:…``, ``key:…``, ``dni:…``,
    ``ruc:…``, ``shown:…``): read by id, so a name written a moment ago by another worker is found (a search
    would only see it after the next refresh)."""
    digest = hashlib.sha256(f"{kind}\n{what}".encode()).hexdigest()
    return f"{kind}~{digest[:16]}"


def _pointers(kind: str, fields: dict[str, list[str]]) -> list[str]:
    """What an identity is known by, from its fields (``variants``, ``keys``, ``dni``, ``ruc``, ``name``)."""
    whats = [f"spelling:{v}" for v in fields.get("variants", [])] + [f"key:{k}" for k in fields.get("keys", [])]
    whats += [f"{field}:{n}" for field in ("dni", "ruc") for n in fields.get(field, [])]
    whats += [f"shown:{n}" for n in fields.get("name", [])]
    return whats


# Adds an identity to a pointer's targets (creating the pointer).
_POINT = ("if (!ctx._source.targets.contains(params.id)) { ctx._source.targets.add(params.id); } "
          "else { ctx.op = 'noop'; }")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _conflicts(record: dict, name: _Name) -> bool:
    """Whether ``record`` cannot be ``name``'s identity: it carries another DNI/RUC, or another second given name."""
    numbers = record.get(NUMBER_FIELD.get(name.kind, ""), []) or []
    if name.number and numbers and name.number not in numbers:
        return True
    if name.kind == "per" and (middle := middle_name(name.spelling)):
        return any(middle_name(v) not in (None, middle) for v in record.get("variants", []))
    return False


class Identities:
    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.settings = settings
        self.alias = entities_alias(settings)
        self.documents = settings.documents_alias

    # -- reading ---------------------------------------------------------------------------------------------
    def get(self, id: str) -> dict | None:
        """The live identity ``id`` is (following merges), or None."""
        for _ in range(_HOPS):
            record = self.engine.get(self.alias, id)
            if record is None or not record.get("merged_into"):
                return record
            id = record["merged_into"]
        return None

    def named(self, kind: str, name: str) -> dict | None:
        """The live identity of ``kind`` shown as ``name`` (the value its facet lists), or None."""
        try:
            hits = self.engine.search(self.alias, {"size": 1, "query": {"bool": {
                "filter": [{"term": {"type": kind}}, {"term": {"name": name}}],
                "must_not": [{"exists": {"field": "merged_into"}}]}}})["hits"]["hits"]
        except NotFound:  # indices that predate identities
            return None
        return hits[0]["_source"] if hits else None

    def names_of(self, kind: str, spelling: str) -> tuple[str, ...]:
        """The names of the live identities ``spelling`` (as a user types it) may be: those known under its full
        key, or under it exactly. Empty for a type without identities, or a part of a name (``Pérez``)."""
        if kind not in RESOLVED_TYPES or not (keys := name_keys(kind, spelling)):
            return ()
        try:
            hits = self.engine.search(self.alias, {"size": 20, "_source": ["name"], "query": {"bool": {
                "filter": [{"term": {"type": kind}}],
                "should": [{"term": {"keys": keys[0]}}, {"term": {"variants": spelling}}], "minimum_should_match": 1,
                "must_not": [{"exists": {"field": "merged_into"}}]}}})["hits"]["hits"]
        except NotFound:  # an archive whose indices predate identities: the value is matched as typed
            return ()
        return tuple(sorted({hit["_source"]["name"] for hit in hits}))

    # -- resolving -------------------------------------------------------------------------------------------
    def resolve(self, wanted: dict[str, list[str]], found: Links) -> dict[str, dict[str, Resolved]]:
        """The identity of each spelling in ``wanted`` (``{type: [canonical forms of one document]}``), creating
        and extending identities as needed; ``found`` is what the document says about its names
        (``nlp.identity.links``)."""
        names = []
        for kind, spellings in wanted.items():
            if kind not in RESOLVED_TYPES:
                continue
            numbers = found.dni if kind == "per" else found.ruc if kind == "org" else {}
            for spelling in dict.fromkeys(spellings):
                if keys := name_keys(kind, spelling):
                    names.append(_Name(kind, spelling, keys, numbers.get((kind, spelling))))
        if not names:
            return {}
        pool, redirect = self._candidates(names)
        added: dict[str, dict[str, list[str]]] = {}
        result: dict[str, dict[str, Resolved]] = {}
        # Aliases after the names they stand for; fuller names first, so a shorter spelling in the same document
        # finds the identity its full form has just been given.
        for name in sorted(names, key=lambda n: (n.spelling in found.alias_of, -len(n.keys[0].split()))):
            person = (result.get("per", {}).get(found.alias_of[name.spelling])
                      if name.kind == "per" and name.spelling in found.alias_of else None)
            record = pool[person.id] if person else self._pick(name, pool, redirect)
            if record is None:
                record = self._create(name, pool)
                # what it is known by, to point at it (the identity itself already holds these)
                known = added.setdefault(record["id"], {})
                for key in ("variants", "keys", "dni", "ruc"):
                    known.setdefault(key, []).extend(v for v in record.get(key) or [] if v not in known[key])
                known["name"] = [record["name"]]
            self._join(record, name, added, alias=person is not None)
            result.setdefault(name.kind, {})[name.spelling] = Resolved(record["id"], record["name"])
        if added:
            now = _now()
            kinds = {r.id: kind for kind, by in result.items() for r in by.values()}
            self.engine.bulk([op for id, fields in added.items() for op in (
                {"update": {"_index": self.alias, "_id": id, "retry_on_conflict": 5}},
                {"script": {"source": _ADD, "lang": "painless",
                            "params": {"add": {k: v for k, v in fields.items() if k != "name"}, "max": MAX_VARIANTS,
                                       "now": now}}})] + self._point(
                [(kinds[id], what, id) for id, fields in added.items() for what in _pointers(kinds[id], fields)]))
        return result

    def _point(self, entries: list[tuple[str, str, str]]) -> list[dict]:
        """Bulk operations adding each identity to the pointer of what it is known by (``(kind, what, id)``)."""
        return [op for kind, what, id in entries for op in (
            {"update": {"_index": self.alias, "_id": pointer_id(kind, what), "retry_on_conflict": 5}},
            {"script": {"source": _POINT, "lang": "painless", "params": {"id": id}},
             "upsert": {"type": kind, "pointer": what, "targets": [id]}})]

    def _candidates(self, names: list[_Name]) -> tuple[dict[str, dict], dict[str, str]]:
        """The live identities any of ``names`` may be — known by its spelling, a key or its number, or given the id
        its full key or number makes — all read realtime by id. Also which of those ids were merged, and into what."""
        whats = {(n.kind, what) for n in names
                 for what in [f"spelling:{n.spelling}", f"shown:{n.spelling}", *(f"key:{k}" for k in n.keys),
                              *([f"{NUMBER_FIELD[n.kind]}:{n.number}"] if n.number else [])]}
        pointed = self.engine.mget(self.alias, [pointer_id(kind, what) for kind, what in sorted(whats)])
        ids = [t for pointer in pointed.values() for t in pointer.get("targets", [])]
        ids += [identity_id(n.kind, f"name:{n.keys[0]}") for n in names]
        ids += [identity_id(n.kind, f"{NUMBER_FIELD[n.kind]}:{n.number}") for n in names if n.number]
        pool: dict[str, dict] = {}
        redirect = {}
        for id, record in self.engine.mget(self.alias, ids).items():
            if record.get("merged_into"):
                live = self.get(record["merged_into"])
                if live is not None:
                    redirect[id] = live["id"]
                    pool[live["id"]] = live
            else:
                pool[id] = record
        return pool, redirect

    def _pick(self, name: _Name, pool: dict[str, dict], redirect: dict[str, str]) -> dict | None:
        same = [r for r in pool.values() if r["type"] == name.kind]
        field = NUMBER_FIELD.get(name.kind)
        if name.number and field:
            numbered = [r for r in same if name.number in (r.get(field) or [])]
            if numbered:
                return next((r for r in numbered if name.spelling in r.get("variants", [])), numbered[0])
        exact = [r for r in same if name.spelling in r.get("variants", [])]
        if exact:
            usable = [r for r in exact if not _conflicts(r, name)]
            return usable[0] if len(usable) == 1 else None
        full = identity_id(name.kind, f"name:{name.keys[0]}")
        record = pool.get(redirect.get(full, full))
        if record and name.keys[0] in record.get("keys", []) and not _conflicts(record, name):
            return record
        keyed = [r for r in same if set(r.get("keys", [])) & set(name.keys) and not _conflicts(r, name)]
        if len(keyed) > 1:
            keyed = [r for r in keyed if name.keys[0] in r.get("keys", [])]
        return keyed[0] if len(keyed) == 1 else None

    def _create(self, name: _Name, pool: dict[str, dict]) -> dict:
        field = NUMBER_FIELD.get(name.kind)
        basis = f"{field}:{name.number}" if name.number and field else f"name:{name.keys[0]}"
        id = identity_id(name.kind, basis)
        shown = name.spelling
        if any(r["type"] == name.kind and r["name"] == shown and r["id"] != id for r in pool.values()):
            shown = f"{shown} ({field.upper()} {name.number})" if name.number and field else f"{shown} ({id[-4:]})"
        now = _now()
        record: dict[str, Any] = {"id": id, "type": name.kind, "name": shown, "variants": [name.spelling],
                                  "keys": name.keys, "aliases": [], "created_at": now, "updated_at": now}
        if name.number and field:
            record[field] = [name.number]
        if not self.engine.create(self.alias, id, record):
            existing = self.get(id)  # another load made it a moment ago (or it was merged since)
            if existing is not None:
                record = existing
        pool[record["id"]] = record
        return record

    @staticmethod
    def _join(record: dict, name: _Name, added: dict[str, dict[str, list[str]]], alias: bool = False) -> None:
        """Add what ``name`` brings (its spelling, keys, number, as an alias) to ``record`` in memory and to the
        writes of :meth:`resolve`."""
        field = NUMBER_FIELD.get(name.kind)
        new = {"variants": [name.spelling], "keys": name.keys,
               **({field: [name.number]} if name.number and field else {}),
               **({"aliases": [name.spelling]} if alias else {})}
        for key, values in new.items():
            have = record.setdefault(key, [])
            fresh = [v for v in values if v not in have]
            if fresh and len(have) < MAX_VARIANTS:
                have.extend(fresh)
                target = added.setdefault(record["id"], {}).setdefault(key, [])
                target.extend(v for v in fresh if v not in target)

    # -- correcting ------------------------------------------------------------------------------------------
    def _live(self, id: str) -> dict:
        record = self.engine.get(self.alias, id)
        if record is None:
            raise IdentityError("not_found", f"no entity {id}.")
        if record.get("merged_into"):
            raise IdentityError("invalid", f"entity {id} was merged into {record['merged_into']}.")
        return record

    def merge(self, source_id: str, target_id: str) -> dict:
        """Merge ``source_id`` into ``target_id``: the target takes its spellings, keys, aliases and numbers, the
        source points at it, and every document naming the source names the target instead. Returns the target
        as it is now and the number of documents rewritten."""
        if source_id == target_id:
            raise IdentityError("invalid", "an entity cannot be merged into itself.")
        source, target = self._live(source_id), self._live(target_id)
        if source["type"] != target["type"]:
            raise IdentityError("invalid", f"a {source['type']} entity cannot be merged into a {target['type']} one.")
        added = {f: list(source.get(f) or []) for f in ("variants", "keys", "aliases", "dni", "ruc") if source.get(f)}
        self.engine.update(self.alias, target_id, {"script": {"source": _ADD, "lang": "painless", "params": {
            "add": added, "max": MAX_VARIANTS * 2, "now": _now()}}}, retry_on_conflict=5, refresh=True)
        self.engine.update(self.alias, source_id, {"doc": {"merged_into": target_id, "updated_at": _now()}},
                           refresh=True)
        moved = Resolved(target_id, target["name"])
        rewritten = self._rewrite(source_id, lambda row: moved)
        return {"entity": self._live(target_id), "documents": rewritten}

    def split(self, id: str, variants: list[str], name: str | None = None) -> dict:
        """Move ``variants`` (spellings of identity ``id``) to a new identity shown as ``name`` (default: the first
        of them); the documents found under those spellings name the new identity. The DNI/RUC stay with ``id``.
        Returns both identities and the number of documents rewritten."""
        record = self._live(id)
        moved = [v for v in dict.fromkeys(variants) if v in record.get("variants", [])]
        unknown = [v for v in variants if v not in record.get("variants", [])]
        if unknown:
            raise IdentityError("invalid", f"not spellings of {id}: {', '.join(unknown)}.")
        rest = [v for v in record.get("variants", []) if v not in moved]
        if not moved or not rest:
            raise IdentityError("invalid", "a split moves some of the entity's spellings, not none or all.")
        kind = record["type"]
        shown = (name or moved[0]).strip()
        if not shown:
            raise IdentityError("invalid", "the new entity needs a name.")
        if shown == record["name"]:
            raise IdentityError("invalid", f"{shown!r} is the name of entity {id}: give the new entity another name.")
        if (other := self.named(kind, shown)) is not None:
            raise IdentityError("invalid", f"{shown!r} is the name of entity {other['id']}: merge into it instead.")
        now = _now()
        new_id = identity_id(kind, f"split:{uuid.uuid4().hex}")
        keys = list(dict.fromkeys(k for v in moved for k in name_keys(kind, v)))
        new = {"id": new_id, "type": kind, "name": shown, "variants": moved, "keys": keys,
               "aliases": [a for a in record.get("aliases", []) if a in moved], "created_at": now, "updated_at": now}
        self.engine.index(self.alias, new_id, new, refresh=True, op_type="create")
        kept = {**record, "variants": rest, "keys": list(dict.fromkeys(k for v in rest for k in name_keys(kind, v))),
                "aliases": [a for a in record.get("aliases", []) if a not in moved], "updated_at": now}
        self.engine.index(self.alias, id, kept, refresh=True)
        # the moved spellings now name only the new identity; its keys and name point at it too
        self.engine.bulk([op for v in moved for op in (
            {"index": {"_index": self.alias, "_id": pointer_id(kind, f"spelling:{v}")}},
            {"type": kind, "pointer": f"spelling:{v}", "targets": [new_id]})] + self._point(
            [(kind, what, new_id) for what in _pointers(kind, {"keys": keys, "name": [shown]})]), refresh=True)
        target = Resolved(new_id, shown)
        rewritten = self._rewrite(id, lambda row: target if row.get("spelling") in moved else None)
        return {"entity": kept, "new": new, "documents": rewritten}

    def _rewrite(self, id: str, change: Callable[[dict], Resolved | None]) -> int:
        """Give the rows of identity ``id`` in every document naming it the identity ``change`` says (None: the row
        stays), then the document's entity fields from its rows. Optimistic: a document changed meanwhile is read
        again."""
        done, after = 0, None
        while True:
            body: dict[str, Any] = {"size": 50, "query": {"term": {"entity_ids": id}}, "sort": [{"id": "asc"}],
                                    "seq_no_primary_term": True}
            if after:
                body["search_after"] = after
            hits = self.engine.search(self.documents, body)["hits"]["hits"]
            if not hits:
                break
            for hit in hits:
                done += self._rewrite_one(hit, id, change)
            after = hits[-1]["sort"]
        self.engine.refresh(self.documents)
        return done

    def _rewrite_one(self, hit: dict, id: str, change: Callable[[dict], Resolved | None]) -> int:
        doc, version = hit["_source"], {"if_seq_no": hit["_seq_no"], "if_primary_term": hit["_primary_term"]}
        for _ in range(5):
            kinds = set()
            for row in doc.get("entity_summary") or []:
                if row.get("id") == id and (to := change(row)) is not None:
                    row["id"], row["canonical"] = to.id, to.name
                    kinds.add(row["type"])
            if not kinds:
                return 0
            for kind in kinds:
                regroup(doc, kind)
            try:
                index_document(self.engine, self.settings, hit["_id"], doc, **version)
                return 1
            except Conflict:
                again = self.engine.get_versioned(self.documents, hit["_id"])
                if again is None:
                    return 0
                doc, version = again
        raise Conflict(f"document {hit['_id']} kept changing while entity {id} was corrected")


def apply(doc: dict, resolved: dict[str, dict[str, Resolved]]) -> None:
    """Write the identities ``resolved`` found for a document's spellings into the document (in place): its
    ``entity_summary`` rows (keeping the spelling), its entity fields and pages, and ``entity_ids``."""
    for row in doc.get("entity_summary") or []:
        spelling = row.get("spelling", row["canonical"])
        if (to := resolved.get(row["type"], {}).get(spelling)) is not None:
            row["spelling"], row["canonical"], row["id"] = spelling, to.name, to.id
    for kind in resolved:
        regroup(doc, kind)


def regroup(doc: dict, kind: str) -> None:
    """The document's and its pages' ``kind`` entities, and its ``entity_ids``, from its ``entity_summary`` rows
    (most mentioned first, as the rows are)."""
    rows = [r for r in doc.get("entity_summary") or [] if r["type"] == kind]
    entities = doc.setdefault("entities", {})
    if rows:
        entities[kind] = list(dict.fromkeys(r["canonical"] for r in rows))
    else:
        entities.pop(kind, None)
    for page in doc.get("pages") or []:
        names = list(dict.fromkeys(r["canonical"] for r in rows if page.get("page") in r.get("pages", [])))
        page_entities = page.setdefault("entities", {})
        if names:
            page_entities[kind] = names
        else:
            page_entities.pop(kind, None)
    doc["entity_ids"] = sorted({r["id"] for r in doc.get("entity_summary") or [] if r.get("id")})


def resolve_document(identities: Identities, doc: dict, found: Links) -> None:
    """Resolve a document's persons, companies and criminal organisations to the archive's identities and write
    them into it (:meth:`Identities.resolve`, :func:`apply`)."""
    wanted = {kind: doc.get("entities", {}).get(kind, []) for kind in RESOLVED_TYPES}
    apply(doc, identities.resolve({k: v for k, v in wanted.items() if v}, found))
