"""Tensor networks: Linear, Sequential and activation modules, in matrix form.

A Tensor model is called on a whole batch at once, rows as samples: an
``(N, nin)`` array or Tensor in, an ``(N, nout)`` Tensor out.  Such modules set
``batched = True``, which :func:`nn.fit` and :func:`nn.predict` read.
"""
from __future__ import annotations

import random
from typing import Any, Iterator, Sequence

import numpy as np

import autograd

from .checks import flag, layer_sizes, size
from .init import DEFAULT_INIT, check_init, generator, initial_weights
from .module import Module, WatchedList

Seed = int | random.Random | None


def _as_input(x: Any, dtype: np.dtype) -> autograd.Tensor:
    """A batch as a Tensor: Tensors pass through, arrays and lists become constants."""
    if isinstance(x, autograd.Tensor):
        return x
    return autograd.Tensor(np.asarray(x, dtype=dtype), requires_grad=False)


class Linear(Module):
    """A fully connected layer in matrix form: ``Y = X W + 1 b^T``.

    ``X`` is ``(N, nin)`` with samples as rows, ``W`` is ``(nin, nout)``, ``b``
    has ``nout`` entries.  With upstream gradient ``G = dL/dY``:
    ``dL/dW = X^T G``, ``dL/db = 1^T G`` (the sum over the batch),
    ``dL/dX = G W^T``.

    ``init`` names how ``W`` and ``b`` are drawn (see :mod:`nn.init` for each
    scheme's formula): ``"torch"`` by default, PyTorch's U(-1/√nin, 1/√nin) for
    weights and biases, which trains wide networks such as 784-256-256-10 as
    they are; ``"he_uniform"``, ``"he_normal"``, ``"xavier_uniform"``,
    ``"xavier_normal"``; or ``"micrograd"``, U(-1, 1) weights and zero biases
    drawn column by column in the same order as ``nn.Layer(nin, nout)`` draws
    its neurons' weights, so that a network built with the same generator
    equals the scalar one (see :func:`tensor_mlp`).  ``dtype`` is float64 by
    default; float32 works.
    """

    batched = True

    def __init__(self, nin: int, nout: int, bias: bool = True, seed: Seed = None,
                 dtype: Any = np.float64, init: str = DEFAULT_INIT) -> None:
        nin, nout = size("Linear", "nin", nin), size("Linear", "nout", nout)
        bias = flag("Linear", "bias", bias)
        W, b = initial_weights(init, nin, nout, generator(seed))
        self.W = autograd.Tensor(W.astype(dtype), label="W")
        self.b = autograd.Tensor(b.astype(dtype), label="b") if bias else None

    def __call__(self, x: Any) -> autograd.Tensor:
        """``x W + b`` for a batch ``x`` of shape ``(N, nin)`` (or one sample ``(nin,)``)."""
        x = _as_input(x, self.W.dtype)
        nin = self.W.shape[0]
        if x.ndim == 0 or x.shape[-1] != nin:
            raise ValueError(f"Linear expects inputs with {nin} features (shape (N, {nin})), "
                             f"got shape {x.shape}")
        y = x @ self.W
        return y + self.b if self.b is not None else y

    def extra_repr(self) -> str:
        """``nin -> nout``."""
        nin, nout = self.W.shape
        return f"{nin} -> {nout}" + ("" if self.b is not None else ", bias=False")


class _Activation(Module):
    """An elementwise activation as a module (no parameters)."""

    batched = True
    method = ""

    def __call__(self, x: Any) -> Any:
        return getattr(x, self.method)()


class ReLU(_Activation):
    """``max(0, x)`` elementwise; dL/dx = G ⊙ [x > 0] (relu'(0) = 0)."""

    method = "relu"


class Tanh(_Activation):
    """``tanh(x)`` elementwise; dL/dx = G ⊙ (1 - tanh(x)^2)."""

    method = "tanh"


class Sigmoid(_Activation):
    """``σ(x)`` elementwise; dL/dx = G ⊙ σ(x)(1 - σ(x))."""

    method = "sigmoid"


ACTIVATION_MODULES = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid}


class Sequential(Module):
    """Modules applied in order: ``Sequential(Linear(2, 16), ReLU(), Linear(16, 1))``.

    Indexable and iterable; parameters are named ``layers.<i>.W`` and ``layers.<i>.b``.
    """

    def __init__(self, *modules: Module) -> None:
        if not modules:
            raise ValueError("Sequential needs at least one module")
        self.layers = WatchedList(modules)
        self.batched = all(getattr(m, "batched", False) for m in modules)

    def __call__(self, x: Any) -> Any:
        """The output of the last module, each module fed the previous one's output."""
        for module in self.layers:
            x = module(x)
        return x

    def __getitem__(self, index: int) -> Module:
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)


def tensor_mlp(nin: int, nouts: Sequence[int], activation: str = "relu", seed: Seed = None,
               dtype: Any = np.float64, init: str = DEFAULT_INIT) -> Sequential:
    """An MLP on Tensors: Linear layers nin -> n1 -> ... -> nL with ``activation``
    between them (the last layer linear), each drawn by ``init`` (see :class:`Linear`).

    With ``init="micrograd"`` it is the Tensor twin of
    ``nn.MLP(nin, nouts, activation, seed)``: for the same ``seed``, the very same
    initial weights, so both compute the same function."""
    sizes = layer_sizes("tensor_mlp", nin, nouts)
    if activation not in ACTIVATION_MODULES:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATION_MODULES)}")
    check_init(init)
    rng = generator(seed)
    modules: list[Module] = []
    for i in range(len(sizes) - 1):
        modules.append(Linear(sizes[i], sizes[i + 1], seed=rng, dtype=dtype, init=init))
        if i < len(sizes) - 2:
            modules.append(ACTIVATION_MODULES[activation]())
    return Sequential(*modules)
