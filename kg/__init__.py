"""PaperKG: turn daily arXiv digests into a knowledge graph of papers, models, datasets and methods.

Library API (the CLI `kg` wraps these):

    from kg import build_graph, write_build, to_networkx, export
    result = build_graph(["examples/digests"])
    write_build(result, "outputs")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, List

__version__ = "0.1.0"

# kg.export is a submodule and a function of the API: imported here, so the function is bound once and for all
# (importing the submodule later, as kg.network does, would rebind `kg.export` to the module). rdflib only.
from .export import EXPORTERS, export, load_graph  # noqa: E402

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ imports these on first use
    from .build import BuildReport, BuildResult, build_cache_dir, build_graph, build_papers, update_build, write_build
    from .errors import InputError, KGError, KGWarning, ModelNotFoundError
    from .evaluate import evaluate_gold, format_scores
    from .knowledge import EntityRecord, KnowledgeGraph, LookupHit
    from .network import to_networkx
    from .parse import expand_inputs  # noqa: F401  (not in __all__, but kg has always had it)
    from .parse import parse_file
    from .pipeline import extract_corpus, extract_mentions, iter_mentions
    from .query import QueryResult, format_result, named_queries
    from .records import Entity, EntityType, Link, Mention, Paper, ParseIssue, Result, Role
    from .store import push as push_graph
    from .validate import format_violations
    from .validate import validate as validate_graph

# Public name -> the submodule defining it, imported on first access (PEP 562): `import kg` and the commands that
# only read a built graph (kg query, kg lookup) must not pay for spaCy (kg.build, kg.pipeline), networkx,
# pySHACL or pyvis. Keep in step with the TYPE_CHECKING block above.
_LAZY = {
    **dict.fromkeys(["BuildReport", "BuildResult", "build_cache_dir", "build_graph", "build_papers", "update_build",
                     "write_build"], "build"),
    **dict.fromkeys(["InputError", "KGError", "KGWarning", "ModelNotFoundError"], "errors"),
    **dict.fromkeys(["evaluate_gold", "format_scores"], "evaluate"),
    **dict.fromkeys(["EntityRecord", "KnowledgeGraph", "LookupHit"], "knowledge"),
    "to_networkx": "network",
    **dict.fromkeys(["expand_inputs", "parse_file"], "parse"),
    **dict.fromkeys(["extract_corpus", "extract_mentions", "iter_mentions"], "pipeline"),
    **dict.fromkeys(["QueryResult", "format_result", "named_queries"], "query"),
    **dict.fromkeys(["Entity", "EntityType", "Link", "Mention", "Paper", "ParseIssue", "Result", "Role"], "records"),
    "format_violations": "validate",
}
# Public names that differ from the attribute they stand for: name -> (submodule, attribute).
_RENAMED = {"push_graph": ("store", "push"), "validate_graph": ("validate", "validate")}


def __getattr__(name: str) -> Any:
    if name in _LAZY or name in _RENAMED:
        module, attr = _RENAMED.get(name) or (_LAZY[name], name)
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value  # cached: later reads no longer reach __getattr__
        return value
    if not name.startswith("_"):
        # `import kg; kg.query.FORMATS` worked while __init__ imported every submodule: import one on first use
        try:
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise  # a submodule that exists but misses a dependency: say so, not "no attribute"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> List[str]:
    import pkgutil

    return sorted({*globals(), *_LAZY, *_RENAMED, *(m.name for m in pkgutil.iter_modules(__path__))})


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
    "KGWarning",
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
    from .errors import InputError
    from .parse import expand_inputs, iter_papers as _iter_papers

    def _raise(issue):
        raise InputError(str(issue))

    return _iter_papers(expand_inputs([str(i) for i in inputs]), on_issue or _raise)
