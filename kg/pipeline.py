"""Extraction over papers: texts -> spaCy Docs (streamed with `nlp.pipe`) -> typed `Mention` records ->
resolved entities and paper->entity links. Records leave this module; Docs never do."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from typing import Dict, Iterable, Iterator, List, NamedTuple, Optional, Sequence, Set, Tuple

from spacy.language import Language
from spacy.tokens import Doc, Span

from .components import ENTITIES
from .extract import (RULE_SCORES, UNTYPED, appositive_type, class_name_keys, doc_text, is_class_name, is_shared_task,
                      zh_doc)
from .lexicon import Lexicon, load_lexicon
from .normalize import match_key
from .parse.common import is_cjk
from .records import Entity, Link, Mention, Paper, PaperExtraction, Relation, RelationType, Result, Role
from .roles import (PROPOSE_RULES, ZH_SENTENCE_END, mention_roles, paper_links, paper_relations, reports_evaluation,
                    role_cues)
from .resolve import PaperNames, Resolver, apply_rekey
from .zh_names import find_zh_names

__all__ = ["Assembly", "paper_texts", "doc_mentions", "extract_mentions", "iter_mentions", "paper_extraction", "extract_papers",
           "assemble", "extract_corpus", "get_nlp"]

#: Text fields of a paper that extraction reads, and whether each is Chinese.
FIELDS: Sequence[Tuple[str, bool]] = (
    ("title_en", False),
    ("abstract_en", False),
    ("tldr_en", False),
    ("title_zh", True),
    ("tldr_zh", True),
    ("abstract_zh", True),
)
_ZH_COMPLETE_RE = re.compile(r"[。！？.!?）)」”\"]\s*$")
_NLP_CACHE: Dict[Optional[str], Language] = {}


def get_nlp(model: Optional[str] = None) -> Language:
    """The PaperKG pipeline for `model`, loaded once per process."""
    if model not in _NLP_CACHE:
        from .nlp import load

        _NLP_CACHE[model] = load(model)
    return _NLP_CACHE[model]


def paper_texts(paper: Paper) -> List[Tuple[str, str, bool, bool]]:
    """(field, text, is_zh, truncated) for each non-empty text field of `paper`."""
    out = []
    for name, is_zh in FIELDS:
        text = getattr(paper, name)
        if not text:
            continue
        if name == "abstract_en":
            truncated = paper.truncated
        elif name == "abstract_zh":
            truncated = not _ZH_COMPLETE_RE.search(text)
        else:
            truncated = False
        out.append((name, text, is_zh, truncated))
    return out


def _make_doc(nlp: Language, text: str, is_zh: bool, truncated: bool, field: str = "") -> Doc:
    doc = zh_doc(nlp, text) if is_zh else nlp.make_doc(text)
    doc._.kg_is_zh = is_zh
    doc._.kg_field = field
    doc._.kg_truncated = truncated
    return doc


def doc_sentences(doc: Doc, field: str = ""):
    """The sentences of a Doc as spans. A title is one sentence, whatever the sentence splitter makes of
    "[RE]VER: A Unified Model ..."."""
    one = field.startswith("title") or not doc.has_annotation("SENT_START")
    return [doc[:]] if one else list(doc.sents)


def sentence_around(sent: Span, start: int, end: int) -> Tuple[str, int]:
    """The text and start offset of the sentence holding characters [start, end) of `sent`'s Doc: `sent`, cut at
    the Chinese full stops inside it. The senter splits English only; a Chinese abstract is one unspaced run to it,
    and a mention's evidence is its own sentence, not the whole abstract."""
    text = sent.text
    if not ZH_SENTENCE_END.search(text):
        return text.strip(), sent.start_char
    rel_start, rel_end = start - sent.start_char, end - sent.start_char
    left = max((stop.end() for stop in ZH_SENTENCE_END.finditer(text, 0, max(rel_start, 0))), default=0)
    right = next((stop.end() for stop in ZH_SENTENCE_END.finditer(text, rel_end)), len(text))
    piece = text[left:right]
    return piece.strip(), sent.start_char + left + len(piece) - len(piece.lstrip())


def doc_mentions(doc: Doc, field: str = "") -> List[Mention]:
    """Mention records of the entity spans of a processed Doc."""
    out = []
    spans = doc.spans.get(ENTITIES, [])
    if not spans:
        return out
    # Sentences once per Doc: `span.sent` and `has_annotation` each walk the whole Doc.
    sents = doc_sentences(doc, field)
    starts = [s.start for s in sents]
    for span in spans:
        sent = sents[bisect_right(starts, span.start) - 1]
        sentence, sent_start = sentence_around(sent, span.start_char, span.end_char)
        out.append(
            Mention(
                text=span.text,
                start=span.start_char,
                end=span.end_char,
                label=span.label_,
                score=RULE_SCORES.get(span.id_, 0.5),
                sentence=sentence,
                source=span.id_ + (f":{span.kb_id_}" if span.kb_id_ else ""),
                field=field,
                sent_start=sent_start,
            )
        )
    return out


def iter_mentions(texts: Iterable[str], nlp: Optional[Language] = None, batch_size: int = 64) -> Iterator[List[Mention]]:
    """Mentions of each text of a stream, in order (runs `nlp.pipe`). Chinese texts are recognised and
    tokenized character by character."""
    nlp = nlp or get_nlp()
    docs = (_make_doc(nlp, t, is_cjk(t), False) for t in texts)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield doc_mentions(doc)


def extract_mentions(text: str, nlp: Optional[Language] = None) -> List[Mention]:
    """Entity mentions in one text: `.text`, `.start`, `.end` (character offsets, end exclusive), `.label`
    (MODEL, DATASET, METHOD, TASK or METRIC), `.score` and `.sentence`."""
    return next(iter_mentions([text], nlp))


def _paper_docs(nlp: Language, papers: Iterable[Paper], batch_size: int = 64) -> Iterator[Tuple[Paper, str, Doc]]:
    def items():
        for paper in papers:
            for name, text, is_zh, truncated in paper_texts(paper):
                yield _make_doc(nlp, text, is_zh, truncated, name), (paper, name)

    for doc, (paper, name) in nlp.pipe(items(), as_tuples=True, batch_size=batch_size):
        yield paper, name, doc


def _grouped(stream: Iterator[Tuple[Paper, str, Doc]]) -> Iterator[Tuple[Paper, List[Tuple[str, Doc]]]]:
    current: Optional[Paper] = None
    docs: List[Tuple[str, Doc]] = []
    for paper, name, doc in stream:
        if current is not None and paper.arxiv_id != current.arxiv_id:
            yield current, docs
            docs = []
        current = paper
        docs.append((name, doc))
    if current is not None:
        yield current, docs


#: How much a rule's type is worth when one name gets different types in one paper.
_TYPE_AUTHORITY = {"lexicon": 5, "variant": 5, "modified": 5, "typed_head": 4, "introduced": 4, "cited": 4, "kind": 4,
                   "part": 4, "zh_cue": 4, "acronym": 3, "ner": 2, "shape": 2, "title": 1}
#: "X模型" and "X基准" are said of classes and tasks as well as of one model or benchmark ("TPP模型", "新型SSL模型";
#: "表格HPO基准", tabular benchmarks of hyperparameter optimization): below a definition's type.
_ZH_KIND_AUTHORITY = 2.5
#: An introduced name no noun typed ("we propose VIDAL-10M with ..."): a guess, below every typed mention.
_UNTYPED_AUTHORITY = 2.2
_UNTYPED_SOURCE = f"introduced:{UNTYPED}"
#: An acronym definition that is also the paper's own name ("SIRL: Similarity-..."): typed by its definition.
_OWN_ACRONYM_SOURCES = frozenset(f"{rule}:acronym" for rule in PROPOSE_RULES)
_APPOSITIVE_AUTHORITY = 4.5
_OWN_APPOSITIVE_AUTHORITY = 5.5


def reconcile_types(mentions: List[Mention], acronyms: Dict[str, str]) -> List[Mention]:
    """One name, one type within a paper: mentions of the same name (an acronym counts as its long form) take the
    type given by the most authoritative rule ("X dataset" beats the title's default guess); an apposition in the
    paper ("X, a novel framework") outranks every rule but the lexicon, and the lexicon too where the paper
    introduces the name ("we introduce WebVoyager, an ... agent")."""
    def group(m: Mention) -> str:
        key = match_key(m.text)
        return match_key(acronyms.get(key, m.text))

    best: Dict[str, Tuple[float, str]] = {}
    for m in mentions:
        rule = m.source.split(":")[0]
        if m.source == _UNTYPED_SOURCE:
            authority = _UNTYPED_AUTHORITY
        elif m.source in _OWN_ACRONYM_SOURCES:
            authority = _TYPE_AUTHORITY["acronym"]
        elif rule == "zh_cue" and m.label in ("MODEL", "DATASET"):
            authority = _ZH_KIND_AUTHORITY
        else:
            authority = _TYPE_AUTHORITY.get(rule, 0)
        votes = [(authority, m.label)]
        rel = m.start - m.sent_start
        if m.sentence[rel:rel + len(m.text)] == m.text:
            appositive = appositive_type(m.sentence, rel, rel + len(m.text))
            if appositive:  # what the paper itself says the name is beats rules, not the curated lexicon ...
                # ... unless the paper introduces the name: names get reused ("We propose EAGLE, a large-scale
                # dataset" is no speculative decoding method)
                own = Role.PROPOSES in mention_roles(m)
                votes.append((_OWN_APPOSITIVE_AUTHORITY if own else _APPOSITIVE_AUTHORITY, appositive))
        g = group(m)
        for authority, label in votes:
            if g not in best or authority > best[g][0]:
                best[g] = (authority, label)
    return [m if best[group(m)][1] == m.label else replace(m, label=best[group(m)][1]) for m in mentions]


#: Rules whose names are found once, where the paper defines or names them; the lexicon and name shapes find
#: every occurrence themselves.
_REPEATED_RULES = frozenset({"title", "introduced", "acronym", "typed_head", "cited", "kind", "part", "zh_cue",
                             "ner"})


def find_repeats(mentions: List[Mention], docs: Sequence[Tuple[str, Doc]]) -> List[Mention]:
    """Further mentions of the names a paper-level rule found once: every other occurrence, same case, as a whole
    word, in any text of the paper. "VideoXum" named by the title "VideoXum: Cross-modal ..." is typed by what the
    abstract says of it ("VideoXum is a large-scale human-annotated dataset"), and takes the roles given there."""
    names = {m.text: m.label for m in mentions if m.source.split(":")[0] in _REPEATED_RULES and len(m.text) > 2}
    if not names:
        return []
    pattern = re.compile(r"(?<![\w\-.])(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
                         + r")(?![\w\-]|\.\w)")
    taken: Dict[str, List[Tuple[int, int]]] = {}
    for m in mentions:
        taken.setdefault(m.field, []).append((m.start, m.end))
    out = []
    for field, doc in docs:
        sents = None
        for hit in pattern.finditer(doc_text(doc)):
            if any(s < hit.end() and hit.start() < e for s, e in taken.get(field, ())):
                continue
            sents = sents or doc_sentences(doc, field)
            sent = next((x for x in sents if x.start_char <= hit.start() < x.end_char), doc[:])
            sentence, sent_start = sentence_around(sent, hit.start(), hit.end())
            out.append(Mention(text=hit.group(), start=hit.start(), end=hit.end(), label=names[hit.group()],
                               score=RULE_SCORES["repeat"], sentence=sentence, source="repeat", field=field,
                               sent_start=sent_start))
    return out


def drop_nested(mentions: List[Mention], text: str, long_forms: Iterable[str]) -> List[Mention]:
    """Mentions of `text` minus those strictly inside one of `long_forms`, the bigger names the paper gives
    somewhere (a defined long form, a name of its own): "Gaussian Process" in a title "... Through Latent Variable
    Gaussian Process" is part of the name the abstract defines as "Latent Variable Gaussian Process (LVGP)"."""
    # only a form that holds a mention's words can have it inside (most forms hold none: no search for those)
    inner = {m.text.lower() for m in mentions}
    forms = [form for form, low in ((f, f.lower()) for f in long_forms)
             if any(len(t) < len(form) and t in low for t in inner)]
    spans = [(m.start(), m.end()) for form in forms
             for m in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text, re.IGNORECASE)]
    if not spans:
        return mentions
    return [m for m in mentions
            if not any(s <= m.start and m.end <= e and m.end - m.start < e - s for s, e in spans)]


def drop_venues(mentions: List[Mention]) -> List[Mention]:
    """The mentions minus a bare venue ("SemEval-2023", "DCASE") in a paper that names the shared task held there
    ("SemEval-2023 Task 3"): the task is what the paper works on, the venue alone only says where."""
    tasks = {m.text for m in mentions if is_shared_task(m.text)}
    return [m for m in mentions
            if not any(t != m.text and re.match(re.escape(m.text) + r"(?![\w])", t) for t in tasks)]


def drop_class_names(mentions: List[Mention], class_acronyms: Iterable[str]) -> List[Mention]:
    """The mentions minus names the paper defines as a class of things, singular or plural ("Speech language
    models (SpeechLMs)" makes "SpeechLM" no model), unless the lexicon lists them: the curated entry is one
    thing ("graph convolutional networks (GCNs)")."""
    classes = class_name_keys(class_acronyms)
    return [m for m in mentions if m.source.startswith("lexicon:") or not is_class_name(m.text, classes)]


def _words(name: str) -> str:
    """A name's words, lower-cased, hyphens read as spaces: "Latent Variable Gaussian-Process" -> "latent variable
    gaussian process"."""
    return " ".join(re.sub(r"[-_/]", " ", name.lower()).split())


def drop_untold_translations(mentions: List[Mention], complete: bool = True) -> List[Mention]:
    """The mentions minus lexicon names found only in the Chinese texts, for a paper whose English abstract is
    `complete`: the Chinese text translates it, so such a name is a piece of a translated bigger name (高斯过程 in
    潜变量高斯过程 for "Latent Variable Gaussian Process", "Transformer" in "聊天生成预训练 Transformer（ChatGPT）")
    or a paraphrase. Where the English is cut off, only the names inside a bigger name the English gives go.
    Names other rules find in Chinese text stay."""
    english = {m.source for m in mentions if not m.field.endswith("_zh")}
    bigger = {_words(m.text) for m in mentions if not m.field.endswith("_zh")}

    def untold(m: Mention) -> bool:
        if not (m.field.endswith("_zh") and m.source.startswith("lexicon:") and m.source not in english):
            return False
        if complete:
            return True
        name = _words(m.source.split(":", 2)[2])
        inside = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")  # whole words: "GAN" is not in "OrGANs"
        return any(words != name and inside.search(words) for words in bigger)

    return [m for m in mentions if not untold(m)]


def _stems(text: str) -> Set[str]:
    return {w[:4] for w in re.findall(r"[a-z]{3,}", text.lower()) if w not in {"and", "for", "the", "with"}}


def drop_redefined_acronyms(mentions: List[Mention], long_of: Dict[str, str],
                            lexicon: Optional[Lexicon] = None) -> List[Mention]:
    """The mentions minus lexicon hits on an acronym this paper defines as something else: "Flow CytoMetry (FCM)"
    is no fuzzy c-means. A long form sharing half the word stems of one of the entry's long forms is the same
    thing ("quantization and Low Rank Adapters (QLoRA)"); one shared word is not ("... self-supervised Training
    (MERT)" is no minimum error rate training). An entry with no long form cannot be judged and stays. Where the
    paper's long form is an entity, the hit becomes the paper's own acronym, typed as it.
    `long_of` maps the `match_key` of each acronym the paper defines to its long form."""
    lexicon = lexicon or load_lexicon()

    def redefined(m: Mention) -> bool:
        long = long_of.get(match_key(m.text))
        entry = lexicon.get(m.source.partition(":")[2]) if m.source.startswith("lexicon:") and long else None
        if entry is None:
            return False
        # the acronym's own spelling ("CREMA-D") is no long form to compare with
        forms = [f for f in entry.surface_forms if (" " in f.strip() or "-" in f) and match_key(f) != match_key(m.text)]
        long_stems = _stems(long)
        return bool(forms) and not any(stems and 2 * len(stems & long_stems) >= len(stems) for stems in map(_stems, forms))

    own_label = {m.text: m.label for m in mentions if m.source == "acronym"}
    out = []
    for m in mentions:
        if not redefined(m):
            out.append(m)
        elif label := own_label.get(long_of[match_key(m.text)]):
            out.append(replace(m, label=label, source="acronym", score=RULE_SCORES["acronym"]))
    return out


def paper_extraction(paper: Paper, docs: Sequence[Tuple[str, Doc]]) -> PaperExtraction:
    """The record of one paper's processed Docs (one per text field): typed mentions and acronym definitions."""
    # Every spelling of a definition is kept ("DiMS: Distilling Multiple Steps" in the title, "Distill Multiple
    # Steps (DiMS)" in the abstract); the first one is the acronym's meaning.
    acronyms: Dict[Tuple[str, str], Tuple[str, str]] = {}
    long_forms = set()  # typed long forms: a name inside one is a part of it
    for _, doc in docs:
        for long_span, short_span in doc._.kg_abbreviations or ():
            acronyms.setdefault((match_key(short_span.text), match_key(long_span.text)),
                                (short_span.text, long_span.text))
            long_forms.add(long_span.text)
    by_key: Dict[str, str] = {}
    for (key, _), (_, long) in acronyms.items():
        by_key.setdefault(key, long)
    found = [(field, doc, doc_mentions(doc, field)) for field, doc in docs]
    # the names the paper-level rules found (its own names, defined names, typed heads) are whole names too: "WAE"
    # in the Chinese text's "WAE-MDP" and "GPT" in "RL-GPT" are pieces of them
    long_forms |= {m.text for _, _, ms in found for m in ms
                   if m.source.split(":")[0] in _REPEATED_RULES and len(m.text) > 2}
    mentions = [m for field, doc, ms in found for m in drop_nested(ms, doc_text(doc), long_forms)]
    mentions = drop_class_names(drop_venues(drop_redefined_acronyms(mentions, by_key)),
                                (short for _, doc in docs for short in doc._.kg_class_acronyms))
    mentions += find_repeats(mentions, docs)
    # no English abstract, or a cut one: Chinese may be all there is, so only pieces of a bigger English name go
    mentions = drop_untold_translations(mentions, complete=bool(paper.abstract_en) and not paper.truncated)
    mentions = reconcile_types(mentions, by_key)
    zh_names = find_zh_names((paper.title_zh, paper.tldr_zh, paper.abstract_zh), by_key)
    reported = any(reports_evaluation(text) for text in (paper.abstract_en, paper.tldr_zh, paper.abstract_zh))
    return PaperExtraction(paper.arxiv_id, tuple(mentions), tuple(acronyms.values()), zh_names, reported)


def extract_papers(papers: Iterable[Paper], nlp: Optional[Language] = None, model: Optional[str] = None,
                   batch_size: int = 64) -> Iterator[PaperExtraction]:
    """The per-paper stage, streamed: one `PaperExtraction` per paper, in input order. Docs are processed in
    batches by `nlp.pipe` and dropped; each paper's result depends on that paper alone."""
    nlp = nlp or get_nlp(model)
    for paper, docs in _grouped(_paper_docs(nlp, papers, batch_size)):
        yield paper_extraction(paper, docs)


class Assembly(NamedTuple):
    """Everything extraction yields for the graph: canonical entities, paper->entity links (one per paper, entity
    and role), `(arxiv_id, Result)` pairs and entity->entity relations aggregated over papers."""

    entities: List[Entity]
    links: List[Link]
    results: List[Tuple[str, Result]]
    relations: List[Relation]


def assemble(extractions: Iterable[PaperExtraction]) -> Assembly:
    """The corpus stage: resolve every paper's mentions to canonical entities, decide roles paper by paper
    (`kg.roles`) and aggregate entity->entity relations over papers. Order-independent: the output is sorted."""
    resolver = Resolver(load_lexicon())
    links: List[Link] = []
    results: List[Tuple[str, Result]] = []
    support: Dict[Tuple[RelationType, str, str], Dict[str, Mention]] = {}
    for ex in extractions:
        names = PaperNames.of(ex)
        keys = [resolver.resolve(m.text, m.label, m.source.partition(":")[2], names, is_zh_alias=is_cjk(m.text))
                for m in ex.mentions]
        own = [role_cues(m) for m in ex.mentions]
        paper = paper_links(ex.arxiv_id, ex.mentions, keys, own, evaluation_reported=ex.evaluation_reported)
        links.extend(paper)
        found = paper_relations(ex.mentions, keys, paper, own)
        for result, mention in _paper_results(ex, keys, resolver, names):
            results.append((ex.arxiv_id, result))
            found.append((RelationType.EVALUATED_ON, result.model, result.dataset, mention))
        for rtype, subj, obj, mention in found:
            support.setdefault((rtype, subj, obj), {}).setdefault(ex.arxiv_id, mention)
    relations = []
    for (rtype, subj, obj), by_paper in sorted(support.items()):
        arxiv_id, mention = max(sorted(by_paper.items()), key=lambda kv: kv[1].score)
        relations.append(Relation(subj, rtype, obj, tuple(sorted(by_paper)), mention, mention.score))
    links.sort(key=lambda l: (l.arxiv_id, l.entity_key, l.role.value))
    results.sort(key=lambda r: (r[0], r[1].model, r[1].dataset, r[1].metric, r[1].value))
    # acronyms resolved corpus-wide
    links, relations, results = apply_rekey(resolver.rekey(links), links, relations, results)
    return Assembly(resolver.entities(), links, results, relations)


def _paper_results(ex: PaperExtraction, keys: Sequence[str], resolver: Resolver,
                   names: PaperNames) -> List[Tuple[Result, Mention]]:
    """Result records of one paper (`kg.results`), their names resolved to the paper's entity keys; with the
    mention of the dataset as evidence for the implied "model evaluatedOn dataset"."""
    from .results import paper_results

    by_name = {(match_key(m.text), m.label): k for m, k in zip(ex.mentions, keys)}

    def key(text: str, labels: Sequence[str]) -> str:
        for label in labels:
            if (match_key(text), label) in by_name:
                return by_name[match_key(text), label]
        return resolver.resolve(text, labels[0], "", names)

    out = []
    for sentence, r in paper_results(ex.mentions):
        in_sentence = [m for m in ex.mentions if m.sentence == sentence]
        evidence = next((m for m in in_sentence if m.label == "DATASET" and match_key(m.text) == match_key(r.dataset)),
                        in_sentence[0])
        systems = ("MODEL", "METHOD")
        out.append((Result(
            model=key(r.model, systems),
            dataset=key(r.dataset, ("DATASET",)),
            metric=key(r.metric, ("METRIC",)),
            value=float(r.value),
            unit=r.unit,
            compared_model=key(r.compared_model, systems) if r.compared_model else None,
            compared_value=float(r.compared_value) if r.compared_value is not None else None,
            sentence=sentence,
        ), evidence))
    return out


def extract_corpus(papers: Iterable[Paper], nlp: Optional[Language] = None, model: Optional[str] = None) -> Assembly:
    """Entities, links, results and relations of a stream of papers: `assemble(extract_papers(...))`."""
    return assemble(extract_papers(papers, nlp, model))
