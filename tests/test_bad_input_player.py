"""Bad input to the step-through player and the live training view: each gets a clear error."""
from __future__ import annotations

import numpy as np
import pytest

import nn
from autograd import Value, animation_html, draw_graph
from autograd.drawing.player import animation_page, frames_in
from nn.live import LiveView, start_live_view
from tests.bad_input import BadInput, check

SVG = "<svg><text>f</text></svg>"


def _trained_outside_jupyter(view: LiveView) -> LiveView:
    """``nn.fit(..., live=view)`` in a plain Python process, where the view is not started."""
    model = nn.MLP(2, [1], seed=0)
    nn.fit(model, np.zeros((4, 2)), [1, -1, 1, -1], nn.hinge_loss, nn.SGD(model.parameters(), lr=0.1), 2,
           progress=False, live=view)
    return view


def _started(view: LiveView, rows: int = 5) -> None:
    model = nn.MLP(2, [1], seed=0)
    view.start(model, np.zeros((rows, 2)), [1] * rows, steps=3, history=nn.History())


CATALOGUE = [
    BadInput("player", "animation_html([]): no frames", lambda: animation_html([]), ValueError, "at least one frame"),
    BadInput("player", "animation_page([]): no frames, no page", lambda: animation_page([]), ValueError,
             "at least one frame"),
    BadInput("player", "animation_html('<svg>...</svg>'): one string instead of a list", lambda: animation_html(SVG),
             ValueError, "not one string"),
    BadInput("player", "animation_html([draw_graph(f)]): a drawing, not its SVG",
             lambda: animation_html([draw_graph(Value(1.0))]), ValueError, "pipe(format='svg'"),
    BadInput("player", "animation_html(['hello']): a frame that is not SVG", lambda: animation_html([SVG, "hello"]),
             ValueError, "frame 1 is not SVG text"),
    BadInput("player", "animation_html([b'<svg/>']): bytes", lambda: animation_html([b"<svg/>"]), ValueError,
             "frame 0 is a bytes, not SVG text"),
    BadInput("player", "animation_html(frames, title=None)", lambda: animation_html([SVG], title=None), TypeError,
             "title must be a string"),
    BadInput("player", "animation_html(frames, interval_ms=0)", lambda: animation_html([SVG], interval_ms=0),
             ValueError, "interval_ms must be a positive whole number"),
    BadInput("player", "animation_html(frames, interval_ms=0.5)", lambda: animation_html([SVG], interval_ms=0.5),
             ValueError, "interval_ms must be a positive whole number"),
    BadInput("player", "frames_in(html) of HTML without a player", lambda: frames_in("<p>hi</p>"), ValueError,
             "no player frames"),
    BadInput("live view", "LiveView(every=0)", lambda: LiveView(every=0), ValueError, "every must be a whole number"),
    BadInput("live view", "LiveView(sample=-1)", lambda: LiveView(sample=-1), ValueError, "sample must be a row"),
    BadInput("live view", "LiveView(budget=0)", lambda: LiveView(budget=0), ValueError, "budget must be a positive"),
    BadInput("live view", "LiveView(resolution=1)", lambda: LiveView(resolution=1), ValueError,
             "resolution must be a whole number >= 2"),
    BadInput("live view", "fit(..., live='yes')",
             lambda: start_live_view("yes", model=nn.MLP(2, [1]), X=np.zeros((2, 2)), y=[0, 1], steps=1,
                                     history=nn.History()),
             TypeError, "live must be True, False or an nn.LiveView"),
    BadInput("live view", "LiveView(sample=7) on 5 rows", lambda: _started(LiveView(sample=7)), ValueError,
             "sample=7 is not a row of X, which has 5 rows"),
    BadInput("live view", "view.player() before training", lambda: LiveView().player(), ValueError,
             "no frames yet"),
    BadInput("live view", "view.save(path) before training", lambda: LiveView().save("never.html"), ValueError,
             "no frames yet"),
    BadInput("live view", "view.save(path) after nn.fit(..., live=view) outside Jupyter",
             lambda: _trained_outside_jupyter(LiveView()).save("never.html"), ValueError,
             "ran outside Jupyter, where the view is not started"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_input_gets_a_clear_error(bad: BadInput) -> None:
    check(bad)


def test_nothing_is_written_when_the_page_cannot_be_made(tmp_path) -> None:
    path = tmp_path / "never.html"
    with pytest.raises(ValueError):
        LiveView().save(path)
    assert not path.exists()
