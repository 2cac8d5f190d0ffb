"""The entities of a built graph: a listing with paper counts, and the near-duplicates resolution kept apart.

    from kg.entities import list_entities, duplicate_candidates
    rows = list_entities(graph, "MODEL")             # EntityRow(name, type, papers, aliases, ...), most papers first
    rows = list_entities(graph, min_papers=3)        # only entities at least 3 papers mention; row.as_dict() for JSON
    for pair in duplicate_candidates(graph):         # DuplicatePair(a, b, score, reason)
        print(pair.a.name, pair.b.name, pair.reason)

A duplicate candidate is a pair of nodes that share a normalised name (any type) or whose names are at least
`DUPLICATE_THRESHOLD` similar (rapidfuzz ratio of their `match_key`s, same type). Resolution never merges by
similarity, so each pair comes with the reason it was kept apart: different types, an acronym that stands for
different long forms in different papers, a family and its variant, different version or size tokens, or spelling
similarity alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from rdflib import Graph

from .errors import Errors, KGError
from .normalize import match_key, normalize_name, version_tokens
from .records import EntityType

__all__ = [
    "EntityRow",
    "DuplicatePair",
    "DUPLICATE_THRESHOLD",
    "VERSION_SLACK",
    "list_entities",
    "duplicate_candidates",
    "name_collisions",
    "format_entities",
    "format_duplicates",
]

#: Lowest rapidfuzz ratio (0-100) of two names' match keys that makes them a duplicate candidate.
DUPLICATE_THRESHOLD: float = 90.0
#: How far below the threshold a pair whose names differ only in version or size tokens may be ("GPT-4" / "GPT-4V"
#: is 89).
VERSION_SLACK: float = 15.0
_CHUNK = 2000  # rows per rapidfuzz.cdist call, so memory stays bounded on big graphs
_MAX_STEM_GROUP = 200  # a stem shared by more nodes than this is too generic to pair them all
_VERSION_RE = re.compile(r"\d+(?:\.\d+)*(?:x\d+)?[a-z]?\b|\bv\d+\b|\+")


@dataclass(frozen=True)
class EntityRow:
    """One entity node: IRI, type, preferred name, how many papers mention it, other names, family name."""

    iri: str
    type: EntityType
    name: str
    papers: int = 0
    aliases: Tuple[str, ...] = ()
    aliases_zh: Tuple[str, ...] = ()
    family: Optional[str] = None

    @property
    def names(self) -> Tuple[str, ...]:
        return (self.name,) + self.aliases

    def as_dict(self) -> Dict[str, object]:
        """The row as `kg entities --json` prints it: iri, type, name, papers, aliases (the other names, Chinese
        ones last, as the table lists them), family (its name, or None)."""
        return {"iri": self.iri, "type": self.type.value, "name": self.name, "papers": self.papers,
                "aliases": list(self.aliases + self.aliases_zh), "family": self.family}


@dataclass(frozen=True)
class DuplicatePair:
    """Two nodes that look alike, how alike (0-100) and why resolution kept them apart."""

    a: EntityRow
    b: EntityRow
    score: float
    reason: str

    def as_dict(self) -> Dict[str, object]:
        """The pair as `kg entities --duplicates --json` prints it: score, a and b (`EntityRow.as_dict`), reason."""
        return {"score": self.score, "a": self.a.as_dict(), "b": self.b.as_dict(), "reason": self.reason}


def _entity_type(value: Optional[str]) -> Optional[EntityType]:
    if value is None:
        return None
    try:
        return EntityType(value.upper())
    except ValueError:
        raise KGError(Errors.E090.format(name=value, choices=", ".join(t.value for t in EntityType))) from None


def _knowledge_graph(graph):
    """`graph` as a `KnowledgeGraph`: one already, an rdflib Graph, or a graph source (a graph file, a store
    folder or `oxigraph:PATH`) to load."""
    from .knowledge import KnowledgeGraph

    if isinstance(graph, KnowledgeGraph):
        return graph
    if isinstance(graph, (str, Path)):
        return KnowledgeGraph.load(graph)
    return KnowledgeGraph(graph)


def list_entities(graph, entity_type: Optional[str] = None, *, min_papers: int = 0) -> List[EntityRow]:
    """The entity nodes of `graph` (an rdflib Graph, a `KnowledgeGraph`, or a graph file or store to load;
    optionally only one type: MODEL, DATASET, METHOD, TASK, METRIC), each with the number of papers that mention it
    (`kgo:paperCount`), read by the lookup index so that both listings agree; with `min_papers`, only those at
    least that many papers mention. Sorted by papers (most first), type, name. Raises KGError (E090) for an
    unknown type."""
    wanted = _entity_type(entity_type)
    entities = _knowledge_graph(graph).entities()
    labels = {e.iri: e.label for e in entities}  # of every entity: a family may have fewer papers than its variant
    rows = [EntityRow(iri=e.iri, type=e.type, name=e.label, papers=e.paper_count, aliases=e.aliases,
                      aliases_zh=e.aliases_zh, family=labels.get(e.family, e.family) if e.family else None)
            for e in entities if (wanted is None or e.type == wanted) and e.paper_count >= min_papers]
    rows.sort(key=lambda r: (-r.papers, r.type.value, r.name.lower(), r.iri))
    return rows


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 2 <= len(name) <= 12 and " " not in name and sum(c.isupper() for c in letters) >= 2


def _reason(a: EntityRow, b: EntityRow, shared: Optional[str], score: float) -> str:
    if a.type != b.type:  # name the shared name: "AD" is why "automatic differentiation" meets "anomaly detection"
        named = f", both named {shared!r}" if shared is not None else ""
        return f"different types ({a.type.value} / {b.type.value}){named}"
    if shared is not None and _is_acronym(shared):
        return f"acronym {shared!r} stands for different long forms in different papers ({a.name} / {b.name})"
    if a.family == b.name or b.family == a.name:
        variant, family = (a, b) if a.family == b.name else (b, a)
        return f"{variant.name!r} is a variant of {family.name!r} (kgo:variantOf), not the same entity"
    va, vb = version_tokens(a.name), version_tokens(b.name)
    if va != vb:
        return f"different version or size ({' '.join(va) or 'none'} / {' '.join(vb) or 'none'})"
    if shared is not None:
        return f"the name {shared!r} is written for both; no rule says they are one entity"
    return f"similar spelling only (ratio {score:.0f}); similarity is reported, never merged"


def name_collisions(rows: Iterable[EntityRow], preferred_only: bool = False) -> Dict[Tuple[str, str], List[EntityRow]]:
    """Names (type, match_key) written for more than one node of that type: by preferred names only, or by any
    name. The resolution audit: with `preferred_only`, there must be none."""
    by_name: Dict[Tuple[str, str], Dict[str, EntityRow]] = {}
    for row in rows:
        for name in (row.name,) if preferred_only else row.names:
            key = match_key(name)
            if key:
                by_name.setdefault((row.type.value, key), {})[row.iri] = row
    return {k: sorted(v.values(), key=lambda r: r.iri) for k, v in sorted(by_name.items()) if len(v) > 1}


def duplicate_candidates(
    graph_or_rows,
    entity_type: Optional[str] = None,
    threshold: float = DUPLICATE_THRESHOLD,
) -> List[DuplicatePair]:
    """Near-duplicate pairs left unmerged, with the reason for each: nodes sharing a normalised name (of any
    type), and nodes of one type whose preferred names are at least `threshold` similar (rapidfuzz ratio of their
    match keys). `graph_or_rows` is what `list_entities` reads, or its rows. Sorted by type, score, names."""
    import numpy as np
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    from .knowledge import KnowledgeGraph

    graph_like = isinstance(graph_or_rows, (Graph, KnowledgeGraph, str, Path))
    rows = list_entities(graph_or_rows, entity_type) if graph_like else list(graph_or_rows)
    wanted = _entity_type(entity_type)
    if wanted is not None:
        rows = [r for r in rows if r.type == wanted]
    rows.sort(key=lambda r: r.iri)
    pairs: Dict[Tuple[str, str], DuplicatePair] = {}

    def add(a: EntityRow, b: EntityRow, score: float, shared: Optional[str]) -> None:
        a, b = sorted((a, b), key=lambda r: r.iri)
        if (a.iri, b.iri) not in pairs:
            pairs[a.iri, b.iri] = DuplicatePair(a, b, round(score, 1), _reason(a, b, shared, score))

    by_key: Dict[str, List[Tuple[EntityRow, str]]] = {}
    for row in rows:
        for name in row.names:
            if match_key(name):
                by_key.setdefault(match_key(name), []).append((row, name))
    for _, hits in sorted(by_key.items()):
        nodes = {r.iri: (r, n) for r, n in hits}
        if len(nodes) < 2:
            continue
        ordered = sorted(nodes.values(), key=lambda rn: rn[0].iri)
        for i, (a, name) in enumerate(ordered):
            for b, _ in ordered[i + 1 :]:
                add(a, b, 100.0, name)

    # Names that differ only in version or size tokens ("GPT-4" / "GPT-4V") are short, so their ratio falls
    # below the threshold: pair them within their version-less stem, down to VERSION_SLACK below it.
    by_stem: Dict[Tuple[EntityType, str], List[EntityRow]] = {}
    for row in rows:
        stem = match_key(_VERSION_RE.sub(" ", normalize_name(row.name).lower()))
        if stem:
            by_stem.setdefault((row.type, stem), []).append(row)
    for _, group in sorted(by_stem.items(), key=lambda kv: (kv[0][0].value, kv[0][1])):
        if len(group) < 2 or len(group) > _MAX_STEM_GROUP:
            continue
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                score = fuzz.ratio(match_key(a.name), match_key(b.name))
                if score >= threshold - VERSION_SLACK and match_key(a.name) != match_key(b.name):
                    add(a, b, score, None)

    for etype in EntityType:
        group = [r for r in rows if r.type == etype]
        keys = [match_key(r.name) for r in group]
        for start in range(0, len(group), _CHUNK):
            scores = cdist(keys[start : start + _CHUNK], keys, scorer=fuzz.ratio, score_cutoff=threshold,
                           dtype=np.float32)
            for i, j in zip(*np.nonzero(scores)):
                i, j = int(i) + start, int(j)
                if i < j and keys[i] != keys[j]:
                    add(group[i], group[j], float(scores[i - start, j]), None)
    return sorted(pairs.values(), key=lambda p: (p.a.type.value, -p.score, p.a.name.lower(), p.b.name.lower(),
                                                 p.a.iri, p.b.iri))


def format_entities(rows: Iterable[EntityRow]) -> str:
    """Tab-separated lines: papers, type, name, other names (" | "), family."""
    lines = ["papers\ttype\tname\taliases\tfamily"]
    for r in rows:
        names = " | ".join(r.aliases + r.aliases_zh)
        lines.append(f"{r.papers}\t{r.type.value}\t{r.name}\t{names}\t{r.family or ''}")
    return "\n".join(lines)


def format_duplicates(pairs: Iterable[DuplicatePair]) -> str:
    """Tab-separated lines: score, first name and type, second name and type, the reason they are apart."""
    lines = ["score\tname\ttype\tother name\tother type\tkept apart because"]
    for p in pairs:
        lines.append(f"{p.score:g}\t{p.a.name}\t{p.a.type.value}\t{p.b.name}\t{p.b.type.value}\t{p.reason}")
    return "\n".join(lines)
