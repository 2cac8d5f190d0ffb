"""Big-corpus machinery: process pool and Dask builds, the build cache and `--update`, Oxigraph stores, and
`kg push` to a real Oxigraph SPARQL server. Every build is compared with the plain one-process, in-memory build."""

import json
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

import kg
from kg.cache import BuildCache, from_json, to_json
from kg.cli import cli
from kg.parallel import extract_parallel
from kg.parse import expand_inputs, iter_papers, merge_stream
from kg.pipeline import extract_papers
from kg.store import graph_store_url, store_ntriples

from .conftest import EXAMPLES, FIXTURES

SEEDS = sorted(EXAMPLES.iterdir())
#: The one paper met in two seed files (000 and 002).
TWICE = "2312.04828"


def turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def seed_papers():
    return merge_stream(iter_papers(expand_inputs([str(EXAMPLES)]), lambda issue: None))


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


# ---------------------------------------------------------------- records and the cache


def test_records_round_trip_through_the_cache_json(nlp):
    papers = list(seed_papers().values())[:12]
    for paper in papers:
        assert from_json(kg.Paper, to_json(paper)) == paper
    extractions = list(extract_papers(papers, nlp))
    assert any(ex.mentions for ex in extractions) and any(ex.acronyms for ex in extractions)
    for ex in extractions:
        assert from_json(type(ex), to_json(ex)) == ex


# ---------------------------------------------------------------- process pool


def test_process_pool_gives_the_same_records_and_graph(nlp, examples_build):
    papers = list(seed_papers().values())
    assert list(extract_parallel(papers, workers=2, nlp=nlp, chunk_size=8)) == list(extract_papers(papers, nlp))
    result = kg.build_graph([EXAMPLES], nlp=nlp, workers=2, progress=False)
    assert result.report.extracted == result.report.papers == 107
    assert turtle(result.graph) == turtle(examples_build.graph)


def test_spawned_workers_load_the_pipeline_themselves(nlp):
    """Where processes cannot be forked (macOS, Windows) each worker loads the pipeline once."""
    papers = list(seed_papers().values())[:40]
    spawned = list(extract_parallel(papers, workers=2, chunk_size=8, start_method="spawn"))
    assert spawned == list(extract_papers(papers, nlp))


def test_process_pool_streams_its_input(nlp):
    """Papers are pulled as results are taken, a few chunks ahead, never the whole stream at once."""
    papers = list(seed_papers().values())
    pulled = 0

    def stream():
        nonlocal pulled
        for paper in papers * 3:
            pulled += 1
            yield replace(paper, arxiv_id=f"{pulled}.{paper.arxiv_id}")

    it = extract_parallel(stream(), workers=2, nlp=nlp, chunk_size=4)
    first = next(it)
    assert first.arxiv_id.startswith("1.") and pulled <= 2 * 3 * 4 + 4
    assert sum(1 for _ in it) == len(papers) * 3 - 1


def test_workers_must_be_positive():
    with pytest.raises(kg.KGError, match=r"\[E088\]"):
        kg.build_graph([EXAMPLES], workers=0)


# ---------------------------------------------------------------- incremental builds


def test_update_equals_a_full_rebuild_and_extracts_only_new_papers(nlp, examples_build, tmp_path):
    # The new files sort before the cached ones and share a paper with them: the merge order must follow the
    # files' order, as in a build of everything at once.
    first, later = SEEDS[2:], SEEDS[:2]
    cache_dir = kg.build_cache_dir(tmp_path)
    before = kg.build_graph(first, nlp=nlp, cache_dir=cache_dir, progress=False)
    assert before.report.extracted == before.report.papers and TWICE in before.papers

    after = kg.update_build(tmp_path, later, nlp=nlp, progress=False)
    full = examples_build
    assert isomorphic(after.graph, full.graph) and turtle(after.graph) == turtle(full.graph)
    assert after.papers == full.papers
    for key in ("files_read", "entries_read", "papers", "merged", "links", "triples", "entities"):
        assert getattr(after.report, key) == getattr(full.report, key), key
    assert [Path(s).name.split(":")[0] for s in after.papers[TWICE].sources] == [SEEDS[0].name, SEEDS[2].name]
    # Extraction reads every field but `sources`: new papers, and papers whose merge changed them, are extracted.
    changed = {i for i, p in full.papers.items()
               if i not in before.papers or replace(before.papers[i], sources=()) != replace(p, sources=())}
    assert len(before.papers) < full.report.papers and len(changed) < full.report.papers
    assert after.report.extracted == len(changed)
    assert after.report.reused == full.report.papers - len(changed)
    assert after.report.files_parsed == 2
    assert after.report.inputs == [str(p) for p in first + later]

    # Nothing new: nothing extracted, same graph.
    again = kg.build_graph(SEEDS, nlp=nlp, cache_dir=cache_dir, progress=False)
    assert again.report.extracted == 0 and again.report.reused == 107
    assert turtle(again.graph) == turtle(full.graph)


def test_update_reextracts_only_the_changed_paper(nlp, tmp_path):
    digest = tmp_path / "in" / SEEDS[0].name
    digest.parent.mkdir()
    text = SEEDS[0].read_text(encoding="utf-8")
    old = "Openness is critical for the advancement of science."
    assert text.count(old) == 1
    digest.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    kg.build_graph([digest, SEEDS[1]], nlp=nlp, cache_dir=kg.build_cache_dir(out), progress=False)

    digest.write_text(text.replace(old, "Openness is critical for the advancement of science and of LoRA."),
                      encoding="utf-8")
    updated = kg.update_build(out, [digest], nlp=nlp, progress=False)
    assert updated.report.extracted == 1 and updated.report.files_parsed == 1
    assert "of LoRA" in updated.papers["2403.06537"].abstract_en
    rebuilt = kg.build_graph([digest, SEEDS[1]], nlp=nlp, progress=False)
    assert turtle(updated.graph) == turtle(rebuilt.graph)


def test_failed_update_leaves_the_previous_build(nlp, tmp_path):
    out = tmp_path / "out"
    kg.build_graph(SEEDS[:1], nlp=nlp, cache_dir=kg.build_cache_dir(out), progress=False)
    bad = tmp_path / "notes.md"
    bad.write_text("nothing here\n", encoding="utf-8")
    with pytest.raises(kg.KGError, match=r"\[E030\]"):
        kg.update_build(out, [bad, SEEDS[1]], nlp=nlp, progress=False)
    with BuildCache(kg.build_cache_dir(out)) as cache:
        assert [Path(given).name for given, _ in cache.files()] == [SEEDS[0].name]
    skipped = kg.update_build(out, [bad, SEEDS[1]], nlp=nlp, progress=False, skip_bad=True)
    assert skipped.report.files_read == 3 and len(skipped.report.bad_files) == 1


def test_one_build_per_folder_at_a_time(tmp_path):
    with BuildCache(tmp_path):
        with pytest.raises(kg.KGError, match=r"\[E085\].*another build is using it"):
            kg.build_graph([SEEDS[0]], extract=False, cache_dir=tmp_path)


def test_update_needs_a_build(tmp_path):
    with pytest.raises(kg.KGError, match=r"\[E084\]"):
        kg.update_build(tmp_path, SEEDS[:1])
    res = CliRunner().invoke(cli, ["build", "--update", str(tmp_path), str(SEEDS[0])])
    assert res.exit_code == 1 and "[E084]" in res.output


def test_cli_update_writes_what_a_full_build_writes(tmp_path):
    res = invoke("build", *SEEDS[:3], "-o", tmp_path / "inc", "--no-progress")
    assert res.exit_code == 0, res.output
    res = invoke("build", "--update", tmp_path / "inc", *SEEDS[3:], "--no-progress")
    assert res.exit_code == 0, res.output
    assert "from the cache" in res.output
    report = json.loads((tmp_path / "inc" / "build-report.json").read_text())
    assert report["files_parsed"] == 2 and report["reused"] + report["extracted"] == report["papers"] == 107
    assert invoke("build", EXAMPLES, "-o", tmp_path / "full", "--no-progress").exit_code == 0
    assert (tmp_path / "inc" / "graph.ttl").read_bytes() == (tmp_path / "full" / "graph.ttl").read_bytes()
    res = CliRunner().invoke(cli, ["build", "--update", str(tmp_path / "inc"), "-o", str(tmp_path), str(SEEDS[0])])
    assert res.exit_code == 2 and "give no -o" in res.output


# ---------------------------------------------------------------- Oxigraph store


def test_store_build_is_the_same_graph_and_is_queryable(nlp, examples_build, tmp_path):
    store = tmp_path / "kg-store"
    result = kg.build_graph([EXAMPLES], nlp=nlp, store=f"oxigraph:{store}", progress=False)
    assert result.graph is None and result.store == store.resolve()
    assert result.report.triples == len(examples_build.graph)
    from_store = Graph().parse(data=store_ntriples(store), format="nt")
    assert isomorphic(from_store, examples_build.graph)

    loaded = kg.KnowledgeGraph.load(store)
    assert len(loaded.engine) == len(examples_build.graph)
    res = invoke("query", store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "csv")
    assert res.exit_code == 0 and str(len(examples_build.graph)) in res.output

    # Rebuilt in place from the cache-less build of fewer papers: the store is replaced, not added to.
    smaller = kg.build_graph(SEEDS[:1], nlp=nlp, store=store, progress=False)
    assert smaller.report.triples == len(Graph().parse(data=store_ntriples(store), format="nt"))
    assert smaller.report.triples < result.report.triples
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_store_update_through_the_cli(examples_build, tmp_path):
    store = tmp_path / "store"
    out = tmp_path / "out"
    assert invoke("build", *SEEDS[:2], "-o", out, "--store", f"oxigraph:{store}", "--no-progress").exit_code == 0
    assert not (out / "graph.ttl").exists()
    res = invoke("build", "--update", out, *SEEDS[2:], "--no-progress")  # the store is remembered
    assert res.exit_code == 0, res.output
    assert isomorphic(Graph().parse(data=store_ntriples(store), format="nt"), examples_build.graph)
    assert json.loads((out / "build-report.json").read_text())["triples"] == len(examples_build.graph)


def test_store_errors(tmp_path):
    with pytest.raises(kg.KGError, match=r"\[E080\]"):
        kg.build_graph([SEEDS[0]], extract=False, store="fuseki:somewhere")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    with pytest.raises(kg.KGError, match=r"\[E081\].*not an Oxigraph store"):
        kg.build_graph([SEEDS[0]], extract=False, store=precious)
    assert (precious / "notes.txt").read_text() == "mine"


# ---------------------------------------------------------------- SPARQL server (Oxigraph's own)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """`oxigraph serve` on a free port of 127.0.0.1 (the `oxigraph` package of the test extra); its base URL."""
    binary = shutil.which("oxigraph")
    assert binary, "the Oxigraph server is missing: pip install oxigraph (it is in the test extra)"
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path_factory.mktemp("oxserver")), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/query?query=" + urllib.parse.quote("ASK {}"), timeout=1).read()
                break
            except OSError:
                assert proc.poll() is None, "oxigraph serve exited"
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def count(base: str, graph: str = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    url = base + "/query?query=" + urllib.parse.quote(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


def test_push_to_an_oxigraph_server(oxigraph_server, examples_build, tmp_path):
    path = tmp_path / "graph.ttl"
    kg.export(examples_build.graph, path)
    n = len(examples_build.graph)

    report = kg.push_graph(path, oxigraph_server + "/store", chunk_triples=1000)
    assert report.triples == n and report.requests == -(-n // 1000)
    assert count(oxigraph_server) == n
    kg.push_graph(path, oxigraph_server + "/store")  # PUT replaces: still n, not 2n
    assert count(oxigraph_server) == n

    # What the server holds is the graph, term for term.
    with urllib.request.urlopen(urllib.request.Request(
            oxigraph_server + "/store?default", headers={"Accept": "application/n-triples"}), timeout=30) as resp:
        assert isomorphic(Graph().parse(data=resp.read(), format="nt"), examples_build.graph)

    # The CLI, into a named graph, from an Oxigraph store; and `kg query --endpoint` reads it back.
    store = tmp_path / "store"
    kg.build_graph([SEEDS[0]], extract=False, store=store, progress=False)
    named = "https://w3id.org/paperkg/graph"
    res = invoke("push", f"oxigraph:{store}", "--endpoint", oxigraph_server + "/store", "--graph", named)
    assert res.exit_code == 0 and "pushed" in res.output, res.output
    assert count(oxigraph_server, named) == len(Graph().parse(data=store_ntriples(store), format="nt"))
    res = invoke("query", "--endpoint", oxigraph_server + "/query",
                 f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{named}> {{ ?s ?p ?o }} }}", "-f", "csv")
    assert res.exit_code == 0 and str(count(oxigraph_server, named)) in res.output
    before = count(oxigraph_server, named)
    extra = tmp_path / "extra.nt"
    extra.write_text("<https://example.org/a> <https://example.org/p> \"1\" .\n", encoding="utf-8")
    res = invoke("push", extra, "--endpoint", oxigraph_server + "/store", "--graph", named, "--append")
    assert res.exit_code == 0
    assert count(oxigraph_server, named) == before + 1 and count(oxigraph_server) == n


def test_push_errors(oxigraph_server, tmp_path):
    path = tmp_path / "g.nt"
    path.write_text("<https://example.org/a> <https://example.org/p> \"1\" .\n", encoding="utf-8")
    assert graph_store_url("http://h/ds/data", "urn:g") == "http://h/ds/data?graph=urn%3Ag"
    with pytest.raises(kg.KGError, match=r"\[E082\] PUT .* HTTP 404"):
        kg.push_graph(path, oxigraph_server + "/no-such-service")
    with pytest.raises(kg.KGError, match=r"\[E083\]"):
        kg.push_graph(path, f"http://127.0.0.1:{_free_port()}/store", timeout=5)
    res = CliRunner().invoke(cli, ["push", str(tmp_path / "missing.ttl"), "--endpoint", oxigraph_server + "/store"])
    assert res.exit_code == 2 and "[E041]" in res.output  # a usage error, as in the other commands reading GRAPH


def test_push_keeps_blank_nodes_whole_on_an_oxigraph_server(oxigraph_server):
    """Oxigraph's server reads each request as its own document, with its own blank nodes: an RDF list and OWL
    restrictions pushed 2 triples a request came out as 16 blank nodes for the file's 7, the lists cut apart.
    The triples joined through blank nodes now go in one request: the server holds the file's graph."""
    path = FIXTURES / "owl_blank_nodes.ttl"  # 21 triples, 7 blank nodes
    named = "urn:example:owl"
    report = kg.push_graph(path, oxigraph_server + "/store", graph=named, chunk_triples=2)
    assert report.triples == count(oxigraph_server, named) == 21
    blanks = (f"SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {{ GRAPH <{named}> {{ {{ ?b ?p ?o }} UNION {{ ?s ?p ?b }} }} "
              "FILTER isBlank(?b) }")
    items = (f"SELECT ?i WHERE {{ GRAPH <{named}> {{ <https://example.org/s> <https://example.org/list>/rdf:rest*/"
             "rdf:first ?i } }")
    prefix = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
    answers = []
    for query in (blanks, items):
        request = urllib.request.Request(oxigraph_server + "/query?query=" + urllib.parse.quote(prefix + query),
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            answers.append([next(iter(row.values()))["value"] for row in json.load(response)["results"]["bindings"]])
    assert answers[0] == ["7"]
    assert sorted(answers[1]) == ["https://example.org/a", "https://example.org/b", "https://example.org/c"]
    url = graph_store_url(oxigraph_server + "/store", named)
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/n-triples"}),
                                timeout=30) as resp:
        assert isomorphic(Graph().parse(data=resp.read(), format="nt"), Graph().parse(path))


# ---------------------------------------------------------------- Dask


def _pipelines_loaded():
    from kg.pipeline import _NLP_CACHE

    return len(_NLP_CACHE)


def test_dask_local_cluster_gives_the_same_graph(examples_build, tmp_path):
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        result = kg.build_graph([EXAMPLES], dask=cluster.scheduler_address, progress=False)
        assert result.report.extracted == 107 and result.report.files_parsed == len(SEEDS)
        assert isomorphic(result.graph, examples_build.graph)
        assert turtle(result.graph) == turtle(examples_build.graph)

        # Into a store, through the CLI; the workers keep the pipeline they loaded (once each).
        store = tmp_path / "store"
        res = invoke("build", EXAMPLES, "-o", tmp_path / "out", "--store", f"oxigraph:{store}",
                     "--dask", cluster.scheduler_address, "--no-progress")
        assert res.exit_code == 0, res.output
        assert isomorphic(Graph().parse(data=store_ntriples(store), format="nt"), examples_build.graph)
        with Client(cluster.scheduler_address) as client:
            assert sorted(client.run(_pipelines_loaded).values()) == [1, 1]


def test_dask_scheduler_unreachable():
    from kg.parallel import DaskRunner

    with pytest.raises(kg.KGError, match=r"\[E087\]"):
        DaskRunner(f"tcp://127.0.0.1:{_free_port()}", timeout=2)


def test_dask_scheduler_on_a_closed_port_fails_at_once(tmp_path):
    """Nothing listens at the address: the build fails with E087 naming it, at once, not after the client's
    30 s timeout."""
    with socket.socket() as closed:  # bound, never listening: a connection is refused, and no one else gets the port
        closed.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{closed.getsockname()[1]}"
        start = time.monotonic()
        result = invoke("build", EXAMPLES, "-o", tmp_path / "out", "--dask", address, "--no-progress")
        elapsed = time.monotonic() - start
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: [E087] cannot connect to the Dask scheduler {address}: nothing accepts "
                                    f"a connection at 127.0.0.1 port {address.rsplit(':', 1)[1]}")
    assert elapsed < 15, elapsed  # the old code waited 30 s for the client's handshake


@pytest.mark.parametrize("address, why", [("nonsense:::", "ipv6 needs brackets"), ("tcp://127.0.0.1", "missing port"),
                                          ("tcp://:8786", "no host"), ("127.0.0.1:0", "port 0 is not 1-65535"),
                                          ("tcp://127.0.0.1:port", "invalid literal")])
def test_dask_scheduler_address_that_is_malformed(address, why):
    from kg.parallel import DaskRunner

    with pytest.raises(kg.KGError) as err:
        DaskRunner(address)
    assert str(err.value).startswith(f"[E105] {address!r} is not a Dask scheduler address (")
    assert why in str(err.value) and str(err.value).endswith("give tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786")


def test_dask_tls_scheduler_without_tls_settings_is_a_clear_error():
    """tls:// needs Dask's TLS settings (its config); without them the client raised a bare TypeError."""
    from kg.parallel import DaskRunner

    with pytest.raises(kg.KGError) as err:
        DaskRunner("tls://127.0.0.1:8786", timeout=5)
    assert str(err.value).startswith("[E087] cannot connect to the Dask scheduler tls://127.0.0.1:8786: TLS expects")
