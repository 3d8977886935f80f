"""The step-through player: SVG frames played in a piece of HTML that can sit anywhere.

The HTML is a fragment, not a page, so that a notebook output or any page can
hold any number of players, each working on its own:

- no element ids: the script finds its own player by a ``data-chainrule-player``
  key (a hash of the content) and takes the first copy it has not set up yet,
  so even the same HTML shown twice gives two independent players;
- no listeners on ``document`` or ``window``: keys are read on the player's own
  element, so they act only while the player (or one of its buttons) has focus;
  there they stop (``data-lm-suppress-shortcuts`` tells JupyterLab's and
  Notebook 7's shortcut handler, which listens on the document before the
  player, to leave them alone);
- every style rule starts with ``.chainrule-player``, so nothing outside changes;
- frames are shown as ``<img>`` data URIs: their SVG ids stay inside each image,
  and no network is needed;
- frames are stored as their distinct lines plus, per frame, runs into them
  (:func:`pack_frames`): a step changes few lines, so 500 frames stay small.

Without JavaScript (an untrusted notebook, GitHub) the HTML still shows the last
frame, with a note saying why the controls are missing.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from typing import Any, Sequence


class PlayerHTML(str):
    """The HTML of a player: a ``str`` (write it to a file, embed it in a page)
    that Jupyter displays as the player itself rather than as text."""

    summary: str = "step-through player"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": str(self), "text/plain": self.summary}

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # IPython's text form: the summary, not the whole HTML (it would print it as a str)
        printer.text(self.summary)


def animation_html(
    frames: Sequence[str], title: str = "Backpropagation, one node at a time", interval_ms: int = 1200
) -> PlayerHTML:
    """An embeddable HTML player of SVG ``frames`` (a :class:`PlayerHTML` string).

    Controls: previous, play/pause and next buttons, a slider, and a zoom
    toggle between *fitted* (the default: the whole frame in the view, as wide
    as the column and at most 75% of the window high) and *natural size*; the
    button says which mode is on.  At natural size a frame larger than the
    player scrolls, or pans by dragging it.  While the player has focus (click
    it, or Tab to it) the keys work too: left/right arrow = previous/next,
    Home/End = first/last, space = play/pause (also after a button was
    clicked), ``z`` = zoom.  The player keeps its keys: while it has focus no
    key but Escape (which leaves the player) and Tab reaches the page, so a
    notebook's command-mode shortcuts (``a``, ``b``, ``d d``, arrows) do not act.
    ``interval_ms`` is the time per frame when playing.

    The result is a fragment that any number of copies can share a page with;
    :func:`animation_page` wraps it as a whole offline page.  In Jupyter,
    displaying the result (last expression of a cell, or ``display(...)``) shows
    the player.  Raises ``ValueError`` for no frames, a frame that is not SVG
    text or an interval that is not a positive whole number; ``TypeError`` for a
    title that is not a string.
    """
    frames = _checked_frames(frames)
    if not isinstance(title, str):
        raise TypeError(f"the title must be a string, got {type(title).__name__}")
    if isinstance(interval_ms, bool) or not isinstance(interval_ms, int) or interval_ms <= 0:
        raise ValueError(f"interval_ms must be a positive whole number of milliseconds, got {interval_ms!r}")
    lines, runs = pack_frames(frames)
    lines_json, runs_json = _script_json(lines), json.dumps(runs, separators=(",", ":"))
    key = hashlib.sha1(f"{title}\0{interval_ms}\0{lines_json}\0{runs_json}".encode()).hexdigest()[:12]
    player = PlayerHTML(_fill(_FRAGMENT, {
        "KEY": key,
        "TITLE": f'<div class="cr-title">{html.escape(title)}</div>\n' if title else "",
        "LAST": str(len(frames) - 1),
        "COUNT": str(len(frames)),
        "INTERVAL": str(interval_ms),
        "STATIC": svg_data_uri(frames[-1]),
        "LINES": lines_json,
        "RUNS": runs_json,
    }))
    player.summary = f"step-through player: {len(frames)} frames" + (f", {title!r}" if title else "")
    return player


def animation_page(
    frames: Sequence[str], title: str = "Backpropagation, one node at a time", interval_ms: int = 1200
) -> str:
    """A whole self-contained HTML page around :func:`animation_html` (for a file:
    charset, page title; still no network).  Same arguments and errors."""
    player = animation_html(frames, title, interval_ms)
    return _fill(_PAGE, {"TITLE": html.escape(title or "chainrule player"), "PLAYER": player})


def svg_data_uri(svg: str) -> str:
    """SVG text as a ``data:`` URI, for an ``<img src=...>`` that needs no file or network."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _fill(template: str, values: dict[str, str]) -> str:
    """``template`` with each ``__NAME__`` replaced by ``values[NAME]``, in one pass
    (so a title that contains ``__FRAMES__`` stays text)."""
    return re.sub(r"__([A-Z]+)__", lambda match: values[match.group(1)], template)


def pack_frames(frames: Sequence[str]) -> tuple[list[str], list[list[int]]]:
    """Frames as a table of their distinct lines and, per frame, runs into it.

    Successive frames of one graph share almost all their lines, so this keeps
    a player of hundreds of frames small (and quick to open).  ``runs[k]`` is
    the flat list ``[start, count, start, count, ...]``: frame ``k`` is the lines
    ``start .. start + count - 1`` of each run, joined by newlines.
    """
    table: dict[str, int] = {}
    all_runs = []
    for frame in frames:
        runs: list[int] = []
        for line in frame.split("\n"):
            index = table.setdefault(line, len(table))
            if runs and runs[-2] + runs[-1] == index:
                runs[-1] += 1
            else:
                runs += [index, 1]
        all_runs.append(runs)
    return list(table), all_runs


def frames_in(player_html: str) -> list[str]:
    """The SVG frames stored in a player's HTML (from :func:`animation_html` or
    :func:`animation_page`), in order; the inverse of packing them."""
    found = [re.search(rf"^  var {name} = (.*);$", player_html, re.M) for name in ("lines", "runs")]
    if None in found:
        raise ValueError("no player frames found in this HTML")
    lines, all_runs = (json.loads(match.group(1)) for match in found)
    return [
        "\n".join(lines[i] for start, count in zip(runs[::2], runs[1::2]) for i in range(start, start + count))
        for runs in all_runs
    ]


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: no ``</`` and no ``<!--``."""
    return json.dumps(value).replace("</", "<\\/").replace("<!--", "<\\u0021--")


def _checked_frames(frames: Sequence[str]) -> list[str]:
    if isinstance(frames, (str, bytes)):
        raise ValueError("frames must be a list of SVG strings, not one string")
    frames = list(frames)
    if not frames:
        raise ValueError("animation_html needs at least one frame; got none")
    for number, frame in enumerate(frames):
        if not isinstance(frame, str):
            hint = " (render it first: drawing.pipe(format='svg', encoding='utf-8'))" if hasattr(frame, "pipe") else ""
            raise ValueError(f"frame {number} is a {type(frame).__name__}, not SVG text{hint}")
        if "<svg" not in frame:
            raise ValueError(f"frame {number} is not SVG text: it has no <svg> element ({frame[:40]!r})")
    return frames


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>__TITLE__</title>
</head>
<body>
__PLAYER__
</body>
</html>
"""

# One player.  Everything it needs is in here; the upper-case names are filled in by _fill.
_FRAGMENT = """<div class="chainrule-player" data-chainrule-player="__KEY__" tabindex="0" data-lm-suppress-shortcuts="true" \
aria-label="step-through player: click it, then use the arrow keys">
<style>
.chainrule-player { font: 14px/1.4 Helvetica, Arial, sans-serif; color: #222; max-width: 100%;
  box-sizing: border-box; border: 1px solid #ddd; border-radius: 4px; padding: 6px; }
.chainrule-player:focus, .chainrule-player:focus-within { outline: 2px solid #4a90d9; outline-offset: 1px; }
.chainrule-player .cr-title { font-weight: bold; margin-bottom: 4px; }
.chainrule-player .cr-controls { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.chainrule-player .cr-controls input { flex: 1 1 8em; min-width: 6em; max-width: 30em; }
.chainrule-player .cr-controls button { font: inherit; padding: 1px 8px; }
.chainrule-player .cr-note { color: #666; font-size: 12px; }
.chainrule-player .cr-view { overflow: auto; max-height: 80vh; margin-top: 6px; cursor: grab; }
.chainrule-player .cr-view img { display: block; width: auto; height: auto; }
.chainrule-player .cr-view img.cr-fitted { max-width: 100%; max-height: 75vh; }
.chainrule-player .cr-mode { color: #666; font-size: 12px; }
</style>
__TITLE__<div class="cr-controls" style="display: none;">
<button type="button" data-do="prev" title="previous step (left arrow)">&#9664; prev</button>
<button type="button" data-do="play" title="play / pause (space)">play</button>
<button type="button" data-do="next" title="next step (right arrow)">next &#9654;</button>
<input type="range" min="0" max="__LAST__" value="__LAST__" aria-label="step">
<span class="cr-counter">step __COUNT__ / __COUNT__</span>
<button type="button" data-do="zoom" title="fitted / natural size (z)">zoom</button>
<span class="cr-mode">fitted</span>
</div>
<div class="cr-note">Showing the last of __COUNT__ steps: the controls need JavaScript \
(in Jupyter: trust the notebook, or run the cell).</div>
<div class="cr-view"><img alt="frame" class="cr-fitted" style="max-width: 100%; height: auto;" src="__STATIC__"></div>
<script>
(function () {
  var root = document.querySelector('[data-chainrule-player="__KEY__"]:not([data-ready])');
  if (!root) { return; }
  root.setAttribute("data-ready", "1");
  var lines = __LINES__;
  var runs = __RUNS__;
  var last = runs.length - 1, current = 0, timer = null, natural = false;
  var find = function (selector) { return root.querySelector(selector); };
  var img = find(".cr-view img"), view = find(".cr-view"), slider = find("input");
  var counter = find(".cr-counter"), play = find('[data-do="play"]'), zoom = find('[data-do="zoom"]');
  var mode = find(".cr-mode");
  img.removeAttribute("style");  // the inline style is for when there is no script; the classes take over
  find(".cr-controls").style.display = "flex";  // hidden (inline, which sanitizers keep) until now
  find(".cr-note").style.display = "none";

  function source(k) {  // frame k from its runs of lines (see pack_frames)
    var r = runs[k], out = [];
    for (var j = 0; j < r.length; j += 2) {
      for (var i = r[j]; i < r[j] + r[j + 1]; i++) { out.push(lines[i]); }
    }
    return "data:image/svg+xml;charset=utf-8," + encodeURIComponent(out.join("\\n"));
  }
  function show(i) {
    current = Math.max(0, Math.min(last, i));
    img.src = source(current);
    slider.value = current;
    counter.textContent = "step " + (current + 1) + " / " + runs.length;
  }
  function pause() { clearInterval(timer); timer = null; play.textContent = "play"; }
  function go(i) { pause(); show(i); }
  function toggle() {
    if (timer !== null) { pause(); return; }
    if (current === last) { show(0); }
    play.textContent = "pause";
    timer = setInterval(function () {
      if (current >= last || !root.isConnected) { pause(); } else { show(current + 1); }
    }, __INTERVAL__);
  }
  function toggleZoom() {
    natural = !natural;
    img.className = natural ? "" : "cr-fitted";
    var same = img.naturalWidth <= view.clientWidth && img.naturalHeight <= 0.75 * document.documentElement.clientHeight;
    mode.textContent = (natural ? "natural size" : "fitted") + (same ? " (this frame fits either way)" : "");
  }

  find('[data-do="prev"]').onclick = function () { go(current - 1); };
  find('[data-do="next"]').onclick = function () { go(current + 1); };
  play.onclick = toggle;
  zoom.onclick = toggleZoom;
  slider.oninput = function () { go(parseInt(slider.value, 10)); };
  // Keys: handled in the capture phase at the player's root (before its buttons and
  // slider), and stopped there: the host page (a notebook in command mode) sees only
  // Escape, which leaves the player, Tab, and combinations with Ctrl, Alt or Meta.
  root.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.key === "Tab") { return; }
    if (e.key === "Escape") {  // leave the player: the focus goes back to the page
      pause();
      if (root.contains(document.activeElement)) { document.activeElement.blur(); }
      return;
    }
    e.stopPropagation();
    if (e.target === slider && e.key !== " " && e.key !== "z") { return; }  // the slider moves itself
    if (e.key === "ArrowLeft") { go(current - 1); }
    else if (e.key === "ArrowRight") { go(current + 1); }
    else if (e.key === "Home") { go(0); }
    else if (e.key === "End") { go(last); }
    else if (e.key === " ") { toggle(); }  // also when a button has focus: it is not pressed again
    else if (e.key === "z") { toggleZoom(); }
    else { return; }
    e.preventDefault();
  }, true);

  // drag the frame to pan when it is larger than the view
  var drag = null;
  img.draggable = false;
  view.addEventListener("pointerdown", function (e) {
    if (e.button !== 0) { return; }
    drag = {x: e.clientX, y: e.clientY, left: view.scrollLeft, top: view.scrollTop};
    view.setPointerCapture(e.pointerId);
  });
  view.addEventListener("pointermove", function (e) {
    if (drag === null) { return; }
    view.scrollLeft = drag.left - (e.clientX - drag.x);
    view.scrollTop = drag.top - (e.clientY - drag.y);
  });
  view.addEventListener("pointerup", function () { drag = null; });
  view.addEventListener("pointercancel", function () { drag = null; });

  show(0);
})();
</script>
</div>
"""
