"""Case folders ("carpetas de caso"): a named working set of documents that a user builds across searches and
shares with chosen colleagues.

- A **folder** has an owner, a name, an optional note and members (``user:<name>`` or ``group:<name>``). The
  owner renames, shares and deletes it; the owner and its members add and remove documents and write the note
  of each document in it.
- An **item** is one document in one folder, with who added it, when, and an optional note.

Invariants: a document is added only by someone who may read it; a folder shows, counts and exports only the
documents its reader may read now (a member who may not read a document added by another neither sees it nor
counts it); a folder someone is not part of is answered as one that does not exist. Every change and export is
recorded in the audit trail by the caller (docs/audit.md).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from docsearch.access import Caller
from docsearch.accounts import Accounts
from docsearch.audit import Action, Audit
from docsearch.engine import Engine
from docsearch.schema import workspace_alias
from docsearch.search import SearchService
from docsearch.settings import Settings
from docsearch.workspace import WorkspaceError, cell, documents, link, make_id, may_read, now, one_line

MAX_NAME = 200
MAX_NOTE = 4000
MAX_FOLDERS = 500  # folders a user owns
MAX_MEMBERS = 100
MAX_ITEMS = 1000  # documents in one folder (an export's limit too)
LISTED = 10_000  # items read at once when folders are listed, to count them
MEMBER = re.compile(r"^(user|group):[\w][\w .@-]{0,99}$")
CSV_COLUMNS = ("title", "id", "collection", "type", "court", "year", "pages", "added_by", "added_at", "note", "link")


def principals(caller: Caller) -> list[str]:
    """Who the caller is, as folders name their members."""
    return [f"user:{caller.user}", *(f"group:{g}" for g in sorted(caller.groups))]


@dataclass
class Folders:
    """The case folders ``caller`` owns or is a member of."""

    engine: Engine
    settings: Settings
    caller: Caller

    @property
    def index(self) -> str:
        return workspace_alias(self.settings)

    @property
    def service(self) -> SearchService:
        return SearchService(self.engine, self.settings, caller=self.caller)

    def _record(self, action: Action, target: str, details: dict[str, Any]) -> None:
        Audit(self.engine, self.settings).record(self.caller.user, action, target, details=details)

    # -- folders -----------------------------------------------------------------------------------------
    def _visible(self) -> dict:
        return {"bool": {"filter": [{"term": {"kind": "folder"}}], "minimum_should_match": 1,
                         "should": [{"term": {"owner": self.caller.user}},
                                    {"terms": {"members": principals(self.caller)}}]}}

    def _folder(self, id: str, owner_only: bool = False) -> dict:
        record = self.engine.get(self.index, id) if re.fullmatch(r"[0-9a-f]{24}", id or "") else None
        if record is None or record.get("kind") != "folder" or not self._part_of(record):
            raise WorkspaceError("not_found", f"You have no folder {id}.")
        if owner_only and record["owner"] != self.caller.user:
            raise WorkspaceError("forbidden", "Only the folder's owner may rename, share or delete it.")
        return record

    def _part_of(self, record: dict) -> bool:
        return record.get("owner") == self.caller.user or bool(set(record.get("members") or [])
                                                                & set(principals(self.caller)))

    def _items(self, folder_ids: list[str], size: int = MAX_ITEMS) -> list[dict]:
        if not folder_ids:
            return []
        hits = self.engine.search(self.index, {
            "size": size, "sort": [{"created_at": "desc"}, {"id": "asc"}],
            "query": {"bool": {"filter": [{"term": {"kind": "item"}}, {"terms": {"folder_id": folder_ids}}]}}})
        return [hit["_source"] for hit in hits["hits"]["hits"]]

    def all(self) -> list[dict]:
        """The caller's folders and those shared with them, newest change first, each with the number of its
        documents the caller may read."""
        hits = self.engine.search(self.index, {"size": MAX_FOLDERS * 2, "sort": [{"updated_at": "desc"}],
                                               "query": self._visible()})["hits"]["hits"]
        folders = [hit["_source"] for hit in hits]
        items = self._items([f["id"] for f in folders], LISTED)
        readable = self.service.readable(sorted({i["document_id"] for i in items}))
        counts: dict[str, int] = {}
        for item in items:
            if item["document_id"] in readable:
                counts[item["folder_id"]] = counts.get(item["folder_id"], 0) + 1
        return [self._shown(f, counts.get(f["id"], 0)) for f in folders]

    def get(self, id: str) -> dict:
        """One folder with the documents in it the caller may read, newest first."""
        folder = self._folder(id)
        items = self._items([id])
        shown = documents(self.service, [i["document_id"] for i in items])
        rows = [{"document_id": i["document_id"], **shown[i["document_id"]], "note": i.get("note") or "",
                 "added_by": i.get("added_by"), "added_at": i.get("created_at")}
                for i in items if i["document_id"] in shown]
        return {**self._shown(folder, len(rows)), "items": rows}

    def _shown(self, folder: dict, count: int) -> dict:
        out = {k: folder.get(k) for k in ("id", "name", "owner", "created_at", "updated_at")}
        return {**out, "note": folder.get("note") or "", "members": list(folder.get("members") or []),
                "count": count, "mine": folder["owner"] == self.caller.user}

    def create(self, name: str, note: str = "", members: list[str] | None = None) -> dict:
        name = one_line(name, MAX_NAME, "A folder's name")
        note = (note or "").strip()[:MAX_NOTE]
        chosen = self._members(members or [])
        if self.engine.count(self.index, {"query": {"bool": {"filter": [
                {"term": {"kind": "folder"}}, {"term": {"owner": self.caller.user}}]}}}) >= MAX_FOLDERS:
            raise WorkspaceError("limit", f"At most {MAX_FOLDERS} folders per user; delete some first.")
        at = now()
        id = make_id("folder", self.caller.user, at, name)
        record = {"kind": "folder", "id": id, "owner": self.caller.user, "name": name, "note": note,
                  "members": chosen, "created_at": at, "updated_at": at}
        self.engine.index(self.index, id, record, refresh="wait_for")
        self._record(Action.FOLDER_CREATE, id, {"name": name, "members": chosen})
        return self._shown(record, 0)

    def change(self, id: str, *, name: str | None = None, note: str | None = None,
               members: list[str] | None = None) -> dict:
        """Rename the folder, change its note or its members (the owner only)."""
        folder = self._folder(id, owner_only=True)
        change: dict[str, Any] = {}
        if name is not None:
            change["name"] = one_line(name, MAX_NAME, "A folder's name")
        if note is not None:
            change["note"] = note.strip()[:MAX_NOTE]
        if members is not None:
            change["members"] = self._members(members)
        if not change:
            return self.get(id)
        change["updated_at"] = now()
        self.engine.update(self.index, id, {"doc": change}, refresh="wait_for")
        if "name" in change or "note" in change:
            self._record(Action.FOLDER_CHANGE, id, {k: change[k] for k in ("name", "note") if k in change})
        if "members" in change:
            self._record(Action.FOLDER_SHARE, id, {"members": change["members"],
                                                   "before": list(folder.get("members") or [])})
        return self.get(id)

    def _members(self, members: list[str]) -> list[str]:
        chosen = list(dict.fromkeys(" ".join(m.split()) for m in members if m and m.strip()))
        if len(chosen) > MAX_MEMBERS:
            raise WorkspaceError("invalid", f"At most {MAX_MEMBERS} members per folder.")
        accounts = Accounts(self.engine, self.settings)
        for member in chosen:
            if not MEMBER.match(member):
                raise WorkspaceError("invalid", f"A member is user:<username> or group:<group>, not {member!r}.")
            kind, _, name = member.partition(":")
            if kind == "user" and accounts.user(name) is None:
                raise WorkspaceError("invalid", f"There is no user {name!r}.")
        return [m for m in chosen if m != f"user:{self.caller.user}"]

    def delete(self, id: str) -> None:
        folder = self._folder(id, owner_only=True)
        self.engine.delete_by_query(self.index, {"query": {"bool": {"filter": [
            {"term": {"kind": "item"}}, {"term": {"folder_id": id}}]}}})
        self.engine.delete(self.index, id, refresh="wait_for")
        self._record(Action.FOLDER_DELETE, id, {"name": folder["name"]})

    # -- the documents in a folder -----------------------------------------------------------------------
    def add(self, id: str, doc_id: str, note: str = "") -> dict:
        """Add a document the caller may read (again: its note is replaced when one is given)."""
        folder = self._folder(id)
        may_read(self.service, doc_id)
        item_id = make_id("item", id, doc_id)
        existing = self.engine.get(self.index, item_id)
        if existing is None and self.engine.count(self.index, {"query": {"bool": {"filter": [
                {"term": {"kind": "item"}}, {"term": {"folder_id": id}}]}}}) >= MAX_ITEMS:
            raise WorkspaceError("limit", f"At most {MAX_ITEMS} documents per folder.")
        at = now()
        note = (note or "").strip()[:MAX_NOTE]
        record = existing or {"kind": "item", "id": item_id, "folder_id": id, "document_id": doc_id,
                              "added_by": self.caller.user, "created_at": at, "note": ""}
        if note or existing is None:
            record = {**record, "note": note or record.get("note") or ""}
        record["updated_at"] = at
        self.engine.index(self.index, item_id, record, refresh="wait_for")
        self.engine.update(self.index, id, {"doc": {"updated_at": at}}, refresh="wait_for")
        if existing is None:
            self._record(Action.FOLDER_ADD, id, {"document": doc_id, "name": folder["name"]})
        elif note:
            self._record(Action.FOLDER_CHANGE, id, {"document": doc_id, "note": note})
        return self._item(record)

    def note(self, id: str, doc_id: str, note: str) -> dict:
        """Change the note of a document in the folder."""
        self._folder(id)
        may_read(self.service, doc_id)
        item_id = make_id("item", id, doc_id)
        record = self.engine.get(self.index, item_id)
        if record is None:
            raise WorkspaceError("not_found", f"Document {doc_id} is not in this folder.")
        record = {**record, "note": (note or "").strip()[:MAX_NOTE], "updated_at": now()}
        self.engine.index(self.index, item_id, record, refresh="wait_for")
        self._record(Action.FOLDER_CHANGE, id, {"document": doc_id, "note": record["note"]})
        return self._item(record)

    def remove(self, id: str, doc_id: str) -> None:
        """Take a document out of the folder (one the caller may not read is not theirs to see, nor remove)."""
        folder = self._folder(id)
        may_read(self.service, doc_id)
        item_id = make_id("item", id, doc_id)
        if self.engine.get(self.index, item_id) is None:
            raise WorkspaceError("not_found", f"Document {doc_id} is not in this folder.")
        self.engine.delete(self.index, item_id, refresh="wait_for")
        self.engine.update(self.index, id, {"doc": {"updated_at": now()}}, refresh="wait_for")
        self._record(Action.FOLDER_REMOVE, id, {"document": doc_id, "name": folder["name"]})

    def _item(self, record: dict) -> dict:
        return {"document_id": record["document_id"], "note": record.get("note") or "",
                "added_by": record.get("added_by"), "added_at": record.get("created_at")}

    # -- exports -----------------------------------------------------------------------------------------
    def spreadsheet(self, id: str) -> tuple[dict, bytes]:
        """The folder and its readable documents as CSV (UTF-8 with a BOM, which Excel needs to read accents):
        one row per document, :data:`CSV_COLUMNS`. Recorded in the audit trail."""
        folder = self.get(id)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for row in folder["items"]:
            writer.writerow([cell(row.get("title")), row["document_id"], cell(row.get("collection")),
                             cell(row.get("doc_type")), cell(row.get("institution")), cell(row.get("year")),
                             cell(row.get("page_count")), cell(row.get("added_by")), cell(row.get("added_at")),
                             cell(row.get("note")), link(self.settings.public_url, row["document_id"])])
        self._record(Action.FOLDER_EXPORT, id, {"format": "csv", "count": folder["count"],
                                                "documents": [r["document_id"] for r in folder["items"]]})
        return folder, ("\ufeff" + out.getvalue()).encode("utf-8")

    def readable_ids(self, id: str) -> tuple[dict, list[str]]:
        """The folder and the ids of its documents the caller may read (what its ZIP of originals holds)."""
        folder = self.get(id)
        return folder, [row["document_id"] for row in folder["items"]]

