"""A module drawn as one box: what goes in, its parameters, what comes out.

With ``collapse="neuron"`` or ``"layer"`` every node of such a module (see
:mod:`autograd.drawing.names`) is drawn inside one box.  The box lists the
module's parameters, gathered into arrays by their names (a layer's
``neurons.3.w.1`` is entry (3, 1) of a 16×2 ``w``), with data and gradients,
and its outputs (the values used outside it) with data and gradients.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .names import relative
from ..core.graph import Node


@dataclass
class Box:
    """One collapsed module: ``members`` in graph order, ``inputs`` (values outside
    it that its members read, each once, in order of first use), ``outputs``
    (members used outside it, or the root) and ``params`` (named members)."""

    module: str
    members: list[Node] = field(default_factory=list)
    inputs: list[Node] = field(default_factory=list)
    outputs: list[Node] = field(default_factory=list)
    params: list[tuple[str, Node]] = field(default_factory=list)

    def operations(self) -> str:
        """The operations inside, each symbol once, in order: ``'Σwx+b → ReLU'``."""
        symbols = dict.fromkeys(n._op.symbol for n in self.members if n._op is not None)
        return " → ".join(symbols)


def build_boxes(order: list[Node], box_of: dict[Node, str], name_of: dict[Node, str],
                root: Node) -> dict[str, Box]:
    """The boxes of the modules in ``box_of`` (node -> collapsed module)."""
    boxes: dict[str, Box] = {}
    inputs_seen: dict[str, set[Node]] = {}  # box.inputs as a set: a list test is quadratic
    for node in order:
        module = box_of.get(node)
        if module is None:
            continue
        box = boxes.setdefault(module, Box(module))
        seen = inputs_seen.setdefault(module, set())
        box.members.append(node)
        if node in name_of:
            box.params.append((relative(name_of[node], module), node))
        for parent in node._prev:
            if box_of.get(parent) != module and parent not in seen:
                seen.add(parent)
                box.inputs.append(parent)
    used_outside = {p for node in order for p in node._prev if box_of.get(p) != box_of.get(node)}
    for box in boxes.values():
        box.outputs = [n for n in box.members if n in used_outside or n is root]
    return boxes


def parameter_arrays(params: list[tuple[str, Node]], value: Callable[[Node], Any]
                     ) -> list[tuple[str, Any]]:
    """The parameters gathered into arrays by name, ``value(node)`` giving each
    entry (its data or gradient): ``w.0, w.1, b`` -> ``[("w", array of 2), ("b", b)]``;
    ``neurons.J.w.K`` -> ``("w", array of J×K)``.  Array parameters (Tensors) stay
    as they are; an entry with no value yet (None) makes the whole array None."""
    groups: dict[str, list[tuple[tuple[int, ...], Any]]] = {}
    for name, node in params:
        parts = name.split(".")
        key = ".".join("*" if p.isdigit() else p for p in parts)
        index = tuple(int(p) for p in parts if p.isdigit())
        groups.setdefault(key, []).append((index, value(node)))
    shown = [k.replace(".*", "").replace("*.", "").split(".")[-1] or k for k in groups]
    result = []
    for (key, entries), short in zip(groups.items(), shown):
        title = short if shown.count(short) == 1 else key
        values = [v for _, v in entries]
        if any(v is None for v in values):
            result.append((title, None))
        elif not entries[0][0] or any(isinstance(v, np.ndarray) for v in values):
            result.append((title, values[0] if len(values) == 1 else flatten(values)))
        else:
            result.append((title, _array(entries)))
    return result


def _array(entries: list[tuple[tuple[int, ...], Any]]) -> np.ndarray:
    dims = len(entries[0][0])
    if any(len(i) != dims for i, _ in entries):
        return np.array([v for _, v in entries], dtype=float)
    shape = tuple(max(i[d] for i, _ in entries) + 1 for d in range(dims))
    array = np.full(shape, np.nan)
    for index, v in entries:
        array[index] = v
    return array


def flatten(values: list[Any]) -> np.ndarray:
    """Numbers and arrays as one flat float array, in order."""
    return np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in values])
