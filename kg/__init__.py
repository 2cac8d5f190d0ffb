"""PaperKG: turn daily arXiv digests into a knowledge graph of papers, models, datasets and methods.

Library API (the CLI `kg` wraps these):

    from kg import build_graph, write_build, to_networkx, export
    result = build_graph(["examples/digests"])
    write_build(result, "outputs")
"""

__version__ = "0.1.0"

from .build import BuildReport, BuildResult, build_cache_dir, build_graph, build_papers, update_build, write_build  # noqa: E402
from .errors import InputError, KGError, ModelNotFoundError  # noqa: E402
from .evaluate import evaluate_gold, format_scores  # noqa: E402
from .export import EXPORTERS, export, load_graph  # noqa: E402
from .knowledge import EntityRecord, KnowledgeGraph, LookupHit  # noqa: E402
from .network import to_networkx  # noqa: E402
from .parse import expand_inputs, parse_file  # noqa: E402
from .parse import iter_papers as _iter_papers  # noqa: E402
from .pipeline import extract_corpus, extract_mentions, iter_mentions  # noqa: E402
from .query import QueryResult, format_result, named_queries  # noqa: E402
from .validate import format_violations  # noqa: E402
from .validate import validate as validate_graph  # noqa: E402
from .records import Entity, EntityType, Link, Mention, Paper, ParseIssue, Result, Role  # noqa: E402
from .store import push as push_graph  # noqa: E402

__all__ = [
    "__version__",
    "BuildReport",
    "BuildResult",
    "build_graph",
    "build_papers",
    "update_build",
    "build_cache_dir",
    "push_graph",
    "write_build",
    "InputError",
    "KGError",
    "ModelNotFoundError",
    "evaluate_gold",
    "format_scores",
    "validate_graph",
    "format_violations",
    "EXPORTERS",
    "export",
    "load_graph",
    "KnowledgeGraph",
    "LookupHit",
    "EntityRecord",
    "QueryResult",
    "format_result",
    "named_queries",
    "to_networkx",
    "iter_papers",
    "parse_file",
    "extract_corpus",
    "extract_mentions",
    "iter_mentions",
    "Entity",
    "EntityType",
    "Link",
    "Mention",
    "Paper",
    "ParseIssue",
    "Result",
    "Role",
]


def iter_papers(inputs, on_issue=None):
    """Stream the papers of `inputs` (files, folders, globs) as `Paper` records, in file order, not merged.

    on_issue: called with each `ParseIssue` (a file or entry that cannot be read); by default they raise.
    """
    def _raise(issue):
        raise InputError(str(issue))

    return _iter_papers(expand_inputs([str(i) for i in inputs]), on_issue or _raise)
