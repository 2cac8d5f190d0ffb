"""Re-derive the papers of the sampled splits from ../shared/corpus (see README.md, "Splits").

    python eval/dev_sample.py [CORPUS_DIR]

For each sampled split (gold/dev.jsonl, gold/devnlp.jsonl, gold/fresh.jsonl, gold/audit.jsonl, gold/results.jsonl,
gold/resultsdev.jsonl, gold/devmix.jsonl, gold/fresh2.jsonl) prints its arXiv ids, sorted, and whether they equal
the ids of its gold file. Nothing else is printed: the held-out files are never parsed.
"""

import hashlib
import json
import re
import sys
from pathlib import Path

from kg.parse import iter_papers, merge_stream

HERE = Path(__file__).resolve().parent
SALT = "devgold-2026-11-21:"
NLP_SALT = "devnlp-2026-11-21:"
FRESH_SALT = "fresh-heldout-session7:"
AUDIT_SALT = "audit-session8:"
DEVMIX_SALT = "devmix-session25:"
FRESH2_SALT = "fresh2-session30:"
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


def is_nlp(name: str) -> bool:
    """The files of the LLM-heavy dev split: cn-chat cs.CL digests and the HuggingArxiv one-paper files."""
    return name.startswith("HuggingArxiv") or name.endswith("__cs.CL.md")


def gold_ids(split: str) -> set[str]:
    path = HERE / "gold" / f"{split}.jsonl"
    return {json.loads(line)["id"] for line in open(path)} if path.exists() else set()


def sample(corpus: Path, salt: str, size: int, exclude: set[str], only=lambda name: True) -> list[str]:
    """The first `size` papers of the dev files accepted by `only`, in a salted sha256 order of their ids."""
    files = [path for path in dev_files(corpus) if only(path.name)]
    papers = merge_stream(iter_papers(files, lambda issue: None))
    ids = sorted((k for k in papers if k not in exclude), key=lambda k: hashlib.sha256((salt + k).encode()).hexdigest())
    return sorted(ids[:size])


# A number a result could be: a percentage, or a decimal near a metric word, in English or Chinese (session 9).
_EN_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*%|\b\d+\.\d+\b.{0,40}\b(?:accuracy|F1|BLEU|ROUGE|AUC|score|mAP|EM|Pass@1|pass@1|"
                        r"WER|perplexity)", re.I)
_ZH_NUMBER = re.compile(r"\d+(?:\.\d+)?\s*[%％]|\d+\.\d+.{0,15}(?:准确率|精度|F1|BLEU|ROUGE|AUC|分数|得分|mAP|WER|困惑度)|"
                        r"(?:准确率|精度|F1|BLEU|ROUGE|AUC|分数|得分|mAP)[^。，]{0,10}\d+\.\d+")


def results_sample(corpus: Path, exclude: set[str], only: set[str] | None = None) -> list[str]:
    """Every paper of the dev files in no other split (or, with `only`, among those) whose abstract (English) or
    TL;DR and abstract (Chinese) states a number a result could be."""
    papers = merge_stream(iter_papers(list(dev_files(corpus)), lambda issue: None))
    return sorted(k for k, p in papers.items() if k not in exclude and (only is None or k in only) and (
        _EN_NUMBER.search(p.abstract_en or "") or _ZH_NUMBER.search((p.abstract_zh or "") + (p.tldr_zh or ""))))


def samples(corpus: Path) -> dict[str, list[str]]:
    """The samples. Each but resultsdev excludes the ones before it, so every gold paper is in one of them only;
    resultsdev is drawn from the tuning splits."""
    taken = gold_ids("seed") | gold_ids("unseen")
    dev = sample(corpus, SALT, 120, taken)
    devnlp = sample(corpus, NLP_SALT, 80, taken | set(dev), only=is_nlp)
    fresh = sample(corpus, FRESH_SALT, 100, taken | set(dev) | set(devnlp))
    audit = sample(corpus, AUDIT_SALT, 240, taken | set(dev) | set(devnlp) | set(fresh))
    results = results_sample(corpus, taken | set(dev) | set(devnlp) | set(fresh) | set(audit))
    # the tuning papers that state a number, read again for results only (session 10)
    resultsdev = results_sample(corpus, set(), only=set(dev) | set(devnlp) | set(audit))
    # a fifth set of papers, read in session 25 once before any tuning on them, then for tuning
    devmix = sample(corpus, DEVMIX_SALT, 100, taken | set(dev) | set(devnlp) | set(fresh) | set(audit) | set(results))
    # a second held-out sample, drawn in session 30 when the unseen split had been scored twenty-nine times
    fresh2 = sample(corpus, FRESH2_SALT, 100, taken | set(dev) | set(devnlp) | set(fresh) | set(audit) | set(results)
                    | set(devmix))
    return {"dev": dev, "devnlp": devnlp, "fresh": fresh, "audit": audit, "results": results,
            "resultsdev": resultsdev, "devmix": devmix, "fresh2": fresh2}


def main(corpus: Path) -> int:
    ok = True
    for split, ids in samples(corpus).items():
        same = ids == sorted(gold_ids(split))
        ok &= same
        print("\n".join(ids))
        print(f"same as gold/{split}.jsonl: {same}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "corpus"))
