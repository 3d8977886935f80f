"""autograd.func: grad, value_and_grad, jacobian and hessian on floats, Values, arrays
and Tensors; composition; closed forms, central differences and torch."""
from __future__ import annotations

import warnings

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Tensor, Value, func, no_grad
from tests.strategies import build, expressions, small


# -- numbers in, numbers out ------------------------------------------------------------
def test_grad_of_a_function_of_floats_is_a_float():
    d = func.grad(lambda x: x.tanh())
    assert isinstance(d(0.5), float)
    assert d(0.5) == pytest.approx(1 - math.tanh(0.5) ** 2, rel=1e-15)
    assert func.grad(lambda x: x * x * x)(2) == 12.0  # ints are numbers too


def _tanh_derivative_polynomials(n: int) -> list[np.polynomial.Polynomial]:
    """d^k/dx^k tanh(x) = P_k(tanh x) with P_0 = t and P_{k+1} = P_k'(t) (1 - t^2)."""
    p = [np.polynomial.Polynomial([0, 1])]
    for _ in range(n):
        p.append(p[-1].deriv() * np.polynomial.Polynomial([1, 0, -1]))
    return p


@pytest.mark.parametrize("x", [-1.3, 0.0, 0.4, 2.0])
def test_grad_applied_six_times_to_tanh_gives_its_derivatives(x):
    polynomials = _tanh_derivative_polynomials(6)
    f = lambda t: t.tanh()  # noqa: E731
    for k in range(1, 7):
        f = func.grad(f)
        assert f(x) == pytest.approx(polynomials[k](math.tanh(x)), rel=1e-10, abs=1e-12), k


@settings(max_examples=40)
@given(expressions(2), small, small)
def test_grad_of_random_expressions_matches_central_differences(expr, a, b):
    f = lambda x, y: build(expr, [x, y])  # noqa: E731
    value = lambda x, y: float(getattr(f(Value(x), Value(y)), "data", f(Value(x), Value(y))))  # noqa: E731
    dx, dy = func.grad(f, argnums=(0, 1))(a, b)
    h = 1e-6
    assert dx == pytest.approx((value(a + h, b) - value(a - h, b)) / (2 * h), rel=1e-4, abs=1e-6)
    assert dy == pytest.approx((value(a, b + h) - value(a, b - h)) / (2 * h), rel=1e-4, abs=1e-6)


@settings(max_examples=40)
@given(expressions(1), small)
def test_second_derivative_of_random_expressions(expr, a):
    f = lambda x: build(expr, [x]) + 0 * x  # noqa: E731  (always a Value)
    g = func.grad(f)
    h = 1e-4
    assert func.grad(g)(a) == pytest.approx((g(a + h) - g(a - h)) / (2 * h), rel=1e-4, abs=1e-5)
    assert func.hessian(f)(a) == func.grad(g)(a)


def test_value_and_grad_gives_both_from_one_call():
    value, gradient = func.value_and_grad(lambda x, y: x * y + y)(2.0, 3.0)  # y stays a float
    assert (value, gradient) == (9.0, 3.0)
    value, (dx, dy) = func.value_and_grad(lambda x, y: x * y + y.exp(), argnums=(0, 1))(2.0, 0.0)
    assert (value, dx, dy) == (1.0, 0.0, 3.0)


def test_argnums_pick_arguments_and_the_rest_are_constants():
    f = lambda x, y, z: x * y * y + z  # noqa: E731
    assert func.grad(f, 1)(2.0, 3.0, 5.0) == 12.0
    assert func.grad(f, -1)(2.0, 3.0, 5.0) == 1.0
    assert func.grad(f, (2, 0))(2.0, 3.0, 5.0) == (1.0, 9.0)


def test_the_same_value_passed_twice_gets_each_partial_derivative():
    x = Value(2.0)
    dx, dy = func.grad(lambda a, b: a * b * b, argnums=(0, 1))(x, x)
    assert (dx.data, dy.data) == (4.0, 8.0)  # b^2 and 2ab at a = b = 2
    assert func.grad(lambda a, b: a * b * b)(x, x).data == 4.0


def test_a_function_that_ignores_its_input_has_gradient_zero():
    assert func.grad(lambda x: 3.0)(1.0) == 0.0
    assert func.grad(lambda x: Value(2.0) * 4)(1.0) == 0.0
    np.testing.assert_array_equal(func.grad(lambda x: Tensor(1.0) * 2)(np.ones(3)), np.zeros(3))
    np.testing.assert_array_equal(func.jacobian(lambda x: Tensor(np.ones(2)) * 2)(np.ones(3)), np.zeros((2, 3)))


def test_grad_records_inside_no_grad_and_leaves_closure_gradients_alone():
    w = Tensor([1.0, 2.0])
    with no_grad():
        g = func.grad(lambda x: (x * w).sum())(np.array([3.0, 4.0]))
    np.testing.assert_array_equal(g, [1.0, 2.0])
    assert w.grad is None


# -- arrays and Tensors ---------------------------------------------------------------------
def test_grad_of_an_array_function_is_an_array_of_the_input_shape():
    x = np.arange(6.0).reshape(2, 3)
    g = func.grad(lambda t: (t * t).sum())(x)
    assert isinstance(g, np.ndarray) and g.shape == (2, 3)
    np.testing.assert_array_equal(g, 2 * x)
    np.testing.assert_array_equal(func.grad(lambda t: (t * t).sum())([1, 2]), [2.0, 4.0])  # lists


def test_float32_tensors_keep_their_dtype():
    g = func.grad(lambda t: (t * t).sum())(np.ones(3, dtype=np.float32))
    assert g.dtype == np.float32


def test_relu_jacobian_is_diagonal_and_backward_gives_g_transpose_j():
    """The lecture notes' example: relu on x = [1, -2, 3, -1], upstream [4, -1, 5, 9]."""
    x = np.array([1.0, -2.0, 3.0, -1.0])
    J = func.jacobian(lambda t: t.relu())(x)
    np.testing.assert_array_equal(J, np.diag([1.0, 0.0, 1.0, 0.0]))
    g = np.array([4.0, -1.0, 5.0, 9.0])
    t = Tensor(x)
    t.relu().backward(g)
    np.testing.assert_array_equal(t.grad, [4.0, 0.0, 5.0, 0.0])
    assert not np.signbit(t.grad).any()  # a true 0 where relu blocked -1, not -0
    np.testing.assert_array_equal(g @ J, t.grad)


def test_jacobian_of_a_vector_function_is_m_by_n():
    A = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])
    J = func.jacobian(lambda x: (Tensor(A, requires_grad=False) @ x).tanh())(np.array([0.1, 0.2, -0.3]))
    y = A @ np.array([0.1, 0.2, -0.3])
    np.testing.assert_allclose(J, (1 - np.tanh(y) ** 2)[:, None] * A, rtol=1e-14)
    assert J.shape == (2, 3)


def test_jacobian_of_y_equals_x_w_with_respect_to_w():
    """dY[n, m] / dW[d, m'] = X[n, d] δ(m, m'): mostly zeros, and g^T J = X^T G."""
    rng = np.random.default_rng(0)
    X, W, G = rng.standard_normal((4, 3)), rng.standard_normal((3, 2)), rng.standard_normal((4, 2))
    J = func.jacobian(lambda w: Tensor(X, requires_grad=False) @ w)(W)
    assert J.shape == (4, 2, 3, 2)
    np.testing.assert_array_equal(J, np.einsum("nd,mk->nmdk", X, np.eye(2)))
    vjp = G.reshape(-1) @ J.reshape(8, 6)
    np.testing.assert_allclose(vjp.reshape(3, 2), X.T @ G, rtol=1e-14)


def test_jacobian_of_a_scalar_output_is_the_gradient():
    x = np.array([0.5, -1.0])
    f = lambda t: (t * t * t).sum()  # noqa: E731
    np.testing.assert_array_equal(func.jacobian(f)(x), func.grad(f)(x))
    assert func.jacobian(lambda t: t * 3.0)(2.0) == 3.0  # a Value function: a number


def test_jacobian_with_several_arguments_gives_one_block_each():
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])
    Ja, Jb = func.jacobian(lambda x, y: x[:, None] * y, argnums=(0, 1))(a, b)
    assert Ja.shape == (2, 3, 2) and Jb.shape == (2, 3, 3)
    np.testing.assert_array_equal(Ja[1, 2], [0.0, 5.0])
    np.testing.assert_array_equal(Jb[1, 2], [0.0, 0.0, 2.0])


def test_hessian_of_a_quadratic_form_is_the_symmetric_part():
    A = np.array([[2.0, 1.0, 0.0], [3.0, 4.0, -1.0], [0.0, 0.5, 1.0]])
    H = func.hessian(lambda x: (x * (Tensor(A, requires_grad=False) @ x)).sum())(np.ones(3))
    np.testing.assert_allclose(H, A + A.T, rtol=1e-15)


def test_hessian_is_the_jacobian_of_the_gradient():
    f = lambda x: (x.tanh() * x).sum() + (x * x).logsumexp()  # noqa: E731
    x = np.array([0.3, -0.8, 1.1])
    H = func.hessian(f)(x)
    np.testing.assert_allclose(H, func.jacobian(func.grad(f))(x), rtol=1e-14)
    np.testing.assert_allclose(H, H.T, rtol=1e-12, atol=1e-14)
    h = 1e-5
    by_differences = np.array([(func.grad(f)(x + h * e) - func.grad(f)(x - h * e)) / (2 * h)
                               for e in np.eye(3)])
    np.testing.assert_allclose(H, by_differences, rtol=1e-6, atol=1e-8)


def test_grad_of_grad_on_tensors_gives_the_hessian_diagonal_sum():
    """d/dx Σ_i ∂f/∂x_i: the row sums of the Hessian, by composing grad twice."""
    f = lambda x: (x.sigmoid() * x).sum()  # noqa: E731
    x = np.array([0.2, -0.4, 1.5])
    composed = func.grad(lambda t: func.grad(f)(t).sum())(x)
    np.testing.assert_allclose(composed, func.hessian(f)(x).sum(axis=1), rtol=1e-13)


def test_nodes_in_give_nodes_out_with_their_own_graph():
    x = Tensor([0.5, 1.0])
    g = func.grad(lambda t: (t ** 3).sum())(x)
    assert isinstance(g, Tensor) and g.requires_grad
    g.sum().backward()
    np.testing.assert_allclose(x.grad, 6 * x.data)
    constant = func.grad(lambda t: (t ** 3).sum())(Tensor([2.0], requires_grad=False))
    assert isinstance(constant, Tensor) and not constant.requires_grad and constant.data[0] == 12.0


def test_hessian_of_an_mlp_loss_with_respect_to_its_input():
    model = nn.tensor_mlp(3, [4, 1], activation="tanh", seed=0)

    def loss(x):
        return (model(x.reshape(1, 3)) ** 2).sum()

    x = np.array([0.2, -0.5, 0.9])
    H = func.hessian(loss)(x)
    h = 1e-5
    rows = [(func.grad(loss)(x + h * e) - func.grad(loss)(x - h * e)) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(H, np.array(rows), rtol=1e-5, atol=1e-9)
    assert all(p.grad is None for p in model.parameters())


# -- errors shared with backward ---------------------------------------------------------
def test_non_scalar_outputs_get_the_error_backward_gives():
    with pytest.raises(RuntimeError) as from_backward:
        (Tensor([1.0, 2.0]) * 2).backward()
    with pytest.raises(RuntimeError) as from_grad:
        func.grad(lambda t: t * 2)(np.array([1.0, 2.0]))
    for info in (from_backward, from_grad):
        assert "only a one-element output gets the implicit gradient 1" in str(info.value)
        assert "(2,)" in str(info.value) and ".sum()" in str(info.value)
    assert "jacobian" in str(from_grad.value)


# -- against torch --------------------------------------------------------------------------
THEIRS = {  # the same functions on torch tensors
    "softmax_dot": lambda x: (x.softmax(dim=-1) * x).sum(),
    "tanh_poly": lambda x: (x.tanh() * x * x).sum(),
    "lse": lambda x: (x * x).logsumexp(dim=-1),
}
OURS = {
    "softmax_dot": lambda x: (x.softmax(axis=-1) * x).sum(),
    "tanh_poly": lambda x: (x.tanh() * x * x).sum(),
    "lse": lambda x: (x * x).logsumexp(axis=-1),
}


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 5), seed=st.integers(0, 2**16), name=st.sampled_from(sorted(OURS)))
def test_grad_jacobian_and_hessian_match_torch(n, seed, name):
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(seed).standard_normal(n)
    theirs = THEIRS[name]
    tx = torch.tensor(x)
    np.testing.assert_allclose(func.grad(OURS[name])(x),
                               torch.autograd.functional.jacobian(theirs, tx).numpy(), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(func.hessian(OURS[name])(x),
                               torch.autograd.functional.hessian(theirs, tx).numpy(), rtol=1e-9, atol=1e-12)
    vector = lambda t: t.softmax(axis=-1) * t.tanh()  # noqa: E731
    np.testing.assert_allclose(func.jacobian(vector)(x),
                               torch.autograd.functional.jacobian(lambda t: t.softmax(dim=-1) * t.tanh(), tx).numpy(),
                               rtol=1e-10, atol=1e-13)


def test_a_hessian_of_nodes_is_a_node_and_can_be_differentiated_a_third_time():
    x = Tensor([0.5, -1.0, 2.0])
    H = func.hessian(lambda t: (t ** 4).sum())(x)
    assert isinstance(H, Tensor) and H.shape == (3, 3) and H.requires_grad
    np.testing.assert_allclose(H.data, np.diag(12 * x.data ** 2))
    H.sum().backward()
    np.testing.assert_allclose(x.grad, 24 * x.data)
    J = func.jacobian(lambda t: t * t)(np.ones(2, dtype=np.float32))
    assert J.dtype == np.float32


def test_an_output_that_does_not_depend_on_the_input_warns_as_hips_does():
    """Issue 18: math.sin of a Value is a float, so its gradient was 0 in silence."""
    import math
    with pytest.warns(UserWarning, match=r"does not depend on argument 0 \(x\)"):
        assert func.grad(lambda x: math.sin(x))(0.5) == 0.0
    with pytest.warns(UserWarning, match=r"argument 1 \(b\)"):
        func.grad(lambda a, b: a * 2.0, argnums=1)(1.0, 2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert func.grad(lambda x: x * 2.0)(1.0) == 2.0  # no warning when it depends
