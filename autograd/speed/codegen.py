"""Backward compiled to flat code: a Value graph written out as straight-line Python.

The forward pass becomes one assignment per node (``s2 = s0 + s1``) and the
backward pass the same lines in reverse (``grad_s0 = grad_s2``,
``grad_w0 = grad_s0 * x0``), exactly the "flat" code of the lecture notes.
The lines are produced by evaluating each operation's own forward and
gradient rules on symbols, so the generated code can never disagree with
the engine.  ``autograd.speed.fast`` and ``autograd.compile`` write their code with
the same ``SYMBOL`` backend and ``forward_lines`` / ``backward_lines``.
"""
from __future__ import annotations

import keyword
import math
import operator
import re
from types import SimpleNamespace
from typing import Any, Callable

from ..core.graph import Node, check_root, topological_order
from ..core.numerics import FLOAT, float_div
from ..core.value import Value


# How tightly each kind of expression binds, as in Python's grammar.
_AND, _COMPARE, _SUM, _PRODUCT, _NEG, _ATOM = range(6)
_PRECEDENCE = {"+": _SUM, "-": _SUM, "*": _PRODUCT, "/": _PRODUCT, "@": _PRODUCT}


class Symbol:
    """A Python expression under construction; arithmetic on it builds source text.

    ``precedence`` is how tightly the text binds (so brackets are written only
    where Python needs them: ``g * (1.0 - L) * L``); ``value`` is the number when
    the expression is a literal (so ``2.0 - 1`` is written ``1.0``, and a
    condition between literals is decided while the code is generated).
    ``atomic=True/False`` instead of ``precedence`` says only whether the text is an
    atom or must be bracketed wherever it is an operand (``draw_step`` writes so).
    """

    __slots__ = ("text", "precedence", "value")

    def __init__(self, text: str, precedence: int = _ATOM, value: float | None = None,
                 atomic: bool | None = None) -> None:
        self.text = text
        self.precedence = precedence if atomic is None else (_ATOM if atomic else _AND)
        if value is None and self.precedence == _ATOM:
            value = _number(text)
        self.value = value

    def __str__(self) -> str:
        return self.text

    def wrapped(self) -> str:
        """The text, bracketed unless it is an atom (a name, a number, a call)."""
        return self.text if self.precedence == _ATOM else f"({self.text})"

    def operand(self, precedence: int, right: bool = False) -> str:
        """The text as an operand of an operator of ``precedence``, bracketed if needed
        (a right operand of equal precedence too, to keep the order of evaluation)."""
        if self.precedence > precedence or (self.precedence == precedence and not right):
            return self.text
        return f"({self.text})"

    def _binary(self, other: Any, symbol: str, reflected: bool = False) -> "Symbol":
        a, b = (_symbol(other), self) if reflected else (self, _symbol(other))
        if a.value is not None and b.value is not None:
            return literal(_FOLD[symbol](a.value, b.value))
        if symbol == "*":
            if a.value == 1.0:
                return b
            if b.value == 1.0:
                return a
            if a.value == -1.0:
                return -b
        p = _PRECEDENCE[symbol]
        return Symbol(f"{a.operand(p)} {symbol} {b.operand(p, right=True)}", p)

    def __add__(self, other: Any) -> "Symbol":
        return self._binary(other, "+")

    def __radd__(self, other: Any) -> "Symbol":
        return self._binary(other, "+", True)

    def __sub__(self, other: Any) -> "Symbol":
        return self._binary(other, "-")

    def __rsub__(self, other: Any) -> "Symbol":
        return self._binary(other, "-", True)

    def __mul__(self, other: Any) -> "Symbol":
        return self._binary(other, "*")

    def __rmul__(self, other: Any) -> "Symbol":
        return self._binary(other, "*", True)

    def __neg__(self) -> "Symbol":
        if self.value is not None:
            return literal(-self.value)
        return Symbol(f"-{self.operand(_NEG, right=True)}", _NEG)


_FOLD = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": float_div}


_NUMERAL = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _number(text: str) -> float | None:
    """The value of a numeral written as text (``"1.0"``), else None (``"inf"`` is a name)."""
    return float(text) if _NUMERAL.fullmatch(text) else None


def literal(x: float) -> Symbol:
    """A number as source text: ``2.0``, ``-0.5``, and ``float('inf')`` / ``float('nan')``
    for the values that have no literal."""
    x = float(x)
    if x != x or x in (math.inf, -math.inf):
        return Symbol(f"float('{x}')", _ATOM, x)
    text = repr(x)
    return Symbol(text, _NEG if text.startswith("-") else _ATOM, x)


def _symbol(x: Any) -> Symbol:
    return x if isinstance(x, Symbol) else literal(x)


def _call(name: str) -> Callable[..., Symbol]:
    return lambda *args: Symbol(f"{name}({', '.join(str(_symbol(a)) for a in args)})")


def _comparison(symbol: str, test: Callable[[float, float], bool]) -> Callable[..., Any]:
    """A condition as text (``a > b``), or a plain bool when both sides are literals."""
    def compare(a: Any, b: Any) -> Any:
        a, b = _symbol(a), _symbol(b)
        if a.value is not None and b.value is not None:
            return test(a.value, b.value)
        return Symbol(f"{a.operand(_COMPARE)} {symbol} {b.operand(_COMPARE, right=True)}", _COMPARE)
    return compare


def _both(p: Any, q: Any) -> Any:
    if isinstance(p, bool):
        return q if p else False
    if isinstance(q, bool):
        return p if q else False
    return Symbol(f"{p.operand(_AND)} and {q.operand(_AND, right=True)}", _AND)


def _where(cond: Any, x: Any, y: Any) -> Symbol:
    """``(x if cond else y)``: a selection, as FLOAT.where; a literal condition picks now."""
    if isinstance(cond, bool):
        return _symbol(x if cond else y)
    return Symbol(f"({_symbol(x)} if {cond} else {_symbol(y)})")  # bracketed: an atom


SYMBOL = SimpleNamespace(
    name="symbol",
    **{fn: _call(fn) for fn in
       ("div", "pow", "pow_scalar", "exp", "log", "tanh", "sigmoid", "maximum", "minimum", "abs", "sign")},
    where=_where,
    choose=_where,
    gt=_comparison(">", operator.gt),
    ge=_comparison(">=", operator.ge),
    eq=_comparison("==", operator.eq),
    both=_both,
)
"""Backend for rules evaluated on symbols: each function call becomes source text,
``where`` a conditional expression and the comparisons Python comparisons."""

class SharedGradients(list):
    """What an operation that computes every input's gradient in one call (a compiled
    call) gives on symbols: ``call``, the expression whose value is the list of
    gradients, and ``runtime``, the functions that expression calls."""

    def __init__(self, call: Symbol, runtime: dict[str, Any]) -> None:
        super().__init__()
        self.call = call
        self.runtime = runtime


RUNTIME = {fn: getattr(FLOAT, fn) for fn in vars(SYMBOL) if fn != "name"}
"""What the names in generated code mean: the engine's own float functions."""

_RESERVED = set(RUNTIME) | {"float"}


def _names(order: list[Node]) -> dict[Node, str]:
    """A variable name for every node that is not a constant: its label when that is a
    free identifier, else ``s<position>``."""
    names: dict[Node, str] = {}
    used: set[str] = set()
    for k, node in enumerate(order):
        if not node.requires_grad and node._op is None:
            continue  # constants are written inline
        label = node.label
        if label.isidentifier() and not keyword.iskeyword(label) and label not in used \
                and label not in _RESERVED and not label.startswith("grad_"):
            name = label
        else:
            name = f"s{k}"
            while name in used:
                name += "_"
        names[node] = name
        used.add(name)
    return names


def flat_code(root: Value, name: str = "forward_backward") -> str:
    """Python source of a function that computes ``root`` and its gradients with
    straight-line code: forward assignments, then backward assignments in
    reverse order, one per edge (upstream x local).

    The function takes the leaves that require a gradient, in graph order, and
    returns ``(output, [gradients of those leaves])``.
    """
    return _generate(root, name)[0]


def _generate(root: Value, name: str) -> tuple[str, list[Node], dict[str, Any]]:
    if not isinstance(root, Value):
        raise TypeError(f"flat_code works on Value and Tensor graphs, got {type(root).__name__}")
    check_root(root, "flat_code")
    order = topological_order(root)
    names = _names(order)
    leaves = [n for n in order if n._op is None and n.requires_grad]
    runtime: dict[str, Any] = {}
    lines = [f"def {name}({', '.join(names[n] for n in leaves)}):", "    # forward"]
    lines += forward_lines(order, names)
    lines.append("    # backward: downstream gradient = upstream gradient x local gradient")
    lines.append(f"    grad_{names[root]} = 1.0")
    backward, assigned = backward_lines(root, order, names, runtime)
    lines += backward
    grads = ", ".join(str(assigned[n]) if n in assigned else "0.0" for n in leaves)
    lines.append(f"    return {names[root]}, [{grads}]")
    return "\n".join(lines) + "\n", leaves, runtime


def symbol_of(node: Node, names: dict[Node, str]) -> Symbol:
    """A node in generated code: its variable, or its value written inline (a constant)."""
    return Symbol(names[node]) if node in names else _symbol(node.data)


def forward_lines(order: list[Node], names: dict[Node, str], indent: str = "    ",
                  keep: set[Node] | None = None) -> list[str]:
    """One assignment per operation node, in ``order``: its forward rule on symbols.

    With ``keep`` (the nodes whose values are needed by name), a value used once,
    as one operand written once, is not assigned but written into the expression
    that uses it: ``s3 = p0 + p1 * x0 + p2 * x1`` instead of four lines (the
    same operations in the same order)."""
    fused: set[Node] = set()
    if keep is not None:
        users: dict[Node, list[Node]] = {}
        for node in order:
            for parent in node._prev:
                users.setdefault(parent, []).append(node)
        for node in order:
            if node._op is None or node in keep or len(users.get(node, ())) != 1:
                continue
            user = users[node][0]
            text = str(user._op.forward(SYMBOL, *[symbol_of(p, names) for p in user._prev], *user._args))
            if len(re.findall(rf"\b{names[node]}\b", text)) == 1:
                fused.add(node)
    symbols: dict[Node, Symbol] = {}
    lines = []
    for node in order:
        if node._op is not None:
            args = [symbols.get(p) or symbol_of(p, names) for p in node._prev]
            value = node._op.forward(SYMBOL, *args, *node._args)
            if node in fused:
                symbols[node] = _symbol(value)
            else:
                lines.append(f"{indent}{names[node]} = {value}")
    return lines


def backward_lines(root: Node, order: list[Node], names: dict[Node, str], runtime: dict[str, Any],
                   indent: str = "    ", gradient: Symbol | None = None,
                   deliver: Callable[[Node, Any], Any] | None = None, in_place: bool = True,
                   K: Any = None, inputs_of: Callable[[Node], list] | None = None,
                   variable: Callable[[str, Node], Symbol] = lambda name, node: Symbol(name)
                   ) -> tuple[list[str], dict[Node, Symbol]]:
    """The backward pass from ``root`` as one line per edge, ``grad_parent = (or +=)
    upstream x local``, nodes in reverse ``order``; returns the lines and, for every node
    they give a gradient, the expression holding it (``grad_<name>``).

    The root's gradient is the variable ``grad_<root>``, assumed set; or, when
    ``gradient`` is given, that expression, and then a gradient that arrives
    unchanged (the add gate's copies) is not copied into a variable of its own
    but used where it is (shorter code, for ``autograd.compile``).

    An operation computing all its input gradients at once (a compiled call, whose
    ``vjp`` on symbols gives :class:`SharedGradients`) gets one line for the list,
    then one per edge; the functions it calls are added to ``runtime``.

    ``deliver(parent, flow)``, when given, turns each edge's gradient into what the
    parent accumulates (a Tensor's sum back to its shape and dtype); ``in_place=False``
    writes ``grad_a = grad_a + flow`` instead of ``+=`` (arrays may be shared).  ``K``
    and ``inputs_of(node) -> (inputs, out)`` replace SYMBOL and the symbols of the
    node's inputs and output, and ``variable(name, node)`` the symbol of a gradient
    variable (for Tensor code, ``autograd.speed.tensor_code``).
    """
    lines = []
    shared = gradient is not None
    grads = {root: gradient if shared else Symbol(f"grad_{names[root]}")}
    for node in reversed(order):
        if node._op is None or node not in grads:
            continue
        op = node._op
        g = grads[node]
        if inputs_of is None:
            inputs = [symbol_of(p, names) for p in node._prev] + list(node._args)
            out = symbol_of(node, names)
        else:
            inputs, out = inputs_of(node)
        flows = op.vjp(K or SYMBOL, g, out, inputs, [p.requires_grad for p in node._prev])
        if isinstance(flows, SharedGradients):
            lines.append(f"{indent}grads_{names[node]} = {flows.call}")
            runtime.update(flows.runtime)
            flows = [Symbol(f"grads_{names[node]}[{i}]") for i in range(len(node._prev))]
        for parent, flow in zip(node._prev, flows):
            if not parent.requires_grad:
                continue
            if deliver is not None:
                flow = deliver(parent, flow)
            target = variable(f"grad_{names[parent]}", parent)
            if parent not in grads:
                if shared and (flow.text.isidentifier() or flow.value is not None):
                    grads[parent] = flow  # a name or a number: used where it is
                    continue
                lines.append(f"{indent}{target} = {flow}")
            elif grads[parent].text != target.text:  # a shared gradient gets a variable now
                lines.append(f"{indent}{target} = {grads[parent]} + {flow.operand(_SUM, right=True)}")
            elif in_place:
                lines.append(f"{indent}{target} += {flow}")
            else:
                lines.append(f"{indent}{target} = {target} + {flow.operand(_SUM, right=True)}")
            grads[parent] = target
    return lines, grads


def compile_backward(root: Value) -> Callable[..., tuple[float, list[float]]]:
    """Compile :func:`flat_code` into a Python function; call it with new leaf
    values to get the output and the leaves' gradients without building a graph.

    The function's ``inputs`` attribute lists the leaves in parameter order and
    ``source`` holds its code.
    """
    source, leaves, runtime = _generate(root, "forward_backward")
    return function_of(source, leaves, dict(RUNTIME, **runtime), "<chainrule flat code>")


def function_of(source: str, leaves: list[Node], namespace: dict[str, Any], filename: str) -> Callable:
    """The function ``forward_backward`` that ``source`` defines, run with the names of
    ``namespace``; its ``source`` and ``inputs`` (the leaves, in parameter order) attached."""
    exec(compile(source, filename, "exec"), namespace)
    fn = namespace["forward_backward"]
    fn.source = source
    fn.inputs = leaves
    return fn
