"""autograd.speed.codegen: flat forward/backward code generated from the op rules."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, compile_backward, flat_code
from autograd.core.value import apply_op
from tests.strategies import GRAPH_OPS as OPS, build, expressions, graphs, small


def _seed_neuron():
    w0, x0, w1, x1, w2 = [Value(d, label) for d, label in
                          [(2.0, "w0"), (-1.0, "x0"), (-3.0, "w1"), (-2.0, "x1"), (-3.0, "w2")]]
    s0 = w0 * x0
    s1 = w1 * x1
    s2 = s0 + s1
    s3 = s2 + w2
    L = s3.sigmoid()
    for node, name in [(s0, "s0"), (s1, "s1"), (s2, "s2"), (s3, "s3"), (L, "L")]:
        node.label = name
    return L, (w0, x0, w1, x1, w2)


def test_the_seeds_flat_code():
    L, _ = _seed_neuron()
    code = flat_code(L)
    assert code.startswith("def forward_backward(w0, x0, w1, x1, w2):")
    for line in ["s0 = w0 * x0", "s1 = w1 * x1", "s2 = s0 + s1", "s3 = s2 + w2", "L = sigmoid(s3)",
                 "grad_L = 1.0", "grad_s3 = grad_L * (1.0 - L) * L", "grad_w2 = grad_s3",
                 "grad_s2 = grad_s3", "grad_s0 = grad_s2", "grad_s1 = grad_s2",
                 "grad_w0 = grad_s0 * x0", "grad_x0 = grad_s0 * w0"]:
        assert f"    {line}\n" in code
    assert code.index("grad_s3 =") < code.index("grad_s2 =") < code.index("grad_w0 =")


def test_compiled_code_reproduces_the_engine():
    L, leaves = _seed_neuron()
    L.backward()
    out, grads = compile_backward(L)(*(v.data for v in leaves))
    assert round(out, 2) == 0.73
    assert grads == [v.grad for v in leaves]
    out2, grads2 = compile_backward(L)(1.0, 1.0, 1.0, 1.0, 1.0)  # new inputs, no graph
    assert out2 == pytest.approx(Value(3.0).sigmoid().data)


def test_fan_out_accumulates_with_plus_equals():
    a = Value(3.0, "a")
    b = a * a + a / 2
    code = flat_code(b)
    assert code.count("grad_a +=") == 2
    assert compile_backward(b)(3.0)[1] == [pytest.approx(6.5)]


@given(expr=expressions(3, smooth=False), xs=st.lists(small, min_size=3, max_size=3))
def test_random_expressions_compile_to_the_same_gradients(expr, xs):
    v = [Value(x, f"v{i}") for i, x in enumerate(xs)]
    out = build(expr, v) + 0 * v[0] + 0 * v[1] + 0 * v[2]
    out.backward()
    compiled = compile_backward(out)
    assert set(compiled.inputs) == set(v)
    value, grads = compiled(*(x.data for x in compiled.inputs))
    assert value == pytest.approx(out.data, rel=1e-12, abs=1e-12)
    assert grads == pytest.approx([x.grad for x in compiled.inputs], rel=1e-12, abs=1e-12)


def test_refuses_what_is_not_a_graph_and_awkward_labels_still_compile():
    with pytest.raises(TypeError, match="Value and Tensor graphs"):
        flat_code(object())  # type: ignore[arg-type]
    x = Value(1.0, "not an identifier")
    y = Value(2.0, "exp")  # clashes with a runtime function name
    assert compile_backward(x * y)(1.0, 2.0)[1] == [2.0, 1.0]


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def test_inf_and_nan_constants_compile():
    """Issue 11: compile_backward wrote inf as a bare name (NameError)."""
    x = Value(2.0, "x")
    y = (x + math.inf) * 0.0 + x * math.nan + (x - -math.inf).tanh()
    code = flat_code(y)
    assert "float('inf')" in code and "float('nan')" in code and "float('-inf')" in code
    y.backward()
    out, (gx,) = compile_backward(y)(2.0)
    assert _same(out, y.data) and _same(gx, x.grad)


@given(graphs(tensor=False))
def test_graphs_with_special_points_compile_to_the_engine_numbers(graph):
    regs = [Value(v, f"v{k}", requires_grad=not c) for k, (v, c) in enumerate(zip(graph.leaves, graph.constant))]
    for kind, name, operands, _ in graph.steps:
        regs.append(apply_op(OPS[name], [regs[x] if t == "r" else x for t, x in operands]))
    out = regs[-1]
    if not out.requires_grad:
        return
    out.backward()  # the flat code's output gradient is 1.0
    compiled = compile_backward(out)
    value, grads = compiled(*(x.data for x in compiled.inputs))
    assert _same(value, out.data)
    for x, g in zip(compiled.inputs, grads):
        assert _same(g, x.grad), f"{graph}\n{x.label}: flat code {g}, engine {x.grad}"
