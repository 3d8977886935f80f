"""autograd.speed.compiled_tensor: the forms the compiled code fuses give the engine's bits.

(The compiled Tensor models' behaviour, fit, traces and torch parity are tested in
tests/test_tensor_code.py, beside the flat code they are made of.)"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Tensor, compile
from autograd.speed.compiled_tensor import masked_in_place, zero_where
from tests.strategies import special, upstream
from tests.test_tensor_code import _sprinkled


def _bits(a) -> bytes:
    return np.asarray(a).tobytes()


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([np.float32, np.float64]), st.sampled_from([(7, 3, 5), (130, 40, 50)]),
       st.lists(special, max_size=8), st.lists(upstream, max_size=4), st.integers(0, 2**32 - 1))
def test_a_relu_mask_written_in_the_product_gives_backwards_bits(dtype, sizes, specials, seeds, seed):
    """``grad_z = zero_where(0.0 >= z, grad_h)`` (relu's mask in the array of G @ W.T), below and
    above 4096 elements, at 0, -0.0, ties, inf and nan: the op-by-op gradients, bit for bit."""
    n, k, m = sizes
    rng = np.random.default_rng(seed)
    X = _sprinkled(rng, (n, k), specials, dtype)
    W1, b1, W2 = (_sprinkled(rng, shape, specials, dtype) for shape in [(k, m), (m,), (m, 2)])
    G = _sprinkled(rng, (n, 2), seeds, dtype)

    def net(params):
        return lambda x: ((x @ params[0] + params[1]).relu() @ params[2] * G).sum()

    plain, fused = [Tensor(a.copy()) for a in (W1, b1, W2)], [Tensor(a.copy()) for a in (W1, b1, W2)]
    with np.errstate(all="ignore"):
        compiled = compile(net(fused), Tensor(X, requires_grad=False))
        assert "zero_where(0.0 >= " in compiled.source
        out, expected = compiled(Tensor(X, requires_grad=False)), net(plain)(Tensor(X, requires_grad=False))
        out.backward()
        expected.backward()
    assert _bits(out.data) == _bits(expected.data)
    for p, q in zip(fused, plain):
        assert p.grad.dtype == q.grad.dtype and _bits(p.grad) == _bits(q.grad)


def test_a_gradient_another_line_reads_is_not_masked_in_place():
    """relu's output used twice: its gradient is a sum, so the mask stays a new array (where)."""
    rng = np.random.default_rng(0)
    W1, W2 = Tensor(rng.standard_normal((3, 4))), Tensor(rng.standard_normal((4, 2)))

    def net(x):
        h = (x @ W1).relu()
        return (h @ W2).sum() + (h * h).sum()

    compiled = compile(net, Tensor(rng.standard_normal((5, 3)), requires_grad=False))
    assert "zero_where" not in compiled.source and "= where(0.0 >= " in compiled.source


def test_only_one_where_call_over_an_unread_product_is_rewritten():
    product = "    grad_s5 = grad_s8 @ p4.T                 # (3, 2)"
    cases = {
        "    grad_s4 = where(0.0 >= s4, 0.0, grad_s5) # (3, 2)": True,
        "    grad_s4 = where(logical_and(a, b), 0.0, grad_s5) # (3, 2)": True,
        "    grad_s4 = where(c, 0.0, g) + where(0.0 >= s4, 0.0, grad_s5) # (3, 2)": False,  # two calls
        "    grad_s4 = where(0.0 >= s4, 0.0, grad_s5) # (3, 1)": False,  # another shape
    }
    for line, rewritten in cases.items():
        assert ("zero_where" in masked_in_place([product, line])[1]) == rewritten, line
    read_again = [product, "    grad_s4 = where(0.0 >= s4, 0.0, grad_s5) # (3, 2)", "    return [grad_s5]"]
    assert masked_in_place(read_again) == read_again
    not_a_product = ["    grad_s5 = p4.T                           # (3, 2)", read_again[1]]
    assert masked_in_place(not_a_product) == not_a_product


def test_zero_where_is_wheres_bits_in_its_values_array_on_small_arrays_only():
    values = np.array([1.5, -0.0, np.inf, np.nan, -2.0], dtype=np.float32)
    cond = np.array([True, False, True, False, True])
    expected = np.where(cond, 0.0, values)
    small = values.copy()
    assert zero_where(cond, small) is small and _bits(small) == _bits(expected)
    large_cond, large = np.resize(cond, 5000), np.resize(values, 5000)
    masked = zero_where(large_cond, large)
    assert masked is not large and _bits(masked) == _bits(np.where(large_cond, 0.0, large))
    broadcast = zero_where(np.array([True]), values.copy())
    assert _bits(broadcast) == _bits(np.where([True], 0.0, values))


def test_an_input_under_another_name_is_never_written_in_place():
    """``1.0 * x`` is written ``s0 = x0``: the next ``+`` must not be ``s0 += ...`` (it would write
    into the caller's array).  Found by the random graphs of benchmarks/parity.py."""
    data = np.array([1.0, -2.0, 0.5])
    x = Tensor(data, requires_grad=False)
    compiled = compile(lambda t: ((1.0 * t + (-t)) * 3.0).sum(), x)
    compiled(x)
    assert "s0 +=" not in compiled.source
    np.testing.assert_array_equal(data, [1.0, -2.0, 0.5])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_square_is_written_x_times_x_with_pows_numbers(dtype):
    """``x ** 2`` compiles to ``s * s``: C's pow(x, 2) is the correctly rounded x², as x * x, at
    0, -0.0, ±inf, nan, overflow and underflow too (values and gradients as op by op)."""
    data = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 3e38, 1e200, 1e-200, -1.5, 7.0]).astype(dtype)

    def f(t):
        return (t * 1.5) ** 2

    x, y = Tensor(data.copy()), Tensor(data.copy())
    compiled = compile(f, x)
    assert "s0 * s0" in compiled.source
    with np.errstate(all="ignore"):
        got, expected = compiled(x), f(y)
        got.backward(np.ones_like(data))
        expected.backward(np.ones_like(data))
    np.testing.assert_array_equal(got.data, expected.data)
    np.testing.assert_array_equal(x.grad, y.grad)
    assert got.data.dtype == dtype
