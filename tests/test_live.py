"""The live training view (nn/live.py), driven by nn.fit(..., live=...)."""
from __future__ import annotations

import sys
import re
import shutil
import xml.etree.ElementTree as ET

import numpy as np
import pytest

import autograd
import nn
import nn.live as live
from autograd.drawing.player import frames_in
from nn.data import make_moons

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot not installed")
X, Y = make_moons(40, noise=0.1, seed=0)
LABELS = [2 * int(t) - 1 for t in Y]


class Output:
    """Stands in for Jupyter: records what was displayed and each in-place update,
    of the view (``updates``) and of its progress line (``progress``)."""

    def __init__(self) -> None:
        self.shown: list = []
        self.updates: list = []
        self.progress: list = []

    def show(self, content):
        self.shown.append(content)
        return Handle(self.progress if isinstance(content, live._Progress) else self.updates)


class Handle:
    """A displayed output: its updates go to ``into``."""

    def __init__(self, into: list) -> None:
        self.into = into

    def update(self, content) -> None:
        self.into.append(content)


@pytest.fixture
def notebook(monkeypatch) -> Output:
    output = Output()
    monkeypatch.setattr(live, "in_notebook", lambda: True)
    monkeypatch.setattr(live, "_show", output.show)
    return output


def train(model, steps: int, view: "live.LiveView | bool" = False, lr: float = 0.5):
    """nn.fit, full batch with the hinge loss, handing ``view`` to its live-view hook."""
    history = nn.fit(model, X, LABELS, nn.hinge_loss, nn.SGD(model.parameters(), lr=lr), steps,
                     progress=False, live=view)
    return history, view


def params_of(model) -> list[np.ndarray]:
    return [np.array(p.data, dtype=float) for p in model.parameters()]


@pytest.mark.parametrize("make_view", [lambda: True, live.LiveView], ids=["True", "LiveView"])
def test_outside_jupyter_there_is_no_view_and_a_note(capsys, make_view) -> None:
    assert not live.in_notebook()
    history, view = train(nn.MLP(2, [4, 1], seed=0), 3, make_view())
    assert len(history.loss) == 3 and (view is True or view.frames == [])
    assert "live=True needs a Jupyter notebook; showing the progress bar instead" in capsys.readouterr().err
    if view is not True:  # nothing was recorded, and saving says why
        with pytest.raises(ValueError, match="ran outside Jupyter, where the view is not started"):
            view.save("never-written.html")


def test_in_a_notebook_the_view_shows_the_progress_and_fit_shows_no_bar(notebook, monkeypatch) -> None:
    monkeypatch.setattr(live, "sample_graph_svg", lambda *args, **kwargs: None)  # no Graphviz needed
    bars = []
    monkeypatch.setattr(nn.callbacks, "ProgressBar", lambda: bars.append(1))
    model = nn.MLP(2, [4, 1], seed=0)
    history = nn.fit(model, X, LABELS, nn.hinge_loss, nn.SGD(model.parameters(), lr=0.5), 5, live=True)
    assert bars == []  # progress=True (the default), yet no tqdm bar beside the view
    assert isinstance(notebook.shown[0], live._Progress)
    last = notebook.progress[-1]._repr_mimebundle_()
    assert last["text/plain"].startswith(f"train: step 5 / 5   loss {history.loss[-1]:.4g}   ")
    assert last["text/plain"].endswith(" steps/s") and '<progress value="5" max="5">' in last["text/html"]


def test_progress_bars_are_widgets_in_a_notebook_with_ipywidgets(monkeypatch) -> None:
    tqdm = pytest.importorskip("tqdm")
    assert nn.callbacks.progress_bar_class() is tqdm.tqdm  # outside Jupyter: text on stderr
    monkeypatch.setattr(live, "in_notebook", lambda: True)
    if pytest.importorskip("ipywidgets"):
        from tqdm.notebook import tqdm as notebook_bar
        assert nn.callbacks.progress_bar_class() is notebook_bar
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # not installed: text again
    assert nn.callbacks.progress_bar_class() is tqdm.tqdm


@needs_dot
@pytest.mark.parametrize("make", [lambda: nn.MLP(2, [8, 1], seed=0), lambda: nn.tensor_mlp(2, [8, 1], seed=0)],
                         ids=["scalar", "tensor"])
def test_one_output_is_updated_in_place_every_k_steps(notebook, make) -> None:
    history, view = train(make(), 10, live.LiveView(every=3, max_nodes=100))  # drawn whole
    assert len(notebook.shown) == 2  # the progress line and the view, then only updates
    assert [f.step for f in view.frames] == [3, 6, 9, 10]
    assert len(notebook.updates) == 4
    final = notebook.updates[-1]._repr_mimebundle_()
    assert final["text/plain"] == f"live training view: step 10 / 10   loss {history.loss[-1]:.4g}   " \
                                  f"accuracy {history.accuracy[-1]:.3g}"
    assert final["text/html"].count("<img") == 2
    for frame in view.frames:
        ET.fromstring(frame.plots)
        assert "score of sample 0" in frame.graph


@needs_dot
def test_the_view_does_not_change_training(notebook) -> None:
    _, view = train(model := nn.MLP(2, [8, 1], seed=0), 6, live.LiveView(every=1, sample=3))
    plain, _ = train(reference := nn.MLP(2, [8, 1], seed=0), 6)
    assert len(view.frames) == 6
    for a, b in zip(params_of(model), params_of(reference)):
        np.testing.assert_array_equal(a, b)


@needs_dot
def test_sample_graph_puts_the_training_gradients_back() -> None:
    model = nn.tensor_mlp(2, [4, 1], seed=0)
    for p in model.parameters():
        p.grad = np.full_like(p.data, 7.0)
    svg = live.sample_graph_svg(model, X[0], LABELS[0])
    assert all((p.grad == 7.0).all() for p in model.parameters())
    texts = "".join(t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
    assert re.search(r"score of sample 0\s*1×1 float64\s*data\s*-?[\d.]+\s*grad\s*1$", texts), texts


@needs_dot
def test_a_big_sample_graph_is_drawn_one_box_per_layer_a_small_one_whole() -> None:
    def texts(model) -> str:
        svg = live.sample_graph_svg(model, X[0], LABELS[0])
        return " ".join(t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))

    big = texts(nn.MLP(2, [16, 16, 1], seed=0))  # about 400 values: more than max_nodes=40
    assert all(f"layers.{k}" in big for k in range(3)) and "w (16×16)" in big and "not drawn" not in big
    small = texts(nn.MLP(2, [2, 1], seed=0))     # a dozen values: every one drawn
    assert "w.0" in small and "(16" not in small and "ReLU" in small


@needs_dot
def test_a_time_budget_draws_the_first_and_last_steps_at_least(notebook) -> None:
    _, view = train(nn.MLP(2, [4, 1], seed=0), 8, live.LiveView(budget=1e-9))
    assert [f.step for f in view.frames] == [1, 8]
    assert view.view_seconds > 0 and view.train_seconds > 0


@needs_dot
def test_default_budget_keeps_the_view_time_near_the_training_time(notebook) -> None:
    _, view = train(nn.MLP(2, [8, 8, 1], seed=0), 30, live.LiveView())
    slowest = max(f.seconds for f in view.frames)
    # a redraw starts only while view time <= budget x training time: the last one and close() may each add one
    assert view.view_seconds <= view.budget * view.train_seconds + 2 * slowest + 0.05
    assert view.frames[-1].step == 30


def test_decision_boundary_colours_the_predicted_class() -> None:
    model = nn.MLP(2, [1], seed=0)
    (neuron,) = model.layers[0].neurons
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 1.0, 0.0, 0.0  # score = x0: class 1 where x0 > 0
    points = np.array([[-1.0, -1.0], [1.0, 1.0]])
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{live.boundary_svg(model, points, [-1, 1], resolution=4)}</svg>'
    rects = [r for r in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}rect") if r.get("fill") != "none"]
    assert len(rects) == 8  # each row of 4 cells is two runs: x0 < 0, then x0 > 0
    assert [r.get("fill") for r in rects[:2]] == [live._REGION[0], live._REGION[1]]
    circles = list(ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}circle"))
    assert [c.get("fill") for c in circles] == [live._POINT[0], live._POINT[1]]


def test_multiclass_models_use_the_highest_score_and_the_labels_class() -> None:
    model = nn.tensor_mlp(2, [3], seed=0)
    labels = [0, 1, 2, 1]
    svg = live.boundary_svg(model, X[:4], labels, resolution=5)
    assert {live._POINT[k] for k in labels} == set(re.findall(r'circle[^>]* fill="([^"]+)"', svg))
    score, seed = live._score(model, X[0], 2)
    assert seed.tolist() == [[0.0, 0.0, 1.0]]


def test_curves_skip_non_finite_losses() -> None:
    svg = live.curves_svg([1.0, float("nan"), 0.5, float("inf")], [0.5, 0.6, 0.7, 0.8], steps=4)
    (loss_line, accuracy_line) = re.findall(r'points="([^"]+)"', svg)
    assert len(loss_line.split()) == 2 and len(accuracy_line.split()) == 4


@needs_dot
def test_saved_page_replays_the_frames(notebook, tmp_path) -> None:
    _, view = train(nn.tensor_mlp(2, [4, 1], seed=0), 4, live.LiveView(every=2))
    path = view.save(tmp_path / "training.html", title="moons <4 steps>")
    page = path.read_text(encoding="utf-8")
    assert "<title>moons &lt;4 steps&gt;</title>" in page
    frames = frames_in(page)
    assert len(frames) == 2 and frames == [live.compose_frame(f) for f in view.frames]
    root = ET.fromstring(frames[-1])
    assert "step 4 / 4" in "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert view.player()._repr_mimebundle_()["text/plain"] == "step-through player: 2 frames, 'Training, step by step'"


def test_without_graphviz_the_view_still_shows_the_plots(notebook, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")  # no graphviz-pure beside it either
    _, view = train(nn.MLP(2, [4, 1], seed=0), 2, live.LiveView(every=1))
    assert [f.graph for f in view.frames] == [None, None]
    assert notebook.updates[-1]._repr_mimebundle_()["text/html"].count("<img") == 1
    assert live.compose_frame(view.frames[-1]) == view.frames[-1].plots


@needs_dot
def test_the_sample_graph_names_the_parameters() -> None:
    model = nn.MLP(2, [2, 1], seed=0)
    assert "layers.0" in live.sample_graph_svg(model, X[0], LABELS[0])


@needs_dot
@pytest.mark.parametrize("rankdir, starts_right", [("LR", True), ("TB", False)])
def test_a_left_to_right_graph_starts_scrolled_to_its_output(notebook, rankdir, starts_right) -> None:
    train(nn.MLP(2, [2, 1], seed=0), 1, live.LiveView(rankdir=rankdir))
    assert ("direction: rtl" in notebook.updates[-1]._repr_mimebundle_()["text/html"]) == starts_right
