"""autograd.compile: a traced function gives the numbers of the function itself, one node per call."""
from __future__ import annotations

import math
import random
import shutil
import struct
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given

import autograd
import nn
from autograd import Value, compile, draw_graph, flat_code, grad, no_grad, sum_values
from autograd.speed.compiled import code_of
from autograd.core.graph import Node
from autograd.core.value import apply_op
from tests.strategies import GRAPH_OPS as OPS, graphs


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


def _same(a: float, b: float) -> bool:
    return _bits(a) == _bits(b) or (math.isnan(a) and math.isnan(b))


class Student:
    """A micrograd-style MLP, written op by op."""

    def __init__(self, sizes, seed=0):
        rng = random.Random(seed)
        self.layers = [[([Value(rng.uniform(-1, 1)) for _ in range(n_in)], Value(0.0), k < len(sizes) - 2)
                        for _ in range(n_out)] for k, (n_in, n_out) in enumerate(zip(sizes, sizes[1:]))]

    def __call__(self, x):
        for layer in self.layers:
            out = []
            for w, b, relu in layer:
                act = sum((wi * xi for wi, xi in zip(w, x)), b)
                out.append(act.relu() if relu else act)
            x = out
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for w, b, _ in layer for p in w + [b]]

    def zero_grad(self):
        for p in self.parameters():
            p.grad = 0


@pytest.mark.parametrize("make", [lambda: nn.MLP(2, [16, 16, 1], seed=3), lambda: Student([2, 16, 16, 1])],
                         ids=["nn.MLP", "micrograd-style"])
def test_a_compiled_model_gives_the_models_numbers_bit_for_bit(make):
    model = make()
    compiled = compile(model, [0.0, 0.0])
    for x0, x1 in [(0.3, -0.7), (1.5, 0.25), (0.0, -0.0)]:
        xa, xb = [Value(x0), Value(x1)], [Value(x0), Value(x1)]
        model.zero_grad()
        plain = model(xa)
        plain.backward()
        expected = [p.grad for p in model.parameters()] + [v.grad for v in xa]
        model.zero_grad()
        out = compiled(xb)
        out.backward()
        assert _same(out.data, plain.data)
        assert all(map(_same, [p.grad for p in model.parameters()] + [v.grad for v in xb], expected))


def test_micrograds_demo_loop_gives_the_same_losses_to_the_last_bit():
    """The demo loop unchanged but for `model = autograd.compile(model, [0.0, 0.0])`."""
    X, y = nn.data.make_moons(40, noise=0.1, seed=1)
    y = y * 2 - 1

    def losses(model):
        out = []
        for k in range(6):
            inputs = [list(map(Value, row)) for row in X]
            scores = list(map(model, inputs))
            data_loss = sum((1 + -yi * si).relu() for yi, si in zip(y, scores)) * (1.0 / len(scores))
            total = data_loss + 1e-4 * sum(p * p for p in model.parameters())
            model.zero_grad()
            total.backward()
            for p in model.parameters():
                p.data -= (1.0 - 0.9 * k / 100) * p.grad
            out.append(total.data)
        return out

    assert losses(compile(Student([2, 16, 16, 1], seed=5), [0.0, 0.0])) == losses(Student([2, 16, 16, 1], seed=5))


def test_each_call_is_one_node_whose_parents_are_the_inputs_and_the_parameters():
    model = nn.MLP(2, [4, 1], seed=0)
    compiled = compile(model, [0.0, 0.0])
    x = [Value(1.0), 2.0]
    out = compiled(x)
    assert out._op.name == "compiled MLP" and out.requires_grad
    assert out._prev[0] is x[0] and not out._prev[1].requires_grad  # the number became a constant
    assert set(out._prev[2:]) == set(model.parameters()) and len(out._prev) == 2 + 17
    assert len(autograd.topological_order(out)) == 1 + 2 + 17
    assert compiled.parameters() == model.parameters()  # the model's own attributes


def test_parameters_are_read_at_every_call():
    model = nn.MLP(1, [1], seed=0)
    compiled = compile(model, [0.0])
    w, b = model.parameters()
    w.data, b.data = 2.0, 0.5
    assert compiled([3.0]).data == 6.5
    w.data = -1.0
    assert compiled([3.0]).data == -2.5


def test_several_outputs_each_with_its_own_backward():
    layer = nn.Layer(3, 4, seed=1, activation="tanh")
    compiled = compile(layer, [0.0, 0.0, 0.0])
    x = [0.2, -0.4, 0.9]
    outs = compiled(x)
    plain = layer([Value(v) for v in x])
    assert isinstance(outs, list) and [o.data for o in outs] == [p.data for p in plain]
    loss = sum(o * (k + 1) for k, o in enumerate(outs))
    loss.backward()
    got = [p.grad for p in layer.parameters()]
    for p in layer.parameters():
        p.grad = 0.0
    sum(o * (k + 1) for k, o in enumerate(plain)).backward()
    assert got == [p.grad for p in layer.parameters()]


def test_under_no_grad_a_call_records_nothing():
    compiled = compile(nn.MLP(2, [3, 1], seed=0), [0.0, 0.0])
    with no_grad():
        out = compiled([1.0, 2.0])
    assert not out.requires_grad and out._prev == ()


def test_the_generic_driver_gives_the_fast_paths_numbers():
    model = Student([2, 5, 1], seed=2)
    compiled = compile(model, [0.0, 0.0])
    results = []
    for backward in (Node.backward, Value.backward):
        model.zero_grad()
        loss = sum(compiled([a, 0.5 * a]) ** 2 for a in (0.1, -0.3, 0.7))
        backward(loss)
        results.append([p.grad for p in model.parameters()])
    assert results[0] == results[1]


def test_flat_code_and_drawing_show_a_call_as_one_operation():
    compiled = compile(nn.MLP(2, [3, 1], seed=0), [0.0, 0.0])
    x = Value(0.5, label="x")
    y = compiled([x, 1.0]).tanh()
    y.backward()
    code = flat_code(y)
    assert "= MLP_forward(x, 1.0, " in code and "= MLP_backward_0(grad_" in code
    out, grads = autograd.compile_backward(y)(*(v.data for v in autograd.compile_backward(y).inputs))
    assert out == y.data
    source = draw_graph(y).source
    assert source.count("MLP (compiled)") == 1
    node = y._prev[0]
    assert code_of(node) == compiled.source and "def forward(" in code_of(node) and code_of(y) is None


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")
def test_the_drawing_shows_a_calls_code_when_the_pointer_rests_on_it():
    compiled = compile(nn.MLP(2, [3, 1], seed=0), [0.0, 0.0])
    y = compiled([0.5, 1.0])
    y.backward()
    svg = draw_graph(y, edge_grads=True).pipe(format="svg", encoding="utf-8")
    titles = [a.get("{http://www.w3.org/1999/xlink}title") for a in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}a")]
    (tooltip,) = [t for t in titles if t and "def forward(" in t]
    assert tooltip.replace("\xa0", " ").splitlines() == compiled.source.strip().splitlines()  # dot keeps indents as nbsp


def test_gradients_of_gradients_do_not_go_through_a_call():
    compiled = compile(nn.MLP(1, [1], seed=0), [0.0])
    x = Value(0.5)
    with pytest.raises(NotImplementedError, match="create_graph"):
        grad(compiled([x]) * x, [x], create_graph=True)


def test_inf_and_nan_constants_compile():
    compiled = compile(lambda x: (x[0] + math.inf) * 0.0 + x[1] * math.nan + x[0].max(-math.inf), [1.0, 2.0])
    out = compiled([Value(3.0), Value(4.0)])
    assert math.isnan(out.data) and "float('inf')" in compiled.source


def test_a_python_if_on_the_data_follows_the_input():
    """A Python decision on the data is guarded (tests/test_guards.py): the other branch is
    traced when the input goes the other way; relu's choice is made inside the code."""
    def f(x):
        return x[0] * 2 if x[0].data > 0 else x[0] * -3

    compiled = compile(f, [1.0])
    assert compiled([-1.0]).data == 3.0 == f([Value(-1.0)]).data
    relu = compile(lambda x: x[0].relu(), [1.0])
    assert relu([-1.0]).data == 0.0 and relu([2.0]).data == 2.0 and len(relu.traces) == 1


@given(graphs(tensor=False))
def test_random_functions_compile_to_their_own_numbers(graph):
    """A random graph as a function of its leaves, traced at 1.0 and called at the graph's
    own special points (0, -0.0, inf, nan, ties ...): values and gradients bit for bit."""
    variable = [k for k, c in enumerate(graph.constant) if not c]

    def fn(xs):
        regs = [Value(v, requires_grad=False) for v in graph.leaves]
        for k, x in zip(variable, xs):
            regs[k] = x
        for kind, name, operands, _ in graph.steps:
            regs.append(apply_op(OPS[name], [regs[x] if t == "r" else x for t, x in operands]))
        return regs[-1] + sum_values([0 * x for x in xs])

    compiled = compile(fn, [1.0] * len(variable))
    xa, xb = [Value(graph.leaves[k]) for k in variable], [Value(graph.leaves[k]) for k in variable]
    plain, out = fn(xa), compiled(xb)
    assert _same(plain.data, out.data), graph
    plain.backward(graph.seed)
    out.backward(graph.seed)
    for a, b in zip(xa, xb):
        assert _same(a.grad, b.grad), graph


def test_a_frozen_parameter_is_read_at_each_call_and_can_be_unfrozen():
    """Issue 19 item 5: freeze layer 0, compile, load new weights: the compiled model sees them."""
    model, twin = nn.MLP(2, [3, 1], seed=0), nn.MLP(2, [3, 1], seed=0)
    for m in (model, twin):
        for p in m.layers[0].parameters():
            p.requires_grad = False
    compiled = compile(model, [0.0, 0.0])
    for p, q in zip(model.parameters(), twin.parameters()):
        p.data = q.data = p.data * 2 - 0.3
    assert compiled([1.0, 2.0]).data == twin([1.0, 2.0]).data
    for m in (model, twin):
        for p in m.layers[0].parameters():
            p.requires_grad = True
    compiled([1.0, 2.0]).backward()
    twin([1.0, 2.0]).backward()
    assert [p.grad for p in model.parameters()] == [q.grad for q in twin.parameters()]


def test_a_replaced_parameter_is_reported_at_the_next_zero_grad():
    model = nn.MLP(2, [3, 1], seed=0)
    compiled = compile(model, [0.0, 0.0])
    compiled.zero_grad()
    model.layers[0].neurons[0].w[0] = Value(100.0)
    with pytest.raises(RuntimeError, match="parameter 0 of the model was replaced"):
        compiled.zero_grad()
