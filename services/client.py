"""A small client of a running docsearch API: upload files, wait for their batch, search.

The tests, the benchmarks and the screenshot script all load documents through the public HTTP API;
this is the one copy of how they do it.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from pathlib import Path

import httpx


class Client:
    """The API at ``url``. ``refresh``, when given, runs once a batch is done: workers write without
    waiting for an engine refresh, so a caller that searches right after a batch needs one."""

    def __init__(self, url: str, *, timeout: float = 60, refresh: Callable[[], None] | None = None,
                 token: str | None = None):
        self.url = url
        self.timeout = timeout
        self.refresh = refresh
        self.token = token  # an API token (``Authorization: Bearer``); every route but sign-in and health needs one

    def client(self) -> httpx.Client:
        """An httpx client on the API's base URL, signed in with ``token`` (use it as a context manager)."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return httpx.Client(base_url=self.url, timeout=self.timeout, headers=headers)

    def upload(self, files: list[Path | tuple[str, bytes]], **form) -> str:
        """``POST /api/documents``; returns the batch id. Paths are streamed from disk (a ZIP of
        thousands of files need not sit in memory); ``(name, bytes)`` pairs keep their name as given."""
        with contextlib.ExitStack() as opened, self.client() as client:
            parts = []
            for item in files:
                name, data = (item.name, opened.enter_context(item.open("rb"))) if isinstance(item, Path) else item
                parts.append(("files", (name, data, "application/octet-stream")))
            resp = client.post("/api/documents", files=parts, data=form)
        if resp.status_code != 202:
            raise RuntimeError(f"upload refused: {resp.status_code} {resp.text[:2000]}")
        return resp.json()["batch_id"]

    def batch(self, batch_id: str, **params) -> dict | None:
        """The batch summary, or None while the API cannot give one (engine down: 503; API restarting)."""
        try:
            with self.client() as client:
                resp = client.get(f"/api/batches/{batch_id}", params=params)
        except httpx.HTTPError:
            return None
        return resp.json() if resp.status_code == 200 else None

    def wait_batch(self, batch_id: str, timeout: float = 180, *, until: Callable[[dict], bool] | None = None,
                   poll: float = 0.3, each: Callable[[dict], None] | None = None, **params) -> dict:
        """Poll the batch until ``until(summary)`` (default: its state is ``done``) and return the summary.

        Outages while polling are waited out, not raised. ``each`` sees every summary read; ``params``
        go to ``GET /api/batches/{id}`` (``limit=0``: counts only, for batches of thousands of files)."""
        until = until or (lambda body: body["state"] == "done")
        deadline = time.monotonic() + timeout
        last = None
        while True:
            body = self.batch(batch_id, **params)
            if body is not None:
                last = body
                if each:
                    each(body)
                if until(body):
                    if body["state"] == "done" and self.refresh:
                        self.refresh()
                    return body
            if time.monotonic() > deadline:
                raise TimeoutError(f"batch {batch_id} did not get there in {timeout} s: "
                                   f"{last and {k: last[k] for k in ('state', 'counts') if k in last}}")
            time.sleep(poll)

    def search(self, q: str, **params) -> dict:
        """``GET /api/search``; list values repeat their parameter."""
        with self.client() as client:
            resp = client.get("/api/search", params={"q": q, **params})
        if resp.status_code != 200:
            raise RuntimeError(f"search {q!r} failed: {resp.status_code} {resp.text[:2000]}")
        return resp.json()
