"""Start-up time of the `kg` command and of `import kg` (prints figures, asserts nothing).

For each command, the median wall time of N fresh interpreter runs, and which heavy packages the command left in
`sys.modules` (a separate run, so the check does not weigh on the timings). Commands run as `python -P -m kg ...`
(what the `kg` console script does: import `kg.cli`, call `cli`); -P keeps the current folder off sys.path, so
PYTHONPATH decides which source tree runs. Give several trees with --tree to compare them in one run, e.g. a copy
of the old package against this checkout:

    python benchmarks/startup.py
    mkdir -p /tmp/kg_before && git archive OLD_COMMIT kg | tar -x -C /tmp/kg_before
    python benchmarks/startup.py --runs 15 --tree before=/tmp/kg_before --tree after=.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("spacy", "thinc", "torch", "pyvis", "dask", "distributed", "pyshacl", "networkx", "numpy", "pandas")

# Runs the command in-process, then lists what it imported; click ends with SystemExit, which is caught.
_PROBE = """
import runpy, sys
argv = sys.argv[1:]
if argv == ["import"]:
    import kg
else:
    sys.argv = ["kg", *argv]
    try:
        runpy.run_module("kg", run_name="__main__", alter_sys=True)
    except SystemExit:
        pass
print("HEAVY=" + ",".join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
print("KG=" + sys.modules["kg"].__file__, file=sys.stderr)
"""


def commands(graph: str) -> List[Tuple[str, List[str]]]:
    """(label, arguments of `kg`) of each measured command; ["import"] stands for `python -c "import kg"`."""
    return [
        ('python -c "import kg"', ["import"]),
        ("kg --help", ["--help"]),
        ("kg query --list", ["query", "--list"]),
        (f"kg lookup GPT-4 --graph {graph}", ["lookup", "GPT-4", "--graph", graph]),
    ]


def _argv(args: Sequence[str]) -> List[str]:
    if list(args) == ["import"]:
        return [sys.executable, "-P", "-c", "import kg"]
    return [sys.executable, "-P", "-m", "kg", *args]


def _env(tree: Path) -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def median_time(args: Sequence[str], tree: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(_argv(args), cwd=ROOT, env=_env(tree), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def probe(args: Sequence[str], tree: Path) -> Dict[str, str]:
    """{"HEAVY": the heavy modules the command left in sys.modules, "KG": the kg/__init__.py that ran}."""
    proc = subprocess.run([sys.executable, "-P", "-c", _PROBE.format(heavy=HEAVY), *args], cwd=ROOT, env=_env(tree),
                          capture_output=True, text=True)
    found = dict(line.split("=", 1) for line in proc.stderr.splitlines() if line.startswith(("HEAVY=", "KG=")))
    return {"HEAVY": f"? (exit {proc.returncode})", "KG": "?", **found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="Runs per command (the median is shown).")
    parser.add_argument("--tree", action="append", metavar="LABEL=DIR",
                        help="A folder holding the kg package (repeatable; default: this checkout).")
    parser.add_argument("--graph", default="outputs/graph.ttl", help="Graph of `kg lookup` (relative to the repo).")
    opts = parser.parse_args()
    trees = [(label, Path(folder).resolve()) for label, _, folder in
             (t.rpartition("=") for t in opts.tree or [f"checkout={ROOT}"])]
    print(f"median of {opts.runs} runs per command, python {sys.version.split()[0]}, cwd {ROOT}")
    for label, tree in trees:
        print(f"  {label or tree}: {probe(['import'], tree)['KG']}")
    for title, args in commands(opts.graph):
        print(title)
        for label, tree in trees:
            seconds = median_time(args, tree, opts.runs)
            heavy = probe(args, tree)["HEAVY"] or "none"
            print(f"  {label or tree!s:<10} {seconds:6.3f} s   heavy modules loaded: {heavy}")


if __name__ == "__main__":
    main()
