"""Optimizers: SGD (with momentum and weight decay) and Adam.

They read ``p.grad`` and replace ``p.data`` with arithmetic that works on
Python floats and numpy arrays alike (``p.data = p.data - lr * g``), so they
serve Value and Tensor parameters alike.  A parameter whose
``grad`` is None (no gradient yet) is skipped, as in PyTorch.
"""
from __future__ import annotations

import numbers
from typing import Any, Iterable

import numpy as np

import autograd

from .checks import non_negative
from .module import Module, clear_grads


def _parameter_list(params: Iterable[autograd.Node]) -> list[autograd.Node]:
    """``params`` as a list, refusing a module (pass ``model.parameters()``), items
    without ``data`` and ``grad`` (not Values or Tensors), and a parameter listed
    twice (it would be stepped twice; PyTorch refuses it too)."""
    if isinstance(params, Module):
        raise TypeError(f"an optimizer takes parameters, not a {type(params).__name__}: "
                        "pass model.parameters()")
    if isinstance(params, autograd.Node):
        raise TypeError("an optimizer takes a list of parameters, not a single one: pass [p]")
    params = list(params)
    if not params:
        raise ValueError("optimizer got an empty parameter list")
    first: dict[int, int] = {}
    for i, p in enumerate(params):
        if not (hasattr(p, "data") and hasattr(p, "grad")):
            raise TypeError(f"parameter {i} is a {type(p).__name__}, not a Value or Tensor: {p!r}")
        if id(p) in first:
            raise ValueError(f"parameter {i} is the same object as parameter {first[id(p)]} "
                             f"({p!r}); an optimizer takes each parameter once")
        first[id(p)] = i
    return params


def _betas(betas: Any) -> tuple[float, float]:
    """``betas`` as a pair of numbers in [0, 1), or a ValueError showing how to write one."""
    pair = isinstance(betas, (tuple, list)) and len(betas) == 2
    if not pair or not all(not isinstance(b, bool) and isinstance(b, numbers.Real) and 0 <= b < 1 for b in betas):
        raise ValueError(f"betas must be a pair (beta1, beta2) of numbers in [0, 1) such as (0.9, 0.999), "
                         f"got {betas!r}")
    return float(betas[0]), float(betas[1])


class Optimizer:
    """Base class: holds the parameter list; ``zero_grad()`` clears their gradients.

    Each parameter may appear once: ``SGD(p + p)`` is refused, naming the duplicate."""

    def __init__(self, params: Iterable[autograd.Node], lr: float) -> None:
        self.params = _parameter_list(params)
        non_negative("learning rate", lr)
        self.lr = lr

    def zero_grad(self) -> None:
        """Zero every parameter's gradient: 0.0 for float data, None for arrays
        (see :func:`nn.clear_grads`)."""
        clear_grads(self.params)

    def step(self) -> None:  # pragma: no cover - abstract
        """Update every parameter from its gradient."""
        raise NotImplementedError

    def gradients(self) -> list[Any]:
        """Every parameter's gradient (None: no gradient, the parameter is skipped),
        checked before any parameter changes: a real number, or an array of real
        numbers of the parameter's shape.  Otherwise a ValueError names the parameter
        and nothing is updated (``p.data - lr * g`` would broadcast a wrong shape into
        the parameter, or fail half-way through the list).  Each gradient is given
        its parameter's type (a float for a Value, the array's dtype for a Tensor), so
        that a step never changes a parameter's type, as PyTorch keeps grad and data
        of one dtype."""
        grads = [p.grad for p in self.params]
        for i, (p, g) in enumerate(zip(self.params, grads)):
            if g is None or (type(g) is float and type(p.data) is float):
                continue
            kind, shape = np.asarray(g).dtype.kind, np.shape(g)
            if kind not in "biuf" or shape != np.shape(p.data):
                raise ValueError(f"parameter {i} has shape {np.shape(p.data)} but its gradient is "
                                 f"{type(g).__name__} {shape if kind in 'biuf' else repr(g)}: it must be "
                                 "real numbers of the parameter's shape (no parameter was updated)")
            grads[i] = float(g) if isinstance(p.data, float) else np.asarray(g, dtype=np.asarray(p.data).dtype)
        return grads


class SGD(Optimizer):
    """Stochastic gradient descent, PyTorch's formulation.

    With ``g = grad + weight_decay * p`` and, if ``momentum`` > 0, the velocity
    ``v <- momentum * v + g`` (``v = g`` on the first step), ``g <- v``; then
    ``p <- p - lr * g``.  ``lr`` may be changed between steps (a schedule).
    """

    def __init__(self, params: Iterable[autograd.Node], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        non_negative("momentum", momentum)
        non_negative("weight_decay", weight_decay)
        self.momentum = momentum
        self.weight_decay = weight_decay
        self.velocity: list[Any] = [None] * len(self.params)

    def step(self) -> None:
        """One update of every parameter with a gradient."""
        for i, (p, g) in enumerate(zip(self.params, self.gradients())):
            if g is None:
                continue
            if self.weight_decay:
                g = g + self.weight_decay * p.data
            if self.momentum:
                v = self.velocity[i]
                g = g if v is None else self.momentum * v + g
                self.velocity[i] = g
            p.data = p.data - self.lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba), PyTorch's formulation.  At a parameter's step t, with g = grad:
    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g^2``,
    ``m_hat = m / (1 - b1^t)``, ``v_hat = v / (1 - b2^t)``,
    ``p <- p - lr m_hat / (sqrt(v_hat) + eps)``.

    As in PyTorch, t counts each parameter's own steps: a step where its grad is
    None skips it and does not advance its t (``self.steps[i]``).
    """

    def __init__(self, params: Iterable[autograd.Node], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        self.betas = _betas(betas)
        non_negative("eps", eps)
        self.eps = eps
        self.steps = [0] * len(self.params)
        self.m: list[Any] = [0.0] * len(self.params)
        self.v: list[Any] = [0.0] * len(self.params)

    def step(self) -> None:
        """One update of every parameter with a gradient."""
        b1, b2 = self.betas
        for i, (p, g) in enumerate(zip(self.params, self.gradients())):
            if g is None:
                continue
            self.steps[i] += 1
            c1 = 1 - b1**self.steps[i]
            c2 = 1 - b2**self.steps[i]
            self.m[i] = b1 * self.m[i] + (1 - b1) * g
            self.v[i] = b2 * self.v[i] + (1 - b2) * (g * g)
            p.data = p.data - self.lr * (self.m[i] / c1) / ((self.v[i] / c2) ** 0.5 + self.eps)
