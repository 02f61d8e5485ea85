"""Exports for court: the originals of a set of documents in a ZIP, with their hashes and a signed manifest.

An export holds, at its root (docs/custody.md)::

    originals/<sha256>/<name it was loaded under>   one per document, its bytes as stored
    SHA256SUMS                                       "<sha256>  originals/...": ``sha256sum -c SHA256SUMS``
    manifest.json                                    what was exported, by whom, when, asked how; every file
                                                     with its sha256, size, names and loads; the sha256 of
                                                     SHA256SUMS
    manifest.json.sig                                Ed25519 signature of manifest.json (64 raw bytes)
    signing-key.pem                                  the public key that verifies it

Invariants: every original is hashed while it is copied, and must hash to its document's id (the store is
content-addressed), else nothing is exported; only documents the caller may read are chosen (a search of its
own, or ids it may read); an export is all of what was asked (up to its ``limit``) or an error, never a part
of it in silence. The signing key is made the first time it is needed and kept with the deployment's other
secrets (``<data_dir>/secrets``, mode 0600); its id is the sha256 of the public key's DER form, which
``openssl pkey -pubin -in signing-key.pem -outform DER | sha256sum`` prints too.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from docsearch.custody import SHA256, provenance
from docsearch.local_secrets import PRIVATE_FILE, private_dir, secrets_dir
from docsearch.search import MAX_PAGE_SIZE, SearchRequest, SearchService
from docsearch.settings import Settings
from docsearch.store import CHUNK

FORMAT = "docsearch-export/1"
MAX_DOCUMENTS = 1000
MAX_BYTES = 2 * 1024**3  # the originals of one export together
KEY_FILE = "export-signing-key.pem"
MANIFEST, SIGNATURE, SUMS, PUBLIC_KEY, ORIGINALS = ("manifest.json", "manifest.json.sig", "SHA256SUMS",
                                                     "signing-key.pem", "originals")
MAX_NAME = 120  # characters of a readable file name inside the ZIP
_UNSAFE = re.compile(r"[^\w .()+,-]+")


class ExportError(Exception):
    """An export that cannot be made as asked; ``code``: ``not_found`` (ids the caller cannot read, or that do
    not exist), ``too_large``, ``bad_request``, ``original_missing`` or ``original_modified`` (the store is
    damaged: ``docsearch custody verify`` says how)."""

    def __init__(self, code: str, message: str, detail: Any = None):
        super().__init__(message)
        self.code, self.message, self.detail = code, message, detail


# -- the signing key -------------------------------------------------------------------------------------

def key_path(settings: Settings) -> Path:
    return secrets_dir(settings.data_dir) / KEY_FILE


def signing_key(settings: Settings) -> Ed25519PrivateKey:
    """This deployment's export signing key, made the first time (two processes making it at once keep the
    first one written: the file is linked into place, never replaced)."""
    path = key_path(settings)
    if not path.exists():
        private_dir(path.parent)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(pem)
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def key_id(key: Ed25519PublicKey) -> str:
    """sha256 of the public key's DER (SubjectPublicKeyInfo) form: what to publish, and compare."""
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """A public key from PEM; ``ValueError`` when it is not an Ed25519 one."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


# -- what is exported ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Asked:
    """What to export: the results of ``request`` (up to ``limit``, in result order), or the documents ``ids``."""

    request: SearchRequest | None = None
    limit: int = 100
    ids: tuple[str, ...] = ()

    def described(self) -> dict:
        """The query as the manifest and the audit trail record it."""
        if self.request is None:
            return {"ids": list(self.ids)}
        filters: dict[str, Any] = {name: list(values) for name, values in self.request.filters}
        for bound in ("year_from", "year_to"):
            if getattr(self.request, bound) is not None:
                filters[bound] = getattr(self.request, bound)
        out = {"q": self.request.q, "filters": filters, "sort": self.request.sort, "limit": self.limit}
        if self.request.mode:
            out["mode"] = self.request.mode
        if self.request.hidden and "collection" not in filters:  # collections an administrator hid
            out["left_out"] = list(self.request.hidden)
        return out


def safe_name(name: str, fallback: str) -> str:
    """A file name that every system and ``sha256sum`` take as it is: the last part of ``name``, letters,
    digits and a few signs kept, anything else ``_``, at most :data:`MAX_NAME` characters."""
    last = unicodedata.normalize("NFC", name.replace("\\", "/")).rsplit("/", 1)[-1]
    clean = _UNSAFE.sub("_", last).strip(" ._")
    if len(clean) > MAX_NAME:
        stem, dot, ext = clean.rpartition(".")
        clean = (stem[:MAX_NAME - len(ext) - 1] + "." + ext) if dot and len(ext) <= 8 else clean[:MAX_NAME]
    return clean or fallback


def _chosen(service: SearchService, asked: Asked) -> tuple[list[str], int]:
    """The ids to export, in order, and how many the search matched (for ids: how many were given)."""
    if asked.request is None:
        ids = list(dict.fromkeys(asked.ids))
        bad = [i for i in ids if not SHA256.match(i)]
        if bad:
            raise ExportError("bad_request", f"Not a document id (a sha256: 64 characters 0-9a-f): {bad[0]!r}.")
        if not ids:
            raise ExportError("bad_request", "Name at least one document, or give a search.")
        if len(ids) > MAX_DOCUMENTS:
            raise ExportError("too_large", f"At most {MAX_DOCUMENTS} documents per export; {len(ids)} were named.")
        unreadable = [i for i in ids if service.document(i) is None]
        if unreadable:
            raise ExportError("not_found", f"No document {unreadable[0]}" + (
                f" (nor {len(unreadable) - 1} more)" if len(unreadable) > 1 else "") + ".", {"ids": unreadable})
        return ids, len(ids)
    if not 1 <= asked.limit <= MAX_DOCUMENTS:
        raise ExportError("bad_request", f"limit is between 1 and {MAX_DOCUMENTS}.")
    request = replace(asked.request, page=1, size=min(MAX_PAGE_SIZE, asked.limit), facets=False,
                      search_after=None).validate(service.registry)
    ids, total = [], 0
    while len(ids) < asked.limit:
        answer = service.search(request)
        total = total or int(answer["total"])
        ids += [r["id"] for r in answer["results"]][:asked.limit - len(ids)]
        after = answer.get("next_search_after")
        if not after or not answer["results"]:
            break
        request = replace(request, search_after=after)
    if not ids:
        raise ExportError("not_found", "No document matches this search: there is nothing to export.")
    return list(dict.fromkeys(ids)), max(total, len(ids))


def write_export(service: SearchService, settings: Settings, asked: Asked, out: IO[bytes], actor: str,
                 max_bytes: int = MAX_BYTES) -> dict:
    """Write the export of what ``asked`` names, as ``service``'s caller may read it, to ``out`` (a new,
    seekable file); return its manifest, with ``manifest_sha256`` beside it (not in the signed file). Raises
    :class:`ExportError` before anything is written when it cannot be made, and while it is written when an
    original no longer hashes to its id (``out`` then holds a part: throw it away)."""
    ids, total = _chosen(service, asked)
    found: list[tuple[str, Path | None, dict]] = []
    for doc_id in ids:
        hit = service.file_path(doc_id)
        if hit is None:
            found.append((doc_id, None, {}))
        else:
            found.append((doc_id, hit[0], hit[1]))
    missing = [doc_id for doc_id, path, _ in found if path is None]
    if missing:
        raise ExportError("original_missing", f"The original of {missing[0]} is not in the store"
                          f"{f' (nor those of {len(missing) - 1} more)' if len(missing) > 1 else ''}; "
                          "an administrator should run `docsearch custody verify`.", {"ids": missing})
    sizes = {doc_id: path.stat().st_size for doc_id, path, _ in found if path is not None}
    if sum(sizes.values()) > max_bytes:
        raise ExportError("too_large", f"These {len(ids)} originals hold {sum(sizes.values()):,} bytes; an export "
                          f"holds at most {max_bytes:,}. Narrow the search, or export it in parts.",
                          {"bytes": sum(sizes.values()), "max_bytes": max_bytes})
    key = signing_key(settings)
    stamp = datetime.now(timezone.utc)
    rows: list[dict[str, Any]] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for doc_id, path, meta in found:
            assert path is not None
            origin = provenance(service.engine, settings, doc_id, service.caller) or {}
            names = list(meta.get("source_paths") or []) or [load["name"] for load in origin.get("loads") or []
                                                             if load.get("name")]
            member = f"{ORIGINALS}/{doc_id}/{safe_name(names[0] if names else '', f'{doc_id}.pdf')}"
            info = zipfile.ZipInfo(member, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED  # the bytes as they are: PDFs hardly compress
            digest, size = hashlib.sha256(), 0
            with path.open("rb") as src, archive.open(info, "w", force_zip64=True) as dst:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    dst.write(chunk)
            if digest.hexdigest() != doc_id:
                raise ExportError("original_modified", f"The stored original of {doc_id} no longer hashes to its "
                                  "id: it was changed after it was loaded. Nothing was exported; an administrator "
                                  "should run `docsearch custody verify`.", {"ids": [doc_id]})
            rows.append({"id": doc_id, "sha256": doc_id, "size": size, "file": member, "title": meta.get("title"),
                         "page_count": None, "names": names, "ingested_at": origin.get("ingested_at"),
                         "loads": origin.get("loads") or []})
        _page_counts(service, rows)
        sums = "".join(f"{row['sha256']}  {row['file']}\n" for row in rows).encode()
        size_total = sum(row["size"] for row in rows)
        public = key.public_key()
        manifest = {
            "format": FORMAT,
            "exported_at": stamp.isoformat(timespec="seconds"),
            "exported_by": actor,
            "query": asked.described() if asked.request is not None else None,
            "ids": list(asked.ids) if asked.request is None else None,
            "total": total, "count": len(rows), "complete": len(rows) >= total,
            "bytes": size_total,
            "sha256sums": hashlib.sha256(sums).hexdigest(),
            "signature": {"algorithm": "Ed25519", "file": SIGNATURE, "public_key": PUBLIC_KEY,
                          "key_id": key_id(public)},
            "verify": [f"sha256sum -c {SUMS}",
                       f"sha256sum {SUMS}   # the same as \"sha256sums\" here",
                       f"openssl pkeyutl -verify -pubin -inkey {PUBLIC_KEY} -rawin -in {MANIFEST} -sigfile {SIGNATURE}",
                       f"openssl pkey -pubin -in {PUBLIC_KEY} -outform DER | sha256sum   # the key id, as published"],
            "documents": rows,
        }
        body = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
        archive.writestr(SUMS, sums)
        archive.writestr(MANIFEST, body)
        archive.writestr(SIGNATURE, key.sign(body))
        archive.writestr(PUBLIC_KEY, public_pem(public))
    return {**manifest, "manifest_sha256": hashlib.sha256(body).hexdigest()}


def _page_counts(service: SearchService, rows: list[dict]) -> None:
    """Each row's page count, read in one request."""
    if not rows:
        return
    hits = service.engine.search(service.settings.documents_alias, {
        "size": len(rows), "_source": ["page_count"], "query": {"ids": {"values": [r["id"] for r in rows]}}})
    counts = {h["_id"]: h["_source"].get("page_count") for h in hits["hits"]["hits"]}
    for row in rows:
        row["page_count"] = counts.get(row["id"])


# -- checking an export ----------------------------------------------------------------------------------

@dataclass
class Check:
    ok: bool
    problems: list[str]
    key_id: str | None = None  # the key that verified (or failed to verify) the signature
    trusted: bool = False  # that key was given (or is this deployment's), not only the one inside the export
    documents: int = 0
    manifest: dict | None = None

    def as_dict(self) -> dict:
        return {"ok": self.ok, "problems": self.problems, "key_id": self.key_id, "trusted": self.trusted,
                "documents": self.documents}


def _hash_member(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with archive.open(name) as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def check_export(source: str | Path | BinaryIO, trusted: Ed25519PublicKey | None = None) -> Check:
    """Check an export: its signature (with ``trusted``, else the key inside it), that SHA256SUMS is the one the
    manifest names, and that every original is there, listed and hashing to its sha256 (which is its id)."""
    problems: list[str] = []
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        return Check(False, [f"not a readable ZIP archive: {exc}"])
    with archive:
        members = set(archive.namelist())
        absent = [n for n in (MANIFEST, SIGNATURE, SUMS) if n not in members]
        if absent:
            return Check(False, [f"{n} is missing" for n in absent])
        body, signature = archive.read(MANIFEST), archive.read(SIGNATURE)
        key = trusted
        if key is None and PUBLIC_KEY in members:
            try:
                key = load_public_key(archive.read(PUBLIC_KEY))
            except ValueError as exc:
                problems.append(f"{PUBLIC_KEY}: {exc}")
        check = Check(False, problems, key_id(key) if key else None, trusted is not None)
        if key is None:
            problems.append("no public key to check the signature with")
        else:
            try:
                key.verify(signature, body)
            except InvalidSignature:
                problems.append(f"the signature does not match {MANIFEST}: it was changed, or signed by another "
                                f"key than {check.key_id}")
        try:
            manifest = json.loads(body)
            rows = list(manifest["documents"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"{MANIFEST} is not an export manifest")
            return check
        check.manifest, check.documents = manifest, len(rows)
        sums = archive.read(SUMS)
        if hashlib.sha256(sums).hexdigest() != manifest.get("sha256sums"):
            problems.append(f"{SUMS} is not the one the manifest names (its sha256 differs)")
        listed = {}
        for line in sums.decode("utf-8", "replace").splitlines():
            digest, _, name = line.partition("  ")
            listed[name] = digest
        expected = {row.get("file"): row.get("sha256") for row in rows}
        if listed != expected:
            problems.append(f"{SUMS} and {MANIFEST} list different files or hashes")
        for row in rows:
            name, sha = str(row.get("file")), row.get("sha256")
            if sha != row.get("id"):
                problems.append(f"{name}: its sha256 is not its document id")
            if name not in members:
                problems.append(f"{name}: missing")
                continue
            actual, size = _hash_member(archive, name)
            if actual != sha:
                problems.append(f"{name}: modified (sha256 {actual}, the manifest says {sha})")
            elif size != row.get("size"):
                problems.append(f"{name}: {size} bytes, the manifest says {row.get('size')}")
        extra = sorted(members - set(expected) - {MANIFEST, SIGNATURE, SUMS, PUBLIC_KEY}
                       - {n for n in members if n.endswith("/")})
        problems += [f"{name}: not listed in the manifest" for name in extra]
        if any(PurePosixPath(n).is_absolute() or ".." in PurePosixPath(n).parts for n in members):
            problems.append("the archive holds a path outside its folder")
    check.ok = not problems
    return check
