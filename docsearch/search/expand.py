"""The legal thesaurus applied to a parsed query: plain words it knows (``coima``, ``PBC``, ``blanqueo de
capitales``) are also searched as the other terms of their set (``nlp/data/thesaurus.jsonl``, see
``docs/thesaurus.md``). At query time: no index holds synonyms, so adding an entry needs no reindex.

Words the user asked for one by one (``+word``, ``AND``), phrases and exclusions stay as typed.
"""

from __future__ import annotations

from dataclasses import replace

from docsearch.search.tree import And, Node, Or, Synonym, Words, positives
from nlp.thesaurus import expansions


def expand(node: Node) -> Node:
    """The query with every run of plain words carrying the thesaurus terms found in it."""
    if isinstance(node, Words) and not node.strict:
        found = expansions(node.text)
        if not found:
            return node
        return replace(node, synonyms=tuple(Synonym(e.start, e.end, e.surface, e.alternatives, e.related)
                                            for e in found))
    if isinstance(node, And):
        return And(tuple(expand(child) for child in node.children))
    if isinstance(node, Or):
        return Or(tuple(expand(child) for child in node.children))
    return node


def described(tree: Node) -> list[dict]:
    """What was also searched, for the response (``query.expansions``)."""
    return [{"term": s.surface, "alternatives": list(s.alternatives), "related": list(s.related)}
            for leaf in positives(tree) if isinstance(leaf, Words) for s in leaf.synonyms]
