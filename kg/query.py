"""SPARQL over a PaperKG graph: engines behind one registry, named competency queries, result formats.

Two local engines answer the same queries with the same results: pyoxigraph (SPARQL 1.1, fast; the default)
and rdflib (pure Python; the fallback). Both take values for query variables as *bindings* (pyoxigraph's
`substitutions=`, rdflib's `initBindings=`), so user text never becomes part of a query string. Both refuse a
query with a SERVICE clause (E095), which each would answer by sending part of it to the server it names: a local
query never reaches the network. A third engine sends queries to a remote SPARQL 1.1 endpoint over HTTP (urllib),
SERVICE clauses and all.

Bindings are typed by what the query does with each variable (`binding_expectations`): a name where the query
matches an IRI is read by `kg.namespaces.expand_iri` (or as a term of the ontology where it wants a property or a
class), a value the query takes from a VALUES or IN list must be one of them (the local name will do: `proposes`),
and a partial date compared with dates stands for its month or year. A value that cannot match is an error saying
what the query takes; a bound SELECT that answers nothing carries a `hint` saying which value the graph lacks.

Results are `QueryResult` records holding rdflib terms, whichever engine produced them; `format_result`
renders them as an aligned table, SPARQL CSV, SPARQL JSON or (for CONSTRUCT/DESCRIBE) Turtle.

    engine = open_engine("outputs/graph.ttl")
    result = engine.query(named_query("compared-models").text, {"model": URIRef(".../model/gpt4")})
    print(format_result(result, "table"))
"""

from __future__ import annotations

import csv
import datetime
import decimal
import enum
import functools
import io
import json
import re
import threading
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, ClassVar, Dict, Iterator, List, Mapping, Optional, Tuple, Union

from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef, Variable
from rdflib.namespace import DCTERMS, OWL, RDF, XSD
from rdflib.term import Identifier

from .defaults import ONTOLOGY_DIR
from .errors import Errors, KGError
from .export import check_json_ld, triples_of
from .namespaces import INSTANCE_FOLDERS, KGO, PREFIXES, bind_all, expand_iri, local_name
from .store import check_endpoint, store_folder

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

__all__ = [
    "Term",
    "QueryResult",
    "Engine",
    "OxigraphEngine",
    "RdflibEngine",
    "EndpointEngine",
    "ENGINES",
    "DEFAULT_ENGINE",
    "open_engine",
    "NamedQuery",
    "QUERIES_DIR",
    "named_queries",
    "named_query",
    "to_term",
    "parse_binding",
    "Expectation",
    "DATE_PROPERTIES",
    "binding_expectations",
    "FORMATS",
    "format_result",
    "shorten",
    "counted",
]

Term = Union[URIRef, Literal, BNode]
Bindings = Optional[Mapping[str, object]]

#: Where the named competency queries live (`ontology/queries/*.rq`, installed as `kg.ontology`).
QUERIES_DIR: Path = ONTOLOGY_DIR / "queries"
DEFAULT_ENGINE = "oxigraph"
#: Seconds to wait for a remote endpoint.
ENDPOINT_TIMEOUT = 30.0
#: Widest cell of the aligned table, in terminal columns (CJK characters count two).
TABLE_MAX_WIDTH = 60

_PREFIX_IRIS: Dict[str, str] = {name: str(ns) for name, ns in PREFIXES.items()}
_VARNAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_OX_POS_RE = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
_PREFIX_DECL_RE = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.I)
# "kg:model/gpt4" as an older table printed it: a prefixed name may hold no slash
_SLASHED_NAME_RE = re.compile(r"\bkg:(" + "|".join(INSTANCE_FOLDERS) + r")/([\w%.-]*\w)")
_NOT_SELECTED = "add it to the SELECT clause (SPARQL SEP-0007, which Oxigraph follows, binds selected variables only)"


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class QueryResult:
    """The answer to one query, as rdflib terms whichever engine ran it.

    kind: "select" (`variables` and `rows`, None for an unbound cell), "ask" (`boolean`) or "graph"
    (CONSTRUCT/DESCRIBE: `triples`). Iterating a SELECT result yields one dict per row of its bound variables.
    A SELECT with bindings that answered nothing says why in `hint`.
    """

    kind: str
    variables: Tuple[str, ...] = ()
    rows: Tuple[Tuple[Optional[Term], ...], ...] = ()
    boolean: Optional[bool] = None
    triples: Tuple[Tuple[Term, Term, Term], ...] = ()
    _explain: Optional[Callable[[], str]] = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def hint(self) -> str:
        """Why a SELECT with bindings has no rows: the bindings as the engine got them (typed) and which of
        their values no triple of the graph holds; "" for any other result. Worked out on first use."""
        if self.kind != "select" or self.rows or self._explain is None:
            return ""
        return self._explain()

    def __len__(self) -> int:
        """Rows, as iterating gives them: triples of a graph, the one `result` row of an ASK."""
        return len(self.triples) if self.kind == "graph" else 1 if self.kind == "ask" else len(self.rows)

    def __iter__(self) -> Iterator[Dict[str, Term]]:
        return iter(self.records())

    def __bool__(self) -> bool:
        return bool(self.boolean) if self.kind == "ask" else len(self) > 0

    def records(self) -> List[Dict[str, Term]]:
        """One `{variable: term}` dict per row (unbound variables left out); triples as s/p/o for graphs."""
        variables, rows = self.table()
        return [{v: t for v, t in zip(variables, row) if t is not None} for row in rows]

    def values(self, variable: str) -> List[object]:
        """The Python values (`Literal.toPython()`, IRIs as str) of one column, None where unbound. KGError (E072)
        for a variable that is no column."""
        variables, rows = self.table()
        if variable not in variables:
            raise KGError(Errors.E072.format(what="variable", name=variable, choices=", ".join(variables)))
        i = variables.index(variable)
        return [_python(row[i]) for row in rows]

    def __getstate__(self) -> Dict[str, object]:
        """Pickled and copied with its `hint` worked out, without the engine that works it out (a pyoxigraph
        store cannot be pickled, and copying an rdflib one copies the whole graph)."""
        return {**self.__dict__, "hint": self.hint, "_explain": None}

    def table(self) -> Tuple[Tuple[str, ...], Tuple[Tuple[Optional[Term], ...], ...]]:
        """Header and rows; a graph result is a table of subject, predicate, object; ASK one `result` cell."""
        if self.kind == "graph":
            return ("subject", "predicate", "object"), self.triples
        if self.kind == "ask":
            return ("result",), ((Literal(bool(self.boolean)),),)
        return self.variables, self.rows


def _python(term: Optional[Term]) -> object:
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.toPython()
    return str(term)


# ---------------------------------------------------------------- terms and bindings


def to_term(value: object) -> Term:
    """A Python value as an RDF term for a binding: rdflib and pyoxigraph terms as they are, records with an
    `iri` (lookup hits, entity records) as that IRI, a `Role` as its property and an `EntityType` as its class,
    bool/int/float/Decimal/date/datetime as typed literals, str as a plain literal (use `URIRef(...)` for an IRI).
    KGError for anything else."""
    from .rdf import ENTITY_CLASSES, ROLE_PROPERTIES

    if isinstance(value, Identifier):
        return value
    iri = getattr(value, "iri", None)
    if isinstance(iri, str):
        return URIRef(iri)
    if isinstance(value, enum.Enum) and (value in ROLE_PROPERTIES or value in ENTITY_CLASSES):
        return ROLE_PROPERTIES.get(value) or ENTITY_CLASSES[value]  # str enums: as text, "Role.USES"
    if type(value).__module__ == "pyoxigraph":
        return _from_ox(value)
    if isinstance(value, (bool, int, float, decimal.Decimal, datetime.date, datetime.datetime, str)):
        return Literal(value)
    raise KGError(Errors.E075.format(name="?", reason=f"cannot bind a {type(value).__name__}"))


_INT_RE = re.compile(r"^[+-]?\d+$")
_DEC_RE = re.compile(r"^[+-]?\d*\.\d+$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A literal as SPARQL writes one: "text"@lang or "text"^^datatype (<iri> or prefix:name).
_LANG_LITERAL_RE = re.compile(r'^"(.*)"@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$', re.S)
_TYPED_LITERAL_RE = re.compile(r'^"(.*)"\^\^(\S+)$', re.S)


def parse_binding(text: str) -> Tuple[str, Term]:
    """`NAME=VALUE` from the command line: an IRI as `kg.namespaces.expand_iri` reads it (`<iri>`, a bare
    http(s) or urn IRI, `prefix:local` with a predeclared prefix); an integer, decimal, yyyy-mm-dd date or
    true/false a typed literal; `"text"@zh` and `"text"^^xsd:type` as in SPARQL; `"text"` or anything else a
    plain literal. The engine then types the value by what the query does with the variable (see
    `binding_expectations`)."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _VARNAME_RE.match(name):
        raise KGError(Errors.E075.format(name=text, reason="write NAME=VALUE, e.g. model=model:gpt4"))
    tagged, typed = _LANG_LITERAL_RE.match(value), _TYPED_LITERAL_RE.match(value)
    iri = expand_iri(value)
    if tagged:
        term: Term = Literal(tagged.group(1), lang=tagged.group(2))
    elif typed:
        datatype = expand_iri(typed.group(2))
        if datatype is None:
            raise KGError(Errors.E075.format(name=name, reason=(
                f"the datatype {typed.group(2)} is no IRI: write <IRI> or prefix:name, e.g. xsd:integer")))
        term = Literal(typed.group(1), datatype=URIRef(datatype))
    elif iri is not None:
        term = URIRef(iri)
    elif value.startswith("<") and value.endswith(">"):
        term = URIRef(value[1:-1])
    elif _INT_RE.match(value):
        term = Literal(int(value))
    elif _DEC_RE.match(value):
        term = Literal(decimal.Decimal(value))
    elif _DATE_RE.match(value):
        try:
            term = Literal(datetime.date.fromisoformat(value))
        except ValueError:
            term = Literal(value)
    elif value in ("true", "false"):
        term = Literal(value == "true")
    elif len(value) >= 2 and value[0] == value[-1] == '"':
        term = Literal(value[1:-1])
    else:
        term = Literal(value)
    return name, term


def _check_bindings(bindings: Bindings, text: str = "") -> Dict[str, Term]:
    """`bindings` as RDF terms, each typed by what the query `text` expects of its variable."""
    out: Dict[str, Term] = {}
    for name, value in (bindings or {}).items():
        if not _VARNAME_RE.match(name):
            raise KGError(Errors.E075.format(name=name, reason="not a SPARQL variable name"))
        try:
            out[name] = to_term(value)
        except KGError:
            raise KGError(Errors.E075.format(name=name, reason=f"cannot bind a {type(value).__name__}")) from None
    if out and text:
        expectations = binding_expectations(text)
        for name, term in out.items():
            if name in expectations:
                out[name] = _typed(name, term, expectations[name])
    for name, term in out.items():  # what pyoxigraph refuses with a bare ValueError, and rdflib matches with nothing
        problem = _term_problem(term)
        if problem:
            raise KGError(Errors.E075.format(name=name, reason=problem))
    return out


def iri_problem(iri: str) -> Optional[str]:
    """Why `iri` is no absolute IRI (RFC 3987, as pyoxigraph checks it: "Invalid IRI code point ' '"), None when
    it is one."""
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except (ValueError, UnicodeError) as exc:
        return _first_line(exc)
    return None


def _term_problem(term: Term) -> Optional[str]:
    """Why no graph can hold `term`: an IRI that is none (see `iri_problem`), text with a lone surrogate."""
    if isinstance(term, URIRef):
        problem = iri_problem(str(term))
        return f"<{term}> is no IRI: {problem}" if problem else None
    if isinstance(term, Literal):
        if term.datatype is not None and iri_problem(str(term.datatype)):
            return f"the datatype <{term.datatype}> is no IRI: {iri_problem(str(term.datatype))}"
        try:
            str(term).encode("utf-8")
        except UnicodeError:
            return f"the text {str(term)[:40]!a} holds a lone surrogate (half of a UTF-16 pair), which no graph holds"
    return None


# ---------------------------------------------------------------- what a query expects of its bindings


@dataclass(frozen=True)
class Expectation:
    """What a query does with one variable, read from its algebra.

    iri: where the query matches it as an IRI ("the subject of a triple"), "" when it need not be one;
    ontology: "property" or "class" where a term of the ontology is wanted (a predicate, an rdf:type object);
    choices: the IRIs a VALUES block or a FILTER IN list allows; dates: where it bounds a date value, "first"
    (`?date >= ?start`: a month or year given stands for its first day) or "last" (`?date <= ?end`: its last
    day), and "exact" where it is compared with or stands for a date (a whole date is wanted).
    """

    iri: str = ""
    ontology: str = ""
    choices: Tuple[URIRef, ...] = ()
    dates: str = ""


#: Properties whose values are dates: a variable compared with their objects is a date.
DATE_PROPERTIES = frozenset({DCTERMS.date})
# Algebra nodes that keep their pattern required: a triple inside must match for any row to come out.
_REQUIRED_NODES = frozenset({"SelectQuery", "AskQuery", "ConstructQuery", "DescribeQuery", "Project", "Distinct",
                             "Reduced", "Slice", "OrderBy", "Group", "AggregateJoin", "Extend", "ToMultiSet", "Join"})
# `?value OP ?bound` with a date on the left: a bound read as the first day of its period, or as the last.
_FIRST_DAY_OPS, _LAST_DAY_OPS = frozenset({">=", "<"}), frozenset({">", "<="})
_FLIP = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "=": "=", "!=": "!="}
_DATE_FORMS = "write yyyy-mm-dd, or yyyy-mm / yyyy for a whole month or year"
_PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@functools.lru_cache(maxsize=None)
def _object_properties() -> frozenset:
    """The ontology's owl:ObjectProperty terms: their objects are IRIs."""
    graph = Graph().parse(ONTOLOGY_DIR / "paperkg.ttl", format="turtle")
    return frozenset(graph.subjects(RDF.type, OWL.ObjectProperty))


def _var_of(expr) -> Optional[str]:
    """The variable an expression is, alone or under STR(): `?date`, `STR(?date)`."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(expr, Variable):
        return str(expr)
    if isinstance(expr, CompValue) and expr.name == "Builtin_STR" and isinstance(expr.arg, Variable):
        return str(expr.arg)
    return None


class _Reader:
    """Walks a query's algebra once, noting what each variable is matched as."""

    def __init__(self) -> None:
        self.iri: Dict[str, str] = {}
        self.ontology: Dict[str, str] = {}
        self.choices: Dict[str, Tuple[URIRef, ...]] = {}
        self.date_values: set = set()  # objects of a date property
        self.comparisons: List[Tuple[str, str, str]] = []  # (left variable, op, right variable)

    def walk(self, node, required: bool) -> None:
        from rdflib.plugins.sparql.parserutils import CompValue

        if isinstance(node, (list, tuple)):
            for item in node:
                self.walk(item, required)
            return
        if not isinstance(node, CompValue):
            return
        name = node.name
        if name == "BGP":
            for triple in node.triples:
                self.triple(*triple, required)
            return
        if name == "values":
            if required:
                self.values(node.get("res") or ())
            return
        if name == "RelationalExpression":
            left, right = _var_of(node.expr), _var_of(node.get("other"))
            if left and right and node.op in _FLIP:
                self.comparisons.append((left, node.op, right))
        if name == "Filter":
            if required:
                self.conjuncts(node.expr)
            self.walk(node.expr, False)
            self.walk(node.p, required)
            return
        if name in ("LeftJoin", "Minus"):
            self.walk(node.p1, required)
            self.walk(node.p2, False)
            self.walk(node.get("expr"), False)
            return
        keep = required and name in _REQUIRED_NODES
        for key, child in node.items():
            if key != "_vars":
                self.walk(child, keep)

    def triple(self, s, p, o, required: bool) -> None:
        if p in DATE_PROPERTIES and isinstance(o, Variable):
            self.date_values.add(str(o))
        if not required:
            return
        if isinstance(s, Variable) and isinstance(p, (URIRef, Variable)):  # not a path: ^p or p* may start at text
            self.iri.setdefault(str(s), "the subject of a triple")
        if isinstance(p, Variable):
            self.iri.setdefault(str(p), "a property")
            self.ontology.setdefault(str(p), "property")
        if isinstance(o, Variable) and isinstance(p, URIRef):
            if p == RDF.type:
                self.iri.setdefault(str(o), "a class (the object of rdf:type)")
                self.ontology.setdefault(str(o), "class")
            elif p in _object_properties():
                self.iri.setdefault(str(o), f"the object of {shorten(p)}")

    def values(self, rows) -> None:
        columns: Dict[str, List[object]] = {}
        for row in rows:
            for var, term in row.items():
                columns.setdefault(str(var), []).append(term)
        for var, terms in columns.items():
            if len(terms) == len(rows) and all(isinstance(t, URIRef) for t in terms):
                self.choices[var] = tuple(dict.fromkeys(terms))

    def conjuncts(self, expr) -> None:
        """FILTER(?v IN (iri, ...)), alone or joined by &&, limits ?v to those IRIs."""
        from rdflib.plugins.sparql.parserutils import CompValue

        if not isinstance(expr, CompValue):
            return
        if expr.name == "ConditionalAndExpression":
            for part in [expr.expr] + list(expr.get("other") or ()):
                self.conjuncts(part)
        elif expr.name == "RelationalExpression" and expr.op == "IN" and isinstance(expr.expr, Variable):
            listed = list(expr.other or ())
            if listed and all(isinstance(t, URIRef) for t in listed):
                self.choices.setdefault(str(expr.expr), tuple(dict.fromkeys(listed)))

    def expectations(self) -> Dict[str, Expectation]:
        dates: Dict[str, str] = {var: "exact" for var in self.date_values}
        for left, op, right in self.comparisons:
            if right in self.date_values and left not in self.date_values:
                left, op, right = right, _FLIP[op], left
            if left in self.date_values and right not in self.date_values:
                how = "first" if op in _FIRST_DAY_OPS else "last" if op in _LAST_DAY_OPS else "exact"
                dates[right] = how if dates.get(right, how) == how else "exact"
        names = set(self.iri) | set(self.choices) | set(dates)
        return {n: Expectation(self.iri.get(n, ""), self.ontology.get(n, ""), self.choices.get(n, ()),
                               dates.get(n, "")) for n in sorted(names)}


#: rdflib's SPARQL parser and evaluator are not thread-safe: pyparsing breaks for good when two first parses run at
#: once, and evaluating an expression stores the solution on the shared prepared query (`Expr.ctx`), so two threads
#: running one prepared query mix their rows up. Reentrant: a query's hint runs queries.
_RDFLIB_LOCK = threading.RLock()


@functools.lru_cache(maxsize=256)
def _prepared(text: str) -> Tuple[Optional[Query], Optional[Exception]]:
    """rdflib's prepared query of `text` and None, or None and the error its parser raised. The one call of
    rdflib's pyparsing parser (slow), shared by `binding_expectations` and `RdflibEngine.query`. A prepared query
    keeps no state between runs, so one serves every call and graph, one run at a time (`_RDFLIB_LOCK`); a failure
    is kept too, without its traceback, so a malformed query is not parsed again. One parse at a time as well: a
    race made a valid query "malformed", kept here, and a bound query then answered nothing."""
    from rdflib.plugins.sparql import prepareQuery

    with _RDFLIB_LOCK:
        try:
            return prepareQuery(text, initNs=PREFIXES), None
        except Exception as exc:  # pyparsing's ParseBaseException, or a bare Exception for an undeclared prefix
            return None, exc.with_traceback(None)


@functools.lru_cache(maxsize=256)
def _expectations(text: str) -> Tuple[Tuple[str, Expectation], ...]:
    prepared, error = _prepared(text)
    if error is not None:  # the engine reports a malformed query with its position; Oxigraph may read more
        return ()
    reader = _Reader()
    with _RDFLIB_LOCK:  # reading the algebra while another thread evaluates it would see that thread's values
        reader.walk(prepared.algebra, True)
    return tuple(reader.expectations().items())


def binding_expectations(text: str) -> Dict[str, Expectation]:
    """What the SPARQL query `text` does with its variables, for those it constrains (see `Expectation`): a
    variable is an IRI where a required triple pattern has it as subject, predicate, class or object of an
    ontology object property; it has choices where a required VALUES block or FILTER IN lists IRIs; it is a date
    where it is compared with the object of `DATE_PROPERTIES` (a bound in `?date >= ?start`). {} for a query
    rdflib cannot parse."""
    return dict(_expectations(text))


def _typed(name: str, term: Term, expect: Expectation) -> Term:
    """`term` as the query can match it (see `binding_expectations`); KGError (E075) saying what the query takes
    when no value of that text can match."""
    if expect.choices:
        return _choice(name, term, expect.choices)
    if expect.dates:
        return _date(name, term, expect.dates)
    if expect.iri and not isinstance(term, (URIRef, BNode)):
        return _iri(name, term, expect)
    return term


def _plain(term: Term) -> Optional[str]:
    """The text of a plain (or xsd:string) literal, None for any other term."""
    if isinstance(term, Literal) and not term.language and term.datatype in (None, XSD.string):
        return str(term)
    return None


def _choice(name: str, term: Term, choices: Tuple[URIRef, ...]) -> Term:
    if term in choices:
        return term
    text = _plain(term)
    if text is not None:
        iri = expand_iri(text)
        if iri is not None and URIRef(iri) in choices:
            return URIRef(iri)
        by_local = [c for c in choices if local_name(c).lower() == text.strip().lower()]
        if len(by_local) == 1:
            return by_local[0]
    allowed = ", ".join(shorten(c) for c in choices)
    raise KGError(Errors.E075.format(name=name, reason=(
        f"{_show(term)} is none of the values the query takes: {allowed} (the name alone will do, e.g. "
        f"{name}={local_name(choices[0])})")))


def _ontology_term(text: str, kind: str) -> Optional[URIRef]:
    """The term of the closed namespace KGO named `text` (any case), if it is of `kind` (class or property)."""
    wanted = text.strip().removeprefix("kgo:").lower()
    for term in KGO.__annotations__:
        if term.lower() == wanted and term[:1].isupper() == (kind == "class"):
            return getattr(KGO, term)
    return None


def _iri(name: str, term: Term, expect: Expectation) -> URIRef:
    text = _plain(term)
    if text is not None:
        iri = expand_iri(text)
        if iri is not None:
            return URIRef(iri)
        if expect.ontology:
            found = _ontology_term(text, expect.ontology)
            if found is not None:
                return found
            terms = sorted(t for t in KGO.__annotations__ if t[:1].isupper() == (expect.ontology == "class"))
            raise KGError(Errors.E075.format(name=name, reason=(
                f"{_show(term)} is no IRI nor a {expect.ontology} of the ontology, and the query matches ?{name} as "
                f"{expect.iri}; the ontology's are: {', '.join(terms)}")))
    raise KGError(Errors.E075.format(name=name, reason=(
        f"{_show(term)} is no IRI, and the query matches ?{name} as {expect.iri}: write <IRI> or prefix:name "
        f"(model:gpt4, arxiv:2402.19474), or bind an entity by its name (kg query -e {name}=NAME; "
        f"KnowledgeGraph.resolve in Python)")))


def _date(name: str, term: Term, how: str) -> Term:
    if isinstance(term, Literal) and term.datatype in (XSD.date, XSD.dateTime):
        return term
    text = _plain(term)
    if text is None and isinstance(term, Literal) and term.datatype == XSD.integer:
        text = str(term)  # -b start=2024 reads as a number: a year
    m = _PARTIAL_DATE_RE.match(text.strip()) if text is not None else None
    if not m:
        raise KGError(Errors.E075.format(name=name, reason=(
            f"{_show(term)} is no date, and the query compares ?{name} with dates: {_DATE_FORMS}")))
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        if day is not None:
            return Literal(datetime.date(year, month, day))
        if how == "exact":
            raise KGError(Errors.E075.format(name=name, reason=(
                f"{_show(term)} is part of a date, and the query matches ?{name} with whole dates: write yyyy-mm-dd")))
        first = datetime.date(year, month or 1, 1)
        if how == "first":
            return Literal(first)
        after = datetime.date(year + (month or 12) // 12, (month or 12) % 12 + 1, 1)
        return Literal(after - datetime.timedelta(days=1))
    except ValueError:
        raise KGError(Errors.E075.format(name=name, reason=f"{_show(term)} is no date in the calendar")) from None


def _show(term: Optional[Term]) -> str:
    """A term for a message: an IRI shortened, a literal in quotes with its datatype when it has one."""
    if isinstance(term, Literal):
        if term.datatype and term.datatype != XSD.string:
            return f'"{term}"^^{shorten(term.datatype)}'
        return f'"{term}"@{term.language}' if term.language else f'"{term}"'
    return shorten(term)


# Whether a term is anywhere in the graph: subject, predicate or object of some triple.
_OCCURS = "ASK { { ?value ?p ?o } UNION { ?s ?value ?o } UNION { ?s ?p ?value } }"


def _explain_empty(engine: "Engine", text: str, terms: Mapping[str, Term]) -> str:
    """Why a bound query answered nothing: the bindings as typed, and which of their values no triple holds (a
    date bound or a value from the query's own list need not be in the graph, so those are not looked for)."""
    expectations = binding_expectations(text)
    bound = ", ".join(f"?{name} = {_show(term)}" for name, term in terms.items())
    checked = [name for name in terms if not (name in expectations and (
        expectations[name].choices or expectations[name].dates in ("first", "last")))]
    missing = [name for name in checked if not engine.query(_OCCURS, {"value": terms[name]}).boolean]
    hint = f"no row of the query has {bound}"
    if missing:
        hint += ": " + "; ".join(f"{_show(terms[n])} (?{n}) is in no triple of the graph{_tagged_twin(engine, n, terms[n])}"
                                 for n in missing)
    elif len(checked) == 1:
        hint += f" ({_show(terms[checked[0]])} is in the graph, but in no row of this query)"
    elif checked:
        hint += f" (the graph holds the values of {', '.join('?' + n for n in checked)}, but no row has them together)"
    if any(_plain(terms[n]) is not None for n in checked):
        hint += ("; text matches only text: an IRI is written <IRI> or prefix:name (model:gpt4), and kg query "
                 "-e VAR=NAME binds the entity a name finds")
    elif any(isinstance(terms[n], URIRef) for n in missing):
        hint += "; kg lookup NAME shows an entity's IRI"
    return hint


# A label or title with a language tag whose text is ?text (Chinese ones are "..."@zh). Names and titles only:
# a scan of every literal takes seconds with rdflib.
_TAGGED = ("SELECT ?text ?tagged WHERE { VALUES ?p { skos:prefLabel skos:altLabel rdfs:label dcterms:title } "
           "?s ?p ?tagged FILTER(LANG(?tagged) != '' && STR(?tagged) = ?text) } LIMIT 1")


def _tagged_twin(engine: "Engine", name: str, term: Term) -> str:
    """", but "text"@zh is (-b ...)" where plain text is in no triple but a label or title holds the same text
    with a language tag: plain text never equals a tagged literal, and the two look alike in a table."""
    text = _plain(term)
    rows = engine.query(_TAGGED, {"text": Literal(text)}).rows if text is not None else ()
    if not rows:
        return ""
    return f", but {_show(rows[0][1])} is (kg query -b '{name}={_show(rows[0][1])}')"


def _from_ox(term) -> Optional[Term]:
    """A pyoxigraph term as the rdflib term with the same meaning (xsd:string literals become plain)."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == str(XSD.string) else Literal(term.value, datatype=URIRef(datatype))
    raise KGError(Errors.E079.format(reason=f"unsupported term {term!r}"))


def _to_ox(term: Term):
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


# ---------------------------------------------------------------- errors with positions


# What may hide a keyword or a variable from a regex: strings, IRIs and comments (each becomes a space).
_NOISE_RE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                       r"|<[^<>\"{}|^`\\\s]*>|#[^\n]*")
# The first keyword after the prologue (PREFIX and BASE lines, their IRIs already blanked out).
_FIRST_KEYWORD_RE = re.compile(r"\s*(?:(?:PREFIX\s+[\w.-]*:|BASE)\s*)*([A-Za-z]+)", re.I)
_UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
# An item of Oxigraph's "expected one of ..." list: a quoted literal, a character class, or a word or sentence.
_OX_EXPECTED_RE = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,]+')


def _ox_message(message: str) -> str:
    """Oxigraph's parser message without its character classes (`[_]` is "any character", `['0' ..= '9' | ...]`
    a range): they say nothing to a reader, and "expected [_]" alone means the parser stopped at that point. A
    sentence in the list is the grammar's own explanation (an unbound variable in SELECT): it alone is kept."""
    m = re.match(r"expected (?:one of )?(.*)$", message, re.S)
    if not m:
        return message
    words = [t.strip() for t in _OX_EXPECTED_RE.findall(m.group(1))]
    words = [t for t in words if t and not t.startswith("[")]
    sentences = [t for t in words if " " in t and not t.startswith('"')]
    if sentences:
        return "; ".join(sentences)
    if not words:
        return "the query cannot be read past this point (a part is missing or out of place)"
    return "expected " + ("one of " + ", ".join(words) if len(words) > 1 else words[0])


def _update_keyword(query: str) -> str:
    """The SPARQL Update operation `query` starts with (INSERT, DELETE, LOAD, ...), "" for a query."""
    m = _FIRST_KEYWORD_RE.match(_NOISE_RE.sub(" ", query))
    keyword = m.group(1).upper() if m else ""
    return keyword if keyword in _UPDATE_KEYWORDS else ""


# SPARQL's \uXXXX and \UXXXXXXXX escapes: rdflib expands them anywhere in a query before parsing it, so
# "\u0053ERVICE" is a SERVICE keyword to rdflib.
_CODEPOINT_RE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# What holds a word without being a keyword once noise is blanked: variables and prefixed names, blank node
# labels included (?service, ex:service, ex:a.service, _:service).
_NAME_RE = re.compile(r"[?$]\w+|(?:[^\W\d_][\w.-]*)?:[\w.:%\\-]*")
_SERVICE_RE = re.compile(r"\bSERVICE\b", re.I)


def _codepoint(m: re.Match) -> str:
    value = int(m.group(1) or m.group(2), 16)
    return chr(value) if value <= 0x10FFFF else m.group()


def _refuse_service(query: str) -> None:
    """KGError (E095) when `query` has a SERVICE clause: both local engines answer one by sending its pattern to
    the server it names, and a local query must not reach the network. The keyword is looked for outside strings,
    IRIs, comments and names, in the text as written (Oxigraph reads it so) and with escapes expanded (rdflib)."""
    for text in dict.fromkeys((query, _CODEPOINT_RE.sub(_codepoint, query))):
        if _SERVICE_RE.search(_NAME_RE.sub(" ", _NOISE_RE.sub(" ", text))):
            raise KGError(Errors.E095)


def _syntax_error(query: str, line: int, column: int, message: str) -> KGError:
    """E070 naming the line and column (1-based), the text there and the parser's message (first line); E094
    for SPARQL Update, which both parsers read as a malformed query."""
    update = _update_keyword(query)
    if update:
        return KGError(Errors.E094.format(keyword=update))
    lines = query.splitlines() or [""]
    near = lines[line - 1][max(column - 1, 0):].strip()[:30] if 0 < line <= len(lines) else ""
    message = " ".join(message.split())
    if len(message) > 160:
        message = message[:157] + "..."
    slashed = _SLASHED_NAME_RE.search(query)
    if slashed:
        message += f"; {slashed.group()} is no SPARQL name (a slash): write {slashed.group(1)}:{slashed.group(2)}"
    return KGError(Errors.E070.format(line=line, column=column, near=near or "end of query", message=message))


def _position_of(query: str, needle: str) -> Tuple[int, int]:
    """1-based line and column of the first `needle` in `query` (1, 1 when absent)."""
    i = query.find(needle)
    if i < 0:
        return 1, 1
    line = query.count("\n", 0, i) + 1
    return line, i - (query.rfind("\n", 0, i) + 1) + 1


# ---------------------------------------------------------------- engines


class Engine:
    """Runs SPARQL 1.1 queries over one graph. Subclasses: `query(text, bindings) -> QueryResult`.

    The ontology's prefixes (`kg.namespaces.PREFIXES`) are predeclared; `bindings` maps variable names
    (without `?`) to values (see `to_term`), each typed by what the query expects of it (`binding_expectations`:
    a role name where the query lists role IRIs, a prefixed name where it matches an IRI, a month where it
    compares dates); a bound variable of a SELECT must be in its projection. The local engines refuse a SERVICE
    clause (E095): they would fetch its answers from the network.
    """

    name: ClassVar[str] = ""

    def query(self, text: str, bindings: Bindings = None) -> QueryResult:
        raise NotImplementedError

    def _explainer(self, text: str, terms: Mapping[str, Term]) -> Optional[Callable[[], str]]:
        """What fills `QueryResult.hint` when the bound query answers nothing."""
        return functools.partial(_explain_empty, self, text, dict(terms)) if terms else None

    def __len__(self) -> int:
        raise NotImplementedError

    @classmethod
    def from_path(cls, path: Union[str, Path]) -> "Engine":
        raise NotImplementedError

    @classmethod
    def from_graph(cls, graph: Graph) -> "Engine":
        raise NotImplementedError


class OxigraphEngine(Engine):
    """pyoxigraph's `Store`: in memory for an RDF file or rdflib graph, on disk for an Oxigraph store folder
    (opened read-only; queries see the union of its graphs)."""

    name = "oxigraph"

    def __init__(self, store) -> None:
        self.store = store

    @classmethod
    def from_path(cls, path: Union[str, Path]) -> "OxigraphEngine":
        import pyoxigraph as ox

        path = Path(path)
        if path.is_dir():
            try:
                return cls(ox.Store.read_only(str(path)))
            except OSError as exc:
                raise KGError(Errors.E077.format(path=path, reason=_first_line(exc))) from None
        store = ox.Store()
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower() or "ttl") or ox.RdfFormat.TURTLE
        try:
            store.load(path=str(path), format=fmt)
        except (SyntaxError, OSError, ValueError) as exc:
            raise KGError(Errors.E041.format(path=path, reason=_first_line(exc))) from None
        if fmt == ox.RdfFormat.JSON_LD and len(store) == 0:
            check_json_ld(path)
        return cls(store)

    @classmethod
    def from_graph(cls, graph: Graph) -> "OxigraphEngine":
        import pyoxigraph as ox

        store = ox.Store()
        store.extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o)) for s, p, o in triples_of(graph))
        return cls(store)

    def __len__(self) -> int:
        return len(self.store)

    def query(self, text: str, bindings: Bindings = None) -> QueryResult:
        import pyoxigraph as ox

        _refuse_service(text)
        terms = _check_bindings(bindings, text)
        substitutions = {ox.Variable(k): _to_ox(v) for k, v in terms.items()}
        try:
            answer = self.store.query(text, prefixes=_PREFIX_IRIS, use_default_graph_as_union=True,
                                      substitutions=substitutions or None)
        except SyntaxError as exc:
            m = _OX_POS_RE.search(str(exc))
            if m:
                message = _ox_message(m.group(3))
                if "Prefix not found" in message:  # Oxigraph lists every character it could accept instead
                    message = "undeclared prefix (neither declared in the query nor one of PaperKG's)"
                raise _syntax_error(text, int(m.group(1)), int(m.group(2)), message) from None
            raise _syntax_error(text, 1, 1, str(exc)) from None
        except (RuntimeError, OSError, ValueError) as exc:
            msg = str(exc)
            missing = re.search(r"variable \?(\w+) in its SELECT projection", msg)
            if missing:
                raise KGError(Errors.E075.format(name=missing.group(1), reason=_NOT_SELECTED)) from None
            raise KGError(Errors.E079.format(reason=_first_line(exc))) from None
        try:
            if isinstance(answer, ox.QueryBoolean):
                return QueryResult("ask", boolean=bool(answer))
            if isinstance(answer, ox.QueryTriples):
                return QueryResult("graph", triples=_sorted_triples((_from_ox(t.subject), _from_ox(t.predicate),
                                                                    _from_ox(t.object)) for t in answer))
            variables = tuple(v.value for v in answer.variables)
            memo: dict = {None: None}  # the same IRIs and short literals recur on many rows

            def convert(term):
                try:
                    return memo[term]
                except KeyError:
                    memo[term] = converted = _from_ox(term)
                    return converted

            rows = tuple(tuple(map(convert, sol)) for sol in answer)
        except (RuntimeError, OSError, ValueError) as exc:  # evaluation is lazy: errors surface here
            raise KGError(Errors.E079.format(reason=_first_line(exc))) from None
        finally:
            # Freed here, in this thread: a first parse by rdflib (the bindings' expectations) can leave this frame
            # in a reference cycle, and the solutions, freed by the cycle collector on another thread, are leaked
            # with an "unsendable" RuntimeError printed (pyoxigraph's objects belong to the thread that made them).
            del answer
        variables, rows = _star_order(text, variables, rows)
        return QueryResult("select", variables, rows, _explain=self._explainer(text, terms))


class RdflibEngine(Engine):
    """rdflib's SPARQL engine over an in-memory `Graph` (pure Python; slower, no compiled dependency)."""

    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    @classmethod
    def from_path(cls, path: Union[str, Path]) -> "RdflibEngine":
        from .export import load_graph

        path = Path(path)
        if path.is_dir():  # an Oxigraph store: copy its triples (all graphs) into memory
            store = OxigraphEngine.from_path(path)
            return cls.from_triples(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").triples)
        return cls(load_graph(path))

    @classmethod
    def from_graph(cls, graph: Graph) -> "RdflibEngine":
        if isinstance(graph, ConjunctiveGraph):
            # over a Dataset, rdflib answers `FROM <IRI>` by fetching the IRI (a file, or over the network): query
            # a Graph of all its graphs' triples instead, as Oxigraph and a store folder read it
            return cls.from_triples(triples_of(graph))
        return cls(graph)

    @classmethod
    def from_triples(cls, triples) -> "RdflibEngine":
        graph = bind_all(Graph())
        for triple in triples:
            graph.add(triple)
        return cls(graph)

    def __len__(self) -> int:
        return len(self.graph)

    def query(self, text: str, bindings: Bindings = None) -> QueryResult:
        import pyparsing

        _refuse_service(text)
        terms = _check_bindings(bindings, text)
        prepared, error = _prepared(text)  # parsed once: the bindings' expectations came from the same parse
        if isinstance(error, pyparsing.ParseBaseException):
            raise _syntax_error(text, error.lineno, error.col, str(error.msg))
        if error is not None:  # rdflib reports an undeclared prefix as a bare Exception
            msg = _first_line(error)
            unknown = re.search(r"Unknown namespace prefix : (\S*)", msg)
            line, column = _position_of(text, unknown.group(1) + ":") if unknown else (1, 1)
            raise _syntax_error(text, line, column, msg)
        algebra = prepared.algebra
        if algebra.name == "SelectQuery":
            projected = {str(v) for v in algebra.get("PV", ())}
            for name in terms:  # what Oxigraph (SEP-0007) requires too, so both engines agree
                if name not in projected:
                    raise KGError(Errors.E075.format(name=name, reason=_NOT_SELECTED))
        try:
            with _RDFLIB_LOCK:  # one evaluation at a time: they share `prepared` (see _RDFLIB_LOCK)
                answer = self.graph.query(prepared, initBindings=terms)
                if answer.type == "ASK":
                    return QueryResult("ask", boolean=bool(answer.askAnswer))
                if answer.type in ("CONSTRUCT", "DESCRIBE"):
                    return QueryResult("graph", triples=_sorted_triples(answer.graph))
                columns = list(answer.vars)
                # From the bindings, as iterating skips a row with every variable unbound (`SELECT (MAX(?v) AS ?m)`
                # over nothing is one such row). rdflib adds one too where GROUP BY finds no group: that one goes.
                grouped = _groups(algebra)
                rows = tuple(tuple(b.get(v) for v in columns) for b in answer.bindings if len(b) or not grouped)
        except KGError:
            raise
        except Exception as exc:  # rdflib evaluation raises many kinds
            raise KGError(Errors.E079.format(reason=_first_line(exc))) from None
        variables, rows = _star_order(text, tuple(str(v) for v in columns), rows)
        return QueryResult("select", variables, rows, _explain=self._explainer(text, terms))


def _groups(algebra) -> bool:
    """Whether a query's solutions (or those of the subquery they come from) are the groups of a GROUP BY."""
    node = algebra.get("p")
    while node is not None and hasattr(node, "name"):
        if node.name == "AggregateJoin":
            return node.p.get("expr") is not None
        node = node.get("p")
    return False


class EndpointEngine(Engine):
    """A remote SPARQL 1.1 endpoint (protocol: POST `query=`), over urllib. The ontology's prefixes are sent
    as PREFIX lines (on one line before the query, so the server's line numbers are off by one). Bindings are
    refused: the protocol has no way to send them apart from the query text. A SERVICE clause goes as written:
    the user asked for the network here, and the server decides whether to federate."""

    name = "endpoint"

    def __init__(self, url: str, timeout: float = ENDPOINT_TIMEOUT) -> None:
        self.url = check_endpoint(url)  # the one check of an endpoint URL, as push makes it (E093)
        self.timeout = timeout

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(result.rows[0][0])

    def query(self, text: str, bindings: Bindings = None) -> QueryResult:
        if bindings:
            raise KGError(Errors.E075.format(name=", ".join(bindings), reason="a remote endpoint takes no bindings"))
        declared = {m.group(1) or "" for m in _PREFIX_DECL_RE.finditer(text)}
        prologue = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in _PREFIX_IRIS.items() if p not in declared)
        body = urllib.parse.urlencode({"query": prologue + "\n" + text}).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8",
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                ctype = response.headers.get_content_type()
                data = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip() or exc.reason
            m = _OX_POS_RE.search(detail)
            if m and int(m.group(1)) > 1:
                raise _syntax_error(text, int(m.group(1)) - 1, int(m.group(2)), m.group(3)) from None
            raise KGError(Errors.E078.format(url=self.url, reason=f"HTTP {exc.code}: {_first_line(detail)}")) from None
        except (urllib.error.URLError, OSError) as exc:
            raise KGError(Errors.E078.format(url=self.url, reason=_first_line(getattr(exc, "reason", exc)))) from None
        if ctype in ("application/sparql-results+json", "application/json"):
            result = _from_sparql_json(json.loads(data.decode("utf-8")))
            if result.kind != "select":
                return result
            variables, rows = _star_order(text, result.variables, result.rows)
            return QueryResult("select", variables, rows)
        graph = Graph()
        graph.parse(data=data.decode("utf-8"), format="nt" if ctype == "application/n-triples" else "turtle")
        return QueryResult("graph", triples=_sorted_triples(graph))


def _from_sparql_json(doc: dict) -> QueryResult:
    if "boolean" in doc:
        return QueryResult("ask", boolean=bool(doc["boolean"]))
    variables = tuple(doc.get("head", {}).get("vars", ()))

    def term(cell: Optional[dict]) -> Optional[Term]:
        if cell is None:
            return None
        kind, value = cell["type"], cell["value"]
        if kind == "uri":
            return URIRef(value)
        if kind == "bnode":
            return BNode(value)
        if "xml:lang" in cell:
            return Literal(value, lang=cell["xml:lang"])
        dt = cell.get("datatype")
        return Literal(value, datatype=URIRef(dt)) if dt and dt != str(XSD.string) else Literal(value)

    rows = tuple(tuple(term(b.get(v)) for v in variables) for b in doc.get("results", {}).get("bindings", ()))
    return QueryResult("select", variables, rows)


_FORM_RE = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_STAR_RE = re.compile(r"SELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?\*", re.I)
_VAR_NAME_RE = re.compile(r"[?$](\w+)")


def _star_order(text: str, variables: Tuple[str, ...], rows: Tuple[tuple, ...]) -> Tuple[Tuple[str, ...], tuple]:
    """The columns of a `SELECT *` in the order the query first names their variables (as Jena and Virtuoso
    give them): Oxigraph sorts them by name, and rdflib lists a set, in an order that changes from run to run."""
    cleaned = _NOISE_RE.sub(" ", text)
    form = _FORM_RE.search(cleaned)  # the outer query form comes first; a subquery's SELECT comes later
    if not form or not _STAR_RE.match(cleaned, form.start()):
        return variables, rows
    first: Dict[str, int] = {}
    for m in _VAR_NAME_RE.finditer(cleaned):
        first.setdefault(m.group(1), m.start())
    order = sorted(range(len(variables)), key=lambda i: (first.get(variables[i], len(cleaned)), variables[i]))
    if order == list(range(len(variables))):
        return variables, rows
    return tuple(variables[i] for i in order), tuple(tuple(row[i] for i in order) for row in rows)


_TERM_KINDS = {URIRef: 0, BNode: 1, Literal: 2}


def _term_key(term: Term) -> Tuple[int, str, str, str]:
    return (_TERM_KINDS.get(type(term), 3), str(term), str(getattr(term, "datatype", None) or ""),
            getattr(term, "language", None) or "")


def _sorted_triples(triples) -> Tuple[Tuple[Term, Term, Term], ...]:
    """The triples of a CONSTRUCT/DESCRIBE sorted: a graph is a set, and each engine lists it in its own order."""
    return tuple(sorted(triples, key=lambda t: (_term_key(t[0]), _term_key(t[1]), _term_key(t[2]))))


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


#: Local engines by name; each builds from a path (`from_path`) or an rdflib graph (`from_graph`).
ENGINES: Dict[str, type] = {OxigraphEngine.name: OxigraphEngine, RdflibEngine.name: RdflibEngine}


def _engine_class(name: str) -> type:
    try:
        return ENGINES[name.lower()]
    except KeyError:
        raise KGError(Errors.E072.format(what="query engine", name=name, choices=", ".join(ENGINES))) from None


def open_engine(source: Union[str, Path, Graph], engine: str = DEFAULT_ENGINE) -> Engine:
    """An engine over `source`: an RDF file (format from its suffix), an Oxigraph store folder (also written
    `oxigraph:PATH`) or an rdflib Graph. `engine`: a name of `ENGINES`; "oxigraph" falls back to "rdflib" when pyoxigraph is missing."""
    cls = _engine_class(engine)
    if cls is OxigraphEngine:
        try:
            import pyoxigraph  # noqa: F401
        except ImportError:  # the fallback: same answers, slower
            cls = RdflibEngine
    if isinstance(source, Graph):
        return cls.from_graph(source)
    # names a missing path, a folder holding no store (a build folder: "did you mean .../graph.ttl?"), a bad spec
    folder = store_folder(source)
    return cls.from_path(folder if folder is not None else Path(source))


# ---------------------------------------------------------------- named queries


@dataclass(frozen=True)
class NamedQuery:
    """A competency query of `ontology/queries/NAME.rq`: its `# Question:` line and `# ?var:` parameter lines."""

    name: str
    question: str
    text: str
    parameters: Tuple[Tuple[str, str], ...] = field(default=())
    path: Optional[Path] = None

    def not_a_parameter(self, var: str) -> Optional[str]:
        """Why ?`var` cannot be bound in this query, None when it is one of its parameters: the query is not the
        caller's to edit, so the reason names the parameters, not the SELECT clause."""
        names = [name for name, _doc in self.parameters]
        if var in names:
            return None
        takes = ", ".join(f"?{name}" for name in names) or "no parameter"
        return f"the named query {self.name} has no parameter ?{var}; it takes {takes}"


_PARAM_RE = re.compile(r"^#\s*\?(\w+)\s*:\s*(.*)$")


def _read_named(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    question = first.partition("Question:")[2].strip() if first.startswith("#") else ""
    params = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = _PARAM_RE.match(line)
        if m:
            params.append((m.group(1), m.group(2).strip()))
    return NamedQuery(path.stem, question, text, tuple(params), path)


def named_queries(folder: Union[str, Path, None] = None) -> Dict[str, NamedQuery]:
    """Every named query of `folder` (default: the ontology's `queries/`), by name, sorted."""
    folder = Path(folder) if folder else QUERIES_DIR
    return {p.stem: _read_named(p) for p in sorted(folder.glob("*.rq"))}


def named_query(name: str, folder: Union[str, Path, None] = None) -> NamedQuery:
    """The named query `name` (file stem, `.rq` optional); KGError listing the names when unknown."""
    queries = named_queries(folder)
    key = name[:-3] if name.endswith(".rq") else name
    if key not in queries:
        raise KGError(Errors.E071.format(name=name, choices=", ".join(queries)))
    return queries[key]


# ---------------------------------------------------------------- formatting


def counted(n: int, singular: str, plural: str = "") -> str:
    """The count with its noun, for messages and tables: "1 paper", "2 papers", "0 entries"."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def shorten(term: Optional[Term]) -> str:
    """A term for people: an IRI as `prefix:local` when a predeclared prefix covers it, a literal as its
    lexical form, a blank node as `_:id`, nothing for an unbound cell."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    iri = str(term)
    best = ""
    for prefix, ns in _PREFIX_IRIS.items():
        if iri.startswith(ns) and len(ns) > len(_PREFIX_IRIS.get(best, "")):
            best = prefix
    if best:
        local = iri[len(_PREFIX_IRIS[best]):]
        if local and re.fullmatch(r"[\w.\-/%+]*", local):
            return f"{best}:{local}"
    return f"<{iri}>"


def _width(text: str) -> int:
    if text.isascii():  # most cells: no need to look up each character
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    if _width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = _width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(result: QueryResult, max_width: int = TABLE_MAX_WIDTH) -> str:
    """Aligned columns (IRIs shortened with the predeclared prefixes, long cells clipped) and a row count;
    under "(0 rows)" of a bound query, its `hint`."""
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    header, rows = result.table()
    memo: Dict[Optional[Term], str] = {}  # the same IRIs recur on many rows

    def cell(term: Optional[Term]) -> str:
        try:
            return memo[term]
        except KeyError:
            memo[term] = text = _clip(shorten(term), max_width)
            return text

    cells = [[cell(t) for t in row] for row in rows]
    widths = [max([_width(h)] + [_width(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(row, widths)).rstrip() for row in cells]
    n = len(rows)
    lines.append(f"({counted(n, 'row')})")
    if not n and result.hint:
        lines.append(f"hint: {result.hint}")
    return "\n".join(lines)


def _csv_cell(term: Optional[Term]) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def format_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV: a header of variable names, IRIs in full, literals as their lexical form,
    CRLF line ends. ASK gives one line, true or false."""
    if result.kind == "ask":
        return "true\r\n" if result.boolean else "false\r\n"
    header, rows = result.table()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_csv_cell(t) for t in row] for row in rows)
    return out.getvalue()


def _json_term(term: Term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    cell = {"type": "literal", "value": str(term)}
    if term.language:
        cell["xml:lang"] = term.language
    elif term.datatype:
        cell["datatype"] = str(term.datatype)
    return cell


def format_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON (`head.vars`, `results.bindings`; `boolean` for ASK); graph results as
    bindings of subject, predicate, object."""
    if result.kind == "ask":
        doc: dict = {"head": {}, "boolean": bool(result.boolean)}
    else:
        header, rows = result.table()
        doc = {"head": {"vars": list(header)},
               "results": {"bindings": [{v: _json_term(t) for v, t in zip(header, row) if t is not None}
                                        for row in rows]}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def format_turtle(result: QueryResult) -> str:
    """Turtle of a CONSTRUCT/DESCRIBE result, sorted, with PaperKG's prefixes."""
    if result.kind != "graph":
        raise KGError(Errors.E074.format(fmt="turtle", kind=result.kind.upper()))
    graph = bind_all(Graph())
    for triple in result.triples:
        graph.add(triple)
    return graph.serialize(format="turtle")


#: Result formats by name.
FORMATS: Dict[str, Callable[[QueryResult], str]] = {
    "table": format_table,
    "csv": format_csv,
    "json": format_json,
    "turtle": format_turtle,
}


def format_result(result: QueryResult, fmt: Optional[str] = None) -> str:
    """`result` rendered as `fmt` (a name of `FORMATS`); by default Turtle for graph results, else a table."""
    fmt = (fmt or ("turtle" if result.kind == "graph" else "table")).lower()
    if fmt in ("ttl",):
        fmt = "turtle"
    if fmt not in FORMATS:
        raise KGError(Errors.E072.format(what="result format", name=fmt, choices=", ".join(FORMATS)))
    return FORMATS[fmt](result)
