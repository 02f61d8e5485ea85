"""Users, groups, collections with their grants, API tokens and sign-in sessions, kept in the engine.

One index (``<prefix>-accounts``) holds a record per user, group, collection, token and session, told apart
by ``kind``; nothing lives in process memory, so any number of API processes share them. Passwords are
hashed with argon2id; tokens and session ids are random and stored only as SHA-256 digests, so a copy of
the index signs no one in. A user who fails to sign in ``login_attempts`` times in a row is locked for
``lockout_minutes``.

:meth:`Accounts.caller` turns a user into a :class:`docsearch.access.Caller`: its role, its groups and,
per collection, the rights granted to the user or to one of its groups.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import MappingProxyType

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from docsearch.access import CLASSIFICATIONS, DEFAULT_CLASSIFICATION, RIGHTS, ROLES, Caller
from docsearch.engine import Engine
from docsearch.migration import update_document
from docsearch.settings import Settings

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
COLLECTION = re.compile(r"^[\w][\w .-]{0,99}$")
DISPLAY_NAME_MAX = 120
MIN_PASSWORD = 12
_HASHER = PasswordHasher()  # argon2id with the library's current parameters
_DUMMY = _HASHER.hash("not a password of anyone")  # checked for unknown users: the same time either way


class AccountError(ValueError):
    """A change the caller can fix (``code`` for the API: exists, not_found, weak_password, invalid)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class BadCredentials(Exception):
    pass


class Locked(Exception):
    def __init__(self, seconds: int):
        super().__init__(f"locked for {seconds} s")
        self.seconds = seconds


@dataclass(frozen=True)
class Session:
    caller: Caller
    csrf_hash: str


class Recent:
    """Who a token or session was a moment ago, so that a burst of requests costs one lookup, not three
    engine requests each. Kept :data:`RECENT_S` seconds in this process only: what changes in this process
    (sign-out, a revoked token, a user or a grant changed) drops it at once; another API process sees the
    change within that time."""

    def __init__(self, ttl: float, size: int = 10_000):
        self.ttl, self.size = ttl, size
        self._seen: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> object | None:
        with self._lock:
            found = self._seen.get(key)
        return found[1] if found and found[0] > time.monotonic() else None

    def put(self, key: str, value: object) -> None:
        with self._lock:
            if len(self._seen) >= self.size:
                self._seen.clear()
            self._seen[key] = (time.monotonic() + self.ttl, value)

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()


RECENT_S = 2.0
RECENT = Recent(RECENT_S)
HIDDEN = Recent(RECENT_S)  # the hidden collections, per accounts index


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Accounts:
    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.settings = settings
        self.index = settings.accounts_alias

    # -- users -------------------------------------------------------------------------------------------
    def create_user(self, username: str, password: str, role: str, groups: Iterable[str] = (),
                    email: str | None = None) -> dict:
        _check_name(username, "username")
        _check_role(role)
        _check_password(password)
        now = _iso(_now())
        record = {"kind": "user", "name": username, "role": role, "groups": _groups(groups), "disabled": False,
                  "password_hash": _HASHER.hash(password), "failed_logins": 0, "created_at": now, "updated_at": now}
        if email:
            record["email"] = _check_email(email)
        if not self.engine.create(self.index, f"user:{username}", record, refresh="wait_for"):
            raise AccountError("exists", f"There is already a user '{username}'.")
        return _public(record)

    def change_user(self, username: str, *, role: str | None = None, groups: Iterable[str] | None = None,
                    disabled: bool | None = None, password: str | None = None, email: str | None = None) -> dict:
        record = self._user(username)
        if record is None:
            raise AccountError("not_found", f"There is no user '{username}'.")
        if email is not None:  # "" clears it
            record["email"] = _check_email(email) if email else None
        if role is not None:
            _check_role(role)
            record["role"] = role
        if groups is not None:
            record["groups"] = _groups(groups)
        if disabled is not None:
            record["disabled"] = disabled
        if password is not None:
            _check_password(password)
            record.update(password_hash=_HASHER.hash(password), failed_logins=0, locked_until=None)
        record["updated_at"] = _iso(_now())
        self.engine.index(self.index, f"user:{username}", record, refresh="wait_for")
        if disabled or password is not None:
            self._end_sessions(username)
        RECENT.clear()
        return _public(record)

    def users(self) -> list[dict]:
        return [_public(r) for r in self._all("user")]

    def user(self, username: str) -> dict | None:
        record = self._user(username)
        return _public(record) if record else None

    def _user(self, username: str) -> dict | None:
        if not NAME.match(username or ""):
            return None
        return self.engine.get(self.index, f"user:{username}")

    def caller(self, username: str) -> Caller | None:
        """The caller this user is now, or None when unknown or disabled."""
        record = self._user(username)
        if record is None or record.get("disabled"):
            return None
        groups = frozenset(record.get("groups") or [])
        principals = [f"user:{username}"] + [f"group:{g}" for g in sorted(groups)]
        rights: dict[str, set[str]] = {}
        body = {"size": 10_000, "_source": ["name", "grants"], "query": {"bool": {"filter": [
            {"term": {"kind": "collection"}}, {"terms": {"grants.principal": principals}}]}}}
        for hit in self.engine.search(self.index, body)["hits"]["hits"]:
            for grant in hit["_source"].get("grants") or []:
                if grant.get("principal") in principals:
                    rights.setdefault(hit["_source"]["name"], set()).update(grant.get("rights") or [])
        return Caller(user=username, role=record.get("role") or "viewer", groups=groups,
                      rights=MappingProxyType({c: frozenset(r) for c, r in rights.items()}))

    # -- signing in --------------------------------------------------------------------------------------
    def login(self, username: str, password: str) -> Caller:
        """The caller for these credentials; :class:`BadCredentials` or :class:`Locked` otherwise."""
        record = self._user(username) if isinstance(username, str) else None
        now = _now()
        locked = _parse(record.get("locked_until")) if record else None
        if locked and locked > now:
            raise Locked(int((locked - now).total_seconds()) + 1)
        try:
            _HASHER.verify((record or {}).get("password_hash") or _DUMMY, password)
            ok = record is not None and not record.get("disabled")
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            if record is not None:
                self._failed(username, record, now)
            raise BadCredentials()
        assert record is not None
        changes: dict = {"failed_logins": 0, "locked_until": None, "last_used_at": _iso(now)}
        if _HASHER.check_needs_rehash(record["password_hash"]):
            changes["password_hash"] = _HASHER.hash(password)
        self.engine.update(self.index, f"user:{username}", {"doc": changes})
        caller = self.caller(username)
        if caller is None:
            raise BadCredentials()
        return caller

    def _failed(self, username: str, record: dict, now: datetime) -> None:
        failed = int(record.get("failed_logins") or 0) + 1
        changes: dict = {"failed_logins": failed}
        if failed >= self.settings.login_attempts:
            changes.update(failed_logins=0, locked_until=_iso(now + timedelta(minutes=self.settings.lockout_minutes)))
        self.engine.update(self.index, f"user:{username}", {"doc": changes}, refresh="wait_for")

    def start_session(self, caller: Caller) -> tuple[str, str]:
        """A new session of this caller: ``(session id, CSRF token)``, both shown once."""
        sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        now = _now()
        self.engine.index(self.index, f"session:{digest(sid)}", {
            "kind": "session", "user": caller.user, "csrf_hash": digest(csrf), "created_at": _iso(now),
            "expires_at": _iso(now + timedelta(hours=self.settings.session_hours))})
        return sid, csrf

    def session(self, sid: str) -> Session | None:
        key = f"{self.index}/session:{digest(sid)}"
        known = RECENT.get(key) if sid else None
        if isinstance(known, Session):
            return known
        found = self._session(sid)
        if found is not None:
            RECENT.put(key, found)
        return found

    def _session(self, sid: str) -> Session | None:
        record = self.engine.get(self.index, f"session:{digest(sid)}") if sid else None
        if record is None or record.get("kind") != "session":
            return None
        expires = _parse(record.get("expires_at"))
        if expires is None or expires <= _now():
            self.end_session(sid)
            return None
        caller = self.caller(record.get("user") or "")
        return Session(caller, record.get("csrf_hash") or "") if caller else None

    def end_session(self, sid: str) -> None:
        self.engine.delete(self.index, f"session:{digest(sid)}", refresh="wait_for")
        RECENT.clear()

    def _end_sessions(self, username: str) -> None:
        self.engine.refresh(self.index)  # a session started a moment ago is ended too
        self.engine.delete_by_query(self.index, {"query": {"bool": {"filter": [
            {"term": {"kind": "session"}}, {"term": {"user": username}}]}}})

    # -- API tokens --------------------------------------------------------------------------------------
    def create_token(self, username: str, name: str) -> dict:
        token = "ds_" + secrets.token_urlsafe(32)
        key = digest(token)
        record = {"kind": "token", "user": username, "name": (name or "token")[:100], "created_at": _iso(_now())}
        self.engine.index(self.index, f"token:{key}", record, refresh="wait_for")
        return {"id": key[:16], "name": record["name"], "created_at": record["created_at"], "token": token}

    def _token_hits(self, username: str) -> list[dict]:
        self.engine.refresh(self.index)  # a token made a moment ago is listed too
        body = {"size": 1000, "query": {"bool": {"filter": [{"term": {"kind": "token"}}, {"term": {"user": username}}]}},
                "sort": [{"created_at": "desc"}]}
        return self.engine.search(self.index, body)["hits"]["hits"]

    def tokens(self, username: str) -> list[dict]:
        return [{"id": hit["_id"].split(":", 1)[1][:16], "name": hit["_source"].get("name"),
                 "created_at": hit["_source"].get("created_at"), "last_used_at": hit["_source"].get("last_used_at")}
                for hit in self._token_hits(username)]

    def delete_token(self, username: str, token_id: str) -> bool:
        """Revoke one of ``username``'s tokens by the id :meth:`tokens` lists (the start of its digest)."""
        if not re.fullmatch(r"[0-9a-f]{16}", token_id or ""):
            return False
        found = [hit["_id"] for hit in self._token_hits(username) if hit["_id"].startswith(f"token:{token_id}")]
        deleted = any([self.engine.delete(self.index, key, refresh="wait_for") for key in found])
        RECENT.clear()
        return deleted

    def caller_for_token(self, token: str) -> Caller | None:
        if not token.startswith("ds_") or len(token) > 200:
            return None
        key = f"{self.index}/token:{digest(token)}"
        known = RECENT.get(key)
        if isinstance(known, Caller):
            return known
        record = self.engine.get(self.index, f"token:{digest(token)}")
        if record is None or record.get("kind") != "token":
            return None
        caller = self.caller(record.get("user") or "")
        if caller is not None:
            RECENT.put(key, caller)
        return caller

    # -- collections and grants --------------------------------------------------------------------------
    def set_collection(self, name: str, *, default_classification: str = DEFAULT_CLASSIFICATION,
                       grants: Iterable[dict] = (), display_name: str | None = None,
                       hidden: bool | None = None) -> dict:
        """Set a collection's grants and the classification of its new documents; ``display_name`` (the name
        the interface shows: "" removes it) and ``hidden`` (left out of a search that chooses no collection)
        stay as they were when None."""
        if not COLLECTION.match(name or ""):
            raise AccountError("invalid", "A collection name is 1-100 letters, digits, spaces, dots or dashes.")
        if default_classification not in CLASSIFICATIONS:
            raise AccountError("invalid", f"classification is one of {', '.join(CLASSIFICATIONS)}.")
        rows = []
        for grant in grants:
            principal, rights = str(grant.get("principal") or ""), sorted(set(grant.get("rights") or []))
            kind, _, who = principal.partition(":")
            if kind not in ("user", "group") or not NAME.match(who):
                raise AccountError("invalid", f"A grant names 'user:<name>' or 'group:<name>', not '{principal}'.")
            if not rights or not set(rights) <= set(RIGHTS):
                raise AccountError("invalid", f"rights are some of {', '.join(RIGHTS)}.")
            rows.append({"principal": principal, "rights": rights})
        before = (self.collection(name) or {}) if display_name is None or hidden is None else {}
        shown = before.get("display_name") if display_name is None else display_label(display_name)
        record = {"kind": "collection", "name": name, "default_classification": default_classification,
                  "grants": rows, "display_name": shown or None,
                  "hidden": bool(before.get("hidden")) if hidden is None else bool(hidden), "updated_at": _iso(_now())}
        self.engine.index(self.index, f"collection:{name}", record, refresh="wait_for")
        RECENT.clear()
        HIDDEN.clear()
        return _collection(record)

    def collection(self, name: str) -> dict | None:
        record = self.engine.get(self.index, f"collection:{name}") if COLLECTION.match(name or "") else None
        return _collection(record) if record else None

    def collections(self, also: Iterable[str] = ()) -> list[dict]:
        """Every collection with its settings: those set, and those named in ``also`` (collections holding
        documents) with none set yet."""
        found = {r["name"]: _collection(r) for r in self._all("collection")}
        for name in also:
            found.setdefault(name, _collection({"name": name}))
        return [found[name] for name in sorted(found)]

    def hidden_collections(self) -> tuple[str, ...]:
        """The collections a search leaves out unless it chooses them (kept :data:`RECENT_S` seconds in this
        process; a change made here drops it at once)."""
        known = HIDDEN.get(self.index)
        if isinstance(known, tuple):
            return known
        body = {"size": 10_000, "_source": ["name"], "query": {"bool": {"filter": [
            {"term": {"kind": "collection"}}, {"term": {"hidden": True}}]}}}
        found = tuple(sorted(hit["_source"]["name"] for hit in self.engine.search(self.index, body)["hits"]["hits"]))
        HIDDEN.put(self.index, found)
        return found

    def default_classification(self, collection: str) -> str:
        found = self.collection(collection)
        return (found or {}).get("default_classification") or DEFAULT_CLASSIFICATION

    def _all(self, kind: str) -> list[dict]:
        body = {"size": 10_000, "query": {"term": {"kind": kind}}, "sort": [{"name": "asc"}]}
        return [hit["_source"] for hit in self.engine.search(self.index, body)["hits"]["hits"]]


def display_label(value: str) -> str:
    """A collection's display name as given: spaces trimmed and collapsed; 1-120 characters, no control
    characters ("" removes it)."""
    text = " ".join(str(value).split())
    if len(text) > DISPLAY_NAME_MAX or any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        raise AccountError("invalid", f"A display name is at most {DISPLAY_NAME_MAX} characters, "
                                      "without control characters.")
    return text


def _collection(record: dict) -> dict:
    """A collection as the API shows it: every setting, with its defaults."""
    out = {"name": record["name"], "default_classification": DEFAULT_CLASSIFICATION, "grants": [],
           "display_name": None, "hidden": False, **_public(record)}
    out["hidden"] = bool(out.get("hidden"))
    return out


def _public(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("password_hash", "csrf_hash", "kind", "failed_logins")}


def _groups(groups: Iterable[str]) -> list[str]:
    out = sorted({g.strip() for g in groups if g and g.strip()})
    for group in out:
        _check_name(group, "group")
    return out


def _check_name(name: str, what: str) -> None:
    if not isinstance(name, str) or not NAME.match(name):
        raise AccountError("invalid", f"A {what} is 2-64 lower-case letters, digits, dots, dashes or underscores.")


_EMAIL = re.compile(r"^[^@\s<>\"',;]{1,64}@[A-Za-z0-9.-]{1,253}$")


def _check_email(email: str) -> str:
    """An address notification e-mails may go to (one mailbox, no display name, no list)."""
    email = email.strip()
    if not _EMAIL.match(email):
        raise AccountError("invalid", f"'{email}' is not an e-mail address such as ana.quispe@mpfn.gob.pe.")
    return email


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError("invalid", f"role is one of {', '.join(ROLES)}.")


def _check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError("weak_password", f"A password has at least {MIN_PASSWORD} characters.")
    if len(password) > 1024:
        raise AccountError("weak_password", "A password has at most 1024 characters.")


def classify(engine: Engine, settings: Settings, doc_id: str, classification: str, readers: Iterable[str] = ()) -> dict:
    """Set who may read a document: its classification, and the users a sealed one is open to."""
    if classification not in CLASSIFICATIONS:
        raise AccountError("invalid", f"classification is one of {', '.join(CLASSIFICATIONS)}.")
    names = sorted({r.strip() for r in readers if r and r.strip()})
    for name in names:
        _check_name(name, "reader")
    if classification == "sealed" and not names:
        raise AccountError("invalid", "A sealed document names at least one reader.")
    changes = {"classification": classification, "readers": names}
    update_document(engine, settings, doc_id, {"doc": changes}, refresh="wait_for")
    return changes


def first_admin(accounts: Accounts, username: str = "admin") -> tuple[str, str] | None:
    """Create an administrator with a random password when there is no user yet (a new installation):
    ``(username, password)``, or None when users exist. The password is shown once, stored only as a hash."""
    if accounts.users():
        return None
    password = secrets.token_urlsafe(18)
    try:
        accounts.create_user(username, password, "admin")
    except AccountError:
        return None  # another process made it first
    return username, password
