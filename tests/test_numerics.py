"""autograd.numerics: IEEE results on floats, agreement with numpy."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.numerics import ARRAY, FLOAT

anything = st.floats(allow_nan=True, allow_infinity=True, width=64)


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b or a == pytest.approx(b, rel=1e-12)


@given(anything, anything)
def test_float_div_and_pow_agree_with_numpy_and_never_raise(a, b):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="ignore"):
            assert _same(FLOAT.div(a, b), float(np.divide(np.float64(a), np.float64(b))))
            assert _same(FLOAT.pow(a, b), float(np.power(np.float64(a), np.float64(b))))


@given(anything)
def test_float_unary_functions_agree_with_numpy(a):
    with np.errstate(all="ignore"):
        x = np.float64(a)
        assert _same(FLOAT.exp(a), float(np.exp(x)))
        assert _same(FLOAT.log(a), float(np.log(x)))
        assert _same(FLOAT.tanh(a), float(np.tanh(x)))
        assert _same(FLOAT.sigmoid(a), float(ARRAY.sigmoid(np.array([x]))[0]))
        assert _same(FLOAT.abs(a), float(np.abs(x)))
        assert _same(FLOAT.sign(a), float(np.sign(x)))


@given(anything, anything)
def test_float_maximum_minimum_and_share_agree_with_numpy(a, b):
    assert _same(FLOAT.maximum(a, b), float(np.maximum(a, b)))
    assert _same(FLOAT.minimum(a, b), float(np.minimum(a, b)))
    assert FLOAT.share(a, b) == float(ARRAY.share(np.float64(a), np.float64(b)))


def test_sigmoid_is_exact_at_the_extremes_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert FLOAT.sigmoid(-1000.0) == 0.0 and FLOAT.sigmoid(1000.0) == 1.0
        out = ARRAY.sigmoid(np.array([-1000.0, 0.0, 1000.0], dtype=np.float32))
        assert out.dtype == np.float32 and list(out) == [0.0, 0.5, 1.0]


def test_step_and_sign_at_zero_follow_pytorch():
    assert FLOAT.step(0.0) == 0.0 and FLOAT.sign(0.0) == 0.0
    assert FLOAT.share(1.0, 1.0) == 0.5
