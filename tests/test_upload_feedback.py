"""What the upload page tells about a load: its name, its place in the queue while it waits for a worker, no time
left while nothing moves, a document type per file, and every failure reason in words in both languages."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from ingestion.batches import _rate, stamp, utcnow
from ingestion.states import BatchState, Reason
from ingestion.submit import batch_name, type_of
from nlp.metadata import doc_type_labels
from tests import pdfs

UPLOAD_STRINGS = Path(__file__).resolve().parents[1] / "frontend" / "js" / "i18n-upload.js"


def _tables() -> dict[str, str]:
    """The Spanish and the English tables of i18n-upload.js, as text."""
    text = UPLOAD_STRINGS.read_text(encoding="utf-8")
    body = text.split("export const UPLOAD_STRINGS = {", 1)[1]
    es, rest = body.split("\n  en: {", 1)
    return {"es": es, "en": rest.split("\n};", 1)[0]}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_reason_code_the_ingestion_records_is_said_in_words_in_both_languages(lang):
    said = set(re.findall(r'"reason\.([a-z_]+)":', _tables()[lang])) - {"unknown"}
    codes = {reason.value for reason in Reason}
    assert codes - said == set(), f"reason codes without {lang} words in frontend/js/i18n-upload.js"
    assert said - codes == set(), f"words in i18n-upload.js ({lang}) for codes the ingestion no longer records"


def test_the_reasons_in_words_say_what_to_do_next():
    es = _tables()["es"]
    assert '"reason.not_pdf": "No es un PDF. Conviértalo a PDF y vuelva a subirlo."' in es
    for code, text in re.findall(r'"reason\.([a-z_]+)": "([^"]+)"', es):
        assert len(re.findall(r"\. ", text)) >= 1, f"{code}: what happened, then what to do: {text}"


def test_the_page_offers_the_document_types_the_server_takes():
    text = UPLOAD_STRINGS.read_text(encoding="utf-8")
    listed = re.search(r"export const DOC_TYPES = \[(.*?)\];", text, re.S).group(1)
    assert re.findall(r'"([^"]+)"', listed) == doc_type_labels()


def test_a_load_is_named_after_its_first_file_or_folder():
    assert batch_name(["expedientes.zip"]) == "expedientes.zip"
    assert batch_name(["archivo/2019/"]) == batch_name(["archivo/2019"]) == "archivo/2019"  # a folder given
    assert batch_name(["a.pdf", *[f"b{i}.pdf" for i in range(41)]]) == "a.pdf (+41)"
    # Files picked inside a folder name their folder; what lies outside it is counted.
    assert batch_name(["archivo/2019/a.pdf", "archivo/2019/b.pdf", "archivo/2019/sub/c.pdf"]) == "archivo/2019"
    assert batch_name(["archivo/2019/", *[f"suelto-{i}.pdf" for i in range(41)]]) == "archivo/2019 (+41)"
    assert batch_name([]) is None
    # The command line's loads give paths on the server: named by the last part, never by where they are.
    assert batch_name(["/srv/archivo/2019/a.pdf", "/srv/archivo/2019/b.pdf"]) == "2019"
    assert batch_name(["/srv/archivo/expedientes.zip"]) == "expedientes.zip"


def test_a_file_takes_its_own_type_else_that_of_the_archive_it_came_in():
    types = {"exp.zip": "auto", "exp.zip/2019/a.pdf": "sentencia", "b.pdf": "otro"}
    assert type_of("exp.zip/2019/a.pdf", types) == "sentencia"
    assert type_of("exp.zip/2019/z.pdf", types) == "auto"
    assert type_of("b.pdf", types) == "otro"
    assert type_of("c.pdf", types) is None
    assert type_of("c.pdf", None) is None


# -- on the real stack ---------------------------------------------------------------------------------------------
TEXT = ["Sentencia de la Sala Penal sobre lavado de activos en el puerto del Callao.",
        "Se valoraron las pruebas del operativo y la declaración del colaborador eficaz."]


def _post(live, files: list[tuple[str, bytes]], **form):
    with live.client() as client:
        return client.post("/api/documents", files=[("files", (n, b, "application/octet-stream")) for n, b in files],
                           data=form)


def test_each_file_gets_its_own_type_and_the_load_its_name(live, tmp_path: Path):
    a = pdfs.text_pdf(tmp_path / "a.pdf", ["Auto que declara procedente la prisión preventiva. " + TEXT[1]])
    b = pdfs.text_pdf(tmp_path / "b.pdf", ["Informe sobre el decomiso de clorhidrato de cocaína en Paita. " + TEXT[1]])
    c = pdfs.text_pdf(tmp_path / "c.pdf", ["Acta de la diligencia de allanamiento en Piura. " + TEXT[0]])
    d = pdfs.text_pdf(tmp_path / "d.pdf", ["Nota sobre técnicas especiales de investigación en Tumbes. " + TEXT[1]])
    archive = pdfs.zip_of(tmp_path / "expedientes.zip", [("2019/b.pdf", b.read_bytes()), ("2019/c.pdf", c.read_bytes())])
    resp = _post(live, [("a.pdf", a.read_bytes()), ("expedientes.zip", archive.read_bytes()), ("d.pdf", d.read_bytes())],
                 collection="tipos", doc_type="otro",
                 types=json.dumps({"a.pdf": "auto", "expedientes.zip": "informe policial"}))
    assert resp.status_code == 202, resp.text
    batch = live.wait_batch(resp.json()["batch_id"])
    assert batch["name"] == "a.pdf (+2)"
    assert batch["queue"] is None and batch["counts"]["indexed"] == 4, batch
    by_name = {f["name"]: f for f in batch["files"]}
    wanted = {"a.pdf": "auto", "expedientes.zip/2019/b.pdf": "informe policial",
              "expedientes.zip/2019/c.pdf": "informe policial", "d.pdf": None}
    assert {name: by_name[name]["doc_type"] for name in wanted} == wanted
    with live.client() as client:
        indexed = {name: client.get(f"/api/documents/{by_name[name]['document_id']}").json()["doc_type"]
                   for name in wanted}
        recent = client.get("/api/batches", params={"limit": 20}).json()
    # The load's doc_type (the old field) still types the files `types` does not name.
    assert indexed == wanted | {"d.pdf": "otro"}
    assert next(b for b in recent if b["id"] == batch["id"])["name"] == "a.pdf (+2)"

    one = live.wait_batch(live.upload([archive]))
    assert one["name"] == "expedientes.zip"


@pytest.mark.parametrize("types, code, words", [
    ('{"a.pdf": "novela"}', "unknown_doc_type", "novela"),
    ('{"otro.pdf": "sentencia"}', "unknown_file", "otro.pdf"),
    ('{"a.pdf": ', "invalid_types", "JSON"),
    ('["a.pdf"]', "invalid_types", "JSON object"),
    ('{"a.pdf": 3}', "invalid_types", "JSON object"),
])
def test_a_wrong_types_field_is_a_clear_client_error_and_loads_nothing(live, tmp_path: Path, types, code, words):
    pdf = pdfs.text_pdf(tmp_path / "a.pdf", TEXT)
    with live.client() as client:
        before = [b["id"] for b in client.get("/api/batches", params={"limit": 5}).json()]
    resp = _post(live, [("a.pdf", pdf.read_bytes())], types=types)
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["code"] == code and words in error["message"], error
    if code == "unknown_doc_type":
        assert error["detail"]["known"] == doc_type_labels()
    with live.client() as client:
        assert [b["id"] for b in client.get("/api/batches", params={"limit": 5}).json()] == before


def test_a_load_waiting_for_a_worker_says_its_place_and_no_time_left(live, tmp_path: Path):
    first = [(f"primero-{i}.pdf", pdfs.text_pdf(tmp_path / f"p{i}.pdf", [f"Expediente {i}. " + TEXT[0]]).read_bytes())
             for i in range(2)]
    second = [("segundo.pdf", pdfs.text_pdf(tmp_path / "s.pdf", ["Expediente de la segunda carga. " + TEXT[1]]).read_bytes())]
    live.down("worker")
    try:
        a = live.upload(first)
        b = live.upload(second)
        live.engine.refresh(live.settings.files_alias)
        live.engine.refresh(live.settings.batches_alias)
        one, two = live.batch(a, limit=0), live.batch(b, limit=0)
        with live.client() as client:
            listed = {x["id"]: x for x in client.get("/api/batches", params={"limit": 20}).json()}
    finally:
        live.up("worker")
    assert one["state"] == two["state"] == "queued", (one, two)
    assert one["name"] == "primero-0.pdf (+1)" and two["name"] == "segundo.pdf"
    # The second waits behind the first's two files (and behind whatever the first waits for).
    assert two["queue"]["position"] == one["queue"]["position"] + 1
    assert two["queue"]["batches_ahead"] == one["queue"]["batches_ahead"] + 1
    assert two["queue"]["files_ahead"] == one["queue"]["files_ahead"] + 2
    assert two["queue"]["files_processing"] == one["queue"]["files_processing"] == 0
    for waiting in (one, two):
        assert waiting["eta_s"] is None and waiting["pages_per_s"] is None and waiting["files_per_s"] is None
    assert listed[b]["queue"]["position"] == two["queue"]["position"]
    done = live.wait_batch(b)
    assert done["queue"] is None and done["counts"]["indexed"] == 1
    assert live.wait_batch(a)["counts"]["indexed"] == 2


def test_no_time_left_while_nothing_moves():
    """A pace of zero, or a load waiting again (its failed files retried), gives no estimate: one computed from
    the old pace would only grow."""
    started = {"started": {"value_as_string": "2020-01-01T00:00:00.000+00:00"}, "finished": {}}
    assert _rate(started, BatchState.QUEUED, done=3, pending=2, pages=9)["eta_s"] is None
    assert _rate(started, BatchState.RUNNING, done=0, pending=2, pages=0)["eta_s"] is None
    assert _rate({"started": {}, "finished": {}}, BatchState.QUEUED, done=0, pending=2, pages=0)["eta_s"] is None
    recent = {"started": {"value_as_string": stamp(utcnow() - timedelta(seconds=10))}, "finished": {}}
    assert _rate(recent, BatchState.RUNNING, done=5, pending=5, pages=10)["eta_s"] == pytest.approx(10, abs=1)
