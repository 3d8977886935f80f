"""Same values and gradients as PyTorch (float64) on random graphs with special points.

A fast share of ``benchmarks/parity.py``: random graphs over every operation
(tests/strategies.py ``graphs``) at 0, -0.0, ties, ±inf, nan, huge and tiny
magnitudes, with reuse and inf/nan upstream gradients, plain-number exponents of
pow (0.5, -0.5, 1.5 ...: torch's ``x ** 0.5``) and node exponents (torch's
``pow(tensor, tensor)``), for Values and for Tensors with broadcasting and sum/mean.
Skipped without torch.
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

for _leaf, _exponent in [(-0.0, 0.5), (-INF, 0.5), (-0.0, -0.5), (-INF, -0.5), (-INF, 1.5), (0.0, 0.5)]:
    # the exponent a node (torch.pow(tensor, tensor): C's pow, 0.0 and inf at -0.0), a leaf
    # with or without requires_grad, or computed (0.5 = relu(sigmoid(-0.0)) in a random graph)
    for _tensor in (False, True):
        for _constant in (False, True):
            _wrap = (lambda v: [v]) if _tensor else (lambda v: v)
            CASES[f"({_leaf})**node {_exponent}{' const' if _constant else ''}{' on Tensors' if _tensor else ''}"] = \
                _graph([_wrap(_leaf), _wrap(_exponent)], [("binary", "pow", (_r(0), _r(1)), ())],
                       _wrap(1.0), constant=[False, _constant], tensor=_tensor)
CASES["(-0.0)**relu(sigmoid(-0.0)), inf upstream (benchmarks/parity.py)"] = _graph(
    [-0.0, -0.0], [("unary", "sigmoid", (_r(1),), ()), ("unary", "relu", (_r(2),), ()),
                   ("binary", "pow", (_r(0), _r(3)), ()), ("unary", "sigmoid", (_r(4),), ())], INF)

CASES["Tensor ** a broadcast node exponent 0.5 (numpy's inner loop takes sqrt)"] = _graph(
    [[[0.5], [0.0]], [-1e300, 2.5880597713217154e-194, -INF], [6.2], [[INF], [0.5]]],
    [("binary", "pow", (_r(1), _r(3)), ()), ("reduce", "mean", (_r(3),), (None, False)),
     ("binary", "add", (_r(5), _r(4)), ())], [[NAN, NAN, -INF], [NAN, INF, INF]],
    constant=[False, True, False, False], tensor=True)  # found by benchmarks/parity.py 20000


@pytest.mark.parametrize("name", sorted(CASES))
def test_special_points_agree_with_torch(name):
    graph = CASES[name]
    assert not disagreements(graph), describe(graph)


def test_a_division_the_errors_leave_undecided_is_not_compared():
    """x / 0 with the sign of x unknown may be inf, -inf or nan in a correct engine (two
    orders of summing ±1e300 give 4.1 and 0.0): its bound is inf, and so is what follows;
    with x exact it must agree exactly (bound 0)."""
    from tests.rounding import ERR, Err
    undecided = ERR.div(Err(4.1, 10.0), Err(0.0))
    assert undecided.bound == math.inf and (undecided * 2.0 + 1.0).bound == math.inf
    assert ERR.div(Err(4.1), Err(0.0)).bound == 0.0
    assert ERR.div(Err(4.1, 1.0), Err(0.0)).bound == 0.0  # the sign is known: +inf
