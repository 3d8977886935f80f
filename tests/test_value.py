"""autograd.Value: construction, arithmetic, numerics, backward, the seeds' examples."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autograd import Value, gradcheck, linear, no_grad, sum_values
from tests.strategies import build, expressions, positive, small


# -- construction and refusals ------------------------------------------------
@pytest.mark.parametrize("data", [3, 3.0, np.float32(3.0), np.int64(3), np.float64(3.0), True])
def test_numbers_convert_to_float(data):
    v = Value(data)
    assert type(v.data) is float and v.data == float(data)
    assert v.grad == 0.0 and type(v.grad) is float


@pytest.mark.parametrize("bad, name", [("abc", "str"), (None, "NoneType"), ([1.0], "list"),
                                       (1 + 2j, "complex"), (np.array([1.0, 2.0]), "numpy array")])
def test_non_numbers_are_refused_naming_the_type(bad, name):
    with pytest.raises(TypeError, match=name):
        Value(bad)


def test_mixing_in_a_string_is_refused():
    with pytest.raises(TypeError, match="str"):
        Value(1.0) + "abc"


def test_repr_is_readable():
    r = repr(Value(2.0, label="x"))
    assert r == "Value(data=2.0, grad=0.0, label='x')"
    assert "op='mul'" in repr(Value(2.0) * 3)


def test_results_are_floats():
    v = Value(2) * 3
    assert v.data == 6.0 and type(v.data) is float
    assert type((Value(7) / 2).data) is float and type((Value(2) ** 2).data) is float


# -- forward values -----------------------------------------------------------
@given(small, small)
def test_binary_forward_matches_floats(a, b):
    x, y = Value(a), Value(b)
    assert (x + y).data == a + b
    assert (x - y).data == a - b
    assert (x * y).data == a * b
    assert (a + y).data == a + b and (a - y).data == a - b and (a * y).data == a * b
    assert x.max(y).data == max(a, b) and x.min(y).data == min(a, b)
    if b != 0:
        assert (x / y).data == a / b and (a / y).data == a / b


@given(small)
def test_unary_forward_matches_math(a):
    x = Value(a)
    assert (-x).data == -a
    assert x.exp().data == pytest.approx(math.exp(a))
    assert x.tanh().data == pytest.approx(math.tanh(a))
    assert x.sigmoid().data == pytest.approx(1 / (1 + math.exp(-a)))
    assert x.relu().data == max(a, 0.0)
    assert x.abs().data == abs(a) == abs(x).data
    if a > 0:
        assert x.log().data == pytest.approx(math.log(a))


def test_ieee_numerics_never_raise_or_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert (1 / Value(0.0)).data == math.inf
        assert (-1 / Value(0.0)).data == -math.inf
        assert math.isnan((Value(0.0) / 0).data)
        assert Value(1000.0).exp().data == math.inf
        assert Value(0.0).log().data == -math.inf
        assert math.isnan(Value(-1.0).log().data)
        assert math.isnan((Value(-8.0) ** (1 / 3)).data)
        assert (Value(0.0) ** -1).data == math.inf
        assert (Value(10.0) ** 400).data == math.inf
        assert Value(1000.0).tanh().data == 1.0
        assert Value(-1000.0).sigmoid().data == 0.0
        assert Value(1000.0).sigmoid().data == 1.0
        x = Value(0.0)
        (1 / x).backward()
        assert x.grad == -math.inf


# -- gradients of each operation against central differences -------------------
UNARY = {
    "neg": lambda x: -x,
    "exp": lambda x: x.exp(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "relu": lambda x: x.relu(),
    "abs": lambda x: x.abs(),
    "pow2": lambda x: x**2,
    "pow3": lambda x: x**3,
}
BINARY = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "max": lambda x, y: x.max(y),
    "min": lambda x, y: x.min(y),
    "radd": lambda x, y: 2.5 + x * y,
    "rsub": lambda x, y: 2.5 - x * y,
    "rmul": lambda x, y: 2.5 * x + y,
    "rdiv": lambda x, y: 2.5 / (x * x + y * y + 1),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@given(a=small)
def test_unary_gradient_matches_central_difference(name, a):
    assume(abs(a) > 1e-3)  # relu and abs have a kink at 0
    assert gradcheck(UNARY[name], a)


@given(a=positive)
def test_log_and_fractional_power_gradients(a):
    assert gradcheck(lambda x: x.log(), a)
    assert gradcheck(lambda x: x**0.5, a)
    assert gradcheck(lambda x: 2.0**x, a)


@given(a=positive, b=small)
def test_value_exponent_gradient(a, b):
    assert gradcheck(lambda x, y: x**y, a, b)


@pytest.mark.parametrize("name", sorted(BINARY))
@given(a=small, b=small)
def test_binary_gradient_matches_central_difference(name, a, b):
    assume(abs(a - b) > 1e-3)  # max and min have a kink at a tie
    assume(name != "div" or abs(b) > 0.1)
    assert gradcheck(BINARY[name], a, b)


@given(expr=expressions(3), xs=st.lists(small, min_size=3, max_size=3))
def test_random_smooth_expressions_match_central_differences(expr, xs):
    f = lambda *v: 0 * v[0] + build(expr, list(v))  # noqa: E731  (keeps every input in the graph)
    assert gradcheck(f, *xs, atol=1e-4, rtol=1e-3)


# -- non-smooth points follow PyTorch -------------------------------------------
def test_kinks_follow_pytorch():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0
    y = Value(0.0)
    y.abs().backward()
    assert y.grad == 0.0
    a, b = Value(2.0), Value(2.0)
    a.max(b).backward()
    assert (a.grad, b.grad) == (0.5, 0.5)
    c, d = Value(2.0), Value(2.0)
    c.min(d).backward()
    assert (c.grad, d.grad) == (0.5, 0.5)


def test_max_routes_the_whole_gradient_to_the_larger_input():
    a, b = Value(3.0), Value(-1.0)
    (a.max(b) * 5).backward()
    assert (a.grad, b.grad) == (5.0, 0.0)


# -- fan-out and accumulation ----------------------------------------------------
def test_a_plus_a_keeps_both_parents():
    a = Value(3.0)
    b = a + a
    assert b._prev == (a, a)
    b.backward()
    assert a.grad == 2.0


def test_reused_values_get_their_summed_gradient():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0
    x = Value(1.5)
    y = x * x * x  # dy/dx = 3 x^2
    y.backward()
    assert x.grad == pytest.approx(3 * 1.5**2)


def test_value_used_by_many_nodes():
    x = Value(0.7)
    terms = [x * k for k in range(1, 51)]
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    total.backward()
    assert x.grad == pytest.approx(sum(range(1, 51)))


def test_gradients_accumulate_until_zeroed():
    x = Value(2.0)
    y = x * x
    y.backward()
    y.backward()
    assert x.grad == 8.0  # 4 + 4, as in PyTorch
    x.grad = 0.0
    y.backward()
    assert x.grad == 4.0


def test_intermediate_gradients_are_recomputed_not_accumulated():
    x = Value(2.0)
    h = x * 3
    y = h * h
    y.backward()
    y.backward()
    assert h.grad == 2 * 6.0  # this pass's dy/dh, not twice it
    assert x.grad == 2 * 36.0


def test_backward_with_an_explicit_gradient():
    x = Value(2.0)
    (x * 3).backward(2.0)
    assert x.grad == 6.0


def test_long_chain_has_no_recursion_error():
    x = Value(1.0)
    y = x
    for _ in range(200_000):
        y = y + 1.0
    y.backward()
    assert x.grad == 1.0 and y.data == 200_001.0


# -- constants, requires_grad, no_grad --------------------------------------------
def test_plain_numbers_are_constants():
    x = Value(2.0)
    y = 3 * x + 1
    y.backward()
    constants = [p for p in y._prev[0]._prev if not p.requires_grad]
    assert len(constants) == 1 and constants[0].data == 3.0 and constants[0].grad == 0.0


def test_requires_grad_false_makes_a_constant():
    c = Value(5.0, requires_grad=False)
    x = Value(2.0)
    (c * x).backward()
    assert c.grad == 0.0 and x.grad == 5.0
    assert not (c * c).requires_grad


def test_no_grad_records_nothing():
    x = Value(2.0)
    with no_grad():
        y = x * x
    assert y._prev == () and not y.requires_grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()
    z = x * x  # recording is back on
    assert z._prev == (x, x)


def test_detach_cuts_the_graph():
    x = Value(2.0)
    y = (x * x).detach() * x
    y.backward()
    assert x.grad == 4.0


# -- the seeds' worked examples ---------------------------------------------------
def test_seed_example_1_sum_times_z():
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    q = x + y
    f = q * z
    f.backward()
    assert q.data == 3.0 and f.data == -12.0
    assert (x.grad, y.grad, z.grad, q.grad) == (-4.0, -4.0, 3.0, -4.0)


def _neuron_inputs():
    return [Value(d, label) for d, label in
            [(2.0, "w0"), (-1.0, "x0"), (-3.0, "w1"), (-2.0, "x1"), (-3.0, "w2")]]


def _check_neuron(out, w0, x0, w1, x1, w2):
    out.backward()
    assert round(out.data, 2) == 0.73
    assert [round(v.grad, 2) for v in (w0, x0, w1, x1, w2)] == [-0.20, 0.39, -0.39, -0.59, 0.20]


def test_seed_example_2_neuron_from_primitive_ops():
    w0, x0, w1, x1, w2 = _neuron_inputs()
    out = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
    _check_neuron(out, w0, x0, w1, x1, w2)


def test_seed_example_2_neuron_with_one_sigmoid_op():
    w0, x0, w1, x1, w2 = _neuron_inputs()
    out = (w0 * x0 + w1 * x1 + w2).sigmoid()
    _check_neuron(out, w0, x0, w1, x1, w2)


def test_the_graph_is_not_unique_but_the_gradients_are():
    a = _neuron_inputs()
    b = _neuron_inputs()
    p = 1 / (1 + (-(a[0] * a[1] + a[2] * a[3] + a[4])).exp())
    s = (b[0] * b[1] + b[2] * b[3] + b[4]).sigmoid()
    p.backward()
    s.backward()
    for u, v in zip(a, b):
        assert u.grad == pytest.approx(v.grad, rel=1e-12)


# -- fused nodes ------------------------------------------------------------------
@given(st.lists(st.tuples(small, small), min_size=1, max_size=6), small)
def test_linear_is_one_node_with_the_gradients_of_its_parts(pairs, bias):
    n = len(pairs)
    flat = [c for pair in pairs for c in pair] + [bias]
    f = lambda *v: linear(list(v[0:2 * n:2]), list(v[1:2 * n:2]), v[-1])  # noqa: E731
    assert gradcheck(f, *flat)
    ws = [Value(w) for w, _ in pairs]
    out = linear(ws, [x for _, x in pairs], bias)
    assert out._op.name == "linear" and len(out._prev) == 2 * n + 1
    assert out.data == pytest.approx(bias + sum(w * x for w, x in pairs))


def test_linear_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="3 weights but 2 inputs"):
        linear([Value(1.0)] * 3, [1.0, 2.0])


@given(st.lists(small, min_size=1, max_size=8))
def test_sum_values(xs):
    assert gradcheck(lambda *v: sum_values(v) * 2, *xs)
    assert sum_values([]).data == 0.0


def test_equality_compares_data_as_ordering_does():
    """Issue 18: ``Value(2.0) == 2.0`` was False while ``<=`` and ``>=`` were True."""
    a = Value(2.0)
    assert a == 2.0 and a == Value(2.0) and not (a != 2.0) and a <= 2.0 and a >= 2.0
    assert a != Value(3.0) and a != "2.0" and a != None  # noqa: E711
    assert Value(math.nan) != Value(math.nan)  # IEEE-754, as torch
    assert len({a, Value(2.0)}) == 2  # hashing is by identity
    y = a * a
    assert a in y._prev and Value(2.0) not in y._prev  # _prev's `in` asks for the very node
