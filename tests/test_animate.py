"""Step-through frames and the self-contained HTML player."""
from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET

import pytest

from autograd import (
    Value,
    animation_html,
    backward_frames,
    save_backward_animation,
    topological_order,
)
from autograd.player import frames_in

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")
SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def seeds_graph() -> Value:
    x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    return f


def texts(svg: str) -> list[str]:
    return [(t.text or "").strip("\u2007 ") for t in ET.fromstring(svg).iter(SVG_TEXT)]

@needs_dot
def test_one_svg_frame_per_node_that_receives_a_gradient() -> None:
    f = seeds_graph()
    frames = backward_frames(f, edge_grads=True)
    assert len(frames) == sum(n.requires_grad for n in topological_order(f)) == 5
    first, last = texts(frames[0]), texts(frames[-1])
    assert "grad 1" in first and "grad" in first  # x, y: blank at the first step
    assert {"grad -4", "grad 3", "grad 1"} <= set(last) and "grad" not in last
    assert "backward step 5" in " ".join(last)


@needs_dot
def test_frames_keep_one_layout_size_when_gradients_fill_in() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = (a * b + a).tanh()
    sizes = {re.search(r'<svg width="(\d+)pt" height="(\d+)pt"', s).groups() for s in backward_frames(out)}
    heights = {h for _, h in sizes}
    widths = [int(w) for w, _ in sizes]
    assert len(heights) == 1 and max(widths) - min(widths) <= 20


def test_html_page_needs_frames() -> None:
    with pytest.raises(ValueError, match="at least one frame"):
        animation_html([])


@needs_dot
def test_save_backward_animation_writes_the_page(tmp_path) -> None:
    path = save_backward_animation(seeds_graph(), tmp_path / "steps.html", edge_grads=True)
    page = path.read_text(encoding="utf-8")
    frames = frames_in(page)
    assert len(frames) == 5
    for frame in frames:
        ET.fromstring(frame)
