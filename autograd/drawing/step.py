"""One step of backward as a drawing shows it: which gradients are final, which are
still collecting contributions, and a caption saying what happened, in numbers.

A node used ``n`` times (``a + a`` counts twice) receives ``n`` contributions; its
gradient is *partial*, ``grad 0.0237 (2 of 3 uses)``, until all of them have
arrived.  The caption of an operation's step writes each contribution as
upstream x local: ``*: upstream 1 × local -4 (= z) → q receives -4``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np

from ..speed.codegen import SYMBOL, Symbol
from .text import summarize, wrap
from ..core.graph import BackwardStep, Node, edge_gradients

_MAX_PARTS = 4  # contributions spelled out in one caption; the rest are counted
CAPTION_CHARS = 90
"""Captions are broken into lines of at most about this many characters."""
_UNNAMED = "\x00"


def _infix(symbol: str) -> Callable[[Any, Any], Symbol]:
    return lambda a, b: Symbol(f"{_wrapped(a)} {symbol} {_wrapped(b)}", atomic=False)


def _call(name: str) -> Callable[..., Symbol]:
    return lambda *args: Symbol(f"{name}({', '.join(str(a) for a in args)})")


def _wrapped(x: Any) -> str:
    return x.wrapped() if isinstance(x, Symbol) else repr(x)


FORMULA = SimpleNamespace(
    name="formula", div=_infix("/"), pow=_infix("**"), pow_scalar=_infix("**"),
    **{fn: _call(fn) for fn in ("exp", "log", "tanh", "sigmoid", "sign", "maximum", "minimum", "abs")},
    **{fn: getattr(SYMBOL, fn) for fn in ("where", "choose", "gt", "ge", "eq", "both")},
)
"""Backend that evaluates a gradient rule on names, giving its formula as text (the
selections of masking rules as Python's ``(x if a > b else y)``, as in generated code)."""


@dataclass
class Uses:
    """How many inputs each node of a graph feeds, and which operations it feeds."""

    consumers: dict[Node, list[Node]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, order: list[Node]) -> "Uses":
        """Count the uses in ``order`` (every node of one graph)."""
        uses = cls()
        for node in order:
            for parent in node._prev:
                uses.consumers[parent].append(node)
        return uses

    def total(self, node: Node) -> int:
        """How many inputs ``node`` feeds (``a * a`` counts twice)."""
        return len(self.consumers.get(node, ()))

    def arrived(self, node: Node, step: BackwardStep) -> int:
        """How many of those uses have passed their gradient back by ``step``."""
        return sum(1 for c in self.consumers.get(node, ()) if c in step.done)


def gradient_state(node: Node, step: BackwardStep, uses: Uses) -> tuple[Any, str]:
    """``(gradient, note)`` of ``node`` at ``step``: ``(None, '')`` when nothing has
    arrived yet, ``(g, '2 of 3 uses')`` while it is partial, ``(g, '')`` when final."""
    if node not in step.grads:
        return None, ""
    total = uses.total(node)
    arrived = uses.arrived(node, step)
    if total and arrived < total:
        return step.grads[node], f"{arrived} of {total} uses"
    return step.grads[node], ""


def grad_text_length(g: Any, note: str, digits: int) -> int:
    """The characters a value box takes for a number gradient and its note,
    ``0.0237 (2 of 3 uses)``: what ``grad_width`` pads to, so that frames keep one
    width.  0 for an array (a grid or statistics, never padded)."""
    if isinstance(g, np.ndarray):
        return 0
    return len(summarize(g, digits)) + (len(note) + 3 if note else 0)


def is_finished(step: BackwardStep, order: list[Node]) -> bool:
    """True when every operation of the graph has passed its gradient back."""
    return all(n in step.done for n in order if n._op is not None and n.requires_grad)


def caption(step: BackwardStep, uses: Uses, order: list[Node], digits: int = 4,
            name_of: dict[Node, str] | None = None) -> str:
    """What happened at ``step``, in words and numbers."""
    name_of = name_of or {}
    node = step.node
    name = describe(node, name_of)
    g = step.grads.get(node)
    if node not in step.done:
        text = f"backward starts at {name}: its gradient is {summarize(g, digits)}"
        if node._op is None:
            text += " and it is a leaf"
    elif node._op is None:
        text = f"{name} is a leaf: its gradient {summarize(g, digits)} is final"
    else:
        text = f"{node._op.symbol}: " + _contributions(node, step, uses, digits, name_of)
    if is_finished(step, order):
        text += ". Backward is done: every gradient is final."
    return text


def caption_lines(step: BackwardStep, uses: Uses, order: list[Node], digits: int = 4,
                  name_of: dict[Node, str] | None = None) -> list[str]:
    """:func:`caption` broken into lines of about :data:`CAPTION_CHARS` characters."""
    return wrap(caption(step, uses, order, digits, name_of), CAPTION_CHARS)


def _contributions(node: Node, step: BackwardStep, uses: Uses, digits: int,
                   name_of: dict[Node, str]) -> str:
    g = step.grads[node]
    flows = edge_gradients(node, g)
    scalar = not isinstance(node.data, np.ndarray)
    needs = [p.requires_grad for p in node._prev]
    local_grads = node._op.vjp(node.K, 1.0, node.data, _inputs(node), needs) if scalar else None
    parts = []
    for i, parent in enumerate(node._prev):
        if not parent.requires_grad or i >= len(flows):
            continue
        if len(parts) == _MAX_PARTS:
            rest = sum(p.requires_grad for p in node._prev[i:])
            parts.append(f"… and {rest} more inputs")
            break
        flow = summarize(flows[i], digits)
        if scalar:
            local = local_grads[i]
            part = f"upstream {summarize(g, digits)} × local {summarize(local, digits)}"
            formula = _formula(node, i, name_of)
            if formula and formula != summarize(local, digits):
                part += f" (= {formula})"
        else:
            part = f"upstream {summarize(g, digits)}"
        part += f" → {describe(parent, name_of)} receives {flow}"
        total = uses.total(parent)
        if total > 1:
            # the running total and count just after this contribution, within this step
            later = [j for j in range(i + 1, len(node._prev)) if node._prev[j] is parent]
            so_far = step.grads.get(parent)
            for j in later:
                so_far = so_far - flows[j]
            part += (f" (total {summarize(so_far, digits)}, "
                     f"{uses.arrived(parent, step) - len(later)} of {total} uses)")
        parts.append(part)
    return "; ".join(parts) if parts else "no input needs a gradient"


def _inputs(node: Node) -> list[Any]:
    return [p.data for p in node._prev] + list(node._args)


def _formula(node: Node, i: int, name_of: dict[Node, str]) -> str:
    """The local gradient of input ``i`` as a formula in the names of the values,
    or '' when it is a plain number or refers to a value without a name."""
    def symbol(n: Node) -> Symbol:
        return Symbol(_name(n, name_of) or _UNNAMED)

    inputs = [symbol(p) for p in node._prev] + list(node._args)
    try:
        only_i = [j == i for j in range(len(node._prev))]
        text = str(node._op.vjp(FORMULA, Symbol("1.0"), symbol(node), inputs, only_i)[i])
    except Exception:  # a rule that only works on numbers or arrays: no formula
        return ""
    if _UNNAMED in text:
        return ""
    try:
        float(text)
    except ValueError:
        return text
    return ""


def _name(node: Node, name_of: dict[Node, str]) -> str | None:
    if node in name_of:
        return name_of[node]
    label = getattr(node, "label", "")
    return str(label) if label else None


def describe(node: Node, name_of: dict[Node, str]) -> str:
    """A node as a caption names it: its name or label, else what it is."""
    name = _name(node, name_of)
    if name is not None:
        return name
    if node._op is not None:
        return f"the {node._op.symbol} node"
    return f"the input {summarize(node.data)}"
