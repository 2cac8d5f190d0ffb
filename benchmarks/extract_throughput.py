"""Extraction throughput: PaperKG's pipeline vs the bare en_core_web_sm pipeline, in one run.

Reads every digest of ../shared/corpus (or the paths given), extracts entities from every paper (titles,
English abstracts and the Chinese fields) with PaperKG's pipeline, then runs the bare `en_core_web_sm`
pipeline (all components) over the same English abstracts, and prints papers/s of both, their ratio and the
peak RSS of the PaperKG pass.

    python benchmarks/extract_throughput.py [DIGEST ...]
"""

from __future__ import annotations

import glob
import resource
import sys
import time
from pathlib import Path

import spacy

from kg.nlp import load, resolve_model_name
from kg.parse import expand_inputs, iter_papers, merge_stream
from kg.pipeline import extract_corpus

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(paths: list[str]) -> None:
    paths = paths or sorted(glob.glob(str(CORPUS / "*__*.md")))
    papers = list(merge_stream(iter_papers(expand_inputs(paths), lambda issue: None)).values())
    abstracts = [p.abstract_en or p.title_en for p in papers]
    print(f"{len(papers)} papers from {len(paths)} files")

    nlp = load()
    extract_corpus(papers[:20], nlp=nlp)  # warm-up
    start = time.perf_counter()
    entities, links, *_ = extract_corpus(papers, nlp=nlp)
    ours = len(papers) / (time.perf_counter() - start)
    rss = peak_rss_mb()
    print(f"paperkg pipeline {nlp.pipe_names}: {ours:.1f} papers/s, {len(entities)} entities, "
          f"{len(links)} links, peak RSS {rss:.0f} MB")

    bare = spacy.load(resolve_model_name())
    list(bare.pipe(abstracts[:20]))
    start = time.perf_counter()
    for _ in bare.pipe(abstracts, batch_size=64):
        pass
    base = len(papers) / (time.perf_counter() - start)
    print(f"bare en_core_web_sm {bare.pipe_names}: {base:.1f} papers/s (English abstracts only)")
    print(f"ratio: {ours / base:.2f}x  (target >= 3x; peak RSS target < 1500 MB: {rss:.0f} MB)")


if __name__ == "__main__":
    main(sys.argv[1:])
