"""How far two correct float64 engines may differ on a graph: a running error bound.

chainrule and torch compute ``tanh``, ``exp`` and ``sigmoid`` with different
libraries (they differ in the last bit now and then) and add gradient
contributions in a different order.  Where a result cancels (``1 - tanh(x)^2``
for large x, ``1e300 + 2.5 - 1e300``), such last-bit differences become large
relative differences, and neither engine is wrong.  So the parity check asks
for agreement within the rounding error the computation can have.

The bound is found by running the *engine's own rules* (``autograd.core.ops``) on
:class:`Err` numbers, which carry a value and a bound on its absolute error
(first-order running error analysis, as in Higham's *Accuracy and Stability
of Numerical Algorithms*, ch. 3): each operation adds the error it propagates
from its inputs and the rounding of its own result.  A condition that the
errors make undecidable (``a > b`` with ``|a - b|`` below their errors) widens
the bound of what depends on it to cover both choices.  Results that are inf
or nan carry no bound: they must agree exactly, except a division whose divisor
may be 0 (or is 0 with the dividend's sign unknown): its result is *undecided*
(inf, -inf or nan), and it and everything computed from it are not compared.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from tests.strategies import GRAPH_OPS as OPS

U = 2.0**-53
"""Unit roundoff of float64: + - * / round with relative error at most U."""
LIBRARY = 4 * U
"""Relative error allowed to a library function (exp, log, tanh, pow): 2 ulp."""


def _fix(v: np.ndarray, e: np.ndarray) -> np.ndarray:
    """No bound on non-finite results (they must match exactly); an incomputable
    bound (nan, from inf * 0) means "unknown": inf."""
    with np.errstate(all="ignore"):
        e = np.where(np.isnan(e), np.inf, e)
        return np.where(np.isfinite(v), e, 0.0)


class Err:
    """A float64 value (array) with a bound on its absolute error."""

    __slots__ = ("v", "e", "u")

    def __init__(self, v: Any, e: Any = 0.0, *sources: "Err", undecided: Any = False) -> None:
        """``sources``: the inputs it was computed from, whose undecided entries it inherits."""
        self.v = np.asarray(v, dtype=np.float64)
        self.e = _fix(self.v, np.broadcast_to(np.asarray(e, dtype=np.float64), self.v.shape))
        u = np.asarray(undecided, dtype=bool)
        for source in sources:
            u = u | source.u
        self.u = np.broadcast_to(u, self.v.shape) if u.any() else np.zeros(self.v.shape, dtype=bool)

    @property
    def bound(self) -> np.ndarray:
        """The bound to compare with: inf (not compared) where the result is undecided."""
        return np.where(self.u, np.inf, self.e)

    @staticmethod
    def of(x: Any) -> "Err":
        return x if isinstance(x, Err) else Err(x)

    def _new(self, v: np.ndarray, propagated: np.ndarray, other: "Err") -> "Err":
        return Err(v, propagated + U * np.abs(v), self, other)

    def __add__(self, other: Any) -> "Err":
        o = Err.of(other)
        with np.errstate(all="ignore"):
            return self._new(self.v + o.v, self.e + o.e, o)

    __radd__ = __add__

    def __sub__(self, other: Any) -> "Err":
        o = Err.of(other)
        with np.errstate(all="ignore"):
            return self._new(self.v - o.v, self.e + o.e, o)

    def __rsub__(self, other: Any) -> "Err":
        return Err.of(other) - self

    def __mul__(self, other: Any) -> "Err":
        o = Err.of(other)
        with np.errstate(all="ignore"):
            return self._new(self.v * o.v, _times(np.abs(self.v), o.e) + _times(np.abs(o.v), self.e)
                             + _times(self.e, o.e), o)

    __rmul__ = __mul__

    def __neg__(self) -> "Err":
        return Err(-self.v, self.e, self)


def _times(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a * b for error terms, where a zero error times an infinite size is zero."""
    return np.where((a == 0) | (b == 0), 0.0, a * b)


class Cond:
    """A condition on the data, and where the errors leave it undecided."""

    __slots__ = ("v", "unsure")

    def __init__(self, v: Any, unsure: Any) -> None:
        self.v = np.asarray(v, dtype=bool)
        self.unsure = np.asarray(unsure, dtype=bool)


def _compare(test: Any) -> Any:
    def compare(a: Any, b: Any) -> Cond:
        a, b = Err.of(a), Err.of(b)
        with np.errstate(all="ignore"):
            unsure = (a.v != b.v) & (np.abs(a.v - b.v) <= a.e + b.e)
        return Cond(test(a.v, b.v), unsure)
    return compare


def _where(cond: Cond, x: Any, y: Any) -> Err:
    x, y = Err.of(x), Err.of(y)
    v = np.where(cond.v, x.v, y.v)
    with np.errstate(all="ignore"):
        either = np.maximum(x.e, y.e) + np.abs(x.v - y.v)
    either = np.where(np.isfinite(x.v) & np.isfinite(y.v), either, np.inf)
    return Err(v, np.where(cond.unsure, either, np.where(cond.v, x.e, y.e)), x, y)


def _function(f: Any, slope: Any) -> Any:
    """A library function: error |f'(a)| * e(a) from the input, plus 2 ulp of its own."""
    def apply(a: Any) -> Err:
        a = Err.of(a)
        with np.errstate(all="ignore"):
            v = f(a.v)
            return Err(v, _times(np.abs(slope(a.v, v, a.e)), a.e) + LIBRARY * np.abs(v), a)
    return apply


def _div(a: Any, b: Any) -> Err:
    a, b = Err.of(a), Err.of(b)
    with np.errstate(all="ignore"):
        v = a.v / b.v
        room = np.abs(b.v) - b.e  # the smallest |b| can be
        e = np.where(room > 0, (a.e + _times(np.abs(v), b.e)) / room, np.inf)
        # b may be 0, or is 0 with the sign of a unknown: inf, -inf or nan, undecided
        undecided = ((b.e > 0) & ~(room > 0)) | ((b.v == 0) & (a.e > 0) & (a.e >= np.abs(a.v)))
        return Err(v, np.where((a.e == 0) & (b.e == 0), 0.0, e) + U * np.abs(v), a, b, undecided=undecided)


def _pow(a: Any, b: Any) -> Err:
    a, b = Err.of(a), Err.of(b)
    with np.errstate(all="ignore"):
        v = np.power(a.v, b.v)
        spans_zero = (a.e > 0) & (np.abs(a.v) <= a.e)
        from_a = _times(np.abs(b.v * np.power(np.abs(a.v) + a.e, b.v - 1)), a.e)
        from_b = _times(np.abs(v * np.log(np.abs(a.v))) * (1 + b.e), b.e)
        e = np.where(spans_zero, np.inf, from_a + from_b)
        return Err(v, e + LIBRARY * np.abs(v), a, b)


def _sign(a: Any) -> Err:
    a = Err.of(a)
    v = (a.v > 0).astype(float) - (a.v < 0).astype(float)
    return Err(v, np.where((a.v != 0) & (np.abs(a.v) <= a.e), 1.0, 0.0), a)


def _extreme(pick: Any) -> Any:
    def apply(a: Any, b: Any) -> Err:  # 1-Lipschitz in each input
        a, b = Err.of(a), Err.of(b)
        return Err(pick(b.v, a.v), np.maximum(a.e, b.e), a, b)
    return apply


ERR = SimpleNamespace(
    name="error bound",
    div=_div,
    pow=_pow,
    exp=_function(np.exp, lambda a, v, e: v * np.exp(e)),
    log=_function(np.log, lambda a, v, e: np.where(np.abs(a) > e, 1 / (np.abs(a) - e), np.inf)),
    tanh=_function(np.tanh, lambda a, v, e: np.minimum(1.0, 1 - v * v + 2 * e)),
    sigmoid=_function(lambda a: 1 / (1 + np.exp(-a)), lambda a, v, e: np.minimum(0.25, v * (1 - v) + e)),
    maximum=_extreme(np.maximum),
    minimum=_extreme(np.minimum),
    abs=lambda a: Err(np.abs(Err.of(a).v), Err.of(a).e, Err.of(a)),
    sign=_sign,
    where=_where,
    gt=_compare(np.greater),
    ge=_compare(np.greater_equal),
    eq=_compare(np.equal),
    both=lambda p, q: Cond(p.v & q.v, p.unsure | q.unsure),
)
"""The backend that runs the engine's rules on :class:`Err` numbers."""


def _summed(x: Err, axis: Any, keepdims: bool) -> Err:
    """Σ over ``axis`` in any order: the errors add up, plus U |partial sums| per addition."""
    n = x.v.size if axis is None else x.v.shape[axis] if isinstance(axis, int) else \
        int(np.prod([x.v.shape[k] for k in axis]))
    with np.errstate(all="ignore"):
        v = x.v.sum(axis=axis, keepdims=keepdims)
        e = x.e.sum(axis=axis, keepdims=keepdims) + n * U * np.abs(x.v).sum(axis=axis, keepdims=keepdims)
    return Err(v, e, undecided=x.u.any(axis=axis, keepdims=keepdims))


def _to_shape(g: Err, shape: tuple) -> Err:
    """A gradient summed back over the dimensions broadcasting added."""
    extra = g.v.ndim - len(shape)
    if extra:
        g = _summed(g, tuple(range(extra)), False)
    stretched = tuple(k for k, n in enumerate(shape) if n == 1 and g.v.shape[k] != 1)
    if stretched:
        g = _summed(g, stretched, True)
    return g


def bounds(graph: Any) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Error bounds of every register's value and gradient of ``graph``."""
    regs = [Err(v) for v in graph.leaves]
    needs = [not c for c in graph.constant]
    grads: list[Err | None] = [None] * len(regs)
    for kind, name, operands, extra in graph.steps:
        args = [regs[x] if t == "r" else Err(x) for t, x in operands]
        if kind == "reduce":
            axis, keepdims = extra
            out = _summed(args[0], axis, keepdims)
            if name == "mean":
                out = ERR.div(out, float(args[0].v.size // max(out.v.size, 1)))
        else:
            out = OPS[name].forward(ERR, *args)
        regs.append(out)
        needs.append(any(needs[x] for t, x in operands if t == "r"))
        grads.append(None)
    grads[-1] = Err(np.asarray(graph.seed, dtype=np.float64))
    for k in range(len(regs) - 1, len(graph.leaves) - 1, -1):
        kind, name, operands, extra = graph.steps[k - len(graph.leaves)]
        g = grads[k]
        if g is None or not needs[k]:
            continue
        inputs = [regs[x] if t == "r" else Err(x) for t, x in operands]
        for i, (t, x) in enumerate(operands):
            if t != "r" or not needs[x]:
                continue
            if kind == "reduce":
                axis, keepdims = extra
                n = inputs[0].v.size // max(regs[k].v.size, 1)
                back = g if keepdims or axis is None else Err(np.expand_dims(g.v, axis), np.expand_dims(g.e, axis),
                                                              undecided=np.expand_dims(g.u, axis))
                back = Err(np.broadcast_to(back.v, inputs[0].v.shape), np.broadcast_to(back.e, inputs[0].v.shape),
                           undecided=np.broadcast_to(back.u, inputs[0].v.shape))
                contribution = ERR.div(back, float(n)) if name == "mean" else back
            else:
                contribution = OPS[name].vjp(ERR, g, regs[k], inputs, [j == i for j in range(len(inputs))])[i]
                contribution = _to_shape(Err.of(contribution) + Err(np.zeros(regs[x].v.shape)),
                                         regs[x].v.shape)
            grads[x] = contribution if grads[x] is None else grads[x] + contribution
    zero = [np.zeros(r.v.shape) for r in regs]
    return [r.bound for r in regs], [z if g is None else g.bound for g, z in zip(grads, zero)]
