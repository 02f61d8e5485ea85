"""Where a document came from (docsearch.sources): loads into another collection add nothing its home's readers
see, and each reader is shown the loads of the collections it reads."""

from __future__ import annotations

from docsearch.access import Caller
from docsearch.sources import collections, first_load, kept, shown

HOME = {"id": "d", "title": "Informe", "classification": "reserved",
        **first_load("fiscalia-a", "informes/paita.pdf", "b1", "b1-000000")}
TWICE = {**HOME, "sources": HOME["sources"] + [
    {"collection": "fiscalia-b", "path": "secreto/copia.pdf", "batch": "b2", "file": "b2-000000"}]}


def reader(*readable: str, role: str = "analyst") -> Caller:
    return Caller(user="u", role=role, rights={name: frozenset({"read"}) for name in readable})


def test_the_first_load_is_the_home_and_a_source():
    assert HOME["collection"] == "fiscalia-a"
    assert HOME["source_paths"] == ["informes/paita.pdf"] and HOME["source_names"] == ["paita.pdf"]
    assert HOME["sources"] == [{"collection": "fiscalia-a", "path": "informes/paita.pdf", "batch": "b1",
                                "file": "b1-000000"}]
    assert collections(TWICE) == ["fiscalia-a", "fiscalia-b"]


def test_home_readers_see_no_trace_of_the_other_collection():
    seen = shown(TWICE, reader("fiscalia-a"))
    assert seen["collection"] == "fiscalia-a"
    assert seen["source_paths"] == ["informes/paita.pdf"] and seen["batch_ids"] == ["b1"]
    assert "sources" not in seen and "fiscalia-b" not in repr(seen) and "secreto" not in repr(seen)


def test_readers_of_the_other_collection_see_only_their_load():
    seen = shown(TWICE, reader("fiscalia-b"))
    assert seen["collection"] == "fiscalia-b"
    assert seen["source_paths"] == ["secreto/copia.pdf"] and seen["source_names"] == ["copia.pdf"]
    assert seen["batch_ids"] == ["b2"] and seen["file_ids"] == ["b2-000000"]
    assert "paita" not in repr(seen)


def test_readers_of_both_and_admins_see_every_load():
    for caller in (reader("fiscalia-a", "fiscalia-b"), reader(role="admin")):
        seen = shown(TWICE, caller)
        assert seen["collection"] == "fiscalia-a"
        assert seen["source_paths"] == ["informes/paita.pdf", "secreto/copia.pdf"]


def test_a_reader_of_neither_collection_sees_the_home_as_it_is():
    """A public (or sealed, to its readers) document read by someone without rights on its collections."""
    assert shown(TWICE, reader("otra")) == {k: v for k, v in TWICE.items() if k != "sources"}


def test_indexing_again_keeps_the_home_and_every_load():
    again_from_b = first_load("fiscalia-b", "secreto/copia.pdf", "b2", "b2-000000")
    out = kept(TWICE, again_from_b)
    assert out["collection"] == "fiscalia-a" and out["source_paths"] == ["informes/paita.pdf"]
    assert out["sources"] == TWICE["sources"]
    again_from_home = first_load("fiscalia-a", "otra/paita.pdf", "b3", "b3-000000")
    out = kept(TWICE, again_from_home)
    assert out["source_paths"] == ["informes/paita.pdf", "otra/paita.pdf"] and len(out["sources"]) == 3
    assert kept({}, again_from_b)["collection"] == "fiscalia-b"
