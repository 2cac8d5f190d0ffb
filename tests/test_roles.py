"""Roles and entity->entity relations: the pure functions of kg.roles on hand-made mentions, and the real
pipeline on a small paper."""

import pytest

from kg.pipeline import extract_corpus, extract_mentions
from kg.records import Mention, Paper, RelationType, Role
from kg.roles import (is_sized_variant, mention_roles, size_base, nearest_cue, paper_links, paper_relations,
                      reports_evaluation, role_cues)


def mention(sentence: str, name: str, label: str, source: str = "lexicon", field: str = "abstract_en",
            occurrence: int = 0) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = sentence.index(name, start + 1)
    return Mention(name, start, start + len(name), label, 0.9, sentence, source, field, 0)


@pytest.mark.parametrize(
    "sentence, name, label, role",
    [
        ("We introduce CRPE, a benchmark for relation comprehension.", "CRPE", "DATASET", Role.PROPOSES),
        ("In this paper we present PeLLE, a family of models.", "PeLLE", "MODEL", Role.PROPOSES),
        ("Our approach, dubbed GELI, learns a reward model.", "GELI", "METHOD", Role.PROPOSES),
        ("We call the resulting model WizardLM.", "WizardLM", "MODEL", Role.PROPOSES),
        ("We propose a mechanism, which we refer to as CSA, for graphs.", "CSA", "METHOD", Role.PROPOSES),
        ("We propose two variations, called the Functional Direct Neural Network (FDNN), and another.",
         "Functional Direct Neural Network", "METHOD", Role.PROPOSES),
        ("Then FooNet, a novel graph network, is trained.", "FooNet", "METHOD", Role.PROPOSES),
        ("ASMv2 outperforms LLaVA-1.5 and GPT-4V on CRPE.", "GPT-4V", "MODEL", Role.COMPARES_WITH),
        ("Our model performs better than GPT-4 on math.", "GPT-4", "MODEL", Role.COMPARES_WITH),
        ("Experiments on MMLU, GSM8K and HumanEval show large gains.", "HumanEval", "DATASET", Role.EVALUATES_ON),
        ("We fine-tune Llama-2-7B on our data.", "Llama-2-7B", "MODEL", Role.USES),
        ("We utilized three methods, namely LoRA, prefix tuning and adapters.", "LoRA", "METHOD", Role.USES),
        ("The model is trained on The Pile and evaluated later.", "The Pile", "DATASET", Role.USES),
        ("我们的方法超越了GPT-4。", "GPT-4", "MODEL", Role.COMPARES_WITH),
        ("与GPT-4相比，我们的模型更小。", "GPT-4", "MODEL", Role.COMPARES_WITH),
        ("It beats strong open-source baselines such as Llama 2 and Mistral.", "Mistral", "MODEL",
         Role.COMPARES_WITH),
        ("ASMv2 reaches 52.04, surpassing the 43.14 of LLaVA-1.5.", "LLaVA-1.5", "MODEL", Role.COMPARES_WITH),
        ("It outperforms baselines, e.g. GPT-4 and Mistral.", "Mistral", "MODEL", Role.COMPARES_WITH),
        ("我们提出了BoT方法。", "BoT", "METHOD", Role.PROPOSES),
        ("We fill this gap by proposing a comprehensive Chinese benchmark SuperCLUE.", "SuperCLUE", "DATASET",
         Role.PROPOSES),
        ("Compared to other open models, our resulting GritLM 7B sets a new state of the art.", "GritLM 7B",
         "MODEL", Role.PROPOSES),
        ("Our method of curiosity-driven red teaming (CRT) achieves greater coverage.",
         "curiosity-driven red teaming", "METHOD", Role.PROPOSES),
        ("Our tool-equipped SFT model, Raven, improves by 35.2%.", "Raven", "MODEL", Role.PROPOSES),
        ("We devise a lightweight GCG module.", "GCG", "METHOD", Role.PROPOSES),
        ('Our question-answering system is called as "MufassirQAS".', "MufassirQAS", "METHOD", Role.PROPOSES),
        ("We benchmark it against prominent language models, including ChatGPT3.5 and Claude 2.", "Claude 2",
         "MODEL", Role.COMPARES_WITH),
        ("In contrast with vanilla prompt learning, RetroPrompt builds a store.", "prompt learning", "METHOD",
         Role.COMPARES_WITH),
        ("Results show that QDyLoRA is competitive to QLoRA.", "QLoRA", "METHOD", Role.COMPARES_WITH),
        ("Introducing a novel attack method named Pre-training Pruning Restoration Attack, we aim higher.",
         "Pre-training Pruning Restoration Attack", "METHOD", Role.PROPOSES),
        ("本论文提出了一个名为CORECT的神经网络框架。", "CORECT", "METHOD", Role.PROPOSES),
        ("We formulate a distribution disparity loss for bias calibration.", "distribution disparity loss", "METHOD",
         Role.PROPOSES),
        # a verb taking from others earlier in the sentence does not own a naming word after "propose"
        ("We leverage prompt learning, and propose a novel method called Federated Dual Prompt Tuning.",
         "Federated Dual Prompt Tuning", "METHOD", Role.PROPOSES),
        # rivals qualified as "...-based", "established" or "benchmark" methods
        ("Compared to the existing sign-based approach StoSign, the proposed method improves.", "StoSign",
         "METHOD", Role.COMPARES_WITH),
        ("KGLN showed a gain over established benchmark methods like LibFM and DeepFM.", "DeepFM", "METHOD",
         Role.COMPARES_WITH),
    ],
)
def test_role_cues(sentence, name, label, role):
    assert role in mention_roles(mention(sentence, name, label))


@pytest.mark.parametrize(
    "sentence, name, label",
    [
        # the name after "a ..." is not what is introduced
        ("We introduce COIG-CQIA, a high-quality Chinese instruction tuning dataset.", "instruction tuning",
         "METHOD"),
        # "named" after "use" names someone else's model
        ("We use an LLM named PaLM 2 to generate data.", "PaLM 2", "MODEL"),
        # a naming word in a sentence that is not about this paper's work
        ("While the quantized version of LoRA, named QLoRA, alleviates this issue, ranks stay hard.", "QLoRA",
         "METHOD"),
        ("微调需要内存。虽然命名为QLoRA的低秩适应技术的量化版本缓解了这一问题。本文提出QDyLoRA。", "QLoRA", "METHOD"),
        # a cue in another clause does not reach the mention
        ("We outperform prior work; BERT is used for features.", "BERT", "MODEL"),
        # a dataset in a sentence that reports nothing
        ("Data were collected in Wikipedia.", "Wikipedia", "DATASET"),
        # part of a longer Chinese name
        ("我们提出了CLIP引导解码方法。", "CLIP", "MODEL"),
        # a comparison cue reaches a name only across names and words that list rivals
        ("Compared to our human-derived gold standard, GPT-4 is less accurate.", "GPT-4", "MODEL"),
        # the rivals are systems of a kind the name only qualifies
        ("Our model matches the state-of-the-art TPP models in density estimation.", "TPP", "METHOD"),
        ("It outperforms traditional RL methods and existing GPT agents.", "GPT", "MODEL"),
        ("Our method offers an effective defense against backdoor attacks.", "backdoor attacks", "METHOD"),
        ("We evaluate it against existing Transformer-based encoders.", "Transformer", "METHOD"),
        ("我们通过与Bing Chat的实际互动收集数据。", "Bing Chat", "MODEL"),
        # an apposition that only describes an existing model
        ("We present advances in the pretraining of Mistral 7B, a large-scale language model.", "Mistral 7B",
         "MODEL"),
        # the head noun after "proposing a ..." is a kind of what is proposed, not the proposal's name
        ("By proposing a new model with StarCoder as teacher, we cut costs.", "StarCoder", "MODEL"),
        ("Prior work has proposed a large benchmark MMLU for testing.", "MMLU", "DATASET"),
        # "our ... model," names this paper's model only when the name comes right after the comma
        ("Our model, trained with GPT-4 feedback, is small.", "GPT-4", "MODEL"),
    ],
)
def test_no_role_without_a_clear_cue(sentence, name, label):
    roles = mention_roles(mention(sentence, name, label))
    assert Role.PROPOSES not in roles and Role.COMPARES_WITH not in roles
    if label == "DATASET":
        assert not roles


@pytest.mark.parametrize(
    "sentence, name, label",
    [
        ("Findings reveal that widely used models such as GPT-3.5 and PolyCoder degrade.", "PolyCoder", "MODEL"),
        ("We studied the main errors in the most commonly used dataset, MultiWOZ 2.1.", "MultiWOZ 2.1", "DATASET"),
    ],
)
def test_used_as_an_adjective_is_no_use(sentence, name, label):
    # "widely used X" says others use X, not this paper
    assert Role.USES not in mention_roles(mention(sentence, name, label))
    # the verb still is a cue
    assert Role.USES in mention_roles(mention(sentence.replace("widely used", "used").replace(
        "most commonly used", "used"), name, label))


def test_a_known_name_that_qualifies_what_is_proposed_is_not_proposed():
    # 的 after a known name after 提出了: the proposal is something of Mistral 7B's, not Mistral 7B
    m = mention("本文提出了Mistral 7B的预训练的重要进展。", "Mistral 7B", "MODEL", source="lexicon:MODEL:Mistral 7B")
    assert Role.PROPOSES not in mention_roles(m)
    # a naming word still names it: "提出了名为X的框架"
    m = mention("本文提出了名为ReCoT的框架。", "ReCoT", "METHOD", source="lexicon:METHOD:ReCoT")
    assert Role.PROPOSES in mention_roles(m)


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("In this paper, we propose a novel imitation learning method that learns rules.", "imitation learning"),
        ("We introduce a 1-bit quantization-aware training (QAT) framework named OneBit.", "quantization-aware training"),
        ("We attack detectors by proposing a novel backdoor attack strategy.", "backdoor attack"),
        ("First, we propose a moco-based supervised contrastive learning to learn features.",
         "supervised contrastive learning"),
        ("该研究引入了信息瓶颈（IB）方法和局部差分隐私相结合的方法。", "信息瓶颈"),
        ("本文提出了一种DPO的泛化形式。", "DPO"),
    ],
)
def test_a_known_technique_a_proposal_is_built_with_is_used_not_proposed(sentence, name):
    roles = mention_roles(mention(sentence, name, "METHOD", source=f"lexicon:METHOD:{name}"))
    assert roles == {Role.USES}


def test_a_known_technique_described_as_new_is_not_proposed_but_a_known_name_is():
    plain = mention("Instruction tuning, a new learning paradigm, helps.", "Instruction tuning", "METHOD",
                    source="lexicon:METHOD:instruction tuning")
    assert Role.PROPOSES not in mention_roles(plain)
    # the lexicon also holds recent systems with name-shaped names; a paper may be the one that introduces them
    named = mention("In response, we propose LoftQ, a novel quantization framework.", "LoftQ", "METHOD",
                    source="lexicon:METHOD:LoftQ")
    assert mention_roles(named) == {Role.PROPOSES}


def test_the_subject_after_an_opening_comparison_is_not_compared():
    sentence = "Compared to PES, ES-Single is simpler to implement."
    assert Role.COMPARES_WITH in mention_roles(mention(sentence, "PES", "METHOD"))
    assert Role.COMPARES_WITH not in mention_roles(mention(sentence, "ES-Single", "METHOD"))
    listed = "When compared to GPT-4, Claude 2, and Gemini, our model is smaller."
    assert Role.COMPARES_WITH in mention_roles(mention(listed, "Claude 2", "MODEL"))
    assert Role.COMPARES_WITH in mention_roles(mention(listed, "Gemini", "MODEL"))


def test_a_title_opening_with_a_known_name_proposes_it_when_the_colon_says_what_it_is():
    title = "GSM-Plus: A Comprehensive Benchmark for Evaluating LLMs"
    assert Role.PROPOSES in mention_roles(mention(title, "GSM-Plus", "DATASET", field="title_en"))
    assert Role.PROPOSES not in mention_roles(mention(title, "GSM-Plus", "DATASET"))  # only in the title
    assert not mention_roles(mention("ChatGPT: A Study of Its Failures", "ChatGPT", "MODEL", field="title_en"))
    # the article may be left out: "MERT: Acoustic Music Understanding Model with ..."
    title = "MERT: Acoustic Music Understanding Model with Large-Scale Self-supervised Training"
    assert Role.PROPOSES in mention_roles(mention(title, "MERT", "MODEL", field="title_en"))


def test_the_paper_types_the_name_it_introduces_over_the_lexicon(nlp):
    from kg.pipeline import extract_papers

    # the lexicon knows WebVoyager as a benchmark; this paper introduces a web agent of that name
    paper = Paper("2401.13919", title_en="WebVoyager: Building an End-to-End Web Agent",
                  abstract_en="To bridge this gap, we introduce WebVoyager, an innovative Large Multimodal Model (LMM) "
                              "powered web agent. "
                              "Others evaluate on WebVoyager.")
    (record,) = extract_papers([paper], nlp=nlp)
    assert {(m.text, m.label) for m in record.mentions} == {("WebVoyager", "MODEL")}
    other = Paper("2401.00001", title_en="A study", abstract_en="We evaluate agents on WebVoyager, a benchmark.")
    (record,) = extract_papers([other], nlp=nlp)
    assert {(m.text, m.label) for m in record.mentions} == {("WebVoyager", "DATASET")}


def test_nearest_cue_wins():
    # "against" is further left than "based on": CLIP is what the model is built on, not compared with
    left = "We study these attacks against LLaVA-2, a state-of-the-art VLM based on "
    assert nearest_cue(left, "MODEL") == Role.USES


def test_paper_links_make_roles_consistent():
    s1 = "We introduce CRPE, a benchmark for relation comprehension."
    s2 = "We evaluate ten models on CRPE and find that results lag behind humans."
    s3 = "Our model outperforms GPT-4."
    ms = [mention(s1, "CRPE", "DATASET", "introduced"), mention(s2, "CRPE", "DATASET"),
          mention(s3, "GPT-4", "MODEL")]
    links = paper_links("1", ms, ["DATASET:crpe", "DATASET:crpe", "MODEL:gpt4"])
    got = {(l.entity_key, l.role) for l in links}
    assert got == {("DATASET:crpe", Role.PROPOSES), ("DATASET:crpe", Role.EVALUATES_ON),
                   ("MODEL:gpt4", Role.COMPARES_WITH)}
    # each link's evidence is a mention whose own clause gives the role
    evidence = {(l.entity_key, l.role): l.mention.sentence for l in links}
    assert evidence["DATASET:crpe", Role.EVALUATES_ON] == s2
    assert evidence["DATASET:crpe", Role.PROPOSES] == s1


@pytest.mark.parametrize(
    "sentence, name, label, source, cues",
    [
        ("ASMv2 outperforms LLaVA-1.5 and GPT-4V on CRPE.", "GPT-4V", "MODEL", "lexicon",
         {Role.COMPARES_WITH: "cue:outperforms"}),
        ("We introduce CRPE, a benchmark for relation comprehension.", "CRPE", "DATASET", "introduced",
         {Role.PROPOSES: "rule:introduced"}),
        ("Then FooNet, a novel graph network, is trained.", "FooNet", "METHOD", "acronym",
         {Role.PROPOSES: "apposition:a novel"}),
        ("与GPT-4相比，我们的模型更小。", "GPT-4", "MODEL", "lexicon", {Role.COMPARES_WITH: "cue:与…相比"}),
        ("We propose a novel Transformer-based GNN as the reader.", "Transformer", "METHOD", "lexicon",
         {Role.USES: "right:-based"}),
        ("mCPT at SemEval-2023 Task 3 detects genres.", "SemEval-2023 Task 3", "DATASET", "typed_head",
         {Role.EVALUATES_ON: "entered-in:at"}),
        ("Using Llama-2-7B as a judge, we score answers.", "Llama-2-7B", "MODEL", "lexicon", {Role.USES: "cue:using"}),
        ("Large models such as GPT-4 have changed the field.", "GPT-4", "MODEL", "lexicon", {}),
        # the kind of the proposal, named right after: not what is proposed
        ("We develop a novel shortest-path graph kernel called the MWSPF kernel.", "shortest-path graph kernel",
         "METHOD", "repeat", {Role.USES: "kind-of-proposal:we develop a novel"}),
    ],
)
def test_role_cues_say_what_gave_each_role(sentence, name, label, source, cues):
    m = mention(sentence, name, label, source)
    assert role_cues(m) == cues and mention_roles(m) == set(cues)


def test_links_carry_the_cue_of_their_evidence_or_the_paper_level_reason():
    s1 = "We introduce CRPE, a benchmark for relation comprehension."
    s2 = "We evaluate ten models on CRPE and find that results lag behind humans."
    s3 = "Our model outperforms GPT-4, while Llama 2 is a plain mention."
    ms = [mention(s1, "CRPE", "DATASET", "introduced"), mention(s2, "CRPE", "DATASET"),
          mention(s3, "GPT-4", "MODEL"), mention(s3, "Llama 2", "MODEL")]
    links = paper_links("1", ms, ["DATASET:crpe", "DATASET:crpe", "MODEL:gpt4", "MODEL:llama2"])
    assert {(l.entity_key, l.role): l.cue for l in links} == {
        ("DATASET:crpe", Role.PROPOSES): "rule:introduced", ("DATASET:crpe", Role.EVALUATES_ON): "cue:on",
        ("MODEL:gpt4", Role.COMPARES_WITH): "cue:outperforms", ("MODEL:llama2", Role.MENTIONS): ""}
    # a role no clause gives, only the paper level: the sibling size of a proposed model
    s1, s2 = "We introduce GritLM, a model that unifies generation and embedding.", "GritLM 7B is strong."
    links = paper_links("1", [mention(s1, "GritLM", "MODEL", "introduced"), mention(s2, "GritLM 7B", "MODEL")],
                        ["MODEL:gritlm", "MODEL:gritlm7b"])
    assert {(l.entity_key, l.cue) for l in links} == {("MODEL:gritlm", "rule:introduced"),
                                                      ("MODEL:gritlm7b", "paper:size-of-proposed")}


@pytest.mark.parametrize(
    "text, reported",
    [
        ("Our experiments on 25 LLMs and 4 prompting techniques show that their performances are far from robust.",
         True),
        ("We perform graded evaluation and reliability analysis on recent multi-modal models.", True),
        ("To showcase its utility, we conducted extensive evaluations using multiple state-of-the-art baselines.", True),
        ("Best results were achieved using LSTM and reached an accuracy of 97%.", True),
        ("We observe that strong baselines struggle to detect them.", True),
        ("实验结果表明，现有模型仍有很大差距。", True),
        # what a benchmark is for, not what models did on it
        ("We present a novel meta-evaluation benchmark, MHaluBench, meticulously crafted to facilitate the evaluation "
         "of advancements in hallucination detection methods.", False),
        ("We build a challenging benchmark (termed DragBench) with open-set", False),
        ("From 68 billion documents we obtained 2.22T tokens of safe data.", False),
        ("This integration is achieved by a 3D molecule-text projector.", False),
        # a results noun and a verb in two sentences are no report
        ("We release the results. Show us yours.", False),
    ],
)
def test_reports_evaluation_tells_a_report_from_a_purpose(text, reported):
    assert reports_evaluation(text) is reported


def test_a_proposed_dataset_is_evaluated_on_when_the_paper_reports_results_of_models():
    s1 = "We present a novel meta-evaluation benchmark, MHaluBench, to facilitate the evaluation of detectors."
    ms, keys = [mention(s1, "MHaluBench", "DATASET", "introduced")], ["DATASET:mhalubench"]

    def roles(**kw):
        return {l.role for l in paper_links("1", ms, keys, **kw)}

    # the sentence says what the benchmark is for: no result of any model is reported
    assert roles() == roles(evaluation_reported=False) == {Role.PROPOSES}
    assert roles(evaluation_reported=True) == {Role.PROPOSES, Role.EVALUATES_ON}
    # a dataset the paper trains its own model on is not evaluated on because results are reported
    s2 = "We collect ReC, a dataset of 10K images, and train ReModel, a new vision model, on it."
    ms2 = [mention(s2, "ReC", "DATASET", "introduced"), mention(s2, "ReModel", "MODEL", "introduced")]
    got = {(l.entity_key, l.role) for l in paper_links("1", ms2, ["DATASET:rec", "MODEL:remodel"],
                                                        evaluation_reported=True)}
    assert ("DATASET:rec", Role.EVALUATES_ON) not in got and ("DATASET:rec", Role.PROPOSES) in got


def test_paper_extraction_records_whether_the_abstract_reports_results(nlp):
    from kg.pipeline import extract_papers

    def paper(arxiv_id, abstract):
        return Paper(arxiv_id=arxiv_id, title_en="GridBench: A Benchmark for Grid Puzzles", abstract_en=abstract)

    report = "We introduce GridBench, a benchmark of grid puzzles. We evaluate 12 LLMs and find that all struggle."
    purpose = "We introduce GridBench, a benchmark designed to facilitate the evaluation of LLMs on grid puzzles."
    papers = [paper("2401.00001", report), paper("2401.00002", purpose)]
    assert [ex.evaluation_reported for ex in extract_papers(papers, nlp=nlp)] == [True, False]


def test_a_modifier_of_the_proposal_is_used_not_proposed():
    s = "We propose a novel Transformer-based GNN as the reader."
    assert mention_roles(mention(s, "Transformer", "METHOD")) == {Role.USES}


def test_is_sized_variant():
    assert size_base("GritLM 8x7B") == "GritLM" and size_base("Mistral") == "Mistral"
    assert is_sized_variant("StarCoder2-15B", {"StarCoder2"}) and is_sized_variant("ChemDFM-13B-chat", {"ChemDFM"})
    assert not is_sized_variant("StarCoder2", {"StarCoder2"}) and not is_sized_variant("GritLM-Pro", {"GritLM"})


def test_sized_variants_of_a_proposed_model_are_proposed_too():
    s1 = "We introduce GritLM, a model that unifies generation and embedding."
    s2 = "GritLM 7B and GritLM 8x7B outperform Mistral 7B, and Llama-2-7B-chat is used as a judge."
    ms = [mention(s1, "GritLM", "MODEL", "introduced"), mention(s2, "GritLM 7B", "MODEL"),
          mention(s2, "GritLM 8x7B", "MODEL"), mention(s2, "Mistral 7B", "MODEL"),
          mention(s2, "Llama-2-7B-chat", "MODEL")]
    keys = ["MODEL:gritlm", "MODEL:gritlm7b", "MODEL:gritlm8x7b", "MODEL:mistral7b", "MODEL:llama27bchat"]
    proposed = {l.entity_key for l in paper_links("1", ms, keys) if l.role == Role.PROPOSES}
    assert proposed == {"MODEL:gritlm", "MODEL:gritlm7b", "MODEL:gritlm8x7b"}
    # a sibling of a proposed size: "our resulting GritLM 7B ... GritLM 8x7B"
    s1 = "Our resulting GritLM 7B sets a new state of the art."
    ms = [mention(s1, "GritLM 7B", "MODEL"), mention(s2, "GritLM 8x7B", "MODEL"), mention(s2, "Mistral 7B", "MODEL")]
    proposed = {l.entity_key for l in paper_links("1", ms, keys[1:4]) if l.role == Role.PROPOSES}
    assert proposed == {"MODEL:gritlm7b", "MODEL:gritlm8x7b"}


def test_plain_mention_stays_mentions():
    s = "Large models such as GPT-4 have changed the field."
    links = paper_links("1", [mention(s, "GPT-4", "MODEL")], ["MODEL:gpt4"])
    assert [(l.entity_key, l.role) for l in links] == [("MODEL:gpt4", Role.MENTIONS)]


def test_based_on_and_evaluated_on_relations():
    s1 = "We present TRABSA, a hybrid framework leveraging RoBERTa for sentiment analysis."
    s2 = "TRABSA achieves 94% accuracy on SemEval."
    ms = [mention(s1, "TRABSA", "METHOD", "introduced"), mention(s1, "RoBERTa", "MODEL"),
          mention(s2, "TRABSA", "METHOD"), mention(s2, "SemEval", "DATASET")]
    keys = ["METHOD:trabsa", "MODEL:roberta", "METHOD:trabsa", "DATASET:semeval"]
    links = paper_links("1", ms, keys)
    rels = {(t, s, o) for t, s, o, _ in paper_relations(ms, keys, links)}
    assert (RelationType.BASED_ON, "METHOD:trabsa", "MODEL:roberta") in rels
    assert (RelationType.EVALUATED_ON, "METHOD:trabsa", "DATASET:semeval") in rels
    assert (RelationType.BASED_ON, "MODEL:roberta", "METHOD:trabsa") not in rels


def test_pipeline_roles_and_relations_into_the_graph(nlp):
    from rdflib import Literal
    from rdflib.namespace import RDF

    from kg.namespaces import KGO
    from kg.pipeline import extract_corpus
    from kg.rdf import build_rdf, paper_iri

    papers = [
        Paper("2401.00001", title_en="Foo: a model", abstract_en=(
            "We present FooLM, a new model fine-tuned from Llama-2-7B. FooLM outperforms GPT-4 on GSM8K.")),
        Paper("2401.00002", title_en="Bar", abstract_en=(
            "We propose BarLM, a new model fine-tuned from Llama-2-7B. Experiments on GSM8K show gains.")),
    ]
    assembly = extract_corpus(papers, nlp=nlp)
    roles = {(l.arxiv_id, l.mention.text, l.role) for l in assembly.links}
    assert ("2401.00001", "FooLM", Role.PROPOSES) in roles
    assert ("2401.00001", "GPT-4", Role.COMPARES_WITH) in roles
    assert ("2401.00002", "GSM8K", Role.EVALUATES_ON) in roles
    g = build_rdf(papers, *assembly[:3], relations=assembly.relations)
    # one SPARQL query answers "why" for an entity->entity triple, with the number of supporting papers
    rows = list(g.query(
        """SELECT ?s ?o ?sentence ?n WHERE { ?ev a kgo:Evidence ; rdf:subject ?s ; rdf:predicate kgo:evaluatedOn ;
           rdf:object ?o ; kgo:sentence ?sentence ; kgo:supportCount ?n . }""",
        initNs={"kgo": KGO, "rdf": RDF}))
    assert rows and all(int(r.n) >= 1 for r in rows)
    assert (paper_iri("2401.00001"), KGO.hasEvidence, None) in g
    assert any(Literal("FooLM outperforms GPT-4 on GSM8K.") == r.sentence for r in rows)


def test_a_hyphenated_out_perform_compares(nlp):
    (m,) = [m for m in extract_mentions("Prompt engineering can out-perform GPT-4 in medical QA.", nlp)
            if m.text == "GPT-4"]
    assert mention_roles(m) == {Role.COMPARES_WITH}


def test_by_introducing_a_module_proposes_it(nlp):
    text = "By introducing a Task-specific Fine-grained Semantics (TFS) module, we enable prompts to capture labels."
    (long_form,) = [m for m in extract_mentions(text, nlp) if m.text == "Task-specific Fine-grained Semantics"]
    assert Role.PROPOSES in mention_roles(long_form)


def test_a_threat_defended_against_is_no_rival(nlp):
    text = "The robustness of deep learning models against adversarial attacks remains a concern."
    (m,) = [m for m in extract_mentions(text, nlp) if m.text == "adversarial attacks"]
    assert Role.COMPARES_WITH not in mention_roles(m)
    (m,) = [m for m in extract_mentions("Our model is evaluated against LoRA on GLUE.", nlp) if m.text == "LoRA"]
    assert mention_roles(m) == {Role.COMPARES_WITH}


@pytest.mark.parametrize(
    "text, name",
    [("Detection Defenses: An Empty Promise against Adversarial Patch Attacks on Optical Flow", "Adversarial Patch"),
     ('We collect 46,000 prompt-based "defenses" against prompt injection.', "prompt injection")],
)
def test_a_threat_named_before_attacks_or_an_injection_is_no_rival(nlp, text, name):
    (m,) = [m for m in extract_mentions(text, nlp) if m.text == name]
    assert Role.COMPARES_WITH not in mention_roles(m)


@pytest.mark.parametrize("text, name", [
    ("We develop a novel MBRL method which relaxes the assumptions on the model.", "MBRL"),
    ("This paper proposes a general GSL framework, SE-GSL, through structural entropy.", "GSL"),
    ("We propose EMS-YOLO, a novel directly-trained SNN framework for object detection.", "SNN"),
])
def test_an_acronym_naming_the_kind_of_a_proposal_is_used(nlp, text, name):
    ms = [m for m in extract_mentions(text, nlp) if m.text == name]
    assert ms and all(Role.PROPOSES not in mention_roles(m) for m in ms)


def test_attacks_against_a_model_make_it_a_target_not_a_rival(nlp):
    text = "We study these attacks against LLaVA-2, a state-of-the-art VLM based on CLIP."
    (m,) = [m for m in extract_mentions(text, nlp) if m.text == "LLaVA-2"]
    assert Role.COMPARES_WITH not in mention_roles(m)


@pytest.mark.parametrize("text", ["We present a dataset of over 126,000 prompt injection attacks.",
                                  "We collect more than 2,000 chain-of-thought prompting traces."])
def test_over_or_than_before_a_number_is_a_count_not_a_comparison(nlp, text):
    (m,) = [m for m in extract_mentions(text, nlp) if m.label == "METHOD"]
    assert Role.COMPARES_WITH not in mention_roles(m)
    (m,) = [m for m in extract_mentions("Our method improves over LoRA on GLUE.", nlp) if m.text == "LoRA"]
    assert mention_roles(m) == {Role.COMPARES_WITH}


@pytest.mark.parametrize(
    "text",
    ["mCPT at SemEval-2023 Task 3: Multilingual Contrastive Pre-Training",
     "Our system, VISU, participated in the WASSA 2023 Shared Task (3) of Emotion Classification."],
)
def test_a_system_entered_in_a_shared_task_is_evaluated_on_it(nlp, text):
    task = next(m for m in extract_mentions(text, nlp) if m.label == "DATASET")
    assert Role.EVALUATES_ON in mention_roles(task)


@pytest.mark.parametrize(
    "sentence, name",
    [("Recent work has shown that simple linear models can outperform several Transformer based approaches.",
      "Transformer"),
     ("Current innovations were initially celebrated for surpassing Transformer performance on language modeling.",
      "Transformer"),
     ("一些最近的工作认为GBDT在表格数据上一贯优于NN。", "NN")],
)
def test_a_comparison_others_reported_is_no_rival(sentence, name):
    assert Role.COMPARES_WITH not in mention_roles(mention(sentence, name, "METHOD"))


def test_a_comparison_of_our_own_after_others_findings_is_a_rival():
    sentence = "Prior studies have shown that it is hard, yet our model outperforms Transformer on all tasks."
    assert Role.COMPARES_WITH in mention_roles(mention(sentence, "Transformer", "METHOD"))


@pytest.mark.parametrize(
    "sentence, name",
    [("Our framework consists of two main components: the Attentional Module (AttM) and the Diffusion Module (DiFM).",
      "Diffusion Module"),
     ("We propose a novel approach comprised of three interrelated networks: 1) a Contact Depth Network (ConDepNet), "
      "which generates a map.", "Contact Depth Network")],
)
def test_a_part_of_the_papers_own_system_is_proposed(sentence, name):
    assert mention_roles(mention(sentence, name, "METHOD", source="acronym")) == {Role.PROPOSES}


def test_a_later_item_of_an_enumerated_list_of_own_parts_is_proposed():
    sentence = ("We propose GrapeQA with two improvements on the WG: (i) Prominent Entities for Graph Augmentation "
                "identifies text chunks from the QA pair and augments the WG with representations, and (ii) "
                "Context-Aware Node Pruning removes nodes.")
    assert mention_roles(mention(sentence, "Context-Aware Node Pruning", "METHOD", source="part")) == {Role.PROPOSES}
    # with no first mark before it, "(ii)" does not make a part
    sentence = "The WG is augmented with representations, and (ii) Context-Aware Node Pruning removes nodes."
    assert Role.PROPOSES not in mention_roles(mention(sentence, "Context-Aware Node Pruning", "METHOD", source="part"))


def test_the_parts_of_a_proposed_dataset_are_proposed(nlp):
    from kg.pipeline import extract_corpus

    papers = [Paper("2402.16733", title_en="Essay scoring", abstract_en=(
        "In this paper, we release DREsS, a large-scale, standard dataset for automated essay scoring. DREsS "
        "comprises three sub-datasets: DREsS_New, DREsS_Std., and DREsS_CASE. GLUE comprises two subsets: FooSet "
        "and BarSet."))]
    proposed = {l.mention.text for l in extract_corpus(papers, nlp=nlp).links if l.role == Role.PROPOSES}
    assert {"DREsS", "DREsS_New", "DREsS_Std", "DREsS_CASE"} <= proposed
    assert not proposed & {"FooSet", "BarSet"}  # the parts of a dataset the paper does not propose


def test_a_part_of_someone_elses_system_is_not_proposed():
    sentence = "The Transformer consists of two parts: the Attention Module and the Feed-Forward Network."
    assert Role.PROPOSES not in mention_roles(mention(sentence, "Attention Module", "METHOD", source="acronym"))
    # a known name among the parts of the paper's own system is used, not proposed
    sentence = "Our framework consists of two modules: BERT and a graph encoder."
    assert Role.PROPOSES not in mention_roles(mention(sentence, "BERT", "MODEL", source="lexicon:MODEL:BERT"))


def test_an_acronym_that_is_also_the_papers_own_name_is_proposed(nlp):
    from kg.pipeline import extract_corpus

    papers = [
        Paper("2301.00810", title_en="SIRL: Similarity-based Implicit Representation Learning",
              abstract_en="When robots learn reward functions, they need good representations."),
        Paper("2305.02305", title_en="Explanations for classifiers", abstract_en=(
            "We propose a new feature importance explanation method, Calibrated Explanations (CE), which is based "
            "on Venn-Abers.")),
        Paper("2402.10492", title_en="Forecasting", abstract_en=(
            "This research utilized three types of artificial neural network (ANN) methodologies, namely "
            "Backpropagation Neural Network (BPNN) with varied training.")),
    ]
    links = extract_corpus(papers, nlp=nlp).links
    proposed = {(l.arxiv_id, l.mention.text) for l in links if l.role == Role.PROPOSES}
    assert {("2301.00810", "SIRL"), ("2305.02305", "Calibrated Explanations")} <= proposed
    assert not any(arxiv_id == "2402.10492" for arxiv_id, _ in proposed)  # "utilized ..., namely X": not its own


def test_a_name_coordinated_with_a_proposed_one_is_proposed_too(nlp):
    from kg.pipeline import extract_corpus

    papers = [Paper("2307.14395", title_en="PDE-Net++", abstract_en=(
        "Furthermore, we introduce two distinct options called the trainable flipping difference layer (TFDL) and "
        "the trainable dynamic difference layer (TDDL) for the difference operators. We introduce a new task, "
        "Evaluating QA Evaluation (QA-Eval) and the corresponding dataset EVOUNA, designed to assess answers. "
        "We propose FooNet and fine-tune BERT on GLUE."))]
    proposed = {l.mention.text for l in extract_corpus(papers, nlp=nlp).links if l.role == Role.PROPOSES}
    assert {"trainable dynamic difference layer", "EVOUNA", "FooNet"} <= proposed
    assert not proposed & {"BERT", "GLUE"}  # a verb between the names: not proposed together


def test_a_chinese_mention_has_its_own_sentence_as_evidence(nlp):
    # the senter does not split an unspaced Chinese run: evidence was the whole abstract, and a cue word anywhere in
    # it counted for every mention
    abstract = "大模型在数学上表现不佳。我们提出了FooLM，一种新的模型。FooLM超越了GPT-4。"
    paper = Paper("2401.00003", title_en="A study", abstract_zh=abstract)
    links = {(l.mention.text, l.role): l.mention for l in extract_corpus([paper], nlp=nlp).links}
    foo, gpt4 = links["FooLM", Role.PROPOSES], links["GPT-4", Role.COMPARES_WITH]
    assert foo.sentence == "我们提出了FooLM，一种新的模型。"
    assert gpt4.sentence == "FooLM超越了GPT-4。"
    assert abstract[gpt4.sent_start:].startswith(gpt4.sentence)


def test_a_title_opened_by_a_name_no_lexicon_knows_proposes_it():
    title = "Topology-aware Embedding Memory for Learning on Expanding Graphs"
    m = mention(title, "Topology-aware Embedding Memory", "METHOD", "repeat", field="title_en")
    assert role_cues(m) == {Role.PROPOSES: "title:opening"}
    # a known name opening a title is often what the paper applies: "Federated Learning for ..."
    title = "Federated Learning for Medical Images"
    assert role_cues(mention(title, "Federated Learning", "METHOD", "lexicon:METHOD:federated learning",
                             field="title_en")) == {}


def test_naming_a_known_name_proposes_it_only_with_a_proposing_word():
    # the paper studies GPT-4 or applies differential evolution by name: it makes neither
    studied = mention("本文研究了一种名为GPT-4的LLM是否能够辅助进行对抗性机器学习研究。", "GPT-4", "MODEL",
                      source="lexicon:MODEL:GPT-4")
    assert Role.PROPOSES not in mention_roles(studied)
    applied = mention("We apply several metaheuristics namely Differential Evolution to find the hyperparameters.",
                      "Differential Evolution", "METHOD", source="lexicon:METHOD:differential evolution")
    assert Role.PROPOSES not in mention_roles(applied)
    # a new thing named like a known one is the paper's own
    derived = mention("To this end, we derive a simple and novel vision-language manipulation framework, dubbed "
                      "RoboFlamingo, built upon OpenFlamingo.", "RoboFlamingo", "MODEL", source="lexicon:MODEL:RoboFlamingo")
    assert Role.PROPOSES in mention_roles(derived)
    named = mention("We present a new benchmark named MMLU-Pro.", "MMLU-Pro", "DATASET", source="lexicon:DATASET:MMLU-Pro")
    assert Role.PROPOSES in mention_roles(named)
    latest = mention("本文研究了最新的名为GPT-4的模型。", "GPT-4", "MODEL", source="lexicon:MODEL:GPT-4")
    assert Role.PROPOSES not in mention_roles(latest)  # 最新, the latest, is no new thing of the paper's
