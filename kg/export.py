"""Exporters behind one registry: a format name -> a function `(graph, path)` that writes the file atomically.

RDF syntaxes go through rdflib's serializers; GraphML and GEXF through the networkx view; HTML through pyvis.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Tuple, Union

from rdflib import Graph

from .errors import Errors, KGError
from .fileio import atomic_open

__all__ = ["Exporter", "EXPORTERS", "export", "get_exporter", "load_graph", "write_rdf"]


@dataclass(frozen=True)
class Exporter:
    name: str
    suffix: str
    write: Callable[[Graph, Path], None]
    aliases: Tuple[str, ...] = ()
    description: str = ""


def write_rdf(graph: Graph, path: Union[str, Path], rdf_format: str = "turtle") -> None:
    """Serialize `graph` with rdflib's `rdf_format` serializer to `path`, atomically."""
    data = graph.serialize(format=rdf_format, encoding="utf-8")
    with atomic_open(path, "wb") as fh:
        fh.write(data)


def _rdf(rdf_format: str) -> Callable[[Graph, Path], None]:
    return lambda graph, path: write_rdf(graph, path, rdf_format)


def _trig(graph: Graph, path: Path) -> None:
    """TriG with the graph named `<base>graph` (rdflib would name the default graph with a new blank node
    on every run)."""
    from rdflib import Dataset, URIRef

    from .defaults import BASE_IRI

    ds = Dataset()
    for prefix, ns in graph.namespaces():
        ds.bind(prefix, ns, override=True, replace=True)
    named = ds.graph(URIRef(BASE_IRI + "graph"))
    for triple in graph:
        named.add(triple)
    write_rdf(ds, path, "trig")


def _networkx(writer: str) -> Callable[[Graph, Path], None]:
    """A writer of the networkx view with `networkx.<writer>` (write_graphml, write_gexf)."""

    def write(graph: Graph, path: Path) -> None:
        import networkx as nx

        from .network import flatten_for_export, to_networkx

        with atomic_open(path, "wb") as fh:
            getattr(nx, writer)(flatten_for_export(to_networkx(graph)), fh)

    return write


EXPORTERS: Dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("turtle", ".ttl", _rdf("turtle"), ("ttl", "text/turtle"), "Turtle (default)"),
        Exporter("nt", ".nt", _rdf("nt"), ("ntriples", "n-triples"), "N-Triples"),
        Exporter("json-ld", ".jsonld", _rdf("json-ld"), ("jsonld",), "JSON-LD"),
        Exporter("trig", ".trig", _trig, (), "TriG (one named graph)"),
        Exporter("xml", ".rdf", _rdf("pretty-xml"), ("rdfxml", "rdf/xml"), "RDF/XML"),
        Exporter("graphml", ".graphml", _networkx("write_graphml"), (), "GraphML of the networkx view"),
        Exporter("gexf", ".gexf", _networkx("write_gexf"), (), "GEXF of the networkx view (Gephi)"),
    )
}


def get_exporter(name: str) -> Exporter:
    """The exporter registered under `name` or one of its aliases; KGError for an unknown name."""
    key = name.lower()
    for exporter in EXPORTERS.values():
        if key == exporter.name or key in exporter.aliases:
            return exporter
    raise KGError(Errors.E040.format(name=name, choices=", ".join(sorted(EXPORTERS))))


def export(graph: Graph, path: Union[str, Path], fmt: str = "turtle") -> Path:
    """Write `graph` to `path` in format `fmt`; returns the path."""
    path = Path(path)
    get_exporter(fmt).write(graph, path)
    return path


_PARSE_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig",
                  ".rdf": "xml", ".xml": "xml", ".n3": "n3", ".nq": "nquads"}


def load_graph(path: Union[str, Path]) -> Graph:
    """Parse an RDF file (format from its suffix, Turtle by default); KGError with the parser's message."""
    from .namespaces import bind_all

    path = Path(path)
    graph = bind_all(Graph())
    try:
        graph.parse(path, format=_PARSE_FORMATS.get(path.suffix.lower(), "turtle"))
    except Exception as exc:  # rdflib raises many kinds; all mean "not a readable graph"
        raise KGError(Errors.E041.format(path=path, reason=str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)) from None
    return graph
