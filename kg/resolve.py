"""Mentions -> canonical entities: one real-world entity, one node.

A mention resolves to one entity key, `TYPE:key(canonical name)`, so the IRI minted from it is the same on every
build. The rules, in order:

1. An acronym the paper defines ("Boosting of Thoughts (BoT)") means its long form in that paper, and the long
   form and the acronym are one entity: the lexicon entry of the long form if there is one, else the lexicon entry
   of the acronym if its long forms agree with the paper's, else the paper's own long form. "RAG" defined as
   "Relation-Aware Graph" is not retrieval-augmented generation.
2. Else the lexicon entry the mention names (lexicon aliases, case-sensitive entries answer only to their exact
   form), or the lexicon entry of a Chinese name the digest pairs it with ("对比学习（CL）").
3. Else its own name. Keys are `match_key`s: case, hyphen, space, dot and possessive variants agree ("LLaVA-1.5",
   "LLaVa 1.5"); for methods and models a plural head folds to its singular ("Graph Neural Networks"); versions
   and sizes stay apart ("GPT-4" / "GPT-4V" / "GPT-4o", "Llama-2-7B" / "Llama-2-70B"). Nothing is merged by
   fuzzy similarity.
4. After the last paper (`Resolver.rekey`): an acronym used without a definition joins a long form only when the
   whole corpus defines it one way, as the same type, and no paper proposes it as its own name; otherwise it
   stays its own node and is reported (`Resolver.unresolved`).

Families: a model links to its family (`Entity.family`): the lexicon's `family`, else the longest model name
that prefixes it at a word, digit or case boundary ("Qwen2.5-VL-72B" -> "Qwen2.5-VL"); a prefix found only in the
corpus counts when what follows it is a size, version or variant word ("Mistral-7B-Instruct" -> "Mistral-7B").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple

from .lexicon import Lexicon, LexiconEntry
from .normalize import match_key, normalize_name, singular_key
from .records import Entity, EntityType, Link, PaperExtraction, Relation, Result, Role

__all__ = ["Resolver", "PaperNames", "entity_key", "lexicon_key", "type_key", "apply_rekey", "LONG_FORM_AGREEMENT"]

#: Types whose names fold a plural head ("Transformers" -> "Transformer"); a lone plural acronym ("GNNs") folds
#: for methods only, since "GPTs" (custom ChatGPTs) is not GPT ("Multi-LLMs" folds for both).
_PLURAL_TYPES = {EntityType.METHOD: True, EntityType.MODEL: False}
#: rapidfuzz ratio (0-100) above which a paper's long form of a lexicon acronym is a spelling of the lexicon's own
#: long form ("Retrieval Augmented Generation" / "retrieval-augmented generation"); the acronym must match too.
LONG_FORM_AGREEMENT = 90.0
# A capitalised head noun closing a dataset's name, after at least one other word: "CodeLMSec Benchmark" and
# "CodeLMSec" are one dataset, the name a paper's abstract gives and the one its title gives. A lowercase head
# closes a description ("medical evaluation benchmark (MIBE)"), which keeps it.
_DATASET_HEAD_RE = re.compile(r"(?<=\S)\s+(?:Dataset|Data Set|Benchmark|Corpus|DATASET|BENCHMARK|CORPUS)$")
# Words that may follow a family name found only in the corpus ("Mistral-7B-Instruct" -> "Mistral-7B"); the
# single letters are sizes too ("Gold-YOLO-N", nano, up to "-X").
_VARIANT_WORDS = frozenset(
    "b m k t v x o n s l instruct instruction chat base large small medium mini tiny xl xxl turbo pro plus ultra lite hf "
    "it sft dpo rlhf preview vision code math coder flash nano max".split()
)
_SEGMENT_RE = re.compile(r"\d+(?:\.\d+)*|[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[^\sA-Za-z\d]+|\s+")
# Chinese words before a Latin name that say the paper introduces it ("该论文提出了ITL方法").
_ZH_PROPOSE_RE = re.compile(r"(?:提出|推出|引入|介绍|名为|称为)了?(?:一种|一个|新的)?\s*$")


def type_key(entity_type: EntityType, name: str) -> str:
    """The part of an entity key that a name gives: `match_key`, with the plural head folded for methods and
    models, and for datasets a closing capitalised head noun dropped ("BubbleML Dataset" is BubbleML)."""
    if entity_type in _PLURAL_TYPES:
        compound = len(re.split(r"[\s\-/]+", name.strip())) > 1
        return singular_key(name, acronyms=_PLURAL_TYPES[entity_type] or compound)
    if entity_type == EntityType.DATASET:
        name = _DATASET_HEAD_RE.sub("", name) or name
    return match_key(name)


def entity_key(entity_type: EntityType, name: str) -> str:
    """The key of an entity named `name` that the lexicon does not list (a plural head folded)."""
    return f"{entity_type.value}:{type_key(entity_type, name)}"


def lexicon_key(entry: LexiconEntry) -> str:
    """The key of a lexicon entity: its name as listed, unfolded, so its IRI stays what it always was ("Tree of
    Thoughts" -> method/treeofthoughts); the plural-folded index still finds it from any spelling."""
    return f"{entry.type.value}:{match_key(entry.name)}"


@dataclass
class PaperNames:
    """Per-paper context for resolution: the acronyms the paper defines and the Chinese names it pairs with
    English ones."""

    acronyms: Dict[str, str] = field(default_factory=dict)  # match_key(short) -> long form text
    zh_names: Dict[str, Set[str]] = field(default_factory=dict)  # match_key(English name) -> Chinese names
    long_forms: Dict[str, str] = field(default_factory=dict)  # match_key(long form) -> short form text
    noted: bool = False  # whether a Resolver has counted these definitions
    #: match_keys of names written as METRIC in a sentence that reports a score (a number or a metric word).
    scored: Set[str] = field(default_factory=set)

    @classmethod
    def of(cls, extraction: PaperExtraction) -> "PaperNames":
        """The names context of one paper's extraction record. Definitions are checked again after
        normalisation (every letter of the acronym in order in the long form, the first one first) and a long
        form cut short inside a word is extended to the words whose initials spell the acronym ("policy
        optimization (PPO)" -> "proximal policy optimization")."""
        names = cls()
        sentences = sorted({m.sentence for m in extraction.mentions if m.sentence})
        for short, long in extraction.acronyms:
            short, long = normalize_name(short), normalize_name(long)
            if not _letters_in_order(short, long) or match_key(short) == match_key(long) or _SENTENCE_RE.search(long):
                continue  # "cause. We propose a novel approach (CAPE)" spans a sentence break
            long = _extend_long_form(short, long, sentences)
            names.acronyms.setdefault(match_key(short), long)
            names.long_forms.setdefault(match_key(long), short)
        for zh, english in getattr(extraction, "zh_names", ()):
            names.zh_names.setdefault(match_key(english), set()).add(zh)
        names.scored = {match_key(m.text) for m in extraction.mentions
                        if m.label == EntityType.METRIC.value and _SCORE_CONTEXT_RE.search(m.sentence)}
        return names


@dataclass
class _Acc:
    type: EntityType
    name: str
    forms: Dict[str, int] = field(default_factory=dict)
    zh: Set[str] = field(default_factory=set)
    family: Optional[str] = None
    from_lexicon: bool = False
    lexicon_zh: Tuple[str, ...] = ()


class Resolver:
    """Accumulates resolved mentions over a corpus and yields `Entity` records at the end.

    Call `resolve` for every mention of every paper, then `rekey` once (it returns the old -> new keys of
    acronyms resolved across the corpus, to apply to links with `apply_rekey`), then `entities`.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self._entities: Dict[str, _Acc] = {}
        #: match_key(acronym) -> entity keys it is defined as, over every paper.
        self._definitions: Dict[str, Set[str]] = {}
        #: match_key(acronym) -> every long form the corpus gives it (key -> text), typed as an entity or not.
        self._long_keys: Dict[str, Dict[str, str]] = {}
        #: Own-name entities the corpus could not resolve: key -> why (ambiguous acronym, proposed name...).
        self.unresolved: Dict[str, str] = {}
        # Lexicon forms under the plural-folded key, for "Graph Isomorphism Networks" -> the singular entry.
        self._folded: Dict[Tuple[EntityType, str], List[LexiconEntry]] = {}
        for entry in lexicon:
            if entry.type in _PLURAL_TYPES and not entry.case_sensitive:
                for form in entry.surface_forms:
                    hits = self._folded.setdefault((entry.type, type_key(entry.type, form)), [])
                    if entry not in hits:
                        hits.append(entry)
        # Lexicon MODEL names by match_key, for finding the family of an unlisted variant (Qwen2.5-VL-72B).
        self._lexicon_models: Dict[str, LexiconEntry] = {}
        for entry in lexicon:
            if entry.type == EntityType.MODEL:
                for form in entry.surface_forms:
                    self._lexicon_models.setdefault(match_key(form), entry)

    # ------------------------------------------------------------------------------------------ lexicon

    def _lexicon_entry(self, kb_id: str, text: str, etype: EntityType) -> Optional[LexiconEntry]:
        """The lexicon entry of type `etype` that `text` names (or `kb_id` points to), if exactly one."""
        if kb_id:
            entry = self.lexicon.get(kb_id)
            if entry is not None and entry.type == etype:
                return entry
        hits = [e for e in self.lexicon.lookup(text) if e.type == etype]
        if not hits and etype in _PLURAL_TYPES:
            hits = self._folded.get((etype, type_key(etype, text)), [])
        return hits[0] if len(hits) == 1 else None

    def _ensure_lexicon_entity(self, entry: LexiconEntry) -> str:
        key = lexicon_key(entry)
        acc = self._entities.get(key)
        if acc is None:
            acc = self._entities[key] = _Acc(entry.type, entry.name, from_lexicon=True, lexicon_zh=entry.zh)
            acc.zh.update(entry.zh)
            family = self.lexicon.family_of(entry)
            if family is not None and family.id != entry.id:
                acc.family = self._ensure_lexicon_entity(family)
        elif not acc.from_lexicon:  # seen before under its own name: the lexicon's name and family win
            acc.name, acc.from_lexicon, acc.lexicon_zh = entry.name, True, entry.zh
            acc.zh.update(entry.zh)
            family = self.lexicon.family_of(entry)
            if family is not None and family.id != entry.id:
                acc.family = self._ensure_lexicon_entity(family)
        return key

    def _own(self, etype: EntityType, name: str) -> str:
        key = entity_key(etype, name)
        if key not in self._entities:
            self._entities[key] = _Acc(etype, name)
        return key

    def _long_forms(self, entry: LexiconEntry) -> List[str]:
        """The entry's multi-word names, with acronyms inside them spelled out by the lexicon too ("Wasserstein
        GAN" -> "Wasserstein generative adversarial network", "GPT-4 with vision" -> "Generative Pre-trained
        Transformer-4 with vision")."""
        out = []
        for form in entry.surface_forms:
            parts = re.split(r"([\s\-/]+)", form)
            expanded = []
            for part in parts:
                hits = self.lexicon.lookup(part) if part.strip(" -/") else []
                spelled = [f for f in hits[0].surface_forms if len(f.split()) >= 2] if len(hits) == 1 else []
                expanded.append(spelled[0] if spelled and hits[0].id != entry.id else part)
            for text in {form, "".join(expanded)}:
                if len(re.findall(r"[A-Za-z]+", text)) >= 2:
                    out.append(text)
        return sorted(set(out))

    def _agrees(self, entry: LexiconEntry, long_form: str) -> bool:
        """Whether a paper's long form of an acronym can be the lexicon entry's meaning: it spells one of the
        entry's long forms (the same key, a rapidfuzz ratio of at least LONG_FORM_AGREEMENT, the same word stems:
        "quantization and Low Rank Adapters" / "Quantized Low-Rank Adaptation", or one cut short: "Generative
        Pretrained" / "Generative Pre-trained Transformer"). An entry that lists no long form agrees
        unless the long form's head names another type ("Spline Prediction Intervals via Conformal
        Estimation" is a method, not the SPICE metric)."""
        from rapidfuzz import fuzz

        from .extract import type_from_head

        key = type_key(entry.type, long_form)
        forms = self._long_forms(entry)
        if not forms:
            return type_from_head(long_form) in (None, entry.type.value)
        stems = _stems(long_form)
        for form in forms:
            other = type_key(entry.type, form)
            if other == key or fuzz.ratio(other, key) >= LONG_FORM_AGREEMENT or _stems(form) == stems:
                return True
            shorter = long_form if len(key) < len(other) else form
            if len(shorter.split()) >= 2 and (other.startswith(key) or key.startswith(other)):
                return True
        return False

    # ------------------------------------------------------------------------------------------ resolve

    def _defined(self, short: str, long_form: str, etype: EntityType, short_kb_id: str = "") -> str:
        """The entity of an acronym and its long form defined together in one paper."""
        long_form = normalize_name(long_form)
        entry = self._lexicon_entry("", long_form, etype)
        if entry is None:
            short_entry = self._lexicon_entry(short_kb_id, normalize_name(short), etype)
            if short_entry is not None and self._agrees(short_entry, long_form):
                entry = short_entry
        if entry is not None:
            key = self._ensure_lexicon_entity(entry)
        else:
            key = self._own(etype, long_form)
            self._entities[key].forms.setdefault(long_form, 0)  # the paper's long form names it, seen or not
        self._definitions.setdefault(match_key(short), set()).add(key)
        return key

    @staticmethod
    def _fits_context(entry: LexiconEntry, surface: str, mkey: str, names: Optional[PaperNames]) -> bool:
        """A metric's acronym alias used without a definition ("EM" for exact match) names the metric only where
        the paper reports a score with it: "EM algorithm", "EM-based clustering" and "EM side channel" are not
        exact match. Other lexicon names are taken as listed."""
        if entry.type != EntityType.METRIC or names is None or match_key(entry.name) == mkey:
            return True
        if not re.fullmatch(r"[A-Z][A-Za-z0-9@.\-]{0,5}", surface):
            return True
        return mkey in names.scored

    def _zh_defined(self, mkey: str, etype: EntityType, names: PaperNames) -> Optional[LexiconEntry]:
        """The lexicon entry of the Chinese name the digest pairs with this English name, if exactly one."""
        hits = {e.id: e for zh in names.zh_names.get(mkey, ()) for e in self.lexicon.lookup(zh) if e.type == etype}
        return next(iter(hits.values())) if len(hits) == 1 else None

    def resolve(self, text: str, label: str, kb_id: str = "", names: Optional[PaperNames] = None,
                is_zh_alias: bool = False) -> str:
        """The entity key of a mention `text` typed `label`; records `text` as one of its surface forms (a
        Chinese one as a Chinese alias), and the Chinese names the paper pairs with it."""
        etype = EntityType(label)
        surface = normalize_name(text) or text.strip()
        mkey = match_key(surface)
        if names is not None and not names.noted:
            names.noted = True
            for short, long in names.acronyms.items():
                self._long_keys.setdefault(short, {}).setdefault(singular_key(long), long)
        if is_zh_alias:
            entry = self._lexicon_entry(kb_id, surface, etype)
            key = self._ensure_lexicon_entity(entry) if entry is not None else self._own(etype, surface)
            self._entities[key].zh.add(surface)
            return key
        if names is not None and mkey in names.acronyms:
            key = self._defined(surface, names.acronyms[mkey], etype, kb_id)
        elif names is not None and mkey in names.long_forms:
            short = names.long_forms[mkey]  # another spelling of the long form is a name of the same entity
            key = self._defined(short, names.acronyms.get(match_key(short), surface), etype)
        else:
            entry = self._lexicon_entry(kb_id, surface, etype)
            if entry is not None and not self._fits_context(entry, surface, mkey, names):
                entry = None
            if entry is None and names is not None:
                entry = self._zh_defined(mkey, etype, names)
                if entry is not None:
                    self._definitions.setdefault(mkey, set()).add(lexicon_key(entry))
            key = self._ensure_lexicon_entity(entry) if entry is not None else self._own(etype, surface)
        acc = self._entities[key]
        acc.forms[surface] = acc.forms.get(surface, 0) + 1
        if names is not None:
            for zh in names.zh_names.get(mkey, ()):
                owners = {lexicon_key(e) for e in self.lexicon.lookup(zh)}
                if owners and key not in owners:
                    continue  # "马尔可夫决策过程" cut out of POMDP's name is MDP's, not POMDP's
                if any(zh != known and zh.endswith(known) for known in acc.lexicon_zh):
                    continue  # "非线性独立成分分析" is a kind of 独立成分分析, not another name of it
                acc.zh.add(zh)
        return key

    # ------------------------------------------------------------------------------------------ corpus pass

    def rekey(self, links: Iterable[Link] = ()) -> Dict[str, str]:
        """Resolve acronyms used without a definition, once every paper is in: old key -> new key.

        An own-name entity whose name the corpus defines as an acronym joins that long form's entity when every
        definition in the corpus names one entity, of the same type, and no paper proposes the acronym as its
        own name (a `proposes` link in `links`, or "提出了X"); else it stays and is listed in `unresolved`.
        """
        proposed = {l.entity_key for l in links
                    if l.role == Role.PROPOSES or _ZH_PROPOSE_RE.search(_left_of(l))}
        long_keys = {k for keys in self._definitions.values() for k in keys}
        mapping: Dict[str, str] = {}
        for key, acc in sorted(self._entities.items()):
            if acc.from_lexicon or key in long_keys:
                continue
            targets = set()
            for form in set(acc.forms) | {acc.name}:
                targets |= self._definitions.get(match_key(form), set())
            if not targets:
                continue
            spellings = {k: text for f in sorted(set(acc.forms) | {acc.name})
                         for k, text in self._long_keys.get(match_key(f), {}).items()}
            long_names = {singular_key(self._entities[t].name): self._entities[t].name for t in targets}
            known = {singular_key(f) for t in targets for f in set(self._entities[t].forms) | {self._entities[t].name}}
            long_names.update({k: spellings[k] for k in set(spellings) - known})
            if len(long_names) > 1:
                self.unresolved[key] = "acronym defined with different long forms: " + "; ".join(
                    sorted(long_names.values()))
            elif len(targets) > 1 or next(iter(targets)).partition(":")[0] != acc.type.value:
                self.unresolved[key] = "acronym defined as another type: " + ", ".join(sorted(targets))
            elif key in proposed:
                self.unresolved[key] = "a paper proposes this name as its own"
            else:
                mapping[key] = next(iter(targets))
        for old, new in mapping.items():
            acc, target = self._entities.pop(old), self._entities[new]
            for form, n in acc.forms.items():
                target.forms[form] = target.forms.get(form, 0) + n
            target.zh |= acc.zh
        return mapping

    # ------------------------------------------------------------------------------------------ output

    def _family_key(self, key: str, acc: _Acc, own_models: Mapping[str, str]) -> Optional[str]:
        """The family of a model without a lexicon family: the longest model name prefixing one of its forms
        at a boundary (lexicon names: any rest; corpus names: a rest of size/version/variant words)."""
        best: Tuple[int, Optional[str]] = (0, None)
        for form in sorted(set(acc.forms) | {acc.name}):
            segments = _SEGMENT_RE.findall(form)
            for i in range(len(segments) - 1, 0, -1):
                prefix_key = match_key("".join(segments[:i]))
                if len(prefix_key) < 2 or len(prefix_key) <= best[0]:
                    continue
                rest = [s.lower() for s in segments[i:] if s.strip(" -_/.")]
                if not rest:
                    continue
                entry = self._lexicon_models.get(prefix_key)
                if entry is not None and len(prefix_key) >= 3:
                    family = self._ensure_lexicon_entity(entry)
                elif prefix_key in own_models and all(s.isdigit() or s.replace(".", "").isdigit()
                                                      or s in _VARIANT_WORDS for s in rest):
                    family = own_models[prefix_key]
                else:
                    continue
                if family != key:
                    best = (len(prefix_key), family)
        return best[1]

    def entities(self) -> List[Entity]:
        """All entities, sorted by key. An unlisted entity is named by its most frequent surface form among
        those that spell its key (singular before plural; ties: the longest, then alphabetical), so the name does
        not depend on input order. Models get their family."""
        own_models = {type_key(acc.type, acc.name): key for key, acc in self._entities.items()
                      if acc.type == EntityType.MODEL}
        for key, acc in sorted(self._entities.items()):
            if acc.type == EntityType.MODEL and acc.family is None and not acc.from_lexicon:
                acc.family = self._family_key(key, acc, own_models)
        out = []
        for key, acc in sorted(self._entities.items()):
            name = acc.name
            if not acc.from_lexicon and acc.forms:
                name = _display_name(key, acc)
            aliases = tuple(sorted(set(acc.forms) - {name}))
            out.append(Entity(key, acc.type, name, aliases, tuple(sorted(acc.zh)), acc.family))
        return out


_JOINER_WORDS = frozenset("a an the of for and with from to in on by via".split())
# A sentence that reports a score: a number, or words that name measuring.
_SCORE_CONTEXT_RE = re.compile(r"\d|\b(?:score|scores|metric|metrics|measured|evaluat\w*|F1|BLEU|ROUGE|accuracy)\b|指标|得分|分数")
_SENTENCE_RE = re.compile(r"[.;!?。；]\s")


def _letters_in_order(short: str, long: str) -> bool:
    """Every letter and digit of `short` appears in `long` in order, the first at the start of the first word or
    of one of its hyphenated parts ("L2-regularization (REG)"), as Schwartz-Hearst requires."""
    letters = [c for c in short.lower() if c.isalnum()]
    text = long.lower()
    if not letters or not text or not any(p[:1] == letters[0] for p in text.split()[0].split("-")):
        return False
    i = 0
    for c in letters:
        i = text.find(c, i)
        if i < 0:
            return False
        i += 1
    return True


def _stems(name: str) -> frozenset:
    """The content words of a name cut to five letters ("Quantized Low-Rank Adaptation" -> quant, low, rank,
    adapt): derivations and plurals of one word agree, different words do not."""
    words = re.findall(r"[a-z0-9]+", normalize_name(name).lower())
    return frozenset(w[:5] for w in words if w not in _JOINER_WORDS)


def _initials(words: Sequence[str]) -> List[str]:
    return [w[0].lower() for w in words if w]


def _extend_long_form(short: str, long: str, sentences: Sequence[str], max_words: int = 2) -> str:
    """`long`, or `long` with up to `max_words` words before it in the definition's sentence when only then do
    the initials of its words spell `short` (Schwartz-Hearst stops at the first fit: "proximal policy
    optimization (PPO)" gives "policy optimization")."""
    letters = [c.lower() for c in short if c.isalpha()]

    def spells(text: str) -> bool:
        words = [w for w in re.split(r"[\s\-/]+", text) if w]
        return letters in (_initials(words), _initials([w for w in words if w.lower() not in _JOINER_WORDS]))

    if len(letters) < 2 or spells(long):
        return long
    for sentence in sentences:
        at = sentence.find(long)
        while at >= 0:
            after = sentence[at + len(long):].lstrip()
            if after[:1] in ("(", "（") and after[1:].lstrip().startswith(short):
                before = sentence[:at].split()[-max_words:]
                for k in range(1, len(before) + 1):
                    candidate = " ".join(before[-k:] + [long])
                    if spells(candidate):
                        return candidate
            at = sentence.find(long, at + 1)
    return long


def _display_name(key: str, acc: _Acc) -> str:
    slug = key.partition(":")[2]

    def rank(item: Tuple[str, int]):
        form, count = item
        return (type_key(acc.type, form) != slug, match_key(form) != slug, -count, -len(form), form)

    return min(acc.forms.items(), key=rank)[0]


def _left_of(link: Link) -> str:
    """The text of a link's sentence before its mention."""
    m = link.mention
    return m.sentence[: max(0, m.start - m.sent_start)]


def apply_rekey(
    mapping: Mapping[str, str],
    links: Sequence[Link],
    relations: Sequence[Relation] = (),
    results: Sequence[Tuple[str, Result]] = (),
) -> Tuple[List[Link], List[Relation], List[Tuple[str, Result]]]:
    """Links, relations and results with entity keys moved by `mapping` (`Resolver.rekey`): links that now
    coincide keep the most confident evidence, relations that now coincide pool their papers, and a relation of
    an entity to itself is dropped. Sorted as `kg.pipeline.assemble` sorts them."""
    if not mapping:
        return list(links), list(relations), list(results)

    def move(key: str) -> str:
        return mapping.get(key, key)

    best: Dict[Tuple[str, str, Role], Link] = {}
    for link in sorted(links, key=lambda l: (l.arxiv_id, l.entity_key, l.role.value)):
        moved = replace(link, entity_key=move(link.entity_key))
        slot = (moved.arxiv_id, moved.entity_key, moved.role)
        if slot not in best or moved.confidence > best[slot].confidence:
            best[slot] = moved
    out_links = sorted(best.values(), key=lambda l: (l.arxiv_id, l.entity_key, l.role.value))

    pooled: Dict[Tuple[str, str, str], Relation] = {}
    for rel in relations:
        subj, obj = move(rel.subject), move(rel.object)
        if subj == obj:
            continue
        slot = (subj, rel.type.value, obj)
        old = pooled.get(slot)
        moved = replace(rel, subject=subj, object=obj)
        if old is not None:
            keep = moved if moved.confidence > old.confidence else old
            moved = replace(keep, papers=tuple(sorted(set(old.papers) | set(rel.papers))))
        pooled[slot] = moved
    out_relations = [pooled[k] for k in sorted(pooled)]

    out_results = [(arxiv_id, replace(r, model=move(r.model), dataset=move(r.dataset), metric=move(r.metric),
                                      compared_model=move(r.compared_model) if r.compared_model else None))
                   for arxiv_id, r in results]
    return out_links, out_relations, out_results
