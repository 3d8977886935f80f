"""Hypothesis strategies shared by the tests: numbers and random expressions.

An expression is drawn as a small program over the variables ``v[0..n)``;
``build(expr, v)`` evaluates it on Values, on plain floats or on torch tensors
(anything with ``+ - * /`` and methods ``tanh``, ``sigmoid``, ``exp``...).
Variables may appear several times (fan-out).  ``smooth`` expressions avoid
kinks and overflow so that central differences are accurate.

``graphs()`` draws whole graphs over every operation at special points (0,
-0.0, ties, inf, nan, huge and tiny magnitudes), for Values or for Tensors
with broadcasting; ``tests/parity.py`` runs them here and in torch.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from hypothesis import strategies as st

from autograd.core import ops

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


# -- random graphs with special points (compared with torch in tests/parity.py) --------
SPECIAL = (0.0, -0.0, 1.0, -1.0, 2.0, 0.5, -2.5, 3.0, math.inf, -math.inf, math.nan,
           1e300, -1e300, 700.0, -700.0, 1e-300, 5e-324)
"""Points where rules break first: signed zeros, infinities, nan, overflow and underflow
magnitudes, and small numbers that recur (so ties are common)."""

special = st.one_of(st.sampled_from(SPECIAL), st.floats(-10.0, 10.0, allow_nan=False))
upstream = st.one_of(st.sampled_from((math.inf, -math.inf, math.nan)), special)
"""A seed gradient: inf or nan half of the time (as a log(0) further on would send)."""

EXPONENTS = (0.5, -0.5, 1.5, -1.5, 2.0, 3.0, 0.0, -0.0, 1.0, -1.0, -2.0, math.inf, -math.inf, math.nan)
"""Plain-number exponents of pow (torch's pow.Tensor_Scalar; ±0.5 are sqrt there)."""

GRAPH_UNARY = ("neg", "exp", "log", "tanh", "sigmoid", "relu", "abs")
GRAPH_BINARY = ("add", "sub", "mul", "div", "pow", "max", "min")
GRAPH_VARIADIC = ("linear", "sum")   # Value only
GRAPH_REDUCE = ("sum", "mean")       # Tensor only
SHAPES = ((), (1,), (3,), (2, 1), (1, 3), (2, 3))
GRAPH_OPS = {"neg": ops.NEG, "exp": ops.EXP, "log": ops.LOG, "tanh": ops.TANH, "sigmoid": ops.SIGMOID,
             "relu": ops.RELU, "abs": ops.ABS, "add": ops.ADD, "sub": ops.SUB, "mul": ops.MUL,
             "div": ops.DIV, "pow": ops.POW, "max": ops.MAX, "min": ops.MIN, "linear": ops.LINEAR,
             "sum": ops.SUM}
"""The operation each step name of a Value graph stands for (``reduce`` steps are Tensor methods)."""


@dataclass(frozen=True)
class Graph:
    """A random expression graph as a program over registers.

    Registers ``0 .. len(leaves)-1`` are the leaves (``leaves[k]`` a float or a
    nested list; ``constant[k]`` says it needs no gradient); each step appends a
    register.  A step is ``(kind, name, operands, extra)``: ``kind`` is
    "unary", "binary", "variadic" or "reduce"; an operand is ``("r", k)`` (register
    ``k``, so registers are reused) or ``("c", number)`` (a plain constant);
    ``extra`` is ``(axis, keepdims)`` for a reduction.  The last register is the
    output (the registers no step reads are added into it, so every step
    counts); ``seed`` is the gradient it is given (inf and nan included).
    """

    tensor: bool
    leaves: tuple
    constant: tuple
    steps: tuple
    seed: Any

    def __str__(self) -> str:
        lines = [f"r{k} = {'const ' if c else ''}{v!r}" for k, (v, c) in enumerate(zip(self.leaves, self.constant))]
        for k, (kind, name, operands, extra) in enumerate(self.steps, start=len(self.leaves)):
            args = ", ".join(f"r{x}" if t == "r" else repr(x) for t, x in operands)
            lines.append(f"r{k} = {name}({args}{', ' + repr(extra) if extra else ''})")
        lines.append(f"backward(gradient={self.seed!r})")
        return "\n".join(lines)


def _array(draw: Callable, shape: tuple, numbers: st.SearchStrategy = special) -> Any:
    if not shape:
        return draw(numbers)
    return [_array(draw, shape[1:], numbers) for _ in range(shape[0])]


def _broadcast(a: tuple, b: tuple) -> tuple | None:
    import numpy as np

    try:
        return tuple(np.broadcast_shapes(a, b))
    except ValueError:
        return None


def _gather(steps: list, shapes: list, n_leaves: int, tensor: bool) -> None:
    """Add the registers no step reads into the output, so that every step counts."""
    read = {x for _, _, operands, _ in steps for t, x in operands if t == "r"}
    unread = [k for k in range(n_leaves, len(shapes) - 1) if k not in read]
    if not unread:
        return
    if not tensor:
        steps.append(("variadic", "sum", tuple(("r", k) for k in unread + [len(shapes) - 1]), ()))
        shapes.append(())
        return
    for k in unread:
        if _broadcast(shapes[k], shapes[-1]) is None:  # e.g. (2,) and (3,): add its total instead
            steps.append(("reduce", "sum", (("r", k),), (None, False)))
            shapes.append(())
            k = len(shapes) - 1
        steps.append(("binary", "add", (("r", len(shapes) - 1), ("r", k)), ()))
        shapes.append(_broadcast(shapes[k], shapes[-1]))


@st.composite
def graphs(draw: Callable, tensor: bool = False, max_leaves: int = 4, max_steps: int = 12) -> Graph:
    """A random :class:`Graph` of Values (``tensor=False``) or of Tensors with
    broadcasting and sum/mean reductions (``tensor=True``)."""
    n_leaves = draw(st.integers(1, max_leaves))
    shapes = [draw(st.sampled_from(SHAPES)) if tensor else () for _ in range(n_leaves)]
    leaves = tuple(_array(draw, s) for s in shapes)
    constant = tuple(draw(st.booleans()) if k else False for k in range(n_leaves))
    steps = []

    def register() -> int:  # the newest register half of the time: deep chains like log(relu(x))
        return len(shapes) - 1 if draw(st.booleans()) else draw(st.integers(0, len(shapes) - 1))

    def operand(allow_constant: bool = True) -> tuple:
        if allow_constant and draw(st.integers(0, 4)) == 0:
            return ("c", draw(special))
        return ("r", register())

    for _ in range(draw(st.integers(2, max_steps))):
        kind = draw(st.sampled_from(("unary", "unary", "binary", "binary", "variadic" if not tensor else "reduce")))
        if kind == "unary":
            k = register()
            steps.append(("unary", draw(st.sampled_from(GRAPH_UNARY)), (("r", k),), ()))
            shapes.append(shapes[k])
        elif kind == "binary":
            a, b = operand(), operand()
            if a[0] == "c" and b[0] == "c":
                b = ("r", register())
            shape = _broadcast(*(shapes[x] if t == "r" else () for t, x in (a, b)))
            if shape is None:  # shapes that do not broadcast: use one operand twice
                b = a if a[0] == "r" else b
                shape = _broadcast(*(shapes[x] if t == "r" else () for t, x in (a, b)))
            name = draw(st.sampled_from(GRAPH_BINARY))
            if name == "pow" and a[0] == "r" and draw(st.integers(0, 2)) == 0:
                b = ("c", draw(st.sampled_from(EXPONENTS)))  # x ** 0.5 and kin: pow(tensor, number)
                shape = shapes[a[1]]
            steps.append(("binary", name, (a, b), ()))
            shapes.append(shape)
        elif kind == "variadic":
            name = draw(st.sampled_from(GRAPH_VARIADIC))
            n = 2 * draw(st.integers(1, 3)) + 1 if name == "linear" else draw(st.integers(1, 4))
            steps.append(("variadic", name, tuple(operand() for _ in range(n)), ()))
            shapes.append(())
        else:
            k = register()
            ndim = len(shapes[k])
            axis = draw(st.sampled_from([None, *range(-ndim, ndim)]))
            keepdims = draw(st.booleans())
            steps.append(("reduce", draw(st.sampled_from(GRAPH_REDUCE)), (("r", k),), (axis, keepdims)))
            if axis is None:
                shapes.append(tuple(1 for _ in shapes[k]) if keepdims else ())
            else:
                kept = list(shapes[k])
                if keepdims:
                    kept[axis] = 1
                else:
                    del kept[axis]
                shapes.append(tuple(kept))
    _gather(steps, shapes, n_leaves, tensor)
    seed = _array(draw, shapes[-1], upstream)
    return Graph(tensor, leaves, constant, tuple(steps), seed)


REDUCTIONS = ["sum", "mean", "max", "min", "logsumexp"]
"""The Tensor reductions that take ``axis`` and ``keepdims``."""


@st.composite
def reductions(draw: Callable, max_dims: int = 4) -> tuple[Any, str, Any, bool]:
    """``(x, reduction, axis, keepdims)``: an array of 1 to ``max_dims`` dimensions with
    distinct entries (so max and min have no ties) and a reduction over random axes
    (an int, or a tuple of distinct axes, negative ones included)."""
    import numpy as np
    from hypothesis.extra.numpy import array_shapes

    shape = draw(array_shapes(min_dims=1, max_dims=max_dims, max_side=4))
    axes = draw(st.lists(st.integers(-len(shape), len(shape) - 1), min_size=1, max_size=len(shape),
                         unique_by=lambda k: k % len(shape)))
    n = int(np.prod(shape))
    x = np.random.default_rng(n).permutation(n).reshape(shape) * 0.37 - n * 0.1
    axis = axes[0] if len(axes) == 1 else tuple(axes)
    return x, draw(st.sampled_from(REDUCTIONS)), axis, draw(st.booleans())
