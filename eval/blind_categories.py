"""Categories of the false positives of one type on a gold split, as counts only: never a name, a paper id or a
sentence, so it can be run on the held-out split without reading its errors (see README.md, "Blind diagnostic").

    python eval/blind_categories.py gold/unseen.jsonl ../shared/corpus [MODEL|DATASET|METHOD|TASK|METRIC]
    python eval/blind_categories.py gold/unseen.jsonl ../shared/corpus [proposes|uses|evaluatesOn|comparesWith]
    python eval/blind_categories.py gold/results.jsonl ../shared/corpus results

Prints how many false positives there are and how they spread over papers, and counts by
- category: the gold has the same name with another type / it is inside a longer gold name / it contains a
  shorter gold name (the two boundary disagreements) / nothing like it;
- rule: the rule (`kgo:foundBy`) of the evidence of the false entity;
- field: the text field it was found in; shape: digits, capitals, one or several words.
For a role, its false links are counted by whether the entity is a false one (and which kind, as above) or a gold
entity whose gold roles lack this one (and which roles it has instead), plus the entity's type and the kind of
cue that gave the role (`kgo:roleCue` up to its colon: cue, apposition, rule, ...; a paper-level reason whole).
Missed gold entities of the type are counted by whether a prediction has the same name with another type, a
longer or a shorter name, or none (and then whether the name is written in the English or only the Chinese text);
missed roles by whether the entity was missed or which roles it was given instead.
For results, the false and the missed tuples are counted by the fields in which they differ from the closest tuple
of the same paper on the other side (or that the paper has none there), and the missed ones by whether the gold
model is a named one or the paper's unnamed own system ("OURS").
"""

import sys
from collections import Counter

from rdflib.namespace import RDF, SKOS

from kg.evaluate import ROLE_NAMES, load_gold, match_entities, predictions_from_graph
from kg.namespaces import KGO
from kg.normalize import match_key
from kg.parse import expand_inputs, iter_papers, merge_stream
from kg.pipeline import extract_corpus
from kg.rdf import build_rdf, paper_iri


def shape(label: str) -> str:
    if any(c.isdigit() for c in label):
        return "has digit"
    if label.isupper():
        return "all caps"
    return "multiword" if " " in label else "single word"


def report(wanted: str, per_paper: Counter, counts: dict) -> None:
    print(f"false {wanted}: {sum(per_paper.values())} in {len(per_paper)} papers; "
          f"per paper {dict(sorted(Counter(per_paper.values()).items()))}")
    for name, counter in counts.items():
        print(f"  {name}: {dict(counter.most_common())}")


def name_overlap(names, others):
    """How one entity's names meet those of `others`: ("same", the other's type) when a name is shared, else
    ("inside", None) or ("contains", None) when a name is part of another's or holds one, else None."""
    same = [o for o in others if names & o.names]
    if same:
        return "same", same[0].type
    if any(a in b for o in others for a in names for b in o.names):
        return "inside", None
    if any(b in a for o in others for a in names for b in o.names):
        return "contains", None
    return None


def entity_category(p, gold_ents) -> str:
    overlap = name_overlap(p.names, gold_ents)
    if overlap is None:
        return "absent from the gold"
    return {"same": f"same name, gold type {overlap[1]}", "inside": "boundary: inside a longer gold name",
            "contains": "boundary: contains a shorter gold name"}[overlap[0]]


def role_cue_kind(graph, arxiv_id: str, wanted: str, p) -> str:
    """The kind of `kgo:roleCue` of the paper's `wanted` link to the predicted entity `p` (the part before the
    colon, or the whole paper-level reason: never the paper's words)."""
    for ev in graph.objects(paper_iri(arxiv_id), KGO.hasEvidence):
        node = graph.value(ev, RDF.object)
        if str(graph.value(ev, RDF.predicate)) != str(KGO) + wanted:
            continue
        labels = {match_key(str(lab)) for prop in (SKOS.prefLabel, SKOS.altLabel) for lab in graph.objects(node, prop)}
        if labels & p.names:
            cue = str(graph.value(ev, KGO.roleCue) or "")
            return cue if cue.startswith("paper:") else cue.split(":")[0]
    return "none"


def role_main(gold, pred, wanted: str, graph) -> None:
    counts = {name: Counter() for name in ("category", "type", "cue")}
    per_paper = Counter()
    for arxiv_id, gold_ents in gold.items():
        preds = pred.get(arxiv_id, [])
        matched, _ = match_entities(gold_ents, preds)
        for pi, p in enumerate(preds):
            if wanted not in p.roles:
                continue
            if pi in matched:
                g = matched[pi]
                if wanted in g.roles:
                    continue
                other = "+".join(sorted(g.roles)) or "plain mention"
                counts["category"][f"gold entity, gold roles: {other}"] += 1
            else:
                counts["category"]["false entity: " + entity_category(p, gold_ents)] += 1
            per_paper[arxiv_id] += 1
            counts["type"][p.type] += 1
            counts["cue"][role_cue_kind(graph, arxiv_id, wanted, p)] += 1
    report(wanted, per_paper, counts)
    missed, missed_papers = Counter(), Counter()
    for arxiv_id, gold_ents in gold.items():
        _, matched_gold = match_entities(gold_ents, pred.get(arxiv_id, []))
        for gi, g in enumerate(gold_ents):
            if wanted not in g.roles:
                continue
            p = matched_gold.get(gi)
            if p is not None and wanted in p.roles:
                continue
            missed_papers[arxiv_id] += 1
            missed["entity missed" if p is None else "entity found, roles: " + ("+".join(sorted(p.roles)) or
                                                                              "plain mention")] += 1
    print(f"missed {wanted}: {sum(missed.values())} in {len(missed_papers)} papers")
    print(f"  category: {dict(missed.most_common())}")


def missed_category(g, preds, text_en: str, text_zh: str) -> str:
    overlap = name_overlap(g.names, preds)
    if overlap is not None:
        return {"same": f"predicted with another type: {overlap[1]}",
                "inside": "boundary: inside a longer predicted name",
                "contains": "boundary: contains a shorter predicted name"}[overlap[0]]
    if any(n in text_en for n in g.names):
        return "not predicted; written in the English text"
    if any(n in text_zh for n in g.names):
        return "not predicted; written only in the Chinese text"
    return "not predicted; not written as such"


_FIELDS = ("model", "dataset", "metric", "value")


def results_main(gold_path: str, graph) -> None:
    """False and missed result tuples by what is wrong with them, compared field by field (as `kg eval` keys them)
    with the closest gold (or predicted) tuple of the same paper."""
    import json

    from kg.evaluate import results_from_graph
    from kg.results import gold_aliases, result_key

    records = [json.loads(line) for line in open(gold_path, encoding="utf-8") if line.strip()]
    counts = {"false results": Counter(), "missed results": Counter(), "missed results by gold model": Counter()}
    for record in records:
        names = gold_aliases(record)
        gold = [result_key(g, names) for g in record.get("results", [])]
        pred = [result_key(p, names) for p in results_from_graph(graph, [record["id"]])[record["id"]]]
        for side, mine, theirs in (("false results", pred, gold), ("missed results", gold, pred)):
            for k in mine:
                if k in theirs:
                    continue
                if not theirs:
                    counts[side]["no tuple on the other side in the paper"] += 1
                    continue
                closest = max(theirs, key=lambda t: sum(a == b for a, b in zip(k, t)))
                counts[side]["differs in " + "+".join(f for f, a, b in zip(_FIELDS, k, closest) if a != b)] += 1
        for g in record.get("results", []):
            if result_key(g, names) not in pred:
                counts["missed results by gold model"]["OURS" if g["model"] == "OURS" else "named"] += 1
    for label, counter in counts.items():
        print(f"{label}: {dict(counter.most_common())}")


def main(gold_path: str, inputs: str, wanted: str = "MODEL") -> None:
    gold = load_gold(gold_path)
    papers = merge_stream(iter_papers(expand_inputs([inputs]), lambda issue: None))
    papers = {k: v for k, v in papers.items() if k in gold}
    assembly = extract_corpus(papers.values())
    graph = build_rdf(papers.values(), *assembly[:3], relations=assembly.relations)
    if wanted == "results":
        return results_main(gold_path, graph)
    pred = predictions_from_graph(graph, gold)
    if wanted in ROLE_NAMES:
        return role_main(gold, pred, wanted, graph)
    counts = {name: Counter() for name in ("category", "rule", "field", "shape")}
    per_paper = Counter()
    for arxiv_id, gold_ents in gold.items():
        preds = pred.get(arxiv_id, [])
        matched, _ = match_entities(gold_ents, preds)  # the matching `kg eval` scores with
        for pi, p in enumerate(preds):
            if pi in matched or p.type != wanted:
                continue
            per_paper[arxiv_id] += 1
            counts["category"][entity_category(p, gold_ents)] += 1
            rules, fields = set(), set()
            for ev in graph.objects(paper_iri(arxiv_id), KGO.hasEvidence):
                node = graph.value(ev, RDF.object)
                labels = {match_key(str(lab)) for prop in (SKOS.prefLabel, SKOS.altLabel)
                          for lab in graph.objects(node, prop)}
                if labels & p.names and graph.value(ev, RDF.type) == KGO.Evidence:
                    rules.add(str(graph.value(ev, KGO.foundBy)).split(":")[0])
                    fields.add(str(graph.value(ev, KGO.textField)))
            counts["rule"].update(rules)
            counts["field"].update(fields)
            counts["shape"][shape(p.label)] += 1
    report(wanted, per_paper, counts)
    missed = {name: Counter() for name in ("category", "shape")}
    missed_papers = Counter()
    for arxiv_id, gold_ents in gold.items():
        preds = pred.get(arxiv_id, [])
        _, matched_gold = match_entities(gold_ents, preds)
        paper = papers[arxiv_id]
        text_en = match_key(" ".join((paper.title_en, paper.tldr_en, paper.abstract_en)))
        text_zh = match_key(" ".join((paper.title_zh, paper.tldr_zh, paper.abstract_zh)))
        for gi, g in enumerate(gold_ents):
            if gi in matched_gold or g.type != wanted:
                continue
            missed_papers[arxiv_id] += 1
            missed["category"][missed_category(g, preds, text_en, text_zh)] += 1
            missed["shape"][shape(g.label)] += 1
    print(f"missed {wanted}: {sum(missed_papers.values())} in {len(missed_papers)} papers")
    for name, counter in missed.items():
        print(f"  {name}: {dict(counter.most_common())}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
