"""Exporters behind one registry: a format name -> a function `(graph, path)` that writes the file atomically.

RDF syntaxes go through rdflib's serializers; GraphML and GEXF through the networkx view; HTML through pyvis.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Optional, Tuple, Union

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


def _ntriples(graph: Graph, path: Path) -> None:
    """N-Triples, one statement a line, sorted: rdflib writes them in its store's order, which changes from run
    to run (string hashing), so the same graph would give other bytes each time."""
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    with atomic_open(path, "wb") as fh:
        fh.writelines(sorted(line for line in lines if line.strip()))


def _sorted_jsonld(doc: object, key: Optional[str] = None) -> object:
    """Expanded JSON-LD with nodes sorted by "@id" and every set of values sorted; an "@list" keeps its order."""
    import json

    if isinstance(doc, dict):
        return {k: _sorted_jsonld(v, k) for k, v in sorted(doc.items())}
    if isinstance(doc, list):
        items = [_sorted_jsonld(v) for v in doc]
        return items if key == "@list" else sorted(items, key=lambda v: json.dumps(v, sort_keys=True,
                                                                                    ensure_ascii=False))
    return doc


def _jsonld(graph: Graph, path: Path) -> None:
    """JSON-LD (expanded, as rdflib writes it), sorted so that the same graph gives the same bytes: rdflib writes
    nodes and values in its store's order, which changes from run to run."""
    import json

    doc = _sorted_jsonld(json.loads(graph.serialize(format="json-ld", encoding="utf-8")))
    with atomic_open(path, "wb") as fh:
        fh.write(json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8") + b"\n")


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
        Exporter("nt", ".nt", _ntriples, ("ntriples", "n-triples"), "N-Triples (sorted)"),
        Exporter("json-ld", ".jsonld", _jsonld, ("jsonld",), "JSON-LD (expanded, sorted)"),
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


def export(graph: Union[Graph, str, Path], path: Union[str, Path], fmt: str = "turtle") -> Path:
    """Write `graph` (an rdflib Graph, or a graph file or store that `load_graph` reads) to `path` in format
    `fmt`; returns the path."""
    exporter = get_exporter(fmt)  # an unknown format fails before a big graph is read
    if isinstance(graph, (str, Path)):
        graph = load_graph(graph)
    path = Path(path)
    exporter.write(graph, path)
    return path


_PARSE_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".json": "json-ld", ".trig": "trig",
                  ".rdf": "xml", ".xml": "xml", ".n3": "n3", ".nq": "nquads"}


#: Characters of the offending line shown on each side of a syntax error's position.
_CONTEXT_CHARS = 60
#: Lines, and characters per line, of a parser's message shown at most.
_REASON_LINES, _REASON_LINE_CHARS = 12, 200


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _point_at(line: str, number: int, column: int, why: str) -> str:
    """The reason "syntax error at line L, column C: WHY", then the line (clipped around the position) and a caret
    under it; `column` counts from 0."""
    line = line.replace("\t", " ")
    lo = max(0, column - _CONTEXT_CHARS)
    shown = ("..." if lo else "") + _clip(line[lo:], 2 * _CONTEXT_CHARS)
    caret = " " * (column - lo + (3 if lo else 0)) + "^"
    return f"syntax error at line {number}, column {column + 1}: {why}\n    {shown}\n    {caret}"


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
        return _point_at(text[start: len(text) if end < 0 else end], text.count("\n", 0, pos) + 1, pos - start, why)
    lines = [_clip(line.rstrip(), _REASON_LINE_CHARS) for line in str(exc).strip().splitlines() if line.strip()]
    if len(lines) > _REASON_LINES:
        lines[_REASON_LINES - 1:] = [f"... ({len(lines) - _REASON_LINES + 1} more lines)"]
    return "\n".join(lines) or type(exc).__name__


#: rdflib's line-based formats: their parser's error names neither the line nor the column.
_LINE_FORMATS = ("nt", "nquads")


class _Discard:
    """Sink of `_first_bad_line`'s parser, for N-Triples (`triple`) and N-Quads (`get_context(...).add`)."""

    def triple(self, *_) -> None:
        pass

    add = triple

    def get_context(self, *_) -> "_Discard":
        return self

    @property
    def default_context(self) -> "_Discard":
        return self


#: rdflib's N-Triples messages (their start) in words; "Failed to eat REGEX at REST" names the regex by its name in
#: rdflib's module (a later rdflib may rename one: its message is then kept as it is).
_LINE_WHY = {"Subject must be": "expected a subject: an IRI <...> or a blank node _:label",
             "Predicate must be": "expected a predicate: an IRI <...>",
             "Unrecognised object type": 'expected an object: an IRI <...>, a blank node _:label or a literal "..."',
             "Trailing garbage": "text after the statement's final '.'"}
_EAT_WHY = {"r_tail": "expected '.' at the end of the statement", "r_wspaces": "expected a space between terms",
            "r_uriref": "malformed IRI (no scheme, or a space, quote or angle bracket inside <...>)",
            "r_nodeid": "malformed blank node label", "r_literal": "malformed literal"}


def _line_why(message: str) -> str:
    """WHY of `_point_at` for a message of rdflib's N-Triples or N-Quads parser."""
    from rdflib.plugins.parsers import ntriples

    for start, why in _LINE_WHY.items():
        if message.startswith(start):
            return why
    for name, why in _EAT_WHY.items():
        regex = getattr(ntriples, name, None)
        if regex is not None and message.startswith(f"Failed to eat {regex.pattern} at"):
            return why
    return _clip(message.strip().split("\n")[0], _REASON_LINE_CHARS) or "not a statement"


def _first_bad_line(path: Path, fmt: str) -> Optional[str]:
    """Where an N-Triples or N-Quads file that rdflib failed on goes wrong, as `_point_at` says it; None when
    every line reads (the failure was elsewhere). Only called on failure: each line is parsed again on its own,
    by the parser rdflib used, and the column is where that parser stopped."""
    from rdflib.plugins.parsers.nquads import NQuadsParser
    from rdflib.plugins.parsers.ntriples import W3CNTriplesParser

    parser = (NQuadsParser if fmt == "nquads" else W3CNTriplesParser)(sink=_Discard())
    try:
        # newline="": lines end at CR, LF or CRLF, as for rdflib's parser; surrogateescape keeps a byte that is
        # not UTF-8 in its line, to be named there
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
            for number, raw in enumerate(fh, 1):
                line = raw.rstrip("\r\n")
                try:
                    line.encode("utf-8")
                except UnicodeEncodeError as exc:  # shown with U+FFFD for the bad bytes
                    shown = line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                    return _point_at(shown, number, exc.start, "not UTF-8")
                parser.line = line
                try:
                    parser.parseline({})
                except Exception as exc:  # ParseError mostly; a term rdflib cannot build is as bad
                    return _point_at(line, number, len(line) - len(parser.line or ""), _line_why(str(exc)))
    except OSError:  # unreadable now: rdflib's own message says why
        pass
    return None


def load_graph(path: Union[str, Path]) -> Graph:
    """Parse an RDF file (format from its suffix, Turtle by default), or read an Oxigraph store (a store folder
    or `oxigraph:PATH`: the triples of all its graphs, as `kg query` sees them) into an rdflib Graph.
    KGError with the parser's whole reason (for Turtle, N-Triples and N-Quads: line, column and the offending
    line), E041 for a missing path or a folder that holds no store."""
    from .namespaces import bind_all
    from .store import read_store, store_folder

    graph = bind_all(Graph())
    store = store_folder(path)
    if store is not None:
        return read_store(store, graph)
    path = Path(path)
    fmt = _PARSE_FORMATS.get(path.suffix.lower(), "turtle")
    try:
        graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds; all mean "not a readable graph"
        reason = (_first_bad_line(path, fmt) if fmt in _LINE_FORMATS else None) or _parse_reason(exc)
        raise KGError(Errors.E041.format(path=path, reason=reason)) from None
    return graph
