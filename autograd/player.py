"""The step-through player: SVG frames played in one self-contained piece of HTML."""
from __future__ import annotations

import base64
import html
import json
from typing import Sequence


def animation_html(
    frames: Sequence[str], title: str = "Backpropagation, one node at a time", interval_ms: int = 1200
) -> str:
    """One self-contained HTML page that plays SVG ``frames``.

    Previous, play/pause and next buttons, a slider and the arrow keys move
    between frames; ``interval_ms`` is the time per frame when playing.  The
    frames are embedded as data URIs, so the page needs no network access.
    """
    if not frames:
        raise ValueError("animation_html needs at least one frame")
    sources = [
        "data:image/svg+xml;base64," + base64.b64encode(frame.encode("utf-8")).decode("ascii")
        for frame in frames
    ]
    page = _PAGE.replace("__LAST__", str(len(frames) - 1))
    page = page.replace("__INTERVAL__", str(int(interval_ms)))
    page = page.replace("__FRAMES__", json.dumps(sources))
    return page.replace("__TITLE__", html.escape(title))


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>__TITLE__</title>
<style>
  body { font-family: Helvetica, Arial, sans-serif; margin: 1em; }
  #controls { display: flex; gap: 0.5em; align-items: center; margin-bottom: 0.5em; }
  #slider { flex: 1; max-width: 40em; }
  #frame { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h3>__TITLE__</h3>
<div id="controls">
  <button id="prev" title="previous step (left arrow)">&#9664; prev</button>
  <button id="play" title="play / pause (space)">play</button>
  <button id="next" title="next step (right arrow)">next &#9654;</button>
  <input id="slider" type="range" min="0" max="__LAST__" value="0">
  <span id="counter"></span>
</div>
<img id="frame" alt="backward step">
<script>
(function () {
  var frames = __FRAMES__;
  var last = frames.length - 1, current = 0, timer = null;
  var img = document.getElementById("frame"), slider = document.getElementById("slider");
  var counter = document.getElementById("counter"), play = document.getElementById("play");
  function show(i) {
    current = Math.max(0, Math.min(last, i));
    img.src = frames[current];
    slider.value = current;
    counter.textContent = "step " + (current + 1) + " / " + frames.length;
  }
  function pause() { clearInterval(timer); timer = null; play.textContent = "play"; }
  function toggle() {
    if (timer !== null) { pause(); return; }
    if (current === last) { show(0); }
    play.textContent = "pause";
    timer = setInterval(function () {
      if (current >= last) { pause(); } else { show(current + 1); }
    }, __INTERVAL__);
  }
  document.getElementById("prev").onclick = function () { pause(); show(current - 1); };
  document.getElementById("next").onclick = function () { pause(); show(current + 1); };
  play.onclick = toggle;
  slider.oninput = function () { pause(); show(parseInt(slider.value, 10)); };
  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowLeft") { pause(); show(current - 1); }
    else if (e.key === "ArrowRight") { pause(); show(current + 1); }
    else if (e.key === " ") { e.preventDefault(); toggle(); }
  });
  show(0);
})();
</script>
</body>
</html>
"""
