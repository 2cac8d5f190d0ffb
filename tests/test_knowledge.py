"""kg.knowledge: KnowledgeGraph loading, ranked lookup, entity records, papers by role, safe bindings."""

import json
import warnings

import click
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

import kg
from kg import cli as cli_module
from kg.errors import Errors, KGError, KGWarning, Warnings
from kg.knowledge import EntityIndex, IndexedEntity, acronyms, format_record, is_abbreviation
from kg.query import ENGINES
from kg.records import EntityType

from .conftest import FIXTURES, ROOT

SMALL = FIXTURES / "query_small.ttl"
SEED = ROOT / "outputs" / "graph.ttl"
SPELLINGS = ROOT / "eval" / "lookup_spellings.tsv"
KG = "https://w3id.org/paperkg/id/"
WEIRD = 'Foo "Bar" {x} #1'
WEIRD_ALIAS = 'it\'s } # { "quoted"'


@pytest.fixture(scope="module", params=sorted(ENGINES))
def small(request):
    return kg.KnowledgeGraph.load(SMALL, engine=request.param)


@pytest.fixture(scope="module")
def seed():
    return kg.KnowledgeGraph.load(SEED)


# ---------------------------------------------------------------- pure name functions


def test_acronyms_and_abbreviations():
    assert "lstm" in acronyms("Long Short-Term Memory")
    assert "rlhf" in acronyms("reinforcement learning from human feedback")
    assert "cot" in acronyms("chain-of-thought")
    assert acronyms("Transformer") == set()
    assert is_abbreviation("LoRA", "Low-Rank Adaptation")
    assert is_abbreviation("GPT", "Generative Pre-trained Transformer")
    assert not is_abbreviation("Mistrl", "Mistral 7B")  # a typo, not an abbreviation
    assert not is_abbreviation("ChatGTP", "chain-of-thought prompting")


def test_index_has_scispacy_style_maps():
    index = EntityIndex([IndexedEntity(KG + "model/a", EntityType.MODEL, "Llama-2-7B", ("Llama2-7B",)),
                         IndexedEntity(KG + "model/b", EntityType.MODEL, "LLaMA")])
    assert set(index.id_to_entity) == {KG + "model/a", KG + "model/b"}
    assert index.alias_to_ids["llama27b"] == {KG + "model/a"}
    assert index.alias_to_ids["llama"] == {KG + "model/b"}


# ---------------------------------------------------------------- lookup


def test_lookup_ranks_exact_alias_acronym_then_fuzzy(small):
    def best(name, **kw):
        hits = small.lookup(name, **kw)
        return (hits[0].label, hits[0].match) if hits else None

    assert best("GPT-4") == ("GPT-4", "label")
    assert best("gpt 4") == ("GPT-4", "label-key")
    assert best("LLaMA-2") == ("Llama 2", "alias")
    assert best("llama-2") == ("Llama 2", "label-key")
    assert best("SFT") == ("supervised fine-tuning", "alias")
    assert best("Massive Multitask Language Understanding") == ("MMLU", "alias")
    assert best("MoE") == ("mixture of experts", "acronym")
    assert best("混合专家") == ("mixture of experts", "alias")
    assert best("Vicunna") == ("Vicuna", "fuzzy")
    assert best("the NewBench dataset") == ("NewBench", "label")
    hits = small.lookup("llama 2")
    assert [h.label for h in hits[:2]] == ["Llama 2", "LLaMA"] or hits[0].label == "Llama 2"
    assert all(a.score >= b.score for a, b in zip(hits, hits[1:]))
    assert all(0 < h.score <= 1 for h in hits)


def test_lookup_leaves_an_acronym_the_graph_spells_out_otherwise():
    """Initials match only where the graph does not say they stand for something else: "DM" is the alias of
    Decoupled Mixup, so "diffusion model" is not it; Graph Attention Network is written "GAT", so "GAN" is not it."""
    def entity(key, label, *aliases, etype=EntityType.METHOD):
        return IndexedEntity(KG + f"{etype.value.lower()}/{key}", etype, label, aliases, paper_count=1)

    index = EntityIndex([
        entity("decoupledmixup", "Decoupled Mixup", "DM"),
        entity("montecarlo", "Monte Carlo", "MC"),
        entity("selfdistillation", "self-distillation", "SD"),
        entity("graphattentionnetwork", "Graph Attention Network", "GAT"),
        entity("generativeadversarialnetwork", "generative adversarial network", "Generative Adversarial Networks"),
        entity("gromovmongeembedding", "Gromov-Monge Embedding", "GME"),
        entity("gpt", "GPT", etype=EntityType.MODEL),
        entity("gpt4", "GPT-4", etype=EntityType.MODEL),
        entity("stablediffusion", "Stable Diffusion", etype=EntityType.MODEL),
    ])

    def labels(name, *kinds):
        return [h.label for h in index.lookup(name) if h.match in kinds]

    assert labels("diffusion model", "acronym", "abbreviation") == []
    assert labels("MS COCO", "acronym", "abbreviation") == []
    assert [h.label for h in index.lookup("Stable Diffusion")] == ["Stable Diffusion"]
    assert labels("GAN", "acronym") == ["generative adversarial network"]
    assert labels("GANs", "abbreviation") == ["generative adversarial network"]
    assert "Gromov-Monge Embedding" not in [h.label for h in index.lookup("GPT-4 model")]
    # initials still find a name the graph gives no other long form, and the names themselves still match
    assert [(h.label, h.match) for h in index.lookup("Generative Pre-trained Transformer")][:1] == [("GPT", "acronym")]
    assert [(h.label, h.match) for h in index.lookup("GAT")][:1] == [("Graph Attention Network", "alias")]
    assert [(h.label, h.match) for h in index.lookup("DM")][:1] == [("Decoupled Mixup", "alias")]


def test_lookup_strips_a_chinese_type_word_glued_to_the_name(small):
    def best(name):
        hits = small.lookup(name)
        return (hits[0].label, hits[0].match) if hits else None

    assert best("MMLU数据集") == ("MMLU", "label")
    assert best("MMLU 数据集") == ("MMLU", "label")
    assert best("GSM8K基准") == best("GSM8K基准测试") == ("GSM8K", "label")
    assert best("GPT-4模型") == ("GPT-4", "label")
    assert best("LoRA方法") == best("LoRA框架") == best("LoRA算法") == ("LoRA", "label")
    assert best("混合专家模型") == ("mixture of experts", "alias")  # a Chinese name loses its type word too
    assert best("低秩适应方法") == ("LoRA", "alias")
    assert small.entity("NewBench基准").label == "NewBench"
    assert small.lookup("数据集") == []  # the type word alone names nothing


def test_lookup_strips_architecture_and_network_but_not_from_a_chinese_name():
    """架构 goes after any name; 网络 and 大模型 only after a name written without Chinese ("ResNet网络"), since
    after Chinese they are part of the name: 神经网络 is no 神经, 生成对抗网络 no 生成对抗."""
    index = EntityIndex([
        IndexedEntity(KG + "model/transformer", EntityType.MODEL, "Transformer"),
        IndexedEntity(KG + "model/resnet", EntityType.MODEL, "ResNet"),
        IndexedEntity(KG + "model/qwen", EntityType.MODEL, "Qwen"),
        IndexedEntity(KG + "method/mixtureofexperts", EntityType.METHOD, "mixture of experts", (), ("混合专家",)),
        IndexedEntity(KG + "method/neuralnetwork", EntityType.METHOD, "neural network", (), ("神经网络",)),
        # names that a stripped 网络 would wrongly reach
        IndexedEntity(KG + "method/a", EntityType.METHOD, "神经"),
        IndexedEntity(KG + "method/b", EntityType.METHOD, "生成对抗"),
        IndexedEntity(KG + "method/c", EntityType.METHOD, "深度Q"),
    ])

    def best(name):
        hits = index.lookup(name)
        return (hits[0].label, hits[0].match) if hits else None

    for name in ("Transformer架构", "Transformer 架构", "Transformer模型架构", "Transformer architecture"):
        assert best(name) == ("Transformer", "label"), name
    assert best("混合专家架构") == ("mixture of experts", "alias")
    assert best("ResNet网络") == best("ResNet 网络") == ("ResNet", "label")
    assert best("Qwen大模型") == best("Qwen大语言模型") == best("Qwen语言模型") == ("Qwen", "label")
    assert best("神经网络") == ("neural network", "alias")
    assert best("神经 网络") == ("neural network", "alias-key")
    assert index.lookup("生成对抗网络") == index.lookup("深度Q网络") == []
    assert index.lookup("架构") == index.lookup("网络") == index.lookup("大模型") == []


def test_lookup_type_filter_limit_and_empty(small):
    assert {h.type for h in small.lookup("llama", type="model")} == {EntityType.MODEL}
    assert all(h.type is EntityType.METHOD for h in small.lookup("GSM8K", type=EntityType.METHOD))
    assert [h.label for h in small.lookup("GSM8K", type="dataset")][:1] == ["GSM8K"]
    assert len(small.lookup("l", limit=2)) <= 2
    assert small.lookup("completely unrelated words") == []
    with pytest.raises(KGError, match="E073"):
        small.lookup("  ")
    with pytest.raises(KGError, match="E072"):
        small.lookup("GPT-4", type="gadget")


def test_evidence_tells_the_cue_that_gave_a_role(seed):
    (record,) = seed.evidence("LLaVA-1.5", paper="2402.19474")
    assert (record.role, record.found_by, record.role_cue) == ("comparesWith", "lexicon:MODEL:LLaVA-1.5",
                                                               "cue:surpassing")
    assert "lexicon:MODEL:LLaVA-1.5 0.95  [cue:surpassing]" in format_record(seed.entity("LLaVA-1.5"), 100)
    plain = [e for e in seed.evidence("accuracy") if e.role == "mentions"]
    assert plain and all(e.role_cue is None for e in plain)


def test_lookup_accuracy_on_the_seed_spellings(seed):
    rows = [line.rstrip("\n").split("\t") for line in SPELLINGS.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")][1:]
    assert len(rows) >= 100
    assert {kind for kind, _, _ in rows} >= {"case", "hyphen-space", "acronym", "long-form", "typo"}
    for _, _, expected in rows:
        assert expected in seed.index, expected
    correct = sum(1 for _, spelling, expected in rows if (hits := seed.lookup(spelling, limit=1))
                  and hits[0].iri == expected)
    assert correct / len(rows) >= 0.95


# ---------------------------------------------------------------- records


def test_entity_record(small):
    record = small.entity("GPT-4")
    assert record.iri == KG + "model/gpt4" and record.type is EntityType.MODEL
    assert record.family is not None and record.family.label == "GPT"
    assert record.paper_count == 3
    roles = {p.arxiv_id: p.roles for p in record.papers}
    assert roles == {"2401.00001": ("comparesWith",), "2402.00002": ("uses",), "2404.00004": ("mentions",)}
    assert [p.title for p in record.papers][-1] == "没有英文标题的论文"  # falls back to the Chinese title
    related = {(r.label, r.relation) for r in record.related}
    assert {("GPT", "variantOf"), ("Llama 2", "comparedWith"), ("Llama-2-7B", "comparedWith")} <= related
    assert ("GSM8K", "coOccursWith") in related
    assert [(e.paper, e.role, e.field, e.start, e.end) for e in record.evidence] == [
        ("https://arxiv.org/abs/2402.00002", "uses", "abstract_en", 10, 15)]
    assert record.evidence[0].confidence == pytest.approx(0.95)

    llama2 = small.entity(KG + "model/llama2")
    assert [v.label for v in llama2.variants] == ["Llama-2-7B"]
    assert {(r.label, r.relation) for r in llama2.related} >= {("LLaMA", "variantOf"), ("Llama-2-7B", "^variantOf"),
                                                                ("Vicuna", "^basedOn")}
    newbench = small.entity("newbench")
    assert newbench.evidence[0].support_count == 1
    assert small.entity("LoRA").aliases_zh == ("低秩适应",)


def test_a_name_two_seed_entities_match_as_well_warns_and_the_record_lists_the_other(seed):
    """"DA" is the initials of data augmentation (a method, 1 paper) and of domain adaptation (a task, 0 papers)
    in the seed graph: the paper count took the first, silently. Now a warning names both and how to choose,
    pointing at the caller's line, and the record lists the other as `alternatives`."""
    tie = (r"\[W001\] 'DA' names 2 entities equally well \(acronym\): took data augmentation \(method, "
           r"method:dataaugmentation, 1 paper\), over domain adaptation \(task, task:domainadaptation, 0 papers\)\. "
           r"To choose one, pass its IRI \(or type= when their types differ\)")
    with pytest.warns(KGWarning, match=tie) as caught:
        record = seed.entity("DA")
    assert caught[0].filename == __file__
    assert record.label == "data augmentation"
    assert [(h.label, h.type, h.match) for h in record.alternatives] == [
        ("domain adaptation", EntityType.TASK, "acronym")]
    assert "  as good a match: domain adaptation (task, task:domainadaptation, 0 papers)" in format_record(record)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # choosing, or a name with one best match, warns of nothing
        assert seed.entity("DA", type="task").label == "domain adaptation"
        assert seed.entity("task:domainadaptation").alternatives == ()
        assert seed.entity("GPT-4").alternatives == ()
    # two tasks, one paper each: the label took image captioning, and only the IRI tells them apart
    with pytest.warns(KGWarning, match=r"'IC' names 2 entities .*over image classification") as caught:
        seed.papers("IC")
    assert caught[0].filename == __file__



def test_a_tie_is_a_kgwarning_that_a_filter_can_turn_into_an_error(seed):
    """The tie is PaperKG's own warning category (a UserWarning, so default filters still show it), and a caller can
    make it an exception, or silence it, by that category alone."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        seed.entity("DA")
    assert [w.category for w in caught] == [KGWarning] and issubclass(KGWarning, UserWarning)
    assert str(caught[0].message).startswith("[W001] 'DA' names 2 entities equally well")
    assert kg.KGWarning is KGWarning  # exported next to kg.KGError
    with warnings.catch_warnings():
        warnings.simplefilter("error", KGWarning)
        with pytest.raises(KGWarning, match=r"^\[W001\] 'DA' names 2 entities"):
            seed.entity("DA")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", KGWarning)
        assert seed.entity("DA").label == "data augmentation"


def test_message_codes_are_well_formed_and_e099_moved_to_w001():
    """Errors hold E codes and Warnings W codes, each shown with its code; E099 became W001 and is not reused."""
    for cls, letter in ((Errors, "E"), (Warnings, "W")):
        codes = [name for name in vars(cls) if not name.startswith("_")]
        assert codes and all(c[0] == letter and len(c) == 4 and c[1:].isdigit() for c in codes), codes
        assert all(getattr(cls, c).startswith(f"[{c}] ") for c in codes)
    assert not hasattr(Errors, "E099")
    assert Warnings.W001.startswith("[W001] {name!r} names {count} entities equally well")

@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_label_typed_both_model_and_method_is_a_tie(tmp_path, engine):
    path = tmp_path / "graph.ttl"
    path.write_text(f"""@prefix kgo: <https://w3id.org/paperkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{KG}model/transformer> a kgo:Model ; skos:prefLabel "Transformer" ; kgo:paperCount 2 .
<{KG}method/transformer> a kgo:Method ; skos:prefLabel "Transformer" ; kgo:paperCount 5 .
""", encoding="utf-8")
    graph = kg.KnowledgeGraph.load(path, engine=engine)
    with pytest.warns(KGWarning, match=r"'Transformer' names 2 entities equally well \(label\): took Transformer "
                                         r"\(method, method:transformer, 5 papers\), over Transformer \(model, "
                                         r"model:transformer, 2 papers\)"):
        record = graph.entity("Transformer")
    assert record.type is EntityType.METHOD and [h.iri for h in record.alternatives] == [KG + "model/transformer"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert graph.entity("Transformer", type="model").iri == KG + "model/transformer"


def test_a_type_filter_that_leaves_nothing_names_the_other_types(small):
    with pytest.raises(KGError, match=r"E076.*'GSM8K'; it names entities of other types: GSM8K \(dataset\)"):
        small.entity("GSM8K", type="model")
    assert small.other_types_hint("GSM8K", None) == "" and small.other_types_hint("GSM8K", "dataset") == ""
    # an IRI, or a hit, of another type is no answer either, as lookup finds nothing for it
    assert small.entity("model:gpt4", type="model").label == "GPT-4"
    with pytest.raises(KGError, match=r"E076.*'model:gpt4' of type dataset \(it is a model\)"):
        small.entity("model:gpt4", type="dataset")
    with pytest.raises(KGError, match=r"E076.*of type method \(it is a model\)"):
        small.resolve(small.lookup("GPT-4")[0], type="method")


def test_evidence_takes_the_paper_as_any_written_arxiv_id(small):
    expected = small.evidence("NewBench", paper="2401.00001")
    assert expected and all(e.paper == "https://arxiv.org/abs/2401.00001" for e in expected)
    for written in ("arXiv:2401.00001", "arxiv:2401.00001v2", "https://arxiv.org/abs/2401.00001v1",
                    "<https://arxiv.org/abs/2401.00001>", "https://arxiv.org/pdf/2401.00001v3.pdf"):
        assert small.evidence("NewBench", paper=written) == expected, written


def test_a_capped_record_says_how_many_items_it_leaves_out(small):
    record = small.entity("GPT-4")
    text = format_record(record, max_items=1)
    assert f"papers ({len(record.papers)}):" in text
    assert f"    ... {len(record.papers) - 1} more (kg lookup --json lists all)" in text
    assert "more (kg lookup" not in format_record(record, max_items=0)


def test_papers_by_role(small):
    assert [p.arxiv_id for p in small.papers("LoRA")] == ["2401.00001", "2403.00003"]
    assert [p.arxiv_id for p in small.papers("GSM8K", role="evaluatesOn")] == ["2401.00001", "2402.00002"]
    assert [p.arxiv_id for p in small.papers("NewBench", role=kg.Role.PROPOSES)] == ["2401.00001"]
    assert small.papers("NewBench", role="uses") == []
    assert len(small.papers("GPT-4", role="mentions")) == 3
    with pytest.raises(KGError, match="E072"):
        small.papers("GPT-4", role="likes")


def test_unknown_entity(small):
    with pytest.raises(KGError, match="E076"):
        small.entity("qqqqqqqqqqqq")
    with pytest.raises(KGError, match="E076"):
        small.entity("https://example.org/not-an-entity")
    # a near spelling is offered, never taken: another version or another benchmark may be named so
    with pytest.raises(KGError, match=r"E076.*did you mean: Vicuna\?"):
        small.entity("Vicunna")
    assert small.lookup("Vicunna")[0].label == "Vicuna"  # lookup still ranks it


def test_the_names_tables_print_are_taken_back(small):
    gpt4 = small.entity("GPT-4").iri
    assert small.entity("model:gpt4").iri == small.entity(f"<{gpt4}>").iri == gpt4
    (hit,) = small.lookup("model:gpt4")
    assert (hit.iri, hit.match, hit.score) == (gpt4, "iri", 1.0)
    assert small.lookup("model:gpt4", type="dataset") == []
    with pytest.raises(KGError, match="E076.*no typed entity"):
        small.entity("model:no-such-model")


def test_what_is_no_name_is_a_typeerror_saying_what_is_taken(small):
    hit = small.lookup("GPT-4")[0]
    with pytest.raises(TypeError, match="lookup takes a name, an alias or an IRI as a str, not LookupHit"):
        small.lookup(hit)  # str() of it was looked up: "'LookupHit' object has no attribute 'strip'"
    with pytest.raises(TypeError, match="not int"):
        small.lookup(123)
    with pytest.raises(TypeError, match="limit must be an int"):
        small.lookup("GPT-4", limit="3")
    with pytest.raises(TypeError, match="an entity is a name, an IRI or a record with .iri"):
        small.entity(None)  # was looked up as the name "None"
    with pytest.raises(TypeError, match="a paper is an arXiv id, an IRI or a PaperLink, not float"):
        small.evidence("NewBench", paper=2401.00001)  # an id typed as a number
    with pytest.raises(TypeError, match="KnowledgeGraph takes an Engine, an rdflib Graph or a path, not int"):
        kg.KnowledgeGraph(3)
    assert len(small.lookup("GPT-4", limit=0)) >= 1 and small.lookup("GPT-4", type="kgo:Model")[0].label == "GPT-4"


def test_a_record_of_another_graph_is_no_entity_of_this_one(small):
    other = IndexedEntity(KG + "model/elsewhere", EntityType.MODEL, "Elsewhere")
    for call in (small.entity, small.papers, small.related, small.evidence, small.resolve):
        with pytest.raises(KGError, match="E076.*model/elsewhere.*no typed entity"):  # entity(): KeyError
            call(other)


def test_knowledgegraph_takes_a_path_as_load_does(tmp_path):
    # the path was kept as the engine: the first lookup failed with "'str' object has no attribute 'query'"
    assert kg.KnowledgeGraph(SMALL).entity("GPT-4") == kg.KnowledgeGraph.load(SMALL).entity("GPT-4")
    assert len(kg.KnowledgeGraph(str(SMALL))) == len(kg.KnowledgeGraph.load(SMALL))
    with pytest.raises(KGError, match="E041"):
        kg.KnowledgeGraph(tmp_path / "missing.ttl")


def test_named_takes_its_own_parameters_only(small):
    with pytest.raises(KGError, match=r"\[E075\] cannot bind \?modle: the named query compared-models has no "
                                      r"parameter \?modle; it takes \?model$"):
        small.named("compared-models", modle="model:gpt4")  # was: "add it to the SELECT clause"
    with pytest.raises(KGError, match=r"has no parameter \?otherLabel; it takes \?model"):
        small.named("compared-models", otherLabel="Llama 2")  # projected, but no parameter: kg query says so too
    assert small.named("compared-models", model="model:gpt4").values("otherLabel") == ["Llama 2", "Llama-2-7B"]


def test_evidence_of_a_paper_the_graph_does_not_hold_is_an_error(small):
    for paper in ("2401.99999", "arXiv:2401.0001", "a b", "<x>", 'x"> } #'):
        with pytest.raises(KGError, match=r"\[E115\] no paper of the graph is"):  # [] or a ValueError of pyoxigraph
            small.evidence("NewBench", paper=paper)
    expected = small.evidence("NewBench", paper="2401.00001")
    (link,) = small.papers("NewBench", role="proposes")
    assert expected and small.evidence("NewBench", paper=link) == expected  # a PaperLink, as papers() gives
    assert small.evidence("GSM8K", paper="2402.00002") == small.evidence("GSM8K", paper="2402.00002v9")
    assert small.evidence("NewBench", paper="2403.00003") == []  # a paper of the graph, without this entity


# ---------------------------------------------------------------- user text is never query text


def test_names_with_quotes_braces_and_hash(small, monkeypatch):
    seen = []
    real_query = small.engine.query

    def spy(text, bindings=None):
        seen.append(text)
        return real_query(text, bindings)

    monkeypatch.setattr(small.engine, "query", spy)
    small._index = None  # rebuild through the spy
    assert small.lookup(WEIRD)[0].iri == KG + "model/weird"
    hit = small.lookup(WEIRD_ALIAS)[0]
    assert hit.iri == KG + "model/weird" and hit.match == "alias"
    record = small.entity(WEIRD)
    assert [p.arxiv_id for p in record.papers] == ["2403.00003"]
    assert record.evidence[0].sentence == 'A {strange} "name" #1'
    assert [p.arxiv_id for p in small.papers(WEIRD_ALIAS)] == ["2403.00003"]
    query = "SELECT ?e ?name WHERE { ?e skos:prefLabel|skos:altLabel ?name }"
    assert [str(r["e"]) for r in small.sparql(query, name=WEIRD_ALIAS)] == [KG + "model/weird"]
    assert len(small.sparql(query, name='" } UNION { ?e ?p ?name } #')) == 0
    assert seen, "the spy saw no query"
    for text in seen:
        for user_text in (WEIRD, WEIRD_ALIAS, "Foo", "quoted", "UNION { ?e ?p"):
            assert user_text not in text


def test_sparql_binds_records_and_python_values(small):
    record = small.entity("GSM8K")
    rows = small.sparql("SELECT ?p ?d WHERE { ?p kgo:evaluatesOn ?d } ORDER BY ?p", d=record)
    assert rows.values("p") == ["https://arxiv.org/abs/2401.00001", "https://arxiv.org/abs/2402.00002"]
    rows = small.sparql("SELECT ?r ?v WHERE { ?r kgo:value ?v }", v=Literal("52.4", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#decimal")))
    assert rows.values("r") == [KG + "result/r1"]
    assert small.named("compared-models", model=small.lookup("gpt4")[0]).values("otherLabel") == [
        "Llama 2", "Llama-2-7B"]


def test_named_and_sparql_read_prefixed_names_as_iris(small):
    """A str argument is read as `kg query -b` reads it, through kg.namespaces.expand_iri."""
    assert small.named("compared-models", model="model:gpt4").values("otherLabel") == ["Llama 2", "Llama-2-7B"]
    assert small.named("compared-models", model=f"<{KG}model/gpt4>").values("otherLabel") == ["Llama 2", "Llama-2-7B"]
    # ?entity of link-evidence is only the object of rdf:object, so nothing in the query says it is an IRI
    evidence = small.named("link-evidence", paper="arxiv:2401.00001", entity="dataset:newbench")
    assert evidence.values("field") == ["title_en", "title_zh"]
    rows = small.sparql("SELECT ?p ?d WHERE { ?p kgo:evaluatesOn ?d } ORDER BY ?p", d="dataset:gsm8k")
    assert rows.values("p") == ["https://arxiv.org/abs/2401.00001", "https://arxiv.org/abs/2402.00002"]
    assert small.named("entity-papers", entity="method:lora", role="uses").values("paper") == [
        "https://arxiv.org/abs/2401.00001", "https://arxiv.org/abs/2403.00003"]
    # an rdflib Literal stays text, whatever it says
    query = "SELECT ?e ?name WHERE { ?e skos:prefLabel|skos:altLabel ?name }"
    assert len(small.sparql(query, name=Literal("model:gpt4"))) == 0
    assert small.sparql(query, name="GPT-4").values("e") == [KG + "model/gpt4"]


def test_engines_give_the_same_records():
    records = [kg.KnowledgeGraph.load(SEED, engine=name) for name in sorted(ENGINES)]
    for name in ("GPT-4", "Llama 2", "LoRA", "accuracy", "GSM8K"):
        a, b = (g.entity(name) for g in records)
        assert a == b
    assert [g.lookup("llama") for g in records][0] == records[1].lookup("llama")


# ---------------------------------------------------------------- loading


def test_load_turtle_rdflib_graph_and_oxigraph_store(tmp_path):
    from_file = kg.KnowledgeGraph.load(SMALL)
    path = tmp_path / "store"
    store = ox.Store(str(path))
    store.bulk_load(path=str(SMALL), format=ox.RdfFormat.TURTLE)
    store.flush()
    del store
    from_store = kg.KnowledgeGraph.load(path)
    from_graph = kg.KnowledgeGraph(kg.load_graph(SMALL))
    assert len(from_file) == len(from_store) == len(from_graph)
    assert from_file.entity("GPT-4") == from_store.entity("GPT-4") == from_graph.entity("GPT-4")
    with pytest.raises(KGError, match="E041"):
        kg.KnowledgeGraph.load(tmp_path / "missing.ttl")


# ---------------------------------------------------------------- CLI


def test_cli_lookup():
    runner = CliRunner()
    res = runner.invoke(cli_module.cli, ["lookup", "gpt 4", "-g", str(SMALL)])
    assert res.exit_code == 0, res.output
    first = res.output.splitlines()[2].split()
    assert first[:5] == ["1", "0.950", "label-key", "model", "GPT-4"]
    res = runner.invoke(cli_module.cli, ["lookup", "GPT-4", "-g", str(SMALL), "--record"])
    assert "papers (3):" in res.output and "comparedWith" in res.output and "evidence (1):" in res.output
    res = runner.invoke(cli_module.cli, ["lookup", WEIRD, "-g", str(SMALL), "--json", "--record"])
    doc = json.loads(res.output)
    assert doc["hits"][0]["iri"] == KG + "model/weird" and doc["record"]["papers"][0]["arxiv_id"] == "2403.00003"
    res = runner.invoke(cli_module.cli, ["lookup", "zzzzzzzzzz", "-g", str(SMALL)])
    assert res.exit_code == 1 and "no entity" in res.output


def test_cli_lookup_json_without_hits_exits_1_as_the_table_does():
    """A script tests the exit status: 1 for no match in either form; JSON still prints its document on stdout,
    the reason goes to stderr."""
    runner = CliRunner()
    res = runner.invoke(cli_module.cli, ["lookup", "zzzzzzzzzz", str(SMALL), "--json", "--record"])
    assert res.exit_code == 1
    assert json.loads(res.stdout) == {"query": "zzzzzzzzzz", "hits": []}
    assert res.stderr.startswith("Error: [E091] no entity of") and "Traceback" not in res.output
    res = runner.invoke(cli_module.cli, ["lookup", "GSM8K", str(SMALL), "--json", "-t", "model"])
    assert res.exit_code == 1 and json.loads(res.stdout)["hits"] == [] and "GSM8K (dataset)" in res.stderr
    res = runner.invoke(cli_module.cli, ["lookup", "GSM8K", str(SMALL), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["hits"][0]["label"] == "GSM8K" and res.stderr == ""


def test_cli_lookup_graph_argument():
    """The graph may follow the name as other commands take it, once; a missing default graph says how to make it."""
    runner = CliRunner()
    res = runner.invoke(cli_module.cli, ["lookup", "gpt 4", str(SMALL)])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[2].split()[:5] == ["1", "0.950", "label-key", "model", "GPT-4"]
    res = runner.invoke(cli_module.cli, ["lookup", "gpt 4", str(SMALL), "-g", str(SEED)])
    assert res.exit_code == 2 and "give it once" in res.output
    with runner.isolated_filesystem():
        res = runner.invoke(cli_module.cli, ["lookup", "gpt 4"])
    assert res.exit_code == 2 and "no graph at outputs/graph.ttl" in res.output and "kg build" in res.output


def test_cli_lookup_type_in_any_case_and_what_a_type_leaves_out(tmp_path):
    """--type takes MODEL as `kg entities --type` does; a type that leaves nothing names what the name is, and a
    graph without entities says so."""
    runner = CliRunner()
    papers_only = tmp_path / "papers.ttl"  # what `kg build --no-extract` makes: papers, no entity
    papers_only.write_text("<https://arxiv.org/abs/2401.00001> a <https://w3id.org/paperkg/ontology#Paper> .\n")
    res = runner.invoke(cli_module.cli, ["lookup", "GPT-4", str(papers_only)])
    assert res.exit_code == 1 and "the graph holds no entities (was it built with --no-extract?)" in res.output
    res = runner.invoke(cli_module.cli, ["lookup", "GSM8K", str(SMALL), "--type", "DATASET", "--limit", "1"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[2].split()[:5] == ["1", "1.000", "label", "dataset", "GSM8K"]
    res = runner.invoke(cli_module.cli, ["lookup", "GSM8K", str(SMALL), "-t", "Model"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output.strip() == (f"Error: [E091] no model of {SMALL} matches 'GSM8K'; it names entities of other "
                                  "types: GSM8K (dataset) (drop --type)")
    res = runner.invoke(cli_module.cli, ["lookup", "GPT-4", str(SMALL), "--limit", "0"])  # 0: every match
    assert res.exit_code == 0 and len(res.output.splitlines()) > 3
    assert runner.invoke(cli_module.cli, ["lookup", "GPT-4", str(SMALL), "--limit", "-1"]).exit_code == 2


def test_the_cli_shows_kgwarnings_as_lines_and_leaves_other_warnings_alone():
    """The CLI knows PaperKG's warnings by their category, not by the text: a KGWarning is a "warning: ..." line,
    another package's warning (even one whose text starts "[E") goes to Python's own display unchanged."""
    shown = []
    show = cli_module._showing_own_warnings(lambda *args: shown.append(args))
    runner = CliRunner()

    @click.command()
    def command():
        show(KGWarning("[W001] tie"), KGWarning, "knowledge.py", 1)
        show(UserWarning("[E123] another package"), UserWarning, "other.py", 2)
        show(DeprecationWarning("old"), DeprecationWarning, "other.py", 3)

    result = runner.invoke(command)
    assert result.exit_code == 0, result.output
    assert result.stderr == "warning: [W001] tie\n" and result.stdout == ""
    assert [(str(m), c) for m, c, *_ in shown] == [("[E123] another package", UserWarning), ("old", DeprecationWarning)]

def test_the_cli_shows_a_tie_as_one_warning_line():
    """`kg query -e` resolves a name as `resolve` does: a tie is a "warning:" line on stderr, not Python's warning
    format with a file path and a source line."""
    result = CliRunner().invoke(cli_module.cli, ["query", str(SEED), "-e", "e=DA",
                                                 "SELECT ?e ?label WHERE { ?e skos:prefLabel ?label }"])
    assert result.exit_code == 0, result.output
    assert "data augmentation" in result.stdout
    assert result.stderr.startswith("warning: [W001] 'DA' names 2 entities equally well") and "\n" == \
        result.stderr[-1] and result.stderr.count("\n") == 1 and "UserWarning" not in result.stderr
