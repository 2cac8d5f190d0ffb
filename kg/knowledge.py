"""`KnowledgeGraph`: load a built graph, look entities up by name, read their records, run SPARQL.

    from kg import KnowledgeGraph
    g = KnowledgeGraph.load("outputs/graph.ttl")          # Turtle (any RDF file) or an Oxigraph store folder
    g.lookup("llama2 7b")                                  # [LookupHit(label='Llama-2-7B', score=0.95, ...)]
    record = g.entity("GPT-4")                             # type, labels, aliases, family, papers, evidence
    g.papers("LoRA", role="proposes")
    g.sparql("SELECT ?p WHERE { ?p kgo:mentions ?e }", e=record)

Lookup works like scispaCy's `KnowledgeBase`: an `EntityIndex` with `id_to_entity` (IRI -> `IndexedEntity`)
and `alias_to_ids` (normalised name -> IRIs), plus acronyms of multi-word names; names that match nothing
exactly are ranked by rapidfuzz. Every query this module runs is a constant string: the entity, paper or role
asked about is passed as a binding (`Engine.query(text, bindings)`), never written into the query text.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Set, Tuple, Union

from rdflib import Graph, Literal, URIRef
from rdflib.term import Identifier

from .errors import Errors, KGError, KGWarning, Warnings
from .namespaces import expand_iri, local_name
from .normalize import match_key, normalize_name
from .query import DEFAULT_ENGINE, Engine, QueryResult, counted, iri_problem, named_query, open_engine, shorten
from .parse.common import arxiv_id_of
from .rdf import CLASS_TYPES, paper_iri
from .records import EntityType, Role

__all__ = [
    "KnowledgeGraph",
    "EntityIndex",
    "IndexedEntity",
    "LookupHit",
    "EntityRef",
    "PaperLink",
    "Related",
    "EvidenceRecord",
    "EntityRecord",
    "acronyms",
    "is_abbreviation",
    "MATCH_SCORES",
    "FUZZY_CUTOFF",
    "format_hits",
    "format_record",
]

#: Score of each kind of match; fuzzy matches score `FUZZY_WEIGHT * ratio / 100`, so below every exact kind.
MATCH_SCORES: Mapping[str, float] = {
    "label": 1.0,  # the query is the entity's label, character for character
    "alias": 0.97,  # an alternative label, character for character
    "label-key": 0.95,  # the label up to case, spaces, hyphens and punctuation ("llama2 7b" -> Llama-2-7B)
    "alias-key": 0.92,  # an alternative label up to case, spaces, hyphens and punctuation
    "acronym": 0.85,  # initials of a multi-word name ("PPO" -> Proximal Policy Optimization), or the reverse
    "abbreviation": 0.82,  # letters in order from the words of a long name, Schwartz-Hearst style ("LoRA")
    "iri": 1.0,  # the entity's IRI, whole or as a table prints it ("model:gpt4")
}
FUZZY_WEIGHT = 0.8
#: Lowest rapidfuzz ratio (0-100) of normalised names that still counts as a fuzzy match.
FUZZY_CUTOFF = 70.0
#: How many co-occurring entities an entity record lists.
RELATED_COOCCURRING = 10

_CLASS_TYPES: Mapping[str, EntityType] = {str(cls): t for cls, t in CLASS_TYPES.items()}
_ROLE_ORDER: Tuple[str, ...] = ("proposes", "uses", "evaluatesOn", "comparesWith", "mentions")
_STOPWORDS = frozenset("a an and by for from in of on the to with via".split())
_TYPE_WORDS = frozenset("model models dataset datasets benchmark benchmarks corpus method methods metric metrics task "
                        "tasks framework algorithm architecture".split())
#: The same type words in Chinese, which are written glued to the name ("MMLU数据集", "混合专家模型"); longest first,
#: so "基准测试" goes before "基准".
_TYPE_WORDS_ZH: Tuple[str, ...] = ("基准测试", "数据集", "语料库", "基准", "模型", "方法", "框架", "算法", "架构", "指标",
                                   "任务")
#: Type words dropped only after a name with no Chinese in it ("ResNet网络", "Qwen大模型"): after Chinese they are
#: part of the name (神经网络, 生成对抗网络, 深度Q网络, 掩码语言模型). Longest first, and tried before `_TYPE_WORDS_ZH`.
_TYPE_WORDS_ZH_AFTER_LATIN: Tuple[str, ...] = ("大语言模型", "语言模型", "大模型", "网络")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")


# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class IndexedEntity:
    """An entity of the graph as the lookup index holds it (scispaCy's `Entity`): IRI, type, label, names."""

    iri: str
    type: EntityType
    label: str
    aliases: Tuple[str, ...] = ()
    aliases_zh: Tuple[str, ...] = ()
    family: Optional[str] = None
    paper_count: int = 0

    @property
    def names(self) -> Tuple[str, ...]:
        return (self.label,) + self.aliases + self.aliases_zh


@dataclass(frozen=True)
class LookupHit:
    """One ranked answer of `lookup`: the entity, its score (0-1), the kind of match and the name matched."""

    iri: str
    label: str
    type: EntityType
    score: float
    match: str  # a key of MATCH_SCORES, or "fuzzy"
    matched: str  # which of the entity's names matched
    paper_count: int = 0


@dataclass(frozen=True)
class EntityRef:
    iri: str
    label: str
    type: Optional[EntityType] = None


@dataclass(frozen=True)
class PaperLink:
    """A paper naming an entity, with its roles (the most specific ones; "mentions" only when no other)."""

    iri: str
    arxiv_id: str
    title: str
    date: Optional[str]
    roles: Tuple[str, ...]


@dataclass(frozen=True)
class Related:
    """Another entity and how it relates: `variantOf`, `basedOn`, `evaluatedOn` (a leading `^` for the
    inverse: `^variantOf` is a variant of this entity), `comparedWith` or `coOccursWith`, with the number of
    papers behind it where the relation comes from papers."""

    iri: str
    label: str
    type: Optional[EntityType]
    relation: str
    papers: Optional[int] = None


@dataclass(frozen=True)
class EvidenceRecord:
    """Why the graph links a paper to the entity: role, the text field and offsets, sentence, rule, confidence,
    and what gave the role (`kgo:roleCue`; None for a plain mention)."""

    paper: str
    role: str
    field: str
    start: Optional[int]
    end: Optional[int]
    sentence: str
    found_by: Optional[str]
    confidence: Optional[float]
    support_count: Optional[int] = None
    role_cue: Optional[str] = None


@dataclass(frozen=True)
class EntityRecord:
    """Everything the graph says about one entity. `alternatives`: when it was asked for by a name that other
    entities match exactly as well (a tie of lookup scores), their lookup hits; the record is the first hit's."""

    iri: str
    type: EntityType
    label: str
    labels: Tuple[str, ...]
    aliases: Tuple[str, ...]
    aliases_zh: Tuple[str, ...]
    family: Optional[EntityRef]
    variants: Tuple[EntityRef, ...]
    paper_count: int
    papers: Tuple[PaperLink, ...]
    related: Tuple[Related, ...]
    evidence: Tuple[EvidenceRecord, ...]
    alternatives: Tuple[LookupHit, ...] = ()


# ---------------------------------------------------------------- names


def acronyms(name: str) -> Set[str]:
    """Lower-case initialisms of a multi-word name, with and without splitting hyphenated words and with and
    without function words: "Long Short-Term Memory" -> {"lstm", "lsm"}, "chain-of-thought" -> {"cot", "ct"}."""
    found: Set[str] = set()
    text = normalize_name(name)
    for split in (r"[\s/]+", r"[\s/\-]+"):
        words = [w for w in re.split(split, text) if re.search(r"[A-Za-z0-9]", w)]
        for keep_stop in (True, False):
            kept = [w for w in words if keep_stop or w.lower() not in _STOPWORDS]
            if len(kept) >= 2:
                found.add("".join(re.sub(r"[^A-Za-z0-9]", "", w)[:1] for w in kept).lower())
    return {a for a in found if len(a) >= 2}


def is_abbreviation(short: str, long: str) -> bool:
    """Whether `short` abbreviates all of `long`: its letters and digits occur in `long` in order, starting
    with `long`'s first letter, taking the first letter of every word but function words and at most two
    letters from any part of a word ("LoRA" / "Low-Rank Adaptation"; not "Mistrl" / "Mistral 7B", not
    "ChatGTP" / "chain-of-thought prompting")."""
    chars = [c.lower() for c in short if c.isalnum()]
    text = long.lower()
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^\W_]+", text)]
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    if len(chars) < 2 or len(words) < 2 or len(parts) > len(chars) + 3:
        return False
    required = sorted(start for start, word in words
                      if re.search(r"[^\W_]", word) and word.strip("-").lower() not in _STOPWORDS)
    part_of = {i: n for n, (a, b) in enumerate(parts) for i in range(a, b)}
    if not required or required[0] != parts[0][0] or chars[0] != text[parts[0][0]]:
        return False

    @functools.lru_cache(maxsize=None)
    def match(si: int, li: int, part: int, used: int) -> bool:
        nxt = next((r for r in required if r >= li), None)  # the next required initial must not be skipped
        if si == len(chars):
            return nxt is None
        limit = len(text) if nxt is None else nxt + 1
        for p in range(li, limit):
            if text[p] != chars[si] or p not in part_of:
                continue
            count = used + 1 if part_of[p] == part else 1
            if count <= 2 and match(si + 1, p + 1, part_of[p], count):
                return True
        return False

    return match(1, parts[0][0] + 1, 0, 1)


def _exact(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).split())


def _is_short_name(name: str) -> bool:
    """An acronym-like name: one token of at most 12 characters with two capitals or more ("GAT", "LoRA")."""
    return " " not in name.strip() and 2 <= len(name) <= 12 and sum(c.isupper() for c in name) >= 2


def _abbreviates(short: str, long: str) -> bool:
    return match_key(short) in acronyms(long) or is_abbreviation(short, long)


def _letters_in_order(short: str, long: str) -> bool:
    """Whether the letters and digits of `short` occur in `long` in order, the first one starting `long`."""
    chars = [c for c in short.lower() if c.isalnum()]
    text = long.lower()
    if not chars or not text.startswith(chars[0]):
        return False
    pos = 0
    for c in chars:
        pos = text.find(c, pos) + 1
        if pos == 0:
            return False
    return True


def _short_form_taken(entity: IndexedEntity, long: str, key: str) -> bool:
    """Whether the graph names the long name `long` of `entity` by a short name other than the query's `key`:
    "Graph Attention Network" is written "GAT" (letters of it in order, looser than `is_abbreviation`), so
    "GAN" is not it."""
    return any(_is_short_name(n) and match_key(n) != key and _letters_in_order(n, long) for n in entity.names)


def _long_form_taken(entity: IndexedEntity, short: str, key: str) -> bool:
    """Whether the short name `short` of `entity` already stands for a long name of its own unlike the query's
    (`key`): "DM" of "Decoupled Mixup" does not mean "diffusion model", nor "SD" of "self-distillation" "Stable
    Diffusion". A spelling of the same long form ("Generative Adversarial Nets") is not unlike it."""
    from rapidfuzz import fuzz

    return any(len(re.split(r"[\s\-/]+", n.strip())) >= 2 and match_key(n) != key and _abbreviates(short, n)
               and fuzz.ratio(match_key(n), key) < FUZZY_CUTOFF for n in entity.names)


def _zh_type_word(word: str, before: str) -> str:
    """The Chinese type word `word` ends with ("" for none), `before` being the rest of the name in front of it."""
    for w in _TYPE_WORDS_ZH_AFTER_LATIN:
        if word.endswith(w) and not _CJK_RE.search(before + word[: len(word) - len(w)]):
            return w
    return next((w for w in _TYPE_WORDS_ZH if word.endswith(w)), "")


def _strip_type_word(name: str) -> str:
    """ "the GSM8K dataset" -> "GSM8K", "MMLU数据集" -> "MMLU", "混合专家 模型" -> "混合专家", "ResNet网络" -> "ResNet"
    (but "神经网络" stays whole): tried only when the name as given matches nothing exactly, so "The Stack" stays
    whole."""
    words = name.split()
    while words:
        last = words[-1]
        before = " ".join(words[:-1])
        if len(words) > 1 and (last.lower() in _TYPE_WORDS or _zh_type_word(last, before) == last):
            words.pop()
            continue
        glued = _zh_type_word(last, before)
        rest = last[: len(last) - len(glued)].rstrip("-_·")
        if not glued or not re.search(r"\w", rest):
            break
        words[-1] = rest
    if len(words) > 1 and words[0].lower() == "the":
        words.pop(0)
    return " ".join(words)


# ---------------------------------------------------------------- the index


class EntityIndex:
    """`id_to_entity` (IRI -> IndexedEntity) and `alias_to_ids` (match key of every name -> IRIs), plus
    `exact_to_ids` (names as written) and `acronym_to_ids`; built once from the graph's entities."""

    def __init__(self, entities: Iterable[IndexedEntity]) -> None:
        self.id_to_entity: Dict[str, IndexedEntity] = {}
        self.alias_to_ids: Dict[str, Set[str]] = {}
        self.exact_to_ids: Dict[str, Set[str]] = {}
        self.acronym_to_ids: Dict[str, Set[str]] = {}
        for entity in entities:
            self._index_entity(entity)
        self._keys: List[str] = sorted(self.alias_to_ids)
        names = sorted({(n, iri) for iri, e in self.id_to_entity.items() for n in e.names if not _CJK_RE.search(n)})
        self._short_names = [(n, iri) for n, iri in names if " " not in n.strip() and 2 <= len(n) <= 12]
        self._long_names = [(n, iri) for n, iri in names if len(n.split()) >= 2]

    def _index_entity(self, entity: IndexedEntity) -> None:
        self.id_to_entity[entity.iri] = entity
        for name in entity.names:
            self.exact_to_ids.setdefault(_exact(name), set()).add(entity.iri)
            key = match_key(name)
            if key:
                self.alias_to_ids.setdefault(key, set()).add(entity.iri)
            for acronym in acronyms(name):
                self.acronym_to_ids.setdefault(acronym, set()).add(entity.iri)

    def __len__(self) -> int:
        return len(self.id_to_entity)

    def __contains__(self, iri: object) -> bool:
        return iri in self.id_to_entity

    def _name_kind(self, entity: IndexedEntity, exact: str, key: str) -> Optional[Tuple[str, str]]:
        """The best exact kind of match of the query (`exact` text, `key`) against one entity's names."""
        if _exact(entity.label) == exact:
            return "label", entity.label
        for alias in entity.aliases + entity.aliases_zh:
            if _exact(alias) == exact:
                return "alias", alias
        if match_key(entity.label) == key:
            return "label-key", entity.label
        for alias in entity.aliases + entity.aliases_zh:
            if match_key(alias) == key:
                return "alias-key", alias
        return None

    def _candidates(self, name: str) -> Dict[str, Tuple[float, str, str]]:
        """IRI -> (score, kind, matched name) for every entity that `name` matches in some way."""
        exact, key = _exact(name), match_key(name)
        best: Dict[str, Tuple[float, str, str]] = {}

        def offer(iri: str, kind: str, matched: str, score: Optional[float] = None) -> None:
            score = MATCH_SCORES[kind] if score is None else score
            if iri not in best or score > best[iri][0]:
                best[iri] = (score, kind, matched)

        for iri in sorted(self.exact_to_ids.get(exact, set()) | self.alias_to_ids.get(key, set())):
            kind = self._name_kind(self.id_to_entity[iri], exact, key)
            if kind:
                offer(iri, *kind)
        # "PPO" -> the entity whose long name has those initials, unless the graph writes that name otherwise
        for iri in self.acronym_to_ids.get(key, ()):
            entity = self.id_to_entity[iri]
            long_name = next((n for n in entity.names if key in acronyms(n)), entity.label)
            if not _short_form_taken(entity, long_name, key):
                offer(iri, "acronym", long_name)
        # "Proximal Policy Optimization" -> an entity named by those initials, unless they stand for another name
        for acronym in acronyms(name):
            for iri in self.alias_to_ids.get(acronym, ()):
                entity = self.id_to_entity[iri]
                short_name = next((n for n in entity.names if match_key(n) == acronym), entity.label)
                if not _long_form_taken(entity, short_name, key):
                    offer(iri, "acronym", short_name)
        if not any(score >= MATCH_SCORES["acronym"] for score, _, _ in best.values()) and not _CJK_RE.search(name):
            # "LoRA" <-> "Low-Rank Adaptation": looser than initials, so only when nothing better matched
            if len(exact.split()) == 1:
                for long_name, iri in self._long_names:
                    if is_abbreviation(exact, long_name) and not _short_form_taken(self.id_to_entity[iri],
                                                                                   long_name, key):
                        offer(iri, "abbreviation", long_name)
            else:
                for short_name, iri in self._short_names:
                    if is_abbreviation(short_name, exact) and not _long_form_taken(self.id_to_entity[iri],
                                                                                   short_name, key):
                        offer(iri, "abbreviation", short_name)
        if key and not _CJK_RE.search(key):
            self._fuzzy(key, offer)
        return best

    def _fuzzy(self, key: str, offer) -> None:
        from rapidfuzz import fuzz, process

        for other, ratio, _ in process.extract(key, self._keys, scorer=fuzz.ratio, limit=50,
                                               score_cutoff=FUZZY_CUTOFF):
            for iri in self.alias_to_ids[other]:
                entity = self.id_to_entity[iri]
                matched = next((n for n in entity.names if match_key(n) == other), entity.label)
                offer(iri, "fuzzy", matched, round(FUZZY_WEIGHT * ratio / 100.0, 4))

    def lookup(self, name: str, type: Optional[EntityType] = None, limit: int = 10) -> List[LookupHit]:
        """Entities matching `name`, best first: exact label, exact alias, label or alias up to case, spacing and
        hyphens, acronym, abbreviation, then fuzzy; ties go to the entity more papers name, then the label.
        `type` keeps one entity type; `limit`: at most this many (0 or less: all)."""
        if name is not None and not isinstance(name, str):  # str() of a hit or a number would be looked up as text
            raise TypeError(f"lookup takes a name, an alias or an IRI as a str, not {name.__class__.__name__}")
        if not isinstance(limit, int) and limit is not None:
            raise TypeError(f"limit must be an int (0 for all), not {limit.__class__.__name__}")
        if not name or not name.strip():
            raise KGError(Errors.E073)
        iri = expand_iri(name)
        if iri in self.id_to_entity:
            entity = self.id_to_entity[iri]
            if type is not None and entity.type is not type:
                return []
            return [LookupHit(iri, entity.label, entity.type, MATCH_SCORES["iri"], "iri", iri, entity.paper_count)]
        best = self._candidates(name)
        stripped = _strip_type_word(_exact(name))
        if stripped != _exact(name) and all(score < MATCH_SCORES["acronym"] for score, _, _ in best.values()):
            for iri, cand in self._candidates(stripped).items():  # "the GSM8K dataset" -> GSM8K
                if iri not in best or cand[0] > best[iri][0]:
                    best[iri] = cand
        hits = []
        for iri, (score, kind, matched) in best.items():
            entity = self.id_to_entity[iri]
            if type is not None and entity.type is not type:
                continue
            hits.append(LookupHit(iri, entity.label, entity.type, score, kind, matched, entity.paper_count))
        hits.sort(key=lambda h: (-h.score, -h.paper_count, h.label.lower(), h.iri))
        return hits[:limit] if limit and limit > 0 else hits


# ---------------------------------------------------------------- queries (constant strings; values are bindings)

# Simple patterns with a fixed predicate each, so rdflib's engine (no join reordering) stays fast too.
_ENTITY_TYPES = """
SELECT ?entity ?type
WHERE { ?entity a ?type }
"""

_ENTITY_NAMES = """
SELECT ?entity ?property ?name
WHERE {
  { ?entity skos:prefLabel ?name . BIND(skos:prefLabel AS ?property) }
  UNION
  { ?entity rdfs:label ?name . BIND(rdfs:label AS ?property) }
  UNION
  { ?entity skos:altLabel ?name . BIND(skos:altLabel AS ?property) }
}
"""

_ENTITY_FACTS = """
SELECT ?entity ?count ?family
WHERE {
  { ?entity kgo:paperCount ?count }
  UNION
  { ?entity kgo:variantOf ?family }
}
"""

_ENTITY_PAPERS = """
SELECT ?entity ?paper ?role ?id ?date ?title ?titleZh
WHERE {
  VALUES ?role { kgo:proposes kgo:uses kgo:evaluatesOn kgo:comparesWith kgo:mentions }
  ?paper ?role ?entity .
  OPTIONAL { ?paper kgo:arxivId ?id }
  OPTIONAL { ?paper dcterms:date ?date }
  OPTIONAL { ?paper dcterms:title ?title FILTER(LANG(?title) = "en") }
  OPTIONAL { ?paper dcterms:title ?titleZh FILTER(LANG(?titleZh) = "zh") }
}
"""

_ENTITY_LINKS = """
SELECT ?entity ?property ?direction ?other
WHERE {
  VALUES ?property { kgo:variantOf kgo:basedOn kgo:evaluatedOn }
  { ?entity ?property ?other . BIND("out" AS ?direction) }
  UNION
  { ?other ?property ?entity . BIND("in" AS ?direction) }
}
"""

_IS_PAPER = "ASK { ?paper a kgo:Paper }"

_ENTITY_LABELS = """
SELECT ?entity ?label
WHERE {
  { ?entity skos:prefLabel ?label } UNION { ?entity rdfs:label ?label }
}
"""


def _int(term) -> Optional[int]:
    if term is None:
        return None
    try:
        return int(term.toPython())
    except (TypeError, ValueError):
        return None


def _float(term) -> Optional[float]:
    if term is None:
        return None
    try:
        return float(term.toPython())
    except (TypeError, ValueError):
        return None


def _binding_value(value: object) -> object:
    """A str bound from Python as `kg query -b` reads its text: the IRI `expand_iri` reads, else the str."""
    if isinstance(value, str) and not isinstance(value, Identifier):
        iri = expand_iri(value)
        if iri is not None:
            return URIRef(iri)
    return value


def _paper_iri(paper: object) -> str:
    """The IRI of the paper `paper` names: its arXiv id in any written form ("2402.19474", "arXiv:2402.19474v2",
    its abs or pdf URL; papers' IRIs carry no version), another IRI as `expand_iri` reads it, or a `PaperLink`."""
    iri = getattr(paper, "iri", None)
    if isinstance(iri, str):
        return iri
    if not isinstance(paper, str):
        raise TypeError(f"a paper is an arXiv id, an IRI or a PaperLink, not {type(paper).__name__}")
    text = paper.strip()
    arxiv_id = arxiv_id_of(text.strip("<>"))
    if arxiv_id is not None:
        return str(paper_iri(arxiv_id))
    return expand_iri(text) or str(paper_iri(text))


def _role_name(role: Union[str, Role, None]) -> Optional[str]:
    if role is None:
        return None
    value = role.value if isinstance(role, Role) else str(role)
    value = local_name(value).removeprefix("kgo:")
    for known in _ROLE_ORDER:
        if value.lower() == known.lower():
            return known
    raise KGError(Errors.E072.format(what="role", name=str(role), choices=", ".join(_ROLE_ORDER)))


def _entity_type(value: Union[str, EntityType, None]) -> Optional[EntityType]:
    if value is None or isinstance(value, EntityType):
        return value
    text = local_name(expand_iri(str(value)) or str(value)).upper()  # "kgo:Model" too, as the named queries take it
    for t in EntityType:
        if t.value == text:
            return t
    raise KGError(Errors.E072.format(what="entity type", name=str(value),
                                     choices=", ".join(t.value.lower() for t in EntityType)))


# ---------------------------------------------------------------- the graph


class KnowledgeGraph:
    """A built PaperKG graph behind a SPARQL engine, with an entity lookup index built on first use.

    engine: an `Engine` (see `kg.query`), or an rdflib Graph, a graph file or an Oxigraph store folder to query
    with the default engine (as `load`).
    """

    def __init__(self, engine: Union[Engine, Graph, str, Path]) -> None:
        if not isinstance(engine, (Engine, Graph, str, Path)):
            raise TypeError(f"KnowledgeGraph takes an Engine, an rdflib Graph or a path, not {type(engine).__name__}")
        # a path kept as the engine failed only at the first query, with an AttributeError
        self.engine: Engine = engine if isinstance(engine, Engine) else open_engine(engine)
        self._index: Optional[EntityIndex] = None

    @classmethod
    def load(cls, path: Union[str, Path], engine: str = DEFAULT_ENGINE) -> "KnowledgeGraph":
        """Open a graph file (Turtle, N-Triples, RDF/XML, JSON-LD, TriG; format from the suffix) or an Oxigraph
        store folder. engine: "oxigraph" (default) or "rdflib"."""
        return cls(open_engine(path, engine))

    @classmethod
    def from_graph(cls, graph: Graph, engine: str = DEFAULT_ENGINE) -> "KnowledgeGraph":
        """A KnowledgeGraph over an rdflib Graph (a Dataset: the triples of all its graphs), queried with `engine`."""
        return cls(open_engine(graph, engine))

    def __len__(self) -> int:
        """Number of triples."""
        return len(self.engine)

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.engine.name}: {len(self)} triples>"

    # -------------------------------------------------------- SPARQL

    def sparql(self, query: str, /, **bindings: object) -> QueryResult:
        """Run a SPARQL 1.1 query with the ontology's prefixes predeclared. Keyword arguments bind variables
        of the same name (`model=hit` binds ?model to the hit's IRI); a str that `expand_iri` reads is that IRI,
        as `kg query -b` reads it ("model:gpt4", "<https://...>", "https://arxiv.org/abs/2402.19474"), other str
        values are text (an `rdflib.Literal` stays text whatever it says). The engine then types each value by
        what the query does with it (`kg.query.binding_expectations`: role="proposes" where the query lists
        role IRIs, start="2024-02" where it compares dates); values go to it apart from the query text."""
        return self.engine.query(query, {var: _binding_value(value) for var, value in bindings.items()})

    def named(self, name: str, /, **bindings: object) -> QueryResult:
        """Run the named competency query `name` (`kg query --list`) with `bindings` for its parameters, read
        as `sparql` reads them: `g.named("compared-models", model="model:gpt4")`. KGError (E075) for a keyword that
        is none of its parameters (`named_query(name).parameters`)."""
        query = named_query(name)
        for var in bindings:
            reason = query.not_a_parameter(var)
            if reason:
                raise KGError(Errors.E075.format(name=var, reason=reason))
        return self.sparql(query.text, **bindings)

    # -------------------------------------------------------- lookup

    @property
    def index(self) -> EntityIndex:
        """The lookup index of the graph's typed entities (`EntityIndex`), built on first use."""
        if self._index is None:
            self._index = EntityIndex(self._iter_entities())
        return self._index

    def _iter_entities(self) -> Iterable[IndexedEntity]:
        types: Dict[str, EntityType] = {}
        for entity, cls in self.engine.query(_ENTITY_TYPES).rows:
            etype = _CLASS_TYPES.get(str(cls))
            iri = str(entity)
            if etype and (iri not in types or etype.value < types[iri].value):  # one type per entity, stably
                types[iri] = etype
        names: Dict[str, Dict[str, List[Literal]]] = {iri: {} for iri in types}
        for entity, prop, name in self.engine.query(_ENTITY_NAMES).rows:
            if str(entity) in names and isinstance(name, Literal):
                names[str(entity)].setdefault(local_name(prop), []).append(name)
        counts: Dict[str, int] = {}
        families: Dict[str, str] = {}
        for entity, count, family in self.engine.query(_ENTITY_FACTS).rows:
            if str(entity) not in types:
                continue
            if count is not None:
                counts[str(entity)] = max(counts.get(str(entity), 0), _int(count) or 0)
            if family is not None:  # the smallest IRI when there are several, so every engine agrees
                families[str(entity)] = min(families.get(str(entity), str(family)), str(family))
        for iri in sorted(names):
            by_prop = names[iri]
            labels = sorted(str(n) for n in by_prop.get("prefLabel", []) + by_prop.get("label", []))
            label = sorted(str(n) for n in by_prop.get("prefLabel", []))[:1] or labels[:1] or [local_name(iri)]
            others = [n for n in by_prop.get("altLabel", []) + by_prop.get("label", []) + by_prop.get("prefLabel", [])
                      if str(n) != label[0]]
            zh = sorted({str(n) for n in others if (n.language or "").startswith("zh")})
            en = sorted({str(n) for n in others if not (n.language or "").startswith("zh")})
            yield IndexedEntity(iri, types[iri], label[0], tuple(en), tuple(zh), families.get(iri), counts.get(iri, 0))

    def entities(self, type: Union[str, EntityType, None] = None) -> List[IndexedEntity]:
        """Every entity of the graph (of one type), sorted by IRI."""
        etype = _entity_type(type)
        return [e for _, e in sorted(self.index.id_to_entity.items()) if etype is None or e.type is etype]

    def lookup(self, name: str, type: Union[str, EntityType, None] = None, limit: int = 10) -> List[LookupHit]:
        """Entities named `name`, best first, with scores (see `MATCH_SCORES`): exact label, alias, acronym,
        then fuzzy (rapidfuzz). type: "model", "dataset", ... or an EntityType; limit: at most this many."""
        return self.index.lookup(name, _entity_type(type), limit)

    def resolve(self, entity: object, type: Union[str, EntityType, None] = None) -> str:
        """The IRI of `entity`: an entity IRI, a record or hit with `.iri`, or a name (best lookup hit). When
        other entities match the name exactly as well, it warns (KGWarning W001) naming them."""
        return self._resolve(entity, type)[0]

    def _resolve(self, entity: object, type: Union[str, EntityType, None]) -> Tuple[str, Tuple[LookupHit, ...]]:
        """`resolve`, and the lookup hits that tie with the one taken (same score), warned about."""
        iri = getattr(entity, "iri", None)
        if isinstance(iri, str):
            return self._entity_iri(iri, iri, type), ()  # a hit or record of another graph is none
        if not isinstance(entity, str):  # str(None) would be looked up as the name "None"
            raise TypeError(f"an entity is a name, an IRI or a record with .iri (LookupHit, EntityRecord), "
                            f"not {entity.__class__.__name__}")
        text = entity.strip()
        iri = expand_iri(text)
        if iri is not None:
            return self._entity_iri(iri, text, type), ()
        hits = self.lookup(text, type, limit=0)
        if not hits:
            raise KGError(Errors.E076.format(name=text, hint=self.other_types_hint(text, type)))
        if hits[0].match == "fuzzy":  # a near spelling may be another entity: "GPT-4o" is not GPT-4
            close = ", ".join(dict.fromkeys(h.label for h in hits[:3]))
            raise KGError(Errors.E076.format(name=text, hint=f"; did you mean: {close}? (kg lookup lists them)"))
        ties = tuple(h for h in hits[1:] if h.score == hits[0].score)
        if ties:  # the paper count (then the label) picked one: say so, as the caller may have meant another
            warnings.warn(Warnings.W001.format(name=text, count=len(ties) + 1, match=hits[0].match,
                                               taken=_hit_text(hits[0]), others=", ".join(map(_hit_text, ties))),
                          KGWarning, stacklevel=_caller_level())
        return hits[0].iri, ties

    def _entity_iri(self, iri: str, given: str, type: Union[str, EntityType, None]) -> str:
        """`iri`, given as `given`; KGError (E076) when no typed entity of the graph has it, or when the entity is
        not of `type`: as a name would find nothing of that type, an IRI of another type is no answer either."""
        if iri not in self.index:
            raise KGError(Errors.E076.format(name=given, hint=" (no typed entity has this IRI)"))
        etype = _entity_type(type)
        actual = self.index.id_to_entity[iri].type
        if etype is not None and actual is not etype:
            raise KGError(Errors.E076.format(name=given, hint=f" of type {etype.value.lower()} (it is a "
                                                              f"{actual.value.lower()})"))
        return iri

    def other_types_hint(self, name: str, type: Union[str, EntityType, None]) -> str:
        """What `name` names among the entities of types other than `type`, as a hint for a lookup or `resolve`
        that the type filter left empty ("; it names entities of other types: generative adversarial network
        (method)"); "" with no type or nothing else found."""
        etype = _entity_type(type)
        if etype is None:
            return ""
        others = [h for h in self.lookup(name, limit=10) if h.type is not etype]
        others = ([h for h in others if h.match != "fuzzy"] or others)[:3]  # near spellings only when nothing else
        if not others:
            return ""
        return "; it names entities of other types: " + ", ".join(
            f"{h.label} ({h.type.value.lower()}{', a near spelling' if h.match == 'fuzzy' else ''})" for h in others)

    # -------------------------------------------------------- records

    def papers(self, entity: object, role: Union[str, Role, None] = None) -> List[PaperLink]:
        """Papers naming `entity` (IRI, name or record), sorted by arXiv id, each with its roles; `role`
        ("proposes", "uses", "evaluatesOn", "comparesWith"; "mentions" means any) keeps those with that role."""
        iri = self.resolve(entity)
        wanted = _role_name(role)
        by_paper: Dict[str, dict] = {}
        for _, paper, prop, arxiv_id, date, title, title_zh in self.engine.query(
                _ENTITY_PAPERS, {"entity": URIRef(iri)}).rows:
            info = by_paper.setdefault(str(paper), {"roles": set(), "id": arxiv_id, "date": date,
                                                    "title": title or title_zh})
            info["roles"].add(local_name(prop))
        links = []
        for paper, info in sorted(by_paper.items(), key=lambda kv: (str(kv[1]["id"] or ""), kv[0])):
            roles = [r for r in _ROLE_ORDER if r in info["roles"]]
            specific = tuple(r for r in roles if r != "mentions") or ("mentions",)
            if wanted and wanted != "mentions" and wanted not in specific:
                continue
            links.append(PaperLink(paper, str(info["id"] or local_name(paper)), str(info["title"] or ""),
                                   str(info["date"]) if info["date"] is not None else None, specific))
        return links

    def _label(self, iri: str) -> Tuple[str, Optional[EntityType]]:
        entity = self.index.id_to_entity.get(iri)
        if entity:
            return entity.label, entity.type
        rows = self.engine.query(_ENTITY_LABELS, {"entity": URIRef(iri)}).rows
        labels = sorted(str(label) for _, label in rows)
        return (labels[0] if labels else local_name(iri)), None

    def _ref(self, iri: str) -> EntityRef:
        label, etype = self._label(iri)
        return EntityRef(iri, label, etype)

    def related(self, entity: object) -> List[Related]:
        """Entities related to `entity`: family and variants, basedOn and evaluatedOn (both directions),
        models compared with it, then the entities most often named in the same papers."""
        iri = self.resolve(entity)
        out: List[Related] = []
        links = sorted((local_name(p), str(d), str(o)) for _, p, d, o in
                       self.engine.query(_ENTITY_LINKS, {"entity": URIRef(iri)}).rows)
        for prop, direction, other in links:
            label, etype = self._label(other)
            out.append(Related(other, label, etype, prop if direction == "out" else "^" + prop))
        for row in self.named("compared-models", model=URIRef(iri)).records():
            out.append(Related(str(row["other"]), str(row["otherLabel"]), self._label(str(row["other"]))[1],
                               "comparedWith", _int(row.get("papers"))))
        for row in self.named("entity-cooccurrence", entity=URIRef(iri)).records()[:RELATED_COOCCURRING]:
            out.append(Related(str(row["other"]), str(row["otherLabel"]), self._label(str(row["other"]))[1],
                               "coOccursWith", _int(row.get("papers"))))
        return out

    def evidence(self, entity: object, paper: Optional[str] = None) -> List[EvidenceRecord]:
        """The evidence nodes behind the links to `entity` (from one `paper`: an arXiv id in any written form, an
        IRI or a `PaperLink`, if given). KGError (E115) for a paper the graph does not hold."""
        bindings: Dict[str, object] = {"entity": URIRef(self.resolve(entity))}
        if paper:
            iri = _paper_iri(paper)
            # a misspelt id would answer "no evidence" as if the paper had none
            if iri_problem(iri) is not None or not self.engine.query(_IS_PAPER, {"paper": URIRef(iri)}).boolean:
                raise KGError(Errors.E115.format(paper=getattr(paper, "iri", paper)))
            bindings["paper"] = URIRef(iri)
        out = []
        for row in self.named("link-evidence", **bindings).records():
            out.append(EvidenceRecord(
                str(row["paper"]), local_name(row["role"]), str(row["field"]), _int(row.get("start")),
                _int(row.get("end")), str(row["sentence"]),
                str(row["foundBy"]) if "foundBy" in row else None, _float(row.get("confidence")),
                _int(row.get("support")), str(row["roleCue"]) if "roleCue" in row else None))
        return out

    def entity(self, iri_or_name: object, type: Union[str, EntityType, None] = None) -> EntityRecord:
        """The record of one entity (an IRI, or a name resolved to the best lookup hit): type, labels, aliases,
        family and variants, papers with roles, related entities and evidence. KGError when nothing matches; when
        other entities match the name as well, their hits are the record's `alternatives` (and a warning)."""
        iri, alternatives = self._resolve(iri_or_name, type)
        indexed = self.index.id_to_entity[iri]
        labels = tuple(sorted({indexed.label} | {str(label) for _, label in
                                                 self.engine.query(_ENTITY_LABELS, {"entity": URIRef(iri)}).rows}))
        variants = tuple(EntityRef(e.iri, e.label, e.type) for e in sorted(
            (e for e in self.index.id_to_entity.values() if e.family == iri), key=lambda e: (e.label.lower(), e.iri)))
        return EntityRecord(
            iri=iri,
            type=indexed.type,
            label=indexed.label,
            labels=labels,
            aliases=indexed.aliases,
            aliases_zh=indexed.aliases_zh,
            family=self._ref(indexed.family) if indexed.family else None,
            variants=variants,
            paper_count=indexed.paper_count,
            papers=tuple(self.papers(iri)),
            related=tuple(self.related(iri)),
            evidence=tuple(self.evidence(iri)),
            alternatives=alternatives,
        )


# ---------------------------------------------------------------- text for people (the CLI prints these)


def format_hits(hits: List[LookupHit]) -> str:
    """Ranked lookup hits as aligned columns: rank, score, kind of match, type, label, papers, IRI."""
    from .query import QueryResult, format_table

    rows = tuple((Literal(str(i)), Literal(f"{h.score:.3f}"), Literal(h.match), Literal(h.type.value.lower()),
                  Literal(h.label), Literal(str(h.paper_count)), URIRef(h.iri)) for i, h in enumerate(hits, 1))
    return format_table(QueryResult("select", ("rank", "score", "match", "type", "label", "papers", "iri"), rows))


def _hit_text(hit: LookupHit) -> str:
    """"domain adaptation (task, task:domainadaptation, 0 papers)": what tells tied hits apart."""
    return f"{hit.label} ({hit.type.value.lower()}, {shorten(URIRef(hit.iri))}, {counted(hit.paper_count, 'paper')})"


def _caller_level() -> int:
    """The `stacklevel` of the first frame outside this module, so that a warning points at the user's line
    whether it came through `entity`, `resolve` or `papers`."""
    level, frame = 1, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == __file__:
        level, frame = level + 1, frame.f_back
    return level


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_record(record: EntityRecord, max_items: int = 20) -> str:
    """An entity record as indented text: names, family and variants, papers with roles, related entities and
    evidence (at most `max_items` of each list; 0 for all)."""
    def cap(items: tuple) -> tuple:
        return items[:max_items] if max_items else items

    def more(items: tuple, indent: str) -> List[str]:
        left = len(items) - len(cap(items))  # the header counts them all: say the list goes on
        return [f"{indent}... {left} more (kg lookup --json lists all)"] if left > 0 else []

    lines = [f"{record.label}  ({record.type.value.lower()})  {record.iri}"]
    if len(record.labels) > 1:
        lines.append("  labels:       " + "; ".join(record.labels))
    if record.aliases:
        lines.append("  aliases:      " + "; ".join(record.aliases))
    if record.aliases_zh:
        lines.append("  aliases (zh): " + "; ".join(record.aliases_zh))
    if record.family:
        lines.append(f"  family:       {record.family.label}  {shorten(URIRef(record.family.iri))}")
    if record.variants:
        lines.append("  variants:     " + "; ".join(v.label for v in record.variants))
    if record.alternatives:
        lines.append("  as good a match: " + "; ".join(map(_hit_text, record.alternatives)))
    lines.append(f"  papers ({len(record.papers)}):")
    for p in cap(record.papers):
        lines.append(f"    {p.arxiv_id:<12} {p.date or '':<10}  {','.join(p.roles):<22} {_clip(p.title, 70)}")
    lines += more(record.papers, "    ")
    if record.related:
        lines.append(f"  related ({len(record.related)}):")
        for r in cap(record.related):
            papers = f"  ({counted(r.papers, 'paper')})" if r.papers is not None else ""
            lines.append(f"    {r.relation:<14} {r.label}{papers}")
        lines += more(record.related, "    ")
    lines.append(f"  evidence ({len(record.evidence)}):")
    for e in cap(record.evidence):
        where = f"{e.field}[{e.start}:{e.end}]" if e.start is not None else e.field
        conf = f" {e.confidence:g}" if e.confidence is not None else ""
        cue = f"  [{e.role_cue}]" if e.role_cue else ""
        lines.append(f"    {local_name(e.paper):<12} {e.role:<13} {where}  {e.found_by or ''}{conf}{cue}")
        lines.append(f"      \"{_clip(e.sentence, 110)}\"")
    lines += more(record.evidence, "    ")
    return "\n".join(lines)
