"""Checking backward against central finite differences."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .graph import Node, no_grad
from .tensor import Tensor
from .value import Value


def central_difference(f: Callable[..., float], *xs: float, arg: int = 0, eps: float = 1e-6) -> float:
    """Estimate d f / d xs[arg] on plain floats:

        (f(..., x + eps, ...) - f(..., x - eps, ...)) / (2 eps)

    whose error shrinks as eps^2 for smooth f.
    """
    up = list(xs)
    down = list(xs)
    up[arg] += eps
    down[arg] -= eps
    return (f(*up) - f(*down)) / (2 * eps)


class GradcheckError(AssertionError):
    """backward and central differences disagree; the message says where and by how much."""


def _leaf(template: Node, data: Any) -> Node:
    return type(template)(data, label=template.label)


def _as_input(x: Any) -> Node:
    """A fresh leaf: Values and Tensors are copied (Tensors in float64, which central
    differences need), numpy arrays and lists become Tensors, numbers Values."""
    if isinstance(x, Node):
        data = x.data
        if isinstance(data, np.ndarray):
            data = data.astype(np.float64)
        return _leaf(x, data)
    if isinstance(x, (np.ndarray, list, tuple)):
        return Tensor(np.array(x, dtype=np.float64))
    return Value(x)


def _scalar(out: Node, weights: Any) -> float:
    """The output reduced to the number whose gradient is checked: sum(out * weights)."""
    return float(np.sum(np.asarray(out.data, dtype=np.float64) * weights))


def gradcheck(
    f: Callable[..., Node],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check ``f``'s gradients from ``backward()`` against central differences.

    ``f`` takes one Value or Tensor per input (plain numbers become Values,
    numpy arrays and lists Tensors) and returns a Value or Tensor.  A non-scalar output is reduced to
    ``sum(out * r)`` with fixed random weights ``r``, so every output element
    is checked.  Each input element's backward gradient ``a`` must match the
    central difference ``n`` within ``|a - n| <= atol + rtol |n|``.

    Returns True, or raises :class:`GradcheckError` naming the first input
    (position, label, element) that disagrees, both numbers and the difference.
    The caller's inputs are never modified.
    """
    leaves = [_as_input(x) for x in inputs]
    out = f(*leaves)
    shape = np.shape(out.data)
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=shape) if shape else 1.0
    out.backward(weights if shape else None)

    def evaluate(i: int, data: Any) -> float:
        args = [leaf if k != i else _leaf(leaf, data) for k, leaf in enumerate(leaves)]
        with no_grad():
            return _scalar(f(*args), weights)

    for i, leaf in enumerate(leaves):
        data = leaf.data
        grad = leaf.grad if leaf.grad is not None else np.zeros_like(data)
        name = f" '{leaf.label}'" if leaf.label else ""
        if isinstance(data, np.ndarray):
            if np.shape(grad) != data.shape:
                raise GradcheckError(f"gradcheck failed for input {i}{name}: backward gives a "
                                     f"gradient of shape {np.shape(grad)} for an input of shape {data.shape}")
            for index in np.ndindex(data.shape):
                up, down = data.copy(), data.copy()
                up[index] += eps
                down[index] -= eps
                numeric = (evaluate(i, up) - evaluate(i, down)) / (2 * eps)
                _compare(float(np.asarray(grad)[index]), numeric, f"input {i}{name} at index {index}", atol, rtol)
        else:
            numeric = (evaluate(i, data + eps) - evaluate(i, data - eps)) / (2 * eps)
            _compare(float(grad), numeric, f"input {i}{name}", atol, rtol)
    return True


def _compare(analytic: float, numeric: float, where: str, atol: float, rtol: float) -> None:
    allowed = atol + rtol * abs(numeric)
    difference = abs(analytic - numeric)
    if not difference <= allowed:  # also catches nan
        raise GradcheckError(
            f"gradcheck failed for {where}: backward gives {analytic!r}, central "
            f"difference gives {numeric!r} (difference {difference:.3g}, allowed {allowed:.3g})"
        )
