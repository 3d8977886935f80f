"""Step-through frames and the self-contained HTML player."""
from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from autograd import (
    Value,
    animation_html,
    backward_frames,
    save_backward_animation,
    topological_order,
)

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


def frame_sources(page: str) -> list[str]:
    (frames,) = re.findall(r"var frames = (\[.*?\]);", page)
    return json.loads(frames)


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


def test_html_page_is_self_contained_with_controls() -> None:
    frames = ['<svg xmlns="http://www.w3.org/2000/svg"><text>one</text></svg>',
              '<svg xmlns="http://www.w3.org/2000/svg"><text>two</text></svg>']
    page = animation_html(frames, title="f = (x + y) z <demo>")
    for control in ('id="prev"', 'id="next"', 'id="play"', 'type="range"', 'max="1"'):
        assert control in page
    assert "f = (x + y) z &lt;demo&gt;" in page
    sources = frame_sources(page)
    assert [base64.b64decode(s.split(",", 1)[1]).decode() for s in sources] == frames
    without_frames = page.replace(json.dumps(sources), "")
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', without_frames)
    assert "http" not in without_frames


def test_html_page_needs_frames() -> None:
    with pytest.raises(ValueError, match="at least one frame"):
        animation_html([])


@needs_dot
def test_save_backward_animation_writes_the_page(tmp_path) -> None:
    path = save_backward_animation(seeds_graph(), tmp_path / "steps.html", edge_grads=True)
    page = path.read_text(encoding="utf-8")
    frames = [base64.b64decode(s.split(",", 1)[1]).decode() for s in frame_sources(page)]
    assert len(frames) == 5
    for frame in frames:
        ET.fromstring(frame)


_DRIVER = """
const elements = {};
function element(id) {
  return elements[id] || (elements[id] = {id: id, value: "0", textContent: "", src: ""});
}
global.document = {getElementById: element, addEventListener: function (t, f) { global.keydown = f; }};
global.setInterval = function (f) { global.tick = f; return 1; };
global.clearInterval = function () { global.tick = null; };
SCRIPT
const seen = [];
function note() { seen.push(element("counter").textContent); }
note();
element("next").onclick(); note();
element("next").onclick(); note();
element("next").onclick(); note();
element("prev").onclick(); note();
element("slider").value = "0"; element("slider").oninput(); note();
element("play").onclick(); global.tick(); note(); global.tick(); note();
global.keydown({key: "ArrowLeft", preventDefault: function () {}}); note();
console.log(JSON.stringify({seen: seen, src: element("frame").src, play: element("play").textContent}));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node.js not installed")
def test_player_script_steps_through_the_frames() -> None:
    page = animation_html(["<svg>a</svg>", "<svg>b</svg>", "<svg>c</svg>"])
    (script,) = re.findall(r"<script>(.*?)</script>", page, re.S)
    result = subprocess.run(
        ["node", "-e", _DRIVER.replace("SCRIPT", script)],
        capture_output=True, text=True, check=True, timeout=60,
    )
    state = json.loads(result.stdout)
    assert state["seen"] == [
        "step 1 / 3", "step 2 / 3", "step 3 / 3", "step 3 / 3", "step 2 / 3",
        "step 1 / 3", "step 2 / 3", "step 3 / 3", "step 2 / 3",
    ]
    assert base64.b64decode(state["src"].split(",", 1)[1]) == b"<svg>b</svg>"
    assert state["play"] == "play"
