"""A 1,000,000-node chain of Values: forward and backward time, memory per node.

Target: completes without RecursionError; at most 150 bytes per node, for the graph
and at the peak of backward (a Value is one object of 7 slots, 88 bytes, plus its
float, 24; backward adds each node's gradient float and one pointer in its order).
Run: python benchmarks/chain.py [n]
"""
from __future__ import annotations

import sys
import time
import tracemalloc

from autograd import Value


def chain(n: int) -> tuple[Value, Value]:
    """x -> tanh -> tanh -> ... n times: n + 1 nodes, no constants."""
    x = Value(0.5)
    y = x
    for _ in range(n):
        y = y.tanh()
    return x, y


def main(n: int = 1_000_000) -> None:
    t0 = time.perf_counter()
    x, y = chain(n)
    t1 = time.perf_counter()
    y.backward()
    t2 = time.perf_counter()
    print(f"chain of {n:,} nodes: forward {t1 - t0:.2f} s, backward {t2 - t1:.2f} s "
          f"({(t2 - t0) / n * 1e9:.0f} ns per node), x.grad = {x.grad:.3e}")
    del x, y

    tracemalloc.start()
    x, y = chain(n)
    after_forward = tracemalloc.get_traced_memory()[0]
    y.backward()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"memory: graph {after_forward / n:.0f} B per node, peak during backward "
          f"{peak / n:.0f} B per node (target <= 150)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
