"""Drawing a computation graph with Graphviz: values, gradients and gradient flow."""
from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from .draw_render import GraphDrawing
from .draw_text import escape_record, escape_text, shape_text, summarize
from .graph import BackwardStep, Node, edge_gradients, topological_order

DEFAULT_MAX_NODES = 200

# colours: values that receive a gradient, constants, the step just run
_VALUE_FILL = "#dbe9f6"
_CONST_FILL = "#eeeeee"
_OP_FILL = "#ffffff"
_STEP_FILL = "#ffd27f"
_STEP_EDGE = "#e69500"
_EDGE_GRAD_COLOR = "#b03030"
_COLLAPSED_ID = "collapsed"


def draw_graph(
    root: Node,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    edge_grads: bool = False,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    *,
    step: BackwardStep | None = None,
    digits: int = 4,
    legend: bool = True,
    grad_width: int = 0,
) -> GraphDrawing:
    """Draw the graph that ``root`` depends on; returns a ``graphviz.Digraph``.

    Each value is one record (label, data, grad; for array data also shape and
    dtype, with data and grad summarised); each operation is its own small
    node showing its symbol; edges follow the data flow, one per use, so
    ``a + a`` has two edges from ``a``.  Constants are grey and dashed and
    have no grad field.  Numbers have ``digits`` significant digits.

    ``rankdir``: Graphviz direction, ``"LR"`` (left to right) or ``"TB"`` ...
    ``edge_grads``: write on each edge into an operation the gradient flowing
    back along it, upstream x local (from the operation's own rule, via
    :func:`autograd.edge_gradients`); add distributes, mul swaps, max routes,
    and a value used twice receives the sum of its edges.
    ``max_nodes``: draw at most this many values, those nearest ``root``
    (breadth first); the rest are collapsed into one node and a note says how
    many were left out.  ``None`` draws everything.
    ``step``: a :class:`autograd.BackwardStep`; draws the gradients as they
    were at that step, leaves those not yet computed blank and highlights the
    node whose backward rule just ran.
    ``legend``: add a short legend of the shapes and colours.
    ``grad_width``: pad every grad field to about this many characters, so
    that the frames of a step-through keep one layout as gradients fill in.
    """
    order, left_out = _select(root, max_nodes)
    drawing = GraphDrawing(
        name="computation_graph",
        graph_attr={"rankdir": rankdir},
        node_attr={"fontname": "Helvetica", "fontsize": "11"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9", "arrowsize": "0.7"},
    )
    ids = {node: f"n{number}" for node, number in order}
    # default attributes keep each statement short: values first, then operations
    drawing.attr("node", shape="record", style="filled", fillcolor=_VALUE_FILL)
    for node, _ in order:
        _draw_value(drawing, node, ids[node], show_data, show_grad, step, digits, grad_width)
    if left_out:
        drawing.node(
            _COLLAPSED_ID,
            label=escape_text(f"… {left_out} more values not drawn"),
            shape="box", style="dashed,rounded", fillcolor=_CONST_FILL, fontcolor="#666666",
        )
    drawing.attr("node", shape="ellipse", fillcolor=_OP_FILL, margin="0.05,0.02")
    for node, _ in order:
        if node._op is not None:
            _draw_operation(drawing, node, ids, edge_grads, step, digits)
    notes = []
    if left_out:
        notes.append(
            f"showing the {len(order)} values nearest the output, {left_out} more collapsed "
            f"(max_nodes={max_nodes}; max_nodes=None draws all)"
        )
    if step is not None:
        notes.append(_step_caption(step))
    if notes:
        drawing.attr(label=escape_text("\n".join(notes)), labelloc="t", fontname="Helvetica")
    if legend:
        drawing.node(
            "legend", label=_legend(edge_grads, step is not None), shape="plaintext", fontsize="9"
        )
    return drawing


def _select(root: Node, max_nodes: int | None) -> tuple[list[tuple[Node, int]], int]:
    """The nodes to draw, each with its position in the full topological order
    (a stable id), and how many were left out."""
    if max_nodes is not None and max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1 or None, got {max_nodes}")
    order = topological_order(root)
    if max_nodes is None or len(order) <= max_nodes:
        return [(node, number) for number, node in enumerate(order)], 0
    kept = {root}
    queue = deque([root])
    while queue and len(kept) < max_nodes:
        for parent in queue.popleft()._prev:
            if parent not in kept and len(kept) < max_nodes:
                kept.add(parent)
                queue.append(parent)
    chosen = [(node, number) for number, node in enumerate(order) if node in kept]
    return chosen, len(order) - len(kept)


def _draw_value(
    drawing: GraphDrawing,
    node: Node,
    node_id: str,
    show_data: bool,
    show_grad: bool,
    step: BackwardStep | None,
    digits: int,
    grad_width: int,
) -> None:
    fields = []
    label = getattr(node, "label", "")
    if label:
        fields.append(escape_record(str(label)))
    if isinstance(node.data, np.ndarray):
        fields.append(escape_record(shape_text(node.data)))
    if show_data:
        fields.append(escape_record("data " + summarize(node.data, digits)))
    if show_grad and node.requires_grad:
        grad = node.grad if step is None else step.grads.get(node)
        text = summarize(grad, digits)
        # figure spaces are as wide as digits, and Graphviz does not trim them
        text += "\u2007" * max(0, grad_width - len(text))
        fields.append(escape_record("grad " + text))
    attrs = {}
    if not node.requires_grad:
        attrs.update(style="filled,dashed", fillcolor=_CONST_FILL, fontcolor="#555555")
    if step is not None and node is step.node:
        attrs.update(fillcolor=_STEP_FILL, penwidth="2")
    drawing.node(node_id, label="{ " + " | ".join(fields) + " }", **attrs)


def _draw_operation(
    drawing: GraphDrawing,
    node: Node,
    ids: dict[Node, str],
    edge_grads: bool,
    step: BackwardStep | None,
    digits: int,
) -> None:
    op_id = ids[node] + "op"
    just_ran = step is not None and node is step.node
    attrs = {}
    if just_ran:
        attrs.update(fillcolor=_STEP_FILL, penwidth="2")
    drawing.node(op_id, label=escape_text(node._op.symbol), **attrs)
    drawing.edge(op_id, ids[node])
    grads = _edge_gradients(node, step) if edge_grads else []
    cut = 0
    for i, parent in enumerate(node._prev):
        if parent not in ids:
            cut += 1
            continue
        attrs = {}
        if i < len(grads) and grads[i] is not None:
            attrs.update(label=escape_text(summarize(grads[i], digits)), fontcolor=_EDGE_GRAD_COLOR)
        if just_ran:
            attrs.update(color=_STEP_EDGE, penwidth="2")
        drawing.edge(ids[parent], op_id, **attrs)
    if cut:
        label = f"×{cut}" if cut > 1 else None
        drawing.edge(_COLLAPSED_ID, op_id, label=label, style="dashed")


def _edge_gradients(node: Node, step: BackwardStep | None) -> list[Any]:
    """Edge gradients from the live gradient, or at a step from its snapshot
    (blank for nodes whose backward rule has not run yet)."""
    if step is None:
        return edge_gradients(node)
    if node not in step.done or node not in step.grads:
        return []
    return edge_gradients(node, step.grads[node])


def _step_caption(step: BackwardStep) -> str:
    node = step.node
    name = f" '{node.label}'" if getattr(node, "label", "") else ""
    if node._op is None:
        what = f"leaf{name} has its final gradient"
    else:
        what = f"'{node._op.symbol}' node{name} passed its gradient back to its inputs"
    return f"backward step {step.number + 1}: {what}; blank grads are not computed yet"


def _legend(edge_grads: bool, stepping: bool) -> str:
    """A small HTML-like table explaining the shapes and colours."""
    rows = [
        (_VALUE_FILL, "label | data | grad", "value that receives a gradient"),
        (_CONST_FILL, "data", "constant (no gradient)"),
        (_OP_FILL, "+  *  exp …", "operation"),
    ]
    if edge_grads:
        rows.append((_OP_FILL, "→ -4", "edge label: gradient flowing back (upstream × local)"))
    if stepping:
        rows.append((_STEP_FILL, "just ran", "node whose backward rule just ran"))
    cells = "".join(
        f'<TR><TD BGCOLOR="{colour}">{example}</TD><TD ALIGN="LEFT">{meaning}</TD></TR>'
        for colour, example, meaning in rows
    )
    return (
        '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2" CELLPADDING="3">'
        f'<TR><TD COLSPAN="2"><B>legend</B></TD></TR>{cells}</TABLE>>'
    )
