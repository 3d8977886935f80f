"""Drawing a computation graph with Graphviz: values, gradients and gradient flow.

:func:`draw_graph` checks its arguments, makes the :class:`~.scene.Scene` (what
is drawn), and assembles the DOT source: one statement per element (labels from
:mod:`.labels`), inside its module's cluster, then the wires (from
:mod:`.layout`), then the graph's notes, caption and legend.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from .labels import (BOX_FILL, CONST_FILL, EDGE_GRAD_COLOR, OP_FILL, PARTIAL_COLOR, STEP_EDGE,
                     STEP_FILL, VALUE_FILL, box_attrs, operation_attrs, quantity, small,
                     value_attrs)
from .layout import choose_rankdir, elements_and_wires, label_size, ranks, shorten_far_uses
from .names import relative
from .render import GraphDrawing
from .scene import LEFT_OUT, Scene
from .step import caption_lines as step_caption
from .text import escape_html, escape_text
from ..core.graph import BackwardStep, Node

DEFAULT_MAX_NODES = 200

_RANKDIRS = ("LR", "TB", "RL", "BT")
_CAPTION_PT = 540  # a caption is at least this wide, so frames keep one width


def draw_graph(
    root: Node,
    rankdir: str | None = None,
    show_data: bool = True,
    show_grad: bool = True,
    edge_grads: bool = False,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    *,
    names: Any = None,
    collapse: str | None = "auto",
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
    box with its parameters, outputs and gradients; ``None`` draws every value.
    The default ``"auto"`` keeps a named graph readable in a notebook column:
    every value up to 60 values, neurons as boxes up to 200, layers beyond
    (a note says which was chosen); a compiled model's call is drawn with one
    box per layer, named after the model's parameters.
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
    if collapse not in (None, "auto") and names is None:
        raise ValueError("collapse= needs names= (a model or a mapping): modules are found from "
                         "the names of their parameters")
    scene = Scene(root, names, collapse, max_nodes, step, edge_grads, show_data, show_grad,
                  digits, grad_width)
    return _assemble(scene, rankdir, legend, fit, caption_lines)


class Statement(NamedTuple):
    """One element's node statement: its attributes, whether edges end at its
    input cells (ports), and the module whose cluster it is drawn in."""

    attrs: dict[str, str]
    ported: bool
    cluster: str


def _assemble(scene: Scene, rankdir: str | None, legend: bool, fit: bool,
              caption_lines: int) -> GraphDrawing:
    """The DOT source of the scene: node statements in clusters, edges, graph label."""
    values = scene.drawn_nodes()
    elements, wires = elements_and_wires(scene, values)
    statements = _statements(scene, values, rankdir or "LR")
    chosen = rankdir
    if chosen is None:
        sizes = {e: label_size(s.attrs.get("label", "")) for e, s in statements.items()}
        chosen = choose_rankdir(ranks(elements, wires), sizes)
        if chosen != "LR":  # only input cells depend on the direction
            ported = {e for e, s in statements.items() if s.ported}
            statements.update(_statements(scene, values, chosen, only=ported))
    drawing = GraphDrawing(
        name="computation_graph",
        graph_attr={"rankdir": chosen, "nodesep": "0.2", "ranksep": "0.3",
                    "fontname": "Helvetica", "fontsize": "10"},
        node_attr={"fontname": "Helvetica", "fontsize": "11", "shape": "box",
                   "style": "rounded,filled", "fillcolor": VALUE_FILL, "margin": "0.03,0.02"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9", "arrowsize": "0.6"},
    )
    drawing.description = scene.description()
    drawing.fit = fit
    wires, copies = shorten_far_uses(scene, list(statements), wires)
    if any(key == "lhead" for w in wires for key, _ in w.attrs):  # edges bundled between layers:
        drawing.graph_attr.update(compound="true", ordering="out")  # neurons in index order
    _write_nodes(drawing, scene, statements, copies)
    just_ran_op = scene.op_element(scene.step.node) if scene.step is not None else None
    for w in wires:
        attrs = dict(w.attrs)
        if w.head == just_ran_op:
            attrs.update(color=STEP_EDGE, penwidth="2")
        head = w.head
        if w.port and statements[w.head].ported:
            head = f"{w.head}:{w.port}:{_entry_side(chosen)}"
        drawing.body.append(f"\t{w.tail} -> {head}{_attr_list(attrs)}\n")
    label = _graph_label(scene, legend, caption_lines)
    if label:
        drawing.attr(label=label, labelloc="t", labeljust="l")
    return drawing


def _statements(scene: Scene, values: list[Node], rankdir: str, only: set[str] | None = None
                ) -> dict[str, Statement]:
    """The statement of every element, or just of those in ``only``."""
    statements: dict[str, Statement] = {}
    for node in values:
        module = scene.modules.of.get(node, "")
        if node._op is not None and (only is None or scene.op_element(node) in only):
            statements[scene.op_element(node)] = Statement(*operation_attrs(scene, node, rankdir), module)
        if only is None:
            statements[scene.element[node]] = Statement(value_attrs(scene, node, module), False, module)
    for box_id, box in scene.drawn_boxes().items():
        if only is None or box_id in only:
            statements[box_id] = Statement(*box_attrs(scene, box, rankdir),
                                           scene.modules.parent[box.module])
    if scene.left_out and only is None:
        statements[LEFT_OUT] = Statement({
            "label": escape_html(f"… {scene.left_out} more values not drawn"),
            "style": "dashed,rounded", "fillcolor": CONST_FILL, "fontcolor": "#666666",
        }, False, "")
    return statements


def _write_nodes(drawing: GraphDrawing, scene: Scene, statements: dict[str, Statement],
                 copies: dict[str, str]) -> None:
    """Write the node statements and the copies of far-used values, each inside
    its module's cluster."""
    by_cluster: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for element, statement in statements.items():
        by_cluster.setdefault(statement.cluster, []).append((element, statement.attrs))
    for copy, original in copies.items():
        node = scene.node_at[original]
        text = escape_html(scene.title(node)) or quantity(node.data, scene.digits)
        by_cluster.setdefault(statements[original].cluster, []).append((copy, {
            "label": "<" + text + ">", "style": "rounded,filled,dashed",
            "fillcolor": VALUE_FILL if node.requires_grad else CONST_FILL,
            "fontsize": "9", "tooltip": "drawn again beside this use",
        }))
    tree: dict[str, list[str]] = {}
    wanted = set()
    for module in by_cluster:
        wanted.update(scene.modules.chain(module))
    for module in scene.modules.order:
        if module in wanted:
            tree.setdefault(scene.modules.parent[module], []).append(module)
    _write_cluster(drawing, scene, "", by_cluster, tree)


def _write_cluster(graph: Any, scene: Scene, module: str, by_cluster: dict, tree: dict) -> None:
    """Write ``module``'s statements, then each module inside it as a cluster."""
    for element, attrs in by_cluster.get(module, []):
        graph.body.append(f"\t{element}{_attr_list(attrs)}\n")
    for child in tree.get(module, []):
        with graph.subgraph(name=scene.cluster(child)) as sub:
            sub.attr(label="<" + small(escape_html(relative(child, module))) + ">",
                     labeljust="l", style="rounded,dashed", color="#9aa8b8",
                     fontname="Helvetica")
            _write_cluster(sub, scene, child, by_cluster, tree)


def _graph_label(scene: Scene, legend: bool, caption_lines: int) -> str:
    """Notes, the step's caption (at a fixed width and number of lines) and the legend."""
    rows = []
    if scene.auto_note:
        rows.append(f'<TR><TD ALIGN="LEFT">{escape_html(scene.auto_note)}</TD></TR>')
    if scene.left_out:
        note = (f"showing the {len(scene.kept)} values nearest the output, {scene.left_out} "
                f"more not drawn (max_nodes={scene.max_nodes}; max_nodes=None draws all)")
        rows.append(f'<TR><TD ALIGN="LEFT">{escape_html(note)}</TD></TR>')
    if scene.step is not None:
        lines = step_caption(scene.step, scene.uses, scene.order, scene.digits, scene.name_of)
        lines += [" "] * (caption_lines - len(lines))
        rows += [f'<TR><TD ALIGN="LEFT" WIDTH="{_CAPTION_PT}">{escape_html(line)}</TD></TR>'
                 for line in lines]
    if legend:
        rows.append(f'<TR><TD ALIGN="LEFT">{_legend(scene)}</TD></TR>')
    if not rows:
        return ""
    return f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}</TABLE>>'


def _legend(scene: Scene) -> str:
    """One compact row: what the colours mean."""
    items = [(VALUE_FILL, "value (data, grad)"), (CONST_FILL, "constant"), (OP_FILL, "operation")]
    if scene.boxes:
        items.append((BOX_FILL, "module drawn as one box"))
    if scene.step is not None:
        items.append((STEP_FILL, "just ran"))
    cells = "".join(f'<TD BGCOLOR="{c}" BORDER="1">{small(escape_html(t))}</TD>' for c, t in items)
    if scene.edge_grads:
        cells += f'<TD>{small("gradient flowing back along the edge", EDGE_GRAD_COLOR)}</TD>'
    if scene.step is not None:
        cells += f'<TD>{small("(k of n uses): still adding up", PARTIAL_COLOR)}</TD>'
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2"><TR>{cells}</TR></TABLE>'


def _attr_list(attrs: dict[str, str]) -> str:
    """`` [key=value ...]`` for a DOT statement: HTML-like labels (``<...>``) as
    they are, other values quoted.  (Written here rather than through
    ``graphviz.Digraph.node``, which takes most of the time on big graphs.)"""
    if not attrs:
        return ""
    parts = [f"{k}={v}" if v.startswith("<") else f'{k}="{escape_text(v)}"' for k, v in attrs.items()]
    return " [" + " ".join(parts) + "]"


def _entry_side(rankdir: str) -> str:
    """The compass side of a port that edges enter from, for ``rankdir``."""
    return {"LR": "w", "RL": "e", "TB": "n", "BT": "s"}[rankdir]
