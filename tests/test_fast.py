"""autograd.speed.fast: the generated operators and backward functions give the generic path's
numbers bit for bit, and their source can be read."""
from __future__ import annotations

import linecache
import math
import struct
import traceback

import numpy as np
import pytest
from hypothesis import given

import autograd
from autograd import Value
from autograd.core import ops
from autograd.speed import fast
from autograd.core.graph import Node
from autograd.core.op import Op
from autograd.core.numerics import FLOAT
from autograd.core.value import apply_op, constant
from tests.strategies import GRAPH_OPS as OPS, graphs


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)  # equal bits: nan payloads aside, -0.0 differs from 0.0


def _run(graph, generic: bool) -> list[Value]:
    """The graph's registers, recorded and backpropagated by the generic path a student reads
    (the operators of core/arithmetic.py and core/value.py, the driver of core/graph.py) or
    by the generated fast one."""
    method = fast.GENERIC.__getitem__ if generic else (lambda name: getattr(Value, name))
    regs = [Value(v, requires_grad=not c) for v, c in zip(graph.leaves, graph.constant)]
    for kind, name, operands, _ in graph.steps:
        args = [regs[x] if t == "r" else x for t, x in operands]
        if kind == "unary":
            regs.append(method("__neg__" if name == "neg" else name)(args[0]))
        elif kind == "binary":
            a, b = args
            if not isinstance(a, Value):
                a = Value(a, requires_grad=False)
            symbol = {"add": "__add__", "sub": "__sub__", "mul": "__mul__", "div": "__truediv__",
                      "pow": "__pow__", "max": "max", "min": "min"}[name]
            regs.append(method(symbol)(a, b))
        else:
            regs.append(apply_op(OPS[name], args))  # linear and sum are one node on both paths
    out = regs[-1]
    if out.requires_grad:
        method("backward")(out, graph.seed)
    return regs


@given(graphs(tensor=False))
def test_fast_and_generic_paths_agree_bit_for_bit(graph):
    generic, fast_ = _run(graph, True), _run(graph, False)
    for k, (g, f) in enumerate(zip(generic, fast_)):
        assert g._op is f._op and len(g._prev) == len(f._prev), f"r{k}\n{graph}"
        for what in ("data", "grad"):
            a, b = getattr(g, what), getattr(f, what)
            assert (math.isnan(a) and math.isnan(b)) or _bits(a) == _bits(b), f"r{k} {what}\n{graph}"
            assert type(b) is float, f"r{k} {what} is {type(b).__name__}"


def test_the_generated_source_reads_like_the_rules():
    source = fast.source()
    assert "def __mul__(self, other):" in source and "out.data = self.data * other.data" in source
    assert "def backward_mul(node):" in source and "a.accumulate_grad(g * b.data)" in source
    assert "a.accumulate_grad((0.0 if 0.0 >= a.data else g))" in source  # relu's mask, a selection
    for op in fast.OPERATIONS:
        assert f'"""{op.formula}"""' in source
    assert linecache.getlines(fast.FILENAME) == source.splitlines(True)


def test_tracebacks_show_the_generated_lines():
    try:
        Value(1.0) * "x"
    except TypeError:
        text = traceback.format_exc()
    assert fast.FILENAME in text and "other = constant(other)" in text


def test_operators_carry_the_shared_docstrings():
    assert Value.__mul__.__doc__ == autograd.core.arithmetic.Arithmetic.__mul__.__doc__
    assert Value.max.__doc__ and "tie" in Value.max.__doc__
    assert Value.__mul__.__doc__.endswith(ops.MUL.formula + ".")  # the formula, from the op table


def test_install_is_the_one_visible_call_and_keeps_the_generic_methods():
    assert Value.__mul__.__code__.co_filename == fast.FILENAME
    assert fast.GENERIC["__mul__"] is autograd.core.arithmetic.Arithmetic.__mul__
    assert fast.GENERIC["backward"] is Node.backward and Value.backward is fast.backward


def test_an_operation_defined_later_takes_the_generic_step():
    cube = Op("cube", "³", lambda K, a: a * a * a, (lambda K, g, out, a: g * (3 * a * a),), "3a^2")
    x = Value(2.0)
    y = apply_op(cube, [x]) * x  # d(x^4)/dx = 4 x^3
    y.backward()
    assert x.grad == 32.0 and fast.BACKWARD[cube] is autograd.core.graph.backprop_node


def test_no_mark_is_left_behind_when_a_rule_fails():
    def broken(K, g, out, a):
        raise ZeroDivisionError("a rule that fails")

    bad = Op("bad", "bad", lambda K, a: a, (broken,), "fails")
    x = Value(1.0)
    h = x * 2
    y = apply_op(bad, [h]) + h
    with pytest.raises(ZeroDivisionError):
        y.backward()
    for node in autograd.topological_order(y):
        assert type(node.grad) is float
    y2 = h * 3  # h can be ordered again
    y2.backward()
    assert x.grad == 6.0


def _bits_or_value(x):
    return _bits(x) if type(x) is float else x


@given(graphs(tensor=False))
def test_a_backward_refused_for_a_bad_grad_changes_no_grad_on_either_path(graph):
    for generic in (True, False):
        regs = _run(graph, generic)
        out, first = regs[-1], regs[0]
        if not out.requires_grad or first not in set(autograd.topological_order(out)):
            continue
        first.grad = "zero"  # the first leaf's grad, set to what cannot be added
        before = [_bits_or_value(r.grad) for r in regs[:len(graph.leaves)]]
        backward = fast.GENERIC["backward"] if generic else Value.backward
        with pytest.raises(TypeError, match="was set to 'zero'"):
            backward(out, graph.seed)
        assert [_bits_or_value(r.grad) for r in regs[:len(graph.leaves)]] == before, graph


@pytest.mark.parametrize("path", ["generic", "fast"])
def test_a_rule_failing_part_way_puts_every_grad_back(path):
    def broken(K, g, out, a):
        raise ZeroDivisionError("a rule that fails")

    backward = fast.GENERIC["backward"] if path == "generic" else Value.backward
    bad = Op("bad", "bad", lambda K, a: a, (broken,), "fails")
    w, x = Value(2.0), Value(3.0)
    y = apply_op(bad, [x]) + w * x  # the product's rule runs (w would get 3.0), then bad's fails
    w.grad, x.grad = 10.0, None
    with pytest.raises(ZeroDivisionError):
        backward(y)
    assert (w.grad, x.grad) == (10.0, None)


def test_intermediate_grad_set_to_none_is_recomputed():
    x = Value(3.0)
    h = x * x
    y = h + 1
    y.backward()
    h.grad = None
    x.grad = None
    y.backward()
    assert (h.grad, x.grad) == (1.0, 6.0)


def test_the_two_parent_slots_read_back_as_prev():
    a, b = Value(1.0), Value(2.0)
    assert (a + b)._prev == (a, b) and (a + a)._prev == (a, a)
    assert (-a)._prev == (a,) and a._prev == () and (a + b)._args == ()
    s = autograd.sum_values([a, b, a])
    assert s._prev == (a, b, a) and s._args == ()
    assert ops.ADD is (a + b)._op


@pytest.mark.parametrize("exponent, op", [
    (0.5, ops.POW_SCALAR), (2, ops.POW_SCALAR), (True, ops.POW_SCALAR), (np.float64(-0.5), ops.POW_SCALAR),
    (Value(0.5), ops.POW), (Value(0.5, requires_grad=False), ops.POW), (constant(0.5), ops.POW)])
def test_pow_records_the_op_of_its_exponent_kind_on_both_paths(exponent, op):
    """A plain number exponent is torch's ``x ** 0.5`` (sqrt at ±0.5), a node exponent
    torch.pow(tensor, tensor) (C's pow), on the fast and the generic path alike."""
    for power in (Value.__pow__, fast.GENERIC["__pow__"]):
        x = Value(-0.0)
        y = power(x, exponent)
        assert y._op is op
        y.backward()
        expected = op.forward(FLOAT, -0.0, float(exponent.data if isinstance(exponent, Value) else exponent))
        assert struct.pack("d", y.data) == struct.pack("d", expected)
    assert (2.0 ** Value(0.5))._op is ops.POW  # a number base: torch's pow(Scalar, Tensor), C's pow
