"""Training of PaperKG's statistical entity recogniser (`kg train`).

Training data: the rule-based pipeline's spans over digests (silver), overlaid with the hand-labelled gold names
projected onto the seed texts (gold wins where they overlap). The model is a spaCy `ner` with its own small
tok2vec (not a listener), so it can be sourced into the PaperKG pipeline next to the tokenizer of en_core_web_sm.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.util import filter_spans

from .components import ENTITIES
from .errors import Errors, KGError, KGWarning, Warnings
from .evaluate import load_gold, read_gold
from .parse import ParseIssue, expand_inputs, iter_papers, merge_stream
from .records import Paper

__all__ = ["NER_LABELS", "NER_CONFIG", "training_docs", "silver_papers", "train_ner"]

NER_LABELS = ("MODEL", "DATASET", "METHOD", "TASK", "METRIC")

NER_CONFIG = """
[nlp]
lang = "en"
pipeline = ["kg_ner"]
batch_size = 128

[components]

[components.kg_ner]
factory = "ner"
moves = null
update_with_oracle_cut_size = 100

[components.kg_ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.kg_ner.model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[components.kg_ner.model.tok2vec.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = 64
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [5000, 1000, 2500, 2500]
include_static_vectors = false

[components.kg_ner.model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 64
depth = 2
window_size = 1
maxout_pieces = 3

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}

[paths]
train = null
dev = null

[training]
seed = 0
dropout = 0.1
max_epochs = 0
max_steps = 3000
patience = 800
eval_frequency = 200
frozen_components = []
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001

[training.optimizer]
@optimizers = "Adam.v1"
learn_rate = 0.001

[training.score_weights]
ents_f = 1.0
ents_p = 0.0
ents_r = 0.0

[initialize]
"""

_ENGLISH_FIELDS = ("title_en", "abstract_en")


def _gold_spans(doc: Doc, names: Sequence[Tuple[str, str]]) -> List[Span]:
    spans = []
    text = doc.text  # spaCy joins every token at each access: once per Doc, not once per name
    for name, label in names:
        for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
            span = doc.char_span(m.start(), m.end(), label=label, alignment_mode="strict")
            if span is not None:
                spans.append(span)
    return spans


def training_docs(nlp: Language, papers: Iterable[Paper], gold: Optional[Dict[str, list]] = None,
                  gold_names: Optional[Dict[str, List[Tuple[str, str]]]] = None) -> List[Doc]:
    """English title and abstract Docs with `doc.ents` set: the rules' spans (silver), replaced by gold names
    where the paper is in `gold_names` (a list of (surface form, label) per arXiv id)."""
    out = []
    items = []
    for paper in papers:
        for field in _ENGLISH_FIELDS:
            text = getattr(paper, field)
            if text:
                doc = nlp.make_doc(text)
                doc._.kg_field = field
                doc._.kg_truncated = field == "abstract_en" and paper.truncated
                items.append((doc, paper.arxiv_id))
    for doc, arxiv_id in nlp.pipe(items, as_tuples=True):
        if gold_names is not None and arxiv_id in gold_names:
            spans = _gold_spans(doc, gold_names[arxiv_id])
        else:
            spans = [s for s in doc.spans.get(ENTITIES, []) if s.label_ in NER_LABELS]
        plain = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
        plain.ents = [Span(plain, s.start, s.end, label=s.label_) for s in filter_spans(spans)]
        out.append(plain)
    return out


def _gold_name_lists(path: Path) -> Dict[str, List[Tuple[str, str]]]:
    return {rec["id"]: sorted({(n, e["type"]) for e in rec.get("entities", []) for n in [e["name"], *e.get("aliases", [])]
                               if re.search(r"[A-Za-z]", n)}, key=lambda nl: -len(nl[0]))
            for rec in read_gold(path)}


def _ignore(issue: ParseIssue) -> None:
    pass


def silver_papers(inputs: Sequence[str], exclude: Sequence[str] = (), skip: Iterable[str] = (),
                  on_issue: Callable[[ParseIssue], None] = _ignore) -> List[Paper]:
    """The papers of `inputs` that may give silver spans: not in the gold files `exclude` (held-out splits),
    nor in `skip` (arXiv ids trained on with their gold names instead). Files and entries that cannot be read go
    to `on_issue`."""
    left_out = set(skip) | {k for path in exclude for k in load_gold(path)}
    papers = merge_stream(iter_papers(expand_inputs(list(inputs)), on_issue))
    return [p for k, p in papers.items() if k not in left_out]


def _model_folder_problem(path: Path) -> Optional[str]:
    """What keeps `train_ner` from replacing the folder `path` (it deletes it whole): None when it is missing,
    empty or a pipeline whose only component is kg_ner (an earlier `kg train`); `kg train -o outputs` deleted a
    build."""
    if not path.is_dir():
        return None
    try:
        if json.loads((path / "meta.json").read_text(encoding="utf-8")).get("pipeline") == ["kg_ner"]:
            return None
    except (OSError, ValueError, AttributeError):  # no meta.json, not JSON, or not an object
        pass
    names = sorted(p.name for p in path.iterdir())
    if not names:
        return None
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _check_output(path: Path) -> None:
    """KGError before any training when the model cannot be saved to `path`: a folder kg train did not write
    (E123), or a file in the way of its parent folders (E120)."""
    found = _model_folder_problem(path)
    if found:
        raise KGError(Errors.E123.format(path=path, found=found))
    there = path.absolute()
    while not there.exists():
        there = there.parent
    if not there.is_dir():
        raise KGError(Errors.E120.format(path=path, reason=f"{there} is a file, not a folder"))


def train_ner(output_dir: Path, silver_inputs: Sequence[str], gold_path: Optional[Path] = None,
              gold_inputs: Sequence[str] = (), max_steps: int = 3000, nlp: Optional[Language] = None,
              seed: int = 0, exclude: Sequence[str] = (), on_issue: Callable[[ParseIssue], None] = _ignore) -> Path:
    """Train the recogniser and save it to `output_dir` (a spaCy pipeline whose only component is `kg_ner`).

    silver_inputs: digests whose rule spans are the silver training data. gold_path / gold_inputs: a gold set and
    the digests holding its papers; their projected names are added to training and 20% of them are the dev set.
    exclude: gold files of held-out splits; their papers are left out of the silver data.
    on_issue: called with each input file or entry that cannot be read.
    `output_dir` is replaced whole, so it must be missing, empty or an earlier model (else KGError E123, checked
    before training, as are the gold files, E121). KGError E051 when no gold paper is in `gold_inputs` (a
    warning, W004, when some are not), E031 when the inputs give no text to train on.
    RETURNS (Path): the directory of the best model.
    """
    from spacy.cli.init_config import fill_config
    from spacy.cli.train import train as spacy_train

    from .nlp import load

    output_dir = Path(output_dir)
    _check_output(output_dir)
    gold_names = _gold_name_lists(gold_path) if gold_path else {}
    gold_papers = {}
    if gold_inputs:
        gold_papers = {k: v for k, v in merge_stream(iter_papers(expand_inputs(list(gold_inputs)),
                                                                 on_issue)).items() if k in gold_names}
    missing = sorted(set(gold_names) - set(gold_papers))
    if gold_names and not gold_papers:  # the gold set would add nothing, and its dev split would be silver
        raise KGError(Errors.E051.format(n=len(missing), ids=", ".join(missing[:5])))
    if missing:
        warnings.warn(Warnings.W004.format(n=len(missing), total=len(gold_names), ids=", ".join(missing[:5])),
                      KGWarning, stacklevel=2)
    papers = silver_papers(silver_inputs, exclude, skip=set(gold_papers), on_issue=on_issue)
    nlp = nlp or load()
    train_docs = training_docs(nlp, papers)
    ids = sorted(gold_papers)
    random.Random(seed).shuffle(ids)
    dev_ids = set(ids[: max(1, len(ids) // 5)]) if ids else set()
    train_docs += training_docs(nlp, [gold_papers[i] for i in ids if i not in dev_ids], gold_names=gold_names)
    if not train_docs:  # spaCy would fail on an empty corpus with a traceback (its E923)
        raise KGError(Errors.E031)
    dev_docs = training_docs(nlp, [gold_papers[i] for i in sorted(dev_ids)], gold_names=gold_names) or train_docs[:50]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        DocBin(docs=train_docs).to_disk(tmp / "train.spacy")
        DocBin(docs=dev_docs).to_disk(tmp / "dev.spacy")
        (tmp / "base.cfg").write_text(NER_CONFIG, encoding="utf-8")
        fill_config(tmp / "ner.cfg", tmp / "base.cfg", silent=True)  # spaCy's defaults for the rest
        spacy_train(tmp / "ner.cfg", output_path=tmp / "out", overrides={
            "paths.train": str(tmp / "train.spacy"), "paths.dev": str(tmp / "dev.spacy"),
            "training.max_steps": max_steps, "training.seed": seed,
        })
        try:
            if output_dir.exists():
                shutil.rmtree(output_dir)
            shutil.copytree(tmp / "out" / "model-best", output_dir)
        except OSError as exc:
            raise KGError(Errors.E120.format(path=output_dir, reason=exc.strerror or exc)) from None
    return output_dir
