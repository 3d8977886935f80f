"""Value: one float, one node of the graph."""
from __future__ import annotations

import numbers
from types import SimpleNamespace
from typing import Any, Union

from . import ops
from .arithmetic import Arithmetic
from .graph import Node, is_grad_enabled
from .numerics import FLOAT, float_sign
from .op import Op

Number = Union[int, float]


def _to_float(data: Any) -> float:
    if type(data) is float:
        return data
    if isinstance(data, numbers.Real):  # int, bool, numpy integer and floating scalars
        return float(data)
    raise TypeError(
        f"Value holds one real number (int or float), got {type(data).__name__}: {data!r}"
    )


class Value(Arithmetic, Node):
    """One scalar of the computation graph.

    ``Value(2.0, label="x")`` is a leaf that receives a gradient;
    ``requires_grad=False`` makes it a constant.  Arithmetic with Values (or
    with plain numbers, which become constants) records a node whose
    ``_prev`` are its operands in order.  ``data`` and ``grad`` are floats;
    ``grad`` is 0.0 until ``backward()``.

    Numerics follow IEEE-754 like numpy and PyTorch: ``1 / Value(0.0)`` is
    inf, ``Value(0.0) / 0`` is nan, ``Value(1000).exp()`` is inf,
    ``Value(0).log()`` is -inf, a negative base to a fractional power is nan.
    """

    __slots__ = ()
    K = FLOAT
    _CLEARED_GRAD = 0.0

    def __init__(self, data: Number, label: str = "", requires_grad: bool = True) -> None:
        self.data = _to_float(data)
        self.grad = 0.0
        self._prev = ()
        self._op = None
        self._args = ()
        self.requires_grad = bool(requires_grad)
        self.label = str(label)

    # -- graph hooks -------------------------------------------------------
    def _accumulate(self, contribution: float) -> None:
        self.grad += contribution

    def _seed(self, gradient: Any) -> float:
        return 1.0 if gradient is None else _to_float(gradient)

    def _as_node(self, gradient: Any) -> "Value":
        return gradient if isinstance(gradient, Value) else _constant(gradient)

    def _gradient_result(self, gradient: Any) -> "Value":
        return self._as_node(gradient)

    # -- recording ---------------------------------------------------------
    def _unary(self, op: Op) -> "Value":
        out = _result(op.forward(FLOAT, self.data))
        if self.requires_grad and is_grad_enabled():
            out._prev = (self,)
            out._op = op
            out.requires_grad = True
        return out

    @staticmethod
    def _binary(op: Op, a: Any, b: Any) -> "Value":
        if type(a) is not Value:
            a = _constant(a)
        if type(b) is not Value:
            b = _constant(b)
        out = _result(op.forward(FLOAT, a.data, b.data))
        if (a.requires_grad or b.requires_grad) and is_grad_enabled():
            out._prev = (a, b)
            out._op = op
            out.requires_grad = True
        return out

    # -- gates (the shared operators are in Arithmetic) ---------------------
    def max(self, other: Any) -> "Value":
        """The max gate: the larger input gets the whole upstream gradient, the
        other none; at a tie each gets half (as PyTorch's ``torch.maximum``)."""
        return self._binary(ops.MAX, self, other)

    def min(self, other: Any) -> "Value":
        """The min gate: the smaller input gets the upstream gradient; a tie splits it."""
        return self._binary(ops.MIN, self, other)

    # -- conveniences -------------------------------------------------------
    def __float__(self) -> float:
        return self.data

    def __lt__(self, other: Any) -> bool:
        """Compare data (a plain bool, not recorded in the graph)."""
        return self.data < _data(other)

    def __le__(self, other: Any) -> bool:
        return self.data <= _data(other)

    def __gt__(self, other: Any) -> bool:
        return self.data > _data(other)

    def __ge__(self, other: Any) -> bool:
        return self.data >= _data(other)

    __hash__ = Node.__hash__  # identity: Values are graph nodes, kept in sets and dicts

    def item(self) -> float:
        """The data as a Python float."""
        return self.data

    def detach(self) -> "Value":
        """A constant with the same data, cut from the graph."""
        return Value(self.data, label=self.label, requires_grad=False)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self._op.name!r}" if self._op is not None else ""
        const = ", requires_grad=False" if not self.requires_grad else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label}{op}{const})"


def _data(x: Any) -> float:
    return x.data if isinstance(x, Value) else _to_float(x)


def _constant(x: Any) -> Value:
    """A plain number mixed into an expression: a constant node."""
    return _result(_to_float(x))


def _result(data: float) -> Value:
    """A fresh node for an operation's output (a constant until recorded)."""
    v = Value.__new__(Value)
    v.data = data
    v.grad = 0.0
    v._prev = ()
    v._op = None
    v._args = ()
    v.requires_grad = False
    v.label = ""
    return v


def apply_op(op: Op, operands: list) -> Value:
    """Record ``op`` on ``operands`` (Values, or plain numbers that become constants),
    whatever its number of inputs; the generic path any operation can take."""
    parents = tuple(v if type(v) is Value else _constant(v) for v in operands)
    out = _result(op.forward(FLOAT, *[p.data for p in parents]))
    if is_grad_enabled() and any(p.requires_grad for p in parents):
        out._prev = parents
        out._op = op
        out.requires_grad = True
    return out


def linear(weights: list, inputs: list, bias: Any = 0.0) -> Value:
    """One fused node for ``bias + Σ_k w_k x_k`` (a neuron's pre-activation).

    Gradients: d/dbias = 1, d/dw_k = x_k, d/dx_k = w_k, the mul gate's swap and
    the add gate's distribution in one node.  Much cheaper than 2n separate
    ``*`` and ``+`` nodes.  The lengths of ``weights`` and ``inputs`` must match.
    """
    if len(weights) != len(inputs):
        raise ValueError(
            f"linear: {len(weights)} weights but {len(inputs)} inputs; the lengths must match"
        )
    flat = [bias]
    for w, x in zip(weights, inputs):
        flat.append(w)
        flat.append(x)
    return apply_op(ops.LINEAR, flat)


def sum_values(values: list) -> Value:
    """One node for ``Σ_k values_k``; each input gets the upstream gradient unchanged."""
    values = list(values)
    if not values:
        return _constant(0.0)
    return apply_op(ops.SUM, values)


def _stepwise(fn):
    """A piecewise-constant function of a Value's data: a constant (its derivative is 0)."""
    return lambda *args: _constant(fn(*(_data(a) for a in args)))


VALUE = SimpleNamespace(
    name="value",
    div=lambda a, b: a / b,
    pow=lambda a, b: a**b,
    exp=lambda a: a.exp(),
    log=lambda a: a.log(),
    tanh=lambda a: a.tanh(),
    sigmoid=lambda a: a.sigmoid(),
    maximum=lambda a, b: a.max(b),
    minimum=lambda a, b: a.min(b),
    abs=lambda a: a.abs(),
    sign=_stepwise(float_sign),
    where=lambda cond, x, y: x if cond else y,
    gt=lambda a, b: _data(a) > _data(b),
    ge=lambda a, b: _data(a) >= _data(b),
    eq=lambda a, b: _data(a) == _data(b),
    both=lambda p, q: p and q,
)
"""Backend for rules evaluated on Values: gradients that are graphs themselves."""
Value.K_GRAPH = VALUE
