"""The arithmetic that operation rules are evaluated with.

Every forward and gradient rule in ``autograd.ops`` is written over plain
arithmetic (``+ - * /`` on its arguments) plus the few functions of a
*backend* ``K`` passed as the rule's first argument:

* ``K.div``, ``K.pow``, ``K.exp``, ``K.log``, ``K.tanh``, ``K.sigmoid``,
  ``K.maximum``, ``K.minimum``, ``K.abs`` and ``K.sign``;
* ``K.where(cond, x, y)``: ``x`` where ``cond`` holds, else ``y``, chosen by
  *selection*, never by multiplying with 0 or 1, so a blocked gradient is
  exactly 0 even when the other branch is inf or nan (a "mask");
* the conditions ``K.gt(a, b)`` (a > b), ``K.ge(a, b)`` (a >= b),
  ``K.eq(a, b)`` (a == b) and ``K.both(p, q)`` (p and q), read from the data
  and never differentiated.

The same rule then runs on

* Python floats, with :data:`FLOAT` (IEEE-754 results like numpy: ``1/0`` is
  ``inf``, ``log(0)`` is ``-inf``, ``exp(1000)`` is ``inf``; never a
  ``ZeroDivisionError``, ``OverflowError`` or math domain error),
* numpy arrays, with :data:`ARRAY` (numpy's own IEEE semantics, warnings off),
* Values, for higher-order gradients (``autograd.value.VALUE``),
* symbols, for generated code (``autograd.codegen.SYMBOL``).
"""
from __future__ import annotations

import math
import operator
from types import SimpleNamespace

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


FLOAT = SimpleNamespace(
    name="float",
    div=float_div,
    pow=float_pow,
    exp=float_exp,
    log=float_log,
    tanh=math.tanh,
    sigmoid=float_sigmoid,
    maximum=float_maximum,
    minimum=float_minimum,
    abs=abs,
    sign=float_sign,
    where=float_where,
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
    """Elementwise a**b as C's pow (and Python, torch): numpy's power computes x**0.5 as
    sqrt(x) (in some loops), which gives nan at -inf and -0.0 at -0.0 where pow gives
    inf and 0.0; those two points are put right."""
    out = np.power(a, b)
    odd = (np.equal(b, 0.5) & (np.equal(a, 0) | np.equal(a, -np.inf)))
    return np.where(odd, np.abs(a), out) if odd.any() else out


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


ARRAY = SimpleNamespace(
    name="array",
    div=_silent(np.divide),
    pow=_silent(array_pow),
    exp=_silent(np.exp),
    log=_silent(np.log),
    tanh=np.tanh,
    sigmoid=_silent(array_sigmoid),
    maximum=array_maximum,
    minimum=array_minimum,
    abs=np.abs,
    sign=array_sign,
    where=np.where,
    gt=np.greater,
    ge=np.greater_equal,
    eq=np.equal,
    both=np.logical_and,
)
"""Backend for rules evaluated on numpy arrays (used by Tensor)."""
