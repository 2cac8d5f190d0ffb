"""Interactive HTML views of the graph: pyvis networks written as one offline page (vis-network inlined).

The view is selected from the networkx view (`kg.network.to_networkx`) with plain functions (`ego_view`,
`filter_types`, `filter_min_degree`, `select_view`); `to_pyvis` turns it into a `pyvis.network.Network`
(nodes coloured and shaped by type, sized by degree, edges labelled by relation) and writes nothing;
`write_html` renders that network with PaperKG's own template, which references no CDN: pyvis's template
pulls vis-network from cdnjs in its "local" mode and Bootstrap from jsdelivr in every mode.

Texts from the input never become HTML: node data travels as JSON inside a `<script type="application/json">`
block (with `<`, `>` and `&` escaped), and the page builds tooltips and the details panel as DOM elements with
`textContent`. Links are only ever `http(s)` URLs.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import json
import math
import re
from pathlib import Path
from urllib.parse import quote
from typing import TYPE_CHECKING, Any, Dict, Final, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import networkx as nx
from rdflib import Graph

from .errors import Errors, KGError
from .export import load_graph
from .fileio import atomic_open
from .namespaces import expand_iri
from .network import evidence_statements, to_networkx
from .normalize import match_key
from .parse.common import arxiv_id_of
from .rdf import paper_iri

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    from pyvis.network import Network

__all__ = [
    "NODE_STYLES",
    "EDGE_COLORS",
    "CUE_PHRASES",
    "CUE_FORMS",
    "LAYOUTS",
    "ASSET_MODES",
    "PHYSICS_MAX_NODES",
    "find_nodes",
    "ego_view",
    "filter_types",
    "filter_min_degree",
    "select_view",
    "evidence_sentences",
    "cue_phrase",
    "compute_layout",
    "to_pyvis",
    "render_html",
    "write_html",
]

#: Node type -> (colour, vis-network shape, legend glyph). Okabe-Ito colours, told apart by most colour-blind
#: readers; the shape tells types apart without colour at all.
NODE_STYLES: Final[Mapping[str, Tuple[str, str, str]]] = {
    "PAPER": ("#8c8c8c", "square", "\u25a0"),
    "MODEL": ("#0072b2", "dot", "\u25cf"),
    "DATASET": ("#e69f00", "diamond", "\u25c6"),
    "METHOD": ("#009e73", "triangle", "\u25b2"),
    "TASK": ("#cc79a7", "star", "\u2605"),
    "METRIC": ("#d55e00", "triangleDown", "\u25bc"),
}

#: Relation -> edge colour.
EDGE_COLORS: Final[Mapping[str, str]] = {
    "mentions": "#c8c8c8",
    "proposes": "#d55e00",
    "uses": "#0072b2",
    "evaluatesOn": "#e69f00",
    "comparesWith": "#cc79a7",
    "variantOf": "#009e73",
    "basedOn": "#56b4e9",
    "evaluatedOn": "#f0e442",
}

#: "auto" lets vis-network's physics lay out small views (then stops it) and computes the layout with networkx
#: above PHYSICS_MAX_NODES nodes, where the browser would take too long to stabilise.
LAYOUTS: Final[Tuple[str, ...]] = ("auto", "physics", "static")
#: "inline" puts vis-network's script and styles in the page; "beside" writes them to `<page>_files/`.
ASSET_MODES: Final[Tuple[str, ...]] = ("inline", "beside")
PHYSICS_MAX_NODES: Final[int] = 300
#: Fixed seeds: the same graph gives the same page and the same picture.
LAYOUT_SEED: Final[int] = 7
VIS_VERSION: Final[str] = "9.1.2"
#: At most this many paper links in an entity's tooltip.
MAX_PAPER_LINKS: Final[int] = 8
PAPER_LABEL_CHARS: Final[int] = 32
#: An entity's label on the canvas is cut here too (its whole name is in the tooltip, the panel and the search):
#: the corpus has method names of 108 characters, a label wider than a phone and than most windows' graph.
ENTITY_LABEL_CHARS: Final[int] = 48
MAX_EVIDENCE_CHARS: Final[int] = 400
#: Zoomed out, vis-network draws no label smaller than 4 px on screen: the whole corpus graph would open as an
#: unlabeled hairball. The LANDMARK_CANDIDATES busiest nodes keep a label of LANDMARK_PX on screen at any zoom,
#: at most LANDMARK_LABELS of them in the window at once, in rank order, skipping one whose label would overlap
#: a label placed before it. Rank: the focus, then entities before papers (a paper's links count what was read
#: in it, an entity's how many papers name it; and a title is long), then most links in the whole graph, then IRI.
#: While a landmark is shown, the page draws no other label (of a node or an edge) that would meet its label.
LANDMARK_CANDIDATES: Final[int] = 400
LANDMARK_LABELS: Final[int] = 40
LANDMARK_PX: Final[int] = 12

#: Readable wording of the cue that gave a paper's role (`kg.roles.role_cues`, `kg.roles.paper_links`), for an
#: edge's tooltip: whole codes first, then forms "<kind>:<words>" with the words in the "{}".
CUE_PHRASES: Final[Mapping[str, str]] = {
    "rule:introduced": "named as the authors' own (\u201cwe propose X\u201d, \u201ccalled X\u201d)",
    "rule:title": "named by the title as the paper's own",
    "title:colon": "named in the title before a colon",
    "title:opening": "a new name opening the title (\u201cX for \u2026\u201d)",
    "own-part": "listed as a part of the paper's own system",
    "paper:coordinated": "listed together with a name the paper proposes",
    "paper:part-of-proposed": "a named part of what the paper proposes",
    "paper:size-of-proposed": "a size of a model the paper proposes",
    "paper:proposed-benchmark-evaluates": "a benchmark the paper proposes and evaluates models on",
}
CUE_FORMS: Final[Mapping[str, str]] = {
    "cue": "cue \u201c{}\u201d",
    "apposition": "described right after the name as \u201c{} \u2026\u201d",
    "right": "followed by \u201c{}\u201d",
    "entered-in": "a shared task entered (\u201c{} \u2026\u201d)",
    "kind-of-proposal": "the kind of what the paper proposes (\u201c{} \u2026\u201d)",
    "rule": "found by the rule \u201c{}\u201d",
    "paper": "read from the whole paper ({})",
}

_TEMPLATES = Path(__file__).resolve().parent / "templates"


# -- view selection ------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _paper_key(name: str) -> Optional[str]:
    """The folded IRI of the paper whose arXiv id `name` writes whole (`arxiv_id_of`: new or old style, with or
    without a version, "arXiv:" or its arxiv.org abs/pdf URL), else None. Folded because ids are typed in any
    case ("arxiv:CS/0601001") and no two arXiv ids differ only in case."""
    arxiv_id = arxiv_id_of(name)
    return str(paper_iri(arxiv_id)).casefold() if arxiv_id else None


def find_nodes(view: nx.MultiDiGraph, name: str) -> List[str]:
    """Nodes called `name`: its IRI (whole, `<...>` or prefixed, "model:gpt4"), a paper's arXiv id (2402.19474,
    cs/0601001, math.GT/0309136v2, "arXiv:..." or the paper's arxiv.org abs/pdf URL; any case, any version), or
    a label or alias (case-insensitive, else up to hyphens, spaces and dots as `kg lookup` folds them: "gpt4" is
    GPT-4); sorted. No other URL matches unless it is a node's IRI.

    Raises KGError (E060) naming close labels when nothing matches.
    """
    iri = expand_iri(name)  # "model:gpt4", as tables print it
    for node in (name, iri):
        if node in view:
            return [node]
    key = _fold(name)
    paper = _paper_key(name)
    hits = sorted(
        node
        for node, attrs in view.nodes(data=True)
        if _fold(attrs.get("label", "")) == key
        or any(_fold(a) == key for a in attrs.get("aliases", ()))
        or (paper is not None and attrs.get("type") == "PAPER" and node.casefold() == paper)
    )
    if hits:
        return hits
    loose = match_key(name)  # then up to hyphens, spaces and dots, as `kg lookup` and the page's search box fold
    hits = sorted(
        node
        for node, attrs in view.nodes(data=True)
        if loose and (match_key(attrs.get("label", "")) == loose
                      or any(match_key(a) == loose for a in attrs.get("aliases", ())))
    )
    if hits:
        return hits
    labels = sorted({attrs.get("label", "") for _, attrs in view.nodes(data=True)})
    folded = {}
    for label in labels:
        folded.setdefault(_fold(label), label)
    close = [folded[k] for k in difflib.get_close_matches(key, list(folded), n=5, cutoff=0.6)]
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise KGError(Errors.E060.format(name=name, hint=hint))


def ego_view(view: nx.MultiDiGraph, focus: str, depth: int = 2) -> nx.MultiDiGraph:
    """The nodes within `depth` links of the node(s) called `focus` (edges followed both ways), as a copy."""
    if depth < 0:
        raise KGError(Errors.E063.format(depth=depth))
    undirected = view.to_undirected(as_view=True)
    keep: set = set()
    for centre in find_nodes(view, focus):
        keep.update(nx.single_source_shortest_path_length(undirected, centre, cutoff=depth))
    return view.subgraph(keep).copy()


def _check_types(types: Iterable[str]) -> List[str]:
    wanted = [t.strip().upper() for t in types if t.strip()]
    known = list(NODE_STYLES)
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise KGError(Errors.E061.format(names=", ".join(unknown), choices=", ".join(known)))
    return wanted


def filter_types(view: nx.MultiDiGraph, types: Iterable[str], keep: Iterable[str] = ()) -> nx.MultiDiGraph:
    """Only the nodes whose type is one of `types` (PAPER, MODEL, DATASET, METHOD, TASK, METRIC; any case),
    plus the nodes in `keep`; a copy."""
    wanted = set(_check_types(types))
    keep = set(keep)
    return view.subgraph(n for n, t in view.nodes(data="type") if t in wanted or n in keep).copy()


def filter_min_degree(view: nx.MultiDiGraph, min_degree: int, keep: Iterable[str] = ()) -> nx.MultiDiGraph:
    """Only the nodes with at least `min_degree` links among the nodes left, plus `keep`: dropping a node takes
    links from its neighbours, so this repeats until no node falls short (the k-core, with `keep` kept)."""
    keep, nodes = set(keep), set(view)
    while True:
        left = view.subgraph(nodes)
        short = {n for n, d in left.degree() if d < min_degree and n not in keep}
        if not short:
            return left.copy()
        nodes -= short


def select_view(
    view: nx.MultiDiGraph,
    *,
    focus: Optional[str] = None,
    depth: int = 2,
    types: Optional[Iterable[str]] = None,
    min_degree: int = 0,
) -> nx.MultiDiGraph:
    """Apply the ego graph of `focus`, then the type filter, then the degree filter (the focus node always
    stays). Returns `view` itself when nothing is asked; KGError (E062) when nothing is left."""
    steps = []
    centres: List[str] = []
    if focus:
        centres = find_nodes(view, focus)
        view = ego_view(view, focus, depth)
        steps.append(f"--focus {focus!r} --depth {depth}")
    if types:
        types = _check_types(types)
        view = filter_types(view, types, keep=centres)
        steps.append("--types " + ",".join(types))
    if min_degree > 0:
        view = filter_min_degree(view, min_degree, keep=centres)
        steps.append(f"--min-degree {min_degree}")
    if view.number_of_nodes() == 0:
        raise KGError(Errors.E062.format(steps=" ".join(steps) or "the graph has no nodes"))
    return view


# -- node details --------------------------------------------------------------------------------------------


def evidence_sentences(graph: Graph) -> Dict[str, str]:
    """Entity IRI -> one sentence that states a link to it: the best evidence by `evidence_statements`' rank
    (most confident, then shortest), so the choice is the same on every run."""
    best: Dict[str, Tuple[float, int, str]] = {}
    for (_, _, obj), rank, _ in evidence_statements(graph):
        key = str(obj)
        if key not in best or rank < best[key]:
            best[key] = rank
    return {key: rank[2] for key, rank in best.items()}


def cue_phrase(cue: str) -> str:
    """A role cue code as a reader would say it (`CUE_PHRASES`, `CUE_FORMS`): "cue:outperforms" -> cue
    \u201coutperforms\u201d, "title:colon" -> named in the title before a colon. Any other code comes back as it is."""
    if cue in CUE_PHRASES:
        return CUE_PHRASES[cue]
    kind, sep, words = cue.partition(":")
    words = " ".join(words.split())
    if sep and words and kind in CUE_FORMS:
        return CUE_FORMS[kind].format(words)
    return cue


def _edge_info(key: str, attrs: Mapping[str, Any]) -> Dict[str, Any]:
    """`info` for an edge's tooltip where the view knows why (the page builds it): the relation, the cue that
    gave a role (its code and `cue_phrase`), the sentence that says so."""
    if not attrs.get("sentence"):
        return {}
    info = {"relation": key, "evidence": _short(attrs["sentence"], MAX_EVIDENCE_CHARS)}
    if attrs.get("cue"):
        info["cue"] = attrs["cue"]
        info["cue_text"] = cue_phrase(attrs["cue"])
    return {"info": info}


def _http(url: str) -> Optional[str]:
    """The URL if it is http(s), else None: an IRI such as `javascript:...` never becomes a link."""
    return url if url.startswith(("https://", "http://")) else None


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _node_info(view: nx.MultiDiGraph, node: str, attrs: Mapping[str, Any], degree: int,
               evidence: Mapping[str, str]) -> Dict[str, Any]:
    """The plain data the page turns into a tooltip (text only; the page escapes nothing because it writes
    every value with textContent)."""
    info: Dict[str, Any] = {"type": attrs.get("type", ""), "name": attrs.get("label", node), "links": degree}
    if info["type"] == "PAPER":
        # an old-style id has a slash in it: cs/0601001, not its IRI's last segment (a paper IRI from elsewhere
        # keeps that segment)
        info["arxiv"] = arxiv_id_of(node) or node.rsplit("/", 1)[-1]
        info["url"] = _http(node)
        for key in ("title_zh", "date"):
            if attrs.get(key):
                info[key] = attrs[key]
        return info
    info["aliases"] = list(attrs.get("aliases", ()))
    info["papers"] = int(attrs.get("papers", 0) or 0)
    if node in evidence:
        info["evidence"] = _short(evidence[node], MAX_EVIDENCE_CHARS)
    papers = sorted(p for p in set(view.predecessors(node)) if view.nodes[p].get("type") == "PAPER")
    info["paper_links"] = [
        [url, _short(view.nodes[p].get("label", p), 90)] for p in papers[:MAX_PAPER_LINKS] if (url := _http(p))
    ]
    info["more_papers"] = max(0, len(papers) - MAX_PAPER_LINKS)
    return info


# -- layout --------------------------------------------------------------------------------------------------


def _near_pairs(x: "np.ndarray", y: "np.ndarray", radius: float) -> Tuple["np.ndarray", ...]:
    """Index pairs (i, j) of points closer than `radius`, each pair once, with their offsets x[i] - x[j] and
    y[i] - y[j]; found through a grid of `radius`-sized cells (each point meets only its own and the
    neighbouring cells): linear in the number of points where networkx's layouts compare every pair."""
    import numpy as np

    n = len(x)
    cx = np.floor(x / radius).astype(np.int64)
    cy = np.floor(y / radius).astype(np.int64)
    cx -= cx.min()
    cy -= cy.min()
    width = int(cy.max()) + 3
    keys = (cx + 1) * width + (cy + 1)
    order = np.argsort(keys, kind="stable")
    skeys, sx, sy = keys[order], x[order], y[order]
    found: List[Tuple["np.ndarray", ...]] = []
    for ox, oy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):  # half the neighbourhood: each pair once
        target = skeys + ox * width + oy
        lo = np.searchsorted(skeys, target, "left")
        hi = np.searchsorted(skeys, target, "right")
        if ox == 0 and oy == 0:
            lo = np.maximum(lo, np.arange(n) + 1)
        count = np.maximum(hi - lo, 0)
        total = int(count.sum())
        if not total:
            continue
        first = np.repeat(np.arange(n), count)
        second = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(total)
        dx, dy = sx[first] - sx[second], sy[first] - sy[second]
        close = dx * dx + dy * dy < radius * radius
        found.append((first[close], second[close], dx[close], dy[close]))
    if not found:
        empty = np.zeros(0)
        return empty.astype(np.int64), empty.astype(np.int64), empty, empty
    first, second, dx, dy = (np.concatenate(parts) for parts in zip(*found))
    return order[first], order[second], dx, dy


def _pack(boxes: Sequence[Tuple[float, float]], gap: float) -> List[Tuple[float, float]]:
    """Offsets that place boxes (width, height), largest first, in rows of a roughly square sheet."""
    area = sum((w + gap) * (h + gap) for w, h in boxes)
    row_width = max(max((w for w, _ in boxes), default=0.0), math.sqrt(area) * 1.2)
    offsets, x, y, row_height = [], 0.0, 0.0, 0.0
    for w, h in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        offsets.append((x, y))
        x += w + gap
        row_height = max(row_height, h)
    return offsets


def _sums(index, weights, n: int):
    """Per-node sums of `weights` by `index`, as floats: `np.bincount` of no pairs at all gives integers, which
    a float force cannot be added to in place (a view without a single close pair)."""
    import numpy as np

    return np.bincount(index, weights, n).astype(np.float64, copy=False)


def compute_layout(view: nx.Graph, seed: int = LAYOUT_SEED, *, edge_length: float = 90.0,
                   iterations: int = 120) -> Dict[str, Tuple[float, float]]:
    """Node -> (x, y) in vis-network pixels: a Fruchterman-Reingold force layout (repulsion weighted by
    degree and only between nodes closer than three edge lengths, found with a grid) run on every connected
    component at once, then the components packed in rows, largest first. Fixed seed; rounded to 0.1 px, so
    the same graph gives the same bytes. Seconds for the ~3,000 nodes of the corpus graph, where networkx's
    spring_layout takes ~30 s (it compares every pair of nodes)."""
    import numpy as np

    nodes = sorted(view.nodes)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = sorted({(min(index[s], index[o]), max(index[s], index[o])) for s, o in view.edges() if s != o})
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    components = sorted((sorted(index[n] for n in c) for c in nx.connected_components(nx.Graph(view))),
                        key=lambda c: (-len(c), c[0]))
    n, k = len(nodes), edge_length
    comp = np.zeros(n, dtype=np.int64)
    sizes = np.array([len(c) for c in components], dtype=np.float64)
    for number, members in enumerate(components):
        comp[members] = number
    # Start every component in its own square, so the grid seldom pairs nodes of different components.
    sides = [k * math.sqrt(len(c)) for c in components]
    starts = _pack([(side, side) for side in sides], k)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)) * np.array(sides)[comp][:, None] + np.array(starts)[comp]
    # Repulsion grows with degree (as in ForceAtlas2), so hubs push their neighbourhoods apart.
    weight = np.sqrt(np.bincount(edges.ravel(), minlength=n) + 1.0)
    radius = 3 * k
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    for step in range(iterations):
        temperature = k * 2.0 * (1 - step / iterations) + k * 0.05
        i, j, dx, dy = _near_pairs(x, y, radius)
        same = comp[i] == comp[j]
        i, j, dx, dy = i[same], j[same], dx[same], dy[same]
        dist2 = np.maximum(dx * dx + dy * dy, 1e-4)
        push = k * k * weight[i] * weight[j] / dist2  # k²·w/d along the unit vector (dx, dy)/d
        fx = _sums(i, push * dx, n) - _sums(j, push * dx, n)
        fy = _sums(i, push * dy, n) - _sums(j, push * dy, n)
        if len(edges):
            a, b = edges[:, 0], edges[:, 1]
            ex, ey = x[a] - x[b], y[a] - y[b]
            pull = np.sqrt(ex * ex + ey * ey) / k  # d²/k along the unit vector
            fx += _sums(b, pull * ex, n) - _sums(a, pull * ex, n)
            fy += _sums(b, pull * ey, n) - _sums(a, pull * ey, n)
        # A weak pull to the component's centre keeps the outskirts from drifting off.
        fx -= (x - (np.bincount(comp, x) / sizes)[comp]) * 0.02
        fy -= (y - (np.bincount(comp, y) / sizes)[comp]) * 0.02
        length = np.maximum(np.sqrt(fx * fx + fy * fy), 1e-9)
        scale = np.minimum(length, temperature) / length
        x += fx * scale
        y += fy * scale
    pos = np.stack([x, y], axis=1)
    # Pack the finished components tightly in rows and centre the sheet on (0, 0).
    lows = np.stack([np.array([pos[c, axis].min() for c in components]) for axis in (0, 1)], axis=1)
    highs = np.stack([np.array([pos[c, axis].max() for c in components]) for axis in (0, 1)], axis=1)
    offsets = np.array(_pack([tuple(size) for size in (highs - lows).tolist()], k * 1.5))
    pos = pos - lows[comp] + offsets[comp]
    pos -= (pos.min(axis=0) + pos.max(axis=0)) / 2
    return {node: (round(float(x), 1) + 0.0, round(float(y), 1) + 0.0) for node, (x, y) in zip(nodes, pos)}


def _options(physics: bool, big: bool) -> Dict[str, Any]:
    """vis-network options. With physics the layout runs hidden until stable, then the page switches physics
    off; without, nodes sit where `compute_layout` put them."""
    return {
        "autoResize": True,
        "layout": {"randomSeed": LAYOUT_SEED, "improvedLayout": False},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "avoidOverlap": 0.2},
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50, "fit": True},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            # viz.js has its own keys: vis-network's bind to the window, where they would eat the "-" typed in the
            # search box, or to the canvas alone, which misses a page whose body has the focus
            "keyboard": False,
        },
        "nodes": {"borderWidth": 1, "font": {"size": 12, "face": "sans-serif"}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False,
            "width": 1,
            "font": {"size": 9, "align": "middle", "color": "#444444", "strokeWidth": 2},
        },
    }


# -- pyvis ---------------------------------------------------------------------------------------------------


def to_pyvis(
    graph_or_nx: Union[Graph, nx.MultiDiGraph, str, Path],
    *,
    focus: Optional[str] = None,
    depth: int = 2,
    types: Optional[Sequence[str]] = None,
    min_degree: int = 0,
    layout: str = "auto",
    heading: str = "",
) -> "Network":
    """A pyvis Network of the graph (an rdflib Graph, a graph file or Oxigraph store that `kg.load_graph` reads,
    or the `to_networkx` view), narrowed by `select_view`.

    Nodes carry `id`, `label`, `shape`, `color`, `size` (from the degree in the whole graph), `kgtype`, `x`/`y`
    with a static layout, `info` (type, aliases, paper count, an evidence sentence when the input is an rdflib
    Graph or a path, arXiv links; the page builds the tooltip from it) and, for the LANDMARK_CANDIDATES busiest
    nodes, `landmark` (their rank: the focus, entities before papers, most links in the whole graph, IRI; the page keeps
    their labels readable when zoomed out). Edges carry `from`, `to`, `label` and `title` (the relation),
    `color` and, where the view has an evidence sentence, `info` (relation, the role's cue and its
    `cue_phrase`, the sentence; the page builds the tooltip from it). Nodes and edges are sorted, so the same
    graph gives the same network. The input is not changed. KGError for an unknown focus (E060), type (E061),
    layout (E064) or an empty view.
    """
    from pyvis.network import Network

    if layout not in LAYOUTS:
        raise KGError(Errors.E064.format(name=layout, choices=", ".join(LAYOUTS)))
    if isinstance(graph_or_nx, (str, Path)):
        graph_or_nx = load_graph(graph_or_nx)  # as `to_networkx` reads a path; the Graph keeps the evidence
    if isinstance(graph_or_nx, Graph):
        full = to_networkx(graph_or_nx)
        evidence = evidence_sentences(graph_or_nx)
    else:
        full = graph_or_nx
        evidence = {n: e for n, e in full.nodes(data="evidence") if e}
    view = select_view(full, focus=focus, depth=depth, types=types, min_degree=min_degree)
    centres = set(find_nodes(full, focus)) if focus else set()
    physics = layout == "physics" or (layout == "auto" and view.number_of_nodes() <= PHYSICS_MAX_NODES)
    positions = {} if physics else compute_layout(view)
    big = view.number_of_nodes() > PHYSICS_MAX_NODES
    busiest = sorted(view.nodes, key=lambda n: (n not in centres, full.nodes[n].get("type") == "PAPER",
                                                 -full.degree(n), n))[:LANDMARK_CANDIDATES]
    landmarks = {node: rank for rank, node in enumerate(busiest)}

    net = Network(height="100%", width="100%", directed=True, heading=heading, cdn_resources="in_line")
    net.options = _options(physics, big)
    # pyvis's add_node/add_edge scan Python lists on every call (quadratic: 117 s for 20,000 nodes, see
    # /work/shared/MEASURED.md), so the node and edge dicts are appended directly, in the form they produce.
    for node in sorted(view.nodes):
        attrs = full.nodes[node]
        ntype = attrs.get("type", "")
        color, shape, _ = NODE_STYLES.get(ntype, ("#888888", "dot", "\u25cf"))
        degree = full.degree(node)
        label = attrs.get("label", node)
        if ntype == "PAPER":
            label = _short(label, PAPER_LABEL_CHARS)
        elif len(label) > ENTITY_LABEL_CHARS:  # a name that fits is drawn as the graph writes it
            label = _short(label, ENTITY_LABEL_CHARS)
        item: Dict[str, Any] = {
            "id": node,
            "label": label,
            "shape": shape,
            "color": color,
            "size": round(min(8 + 4 * math.sqrt(degree), 48), 1),
            "kgtype": ntype,
            "info": _node_info(full, node, attrs, degree, evidence),
        }
        if node in positions:
            item["x"], item["y"] = positions[node]
        if node in centres:
            item["borderWidth"] = 4
        if node in landmarks:
            item["landmark"] = landmarks[node]
        net.nodes.append(item)
        net.node_ids.append(node)
        net.node_map[node] = item
    for number, (s, o, key) in enumerate(sorted(view.edges(keys=True))):
        net.edges.append(
            {"id": number, "from": s, "to": o, "label": key, "title": key, "arrows": "to",
             "color": EDGE_COLORS.get(key, "#999999"), **_edge_info(key, full.edges[s, o, key])}
        )
    return net


# -- HTML ----------------------------------------------------------------------------------------------------


def _vis_assets() -> Tuple[str, str]:
    """vis-network's minified script and stylesheet as shipped inside the pyvis package (no download)."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    js_path, css_path = lib / "vis-network.min.js", lib / "vis-network.css"
    try:
        js = js_path.read_text(encoding="utf-8")
        css = css_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KGError(Errors.E065.format(path=lib, reason=exc.strerror or exc)) from None
    # The source-map comment would make developer tools fetch a file that is not there.
    js = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", js)
    if "</script" in js.lower() or "</style" in css.lower():  # would end the inline block early
        raise KGError(Errors.E065.format(path=lib, reason="the script holds a closing tag"))
    return js, css


def _script_json(data: Any) -> str:
    """JSON that is safe inside a <script> block: `<`, `>`, `&` and the JS line separators escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def _page_data(net: "Network") -> Dict[str, Any]:
    counts: Dict[str, int] = {}
    for node in net.nodes:
        counts[node.get("kgtype", "")] = counts.get(node.get("kgtype", ""), 0) + 1
    relations: Dict[str, int] = {}
    for edge in net.edges:
        relations[edge.get("label", "")] = relations.get(edge.get("label", ""), 0) + 1
    legend = [{"type": t, "color": c, "glyph": g, "count": counts[t]} for t, (c, _, g) in NODE_STYLES.items()
              if t in counts]
    legend += [{"type": t, "color": "#888888", "glyph": "\u25cf", "count": n} for t, n in sorted(counts.items())
               if t not in NODE_STYLES]
    edge_legend = [{"relation": r, "color": EDGE_COLORS.get(r, "#999999"), "count": n}
                   for r, n in sorted(relations.items())]
    options = net.options if isinstance(net.options, dict) else json.loads(net.options.to_json())
    ranked = sorted((n["landmark"], n["id"]) for n in net.nodes if "landmark" in n)
    landmarks = {"ids": [node for _, node in ranked], "labels": LANDMARK_LABELS, "px": LANDMARK_PX}
    return {"nodes": net.nodes, "edges": net.edges, "options": options, "legend": legend,
            "edgeLegend": edge_legend, "landmarks": landmarks}


def _csp(scripts: Sequence[str], styles: Sequence[str], beside: bool) -> str:
    """A Content-Security-Policy that lets only the page's own blocks run (by sha256) and loads nothing from
    the network: a `<script>` or `onerror=` that slipped into the page would still not run."""
    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

    extra = " 'self'" if beside else ""
    return (
        "default-src 'none'; "
        f"script-src {' '.join(sha(s) for s in scripts)}{extra}; "
        f"style-src {' '.join(sha(s) for s in styles)}{extra}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def render_html(net: "Network", *, title: Optional[str] = None, assets: str = "inline",
                asset_dir: str = "") -> str:
    """The page of `net` (from `to_pyvis`) as a string. `assets="inline"` puts vis-network in the page;
    "beside" references `asset_dir/vis-network.min.js` and `.css` (write_html writes them)."""
    import jinja2
    from markupsafe import Markup

    if assets not in ASSET_MODES:
        raise KGError(Errors.E066.format(name=assets, choices=", ".join(ASSET_MODES)))
    inline = assets == "inline"
    js, css = _vis_assets() if inline else ("", "")
    app_js = (_TEMPLATES / "viz.js").read_text(encoding="utf-8")
    app_css = (_TEMPLATES / "viz.css").read_text(encoding="utf-8")
    scripts = [js, app_js] if inline else [app_js]
    styles = [css, app_css] if inline else [app_css]
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    template = env.from_string((_TEMPLATES / "viz.html").read_text(encoding="utf-8"))
    heading = title or net.heading or "PaperKG graph"
    return template.render(
        title=heading,
        summary=f"{len(net.nodes):,} nodes, {len(net.edges):,} edges",
        csp=_csp(scripts, styles, beside=not inline),
        vis_version=VIS_VERSION,
        inline=inline,
        asset_dir=quote(asset_dir),  # a page named "a#b.html" must not cut its asset URLs at "#"
        vis_js=Markup(js),
        vis_css=Markup(css),
        app_js=Markup(app_js),
        app_css=Markup(app_css),
        data=Markup(_script_json(_page_data(net))),
    )


def write_html(net: "Network", path: Union[str, Path], *, title: Optional[str] = None,
               assets: str = "inline") -> Path:
    """Write the page of `net` to `path` atomically; with `assets="beside"` also `<stem>_files/vis-network.*`.

    The page needs no network: everything it loads is in the page or beside it. Returns the path.
    """
    path = Path(path)
    asset_dir = f"{path.stem}_files"
    html = render_html(net, title=title, assets=assets, asset_dir=asset_dir)
    if assets == "beside":
        js, css = _vis_assets()
        for name, text in (("vis-network.min.js", js), ("vis-network.css", css)):
            with atomic_open(path.parent / asset_dir / name, "w") as fh:
                fh.write(text)
    with atomic_open(path, "w") as fh:
        fh.write(html)
    return path
