"""Scale benchmark: build time, peak memory and triples as the corpus grows; Oxigraph bulk load; workers.

The corpus (../shared/corpus, else the bundled examples) is repeated under new arXiv ids ("3x2403.06537") as
`Paper` records in memory, up to each size (default 1,000, 4,000 and 16,000 papers), and built with
`kg.build_papers` both into memory (rdflib graph, then graph.ttl written) and into an Oxigraph store on disk.
Each run is a fresh subprocess, so its peak RSS is its own; the spaCy pipeline is loaded before the clock starts.
Then ~1M triples of N-Triples (the corpus graph, copied under new IRIs) are bulk-loaded into an on-disk
pyoxigraph store, and the corpus is built with 1 and 2 worker processes.

    python benchmarks/scale.py [--sizes 1000,4000,16000] [--modes memory,store] [--triples 1000000]

Targets (issue #9): time grows linearly with papers; peak RSS under 2 GB at 16k papers; 1M triples loaded
in under 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Iterator, List

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "digests"


def cpu_s() -> float:
    """CPU seconds of this process and its finished children: less sensitive than wall time to other load."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # kB on Linux


def corpus_papers():
    from kg.parse import expand_inputs, iter_papers, merge_stream

    paths = sorted(str(p) for p in CORPUS.glob("*__*.md")) if CORPUS.is_dir() else [str(EXAMPLES)]
    return list(merge_stream(iter_papers(expand_inputs(paths), lambda issue: None)).values())


def repeated(papers, size: int) -> Iterator:
    """`size` papers: the corpus again and again, each copy under new ids (streamed, not listed)."""
    n = 0
    for copy in range(size // len(papers) + 1):
        for paper in papers:
            if n == size:
                return
            yield replace(paper, arxiv_id=f"{copy}x{paper.arxiv_id}", url="")
            n += 1


# ---------------------------------------------------------------- children (one measurement each)


def child_build(size: int, mode: str) -> dict:
    import kg
    from kg.pipeline import get_nlp

    papers = corpus_papers()
    nlp = get_nlp()
    with tempfile.TemporaryDirectory(prefix="kg-scale-") as tmp:
        start, cpu = time.perf_counter(), cpu_s()
        store = Path(tmp) / "store" if mode == "store" else None
        result = kg.build_papers(repeated(papers, size), nlp=nlp, store=store, progress=False)
        built = time.perf_counter() - start
        if mode == "memory":
            kg.write_build(result, tmp)
        total, cpu = time.perf_counter() - start, cpu_s() - cpu
        on_disk = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file()) / 2**20
    return {"size": size, "mode": mode, "papers": result.report.papers, "triples": result.report.triples,
            "build_s": built, "total_s": total, "cpu_s": cpu, "load": os.getloadavg()[0], "papers_per_s": result.report.papers / total,
            "peak_rss_mb": peak_rss_mb(), "disk_mb": on_disk, "timings": result.report.timings_s}


def child_bulk(triples: int) -> dict:
    """N-Triples of the corpus graph, copied under new IRIs until there are `triples` lines, bulk-loaded."""
    import pyoxigraph as ox

    import kg
    from kg.pipeline import get_nlp
    from kg.store import write_store

    graph = kg.build_papers(corpus_papers(), nlp=get_nlp(), progress=False).graph
    lines = graph.serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    with tempfile.TemporaryDirectory(prefix="kg-bulk-") as tmp:
        path = Path(tmp) / "graph.nt"
        written = 0
        with open(path, "wb") as fh:
            copy = 0
            while written < triples:
                prefix = f"https://c{copy}.".encode()
                for line in lines[: triples - written]:
                    fh.write(line.replace(b"https://", prefix))
                written += min(len(lines), triples - written)
                copy += 1
        size_mb = path.stat().st_size / 2**20
        start = time.perf_counter()
        store = ox.Store(str(Path(tmp) / "store"))
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
        store.flush()
        seconds = time.perf_counter() - start
        loaded = len(store)
        start = time.perf_counter()
        answer = list(store.query("SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"))
        query_s = time.perf_counter() - start
        del store
        store_mb = sum(p.stat().st_size for p in (Path(tmp) / "store").rglob("*") if p.is_file()) / 2**20
        rss_single = peak_rss_mb()

        def chunks() -> Iterator[bytes]:  # what a store build hands to write_store: N-Triples pieces
            with open(path, "rb") as fh:
                while piece := fh.readlines(1 << 20):
                    yield b"".join(piece)

        start = time.perf_counter()
        batched = write_store(Path(tmp) / "store2", chunks())
        batched_s = time.perf_counter() - start
    return {"triples": loaded, "lines": written, "nt_mb": size_mb, "load_s": seconds, "store_mb": store_mb,
            "group_by_s": query_s, "classes": len(answer), "peak_rss_mb": rss_single,
            "batched_triples": batched, "batched_s": batched_s, "batched_peak_rss_mb": peak_rss_mb()}


def child_workers(workers: int) -> dict:
    import kg
    from kg.pipeline import get_nlp

    papers = corpus_papers()
    nlp = get_nlp()  # forked workers share it: the clock measures extraction, not pipeline loading
    start = time.perf_counter()
    result = kg.build_papers(papers, nlp=nlp, workers=workers, progress=False)
    seconds = time.perf_counter() - start
    return {"workers": workers, "papers": result.report.papers, "seconds": seconds, "load": os.getloadavg()[0],
            "extract_s": result.report.timings_s.get("extract"), "peak_rss_mb": peak_rss_mb()}


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- report


def main(argv: List[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,4000,16000")
    parser.add_argument("--modes", default="memory,store")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--skip-workers", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "build":
            print(json.dumps(child_build(int(rest[0]), rest[1])))
        elif kind == "bulk":
            print(json.dumps(child_bulk(int(rest[0]))))
        else:
            print(json.dumps(child_workers(int(rest[0]))))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"corpus: {CORPUS if CORPUS.is_dir() else EXAMPLES}; sizes {sizes}; one fresh process per run")
    for mode in args.modes.split(","):
        print(f"\n{mode}: {'rdflib graph + graph.ttl' if mode == 'memory' else 'Oxigraph store on disk'}")
        print(f"{'papers':>7} {'triples':>9} {'build s':>8} {'total s':>8} {'papers/s':>9} {'ms/paper':>9} "
              f"{'CPU ms/paper':>13} {'peak RSS MB':>12} {'disk MB':>8} {'load':>5}")
        rows = []
        for size in sizes:
            row = run_child("build", str(size), mode)
            rows.append(row)
            print(f"{row['papers']:>7} {row['triples']:>9} {row['build_s']:>8.1f} {row['total_s']:>8.1f} "
                  f"{row['papers_per_s']:>9.1f} {1000 * row['total_s'] / row['papers']:>9.2f} "
                  f"{1000 * row['cpu_s'] / row['papers']:>13.2f} {row['peak_rss_mb']:>12.0f} {row['disk_mb']:>8.1f} "
                  f"{row['load']:>5.1f}   stages {row['timings']}", flush=True)
        for a, b in zip(rows, rows[1:]):
            wall = (b["total_s"] / b["papers"]) / (a["total_s"] / a["papers"])
            cpu = (b["cpu_s"] / b["papers"]) / (a["cpu_s"] / a["papers"])
            print(f"  time per paper at {b['papers']} / at {a['papers']}: wall {wall:.2f}, CPU {cpu:.2f} "
                  f"(1.00 = linear)")
        big = rows[-1]
        print(f"  peak RSS at {big['papers']} papers: {big['peak_rss_mb']:.0f} MB (target < 2048 MB)")

    bulk = run_child("bulk", str(args.triples))
    print(f"\nbulk load: {bulk['triples']} triples ({bulk['nt_mb']:.0f} MB of N-Triples) into an on-disk Oxigraph "
          f"store in {bulk['load_s']:.1f} s ({bulk['triples'] / bulk['load_s']:,.0f} triples/s; target < 60 s); "
          f"store {bulk['store_mb']:.0f} MB; count by class GROUP BY {bulk['group_by_s']:.3f} s; "
          f"peak RSS {bulk['peak_rss_mb']:.0f} MB (including building the source graph)")
    print(f"  the same through kg.store.write_store (bulk loads of 16 MB): {bulk['batched_triples']} triples in "
          f"{bulk['batched_s']:.1f} s; peak RSS then {bulk['batched_peak_rss_mb']:.0f} MB")

    if not args.skip_workers:
        one, two = run_child("workers", "1"), run_child("workers", "2")
        print(f"\nworkers on the corpus ({one['papers']} papers): 1 worker {one['seconds']:.1f} s, "
              f"2 workers {two['seconds']:.1f} s: speed-up {one['seconds'] / two['seconds']:.2f}x "
              f"(extract stage {one['extract_s']:.1f} s vs {two['extract_s']:.1f} s; load average "
              f"{one['load']:.1f} / {two['load']:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main(sys.argv[1:])
