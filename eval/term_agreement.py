"""How often the gold lists a term when a paper's English text writes it (development splits only).

    python eval/term_agreement.py TERMS_FILE eval/gold/seed.jsonl:examples/digests eval/gold/dev.jsonl:../shared/corpus

TERMS_FILE has one candidate lexicon term per line (`#` starts a comment). For each term the script prints, over
all papers of the given gold files: in how many the English title or abstract contains it (whole words,
case-insensitive, singular or plural), in how many of those the gold lists it (name or alias, any type) and with
which types. It decides nothing: it is the evidence behind adding a generic-looking term to the lexicon (the
guidelines count an *established* technique as an entity, a broad field not). Never run it on the unseen split.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from kg.evaluate import load_gold
from kg.normalize import match_key
from kg.parse import expand_inputs, iter_papers, merge_stream


def _pattern(term: str) -> re.Pattern:
    # Hyphen and space are interchangeable, and a plural "s"/"es" may follow.
    body = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", term.strip()))
    return re.compile(rf"(?<![\w-]){body}(?:e?s)?(?![\w-])", re.IGNORECASE)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    terms = [t.split("#")[0].strip() for t in Path(argv[0]).read_text(encoding="utf-8").splitlines()]
    terms = [t for t in terms if t]
    texts: dict[str, str] = {}
    gold_names: dict[str, dict[str, str]] = {}
    for spec in argv[1:]:
        gold_path, _, inputs = spec.partition(":")
        gold = load_gold(gold_path)
        papers = merge_stream(iter_papers(expand_inputs([inputs]), on_issue=lambda issue: None))
        for pid, ents in gold.items():
            paper = papers.get(pid)
            if paper is None:
                continue
            texts[pid] = f"{paper.title_en}\n{paper.abstract_en}"
            gold_names[pid] = {name: e.type for e in ents for name in e.names}
    print(f"{'term':40s} {'papers':>6s} {'gold':>5s} {'ratio':>6s}  types")
    for term in terms:
        pat, key = _pattern(term), match_key(term)
        keys = {key, match_key(term + "s"), match_key(term + "es")}
        hits = [pid for pid, text in texts.items() if pat.search(text)]
        listed = Counter(gold_names[pid][k] for pid in hits for k in keys if k in gold_names[pid])
        n_listed = sum(listed.values())
        ratio = f"{n_listed / len(hits):.2f}" if hits else "-"
        print(f"{term:40s} {len(hits):6d} {n_listed:5d} {ratio:>6s}  {dict(listed) if listed else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
