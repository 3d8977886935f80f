"""Scalar networks with micrograd's names: Neuron, Layer, MLP, built from Values.

A neuron computes ``act(b + Σ_k w_k x_k)`` as one fused ``autograd.linear``
node followed by the activation (relu, tanh or sigmoid), or no activation when
``nonlin=False``.  Weights start uniform in [-1, 1], biases at 0, as in micrograd.
"""
from __future__ import annotations

import random
from typing import Sequence

import autograd

from .checks import layer_sizes, size
from .init import generator
from .module import Module, WatchedList

ACTIVATIONS = ("relu", "tanh", "sigmoid")
"""The activation functions a Neuron can apply (the names of Value methods)."""

Seed = int | random.Random | None


def _check_inputs(who: Module, expected: int, x: Sequence) -> None:
    """Refuse an input that is not a sequence of ``expected`` numbers or Values (a dict,
    set or string is not one: its keys or characters would be taken as the inputs)."""
    if isinstance(x, (dict, set, frozenset, str, bytes)):
        raise TypeError(f"{type(who).__name__} expects a sequence of {expected} inputs (a list, "
                        f"tuple or array), got a {type(x).__name__}: {x!r}; for a dict write "
                        "list(d.values()) in the order the inputs should have")
    try:
        got = len(x)
    except TypeError:
        raise TypeError(
            f"{type(who).__name__} expects a sequence of {expected} inputs, "
            f"got {type(x).__name__}: {x!r}"
        ) from None
    if got != expected:
        raise ValueError(f"{type(who).__name__} expects {expected} inputs, got {got}")


def _as_values(x: Sequence) -> list[autograd.Value]:
    """The inputs as Values: Values pass through; each plain number becomes one
    constant Value (labelled ``x0, x1, ...``), shared by every neuron that reads it,
    so a drawing shows one input as one node."""
    return [v if isinstance(v, autograd.Value) else autograd.Value(v, label=f"x{k}", requires_grad=False)
            for k, v in enumerate(x)]


class Neuron(Module):
    """One neuron: ``out = act(b + Σ_k w_k x_k)``.

    Gradients (from the fused linear node): d/db = act', d/dw_k = act' x_k,
    d/dx_k = act' w_k, with act' the activation's derivative at the
    pre-activation (1 when ``nonlin=False``).  Parameters: ``w`` (``nin`` Values
    labelled ``w0, w1, ...``) then ``b`` (labelled ``b``).
    """

    def __init__(self, nin: int, nonlin: bool = True, activation: str = "relu", seed: Seed = None) -> None:
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
        nin = size("Neuron", "nin", nin)
        rng = generator(seed)
        self.w = WatchedList(autograd.Value(rng.uniform(-1, 1), label=f"w{k}") for k in range(nin))
        self.b = autograd.Value(0.0, label="b")
        self.nonlin = nonlin
        self.activation = activation

    def __call__(self, x: Sequence) -> autograd.Value:
        """The neuron's output for ``x``, a sequence of ``nin`` floats or Values."""
        _check_inputs(self, len(self.w), x)
        act = autograd.linear(self.w, x, self.b)
        return getattr(act, self.activation)() if self.nonlin else act

    @property
    def kind(self) -> str:
        """The activation applied, or ``"linear"`` when ``nonlin=False``."""
        return self.activation if self.nonlin else "linear"

    def extra_repr(self) -> str:
        """``nin, activation``, e.g. ``2, relu``."""
        return f"{len(self.w)}, {self.kind}"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; returns a list of ``nout`` Values
    (always a list, even when ``nout == 1``)."""

    def __init__(self, nin: int, nout: int, seed: Seed = None, **kwargs) -> None:
        nout = size("Layer", "nout", nout)
        rng = generator(seed)
        self.neurons = WatchedList(Neuron(nin, seed=rng, **kwargs) for _ in range(nout))

    def __call__(self, x: Sequence) -> list[autograd.Value]:
        """Each neuron's output for ``x``, a sequence of ``nin`` floats or Values
        (each float made a constant Value once, see :func:`_as_values`)."""
        _check_inputs(self, len(self.neurons[0].w), x)
        x = _as_values(x)
        return [n(x) for n in self.neurons]

    def __repr__(self) -> str:
        first = self.neurons[0]
        return f"Layer({len(first.w)} -> {len(self.neurons)}, {first.kind})"


class MLP(Module):
    """A multilayer perceptron: ``MLP(nin, [n1, ..., nL])`` chains Layers nin -> n1 -> ... -> nL.

    Hidden layers apply ``activation``; the last layer is linear.  Calling it
    returns a Value when the last layer has one output, else a list of Values.
    ``MLP(2, [16, 16, 1])`` has (2+1)*16 + (16+1)*16 + (16+1)*1 = 337 parameters.
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu", seed: Seed = None) -> None:
        sizes = layer_sizes("MLP", nin, nouts)
        nouts = sizes[1:]
        rng = generator(seed)
        self.layers = WatchedList(
            Layer(sizes[i], sizes[i + 1], seed=rng, nonlin=i != len(nouts) - 1, activation=activation)
            for i in range(len(nouts))
        )

    def __call__(self, x: Sequence) -> autograd.Value | list[autograd.Value]:
        """The network's output for ``x``, a sequence of ``nin`` floats or Values."""
        _check_inputs(self, len(self.layers[0].neurons[0].w), x)
        for layer in self.layers:  # the first layer makes each plain input one constant Value
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def extra_repr(self) -> str:
        """``nin, [sizes], activation=...``, e.g. ``2, [16, 16, 1], activation='relu'``."""
        sizes = [len(layer.neurons) for layer in self.layers]
        return f"{len(self.layers[0].neurons[0].w)}, {sizes}, activation={self.layers[0].neurons[0].activation!r}"
