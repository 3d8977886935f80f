"""The operators Value and Tensor share: each records one operation of ``autograd.core.ops``.

A class using this mixin provides ``_binary(op, a, b)`` (record ``op`` on two
operands, turning plain numbers or arrays into constants) and ``_unary(op)``.
Each operator's docstring says what it computes and ends with its derivative,
the ``formula`` of its operation (``a`` is the first operand, ``b`` the
second): the rule itself, and its formula, are written once, in the op table.
"""
from __future__ import annotations

import numbers
from typing import Any, Callable

from . import ops
from .op import Op


def is_number(x: Any) -> bool:
    """True for a plain number (Python's or numpy's bool, int or float), not a node or array:
    what torch takes as a Scalar."""
    return type(x) is int or type(x) is float or isinstance(x, numbers.Real)  # the usual two first


def derivative(op: Op) -> Callable[[Callable], Callable]:
    """Decorate an operator with ``op``'s formula, appended to its docstring."""
    def document(method: Callable) -> Callable:
        method.__doc__ = f"{method.__doc__}\n\n{op.formula}."
        return method
    return document


class Arithmetic:
    """``+ - * / **``, unary ``-``, ``abs`` and the elementwise functions."""

    __slots__ = ()

    @derivative(ops.ADD)
    def __add__(self, other: Any) -> Any:
        """self + other (a = self, b = other)."""
        return self._binary(ops.ADD, self, other)

    @derivative(ops.ADD)
    def __radd__(self, other: Any) -> Any:
        """other + self (a = other, b = self)."""
        return self._binary(ops.ADD, other, self)

    @derivative(ops.SUB)
    def __sub__(self, other: Any) -> Any:
        """self - other (a = self, b = other)."""
        return self._binary(ops.SUB, self, other)

    @derivative(ops.SUB)
    def __rsub__(self, other: Any) -> Any:
        """other - self (a = other, b = self)."""
        return self._binary(ops.SUB, other, self)

    @derivative(ops.MUL)
    def __mul__(self, other: Any) -> Any:
        """self * other, elementwise (a = self, b = other)."""
        return self._binary(ops.MUL, self, other)

    @derivative(ops.MUL)
    def __rmul__(self, other: Any) -> Any:
        """other * self, elementwise (a = other, b = self)."""
        return self._binary(ops.MUL, other, self)

    @derivative(ops.DIV)
    def __truediv__(self, other: Any) -> Any:
        """self / other (a = self, b = other); x/0 is ±inf and 0/0 nan, as in IEEE-754."""
        return self._binary(ops.DIV, self, other)

    @derivative(ops.DIV)
    def __rtruediv__(self, other: Any) -> Any:
        """other / self (a = other, b = self)."""
        return self._binary(ops.DIV, other, self)

    @derivative(ops.POW)
    def __pow__(self, other: Any) -> Any:
        """self ** other (a = self, b = other); a negative base to a fractional power is nan.
        A plain number exponent (``x ** 0.5``) is torch's ``x ** 0.5``, sqrt at ±0.5
        (``ops.POW_SCALAR``); a node exponent is ``torch.pow(a, b)``, C's pow (``ops.POW``)."""
        return self._binary(ops.POW_SCALAR if is_number(other) else ops.POW, self, other)

    @derivative(ops.POW)
    def __rpow__(self, other: Any) -> Any:
        """other ** self (a = other, b = self): C's pow, as torch's ``2 ** t``."""
        return self._binary(ops.POW, other, self)

    @derivative(ops.NEG)
    def __neg__(self) -> Any:
        """-self (a = self)."""
        return self._unary(ops.NEG)

    @derivative(ops.EXP)
    def exp(self) -> Any:
        """e^self (a = self); exp(1000) is inf."""
        return self._unary(ops.EXP)

    @derivative(ops.LOG)
    def log(self) -> Any:
        """Natural logarithm (a = self); log(0) = -inf, log(x < 0) = nan."""
        return self._unary(ops.LOG)

    @derivative(ops.TANH)
    def tanh(self) -> Any:
        """tanh(self) (a = self)."""
        return self._unary(ops.TANH)

    @derivative(ops.SIGMOID)
    def sigmoid(self) -> Any:
        """σ(self) = 1 / (1 + e^-self), never overflowing (a = self)."""
        return self._unary(ops.SIGMOID)

    @derivative(ops.RELU)
    def relu(self) -> Any:
        """max(0, self) (a = self); relu'(0) = 0, as in PyTorch."""
        return self._unary(ops.RELU)

    @derivative(ops.ABS)
    def abs(self) -> Any:
        """|self| (a = self); abs'(0) = 0, as in PyTorch."""
        return self._unary(ops.ABS)

    @derivative(ops.ABS)
    def __abs__(self) -> Any:
        """abs(self): the same node as :meth:`abs` (a = self)."""
        return self._unary(ops.ABS)
