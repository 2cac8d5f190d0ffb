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


#: Characters of the offending line shown on each side of a syntax error's position.
_CONTEXT_CHARS = 60
#: Lines, and characters per line, of a parser's message shown at most.
_REASON_LINES, _REASON_LINE_CHARS = 12, 200


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _parse_reason(exc: BaseException) -> str:
    """What a parser's exception says, whole and without a traceback. rdflib's Turtle, TriG and N3 parser
    (`BadSyntax`, whose own text is "at line N of <>:" then the document as a bytes literal) becomes
    "syntax error at line L, column C: WHY", then the line with a caret under the position; any other parser's
    message is kept on all its lines (each clipped, a few at most)."""
    why, doc, pos = getattr(exc, "_why", None), getattr(exc, "_str", None), getattr(exc, "_i", None)
    if isinstance(exc, SyntaxError) and isinstance(why, str) and isinstance(doc, bytes) and isinstance(pos, int):
        text = doc.decode("utf-8", "replace")  # rdflib keeps the parsed text as UTF-8; `_i` indexes the text
        pos = max(0, min(pos, len(text)))
        start = text.rfind("\n", 0, pos) + 1
        end = text.find("\n", pos)
        line = text[start: len(text) if end < 0 else end].replace("\t", " ")
        column = pos - start
        lo = max(0, column - _CONTEXT_CHARS)
        shown = ("..." if lo else "") + _clip(line[lo:], 2 * _CONTEXT_CHARS)
        caret = " " * (column - lo + (3 if lo else 0)) + "^"
        return (f"syntax error at line {text.count(chr(10), 0, pos) + 1}, column {column + 1}: {why}\n"
                f"    {shown}\n    {caret}")
    lines = [_clip(line.rstrip(), _REASON_LINE_CHARS) for line in str(exc).strip().splitlines() if line.strip()]
    if len(lines) > _REASON_LINES:
        lines[_REASON_LINES - 1:] = [f"... ({len(lines) - _REASON_LINES + 1} more lines)"]
    return "\n".join(lines) or type(exc).__name__


def load_graph(path: Union[str, Path]) -> Graph:
    """Parse an RDF file (format from its suffix, Turtle by default), or read an Oxigraph store (a store folder
    or `oxigraph:PATH`: the triples of all its graphs, as `kg query` sees them) into an rdflib Graph.
    KGError with the parser's whole reason (for Turtle: line, column and the offending line), E041 for a
    missing path or a folder that holds no store."""
    from .namespaces import bind_all
    from .store import read_store, store_folder

    graph = bind_all(Graph())
    store = store_folder(path)
    if store is not None:
        return read_store(store, graph)
    path = Path(path)
    try:
        graph.parse(path, format=_PARSE_FORMATS.get(path.suffix.lower(), "turtle"))
    except Exception as exc:  # rdflib raises many kinds; all mean "not a readable graph"
        raise KGError(Errors.E041.format(path=path, reason=_parse_reason(exc))) from None
    return graph
