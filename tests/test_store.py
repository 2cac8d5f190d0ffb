"""`kg.store`'s readers of a graph source (`store_folder`: file, store folder or oxigraph:PATH; `read_store`) and
`push` to a Graph Store Protocol server."""

import re

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import kg
from kg.cli import cli
from kg.store import _blank_node_groups, _group_chunks, check_endpoint, read_store, store_folder, write_store

from .conftest import FIXTURES, held

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


def nt_file(path, *objects):
    """An N-Triples file of one triple per object: <a> <p> "object"."""
    path.write_text("".join(f'<{EX}a> <{EX}p> "{o}" .\n' for o in objects), encoding="utf-8")
    return path


def test_push_refuses_an_empty_chunk_before_any_request(gsp_server, tmp_path):
    """--chunk 0 once sent nothing but the PUT of an empty graph: the server's graph was wiped, and "pushed 0
    triples" reported; a negative chunk was a traceback."""
    endpoint, seen = gsp_server.endpoint, gsp_server.seen
    graph = tmp_path / "graph.ttl"
    graph.write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n", encoding="utf-8")
    for chunk in (0, -5):
        with pytest.raises(kg.KGError, match=rf"\[E092\] .*must be 1 or more, not {chunk}"):
            kg.push_graph(graph, endpoint, chunk_triples=chunk)
        res = CliRunner().invoke(cli, ["push", str(graph), "--endpoint", endpoint, "--chunk", str(chunk)])
        assert res.exit_code == 2 and "Traceback" not in res.output and "--chunk" in res.output
    assert seen == []
    assert kg.push_graph(graph, endpoint, chunk_triples=1).triples == 1 and seen == [("PUT", "/store?default")]


@pytest.mark.parametrize("endpoint", ["localhost:7878/store", "ftp://127.0.0.1:1/store", "127.0.0.1:7878/store",
                                      "http:///store", "https://", "http://[::1/store"])
def test_push_wants_an_http_endpoint(endpoint, tmp_path):
    """One check for every endpoint URL: a URL with no host ("http:///store") once got as far as a request and
    failed as "cannot reach" (E083), "http://[::1/store" as a bare ValueError."""
    graph = tmp_path / "graph.ttl"
    graph.write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n", encoding="utf-8")
    with pytest.raises(kg.KGError, match=r"\[E093\] the endpoint .* is not an http:// or https:// URL"):
        kg.push_graph(graph, endpoint)
    with pytest.raises(kg.KGError, match=r"\[E093\]"):
        check_endpoint(endpoint)
    assert check_endpoint("HTTPS://example.org:3030/ds/query?x=1") == "HTTPS://example.org:3030/ds/query?x=1"


def triples_of(path):
    return {str(q.triple) for q in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)}


@pytest.mark.parametrize("k, left", [(1, "old"), (2, 2), (3, 4)])
def test_a_push_that_fails_at_request_k_says_what_the_graph_holds_and_a_rerun_finishes_it(gsp_server, tmp_path, k,
                                                                                          left):
    """5 triples in requests of 2 over a graph of 3, with the server answering HTTP 500 to request k: the error
    was the bare HTTP error, the server's graph left holding the first 2(k-1) new triples unsaid. Now a second
    line says what the graph holds (and that is what the server holds), and the same push run again ends it."""
    old = nt_file(tmp_path / "old.nt", "x", "y", "z")
    new = nt_file(tmp_path / "new.nt", 1, 2, 3, 4, 5)
    kg.push_graph(old, gsp_server.endpoint)
    gsp_server.faults = {1 + k: "fail"}
    with pytest.raises(kg.KGError) as failed:
        kg.push_graph(new, gsp_server.endpoint, chunk_triples=2)
    first, second = str(failed.value).splitlines()
    assert re.fullmatch(r"\[E082\] (PUT|POST) http://127\.0\.0\.1:\d+/store\?default failed: HTTP 500 .*: boom", first)
    url = gsp_server.endpoint + "?default"
    outcome = (f"nothing was changed at {url}" if left == "old" else
               f"the graph at {url} now holds only {left} of the 5 triples of {new}")
    assert second.startswith(f"[E098] the push stopped after {k - 1} of its 3 requests: {outcome}. "
                             "Rerun the same push to finish; that is safe: a push replaces the whole graph")
    assert held(gsp_server) == (triples_of(old) if left == "old" else set(sorted(triples_of(new))[:left]))

    report = kg.push_graph(new, gsp_server.endpoint, chunk_triples=2)
    assert (report.triples, report.requests) == (5, 3) and held(gsp_server) == triples_of(new)


def test_an_appending_push_that_fails_partway_says_how_much_it_added(gsp_server, tmp_path):
    """The same through the CLI, from a store, appending to a named graph: the triples of the requests that went
    through are added on top of what the graph held, and rerunning adds the rest without doubling any."""
    old = nt_file(tmp_path / "old.nt", "x", "y", "z")
    new = nt_file(tmp_path / "new.nt", 1, 2, 3, 4, 5)
    store = tmp_path / "store"
    write_store(store, [new.read_bytes()])
    named = "urn:example:g"
    kg.push_graph(old, gsp_server.endpoint, graph=named)
    gsp_server.faults = {3: "fail"}  # the second request of the appending push
    args = ["push", f"oxigraph:{store}", "--endpoint", gsp_server.endpoint, "--graph", named, "--append",
            "--chunk", "2"]
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 1 and "[E082] POST" in res.output and "Traceback" not in res.output
    assert re.search(r"\[E098\] the push stopped after 1 of its 3 requests: 2 of the 5 triples of oxigraph:\S+store "
                     r"were added to the graph at \S+/store\?graph=urn%3Aexample%3Ag\. Rerun the same push", res.output)
    assert len(held(gsp_server, named) - triples_of(old)) == 2
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert held(gsp_server, named) == triples_of(old) | triples_of(new)


@pytest.mark.parametrize("fault, left", [("drop", 4), ("garble", 2)])
def test_a_request_that_got_no_answer_may_have_been_applied_and_the_error_says_so(gsp_server, tmp_path, fault, left):
    """A dropped connection (the server applied the request, then closed) or an answer that is not HTTP: the
    push cannot know whether request 2 took, and says so; a garbled answer was a bare http.client traceback."""
    new = nt_file(tmp_path / "new.nt", 1, 2, 3, 4, 5)
    gsp_server.faults = {2: fault}
    with pytest.raises(kg.KGError) as failed:
        kg.push_graph(new, gsp_server.endpoint, chunk_triples=2)
    first, second = str(failed.value).splitlines()
    assert first.startswith("[E083] cannot reach http://127.0.0.1:")
    assert re.search(r"now holds only 2 of the 5 triples of \S+, unless the server applied request 2, whose answer "
                     r"never came\. Rerun", second)
    assert len(held(gsp_server)) == left


def test_a_source_that_breaks_halfway_changes_nothing_on_the_server(gsp_server, tmp_path):
    """A file with a syntax error after its first triples: the first requests went out before the parser got to
    it, so the server's graph was replaced by a part of the file. The source is now read through first."""
    old = nt_file(tmp_path / "old.nt", "x", "y", "z")
    kg.push_graph(old, gsp_server.endpoint)
    bad = nt_file(tmp_path / "bad.nt", 1, 2, 3)
    with bad.open("a", encoding="utf-8") as out:
        out.write("this is not a triple\n")
    with pytest.raises(kg.KGError, match=r"^\[E041\] cannot read graph \S+bad\.nt: "):
        kg.push_graph(bad, gsp_server.endpoint, chunk_triples=1)
    assert gsp_server.seen == [("PUT", "/store?default")] and held(gsp_server) == triples_of(old)


def test_an_empty_source_replaces_the_graph_and_appends_nothing(gsp_server, tmp_path):
    kg.push_graph(nt_file(tmp_path / "old.nt", "x"), gsp_server.endpoint)
    empty = nt_file(tmp_path / "empty.nt")
    assert kg.push_graph(empty, gsp_server.endpoint, append=True).requests == 0 and len(held(gsp_server)) == 1
    assert kg.push_graph(empty, gsp_server.endpoint).requests == 1 and held(gsp_server) == set()
    assert gsp_server.seen == [("PUT", "/store?default")] * 2


def _term(text):
    return ox.BlankNode(text[2:]) if text.startswith("_:") else ox.NamedNode(EX + text)


def _triple(s, o):
    return ox.Triple(_term(s), ox.NamedNode(EX + "p"), o if isinstance(o, ox.Triple) else _term(o))


def test_blank_node_groups_join_the_triples_linked_through_blank_nodes_and_chunks_never_split_them():
    """A union-find over blank nodes, subject or object: _:z joins the components of _:x/_:y only at its second
    triple. Each component goes in one list once its last triple has come; one bigger than the size goes alone."""
    triples = [_triple("a", "b"), _triple("_:l1", "c"), _triple("d", "e"), _triple("_:x", "_:y"),
               _triple("_:l1", "_:l2"), _triple("_:y", "f"), _triple("_:l2", "g"), _triple("h", "_:z"),
               _triple("_:z", "_:x"), _triple("i", "j")]
    groups = _blank_node_groups(iter(triples))
    assert groups.triples == 10 and sorted(groups.of) == [1, 3, 4, 5, 6, 7, 8]
    assert groups.of[1] == groups.of[4] == groups.of[6] != groups.of[3]
    assert groups.of[3] == groups.of[5] == groups.of[7] == groups.of[8]
    assert sorted(groups.size.values()) == [3, 4]
    assert list(_group_chunks(range(10), 3, groups)) == [[0, 2], [1, 4, 6], [3, 5, 7, 8], [9]]
    assert list(_group_chunks(range(10), 10, groups)) == [[0, 2, 1, 4, 6, 3, 5, 7, 8, 9]]
    assert list(_group_chunks(range(10), 1, groups)) == [[0], [2], [1, 4, 6], [3, 5, 7, 8], [9]]
    chunks = list(_group_chunks(triples, 4, groups))
    assert [len(c) for c in chunks] == [2, 3, 4, 1] and chunks[1] == [triples[1], triples[4], triples[6]]
    # a blank node inside a triple term counts too
    quoted = [_triple("_:q", "a"), _triple("b", _triple("_:q", "c"))]
    assert list(_group_chunks(range(2), 1, _blank_node_groups(quoted))) == [[0, 1]]


def test_chunks_of_a_graph_without_blank_nodes_are_unchanged():
    triples = [_triple(f"s{i}", "o") for i in range(7)]
    groups = _blank_node_groups(triples)
    assert (groups.triples, groups.of) == (7, {})
    assert list(_group_chunks(triples, 3, groups)) == [triples[0:3], triples[3:6], triples[6:]]
    assert _blank_node_groups([]).triples == 0


OWL_LISTS = FIXTURES / "owl_blank_nodes.ttl"  # an RDF list and OWL restrictions: 21 triples, 7 blank nodes


def server_graph(server):
    """The server's default graph as an rdflib Graph."""
    data = server.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return Graph().parse(data=data, format="nt")


def test_a_push_in_small_requests_keeps_rdf_lists_and_owl_restrictions_whole(gsp_server):
    """An RDF list and OWL restrictions pushed 2 triples a request: their blank nodes were cut across requests,
    each request made new ones, and the server held 16 blank nodes for the source's 7, the lists broken. Now the
    triples joined through blank nodes go in one request, and the server holds the same graph."""
    path = OWL_LISTS
    source = Graph().parse(path)
    blanks = {t for triple in source for t in triple if isinstance(t, BNode)}
    assert (len(source), len(blanks)) == (21, 7)

    report = kg.push_graph(path, gsp_server.endpoint, chunk_triples=2)
    assert report.triples == 21 and report.requests == len(gsp_server.seen)
    held_graph = server_graph(gsp_server)
    assert len({t for triple in held_graph for t in triple if isinstance(t, BNode)}) == 7
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    items = gsp_server.store.query(f"SELECT ?i WHERE {{ <{EX}s> <{EX}list>/<{rdf}rest>*/<{rdf}first> ?i }}")
    assert sorted(row["i"].value for row in items) == [EX + "a", EX + "b", EX + "c"]
    assert isomorphic(held_graph, source)


def test_a_push_from_a_store_keeps_a_blank_node_in_one_request(gsp_server, store):
    """The store's blank node has 3 triples: with one triple a request it went out as 3 blank nodes."""
    report = kg.push_graph(store, gsp_server.endpoint, chunk_triples=1)
    assert (report.triples, report.requests) == (3, 1) and gsp_server.seen == [("PUT", "/store?default")]
    assert len({t for triple in server_graph(gsp_server) for t in triple if isinstance(t, BNode)}) == 1


def test_a_build_does_not_replace_a_store_another_build_wrote(tmp_path, store):
    """`kg build -o OUT --store S` replaces the whole store S: it may do so for the build kept in OUT (a rebuild,
    an --update), never for a store another build wrote or one loaded by hand, which would be lost."""
    digest = str(FIXTURES / "hugging_paper_late.md")
    runner = CliRunner()
    shared = tmp_path / "shared"
    first = runner.invoke(cli, ["build", digest, "-o", str(tmp_path / "a"), "--store", f"oxigraph:{shared}",
                                "--no-extract", "--no-progress"])
    assert first.exit_code == 0, first.output
    before = Graph().parse(data=kg.store.store_ntriples(shared), format="nt")
    again = runner.invoke(cli, ["build", digest, "-o", str(tmp_path / "a"), "--store", f"oxigraph:{shared}",
                                "--no-extract", "--no-progress"])
    assert again.exit_code == 0, again.output  # its own store: rebuilt

    other = runner.invoke(cli, ["build", digest, "-o", str(tmp_path / "b"), "--store", f"oxigraph:{shared}",
                                "--no-extract", "--no-progress"])
    assert other.exit_code == 1 and "[E110]" in other.output and str(shared) in other.output
    assert isomorphic(Graph().parse(data=kg.store.store_ntriples(shared), format="nt"), before)

    by_hand = runner.invoke(cli, ["build", digest, "-o", str(tmp_path / "c"), "--store", f"oxigraph:{store}",
                                  "--no-extract", "--no-progress"])
    assert by_hand.exit_code == 1 and "[E110]" in by_hand.output
    assert len(read_store(store)) == 4  # the fixture's triples, untouched
