"""JSON Lines of papers: `{"id", "title", "abstract", ...}` one per line, streamed."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Union

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


def _field_problem(record: dict) -> Optional[str]:
    """Why a record's fields cannot be read as they are, or None: the id and the text fields must be strings
    (a number would lose digits: 2401.10000 reads 2401.1; a list would become its Python repr), strings must
    be valid Unicode (JSON can spell a lone surrogate, which no file can hold), a date must be one."""
    keys = ("id", "arxiv_id") + tuple(k for keys in _FIELDS.values() for k in keys)
    for key in keys:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return Errors.E014.format(field=key, kind="a string", value=type(value).__name__)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return Errors.E015.format(field=key)
    for key in ("categories", "tags"):
        value = record.get(key)
        if value is not None and not isinstance(value, (str, list)):
            return Errors.E014.format(field=key, kind="a string or a list", value=type(value).__name__)
    date = _first(record, _FIELDS["date"])
    if date:
        try:
            datetime.date.fromisoformat(date[:10])
        except ValueError:
            return Errors.E016.format(value=date)
    return None


def paper_from_record(record: Any, source: str) -> Union[Paper, ParseIssue]:
    """One paper from a decoded JSON object; `source` is "file:line"."""
    path, _, line = source.rpartition(":")
    if not isinstance(record, dict) or not any(k in record for k in ("id", "arxiv_id")):
        return ParseIssue(path, int(line), Errors.E010)
    problem = _field_problem(record)
    if problem:
        return ParseIssue(path, int(line), problem)
    parsed = parse_arxiv_id(str(record.get("id") or record.get("arxiv_id")))
    if parsed is None:
        return ParseIssue(path, int(line), Errors.E007)
    fields = {name: clean(str(_first(record, keys) or "")) for name, keys in _FIELDS.items()}
    if not fields["title_en"] and not fields["abstract_en"]:
        return ParseIssue(path, int(line), Errors.E008)
    version = record.get("version", parsed[1])
    return Paper(
        arxiv_id=parsed[0],
        # isdecimal, not isdigit: "²" is a digit that int() refuses
        version=int(version) if str(version or "").isdecimal() else parsed[1],
        url=arxiv_url(parsed[0]),
        categories=_strings(record.get("categories")),
        tags=_strings(record.get("tags")),
        truncated=bool(record.get("truncated", looks_truncated(fields["abstract_en"]))),
        sources=(source,),
        **{**fields, "date": fields["date"][:10] or None, "announce_type": fields["announce_type"] or None},
    )


def parse_file(path: Path, extra: dict | None = None) -> Iterator[Union[Paper, ParseIssue]]:
    name = str(path)
    # A BOM (Windows editors write one) is not part of the first record; a last character cut by the end of the
    # file (parse_file reports it) reads as U+FFFD, in a line that is then no JSON.
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield ParseIssue(name, lineno, Errors.E009.format(reason=exc.msg))
                continue
            yield paper_from_record(record, f"{name}:{lineno}")
