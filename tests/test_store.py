"""`kg.store`'s readers of a graph source: `store_folder` (file, store folder or oxigraph:PATH) and `read_store`."""

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef

import kg
from kg.store import read_store, store_folder

EX = "https://example.org/"


@pytest.fixture
def store(tmp_path):
    """A store with a blank node met in three triples of the default graph, and one triple in a named graph."""
    path = tmp_path / "store"
    db = ox.Store(str(path))
    b, p = ox.BlankNode("b1"), ox.NamedNode(EX + "p")
    for obj in (ox.NamedNode(EX + "x"), ox.Literal("two"), ox.Literal("3", datatype=ox.NamedNode(EX + "t"))):
        db.add(ox.Quad(b, p, obj))
    db.add(ox.Quad(ox.NamedNode(EX + "s"), p, ox.Literal("named"), ox.NamedNode(EX + "g")))
    db.flush()
    del db  # release the folder's lock before it is opened again
    return path


def test_read_store_reads_every_graph_and_keeps_a_blank_node_across_chunks(store):
    graph = read_store(store, chunk_triples=1)  # one triple per chunk: blank node labels must still join
    assert len(graph) == 4
    assert {s for s in graph.subjects() if isinstance(s, BNode)} == {next(graph.subjects(URIRef(EX + "p"),
                                                                                        Literal("two")))}
    assert (URIRef(EX + "s"), URIRef(EX + "p"), Literal("named")) in graph
    assert len(kg.load_graph(f"oxigraph:{store}")) == len(kg.load_graph(store)) == 4


def test_store_folder_tells_a_file_from_a_store_and_names_what_is_wrong(store, tmp_path):
    graph = tmp_path / "graph.ttl"
    graph.write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n", encoding="utf-8")
    assert store_folder(graph) is None and store_folder(str(graph)) is None
    assert store_folder(store) == store and store_folder(f"oxigraph:{store}") == store
    with pytest.raises(kg.KGError, match=r"\[E041\] .*missing\.ttl: no such file, folder or Oxigraph store"):
        store_folder(tmp_path / "missing.ttl")
    # the folder holding graph.ttl and the store, as a build writes it: the hint names the graph file
    with pytest.raises(kg.KGError, match=r"\[E041\] .*holds no Oxigraph store.*did you mean .*graph\.ttl\?"):
        store_folder(tmp_path)
    graph.unlink()
    with pytest.raises(kg.KGError, match=r"\[E081\] .*no Oxigraph store there \(did you mean oxigraph:.*store\?\)"):
        store_folder(f"oxigraph:{tmp_path}")
    with pytest.raises(kg.KGError, match=r"\[E080\]"):
        store_folder("oxigraph:")
    with pytest.raises(kg.KGError, match=r"\[E041\]"):
        kg.load_graph(tmp_path / "missing")


@pytest.fixture
def recording_server():
    """An HTTP server on 127.0.0.1 that answers 204 to every request and records (method, path) of each."""
    import http.server
    import threading

    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append((self.command, self.path))
            self.send_response(204)
            self.end_headers()

        do_PUT = do_POST = _answer

        def log_message(self, *args):  # quiet under pytest
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store", seen
    server.shutdown()
    server.server_close()


def test_push_refuses_an_empty_chunk_before_any_request(recording_server, tmp_path):
    """--chunk 0 once sent nothing but the PUT of an empty graph: the server's graph was wiped, and "pushed 0
    triples" reported; a negative chunk was a traceback."""
    from click.testing import CliRunner

    from kg.cli import cli

    endpoint, seen = recording_server
    graph = tmp_path / "graph.ttl"
    graph.write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n", encoding="utf-8")
    for chunk in (0, -5):
        with pytest.raises(kg.KGError, match=rf"\[E092\] .*must be 1 or more, not {chunk}"):
            kg.push_graph(graph, endpoint, chunk_triples=chunk)
        res = CliRunner().invoke(cli, ["push", str(graph), "--endpoint", endpoint, "--chunk", str(chunk)])
        assert res.exit_code == 2 and "Traceback" not in res.output and "--chunk" in res.output
    assert seen == []
    assert kg.push_graph(graph, endpoint, chunk_triples=1).triples == 1 and seen == [("PUT", "/store?default")]


@pytest.mark.parametrize("endpoint", ["localhost:7878/store", "ftp://127.0.0.1:1/store", "127.0.0.1:7878/store"])
def test_push_wants_an_http_endpoint(endpoint, tmp_path):
    graph = tmp_path / "graph.ttl"
    graph.write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n", encoding="utf-8")
    with pytest.raises(kg.KGError, match=r"\[E093\] the endpoint .* is not an http:// or https:// URL"):
        kg.push_graph(graph, endpoint)
