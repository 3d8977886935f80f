"""Plots: figures are built and written without a display."""
import numpy as np
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



def test_decision_boundary_of_a_multiclass_model_colours_the_highest_score():
    X, y = data.make_blobs(30, centers=3, seed=0)
    model = nn.tensor_mlp(2, [3], seed=0)
    xs, ys, outputs = plots.decision_grid(model, X, 6)
    assert xs[0] == X[:, 0].min() - 0.5 and ys[-1] == X[:, 1].max() + 0.5 and len(outputs) == 36
    fig = plots.plot_decision_boundary(model, X, y, resolution=6)   # no classify needed for several outputs
    expected = [int(np.argmax(model([[x, y]]).data)) for y in ys for x in xs]
    assert nn.metrics.predicted_classes(outputs).tolist() == expected and set(expected) == {0, 1, 2}
    assert fig.axes[0].collections[0].levels.tolist() == [-0.5, 0.5, 1.5, 2.5]     # a region per class

def test_decision_boundary_needs_2d_points():
    with pytest.raises(ValueError, match="needs 2-D points"):
        plots.plot_decision_boundary(nn.MLP(3, [1]), [[1.0, 2.0, 3.0]], [0])


def _png(path):
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_curves_show_training_and_validation_together(tmp_path):
    hist = nn.History(loss=[2.0, 1.0, 0.5, 0.4], accuracy=[0.2, 0.5, 0.8, 0.9], lr=[0.1] * 4,
                      val_step=[2, 4], val_loss=[1.2, 0.6], val_accuracy=[0.45, 0.85])
    fig = plots.plot_curves(hist, tmp_path / "curves.png")
    loss_ax, acc_ax = fig.axes
    assert [t.get_text() for t in loss_ax.get_legend().get_texts()] == ["train", "validation"]
    val_line = loss_ax.get_lines()[-1]
    assert val_line.get_xdata().tolist() == [2, 4] and val_line.get_ydata().tolist() == [1.2, 0.6]
    assert acc_ax.get_lines()[-1].get_ydata().tolist() == [0.45, 0.85]
    assert _png(tmp_path / "curves.png")


def test_curves_smooth_long_noisy_training_and_need_no_validation():
    hist = nn.History(loss=[1.0, 0.0] * 50, accuracy=[0.5] * 100, lr=[0.1] * 100)
    fig = plots.plot_curves(hist)
    faint, mean = fig.axes[0].get_lines()
    assert "mean of 4 steps" in mean.get_label()
    assert np.allclose(mean.get_ydata()[3:], 0.5) and len(faint.get_ydata()) == 100


def test_confusion_matrix_plot_shows_the_counts(tmp_path):
    m = nn.confusion_matrix([0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 1])
    fig = plots.plot_confusion_matrix(m, tmp_path / "cm.png")
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == sorted(str(v) for v in m.ravel() if v)
    assert fig.axes[0].get_title() == "confusion matrix (4 of 6 right)"
    assert _png(tmp_path / "cm.png")
    with pytest.raises(ValueError, match="square"):
        plots.plot_confusion_matrix(np.zeros((2, 3)))


def test_image_grid_marks_the_mistakes(tmp_path):
    images = np.random.default_rng(0).uniform(size=(5, 64))
    fig = plots.plot_images(images, [1, 2, 3, 4, 5], [1, 2, 0, 4, 9], tmp_path / "grid.png", columns=3)
    titles = [(ax.get_title(), ax.title.get_color()) for ax in fig.axes]
    assert titles == [("1", "black"), ("2", "black"), ("3 (0)", "red"), ("4", "black"), ("5 (9)", "red")]
    assert _png(tmp_path / "grid.png")
    with pytest.raises(ValueError, match="not square images"):
        plots.plot_images(np.zeros((2, 10)), [0, 0])
    with pytest.raises(ValueError, match="2 images need as many labels"):
        plots.plot_images(np.zeros((2, 4, 4)), [0])
