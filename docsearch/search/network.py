"""Who appears with whom: the co-occurrence network of the entities of the documents a search selects.

``GET /api/network?q=…&filters…&types=persons,criminal_orgs,…``. Two engine requests, both through the
service's ``_find`` (so the read rule applies to nodes, edges and counts exactly as to hits):

1. the nodes: the entities of each requested field most often named in the selected documents (``terms``
   aggregations), with their document counts;
2. the edges: for every pair of nodes, how many *pages* name both (an ``adjacency_matrix`` aggregation over the
   nested pages of the selected documents): a page is the unit of a link, as two names in one report's annex
   and its cover letter are not linked the way two names in one paragraph are.

Edges are ranked by weight and capped. ``graphml`` and ``csv`` give the same network for i2 and Gephi users.
"""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape, quoteattr

from docsearch.fields import Field, Registry
from docsearch.search.request import InvalidQuery

DEFAULT_FIELDS = ("persons", "criminal_orgs", "organizations", "operations", "cases")
MAX_NODES = 60  # the adjacency matrix holds at most this many filters (the engine's own limit is 100)
MAX_EDGES = 300


def network_fields(registry: Registry, keys: list[str] | None) -> list[Field]:
    """The entity fields asked for (facet keys), default :data:`DEFAULT_FIELDS`."""
    wanted = keys or [k for k in DEFAULT_FIELDS if k in registry.entity_facets]
    if any(k not in registry.entity_facets for k in wanted):
        raise InvalidQuery(f"types are entity facets: {', '.join(registry.entity_facets)}.")
    return [registry[k] for k in dict.fromkeys(wanted)]


def nodes_body(query: dict, fields: list[Field], per_field: int) -> dict:
    return {"size": 0, "track_total_hits": True, "query": query,
            "aggs": {f.key: {"terms": {"field": f"entities.{f.entity}", "size": per_field}} for f in fields}}


def node_id(field: Field, value: str) -> str:
    return f"{field.entity}:{value}"


def nodes_from(found: dict, fields: list[Field]) -> list[dict]:
    aggs = found.get("aggregations") or {}
    nodes = []
    for field in fields:
        for bucket in (aggs.get(field.key) or {}).get("buckets", []):
            value = str(bucket["key"])
            nodes.append({"id": node_id(field, value), "field": field.key, "type": field.entity, "value": value,
                          "documents": bucket["doc_count"]})
    nodes.sort(key=lambda n: (-n["documents"], n["id"]))
    return nodes[:MAX_NODES]


def edges_body(query: dict, nodes: list[dict]) -> dict:
    """The pages of the selected documents naming each pair of nodes (``adjacency_matrix`` keys: ``n3&n7``)."""
    filters = {f"n{i}": {"term": {f"pages.entities.{n['type']}": n["value"]}} for i, n in enumerate(nodes)}
    return {"size": 0, "track_total_hits": False, "query": query,
            "aggs": {"pages": {"nested": {"path": "pages"},
                               "aggs": {"pairs": {"adjacency_matrix": {"filters": filters}}}}}}


def edges_from(found: dict, nodes: list[dict]) -> list[dict]:
    buckets = ((((found.get("aggregations") or {}).get("pages") or {}).get("pairs") or {}).get("buckets") or [])
    edges = []
    for bucket in buckets:
        key = str(bucket["key"])
        if "&" not in key:
            continue  # a node's own pages
        a, b = (int(part[1:]) for part in key.split("&"))
        edges.append({"source": nodes[a]["id"], "target": nodes[b]["id"], "pages": bucket["doc_count"]})
    edges.sort(key=lambda e: (-e["pages"], e["source"], e["target"]))
    return edges[:MAX_EDGES]


def as_csv(network: dict) -> str:
    """The edges as CSV (source, target, weight = pages naming both), with each node's type and field."""
    out = io.StringIO()
    writer = csv.writer(out)
    kinds = {n["id"]: n for n in network["nodes"]}
    writer.writerow(["source", "source_type", "target", "target_type", "weight"])
    for e in network["edges"]:
        writer.writerow([kinds[e["source"]]["value"], kinds[e["source"]]["type"], kinds[e["target"]]["value"],
                         kinds[e["target"]]["type"], e["pages"]])
    return out.getvalue()


def as_graphml(network: dict) -> str:
    """The network as GraphML (an undirected graph; node attributes type, field, label, documents; edge weight)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
             '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
             '  <key id="type" for="node" attr.name="type" attr.type="string"/>',
             '  <key id="field" for="node" attr.name="field" attr.type="string"/>',
             '  <key id="documents" for="node" attr.name="documents" attr.type="int"/>',
             '  <key id="weight" for="edge" attr.name="weight" attr.type="int"/>',
             '  <graph id="docsearch" edgedefault="undirected">']
    for n in network["nodes"]:
        lines.append(f'    <node id={quoteattr(n["id"])}><data key="label">{escape(n["value"])}</data>'
                     f'<data key="type">{escape(n["type"])}</data><data key="field">{escape(n["field"])}</data>'
                     f'<data key="documents">{n["documents"]}</data></node>')
    for i, e in enumerate(network["edges"]):
        lines.append(f'    <edge id="e{i}" source={quoteattr(e["source"])} target={quoteattr(e["target"])}>'
                     f'<data key="weight">{e["pages"]}</data></edge>')
    lines += ["  </graph>", "</graphml>"]
    return "\n".join(lines) + "\n"
