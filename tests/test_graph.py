"""autograd.core.graph: topological order, no_grad, anomaly detection, step-through, edges."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import (AnomalyError, Value, backward_steps, detect_anomaly, edge_gradients,
                      enable_grad, grad, is_grad_enabled, no_grad, topological_order)
from autograd import Tensor, define_op
from autograd.core.graph import _order_over_leaves
from tests.strategies import build, expressions, small


@given(expr=expressions(3), xs=st.lists(small, min_size=3, max_size=3))
def test_topological_order_puts_parents_first_and_lists_each_node_once(expr, xs):
    v = [Value(x) for x in xs]
    root = build(expr, v) + 0 * v[0]
    order = topological_order(root)
    position = {node: i for i, node in enumerate(order)}
    assert len(position) == len(order) and order[-1] is root
    for node in order:
        for parent in node._prev:
            assert position[parent] < position[node]


def test_a_million_node_chain_orders_and_differentiates():
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    assert len(topological_order(y)) == 2_000_001  # a constant 1.0 per step
    y.backward()
    assert x.grad == 1.0


def test_no_grad_nests_and_restores():
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        with enable_grad():
            assert is_grad_enabled()
        with no_grad():
            pass
        assert not is_grad_enabled()
    assert is_grad_enabled()
    with pytest.raises(ZeroDivisionError):
        with no_grad():
            1 / 0
    assert is_grad_enabled()


def test_detect_anomaly_names_the_op_that_made_an_inf():
    x = Value(0.0, label="x")
    z = (x * x) ** 0.5  # d sqrt(u)/du at u = 0 is inf
    with detect_anomaly():
        with pytest.raises(AnomalyError, match="backward of 'pow_scalar'"):
            z.backward()
    z.backward()  # outside the block nothing is checked: inf * 0 reaches x as nan
    assert math.isnan(x.grad)


def test_an_anomaly_puts_every_grad_back():
    x, w = Value(0.0), Value(2.0)
    y = w * x + (x * x) ** 0.5  # w gets its gradient before pow's inf is found
    h = y._prev[0]
    y.backward()
    before = [n.grad for n in topological_order(y)]
    with detect_anomaly(), pytest.raises(AnomalyError):
        y.backward()
    assert [n.grad for n in topological_order(y)] == before and h.grad == 1.0


def test_a_root_over_leaves_is_ordered_without_a_search_as_topological_order_orders_it():
    a, b = Value(1.0), Value(2.0)
    for root in [a, a * a, a + b, b * a, b.max(a)]:
        assert [id(n) for n in _order_over_leaves(root)] == [id(n) for n in topological_order(root)]
    assert _order_over_leaves((a + b) * a) is None


@pytest.mark.parametrize("failure", ["a leaf's grad", "the rule"])
def test_a_refused_backward_of_a_root_over_leaves_changes_no_gradient(failure):
    """The one-node graph (a compiled call with its loss) keeps backward()'s promise."""
    def rule(K, g, out, a, b):
        if failure == "the rule":
            raise ValueError("this rule fails")
        return g

    pair = define_op("pair", lambda K, a, b: a + b, [rule, rule])
    a, b = Tensor(np.ones(2)), Tensor(np.ones(2))
    out = pair(a, b).sum()  # sum over a node: not over leaves
    loss = pair(a, b)
    a.grad, b.grad = np.full(2, 5.0), (np.ones(3) if failure == "a leaf's grad" else None)
    with pytest.raises((ValueError, TypeError)):
        loss.backward(np.ones(2))
    assert list(a.grad) == [5.0, 5.0] and (b.grad is None or b.grad.shape == (3,)) and loss.grad is None
    assert _order_over_leaves(loss) == [a, b, loss] and _order_over_leaves(out) is None


def test_backward_steps_visit_each_node_once_and_end_like_backward():
    def graph():
        x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
        return (x + y) * z, (x, y, z)

    f, leaves = graph()
    steps = list(backward_steps(f))
    nodes = [s.node for s in steps]
    assert len(nodes) == len(set(nodes)) == 5  # f, q, and the three leaves
    assert steps[0].node is f and steps[0].grads[f] == 1.0
    assert steps[-1].done == frozenset(nodes)
    g, plain = graph()
    g.backward()
    assert [v.grad for v in leaves] == [v.grad for v in plain]
    # a gradient appears in a step only once an edge has delivered it
    first = steps[0]
    assert leaves[0] not in first.grads and leaves[2] in first.grads


def test_edge_gradients_show_the_four_patterns():
    a, b = Value(3.0), Value(-1.0)
    s = a + b
    m = a * b
    mx = a.max(b)
    c = a + a
    for node in (s, m, mx, c):
        node.backward(2.0)
    assert edge_gradients(s) == [2.0, 2.0]      # add distributes
    assert edge_gradients(m) == [-2.0, 6.0]     # mul swaps
    assert edge_gradients(mx) == [2.0, 0.0]     # max routes
    assert edge_gradients(c) == [2.0, 2.0]      # copy: two edges, a gets their sum


# -- gradients returned, and higher-order gradients ------------------------------
def test_grad_returns_without_touching_dot_grad():
    x = Value(2.0)
    x.grad = 5.0
    y = x * x * x
    (dx,) = grad(y, [x])
    assert dx.data == 12.0 and x.grad == 5.0 and not dx.requires_grad


@given(small)
def test_second_and_third_derivatives(a):
    x = Value(a)
    y = x.tanh() * x**3 + (2 * x).sigmoid()
    (d1,) = grad(y, [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x])
    f = lambda t: math.tanh(t) * t**3 + 1 / (1 + math.exp(-2 * t))  # noqa: E731
    h = 1e-3
    assert d1.data == pytest.approx((f(a + h) - f(a - h)) / (2 * h), rel=1e-4, abs=1e-6)
    assert d2.data == pytest.approx((f(a + h) - 2 * f(a) + f(a - h)) / h**2, rel=1e-3, abs=1e-4)
    assert d3.data == pytest.approx((f(a + 2 * h) - 2 * f(a + h) + 2 * f(a - h) - f(a - 2 * h)) / (2 * h**3),
                                    rel=1e-2, abs=1e-2)


def test_higher_order_gradients_match_torch():
    torch = pytest.importorskip("torch")
    x, w = Value(0.7), Value(-1.3)
    y = (x * w).exp() / (1 + x * x) + w.relu() * x
    dx, dw = grad(y, [x, w], create_graph=True)
    dxx, dxw = grad(dx, [x, w])
    tx = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    tw = torch.tensor(-1.3, dtype=torch.float64, requires_grad=True)
    ty = (tx * tw).exp() / (1 + tx * tx) + tw.relu() * tx
    tdx, tdw = torch.autograd.grad(ty, [tx, tw], create_graph=True)
    tdxx, tdxw = torch.autograd.grad(tdx, [tx, tw])
    for mine, theirs in [(dx, tdx), (dw, tdw), (dxx, tdxx), (dxw, tdxw)]:
        assert mine.data == pytest.approx(theirs.item(), rel=1e-12)


def test_grad_of_an_unrelated_input_is_zero():
    x, z = Value(1.0), Value(2.0)
    assert [g.data for g in grad(x * 3, [x, z])] == [3.0, 0.0]
