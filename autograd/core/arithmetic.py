"""The operators Value and Tensor share: each records one operation of ``autograd.core.ops``.

A class using this mixin provides ``_binary(op, a, b)`` (record ``op`` on two
operands, turning plain numbers or arrays into constants) and ``_unary(op)``.
The derivative of each operator is in its docstring; the rule itself is the
operation's, defined once in ``autograd.core.ops``.
"""
from __future__ import annotations

from typing import Any

from . import ops


class Arithmetic:
    """``+ - * / **``, unary ``-``, ``abs`` and the elementwise functions."""

    __slots__ = ()

    def __add__(self, other: Any) -> Any:
        """self + other; d/dself = 1, d/dother = 1."""
        return self._binary(ops.ADD, self, other)

    def __radd__(self, other: Any) -> Any:
        """other + self."""
        return self._binary(ops.ADD, other, self)

    def __sub__(self, other: Any) -> Any:
        """self - other; d/dself = 1, d/dother = -1."""
        return self._binary(ops.SUB, self, other)

    def __rsub__(self, other: Any) -> Any:
        """other - self."""
        return self._binary(ops.SUB, other, self)

    def __mul__(self, other: Any) -> Any:
        """self * other (elementwise); d/dself = other, d/dother = self."""
        return self._binary(ops.MUL, self, other)

    def __rmul__(self, other: Any) -> Any:
        """other * self."""
        return self._binary(ops.MUL, other, self)

    def __truediv__(self, other: Any) -> Any:
        """self / other; d/dself = 1/other, d/dother = -self/other^2."""
        return self._binary(ops.DIV, self, other)

    def __rtruediv__(self, other: Any) -> Any:
        """other / self."""
        return self._binary(ops.DIV, other, self)

    def __pow__(self, other: Any) -> Any:
        """self ** other; d/dself = other self^(other-1), d/dother = self^other ln(self)."""
        return self._binary(ops.POW, self, other)

    def __rpow__(self, other: Any) -> Any:
        """other ** self."""
        return self._binary(ops.POW, other, self)

    def __neg__(self) -> Any:
        """-self; d/dself = -1."""
        return self._unary(ops.NEG)

    def exp(self) -> Any:
        """e^self; derivative e^self. exp(1000) is inf."""
        return self._unary(ops.EXP)

    def log(self) -> Any:
        """Natural logarithm; derivative 1/self. log(0) = -inf, log(x < 0) = nan."""
        return self._unary(ops.LOG)

    def tanh(self) -> Any:
        """tanh(self); derivative 1 - tanh(self)^2."""
        return self._unary(ops.TANH)

    def sigmoid(self) -> Any:
        """σ(self) = 1 / (1 + e^-self), never overflowing; derivative σ (1 - σ)."""
        return self._unary(ops.SIGMOID)

    def relu(self) -> Any:
        """max(0, self); derivative 1 if self > 0 else 0 (0 at 0, as in PyTorch)."""
        return self._unary(ops.RELU)

    def abs(self) -> Any:
        """|self|; derivative sign(self) (0 at 0, as in PyTorch)."""
        return self._unary(ops.ABS)

    def __abs__(self) -> Any:
        """abs(self): the same node as :meth:`abs`."""
        return self._unary(ops.ABS)
