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

from .init import generator
from .module import Module

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

    Weights start uniform in [-1, 1] and biases at 0, drawn column by column in
    the same order as ``nn.Layer(nin, nout)`` draws its neurons' weights, so a
    network built with the same generator equals the scalar one
    (see :func:`tensor_mlp`).  ``dtype`` is float64 by default; float32 works.
    """

    batched = True

    def __init__(self, nin: int, nout: int, bias: bool = True, seed: Seed = None,
                 dtype: Any = np.float64) -> None:
        if nin < 1 or nout < 1:
            raise ValueError(f"Linear needs nin >= 1 and nout >= 1, got nin={nin}, nout={nout}")
        rng = generator(seed)
        columns = [[rng.uniform(-1, 1) for _ in range(nin)] for _ in range(nout)]
        self.W = autograd.Tensor(np.array(columns, dtype=dtype).T, label="W")
        self.b = autograd.Tensor(np.zeros(nout, dtype=dtype), label="b") if bias else None

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
        self.layers = list(modules)
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
               dtype: Any = np.float64) -> Sequential:
    """The Tensor twin of ``nn.MLP(nin, nouts, activation, seed)``: Linear layers with
    ``activation`` between them (the last layer linear) and, for the same ``seed``,
    the very same initial weights."""
    if not nouts:
        raise ValueError("an MLP needs at least one layer size")
    if activation not in ACTIVATION_MODULES:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATION_MODULES)}")
    rng = generator(seed)
    sizes = [nin, *nouts]
    modules: list[Module] = []
    for i in range(len(nouts)):
        modules.append(Linear(sizes[i], sizes[i + 1], seed=rng, dtype=dtype))
        if i < len(nouts) - 1:
            modules.append(ACTIVATION_MODULES[activation]())
    return Sequential(*modules)
