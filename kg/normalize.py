"""Name normalisation shared by extraction, resolution, IRI minting and evaluation (pure functions)."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Mapping

__all__ = ["normalize_name", "match_key", "singular_key", "version_tokens", "PLURAL_HEADS", "LATEX_FONT_COMMANDS",
           "LATEX_FONT_SWITCHES"]

#: LaTeX font markup digests leave around names: "\\textbf{OpsEval}" (commands), "{\\bf ProAttack}" (switches).
LATEX_FONT_COMMANDS = ("textbf", "textit", "texttt", "textsc", "emph", "mathrm", "mathbf")
LATEX_FONT_SWITCHES = ("bf", "it", "em")

_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_POSSESSIVE_RE = re.compile(r"(?<=\w)'s\b|(?<=[a-z]s)'(?=\s|$)")
_LATEX_RE = re.compile(r"\\[A-Za-z]+\s*\{|[{}$]")
_NON_KEY_RE = re.compile(r"[^0-9a-z+.\u3400-\u9fff]+")
_STRAY_DOT_RE = re.compile(r"(?<!\d)\.|\.(?!\d)")
_BRITISH_RE = re.compile(r"(?<=[a-z])isation")  # optimisation, normalisation, tokenisation, summarisation
_EDGE_CHARS = " .,;:\"'`/-"


def _balance(name: str) -> str:
    """Cut what an unbalanced bracket glued to a name: "ANN)-based" -> "ANN", "learning(CL" -> "CL"."""
    for open_, close in ("()", "[]"):
        if name.count(open_) == name.count(close):
            continue
        i, j = name.find(close), name.rfind(open_)
        if i >= 0 and (j < 0 or i < j) and name[:i].strip():
            name = name[:i]
        elif j >= 0 and name[j + 1 :].strip():
            name = name[j + 1 :]
        else:
            name = name.replace(open_, "").replace(close, "")
    return name


@functools.lru_cache(maxsize=1 << 16)  # pure and called for every mention, often on the same names
def normalize_name(name: str) -> str:
    """Surface form cleaned for display: NFKC, one kind of dash and quote, no possessive ("GPT-4's"), no LaTeX
    markup ("\\textbf{X}", "$X$"), no text glued on by an unbalanced bracket, single spaces, no stray quotes or
    hyphens at the ends."""
    name = unicodedata.normalize("NFKC", name).translate(_DASHES).translate(_QUOTES)
    name = _POSSESSIVE_RE.sub("", name)
    if "\\" in name or "$" in name or "{" in name:
        name = _LATEX_RE.sub("", name)
    if "(" in name or ")" in name or "[" in name or "]" in name:
        name = _balance(name)
    return " ".join(name.split()).strip(_EDGE_CHARS)


#: Greek letters spelled out, as names also write them ("α-entmax" / "alpha-entmax", "τ-bench" / "tau-bench"), and
#: the Latin letters no accent-stripping reaches.
_LETTER_SPELLINGS = str.maketrans({
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi",
    "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi",
    "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
    # Latin letters that carry no accent to drop: "Møller", "Łukasiewicz"
    "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "þ": "th", "ð": "d"})


def _fold_letters(text: str) -> str:
    """Accents dropped and Greek spelled out, so that no letter of a name is lost from its key: "Cramér" ->
    "cramer", "Π-model" -> "pi-model" (not "model", which would make the key of a plain word)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text).translate(_LETTER_SPELLINGS)


@functools.lru_cache(maxsize=1 << 16)  # pure and called for every mention, often on the same names
def match_key(name: str) -> str:
    """Case-, space- and hyphen-insensitive key: "LLaVA-1.5", "LLaVa 1.5" and "LLaVA1.5" agree ("llava1.5").

    Versions and sizes stay apart: a dot between digits and "+" are kept ("OPT-1.3B" is not "OPT-13B",
    "HumanEval+" is not "HumanEval"; "GPT-4" -> "gpt4", "GPT-4V" -> "gpt4v"). Accented and Greek letters count
    as their plain spelling ("Matérn" is "matern", "ε-greedy" is "epsilongreedy"), and British "-isation" as
    "-ization" ("Bayesian optimisation" is "Bayesian optimization").
    """
    key = _NON_KEY_RE.sub("", _BRITISH_RE.sub("ization", _fold_letters(normalize_name(name).lower())))
    return _STRAY_DOT_RE.sub("", key)


#: Plural head nouns of method and model names and their singular: "Graph Neural Networks" names the same
#: method as "Graph Neural Network", "Tree of Thoughts" the same as "Tree of Thought". Only these words fold, so
#: names that merely end in "s" ("Naive Bayes", "Atlas") are never cut.
PLURAL_HEADS: Mapping[str, str] = {
    **{w + "s": w for w in (
        "network", "net", "transformer", "former", "machine", "model", "autoencoder", "auto-encoder", "encoder",
        "decoder", "field", "forest", "tree", "embedding", "adapter", "agent", "operator", "kernel", "layer", "unit",
        "mechanism", "algorithm", "attack", "flow", "thought", "expert", "ensemble", "equation", "connection",
        "classifier", "retriever", "estimator", "module", "architecture", "prompt", "graph", "representation",
        "method", "technique", "sampler", "optimizer", "optimiser", "regressor", "filter", "circuit", "bandit",
        "program", "head", "gate", "feature", "function", "solver", "vector", "chain", "walk", "tokenizer", "mixer",
    )},
    "processes": "process", "policies": "policy", "strategies": "strategy", "approaches": "approach",
    "searches": "search", "losses": "loss",
}
_PLURAL_ACRONYM_RE = re.compile(r"[A-Z][A-Za-z0-9]*[A-Z]s")
_WORD_SPLIT_RE = re.compile(r"([\s\-/]+)")


@functools.lru_cache(maxsize=1 << 16)  # pure and called for every mention, often on the same names
def singular_key(name: str, acronyms: bool = True) -> str:
    """`match_key` with a plural head folded to its singular: "Graph Neural Networks" -> "graphneuralnetwork",
    "Neural ODEs" -> "neuralode" (unless `acronyms` is false), "Tree of Thoughts" -> "treeofthought". A lone
    lower-case plural is left alone ("transformers", the library, is not "Transformer", the architecture)."""
    name = normalize_name(name)
    parts = _WORD_SPLIT_RE.split(name)
    last = parts[-1]
    folded = None
    if acronyms and _PLURAL_ACRONYM_RE.fullmatch(last) and len(last) >= 3:
        folded = last[:-1]
    elif last.lower() in PLURAL_HEADS and (len(parts) > 1 or last[:1].isupper()):
        folded = PLURAL_HEADS[last.lower()]
    if folded is None:
        return match_key(name)
    return match_key("".join(parts[:-1]) + folded)


_VERSION_TOKEN_RE = re.compile(r"\d+(?:\.\d+)*(?:x\d+)?[a-z]*|\+")


def version_tokens(name: str) -> tuple:
    """The version and size tokens of a name, in order: "Llama-2-7B" -> ("2", "7b"), "GPT-4V" -> ("4v",),
    "GPT-4o" -> ("4o",). Two names that differ in these are different models (or dataset releases)."""
    return tuple(_VERSION_TOKEN_RE.findall(normalize_name(name).lower()))
