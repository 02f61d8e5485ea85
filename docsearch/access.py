"""Who may read and change what: the caller of a request and the one rule that filters every read.

A **caller** has a role, groups and, per collection, the rights its grants give (``read``, ``write``,
``manage``; a grant names a user or a group). A document is read by the rule of its ``classification``:

- ``public``: every signed-in caller;
- ``reserved`` (the default, also when the field is missing): a caller with ``read`` on one of its collections
  (its home, or one that the same bytes were loaded into: ``sources``), and admins;
- ``sealed``: only the users named in its ``readers``, admins included only when named.

:meth:`Caller.read_filter` is that rule as an engine clause, which the search service adds to every read of
the documents index; :meth:`Caller.may_read` is the same rule over a document's source, for the realtime
read of one document by id. ``tests/test_access.py`` checks that both agree on every case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

ROLES = ("admin", "prosecutor", "judge", "analyst", "viewer")
RIGHTS = ("read", "write", "manage")
CLASSIFICATIONS = ("public", "reserved", "sealed")
DEFAULT_CLASSIFICATION = "reserved"

_EMPTY: Mapping[str, frozenset[str]] = MappingProxyType({})


@dataclass(frozen=True)
class Caller:
    user: str
    role: str
    groups: frozenset[str] = frozenset()
    rights: Mapping[str, frozenset[str]] = field(default_factory=lambda: _EMPTY)  # collection -> rights
    system: bool = False  # workers and local tooling: every document

    @property
    def is_admin(self) -> bool:
        return self.system or self.role == "admin"

    @property
    def signed_in(self) -> bool:
        return self.system or bool(self.user)

    def can(self, right: str, collection: str) -> bool:
        """Whether this caller holds ``right`` on ``collection`` (admins hold every right; a viewer only reads)."""
        if self.is_admin:
            return True
        if right != "read" and self.role == "viewer":
            return False
        return right in self.rights.get(collection, frozenset())

    def having(self, right: str) -> list[str]:
        """The collections this caller holds ``right`` on by its grants (admins hold it on all: not listed)."""
        return sorted(name for name in self.rights if self.can(right, name))

    @property
    def readable(self) -> list[str]:
        """Collections whose reserved documents this caller reads (admins: all, so not listed)."""
        return self.having("read")

    def read_filter(self) -> dict | None:
        """The documents this caller may read, as an engine clause (``None``: every document). Written so the
        engine never walks every document: a sealed document not naming the caller is excluded (cheap beside
        a query), and, below admin, one of the ways in must hold."""
        if self.system:
            return None
        if not self.signed_in:
            return {"bool": {"must_not": [{"match_all": {}}]}}
        sealed_for_others = {"bool": {"filter": [{"term": {"classification": "sealed"}}],
                                      "must_not": [{"term": {"readers": self.user}}]}}
        if self.is_admin:
            return {"bool": {"must_not": [sealed_for_others]}}
        readable = self.readable
        return {"bool": {"must_not": [sealed_for_others], "minimum_should_match": 1, "should": [
            {"term": {"classification": "public"}},
            # reserved (or sealed naming the caller) in a collection it was loaded into: its home, or another
            # load of the same bytes
            {"terms": {"collection": readable}},
            {"terms": {"sources.collection": readable}},
            {"bool": {"filter": [{"term": {"classification": "sealed"}}, {"term": {"readers": self.user}}]}},
        ]}}

    def may_read(self, source: Mapping[str, Any]) -> bool:
        """:meth:`read_filter` over one document's source (needs :data:`ACCESS_FIELDS`)."""
        if self.system:
            return True
        if not self.signed_in:
            return False
        kind = source.get("classification") or DEFAULT_CLASSIFICATION
        if kind == "public":
            return True
        if kind == "sealed":
            return self.user in _values(source.get("readers"))
        loaded_into = _values(source.get("collection")) + [str(s.get("collection")) for s in source.get("sources") or []
                                                           if isinstance(s, Mapping) and s.get("collection")]
        return self.is_admin or any(c in self.readable for c in loaded_into)

    def restrict(self, query: dict) -> dict:
        """``query`` limited to what this caller may read."""
        allowed = self.read_filter()
        return query if allowed is None else {"bool": {"must": [query], "filter": [allowed]}}


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


ACCESS_FIELDS = ["classification", "readers", "collection", "sources.collection"]
"""What :meth:`Caller.may_read` needs of a document's source."""

SYSTEM = Caller(user="system", role="admin", system=True)
"""Workers and local tooling (the command line on the server): every document."""

ANONYMOUS = Caller(user="", role="viewer")
"""No one signed in: nothing."""
