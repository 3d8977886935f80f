"""Render times of the drawings issue 10 names, with Graphviz's dot and with graphviz-pure.

For each graph: the time draw_graph takes to build the DOT source (Python), then
the time to render it to SVG with each layout program found, and the time of
the notebook display (SVG, then a PNG of at most 2 million pixels).  Target: under 2 s each at
the default caps (max_nodes=200).
Run: python benchmarks/draw.py   (needs nn for the MLP; skips a missing program)
"""
from __future__ import annotations

import functools
import shutil
import time
from typing import Callable

import nn
from autograd import Value, draw_graph
from autograd.drawing.render import FALLBACK, graphviz_pure, notebook_bundle, run_layout


def used_100_times_chain() -> Value:
    """x + x + ... + x: one value used 100 times along a chain of 99 additions."""
    x = Value(0.5, label="x")
    total = x
    for _ in range(99):
        total = total + x
    total.label = "total"
    return total


def used_100_times_products() -> Value:
    """x*0 + x*1 + ... + x*99: one value used 100 times, 301 values (cut at 200)."""
    x = Value(0.5, label="x")
    total = functools.reduce(lambda a, b: a + b, [x * float(k) for k in range(100)])
    total.label = "total"
    return total


def mlp_one_sample() -> tuple[Value, nn.MLP]:
    """A 2-16-16-1 MLP (seed 0) on one sample, after backward."""
    model = nn.MLP(2, [16, 16, 1], seed=0)
    inputs = [Value(0.5, label="x0", requires_grad=False), Value(-0.3, label="x1", requires_grad=False)]
    out = model(inputs)
    out.label = "out"
    return out, model


def chain_200() -> Value:
    """A chain of 200 values: start -> tanh -> ... -> tanh."""
    v = Value(0.5, label="start")
    for _ in range(199):
        v = v.tanh()
    return v


def programs() -> dict[str, str]:
    found = {}
    if shutil.which("dot"):
        found["dot"] = shutil.which("dot")
    pure = graphviz_pure()
    if pure:
        found[FALLBACK] = pure
    return found


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    out, model = mlp_one_sample()
    cases = {
        "one value used 100 times (chain of +)": (used_100_times_chain(), {}),
        "one value used 100 times (sum of x*k)": (used_100_times_products(), {}),
        "2-16-16-1 MLP, one sample": (out, {}),
        "2-16-16-1 MLP, one sample, names": (out, {"names": model}),
        "2-16-16-1 MLP, collapse='neuron'": (out, {"names": model, "collapse": "neuron"}),
        "2-16-16-1 MLP, collapse='layer'": (out, {"names": model, "collapse": "layer"}),
        "200-node chain": (chain_200(), {}),
    }
    found = programs()
    print(f"layout programs: {', '.join(f'{k} ({v})' for k, v in found.items()) or 'none'}")
    header = f"{'graph':42} {'edges':>6} {'python':>7}" + "".join(
        f" {name + ' svg':>18} {name + ' svg+png':>22}" for name in found)
    print(header)
    for name, (root, options) in cases.items():
        root.backward()
        for edge_grads in (False, True):
            seconds, drawing = timed(lambda: draw_graph(root, edge_grads=edge_grads, **options))
            row = f"{name:42} {'yes' if edge_grads else 'no':>6} {seconds:7.3f}"
            for program in found.values():
                svg_s, _ = timed(lambda: run_layout(drawing.source, "svg", program))
                both_s, _ = timed(lambda: notebook_bundle(drawing.source, "", True, program))
                row += f" {svg_s:18.3f} {both_s:22.3f}"
            print(row, flush=True)


if __name__ == "__main__":
    main()
