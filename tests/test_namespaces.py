"""The closed ontology namespace agrees with ontology/paperkg.ttl, and a typo raises."""

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg.defaults import ONTOLOGY_DIR, ONTOLOGY_IRI
from kg.namespaces import KGO


def declared_terms():
    g = rdflib.Graph().parse(ONTOLOGY_DIR / "paperkg.ttl")
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return g, {str(s)[len(ONTOLOGY_IRI):] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(ONTOLOGY_IRI)}


def test_every_kgo_term_is_declared_and_vice_versa():
    g, declared = declared_terms()
    in_code = set(KGO.__annotations__)
    assert in_code == declared


def test_every_term_has_label_and_comment():
    g, declared = declared_terms()
    for term in declared:
        iri = rdflib.URIRef(ONTOLOGY_IRI + term)
        assert g.value(iri, RDFS.label) is not None, term
        assert g.value(iri, RDFS.comment) is not None, term


def test_required_classes():
    _, declared = declared_terms()
    assert {"Paper", "Model", "Dataset", "Method", "Task", "Metric"} <= declared


def test_typo_raises():
    with pytest.raises(AttributeError):
        KGO.Papr  # noqa: B018
