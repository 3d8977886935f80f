"""autograd.gradcheck and central_difference."""
from __future__ import annotations

import math

import pytest

from autograd import GradcheckError, Value, central_difference, gradcheck


def test_central_difference_on_plain_floats():
    assert central_difference(lambda x, y: x * y, 3.0, 4.0, arg=1) == pytest.approx(3.0)
    assert central_difference(math.exp, 0.0) == pytest.approx(1.0)


def test_gradcheck_passes_a_correct_gradient_and_leaves_inputs_alone():
    x = Value(0.3, label="x")
    assert gradcheck(lambda a, b: (a * b).tanh() + a.exp(), x, 2.0)
    assert x.grad == 0.0 and x.data == 0.3


def test_gradcheck_names_the_input_and_the_gap():
    with pytest.raises(GradcheckError, match=r"input 1 'w'.*backward gives 0.0.*central difference gives 0.49999"):
        gradcheck(lambda a, w: a + w.relu(), Value(1.0), Value(0.0, label="w"))


def test_gradcheck_catches_a_wrong_rule():
    from autograd.op import Op

    # a tanh whose rule forgets the upstream factor g
    wrong = Op("tanh", "tanh", lambda K, a: K.tanh(a), (lambda K, g, out, a: 1 - out * out,))
    with pytest.raises(GradcheckError):
        gradcheck(lambda a: (a * 3)._unary(wrong) * 2, Value(0.2))
