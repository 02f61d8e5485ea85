"""An append-only, tamper-evident audit trail: who did what, to what, when and from where (docs/audit.md).

Records live in the index ``<prefix>-audit``, one document per record with id = its ``seq`` (1, 2, 3, ...).
Each names the hash of the record before it (``prev``; the first names :data:`GENESIS`) and carries its own
``hash = sha256(prev + canonical JSON of the record without hash)``: a record changed, removed or put in
between breaks the chain from there on. The ``head`` document names the last record's seq and hash, so a
removed tail shows too.

Several API processes write at once, with no lock: a writer reads the head, then *creates* record
``head.seq + 1`` (``op_type=create``). When another writer took that seq first the create conflicts; the
writer reads the record that won (a realtime GET), links to it and tries the next seq. The head moves
forward only (a script that never lowers it), after the record exists; a writer that stops in between leaves
the head behind, which the next writer and :meth:`Audit.verify` take in their stride.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from docsearch.engine import Conflict, Engine, EngineError, NotFound
from docsearch.schema import audit_alias
from docsearch.settings import Settings

GENESIS = "0" * 64  # the ``prev`` of the first record
HEAD_ID = "head"
MAX_STEPS = 1000  # seqs a writer may find taken before it gives up (a head left far behind)
RETAKE_PAUSES = (0, 0.005, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0)  # seconds before each read of a taken seq (2 s in all)
CHUNK = 1000  # records read per request by verify
MAX_SIZE = 1000  # records per page of search


class Action(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    SEARCH = "search"
    VIEW_DOCUMENT = "view_document"
    VIEW_PAGE = "view_page"
    DOWNLOAD = "download"
    UPLOAD = "upload"
    RETRY = "retry"
    REPROCESS = "reprocess"
    GRANT = "grant"
    CLASSIFY = "classify"
    DELETE = "delete"
    USER_CREATE = "user_create"
    USER_CHANGE = "user_change"
    TOKEN_CREATE = "token_create"
    TOKEN_DELETE = "token_delete"
    ENTITY_MERGE = "entity_merge"
    ENTITY_SPLIT = "entity_split"
    BACKUP_CREATE = "backup_create"
    BACKUP_RESTORE = "backup_restore"
    CUSTODY_VERIFY = "custody_verify"
    EXPORT = "export"
    SAVED_SEARCH_CREATE = "saved_search_create"
    SAVED_SEARCH_CHANGE = "saved_search_change"
    SAVED_SEARCH_DELETE = "saved_search_delete"
    WATCH_CREATE = "watch_create"
    WATCH_CHANGE = "watch_change"
    WATCH_DELETE = "watch_delete"
    NOTIFY = "notify"
    FOLDER_CREATE = "folder_create"
    FOLDER_CHANGE = "folder_change"
    FOLDER_SHARE = "folder_share"
    FOLDER_DELETE = "folder_delete"
    FOLDER_ADD = "folder_add"
    FOLDER_REMOVE = "folder_remove"
    FOLDER_EXPORT = "folder_export"
    ANNOTATE = "annotate"
    BATCH_SEARCH = "batch_search"


ACTIONS = frozenset(a.value for a in Action)

# The head moves forward only: a writer that lost the race to a later seq leaves it where it is.
_ADVANCE = ("if (ctx._source.seq == null || ctx._source.seq < params.seq) "
            "{ ctx._source.seq = params.seq; ctx._source.hash = params.hash; ctx._source.at = params.at; } "
            "else { ctx.op = 'noop'; }")


def canonical(record: Mapping[str, Any]) -> bytes:
    """The record without its hash as canonical JSON (sorted keys, no spaces, UTF-8)."""
    body = {k: v for k, v in record.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev: str, record: Mapping[str, Any]) -> str:
    return hashlib.sha256(prev.encode() + canonical(record)).hexdigest()


def _plain_json(details: Mapping[str, Any]) -> dict:
    """``details`` as the engine will give it back (tuples as lists, dates as strings), so that the hash
    computed now is the hash computed from the stored record."""
    try:
        return json.loads(json.dumps(dict(details), default=str, allow_nan=False))
    except ValueError:  # NaN or infinity: kept as text
        return {"text": str(details)}


_DATE_MATH = re.compile(r"^now([+-]\d+[yMwdhHms])*(/[yMwdhHms])?$")
_AGO = re.compile(r"^(\d+)([dhm])$")


def _when(value: datetime | str, name: str) -> str:
    """A bound of ``since``/``until``: a datetime, an ISO date or time, engine date math (``now-7d``) or a
    span back from now (``7d``, ``24h``, ``30m``)."""
    if isinstance(value, datetime):
        return value.isoformat()
    text = value.strip()
    if m := _AGO.match(text):
        return f"now-{m.group(1)}{m.group(2)}"
    if _DATE_MATH.match(text):
        return text
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date; give an ISO date or time (2024-05-01, "
                         f"2024-05-01T12:00:00Z) or a span back from now (7d, 24h, 30m)") from None


@dataclass(frozen=True)
class Problem:
    """Records ``first``..``last`` are not what was written: ``modified`` (a record's hash does not match
    its content, or its seq not its id), ``removed`` (missing seqs), ``broken_link`` (``prev`` is not the
    hash of the record before), ``head`` (the head does not match the last record), ``anchor`` (a hash
    kept outside the system does not match), ``foreign`` (documents that are not part of the chain)."""

    kind: str
    first: int
    last: int
    detail: str = ""

    @property
    def seqs(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"

    @property
    def message(self) -> str:
        what = {"modified": "modified (hash does not match the content)", "removed": "removed",
                "broken_link": "link broken (prev is not the hash of the record before)",
                "head": "head does not match the trail", "anchor": "does not match the anchored hash",
                "foreign": "documents not part of the chain"}[self.kind]
        return f"seq {self.seqs}: {what}" + (f": {self.detail}" if self.detail else "")


@dataclass
class Verification:
    records: int = 0  # records read
    last_seq: int = 0  # the last record's seq
    last_hash: str = GENESIS
    head: dict | None = None  # the head as read before the scan
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, first: int, last: int | None = None, detail: str = "") -> None:
        """A problem with records ``first``..``last``; a run of one kind over consecutive seqs is one range."""
        last = first if last is None else last
        before = self.problems[-1] if self.problems else None
        if before and before.kind == kind and before.last == first - 1 and not detail and not before.detail:
            self.problems[-1] = Problem(kind, before.first, last)
        else:
            self.problems.append(Problem(kind, first, last, detail))

    def as_dict(self) -> dict:
        return {"ok": self.ok, "records": self.records, "last_seq": self.last_seq, "last_hash": self.last_hash,
                "head": self.head, "notes": self.notes,
                "problems": [{"kind": p.kind, "first": p.first, "last": p.last, "message": p.message}
                             for p in self.problems]}


# The last record each trail got from this process: a writer starts there instead of reading the head (one
# engine request fewer per record). Not shared state: another process's records are stepped over on conflict.
_LAST: dict[str, tuple[int, str]] = {}
_LAST_LOCK = threading.Lock()


class Audit:
    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.alias = audit_alias(settings)

    # -- writing ---------------------------------------------------------------------------------------
    def record(self, actor: str, action: str, target: str | None = None, *, ip: str | None = None,
               details: Mapping[str, Any] | None = None, collection: str | None = None,
               query: str | None = None) -> dict:
        """Append one record and return it (with its seq and hash). Raises ``ValueError`` for an action
        not in :class:`Action`, and the engine's errors when the trail cannot be written."""
        if action not in ACTIONS:
            raise ValueError(f"not an audit action: {action!r} (see docsearch.audit.Action)")
        body: dict[str, Any] = {"at": datetime.now(timezone.utc).isoformat(timespec="microseconds"),
                                "actor": actor, "action": str(action)}
        for name, value in (("target", target), ("collection", collection), ("ip", ip), ("query", query)):
            if value is not None:
                body[name] = value
        if details:
            body["details"] = _plain_json(details)
        seq, prev = self._head()
        for _ in range(MAX_STEPS):
            seq += 1
            record = {**body, "seq": seq, "prev": prev}
            record["hash"] = chain_hash(prev, record)
            try:
                self.engine.index(self.alias, str(seq), record, op_type="create", require_alias=True)
            except Conflict:
                taken = self._taken(seq)
                if taken.get("hash") == record["hash"]:  # our own create, sent again by the client
                    break
                prev = taken["hash"]
                continue
            except NotFound as exc:
                raise EngineError(f"the audit index {self.alias} is missing: run `docsearch index ensure`") from exc
            break
        else:
            raise EngineError(f"no free audit seq in {MAX_STEPS} tries past {seq - MAX_STEPS}")
        with _LAST_LOCK:
            if _LAST.get(self.alias, (0, ""))[0] < seq:
                _LAST[self.alias] = (seq, record["hash"])
        self.engine.update(self.alias, HEAD_ID, {
            "script": {"lang": "painless", "source": _ADVANCE,
                       "params": {"seq": seq, "hash": record["hash"], "at": record["at"]}},
            "upsert": {"seq": seq, "hash": record["hash"], "at": record["at"]},
        }, retry_on_conflict=20)
        return record

    def _taken(self, seq: int) -> dict:
        """The record another writer created at ``seq``. The create was refused by the primary copy, but this
        read may reach a replica the write has not reached yet (on a cluster, for milliseconds): not there is
        asked again, for up to 2 seconds, before it is an error."""
        for pause in RETAKE_PAUSES:
            time.sleep(pause)
            taken = self.engine.get(self.alias, str(seq))
            if taken is not None:
                return taken
        raise EngineError(f"audit record {seq} exists and does not: removed while written?")

    def _head(self) -> tuple[int, str]:
        """Where a writer starts: the head, or the last record this process wrote when that is later (the head
        may lag by the records being written now: found by their create conflicts), or (none yet, or removed)
        the last record found by a search."""
        known = _LAST.get(self.alias)
        head = self.engine.get(self.alias, HEAD_ID)
        if head and (known is None or int(head["seq"]) > known[0]):
            # Others wrote since this process last did (a worker writes seldom, the API often): start at the head
            # rather than walk every record written meanwhile.
            return int(head["seq"]), str(head["hash"])
        if known is not None:
            return known
        self.engine.refresh(self.alias)
        hits = self.engine.search(self.alias, {"size": 1, "sort": [{"seq": "desc"}], "_source": ["seq", "hash"],
                                               "query": {"exists": {"field": "action"}}})["hits"]["hits"]
        return (int(hits[0]["_source"]["seq"]), hits[0]["_source"]["hash"]) if hits else (0, GENESIS)

    # -- reading ---------------------------------------------------------------------------------------
    def search(self, *, actor: str | None = None, action: str | None = None, since: datetime | str | None = None,
               until: datetime | str | None = None, q: str | None = None, size: int = 50,
               after: int | None = None) -> dict:
        """Records newest first: ``{"records": [...], "next": seq | None}``; pass ``next`` as ``after``
        for the page after. ``q`` matches the words of a search's query, or a target or actor exactly.
        Raises ``ValueError`` for a bad date."""
        filters: list[dict] = [{"exists": {"field": "action"}}]  # not the head
        if actor:
            filters.append({"term": {"actor": actor}})
        if action:
            filters.append({"term": {"action": action}})
        span = {op: _when(v, name) for op, v, name in (("gte", since, "since"), ("lte", until, "until")) if v}
        if span:
            filters.append({"range": {"at": span}})
        if after is not None:
            filters.append({"range": {"seq": {"lt": after}}})
        query: dict = {"bool": {"filter": filters}}
        if q and q.strip():
            query["bool"]["must"] = [{"simple_query_string": {"query": q, "fields": ["query", "target", "actor"],
                                                              "default_operator": "and", "lenient": True}}]
        size = max(1, min(size, MAX_SIZE))
        hits = self.engine.search(self.alias, {"size": size + 1, "sort": [{"seq": "desc"}], "query": query,
                                               "track_total_hits": False})["hits"]["hits"]
        records = [h["_source"] for h in hits[:size]]
        return {"records": records, "next": records[-1]["seq"] if len(hits) > size else None}

    def last(self) -> dict | None:
        """The head (``{"seq", "hash", "at"}``), the value to keep outside the system; None when empty."""
        return self.engine.get(self.alias, HEAD_ID)

    # -- checking --------------------------------------------------------------------------------------
    def verify(self, anchor: tuple[int, str] | None = None) -> Verification:
        """Read every record in seq order and check the chain and the head; with ``anchor`` (a seq and the
        hash kept for it outside the system), also that the record still has that hash."""
        result = Verification(head=self.engine.get(self.alias, HEAD_ID))  # before the scan: it sees all the
        self.engine.refresh(self.alias)                                      # head names
        head_seq = int(result.head["seq"]) if result.head else 0
        anchored: str | None = None
        expected, prev = 1, GENESIS
        for seq, record in self._records():
            if seq > expected:
                result.add("removed", expected, seq - 1)
            elif record.get("prev") != prev:
                result.add("broken_link", seq)
            if record.get("seq") != seq or chain_hash(str(record.get("prev")), record) != record.get("hash"):
                result.add("modified", seq)
            if result.head and seq == head_seq and record.get("hash") != result.head.get("hash"):
                result.add("head", seq, detail="the head names another hash for it")
            if anchor and seq == anchor[0]:
                anchored = str(record.get("hash"))
            prev, expected = str(record.get("hash")), seq + 1
            result.records, result.last_seq, result.last_hash = result.records + 1, seq, prev
        self._check_ends(result, head_seq)
        if anchor and anchored != anchor[1]:
            result.add("anchor", anchor[0], detail="missing" if anchored is None else f"now {anchored}")
        return result

    def _records(self) -> Iterator[tuple[int, dict]]:
        """``(seq, record)`` in seq order, read by id a chunk at a time; past a chunk that does not run to
        its end, on from the next record there is (so a gap of any size costs one request)."""
        start = 1
        while True:
            ids = [str(i) for i in range(start, start + CHUNK)]
            hits = self.engine.search(self.alias, {"size": CHUNK, "query": {"ids": {"values": ids}}})["hits"]["hits"]
            found = sorted((int(h["_id"]), h["_source"]) for h in hits)
            yield from found
            start += CHUNK
            if found and found[-1][0] == start - 1:
                continue
            after = self.engine.search(self.alias, {"size": 1, "sort": [{"seq": "asc"}], "_source": False,
                                                    "query": {"range": {"seq": {"gte": start}}}})["hits"]["hits"]
            if not after:
                return
            start = int(after[0]["sort"][0])

    def _check_ends(self, result: Verification, head_seq: int) -> None:
        if result.head is None:
            if result.records:
                result.add("head", result.last_seq, detail="the head is missing")
            return
        if head_seq > result.last_seq:
            result.add("removed", result.last_seq + 1, head_seq)
        elif head_seq < result.last_seq:
            result.notes.append(f"the head is {result.last_seq - head_seq} record(s) behind (a writer stopped "
                                f"between its record and the head; the next record moves it)")
        chained = self.engine.count(self.alias, {"query": {"bool": {"must_not": [
            {"ids": {"values": [HEAD_ID]}}, {"range": {"seq": {"gt": result.last_seq}}}]}}})
        if chained > result.records:
            result.add("foreign", result.last_seq, detail=f"{chained - result.records} document(s) with other ids")
