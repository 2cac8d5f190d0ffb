"""Result tuples: "ASMv2 achieves an overall accuracy of 52.04 on CRPE, surpassing the 43.14 of LLaVA-1.5" ->
(model ASMv2, dataset CRPE, metric "overall accuracy", value 52.04, compared LLaVA-1.5 at 43.14).

Pure functions in the manner of scispaCy's `abbreviation.py`, regexes over one sentence with the extractor's
mentions as anchors (no spaCy):

- `find_results(sentence, mentions)`: the results one sentence states;
- `paper_results(mentions)`: every sentence of a paper, with the paper's names as context (a model the extractor
  tagged only where it was defined, "the model" for the paper's own model, "this benchmark" for the benchmark
  named before);
- `score_results(predicted, gold)`: precision and recall of full tuples.

Precision comes first (eval/GUIDELINES.md, "Results"): a tuple is emitted only when a model, a dataset, a named
metric and a number are all written in the recognised shapes. Improvements ("improves accuracy by 5%", "+3.2
points", "a 12% gain"), bounds ("over 80% accuracy"), approximate values, lists of values read with
"respectively" and averages over several datasets give nothing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from .normalize import match_key
from .records import Mention, Result

__all__ = [
    "METRIC_TERMS",
    "METRIC_MODIFIERS",
    "ResultMention",
    "ResultContext",
    "ResultScores",
    "find_results",
    "result_context",
    "paper_results",
    "score_results",
    "result_key",
    "gold_aliases",
]

# --- data -----------------------------------------------------------------------------------------------------

#: Named evaluation measures recognised in the text even when the extractor did not tag them. Terms with a
#: capital letter are matched with their case ("mAP" is not "map", "EM" not "em"); the others in any case.
METRIC_TERMS: Tuple[str, ...] = (
    "accuracy", "top-1 accuracy", "top-5 accuracy", "top-1", "top-5", "exact match", "EM", "F1", "F1 score",
    "F1-score", "F-score", "F-measure", "macro-F1", "micro-F1", "macro F1", "micro F1", "precision", "recall",
    "BLEU", "sacreBLEU", "chrF", "chrF++", "METEOR", "ROUGE", "ROUGE-1", "ROUGE-2", "ROUGE-L", "CIDEr", "SPICE",
    "BERTScore", "SARI", "TER", "COMET", "perplexity", "AUC", "AUROC", "AUPRC", "ROC-AUC", "mAP", "AP", "AP50",
    "mIoU", "IoU", "Dice", "PSNR", "SSIM", "LPIPS", "FID", "Inception Score", "WER", "CER", "word error rate",
    "character error rate", "MRR", "NDCG", "nDCG", "Hits@1", "Hits@3", "Hits@10", "HR@10", "Recall@10",
    "Recall@20", "R@1", "R@5", "R@10", "pass@1", "pass@5", "pass@10", "pass@100", "success rate",
    "task success rate", "attack success rate", "win rate", "Elo", "MAE", "RMSE", "MSE", "MAPE",
    "mean absolute error", "mean squared error", "root mean squared error", "Pearson correlation",
    "Spearman correlation", "Kendall-Tau correlation", "Kendall's tau", "Cohen's kappa", "kappa", "AUC-ROC",
    "joint goal accuracy", "balanced accuracy", "UAR", "EER", "equal error rate", "MOS", "mean average precision",
)

#: Words written before a metric that belong to its name ("overall accuracy", "macro F1", "test accuracy").
METRIC_MODIFIERS: Tuple[str, ...] = (
    "overall", "average", "mean", "macro", "micro", "weighted", "balanced", "macro-averaged", "micro-averaged",
    "macro-average", "micro-average", "top-1", "top-5", "multi-choice", "multiple-choice", "exact-match", "strict",
    "relaxed", "character-level", "word-level", "token-level", "sentence-level", "system-level", "turn-level",
    "segment-level", "instance-level", "span-level", "test", "validation", "dev", "task", "query", "attack",
    "single-run", "detection", "classification", "recognition", "retrieval", "answer", "execution", "unweighted",
    "cross-validation", "5-fold", "10-fold", "box", "mask",
)

#: Evaluation settings that may stand between a value and its metric but are not part of the metric's name
#: ("90.0 fine-tuning top-1 accuracy" is top-1 accuracy).
SETTINGS: Tuple[str, ...] = (
    "zero-shot", "few-shot", "one-shot", "1-shot", "3-shot", "5-shot", "8-shot", "10-shot", "25-shot",
    "fine-tuning", "fine-tuned", "linear-probe", "linear-probing", "linear", "probing", "end-to-end",
)

#: Verbs whose object is a score ("X achieves 52.04 accuracy", "X improves recall@5 from 18.7% to 43.2%").
RESULT_VERBS: Tuple[str, ...] = (
    "achieve", "achieves", "achieved", "attain", "attains", "attained", "reach", "reaches", "reached", "obtain",
    "obtains", "obtained", "get", "gets", "got", "score", "scores", "scored", "deliver", "delivers", "delivered",
    "yield", "yields", "yielded", "record", "records", "recorded", "hit", "hits", "improve", "improves", "improved",
    "boost", "boosts", "boosted", "raise", "raises", "raised", "lift", "lifts", "push", "pushes", "set", "sets",
    "report", "reports", "reported", "has", "had", "show", "shows", "showed", "demonstrate", "demonstrates",
    "demonstrated", "exhibit", "exhibits", "exhibited", "secure", "secures", "secured", "post", "posts",
    "establish", "establishes", "reduce", "reduces", "reduced", "lower", "lowers", "lowered", "cut", "cuts",
)
#: The same as participles after a comma: "X outperforms Y, achieving 85.3% accuracy on D" (X is the subject).
PARTICIPLES: Tuple[str, ...] = (
    "achieving", "attaining", "reaching", "obtaining", "getting", "scoring", "delivering", "yielding",
    "recording", "setting", "improving", "boosting", "raising", "pushing", "with",
)
#: Words that may stand between a verb and its score ("achieves a phenomenal 90.0 ...").
_OBJECT_FILLERS = frozenset(
    "a an the new state-of-the-art sota competitive strong high impressive phenomenal remarkable notable "
    "outstanding excellent record best top only stunning superior exceptional solid leading respectable "
    "up to of its an".split()
)
#: Words that may stand between a model and its verb ("EVA-02-CLIP can reach", "PanGu-Coder2, which achieves").
_SUBJECT_FILLERS = frozenset(
    "which that can could also further still consistently successfully significantly even now finally then "
    "model models system framework variant version alone itself".split()
)
#: A model preceded by one of these is compared with, not the subject.
_COMPARISON_WORDS = frozenset(
    "than over outperform outperforms outperformed outperforming surpass surpasses surpassed surpassing beat beats "
    "beating exceed exceeds exceeding vs vs. versus like as rivaling rivalling against".split()
)
_COMPARE_RE = re.compile(
    r"^[\s,]*(?:(?:and|thereby|thus|while|clearly|closely|significantly|substantially|largely|greatly|far|"
    r"considerably|even|further|which|is|are)\s+){0,3}"
    r"(?:surpassing|surpasses|outperforming|outperforms|beating|beats|exceeding|exceeds|compared\s+(?:to|with)|"
    r"versus|vs\.?|over|than|rivall?ing|rivals|ahead\s+of|against)\s+",
    re.IGNORECASE,
)
_IMPROVEMENT_RE = re.compile(
    r"\b(?:improvements?|improv(?:es|ed|ing)\s+by|gains?|increases?|increased|decreases?|decreased|reductions?|"
    r"reduced|drops?|dropped|boosts?\s+by|higher|lower|better|worse|more|less|fewer|absolute|relative|"
    r"margin|points?\s+(?:above|below|over|higher|lower)|times|fold)\b",
    re.IGNORECASE,
)
# Before a value: improvements ("by 5%", "+3.2") and bounds or approximations ("over 80%", "about 73").
_BEFORE_VALUE_REJECT_RE = re.compile(
    r"(?:\bby(?:\s+(?:up\s+to|over|about|approximately|nearly|around|roughly|almost|at\s+most|at\s+least))?"
    r"|\+|\bover|\babove|\bmore\s+than|\bat\s+least|\bat\s+most|\bexceed\w*|\bsurpass\w*|\bbelow|\bunder|"
    r"\bless\s+than|\bfewer\s+than|\bbeyond|\bnearly|\balmost|\babout|\bapproximately|\baround|\broughly|~|"
    r"\\approx|\\sim|≈|\bwithin|(?<!\bup\s)\bto)\s*\$?\s*$",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(r"(?<![\w.@/^-])(\d+(?:\.\d+)?)(\s*\\?%|\s*percent\b)?(?:\$(?!\d))?")  # "$96.7\%$"
_VALUE = r"\$?(\d+(?:\.\d+)?)\s*(\\?%)?\$?"
_DATASET_HEADS = r"(?:benchmarks?|datasets?|data\s+sets?|corpus|corpora|leaderboards?|test\s+sets?|splits?|suite)"
_MODEL_ANAPHOR_RE = re.compile(
    r"\b(?:our|the)\s+(?:proposed\s+)?(?:model|method|approach|framework|system|algorithm|agent)\b", re.IGNORECASE
)
_DATASET_ANAPHOR_RE = re.compile(
    r"\b(?:this|that|the|our)\s+(?:[\w-]+\s+){0,2}?(?:benchmark|dataset|data\s+set|corpus|leaderboard)\b",
    re.IGNORECASE,
)
_NAME_SHAPE_RE = re.compile(r"(?<![\w-])[A-Z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*(?![\w-])")
_SCORE_SUFFIX_RE = re.compile(r"[\s-]+(?:scores?|values?)$", re.IGNORECASE)
_POSSESSIVE_PREFIX_RE = re.compile(r"^[^\s']+['’]s\s+(?=\S)")
_SUBSET_RE = re.compile(r"^\s+([a-z]+-(?:subset|split))\b")
_CLAUSE_BREAK_RE = re.compile(r"[;:]|\b(?:while|whereas|but)\b")
_WORD_RE = re.compile(r"[^\s,]+")
_VERB_RE = re.compile(r"\b(?:" + "|".join(sorted(RESULT_VERBS + PARTICIPLES, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


# --- records --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultMention:
    """One result stated in a sentence: surface texts as written, the value as an exact `Decimal` ("52.04"
    stays 52.04). `unit` is "%" when the text writes a percent sign, else None. `*_start` are offsets in the
    sentence, -1 when the name was resolved from the context ("the model", "this benchmark")."""

    model: str
    dataset: str
    metric: str
    value: Decimal
    unit: Optional[str] = None
    compared_model: Optional[str] = None
    compared_value: Optional[Decimal] = None
    model_start: int = -1
    dataset_start: int = -1
    value_start: int = -1

    def to_record(self, sentence: str = "") -> Result:
        """The `kg.records.Result` of this tuple (what `kg.rdf.add_result` writes)."""
        return Result(
            model=self.model,
            dataset=self.dataset,
            metric=self.metric,
            value=float(self.value),
            unit=self.unit,
            compared_model=self.compared_model,
            compared_value=None if self.compared_value is None else float(self.compared_value),
            sentence=sentence,
        )


@dataclass(frozen=True)
class ResultContext:
    """What the rest of a paper tells about a sentence (built by `result_context`).

    names: (surface, label) of every MODEL/METHOD/DATASET name the paper writes, so a name tagged only where it
        was defined is still found in the result sentence.
    proposed: the paper's own model or method when there is exactly one ("The model delivers 72.6% ...").
    datasets: (field, start, surface) of every DATASET mention, in text order ("this benchmark" -> the last one).
    """

    names: Tuple[Tuple[str, str], ...] = ()
    proposed: Optional[str] = None
    datasets: Tuple[Tuple[str, int, str], ...] = ()


class _Anchor(NamedTuple):
    start: int
    end: int
    kind: str  # MODEL (models and methods), DATASET, METRIC, OTHER (tasks: they block, never fill a slot)
    text: str  # the name reported (differs from the surface for anaphors)
    resolved: bool = False  # from the context, not written here


class _Pair(NamedTuple):
    start: int
    end: int
    metric: _Anchor
    value: Decimal
    value_start: int
    unit: Optional[str]
    compared_value: Optional[Decimal]


# --- public functions -----------------------------------------------------------------------------------------


def find_results(
    sentence: str,
    mentions: Sequence[Mention] = (),
    *,
    context: Optional[ResultContext] = None,
    field: Optional[str] = None,
    sent_start: Optional[int] = None,
) -> List[ResultMention]:
    """The results stated in one sentence.

    sentence (str): the sentence text.
    mentions (Sequence[Mention]): the entity mentions found in it; `m.start - m.sent_start` is the offset in
        `sentence` (mentions that cannot be placed are ignored).
    context (ResultContext): optional, the paper's names (see `result_context`).
    field, sent_start: where the sentence is in the paper (default: from the mentions), for "this benchmark".
    RETURNS (List[ResultMention]): in the order of their values in the sentence.
    """
    if not any(c.isdigit() for c in sentence):
        return []
    if mentions:
        field = mentions[0].field if field is None else field
        sent_start = mentions[0].sent_start if sent_start is None else sent_start
    anchors = _anchors(sentence, mentions, context, field or "", sent_start)
    pairs = _pairs(sentence, anchors)
    out: List[ResultMention] = []
    lead_dataset = _leading_dataset(sentence, anchors)
    previous: Optional[Tuple[_Pair, int, Optional[_Anchor], Optional[_Anchor]]] = None
    for pair in pairs:
        dataset, after = _dataset_after(sentence, pair, anchors)
        model = None
        if previous is not None and _coordinated(sentence[previous[1]:pair.start]):
            model = previous[2]
            dataset = dataset or previous[3]
        if model is None:
            model, verb_start = _subject(sentence, pair, anchors)
            if model is None and previous is not None and previous[2] is not None and re.search(
                    r",?\s*and\s+$", sentence[previous[1]:verb_start]) and not re.search(r"[;:]", sentence[
                    previous[1]:verb_start]):
                # "X delivers 72.6% accuracy on D1, ..., and achieves 81.7% accuracy on D2"
                model = previous[2]
        if dataset is None and lead_dataset is not None and (model is None or lead_dataset.end <= model.start
                                                             or model.resolved):
            dataset = lead_dataset
        previous = (pair, after, model, dataset)
        if model is None or dataset is None:
            continue
        compared_model, compared_value = _compared(sentence, after, anchors, pair)
        if compared_model is None and not model.resolved:
            compared_model = _compared_before(sentence, model, pair, anchors)
        out.append(
            ResultMention(
                model=model.text,
                dataset=_clean_dataset(dataset.text),
                metric=pair.metric.text,
                value=pair.value,
                unit=pair.unit,
                compared_model=compared_model,
                compared_value=compared_value,
                model_start=-1 if model.resolved else model.start,
                dataset_start=-1 if dataset.resolved else dataset.start,
                value_start=pair.value_start,
            )
        )
    return out


def result_context(mentions: Iterable[Mention], fields: Sequence[str] = ("title_en", "abstract_en", "tldr_en")
                   ) -> ResultContext:
    """The context of a paper's sentences from all its mentions (English fields only)."""
    labels: Dict[str, Dict[str, int]] = {}
    proposed: Dict[str, str] = {}
    datasets = []
    for m in mentions:
        if m.field not in fields or m.label not in ("MODEL", "METHOD", "DATASET"):
            continue
        kind = "DATASET" if m.label == "DATASET" else "MODEL"
        rule = m.source.split(":")[0]
        if rule != "title":  # a title's "X: ..." is typed by a guess
            counts = labels.setdefault(m.text, {})
            counts[kind] = counts.get(kind, 0) + 1
        if kind == "MODEL" and rule in ("introduced", "title"):
            proposed.setdefault(match_key(m.text), m.text)
        if kind == "DATASET":
            datasets.append((m.field, m.start, m.text))
    names = tuple(sorted((text, max(sorted(c), key=lambda k: c[k])) for text, c in labels.items()))
    return ResultContext(
        names=names,
        proposed=next(iter(proposed.values())) if len(proposed) == 1 else None,
        datasets=tuple(sorted(datasets, key=lambda d: (d[0], d[1]))),
    )


def paper_results(mentions: Sequence[Mention], fields: Sequence[str] = ("abstract_en", "tldr_en", "title_en")
                  ) -> List[Tuple[str, ResultMention]]:
    """(sentence, result) for every sentence of a paper that has mentions, with the paper as context.

    mentions (Sequence[Mention]): all the paper's mentions (each carries its `sentence`, `field`, `sent_start`).
    RETURNS: in field and text order; a tuple stated twice (title and abstract) is kept once.
    """
    context = result_context(mentions)
    sentences: Dict[Tuple[str, int], List[Mention]] = {}
    for m in mentions:
        if m.field in fields:
            sentences.setdefault((m.field, m.sent_start), []).append(m)
    order = {f: i for i, f in enumerate(fields)}
    out: List[Tuple[str, ResultMention]] = []
    seen = set()
    for (field, start), ms in sorted(sentences.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        for r in find_results(ms[0].sentence, ms, context=context, field=field, sent_start=start):
            key = (match_key(r.model), match_key(r.dataset), match_key(r.metric), r.value)
            if key not in seen:
                seen.add(key)
                out.append((ms[0].sentence, r))
    return out


# --- scoring --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultScores:
    """Full-tuple counts: a prediction is right when model, dataset, metric and value all match a gold tuple."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _field(item, name: str):
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def _name_key(name: Optional[str], aliases: Mapping[str, str]) -> str:
    key = match_key(name or "")
    return aliases.get(key, key)


def _metric_key(name: Optional[str], aliases: Mapping[str, str]) -> str:
    # "CIDEr score" and "CIDEr" name one measure.
    return _name_key(_SCORE_SUFFIX_RE.sub("", (name or "").strip()), aliases)


def _value_key(value) -> Optional[Decimal]:
    if value is None:
        return None
    return Decimal(str(value)).normalize()


def result_key(item, names: Mapping[str, str]) -> tuple:
    """What makes two result tuples the same: model, dataset, metric (names via `names`) and value."""
    return (_name_key(_field(item, "model"), names), _name_key(_field(item, "dataset"), names),
            _metric_key(_field(item, "metric"), names), _value_key(_field(item, "value")))


def score_results(
    predicted: Mapping[str, Sequence[object]],
    gold: Mapping[str, Sequence[object]],
    aliases: Optional[Mapping[str, Mapping[str, str]]] = None,
) -> ResultScores:
    """Precision and recall of full result tuples, paper by paper, one to one.

    predicted, gold: paper id -> results (`ResultMention`, `kg.records.Result` or dicts with model, dataset,
        metric, value). Names are compared with `match_key` (case, space and punctuation insensitive), metrics
        without a trailing "score", values as decimals (97 == 97.0).
    aliases: paper id -> {match_key(surface): match_key(canonical name)}, so "ASMv2" matches a gold "All-Seeing
        Model V2" (see `gold_aliases`).
    """
    aliases = aliases or {}
    tp = fp = fn = 0
    for paper in sorted(set(predicted) | set(gold)):
        names = aliases.get(paper, {})
        remaining = [result_key(g, names) for g in gold.get(paper, ())]
        for p in predicted.get(paper, ()):
            k = result_key(p, names)
            if k in remaining:
                remaining.remove(k)
                tp += 1
            else:
                fp += 1
        fn += len(remaining)
    return ResultScores(tp, fp, fn)


def gold_aliases(record: Mapping) -> Dict[str, str]:
    """{match_key(alias): match_key(name)} for the entities of one gold record (eval/GUIDELINES.md format)."""
    out = {}
    for entity in record.get("entities", ()):
        name = match_key(entity["name"])
        for alias in entity.get("aliases", ()):
            out.setdefault(match_key(alias), name)
    return out


# --- anchors --------------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _metric_re() -> re.Pattern:
    terms = sorted(set(METRIC_TERMS), key=len, reverse=True)
    parts = []
    for t in terms:
        body = re.escape(t).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?")
        parts.append(body if any(c.isupper() for c in t) else f"(?i:{body})")
    return re.compile(r"(?<![\w@-])(?:" + "|".join(parts) + r")(?:@\d+)?(?![\w@]|-(?!\s))")


@functools.lru_cache(maxsize=1)
def _modifier_re() -> re.Pattern:
    mods = sorted(set(METRIC_MODIFIERS), key=len, reverse=True)
    alt = "|".join(re.escape(m).replace(r"\ ", r"\s+").replace(r"\-", "[-\\s]") for m in mods)
    return re.compile(r"(?i:(?:" + alt + r"))[\s-]+$")


@functools.lru_cache(maxsize=1)
def _generic() -> frozenset:
    from .lexicon import load_lexicon

    return load_lexicon().generic


def _place(sentence: str, m: Mention) -> Optional[Tuple[int, int]]:
    """Offsets of mention `m` in `sentence` (the sentence may have been stripped of leading spaces)."""
    off = m.start - m.sent_start
    for delta in (0, -1, -2, 1, -3, -4):
        s = off + delta
        if 0 <= s and sentence[s:s + len(m.text)] == m.text:
            return s, s + len(m.text)
    found = sentence.find(m.text)
    return (found, found + len(m.text)) if found >= 0 else None


def _overlaps(a: Tuple[int, int], anchors: Iterable[_Anchor]) -> bool:
    return any(a[0] < b.end and b.start < a[1] for b in anchors)


def _anchors(sentence: str, mentions: Sequence[Mention], context: Optional[ResultContext], field: str,
             sent_start: Optional[int]) -> List[_Anchor]:
    anchors: List[_Anchor] = []
    for m in mentions:
        span = _place(sentence, m)
        if span is None:
            continue
        kind = {"MODEL": "MODEL", "METHOD": "MODEL", "DATASET": "DATASET", "METRIC": "METRIC"}.get(m.label, "OTHER")
        if kind in ("MODEL", "DATASET"):
            span = _whole_token(sentence, span)
        anchors.append(_Anchor(span[0], span[1], kind, sentence[span[0]:span[1]]))
    # Longest first, so a METRIC mention and a lexicon term over the same words make one anchor.
    anchors = _non_overlapping(anchors)
    if context is not None:
        for text, kind in sorted(context.names, key=lambda n: -len(n[0])):
            if len(text) < 3 or match_key(text) in _generic():
                continue
            for hit in re.finditer(r"(?<![\w-])" + re.escape(text) + r"(?![\w-])", sentence):
                if not _overlaps(hit.span(), anchors):
                    anchors.append(_Anchor(hit.start(), hit.end(), kind, text))
    for hit in _metric_re().finditer(sentence):
        if not _overlaps(hit.span(), anchors):
            anchors.append(_Anchor(hit.start(), hit.end(), "METRIC", hit.group()))
    if context is not None and context.proposed:
        for hit in _MODEL_ANAPHOR_RE.finditer(sentence):
            if not _overlaps(hit.span(), anchors):
                anchors.append(_Anchor(hit.start(), hit.end(), "MODEL", context.proposed, True))
    for hit in _DATASET_ANAPHOR_RE.finditer(sentence):
        if _overlaps(hit.span(), anchors):
            continue
        named = _last_dataset(anchors, hit.start(), context, field, sent_start)
        if named is not None:
            anchors.append(_Anchor(hit.start(), hit.end(), "DATASET", named, True))
    anchors.sort()
    return [_extend_metric(sentence, a) if a.kind == "METRIC" else a for a in anchors]


def _whole_token(sentence: str, span: Tuple[int, int]) -> Tuple[int, int]:
    """A name tagged inside a hyphenated token is the whole token: "CLIP" in "EVA-02-CLIP" is "EVA-02-CLIP"."""
    start, end = span
    if start > 1 and sentence[start - 1] == "-" and sentence[start - 2].isalnum():
        while start > 0 and (sentence[start - 1].isalnum() or sentence[start - 1] in "-."):
            start -= 1
    if end < len(sentence) - 1 and sentence[end] == "-" and sentence[end + 1].isalnum():
        while end < len(sentence) and (sentence[end].isalnum() or sentence[end] == "-"):
            end += 1
    return start, end


def _non_overlapping(anchors: List[_Anchor]) -> List[_Anchor]:
    kept: List[_Anchor] = []
    for a in sorted(anchors, key=lambda a: (-(a.end - a.start), a.start)):
        if not _overlaps((a.start, a.end), kept):
            kept.append(a)
    return sorted(kept)


def _last_dataset(anchors: Sequence[_Anchor], before: int, context: Optional[ResultContext], field: str,
                  sent_start: Optional[int]) -> Optional[str]:
    """The dataset "this benchmark" refers to: the last one named before it, in the sentence or earlier."""
    here = [a for a in anchors if a.kind == "DATASET" and not a.resolved and a.end <= before]
    if here:
        return max(here).text
    if context is None or sent_start is None:
        return None
    earlier = [d for d in context.datasets if d[0] == field and d[1] < sent_start]
    return earlier[-1][2] if earlier else None


def _extend_metric(sentence: str, a: _Anchor) -> _Anchor:
    """Take in the modifiers written before a metric ("overall accuracy") and drop a trailing "score"."""
    start = a.start
    while True:
        hit = _modifier_re().search(sentence[max(0, start - 40):start])
        if not hit or hit.start() == hit.end():
            break
        new = max(0, start - 40) + hit.start()
        if new > 0 and (sentence[new - 1].isalnum() or sentence[new - 1] in "-@"):
            break
        start = new
    text = _SCORE_SUFFIX_RE.sub("", sentence[start:a.end]) or sentence[start:a.end]
    return a._replace(start=start, text=text)


# --- values and metrics ---------------------------------------------------------------------------------------


def _number(text: str) -> Decimal:
    return Decimal(text)


def _unit(text: Optional[str]) -> Optional[str]:
    return "%" if text and text.strip() else None


def _values(sentence: str, anchors: Sequence[_Anchor]) -> List[Tuple[int, int, Decimal, Optional[str]]]:
    """Numbers that can be scores: not inside a name ("GPT-4", "pass@1"), a size ("7B"), a range ("90-97%"),
    a count with thousands ("20,000"), a fraction, an open bound ("0.83+") or a year."""
    out = []
    for hit in _NUMBER_RE.finditer(sentence):
        s, e = hit.span()
        if _overlaps((s, e), anchors):
            continue
        rest = sentence[e:]
        if re.match(r"[A-Za-z]|[-–]\s*\d|[/+×x]|,\d{3}|\.\d", rest) or re.search(r"\d[,]$", sentence[:s]):
            continue
        if re.search(r"\d\s*[-–]\s*$|\d\s+to\s+$", sentence[:s]) and not re.search(r"from\s+\S+\s+to\s+$",
                                                                               sentence[:s]):
            continue
        number = hit.group(1)
        if not hit.group(2) and "." not in number and 1900 <= int(number) <= 2100:
            continue
        out.append((s, e, _number(number), _unit(hit.group(2))))
    return out


def _value_ok(sentence: str, s: int, e: int, values: Sequence[Tuple[int, int, Decimal, Optional[str]]]) -> bool:
    """Not an improvement, a bound, a number that may be cut off, or one of a list of values."""
    before = sentence[max(0, s - 30):s]
    if _BEFORE_VALUE_REJECT_RE.search(before) and not re.search(r"\bfrom\s+\S+\s+to\s*$", sentence[:s]):
        return False
    if not sentence[e:].strip():  # the last characters of a sentence may be a number cut off ("accuracy of 4")
        return False
    for s2, e2, _, _ in values:  # "96.8% and 93.7%" (respectively), "0.3% to 5.9%"
        if (s2 >= e and re.fullmatch(_LIST_GAP, sentence[e:s2])) or (
                e2 <= s and re.fullmatch(_LIST_GAP, sentence[e2:s])):
            return False
    if re.match(r"\s*\(\s*\$?\d", sentence[e:]):  # "83.2 (76.4)": two readings at once
        return False
    return True


_LIST_GAP = r"\s*\$?\s*(?:,|and|or|/|to)?\s*(?:,|and|or)?\s*\$?\s*"


def _pairs(sentence: str, anchors: Sequence[_Anchor]) -> List[_Pair]:
    """(metric, value) pairs in the recognised shapes, in sentence order, each value used once."""
    metrics = [a for a in anchors if a.kind == "METRIC"]
    values = _values(sentence, anchors)
    out: List[_Pair] = []
    used = set()
    # "recall@5 from 18.7% to 43.2%", "CIDEr score (72.33 -> 86.29)", "accuracy (88.0% vs. 77.0%)".
    for m in metrics:
        tail = sentence[m.end:]
        hit = (re.match(r"\s*(?:scores?\s+)?from\s+" + _VALUE + r"\s+to\s+" + _VALUE, tail)
               or re.match(r"\s*(?:scores?\s*)?\(\s*" + _VALUE + r"\s*(?:->|→|⇒|=>|-->)\s*" + _VALUE + r"\s*\)", tail))
        if hit:
            s = m.end + hit.start(3)
            if _IMPROVEMENT_RE.match(sentence[m.end + hit.end():].lstrip()):
                continue
            out.append(_Pair(m.start, m.end + hit.end(), m, _number(hit.group(3)), s,
                             _unit(hit.group(4) or hit.group(2)), _number(hit.group(1))))
            used.update({m.end + hit.start(1), s})
            continue
        hit = re.match(r"\s*\(\s*" + _VALUE + r"\s*(?:vs\.?|versus)\s*" + _VALUE, tail)
        if hit:
            s = m.end + hit.start(1)
            out.append(_Pair(m.start, m.end + hit.end(), m, _number(hit.group(1)), s, _unit(hit.group(2)),
                             _number(hit.group(3))))
            used.update({s, m.end + hit.start(3)})
    for s, e, value, unit in values:
        if s in used or not _value_ok(sentence, s, e, values):
            continue
        pair = _value_then_metric(sentence, s, e, value, unit, metrics) or _metric_then_value(
            sentence, s, e, value, unit, metrics)
        if pair is not None:
            out.append(pair)
            used.add(s)
    out += _metric_elsewhere(sentence, anchors, values, used, {p.metric for p in out})
    return sorted(out, key=lambda p: p.value_start)


def _metric_elsewhere(sentence, anchors, values, used, paired) -> List[_Pair]:
    """ "X scores 85.1 on D in terms of accuracy": a value right after a verb and before "on D", with the only
    metric of its clause not given a value of its own (no metric in the clause, no result)."""
    out = []
    for s, e, value, unit in values:
        if s in used or not _value_ok(sentence, s, e, values):
            continue
        lead = re.search(r"\b(?:" + "|".join(RESULT_VERBS) + r")\s+(?:(?:a|an|the|up\s+to)\s+)?\$?$", sentence[:s])
        if not lead:
            continue
        if not re.match(r"\s*(?:on|in|for|across|at)\s", sentence[e:]):
            continue
        clause = _clause(sentence, s)
        if _IMPROVEMENT_RE.search(sentence[clause[0]:clause[1]]):
            continue
        metrics = [a for a in anchors if a.kind == "METRIC" and clause[0] <= a.start < clause[1]]
        others = [v for v in values if v[0] != s and clause[0] <= v[0] < clause[1]]
        if len(metrics) != 1 or metrics[0] in paired or others:
            continue
        pair = _Pair(s, e, metrics[0], value, s, unit, None)
        if _dataset_after(sentence, pair, anchors)[0] is not None:
            out.append(pair)
    return out


def _clause(sentence: str, at: int) -> Tuple[int, int]:
    """The clause around offset `at`: between semicolons, colons, "while", "whereas", "but"."""
    start = max((m.end() for m in _CLAUSE_BREAK_RE.finditer(sentence, 0, at)), default=0)
    nxt = _CLAUSE_BREAK_RE.search(sentence, at)
    return start, nxt.start() if nxt else len(sentence)


def _value_then_metric(sentence, s, e, value, unit, metrics) -> Optional[_Pair]:
    """ "62.20% pass@1", "a 0.962 system-level Kendall-Tau correlation"."""
    for m in metrics:
        if m.start >= e and all(w in SETTINGS for w in _words(sentence[e:m.start])):
            # "36.45% Hits@1 and 27.40% MRR improvements for X on D" (but "... on D with fewer parameters" is fine)
            phrase = re.split(r"[,;.()]|\b(?:on|in|for|across|at|with|using|over|than)\b", sentence[m.end:], maxsplit=1)[0]
            if _IMPROVEMENT_RE.search(phrase):
                return None
            return _Pair(s, m.end, m, value, s, unit, None)
    return None


def _metric_then_value(sentence, s, e, value, unit, metrics) -> Optional[_Pair]:
    """ "an accuracy of 97%", "a Macro F1-Score of 0.2717", "accuracy level of 98.4%"."""
    for m in metrics:
        if m.end <= s and re.fullmatch(
            r"\s*(?:scores?|values?|rates?|levels?|results?)?\s*(?:of|=|:|at|is|was|reaching|reached)\s*"
            r"(?:up\s+to\s+)?\$?\s*", sentence[m.end:s], re.IGNORECASE):
            if re.search(r"\b(?:improvements?|gains?|increases?|decreases?|reductions?|drops?|boosts?)\s+"
                         r"(?:in|of|on)\s+(?:the\s+)?$", sentence[max(0, m.start - 30):m.start], re.IGNORECASE):
                return None
            return _Pair(m.start, e, m, value, s, unit, None)
    return None


# --- datasets, models, comparisons ----------------------------------------------------------------------------


_DATASET_FRAME_RE = re.compile(
    r"\s*((?:[\w-]+\s+){0,2}?)(?:on|in|for|across|at)\s+(?P<det>(?:the|this|that|our)\s+)?", re.IGNORECASE)
_FRAME_BLOCKERS = frozenset("of and or than by over compared vs in on for to at across".split())
_LIST_RE = re.compile(r"\s*(?:" + _DATASET_HEADS + r"\s*)?(?:,|and\b|&|/|or\b)\s*(?:the\s+)?", re.IGNORECASE)


def _dataset_after(sentence: str, pair: _Pair, anchors: Sequence[_Anchor]) -> Tuple[Optional[_Anchor], int]:
    """The dataset of "... on D" right after a pair (a tagged dataset, "this benchmark", or an untagged name
    shaped like one: "on SummEval"), and where the pair's phrase ends."""
    frame = _DATASET_FRAME_RE.match(sentence, pair.end)
    if not frame or any(w in _FRAME_BLOCKERS for w in frame.group(1).lower().split()):
        return None, pair.end
    at = frame.end()
    d = next((a for a in anchors if a.start in (at, frame.start("det"))), None)
    if d is None:
        shape = _NAME_SHAPE_RE.match(sentence, at)
        if not shape or _overlaps(shape.span(), anchors) or not _dataset_shape(sentence, shape):
            return None, pair.end
        d = _Anchor(shape.start(), shape.end(), "DATASET", shape.group())
    if d.kind != "DATASET":
        return None, pair.end
    listed = _LIST_RE.match(sentence, d.end)
    if listed and any(a.kind == "DATASET" and a.start == listed.end() for a in anchors):
        return None, pair.end  # "on HumanEval and MBPP": an average or a list
    end = d.end
    sub = _SUBSET_RE.match(sentence[end:])
    if sub and not d.resolved:
        d = d._replace(text=d.text + " " + sub.group(1))
        end += sub.end()
    head = re.match(r"\s*(?:[\w-]+\s+){0,2}?" + _DATASET_HEADS + r"\b", sentence[end:], re.IGNORECASE)
    return d, end + (head.end() if head else 0)


def _dataset_shape(sentence: str, hit: re.Match) -> bool:
    """An untagged name after "on" is a dataset only if it looks like a name ("SummEval", "MS-COCO") and ends
    the phrase (not "on COVID-19 tweets")."""
    text = hit.group()
    if match_key(text) in _generic() or len(text) < 3:
        return False
    if not (sum(c.isupper() for c in text) >= 2 or any(c.isdigit() for c in text)):
        return False
    # Not at the very end: the name may be cut off by the digest's truncation ("on the GSM").
    return re.match(r"\s*(?:[,.;)]|and\b|with\b|" + _DATASET_HEADS + r"\b)", sentence[hit.end():],
                    re.IGNORECASE) is not None


def _leading_dataset(sentence: str, anchors: Sequence[_Anchor]) -> Optional[_Anchor]:
    """ "On D, X achieves ..." / "Specifically, on RAPID's Torchdata-AR dataset, ... CAPIR improves ..."."""
    for d in anchors:
        if d.kind != "DATASET" or re.match(r"['’]s\b", sentence[d.end:]):
            continue  # the owner of the dataset named next
        head = sentence[:d.start]
        # the dataset's owner may come between: "on RAPID's Torchdata-AR dataset"
        if not re.fullmatch(r"\s*(?:[A-Z][\w ]{0,20},\s*)?(?:on|in|for|across)\s+(?:the\s+)?(?:[\w-]+['’]s\s+)?", head,
                            re.IGNORECASE):
            return None
        tail = sentence[d.end:]
        if re.match(r"\s*(?:[\w-]+\s+){0,2}?" + _DATASET_HEADS + r"?\s*,", tail, re.IGNORECASE) or \
                re.match(r"\s*,", tail):
            return d
        return None
    return None


def _words(text: str) -> List[str]:
    return [w.lower().strip("()") for w in _WORD_RE.findall(text)]


def _subject(sentence: str, pair: _Pair, anchors: Sequence[_Anchor]) -> Tuple[Optional[_Anchor], int]:
    """The model whose score the pair is (the subject of the verb before it), and where that verb starts."""
    verbs = [v for v in _VERB_RE.finditer(sentence, 0, pair.start)
             if all(w in _OBJECT_FILLERS for w in _words(sentence[v.end():pair.start]))]
    if not verbs:
        return None, pair.start
    verb = verbs[-1]
    return _subject_of(sentence, verb, anchors), verb.start()


def _subject_of(sentence: str, verb: re.Match, anchors: Sequence[_Anchor]) -> Optional[_Anchor]:
    word = verb.group().lower()
    before = sentence[:verb.start()]
    if word in PARTICIPLES and not re.search(r",\s*(?:thereby\s+|thus\s+)?$", before):
        return None
    models = [a for a in anchors if a.kind == "MODEL" and a.end <= verb.start()]
    models += _shape_names(sentence, anchors, verb.start())
    if word in PARTICIPLES:
        # "X outperforms Y on D, achieving 85% accuracy": X, the subject of the clause the participle ends.
        clause_start = max((m.end() for m in _CLAUSE_BREAK_RE.finditer(before)), default=0)
        candidates = sorted(m for m in models if m.start >= clause_start and _is_subject(sentence, m))
        return candidates[0] if candidates else None
    for m in sorted(models, key=lambda a: -a.end):
        gap = sentence[m.end:verb.start()]
        appositive = re.search(r",\s*$", sentence[:m.start]) is not None  # "Our approach, Hyper-X, achieves"
        if _subject_gap_ok(gap, appositive) and _is_subject(sentence, m):
            return m
        break
    return None


def _subject_gap_ok(gap: str, appositive: bool = False) -> bool:
    if ";" in gap or ":" in gap or len(gap) > 60:
        return False
    if re.fullmatch(r"\s*\bwith\s+[^,;()]{0,40}?\s*", gap):  # "EVA-02 with only 304M parameters achieves"
        return True
    gap = re.sub(r"\([^()]*\)", " ", gap)  # "X (ours) achieves"
    return all(w in _SUBJECT_FILLERS for w in _words(gap)) and gap.count(",") <= 1 and (
        "," not in gap or re.search(r",\s*(?:which|that)\b", gap) is not None or (appositive and gap.strip() == ","))


def _is_subject(sentence: str, m: _Anchor) -> bool:
    if m.resolved:
        return True
    before = _words(sentence[max(0, m.start - 30):m.start])
    if before and before[-1] in _COMPARISON_WORDS:
        return False
    if len(before) >= 2 and before[-2] == "compared" and before[-1] in ("to", "with"):
        return False
    return not re.search(r"\(\s*$", sentence[:m.start])


def _shape_names(sentence: str, anchors: Sequence[_Anchor], before: int) -> List[_Anchor]:
    """Untagged names shaped like a model ("EVA-02", "Fusion-Eval", "CAPIR") right before the verb."""
    out = []
    for hit in _NAME_SHAPE_RE.finditer(sentence, 0, before):
        text = hit.group()
        if _overlaps(hit.span(), anchors) or match_key(text) in _generic():
            continue
        capitals = sum(c.isupper() for c in text)
        if len(text) < 3 or not (capitals >= 2 or any(c.isdigit() for c in text)) or text.isdigit():
            continue
        if re.search(r"['’]s$", sentence[hit.start():hit.end() + 2]):
            continue
        out.append(_Anchor(hit.start(), hit.end(), "MODEL", text))
    return out


def _compared(sentence: str, after: int, anchors: Sequence[_Anchor], pair: _Pair
              ) -> Tuple[Optional[str], Optional[Decimal]]:
    """ "surpassing the 43.14 of LLaVA-1.5", "rivaling GPT-4's 84.2", "compared to Vicuna (6.57)"."""
    value = pair.compared_value
    hit = _COMPARE_RE.match(sentence[after:])
    if not hit:
        return None, value
    start = after + hit.end()
    window = sentence[start:start + 80]
    the_of = re.match(r"(?:the\s+)?" + _VALUE + r"\s+(?:of|by|from|for)\s+", window)
    offset = start + (the_of.end() if the_of else 0)
    model = next((a for a in anchors if a.kind == "MODEL" and a.start == offset), None)
    if model is None:
        return None, value
    if the_of:
        return model.text, _number(the_of.group(1))
    rest = sentence[model.end:model.end + 30]
    own = re.match(r"(?:['’]s\s+|\s*\(\s*|\s+(?:at|with)\s+)" + _VALUE, rest)
    if own:
        return model.text, _number(own.group(1))
    return model.text, value


_COMPARE_VERB_RE = re.compile(r"\b(?:outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|exceed(?:s|ed|ing)?|"
                              r"rival(?:s|ed|ing)?)\s+(?:the\s+)?$", re.IGNORECASE)


def _compared_before(sentence: str, model: _Anchor, pair: _Pair, anchors: Sequence[_Anchor]) -> Optional[str]:
    """ "X outperforms Y on D, achieving 85.3% accuracy": Y, when it is the only model between X and the score."""
    between = [a for a in anchors if a.kind == "MODEL" and model.end <= a.start and a.end <= pair.start]
    if len(between) == 1 and _COMPARE_VERB_RE.search(sentence[model.end:between[0].start]):
        return between[0].text
    return None


def _coordinated(gap: str) -> bool:
    """A second pair of the same subject: "... on D1 and a 0.744 Spearman correlation on D2"."""
    return re.fullmatch(r"\s*(?:,\s*)?(?:and\s+)?(?:an?\s+|the\s+)?", gap) is not None


def _clean_dataset(text: str) -> str:
    """ "RAPID's Torchdata-AR" -> "Torchdata-AR" (the part the possessive qualifies)."""
    return _POSSESSIVE_PREFIX_RE.sub("", text)
