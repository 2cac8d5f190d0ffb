"""The curated lexicon (`ontology/lexicon/*.jsonl`) as a small knowledge base, scispaCy `KnowledgeBase` style:
`id -> LexiconEntry` and `alias -> ids` indexes, loaded once."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from .defaults import LEXICON_DIR
from .normalize import match_key
from .records import EntityType

__all__ = ["LexiconEntry", "Lexicon", "load_lexicon"]


@dataclass(frozen=True)
class LexiconEntry:
    """One hand-checked entity: `id` is "TYPE:canonical name"."""

    id: str
    name: str
    type: EntityType
    aliases: Tuple[str, ...] = ()
    family: Optional[str] = None  # canonical name of the family entry (same type)
    case_sensitive: bool = False
    zh: Tuple[str, ...] = ()

    @property
    def surface_forms(self) -> Tuple[str, ...]:
        return (self.name,) + self.aliases


class Lexicon:
    """Entries by id and by alias key (`match_key` of every surface form, and the exact form for
    case-sensitive entries)."""

    def __init__(self, entries: List[LexiconEntry], generic: frozenset = frozenset()) -> None:
        #: `match_key`s of generic phrases that are never entities ("LLMs", "deep learning").
        self.generic = generic
        self.id_to_entry: Dict[str, LexiconEntry] = {}
        self.alias_to_ids: Dict[str, List[str]] = {}
        for entry in entries:
            self.id_to_entry[entry.id] = entry
            for form in entry.surface_forms + entry.zh:
                ids = self.alias_to_ids.setdefault(match_key(form), [])
                if entry.id not in ids:
                    ids.append(entry.id)

    def __len__(self) -> int:
        return len(self.id_to_entry)

    def __iter__(self) -> Iterator[LexiconEntry]:
        return iter(self.id_to_entry.values())

    def get(self, entry_id: str) -> Optional[LexiconEntry]:
        return self.id_to_entry.get(entry_id)

    def lookup(self, surface: str, case_sensitive_only_exact: bool = True) -> List[LexiconEntry]:
        """Entries one of whose surface forms has the same `match_key` as `surface`.

        A case-sensitive entry ("MATH", "Adam") only answers to a form written exactly as listed.
        """
        out = []
        for entry_id in self.alias_to_ids.get(match_key(surface), ()):
            entry = self.id_to_entry[entry_id]
            if entry.case_sensitive and case_sensitive_only_exact and surface.strip() not in entry.surface_forms:
                continue
            out.append(entry)
        return out

    def is_generic(self, surface: str) -> bool:
        return match_key(surface) in self.generic

    def family_of(self, entry: LexiconEntry) -> Optional[LexiconEntry]:
        if not entry.family:
            return None
        return self.id_to_entry.get(f"{entry.type.value}:{entry.family}")


def _iter_entries(directory: Path) -> Iterator[LexiconEntry]:
    for path in sorted(directory.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                    etype = EntityType(row["type"])
                except (ValueError, KeyError) as exc:  # a hand-edited file: say where it broke
                    raise ValueError(f"{path}:{lineno}: bad lexicon entry: {exc}") from None
                yield LexiconEntry(
                    id=f"{etype.value}:{row['name']}",
                    name=row["name"],
                    type=etype,
                    aliases=tuple(a for a in row.get("aliases") or () if a and a != row["name"]),
                    family=row.get("family") or None,
                    case_sensitive=bool(row.get("case_sensitive", False)),
                    zh=tuple(row.get("zh") or ()),
                )


@functools.lru_cache(maxsize=4)
def load_lexicon(directory: Optional[str] = None) -> Lexicon:
    """The lexicon of `directory` (default: the packaged `ontology/lexicon`), cached per directory."""
    path = Path(directory) if directory else LEXICON_DIR
    return Lexicon(list(_iter_entries(path)), _load_generic(path))


def _load_generic(directory: Path) -> frozenset:
    path = directory / "generic.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(match_key(line) for line in lines if line.strip() and not line.startswith("#"))
