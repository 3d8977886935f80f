"""The operations only Tensors have: matrix product, reductions, shape changes,
indexing, joining and the softmax family.

Each entry is an :class:`~autograd.op.Op`, like the elementwise ones in
``autograd.ops`` (which Tensor reuses unchanged).  Forward rules take the input
arrays and then the node's fixed arguments (an axis, a shape, an index);
gradient rules return the vector-Jacobian product *upstream x local* for one
input, never an explicit Jacobian.  ``g`` is the upstream gradient, ``out`` the
output.  These rules are written over numpy arrays (``K`` is
:data:`autograd.numerics.ARRAY`); a gradient may come back with broadcast
dimensions, and Tensor sums it back to the input's shape.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .op import Op

Axis = Any  # None, an int or a tuple of ints


def _swap(x: np.ndarray) -> np.ndarray:
    """The last two axes exchanged (the batched transpose)."""
    return x.swapaxes(-1, -2)


# -- matrix product -----------------------------------------------------------
def _matmul_grad_a(K, g, out, a, b):
    """dL/dA = G B^T (Y = A B).  1-D operands are treated as numpy does."""
    if b.ndim == 2 and a.ndim == 2:
        return g @ b.T
    if b.ndim == 1:
        return g[..., None] * b if a.ndim > 1 else g * b
    if a.ndim == 1:
        return (g[..., None, :] @ _swap(b))[..., 0, :]
    return g @ _swap(b)


def _matmul_grad_b(K, g, out, a, b):
    """dL/dB = A^T G (Y = A B), batch dimensions summed when B is one matrix."""
    if a.ndim == 2 and b.ndim == 2:
        return a.T @ g
    if a.ndim == 1:
        return g * a if b.ndim == 1 else a[:, None] * g[..., None, :]
    if b.ndim == 1:
        return (_swap(a) @ g[..., None])[..., 0]
    if b.ndim == 2 and a.ndim > 2:  # one weight matrix for a batch: sum inside the product
        return a.reshape(-1, a.shape[-1]).T @ g.reshape(-1, g.shape[-1])
    return _swap(a) @ g


MATMUL = Op(
    "matmul", "@",
    lambda K, a, b: a @ b,
    (_matmul_grad_a, _matmul_grad_b),
    "Y = A B: dL/dA = G B^T, dL/dB = A^T G",
)


# -- reductions ---------------------------------------------------------------
def _expand(g: np.ndarray, axis: Axis, keepdims: bool) -> np.ndarray:
    """Put back the axes a reduction removed, so ``g`` broadcasts against its input."""
    if keepdims or axis is None:
        return g
    return np.expand_dims(g, axis)


def _spread(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A new array of ``shape`` holding ``g`` broadcast (cheaper than broadcast_to + copy)."""
    out = np.empty(shape, dtype=g.dtype)
    out[...] = g
    return out


def _count(a: np.ndarray, axis: Axis) -> int:
    if axis is None:
        return a.size
    if isinstance(axis, int):
        return a.shape[axis]
    return int(np.prod([a.shape[k] for k in axis]))


REDUCE_SUM = Op(
    "sum", "Σ",
    lambda K, a, axis, keepdims: np.asarray(a.sum(axis=axis, keepdims=keepdims)),
    (lambda K, g, out, a, axis, keepdims: _spread(_expand(g, axis, keepdims), a.shape),),
    "y = Σ_axis a: dL/da = G broadcast back over the summed axes",
)
REDUCE_MEAN = Op(
    "mean", "mean",
    lambda K, a, axis, keepdims: np.asarray(
        np.add.reduce(a, axis=axis, keepdims=keepdims) / _count(a, axis)),
    (lambda K, g, out, a, axis, keepdims: _spread(_expand(g, axis, keepdims) / _count(a, axis), a.shape),),
    "y = (1/n) Σ_axis a: dL/da = G / n broadcast back over the averaged axes",
)


def _route_extreme(K, g, out, a, axis, keepdims):
    """Upstream gradient to the entries equal to the reduced value, split evenly at ties."""
    hit = (a == _expand(out, axis, keepdims)).astype(g.dtype)
    return _expand(g, axis, keepdims) * (hit / hit.sum(axis=axis, keepdims=True))


REDUCE_MAX = Op(
    "amax", "max",
    lambda K, a, axis, keepdims: np.asarray(a.max(axis=axis, keepdims=keepdims)),
    (_route_extreme,),
    "y = max_axis a: dL/da = G at the maximal entries (split evenly among ties), 0 elsewhere",
)
REDUCE_MIN = Op(
    "amin", "min",
    lambda K, a, axis, keepdims: np.asarray(a.min(axis=axis, keepdims=keepdims)),
    (_route_extreme,),
    "y = min_axis a: dL/da = G at the minimal entries (split evenly among ties), 0 elsewhere",
)


# -- shape changes ------------------------------------------------------------
RESHAPE = Op(
    "reshape", "reshape",
    lambda K, a, shape: a.reshape(shape),
    (lambda K, g, out, a, shape: g.reshape(a.shape),),
    "dL/da = G reshaped back to a's shape",
)


def _inverse_permutation(axes: tuple[int, ...] | None) -> tuple[int, ...] | None:
    return None if axes is None else tuple(np.argsort(axes).tolist())


TRANSPOSE = Op(
    "transpose", "ᵀ",
    lambda K, a, axes: a.transpose(axes),
    (lambda K, g, out, a, axes: g.transpose(_inverse_permutation(axes)),),
    "dL/da = G with the axes permuted back",
)


def _is_basic(index: Any) -> bool:
    """True when ``a[index]`` selects each element at most once (no integer arrays)."""
    parts = index if type(index) is tuple else (index,)
    for part in parts:
        if part is None or part is Ellipsis or isinstance(part, (int, np.integer, slice)):
            continue
        if isinstance(part, np.ndarray) and part.dtype == bool:
            continue
        return False
    return True


def _getitem_grad(K, g, out, a, index):
    """Scatter G back into zeros shaped like a; repeated indices accumulate."""
    grad = np.zeros(a.shape, dtype=g.dtype)
    if _is_basic(index):
        grad[index] = g
    else:
        np.add.at(grad, index, g)
    return grad


GETITEM = Op(
    "getitem", "[]",
    lambda K, a, index: a[index],
    (_getitem_grad,),
    "y = a[index]: dL/da = G scattered back to the selected positions (repeats add up)",
)


# -- joining (variadic: the last entry of ``inputs`` is the axis) ------------
def _concatenate_grad(K, i, g, out, inputs):
    """The slice of G that came from input i."""
    axis = inputs[-1]
    start = sum(x.shape[axis] for x in inputs[:i])
    where = [slice(None)] * g.ndim
    where[axis] = slice(start, start + inputs[i].shape[axis])
    return g[tuple(where)]


CONCATENATE = Op(
    "concatenate", "concat",
    lambda K, *inputs: np.concatenate(inputs[:-1], axis=inputs[-1]),
    (_concatenate_grad,),
    "dL/da_i = the slice of G at a_i's position along the axis",
    variadic=True,
)
STACK = Op(
    "stack", "stack",
    lambda K, *inputs: np.stack(inputs[:-1], axis=inputs[-1]),
    (lambda K, i, g, out, inputs: np.take(g, i, axis=inputs[-1]),),
    "dL/da_i = G at index i along the new axis",
    variadic=True,
)


# -- the softmax family -------------------------------------------------------
def _lse(a: np.ndarray, axis: Axis, keepdims: bool) -> np.ndarray:
    """log Σ exp(a) computed as m + log Σ exp(a - m), m the max: never overflows."""
    m = a.max(axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0).astype(a.dtype, copy=False)
    with np.errstate(divide="ignore"):
        s = np.log(np.exp(a - m).sum(axis=axis, keepdims=True)) + m
    if not keepdims:
        s = s.reshape(()) if axis is None else s.squeeze(axis)
    return np.asarray(s)


LOGSUMEXP = Op(
    "logsumexp", "logΣexp",
    lambda K, a, axis, keepdims: _lse(a, axis, keepdims),
    (lambda K, g, out, a, axis, keepdims: _expand(g, axis, keepdims)
        * np.exp(a - _expand(out, axis, keepdims)),),
    "y = log Σ_axis e^a: dL/da = G softmax(a)",
)


def _softmax(K, a, axis):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


SOFTMAX = Op(
    "softmax", "softmax",
    _softmax,
    (lambda K, g, out, a, axis: out * (g - (g * out).sum(axis=axis, keepdims=True)),),
    "s = e^a / Σ e^a: dL/da = s ⊙ (G - Σ_axis G ⊙ s)",
)
LOG_SOFTMAX = Op(
    "log_softmax", "log softmax",
    lambda K, a, axis: a - _lse(a, axis, True),
    (lambda K, g, out, a, axis: g - np.exp(out) * g.sum(axis=axis, keepdims=True),),
    "y = a - logΣexp(a): dL/da = G - softmax(a) Σ_axis G",
)
