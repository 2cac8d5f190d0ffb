"""Small pure helpers shared by the layout parsers: arXiv ids, dates, script detection, truncation."""

from __future__ import annotations

import re
import unicodedata
from typing import List, Optional, Tuple

__all__ = [
    "ARXIV_ID_RE",
    "parse_arxiv_id",
    "arxiv_id_of",
    "arxiv_url",
    "cjk_ratio",
    "is_cjk",
    "looks_truncated",
    "zh_date",
    "iso_date_in",
    "clean",
    "split_lines",
]

# New-style ids (2402.19474, optionally v2) and old-style ones (cs/0601001, math.GT/0309136).
_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v(?P<version>\d+))?(?!\d)"
ARXIV_ID_RE = re.compile(r"(?<![\w.])" + _ID)
_ABS_URL_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/" + _ID)
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_ZH_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# An abstract that ends like a sentence (or a closing bracket/quote after one) is complete.
_COMPLETE_END_RE = re.compile(r"""[.!?。！？][)"'”’\]]*\s*$|[)\]]\s*$""")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> List[str]:
    """The lines of `text`, broken at \\n, \\r\\n and \\r only. `str.splitlines` also breaks at U+2028, \\x85, \\x0c and
    \\x1c-\\x1e, which abstracts pasted from PDFs hold: it cut such an abstract in two (losing the rest of a `>` quote)
    and numbered lines unlike editors and grep."""
    return _LINE_BREAK_RE.split(text)


def parse_arxiv_id(text: str) -> Optional[Tuple[str, Optional[int]]]:
    """The first arXiv id in `text`, preferring one inside an arxiv.org URL: `(id, version or None)`."""
    m = _ABS_URL_RE.search(text) or ARXIV_ID_RE.search(text)
    if not m:
        return None
    version = m.group("version")
    return m.group("id"), int(version) if version else None


# An arXiv id written whole: the id, "arXiv:ID" or its abs/pdf URL, with or without a version.
# ASCII: under re.I alone "[a-z]" takes the long s and the Kelvin sign, and "\d" any script's digits
_WHOLE_ID_RE = re.compile(r"(?:arxiv:|https?://arxiv\.org/(?:abs|pdf)/)?" + _ID + r"(?:\.pdf)?", re.I | re.A)


def arxiv_id_of(text: str) -> Optional[str]:
    """The arXiv id (no version) that `text` is, written whole: "2402.19474", "arXiv:2402.19474v2", its abs or
    pdf URL; None for any other text (`parse_arxiv_id` finds an id inside other text)."""
    m = _WHOLE_ID_RE.fullmatch(text.strip())
    return m.group("id") if m else None


def arxiv_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/abs/{arxiv_id}"


def cjk_ratio(text: str) -> float:
    """Share of CJK characters among the CJK and Latin letters of `text` (0.0 when it has neither)."""
    cjk = len(_CJK_RE.findall(text))
    latin = len(_LATIN_RE.findall(text))
    return cjk / (cjk + latin) if cjk + latin else 0.0


def is_cjk(text: str) -> bool:
    # Chinese abstracts hold many Latin names (LLM, GPT-4), so a modest share of CJK already means Chinese.
    return cjk_ratio(text) >= 0.2


def looks_truncated(text: str) -> bool:
    """Whether an English abstract is cut off: it does not end like a sentence."""
    text = text.strip()
    return bool(text) and not _COMPLETE_END_RE.search(text)


def zh_date(text: str) -> Optional[str]:
    """ISO date from "2024年02月29日"."""
    m = _ZH_DATE_RE.search(text)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}"


def iso_date_in(text: str) -> Optional[str]:
    m = _ISO_DATE_RE.search(text)
    return "-".join(m.groups()) if m else None


# LaTeX's tie, left in abstracts between two words ("Transformer~(GPT)", "HD~209458"), is a space; "~10k" stays.
_LATEX_TIE_RE = re.compile(r"(?<=[\w)$])~(?=[\w($\\])")


# LaTeX accents left in abstracts ("Schr\\"odinger", "Fr\\'echet", "{\\"u}", "\\c{c}") are the letters they write, so a
# name is one word and reads as its authors wrote it. A lettered accent (\\c, \\v, ...) needs braces or a space, so
# that "\\vec" or "\\cite" stay as they are.
_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304", ".": "\u0307",
            "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "r": "\u030a", "k": "\u0328"}
_LATEX_ACCENT_RE = re.compile(r"""(?P<group>\{)?\\(?:(?P<sym>["'`^~=.])\s*(?:\{(?P<b1>[A-Za-z])\}|(?P<l1>[A-Za-z]))"""
                              r"""|(?P<word>[cvuHrk])(?:\{(?P<b2>[A-Za-z])\}|\s+(?P<l2>[A-Za-z])(?![A-Za-z])))(?(group)\})""")


def _accented(m: "re.Match[str]") -> str:
    letter = m.group("b1") or m.group("l1") or m.group("b2") or m.group("l2")
    return unicodedata.normalize("NFC", letter + _ACCENTS[m.group("sym") or m.group("word")])


def clean(text: str) -> str:
    """Fold runs of white space (digests wrap and indent freely); a LaTeX tie between words is a space; a LaTeX
    accent is the letter it writes."""
    if "\\" in text:
        text = _LATEX_ACCENT_RE.sub(_accented, text)
    return " ".join(_LATEX_TIE_RE.sub(" ", text).split())
