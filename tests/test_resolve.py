"""Entity resolution: one real-world entity, one node. Name keys, the Resolver's rules (and what it must never
merge), the corpus-wide acronym pass, families, Chinese names, the `kg entities` listing and its duplicate
candidates, and the audit of real graphs: no two nodes of one type whose names normalise to the same string."""

import json
import os
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import RDFS, SKOS

import kg
from kg.cli import cli
from kg.entities import duplicate_candidates, format_duplicates, list_entities, name_collisions
from kg.lexicon import load_lexicon
from kg.namespaces import KGO
from kg.normalize import match_key, normalize_name, singular_key, version_tokens
from kg.pipeline import assemble, extract_corpus
from kg.rdf import build_rdf, entity_iri
from kg.records import Entity, EntityType, Mention, Paper, PaperExtraction, Role
from kg.resolve import PaperNames, Resolver, apply_rekey, entity_key
from kg.zh_names import find_zh_names

from .conftest import EXAMPLES, ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture()
def resolver():
    return Resolver(load_lexicon())


def names(acronyms=(), zh=(), sentences=()):
    """The PaperNames of a paper defining `acronyms` ((short, long) pairs) in `sentences`."""
    mentions = tuple(Mention(s, 0, 1, "METHOD", sentence=s) for s in sentences)
    return PaperNames.of(PaperExtraction("x", mentions, tuple(acronyms), tuple(zh)))


def mention(text, label="METHOD", sentence=None, source="shape", start=0, field="abstract_en"):
    sentence = sentence or f"We study {text} here."
    at = sentence.find(text)
    start = at if at >= 0 else start
    return Mention(text, start, start + len(text), label, 0.75, sentence, source, field, 0)


# ----------------------------------------------------------------------------------------------- name keys


@pytest.mark.parametrize("a, b", [
    ("LLaVA-1.5", "LLaVa-1.5"), ("LLaVA-1.5", "LLaVA 1.5"), ("LLaVA-1.5", "LLaVA1.5"), ("GPT-4's", "GPT-4"),
    ("Mixture-of-Experts", "mixture of experts"), ("Llama\u20112\u20117B", "Llama-2-7B"), ("Q-Former", "Q former"),
    ("Bayesian optimisation", "Bayesian optimization"), ("speaker diarisation", "speaker diarization"),
])
def test_case_hyphen_space_dot_and_possessive_variants_share_a_key(a, b):
    assert match_key(a) == match_key(b)


@pytest.mark.parametrize("a, b", [
    ("GPT-4", "GPT-4V"), ("GPT-4", "GPT-4o"), ("GPT-4V", "GPT-4o"), ("Llama-2-7B", "Llama-2-70B"),
    ("OPT-1.3B", "OPT-13B"), ("HumanEval", "HumanEval+"), ("GPT-3.5", "GPT-35"), ("Llama 2", "Llama 3"),
])
def test_versions_and_sizes_never_share_a_key(a, b):
    assert match_key(a) != match_key(b)
    assert singular_key(a) != singular_key(b)
    assert version_tokens(a) != version_tokens(b)


def test_normalize_name_removes_markup_glued_text_and_stray_quotes():
    assert normalize_name("\\textbf{Hierarchical Alignment Transformers") == "Hierarchical Alignment Transformers"
    assert normalize_name("$ToolSword$") == "ToolSword"
    assert normalize_name("ANN)-based") == "ANN"
    assert normalize_name("learning(CL") == "CL"
    assert normalize_name('"statistical causal prompting') == "statistical causal prompting"
    assert normalize_name("-BERT") == "BERT"
    assert normalize_name("GPT-4 (Vision)") == "GPT-4 (Vision)"  # balanced brackets stay
    assert normalize_name("Transformers'") == "Transformers"


@pytest.mark.parametrize("plural, singular", [
    ("Graph Neural Networks", "Graph Neural Network"), ("Neural ODEs", "Neural ODE"),
    ("Tree of Thoughts", "Tree of Thought"), ("Gaussian Processes", "Gaussian process"),
    ("Transformers", "Transformer"), ("Mixture-of-Experts", "mixture of expert"), ("MLP-mixers", "MLP-Mixer"),
])
def test_plural_heads_fold(plural, singular):
    assert singular_key(plural) == singular_key(singular)


@pytest.mark.parametrize("name", ["Naive Bayes", "Atlas", "transformers", "Adam", "LoRA"])
def test_words_that_only_end_in_s_or_a_lone_lowercase_plural_do_not_fold(name):
    assert singular_key(name) == match_key(name)


# ----------------------------------------------------------------------------------------------- resolver


def test_variants_of_one_name_are_one_node_with_every_form_as_alias(resolver):
    keys = {resolver.resolve(t, "MODEL") for t in ("LLaVA-1.5", "LLaVa-1.5", "LLaVA 1.5", "LLaVA-1.5's")}
    assert len(keys) == 1
    (entity,) = [e for e in resolver.entities() if e.key in keys]
    assert entity.name == "LLaVA-1.5"
    assert set(entity.aliases) == {"LLaVa-1.5", "LLaVA 1.5"}


def test_a_dataset_name_with_its_capitalised_head_is_the_dataset(resolver):
    """"BubbleML Dataset" (abstract) and "BubbleML" (title) are one node named by the shorter form; a lowercase
    head closes a description and stays ("medical evaluation benchmark" is no "medical evaluation")."""
    keys = {resolver.resolve(t, "DATASET") for t in ("BubbleML Dataset", "BubbleML", "BubbleML Benchmark")}
    assert keys == {entity_key(EntityType.DATASET, "BubbleML")} == {"DATASET:bubbleml"}
    (entity,) = [e for e in resolver.entities() if e.key in keys]
    assert entity.name == "BubbleML" and set(entity.aliases) == {"BubbleML Dataset", "BubbleML Benchmark"}
    assert resolver.resolve("medical evaluation benchmark", "DATASET") == "DATASET:medicalevaluationbenchmark"
    assert resolver.resolve("Dataset", "DATASET") == "DATASET:dataset"
    assert resolver.resolve("FooNet Benchmark", "METHOD") == "METHOD:foonetbenchmark"  # datasets only


@pytest.mark.parametrize("names_", [("GPT-4", "GPT-4V", "GPT-4o"), ("Llama-2-7B", "Llama-2-70B", "Llama 2"),
                                    ("FooNet-7B", "FooNet-70B", "FooNet")])
def test_versions_and_sizes_are_never_merged(resolver, names_):
    keys = [resolver.resolve(n, "MODEL") for n in names_]
    assert len(set(keys)) == len(names_)


def test_families_link_variants(resolver):
    for name in ("Llama-2-7B", "GPT-4V", "LLaVA-1.5", "Qwen2.5-VL-72B", "FooLM-7B-Chat", "FooLM-7B", "GatorTron-3B",
                 "Gold-YOLO", "Gold-YOLO-N", "Gold-YOLO-S"):
        resolver.resolve(name, "MODEL")
    by_name = {e.name: e for e in resolver.entities()}
    by_key = {e.key: e for e in by_name.values()}

    def family(name):
        key = by_name[name].family
        return by_key[key].name if key else None

    assert family("Llama-2-7B") == "Llama 2" and family("Llama 2") == "LLaMA"
    assert family("GPT-4V") == "GPT-4"
    assert family("LLaVA-1.5") == "LLaVA"
    assert family("Qwen2.5-VL-72B") == "Qwen2.5-VL"  # unlisted variant of a lexicon model
    assert family("FooLM-7B-Chat") == "FooLM-7B"  # corpus-only family: what follows is a variant word
    assert family("Gold-YOLO-N") == family("Gold-YOLO-S") == "Gold-YOLO"  # a size letter, nano to small
    # "Gato" prefixes the letters, not a word of the name; the family is the lexicon's GatorTron
    assert family("GatorTron-3B") == "GatorTron"


def test_an_acronym_defined_in_a_paper_is_its_long_form(resolver):
    paper = names([("BoT", "Boosting of Thoughts")])
    short = resolver.resolve("BoT", "METHOD", names=paper)
    long = resolver.resolve("Boosting of Thoughts", "METHOD", names=paper)
    assert short == long
    (entity,) = [e for e in resolver.entities() if e.key == short]
    assert entity.name == "Boosting of Thoughts" and entity.aliases == ("BoT",)


def test_two_spellings_of_one_definition_in_a_paper_are_one_entity(nlp):
    paper = Paper("2206.02999", title_en="DiMS: Distilling Multiple Steps of Iterative Transformers",
                  abstract_en="As a remedy, we introduce Distill Multiple Steps (DiMS), a distillation technique.")
    (entity,) = [e for e in extract_corpus([paper], nlp=nlp).entities if e.type == EntityType.METHOD]
    assert entity.name == "Distilling Multiple Steps" and set(entity.aliases) == {"DiMS", "Distill Multiple Steps"}


def test_an_acronym_means_what_its_long_form_in_that_paper_says(resolver):
    a = resolver.resolve("BoT", "METHOD", names=names([("BoT", "Boosting of Thoughts")]))
    b = resolver.resolve("BoT", "METHOD", names=names([("BoT", "Bag of Tricks")]))
    assert a != b


def test_a_paper_definition_overrides_a_lexicon_acronym_that_means_something_else(resolver):
    rag = entity_key(EntityType.METHOD, "retrieval-augmented generation")
    assert resolver.resolve("RAG", "METHOD") == rag  # undefined: the lexicon's RAG
    assert resolver.resolve("RAG", "METHOD", names=names([("RAG", "Retrieval Augmented Generation")])) == rag
    other = resolver.resolve("RAG", "METHOD", names=names([("RAG", "Relation-Aware Graph")]))
    assert other != rag
    # a lexicon acronym without a listed long form keeps its meaning unless the long form's head says another type
    spice = names([("SPICE", "Spline Prediction Intervals via Conformal Estimation")])
    assert resolver.resolve("SPICE", "METRIC", names=spice) != entity_key(EntityType.METRIC, "SPICE")
    qlora = names([("QLoRA", "quantization and Low Rank Adapters")])  # the same word stems as "Quantized LoRA"
    assert resolver.resolve("QLoRA", "METHOD", names=qlora) == entity_key(EntityType.METHOD, "QLoRA")
    gpt4v = names([("GPT-4V", "Generative Pre-trained Transformer 4 with Vision")])
    assert resolver.resolve("GPT-4V", "MODEL", names=gpt4v) == entity_key(EntityType.MODEL, "GPT-4V")


def test_a_metric_acronym_names_the_metric_only_where_a_score_is_reported(resolver):
    em = entity_key(EntityType.METRIC, "exact match")
    scored = PaperNames.of(PaperExtraction("a", (mention("EM", "METRIC", "RetroQA improves EM from 80.1 to 84.3."),)))
    assert resolver.resolve("EM", "METRIC", names=scored) == em
    algorithm = PaperNames.of(PaperExtraction("b", (mention("EM", "METRIC", "We fit it with an EM-based algorithm."),)))
    assert resolver.resolve("EM", "METRIC", names=algorithm) != em


def test_long_forms_are_repaired_and_broken_definitions_dropped():
    sentence = "We train with proximal policy optimization (PPO) on three tasks."
    paper = names([("PPO", "policy optimization"), ("learning(CL", "Contrastive")], sentences=[sentence])
    assert paper.acronyms == {"ppo": "proximal policy optimization"}


def test_plurals_merge_with_the_singular_and_lexicon_plurals(resolver):
    a = resolver.resolve("Sheaf Neural Networks", "METHOD")
    b = resolver.resolve("sheaf neural network", "METHOD")
    assert a == b
    assert resolver.resolve("Graph Attention Networks", "METHOD") == resolver.resolve("GAT", "METHOD")
    assert resolver.resolve("Transformers", "METHOD") == resolver.resolve("Transformer", "METHOD")
    assert resolver.resolve("transformers", "METHOD") != resolver.resolve("Transformer", "METHOD")
    names_ = {e.key: e.name for e in resolver.entities()}
    assert names_[a] == "sheaf neural network"  # the singular names the node


def test_a_chinese_name_paired_in_the_digest_becomes_a_zh_alias(resolver):
    paper = names(zh=[("焦点前缀调整", "FPT")])
    key = resolver.resolve("FPT", "METHOD", names=paper)
    (entity,) = [e for e in resolver.entities() if e.key == key]
    assert entity.aliases_zh == ("焦点前缀调整",)
    # and a Chinese name the lexicon knows tells what an undefined acronym means
    key = resolver.resolve("XYZL", "METHOD", names=names(zh=[("对比学习", "XYZL")]))
    assert key == entity_key(EntityType.METHOD, "contrastive learning")


def test_resolution_does_not_depend_on_paper_order():
    papers = [
        [("BoT", names([("BoT", "Boosting of Thoughts")])), ("Boosting of Thoughts", None)],
        [("Graph Neural Networks", None), ("GNNs", None), ("LLaVa-1.5", None)],
        [("graph neural network", None), ("LLaVA 1.5", None), ("BoT", names([("BoT", "Bag of Tricks")]))],
    ]

    def run(order):
        r = Resolver(load_lexicon())
        for i in order:
            for text, paper_names in papers[i]:
                r.resolve(text, "METHOD", names=paper_names)
        r.rekey()
        return r.entities()

    assert run([0, 1, 2]) == run([2, 1, 0]) == run([1, 2, 0])


# ----------------------------------------------------------------------------------------------- corpus pass


def _extraction(arxiv_id, mentions, acronyms=()):
    return PaperExtraction(arxiv_id, tuple(mentions), tuple(acronyms))


FBN_DEFINED = "We introduce the frequency band network (FBN) for audio."


def test_an_undefined_acronym_joins_the_one_long_form_the_corpus_defines():
    result = assemble([
        _extraction("2401.00001", [mention("frequency band network", sentence=FBN_DEFINED),
                                   mention("FBN", sentence=FBN_DEFINED)],
                    [("FBN", "frequency band network")]),
        _extraction("2401.00002", [mention("FBN", sentence="Baselines such as FBN are strong.")]),
    ])
    by_key = {e.key: e for e in result.entities}
    assert "METHOD:fbn" not in by_key
    target = entity_key(EntityType.METHOD, "frequency band network")
    assert by_key[target].aliases == ("FBN",)
    assert {l.arxiv_id for l in result.links if l.entity_key == target} == {"2401.00001", "2401.00002"}


@pytest.mark.parametrize("other_paper, why", [
    (_extraction("2401.00003", [mention("FBN", sentence="We use FBN."), mention("fast boundary net")],
                 [("FBN", "fast boundary net")]), "different long forms"),
    (_extraction("2401.00003", [mention("frequency band network", "MODEL"), mention("FBN", "MODEL")],
                 [("FBN", "frequency band network")]), "another type"),
    (_extraction("2401.00003", [mention("FBN", sentence="We propose FBN, a new method for audio.",
                                        source="introduced")]), "proposes"),
])
def test_an_ambiguous_or_proposed_acronym_stays_its_own_node_and_is_reported(other_paper, why):
    defining = _extraction("2401.00001", [mention("frequency band network", sentence=FBN_DEFINED),
                                          mention("FBN", sentence=FBN_DEFINED)], [("FBN", "frequency band network")])
    user = _extraction("2401.00002", [mention("FBN", sentence="Baselines such as FBN are strong.")])
    r = Resolver(load_lexicon())
    links = []
    from kg.roles import paper_links

    for ex in (defining, user, other_paper):
        paper = PaperNames.of(ex)
        keys = [r.resolve(m.text, m.label, "", paper) for m in ex.mentions]
        links += paper_links(ex.arxiv_id, ex.mentions, keys)
    mapping = r.rekey(links)
    assert "METHOD:fbn" not in mapping
    assert why in r.unresolved["METHOD:fbn"]


def test_apply_rekey_moves_links_relations_and_results_and_drops_self_relations():
    from kg.records import Link, Relation, RelationType, Result

    m = mention("FBN")
    links = [Link("p1", "METHOD:fbn", Role.MENTIONS, m, 0.7), Link("p1", "METHOD:long", Role.MENTIONS, m, 0.9),
             Link("p2", "METHOD:fbn", Role.USES, m, 0.7)]
    relations = [Relation("METHOD:fbn", RelationType.BASED_ON, "METHOD:long", ("p1",), m),
                 Relation("METHOD:x", RelationType.BASED_ON, "METHOD:fbn", ("p1",), m, 0.5),
                 Relation("METHOD:x", RelationType.BASED_ON, "METHOD:long", ("p2",), m, 0.9)]
    results = [("p1", Result("METHOD:fbn", "DATASET:d", "METRIC:m", 1.0))]
    new_links, new_relations, new_results = apply_rekey({"METHOD:fbn": "METHOD:long"}, links, relations, results)
    assert [(l.arxiv_id, l.entity_key, l.role, l.confidence) for l in new_links] == [
        ("p1", "METHOD:long", Role.MENTIONS, 0.9), ("p2", "METHOD:long", Role.USES, 0.7)]
    assert [(r.subject, r.object, r.papers) for r in new_relations] == [("METHOD:x", "METHOD:long", ("p1", "p2"))]
    assert new_results[0][1].model == "METHOD:long"


# ----------------------------------------------------------------------------------------------- Chinese names


@pytest.mark.parametrize("text, long_forms, expected", [
    ("我们使用了检索增强生成（RAG）来回答问题。", {}, [("检索增强生成", "RAG")]),
    ("RAG（检索增强生成）是一种方法。", {}, [("检索增强生成", "RAG")]),
    ("我们研究检索增强生成 (Retrieval-Augmented Generation, RAG)。", {},
     [("检索增强生成", "RAG"), ("检索增强生成", "Retrieval-Augmented Generation")]),
    ("这是基于能量的模型（EBM）。", {"ebm": "energy-based model"}, [("基于能量的模型", "EBM")]),
    ("部分可观察的马尔可夫决策过程（POMDP）", {"pomdp": "partially observable Markov decision process"}, []),
    ("GPT（大语言模型）", {}, []),
    ("虽然中心化联邦学习（CFL）很常见", {}, [("中心化联邦学习", "CFL")]),
    ("在线学习（OL）很常见", {}, [("在线学习", "OL")]),
    ("许多LLM（如GPT-4）表现很好", {}, []),
    ("我们的方法在磁共振成像（MRI）上", {}, [("磁共振成像", "MRI")]),
    ("障碍物（i）", {}, []),
    ("使平均绝对百分比误差（MAPE）降低了", {}, [("平均绝对百分比误差", "MAPE")]),
    ("方法通过更新比完整模型微调（FFT）少得多的参数", {}, [("完整模型微调", "FFT")]),
    ("我们使用对比学习（CL）", {}, [("对比学习", "CL")]),
])
def test_find_zh_names(text, long_forms, expected):
    assert list(find_zh_names([text], long_forms)) == sorted(expected)


# ----------------------------------------------------------------------------------------------- RDF


def _graph():
    entities = [
        Entity("MODEL:gpt4", EntityType.MODEL, "GPT-4", ("GPT4",)),
        Entity("MODEL:gpt4v", EntityType.MODEL, "GPT-4V", (), (), "MODEL:gpt4"),
        Entity("MODEL:gpt4o", EntityType.MODEL, "GPT-4o"),
        Entity("METHOD:boostingofthought", EntityType.METHOD, "Boosting of Thoughts", ("BoT",), ("思维提升",)),
        Entity("METHOD:bagoftrick", EntityType.METHOD, "Bag of Tricks", ("BoT",)),
        Entity("METHOD:bot", EntityType.METHOD, "BoT"),
        Entity("DATASET:mmlu", EntityType.DATASET, "MMLU"),
        Entity("METHOD:mmlu", EntityType.METHOD, "MMLU"),
        Entity("METHOD:mistral", EntityType.METHOD, "Mistral"),
        Entity("METHOD:mistrall", EntityType.METHOD, "Mistrall"),
    ]
    from kg.records import Link

    links = [Link("2401.00001", "MODEL:gpt4", Role.MENTIONS, mention("GPT-4", "MODEL")),
             Link("2401.00002", "MODEL:gpt4", Role.USES, mention("GPT-4", "MODEL")),
             Link("2401.00002", "MODEL:gpt4", Role.MENTIONS, mention("GPT-4", "MODEL")),
             Link("2401.00002", "MODEL:gpt4v", Role.MENTIONS, mention("GPT-4V", "MODEL"))]
    papers = [Paper("2401.00001", title_en="A", title_zh="甲"), Paper("2401.00002", title_en="B")]
    return build_rdf(papers, entities, links)


def test_entity_nodes_carry_labels_zh_aliases_and_families():
    g = _graph()
    bot = entity_iri("METHOD:boostingofthought")
    assert str(g.value(bot, SKOS.prefLabel)) == "Boosting of Thoughts" == str(g.value(bot, RDFS.label))
    alts = set(g.objects(bot, SKOS.altLabel))
    assert rdflib.Literal("BoT") in alts and rdflib.Literal("思维提升", lang="zh") in alts
    gpt4v, gpt4 = entity_iri("MODEL:gpt4v"), entity_iri("MODEL:gpt4")
    assert (gpt4v, KGO.variantOf, gpt4) in g and (gpt4v, SKOS.broader, gpt4) in g
    assert rdflib.Literal("甲", lang="zh") in set(g.objects(rdflib.URIRef("https://arxiv.org/abs/2401.00001"),
                                                           rdflib.namespace.DCTERMS.title))


# ----------------------------------------------------------------------------------------------- kg entities


def test_list_entities_counts_distinct_papers_and_filters_by_type():
    rows = list_entities(_graph())
    assert rows[0].name == "GPT-4" and rows[0].papers == 2 and rows[0].aliases == ("GPT4",)
    assert [r.name for r in list_entities(_graph(), "model")] == ["GPT-4", "GPT-4V", "GPT-4o"]
    assert next(r for r in rows if r.name == "GPT-4V").family == "GPT-4"
    with pytest.raises(kg.KGError, match="E090"):
        list_entities(_graph(), "LIBRARY")


def test_duplicate_candidates_say_why_each_pair_was_kept_apart():
    reasons = {frozenset((p.a.name, p.b.name)): p.reason for p in duplicate_candidates(_graph())}
    assert "acronym 'BoT'" in reasons[frozenset(("Boosting of Thoughts", "Bag of Tricks"))]
    assert "acronym 'BoT'" in reasons[frozenset(("Boosting of Thoughts", "BoT"))]
    assert "different types" in reasons[frozenset(("MMLU",))]
    assert "variant of 'GPT-4'" in reasons[frozenset(("GPT-4", "GPT-4V"))]
    assert "different version or size (4 / 4o)" in reasons[frozenset(("GPT-4", "GPT-4o"))]
    assert "similar spelling only" in reasons[frozenset(("Mistral", "Mistrall"))]
    assert "score\tname" in format_duplicates(duplicate_candidates(_graph()))


def test_kg_entities_command(tmp_path):
    path = tmp_path / "g.ttl"
    kg.export(_graph(), path)
    runner = CliRunner()
    out = runner.invoke(cli, ["entities", str(path), "--type", "model"])
    assert out.exit_code == 0, out.output
    assert out.output.splitlines()[1].split("\t")[:3] == ["2", "MODEL", "GPT-4"]
    out = runner.invoke(cli, ["entities", str(path), "--duplicates", "--limit", "3"])
    assert out.exit_code == 0 and len(out.output.splitlines()) == 4 and "kept apart because" in out.output
    out = runner.invoke(cli, ["entities", str(path), "--type", "library"])
    assert out.exit_code == 2
    out = runner.invoke(cli, ["entities", str(tmp_path / "missing.ttl")])
    assert out.exit_code == 2


def test_kg_entities_json_min_papers_and_threshold_only_with_duplicates(tmp_path):
    path = tmp_path / "g.ttl"
    kg.export(_graph(), path)
    rows = list_entities(_graph())
    assert [r.name for r in list_entities(_graph(), min_papers=2)] == [r.name for r in rows if r.papers >= 2] != []
    runner = CliRunner()
    out = runner.invoke(cli, ["entities", str(path), "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc == [r.as_dict() for r in rows]
    gpt4v = next(d for d in doc if d["name"] == "GPT-4V")
    assert set(gpt4v) == {"iri", "type", "name", "papers", "aliases", "family"}
    assert (gpt4v["type"], gpt4v["family"]) == ("MODEL", "GPT-4") and gpt4v["iri"].startswith("https://")
    assert next(d for d in doc if d["name"] == "GPT-4")["aliases"] == ["GPT4"]
    out = runner.invoke(cli, ["entities", str(path), "--json", "--min-papers", "2", "--type", "model"])
    assert [d["name"] for d in json.loads(out.stdout)] == ["GPT-4"]
    out = runner.invoke(cli, ["entities", str(path), "--min-papers", "99"])
    assert out.exit_code == 0 and out.output.splitlines() == ["papers\ttype\tname\taliases\tfamily"]
    out = runner.invoke(cli, ["entities", str(path), "--duplicates", "--json", "--limit", "2"])
    pairs = json.loads(out.stdout)
    assert len(pairs) == 2 and set(pairs[0]) == {"score", "a", "b", "reason"} and pairs[0]["a"]["name"]
    # a threshold means nothing without --duplicates: an error, not silently ignored
    for value in ("80", "90"):
        out = runner.invoke(cli, ["entities", str(path), "--threshold", value])
        assert out.exit_code == 2 and "--threshold" in out.output and "--duplicates" in out.output
    assert runner.invoke(cli, ["entities", str(path), "--duplicates", "--threshold", "80"]).exit_code == 0
    assert runner.invoke(cli, ["entities", str(path), "--min-papers", "-1"]).exit_code == 2


# ----------------------------------------------------------------------------------------------- audit


def audit(graph):
    """No two nodes of one type whose preferred names normalise to the same string; a name written for several
    nodes of one type is an acronym with different long forms in different papers (reported, not merged)."""
    rows = list_entities(graph)
    assert name_collisions(rows, preferred_only=True) == {}
    pairs = {frozenset((p.a.iri, p.b.iri)): p for p in duplicate_candidates(rows, threshold=100)}
    for (etype, key), nodes in name_collisions(rows).items():
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                assert "acronym" in pairs[frozenset((a.iri, b.iri))].reason, (etype, key, a.name, b.name)
    return rows


def test_audit_seed_graph(examples_build):
    rows = audit(examples_build.graph)
    assert len(rows) > 200
    assert any(r.aliases_zh for r in rows)


@pytest.fixture(scope="session")
def corpus_build(nlp):
    """The graph of the seeds and the whole corpus, built once (a few minutes)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not here")
    seeds = SEEDS if SEEDS.is_dir() else EXAMPLES
    return kg.build_graph([str(seeds), str(CORPUS)], nlp=nlp, progress=False, skip_bad=True)


@pytest.mark.skipif(not CORPUS.is_dir() or os.environ.get("KG_SKIP_CORPUS") == "1",
                    reason="../shared/corpus is not here (or KG_SKIP_CORPUS=1)")
def test_audit_seeds_and_corpus_graph(corpus_build):
    rows = audit(corpus_build.graph)
    assert len(rows) > 1500
    by_name = {(r.type, r.name): r for r in rows}
    gpt4, gpt4v = by_name[EntityType.MODEL, "GPT-4"], by_name[EntityType.MODEL, "GPT-4V"]
    assert gpt4.iri != gpt4v.iri and gpt4v.family == "GPT-4" and gpt4.papers > gpt4v.papers
    assert by_name[EntityType.MODEL, "Llama-2-7B"].family == "Llama 2"
    assert by_name[EntityType.MODEL, "Llama 2"].family == "LLaMA"


def test_merge_sample_is_in_the_repo():
    text = (Path(ROOT) / "eval" / "merge_sample.md").read_text(encoding="utf-8")
    assert text.count("\n| ") >= 100 and "wrong merges" in text
