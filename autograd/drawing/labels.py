"""The HTML-like labels of a drawing and its colours: the pieces (numbers, grids,
records, input cells), then the whole label of a value, an operation and a
collapsed module.

Graphviz draws an HTML-like label (``label=<...>``) as a table; a cell with a
``PORT`` is a place where an edge can end.  Here each input of an operation
gets its own port cell, so the gradient flowing back along an edge is written
in the cell where that edge ends, and the inputs of ``-``, ``/`` and ``**`` are
marked ``a`` and ``b``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..core.graph import Node, edge_gradients
from ..speed.compiled import code_of
from .collapse import Box, flatten, parameter_arrays
from .names import relative
from .scene import Scene
from .step import grad_text_length, gradient_state
from .text import escape_html, format_number, is_grid, shape_text, statistics, summarize

# colours: values that receive a gradient, constants, operations, collapsed modules,
# the step just run (its node and the edges into it), edge gradients, partial gradients
VALUE_FILL = "#dbe9f6"
CONST_FILL = "#eeeeee"
OP_FILL = "#ffffff"
BOX_FILL = "#e8f1e4"
STEP_FILL = "#ffd27f"
STEP_EDGE = "#e69500"
EDGE_GRAD_COLOR = "#b03030"
PARTIAL_COLOR = "#8a5a00"
_SMALL = 9


# -- pieces of a label -------------------------------------------------------

def small(html: str, colour: str | None = None) -> str:
    """``html`` in the small font, optionally coloured ('' stays '')."""
    if not html:
        return ""
    colour_attr = f' COLOR="{colour}"' if colour else ""
    return f'<FONT POINT-SIZE="{_SMALL}"{colour_attr}>{html}</FONT>'


def quantity(x: Any, digits: int, compact: bool = False) -> str:
    """A number, a grid of a small array, or an array's shape and statistics, as
    HTML; ``compact`` gives just ``min … max`` for a large array."""
    if x is None:
        return ""
    if isinstance(x, np.ndarray) and x.ndim > 0:
        if is_grid(x):
            return grid(x, digits)
        if compact and x.size and np.issubdtype(x.dtype, np.number):
            with np.errstate(all="ignore"):
                low, high = x.min(), x.max()
            return escape_html(f"{format_number(low, digits)} … {format_number(high, digits)}")
        return escape_html(shape_text(x)) + "<BR/>" + escape_html(statistics(x, digits))
    return escape_html(summarize(x, digits))


def grid(array: np.ndarray, digits: int) -> str:
    """A vector as one row, a matrix as rows and columns: a borderless nested table."""
    rows = array.reshape(1, -1) if array.ndim == 1 else array
    cells = "".join(
        "<TR>" + "".join(f'<TD ALIGN="RIGHT">{escape_html(format_number(v, digits))}</TD>'
                         for v in row) + "</TR>"
        for row in rows.tolist()
    )
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{cells}</TABLE>'


def record(title: str, rows: Sequence[Sequence[str]], subtitle: str = "",
           header: Sequence[str] = ()) -> str:
    """A table of fields: a bold ``title`` (and a small ``subtitle``), an optional
    small ``header`` row, then one row per ``(name, html, ...)``, separated by rules."""
    columns = max([len(r) for r in rows] + [len(header), 1])
    lines = []
    if title or subtitle:
        head = f"<B>{escape_html(title)}</B>" if title else ""
        if subtitle:
            head += (" " if head else "") + small(escape_html(subtitle))
        lines.append(f'<TR><TD COLSPAN="{columns}">{head}</TD></TR>')
    if header:
        lines.append("<TR>" + "".join(f"<TD>{small(escape_html(h))}</TD>" for h in header) + "</TR>")
    for name, *cells in rows:
        lines.append(f'<TR><TD ALIGN="LEFT">{escape_html(name)}</TD>'
                     + "".join(f'<TD ALIGN="LEFT">{html}</TD>' for html in cells) + "</TR>")
    body = "<HR/>".join(lines) if lines else "<TR><TD> </TD></TR>"
    rules = ' COLUMNS="*"' if columns > 1 else ""
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"{rules}>{body}</TABLE>'


def ported(centre: str, ports: Sequence[str], rankdir: str, fill: str, border: str = "0") -> str:
    """A table whose inputs are cells: ``ports[i]`` (HTML) is the cell of input
    ``i`` (port ``i<i>``), on the side edges come from; ``centre`` is the rest.
    An input whose port is None (not drawn: beyond ``max_nodes``) gets no cell."""
    cells = [f'<TD PORT="i{i}">{html or " "}</TD>' for i, html in enumerate(ports) if html is not None]
    cells = cells or ["<TD> </TD>"]
    n = len(cells)
    if rankdir in ("LR", "RL"):
        first = cells[0] if rankdir == "LR" else ""
        last = cells[0] if rankdir == "RL" else ""
        middle = f'<TD ROWSPAN="{n}">{centre}</TD>'
        rows = [f"<TR>{first}{middle}{last}</TR>"] + [f"<TR>{c}</TR>" for c in cells[1:]]
    else:
        ports_row = "<TR>" + "".join(cells) + "</TR>"
        centre_row = f'<TR><TD COLSPAN="{n}">{centre}</TD></TR>'
        rows = [ports_row, centre_row] if rankdir == "TB" else [centre_row, ports_row]
    return (f'<TABLE BORDER="{border}" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2" '
            f'BGCOLOR="{fill}">{"".join(rows)}</TABLE>')


def beside(*parts: str) -> str:
    """HTML fragments side by side (a borderless table when one of them is a table,
    which Graphviz does not allow next to text in one cell)."""
    parts = [p for p in parts if p]
    if not any("<TABLE" in p for p in parts):
        return " ".join(parts)
    cells = "".join(f"<TD>{p}</TD>" for p in parts)
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{cells}</TR></TABLE>'


def edge_gradient(x: Any, digits: int, compact: bool = False) -> str:
    """The gradient flowing back along an edge, in the edge-gradient colour."""
    html = quantity(x, digits, compact)
    return f'<FONT COLOR="{EDGE_GRAD_COLOR}">{html}</FONT>' if html else ""


# -- the label of each element ----------------------------------------------

MAX_BOX_PORTS = 4
"""A collapsed module with at most this many sources gets one input cell per source."""
_COMMUTATIVE = {"add", "mul", "max", "min", "sum"}
_FIGURE_SPACE = "\u2007"  # as wide as a digit; Graphviz does not trim it


def value_attrs(scene: Scene, node: Node, module: str) -> dict[str, str]:
    """The attributes of a value's element: a record of its name, data and grad
    (a constant grey and dashed, the value whose rule just ran highlighted)."""
    rows = []
    if scene.show_data:
        rows.append(("data", quantity(node.data, scene.digits)))
    if scene.show_grad and node.requires_grad:
        rows.append(("grad", _grad_html(scene, node)))
    subtitle = ""
    if isinstance(node.data, np.ndarray):
        subtitle = "×".join(map(str, node.data.shape)) if node.data.ndim else "scalar"
        subtitle += f" {node.data.dtype}"
    label = "<" + record(scene.title(node, module), rows, subtitle) + ">"
    attrs = {"label": label}
    if not node.requires_grad:
        attrs.update(style="rounded,filled,dashed", fillcolor=CONST_FILL, fontcolor="#555555")
    if scene.step is not None and node is scene.step.node:
        attrs.update(fillcolor=STEP_FILL, penwidth="2")
    return attrs


def operation_attrs(scene: Scene, node: Node, rankdir: str) -> tuple[dict[str, str], bool]:
    """The attributes of the element of the operation that made ``node``, and
    whether its inputs are port cells."""
    op = node._op
    ordered = not op.variadic and len(node._prev) >= 2 and op.name not in _COMMUTATIVE
    grads = _edge_grads(scene, node)
    just_ran = scene.step is not None and node is scene.step.node
    fill = STEP_FILL if just_ran else OP_FILL
    symbol = escape_html(op.symbol)
    code = code_of(node)  # a compiled call: its code shows when the pointer rests on it
    hover = {"tooltip": code} if code else {}
    if not ordered and not scene.edge_grads:
        attrs = {"label": "<" + symbol + ">", "shape": "ellipse", "style": "filled",
                 "fillcolor": fill, "margin": "0.04,0.02", **hover}
        if just_ran:
            attrs["penwidth"] = "2"
        return attrs, False
    letters = "ab" if ordered else ""
    centre = f"a {symbol} b" if ordered else symbol
    ports = []
    for i, parent in enumerate(node._prev):
        letter = letters[i] if i < len(letters) else ""
        if scene.unit(parent) not in scene.kept:  # not drawn: no cell (100k inputs would be 100k)
            ports.append(None)
            continue
        flow = edge_gradient(grads[i], scene.digits) if i < len(grads) and grads[i] is not None else ""
        ports.append(beside(small(letter) if letter else "", flow))
    border = "2" if just_ran else "0"
    return {"label": "<" + ported(centre, ports, rankdir, fill, border) + ">",
            "shape": "plain", **hover}, True


def box_attrs(scene: Scene, box: Box, rankdir: str) -> tuple[dict[str, str], bool]:
    """A collapsed module: one row per parameter array and one for the outputs,
    each with data and grad; with edge gradients, one input cell per source
    (or, with more than :data:`MAX_BOX_PORTS` sources, one row of them).
    Returns the attributes and whether the inputs are port cells."""
    def grad(n: Node) -> Any:
        return _gradient(scene, n)[0] if n.requires_grad else None

    def cells(data: Any, g: Any) -> list[str]:
        shown = []
        if scene.show_data:
            shown.append(quantity(data, scene.digits, compact=True))
        if scene.show_grad:
            shown.append(quantity(g, scene.digits, compact=True))
        return shown

    grads = dict(parameter_arrays(box.params, grad))
    rows = [(f"{title}{_count(array)}", *cells(array, grads[title]))
            for title, array in parameter_arrays(box.params, lambda n: n.data)]
    out = _gather([n.data for n in box.outputs])
    rows.append((f"out{_count(out)}", *cells(out, _gather([grad(n) for n in box.outputs]))))
    sources = scene.sources(box)
    flows = [_flows_back(scene, box, values) for values in sources.values()] if scene.edge_grads else []
    flowing = any(f is not None for f in flows)
    is_ported = flowing and len(sources) <= MAX_BOX_PORTS
    if flowing and not is_ported:
        back = _gather([f for f in flows if f is not None])
        rows.append(("to inputs", *([""] if scene.show_data else []),
                     edge_gradient(back, scene.digits, compact=True)))
    header = [""] + ["data"] * scene.show_data + ["grad"] * scene.show_grad
    highlighted = scene.step is not None and any(m is scene.step.node for m in box.members)
    fill = STEP_FILL if highlighted else BOX_FILL
    title = relative(box.module, scene.modules.parent[box.module])
    table = record(title, rows, box.operations(), header if len(header) > 1 else ())
    if not is_ported:
        attrs = {"label": "<" + table + ">", "shape": "box", "style": "rounded,filled",
                 "fillcolor": fill}
        if highlighted:
            attrs["penwidth"] = "2"
        return attrs, False
    ports = []
    for values, flow in zip(sources.values(), flows):
        count = small(f"{len(values)} values") if len(values) > 1 else ""
        ports.append(beside(count, edge_gradient(flow, scene.digits, compact=True)
                            if flow is not None else ""))
    return {"label": "<" + ported(table, ports, rankdir, fill, "2" if highlighted else "0") + ">",
            "shape": "plain"}, True


def _gradient(scene: Scene, node: Node) -> tuple[Any, str]:
    """A value's gradient, and a note such as ``2 of 3 uses``: live, or at the step."""
    if scene.step is None:
        return node.grad, ""
    return gradient_state(node, scene.step, scene.uses)


def _grad_html(scene: Scene, node: Node) -> str:
    """The grad field of a value, padded to the scene's ``grad_width``."""
    g, note = _gradient(scene, node)
    html = quantity(g, scene.digits)
    if note:
        html = beside(html, small(escape_html(f"({note})"), PARTIAL_COLOR))
    if scene.grad_width and not isinstance(g, np.ndarray):
        html += _FIGURE_SPACE * max(0, scene.grad_width - grad_text_length(g, note, scene.digits))
    return html


def _edge_grads(scene: Scene, node: Node) -> list[Any]:
    """Gradients along the edges into ``node``'s operation: live, or at the step
    (none before the node's rule has run)."""
    if not scene.edge_grads:
        return []
    if scene.step is None:
        return edge_gradients(node)
    if node not in scene.step.done or node not in scene.step.grads:
        return []
    return edge_gradients(node, scene.step.grads[node])


def _flows_back(scene: Scene, box: Box, values: list[Node]) -> Any:
    """The gradient the box sends back to each of ``values`` (summed over the
    box's uses of it), gathered; None before it is known."""
    flows: dict[Node, Any] = {p: None for p in values}
    for member in box.members:
        grads = _edge_grads(scene, member)
        for i, parent in enumerate(member._prev):
            if parent in flows and i < len(grads) and grads[i] is not None:
                flows[parent] = grads[i] if flows[parent] is None else flows[parent] + grads[i]
    return _gather(list(flows.values()))


def _count(x: Any) -> str:
    """`` (16)`` or `` (16×2)`` after the name of an array of more than one entry."""
    if isinstance(x, np.ndarray) and x.size > 1:
        return f" ({'×'.join(map(str, x.shape))})"
    return ""


def _gather(values: list[Any]) -> Any:
    """One value as it is; several as one array (None if any is missing)."""
    if any(v is None for v in values):
        return None
    if len(values) == 1:
        return values[0]
    return flatten(values)
