from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "digests"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_COUNTS = {
    "000_3e17f147dcf6ff68.txt": 9,
    "001_d5c0faa7ab539173.txt": 28,
    "002_826621d881c21d6a.txt": 26,
    "003_42904af7ba872441.txt": 18,
    "004_cfed691b8e1e85ac.txt": 27,
}


@pytest.fixture(scope="session")
def nlp():
    """The real PaperKG pipeline (en_core_web_sm + project components), loaded once."""
    from kg.nlp import load

    return load()


@pytest.fixture(scope="session")
def examples_build(nlp):
    """The graph of the bundled examples, built once with extraction."""
    import kg

    return kg.build_graph([str(EXAMPLES)], nlp=nlp, progress=False)


@pytest.fixture
def gsp_server():
    """A Graph Store Protocol server on 127.0.0.1 over an in-memory pyoxigraph Store: PUT replaces the graph of
    `?default` or `?graph=IRI`, POST adds to it, each request applied whole. `seen` records (method, path) of each
    request; `faults` maps a request's number (1, 2, ... in `seen`) to what goes wrong with it: "fail" answers
    HTTP 500 and applies nothing, "drop" applies it and closes the connection without an answer, "garble"
    applies nothing and answers a line that is not HTTP. Each request is its own document, as on Oxigraph's
    server: its blank node labels are its own, so `_:b` in two requests is two blank nodes."""
    import http.server
    import threading
    import urllib.parse
    from types import SimpleNamespace

    import pyoxigraph as ox

    state = SimpleNamespace(store=ox.Store(), seen=[], faults={})

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.seen.append((self.command, self.path))
            fault = state.faults.get(len(state.seen))
            if fault == "fail":
                self.send_response(500)
                self.send_header("Content-Length", "4")
                self.end_headers()
                self.wfile.write(b"boom")
                return
            if fault == "garble":
                self.wfile.write(b"garbage\r\n\r\n")
                return
            query = urllib.parse.urlsplit(self.path).query
            graph = ox.DefaultGraph() if query == "default" else ox.NamedNode(urllib.parse.parse_qs(query)["graph"][0])
            if self.command == "PUT":
                state.store.clear_graph(graph)
            state.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                               for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=True))
            if fault != "drop":
                self.send_response(204)
                self.end_headers()

        do_PUT = do_POST = _answer

        def log_message(self, *args):  # quiet under pytest
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.endpoint = f"http://127.0.0.1:{server.server_address[1]}/store"
    yield state
    server.shutdown()
    server.server_close()


def held(server, graph=None):
    """The triples the server's graph holds, as N-Triples lines."""
    import pyoxigraph as ox

    name = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    return {str(q.triple) for q in server.store.quads_for_pattern(None, None, None, name)}
