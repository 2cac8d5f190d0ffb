"""The `kg` command line through click's CliRunner (and once as `python -m kg`)."""

import json
import subprocess
import sys

import pyoxigraph
import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import cli

from .conftest import EXAMPLES, FIXTURES

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
