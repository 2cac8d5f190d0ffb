"""The graph: golden Turtle, byte-identical rebuilds, round trips through rdflib and pyoxigraph, SHACL,
networkx view, safe writes."""

import os
from decimal import Decimal
import random
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import to_isomorphic
from rdflib.namespace import XSD

import kg
from kg.fileio import atomic_open
from kg.namespaces import KGO
from kg.validate import validate

from .conftest import EXAMPLES, FIXTURES, ROOT

GOLDEN = Path(__file__).parent / "golden" / "small.ttl"
SMALL_INPUTS = [FIXTURES / "cnchat_old_era.md", FIXTURES / "papers.jsonl", FIXTURES / "hugging_paper_late.md"]
CORPUS = ROOT.parent / "shared" / "corpus"


def turtle(graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


@pytest.fixture(scope="module")
def small(nlp):
    return kg.build_graph([str(p) for p in SMALL_INPUTS], nlp=nlp, progress=False).graph


def test_golden_turtle(small):
    """Regenerate with KG_UPDATE_GOLDEN=1 after a deliberate change, and review the diff."""
    if os.environ.get("KG_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(turtle(small))
    expected = GOLDEN.read_bytes()
    assert turtle(small) == expected
    assert to_isomorphic(small) == to_isomorphic(rdflib.Graph().parse(data=expected, format="turtle"))


def test_every_instance_iri_has_a_prefix_of_its_folder(examples_build):
    """Each IRI minted under the base IRI lies in a folder of INSTANCE_FOLDERS, so Turtle and tables write it as
    `model:gpt4`, never as a full IRI or the unreadable-by-SPARQL `kg:model/gpt4`."""
    from kg.namespaces import INSTANCE_FOLDERS

    base = kg.defaults.BASE_IRI
    minted = {str(t) for triple in examples_build.graph for t in triple
              if isinstance(t, rdflib.URIRef) and str(t).startswith(base)}
    folders = {iri[len(base):].split("/", 1)[0] for iri in minted}
    assert folders == set(INSTANCE_FOLDERS)
    text = turtle(examples_build.graph).decode("utf-8")
    body = [line for line in text.splitlines() if not line.startswith("@prefix")]
    assert not any("<" + base in line for line in body) and "model:gpt4 " in text


def test_same_input_in_any_order_gives_identical_bytes(tmp_path, nlp, examples_build):
    files = sorted(EXAMPLES.iterdir())
    random.Random(7).shuffle(files)
    for i, f in enumerate(files):  # other names, other order: same papers
        shutil.copy(f, tmp_path / f"{i}_{f.name}")
    again = kg.build_graph([str(tmp_path)], nlp=nlp, progress=False)
    assert turtle(again.graph) == turtle(examples_build.graph)


def test_no_blank_nodes(examples_build):
    g = examples_build.graph
    assert not any(isinstance(t, rdflib.BNode) for triple in g for t in triple)


def by_value(g: rdflib.Graph) -> rdflib.Graph:
    """`g` with xsd:decimal literals in one lexical form per value: rdflib's Turtle writes the decimal 28 as
    `28.0`, Oxigraph as "28"; the value, which is what the graph states, must survive."""
    out = rdflib.Graph()
    for s, p, o in g:
        if isinstance(o, rdflib.Literal) and o.datatype == XSD.decimal:
            o = rdflib.Literal(format(Decimal(str(o)).normalize(), "f"), datatype=XSD.decimal)
        out.add((s, p, o))
    return out


def test_turtle_round_trips_through_rdflib_and_oxigraph(examples_build, tmp_path):
    g = examples_build.graph
    assert any(o.datatype == XSD.decimal and "." not in str(o) for o in g.objects(None, KGO.value)), \
        "the examples should hold an integral result value, the case where lexical forms differ"
    path = tmp_path / "g.ttl"
    kg.export(g, path)
    back = rdflib.Graph().parse(path, format="turtle")
    assert to_isomorphic(by_value(back)) == to_isomorphic(by_value(g))
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    nt = "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in store)
    via_oxigraph = rdflib.Graph().parse(data=nt, format="nt")
    assert to_isomorphic(by_value(via_oxigraph)) == to_isomorphic(by_value(g))


def via_oxigraph(path: Path, fmt: "pyoxigraph.RdfFormat") -> rdflib.Graph:
    """What pyoxigraph's parser reads from `path`, as an rdflib Graph (through N-Triples)."""
    nt = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in pyoxigraph.parse(path=str(path), format=fmt))
    return rdflib.Graph().parse(data=nt, format="nt")


OXIGRAPH_FORMATS = {"nt": pyoxigraph.RdfFormat.N_TRIPLES, "json-ld": pyoxigraph.RdfFormat.JSON_LD,
                    "xml": pyoxigraph.RdfFormat.RDF_XML}


@pytest.mark.parametrize("fmt", ["nt", "json-ld", "xml"])
def test_other_rdf_syntaxes_round_trip(examples_build, tmp_path, fmt):
    """Read back by rdflib and by pyoxigraph, each export is the graph, literal for literal (no value is rewritten
    in another lexical form)."""
    g = examples_build.graph
    path = kg.export(g, tmp_path / f"g.{fmt}", fmt)
    back = rdflib.Graph().parse(path, format=fmt)
    assert to_isomorphic(back) == to_isomorphic(g)
    assert to_isomorphic(via_oxigraph(path, OXIGRAPH_FORMATS[fmt])) == to_isomorphic(g)


def awkward_graph() -> rdflib.Graph:
    """Terms each syntax must escape or keep apart: markup and a CR in text, a Chinese tag, a double, a decimal and
    an integer beyond 64 bits in their own lexical forms, a datatype IRI with "&", a blank node labelled with a
    digit, a namespace with no prefix, a prefix named like the IRI scheme `urn`, and an IRI whose local part after a
    prefix starts with "//"."""
    ex = rdflib.Namespace("http://example.org/ns#")
    g = kg.namespaces.bind_all(rdflib.Graph())
    g.bind("ex", ex)
    g.bind("urn", "http://example.org/not-a-scheme/")
    model, blank = rdflib.URIRef("https://w3id.org/paperkg/id/model/gpt4"), rdflib.BNode("1x")
    for p, o in [(rdflib.RDF.type, KGO.Model), (ex.text, rdflib.Literal("a <b> & c ]]> \r\n\td")),
                 (ex.zh, rdflib.Literal("模型", lang="zh")), (ex.double, rdflib.Literal("0.5", datatype=XSD.double)),
                 (ex.decimal, rdflib.Literal("28", datatype=XSD.decimal)),
                 (ex.big, rdflib.Literal("12345678901234567890123", datatype=XSD.integer)),
                 (ex.odd, rdflib.Literal("x", datatype=rdflib.URIRef("http://example.org/dt?a=1&b=2"))),
                 (rdflib.URIRef("http://unbound.example/a#p"), rdflib.URIRef("urn:isbn:123")),
                 (ex.slashes, ex["//x"]), (ex.node, blank)]:
        g.add((model, p, o))
    g.add((blank, ex.text, rdflib.Literal("in a blank node")))
    return g


@pytest.mark.parametrize("fmt", ["xml", "json-ld"])
def test_awkward_terms_round_trip(tmp_path, fmt):
    g = awkward_graph()
    path = kg.export(g, tmp_path / f"g.{fmt}", fmt)
    assert to_isomorphic(rdflib.Graph().parse(path, format=fmt)) == to_isomorphic(g)
    assert to_isomorphic(via_oxigraph(path, OXIGRAPH_FORMATS[fmt])) == to_isomorphic(g)


def test_jsonld_is_compact_with_the_prefixes_as_an_embedded_context(examples_build, tmp_path):
    """The context maps the graph's prefixes that the document uses (inline: a remote one would be fetched), and
    IRIs, types and datatypes are written with them; a literal keeps its tag or its datatype and lexical form."""
    import json

    path = kg.export(examples_build.graph, tmp_path / "g.jsonld", "json-ld")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert set(doc) == {"@context", "@graph"}
    context = doc["@context"]
    assert context["kgo"] == str(KGO._NS) and context["model"] == kg.defaults.BASE_IRI + "model/"
    assert {"xsd", "arxiv", "dataset", "evidence"} <= set(context) and "foaf" not in context  # only what is used
    paper = next(n for n in doc["@graph"] if n["@id"] == "arxiv:2402.19474")
    assert "kgo:Paper" in paper["@type"] and paper["kgo:arxivId"] == "2402.19474"
    assert sorted(t["@language"] for t in paper["dcterms:title"]) == ["en", "zh"]
    assert paper["dcterms:date"] == {"@type": "xsd:date", "@value": "2024-02-29"}
    assert paper["kgo:abstractTruncated"] == {"@type": "xsd:boolean", "@value": "false"}
    assert kg.defaults.BASE_IRI not in json.dumps(doc["@graph"])  # every minted IRI has its prefix


@pytest.mark.parametrize("iri, text, code", [
    ("http://example.org/p/123", "v", "E096"),  # RDF/XML writes a property as an element: no XML name ends it
    ("http://example.org/p", "page\x0cbreak", "E097"),  # XML 1.0 has no form feed, not even as &#12;
])
def test_rdfxml_refuses_what_xml_cannot_hold(tmp_path, iri, text, code):
    g = rdflib.Graph()
    g.add((rdflib.URIRef("http://example.org/s"), rdflib.URIRef(iri), rdflib.Literal(text)))
    with pytest.raises(kg.KGError, match=code):
        kg.export(g, tmp_path / "g.rdf", "xml")
    assert not (tmp_path / "g.rdf").exists()
    assert to_isomorphic(rdflib.Graph().parse(kg.export(g, tmp_path / "g.nt", "nt"))) == to_isomorphic(g)


@pytest.mark.parametrize("fmt", ["nt", "json-ld", "xml"])
def test_line_jsonld_and_xml_exports_are_the_same_bytes_on_every_run(tmp_path, fmt):
    """rdflib writes N-Triples, JSON-LD and RDF/XML in its store's order, which string hashing changes from process
    to process; `kg export` sorts them, so the same graph gives the same file (and a file path is read as a
    graph)."""
    source = FIXTURES / "query_small.ttl"
    code = "import sys, kg; kg.export(sys.argv[1], sys.argv[2], sys.argv[3])"
    outputs = []
    for seed in ("1", "2", "3"):
        target = tmp_path / f"{seed}.{fmt}"
        subprocess.run([sys.executable, "-c", code, str(source), str(target), fmt], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    back = rdflib.Graph().parse(data=outputs[0].decode("utf-8"), format=fmt)
    assert to_isomorphic(back) == to_isomorphic(rdflib.Graph().parse(source))


def test_shapes_check_the_class_of_what_a_property_points_to(examples_build):
    """sh:class is checked against the types the graph states: RDFS inference from the ontology's rdfs:range would
    make every object of kgo:evaluatedOn a kgo:Dataset, and the constraint could never fail."""
    g = rdflib.Graph()
    for t in examples_build.graph:
        g.add(t)
    model = next(g.subjects(rdflib.RDF.type, KGO.Model))
    dataset = next(g.subjects(rdflib.RDF.type, KGO.Dataset))
    paper = next(g.subjects(rdflib.RDF.type, KGO.Paper))
    untyped = rdflib.URIRef("https://example.org/untyped")
    g.add((dataset, KGO.evaluatedOn, model))  # a model, not a dataset
    g.add((paper, KGO.mentions, untyped))  # no entity at all
    # the roles are checked on their own (no inference makes them mentions): a model evaluated on, a paper proposed
    g.add((paper, KGO.evaluatesOn, model))
    g.add((paper, KGO.proposes, paper))
    conforms, violations = validate(g)
    assert not conforms
    found = {(v.focus, v.path, v.value) for v in violations}
    assert found == {(str(dataset), "kgo:evaluatedOn", str(model)), (str(paper), "kgo:mentions", str(untyped)),
                     (str(paper), "kgo:evaluatesOn", str(model)), (str(paper), "kgo:proposes", str(paper))}
    shown = kg.format_violations(violations, limit=0)  # 0: all of them, each naming its value
    assert len(shown.splitlines()) == 4 and "<https://example.org/untyped>" in shown and "more" not in shown


def test_trig_holds_one_named_graph(examples_build, tmp_path):
    path = kg.export(examples_build.graph, tmp_path / "g.trig", "trig")
    ds = rdflib.Dataset()
    ds.parse(path, format="trig")
    named = ds.graph(rdflib.URIRef("https://w3id.org/paperkg/id/graph"))
    assert to_isomorphic(by_value(named)) == to_isomorphic(by_value(examples_build.graph))
    assert path.read_bytes() == kg.export(examples_build.graph, tmp_path / "h.trig", "trig").read_bytes()


def test_load_graph_reads_every_graph_of_a_dataset_file(examples_build, tmp_path):
    """TriG and N-Quads name graphs; a plain rdflib Graph keeps only the default one, so `kg export -f trig`'s
    own output read back as 0 triples (kg validate, export, viz). All graphs are read, as from a store."""
    trig = kg.export(examples_build.graph, tmp_path / "g.trig", "trig")
    assert to_isomorphic(by_value(kg.load_graph(trig))) == to_isomorphic(by_value(examples_build.graph))
    nquads = tmp_path / "g.nq"
    nquads.write_text('<http://e.org/a> <http://e.org/p> "in g1" <http://e.org/g1> .\n'
                      '<http://e.org/b> <http://e.org/p> _:x .\n'
                      '_:x <http://e.org/q> "in g2" <http://e.org/g2> .\n', encoding="utf-8")
    graph = kg.load_graph(nquads)
    assert len(graph) == 3
    (node,) = graph.objects(rdflib.URIRef("http://e.org/b"), rdflib.URIRef("http://e.org/p"))
    assert graph.value(node, rdflib.URIRef("http://e.org/q")) == rdflib.Literal("in g2")  # one blank node


def test_examples_conform_to_shapes(examples_build):
    conforms, violations = validate(examples_build.graph)
    assert conforms and violations == []


def test_shapes_catch_broken_graphs(examples_build):
    g = rdflib.Graph()
    for t in examples_build.graph:
        g.add(t)
    kgo = rdflib.Namespace("https://w3id.org/paperkg/ontology#")
    paper = rdflib.URIRef("https://arxiv.org/abs/2402.19474")
    g.remove((paper, kgo.arxivId, None))
    evidence = next(g.subjects(rdflib.RDF.type, kgo.Evidence))
    g.set((evidence, kgo.confidence, rdflib.Literal(2.5)))
    conforms, violations = validate(g)
    assert not conforms
    assert {(v.focus, v.path) for v in violations} >= {(str(paper), "kgo:arxivId"), (str(evidence), "kgo:confidence")}


def test_role_evidence_says_which_cue_gave_the_role(examples_build):
    g = examples_build.graph
    kgo = rdflib.Namespace("https://w3id.org/paperkg/ontology#")
    cues = {}
    for ev in g.subjects(rdflib.RDF.type, kgo.Evidence):
        if (g.value(ev, rdflib.RDF.subject), kgo.arxivId, None) in g:  # a paper's link, not an entity relation
            cues.setdefault(g.value(ev, rdflib.RDF.predicate), []).append(g.value(ev, kgo.roleCue))
    assert cues[kgo.mentions] and all(c is None for c in cues[kgo.mentions])
    for role in (kgo.proposes, kgo.uses, kgo.evaluatesOn, kgo.comparesWith):
        assert cues[role] and all(c is not None and str(c).split(":")[0] in (
            "rule", "cue", "apposition", "title", "right", "entered-in", "kind-of-proposal", "own-part", "paper")
            for c in cues[role]), role
    # "our ASMv2 achieves ... surpassing the 43.14 of LLaVA-1.5"
    ev = next(ev for ev in g.objects(rdflib.URIRef("https://arxiv.org/abs/2402.19474"), kgo.hasEvidence)
              if g.value(ev, rdflib.RDF.predicate) == kgo.comparesWith)
    assert str(g.value(ev, kgo.roleCue)) == "cue:surpassing"
    g2 = rdflib.Graph()
    for t in g:
        g2.add(t)
    g2.add((ev, kgo.roleCue, rdflib.Literal("cue:outperforms")))
    conforms, violations = validate(g2)
    assert not conforms and {(v.focus, v.path) for v in violations} == {(str(ev), "kgo:roleCue")}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout")
def test_corpus_graph_conforms(nlp, tmp_path):
    inputs = sorted(str(p) for p in CORPUS.glob("*__*.md"))
    result = kg.build_graph(inputs, nlp=nlp, progress=False)
    assert result.report.papers > 1500 and not result.report.bad_files and not result.report.skipped_entries
    conforms, violations = validate(result.graph)
    assert conforms, kg.format_violations(violations)


def test_networkx_view(examples_build):
    view = kg.to_networkx(examples_build.graph)
    types = {d["type"] for _, d in view.nodes(data=True)}
    assert sum(1 for _, d in view.nodes(data=True) if d["type"] == "PAPER") == 107
    assert {"PAPER", "MODEL", "DATASET", "METHOD"} <= types
    assert all(k in {"mentions", "proposes", "uses", "evaluatesOn", "comparesWith", "variantOf", "basedOn",
                     "evaluatedOn"} for _, _, k in view.edges(keys=True))
    node = view.nodes["https://arxiv.org/abs/2402.19474"]
    assert node["label"].startswith("The All-Seeing Project V2") and node["date"] == "2024-02-29"


def test_networkx_view_of_a_graph_file_or_store(tmp_path):
    """`to_networkx` reads what `kg.load_graph` and `kg.export` read: a graph file (str or Path), a store folder
    or oxigraph:PATH."""
    source = FIXTURES / "query_small.ttl"
    expected = kg.to_networkx(kg.load_graph(source))
    store = pyoxigraph.Store(str(tmp_path / "store"))
    store.bulk_load(path=str(source), format=pyoxigraph.RdfFormat.TURTLE)
    store.flush()
    del store  # release the folder's lock before it is read
    for given in (source, str(source), tmp_path / "store", f"oxigraph:{tmp_path / 'store'}"):
        view = kg.to_networkx(given)
        assert len(view) > 0 and dict(view.nodes(data=True)) == dict(expected.nodes(data=True)), given
        assert sorted(view.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True)), given
    with pytest.raises(kg.KGError, match="E041"):
        kg.to_networkx(tmp_path / "missing.ttl")


#: One graph in each syntax, its line 7 holding a literal "café €" whose é is the Latin-1 byte 0xE9 (column 19 of
#: the line: the € before it is one character, three bytes).
NON_UTF8 = {
    "ttl": ['@prefix ex: <http://example.org/> .', "", "ex:a ex:b ex:c .", 'ex:d ex:e "ok" .', "",
            "ex:f ex:g ex:h .", 'ex:x ex:l "€ café" .', "ex:y ex:z ex:w ."],
    "nt": ["<http://example.org/a> <http://example.org/b> <http://example.org/c> ."] * 6
          + ['<http://e.org/x> <http://e.org/l> "€ café" .'],
    "trig": ["{", "<http://example.org/a> <http://example.org/b> <http://example.org/c> ."]
            + ["<http://example.org/a> <http://example.org/b> <http://example.org/d> ."] * 4
            + ['<http://e.org/x> <http://e.org/l> "€ café" .', "}"],
    "jsonld": ["{", '  "@context": {"ex": "http://example.org/"},', '  "@graph": [', '    {', '      "@id": "ex:x",',
               '      "ex:n": "1",', '      "ex:l": "€ café"', "    }", "  ]", "}"],
}


def write_non_utf8(path, lines):
    """`lines` as UTF-8, but for é, written as the Latin-1 byte 0xE9."""
    path.write_bytes("\n".join(lines + [""]).encode("utf-8").replace("é".encode("utf-8"), b"\xe9"))


@pytest.mark.parametrize("suffix", sorted(NON_UTF8))
def test_graph_file_that_is_not_utf8_names_the_line_and_column(tmp_path, suffix):
    lines = NON_UTF8[suffix]
    path = tmp_path / f"latin1.{suffix}"
    write_non_utf8(path, lines)
    with pytest.raises(kg.KGError) as err:
        kg.load_graph(path)
    first, shown, caret = str(err.value).splitlines()
    column = lines[6].index("é")
    assert first == (f"[E041] cannot read graph {path}: syntax error at line 7, column {column + 1}: not UTF-8 (the byte "
                     "0xE9); a graph file must be UTF-8: save it as UTF-8")
    assert shown == "    " + lines[6].replace("é", "\ufffd") and caret == "    " + " " * column + "^"
    (tmp_path / f"utf8.{suffix}").write_text("\n".join(lines + [""]), encoding="utf-8")
    assert "€ café" in {str(o) for o in kg.load_graph(tmp_path / f"utf8.{suffix}").objects()}  # as UTF-8 it reads


def test_syntax_error_in_a_utf8_file_still_says_what_the_parser_says(tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "café" ex:c .\n', encoding="utf-8")
    with pytest.raises(kg.KGError, match="syntax error at line 2, column 18: expected '.' or '}' or ']' at end"):
        kg.load_graph(path)


@pytest.mark.parametrize("command, output", [("validate", None), ("export", "out.nt"), ("viz", "out.html")])
def test_cli_names_the_line_of_a_graph_file_that_is_not_utf8(tmp_path, command, output):
    from click.testing import CliRunner

    from kg.cli import cli

    path = tmp_path / "latin1.ttl"
    write_non_utf8(path, NON_UTF8["ttl"])
    result = CliRunner().invoke(cli, [command, str(path)] + (["-o", str(tmp_path / output)] if output else []))
    assert result.exit_code == 1 and "Traceback" not in result.output
    first, shown, caret = result.output.splitlines()
    assert first == (f"Error: [E041] cannot read graph {path}: syntax error at line 7, column 17: not UTF-8 (the byte "
                     "0xE9); a graph file must be UTF-8: save it as UTF-8")
    assert shown == '    ex:x ex:l "€ caf\ufffd" .' and caret.index("^") == shown.index("\ufffd")
    assert output is None or not (tmp_path / output).exists()


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as fh:
            fh.write("half a graph")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["graph.ttl"]


def test_atomic_write_gives_the_permissions_of_a_plain_write(tmp_path):
    """A new output is 0666 less the umask, as `open` would make it (not mkstemp's private 0600); a replaced
    one keeps its mode."""
    old_mask = os.umask(0o022)
    try:
        with atomic_open(tmp_path / "new.ttl") as fh:
            fh.write("x")
        kept = tmp_path / "kept.ttl"
        kept.write_text("old")
        kept.chmod(0o640)
        with atomic_open(kept) as fh:
            fh.write("new")
    finally:
        os.umask(old_mask)
    assert (tmp_path / "new.ttl").stat().st_mode & 0o777 == 0o644
    assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text() == "new"
    assert sorted(os.listdir(tmp_path)) == ["kept.ttl", "new.ttl"]


def test_atomic_write_goes_through_a_link_and_into_a_pipe(tmp_path):
    real = tmp_path / "real.nt"
    real.write_text("old")
    (tmp_path / "link.nt").symlink_to("real.nt")
    with atomic_open(tmp_path / "link.nt") as fh:
        fh.write("new")
    assert (tmp_path / "link.nt").is_symlink() and real.read_text() == "new"
    # a named pipe (as /dev/stdout may be) is written to, never renamed over
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen([sys.executable, "-c", f"print(open({str(fifo)!r}).read(), end='')"],
                              stdout=subprocess.PIPE, text=True)
    with atomic_open(fifo) as fh:
        fh.write("through the pipe")
    assert reader.communicate(timeout=30)[0] == "through the pipe"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_validate_command(examples_build, tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    path = tmp_path / "g.ttl"
    kg.export(examples_build.graph, path)
    ok = CliRunner().invoke(cli, ["validate", str(path)])
    assert ok.exit_code == 0 and "conforms" in ok.output
    broken = tmp_path / "b.ttl"
    broken.write_text(path.read_text().replace("kgo:arxivId", "kgo:category", 3))
    bad = CliRunner().invoke(cli, ["validate", str(broken)])
    assert bad.exit_code == 1 and "kgo:arxivId" in bad.output and "SHACL violation" in bad.output


def test_json_that_is_no_json_ld_is_no_empty_graph(tmp_path):
    """build-report.json given as the graph loaded as 0 triples without a word (any .json is read as JSON-LD)."""
    report = tmp_path / "build-report.json"
    report.write_text('{"papers": 107, "triples": 8448}', encoding="utf-8")
    says = "it is JSON without any JSON-LD keyword"
    with pytest.raises(kg.KGError, match=r"\[E041\].*" + says):
        kg.load_graph(report)
    for engine in kg.query.ENGINES:
        with pytest.raises(kg.KGError, match=r"\[E041\].*" + says):
            kg.KnowledgeGraph.load(report, engine=engine)
    empty = tmp_path / "empty.jsonld"  # JSON-LD of no triple is an empty graph indeed
    empty.write_text('{"@context": {}, "@graph": []}', encoding="utf-8")
    assert len(kg.load_graph(empty)) == 0 and len(kg.KnowledgeGraph.load(empty)) == 0
