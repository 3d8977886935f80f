"""The catalogue of bad input to autograd.compile and to a compiled function."""
from __future__ import annotations

import pytest

import nn
from autograd import Value, compile
from tests.bad_input import BadInput, check


def _micrograd_style_neuron(x):
    """Two weights, and zip: a third input would be dropped silently."""
    w = [Value(0.5), Value(-1.0)]
    return sum((wi * xi for wi, xi in zip(w, x)), Value(0.0))


def _compiled_mlp():
    return compile(nn.MLP(2, [3, 1], seed=0), [0.0, 0.0])


def _backward_with_parameter_grad_preset(grad):
    w = Value(2.0, label="w")
    y = compile(lambda x: x[0] * w, [1.0])([3.0])
    w.grad = grad
    y.backward()


CATALOGUE = [
    BadInput("compile", "compile(fn, example) where fn returns None", lambda: compile(lambda x: None, [1.0]),
             TypeError, "must return a Value or a list of Values, got NoneType"),
    BadInput("compile", "compile(fn, example) where fn returns a float",
             lambda: compile(lambda x: x[0].data * 2, [1.0]), TypeError, "got float: 2.0"),
    BadInput("compile", "compile(fn, example) where fn returns a list of floats",
             lambda: compile(lambda x: [1.0, 2.0], [1.0]), TypeError, "a list of 2 (float)"),
    BadInput("compile", "compile(fn, example) where fn returns an empty list",
             lambda: compile(lambda x: [], [1.0]), TypeError, "a list of 0"),
    BadInput("compile", "compile(nn.MLP(2, ...), [0.0, 0.0, 0.0]): an example of 3 for 2 inputs",
             lambda: compile(nn.MLP(2, [3, 1], seed=0), [0.0, 0.0, 0.0]), ValueError,
             "expects 2 inputs, got 3"),
    BadInput("compile", "compile(micrograd-style 2-input neuron, 3 inputs): zip drops one",
             lambda: compile(_micrograd_style_neuron, [1.0, 2.0, 3.0]), ValueError,
             "do not depend on input(s) [2] of the example (3 inputs)"),
    BadInput("compile", "compile(42, [1.0]): not a function", lambda: compile(42, [1.0]), TypeError,
             "fn must be callable, got int"),
    BadInput("compile", "compile(fn, 1.0): the example is not a sequence", lambda: compile(lambda x: x[0], 1.0),
             TypeError, "example must be a sequence of numbers or Values"),
    BadInput("compile", "compile(fn, ['a']): a string in the example", lambda: compile(lambda x: x[0], ["a"]),
             TypeError, "got str"),
    BadInput("compile", "compiled([1.0, 2.0, 3.0]) of a 2-input trace", lambda: _compiled_mlp()([1.0, 2.0, 3.0]),
             ValueError, "traced with 2 inputs, called with 3"),
    BadInput("compile", "compiled([1.0]) of a 2-input trace", lambda: _compiled_mlp()([1.0]),
             ValueError, "traced with 2 inputs, called with 1"),
    BadInput("compile", "compiled(1.0): not a sequence", lambda: _compiled_mlp()(1.0), TypeError,
             "takes a sequence of 2 numbers or Values, got float"),
    BadInput("compile", "compiled(['a', 1.0]): a string input", lambda: _compiled_mlp()(["a", 1.0]),
             TypeError, "got str"),
    BadInput("compile", "w.grad = 'x', then backward through a compiled call that reads w",
             lambda: _backward_with_parameter_grad_preset("x"), TypeError,
             "the grad of Value(data=2.0, grad='x', label='w') was set to 'x' (str)"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_compile_input_gets_a_clear_error(bad):
    check(bad)
