"""Name normalisation shared by extraction, resolution, IRI minting and evaluation (pure functions)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_name", "match_key"]

_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2212"})
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_POSSESSIVE_RE = re.compile(r"(?<=\w)'s\b")
_NON_KEY_RE = re.compile(r"[^0-9a-z+.\u3400-\u9fff]+")
_STRAY_DOT_RE = re.compile(r"(?<!\d)\.|\.(?!\d)")


def normalize_name(name: str) -> str:
    """Surface form cleaned for display: NFKC, one kind of dash and quote, no possessive, single spaces."""
    name = unicodedata.normalize("NFKC", name).translate(_DASHES).translate(_QUOTES)
    name = _POSSESSIVE_RE.sub("", name)
    return " ".join(name.split()).strip(" .,;:")


def match_key(name: str) -> str:
    """Case-, space- and hyphen-insensitive key: "LLaVA-1.5", "LLaVa 1.5" and "LLaVA1.5" agree ("llava1.5").

    Versions and sizes stay apart: a dot between digits and "+" are kept ("OPT-1.3B" is not "OPT-13B",
    "HumanEval+" is not "HumanEval"; "GPT-4" -> "gpt4", "GPT-4V" -> "gpt4v").
    """
    key = _NON_KEY_RE.sub("", normalize_name(name).lower())
    return _STRAY_DOT_RE.sub("", key)
