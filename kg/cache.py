"""The build cache: what a build read and extracted, kept beside its outputs (`OUTDIR/cache/`), so that a rebuild
or `kg build --update` parses only the new inputs and extracts only new or changed papers.

Two SQLite files, records stored as JSON:

- `state.sqlite`: the input files in build order, the papers and problems read from each file (unmerged, in file
  order), the merged papers, and the build's options. A build writes it in one transaction, committed only when
  the build succeeds, so a failed update leaves the previous state as it was.
- `extractions.sqlite`: one `PaperExtraction` per arXiv id with the fingerprint of what produced it (the
  extractor's version and the paper's fields). Committed as extraction goes: an interrupted build keeps its work,
  and an entry is reused only when its fingerprint matches.

Papers are merged by replaying every file's records in build order through `merge_papers`, exactly as a full
build merges them, so an update gives the same papers as rebuilding everything.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import sqlite3
import tempfile
import typing
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from . import __version__
from .errors import Errors, KGError
from .records import Paper, PaperExtraction, ParseIssue, merge_papers

__all__ = ["CACHE_DIRNAME", "BuildCache", "to_json", "from_json", "extractor_version", "paper_fingerprint"]

#: The cache folder inside a build's output folder.
CACHE_DIRNAME = "cache"
_SCHEMA = "1"
_FETCH = 512
_COMMIT_EVERY = 500
#: Modules that play no part in the per-paper stage. The code of every other module of the package is hashed
#: into the extractor version, so changing extraction code (or adding a module to it) invalidates the cache.
_NOT_EXTRACTION = frozenset({"__init__", "__main__", "build", "cache", "cli", "evaluate", "export", "knowledge",
                             "network", "parallel", "query", "rdf", "store", "train", "validate", "viz"})


# ---------------------------------------------------------------- records <-> JSON


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def to_json(record: Any) -> str:
    """A record (frozen dataclass of scalars, enums, tuples and other records) as compact JSON."""
    return json.dumps(_plain(record), ensure_ascii=False, separators=(",", ":"))


_HINTS: Dict[type, Dict[str, Any]] = {}


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    if dataclasses.is_dataclass(tp):
        hints = _HINTS.get(tp)
        if hints is None:
            hints = _HINTS[tp] = typing.get_type_hints(tp)
        return tp(**{k: _build(hints[k], v) for k, v in value.items() if k in hints})
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        return tuple(_build(a, v) for a, v in zip(args, value))
    if origin is Union:
        options = [a for a in args if a is not type(None)]
        return _build(options[0], value) if len(options) == 1 else value
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    return value


def from_json(cls: type, text: str) -> Any:
    """The record of type `cls` that `to_json` wrote (tuples, enums and nested records restored from the type
    hints, so records gaining fields need no change here)."""
    return _build(cls, json.loads(text))


# ---------------------------------------------------------------- fingerprints


def _model_identity(nlp: Any = None, model: Optional[str] = None) -> str:
    if nlp is not None:
        meta = nlp.meta
        return f"{nlp.lang}_{meta.get('name')}-{meta.get('version')}"
    import spacy.util

    from .nlp import resolve_model_name

    name = resolve_model_name(model)
    path = Path(name) if ("/" in name or name.startswith(".")) else spacy.util.get_package_path(name)
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return name
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"


def extractor_version(nlp: Any = None, model: Optional[str] = None) -> str:
    """A hash of everything the per-paper stage depends on: PaperKG's version, the code of the extraction
    modules, the lexicon files, the trained recogniser when it is on, and the spaCy pipeline's name and version
    (from `nlp.meta`, or read from the installed package without loading it)."""
    from .defaults import LEXICON_DIR, NER_MODEL_DIR, PACKAGE_ROOT, USE_TRAINED_NER

    h = hashlib.sha1(__version__.encode())
    for path in sorted(PACKAGE_ROOT.rglob("*.py")):
        name = path.relative_to(PACKAGE_ROOT).with_suffix("").as_posix()
        if name not in _NOT_EXTRACTION:
            h.update(name.encode() + b"\0" + path.read_bytes())
    data = sorted(LEXICON_DIR.rglob("*"))
    if USE_TRAINED_NER and NER_MODEL_DIR.exists():
        data += sorted(NER_MODEL_DIR.rglob("*"))
    for path in data:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(_model_identity(nlp, model).encode())
    return h.hexdigest()


def paper_fingerprint(paper: Paper, version: str) -> str:
    """What a paper's extraction depends on: the extractor version and every field of the paper but `sources`."""
    return hashlib.sha1((version + to_json(dataclasses.replace(paper, sources=()))).encode()).hexdigest()


# ---------------------------------------------------------------- the cache


class BuildCache:
    """The cache of one build folder (or, with `directory=None`, a temporary one removed on close).

    Use as a context manager: the state is committed by `commit()`; leaving the block without it (an error)
    rolls the state back. Extractions are committed as they are stored.
    """

    def __init__(self, directory: Optional[Union[str, Path]] = None) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="kg-build-") if directory is None else None
        self.directory = Path(self._tmp.name if self._tmp else directory)
        self.persistent = self._tmp is None
        self.state = self.ext = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.state = sqlite3.connect(self.directory / "state.sqlite", isolation_level=None, timeout=1.0)
            self.ext = sqlite3.connect(self.directory / "extractions.sqlite", isolation_level=None, timeout=1.0)
            self._setup()
        except sqlite3.Error as exc:
            for conn in (self.state, self.ext):
                if conn is not None:
                    conn.close()
            reason = ("another build is using it; wait until it ends" if "locked" in str(exc)
                      else f"{exc}; delete the folder and build again")
            raise KGError(Errors.E085.format(path=self.directory, reason=reason)) from None
        self._pending = 0
        self._next_ord = 0

    def _setup(self) -> None:
        for conn in (self.state, self.ext):
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        self.state.executescript(
            """
            CREATE TABLE IF NOT EXISTS files (ord INTEGER, given TEXT, resolved TEXT PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS file_items (
                resolved TEXT, seq INTEGER, kind TEXT, record TEXT, PRIMARY KEY (resolved, seq));
            CREATE TABLE IF NOT EXISTS papers (arxiv_id TEXT PRIMARY KEY, ord INTEGER, record TEXT);
            CREATE INDEX IF NOT EXISTS papers_ord ON papers (ord);
            """
        )
        self.ext.execute(
            "CREATE TABLE IF NOT EXISTS extractions (arxiv_id TEXT PRIMARY KEY, fingerprint TEXT, record TEXT)"
        )
        for conn in (self.state, self.ext):
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                conn.execute("INSERT INTO meta VALUES ('schema', ?)", (_SCHEMA,))
            elif row[0] != _SCHEMA:
                raise sqlite3.DatabaseError(f"schema {row[0]}, this PaperKG writes {_SCHEMA}")
        self.ext.execute("BEGIN")
        # IMMEDIATE takes the write lock now: a second build of the same folder fails at once, not halfway.
        self.state.execute("BEGIN IMMEDIATE")

    # -- lifecycle

    def commit(self) -> None:
        """Make this build's state the cached one."""
        self.state.execute("COMMIT")
        self.ext.execute("COMMIT")
        self.state.execute("BEGIN IMMEDIATE")
        self.ext.execute("BEGIN")

    def close(self) -> None:
        for conn in (self.state, self.ext):
            if conn.in_transaction:
                conn.execute("ROLLBACK" if conn is self.state else "COMMIT")
            conn.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> "BuildCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- options and inputs of the build

    def has_build(self) -> bool:
        """Whether a build was committed here (an update needs one)."""
        return self.state.execute("SELECT 1 FROM meta WHERE key = 'options'").fetchone() is not None

    def options(self) -> Dict[str, Any]:
        """The options of the last committed build (inputs, extract, base_iri, model, store)."""
        row = self.state.execute("SELECT value FROM meta WHERE key = 'options'").fetchone()
        return json.loads(row[0]) if row else {}

    def set_options(self, options: Dict[str, Any]) -> None:
        self.state.execute("INSERT OR REPLACE INTO meta VALUES ('options', ?)", (json.dumps(options),))

    @classmethod
    def saved_options(cls, directory: Union[str, Path]) -> Optional[Dict[str, Any]]:
        """The options of the build cached in `directory`, or None when there is none (read without locking)."""
        path = Path(directory) / "state.sqlite"
        if not path.exists():
            return None
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'options'").fetchone()
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise KGError(Errors.E085.format(path=directory, reason=f"{exc}; delete the folder and build again")) from None
        return json.loads(row[0]) if row else None

    def files(self) -> List[Tuple[str, str]]:
        """(path as given, resolved path) of every input file, in build order."""
        return list(self.state.execute("SELECT given, resolved FROM files ORDER BY ord"))

    def set_files(self, files: List[Tuple[str, str]]) -> None:
        """Make `files` ((given, resolved), in build order) the build's inputs; items of files no longer listed
        are dropped."""
        self.state.execute("DELETE FROM files")
        self.state.executemany("INSERT INTO files VALUES (?, ?, ?)", [(i, g, r) for i, (g, r) in enumerate(files)])
        self.state.execute("DELETE FROM file_items WHERE resolved NOT IN (SELECT resolved FROM files)")

    def put_file_items(self, resolved: str, items: typing.Iterable[Union[Paper, ParseIssue]]) -> int:
        """Store what was read from one file (papers and issues, in order), replacing what was stored before.
        Returns the number of items."""
        self.state.execute("DELETE FROM file_items WHERE resolved = ?", (resolved,))
        n = 0
        for n, item in enumerate(items, 1):
            kind = "paper" if isinstance(item, Paper) else "issue"
            self.state.execute("INSERT INTO file_items VALUES (?, ?, ?, ?)", (resolved, n, kind, to_json(item)))
        return n

    def file_items(self) -> Iterator[Tuple[str, Union[Paper, ParseIssue]]]:
        """(resolved path, item) of every stored paper and issue, in build order."""
        cursor = self.state.execute(
            "SELECT f.resolved, i.kind, i.record FROM files f JOIN file_items i ON i.resolved = f.resolved "
            "ORDER BY f.ord, i.seq"
        )
        while rows := cursor.fetchmany(_FETCH):
            for resolved, kind, record in rows:
                yield resolved, from_json(Paper if kind == "paper" else ParseIssue, record)

    # -- merged papers

    def clear_papers(self) -> None:
        self.state.execute("DELETE FROM papers")
        self._next_ord = 0

    def add_paper(self, paper: Paper) -> bool:
        """Add a paper to the merged set; a paper already there is merged with it (`merge_papers`, the first
        met first). Returns True when it was merged."""
        cursor = self.state.execute(
            "INSERT OR IGNORE INTO papers VALUES (?, ?, ?)", (paper.arxiv_id, self._next_ord, to_json(paper))
        )
        if cursor.rowcount == 1:
            self._next_ord += 1
            return False
        (record,) = self.state.execute("SELECT record FROM papers WHERE arxiv_id = ?", (paper.arxiv_id,)).fetchone()
        merged = merge_papers(from_json(Paper, record), paper)
        self.state.execute("UPDATE papers SET record = ? WHERE arxiv_id = ?", (to_json(merged), paper.arxiv_id))
        return True

    def paper_count(self) -> int:
        return self.state.execute("SELECT COUNT(*) FROM papers").fetchone()[0]

    def papers(self, order: str = "ord") -> Iterator[Paper]:
        """The merged papers, first met first (`order="ord"`) or by arXiv id (`order="id"`), streamed."""
        column = {"ord": "ord", "id": "arxiv_id"}[order]
        cursor = self.state.execute(f"SELECT record FROM papers ORDER BY {column}")
        while rows := cursor.fetchmany(_FETCH):
            for (record,) in rows:
                yield from_json(Paper, record)

    # -- extractions

    def has_extraction(self, arxiv_id: str, fingerprint: str) -> bool:
        row = self.ext.execute("SELECT fingerprint FROM extractions WHERE arxiv_id = ?", (arxiv_id,)).fetchone()
        return row is not None and row[0] == fingerprint

    def put_extraction(self, extraction: PaperExtraction, fingerprint: str) -> None:
        self.ext.execute("INSERT OR REPLACE INTO extractions VALUES (?, ?, ?)",
                         (extraction.arxiv_id, fingerprint, to_json(extraction)))
        self._pending += 1
        if self._pending >= _COMMIT_EVERY:
            self.ext.execute("COMMIT")
            self.ext.execute("BEGIN")
            self._pending = 0

    def extractions(self) -> Iterator[PaperExtraction]:
        """The extraction of every merged paper, in paper order (each must have been stored)."""
        for paper_ids in _batched(self.state.execute("SELECT arxiv_id FROM papers ORDER BY ord")):
            for arxiv_id in paper_ids:
                row = self.ext.execute("SELECT record FROM extractions WHERE arxiv_id = ?", (arxiv_id,)).fetchone()
                if row is None:
                    raise KGError(Errors.E085.format(path=self.directory, reason=f"no extraction of {arxiv_id}; build again"))
                yield from_json(PaperExtraction, row[0])


def _batched(cursor: sqlite3.Cursor) -> Iterator[List[str]]:
    while rows := cursor.fetchmany(_FETCH):
        yield [r[0] for r in rows]
