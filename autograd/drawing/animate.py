"""Backpropagation one step at a time: SVG frames that teach, saved as an HTML player.

A frame is drawn at the start (the output's gradient is seeded) and after each
operation passes its gradient back.  A leaf's own step changes nothing (its
gradient became final when its last use passed back), so it has no frame.
Each frame marks partial gradients ``(2 of 3 uses)``, highlights the node
that just ran and says in numbers what it did; the last says backward is done.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .draw import draw_graph
from .names import parameter_names
from .render import render_svgs, require_layout_program
from .step import Uses, caption_lines, grad_text_length, gradient_state
from ..core.graph import BackwardStep, Node, backward_steps, topological_order
from .player import animation_page


MAX_FRAMES = 40
"""The most frames :func:`backward_frames` draws unless told otherwise: each frame draws the
whole graph (up to ``max_nodes``), so the time grows as frames x nodes (a player of 40
frames renders in about 2 s; 300 took 27 s)."""


def check_frames(root: Node, max_frames: int | None = MAX_FRAMES) -> int:
    """The number of frames a step-through of ``root`` has (the start, then one per
    operation); a ValueError when it is more than ``max_frames`` (None: no limit)."""
    frames = 1 + sum(1 for node in topological_order(root) if node._op is not None and node.requires_grad)
    if max_frames is not None and frames > max_frames:
        raise ValueError(f"a step-through of this graph has {frames} frames (one per operation); "
                         f"at most {max_frames} are drawn, as each frame draws the whole graph: step "
                         "through a smaller expression, or pass max_frames=None to draw them all")
    return frames


def teaching_steps(root: Node, gradient: Any = None) -> list[BackwardStep]:
    """Run ``root.backward(gradient)`` one node at a time and keep the steps worth a
    frame: the start (only the output has its gradient, nothing has run yet)
    and each operation's step.  Accumulates into the leaves' gradients."""
    _check_root(root)
    kept: list[BackwardStep] = []
    for step in backward_steps(root, gradient):
        if not kept:
            kept.append(BackwardStep(0, root, {root: step.grads[root]}, frozenset()))
        if step.node._op is not None:
            kept.append(step)
    return kept


def backward_frames(root: Node, gradient: Any = None, max_frames: int | None = MAX_FRAMES,
                    **draw_options: Any) -> list[str]:
    """Run ``root.backward(gradient)`` one step at a time and draw each step of
    :func:`teaching_steps` as an SVG string.

    ``draw_options`` go to :func:`autograd.draw_graph` (``edge_grads=True``,
    ``names=model`` ...); without ``rankdir``, every frame takes the direction
    chosen for the last.  Like ``backward()``, this accumulates into the
    leaves' gradients.  Needs a layout program (Graphviz ``dot`` or
    ``graphviz-pure``); without one, for a root that needs no gradient, or for more
    than ``max_frames`` frames (:func:`check_frames`), it fails before any gradient is
    touched.
    """
    _check_root(root)
    check_frames(root, max_frames)
    program = require_layout_program()
    steps = teaching_steps(root, gradient)
    digits = draw_options.get("digits", 4)
    order = topological_order(root)
    uses = Uses.of(order)
    draw_options.setdefault("grad_width", _widest_gradient(steps, uses, digits))
    names = draw_options.get("names")
    name_of = parameter_names(names) if names is not None else {}
    draw_options.setdefault("caption_lines", max(
        len(caption_lines(s, uses, order, digits, name_of)) for s in steps))
    # every frame in the direction the last one (all gradients shown) is given
    last = draw_graph(root, step=steps[-1], **draw_options)
    draw_options["rankdir"] = last.graph_attr["rankdir"]
    sources = [draw_graph(root, step=step, **draw_options).source for step in steps[:-1]]
    return render_svgs(sources + [last.source], program)


def save_backward_animation(
    root: Node,
    path: str | os.PathLike,
    gradient: Any = None,
    title: str = "Backpropagation, one step at a time",
    interval_ms: int = 1200,
    max_frames: int | None = MAX_FRAMES,
    **draw_options: Any,
) -> Path:
    """Write the backward pass of ``root`` as a self-contained HTML player; return its path.

    Combines :func:`backward_frames` and :func:`autograd.animation_page`.  The
    folder of ``path`` is checked first, and :func:`backward_frames` checks the
    root and the layout program, before any gradient is accumulated or any
    file written.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write {path}: the folder {path.parent} does not exist")
    page = animation_page(backward_frames(root, gradient, max_frames, **draw_options), title, interval_ms)
    path.write_text(page, encoding="utf-8")
    return path


def _check_root(root: Node) -> None:
    if not isinstance(root, Node):
        raise TypeError(f"expected the output node of a graph (a Value or Tensor), got {type(root).__name__}")
    if not root.requires_grad:
        raise ValueError(
            f"{root!r:.80} needs no gradient (it is a constant, or was computed under no_grad()): "
            "there is no backward pass to show"
        )


def _widest_gradient(steps: list[BackwardStep], uses: Uses, digits: int) -> int:
    """The longest grad text (number and partial note) of any frame."""
    return max((grad_text_length(*gradient_state(node, step, uses), digits)
                for step in steps for node in step.grads), default=0)
