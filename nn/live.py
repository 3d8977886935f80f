"""A live training view for notebooks: ``nn.fit(..., live=True)``.

While training runs, one notebook output is updated in place with

- the loss and accuracy curves,
- for 2-D data, the decision boundary (the class the model predicts on a grid),
- the graph of one chosen sample: ``score = model(x)`` with its current values
  and the gradients ``d score / d value`` (backward from the score, with the
  training gradients of the parameters put back afterwards).

Drawing costs time, so by default the view redraws only while the time it has
spent stays below ``budget`` times the training time (the default 0.25 aims at
1.25x the plain time of ``fit``, plus one last redraw; benchmarks/live_view.py
measures it);
``every=k`` redraws every k steps instead.  Every redraw is kept as a frame: :meth:`LiveView.player` plays them
step by step with :func:`autograd.animation_html`, and
:meth:`LiveView.save` writes them as one offline HTML page.

The view shows the training's progress itself, in a line above it (step,
loss, steps per second, updated at most every :data:`PROGRESS_EVERY_S`), so
``fit`` shows no progress bar with it.  Outside Jupyter the view is not
started: ``fit`` keeps its progress bar and a note says so.  The plots are
plain SVG written here (no matplotlib); the graph needs a layout program
(Graphviz ``dot``, or ``graphviz-pure``).
"""
from __future__ import annotations

import html
import math
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

import autograd

from .inference import decision_grid
from .metrics import predicted_classes
from .module import Module

_REGION = ["#c6dbef", "#fdd0a2", "#c7e9c0", "#dadaeb", "#fcbba1", "#d9d9d9", "#f2f0a1", "#bfe6e6"]
_POINT = ["#2171b5", "#d94801", "#238b45", "#6a51a3", "#cb181d", "#525252", "#a39e00", "#1b9e9e"]
_LOSS_COLOR, _ACCURACY_COLOR = "#1f77b4", "#ff7f0e"
_CURVES_WIDTH, _PANEL = 370, 230
"""The plots' sizes in px: the curves are _CURVES_WIDTH x _PANEL, the boundary _PANEL square."""
_GRAPH_SIZE = re.compile(r'<svg width="[^"]*" height="[^"]*"')
"""The size on the ``<svg`` element of Graphviz's SVG, replaced when a frame places the graph."""
PROGRESS_EVERY_S = 0.25
"""The view's progress line is updated at most this often (each update is a message to the notebook)."""


@dataclass
class LiveFrame:
    """One redraw of the view: the step it shows (1-based), a one-line caption,
    the plots (curves and boundary, one SVG), the sample's graph (SVG, or
    None without Graphviz) and the seconds the redraw took."""

    step: int
    caption: str
    plots: str
    graph: str | None
    seconds: float = 0.0


class LiveView:
    """The live training view; pass one to ``nn.fit(..., live=LiveView(...))``
    (``live=True`` uses the defaults).

    ``every``: redraw every ``every`` steps; None (the default) redraws whenever
    the view's time so far is at most ``budget`` times the training time.
    ``sample``: the row of ``X`` whose graph is drawn.
    ``resolution``: the decision boundary's grid is ``resolution`` x ``resolution``.
    ``draw_options``: passed to :func:`autograd.draw_graph` (default
    ``max_nodes=40, legend=False``; the direction is draw_graph's choice); a
    sample's graph of more than ``max_nodes`` values is drawn one box per layer
    unless ``collapse`` is given.
    """

    def __init__(
        self,
        every: int | None = None,
        sample: int = 0,
        budget: float = 0.25,
        resolution: int = 25,
        **draw_options: Any,
    ) -> None:
        if every is not None and (isinstance(every, bool) or not isinstance(every, int) or every < 1):
            raise ValueError(f"every must be a whole number of steps >= 1 (or None), got {every!r}")
        if isinstance(sample, bool) or not isinstance(sample, int) or sample < 0:
            raise ValueError(f"sample must be a row number >= 0, got {sample!r}")
        if not isinstance(budget, (int, float)) or not budget > 0:
            raise ValueError(f"budget must be a positive number (the view's time / training time), got {budget!r}")
        if not isinstance(resolution, int) or resolution < 2:
            raise ValueError(f"resolution must be a whole number >= 2, got {resolution!r}")
        self.every, self.sample, self.budget, self.resolution = every, sample, float(budget), resolution
        self.draw_options = {"max_nodes": 40, "legend": False, **draw_options}
        self.frames: list[LiveFrame] = []
        self.view_seconds = 0.0
        self.train_seconds = 0.0
        self._display: Any = None
        self._progress: Any = None
        self.not_started: str = ""
        """Why the last ``fit`` did not start the view (outside Jupyter), or ""."""

    # the three calls nn.fit makes ------------------------------------------------

    def start(self, model: Module, X: np.ndarray, y: Sequence[Any], steps: int, history: Any) -> "LiveView":
        """Show the (empty) view in a new notebook output and remember what to draw."""
        X = np.asarray(X, dtype=np.float64)
        if not 0 <= self.sample < len(X):
            raise ValueError(f"sample={self.sample} is not a row of X, which has {len(X)} rows")
        self.model, self.X, self.y, self.steps = model, X, list(y), steps
        self.frames, self.view_seconds, self.train_seconds = [], 0.0, 0.0
        self.not_started = ""
        self._progress = _show(_Progress(0, steps, float("nan"), 0.0))
        self._display = _show(_LiveDisplay(f"training: step 0 / {steps}", None, None))
        self._started = self._mark = time.perf_counter()
        self._progress_shown = self._started
        return self

    def step(self, k: int, history: Any) -> None:
        """After step ``k`` (0-based): redraw when it is due."""
        now = time.perf_counter()
        self.train_seconds += now - self._mark
        if self.every is not None:
            due = (k + 1) % self.every == 0
        else:
            due = self.view_seconds <= self.budget * self.train_seconds
        if due and k + 1 < self.steps:  # the last step is drawn by close()
            self._redraw(k + 1, history)
            self.view_seconds += time.perf_counter() - now
        if self._mark - self._progress_shown >= PROGRESS_EVERY_S:
            self._show_progress(k + 1, history)
        self._mark = time.perf_counter()

    def close(self, history: Any) -> None:
        """Draw the state training ended in (unless already drawn)."""
        done = len(history.loss)
        if not self.frames or self.frames[-1].step != done:
            start = time.perf_counter()
            self._redraw(done, history)
            self.view_seconds += time.perf_counter() - start
        self._show_progress(done, history)

    def _show_progress(self, done: int, history: Any) -> None:
        """Update the progress line: ``done`` of the steps, the latest loss, the rate."""
        self._progress_shown = time.perf_counter()
        rate = done / max(self._progress_shown - self._started, 1e-9)
        loss = history.loss[-1] if history.loss else float("nan")
        self._progress.update(_Progress(done, self.steps, loss, rate))

    # after training ---------------------------------------------------------------

    def player(self, title: str = "Training, step by step", interval_ms: int = 800) -> autograd.PlayerHTML:
        """The recorded frames in the step-through player (displays in Jupyter)."""
        return autograd.animation_html(self._player_frames(), title, interval_ms)

    def save(self, path: str | os.PathLike, title: str = "Training, step by step", interval_ms: int = 800) -> Path:
        """Write the recorded frames as one self-contained offline HTML page; return its path."""
        page = autograd.animation_page(self._player_frames(), title, interval_ms)
        path = Path(path)
        path.write_text(page, encoding="utf-8")
        return path

    # drawing ----------------------------------------------------------------------

    def _player_frames(self) -> list[str]:
        if not self.frames and self.not_started:
            raise ValueError(f"the live view has no frames: {self.not_started}")
        if not self.frames:
            raise ValueError("the live view has no frames yet: train with nn.fit(..., live=view) first")
        return [compose_frame(f) for f in self.frames]

    def _redraw(self, step: int, history: Any) -> None:
        start = time.perf_counter()
        loss = history.loss[-1] if history.loss else float("nan")
        accuracy = history.accuracy[-1] if history.accuracy else float("nan")
        caption = f"step {step} / {self.steps}   loss {loss:.4g}   accuracy {accuracy:.3g}"
        plots = plots_svg(history, self.steps, self.model, self.X, self.y, caption, self.resolution)
        graph = sample_graph_svg(self.model, self.X[self.sample], self.y[self.sample], self.sample, **self.draw_options)
        self.frames.append(LiveFrame(step, caption, plots, graph, time.perf_counter() - start))
        if self._display is not None:
            # a left-to-right graph keeps its output (the score) in one place at the right edge
            output_on_the_right = self.draw_options.get("rankdir") == "LR"
            self._display.update(_LiveDisplay(caption, plots, graph, output_on_the_right))


def start_live_view(
    live: Any, *, model: Module, X: np.ndarray, y: Sequence[Any], steps: int, history: Any
) -> LiveView | None:
    """What ``nn.fit(..., live=...)`` calls before training: the started view, or
    None (after a note on stderr) outside Jupyter.  ``live`` is True (a
    :class:`LiveView` with the defaults) or a :class:`LiveView`."""
    if live is True:
        view = LiveView()
    elif isinstance(live, LiveView):
        view = live
    else:
        raise TypeError(f"live must be True, False or an nn.LiveView, got {type(live).__name__} {live!r}")
    if not in_notebook():
        print("note: live=True needs a Jupyter notebook; showing the progress bar instead", file=sys.stderr)
        view.not_started = ("nn.fit(..., live=view) ran outside Jupyter, where the view is not started "
                            "and draws nothing (run it in a notebook to record frames)")
        return None
    return view.start(model, X, y, steps, history)


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where an output can be updated in place)."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _show(content: Any) -> Any:
    from IPython.display import display

    return display(content, display_id=True)


class _Progress:
    """The view's progress line: a bar, ``step 120 / 200``, the latest loss and the rate."""

    def __init__(self, done: int, steps: int, loss: float, rate: float) -> None:
        self.text = f"train: step {done} / {steps}   loss {loss:.4g}   {rate:.3g} steps/s"
        self.done, self.steps = done, steps

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": f'<div class="chainrule-progress" style="font: 13px Helvetica, Arial, sans-serif;">'
                             f'<progress value="{self.done}" max="{max(self.steps, 1)}"></progress> '
                             f'{html.escape(self.text)}</div>',
                "text/plain": self.text}


class _LiveDisplay:
    """What the notebook output shows: the plots (with the caption) fitted to the
    column, and the sample's graph in a scroll box, scrolled to its right end
    (where a left-to-right graph has its output) when ``start_right``."""

    def __init__(self, caption: str, plots: str | None, graph: str | None, start_right: bool = False) -> None:
        self.caption, self.plots, self.graph, self.start_right = caption, plots, graph, start_right

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        if self.plots is None:
            parts = [f'<div style="font: 13px Helvetica, Arial, sans-serif;">{html.escape(self.caption)}</div>']
        else:  # the plots carry the caption
            parts = [f'<img alt="{html.escape(self.caption)}: loss, accuracy and decision boundary" '
                     f'src="{autograd.svg_data_uri(self.plots)}" style="max-width: 100%; height: auto; display: block;">']
        if self.graph is not None:
            # fitted to the column, but never below 3/4 of its natural size: then it scrolls
            natural, _ = _graphviz_size(self.graph)
            direction = " direction: rtl;" if self.start_right else ""  # rtl: the box starts scrolled right
            parts.append(f'<div style="overflow: auto; max-height: 70vh; max-width: 100%; border: 1px solid #ddd;{direction}">'
                         f'<img alt="graph of the chosen sample" src="{autograd.svg_data_uri(self.graph)}" '
                         f'style="display: block; width: 100%; min-width: {natural * 3 // 4}px; max-width: {natural}px; height: auto;"></div>')
        body = "\n".join(parts)
        return {"text/html": f'<div class="chainrule-live" style="max-width: 100%;">\n{body}\n</div>',
                "text/plain": f"live training view: {self.caption}"}


def _graphviz_size(svg: str) -> tuple[int, int]:
    """The natural width and height of Graphviz's SVG in pixels (it writes points,
    4/3 px each; see :func:`autograd.svg_size_pt`)."""
    width_pt, height_pt = autograd.svg_size_pt(svg.encode("utf-8"))
    return round(width_pt * (4 / 3)), round(height_pt * (4 / 3))


# the pieces of a frame ------------------------------------------------------------

def plots_svg(
    history: Any, steps: int, model: Module, X: np.ndarray, y: Sequence[Any], caption: str = "", resolution: int = 25
) -> str:
    """One SVG: the caption, the loss and accuracy curves, and (for 2-D ``X``)
    the decision boundary."""
    curves = curves_svg(history.loss, history.accuracy, steps)
    boundary = boundary_svg(model, X, y, resolution) if X.ndim == 2 and X.shape[1] == 2 else ""
    width, height = _CURVES_WIDTH + (_PANEL if boundary else 10), 24 + _PANEL + 8  # the caption above
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="11">'
        f'<rect width="{width}" height="{height}" fill="white"/>'
        f'<text x="8" y="16" font-size="13">{html.escape(caption)}</text>'
        f'<g transform="translate(0 24)">{curves}</g>'
        f'<g transform="translate({_CURVES_WIDTH} 24)">{boundary}</g></svg>'
    )


def curves_svg(loss: Sequence[float], accuracy: Sequence[float], steps: int) -> str:
    """SVG elements (no root): loss (blue, left scale) and accuracy (orange, 0..1,
    right scale) against the step, for steps 1..``steps``."""
    left, right, top, bottom = 48, 40, 18, 28
    w, h = _CURVES_WIDTH - left - right, _PANEL - top - bottom
    last = max(steps, len(loss), 2)

    def x_of(i: int) -> float:
        return left + w * i / (last - 1)

    finite = [v for v in loss if math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if high - low < 1e-12:
        low, high = low - 0.5, high + 0.5
    parts = [
        f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="none" stroke="#999"/>',
        f'<text x="{left}" y="12" fill="{_LOSS_COLOR}">loss</text>',
        f'<text x="{left + w}" y="12" fill="{_ACCURACY_COLOR}" text-anchor="end">accuracy</text>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{high:.3g}</text>',
        f'<text x="{left - 4}" y="{top + h}" text-anchor="end">{low:.3g}</text>',
        f'<text x="{left + w + 4}" y="{top + 4}">1</text>',
        f'<text x="{left + w + 4}" y="{top + h}">0</text>',
        f'<text x="{left}" y="{top + h + 14}" text-anchor="middle">1</text>',
        f'<text x="{left + w}" y="{top + h + 14}" text-anchor="middle">{last}</text>',
        f'<text x="{left + w / 2}" y="{top + h + 24}" text-anchor="middle">step</text>',
    ]
    for values, lo, hi, color in ((loss, low, high, _LOSS_COLOR), (accuracy, 0.0, 1.0, _ACCURACY_COLOR)):
        stride = max(1, len(values) // 400)  # at most ~400 points per curve
        points = [
            f"{x_of(i):.1f},{top + h * (hi - min(max(v, lo), hi)) / (hi - lo):.1f}"
            for i, v in enumerate(values) if math.isfinite(v) and (i % stride == 0 or i == len(values) - 1)
        ]
        if points:
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{" ".join(points)}"/>')
    return "".join(parts)


def boundary_svg(model: Module, X: np.ndarray, y: Sequence[Any], resolution: int = 25) -> str:
    """SVG elements (no root): the class the model predicts on a ``resolution`` x
    ``resolution`` grid over the 2-D data (see :func:`nn.inference.decision_grid`), and
    the data points coloured by label.  One output: class 1 where the score is > 0;
    several: the highest score's class (:func:`nn.metrics.predicted_classes`, as
    :func:`nn.accuracy` counts)."""
    xs, ys, outputs = decision_grid(model, X, resolution)
    classes = predicted_classes(outputs).reshape(resolution, resolution)[::-1]  # SVG rows run downwards
    several = np.size(outputs[0]) > 1
    labels = [_label_class(t) if several else int(float(t) > 0) for t in y]
    (x0, x1), (y0, y1) = xs[[0, -1]], ys[[0, -1]]
    size = _PANEL
    cell = size / resolution
    parts = []
    for row in range(resolution):  # one rectangle per run of equal classes in a row
        start = 0
        for col in range(1, resolution + 1):
            if col == resolution or classes[row, col] != classes[row, start]:
                color = _REGION[classes[row, start] % len(_REGION)]
                parts.append(f'<rect x="{start * cell:.1f}" y="{row * cell:.1f}" width="{(col - start) * cell + 0.3:.1f}" '
                             f'height="{cell + 0.3:.1f}" fill="{color}"/>')
                start = col
    for (px, py), label in zip(X, labels):
        cx, cy = (px - x0) / (x1 - x0) * size, (y1 - py) / (y1 - y0) * size
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{_POINT[label % len(_POINT)]}" '
                     'stroke="black" stroke-width="0.5"/>')
    parts.append(f'<rect width="{size}" height="{size}" fill="none" stroke="#999"/>')
    return "".join(parts)


def _label_class(label: Any) -> int:
    """A class label (an int, or a one-hot row) as the class number."""
    return int(np.argmax(label)) if np.ndim(label) else int(label)


def sample_graph_svg(model: Module, x: np.ndarray, label: Any, row: int = 0, **draw_options: Any) -> str | None:
    """The graph of ``score = model(x)`` for one sample, after a backward pass
    from the score (the label's score when the model has several outputs), as
    SVG; None without a layout program.  A graph with more values than
    ``max_nodes`` is drawn one box per layer (``collapse="layer"``) unless
    ``collapse`` is given.  The parameters' gradients are put back as they were,
    so training is not disturbed."""
    params = model.parameters()
    saved = [p.grad for p in params]
    try:
        model.zero_grad()
        with autograd.enable_grad():
            score, gradient = _score(model, x, label)
            score.backward(gradient)
        score.label = f"score of sample {row}"
        options = dict(draw_options)
        options.setdefault("names", model)  # parameters drawn with their dotted names
        if "collapse" not in options and len(autograd.topological_order(score)) > options.get("max_nodes", 40):
            options["collapse"] = "layer"  # the whole network, one box per layer, rather than a corner of it
        drawing = autograd.draw_graph(score, **options)
        try:
            return drawing.pipe(format="svg", encoding="utf-8")
        except autograd.GraphvizNotFoundError:
            return None
    finally:
        for p, grad in zip(params, saved):
            p.grad = grad


def _score(model: Module, x: np.ndarray, label: Any) -> tuple[Any, Any]:
    """The sample's score node and the gradient to start backward with."""
    if getattr(model, "batched", False):
        out = model(autograd.Tensor(x.reshape(1, -1), label="x"))
        seed = np.zeros_like(out.data)
        seed.reshape(-1)[_label_class(label) if seed.size > 1 else 0] = 1.0
        return out, seed
    out = model([autograd.Value(float(v), label=f"x{k}") for k, v in enumerate(x)])
    if isinstance(out, (list, tuple)):
        return out[_label_class(label)], None
    return out, None


def compose_frame(frame: LiveFrame) -> str:
    """One SVG for the player: the plots above the sample's graph (at natural size),
    the plots scaled up to half the graph's width when the graph is wide."""
    if frame.graph is None:
        return frame.plots
    plots = frame.plots[frame.plots.index("<svg"):]
    plot_size = re.search(r'<svg [^>]*?width="(\d+)" height="(\d+)"', plots)
    plot_width, plot_height = (int(v) for v in plot_size.groups())
    graph = frame.graph[frame.graph.index("<svg"):]
    width, height = _graphviz_size(graph)
    scale = max(1.0, width / 2 / plot_width)
    top = round(plot_height * scale) + 8
    plots = plots.replace(plot_size.group(0), plot_size.group(0).replace(
        f'width="{plot_width}" height="{plot_height}"', f'width="{round(plot_width * scale)}" height="{top - 8}"'), 1)
    graph = _GRAPH_SIZE.sub(f'<svg x="0" y="{top}" width="{width}" height="{height}"', graph, count=1)
    total_width, total_height = max(round(plot_width * scale), width), top + height
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{total_width}" height="{total_height}" viewBox="0 0 {total_width} {total_height}">'
        f'<rect width="{total_width}" height="{total_height}" fill="white"/>{plots}{graph}</svg>'
    )
