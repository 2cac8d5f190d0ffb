"""PaperKG: turn daily arXiv digests into a knowledge graph of papers, models, datasets and methods.

Library API (the CLI `kg` wraps these):

    from kg import build_graph, write_build, to_networkx, export
    result = build_graph(["examples/digests"])
    write_build(result, "outputs")
"""

__version__ = "0.1.0"

from .build import BuildReport, BuildResult, build_graph, write_build  # noqa: E402
from .errors import InputError, KGError, ModelNotFoundError  # noqa: E402
from .export import EXPORTERS, export, load_graph  # noqa: E402
from .network import to_networkx  # noqa: E402
from .parse import iter_papers, parse_file  # noqa: E402
from .records import Entity, EntityType, Link, Mention, Paper, ParseIssue, Result, Role  # noqa: E402

__all__ = [
    "__version__",
    "BuildReport",
    "BuildResult",
    "build_graph",
    "write_build",
    "InputError",
    "KGError",
    "ModelNotFoundError",
    "EXPORTERS",
    "export",
    "load_graph",
    "to_networkx",
    "iter_papers",
    "parse_file",
    "Entity",
    "EntityType",
    "Link",
    "Mention",
    "Paper",
    "ParseIssue",
    "Result",
    "Role",
]
