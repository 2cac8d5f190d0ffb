"""The build: input paths -> papers -> (extraction, resolution) -> RDF graph, with a report of everything.

`build_graph` is the library entry point; `write_build` writes `graph.ttl` and `build-report.json`;
`update_build` adds new inputs to a build folder; `build_papers` builds from `Paper` records.

Papers and per-paper extractions stream through a cache (`kg.cache`: SQLite, in the build folder or a temporary
one), so memory does not grow with the corpus beyond the corpus-level resolution and the graph itself, and not
even the graph with `store=` (an Oxigraph store on disk). The per-paper stage can run in several processes
(`workers=`) or on a Dask cluster (`dask=`), with the same result as one process.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Union

from rdflib import Graph

from . import __version__
from .cache import CACHE_DIRNAME, BuildCache, extractor_version, paper_fingerprint
from .defaults import BASE_IRI, GRAPH_FILENAME, PROGRESS_MIN_ITEMS, REPORT_FILENAME
from .errors import Errors, InputError, KGError
from .export import export
from .fileio import atomic_open
from .parallel import chunked, extract_parallel
from .parse import expand_inputs, parse_file
from .rdf import build_rdf
from .records import Paper, ParseIssue

__all__ = ["BuildReport", "BuildResult", "build_graph", "build_papers", "update_build", "write_build", "build_cache_dir"]


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
    #: Files parsed by this run (an update reads only its new inputs; the rest comes from the cache).
    files_parsed: int = 0
    #: Papers extracted by this run, and papers whose cached extraction was still valid.
    extracted: int = 0
    reused: int = 0
    timings_s: Dict[str, float] = field(default_factory=dict)

    def add_issue(self, issue: ParseIssue) -> None:
        row = {"where": issue.path if issue.line is None else f"{issue.path}:{issue.line}", "reason": issue.reason}
        (self.bad_files if issue.line is None else self.skipped_entries).append(row)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"


@dataclass
class BuildResult:
    """The graph (None when built into an Oxigraph store: see `store`), the merged papers by arXiv id (empty
    for a store build: read them from the store), and the report."""

    graph: Optional[Graph]
    papers: Dict[str, Paper]
    report: BuildReport
    store: Optional[Path] = None


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


def _store_path(store: Optional[Union[str, Path]]) -> Optional[Path]:
    from .store import is_store_spec, parse_store_spec

    if store is None:
        return None
    if is_store_spec(store) or re.match(r"[A-Za-z][\w+.-]+:", str(store)):
        return parse_store_spec(store).resolve()  # E080 for another scheme ("fuseki:...")
    return Path(store).resolve()


def _check_store_owner(cache: BuildCache, store_path: Optional[Path], kept: bool) -> None:
    """KGError (E110) when `store_path` holds an Oxigraph store that the build kept in `cache` did not write: the
    build replaces the whole store, so another build's graph, or one loaded by hand, would be lost. Only a
    `kept` cache (`kg build -o OUT` keeps OUT/cache) knows its store; a temporary one knows nothing."""
    from .store import is_store_dir

    if kept and store_path is not None and is_store_dir(store_path) and cache.options().get("store") != str(store_path):
        raise KGError(Errors.E110.format(path=store_path))


def _dask_runner(dask: Any, model: Optional[str]) -> Any:
    if dask is None:
        return contextlib.nullcontext(None)
    from .parallel import DaskRunner

    return DaskRunner(dask, model=model)


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
    workers: int = 1,
    cache_dir: Optional[Union[str, Path]] = None,
    update: bool = False,
    store: Optional[Union[str, Path]] = None,
    dask: Any = None,
) -> BuildResult:
    """Build the knowledge graph of the digests named by `inputs` (files, folders, globs).

    inputs: paths or patterns. extract: run entity extraction (else only the paper graph).
    nlp / model: a loaded pipeline, or the name of the spaCy pipeline to load (default from kg.defaults).
    skip_bad: build from the readable files when some cannot be read (else raise KGError after reporting).
    on_issue: called with each file or entry that cannot be read, as it is met.
    workers: processes running the per-paper extraction (1: this process only); same graph whatever the number.
    cache_dir: keep what was read and extracted there (`kg build -o OUT` uses OUT/cache): papers whose cached
        extraction is still valid are not extracted again. Default: a temporary cache.
    update: add `inputs` to the build cached in `cache_dir` (the result equals a build of all the inputs).
    store: build into an Oxigraph store folder (PATH or "oxigraph:PATH") instead of an rdflib Graph.
    dask: a Dask scheduler address (or `distributed.Client`) to parse and extract on; workers load `model`.
    RETURNS (BuildResult): the graph, the merged papers by arXiv id, and the report.
    """
    if workers < 1:
        raise KGError(Errors.E088.format(n=workers))
    store_path = _store_path(store)
    report = BuildReport(inputs=[str(p) for p in inputs])
    with BuildCache(cache_dir) as cache, _dask_runner(dask, model) as runner:
        if update:
            if not cache.has_build():
                raise KGError(Errors.E084.format(path=Path(cache_dir or ".").parent))
            report.inputs = cache.options().get("inputs", []) + report.inputs
        _check_store_owner(cache, store_path, kept=cache_dir is not None)
        with _timed(report, "parse"):
            bad = _ingest(cache, [str(p) for p in inputs], update, runner, report, on_issue, progress)
        if bad and not skip_bad:
            raise KGError(Errors.E030.format(n=bad))
        result = _complete(cache, report, extract=extract, nlp=nlp, model=model, base_iri=base_iri,
                           workers=workers, runner=runner, store_path=store_path, progress=progress)
        _save_options(cache, report, extract, base_iri, model, store_path)
    return result


def _save_options(cache: BuildCache, report: BuildReport, extract: bool, base_iri: str, model: Optional[str],
                  store_path: Optional[Path]) -> None:
    """Record how this build was made, so `--update` repeats it, and commit the cache."""
    cache.set_options({"inputs": report.inputs, "extract": extract, "base_iri": base_iri, "model": model,
                       "store": str(store_path) if store_path else None})
    cache.commit()


def build_papers(
    papers: Iterable[Paper],
    *,
    extract: bool = True,
    nlp=None,
    model: Optional[str] = None,
    base_iri: str = BASE_IRI,
    progress: Optional[bool] = None,
    workers: int = 1,
    cache_dir: Optional[Union[str, Path]] = None,
    store: Optional[Union[str, Path]] = None,
    dask: Any = None,
) -> BuildResult:
    """Build the graph of a stream of `Paper` records (papers met twice are merged, as in a digest), with the
    options of `build_graph`."""
    if workers < 1:
        raise KGError(Errors.E088.format(n=workers))
    store_path = _store_path(store)
    report = BuildReport(inputs=["<papers>"])
    with BuildCache(cache_dir) as cache, _dask_runner(dask, model) as runner:
        _check_store_owner(cache, store_path, kept=cache_dir is not None)
        with _timed(report, "parse"):
            cache.set_files([("<papers>", "<papers>")])
            cache.put_file_items("<papers>", papers)
            _merge(cache, report)
        result = _complete(cache, report, extract=extract, nlp=nlp, model=model, base_iri=base_iri,
                           workers=workers, runner=runner, store_path=store_path, progress=progress)
        _save_options(cache, report, extract, base_iri, model, store_path)
    return result


def build_cache_dir(outdir: Union[str, Path]) -> Path:
    """Where a build written to `outdir` keeps its cache (what `update_build` reads)."""
    return Path(outdir) / CACHE_DIRNAME


def update_build(
    outdir: Union[str, Path],
    inputs: Sequence[Union[str, Path]],
    *,
    extract: Optional[bool] = None,
    model: Optional[str] = None,
    base_iri: Optional[str] = None,
    store: Optional[Union[str, Path]] = None,
    **options: Any,
) -> BuildResult:
    """Add `inputs` to the build in `outdir` (made by `kg build -o OUTDIR`, which keeps OUTDIR/cache): only
    the new files are parsed and only new or changed papers extracted; the result is the build of all the
    inputs. extract, model, base_iri and store default to the build's own; `options` as for `build_graph`.
    Write it with `write_build(result, outdir)`."""
    cache_dir = build_cache_dir(outdir)
    saved = BuildCache.saved_options(cache_dir)
    if saved is None:
        raise KGError(Errors.E084.format(path=outdir))
    return build_graph(
        inputs,
        extract=saved.get("extract", True) if extract is None else extract,
        model=saved.get("model") if model is None else model,
        base_iri=saved.get("base_iri", BASE_IRI) if base_iri is None else base_iri,
        store=saved.get("store") if store is None else store,
        cache_dir=cache_dir,
        update=True,
        **options,
    )


def _read_local(path: Path, on_issue: Callable[[ParseIssue], None]) -> Iterator[Union[Paper, ParseIssue]]:
    """The items of one file, streamed; a file that cannot be read ends with its issue (as `iter_papers`)."""
    try:
        for item in parse_file(path):
            if isinstance(item, ParseIssue):
                on_issue(item)
            yield item
    except InputError as exc:
        issue = ParseIssue(str(path), None, str(exc))
        on_issue(issue)
        yield issue


def _ingest(cache: BuildCache, inputs: List[str], update: bool, runner: Any, report: BuildReport,
            on_issue: Optional[Callable[[ParseIssue], None]], progress: Optional[bool]) -> int:
    """Read the files of `inputs` into the cache (after the cached ones when updating; a file given again is
    read again), then merge the papers of all files in build order. RETURNS: files that could not be read."""
    new = expand_inputs(inputs)
    found: Dict[str, str] = {}
    for given, resolved in cache.files() if update else []:
        found.setdefault(resolved, given)
    for path in new:
        found.setdefault(str(path.resolve()), str(path))
    # The order of a build of all the inputs at once: by path as given (expand_inputs' order).
    cache.set_files(sorted(((given, resolved) for resolved, given in found.items()), key=lambda f: f[0]))
    bad = 0

    def _issue(issue: ParseIssue) -> None:
        nonlocal bad
        bad += issue.line is None
        if on_issue is not None:
            on_issue(issue)

    files = _progress(new, len(new), "read", progress)
    if runner is None:
        for path in files:
            cache.put_file_items(str(path.resolve()), _read_local(path, _issue))
    else:
        for path, items, error in runner.parse(list(files)):
            for item in items:
                if isinstance(item, ParseIssue):
                    _issue(item)
            if error is not None:
                items.append(ParseIssue(str(path), None, error))
                _issue(items[-1])
            cache.put_file_items(str(path.resolve()), items)
    report.files_parsed = len(new)
    _merge(cache, report)
    return bad


def _merge(cache: BuildCache, report: BuildReport) -> None:
    """Merge the cached papers of every file in build order (`merge_papers`, as `merge_stream` does) and
    report every stored issue."""
    cache.clear_papers()
    entries = merged = 0
    for _, item in cache.file_items():
        if isinstance(item, ParseIssue):
            report.add_issue(item)
        else:
            entries += 1
            merged += cache.add_paper(item)
    report.files_read, report.entries_read, report.merged = len(cache.files()), entries, merged
    report.papers = cache.paper_count()


class _Shards:
    """N-Triples shards from Dask workers, kept in files until the graph or store is written."""

    def __init__(self, directory: Path) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="shards-", dir=directory)
        self.paths: List[Path] = []

    def add(self, data: bytes) -> None:
        path = Path(self._dir.name) / f"{len(self.paths):06d}.nt"
        path.write_bytes(data)
        self.paths.append(path)

    def chunks(self) -> Iterator[bytes]:
        for path in self.paths:
            yield path.read_bytes()

    def cleanup(self) -> None:
        self._dir.cleanup()


def _extract(cache: BuildCache, report: BuildReport, *, nlp: Any, model: Optional[str], workers: int,
             runner: Any, progress: Optional[bool]) -> Optional[_Shards]:
    """Make sure every merged paper has a valid cached extraction: extract only those without one (in this
    process, a process pool or on Dask). On Dask, workers also write the papers' own triples: returns them."""
    version = extractor_version(nlp, model)
    papers = _progress(cache.papers(), report.papers, "extract", progress)
    if runner is not None:
        shards = _Shards(cache.directory)

        def chunks() -> Iterator[tuple]:
            for chunk in chunked(papers, runner.chunk_size):
                yield chunk, [not cache.has_extraction(p.arxiv_id, paper_fingerprint(p, version)) for p in chunk]

        for chunk, extractions, shard in runner.extract(chunks()):
            prints = {p.arxiv_id: paper_fingerprint(p, version) for p in chunk}
            for ex in extractions:
                cache.put_extraction(ex, prints[ex.arxiv_id])
            report.extracted += len(extractions)
            report.reused += len(chunk) - len(extractions)
            shards.add(shard)
        return shards

    waiting: Dict[str, str] = {}

    def todo() -> Iterator[Paper]:
        for paper in papers:
            fingerprint = paper_fingerprint(paper, version)
            if cache.has_extraction(paper.arxiv_id, fingerprint):
                report.reused += 1
            else:
                waiting[paper.arxiv_id] = fingerprint
                yield paper

    for ex in extract_parallel(todo(), workers=workers, nlp=nlp, model=model):
        cache.put_extraction(ex, waiting.pop(ex.arxiv_id))
        report.extracted += 1
    return None


def _complete(cache: BuildCache, report: BuildReport, *, extract: bool, nlp: Any, model: Optional[str],
              base_iri: str, workers: int, runner: Any, store_path: Optional[Path],
              progress: Optional[bool]) -> BuildResult:
    """Extraction, resolution and RDF from the merged papers in the cache."""
    if not report.papers:
        raise KGError(Errors.E031)
    assembly = None
    shards: Optional[_Shards] = None
    try:
        if extract:
            from .pipeline import assemble

            with _timed(report, "extract"):
                shards = _extract(cache, report, nlp=nlp, model=model, workers=workers, runner=runner,
                                  progress=progress)
                assembly = assemble(cache.extractions())
            for entity in assembly.entities:
                report.entities[entity.type.value] = report.entities.get(entity.type.value, 0) + 1
            report.entities = dict(sorted(report.entities.items()))
            report.links, report.results = len(assembly.links), len(assembly.results)
            report.relations = len(assembly.relations)

        with _timed(report, "rdf"):
            if store_path is not None:
                from .store import CHUNK_RECORDS, rdf_chunks, write_store

                paper_triples = shards.chunks() if shards else rdf_chunks(cache.papers("id"))
                parts = [len(shards.paths)] if shards else [-(-report.papers // CHUNK_RECORDS)]
                parts += [-(-len(records) // CHUNK_RECORDS) for records in (assembly or ())]
                chunks = itertools.chain(paper_triples, rdf_chunks((), assembly, base_iri))
                report.triples = write_store(store_path, _progress(chunks, sum(parts), "store", progress))
                return BuildResult(None, {}, report, store_path)
            papers = {p.arxiv_id: p for p in cache.papers()}
            # With Dask the papers' own triples come from the workers' shards, the rest from build_rdf.
            ordered = [] if shards else sorted(papers.values(), key=lambda p: p.arxiv_id)
            graph = build_rdf(ordered, *(assembly[:3] if assembly else ()), base_iri=base_iri,
                              relations=assembly.relations if assembly else ())
            for chunk in shards.chunks() if shards else ():
                graph.parse(data=chunk, format="nt")
        report.triples = len(graph)
        return BuildResult(graph, papers, report)
    finally:
        if shards is not None:
            shards.cleanup()


def write_build(result: BuildResult, outdir: Union[str, Path], fmt: str = "turtle") -> Dict[str, Path]:
    """Write the graph (`graph.ttl`; not for a store build, whose graph is the store) and `build-report.json`
    into `outdir`; returns their paths ("graph" is the store folder for a store build)."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if result.graph is not None:
        graph_path = outdir / GRAPH_FILENAME
        with _timed(result.report, "write"):
            export(result.graph, graph_path, fmt)
    else:
        graph_path = result.store
    report_path = outdir / REPORT_FILENAME
    with atomic_open(report_path) as fh:
        fh.write(result.report.to_json())
    return {"graph": graph_path, "report": report_path}
