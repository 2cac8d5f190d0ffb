from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "digests"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_COUNTS = {
    "000_3e17f147dcf6ff68.txt": 9,
    "001_d5c0faa7ab539173.txt": 28,
    "002_826621d881c21d6a.txt": 26,
    "003_42904af7ba872441.txt": 18,
    "004_cfed691b8e1e85ac.txt": 27,
}


@pytest.fixture(scope="session")
def nlp():
    """The real PaperKG pipeline (en_core_web_sm + project components), loaded once."""
    from kg.nlp import load

    return load()


@pytest.fixture(scope="session")
def examples_build(nlp):
    """The graph of the bundled examples, built once with extraction."""
    import kg

    return kg.build_graph([str(EXAMPLES)], nlp=nlp, progress=False)
