"""Vocabularies of PaperKG: the ontology as a closed namespace (a typo raises), and prefix binding."""

from __future__ import annotations

import re
from typing import Dict, Optional

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

from .defaults import BASE_IRI, ONTOLOGY_IRI

__all__ = ["KGO", "FABIO", "SCHEMA", "MLS", "INSTANCE_FOLDERS", "PREFIXES", "bind_all", "expand_iri", "local_name"]


class KGO(DefinedNamespace):
    """Terms of `ontology/paperkg.ttl`; `tests/test_namespaces.py` checks both lists agree."""

    _NS = Namespace(ONTOLOGY_IRI)
    _fail = True

    Dataset: URIRef  # A named dataset, benchmark or corpus (HumanEval, MMLU, ImageNet).
    Entity: URIRef  # Something papers talk about: a model, dataset, method, task or metric; one node per real-w
    Evidence: URIRef  # Why the graph states one triple: the sentence, its offsets, the rule or component that fou
    Method: URIRef  # A named or established technique, algorithm, architecture, framework, training or inferenc
    Metric: URIRef  # A named evaluation measure (accuracy, F1, BLEU).
    Model: URIRef  # A specific named trained model, model family or AI system (GPT-4, LLaVA-1.5, BERT).
    Paper: URIRef  # A research paper announced on arXiv; its IRI is its arXiv abstract page without version.
    Result: URIRef  # A number a paper reports: a model reaches a value of a metric on a dataset, possibly again
    Task: URIRef  # An established machine-learning problem (question answering, machine translation).
    abstract: URIRef  # The abstract as printed in the digest, language-tagged (en or zh).
    abstractTruncated: URIRef  # True when the English abstract in the digest is cut off.
    announceType: URIRef  # How arXiv announced the paper in the digest: new, cross, replace or replace-cross.
    arxivId: URIRef  # The arXiv identifier without version, e.g. 2402.19474.
    arxivVersion: URIRef  # The highest version number of the paper seen in the inputs.
    basedOn: URIRef  # The entity is built on or fine-tuned from another.
    category: URIRef  # An arXiv category of the paper (cs.CL) or of the listing that announced it.
    charEnd: URIRef  # Offset just after the last character of the mention in the text field (exclusive).
    charStart: URIRef  # Offset of the first character of the mention in the text field.
    comparedModel: URIRef  # The model the result is compared against in the same sentence.
    comparedValue: URIRef  # The compared model's value on the same metric and dataset.
    comparesWith: URIRef  # The paper compares against, outperforms or matches the model or method.
    confidence: URIRef  # Confidence of the extractor in the assertion, between 0 and 1.
    evaluatedOn: URIRef  # Some paper reports results of the model or method on the dataset (aggregated over papers).
    evaluatesOn: URIRef  # The paper reports results on the dataset or benchmark.
    foundBy: URIRef  # The component or rule that found the assertion (lexicon, pattern:introduced, ner).
    hasEvidence: URIRef  # Links a paper or result to an evidence node for one of its assertions.
    mentions: URIRef  # The paper's title, abstract or TL;DR names the entity.
    paperCount: URIRef  # How many papers of the graph mention the entity.
    proposes: URIRef  # The paper introduces, presents or releases the entity.
    reportsResult: URIRef  # The paper states the result.
    resultDataset: URIRef  # The dataset or benchmark the result is on.
    resultMetric: URIRef  # The metric the value is of.
    resultModel: URIRef  # The model (or method) whose score the result is.
    roleCue: URIRef  # What gave a paper->entity role: the cue words or the paper-level rule (cue:outperforms).
    sentence: URIRef  # The sentence the assertion was read from.
    supportCount: URIRef  # How many papers of the graph support the assertion.
    tag: URIRef  # A topic tag the digest gives the paper (LLM应用, Agent, RAG).
    textField: URIRef  # Which text of the paper holds the sentence: title_en, abstract_en, tldr_zh, abstract_zh.
    tldr: URIRef  # The digest's one-sentence summary, language-tagged.
    unit: URIRef  # The unit written with the value, such as %.
    url: URIRef  # The paper's arXiv abstract page.
    uses: URIRef  # The paper employs, fine-tunes or builds on the entity.
    value: URIRef  # The number reported.
    variantOf: URIRef  # The entity is a version or size of a family (Llama-2-7B variant of Llama 2).


FABIO = Namespace("http://purl.org/spar/fabio/")
SCHEMA = Namespace("https://schema.org/")
MLS = Namespace("http://www.w3.org/ns/mls#")

#: The folders of the instance IRIs `kg.rdf` mints under the base IRI (`<base>model/gpt4`), each with a prefix of
#: its own: "kg:model/gpt4" is no SPARQL or Turtle name (a slash), "model:gpt4" is, so the name a table prints can
#: be pasted into a query.
INSTANCE_FOLDERS = ("model", "dataset", "method", "task", "metric", "evidence", "result")


def _instance_namespaces(base_iri: str) -> Dict[str, Namespace]:
    """`kg:` for `base_iri` and a prefix for each of its folders."""
    return {"kg": Namespace(base_iri), **{folder: Namespace(f"{base_iri}{folder}/") for folder in INSTANCE_FOLDERS}}


#: Prefixes bound on every graph PaperKG writes and predeclared for SPARQL queries.
PREFIXES = {
    "kgo": Namespace(ONTOLOGY_IRI),
    **_instance_namespaces(BASE_IRI),
    "arxiv": Namespace("https://arxiv.org/abs/"),
    "dcterms": DCTERMS,
    "fabio": FABIO,
    "mls": MLS,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "skos": SKOS,
    "xsd": XSD,
}


_IRI_RE = re.compile(r"^(?:https?://|urn:)\S+$")
_PREFIXED_RE = re.compile(r"^(?P<prefix>[A-Za-z][\w-]*):(?P<local>[^\s/:][^\s:]*)$")


def expand_iri(text: str) -> Optional[str]:
    """The IRI `text` writes: whole (`<...>` or bare), or with one of `PREFIXES` as tables print it
    ("model:gpt4", "arxiv:2402.19474"); None for a name."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if _IRI_RE.match(text):
        return text
    m = _PREFIXED_RE.match(text)
    if m and m.group("prefix") in PREFIXES:
        return str(PREFIXES[m.group("prefix")]) + m.group("local")
    return None


def local_name(iri: object) -> str:
    """The last segment of an IRI, after its last "#" or "/" (the whole IRI when that is empty)."""
    text = str(iri)
    return re.split(r"[#/]", text)[-1] or text


def bind_all(graph: Graph, base_iri: str = BASE_IRI) -> Graph:
    """Bind PaperKG's prefixes on `graph` (the instance prefixes `kg:`, `model:`, ... under `base_iri`); returns
    the graph."""
    for prefix, ns in {**PREFIXES, **_instance_namespaces(base_iri)}.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph
