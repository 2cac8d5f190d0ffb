"""Derive gold/audit.jsonl from the four audit judgement files (annotations/audit_part*.jsonl; README.md, "Audit").

    python eval/audit_gold.py

Each judged prediction gives a gold entity: "ok" as predicted, "wrong_type" and "boundary" as corrected
(correct_name, correct_type); "generic" and "spurious" give none. Entities listed as missed are added. Only MODEL,
DATASET and METHOD were judged, so the TASK and METRIC rows of `kg eval` on this split mean nothing.
"""

import json
from pathlib import Path

from kg.normalize import match_key
from kg.resolve import _letters_in_order

HERE = Path(__file__).resolve().parent
JUDGED_TYPES = ("MODEL", "DATASET", "METHOD")


def gold_record(judged: dict) -> dict:
    entities: dict = {}

    def add(name: str, etype: str, roles) -> None:
        if etype not in JUDGED_TYPES:
            return
        entity = entities.setdefault(match_key(name), {"name": name, "type": etype, "aliases": [], "roles": [],
                                                       "zh_only": False})
        entity["roles"] = sorted(set(entity["roles"]) | set(roles or ()))

    for j in judged["predicted"]:
        if j["verdict"] == "ok":
            add(j["name"], j["type"], j.get("gold_roles"))
        elif j["verdict"] in ("wrong_type", "boundary"):
            add(j.get("correct_name") or j["name"], j.get("correct_type") or j["type"], j.get("gold_roles"))
    for j in judged["missed"]:
        add(j["name"], j["type"], j.get("roles"))
    return {"id": judged["id"], "file": "", "title": "", "entities": _merge_long_forms(list(entities.values())),
            "results": []}


def _spells(short: str, long: str) -> bool:
    """`short` is an acronym of `long`: two capitals or more, and it starts with the long form's first letter and
    ends with its last word's ("ChatGPT" / "Chat Generative Pre-trained Transformer", not "BLOP" / "bi-level
    optimization")."""
    words = long.split()
    return (len(words) >= 2 and sum(c.isupper() for c in short) >= 2 and short[0].lower() == long[0].lower()
            and short[-1].lower() == words[-1][0].lower() and _letters_in_order(short, long))


def _merge_long_forms(entities: list) -> list:
    """A judge's corrected name can be the long form of an acronym judged on its own ("Transformer" corrected to
    "Chat Generative Pre-trained Transformer" beside "ChatGPT"): one entity, the long form an alias, as the
    guidelines ask."""
    shorts = [e for e in entities if " " not in e["name"] and len(e["name"]) <= 10]
    merged = []
    for e in entities:
        short = next((s for s in shorts if s is not e and s["type"] == e["type"] and _spells(s["name"], e["name"])),
                     None)
        if short is None:
            merged.append(e)
            continue
        short["aliases"] = sorted(set(short["aliases"]) | {e["name"]})
        short["roles"] = sorted(set(short["roles"]) | set(e["roles"]))
    return merged


def main() -> None:
    records = [gold_record(json.loads(line)) for part in sorted((HERE / "annotations").glob("audit_part*.jsonl"))
               for line in part.read_text("utf-8").splitlines() if line.strip()]
    records.sort(key=lambda r: r["id"])
    (HERE / "gold" / "audit.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                               "utf-8")
    print(f"{len(records)} papers -> gold/audit.jsonl")


if __name__ == "__main__":
    main()
