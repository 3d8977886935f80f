"""Hypothesis strategies shared by the tests: numbers and random expressions.

An expression is drawn as a small program over the variables ``v[0..n)``;
``build(expr, v)`` evaluates it on Values, on plain floats or on torch tensors
(anything with ``+ - * /`` and methods ``tanh``, ``sigmoid``, ``exp``...).
Variables may appear several times (fan-out).  ``smooth`` expressions avoid
kinks and overflow so that central differences are accurate.
"""
from __future__ import annotations

from typing import Any, Callable

from hypothesis import strategies as st

small = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.1, max_value=5.0, allow_nan=False, allow_infinity=False)

Expr = tuple  # ("var", i) | ("const", c) | (op_name, *children)

SMOOTH_UNARY = ["tanh", "sigmoid", "neg", "square", "softexp"]
SMOOTH_BINARY = ["add", "sub", "mul", "safediv", "sumsq"]
KINKED_UNARY = ["relu", "abs"]
KINKED_BINARY = ["max", "min"]


def expressions(n_vars: int, smooth: bool = True, max_leaves: int = 10) -> st.SearchStrategy:
    """Random expression trees over ``n_vars`` variables."""
    unary = SMOOTH_UNARY + ([] if smooth else KINKED_UNARY)
    binary = SMOOTH_BINARY + ([] if smooth else KINKED_BINARY)
    leaves = st.one_of(
        st.tuples(st.just("var"), st.integers(0, n_vars - 1)),
        st.tuples(st.just("const"), st.floats(-2.0, 2.0, allow_nan=False).map(lambda c: round(c, 3))),
    )

    def extend(children: st.SearchStrategy) -> st.SearchStrategy:
        return st.one_of(
            st.tuples(st.sampled_from(unary), children),
            st.tuples(st.sampled_from(binary), children, children),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)


def build(expr: Expr, v: list, maximum: Callable[[Any, Any], Any] | None = None,
          minimum: Callable[[Any, Any], Any] | None = None) -> Any:
    """Evaluate ``expr`` with variables ``v``.  ``maximum``/``minimum`` default to ``a.max(b)``."""
    kind = expr[0]
    if kind == "var":
        return v[expr[1]]
    if kind == "const":
        return expr[1]
    args = [build(e, v, maximum, minimum) for e in expr[1:]]
    a = args[0]
    b = args[1] if len(args) > 1 else None
    if kind == "tanh":
        return _method(a, "tanh")
    if kind == "sigmoid":
        return _method(a, "sigmoid")
    if kind == "neg":
        return -a
    if kind == "square":
        return a * a
    if kind == "softexp":  # exp of a bounded argument: never overflows
        return _method(_method(a, "tanh"), "exp")
    if kind == "relu":
        return _method(a, "relu")
    if kind == "abs":
        return _method(a, "abs")
    if kind == "add":
        return a + b
    if kind == "sub":
        return a - b
    if kind == "mul":
        return a * b
    if kind == "safediv":  # denominator >= 1
        return a / (b * b + 1)
    if kind == "sumsq":
        return (a * a + b * b + 1) ** 0.5
    if kind == "max":
        return (maximum or (lambda x, y: _method(x, "max", y)))(a, b)
    if kind == "min":
        return (minimum or (lambda x, y: _method(x, "min", y)))(a, b)
    raise ValueError(kind)


def _method(x: Any, name: str, *args: Any) -> Any:
    """``x.name(*args)``; on plain numbers computed as a constant and returned as a float."""
    if isinstance(x, (int, float)):
        if args and not isinstance(args[0], (int, float)):  # max/min are symmetric
            return getattr(args[0], name)(x)
        from autograd import Value

        return getattr(Value(x, requires_grad=False), name)(*args).data
    return getattr(x, name)(*args)
