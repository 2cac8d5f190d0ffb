"""Exporters behind one registry: a format name -> a function `(graph, path)` that writes the file atomically.

RDF syntaxes go through rdflib's serializers, except JSON-LD and RDF/XML, written here in a sorted order (rdflib
writes them in its store's hash order); GraphML and GEXF go through the networkx view; HTML through pyvis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Callable, Dict, Iterator, Optional, Set, Tuple, Union
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

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
    """JSON-LD with nodes sorted by "@id" and every set of values sorted; an "@list" keeps its order."""
    import json

    if isinstance(doc, dict):
        return {k: _sorted_jsonld(v, k) for k, v in sorted(doc.items())}
    if isinstance(doc, list):
        items = [_sorted_jsonld(v) for v in doc]
        return items if key == "@list" else sorted(items, key=lambda v: json.dumps(v, sort_keys=True,
                                                                                    ensure_ascii=False))
    return doc


#: What a namespace must end with to serve as a JSON-LD 1.1 prefix: a processor expands `p:x` only through a term
#: whose IRI ends in one of these gen-delims (https://www.w3.org/TR/json-ld11/#compact-iris).
_GEN_DELIMS = tuple(":/?#[]@")


def _jsonld_prefixes(graph: Graph) -> Dict[str, str]:
    """The graph's bound prefixes (name -> namespace) a compact IRI may use. A prefix named like the scheme of one
    of the graph's IRIs is left out: that IRI, written in full (`urn:x`), would otherwise read as `prefix:local`."""
    iris = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    iris |= {str(o.datatype) for o in graph.objects() if isinstance(o, Literal) and o.datatype}
    schemes = {iri.split(":", 1)[0] for iri in iris}
    return {prefix: str(ns) for prefix, ns in graph.namespaces()
            if prefix and prefix not in schemes and str(ns).endswith(_GEN_DELIMS)}


def _iri_compactor(prefixes: Dict[str, str], used: Set[str]) -> Callable[[str], str]:
    """`compact(iri)`: `prefix:local` by the longest namespace of `prefixes` (adding the prefix to `used`), or the
    IRI in full. An empty local name, or one starting with "//", would read as another IRI, so stays in full."""
    longest_first = sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0]))

    def compact(iri: str) -> str:
        for prefix, ns in longest_first:
            local = iri[len(ns):]
            if iri.startswith(ns) and local and not local.startswith("//"):
                used.add(prefix)
                return f"{prefix}:{local}"
        return iri

    return compact


def _jsonld_node_id(term: Node, compact: Callable[[str], str]) -> str:
    return f"_:{term}" if isinstance(term, BNode) else compact(str(term))


def _jsonld_value(term: Node, compact: Callable[[str], str]) -> object:
    """An object in compact JSON-LD. A literal keeps its lexical form as a string, never a JSON number or boolean
    (as rdflib writes them): JSON-LD reads a number back in canonical form (the double 0.5 as "5.0E-1", another
    literal), and a JSON writer may refuse an integer beyond 64 bits."""
    if not isinstance(term, Literal):
        return {"@id": _jsonld_node_id(term, compact)}
    if term.language:
        return {"@language": term.language, "@value": str(term)}
    if term.datatype:
        return {"@type": compact(str(term.datatype)), "@value": str(term)}
    return str(term)


def _compact_jsonld(graph: Graph) -> dict:
    """`graph` as compact JSON-LD: {"@context": the bound prefixes it uses, "@graph": one node per subject}, IRI
    objects of rdf:type under "@type", a single value not wrapped in a list. The context is embedded, never a
    remote URL: a reader would fetch it over the network."""
    used: Set[str] = set()
    prefixes = _jsonld_prefixes(graph)
    compact = _iri_compactor(prefixes, used)
    nodes: Dict[Node, Dict[str, list]] = {}
    for s, p, o in graph:
        node = nodes.setdefault(s, {})
        if p == RDF.type and isinstance(o, URIRef):
            node.setdefault("@type", []).append(compact(str(o)))
        else:
            node.setdefault(compact(str(p)), []).append(_jsonld_value(o, compact))
    listed = [{"@id": _jsonld_node_id(s, compact), **{k: v[0] if len(v) == 1 else v for k, v in node.items()}}
              for s, node in nodes.items()]
    return {"@context": {prefix: prefixes[prefix] for prefix in sorted(used)}, "@graph": listed}


def _jsonld(graph: Graph, path: Path) -> None:
    """Compact JSON-LD, sorted so that the same graph gives the same bytes."""
    import json

    doc = _sorted_jsonld(_compact_jsonld(graph))
    with atomic_open(path, "wb") as fh:
        fh.write(json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8") + b"\n")


def _rdfxml_order(triple: Tuple[Node, Node, Node]) -> Tuple[str, bool, str, str]:
    """Sort key of RDF/XML: by subject, its rdf:type first (read first), then by property and value."""
    s, p, o = triple
    return s.n3(), p != RDF.type, p.n3(), o.n3()


#: What XML 1.0 cannot hold at all, not even as a character reference.
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: A raw CR would be read back as a line feed (XML's end-of-line handling).
_XML_TEXT_ESCAPES = {"\r": "&#13;"}


def _xml_names(graph: Graph) -> Dict[Node, Tuple[str, str, str]]:
    """Each property of `graph` -> (element name `prefix:local`, prefix, namespace), by the graph's bound prefixes,
    or ns1, ns2, ... named in sorted order. KGError E096 for a property whose IRI ends in no XML name."""
    names = Graph(bind_namespaces="core")  # a copy: naming ns1 must not bind it on `graph`
    for prefix, ns in graph.namespaces():
        names.bind(prefix, ns, override=True, replace=True)
    qnames = {}
    for predicate in sorted(set(graph.predicates())):
        try:
            prefix, ns, local = names.namespace_manager.compute_qname_strict(predicate)
        except ValueError:
            raise KGError(Errors.E096.format(iri=predicate)) from None
        qnames[predicate] = (f"{prefix}:{local}" if prefix else local, prefix, str(ns))
    return qnames


def _xml_node_id(term: BNode) -> str:
    """An rdf:nodeID, which must be an XML name: a blank node label may start with a digit (`_:1`), so every label
    gets the same letter in front."""
    return quoteattr(f"b{term}")


def _xml_object(term: Node) -> Tuple[str, Optional[str]]:
    """Attributes and text (None: an empty element) of a property element holding `term`."""
    if isinstance(term, BNode):
        return f" rdf:nodeID={_xml_node_id(term)}", None
    if not isinstance(term, Literal):
        return f" rdf:resource={quoteattr(str(term))}", None
    bad = _NOT_XML_RE.search(str(term))
    if bad:
        raise KGError(Errors.E097.format(char=f"U+{ord(bad.group()):04X}", literal=_clip(str(term), 60)))
    attributes = f" xml:lang={quoteattr(term.language)}" if term.language else ""
    attributes += f" rdf:datatype={quoteattr(str(term.datatype))}" if term.datatype else ""
    return attributes, escape(str(term), _XML_TEXT_ESCAPES)


def _rdfxml(graph: Graph, path: Path) -> None:
    """RDF/XML, one rdf:Description per subject, subjects and properties sorted, so that the same graph gives the
    same bytes. Written here: rdflib's writers walk its store in a hash order (other bytes on each run), and its
    plain writer does not escape rdf:datatype."""
    qnames = _xml_names(graph)
    namespaces = {"rdf": str(RDF), **{prefix: ns for _, prefix, ns in qnames.values()}}
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"  xmlns{':' if prefix else ''}{prefix}={quoteattr(ns)}" for prefix, ns in sorted(namespaces.items())]
    lines[-1] += ">"
    for subject, triples in groupby(sorted(graph, key=_rdfxml_order), key=lambda triple: triple[0]):
        about = f"rdf:nodeID={_xml_node_id(subject)}" if isinstance(subject, BNode) else f"rdf:about={quoteattr(str(subject))}"
        lines.append(f"  <rdf:Description {about}>")
        for _, predicate, obj in triples:
            name = qnames[predicate][0]
            attributes, text = _xml_object(obj)
            lines.append(f"    <{name}{attributes}/>" if text is None else f"    <{name}{attributes}>{text}</{name}>")
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>\n")
    with atomic_open(path, "wb") as fh:
        fh.write("\n".join(lines).encode("utf-8"))


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
        Exporter("json-ld", ".jsonld", _jsonld, ("jsonld", "json"), "JSON-LD (compact, the prefixes as @context, sorted)"),
        Exporter("trig", ".trig", _trig, (), "TriG (one named graph)"),
        Exporter("xml", ".rdf", _rdfxml, ("rdfxml", "rdf/xml"), "RDF/XML (sorted)"),
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


#: Parse formats that hold named graphs.
_DATASET_FORMATS = ("trig", "nquads")

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


def _not_utf8(raw: bytes, number: int) -> Optional[str]:
    """`_point_at`'s reason for the first byte of line `number` (`raw`, its line end kept or not) that is not
    UTF-8, the line shown with U+FFFD for the bad bytes; None when the whole line is UTF-8."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = raw.rstrip(b"\r\n").decode("utf-8", "replace")
        column = len(raw[: exc.start].decode("utf-8"))  # in characters: what comes before the byte is UTF-8
        why = f"not UTF-8 (the byte 0x{raw[exc.start]:02X}); a graph file must be UTF-8: save it as UTF-8"
        return _point_at(shown, number, column, why)
    return None


def _first_non_utf8(path: Path) -> Optional[str]:
    """Where a file stops being UTF-8, as `_point_at` says it (lines end at LF, as rdflib's Turtle parser counts
    them); None when it is all UTF-8 or cannot be read now. Only called on failure: rdflib's own message names a
    byte offset in the file (Turtle, TriG, N3) or nothing useful (JSON-LD)."""
    try:
        with open(path, "rb") as fh:
            for number, raw in enumerate(fh, 1):  # no UTF-8 sequence holds the byte LF: each line decodes alone
                bad = _not_utf8(raw, number)
                if bad:
                    return bad
    except OSError:  # unreadable now: rdflib's own message says why
        pass
    return None


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
                bad = _not_utf8(line.encode("utf-8", "surrogateescape"), number)
                if bad:
                    return bad
                parser.line = line
                try:
                    parser.parseline({})
                except Exception as exc:  # ParseError mostly; a term rdflib cannot build is as bad
                    return _point_at(line, number, len(line) - len(parser.line or ""), _line_why(str(exc)))
    except OSError:  # unreadable now: rdflib's own message says why
        pass
    return None


def check_json_ld(path: Union[str, Path]) -> None:
    """KGError (E041) for the JSON file `path`, read as JSON-LD into no triple, when it holds no JSON-LD keyword:
    such JSON (build-report.json, a JSON Lines digest) is valid JSON-LD of nothing, and would load as an empty
    graph without a word. Nothing when it has one (then it is an empty graph indeed)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return
    if not re.search(r'"@(?:context|id|graph|type|value|set|list)"', text):
        raise KGError(Errors.E041.format(path=path, reason="it is JSON without any JSON-LD keyword (@context, @id, "
                                                           "@graph, ...): read as JSON-LD, it holds no triple"))


def triples_of(graph: Graph) -> Iterator[Tuple[Node, Node, Node]]:
    """The triples of `graph`; of all its graphs for a Dataset or ConjunctiveGraph (which iterate as quads)."""
    if isinstance(graph, ConjunctiveGraph):
        return ((s, p, o) for s, p, o, _g in graph.quads((None, None, None, None)))
    return iter(graph)


def load_graph(path: Union[str, Path]) -> Graph:
    """Parse an RDF file (format from its suffix, Turtle by default), or read an Oxigraph store (a store folder
    or `oxigraph:PATH`: the triples of all its graphs, as `kg query` sees them) into an rdflib Graph.
    KGError with the parser's whole reason (for Turtle, N-Triples and N-Quads: line, column and the offending
    line; for a file that is not UTF-8, RDF/XML aside: the line and column of its first bad byte), E041 for a
    missing path or a folder that holds no store."""
    from .namespaces import bind_all
    from .store import read_store, store_folder

    graph = bind_all(Graph())
    store = store_folder(path)
    if store is not None:
        return read_store(store, graph)
    path = Path(path)
    fmt = _PARSE_FORMATS.get(path.suffix.lower(), "turtle")
    try:
        if fmt in _DATASET_FORMATS:
            # a Graph keeps only a dataset's default graph: TriG's named graphs (kg export -f trig writes one) were
            # lost; all its graphs' triples, as from a store
            dataset = Dataset()
            dataset.parse(path, format=fmt)
            for triple in triples_of(dataset):
                graph.add(triple)
            for prefix, namespace in dataset.namespaces():
                graph.bind(prefix, namespace, override=False)
        else:
            graph.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many kinds; all mean "not a readable graph"
        if fmt in _LINE_FORMATS:
            where = _first_bad_line(path, fmt)
        elif fmt != "xml":  # RDF/XML may declare another encoding, and expat names the line of a bad byte
            where = _first_non_utf8(path)
        else:
            where = None
        reason = where or _parse_reason(exc)
        raise KGError(Errors.E041.format(path=path, reason=reason)) from None
    if fmt == "json-ld" and len(graph) == 0:
        check_json_ld(path)
    return graph
