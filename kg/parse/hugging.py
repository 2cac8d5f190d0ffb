"""The HuggingArxiv layouts.

Digest (the seeds): blocks of `#### [zh title](url)`, `#### en title`, `发布时间：…`, `> zh abstract`,
`> en abstract`, then a tag line.

One paper per file, two variants: early `# [zh title](url)` + 发布时间 + tag line + `> en title` + `> zh` + `> en`;
later `# zh title` + 发布时间 + `` `tags` `` (a tag may hold a multi-line explanation) + `> en title` +
`# 摘要` + `> zh` + `> en` + image lines + `[Arxiv](url)`.
"""

from __future__ import annotations

import re
from typing import Iterator, List, Optional, Tuple, Union

from ..errors import Errors
from ..records import Paper, ParseIssue
from .common import arxiv_url, clean, is_cjk, looks_truncated, parse_arxiv_id, zh_date

__all__ = ["sniff_digest", "sniff_paper", "parse_digest", "parse_paper"]

_BLOCK_RE = re.compile(r"^####\s*\[(?P<zh>.*)\]\((?P<url>[^)\s]+)\)\s*$")
_H4_RE = re.compile(r"^####\s+(?P<title>.+)$")
_DATE_RE = re.compile(r"^发布时间[：:]")
_H1_LINK_RE = re.compile(r"^#\s+\[(?P<zh>.*)\]\((?P<url>[^)\s]+)\)\s*$")
_H1_RE = re.compile(r"^#\s+(?P<title>.+)$")
_ARXIV_LINK_RE = re.compile(r"^\[Arxiv\]\((?P<url>[^)\s]+)\)", re.I)
_IMAGE_RE = re.compile(r"^!\[")
_TICKS_RE = re.compile(r"`([^`]*)`?", re.S)


def sniff_digest(text: str) -> bool:
    return bool(re.search(r"^####\s*\[.*\]\(https?://arxiv\.org/abs/", text, re.M)) and "发布时间" in text


def sniff_paper(text: str) -> bool:
    head = [line for line in text.splitlines()[:8] if line.strip()]
    return bool(head) and head[0].startswith("# ") and any(_DATE_RE.match(line) for line in head[1:4])


def _quotes(lines: List[str]) -> List[str]:
    """Blockquote lines, one paragraph each: the digests put each abstract on one `>` line."""
    return [clean(line[1:]) for line in lines if line.startswith(">") and line[1:].strip()]


def _split_abstracts(paragraphs: List[str]) -> Tuple[str, str]:
    zh = " ".join(p for p in paragraphs if is_cjk(p))
    en = " ".join(p for p in paragraphs if not is_cjk(p))
    return clean(zh), clean(en)


def _tags(lines: List[str]) -> Tuple[str, ...]:
    """Tags from a tag line: backticked chunks (first line of each; the rest is an explanation) or plain words."""
    text = "\n".join(lines).strip()
    if not text:
        return ()
    if "`" in text:
        chunks = [c.strip().splitlines()[0].strip() for c in _TICKS_RE.findall(text) if c.strip()]
    else:
        chunks = [text.splitlines()[0].strip()]
    return tuple(dict.fromkeys(c for c in chunks if c and len(c) <= 40))


def _paper(arxiv: Optional[Tuple[str, Optional[int]]], path: str, line: int, **fields) -> Union[Paper, ParseIssue]:
    if arxiv is None:
        return ParseIssue(path, line, Errors.E007)
    if not fields.get("title_en") and not fields.get("abstract_en"):
        return ParseIssue(path, line, Errors.E008)
    return Paper(
        arxiv_id=arxiv[0],
        version=arxiv[1],
        url=arxiv_url(arxiv[0]),
        truncated=looks_truncated(fields.get("abstract_en", "")),
        sources=(f"{path}:{line}",),
        **fields,
    )


def parse_digest(text: str, path: str, extra: Optional[dict] = None) -> Iterator[Union[Paper, ParseIssue]]:
    """Papers of a HuggingArxiv digest (`#### [zh title](url)` blocks), in file order."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _BLOCK_RE.match(line)]
    for n, start in enumerate(starts):
        block = lines[start : starts[n + 1] if n + 1 < len(starts) else len(lines)]
        head = _BLOCK_RE.match(block[0])
        body = block[1:]
        title_en = ""
        if body and _H4_RE.match(body[0]):
            title_en = clean(_H4_RE.match(body.pop(0)).group("title"))
        date = next((zh_date(line) for line in body if _DATE_RE.match(line)), None)
        abstract_zh, abstract_en = _split_abstracts(_quotes(body))
        quote_end = max((i for i, line in enumerate(body) if line.startswith(">")), default=-1)
        tag_lines = [line for line in body[quote_end + 1 :] if line.strip() and not _DATE_RE.match(line)]
        yield _paper(
            parse_arxiv_id(head.group("url")),
            path,
            start + 1,
            title_en=title_en,
            title_zh=clean(head.group("zh")),
            date=date,
            tags=_tags(tag_lines),
            abstract_zh=abstract_zh,
            abstract_en=abstract_en,
        )


def parse_paper(text: str, path: str, extra: Optional[dict] = None) -> Iterator[Union[Paper, ParseIssue]]:
    """The one paper of a HuggingArxiv paper file (either variant)."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.strip())
    m = _H1_LINK_RE.match(lines[first])
    title_zh, url = (m.group("zh"), m.group("url")) if m else (_H1_RE.match(lines[first]).group("title"), "")
    rest = lines[first + 1 :]
    date = next((zh_date(line) for line in rest if _DATE_RE.match(line)), None)
    for line in rest:
        link = _ARXIV_LINK_RE.match(line.strip())
        if link:
            url = url or link.group("url")
    first_quote = next((i for i, line in enumerate(rest) if line.startswith(">")), len(rest))
    tag_lines = [line for line in rest[:first_quote] if line.strip() and not _DATE_RE.match(line)]
    paragraphs = _quotes([line for line in rest if not _IMAGE_RE.match(line)])
    # The first Latin blockquote is the English title; the Chinese and English abstracts follow.
    title_en = ""
    if paragraphs and not is_cjk(paragraphs[0]):
        title_en = paragraphs.pop(0)
    abstract_zh, abstract_en = _split_abstracts(paragraphs)
    yield _paper(
        parse_arxiv_id(url) if url else None,
        path,
        first + 1,
        title_en=title_en,
        title_zh=clean(title_zh),
        date=date,
        tags=_tags(tag_lines),
        abstract_zh=abstract_zh,
        abstract_en=abstract_en,
    )
