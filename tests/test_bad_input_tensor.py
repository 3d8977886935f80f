"""The catalogue of bad Tensor input: each case and the error it gets."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

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


def _mlp_backward_with_one_grad_of_a_wrong_shape():
    """issue 19 item 3: the other parameters' grads used to change before the refusal."""
    w1, b1, w2 = Tensor(np.ones((2, 3))), Tensor(np.zeros(3)), Tensor(np.ones((3, 1)))
    loss = ((Tensor([[1.0, 2.0]]) @ w1 + b1).relu() @ w2).sum()
    loss.backward()
    before = [w1.grad.copy(), b1.grad.copy()]
    w2.grad = np.zeros(3)
    try:
        loss.backward()
    finally:
        assert all(np.array_equal(a, b) for a, b in zip(before, [w1.grad, b1.grad]))


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
    BadInput("Tensor", "an MLP's w2.grad = np.zeros(3) for w2 of shape (3, 1), then backward(): "
             "the other grads stay", _mlp_backward_with_one_grad_of_a_wrong_shape, ValueError,
             "was set to an array of shape (3,)"),
    BadInput("Tensor", "Tensor(10**400)", lambda: Tensor(10**400), OverflowError, "too large for a float64"),
    BadInput("Tensor", "Tensor([1, 10**400])", lambda: Tensor([1, 10**400]), OverflowError,
             "integer of about 401 digits"),
    BadInput("Tensor", "Tensor(Fraction(1, 3))", lambda: Tensor(Fraction(1, 3)), TypeError,
             "got Fraction: Fraction(1, 3): write float(x)"),
    BadInput("Tensor", "Tensor([Decimal('1.5')])", lambda: Tensor([Decimal("1.5")]), TypeError,
             "got Decimal"),
    BadInput("Tensor", "Tensor(None)", lambda: Tensor(None), TypeError, "got NoneType: None"),
    BadInput("Tensor", "Tensor({1.0, 2.0}): a set", lambda: Tensor({1.0, 2.0}), TypeError,
             "got a set: write Tensor(list(...))"),
    BadInput("Tensor", "Tensor(x for x in range(3)): a generator", lambda: Tensor(x for x in range(3)),
             TypeError, "got a generator"),
    BadInput("Tensor", "t.max(1.5): a number where torch takes a dim or a Tensor",
             lambda: _t(2, 3).max(1.5), TypeError, "write t.maximum(1.5) or t.clamp(min=1.5)"),
    BadInput("Tensor", "t.min(np.zeros(3)): an array where torch takes a dim or a Tensor",
             lambda: _t(2, 3).min(np.zeros(3)), TypeError, "t.minimum("),
    BadInput("Tensor", "t.max(dim=5) of a 2-d Tensor", lambda: _t(2, 3).max(dim=5), IndexError,
             "max: axis 5 is out of range for a Tensor of shape (2, 3)"),
    BadInput("Tensor", "t.max(dim=1, axis=1): both spellings", lambda: _t(2, 3).max(dim=1, axis=1), TypeError,
             "not both"),
    BadInput("Tensor", "Tensor(np.array(3.0)).sum(axis=1): 0-d, axis out of range",
             lambda: Tensor(np.array(3.0)).sum(axis=1), IndexError,
             "axis 1 is out of range for a Tensor of shape ()"),
    BadInput("Tensor", "int(Tensor([1.0, 2.0])): many entries", lambda: int(Tensor([1.0, 2.0])), ValueError,
             "only one element tensors can be converted to Python scalars"),
    BadInput("Tensor", "float(Tensor([]))", lambda: float(Tensor([])), ValueError, "only one element tensors"),
    BadInput("Tensor", "Tensor([1.0], requires_grad='no')", lambda: Tensor([1.0], requires_grad="no"),
             TypeError, "requires_grad must be True or False, got 'no'"),
    BadInput("Tensor", "Tensor([1.0], requires_grad=None)", lambda: Tensor([1.0], requires_grad=None),
             TypeError, "requires_grad must be True or False, got None"),
    BadInput("Tensor", "t.var(unbiased=True, correction=0): both", lambda: _t(3).var(unbiased=True, correction=0),
             TypeError, "not both"),
    BadInput("Tensor", "t.transpose(0, 1) of a matrix: numpy keeps, torch swaps",
             lambda: _t(2, 3).transpose(0, 1), ValueError, "write t.T or t.permute(1, 0)"),
    BadInput("Tensor", "t.clamp(): no bound", lambda: _t(3).clamp(), ValueError, "give min=, max= or both"),
    BadInput("Tensor", "t.t() of a 3-d Tensor", lambda: _t(1, 2, 3).t(), ValueError,
             "t() expects a Tensor with <= 2 dimensions"),
    BadInput("Tensor", "t.requires_grad_(False) on an operation's result",
             lambda: (_t(2) * 2).requires_grad_(False), RuntimeError, "only change requires_grad of leaf"),
    BadInput("Tensor", "np.sin(t) for t that requires grad", lambda: np.sin(_t(2)), TypeError,
             "numpy.sin is not recorded on Tensors"),
    BadInput("Tensor", "np.cumsum(t) for t that requires grad", lambda: np.cumsum(_t(2)), TypeError,
             "numpy.cumsum is not recorded on Tensors"),
    BadInput("Tensor", "np.asarray(t) for t that requires grad", lambda: np.asarray(_t(2)), RuntimeError,
             "t.detach()"),
    BadInput("Tensor", "np.exp(t, out=...)", lambda: np.exp(_t(2), out=np.empty(2)), TypeError,
             "the arguments out are not supported"),
    BadInput("Tensor", "autograd.zeros(2.5)", lambda: autograd.zeros(2.5), TypeError, "zeros: the size must be ints"),
    BadInput("Tensor", "autograd.one_hot([0.5, 1])", lambda: autograd.one_hot([0.5, 1]), TypeError,
             "one_hot: the indices must be integers"),
    BadInput("Tensor", "autograd.one_hot([0, 3], num_classes=3)", lambda: autograd.one_hot([0, 3], 3),
             ValueError, "class values must be in 0..2"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_tensor_input_gets_a_clear_error(bad):
    check(bad)


def test_python_ints_beyond_int64_that_fit_a_float_are_taken():
    assert Tensor([1, 10**300]).data.tolist() == [1.0, 1e300]
