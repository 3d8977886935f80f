"""The catalogue of bad input to autograd.compile and to a compiled function."""
from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor, Value, compile, define_op, flat_code
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


def _float32_mlp():
    return nn.tensor_mlp(2, [4, 1], seed=0, dtype=np.float32)


def _compiled_float32_mlp():
    return compile(_float32_mlp(), np.zeros((3, 2), dtype=np.float32))


_SORT = define_op("sorted", lambda K, a: np.sort(a), [lambda K, g, out, a: g])


def _number_read_from_data(x):
    return x[0] * float(x[0].data)


def _nine_different_numbers_read_from_data():
    compiled = compile(_number_read_from_data, [0.0])
    for k in range(1, 9):
        compiled([float(k)])


def _no_grad_inside_the_traced_function(x):
    with autograd.no_grad():
        scale = x[0] * 2
    return x[0] * scale


def _replaced_parameter_then_call():
    model = nn.MLP(2, [3, 1], seed=0)
    compiled = compile(model, [0.0, 0.0])
    model.layers[0].neurons[0].w[0] = Value(100.0)
    compiled([1.0, 2.0])


def _replaced_tensor_parameter_then_call():
    model = nn.Sequential(nn.Linear(2, 3, seed=0), nn.ReLU(), nn.Linear(3, 1, seed=1))
    compiled = compile(model, np.zeros((4, 2)))
    model.layers[0].W = Tensor(np.ones((2, 3)))
    compiled(np.zeros((4, 2)))


def _replaced_parameter_then_zero_grad():
    model = nn.MLP(2, [3, 1], seed=0)
    compiled = compile(model, [0.0, 0.0])
    model.layers[0].neurons[0].w[0] = Value(100.0)
    compiled.zero_grad()


CATALOGUE = [
    BadInput("compile", "model.layers[0].neurons[0].w[0] = Value(100.0) after compiling, then a call",
             _replaced_parameter_then_call, RuntimeError, "parameter 0 of the model was replaced"),
    BadInput("compile", "layer.W = Tensor(...) after compiling a Tensor model, then a call",
             _replaced_tensor_parameter_then_call, RuntimeError, "parameter 0 of the model was replaced"),
    BadInput("compile", "a compiled f whose code reads x.data as a number, called with 9 different x",
             _nine_different_numbers_read_from_data, RuntimeError,
             "went another way on this input"),
    BadInput("compile", "compile(f) where f computes inside `with no_grad():`",
             lambda: compile(_no_grad_inside_the_traced_function, [1.0]), RuntimeError,
             "cannot trace a `with no_grad():` block"),
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
    BadInput("compile", "neurons[0].w[0] = Value(100.) after compile, then compiled.zero_grad()",
             _replaced_parameter_then_zero_grad, RuntimeError,
             "parameter 0 of the model was replaced (or added) after compiling"),
    BadInput("compile", "compile(model, X) where the model returns a number (t.data.sum())",
             lambda: compile(lambda t: t.data.sum(), Tensor(np.ones(3))), TypeError,
             "must return a Tensor, got float64"),
    BadInput("compile", "compile(model, X) where the model returns a list of Tensors",
             lambda: compile(lambda t: [t * 2], Tensor(np.ones(3))), TypeError,
             "got list (one output per compiled call)"),
    BadInput("compile", "compile(tensor_mlp(2, ...), np.zeros((3, 5))): an example of the wrong shape",
             lambda: compile(_float32_mlp(), np.zeros((3, 5), dtype=np.float32)), ValueError,
             "Sequential failed on an input of shape (3, 5) (float32): Linear expects inputs with 2 features"),
    BadInput("compile", "a compiled float32 model called on a float64 array (the model converts it)",
             lambda: _compiled_float32_mlp()(np.zeros((3, 2))), ValueError,
             "gives another result than Sequential itself on an input of shape (3, 2) (float64)"),
    BadInput("compile", "a compiled Tensor model called on strings",
             lambda: _compiled_float32_mlp()(np.array([["a", "b"]])), TypeError,
             "takes a Tensor or a numeric array, got <U1 data"),
    BadInput("compile", "compile of a model whose output does not depend on its input",
             lambda: compile(lambda t: Tensor(np.ones(2)) * 2, Tensor(np.ones(3))), ValueError,
             "does not depend on its input"),
    BadInput("compile", "compile of a model using an operation without a flat form (define_op with np.sort)",
             lambda: compile(lambda t: _SORT(t).sum(), Tensor(np.ones(3))), NotImplementedError,
             "operation 'sorted' has no flat numpy form"),
    BadInput("flat_code", "flat_code of a Tensor graph with an operation without a flat form",
             lambda: flat_code(_SORT(Tensor([3.0, 1.0])).sum()), NotImplementedError,
             "operation 'sorted' has no flat numpy form"),
    BadInput("flat_code", "flat_code(Value(1., requires_grad=False) * 2): a constant",
             lambda: flat_code(Value(1.0, requires_grad=False) * 2), RuntimeError,
             "flat_code: Value(data=2.0, grad=0.0, requires_grad=False) does not require grad"),
    BadInput("flat_code", "flat_code(Tensor([1.], requires_grad=False) * 2): a constant",
             lambda: flat_code(Tensor([1.0], requires_grad=False) * 2), RuntimeError,
             "does not require grad"),
    BadInput("flat_code", "flat_code('x * 2'): not a graph", lambda: flat_code("x * 2"), TypeError,
             "flat_code works on Value and Tensor graphs, got str"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_compile_input_gets_a_clear_error(bad):
    check(bad)
