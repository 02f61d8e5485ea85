"""The command line, run as a user runs it, against the test stack: plain pipes for --json and --ids, a
pseudo-terminal for the styled output."""

from __future__ import annotations

import hashlib
import json
import os
import pty
import re
import select
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cli.batches import failed_files
from docsearch.engine import Engine
from ingestion.batches import BatchStore
from services import stack
from tests import pdfs

README = Path(__file__).resolve().parent.parent / "README.md"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# A document whose text holds what HTML would escape: &, <, /, and accents.
NASTY_PAGES = [
    "Requerimiento fiscal de la Fiscalía Especializada contra la Criminalidad Organizada de Ayacucho.",
    "Lavado de activos: Pérez & Cía. <S.A.C.> transfirió fondos, Exp. N° 12/2020-FECOR, en Huamanga.",
]


def _cli(live, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], env=stack.env_for(live.settings),
                          capture_output=True, text=True, timeout=300, cwd=cwd)


def _tty(live, *args: str) -> str:
    """The command's output as a terminal shows it (stdout is a pseudo-terminal: rich styles it)."""
    leader, follower = pty.openpty()
    env = stack.env_for(live.settings) | {"TERM": "xterm-256color", "COLUMNS": "160"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", *args], env=env, stdin=follower, stdout=follower,
                            stderr=follower, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert proc.wait(timeout=60) == 0, b"".join(chunks).decode(errors="replace")
    return b"".join(chunks).decode()


def _clean(shown: str) -> None:
    assert "\x1b[" in shown, "no terminal styling"
    for raw in ("<mark>", "</mark>", "&#x2F;", "&amp;", "&lt;", "&gt;"):
        assert raw not in shown


@pytest.fixture(scope="module")
def loaded(live, tmp_path_factory):
    """A batch in collection ``casos``: a document with &, <, / and accents, and three files that fail."""
    folder = tmp_path_factory.mktemp("cli") / "lote"
    nasty = pdfs.text_pdf(folder / "requerimiento.pdf", NASTY_PAGES, title="Requerimiento 12/2020 & <otros>")
    pdfs.empty_file(folder / "vacio.pdf")
    pdfs.not_a_pdf(folder / "imagen.pdf")
    pdfs.truncated_pdf(folder / "cortado.pdf")
    result = _cli(live, "ingest", str(folder), "--collection", "casos", "--wait", "--json")
    assert result.returncode == 2, result.stdout + result.stderr  # failures: exit 2
    batch = json.loads(result.stdout)
    return {"batch": batch, "file": nasty, "id": hashlib.sha256(nasty.read_bytes()).hexdigest()}


def test_ingest_a_folder_and_wait(live, tmp_path: Path):
    folder = tmp_path / "archivo" / "2019"
    folder.mkdir(parents=True)
    pdfs.text_pdf(folder / "sentencia.pdf", ["Sentencia de la Sala Penal sobre el decomiso de insumos químicos fiscalizados."])
    pdfs.empty_file(folder / "vacio.pdf")
    result = _cli(live, "ingest", str(tmp_path / "archivo"), "--collection", "archivo", "--wait")
    # A failed file makes the command exit 2 and list it with its reason; the good one is indexed.
    assert result.returncode == 2, result.stdout + result.stderr
    assert "1 indexed" in result.stdout and "1 failed" in result.stdout
    assert "empty_file" in result.stdout
    hits = live.search("insumos quimicos fiscalizados")["results"]
    assert any(r["collection"] == "archivo" for r in hits)

    searched = _cli(live, "search", "decomiso de insumos", "--collection", "archivo")
    assert searched.returncode == 0
    assert "<mark>" not in searched.stdout and "decomiso" in searched.stdout


def test_ingest_json_lists_every_failed_file(live, loaded):
    batch = loaded["batch"]
    assert batch["counts"]["indexed"] == 1 and batch["counts"]["failed"] == 3
    assert sorted(f["reason"] for f in batch["failed"]) == sorted(["empty_file", "not_pdf", "corrupt"])
    shown = _cli(live, "batch", batch["id"], "--json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["failed"] == batch["failed"]
    # Read a page of one at a time, the failures are still all there, in load order.
    store = BatchStore(Engine.connect(live.settings), live.settings)
    assert [f["name"] for f in failed_files(store, batch["id"], page=1)] == [f["name"] for f in batch["failed"]]
    table = _cli(live, "batch", batch["id"])
    assert table.returncode == 0 and "3 failed" in table.stdout
    for f in batch["failed"]:
        assert f["reason"] in table.stdout


def test_search_json_and_ids_through_pipes(live, loaded):
    answer = _cli(live, "search", "lavado de activos", "--collection", "casos", "--json")
    assert answer.returncode == 0, answer.stderr
    found = json.loads(answer.stdout)
    assert loaded["id"] in [r["id"] for r in found["results"]]
    assert found["query"]["q"] == "lavado de activos" and "facets" in found
    ids = _cli(live, "search", "lavado de activos", "--collection", "casos", "--ids")
    assert ids.stdout.split() == [r["id"] for r in found["results"]]
    # Filters from the registry: another collection, another type, a year range out of reach.
    assert _cli(live, "search", "lavado", "--collection", "ninguna", "--ids").stdout == ""
    assert _cli(live, "search", "lavado", "--collection", "casos", "--year", "1900..1901", "--ids").stdout == ""
    bad = _cli(live, "search", "year:abc")
    assert bad.returncode == 2 and "error" in bad.stderr and "Traceback" not in bad.stderr


def test_search_on_a_terminal_is_styled_and_clean(live, loaded):
    shown = _tty(live, "search", "lavado de activos", "--collection", "casos", "--facets")
    _clean(shown)
    plain = ANSI.sub("", shown)
    assert "Requerimiento 12/2020 & <otros>" in plain
    assert loaded["id"][:12] in plain
    assert "Pérez & Cía. <S.A.C.>" in plain and "12/2020-FECOR" in plain
    assert "p. 2:" in plain and "read as:" in plain and "facets" in plain


def test_show_a_document_and_a_page(live, loaded):
    shown = _tty(live, "show", loaded["id"], "--page", "2", "--q", "lavado")
    _clean(shown)
    plain = ANSI.sub("", shown)
    assert "Requerimiento 12/2020 & <otros>" in plain and "page 2 of 2" in plain
    assert "Pérez & Cía. <S.A.C.> transfirió fondos" in plain
    missing = _cli(live, "show", "0" * 64)
    assert missing.returncode == 1 and "no document" in missing.stderr


def test_show_opens_at_the_page_that_ranks_best_for_the_query(live, loaded):
    best = json.loads(_cli(live, "show", loaded["id"], "--q", "transfirió fondos Huamanga", "--json").stdout)
    assert best["page"]["page"] == 2 and best["page"]["hits"] >= 2
    first = json.loads(_cli(live, "show", loaded["id"], "--json").stdout)
    assert first["page"]["page"] == 1


def test_get_writes_the_original(live, loaded, tmp_path: Path):
    target = tmp_path / "copia.pdf"
    result = _cli(live, "get", loaded["id"], "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == loaded["file"].read_bytes()


def test_export_zips_the_originals_with_a_manifest(live, loaded, tmp_path: Path):
    target = tmp_path / "lavado.zip"
    result = _cli(live, "export", "lavado de activos", "--collection", "casos", "--limit", "5", "-o", str(target))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        rows = {row["id"]: row for row in manifest["documents"]}
        row = rows[loaded["id"]]
        assert archive.read(row["file"]) == loaded["file"].read_bytes()
        assert row["sha256"] == loaded["id"] and row["page_count"] == 2
        assert row["file"] == f"originals/{loaded['id']}/requerimiento.pdf"
        assert row["title"] == "Requerimiento 12/2020 & <otros>"
        for other in manifest["documents"]:
            assert hashlib.sha256(archive.read(other["file"])).hexdigest() == other["sha256"]
    assert manifest["query"] == {"q": "lavado de activos", "filters": {"collection": ["casos"]},
                                 "sort": "relevance", "limit": 5}


def _readme_lines() -> list[str]:
    """The README's command-line examples for search, show, get, export and batch."""
    lines = []
    for line in README.read_text(encoding="utf-8").splitlines():
        if re.match(r"docsearch (search|show|get|export|batch) ", line):
            command = line.split("  #", 1)[0].strip()
            if "[" not in command.split("jq")[0]:
                lines.append(command)
    return lines


def test_readme_examples_run(live, loaded, tmp_path: Path):
    lines = _readme_lines()
    assert {line.split()[1] for line in lines} >= {"search", "show", "get", "export", "batch"}
    assert any("--json | jq" in line for line in lines) and any("--ids" in line for line in lines)
    env = stack.env_for(live.settings)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', os.environ['PATH'])}"
    for line in lines:
        command = line.replace("DOCUMENT_ID", loaded["id"]).replace("BATCH_ID", loaded["batch"]["id"])
        command = command.replace("docsearch ", f"{shlex.quote(sys.executable)} -m cli.main ")
        result = subprocess.run(["bash", "-o", "pipefail", "-c", command], env=env, cwd=tmp_path,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        assert "<mark>" not in result.stdout or "--json" in line, line
        if "jq" in line:
            assert "Requerimiento 12/2020 & <otros>" in result.stdout.splitlines()
        if "--ids" in line:
            assert loaded["id"] in result.stdout.split()
    assert (tmp_path / "requerimiento.pdf").read_bytes() == loaded["file"].read_bytes()
    with zipfile.ZipFile(tmp_path / "lavado.zip") as archive:
        assert "manifest.json" in archive.namelist()
        assert f"originals/{loaded['id']}/requerimiento.pdf" in archive.namelist()


def test_services_up_reuses_running_services(services):
    assert stack.engine_up(services) == "already running"
    assert stack.redis_up(services, stack.Paths.of(services)) == "already running"
