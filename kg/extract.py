"""Entity extraction algorithms: plain functions over spaCy Docs (the components in `components.py` wrap them).

Each finder returns candidate spans labelled MODEL, DATASET, METHOD, TASK or METRIC, with `span.id_` naming the
rule that found it and, for lexicon hits, `span.kb_id_` the lexicon entry. `choose_entities` resolves overlaps
and drops what the guidelines say is not an entity (generic phrases, words cut off by truncation).
"""

from __future__ import annotations

import re
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from .lexicon import Lexicon, LexiconEntry
from .normalize import LATEX_FONT_COMMANDS, LATEX_FONT_SWITCHES, match_key
from .records import EntityType
from .roles import OUR_NAMING_VERBS, PARTS_LIST, PROPOSE_RULES, RESULT_WORDS

__all__ = [
    "RULE_SCORES",
    "lexicon_forms",
    "build_phrase_matchers",
    "find_lexicon_spans",
    "find_variant_names",
    "doc_text",
    "find_model_shapes",
    "find_introduced_names",
    "find_typed_heads",
    "find_head_appositions",
    "find_head_names",
    "find_name_appositions",
    "find_listed_names",
    "find_listed_parts",
    "find_shared_tasks",
    "is_shared_task",
    "find_acronym_definitions",
    "find_class_acronyms",
    "acronym_definitions",
    "class_name_keys",
    "is_class_name",
    "find_zh_cued_names",
    "find_title_name",
    "find_title_phrase",
    "find_title_acronym",
    "type_from_head",
    "type_from_name_suffix",
    "choose_entities",
    "is_name_like",
    "zh_doc",
]

M, D, ME, T, MT = (EntityType.MODEL.value, EntityType.DATASET.value, EntityType.METHOD.value,
                   EntityType.TASK.value, EntityType.METRIC.value)

#: Confidence of each rule; also the order of preference when candidates overlap.
RULE_SCORES: Dict[str, float] = {
    "lexicon": 0.95,
    "acronym": 0.85,
    "introduced": 0.85,
    "cited": 0.85,
    "kind": 0.85,
    "title": 0.8,
    "typed_head": 0.8,
    "zh_cue": 0.8,
    "shape": 0.75,
    "ner": 0.7,
    "variant": 0.9,
    "modified": 0.8,  # a capitalised word before a technique: yields to a rule that names the same words
    "part": 0.8,  # a named part listed after what a system is made of (find_listed_parts)
    "repeat": 0.8,  # another occurrence of a name one of the rules above found (kg.pipeline.find_repeats)
}

# Head nouns that type the name before or after them ("the CRPE benchmark", "X, a novel framework").
HEAD_TYPES: Dict[str, str] = {
    **{w: D for w in "dataset datasets benchmark benchmarks corpus corpora leaderboard suite testbed test-bed "
                     "collection treebank bank".split()},
    **{w: M for w in "model models llm llms lm mllm vlm lvlm chatbot checkpoint checkpoints system systems".split()},
    **{w: ME for w in "framework frameworks method methods approach approaches algorithm algorithms technique "
                      "techniques architecture architectures optimizer mechanism paradigm strategy pipeline loss "
                      "prompting attention module regularizer regularization estimator scheme".split()},
    "metric": MT,
}

# Last words of a long form that tell its type ("Graph Isomorphism Network", "Circular-based ... Evaluation").
LONG_FORM_HEADS: Dict[str, str] = {
    **{w: D for w in "dataset benchmark corpus bank suite leaderboard evaluation eval challenge arena "
                     "database".split()},
    **{w: ME for w in "learning network networks attention optimization prompting tuning fine-tuning finetuning "
                      "distillation algorithm framework method approach mechanism strategy search decoding sampling "
                      "regularization training augmentation embedding embeddings encoding transformer transformers "
                      "alignment estimation inference descent pretraining pre-training normalization quantization "
                      "pruning merging thoughts thought feedback adaptation model-agnostic reasoning "
                      "autoencoder encoder decoder memory machine machines policy planning scheme "
                      "regression forest process processes propagation programming analysis loss operator layer "
                      "module tokenization differentiation transform perceptron perceptrons sampler optimizer "
                      "classifier kernel filter solver net nets estimator ensemble field".split()},
    **{w: T for w in "recognition detection classification answering translation summarization retrieval "
                     "captioning segmentation parsing resolution extraction understanding tagging "
                     "labeling labelling completion recommendation forecasting".split()},
    **{w: MT for w in "score rate accuracy precision recall error distance divergence".split()},
    **{w: M for w in "model models gpt llm llama bert".split()},
}

_INTRO_VERBS = {
    "propose", "proposes", "proposed", "introduce", "introduces", "introduced", "present", "presents", "presented",
    "develop", "develops", "developed", "design", "designs", "designed", "release", "releases", "released",
    "construct", "constructs", "constructed", "curate", "curates", "curated", "build", "builds", "create",
    "creates", "contribute", "contributes", "devise", "devises", "unveil", "unveils", "collect", "collects",
    "derive", "derives", "formulate", "formulates", "establish", "establishes", "launch", "launches",
}
# "by releasing FedZoo-Bench", "Introducing a novel attack named X, we ...". In a title, no introducing verb counts
# but after "we": "Introducing a Framework for ..." opens a description, "Design" is mostly a noun.
_INTRO_GERUNDS = {"proposing", "introducing", "presenting", "releasing"}
# Words before which an introducing verb's base form is a noun or adjective: "of Design", "the present study"
_NOUN_BEFORE = frozenset("of the a an for in on with".split())
_NAMING_WORDS = {"named", "called", "dubbed", "termed", "coined", "namely"}
# The same naming said by the authors in the present (`kg.roles.OUR_NAMING_VERBS`): "which we call EPGP", "a method
# we name MetricRL", "which we refer to as X"; only right after "we", since "name" and "term" are mostly nouns.
_OTHERS_WORK = {"have", "has", "had", "been", "were", "was", "previously", "recently", "originally", "widely",
                "commonly", "already", "earlier", "initially"}
_NAME_JOINERS = {"of", "for", "and", "-", "the", "&", "in", "with", "to", "on"}
_AFTER_NAME = {"with", "to", "that", "which", "for", "by", "in", "on", "and", "as", "is", "was", "from", "using", "via"}
#: `kb_id_` of an introduced name no noun typed (its type is a guess), so that any typed mention outranks it
UNTYPED = "untyped"
_DETERMINERS = {"a", "an", "the", "our", "this", "these", "new", "novel"}
_COORDINATORS = {"and", "or", "&", ","}
#: An all-capital acronym: after "a"/"an" before a head noun it names a kind ("an EEG dataset", "a novel MBRL method")
_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9]+")
_POSSESSIVES = {"'s", "’s", "'", "’"}
#: Adjectives that describe a kind of thing, never part of its name: "standard LoRA", "Traditional SR methods".
_KIND_ADJECTIVES = frozenset("traditional conventional classical classic standard vanilla".split())
_STOP_NAMES = {
    "we", "our", "this", "these", "in", "the", "a", "an", "it", "they", "here", "however", "finally",
    "first", "second", "third", "moreover", "furthermore", "specifically", "additionally", "then",
    "experiments", "results", "extensive", "code", "data", "section", "table", "figure", "fig",
    "such", "those", "each", "every", "any", "some", "many", "other", "both", "all", "existing", "current",
    "previous", "prior", "proposed", "several", "various", "most",
    # describing a kind, not naming one: "Traditional SR methods", "vanilla Transformer models"
    "typical", "popular", "mainstream", "recent",
} | _KIND_ADJECTIVES
# Language and nationality words: "Chinese LLM benchmark" and "Swiss-German datasets" name no dataset.
_LANGUAGE_WORDS = frozenset(
    "english chinese mandarin cantonese japanese korean german swiss french spanish italian portuguese russian "
    "arabic hindi bengali urdu thai vietnamese indonesian malay turkish persian hebrew greek dutch polish swedish "
    "finnish danish norwegian czech ukrainian african european asian indian multilingual bilingual "
    "cross-lingual".split())

_SIZE = r"(?:\d+x)?\d+(?:\.\d+)?[BMKT]"
# Sized or versioned names: Llama-2-7B, Qwen2.5-VL-72B, Mistral-7B-Instruct, GPT-4V, ASMv2, InternLM2-20B.
_SHAPE_RE = re.compile(r"[A-Z][A-Za-z0-9.+/-]*?[-\s]?" + _SIZE + r"(?:-[A-Za-z][A-Za-z0-9.]*)*")
_CAMEL_MODEL_RE = re.compile(r"(?:[A-Za-z0-9]+-)?[A-Za-z0-9]*(?:BERT|GPT|LLaMA|Llama|LLM|LM|T5|[a-z]Coder)(?:[-.]?[A-Za-z0-9]+)*(?:-[a-z]+)?")
_CAMEL_METHOD_RE = re.compile(r"[A-Z][A-Za-z0-9]*(?:Net|Former|former|GAN|Diffusion|Attention)(?:-?[0-9A-Z][A-Za-z0-9]*)?(?:-[a-z]+)?")


def has_name_shape(text: str) -> bool:
    """A capital after the first letter (GPT, LLaVA, BoT) or a digit in some word: a strong sign of a name.
    Hyphenated Title Case ("Low-Resource") does not count."""
    pieces = [p for w in text.split() for p in w.split("-") if p]
    return any(re.search(r"[A-Za-z].*[A-Z]", p) or re.search(r"\d", p) for p in pieces)


_ADJECTIVAL_WORDS = (r"based|driven|powered|generated|like|style|specific|guided|enhanced|aware|free|trained|tuned|"
                     r"assisted|augmented|centric|oriented|level|scale|sized|only|as|related")
# "LLM-Generated" in a Title Case title is the same adjective
_ADJECTIVAL_RE = re.compile(rf"-(?:{_ADJECTIVAL_WORDS})$", re.IGNORECASE)
# An adjectival word right after a name or its acronym's bracket: "(MLP) based", "(GP)-guided"; not "X based on Y",
# where X is the name
_MODIFIER_AFTER_RE = re.compile(rf"(?:\s*[(（][^)）]{{1,20}}[)）])?(?:\s*-\s*(?:{_ADJECTIVAL_WORDS})\b|"
                                r"\s+based\b(?!\s+(?:on|upon)\b))", re.I)


def is_plural_acronym(text: str) -> bool:
    """"LLMs", "MMLMs", "VLMs": plural class names, never one entity."""
    return bool(re.fullmatch(r"[A-Z][A-Za-z]*[A-Z]s", text))


def is_name_like(text: str) -> bool:
    """Whether `text` looks like a proper name rather than a phrase: a capital after the first letter, a digit,
    or Title Case throughout ("Boosting of Thoughts")."""
    words = [w for w in re.split(r"[\s]+", text.strip()) if w]
    if not words or not re.search(r"[A-Za-z]", text):
        return False
    if words[0].lower() in _STOP_NAMES:
        return False
    if any(re.search(r"[A-Za-z].*[A-Z]", w) or re.search(r"\d", w) for w in words):
        return True
    content = [w for w in words if w.lower() not in _NAME_JOINERS]
    return len(content) >= 2 and all(w[0].isupper() for w in content)


# ----------------------------------------------------------------------------------------------- lexicon


def lexicon_forms(entry: LexiconEntry) -> List[str]:
    """Surface forms to match for an entry, with hyphen/space variants of versioned names ("LLaVA 1.5")."""
    forms = []
    for form in entry.surface_forms:
        forms.append(form)
        if re.search(r"\d", form) or "-" in form:
            forms += [form.replace("-", " "), form.replace(" ", "-"), form.replace("-", "")]
        elif form.count(" ") == 1 and form.islower():
            forms.append(form.replace(" ", "-"))  # "question-answering"
    return list(dict.fromkeys(f for f in forms if f.strip()))


def build_phrase_matchers(nlp, lexicon: Lexicon) -> Tuple[PhraseMatcher, PhraseMatcher]:
    """(case-insensitive LOWER matcher, case-sensitive ORTH matcher) over every lexicon form, keyed by entry id."""
    ci = PhraseMatcher(nlp.vocab, attr="LOWER")
    cs = PhraseMatcher(nlp.vocab, attr="ORTH")
    for entry in lexicon:
        # A generic form ("GAN", "QA") never matches, even where the lexicon lists it as an alias.
        forms = [f for f in lexicon_forms(entry) if not lexicon.is_generic(f)]
        # An acronym that spells a common word ("DiD" for difference-in-differences: "there did not exist") is
        # matched with its case whatever the entry says.
        kept = [f for f in forms if not entry.case_sensitive and f.lower() not in nlp.Defaults.stop_words]
        exact = [f for f in forms if f not in kept]
        if kept:
            ci.add(entry.id, [nlp.make_doc(f) for f in kept])
        if exact:
            cs.add(entry.id, [nlp.make_doc(f) for f in exact])
        if entry.zh:
            cs.add(entry.id, [zh_doc(nlp, z) for z in entry.zh])
    return ci, cs


def find_lexicon_spans(doc: Doc, matchers: Sequence[PhraseMatcher], lexicon: Lexicon) -> List[Span]:
    """Lexicon hits as spans typed by their entry; `kb_id_` is the entry id. A metric glued to a word by a hyphen
    is part of an adjective ("high-precision arithmetic", "full-precision weights", "precision-recall curve")."""
    spans = []
    for matcher in matchers:
        for match_id, start, end in matcher(doc):
            entry = lexicon.get(doc.vocab.strings[match_id])
            if entry is None or (entry.type.value == MT and _hyphen_glued(doc, start, end)):
                continue
            if entry.type.value in (ME, T) and _zh_modified(doc_text(doc), doc[start].idx):
                continue
            if _glued_after(doc, end) and doc[end + 1].lower_ in _METRIC_PARTS:
                continue  # "BERT-Precision": a measure named after the model
            spans.append(Span(doc, start, end, label=entry.type.value, kb_id=entry.id, span_id="lexicon"))
    return spans


#: Setting words that make a named variant of a technique or task, which the paper then names in full
#: (the fullest form is the name): "few-shot chain-of-thought prompting", "source-free domain generalization".
#: Closed on purpose: most modifiers ("state-of-the-art", "large-scale", "LLM-based") only describe.
_VARIANT_MODIFIER_RE = re.compile(
    r"(?<![\w-])(?:(?:few|zero|one)-shot|multi-objective|source-free|test-time|open-ended|open-domain|fine-grained"
    r"|probabilistic|conditional|semi-supervised|self-supervised|weakly[- ]supervised|unsupervised|cross-lingual)"
    r"\s+$", re.I)


#: A word glued by a hyphen before a hit makes another name: "source-contrastive decoding", "hyper-gradient
#: descent", "PO-RLHF", "T-LSTM", "CG-like-Adam".
_HYPHEN_PREFIX_RE = re.compile(r"(?<![A-Za-z0-9/-])[A-Za-z0-9/]*[A-Za-z0-9](?:-[A-Za-z0-9/]+)*-$")  # Latin only


#: Chinese characters a word may follow without being part of it: particles, prepositions, conjunctions, measure
#: words and the last characters of common verbs (基于, 通过, 使用, 引入了, 包括, 结合, 实现 ...).
_ZH_WORD_BEFORE = frozenset("的了于在用过和与及或对将为是以从由如等种个入出行括合现究索明供作些述示到比把被向之其该这此各即"
                            "称名含叫取析并且而但可能会要需应来再也都就还又均则至同令让使")


def _zh_modified(text: str, start: int) -> bool:
    """Whether a technique or task name at `start` is glued to a Chinese word before it that modifies it, so that
    it is a piece of a bigger name: 潜变量[高斯过程], 近端[梯度下降]. Chinese writes no spaces, so the character
    before tells: a particle or verb ends a word, any other character is a modifier."""
    before, first = text[start - 1:start], text[start:start + 1]
    # a Latin name ("分层Actor-Critic框架") is left to the Chinese cue rules, which read the whole name
    return before not in _ZH_WORD_BEFORE and all("\u3400" <= c <= "\u9fff" for c in (before, first))


def _hyphen_glued(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens `start:end` are joined by a hyphen, with no space, to the word before or after them."""
    return _glued_before(doc, start) or _glued_after(doc, end)


def _glued_before(doc: Doc, start: int) -> bool:
    """Whether token `start` is joined by a hyphen, with no space, to the word before it."""
    return start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ and not doc[start - 1].whitespace_


def _glued_after(doc: Doc, end: int) -> bool:
    """Whether the token before `end` is joined by a hyphen, with no space, to the word after it."""
    return end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_


#: Capitalised words (up to three) before a technique, inside a sentence, name a variant: "Dynamic LoRA", "Linear
#: Transformer", "Video Q-former", "Bayesian active learning". Not in titles (all words are capitalised there),
#: and not a language or a determiner ("Chinese instruction tuning", "This Transformer").
_CAPITALISED_MODIFIER_RE = re.compile(r"(?<![A-Za-z0-9-])(?:[A-Z][^\W\d_A-Z]{2,}\s){1,3}$")
_KIND_WORDS = frozenset("model models architecture architectures framework method methods network networks".split())
_NOT_VARIANT_WORDS = _KIND_ADJECTIVES | frozenset(
    "the this these that those our their its his her such both each all any some many most other another "
    "existing original english chinese japanese korean french "
    "german spanish arabic russian hindi italian portuguese vietnamese thai indonesian malay turkish persian "
    "multilingual then when while after before since with without using unlike like although however moreover "
    "furthermore thus hence also first second finally".split())


def _capitalised_modifier(doc: Doc, span: Span, before: str, covered: Set[int]) -> Optional[Span]:
    """The capitalised words naming a variant of `span` (see `_CAPITALISED_MODIFIER_RE`), if there are any and
    they are not part of another hit (the tokens in `covered`)."""
    m = _CAPITALISED_MODIFIER_RE.search(before)
    if m is None or doc._.kg_field.startswith("title") or doc[span.end - 1].lower_ in _KIND_WORDS:
        return None  # "Memory Transformer architecture": the hit is no bare technique name
    # a word glued to Chinese ("库Frame Semantic Transformer") is no token of its own: no clean name
    gap = len(before) - len(before.rstrip())
    words = doc.char_span(span.start_char - len(before) + m.start(), span.start_char - gap, alignment_mode="strict")
    while words is not None and len(words) and (words[0].is_sent_start or words[0].lower_ in _NOT_VARIANT_WORDS):
        words = words[1:]  # "This Dynamic LoRA": the name starts after the determiner or the sentence start
    if words is None or not len(words) or any(t.i in covered for t in words):
        return None
    return words


def find_variant_names(doc: Doc, spans: Iterable[Span]) -> List[Span]:
    """Lexicon METHOD and TASK hits widened by a setting word or a hyphenated word before them ("variant"), or
    a METHOD hit by capitalised words ("modified"); the variant is a name of its own (no `kb_id_`), so it does
    not merge into the entry it varies."""
    out = []
    spans = list(spans)
    covered = {i for s in spans for i in range(s.start, s.end)}  # a word of another hit is no modifier
    for span in spans:
        if span.label_ not in (ME, T):
            continue
        before = doc_text(doc)[max(0, span.start_char - 40):span.start_char]
        # a hyphenated prefix only for a Latin hit that ends the compound: not "VQ-MAE" inside "VQ-MAE-S"
        prefixed = span.text[:1].isascii() and not _glued_after(doc, span.end)
        m = (_HYPHEN_PREFIX_RE.search(before) if prefixed else None) or _VARIANT_MODIFIER_RE.search(before)
        words = _capitalised_modifier(doc, span, before, covered) if m is None and span.label_ == ME else None
        if m is not None:
            start_char, rule = span.start_char - len(before) + m.start(), "variant"
        elif words is not None:
            start_char, rule = words.start_char, "modified"
        else:
            continue
        widened = doc.char_span(start_char, span.end_char)
        if widened is not None:
            out.append(Span(doc, widened.start, widened.end, label=span.label_, span_id=rule))
    return out


# ----------------------------------------------------------------------------------------------- shapes


def _char_span(doc: Doc, start: int, end: int, label: str, rule: str) -> Optional[Span]:
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None or len(span.text) > end - start + 1:
        return None  # the name sits inside a larger token ("Transformer~(GPT)"): not a clean span
    return Span(doc, span.start, span.end, label=label, span_id=rule)


# Not glued to what comes before: "句子-BERT" (Sentence-BERT) is no BERT.
_WORD_RE = re.compile(r"(?<![A-Za-z0-9.+/-])[A-Za-z0-9][A-Za-z0-9.+/-]*(?:\s(?=(?:\d+x)?\d+(?:\.\d+)?[BMK]\b)[0-9.x]+[BMK])?")
_HAS_SIZE_RE = re.compile(r"\d(?:\.\d+)?[BMKT]\b")
_MODEL_STEMS = ("BERT", "GPT", "LLaMA", "Llama", "LLM", "LM", "T5", "Coder")
_METHOD_STEMS = ("Net", "Former", "former", "GAN", "Diffusion", "Attention")
#: A known model or architecture with a size word glued on names one trained size: "ViT-Base", "Swin-Tiny",
#: "wav2vec2-base" (the guidelines count each size as its own model).
_SIZED_NAME_RE = re.compile(r"(?P<base>[A-Za-z][A-Za-z0-9.]*)-(?:base|large|small|tiny|huge|giant|medium|mini|xl|xxl)",
                           re.I)
_ARCHITECTURE_RE = re.compile(r"(?:transformer|former|net|network|encoder|memory)$", re.I)  # not "LoRA-XL"
# Benchmark names end like this: PuzzleBench, MT-Bench, IBE-Eval, ScienceQA, Chatbot Arena (+ a version).
_DATASET_SUFFIX_RE = re.compile(r"[A-Za-z0-9][-_]?(?:Bench(?:mark)?|BENCH|Eval|QA|Arena)(?:[-_ ]?v?\d[\w.]*)?$")


def type_from_name_suffix(name: str) -> Optional[str]:
    """DATASET for benchmark-shaped names ("PuzzleBench", "WangchanX MRC Eval"), else None."""
    return D if _DATASET_SUFFIX_RE.search(name) else None


def type_from_name_shape(name: str) -> Optional[str]:
    """The type a name's own shape tells: a dataset suffix ("SciEval", "MMBench"), or a model stem ("MigBERT",
    "CodeLlama-7B")."""
    return type_from_name_suffix(name) or (M if _CAMEL_MODEL_RE.fullmatch(name) else None)


#: In an all-capital name "LM" is a stem only where it ends a part ("CCLM", "XLM-R", "GLM4"; not "MLMC"); the other
#: stems are stems anywhere ("BERTSUM").
_STEM_ENDS_RE = re.compile(r"BERT|GPT|T5|LM(?:$|[-\d.])")
#: Prefixes that make a generic class word no name: "Multi-LLM", "Cross-LM".
_COMBINING_FORMS = frozenset("multi cross non pre post sub co inter intra".split())
#: A metric glued to a model stem: "BERT-Precision" is a measure, not a model.
_METRIC_PARTS = frozenset("precision recall f1 score".split())


def _generic_compound(name: str, lexicon: Lexicon) -> bool:
    """Whether a hyphenated name is a generic class word in a compound, not a model name: a plural class part
    ("Vision-LLMs", "LLMs-a" for "LLMs - a facet"), a class word with only lowercase words or a combining form
    ("LLM-synthesized", "Multi-LLM"), or a metric ("BERT-Precision")."""
    parts = name.split("-")
    if len(parts) < 2:
        return False
    if any(is_plural_acronym(p) for p in parts) or any(p.lower() in _METRIC_PARTS for p in parts):
        return True
    generic = [p for p in parts if lexicon.is_generic(p)]
    rest = [p for p in parts if not lexicon.is_generic(p)]
    return bool(generic) and all(p.islower() or p.lower() in _COMBINING_FORMS for p in rest)


def find_model_shapes(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """Model-name shapes: sized names (Llama-2-7B, Qwen2.5-VL-72B, Mistral 7B) and names built on a model
    family word (RoBERTa, OpenMedLM, TinyLlama) -> MODEL; *Net/*Former/*GAN names -> METHOD.
    A cheap scan of words first; the full patterns only run on words that could match."""
    spans = []
    text = doc_text(doc)
    for m in _WORD_RE.finditer(text):
        word = m.group().rstrip(".")  # a sentence-final period is not part of "FooLlama-13B."
        sized = _SIZED_NAME_RE.fullmatch(word)
        if sized and any(e.type.value == M or (e.type.value == ME and _ARCHITECTURE_RE.search(e.name))
                         for e in lexicon.lookup(sized.group("base"))):
            span = _char_span(doc, m.start(), m.start() + len(word), M, "shape")
            if span is not None:
                spans.append(span)
            continue
        if not word[0].isupper() or len(word) < 3:
            continue
        if _HAS_SIZE_RE.search(word):
            regex, label = _SHAPE_RE, M
        elif any(stem in word for stem in _MODEL_STEMS):
            regex, label = _CAMEL_MODEL_RE, type_from_name_suffix(word) or M
        elif any(stem in word for stem in _METHOD_STEMS):
            regex, label = _CAMEL_METHOD_RE, ME
        elif _DATASET_SUFFIX_RE.search(word) and has_name_shape(word):
            regex, label = _DATASET_SUFFIX_RE, D  # "AdvBenchmark", "PuzzleBench": a benchmark by its name alone
        else:
            continue
        found = regex.search(word) if label == D else regex.fullmatch(word)
        if not found:
            continue
        name, end = word, m.start() + len(word)
        adj = _ADJECTIVAL_RE.search(name)
        if adj:  # "RoBERTa-trained" -> RoBERTa; "LLM-based" -> nothing
            name, end = name[: adj.start()], end - len(adj.group())
        if lexicon.is_generic(name) or len(name) < 3 or is_plural_acronym(name) or _generic_compound(name, lexicon):
            continue
        if regex is _CAMEL_MODEL_RE and name.isupper() and not _STEM_ENDS_RE.search(name):
            continue  # "MLMC" (Multi-level Monte Carlo): an acronym with "LM" inside, no model stem
        span = _char_span(doc, m.start(), end, label, "shape")
        if span is not None:
            spans.append(span)
    return spans


# ----------------------------------------------------------------------------------------------- patterns


def _name_after(doc: Doc, i: int, max_len: int = 10) -> Optional[Tuple[int, int]]:
    """The name starting at token `i`: a run of name-like tokens joined by of/for/and/hyphens, up to
    punctuation or a lowercase word. None when the run does not look like a name."""
    if i >= len(doc):
        return None
    j = i
    while j < len(doc) and j - i < max_len:
        tok = doc[j]
        if tok.is_punct and tok.text not in {"-", "+", "++", "/"}:
            break
        if tok.text[0] == "-" and j > i and doc[j - 1].whitespace_:
            break  # "QDyLoRA -Quantized ...-": a dash used as a bracket, not a hyphen
        if (j > i and tok.is_sent_start and doc[j - 1].text != "-") or re.search(r"[A-Za-z]\.[A-Z][a-z]", tok.text):
            # "namely CKERC.We design ...": a sentence glued to the name, no space after its full stop; the parser's
            # sentence start right after a hyphen ("3D-MoIT") is a mistake, not a sentence
            break
        if (j > i and tok.lower_ in {"with", "for", "on", "in", "to"} and " " not in doc[i:j].text
                and has_name_shape(doc[i:j].text)):
            break  # "we propose VIDAL-10M with Video, Infrared, ...": a name is done, its description begins
        if tok.is_space:
            break
        glued = (j > i + 1 and doc[j - 1].text == "-" and not doc[j - 1].whitespace_ and doc[i].text[0].isupper()
                 and (not _ADJECTIVAL_RE.search("-" + tok.text) or (j > i + 2 and _title_case_goes_on(doc, j))))
        # "Intra-class" goes on, "BERT-based" does not, but "Granular Neuron-level Explainer" does (not when the
        # first word carries the hyphen: "Transformer-based Neural Network" is a kind of network)
        if (tok.text[0].islower() and tok.lower_ not in _NAME_JOINERS and not re.search(r"[A-Z\d]", tok.text)
                and not glued):
            break
        j += 1
    if j - i >= max_len and j < len(doc) and (
            (not doc[j].is_punct and not doc[j].text[0].islower()) or (doc[j].text == "-" and not doc[j - 1].whitespace_)):
        return None  # the run goes on past max_len ("... for Human-AI Co-Creation"): no name beats a cut one
    # Do not end on a joiner ("Boosting of") or start on one.
    while j > i and (doc[j - 1].lower_ in _NAME_JOINERS or doc[j - 1].is_punct):
        j -= 1
    if j <= i or doc[i].lower_ in _NAME_JOINERS:
        return None
    if not is_name_like(doc[i:j].text):
        return None
    return i, j


def _title_case_goes_on(doc: Doc, j: int) -> bool:
    """Whether a Title Case name goes on past the lowercase word at `j` ("Neuron-level" in "Granular Neuron-level
    Explainer"): the word before the hyphen and the word after it are capitalized words, not acronyms."""
    k = j + 1
    return (k < len(doc) and not doc[k].is_sent_start and doc[k].is_alpha and doc[k].text[0].isupper()
            and not doc[k].text.isupper() and doc[j].whitespace_ != ""
            and doc[j - 2].text[1:].islower())  # "BERT-based Transformer" is BERT's Transformer, not a name


def _stands_alone(doc: Doc, end: int) -> bool:
    """Whether a name ending before token `end` is a noun phrase of its own, not a modifier of the noun after it
    ("we developed HF risk scores"): punctuation, a dash, a function word, the end, or a word cut off by truncation."""
    if end >= len(doc) or (doc._.kg_truncated and end == len(doc) - 1):
        return True
    nxt = doc[end]
    if (nxt.text == "-" and not doc[end - 1].whitespace_ and end + 1 < len(doc)
            and _ADJECTIVAL_RE.search("-" + doc[end + 1].text)):
        return False  # "a novel ANN-based equalizer": the name modifies what is named
    return nxt.is_punct or nxt.text[0] in "-–—" or nxt.lower_ in _AFTER_NAME


_SEPARATORS = frozenset({",", ":", "--", "—", "–"})


def _is_separator(tok) -> bool:
    """A token that may stand between a description and the name it introduces: a comma, colon, dash or naming
    word ("a new benchmark, X", "a dataset -- X", "a method called X")."""
    return tok.text in _SEPARATORS or tok.text in _NAMING_WORDS  # "Named Entity ..." names nothing


def _one_word_name(doc: Doc, i: int) -> Optional[Tuple[int, int]]:
    """A single capitalised word at token `i` that stands alone as a name where a name is expected ("a hallucination
    annotation tool, Dreamcatcher,"): not a sentence's first word, a function word or a word cut by truncation."""
    if i >= len(doc):
        return None
    tok = doc[i]
    if not (tok.is_title and tok.is_alpha and len(tok) >= 3) or tok.is_sent_start or tok.lower_ in _STOP_NAMES:
        return None
    if i + 1 == len(doc):
        return None if doc._.kg_truncated else (i, i + 1)
    nxt = doc[i + 1]
    if nxt.text == "," and i + 2 < len(doc) and doc[i + 2].is_title:
        return None  # "disciplines: Art & Design, Business, Science": a list of words, no name
    return (i, i + 1) if nxt.text in {",", ".", ";", "(", ":"} or nxt.lower_ in {"which", "that"} else None


def _listed(doc: Doc, end: int) -> bool:
    """Whether the name ending at token `end` is followed by ", and" / ", or": it goes on a list."""
    return end + 1 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ in {"and", "or"}


def _named_after_kind(doc: Doc, k: int, window: int = 4) -> Optional[Tuple[Tuple[int, int], str]]:
    """After a proposing verb and its article, a name written right after the noun of its kind, with no comma:
    "this paper proposes a new feature extractor LSPC.", "we propose a novel approach FnCTOD for ...". Returns the
    name's token range and the kind's type; the kind is a singular head noun of `HEAD_TYPES` or a technique head
    (`_KIND_HEADS_BEFORE_NAME`), reached over lowercase words only."""
    for j in range(k, min(len(doc) - 1, k + window)):
        tok = doc[j]
        if not (tok.is_lower and re.fullmatch(r"[a-z][a-z-]*", tok.text)) or tok.lower_ in _PHRASE_STOP:
            return None
        label = HEAD_TYPES.get(tok.lower_) or (ME if tok.lower_ in _KIND_HEADS_BEFORE_NAME else None)
        if label is None or (_plural_head(tok.lower_) and tok.lower_ != "loss"):
            continue
        found = _name_after(doc, j + 1, max_len=3)
        if (found and found[1] - found[0] == 1 and has_name_shape(doc[found[0]].text)
                and not is_plural_acronym(doc[found[0]].text) and _stands_alone(doc, found[1])
                and not _listed(doc, found[1])):
            return found, label
        return None
    return None


def _separated_name(doc: Doc, i: int, window: int = 8) -> bool:
    """Whether a separator follows within `window` tokens of `i`, in the same sentence."""
    for t in doc[i : i + window]:
        if t.is_sent_start or t.text in {".", ";"}:
            return False
        if _is_separator(t):
            return True
    return False


def _type_after(doc: Doc, i: int, window: int = 10) -> Optional[str]:
    """Type told by the first head noun within `window` tokens after `i` ("X, a novel dataset of ..."), before a
    clause or preposition starts ("X, which uses LLM-generated ..." says nothing of X's type)."""
    for tok in doc[i : min(len(doc), i + window)]:
        if tok.text in {".", ";"} or tok.lower_ in _APPOS_STOP:
            break
        label = HEAD_TYPES.get(tok.lower_)
        if label:
            return label
    return None


def _appositive_after(doc: Doc, found: Tuple[int, int]) -> Optional[str]:
    """The type an apposition gives the name `doc[found[0]:found[1]]` when its head lies beyond `_type_after`'s
    window: "we propose Memory of Amortized Contexts (MAC), an efficient and effective online adaptation framework"."""
    start, end = doc[found[0]].idx, doc[found[1] - 1].idx + len(doc[found[1] - 1].text)
    return appositive_type(doc_text(doc), start, end)


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per Doc: spaCy joins every token's text at each access, and the finders ask for
    it once per candidate (this was half of the extraction time)."""
    cached = doc.user_data.get("kg_text")
    if cached is None or cached[0] != len(doc):
        cached = doc.user_data["kg_text"] = (len(doc), doc.text)
    return cached[1]


def _lowers(doc: Doc) -> List[str]:
    """Lower-cased token texts, computed once per Doc (the finders scan them instead of Token objects)."""
    cached = doc.user_data.get("kg_lowers")
    if cached is None or len(cached) != len(doc):
        cached = doc.user_data["kg_lowers"] = [t.lower_ for t in doc]
    return cached


# Font markup before a name ("we propose {\\bf ProAttack}", "\\textbf{OpsEval}"; see kg.nlp for its tokens).
_LATEX_TOKEN_RE = re.compile(r"\{|\\(?:" + "|".join(LATEX_FONT_SWITCHES) + r")|\\(?:" + "|".join(LATEX_FONT_COMMANDS) + r")\{")


def _own_verb_at(lowers: Sequence[str], v: int, start: int = 0) -> bool:
    """Whether token `v` is this paper's own proposing verb: "we propose", "this paper introduces" (the subject
    within four words before it, not before `start`)."""
    return lowers[v] in _INTRO_VERBS and bool(_OUR_SUBJECTS.intersection(lowers[max(start, v - 4):v]))


def _sentence_start(doc: Doc, i: int) -> int:
    return doc[i].sent.start if doc.has_annotation("SENT_START") else 0


def _our_sentence(doc: Doc, i: int) -> bool:
    """Whether this paper is the subject somewhere before token `i` in its sentence ("Our research delves into
    ..., introducing X")."""
    return bool(_OUR_WORDS.intersection(_lowers(doc)[_sentence_start(doc, i):i]))


def _own_verb_before(doc: Doc, i: int) -> bool:
    """Whether this paper's own proposing verb comes before token `i` in its sentence."""
    lowers = _lowers(doc)
    start = _sentence_start(doc, i)
    return any(_own_verb_at(lowers, v, start) for v in range(start, i))


def _defined_name_at(doc: Doc, k: int) -> Optional[Tuple[Span, Span]]:
    """The name starting at token `k` that an acronym definition found in the doc (`doc._.kg_abbreviations`)
    gives right after it, as its (long, short) pair: "we propose Distill n' Explain (DnX)". The name must stand
    alone after the brackets or be followed by its head noun: not "a Multi-layer Perceptron (MLP) based ...
    model", nor "the SoftWare Heritage persistent IDentifiers (SWHIDs) of the source code data"."""
    for long_span, short_span in doc._.kg_abbreviations or ():
        if long_span.start != k or short_span.start != long_span.end + 1 or not doc[k].text[:1].isupper():
            continue
        after = short_span.end + 1
        if after < len(doc) and doc[after].lower_ == "of":
            return None
        if _stands_alone(doc, after) or doc[after].lower_ in HEAD_TYPES:
            return long_span, short_span
    return None


def find_introduced_names(doc: Doc) -> List[Span]:
    """Names a paper introduces: "we propose/introduce/present X", "named/called/dubbed X", typed by the
    noun that follows ("X, a benchmark for ..."). `span.id_` is "introduced", or "cited" when the verb is
    someone else's ("existing studies have proposed X")."""
    spans = []
    lowers = _lowers(doc)
    title = doc._.kg_field == "title_en"
    verbs = _INTRO_VERBS | _INTRO_GERUNDS
    for i, low in enumerate(lowers):
        if low in verbs and i > 0 and lowers[i - 1] in _NOUN_BEFORE and not low.endswith("ed"):
            continue  # "Exploration of Design Space with ...", "the present work": a noun; "the proposed X" goes on
        if low in verbs and title and (i == 0 or lowers[i - 1] != "we"):
            continue  # a title has no subject: "Bayesian Design Principles", "Can LLMs Design Label Functions?"
        k = _our_naming_end(lowers, i)
        if low in verbs or doc[i].text in _NAMING_WORDS or k:
            # "existing studies have proposed X", "the recently introduced X": a name, but not this paper's
            rule = "cited" if low in verbs and i > 0 and lowers[i - 1] in _OTHERS_WORK else "introduced"
            tok = doc[i]
            ours = bool(k)
            if ours:
                low = "called"  # from here on it is read as the naming word
            k = k or tok.i + 1
            # skip determiners and adjectives: "we propose a novel framework, X" is handled by apposition below
            if low in verbs:
                if k < len(doc) and doc[k].lower_ == "by":
                    continue  # "the dimension proposed by Alon, Ben-David, ...": who proposed it, not what
                while k < len(doc) and (doc[k].lower_ in _DETERMINERS or _LATEX_TOKEN_RE.fullmatch(doc[k].text)):
                    k += 1
            elif k < len(doc) and doc[k].lower_ in {"it", "them", "this", "these"}:
                k += 1  # "we called it Malaysian Mistral"
            found = _name_after(doc, k)
            if found is None and low in _NAMING_WORDS:
                found = _one_word_name(doc, k)  # "the first LLM, dubbed Codeditor, to ...": a word after naming is one
            # a name the paper defines an acronym for, when it says it is its own: "we propose Demand-driven
            # Navigation (DDN)", not "... can help to design Chemical General Intelligence (CGI)"
            pair = _defined_name_at(doc, k) if low in verbs and _our_sentence(doc, i) else None
            defined = (pair[0].start, pair[0].end) if pair else None
            # both start at `k`: the definition wins when it reaches further ("we propose Trajectory-Aware
            # Imitation Learning from Observations (TAILO)")
            if found is None or defined is not None and found[1] < defined[1]:
                found = defined
            if found is not None and low in verbs and not _stands_alone(doc, found[1]) and _separated_name(doc, found[1]):
                found = None  # "curated a 3D molecule-centric ... dataset -- 3D-MoIT": "3D" only modifies a noun
            if found is not None and low in verbs and _MODIFIER_AFTER_RE.match(doc.text, doc[found[1] - 1].idx
                                                                               + len(doc[found[1] - 1])):
                found = None  # "we propose a Multi-layer Perceptron (MLP) based model": what it is built on
            if found is None and low in verbs:
                # "we introduce a new benchmark, X," / "we propose a novel method called X"
                head = _type_after(doc, k, window=6)
                for j in range(k, min(len(doc) - 1, k + 8)):
                    if j > k and doc[j].is_sent_start:
                        break  # the next sentence's "The LLM, GatorTron-3.9B" is not what was introduced
                    if _is_separator(doc[j]):
                        found = _name_after(doc, j + 1)
                        if found is None and doc[j].text == "," and _own_verb_at(lowers, i):
                            found = _one_word_name(doc, j + 1)
                        if found and doc[j].text == "," and doc[j - 1].lower_ not in HEAD_TYPES and _listed(doc, found[1]):
                            found = None  # "to assist students with dyslexia, ADHD, and ...": an item of a list
                        if found and _ADJECTIVAL_RE.search(doc[found[0]:found[1]].text):
                            found = None  # "a new attack: Self-Generated typographic attacks": an adjective
                        if found:
                            # the noun right before the separator is the head: "... tuning dataset -- 3D-MoIT"
                            head = HEAD_TYPES.get(doc[j - 1].lower_) or head
                            break
                if found is None and _own_verb_at(lowers, i):
                    found, head = _named_after_kind(doc, k) or (None, head)
                if found:
                    spans.append(Span(doc, *found, label=head or ME, span_id=rule))
                continue
            if found is None or is_plural_acronym(doc[found[0]:found[1]].text):
                continue  # "introduce the NTMs for various scenarios": a class of models, not one
            if (low in verbs and k > tok.i + 1 and doc[k - 1].lower_ in {"a", "an", "novel", "new"}
                    and _ACRONYM_RE.fullmatch(doc[found[0]:found[1]].text) and found[1] < len(doc)
                    and doc[found[1]].lower_ in HEAD_TYPES):
                continue  # "we develop a novel MBRL method": an acronym before the head names a kind, as "an EEG dataset"
            if low in _NAMING_WORDS:  # "the trained BERT model, namely X": the noun named comes first
                label = type_from_head(doc[found[0]:found[1]].text) or _type_before(doc, tok.i) or _type_after(doc, found[1])
                if label is None and _own_verb_before(doc, tok.i):
                    # "we propose an evolution strategies-based algorithm for estimating gradients ..., called X"
                    label = _type_before(doc, tok.i, window=16) or type_from_name_shape(doc[found[0]:found[1]].text)
            else:
                head_word = lowers[found[1]] if found[1] < len(doc) else ""
                label = (_technique_over_task(type_from_head(doc[found[0]:found[1]].text), head_word)
                         or _type_after(doc, found[1]) or _appositive_after(doc, found) or _type_before(doc, tok.i))
            if label is None and defined is not None:
                found = defined  # the author's own bounds, not where the name shape stopped: "Post-Hoc ... Experts"
            if (label is None and rule == "introduced" and (low in verbs or ours)
                    and (has_name_shape(doc[found[0]:found[1]].text) or found == defined)
                    and _stands_alone(doc, found[1])):
                # "we develop RetroPrompt with ...": a paper's own system, untyped, is most often a method, unless
                # its shape says otherwise ("MigBERT", "SciEval")
                label = type_from_name_shape(doc[found[0]:found[1]].text) or ME
                spans += _with_acronym(doc, found, pair, label, rule, UNTYPED)
                continue
            if label is None:
                continue
            spans += _with_acronym(doc, found, pair, label, rule)
    return spans


def _our_naming_end(lowers: Sequence[str], i: int) -> int:
    """Where the name starts after the authors' own naming at token `i` ("we call [the resulting model] X",
    "which we refer to as X"); 0 when there is none."""
    if i == 0 or lowers[i - 1] != "we":
        return 0
    if lowers[i] == "refer" and lowers[i + 1:i + 3] == ["to", "as"]:
        return i + 3
    if lowers[i] not in OUR_NAMING_VERBS:
        return 0
    k = i + 1
    if k < len(lowers) and lowers[k] in ("the", "our"):
        j = k + 1 + (k + 1 < len(lowers) and lowers[k + 1] in RESULT_WORDS)
        if j < len(lowers) and lowers[j] in HEAD_TYPES:
            return j + 1  # "we call the resulting model WizardLM"
    return k


def _with_acronym(doc: Doc, found: Tuple[int, int], pair: Optional[Tuple[Span, Span]], label: str, rule: str,
                  kb_id: str = "") -> List[Span]:
    """The span of a name found, and of its acronym when the definition right after it is of the same name
    ("we introduce Eccentricity-Area Under the Curve (EAUC) as a new metric": EAUC is introduced too)."""
    spans = [Span(doc, *found, label=label, kb_id=kb_id, span_id=rule)]
    if pair is not None and found == (pair[0].start, pair[0].end):
        spans.append(Span(doc, pair[1].start, pair[1].end, label=label, kb_id=kb_id, span_id=rule))
    return spans


# A lowercase phrase a paper introduces is a technique name when it ends in one of these heads ("we propose a
# null-input prompting method", "we introduce piecewise normalizing flows"); a trailing generic head is dropped.
_TECHNIQUE_HEADS = frozenset(
    "loss prompting decoding regularization operator operators flows layer layers attack attacks sampling "
    "distillation augmentation pruning estimation suppression fusion probe probing quantization normalization "
    "merging walk differentiation decoder encoder autoencoder transformer".split())
_GENERIC_TECHNIQUE_HEADS = frozenset(
    "method methods approach technique techniques strategy framework scheme algorithm mechanism procedure".split())
_DESCRIBING = frozenset(
    "novel new simple lightweight efficient effective general generic principled unified scalable robust "
    "powerful flexible practical straightforward versatile first alternative improved modified variant "
    "so-called end-to-end".split())
_KIND_HEADS_BEFORE_NAME = _TECHNIQUE_HEADS | {"extractor", "network"}  # "a new feature extractor LSPC"
_QUANTIFIERS = frozenset("several two three four five multiple various some many".split())
_PHRASE_STOP = frozenset("to for that which with by in on of from as and or via using based at is are the a an "
                         "called named dubbed termed".split())
_OUR_SUBJECTS = frozenset("we us paper work study article".split())
_OUR_WORDS = _OUR_SUBJECTS | {"our"}


def find_introduced_techniques(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """Lowercase techniques a paper introduces: "we propose a null-input prompting method", "we introduce a
    novel distribution disparity loss", "two options called the trainable flipping difference layer". Only right
    after this paper's own proposing verb or a naming word, and only phrases of two words or more that end in a
    technique head, so descriptions ("a two-stage method") stay out; or, right after the verb with no article, a
    term of any length an apposition says is a technique or dataset ("we introduce geoadaptation, an intermediate
    training step"). `span.id_` is "introduced", or "kind" when the paper names what the phrase describes right
    after it ("a novel data pruning algorithm, Prune4Rel")."""
    spans = []
    lowers = _lowers(doc)
    for i, low in enumerate(lowers):
        ours = _own_verb_at(lowers, i)
        # "we introduce two options called the ...": a naming word counts after this paper's own verb only,
        # not in "this is called hard prompting"
        named = low in _NAMING_WORDS and any(lowers[v] in _INTRO_VERBS and lowers[v - 1] not in _OTHERS_WORK
                                             for v in range(max(1, i - 6), i))
        if not (ours or named):
            continue
        if i > 0 and lowers[i - 1] in _OTHERS_WORK:
            continue
        k = i + 1
        while k < len(doc) and (lowers[k] in _DETERMINERS or lowers[k] in _DESCRIBING or lowers[k] in _QUANTIFIERS
                                or _LATEX_TOKEN_RE.fullmatch(doc[k].text)):
            k += 1
        j = k
        while j < len(doc) and j - k < 8 and not (j > k and doc[j].is_sent_start):
            hyphen = doc[j].text == "-" and j > k and not doc[j - 1].whitespace_ and not doc[j].whitespace_
            if not hyphen and (lowers[j] in _PHRASE_STOP or not re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*", doc[j].text)):
                break
            j += 1
        if j > k and doc[j - 1].text == "-":
            continue
        # "a novel data pruning algorithm, Prune4Rel,", "a method, termed dynamic X": the technique is the kind of
        # what the paper names next, not what it proposes
        rule = "kind" if _names_next(doc, j) else "introduced"
        if j > k and lowers[j - 1] in _GENERIC_TECHNIQUE_HEADS:
            j -= 1
        # "We introduce relational acyclification, an operation ...": a term right after this paper's own verb
        # (no article or adjective between: "we propose a novel loss, a ..." only describes) is what the apposition
        # says it is, so one word will do and no technique head is needed
        bare = all(_LATEX_TOKEN_RE.fullmatch(t.text) for t in doc[i + 1:k])
        label = _appositive_kind(doc, j) if ours and j > k and bare else None
        headed = len(doc[k:j].text.replace("-", " ").split()) >= 2 and lowers[j - 1] in _TECHNIQUE_HEADS
        if label is None and not headed:
            continue
        text = doc[k:j].text
        if lexicon.is_generic(text) or lexicon.lookup(text):
            continue  # a known technique is the lexicon's to find
        spans.append(Span(doc, k, j, label=label or ME, span_id=rule))
    return spans


# What an apposition may say a term is: the heads of HEAD_TYPES and a few more a technique is called.
_APPOSITIVE_HEADS = {**HEAD_TYPES, **dict.fromkeys("operation step procedure modification extension".split(), ME)}


def _appositive_kind(doc: Doc, j: int) -> Optional[str]:
    """The type of the term ending before token `j` said by an apposition after it, past closing markup and an
    acronym in brackets: "geoadaptation, an intermediate training step", "\\textit{symbolic autoencoding}
    ($\\Sigma$AE), a self-supervised framework". None when there is no "(,) a/an ... head" within six words."""
    while j < len(doc) and doc[j].text == "}":
        j += 1
    if j < len(doc) and doc[j].text == "(":
        close = next((c for c in range(j + 1, min(len(doc), j + 9)) if doc[c].text == ")"), None)
        if close is None:
            return None
        j = close + 1
    if not (j + 1 < len(doc) and doc[j].text == "," and doc[j + 1].lower_ in {"a", "an"}):
        return None
    for t in doc[j + 2:j + 8]:
        if t.is_punct and t.text != "-":
            return None
        if t.lower_ in _APPOSITIVE_HEADS:
            return _APPOSITIVE_HEADS[t.lower_]
    return None


def _names_next(doc: Doc, j: int) -> bool:
    """Whether token `j` starts the naming of what the phrase before it describes: a naming word ("called X",
    "termed as X") or a separator before a capitalised word ("a new attack, ID2Graph")."""
    if j >= len(doc):
        return False
    if doc[j].text in _NAMING_WORDS:
        return True
    return (doc[j].text in _SEPARATORS and j + 1 < len(doc)
            and (doc[j + 1].text[:1].isupper() or has_name_shape(doc[j + 1].text) or doc[j + 1].text in _NAMING_WORDS))


#: Plural heads a list of names of that type may follow: "small datasets such as ReVerb20k", "compression
#: techniques such as TopK", "benchmark methods like LibFM". Not "models" nor "baselines": what they list is as
#: often a generic class ("CNN") or of another type as a model.
_LISTED_HEAD_TYPES = {**dict.fromkeys(("datasets", "benchmarks", "corpora"), D),
                      **dict.fromkeys(("methods", "techniques", "algorithms", "approaches", "architectures"), ME)}
_LISTED_AFTER_RE = re.compile(r"\b(?P<head>" + "|".join(_LISTED_HEAD_TYPES)
                              + r")\s*,?\s*(?:such as|including|like|e\.g\.,?|namely)\s+")
_LISTED_NAME_RE = re.compile(r"[A-Z0-9][\w+\-/]*(?:\.\d+)*(?: [A-Z0-9][\w+\-/]*(?:\.\d+)*){0,2}")
_LISTED_SEP_RE = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+")


def find_listed_names(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """Names listed after a plural head, typed by it: "small datasets such as ReVerb20k", "benchmarks including A
    and B", "techniques such as TopK". Only name-shaped items, no plural class ("2-layer MLPs"); the list ends at
    the first item that is not one."""
    spans = []
    text = doc_text(doc)
    for m in _LISTED_AFTER_RE.finditer(text):
        label = _LISTED_HEAD_TYPES[m.group("head")]
        at = m.end()
        while True:
            item = _LISTED_NAME_RE.match(text, at)
            if (item is None or not has_name_shape(item.group()) or lexicon.is_generic(item.group())
                    or is_plural_acronym(item.group().split()[-1])):
                break
            span = _char_span(doc, item.start(), item.end(), label, "typed_head")
            if span is not None:
                spans.append(span)
            sep = _LISTED_SEP_RE.match(text, item.end())
            if sep is None:
                break
            at = sep.end()
    return spans


# After what a system or dataset is made of ("consists of two modules", "comprises three sub-datasets"), the list of
# its parts: a colon or "i.e." / "namely", then maybe an enumeration mark.
_PARTS_LIST_RE = re.compile(PARTS_LIST, re.I)
_ENUMERATION_RE = re.compile(r"(?<![\w^.])\(?(?:\d|i{1,3}|iv|v)\)\s*")  # "(ii)", "2)"; not "O(n^2)"
_PART_KIND_TYPES = {"sub-datasets": D, "subdatasets": D, "subsets": D}
_PART_ENDS = frozenset({",", ";", ".", "and", "or", "(", ":"})
_PART_NOUNS = frozenset("module modules component components network block branch unit mechanism strategy "
                        "stage dataset subset".split())


def _part_at(doc: Doc, i: int, defined: Dict[int, Tuple[Span, Span]], kind_label: str, lexicon: Lexicon
             ) -> Optional[Tuple[int, List[Span]]]:
    """The named part a list item starting at token `i` gives, as (the token after it, its spans): a name its
    acronym definition bounds ("hyperbolic prototype Tammes initialization (HPTI)"), else a name-like run
    ("PairRanker", "Prominent Entities for Graph Augmentation"). A known name is a part too, with no span of its
    own (the lexicon finds it). None for a description ("face embeddings enhancement using ...")."""
    if i in defined:
        long_span, short_span = defined[i]
        label = long_span.label_ or type_from_head(long_span.text) or kind_label
        spans = [Span(doc, s.start, s.end, label=label, span_id="part") for s in (long_span, short_span)]
        end = short_span.end + 1 if short_span.start == long_span.end + 1 else long_span.end
        return end, spans
    found = _name_after(doc, i)
    if found is None:
        return None
    cut = next((j for j in range(*found) if doc[j].lower_ in {"and", "or", "&"}), None)
    if cut is not None:  # "PairRanker and GenFuser": two items, where the left one is a name by itself
        if _name_after(doc, i, max_len=cut - i) != (i, cut):
            return None
        found = (i, cut)
    name = doc[found[0]:found[1]].text
    if lexicon.lookup(name) or lexicon.is_generic(name):
        return found[1], []
    label = type_from_head(name) or type_from_name_shape(name) or kind_label
    return found[1], [Span(doc, *found, label=label, span_id="part")]


def find_listed_parts(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """The named parts listed after what a system or dataset is made of: "Our framework consists of two modules:
    PairRanker and GenFuser", "HyperFed which contains three main modules, i.e., hyperbolic prototype Tammes
    initialization (HPTI), ...", "DREsS comprises three sub-datasets: DREsS_New, DREsS_Std., and DREsS_CASE".
    Typed by their own head, else by the kind of part (a dataset's subsets are datasets, a module a method). The
    list ends at the first item that is no name; an enumerated list ("(i) X identifies ..., and (ii) Y ...") goes
    on at its next mark in the sentence."""
    text = doc_text(doc)
    cues = list(_PARTS_LIST_RE.finditer(text))
    if not cues:
        return []
    defined = {long_span.start: (long_span, short_span) for long_span, short_span in doc._.kg_abbreviations or ()}
    spans: List[Span] = []
    for m in cues:
        kind_label = _PART_KIND_TYPES.get(m.group("kind").lower(), ME)
        enumerated = _ENUMERATION_RE.match(text, m.end()) is not None
        at = m.end()
        for _ in range(8):
            mark = _ENUMERATION_RE.match(text, at)
            if mark:
                at = mark.end()
            i = next((t.i for t in doc if t.idx >= at), len(doc))
            while i < len(doc) and doc[i].lower_ in {"the", "a", "an"}:
                i += 1
            part = _part_at(doc, i, defined, kind_label, lexicon)
            if part is None:
                break
            end, found = part
            if end < len(doc) and doc[end].lower_ in _PART_NOUNS:
                end += 1  # "Textual Supplement (TS) module and ..."
            if end < len(doc) and doc[end].text not in _PART_ENDS and not enumerated:
                break  # "a BERT-based Named Entity Recognition (NER) model that ...": a description
            spans += found
            if end + 1 < len(doc) and doc[end].text == "." and doc[end + 1].text in {",", "and"}:
                end += 1  # the full stop of an abbreviated name, "DREsS_Std., and DREsS_CASE"
            item_end = end
            while end < len(doc) and doc[end].text in {",", "and", "or", ";"}:
                end += 1
            if end >= len(doc):
                break
            if enumerated:
                sent_end = doc[end].sent.end_char if doc.has_annotation("SENT_START") else len(text)
                nxt = _ENUMERATION_RE.search(text, doc[end].idx, sent_end)
                if nxt is None:
                    break
                at = nxt.start()
            elif end == item_end:
                break  # no separator: the list is over
            else:
                at = doc[end].idx
    return spans


# A shared task is named by its venue, year and task number: "SemEval-2023 Task 3", "DCASE 2023 Challenge Task 2",
# "WASSA 2023 Shared Task (3)", "DSTC11-Track2". The whole name is the dataset, not the venue inside it.
_SHARED_TASK_RE = re.compile(r"\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:[- ]?(?:19|20)\d{2}|\d{1,2})?(?:\s+(?:Challenge|Competition))?"
                             r"(?:(?:\s+Shared)?\s+Task|[- ]?Track|\s+Subtask)\s*(?:\d+[A-Za-z]?\b|\(\d+[A-Za-z]?\))")


def is_shared_task(name: str) -> bool:
    """Whether `name` is a whole shared-task name ("SemEval-2023 Task 3")."""
    return _SHARED_TASK_RE.fullmatch(name) is not None


def find_shared_tasks(doc: Doc) -> List[Span]:
    """Shared-task names ("SemEval-2023 Task 3", "DSTC11-Track2") -> DATASET: the task's data is what papers
    evaluate on."""
    spans = []
    for m in _SHARED_TASK_RE.finditer(doc_text(doc)):
        span = _char_span(doc, m.start(), m.end(), D, "typed_head")
        if span is not None:
            spans.append(span)
    return spans


_PHRASE_PREPOSITIONS = frozenset("for against of on in with to from over across".split())


def _type_before(doc: Doc, i: int, window: int = 6) -> Optional[str]:
    """The type told by the nearest head noun before token `i`; the head of a phrase, not of its complement: "a
    novel attack framework for reverse-stealing prompts against commercial LLMs, namely PRSA" is a framework."""
    lowers = _lowers(doc)
    for p in range(i - 1, max(0, i - window) - 1, -1):
        label = HEAD_TYPES.get(lowers[p])
        if label:
            # a capitalized head is a name's own word ("the Unified Planning Framework"), no phrase's head
            return (not doc[p].text.istitle() and _phrase_head_before(doc, p)) or label
    return None


def _phrase_head_before(doc: Doc, p: int) -> Optional[str]:
    """`_outer_head_type` of the words before token `p`, back to punctuation other than a hyphen."""
    lowers, k = _lowers(doc), p
    while k > 0 and p - k < 10 and not (doc[k - 1].is_punct and doc[k - 1].text != "-"):
        k -= 1
    return _outer_head_type(lowers[k:p])


def _outer_head_type(words: Sequence[str]) -> Optional[str]:
    """The type of the head noun that a prepositional phrase hangs on, given the lowercased words before the
    phrase's last head: "framework" for "LLMs" in "a framework for reverse-stealing prompts against LLMs"; the head
    stands right before the preposition or one word before it. None if there is no such head."""
    label = None
    words = list(words[-10:])
    for k in range(len(words) - 1, 0, -1):
        if words[k] not in _PHRASE_PREPOSITIONS:
            continue
        for h in (k - 1, k - 2):
            if h >= 0 and words[h] in HEAD_TYPES and words[h] not in _PHRASE_PREPOSITIONS:
                label = HEAD_TYPES[words[h]]
                break
    return label


def _plural_head(low: str) -> bool:
    """Whether a head noun of `HEAD_TYPES` is plural ("corpus" is not, "corpora" is)."""
    return low == "corpora" or (low.endswith("s") and low != "corpus")


def _field_acronym(name: str, label: str, plural: bool = False) -> bool:
    """Whether a short all-caps `name` before a head noun of type `label` names a field or task, not one thing:
    up to five capitals before a model noun or a plural ("SSL models", "KBQA models"), two before a dataset noun
    ("the DR benchmark", "KG数据集")."""
    return bool(re.fullmatch(r"[A-Z]{1,5}", name) and (label == M or plural)
                or label == D and re.fullmatch(r"[A-Z]{1,2}", name))


def find_head_appositions(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """"our SFT model, Raven, ...": a name set off by commas right after a singular head noun takes its type."""
    spans = []
    lowers = _lowers(doc)
    for t, low in enumerate(lowers[:-3]):
        label = HEAD_TYPES.get(low)
        if label is None or _plural_head(low) or doc[t + 1].text != ",":
            continue
        found = _name_after(doc, t + 2, max_len=4) or _one_word_name(doc, t + 2)  # "Raven", set off by commas
        if found is None or found[1] >= len(doc) or doc[found[1]].text not in {",", ".", "(", ";"}:
            continue
        name = doc[found[0]:found[1]].text
        if (lexicon.is_generic(name) or doc[found[0]].lower_ in _STOP_NAMES
                or not (has_name_shape(name) or len(name.split()) == 1)):
            continue
        spans.append(Span(doc, *found, label=label, span_id="typed_head"))
    return spans


def find_name_appositions(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """"the development of WangchanLion, an instruction fine-tuned model": a one-word name in mixed case or with a
    digit, followed by an apposition "a/an ... head noun", takes the head's type. An all-capital word is left to the
    acronym rules ("MDP, a model composed of ...": a class the paper does not define here)."""
    spans = []
    text = doc_text(doc)
    for i in range(len(doc) - 3):
        tok = doc[i]
        if doc[i + 1].text != "," or doc[i + 2].lower_ not in {"a", "an"} or _glued_before(doc, i):
            continue
        name = tok.text
        if (name.isupper() or not name[:1].isupper() or not has_name_shape(name) or lexicon.is_generic(name)
                or lexicon.lookup(name) or is_plural_acronym(name)):
            continue
        label = appositive_type(text, tok.idx, tok.idx + len(name))
        if label:
            spans.append(Span(doc, i, i + 1, label=label, span_id="typed_head"))
    return spans


# "the corresponding dataset EVOUNA", "a new benchmark RepoEval", "the existing sign-based approach StoSign": a head
# noun right before a name. Not "a benchmark DL detector" (the name modifies the next noun: "benchmark" is a
# baseline there).
_NAMED_DATASET_HEADS = frozenset({"dataset", "datasets", "benchmark", "corpus"})
_BEFORE_NAMED_HEAD = _DETERMINERS | {"corresponding", "resulting", "proposed", "large-scale", "public", "popular"}


def _determined(doc: Doc, t: int, window: int = 6) -> bool:
    """Whether the head noun at token `t` opens with a determiner, over lowercase modifiers only: "the
    inference-based model", "the existing sign-based approach"."""
    for k in range(t - 1, max(-1, t - 1 - window), -1):
        if doc[k].lower_ in _BEFORE_NAMED_HEAD:
            return True
        glued = k > 0 and doc[k - 1].text == "-"  # "sign-based"
        if not (doc[k].text == "-" or re.fullmatch(r"[a-z][a-z-]*", doc[k].text)) or (
                doc[k].lower_ in _PHRASE_STOP and not glued):
            return False
    return False


def find_head_names(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """"the dataset EVOUNA", "the conversational explanation framework TalkToModel": a name-shaped run right after
    a determined head noun (a singular one, but for datasets) takes its type."""
    spans = []
    lowers = _lowers(doc)
    for t, low in enumerate(lowers[:-1]):
        head_label = D if low in _NAMED_DATASET_HEADS else (HEAD_TYPES.get(low) if not _plural_head(low) else None)
        if head_label is None or t == 0 or not _determined(doc, t):
            continue
        found = _name_after(doc, t + 1, max_len=4)
        if found is None or doc[t + 1].is_sent_start or not _stands_alone(doc, found[1]):
            continue
        # "the datasets ManyTypes4Py and CrossDomainTypes4Py": each name of a coordination
        cuts = [k for k in range(*found) if lowers[k] in {"and", "or", "&"}]
        for a, b in zip([found[0]] + [k + 1 for k in cuts], cuts + [found[1]]):
            name = doc[a:b].text
            if b > a and has_name_shape(name) and not lexicon.is_generic(name) and not is_plural_acronym(name):
                spans.append(Span(doc, a, b, label=head_label, span_id="typed_head"))
    return spans


def find_typed_heads(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """"the X dataset", "X benchmark", "X-7B model", "X framework": a name-like run right before a head noun."""
    spans = []
    for t, low in enumerate(_lowers(doc)):
        label = HEAD_TYPES.get(low)
        if label is None or t == 0:
            continue
        tok = doc[t]
        j = tok.i
        i = j
        while i > 0 and j - i < 6:
            prev = doc[i - 1]
            if prev.is_punct and prev.text not in {"-", "/"} or prev.is_space or _CJK_CHAR_RE.search(prev.text):
                break
            if prev.lower_ in _POSSESSIVES:
                break  # "OpenAI's Whisper model": the owner is no part of the name
            if prev.text in {"A", "An"}:
                i = j  # "A Comprehensive AIOps Benchmark", "TRIALSCOPE A Unifying Causal Framework": a description
                break
            if doc[i].is_sent_start:
                break
            if _ADJECTIVAL_RE.fullmatch(prev.text):
                i = j  # "Neural ODE -based models": the name modifies the head, the models are no named thing
                break
            if prev.text[0].islower() and not re.search(r"[A-Z\d]", prev.text) and prev.lower_ not in {"of", "-"}:
                break
            i -= 1
        while i < j and doc[i].lower_ in _NAME_JOINERS:
            i += 1
        if i >= j or doc[j - 1].lower_ in _POSSESSIVES:
            continue  # "VFL's framework" is the framework of VFL, not one named
        if _glued_before(doc, i):
            continue  # "State-of-the-Art ASR model": the run is the tail of a hyphenated compound
        of = [k for k in range(i, j) if doc[k].lower_ == "of"]
        if of and not has_name_shape(doc[i:of[-1]].text):
            i = of[-1] + 1  # "the Potential of Seq2Seq Models": the name is what follows "of"
            if i >= j:
                continue
        name = doc[i:j].text
        if not is_name_like(name) or lexicon.is_generic(name):
            continue
        if name.count("(") != name.count(")") or name[-1] in "/-" or _ADJECTIVAL_RE.search(name):
            continue  # "(ANN)-based algorithms", "CTC/ Attention", "MLP-Like architecture": a piece of a bigger phrase
        if doc[i].lower_ in _STOP_NAMES or all(w in _LANGUAGE_WORDS for w in re.split(r"[\s-]+", name.lower())):
            continue  # "Such AI frameworks", "Swiss-German datasets" (stop names are single words)
        if label == D and _plural_head(low) and not (has_name_shape(name) and i > 0 and doc[i - 1].lower_ in _COORDINATORS):
            # "medical datasets", "VidQA datasets", "KG benchmarks": a plural head after plain words or one name is
            # a kind of dataset (a task or field); only after a list does it type names ("the GLUE and SuperGLUE
            # benchmarks")
            continue
        if len(name.split()) > 1 and lexicon.is_generic(name.split()[-1]) and not has_name_shape(name.split()[0]):
            continue  # "Chinese LLM benchmark": the run ends on a generic class word
        if _VERSION_WORD_RE.match(name.lower()) or not name[0].isalpha() or is_plural_acronym(name):
            continue  # "17B model", "v2 model", "LLMs model"
        if label == M and low == "systems":
            continue  # "FDD-OFDM Systems", "Human-AI Hybrid Systems": a kind of system, not one
        if _field_acronym(name, label, plural=_plural_head(low)):
            continue  # "KBQA models", "CR model", "SSL models", "a DR benchmark": a task or field as a modifier
        if i > 0 and doc[i - 1].lower_ in {"a", "an"} and _ACRONYM_RE.fullmatch(name):
            continue  # "an EEG dataset", "a PSPACE algorithm": a kind of thing; "a LegalDuet model" is named
        words = name.split()
        if any(lexicon.is_generic(" ".join(words[k:] + [tok.text])) for k in range(len(words))):
            continue  # "Instruction-Tuned Large Language Models"
        if not has_name_shape(name) and (label != D or doc._.kg_field == "title_en"):
            continue  # Title Case alone is too weak a sign (titles are all Title Case)
        spans.append(Span(doc, i, j, label=label, span_id="typed_head"))
    return spans


_PAREN_RE = re.compile(r"[(（]\s*(?P<short>[A-Za-z][A-Za-z0-9\-+.&/]{1,14}?)\s*[)）]")


def _word_after(text: str, end: int) -> str:
    """The lowercased word right after `end` ("" if none)."""
    m = re.match(r"\s*([A-Za-z][\w-]*)", text[end:])
    return m.group(1).lower() if m else ""


def _head_after(text: str, end: int) -> Optional[str]:
    """The type told by a head noun right after a definition: "a lightweight Gaussian-based Contrastive
    Grounding (GCG) module"; an apposition ("(MAC), an online adaptation framework") is `appositive_type`'s.
    Not "model": "the entity-relationship (ER) model", "a Legal Judgment Prediction (LJP) model" are no models."""
    label = HEAD_TYPES.get(_word_after(text, end))
    return label if label != M else None


def _schwartz_hearst(long_text: str, short: str) -> Optional[int]:
    """Start offset in `long_text` of the long form of `short` (Schwartz & Hearst 2003), or None."""
    s, l = len(short) - 1, len(long_text) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while l >= 0 and (long_text[l].lower() != c or (s == 0 and l > 0 and long_text[l - 1].isalnum())):
            l -= 1
        if l < 0:
            return None
        l -= 1
        s -= 1
    start = long_text.rfind(" ", 0, l + 1) + 1
    return start


_VERSION_WORD_RE = re.compile(r"^(?:v?\d[\w.]*|[ivx]+|\d+[bmk])$")


_PURPOSE_RE = re.compile(r"\s(?:for|using|via|with|in|on)\s", re.I)
_DATA_SET_WORDS = frozenset("test data evaluation validation training challenge".split())  # "... Test Set"


def type_from_head(long_form: str) -> Optional[str]:
    """Type told by the head (last word, skipping versions: "All-Seeing Model V2" -> MODEL) of a name. In "X for
    Y" a model, method or dataset head of X wins: "Equivariant Contrastive Learning for Sequential Recommendation"
    is a method, not a task."""
    purpose = _PURPOSE_RE.search(long_form)
    if purpose:
        label = type_from_head(long_form[: purpose.start()])
        if label in (M, ME, D):
            return label
    words = [w for w in re.split(r"[\s]+", long_form.strip().lower()) if w]
    while words and _VERSION_WORD_RE.match(words[-1]):
        words.pop()
    if not words:
        return None
    if len(words) > 2 and words[-1] == "set" and words[-2] in _DATA_SET_WORDS:
        return D  # "Bigger Analogy Test Set"; a "set" alone is as often a feature or candidate set
    return LONG_FORM_HEADS.get(words[-1]) or LONG_FORM_HEADS.get(words[-1].split("-")[-1])


def lexicon_tail_type(long_form: str, lexicon: Lexicon, min_words: int = 1) -> Optional[str]:
    """The type of the lexicon entry a long form is or ends with: English names are head-final, so "Adaptive
    retrieval-augmented generation" is a kind of retrieval-augmented generation (METHOD)."""
    words = long_form.split()
    for k in range(len(words) - min_words + 1):
        tail = " ".join(words[k:])
        entries = [] if lexicon.is_generic(tail) else lexicon.lookup(tail)
        if entries:
            return entries[0].type.value
    return None


_PLURAL_CLASS_RE = re.compile(r"\b(?:models|systems|agents)$", re.I)


# A venue is no entity, though "International Conference on Machine Learning (ICML)" ends in a technique's head.
_VENUE_RE = re.compile(r"\b(?:Conference|Workshop|Symposium|Journal|Transactions|Proceedings)\b", re.I)


def _class_definition(short: str, long_text: str, lexicon: Optional[Lexicon]) -> bool:
    """Whether an acronym definition names a generic class ("large language models (LLMs)") or a venue, not one
    thing a paper could propose or use."""
    return bool(_VENUE_RE.search(long_text)) or lexicon is not None and (
        lexicon.is_generic(short) or lexicon.is_generic(long_text) or is_plural_acronym(short))


def _technique_over_task(label: Optional[str], head_word: str) -> Optional[str]:
    """A name whose head word tells a task is a technique when a technique noun follows it: "the Deep
    Semi-supervised Anomaly Detection (DeepSAD) method", "a Subset Preference Extraction module"; not
    "existing traffic accident detection (TAD) methods", methods for the task."""
    head_after = HEAD_TYPES.get(head_word)
    return ME if label == T and head_after == ME and not head_word.endswith("s") else label


def _long_form_type(long_text: str, lexicon: Optional[Lexicon]) -> Optional[str]:
    """The type a long form tells by its head word or by the lexicon entry it ends with."""
    # a lexicon name of two words or more closing it tells more than a head word: "Multimodal Sentiment Analysis"
    # is a task, though "analysis" heads techniques; not past "for" ("Contrastive Learning for Recommendation")
    tail = lexicon_tail_type(long_text, lexicon, min_words=2) if lexicon and not _PURPOSE_RE.search(long_text) else None
    return tail or type_from_head(long_text) or (lexicon_tail_type(long_text, lexicon) if lexicon else None)


# A long form set in font markup right before its bracket: "\\emph{...} (X)", "\\textit{...} (X)", "{\\bf ...} (X)".
_MARKED_LONG_FORM_RE = re.compile(r"(?:\\(?:" + "|".join(LATEX_FONT_COMMANDS) + r")\{|\{\\(?:"
                                  + "|".join(LATEX_FONT_SWITCHES) + r")\s+)(?P<inner>[^{}\\]+)\}$")


def _forward_definitions(text: str) -> Iterator[Tuple[re.Match[str], int, str]]:
    """Each "long form (SHORT)" of `text` whose letters the long form holds (Schwartz & Hearst): the bracket's
    match, the long form's start and the long form."""
    for m in _PAREN_RE.finditer(text):
        short = m.group("short")
        if not re.search(r"[A-Z]", short) or len(short) < 2 or short.isdigit():
            continue
        window_start = max(0, m.start() - 120)
        cjk = list(_CJK_CHAR_RE.finditer(text, window_start, m.start()))
        if cjk:  # in Chinese text the long form cannot reach back past a Chinese character
            window_start = cjk[-1].end()
        before = text[window_start : m.start()].rstrip()
        marked = _MARKED_LONG_FORM_RE.search(before)
        if marked:  # "\\emph{quantum denoising diffusion probabilistic model} (QuDDPM)": the markup bounds it
            window_start, before = window_start + marked.start("inner"), marked.group("inner")
        spelled = _spelled_by_capitals(before, short)
        if spelled is not None:  # "Music undERstanding model with large-scale self-supervised Training (MERT)"
            long_start = window_start + len(before) - len(spelled)
        else:
            # bound the window by the words that can hold the letters: at most min(|A|+5, 2|A|) words
            candidate = " ".join(before.split(" ")[-min(len(short) + 5, len(short) * 2):])
            offset = window_start + len(before) - len(candidate)
            start = _schwartz_hearst(candidate, short)
            if start is None:
                continue
            long_start = offset + start
        long_text = text[long_start : window_start + len(before)]
        if len(long_text) <= len(short) or "(" in long_text or ")" in long_text:
            continue
        yield m, long_start, long_text


def _spelled_by_capitals(before: str, short: str, max_words: int = 12) -> Optional[str]:
    """The words ending `before` whose capital letters spell `short` exactly, from a capitalised word: the
    authors' own marking of the letters ("Optimism in the Face of Uncertainty (OFU)"), where Schwartz & Hearst's
    shortest match takes letters from inside words ("of Uncertainty", "Policy Optimization" for PPO). None when
    the capitals do not spell it (most long forms are lowercase)."""
    letters = "".join(c for c in short if c.isalpha()).upper()
    if len(letters) < 2 or any(c.isdigit() for c in short):
        return None  # "C3PO" spells three Cs
    words = before.split(" ")
    for k in range(1, min(max_words, len(words)) + 1):
        candidate = " ".join(words[-k:])
        capitals = "".join(c for c in candidate if c.isupper())
        if len(capitals) > len(letters) or not letters.endswith(capitals):
            return None
        if capitals == letters and candidate[:1].isupper():
            return candidate
    return None


def _names_class(short: str, long_text: str, lexicon: Optional[Lexicon]) -> bool:
    """Whether a forward definition names a class of things, not one: "large language models (LLMs)", "previous
    agent-based models (ABM)", "sequential recommender systems (SRS)"; "Unified paradigm for Multi-modal
    Personalization systems (UniMP)" is a paradigm."""
    return _class_definition(short, long_text, lexicon) or (
        lexicon is not None and bool(_PLURAL_CLASS_RE.search(re.split(r"\s(?:for|of)\s", long_text)[0]))
        and not lexicon.lookup(long_text))


def class_name_keys(class_acronyms: Iterable[str]) -> Set[str]:
    """Match keys of short forms defined as a class of things, the singular of a plural ("SpeechLMs" ->
    "speechlm"): `is_class_name` tells the names among them, in either number."""
    return {match_key(_singular(short)) for short in class_acronyms}


def is_class_name(name: str, class_keys: Set[str]) -> bool:
    return match_key(_singular(name)) in class_keys


def _singular(name: str) -> str:
    return name[:-1] if is_plural_acronym(name) else name


def find_acronym_definitions(doc: Doc, lexicon: Optional[Lexicon] = None) -> List[Tuple[Span, Span]]:
    """Pairs (long form, short form) of "long form (SHORT)" and "SHORT (Long Form)" definitions, both labelled by
    the long form's head ("Boosting of Thoughts (BoT)" -> METHOD). Unlabelled pairs get the label "" (a type may
    come from elsewhere). A definition of a class of things is none ("large language models (LLMs)")."""
    return acronym_definitions(doc, lexicon)[0]


def find_class_acronyms(doc: Doc, lexicon: Optional[Lexicon] = None) -> List[str]:
    """The short forms `doc` defines as a class of things ("Speech language models (SpeechLMs)"): no name of one
    model wherever else the paper writes them ("SpeechLM", "SRS" in the Chinese text)."""
    return acronym_definitions(doc, lexicon)[1]


def acronym_definitions(doc: Doc, lexicon: Optional[Lexicon] = None) -> Tuple[List[Tuple[Span, Span]], List[str]]:
    """`find_acronym_definitions` and `find_class_acronyms` of `doc` from one scan of its brackets."""
    pairs, classes = [], []
    text = doc_text(doc)
    for m, long_start, long_text in _forward_definitions(text):
        short = m.group("short")
        long_end = long_start + len(long_text)
        if _names_class(short, long_text, lexicon):
            classes.append(short)
            continue
        label = _technique_over_task(_long_form_type(long_text, lexicon), _word_after(text, m.end()))
        label = label or appositive_type(text, long_start, m.end()) or _head_after(text, m.end()) or ""
        long_span = doc.char_span(long_start, long_end, alignment_mode="contract")
        short_span = doc.char_span(m.start("short"), m.end("short"), alignment_mode="expand")
        if long_span is None or short_span is None:
            continue
        pairs.append(
            (
                Span(doc, long_span.start, long_span.end, label=label, span_id="acronym"),
                Span(doc, short_span.start, short_span.end, label=label, span_id="acronym"),
            )
        )
    return pairs + _reverse_definitions(doc, lexicon), classes


# "TESS (Toronto Emotional Speech Set)": the short form first, the long form in brackets (Schwartz & Hearst's
# second pattern). The bracket must hold the whole long form, each word capitalised but joiners.
_REVERSE_RE = re.compile(r"(?<![\w-])(?P<short>[A-Z][A-Za-z0-9\-+]{1,14})\s*[(（]\s*(?P<long>[A-Z][\w-]*"
                         r"(?:\s+(?:[A-Z][\w-]*|of|for|from|by|at|and|the|a|an|in|on|to|with|via)){1,7})\s*[)）]")


def _reverse_definitions(doc: Doc, lexicon: Optional[Lexicon]) -> List[Tuple[Span, Span]]:
    """(long form, short form) pairs of "SHORT (Long Form)"; never the same text as a forward definition, whose
    bracket holds one word."""
    pairs = []
    text = doc_text(doc)
    for m in _REVERSE_RE.finditer(text):
        short, long_text = m.group("short"), m.group("long")
        if sum(c.isupper() for c in short) < 2:
            continue
        if _schwartz_hearst(long_text, short) != 0:
            continue  # the letters must start at the bracket's first word
        if _class_definition(short, long_text, lexicon):
            continue
        label = _long_form_type(long_text, lexicon) or _head_after(text, m.end()) or ""
        long_span = doc.char_span(m.start("long"), m.end("long"), alignment_mode="contract")
        short_span = doc.char_span(m.start("short"), m.end("short"), alignment_mode="contract")
        if long_span is None or short_span is None:
            continue
        pairs.append((Span(doc, long_span.start, long_span.end, label=label, span_id="acronym"),
                      Span(doc, short_span.start, short_span.end, label=label, span_id="acronym")))
    return pairs


_TITLE_NOT_NAMES = {"sok", "survey", "position", "review", "tutorial", "overview", "editorial", "perspective",
                    "commentary", "benchmarking", "rethinking", "revisiting", "beyond", "towards", "toward", "on",
                    "from", "do", "does", "can", "is", "are", "what", "how", "why", "when", "where", "which",
                    "steering", "exploring", "understanding", "evaluating", "improving", "learning", "a", "an", "the",
                    "short", "introduction", "erratum", "correction", "keynote", "abstract", "demo", "note", "letter",
                    "report", "preprint", "vision", "opinion", "abstracts", "addendum", "corrigendum", "retraction"}
_TITLE_PHRASE_STOP = frozenset("for in via with on through from to and using towards toward beyond under by at as "
                               "is are can".split())
_TITLE_TAIL_PREPS = frozenset("with via through using by".split())
# A subtitle saying the words before the colon name a technique: ": A Novel Approach for ...", ": a Framework to ..."
_TITLE_TECHNIQUE_SUBTITLE_RE = re.compile(
    r"[:：]\s*(?:a|an)\s+(?:[\w-]+\s+){0,4}?(?:approach|framework|method|algorithm|technique|model)"
    r"(?:\s+(?:for|to|of|that|with|based)\b|\s*$|\s*,)", re.I)
_TITLE_DATASET_CUES = {"benchmark", "benchmarks", "dataset", "datasets", "corpus", "leaderboard", "suite", "testbed"}


def find_title_name(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """The name a title opens with ("GINopic: Topic Modeling with ...") is what the paper proposes. Typed by
    its own head word or shape, else by a dataset cue after the colon, else METHOD."""
    colon = next((t.i for t in doc[:10] if t.text in {":", "："}), None)
    if colon is None or colon == 0 or colon > 7:
        return []
    start, end = 0, colon
    stop = next((t.i for t in doc[:colon] if t.lower_ in _TITLE_PHRASE_STOP | {"of"}), None)
    if stop is not None:
        # "mCPT at SemEval-2023 Task 3:" names mCPT, "Medical Image Segmentation with InTEnt:" InTEnt; "Dynamics of
        # Instruction Tuning:" and "Exploration-Driven Policy Optimization in RLHF:" are descriptions
        if stop == 1 and has_name_shape(doc[0].text):
            end = 1
        elif doc[stop].lower_ in _TITLE_TAIL_PREPS and colon - stop == 2 and has_name_shape(doc[stop + 1].text):
            start = stop + 1
        else:
            return []
    name = doc[start:end].text
    # One word alone before the colon opening a title is a name too ("Aligner:", "Spaiche:", "r-softmax:"),
    # unless it labels the kind of paper ("Survey:", "Short:")
    one_word = start == 0 and re.fullmatch(r"[A-Za-z][\w'-]*", name) is not None
    if not (is_name_like(name) or one_word) or lexicon.is_generic(name) or lexicon.lookup(name):
        return []
    # "GINopic:", "ArCHer:", "Multi:", "All-Seeing Project V2:" name a system; "Towards Tracing Trustworthiness
    # Dynamics:" and "On the Consideration of AI Openness:" do not.
    words = name.split()
    described = _TITLE_TECHNIQUE_SUBTITLE_RE.match(doc[colon:].text) and not words[0].lower().endswith("ing")
    if (len(words) > 1 and not any(has_name_shape(w) and not lexicon.is_generic(w) for w in (words[0], words[-1]))
            and not described):
        # "Scalable Qualitative Coding with LLMs:" is a description; "Wasserstein Quantum Monte Carlo: A Novel
        # Approach for ..." is a name, the subtitle says what it is
        return []
    if words[0].lower() in _TITLE_NOT_NAMES or len(words) > 5:
        return []
    rest = {t.lower_ for t in doc[colon + 1 :]}
    label = type_from_head(name) or type_from_name_shape(name)
    if label is None:
        label = D if rest & _TITLE_DATASET_CUES else ME
    return [Span(doc, start, end, label=label, span_id="title")]


_TITLE_JOINERS = frozenset({"of", "the", "a", "an"})
_TITLE_VERBS = frozenset("improves elicits enables meets matters helps makes works beats outperforms reduces boosts "
                         "learns between meets is are".split())
_TITLE_STUDY_WORDS = frozenset("analysis study investigation evaluation comparison assessment".split())
_TITLE_WEAK_HEADS = frozenset("analysis inference search process processes planning estimation".split())


def find_title_phrase(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """A title that opens with a capitalised technique or dataset name, no colon needed: "Memory-Augmented
    Generative Adversarial Transformers", "Entity-Aware Multimodal Alignment Framework for ...". Only names of
    2-6 words whose head says METHOD or DATASET, ended by a preposition or the title's end."""
    words = []
    for tok in doc:
        low = tok.lower_
        if tok.is_punct and tok.text != "-":
            break
        if low in _TITLE_PHRASE_STOP or (words and tok.text in {"A", "An"}):
            break  # "TRIALSCOPE A Unifying Causal Framework": a subtitle without its colon
        if not tok.text[:1].isupper() and low not in _TITLE_JOINERS and not (tok.text == "-" and words):
            return []
        words.append(tok)
    while words and words[-1].lower_ in _TITLE_JOINERS:
        words.pop()
    name = doc[words[0].i : words[-1].i + 1].text if words else ""
    parts = name.split()
    # Two words are mostly a field ("Federated Learning", "Causal Inference"), a leading gerund a paper about
    # something ("Optimizing Convolutional Neural Networks"), a verb a claim ("X Improves Y").
    if not 3 <= len(parts) <= 6 and not (len(parts) == 2 and any(has_name_shape(p) for p in parts)):
        return []
    if words[0].lower_ in _TITLE_NOT_NAMES | _TITLE_STUDY_WORDS or (parts[0].lower().endswith("ing") and "-" not in parts[0]):
        return []
    if any(p.lower() in _TITLE_VERBS for p in parts):
        return []
    if parts[0].lower().endswith("ly"):
        return []  # "Efficiently Aligned Cross-Lingual Transfer Learning": an adverb opens a description
    if "of" in parts:
        return []  # "Transferability of Graph Neural Networks", "Inversion of Bayesian Networks": about a class
    label = type_from_head(name)
    if label == D and parts[-1].lower() not in _TITLE_DATASET_CUES:
        return []  # "... Evaluation" names a study more often than a benchmark
    if label not in (ME, D) or parts[-1].lower() in _TITLE_WEAK_HEADS or lexicon.is_generic(name) or lexicon.lookup(name):
        return []
    return [Span(doc, words[0].i, words[-1].i + 1, label=label, span_id="title")]


_TITLE_TAIL_WEAK = _TITLE_WEAK_HEADS | frozenset("feedback memory reasoning learning".split())


def find_title_tail(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """The technique a title says the paper works by, after its last "with / via / through / using / by":
    "Improving Fact-Checking with Latent Retrieval", "... through a Dual-View Legal Clue Reasoning". Only
    capitalised phrases of 2-5 words that end the title (or a "for ..." after them) and whose head says METHOD."""
    starts = [t.i for t in doc if t.lower_ in _TITLE_TAIL_PREPS]
    if not starts:
        return []
    i = starts[-1] + 1
    while i < len(doc) and doc[i].lower_ in {"a", "an", "the"}:
        i += 1
    j = i
    while j < len(doc) and (doc[j].text[:1].isupper() or (doc[j].text == "-" and j > i)):
        j += 1
    if j < len(doc) and doc[j].lower_ != "for" and not doc[j].is_punct:
        return []
    name = doc[i:j].text
    parts = name.replace("-", " ").split()
    head = parts[-1].lower() if parts else ""
    if not 2 <= len(name.split()) <= 5 or parts[0].lower().endswith("ing"):
        return []
    if (LONG_FORM_HEADS.get(head) != ME and head not in _TECHNIQUE_HEADS) or head in _TITLE_TAIL_WEAK or head.endswith("s"):
        return []  # "with Unrolled Networks", "with Mediator Feedback", "via Logical Reasoning": classes and settings
    if lexicon.is_generic(name) or lexicon.lookup(name) or any(lexicon.is_generic(" ".join(name.split()[k:]))
                                                              for k in range(1, len(name.split()))):
        return []
    return [Span(doc, i, j, label=ME, span_id="title")]


def find_title_acronym(doc: Doc) -> List[Tuple[Span, Span]]:
    """"PRSA: Prompt Reverse Stealing Attacks against ...", "SWEA: ... via Subject Word Embedding Altering": the
    acronym a title opens with, paired with its long form later in the title (Schwartz-Hearst on each prefix of
    the rest, shortest first; capitalised words only)."""
    colon = next((t.i for t in doc[:4] if t.text in {":", "："}), None)
    if colon != 1 or len(doc[0].text) > 8 or sum(c.isupper() for c in doc[0].text) < max(2, 0.4 * len(doc[0].text)):
        return []  # an acronym, not a CamelCase name ("RetrievalQA: Assessing ...")
    short = doc[0]
    rest = doc[colon + 1 :]
    letters = re.sub(r"[^A-Za-z]", "", short.text).lower()
    first = None
    for end in range(1, len(rest) + 1):
        candidate = rest[:end]
        if not candidate[-1].text[:1].isupper():
            continue
        start = _schwartz_hearst(candidate.text, short.text)
        if start is None:
            continue
        long_span = doc.char_span(candidate.start_char + start, candidate.end_char, alignment_mode="contract")
        if long_span is None or not 2 <= len(long_span) <= len(short.text) + 2:
            continue
        if not all(t.text[:1].isupper() or t.lower_ in _NAME_JOINERS or t.text == "-" or doc[t.i - 1].text == "-"
                   for t in long_span):
            continue
        # the long form ends on the word of the acronym's last capital ("... Stealing Attacks" for PRSA), or on a
        # head noun right after it ("... Understanding Benchmark" for CMMMU)
        last_cap = next(c for c in reversed(short.text) if c.isupper()).lower()
        tail = [t for t in long_span if t.text != "-"]
        if tail[-1].lower_ in HEAD_TYPES and len(tail) > 1:
            tail = tail[:-1]
        if tail[-1].lower_[:1] != last_cap and not tail[-1].text.lower().startswith(last_cap):
            continue
        label = type_from_head(long_span.text) or ""
        pair = (Span(doc, long_span.start, long_span.end, label=label, span_id="acronym"),
                Span(doc, short.i, short.i + 1, label=label, span_id="acronym"))
        initials = "".join(w[0] for w in re.split(r"[\s\-]+", long_span.text) if w and w.lower() not in _NAME_JOINERS)
        if initials.lower() == letters:
            return [pair]  # each letter opens a word: "Membership-Invariant Subspace Training" for MIST
        first = first or pair
    return [first] if first else []  # else the shortest that matches at all


# ----------------------------------------------------------------------------------------------- Chinese

_ZH_CUES: Dict[str, str] = {
    "数据集": D, "基准测试": D, "基准": D, "语料库": D, "语料": D, "排行榜": D,
    "模型": M, "大模型": M,
    "方法": ME, "框架": ME, "算法": ME, "技术": ME, "架构": ME, "策略": ME,
}
_ZH_DATASET_BEFORE = ("数据集", "基准测试")
_ZH_NAMING = ("名为", "称为", "命名为", "被称为", "叫做")
# A count or plural before the name, maybe with a describing "...的": "两个大规模的", "15个不同的", "一系列".
_ZH_KIND_BEFORE_RE = re.compile(r"(?:(?:[两三四五六七八九十多几]|\d+)个|一组|各种|一系列|这些|若干|其他|其它|现有|不同|多种|许多|众多)"
                                r"(?:[^，。、；：A-Za-z]{0,6}的)?$")
_CJK_CHAR_RE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Not glued to a number before it: "32.6GB的数据集" is a size, not a dataset named GB.
# A name may start with digits glued to letters ("3D-MoLM"), never in the middle of one ("MoLM" of "3D-MoLM").
_LATIN_NAME_RE = re.compile(r"(?<![A-Za-z0-9.\-])(?:\d+[A-Za-z]|[A-Za-z])[A-Za-z0-9\-+.]*"
                            r"(?:\s[A-Za-z0-9][A-Za-z0-9\-+.]*)*")
_SIZE_WORD_RE = re.compile(r"\d[\d.]*[A-Za-z]{1,2}")  # "7B模型", "3D数据": a size or dimension, not a name


def zh_doc(nlp, text: str) -> Doc:
    """A Doc of Chinese text: each CJK character one token, Latin runs tokenized by the English tokenizer,
    so `doc.text == text` and the same matchers run on it."""
    words: List[str] = []
    spaces: List[bool] = []
    for m in re.finditer(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+", text):
        chunk = m.group()
        if _CJK_CHAR_RE.fullmatch(chunk):
            words.append(chunk)
            spaces.append(False)
            continue
        for tok in nlp.tokenizer(chunk):
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))
    return Doc(nlp.vocab, words=words, spaces=spaces)


def find_zh_cued_names(doc: Doc, lexicon: Lexicon) -> List[Span]:
    """Latin names in Chinese text typed by the cue word right after them ("CRPE基准", "AS-V2数据集") or
    introduced by 名为/称为."""
    spans = []
    text = doc_text(doc)
    for m in _LATIN_NAME_RE.finditer(text):
        name = m.group().strip(" -.")
        while " " in name and lexicon.is_generic(name.split(" ", 1)[0]):
            name = name.split(" ", 1)[1]  # "生成LLMs MEGA的基准测试": the benchmark is MEGA
        if not name or lexicon.is_generic(name) or not is_name_like(name) or _SIZE_WORD_RE.fullmatch(name):
            continue
        if _ADJECTIVAL_RE.search(name):
            continue  # "GPT-based模型", "FCI-like方法": a kind of model or method, as "GPT-based models" is
        after = text[m.end() : m.end() + 4].lstrip("的 ")
        label = next((t for cue, t in _ZH_CUES.items() if after.startswith(cue)), None)
        before = text[max(0, m.start() - 4) : m.start()]
        if label is None and before.endswith(_ZH_DATASET_BEFORE):
            label = D  # "数据集EVOUNA"; not "基准RL环境": 基准 alone is a baseline as often as a benchmark
        if label is None and any(before.endswith(w) for w in _ZH_NAMING):
            label = next((t for cue, t in _ZH_CUES.items() if cue in text[m.end() : m.end() + 12]), None)
        if label is None or _field_acronym(name, label):
            continue  # "SSL模型", "KG数据集": a field or task as a modifier, as "SSL models" is in English
        if label == D and _ZH_KIND_BEFORE_RE.search(text[max(0, m.start() - 12) : m.start()]):
            continue  # "两个最知名的TextTableQA数据集": counted datasets of a kind, as "TextTableQA datasets" is
        start = m.start() + m.group().index(name)
        span = _char_span(doc, start, start + len(name), label, "zh_cue")
        if span is not None:
            spans.append(span)
    return spans


# ----------------------------------------------------------------------------------------------- choice


def _rank(span: Span) -> Tuple[int, float]:
    # Longest first, so a sized variant ("Llama-2-7B") beats the family name inside it; then rule confidence.
    return (len(span.text), RULE_SCORES.get(span.id_, 0.5))


_MARKUP_RE = re.compile(r"[<>=\"{}\\]")


def _named_as_own(doc: Doc, span: Span) -> bool:
    """Whether a title or introduced `span` is named as the paper's own: it opens the title, or this paper's
    proposing verb comes before it ("we propose a method called X", not "we utilized three methods, namely X")."""
    return span.id_ == "title" or _own_verb_before(doc, span.start)


def choose_entities(
    doc: Doc, candidates: Iterable[Span], lexicon: Lexicon, truncated: bool = False, class_acronyms: Iterable[str] = ()
) -> List[Span]:
    """Final entity spans: labelled candidates without generic phrases, without a word cut off at the end of a
    truncated text, overlaps resolved by length (the longer, more specific name wins), then rule confidence.
    Names the text defines as a class of things (`class_acronyms`, "SpeechLMs") are none, unless the lexicon
    lists them."""
    keep: List[Span] = []
    end_of_text = len(doc_text(doc).rstrip())
    classes = class_name_keys(class_acronyms)
    for span in sorted(candidates, key=_rank, reverse=True):
        if not span.label_ or lexicon.is_generic(span.text) or not span.text.strip():
            continue
        if classes and span.id_ != "lexicon" and is_class_name(span.text, classes):
            continue
        if truncated and span.end_char >= end_of_text:
            continue
        if not re.search(r"[A-Za-z\u3400-\u9fff]", span.text) or len(match_key(span.text)) < 2:
            continue
        if _MARKUP_RE.search(span.text):  # HTML or LaTeX left in a digest ('onmouseover="..."', '\\textsc{X')
            continue
        words = span.text.split()
        if len(words) > 1 and lexicon.is_generic(words[-1]) and all(_ADJECTIVAL_RE.search(w) for w in words[:-1]):
            continue  # "Transformer-based GNN": a kind of a generic class
        # a variant of a known technique or an acronym that is also the paper's own name ("r-softmax: ...", "SIRL:
        # Similarity-based ..." open the title): the type stays, the rule that says the paper names it (so
        # proposes it) is the one recorded
        twin = next((i for i, k in enumerate(keep) if (k.start, k.end) == (span.start, span.end)
                     and (k.id_ == "variant" or k.id_ == "acronym" and _named_as_own(doc, span))),
                    None) if span.id_ in PROPOSE_RULES else None
        if twin is not None:  # an acronym twin keeps the acronym's say in the type: "introduced:acronym"
            k = keep[twin]
            kb_id = k.kb_id_ if k.id_ == "variant" else "acronym"
            keep[twin] = Span(doc, k.start, k.end, label=k.label_, kb_id=kb_id, span_id=span.id_)
            continue
        if any(span.start < k.end and k.start < span.end for k in keep):
            continue
        keep.append(span)
    return sorted(keep, key=lambda s: (s.start, s.end))


# ---------------------------------------------------------------- apposition: "X, a novel framework"
# "X, a ...", "X is a ...", and after a colon or dash only with a determiner ("X: A Benchmark", not "X: Can LLMs").
_APPOS_MARK_RE = re.compile(r"^[\"'”’]?\s*(?:\([^)]{0,40}\)\s*)?(?:(?:\s+is|\s+was|,?\s+which is)\s*(?:(?:a|an|the|our|one)\s+)?"
                            r"|(?:,|--|—|:)\s*(?:a|an|the|our|one)\s+)", re.I)  # "X, offers ..." is no apposition
# A hyphenated describing word: "end-to-end", "LLM-driven".
_HYPHENATED_ADJECTIVE_RE = re.compile(r"(?:\w+-)+[a-z]+")
_APPOS_STOP = frozenset("for that which with to inspired based leveraging using designed trained built on in by where "
                        "capable comprising containing consisting including covering from via through and/or "
                        "specifically tailored aimed employing utilizing utilising exploiting harnessing integrating "
                        "incorporating combining powered driven guided equipped".split())
_APPOS_OF_OK = frozenset("family series suite set collection variety".split())
_APPOS_LEFT_RE = re.compile(r"(?P<head>[A-Za-z][A-Za-z\-]*)\s*(?:--|—|:|,|\()?\s*\(?\s*"
                            r"(?:called|named|dubbed|termed|coined|namely)?\s*$", re.I)
_ZH_APPOS_RE = re.compile(r"^(?:是|为)(?:一个|一种|一款|一套|一系列)(?P<desc>[^，。；：]{0,40})")


_COORD_NAME = r"[A-Z0-9][\w.+\-/]*(?:\s+[A-Z0-9][\w.+\-/]*){0,2}"
_COORD_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)"
_COORD_RE = re.compile(rf"^{_COORD_SEP}(?:{_COORD_NAME}{_COORD_SEP})*{_COORD_NAME}\s+(?P<head>datasets|benchmarks|corpora)\b")


def appositive_type(sentence: str, start: int, end: int) -> Optional[str]:
    """The type a sentence gives the name at `sentence[start:end]` by apposition: "X, a novel ... framework",
    "X is a 17B VLM", "a large-scale dataset -- X", "our approach (dubbed X)", "X是一个...框架". None if it says
    nothing. The head is the last typing noun of the describing phrase, so "a gesture understanding framework
    leveraging LLMs" is a framework. A list before a plural head ("A, B and C datasets") is typed by it."""
    right, left = sentence[end:], sentence[:start]
    m = _COORD_RE.match(right)
    if m:  # "the MovieLen-1M and Book-Crossing datasets": one plural head types the whole list
        return HEAD_TYPES[m.group("head")]
    m = _APPOS_MARK_RE.match(right)
    if m and m.end() > 0 and right[: m.end()].strip():
        label = None
        words = re.findall(r"[A-Za-z0-9][\w\-]*|[,.;()]", right[m.end():])
        for i, w in enumerate(words[:14]):
            low = w.lower()
            if low == "," and i > 0 and label is None and (
                    words[i - 1].lower() in _DESCRIBING or _HYPHENATED_ADJECTIVE_RE.fullmatch(words[i - 1])):
                continue  # "X, an end-to-end, LLM-driven information retrieval architecture": adjectives in a row
            if low in ",.;()" or (low in _APPOS_STOP) or (low == "of" and (i == 0 or words[i - 1].lower() not in _APPOS_OF_OK)):
                break
            label = HEAD_TYPES.get(low, label)
        if label:
            return label
    m = _ZH_APPOS_RE.match(right)
    if m:
        hits = [(m.group("desc").rfind(cue), t) for cue, t in _ZH_CUES.items() if cue in m.group("desc")]
        if hits:
            return max(hits)[1]
    m = _APPOS_LEFT_RE.search(left)
    if m and left[m.end("head"):].strip():  # a connector or naming word between the head and the name
        if left[m.end("head"):].strip() == "," and _closes_opening_phrase(left[:m.end("head")], right):
            return None
        label = HEAD_TYPES.get(m.group("head").lower())
        if label and not m.group("head").istitle():  # not "... in the Unified Planning Framework (UPF)", a name
            phrase = re.split(r"[^\w\s-]", left[:m.start("head")])[-1]
            label = _outer_head_type(re.findall(r"[\w-]+", phrase.lower())) or label
        return label
    return None


# A sentence opening with a preposition, participle or subordinator: its first comma ends that phrase.
_OPENING_PHRASE_RE = re.compile(
    r"^\s*(?:in|on|at|for|with|along|as|to|unlike|like|compared|evaluated|tested|trained|based|given|despite|"
    r"although|while|when|after|before|following|beyond|besides|among|across|over|through|by|from|under|"
    r"within|via)\b", re.I)


def _closes_opening_phrase(head_left: str, right: str) -> bool:
    """Whether the comma after `head_left` (a sentence's start up to a head noun) closes an opening phrase, so the
    name after it starts the main clause: "Evaluated on multiple benchmarks, SAMA showcases ..." does not say SAMA
    is a benchmark. A name closed by a comma of its own is inserted, so it is an apposition after all ("By
    compiling a benchmark, UnknownBench, which ...")."""
    return bool(_OPENING_PHRASE_RE.match(head_left)) and "," not in head_left and not right.lstrip().startswith(",")
