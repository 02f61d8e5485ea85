"""The legal thesaurus applied to a parsed query: plain words it knows (``coima``, ``PBC``, ``blanqueo de
capitales``) are also searched as the other terms of their set (``nlp/data/thesaurus.jsonl``, see
``docs/thesaurus.md``). At query time: no index holds synonyms, so adding an entry needs no reindex.

Words the user asked for one by one (``+word``, ``AND``), phrases and exclusions stay as typed.
"""

from __future__ import annotations

from dataclasses import replace

from docsearch.search.tree import And, Node, Or, Synonym, Words, positives
from nlp.thesaurus import expansions

# Each term searched is a clause per field, in the match, the all-words tier and the page ranking; the engine
# refuses a query of more than 1,024 clauses. So a query expands at most this many of its terms, each with its
# first alternatives (the entry lists the closest first).
MAX_EXPANDED = 4
MAX_ALTERNATIVES = 6


def expand(node: Node) -> Node:
    """The query with its runs of plain words carrying the thesaurus terms found in them (the first
    ``MAX_EXPANDED`` terms of the query)."""
    budget = [MAX_EXPANDED]

    def walk(node: Node) -> Node:
        if isinstance(node, Words) and not node.strict and budget[0] > 0:
            found = expansions(node.text)[:budget[0]]
            if not found:
                return node
            budget[0] -= len(found)
            return replace(node, synonyms=tuple(
                Synonym(e.start, e.end, e.surface, e.alternatives[:MAX_ALTERNATIVES], e.related[:MAX_ALTERNATIVES])
                for e in found))
        if isinstance(node, And):
            return And(tuple(walk(child) for child in node.children))
        if isinstance(node, Or):
            return Or(tuple(walk(child) for child in node.children))
        return node

    return walk(node)


def described(tree: Node) -> list[dict]:
    """What was also searched, for the response (``query.expansions``)."""
    return [{"term": s.surface, "alternatives": list(s.alternatives), "related": list(s.related)}
            for leaf in positives(tree) if isinstance(leaf, Words) for s in leaf.synonyms]
