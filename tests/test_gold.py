"""The gold sets under eval/gold: well-formed, and the splits share no paper (a dev or seed paper in the unseen
split would leak tuning into the held-out figure)."""

import json

import pytest

from kg.evaluate import load_gold
from kg.normalize import match_key

from .conftest import ROOT

GOLD = ROOT / "eval" / "gold"
SPLITS = ("seed", "dev", "devnlp", "unseen")
TYPES = {"MODEL", "DATASET", "METHOD", "TASK", "METRIC"}
ROLES = {"proposes", "uses", "evaluatesOn", "comparesWith"}


def records(split):
    return [json.loads(line) for line in (GOLD / f"{split}.jsonl").read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("split", SPLITS)
def test_gold_records_are_well_formed(split):
    recs = records(split)
    assert len({r["id"] for r in recs}) == len(recs) >= 60
    for r in recs:
        names = [match_key(e["name"]) for e in r["entities"]]
        assert len(names) == len(set(names)), r["id"]
        for e in r["entities"]:
            assert e["type"] in TYPES and set(e.get("also_types", [])) <= TYPES, (r["id"], e)
            assert set(e["roles"]) <= ROLES, (r["id"], e)
    assert set(load_gold(GOLD / f"{split}.jsonl")) == {r["id"] for r in recs}


def test_splits_share_no_paper():
    ids = {split: {r["id"] for r in records(split)} for split in SPLITS}
    tuned = ("seed", "dev", "devnlp")
    assert not any(ids[a] & ids[b] for a in tuned for b in tuned if a < b)
    assert not ids["dev"] & ids["unseen"] and not ids["devnlp"] & ids["unseen"]
    # One seed paper is also listed in an unseen digest; known and reported in eval/README.md. No other.
    assert ids["seed"] & ids["unseen"] == {"2402.18945"}
