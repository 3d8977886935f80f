"""Plots for training and evaluation (matplotlib, an optional extra, imported only
when called): loss curves, train and validation curves, decision boundaries, the
confusion matrix and grids of images with their predicted labels.

Figures are built with matplotlib's object API (no pyplot, no global state,
no display needed); each function returns the Figure and saves it when given
a path.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Sequence

import numpy as np

from .history import History
from .inference import decision_grid, predict  # predict: nn.plots.predict stays importable
from .metrics import predicted_classes


def _figure(size: tuple[float, float]) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(
            "nn.plots needs matplotlib: pip install 'chainrule[notebooks]' (or pip install matplotlib)"
        ) from e
    return Figure(figsize=size, layout="constrained")


def plot_loss(history: History, path: str | os.PathLike | None = None) -> Any:
    """The loss (and batch accuracy, on a second axis) against the step number."""
    fig = _figure((6, 4))
    ax = fig.add_subplot()
    steps = range(len(history.loss))
    ax.plot(steps, history.loss, color="tab:blue", label="loss")
    ax.set_xlabel("step")
    ax.set_ylabel("loss", color="tab:blue")
    if history.accuracy:
        acc = ax.twinx()
        acc.plot(steps, history.accuracy, color="tab:orange", label="accuracy")
        acc.set_ylabel("accuracy", color="tab:orange")
        acc.set_ylim(0, 1.05)
    ax.set_title("training loss")
    if path is not None:
        fig.savefig(path)
    return fig


def _running_mean(values: Sequence[float], window: int) -> np.ndarray:
    """The mean of each ``window`` consecutive values (fewer at the start)."""
    sums = np.cumsum(np.insert(np.asarray(values, dtype=np.float64), 0, 0.0))
    ends = np.arange(1, len(values) + 1)
    starts = np.maximum(ends - window, 0)
    return (sums[ends] - sums[starts]) / (ends - starts)


def plot_curves(history: History, path: str | os.PathLike | None = None) -> Any:
    """Training and validation curves together: the loss (left) and the accuracy
    (right) against the number of steps taken.  Training values are per batch
    (faint), with their running mean over 1/25 of the steps; validation values
    are drawn at the steps where :func:`nn.fit` evaluated them."""
    fig = _figure((10, 4))
    loss_ax, acc_ax = fig.subplots(1, 2)
    steps = np.arange(1, len(history.loss) + 1)
    window = max(1, len(steps) // 25)
    for ax, train, val, name in ((loss_ax, history.loss, history.val_loss, "loss"),
                                 (acc_ax, history.accuracy, history.val_accuracy, "accuracy")):
        if len(train):
            ax.plot(steps, train, color="tab:blue", alpha=0.25, linewidth=0.8)
            label = "train" if window == 1 else f"train (mean of {window} steps)"
            ax.plot(steps, _running_mean(train, window), color="tab:blue", label=label)
        if len(val):
            ax.plot(history.val_step, val, color="tab:orange", marker="." if len(val) < 50 else None,
                    label="validation")
        ax.set_xlabel("step")
        ax.set_ylabel(name)
        ax.set_title(name)
        ax.legend()
    acc_ax.set_ylim(min([0.0, *history.accuracy, *history.val_accuracy]), 1.02)
    if path is not None:
        fig.savefig(path)
    return fig


def plot_confusion_matrix(matrix: np.ndarray, path: str | os.PathLike | None = None,
                          class_names: Sequence[str] | None = None) -> Any:
    """The confusion matrix (see :func:`nn.confusion_matrix`; rows: true class,
    columns: predicted class) as a grid of counts, darker for more."""
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"a confusion matrix is square (C, C), got shape {matrix.shape}")
    n = matrix.shape[0]
    names = [str(c) for c in (class_names if class_names is not None else range(n))]
    if len(names) != n:
        raise ValueError(f"{len(names)} class names for a {n} x {n} confusion matrix")
    fig = _figure((0.45 * n + 2.5, 0.45 * n + 2))
    ax = fig.add_subplot()
    ax.imshow(matrix, cmap="Blues")
    top = matrix.max() if matrix.size else 0
    for i in range(n):
        for j in range(n):
            if matrix[i, j]:
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center",
                        color="white" if matrix[i, j] > top / 2 else "black", fontsize=9)
    ax.set_xticks(range(n), names)
    ax.set_yticks(range(n), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(f"confusion matrix ({int(np.trace(matrix))} of {int(matrix.sum())} right)")
    if path is not None:
        fig.savefig(path)
    return fig


def plot_images(images: np.ndarray, labels: Sequence[int], true_labels: Sequence[int] | None = None,
                path: str | os.PathLike | None = None, columns: int = 10, title: str = "") -> Any:
    """A grid of grey images, each titled with its label (a predicted one, say); with
    ``true_labels``, the images whose label differs are framed and titled in red
    with ``label (true label)``.  ``images`` has shape (N, h, w), or (N, h*w) for
    square images."""
    images = np.asarray(images, dtype=np.float64)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(f"rows of {images.shape[1]} pixels are not square images; pass shape (N, h, w)")
        images = images.reshape(len(images), side, side)
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(f"images must have shape (N, h, w) with N >= 1, got {images.shape}")
    if len(labels) != len(images) or (true_labels is not None and len(true_labels) != len(images)):
        raise ValueError(f"{len(images)} images need as many labels (got {len(labels)})"
                         + ("" if true_labels is None else f" and true labels (got {len(true_labels)})"))
    columns = min(columns, len(images))
    rows = -(-len(images) // columns)
    fig = _figure((1.1 * columns, 1.25 * rows + (0.3 if title else 0)))
    for k, image in enumerate(images):
        ax = fig.add_subplot(rows, columns, k + 1)
        ax.imshow(image, cmap="gray_r")
        ax.set_xticks([])
        ax.set_yticks([])
        wrong = true_labels is not None and int(labels[k]) != int(true_labels[k])
        ax.set_title(f"{int(labels[k])} ({int(true_labels[k])})" if wrong else str(int(labels[k])),
                     color="red" if wrong else "black", fontsize=10)
        for spine in ax.spines.values():
            spine.set_color("red" if wrong else "lightgrey")
            spine.set_linewidth(2.5 if wrong else 0.5)
    if title:
        fig.suptitle(title)
    if path is not None:
        fig.savefig(path)
    return fig


def plot_decision_boundary(
    model: Callable,
    X: np.ndarray,
    y: Sequence[int],
    path: str | os.PathLike | None = None,
    resolution: int = 50,
    classify: Callable[[Any], int] | None = None,
) -> Any:
    """The 2-D data coloured by label over the model's predicted class on a
    ``resolution`` x ``resolution`` grid (margin 0.5 around the data, see
    :func:`decision_grid`).

    ``classify`` turns one model output into a class; by default the class
    :func:`nn.accuracy` counts (:func:`nn.metrics.predicted_classes`): 1 where
    the one score is positive, else 0, or the highest of several scores.
    """
    X = np.asarray(X, dtype=np.float64)
    xs, ys, outputs = decision_grid(model, X, resolution)
    classes = predicted_classes(outputs) if classify is None else np.array([classify(out) for out in outputs])
    classes = classes.reshape(resolution, resolution)
    fig = _figure((5, 5))
    ax = fig.add_subplot()
    ax.contourf(xs, ys, classes, levels=np.arange(-0.5, max(classes.max(), 1) + 1.0), cmap="Spectral", alpha=0.8)
    ax.scatter(X[:, 0], X[:, 1], c=np.asarray(y), s=30, cmap="Spectral", edgecolors="k")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_title("decision boundary")
    if path is not None:
        fig.savefig(path)
    return fig
