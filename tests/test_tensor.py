"""Tensor: construction, the seeds' matrix-form backprop formulas, broadcasting
gradients, constants, dtypes, errors, and agreement with the Value engine."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import autograd
from autograd import Tensor, Value, backward_steps, detect_anomaly, gradcheck, no_grad
from autograd.core import ops
from autograd.core import tensor_ops
from autograd.core.tensor import _binary

rng = np.random.default_rng(0)


# -- construction and data access ---------------------------------------------------
def test_lists_and_scalars_convert_and_ints_become_float64():
    assert Tensor([[1, 2], [3, 4]]).dtype == np.float64
    assert Tensor(3).shape == () and Tensor(3).item() == 3.0
    assert Tensor([True, False]).dtype == np.float64
    assert Tensor(np.arange(3, dtype=np.int32)).dtype == np.float64


def test_float32_stays_float32_and_data_is_copied():
    a = np.ones((2, 3), dtype=np.float32)
    t = Tensor(a)
    assert t.dtype == np.float32
    a[0, 0] = 7
    assert t.data[0, 0] == 1


@pytest.mark.parametrize("bad", [["a", "b"], np.array([1 + 2j]), np.array([object()]), [Value(1.0)]])
def test_non_real_data_is_refused_with_a_type_error(bad):
    with pytest.raises(TypeError, match="real numbers"):
        Tensor(bad)


def test_ragged_lists_are_refused():
    with pytest.raises(ValueError, match="rectangular"):
        Tensor([[1.0], [1.0, 2.0]])


def test_attributes_and_repr():
    t = Tensor(np.arange(6.0).reshape(2, 3), label="x")
    assert (t.shape, t.ndim, t.size, len(t)) == ((2, 3), 2, 6, 2)
    assert t.numpy() is t.data
    assert t.T.shape == (3, 2)
    assert t.grad is None and t.is_leaf
    r = repr(t)
    assert r.startswith("Tensor([[0., 1., 2.]") and "shape=(2, 3)" in r and "label='x'" in r
    assert "op='mul'" in repr(t * 2)
    big = repr(Tensor(np.zeros((100, 100))))
    assert "..." in big and len(big) < 600


def test_item_needs_exactly_one_entry():
    assert Tensor([[2.5]]).item() == 2.5
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        Tensor([1.0, 2.0]).item()


def test_tensors_hash_by_identity_and_compare_elementwise():
    a, b = Tensor([1.0, 2.0]), Tensor([1.0, 2.0])
    assert len({a, b, a}) == 2
    np.testing.assert_array_equal(a < Tensor([2.0, 2.0]), [True, False])
    np.testing.assert_array_equal(a >= 2, [False, True])


# -- the seeds' formulas, literally ----------------------------------------------------
def test_matmul_gradients_are_G_Wt_and_Xt_G():
    """Y = X W, X: N x D, W: D x M: dL/dX = G W^T (N x D), dL/dW = X^T G (D x M)."""
    X, W = rng.standard_normal((5, 3)), rng.standard_normal((3, 4))
    G = rng.standard_normal((5, 4))
    x, w = Tensor(X), Tensor(W)
    (x @ w).backward(gradient=G)
    np.testing.assert_allclose(x.grad, G @ W.T)
    np.testing.assert_allclose(w.grad, X.T @ G)
    assert x.grad.shape == (5, 3) and w.grad.shape == (3, 4)


def test_batched_layer_gradients():
    """Z = O W + 1 b^T with G = dL/dZ: dL/dW = O^T G, dL/db = 1^T G, dL/dO = G W^T."""
    m, n_in, n = 6, 3, 2
    O, W, b = rng.standard_normal((m, n_in)), rng.standard_normal((n_in, n)), rng.standard_normal(n)
    G = rng.standard_normal((m, n))
    o, w, bias = Tensor(O), Tensor(W), Tensor(b)
    (o @ w + bias).backward(gradient=G)
    np.testing.assert_allclose(w.grad, O.T @ G)
    np.testing.assert_allclose(bias.grad, np.ones(m) @ G)
    np.testing.assert_allclose(o.grad, G @ W.T)


@pytest.mark.parametrize("name, derivative", [
    ("tanh", lambda z: 1 - np.tanh(z) ** 2),
    ("sigmoid", lambda z: (1 / (1 + np.exp(-z))) * (1 - 1 / (1 + np.exp(-z)))),
    ("relu", lambda z: (z > 0).astype(float)),
])
def test_activation_backward_is_a_hadamard_product(name, derivative):
    """First step backwards through an activation: G <- G ⊙ f'(Z), never a Jacobian."""
    Z, G = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    z = Tensor(Z)
    getattr(z, name)().backward(gradient=G)
    np.testing.assert_allclose(z.grad, G * derivative(Z))


def test_sigmoid_squared_error_output_sensitivity():
    """L = Σ (Y - A)^2, A = σ(Z): dL/dZ = -2 (Y - A) ⊙ A ⊙ (1 - A)."""
    Z, Y = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    z = Tensor(Z)
    a = z.sigmoid()
    ((Y - a) ** 2).sum().backward()
    A = a.data
    np.testing.assert_allclose(z.grad, -2 * (Y - A) * A * (1 - A))


def test_worked_example_1_on_tensors():
    """f = (x + y) z at x = -2, y = 5, z = -4: df/dz = 3, df/dx = df/dy = -4."""
    x, y, z = Tensor(-2.0), Tensor(5.0), Tensor(-4.0)
    f = (x + y) * z
    f.backward()
    assert f.item() == -12
    assert (x.grad, y.grad, z.grad) == (-4, -4, 3)


# -- broadcasting -------------------------------------------------------------------
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "max": lambda a, b: a.max(b),
}


@settings(max_examples=60, deadline=None)
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
       op=st.sampled_from(sorted(BINARY)), seed=st.integers(0, 2**16))
def test_broadcast_gradients_sum_back_to_each_input_shape(shapes, op, seed):
    sa, sb = shapes.input_shapes
    r = np.random.default_rng(seed)
    a, b = r.standard_normal(sa), r.standard_normal(sb)
    gradcheck(BINARY[op], a, b)


@settings(max_examples=30, deadline=None)
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3))
def test_broadcast_gradient_is_the_sum_over_stretched_axes(shapes):
    sa, sb = shapes.input_shapes
    a, b = Tensor(np.ones(sa)), Tensor(np.ones(sb))
    out = a + b
    out.backward(gradient=np.ones(out.shape))
    assert a.grad.shape == sa and b.grad.shape == sb
    np.testing.assert_array_equal(a.grad, np.full(sa, out.size / a.size))
    np.testing.assert_array_equal(b.grad, np.full(sb, out.size / b.size))


# -- backward semantics ---------------------------------------------------------------
def test_backward_of_non_scalar_needs_gradient():
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match=r"shape \(2, 3\).*gradient="):
        (t * 2).backward()


def test_backward_gradient_shape_must_match():
    y = Tensor(np.ones((2, 3))) * 2
    with pytest.raises(ValueError, match=r"\(3, 2\).*\(2, 3\)"):
        y.backward(gradient=np.ones((3, 2)))


def test_one_element_output_gets_implicit_gradient():
    x = Tensor([[2.0]])
    (x * x).backward()
    assert x.grad.shape == (1, 1) and x.grad[0, 0] == 4


def test_gradients_accumulate_until_zeroed():
    x = Tensor([1.0, 2.0])
    for _ in range(2):
        (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, [6, 6])
    x.grad = 0
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, [3, 3])
    x.grad = None
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [2, 4])


def test_repeated_parent_gets_both_contributions():
    a = Tensor([1.0, 2.0])
    b = a + a
    assert b.parents == (a, a)
    b.sum().backward()
    np.testing.assert_array_equal(a.grad, [2, 2])


def test_leaf_gradients_are_never_shared_arrays():
    """The add rule hands the same upstream array to both inputs: each leaf owns a copy."""
    a, b = Tensor(np.zeros(3)), Tensor(np.zeros(3))
    c = a + b
    c.backward(gradient=np.ones(3))
    assert a.grad is not b.grad and not np.shares_memory(a.grad, b.grad)
    a.grad *= 5  # an optimizer scaling one gradient in place
    np.testing.assert_array_equal(b.grad, [1, 1, 1])
    np.testing.assert_array_equal(c.grad, [1, 1, 1])
    with pytest.raises(ValueError):
        c.grad[0] = 3  # intermediate gradients are read-only


def test_gradient_argument_is_not_aliased():
    x = Tensor(np.zeros(2))
    G = np.ones(2)
    x.backward(gradient=G)
    x.grad += 1
    np.testing.assert_array_equal(G, [1, 1])


def test_deep_chain_has_no_recursion_error():
    x = Tensor([1.0, 2.0])
    y = x
    for _ in range(20000):
        y = y + 1.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [1, 1])


def test_backward_steps_and_anomaly_detection_work_on_tensors():
    x = Tensor([1.0, 4.0])
    y = (x * 2).sum()
    steps = list(backward_steps(y))
    np.testing.assert_array_equal(steps[-1].grads[x], [2, 2])
    z = Tensor([0.0, 1.0])
    with detect_anomaly(), pytest.raises(autograd.AnomalyError, match="log"):
        z.log().sum().backward()


# -- constants ----------------------------------------------------------------------
def test_numbers_and_arrays_are_constants_without_gradient():
    x = Tensor([1.0, 2.0])
    c = np.array([3.0, 4.0])
    y = (x * c + 1) / 2
    const = [p for p in y.parents if not p.requires_grad]
    assert const and all(p.grad is None and p.is_leaf for p in const)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, c / 2)
    np.testing.assert_array_equal(c, [3.0, 4.0])


def test_ndarray_on_the_left_gives_a_tensor():
    x = Tensor([1.0, 2.0])
    for y in (np.ones(2) + x, np.ones(2) * x, np.ones(2) - x, np.ones(2) / x, np.eye(2) @ x,
              np.float64(2.0) * x, 2 ** x):
        assert isinstance(y, Tensor) and y.requires_grad


def test_constants_cost_no_gradient():
    """The driver never calls the rule of an input that needs no gradient."""
    calls = []

    def spy(rule, k):
        def wrapped(*args):
            calls.append(k)
            return rule(*args)
        return wrapped

    op = tensor_ops.MATMUL
    counting = dataclasses.replace(op, grads=(spy(op.grads[0], "X"), spy(op.grads[1], "W")))
    X = Tensor(rng.standard_normal((4, 3)), requires_grad=False)
    W = Tensor(rng.standard_normal((3, 2)))
    _binary(counting, X, W).sum().backward()
    assert calls == ["W"] and X.grad is None


def test_results_of_constants_and_no_grad_are_not_recorded():
    c = Tensor([1.0], requires_grad=False)
    assert (c * 2).op is None and not (c.exp()).requires_grad
    x = Tensor([1.0])
    with no_grad():
        y = x * 2 + 1
    assert y.op is None and not y.requires_grad and y.parents == ()
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.sum().backward()
    d = (x * 2).detach()
    assert not d.requires_grad and d.op is None


# -- dtypes ---------------------------------------------------------------------------
def test_python_scalars_and_float64_constants_keep_float32():
    x = Tensor(np.ones((2, 2), dtype=np.float32))
    for y in (x * 2.5, 2.5 * x, x + 1, x / 3, x ** 2, 2 ** x, x - np.ones((2, 2)),
              np.ones(2) + x, x @ np.eye(2), x.maximum(0.5), (x * np.float64(0.1)).mean()):
        assert y.dtype == np.float32, y
    loss = ((x @ np.eye(2) * 0.5 + 1) ** 2).mean()
    loss.backward()
    assert loss.dtype == np.float32 and x.grad.dtype == np.float32


def test_mixed_tensor_dtypes_follow_numpy_and_gradients_keep_each_dtype():
    a = Tensor(np.ones(2, dtype=np.float32))
    b = Tensor(np.ones(2, dtype=np.float64))
    y = a * b
    assert y.dtype == np.float64
    y.sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64


# -- errors ---------------------------------------------------------------------------
def test_matmul_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"^matmul: \(2, 3\) @ \(4, 5\): inner dimensions 3 and 4 differ$"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"batch dimensions \(2,\) and \(3,\)"):
        Tensor(np.ones((2, 2, 3))) @ Tensor(np.ones((3, 3, 4)))
    with pytest.raises(ValueError, match="at least one dimension"):
        Tensor(2.0) @ Tensor([1.0])


def test_broadcast_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"add: shapes \(2, 3\) and \(4,\) do not broadcast"):
        Tensor(np.ones((2, 3))) + np.ones(4)
    with pytest.raises(ValueError, match=r"mul: shapes \(3,\) and \(2,\)"):
        Tensor(np.ones(3)) * Tensor(np.ones(2))


def test_other_shape_errors_name_the_shapes():
    t = Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"reshape: cannot reshape \(2, 3\) \(6 elements\) into \(4,\)"):
        t.reshape(4)
    with pytest.raises(ValueError, match=r"transpose: axes \(0, 0\)"):
        t.transpose(0, 0)
    with pytest.raises(ValueError, match=r"sum: axis 2 is out of range for a Tensor of shape \(2, 3\)"):
        t.sum(axis=2)
    with pytest.raises(ValueError, match=r"concatenate along axis 0: shapes \(2, 3\), \(2, 4\)"):
        autograd.concatenate([t, Tensor(np.ones((2, 4)))])
    with pytest.raises(ValueError, match="at least one"):
        autograd.stack([])


def test_mixing_values_and_tensors_is_refused():
    with pytest.raises(TypeError, match="Value"):
        Tensor([1.0]) * Value(2.0)
    with pytest.raises(TypeError, match="real numbers"):
        Tensor([1.0]) + np.array(["a"])
    with pytest.raises(TypeError, match="not with a Tensor"):
        Tensor([1.0, 2.0])[Tensor([0.0])]


# -- the same network on Values and on Tensors -----------------------------------------
def _value_net(W1, b1, W2, b2, X, Y):
    w1 = [[Value(w) for w in row] for row in W1]
    v1 = [Value(b) for b in b1]
    w2 = [[Value(w) for w in row] for row in W2]
    v2 = [Value(b) for b in b2]
    total = Value(0.0)
    for x, y in zip(X, Y):
        h = [(sum((w1[i][j] * x[i] for i in range(len(x))), Value(0.0)) + v1[j]).tanh()
             for j in range(len(b1))]
        out = sum((w2[j][0] * h[j] for j in range(len(h))), Value(0.0)) + v2[0]
        total = total + (out - y[0]) ** 2
    loss = total * (1.0 / len(X))
    loss.backward()
    grad = lambda rows: np.array([[v.grad for v in row] for row in rows])
    return loss.data, [grad(w1), np.array([v.grad for v in v1]), grad(w2), np.array([v.grad for v in v2])]


def test_value_and_tensor_networks_give_the_same_gradients():
    """A 2-3-1 tanh network with MSE over a batch of 4, on both engines."""
    r = np.random.default_rng(3)
    W1, b1, W2, b2 = r.standard_normal((2, 3)), r.standard_normal(3), r.standard_normal((3, 1)), r.standard_normal(1)
    X, Y = r.standard_normal((4, 2)), r.standard_normal((4, 1))
    v_loss, v_grads = _value_net(W1, b1, W2, b2, X, Y)
    params = [Tensor(p) for p in (W1, b1, W2, b2)]
    out = (Tensor(X, requires_grad=False) @ params[0] + params[1]).tanh() @ params[2] + params[3]
    loss = ((out - Y) ** 2).mean()
    loss.backward()
    assert abs(loss.item() - v_loss) < 1e-12
    for p, g in zip(params, v_grads):
        np.testing.assert_allclose(p.grad, g, rtol=0, atol=1e-9)


def test_elementwise_ops_are_the_value_ops():
    """No second copy of a gradient rule: Tensor records the very Op objects Value uses."""
    x, v = Tensor([0.5]), Value(0.5)
    for method in ("exp", "tanh", "sigmoid", "relu", "abs", "log"):
        assert getattr(x, method)().op is getattr(v, method)().op
    assert (x + 1).op is ops.ADD and (x * x).op is ops.MUL and (x ** 2).op is ops.POW_SCALAR and (x ** x).op is ops.POW
    assert x.maximum(0.1).op is ops.MAX


def test_checker_catches_a_wrong_rule():
    wrong = dataclasses.replace(ops.MUL, grads=(ops.MUL.grads[1], ops.MUL.grads[0]))
    with pytest.raises(AssertionError):
        gradcheck(lambda a, b: _binary(wrong, a, b), rng.standard_normal(3) + 2, rng.standard_normal(3))


# -- numerics ---------------------------------------------------------------------------
def test_ieee_results_without_warnings():
    """exp(1000) = inf, log(0) = -inf, sigmoid(-1000) = 0, 1/0 = inf: no warnings, as for Value."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = Tensor([1000.0, 0.0, -1000.0])
        assert x.exp().data[0] == np.inf
        assert x.log().data[1] == -np.inf
        np.testing.assert_array_equal(x.sigmoid().data, [1.0, 0.5, 0.0])
        assert (1 / x).data[1] == np.inf
        y = x.log().sum()
        y.backward()
        assert x.grad[1] == np.inf


# -- gradients returned, and what an edge delivers --------------------------------------
def test_grad_returns_tensors_and_leaves_dot_grad_alone():
    x = Tensor([[1.0, 2.0], [3.0, 4.0]])
    w = Tensor([0.5, -1.0])
    dx, dw = autograd.grad((x * w).sum(), [x, w])
    assert x.grad is None and w.grad is None
    np.testing.assert_array_equal(dx.data, [[0.5, -1.0], [0.5, -1.0]])
    np.testing.assert_array_equal(dw.data, [4.0, 6.0])
    (gx,) = autograd.grad((x * w).sum(), [x], create_graph=True)
    assert gx.requires_grad and x.grad is None  # a Tensor graph: d/dw of it is 1 per row
    (gw,) = autograd.grad(gx.sum(), [w])
    np.testing.assert_array_equal(gw.data, [2.0, 2.0])


def test_edge_gradients_are_summed_to_each_parents_shape():
    x = Tensor(np.ones((3, 2)))
    b = Tensor([1.0, 2.0])
    y = x + b
    y.backward(np.full((3, 2), 2.0))
    gx, gb = autograd.edge_gradients(y)
    assert gx.shape == (3, 2) and gb.shape == (2,)
    np.testing.assert_array_equal(gb, b.grad)  # dL/db = 1^T G


# -- issue 11: truth values, integer shapes and axes, preset gradients, empty means -------
def test_bool_of_one_entry_is_its_truth():
    assert bool(Tensor(2.0)) and not bool(Tensor([0.0])) and not bool(Tensor([[-0.0]]))
    assert bool(Tensor([np.nan]))  # as numpy and torch


def test_numpy_integers_are_accepted_as_shapes_and_axes():
    t = Tensor(np.arange(6.0))
    assert t.reshape(np.int64(2), 3).shape == (2, 3)
    assert t.reshape((np.int32(3), -1)).sum(axis=np.int64(0)).shape == (2,)
    assert t.reshape(2, 3).sum(axis=[0, 1]).shape == ()
    assert t.reshape(2, 3).transpose(np.int64(1), 0).shape == (3, 2)


def test_a_preset_gradient_of_the_right_shape_or_a_number_accumulates():
    x = Tensor([1.0, 2.0])
    x.grad = np.array([10.0, 20.0])
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, [13.0, 23.0])
    x.grad = 1
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, [4.0, 4.0])


def test_mean_of_an_empty_tensor_is_nan_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = Tensor([])
        m = x.mean()
        assert np.isnan(m.item())
        m.backward()
        assert x.grad.shape == (0,)
        y = Tensor(np.zeros((0, 3)))
        my = y.mean(axis=0)
        assert my.shape == (3,) and np.isnan(my.data).all()
        my.sum().backward()
        assert y.grad.shape == (0, 3)


def test_equality_is_elementwise_on_the_data_and_hashing_by_identity():
    """Issue 18: ``==`` compares data elementwise, like ``<``; Tensors stay distinct keys."""
    t = Tensor([1.0, 2.0])
    np.testing.assert_array_equal(t == np.array([1.0, 3.0]), [True, False])
    np.testing.assert_array_equal(t != Tensor([1.0, 2.0]), [False, False])
    np.testing.assert_array_equal(t == 2, t.data == 2)
    assert len({t, Tensor([1.0, 2.0])}) == 2


def test_a_float32_tensor_keeps_float32_grads():
    """Issue 19 item 11: a float64 grad set by hand is converted to float32 (the Tensor's
    dtype), so backward and SGD keep the data float32."""
    x = Tensor(np.ones(3, np.float32))
    x.grad = np.zeros(3)
    assert x.grad.dtype == np.float32
    (x * 2).sum().backward()
    assert x.grad.dtype == np.float32
    x.data -= 0.1 * x.grad
    assert x.data.dtype == np.float32


def test_a_collapsed_step_through_of_a_tensor_model_still_draws():
    """``==`` is elementwise now, so the drawing finds a step's node among a box's members
    by identity (a list's ``in`` would compare arrays of different shapes)."""
    import nn
    model = nn.tensor_mlp(2, [3, 1], seed=0)
    loss = (model(Tensor(np.ones((4, 2)), requires_grad=False)) ** 2).mean()
    assert len(autograd.backward_frames(loss, names=model, collapse="layer")) > 2
