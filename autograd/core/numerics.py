"""The arithmetic that operation rules are evaluated with.

Every forward and gradient rule in ``autograd.core.ops`` is written over plain
arithmetic (``+ - * /`` on its arguments) plus the few functions of a
*backend* ``K`` passed as the rule's first argument:

* ``K.div``, ``K.pow``, ``K.pow_scalar``, ``K.exp``, ``K.log``, ``K.tanh``,
  ``K.sigmoid``, ``K.maximum``, ``K.minimum``, ``K.abs`` and ``K.sign``
  (``K.pow`` is torch's pow of two tensors, C's pow; ``K.pow_scalar`` torch's
  ``x ** b`` for a Python number b, which takes sqrt at b = 0.5 and -0.5);
* ``K.where(cond, x, y)``: ``x`` where ``cond`` holds, else ``y``, chosen by
  *selection*, never by multiplying with 0 or 1, so a blocked gradient is
  exactly 0 even when the other branch is inf or nan (a "mask");
* ``K.choose(cond, x, y)``: the same choice for a condition on plain numbers (a
  Python-number exponent), made once: the graph backends record no selection;
* the conditions ``K.gt(a, b)`` (a > b), ``K.ge(a, b)`` (a >= b),
  ``K.eq(a, b)`` (a == b) and ``K.both(p, q)`` (p and q), read from the data
  and never differentiated.

The same rule then runs on

* Python floats, with :data:`FLOAT` (IEEE-754 results like numpy: ``1/0`` is
  ``inf``, ``log(0)`` is ``-inf``, ``exp(1000)`` is ``inf``; never a
  ``ZeroDivisionError``, ``OverflowError`` or math domain error),
* numpy arrays, with :data:`ARRAY` (numpy's own IEEE semantics, warnings off),
* Values, for higher-order gradients (``autograd.core.value.VALUE``),
* Tensors, for higher-order gradients of Tensor graphs
  (``autograd.core.tensor.TENSOR``),
* symbols, for generated code (``autograd.speed.codegen.SYMBOL``).

The Tensor rules of ``autograd.core.tensor_ops`` need a few more functions (sum a
gradient back to a shape, scatter it back into zeros ...); :data:`ARRAY`'s
versions are in the block at the end of this file.
"""
from __future__ import annotations

import math
import operator
from types import SimpleNamespace
from typing import Any, Protocol

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
    """a ** b as ``torch.pow(tensor, tensor)`` (the exponent a node): C's pow, with IEEE
    semantics (0**-1 is inf, (-8)**(1/3) is nan, overflow is inf, (-0.0)**0.5 is 0.0,
    (-inf)**0.5 is inf)."""
    try:
        r = a**b
    except (ZeroDivisionError, OverflowError):
        return _ieee(np.power, a, b)
    return _NAN if type(r) is complex else float(r)


def float_pow_scalar(a: float, b: float) -> float:
    """a ** b as torch's ``x ** b`` with a Python-number exponent (pow.Tensor_Scalar):
    :func:`float_pow`, except that b = 0.5 is sqrt(a) and b = -0.5 is 1/sqrt(a), as torch
    computes them: at a = -0.0 they give -0.0 and -inf (pow: 0.0 and inf), at a = -inf
    nan (pow: inf and 0.0)."""
    if b == 0.5 or b == -0.5:
        root = _NAN if a < 0 else math.sqrt(a)  # math.sqrt(-0.0) is -0.0
        return root if b > 0 else float_div(1.0, root)
    return float_pow(a, b)


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
    """1 / (1 + e**-a), as torch computes it: e**-a overflows to inf for a < -709,
    giving exactly 0.0, without an exception."""
    return 1.0 / (1.0 + float_exp(-a))


def float_sign(a: float) -> float:
    """1.0 if a > 0, -1.0 if a < 0, else 0.0 (also at -0.0 and nan, as torch's sign)."""
    return 1.0 if a > 0 else (-1.0 if a < 0 else 0.0)


def float_maximum(a: float, b: float) -> float:
    """The larger of a and b as torch.maximum: nan if either is nan, ``a`` at a tie
    (so max(0.0, -0.0) is 0.0 and max(-0.0, 0.0) is -0.0)."""
    return a if (a >= b or a != a) else b


def float_minimum(a: float, b: float) -> float:
    """The smaller of a and b as torch.minimum: nan if either is nan, ``a`` at a tie."""
    return a if (a <= b or a != a) else b


def float_both(p: bool, q: bool) -> bool:
    """p and q (two conditions on the data)."""
    return p and q


def float_where(cond: bool, x: float, y: float) -> float:
    """``x`` if ``cond`` else ``y``: a selection, so the unchosen one never leaks (0 * inf)."""
    return x if cond else y


class Backend(Protocol):
    """What every backend ``K`` gives the rules (see the module docstring).  The
    backends are plain namespaces of functions: :data:`FLOAT`, :data:`ARRAY`,
    ``autograd.core.value.VALUE``, ``autograd.core.tensor.TENSOR`` and
    ``autograd.speed.codegen.SYMBOL``; code that must know which one it was
    given compares identities (``K is SYMBOL``)."""

    name: str

    def div(self, a: Any, b: Any) -> Any: ...
    def pow(self, a: Any, b: Any) -> Any: ...
    def pow_scalar(self, a: Any, b: Any) -> Any: ...
    def exp(self, a: Any) -> Any: ...
    def log(self, a: Any) -> Any: ...
    def tanh(self, a: Any) -> Any: ...
    def sigmoid(self, a: Any) -> Any: ...
    def maximum(self, a: Any, b: Any) -> Any: ...
    def minimum(self, a: Any, b: Any) -> Any: ...
    def abs(self, a: Any) -> Any: ...
    def sign(self, a: Any) -> Any: ...
    def where(self, cond: Any, x: Any, y: Any) -> Any: ...
    def choose(self, cond: Any, x: Any, y: Any) -> Any: ...
    def gt(self, a: Any, b: Any) -> Any: ...
    def ge(self, a: Any, b: Any) -> Any: ...
    def eq(self, a: Any, b: Any) -> Any: ...
    def both(self, p: Any, q: Any) -> Any: ...


class MatrixBackend(Backend, Protocol):
    """What the Tensor rules of ``autograd.core.tensor_ops`` need besides: :data:`ARRAY`
    and ``TENSOR`` have these (their meaning is in ARRAY's block at the end of this file)."""

    def sum_to(self, a: Any, shape: tuple[int, ...]) -> Any: ...
    def broadcast_to(self, a: Any, shape: tuple[int, ...]) -> Any: ...
    def scatter_add(self, g: Any, index: Any, shape: tuple[int, ...]) -> Any: ...
    def logsumexp(self, a: Any, axis: Any, keepdims: bool) -> Any: ...
    def concatenate(self, arrays: Any, axis: int) -> Any: ...
    def stack(self, arrays: Any, axis: int) -> Any: ...


FLOAT = SimpleNamespace(
    name="float",
    div=float_div,
    pow=float_pow,
    pow_scalar=float_pow_scalar,
    exp=float_exp,
    log=float_log,
    tanh=math.tanh,
    sigmoid=float_sigmoid,
    maximum=float_maximum,
    minimum=float_minimum,
    abs=abs,
    sign=float_sign,
    where=float_where,
    choose=float_where,
    gt=operator.gt,
    ge=operator.ge,
    eq=operator.eq,
    both=float_both,
)
"""Backend for rules evaluated on Python floats."""


def _silent(fn):
    def wrapped(*args):
        with np.errstate(all="ignore"):
            return fn(*args)

    wrapped.__name__ = getattr(fn, "__name__", "ufunc")
    return wrapped


def array_sigmoid(a: np.ndarray) -> np.ndarray:
    """Elementwise 1 / (1 + e**-a), as torch computes it; where e**-a overflows to inf
    the result is exactly 0 (the overflow warning is silenced by ``_silent``)."""
    return 1.0 / (1.0 + np.exp(-np.asarray(a)))


def array_pow(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise a**b as :func:`float_pow` (``torch.pow(tensor, tensor)``): C's pow.
    numpy's power takes sqrt(a) (and 1/sqrt(a)) where one exponent 0.5 (-0.5) serves a
    whole inner loop (a single or broadcast exponent), which differs from C's pow only at
    a = -0.0 and -inf: those entries are set to C's pow (0.0 and inf; inf and 0.0)."""
    out = np.power(a, b)
    half = np.equal(b, 0.5) | np.equal(b, -0.5)
    if not half.any():
        return out
    fix = half & ((np.equal(a, 0.0) | np.equal(a, -_INF)))
    c_pow = np.where(np.equal(a, 0.0) == np.greater(b, 0.0), 0.0, _INF)  # 0**0.5, (-inf)**-0.5: 0
    return np.where(fix, c_pow, out).astype(out.dtype, copy=False)


def array_pow_scalar(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise a**b as :func:`float_pow_scalar` (torch's ``x ** b``, b a Python number):
    C's pow, except that b = 0.5 is sqrt(a) and b = -0.5 is 1/sqrt(a)."""
    if getattr(b, "ndim", 0) == 0:  # one exponent for all, the usual case (x**2)
        if b == 0.5:
            return np.sqrt(a)
        return 1.0 / np.sqrt(a) if b == -0.5 else np.power(a, b)
    out = np.power(a, b)
    half, minus_half = np.equal(b, 0.5), np.equal(b, -0.5)
    if not (half.any() or minus_half.any()):
        return out
    root = np.sqrt(a)
    return np.where(half, root, np.where(minus_half, 1.0 / root, out))


def array_sign(a: np.ndarray) -> np.ndarray:
    """Elementwise 1, -1 or 0 in a's dtype; 0 at -0.0 and nan, as torch's sign
    (numpy's sign gives nan at nan)."""
    a = np.asarray(a)
    return (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)


def array_maximum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise torch.maximum: nan if either is nan, ``a`` at a tie.  numpy's
    maximum returns its second argument at a tie (0.0 vs -0.0), hence the swap."""
    return np.maximum(b, a)


def array_minimum(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise torch.minimum: nan if either is nan, ``a`` at a tie."""
    return np.minimum(b, a)


def _is_plus_zero(x: object) -> bool:
    return type(x) is float and x == 0.0 and math.copysign(1.0, x) > 0


def array_where(cond: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Elementwise ``x`` where ``cond`` holds, else ``y``: numpy.where.

    A gate blocks a gradient with the number 0.0 on one side (relu, max, min, pow).
    On a large array the other side's bits are then kept or cleared by an integer
    AND with an all-ones/all-zeros mask: exactly numpy.where's result (+0.0 where
    blocked, the other value bit for bit elsewhere), about three times faster."""
    if type(cond) is np.bool_:  # one condition for all (pow's exponent is one number)
        chosen, other = (x, y) if cond else (y, x)
        if type(chosen) is np.ndarray and chosen.dtype.kind == "f" and type(other) is float:
            return chosen  # what numpy.where gives (a number takes the array's dtype), no copy
    elif type(cond) is np.ndarray and cond.size >= 4096 and cond.dtype == bool:
        if _is_plus_zero(x):
            return _zero_where(cond, y, (cond, x, y))
        if _is_plus_zero(y):
            return _zero_where(~cond, x, (cond, x, y))
    return np.where(cond, x, y)


def _zero_where(blocked: np.ndarray, values: Any, where_args: tuple) -> np.ndarray:
    """``values`` with +0.0 where ``blocked``, by masking bits (numpy.where(*where_args)
    when ``values`` is not a contiguous float array of ``blocked``'s shape)."""
    if (type(values) is not np.ndarray or values.shape != blocked.shape or values.dtype.kind != "f"
            or values.dtype.itemsize not in (4, 8) or not values.flags.c_contiguous):
        cond, x, y = where_args
        return np.where(cond, x, y)
    ints = np.int32 if values.dtype.itemsize == 4 else np.int64
    mask = blocked.astype(ints)
    mask -= 1  # blocked: 1 -> 0 (no bit kept), else 0 -> -1 (every bit kept)
    return np.bitwise_and(values.view(ints), mask, out=mask).view(values.dtype)


ARRAY = SimpleNamespace(
    name="array",
    div=_silent(np.divide),
    pow=_silent(array_pow),
    pow_scalar=_silent(array_pow_scalar),
    exp=_silent(np.exp),
    log=_silent(np.log),
    tanh=np.tanh,
    sigmoid=_silent(array_sigmoid),
    maximum=array_maximum,
    minimum=array_minimum,
    abs=np.abs,
    sign=array_sign,
    where=array_where,
    choose=array_where,
    gt=np.greater,
    ge=np.greater_equal,
    eq=np.equal,
    both=np.logical_and,
)
"""Backend for rules evaluated on numpy arrays (used by Tensor)."""


# ---------------------------------------------------------------------------
# ARRAY's matrix functions: what the Tensor rules of ``autograd.core.tensor_ops`` use
# besides arithmetic, ``@``, indexing, ``.T``, ``.reshape``, ``.transpose`` and
# ``.sum(axis=, keepdims=)`` (which arrays and Tensors both have).  The Tensor
# backend (``autograd.core.tensor.TENSOR``) has the same names, recording
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
