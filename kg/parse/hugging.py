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
from .common import arxiv_url, clean, is_cjk, looks_truncated, parse_arxiv_id, split_lines, zh_date

__all__ = ["sniff_digest", "sniff_paper", "parse_digest", "parse_paper"]

_BLOCK_RE = re.compile(r"^####\s*\[(?P<zh>.*)\]\((?P<url>[^)\s]+)\)\s*$")
_H4_RE = re.compile(r"^####\s+(?P<title>.+)$")
_DATE_RE = re.compile(r"^发布时间[：:]")
_H1_LINK_RE = re.compile(r"^#\s+\[(?P<zh>.*)\]\((?P<url>[^)\s]+)\)\s*$")
_H1_RE = re.compile(r"^#\s+(?P<title>.*)$")
_SUMMARY_H1_RE = re.compile(r"^#\s*摘要\s*$")
_ARXIV_LINK_RE = re.compile(r"^\[Arxiv\]\((?P<url>[^)\s]+)\)", re.I)
_IMAGE_RE = re.compile(r"^!\[")
_TICKS_RE = re.compile(r"`([^`]*)`?", re.S)
# Markdown's leeway: a blockquote may have up to three spaces before its ">".
_QUOTE_RE = re.compile(r"^ {0,3}>")
# A markdown heading; "#LLM" is a tag line, not one.
_HEADING_RE = re.compile(r"^#{1,6}(?:\s|$)")


def sniff_digest(text: str) -> bool:
    return bool(re.search(r"^####\s*\[.*\]\(https?://arxiv\.org/abs/", text, re.M)) and "发布时间" in text


def sniff_paper(text: str) -> bool:
    return bool(_paper_starts(split_lines(text)))


def _paper_starts(lines: List[str]) -> List[int]:
    """Lines that start a paper: a `# zh title` with 发布时间 among the next three non-blank lines. Paper files
    concatenated into one give one paper each."""
    starts = []
    for i, line in enumerate(lines):
        if line.startswith("# ") and any(_DATE_RE.match(n) for n in [n for n in lines[i + 1 : i + 8] if n.strip()][:3]):
            starts.append(i)
    return starts


def _quotes(lines: List[str]) -> List[str]:
    """Blockquote lines, one paragraph each: the digests put each abstract on one `>` line."""
    return [clean(line.lstrip(" ")[1:]) for line in lines if _QUOTE_RE.match(line) and line.lstrip(" ")[1:].strip()]


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
    """Papers of a HuggingArxiv digest (`#### [zh title](url)` blocks), in file order.

    A block runs to the next heading other than its own `#### en title`: a `####` heading without its
    `[zh title](url)` is a block with no arXiv id (E007), not more text of the block before; a heading of another
    level is another layout's (a cn-chat-arxiv digest in the same file).
    """
    lines = split_lines(text)

    def own_title(i: int) -> bool:
        return i > 0 and not _BLOCK_RE.match(lines[i]) and bool(_H4_RE.match(lines[i]) and _BLOCK_RE.match(lines[i - 1]))

    starts = [i for i, line in enumerate(lines) if (_HEADING_RE.match(line) or _BLOCK_RE.match(line)) and not own_title(i)]
    for n, start in enumerate(starts):
        if not lines[start].startswith("####"):
            continue  # another layout's heading
        block = lines[start : starts[n + 1] if n + 1 < len(starts) else len(lines)]
        head = _BLOCK_RE.match(block[0])
        if head is None:
            yield ParseIssue(path, start + 1, Errors.E007)
            continue
        body = block[1:]
        title_en = ""
        if body and _H4_RE.match(body[0]):
            title_en = clean(_H4_RE.match(body.pop(0)).group("title"))
        date = next((zh_date(line) for line in body if _DATE_RE.match(line)), None)
        abstract_zh, abstract_en = _split_abstracts(_quotes(body))
        quote_end = max((i for i, line in enumerate(body) if _QUOTE_RE.match(line)), default=-1)
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
    """The paper of a HuggingArxiv paper file (either variant); of each, when paper files are concatenated."""
    lines = split_lines(text)
    starts = _paper_starts(lines)
    for n, first in enumerate(starts):
        # A paper runs to the next paper, or to a heading other than its "# 摘要" (a digest in the same file).
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        end = next((i for i in range(first + 1, end) if _HEADING_RE.match(lines[i]) and not _SUMMARY_H1_RE.match(lines[i])), end)
        yield _one_paper(lines, first, end, path)


def _one_paper(lines: List[str], first: int, end: int, path: str) -> Union[Paper, ParseIssue]:
    m = _H1_LINK_RE.match(lines[first])
    title_zh, url = (m.group("zh"), m.group("url")) if m else (_H1_RE.match(lines[first]).group("title"), "")
    rest = lines[first + 1 : end]
    date = next((zh_date(line) for line in rest if _DATE_RE.match(line)), None)
    for line in rest:
        link = _ARXIV_LINK_RE.match(line.strip())
        if link:
            url = url or link.group("url")
    first_quote = next((i for i, line in enumerate(rest) if _QUOTE_RE.match(line)), len(rest))
    tag_lines = [line for line in rest[:first_quote] if line.strip() and not _DATE_RE.match(line)]
    paragraphs = _quotes([line for line in rest if not _IMAGE_RE.match(line)])
    # The first Latin blockquote is the English title; the Chinese and English abstracts follow.
    title_en = ""
    if paragraphs and not is_cjk(paragraphs[0]):
        title_en = paragraphs.pop(0)
    abstract_zh, abstract_en = _split_abstracts(paragraphs)
    return _paper(
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
