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
