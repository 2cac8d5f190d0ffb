"""Extraction: the pure finders on small docs, and the real pipeline end to end."""

import pytest
import spacy

from kg.extract import find_acronym_definitions, has_name_shape, is_name_like, type_from_head, zh_doc
from kg.lexicon import load_lexicon
from kg.normalize import match_key
from kg.pipeline import extract_mentions, paper_texts
from kg.records import Paper
from kg.resolve import type_key

from .conftest import FIXTURES


def labels(mentions):
    return [(m.text, m.label) for m in mentions]


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def test_match_key_keeps_versions_apart():
    assert match_key("LLaVA-1.5") == match_key("LLaVa 1.5") == match_key("LLaVA1.5")
    assert match_key("GPT-4") != match_key("GPT-4V")
    assert match_key("OPT-1.3B") != match_key("OPT-13B")
    assert match_key("HumanEval+") != match_key("HumanEval")


def test_match_key_spells_out_greek_and_drops_accents():
    assert match_key("τ-bench") == match_key("tau-bench") == "taubench"
    assert match_key("Π-model") == "pimodel" and match_key("μP") == match_key("µP") == "mup"
    assert match_key("Cramér-Rao bound") == match_key("Cramer-Rao bound")
    assert match_key("Møller-Plesset") == "mollerplesset"
    assert match_key("大语言模型") == "大语言模型"


def test_name_shapes():
    assert is_name_like("Boosting of Thoughts") and is_name_like("GPT-4") and is_name_like("BoT")
    assert not is_name_like("our method") and not is_name_like("We")
    assert has_name_shape("LLaVA") and not has_name_shape("Low-Resource")
    assert type_from_head("All-Seeing Model V2") == "MODEL"
    assert type_from_head("Circular-based Relation Probing Evaluation") == "DATASET"
    assert type_from_head("Deep Uncertainty Distillation using Ensembles for Segmentation") == "METHOD"


def test_acronym_definitions(blank):
    doc = blank("We propose Boosting of Thoughts (BoT), built on large language models (LLMs).")
    pairs = [(l.text, s.text, l.label_) for l, s in find_acronym_definitions(doc, load_lexicon())]
    assert pairs == [("Boosting of Thoughts", "BoT", "METHOD")]
    # the head of "X for Y" is X's: a method for a task, not the task
    doc = blank("We propose Equivariant Contrastive Learning for Sequential Recommendation (ECL-SR) here.")
    pairs = [(l.text, s.text, l.label_) for l, s in find_acronym_definitions(doc, load_lexicon())]
    assert pairs == [("Equivariant Contrastive Learning for Sequential Recommendation", "ECL-SR", "METHOD")]

    # capitals the authors set spell the long form, where the shortest match would take letters inside words
    doc = blank("We follow the principle of Optimism in the Face of Uncertainty (OFU) and train with C3PO "
                "and Contextualized Critiques with Constrained Preference Optimization (C3PO).")
    pairs = [(l.text, s.text) for l, s in find_acronym_definitions(doc, load_lexicon())]
    assert ("Optimism in the Face of Uncertainty", "OFU") in pairs
    assert ("Constrained Preference Optimization", "C3PO") not in pairs  # "C3" is three Cs, not one


def test_zh_doc_keeps_text_and_splits_latin(nlp):
    text = "本文提出了一种名为Boosting of Thoughts（BoT）的自动提示框架，超过GPT-4。"
    doc = zh_doc(nlp, text)
    assert doc.text == text
    assert "GPT-4" in [t.text for t in doc] and "本" in [t.text for t in doc]


def test_pipeline_offsets_and_types(nlp):
    text = "We fine-tune Llama-2-7B with LoRA and evaluate on MMLU, surpassing GPT-4V and GPT-4."
    ms = extract_mentions(text, nlp)
    assert labels(ms) == [("Llama-2-7B", "MODEL"), ("LoRA", "METHOD"), ("MMLU", "DATASET"),
                          ("GPT-4V", "MODEL"), ("GPT-4", "MODEL")]
    for m in ms:
        assert text[m.start:m.end] == m.text and m.sentence == text and 0 < m.score <= 1


def test_a_bracket_closed_inside_a_word_stays_in_the_name(nlp):
    text = "We present [RE]VER, a unified model for document understanding. [RE]VER beats LayoutLMv3 [12]."
    doc = nlp(text)
    assert [s.text for s in doc.sents][1].startswith("[RE]VER beats")
    assert "[" in [t.text for t in doc] and "12" in [t.text for t in doc]  # a citation still splits
    assert ("[RE]VER", "MODEL") in labels(extract_mentions(text, nlp))


def test_case_sensitive_lexicon_entries(nlp):
    assert ("MATH", "DATASET") in labels(extract_mentions("Results on the MATH benchmark improve.", nlp))
    assert not any(m.text.lower() == "math" for m in extract_mentions("We study math word problems.", nlp))


def test_generic_phrases_are_not_entities(nlp):
    text = "Large language models (LLMs) and deep learning help our method beat benchmark datasets."
    assert extract_mentions(text, nlp) == []


def test_names_listed_after_a_dataset_head_and_benchmark_shaped_names(nlp):
    text = "It helps most on small datasets such as ReVerb20k and FooSet. An ablation follows on AdvBenchmark."
    assert labels(extract_mentions(text, nlp)) == [("ReVerb20k", "DATASET"), ("FooSet", "DATASET"),
                                                  ("AdvBenchmark", "DATASET")]
    assert extract_mentions("We use datasets such as Twitter posts and Benchmark results.", nlp) == []


def test_names_listed_after_a_technique_head_are_methods(nlp):
    text = "It beats benchmark methods like LibFM and approaches such as STRAP, GNNDelete or FooNet."
    assert labels(extract_mentions(text, nlp)) == [("LibFM", "METHOD"), ("STRAP", "METHOD"),
                                                  ("GNNDelete", "METHOD"), ("FooNet", "METHOD")]
    # a plural class ends the list; "models" list classes and other types as often as models
    assert extract_mentions("It holds for architectures including 2-layer MLPs.", nlp) == []
    assert extract_mentions("We test models such as TRON.", nlp) == []


def test_a_name_given_with_called_it(nlp):
    text = "We release an instruction-tuned model, we called it Malaysian Mistral."
    assert ("Malaysian Mistral", "MODEL") in labels(extract_mentions(text, nlp))
    # one capitalised word after a naming word is a name too, when it stands alone
    text = "We design and implement the first LLM, dubbed Codeditor, to tackle this task."
    assert labels(extract_mentions(text, nlp)) == [("Codeditor", "MODEL")]
    assert extract_mentions("This step is called Gaussian smoothing.", nlp) == []


def test_a_name_the_authors_give_in_the_present(nlp):
    text = "We propose a family of Gaussian process priors, which we call EPGP, such that all samples are exact."
    assert [m.source for m in extract_mentions(text, nlp) if m.text == "EPGP"] == ["introduced:untyped"]
    text = "We learn a value function to guide the policy, a method we name MetricRL."
    assert ("MetricRL", "METHOD") in labels(extract_mentions(text, nlp))
    # "name" and "call" are no naming verbs without "we", nor when what follows is no name
    assert extract_mentions("We call for more work on this.", nlp) == []
    assert extract_mentions("The name Bob is common.", nlp) == []


def test_introduced_and_typed_names(nlp):
    text = ("We introduce ToolQA, a new benchmark for tool use. We also propose CoDA, a framework that "
            "adapts the ReSeT model to new tasks.")
    assert labels(extract_mentions(text, nlp)) == [("ToolQA", "DATASET"), ("CoDA", "METHOD"), ("ReSeT", "MODEL")]


def test_a_known_model_or_architecture_with_a_size_word_is_one_model(nlp):
    text = "With a CLIP model (ViT-Base as image encoder) and Wav2Vec2.0-Large, we beat Swin-Tiny."
    assert labels(extract_mentions(text, nlp)) == [("CLIP", "MODEL"), ("ViT-Base", "MODEL"),
                                                  ("Wav2Vec2.0-Large", "MODEL"), ("Swin-Tiny", "MODEL")]
    # a technique takes no size: "LoRA-XL" is no model
    assert ("LoRA", "METHOD") in labels(extract_mentions("We train a LoRA-XL adapter.", nlp))


def test_model_shapes(nlp):
    text = "We compare Qwen2.5-VL-72B, GritLM 8x7B, OpenMedLM and LLM-based agents."
    assert labels(extract_mentions(text, nlp)) == [("Qwen2.5-VL-72B", "MODEL"), ("GritLM 8x7B", "MODEL"),
                                                  ("OpenMedLM", "MODEL")]
    # at a sentence end too
    assert labels(extract_mentions("We fine-tune FooLlama-13B. It beats FooBERT.", nlp)) == [
        ("FooLlama-13B", "MODEL"), ("FooBERT", "MODEL")]
    # a sentence that ends in math ends there: "SO$_2$. The" is no name before "dataset"
    text = "We impute NO$_2$ and SO$_2$. The dataset has hourly values."
    assert extract_mentions(text, nlp) == []


@pytest.mark.parametrize("text", [
    "Vision-LLMs Can Fool Themselves with Self-Generated Typographic Attacks",
    "Small LLMs Are Weak Tool Learners: A Multi-LLM Agent",
    "We evaluate the correctness of LLM-synthesized code.",
    "Facts that clash magnify the inconsistencies in LLMs-a facet neglected before.",
    "We select examples by SARI, compression ratio and BERT-Precision.",
    "The framework uses a Multi-level Monte Carlo (MLMC) gradient estimator.",
])
def test_a_class_word_in_a_compound_is_no_model_shape(nlp, text):
    assert [m for m in extract_mentions(text, nlp) if m.label == "MODEL"] == []


def test_a_model_stem_ending_a_capital_name_still_counts(nlp):
    text = "We pre-train CCLM and compare it with XLM-R, BERTSUM and BLOOM-7.1B."
    assert labels(extract_mentions(text, nlp)) == [("CCLM", "MODEL"), ("XLM-R", "MODEL"), ("BERTSUM", "MODEL"),
                                                  ("BLOOM-7.1B", "MODEL")]


def test_one_name_before_a_plural_dataset_head_is_a_kind_of_dataset(nlp):
    assert labels(extract_mentions("We use the DocNMT benchmark.", nlp)) == [("DocNMT", "DATASET")]
    assert extract_mentions("We use three widely used DocNMT benchmarks.", nlp) == []
    # after a list the plural head types the name before it
    assert ("BarSet", "DATASET") in labels(extract_mentions("We evaluate on the FooSet and BarSet benchmarks.", nlp))
    # the same in Chinese, told by a count before the name
    assert labels(extract_mentions("我们在DocNMT基准测试上评估。", nlp)) == [("DocNMT", "DATASET")]
    assert extract_mentions("我们使用三个广泛使用的DocNMT基准测试。", nlp) == []
    assert labels(extract_mentions("我们通过两个实验展示了FooRAG的基准测试。", nlp)) == [("FooRAG", "DATASET")]


def test_description_runs_before_head_nouns_are_not_names(nlp):
    text = ("Extending State-of-the-Art ASR models is hard. Such AI frameworks use a Chinese LLM benchmark and "
            "Swiss-German datasets, and LLM-Generated text fools the MovieLens dataset.")
    assert labels(extract_mentions(text, nlp)) == [("ASR", "TASK"), ("MovieLens", "DATASET")]
    # after "a"/"an" an all-capital word names a kind of thing; a coined name stays one
    text = "We created an EEG dataset, a PSPACE algorithm and a C2C system, and propose a LegalDuet model."
    assert labels(extract_mentions(text, nlp)) == [("LegalDuet", "MODEL")]


def test_introduced_names_stop_at_a_bracketing_dash_and_keep_hyphenated_words(nlp):
    text = ("We propose a method called Locally Linear Embedding with Intra-class Neighborhood Constraint for "
            "verbalizers. This paper proposes QDyLoRA -Quantized Dynamic Low-Rank Adaptation-, a method.")
    assert labels(extract_mentions(text, nlp)) == [
        ("Locally Linear Embedding with Intra-class Neighborhood Constraint", "METHOD"), ("QDyLoRA", "METHOD")]


def test_named_noun_and_coordinated_list_give_the_type(nlp):
    from kg.pipeline import extract_papers

    text = ("The trained BERT model, namely TrackingBERT, offers detector module embeddings. "
            "In tests using the MovieLen-1M and Book-Crossing datasets, KGLN improves AUC.")
    (record,) = extract_papers([Paper("2402.10239", title_en="A title", abstract_en=text)], nlp=nlp)
    got = labels(record.mentions)
    assert ("TrackingBERT", "MODEL") in got and ("MovieLen-1M", "DATASET") in got


def test_a_name_followed_by_an_apposition_takes_its_head_type(nlp):
    text = "This report describes the development of WangchanLion, an instruction fine-tuned model for Thai."
    assert ("WangchanLion", "MODEL") in labels(extract_mentions(text, nlp))
    # an all-capital word is no name here: the acronym rules decide
    text = "The controller follows MDP, a model composed of the automaton and the environment."
    assert labels(extract_mentions(text, nlp)) == []


def test_an_opening_phrase_closed_by_a_comma_is_no_apposition(nlp):
    from kg.pipeline import extract_papers

    text = ("In this work, we make meta learning practical by introducing SAMA, which combines two advances. "
            "Evaluated on multiple large-scale meta learning benchmarks, SAMA showcases a 1.7x speed-up. "
            "By compiling a benchmark, UnknownBench, which holds unanswerable questions, we test LLMs.")
    (record,) = extract_papers([Paper("2310.05674", title_en="A title", abstract_en=text)], nlp=nlp)
    got = set(labels(record.mentions))
    assert ("SAMA", "METHOD") in got and ("SAMA", "DATASET") not in got
    assert ("UnknownBench", "DATASET") in got


def test_a_title_is_one_sentence_for_apposition():
    from kg.pipeline import extract_papers

    paper = Paper("2211.11093", title_en="[RE]VER: A Unified Model for Verbalizing Entities and Relations")
    (record,) = extract_papers([paper])
    assert [(m.text, m.label, m.sentence) for m in record.mentions] == [
        ("[RE]VER", "MODEL", "[RE]VER: A Unified Model for Verbalizing Entities and Relations")]


def test_names_others_proposed_are_not_this_papers(nlp):
    text = "Existing studies have proposed Best-of-Both-Worlds (BoBW) algorithms. We propose ZetaNet, a method."
    from kg.records import Role
    from kg.roles import mention_roles

    ms = extract_mentions(text, nlp)
    assert ("ZetaNet", "introduced") in [(m.text, m.source) for m in ms]
    (bobw,) = [m for m in ms if m.text == "Best-of-Both-Worlds"]
    assert bobw.label == "METHOD" and bobw.source != "introduced" and Role.PROPOSES not in mention_roles(bobw)


@pytest.mark.parametrize("title, long_form", [
    ("PRSA: Prompt Reverse Stealing Attacks against Large Language Models", "Prompt Reverse Stealing Attacks"),
    # each letter opening a word beats the shortest match ("Membership Inference Attacks Through")
    ("MIST: Defending Against Membership Inference Attacks Through Membership-Invariant Subspace Training",
     "Membership-Invariant Subspace Training"),
])
def test_a_title_acronym_is_paired_with_its_long_form(title, long_form):
    from kg.pipeline import extract_papers

    (record,) = extract_papers([Paper("2311.00919", title_en=title)])
    assert record.acronyms == ((title.split(":")[0], long_form),)


def test_titles_that_describe_are_not_names():
    from kg.pipeline import extract_papers

    titles = ["Transferability of Graph Neural Networks using Graphon and Sampling Theories",
              "TRIALSCOPE A Unifying Causal Framework for Scaling Real-World Evidence Generation",
              "Scalable Qualitative Coding with LLMs: Chain-of-Thought Reasoning Matches Human Performance",
              "OpsEval: A Comprehensive Task-Oriented AIOps Benchmark for Large Language Models",
              "Efficiently Aligned Cross-Lingual Transfer Learning for Conversational Tasks",
              "Dynamics of Instruction Tuning: Each Ability of Large Language Models Has Its Own Growth Pace",
              "Inversion of Bayesian Networks",
              "Guiding Pseudo-labels with Uncertainty Estimation for Source-free Unsupervised Domain Adaptation",
              # a name before the colon with a description beside it: only the name
              "mCPT at SemEval-2023 Task 3: Multilingual Label-Aware Contrastive Pre-Training of Transformers",
              "Medical Image Segmentation with InTEnt: Integrated Entropy Weighting for Test-Time Adaptation"]
    papers = [Paper(f"2401.0000{k}", title_en=t) for k, t in enumerate(titles)]
    got = [[m.text for m in record.mentions if m.source in ("title", "introduced")] for record in extract_papers(papers)]
    assert got == [[], [], [], ["OpsEval"], [], [], [], [], ["mCPT"], ["InTEnt"]]


def test_one_word_opening_a_title_is_a_name_unless_it_says_what_kind_of_paper():
    from kg.pipeline import extract_papers

    titles = ["Aligner: Achieving Efficient Alignment through Weak-to-Strong Correction",
              "r-softmax: Generalized Softmax with Controllable Sparsity Rate",
              "Multi: Multimodal Understanding Leaderboard with Text and Images",
              "Short: Benchmarking transferable adversarial attacks",
              "Survey: Transformer based video-language pre-training"]
    papers = [Paper(f"2401.0000{k}", title_en=t) for k, t in enumerate(titles)]
    got = [[(m.text, m.label) for m in record.mentions if m.source == "title"] for record in extract_papers(papers)]
    assert got == [[("Aligner", "METHOD")], [("r-softmax", "METHOD")], [("Multi", "DATASET")], [], []]


def test_a_name_found_once_is_found_again_and_typed_where_the_paper_says_what_it_is():
    from kg.pipeline import extract_papers
    from kg.records import Role
    from kg.roles import mention_roles

    paper = Paper("2303.12060", title_en="VideoXum: Cross-modal Visual and Textural Summarization of Videos",
                  abstract_en="VideoXum is a large-scale human-annotated dataset of videos. We build VideoXum "
                              "from ActivityNet.")
    (record,) = extract_papers([paper])
    found = sorted((m.field, m.start, m.label, m.source, Role.PROPOSES in mention_roles(m))
                   for m in record.mentions if m.text == "VideoXum")
    assert found == [("abstract_en", 0, "DATASET", "repeat", False),  # typed by "is a ... dataset"
                     ("abstract_en", 70, "DATASET", "introduced", True),
                     ("title_en", 0, "DATASET", "title", True)]


def test_a_known_name_inside_a_defined_long_form_is_part_of_it():
    from kg.pipeline import extract_papers

    paper = Paper("2302.10724", abstract_en="We study Chat Generative Pre-trained Transformer (ChatGPT) on tasks.")
    (record,) = extract_papers([paper])
    assert "Transformer" not in [m.text for m in record.mentions]


def test_a_known_name_inside_the_papers_own_name_is_part_of_it():
    from kg.pipeline import extract_papers

    # the Chinese text glues no space around the name, so the lexicon would read "WAE" (Wasserstein autoencoder)
    # in it; the name the English defines is the whole of it, and "Mistral" is part of "Malaysian Mistral" everywhere
    paper = Paper("2303.12558", title_en="A title",
                  abstract_en="We introduce Wasserstein auto-encoded MDP (WAE-MDP), a latent space model. "
                              "We release Malaysian Mistral, a new model. Malaysian Mistral beats GPT-4.",
                  abstract_zh="我们引入了Wasserstein自编码MDP（WAE-MDP），这是一种潜在空间模型。")
    (record,) = extract_papers([paper])
    zh = [m.text for m in record.mentions if m.field == "abstract_zh"]
    assert "WAE-MDP" in zh and "WAE" not in zh
    names = [m.text for m in record.mentions]
    assert names.count("Malaysian Mistral") == 2 and "Mistral" not in names and "GPT-4" in names


def test_lexicon_forms_belong_to_one_entry():
    """No spelling of one entry is another entry's spelling once normalised, and none normalises to a plain word:
    when `match_key` dropped Greek letters, "Π-model" read as "model" and typed every long form ending in it."""
    owners = {}
    for entry in load_lexicon():
        for form in entry.surface_forms:
            owners.setdefault(match_key(form), set()).add(entry.id)
    shared = {key: ids for key, ids in owners.items() if len(ids) > 1}
    assert set(shared) <= {"mae"}  # masked autoencoder and mean absolute error: both written MAE, case decides
    assert not {"model", "bench", "greedy", "expansion", "sampling", "p", "0"} & set(owners)
    # nor does an entry name another of its type once the plural head is folded, as resolution folds it
    # ("physics-informed neural networks" was an entry beside "physics-informed neural network")
    folded = {}
    for entry in load_lexicon():
        folded.setdefault((entry.type, type_key(entry.type, entry.name)), []).append(entry.name)
    assert [names for names in folded.values() if len(names) > 1] == []


def test_chinese_names_with_cue_words(nlp):
    text = "我们构建了AS-V2数据集，并提出名为ReCoT的框架，在CRPE基准上超过LLaVA-1.5。"
    assert labels(extract_mentions(text, nlp)) == [("AS-V2", "DATASET"), ("ReCoT", "METHOD"),
                                                  ("CRPE", "DATASET"), ("LLaVA-1.5", "MODEL")]
    assert extract_mentions("使用了32.6GB的数据集和7B模型。", nlp) == []  # sizes, not names
    # a short all-caps field or task before 模型 is a kind of model, as "SSL models" is in English
    assert labels(extract_mentions("现有SSL模型和SRS模型不如SpeechLM模型。", nlp)) == [("SpeechLM", "MODEL")]


def test_a_chinese_technique_glued_to_a_modifier_is_a_piece_of_a_bigger_name(nlp):
    # Chinese writes no spaces: a word right before the name that is no particle or verb modifies it
    assert labels(extract_mentions("我们通过近端梯度下降求解，并提出潜变量高斯过程。", nlp)) == []
    assert labels(extract_mentions("我们使用梯度下降和高斯过程，基于图分类任务。", nlp)) == [
        ("梯度下降", "METHOD"), ("高斯过程", "METHOD"), ("图分类", "TASK")]
    # a Latin name in Chinese text keeps its own word boundaries
    assert labels(extract_mentions("我们改进了分层Actor-Critic。", nlp)) == [("Actor-Critic", "METHOD")]
    # an adjective before a cue word names no thing: "FCI-like方法" is the known FCI at most, never "FCI-like"
    assert labels(extract_mentions("我们提出FCI-like方法和Rubik-like模型。", nlp)) == [("FCI", "METHOD")]
    # ... and a Latin word glued by a hyphen to Chinese is the tail of a mixed name: 句子-BERT is Sentence-BERT
    assert labels(extract_mentions("它们的嵌入与句子-BERT（SBERT）等传统编码模型不同。", nlp)) == [("SBERT", "MODEL")]


def test_a_collected_dataset_is_introduced(nlp):
    assert labels(extract_mentions("We collect DREsS_New, a real-classroom dataset with 1.7K essays.", nlp)) == [
        ("DREsS_New", "DATASET")]


def test_corpus_is_a_singular_head(nlp):
    # "corpus" ends in "s" but is one dataset: the name before it is typed as before "dataset"
    assert labels(extract_mentions("We test on the SQuAD-X corpus.", nlp)) == [("SQuAD-X", "DATASET")]
    assert labels(extract_mentions("Our new corpus, Raven, is big.", nlp)) == [("Raven", "DATASET")]


def test_two_capitals_before_a_dataset_head_name_a_field(nlp):
    assert extract_mentions("Results on the DR benchmark are weak.", nlp) == []
    assert extract_mentions("我们在KG数据集上实验。", nlp) == []
    assert labels(extract_mentions("我们在XSGD数据集上实验。", nlp)) == [("XSGD", "DATASET")]


def test_a_data_modality_or_a_kind_is_no_dataset_name(nlp):
    for text in ["We recorded an EEG dataset and used the diverse-source MRI dataset.", "这是与其他流行的EHR数据集不同的。",
                 "与其他流行的FooRecords数据集不同，它是纵向的。"]:
        assert [m for m in extract_mentions(text, nlp) if m.label == "DATASET"] == []
    # a class word before a cued name is not part of it
    text = "我们提供了首个全面评估33种语言的生成LLMs MEGA的基准测试。"
    assert labels(extract_mentions(text, nlp)) == [("MEGA", "DATASET")]


def test_a_describing_adjective_opens_no_typed_name(nlp):
    assert extract_mentions("Traditional SR methods may fail to find the expression.", nlp) == []
    assert labels(extract_mentions("Existing FooSR methods fail; the FooSR method is slow.", nlp)) == [
        ("FooSR", "METHOD")]


def test_an_adjective_before_a_head_is_no_typed_name(nlp):
    text = "We propose a simple graph-reinforced MLP-Like architecture, named GraphMLP, for 3D poses."
    assert labels(extract_mentions(text, nlp)) == [("GraphMLP", "METHOD")]


def test_an_adjective_is_no_name_after_a_separator_nor_a_shape(nlp):
    text = "We introduce a new and more effective attack: Self-Generated typographic attacks."
    assert extract_mentions(text, nlp) == []
    assert labels(extract_mentions("We discuss Transformer-related operators.", nlp)) == [("Transformer", "METHOD")]


def test_a_possessive_owner_is_no_part_of_a_typed_name(nlp):
    assert labels(extract_mentions("On LOCG's Torchdata-Code dataset, CAPIR wins.", nlp)) == [
        ("Torchdata-Code", "DATASET")]
    assert extract_mentions("This harms VFL's framework.", nlp) == []
    # nor is a bracket left open by an acronym
    assert "ANN)-based" not in [m.text for m in extract_mentions("Work on neural network (ANN)-based algorithms.", nlp)]


def test_word_cut_by_truncation_is_never_an_entity(nlp):
    paper = Paper("2401.00001", title_en="A title", abstract_en="We evaluate GPT-4 and LLaVA-1.5 against LLa",
                  truncated=True)
    from kg.pipeline import extract_corpus

    entities, links, *_ = extract_corpus([paper], nlp=nlp)
    assert sorted(e.name for e in entities if any(l.entity_key == e.key for l in links)) == ["GPT-4", "LLaVA-1.5"]
    assert [t[0] for t in paper_texts(paper)] == ["title_en", "abstract_en"]


def test_setting_words_make_a_variant_name_describing_words_do_not(nlp):
    text = ("We use few-shot chain-of-thought prompting for Source-free Domain Generalization and "
            "state-of-the-art speech recognition.")
    assert labels(extract_mentions(text, nlp)) == [("few-shot chain-of-thought prompting", "METHOD"),
                                                  ("Source-free Domain Generalization", "TASK"),
                                                  ("speech recognition", "TASK")]
    (variant,) = [m for m in extract_mentions("We apply multi-objective Bayesian optimisation.", nlp)]
    assert variant.source == "variant"  # its own name, not the lexicon entry it varies


def test_a_hyphenated_word_before_a_technique_makes_a_variant_name(nlp):
    text = "In source-contrastive decoding, we tune step sizes by hyper-gradient descent and study PO-RLHF."
    mentions = extract_mentions(text, nlp)
    assert labels(mentions) == [("source-contrastive decoding", "METHOD"), ("hyper-gradient descent", "METHOD"),
                                ("PO-RLHF", "METHOD")]
    assert {m.source for m in mentions} == {"variant"}
    assert labels(extract_mentions("Results of VQ-MAE on speech.", nlp)) == [("VQ-MAE", "METHOD")]
    # the compound goes on after the hit: "VQ-MAE" is not a name in "VQ-MAE-S"; the plain hit stays
    assert labels(extract_mentions("Results of VQ-MAE-S on speech.", nlp)) == [("MAE", "METHOD")]
    # in Chinese text the prefix is the Latin run only
    assert labels(extract_mentions("我们为PO-RLHF提供了界限。", nlp)) == [("PO-RLHF", "METHOD")]


def test_capitalised_words_before_a_technique_make_a_variant_name(nlp):
    text = ("We compare Dynamic LoRA with LoRA and train a Linear Transformer. Then Bayesian active learning "
            "picks points for Chinese instruction tuning.")
    assert labels(extract_mentions(text, nlp)) == [("Dynamic LoRA", "METHOD"), ("LoRA", "METHOD"),
                                                  ("Linear Transformer", "METHOD"), ("Bayesian active learning", "METHOD"),
                                                  ("instruction tuning", "METHOD")]
    # the sentence's first word and a word of another name are no modifiers; titles are all capitalised
    assert {m.source for m in extract_mentions("We compare Dynamic LoRA.", nlp)} == {"modified"}
    # a rule that names the same words keeps them: the paper introduces the name
    (named,) = extract_mentions("We present Frame Semantic Transformer, an open-source Python library.", nlp)
    assert (named.text, named.source) == ("Frame Semantic Transformer", "introduced")
    assert labels(extract_mentions("Dynamic LoRA helps. A Vision Transformer model helps.", nlp)) == [
        ("LoRA", "METHOD"), ("Vision Transformer", "METHOD")]
    from kg.pipeline import extract_papers
    (record,) = extract_papers([Paper("2401.00001", title_en="Why Adam Beats Gradient Descent")], nlp=nlp)
    assert sorted(m.text for m in record.mentions) == ["Adam", "Gradient Descent"]


def test_a_metric_glued_by_a_hyphen_is_an_adjective(nlp):
    text = "We train full-precision weights with high-accuracy labels and report precision and recall."
    assert labels(extract_mentions(text, nlp)) == [("precision", "METRIC"), ("recall", "METRIC")]


def test_glued_acronym_and_hyphenated_two_word_terms(nlp):
    text = "The sparsity revealed by singular value decomposition(SVD) helps question-answering."
    assert labels(extract_mentions(text, nlp)) == [("singular value decomposition", "METHOD"),
                                                  ("SVD", "METHOD"), ("question-answering", "TASK")]
    # a link glued to a name is split off the same way, so the head noun before it still types the name
    text = "To bridge this gap, we present the BubbleML Dataset(https://github.com/HPCForge/BubbleML) for it."
    assert labels(extract_mentions(text, nlp)) == [("BubbleML Dataset", "DATASET")]


def test_a_closing_bracket_glued_to_the_next_word_is_split_off(nlp):
    text = "We design a federated learning (FL)-based system. We use Invertible Networks (INN).The INN is small."
    assert [m.text for m in extract_mentions(text, nlp) if m.label == "METHOD"] == [
        "federated learning", "FL", "Invertible Networks", "INN"]


def test_a_slash_between_two_versions_leaves_the_first_a_name(nlp):
    text = "The language models GPT-3/3.5, bart and DeBERTaV3 are evaluated. We test on CIFAR-10/100."
    assert labels(extract_mentions(text, nlp)) == [("GPT-3", "MODEL"), ("DeBERTaV3", "MODEL"), ("CIFAR-10", "DATASET")]
    # a fraction is one word still
    assert [t.text for t in nlp("About 2/3 of 10/100 runs.")] == ["About", "2/3", "of", "10/100", "runs", "."]


def test_a_capitalised_named_is_no_naming_word_and_a_list_item_is_not_introduced(nlp):
    text = "We present the winning solution of Bangla Complex Named Entity Recognition Challenge."
    assert labels(extract_mentions(text, nlp)) == [("Named Entity Recognition", "TASK")]
    text = "This paper presents a novel approach to assist students with dyslexia, ADHD, and short attention span."
    assert extract_mentions(text, nlp) == []
    # an apposition after a head noun may go on with ", and"
    assert labels(extract_mentions("We introduce a new benchmark, FooBench, and test ten LLMs.", nlp)) == [
        ("FooBench", "DATASET")]


def test_an_introduced_name_without_a_type_is_a_method_unless_it_modifies_a_noun(nlp):
    assert labels(extract_mentions("To this end, we develop RetroPrompt with a knowledge store.", nlp)) == [
        ("RetroPrompt", "METHOD")]
    assert extract_mentions("We developed HF risk scores for patients.", nlp) == []
    # nor one glued to an adjective ending: "a novel ANN-based, unsupervised equalizer"
    assert extract_mentions("In this work, we present a novel ANN-based, unsupervised equalizer.", nlp) == []
    # a plural acronym is a class of systems, not one: "we introduce the NTMs for short texts"
    assert extract_mentions("We organize NTM methods and introduce the NTMs for short texts.", nlp) == []


def test_a_noun_in_a_clause_after_the_name_does_not_type_it(nlp):
    # the head is "architecture"; "LLMs" is what the architecture employs
    text = "We introduce TrialGPT, a novel architecture employing LLMs to predict eligibility."
    assert [(m.text, m.label, m.source) for m in extract_mentions(text, nlp)] == [("TrialGPT", "METHOD", "introduced")]
    # "which uses LLM-generated ..." says nothing of what LLM-TTA is: the name is untyped, not typed by "LLM"
    (m,) = extract_mentions("We propose LLM-TTA, which uses LLM-generated augmentations.", nlp)
    assert (m.text, m.source) == ("LLM-TTA", "introduced:untyped")


def test_an_apposition_beyond_the_acronym_types_the_name(nlp):
    text = ("We propose Memory of Amortized Contexts (MAC), an efficient and effective online adaptation "
            "framework for LLMs.")
    assert labels(extract_mentions(text, nlp)) == [("Memory of Amortized Contexts", "METHOD"), ("MAC", "METHOD")]
    # a definition with no head noun of its own is typed by the apposition after it ...
    text = "Results on Whole Slide Image Tokens (WSIT), a new benchmark of 10k slides, are given."
    assert labels(extract_mentions(text, nlp)) == [("Whole Slide Image Tokens", "DATASET"), ("WSIT", "DATASET")]
    # ... and an untyped one stays out
    assert extract_mentions("Knowledge about heart failure (HF) is scarce.", nlp) == []
    # a head noun right after the definition types it, but "model" does not ("the entity-relationship (ER) model")
    assert labels(extract_mentions("We devise a lightweight Gaussian-based Contrastive Grounding (GCG) module.",
                                   nlp)) == [("Gaussian-based Contrastive Grounding", "METHOD"), ("GCG", "METHOD")]
    assert extract_mentions("Tables follow the entity-relationship (ER) model.", nlp) == []


def test_a_definition_is_typed_by_the_lexicon_name_closing_it_before_its_head_word(nlp):
    # "analysis" heads techniques, but "sentiment analysis" is a task the lexicon lists
    text = "Multimodal Sentiment Analysis (MSA) is studied here."
    assert labels(extract_mentions(text, nlp)) == [("Multimodal Sentiment Analysis", "TASK"), ("MSA", "TASK")]
    # past "for" the head of what comes before wins, as before
    text = "We propose Equivariant Contrastive Learning for Sequential Recommendation (ECL-SR)."
    assert {label for _, label in labels(extract_mentions(text, nlp))} == {"METHOD"}


def test_a_venue_defined_with_its_acronym_is_no_entity(nlp):
    assert extract_mentions("In 2023, the International Conference on Machine Learning (ICML) asked authors to rank "
                            "their submissions.", nlp) == []
    assert extract_mentions("Answers to New England Journal of Medicine (NEJM) Image Challenges.", nlp) == []


def test_a_known_acronym_the_paper_defines_as_something_else_is_not_the_known_entity(nlp):
    from kg.pipeline import extract_papers

    paper = Paper("2307.14581", title_en="FCM for leukemia",
                  abstract_en="In Flow CytoMetry (FCM) data analysis, FCM is costly. "
                              "We also use quantization and Low Rank Adapters (QLoRA).")
    (record,) = extract_papers([paper], nlp=nlp)
    texts = {m.text for m in record.mentions}
    assert "FCM" not in texts  # the lexicon's FCM is fuzzy c-means
    assert "QLoRA" in texts  # a long form sharing a word with the entry's is the same thing
    # one shared word ("training") is not the same thing: the paper's MERT is its model, not minimum error rate
    # training, and takes the type of its long form
    paper = Paper("2306.00107", title_en="MERT: Acoustic Music Understanding Model with Large-Scale Self-supervised "
                  "Training", abstract_en="We propose an acoustic Music undERstanding model with large-scale "
                  "self-supervised Training (MERT), which uses teacher models.")
    (record,) = extract_papers([paper], nlp=nlp)
    found = {(m.text, m.label, m.source) for m in record.mentions if m.field == "abstract_en"}
    assert found == {("Music undERstanding model with large-scale self-supervised Training", "MODEL", "acronym"),
                     ("MERT", "MODEL", "acronym")}


def test_a_short_form_defined_as_a_class_of_things_names_no_entity(nlp):
    from kg.extract import find_class_acronyms
    from kg.pipeline import extract_papers

    text = ("Speech language models (SpeechLMs) process acoustic data only. SpeechLM training is slow. "
            "Graph convolutional networks (GCNs) help. We use a GCN.")
    assert find_class_acronyms(nlp(text), load_lexicon()) == ["SpeechLMs", "GCNs"]
    # the name shape alone would make "SpeechLM" a model; the curated GCN stays
    assert labels(extract_mentions(text, nlp)) == [
        ("Graph convolutional networks", "METHOD"), ("GCNs", "METHOD"), ("GCN", "METHOD")]
    # across the paper's texts: the Chinese text's "SRS方法" is the class the English abstract defines
    paper = Paper("2403.11136", title_en="A Study of Data Augmentation in Sequential Recommendation",
                  abstract_en="Sequential recommender systems (SRS) predict users' future behaviors. "
                              "We evaluate eight data augmentation strategies for SRS.",
                  abstract_zh="我们评估了八种数据增强策略，以及最先进的基于CL的SRS方法。")
    (record,) = extract_papers([paper], nlp=nlp)
    assert "SRS" not in {m.text for m in record.mentions}
    assert "data augmentation" in {m.text for m in record.mentions}


def test_a_name_set_off_by_commas_after_a_head_noun(nlp):
    assert labels(extract_mentions("Our tool-equipped model, Raven, improves by 35.2%.", nlp)) == [
        ("Raven", "MODEL")]
    assert extract_mentions("We train the model, However, it fails.", nlp) == []


def test_a_part_of_a_defined_long_form_is_no_entity_of_its_own(nlp):
    from kg.pipeline import extract_papers

    paper = Paper("2402.04146", title_en="Data Fusion Through Latent Variable Gaussian Process",
                  abstract_en="A framework based on Latent Variable Gaussian Process (LVGP) is proposed. "
                              "Adaptive retrieval-augmented generation (ARAG) decides when to retrieve.",
                  abstract_zh="提出了基于潜变量高斯过程（LVGP）的数据融合框架。")
    (record,) = extract_papers([paper], nlp=nlp)
    assert sorted({(m.text, m.label) for m in record.mentions}) == [
        ("ARAG", "METHOD"), ("Adaptive retrieval-augmented generation", "METHOD"), ("LVGP", "METHOD"),
        ("Latent Variable Gaussian Process", "METHOD")]
    # with the English abstract cut off, the Chinese text may be the only trace of a name
    cut = Paper("2402.04146", abstract_en="A framework based on", truncated=True, abstract_zh="使用高斯过程。")
    chinese_only = Paper("2402.04147", title_en="A title", abstract_zh="使用高斯过程。")
    for record in extract_papers([cut, chinese_only], nlp=nlp):
        assert [m.text for m in record.mentions] == ["高斯过程"]
    # ... unless the cut English still gives the bigger name it is a piece of
    cut_with_name = Paper("2402.04146", abstract_en="A framework based on Latent Variable Gaussian Process (LVGP) is",
                          truncated=True, abstract_zh="提出了基于潜变量高斯过程（LVGP）的数据融合框架。")
    (record,) = extract_papers([cut_with_name], nlp=nlp)
    assert "高斯过程" not in {m.text for m in record.mentions}
    assert "Latent Variable Gaussian Process" in {m.text for m in record.mentions}


def test_a_chinese_hit_is_a_piece_of_a_bigger_english_name_only_by_whole_words():
    from kg.pipeline import drop_untold_translations
    from kg.records import Mention

    def m(text, field, source):
        return Mention(text, 0, len(text), "METHOD", 0.9, text, source, field, 0)

    zh = m("GAN", "abstract_zh", "lexicon:METHOD:GAN")
    kept = drop_untold_translations([m("OrGANs", "abstract_en", "acronym"), zh], complete=False)
    assert zh in kept
    dropped = drop_untold_translations([m("Conditional GAN", "abstract_en", "acronym"), zh], complete=False)
    assert zh not in dropped


def test_train_and_source_the_recogniser(tmp_path, nlp):
    """`kg train` on a tiny set: the saved recogniser loads into the PaperKG pipeline and yields typed spans."""
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.nlp import load

    out = tmp_path / "ner"
    result = CliRunner().invoke(cli, ["train", str(FIXTURES / "cnchat_old_era.md"), str(FIXTURES / "papers.jsonl"),
                                      "-o", str(out), "--steps", "30"])
    assert result.exit_code == 0, result.output
    with_ner = load(ner_path=str(out))
    assert "kg_ner" in with_ner.pipe_names and "kg_ner" not in nlp.pipe_names
    assert set(with_ner.get_pipe("kg_ner").labels) <= {"MODEL", "DATASET", "METHOD", "TASK", "METRIC"}
    doc = with_ner("We fine-tune BERT and T5 on FrameNet 1.7.")
    assert all(s.label_ in {"MODEL", "DATASET", "METHOD", "TASK", "METRIC"} for s in doc.spans["kg"])


def test_lowercase_techniques_a_paper_introduces(nlp):
    from kg.records import Role
    from kg.roles import mention_roles

    text = "In this work, we propose a null-input prompting method to calibrate the bias of pre-trained LMs."
    (m,) = extract_mentions(text, nlp)
    assert (m.text, m.label) == ("null-input prompting", "METHOD") and Role.PROPOSES in mention_roles(m)
    assert labels(extract_mentions("We introduce piecewise normalizing flows which divide the target.", nlp)) == [
        ("piecewise normalizing flows", "METHOD")]
    assert labels(extract_mentions("We introduce two options called the trainable flipping difference layer.",
                                   nlp)) == [("trainable flipping difference layer", "METHOD")]
    # descriptions, someone else's proposal, a naming word without this paper's verb: no name
    assert extract_mentions("We propose a simple two-stage method to solve it.", nlp) == []
    assert extract_mentions("Prior work has proposed a null-input prompting method.", nlp) == []
    assert extract_mentions("They can be prompted; this is called hard prompting here.", nlp) == []
    assert extract_mentions("Earlier work had proposed two options called the trainable flipping difference layer.",
                            nlp) == []


def test_a_lowercase_term_the_paper_introduces_with_an_apposition_saying_what_it_is(nlp):
    from kg.records import Role
    from kg.roles import mention_roles

    text = "We introduce relational acyclification, an operation specifically designed for relational models."
    (m,) = extract_mentions(text, nlp)
    assert (m.text, m.label) == ("relational acyclification", "METHOD") and Role.PROPOSES in mention_roles(m)
    # one word will do; past font markup and an acronym in brackets
    assert labels(extract_mentions("We introduce geoadaptation, an intermediate training step.", nlp)) == [
        ("geoadaptation", "METHOD")]
    assert ("symbolic autoencoding", "METHOD") in labels(extract_mentions(
        "Addressing this issue, we introduce \\textit{symbolic autoencoding} ($\\Sigma$AE), a self-supervised "
        "framework that harnesses unparallel data.", nlp))
    # without the apposition, or after someone else's verb, a lowercase word is no name
    assert extract_mentions("We introduce geoadaptation to the models.", nlp) == []
    assert extract_mentions("Prior work has introduced geoadaptation, an intermediate training step.", nlp) == []


@pytest.mark.parametrize("text, kind", [
    ("We propose a novel data pruning algorithm, Prune4Rel, that finds a subset.", "data pruning"),
    ("We introduce a novel structure pruning method, termed as dynamic structure pruning, for CNNs.",
     "structure pruning"),
])
def test_a_technique_the_paper_names_next_is_used_not_proposed(nlp, text, kind):
    from kg.records import Role
    from kg.roles import mention_roles

    (m,) = [m for m in extract_mentions(text, nlp) if m.text == kind]
    assert m.source == "kind" and mention_roles(m) == {Role.USES}


def test_a_quantifier_is_no_part_of_an_introduced_technique_and_proposed_by_names_people(nlp):
    assert labels(extract_mentions("We propose several graph reconstruction attacks on GNNs.", nlp)) == [
        ("graph reconstruction attacks", "METHOD")]
    text = "It is a generalization of the dimension proposed by Alon, Ben-David, Cesa-Bianchi and Haussler."
    assert extract_mentions(text, nlp) == []


def test_the_technique_a_title_works_by():
    from kg.pipeline import extract_papers

    titles = ["Self-supervised Meta-Prompt Learning with Meta-Gradient Regularization for Few-shot Generalization",
              "Clustering Inductive Biases with Unrolled Networks",
              "Scaling Up Dataset Distillation to ImageNet-1K with Constant Memory",
              "Bandits with Mediator Feedback"]
    papers = [Paper(f"2401.0000{k}", title_en=t) for k, t in enumerate(titles)]
    got = [[(m.text, m.label, m.source) for m in record.mentions if m.source == "title"]
           for record in extract_papers(papers)]
    assert got == [[("Meta-Gradient Regularization", "METHOD", "title")], [], [], []]


def test_loss_and_layer_long_forms_are_methods():
    assert type_from_head("Pseudo-Semantic Loss") == type_from_head("trainable dynamic difference layer") == "METHOD"
    assert type_from_head("Automatic Functional Differentiation") == type_from_head("Radon Transform") == "METHOD"
    assert type_from_head("Subobject-level Image Tokenization") == "METHOD"
    assert type_from_head("Mass Conserving Perceptron") == type_from_head("shortest-path graph kernel") == "METHOD"


def test_a_name_introduced_as_the_base_of_the_proposal_is_not_introduced(nlp):
    # the long form ends in a known head, but the paper proposes a model built on it
    text = "We propose a Multi-layer Perceptron (MLP) based encoder-decoder model for forecasting."
    assert [m.text for m in extract_mentions(text, nlp) if m.source.startswith("introduced")] == []
    text = "Here we propose a physically-interpretable Mass Conserving Perceptron (MCP) as a way to bridge the gap."
    assert [m.source for m in extract_mentions(text, nlp) if m.text == "MCP"] == ["acronym"]


def test_latex_font_markup_around_an_introduced_name(nlp):
    assert labels(extract_mentions("In this study, we propose {\\bf ProAttack}, a novel and efficient method.", nlp)) == [
        ("ProAttack", "METHOD")]
    (m,) = extract_mentions("Here we present \\textbf{OpsEval}, a comprehensive benchmark for LLMs.", nlp)
    assert (m.text, m.label) == ("OpsEval", "DATASET")
    assert [t.text for t in nlp.make_doc("\\texttt{Fed-GraB}")][:2] == ["\\texttt{", "Fed"]


def test_held_out_gold_papers_stay_out_of_the_silver_data(tmp_path):
    import json

    from kg.train import silver_papers

    digest = str(FIXTURES / "cnchat_old_era.md")
    everything = [p.arxiv_id for p in silver_papers([digest])]
    held = tmp_path / "held.jsonl"
    held.write_text(json.dumps({"id": everything[0], "entities": [], "results": []}) + "\n", encoding="utf-8")
    assert len(everything) == 2
    assert [p.arxiv_id for p in silver_papers([digest], exclude=[str(held)])] == everything[1:]
    assert silver_papers([digest], exclude=[str(held)], skip={everything[1]}) == []


def test_doc_text_is_the_docs_text_joined_once(nlp):
    from kg.extract import doc_text

    doc = nlp("We fine-tune Llama-2-7B on  MMLU.")
    assert doc_text(doc) == doc.text and doc.user_data["kg_text"] == (len(doc), doc.text)
    assert doc_text(nlp("Another text.")) == "Another text."


def test_an_acronym_that_spells_a_common_word_matches_only_with_its_case(nlp):
    text = "There did not exist any analyses. We use a DiD design."
    assert labels(extract_mentions(text, nlp)) == [("DiD", "METHOD")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We propose an evolution strategies-based algorithm for estimating gradients in unrolled computation "
         "graphs, called ES-Single.", ("ES-Single", "METHOD")),
        ("We further aid the community by releasing FedZoo-Bench, a suite.", ("FedZoo-Bench", "DATASET")),
        ("In this paper, we propose a semi-supervised learning framework -- SemiDQG, to improve it.",
         ("SemiDQG", "METHOD")),
        ("We thus propose VIDAL-10M with Video, Infrared, Depth and Audio.", ("VIDAL-10M", "METHOD")),
        ("We propose a new mixed-granularity model, MigBERT, for Chinese.", ("MigBERT", "MODEL")),
        ("To overcome these limitations, we derive ADD-THIN, a principled probabilistic denoising diffusion model.",
         ("ADD-THIN", "MODEL")),
        ("We develop an automated hallucination annotation tool, Dreamcatcher, which merges probing.",
         ("Dreamcatcher", "METHOD")),
        # a name right after the noun of its kind, with no comma
        ("To this end, this paper proposes a new feature extractor LSPC.", ("LSPC", "METHOD")),
        ("We propose a novel approach FnCTOD for solving DST with LLMs.", ("FnCTOD", "METHOD")),
        ("We construct a new benchmark RepoEval to test it.", ("RepoEval", "DATASET")),
    ],
)
def test_names_a_paper_introduces(nlp, text, expected):
    assert expected in [(m.text, m.label) for m in extract_mentions(text, nlp) if m.source.split(":")[0] == "introduced"]


def test_a_name_after_its_kind_needs_this_papers_verb_and_a_name_that_stands_alone(nlp):
    for text in ["Prior studies proposed a new feature extractor LSPC.",
                 "We propose a novel MBRL method.",  # an acronym before the head names a kind
                 "We propose a new model GPT-based pipeline.", "We propose a new method LLMs can use."]:
        assert [m.text for m in extract_mentions(text, nlp) if m.source.startswith("introduced")] == []


def test_one_capitalised_word_after_a_comma_is_a_name_only_after_this_papers_verb_and_outside_a_list(nlp):
    for text in ["Prior studies developed a tool, Dreamcatcher, which merges probing.",
                 "We collect questions from exams, covering six disciplines, Art, Business, Science and more."]:
        assert [m.text for m in extract_mentions(text, nlp) if m.source.startswith("introduced")] == []


def test_no_introduced_name_from_a_glued_sentence_or_a_title_gerund():
    from kg.pipeline import extract_papers

    papers = [Paper("2403.07260", abstract_en="We propose a framework for emotion recognition, namely CKERC.We "
                                              "design prompts."),
              Paper("2303.12734", title_en="MultiModal Bias: Introducing a Framework for Stereotypical Bias "
                                           "Assessment beyond Gender")]
    got = [[m.text for m in record.mentions if m.source.split(":")[0] == "introduced"] for record in extract_papers(papers)]
    assert got == [[], []]


@pytest.mark.parametrize("title", [
    "Structured Exploration of Design Space for Code Models",  # "Design" after "of" is a noun
    "On the Design Choices of Instruction Tuning",
    "A Study of Release Practices for Open LLMs",
    "Bayesian Design Principles for Frequentist Sequential Learning",  # a title has no subject for a verb
    "Can Large Language Models Design Accurate Label Functions?",
])
def test_no_introduced_name_after_a_noun_or_from_a_title_verb(title):
    from kg.pipeline import extract_papers

    (record,) = extract_papers([Paper("2310.12953", title_en=title, abstract_en="We study it.")])
    assert [m.text for m in record.mentions if m.source.startswith("introduced")] == []


def test_no_introduced_name_cut_inside_a_hyphenated_word_by_the_length_limit(nlp):
    # ten tokens end at "Co" of "Co-Creation": no name at all beats "... for Human-AI Co"
    text = "We present Joint Exploration of Design Space for Human-AI Co-Creation."
    assert [m.text for m in extract_mentions(text, nlp) if m.source.startswith("introduced")] == []


@pytest.mark.parametrize(
    "text, name",
    [
        ("mCPT at SemEval-2023 Task 3: Contrastive Pre-Training", "SemEval-2023 Task 3"),
        ("Description and Discussion on DCASE 2023 Challenge Task 2: Anomalous Sound Detection", "DCASE 2023 Challenge Task 2"),
        ("Our system participated in the WASSA 2023 Shared Task (3) of Emotion Classification.", "WASSA 2023 Shared Task (3)"),
        ("DSTC11-Track2 aims to provide a benchmark for intent induction.", "DSTC11-Track2"),
    ],
)
def test_a_shared_task_is_a_dataset_named_in_full(nlp, text, name):
    assert (name, "DATASET") in labels(extract_mentions(text, nlp))


def test_a_bare_venue_goes_where_the_paper_names_its_shared_task():
    from kg.pipeline import extract_papers

    paper = Paper("2303.09901", title_en="mCPT at SemEval-2023 Task 3: Contrastive Pre-Training",
                  title_zh="SemEval-2023任务3上的mCPT：对比预训练")
    (record,) = extract_papers([paper])
    assert {m.text for m in record.mentions if m.label == "DATASET"} == {"SemEval-2023 Task 3"}


def test_a_chinese_name_starting_with_digits_is_whole(nlp):
    assert ("3D-MoLM", "MODEL") in labels(extract_mentions("提出了一个名为3D-MoLM的模型。", nlp))
    assert "MoLM" not in [m.text for m in extract_mentions("提出了一个名为3D-MoLM的模型。", nlp)]


def test_a_modifier_after_a_proposing_verb_is_no_name_when_the_name_follows(nlp):
    text = "We curated a 3D molecule-centric instruction tuning dataset -- 3D-MoIT. Through alignment we win."
    introduced = [(m.text, m.label) for m in extract_mentions(text, nlp) if m.source.split(":")[0] == "introduced"]
    assert introduced == [("3D-MoIT", "DATASET")]
    # the name that follows must be in the same sentence
    text = "Some patients developed HF after cancer. The LLM, GatorTron-3.9B, achieved the best F1 scores."
    assert [m.text for m in extract_mentions(text, nlp) if m.source.split(":")[0] == "introduced"] == []


def test_a_chinese_model_or_benchmark_cue_does_not_outrank_a_definition():
    from kg.pipeline import extract_papers

    paper = Paper("2311.01139", abstract_en="Autoregressive neural networks within the temporal point process (TPP) "
                                            "framework have become the standard.",
                  abstract_zh="在密度估计方面与最先进的TPP模型相匹配。")
    (record,) = extract_papers([paper])
    assert {m.label for m in record.mentions if m.text in ("TPP", "temporal point process")} == {"METHOD"}
    # "表格HPO基准": benchmarks of hyperparameter optimization, not a benchmark named HPO
    paper = Paper("2212.06751", abstract_en="Hyperparameter optimization (HPO) is a vital step in deep learning.",
                  abstract_zh="我们展示了我们的方法在表格HPO基准上加速了MO-TPE。")
    (record,) = extract_papers([paper])
    assert {m.label for m in record.mentions if m.text in ("HPO", "Hyperparameter optimization")} == {"METHOD"}


def test_a_latin_name_only_in_the_translation_of_a_complete_abstract_is_dropped():
    from kg.pipeline import extract_papers

    paper = Paper("2302.10724", abstract_en="OpenAI has released the Chat Generative Pre-trained Transformer (ChatGPT).",
                  abstract_zh="OpenAI 推出了聊天生成预训练 Transformer（ChatGPT）。")
    (record,) = extract_papers([paper])
    assert "Transformer" not in [m.text for m in record.mentions]


def test_a_latex_tie_is_a_space():
    from kg.parse.common import clean

    assert clean("the Generative Pretrained Transformer~(GPT) family, HD~209458 b, ~10k") == (
        "the Generative Pretrained Transformer (GPT) family, HD 209458 b, ~10k")


def test_a_latex_accent_is_the_letter_it_writes():
    from kg.parse.common import clean

    assert clean(r"the Schr\"odinger bridge, Fr\'echet trees, M{\"u}ller, \v{S}koda and Ho\c{c}a") == (
        "the Schrödinger bridge, Fréchet trees, Müller, Škoda and Hoça")
    # commands that only start like an accent stay as written
    assert clean(r"\vec{x}, \cite{a} and \'{}") == r"\vec{x}, \cite{a} and \'{}"


def test_a_long_form_set_in_font_markup(nlp):
    # the markup bounds the long form: no brace in it, no word of the sentence before it
    doc = nlp.make_doc(r"we propose the \emph{quantum denoising diffusion probabilistic model} (QuDDPM) to learn, and a "
                r"challenge named \emph{Earning eXtra PerformancE from restriCTive feEDdbacks} (EXPECTED) too.")
    pairs = [(l.text, s.text) for l, s in find_acronym_definitions(doc, load_lexicon())]
    assert pairs == [("quantum denoising diffusion probabilistic model", "QuDDPM"),
                     ("Earning eXtra PerformancE from restriCTive feEDdbacks", "EXPECTED")]


@pytest.mark.parametrize(
    "text, name",
    [("It helps the interpretability of Neural ODE -based models.", "Neural ODE -based"),
     ("Secret Key Generation for FDD-OFDM Systems in Wireless Links", "FDD-OFDM")],
)
def test_a_modifier_or_a_kind_of_system_is_no_model(nlp, text, name):
    assert name not in [m.text for m in extract_mentions(text, nlp)]


def test_a_definition_may_put_the_short_form_first(blank, nlp):
    from kg.pipeline import extract_papers

    doc = blank("We analyze the CREMA-D (Crowd-sourced Emotional Multimodal Actors Data) & TESS (Toronto Emotional "
                "Speech Set) datasets, and Transformer (Vaswani et al.) baselines.")
    pairs = [(l.text, s.text, l.label_) for l, s in find_acronym_definitions(doc, load_lexicon())]
    assert pairs == [("Crowd-sourced Emotional Multimodal Actors Data", "CREMA-D", ""),
                     ("Toronto Emotional Speech Set", "TESS", "DATASET")]
    # a known acronym whose own spelling has a hyphen ("CREMA-D") is not redefined by its long form
    (record,) = extract_papers([Paper("2304.11040", title_en="Emotion", abstract_en=doc.text)], nlp=nlp)
    assert {("CREMA-D", "DATASET"), ("TESS", "DATASET")} <= set(labels(record.mentions))


def test_a_name_right_after_a_dataset_head_noun(nlp):
    assert labels(extract_mentions("We introduce a new task and the corresponding dataset EVOUNA, built by hand.",
                                   nlp)) == [("EVOUNA", "DATASET")]
    assert labels(extract_mentions("We test on the datasets ManyTypes4Py and CrossDomainTypes4Py.",
                                   nlp)) == [("ManyTypes4Py", "DATASET"), ("CrossDomainTypes4Py", "DATASET")]
    # a name that modifies the next noun: here "benchmark" means a baseline
    assert extract_mentions("Labels are given by a benchmark DL detector.", nlp) == []


def test_chinese_dataset_cue_before_the_name(nlp):
    from kg.pipeline import extract_papers

    paper = Paper("2305.12421", title_en="Evaluating Open-QA Evaluation",
                  abstract_zh="我们引入了相应的数据集EVOUNA，在基准RL环境中比较。")
    (record,) = extract_papers([paper], nlp=nlp)
    assert [(m.text, m.label, m.source) for m in record.mentions if m.field == "abstract_zh"] == [
        ("EVOUNA", "DATASET", "zh_cue")]  # not RL: 基准 alone is a baseline as often as a benchmark


def test_an_untyped_introduced_name_takes_the_type_a_cue_gives_it(nlp):
    from kg.pipeline import extract_papers

    paper = Paper("2310.01852", title_en="Video-language pretraining",
                  abstract_en="We thus propose VIDAL-10M with Video, Infrared, Depth and Audio.",
                  tldr_zh="此外，作者还提出了VIDAL-10M数据集来支持该方法。")
    (record,) = extract_papers([paper], nlp=nlp)
    assert {(m.text, m.label) for m in record.mentions} == {("VIDAL-10M", "DATASET")}
    assert "introduced:untyped" in {m.source for m in record.mentions}


def test_a_title_case_name_goes_on_past_a_hyphenated_lowercase_word(nlp):
    text = ("We propose a novel model-agnostic explainable-AI framework, called Granular Neuron-level Explainer "
            "(LAVA), an interpretation prototype that probes into intermediate layers.")
    assert labels(extract_mentions(text, nlp))[0] == ("Granular Neuron-level Explainer", "METHOD")  # not "Granular Neuron"
    assert labels(extract_mentions("We study BERT-based Transformer encoders.", nlp)) == [
        ("BERT", "MODEL"), ("Transformer", "METHOD")]


def test_a_task_headed_name_before_a_technique_noun_is_a_technique(nlp):
    assert labels(extract_mentions("We adapt the Deep Semi-supervised Anomaly Detection (DeepSAD) method here.",
                                   nlp)) == [("Deep Semi-supervised Anomaly Detection", "METHOD"), ("DeepSAD", "METHOD")]
    assert labels(extract_mentions("We propose a Subset Preference Extraction module for groups.", nlp)) == [
        ("Subset Preference Extraction", "METHOD")]
    # methods, plural, for a task: the name is still the task's
    assert labels(extract_mentions("Existing traffic accident detection (TAD) methods rely on unsupervised "
                                   "learning.", nlp))[:2] == [("traffic accident detection", "TASK"), ("TAD", "TASK")]


def test_a_naming_word_after_a_phrase_takes_the_type_of_the_phrase_head(nlp):
    text = ("We propose a novel attack framework for reverse-stealing prompts against commercial LLMs, namely PRSA. "
            "The main idea of PRSA is simple.")
    assert set(labels(extract_mentions(text, nlp))) == {("PRSA", "METHOD")}  # a framework, not the LLMs
    # a capitalized head is part of a name: "Framework" types "UPF", the model before it does not
    text = "TSB uses a PDDL model to represent decisions embedded in the Unified Planning Framework (UPF)."
    assert ("UPF", "METHOD") in labels(extract_mentions(text, nlp))


def test_a_final_period_after_a_hyphen_and_a_capital_ends_the_sentence(nlp):
    assert labels(extract_mentions("We release QuoBench-X. It is big.", nlp)) == [("QuoBench-X", "METHOD")]
    # so it does after a camel-case word's last capital; "U.S." keeps its period
    assert [t.text for t in nlp("techniques such as TopK. The U.S. team")] == [
        "techniques", "such", "as", "TopK", ".", "The", "U.S.", "team"]


def test_an_apposition_may_open_with_adjectives_set_off_by_commas(nlp):
    from kg.pipeline import extract_papers

    paper = Paper("2403.00801", title_en="Self-Retrieval: Building an Information Retrieval System with One LLM",
                  abstract_en="In this paper, we propose Self-Retrieval, an end-to-end, LLM-driven information "
                              "retrieval architecture that can fully internalize the required abilities.")
    (record,) = extract_papers([paper], nlp=nlp)
    assert {m.label for m in record.mentions if m.text == "Self-Retrieval"} == {"METHOD"}  # not a task by its head


@pytest.mark.parametrize("title, names", [
    ("Wasserstein Quantum Monte Carlo: A Novel Approach for Solving the Schrodinger Equation",
     {("Wasserstein Quantum Monte Carlo", "METHOD")}),
    ("Causal Scoring: A Framework for Effect Estimation", {("Causal Scoring", "METHOD")}),
    ("Compositional Generative Modeling: A Single Model is Not All You Need", set()),
    ("Optimizing Inventory Routing: A Decision-Focused Learning Approach using Neural Networks", set()),
    ("Towards Multimodal Prediction of Spontaneous Humour: A Novel Dataset and First Results", set()),
])
def test_plain_words_before_a_colon_name_a_technique_when_the_subtitle_says_so(nlp, title, names):
    from kg.pipeline import extract_papers

    (record,) = extract_papers([Paper("2307.07050", title_en=title)], nlp=nlp)
    assert {(m.text, m.label) for m in record.mentions if m.source == "title"} == names


def test_a_name_the_paper_defines_an_acronym_for_is_its_own_untyped_name(nlp):
    # no head noun types these, but the paper says they are its own and defines an acronym for each
    text = "To answer the question, we propose Distill n' Explain (DnX). First, DnX learns a surrogate."
    assert [(m.text, m.label, m.source) for m in extract_mentions(text, nlp)] == [
        ("Distill n' Explain", "METHOD", "introduced:untyped"), ("DnX", "METHOD", "introduced:untyped")]
    # the acronym's bounds win over where the name shape stopped ("Post-Hoc Adaptive Tokenwise Gating Over")
    text = ("In this work, we propose Post-Hoc Adaptive Tokenwise Gating Over an Ocean of Specialized Experts "
            "(PHATGOOSE), which learns to route among specialized modules.")
    assert labels(extract_mentions(text, nlp)) == [
        ("Post-Hoc Adaptive Tokenwise Gating Over an Ocean of Specialized Experts", "METHOD"), ("PHATGOOSE", "METHOD")]
    # "Our research ..., introducing X (ABC)": the paper is the subject
    text = ("Our research investigates adversarial training in federated learning, introducing Adversarial "
            "Robustness Unhardening (ARU).")
    assert ("Adversarial Robustness Unhardening", "METHOD") in labels(extract_mentions(text, nlp))
    # not someone else's design, nor a name that only modifies the noun after it
    assert extract_mentions("Their capabilities can greatly help to design Chemical General Intelligence (CGI) to "
                            "assist research.", nlp) == []
    assert labels(extract_mentions("We propose a Multi-layer Perceptron (MLP) based encoder-decoder model.", nlp)) == []
    assert extract_mentions("We ensure transparency by releasing the SoftWare Heritage persistent IDentifiers "
                            "(SWHIDs) of the source code data.", nlp) == []


def test_a_metric_the_paper_introduces_is_a_metric_with_its_acronym(nlp):
    text = "We propose a Ranking-based Consistency (RankC) metric to evaluate knowledge consistency."
    assert labels(extract_mentions(text, nlp)) == [("Ranking-based Consistency", "METRIC"), ("RankC", "METRIC")]
    text = "We introduce Eccentricity-Area Under the Curve (EAUC) as a new complementary metric."
    assert [(m.text, m.label, m.source) for m in extract_mentions(text, nlp)] == [
        ("Eccentricity-Area Under the Curve", "METRIC", "introduced"), ("EAUC", "METRIC", "introduced")]


def test_a_long_form_ending_in_test_set_is_a_dataset(nlp):
    text = "LLMs yield higher accuracy on the Bigger Analogy Test Set (BATS) over classical methods."
    assert ("Bigger Analogy Test Set", "DATASET") in labels(extract_mentions(text, nlp))
    # a set of something else is no dataset
    assert extract_mentions("We select the Minimal Candidate Set (MCS) of rules.", nlp) == []


def test_named_parts_listed_after_what_a_system_is_made_of(nlp):
    text = "Our framework consists of two modules: PairRanker and GenFuser, addressing the observation."
    assert [(m.text, m.label, m.source) for m in extract_mentions(text, nlp)] == [
        ("PairRanker", "METHOD", "part"), ("GenFuser", "METHOD", "part")]
    # a part defined by an acronym is bounded by it; a dataset's subsets are datasets (the dot of an abbreviation
    # does not end the list)
    text = ("We propose HyperFed which contains three main modules, i.e., hyperbolic prototype Tammes initialization "
            "(HPTI), hyperbolic prototype learning (HPL), and consistent aggregation (CA).")
    assert {"hyperbolic prototype Tammes initialization", "HPTI", "consistent aggregation", "CA"} <= {
        m.text for m in extract_mentions(text, nlp) if m.label == "METHOD"}
    text = "DREsS comprises three sub-datasets: DREsS_New, DREsS_Std., and DREsS_CASE."
    assert labels(extract_mentions(text, nlp)) == [
        ("DREsS_New", "DATASET"), ("DREsS_Std", "DATASET"), ("DREsS_CASE", "DATASET")]
    # an enumerated list goes on at its next mark
    text = ("We propose GrapeQA with two simple improvements on the WG: (i) Prominent Entities for Graph Augmentation "
            "identifies relevant text chunks, and (ii) Context-Aware Node Pruning removes nodes.")
    assert {("Prominent Entities for Graph Augmentation", "part"), ("Context-Aware Node Pruning", "part")} <= {
        (m.text, m.source) for m in extract_mentions(text, nlp)}
    # descriptions are no parts, and the list ends at the first one
    text = ("The framework comprises three modules: a BERT-based Named Entity Recognition (NER) model that finds "
            "entities, and GraphNorm.")
    assert not any(m.source == "part" for m in extract_mentions(text, nlp))
    assert extract_mentions("Our method consists of two components, i.e. face embeddings enhancement and "
                            "enclosed subgraph construction.", nlp) == []


def test_a_long_form_whose_head_comes_before_for_is_no_plural_class(nlp):
    text = ("In this paper, our goal is to establish a Unified paradigm for Multi-modal Personalization systems "
            "(UniMP), which leverages multi-modal data.")
    assert ("UniMP", "METHOD") in labels(extract_mentions(text, nlp))
    # a plural head is a class of systems, named or not
    assert extract_mentions("Sequential recommender systems (SRS) predict the next item.", nlp) == []


def test_a_name_right_after_a_determined_head_noun_takes_its_type(nlp):
    text = "Compared to the existing sign-based approach StoSign, the proposed method improves privacy."
    assert ("StoSign", "METHOD") in labels(extract_mentions(text, nlp))
    text = "We adapt the conversational explanation framework TalkToModel to the NLP domain."
    assert ("TalkToModel", "METHOD") in labels(extract_mentions(text, nlp))
    text = "In this research, a recommender system MATURE Health is proposed and implemented."
    assert ("MATURE Health", "MODEL") in labels(extract_mentions(text, nlp))
    # no determiner, or a verb between it and the head: no name
    assert extract_mentions("Each approach FooBar uses is slow.", nlp) == []
    assert extract_mentions("The results show that model TinyThing works.", nlp) == []
