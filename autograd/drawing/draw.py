"""Drawing a computation graph with Graphviz: values, gradients and gradient flow."""
from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from . import html as H
from ..speed.compiled import code_of
from .collapse import Box, build_boxes, flatten, parameter_arrays
from .layout import Wire, choose_rankdir, far_uses, label_size, ranks
from .names import Modules, assign_modules, collapsed_modules, parameter_names, relative
from .render import GraphDrawing
from .step import Uses, grad_text_length, gradient_state
from .step import caption_lines as step_caption
from .text import escape_html, escape_text
from ..core.graph import BackwardStep, Node, edge_gradients, topological_order

DEFAULT_MAX_NODES = 200

# colours: values that receive a gradient, constants, operations, the step just run
VALUE_FILL = "#dbe9f6"
CONST_FILL = "#eeeeee"
OP_FILL = "#ffffff"
BOX_FILL = "#e8f1e4"
STEP_FILL = "#ffd27f"
STEP_EDGE = "#e69500"
_CUT_ID = "collapsed"
_RANKDIRS = ("LR", "TB", "RL", "BT")
_COMMUTATIVE = {"add", "mul", "max", "min", "sum"}
_FIGURE_SPACE = "\u2007"  # as wide as a digit; Graphviz does not trim it
_CAPTION_PT = 540  # a caption is at least this wide, so frames keep one width
MAX_BOX_PORTS = 4
"""A collapsed module with at most this many sources gets one input cell per source."""


def draw_graph(
    root: Node,
    rankdir: str | None = None,
    show_data: bool = True,
    show_grad: bool = True,
    edge_grads: bool = False,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    *,
    names: Any = None,
    collapse: str | None = None,
    step: BackwardStep | None = None,
    digits: int = 4,
    legend: bool = False,
    fit: bool = True,
    grad_width: int = 0,
    caption_lines: int = 0,
) -> GraphDrawing:
    """Draw the graph that ``root`` depends on; returns a ``graphviz.Digraph``.

    Each value is a box (its name, data and grad; small arrays as a grid of
    rows and columns, larger ones as shape, dtype, min, mean and max); each
    operation is its own node showing its symbol; edges follow the data flow,
    one per use, so ``a + a`` has two edges from ``a``.  Constants are grey and
    dashed and have no grad.  Numbers have ``digits`` significant digits and
    zero is never ``-0``.  The inputs of ``-``, ``/``, ``**`` and ``@`` are
    marked ``a`` and ``b``.

    ``rankdir``: ``"LR"`` (left to right) or ``"TB"`` (top to bottom); by
    default left to right while that fits a notebook column, else whichever
    needs less shrinking.
    ``edge_grads``: write in the cell where each edge ends the gradient
    flowing back along it, upstream x local (the operation's own rule, via
    :func:`autograd.edge_gradients`): add distributes, mul swaps, max routes,
    and a value used twice receives the sum of its edges.
    ``names``: a model (anything with ``named_parameters()``, such as an
    ``nn.Module``) or a mapping from name to node; parameters are labelled
    with their dotted names and drawn inside a box (cluster) per module.
    ``collapse``: with ``names``, draw each ``"neuron"`` or ``"layer"`` as one
    box with its parameters, outputs and gradients.
    ``max_nodes``: draw at most this many values (a collapsed module counts
    as one), those nearest ``root``; a note says how many were left out.
    ``None`` draws everything.
    ``step``: a :class:`autograd.BackwardStep`; draws the gradients as they
    were at that step: blank when not computed yet, marked ``(2 of 3 uses)``
    while still collecting contributions; highlights the node whose backward
    rule just ran and says in a caption what it did.
    ``legend``: add a one-line legend of the colours.  ``fit``: scale the
    notebook display down to the column (False: natural size).
    ``grad_width``: pad every grad field to about this many characters, and
    ``caption_lines``: the step's caption to this many lines, so that the
    frames of a step-through keep one layout as gradients fill in.

    A value used again far from where it was drawn is drawn once more, small
    and dashed, beside that use (this keeps Graphviz fast).
    """
    if not isinstance(root, Node):
        raise TypeError(f"draw_graph needs the output node of a graph (a Value or Tensor), "
                        f"got {type(root).__name__}: {root!r:.60}")
    if max_nodes is not None and max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1 or None, got {max_nodes}")
    if rankdir is not None and rankdir not in _RANKDIRS:
        raise ValueError(f"rankdir must be None or one of {', '.join(_RANKDIRS)}; got {rankdir!r}")
    if collapse is not None and names is None:
        raise ValueError("collapse= needs names= (a model or a mapping): modules are found from "
                         "the names of their parameters")
    scene = _Scene(root, names, collapse, max_nodes, step, edge_grads, show_data, show_grad,
                   digits, grad_width)
    return scene.draw(rankdir, legend, fit, caption_lines)


class _Scene:
    """Everything one drawing needs: which nodes are drawn, as what, and where."""

    def __init__(self, root: Node, names: Any, collapse: str | None, max_nodes: int | None,
                 step: BackwardStep | None, edge_grads: bool, show_data: bool, show_grad: bool,
                 digits: int, grad_width: int) -> None:
        self.root, self.step, self.edge_grads = root, step, edge_grads
        self.show_data, self.show_grad, self.digits, self.grad_width = show_data, show_grad, digits, grad_width
        self.order = topological_order(root)
        self.index = {node: k for k, node in enumerate(self.order)}
        self.name_of = parameter_names(names) if names is not None else {}
        self.modules = assign_modules(self.order, self.name_of) if self.name_of else Modules({}, {}, [])
        collapsed = collapsed_modules(self.modules, self.name_of, collapse)
        self.box_of: dict[Node, str] = {}
        for node, module in self.modules.of.items():
            outer = [m for m in self.modules.chain(module) if m in collapsed]
            if outer:
                self.box_of[node] = outer[-1]
        self.boxes = build_boxes(self.order, self.box_of, self.name_of, root)
        self.box_ids = {m: f"m{j}" for j, m in enumerate(self.boxes)}
        self.uses = Uses.of(self.order) if step is not None else None
        self.kept, self.left_out = self._select(max_nodes)
        self.max_nodes = max_nodes

    # -- which units are drawn ---------------------------------------------
    def unit(self, node: Node) -> str:
        """The element that stands for ``node``: its own box, or its module's box."""
        module = self.box_of.get(node)
        return self.box_ids[module] if module is not None else f"n{self.index[node]}"

    def _select(self, max_nodes: int | None) -> tuple[set[str], int]:
        """The units nearest the root (breadth first), at most ``max_nodes``, and how
        many values were left out."""
        units_of_all = {self.unit(n) for n in self.order}
        if max_nodes is None or len(units_of_all) <= max_nodes:
            return units_of_all, 0
        inputs: dict[str, list[Node]] = {self.box_ids[m]: b.inputs for m, b in self.boxes.items()}
        start = self.unit(self.root)
        kept, queue = {start}, deque([start])
        while queue and len(kept) < max_nodes:
            unit = queue.popleft()
            parents = inputs[unit] if unit in inputs else self.order[int(unit[1:])]._prev
            for parent in parents:
                u = self.unit(parent)
                if u not in kept and len(kept) < max_nodes:
                    kept.add(u)
                    queue.append(u)
        left_out = sum(1 for n in self.order if self.unit(n) not in kept)
        return kept, left_out

    def drawn_nodes(self) -> list[Node]:
        return [n for n in self.order if n not in self.box_of and self.unit(n) in self.kept]

    def sources(self, box: Box) -> dict[str, list[Node]]:
        """The units a box's inputs come from (in order of first use), each with
        the values it gives the box: one edge, or input cell, per source."""
        by_source: dict[str, list[Node]] = {}
        for value in box.inputs:
            by_source.setdefault(self.unit(value), []).append(value)
        return by_source

    # -- text --------------------------------------------------------------
    def title(self, node: Node, module: str = "") -> str:
        name = self.name_of.get(node)
        if name is not None:
            return relative(name, module)
        return str(getattr(node, "label", "") or "")

    def gradient(self, node: Node) -> tuple[Any, str]:
        if self.step is None:
            return node.grad, ""
        return gradient_state(node, self.step, self.uses)

    def grad_html(self, node: Node) -> str:
        g, note = self.gradient(node)
        html = H.quantity(g, self.digits)
        if note:
            html = H.beside(html, H.small(escape_html(f"({note})"), H.PARTIAL_COLOR))
        if self.grad_width and not isinstance(g, np.ndarray):
            html += _FIGURE_SPACE * max(0, self.grad_width - grad_text_length(g, note, self.digits))
        return html

    def edge_grads_of(self, node: Node) -> list[Any]:
        """Gradients along the edges into ``node``'s operation: live, or at the step
        (none before the node's rule has run)."""
        if not self.edge_grads:
            return []
        if self.step is None:
            return edge_gradients(node)
        if node not in self.step.done or node not in self.step.grads:
            return []
        return edge_gradients(node, self.step.grads[node])

    # -- elements ----------------------------------------------------------
    def value_element(self, node: Node, module: str) -> dict[str, str]:
        rows = []
        if self.show_data:
            rows.append(("data", H.quantity(node.data, self.digits)))
        if self.show_grad and node.requires_grad:
            rows.append(("grad", self.grad_html(node)))
        subtitle = ""
        if isinstance(node.data, np.ndarray):
            subtitle = "×".join(map(str, node.data.shape)) if node.data.ndim else "scalar"
            subtitle += f" {node.data.dtype}"
        label = "<" + H.record(self.title(node, module), rows, subtitle) + ">"
        attrs = {"label": label}
        if not node.requires_grad:
            attrs.update(style="rounded,filled,dashed", fillcolor=CONST_FILL, fontcolor="#555555")
        if self.step is not None and node is self.step.node:
            attrs.update(fillcolor=STEP_FILL, penwidth="2")
        return attrs

    def op_element(self, node: Node, rankdir: str) -> tuple[dict[str, str], bool]:
        """The operation's node attributes, and whether its inputs are port cells."""
        op = node._op
        ordered = not op.variadic and len(node._prev) >= 2 and op.name not in _COMMUTATIVE
        grads = self.edge_grads_of(node)
        just_ran = self.step is not None and node is self.step.node
        fill = STEP_FILL if just_ran else OP_FILL
        symbol = escape_html(op.symbol)
        code = code_of(node)  # a compiled call: its code shows when the pointer rests on it
        hover = {"tooltip": code} if code else {}
        if not ordered and not self.edge_grads:
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
            flow = H.edge_gradient(grads[i], self.digits) if i < len(grads) and grads[i] is not None else ""
            ports.append(H.beside(H.small(letter) if letter else "", flow))
        border = "2" if just_ran else "0"
        return {"label": "<" + H.ported(centre, ports, rankdir, fill, border) + ">",
                "shape": "plain", **hover}, True

    def box_element(self, box: Box, rankdir: str) -> tuple[dict[str, str], bool]:
        """A collapsed module: one row per parameter array and one for the outputs,
        each with data and grad; with edge gradients, one input cell per source
        (or, with more than :data:`MAX_BOX_PORTS` sources, one row of them)."""
        def grad(n: Node) -> Any:
            return self.gradient(n)[0] if n.requires_grad else None

        def cells(data: Any, g: Any) -> list[str]:
            shown = []
            if self.show_data:
                shown.append(H.quantity(data, self.digits, compact=True))
            if self.show_grad:
                shown.append(H.quantity(g, self.digits, compact=True))
            return shown

        grads = dict(parameter_arrays(box.params, grad))
        rows = [(f"{title}{_count(array)}", *cells(array, grads[title]))
                for title, array in parameter_arrays(box.params, lambda n: n.data)]
        out = _gather([n.data for n in box.outputs])
        rows.append((f"out{_count(out)}", *cells(out, _gather([grad(n) for n in box.outputs]))))
        sources = self.sources(box)
        flows = [self._flows_back(box, values) for values in sources.values()] if self.edge_grads else []
        flowing = any(f is not None for f in flows)
        ported = flowing and len(sources) <= MAX_BOX_PORTS
        if flowing and not ported:
            back = _gather([f for f in flows if f is not None])
            rows.append(("to inputs", *([""] if self.show_data else []),
                         H.edge_gradient(back, self.digits, compact=True)))
        header = [""] + ["data"] * self.show_data + ["grad"] * self.show_grad
        highlighted = self.step is not None and self.step.node in box.members
        fill = STEP_FILL if highlighted else BOX_FILL
        title = relative(box.module, self.modules.parent[box.module])
        table = H.record(title, rows, box.operations(), header if len(header) > 1 else ())
        if not ported:
            attrs = {"label": "<" + table + ">", "shape": "box", "style": "rounded,filled",
                     "fillcolor": fill}
            if highlighted:
                attrs["penwidth"] = "2"
            return attrs, False
        ports = []
        for values, flow in zip(sources.values(), flows):
            count = H.small(f"{len(values)} values") if len(values) > 1 else ""
            ports.append(H.beside(count, H.edge_gradient(flow, self.digits, compact=True)
                                  if flow is not None else ""))
        return {"label": "<" + H.ported(table, ports, rankdir, fill, "2" if highlighted else "0") + ">",
                "shape": "plain"}, True

    def _flows_back(self, box: Box, values: list[Node]) -> Any:
        """The gradient the box sends back to each of ``values`` (summed over the
        box's uses of it), gathered; None before it is known."""
        flows: dict[Node, Any] = {p: None for p in values}
        for member in box.members:
            grads = self.edge_grads_of(member)
            for i, parent in enumerate(member._prev):
                if parent in flows and i < len(grads) and grads[i] is not None:
                    flows[parent] = grads[i] if flows[parent] is None else flows[parent] + grads[i]
        return _gather(list(flows.values()))

    # -- the whole drawing -------------------------------------------------
    def draw(self, rankdir: str | None, legend: bool, fit: bool, caption_lines: int = 0) -> GraphDrawing:
        values = self.drawn_nodes()
        elements, wires = self._wires(values)
        statements = self._statements(values, rankdir or "LR")
        chosen = rankdir
        if chosen is None:
            sizes = {e: label_size(attrs.get("label", "")) for e, (attrs, _, _) in statements.items()}
            chosen = choose_rankdir(ranks(elements, wires), sizes)
            if chosen != "LR":  # only input cells depend on the direction
                ported = {e for e, (_, has_ports, _) in statements.items() if has_ports}
                statements.update(self._statements(values, chosen, only=ported))
        drawing = GraphDrawing(
            name="computation_graph",
            graph_attr={"rankdir": chosen, "nodesep": "0.2", "ranksep": "0.3",
                        "fontname": "Helvetica", "fontsize": "10"},
            node_attr={"fontname": "Helvetica", "fontsize": "11", "shape": "box",
                       "style": "rounded,filled", "fillcolor": VALUE_FILL, "margin": "0.03,0.02"},
            edge_attr={"fontname": "Helvetica", "fontsize": "9", "arrowsize": "0.6"},
        )
        drawing.description = self.description()
        drawing.fit = fit
        wires, copies = self._shorten(statements, wires)
        self._emit(drawing, statements, copies)
        just_ran_op = f"n{self.index[self.step.node]}op" if self.step is not None else None
        for w in wires:
            attrs = dict(w.attrs)
            if w.head == just_ran_op:
                attrs.update(color=STEP_EDGE, penwidth="2")
            head = w.head
            if w.port and statements[w.head][1]:
                head = f"{w.head}:{w.port}:{_entry_side(chosen)}"
            drawing.body.append(f"\t{w.tail} -> {head}{_attr_list(attrs)}\n")
        label = self._graph_label(legend, caption_lines)
        if label:
            drawing.attr(label=label, labelloc="t", labeljust="l")
        return drawing

    def _wires(self, values: list[Node]) -> tuple[list[str], list[Wire]]:
        """Every element (values, operations, boxes) and every edge between them."""
        elements: list[str] = []
        wires: list[Wire] = []
        depth = _depths(self.order)
        for node in values:
            element = f"n{self.index[node]}"
            if node._op is not None:
                op_id = element + "op"
                elements.append(op_id)
                wires.append(Wire(op_id, element, "", (("weight", "10"),)))
                cut = 0
                main = max(range(len(node._prev)), key=lambda i: depth[node._prev[i]])
                for i, parent in enumerate(node._prev):
                    tail = self.unit(parent)
                    if tail in self.kept:
                        weight = "8" if i == main else "2"
                        wires.append(Wire(tail, op_id, f"i{i}", (("weight", weight),)))
                    else:
                        cut += 1
                if cut:
                    wires.append(Wire(_CUT_ID, op_id, "", (("style", "dashed"),) +
                                      ((("label", f"×{cut}"),) if cut > 1 else ())))
            elements.append(element)
        for module, box in self.boxes.items():
            box_id = self.box_ids[module]
            if box_id not in self.kept:
                continue
            elements.append(box_id)
            for k, (source, values) in enumerate(self.sources(box).items()):
                if source in self.kept:
                    count = len(values)
                    attrs = (("label", f"{count} values"),) if count > 1 and not self.edge_grads else ()
                    wires.append(Wire(source, box_id, f"i{k}", attrs))
        if self.left_out:
            elements.append(_CUT_ID)
        return elements, wires

    def _statements(self, values: list[Node], rankdir: str, only: set[str] | None = None
                    ) -> dict[str, tuple[dict[str, str], bool, str]]:
        """element -> (attributes, has input ports, cluster), for every element or
        just those in ``only``."""
        statements: dict[str, tuple[dict[str, str], bool, str]] = {}
        for node in values:
            module = self.modules.of.get(node, "")
            element = f"n{self.index[node]}"
            if node._op is not None and (only is None or element + "op" in only):
                op_attrs, ported = self.op_element(node, rankdir)
                statements[element + "op"] = (op_attrs, ported, module)
            if only is None:
                statements[element] = (self.value_element(node, module), False, module)
        for module, box in self.boxes.items():
            box_id = self.box_ids[module]
            if box_id in self.kept and (only is None or box_id in only):
                attrs, ported = self.box_element(box, rankdir)
                statements[box_id] = (attrs, ported, self.modules.parent[module])
        if self.left_out and only is None:
            statements[_CUT_ID] = ({
                "label": escape_html(f"… {self.left_out} more values not drawn"),
                "style": "dashed,rounded", "fillcolor": CONST_FILL, "fontcolor": "#666666",
            }, False, "")
        return statements

    def _shorten(self, statements: dict, wires: list[Wire]) -> tuple[list[Wire], dict[str, str]]:
        """Wires far from their value start from a small copy of it (see draw_layout)."""
        sources = {w.tail for w in wires if w.tail.startswith("n") and not w.tail.endswith("op")}
        far = far_uses(list(statements), wires, sources)
        copies: dict[str, str] = {}
        shortened = []
        for k, w in enumerate(wires):
            if k in far:
                copy = f"{w.tail}c{k}"
                copies[copy] = w.tail
                w = Wire(copy, w.head, w.port, tuple(a for a in w.attrs if a[0] != "weight"))
            shortened.append(w)
        return shortened, copies

    def _emit(self, drawing: GraphDrawing, statements: dict, copies: dict[str, str]) -> None:
        """Write the node statements, each inside its module's cluster."""
        by_cluster: dict[str, list[tuple[str, dict[str, str]]]] = {}
        for element, (attrs, _, cluster) in statements.items():
            by_cluster.setdefault(cluster, []).append((element, attrs))
        for copy, original in copies.items():
            node = self.order[int(original[1:])]
            text = escape_html(self.title(node)) or H.quantity(node.data, self.digits)
            by_cluster.setdefault(statements[original][2], []).append((copy, {
                "label": "<" + text + ">", "style": "rounded,filled,dashed",
                "fillcolor": VALUE_FILL if node.requires_grad else CONST_FILL,
                "fontsize": "9", "tooltip": "drawn again beside this use",
            }))
        tree: dict[str, list[str]] = {}
        wanted = set()
        for module in by_cluster:
            wanted.update(self.modules.chain(module))
        for module in self.modules.order:
            if module in wanted:
                tree.setdefault(self.modules.parent[module], []).append(module)
        self._emit_cluster(drawing, "", by_cluster, tree)

    def _emit_cluster(self, graph: Any, module: str, by_cluster: dict, tree: dict) -> None:
        for element, attrs in by_cluster.get(module, []):
            graph.body.append(f"\t{element}{_attr_list(attrs)}\n")
        for child in tree.get(module, []):
            number = self.modules.order.index(child)
            with graph.subgraph(name=f"cluster_{number}") as sub:
                sub.attr(label="<" + H.small(escape_html(relative(child, module))) + ">",
                         labeljust="l", style="rounded,dashed", color="#9aa8b8",
                         fontname="Helvetica")
                self._emit_cluster(sub, child, by_cluster, tree)

    def _graph_label(self, legend: bool, caption_lines: int) -> str:
        """Notes, the step's caption (at a fixed width and number of lines) and the legend."""
        rows = []
        if self.left_out:
            note = (f"showing the {len(self.kept)} values nearest the output, {self.left_out} "
                    f"more not drawn (max_nodes={self.max_nodes}; max_nodes=None draws all)")
            rows.append(f'<TR><TD ALIGN="LEFT">{escape_html(note)}</TD></TR>')
        if self.step is not None:
            lines = step_caption(self.step, self.uses, self.order, self.digits, self.name_of)
            lines += [" "] * (caption_lines - len(lines))
            rows += [f'<TR><TD ALIGN="LEFT" WIDTH="{_CAPTION_PT}">{escape_html(line)}</TD></TR>'
                     for line in lines]
        if legend:
            rows.append(f'<TR><TD ALIGN="LEFT">{self._legend()}</TD></TR>')
        if not rows:
            return ""
        return f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}</TABLE>>'

    def _legend(self) -> str:
        """One compact row: what the colours mean."""
        items = [(VALUE_FILL, "value (data, grad)"), (CONST_FILL, "constant"), (OP_FILL, "operation")]
        if self.boxes:
            items.append((BOX_FILL, "module drawn as one box"))
        if self.step is not None:
            items.append((STEP_FILL, "just ran"))
        cells = "".join(f'<TD BGCOLOR="{c}" BORDER="1">{H.small(escape_html(t))}</TD>' for c, t in items)
        if self.edge_grads:
            cells += f'<TD>{H.small("gradient flowing back along the edge", H.EDGE_GRAD_COLOR)}</TD>'
        if self.step is not None:
            cells += f'<TD>{H.small("(k of n uses): still adding up", H.PARTIAL_COLOR)}</TD>'
        return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2"><TR>{cells}</TR></TABLE>'

    def description(self) -> str:
        """The drawing's text form: ``graph of f: 5 values, 2 operations``."""
        who = self.title(self.root) or "the output"
        operations = sum(1 for n in self.order if n._op is not None)
        text = f"graph of {who}: {len(self.order)} values, {operations} operations"
        notes = []
        if self.boxes:
            notes.append(f"{len(self.boxes)} modules drawn as boxes")
        if self.left_out:
            notes.append(f"{self.left_out} values not drawn")
        return text + (f" ({', '.join(notes)})" if notes else "")


def _attr_list(attrs: dict[str, str]) -> str:
    """`` [key=value ...]`` for a DOT statement: HTML-like labels (``<...>``) as
    they are, other values quoted.  (Written here rather than through
    ``graphviz.Digraph.node``, which takes most of the time on big graphs.)"""
    if not attrs:
        return ""
    parts = [f"{k}={v}" if v.startswith("<") else f'{k}="{escape_text(v)}"' for k, v in attrs.items()]
    return " [" + " ".join(parts) + "]"


def _count(x: Any) -> str:
    """`` (16)`` or `` (16×2)`` after the name of an array of more than one entry."""
    if isinstance(x, np.ndarray) and x.size > 1:
        return f" ({'×'.join(map(str, x.shape))})"
    return ""


def _depths(order: list[Node]) -> dict[Node, int]:
    """The length of the longest path from a leaf to each node.  The edge from an
    operation's deepest input gets the most weight, so the main line of a long
    graph is drawn straight and side branches hang off it."""
    depth: dict[Node, int] = {}
    for node in order:
        depth[node] = 1 + max((depth[p] for p in node._prev), default=-1)
    return depth


def _gather(values: list[Any]) -> Any:
    """One value as it is; several as one array (None if any is missing)."""
    if any(v is None for v in values):
        return None
    if len(values) == 1:
        return values[0]
    return flatten(values)


def _entry_side(rankdir: str) -> str:
    return {"LR": "w", "RL": "e", "TB": "n", "BT": "s"}[rankdir]
