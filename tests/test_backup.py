"""Backups that restore: documents loaded through a stack with its own engine node and worker are backed up with
`docsearch backup create`, then restored into a second, empty node that shares nothing with the first but the
backup directory (its ``path.repo``); the restored engine must answer a fixed set of searches exactly as the
first did, and its store must hold every original. Then a damaged original in the backup fails `verify`.

Two engine nodes of their own (like tests/test_faults.py): the shared node may have been started before it had a
``path.repo``, and a restore needs an engine without the prefix's indices.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from docsearch.audit import Audit
from docsearch.engine import Engine
from docsearch.schema import audit_alias, specs
from docsearch.search import SearchService
from docsearch.search.request import SearchRequest
from docsearch.settings import Settings
from docsearch.store import FileStore
from samples import corpus as sample_corpus
from services import opensearch, stack
from services.stack import free_port
from tests.conftest import make_settings, private_stack

pytestmark = pytest.mark.faults  # starts and stops engine nodes of its own

NAME = "nightly-1"
# A fixed query set: words, a phrase, a filter, a facet-only browse, a query in English (translated and by meaning).
QUERIES = [
    SearchRequest.create("lavado de activos", size=20),
    SearchRequest.create('"prisión preventiva"', size=20),
    SearchRequest.create("cocaína", filters={"collection": ["casos"]}, size=20),
    SearchRequest.create("", size=20, sort="date_desc"),
    SearchRequest.create("mutual legal assistance", size=20),
]


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], env=stack.env_for(settings),
                          capture_output=True, text=True, timeout=600)


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def _answers(settings: Settings) -> list[dict]:
    """The search service's answer to each query, without its timing. Budgets are raised so that a cold engine
    counts every facet (a facet past its budget would be reported partial, and differ for that reason only)."""
    patient = settings.model_copy(update={"facet_budget_ms": 30_000, "fuzzy_budget_ms": 30_000})
    engine = Engine.connect(patient)
    try:
        service = SearchService(engine, patient)
        answers = []
        for request in QUERIES:
            answer = service.search(request)
            answer.pop("took_ms", None)
            assert answer["partial_facets"] == [], request
            answers.append(answer)
        return answers
    finally:
        engine.close()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def backed_up(services, tmp_path_factory):
    """A stack with its own engine node and worker; the sample corpus loaded into two collections, the fixed
    queries answered, then `backup create`. Yields (settings, answers, manifest, document ids)."""
    data = tmp_path_factory.mktemp("backup-source")
    pdfs = sample_corpus.generate(data / "corpus")
    with private_stack(services, data, components=("engine", "worker"),
                       engine_url=f"http://127.0.0.1:{free_port()}", engine_kind="opensearch",
                       worker_concurrency=1, ocr_concurrency=1, max_pages=200) as source:
        for collection, files in (("casos", pdfs[:3]), ("manuales", pdfs[3:])):
            folder = data / collection
            folder.mkdir()
            for pdf in files:
                (folder / pdf.name).write_bytes(pdf.read_bytes())
            result = _cli(source.settings, "ingest", str(folder), "--collection", collection, "--wait", "--json")
            assert result.returncode == 0, result.stdout + result.stderr
            loaded = json.loads(result.stdout)
            assert loaded["counts"]["indexed"] == len(files), loaded["counts"]
        source.engine.refresh(source.settings.documents_alias)
        ids = sorted(hit["_id"] for hit in source.engine.search(
            source.settings.documents_alias, {"size": 100, "_source": False})["hits"]["hits"])
        assert len(ids) == len(pdfs)
        answers = _answers(source.settings)

        shown = _ok(_cli(source.settings, "backup", "create", "--name", NAME))
        assert f"backup {NAME}" in shown
        manifest_path = Path(source.settings.backup_dir) / source.settings.index_prefix / "manifests" / f"{NAME}.json"
        manifest = json.loads(manifest_path.read_text())
        yield source.settings, answers, manifest, ids


def test_a_backup_restores_into_an_empty_engine(services, backed_up, tmp_path):
    source, answers, manifest, ids = backed_up
    began = time.monotonic()
    # What the backup says it holds: every index of the prefix with its count, every original with its hash.
    assert manifest["snapshot"] == NAME and manifest["prefix"] == source.index_prefix
    assert manifest["indices"][source.documents_alias]["documents"] == len(ids)
    assert len(manifest["indices"]) == len(specs(source))  # every index of the prefix
    assert set(ids) <= set(manifest["files"])
    listed = json.loads(_ok(_cli(source, "backup", "list", "--json")))
    assert [(row["name"], row["state"], row["manifest"]) for row in listed] == [(NAME, "SUCCESS", True)]
    assert listed[0]["documents"][source.documents_alias] == len(ids) and listed[0]["size_bytes"] > 0

    # A second node, empty, with its own data directory; its path.repo is the source's backup directory.
    target = make_settings(services, tmp_path / "target", engine_url=f"http://127.0.0.1:{free_port()}",
                           engine_kind="opensearch", index_prefix=source.index_prefix, backup_dir=source.backup_dir)
    stack.engine_up(target)
    engine = Engine.connect(target)
    try:
        assert engine.alias_targets(target.documents_alias) == []
        # Another backup directory is not in this node's path.repo: said so, with what to do.
        elsewhere = target.model_copy(update={"backup_dir": tmp_path / "elsewhere"})
        refused = _cli(elsewhere, "backup", "list")
        assert refused.returncode == 1 and "path.repo" in refused.stderr, refused.stderr
        assert "docsearch services up --only engine" in refused.stderr

        shown = _ok(_cli(target, "backup", "restore", NAME))
        assert f"backup {NAME} restored" in shown
        assert engine.alias_targets(target.documents_alias) == manifest["indices"][target.documents_alias]["indices"]
        for alias, entry in manifest["indices"].items():
            if alias != audit_alias(target):  # which has the restore's record since (checked below)
                engine.refresh(alias)
                assert engine.count(alias) == entry["documents"], alias
        assert _answers(target) == answers
        assert any(answer["facets"]["collection"] for answer in answers)  # the comparison covers facets
        assert all(answer["total"] for answer in answers[:2])

        store = FileStore.of(target)
        for sha in manifest["files"]:
            assert _sha256(store.path_for(sha)) == sha
        for doc_id in ids:  # every document's original, under its id
            assert _sha256(store.path_for(doc_id)) == doc_id
        assert _ok(_cli(target, "backup", "verify", NAME))

        # Indices holding documents are refused, and replaced only when confirmed.
        again = _cli(target, "backup", "restore", NAME)
        assert again.returncode == 1 and "already has indices" in again.stderr, again.stderr
        unconfirmed = _cli(target, "backup", "restore", NAME, "--replace")
        assert unconfirmed.returncode == 1 and "--yes" in unconfirmed.stderr, unconfirmed.stderr
        _ok(_cli(target, "backup", "restore", NAME, "--replace", "--yes"))
        assert _answers(target) == answers

        # Each restore is in the restored audit trail (the second replaced the first's), and the chain holds.
        engine.refresh(audit_alias(target))
        restores = Audit(engine, target).search(action="backup_restore")["records"]
        assert [r["target"] for r in restores] == [NAME]
        assert _ok(_cli(target, "audit", "verify"))
    finally:
        engine.close()
        opensearch.stop(target.data_dir)
    source_engine = Engine.connect(source)
    source_engine.refresh(audit_alias(source))
    creates = Audit(source_engine, source).search(action="backup_create")["records"]
    assert [r["target"] for r in creates] == [NAME]
    assert time.monotonic() - began < 120


def test_verify_names_a_damaged_original(backed_up):
    source, _, manifest, ids = backed_up
    _ok(_cli(source, "backup", "verify", NAME))
    backup_store = FileStore(Path(source.backup_dir) / source.index_prefix / "store")
    damaged = backup_store.path_for(ids[0])
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte, same size
    damaged.write_bytes(bytes(data))
    result = _cli(source, "backup", "verify", NAME)
    assert result.returncode == 1, result.stdout + result.stderr
    named = [line for line in result.stderr.splitlines() if "damaged" in line]
    assert len(named) == 1 and ids[0] in named[0], result.stderr
    assert all(other not in result.stderr for other in ids[1:])
