"""SHACL validation of a PaperKG graph with pySHACL against `ontology/shapes.ttl` (with the ontology's
subclass axioms, so a `kgo:Model` counts as a `kgo:Entity`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from .defaults import ONTOLOGY_DIR

__all__ = ["Violation", "validate", "format_violations"]


@dataclass(frozen=True)
class Violation:
    """One SHACL result: the focus node, the property path, the message, the severity and the offending value
    (`value`, "" when the constraint is about the node itself, such as a missing property)."""

    focus: str
    path: str
    message: str
    severity: str
    value: str = ""

    def __str__(self) -> str:
        from .query import shorten

        value = f" = {shorten(URIRef(self.value))}" if self.value.startswith(("http://", "https://")) else (
            f" = {self.value!r}" if self.value else "")
        return f"{self.severity}: {shorten(URIRef(self.focus))} {self.path}{value}: {self.message}"


def _shapes() -> Tuple[Graph, Graph]:
    return (Graph().parse(ONTOLOGY_DIR / "shapes.ttl"), Graph().parse(ONTOLOGY_DIR / "paperkg.ttl"))


def validate(graph: Graph, shapes: Optional[Graph] = None) -> Tuple[bool, List[Violation]]:
    """(conforms, violations sorted by focus node) of `graph` against PaperKG's shapes."""
    import pyshacl

    shapes_graph, ontology = _shapes()
    # No RDFS inference: the ontology's rdfs:range axioms would type every value of a property as its range, so
    # `sh:class` could never fail (kgo:evaluatedOn to a model would pass as a dataset). The ontology is still
    # mixed into the data graph, so its rdfs:subClassOf triples make a kgo:Model a SHACL instance of kgo:Entity.
    conforms, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes or shapes_graph, ont_graph=ontology, inference="none", advanced=False,
        abort_on_first=False, allow_warnings=True,
    )
    from .namespaces import bind_all

    names = bind_all(Graph()).namespace_manager
    violations = []
    for result in report.subjects(SH.resultSeverity, None):
        path = report.value(result, SH.resultPath)
        violations.append(Violation(
            focus=str(report.value(result, SH.focusNode)),
            path=names.normalizeUri(path) if isinstance(path, URIRef) else str(path or ""),
            message=str(report.value(result, SH.resultMessage) or ""),
            severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            value=str(report.value(result, SH.value) or ""),
        ))
    return bool(conforms), sorted(violations, key=lambda v: (v.focus, v.path, v.value, v.message))


def format_violations(violations: List[Violation], limit: int = 50) -> str:
    """One line per violation, at most `limit` of them (0 for all), then how many more there are."""
    limit = limit or len(violations)
    lines = [str(v) for v in violations[:limit]]
    if len(violations) > limit:
        lines.append(f"... and {len(violations) - limit} more")
    return "\n".join(lines)
