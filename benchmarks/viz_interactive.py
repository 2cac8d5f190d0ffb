"""How fast the page of `kg viz` becomes interactive in headless Chromium, on the graph of ../shared/corpus.

Builds the corpus graph (`kg build ../shared/corpus -o /tmp/viz_corpus_build --skip-bad`) unless --graph is
given or the build is already there, writes the page with `kg.viz` (timing the Python side), then opens it
in Debian's Chromium through Playwright several times and measures, from navigation start: when the network
is drawn with its layout settled (`kg.ready`: vis-network's stabilizationIterationsDone with physics then
switched off, or the first drawing of a computed layout), and when a click on the busiest node has been
answered (`selectNode`), and how long one placement of the labels takes at middle zoom (scale 0.5: landmarks,
then every label giving way to those before it). Also checks that the page made no request beyond file: and logged no error.
Prints node and edge counts, file size and seconds; the target is a click answered within 5 s.

    python benchmarks/viz_interactive.py [--graph G.ttl] [--runs 3] [--layout auto] [--screenshot docs/x.png]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import kg
from kg.viz import to_pyvis, write_html

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
BUILD = Path("/tmp/viz_corpus_build")
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def corpus_graph() -> Path:
    graph = BUILD / "graph.ttl"
    if not graph.exists():
        if not CORPUS.is_dir():
            sys.exit(f"no corpus at {CORPUS}; pass --graph")
        print(f"building {graph} from {CORPUS} ...", flush=True)
        subprocess.run([sys.executable, "-m", "kg", "build", str(CORPUS), "-o", str(BUILD), "--skip-bad",
                        "--no-progress"], check=True)
    return graph


def measure(browser, page_path: Path, hub: str, screenshot: str | None = None) -> dict:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.resolve().as_uri(), wait_until="commit")
    deadline = time.monotonic() + 120
    while not page.evaluate("window.kg !== undefined && window.kg.ready === true"):
        if time.monotonic() > deadline:
            sys.exit(f"page never became ready: {errors}")
        time.sleep(0.02)
    ready = page.evaluate("kg.readyAt") / 1000
    # Click the busiest node at once and wait for vis-network to select it.
    x, y = page.evaluate("""id => {
        network.once('selectNode', p => { window.__clickedAt = performance.now(); window.__clicked = p.nodes; });
        const p = network.canvasToDOM(network.getPositions([id])[id]);
        const r = document.getElementById('kg-network').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }""", hub)
    before = page.evaluate("performance.now()") / 1000
    page.mouse.click(x, y)
    while page.evaluate("window.__clickedAt === undefined"):
        if time.monotonic() > deadline:
            sys.exit("the click on the busiest node was never answered")
        time.sleep(0.01)
    clicked = page.evaluate("window.__clickedAt") / 1000
    # one placement at a new scale, as a zoom coming to rest places them (the selected hub pins its neighbours)
    placed = page.evaluate("() => { network.moveTo({scale: 0.5, animation: false}); network.redraw(); return kg.placedIn; }")
    result = {
        "ready": ready,
        "clicked": clicked,
        "click_latency": clicked - before,
        "placed_ms": placed,
        "selected": page.evaluate("window.__clicked"),
        "nodes": page.evaluate("network.body.data.nodes.length"),
        "edges": page.evaluate("network.body.data.edges.length"),
        "external": [u for u in requests if not u.startswith(("file:", "data:", "about:"))],
        "errors": errors,
    }
    if screenshot:
        Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=screenshot)
    page.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", help="Turtle graph (default: the corpus build)")
    parser.add_argument("--out", default="/tmp/viz_corpus.html", help="page to write")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--layout", default="auto", choices=["auto", "physics", "static"])
    parser.add_argument("--screenshot", help="save a screenshot of the first run here")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    graph_path = Path(args.graph) if args.graph else corpus_graph()
    start = time.perf_counter()
    graph = kg.load_graph(graph_path)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    net = to_pyvis(graph, layout=args.layout)
    built = time.perf_counter() - start
    start = time.perf_counter()
    page_path = write_html(net, args.out)
    written = time.perf_counter() - start
    view = kg.to_networkx(graph)
    hub = max(sorted(view.nodes), key=view.degree)
    physics = net.options["physics"]["enabled"]
    print(f"graph {graph_path}: {len(net.nodes):,} nodes, {len(net.edges):,} edges; layout "
          f"{'vis-network physics' if physics else 'computed (networkx view + grid force layout)'}")
    print(f"python: load {loaded:.2f} s, to_pyvis {built:.2f} s, write_html {written:.2f} s; "
          f"page {page_path.stat().st_size / 1e6:.2f} MB")

    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        print(f"chromium {browser.version}, headless")
        for number in range(args.runs):
            r = measure(browser, page_path, hub, args.screenshot if number == 0 else None)
            assert r["nodes"] == len(net.nodes) and r["edges"] == len(net.edges), r
            assert not r["external"] and not r["errors"], r
            assert r["selected"] == [hub], r
            runs.append(r)
            print(f"  run {number + 1}: ready {r['ready']:.2f} s after navigation, click on {hub.rsplit('/', 1)[-1]!r} "
                  f"answered at {r['clicked']:.2f} s ({r['click_latency'] * 1000:.0f} ms after the click); "
                  f"labels placed at scale 0.5 in {r['placed_ms']:.1f} ms")
        browser.close()
    ready = statistics.median(r["ready"] for r in runs)
    clicked = statistics.median(r["clicked"] for r in runs)
    print(f"median of {len(runs)}: interactive (ready) {ready:.2f} s, first click answered {clicked:.2f} s; "
          f"no request beyond file:, no console error; target < 5 s: {'met' if clicked < 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
