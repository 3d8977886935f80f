"""An operation, defined once, as data."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence


@dataclass(frozen=True, eq=False)
class Op(str):
    """One operation of the graph: what it is called, how it is drawn, and its two rules.

    ``forward(K, *inputs, *args)`` computes the output from the input data.

    ``grads[i](K, g, out, *inputs, *args)`` is the gradient that flows back to
    input ``i``: the upstream gradient ``g`` times the local gradient
    d out / d input_i (for matrix operations, the vector-Jacobian product).
    ``formula`` says the same in words, for people (docstrings, drawings).

    ``K`` is the backend that supplies ``div, pow, exp, log, ...``
    (see ``autograd.core.numerics``), so one rule serves floats, numpy arrays,
    Values (higher-order gradients) and symbols (generated code).  The engine's
    backward pass, the drawing's edge gradients and the code generator all call
    these same functions; there is no other copy of any rule.

    ``args`` are fixed, non-differentiable parameters recorded with the node
    (an axis, a shape, an index); most operations have none.

    A *variadic* operation takes any number of inputs; its ``grads`` holds one
    rule ``grads[0](K, i, g, out, inputs)`` giving the gradient of input ``i``
    (``inputs`` is the list of all input data, then the args).

    Whatever way the rules were written, every consumer calls one function,
    ``vjp(K, g, out, inputs, needs)``, built once when the operation is defined
    (as HIPS autograd's ``defvjp`` does): the gradient flowing back to every
    input, a list in input order, with None where ``needs[i]`` is false (that
    rule is not run); ``inputs`` is the input data followed by the fixed args.
    An operation whose input gradients share their work (a compiled call) gives
    that function itself as ``vjp=``.

    ``leaf_inputs`` says how many of its last inputs are always leaves (a compiled
    call's parameters), which ordering the graph need not search.

    Two Ops are equal only when they are the same object (their hash is their
    identity, so that looking an op up in a table is fast).

    micrograd's code reads a node's ``_op`` as a string (``'+'``, ``'ReLU'``), so an
    Op *is* the string of its symbol: ``op == '+'`` compares the symbol, ``'' + op``
    and ``str(op)`` give it, and it can be a Graphviz label.  micrograd writes
    ``'**2'`` where chainrule's pow is the binary ``'**'``, and a leaf's ``_op`` is
    None where micrograd has ``''`` (both false in ``if node._op:``).
    """

    name: str
    symbol: str
    forward: Callable[..., Any]
    grads: tuple[Callable[..., Any], ...] = ()
    formula: str = ""
    variadic: bool = False
    vjp: Callable[..., list] = field(default=None)  # type: ignore[assignment]
    leaf_inputs: int = 0

    def __new__(cls, name: str, symbol: str, *rest: Any, **fields: Any) -> "Op":
        return str.__new__(cls, symbol)

    def __eq__(self, other: object) -> bool:
        """The same Op, or a plain string equal to its symbol (micrograd's ``_op``)."""
        return self is other or (type(other) is str and str.__eq__(self, other))

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    __hash__ = object.__hash__  # identity: tables keyed by ops stay fast and distinct

    def __copy__(self) -> "Op":
        return self  # immutable: a copied graph shares its operations

    def __deepcopy__(self, memo: dict) -> "Op":
        return self

    def __post_init__(self) -> None:
        if self.grads:  # (``dataclasses.replace(op, grads=...)`` rebuilds it too)
            object.__setattr__(self, "vjp", _each_input(self.grads[0]) if self.variadic
                               else _per_input(self.grads))
        elif self.vjp is None:
            raise TypeError(f"operation {self.name!r}: give its gradient rules, grads= or vjp=")

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


def _per_input(rules: tuple[Callable[..., Any], ...]) -> Callable[..., list]:
    """``vjp`` from one rule per input: each needed input's rule, called on the inputs."""
    def vjp(K: Any, g: Any, out: Any, inputs: Sequence[Any], needs: Sequence[bool]) -> list:
        return [rule(K, g, out, *inputs) if need else None for rule, need in zip(rules, needs)]
    return vjp


def _each_input(rule: Callable[..., Any]) -> Callable[..., list]:
    """``vjp`` from one rule for any input ``i`` (a variadic operation)."""
    def vjp(K: Any, g: Any, out: Any, inputs: Sequence[Any], needs: Sequence[bool]) -> list:
        return [rule(K, i, g, out, inputs) if need else None for i, need in enumerate(needs)]
    return vjp

