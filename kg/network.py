"""A networkx view of the RDF graph: papers and entities as nodes, relations as keyed edges (read-only)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterator, Tuple, Union

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from .export import load_graph
from .namespaces import KGO
from .rdf import ENTITY_CLASSES

__all__ = ["NODE_TYPES", "EDGE_PROPERTIES", "evidence_statements", "edge_evidence", "to_networkx", "flatten_for_export"]

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


def evidence_statements(graph: Graph) -> Iterator[Tuple[Tuple[URIRef, URIRef, URIRef], tuple, Dict[str, str]]]:
    """Every evidence node as (its triple, a rank, {"sentence", and for a role "cue"}). The rank orders the
    evidence of one thing best first: the most confident, then the shortest sentence, then the text, so a choice
    by it is the same on every run."""
    for ev in graph.subjects(RDF.type, KGO.Evidence):
        triple = (graph.value(ev, RDF.subject), graph.value(ev, RDF.predicate), graph.value(ev, RDF.object))
        sentence = graph.value(ev, KGO.sentence)
        if None in triple or sentence is None:
            continue
        text = " ".join(str(sentence).split())
        conf = graph.value(ev, KGO.confidence)
        attrs = {"sentence": text}
        cue = graph.value(ev, KGO.roleCue)
        if cue is not None:
            attrs["cue"] = str(cue)
        yield triple, (-float(conf) if conf is not None else 0.0, len(text), text), attrs


def edge_evidence(graph: Graph) -> Dict[Tuple[URIRef, URIRef, URIRef], Dict[str, str]]:
    """(subject, predicate, object) -> the `sentence` of its evidence node and, for a role, the `cue` that gave
    it (`kgo:roleCue`); the best by `evidence_statements`' rank, were there more than one."""
    best: Dict[Tuple[URIRef, URIRef, URIRef], Tuple[tuple, Dict[str, str]]] = {}
    for triple, rank, attrs in evidence_statements(graph):
        if triple not in best or rank < best[triple][0]:
            best[triple] = (rank, attrs)
    return {triple: attrs for triple, (_, attrs) in best.items()}


def to_networkx(graph: Union[Graph, str, Path]) -> nx.MultiDiGraph:
    """The view of `graph`: an rdflib Graph, or a graph file or Oxigraph store (a folder or `oxigraph:PATH`) that
    `kg.load_graph` reads. Nodes are IRIs (str) with `type`, `label` and, where known, `aliases`, `title_zh`,
    `date`, `papers`; edges are keyed by relation local name (`proposes`, `uses`, ...) with, where the graph says
    why, the evidence's `sentence` and the role's `cue` (`edge_evidence`)."""
    if isinstance(graph, (str, Path)):
        graph = load_graph(graph)
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
    why = edge_evidence(graph)
    for prop in EDGE_PROPERTIES:
        key = _local(prop)
        for s, o in sorted(graph.subject_objects(prop)):
            if str(s) not in view or str(o) not in view:
                continue
            if prop == KGO.mentions and any(
                (s, p, o) in graph for p in (KGO.proposes, KGO.uses, KGO.evaluatesOn, KGO.comparesWith)
            ):
                continue
            view.add_edge(str(s), str(o), key=key, relation=key, **why.get((s, prop, o), {}))
    return view


def flatten_for_export(view: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are scalars (GraphML and GEXF take no lists): lists joined with "; "."""
    flat = nx.MultiDiGraph()
    for node, attrs in view.nodes(data=True):
        flat.add_node(node, **{k: "; ".join(v) if isinstance(v, list) else v for k, v in attrs.items()})
    for s, o, key, attrs in view.edges(keys=True, data=True):
        flat.add_edge(s, o, key=key, **attrs)
    return flat
