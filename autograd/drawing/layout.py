"""Layout decisions made before Graphviz runs: the wires between the elements and
their weights, the direction, and which long edges to shorten, so that every
drawing is quick to lay out and keeps a sensible size.

Graphviz's ``dot`` places every edge that spans several ranks through one
invisible node per rank; a value used a hundred times along a long chain gives
thousands of them, and ``dot`` then runs for minutes.  Here a value keeps the
edge to its nearest use; a use further than :data:`MAX_SPAN` ranks away gets
a small copy of the value (its name, dashed) right beside it instead.
"""
from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass, replace

from ..core.graph import Node
from .scene import LEFT_OUT, Scene

MAX_SPAN = 4
"""Edges spanning more ranks than this go through a copy of their value (but each
value keeps its shortest edge) ..."""
LONG_EDGE_BUDGET = 60
"""... once the graph has that many ranks of long edges in all; a small graph keeps
every edge, so that a value used twice is seen once, with two edges leaving it."""
COLUMN_PT = 760
"""About the width of a notebook column, in points (1,000 px)."""
TALL_PT = 2400
"""A drawing this tall counts as much against it as one a column wide."""
_CHAR_PT, _LINE_PT, _PAD_PT = 6.2, 15.0, 14.0
_RANKSEP_PT, _NODESEP_PT = 26.0, 18.0
_LINE_BREAK = re.compile(r"<TR>|<BR/>|<HR/>")
_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&\w+;|&#\d+;")


@dataclass(frozen=True)
class Wire:
    """One edge to draw: from element ``tail`` to element ``head`` (optionally at
    ``port`` of the head); ``attrs`` are its Graphviz attributes."""

    tail: str
    head: str
    port: str = ""
    attrs: tuple[tuple[str, str], ...] = ()


def elements_and_wires(scene: Scene, values: list[Node]) -> tuple[list[str], list[Wire]]:
    """Every element (``values``, their operations, the boxes drawn) and every
    wire between them; inputs that are not drawn wire the note of the values
    left out to the operation, dashed."""
    elements: list[str] = []
    wires: list[Wire] = []
    depth = _depths(scene.order)
    for node in values:
        element = scene.element[node]
        if node._op is not None:
            op_id = scene.op_element(node)
            elements.append(op_id)
            wires.append(Wire(op_id, element, "", (("weight", "10"),)))
            cut = 0
            main = max(range(len(node._prev)), key=lambda i: depth[node._prev[i]])
            into_op: dict[str, Wire] = {}  # a collapsed box gives the operation one wire
            from_box: dict[str, int] = {}
            for i, parent in enumerate(node._prev):
                tail = scene.unit(parent)
                if tail in scene.box_at:
                    from_box[tail] = from_box.get(tail, 0) + 1
                    if from_box[tail] > 1:
                        continue
                if tail in scene.kept:
                    weight = "8" if i == main else "2"
                    into_op[f"{tail} {i}"] = Wire(tail, op_id, f"i{i}", (("weight", weight),))
                else:
                    cut += 1
            for wire in into_op.values():
                count = from_box.get(wire.tail, 0)
                label = (("label", f"{count} values"),) if count > 1 else ()
                wires.append(replace(wire, attrs=wire.attrs + label))
            if cut:
                wires.append(Wire(LEFT_OUT, op_id, "", (("style", "dashed"),) +
                                  ((("label", f"×{cut}"),) if cut > 1 else ())))
        elements.append(element)
    between_layers: dict[tuple[str, str], list[Wire]] = defaultdict(list)
    for box_id, box in scene.drawn_boxes().items():
        elements.append(box_id)
        for k, (source, inputs) in enumerate(scene.sources(box).items()):
            if source in scene.kept:
                count = len(inputs)
                attrs = (("label", f"{count} values"),) if count > 1 and not scene.edge_grads else ()
                wire = Wire(source, box_id, f"i{k}", attrs)
                pair = _layer_pair(scene, source, box.module)
                if pair is None:
                    wires.append(wire)
                else:
                    between_layers[pair].append(wire)
    anchored: set[str] = set()
    for pair, bundle in between_layers.items():
        wires += _bundled(scene, pair, bundle, anchored)
    if scene.left_out:
        elements.append(LEFT_OUT)
    return elements, wires


def _layer_pair(scene: Scene, source: str, module: str) -> tuple[str, str] | None:
    """For a wire from ``source`` into the box of ``module`` drawn inside an
    enclosing module (a neuron inside its layer): the source's layer (or the
    source itself when it is a value, not a box) and the module's layer; None
    when the module is not inside another, or both are in one layer."""
    layer = scene.modules.parent[module]
    if not layer:
        return None
    if source not in scene.box_at:
        return source, layer
    from_layer = scene.modules.parent[scene.box_at[source].module]
    return (from_layer, layer) if from_layer and from_layer != layer else None


def _bundled(scene: Scene, pair: tuple[str, str], bundle: list[Wire], anchored: set[str]) -> list[Wire]:
    """The wires from one layer (or value) into the neurons of another layer drawn
    as one labelled edge into that layer's frame (Graphviz's ``lhead``, and
    ``ltail`` from a layer), instead of a band of every neuron to every neuron;
    invisible wires from one source keep each neuron after it, in index order
    (each neuron gets them once: ``anchored`` holds those that have them).  A
    single wire stays as it is."""
    if len(bundle) == 1:
        return bundle
    tails = list(dict.fromkeys(w.tail for w in bundle))
    heads = list(dict.fromkeys(w.head for w in bundle))
    middle_tail, middle_head = tails[len(tails) // 2], heads[len(heads) // 2]
    every = len(bundle) == len(tails) * len(heads)
    label = (f"each of {len(tails)} → each of {len(heads)}" if every
             else f"{len(bundle)} connections, {len(tails)} → {len(heads)}")
    if every and len(tails) == 1:
        label = f"to each of {len(heads)}"
    elif every and len(heads) == 1:
        label = f"all {len(tails)}"
    frames = (("lhead", scene.cluster(pair[1])),)
    if pair[0] in scene.modules.parent:
        frames = (("ltail", scene.cluster(pair[0])),) + frames
    shown = Wire(middle_tail, middle_head, "", frames + (("label", label), ("penwidth", "2"),
                                                       ("constraint", "false")))
    hidden = [Wire(middle_tail, head, "", (("style", "invis"),)) for head in heads if head not in anchored]
    anchored.update(heads)
    return hidden + [shown]


def _depths(order: list[Node]) -> dict[Node, int]:
    """The length of the longest path from a leaf to each node.  The edge from an
    operation's deepest input gets the most weight, so the main line of a long
    graph is drawn straight and side branches hang off it."""
    depth: dict[Node, int] = {}
    for node in order:
        depth[node] = 1 + max((depth[p] for p in node._prev), default=-1)
    return depth


def label_size(label: str) -> tuple[float, float]:
    """A rough size (points) of a node with an HTML-like or plain ``label``."""
    lines = [_ENTITY.sub("x", _TAG.sub("", part)) for part in _LINE_BREAK.split(label)]
    lines = [line for line in lines if line.strip()] or [""]
    width = max(len(line) for line in lines) * _CHAR_PT + _PAD_PT
    return width, len(lines) * _LINE_PT + _PAD_PT / 2


def ranks(elements: list[str], wires: list[Wire], from_output: bool = False) -> dict[str, int]:
    """The rank of each element: the length of the longest path of wires into it,
    or with ``from_output`` out of it, counted back from the output (Kahn's
    algorithm; elements on a cycle get the rank they reached)."""
    incoming: dict[str, int] = {e: 0 for e in elements}
    outgoing: dict[str, list[str]] = defaultdict(list)
    for w in wires:
        tail, head = (w.head, w.tail) if from_output else (w.tail, w.head)
        incoming[head] = incoming.get(head, 0) + 1
        incoming.setdefault(tail, 0)
        outgoing[tail].append(head)
    rank = {e: 0 for e in incoming}
    ready = deque(e for e, n in incoming.items() if n == 0)
    while ready:
        element = ready.popleft()
        for head in outgoing[element]:
            rank[head] = max(rank[head], rank[element] + 1)
            incoming[head] -= 1
            if incoming[head] == 0:
                ready.append(head)
    return rank


def choose_rankdir(rank: dict[str, int], sizes: dict[str, tuple[float, float]]) -> str:
    """``"LR"`` (left to right) while that fits a notebook column, else whichever of
    ``"LR"`` and ``"TB"`` (top to bottom) needs less shrinking: width against
    :data:`COLUMN_PT`, height against :data:`TALL_PT`."""
    by_rank: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for element, r in rank.items():
        by_rank[r].append(sizes.get(element, (40.0, 20.0)))
    if not by_rank:
        return "LR"
    across = [sum(w for w, _ in s) + _NODESEP_PT * (len(s) - 1) for s in by_rank.values()]
    down = [sum(h for _, h in s) + _NODESEP_PT * (len(s) - 1) for s in by_rank.values()]
    lr = (sum(max(w for w, _ in s) for s in by_rank.values()) + _RANKSEP_PT * len(by_rank), max(down))
    tb = (max(across), sum(max(h for _, h in s) for s in by_rank.values()) + _RANKSEP_PT * len(by_rank))
    if lr[0] <= COLUMN_PT:
        return "LR"

    def shrink(size: tuple[float, float]) -> float:
        return max(size[0] / COLUMN_PT, size[1] / TALL_PT)

    return "LR" if shrink(lr) <= shrink(tb) else "TB"


def far_uses(elements: list[str], wires: list[Wire], sources: set[str]) -> set[int]:
    """Indexes of the wires out of ``sources`` that should start from a copy of
    their value: every one spanning more than :data:`MAX_SPAN` ranks except each
    source's shortest, when those spans add up to more than
    :data:`LONG_EDGE_BUDGET` ranks.  Ranks count back from the output, as late as
    possible, which is where ``dot`` puts an operation used once."""
    rank = ranks(elements, wires, from_output=True)
    by_tail: dict[str, list[int]] = defaultdict(list)
    for k, w in enumerate(wires):
        if w.tail in sources:
            by_tail[w.tail].append(k)
    far = set()
    for tail, indexes in by_tail.items():
        def span(k: int) -> int:
            return rank.get(tail, 0) - rank.get(wires[k].head, 0)
        indexes.sort(key=span)
        far.update((k, span(k)) for k in indexes[1:] if span(k) > MAX_SPAN)
    if sum(s - 1 for _, s in far) <= LONG_EDGE_BUDGET:
        return set()
    return {k for k, _ in far}


def shorten_far_uses(scene: Scene, elements: list[str], wires: list[Wire]
                     ) -> tuple[list[Wire], dict[str, str]]:
    """The wires, those of :func:`far_uses` now starting from a small copy of
    their value, and the copies (copy id -> id of the value's element)."""
    sources = {w.tail for w in wires if w.tail in scene.node_at}
    far = far_uses(elements, wires, sources)
    copies: dict[str, str] = {}
    shortened = []
    for k, w in enumerate(wires):
        if k in far:
            copy = f"{w.tail}c{k}"
            copies[copy] = w.tail
            w = Wire(copy, w.head, w.port, tuple(a for a in w.attrs if a[0] != "weight"))
        shortened.append(w)
    return shortened, copies
