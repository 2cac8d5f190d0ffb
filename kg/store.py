"""Graphs beyond memory: Oxigraph stores on disk and SPARQL servers.

- `write_store(path, chunks)` bulk-loads a stream of N-Triples chunks into a new Oxigraph store (pyoxigraph's
  `Store.bulk_load`, a batch of chunks at a time) and swaps it into place, so readers never see half a store.
- `rdf_chunks(papers, assembly)` gives the triples `kg.rdf.build_rdf` would make, as N-Triples chunks built a
  few hundred records at a time (no graph of everything in memory).
- `store_folder(source)` tells a graph file from a store (`oxigraph:PATH` or a store folder), and `read_store`
  copies a store into an rdflib Graph for the commands that need one (validate, export, viz).
- `push(source, endpoint)` sends a graph file or a store to any SPARQL 1.1 Graph Store HTTP Protocol endpoint
  (Oxigraph, Apache Jena Fuseki, GraphDB, Virtuoso) with urllib: PUT of the first chunk, POST of the rest.
  Each request is its own document, with its own blank nodes, so the triples joined by blank nodes go in one
  request (`_blank_node_groups`, `_group_chunks`).
  The protocol has no way to make several requests one change (no MOVE or COPY of a graph, no transactions), so
  only a graph that fits in one request is replaced atomically; a push that fails partway says how much of the
  graph the server now holds, and a rerun finishes it. `check_endpoint(url)` is the one check of an endpoint URL.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Union

from .defaults import BASE_IRI, GRAPH_FILENAME
from .errors import Errors, KGError
from .parallel import chunked
from .records import Paper

__all__ = [
    "STORE_SCHEME",
    "is_store_spec",
    "is_store_dir",
    "parse_store_spec",
    "open_store",
    "store_folder",
    "read_store",
    "write_store",
    "rdf_chunks",
    "store_ntriples",
    "check_endpoint",
    "graph_store_url",
    "PushReport",
    "push",
]

STORE_SCHEME = "oxigraph:"
#: Records (papers, links, ...) per N-Triples chunk, and triples per push request.
CHUNK_RECORDS = 500
PUSH_TRIPLES = 50_000
PUSH_TIMEOUT_S = 300.0
#: N-Triples bytes per bulk-load call (~85,000 triples of a PaperKG graph).
BULK_BATCH_BYTES = 16 << 20
_NT = "application/n-triples"
_NO_STORE = "no Oxigraph store there"
_NOT_A_STORE = "a folder that holds no Oxigraph store (no CURRENT file); give a graph file, a store folder or " \
               "oxigraph:PATH{hint}"
# What the server holds after a push stopped (the `outcome` of E098).
_UNCHANGED = "nothing was changed at {url}"
_PARTIAL = "the graph at {url} now holds only {sent} of the {total} triples of {source}"
_PARTIAL_APPEND = "{sent} of the {total} triples of {source} were added to the graph at {url}"
_UNANSWERED = ", unless the server applied request {request}, whose answer never came"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def is_store_spec(text: Union[str, Path]) -> bool:
    return str(text).startswith(STORE_SCHEME)


def parse_store_spec(spec: Union[str, Path]) -> Path:
    """The folder of an `oxigraph:PATH` store spec; KGError (E080) for anything else."""
    text = str(spec)
    if not is_store_spec(text) or not text[len(STORE_SCHEME):]:
        raise KGError(Errors.E080.format(spec=text))
    return Path(text[len(STORE_SCHEME):])


def is_store_dir(path: Path) -> bool:
    """Whether `path` is an Oxigraph store folder."""
    return path.is_dir() and (path / "CURRENT").is_file()  # RocksDB's marker file


def _graph_hint(folder: Path) -> str:
    """" (did you mean ...?)" naming the graph a build output folder holds: its graph file or its store."""
    if (folder / GRAPH_FILENAME).is_file():
        return f" (did you mean {folder / GRAPH_FILENAME}?)"
    store = next((p for p in sorted(folder.iterdir()) if is_store_dir(p)), None)
    return f" (did you mean {STORE_SCHEME}{store}?)" if store else ""


def store_folder(source: Union[str, Path]) -> Optional[Path]:
    """The store folder `source` names (`oxigraph:PATH`, or a folder holding an Oxigraph store), None when it is
    a file (a graph file, read by its own parser). KGError when it is neither: a missing path (E041), a folder
    holding no store (E041), `oxigraph:` with another scheme or no path (E080) or with no store there (E081)."""
    if is_store_spec(source):
        path = parse_store_spec(source)
        if not is_store_dir(path):
            raise KGError(Errors.E081.format(path=path, reason=_NO_STORE + (_graph_hint(path) if path.is_dir() else "")))
        return path
    path = Path(source)
    if path.is_dir():
        if not is_store_dir(path):
            raise KGError(Errors.E041.format(path=path, reason=_NOT_A_STORE.format(hint=_graph_hint(path))))
        return path
    if not path.exists():
        raise KGError(Errors.E041.format(path=path, reason="no such file, folder or Oxigraph store"))
    return None


def open_store(spec: Union[str, Path], *, read_only: bool = True) -> Any:
    """The pyoxigraph `Store` at `oxigraph:PATH` or PATH (read-only by default: several processes may read)."""
    import pyoxigraph as ox

    path = parse_store_spec(spec) if is_store_spec(spec) else Path(spec)
    if read_only and not is_store_dir(path):
        raise KGError(Errors.E081.format(path=path, reason=_NO_STORE))
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise KGError(Errors.E081.format(path=path, reason=_reason(exc))) from None


def write_store(path: Union[str, Path], chunks: Iterable[bytes], batch_bytes: int = BULK_BATCH_BYTES) -> int:
    """Bulk-load the N-Triples `chunks` into a new Oxigraph store at `path` (replacing the store there, if any,
    only once the new one is complete). Chunks are loaded `batch_bytes` at a time: pyoxigraph's bulk loader
    holds a whole call's triples in memory (1.4 GB for 2M triples in one call), so batches keep memory flat.
    RETURNS (int): the number of triples in the store."""
    import pyoxigraph as ox

    path = Path(path)
    if path.exists() and not is_store_dir(path) and (not path.is_dir() or any(path.iterdir())):
        raise KGError(Errors.E081.format(path=path, reason="it exists and is not an Oxigraph store; not replacing it"))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.building-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)

    def load(store: Any, batch: List[bytes]) -> None:
        try:
            store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_TRIPLES)
        except (OSError, SyntaxError, ValueError) as exc:
            raise KGError(Errors.E089.format(path=path, reason=_reason(exc))) from None

    try:
        store = ox.Store(str(tmp))
        batch: List[bytes] = []
        size = 0
        for chunk in chunks:
            batch.append(chunk)
            size += len(chunk)
            if size >= batch_bytes:
                load(store, batch)
                batch, size = [], 0
        if batch:
            load(store, batch)
        store.flush()
        triples = len(store)
        del store  # closes the database before it moves
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = path.with_name(f".{path.name}.old-{os.getpid()}")
    if path.exists():
        os.replace(path, old)
    os.replace(tmp, path)
    shutil.rmtree(old, ignore_errors=True)
    return triples


def _nt_chunks(parts: Iterable[Any], add: Any, size: int) -> Iterator[bytes]:
    from rdflib import Graph

    for chunk in chunked(parts, size):
        graph = Graph()
        for part in chunk:
            add(graph, part)
        yield graph.serialize(format="nt", encoding="utf-8")


def rdf_chunks(papers: Iterable[Paper], assembly: Any = None, base_iri: str = BASE_IRI,
               size: int = CHUNK_RECORDS) -> Iterator[bytes]:
    """The triples of `kg.rdf.build_rdf(papers, *assembly, base_iri=..., relations=...)` as N-Triples chunks of
    `size` records each, with the same `kg.rdf.add_*` functions. This follows build_rdf step by step (keep the
    two in step: tests/test_scale.py checks that a store build and an in-memory build are isomorphic)."""
    from .rdf import add_entity, add_link, add_paper, add_relation, add_result, entity_iri

    yield from _nt_chunks(papers, add_paper, size)
    if assembly is None:
        return
    entities = list(assembly[0])
    links, results = assembly[1], assembly[2]
    relations = getattr(assembly, "relations", ())
    iris = {e.key: entity_iri(e.key, base_iri) for e in entities}
    counts: dict = {}
    for link in links:
        counts.setdefault(link.entity_key, set()).add(link.arxiv_id)
    yield from _nt_chunks(entities, lambda g, e: add_entity(g, e, iris, len(counts.get(e.key, ()))), size)
    yield from _nt_chunks(links, lambda g, link: add_link(g, link, iris, base_iri), size)
    yield from _nt_chunks(results, lambda g, r: add_result(g, r[0], r[1], iris, base_iri), size)
    yield from _nt_chunks(relations, lambda g, r: add_relation(g, r, iris, base_iri), size)


def store_ntriples(spec: Union[str, Path]) -> bytes:
    """The default graph of a store as N-Triples (for tests and small stores; use `oxigraph dump` for big ones)."""
    import pyoxigraph as ox

    return open_store(spec).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


def read_store(spec: Union[str, Path], graph: Any = None, chunk_triples: int = PUSH_TRIPLES) -> Any:
    """Add the triples of every graph of the store at `oxigraph:PATH` or PATH (what `kg query` sees: the union
    of its graphs) to the rdflib `graph` (default: a new Graph), `chunk_triples` at a time, so only the rdflib
    Graph has to fit in memory. RETURNS (rdflib.Graph): `graph`."""
    import pyoxigraph as ox
    from rdflib import Graph

    graph = Graph() if graph is None else graph
    bnodes: dict = {}  # one label, one blank node, across chunks
    for chunk in chunked((quad.triple for quad in open_store(spec)), chunk_triples):
        graph.parse(data=ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES), format="nt", bnode_context=bnodes)
    return graph


# ---------------------------------------------------------------- Graph Store HTTP Protocol


def check_endpoint(url: str) -> str:
    """`url` when it is an http:// or https:// URL with a host, else KGError (E093): urllib would open ftp: and
    file: URLs, refuse "127.0.0.1:7878/store" with a bare ValueError and "http:///store" only once sending."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # "http://[::1" and the like
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise KGError(Errors.E093.format(url=url))
    return url


def graph_store_url(endpoint: str, graph: Optional[str] = None) -> str:
    """`endpoint?graph=IRI`, or `endpoint?default` for the default graph (SPARQL 1.1 Graph Store Protocol)."""
    sep = "&" if "?" in endpoint else "?"
    return endpoint + sep + (urllib.parse.urlencode({"graph": graph}) if graph else "default")


@dataclass(frozen=True)
class PushReport:
    url: str
    triples: int
    requests: int


def _source_triples(source: Union[str, Path]) -> Iterator[Any]:
    """pyoxigraph triples of an RDF file (format from its suffix, Turtle by default) or of a store's default
    graph (`oxigraph:PATH` or a store folder), streamed."""
    import pyoxigraph as ox

    folder = store_folder(source)
    if folder is not None:
        store = open_store(folder)
        return (q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    path = Path(source)
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower() or "ttl") or ox.RdfFormat.TURTLE

    def triples() -> Iterator[Any]:
        n = 0
        try:
            for quad in ox.parse(path=str(path), format=fmt):
                n += 1
                yield quad.triple
        except (SyntaxError, OSError, ValueError) as exc:
            raise KGError(Errors.E041.format(path=path, reason=_reason(exc))) from None
        if n == 0 and fmt == ox.RdfFormat.JSON_LD:  # build-report.json would PUT an empty graph over the server's
            from .export import check_json_ld

            check_json_ld(path)

    return triples()


def _blank_labels(term: Any) -> Iterator[str]:
    """The labels of the blank nodes in a pyoxigraph term (a triple term's too)."""
    import pyoxigraph as ox

    if isinstance(term, ox.BlankNode):
        yield term.value
    elif isinstance(term, ox.Triple):
        yield from _blank_labels(term.subject)
        yield from _blank_labels(term.object)


@dataclass(frozen=True)
class _Groups:
    """The blank node components of a stream of `triples` triples, by position: `of[i]` is the component of the
    i-th triple (from 0) when it has a blank node, `size[c]` the number of triples of component c. Positions, not
    blank node labels: a file parsed twice gets new labels for its anonymous blank nodes (`[]`, lists)."""

    triples: int
    of: Dict[int, int]
    size: Dict[int, int]


def _blank_node_groups(triples: Iterable[Any]) -> _Groups:
    """The blank node components of the pyoxigraph `triples` (a union-find over their blank nodes, subject or
    object): two triples are in one component when a chain of shared blank nodes joins them. Only the triples
    with a blank node are remembered, as positions."""
    import pyoxigraph as ox

    nested = (ox.BlankNode, ox.Triple)  # the terms that are or may hold a blank node
    node: Dict[str, int] = {}  # blank node label -> index in `parent`
    parent: List[int] = []

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving
            x = parent[x]
        return x

    of: Dict[int, int] = {}
    total = 0
    for total, triple in enumerate(triples, 1):
        subject, obj = triple.subject, triple.object
        if not isinstance(subject, nested) and not isinstance(obj, nested):
            continue
        root = None
        for label in (*_blank_labels(subject), *_blank_labels(obj)):
            x = node.get(label)
            if x is None:
                x = node[label] = len(parent)
                parent.append(x)
            x = find(x)
            if root is None:
                root = x
            elif x != root:
                parent[x] = root
        if root is not None:
            of[total - 1] = root
    size: Dict[int, int] = {}
    for i, x in of.items():
        of[i] = c = find(x)
        size[c] = size.get(c, 0) + 1
    return _Groups(total, of, size)


def _group_chunks(items: Iterable[Any], size: int, groups: _Groups) -> Iterator[List[Any]]:
    """`items` (the triples `groups` was made of, in the same order) in lists of up to `size`, never splitting a
    blank node component: a component joins the list being filled once its last triple has come (it is held
    until then), or starts the next list when it does not fit; one of more than `size` triples is a list alone.
    Without blank nodes, `chunked(items, size)`."""
    if not groups.of:
        yield from chunked(items, size)
        return
    chunk: List[Any] = []
    for group in _completed_groups(items, groups):
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _completed_groups(items: Iterable[Any], groups: _Groups) -> Iterator[List[Any]]:
    """Each item alone, or the items of a blank node component together once its last one has come."""
    pending: Dict[int, List[Any]] = {}
    for i, item in enumerate(items):
        c = groups.of.get(i)
        if c is None:
            yield [item]
            continue
        members = pending.setdefault(c, [])
        members.append(item)
        if len(members) == groups.size[c]:
            yield pending.pop(c)
    yield from pending.values()  # only when the source changed since it was grouped: nothing is lost


def _group_triples(source: Union[str, Path]) -> _Groups:
    """The blank node components of `_source_triples(source)`. A file is read through, which also finds a syntax
    error before anything is sent; a store (which cannot fail halfway) counts its triples itself, 0.15 s for
    500,000 triples where iterating them takes 2.5 s, and is only read through when it has blank nodes."""
    folder = store_folder(source)
    if folder is not None:
        store = open_store(folder)  # the default graph only
        rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        total = int(next(iter(rows))["n"].value)
        if not bool(store.query("ASK { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o) || isTRIPLE(?s) || isTRIPLE(?o)) }")):
            return _Groups(total, {}, {})
    return _blank_node_groups(_source_triples(source))


def _opener(endpoint: str, user: Optional[str], password: Optional[str]) -> urllib.request.OpenerDirector:
    if not user:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, endpoint, user, password or "")
    # Basic for Fuseki and GraphDB, Digest for Virtuoso's /sparql-graph-crud-auth: whichever the server asks for.
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager),
                                       urllib.request.HTTPDigestAuthHandler(manager))


class _NoAnswer(KGError):
    """E083 for a request that got no answer (a timeout, a dropped connection): the server may have applied it."""


def _send(opener: urllib.request.OpenerDirector, method: str, url: str, body: bytes, timeout: float) -> None:
    """One request; KGError E082 when the server answers with an error (it applied nothing), E083 when it cannot
    be reached, `_NoAnswer` (E083) when the request may have reached it but no answer came back."""
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": _NT})
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()
        reason = f"{exc.reason}: {detail.splitlines()[0]}" if detail else str(exc.reason)
        raise KGError(Errors.E082.format(method=method, url=url, status=exc.code, reason=reason)) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        # a refused connection or an unknown host carried nothing to the server; other failures may have come after
        # the server got the whole request
        error = KGError if isinstance(reason, (ConnectionRefusedError, socket.gaierror, str)) else _NoAnswer
        raise error(Errors.E083.format(url=url, reason=_reason(reason))) from None


def _stopped(exc: KGError, url: str, done: int, requests: int, sent: int, total: int, source: Union[str, Path],
             append: bool) -> KGError:
    """The error of a push that stopped after `done` requests carried `sent` triples: `exc`, then what the graph
    at `url` now holds and how to finish (E098)."""
    if done == 0:
        outcome = _UNCHANGED.format(url=url)
    else:
        outcome = (_PARTIAL_APPEND if append else _PARTIAL).format(url=url, sent=sent, total=total, source=source)
    if isinstance(exc, _NoAnswer):
        outcome += _UNANSWERED.format(request=done + 1)
    return KGError(f"{exc}\n{Errors.E098.format(done=done, requests=requests, outcome=outcome)}")


def push(
    source: Union[str, Path],
    endpoint: str,
    *,
    graph: Optional[str] = None,
    append: bool = False,
    user: Optional[str] = None,
    password: Optional[str] = None,
    chunk_triples: int = PUSH_TRIPLES,
    timeout: float = PUSH_TIMEOUT_S,
) -> PushReport:
    """Load `source` (an RDF file, `oxigraph:PATH` or a store folder) into the graph `graph` (default: the
    default graph) of a SPARQL 1.1 Graph Store HTTP Protocol `endpoint`, as N-Triples requests of
    `chunk_triples` triples: the first replaces the graph (PUT; POST with `append=True`), the rest add to it
    (POST). `user`/`password`: HTTP Basic or Digest authentication.

    Blank node labels are scoped to one request, so the triples joined through blank nodes (an RDF list, an
    OWL restriction) always go in the same request: such a group of more than `chunk_triples` triples is sent
    alone, in a larger request, and a request may have fewer triples when the next group does not fit in it.

    The source is read through once before any request, so a file that cannot be parsed changes nothing on the
    server. A graph of up to `chunk_triples` triples goes in one request, which servers apply whole; when a later
    request fails, the KGError says how many of the triples the graph now holds (E098), and running the same
    push again finishes it.
    RETURNS (PushReport): the URL, triples sent and requests made."""
    import pyoxigraph as ox

    if chunk_triples < 1:  # no chunk at all would PUT an empty graph over the server's: checked before any request
        raise KGError(Errors.E092.format(n=chunk_triples))
    check_endpoint(endpoint)
    groups = _group_triples(source)
    total = groups.triples
    if groups.of:
        requests = sum(1 for _ in _group_chunks(range(total), chunk_triples, groups))
    else:
        requests = -(-total // chunk_triples)
    chunks = _group_chunks(_source_triples(source), chunk_triples, groups)
    if total == 0 and not append:
        chunks, requests = iter([[]]), 1  # an empty source still replaces the graph
    url = graph_store_url(endpoint, graph)
    opener = _opener(endpoint, user, password)
    done = sent = 0
    try:
        for chunk in chunks:
            method = "POST" if append or done else "PUT"
            _send(opener, method, url, ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES), timeout)
            done, sent = done + 1, sent + len(chunk)
    except KGError as exc:  # a failed request, or a source that changed since it was counted
        raise _stopped(exc, url, done, requests, sent, total, source, append) from None
    return PushReport(url, sent, done)
