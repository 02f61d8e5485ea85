"""Watches at ingest (``bench/ingest.py --watches N``): the text corpus loaded end to end into two identical fresh
private stacks, one without watches and one with N active watches made before the load, with what matching the
documents against them costs and how long a notification takes to be made.

**The plan** (once, before the runs; :func:`plan_watches`). The corpus is loaded into a private stack of its own
(untimed), and what its documents hold is read back: the identities the load made, the values of the facets, the
documents as the worker matches them. Candidate watches are drawn and written into that stack's watches index,
every document is matched against them with ``docsearch.watches.percolate`` (what the worker runs), and N of them
are kept, ``MATCH_SHARE`` of them matching at least one document and the rest none. The mix: the
``COLLECTION_WATCHES`` collection watches (two of the bench collection, which find every document), then
``SEARCH_SHARE`` saved-search watches (1-4 words drawn from the corpus's words or from legal words it lacks, and
one filter: a year, document type, court, topic, place or institution that its documents have or lack) and entity
watches (persons, criminal organisations, cases, laws: values the documents hold, and names and numbers drawn by
``search_vocabulary`` that they lack). Of the matching ones, ``ENTITY_MATCHING`` per entity field name values
held by ``ENTITY_MIN_DOCS`` documents or more (in this generated corpus a real name, case or law is in most
documents, so each of these notifies most documents), and the rest are search watches that find at most
``MAX_DOC_SHARE`` of the documents. Owned by ``USERS`` users who all read the bench collection (uneven shares, at
most ``PER_USER`` each), ~``DAILY_SHARE`` of them delivered daily.

**A run** (:func:`watches_pair`): two fresh private stacks, one after the other (the order alternates from run to
run), each set up alike before its load: the users, the collections and their grants, and the probe's identities
(so an entity watch follows the archive's identity, ``entity_ids``, as one made from an entity page does). Only
the second gets the watches: saved searches and watches written in bulk with exactly what ``Watches.save_search``
and ``Watches.watch`` write (``Watches._entity``, ``SearchService.watch_clause``, ``docsearch.watches._id`` and
``_stored``; checked against one of each made through ``Watches`` itself), collection watches through
``Watches.watch``. Each stack then loads the text corpus as ``ingest_end_to_end`` does, and the phase lasts until
every indexed file's ``docsearch.match_document`` task has run (its line in the ingest worker's log) and the ingest
queue is empty; the CPU meter runs over that whole time. Measured: submit → batch ``done`` and submit → last match
task, pages/s over both, CPU seconds of the workers, the engine and the rest, the notifications made and, per
notification, ``at`` less the file's ``finished_at`` (its record marked ``indexed``, right after the document's
index request) and less the document's ``ingested_at`` (when the worker built it, before that request).
The pair is repeated (as for a pytest) when, during either load, other processes used more than ``OTHER_MAX`` of
the machine's CPU; the heaviest of them are named in the log.

**The profile**: then, in the stack with watches and its workers idle, its notifications are deleted and
``docsearch.watches.match_document`` runs again in this process for every document, over an engine client that
times each request; the time is split by what the request is for (percolate, the visibility wait, the owner's
rights, the searches as the owner, identity reads, notification writes, the audit trail) and the rest is Python.
Last, the percolate request alone for every document (:func:`percolate_costs`): over all watches, over each kind,
and with the document named by its id.
"""

from __future__ import annotations

import math
import os
import random
import re
import statistics
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis

import search_vocabulary
from search_words import GANG_HEADS, PLACES
from docsearch import audit as audit_module
from docsearch.access import Caller
from docsearch.accounts import Accounts
from docsearch.audit import audit_alias
from docsearch.engine import Engine
from docsearch.fields import REGISTRY
from docsearch.schema import entities_alias, notifications_alias, saved_alias, watches_alias
from docsearch.search import SearchRequest
from docsearch.watches import MATCHED_EXCLUDES, Watches, _id, _iso, _now, _stored, match_document, percolate, \
    percolate_clauses, percolated, request_of
from ingest_end_to_end import submit_in_child
from ingest_stack import log_since, log_size, private, task_times, worker_pids
from markdown_tables import table
import run_watch
from run_watch import Meter, log
from services import stack

COLLECTION = "bench-text"  # the collection the text corpus is loaded into (as in ingest.py's runs)
OTHER_COLLECTIONS = {"archivo-lima": "lima", "archivo-norte": "norte"}  # collection -> the group reading it
USERS = 50
ROLES = ("prosecutor", "analyst", "judge", "viewer", "prosecutor")
PASSWORD = "clave-de-banco-de-pruebas"
MATCH_SHARE = 0.015  # watches matching at least one document of the corpus
MAX_DOC_SHARE = 0.10  # of the corpus's documents, at most, that one matching search or entity watch finds
COLLECTION_WATCHES = (COLLECTION, COLLECTION, "archivo-lima", "archivo-lima", "archivo-norte")
SEARCH_SHARE = 0.55  # of the watches that are not collection watches; the rest are entity watches
ENTITY_SHARES = {"persons": 0.35, "criminal_orgs": 0.20, "cases": 0.25, "laws": 0.20}
ENTITY_MATCHING = 3  # matching watches per entity field (persons, criminal organisations, cases, laws): the rest of
# the matching share are search watches. In the generated corpus a real name, case or law is in most documents.
ENTITY_MIN_DOCS = 5  # a matching entity watch names a value held by this many documents or more (fewer: mostly
# headings joined to the next word and read as a name)
FILTER_FACETS = ("year", "doc_type", "court", "topics", "places", "institutions")
DAILY_SHARE = 0.3
PER_USER = 450  # below docsearch.watches.MAX_WATCHES (500)
BULK = 500
OTHER_MAX = 0.10  # a load during which other processes used more of the machine's CPU is repeated
KIND_NAMES = ("search", "entity", "collection")
MATCH_LINE = re.compile(r"Task docsearch\.match_document\[[^\]]+\] (succeeded|raised|failed)")

# Legal words a user may watch for that the generated corpus may lack (those it holds are left out).
LEGAL_WORDS = """feminicidio sicariato peculado colusión cohecho usurpación extorsión contrabando defraudación
receptación difamación secuestro terrorismo malversación enriquecimiento explotación minería deforestación chantaje
estafa falsificación suplantación ciberdelito homicidio parricidio abigeato alimentos divorcio desalojo herencia
testamento tributario arancel licitación consorcio municipalidad alcalde gobernador congresista vacancia habeas
amparo inconstitucionalidad arbitraje laudo concesión expropiación servidumbre contralor nepotismo soborno
prevaricato obstrucción encubrimiento fraude quiebra insolvencia marcario patente plagio reincidencia
habitualidad excarcelación semilibertad grilletes vigilancia electrónica hostigamiento acoso trata proxenetismo
pornografía""".split()
STOP = set("""sobre entre desde hasta donde cuando porque también según durante contra mediante siendo estos estas
dicho dicha mismo misma cuyos cuyas todos todas otros otras aquel aquella había habían puede pueden debe deben tiene
tienen fueron sido estar están estaba cual cuales quien quienes tanto tales dentro fuera antes después""".split())


# -- the stacks' common state -------------------------------------------------------------------------------
def users() -> list[dict]:
    """``USERS`` users, all reading the bench collection (group ``fiscalia``); some also read another collection."""
    out = []
    for k in range(1, USERS + 1):
        groups = ["fiscalia"] + (["lima"] if k % 3 == 0 else []) + (["norte"] if k % 5 == 0 else [])
        out.append({"name": f"lector{k:02d}", "role": ROLES[k % len(ROLES)], "groups": groups})
    return out


def set_up_readers(ps: stack.Private) -> None:
    accounts = Accounts(ps.engine, ps.settings)
    with ThreadPoolExecutor(10) as pool:  # each user is written with a refresh wait: ten at a time
        list(pool.map(lambda u: accounts.create_user(u["name"], PASSWORD, u["role"], groups=u["groups"]), users()))
    accounts.set_collection(COLLECTION, grants=[{"principal": "group:fiscalia", "rights": ["read"]}])
    for name, group in OTHER_COLLECTIONS.items():
        accounts.set_collection(name, grants=[{"principal": f"group:{group}", "rights": ["read"]}])


def _all(engine: Engine, index: str, body: dict | None = None, limit: int = 10_000) -> list[dict]:
    """Every hit of a query (at most ``limit``, or an error: the bench's indices hold fewer)."""
    found = engine.search(index, {"size": limit, "track_total_hits": True, **(body or {"query": {"match_all": {}}})})
    if found["hits"]["total"]["value"] > limit:
        raise RuntimeError(f"{index}: more than {limit} hits")
    return found["hits"]["hits"]


def copy_identities(ps: stack.Private, records: list[dict]) -> None:
    """The probe's identity records (and pointer records), as they were: the archive already knows the corpus's
    persons and organisations, in both stacks alike."""
    alias = entities_alias(ps.settings)
    for start in range(0, len(records), BULK):
        ps.engine.bulk([op for r in records[start:start + BULK] for op in
                        ({"index": {"_index": alias, "_id": r["_id"]}}, r["_source"])])
    ps.engine.refresh(alias)


# -- watches as Watches writes them ---------------------------------------------------------------------
def build(watches: Watches, spec: dict, now: str) -> tuple[dict, dict | None]:
    """The watches index's document for ``spec`` (and, for a search watch, its saved search's record): what
    ``Watches.save_search`` + ``Watches.watch`` write, without their audit records and one request each."""
    owner = watches.caller.user
    if spec["kind"] == "search":
        request = SearchRequest.create(q=spec["q"], filters=spec["filters"]).validate(watches.registry)
        saved_id = _id("saved", owner, now, spec["name"])
        saved = {"id": saved_id, "owner": owner, "name": spec["name"], "request": _stored(request),
                 "created_at": now, "updated_at": now}
        target, label, stored, within = {"saved_search": saved_id}, spec["name"], saved["request"], None
        query = watches._service.watch_clause(request_of(stored))
        needs = watches._service.watch_filters(request_of(stored))
    elif spec["kind"] == "entity":
        saved, stored = None, None
        target, label, within = watches._entity(spec["field"], spec["value"])
        query = needs = within
    else:
        raise ValueError(f"collection watches are made through Watches.watch: {spec}")
    id = _id("watch", owner, spec["kind"], *(f"{k}={v}" for k, v in sorted(target.items())))
    watch = {"id": id, "owner": owner, "kind": spec["kind"], "label": label, "target": target,
             "identity": target.get("identity"), "request": {"search": stored, "within": within},
             "delivery": spec["delivery"], "active": True,
             "created_at": now, "updated_at": now}
    return {"query": query, "needs": needs, "watch": watch}, saved


def _through_watches(watches: Watches, spec: dict) -> dict:
    """``spec`` made through ``Watches`` itself; its stored document."""
    if spec["kind"] == "search":
        saved = watches.save_search(spec["name"], SearchRequest.create(q=spec["q"], filters=spec["filters"]))
        made = watches.watch("search", spec["delivery"], saved_search=saved["id"])
    elif spec["kind"] == "entity":
        made = watches.watch("entity", spec["delivery"], field=spec["field"], value=spec["value"])
    else:
        made = watches.watch("collection", spec["delivery"], collection=spec["collection"])
    return watches.engine.get(watches_alias(watches.settings), made["id"])


def _same(built: dict, made: dict) -> bool:
    """A bulk-built watch and one made through ``Watches`` agree (but for times and the saved search's id)."""
    def plain(doc: dict) -> dict:
        watch = {k: v for k, v in doc["watch"].items() if k not in ("id", "created_at", "updated_at", "target")}
        target = {k: v for k, v in doc["watch"]["target"].items() if k != "saved_search"}
        return {"query": doc["query"], "needs": doc.get("needs"), "watch": watch, "target": target}
    return plain(built) == plain(made)


def arm(ps: stack.Private, specs: list[dict]) -> dict:
    """Make ``specs``' watches in ``ps``: collection watches, and the first search and entity watch, through
    ``Watches``; the rest in bulk. Returns counts, the seconds taken, and whether the bulk documents agreed."""
    started = time.monotonic()
    accounts = Accounts(ps.engine, ps.settings)
    callers: dict[str, Caller] = {}
    now = _iso(_now())
    checked: dict[str, bool] = {}
    docs, saved = [], []
    for spec in specs:
        caller = callers.get(spec["owner"]) or callers.setdefault(spec["owner"], accounts.caller(spec["owner"]))
        watches = Watches(ps.engine, ps.settings, caller)
        if spec["kind"] == "collection":
            _through_watches(watches, spec)
            continue
        built, record = build(watches, spec, now)
        if spec["kind"] not in checked:
            checked[spec["kind"]] = _same(built, _through_watches(watches, spec))
            continue
        docs.append(built)
        if record is not None:
            saved.append(record)
    if not all(checked.values()):
        raise AssertionError(f"watches built for the bulk differ from those Watches makes: {checked}")
    for index, rows in ((saved_alias(ps.settings), saved), (watches_alias(ps.settings), docs)):
        for start in range(0, len(rows), BULK):
            ps.engine.bulk([op for row in rows[start:start + BULK]
                            for op in ({"index": {"_index": index, "_id": row.get("id") or row["watch"]["id"]}}, row)])
        ps.engine.refresh(index)
    active = ps.engine.count(watches_alias(ps.settings), {"query": {"term": {"watch.active": True}}})
    if active != len(specs):
        raise AssertionError(f"{active} active watches in the index, {len(specs)} planned")
    return {"active": active, "bulk": len(docs), "through_watches": len(specs) - len(docs),
            "checked": checked, "s": round(time.monotonic() - started, 1)}


# -- the plan -------------------------------------------------------------------------------------------------
def _words(corpus: dict) -> tuple[Counter, set[str]]:
    """Document frequency of the corpus's words (5+ letters, no stop words), and every folded word it holds."""
    from nlp.text import fold

    by_pdf: dict[str, set[str]] = defaultdict(set)
    for (name, _), text in corpus["truth"].items():
        by_pdf[name].update(w for w in re.findall(r"[a-záéíóúüñ]+", text.lower()))
    df = Counter(w for words in by_pdf.values() for w in words if len(w) >= 5 and w not in STOP)
    return df, {fold(w) for words in by_pdf.values() for w in words}


def _facet_values(ps: stack.Private, keys: list[str]) -> dict[str, dict[str, int]]:
    """Each facet's values in the probe's documents, with the number of documents holding each."""
    aggs = {key: {"terms": {"field": REGISTRY[key].field, "size": 5000}} for key in keys}
    found = ps.engine.search(ps.settings.documents_alias, {"size": 0, "aggs": aggs})["aggregations"]
    return {key: {str(b.get("key_as_string", b["key"])): b["doc_count"] for b in found[key]["buckets"]} for key in keys}


def _absent_filter(facet: str, present: set[str], vocab: search_vocabulary.Vocabulary, rng: random.Random) -> str:
    for _ in range(200):
        if facet == "year":
            value = str(rng.randint(1990, 2030))
        elif facet == "doc_type":
            value = rng.choice(["sentencia", "auto", "resolucion", "informe", "oficio", "acta", "dictamen",
                                "requerimiento", "casacion", "denuncia", "acusacion", "manual"])
        elif facet in ("court", "institutions"):
            value = rng.choice(rng.choice(list(vocab.by_kind.values())))
        elif facet == "topics":
            value = rng.choice(vocab.topics)
        else:
            value = vocab.places(rng)
        if value not in present:
            return value
    raise RuntimeError(f"no value absent from the corpus for {facet}")


def _search_specs(n: int, rng: random.Random, df: Counter, folded: set[str], facets: dict[str, dict[str, int]],
                  vocab: search_vocabulary.Vocabulary, serial: Counter) -> list[dict]:
    from nlp.text import fold

    present_words = sorted(df)
    absent_words = [w for w in LEGAL_WORDS if fold(w) not in folded]
    specs = []
    for _ in range(n):
        words = []
        for _ in range(rng.choices([1, 2, 3, 4], weights=[3, 4, 3, 1])[0]):
            words.append(rng.choice(present_words) if rng.random() < 0.8 else rng.choice(absent_words))
        facet = rng.choice(FILTER_FACETS)
        present = facets.get(facet) or {}
        value = (rng.choice(sorted(present)) if present and rng.random() < 0.6
                 else _absent_filter(facet, set(present), vocab, rng))
        q = " ".join(dict.fromkeys(words))
        serial[q] += 1
        specs.append({"kind": "search", "q": q, "filters": {facet: [value]},
                      "name": f"{q} · {facet}: {value}" + (f" ({serial[q]})" if serial[q] > 1 else "")})
    return specs


def _absent_entity(field: str, rng: random.Random, vocab: search_vocabulary.Vocabulary) -> str | None:
    """A value of ``field`` as a watch would name it, drawn uniformly (a person of the search bench's 40,000, a
    band, a case number, a law by its number), in its canonical form."""
    if field == "persons":
        return rng.choice(vocab.persons.items)
    if field == "criminal_orgs":
        return f"Los {rng.choice(GANG_HEADS)} de {rng.choice(PLACES)}"
    if field == "cases":
        return search_vocabulary.case_number(rng).canonical
    surface = rng.choice([f"Ley N° {rng.randint(26000, 32000)}", f"Decreto Legislativo N° {rng.randint(600, 1700)}",
                          f"artículo {rng.randint(1, 450)} del Código Penal",
                          f"art. {rng.randint(1, 500)} del CPP",
                          f"Decreto Supremo N° {rng.randint(1, 40):03d}-{rng.randint(2000, 2025)}-"
                          f"{rng.choice(['JUS', 'IN', 'PCM', 'EF'])}"])
    found = search_vocabulary.citation(surface)
    return found.canonical if found is not None else None


def _entity_specs(field: str, present: dict[str, int], n_absent: int, rng: random.Random,
                  vocab: search_vocabulary.Vocabulary) -> list[dict]:
    """A watch of every value of ``field`` the corpus holds, and of ``n_absent`` values it does not."""
    absent: set[str] = set()
    for _ in range(n_absent * 20):
        if len(absent) >= n_absent:
            break
        value = _absent_entity(field, rng, vocab)
        if value and value not in present:
            absent.add(value)
    return [{"kind": "entity", "field": field, "value": value} for value in sorted(present) + sorted(absent)]


def _percolated(ps: stack.Private, specs: list[dict], docs: list[dict]) -> list[set[str]]:
    """The documents each spec's watch matches: the specs written as watches of one user, each document
    matched against them all as the worker does."""
    probe = Watches(ps.engine, ps.settings, Caller(user="probe", role="admin"))
    now = _iso(_now())
    index = watches_alias(ps.settings)
    ps.engine.delete_by_query(index, {"query": {"match_all": {}}})
    by_id: dict[str, int] = {}
    rows = []
    for k, spec in enumerate(specs):
        built, _ = build(probe, {**spec, "delivery": "immediate"}, now)
        by_id[built["watch"]["id"]] = k
        rows.append(built)
    for start in range(0, len(rows), BULK):
        ps.engine.bulk([op for row in rows[start:start + BULK]
                        for op in ({"index": {"_index": index, "_id": row["watch"]["id"]}}, row)])
    ps.engine.refresh(index)
    found: list[set[str]] = [set() for _ in specs]
    for doc in docs:
        for watch in percolate(ps.engine, ps.settings, percolated(doc)):
            found[by_id[watch["id"]]].add(doc["id"])
    return found


def _wait_matched(ps: stack.Private, offset: int, expected: int, timeout: float) -> int:
    """Wait until ``expected`` match tasks have run since ``offset`` of the ingest worker's log and the ingest
    queue is empty; returns the tasks seen."""
    client = redis.Redis.from_url(ps.settings.redis_url)
    queue = f"{ps.settings.index_prefix}.ingest"
    names = [queue] + [f"{queue}\x06\x16{p}" for p in (3, 6, 9)]
    deadline = time.monotonic() + timeout
    try:
        while True:
            seen = len(MATCH_LINE.findall(log_since(ps, "ingest", offset)))
            if seen >= expected and sum(client.llen(name) for name in names) == 0:
                return seen
            if time.monotonic() > deadline:
                raise TimeoutError(f"{seen} of {expected} match tasks run after {timeout:.0f} s")
            time.sleep(0.25)
    finally:
        client.close()


def plan_watches(base, corpus: dict, args, work: Path) -> dict:
    """Load the corpus once (untimed) and choose ``args.watches`` watches (module docstring)."""
    n = args.watches
    rng = random.Random(args.seed + 7)
    started = time.monotonic()
    log(f"watches: probe load of the text corpus, to choose {n:,} watches")
    with private(base, work / "probe-stack") as ps:
        set_up_readers(ps)
        offset = log_size(ps, "ingest")
        loaded = submit_in_child(ps, corpus["text_dir"], COLLECTION, work / "probe.json", args.timeout)
        if loaded["statuses"].get("indexed", 0) != len(corpus["text_paths"]):
            raise RuntimeError(f"probe load: {loaded['statuses']}")
        _wait_matched(ps, offset, loaded["statuses"]["indexed"], args.timeout)
        ps.engine.refresh(ps.settings.documents_alias)
        ids = [hit["_id"] for hit in _all(ps.engine, ps.settings.documents_alias, {"_source": False,
                                                                                  "query": {"match_all": {}}})]
        docs = [ps.engine.get(ps.settings.documents_alias, id, _source_excludes=MATCHED_EXCLUDES) for id in ids]
        identities = _all(ps.engine, entities_alias(ps.settings))
        facets = _facet_values(ps, list(FILTER_FACETS) + list(ENTITY_SHARES))
        vocab = search_vocabulary.Vocabulary(args.seed)
        df, folded = _words(corpus)
        cap = max(1, math.floor(MAX_DOC_SHARE * len(docs)))

        collection = list(COLLECTION_WATCHES[:n])
        rest = n - len(collection)
        wanted = {"search": round(rest * SEARCH_SHARE)}
        entity_total = rest - wanted["search"]
        for k, field in enumerate(ENTITY_SHARES):
            wanted[field] = (entity_total - sum(wanted[f] for f in list(ENTITY_SHARES)[:k])
                             if k == len(ENTITY_SHARES) - 1 else round(entity_total * ENTITY_SHARES[field]))
        matching_total = max(0, round(MATCH_SHARE * n) - collection.count(COLLECTION))
        to_match = {group: min(ENTITY_MATCHING, matching_total) for group in ENTITY_SHARES}
        to_match["search"] = max(0, matching_total - sum(to_match.values()))

        serial: Counter = Counter()
        pool: dict[str, list[tuple[dict, set[str]]]] = {}
        for group, count in wanted.items():
            if group == "search":
                specs: list[dict] = []
                found: list[set[str]] = []
                for _ in range(8):  # more candidates until enough of both kinds
                    more = _search_specs(max(count, 200), rng, df, folded, facets, vocab, serial)
                    specs += more
                    found += _percolated(ps, more, docs)
                    hits = sum(1 for f in found if 1 <= len(f) <= cap)
                    if hits >= to_match[group] and sum(1 for f in found if not f) >= count - to_match[group]:
                        break
            else:
                specs = _entity_specs(group, facets.get(group) or {}, count, rng, vocab)
                found = _percolated(ps, specs, docs)
            pool[group] = list(zip(specs, found))
        ps.engine.delete_by_query(watches_alias(ps.settings), {"query": {"match_all": {}}})

    chosen: list[tuple[dict, set[str]]] = []
    shortfall = {}
    for group, count in wanted.items():
        candidates = pool[group][:]
        rng.shuffle(candidates)
        if group == "search":
            matching = [c for c in candidates if 1 <= len(c[1]) <= cap]
        else:  # the least frequent values held by ENTITY_MIN_DOCS documents or more, each watched by several users
            held = sorted((c for c in candidates if len(c[1]) >= ENTITY_MIN_DOCS), key=lambda c: len(c[1]))
            matching = [held[k % len(held)] for k in range(to_match[group])] if held else []
        if len(matching) < to_match[group]:
            shortfall[group] = to_match[group] - len(matching)
        matching = matching[:to_match[group]]
        quiet = [c for c in candidates if not c[1]]
        take = matching + quiet[:count - len(matching)]
        if len(take) < count:
            raise RuntimeError(f"only {len(take)} candidate {group} watches for {count}")
        chosen += take
    rng.shuffle(chosen)

    # owners: uneven shares, at most PER_USER each, never the same watch twice (a watch's id is its owner and
    # target); collection watches go to users who read the collection
    people = users()
    weights = [rng.uniform(0.3, 1.7) for _ in people]
    load: Counter = Counter()
    taken: set[tuple] = set()
    plan: list[dict] = []

    def owner_of(key: tuple, among: list[str], weights: list[float] | None = None) -> str:
        for _ in range(10_000):
            owner = rng.choices(among, weights)[0]
            if load[owner] < PER_USER and (owner, key) not in taken:
                load[owner] += 1
                taken.add((owner, key))
                return owner
        raise RuntimeError(f"no owner left for {key}")

    for name in collection:
        group = "fiscalia" if name == COLLECTION else OTHER_COLLECTIONS[name]
        owner = owner_of(("collection", name), [u["name"] for u in people if group in u["groups"]])
        plan.append({"kind": "collection", "collection": name, "owner": owner, "docs": len(docs) if name == COLLECTION
                     else 0, "delivery": "daily" if rng.random() < DAILY_SHARE else "immediate"})
    for spec, found in chosen:
        key = (spec["kind"], spec.get("field"), spec.get("value"), spec.get("name"))
        plan.append({**spec, "owner": owner_of(key, [u["name"] for u in people], weights),
                     "delivery": "daily" if rng.random() < DAILY_SHARE else "immediate", "docs": len(found)})
    # the first search and entity watches are made through Watches (the check in ``arm``): any of them will do
    mix = Counter(s["kind"] if s["kind"] != "entity" else s["field"] for s in plan)
    matching = Counter(s["kind"] if s["kind"] != "entity" else s["field"] for s in plan if s["docs"])
    description = {
        "watches": len(plan), "users": len(load), "per_user_max": max(load.values()) if load else 0,
        "mix": dict(mix), "matching": dict(matching),
        "matching_share": round(sum(matching.values()) / max(len(plan), 1), 4),
        "expected_notifications": sum(s["docs"] for s in plan), "documents": len(docs), "cap_documents": cap,
        "daily": sum(1 for s in plan if s["delivery"] == "daily"),
        "matching_entities": sorted(Counter((s["field"], s["value"], s["docs"]) for s in plan
                                            if s["kind"] == "entity" and s["docs"]).items()),
        "search_words": Counter(len(s["q"].split()) for s in plan if s["kind"] == "search"),
        "search_filter_facets": Counter(next(iter(s["filters"])) for s in plan if s["kind"] == "search"),
        "candidates": {g: len(p) for g, p in pool.items()},
        "candidates_matching": {g: sum(1 for _, f in p if f) for g, p in pool.items()},
        "shortfall": shortfall, "identities": len(identities), "made_in_s": round(time.monotonic() - started),
    }
    log(f"watches: {description}")
    return {"specs": plan, "identities": identities, "description": description, "document_ids": ids,
            "facets": facets}


# -- one run: without and with ----------------------------------------------------------------------------------
def _stamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _stats(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    return {"n": len(ordered), "median": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)],
            "min": ordered[0], "max": ordered[-1]}


def side_stats(ps: stack.Private) -> dict[str, dict]:
    """Operations the engine counted on the indices matching writes to: audit trail, notifications, watches,
    accounts (a refused create counts in ``index_failed``)."""
    out = {}
    for alias in (audit_alias(ps.settings), notifications_alias(ps.settings), watches_alias(ps.settings),
                  ps.settings.accounts_alias, entities_alias(ps.settings)):
        found = ps.engine.client.indices.stats(index=alias, metric="indexing,get,search")
        total = next(iter(found["indices"].values()))["total"]
        out[alias.rsplit("-", 1)[1]] = {"index": total["indexing"]["index_total"],
                                        "index_failed": total["indexing"].get("index_failed", 0),
                                        "get": total["get"]["total"], "search": total["search"]["query_total"]}
    return out


class Others:
    """Which other processes used the machine during a phase: every ``poll`` s, the CPU time of each process
    that is neither this one, nor one of its children (the workers, the submitting child), nor the engine."""

    def __init__(self, poll: float = 2.0):
        self.poll, self.by_command, self._last = poll, Counter(), {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _sample(self) -> None:
        mine = run_watch._descendants([os.getpid()]) | run_watch._engine_pids()
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) in mine:
                continue
            fields = run_watch._stat_fields(int(entry))
            if not fields:
                continue
            ticks = sum(int(v) for v in fields[11:13])
            before = self._last.get(entry)
            self._last[entry] = ticks
            if before is not None and ticks > before:
                try:
                    with open(f"/proc/{entry}/cmdline", "rb") as fh:
                        command = fh.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()[:100]
                except OSError:
                    command = "?"
                if not command:  # a kernel thread
                    try:
                        command = "[" + Path(f"/proc/{entry}/comm").read_text().strip() + "]"
                    except OSError:
                        command = "?"
                self.by_command[command] += (ticks - before) / run_watch.CLK_TCK

    def _watch(self) -> None:
        while not self._stop.wait(self.poll):
            self._sample()

    def __enter__(self) -> "Others":
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def top(self, n: int = 3) -> list[tuple[str, float]]:
        return [(command, round(s, 1)) for command, s in self.by_command.most_common(n)]


def load_until_matched(ps: stack.Private, corpus: dict, work: Path, timeout: float) -> dict:
    """The text corpus loaded end to end, and the time until every indexed file's match task has run."""
    work.mkdir(parents=True, exist_ok=True)
    offsets = {queue: log_size(ps, queue) for queue in stack.WORKERS}
    side_before = side_stats(ps)
    with Meter(worker_pids(ps)) as meter, Others() as others:
        result = submit_in_child(ps, corpus["text_dir"], COLLECTION, work / "load.json", timeout)
        indexed = result["statuses"].get("indexed", 0)
        seen = _wait_matched(ps, offsets["ingest"], indexed, timeout)
        settled = datetime.now(UTC)
    time.sleep(0.5)  # the last task lines reach the log
    side_after = side_stats(ps)
    files = [hit["_source"] for hit in _all(ps.engine, ps.settings.files_alias, {"query": {"term": {
        "batch_id": result["batch_id"]}}})]
    finals = [_stamp(f["updated_at"]) for f in files if f["status"] in ("indexed", "duplicate", "failed")]
    wall0 = max(finals) - timedelta(seconds=result["last_finished_s"])  # the child's submit start
    finished = {f["document_id"]: _stamp(f["finished_at"]) for f in files if f.get("document_id")}
    ps.engine.refresh(notifications_alias(ps.settings))
    notes = [hit["_source"] for hit in _all(ps.engine, notifications_alias(ps.settings),
                                           {"query": {"term": {"kind": "notice"}}})]
    ats = [_stamp(n["at"]) for n in notes]
    workers = {queue: task_times(log_since(ps, queue, offsets[queue])) for queue in stack.WORKERS}
    pages = result["summary"]["pages_done"]
    all_s = (settled - wall0).total_seconds()
    out = {
        "batch_id": result["batch_id"], "files": len(files), "statuses": result["statuses"], "pages": pages,
        "all_indexed": result["state"] == "done" and indexed == len(corpus["text_paths"]),
        "done_s": result["done_s"], "pages_per_s": pages / result["done_s"],
        "last_finished_s": result["last_finished_s"],
        "matched_s": all_s, "pages_per_s_matched": pages / all_s, "match_tasks": seen,
        "cpu": meter.cpu, "pytest_seen": meter.pytest_seen, "workers": workers, "others": others.top(),
        "disturbed": meter.cpu["other_s"] > OTHER_MAX * meter.cpu["machine_capacity_s"],
        "engine_ops": {name: {k: side_after[name][k] - side_before[name][k] for k in ops}
                       for name, ops in side_after.items()},
        "notifications": len(notes), "watches_notified": len({n["watch_id"] for n in notes}),
        "documents_notified": len({n["document_id"] for n in notes}),
        "notifications_by_kind": dict(Counter(n["watch_kind"] for n in notes)),
        "first_notification_s": (min(ats) - wall0).total_seconds() if ats else None,
        "last_notification_s": (max(ats) - wall0).total_seconds() if ats else None,
        "latency_from_finished_s": _stats([(_stamp(n["at"]) - finished[n["document_id"]]).total_seconds()
                                           for n in notes if finished.get(n["document_id"])]),
        "latency_from_ingested_s": _stats([(_stamp(n["at"]) - _stamp(n["indexed_at"])).total_seconds()
                                           for n in notes if n.get("indexed_at")]),
    }
    match = workers["ingest"]["tasks"].get("docsearch.match_document", {"n": 0, "sum_s": 0.0, "mean_s": 0.0})
    ingest = workers["ingest"]["tasks"].get("docsearch.ingest_file", {"n": 0, "sum_s": 0.0})
    log(f"  {result['records']} files {result['statuses']}, {pages} pages: batch done {result['done_s']:.1f} s "
        f"({out['pages_per_s']:.1f} pages/s), last match task {all_s:.1f} s "
        f"({out['pages_per_s_matched']:.1f} pages/s); "
        f"ingest tasks {ingest['sum_s']:.1f} s, match tasks {match['n']} / {match['sum_s']:.1f} s; "
        f"{len(notes)} notifications; cpu {', '.join(f'{k} {v:.0f}' for k, v in meter.cpu.items())}"
        + (f"; others: {others.top()}" if out["disturbed"] else ""))
    return out


# -- the profile ------------------------------------------------------------------------------------------------
PURPOSES = (  # (operation, index) -> what it is for; first match wins
    (("search", "watches"), "percolate (all active watches, one request)"),
    (("count", "documents"), "wait until the document is searchable"),
    (("get", "documents"), "read the document"),
    ((None, "accounts"), "the owner's rights (Accounts.caller)"),
    (("search", "documents"), "the document as the owner finds it (Watches.notice)"),
    ((None, "entities"), "the identity (entity watches, Watches.notice)"),
    ((None, "notifications"), "write the notification"),
    ((None, "audit"), "audit record (Audit.record)"),
)


def _purpose(operation: str, index: str | None) -> str:
    kind = (index or "").rsplit("-", 1)[-1]
    for (op, idx), label in PURPOSES:
        if (op is None or op == operation) and idx == kind:
            return label
    return f"other ({operation} {kind})"


def profile(ps: stack.Private, document_ids: list[str]) -> dict:
    """``match_document`` of every document again, in this process, with each engine request timed (module
    docstring). The stack's notifications are deleted first, so that each is made again."""
    engine = Engine.connect(ps.settings)
    spent: dict[str, list[float]] = defaultdict(list)
    requests_by: Counter = Counter()
    call = engine._call

    def timed(fn, *args, **kwargs):
        began = time.perf_counter()
        try:
            return call(fn, *args, **kwargs)
        finally:
            name, index = getattr(fn, "__name__", "?"), kwargs.get("index")
            spent[_purpose(name, index)].append(time.perf_counter() - began)
            requests_by[f"{name} {(index or '').rsplit('-', 1)[-1]}"] += 1

    engine._call = timed  # type: ignore[method-assign]
    try:
        engine.delete_by_query(notifications_alias(ps.settings), {"query": {"match_all": {}}})
        # This process last wrote the trail when the watches were made: forget where, as a worker process that
        # starts does, or its first record would walk past every record the workers wrote since, seq by seq.
        audit_module._LAST.pop(audit_alias(ps.settings), None)
        audit_before = engine.count(audit_alias(ps.settings))
        spent.clear()
        requests_by.clear()
        wall0, cpu0 = time.perf_counter(), time.process_time()
        made, per_doc = 0, []
        for doc_id in document_ids:
            began = time.perf_counter()
            made += len(match_document(engine, ps.settings, doc_id))
            per_doc.append(time.perf_counter() - began)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        engine.refresh(audit_alias(ps.settings))
        audit_records = engine.count(audit_alias(ps.settings)) - audit_before
    finally:
        engine._call = call  # type: ignore[method-assign]
        engine.close()
    requests = sum(sum(v) for v in spent.values())
    docs = max(len(document_ids), 1)
    return {"documents": len(document_ids), "notifications": made, "wall_s": wall, "python_cpu_s": cpu,
            "engine_wait_s": requests, "per_document_s": _stats(per_doc), "audit_records": audit_records,
            "by_purpose": {label: {"requests": len(v), "s": sum(v), "ms_per_request": 1000 * sum(v) / len(v),
                                   "per_document_ms": 1000 * sum(v) / docs} for label, v in spent.items()},
            "not_requests_s": wall - requests, "requests": dict(requests_by)}


def percolate_costs(ps: stack.Private, document_ids: list[str], reps: int = 2) -> dict:
    """The percolate request alone, per document (best of ``reps``, ``size`` 0): over every active watch, over
    one kind of watch, and with the document named by its id instead of sent; the client's time and the engine's
    own (``took``)."""
    variants: dict[str, list[dict]] = {"all": [], "search": [], "entity": [], "collection": [], "query only": []}
    alias, pages = watches_alias(ps.settings), []
    for doc_id in document_ids:
        doc = percolated(ps.engine.get(ps.settings.documents_alias, doc_id, _source_excludes=MATCHED_EXCLUDES))
        pages.append(len(doc.get("pages") or []))
        for variant in variants:
            clauses = ([{"percolate": {"field": "query", "document": doc}}] if variant == "query only"
                       else percolate_clauses(doc))
            kinds = [{"term": {"watch.kind": variant}}] if variant in KIND_NAMES else []
            body = {"size": 0, "track_total_hits": True,
                    "query": {"bool": {"filter": [*clauses, {"term": {"watch.active": True}}, *kinds]}}}
            best = None
            for _ in range(reps):
                began = time.perf_counter()
                found = ps.engine.search(alias, body)
                took = (time.perf_counter() - began, found["took"] / 1000, found["hits"]["total"]["value"])
                best = took if best is None or took[0] < best[0] else best
            variants[variant].append({"s": best[0], "took_s": best[1], "matched": best[2]})
    return {"pages": pages, "variants": {v: {
        "median_ms": 1000 * statistics.median(r["s"] for r in rows),
        "took_median_ms": 1000 * statistics.median(r["took_s"] for r in rows),
        "ms_per_page": 1000 * sum(r["s"] for r in rows) / max(sum(pages), 1),
        "matched": sum(r["matched"] for r in rows)} for v, rows in variants.items() if rows}}


def watches_pair(base, corpus: dict, plan: dict, args, run_dir: Path, number: int) -> dict:
    """One run: the text corpus loaded into a fresh stack without watches and into one with the plan's watches
    (the order alternates with ``number``), and the profile of the match task in the second."""
    out: dict = {"order": ["without", "with"] if number % 2 else ["with", "without"]}
    for variant in out["order"]:
        with private(base, run_dir / f"stack-{variant}") as ps:
            set_up_readers(ps)
            copy_identities(ps, plan["identities"])
            if variant == "with":
                out["armed"] = arm(ps, plan["specs"])
            # Both loads start with workers that have loaded their models (a worker process loads them as it
            # starts; arming the watches would otherwise give the "with" stack the time to, and not the other).
            out.setdefault("settled_s", {})[variant] = run_watch.settle(worker_pids(ps))
            log(f"run {number}: text corpus, {variant} watches (stack {ps.settings.index_prefix})")
            out[variant] = load_until_matched(ps, corpus, run_dir / variant, args.timeout)
            out[variant]["prefix"] = ps.settings.index_prefix
            if variant == "with":
                log(f"run {number}: profile of the match task over {len(plan['document_ids'])} documents")
                with Meter([os.getpid()]) as meter:
                    out["profile"] = profile(ps, plan["document_ids"])
                    out["percolate"] = percolate_costs(ps, plan["document_ids"][::5])
                out["profile_cpu"], out["profile_disturbed"] = meter.cpu, meter.pytest_seen or (
                    meter.cpu["other_s"] > OTHER_MAX * meter.cpu["machine_capacity_s"])
    out["pytest_seen"] = out["with"]["pytest_seen"] or out["without"]["pytest_seen"]
    out["disturbed"] = out["with"]["disturbed"] or out["without"]["disturbed"]
    if out["pytest_seen"] or out["disturbed"]:
        log(f"run {number}: {'a pytest ran' if out['pytest_seen'] else 'other processes used the machine'} during "
            f"a load (others: {out['with']['others']} / {out['without']['others']})")
    return out


# -- report ---------------------------------------------------------------------------------------------------
def _med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report_watches(results: dict) -> str:
    runs = [r["watches"] for r in results["runs"] if r.get("watches")]
    if not runs:
        return ""
    d, c = results["watch_plan"], results["corpus"]
    lines = ["", f"Corpus: {c['text_pdfs']} text PDFs, {c['text_pages']:,} pages, {c['words_per_page_mean']} words "
             f"a page (generated). Watches at ingest: {d['watches']:,} active watches of {d['users']} users (at most "
             f"{d['per_user_max']} each), mix {d['mix']}; {sum(d['matching'].values())} of them "
             f"({d['matching_share']:.1%}) match documents of the corpus ({d['matching']}; a search watch at most "
             f"{d['cap_documents']} of the {d['documents']}; entity watches: "
             f"{', '.join(f'{v[1]} ({v[2]} documents) ×{n}' for v, n in d['matching_entities'])}); "
             f"{d['daily']} daily. {len(runs)} runs, medians; "
             f"order per run: {', '.join('/'.join(r['order']) for r in runs)}.", ""]

    def num(value: float, digits: int) -> str:
        return "–" if value != value else f"{value:,.{digits}f}"  # NaN: nothing to measure (no notification)

    def pair(label: str, get, digits: int, change: bool = True):
        without = [get(r["without"]) for r in runs]
        with_ = [get(r["with"]) for r in runs]
        a, b = _med(without), _med(with_)
        delta = f"{(b - a) / a:+.1%}" if change and a else ""
        return (label, num(a, digits), num(b, digits), delta,
                "; ".join(f"{num(x, digits)} / {num(y, digits)}" for x, y in zip(without, with_)))

    def match_sum(p: dict) -> float:
        return p["workers"]["ingest"]["tasks"].get("docsearch.match_document", {}).get("sum_s", 0.0)

    def lat(key: str, stat: str):
        return lambda p: p[key].get(stat, float("nan")) if p[key]["n"] else float("nan")

    rows = [
        pair("Submit → batch done, s", lambda p: p["done_s"], 1),
        pair("Pages/s to batch done", lambda p: p["pages_per_s"], 1),
        pair("Submit → last match task done, s", lambda p: p["matched_s"], 1),
        pair("**Pages/s to last match task done**", lambda p: p["pages_per_s_matched"], 1),
        pair("CPU s, bench workers", lambda p: p["cpu"]["workers_s"], 1),
        pair("CPU s, engine", lambda p: p["cpu"]["engine_s"], 1),
        pair("CPU s, workers + engine", lambda p: p["cpu"]["workers_s"] + p["cpu"]["engine_s"], 1),
        pair("CPU s, rest of the machine", lambda p: p["cpu"]["other_s"], 1, change=False),
        pair("Match tasks, s (sum, worker logs)", match_sum, 1, change=False),
        pair("Notifications made", lambda p: p["notifications"], 0, change=False),
        pair("Audit trail: index operations (records and head updates)",
             lambda p: p.get("engine_ops", {}).get("audit", {}).get("index", float("nan")), 0, change=False),
        pair("Audit trail: creates refused (seq taken by the other process)",
             lambda p: p.get("engine_ops", {}).get("audit", {}).get("index_failed", float("nan")), 0, change=False),
        pair("Audit trail: reads by id",
             lambda p: p.get("engine_ops", {}).get("audit", {}).get("get", float("nan")), 0, change=False),
        pair("Watches that notified", lambda p: p["watches_notified"], 0, change=False),
        pair("Indexed (file finished_at) → notified, median s", lat("latency_from_finished_s", "median"), 1, False),
        pair("Indexed (file finished_at) → notified, p95 s", lat("latency_from_finished_s", "p95"), 1, False),
        pair("Indexed (file finished_at) → notified, max s", lat("latency_from_finished_s", "max"), 1, False),
        pair("Built (document ingested_at) → notified, median s", lat("latency_from_ingested_s", "median"), 1, False),
        pair("Built (document ingested_at) → notified, p95 s", lat("latency_from_ingested_s", "p95"), 1, False),
        pair("Submit → first notification, s", lambda p: p["first_notification_s"] or float("nan"), 1, False),
        pair("Submit → last notification, s", lambda p: p["last_notification_s"] or float("nan"), 1, False),
    ]
    lines += table(("Measure", "without", "with", "change", "runs (without / with)"), "lrrrl", rows)
    ok = all(r[v]["all_indexed"] for r in runs for v in ("with", "without"))
    armed = [r["armed"] for r in runs]
    lines.append(f"\nEvery file indexed in every load: {'yes' if ok else 'NO'}. Watches made before each load with "
                 f"watches: {armed[0]['active']:,} active ({armed[0]['bulk']:,} in bulk, {armed[0]['through_watches']} "
                 f"through `Watches`, which the bulk ones were checked against: "
                 f"{'agree' if all(all(a['checked'].values()) for a in armed) else 'DIFFER'}), in "
                 f"{', '.join(str(a['s']) for a in armed)} s. Notifications per document (median): "
                 f"{_med([r['with']['notifications'] / max(r['with']['files'], 1) for r in runs]):.1f}.")
    profiles = [r["profile"] for r in runs if r.get("profile") and not r.get("profile_disturbed")]
    if profiles:
        labels = sorted({k for p in profiles for k in p["by_purpose"]},
                        key=lambda k: -_med([p["by_purpose"].get(k, {}).get("s", 0) for p in profiles]))
        docs = profiles[0]["documents"]
        lines.append(f"\nThe match task alone (`docsearch.watches.match_document` of the {docs} documents again, one "
                     f"process, workers idle; medians over runs): "
                     f"{_med([p['wall_s'] for p in profiles]):.1f} s, "
                     f"{_med([p['notifications'] for p in profiles]):.0f} "
                     f"notifications, {_med([p['audit_records'] for p in profiles]):.0f} audit records; per document "
                     f"median {1000 * _med([p['per_document_s']['median'] for p in profiles]):.0f} ms, max "
                     f"{1000 * _med([p['per_document_s']['max'] for p in profiles]):.0f} ms.\n")
        total = _med([p["wall_s"] for p in profiles])
        rows = []
        for label in labels:
            got = [p["by_purpose"].get(label, {"requests": 0, "s": 0.0}) for p in profiles]
            s = _med([g["s"] for g in got])
            rows.append((label, f"{_med([g['requests'] for g in got]):,.0f}",
                         f"{1000 * s / max(_med([g['requests'] for g in got]), 1):.1f}",
                         f"{1000 * s / docs:.0f}", f"{s / total:.0%}"))
        s = _med([p["not_requests_s"] for p in profiles])
        rows.append(("Python in the task (not waiting for the engine)", "", "", f"{1000 * s / docs:.0f}",
                     f"{s / total:.0%}"))
        lines += table(("Request for", "requests", "ms each", "ms per document", "share"), "lrrrr", rows)
    costs = [r["percolate"] for r in runs if r.get("percolate") and not r.get("profile_disturbed")]
    if costs:
        lines.append(f"\nThe percolate request alone ({len(costs[0]['pages'])} of the documents, no hits fetched, best "
                     "of 2 each, medians over runs): "
                     "client time and the engine's own (`took`), per document and per page of the documents:\n")
        rows = []
        for variant, label in (("all", "every active watch (as the worker asks)"),
                               ("search", "saved-search watches only"), ("entity", "entity watches only"),
                               ("collection", "collection watches only"),
                               ("query only", "every watch by its query alone, its filters not matched first")):
            got = [c["variants"][variant] for c in costs if variant in c["variants"]]
            if got:
                rows.append((label, f"{_med([g['median_ms'] for g in got]):.1f}",
                             f"{_med([g['took_median_ms'] for g in got]):.1f}",
                             f"{_med([g['ms_per_page'] for g in got]):.2f}",
                             f"{_med([g['matched'] for g in got]):,.0f}"))
        lines += table(("Percolate over", "ms per document (median)", "engine took, ms", "ms per page",
                        "matches (all documents)"), "lrrrr", rows)
    return "\n".join(lines)
