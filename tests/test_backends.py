"""The backends rules are evaluated on: every one has every function FLOAT has (so a
rule that runs on floats also runs on arrays, Values, symbols and Tensors), TENSOR has
ARRAY's matrix functions too, and TENSOR computes what ARRAY computes."""
from __future__ import annotations

import numpy as np
import pytest

from autograd import Tensor
from autograd.speed.codegen import SYMBOL
from autograd.core.numerics import ARRAY, FLOAT
from autograd.core.tensor import TENSOR
from autograd.core.value import VALUE

BACKENDS = {"float": FLOAT, "array": ARRAY, "value": VALUE, "symbol": SYMBOL, "tensor": TENSOR}


def _names(backend) -> set[str]:
    return {name for name, fn in vars(backend).items() if callable(fn)}


@pytest.mark.parametrize("name", sorted(BACKENDS))
def test_every_backend_has_every_function_float_has(name):
    missing = _names(FLOAT) - _names(BACKENDS[name])
    assert not missing, f"backend {name!r} lacks {sorted(missing)}"
    assert BACKENDS[name].name == name


def test_tensor_has_every_function_array_has():
    assert not _names(ARRAY) - _names(TENSOR), sorted(_names(ARRAY) - _names(TENSOR))


A = np.array([[0.5, -2.0, 0.0], [3.0, -0.0, 1.5]])
B = np.array([[1.0, -2.0, 2.0], [0.5, 0.0, -1.5]])
INDEX = (np.array([1, 0, 1]), slice(None))
CALLS = {  # name: (arguments, which of them become Tensors)
    "div": ((A, B), (0, 1)), "pow": ((np.abs(A) + 0.5, B), (0, 1)), "pow_scalar": ((A, 0.5), (0,)),
    "exp": ((A,), (0,)), "log": ((np.abs(A) + 0.1,), (0,)), "tanh": ((A,), (0,)),
    "sigmoid": ((A,), (0,)), "sign": ((A,), (0,)),
    "maximum": ((A, B), (0, 1)), "minimum": ((A, B), (0, 1)),
    "abs": ((A,), (0,)), "gt": ((A, B), (0, 1)), "ge": ((A, B), (0, 1)), "eq": ((A, B), (0, 1)),
    "both": ((A > 0, B > 0), ()),
    "where": ((A > 0, A, B), (1, 2)), "choose": ((np.bool_(False), A, B), (1, 2)),
    "sum_to": ((A, (1, 3)), (0,)), "broadcast_to": ((A[0], (4, 3)), (0,)),
    "scatter_add": ((np.vstack([A, B[:1]]), INDEX, (2, 3)), (0,)), "logsumexp": ((A, 1, True), (0,)),
    "concatenate": (([A, B], 0), ()), "stack": (([A, B], -1), ()),
}


def test_every_function_is_exercised():
    assert set(CALLS) == _names(ARRAY)


@pytest.mark.parametrize("name", sorted(_names(ARRAY)))
def test_tensor_backend_computes_what_the_array_backend_computes(name):
    args, as_tensors = CALLS[name]
    expected = getattr(ARRAY, name)(*args)
    tensor_args = [Tensor(a) if k in as_tensors else a for k, a in enumerate(args)]
    if name in ("concatenate", "stack"):
        tensor_args[0] = [Tensor(a) for a in args[0]]
    got = getattr(TENSOR, name)(*tensor_args)
    data = got.data if isinstance(got, Tensor) else got
    np.testing.assert_array_equal(data, expected)
    assert np.shape(data) == np.shape(expected)
    if name in ("gt", "ge", "eq", "both"):
        assert isinstance(got, np.ndarray) and got.dtype == bool  # conditions: data, not nodes
    elif name == "sign":
        assert not got.requires_grad  # piecewise constant: derivative 0
    else:
        assert isinstance(got, Tensor) and got.requires_grad  # recorded: differentiable


def test_tensor_sum_to_broadcasts_a_smaller_array_up_as_the_array_backend_does():
    a = Tensor(A[0])
    got = TENSOR.sum_to(a, (4, 3))
    np.testing.assert_array_equal(got.data, ARRAY.sum_to(A[0], (4, 3)))
    got.backward(np.ones((4, 3)))  # recorded as broadcast_to: its gradient sums the copies
    np.testing.assert_array_equal(a.grad, [4.0, 4.0, 4.0])
