"""Neuron, Layer, MLP: micrograd's behaviour, plus the fixes the issue asks for."""
import math
import random

import pytest
from hypothesis import given, settings, strategies as st

import autograd
import nn

finite = st.floats(-10, 10, allow_nan=False)


def test_neuron_computes_activation_of_affine_map():
    n = nn.Neuron(3, activation="tanh", seed=0)
    x = [0.5, -1.0, 2.0]
    pre = n.b.data + sum(w.data * xi for w, xi in zip(n.w, x))
    assert n(x).data == pytest.approx(math.tanh(pre), rel=1e-12)
    assert nn.Neuron(3, nonlin=False, seed=0)(x).data == pytest.approx(pre, rel=1e-12)


@pytest.mark.parametrize("activation, fn", [
    ("relu", lambda z: max(z, 0.0)), ("tanh", math.tanh), ("sigmoid", lambda z: 1 / (1 + math.exp(-z)))])
def test_activations(activation, fn):
    n = nn.Neuron(2, activation=activation, seed=3)
    for x in ([1.0, 2.0], [-2.0, 0.5]):
        pre = n.b.data + n.w[0].data * x[0] + n.w[1].data * x[1]
        assert n(x).data == pytest.approx(fn(pre), rel=1e-12)


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        nn.Neuron(2, activation="gelu")


def test_micrograd_initialisation():
    n = nn.Neuron(50, seed=0)
    assert all(-1 <= w.data <= 1 for w in n.w) and n.b.data == 0.0
    assert len({w.data for w in n.w}) == 50


def test_layer_returns_a_list_even_for_one_output():
    out = nn.Layer(2, 1, seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 1 and isinstance(out[0], autograd.Value)


def test_last_layer_is_linear_and_hidden_layers_are_not():
    m = nn.MLP(2, [4, 3, 2])
    assert [layer.neurons[0].nonlin for layer in m.layers] == [True, True, False]


def test_mlp_returns_value_for_one_output_and_list_otherwise():
    assert isinstance(nn.MLP(2, [3, 1], seed=0)([1, 2]), autograd.Value)
    out = nn.MLP(2, [3, 2], seed=0)([1, 2])
    assert isinstance(out, list) and len(out) == 2


def test_any_sizes_chain():
    m = nn.MLP(2, [16, 1, 1], seed=0)
    assert isinstance(m([0.5, 0.5]), autograd.Value)
    assert len(m.parameters()) == 48 + 17 + 2


@pytest.mark.parametrize("model, name", [(nn.MLP(2, [3, 1]), "MLP"), (nn.Layer(2, 3), "Layer"), (nn.Neuron(2), "Neuron")])
@pytest.mark.parametrize("x", [[1.0], [1.0, 2.0, 3.0]])
def test_wrong_input_length_is_refused_naming_both_lengths(model, name, x):
    with pytest.raises(ValueError, match=f"{name} expects 2 inputs, got {len(x)}"):
        model(x)


def test_non_sequence_input_is_refused():
    with pytest.raises(TypeError, match="expects a sequence of 1 inputs"):
        nn.Neuron(1)(3.0)


@settings(max_examples=30, deadline=None)
@given(st.lists(finite, min_size=3, max_size=3))
def test_floats_and_values_give_the_same_result(x):
    m = nn.MLP(3, [4, 4, 2], activation="tanh", seed=7)
    as_floats = [v.data for v in m(x)]
    as_values = [v.data for v in m([autograd.Value(xi) for xi in x])]
    assert as_floats == as_values


def test_gradient_reaches_value_inputs():
    m = nn.MLP(2, [3, 1], seed=2)
    x = [autograd.Value(0.3), autograd.Value(-0.4)]
    m(x).backward()
    h = 1e-6
    for k in range(2):
        up = [xi.data + h * (i == k) for i, xi in enumerate(x)]
        down = [xi.data - h * (i == k) for i, xi in enumerate(x)]
        assert x[k].grad == pytest.approx((m(up).data - m(down).data) / (2 * h), abs=1e-6)


def test_seed_argument_makes_initialisation_repeatable():
    a, b, c = nn.MLP(2, [5, 1], seed=4), nn.MLP(2, [5, 1], seed=4), nn.MLP(2, [5, 1], seed=5)
    data = lambda m: [p.data for p in m.parameters()]
    assert data(a) == data(b) != data(c)


def test_manual_seed_makes_initialisation_repeatable():
    nn.manual_seed(11)
    a = [p.data for p in nn.MLP(2, [5, 1]).parameters()]
    nn.manual_seed(11)
    b = [p.data for p in nn.MLP(2, [5, 1]).parameters()]
    c = [p.data for p in nn.MLP(2, [5, 1]).parameters()]
    assert a == b != c


def test_seed_accepts_a_generator():
    a = nn.Neuron(3, seed=random.Random(9))
    assert [w.data for w in a.w] == [w.data for w in nn.Neuron(3, seed=9).w]


@pytest.mark.parametrize("make", [lambda: nn.Layer(2, 0), lambda: nn.MLP(2, []), lambda: nn.Neuron(0)])
def test_empty_shapes_are_refused(make):
    with pytest.raises(ValueError):
        make()


def _constants(root):
    return [v for v in autograd.topological_order(root) if not v.requires_grad and not v._prev]


@pytest.mark.parametrize("model", [nn.MLP(2, [4, 4, 1], seed=0), nn.Layer(2, 4, seed=0)])
def test_each_plain_input_becomes_one_constant_shared_by_every_neuron(model):
    out = model([0.5, -1.5])
    root = out if isinstance(out, autograd.Value) else autograd.sum_values(out)
    inputs = [v for v in _constants(root) if v.label in ("x0", "x1")]
    assert sorted((v.label, v.data) for v in inputs) == [("x0", 0.5), ("x1", -1.5)]   # one node per input
    first_layer = model.layers[0].neurons if isinstance(model, nn.MLP) else model.neurons
    nodes = autograd.topological_order(root)
    for neuron in first_layer:   # each neuron's fused linear node reads those very two nodes
        (linear,) = [v for v in nodes if any(p is neuron.w[0] for p in v._prev)]
        assert sum(p is inputs[0] for p in linear._prev) == 1 and sum(p is inputs[1] for p in linear._prev) == 1


def test_value_inputs_pass_through_unchanged():
    x = [autograd.Value(0.5, label="a"), autograd.Value(-1.5, label="b")]
    out = nn.Layer(2, 3, seed=0)(x)
    nodes = {id(v) for o in out for v in autograd.topological_order(o)}
    assert id(x[0]) in nodes and id(x[1]) in nodes
    assert not any(v.label == "x0" for o in out for v in autograd.topological_order(o))
