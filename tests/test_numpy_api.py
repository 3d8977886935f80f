"""numpy functions applied to Tensors (autograd/numpy_api.py): recorded with torch's
gradients, refused by name when they would lose a gradient, unchanged otherwise."""
from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor, func, gradcheck
from autograd.numpy_api import FUNCTIONS, UFUNCS
from tests.test_tensor_ops import _inputs, forward_and_gradient_against_torch

torch = None  # imported by the torch tests only

# (id, numpy on our Tensors, torch, shapes, domain), as in tests/test_tensor_ops.py
CASES = [
    ("exp", lambda a: np.exp(a), lambda a: a.exp(), [(3, 4)], "any"),
    ("log", lambda a: np.log(a), lambda a: a.log(), [(3, 4)], "pos"),
    ("tanh", lambda a: np.tanh(a), lambda a: a.tanh(), [(3, 4)], "any"),
    ("sqrt", lambda a: np.sqrt(a), lambda a: a.sqrt(), [(3, 4)], "pos"),
    ("abs", lambda a: np.abs(a), lambda a: a.abs(), [(3, 4)], "away0"),
    ("maximum", lambda a, b: np.maximum(a, b), lambda a, b: torch.maximum(a, b), [(3, 4), (4,)], "distinct"),
    ("minimum", lambda a, b: np.minimum(a, b), lambda a, b: torch.minimum(a, b), [(3, 4), (4,)], "distinct"),
    ("add", lambda a, b: np.add(a, b), lambda a, b: a + b, [(3, 4), (4,)], "any"),
    ("subtract", lambda a, b: np.subtract(a, b), lambda a, b: a - b, [(3, 4), (3, 1)], "any"),
    ("multiply", lambda a, b: np.multiply(a, b), lambda a, b: a * b, [(3, 4), (4,)], "any"),
    ("divide", lambda a, b: np.divide(a, b), lambda a, b: a / b, [(3, 4), (4,)], "away0"),
    ("power", lambda a, b: np.power(a, b), lambda a, b: a ** b, [(3, 4), (4,)], "pos"),
    ("array_first", lambda a: np.ones(4) * 2 - a, lambda a: 2 - a, [(3, 4)], "any"),
    ("dot_vec", lambda a, b: np.dot(a, b), lambda a, b: a @ b, [(4,), (4,)], "any"),
    ("dot_mat", lambda a, b: np.dot(a, b), lambda a, b: a @ b, [(3, 4), (4, 2)], "any"),
    ("matmul", lambda a, b: np.matmul(a, b), lambda a, b: a @ b, [(2, 3, 4), (4, 2)], "any"),
    ("sum", lambda a: np.sum(a, axis=0), lambda a: a.sum(0), [(3, 4)], "any"),
    ("mean", lambda a: np.mean(a, axis=1, keepdims=True), lambda a: a.mean(1, keepdim=True), [(3, 4)], "any"),
    ("max", lambda a: np.max(a, axis=1), lambda a: a.amax(1), [(3, 4)], "distinct"),
    ("reshape", lambda a: np.reshape(a, (4, 3)), lambda a: a.reshape(4, 3), [(3, 4)], "any"),
    ("transpose", lambda a: np.transpose(a), lambda a: a.T, [(3, 4)], "any"),
    ("concatenate", lambda a, b: np.concatenate([a, b], axis=1), lambda a, b: torch.cat([a, b], 1),
     [(2, 3), (2, 2)], "any"),
    ("stack", lambda a, b: np.stack([a, b]), lambda a, b: torch.stack([a, b]), [(2, 3), (2, 3)], "any"),
    ("where", lambda a, b: np.where(a > 0, a, b), lambda a, b: torch.where(a > 0, a, b),
     [(3, 4), (3, 4)], "away0"),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradient_matches_central_differences(case):
    gradcheck(case[1], *_inputs(case))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_forward_and_gradient_match_torch(case):
    global torch
    torch = pytest.importorskip("torch")  # the cases' lambdas read this module's torch
    out, _ = forward_and_gradient_against_torch(case)
    assert isinstance(out, Tensor) and out.requires_grad


def test_the_issue_repro_no_longer_detaches():
    """Issue 18: ``np.dot`` turned the Tensor into an array and the gradient was 0."""
    np.testing.assert_array_equal(func.grad(lambda w: np.dot(np.ones(3), w))(np.zeros(3)), np.ones(3))


def test_every_listed_function_is_recorded():
    names = {f.__name__ for f in UFUNCS} | {f.__name__ for f in FUNCTIONS}
    for name in ("exp", "log", "tanh", "sqrt", "absolute", "maximum", "minimum", "add", "subtract",
                 "multiply", "divide", "power", "dot", "matmul", "sum", "mean", "max", "reshape",
                 "transpose", "concatenate", "stack", "where"):
        assert name in names


def test_another_numpy_function_on_a_tensor_that_needs_a_gradient_is_refused_by_name():
    x = Tensor([0.5, 1.0])
    with pytest.raises(TypeError, match="numpy.sin is not recorded"):
        np.sin(x)
    with pytest.raises(TypeError, match="numpy.clip.*t.clamp"):
        np.clip(x, 0, 1)
    with pytest.raises(RuntimeError, match="requires grad.*detach"):
        np.asarray(x)
    assert x.grad is None


def test_constants_and_no_grad_go_to_numpy_unchanged():
    c = Tensor([0.5, 1.0], requires_grad=False)
    np.testing.assert_array_equal(np.sin(c), np.sin([0.5, 1.0]))
    np.testing.assert_array_equal(np.asarray(c), [0.5, 1.0])
    x = Tensor([0.5, 1.0])
    with autograd.no_grad():
        np.testing.assert_array_equal(np.cumsum(x), [0.5, 1.5])
        np.testing.assert_array_equal(np.asarray(x), [0.5, 1.0])
    np.testing.assert_array_equal(np.greater(x, 0.7), [False, True])  # a function of the data only
    assert np.argmax(x) == 1 and np.shape(x) == (2,)


def test_an_unsupported_argument_is_named():
    with pytest.raises(TypeError, match="out"):
        np.exp(Tensor([1.0]), out=np.empty(1))
