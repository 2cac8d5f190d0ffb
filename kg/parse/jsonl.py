"""JSON Lines of papers: `{"id", "title", "abstract", ...}` one per line, streamed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, Iterator, Union

from ..errors import Errors
from ..records import Paper, ParseIssue
from .common import arxiv_url, clean, looks_truncated, parse_arxiv_id

__all__ = ["sniff", "parse_file", "paper_from_record"]

# Accepted spellings of each field (first present wins).
_FIELDS = {
    "title_en": ("title", "title_en"),
    "title_zh": ("title_zh",),
    "abstract_en": ("abstract", "abstract_en", "summary"),
    "abstract_zh": ("abstract_zh",),
    "tldr_zh": ("tldr_zh", "tldr"),
    "tldr_en": ("tldr_en",),
    "date": ("date", "published"),
    "announce_type": ("announce_type",),
}


def sniff(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return first.lstrip().startswith("{")


def _first(record: dict, keys: Iterable[str]) -> Any:
    return next((record[k] for k in keys if record.get(k) not in (None, "")), None)


def _strings(value: Any) -> tuple:
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return tuple(sorted({str(v).strip() for v in value or () if str(v).strip()}))


def paper_from_record(record: Any, source: str) -> Union[Paper, ParseIssue]:
    """One paper from a decoded JSON object; `source` is "file:line"."""
    path, _, line = source.rpartition(":")
    if not isinstance(record, dict) or not any(k in record for k in ("id", "arxiv_id")):
        return ParseIssue(path, int(line), Errors.E010)
    parsed = parse_arxiv_id(str(record.get("id") or record.get("arxiv_id")))
    if parsed is None:
        return ParseIssue(path, int(line), Errors.E007)
    fields = {name: clean(str(_first(record, keys) or "")) for name, keys in _FIELDS.items()}
    if not fields["title_en"] and not fields["abstract_en"]:
        return ParseIssue(path, int(line), Errors.E008)
    version = record.get("version", parsed[1])
    return Paper(
        arxiv_id=parsed[0],
        version=int(version) if str(version or "").isdigit() else parsed[1],
        url=arxiv_url(parsed[0]),
        categories=_strings(record.get("categories")),
        tags=_strings(record.get("tags")),
        truncated=bool(record.get("truncated", looks_truncated(fields["abstract_en"]))),
        sources=(source,),
        **{**fields, "date": fields["date"][:10] or None, "announce_type": fields["announce_type"] or None},
    )


def parse_file(path: Path, extra: dict | None = None) -> Iterator[Union[Paper, ParseIssue]]:
    name = str(path)
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ParseIssue(name, lineno, Errors.E009.format(reason=exc.msg))
                continue
            yield paper_from_record(record, f"{name}:{lineno}")
