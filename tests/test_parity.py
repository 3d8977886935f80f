"""Same values and gradients as PyTorch (float64) on random graphs with special points.

A fast share of ``benchmarks/parity.py``: random graphs over every operation
(tests/strategies.py ``graphs``) at 0, -0.0, ties, ±inf, nan, huge and tiny
magnitudes, with reuse and inf/nan upstream gradients, for Values and for
Tensors with broadcasting and sum/mean.  Skipped without torch.
"""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings

from tests.parity import describe, disagreements
from tests.strategies import Graph, graphs

pytest.importorskip("torch")


@settings(max_examples=300)
@given(graphs(tensor=False))
def test_value_graphs_agree_with_torch(graph):
    assert not disagreements(graph), describe(graph)


@settings(max_examples=150)
@given(graphs(tensor=True))
def test_tensor_graphs_agree_with_torch(graph):
    assert not disagreements(graph), describe(graph)


def _graph(leaves, steps, seed, constant=None, tensor=False):
    return Graph(tensor, tuple(leaves), tuple(constant or [False] * len(leaves)), tuple(steps), seed)


def _r(k):
    return ("r", k)


INF, NAN = math.inf, math.nan
CASES = {
    # Finding 1 of issue 11, one graph each
    "log(0) behind a dead relu": _graph([-1.0], [("unary", "relu", (_r(0),), ()),
                                                 ("unary", "log", (_r(1),), ())], 1.0),
    "x**0 at x = 0": _graph([0.0], [("binary", "pow", (_r(0), ("c", 0.0)), ())], 1.0),
    "1 + 2x + 3x^2 at 0": _graph([0.0], [("binary", "pow", (_r(0), ("c", 1.0)), ()),
                                          ("binary", "pow", (_r(0), ("c", 2.0)), ()),
                                          ("variadic", "linear", (("c", 1.0), ("c", 2.0), _r(1),
                                                                  ("c", 3.0), _r(2)), ())], 1.0),
    "0**p with respect to p": _graph([2.0], [("binary", "pow", (("c", 0.0), _r(0)), ())], 1.0),
    "relu at nan": _graph([NAN], [("unary", "relu", (_r(0),), ())], 1.0),
    "abs at nan and 0 with inf upstream": _graph([NAN, 0.0], [("unary", "abs", (_r(0),), ()),
                                                              ("unary", "abs", (_r(1),), ()),
                                                              ("binary", "add", (_r(2), _r(3)), ())], INF),
    "max and min at a tie, nan upstream": _graph([2.0, 2.0], [("binary", "max", (_r(0), _r(1)), ()),
                                                              ("binary", "min", (_r(0), _r(1)), ()),
                                                              ("binary", "mul", (_r(2), _r(3)), ())], NAN),
    "max with a nan operand": _graph([NAN, 1.0], [("binary", "max", (_r(0), _r(1)), ())], 1.0),
    "1/max(0.0, -0.0) keeps the sign": _graph([0.0, -0.0], [("binary", "max", (_r(0), _r(1)), ()),
                                                            ("binary", "div", (("c", 1.0), _r(2)), ())], 1.0),
    "(-inf)**0.5 on Tensors": _graph([[-INF, -0.0]], [("binary", "pow", (_r(0), ("c", 0.5)), ())],
                                     [1.0, 1.0], tensor=True),
}
for _leaf, _exponent in [(-0.0, 0.5), (-INF, 0.5), (-0.0, -0.5), (-INF, -0.5), (-INF, 1.5), (-0.0, 1.5),
                         (INF, 0.5), (0.0, -0.5), (-INF, -1.0), (-0.0, 2.0), (-0.0, 3.0)]:
    # issue 19 item 9: Python-number exponents at -0.0 and -inf (torch: sqrt for 0.5, 1/sqrt for -0.5)
    for _tensor in (False, True):
        CASES[f"({_leaf})**{_exponent}{' on Tensors' if _tensor else ''}"] = _graph(
            [[_leaf] if _tensor else _leaf], [("binary", "pow", (_r(0), ("c", _exponent)), ())],
            [1.0] if _tensor else 1.0, tensor=_tensor)


@pytest.mark.parametrize("name", sorted(CASES))
def test_special_points_agree_with_torch(name):
    graph = CASES[name]
    assert not disagreements(graph), describe(graph)
