"""The catalogue of bad Value input: each case and the error it gets."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

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


def _refused_backward_keeps_the_other_grads():
    """issue 19 item 3: the refused pass used to add to w.grad (3.0 -> 6.0) first."""
    x, w = Value(3.0), Value(2.0)
    y = w * x
    y.backward()
    x.grad = "zero"
    try:
        y.backward()
    finally:
        assert (w.grad, x.grad) == (3.0, "zero")


def _refused_seed_keeps_the_grads():
    x = Value(2.0)
    y = x * 3
    y.backward()
    try:
        y.backward(10**400)
    finally:
        assert x.grad == 3.0


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
    BadInput("Value", "y = w * x; y.backward(); x.grad = 'zero'; y.backward(): w.grad stays 3.0",
             _refused_backward_keeps_the_other_grads, TypeError, "was set to 'zero'"),
    BadInput("Value", "Value(10**400): beyond float64", lambda: Value(10**400), OverflowError,
             "too large for a float64"),
    BadInput("Value", "y.backward(10**400): x.grad stays as it was", _refused_seed_keeps_the_grads,
             OverflowError, "too large for a float64"),
    BadInput("Value", "Value(Fraction(1, 3))", lambda: Value(Fraction(1, 3)), TypeError,
             "got Fraction: Fraction(1, 3); write float(x)"),
    BadInput("Value", "Value(Decimal('1.5'))", lambda: Value(Decimal("1.5")), TypeError,
             "got Decimal"),
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


def test_the_numbers_a_value_takes_are_a_tensors():
    """bool, int and float, Python's or numpy's (issue 19 item 18): np.bool_ as True."""
    for number in (True, np.bool_(True), 1, np.int8(1), 1.0, np.float32(1.0)):
        assert Value(number).data == 1.0 == Tensor(number).data
        assert type(Value(number).data) is float


def test_a_grad_preset_to_a_numpy_scalar_accumulates_as_a_float():
    x = Value(2.0)
    x.grad = np.float32(0.0)
    (x * 0.1).backward()
    assert type(x.grad) is float and x.grad == 0.1  # float32 would give 0.10000000149
