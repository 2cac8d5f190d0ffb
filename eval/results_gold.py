"""Derive gold/results.jsonl, the held-out results sample, from two independent annotation passes
(annotations/results_passA.jsonl, results_passB.jsonl; prompt in annotations/results_prompt.md; README.md, "Results
sample").

    python eval/results_gold.py

The passes agreed on all 22 tuples up to wording (two papers named a metric or a challenge differently); pass A's
wording is kept and pass B's becomes an alias, so either spelling matches. Each record carries the models, datasets
and metrics of its results as entities, only so that `kg eval` can match aliases: the split scores results, its
entity rows mean nothing.
"""

import json
from pathlib import Path

from kg.normalize import match_key
from kg.results import result_key

HERE = Path(__file__).resolve().parent
FIELDS = (("model", "MODEL"), ("dataset", "DATASET"), ("metric", "METRIC"))


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


def gold_record(a: dict, b: dict) -> dict:
    assert a["id"] == b["id"] and len(a["results"]) == len(b["results"]), a["id"]
    record = {"id": a["id"], "file": "", "title": "", "entities": _entities(a["results"], b["results"]),
              "results": [{k: r[k] for k in ("model", "dataset", "metric", "value", "unit", "compared_model",
                                              "compared_value")} for r in a["results"]]}
    names = {match_key(al): match_key(e["name"]) for e in record["entities"] for al in e["aliases"]}
    keys_a = sorted(map(str, (result_key(r, names) for r in a["results"])))
    keys_b = sorted(map(str, (result_key(r, names) for r in b["results"])))
    assert keys_a == keys_b, f"{a['id']}: the passes disagree beyond wording; adjudicate first"
    return record


def main() -> None:
    passes = [[json.loads(line) for line in (HERE / "annotations" / f"results_pass{x}.jsonl").read_text("utf-8")
               .splitlines() if line.strip()] for x in "AB"]
    records = [gold_record(a, b) for a, b in zip(*passes)]
    (HERE / "gold" / "results.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                                 "utf-8")
    print(f"{len(records)} papers, {sum(len(r['results']) for r in records)} results -> gold/results.jsonl")


if __name__ == "__main__":
    main()
