"""An operation, defined once, as data."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True, slots=True, eq=False)
class Op:
    """One operation of the graph: what it is called, how it is drawn, and its two rules.

    ``forward(K, *inputs, *args)`` computes the output from the input data.

    ``grads[i](K, g, out, *inputs, *args)`` is the gradient that flows back to
    input ``i``: the upstream gradient ``g`` times the local gradient
    d out / d input_i (for matrix operations, the vector-Jacobian product).

    ``K`` is the backend that supplies ``div, pow, exp, log, ...``
    (see ``autograd.core.numerics``), so one rule serves floats, numpy arrays,
    Values (higher-order gradients) and symbols (generated code).  The engine's
    backward pass, the drawing's edge gradients and the code generator all call
    these same functions; there is no other copy of any rule.

    ``args`` are fixed, non-differentiable parameters recorded with the node
    (an axis, a shape, an index); most operations have none.

    A *variadic* operation takes any number of inputs; its ``grads`` holds one
    rule ``grads[0](K, i, g, out, inputs)`` giving the gradient of input ``i``
    (``inputs`` is the list of all input data).

    An operation whose input gradients share their work (a compiled call,
    ``autograd.compile``) gives ``all_grads(K, g, out, inputs)`` instead: the
    list of every input's gradient at once (for symbols, one expression whose
    value is that list); ``runtime`` names the functions its generated code
    calls; ``leaf_inputs`` says how many of its last inputs are always leaves
    (a compiled call's parameters), which ordering the graph need not search.

    Two Ops are equal only when they are the same object (their hash is their
    identity, so that looking an op up in a table is fast).
    """

    name: str
    symbol: str
    forward: Callable[..., Any]
    grads: tuple[Callable[..., Any], ...]
    formula: str = ""
    variadic: bool = False
    all_grads: Callable[..., Any] | None = None
    runtime: dict[str, Any] | None = None
    leaf_inputs: int = 0

    def input_gradient(self, K, i: int, g, out, inputs: list):
        """The gradient flowing back to input ``i``: upstream x local."""
        if self.all_grads is not None:
            return self.all_grads(K, g, out, inputs)[i]
        if self.variadic:
            return self.grads[0](K, i, g, out, inputs)
        return self.grads[i](K, g, out, *inputs)

    def __repr__(self) -> str:
        return f"Op({self.name!r})"
