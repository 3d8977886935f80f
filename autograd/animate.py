"""Backpropagation one node at a time: SVG frames of each step, saved as an HTML player."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .draw import draw_graph
from .draw_text import summarize
from .graph import Node, backward_steps
from .player import animation_html


def backward_frames(root: Node, gradient: Any = None, **draw_options: Any) -> list[str]:
    """Run ``root.backward(gradient)`` one node at a time and draw each step as an SVG string.

    One frame per node that receives a gradient, in backward order; each
    highlights the node whose rule just ran and leaves gradients not yet
    computed blank (see :func:`autograd.draw_graph`, whose options
    ``draw_options`` are passed on).  Like ``backward()``, this accumulates
    into the leaves' gradients.  Needs the Graphviz ``dot`` program.
    """
    steps = list(backward_steps(root, gradient))
    if not steps:
        return []
    digits = draw_options.get("digits", 4)
    draw_options.setdefault(
        "grad_width", max(len(summarize(g, digits)) for g in steps[-1].grads.values())
    )
    return [
        draw_graph(root, step=step, **draw_options).pipe(format="svg", encoding="utf-8")
        for step in steps
    ]


def save_backward_animation(
    root: Node,
    path: str | os.PathLike,
    gradient: Any = None,
    title: str = "Backpropagation, one node at a time",
    interval_ms: int = 1200,
    **draw_options: Any,
) -> Path:
    """Write the backward pass of ``root`` as a self-contained HTML player; return its path.

    Combines :func:`backward_frames` and :func:`animation_html`.
    """
    page = animation_html(backward_frames(root, gradient, **draw_options), title, interval_ms)
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path
