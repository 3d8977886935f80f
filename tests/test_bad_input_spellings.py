"""The catalogue of code brought from micrograd, PyTorch or numpy that chainrule refuses
rather than answer differently: each case and the error it gets."""
from __future__ import annotations

import warnings

import pytest

import nn
from autograd import Tensor, func, no_grad
from tests.bad_input import BadInput, check


def _grad_of_independent_output():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        func.grad(lambda x: 3.0)(1.0)


def _var_of_one_entry():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Tensor([1.5]).var(unbiased=True)


CATALOGUE = [
    BadInput("micrograd, PyTorch and numpy spellings", "Tensor([1.5]).var(unbiased=True) (warnings as errors)",
             _var_of_one_entry, UserWarning, "degrees of freedom is <= 0"),
    BadInput("micrograd, PyTorch and numpy spellings", "nn.MLP(2, [1])({'a': 1.0, 'b': 2.0}): a dict",
             lambda: nn.MLP(2, [1], seed=0)({"a": 1.0, "b": 2.0}), TypeError,
             "got a dict: {'a': 1.0, 'b': 2.0}; for a dict write list(d.values())"),
    BadInput("micrograd, PyTorch and numpy spellings", "nn.Neuron(2)('ab'): a string",
             lambda: nn.Neuron(2, seed=0)("ab"), TypeError, "got a str"),
    BadInput("micrograd, PyTorch and numpy spellings", "func.grad(lambda x: 3.0)(1.0) (warnings as errors)",
             _grad_of_independent_output, UserWarning, "the output does not depend on argument 0 (x)"),
    BadInput("micrograd, PyTorch and numpy spellings", "no_grad(5): not a function",
             lambda: no_grad(5), TypeError, "no_grad() takes no arguments (or a function"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_spelling_gets_a_clear_error(bad):
    check(bad)


def test_a_refused_call_changes_nothing():
    model = nn.MLP(2, [2, 1], seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(TypeError):
        model({"a": 1.0, "b": 2.0})
    assert [p.data for p in model.parameters()] == before and all(p.grad == 0 for p in model.parameters())
