"""autograd.core.numerics: IEEE results on floats, agreement with numpy."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.core.numerics import ARRAY, FLOAT

anything = st.floats(allow_nan=True, allow_infinity=True, width=64)


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b or a == pytest.approx(b, rel=1e-12)


@given(anything, st.one_of(st.sampled_from([0.5, -0.5]), anything))
def test_float_div_and_pow_agree_with_numpy_and_never_raise(a, b):
    """pow is numpy's power elementwise (C's pow); pow_scalar the same, except at the
    exponents torch computes as sqrt(a) and 1/sqrt(a)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="ignore"):
            x = np.float64(a)
            assert _same(FLOAT.div(a, b), float(np.divide(x, np.float64(b))))
            c_pow = np.power(np.array([x, x]), np.array([b, b]))[0]  # an array exponent: C's pow
            assert _same(FLOAT.pow(a, b), float(c_pow))
            power = {0.5: np.sqrt(x), -0.5: 1.0 / np.sqrt(x)}.get(b, c_pow)
            assert _same(FLOAT.pow_scalar(a, b), float(power))


@given(anything)
def test_float_unary_functions_agree_with_numpy(a):
    with np.errstate(all="ignore"):
        x = np.float64(a)
        assert _same(FLOAT.exp(a), float(np.exp(x)))
        assert _same(FLOAT.log(a), float(np.log(x)))
        assert _same(FLOAT.tanh(a), float(np.tanh(x)))
        assert _same(FLOAT.sigmoid(a), float(ARRAY.sigmoid(np.array([x]))[0]))
        assert _same(FLOAT.abs(a), float(np.abs(x)))
        assert FLOAT.sign(a) == float(ARRAY.sign(np.array([x]))[0])
        assert FLOAT.sign(a) == (0.0 if math.isnan(a) else float(np.sign(x)))  # torch: sign(nan) = 0


@given(anything, anything)
def test_maximum_and_minimum_agree_on_floats_and_arrays(a, b):
    assert _same(FLOAT.maximum(a, b), float(np.maximum(a, b)))
    assert _same(FLOAT.minimum(a, b), float(np.minimum(a, b)))
    arrays = np.array([a]), np.array([b])
    for mine, theirs in [(FLOAT.maximum(a, b), ARRAY.maximum(*arrays)[0]),
                         (FLOAT.minimum(a, b), ARRAY.minimum(*arrays)[0])]:
        assert _same(mine, float(theirs)) and math.copysign(1, mine) == math.copysign(1, theirs)


def test_a_tie_returns_the_first_argument_as_torch():
    """max(0.0, -0.0) is 0.0 and max(-0.0, 0.0) is -0.0 (the sign shows in 1/x)."""
    many = np.array([0.0, -0.0] * 500)  # long enough for numpy's vectorised loops
    for maximum, minimum in [(FLOAT.maximum, FLOAT.minimum), (ARRAY.maximum, ARRAY.minimum)]:
        for first, second in [(0.0, -0.0), (-0.0, 0.0)]:
            assert math.copysign(1, maximum(first, second)) == math.copysign(1, first)
            assert math.copysign(1, minimum(first, second)) == math.copysign(1, first)
    assert np.array_equal(np.signbit(ARRAY.maximum(many, -many)), np.signbit(many))
    assert np.array_equal(np.signbit(ARRAY.minimum(many, -many)), np.signbit(many))


@given(anything, anything, anything)
def test_where_selects_and_comparisons_read_the_data(c, x, y):
    for K, wrap, unwrap in [(FLOAT, float, float), (ARRAY, lambda v: np.array([v]), lambda v: float(v[0]))]:
        for name, fn in [("gt", lambda p, q: p > q), ("ge", lambda p, q: p >= q), ("eq", lambda p, q: p == q)]:
            assert bool(np.all(getattr(K, name)(wrap(c), wrap(x)))) == fn(c, x)
        chosen = unwrap(K.where(K.gt(wrap(c), 0.0), wrap(x), wrap(y)))
        assert _same(chosen, x if c > 0 else y)
        assert bool(np.all(K.both(K.ge(wrap(c), wrap(x)), K.eq(wrap(x), wrap(x))))) == (c >= x and x == x)


def test_where_keeps_an_exact_zero_against_inf_and_nan():
    for g in [math.inf, -math.inf, math.nan]:
        assert FLOAT.where(False, g, 0.0) == 0.0 and 0.0 * g != 0.0
        assert ARRAY.where(np.array([False]), np.array([g]), 0.0)[0] == 0.0
    assert ARRAY.where(np.array([True]), np.float32(1.0), 0.0).dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(st.lists(anything, min_size=1, max_size=8), st.integers(0, 2**32 - 1))
def test_where_against_zero_on_a_large_array_is_numpys_where_bit_for_bit(dtype, specials, seed):
    """From 4096 elements ARRAY.where(cond, 0.0, g) masks bits: numpy.where's bits exactly,
    at 0, -0.0, inf and nan, on either side of the selection."""
    rng = np.random.default_rng(seed)
    with np.errstate(all="ignore"):
        g = rng.choice(np.array(specials + [0.0, -0.0, 1.5], dtype=dtype), size=(64, 70))
        cond = rng.choice(np.array(specials + [0.0, -0.0], dtype=dtype), size=(64, 70)) >= 0.0
    for got, expected in [(ARRAY.where(cond, 0.0, g), np.where(cond, 0.0, g)),
                          (ARRAY.where(cond, g, 0.0), np.where(cond, g, 0.0))]:
        assert got.dtype == expected.dtype == dtype and got.shape == expected.shape
        assert got.tobytes() == expected.tobytes()


def test_sigmoid_is_exact_at_the_extremes_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert FLOAT.sigmoid(-1000.0) == 0.0 and FLOAT.sigmoid(1000.0) == 1.0
        out = ARRAY.sigmoid(np.array([-1000.0, 0.0, 1000.0], dtype=np.float32))
        assert out.dtype == np.float32 and list(out) == [0.0, 0.5, 1.0]


def test_sign_at_zero_and_nan_follows_pytorch():
    assert FLOAT.sign(0.0) == FLOAT.sign(-0.0) == FLOAT.sign(math.nan) == 0.0
    assert list(ARRAY.sign(np.array([0.0, -0.0, math.nan, -3.0, 2.0]))) == [0.0, 0.0, 0.0, -1.0, 1.0]


def _c_pow_at_one_half(a: float, b: float) -> float:
    """C99's pow(a, ±0.5) (Annex F): +0.0 / +inf at ±0, +inf / +0.0 at -inf, else sqrt's."""
    if a == 0:
        return 0.0 if b > 0 else math.inf
    if a == -math.inf:
        return math.inf if b > 0 else 0.0
    root = math.nan if a < 0 else math.sqrt(a)
    return root if b > 0 else FLOAT.div(1.0, root)


@pytest.mark.parametrize("b", [0.5, -0.5])
@pytest.mark.parametrize("a", [-math.inf, -0.0, 0.0, 4.0, math.inf, math.nan, -2.0])
def test_power_at_plus_and_minus_one_half(a, b):
    """torch computes x ** 0.5 (a Python-number exponent: pow_scalar) as sqrt(x) (-0.0 at
    -0.0, nan at -inf) and x ** -0.5 as 1/sqrt(x) (-inf at -0.0); torch.pow(tensor, tensor)
    (pow) is C's pow there: 0.0, inf, inf.  Floats and arrays, whatever numpy loop."""
    root = math.nan if a < 0 else math.sqrt(a)
    for power, expected in [(FLOAT.pow_scalar, root if b > 0 else FLOAT.div(1.0, root)),
                            (FLOAT.pow, _c_pow_at_one_half(a, b))]:
        assert _same(power(a, b), expected)
        assert math.isnan(expected) or math.copysign(1, power(a, b)) == math.copysign(1, expected)
    for array_power, expected in [(ARRAY.pow_scalar, FLOAT.pow_scalar(a, b)), (ARRAY.pow, FLOAT.pow(a, b))]:
        for base, exponent in [(np.array([a] * 20), b), (np.array(a), b), (np.array(a), np.array(b)),
                               (np.array([a]), np.array([b, 2.0])),
                               (np.array([a, 2.0, 3.0]), np.array([[b], [2.0]]))]:  # broadcast rows
            x = np.ravel(array_power(base, exponent))[0]
            assert _same(float(x), expected)
            assert math.isnan(x) or math.copysign(1, x) == math.copysign(1, expected)


