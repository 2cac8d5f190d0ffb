"""Records -> rdflib Graph. The only module that mints IRIs.

Papers are `https://arxiv.org/abs/<id>` (no version); entities `<base>/<type>/<slug>`; evidence and result
nodes are IRIs hashed from what they state, so the same input always gives the same graph (no blank nodes).
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote
from decimal import Decimal
from typing import Iterable, Mapping, Optional

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .defaults import ARXIV_ABS, BASE_IRI
from .namespaces import KGO, SCHEMA, bind_all
from .records import Entity, EntityType, Link, Mention, Paper, Relation, RelationType, Result, Role

__all__ = [
    "paper_iri",
    "entity_iri",
    "evidence_iri",
    "result_iri",
    "ENTITY_CLASSES",
    "CLASS_TYPES",
    "ROLE_PROPERTIES",
    "new_graph",
    "add_paper",
    "add_entity",
    "add_link",
    "add_result",
    "add_relation",
    "RELATION_PROPERTIES",
    "build_rdf",
    "decimal_literal",
]

ENTITY_CLASSES: Mapping[EntityType, URIRef] = {
    EntityType.MODEL: KGO.Model,
    EntityType.DATASET: KGO.Dataset,
    EntityType.METHOD: KGO.Method,
    EntityType.TASK: KGO.Task,
    EntityType.METRIC: KGO.Metric,
}

#: The inverse: the entity type of an ontology class.
CLASS_TYPES: Mapping[URIRef, EntityType] = {cls: t for t, cls in ENTITY_CLASSES.items()}

ROLE_PROPERTIES: Mapping[Role, URIRef] = {
    Role.MENTIONS: KGO.mentions,
    Role.PROPOSES: KGO.proposes,
    Role.USES: KGO.uses,
    Role.EVALUATES_ON: KGO.evaluatesOn,
    Role.COMPARES_WITH: KGO.comparesWith,
}

RELATION_PROPERTIES: Mapping[RelationType, URIRef] = {
    RelationType.BASED_ON: KGO.basedOn,
    RelationType.EVALUATED_ON: KGO.evaluatedOn,
}


def decimal_literal(value: float) -> Literal:
    """xsd:decimal in canonical form ("0.95", "1", "52.04"), as Oxigraph and other stores write it back, so
    round trips stay isomorphic."""
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Literal(text or "0", datatype=XSD.decimal)


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def paper_iri(arxiv_id: str) -> URIRef:
    return URIRef(ARXIV_ABS + arxiv_id)


def entity_iri(entity_key: str, base_iri: str = BASE_IRI) -> URIRef:
    """`<base>model/llava15` from the key "MODEL:llava15": derived from type and canonical name only, so
    the IRI stays the same on every build whichever surface form ends up as the label."""
    etype, _, slug = entity_key.partition(":")
    return URIRef(f"{base_iri}{etype.lower()}/{quote(slug, safe='') or 'x'}")


def evidence_iri(link: Link, base_iri: str = BASE_IRI) -> URIRef:
    m = link.mention
    return URIRef(f"{base_iri}evidence/{_digest(link.arxiv_id, link.role.value, link.entity_key, m.field, m.start, m.end)}")


def relation_evidence_iri(relation: Relation, base_iri: str = BASE_IRI) -> URIRef:
    return URIRef(f"{base_iri}evidence/{_digest(relation.subject, relation.type.value, relation.object)}")


def result_iri(arxiv_id: str, result: Result, base_iri: str = BASE_IRI) -> URIRef:
    key = _digest(arxiv_id, result.model, result.dataset, result.metric, result.value, result.unit)
    return URIRef(f"{base_iri}result/{key}")


def new_graph(base_iri: str = BASE_IRI) -> Graph:
    """An empty graph with PaperKG's prefixes bound."""
    return bind_all(Graph(), base_iri)


def add_paper(g: Graph, paper: Paper) -> URIRef:
    """Add one paper with its titles (@en, @zh), abstracts, TL;DRs, date, id, URL, categories and tags."""
    p = paper_iri(paper.arxiv_id)
    g.add((p, RDF.type, KGO.Paper))
    g.add((p, RDF.type, SCHEMA.ScholarlyArticle))
    g.add((p, KGO.arxivId, Literal(paper.arxiv_id)))
    g.add((p, DCTERMS.identifier, Literal(f"arXiv:{paper.arxiv_id}")))
    g.add((p, KGO.url, Literal(paper.url or ARXIV_ABS + paper.arxiv_id, datatype=XSD.anyURI)))
    for text, lang in ((paper.title_en, "en"), (paper.title_zh, "zh")):
        if text:
            g.add((p, DCTERMS.title, Literal(text, lang=lang)))
    if paper.title_en:
        g.add((p, RDFS.label, Literal(paper.title_en, lang="en")))
    for prop, text, lang in (
        (KGO.abstract, paper.abstract_en, "en"),
        (KGO.abstract, paper.abstract_zh, "zh"),
        (KGO.tldr, paper.tldr_zh, "zh"),
        (KGO.tldr, paper.tldr_en, "en"),
    ):
        if text:
            g.add((p, prop, Literal(text, lang=lang)))
    if paper.abstract_en:
        g.add((p, KGO.abstractTruncated, Literal(paper.truncated)))
    if paper.date:
        g.add((p, DCTERMS.date, Literal(paper.date, datatype=XSD.date)))
    if paper.version is not None:
        g.add((p, KGO.arxivVersion, Literal(paper.version)))
    if paper.announce_type:
        g.add((p, KGO.announceType, Literal(paper.announce_type)))
    for category in paper.categories:
        g.add((p, KGO.category, Literal(category)))
    for tag in paper.tags:
        g.add((p, KGO.tag, Literal(tag)))
    return p


def add_entity(g: Graph, entity: Entity, iris: Mapping[str, URIRef], paper_count: int = 0) -> URIRef:
    """Add an entity node: class, rdfs:label, skos:prefLabel, skos:altLabel per surface form, family link."""
    e = iris[entity.key]
    g.add((e, RDF.type, ENTITY_CLASSES[entity.type]))
    g.add((e, RDFS.label, Literal(entity.name)))
    g.add((e, SKOS.prefLabel, Literal(entity.name)))
    for alias in entity.aliases:
        if alias != entity.name:
            g.add((e, SKOS.altLabel, Literal(alias)))
    for alias in entity.aliases_zh:
        g.add((e, SKOS.altLabel, Literal(alias, lang="zh")))
    if entity.family and entity.family in iris:
        g.add((e, KGO.variantOf, iris[entity.family]))
        g.add((e, SKOS.broader, iris[entity.family]))
    if paper_count:
        g.add((e, KGO.paperCount, Literal(paper_count)))
    return e


def add_link(g: Graph, link: Link, iris: Mapping[str, URIRef], base_iri: str = BASE_IRI) -> URIRef:
    """Add `paper role entity` (and the implied plain `mentions`) plus an evidence node saying why."""
    p, e, prop = paper_iri(link.arxiv_id), iris[link.entity_key], ROLE_PROPERTIES[link.role]
    g.add((p, prop, e))
    g.add((p, KGO.mentions, e))
    ev = evidence_iri(link, base_iri)
    g.add((p, KGO.hasEvidence, ev))
    _add_evidence(g, ev, (p, prop, e), link.mention, link.confidence)
    if link.cue:
        g.add((ev, KGO.roleCue, Literal(link.cue)))
    return ev


def _add_evidence(g: Graph, ev: URIRef, triple: tuple, m: Mention, confidence: float) -> None:
    """An n-ary statement node: which triple, the sentence and offsets that say it, the rule, a confidence."""
    s, p, o = triple
    g.add((ev, RDF.type, KGO.Evidence))
    g.add((ev, RDF.subject, s))
    g.add((ev, RDF.predicate, p))
    g.add((ev, RDF.object, o))
    g.add((ev, KGO.sentence, Literal(m.sentence or m.text)))
    g.add((ev, KGO.textField, Literal(m.field)))
    g.add((ev, KGO.charStart, Literal(m.start)))
    g.add((ev, KGO.charEnd, Literal(m.end)))
    g.add((ev, KGO.foundBy, Literal(m.source)))
    g.add((ev, KGO.confidence, decimal_literal(round(confidence, 3))))


def add_relation(g: Graph, relation: Relation, iris: Mapping[str, URIRef], base_iri: str = BASE_IRI) -> Optional[URIRef]:
    """Add `subject basedOn/evaluatedOn object` and one evidence node: the best sentence, how many papers
    support it (`kgo:supportCount`) and which (`prov:wasDerivedFrom`, and each paper `kgo:hasEvidence` it)."""
    if relation.subject not in iris or relation.object not in iris:
        return None
    s, o, prop = iris[relation.subject], iris[relation.object], RELATION_PROPERTIES[relation.type]
    g.add((s, prop, o))
    ev = relation_evidence_iri(relation, base_iri)
    _add_evidence(g, ev, (s, prop, o), relation.mention, relation.confidence)
    g.add((ev, KGO.supportCount, Literal(len(relation.papers))))
    for arxiv_id in relation.papers:
        g.add((ev, PROV.wasDerivedFrom, paper_iri(arxiv_id)))
        g.add((paper_iri(arxiv_id), KGO.hasEvidence, ev))
    return ev


def add_result(
    g: Graph, arxiv_id: str, result: Result, iris: Mapping[str, URIRef], base_iri: str = BASE_IRI
) -> Optional[URIRef]:
    """Add a result node (model, dataset, metric, value as xsd:decimal, unit, compared model and value)."""
    needed = (result.model, result.dataset, result.metric)
    if any(key not in iris for key in needed):
        return None
    r = result_iri(arxiv_id, result, base_iri)
    g.add((paper_iri(arxiv_id), KGO.reportsResult, r))
    g.add((r, RDF.type, KGO.Result))
    g.add((r, KGO.resultModel, iris[result.model]))
    g.add((r, KGO.resultDataset, iris[result.dataset]))
    g.add((r, KGO.resultMetric, iris[result.metric]))
    g.add((r, KGO.value, decimal_literal(result.value)))
    if result.unit:
        g.add((r, KGO.unit, Literal(result.unit)))
    if result.compared_model and result.compared_model in iris:
        g.add((r, KGO.comparedModel, iris[result.compared_model]))
    if result.compared_value is not None:
        g.add((r, KGO.comparedValue, decimal_literal(result.compared_value)))
    if result.sentence:
        g.add((r, KGO.sentence, Literal(result.sentence)))
    return r


def build_rdf(
    papers: Iterable[Paper],
    entities: Iterable[Entity] = (),
    links: Iterable[Link] = (),
    results: Iterable[tuple] = (),
    base_iri: str = BASE_IRI,
    relations: Iterable[Relation] = (),
) -> Graph:
    """The RDF graph of `papers`, `entities`, the `links` between them and `(arxiv_id, Result)` pairs.

    Entities with the same IRI (same type and slug) collapse into one node; resolution makes that rare.
    """
    g = new_graph(base_iri)
    for paper in papers:
        add_paper(g, paper)
    entities = list(entities)
    iris = {e.key: entity_iri(e.key, base_iri) for e in entities}
    links = list(links)
    counts: dict = {}
    for link in links:
        counts.setdefault(link.entity_key, set()).add(link.arxiv_id)
    for entity in entities:
        add_entity(g, entity, iris, len(counts.get(entity.key, ())))
    for link in links:
        add_link(g, link, iris, base_iri)
    for arxiv_id, result in results:
        add_result(g, arxiv_id, result, iris, base_iri)
    for relation in relations:
        add_relation(g, relation, iris, base_iri)
    return g
