"""The cn-chat-arxiv layout: a "# 摘要" table of titles and TL;DRs, then "# 详细" entries `[^N]: zh title`.

Two eras: before 2024-02 the English title ends "(arXiv:ID [cat])" and the abstract has no prefix; later the
abstract line starts "arXiv:IDvN Announce Type: T  Abstract: ...". A few entries carry an English TL;DR too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Tuple, Union

from ..errors import Errors
from ..records import Paper, ParseIssue
from .common import arxiv_url, clean, is_cjk, looks_truncated, parse_arxiv_id, split_lines

__all__ = ["sniff", "parse_text"]

# Markdown's leeway: a heading of any level, up to three spaces before a heading or an entry.
_DETAIL_HEADER_RE = re.compile(r"^ {0,3}#{1,6}\s*详细\s*$", re.M)
_SUMMARY_HEADER_RE = re.compile(r"^ {0,3}#{1,6}\s*摘要\s*$", re.M)
_HEADING_RE = re.compile(r"^ {0,3}#{1,6}(?:\s|$)")  # "#LLM" is a tag, not a heading
_ROW_START_RE = re.compile(r"^\s*\|\s*\[\^\d+\]\s*\|", re.M)
_ENTRY_RE = re.compile(r"^ {0,3}\[\^(\d+)\]\s*:\s*(.*)$", re.M)
_ROW_RE = re.compile(r"^\|\s*\[\^(\d+)\]\s*\|\s*\[(?P<title>.*)\]\((?P<url>[^)\s]+)\)\s*\|(?P<tldr>.*)\|\s*$")
_OLD_TITLE_RE = re.compile(
    r"^(?P<title>.*?)\s*\(arXiv:(?P<id>[^\s\[\]]+)\s*\[(?P<cat>[^\]]+)\]\s*(?P<flag>[^)]*)\)\s*$"
)
# The old listing's flag after the category; the generator sometimes translated it.
_OLD_FLAGS = {"": "new", "UPDATED": "replace", "更新": "replace", "已更新": "replace", "CROSS LISTED": "cross"}
_ANNOUNCE_RE = re.compile(
    r"^arXiv:(?P<id>\S+)\s+Announce Type:\s*(?P<type>[\w-]+)\s+Abstract:\s*(?P<abstract>.*)$", re.S
)
_LINK_RE = re.compile(r"^\[(https?://[^\]]+)\]\((https?://[^)]+)\)$")


def sniff(text: str) -> bool:
    if _DETAIL_HEADER_RE.search(text) and _ENTRY_RE.search(text):
        return True
    # A digest cut off before "# 详细" still holds its table of papers.
    return bool(_SUMMARY_HEADER_RE.search(text) and _ROW_START_RE.search(text))


@dataclass
class _Row:
    title: str
    url: str
    tldr: str
    line: int


@dataclass
class _Entry:
    ref: str
    title_zh: str
    line: int
    lines: List[str] = field(default_factory=list)


def _digests(lines: List[str]) -> Iterator[Tuple[int, Optional[int], int]]:
    """`(start, "# 详细" line or None, end)` of each digest in `lines`: digests concatenated into one file are read
    one by one, so an entry is not filled from another digest's table row of the same [^N], and the last entry of
    one digest does not take in the next digest's table."""
    start, header, summary = 0, None, False
    for i, line in enumerate(lines):
        is_summary, is_detail = bool(_SUMMARY_HEADER_RE.match(line)), bool(_DETAIL_HEADER_RE.match(line))
        if (is_summary and (summary or header is not None)) or (is_detail and header is not None):
            yield start, header, i
            start, header, summary = i, None, False
        summary = summary or is_summary
        if is_detail:
            header = i
    yield start, header, len(lines)


def _summary_rows(lines: List[str], start: int, stop: int) -> Dict[str, _Row]:
    rows: Dict[str, _Row] = {}
    for i in range(start, stop):
        m = _ROW_RE.match(lines[i].strip())
        if m:
            rows[m.group(1)] = _Row(clean(m.group("title")), m.group("url"), clean(m.group("tldr")), i + 1)
    return rows


def _entries(lines: List[str], start: int, stop: int) -> Iterator[_Entry]:
    current: Optional[_Entry] = None
    for i in range(start, stop):
        m = _ENTRY_RE.match(lines[i])
        # An entry's lines are indented text: a heading at the start of a line (another digest, or a HuggingArxiv
        # block in the same file) ends it.
        if m or _HEADING_RE.match(lines[i]):
            if current:
                yield current
            current = _Entry(m.group(1), clean(m.group(2)), i + 1) if m else None
        elif current is not None and lines[i].strip():
            current.lines.append(lines[i].strip())
    if current:
        yield current


def _strip_generator_period(title: str) -> str:
    # The old generator appends "." to every title; a real title rarely ends in one.
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


def _paper_from_entry(entry: _Entry, row: Optional[_Row], path: str, extra: dict) -> Union[Paper, ParseIssue]:
    title_en, url, tldr_zh, tldr_en, abstract_zh, abstract_en = "", "", "", "", "", ""
    version: Optional[int] = None
    announce: Optional[str] = None
    categories: Tuple[str, ...] = ()
    body = list(entry.lines)
    # With the English title missing, the first line may be the Chinese TL;DR: that is no English title.
    if body and not _LINK_RE.match(body[0]) and not is_cjk(body[0]):
        title_en = clean(body.pop(0))
        m = _OLD_TITLE_RE.match(title_en)
        if m:
            title_en = _strip_generator_period(m.group("title"))
            categories = (m.group("cat").strip(),)
            announce = _OLD_FLAGS.get(m.group("flag").strip(), m.group("flag").strip().lower() or None)
            parsed = parse_arxiv_id(m.group("id"))
            version = parsed[1] if parsed else None
    if body and _LINK_RE.match(body[0]):
        url = _LINK_RE.match(body.pop(0)).group(2)
    for line in body:
        m = _ANNOUNCE_RE.match(line)
        if m:
            announce = m.group("type")
            abstract_en = clean(m.group("abstract"))
            parsed = parse_arxiv_id(m.group("id"))
            version = parsed[1] if parsed else version
        elif is_cjk(line):
            if not tldr_zh:
                tldr_zh = clean(line)
            else:
                abstract_zh = clean(f"{abstract_zh} {line}")
        elif not tldr_zh or abstract_zh or abstract_en:
            # Latin text after the Chinese abstract (or with no TL;DR at all) is the English abstract.
            abstract_en = clean(f"{abstract_en} {line}")
        else:
            tldr_en = clean(f"{tldr_en} {line}")
    if row is not None:
        url = url or row.url
        title_en = title_en or _strip_generator_period(row.title)
        tldr_zh = tldr_zh or row.tldr
    parsed = parse_arxiv_id(url) if url else None
    if parsed is None and title_en:
        # Old-era titles carry the id even when the link line is missing.
        parsed = parse_arxiv_id(" ".join(entry.lines[:1]))
    if parsed is None:
        return ParseIssue(path, entry.line, Errors.E007)
    if not title_en and not abstract_en:
        return ParseIssue(path, entry.line, Errors.E008)
    arxiv_id = parsed[0]
    return Paper(
        arxiv_id=arxiv_id,
        version=version if version is not None else parsed[1],
        title_en=title_en,
        title_zh=entry.title_zh,
        url=arxiv_url(arxiv_id),
        date=extra.get("date"),
        announce_type=announce,
        categories=tuple(sorted(set(categories) | set(extra.get("categories", ())))),
        tldr_zh=tldr_zh,
        tldr_en=tldr_en,
        abstract_zh=abstract_zh,
        abstract_en=abstract_en,
        truncated=looks_truncated(abstract_en),
        sources=(f"{path}:{entry.line}",),
    )


def _paper_from_row(ref: str, row: _Row, path: str, extra: dict) -> Union[Paper, ParseIssue]:
    parsed = parse_arxiv_id(row.url)
    if parsed is None:
        return ParseIssue(path, row.line, Errors.E007)
    return Paper(
        arxiv_id=parsed[0],
        version=parsed[1],
        title_en=_strip_generator_period(row.title),
        url=arxiv_url(parsed[0]),
        date=extra.get("date"),
        categories=tuple(extra.get("categories", ())),
        tldr_zh=row.tldr,
        sources=(f"{path}:{row.line}",),
    )


def parse_text(text: str, path: str, extra: Optional[dict] = None) -> Iterator[Union[Paper, ParseIssue]]:
    """Papers of a cn-chat-arxiv digest, in file order; `extra` may carry a date/categories known from elsewhere.

    Each `[^N]` entry gives one paper, filled in from its summary-table row; a row without an entry still
    gives a paper (title and TL;DR only), so nothing the file holds is lost, and is reported (E112): a file cut
    off in its details loses the abstracts of its last papers.
    """
    extra = extra or {}
    lines = split_lines(text)
    for start, header, end in _digests(lines):
        rows = _summary_rows(lines, start, end if header is None else header)
        seen = set()
        for entry in _entries(lines, header + 1, end) if header is not None else ():
            seen.add(entry.ref)
            yield _paper_from_entry(entry, rows.get(entry.ref), path, extra)
        alone = [ref for ref in rows if ref not in seen]
        for ref in alone:
            yield _paper_from_row(ref, rows[ref], path, extra)
        if alone:
            yield ParseIssue(path, rows[alone[0]].line, Errors.E112.format(n=len(alone)))
