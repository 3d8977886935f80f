"""Value: one float, one node of the graph.

This file is the generic path a student reads: every operator (``+``, ``*``,
``relu`` ... inherited from ``autograd.core.arithmetic``) records its node
through :func:`apply_op`, and ``backward()`` is the reference driver of
``autograd.core.graph``.  ``import autograd`` then installs, with one
visible call in ``autograd/__init__.py``, the generated fast path of
``autograd.speed.fast``: it replaces Value's operators ``__add__ __radd__
__sub__ __rsub__ __mul__ __rmul__ __truediv__ __rtruediv__ __pow__ __rpow__
__neg__ __abs__ exp log tanh sigmoid relu abs max min`` and ``backward`` with
functions generated from the same op table, which give the same numbers bit
for bit (``tests/test_fast.py``).  Read that code with
``print(autograd.speed.fast.source())``.
"""
from __future__ import annotations

import numbers
from types import SimpleNamespace
from typing import Any, Union

import numpy as np

from . import ops
from . import tensor_ops as tops
from .arithmetic import Arithmetic, derivative
from .graph import Node
from .mode import is_grad_enabled, note_decision, traced_number
from .numerics import FLOAT, float_sign
from .op import Op

Number = Union[int, float]


def _to_float(data: Any) -> float:
    """``data`` as a Value's float.  The rule, the same as a Tensor's: Python's and numpy's
    bool, int and float types are taken (True is 1.0, as ``float(True)`` and
    ``torch.tensor(True, dtype=float64)``); every other type (Fraction, Decimal, complex,
    str ...) is refused, saying to write ``float(x)``; an int beyond float64's range
    (about 1.8e308) is refused with an OverflowError that says so."""
    if type(data) is float:
        return data
    if isinstance(data, (float, int, np.floating, np.integer, np.bool_)):  # bool is an int
        try:
            return float(data)
        except OverflowError:
            raise OverflowError(
                f"the integer of about {int(data.bit_length() * 0.30103) + 1} digits is too large "
                "for a float64 (at most about 1.8e308); a Value holds a float64"
            ) from None
    if isinstance(data, np.ndarray):
        raise TypeError(
            f"a Value holds one number, not a numpy array of shape {data.shape}: use "
            "autograd.Tensor for arrays, or take one number out of it (a[i], a.item())"
        )
    if isinstance(data, Node):
        raise TypeError(f"cannot mix a Value with a {type(data).__name__}; use one kind of node")
    hint = "; write float(x) to use it" if isinstance(data, numbers.Number) else ""
    raise TypeError(
        f"Value holds one real number (bool, int or float, Python's or numpy's), got "
        f"{type(data).__name__}: {data!r}{hint}"
    )


def _check_flag(requires_grad: Any) -> bool:
    if requires_grad is True or requires_grad is False:
        return requires_grad
    if isinstance(requires_grad, np.bool_):
        return bool(requires_grad)
    raise TypeError(f"requires_grad must be True or False, got {requires_grad!r}")


def _stepwise(fn):
    """A piecewise-constant function of a Value's data: a constant (its derivative is 0)."""
    return lambda *args: constant(fn(*(_data(a) for a in args)))


VALUE = SimpleNamespace(
    name="value",
    div=lambda a, b: a / b,
    pow=lambda a, b: apply_op(ops.POW, (a, b)),
    pow_scalar=lambda a, b: apply_op(ops.POW_SCALAR, (a, b)),
    exp=lambda a: a.exp(),
    log=lambda a: a.log(),
    tanh=lambda a: a.tanh(),
    sigmoid=lambda a: a.sigmoid(),
    maximum=lambda a, b: a.max(b),
    minimum=lambda a, b: a.min(b),
    abs=lambda a: a.abs(),
    sign=_stepwise(float_sign),
    where=lambda cond, x, y: record_where(cond, x, y),
    choose=lambda cond, x, y: x if cond else y,
    gt=lambda a, b: _data(a) > _data(b),
    ge=lambda a, b: _data(a) >= _data(b),
    eq=lambda a, b: _data(a) == _data(b),
    both=lambda p, q: p and q,
)
"""Backend for rules evaluated on Values: gradients that are graphs themselves."""


def record_where(condition: bool, x: Any, y: Any) -> Any:
    """``x`` if ``condition`` else ``y``, recorded as one select node (``WHERE``) whose
    gradient goes to the chosen side and is exactly 0 on the other, as torch's ``where``:
    that 0 still flows on through the other side's graph, so a second derivative there
    is 0 * (its local derivative), nan where that is inf or nan (the second derivative
    of ``x**x`` at 0 is nan).  Two constants give the chosen one, not recorded."""
    parents = (constant(x), constant(y))
    if not (is_grad_enabled() and (parents[0].requires_grad or parents[1].requires_grad)):
        return parents[0] if condition else parents[1]
    out = new_value(parents[0].data if condition else parents[1].data)
    out._record(tops.WHERE, parents, (bool(condition),))
    return out


class Value(Arithmetic, Node):
    """One scalar of the computation graph.

    ``Value(2.0, label="x")`` is a leaf that receives a gradient;
    ``requires_grad=False`` makes it a constant.  Arithmetic with Values (or
    with plain numbers, which become constants) records a node whose
    ``_prev`` are its operands in order.  ``data`` and ``grad`` are floats;
    ``grad`` is 0.0 until ``backward()``, and may be set to 0.0 or None to
    clear it.  ``bool(v)`` is ``bool(v.data)``, as for a torch scalar.  Comparisons
    (``==``, ``<`` ...) compare data and return plain bools, not recorded; hashing
    stays by identity, so equal Values are still distinct keys in sets and dicts.

    Numerics follow IEEE-754 like numpy and PyTorch: ``1 / Value(0.0)`` is
    inf, ``Value(0.0) / 0`` is nan, ``Value(1000).exp()`` is inf,
    ``Value(0).log()`` is -inf, a negative base to a fractional power is nan.

    Layout: the parents live in two slots, ``_a`` and ``_b`` (so that a node
    is one object for Python's garbage collector, not a node plus a tuple):
    a leaf has ``_a = None``; a unary node ``_a = parent``, ``_b = None``; a
    binary node ``_a, _b``; any other node ``_a = (parents...)`` and
    ``_b = (fixed args...)``.  ``_prev`` and ``_args`` read them back.
    """

    __slots__ = ("data", "grad", "_a", "_b", "_op", "requires_grad", "label")
    K = FLOAT
    K_GRAPH = VALUE
    _CLEARED_GRAD = 0.0
    __array_ufunc__ = None  # numpy hands `array + Value` to Value.__radd__, which refuses it

    def __init__(self, data: Number, label: str = "", requires_grad: bool = True) -> None:
        self.data = _to_float(data)
        self.grad = 0.0
        self._a = None
        self._b = None
        self._op = None
        self.requires_grad = _check_flag(requires_grad)
        self.label = str(label)

    # -- the graph, read back from the two parent slots ----------------------
    @property
    def _prev(self) -> "Parents":
        a = self._a
        if a is None:
            return _NO_PARENTS
        if type(a) is tuple:
            return Parents(a)
        b = self._b
        return Parents((a,) if b is None else (a, b))

    @property
    def _args(self) -> tuple:
        return self._b if type(self._a) is tuple else ()

    def _record(self, op: Op, parents: tuple, args: tuple = ()) -> None:
        """Make this node the result of ``op`` on ``parents`` (with fixed ``args``)."""
        self._op = op
        self.requires_grad = True
        if len(parents) in (1, 2) and not args:
            self._a = parents[0]
            self._b = parents[1] if len(parents) == 2 else None
        else:
            self._a = tuple(parents)
            self._b = tuple(args)

    # -- graph hooks -------------------------------------------------------
    def accumulate_grad(self, contribution: Any) -> None:
        """``grad += contribution``; a grad of None takes the contribution itself.  A grad
        set by hand that is no number is refused, naming this node (both backward drivers
        check and convert the leaves' grads first: ``np.float32(0)`` becomes a float)."""
        try:
            self.grad += contribution
        except TypeError:  # no gradient yet (None), or a grad that is no number
            if self.grad is not None:
                self._preset_grad(self.grad)  # raises, naming the node
            self.grad = contribution

    def _preset_grad(self, grad: Any) -> float:
        """A grad set by hand, as a float: a real number (int, numpy scalar ...) is taken,
        anything else refused with an error naming this node.  A Value is the sum so far
        of a ``create_graph`` pass, a node to add to."""
        if type(grad) is float or isinstance(grad, Value):
            return grad
        try:
            return _to_float(grad)
        except (TypeError, ValueError, OverflowError):
            raise TypeError(
                f"backward(): the grad of {self!r} was set to {grad!r:.60} "
                f"({type(grad).__name__}); set it to a number, 0.0 or None"
            ) from None

    def _seed(self, gradient: Any) -> float:
        return 1.0 if gradient is None else _to_float(gradient)

    def _as_node(self, gradient: Any) -> "Value":
        return constant(gradient)

    def _gradient_result(self, gradient: Any) -> "Value":
        return self._as_node(0.0 if gradient is None else gradient)

    # -- recording: the generic path (autograd.speed.fast installs faster operators) --
    def _unary(self, op: Op) -> "Value":
        return apply_op(op, (self,))

    @staticmethod
    def _binary(op: Op, a: Any, b: Any) -> "Value":
        return apply_op(op, (a, b))

    # -- gates (the shared operators are in Arithmetic) ---------------------
    @derivative(ops.MAX)
    def max(self, other: Any) -> "Value":
        """The max gate: the larger input gets the whole upstream gradient, the
        other exactly 0; at a tie each gets half (as PyTorch's ``torch.maximum``)."""
        return self._binary(ops.MAX, self, other)

    @derivative(ops.MIN)
    def min(self, other: Any) -> "Value":
        """The min gate: the smaller input gets the upstream gradient; a tie splits it."""
        return self._binary(ops.MIN, self, other)

    # -- conveniences -------------------------------------------------------
    def __float__(self) -> float:
        """``float(v)``: the data."""
        note_decision("converted", float, self, self.data)
        return self.data

    def __bool__(self) -> bool:
        """``bool(self.data)``: False for 0.0, True otherwise (nan too), as torch."""
        result = bool(self.data)
        note_decision("truth", self, result)
        return result

    def __lt__(self, other: Any) -> bool:
        """Compare data (a plain bool, not recorded in the graph; a compile trace guards it)."""
        return _compared("<", self, other, self.data < _data(other))

    def __le__(self, other: Any) -> bool:
        return _compared("<=", self, other, self.data <= _data(other))

    def __gt__(self, other: Any) -> bool:
        return _compared(">", self, other, self.data > _data(other))

    def __ge__(self, other: Any) -> bool:
        return _compared(">=", self, other, self.data >= _data(other))

    def __eq__(self, other: Any) -> Any:
        """Compare data, as ``<`` and ``>=`` do (a plain bool, not recorded): ``Value(2.0) == 2.0``.
        Anything that is not a number is unequal."""
        number = _comparable(other)
        return NotImplemented if number is None else _compared("==", self, other, self.data == number)

    def __ne__(self, other: Any) -> Any:
        """Compare data: the negation of ``==``."""
        number = _comparable(other)
        return NotImplemented if number is None else _compared("!=", self, other, self.data != number)

    __hash__ = Node.__hash__  # identity, as torch: equal Values stay distinct keys of sets and dicts

    def item(self) -> float:
        """The data as a Python float."""
        return traced_number(self, self.data)

    def __int__(self) -> int:
        """``int(v)``: the data truncated toward 0, as ``int(float)``."""
        result = int(self.data)
        note_decision("converted", int, self, result)
        return result

    def __round__(self, ndigits: Any = None) -> Any:
        """``round(v)`` and ``round(v, n)``: ``round`` of the data (a plain number, not recorded)."""
        result = round(self.data, ndigits)
        note_decision("converted", round, self, result, *(() if ndigits is None else (ndigits,)))
        return result

    def __format__(self, spec: str) -> str:
        """``f"{v:.3f}"`` formats the data; ``f"{v}"`` is ``repr(v)``."""
        return format(self.data, spec) if spec else repr(self)

    def detach(self) -> "Value":
        """A constant with the same data, cut from the graph."""
        note_decision("converted", float, self, self.data)  # a trace keeps this number
        return Value(self.data, label=self.label, requires_grad=False)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        op = f", op={self._op.name!r}" if self._op is not None else ""
        const = ", requires_grad=False" if not self.requires_grad else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label}{op}{const})"


class Parents(tuple):
    """A Value's ``_prev``: its parents, an ordered tuple (``a + a`` has ``a`` twice), whose
    ``in`` and ``==`` ask for the very nodes, as micrograd's set of children does (``==``
    of Values compares data, so a plain tuple would find any parent with equal data)."""

    def __contains__(self, node: object) -> bool:
        return any(p is node for p in self)

    def __eq__(self, other: object) -> bool:
        """The very same nodes in the same order (not equal data)."""
        return (isinstance(other, tuple) and len(other) == len(self)
                and all(p is q for p, q in zip(self, other)))

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = tuple.__hash__


_NO_PARENTS = Parents()


def _data(x: Any) -> float:
    if isinstance(x, Value):
        return x.data
    return float.__float__(x) if isinstance(x, float) else _to_float(x)


def _compared(symbol: str, a: "Value", b: Any, result: bool) -> bool:
    """``a <symbol> b`` gave ``result``: tell a running compile trace (it guards it)."""
    note_decision("compared", symbol, a, b, result)
    return result


def _comparable(x: Any) -> Any:
    """What ``==`` compares a Value's data with: a Value's data or a real number; None
    for anything else (a string, a Tensor, None), which is never equal."""
    if isinstance(x, Value):
        return x.data
    if isinstance(x, float):
        return float.__float__(x)  # (a float subclass's own == would answer instead)
    if isinstance(x, numbers.Real) and not isinstance(x, Node):
        return x
    return None


def constant(x: Any) -> Value:
    """A plain number mixed into an expression: a constant node (a Value stays itself)."""
    if isinstance(x, Value):
        return x
    return new_value(_to_float(x))


def new_value(data: float) -> Value:
    """A fresh node for an operation's output (a constant until recorded)."""
    v = Value.__new__(Value)
    v.data = data
    v.grad = 0.0
    v._a = None
    v._b = None
    v._op = None
    v.requires_grad = False
    v.label = ""
    return v


def apply_op(op: Op, operands: Any) -> Value:
    """Record ``op`` on ``operands`` (Values, or plain numbers that become constants),
    whatever its number of inputs; the generic path any operation can take."""
    parents = tuple(v if type(v) is Value else constant(v) for v in operands)
    out = new_value(op.forward(FLOAT, *[p.data for p in parents]))
    if is_grad_enabled() and any(p.requires_grad for p in parents):
        out._record(op, parents)
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
        return constant(0.0)
    return apply_op(ops.SUM, values)


