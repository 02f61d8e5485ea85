"""The chain of custody on a stack of its own (its store is damaged here on purpose): each document's loads,
``docsearch custody verify`` on a clean and on a damaged store, exports for court checked with ``unzip``,
``sha256sum -c`` and ``openssl``, and with ``docsearch custody check-export`` after tampering, what a reader
without access gets, and the audit records of it all (docs/custody.md)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from docsearch.accounts import Accounts
from docsearch.audit import Audit
from docsearch.exports import Asked, ExportError, public_pem, write_export
from docsearch.search import SearchService
from docsearch.store import FileStore
from services import stack
from services.client import Client
from tests import pdfs
from tests.conftest import private_stack

PASSWORD = "clave-de-custodia-123"
MISSING = "0" * 64


@pytest.fixture(scope="module")
def custody(services, tmp_path_factory):
    """A private stack: collection A (ana reads and loads it) and B (only admins). ``one`` loaded by ana into
    A and by the admin into B; ``two`` by the admin into B; ``three`` by the admin into A."""
    data = tmp_path_factory.mktemp("custody")
    folder = data / "pdfs"
    # Lexical search: the results of a query are exactly the documents holding its words.
    with private_stack(services, data, default_search_mode="lexical") as live:
        tag = uuid.uuid4().hex[:6]
        a, b, ana = f"fiscalia-{tag}", f"reservado-{tag}", f"ana-{tag}"
        accounts = Accounts(live.engine, live.settings)
        accounts.create_user(ana, PASSWORD, "prosecutor")
        accounts.set_collection(a, grants=[{"principal": f"user:{ana}", "rights": ["read", "write"]}])
        accounts.set_collection(b, grants=[])
        ana_client = Client(live.url, token=accounts.create_token(ana, "test")["token"], refresh=live.refresh)
        files = {
            "one": pdfs.text_pdf(folder / "informe policial.pdf", ["Informe sobre lavado de activos de la "
                                                                    "organización Los Topazos en Chiclayo."]),
            "two": pdfs.text_pdf(folder / "reservado.pdf", ["Colaboración eficaz: lavado de activos y cuentas "
                                                             "del investigado Quenallata."]),
            "three": pdfs.text_pdf(folder / "acta.pdf", ["Acta de incautación de droga en el puerto del Callao."]),
        }
        for client, key, collection in ((ana_client, "one", a), (live, "one", b), (live, "two", b),
                                         (live, "three", a)):
            batch = client.wait_batch(client.upload([files[key]], collection=collection))
            assert batch["counts"]["indexed"] == 1, batch
        live.refresh()
        ids = {key: hashlib.sha256(path.read_bytes()).hexdigest() for key, path in files.items()}
        yield {"live": live, "ana": ana_client, "ana_name": ana, "a": a, "b": b, "ids": ids, "files": files}


def _cli(live, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], env=stack.env_for(live.settings),
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def _records(live, action: str) -> list[dict]:
    audit = Audit(live.engine, live.settings)
    live.engine.refresh(audit.alias)
    return audit.search(action=action, size=100)["records"]


def _export(client: Client, **body) -> tuple[int, bytes, dict]:
    with client.client() as http:
        resp = http.post("/api/exports", json=body, timeout=120)
    return resp.status_code, resp.content, dict(resp.headers)


def _altered(data: bytes) -> bytes:
    """One bit of ``data`` changed, in its middle."""
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=120)


# -- what is recorded ------------------------------------------------------------------------------------

def test_a_document_shows_every_load_of_its_bytes(custody):
    live, ids = custody["live"], custody["ids"]
    data = custody["files"]["one"].read_bytes()
    with live.client() as http:
        doc = http.get(f"/api/documents/{ids['one']}").json()
    chain = doc["custody"]
    assert chain["sha256"] == doc["id"] == hashlib.sha256(data).hexdigest() and chain["size"] == len(data)
    loads = {load["collection"]: load for load in chain["loads"]}
    assert set(loads) == {custody["a"], custody["b"]}
    assert loads[custody["a"]]["uploader"] == custody["ana_name"] and loads[custody["b"]]["uploader"] == "admin"
    assert loads[custody["a"]]["status"] == loads[custody["b"]]["status"] == "indexed"
    assert loads[custody["a"]]["loaded_at"] < loads[custody["b"]]["loaded_at"]
    for load in chain["loads"]:
        assert load["name"] == "informe policial.pdf" and load["origin"] == "api" and load["batch"]
        datetime.fromisoformat(load["loaded_at"])
    # ana reads collection A only: the load into B is not hers to see.
    with custody["ana"].client() as http:
        hers = http.get(f"/api/documents/{ids['one']}").json()["custody"]
    assert [load["collection"] for load in hers["loads"]] == [custody["a"]]
    shown = _cli(live, "custody", "show", ids["one"], "--json")
    assert shown.returncode == 0, shown.stderr
    found = json.loads(shown.stdout)
    assert found["original"] == "intact" and len(found["loads"]) == 2


# -- the store's check -----------------------------------------------------------------------------------

def test_verify_passes_on_a_clean_store_then_names_each_modified_missing_and_orphan_original(custody):
    live, ids = custody["live"], custody["ids"]
    clean = _cli(live, "custody", "verify", "--json")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    report = json.loads(clean.stdout)
    assert report["ok"] and report["documents"] == 3 and report["files"] == 3 and not report["findings"]

    store = FileStore.of(live.settings)
    modified, missing = store.path_for(ids["two"]), store.path_for(ids["three"])
    kept = {modified: modified.read_bytes(), missing: missing.read_bytes()}
    stray = b"%PDF-1.4 un archivo que nadie cargo"
    orphan = store.path_for(hashlib.sha256(stray).hexdigest())
    try:
        modified.write_bytes(_altered(kept[modified]))
        missing.unlink()
        orphan.parent.mkdir(parents=True, exist_ok=True)
        orphan.write_bytes(stray)

        damaged = _cli(live, "custody", "verify", "--json")
        assert damaged.returncode == 1, damaged.stdout + damaged.stderr
        found = {(f["kind"], f["sha256"]) for f in json.loads(damaged.stdout)["findings"]}
        assert found == {("modified", ids["two"]), ("missing", ids["three"]), ("orphan", orphan.name)}
        human = _cli(live, "custody", "verify")
        assert human.returncode == 1 and "store damaged" in human.stderr and ids["two"] in human.stderr

        with live.client() as http:
            answer = http.post("/api/admin/custody/verify")
        assert answer.status_code == 200, answer.text
        assert answer.json()["counts"] == {"modified": 1, "missing": 1, "orphan": 1}
        with custody["ana"].client() as http:
            assert http.post("/api/admin/custody/verify").status_code == 403
        # An export refuses what the store no longer holds as it was loaded.
        status, body, _ = _export(live, ids=[ids["two"]])
        assert status == 409 and json.loads(body)["error"]["code"] == "original_modified"
        status, body, _ = _export(live, ids=[ids["three"]])
        assert status == 409 and json.loads(body)["error"]["code"] == "original_missing"
    finally:
        for path, data in kept.items():
            path.write_bytes(data)
        orphan.unlink(missing_ok=True)
    again = _cli(live, "custody", "verify", "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["ok"]

    runs = _records(live, "custody_verify")
    assert [r["details"]["ok"] for r in runs[:5]] == [True, False, False, False, True]
    assert runs[1]["actor"] == "admin" and runs[1]["details"]["modified"] == 1  # the API's run
    assert runs[0]["actor"].startswith("cli:")


# -- exports ---------------------------------------------------------------------------------------------

def _unzipped(content: bytes, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "export.zip").write_bytes(content)
    done = _run("unzip", "-q", "export.zip", "-d", "export", cwd=folder)
    assert done.returncode == 0, done.stderr
    return folder / "export"


def test_an_export_checks_with_unzip_sha256sum_and_openssl(custody, tmp_path):
    live, ids = custody["live"], custody["ids"]
    status, content, headers = _export(live, q="lavado de activos", filters={"collection": [custody["a"], custody["b"]]})
    assert status == 200, content[:500]
    assert headers["content-type"] == "application/zip"
    folder = _unzipped(content, tmp_path)
    sums = _run("sha256sum", "-c", "SHA256SUMS", cwd=folder)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    assert sums.stdout.count(": OK") == 2
    manifest = json.loads((folder / "manifest.json").read_text())
    assert _run("sha256sum", "SHA256SUMS", cwd=folder).stdout.split()[0] == manifest["sha256sums"]
    signed = _run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "signing-key.pem", "-rawin",
                  "-in", "manifest.json", "-sigfile", "manifest.json.sig", cwd=folder)
    assert signed.returncode == 0, signed.stdout + signed.stderr
    der = subprocess.run(["openssl", "pkey", "-pubin", "-in", "signing-key.pem", "-outform", "DER"], cwd=folder,
                         capture_output=True, check=True).stdout
    assert hashlib.sha256(der).hexdigest() == manifest["signature"]["key_id"]

    assert manifest["exported_by"] == "admin" and manifest["count"] == manifest["total"] == 2 and manifest["complete"]
    assert manifest["query"] == {"q": "lavado de activos", "filters": {"collection": [custody["a"], custody["b"]]},
                                 "sort": "relevance", "limit": 100}
    rows = {row["id"]: row for row in manifest["documents"]}
    assert set(rows) == {ids["one"], ids["two"]}
    one = rows[ids["one"]]
    assert one["file"] == f"originals/{ids['one']}/informe policial.pdf"
    assert (folder / one["file"]).read_bytes() == custody["files"]["one"].read_bytes()
    assert one["size"] == custody["files"]["one"].stat().st_size and one["page_count"] == 1
    assert {load["uploader"] for load in one["loads"]} == {custody["ana_name"], "admin"}

    checked = _cli(live, "custody", "check-export", str(tmp_path / "export.zip"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "export intact" in checked.stdout and "this deployment's key" in checked.stdout

    records = [r for r in _records(live, "export") if r.get("target") == headers["x-export-manifest-sha256"]]
    assert len(records) == 1 and records[0]["actor"] == "admin" and records[0]["query"] == "lavado de activos"
    assert records[0]["details"]["count"] == 2 and sorted(records[0]["details"]["documents"]) == sorted(rows)
    assert hashlib.sha256((folder / "manifest.json").read_bytes()).hexdigest() == records[0]["target"]


def _rewritten(source: Path, target: Path, change) -> Path:
    """``source`` with each member passed through ``change(name, data) -> data``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
    return target


def test_check_export_fails_on_a_tampered_file_manifest_or_key(custody, tmp_path):
    live, ids = custody["live"], custody["ids"]
    status, content, _ = _export(live, ids=[ids["one"], ids["three"]])
    assert status == 200, content[:500]
    good = tmp_path / "good.zip"
    good.write_bytes(content)
    assert _cli(live, "custody", "check-export", str(good)).returncode == 0
    one = f"originals/{ids['one']}/informe policial.pdf"

    def file_changed(name, data):
        return _altered(data) if name == one else data

    bad_file = _rewritten(good, tmp_path / "file.zip", file_changed)
    result = _cli(live, "custody", "check-export", str(bad_file))
    assert result.returncode == 1 and "modified" in result.stderr and one in result.stderr
    folder = _unzipped(bad_file.read_bytes(), tmp_path / "u1")
    assert _run("sha256sum", "-c", "--quiet", "SHA256SUMS", cwd=folder).returncode == 1

    # The file and its line in SHA256SUMS changed together: sha256sum -c passes, the signed manifest does not.
    changed = hashlib.sha256(file_changed(one, good_member(good, one))).hexdigest()

    def both_changed(name, data):
        data = file_changed(name, data)
        return data.replace(f"{ids['one']}  ".encode(), f"{changed}  ".encode()) if name == "SHA256SUMS" else data

    bad_sums = _rewritten(good, tmp_path / "sums.zip", both_changed)
    folder = _unzipped(bad_sums.read_bytes(), tmp_path / "u2")
    assert _run("sha256sum", "-c", "--quiet", "SHA256SUMS", cwd=folder).returncode == 0
    result = _cli(live, "custody", "check-export", str(bad_sums))
    assert result.returncode == 1 and "SHA256SUMS is not the one the manifest names" in result.stderr

    def manifest_changed(name, data):
        return data.replace(b'"exported_by": "admin"', b'"exported_by": "otro"') if name == "manifest.json" else data

    bad_manifest = _rewritten(good, tmp_path / "manifest.zip", manifest_changed)
    result = _cli(live, "custody", "check-export", str(bad_manifest))
    assert result.returncode == 1 and "signature does not match" in result.stderr
    folder = _unzipped(bad_manifest.read_bytes(), tmp_path / "u3")
    assert _run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "signing-key.pem", "-rawin", "-in",
                "manifest.json", "-sigfile", "manifest.json.sig", cwd=folder).returncode != 0

    # Changed and signed again with another key (put in the export): the deployment's key refuses it, and a
    # check with only the key inside says whose key that is.
    other = Ed25519PrivateKey.generate()
    resigned = {}

    def resign(name, data):
        if name == "manifest.json":
            resigned["body"] = manifest_changed(name, data)
            return resigned["body"]
        if name == "manifest.json.sig":
            return other.sign(resigned["body"])
        return public_pem(other.public_key()) if name == "signing-key.pem" else data

    forged = _rewritten(good, tmp_path / "forged.zip", resign)
    result = _cli(live, "custody", "check-export", str(forged))
    assert result.returncode == 1 and "signature does not match" in result.stderr
    official = tmp_path / "official.pem"
    assert _cli(live, "custody", "key", "-o", str(official)).returncode == 0
    assert _cli(live, "custody", "check-export", str(forged), "--key", str(official)).returncode == 1
    assert _cli(live, "custody", "check-export", str(good), "--key", str(official)).returncode == 0


def good_member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def test_a_reader_exports_only_what_they_may_read(custody, tmp_path):
    live, ids, ana = custody["live"], custody["ids"], custody["ana"]
    status, content, _ = _export(ana, q="lavado de activos")
    assert status == 200, content[:500]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert [row["id"] for row in manifest["documents"]] == [ids["one"]]
        assert not any(ids["two"] in name for name in archive.namelist())
    assert manifest["exported_by"] == custody["ana_name"]
    assert [load["collection"] for load in manifest["documents"][0]["loads"]] == [custody["a"]]
    # A document she may not read is refused exactly like one that does not exist.
    refused = _export(ana, ids=[ids["two"]])
    absent = _export(ana, ids=[MISSING])
    assert refused[0] == absent[0] == 404
    assert json.loads(refused[1])["error"]["code"] == json.loads(absent[1])["error"]["code"] == "not_found"
    # The command line on the server, as her.
    target = tmp_path / "ana.zip"
    result = _cli(live, "export", "--q", "lavado de activos", "--as-user", custody["ana_name"], "-o", str(target))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(target) as archive:
        assert [row["id"] for row in json.loads(archive.read("manifest.json"))["documents"]] == [ids["one"]]
    assert _cli(live, "custody", "check-export", str(target)).returncode == 0


def test_exports_that_cannot_be_made_say_why(custody, tmp_path):
    live, ids = custody["live"], custody["ids"]
    for body, status, code in (({"q": "lavado", "ids": [ids["one"]]}, 400, "bad_request"),
                               ({"q": "lavado", "limit": 5000}, 422, "invalid_request"),
                               ({"ids": ["no-es-un-id"]}, 422, "invalid_request"),
                               ({"q": "palabrainexistentezq"}, 404, "not_found"),
                               ({"q": "lavado", "filters": {"year": ["dos mil"]}}, 400, "invalid_query")):
        answer = _export(live, **body)
        assert answer[0] == status, (body, answer[1][:300])
        assert json.loads(answer[1])["error"]["code"] == code
    # Too large: nothing is written.
    service = SearchService(live.engine, live.settings)
    out = io.BytesIO()
    with pytest.raises(ExportError) as raised:
        write_export(service, live.settings, Asked(ids=(ids["one"],)), out, "test", max_bytes=10)
    assert raised.value.code == "too_large" and out.getvalue() == b""
    target = tmp_path / "x.zip"
    result = _cli(live, "export", "lavado", "--limit", "5000", "-o", str(target))
    assert result.returncode == 2 and "limit is between 1 and 1000" in result.stderr and not target.exists()
    assert not list(tmp_path.iterdir())  # no part left behind
