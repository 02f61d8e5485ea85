"""Terminal rendering of the service's marked HTML, and the facet options built from the field registry."""

from __future__ import annotations

import pytest
from rich.console import Console

from cli import render
from cli.filters import option_names, parse_years
from docsearch.fields import REGISTRY

# (HTML from the service, the text shown, the hits styled)
MARKED = [
    ("<mark>lavado</mark> de activos", "lavado de activos", ["lavado"]),
    ("Exp. N&#x2F;2019 &amp; <mark>Pérez</mark>", "Exp. N/2019 & Pérez", ["Pérez"]),
    ("&lt;script&gt;x&lt;&#x2F;script&gt; <mark>a</mark>&quot;b&quot;", "<script>x</script> a\"b\"", ["a"]),
    ("[bold]no markup[/bold] <mark>[red]</mark>", "[bold]no markup[/bold] [red]", ["[red]"]),
    ("sin marcas", "sin marcas", []),
    ("<mark>dos</mark> <mark>hits</mark>", "dos hits", ["dos", "hits"]),
    ("<em>otra</em> etiqueta", "otra etiqueta", []),
]


@pytest.mark.parametrize("html,shown,hits", MARKED)
def test_marked_html_becomes_styled_text(html: str, shown: str, hits: list[str]):
    text = render.marked(html)
    assert text.plain == shown
    assert [text.plain[s.start:s.end] for s in text.spans if s.style == render.HIT] == hits


def test_a_snippet_is_one_line():
    assert render.marked("uno\n  <mark>dos</mark>\ttres", one_line=True).plain == "uno dos tres"


def _ansi(lines) -> str:
    console = Console(force_terminal=True, color_system="standard", width=200, record=False)
    with console.capture() as captured:
        for line in lines:
            console.print(line)
    return captured.get()


def test_a_result_prints_styled_and_without_html():
    result = {"id": "a" * 64, "title": "Casación 12/2019 & <otros>", "doc_type": "sentencia",
              "institution": "Corte Suprema", "year": 2019, "collection": "casos",
              "pages": [{"page": 3, "snippet": "delito de <mark>lavado</mark> &#x2F; Pérez &amp; Cía."}]}
    shown = _ansi(render.result_lines(result))
    assert "\x1b[" in shown
    assert "<mark>" not in shown and "&#x2F;" not in shown and "&amp;" not in shown
    plain = "\n".join(line.plain for line in render.result_lines(result))
    assert "Casación 12/2019 & <otros>" in plain
    assert "sentencia · Corte Suprema · 2019 · casos" in plain
    assert "p. 3: delito de lavado / Pérez & Cía." in plain
    assert "aaaaaaaaaaaa" in plain and "a" * 13 not in plain


NOTICES = [
    ({"interpreted": "lavado AND activos"}, ["read as: lavado AND activos"]),
    ({"approximate": True}, ["similar words allowed"]),
    ({"relaxed": True, "all_words": 3}, ["3 hold every word"]),
    ({"expansions": [{"term": "coima", "alternatives": ["soborno"], "related": ["cohecho"]}]},
     ["also searched for coima: soborno, cohecho"]),
    ({"warnings": ["Unclosed quote."]}, ["note: Unclosed quote."]),
    ({}, []),
]


@pytest.mark.parametrize("query,expected", NOTICES)
def test_notices(query: dict, expected: list[str]):
    lines = [line.plain for line in render.notices(query)]
    assert len(lines) == len(expected)
    for line, part in zip(lines, expected):
        assert part in line


def test_facets_table_labels_from_the_registry():
    table = render.facets_table({"persons": [{"value": "Juan Pérez", "count": 2, "selected": True}], "laws": []})
    console = Console(width=120, record=True)
    console.print(table)
    shown = console.export_text()
    assert REGISTRY["persons"].label_en in shown and "* Juan Pérez" in shown and REGISTRY["laws"].label_en not in shown


OPTIONS = [
    ("collection", ("--collection",)),
    ("doc_type", ("--doc-type", "--type")),
    ("court", ("--court",)),
    ("persons", ("--persons", "--person")),
    ("references", ("--references", "--ref")),
]


@pytest.mark.parametrize("key,names", OPTIONS)
def test_option_names(key: str, names: tuple[str, ...]):
    assert option_names(REGISTRY[key]) == names


def test_every_facet_has_an_option_and_no_two_share_a_name():
    names = [name for f in REGISTRY.facets for name in option_names(f)]
    assert len(names) == len(set(names))
    assert {option_names(f)[0] for f in REGISTRY.facets} == {"--" + k.replace("_", "-") for k in REGISTRY.facet_keys}


YEARS = [
    (["2019"], None, None, (["2019"], None, None)),
    (["2015..2020"], None, None, ([], 2015, 2020)),
    (["2018.."], None, None, ([], 2018, None)),
    (["..2010", "2019"], 2000, None, (["2019"], 2000, 2010)),
]


@pytest.mark.parametrize("values,low,high,expected", YEARS)
def test_year_ranges(values, low, high, expected):
    assert parse_years(values, low, high) == expected


def test_a_waiting_load_says_where_it_stands_and_no_time_left():
    """`docsearch ingest --wait` on a load none of whose files has started: its place, no pace or time left."""
    from cli.batches import _detail

    counts = {"queued": 3, "processing": 0, "indexed": 0, "duplicate": 0, "failed": 0}
    waiting = {"counts": counts, "state": "queued", "pages_done": 0, "eta_s": None,
               "queue": {"position": 3, "batches_ahead": 2, "files_ahead": 41, "files_processing": 2}}
    assert _detail(waiting) == "waiting for a worker: 41 files of 2 loads ahead"
    assert _detail({**waiting, "queue": {**waiting["queue"], "position": 1, "batches_ahead": 0, "files_ahead": 0}}) \
        == "waiting for a worker: next in the queue"
    running = {**waiting, "state": "running", "queue": None, "pages_done": 12, "pages_per_s": 2.0, "eta_s": 75}
    assert _detail(running) == "12 pages · 2.0 pages/s · ETA 1:15"
