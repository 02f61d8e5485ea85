"""Backups that restore: a snapshot of every index of this prefix, and the original files beside it
(docs/backups.md).

Everything of one prefix lives under ``<backup_dir>/<prefix>/``:

- ``snapshots/``: the engine's filesystem repository, registered as ``<prefix>-backups``. Its files are the
  engine's own; ``backup_dir`` must be in the engine's ``path.repo``.
- ``store/objects/``: the originals, laid out as in the file store (a file's name is its sha256) and shared by
  every backup. Originals never change, so a backup copies only those not there yet.
- ``manifests/<name>.json``: one per backup: the snapshot, the indices of each alias with their document
  counts, and every original (sha256 and size).

Invariants:

- The snapshot is taken first and the originals copied after it: every original the snapshot's records name
  was in the store before its record was written, so it is in the copy (unless deleted in between).
- A file under its final name in ``store/`` hashed to that name when it was copied (it is written under a
  temporary name and renamed); ``verify`` re-hashes every file against the manifest to find later damage.
- The manifest is written last: a backup without one did not finish, and is not restored.
- A restore never merges into live indices: it writes into an engine where this prefix's indices are absent
  (or hold nothing), or deletes them first when told to (``replace``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from docsearch.audit import Action, Audit
from docsearch.engine import Engine, EngineError, NotFound
from docsearch.local_secrets import is_local, private_dir
from docsearch.schema import audit_alias, specs
from docsearch.settings import Settings
from docsearch.store import CHUNK, FileStore

FORMAT = 1  # of the manifest
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")  # what the engines take as a snapshot name, narrowed
SHA256 = re.compile(r"^[0-9a-f]{64}$")
POLL_S = 0.5
WAIT_S = 6 * 3600  # longest wait for a snapshot or a restore to finish


class BackupError(Exception):
    """A backup or restore that cannot go on, with a message saying why and what to do."""


def engine_reason(exc: EngineError) -> str:
    """The engine's own words for a refusal (its root cause), else the client's message."""
    info = exc.info
    error = info.get("error") if isinstance(info, dict) else None
    if isinstance(error, dict):
        root = (error.get("root_cause") or [{}])[0]
        return str(root.get("reason") or error.get("reason") or exc)
    return str(error or exc)


def _request(engine: Engine, method: str, path: str, body: dict | None = None,
             params: dict[str, str] | None = None, timeout: float | None = None) -> Any:
    """One REST call through the engine's client, its errors translated by the facade. The snapshot API is the
    same on OpenSearch and Elasticsearch; the two clients' methods for it take different argument names.
    ``timeout``: seconds to wait for the answer, instead of the settings' engine timeout."""
    if engine.kind == "opensearch":
        call = functools.partial(engine.client.transport.perform_request, method, path, params=params, body=body,
                                 timeout=timeout)
    else:
        client = engine.client.options(request_timeout=timeout) if timeout else engine.client
        headers = {"accept": "application/json"} | ({"content-type": "application/json"} if body is not None else {})
        call = functools.partial(client.perform_request, method, path, params=params, body=body, headers=headers)
    return engine._plain(engine._call(call))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_name() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")


def _check_name(name: str) -> str:
    if not NAME.match(name):
        raise BackupError(f"{name!r} is not a backup name: lowercase letters, digits, '.', '_' and '-', "
                          "starting with a letter or digit (at most 100)")
    return name


@dataclass(frozen=True)
class Layout:
    """Where one prefix's backups live."""

    root: Path

    @property
    def snapshots(self) -> Path:
        return self.root / "snapshots"

    @property
    def store(self) -> FileStore:
        return FileStore(self.root / "store")

    def manifest(self, name: str) -> Path:
        return self.root / "manifests" / f"{name}.json"

    def manifests(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "manifests").glob("*.json"))


@dataclass
class Manifest:
    snapshot: str
    repository: str
    prefix: str
    created_at: str
    engine: dict[str, str]
    # alias -> {"indices": [...], "documents": n} (and "documents_after": m when the count moved during the
    # snapshot: the snapshot holds a count between the two)
    indices: dict[str, dict[str, Any]]
    files: dict[str, int]  # sha256 -> size
    format: int = FORMAT

    @classmethod
    def read(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text())
        return cls(**{k: data[k] for k in ("snapshot", "repository", "prefix", "created_at", "engine", "indices",
                                           "files", "format")})

    def write(self, path: Path) -> None:
        private_dir(path.parent)
        _write_atomically(path, json.dumps(asdict(self), indent=1, sort_keys=True).encode())

    @property
    def index_names(self) -> list[str]:
        return sorted(name for entry in self.indices.values() for name in entry["indices"])

    def expected(self, alias: str) -> tuple[int, int]:
        """The range of documents the alias must hold after a restore."""
        entry = self.indices[alias]
        before, after = entry["documents"], entry.get("documents_after", entry["documents"])
        return min(before, after), max(before, after)


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _copy_checked(src: Path, dest: Path, sha256: str) -> int | None:
    """Copy ``src`` to ``dest`` through a temporary file beside it, hashing the bytes; their size, or None
    (nothing written) when they do not hash to ``sha256``."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".copy-")
    try:
        with os.fdopen(fd, "wb") as out, src.open("rb") as inp:
            while chunk := inp.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha256:
            Path(tmp).unlink()
            return None
        os.replace(tmp, dest)
        return size
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _objects(store: FileStore) -> Iterator[tuple[str, Path]]:
    """Every stored original: (sha256, path)."""
    for path in sorted((store.root / "objects").glob("*/*/*")):
        if SHA256.match(path.name) and path.is_file():
            yield path.name, path


def _within(path: Path, roots: list[str]) -> bool:
    return any(path.resolve().is_relative_to(Path(root).resolve()) for root in roots)


@dataclass
class Created:
    name: str
    manifest: Manifest
    path: Path
    copied: int = 0  # originals copied by this backup
    copied_bytes: int = 0
    kept: int = 0  # originals already in the backup's store
    corrupt: list[str] = field(default_factory=list)  # store files that do not hash to their name (not copied)
    missing: list[str] = field(default_factory=list)  # aliases with no index (not backed up)
    moved: list[str] = field(default_factory=list)  # aliases whose count changed while the snapshot was taken


@dataclass
class Problem:
    what: str  # "repository", "snapshot", "manifest", "index" or "file"
    name: str
    detail: str

    @property
    def message(self) -> str:
        return f"{self.what} {self.name}: {self.detail}"


@dataclass
class Verification:
    name: str
    files: int = 0  # originals re-hashed
    bytes: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Restored:
    name: str
    indices: list[str]
    deleted: list[str] = field(default_factory=list)  # indices of this prefix deleted first
    copied: int = 0  # originals copied back into the store
    present: int = 0  # originals the store already had
    counts: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # alias -> (low, high, found)
    problems: list[Problem] = field(default_factory=list)
    audit_head_before: dict | None = None  # the head of the audit trail the restore replaced

    @property
    def ok(self) -> bool:
        return not self.problems


class Backups:
    """Create, list, verify and restore the backups of one deployment (its settings' prefix)."""

    def __init__(self, engine: Engine, settings: Settings, progress: Callable[[str], None] = lambda line: None):
        assert settings.backup_dir is not None  # Settings fills it in when it is not given
        self.engine, self.settings, self.progress = engine, settings, progress
        self.repository = f"{settings.index_prefix}-backups"
        self.layout = Layout(Path(settings.backup_dir) / settings.index_prefix)
        self.store = FileStore.of(settings)

    # -- the repository --------------------------------------------------------------------------------
    def _path_repo(self) -> list[list[str]] | None:
        """Each node's ``path.repo`` (None when the engine does not say)."""
        try:
            nodes = _request(self.engine, "GET", "/_nodes/settings",
                             params={"filter_path": "nodes.*.name,nodes.*.settings.path.repo"})
        except EngineError:
            return None
        found = []
        for node in (nodes.get("nodes") or {}).values():
            repo = ((node.get("settings") or {}).get("path") or {}).get("repo") or []
            found.append([repo] if isinstance(repo, str) else list(repo))
        return found or None

    def _not_allowed(self) -> BackupError:
        where = self.settings.backup_dir
        if is_local(self.settings.engine_url):
            return BackupError(
                f"The search engine was started without {where} in its path.repo, which it reads only when it "
                f"starts (a node started before backups existed, or with another DOCSEARCH_BACKUP_DIR). Restart "
                f"it: `docsearch services down --only engine`, then `docsearch services up --only engine`.")
        return BackupError(
            f"The search engine does not allow a snapshot repository under {where}: add that directory (one "
            f"every node and this machine reach at the same path) to path.repo in the engine's configuration and "
            f"restart it, or set DOCSEARCH_BACKUP_DIR to a directory under its path.repo (docs/backups.md).")

    def ensure_repository(self) -> None:
        """Register the repository unless it is, at this location (a new cluster finds earlier backups)."""
        location = self.layout.snapshots
        allowed = self._path_repo()
        if allowed is not None and not all(_within(location, roots) for roots in allowed):
            raise self._not_allowed()
        try:
            current = _request(self.engine, "GET", f"/_snapshot/{self.repository}").get(self.repository) or {}
        except NotFound:
            current = {}
        if current.get("type") == "fs" and (current.get("settings") or {}).get("location") == str(location):
            return
        for path in (self.layout.root, location):
            private_dir(path)
        try:
            _request(self.engine, "PUT", f"/_snapshot/{self.repository}",
                     {"type": "fs", "settings": {"location": str(location)}})
        except EngineError as exc:
            if "path.repo" in engine_reason(exc):
                raise self._not_allowed() from exc
            raise

    def snapshot(self, name: str) -> dict | None:
        try:
            found = _request(self.engine, "GET", f"/_snapshot/{self.repository}/{name}")
        except NotFound:
            return None
        snapshots = found.get("snapshots") or []
        return snapshots[0] if snapshots else None

    def snapshots(self) -> list[dict]:
        """The repository's snapshots, oldest first."""
        found = _request(self.engine, "GET", f"/_snapshot/{self.repository}/_all")
        return sorted(found.get("snapshots") or [], key=lambda s: s.get("start_time_in_millis") or 0)

    def _size(self, name: str) -> int | None:
        try:
            status = _request(self.engine, "GET", f"/_snapshot/{self.repository}/{name}/_status")
        except EngineError:
            return None
        snapshots = status.get("snapshots") or [{}]
        return ((snapshots[0].get("stats") or {}).get("total") or {}).get("size_in_bytes")

    # -- create ----------------------------------------------------------------------------------------
    def _counts(self, aliases: list[str]) -> dict[str, int]:
        counts = {}
        for alias in aliases:
            self.engine.refresh(alias)
            counts[alias] = self.engine.count(alias)
        return counts

    def create(self, name: str | None = None) -> Created:
        name = _check_name(name or default_name())
        if self.layout.manifest(name).exists():
            raise BackupError(f"a backup named {name} exists already ({self.layout.manifest(name)})")
        targets = {spec.alias: self.engine.alias_targets(spec.alias) for spec in specs(self.settings)}
        present = {alias: names for alias, names in targets.items() if names}
        if not present:
            raise BackupError(f"the engine has no indices of prefix {self.settings.index_prefix} to back up")
        self.ensure_repository()
        before = self._counts(list(present))
        indices = sorted(n for names in present.values() for n in names)
        self.progress(f"snapshot {name} of {len(indices)} indices: {', '.join(indices)}")
        _request(self.engine, "PUT", f"/_snapshot/{self.repository}/{name}", {
            "indices": ",".join(indices), "include_global_state": False, "ignore_unavailable": False,
            "partial": False, "metadata": {"docsearch_prefix": self.settings.index_prefix},
        }, params={"wait_for_completion": "false"})
        snapshot = self._finished(name)
        if snapshot.get("state") != "SUCCESS":
            failures = "; ".join(str(f.get("reason")) for f in snapshot.get("failures") or [])
            raise BackupError(f"snapshot {name} ended {snapshot.get('state')}" + (f": {failures}" if failures else ""))
        after = self._counts(list(present))

        manifest = Manifest(
            snapshot=name, repository=self.repository, prefix=self.settings.index_prefix, created_at=_now(),
            engine={"kind": self.engine.kind, "version": str((self.engine.info().get("version") or {}).get("number"))},
            indices={alias: {"indices": names, "documents": before[alias]} for alias, names in present.items()},
            files={},
        )
        created = Created(name, manifest, self.layout.manifest(name),
                          missing=[alias for alias in targets if alias not in present])
        for alias in present:
            if after[alias] != before[alias]:
                manifest.indices[alias]["documents_after"] = after[alias]
                created.moved.append(alias)
        self._copy_originals(manifest, created)
        manifest.write(created.path)
        return created

    def _finished(self, name: str) -> dict:
        deadline = time.monotonic() + WAIT_S
        while True:
            snapshot = self.snapshot(name)
            if snapshot is None:
                raise BackupError(f"snapshot {name} vanished from repository {self.repository} while it was taken")
            if snapshot.get("state") not in ("IN_PROGRESS", "STARTED", "INIT"):
                return snapshot
            if time.monotonic() > deadline:
                raise BackupError(f"snapshot {name} still {snapshot.get('state')} after {WAIT_S} s")
            time.sleep(POLL_S)

    def _copy_originals(self, manifest: Manifest, created: Created) -> None:
        backup_store = self.layout.store
        private_dir(backup_store.root)
        for sha, path in _objects(self.store):
            target = backup_store.path_for(sha)
            size = path.stat().st_size
            if target.is_file() and target.stat().st_size == size:
                created.kept += 1
            else:
                copied = _copy_checked(path, target, sha)
                if copied is None:
                    created.corrupt.append(sha)
                    continue
                created.copied += 1
                created.copied_bytes += copied
            manifest.files[sha] = size
        self.progress(f"originals: {created.copied} copied ({created.copied_bytes / 2**20:.1f} MiB), "
                      f"{created.kept} already in the backup")

    # -- list ------------------------------------------------------------------------------------------
    def listing(self) -> list[dict]:
        """Every backup, oldest first: the snapshot's date, state, indices and size, and from its manifest the
        document counts and the originals (a manifest whose snapshot is gone shows as ``MISSING``)."""
        self.ensure_repository()
        rows = []
        seen = set()
        for snapshot in self.snapshots():
            name = snapshot["snapshot"]
            seen.add(name)
            rows.append(self._row(name, snapshot))
        for name in self.layout.manifests():
            if name not in seen:
                rows.append(self._row(name, None))
        return rows

    def _row(self, name: str, snapshot: dict | None) -> dict:
        manifest = self._manifest(name)
        return {
            "name": name,
            "date": (snapshot or {}).get("start_time") or (manifest.created_at if manifest else None),
            "state": (snapshot or {}).get("state", "MISSING"),
            "indices": (snapshot or {}).get("indices", []),
            "size_bytes": self._size(name) if snapshot else None,
            "documents": {alias: entry["documents"] for alias, entry in manifest.indices.items()} if manifest else None,
            "originals": len(manifest.files) if manifest else None,
            "originals_bytes": sum(manifest.files.values()) if manifest else None,
            "manifest": manifest is not None,
        }

    def _manifest(self, name: str) -> Manifest | None:
        path = self.layout.manifest(name)
        try:
            return Manifest.read(path)
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupError(f"the manifest {path} cannot be read: {exc}") from exc

    # -- verify ----------------------------------------------------------------------------------------
    def latest(self) -> str:
        snapshots = self.snapshots()
        if not snapshots:
            raise BackupError(f"no backups in repository {self.repository} ({self.layout.snapshots})")
        return snapshots[-1]["snapshot"]

    def verify(self, name: str | None = None) -> Verification:
        """The engine's check of the repository, the snapshot's state, and every original of the manifest
        re-hashed in the backup's store."""
        self.ensure_repository()
        name = _check_name(name) if name else self.latest()
        result = Verification(name)
        try:
            _request(self.engine, "POST", f"/_snapshot/{self.repository}/_verify")
        except EngineError as exc:
            result.problems.append(Problem("repository", self.repository, engine_reason(exc)))
        snapshot = self.snapshot(name)
        if snapshot is None:
            result.problems.append(Problem("snapshot", name, "not in the repository"))
        elif snapshot.get("state") != "SUCCESS":
            result.problems.append(Problem("snapshot", name, f"state {snapshot.get('state')}, not SUCCESS"))
        else:
            try:  # reads each shard's metadata back from the repository
                _request(self.engine, "GET", f"/_snapshot/{self.repository}/{name}/_status")
            except EngineError as exc:
                result.problems.append(Problem("snapshot", name, f"unreadable: {engine_reason(exc)}"))
        manifest = self._manifest(name)
        if manifest is None:
            result.problems.append(Problem("manifest", name, f"missing ({self.layout.manifest(name)}): the backup "
                                           "did not finish, and its originals cannot be checked"))
            return result
        if snapshot is not None:
            for index in sorted(set(manifest.index_names) - set(snapshot.get("indices") or [])):
                result.problems.append(Problem("index", index, "in the manifest but not in the snapshot"))
        store = self.layout.store
        for sha, size in sorted(manifest.files.items()):
            path = store.path_for(sha)
            relative = path.relative_to(self.layout.root)
            if not path.is_file():
                result.problems.append(Problem("file", str(relative), "missing from the backup"))
                continue
            found = _hash(path)
            result.files += 1
            result.bytes += path.stat().st_size
            if found != sha:
                result.problems.append(Problem("file", str(relative), f"damaged: its bytes hash to {found}"))
            elif path.stat().st_size != size:
                result.problems.append(Problem("file", str(relative), f"{path.stat().st_size} bytes, not {size}"))
        return result

    # -- restore ---------------------------------------------------------------------------------------
    def present(self, manifest: Manifest | None = None) -> dict[str, int]:
        """The indices of this prefix in the engine (behind its aliases, or named as the backup's), with the
        documents each holds."""
        names = {spec.alias for spec in specs(self.settings)} | set(manifest.index_names if manifest else [])
        found = _request(self.engine, "GET", "/" + ",".join(sorted(names)),
                         params={"ignore_unavailable": "true", "allow_no_indices": "true"})
        return {index: self.engine.count(index) for index in sorted(found)}

    def restore(self, name: str, replace: bool = False) -> Restored:
        """Restore backup ``name`` into this engine under the same names (the aliases come back), then its
        originals into the store, then check the document counts against the manifest.

        Indices of this prefix that hold documents are refused unless ``replace`` (they are deleted first);
        empty ones (as ``docsearch services up`` creates them) are replaced."""
        name = _check_name(name)
        manifest = self._manifest(name)
        if manifest is None:
            raise BackupError(f"no manifest for backup {name} in {self.layout.root / 'manifests'}: is "
                              f"DOCSEARCH_BACKUP_DIR where it was made, and DOCSEARCH_INDEX_PREFIX its prefix? "
                              f"(`docsearch backup list` shows the backups there)")
        self.ensure_repository()
        snapshot = self.snapshot(name)
        if snapshot is None or snapshot.get("state") != "SUCCESS":
            state = "not in the repository" if snapshot is None else f"in state {snapshot.get('state')}"
            raise BackupError(f"snapshot {name} is {state}: it cannot be restored")
        present = self.present(manifest)
        holding = {index: n for index, n in present.items() if n}
        if holding and not replace:
            listed = ", ".join(f"{index} ({n} documents)" for index, n in holding.items())
            raise BackupError(f"the engine already has indices of prefix {self.settings.index_prefix}: {listed}. "
                              "Restore into an engine without them, or replace them (--replace --yes deletes them "
                              "first)")
        result = Restored(name, list(snapshot.get("indices") or []), deleted=sorted(present))
        result.audit_head_before = Audit(self.engine, self.settings).last()
        for index in result.deleted:
            self.engine.delete_index(index)
        if result.deleted:
            self.progress(f"deleted {len(result.deleted)} indices: {', '.join(result.deleted)}")
        self.progress(f"restoring snapshot {name}: {', '.join(result.indices)}")
        # Answered once every primary shard was recovered, or failed to be.
        restored = _request(self.engine, "POST", f"/_snapshot/{self.repository}/{name}/_restore", {
            "indices": ",".join(result.indices), "include_global_state": False, "include_aliases": True,
            "partial": False,
        }, params={"wait_for_completion": "true"}, timeout=WAIT_S)
        shards = (restored.get("snapshot") or {}).get("shards") or {}
        if shards.get("failed"):
            raise BackupError(f"{shards['failed']} of {shards.get('total')} shards of snapshot {name} could not be "
                              f"restored: `docsearch backup verify {name}`, and the engine's log")
        self._copy_back(manifest, result)
        for alias in manifest.indices:
            low, high = manifest.expected(alias)
            try:
                self.engine.refresh(alias)
                found = self.engine.count(alias)
            except NotFound:
                result.problems.append(Problem("index", alias, "the alias did not come back"))
                continue
            result.counts[alias] = (low, high, found)
            if not low <= found <= high:
                expected = str(low) if low == high else f"{low}-{high}"
                result.problems.append(Problem("index", alias, f"{found} documents, the backup holds {expected}"))
        return result

    def _copy_back(self, manifest: Manifest, result: Restored) -> None:
        backup_store = self.layout.store
        private_dir(self.store.root)
        for sha, size in sorted(manifest.files.items()):
            target = self.store.path_for(sha)
            if target.is_file() and target.stat().st_size == size:
                result.present += 1
                continue
            source = backup_store.path_for(sha)
            relative = str(source.relative_to(self.layout.root))
            if not source.is_file():
                result.problems.append(Problem("file", relative, "missing from the backup: not restored"))
            elif _copy_checked(source, target, sha) is None:
                result.problems.append(Problem("file", relative, "damaged in the backup: not restored"))
            else:
                result.copied += 1
        self.progress(f"originals: {result.copied} copied into the store, {result.present} already there")

    # -- audit -----------------------------------------------------------------------------------------
    def record(self, actor: str, action: Action, name: str, details: dict[str, Any]) -> bool:
        """Write ``action`` to the audit trail when this engine has one; False when it has none."""
        if not self.engine.alias_targets(audit_alias(self.settings)):
            return False
        Audit(self.engine, self.settings).record(actor, action, name, details=details)
        return True
