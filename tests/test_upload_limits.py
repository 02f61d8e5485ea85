"""An upload's limits, on a stack of small ones: files per request and bytes per request (the API's answers,
not the multipart parser's), and bytes per user per day (``ingestion.quota``); what is refused keeps nothing."""

from __future__ import annotations

import io
import random

import httpx
import pytest

from ingestion.batches import BatchStore
from ingestion.incoming import Incoming
from ingestion.quota import QuotaExceeded, loaded_bytes
from ingestion.submit import submit
from services.stack import Private
from tests.conftest import private_stack

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def small(services, tmp_path_factory):
    """At most 3 files and 1 MiB per upload, 1 MiB per user a day."""
    with private_stack(services, tmp_path_factory.mktemp("upload-limits"), max_upload_files=3, max_upload_mb=1,
                       user_quota_mb=1) as running:
        yield running


def noise(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def stored(stack: Private) -> set[str]:
    objects = stack.settings.store_dir / "objects"
    return {p.name for p in objects.rglob("*") if p.is_file()} if objects.exists() else set()


def post(stack: Private, files: list[tuple[str, bytes]], **kwargs) -> httpx.Response:
    with stack.client() as client:
        return client.post("/api/documents", files=[("files", (n, d, "application/pdf")) for n, d in files], **kwargs)


@pytest.mark.parametrize("count", [4, 50])
def test_more_files_than_allowed_is_our_too_many_files(small: Private, count: int):
    before = stored(small)
    resp = post(small, [(f"f{i}.pdf", b"%PDF-1.4 " + bytes([i % 256])) for i in range(count)])
    assert resp.status_code == 400, resp.text
    error = resp.json()["error"]
    assert error["code"] == "too_many_files" and "3" in error["message"], error
    assert stored(small) <= before  # nothing new (the worker may remove what failed before)


def test_as_many_files_as_allowed_are_taken(small: Private):
    resp = post(small, [(f"ok{i}.pdf", b"%PDF-1.4 ok " + bytes([i])) for i in range(3)])
    assert resp.status_code == 202, resp.text


def test_an_upload_past_the_request_limit_is_refused_before_anything_is_kept(small: Private):
    before = stored(small)
    resp = post(small, [("grande.pdf", noise(MiB + 1000, 1))])
    assert resp.status_code == 413, resp.text
    error = resp.json()["error"]
    assert error["code"] == "too_large" and "DOCSEARCH_MAX_UPLOAD_MB" in error["message"]
    assert stored(small) <= before  # nothing new (the worker may remove what failed before)


def test_an_upload_without_a_declared_length_is_cut_at_the_limit(small: Private):
    """A chunked body says nothing of its size up front: it is refused once the limit is passed."""
    boundary = "limite"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + noise(2 * MiB, 2) + f"\r\n--{boundary}--\r\n".encode()

    def chunks():
        for start in range(0, len(body), 64 * 1024):
            yield body[start:start + 64 * 1024]

    before = stored(small)
    with small.client() as client:
        try:
            resp = client.post("/api/documents", content=chunks(),
                               headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        except httpx.HTTPError:  # the server may close while the rest is still being sent
            resp = None
    if resp is not None:
        assert resp.status_code == 413, resp.text
        assert resp.json()["error"]["code"] == "too_large"
    assert stored(small) <= before  # nothing new (the worker may remove what failed before)


def _items(*files: tuple[str, bytes]) -> list[Incoming]:
    return [Incoming(name, lambda data=data: io.BytesIO(data)) for name, data in files]


def test_a_user_s_daily_quota_fails_what_is_past_it_and_then_refuses_the_next_load(small: Private):
    settings, engine = small.settings, small.engine
    first, second = noise(600 * 1024, 3), noise(600 * 1024, 4)
    before = stored(small)
    batch_id = submit(engine, settings, _items(("uno.pdf", first), ("dos.pdf", second)), collection="cuotas",
                      uploader="cuota-ana", enqueue=lambda _: None)
    engine.refresh(settings.files_alias)
    files = {f["name"]: f for f in BatchStore(engine, settings).summary(batch_id)["files"]}
    assert files["uno.pdf"]["status"] == "queued"
    assert files["dos.pdf"]["status"] == "failed" and files["dos.pdf"]["reason"] == "quota_exceeded"
    assert "DOCSEARCH_USER_QUOTA_MB" in files["dos.pdf"]["message"]
    assert stored(small) - before == {files["uno.pdf"]["sha256"]}  # the file past the quota was not kept
    assert loaded_bytes(engine, settings, "cuota-ana") == 600 * 1024

    # 600 KiB of the 1 MiB are used: a 500 KiB file no longer fits, and once the rest is used, nothing does.
    third = submit(engine, settings, _items(("tres.pdf", noise(500 * 1024, 5)), ("cuatro.pdf", noise(424 * 1024, 6))),
                   collection="cuotas", uploader="cuota-ana", enqueue=lambda _: None)
    engine.refresh(settings.files_alias)
    states = {f["name"]: f["reason"] or f["status"] for f in BatchStore(engine, settings).summary(third)["files"]}
    assert states == {"tres.pdf": "quota_exceeded", "cuatro.pdf": "queued"}
    kept = stored(small)
    with pytest.raises(QuotaExceeded) as refused:
        submit(engine, settings, _items(("cinco.pdf", noise(10, 7))), collection="cuotas", uploader="cuota-ana",
               enqueue=lambda _: None)
    assert "limit is 1 MiB" in str(refused.value)
    assert stored(small) <= kept

    # Another user, and the server's own tooling (no uploader), have quotas of their own or none.
    submit(engine, settings, _items(("otro.pdf", noise(900 * 1024, 8))), collection="cuotas", uploader="cuota-bea",
           enqueue=lambda _: None)
    submit(engine, settings, _items(("servidor.pdf", noise(2 * MiB, 9))), collection="cuotas", enqueue=lambda _: None)


def test_an_upload_past_the_quota_is_answered_429(small: Private):
    """Through the API: the uploader is the signed-in user."""
    seed = 100
    while (left := MiB - loaded_bytes(small.engine, small.settings, small.admin_user)) > 0:  # the rest of the quota
        resp = post(small, [(f"carga-{seed}.pdf", noise(min(left, 900 * 1024), seed))])
        assert resp.status_code == 202, resp.text
        small.engine.refresh(small.settings.files_alias)
        seed += 1
    resp = post(small, [("una-mas.pdf", noise(1000, 200))])
    assert resp.status_code == 429, resp.text
    assert resp.json()["error"]["code"] == "quota_exceeded"
