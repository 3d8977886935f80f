"""The operations only Tensors have: matrix product, reductions, shape changes,
indexing, joining, selection and the softmax family.

Each entry is an :class:`~autograd.core.op.Op`, like the elementwise ones in
``autograd.core.ops`` (which Tensor reuses unchanged).  Forward rules take the input
arrays and then the node's fixed arguments (an axis, a shape, an index);
gradient rules return the vector-Jacobian product *upstream x local* for one
input, never an explicit Jacobian.  ``g`` is the upstream gradient, ``out`` the
output.

The rules are written over the backend ``K`` and what numpy arrays and Tensors
both have: arithmetic, ``@``, indexing, ``.T``, ``.reshape``, ``.transpose``,
``.sum(axis=, keepdims=)``, ``.shape`` and ``.ndim``.  So one rule runs on
arrays (``K`` = :data:`autograd.core.numerics.ARRAY`, ordinary backward) and on
Tensors (``K`` = :data:`autograd.core.tensor.TENSOR`, where every step is
recorded and the gradient can be differentiated again).  A gradient may come
back with broadcast dimensions; Tensor sums it back to the input's shape.
"""
from __future__ import annotations

from typing import Any

from .op import Op

Axis = Any  # None, an int or a tuple of ints


def _swap(x):
    """The last two axes exchanged (the batched transpose)."""
    n = x.ndim
    return x.transpose(tuple(range(n - 2)) + (n - 1, n - 2))


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
def _expand(g, shape: tuple[int, ...], axis: Axis, keepdims: bool):
    """Put back, as size-1 axes, the axes a reduction of an input of ``shape`` removed,
    so that ``g`` broadcasts against that input."""
    if keepdims or axis is None:
        return g
    kept = list(shape)
    for k in (axis,) if isinstance(axis, int) else axis:
        kept[k % len(shape)] = 1
    return g.reshape(kept)


def _count(shape: tuple[int, ...], axis: Axis) -> int:
    """How many entries a reduction over ``axis`` combines into one."""
    n = 1
    for k in range(len(shape)) if axis is None else (axis,) if isinstance(axis, int) else axis:
        n *= shape[k]
    return n


REDUCE_SUM = Op(
    "sum", "Σ",
    lambda K, a, axis, keepdims: a.sum(axis=axis, keepdims=keepdims),
    (lambda K, g, out, a, axis, keepdims: K.broadcast_to(_expand(g, a.shape, axis, keepdims), a.shape),),
    "y = Σ_axis a: dL/da = G broadcast back over the summed axes",
)


def _over_count(K, total, n: int):
    """total / n; nan for an empty reduction (n = 0), without numpy's warning."""
    return total / n if n else K.div(total, n)


REDUCE_MEAN = Op(
    "mean", "mean",
    lambda K, a, axis, keepdims: _over_count(K, a.sum(axis=axis, keepdims=keepdims), _count(a.shape, axis)),
    (lambda K, g, out, a, axis, keepdims: K.broadcast_to(
        _over_count(K, _expand(g, a.shape, axis, keepdims), _count(a.shape, axis)), a.shape),),
    "y = (1/n) Σ_axis a: dL/da = G / n broadcast back over the averaged axes",
)


def _route_extreme(K, g, out, a, axis, keepdims):
    """Upstream gradient to the entries equal to the reduced value, split evenly at ties
    (as torch's amax/amin: G x hit / count)."""
    hit = K.eq(a, _expand(out, a.shape, axis, keepdims)).astype(g.dtype)
    return _expand(g, a.shape, axis, keepdims) * (hit / hit.sum(axis=axis, keepdims=True))


REDUCE_MAX = Op(
    "amax", "max",
    lambda K, a, axis, keepdims: a.max(axis=axis, keepdims=keepdims),
    (_route_extreme,),
    "y = max_axis a: dL/da = G at the maximal entries (split evenly among ties), 0 elsewhere",
)
REDUCE_MIN = Op(
    "amin", "min",
    lambda K, a, axis, keepdims: a.min(axis=axis, keepdims=keepdims),
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
    if axes is None:
        return None
    inverse = [0] * len(axes)
    for position, axis in enumerate(axes):
        inverse[axis] = position
    return tuple(inverse)


TRANSPOSE = Op(
    "transpose", "ᵀ",
    lambda K, a, axes: a.transpose(axes),
    (lambda K, g, out, a, axes: g.transpose(_inverse_permutation(axes)),),
    "dL/da = G with the axes permuted back",
)
BROADCAST_TO = Op(
    "broadcast_to", "broadcast",
    lambda K, a, shape: K.broadcast_to(a, shape),
    (lambda K, g, out, a, shape: K.sum_to(g, a.shape),),
    "y = a repeated along broadcast axes: dL/da = G summed back to a's shape",
)
SUM_TO = Op(
    "sum_to", "Σ→",
    lambda K, a, shape: K.sum_to(a, shape),
    (lambda K, g, out, a, shape: K.broadcast_to(g, a.shape),),
    "y = a summed over its broadcast axes down to a shape: dL/da = G broadcast back",
)


CLONE = Op(
    "clone", "clone",
    lambda K, a: a.copy(),
    (lambda K, g, out, a: g,),
    "y = a, a copy: dL/da = G",
)


# -- indexing -------------------------------------------------------------------
GETITEM = Op(
    "getitem", "[]",
    lambda K, a, index: a[index],
    (lambda K, g, out, a, index: K.scatter_add(g, index, a.shape),),
    "y = a[index]: dL/da = G scattered back to the selected positions (repeats add up)",
)
SCATTER_ADD = Op(
    "scatter_add", "[]+=",
    lambda K, a, index, shape: K.scatter_add(a, index, shape),
    (lambda K, g, out, a, index, shape: g[index],),
    "y = zeros(shape) with a added at index: dL/da = G[index]",
)
WHERE = Op(  # also Value's select node, in create_graph passes (autograd.core.value.record_where)
    "where", "where",
    lambda K, x, y, condition: K.where(condition, x, y),
    (lambda K, g, out, x, y, condition: K.where(condition, g, 0.0),      # G where chosen
     lambda K, g, out, x, y, condition: K.where(condition, 0.0, g)),     # 0 elsewhere
    "out = x where the condition holds, else y: dL/dx = G there and exactly 0 elsewhere",
)


# -- joining (variadic: the last entry of ``inputs`` is the axis) ------------
def _concatenate_grad(K, i, g, out, inputs):
    """The slice of G that came from input i."""
    axis = inputs[-1]
    start = sum(x.shape[axis] for x in inputs[:i])
    part = [slice(None)] * g.ndim
    part[axis] = slice(start, start + inputs[i].shape[axis])
    return g[tuple(part)]


CONCATENATE = Op(
    "concatenate", "concat",
    lambda K, *inputs: K.concatenate(inputs[:-1], inputs[-1]),
    (_concatenate_grad,),
    "dL/da_i = the slice of G at a_i's position along the axis",
    variadic=True,
)
STACK = Op(
    "stack", "stack",
    lambda K, *inputs: K.stack(inputs[:-1], inputs[-1]),
    (lambda K, i, g, out, inputs: g[(slice(None),) * (inputs[-1] % g.ndim) + (i,)],),
    "dL/da_i = G at index i along the new axis",
    variadic=True,
)


# -- the softmax family -------------------------------------------------------
LOGSUMEXP = Op(
    "logsumexp", "logΣexp",
    lambda K, a, axis, keepdims: K.logsumexp(a, axis, keepdims),
    (lambda K, g, out, a, axis, keepdims: _expand(g, a.shape, axis, keepdims)
        * K.exp(a - _expand(out, a.shape, axis, keepdims)),),
    "y = log Σ_axis e^a: dL/da = G softmax(a)",
)


def _softmax(K, a, axis):
    e = K.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


SOFTMAX = Op(
    "softmax", "softmax",
    _softmax,
    (lambda K, g, out, a, axis: out * (g - (g * out).sum(axis=axis, keepdims=True)),),
    "s = e^a / Σ e^a: dL/da = s ⊙ (G - Σ_axis G ⊙ s)",
)
LOG_SOFTMAX = Op(
    "log_softmax", "log softmax",
    lambda K, a, axis: a - K.logsumexp(a, axis, True),
    (lambda K, g, out, a, axis: g - K.exp(out) * g.sum(axis=axis, keepdims=True),),
    "y = a - logΣexp(a): dL/da = G - softmax(a) Σ_axis G",
)
