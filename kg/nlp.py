"""The one spaCy loader of PaperKG: the English pipeline plus the project's components.

Only the components that pay for themselves run: the tokenizer and the cheap statistical sentence splitter
(`senter`) of en_core_web_sm; tagger, parser, lemmatizer and the general NER are excluded (they cost most of the
time and the rules do not use them).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Optional, Sequence

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from .defaults import NER_MODEL_DIR, SPACY_MODEL, SPACY_MODEL_FALLBACKS, USE_TRAINED_NER
from .errors import Errors, ModelNotFoundError
from .normalize import LATEX_FONT_COMMANDS

__all__ = ["load", "resolve_model_name", "KG_COMPONENTS"]

KG_COMPONENTS: Sequence[str] = ("kg_lexicon", "kg_acronyms", "kg_patterns", "kg_entities")
_UNUSED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


def resolve_model_name(model: Optional[str] = None) -> str:
    """The pipeline to load: `model` if given; else the official en_core_web_sm when installed, else the
    pinned re-upload. Raises ModelNotFoundError (with the install command) when none is installed."""
    candidates = [model] if model else [SPACY_MODEL, *SPACY_MODEL_FALLBACKS]
    for name in candidates:
        if "/" in name or name.startswith("."):
            return name  # a path: spaCy reports what is wrong with it
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(Errors.E020.format(name=model or SPACY_MODEL))


# spaCy keeps "." on a token ending in a capital ("U.S."), so "... on MMLU." or "Llama-2-7B." hid the name and
# the sentence end. Split it off after two capitals/digits, after a hyphen and a capital ("MedSAM-X."), after a
# capital ending a camel-case word ("TopK."), or after closing math ("SO$_2$. The"); "U.S." and "J." keep theirs.
_FINAL_PERIOD_SUFFIX = r"(?:(?<=[A-Z0-9][A-Z0-9])|(?<=\w-[A-Z])|(?<=[a-z][A-Z])|(?<=\$))\.$"
# An opening bracket closed inside the word is part of a name ("[RE]VER"): split off, it left "RE]VER" and a
# sentence break after "[". Other "[" stay prefixes.
_BRACKET_PREFIX = r"\[(?![A-Za-z0-9]{1,8}\][A-Za-z0-9])"
# An acronym glued to its long form, "singular value decomposition(SVD)", is a word, "(", the acronym, ")".
_GLUED_ACRONYM_INFIX = r"(?<=[a-z]{2})\((?=[A-Z][A-Za-z0-9-]*(?:\)|$))"
# So is a link glued to the name it gives: "the BubbleML Dataset(https://github.com/...)".
_GLUED_URL_INFIX = r"(?<=[A-Za-z0-9])\((?=https?://|www\.)"
# A closing bracket glued to what follows, "(NLI)-based", "(INN).The": the acronym, ")", "-" or ".", the next word.
_GLUED_CLOSE_INFIXES = [r"(?<=[A-Za-z0-9])\)(?=[-.][A-Za-z])", r"(?<=\))[-.](?=[A-Za-z])"]
# A slash between two versions of one name, "GPT-3/3.5", "CIFAR-10/100", "Llama-2-7B/13B": the first version is a
# name of its own ("GPT-3"), which the whole word had hidden.
_VERSION_SLASH_INFIXES = [r"(?<=[A-Za-z]-\d)/(?=\d)", r"(?<=[A-Za-z]-\d\d)/(?=\d)", r"(?<=[A-Za-z]-\d\d\d)/(?=\d)",
                          r"(?<=[A-Za-z]-\d\.\d)/(?=\d)", r"(?<=\d[BM])/(?=\d)"]


# LaTeX font markup left in abstracts ("we present \\textbf{OpsEval}, a ...", "\\texttt{Fed-GraB}") is a token of its
# own, so the name inside is a word like any other.
_LATEX_PREFIX = r"\\(?:" + "|".join(LATEX_FONT_COMMANDS) + r")\{"


def _adjust_affixes(nlp: Language) -> None:
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    prefixes = [_LATEX_PREFIX] + [_BRACKET_PREFIX if p == r"\[" else p for p in nlp.Defaults.prefixes]
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    nlp.tokenizer.suffix_search = compile_suffix_regex(list(nlp.Defaults.suffixes) + [_FINAL_PERIOD_SUFFIX]).search
    infixes = list(nlp.Defaults.infixes) + [_GLUED_ACRONYM_INFIX, _GLUED_URL_INFIX] + _GLUED_CLOSE_INFIXES + _VERSION_SLASH_INFIXES
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def load(model: Optional[str] = None, *, lexicon_path: Optional[str] = None, blank: bool = False,
         ner_path: Optional[str] = "default") -> Language:
    """The PaperKG pipeline: `model` (see resolve_model_name) with senter, plus lexicon, acronym, pattern and
    chooser components. `blank=True` uses spacy.blank("en") plus a rule-based sentencizer (tests, no model).
    RETURNS (Language): the pipeline; pass it around, load it once."""
    if blank:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
    else:
        name = resolve_model_name(model)
        try:
            nlp = spacy.load(name, exclude=list(_UNUSED))
        except OSError as exc:
            raise ModelNotFoundError(Errors.E020.format(name=name) + f"\n({exc})") from None
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
    _adjust_affixes(nlp)
    config = {"lexicon_path": lexicon_path}
    nlp.add_pipe("kg_lexicon", config=config)
    nlp.add_pipe("kg_acronyms", config=config)
    nlp.add_pipe("kg_patterns", config=config)
    ner_dir = NER_MODEL_DIR if ner_path == "default" and USE_TRAINED_NER else (None if ner_path == "default" else ner_path)
    if ner_dir and Path(ner_dir).exists():
        # The trained recogniser carries its own tok2vec, so it runs on this pipeline's tokens.
        nlp.add_pipe("kg_ner", source=spacy.load(ner_dir))
        nlp.add_pipe("kg_ner_candidates")
    nlp.add_pipe("kg_entities", config=config)
    return nlp
