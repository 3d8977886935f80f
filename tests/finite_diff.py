"""Central finite differences for Tensor gradients (float64), used by the Tensor tests.

A stand-in until ``autograd.gradcheck`` handles Tensors: every check reduces the
function's output to a scalar with a fixed random projection R,
L = Σ f(x) ⊙ R, and compares backward's dL/dx with (L(x + h e_k) - L(x - h e_k)) / 2h
for every element k of every input.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from autograd import Tensor, no_grad


def projection(fn: Callable[..., Tensor], arrays: Sequence[np.ndarray], seed: int = 0) -> np.ndarray:
    """A random array shaped like fn's output, to make a scalar loss from it."""
    with no_grad():
        out = fn(*[Tensor(a, requires_grad=False) for a in arrays])
    return np.random.default_rng(seed).standard_normal(out.shape)


def analytic_grads(fn, arrays, R) -> list[np.ndarray]:
    """dL/dx for each input by backward(), L = Σ fn(x) ⊙ R."""
    ts = [Tensor(np.array(a, dtype=np.float64)) for a in arrays]
    fn(*ts).backward(gradient=R)
    return [t.grad if t.grad is not None else np.zeros_like(t.data) for t in ts]


def numeric_grads(fn, arrays, R, h: float = 1e-6) -> list[np.ndarray]:
    """dL/dx for each input by central differences, L = Σ fn(x) ⊙ R, in float64."""
    xs = [np.array(a, dtype=np.float64) for a in arrays]

    def loss() -> float:
        with no_grad():
            out = fn(*[Tensor(x, requires_grad=False) for x in xs])
        return float(np.sum(out.data * R))

    grads = []
    for x in xs:
        g = np.zeros_like(x)
        for k in np.ndindex(x.shape):
            old = x[k]
            x[k] = old + h
            up = loss()
            x[k] = old - h
            down = loss()
            x[k] = old
            g[k] = (up - down) / (2 * h)
        grads.append(g)
    return grads


def check_gradients(fn, *arrays, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    """Assert backward's gradients of every input equal central differences."""
    R = projection(fn, arrays)
    for i, (a, n) in enumerate(zip(analytic_grads(fn, arrays, R), numeric_grads(fn, arrays, R))):
        assert a.shape == np.shape(arrays[i]), f"input {i}: grad shape {a.shape} != {np.shape(arrays[i])}"
        np.testing.assert_allclose(a, n, rtol=rtol, atol=atol, err_msg=f"input {i}")
