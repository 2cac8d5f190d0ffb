"""Derive the two results golds from two independent annotation passes each (README.md, "Results sample"):

- gold/results.jsonl, held out: annotations/results_passA.jsonl and results_passB.jsonl (results_prompt.md);
- gold/resultsdev.jsonl, for tuning: annotations/resultsdev_passA.jsonl and resultsdev_passB.jsonl
  (resultsdev_prompt.md).

    python eval/results_gold.py

Where the passes agree up to wording, pass A's wording is kept and pass B's becomes an alias, so either spelling
matches. Where they disagree beyond wording, ADJUDICATED names the pass kept and why. Each record carries the
models, datasets and metrics of its results as entities, only so that `kg eval` can match aliases: the split
scores results, its entity rows mean nothing.
"""

import json
from pathlib import Path

from kg.normalize import match_key
from kg.results import result_key

HERE = Path(__file__).resolve().parent
FIELDS = (("model", "MODEL"), ("dataset", "DATASET"), ("metric", "METRIC"))
SPLITS = {"results": "results_pass", "resultsdev": "resultsdev_pass"}
# (split, paper) -> the pass whose reading is kept
ADJUDICATED = {
    # B took "attack success rate" from the next sentence, which is about other languages; the 79% sentence names
    # no metric, and the guidelines then record no result.
    ("resultsdev", "2310.02446"): "A",
}


def _entities(results_a: list, results_b: list) -> list:
    entities: dict = {}
    for a, b in zip(results_a, results_b):
        for field, etype in FIELDS:
            name = a[field]
            e = entities.setdefault((etype, match_key(name)), {"name": name, "type": etype, "aliases": [],
                                                                "roles": [], "zh_only": False})
            others = set(a.get(f"{field}_aliases") or ()) | set(b.get(f"{field}_aliases") or ()) | {b[field]}
            e["aliases"] = sorted(set(e["aliases"]) | {o for o in others if match_key(o) != match_key(name)})
    return list(entities.values())


def gold_record(a: dict, b: dict, split: str = "results") -> dict:
    assert a["id"] == b["id"], (a["id"], b["id"])
    kept = ADJUDICATED.get((split, a["id"]))
    if kept:
        a = b = {"A": a, "B": b}[kept]
    assert len(a["results"]) == len(b["results"]), f"{a['id']}: the passes disagree; adjudicate first"
    record = {"id": a["id"], "file": "", "title": "", "entities": _entities(a["results"], b["results"]),
              "results": [{k: r[k] for k in ("model", "dataset", "metric", "value", "unit", "compared_model",
                                              "compared_value")} for r in a["results"]]}
    names = {match_key(al): match_key(e["name"]) for e in record["entities"] for al in e["aliases"]}
    keys_a = sorted(map(str, (result_key(r, names) for r in a["results"])))
    keys_b = sorted(map(str, (result_key(r, names) for r in b["results"])))
    assert keys_a == keys_b, f"{a['id']}: the passes disagree beyond wording; adjudicate first"
    return record


def main() -> None:
    for split, stem in SPLITS.items():
        passes = [[json.loads(line) for line in (HERE / "annotations" / f"{stem}{x}.jsonl").read_text("utf-8")
                   .splitlines() if line.strip()] for x in "AB"]
        assert len(passes[0]) == len(passes[1]), split
        records = [gold_record(a, b, split) for a, b in zip(*passes)]
        (HERE / "gold" / f"{split}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
        print(f"{len(records)} papers, {sum(len(r['results']) for r in records)} results -> gold/{split}.jsonl")


if __name__ == "__main__":
    main()
