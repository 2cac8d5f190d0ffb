"""The per-paper stage of a build on several processes or on a Dask cluster.

Only work that depends on one paper (or one file) leaves the main process: parsing a file, extracting a chunk of
papers (`kg.pipeline.extract_papers`) and, on Dask, writing the papers' own triples (`kg.rdf.add_paper`) as
N-Triples. Workers load the spaCy pipeline once per process and send back picklable records
(`PaperExtraction`), never Docs; resolution across the corpus (`kg.pipeline.assemble`) stays in the main process.
Results come back in input order, a bounded number of chunks in flight, so memory stays flat however long the
stream and the output is the same as with one process.
"""

from __future__ import annotations

import itertools
import multiprocessing
import socket
from collections import deque
from pathlib import Path
from typing import Any, Callable, Deque, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from .errors import Errors, InputError, KGError
from .records import Paper, PaperExtraction, ParseIssue

__all__ = ["chunked", "extract_parallel", "DaskRunner", "CHUNK_SIZE"]

#: Papers per task sent to a worker: large enough to hide the hand-over, small enough to keep all workers busy.
CHUNK_SIZE = 32
#: Chunks in flight per worker.
_IN_FLIGHT = 3

#: Seconds to wait for a TCP connection to a Dask scheduler before asking it anything: a wrong address fails
#: at once, not after the client's whole `timeout` (30 s by default).
_PROBE_TIMEOUT = 3.0

#: The pipeline of a pool worker: inherited from the parent on fork, else loaded once by `_init_worker`.
_WORKER_NLP: Any = None


def chunked(items: Iterable[Any], size: int) -> Iterator[List[Any]]:
    """Lists of up to `size` consecutive items."""
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _in_order(submit: Callable[[List[Any]], Any], chunks: Iterable[List[Any]], window: int) -> Iterator[Any]:
    """Submit chunks as the consumer advances, at most `window` pending, and yield their results in order."""
    pending: Deque[Any] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# ---------------------------------------------------------------- local process pool


def _init_worker(model: Optional[str]) -> None:
    global _WORKER_NLP
    if _WORKER_NLP is None:
        from .pipeline import get_nlp

        _WORKER_NLP = get_nlp(model)


def _extract_chunk(papers: List[Paper]) -> List[PaperExtraction]:
    from .pipeline import extract_papers

    return list(extract_papers(papers, _WORKER_NLP))


def extract_parallel(
    papers: Iterable[Paper],
    *,
    workers: int = 1,
    nlp: Any = None,
    model: Optional[str] = None,
    chunk_size: int = CHUNK_SIZE,
    start_method: Optional[str] = None,
) -> Iterator[PaperExtraction]:
    """`kg.pipeline.extract_papers` over `workers` processes: one `PaperExtraction` per paper, in input order,
    the same records as one process gives.

    nlp: a loaded pipeline; forked workers share it (copy-on-write), so nothing is loaded again. Without it
    (or where processes are spawned) each worker loads `model` once. workers=1 runs in this process.
    start_method: "fork" (the default where there is one) or "spawn".
    """
    if workers < 1:
        raise KGError(Errors.E088.format(n=workers))
    if workers == 1:
        from .pipeline import extract_papers

        yield from extract_papers(papers, nlp, model)
        return
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER_NLP
    if start_method is None:
        start_method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(start_method)
    _WORKER_NLP = nlp if start_method == "fork" else None
    try:
        with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(model,)) as pool:
            submit = lambda chunk: pool.submit(_extract_chunk, chunk)  # noqa: E731
            for result in _in_order(submit, chunked(papers, chunk_size), workers * _IN_FLIGHT):
                yield from result
    finally:
        _WORKER_NLP = None


# ---------------------------------------------------------------- Dask


def _parse_task(path: str) -> Tuple[List[Union[Paper, ParseIssue]], Optional[str]]:
    """The items of one file and, when the file as a whole cannot be read, why (as `iter_papers` reports it)."""
    from .parse import parse_file

    items: List[Union[Paper, ParseIssue]] = []
    try:
        for item in parse_file(Path(path)):
            items.append(item)
    except InputError as exc:
        return items, str(exc)
    return items, None


def _extract_task(papers: List[Paper], todo: Sequence[bool], model: Optional[str]) -> Tuple[List[PaperExtraction], bytes]:
    """Extractions of the papers marked in `todo` and the N-Triples of all the papers' own triples."""
    from .pipeline import extract_papers, get_nlp
    from .rdf import add_paper, new_graph

    wanted = [p for p, t in zip(papers, todo) if t]
    extractions = list(extract_papers(wanted, get_nlp(model))) if wanted else []
    graph = new_graph()
    for paper in papers:
        add_paper(graph, paper)
    return extractions, graph.serialize(format="nt", encoding="utf-8")


def _pipeline_plugin(model: Optional[str]) -> Any:
    """A Dask worker plugin that loads the spaCy pipeline when a worker starts (once per worker process; tasks
    then find it in `kg.pipeline`'s cache). Defined here so `distributed` is imported only when used."""
    from distributed.diagnostics.plugin import WorkerPlugin

    class PaperKGPipeline(WorkerPlugin):
        name = "paperkg-pipeline"

        def __init__(self, model: Optional[str]) -> None:
            self.model = model

        def setup(self, worker: Any) -> None:
            from kg.pipeline import get_nlp

            get_nlp(self.model)

    return PaperKGPipeline(model)


def _probe_scheduler(address: str, timeout: float) -> None:
    """KGError E105 for an address Dask cannot read, E087 when nothing accepts a TCP connection at a tcp://
    address (or a bare HOST:PORT, which Dask reads as tcp), found within `timeout` seconds. Other schemes
    (tls://, inproc://, ...) are left to the client."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)  # the default scheme (tcp) for HOST:PORT, as the client does
        if scheme != "tcp":
            return
        host, port = parse_host_port(location)
    except ValueError as exc:
        raise KGError(Errors.E105.format(address=address, reason=exc)) from None
    if not host or not 0 < port < 65536:
        raise KGError(Errors.E105.format(address=address, reason="no host" if not host else f"port {port} is not 1-65535"))
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:  # refused, unreachable, timed out, unknown host
        raise KGError(Errors.E087.format(address=address, reason=f"nothing accepts a connection at {host} port "
                                         f"{port} ({exc.strerror or exc}); is the scheduler running there?")) from None


class DaskRunner:
    """Parsing and extraction on a Dask distributed cluster.

    scheduler: the scheduler's address ("tcp://host:8786") or a `distributed.Client`. Every worker needs
    PaperKG and the spaCy pipeline installed and must be able to read the input files (a shared file system).
    RETURNS: use as a context manager; a client made here is closed on exit.
    """

    def __init__(self, scheduler: Any, *, model: Optional[str] = None, chunk_size: int = 64,
                 timeout: float = 30.0) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise KGError(Errors.E086) from None
        self.model = model
        self.chunk_size = chunk_size
        self._own = isinstance(scheduler, str)
        if self._own:
            _probe_scheduler(scheduler, min(timeout, _PROBE_TIMEOUT))
            try:
                self.client = Client(scheduler, timeout=timeout)
            except (OSError, TimeoutError, ValueError, TypeError) as exc:  # TypeError: tls:// with no TLS settings
                raise KGError(Errors.E087.format(address=scheduler, reason=str(exc).splitlines()[0] if str(exc)
                                                 else type(exc).__name__)) from None
        else:
            self.client = scheduler
        self.client.register_plugin(_pipeline_plugin(model))

    def _window(self) -> int:
        return max(2, _IN_FLIGHT * sum(self.client.nthreads().values()))

    def parse(self, paths: Sequence[Path]) -> Iterator[Tuple[Path, List[Union[Paper, ParseIssue]], Optional[str]]]:
        """(path, items, error) of each file, in order."""
        submit = lambda chunk: self.client.submit(_parse_task, str(chunk[0]), pure=False)  # noqa: E731
        for path, (items, error) in zip(paths, _in_order(submit, ([p] for p in paths), self._window())):
            yield path, items, error

    def extract(
        self, chunks: Iterable[Tuple[List[Paper], List[bool]]]
    ) -> Iterator[Tuple[List[Paper], List[PaperExtraction], bytes]]:
        """For each (papers, todo) chunk, in order: the papers, the extractions of those marked in `todo`, and
        the N-Triples of the papers' own triples."""
        pending: Deque[List[Paper]] = deque()

        def submit(chunk: List[Tuple[List[Paper], List[bool]]]) -> Any:
            papers, todo = chunk[0]
            pending.append(papers)
            return self.client.submit(_extract_task, papers, todo, self.model, pure=False)

        for extractions, shard in _in_order(submit, ([c] for c in chunks), self._window()):
            yield pending.popleft(), extractions, shard

    def close(self) -> None:
        if self._own:
            self.client.close()

    def __enter__(self) -> "DaskRunner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
