"""Parity with PyTorch on many random graphs: prints how many disagree (the goal is 0).

Random graphs over every operation at special points (0, -0.0, ties, ±inf, nan,
huge and tiny magnitudes, reuse, inf/nan upstream gradients), pow with plain-number
exponents (0.5, -0.5, 1.5, 2, 0, -1 ...: torch's ``x ** 0.5``, sqrt at ±0.5) and
with node exponents (leaves, constants and computed nodes: torch's
``pow(tensor, tensor)``, C's pow), for Values and
for Tensors with broadcasting and sum/mean (tests/strategies.py ``graphs``),
each compared with torch in float64, values and every gradient, nan-ness and
the sign of inf included (tests/parity.py).  Needs torch.

Run: python benchmarks/parity.py [graphs per kind, default 10000] [seed]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests' own helpers

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.parity import describe, disagreements
from tests.strategies import graphs


def run(tensor: bool, n: int, random_seed: int) -> tuple[int, list]:
    """Run ``n`` random graphs; return how many ran and the ones that disagree."""
    ran, failing = [0], []

    @settings(max_examples=n, database=None, derandomize=False, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), deadline=None)
    @seed(random_seed)
    @given(graphs(tensor=tensor))
    def one(graph):
        ran[0] += 1
        try:
            if disagreements(graph):
                failing.append(graph)
        except Exception as err:  # a crash is a disagreement too
            failing.append(f"{graph}\n{type(err).__name__}: {err}")

    one()
    return ran[0], failing


def main(n: int = 10_000, random_seed: int = 0) -> int:
    total_ran, total_bad = 0, 0
    for kind, tensor in [("Value", False), ("Tensor", True)]:
        t0 = time.perf_counter()
        ran, failing = run(tensor, n, random_seed)
        total_ran += ran
        total_bad += len(failing)
        print(f"{kind:6} graphs: {ran:6d} run, {len(failing)} disagree with torch "
              f"({time.perf_counter() - t0:.0f} s)")
        for graph in failing[:3]:
            print(describe(graph) if not isinstance(graph, str) else graph, end="\n\n")
    print(f"total: {total_ran} graphs, {total_bad} disagreements (goal 0)")
    return 1 if total_bad else 0


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:3])))
