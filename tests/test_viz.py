"""kg.viz: view selection, the pyvis network, the offline page, and the page itself in a real Chromium
(Debian's /usr/bin/chromium driven by Playwright): no request beyond file:, no console error, the node count of
the page equals the graph's, search, type and relation checkboxes, keys, labels of a big graph at the starting zoom,
tooltips (edge cues in words), no ordinary label drawn over or under a landmark's, and hostile titles that must
not run."""

import base64
import hashlib
import json
import random
import re
import shutil
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.viz import (
    EDGE_COLORS,
    ENTITY_LABEL_CHARS,
    LANDMARK_CANDIDATES,
    LANDMARK_LABELS,
    LANDMARK_PX,
    NODE_STYLES,
    compute_layout,
    cue_phrase,
    ego_view,
    filter_min_degree,
    filter_types,
    find_nodes,
    render_html,
    select_view,
    to_pyvis,
    write_html,
)

from .conftest import FIXTURES, ROOT

SEED_GRAPH = ROOT / "outputs" / "graph.ttl"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
GPT4 = "https://w3id.org/paperkg/id/model/gpt4"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def graph():
    return kg.load_graph(SEED_GRAPH)


@pytest.fixture(scope="module")
def view(graph):
    return kg.to_networkx(graph)


# -- view selection -------------------------------------------------------------------------------------------


def test_find_nodes_by_label_alias_arxiv_id_and_iri(view):
    assert find_nodes(view, "gpt-4") == [GPT4]
    assert find_nodes(view, GPT4) == [GPT4]
    paper = next(n for n, t in view.nodes(data="type") if t == "PAPER")
    assert find_nodes(view, paper.rsplit("/", 1)[-1]) == [paper]
    entity, aliases = next((n, a) for n, a in view.nodes(data="aliases") if a)
    assert entity in find_nodes(view, aliases[0].upper())


@pytest.fixture(scope="module")
def old_ids(tmp_path_factory):
    """The paper graph of a JSON Lines file with old-style arXiv ids (two share their number) and a new one, as
    `kg build` makes it: the version is dropped and the IRI keeps the archive, https://arxiv.org/abs/cs/0601001."""
    source = tmp_path_factory.mktemp("old_ids") / "papers.jsonl"
    rows = [("cs/0601001v1", "Support Vectors Revisited"), ("math/0601001", "A Lemma on Knots"),
            ("math.GT/0309136v2", "Knots and Surfaces"), ("2402.19474v2", "A New-Style Paper")]
    source.write_text("".join(json.dumps({"id": i, "title": t, "abstract": t + " in full."}) + "\n" for i, t in rows))
    return kg.to_networkx(kg.build_graph([source], extract=False, progress=False).graph)


def test_find_nodes_takes_old_and_new_style_arxiv_ids_in_their_written_forms(old_ids):
    cs, gt, new = (str(kg.rdf.paper_iri(i)) for i in ("cs/0601001", "math.GT/0309136", "2402.19474"))
    assert (cs, gt) == ("https://arxiv.org/abs/cs/0601001", "https://arxiv.org/abs/math.GT/0309136")
    assert {cs, gt, new} <= set(old_ids)
    forms = {
        cs: ["cs/0601001", "cs/0601001v1", "arXiv:cs/0601001v3", "ARXIV:CS/0601001", "arxiv:cs/0601001",
             "https://arxiv.org/abs/cs/0601001v1", "http://arxiv.org/pdf/cs/0601001v1.pdf", f"<{cs}>"],
        gt: ["math.GT/0309136", "math.GT/0309136v2", "arXiv:math.gt/0309136v2",
             "https://arxiv.org/pdf/math.GT/0309136"],
        new: ["2402.19474", "2402.19474v2", "arXiv:2402.19474v2", "https://arxiv.org/abs/2402.19474v2",
              "https://arxiv.org/pdf/2402.19474.pdf", new],
    }
    for paper, names in forms.items():
        for name in names:
            assert find_nodes(old_ids, name) == [paper], name
    # A number alone names no paper (cs/0601001 and math/0601001 share it), and no URL but arXiv's own is an id.
    for name in ("0601001", "0309136v2", "https://example.org/abs/cs/0601001", "arxiv.org/abs/2402.19474",
                 "https://arxiv.org/abs/cs/0601001/x"):
        with pytest.raises(kg.KGError, match=r"\[E060\]"):
            find_nodes(old_ids, name)
    # --focus goes through find_nodes: the neighbourhood of an old-style paper, and its tooltip names the whole id
    net = to_pyvis(old_ids, focus="arXiv:math.GT/0309136v2", depth=0)
    assert [n["id"] for n in net.nodes] == [gt] and net.nodes[0]["info"]["arxiv"] == "math.GT/0309136"
    assert {n["info"]["arxiv"] for n in to_pyvis(old_ids).nodes} == {
        "cs/0601001", "math/0601001", "math.GT/0309136", "2402.19474"}


def test_focus_folds_a_name_as_lookup_does(view):
    """--focus takes what the search box and `kg lookup` take: "gpt4" and "GPT 4" are GPT-4, but not GPT-4o."""
    assert find_nodes(view, "gpt4") == find_nodes(view, "GPT 4") == [GPT4]
    with pytest.raises(kg.KGError, match=r"\[E060\].*'gpt4o'"):
        find_nodes(view, "gpt4o")


def test_unknown_focus_names_close_labels(view):
    with pytest.raises(kg.KGError, match=r"\[E060\].*'GPT-4o'.*did you mean: .*GPT-4"):
        find_nodes(view, "GPT-4o")


def test_ego_view_follows_links_both_ways(view):
    assert list(ego_view(view, "GPT-4", depth=0)) == [GPT4]
    one = ego_view(view, "GPT-4", depth=1)
    assert set(one) == {GPT4} | set(view.predecessors(GPT4)) | set(view.successors(GPT4))
    two = ego_view(view, "GPT-4", depth=2)
    assert set(one) < set(two)
    papers = [n for n in one if view.nodes[n]["type"] == "PAPER"]
    assert all(set(view.successors(p)) <= set(two) for p in papers)
    assert view.number_of_nodes() == kg.to_networkx(kg.load_graph(SEED_GRAPH)).number_of_nodes()  # unchanged


def test_filter_types_and_degree(view):
    typed = filter_types(view, ["model", "DATASET"])
    assert {t for _, t in typed.nodes(data="type")} == {"MODEL", "DATASET"}
    assert typed.number_of_nodes() == sum(1 for _, t in view.nodes(data="type") if t in ("MODEL", "DATASET"))
    with pytest.raises(kg.KGError, match=r"\[E061\].*FOO"):
        filter_types(view, ["MODEL", "foo"])
    dense = filter_min_degree(view, 3)
    # every node left has 3 links among the nodes left (the 3-core), not only in the whole view
    assert dense.number_of_nodes() and all(dense.degree(n) >= 3 for n in dense)
    assert set(dense) < {n for n in view if view.degree(n) >= 3}  # one pass would keep them all
    # a chain a-b-c-d: with 2 links wanted its ends go, and then the rest; kept nodes stay whatever their degree
    chain = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    assert filter_min_degree(chain, 2).number_of_nodes() == 0
    assert set(filter_min_degree(chain, 2, keep=["a", "d"])) == {"a", "b", "c", "d"}


def test_select_view_keeps_the_focus_and_refuses_an_empty_view(view):
    models = select_view(view, focus="GPT-4", depth=2, types=["DATASET"], min_degree=1)
    assert GPT4 in models
    assert {t for n, t in models.nodes(data="type") if n != GPT4} <= {"DATASET"}
    assert select_view(view) is view
    with pytest.raises(kg.KGError, match=r"\[E062\].*--types METRIC --min-degree 500"):
        select_view(view, types=["METRIC"], min_degree=500)


# -- the pyvis network ----------------------------------------------------------------------------------------


def test_to_pyvis_styles_every_node_and_edge(graph, view):
    triples = len(graph)
    net = to_pyvis(graph)
    assert len(graph) == triples  # the graph it reads is not changed
    assert len(net.nodes) == view.number_of_nodes() and len(net.edges) == view.number_of_edges()
    assert [n["id"] for n in net.nodes] == sorted(view.nodes)
    for node in net.nodes:
        color, shape, _ = NODE_STYLES[node["kgtype"]]
        assert (node["color"], node["shape"]) == (color, shape)
    sizes = {n["id"]: n["size"] for n in net.nodes}
    hub = max(view.nodes, key=view.degree)
    leaf = min(view.nodes, key=view.degree)
    assert sizes[hub] > sizes[leaf]
    assert {e["label"] for e in net.edges} == {k for _, _, k in view.edges(keys=True)}
    assert all(e["color"] == EDGE_COLORS[e["label"]] for e in net.edges)
    gpt4 = net.node_map[GPT4]["info"]
    assert gpt4["type"] == "MODEL" and gpt4["papers"] >= 5 and "GPT-4" in gpt4["evidence"]
    assert gpt4["paper_links"] and all(url.startswith("https://arxiv.org/abs/") for url, _ in gpt4["paper_links"])
    paper = net.node_map["https://arxiv.org/abs/2402.19474"]["info"]
    assert paper["name"].startswith("The All-Seeing Project V2") and paper["title_zh"].startswith("《全知计划V2》")
    assert paper["date"] == "2024-02-29" and paper["url"] == "https://arxiv.org/abs/2402.19474"
    # an edge the graph says why: the cue that gave the role and the sentence
    (rival,) = [e for e in net.edges
                if e["from"] == "https://arxiv.org/abs/2402.19474" and e["label"] == "comparesWith"]
    assert rival["to"].endswith("/model/llava1.5") and rival["info"]["cue"] == "cue:surpassing"
    assert rival["info"]["evidence"].startswith("Notably, our ASMv2 achieves an overall accuracy of 52.04")
    kinds = {(e["label"], "info" in e, "cue" in e.get("info", {})) for e in net.edges}
    assert ("variantOf", False, False) in kinds and ("mentions", True, False) in kinds
    assert {(r, True, True) for r in ("proposes", "uses", "evaluatesOn", "comparesWith")} <= kinds


def test_to_pyvis_reads_a_graph_file_or_store_with_its_evidence(tmp_path):
    """`to_pyvis` reads a path as `kg.to_networkx` and `kg viz` do (`kg.load_graph`: a graph file as str or Path,
    a store folder, oxigraph:PATH), and gives the network of the loaded Graph, evidence tooltips and all."""
    source = FIXTURES / "query_small.ttl"
    expected = to_pyvis(kg.load_graph(source))
    assert any("evidence" in n["info"] for n in expected.nodes) and any("info" in e for e in expected.edges)
    store = pyoxigraph.Store(str(tmp_path / "store"))
    store.bulk_load(path=str(source), format=pyoxigraph.RdfFormat.TURTLE)
    store.flush()
    del store  # release the folder's lock before it is read
    for given in (source, str(source), tmp_path / "store", f"oxigraph:{tmp_path / 'store'}"):
        net = to_pyvis(given, focus="GPT-4", depth=2)
        assert net.nodes == to_pyvis(kg.load_graph(source), focus="GPT-4", depth=2).nodes, given
        net = to_pyvis(given)
        assert (net.nodes, net.edges, net.options) == (expected.nodes, expected.edges, expected.options), given
        assert render_html(net) == render_html(expected), given
    # a build output folder is no store: the error names the graph file it holds, as kg.load_graph's does
    (tmp_path / "build").mkdir()
    shutil.copy(source, tmp_path / "build" / "graph.ttl")
    with pytest.raises(kg.KGError, match=r"\[E041\].*did you mean .*graph\.ttl"):
        to_pyvis(tmp_path / "build")
    with pytest.raises(kg.KGError, match=r"\[E041\]"):
        to_pyvis(str(tmp_path / "missing.ttl"))


def test_small_views_use_physics_big_or_static_ones_a_computed_layout(graph):
    ego = to_pyvis(graph, focus="GPT-4", depth=1)
    assert ego.options["physics"]["enabled"] and "x" not in ego.nodes[0]
    assert next(n for n in ego.nodes if n["id"] == GPT4)["borderWidth"] == 4
    static = to_pyvis(graph, layout="static")
    assert not static.options["physics"]["enabled"]
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in static.nodes)
    with pytest.raises(kg.KGError, match=r"\[E064\]"):
        to_pyvis(graph, layout="spring")


def test_compute_layout_is_deterministic_and_spreads_nodes(view):
    first, second = compute_layout(view), compute_layout(view)
    assert first == second and set(first) == set(view)
    points = sorted(first.values())
    assert len(set(points)) == len(points)  # no two nodes on the same spot
    close = sum(1 for (x1, y1), (x2, y2) in zip(points, points[1:]) if abs(x1 - x2) + abs(y1 - y2) < 1)
    assert close < len(points) * 0.02


@pytest.mark.parametrize("size", [1, 2, 40])
def test_compute_layout_of_nodes_without_links(size):
    # no edge and, for few nodes, no pair close enough to repel: the force sums must still be floats
    view = nx.Graph()
    view.add_nodes_from(f"n{i}" for i in range(size))
    layout = compute_layout(view)
    assert set(layout) == set(view) and len(set(layout.values())) == size


@pytest.mark.parametrize("code,words", [
    ("cue:outperforms", "cue \u201coutperforms\u201d"),
    ("cue:与…相比", "cue \u201c与…相比\u201d"),
    ("rule:introduced", "named as the authors' own (\u201cwe propose X\u201d, \u201ccalled X\u201d)"),
    ("rule:title", "named by the title as the paper's own"),
    ("apposition:a novel", "described right after the name as \u201ca novel \u2026\u201d"),
    ("title:colon", "named in the title before a colon"),
    ("title:opening", "a new name opening the title (\u201cX for \u2026\u201d)"),
    ("right:-based", "followed by \u201c-based\u201d"),
    ("entered-in:at", "a shared task entered (\u201cat \u2026\u201d)"),
    ("own-part", "listed as a part of the paper's own system"),
    ("kind-of-proposal:we introduce a 1-bit",
     "the kind of what the paper proposes (\u201cwe introduce a 1-bit \u2026\u201d)"),
    ("paper:part-of-proposed", "a named part of what the paper proposes"),
    ("paper:size-of-proposed", "a size of a model the paper proposes"),
    ("paper:proposed-benchmark-evaluates", "a benchmark the paper proposes and evaluates models on"),
    ("paper:coordinated", "listed together with a name the paper proposes"),
    ("paper:some-new-reason", "read from the whole paper (some-new-reason)"),
    ("cue:", "cue:"),  # no words: shown as it is
    ("a-code-of-no-known-form", "a-code-of-no-known-form"),
])
def test_cue_phrase_words_every_form_of_role_cue(code, words):
    assert cue_phrase(code) == words


def test_every_cue_of_the_example_graph_reads_as_words(graph):
    cues = {e["info"]["cue"]: e["info"]["cue_text"] for e in to_pyvis(graph).edges if "cue" in e.get("info", {})}
    assert {c.split(":")[0] for c in cues} >= {"cue", "rule", "title", "paper", "right", "kind-of-proposal"}
    assert all(text == cue_phrase(code) and text != code for code, text in cues.items())


def test_landmarks_rank_the_focus_then_entities_by_links(graph, view):
    net = to_pyvis(graph)
    ranked = sorted((n["landmark"], n["id"]) for n in net.nodes if "landmark" in n)
    assert [r for r, _ in ranked] == list(range(min(LANDMARK_CANDIDATES, len(net.nodes))))
    entities = sorted((n for n, t in view.nodes(data="type") if t != "PAPER"), key=lambda n: (-view.degree(n), n))
    assert [n for _, n in ranked[:len(entities)]] == entities[:LANDMARK_CANDIDATES]  # papers after every entity
    ego = to_pyvis(graph, focus="2402.19474", depth=1)  # the focus first, though a paper and not the busiest
    assert [n["id"] for n in ego.nodes if n.get("landmark") == 0] == ["https://arxiv.org/abs/2402.19474"]
    assert max(view.degree(n["id"]) for n in ego.nodes) > view.degree("https://arxiv.org/abs/2402.19474")


# -- the page -------------------------------------------------------------------------------------------------


class _Refs(HTMLParser):
    """Every URL the page's markup could load, and the text of its inline scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls, self.blocks, self.csp, self._tag, self._attrs = [], [], "", None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._tag, self._attrs = tag, attrs
        for key in ("src", "href", "data", "poster", "srcset"):
            if attrs.get(key) and tag != "a":
                self.urls.append(attrs[key])
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy":
            self.csp = attrs["content"]

    def handle_data(self, data):
        if self._tag in ("script", "style") and "type" not in self._attrs:
            self.blocks.append(data)

    def handle_endtag(self, tag):
        self._tag = None


def test_page_loads_nothing_from_the_network_and_every_block_is_hashed(graph):
    html = render_html(to_pyvis(graph))
    refs = _Refs()
    refs.feed(html)
    assert refs.urls == []  # everything inline
    assert not re.search(r"jsdelivr|cdnjs|unpkg|googleapis|bootstrap", html, re.I)  # pyvis's template has them
    assert set(re.findall(r"url\(\s*['\"]?([a-z]+):", html)) == {"data"} and "@import" not in html
    assert "default-src 'none'" in refs.csp and "unsafe" not in refs.csp
    assert len(refs.blocks) == 4  # vis-network css, own css, vis-network js, own js
    for block in refs.blocks:
        digest = base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in refs.csp


def test_beside_assets_are_written_next_to_the_page(graph, tmp_path):
    page = write_html(to_pyvis(graph, focus="GPT-4"), tmp_path / "gpt4.html", assets="beside")
    refs = _Refs()
    refs.feed(page.read_text(encoding="utf-8"))
    assert sorted(refs.urls) == ["gpt4_files/vis-network.css", "gpt4_files/vis-network.min.js"]
    assert (tmp_path / "gpt4_files" / "vis-network.min.js").stat().st_size > 400_000
    assert "sourceMappingURL" not in (tmp_path / "gpt4_files" / "vis-network.min.js").read_text(encoding="utf-8")
    assert page.stat().st_size < 200_000


def test_same_graph_same_bytes(graph, tmp_path):
    a = write_html(to_pyvis(graph), tmp_path / "a.html").read_bytes()
    b = write_html(to_pyvis(kg.load_graph(SEED_GRAPH)), tmp_path / "b.html").read_bytes()
    assert a == b
    c = write_html(to_pyvis(graph, layout="static"), tmp_path / "c.html").read_bytes()
    d = write_html(to_pyvis(graph, layout="static"), tmp_path / "d.html").read_bytes()
    assert c == d


def test_input_text_cannot_close_the_data_block(view):
    hostile = view.copy()
    hostile.nodes[GPT4]["label"] = "</script><script>alert(1)</script>\u2028&amp;"
    html = render_html(to_pyvis(hostile))
    assert html.count("</script>") == 3
    block = html.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]
    data = json.loads(block)
    assert next(n for n in data["nodes"] if n["id"] == GPT4)["label"] == "</script><script>alert(1)</script>\u2028&amp;"


def test_committed_example_page_is_current(graph):
    """outputs/graph.html is the page of outputs/graph.ttl (rebuild: kg viz outputs/graph.ttl -o outputs/graph.html)."""
    committed = ROOT / "outputs" / "graph.html"
    if not committed.exists():
        pytest.skip("outputs/graph.html not built")
    assert committed.read_text(encoding="utf-8") == render_html(to_pyvis(graph)), \
        "outputs/graph.html is stale: run `kg viz outputs/graph.ttl -o outputs/graph.html` after rebuilding outputs"


# -- CLI ------------------------------------------------------------------------------------------------------


def test_cli_viz_writes_views_and_reports_errors_in_one_line(tmp_path):
    runner = CliRunner()
    out = tmp_path / "models.html"
    result = runner.invoke(cli, ["viz", str(SEED_GRAPH), "-o", str(out), "--types", "MODEL,DATASET",
                                 "--min-degree", "1"])
    assert result.exit_code == 0, result.output
    assert out.exists() and "nodes" in result.output
    result = runner.invoke(cli, ["viz", str(SEED_GRAPH), "-o", str(tmp_path / "x.html"), "--focus", "GPT-4o"])
    assert result.exit_code == 1 and "[E060]" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()
    result = runner.invoke(cli, ["viz", "--help"])
    assert "Example:" in result.output and "--focus" in result.output


# -- in Chromium ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A page opened from file://, recording every request and every console error or uncaught exception."""

    def __init__(self, browser, path: Path, size=(1280, 800)):
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        self.requests, self.errors = [], []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.resolve().as_uri())
        # Polled from Python: Playwright's wait_for_function evaluates a string, which the page's CSP forbids.
        deadline = time.monotonic() + 60
        while not self.js("window.kg !== undefined && window.kg.ready === true"):
            assert time.monotonic() < deadline, f"page never became ready; errors: {self.errors}"
            time.sleep(0.1)

    def js(self, expression, arg=None):
        return self.page.evaluate(expression, arg)

    def check_clean(self):
        assert self.errors == []
        assert [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))] == []

    def screenshot(self, name):
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))

    def node_point(self, node_id):
        """Page coordinates of a node's centre."""
        return self.js("""id => {
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            const r = document.getElementById('kg-network').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""", node_id)


@pytest.fixture(scope="module")
def seed_page(browser, graph, view, tmp_path_factory):
    path = write_html(to_pyvis(graph), tmp_path_factory.mktemp("viz") / "graph.html")
    page = Page(browser, path)
    yield page
    page.page.close()


def test_page_shows_the_whole_graph_offline(seed_page, view):
    seed_page.screenshot("viz_seed.png")
    seed_page.check_clean()
    assert seed_page.js("network.body.data.nodes.length") == view.number_of_nodes()
    assert seed_page.js("network.body.data.edges.length") == view.number_of_edges()
    assert seed_page.js("nodes.length") == view.number_of_nodes()
    assert seed_page.js("network.physics.options.enabled") is False  # stopped after stabilising
    assert seed_page.js("document.querySelectorAll('#kg-types input[type=checkbox]').length") == 6
    assert seed_page.js("document.getElementById('kg-summary').textContent") == \
        f"{view.number_of_nodes()} nodes, {view.number_of_edges()} edges"


def test_search_selects_and_centres_a_node(seed_page):
    page = seed_page.page
    page.fill("#kg-search", "gpt-4")
    page.press("#kg-search", "Enter")
    assert seed_page.js("network.getSelectedNodes()") == [GPT4]
    centre = seed_page.js("network.getViewPosition()")
    node = seed_page.js(f"network.getPositions(['{GPT4}'])['{GPT4}']")
    assert abs(centre["x"] - node["x"]) < 1 and abs(centre["y"] - node["y"]) < 1
    panel = seed_page.js("document.getElementById('kg-panel').hidden ? '' : "
                         "document.getElementById('kg-panel').textContent")
    assert "GPT-4" in panel and "papers" in panel
    links = seed_page.js("[...document.querySelectorAll('#kg-panel a')].map(a => a.href)")
    assert links and all(href.startswith("https://arxiv.org/abs/") for href in links)
    seed_page.screenshot("viz_search.png")
    page.fill("#kg-search", "no such node at all")
    page.press("#kg-search", "Enter")
    assert "no node matches" in seed_page.js("document.getElementById('kg-status').textContent")
    seed_page.check_clean()


def test_hover_shows_a_tooltip_and_click_selects(seed_page):
    page = seed_page.page
    page.fill("#kg-search", "GPT-4")
    page.press("#kg-search", "Enter")
    seed_page.js("network.unselectAll()")
    x, y = seed_page.node_point(GPT4)
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tip = seed_page.js("document.querySelector('div.vis-tooltip').textContent")
    assert tip.startswith("MODELGPT-4") and "papers" in tip
    page.mouse.click(x, y)
    assert seed_page.js("network.getSelectedNodes()") == [GPT4]
    seed_page.check_clean()


def test_edges_carry_a_tooltip_saying_why(seed_page):
    tip = seed_page.js("edges.get({filter: e => e.from === 'https://arxiv.org/abs/2402.19474' && "
                       "e.label === 'comparesWith'})[0].title.textContent")
    # the cue in words, its code in small type, the sentence
    assert tip.startswith("comparesWithcue \u201csurpassing\u201d cue:surpassingNotably, our ASMv2 achieves")
    assert seed_page.js("edges.get({filter: e => e.label === 'variantOf'})[0].title") == "variantOf"
    seed_page.check_clean()


def test_type_checkboxes_hide_and_show_a_type(seed_page, view):
    papers = sum(1 for _, t in view.nodes(data="type") if t == "PAPER")
    box = "#kg-types input[data-type=PAPER]"
    seed_page.page.uncheck(box)
    assert seed_page.js("nodes.get({filter: n => n.hidden}).length") == papers
    assert seed_page.js("kg.find('2402.19474')") is None  # hidden types are not searched
    seed_page.page.check(box)
    assert seed_page.js("nodes.get({filter: n => n.hidden}).length") == 0
    assert seed_page.js("kg.find('2402.19474')") == "https://arxiv.org/abs/2402.19474"
    seed_page.check_clean()


def test_search_folds_names_and_arxiv_ids_and_steps_through_matches(seed_page):
    page = seed_page.page
    for query in ("gpt4", "GPT 4"):  # case, spaces and punctuation folded, as kg lookup folds them
        assert seed_page.js("q => kg.find(q)", query) == GPT4
    for query in ("arXiv:2402.19474", "2402.19474v1", "https://arxiv.org/abs/2402.19474"):
        assert seed_page.js("q => kg.find(q)", query) == "https://arxiv.org/abs/2402.19474"
    # several matches: Enter again goes to the next one, and the status says which
    page.fill("#kg-search", "llava")
    page.press("#kg-search", "Enter")
    first = seed_page.js("network.getSelectedNodes()")
    status = seed_page.js("document.getElementById('kg-status').textContent")
    assert status.startswith("match 1 of ")
    page.press("#kg-search", "Enter")
    assert seed_page.js("network.getSelectedNodes()") != first
    assert seed_page.js("document.getElementById('kg-status').textContent").startswith("match 2 of ")
    # a match of a hidden type is named as hidden, not as missing
    for kind in ("MODEL", "PAPER"):  # titles name GPT-4 too
        seed_page.page.uncheck(f"#kg-types input[data-type={kind}]")
    try:
        page.fill("#kg-search", "GPT-4")
        page.press("#kg-search", "Enter")
        assert seed_page.js("document.getElementById('kg-status').textContent") == \
            "\u201cGPT-4\u201d is hidden: tick MODEL to see it"
    finally:
        for kind in ("MODEL", "PAPER"):
            seed_page.page.check(f"#kg-types input[data-type={kind}]")
    # the shortened label of a long title is no suggestion of its own
    options = seed_page.js("[...document.querySelectorAll('#kg-names option')].map(o => o.value)")
    assert not any(o.endswith("\u2026") for o in options) and len(options) == len(set(options))
    seed_page.check_clean()


def test_page_names_and_finds_an_old_style_arxiv_id_whole(browser, old_ids, tmp_path):
    """The page shows "arXiv:cs/0601001", not its IRI's last segment, and its search box finds the paper by it
    (not math/0601001, which shares the number)."""
    page = Page(browser, write_html(to_pyvis(old_ids), tmp_path / "old.html"))
    try:
        cs = "https://arxiv.org/abs/cs/0601001"
        assert "arXiv:cs/0601001" in page.js("id => nodes.get(id).title.textContent", cs)
        assert page.js("q => kg.find(q)", "cs/0601001") == cs
        assert page.js("q => kg.find(q)", "math/0601001") == "https://arxiv.org/abs/math/0601001"
        page.check_clean()
    finally:
        page.page.close()


def test_panel_lists_neighbours_to_go_to_and_closes(seed_page):
    page = seed_page.page
    seed_page.js("id => kg.focusNode(id)", GPT4)
    width = seed_page.js("document.getElementById('kg-network').clientWidth")
    assert width == 1280  # the panel lies over the graph: the canvas keeps its size (and the view its scale)
    headings = seed_page.js("[...document.querySelectorAll('#kg-panel .kg-rel')].map(e => e.textContent)")
    assert any(h.startswith("\u2190 comparesWith") for h in headings)  # papers that compare with GPT-4
    button = page.locator("#kg-panel button.kg-go").first
    target = button.get_attribute("title")
    button.click()
    selected = seed_page.js("network.getSelectedNodes()")
    assert selected != [GPT4] and seed_page.js("id => nodes.get(id).info.name", selected[0]) == target.split(": ", 1)[1]
    assert not seed_page.js("document.getElementById('kg-panel').hidden")
    # hiding the selected node's type closes its panel; Escape closes it too
    kind = seed_page.js("id => nodes.get(id).kgtype", selected[0])
    page.uncheck(f"#kg-types input[data-type={kind}]")
    assert seed_page.js("document.getElementById('kg-panel').hidden")
    page.check(f"#kg-types input[data-type={kind}]")
    seed_page.js("id => kg.focusNode(id)", GPT4)
    page.keyboard.press("Escape")
    assert seed_page.js("document.getElementById('kg-panel').hidden") and seed_page.js("network.getSelectedNodes()") == []
    seed_page.check_clean()


def test_edge_tooltip_reads_the_cue_in_words_with_its_code_in_small_type(seed_page):
    rows = seed_page.js("""edges.get({filter: e => e.info && e.info.cue}).map(e => {
        const line = e.title.querySelector('.kg-tip-cue'), code = line.querySelector('.kg-tip-code');
        return [e.info.cue, line.firstChild.textContent, code && code.textContent];
    })""")
    assert len(rows) > 100
    raw = re.compile(r"^(?:[a-z-]+:|own-part$)")
    for code, first, small in rows:  # first the words, then the code
        assert first == cue_phrase(code) and not raw.match(first) and small == code
    # hovered, as a reader sees it: a comparesWith edge, zoomed in on its middle
    page = seed_page.page
    edge = seed_page.js("edges.get({filter: e => e.from === 'https://arxiv.org/abs/2402.19474' && "
                        "e.label === 'comparesWith'})[0].id")
    # the first point along it, from its middle, with no node or node label over it (labels are drawn, and
    # so caught by the pointer, as placed for the scale)
    x, y, under = seed_page.js("""id => {
        const e = edges.get(id), p = network.getPositions([e.from, e.to]);
        network.unselectAll();
        const r = document.getElementById('kg-network').getBoundingClientRect();
        for (const t of [0.5, 0.4, 0.6, 0.3, 0.7]) {
            network.moveTo({position: {x: p[e.from].x + t * (p[e.to].x - p[e.from].x),
                                       y: p[e.from].y + t * (p[e.to].y - p[e.from].y)}, scale: 2, animation: false});
            network.redraw();
            const at = {x: r.width / 2, y: r.height / 2};
            if (network.getNodeAt(at) === undefined) return [r.left + at.x, r.top + at.y, network.getEdgeAt(at)];
        }
        return [0, 0, null];
    }""", edge)
    assert under == edge  # nothing else under the pointer
    # come along the edge: a node hovered on the way would show its neighbours' labels, which may cover the edge
    page.mouse.move(x - 1, y)
    page.mouse.move(x, y)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
    tip = seed_page.js("document.querySelector('div.vis-tooltip').textContent")
    assert tip.startswith("comparesWithcue \u201csurpassing\u201d")
    sizes = seed_page.js("[...document.querySelectorAll('div.vis-tooltip .kg-tip-cue, div.vis-tooltip .kg-tip-code')]"
                         ".map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert sizes[1] < sizes[0]  # the code smaller than the words
    page.mouse.move(5, 5)
    seed_page.js("network.fit({animation: false})")
    seed_page.check_clean()


def test_relation_checkboxes_hide_edges_together_with_type_checkboxes(seed_page, view):
    page = seed_page.page
    relations = sorted({k for _, _, k in view.edges(keys=True)})
    boxes = seed_page.js("[...document.querySelectorAll('#kg-relations input[type=checkbox]')].map(b => "
                         "b.getAttribute('data-relation'))")
    assert boxes == relations
    edges = list(view.edges(keys=True))
    papers = {n for n, t in view.nodes(data="type") if t == "PAPER"}
    drawn = "network.body.edgeIndices.length"  # what vis-network draws: relation ticked, both ends shown
    mentions = "#kg-relations input[data-relation=mentions]"
    seed_page.js("id => kg.focusNode(id)", GPT4)
    assert "\u2190 mentions" in seed_page.js("document.getElementById('kg-panel').textContent")
    try:
        page.uncheck(mentions)
        assert seed_page.js("edges.get({filter: e => e.hidden}).length") == sum(k == "mentions" for *_, k in edges)
        assert seed_page.js("new Set(edges.get({filter: e => e.hidden}).map(e => e.label)).size") == 1
        assert seed_page.js(drawn) == sum(k != "mentions" for *_, k in edges)
        # the open panel lists no neighbour through a hidden relation
        headings = seed_page.js("[...document.querySelectorAll('#kg-panel .kg-rel')].map(e => e.textContent)")
        assert headings and not any("mentions" in h for h in headings)
        # with PAPER unticked as well, only links between entities are left, mentions or not
        page.uncheck("#kg-types input[data-type=PAPER]")
        between = [k for s, o, k in edges if s not in papers and o not in papers]
        assert seed_page.js(drawn) == sum(k != "mentions" for k in between) > 0
        page.check(mentions)
        assert seed_page.js(drawn) == len(between)
        assert seed_page.js("edges.get({filter: e => e.hidden}).length") == 0
        page.check("#kg-types input[data-type=PAPER]")
        assert seed_page.js(drawn) == len(edges)
    finally:
        page.check(mentions)
        page.check("#kg-types input[data-type=PAPER]")
        seed_page.js("network.unselectAll(); document.getElementById('kg-panel').hidden = true")
    seed_page.check_clean()


def test_keys_pan_and_zoom_from_the_canvas_or_the_page_but_not_while_typing(seed_page):
    page, js = seed_page.page, seed_page.js
    js("network.fit({animation: false}); document.activeElement.blur()")
    assert js("document.activeElement === document.body")
    scale = js("network.getScale()")
    view = "[network.getScale(), network.getViewPosition()]"
    page.keyboard.press("+")
    assert js("network.getScale()") == pytest.approx(scale * 1.25)
    page.keyboard.press("-")
    assert js("network.getScale()") == pytest.approx(scale)
    before = js("network.getViewPosition()")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    after = js("network.getViewPosition()")
    assert after["x"] > before["x"] + 100 and after["y"] > before["y"] + 100
    page.keyboard.press("0")  # fit again
    # vis-network fits the nodes' boxes, labels included, and which labels are drawn depends on the scale
    # (`placeLabels`): the second fit may differ from the first in the fourth digit
    assert js("network.getScale()") == pytest.approx(scale, rel=1e-2)
    scale = js("network.getScale()")
    # a click on an empty spot of the canvas gives it the focus, and the keys work there too
    box = page.locator("#kg-network").bounding_box()
    assert js("p => network.getNodeAt(p) === undefined && network.getEdgeAt(p) === undefined",
              {"x": 4, "y": box["height"] - 4})
    page.mouse.click(box["x"] + 4, box["y"] + box["height"] - 4)
    assert js("document.getElementById('kg-network').contains(document.activeElement)")
    page.keyboard.press("+")
    page.keyboard.press("ArrowLeft")
    assert js("network.getScale()") == pytest.approx(scale * 1.25)
    page.keyboard.press("0")
    # typing in the search box reaches the box and moves nothing
    page.fill("#kg-search", "")
    page.focus("#kg-search")
    still = js(view)
    page.keyboard.type("a-b+0=")
    for key in ("ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "-", "+"):
        page.keyboard.press(key)
    assert js("document.getElementById('kg-search').value") == "a-b+0=-+"
    assert js(view) == still
    page.fill("#kg-search", "")
    # and the page says so
    hint = page.locator("#kg-keys")
    assert hint.is_visible() and all(w in hint.text_content() for w in ("pan", "zoom", "fit", "Esc"))
    seed_page.check_clean()


def test_a_page_without_its_beside_assets_says_so(browser, graph, tmp_path):
    # a name that must be URL-encoded in the asset links ("#" would end the path), and the page moved alone
    path = write_html(to_pyvis(graph, focus="GPT-4"), tmp_path / "a#b.html", assets="beside")
    page = Page(browser, path)
    try:
        page.check_clean()
        assert any(u.endswith("/a%23b_files/vis-network.min.js") for u in page.requests)
    finally:
        page.page.close()
    alone = tmp_path / "moved"
    alone.mkdir()
    shutil.copy(path, alone / "a#b.html")
    view = browser.new_page()
    try:
        view.goto((alone / "a#b.html").as_uri())
        deadline = time.monotonic() + 10
        while "did not load" not in view.evaluate("document.getElementById('kg-status').textContent"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        view.close()


@pytest.mark.parametrize("layout,assets", [("static", "inline"), ("physics", "beside")])
def test_other_layouts_and_assets_load_offline(browser, graph, view, tmp_path, layout, assets):
    path = write_html(to_pyvis(graph, focus="GPT-4", layout=layout), tmp_path / "v.html", assets=assets)
    page = Page(browser, path)
    try:
        page.check_clean()
        assert page.js("network.body.data.nodes.length") == ego_view(view, "GPT-4", 2).number_of_nodes()
        if assets == "beside":
            assert any(u.endswith("/v_files/vis-network.min.js") for u in page.requests)
    finally:
        page.page.close()


def test_hostile_titles_stay_text(browser, nlp, tmp_path):
    """A digest whose title and abstract hold <script> and onerror= payloads: nothing runs, no element is
    made from them, and the page shows them as text (tooltip, details panel, page title)."""
    result = kg.build_graph([str(FIXTURES / "viz_xss.md")], nlp=nlp, progress=False)
    paper = "https://arxiv.org/abs/2401.99999"
    title = str(result.graph.value(kg.rdf.paper_iri("2401.99999"), kg.rdf.RDFS.label))
    assert "<script>window.__pwned=1</script>" in title and 'onerror="window.__pwned=1"' in title
    net = to_pyvis(result.graph)
    path = write_html(net, tmp_path / "xss.html", title=title)
    page = Page(browser, path)
    try:
        page.check_clean()
        assert page.js("typeof window.__pwned") == "undefined"
        assert page.js("document.querySelectorAll('img').length") == 0
        assert page.js("document.scripts.length") == 3
        assert page.js("document.title") == title
        assert page.js("document.getElementById('kg-title').textContent") == title
        page.page.fill("#kg-search", "2401.99999")
        page.page.press("#kg-search", "Enter")
        assert page.js("network.getSelectedNodes()") == [paper]
        panel = page.js("document.getElementById('kg-panel-body')")
        assert panel is not None
        text = page.js("document.getElementById('kg-panel-body').textContent")
        assert title in text and "恶意标题 <script>window.__pwned=1</script>" in text
        assert "&lt;script&gt;" in page.js("document.getElementById('kg-panel-body').innerHTML")
        x, y = page.node_point(paper)
        page.page.mouse.move(x - 30, y - 30)
        page.page.mouse.move(x, y)
        page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
        assert title in page.js("document.querySelector('div.vis-tooltip').textContent")
        page.page.wait_for_timeout(300)  # give any smuggled handler a chance to fire
        assert page.js("typeof window.__pwned") == "undefined"
        assert page.js("document.querySelectorAll('img, b, iframe, object, embed').length") == 0
        page.screenshot("viz_xss.png")
        page.check_clean()
    finally:
        page.page.close()


def _big_view(papers: int = 900, entities: int = 1600, seed: int = 3) -> nx.MultiDiGraph:
    """A corpus-sized view (2,500 nodes): papers linking 3 entities each, drawn so that a few entities are named
    by many papers (as GPT-4 is) and most by one or none."""
    rng = random.Random(seed)
    relation = {"MODEL": "uses", "DATASET": "evaluatesOn", "METHOD": "proposes", "TASK": "mentions",
                "METRIC": "mentions"}
    types = list(relation)
    view = nx.MultiDiGraph()
    names = []
    for i in range(entities):
        kind = types[i % len(types)]
        names.append(f"https://w3id.org/paperkg/id/{kind.lower()}/e{i:04d}")
        view.add_node(names[-1], type=kind, label=f"{kind.title()} {i:04d}", aliases=[], papers=0)
    for i in range(papers):
        paper = f"https://arxiv.org/abs/2401.{i:05d}"
        view.add_node(paper, type="PAPER", label=f"A study of topic {i:04d} in machine learning")
        for _ in range(3):
            entity = names[min(int(entities * rng.random() ** 3), entities - 1)]
            view.add_edge(paper, entity, key=relation[view.nodes[entity]["type"]])
    return view


def test_a_big_graph_opens_with_its_busiest_labels_readable(browser, tmp_path):
    view = _big_view()
    net = to_pyvis(view)
    font = net.options["nodes"]["font"]["size"]
    page = Page(browser, write_html(net, tmp_path / "big.html"))
    try:
        page.check_clean()
        scale = page.js("network.getScale()")
        assert font * scale < 3  # the problem: at the starting zoom vis-network draws no ordinary label (< 4 px)
        shown = page.js("""() => Object.values(network.body.nodes).filter(n => n.labelModule.visible()).map(n =>
            ({id: n.id, px: n.labelModule.fontOptions.size * network.getScale(), box: n.labelModule.size}))""")
        ranked = sorted(view, key=lambda n: (view.nodes[n]["type"] == "PAPER", -view.degree(n), n))
        ids = [s["id"] for s in shown]
        assert ranked[0] in ids and 10 <= len(ids) <= LANDMARK_LABELS
        assert set(ids) <= set(ranked[:LANDMARK_CANDIDATES])
        assert all(s["px"] == pytest.approx(LANDMARK_PX, abs=0.01) for s in shown)
        boxes = [(s["box"]["left"], s["box"]["top"], s["box"]["left"] + s["box"]["width"],
                  s["box"]["top"] + s["box"]["height"]) for s in shown]
        for i, (l1, t1, r1, b1) in enumerate(boxes):  # no label over another
            assert all(not (l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1) for l2, t2, r2, b2 in boxes[i + 1:])
        page.screenshot("viz_big.png")
        # the same view on every load: the ranking is in the page
        assert page.js("JSON.parse(document.getElementById('kg-data').textContent).landmarks.ids") == \
            ranked[:LANDMARK_CANDIDATES]
        # after a wheel zoom has come to rest, the labels are placed again for the new scale
        box = page.page.locator("#kg-network").bounding_box()
        page.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        for _ in range(3):
            page.page.mouse.wheel(0, -100)
        sizes = "() => kg.landmarks.map(id => nodes.get(id).font.size * network.getScale())"
        deadline = time.monotonic() + 5
        while not (page.js("network.getScale()") > scale * 1.2 and page.js(sizes)
                   and all(px == pytest.approx(LANDMARK_PX, abs=0.01) for px in page.js(sizes))):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        # zoomed in until ordinary labels are readable, the landmarks are ordinary again
        page.js("network.moveTo({scale: 1.5, animation: false}); network.redraw()")
        deadline = time.monotonic() + 5
        while page.js("kg.landmarks.length"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert page.js("id => nodes.get(id).font.size", ranked[0]) == font
        page.check_clean()
    finally:
        page.page.close()


# Every label vis-network draws in one redraw, as a box in CSS px on the page (the canvas transform at the time
# turns an edge's label along the edge), marked "landmark" for a node in kg.landmarks. Label.prototype._drawText
# is wrapped once per page; it records only during this call.
DRAWN_LABELS = """() => {
  const label = Object.getPrototypeOf(Object.values(network.body.nodes)[0].labelModule);
  if (!label._drawTextUntraced) {
    label._drawTextUntraced = label._drawText;
    label._drawText = function (ctx, ...rest) {
      if (kg.drawnLabels) {
        const m = ctx.getTransform(), s = this.getSize(), r = window.devicePixelRatio, xs = [], ys = [];
        for (const [x, y] of [[s.left, s.top], [s.left + s.width, s.top], [s.left, s.top + s.height],
                              [s.left + s.width, s.top + s.height]]) {
          xs.push((m.a * x + m.c * y + m.e) / r);
          ys.push((m.b * x + m.d * y + m.f) / r);
        }
        kg.drawnLabels.push({id: this.elementOptions.id, edge: this.isEdgeLabel, left: Math.min(...xs),
                             right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys)});
      }
      return this._drawTextUntraced(ctx, ...rest);
    };
  }
  kg.drawnLabels = [];
  let drawn;
  try { network.redraw(); } finally { drawn = kg.drawnLabels; kg.drawnLabels = null; }
  const marks = new Set(kg.landmarks);
  drawn.forEach(d => { d.kind = d.edge ? 'edge' : marks.has(d.id) ? 'landmark' : 'node'; });
  return drawn;
}"""


def _clashes(labels, pad=1.5):
    """(kind, id, landmark id) of every drawn label whose box meets a landmark's, grown by `pad` px (1.5: its
    white halo)."""
    marks = [m for m in labels if m["kind"] == "landmark"]
    return [(o["kind"], o["id"], m["id"]) for o in labels if o["kind"] != "landmark" for m in marks
            if o["left"] < m["right"] + pad and m["left"] - pad < o["right"]
            and o["top"] < m["bottom"] + pad and m["top"] - pad < o["bottom"]]


def _overlaps(labels, keep=(), pad=0):
    """((kind, id), (kind, id)) of every pair of drawn labels whose boxes overlap, one grown by `pad` px, but for a
    pair of nodes both in `keep` (the hovered or selected node and its neighbours, drawn whatever they meet)."""
    keep = set(keep)
    return [((a["kind"], a["id"]), (b["kind"], b["id"])) for i, a in enumerate(labels) for b in labels[i + 1:]
            if a["left"] < b["right"] + pad and b["left"] - pad < a["right"]
            and a["top"] < b["bottom"] + pad and b["top"] - pad < a["bottom"]
            and not (a["kind"] != "edge" and b["kind"] != "edge" and a["id"] in keep and b["id"] in keep)]


def test_no_label_is_drawn_over_another_on_the_seed_graph(browser, graph, tmp_path):
    """vis-network draws every label where it falls: at middle zoom the seed graph's titles and names garbled each
    other. Each label gives way to those before it (landmarks, the hovered or selected node and its neighbours,
    nodes by rank and links, then edges), at the starting zoom, zoomed in, and on a searched node; the selected
    or hovered node and its neighbours keep their labels whatever they meet, and a label left out comes back
    when hovered."""
    page = Page(browser, write_html(to_pyvis(graph), tmp_path / "graph.html"))
    js = page.js
    try:
        start = js("network.getScale()")
        counts = []
        for scale in (start, 0.35, 0.5, 0.8, 1.2):  # from landmarks only to every label readable
            js("s => network.moveTo({scale: s, animation: false})", scale)
            labels = js(DRAWN_LABELS)
            kinds = Counter(label["kind"] for label in labels)
            assert scale < 0.5 or kinds["node"] + kinds["landmark"] >= 20, (scale, kinds)  # ordinary ones drawn
            counts.append(len(_overlaps(labels)))
        assert counts == [0] * 5, counts
        page.screenshot("viz_seed_middle.png")
        # the README's view: GPT-4 searched, selected at 1.2 and after; it and its neighbours labelled
        page.page.fill("#kg-search", "gpt-4")
        page.page.press("#kg-search", "Enter")
        pinned = js("kg.pinned")
        neighbours = js("id => network.getConnectedNodes(id)", GPT4)
        assert set(pinned) == {GPT4, *neighbours} and len(neighbours) >= 5
        assert js("ids => ids.filter(id => (nodes.get(id).font || {}).size === 0)", pinned) == []
        assert _overlaps(js(DRAWN_LABELS), keep=pinned) == []
        page.page.keyboard.press("Escape")  # closes the panel and unselects
        assert js("kg.pinned") == []
        # a label left out (here, for one with more links) is drawn when its node is hovered, then left out again
        hidden = js("kg.quiet.nodes.filter(id => { const p = network.canvasToDOM(network.getPositions([id])[id]); "
                    "return p.x > 50 && p.y > 50 && p.x < 1200 && p.y < 600; })")
        assert hidden
        x, y = page.node_point(hidden[0])
        page.page.mouse.move(x - 1, y)
        page.page.mouse.move(x, y)
        deadline = time.monotonic() + 5
        while hidden[0] not in js("kg.pinned"):  # placed before the next frame
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert js("id => nodes.get(id).font.size", hidden[0]) > 0
        assert _overlaps(js(DRAWN_LABELS), keep=js("kg.pinned")) == []
        page.page.mouse.move(5, 5)
        assert js("id => nodes.get(id).font.size", hidden[0]) == 0
        page.check_clean()
    finally:
        page.page.close()


def test_no_ordinary_label_is_drawn_over_or_under_a_landmark(browser, tmp_path):
    """At middle zoom vis-network draws the ordinary labels (4 to 12 px) as well as the 12 px landmarks: the
    ones that would meet a landmark's label are left out, and only those, whatever the zoom, the centre, the ticked
    types and relations, also while a wheel zoom runs; zoomed in past the landmarks, labels give way only to each
    other."""
    view = _big_view(papers=450, entities=800)
    net = to_pyvis(view)
    node_px, edge_px = net.options["nodes"]["font"]["size"], net.options["edges"]["font"]["size"]
    page = Page(browser, write_html(net, tmp_path / "big.html"))
    js = page.js

    def labels_at(scale=None, centre=None):
        if scale is not None:
            js("([id, scale]) => network.moveTo({position: network.getPositions([id])[id], scale: scale, "
               "animation: false})", [centre, scale])
        labels = js(DRAWN_LABELS)  # at a new scale the landmarks are placed before the frame is drawn
        return labels, Counter(label["kind"] for label in labels)

    try:
        ranked = js("JSON.parse(document.getElementById('kg-data').textContent).landmarks.ids")
        for scale in (0.4, 0.55, 0.8):  # edge labels (9 px) are drawn from 0.45
            for centre in (ranked[0], ranked[25]):
                labels, kinds = labels_at(scale, centre)
                assert kinds["landmark"] >= 8 and kinds["node"] >= 100, (scale, kinds)
                assert kinds["edge"] >= 100 or scale < 4 / edge_px
                assert _clashes(labels) == [], (scale, centre)
        page.screenshot("viz_big_middle.png")
        # a frame whose drawing places the landmarks is drawn whole, as the next frame draws it (vis-network's own
        # drawing on a DataSet update, inside that frame, left the frame without its view transform)
        assert js("""() => {
            const canvas = document.querySelector('#kg-network canvas');
            network.moveTo({scale: 0.6, animation: false});
            network.redraw();
            const placing = canvas.toDataURL();
            network.redraw();
            return placing === canvas.toDataURL();
        }""")
        # only labels in the way of a landmark or of a label kept are left out: drawn again, each one in the window
        # meets one (against a landmark, its box and the landmark's grown by 1 and 3 px); after that they are left
        # out again as the page had them
        quiet = js("kg.quiet")
        assert quiet["nodes"] and quiet["edges"]
        restore = """([ids, px]) => { nodes.update(ids.nodes.map(id => ({id, font: {size: px[0], strokeWidth: 0}})));
                                      edges.update(ids.edges.map(id => ({id, font: {size: px[1]}}))); }"""
        js(restore, [quiet, [node_px, edge_px]])
        labels, _ = labels_at()
        width, height = js("[document.getElementById('kg-network').clientWidth, "
                           "document.getElementById('kg-network').clientHeight]")
        back = {(label["kind"], label["id"]) for label in labels
                if label["id"] in (quiet["nodes"] if label["kind"] == "node" else quiet["edges"])
                and label["left"] > 0 and label["top"] > 0 and label["right"] < width and label["bottom"] < height}
        assert {kind for kind, _ in back} == {"node", "edge"}
        met = {(kind, id) for kind, id, _ in _clashes(labels, pad=4.5)}
        met |= {x for pair in _overlaps(labels, pad=3) for x in pair}  # 3: the 1 unit gaps and rounding
        assert back <= met
        js(restore, [quiet, [0, 0]])
        assert _clashes(labels_at()[0]) == []
        # types and relations hidden and shown again
        for box in ("#kg-types input[data-type=PAPER]", "#kg-relations input[data-relation=uses]"):
            page.page.uncheck(box)
            assert _clashes(labels_at()[0]) == []
            page.page.check(box)
            labels, kinds = labels_at()
            assert _clashes(labels) == [] and kinds["node"] >= 100
        # a wheel zoom from below the ordinary labels' threshold: they show up before the zoom has come to rest and
        # the landmarks are placed again (150 ms after it), out of the landmarks' way all the same
        labels, kinds = labels_at(0.3, ranked[0])
        assert kinds["landmark"] >= 8 and kinds["node"] == 0  # 3.6 px: vis-network draws none
        labels = js(f"""() => {{
            const canvas = document.querySelector('#kg-network canvas'), box = canvas.getBoundingClientRect();
            for (let i = 0; i < 4; i++) {{
                canvas.dispatchEvent(new WheelEvent('wheel', {{deltaY: -100, clientX: box.left + box.width / 2,
                                                              clientY: box.top + box.height / 2, bubbles: true}}));
            }}
            return [network.getScale(), ({DRAWN_LABELS})(),
                    kg.landmarks.map(id => nodes.get(id).font.size * network.getScale())];
        }}""")
        scale, labels, sizes = labels
        kinds = Counter(label["kind"] for label in labels)
        assert scale > 4 / node_px and kinds["node"] >= 100
        assert min(sizes) > LANDMARK_PX + 1  # drawn as placed for 0.3, grown with the zoom
        assert _clashes(labels) == []
        # zoomed in until ordinary labels are readable (once the wheel zoom has come to rest): no landmark, every
        # label at its own size or giving way, none over another
        js("network.moveTo({scale: 1.5, animation: false}); network.redraw()")
        deadline = time.monotonic() + 5
        while js("kg.landmarks.length"):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert js("px => nodes.get({filter: n => n.font !== undefined && n.font.size !== px && n.font.size !== 0})"
                  ".length", node_px) == 0
        assert js("px => edges.get({filter: e => e.font !== undefined && e.font.size !== px && e.font.size !== 0})"
                  ".length", edge_px) == 0
        assert _overlaps(labels_at()[0]) == []
        page.check_clean()
    finally:
        page.page.close()


# -- an arXiv id in its written forms: `kg viz --focus` and the page's search box read the same ones ------------

# Every character Python's str.strip() strips, and U+FEFF, which JS's trim() would strip too.
_SPACES = [c for c in map(chr, range(0x110000)) if c.isspace()] + ["\ufeff"]
# One list for both sides, so they cannot drift: a written form and the id `arxiv_id_of` reads in it (None: no id).
ARXIV_FORMS = [
    ("2402.19474", "2402.19474"), ("2402.19474v2", "2402.19474"), ("2402.19474v12", "2402.19474"),
    ("arXiv:2402.19474v2", "2402.19474"), ("ARXIV:2402.19474", "2402.19474"), ("arxiv:2402.19474", "2402.19474"),
    ("https://arxiv.org/abs/2402.19474v2", "2402.19474"), ("http://arxiv.org/abs/2402.19474", "2402.19474"),
    ("https://arxiv.org/pdf/2402.19474.pdf", "2402.19474"), ("https://arxiv.org/pdf/2402.19474v2.pdf", "2402.19474"),
    ("https://arxiv.org/pdf/2402.19474v2", "2402.19474"), ("HTTPS://ARXIV.ORG/ABS/2402.19474", "2402.19474"),
    ("2402.19474.pdf", "2402.19474"), (" 2402.19474\n", "2402.19474"),
    ("2402.1947", "2402.1947"),  # a whole id (of no paper here), not the start of 2402.19474
    ("cs/0601001", "cs/0601001"), ("cs/0601001v1", "cs/0601001"), ("arXiv:cs/0601001v3", "cs/0601001"),
    ("ARXIV:CS/0601001", "CS/0601001"), ("https://arxiv.org/abs/cs/0601001v1", "cs/0601001"),
    ("http://arxiv.org/pdf/cs/0601001v1.pdf", "cs/0601001"), ("math/0601001", "math/0601001"),
    ("math.GT/0309136", "math.GT/0309136"), ("math.GT/0309136v2", "math.GT/0309136"),
    ("arXiv:math.gt/0309136v2", "math.gt/0309136"), ("https://arxiv.org/pdf/math.GT/0309136", "math.GT/0309136"),
    ("hep-th/9901001", "hep-th/9901001"),
    # a number alone is no paper's (cs/0601001 and math/0601001 share it), nor is an id in other text or URL
    ("0601001", None), ("0601001v1", None), ("0309136v2", None), ("cs0601001", None), ("cs.0601001", None),
    ("cs/060100", None), ("cs/06010011", None), ("math.G/0309136", None), ("2402.194745", None),
    ("2402.19474v", None), ("2402.19474 v2", None), ("arxiv: 2402.19474", None), ("arXiv 2402.19474", None),
    ("arxiv:arxiv:2402.19474", None), ("See 2402.19474", None), ("abs/2402.19474", None),
    ("arxiv.org/abs/2402.19474", None), ("www.arxiv.org/abs/2402.19474", None),
    ("https://www.arxiv.org/abs/2402.19474", None), ("https://example.org/abs/cs/0601001", None),
    ("https://arxiv.org/abs/cs/0601001/x", None), ("https://arxiv.org/abs/2402.19474/", None),
    ("https://arxiv.org/html/2402.19474", None), ("https://arxiv.org/abs/arXiv:2402.19474", None), ("", None),
    # letters and digits that only look like the ASCII ones an id is written in
    ("\u017ftat/0601001", None), ("\u212a/0601001", None), ("\uff12\uff14\uff10\uff12.\uff11\uff19\uff14\uff17\uff14", None),
] + [(c + "2402.19474" + c, "2402.19474" if c.isspace() else None) for c in _SPACES]


def _paper_of(view, arxiv_id):
    """The paper whose whole arXiv id is `arxiv_id` (ids are typed in any case), else None."""
    iri = str(kg.rdf.paper_iri(arxiv_id)).casefold() if arxiv_id else None
    return next((n for n, t in view.nodes(data="type") if t == "PAPER" and n.casefold() == iri), None)


@pytest.mark.parametrize("form, arxiv_id", ARXIV_FORMS)
def test_focus_reads_an_arxiv_id_in_each_written_form(old_ids, form, arxiv_id):
    assert kg.parse.common.arxiv_id_of(form) == arxiv_id
    paper = _paper_of(old_ids, arxiv_id)
    if paper is None:
        with pytest.raises(kg.KGError, match=r"\[E060\]"):
            find_nodes(old_ids, form)
    else:
        assert find_nodes(old_ids, form) == [paper]


@pytest.fixture(scope="module")
def old_ids_page(browser, old_ids, tmp_path_factory):
    page = Page(browser, write_html(to_pyvis(old_ids), tmp_path_factory.mktemp("old_ids_page") / "old.html"))
    yield page
    page.page.close()


@pytest.mark.parametrize("form, arxiv_id", ARXIV_FORMS)
def test_search_box_reads_an_arxiv_id_in_each_written_form_as_focus_does(old_ids_page, old_ids, form, arxiv_id):
    """The page reads the id `arxiv_id_of` reads and finds the paper `find_nodes` finds, or nothing."""
    assert old_ids_page.js("q => kg.arxivId(q)", form) == arxiv_id
    paper = _paper_of(old_ids, arxiv_id)
    assert old_ids_page.js("q => kg.find(q)", form) == paper
    if paper is not None:  # the one whose tooltip names that id whole
        tip = old_ids_page.js("id => nodes.get(id).title.textContent", paper)
        assert f"arXiv:{kg.parse.common.arxiv_id_of(paper)}" in tip and arxiv_id.casefold() in tip.casefold()


def test_search_box_finds_no_paper_by_its_number_alone(old_ids_page):
    page = old_ids_page.page
    for query in ("0601001", "https://www.arxiv.org/abs/2402.19474", "arxiv: 2402.19474"):
        page.fill("#kg-search", query)
        page.press("#kg-search", "Enter")
        assert old_ids_page.js("document.getElementById('kg-status').textContent") == \
            f"no node matches \u201c{query}\u201d"
    page.fill("#kg-search", "arXiv:CS/0601001v2")
    page.press("#kg-search", "Enter")
    assert old_ids_page.js("network.getSelectedNodes()") == ["https://arxiv.org/abs/cs/0601001"]
    old_ids_page.check_clean()


# -- as a reader uses the page: a phone, a click by the panel, awkward names ----------------------------------

RECT = "s => { const r = document.querySelector(s).getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"


def test_a_phone_sized_window_keeps_its_controls_and_the_graph_in_view(browser, graph, tmp_path):
    """At 375 x 667 the search box's fixed width pushed Fit and the status off the page (which scrolled sideways),
    the details panel was a 169 px column over the searched node, and in a low window (640 x 300) the header left
    the graph 71 px: now everything fits the width, the panel lies over the lower part at full width with the node
    above it, and the graph keeps half the window."""
    path = write_html(to_pyvis(graph), tmp_path / "graph.html")
    page = Page(browser, path, size=(375, 667))
    js = page.js
    try:
        assert js("document.documentElement.scrollWidth") <= 375
        assert js(RECT, "#kg-fit")[2] <= 375
        page.page.fill("#kg-search", "GPT-4")
        page.page.press("#kg-search", "Enter")
        assert js("network.getSelectedNodes()") == [GPT4]
        assert js("document.getElementById('kg-status').textContent").startswith("match 1 of ")
        assert js(RECT, "#kg-status")[2] <= 375 and js("document.documentElement.scrollWidth") <= 375
        left, top, right, bottom = js(RECT, "#kg-panel")
        canvas = js(RECT, "#kg-network")
        assert (left, right) == (0, 375) and canvas[1] + 100 < top < bottom <= canvas[3]
        x, y = page.node_point(GPT4)
        assert y < top - 40 and 0 < x < 375  # the node and its label above the panel
        assert canvas[3] - canvas[1] >= 667 / 2
        page.screenshot("viz_phone.png")
        page.check_clean()
    finally:
        page.page.close()
    page = Page(browser, path, size=(640, 300))
    try:
        assert page.js("document.getElementById('kg-network').clientHeight") >= 150
        page.check_clean()
    finally:
        page.page.close()


def test_a_node_clicked_by_the_panel_is_brought_clear_of_it_and_its_tooltip_drawn_over_it(browser, graph, tmp_path):
    """The panel lies over the right of the graph: a node clicked there was hidden under its own details, and a
    tooltip near the panel was cut off under it."""
    page = Page(browser, write_html(to_pyvis(graph), tmp_path / "graph.html"))
    js = page.js
    try:
        panel_width = 340
        canvas = js(RECT, "#kg-network")
        # the node furthest right in the window, where the panel will lie
        node = js("""([width, height]) => {
            let best = null;
            for (const [id, p] of Object.entries(network.getPositions())) {
                const d = network.canvasToDOM(p);
                if (d.x < width - 20 && d.y > 20 && d.y < height - 20 && (!best || d.x > best[1])) best = [id, d.x];
            }
            return best[0];
        }""", [canvas[2] - canvas[0], canvas[3] - canvas[1]])
        x, y = page.node_point(node)
        assert x > canvas[2] - panel_width + 10
        scale = js("network.getScale()")
        page.page.mouse.move(x - 5, y - 5)
        page.page.mouse.click(x, y)
        assert js("network.getSelectedNodes()") == [node]
        left = js(RECT, "#kg-panel")[0]
        assert left == canvas[2] - panel_width
        x, y = page.node_point(node)
        assert canvas[0] < x < left - 40 and canvas[1] < y < canvas[3]
        assert js("network.getScale()") == scale  # moved, not zoomed
        # hovered where it now stands, its tooltip reaches over the panel and is drawn over it
        page.page.mouse.move(x - 5, y - 5)
        page.page.mouse.move(x, y)
        page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5000)
        tip = js(RECT, "div.vis-tooltip")
        assert tip[2] > left
        assert js("['div.vis-tooltip', '#kg-panel'].map(s => +getComputedStyle(document.querySelector(s)).zIndex)"
                  ".reduce((tip, panel) => tip > panel)")
        # a node clicked well clear of the panel stays where it is
        page.page.keyboard.press("Escape")
        other = js("id => nodes.getIds().find(n => { const d = network.canvasToDOM(network.getPositions([n])[n]);"
                   " return n !== id && d.x > 100 && d.x < 500 && d.y > 100 && d.y < 500; })", node)
        before = page.node_point(other)
        page.page.mouse.click(*before)
        assert js("network.getSelectedNodes()") == [other] and page.node_point(other) == before
        page.check_clean()
    finally:
        page.page.close()


def test_awkward_names_are_offered_found_and_drawn_short(browser, tmp_path):
    """Names that are properties of every JS object ("constructor", "toString") were missing from the search box's
    suggestions; an entity's 108-character name was drawn whole across the graph (it is cut as a paper's title is,
    whole in the tooltip, panel and suggestions); an empty search said no node matches “”."""
    base = "https://w3id.org/paperkg/id/method/"
    long_name = ("Self-sUpervised meta-Prompt learning framework with meta-gradient Regularization for few-shot "
                 "generalization")
    view = nx.MultiDiGraph()
    paper = "https://arxiv.org/abs/2401.00001"
    view.add_node(paper, type="PAPER", label="A paper")
    names = {"ctor": ("constructor", ["toString", "__proto__"]), "long": (long_name, []),
             "quote": ("O'Brien \"Net\" & <Co>", ["中文 别名"])}
    for key, (label, aliases) in names.items():
        view.add_node(base + key, type="METHOD", label=label, aliases=aliases, papers=1)
        view.add_edge(paper, base + key, key="proposes")
    net = to_pyvis(view)
    drawn = {n["id"]: n["label"] for n in net.nodes}
    assert drawn[base + "long"] == long_name[:ENTITY_LABEL_CHARS - 1].rstrip() + "\u2026"
    assert drawn[base + "quote"] == names["quote"][0] and net.node_map[base + "long"]["info"]["name"] == long_name
    page = Page(browser, write_html(net, tmp_path / "awkward.html"))
    js = page.js
    try:
        options = js("[...document.querySelectorAll('#kg-names option')].map(o => o.value)")
        assert {"constructor", "toString", "__proto__", long_name, "O'Brien \"Net\" & <Co>", "中文 别名"} <= set(options)
        for query, key in (("toString", "ctor"), (long_name, "long"), ("O'Brien", "quote"), ("中文别名", "quote")):
            page.page.fill("#kg-search", query)
            page.page.press("#kg-search", "Enter")
            assert js("network.getSelectedNodes()") == [base + key], query
        assert js("document.querySelector('#kg-panel .kg-tip-name').textContent") == names["quote"][0]
        for query in ("", "   "):
            page.page.fill("#kg-search", query)
            page.page.press("#kg-search", "Enter")
            assert js("document.getElementById('kg-status').textContent") == "type a name, an alias or an arXiv id"
        page.check_clean()
    finally:
        page.page.close()
