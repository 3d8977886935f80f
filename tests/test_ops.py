"""autograd.core.ops: the operation table is well formed and each rule is one rule for
every backend (floats and numpy arrays give the same numbers)."""
from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.core import ops
from autograd.core.numerics import ARRAY, FLOAT
from autograd.core.op import Op

ALL = [v for v in vars(ops).values() if isinstance(v, Op)]
FIXED = [op for op in ALL if not op.variadic]
finite = st.floats(-5.0, 5.0, allow_nan=False)


def test_every_operation_is_described():
    assert len({op.name for op in ALL}) == len(ALL)
    for op in ALL:
        assert op.symbol and op.formula, op
        if not op.variadic:
            arity = len(inspect.signature(op.forward).parameters) - 1
            assert len(op.grads) == arity, op


@pytest.mark.parametrize("op", FIXED, ids=lambda op: op.name)
@given(a=finite, b=finite, g=finite)
def test_rules_agree_on_floats_and_arrays(op, a, b, g):
    inputs = [a, b][: len(op.grads)]
    if op is ops.POW:
        inputs[0] = abs(inputs[0]) + 0.1
    out = op.forward(FLOAT, *inputs)
    arrays = [np.array([x]) for x in inputs]
    with np.errstate(all="ignore"):
        out_array = op.forward(ARRAY, *arrays)
    assert out == pytest.approx(float(out_array[0]), rel=1e-12, nan_ok=True)
    for rule in op.grads:
        expected = rule(FLOAT, g, out, *inputs)
        with np.errstate(all="ignore"):
            got = rule(ARRAY, np.array([g]), out_array, *arrays)
        assert expected == pytest.approx(float(got[0]), rel=1e-12, nan_ok=True)


def test_variadic_rules_give_upstream_times_local():
    inputs = [0.5, 2.0, 3.0, -1.0, 4.0]  # b, w1, x1, w2, x2
    out = ops.LINEAR.forward(FLOAT, *inputs)
    assert out == 0.5 + 6.0 - 4.0
    grads = ops.LINEAR.vjp(FLOAT, 2.0, out, inputs, [True] * 5)
    assert grads == [2.0, 6.0, 4.0, 8.0, -2.0]


def test_tensor_gradient_rules_give_no_runtime_warnings_at_special_points():
    """Issue 11: pow's gradient at base 0 printed a RuntimeWarning on Tensors.  (The forward
    pass keeps numpy's warnings for an overflow in + - *, as Tensor documents.)"""
    import math
    import warnings

    from autograd import Tensor

    special = [0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, math.nan, 1e300]
    a = Tensor(np.array(special))
    b = Tensor(np.array(special[::-1]))
    with np.errstate(all="ignore"):
        parts = [a**b, a**0.0, a**0.5, b.log(), (1 / a).exp(), a.relu() * b, a.max(b), a.min(b),
                 a.abs(), a.sigmoid(), a.tanh(), b / a]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for part in parts:
            part.backward(gradient=np.full(len(special), math.inf))
    assert a.grad.shape == b.grad.shape == (len(special),)  # nan and inf, silently
