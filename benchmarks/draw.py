"""Render times of the drawings issue 10 names, with Graphviz's dot and with graphviz-pure.

For each graph: the time draw_graph takes to build the DOT source (Python), then
the time to render it to SVG with each layout program found, and the time of
the notebook display (SVG, then a PNG of at most 2 million pixels).  Target: under 2 s each at
the default caps (max_nodes=200; a step-through at most max_frames=40 frames).
Run: python benchmarks/draw.py   (needs nn for the MLP; skips a missing program)
"""
from __future__ import annotations

import functools
import shutil
import time
from typing import Callable

import nn
from autograd import Value, draw_graph, sum_values
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


def hinge_loss_400() -> tuple[Value, nn.MLP]:
    """The demo's loss: mean hinge loss of a 2-16-16-1 MLP over 400 two-moons points
    (issue 19: 39 s with names and collapse, a list test in build_boxes)."""
    from nn.data import make_moons

    model = nn.MLP(2, [16, 16, 1], seed=0)
    X, y = make_moons(400)
    scores = [model([Value(a, requires_grad=False), Value(b, requires_grad=False)]) for a, b in X]
    return sum_values([(1 + -float(t) * s).relu() for t, s in zip(y, scores)]) * (1.0 / len(y)), model


def wide_sum(n: int = 100_000) -> Value:
    """One sum_values node with ``n`` inputs (issue 19 measured 100k with edge grads)."""
    return sum_values([Value(float(k)) for k in range(n)])


def step_through_seconds(operations: int) -> str:
    """backward_frames of ``x*y + x*y + ...`` with ``operations`` operations, timed
    (refused above max_frames, as ``chainrule draw --steps`` does)."""
    from autograd import backward_frames
    from autograd.expression import evaluate

    root = evaluate(" + ".join(["x*y"] * ((operations + 1) // 2)), {"x": 1.0, "y": 2.0})
    start = time.perf_counter()
    try:
        frames = len(backward_frames(root))
    except ValueError as err:
        frames = f"refused ({str(err)[:48]}...)"
    return f"step-through of {operations} operations: {time.perf_counter() - start:.3f} s, frames: {frames}"


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
    hinge = hinge_loss_400()
    cases = {
        "one value used 100 times (chain of +)": (used_100_times_chain(), {}),
        "one value used 100 times (sum of x*k)": (used_100_times_products(), {}),
        "2-16-16-1 MLP, one sample": (out, {}),
        "2-16-16-1 MLP, one sample, names": (out, {"names": model}),
        "2-16-16-1 MLP, collapse='neuron'": (out, {"names": model, "collapse": "neuron"}),
        "2-16-16-1 MLP, collapse='layer'": (out, {"names": model, "collapse": "layer"}),
        "200-node chain": (chain_200(), {}),
        "hinge loss, 400 points, collapse='layer'": (hinge[0], {"names": hinge[1], "collapse": "layer"}),
        "hinge loss, 400 points, collapse='neuron'": (hinge[0], {"names": hinge[1], "collapse": "neuron"}),
        "one sum of 100,000 inputs": (wide_sum(), {}),
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
    for operations in (39, 300, 2000):
        print(step_through_seconds(operations), flush=True)


if __name__ == "__main__":
    main()
