"""The arithmetic that operation rules are evaluated with.

Every forward and gradient rule in ``autograd.ops`` is written over plain
arithmetic (``+ - * /`` on its arguments) plus the few functions of a
*backend* ``K`` passed as the rule's first argument: ``K.div``, ``K.pow``,
``K.exp``, ``K.log``, ``K.tanh``, ``K.sigmoid``, ``K.step``, ``K.sign`` and
``K.share``, ``K.maximum``, ``K.minimum`` and ``K.abs``.  The same rule then runs on

* Python floats, with :data:`FLOAT` (IEEE-754 results like numpy: ``1/0`` is
  ``inf``, ``log(0)`` is ``-inf``, ``exp(1000)`` is ``inf``; never a
  ``ZeroDivisionError``, ``OverflowError`` or math domain error),
* numpy arrays, with :data:`ARRAY` (numpy's own IEEE semantics, warnings off),
* Values, for higher-order gradients (``autograd.value.VALUE``),
* Tensors, for higher-order gradients of Tensor graphs
  (``autograd.tensor_backend.TENSOR``),
* symbols, for generated code (``autograd.codegen.SYMBOL``).

The Tensor rules of ``autograd.tensor_ops`` need a few more functions (sum a
gradient back to a shape, scatter it back into zeros ...); :data:`ARRAY`'s
versions are in the block at the end of this file.
"""
from __future__ import annotations

import math
from types import SimpleNamespace
from typing import Any

import numpy as np

_INF = math.inf
_NAN = math.nan


def _ieee(fn, *args: float) -> float:
    """Evaluate a numpy ufunc on float64 scalars with warnings silenced."""
    with np.errstate(all="ignore"):
        return float(fn(*(np.float64(a) for a in args)))


def float_div(a: float, b: float) -> float:
    """a / b with IEEE semantics: x/0 is +-inf, 0/0 is nan."""
    try:
        return a / b
    except ZeroDivisionError:
        return _ieee(np.divide, a, b)


def float_pow(a: float, b: float) -> float:
    """a ** b with IEEE semantics: 0**-1 is inf, (-8)**(1/3) is nan, overflow is inf."""
    try:
        r = a**b
    except (ZeroDivisionError, OverflowError):
        return _ieee(np.power, a, b)
    return _NAN if type(r) is complex else float(r)


def float_exp(a: float) -> float:
    """e**a; overflows to inf."""
    try:
        return math.exp(a)
    except OverflowError:
        return _INF


def float_log(a: float) -> float:
    """Natural log: log(0) is -inf, log of a negative number is nan."""
    if a > 0:
        return math.log(a)
    return -_INF if a == 0 else _NAN


def float_sigmoid(a: float) -> float:
    """1 / (1 + e**-a), computed without overflow for any a."""
    if a >= 0:
        return 1.0 / (1.0 + math.exp(-a))
    if a != a:
        return a
    e = math.exp(a)
    return e / (1.0 + e)


def float_step(a: float) -> float:
    """1.0 where a > 0 else 0.0 (so relu'(0) = 0, as in PyTorch)."""
    return 1.0 if a > 0 else 0.0


def float_sign(a: float) -> float:
    """-1.0, 0.0 or 1.0 (so abs'(0) = 0, as in PyTorch)."""
    return 1.0 if a > 0 else (-1.0 if a < 0 else 0.0 * a)


def float_share(a: float, b: float) -> float:
    """Share of a max gate's gradient that goes to ``a``: 1 if a > b, 1/2 at a tie, else 0."""
    return 1.0 if a > b else (0.5 if a == b else 0.0)


def float_maximum(a: float, b: float) -> float:
    """The larger of a and b; nan if either is nan (like numpy.maximum)."""
    return a if (a > b or a != a) else b


def float_minimum(a: float, b: float) -> float:
    """The smaller of a and b; nan if either is nan (like numpy.minimum)."""
    return a if (a < b or a != a) else b


FLOAT = SimpleNamespace(
    name="float",
    div=float_div,
    pow=float_pow,
    exp=float_exp,
    log=float_log,
    tanh=math.tanh,
    sigmoid=float_sigmoid,
    step=float_step,
    sign=float_sign,
    share=float_share,
    maximum=float_maximum,
    minimum=float_minimum,
    abs=abs,
)
"""Backend for rules evaluated on Python floats."""


def _silent(fn):
    def wrapped(*args):
        with np.errstate(all="ignore"):
            return fn(*args)

    wrapped.__name__ = getattr(fn, "__name__", "ufunc")
    return wrapped


def array_sigmoid(a: np.ndarray) -> np.ndarray:
    """Elementwise 1 / (1 + e**-a) without overflow: e**(-|a|) never overflows."""
    a = np.asarray(a)
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype, copy=False)


def array_share(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise max-gate share: 1 where a > b, 1/2 at ties, 0 elsewhere."""
    dtype = np.result_type(a, b, np.float32)
    return (np.greater(a, b) + 0.5 * np.equal(a, b)).astype(dtype, copy=False)


def array_step(a: np.ndarray) -> np.ndarray:
    """Elementwise 1 where a > 0, else 0, in a's dtype."""
    a = np.asarray(a)
    return (a > 0).astype(a.dtype)


ARRAY = SimpleNamespace(
    name="array",
    div=_silent(np.divide),
    pow=_silent(np.power),
    exp=_silent(np.exp),
    log=_silent(np.log),
    tanh=np.tanh,
    sigmoid=_silent(array_sigmoid),
    step=array_step,
    sign=np.sign,
    share=array_share,
    maximum=np.maximum,
    minimum=np.minimum,
    abs=np.abs,
)
"""Backend for rules evaluated on numpy arrays (used by Tensor)."""


# ---------------------------------------------------------------------------
# ARRAY's matrix functions: what the Tensor rules of ``autograd.tensor_ops`` use
# besides arithmetic, ``@``, indexing, ``.T``, ``.reshape``, ``.transpose`` and
# ``.sum(axis=, keepdims=)`` (which arrays and Tensors both have).  The Tensor
# backend (``autograd.tensor_backend.TENSOR``) has the same names, recording
# each one as an operation so that gradients can be differentiated again.
_ONES: dict[tuple[int, np.dtype], np.ndarray] = {}


def _sum_leading(g: np.ndarray, extra: int) -> np.ndarray:
    """Sum over the first ``extra`` axes as the product 1^T G (one BLAS call: the batch sum
    of a bias gradient, dL/db = 1^T G)."""
    shape = g.shape
    rest = shape[extra:]
    n = shape[0] if extra == 1 else math.prod(shape[:extra])
    if g.size == 0 or g.dtype.itemsize not in (4, 8):
        return np.add.reduce(g, axis=tuple(range(extra)))
    key = (n, g.dtype)
    ones = _ONES.get(key)
    if ones is None:
        if len(_ONES) > 64:
            _ONES.clear()
        ones = _ONES[key] = np.ones(n, dtype=g.dtype)
        ones.setflags(write=False)
    return (ones @ g.reshape(n, -1)).reshape(rest)


def array_sum_to(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``g`` summed over the dimensions numpy broadcasting added or stretched, giving
    ``shape`` ("unbroadcast"); a ``g`` smaller than ``shape`` is broadcast up instead."""
    extra = g.ndim - len(shape)
    if extra >= 0:
        if extra:
            g = _sum_leading(g, extra)
        if g.shape != shape:
            stretched = tuple(k for k, n in enumerate(shape) if n == 1 and g.shape[k] != 1)
            if stretched and len(g.shape) == len(shape):
                g = np.add.reduce(g, axis=stretched, keepdims=True)
        if g.shape == shape:
            return g
    return np.broadcast_to(g, shape).copy()  # a rule returned a gradient smaller than its input


def array_broadcast_to(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """A new array of ``shape`` holding ``a`` broadcast (cheaper than broadcast_to + copy)."""
    a = np.asarray(a)
    out = np.empty(shape, dtype=a.dtype)
    out[...] = a
    return out


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


def array_scatter_add(g: np.ndarray, index: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Zeros of ``shape`` with ``g`` added at ``index``; repeated indices accumulate
    (the gradient of ``a[index]``)."""
    g = np.asarray(g)
    out = np.zeros(shape, dtype=g.dtype)
    if _is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def array_logsumexp(a: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    """log Σ exp(a) computed as m + log Σ exp(a - m), m the max: never overflows."""
    m = a.max(axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0).astype(a.dtype, copy=False)
    with np.errstate(divide="ignore"):
        s = np.log(np.exp(a - m).sum(axis=axis, keepdims=True)) + m
    if not keepdims:
        s = s.reshape(()) if axis is None else s.squeeze(axis)
    return np.asarray(s)


ARRAY.sum_to = array_sum_to
ARRAY.broadcast_to = array_broadcast_to
ARRAY.scatter_add = array_scatter_add
ARRAY.logsumexp = array_logsumexp
ARRAY.concatenate = lambda arrays, axis: np.concatenate(arrays, axis=axis)
ARRAY.stack = lambda arrays, axis: np.stack(arrays, axis=axis)
# Conditions and selection.  The engine's elementwise block adds these same four to
# every backend; until it does, the Tensor rules find them here.
ARRAY.where = np.where
ARRAY.gt = np.greater
ARRAY.ge = np.greater_equal
ARRAY.eq = np.equal
