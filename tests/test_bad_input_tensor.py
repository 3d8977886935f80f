"""The catalogue of bad Tensor input: each case and the error it gets."""
from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor
from tests.bad_input import BadInput, check


def _t(*shape: int) -> Tensor:
    return Tensor(np.arange(float(np.prod(shape))).reshape(shape))


def _backward_with_grad_preset(grad):
    x = Tensor([1.0, 2.0, 3.0])
    x.grad = grad
    (x * 2).sum().backward()


CATALOGUE = [
    BadInput("Tensor", "bool(Tensor([1.0, 2.0])), e.g. `if t:`", lambda: bool(Tensor([1.0, 2.0])),
             ValueError, "ambiguous"),
    BadInput("Tensor", "bool(Tensor([])) (no entries)", lambda: bool(Tensor([])), ValueError, "ambiguous"),
    BadInput("Tensor", "t.reshape(2.5, 3): a float in a shape", lambda: _t(6).reshape(2.5, 3),
             TypeError, "reshape: the shape must be ints"),
    BadInput("Tensor", "t.reshape([0.9]): a float in a shape list", lambda: _t(1).reshape([0.9]),
             TypeError, "must be ints"),
    BadInput("Tensor", "t.reshape('6'): a string shape", lambda: _t(6).reshape("6"), TypeError, "must be ints"),
    BadInput("Tensor", "t.reshape(4, 2) of 6 entries", lambda: _t(6).reshape(4, 2), ValueError,
             "cannot reshape (6,) (6 elements) into (4, 2)"),
    BadInput("Tensor", "t.sum(axis=[0.9]): a float axis in a list", lambda: _t(2, 3).sum(axis=[0.9]),
             TypeError, "axis must be None, an int or a tuple of ints, got [0.9]"),
    BadInput("Tensor", "t.sum(axis=1.5): a float axis", lambda: _t(2, 3).sum(axis=1.5), TypeError,
             "axis must be None, an int or a tuple of ints, got 1.5"),
    BadInput("Tensor", "t.mean(axis='0'): a string axis", lambda: _t(2, 3).mean(axis="0"), TypeError,
             "axis must be"),
    BadInput("Tensor", "t.max(axis=True): a bool axis", lambda: _t(2, 3).max(axis=True), TypeError,
             "axis must be"),
    BadInput("Tensor", "t.softmax(axis=0.5)", lambda: _t(2, 3).softmax(axis=0.5), TypeError, "axis must be"),
    BadInput("Tensor", "t.sum(axis=2) of a 2-d Tensor", lambda: _t(2, 3).sum(axis=2), ValueError,
             "axis 2 is out of range for a Tensor of shape (2, 3)"),
    BadInput("Tensor", "t.transpose(1.0, 0): float axes", lambda: _t(2, 3).transpose(1.0, 0), TypeError,
             "transpose: the axes must be ints"),
    BadInput("Tensor", "t.transpose(0, 0): not a permutation", lambda: _t(2, 3).transpose(0, 0), ValueError,
             "not a permutation"),
    BadInput("Tensor", "concatenate([a, b], axis=1.0)",
             lambda: autograd.concatenate([_t(2), _t(2)], axis=1.0), TypeError, "axis must be an int"),
    BadInput("Tensor", "x.grad = np.zeros((3, 1)) for x of shape (3,), then backward()",
             lambda: _backward_with_grad_preset(np.zeros((3, 1))), ValueError,
             "grad of a Tensor of shape (3,) was set to an array of shape (3, 1)"),
    BadInput("Tensor", "x.grad = np.zeros(1) for x of shape (3,), then backward()",
             lambda: _backward_with_grad_preset(np.zeros(1)), ValueError, "backward would broadcast it"),
    BadInput("Tensor", "x.grad = 'zero', then backward()", lambda: _backward_with_grad_preset("zero"),
             TypeError, "set it to None, 0 or an array of the same shape"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_tensor_input_gets_a_clear_error(bad):
    check(bad)
