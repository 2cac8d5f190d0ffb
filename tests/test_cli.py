"""The `kg` command line through click's CliRunner (and once as `python -m kg`)."""

import csv
import json
import shlex
import subprocess
import sys

import pyoxigraph
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

import kg
from kg.cli import cli
from kg.store import store_ntriples

from .conftest import EXAMPLES, FIXTURES, ROOT, held

PAPER_COUNT = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://w3id.org/paperkg/ontology#Paper> }"


def all_commands(group=cli, prefix=()):
    for name in group.commands:
        yield prefix + (name,)


@pytest.mark.parametrize("command", list(all_commands()))
def test_every_command_has_help_with_example(command):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and len(result.output) > 200


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "0.1.0" in result.output
    out = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True, check=True)
    assert "kg, version" in out.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["build", str(EXAMPLES), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    return out, result


def test_build_writes_graph_and_report(built):
    out, result = built
    report = json.loads((out / "build-report.json").read_text())
    assert (report["papers"], report["entries_read"], report["merged"]) == (107, 108, 1)
    assert report["bad_files"] == [] and report["skipped_entries"] == []
    assert set(report["timings_s"]) >= {"parse", "extract", "rdf", "write"}
    assert "107 papers" in result.output


def test_turtle_parses_in_rdflib_and_oxigraph(built):
    out, _ = built
    g = rdflib.Graph().parse(out / "graph.ttl")
    assert int(next(iter(g.query(PAPER_COUNT)))[0]) == 107
    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert int(next(iter(store.query(PAPER_COUNT)))["n"].value) == 107
    assert len(store) == len(g)


def test_paper_node_fields(built):
    out, _ = built
    g = rdflib.Graph().parse(out / "graph.ttl")
    p = rdflib.URIRef("https://arxiv.org/abs/2402.19474")
    q = """PREFIX kgo: <https://w3id.org/paperkg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?t ?d ?id WHERE { ?p dcterms:title ?t ; dcterms:date ?d ; kgo:arxivId ?id . FILTER(lang(?t) = "zh") }"""
    (row,) = list(g.query(q, initBindings={"p": p}))
    assert row.t.startswith("《全知计划V2》") and str(row.d) == "2024-02-29" and row.d.datatype == rdflib.XSD.date
    assert str(row.id) == "2402.19474"


def test_bad_file_fails_build_and_keeps_existing_output(tmp_path, built):
    out, _ = built
    before = (out / "graph.ttl").read_bytes()
    bad = tmp_path / "empty.md"
    bad.write_text("")
    result = CliRunner().invoke(cli, ["build", str(bad), str(EXAMPLES), "-o", str(out), "--no-extract"])
    assert result.exit_code == 1
    assert f"{bad}: [E002] file is empty" in result.output and "Traceback" not in result.output
    assert "--skip-bad" in result.output
    assert (out / "graph.ttl").read_bytes() == before


def test_skip_bad_builds_from_the_rest(tmp_path):
    bad = tmp_path / "binary.md"
    bad.write_bytes(b"\x00\x01\x02")
    result = CliRunner().invoke(cli, ["build", str(bad), str(FIXTURES / "papers.jsonl"), "-o", str(tmp_path / "o"),
                                      "--skip-bad", "--no-extract"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "o" / "build-report.json").read_text())
    assert report["papers"] == 2 and report["bad_files"][0]["reason"].startswith("[E003]")


def test_missing_input_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "nope"), "-o", str(tmp_path)])
    assert result.exit_code == 1 and "[E006]" in result.output and "Traceback" not in result.output


def test_export_formats(built, tmp_path):
    out, _ = built
    for fmt, suffix in [("nt", ".nt"), ("json-ld", ".jsonld"), ("trig", ".trig"), ("graphml", ".graphml"),
                        ("gexf", ".gexf")]:
        target = tmp_path / f"g{suffix}"
        result = CliRunner().invoke(cli, ["export", str(out / "graph.ttl"), "-f", fmt, "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 1000
    g = rdflib.Graph().parse(tmp_path / "g.nt", format="nt")
    assert len(g) == len(rdflib.Graph().parse(out / "graph.ttl"))
    bad = CliRunner().invoke(cli, ["export", str(out / "graph.ttl"), "-f", "docx", "-o", str(tmp_path / "x")])
    assert bad.exit_code == 1 and "[E040]" in bad.output
    # "-" is standard output, not a file named "-"
    piped = subprocess.run([sys.executable, "-m", "kg", "export", str(out / "graph.ttl"), "-f", "nt", "-o", "-"],
                           capture_output=True, text=True, cwd=tmp_path, check=True)
    assert len(rdflib.Graph().parse(data=piped.stdout, format="nt")) == len(g) and not (tmp_path / "-").exists()



def test_export_without_format_takes_it_from_the_output_suffix(tmp_path):
    """`kg export G -o g.nt` wrote Turtle into g.nt: the default format was turtle whatever the file's name."""
    for name, exporter in kg.EXPORTERS.items():
        by_suffix, by_name = tmp_path / f"g{exporter.suffix}", tmp_path / f"named-{name}{exporter.suffix}"
        assert invoke("export", SMALL_GRAPH, "-o", by_suffix).exit_code == 0
        assert invoke("export", SMALL_GRAPH, "-f", name, "-o", by_name).exit_code == 0
        assert by_suffix.read_bytes() == by_name.read_bytes(), name
    assert not (tmp_path / "g.nt").read_text(encoding="utf-8").startswith("@prefix")
    nt = rdflib.Graph().parse(tmp_path / "g.nt", format="nt")
    assert isomorphic(nt, rdflib.Graph().parse(SMALL_GRAPH))
    # a format's name or alias as the suffix, in any case
    assert invoke("export", SMALL_GRAPH, "-o", tmp_path / "g.XML").exit_code == 0
    assert (tmp_path / "g.XML").read_bytes() == (tmp_path / "g.rdf").read_bytes()
    # .json is JSON-LD, as kg.load_graph reads it
    assert invoke("export", SMALL_GRAPH, "-o", tmp_path / "g.json").exit_code == 0
    assert (tmp_path / "g.json").read_bytes() == (tmp_path / "g.jsonld").read_bytes()
    # -f wins over the suffix; stdout is Turtle
    assert invoke("export", SMALL_GRAPH, "-f", "turtle", "-o", tmp_path / "t.nt").exit_code == 0
    assert (tmp_path / "t.nt").read_bytes() == (tmp_path / "g.ttl").read_bytes()
    piped = invoke("export", SMALL_GRAPH, "-o", "-")
    assert piped.exit_code == 0 and piped.stdout_bytes == (tmp_path / "g.ttl").read_bytes()


@pytest.mark.parametrize("name, says", [("g.txt", "no export format writes '.txt' files"),
                                        ("graph", "the file name has no suffix")])
def test_export_to_a_suffix_no_format_has_is_an_error_naming_it(name, says, tmp_path):
    result = invoke("export", SMALL_GRAPH, "-o", tmp_path / name)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: [E100] cannot tell the export format of {tmp_path / name}: {says}")
    assert "pass -f with one of: turtle, nt, json-ld, trig, xml, graphml, gexf" in result.output
    assert not (tmp_path / name).exists()  # no Turtle written under another name


# ---------------------------------------------------------------- the reading commands on an Oxigraph store


@pytest.fixture(scope="module")
def store_built(tmp_path_factory):
    """The bundled digests built into an Oxigraph store, as `kg build DIGESTS -o OUT --store oxigraph:OUT/store`
    (the same inputs as `built`, so the same graph; spaCy is loaded once per process)."""
    out = tmp_path_factory.mktemp("store-out")
    store = out / "store"
    result = CliRunner().invoke(cli, ["build", str(EXAMPLES), "-o", str(out), "--store", f"oxigraph:{store}",
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    assert not (out / "graph.ttl").exists() and (store / "CURRENT").is_file()
    return store


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_reading_commands_take_a_store(built, store_built, tmp_path):
    """entities, validate, export, viz (and lookup) read the store folder and oxigraph:PATH as the Turtle file of
    the same build: both forms for the cheap commands, one each for SHACL validation and the HTML view."""
    out, _ = built
    turtle = out / "graph.ttl"
    folder, spec = str(store_built), f"oxigraph:{store_built}"

    from_turtle = invoke("entities", turtle)
    for store in (folder, spec):
        from_store = invoke("entities", store)
        assert from_store.exit_code == 0, from_store.output
        assert from_store.output == from_turtle.output and len(from_store.output.splitlines()) > 100

    valid = invoke("validate", spec)
    assert valid.exit_code == 0, valid.output
    assert valid.output == f"{spec}: conforms (0 violations)\n"

    in_turtle = len(rdflib.Graph().parse(turtle))
    for store, target in ((folder, tmp_path / "folder.nt"), (spec, tmp_path / "spec.nt")):
        exported = invoke("export", store, "-f", "nt", "-o", target)
        assert exported.exit_code == 0, exported.output
        graph = rdflib.Graph().parse(target, format="nt")
        assert len(graph) == in_turtle > 1000
    assert isomorphic(graph, rdflib.Graph().parse(data=store_ntriples(store_built), format="nt"))

    page = tmp_path / "g.html"
    shown = invoke("viz", folder, "-o", page)
    assert shown.exit_code == 0, shown.output
    assert page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    counts = shown.output.rsplit("(", 1)[1]  # "(N nodes, M edges)", the same as from the Turtle file
    assert counts == invoke("viz", turtle, "-o", tmp_path / "t.html").output.rsplit("(", 1)[1]
    assert "nodes" in counts and not counts.startswith("0 ")

    hit = invoke("lookup", "GPT-4", spec, "--limit", "1")
    assert hit.exit_code == 0 and "GPT-4" in hit.output


@pytest.mark.parametrize("args, tail", [(["entities"], []), (["validate"], []), (["export"], ["-o", "x.nt"]),
                                        (["viz"], []), (["lookup", "GPT-4"], [])])
def test_reading_commands_name_a_missing_graph_or_a_folder_without_a_store(args, tail, built, store_built, tmp_path):
    missing = invoke(*args, tmp_path / "missing.ttl", *tail)
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    assert "[E041]" in missing.output and "missing.ttl: no such file, folder or Oxigraph store" in missing.output

    out, _ = built
    folder = invoke(*args, out, *tail)  # the build folder, not its graph.ttl
    assert folder.exit_code == 2 and "Traceback" not in folder.output
    assert "holds no Oxigraph store" in folder.output and f"did you mean {out / 'graph.ttl'}?" in folder.output
    store_out = invoke(*args, f"oxigraph:{store_built.parent}", *tail)  # the store build's folder
    assert store_out.exit_code == 2 and "[E081]" in store_out.output
    assert f"did you mean oxigraph:{store_built}?" in store_out.output


def test_eval_scores_a_store_as_the_turtle_graph_of_the_same_build(built, store_built, tmp_path):
    out, _ = built
    gold = ROOT / "eval" / "gold" / "seed.jsonl"
    from_turtle = invoke("eval", gold, "--graph", out / "graph.ttl", "--json")
    assert from_turtle.exit_code == 0, from_turtle.output
    scores = json.loads(from_turtle.output)
    assert scores["papers"] == 107 and scores["types"]["MODEL"]["tp"] > 0 and scores["results"]["pred"] > 0
    for store in (store_built, f"oxigraph:{store_built}"):
        from_store = invoke("eval", gold, "--graph", store, "--json")
        assert from_store.exit_code == 0, from_store.output
        assert json.loads(from_store.output) == scores
    missing = invoke("eval", gold, "--graph", tmp_path / "missing.ttl")
    assert missing.exit_code == 2 and "missing.ttl: no such file, folder or Oxigraph store" in missing.output


def test_duplicates_of_different_types_name_the_name_they_share():
    """A pair of types apart that shares an acronym says which: the labels alone do not show why they met."""
    from kg.entities import EntityRow, duplicate_candidates
    from kg.records import EntityType

    rows = [EntityRow("https://example.org/m", EntityType.METHOD, "automatic differentiation", 3, ("AD",)),
            EntityRow("https://example.org/t", EntityType.TASK, "anomaly detection", 15, ("AD",))]
    (pair,) = duplicate_candidates(rows)
    assert pair.reason == "different types (METHOD / TASK), both named 'AD'"


def test_entity_listings_read_what_the_commands_read(built):
    """list_entities and duplicate_candidates take a graph file or a KnowledgeGraph, as well as an rdflib Graph."""
    import kg
    from kg.entities import duplicate_candidates, list_entities

    out, _ = built
    path = out / "graph.ttl"
    rows = list_entities(kg.load_graph(path), "MODEL")
    assert rows and list_entities(str(path), "MODEL") == rows == list_entities(kg.KnowledgeGraph.load(path), "MODEL")
    assert duplicate_candidates(kg.KnowledgeGraph.load(path)) == duplicate_candidates(path) == \
        duplicate_candidates(kg.load_graph(path))


# ---------------------------------------------------------------- a graph file that does not parse


BROKEN_TURTLE = """@prefix ex: <https://example.org/> .
ex:a ex:b ex:c .

ex:d ex:e ex:f ex:g .
ex:h ex:i ex:j .
"""


@pytest.mark.parametrize("command", [("validate",), ("export", "-f", "nt", "-o", "out.nt"), ("viz",)])
def test_turtle_syntax_error_names_line_column_and_text(command, tmp_path):
    path = tmp_path / "broken.ttl"
    path.write_text(BROKEN_TURTLE, encoding="utf-8")
    result = CliRunner().invoke(cli, [command[0], str(path), *command[1:]])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[0] == (f"Error: [E041] cannot read graph {path}: syntax error at line 4, column 16: "
                        "expected '.' or '}' or ']' at end of statement")
    assert lines[1:] == ["    ex:d ex:e ex:f ex:g .", "                   ^"]  # the caret under ex:g


def test_syntax_error_on_a_long_line_shows_the_text_around_it(tmp_path):
    path = tmp_path / "long.ttl"
    path.write_text('@prefix ex: <https://example.org/> .\nex:a ex:b "' + "x" * 150 + '" ; ex:c "é€" ex:d ex:e .\n',
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    first, shown, caret = result.output.splitlines()
    assert first.endswith("syntax error at line 2, column 176: expected '.' or '}' or ']' at end of statement")
    assert shown.startswith("    ...xxx") and len(shown) < 140  # clipped to the text around the position
    assert caret.index("^") == shown.index("ex:d")


NTRIPLES = """<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> .
<http://ex.org/a> <http://ex.org/b> "two" .
<http://ex.org/a> <http://ex.org/b> <http://ex.org/d>
<http://ex.org/a> <http://ex.org/b> <http://ex.org/e> .
"""


@pytest.mark.parametrize("suffix", [".nt", ".nq"])
@pytest.mark.parametrize("command", [("validate",), ("export", "-f", "turtle", "-o", "out.ttl"), ("viz",)])
def test_ntriples_syntax_error_names_the_line_and_shows_it(command, suffix, tmp_path):
    path = tmp_path / f"broken{suffix}"
    path.write_text(NTRIPLES, encoding="utf-8")  # line 3 lacks its final dot (rdflib's own message has no line)
    result = invoke(command[0], path, *command[1:])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.splitlines()
    third = NTRIPLES.splitlines()[2]
    assert lines[0] == (f"Error: [E041] cannot read graph {path}: syntax error at line 3, column {len(third) + 1}: "
                        "expected '.' at the end of the statement")
    assert lines[1:] == ["    " + third, "    " + " " * len(third) + "^"]  # the caret where the dot should be


@pytest.mark.parametrize("third, at, why", [('<http://ex.org/a> <http://ex org/b> "x" .', "<http://ex org", "malformed IRI"),
                                            ('<http://ex.org/a> <http://ex.org/b> "x\xff" .', "\xff", "not UTF-8")])
def test_ntriples_error_points_into_the_bad_line(third, at, why, tmp_path):
    path = tmp_path / "broken.nt"
    lines = NTRIPLES.splitlines()
    text = "\r\n".join(lines[:2] + [third] + lines[3:])  # CRLF line ends count as one
    path.write_bytes(text.encode("utf-8").replace("\xff".encode("utf-8"), b"\xff"))  # \xff: a byte, not UTF-8
    result = invoke("validate", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    first, shown, caret = result.output.splitlines()
    assert f"syntax error at line 3, column {third.index(at) + 1}: {why}" in first
    assert shown == "    " + third.replace("\xff", "\ufffd") and caret.index("^") == 4 + third.index(at)


# Start-up: `import kg` and the commands that only read a built graph load none of these (spaCy alone took ~1.3 s
# of every `kg` command). Checked in a fresh interpreter, as the test process has long imported them all.
HEAVY = ("spacy", "thinc", "pyvis", "dask", "distributed", "pyshacl", "networkx")
SMALL_GRAPH = FIXTURES / "query_small.ttl"


def fresh_python(code):
    """Run `code` in a new interpreter in the repository; RETURNS its stdout (it must exit 0)."""
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def run_listing_heavy(code):
    """RETURNS (stdout of `code`, the HEAVY modules in sys.modules once it has run)."""
    out = fresh_python(f"{code}\nimport sys\nprint('HEAVY', sorted(m for m in {HEAVY!r} if m in sys.modules))")
    printed, _, heavy = out.rpartition("HEAVY ")
    return printed, heavy.strip()


def test_import_kg_and_its_reading_api_load_no_spacy():
    code = f"""import kg
from kg import EXPORTERS, EntityType, KGError, KnowledgeGraph, Paper, QueryResult, export, load_graph, named_queries
assert callable(export) and "turtle" in EXPORTERS and EntityType.MODEL and issubclass(KGError, Exception)
assert KnowledgeGraph.load({str(SMALL_GRAPH)!r}).lookup("GPT-4")[0].label == "GPT-4"
"""
    assert run_listing_heavy(code) == ("", "[]")


@pytest.mark.parametrize("args, shows", [
    (["--help"], "Commands:"),
    (["query", "--list"], "compared-models"),
    (["query", str(SMALL_GRAPH), "SELECT (COUNT(*) AS ?n) WHERE { ?p a kgo:Paper }"], "4"),
    (["lookup", "GPT-4", str(SMALL_GRAPH)], "model:gpt4"),
    (["lookup", "GPT-4", "--graph", str(SMALL_GRAPH), "--json"], '"label": "GPT-4"'),
])
def test_commands_reading_a_graph_load_no_spacy(args, shows):
    """`python -m kg ARGS`, run in-process by runpy so that sys.modules can be read once the command is done."""
    printed, heavy = run_listing_heavy(f"""import runpy, sys
sys.argv = ["kg", *{args!r}]
try:
    runpy.run_module("kg", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    assert not exc.code, exc.code
""")
    assert shows in printed
    assert heavy == "[]"


def test_build_and_viz_count_one_thing_in_the_singular(tmp_path):
    digest = tmp_path / "one.jsonl"
    digest.write_text('{"id": "2401.00001", "title": "A paper", "abstract": "We study things."}\n', encoding="utf-8")
    runner = CliRunner()
    built = runner.invoke(cli, ["build", str(digest), "-o", str(tmp_path / "out"), "--no-extract", "--no-progress"])
    assert built.exit_code == 0, built.output
    assert "1 paper (1 entry, 0 merged, 0 skipped, 0 bad files;" in built.output
    shown = runner.invoke(cli, ["viz", str(tmp_path / "out" / "graph.ttl"), "-o", str(tmp_path / "g.html")])
    assert shown.exit_code == 0, shown.output
    assert "(1 node, 0 edges)" in shown.output


def test_lookup_with_the_graph_first_says_name_comes_first():
    result = CliRunner().invoke(cli, ["lookup", str(SMALL_GRAPH), "llama 2"])
    assert result.exit_code == 2
    assert "[E041] cannot read graph llama 2" in result.output
    assert f"NAME comes first: kg lookup 'llama 2' {SMALL_GRAPH}" in result.output


def test_lookup_with_a_missing_graph_names_the_argument():
    result = CliRunner().invoke(cli, ["lookup", "GPT-4", "no-such-graph.ttl"])
    assert result.exit_code == 2
    assert "Invalid value for '[GRAPH]': [E041] cannot read graph no-such-graph.ttl" in result.output
    assert "comes first" not in result.output


def test_query_given_a_named_query_as_sparql_says_use_named():
    result = CliRunner().invoke(cli, ["query", str(SMALL_GRAPH), "top-entities"])
    assert result.exit_code == 2
    assert "'top-entities' is a named query, not SPARQL: run it with --named top-entities" in result.output


def test_every_public_name_resolves_and_is_listed():
    out = fresh_python("""import sys
import kg
names = set(kg.__all__)
assert names <= set(dir(kg)), names - set(dir(kg))
assert {"build", "query", "store", "nlp"} <= set(dir(kg))  # the submodules too
for name in kg.__all__:
    assert getattr(kg, name) is not None, name
import kg.network, kg.store, kg.validate
assert kg.export is sys.modules["kg.export"].export  # the function, also once the submodule is imported
assert kg.push_graph is kg.store.push and kg.validate_graph is kg.validate.validate
assert kg.KnowledgeGraph is kg.knowledge.KnowledgeGraph and kg.build_graph is kg.build.build_graph
ns = {}
exec("from kg import *", ns)
assert names <= set(ns), names - set(ns)
print(len(names))
""")
    import kg

    assert int(out) == len(kg.__all__)


def test_import_kg_then_a_submodule_by_attribute():
    """`import kg; kg.query...` worked while kg/__init__ imported every submodule; it still does, on first use, and
    a name that is neither is an AttributeError."""
    fresh_python("""import kg
assert kg.query.DEFAULT_ENGINE and kg.defaults.BASE_IRI and kg.store.PUSH_TRIPLES
assert not hasattr(kg, "no_such_name") and not hasattr(kg, "_private")
try:
    kg.no_such_name
except AttributeError as exc:
    assert "no_such_name" in str(exc)
""")


def test_loading_the_pipeline_registers_the_project_components():
    """kg.nlp.load needs the @Language.factory registrations of kg.components, which `import kg` no longer makes:
    kg.nlp imports kg.components itself before spaCy builds the pipeline."""
    printed, heavy = run_listing_heavy("""import sys
from kg.nlp import load
nlp = load(blank=True)
doc = nlp("We fine-tune Llama-2 on the GSM8K benchmark.")
print(nlp.pipe_names, [(s.text, s.label_) for s in doc.spans["kg"]], "kg.pipeline" in sys.modules)
""")
    assert printed.strip() == ("['sentencizer', 'kg_lexicon', 'kg_acronyms', 'kg_patterns', 'kg_entities'] "
                               "[('Llama-2', 'MODEL'), ('GSM8K', 'DATASET')] False")
    assert "spacy" in heavy


def test_a_saved_pipeline_loads_where_kg_was_never_imported(tmp_path):
    """spaCy finds the project's factories through the package's `spacy_factories` entry points: a pipeline saved
    with them loads by `spacy.load` alone, in a process that never imports kg."""
    fresh_python(f"""from kg.nlp import load
load(blank=True).to_disk({str(tmp_path / 'pipeline')!r})""")
    printed = fresh_python(f"""import spacy, sys
nlp = spacy.load({str(tmp_path / 'pipeline')!r})
doc = nlp("We fine-tune Llama-2 on the GSM8K benchmark.")
print([(s.text, s.label_) for s in doc.spans["kg"]])""")
    assert printed.strip() == "[('Llama-2', 'MODEL'), ('GSM8K', 'DATASET')]"


SELECT_LABELS = "SELECT ?l WHERE { ?d a kgo:Dataset ; skos:prefLabel ?l } ORDER BY ?l"
CONSTRUCT_LABELS = "CONSTRUCT { ?d skos:prefLabel ?l } WHERE { ?d a kgo:Dataset ; skos:prefLabel ?l }"


@pytest.mark.parametrize("query, name, fmt", [
    (SELECT_LABELS, "answers.csv", "csv"), (SELECT_LABELS, "answers.JSON", "json"),
    (SELECT_LABELS, "answers.txt", "table"), (SELECT_LABELS, "answers.ttl", "table"),  # Turtle needs a graph
    (CONSTRUCT_LABELS, "labels.ttl", "turtle"), (CONSTRUCT_LABELS, "labels.csv", "csv"),
    (CONSTRUCT_LABELS, "labels.txt", "turtle"), ("ASK { ?d a kgo:Dataset }", "ask.csv", "csv"),
])
def test_query_output_without_format_takes_it_from_the_suffix(query, name, fmt, tmp_path):
    """`kg query ... -o answers.csv` wrote a text table into answers.csv; the suffix now names the format where
    the result can take it, else the default stays (a table, Turtle for CONSTRUCT)."""
    assert invoke("query", SMALL_GRAPH, query, "-o", tmp_path / name).exit_code == 0
    assert invoke("query", SMALL_GRAPH, query, "-f", fmt, "-o", tmp_path / f"f-{name}").exit_code == 0
    assert (tmp_path / name).read_bytes() == (tmp_path / f"f-{name}").read_bytes()


def test_query_output_format_given_wins_over_the_suffix(tmp_path):
    result = invoke("query", SMALL_GRAPH, SELECT_LABELS, "-f", "table", "-o", tmp_path / "answers.csv")
    assert result.exit_code == 0
    assert (tmp_path / "answers.csv").read_text(encoding="utf-8").splitlines()[:2] == ["l", "--------"]


def test_query_help_example_of_entity_papers_finds_rows_in_the_bundled_graph(tmp_path, monkeypatch):
    """The help's entity-papers example, run as printed (its CSV by the -o suffix) on the committed
    outputs/graph.ttl, finds rows: method:lora found none there (LoRA is only a family node in that graph)."""
    shown = invoke("query", "--help").output
    args = shlex.split(next(line for line in shown.splitlines() if "--named entity-papers" in line))
    assert args[:3] == ["kg", "query", "outputs/graph.ttl"] and "-f" not in args
    out = tmp_path / args[args.index("-o") + 1]
    args[args.index("-o") + 1] = str(out)
    monkeypatch.chdir(ROOT)  # the example's relative graph path
    result = invoke(*args[1:])
    assert result.exit_code == 0, result.output
    header, *rows = list(csv.reader(out.read_text(encoding="utf-8").splitlines()))
    assert header == ["entity", "label", "role", "paper", "date", "title"] and len(rows) >= 1


# ---------------------------------------------------------------- validate, entities, push, train, eval, viz with awkward input


def test_validate_names_its_failure_with_a_code(tmp_path):
    """A graph that does not conform ended in "Error: bad.ttl: 1 SHACL violation(s)", the one failure of these
    commands with no code."""
    path = tmp_path / "bad.ttl"
    path.write_text("<https://arxiv.org/abs/2401.00001> a <https://w3id.org/paperkg/ontology#Paper> .\n",
                    encoding="utf-8")
    result = invoke("validate", path, "--limit", 1)
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Violation: arxiv:2401.00001 ") and lines[1].startswith("... and ")
    assert lines[-1].startswith(f"Error: [E124] {path} does not conform to PaperKG's shapes: ")
    assert lines[-1].endswith(" SHACL violation(s)")


def test_entities_limit_0_lists_them_all_as_lookup_and_validate_do():
    everything = invoke("entities", SMALL_GRAPH)
    assert everything.exit_code == 0 and len(everything.output.splitlines()) > 5
    zero = invoke("entities", SMALL_GRAPH, "--limit", 0)
    assert zero.exit_code == 0, zero.output
    assert zero.output == everything.output
    assert len(invoke("entities", SMALL_GRAPH, "--limit", 2).output.splitlines()) == 3  # the header and 2 rows


def write_gold(path, *records):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8")
    return path


GOLD_PAPER = {"id": "2401.00001", "entities": [{"name": "GPT-4", "type": "MODEL", "aliases": [], "roles": []}],
              "results": []}


@pytest.mark.parametrize("records, says", [
    (["not json"], "line 1: invalid JSON: Expecting value (column 1)"),
    ([GOLD_PAPER, '{"id": "2402.00002", "entities": [}'], "line 2: invalid JSON: "),
    ([[GOLD_PAPER]], "line 1: a record is a JSON object, not list"),
    ([{"entities": []}], "line 1: the record has no \"id\""),
    ([{"id": "2401.00001", "entities": [{"type": "MODEL"}]}], "line 1: entity 1 has no \"name\""),
    ([{"id": "2401.00001", "entities": [{"name": "GPT-4", "type": "ROBOT"}]}],
     "line 1: entity 1 ('GPT-4') has the type 'ROBOT'; a type is one of MODEL, DATASET, METHOD, TASK, METRIC"),
    ([{"id": "2401.00001", "entities": [{"name": "GPT-4", "type": "MODEL", "roles": ["outperforms"]}]}],
     "line 1: entity 1 ('GPT-4') has 'outperforms' among its also_types or roles"),
    ([{"id": "2401.00001", "results": [{"model": "GPT-4", "dataset": "GSM8K", "metric": "accuracy", "value": "high"}]}],
     "line 1: result 1 has the value 'high'; a value is a number"),
    ([GOLD_PAPER, GOLD_PAPER], "line 2: the paper 2401.00001 has a record on line 1 too"),
    ([], ": the file holds no record"),
])
def test_a_gold_file_that_is_no_gold_set_is_named_with_its_line(records, says, tmp_path):
    """A gold file with a broken line, an unknown type or no id was a traceback (JSONDecodeError, KeyError), an
    unknown role was never counted, a paper given twice kept its second record, and an empty file scored 0 papers."""
    gold = write_gold(tmp_path / "gold.jsonl", *records)
    result = invoke("eval", gold, "--graph", SMALL_GRAPH)
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.output.splitlines()
    assert line.startswith(f"Error: [E121] gold file {gold}") and says in line
    assert line.endswith("(the format is in eval/GUIDELINES.md, 'File format')")


def test_a_gold_file_that_is_not_utf8_is_named_with_its_line(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(json.dumps(GOLD_PAPER).encode() + b"\n\xff\xfe{}\n")
    result = invoke("eval", gold, "--graph", SMALL_GRAPH)
    assert result.exit_code == 1 and f"[E121] gold file {gold}, line 2: not UTF-8 (byte 1: " in result.output


def test_eval_of_a_graph_without_the_gold_papers_says_so_rather_than_scoring_misses(tmp_path):
    """`kg eval eval/gold/dev.jsonl --graph outputs/graph.ttl` scored 120 papers the graph does not hold as all
    missed (recall 0, exit 0); --inputs without them was already an error (E051)."""
    absent = {"id": "2501.99999", "entities": [{"name": "BERT", "type": "MODEL"}]}
    gold = write_gold(tmp_path / "gold.jsonl", GOLD_PAPER, absent)
    result = invoke("eval", gold, "--graph", SMALL_GRAPH)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error: [E122] 1 of the 2 gold paper(s) are not in the graph (e.g. 2501.99999)")
    scored = invoke("eval", write_gold(tmp_path / "held.jsonl", GOLD_PAPER), "--graph", SMALL_GRAPH, "--json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.output)["types"]["MODEL"]["tp"] == 1


def test_eval_takes_one_of_graph_and_inputs_and_names_a_tsv_it_cannot_write(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl", GOLD_PAPER)
    neither = invoke("eval", gold)
    assert neither.exit_code == 2 and "Error: [E050] give --graph GRAPH or --inputs DIGESTS" in neither.output
    both = invoke("eval", gold, "--graph", SMALL_GRAPH, "--inputs", EXAMPLES)  # --inputs was silently ignored
    assert both.exit_code == 2 and "not both" in both.output
    blocked = invoke("eval", gold, "--graph", SMALL_GRAPH, "--errors", tmp_path / "gold.jsonl" / "errors.tsv")
    assert blocked.exit_code == 1 and "Traceback" not in blocked.output
    assert f"Error: [E120] cannot write {tmp_path / 'gold.jsonl' / 'errors.tsv'}: Not a directory" in blocked.output


def test_viz_names_a_page_it_cannot_write_and_options_that_select_nothing(tmp_path):
    """-o under a file was a traceback (FileExistsError); --types ',' said "the view is empty"; --depth without
    --focus drew the whole graph without a word."""
    blocked = invoke("viz", SMALL_GRAPH, "-o", tmp_path / "graph.html")
    assert blocked.exit_code == 0, blocked.output
    page = tmp_path / "graph.html" / "page.html"
    result = invoke("viz", SMALL_GRAPH, "-o", page)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output == f"Error: [E120] cannot write {page}: File exists: {tmp_path / 'graph.html'}\n"
    for types in (",", ""):
        named = invoke("viz", SMALL_GRAPH, "-o", tmp_path / "t.html", "--types", types)
        assert named.exit_code == 2 and "Invalid value for '--types': names no type" in named.output
    depth = invoke("viz", SMALL_GRAPH, "-o", tmp_path / "d.html", "--depth", 1)
    assert depth.exit_code == 2 and "--depth is the links followed from --focus: give --focus too" in depth.output
    assert invoke("viz", SMALL_GRAPH, "-o", tmp_path / "d.html", "--depth", 1, "--focus", "GPT-4").exit_code == 0
    for focus in ("", "  "):  # an unset shell variable drew the whole graph
        empty = invoke("viz", SMALL_GRAPH, "-o", tmp_path / "f.html", "--focus", focus)
        assert empty.exit_code == 2 and "Invalid value for '--focus': is empty" in empty.output
    assert not (tmp_path / "f.html").exists()



def test_push_of_a_json_file_that_is_no_json_ld_leaves_the_server_graph(gsp_server, built):
    """build-report.json reads as JSON-LD of no triple: its push PUT an empty graph over the server's default
    graph ("pushed 0 triples"). It is refused before any request, as every command that reads a graph refuses it."""
    out, _ = built
    first = invoke("push", out / "graph.ttl", "--endpoint", gsp_server.endpoint)
    assert first.exit_code == 0, first.output
    before = held(gsp_server)
    assert len(before) > 1000
    result = invoke("push", out / "build-report.json", "--endpoint", gsp_server.endpoint)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "[E041] cannot read graph" in result.output and "without any JSON-LD keyword" in result.output
    assert held(gsp_server) == before and len(gsp_server.seen) == 1


@pytest.mark.parametrize("iri", ["", "relative", "a b:c"])
def test_push_wants_an_absolute_graph_iri(iri, gsp_server, tmp_path):
    """--graph '' (an unset shell variable) replaced the default graph; a relative IRI was resolved by the server
    against its own URL."""
    source = tmp_path / "g.nt"
    source.write_text("<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n", encoding="utf-8")
    result = invoke("push", source, "--endpoint", gsp_server.endpoint, "--graph", iri)
    assert result.exit_code == 2 and f"Invalid value for '--graph': {iri!r} is not an absolute IRI" in result.output
    assert gsp_server.seen == []


def test_push_names_a_missing_graph_as_the_other_reading_commands_do(tmp_path, built):
    missing = invoke("push", tmp_path / "missing.ttl", "--endpoint", "http://127.0.0.1:9/store")
    assert missing.exit_code == 2 and "Invalid value for 'GRAPH': [E041] cannot read graph" in missing.output
    out, _ = built
    folder = invoke("push", out, "--endpoint", "http://127.0.0.1:9/store")
    assert folder.exit_code == 2 and f"did you mean {out / 'graph.ttl'}?" in folder.output


def test_train_never_replaces_a_folder_it_did_not_write(tmp_path):
    """`kg train DIGESTS -o outputs` deleted the build in outputs/ (and `-o .` the current folder): the output
    folder is replaced whole. Checked before training; a file in the way of the folder was a traceback after it."""
    folder = tmp_path / "outputs"
    folder.mkdir()
    (folder / "graph.ttl").write_text("kept", encoding="utf-8")
    digest = FIXTURES / "papers.jsonl"
    result = invoke("train", digest, "-o", folder, "--steps", 1)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: [E123] {folder} holds files kg train did not write (graph.ttl)" in result.output
    assert (folder / "graph.ttl").read_text(encoding="utf-8") == "kept"
    blocked = invoke("train", digest, "-o", folder / "graph.ttl" / "model", "--steps", 1)
    assert blocked.exit_code == 1
    assert f"[E120] cannot write {folder / 'graph.ttl' / 'model'}: {folder / 'graph.ttl'} is a file" in blocked.output


def test_train_options_and_inputs_that_would_train_on_nothing(tmp_path):
    """--steps 0 trained without a limit (spaCy's max_steps 0); --gold without --gold-inputs (or the other way)
    projected nothing without a word; an unreadable input was dropped silently and no paper at all was spaCy's
    traceback (E923); a broken --exclude file was a JSONDecodeError."""
    digest, model = FIXTURES / "papers.jsonl", tmp_path / "model"
    steps = invoke("train", digest, "-o", model, "--steps", 0)
    assert steps.exit_code == 2 and "Invalid value for '--steps'" in steps.output
    gold = write_gold(tmp_path / "gold.jsonl", GOLD_PAPER)
    for args in (["--gold", gold], ["--gold-inputs", digest]):
        alone = invoke("train", digest, "-o", model, "--steps", 1, *args)
        assert alone.exit_code == 2 and "--gold and --gold-inputs go together" in alone.output
    notes = tmp_path / "notes.md"
    notes.write_text("just some notes\n", encoding="utf-8")
    nothing = invoke("train", notes, "-o", model, "--steps", 1)
    assert nothing.exit_code == 1 and "Traceback" not in nothing.output
    assert f"warning: {notes}: [E005] unrecognised layout" in nothing.output
    assert "Error: [E031] no papers were read from the inputs" in nothing.output
    broken = invoke("train", digest, "-o", model, "--steps", 1, "--exclude", write_gold(tmp_path / "x.jsonl", "{"))
    assert broken.exit_code == 1 and "[E121] gold file" in broken.output and "line 1: invalid JSON" in broken.output
    assert not model.exists()


def test_a_file_where_a_folder_is_needed_is_one_line_not_a_traceback(tmp_path):
    """kg export -o g.ttl/x.nt and kg build -o g.ttl/out ended in FileExistsError / NotADirectoryError tracebacks."""
    blocker = tmp_path / "g.ttl"
    blocker.write_text("", encoding="utf-8")
    exported = invoke("export", SMALL_GRAPH, "-o", blocker / "x.nt")
    built = invoke("build", EXAMPLES / "000_3e17f147dcf6ff68.txt", "--no-extract", "--no-progress", "-o", blocker / "out")
    for result in (exported, built):
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.output.startswith("Error: [E125] cannot use ") and str(blocker) in result.output
