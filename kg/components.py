"""spaCy pipeline components of PaperKG: thin wrappers over the functions of `kg.extract`.

Each component appends its candidates to `doc.spans["kg_candidates"]`; `kg_entities` chooses the final spans
and writes them to `doc.spans["kg"]`. Extensions set:
    doc._.kg_truncated (bool), doc._.kg_is_zh (bool), doc._.kg_field (str): set by the caller before the
        pipeline runs: the text is cut off / is Chinese / which field of the paper it is ("title_en")
    doc._.kg_abbreviations (list of (long Span, short Span)): acronym definitions found in the doc
    doc._.kg_class_acronyms (tuple of str): short forms the doc defines as a class of things ("SpeechLMs")
Defaults sit next to each registration.
"""

from __future__ import annotations

from typing import List, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span

from .extract import (
    acronym_definitions,
    build_phrase_matchers,
    choose_entities,
    find_head_appositions,
    find_head_names,
    find_name_appositions,
    find_introduced_names,
    find_introduced_techniques,
    find_listed_names,
    find_listed_parts,
    find_lexicon_spans,
    find_variant_names,
    find_model_shapes,
    find_shared_tasks,
    find_title_acronym,
    find_title_name,
    find_title_phrase,
    find_title_tail,
    find_typed_heads,
    find_zh_cued_names,
    is_name_like,
)
from .lexicon import Lexicon, load_lexicon

__all__ = ["CANDIDATES", "ENTITIES", "LexiconMatcher", "PatternFinder", "AcronymFinder", "NerCandidates",
           "EntityChooser"]

CANDIDATES = "kg_candidates"
ENTITIES = "kg"

for _name, _default in (("kg_truncated", False), ("kg_abbreviations", None), ("kg_class_acronyms", ()),
                        ("kg_is_zh", False), ("kg_field", "")):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def _add(doc: Doc, spans: List[Span]) -> None:
    group = doc.spans.get(CANDIDATES)
    if group is None:
        doc.spans[CANDIDATES] = list(spans)
    else:
        group.extend(spans)


def _lexicon(path: Optional[str]) -> Lexicon:
    return load_lexicon(path or None)


class LexiconMatcher:
    """PhraseMatcher over the curated lexicon (case-aware: "MATH" the dataset is not "math")."""

    def __init__(self, nlp: Language, name: str, *, lexicon_path: Optional[str]) -> None:
        self.name = name
        self.lexicon = _lexicon(lexicon_path)
        self.matchers = build_phrase_matchers(nlp, self.lexicon)

    def __call__(self, doc: Doc) -> Doc:
        spans = find_lexicon_spans(doc, self.matchers, self.lexicon)
        _add(doc, spans + find_variant_names(doc, spans))
        return doc


class PatternFinder:
    """Names the lexicon lacks: introduced names, typed head nouns, model-name shapes, Chinese cue words."""

    def __init__(self, nlp: Language, name: str, *, lexicon_path: Optional[str], shapes: bool, heads: bool,
                 introduced: bool, zh_cues: bool) -> None:
        self.name = name
        self.lexicon = _lexicon(lexicon_path)
        self.shapes, self.heads, self.introduced, self.zh_cues = shapes, heads, introduced, zh_cues

    def __call__(self, doc: Doc) -> Doc:
        spans: List[Span] = []
        if self.shapes:
            spans += find_model_shapes(doc, self.lexicon)
        if self.heads:
            spans += (find_typed_heads(doc, self.lexicon) + find_head_appositions(doc, self.lexicon)
                      + find_head_names(doc, self.lexicon) + find_name_appositions(doc, self.lexicon)
                      + find_listed_names(doc, self.lexicon) + find_listed_parts(doc, self.lexicon)
                      + find_shared_tasks(doc))
        if self.introduced and not doc._.kg_is_zh:
            spans += find_introduced_names(doc) + find_introduced_techniques(doc, self.lexicon)
            if doc._.kg_field == "title_en":
                spans += (find_title_name(doc, self.lexicon) or find_title_phrase(doc, self.lexicon)
                          or find_title_tail(doc, self.lexicon))
        if self.zh_cues and doc._.kg_is_zh:
            spans += find_zh_cued_names(doc, self.lexicon)
        _add(doc, spans)
        return doc


class AcronymFinder:
    """Schwartz-Hearst acronym definitions "long form (SHORT)" and "SHORT (Long Form)": both forms become candidates
    when typed."""

    def __init__(self, nlp: Language, name: str, *, lexicon_path: Optional[str]) -> None:
        self.name = name
        self.lexicon = _lexicon(lexicon_path)

    def __call__(self, doc: Doc) -> Doc:
        pairs, classes = acronym_definitions(doc, self.lexicon)
        if doc._.kg_field == "title_en":
            pairs += find_title_acronym(doc)
        doc._.kg_abbreviations = pairs
        doc._.kg_class_acronyms = tuple(classes)
        _add(doc, [span for pair in pairs for span in pair if span.label_])
        return doc


class EntityChooser:
    """Resolve overlapping candidates into `doc.spans["kg"]`."""

    def __init__(self, nlp: Language, name: str, *, lexicon_path: Optional[str]) -> None:
        self.name = name
        self.lexicon = _lexicon(lexicon_path)

    def __call__(self, doc: Doc) -> Doc:
        candidates = list(doc.spans.get(CANDIDATES, []))
        doc.spans[ENTITIES] = choose_entities(doc, candidates, self.lexicon, truncated=doc._.kg_truncated,
                                              class_acronyms=doc._.kg_class_acronyms)
        return doc


class NerCandidates:
    """Copy the trained recogniser's `doc.ents` (English texts only) into the candidates, labelled "ner"."""

    def __init__(self, nlp: Language, name: str, *, min_length: int, names_only: bool) -> None:
        self.name = name
        self.min_length = min_length
        self.names_only = names_only

    def __call__(self, doc: Doc) -> Doc:
        if not doc._.kg_is_zh:
            _add(doc, [Span(doc, e.start, e.end, label=e.label_, span_id="ner") for e in doc.ents
                       if len(e.text) >= self.min_length and (not self.names_only or is_name_like(e.text))])
        return doc


@Language.factory("kg_ner_candidates", assigns=["doc.spans"], default_config={"min_length": 2, "names_only": True})
def make_ner_candidates(nlp: Language, name: str, min_length: int, names_only: bool) -> NerCandidates:
    # names_only: lowercase phrases from the recogniser were mostly wrong (seed METHOD precision 0.84 -> 0.62)
    return NerCandidates(nlp, name, min_length=min_length, names_only=names_only)


@Language.factory("kg_lexicon", assigns=["doc.spans"], default_config={"lexicon_path": None})
def make_lexicon_matcher(nlp: Language, name: str, lexicon_path: Optional[str]) -> LexiconMatcher:
    return LexiconMatcher(nlp, name, lexicon_path=lexicon_path)


@Language.factory(
    "kg_patterns",
    assigns=["doc.spans"],
    requires=["doc._.kg_abbreviations"],  # an own name's bounds may come from its acronym definition
    default_config={"lexicon_path": None, "shapes": True, "heads": True, "introduced": True, "zh_cues": True},
)
def make_pattern_finder(nlp: Language, name: str, lexicon_path: Optional[str], shapes: bool, heads: bool,
                        introduced: bool, zh_cues: bool) -> PatternFinder:
    return PatternFinder(nlp, name, lexicon_path=lexicon_path, shapes=shapes, heads=heads, introduced=introduced,
                         zh_cues=zh_cues)


@Language.factory("kg_acronyms", assigns=["doc._.kg_abbreviations", "doc._.kg_class_acronyms", "doc.spans"],
                  default_config={"lexicon_path": None})
def make_acronym_finder(nlp: Language, name: str, lexicon_path: Optional[str]) -> AcronymFinder:
    return AcronymFinder(nlp, name, lexicon_path=lexicon_path)


@Language.factory("kg_entities", assigns=["doc.spans"], default_config={"lexicon_path": None})
def make_entity_chooser(nlp: Language, name: str, lexicon_path: Optional[str]) -> EntityChooser:
    return EntityChooser(nlp, name, lexicon_path=lexicon_path)
