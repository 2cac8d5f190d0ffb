"""kg.query: both engines, bindings, named queries, result formats, errors, Oxigraph stores and endpoints."""

import json
import shutil
import socket
import subprocess
import time
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.namespace import XSD

from kg import cli as cli_module
from kg.errors import KGError
from kg.query import (
    ENGINES,
    EndpointEngine,
    QueryResult,
    format_result,
    named_queries,
    named_query,
    open_engine,
    parse_binding,
)

from .conftest import FIXTURES, ROOT

SMALL = FIXTURES / "query_small.ttl"
SEED = ROOT / "outputs" / "graph.ttl"
KG = "https://w3id.org/paperkg/id/"
KGO = "https://w3id.org/paperkg/ontology#"


@pytest.fixture(scope="module")
def engines():
    return {name: open_engine(SMALL, name) for name in ENGINES}


@pytest.fixture(scope="module")
def seed_engines():
    return {name: open_engine(SEED, name) for name in ENGINES}


def run(engine, name, **bindings):
    return engine.query(named_query(name).text, bindings)


def column(result, var):
    return [str(v) if v is not None else None for v in result.values(var)]


# ---------------------------------------------------------------- named queries


def test_named_queries_state_their_question_and_parse():
    queries = named_queries()
    assert len(queries) >= 10
    required = {"papers-proposing-dataset", "datasets-by-evaluations", "compared-models", "methods-with-dataset",
                "papers-in-date-range", "entity-cooccurrence", "results-on-dataset", "link-evidence",
                "chinese-only-entities", "model-family"}
    assert required <= set(queries)
    empty = open_engine(Graph())
    for nq in queries.values():
        assert nq.text.startswith("# Question: "), nq.name
        assert nq.question.endswith("?"), nq.name
        empty.query(nq.text)  # parses and runs
        for var, _doc in nq.parameters:
            assert f"?{var}" in nq.text.split("WHERE")[0], f"{nq.name}: parameter ?{var} must be selected"


# Bindings per query: each answers something on the small fixture.
BOUND = {
    "papers-proposing-dataset": {"dataset": URIRef(KG + "dataset/newbench")},
    "datasets-by-evaluations": {"dataset": URIRef(KG + "dataset/gsm8k")},
    "compared-models": {"model": URIRef(KG + "model/gpt4")},
    "methods-with-dataset": {"dataset": URIRef(KG + "dataset/gsm8k")},
    "papers-in-date-range": {"start": Literal("2024-02-01"), "end": Literal("2024-03-31")},
    "entity-cooccurrence": {"entity": URIRef(KG + "method/lora")},
    "results-on-dataset": {"dataset": URIRef(KG + "dataset/gsm8k")},
    "link-evidence": {"paper": URIRef("https://arxiv.org/abs/2401.00001"), "entity": URIRef(KG + "dataset/newbench")},
    "chinese-only-entities": {"type": URIRef(KGO + "Method")},
    "model-family": {"family": URIRef(KG + "model/llama")},
    "entity-papers": {"entity": URIRef(KG + "method/lora"), "role": URIRef(KGO + "uses")},
    "top-entities": {"type": URIRef(KGO + "Dataset")},
    "based-on": {"base": URIRef(KG + "model/llama2")},
}


def by_value(rows):
    return [tuple(t.toPython() if isinstance(t, Literal) and t.datatype == XSD.decimal else t for t in row)
            for row in rows]


@pytest.mark.parametrize("name", sorted(named_queries()))
@pytest.mark.parametrize("bound", [False, True], ids=["default", "bound"])
def test_engines_give_the_same_answers(engines, seed_engines, name, bound):
    bindings = BOUND.get(name, {}) if bound else {}
    for pair in (engines, seed_engines):
        ox_result = run(pair["oxigraph"], name, **bindings)
        rdflib_result = run(pair["rdflib"], name, **bindings)
        assert ox_result.variables == rdflib_result.variables
        # same rows in the same order; a decimal by value (Oxigraph reads Turtle's 28.0 back as "28")
        assert by_value(ox_result.rows) == by_value(rdflib_result.rows)
    if bound:
        assert len(run(engines["oxigraph"], name, **bindings)) > 0, f"{name} answers nothing on the fixture"


def test_named_query_answers_on_the_fixture(engines):
    e = engines["oxigraph"]
    assert column(run(e, "papers-proposing-dataset"), "label") == ["NewBench"]
    by_eval = run(e, "datasets-by-evaluations")
    assert list(zip(column(by_eval, "label"), by_eval.values("papers"))) == [("GSM8K", 2), ("MMLU", 1)]
    assert column(run(e, "compared-models", model=URIRef(KG + "model/gpt4")), "otherLabel") == ["Llama 2", "Llama-2-7B"]
    assert column(run(e, "methods-with-dataset", dataset=URIRef(KG + "dataset/gsm8k")), "methodLabel") == [
        "LoRA", "supervised fine-tuning"]
    assert column(run(e, "entity-cooccurrence", entity=URIRef(KG + "model/gpt4")), "otherLabel")[:2] == [
        "GSM8K", "accuracy"]
    results = run(e, "results-on-dataset", dataset=URIRef(KG + "dataset/gsm8k"))
    assert results.values("value") == sorted(results.values("value"), reverse=True)
    assert column(results, "modelLabel") == ["GPT-4", "Llama-2-7B"]
    evidence = run(e, "link-evidence", paper=URIRef("https://arxiv.org/abs/2401.00001"),
                   entity=URIRef(KG + "dataset/newbench"))
    assert column(evidence, "field") == ["title_en", "title_zh"]
    assert column(evidence, "role") == [KGO + "proposes"] * 2
    assert column(run(e, "chinese-only-entities"), "label") == ["mixture of experts"]
    assert column(run(e, "model-family", family=URIRef(KG + "model/llama")), "variantLabel") == [
        "Llama 2", "Llama-2-7B"]
    assert column(run(e, "based-on"), "label") == ["Vicuna"]


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_date_range_bounds_are_optional_and_accept_dates_or_strings(engines, engine_name):
    import datetime

    e = engines[engine_name]
    ids = lambda r: [p.rsplit("/", 1)[1] for p in column(r, "paper")]  # noqa: E731
    assert ids(run(e, "papers-in-date-range")) == ["2401.00001", "2402.00002", "2403.00003"]
    assert ids(run(e, "papers-in-date-range", start=datetime.date(2024, 2, 1))) == ["2402.00002", "2403.00003"]
    assert ids(run(e, "papers-in-date-range", end="2024-02-15")) == ["2401.00001", "2402.00002"]
    assert ids(run(e, "papers-in-date-range", start="2024-02-16", end="2024-03-19")) == []


# ---------------------------------------------------------------- bindings are values, never query text


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_bindings_with_quotes_braces_and_hash_are_values(engines, engine_name):
    e = engines[engine_name]
    query = "SELECT ?entity ?name WHERE { ?entity skos:prefLabel|skos:altLabel ?name }"
    for name in ['Foo "Bar" {x} #1', 'it\'s } # { "quoted"']:
        result = e.query(query, {"name": name})
        assert column(result, "entity") == [KG + "model/weird"]
    hostile = '" } UNION { ?entity ?p ?name } #'
    assert len(e.query(query, {"name": hostile})) == 0


def test_parse_binding_types():
    assert parse_binding("model=kg:model/gpt4") == ("model", URIRef(KG + "model/gpt4"))
    assert parse_binding("p=<https://arxiv.org/abs/2401.00001>") == ("p", URIRef("https://arxiv.org/abs/2401.00001"))
    assert parse_binding("n=12")[1] == Literal(12)
    assert parse_binding("start=2024-02-01")[1].datatype == URIRef("http://www.w3.org/2001/XMLSchema#date")
    assert parse_binding('name="a } #"')[1] == Literal("a } #")
    assert parse_binding("name=GPT-4")[1] == Literal("GPT-4")
    # one IRI reader (kg.namespaces.expand_iri): a bare IRI is an IRI too, not text
    assert parse_binding("p=https://arxiv.org/abs/2401.00001")[1] == URIRef("https://arxiv.org/abs/2401.00001")
    assert parse_binding("model=model:gpt4")[1] == URIRef(KG + "model/gpt4")
    with pytest.raises(KGError, match="E075"):
        parse_binding("no-equals-sign")


def bind(*texts):
    """Bindings as `kg query -b` reads them."""
    return dict(parse_binding(t) for t in texts)


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_a_role_or_class_name_binds_the_iri_the_query_lists(engines, engine_name):
    e = engines[engine_name]
    by_iri = run(e, "entity-papers", role=URIRef(KGO + "proposes"))
    for text in ("role=proposes", "role=Proposes", "role=kgo:proposes"):
        by_name = run(e, "entity-papers", **bind(text))
        assert column(by_name, "label") == column(by_iri, "label") == ["NewBench"]
        assert column(by_name, "role") == [KGO + "proposes"]
    assert column(run(e, "entity-papers", role="evaluatesOn"), "label") == ["GSM8K", "GSM8K", "MMLU"]
    assert column(run(e, "top-entities", **bind("type=dataset")), "label") == ["GSM8K", "MMLU", "NewBench"]
    assert column(run(e, "chinese-only-entities", type="Method"), "label") == ["mixture of experts"]
    # a value the query's own list lacks is an error naming what it takes, not an empty answer
    with pytest.raises(KGError, match=r"E075\] cannot bind \?role: \"likes\" is none of the values the query takes: "
                                      r"kgo:proposes, kgo:uses, kgo:evaluatesOn, kgo:comparesWith, kgo:mentions"):
        run(e, "entity-papers", **bind("role=likes"))
    with pytest.raises(KGError, match=r"\?type: kgo:Paper is none of .*kgo:Model, kgo:Dataset"):
        run(e, "top-entities", **bind("type=kgo:Paper"))
    # a property or class the query does not list is read through the closed namespace KGO
    any_role = "SELECT ?p ?e ?role WHERE { ?p ?role ?e } ORDER BY ?p ?e"
    uses = e.query(any_role, {"role": "USES"})
    assert len(uses) == 5 and uses.rows == e.query(any_role, {"role": URIRef(KGO + "uses")}).rows
    with pytest.raises(KGError, match=r"\?role: \"likes\" is no IRI nor a property of the ontology.*proposes"):
        e.query("SELECT ?p ?e ?role WHERE { ?p ?role ?e }", {"role": "likes"})


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_text_where_the_query_matches_an_iri_is_read_as_one_or_refused(engines, engine_name):
    e = engines[engine_name]
    gpt4 = ["Llama 2", "Llama-2-7B"]
    assert column(run(e, "compared-models", model="model:gpt4"), "otherLabel") == gpt4
    assert column(run(e, "compared-models", model=KG + "model/gpt4"), "otherLabel") == gpt4
    with pytest.raises(KGError, match=r"E075\] cannot bind \?model: \"GPT-4\" is no IRI, and the query matches "
                                      r"\?model as the subject of a triple: .* \(kg query -e model=NAME; "
                                      r"KnowledgeGraph.resolve in Python\)"):
        run(e, "compared-models", **bind("model=GPT-4"))
    with pytest.raises(KGError, match=r"\?dataset: \"GSM8K\" is no IRI.* the object of kgo:resultDataset"):
        run(e, "results-on-dataset", dataset="GSM8K")


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_partial_dates_stand_for_their_month_or_year(engines, engine_name):
    import datetime

    e = engines[engine_name]
    ids = lambda r: [p.rsplit("/", 1)[1] for p in column(r, "paper")]  # noqa: E731
    feb = run(e, "papers-in-date-range", **bind("start=2024-02", "end=2024-02"))
    assert ids(feb) == ["2402.00002"]
    # the month is its first day as a lower bound and its last day as an upper bound
    assert (feb.values("start"), feb.values("end")) == ([datetime.date(2024, 2, 1)], [datetime.date(2024, 2, 29)])
    assert ids(run(e, "papers-in-date-range", **bind("end=2024-02"))) == ["2401.00001", "2402.00002"]
    assert ids(run(e, "papers-in-date-range", **bind("start=2024-03"))) == ["2403.00003"]
    assert ids(run(e, "papers-in-date-range", **bind("start=2024", "end=2024"))) == [
        "2401.00001", "2402.00002", "2403.00003"]
    assert ids(run(e, "papers-in-date-range", start="2025")) == []
    # a custom query that compares xsd:date values directly gets an xsd:date, whole or from a month
    after = "SELECT ?paper ?after WHERE { ?paper dcterms:date ?d FILTER(?d > ?after) } ORDER BY ?paper"
    assert ids(e.query(after, bind("after=2024-02"))) == ["2403.00003"]  # after February: from March 1
    assert ids(e.query(after, bind("after=2024-01-10"))) == ["2402.00002", "2403.00003"]
    with pytest.raises(KGError, match=r"E075\] cannot bind \?start: \"Feb 2024\" is no date, .*yyyy-mm-dd, or yyyy-mm"):
        run(e, "papers-in-date-range", start="Feb 2024")
    with pytest.raises(KGError, match=r"\?end: \"2024-02-30\" is no date in the calendar"):
        run(e, "papers-in-date-range", **bind("end=2024-02-30"))
    with pytest.raises(KGError, match=r"\?d: \"2024-02\" is part of a date, .* whole dates"):
        e.query("SELECT ?p ?d WHERE { ?p dcterms:date ?d }", bind("d=2024-02"))


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_a_bound_query_that_answers_nothing_says_why(engines, engine_name):
    e = engines[engine_name]
    nosuch = run(e, "compared-models", **bind("model=model:gpt5"))
    assert len(nosuch) == 0
    assert nosuch.hint == ("no row of the query has ?model = model:gpt5: model:gpt5 (?model) is in no triple of the "
                           "graph; kg lookup NAME shows an entity's IRI")
    table = format_result(nosuch).splitlines()
    assert table[-2:] == ["(0 rows)", "hint: " + nosuch.hint]
    assert format_result(nosuch, "csv") == "model,modelLabel,other,otherLabel,papers\r\n"  # CSV stays standard
    # text bound where the query could take text: the hint says the graph has it, elsewhere
    text = run(e, "link-evidence", entity="GPT-4")
    assert text.hint.startswith('no row of the query has ?entity = "GPT-4" ("GPT-4" is in the graph, but in no row')
    assert "kg query -e VAR=NAME" in text.hint
    late = run(e, "papers-in-date-range", **bind("start=2025-01"))
    assert late.hint == 'no row of the query has ?start = "2025-01-01"^^xsd:date'
    assert run(e, "compared-models", model=URIRef(KG + "model/gpt4")).hint == ""  # rows: no hint
    assert e.query("SELECT ?x WHERE { ?x kgo:proposes kgo:nothing }").hint == ""  # nothing bound: no hint


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_binding_a_variable_the_query_does_not_select_is_an_error(engines, engine_name):
    with pytest.raises(KGError, match=r"E075.*\?x"):
        engines[engine_name].query("SELECT ?s WHERE { ?s ?p ?x }", {"x": 1})
    with pytest.raises(KGError, match="E075"):
        engines[engine_name].query("SELECT ?s WHERE { ?s ?p ?o }", {"not a name": 1})


def test_rdflib_engine_parses_a_bound_query_once(engines, monkeypatch):
    """rdflib's pyparsing parser is slow: what the bindings expect and what the engine runs come from one parse,
    and the prepared query serves later runs, on any graph."""
    from rdflib.plugins.sparql import processor

    calls = []
    real = processor.parseQuery
    monkeypatch.setattr(processor, "parseQuery", lambda text: calls.append(text) or real(text))
    text = named_query("compared-models").text + "# parsed once\n"  # a text no other test has parsed
    e = engines["rdflib"]
    first = e.query(text, bind("model=model:gpt4"))
    assert column(first, "otherLabel") == ["Llama 2", "Llama-2-7B"] and len(calls) == 1
    assert e.query(text, {"model": URIRef(KG + "model/gpt4")}).rows == first.rows and len(calls) == 1
    assert len(open_engine(Graph(), "rdflib").query(text, bind("model=model:gpt4"))) == 0 and len(calls) == 1
    # a malformed query is parsed once too, and says the same each time
    bad = "SELECT ?x WHERE {\n  ?x ?p }  # parsed once"
    messages = set()
    for _ in range(2):
        with pytest.raises(KGError) as info:
            e.query(bad, {"x": 1})
        messages.add(str(info.value))
    assert messages == {"[E070] malformed SPARQL query at line 2, column 3 (near '?x ?p }  # parsed once'): "
                        "Expected SelectQuery"}
    assert len(calls) == 2


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_a_row_with_every_variable_unbound_is_a_row(engines, engine_name):
    """rdflib's result iterator skips such a row (and adds one where GROUP BY finds no group); Oxigraph keeps it."""
    e = engines[engine_name]
    assert e.query("SELECT (MAX(?v) AS ?m) WHERE { ?s kgo:nothing ?v }").rows == ((None,),)
    assert e.query("SELECT ?x WHERE { OPTIONAL { ?x kgo:nothing ?y } }").rows == ((None,),)
    assert e.query("SELECT ?s (MAX(?v) AS ?m) WHERE { ?s kgo:nothing ?v } GROUP BY ?s").rows == ()
    assert len(run(e, "datasets-by-evaluations", dataset=URIRef(KG + "dataset/nothing"))) == 0


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_select_star_columns_follow_the_query(engines, engine_name):
    """Oxigraph sorts the columns of SELECT * by name, rdflib in an order that changes from run to run."""
    e = engines[engine_name]
    assert e.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1").variables == ("s", "p", "o")
    star = e.query("PREFIX x: <urn:x#>  # SELECT ?a\nSELECT DISTINCT * WHERE { ?paper kgo:proposes ?dataset . "
                   "?dataset skos:prefLabel ?label }")
    assert star.variables == ("paper", "dataset", "label") and column(star, "label") == ["NewBench"]
    inner = e.query("SELECT * WHERE { { SELECT ?label ?d WHERE { ?d a kgo:Dataset ; skos:prefLabel ?label } } }")
    assert inner.variables == ("label", "d")
    assert e.query("SELECT ?o ?s WHERE { ?s kgo:proposes ?o }").variables == ("o", "s")  # a list is kept


def test_construct_lists_its_triples_in_one_order_on_both_engines(engines):
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a kgo:Model ; ?p ?o }"
    results = [engines[name].query(query) for name in sorted(ENGINES)]
    assert len(results[0]) > 10
    assert results[0].triples == results[1].triples
    assert format_result(results[0], "csv") == format_result(results[1], "csv")


def test_a_language_tagged_or_typed_literal_can_be_bound(engines):
    assert parse_binding('zh="准确率"@zh') == ("zh", Literal("准确率", lang="zh"))
    assert parse_binding('n="7"^^xsd:integer') == ("n", Literal("7", datatype=XSD.integer))
    with pytest.raises(KGError, match=r"E075.*datatype foo:int is no IRI"):
        parse_binding('n="7"^^foo:int')
    for e in engines.values():
        query = "SELECT ?e ?zh WHERE { ?e skos:altLabel ?zh }"
        assert column(e.query(query, bind('zh="准确率"@zh')), "e") == [KG + "metric/accuracy"]
        plain = e.query(query, bind("zh=准确率"))
        assert len(plain) == 0
        assert "\"准确率\" (?zh) is in no triple of the graph, but \"准确率\"@zh is (kg query -b 'zh=\"准确率\"@zh')" \
            in plain.hint


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_a_role_or_an_entity_type_binds_as_its_iri(engines, engine_name):
    from kg.records import EntityType, Role

    e = engines[engine_name]
    # str enums: they were bound as the text "Role.PROPOSES", which no value of the query's list is
    assert run(e, "entity-papers", role=Role.PROPOSES).rows == run(e, "entity-papers", role="proposes").rows
    assert column(run(e, "top-entities", type=EntityType.DATASET), "label") == ["GSM8K", "MMLU", "NewBench"]
    uses = e.query("SELECT ?p ?e ?role WHERE { ?p ?role ?e }", {"role": Role.USES})
    assert len(uses) == 5 and set(column(uses, "role")) == {KGO + "uses"}


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_a_binding_no_graph_can_hold_is_refused_alike_by_both_engines(engines, engine_name):
    e = engines[engine_name]
    query = "SELECT ?e ?name WHERE { ?e skos:prefLabel ?name }"
    # pyoxigraph raised a bare ValueError ("Invalid IRI code point"), rdflib answered nothing
    with pytest.raises(KGError, match=r"E075\] cannot bind \?e: <https://x.org/a b> is no IRI: Invalid IRI code "
                                      r"point ' '"):
        e.query(query, {"e": URIRef("https://x.org/a b")})
    with pytest.raises(KGError, match=r"cannot bind \?model: <https://w3id.org/paperkg/id/model/gpt4\"}> is no IRI"):
        run(e, "compared-models", model='model:gpt4"}')  # a prefixed name read as an IRI, quote and all
    with pytest.raises(KGError, match=r"cannot bind \?name: the text '\\ud800' holds a lone surrogate"):
        e.query(query, {"name": "\ud800"})
    assert len(e.query(query, {"e": URIRef(KG + "model/gpt4")})) == 1


def test_values_of_no_column_names_the_columns(engines):
    result = run(engines["oxigraph"], "compared-models", model="model:gpt4")
    with pytest.raises(KGError, match=r"E072\] unknown variable 'other_label'; choose one of: model, modelLabel, "
                                      r"other, otherLabel, papers"):
        result.values("other_label")  # was "tuple.index(x): x not in tuple"


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_a_result_pickles_and_copies_with_its_hint(engines, engine_name):
    import copy
    import pickle

    empty = run(engines[engine_name], "compared-models", model="model:gpt5")
    assert "model:gpt5 (?model) is in no triple of the graph" in empty.hint
    for again in (pickle.loads(pickle.dumps(empty)), copy.deepcopy(empty)):  # "cannot pickle 'pyoxigraph.Store'"
        assert again == empty and again.hint == empty.hint
    full = run(engines[engine_name], "top-entities")
    assert pickle.loads(pickle.dumps(full)) == full and pickle.loads(pickle.dumps(full)).hint == ""


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_a_dataset_is_the_union_of_its_graphs_and_from_fetches_nothing(tmp_path, engine_name):
    from rdflib import Dataset

    elsewhere = tmp_path / "elsewhere.ttl"
    elsewhere.write_text('<https://x.org/s> <https://x.org/p> "fetched" .\n', encoding="utf-8")
    dataset = Dataset()
    dataset.parse(SMALL, format="turtle", publicID="https://x.org/graph")  # a named graph
    dataset.add((URIRef("https://x.org/a"), URIRef("https://x.org/p"), Literal("default")))
    e = open_engine(dataset, engine_name)  # Oxigraph: "too many values to unpack"
    assert len(e) == len(Graph().parse(SMALL)) + 1
    assert len(e.query("SELECT ?e WHERE { ?e a kgo:Model }")) == len(open_engine(SMALL).query(
        "SELECT ?e WHERE { ?e a kgo:Model }"))
    # rdflib over a Dataset read FROM's IRI (a file here, the network for http): a local query reads no IRI
    texts = e.query(f"SELECT ?o FROM <{elsewhere.as_uri()}> WHERE {{ ?s <https://x.org/p> ?o }}").values("o")
    assert texts == ["default"]


def test_the_rdflib_engine_answers_one_query_from_many_threads_as_in_turn():
    from concurrent.futures import ThreadPoolExecutor

    # the FILTER's expression keeps the solution it evaluates on the prepared query, shared by every thread
    e = open_engine(SEED, "rdflib")
    query = "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l FILTER(STRLEN(?l) > 4 && LANG(?l) != 'zh') }"
    expected = e.query(query).rows
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: e.query(query).rows, range(40)))
    assert all(rows == expected for rows in answers)  # 25 of 40 were, 273 or 272 rows for 274


def test_first_bound_queries_from_many_threads_are_typed_as_in_turn():
    import sys

    import kg

    # A fresh interpreter: two first parses at once broke pyparsing for good, the failure was kept as a
    # malformed query, and role=uses went to the engine untyped, as text: 0 rows, silently.
    calls = [("entity-papers", {"role": "uses"}), ("top-entities", {"type": "dataset"}),
             ("papers-in-date-range", {"start": "2024-02"}), ("compared-models", {"model": "model:gpt4"}),
             ("model-family", {"family": "model:llama"}), ("link-evidence", {"entity": "model:gpt4"})]
    code = (
        "import json, sys, concurrent.futures as cf\n"
        "import kg\n"
        f"g = kg.KnowledgeGraph.load({str(SEED)!r})\n"
        f"calls = {calls!r}\n"
        "with cf.ThreadPoolExecutor(len(calls)) as pool:\n"
        "    print(json.dumps(list(pool.map(lambda c: len(g.named(c[0], **c[1])), calls))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    in_turn = kg.KnowledgeGraph.load(SEED)
    expected = [len(in_turn.named(name, **bindings)) for name, bindings in calls]
    assert json.loads(proc.stdout) == expected and expected[0] > 0 and expected[1] > 0
    assert "unsendable" not in proc.stderr  # pyoxigraph's solutions, kept by a cycle and freed on another thread


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
@pytest.mark.parametrize("query, line", [
    ("SELECT ?x WHERE { ?x ?p }", 1),
    ("SELECT ?x\nWHERE {\n  ?x a kgo:Model .\n  FILTER(?x = }", 4),
    ("SELECT ?x WHERE {\n  ?x nope:thing ?y }", 2),
])
def test_malformed_query_names_line_and_column(engines, engine_name, query, line):
    with pytest.raises(KGError) as info:
        engines[engine_name].query(query)
    message = str(info.value)
    assert message.startswith("[E070] malformed SPARQL query at line %d, column " % line)
    assert "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_instance_names_a_table_prints_can_be_pasted_into_a_query(engines, engine_name):
    """Tables print `model:gpt4`, a name SPARQL reads back; the slashed `kg:model/gpt4` is an error that says so."""
    engine = engines[engine_name]
    printed = format_result(engine.query("SELECT ?m WHERE { ?m skos:prefLabel 'GPT-4' }"))
    assert printed.splitlines()[2] == "model:gpt4"
    again = engine.query("SELECT ?label WHERE { model:gpt4 skos:prefLabel ?label }")
    assert column(again, "label") == ["GPT-4"]
    with pytest.raises(KGError) as info:
        engine.query("SELECT ?p WHERE { ?p kgo:comparesWith kg:model/gpt4 }")
    assert "kg:model/gpt4 is no SPARQL name (a slash): write model:gpt4" in str(info.value)


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_sparql_update_is_refused_as_such(engines, engine_name):
    for update, keyword in (("DELETE WHERE { ?s ?p ?o }", "DELETE"),
                            ("PREFIX ex: <http://e/#>\n# a comment\nINSERT DATA { ex:a ex:b ex:c }", "INSERT")):
        with pytest.raises(KGError, match=rf"^\[E094\] {keyword} is SPARQL Update, and kg query only reads"):
            engines[engine_name].query(update)


def test_oxigraph_parser_messages_drop_character_classes(engines):
    e = engines["oxigraph"]
    with pytest.raises(KGError) as info:
        e.query("SELECT ?x WHERE { ?x ?p ?o } LIMIT 2 extra")
    assert str(info.value).endswith("the query cannot be read past this point (a part is missing or out of place)")
    with pytest.raises(KGError) as info:
        e.query("SELECT ?x WHERE { ?x ?p ?o")
    assert "[" not in str(info.value)[6:] and 'expected one of ",", ".", ";"' in str(info.value)
    with pytest.raises(KGError) as info:  # the grammar's own sentence, not a list of tokens around it
        e.query("SELECT ?p (LANG(?o) AS ?lang) WHERE { ?s ?p ?o } GROUP BY ?p")
    assert str(info.value).endswith("): The SELECT contains an expression with a variable that is unbound")


def test_a_build_folder_or_a_bad_endpoint_url_is_named(tmp_path):
    shutil.copy(SMALL, tmp_path / "graph.ttl")
    for engine_name in sorted(ENGINES):
        with pytest.raises(KGError, match=rf"E041.*holds no Oxigraph store.*did you mean {tmp_path / 'graph.ttl'}"):
            open_engine(tmp_path, engine_name)
    with pytest.raises(KGError, match="E080"):
        open_engine("oxigraph:")
    for url in ("localhost:7878/query", "ftp://127.0.0.1/query", "http:///query", "http://[::1/query"):
        with pytest.raises(KGError, match=r"E093.*not an http:// or https:// URL with a host"):
            EndpointEngine(url)


def test_unknown_engine_format_and_named_query():
    with pytest.raises(KGError, match="E072"):
        open_engine(SMALL, "blazegraph")
    with pytest.raises(KGError, match="E071"):
        named_query("no-such-query")
    with pytest.raises(KGError, match="E072"):
        format_result(QueryResult("select"), "xlsx")
    with pytest.raises(KGError, match="E074"):
        format_result(QueryResult("select"), "turtle")
    with pytest.raises(KGError, match="E041"):
        open_engine(ROOT / "no-such-graph.ttl")


# ---------------------------------------------------------------- formats


def test_csv_and_json_match_oxigraphs_own_serializers(engines):
    store = engines["oxigraph"].store
    for name in ("link-evidence", "results-on-dataset", "entity-papers"):
        text = named_query(name).text
        prefixes = {"kgo": KGO, "kg": KG, "arxiv": "https://arxiv.org/abs/", "dcterms": "http://purl.org/dc/terms/",
                    "skos": "http://www.w3.org/2004/02/skos/core#", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}
        result = run(engines["oxigraph"], name)
        expected_csv = store.query(text, prefixes=prefixes).serialize(format=ox.QueryResultsFormat.CSV)
        assert format_result(result, "csv").encode("utf-8") == expected_csv
        expected_json = store.query(text, prefixes=prefixes).serialize(format=ox.QueryResultsFormat.JSON)
        assert json.loads(format_result(result, "json")) == json.loads(expected_json)


def test_ask_and_construct_formats(engines):
    for e in engines.values():
        ask = e.query("ASK { ?p kgo:proposes ?d }")
        assert ask.kind == "ask" and ask.boolean is True
        assert json.loads(format_result(ask, "json")) == {"head": {}, "boolean": True}
        assert format_result(ask) == "true"
        graph = e.query("CONSTRUCT { ?m skos:broader ?f } WHERE { ?m kgo:variantOf ?f }")
        assert graph.kind == "graph" and len(graph) == 3
        turtle = format_result(graph)
        assert turtle.startswith("@prefix")
        expected = Graph()
        for s, o in (("model/gpt4", "model/gpt"), ("model/llama2", "model/llama"), ("model/llama27b", "model/llama2")):
            expected.add((URIRef(KG + s), URIRef("http://www.w3.org/2004/02/skos/core#broader"), URIRef(KG + o)))
        assert to_isomorphic(Graph().parse(data=turtle, format="turtle")) == to_isomorphic(expected)


def test_table_aligns_wide_characters_and_is_deterministic(engines):
    result = engines["oxigraph"].query(
        "SELECT ?e ?zh WHERE { ?e skos:altLabel ?zh FILTER(LANG(?zh) = 'zh') } ORDER BY ?e ?zh")
    table = format_result(result)
    lines = table.splitlines()
    assert lines[0].split() == ["e", "zh"] and lines[-1] == f"({len(result)} rows)"
    assert all(line.startswith(("method:", "metric:")) for line in lines[2:-1])
    # the column after a CJK cell starts at the same display column on every row
    assert "method:lora" in table and "低秩适应" in table
    assert format_result(result) == table
    assert format_result(result, "json") == format_result(result, "json")


# ---------------------------------------------------------------- CLI


def invoke(*args):
    return CliRunner().invoke(cli_module.cli, [str(a) for a in args], catch_exceptions=False)


def test_cli_query_named_with_entity_binding_same_on_both_engines():
    outputs = []
    for engine in sorted(ENGINES):
        res = invoke("query", SMALL, "--named", "compared-models", "--entity", "model=gpt 4", "--engine", engine)
        assert res.exit_code == 0, res.output
        outputs.append(res.output)
    assert outputs[0] == outputs[1]
    assert "Llama-2-7B" in outputs[0] and "(2 rows)" in outputs[0]


def test_cli_query_text_file_list_and_output(tmp_path):
    res = invoke("query", SMALL, "SELECT ?l WHERE { ?d a kgo:Dataset ; skos:prefLabel ?l } ORDER BY ?l", "-f", "csv")
    assert res.exit_code == 0 and res.stdout_bytes == b"l\r\nGSM8K\r\nMMLU\r\nNewBench\r\n"
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?p WHERE { ?p kgo:proposes ?d }", encoding="utf-8")
    out = tmp_path / "out.json"
    res = invoke("query", SMALL, "--file", rq, "-f", "json", "-o", out)
    assert res.exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["results"]["bindings"] == [{"p": {"type": "uri", "value": "https://arxiv.org/abs/2401.00001"}}]
    listing = invoke("query", "--list").output
    for nq in named_queries().values():
        assert nq.name in listing and nq.question in listing
    res = invoke("query", SMALL, "--named", "papers-in-date-range", "-b", "start=2024-03-01")
    assert "2403.00003" in res.output and "2401.00001" not in res.output


def test_cli_query_bindings_typed_by_the_query():
    res = invoke("query", SMALL, "--named", "entity-papers", "-b", "role=proposes")
    assert res.exit_code == 0 and "dataset:newbench" in res.output and "(1 row)" in res.output
    res = invoke("query", SMALL, "--named", "papers-in-date-range", "-b", "start=2024-02", "-b", "end=2024-02")
    assert "arxiv:2402.00002" in res.output and "(1 row)" in res.output
    res = invoke("query", SMALL, "--named", "entity-papers", "-b", "role=likes")
    assert res.exit_code == 1 and res.output.startswith("Error: [E075] cannot bind ?role:")
    assert "kgo:proposes, kgo:uses, kgo:evaluatesOn, kgo:comparesWith, kgo:mentions" in res.output
    res = invoke("query", SMALL, "--named", "compared-models", "-b", "model=model:gpt5")
    assert res.exit_code == 0 and "hint: no row of the query has ?model = model:gpt5" in res.output
    # CSV is for programs: the hint goes to stderr, once
    res = invoke("query", SMALL, "--named", "compared-models", "-b", "model=model:gpt5", "-f", "csv")
    assert "hint" not in res.stdout and res.stderr.count("hint: no row of the query has ?model = model:gpt5") == 1


def test_cli_query_errors_are_one_line():
    res = invoke("query", SMALL, "SELECT ?x WHERE {\n  ?x ?p }")
    assert res.exit_code == 1
    assert res.output.startswith("Error: [E070] malformed SPARQL query at line 2, column")
    assert len(res.output.strip().splitlines()) == 1
    assert invoke("query", SMALL).exit_code == 2  # no query given
    assert invoke("query", SMALL, "--named", "nope").exit_code == 1


def test_cli_query_bindings_a_named_query_cannot_take(tmp_path):
    res = invoke("query", SMALL, "--named", "compared-models", "-b", "modle=model:gpt4")
    assert res.exit_code == 2
    assert ("-b modle=model:gpt4: the named query compared-models has no parameter ?modle; it takes ?model "
            "(kg query --list)") in res.output
    res = invoke("query", SMALL, "--named", "entity-papers", "-b", "role=proposes", "-b", "role=uses")
    assert res.exit_code == 2 and "?role is bound twice (-b role=proposes, -b role=uses)" in res.output
    res = invoke("query", SMALL, "--named", "entity-papers", "-b", "entity=method:lora", "-e", "entity=LoRA")
    assert res.exit_code == 2 and "?entity is bound twice (-b entity=method:lora, -e entity=LoRA)" in res.output


def test_cli_query_output_errors_and_ask_summary(tmp_path):
    res = invoke("query", SMALL, "--named", "top-entities", "-o", tmp_path / "no" / "such" / "out.csv")
    assert res.exit_code == 1
    assert res.output.strip() == f"Error: [E120] cannot write {tmp_path / 'no' / 'such' / 'out.csv'}: No such file or directory"
    res = invoke("query", SMALL, "ASK { ?p kgo:proposes ?d }", "-f", "json", "-o", tmp_path / "ask.json")
    assert res.exit_code == 0 and res.stderr.strip() == f"wrote {tmp_path / 'ask.json'} (true)"
    res = invoke("query", "--endpoint", "localhost:7878/query", "ASK {}")
    assert res.exit_code == 1 and res.output.startswith("Error: [E093]")


# ---------------------------------------------------------------- Oxigraph store folder and endpoint


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("oxstore") / "store"
    store = ox.Store(str(path))
    store.bulk_load(path=str(SMALL), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store  # release the folder's lock before it is opened again
    return path


def test_oxigraph_store_folder_gives_the_same_answers(store_dir, engines):
    for engine_name in sorted(ENGINES):
        from_store = open_engine(store_dir, engine_name)
        assert len(from_store) == len(engines["oxigraph"])
        for name in ("compared-models", "link-evidence", "chinese-only-entities"):
            assert run(from_store, name).rows == run(engines["oxigraph"], name).rows
    res = invoke("query", store_dir, "--named", "model-family", "-f", "csv")
    assert res.exit_code == 0 and "Llama-2-7B" in res.output
    # the spec `kg build --store` and `kg push` take is accepted too
    res = invoke("query", f"oxigraph:{store_dir}", "--named", "model-family", "-f", "csv")
    assert res.exit_code == 0 and "Llama-2-7B" in res.output
    assert len(open_engine(f"oxigraph:{store_dir}")) == len(engines["oxigraph"])


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph server (pip install oxigraph, in the test extra) is not installed")
    location = tmp_path_factory.mktemp("oxserver")
    subprocess.run([binary, "load", "--location", str(location), "--file", str(SMALL)], check=True,
                   capture_output=True)
    port = _free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_endpoint_gives_the_same_answers(endpoint, engines):
    remote = EndpointEngine(endpoint)
    for name in ("compared-models", "results-on-dataset", "papers-in-date-range", "chinese-only-entities"):
        assert run(remote, name).rows == run(engines["oxigraph"], name).rows, name
    assert remote.query("ASK { ?p kgo:proposes ?d }").boolean is True
    graph = remote.query("CONSTRUCT { ?m kgo:variantOf ?f } WHERE { ?m kgo:variantOf ?f }")
    assert len(graph) == 3
    res = invoke("query", "--endpoint", endpoint, "--named", "model-family")
    local = invoke("query", SMALL, "--named", "model-family")
    assert res.exit_code == 0 and res.output == local.output


def test_endpoint_errors(endpoint):
    with pytest.raises(KGError, match=r"E070.*line 2"):
        EndpointEngine(endpoint).query("SELECT ?x WHERE {\n ?x ?p }")
    with pytest.raises(KGError, match="E075"):
        EndpointEngine(endpoint).query("SELECT ?x WHERE { ?x ?p ?o }", {"x": 1})
    with pytest.raises(KGError, match="E078"):
        EndpointEngine(f"http://127.0.0.1:{_free_port()}/query", timeout=2).query("ASK {}")


# ---------------------------------------------------------------- SERVICE: local queries stay local


@pytest.fixture()
def recorder():
    """A SPARQL server on 127.0.0.1 that answers every request with one row and records the query it got."""
    import http.server
    import threading
    import urllib.parse

    got = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            got.append(urllib.parse.unquote_plus(self.path))
            self.answer()

        def do_POST(self):
            got.append(urllib.parse.unquote_plus(self.rfile.read(int(self.headers["Content-Length"] or 0)).decode()))
            self.answer()

        def answer(self):
            body = json.dumps({"head": {"vars": ["x"]},
                               "results": {"bindings": [{"x": {"type": "literal", "value": "remote"}}]}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sparql", got
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_a_local_query_with_service_is_refused_and_sends_nothing(engines, engine_name, recorder):
    url, got = recorder
    for text in (f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?s ?p ?x }} }}",
                 f"SELECT ?x WHERE {{ ?s a kgo:Model .service silent <{url}> {{ ?s ?p ?x }} }}",
                 f"PREFIX ex: <{url.rsplit('/', 1)[0]}/>\nSELECT ?x WHERE {{ SERVICE ex:sparql {{ ?s ?p ?x }} }}",
                 f"SELECT ?x WHERE {{ VALUES ?svc {{ <{url}> }} SERVICE ?svc {{ ?s ?p ?x }} }}",
                 f"SELECT ?x WHERE {{ SERVICE<{url}>{{ ?s ?p ?x }} }}",
                 f"SELECT ?x WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?x }} }}"):  # rdflib expands the escape
        with pytest.raises(KGError, match=r"^\[E095\] .*kg query reads the local graph only.*--endpoint"):
            engines[engine_name].query(text)
    assert got == []


@pytest.mark.parametrize("engine_name", sorted(ENGINES))
def test_service_in_a_string_iri_comment_or_name_is_no_service_clause(engines, engine_name):
    text = ('PREFIX ex: <http://example.org/SERVICE/>\nPREFIX service: <https://w3id.org/paperkg/ontology#>\n'
            'SELECT ?service WHERE {  # SERVICE <http://example.org/sparql> in a comment\n'
            '  ?service a service:Model ; skos:prefLabel ?label\n'
            '  FILTER(?label != "SERVICE <http://example.org/>" && ?service != ex:SERVICE && ?label != \'service\')\n'
            '  OPTIONAL { ?service ex:a.service _:service } }')
    assert len(engines[engine_name].query(text)) > 0


def test_cli_query_refuses_service_but_an_endpoint_gets_it_as_written(recorder):
    url, got = recorder
    text = f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?s ?p ?x }} }}"
    res = invoke("query", SMALL, text)
    assert res.exit_code == 1 and res.output.startswith("Error: [E095]") and len(res.output.splitlines()) == 1
    assert got == []
    res = invoke("query", "--endpoint", url, text)  # asked for the network: the server decides
    assert res.exit_code == 0 and "remote" in res.output
    assert len(got) == 1 and got[0].endswith(text)


def test_an_ask_result_has_the_one_row_it_iterates(engines):
    for engine in engines.values():
        for ask, answer in (("ASK { ?s ?p ?o }", True), ("ASK { ?s a <urn:nothing> }", False)):
            result = engine.query(ask)
            assert len(result) == len(list(result)) == len(result.records()) == 1 and bool(result) is answer
