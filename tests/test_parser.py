"""The query language's parser, table-driven: what each query is read as (in the query language itself, as
``query.interpreted`` shows it), which slips are read sensibly with a warning, and what cannot be read.
``tests/test_query_language.py`` checks the same language through HTTP against the engine."""

from __future__ import annotations

import pytest

from docsearch.search.parser import MAX_CLAUSES, MAX_DEPTH, QuerySyntaxError, parse
from docsearch.search.tree import And, Citation, FieldValue, MatchAll, Not, Or, Phrase, Prefix, Words, describe

READINGS = [
    # query, read as, warnings
    ("", "*", 0),
    ("lavado activos", "lavado activos", 0),
    ("lavado OR blanqueo", "lavado OR blanqueo", 0),
    ("lavado | blanqueo", "lavado OR blanqueo", 0),
    ("a AND b OR c", "+a +b OR c", 0),  # AND binds tighter than OR, and asks for every word it joins
    ("a && b || c", "+a +b OR c", 0),
    ("a AND b c", "+a +b c", 0),
    ("NOT menor", "NOT menor", 0),
    ("-menor lavado", "NOT menor lavado", 0),
    ("+lavado", "+lavado", 0),
    ("+lavado activos", "+lavado activos", 0),
    ('"entrega vigilada"', '"entrega vigilada"', 0),
    ("incauta*", "incauta*", 0),
    ("x*", "x", 0),  # one letter would expand to half the index
    ("activso~", "activso~", 0),
    ("(a OR b) c", "(a OR b) c", 0),
    ("court:Lima", "court:Lima", 0),
    ("tribunal:Lima", "court:Lima", 0),
    ("tipo:sentencia", "type:sentencia", 0),
    ('titulo:"lavado de activos"', 'title:"lavado de activos"', 0),
    ("person:quis*", "person:quis*", 0),
    ("year:2019", "year:2019", 0),
    ("año:2019", "year:2019", 0),
    ("year:2015..2019", "year:2015..2019", 0),
    ("year:>2018", "year:2019..", 0),
    ("year:<=2018", "year:..2018", 0),
    ("DL 1106", 'law:"Decreto Legislativo 1106"', 0),
    ("art. 296 del CP", 'law:"Código Penal art. 296"', 0),
    # slips read sensibly, each with a warning
    ('"unclosed', '"unclosed"', 1),
    ("(open", "open", 1),
    ("a)", "a", 1),
    ("a OR", "a", 1),
    ("OR a", "a", 1),
    ("AND a", "a", 1),
    ("a AND", "a", 1),
    ("()", "*", 1),
    ('""', "*", 0),
    ("court: x", "court x", 1),
    ("foo:bar", "foo bar", 1),
]


@pytest.mark.parametrize("q, read_as, warnings", READINGS)
def test_reading(q, read_as, warnings):
    parsed = parse(q)
    assert describe(parsed.tree) == read_as
    assert len(parsed.warnings) == warnings, parsed.warnings


UNREADABLE = [
    # query, position of the problem, words of the message
    ("year:abc", 5, "year takes a year or a range"),
    ("year:2019-2015", 5, "runs backwards"),
    ("court:(a b)", 6, "brackets are not allowed"),
    ("(" * (MAX_DEPTH + 1) + "a", MAX_DEPTH, "nest deeper"),
    (" ".join(f"w{i}" for i in range(MAX_CLAUSES + 1)), len(" ".join(f"w{i}" for i in range(MAX_CLAUSES))) + 1,
     "more than"),
]


@pytest.mark.parametrize("q, position, words", UNREADABLE)
def test_unreadable(q, position, words):
    with pytest.raises(QuerySyntaxError, match=words) as err:
        parse(q)
    assert err.value.position == position


TREES = [
    ("", MatchAll()),
    ("a b", Words("a b")),
    ("a AND b", Words("a b", strict=True)),
    ("+a b", And((Words("a", strict=True), Words("b")))),
    ("a OR b", Or((Words("a"), Words("b")))),
    ("a -b", And((Words("a"), Not(Words("b"))))),
    ('"a b"', Phrase("a b")),
    ("ab*", Prefix("ab")),
    ("ab~", Words("ab", fuzzy=True)),
    ("DL 1106", Citation("law", "Decreto Legislativo 1106", "DL 1106")),
]


@pytest.mark.parametrize("q, tree", TREES)
def test_tree(q, tree):
    assert parse(q).tree == tree


def test_a_field_term_names_its_registry_field_and_its_value():
    tree = parse("persona:quispe").tree
    assert isinstance(tree, FieldValue)
    assert (tree.field.key, tree.field.entity, tree.kind, tree.value) == ("persons", "per", "word", "quispe")
    years = parse("year:2015..2019").tree
    assert isinstance(years, FieldValue) and (years.kind, years.value) == ("range", (2015, 2019))
