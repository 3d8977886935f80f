"""autograd.graph: topological order, no_grad, anomaly detection, step-through, edges."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import (AnomalyError, Value, backward_steps, detect_anomaly, edge_gradients,
                      enable_grad, is_grad_enabled, no_grad, topological_order)
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
        with pytest.raises(AnomalyError, match="backward of 'pow'"):
            z.backward()
    z.backward()  # outside the block nothing is checked: inf * 0 reaches x as nan
    assert math.isnan(x.grad)


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
