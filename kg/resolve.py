"""Mentions -> canonical entities: one real-world entity, one node.

A mention resolves to (type, canonical name): the lexicon entry's name when the lexicon knows it; the long form
when it is an acronym defined in the same paper (an acronym means what its long form in that paper says);
otherwise its own normalised form. The entity key is `TYPE:match_key(canonical)`, so case, hyphen, space and dot
variants merge while versions and sizes stay apart ("GPT-4" vs "GPT-4V"). No fuzzy merging.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set

from .lexicon import Lexicon, LexiconEntry
from .normalize import match_key, normalize_name
from .records import Entity, EntityType

__all__ = ["Resolver", "entity_key", "PaperNames"]


def entity_key(entity_type: EntityType, name: str) -> str:
    return f"{entity_type.value}:{match_key(name)}"


@dataclass
class PaperNames:
    """Per-paper context for resolution: acronym -> long form definitions seen in the paper."""

    acronyms: Dict[str, str] = field(default_factory=dict)  # match_key(short) -> long form text


@dataclass
class _Acc:
    type: EntityType
    name: str
    forms: Dict[str, int] = field(default_factory=dict)
    zh: Set[str] = field(default_factory=set)
    family: Optional[str] = None
    from_lexicon: bool = False


class Resolver:
    """Accumulates resolved mentions over a corpus and yields `Entity` records at the end."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._entities: Dict[str, _Acc] = {}
        # Lexicon MODEL names by match_key, for finding the family of an unlisted variant (Qwen2.5-VL-72B).
        self._families = sorted(
            ((match_key(f), e) for e in lexicon for f in e.surface_forms if e.type == EntityType.MODEL),
            key=lambda kv: -len(kv[0]),
        )

    def _lexicon_entry(self, kb_id: str, text: str, etype: EntityType) -> Optional[LexiconEntry]:
        if kb_id:
            return self.lexicon.get(kb_id)
        hits = [e for e in self.lexicon.lookup(text) if e.type == etype]
        return hits[0] if len(hits) == 1 else None

    def _family_key(self, name: str, etype: EntityType) -> Optional[str]:
        if etype != EntityType.MODEL:
            return None
        key = match_key(name)
        for fkey, entry in self._families:
            if key != fkey and key.startswith(fkey) and len(fkey) >= 3:
                self._ensure_lexicon_entity(entry)
                return entity_key(entry.type, entry.name)
        return None

    def _ensure_lexicon_entity(self, entry: LexiconEntry) -> str:
        key = entity_key(entry.type, entry.name)
        acc = self._entities.get(key)
        if acc is None:
            acc = self._entities[key] = _Acc(entry.type, entry.name, from_lexicon=True)
            acc.zh.update(entry.zh)
            family = self.lexicon.family_of(entry)
            if family is not None and family.id != entry.id:
                acc.family = self._ensure_lexicon_entity(family)
        return key

    def resolve(self, text: str, label: str, kb_id: str = "", names: Optional[PaperNames] = None,
                is_zh_alias: bool = False) -> str:
        """The entity key of a mention `text` typed `label`; records `text` as one of its surface forms."""
        etype = EntityType(label)
        surface = normalize_name(text)
        entry = self._lexicon_entry(kb_id, surface, etype)
        if (entry is None or entry.type != etype) and names is not None and match_key(surface) in names.acronyms:
            # An acronym defined in this paper is its long form, which the lexicon may know.
            canonical = normalize_name(names.acronyms[match_key(surface)])
            entry = self._lexicon_entry("", canonical, etype)
        else:
            canonical = surface
        if entry is not None and entry.type == etype:
            key = self._ensure_lexicon_entity(entry)
        else:
            key = entity_key(etype, canonical)
            if key not in self._entities:
                self._entities[key] = _Acc(etype, canonical, family=self._family_key(canonical, etype))
        acc = self._entities[key]
        if is_zh_alias:
            acc.zh.add(surface)
        else:
            acc.forms[surface] = acc.forms.get(surface, 0) + 1
        return key

    def entities(self) -> List[Entity]:
        """All entities, sorted by key. An unlisted entity is named by its most frequent surface form
        (ties: the longest, then alphabetical), so the name does not depend on input order."""
        out = []
        for key, acc in sorted(self._entities.items()):
            name = acc.name
            if not acc.from_lexicon and acc.forms:
                name = sorted(acc.forms.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
            aliases = tuple(sorted(set(acc.forms) - {name}))
            out.append(Entity(key, acc.type, name, aliases, tuple(sorted(acc.zh)), acc.family))
        return out
