"""Plots: figures are built and written without a display."""
import pytest

pytest.importorskip("matplotlib")

import nn
from nn import data, plots


def test_loss_curve_and_decision_boundary_are_written(tmp_path):
    X, y = data.make_moons(30, seed=0)
    model = nn.MLP(2, [4, 1], seed=0)
    hist = nn.History(loss=[1.0, 0.5, 0.25], accuracy=[0.5, 0.7, 0.9], lr=[1, 1, 1])
    fig = plots.plot_loss(hist, tmp_path / "loss.png")
    assert fig.axes[0].get_xlabel() == "step" and len(fig.axes) == 2
    plots.plot_decision_boundary(model, X, y, tmp_path / "boundary.png", resolution=10)
    for name in ("loss.png", "boundary.png"):
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_decision_boundary_needs_2d_points():
    with pytest.raises(ValueError, match="needs 2-D points"):
        plots.plot_decision_boundary(nn.MLP(3, [1]), [[1.0, 2.0, 3.0]], [0])
