"""TENSOR: the backend whose functions record Tensor operations.

``autograd.grad(y, xs, create_graph=True)`` on a Tensor graph evaluates every
node's gradient rule with ``K = TENSOR`` and with the nodes themselves in place
of their arrays.  The rules' arithmetic, ``@`` and indexing then record Tensor
operations, and so does every ``K`` function below, so the gradients that come
out are Tensors with a graph of their own: differentiate them again for second
and higher derivatives (Hessian-vector products, ``autograd.func.hessian``).

TENSOR has every function :data:`autograd.core.numerics.ARRAY` has.  The
conditions (``gt``, ``ge``, ``eq``, ``both``) are ARRAY's, applied to the data:
numpy bool arrays, never differentiated; so is the piecewise-constant
``sign``, whose result is a constant (derivative 0).  ``where`` records a selection, whose
gradient goes to the chosen side only (masked, not multiplied).
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Callable

import numpy as np

from . import tensor_ops as tops
from .numerics import ARRAY
from .tensor import Tensor, _data, apply_op, concatenate, stack


def _node(x: Any) -> Tensor:
    """A Tensor as it is; a number or array as a constant Tensor."""
    return x if isinstance(x, Tensor) else Tensor(x, requires_grad=False)


def _of_data(name: str) -> Callable[..., Any]:
    """ARRAY's function ``name`` applied to the data, never differentiated: a condition
    stays a numpy bool array; any other result is a constant Tensor (derivative 0)."""
    def of_data(*args: Any) -> Any:
        out = np.asarray(getattr(ARRAY, name)(*(_data(a) for a in args)))
        return out if out.dtype == bool else Tensor(out, requires_grad=False)

    of_data.__name__ = name
    return of_data


def where(condition: Any, x: Any, y: Any) -> Any:
    """``x`` where ``condition`` holds, else ``y``, recorded as one select node: the
    gradient goes to the chosen side and is exactly 0 on the other (never multiplied)."""
    condition = np.asarray(_data(condition), dtype=bool)
    if not isinstance(x, Tensor) and not isinstance(y, Tensor):
        return np.where(condition, x, y)  # both constants: so is the result
    return apply_op(tops.WHERE, [x, y], condition)


def sum_to(a: Any, shape: tuple[int, ...]) -> Any:
    """``a`` summed over its broadcast axes down to ``shape`` (recorded); as ARRAY's
    ``sum_to``, an ``a`` smaller than ``shape`` is broadcast up to it instead."""
    shape = tuple(shape)
    have = np.shape(_data(a))
    if have == shape:
        return a
    if np.broadcast_shapes(have, shape) == shape:
        return apply_op(tops.BROADCAST_TO, [a], shape)
    return apply_op(tops.SUM_TO, [a], shape)


def broadcast_to(a: Any, shape: tuple[int, ...]) -> Any:
    """``a`` repeated along broadcast axes up to ``shape`` (recorded)."""
    shape = tuple(shape)
    return a if np.shape(_data(a)) == shape else apply_op(tops.BROADCAST_TO, [a], shape)


TENSOR = SimpleNamespace(
    name="tensor",
    # elementwise, as every backend has them
    div=lambda a, b: _node(a) / b,
    pow=lambda a, b: _node(a) ** b,
    exp=lambda a: _node(a).exp(),
    log=lambda a: _node(a).log(),
    tanh=lambda a: _node(a).tanh(),
    sigmoid=lambda a: _node(a).sigmoid(),
    maximum=lambda a, b: _node(a).max(b),
    minimum=lambda a, b: _node(a).min(b),
    abs=lambda a: _node(a).abs(),
    where=where,
    # functions of the data only
    sign=_of_data("sign"),
    gt=_of_data("gt"),
    ge=_of_data("ge"),
    eq=_of_data("eq"),
    both=_of_data("both"),
    # the matrix functions of ARRAY's second block
    sum_to=sum_to,
    broadcast_to=broadcast_to,
    scatter_add=lambda g, index, shape: apply_op(tops.SCATTER_ADD, [g], index, tuple(shape)),
    logsumexp=lambda a, axis, keepdims: _node(a).logsumexp(axis, keepdims),
    concatenate=lambda tensors, axis: concatenate(tensors, axis),
    stack=lambda tensors, axis: stack(tensors, axis),
)
"""Backend for rules evaluated on Tensors: gradients that are Tensor graphs themselves."""
