"""A networkx view of the RDF graph: papers and entities as nodes, relations as keyed edges (read-only)."""

from __future__ import annotations

from typing import Dict

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .namespaces import KGO
from .rdf import ENTITY_CLASSES

__all__ = ["NODE_TYPES", "EDGE_PROPERTIES", "to_networkx", "flatten_for_export"]

#: Ontology class -> node type label used in the view.
NODE_TYPES: Dict[URIRef, str] = {KGO.Paper: "PAPER", **{cls: t.value for t, cls in ENTITY_CLASSES.items()}}

#: Object properties shown as edges (the plain `mentions` is implied by its sub-properties and kept only
#: where no role says more).
EDGE_PROPERTIES = (
    KGO.mentions,
    KGO.proposes,
    KGO.uses,
    KGO.evaluatesOn,
    KGO.comparesWith,
    KGO.variantOf,
    KGO.basedOn,
    KGO.evaluatedOn,
)


def _local(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Nodes are IRIs (str) with `type`, `label` and, where known, `aliases`, `title_zh`, `date`, `papers`;
    edges are keyed by relation local name (`proposes`, `uses`, ...)."""
    view = nx.MultiDiGraph()
    for cls, node_type in NODE_TYPES.items():
        for node in sorted(graph.subjects(RDF.type, cls)):
            attrs = {"type": node_type, "label": str(graph.value(node, RDFS.label) or _local(node))}
            if node_type == "PAPER":
                zh = [str(t) for t in graph.objects(node, DCTERMS.title) if t.language == "zh"]
                if zh:
                    attrs["title_zh"] = zh[0]
                date = graph.value(node, DCTERMS.date)
                if date is not None:
                    attrs["date"] = str(date)
            else:
                attrs["aliases"] = sorted(str(a) for a in graph.objects(node, SKOS.altLabel))
                count = graph.value(node, KGO.paperCount)
                attrs["papers"] = int(count) if count is not None else 0
            view.add_node(str(node), **attrs)
    for prop in EDGE_PROPERTIES:
        key = _local(prop)
        for s, o in sorted(graph.subject_objects(prop)):
            if str(s) not in view or str(o) not in view:
                continue
            if prop == KGO.mentions and any(
                (s, p, o) in graph for p in (KGO.proposes, KGO.uses, KGO.evaluatesOn, KGO.comparesWith)
            ):
                continue
            view.add_edge(str(s), str(o), key=key, relation=key)
    return view


def flatten_for_export(view: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are scalars (GraphML and GEXF take no lists): lists joined with "; "."""
    flat = nx.MultiDiGraph()
    for node, attrs in view.nodes(data=True):
        flat.add_node(node, **{k: "; ".join(v) if isinstance(v, list) else v for k, v in attrs.items()})
    for s, o, key, attrs in view.edges(keys=True, data=True):
        flat.add_edge(s, o, key=key, **attrs)
    return flat
