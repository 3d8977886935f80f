"""Tensor factories with torch's names: zeros, ones, full, arange, eye, rand, randn, the
``*_like`` forms and one_hot, drawing random numbers from one seedable generator.

As in torch, a made Tensor is a constant (``requires_grad=False``) unless asked
for; unlike torch, the dtype is float64 unless ``dtype=`` says otherwise (chainrule's
Tensors hold numpy floats; torch's default is float32).  ``manual_seed(s)`` makes
``rand``/``randn`` repeatable; ``generator=`` takes a ``numpy.random.Generator`` of
your own instead.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .core.tensor import Tensor
from .core.tensor_checks import check_ints, is_int

_RNG = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Seed the generator ``rand``, ``randn`` and ``randn_like`` draw from."""
    global _RNG
    if not is_int(seed):
        raise TypeError(f"manual_seed: the seed must be an int, got {seed!r}")
    _RNG = np.random.default_rng(int(seed))


def _shape(size: tuple, who: str) -> tuple[int, ...]:
    shape = check_ints(size, f"{who}: the size", f"{who}(2, 3) or {who}((2, 3))")
    if any(n < 0 for n in shape):
        raise ValueError(f"{who}: sizes cannot be negative, got {shape}")
    return shape


def _made(array: np.ndarray, dtype: Any, requires_grad: bool) -> Tensor:
    return Tensor(array.astype(np.float64 if dtype is None else dtype), requires_grad=requires_grad)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A Tensor of 0.0 of shape ``size`` (``zeros(2, 3)`` or ``zeros((2, 3))``)."""
    return _made(np.zeros(_shape(size, "zeros")), dtype, requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A Tensor of 1.0 of shape ``size``."""
    return _made(np.ones(_shape(size, "ones")), dtype, requires_grad)


def full(size: Any, fill_value: float, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A Tensor of shape ``size`` filled with ``fill_value``."""
    return _made(np.full(_shape((size,), "full"), float(fill_value)), dtype, requires_grad)


def arange(start: float, end: float | None = None, step: float = 1, *, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """start, start + step, ... up to but excluding ``end`` (``arange(5)`` is 0..4)."""
    if step == 0:
        raise ValueError("arange: step must not be 0")
    values = np.arange(start) if end is None else np.arange(start, end, step)
    return _made(values, dtype, requires_grad)


def eye(n: int, m: int | None = None, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """The ``n x m`` identity matrix (``m = n`` by default)."""
    shape = _shape((n,) if m is None else (n, m), "eye")
    return _made(np.eye(*shape), dtype, requires_grad)


def rand(*size: Any, generator: np.random.Generator | None = None, dtype: Any = None,
         requires_grad: bool = False) -> Tensor:
    """Uniform numbers on [0, 1) of shape ``size``."""
    return _made((generator or _RNG).random(_shape(size, "rand")), dtype, requires_grad)


def randn(*size: Any, generator: np.random.Generator | None = None, dtype: Any = None,
          requires_grad: bool = False) -> Tensor:
    """Standard normal numbers (mean 0, variance 1) of shape ``size``."""
    return _made((generator or _RNG).standard_normal(_shape(size, "randn")), dtype, requires_grad)


def _like(t: Any) -> tuple[tuple[int, ...], Any]:
    array = t.data if isinstance(t, Tensor) else np.asarray(t)
    return array.shape, array.dtype if array.dtype.kind == "f" else None


def zeros_like(t: Any, *, requires_grad: bool = False) -> Tensor:
    """0.0 in ``t``'s shape and dtype."""
    shape, dtype = _like(t)
    return zeros(shape, dtype=dtype, requires_grad=requires_grad)


def ones_like(t: Any, *, requires_grad: bool = False) -> Tensor:
    """1.0 in ``t``'s shape and dtype."""
    shape, dtype = _like(t)
    return ones(shape, dtype=dtype, requires_grad=requires_grad)


def randn_like(t: Any, *, generator: np.random.Generator | None = None,
               requires_grad: bool = False) -> Tensor:
    """Standard normal numbers in ``t``'s shape and dtype."""
    shape, dtype = _like(t)
    return randn(shape, generator=generator, dtype=dtype, requires_grad=requires_grad)


def one_hot(indices: Any, num_classes: int = -1) -> Tensor:
    """Row k of the identity for each class index k (torch.nn.functional.one_hot): shape
    ``indices.shape + (num_classes,)``, a constant float64 Tensor (torch's is int64).
    ``num_classes=-1`` takes the largest index + 1."""
    array = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
    if array.dtype.kind not in "iu" and not (array.dtype.kind == "f" and np.all(array == np.round(array))):
        raise TypeError(f"one_hot: the indices must be integers, got {array!r}")
    array = array.astype(np.int64)
    if not is_int(num_classes):
        raise TypeError(f"one_hot: num_classes must be an int, got {num_classes!r}")
    if num_classes == -1:
        num_classes = int(array.max()) + 1 if array.size else 0
    if array.size and (array.min() < 0 or array.max() >= num_classes):
        raise ValueError(f"one_hot: class values must be in 0..{num_classes - 1}, got "
                         f"{int(array.min())}..{int(array.max())}")
    return Tensor(np.eye(num_classes)[array], requires_grad=False)
