"""micrograd's material runs on chainrule through a two-line shim, with micrograd's numbers.

The shim is the two imports below (micrograd's names -> chainrule's).  These tests do
what micrograd's ``trace_graph.ipynb``, ``demo.ipynb`` and the Zero-to-Hero lecture's
``draw_dot`` do (written here, not copied): walk a graph through ``_prev`` in a set,
build Graphviz node names as ``str(id(n)) + n._op`` with ``n._op`` as the label, seed
Python's ``random`` and train ``MLP(2, [16, 16, 1])`` on make_moons with the hinge loss.

micrograd's numbers were recorded from a run of micrograd (commit in
/work/.mirror/karpathy+micrograd, copied to a scratch directory outside this repository)
with the same script: ``np.random.seed(1337); random.seed(1337)``, ``make_moons(100,
noise=0.1)``, 100 SGD steps at ``lr = 1 - 0.9 k / 100``; they equal the outputs
printed in micrograd's own ``demo.ipynb`` (step 0: 0.8958441028683222, 50%).
"""
from __future__ import annotations

import random
import shutil

import numpy as np
import pytest
from graphviz import Digraph

from autograd import Value  # the shim, line 1: micrograd.engine.Value
from nn import MLP, Neuron  # the shim, line 2: micrograd.nn

MICROGRAD_LOSSES = {0: (0.8958441028683222, 0.5), 1: (1.7235905336972022, 0.81),
                    2: (0.742900631385113, 0.77), 10: (0.24507023853658041, 0.91),
                    50: (0.09875114765619614, 0.96), 99: (0.010978370135492717, 1.0)}
MICROGRAD_NEURON = {"out": 0.102443419482938, "w": [0.23550571390294128, 0.06653114721000164],
                    "x_grad": [0.23550571390294128, 0.06653114721000164]}


def _walk(root):
    """Every node and edge, micrograd-style: sets, recursion through ``_prev``."""
    nodes, edges = set(), set()

    def visit(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                visit(child)

    visit(root)
    return nodes, edges


def _dot(root):
    """The lecture's drawing: a record per value (label, data, grad), an op node named
    id + _op and labelled _op for each non-leaf."""
    nodes, edges = _walk(root)
    dot = Digraph(format="svg", graph_attr={"rankdir": "LR"})
    for n in nodes:
        dot.node(name=str(id(n)), label="{ %s | data %.4f | grad %.4f }" % (n.label, n.data, n.grad),
                 shape="record")
        if n._op:
            dot.node(name=str(id(n)) + n._op, label=n._op)
            dot.edge(str(id(n)) + n._op, str(id(n)))
    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    return dot


def test_the_simple_example_is_drawn_with_micrograds_op_strings():
    x = Value(1.0)
    y = (x * 2 + 1).relu()
    y.backward()
    source = _dot(y).source
    assert y.data == 3.0 and x.grad == 2.0
    for op in ("*", "+", "ReLU"):
        assert f"label={op}" in source or f'label="{op}"' in source
    assert y._op == "ReLU" and "" + y._op == "ReLU" and x._op is None  # a leaf's _op is falsy
    assert len(y._prev) == 1 and y._prev[0] in y._prev and x not in y._prev
    if shutil.which("dot"):
        assert b"<svg" in _dot(y).pipe()  # Graphviz itself accepts the names and labels


def test_the_lectures_expression_draws_with_labels():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = (d * Value(-2.0, label="f")).tanh() ** 2 / 2 - a.exp()
    L.backward()
    source = _dot(L).source
    assert "{ a | data 2.0000" in source and "{ e | data -6.0000" in source
    assert {"" + n._op for n in _walk(L)[0] if n._op} == {"*", "+", "tanh", "**", "/", "-", "exp"}


def test_a_neuron_seeded_with_random_gives_micrograds_weights_and_gradients():
    random.seed(1337)
    n = Neuron(2)
    x = [Value(1.0), Value(-2.0)]
    y = n(x)
    y.backward()
    _dot(y)
    assert [w.data for w in n.w] == MICROGRAD_NEURON["w"] and n.b.data == 0
    assert y.data == pytest.approx(MICROGRAD_NEURON["out"], abs=1e-15)
    assert [v.grad for v in x] == pytest.approx(MICROGRAD_NEURON["x_grad"], abs=1e-15)


def test_the_demo_trains_to_micrograds_losses():
    datasets = pytest.importorskip("sklearn.datasets")
    np.random.seed(1337)
    random.seed(1337)
    X, y = datasets.make_moons(n_samples=100, noise=0.1)
    y = y * 2 - 1
    model = MLP(2, [16, 16, 1])
    assert len(model.parameters()) == 337

    def loss():
        inputs = [list(map(Value, row)) for row in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum((p * p for p in model.parameters()))
        accuracy = [(yi > 0) == (si.data > 0) for yi, si in zip(y, scores)]
        return data_loss + reg_loss, sum(accuracy) / len(accuracy)

    for k in range(100):
        total, acc = loss()
        model.zero_grad()
        total.backward()
        for p in model.parameters():
            p.data -= (1.0 - 0.9 * k / 100) * p.grad
        if k in MICROGRAD_LOSSES:
            assert (total.data, acc) == pytest.approx(MICROGRAD_LOSSES[k], rel=1e-12, abs=1e-14)


def test_values_compare_by_data_and_hash_by_identity():
    a, b = Value(2.0), Value(2.0)
    assert a == b and a == 2.0 and not a != 2 and a != 3.0 and (a <= 2.0) and (a >= 2.0)
    assert len({a, b}) == 2 and {a: 1}.get(b) is None  # still distinct keys, as torch tensors
    assert a != "2.0" and a != None  # noqa: E711 - anything not a number is unequal
    assert round(Value(2.567), 2) == 2.57 and int(Value(-2.7)) == -2 and f"{Value(2.0):.3f}" == "2.000"
