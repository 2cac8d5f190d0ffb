"""Re-derive the papers of gold/dev.jsonl from ../shared/corpus (see README.md, "Splits").

    python eval/dev_sample.py [CORPUS_DIR]

Prints the 120 arXiv ids, sorted, and whether they equal the ids of gold/dev.jsonl. Nothing else is printed:
the held-out files are parsed only to be excluded.
"""

import hashlib
import json
import re
import sys
from pathlib import Path

from kg.parse import iter_papers, merge_stream

HERE = Path(__file__).resolve().parent
SALT = "devgold-2026-11-21:"
UNSEEN_EXTRA = {"cn-chat-arxiv__2024-05-27T0905__cs.CL.md", "cn-chat-arxiv__2023-12-01T0307__cs.IR.md"}


def is_held_out(name: str) -> bool:
    """Whether the corpus file `name` belongs to the unseen split: a cn-chat digest dated 2024-09-18 or later, or
    one of the two extra unseen digests. The one statement of the rule; tests import it too."""
    m = re.match(r"cn-chat-arxiv__(\d{4}-\d{2}-\d{2})", name)
    return name in UNSEEN_EXTRA or bool(m and m.group(1) >= "2024-09-18")


def dev_files(corpus: Path):
    """The corpus files outside the unseen split."""
    for path in sorted(corpus.glob("*.md")):
        if path.name != "README.md" and not is_held_out(path.name):
            yield path


def main(corpus: Path) -> int:
    taken = {json.loads(line)["id"] for split in ("seed", "unseen") for line in open(HERE / "gold" / f"{split}.jsonl")}
    papers = merge_stream(iter_papers(list(dev_files(corpus)), lambda issue: None))
    ids = sorted((k for k in papers if k not in taken), key=lambda k: hashlib.sha256((SALT + k).encode()).hexdigest())
    sample = sorted(ids[:120])
    gold = sorted(json.loads(line)["id"] for line in open(HERE / "gold" / "dev.jsonl"))
    print("\n".join(sample))
    print(f"same as gold/dev.jsonl: {sample == gold}")
    return 0 if sample == gold else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "corpus"))
