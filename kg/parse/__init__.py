"""Digest ingest: input paths -> papers, streamed, with every problem reported and nothing silently dropped.

Layouts are recognised from content (never from file names) through the `LAYOUTS` registry, tried in order.
Markdown digests are read whole (a day's digest is at most a few MB), by every markdown layout they hold (digests
of both layouts concatenated into one file); JSON Lines and Atom stream.
"""

from __future__ import annotations

import codecs
import glob
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Tuple, Union

from ..errors import Errors, InputError
from ..records import Paper, ParseIssue, merge_papers
from . import atom, cnchat, hugging, jsonl
from .common import iso_date_in

__all__ = [
    "Layout",
    "LAYOUTS",
    "expand_inputs",
    "check_file",
    "detect_layout",
    "parse_file",
    "iter_papers",
    "merge_stream",
    "IngestStats",
]

Item = Union[Paper, ParseIssue]


@dataclass(frozen=True)
class Layout:
    """A digest layout: `sniff(head_text)` recognises it; `parse(path, text, extra)` yields papers and issues."""

    name: str
    sniff: Callable[[str], bool]
    parse: Callable[[Path, str, dict], Iterator[Item]]


def _text_parser(fn: Callable[[str, str, dict], Iterator[Item]]) -> Callable[[Path, str, dict], Iterator[Item]]:
    return lambda path, text, extra: fn(text, str(path), extra)


def _stream_parser(fn: Callable[[Path, dict], Iterator[Item]]) -> Callable[[Path, str, dict], Iterator[Item]]:
    return lambda path, text, extra: fn(path, extra)


LAYOUTS: Tuple[Layout, ...] = (
    Layout("arxiv-atom", atom.sniff, _stream_parser(atom.parse_file)),
    Layout("jsonl", jsonl.sniff, _stream_parser(jsonl.parse_file)),
    Layout("cn-chat-arxiv", cnchat.sniff, _text_parser(cnchat.parse_text)),
    Layout("hugging-digest", hugging.sniff_digest, _text_parser(hugging.parse_digest)),
    Layout("hugging-paper", hugging.sniff_paper, _text_parser(hugging.parse_paper)),
)

_STREAMED = {"arxiv-atom", "jsonl"}
_HEAD_BYTES = 1 << 16
_CHUNK = 1 << 20
_CATEGORY_IN_NAME_RE = re.compile(r"__((?:cs|stat|eess|math|physics|q-bio|q-fin|econ)\.[A-Za-z]{2})\.md$")


def expand_inputs(inputs: Iterable[str]) -> List[Path]:
    """Files named by `inputs` (files, folders searched recursively, glob patterns), sorted and de-duplicated.

    Raises InputError for a pattern or path that matches nothing.
    """
    found: Dict[str, Path] = {}
    for pattern in inputs:
        path = Path(pattern)
        if path.is_dir():
            matches = [p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")]
        elif path.exists() or path.is_symlink():
            matches = [path]  # a dangling link is reported as unreadable by check_file, not as "not found"
        else:
            matches = [Path(p) for p in glob.glob(pattern, recursive=True) if Path(p).is_file()]
        if not matches:
            raise InputError(Errors.E006.format(pattern=pattern))
        for p in matches:
            found.setdefault(str(p.resolve()), p)
    return sorted(found.values(), key=lambda p: str(p))


def check_file(path: Path) -> str:
    """Check that `path` is a readable, non-empty UTF-8 text file; return its first 64 KiB as text.

    The whole file is decoded incrementally, so a bad byte late in a large file is caught too. A file cut off in
    the middle of its last character passes (`parse_file` reports it, E111, and reads the papers before).
    Raises InputError with the reason.
    """
    return _check_file(path)[0]


def _check_file(path: Path) -> Tuple[str, bool]:
    """`check_file`'s head, and whether the file ends in the middle of a UTF-8 character."""
    cut = False
    decoder = codecs.getincrementaldecoder("utf-8")()
    head: List[str] = []
    size = 0
    nonblank = False
    offset = 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                if b"\x00" in chunk:
                    raise InputError(Errors.E003)
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    raise InputError(Errors.E004.format(pos=offset + exc.start, reason=exc.reason)) from None
                offset += len(chunk)
                nonblank = nonblank or bool(text.replace("\ufeff", "").strip())  # a lone BOM is no content
                if size < _HEAD_BYTES:
                    head.append(text)
                    size += len(text)
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                # Only the bytes of a character cut by the end of the file are left: a truncated download or copy
                # has readable papers before the cut.
                cut = exc.reason == "unexpected end of data"
                if not cut:
                    raise InputError(Errors.E004.format(pos=offset + exc.start, reason=exc.reason)) from None
    except OSError as exc:
        raise InputError(Errors.E001.format(reason=exc.strerror or exc)) from None
    if not nonblank:
        raise InputError(Errors.E002)
    return "".join(head).lstrip("\ufeff"), cut


def detect_layout(text: str) -> Optional[Layout]:
    """The first layout of `LAYOUTS` that recognises `text`, or None."""
    return next((layout for layout in LAYOUTS if layout.sniff(text)), None)


def _extra_from_name(path: Path) -> dict:
    # The cn-chat-arxiv entries carry no date: the digest's file name does ("…__2024-02-19T0911__cs.AI.md").
    extra: dict = {}
    date = iso_date_in(path.name)
    if date:
        extra["date"] = date
    m = _CATEGORY_IN_NAME_RE.search(path.name)
    if m:
        extra["categories"] = (m.group(1),)
    return extra


def parse_file(path: Path) -> Iterator[Item]:
    """Papers and per-entry issues of one file. Raises InputError when the file as a whole cannot be read."""
    head, cut = _check_file(path)
    layout = detect_layout(head)
    text = head
    layouts = [layout] if layout is not None else []
    if layout is None or layout.name not in _STREAMED:
        # Markdown is read whole, and sniffed whole: its markers ("# 详细") may sit beyond the head. check_file
        # let through no bad byte but a cut last character, which reads as U+FFFD.
        text = path.read_text(encoding="utf-8", errors="replace").lstrip("\ufeff")
        layouts = [md for md in LAYOUTS if md.name not in _STREAMED and md.sniff(text)]
    if not layouts:
        raise InputError(Errors.E005)
    empty = True
    for layout in layouts:
        for item in layout.parse(path, text, _extra_from_name(path)):
            empty = False
            yield item
    if empty:
        raise InputError(Errors.E013)
    if cut:
        with open(path, encoding="utf-8", errors="replace") as fh:
            yield ParseIssue(str(path), sum(1 for _ in fh), Errors.E111)


@dataclass
class IngestStats:
    """Counts kept while papers stream through `iter_papers` and `merge_stream`."""

    files: int = 0
    entries: int = 0
    merged: int = 0


def iter_papers(
    paths: Iterable[Path],
    on_issue: Callable[[ParseIssue], None],
    stats: Optional[IngestStats] = None,
) -> Iterator[Paper]:
    """Stream the papers of `paths`; every file or entry that cannot be read goes to `on_issue`, never lost."""
    stats = stats if stats is not None else IngestStats()
    for path in paths:
        stats.files += 1
        try:
            for item in parse_file(path):
                if isinstance(item, ParseIssue):
                    on_issue(item)
                else:
                    stats.entries += 1
                    yield item
        except InputError as exc:
            on_issue(ParseIssue(str(path), None, str(exc)))


def merge_stream(papers: Iterable[Paper], stats: Optional[IngestStats] = None) -> Dict[str, Paper]:
    """Papers keyed by arXiv id, each paper met twice merged into one (`merge_papers`), in first-seen order."""
    merged: Dict[str, Paper] = {}
    for paper in papers:
        old = merged.get(paper.arxiv_id)
        if old is None:
            merged[paper.arxiv_id] = paper
        else:
            merged[paper.arxiv_id] = merge_papers(old, paper)
            if stats is not None:
                stats.merged += 1
    return merged
