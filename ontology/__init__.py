"""Data package: the PaperKG ontology, SHACL shapes, lexicon and named queries (installed as `kg.ontology`)."""
