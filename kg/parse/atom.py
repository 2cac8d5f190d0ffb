"""Saved arXiv API responses (Atom XML), read entry by entry with `iterparse` so a large feed streams."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator, Union

from ..errors import Errors
from ..records import Paper, ParseIssue
from .common import arxiv_url, clean, looks_truncated, parse_arxiv_id

__all__ = ["sniff", "parse_file"]

_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"


def sniff(text: str) -> bool:
    head = text.lstrip()[:2000]
    return head.startswith("<") and "http://www.w3.org/2005/Atom" in head


def _text(entry: ET.Element, tag: str) -> str:
    el = entry.find(_ATOM + tag)
    return clean(el.text or "") if el is not None else ""


def _paper(entry: ET.Element, path: str, line: int) -> Union[Paper, ParseIssue]:
    parsed = parse_arxiv_id(_text(entry, "id"))
    if parsed is None:
        return ParseIssue(path, line, Errors.E012)
    title, abstract = _text(entry, "title"), _text(entry, "summary")
    if not title and not abstract:
        return ParseIssue(path, line, Errors.E008)
    categories = {c.get("term", "") for c in entry.findall(_ATOM + "category")}
    primary = entry.find(_ARXIV + "primary_category")
    if primary is not None:
        categories.add(primary.get("term", ""))
    published = _text(entry, "published")
    return Paper(
        arxiv_id=parsed[0],
        version=parsed[1],
        title_en=title,
        url=arxiv_url(parsed[0]),
        date=published[:10] if re.match(r"\d{4}-\d{2}-\d{2}", published) else None,
        categories=tuple(sorted(c for c in categories if c)),
        abstract_en=abstract,
        truncated=looks_truncated(abstract),
        sources=(f"{path}:{line}",),
    )


def parse_file(path: Path, extra: dict | None = None) -> Iterator[Union[Paper, ParseIssue]]:
    """Papers of an Atom feed; a malformed document is reported with its line and column, after the entries
    read before the fault."""
    name = str(path)
    parser = ET.XMLPullParser(events=("start", "end"))
    entry_line = 0
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            try:
                parser.feed(raw)
                events = list(parser.read_events())
            except ET.ParseError as exc:
                yield ParseIssue(name, lineno, Errors.E011.format(reason=exc))
                return
            for event, el in events:
                if el.tag != _ATOM + "entry":
                    continue
                if event == "start":
                    entry_line = lineno
                else:
                    yield _paper(el, name, entry_line)
                    el.clear()
    try:
        parser.close()
    except ET.ParseError as exc:
        yield ParseIssue(name, None, Errors.E011.format(reason=exc))
