"""What one drawing shows: its nodes, their names and modules, the collapsed boxes,
the element that stands for each node, and which elements are kept.

Every element of a drawing has an id: ``n12`` is the value at position 12 of
the graph order, ``n12op`` the operation that made it, ``m3`` the fourth
collapsed module, ``collapsed`` the note standing for the values left out.
The scene keeps dicts both ways (node to id, id to node or box), so an id is
never read back into a node.
"""
from __future__ import annotations

from collections import deque
from typing import Any

from .collapse import Box, build_boxes
from .names import Modules, assign_modules, collapsed_modules, compiled_call_names, parameter_names, relative
from .step import Uses
from ..core.graph import BackwardStep, Node, topological_order

LEFT_OUT = "collapsed"
"""The id of the element that stands for the values not drawn."""

AUTO_WHOLE = 60
"""A named graph of at most this many values is drawn whole by default."""
AUTO_NEURONS = 200
"""... of at most this many, one box per neuron; beyond it, one box per layer."""


class Scene:
    """Which nodes one drawing shows and as what (their own element or their
    module's box), with the options its labels are drawn with."""

    def __init__(self, root: Node, names: Any, collapse: str | None, max_nodes: int | None,
                 step: BackwardStep | None, edge_grads: bool, show_data: bool, show_grad: bool,
                 digits: int, grad_width: int) -> None:
        self.root, self.step, self.max_nodes = root, step, max_nodes
        self.edge_grads, self.show_data, self.show_grad = edge_grads, show_data, show_grad
        self.digits, self.grad_width = digits, grad_width
        self.order = topological_order(root)
        self.auto_note = ""
        if collapse == "auto":
            names, collapse = self._automatic(names)
        self.name_of = parameter_names(names) if names is not None else {}
        self.modules = assign_modules(self.order, self.name_of) if self.name_of else Modules({}, {}, [])
        collapsed = collapsed_modules(self.modules, self.name_of, collapse)
        self.box_of: dict[Node, str] = {}
        for node, module in self.modules.of.items():
            outer = [m for m in self.modules.chain(module) if m in collapsed]
            if outer:
                self.box_of[node] = outer[-1]
        self.boxes = build_boxes(self.order, self.box_of, self.name_of, root)
        self.element = {node: f"n{k}" for k, node in enumerate(self.order)}
        self.node_at = {element: node for node, element in self.element.items()}
        self.box_element = {module: f"m{j}" for j, module in enumerate(self.boxes)}
        self.box_at = {element: self.boxes[module] for module, element in self.box_element.items()}
        self.uses = Uses.of(self.order) if step is not None else None
        self.kept, self.left_out = self._select()

    def _automatic(self, names: Any) -> tuple[Any, str | None]:
        """``collapse="auto"``: the names and the level a drawing gets by default.  A
        compiled model's parameters are named after the model, one box per layer; a named
        graph is drawn whole up to :data:`AUTO_WHOLE` values, by neuron up to
        :data:`AUTO_NEURONS`, else by layer (and ``auto_note`` says so)."""
        if names is None:
            names = compiled_call_names(self.order) or None
            return names, "layer" if names else None
        count = len(self.order)
        if count <= AUTO_WHOLE:
            return names, None
        level = "neuron" if count <= AUTO_NEURONS else "layer"
        self.auto_note = (f'{count} values: each {level} drawn as one box '
                          f'(collapse=None draws every value)')
        return names, level

    def op_element(self, node: Node) -> str:
        """The id of the operation that made ``node``: ``n12op``."""
        return self.element[node] + "op"

    def unit(self, node: Node) -> str:
        """The element that stands for ``node``: its own box, or its module's box."""
        module = self.box_of.get(node)
        return self.box_element[module] if module is not None else self.element[node]

    def _select(self) -> tuple[set[str], int]:
        """The units nearest the root (breadth first), at most ``max_nodes``, and how
        many values were left out."""
        max_nodes = self.max_nodes
        units_of_all = {self.unit(n) for n in self.order}
        if max_nodes is None or len(units_of_all) <= max_nodes:
            return units_of_all, 0
        start = self.unit(self.root)
        kept, queue = {start}, deque([start])
        while queue and len(kept) < max_nodes:
            unit = queue.popleft()
            parents = self.box_at[unit].inputs if unit in self.box_at else self.node_at[unit]._prev
            for parent in parents:
                u = self.unit(parent)
                if u not in kept and len(kept) < max_nodes:
                    kept.add(u)
                    queue.append(u)
        left_out = sum(1 for n in self.order if self.unit(n) not in kept)
        return kept, left_out

    def drawn_nodes(self) -> list[Node]:
        """The values drawn as their own element, in graph order."""
        return [n for n in self.order if n not in self.box_of and self.unit(n) in self.kept]

    def drawn_boxes(self) -> dict[str, Box]:
        """The boxes drawn, by element id, in the order of their modules."""
        return {e: box for e, box in self.box_at.items() if e in self.kept}

    def cluster(self, module: str) -> str:
        """The Graphviz name of the cluster (dashed frame) ``module`` is drawn in."""
        return f"cluster_{self.modules.order.index(module)}"

    def sources(self, box: Box) -> dict[str, list[Node]]:
        """The units a box's inputs come from (in order of first use), each with
        the values it gives the box: one edge, or input cell, per source."""
        by_source: dict[str, list[Node]] = {}
        for value in box.inputs:
            by_source.setdefault(self.unit(value), []).append(value)
        return by_source

    def title(self, node: Node, module: str = "") -> str:
        """The name a value is drawn with: its parameter name (relative to
        ``module``), else its label, else ''."""
        name = self.name_of.get(node)
        if name is not None:
            return relative(name, module)
        return str(getattr(node, "label", "") or "")

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
