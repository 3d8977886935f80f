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
* symbols, for generated code (``autograd.codegen.SYMBOL``).
"""
from __future__ import annotations

import math
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
