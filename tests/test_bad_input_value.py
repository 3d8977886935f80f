"""The catalogue of bad Value input: each case and the error it gets."""
from __future__ import annotations

import numpy as np
import pytest

import autograd
from autograd import Tensor, Value, linear, no_grad
from tests.bad_input import BadInput, check


def _backward_with_grad_preset(grad):
    x = Value(2.0)
    x.grad = grad
    (x * x).backward()


def _backward_under_no_grad():
    with no_grad():
        y = Value(2.0) * 3
    y.backward()


CATALOGUE = [
    BadInput("Value", "Value('abc')", lambda: Value("abc"), TypeError, "got str: 'abc'"),
    BadInput("Value", "Value(None)", lambda: Value(None), TypeError, "got NoneType"),
    BadInput("Value", "Value([1.0]): a list", lambda: Value([1.0]), TypeError, "got list"),
    BadInput("Value", "Value(1 + 2j): a complex number", lambda: Value(1 + 2j), TypeError, "got complex"),
    BadInput("Value", "Value(np.array([1.0, 2.0])): an array", lambda: Value(np.array([1.0, 2.0])),
             TypeError, "not a numpy array of shape (2,): use autograd.Tensor"),
    BadInput("Value", "Value(1.0, requires_grad='no')", lambda: Value(1.0, requires_grad="no"),
             TypeError, "requires_grad must be True or False, got 'no'"),
    BadInput("Value", "Value(1.0, requires_grad=None)", lambda: Value(1.0, requires_grad=None),
             TypeError, "requires_grad must be True or False"),
    BadInput("Value", "np.array([1.0, 2.0]) + Value(1.0)", lambda: np.array([1.0, 2.0]) + Value(1.0),
             TypeError, "a Value holds one number, not a numpy array"),
    BadInput("Value", "Value(1.0) * np.ones(3)", lambda: Value(1.0) * np.ones(3), TypeError,
             "not a numpy array of shape (3,)"),
    BadInput("Value", "Value(1.0) + 'abc'", lambda: Value(1.0) + "abc", TypeError, "got str"),
    BadInput("Value", "Value(1.0) * Tensor([1.0])", lambda: Value(1.0) * Tensor([1.0]), TypeError,
             "cannot mix a Value with a Tensor"),
    BadInput("Value", "backward() of a constant", lambda: Value(2.0, requires_grad=False).backward(),
             RuntimeError, "does not require grad"),
    BadInput("Value", "backward() of a result computed under no_grad()", _backward_under_no_grad,
             RuntimeError, "computed under no_grad()"),
    BadInput("Value", "y.backward(gradient='one')", lambda: (Value(2.0) * 3).backward("one"), TypeError,
             "got str: 'one'"),
    BadInput("Value", "x.grad = 'zero', then backward()", lambda: _backward_with_grad_preset("zero"),
             TypeError, "was set to 'zero' (str); set it to a number, 0.0 or None"),
    BadInput("Value", "x.grad = [0.0], then backward()", lambda: _backward_with_grad_preset([0.0]),
             TypeError, "set it to a number"),
    BadInput("Value", "linear(3 weights, 2 inputs)", lambda: linear([Value(1.0)] * 3, [1.0, 2.0]),
             ValueError, "3 weights but 2 inputs"),
    BadInput("Value", "autograd.sum_values([Value(1.0), 'a'])",
             lambda: autograd.sum_values([Value(1.0), "a"]), TypeError, "got str"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_value_input_gets_a_clear_error(bad):
    check(bad)


def test_x_grad_none_is_allowed_and_counts_as_zero():
    x = Value(2.0)
    y = x * x
    y.backward()
    x.grad = None
    y.backward()
    assert x.grad == 4.0
    x.grad = None
    with autograd.detect_anomaly():  # the generic driver, too
        y.backward()
    assert x.grad == 4.0


@pytest.mark.parametrize("data, expected", [(0.0, False), (-0.0, False), (1.0, True), (-2.5, True),
                                            (float("nan"), True), (float("inf"), True)])
def test_bool_is_the_bool_of_the_data_as_torch(data, expected):
    assert bool(Value(data)) is expected


def test_numpy_scalars_still_mix_with_values():
    x = Value(2.0)
    assert (np.float64(3.0) * x).data == 6.0 and (x + np.int64(1)).data == 3.0
    assert (np.float32(0.5) - x).data == -1.5 and Value(np.float64(1.5)).data == 1.5
    assert Value(1.0, requires_grad=np.bool_(False)).requires_grad is False
