"""Typed records passed between the stages of PaperKG (parse -> extract -> resolve -> rdf).

Stdlib only: every other module may import this one, and it imports nothing of the project.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Optional, Tuple

__all__ = [
    "EntityType",
    "Role",
    "Paper",
    "ParseIssue",
    "Mention",
    "Entity",
    "Result",
    "Link",
    "PaperExtraction",
    "Relation",
    "RelationType",
    "merge_papers",
]


class EntityType(str, enum.Enum):
    """Kinds of entity PaperKG extracts; the value is the label used by spaCy spans."""

    MODEL = "MODEL"
    DATASET = "DATASET"
    METHOD = "METHOD"
    TASK = "TASK"
    METRIC = "METRIC"


class Role(str, enum.Enum):
    """How a paper relates to an entity it mentions (sub-properties of `mentions`)."""

    MENTIONS = "mentions"
    PROPOSES = "proposes"
    USES = "uses"
    EVALUATES_ON = "evaluatesOn"
    COMPARES_WITH = "comparesWith"


@dataclass(frozen=True)
class Paper:
    """One paper of a digest.

    `sources` lists every "file:line" the paper was read from (several when it was met twice).
    Abstract fields hold the text as printed; `truncated` says the English abstract is cut off.
    """

    arxiv_id: str
    version: Optional[int] = None
    title_en: str = ""
    title_zh: str = ""
    url: str = ""
    date: Optional[str] = None  # ISO yyyy-mm-dd
    announce_type: Optional[str] = None
    categories: Tuple[str, ...] = ()
    tags: Tuple[str, ...] = ()
    tldr_zh: str = ""
    tldr_en: str = ""
    abstract_zh: str = ""
    abstract_en: str = ""
    truncated: bool = False
    sources: Tuple[str, ...] = ()


@dataclass(frozen=True)
class ParseIssue:
    """A file or entry that could not be read: where (`path`, `line` or None for the whole file) and why."""

    path: str
    line: Optional[int]
    reason: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Mention:
    """An entity name found in a text: character offsets (end exclusive) into `field` of the paper."""

    text: str
    start: int
    end: int
    label: str
    score: float = 1.0
    sentence: str = ""
    source: str = ""  # which component or rule found it
    field: str = ""  # e.g. "title_en", "abstract_en", "tldr_zh"
    sent_start: int = 0  # offset of `sentence` in the field's text


@dataclass(frozen=True)
class Result:
    """A reported number: `model` reaches `value` (`unit`) of `metric` on `dataset`."""

    model: str
    dataset: str
    metric: str
    value: float
    unit: Optional[str] = None
    compared_model: Optional[str] = None
    compared_value: Optional[float] = None
    sentence: str = ""


@dataclass(frozen=True)
class Entity:
    """A canonical entity after resolution; `key` is its stable identity (type + normalised name)."""

    key: str
    type: EntityType
    name: str
    aliases: Tuple[str, ...] = ()
    aliases_zh: Tuple[str, ...] = ()
    family: Optional[str] = None  # key of the family entity


@dataclass(frozen=True)
class Link:
    """Paper `arxiv_id` relates to entity `entity_key` by `role`, as `mention` (the evidence) shows; `cue` is what
    gave the role (`kg.roles.role_cues`; empty for a plain mention)."""

    arxiv_id: str
    entity_key: str
    role: Role
    mention: Mention
    confidence: float = 1.0
    cue: str = ""


class RelationType(str, enum.Enum):
    """Entity -> entity relations read from papers (aggregated over the corpus)."""

    BASED_ON = "basedOn"
    EVALUATED_ON = "evaluatedOn"


@dataclass(frozen=True)
class Relation:
    """Entity `subject` relates to entity `object`: supported by the papers `papers`; `mention` (a mention of the
    object, in the sentence that says so) is the best evidence."""

    subject: str
    type: RelationType
    object: str
    papers: Tuple[str, ...]
    mention: Mention
    confidence: float = 1.0


@dataclass(frozen=True)
class PaperExtraction:
    """What the per-paper stage of extraction found in one paper: its typed mentions (one type per name) and
    the acronym definitions "long form (SHORT)" it makes, as (short, long) pairs. Picklable and small, so it can
    cross process boundaries and be cached; resolution across the corpus happens later, in one place."""

    arxiv_id: str
    mentions: Tuple[Mention, ...] = ()
    acronyms: Tuple[Tuple[str, str], ...] = ()
    zh_names: Tuple[Tuple[str, str], ...] = ()  # (Chinese name, English name) written side by side
    evaluation_reported: bool = False  # the abstract reports how models did (`kg.roles.reports_evaluation`)


def _longer(a: str, b: str) -> str:
    return b if len(b) > len(a) else a


def merge_papers(a: Paper, b: Paper) -> Paper:
    """Merge two records of the same paper: keep every non-empty field, the longer text where both have one."""
    if a.arxiv_id != b.arxiv_id:
        raise ValueError(f"cannot merge different papers {a.arxiv_id} and {b.arxiv_id}")
    versions = [v for v in (a.version, b.version) if v is not None]
    longer_en = _longer(a.abstract_en, b.abstract_en)
    truncated = a.truncated if longer_en == a.abstract_en else b.truncated
    return replace(
        a,
        version=max(versions) if versions else None,
        title_en=_longer(a.title_en, b.title_en),
        title_zh=_longer(a.title_zh, b.title_zh),
        url=a.url or b.url,
        date=min(d for d in (a.date, b.date) if d) if (a.date or b.date) else None,
        announce_type=a.announce_type or b.announce_type,
        categories=tuple(sorted(set(a.categories) | set(b.categories))),
        tags=tuple(sorted(set(a.tags) | set(b.tags))),
        tldr_zh=_longer(a.tldr_zh, b.tldr_zh),
        tldr_en=_longer(a.tldr_en, b.tldr_en),
        abstract_zh=_longer(a.abstract_zh, b.abstract_zh),
        abstract_en=longer_en,
        truncated=truncated,
        sources=tuple(dict.fromkeys(a.sources + b.sources)),
    )
