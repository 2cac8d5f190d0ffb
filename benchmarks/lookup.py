"""Lookup accuracy and named-query speed (issue #7 targets; prints figures, asserts nothing).

1. Top-1 accuracy of `KnowledgeGraph.lookup` on `eval/lookup_spellings.tsv` (spellings of entities of the seed
   graph `outputs/graph.ttl`), overall and per kind of spelling; target >= 0.95.
2. Time of every named query (`ontology/queries/*.rq`) on the graph of `../shared/corpus/` plus the seeds, unbound
   and bound to a typical value, median of several runs per engine; target < 1 s each with pyoxigraph.

    python benchmarks/lookup.py                      # builds /tmp/corpus_build/graph.ttl first if missing
    python benchmarks/lookup.py --graph G.ttl --runs 5 --engines oxigraph rdflib
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from rdflib import Literal

import kg
from kg.query import ENGINES, named_queries

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "outputs" / "graph.ttl"
SPELLINGS = ROOT / "eval" / "lookup_spellings.tsv"
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_GRAPH = Path("/tmp/corpus_build/graph.ttl")

# Parameters of the named queries, bound to the best lookup hit of a typical name (or to a literal).
TYPICAL = {
    "model": ("GPT-4", "model"), "family": ("LLaMA", "model"), "dataset": ("GSM8K", "dataset"),
    "entity": ("GPT-4", None), "base": ("Llama 2", "model"),
}
LITERALS = {"start": Literal("2024-01-01"), "end": Literal("2024-06-30")}
CLASSES = {"type": "Method"}


def spellings_accuracy(graph: kg.KnowledgeGraph) -> None:
    rows = [line.rstrip("\n").split("\t") for line in SPELLINGS.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")][1:]
    total, correct, misses = Counter(), Counter(), []
    start = time.perf_counter()
    for kind, spelling, expected in rows:
        hits = graph.lookup(spelling, limit=1)
        total[kind] += 1
        if hits and hits[0].iri == expected:
            correct[kind] += 1
        else:
            misses.append((spelling, expected.rsplit("/id/", 1)[-1], hits[0].label if hits else "-"))
    elapsed = time.perf_counter() - start
    n, ok = sum(total.values()), sum(correct.values())
    print(f"lookup top-1 accuracy on {SPELLINGS.relative_to(ROOT)}: {ok}/{n} = {ok / n:.3f} "
          f"({1000 * elapsed / n:.2f} ms per lookup, index of {len(graph.index)} entities)")
    for kind in sorted(total):
        print(f"  {kind:<13} {correct[kind]:>3}/{total[kind]:<3} = {correct[kind] / total[kind]:.3f}")
    for spelling, expected, got in misses:
        print(f"  miss: {spelling!r} -> {got!r} (expected {expected})")


def bindings_for(graph: kg.KnowledgeGraph, params) -> dict:
    out = {}
    for var, _doc in params:
        if var in TYPICAL:
            name, etype = TYPICAL[var]
            hits = graph.lookup(name, type=etype, limit=1)
            if hits:
                out[var] = hits[0]
        elif var in LITERALS:
            out[var] = LITERALS[var]
        elif var in CLASSES:
            out[var] = kg.query.to_term(kg.query.parse_binding(f"{var}=kgo:{CLASSES[var]}")[1])
    return out


def query_timings(path: Path, engines, runs: int) -> None:
    for engine in engines:
        start = time.perf_counter()
        graph = kg.KnowledgeGraph.load(path, engine=engine)
        load = time.perf_counter() - start
        start = time.perf_counter()
        len(graph.index)
        index = time.perf_counter() - start
        print(f"\n{engine}: {path} ({len(graph)} triples) loaded in {load:.2f} s, lookup index in {index:.2f} s")
        print(f"  {'query':<26} {'unbound s':>10} {'rows':>6} {'bound s':>9} {'rows':>6}  bound to")
        worst = 0.0
        for nq in named_queries().values():
            bound = bindings_for(graph, nq.parameters)
            cells = []
            for bindings in ({}, bound):
                times = []
                for _ in range(runs):
                    t0 = time.perf_counter()
                    result = graph.engine.query(nq.text, bindings)
                    times.append(time.perf_counter() - t0)
                cells.append((statistics.median(times), len(result)))
                worst = max(worst, max(times))
            shown = ", ".join(f"?{k}={getattr(v, 'label', v)}" for k, v in bound.items()) or "-"
            print(f"  {nq.name:<26} {cells[0][0]:>10.3f} {cells[0][1]:>6} {cells[1][0]:>9.3f} {cells[1][1]:>6}  {shown}")
        print(f"  slowest single run: {worst:.3f} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graph", type=Path, default=CORPUS_GRAPH, help="graph for the query timings")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--engines", nargs="+", default=["oxigraph", "rdflib"], choices=sorted(ENGINES))
    args = parser.parse_args(argv)

    spellings_accuracy(kg.KnowledgeGraph.load(SEED))
    if not args.graph.exists():
        if args.graph != CORPUS_GRAPH or not CORPUS.is_dir():
            print(f"\nno graph at {args.graph}; build one with: kg build ../shared/corpus examples/digests "
                  f"-o /tmp/corpus_build --skip-bad", file=sys.stderr)
            return 1
        print(f"\nbuilding {CORPUS_GRAPH} from {CORPUS} and the seeds (a few minutes)...", file=sys.stderr)
        result = kg.build_graph([str(CORPUS), str(ROOT / "examples" / "digests")], skip_bad=True, progress=False,
                                on_issue=lambda issue: None)
        kg.write_build(result, CORPUS_GRAPH.parent)
    query_timings(args.graph, args.engines, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
