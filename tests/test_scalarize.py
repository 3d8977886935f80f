"""autograd.scalarize: a Tensor graph rebuilt as Values gives the Tensor graph's gradients."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Tensor, Value
from autograd.zoom import scalarize


def grads(array):
    return np.vectorize(lambda v: v.grad, otypes=[float])(array)


def central_difference(f, x, eps=1e-6):
    """d f / d x entry by entry, (f(x + eps) - f(x - eps)) / 2 eps."""
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        up, down = x.copy(), x.copy()
        up[i] += eps
        down[i] -= eps
        out[i] = (f(up) - f(down)) / (2 * eps)
    return out


def layer_loss(X, W, b, G):
    """sum(relu(X W + b) * G) + mean(W^2): matmul, broadcasting, relu, constants, reductions."""
    return ((X @ W + b).relu() * G).sum() + (W * W).mean()


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(0, 10_000))
def test_same_gradients_as_the_tensor_graph_and_central_differences(n, d, m, seed):
    rng = np.random.default_rng(seed)
    x, w, bias, g = (rng.normal(size=s) for s in [(n, d), (d, m), (m,), (n, m)])
    X, W, b = Tensor(x, label="X"), Tensor(w, label="W"), Tensor(bias, label="b")
    L = layer_loss(X, W, b, g)
    L.backward()
    out, leaves = scalarize(L, leaves=True)
    assert isinstance(out, Value)
    assert out.data == pytest.approx(float(L.data), rel=1e-12)
    out.backward()
    for tensor in (X, W, b):
        np.testing.assert_allclose(grads(leaves[tensor]), tensor.grad, rtol=1e-10, atol=1e-12)
    numeric = central_difference(lambda w_: float(layer_loss(x, Tensor(w_), bias, g).data), w)
    np.testing.assert_allclose(grads(leaves[W]), numeric, rtol=1e-4, atol=1e-6)


def test_leaves_are_labelled_by_entry_and_a_bias_is_one_value_used_per_row():
    X = Tensor(np.arange(6.0).reshape(3, 2), label="X")
    b = Tensor(np.array([1.0, -1.0]), label="b")
    out = scalarize((X + b).sum())
    labels = {n.label for n in autograd.topological_order(out) if n.is_leaf}
    assert {"X[0,0]", "X[2,1]", "b[0]", "b[1]"} <= labels
    out.backward()
    b0 = next(n for n in autograd.topological_order(out) if n.label == "b[0]")
    assert b0.grad == 3.0  # one use per row: the gradients add up


def test_each_entry_of_W_collects_one_product_per_row_of_X():
    X = Tensor(np.ones((4, 2)), label="X")
    W = Tensor(np.ones((2, 3)), label="W")
    out = scalarize((X @ W).sum())
    order = autograd.topological_order(out)
    w01 = next(n for n in order if n.label == "W[0,1]")
    uses = [n for n in order if w01 in n.parents]
    assert len(uses) == 4 and all(n.op.name == "mul" for n in uses)


def test_moving_ops_keep_the_same_values_and_mean_transpose_index_work():
    x = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])
    X = Tensor(x, label="X")
    L = X.T.reshape(6)[1:4].mean() + X.sum(axis=0).max(Tensor(np.zeros(3), requires_grad=False)).sum()
    L.backward()
    out, leaves = scalarize(L, leaves=True)
    out.backward()
    np.testing.assert_allclose(grads(leaves[X]), X.grad)


def test_a_vector_output_is_an_array_of_values_and_user_ops_are_zoomed():
    softplus = autograd.define_op("softplus", lambda K, x: K.log(1 + K.exp(x)),
                                  [lambda K, g, out, x: g * K.sigmoid(x)])
    x = Tensor(np.array([1.0, -2.0, 3.0]), label="x")
    y = softplus(x)
    out = scalarize(y)
    assert out.shape == (3,) and all(isinstance(v, Value) for v in out)
    np.testing.assert_allclose([v.data for v in out], y.data)
    out[1].backward()
    assert out[1].op.name == "softplus"


def test_too_large_graphs_are_refused_naming_the_largest_value():
    W = Tensor(np.ones((20, 20)), label="W")
    with pytest.raises(ValueError, match=r"more than max_nodes=300.*'W' with shape \(20, 20\)"):
        scalarize((W @ W).sum())
    assert scalarize(Tensor(np.ones((2, 2))).sum(), max_nodes=10).data == 4.0


def test_operations_without_a_scalar_form_are_refused():
    with pytest.raises(NotImplementedError, match="softmax"):
        scalarize(Tensor(np.ones(3)).softmax().sum())
    with pytest.raises(TypeError, match="Tensor"):
        scalarize(np.ones(3))


def test_the_scalar_graph_can_be_drawn():
    X = Tensor(np.ones((2, 2)), label="X")
    W = Tensor(np.ones((2, 2)), label="W")
    out = scalarize((X @ W).sum())
    out.backward()
    assert "W[1,0]" in autograd.draw_graph(out).source
