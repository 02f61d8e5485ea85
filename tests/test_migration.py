"""A change of the documents' mapping without downtime (docsearch/migration.py): the index is built again while
searches run and a batch is being loaded; the alias moves at once; no search fails and no document is lost."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest

from docsearch.migration import migrate
from tests import pdfs
from tests.conftest import private_stack


@pytest.fixture(scope="module")
def own(services, tmp_path_factory):
    data = tmp_path_factory.mktemp("migration")
    with private_stack(services, data, default_search_mode="lexical") as running:
        yield running


def _reports(folder, tag: str, n: int, start: int = 0):
    return [pdfs.text_pdf(folder / f"informe-{i}.pdf", [
        f"INFORME POLICIAL N° {100 + i}-2024-DIRANDRO-PNP. Decomiso {tag} número {i}: se incautó clorhidrato de "
        f"cocaína en el Callao.", f"Página dos del informe {i} sobre el decomiso {tag}."]) for i in range(start, start + n)]


def test_the_index_is_built_again_while_it_is_searched_and_loaded(own, tmp_path):
    tag = uuid.uuid4().hex[:8]
    first = own.wait_batch(own.upload(_reports(tmp_path, tag, 4)))
    assert first["counts"]["indexed"] == 4, first
    alias = own.settings.documents_alias
    before = own.engine.alias_targets(alias)

    # searches all along, counting failures and what they found
    failures: list[str] = []
    totals: list[int] = []
    stop = threading.Event()

    def searching() -> None:
        with httpx.Client(base_url=own.url, timeout=30, headers={"Authorization": f"Bearer {own.token}"}) as client:
            while not stop.is_set():
                resp = client.get("/api/search", params={"q": f"decomiso {tag}", "size": 1})
                if resp.status_code != 200:
                    failures.append(f"{resp.status_code} {resp.text[:200]}")
                else:
                    totals.append(resp.json()["total"])
                time.sleep(0.05)

    # the copy, slowed to 1 document a second, takes a few seconds: a second batch loads while it runs
    copying = threading.Event()
    result: dict = {}

    def migrating() -> None:
        result.update(migrate(own.engine, own.settings, target=f"{alias}-rebuilt-{tag}", per_second=1,
                              say=lambda line: copying.set() if line == "copying" else None))

    searcher, migrator = threading.Thread(target=searching), threading.Thread(target=migrating)
    searcher.start()
    try:
        migrator.start()
        assert copying.wait(60)
        second = own.wait_batch(own.upload(_reports(tmp_path, tag, 8, start=4)))
        assert migrator.is_alive()  # the batch was written while the copy ran
        migrator.join(120)
        own.refresh()
        time.sleep(0.5)
    finally:
        stop.set()
        searcher.join()
    done = result
    assert second["counts"]["indexed"] == 8, second
    assert done["state"] == "switched" and done["from"] == before[0]
    assert own.engine.alias_targets(alias) == [f"{alias}-rebuilt-{tag}"]
    assert failures == []
    assert len(totals) > 10 and min(totals) >= 4  # never fewer than the first batch: no empty moment
    # every document of both batches is in the new index, once
    ids = {f["document_id"] for batch in (first, second) for f in batch["files"]}
    assert len(ids) == 12
    assert set(own.engine.mget(f"{alias}-rebuilt-{tag}", sorted(ids))) == ids
    assert own.search(f"decomiso {tag}")["total"] == 12
    # writers stop copying once the alias has moved; the old index is kept for a switch back
    assert own.engine.get(before[0], first["files"][0]["document_id"]) is not None
    again = migrate(own.engine, own.settings, target=f"{alias}-rebuilt-{tag}")
    assert again["state"] == "current"
