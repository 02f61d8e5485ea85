"""Saved searches, watches, and what a watch finds when documents are loaded (docs/watches.md).

- A **saved search** is a user's named search: its words, filters, mode, order and years.
- A **watch** follows a saved search, an entity (a person, company or criminal organisation as the archive's
  identity, whatever its spelling; or a case, law, operation... by its canonical form) or a collection, for its
  owner, delivered at once or in a daily digest. Each watch is stored as a query in the engine's percolator
  index: a document just indexed is matched against every active watch in one request, whose cost grows with
  the watches whose terms the document holds, not with all of them.
- A **notification** is one document found by one watch, made once (a document indexed again is not announced
  twice), and only when the owner may read the document *at that moment* (:meth:`Watches.notice` searches as
  the owner). The inbox reads them through the owner's access rule again, so a document the owner may no longer
  read disappears from it and from its counts.

Matching runs in the workers after a file is indexed (``ingestion.tasks.match_document``): a failure there is
logged and never fails the file. Every watch created, changed or deleted and every notification made or
e-mailed is recorded in the audit trail.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from docsearch.access import Caller
from docsearch.accounts import Accounts, Recent
from docsearch.audit import Action, Audit
from docsearch.engine import Engine, EngineUnavailable
from docsearch.fields import REGISTRY, Registry
from docsearch.identities import Identities
from docsearch.mail import Mailer, Notice
from docsearch.schema import (WATCHES_VERSION, built_version, index_body, notifications_alias, saved_alias, specs,
                              watches_alias)
from docsearch.search import InvalidQuery, SearchRequest, SearchService
from docsearch.settings import Settings
from nlp.identity import RESOLVED_TYPES

log = logging.getLogger(__name__)

KINDS = ("search", "entity", "collection")
DELIVERIES = ("immediate", "daily")
Kind = Literal["search", "entity", "collection"]
MAX_NAME = 200
MAX_SAVED = 500  # saved searches per user
MAX_WATCHES = 500  # watches per user
INBOX_WINDOW = 1000  # notifications checked against the reader's access to count the unread ones
PERCOLATE_PAGE = 1000
SNIPPET_CHARS = 400
VISIBLE_WAIT_S = 30.0
# What of a document its matching reads: everything a watch may ask of it, not what only the page shows.
MATCHED_EXCLUDES = ["passages", "entity_summary", "inferred"]
_INDEX_STATE = Recent(60.0)  # whether a watches index keeps each watch's filters apart, by alias


class WatchError(ValueError):
    """A request about saved searches or watches the user can fix (``code``: not_found, invalid, limit)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _id(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


REQUEST_FIELDS = ("q", "filters", "mode", "sort", "year_from", "year_to")


def request_of(stored: dict) -> SearchRequest:
    """A saved request (``SAVED_MAPPING.request``) as a search request."""
    return SearchRequest.create(q=stored.get("q") or "", filters=stored.get("filters") or {},
                                sort=stored.get("sort") or "relevance", mode=stored.get("mode"),
                                year_from=stored.get("year_from"), year_to=stored.get("year_to"))


# -- what a notification shows ----------------------------------------------------------------------------
def _page_clause(clause: dict, highlight: dict | None) -> dict:
    spec: dict = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
                  "fields": {"pages.text": {"number_of_fragments": 0, "no_match_size": SNIPPET_CHARS}}}
    if highlight is not None:
        spec["highlight_query"] = highlight
    return {"nested": {"path": "pages", "query": clause, "inner_hits": {
        "name": "pages", "size": 1, "_source": ["pages.page"], "sort": [{"pages.page": "asc"}], "highlight": spec}}}


@dataclass
class Watches:
    """Saved searches, watches and notifications of one ``caller`` (the system caller: every user's)."""

    engine: Engine
    settings: Settings
    caller: Caller
    registry: Registry = REGISTRY

    @property
    def _service(self) -> SearchService:
        return SearchService(self.engine, self.settings, self.registry, caller=self.caller)

    @property
    def _audit(self) -> Audit:
        return Audit(self.engine, self.settings)

    def _record(self, action: Action, target: str, details: dict) -> None:
        self._audit.record(self.caller.user, action, target, details=details)

    def notice(self, watch: dict, doc_id: str) -> dict | None:
        """Document ``doc_id`` as ``watch`` finds it, with its best page and snippet, when the caller may read it
        now; None otherwise."""
        service = self._service
        stored = watch.get("request") or {}
        if watch["kind"] == "search":
            return service.notice(doc_id, request_of(stored.get("search") or {}))
        within = stored.get("within")
        if watch["kind"] == "entity":
            spec = self.registry[watch["target"]["field"]]
            names = [watch["label"]]
            identity = watch["target"].get("identity")
            if identity:
                record = Identities(self.engine, self.settings).get(identity)
                names = sorted({record["name"], *(record.get("variants") or [])}) if record else names
            on_page = {"terms": {f"pages.{spec.field}": names}}
            words = {"bool": {"should": [{"match_phrase": {"pages.text": n}} for n in names]}}
            return service.notice(doc_id, within=within, pages=_page_clause(on_page, words))
        return service.notice(doc_id, within=within, pages=_page_clause({"term": {"pages.page": 1}}, None))

    # -- saved searches ----------------------------------------------------------------------------------
    def saved_searches(self) -> list[dict]:
        hits = self.engine.search(saved_alias(self.settings), {
            "size": MAX_SAVED, "sort": [{"created_at": "desc"}],
            "query": {"term": {"owner": self.caller.user}}})["hits"]["hits"]
        watches = {w["target"].get("saved_search"): w for w in self.watches() if w["kind"] == "search"}
        return [_saved(hit["_source"], watches.get(hit["_source"]["id"])) for hit in hits]

    def saved_search(self, id: str) -> dict:
        record = self._own(saved_alias(self.settings), id, "saved search")
        watch = next((w for w in self.watches() if w["target"].get("saved_search") == id), None)
        return _saved(record, watch)

    def save_search(self, name: str, request: SearchRequest) -> dict:
        name = _name(name)
        request = request.validate(self.registry)
        self._service.watch_clause(request)  # the query reads: a saved search that cannot run is refused now
        if self.engine.count(saved_alias(self.settings), {"query": {"term": {"owner": self.caller.user}}}) >= MAX_SAVED:
            raise WatchError("limit", f"At most {MAX_SAVED} saved searches per user; delete some first.")
        now = _iso(_now())
        id = _id("saved", self.caller.user, now, name)
        record = {"id": id, "owner": self.caller.user, "name": name, "request": _stored(request),
                  "created_at": now, "updated_at": now}
        self.engine.index(saved_alias(self.settings), id, record, refresh="wait_for")
        self._record(Action.SAVED_SEARCH_CREATE, id, {"name": name, "q": request.q})
        return _saved(record, None)

    def rename_search(self, id: str, name: str) -> dict:
        record = self._own(saved_alias(self.settings), id, "saved search")
        record["name"] = _name(name)
        record["updated_at"] = _iso(_now())
        self.engine.index(saved_alias(self.settings), id, record, refresh="wait_for")
        self._record(Action.SAVED_SEARCH_CHANGE, id, {"name": record["name"]})
        for watch in self.watches():  # its watch is labelled by its name
            if watch["target"].get("saved_search") == id:
                self.engine.update(watches_alias(self.settings), watch["id"],
                                   {"doc": {"watch": {"label": record["name"]}}}, refresh="wait_for")
        return self.saved_search(id)

    def delete_search(self, id: str) -> None:
        self._own(saved_alias(self.settings), id, "saved search")
        for watch in self.watches():
            if watch["target"].get("saved_search") == id:
                self.delete_watch(watch["id"])
        self.engine.delete(saved_alias(self.settings), id, refresh="wait_for")
        self._record(Action.SAVED_SEARCH_DELETE, id, {})

    def _own(self, index: str, id: str, what: str) -> dict:
        record = self.engine.get(index, id) if id and len(id) <= 64 else None
        if record is not None and "watch" in record:
            record = record["watch"]
        if record is None or record.get("owner") != self.caller.user:
            raise WatchError("not_found", f"You have no {what} {id}.")
        return record

    # -- watches -----------------------------------------------------------------------------------------
    def watches(self) -> list[dict]:
        hits = self.engine.search(watches_alias(self.settings), {
            "size": MAX_WATCHES, "_source": ["watch"], "sort": [{"watch.created_at": "desc"}],
            "query": {"term": {"watch.owner": self.caller.user}}})["hits"]["hits"]
        return [_public(hit["_source"]["watch"]) for hit in hits]

    def watch(self, kind: str, delivery: str = "immediate", *, saved_search: str | None = None,
              field: str | None = None, value: str | None = None, collection: str | None = None) -> dict:
        """Watch something (watching it again changes its delivery and resumes it)."""
        if delivery not in DELIVERIES:
            raise WatchError("invalid", f"delivery is one of {', '.join(DELIVERIES)}.")
        if kind == "search":
            saved = self._own(saved_alias(self.settings), saved_search or "", "saved search")
            target: dict[str, Any] = {"saved_search": saved["id"]}
            label, request, within = saved["name"], saved["request"], None
            query = self._service.watch_clause(request_of(request))
            needs = self._service.watch_filters(request_of(request))
        elif kind == "entity":
            target, label, within = self._entity(field or "", (value or "").strip())
            request, query, needs = None, within, within
        elif kind == "collection":
            name = (collection or "").strip()
            if not name or not self.caller.can("read", name):
                raise WatchError("not_found", f"You may not read a collection '{name}'.")
            target, label, request = {"collection": name}, name, None
            within = query = needs = {"bool": {"should": [{"term": {"collection": name}},
                                                          {"term": {"sources.collection": name}}],
                                               "minimum_should_match": 1}}
        else:
            raise WatchError("invalid", f"kind is one of {', '.join(KINDS)}.")
        id = _id("watch", self.caller.user, kind, *(f"{k}={v}" for k, v in sorted(target.items())))
        existing = self.engine.get(watches_alias(self.settings), id, _source_includes=["watch"])
        if existing is None and self.engine.count(watches_alias(self.settings),
                                                  {"query": {"term": {"watch.owner": self.caller.user}}}) >= MAX_WATCHES:
            raise WatchError("limit", f"At most {MAX_WATCHES} watches per user; delete some first.")
        now = _iso(_now())
        watch = {"id": id, "owner": self.caller.user, "kind": kind, "label": label, "target": target,
                 "identity": target.get("identity"),
                 "request": {"search": request, "within": within}, "delivery": delivery, "active": True,
                 "created_at": existing["watch"]["created_at"] if existing else now, "updated_at": now}
        self.engine.index(watches_alias(self.settings), id, {"query": query, "needs": needs, "watch": watch},
                          refresh="wait_for")
        self._record(Action.WATCH_CHANGE if existing else Action.WATCH_CREATE, id,
                     {"kind": kind, "label": label, "delivery": delivery, "target": target})
        return _public(watch)

    def _entity(self, field: str, value: str) -> tuple[dict, str, dict]:
        spec = self.registry[field] if field in self.registry else None
        if spec is None or spec.entity is None or not spec.facet:
            entities = ", ".join(self.registry.entity_facets)
            raise WatchError("invalid", f"field is an entity facet: {entities}.")
        if not value:
            raise WatchError("invalid", "value is the entity's name as its page shows it.")
        target = {"field": field, "value": value}
        if spec.entity in RESOLVED_TYPES:
            identity = Identities(self.engine, self.settings).named(spec.entity, value)
            if identity is not None:  # any spelling of it, and what is merged into it later
                return {**target, "identity": identity["id"]}, value, {"term": {"entity_ids": identity["id"]}}
        return target, value, {"term": {spec.field: value}}

    def change_watch(self, id: str, *, delivery: str | None = None, active: bool | None = None) -> dict:
        watch = self._own(watches_alias(self.settings), id, "watch")
        change: dict[str, Any] = {}
        if delivery is not None:
            if delivery not in DELIVERIES:
                raise WatchError("invalid", f"delivery is one of {', '.join(DELIVERIES)}.")
            change["delivery"] = delivery
        if active is not None:
            change["active"] = active
        change["updated_at"] = _iso(_now())
        self.engine.update(watches_alias(self.settings), id, {"doc": {"watch": change}}, refresh="wait_for")
        self._record(Action.WATCH_CHANGE, id, {k: v for k, v in change.items() if k != "updated_at"})
        return _public({**watch, **change})

    def delete_watch(self, id: str) -> None:
        watch = self._own(watches_alias(self.settings), id, "watch")
        self.engine.delete(watches_alias(self.settings), id, refresh="wait_for")
        self._record(Action.WATCH_DELETE, id, {"kind": watch["kind"], "label": watch["label"]})

    # -- the inbox ---------------------------------------------------------------------------------------
    def _notices(self, size: int, unread_only: bool) -> list[dict]:
        filters: list[dict] = [{"term": {"owner": self.caller.user}}, {"term": {"kind": "notice"}}]
        if unread_only:
            filters.append({"term": {"read": False}})
        hits = self.engine.search(notifications_alias(self.settings), {
            "size": size, "sort": [{"at": "desc"}], "query": {"bool": {"filter": filters}}})["hits"]["hits"]
        notes = [{**hit["_source"], "id": hit["_id"]} for hit in hits]
        readable = self._service.readable(sorted({n["document_id"] for n in notes}))
        return [n for n in notes if n["document_id"] in readable]

    def unread(self) -> int:
        return len(self._notices(INBOX_WINDOW, unread_only=True))

    def inbox(self, size: int = 20, unread_only: bool = False) -> dict:
        # Read past ``size``: notifications of documents the reader may no longer read are left out.
        shown = self._notices(min(INBOX_WINDOW, max(size, 1) * 3), unread_only)[:size]
        return {"unread": self.unread(), "items": [_notification(n) for n in shown]}

    def mark_read(self, ids: list[str] | None = None, every: bool = False) -> int:
        filters: list[dict] = [{"term": {"owner": self.caller.user}}, {"term": {"kind": "notice"}},
                               {"term": {"read": False}}]
        if not every:
            filters.append({"ids": {"values": list(ids or [])[:INBOX_WINDOW]}})
        self.engine.update_by_query(notifications_alias(self.settings), {
            "query": {"bool": {"filter": filters}},
            "script": {"source": "ctx._source.read = true", "lang": "painless"}})
        return self.unread()


# -- matching, at ingest --------------------------------------------------------------------------------
def match_document(engine: Engine, settings: Settings, doc_id: str, registry: Registry = REGISTRY) -> list[str]:
    """Match an indexed document against every active watch and make the notifications it earns, with each
    owner's permissions now. Returns the ids of the notifications made (none for those made before)."""
    doc = engine.get(settings.documents_alias, doc_id, _source_excludes=MATCHED_EXCLUDES)
    if doc is None:
        return []
    matched = percolate(engine, settings, percolated(doc))
    if not matched:
        return []
    made_before = engine.mget(notifications_alias(settings), [_notice_id(w, doc_id) for w in matched])
    matched = [w for w in matched if _notice_id(w, doc_id) not in made_before]  # a document indexed again
    if not matched or not _searchable(engine, settings, doc_id):
        return []
    owners: dict[str, Caller | None] = {}
    records: list[dict] = []
    for watch in matched:
        try:
            record = _notification_of(engine, settings, watch, doc, registry, owners)
        except EngineUnavailable:  # the task is retried; what was made is not made twice
            raise
        except InvalidQuery:  # a saved search the query language no longer reads (logged, skipped)
            log.warning("watch %s no longer reads: %s", watch["id"], watch["label"])
            continue
        except Exception:  # one watch's failure does not keep the document from the others
            log.exception("watch %s not notified of %s", watch["id"], doc_id)
            continue
        if record is not None:
            records.append(record)
    return _deliver(engine, settings, doc_id, records)


def percolated(doc: dict) -> dict:
    """What of a document is matched against the watches: what a stored query may read, the pages' text as one
    document's (see :func:`docsearch.schema.watches_mapping`), not what only a page or a result shows."""
    out = {k: v for k, v in doc.items() if k not in MATCHED_EXCLUDES and k != "pages"}
    out["pages"] = [{"text": page["text"]} for page in doc.get("pages") or [] if page.get("text")]
    return out


def _notice_id(watch: dict, doc_id: str) -> str:
    return _id("notice", watch["id"], doc_id)


def _notification_of(engine: Engine, settings: Settings, watch: dict, doc: dict, registry: Registry,
                     owners: dict[str, Caller | None]) -> dict | None:
    """The notification of ``doc`` for ``watch`` (not yet stored), when its owner may read the document now;
    ``owners`` keeps each owner's rights for the rest of the document's watches."""
    if watch["owner"] not in owners:
        owners[watch["owner"]] = Accounts(engine, settings).caller(watch["owner"])
    owner = owners[watch["owner"]]
    if owner is None:  # a user disabled or removed: nothing is announced to no one
        return None
    found = Watches(engine, settings, owner, registry).notice(watch, doc["id"])
    if found is None:  # not readable by the owner (or no longer matching): never announced, not even counted
        return None
    best = (found.get("pages") or [{}])[0]
    return {"id": _notice_id(watch, doc["id"]), "kind": "notice", "owner": watch["owner"], "watch_id": watch["id"],
            "watch_kind": watch["kind"], "watch_label": watch["label"], "document_id": doc["id"],
            "title": found.get("title") or doc["id"], "page": best.get("page"), "snippet": best.get("snippet"),
            "delivery": watch["delivery"], "indexed_at": doc.get("ingested_at"), "at": _iso(_now()), "read": False}


def _deliver(engine: Engine, settings: Settings, doc_id: str, records: list[dict]) -> list[str]:
    """Store the notifications of one document, each once, and e-mail the immediate ones. The audit trail names
    them before they exist, in one record for the document: a task that fails between the two and is retried
    records them again rather than never."""
    if not records:
        return []
    audit = Audit(engine, settings)
    audit.record("system", Action.NOTIFY, doc_id, details={
        "channel": "inbox", "owners": sorted({r["owner"] for r in records}),
        "notifications": [{"id": r["id"], "owner": r["owner"], "watch": r["watch_id"]} for r in records]})
    made: list[str] = []
    accounts = Accounts(engine, settings)
    for record in records:
        id = record["id"]
        if not engine.create(notifications_alias(settings), id, {k: v for k, v in record.items() if k != "id"}):
            continue  # made meanwhile by another run of the same document
        made.append(id)
        if record["delivery"] == "immediate":
            try:
                _email(engine, settings, audit, accounts, record["owner"], [record], [id])
            except (OSError, smtplib.SMTPException):  # in the inbox already; the e-mail is not tried again
                log.warning("notification %s not e-mailed to %s", id, record["owner"], exc_info=True)
    return made


def _searchable(engine: Engine, settings: Settings, doc_id: str, wait_s: float = VISIBLE_WAIT_S) -> bool:
    """Wait until a document just indexed is seen by searches (the engine's next refresh, within a second; an
    idle index refreshes on this very search): a notification is made by searching as its owner."""
    deadline = time.monotonic() + wait_s
    while True:
        if engine.count(settings.documents_alias, {"query": {"ids": {"values": [doc_id]}}}):
            return True
        if time.monotonic() > deadline:
            log.warning("document %s not searchable after %.0f s: its watches are not notified", doc_id, wait_s)
            return False
        time.sleep(0.2)


def rebuild(engine: Engine, settings: Settings, registry: Registry = REGISTRY) -> dict:
    """Build the watches index again at the current schema version (``docsearch watches rebuild``): each watch's
    query is read again with the mapping and analysis the documents have now. A watch made while the copy runs
    is copied by a second pass after the switch; a change to one made in those seconds is lost (say to make it
    again). Returns what was done."""
    alias = watches_alias(settings)
    spec = next(s for s in specs(settings, registry, engine.kind) if s.alias == alias)
    sources = engine.alias_targets(alias)
    if sources == [spec.concrete]:
        return {"alias": alias, "index": spec.concrete, "state": "current"}
    if len(sources) != 1:
        raise RuntimeError(f"{alias} points at {sources or 'nothing'}: run `docsearch index ensure` first")
    old = sources[0]
    target = spec.concrete if old != spec.concrete else f"{spec.concrete}-{int(time.time())}"
    body = index_body(spec, settings, engine.kind)
    body["aliases"] = {}
    if not engine.create_index(target, body):
        raise RuntimeError(f"{target} exists: remove it first")
    # A watch stored before its filters were kept apart is matched by its query alone.
    copy = {"source": {"index": old, "_source": ["query", "needs", "watch"]},
            "dest": {"index": target, "op_type": "create"}, "conflicts": "proceed",
            "script": {"lang": "painless", "source": "if (ctx._source.needs == null) { ctx._source.needs = "
                                                      "['match_all': [:]] }"}}
    copied = engine.reindex(copy).get("created", 0)
    engine.update_aliases([{"remove": {"index": old, "alias": alias}}, {"add": {"index": target, "alias": alias}}])
    copied += engine.reindex(copy).get("created", 0)
    engine.delete_index(old)
    _INDEX_STATE.clear()
    return {"alias": alias, "from": old, "index": target, "state": "rebuilt", "watches": copied}


def follow_merge(engine: Engine, settings: Settings, source: str, target: str) -> int:
    """Identity ``source`` was merged into ``target``: the watches of ``source`` watch ``target`` (the documents
    that named ``source`` now name ``target``). Returns the number of watches moved."""
    hits = engine.search(watches_alias(settings), {"size": 10_000, "_source": ["watch"],
                                                   "query": {"term": {"watch.identity": source}}})["hits"]["hits"]
    within = {"term": {"entity_ids": target}}
    for hit in hits:
        watch = hit["_source"]["watch"]
        watch = {**watch, "identity": target, "target": {**watch["target"], "identity": target},
                 "request": {**(watch.get("request") or {}), "within": within}, "updated_at": _iso(_now())}
        engine.index(watches_alias(settings), hit["_id"], {"query": within, "needs": within, "watch": watch},
                     refresh="wait_for")
    return len(hits)


def percolate_clauses(doc: dict, filters_apart: bool = True) -> list[dict]:
    """The watches matching ``doc``: their filters (``needs``) on the document without its pages, then their query
    on all of it. Two plain filters, so that the engine checks the cheap one first and runs a watch's words only
    when its filters fit; ``filters_apart`` False (an index of an older version, whose watches have no ``needs``):
    the query alone."""
    query = {"percolate": {"field": "query", "document": doc}}
    if not filters_apart:
        return [query]
    fields = {k: v for k, v in doc.items() if k != "pages"}
    return [{"percolate": {"field": "needs", "document": fields}}, query]


def _filters_apart(engine: Engine, settings: Settings) -> bool:
    """Whether the watches index is of the version that keeps each watch's filters apart (``needs``), looked up
    once a minute: until `docsearch watches rebuild` has run after an upgrade, watches are matched by their query
    alone, as they were."""
    alias = watches_alias(settings)
    known = _INDEX_STATE.get(alias)
    if known is None:
        targets = engine.alias_targets(alias)
        known = bool(targets) and built_version(engine, targets[-1]) >= WATCHES_VERSION
        _INDEX_STATE.put(alias, known)
    return bool(known)


def percolate(engine: Engine, settings: Settings, doc: dict) -> list[dict]:
    """The active watches whose query matches ``doc`` (a document as :func:`percolated` gives it), in pages of
    1,000. Each watch's filters (``needs``) are matched first, on the document without its pages: a few terms, so
    the engine picks the watches they fit by every term each needs and runs none of them again; only the watches
    that pass have their words run against the whole document, its costlier check."""
    out: list[dict] = []
    after: list | None = None
    filters_apart = _filters_apart(engine, settings)
    while True:
        body: dict = {"size": PERCOLATE_PAGE, "_source": ["watch"], "sort": [{"watch.id": "asc"}],
                      "query": {"bool": {"filter": [{"term": {"watch.active": True}},
                                                    *percolate_clauses(doc, filters_apart)]}}}
        if after is not None:
            body["search_after"] = after
        hits = engine.search(watches_alias(settings), body)["hits"]["hits"]
        out.extend(hit["_source"]["watch"] for hit in hits)
        if len(hits) < PERCOLATE_PAGE:
            return out
        after = hits[-1]["sort"]


def _email(engine: Engine, settings: Settings, audit: Audit, accounts: Accounts, owner: str, records: list[dict],
           ids: list[str]) -> bool:
    mailer = Mailer.of(settings)
    address = ((accounts.user(owner) or {}).get("email") or "") if mailer is not None else ""
    if mailer is None or not address:
        return False
    notices = [Notice(r["watch_label"], r["title"], r["document_id"], r.get("page"), r.get("snippet")) for r in records]
    mailer.send(address, notices)
    now = _iso(_now())
    for id in ids:
        engine.update(notifications_alias(settings), id, {"doc": {"emailed_at": now}})
    audit.record("system", Action.NOTIFY, owner, details={"owner": owner, "channel": "email", "notifications": ids,
                                                          "documents": sorted({r["document_id"] for r in records})})
    return True


def send_digests(engine: Engine, settings: Settings, now: datetime | None = None) -> int:
    """E-mail each owner the day's notifications of their daily watches, once a day after ``digest_hour_utc``,
    each checked again against the owner's access now. Safe to run from several workers at once: the day's
    digest record is created once. Returns the number of e-mails sent."""
    now = now or _now()
    if Mailer.of(settings) is None or now.hour < settings.digest_hour_utc:
        return 0
    day = now.date().isoformat()
    index = notifications_alias(settings)
    found = engine.search(index, {"size": 0, "query": {"bool": {"filter": [
        {"term": {"kind": "notice"}}, {"term": {"delivery": "daily"}}],
        "must_not": [{"exists": {"field": "emailed_at"}}]}},
        "aggs": {"owners": {"terms": {"field": "owner", "size": 10_000}}}})
    sent = 0
    accounts, audit = Accounts(engine, settings), Audit(engine, settings)
    for bucket in found["aggregations"]["owners"]["buckets"]:
        owner = bucket["key"]
        if not engine.create(index, f"digest-{owner}-{day}", {"kind": "digest", "owner": owner, "day": day,
                                                               "at": _iso(now)}):
            continue  # sent today already (or being sent by another worker)
        caller = accounts.caller(owner)
        hits = engine.search(index, {"size": 1000, "sort": [{"at": "asc"}], "query": {"bool": {"filter": [
            {"term": {"kind": "notice"}}, {"term": {"delivery": "daily"}}, {"term": {"owner": owner}},
            {"range": {"at": {"gte": _iso(now - timedelta(days=7))}}}],
            "must_not": [{"exists": {"field": "emailed_at"}}]}}})["hits"]["hits"]
        if caller is None:
            continue
        readable = SearchService(engine, settings, caller=caller).readable(
            sorted({h["_source"]["document_id"] for h in hits}))
        chosen = [h for h in hits if h["_source"]["document_id"] in readable]
        if chosen and _email(engine, settings, audit, accounts, owner, [h["_source"] for h in chosen],
                             [h["_id"] for h in chosen]):
            engine.update(index, f"digest-{owner}-{day}", {"doc": {"count": len(chosen)}})
            sent += 1
    return sent


# -- shapes -------------------------------------------------------------------------------------------------
def _name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_NAME:
        raise WatchError("invalid", f"A name of 1 to {MAX_NAME} characters.")
    return name


def _stored(request: SearchRequest) -> dict:
    return {"q": request.q, "filters": {k: list(v) for k, v in request.filters}, "mode": request.mode,
            "sort": request.sort, "year_from": request.year_from, "year_to": request.year_to}


def _saved(record: dict, watch: dict | None) -> dict:
    return {"id": record["id"], "name": record["name"], **{k: record["request"].get(k) for k in REQUEST_FIELDS},
            "created_at": record["created_at"], "updated_at": record["updated_at"], "watch": watch}


def _public(watch: dict) -> dict:
    return {k: watch.get(k) for k in ("id", "kind", "label", "target", "delivery", "active", "created_at",
                                      "updated_at")}


def _notification(record: dict) -> dict:
    return {k: record.get(k) for k in ("id", "watch_id", "watch_kind", "watch_label", "document_id", "title", "page",
                                       "snippet", "at", "read")}
