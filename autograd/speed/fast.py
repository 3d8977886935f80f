"""The fast path for Values: operators and backward functions generated from the op table.

The generic path (``value.apply_op`` records any operation, ``graph.backprop_node``
runs any rule) is the one to read first.  Its time goes into generality:
building argument lists, calling the rule through ``Op.vjp``, one set lookup
per node.  This module writes one plain Python function per operator
(``__mul__``, ``relu`` ...) and one backward function per operation, by
evaluating each operation's own forward and gradient rules on symbols
(``codegen.SYMBOL``): the rules still exist once, in ``autograd.core.ops``,
and the generated code reads like the flat code of the lecture notes.
``source()`` returns it; tracebacks show its lines.  :func:`install`, called
once by ``autograd/__init__.py``, puts the operators and ``backward`` on Value.

``backward(root)`` orders the nodes and clears their gradients in one
depth-first pass, marking each node it has reached in its own ``grad`` slot
(no set of visited nodes) and listing the leaves it meets, then calls each
node's generated backward function.  Operations without one (variadic ones such
as ``linear``, and operations defined later with ``define_op``) take the generic
step.  A pass that raises (a leaf's grad set to something that is no number, a
``define_op`` rule failing part-way, Ctrl-C) puts every leaf's grad back as it
was, and sets the intermediate nodes' grads to 0.0 (each pass recomputes them).
The numbers are the generic driver's, bit for bit (``tests/test_fast.py``).
"""
from __future__ import annotations

import linecache
from typing import Any, Callable

from .codegen import RUNTIME, SYMBOL, Symbol
from ..core import ops
from ..core.arithmetic import is_number
from ..core.graph import Node, backprop_node, check_root
from ..core.mode import backward_lock, is_anomaly_enabled, is_grad_enabled
from ..core.op import Op
from ..core.value import Value, constant

FILENAME = "<chainrule fast path>"

# (method, operation, operands in order): the operators Value gets.  ``**`` with a plain
# number exponent records POW_SCALAR instead (see ``_number_exponent``).
BINARY = [
    ("__add__", ops.ADD, "self", "other"), ("__radd__", ops.ADD, "other", "self"),
    ("__sub__", ops.SUB, "self", "other"), ("__rsub__", ops.SUB, "other", "self"),
    ("__mul__", ops.MUL, "self", "other"), ("__rmul__", ops.MUL, "other", "self"),
    ("__truediv__", ops.DIV, "self", "other"), ("__rtruediv__", ops.DIV, "other", "self"),
    ("__pow__", ops.POW, "self", "other"), ("__rpow__", ops.POW, "other", "self"),
    ("max", ops.MAX, "self", "other"), ("min", ops.MIN, "self", "other"),
]
UNARY = [
    ("__neg__", ops.NEG), ("exp", ops.EXP), ("log", ops.LOG), ("tanh", ops.TANH),
    ("sigmoid", ops.SIGMOID), ("relu", ops.RELU), ("abs", ops.ABS), ("__abs__", ops.ABS),
]
OPERATIONS = [ops.ADD, ops.SUB, ops.MUL, ops.DIV, ops.POW, ops.POW_SCALAR, ops.MAX, ops.MIN, ops.NEG, ops.EXP,
              ops.LOG, ops.TANH, ops.SIGMOID, ops.RELU, ops.ABS]


def _op_name(op: Op) -> str:
    return op.name.upper()


def _binary_operator(method: str, op: Op, first: str, second: str) -> str:
    forward = op.forward(SYMBOL, Symbol(f"{first}.data"), Symbol(f"{second}.data"))
    if method == "__pow__":
        first_lines, forward = _number_exponent(forward), "data"
    else:
        first_lines = "        if type(other) is not Value:\n            other = constant(other)\n"
    return f'''
    def {method}(self, other):
{first_lines}        out = new(Value)
        out.data = {forward}
        out.grad = 0.0
        out.label = ""
        if (self.requires_grad or other.requires_grad) and is_grad_enabled():
            out._a = {first}
            out._b = {second}
            out._op = {"op" if method == "__pow__" else _op_name(op)}
            out.requires_grad = True
        else:
            out._a = out._b = out._op = None
            out.requires_grad = False
        return out
'''


def _number_exponent(forward: str) -> str:
    """``self ** other``'s first lines: POW_SCALAR for a plain number exponent, else POW."""
    scalar = ops.POW_SCALAR.forward(SYMBOL, Symbol("self.data"), Symbol("other.data"))
    return f"""        if type(other) is Value:
            op, data = POW, {forward}
        elif type(other) is int or type(other) is float or is_number(other):
            other = constant(other)
            op, data = POW_SCALAR, {scalar}
        else:
            other = constant(other)  # a subclass of Value, or refused
            op, data = POW, {forward}
"""


def _unary_operator(method: str, op: Op) -> str:
    forward = op.forward(SYMBOL, Symbol("self.data"))
    return f'''
    def {method}(self):
        out = new(Value)
        out.data = {forward}
        out.grad = 0.0
        out.label = ""
        out._b = None
        if self.requires_grad and is_grad_enabled():
            out._a = self
            out._op = {_op_name(op)}
            out.requires_grad = True
        else:
            out._a = out._op = None
            out.requires_grad = False
        return out
'''


def _backward_function(op: Op) -> str:
    names = ["a", "b"][: len(op.grads)]
    inputs = [Symbol(f"{x}.data") for x in names]
    flows = op.vjp(SYMBOL, Symbol("g"), Symbol("node.data"), inputs, [True] * len(names))
    lines = [f"\ndef backward_{op.name}(node):", f'    """{op.formula}"""', "    g = node.grad"]
    lines += [f"    {x} = node._{x}" for x in names]
    for x, flow in zip(names, flows):
        lines += [f"    if {x}.requires_grad:",
                  f"        {x}.accumulate_grad({flow})"]
    return "\n".join(lines) + "\n"


def _generate() -> str:
    parts = ['"""Generated by autograd.speed.fast from the op table in autograd.core.ops; do not edit."""\n',
             "\n\nclass ValueOperators:",
             '\n    """The operators autograd.speed.fast installs on Value (methods here do not hide the',
             '\n    functions exp, log, tanh ... of the rules)."""\n']
    parts += [_binary_operator(*entry) for entry in BINARY]
    parts += [_unary_operator(*entry) for entry in UNARY]
    parts += ["\n"] + [_backward_function(op) for op in OPERATIONS]
    return "".join(parts)


_SOURCE = _generate()


def source() -> str:
    """The generated operators and backward functions, as Python source."""
    return _SOURCE


def _compile() -> dict[str, Any]:
    namespace: dict[str, Any] = dict(RUNTIME)
    namespace.update({_op_name(op): op for op in OPERATIONS},
                     Value=Value, constant=constant, new=object.__new__, is_grad_enabled=is_grad_enabled,
                     is_number=is_number)
    linecache.cache[FILENAME] = (len(_SOURCE), None, _SOURCE.splitlines(True), FILENAME)
    exec(compile(_SOURCE, FILENAME, "exec"), namespace)
    return namespace


_generated = _compile()


class _BackwardTable(dict):
    """op -> its generated backward function; any other op (variadic ones such as
    ``linear``, ops defined later with ``define_op``) takes the generic step."""

    def __missing__(self, op: Op) -> Callable[[Value], None]:
        return backprop_node


BACKWARD = _BackwardTable({op: _generated[f"backward_{op.name}"] for op in OPERATIONS})


class _Mark(float):
    """A gradient of 0.0 that ``backward`` recognises by identity, to mark a node it
    has reached: it adds like 0.0, so the first contribution replaces it."""


_OPEN = _Mark(0.0)     # reached, its parents are being ordered
_CLEARED = _Mark(0.0)  # ordered, gradient cleared for this pass


_PLAIN_GRADS = frozenset({float, type(None)})  # leaf grads that backward adds to as they are


GENERIC: dict[str, Callable] = {}
"""The generic methods :func:`install` replaced, by name (``GENERIC["__mul__"]``): the code
a student reads, kept so that tests can check both paths give the same bits."""


def install() -> None:
    """Put the generated operators, and :func:`backward`, on Value (with the docstrings
    of the generic ones they replace); ``autograd/__init__.py`` calls this once."""
    if GENERIC:
        return  # installed already
    for method, *_ in BINARY + UNARY:
        operator = vars(_generated["ValueOperators"])[method]
        GENERIC[method] = getattr(Value, method)
        operator.__doc__ = GENERIC[method].__doc__
        operator.__qualname__ = f"Value.{method}"
        setattr(Value, method, operator)
    GENERIC["backward"] = Value.backward
    Value.backward = backward


def backward(root: Value, gradient: Any = None) -> None:
    """Backpropagate from this node: every node it depends on gets d self / d node.

    Gradients of leaves *accumulate* across calls (``+=``), as in PyTorch: zero them
    (``x.grad = 0`` or ``None``, ``zero_grad()``) between steps; intermediate nodes'
    are recomputed by each call.  ``gradient`` is the upstream gradient d L / d self
    (default 1).  This generated fast path gives the generic driver's numbers (which runs
    inside ``detect_anomaly()``); a pass that raises leaves every leaf's grad as it was.
    """
    if is_anomaly_enabled():
        Node.backward(root, gradient)
        return
    check_root(root)
    seed = root._seed(gradient)
    with backward_lock:
        if root._op is None:  # a leaf: nothing to propagate
            root.accumulate_grad(seed)
            return
        order: list[Value] = []  # the nodes made by operations, parents first
        leaves: set[Value] = set()  # the leaves met, whose grads a failure puts back
        stack = [root]
        saved: list | None = None
        push, pop, emit, keep = stack.append, stack.pop, order.append, leaves.add
        try:
            while stack:  # depth first, as graph.topological_order, but marking in .grad
                node = pop()
                mark = node.grad
                if mark is _CLEARED:  # pushed twice, already ordered
                    continue
                if mark is _OPEN:  # its parents are ordered: now itself
                    node.grad = _CLEARED
                    emit(node)
                    continue
                # Push the node back, then the parents it waits for (made by an op and
                # not ordered yet), the first parent last so that it is ordered first.
                # A node that waits for none is ordered at once.
                a = node._a
                if type(a) is tuple:  # any number of parents (the last leaf_inputs are leaves)
                    if node._op.leaf_inputs:
                        a, fixed = a[:len(a) - node._op.leaf_inputs], a[len(a) - node._op.leaf_inputs:]
                        leaves.update(fixed)
                    leaves.update([p for p in a if p._op is None])
                    waiting = [p for p in reversed(a)
                               if p._op is not None and p.grad is not _CLEARED and p.requires_grad]
                    if waiting:
                        node.grad = _OPEN
                        push(node)
                        stack += waiting
                        continue
                else:  # one or two parents, spelled out: this loop is half of backward's time
                    b = node._b
                    waits_for_a = a._op is not None and a.grad is not _CLEARED and a.requires_grad
                    if a._op is None:
                        keep(a)
                    if b is not None:
                        if b._op is None:
                            keep(b)
                        elif b.grad is not _CLEARED and b.requires_grad:
                            node.grad = _OPEN
                            push(node)
                            push(b)
                            if waits_for_a:
                                push(a)
                            continue
                    if waits_for_a:
                        node.grad = _OPEN
                        push(node)
                        push(a)
                        continue
                node.grad = _CLEARED
                emit(node)
            saved = _saved_leaf_grads(leaves)
            root.grad = root.grad + seed
            table = BACKWARD
            for node in reversed(order):
                table[node._op](node)
        except BaseException:
            _undo(order + stack, saved)
            raise


def _saved_leaf_grads(leaves: set[Value]) -> list[tuple[Value, Any]]:
    """Each leaf with its grad, saved before any rule runs; a grad set by hand to other than
    a float or None is checked now (refused, naming the leaf) and made a float (``np.float32(0)``)."""
    saved = [(leaf, leaf.grad) for leaf in leaves]
    if not _PLAIN_GRADS.issuperset([type(grad) for _, grad in saved]):
        try:
            for leaf, grad in saved:
                if grad is not None:
                    leaf.grad = leaf._preset_grad(grad)
        except TypeError:
            _undo([], saved)
            raise
    return saved


def _undo(reached: list[Value], saved: list[tuple[Value, Any]] | None) -> None:
    """After a pass that raised: no mark left behind (the nodes reached get 0.0) and, when
    the rules had started (``saved`` holds every leaf's grad), each leaf's grad put back."""
    for node in reached:
        if type(node.grad) is _Mark:
            node.grad = 0.0
    for leaf, grad in saved or ():
        leaf.grad = grad
