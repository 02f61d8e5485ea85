"""The command line, run as a user runs it, against the test stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from services import stack
from tests import pdfs


def _cli(live, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], env=stack.env_for(live.settings),
                          capture_output=True, text=True, timeout=300)


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

    searched = _cli(live, "search", "decomiso de insumos")
    assert searched.returncode == 0
    assert "<mark>decomiso</mark>" in searched.stdout


def test_services_up_reuses_running_services(services):
    assert stack.engine_up(services) == "already running"
    assert stack.redis_up(services, stack.Paths.of(services)) == "already running"
