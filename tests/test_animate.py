"""Step-through frames that teach, and the page that plays them."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from autograd.drawing import animate
from autograd import GraphvizNotFoundError, Tensor, Value, backward_frames, no_grad, save_backward_animation
from autograd.drawing.animate import teaching_steps
from autograd.drawing.player import frames_in
from drawing_helpers import SVG, needs_program, no_layout_program, seeds_graph, svg_texts


def two_uses_and_a_square() -> tuple[Value, Value, Value]:
    a, b = Value(3.0, label="a"), Value(2.0, label="b")
    s = a * b + a * a      # a is used three times
    s.label = "s"
    return a, b, s


def caption(svg: str) -> str:
    """The caption at the top of a frame: the texts of the graph's own label."""
    graph = ET.fromstring(svg).find(f"{SVG}g")
    return " ".join(" ".join((t.text or "").split()) for t in graph.findall(f"{SVG}text")).strip()


def node_texts(svg: str) -> list[str]:
    """The texts inside the nodes of a frame (not the caption)."""
    return [(t.text or "").strip("\u2007 ") for g in ET.fromstring(svg).iter(f"{SVG}g")
            if g.get("class") == "node" for t in g.iter(f"{SVG}text")]


# -- which steps get a frame -----------------------------------------------------------
def test_a_frame_at_the_start_and_one_per_operation_leaf_steps_merged() -> None:
    x, y, z, q, f = seeds_graph()
    steps = teaching_steps(f)
    assert [s.node for s in steps] == [f, f, q]
    assert steps[0].done == frozenset() and steps[0].grads == {f: 1.0}
    assert [x.grad, y.grad, z.grad] == [-4.0, -4.0, 3.0]  # like backward()


def test_every_frame_shows_something_new() -> None:
    a, b, s = two_uses_and_a_square()
    steps = teaching_steps(s)
    for before, after in zip(steps, steps[1:]):
        assert after.grads != before.grads


# -- what the frames say ----------------------------------------------------------------
@needs_program
def test_captions_say_what_happened_in_numbers_and_the_last_says_done() -> None:
    *_, f = seeds_graph()
    frames = backward_frames(f, edge_grads=True)
    captions = [caption(frame) for frame in frames]
    assert captions[0] == "backward starts at f: its gradient is 1"
    assert captions[1] == ("*: upstream 1 × local -4 (= z) → q receives -4; "
                           "upstream 1 × local 3 (= q) → z receives 3")
    assert captions[2].startswith("+: upstream -4 × local 1 → x receives -4; "
                                  "upstream -4 × local 1 → y receives -4")
    assert captions[2].endswith("Backward is done: every gradient is final.")
    assert not any("done" in c for c in captions[:2])
    assert not any("not computed yet" in c for c in captions)


@needs_program
def test_partial_gradients_count_the_uses_that_have_arrived() -> None:
    a, b, s = two_uses_and_a_square()
    frames = backward_frames(s)
    partial = [t for frame in frames for t in node_texts(frame) if "uses)" in t]
    assert partial and set(partial) <= {"(1 of 3 uses)", "(2 of 3 uses)"}
    assert "(2 of 3 uses)" in partial
    assert not [t for t in node_texts(frames[-1]) if "uses" in t]   # all final at the end
    assert "8" in node_texts(frames[-1])
    total_captions = " ".join(caption(f) for f in frames)
    assert "a receives 3 (total 3, 1 of 3 uses)" in total_captions
    assert "a receives 3 (total 6, 2 of 3 uses)" in total_captions
    assert "a receives 2 (total 8, 3 of 3 uses)" in total_captions


@needs_program
def test_frames_keep_one_layout_size_when_gradients_fill_in() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = (a * b + a).tanh()
    sizes = {re.search(r'<svg width="(\d+)pt" height="(\d+)pt"', s).groups() for s in backward_frames(out)}
    heights = {int(h) for _, h in sizes}
    widths = [int(w) for w, _ in sizes]
    assert len(heights) == 1 and max(widths) - min(widths) <= 20


@needs_program
@pytest.mark.parametrize("rankdir", [None, "LR"])
def test_every_frame_has_one_direction(rankdir, monkeypatch) -> None:
    """A tensor graph's grads fill in as grids, which changes the sizes the
    direction is chosen from; the frames still keep one direction (and a blank
    grad cell, to be filled by a grid, is not padded like a number's)."""
    drawn = []
    monkeypatch.setattr(animate, "render_svgs", lambda sources, program: drawn.extend(sources) or sources)
    w = Tensor(np.arange(12.0).reshape(3, 4) / 10, label="W")
    loss = (w @ Tensor(np.ones(4), label="x")).tanh().sum()
    backward_frames(loss, edge_grads=True, rankdir=rankdir)
    directions = [re.search(r"rankdir=(\w+)", source).group(1) for source in drawn]
    assert len(drawn) == 4 and len(set(directions)) == 1
    assert rankdir is None or directions[0] == rankdir
    assert "\u2007" not in "".join(drawn)


@needs_program
def test_labels_with_html_or_quotes_are_text_in_the_frames() -> None:
    x = Value(2.0, label='<script>alert("x")</script>')
    y = x * x
    y.label = "it's \"y\" & <b>"
    frames = backward_frames(y, edge_grads=True)
    for frame in frames:
        root = ET.fromstring(frame)
        assert not list(root.iter(f"{SVG}script")) and "<script>" not in frame
    joined = " ".join(svg_texts(frames[-1]))
    assert '<script>alert("x")</script>' in joined and "it's \"y\" & <b>" in joined


# -- the page ----------------------------------------------------------------------------
@needs_program
def test_save_backward_animation_writes_one_offline_page(tmp_path) -> None:
    *_, f = seeds_graph()
    path = save_backward_animation(f, tmp_path / "steps.html", edge_grads=True,
                                   title='f = (x + y) z <"demo">')
    page = path.read_text(encoding="utf-8")
    frames = frames_in(page)
    assert len(frames) == 3
    for frame in frames:
        ET.fromstring(frame)
    assert '<"demo">' not in page and "&lt;" in page
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page


# -- bad input: nothing is accumulated, nothing written ------------------------------------
def test_a_root_that_needs_no_gradient_is_refused_first(tmp_path) -> None:
    x = Value(2.0, label="x")
    with no_grad():
        y = x * 3
    for run in (lambda: backward_frames(y), lambda: save_backward_animation(y, tmp_path / "s.html"),
                lambda: teaching_steps(y)):
        with pytest.raises(ValueError, match="needs no gradient"):
            run()
    assert x.grad == 0.0 and not (tmp_path / "s.html").exists()


def test_without_a_layout_program_nothing_is_accumulated(tmp_path) -> None:
    x, y, z, q, f = seeds_graph()
    for run in (lambda: backward_frames(f), lambda: save_backward_animation(f, tmp_path / "s.html")):
        with no_layout_program(), pytest.raises(GraphvizNotFoundError):
            run()
    assert [x.grad, y.grad, z.grad, f.grad] == [0.0, 0.0, 0.0, 0.0]
    assert not (tmp_path / "s.html").exists()


def test_a_missing_folder_is_refused_before_anything_runs(tmp_path) -> None:
    x, y, z, q, f = seeds_graph()
    with pytest.raises(FileNotFoundError, match="does not exist"):
        save_backward_animation(f, tmp_path / "no" / "such" / "s.html")
    assert x.grad == 0.0
