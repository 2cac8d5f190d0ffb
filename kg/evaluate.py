"""Paper-level evaluation against a gold set (`eval/gold/*.jsonl`, format in eval/GUIDELINES.md).

A predicted entity of a paper matches a gold entity of the same paper when one of its names equals the gold
name or one of its aliases, case- and punctuation-insensitively (`match_key`), and its type is the gold type or
one of the gold `also_types`. Matching is one to one, so a duplicate node counts as a false positive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from .errors import Errors, KGError
from .namespaces import KGO
from .normalize import match_key
from .records import EntityType

__all__ = ["GoldEntity", "PredEntity", "Scores", "read_gold", "load_gold", "predictions_from_graph", "match_entities",
           "score", "format_scores", "evaluate_gold"]

TYPES = tuple(t.value for t in EntityType)
ROLE_NAMES = ("proposes", "uses", "evaluatesOn", "comparesWith")


@dataclass(frozen=True)
class GoldEntity:
    names: FrozenSet[str]  # match keys of name and aliases
    types: FrozenSet[str]  # type first-class plus also_types
    type: str
    roles: FrozenSet[str] = frozenset()
    label: str = ""


@dataclass(frozen=True)
class PredEntity:
    names: FrozenSet[str]
    type: str
    roles: FrozenSet[str] = frozenset()
    label: str = ""


@dataclass
class Counts:
    tp_pred: int = 0
    pred: int = 0
    tp_gold: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp_pred / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    by_type: Dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    by_role: Dict[str, Counts] = field(default_factory=lambda: {r: Counts() for r in ROLE_NAMES})
    papers: int = 0
    errors: List[Tuple[str, str, str, str]] = field(default_factory=list)  # (paper, kind, type, label)
    results: Counts = field(default_factory=Counts)  # full tuples: model, dataset, metric and value right

    def as_dict(self) -> dict:
        def row(c: Counts) -> dict:
            return {"precision": round(c.precision, 4), "recall": round(c.recall, 4), "f1": round(c.f1, 4),
                    "tp": c.tp_gold, "pred": c.pred, "gold": c.gold}

        return {"papers": self.papers, "types": {t: row(c) for t, c in self.by_type.items()},
                "roles": {r: row(c) for r, c in self.by_role.items()}, "results": row(self.results)}


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _record_problem(rec: object) -> Optional[str]:
    """Why `rec`, one parsed line of a gold file, is not a gold record as eval/GUIDELINES.md writes it; None when
    it is one. Checked before scoring: a type or role the scorer does not know was a KeyError, or silently never
    counted."""
    if not isinstance(rec, dict):
        return f"a record is a JSON object, not {type(rec).__name__}"
    if not isinstance(rec.get("id"), str) or not rec["id"].strip():
        return "the record has no \"id\" (the paper's arXiv id, a string)"
    entities, results = rec.get("entities", []), rec.get("results", [])
    if not isinstance(entities, list) or not isinstance(results, list):
        return "\"entities\" and \"results\" are lists"
    for i, e in enumerate(entities, 1):
        if not isinstance(e, dict) or not isinstance(e.get("name"), str) or not e["name"].strip():
            return f"entity {i} has no \"name\" (a string)"
        what = f"entity {i} ({e['name']!r})"
        if e.get("type") not in TYPES:
            return f"{what} has the type {e.get('type')!r}; a type is one of {', '.join(TYPES)}"
        also, roles = e.get("also_types", []), e.get("roles", [])
        if not _strings(e.get("aliases", [])) or not _strings(also) or not _strings(roles):
            return f"{what}: \"aliases\", \"also_types\" and \"roles\" are lists of strings"
        unknown = [t for t in also if t not in TYPES] + [r for r in roles if r not in ROLE_NAMES]
        if unknown:
            return (f"{what} has {unknown[0]!r} among its also_types or roles; a type is one of {', '.join(TYPES)}, "
                    f"a role one of {', '.join(ROLE_NAMES)}")
    for i, r in enumerate(results, 1):
        if not isinstance(r, dict) or not all(isinstance(r.get(k), str) for k in ("model", "dataset", "metric")):
            return f"result {i} does not name its \"model\", \"dataset\" and \"metric\" (strings)"
        if isinstance(r.get("value"), bool) or not isinstance(r.get("value"), (int, float)):
            return f"result {i} has the value {r.get('value')!r}; a value is a number"
    return None


def read_gold(path: Union[str, Path]) -> List[dict]:
    """The records of the gold file `path` (JSON Lines, eval/GUIDELINES.md), in file order. KGError E121 naming
    the line of the first one that is not UTF-8, not JSON or not a gold record (`_record_problem`), of a paper met
    twice, and for a file that holds no record."""
    records: List[dict] = []
    seen: Dict[str, int] = {}
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            where = f"{path}, line {lineno}"
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise KGError(Errors.E121.format(where=where, reason=f"not UTF-8 (byte {exc.start + 1}: {exc.reason})")
                              ) from None
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise KGError(Errors.E121.format(where=where, reason=f"invalid JSON: {exc.msg} (column {exc.colno})")
                              ) from None
            problem = _record_problem(rec)
            if problem is None and rec["id"] in seen:
                problem = f"the paper {rec['id']} has a record on line {seen[rec['id']]} too: one record per paper"
            if problem:
                raise KGError(Errors.E121.format(where=where, reason=problem))
            seen[rec["id"]] = lineno
            records.append(rec)
    if not records:
        raise KGError(Errors.E121.format(where=str(path), reason="the file holds no record (one per paper)"))
    return records


def load_gold(path: Union[str, Path]) -> Dict[str, List[GoldEntity]]:
    """Gold entities by arXiv id (KGError E121 for a file that is not a gold set, see `read_gold`)."""
    return _gold_entities(read_gold(path))


def _gold_entities(records: Iterable[dict]) -> Dict[str, List[GoldEntity]]:
    gold: Dict[str, List[GoldEntity]] = {}
    for rec in records:
        ents = []
        for e in rec.get("entities", []):
            names = frozenset(match_key(n) for n in [e["name"], *e.get("aliases", [])] if match_key(n))
            ents.append(GoldEntity(names, frozenset([e["type"], *e.get("also_types", [])]), e["type"],
                                   frozenset(e.get("roles", [])), e["name"]))
        gold[rec["id"]] = ents
    return gold


def predictions_from_graph(graph: Graph, ids: Optional[Iterable[str]] = None) -> Dict[str, List[PredEntity]]:
    """Predicted entities per paper from a PaperKG graph: every entity the paper `mentions`, with all labels."""
    from .rdf import CLASS_TYPES, ROLE_PROPERTIES, paper_iri
    from .records import Role

    wanted = list(ids) if ids is not None else [str(o) for o in graph.objects(None, KGO.arxivId)]
    out: Dict[str, List[PredEntity]] = {}
    for arxiv_id in wanted:
        p = paper_iri(arxiv_id)
        ents = []
        for e in sorted(set(graph.objects(p, KGO.mentions))):
            etype = next((CLASS_TYPES[c].value for c in graph.objects(e, RDF.type) if c in CLASS_TYPES), None)
            if etype is None:
                continue
            labels = [str(l) for l in graph.objects(e, SKOS.prefLabel)] + [str(l) for l in graph.objects(e, SKOS.altLabel)]
            roles = frozenset(r.value for r, prop in ROLE_PROPERTIES.items() if r != Role.MENTIONS and (p, prop, e) in graph)
            ents.append(PredEntity(frozenset(match_key(l) for l in labels if match_key(l)), etype, roles,
                                   labels[0] if labels else str(e)))
        out[arxiv_id] = ents
    return out


def match_entities(gold_ents: Sequence[GoldEntity], preds: Sequence[PredEntity]
                   ) -> Tuple[Dict[int, GoldEntity], Dict[int, PredEntity]]:
    """One paper's one-to-one matching: (predicted index -> its gold entity, gold index -> its predicted entity).
    Each gold entity, in order, takes the first unmatched prediction sharing a name and of an accepted type."""
    matched_pred: Dict[int, GoldEntity] = {}
    matched_gold: Dict[int, PredEntity] = {}
    for gi, g in enumerate(gold_ents):
        for pi, p in enumerate(preds):
            if pi in matched_pred or not (p.names & g.names) or p.type not in g.types:
                continue
            matched_pred[pi], matched_gold[gi] = g, p
            break
    return matched_pred, matched_gold


def score(gold: Mapping[str, List[GoldEntity]], pred: Mapping[str, List[PredEntity]],
          types: Sequence[str] = TYPES) -> Scores:
    """Precision, recall and F1 per type and per role over the papers of `gold`."""
    s = Scores()
    for arxiv_id, gold_ents in gold.items():
        s.papers += 1
        preds = list(pred.get(arxiv_id, []))
        matched_pred, matched_gold = match_entities(gold_ents, preds)
        for pi, p in enumerate(preds):
            c = s.by_type[p.type]
            c.pred += 1
            if pi in matched_pred:
                c.tp_pred += 1
            else:
                s.errors.append((arxiv_id, "FP", p.type, p.label))
        for gi, g in enumerate(gold_ents):
            c = s.by_type[g.type]
            c.gold += 1
            if gi in matched_gold:
                c.tp_gold += 1
            else:
                s.errors.append((arxiv_id, "FN", g.type, g.label))
        # roles: a (paper, entity, role) triple counts when the entity matched and carries the role
        for role in ROLE_NAMES:
            c = s.by_role[role]
            for pi, p in enumerate(preds):
                if role in p.roles:
                    c.pred += 1
                    if pi in matched_pred and role in matched_pred[pi].roles:
                        c.tp_pred += 1
                    else:
                        s.errors.append((arxiv_id, "FP", role, p.label))
            for gi, g in enumerate(gold_ents):
                if role in g.roles:
                    c.gold += 1
                    if gi in matched_gold and role in matched_gold[gi].roles:
                        c.tp_gold += 1
                    else:
                        s.errors.append((arxiv_id, "FN", role, g.label))
    return s


def format_scores(s: Scores, title: str = "") -> str:
    lines = [title] if title else []
    lines.append(f"{'type':<12}{'P':>7}{'R':>7}{'F1':>7}{'pred':>7}{'gold':>7}   ({s.papers} papers)")
    for t, c in s.by_type.items():
        lines.append(f"{t:<12}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{c.pred:>7}{c.gold:>7}")
    if any(c.gold or c.pred for c in s.by_role.values()):
        lines.append(f"{'role':<12}{'P':>7}{'R':>7}{'F1':>7}{'pred':>7}{'gold':>7}")
        for r, c in s.by_role.items():
            lines.append(f"{r:<12}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{c.pred:>7}{c.gold:>7}")
    c = s.results
    lines.append(f"{'results':<12}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{c.pred:>7}{c.gold:>7}"
                 "   (model, dataset, metric and value all right)")
    return "\n".join(lines)


def evaluate_gold(gold_path: Union[str, Path], graph: Optional[Graph] = None, inputs: Sequence[str] = (),
                  model: Optional[str] = None, nlp=None) -> Scores:
    """Score `graph`, or a graph extracted from the gold papers found in `inputs`, against the gold file.
    KGError when some gold papers are not in `graph` (E122) or `inputs` (E051): they would be scored as misses."""
    records = read_gold(gold_path)
    gold = _gold_entities(records)
    if graph is not None:
        from .rdf import paper_iri

        absent = sorted(k for k in gold if (paper_iri(k), RDF.type, KGO.Paper) not in graph)
        if absent:
            raise KGError(Errors.E122.format(n=len(absent), total=len(gold), ids=", ".join(absent[:5])))
    else:
        from .parse import expand_inputs, iter_papers, merge_stream
        from .pipeline import extract_corpus
        from .rdf import build_rdf

        if not inputs:
            raise KGError(Errors.E050)
        papers = merge_stream(iter_papers(expand_inputs(list(inputs)), lambda issue: None))
        papers = {k: v for k, v in papers.items() if k in gold}
        missing = sorted(set(gold) - set(papers))
        if missing:
            raise KGError(Errors.E051.format(n=len(missing), ids=", ".join(missing[:5])))
        assembly = extract_corpus(papers.values(), nlp=nlp, model=model)
        graph = build_rdf(papers.values(), *assembly[:3], relations=assembly.relations)
    scores = score(gold, predictions_from_graph(graph, gold))
    score_results_into(scores, records, graph)
    return scores


def results_from_graph(graph: Graph, ids: Iterable[str]) -> Dict[str, List[dict]]:
    """Result tuples per paper from a PaperKG graph, names as the entities' preferred labels."""
    from .rdf import paper_iri

    def label(node) -> str:
        return str(graph.value(node, SKOS.prefLabel) or "")

    out: Dict[str, List[dict]] = {}
    for arxiv_id in ids:
        rows = []
        for r in sorted(graph.objects(paper_iri(arxiv_id), KGO.reportsResult)):
            rows.append({"model": label(graph.value(r, KGO.resultModel)),
                         "dataset": label(graph.value(r, KGO.resultDataset)),
                         "metric": label(graph.value(r, KGO.resultMetric)),
                         "value": str(graph.value(r, KGO.value))})
        out[arxiv_id] = rows
    return out


def score_results_into(scores: Scores, records: Sequence[dict], graph: Graph) -> None:
    """Full-tuple precision/recall of results (`kg.results.score_results`) of the gold `records` (`read_gold`) into
    `scores.results`, with errors."""
    from .results import result_key, gold_aliases, score_results

    gold = {r["id"]: r.get("results", []) for r in records}
    aliases = {r["id"]: gold_aliases(r) for r in records}
    pred = results_from_graph(graph, gold)
    rs = score_results(pred, gold, aliases)
    scores.results = Counts(tp_pred=rs.tp, pred=rs.tp + rs.fp, tp_gold=rs.tp, gold=rs.tp + rs.fn)
    for arxiv_id in gold:
        names = aliases[arxiv_id]
        gold_keys = [result_key(g, names) for g in gold[arxiv_id]]
        pred_keys = [result_key(p, names) for p in pred[arxiv_id]]
        for p, k in zip(pred[arxiv_id], pred_keys):
            if k not in gold_keys:
                scores.errors.append((arxiv_id, "FP", "result", f"{p['model']} | {p['dataset']} | {p['metric']} | {p['value']}"))
        for g, k in zip(gold[arxiv_id], gold_keys):
            if k not in pred_keys:
                scores.errors.append((arxiv_id, "FN", "result", f"{g['model']} | {g['dataset']} | {g['metric']} | {g['value']}"))
