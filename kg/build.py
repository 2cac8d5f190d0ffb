"""The build: input paths -> papers -> (extraction, resolution) -> RDF graph, with a report of everything.

`build_graph` is the library entry point; `write_build` writes `graph.ttl` and `build-report.json`.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Union

from rdflib import Graph

from . import __version__
from .defaults import BASE_IRI, GRAPH_FILENAME, PROGRESS_MIN_ITEMS, REPORT_FILENAME
from .errors import Errors, KGError
from .export import export
from .fileio import atomic_open
from .parse import IngestStats, expand_inputs, iter_papers, merge_stream
from .rdf import build_rdf
from .records import Paper, ParseIssue

__all__ = ["BuildReport", "BuildResult", "build_graph", "write_build"]


@dataclass
class BuildReport:
    """What a build read, merged, skipped and how long each stage took (written as build-report.json)."""

    version: str = __version__
    inputs: List[str] = field(default_factory=list)
    files_read: int = 0
    entries_read: int = 0
    papers: int = 0
    merged: int = 0
    bad_files: List[Dict[str, str]] = field(default_factory=list)
    skipped_entries: List[Dict[str, str]] = field(default_factory=list)
    entities: Dict[str, int] = field(default_factory=dict)
    links: int = 0
    results: int = 0
    relations: int = 0
    triples: int = 0
    timings_s: Dict[str, float] = field(default_factory=dict)

    def add_issue(self, issue: ParseIssue) -> None:
        row = {"where": issue.path if issue.line is None else f"{issue.path}:{issue.line}", "reason": issue.reason}
        (self.bad_files if issue.line is None else self.skipped_entries).append(row)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"


@dataclass
class BuildResult:
    graph: Graph
    papers: Dict[str, Paper]
    report: BuildReport


@contextmanager
def _timed(report: BuildReport, stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report.timings_s[stage] = round(report.timings_s.get(stage, 0.0) + time.perf_counter() - start, 3)


def _progress(items: Iterable, total: Optional[int], desc: str, enabled: Optional[bool]) -> Iterable:
    """A tqdm bar on stderr. `enabled=None`: only on a terminal and for at least PROGRESS_MIN_ITEMS items."""
    if enabled is False or (enabled is None and (total or 0) < PROGRESS_MIN_ITEMS):
        return items
    from tqdm import tqdm

    return tqdm(items, total=total, desc=desc, file=sys.stderr, disable=None if enabled is None else False)


def build_graph(
    inputs: Sequence[Union[str, Path]],
    *,
    extract: bool = True,
    nlp=None,
    model: Optional[str] = None,
    base_iri: str = BASE_IRI,
    skip_bad: bool = False,
    on_issue: Optional[Callable[[ParseIssue], None]] = None,
    progress: Optional[bool] = None,
) -> BuildResult:
    """Build the knowledge graph of the digests named by `inputs` (files, folders, globs).

    inputs: paths or patterns. extract: run entity extraction (else only the paper graph).
    nlp / model: a loaded pipeline, or the name of the spaCy pipeline to load (default from kg.defaults).
    skip_bad: build from the readable files when some cannot be read (else raise KGError after reporting).
    on_issue: called with each file or entry that cannot be read, as it is met.
    RETURNS (BuildResult): the graph, the merged papers by arXiv id, and the report.
    """
    report = BuildReport(inputs=[str(p) for p in inputs])
    stats = IngestStats()

    def _issue(issue: ParseIssue) -> None:
        report.add_issue(issue)
        if on_issue is not None:
            on_issue(issue)

    with _timed(report, "parse"):
        files = expand_inputs([str(p) for p in inputs])
        papers = merge_stream(iter_papers(_progress(files, len(files), "read", progress), _issue, stats), stats)
    report.files_read, report.entries_read, report.merged = stats.files, stats.entries, stats.merged
    report.papers = len(papers)
    if report.bad_files and not skip_bad:
        raise KGError(Errors.E030.format(n=len(report.bad_files)))
    if not papers:
        raise KGError(Errors.E031)

    assembly = None
    if extract:
        from .pipeline import extract_corpus

        with _timed(report, "extract"):
            assembly = extract_corpus(
                _progress(papers.values(), len(papers), "extract", progress), nlp=nlp, model=model
            )
        for entity in assembly.entities:
            report.entities[entity.type.value] = report.entities.get(entity.type.value, 0) + 1
        report.entities = dict(sorted(report.entities.items()))
        report.links, report.results = len(assembly.links), len(assembly.results)
        report.relations = len(assembly.relations)

    with _timed(report, "rdf"):
        ordered = sorted(papers.values(), key=lambda p: p.arxiv_id)
        graph = build_rdf(ordered, *(assembly[:3] if assembly else ()), base_iri=base_iri,
                          relations=assembly.relations if assembly else ())
    report.triples = len(graph)
    return BuildResult(graph, papers, report)


def write_build(result: BuildResult, outdir: Union[str, Path], fmt: str = "turtle") -> Dict[str, Path]:
    """Write the graph (`graph.ttl`) and `build-report.json` into `outdir`; returns their paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    graph_path = outdir / GRAPH_FILENAME
    with _timed(result.report, "write"):
        export(result.graph, graph_path, fmt)
    report_path = outdir / REPORT_FILENAME
    with atomic_open(report_path) as fh:
        fh.write(result.report.to_json())
    return {"graph": graph_path, "report": report_path}
