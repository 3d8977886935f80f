"""Plots for training (matplotlib, an optional extra, imported only when called).

Figures are built with matplotlib's object API (no pyplot, no global state,
no display needed); each function returns the Figure and saves it when given
a path.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Sequence

import numpy as np

from .train import History, predict


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


def _binary_class(output: Any) -> int:
    return int(float(output) > 0)


def plot_decision_boundary(
    model: Callable,
    X: np.ndarray,
    y: Sequence[int],
    path: str | os.PathLike | None = None,
    resolution: int = 50,
    classify: Callable[[Any], int] = _binary_class,
) -> Any:
    """The 2-D data coloured by label over the model's predicted class on a
    ``resolution`` x ``resolution`` grid (margin 0.5 around the data).

    ``classify`` turns one model output into a class: by default class 1 when
    the score is positive, else 0 (a binary model with one output).
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"a decision boundary needs 2-D points, X has shape {X.shape}")
    (x0, y0), (x1, y1) = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1)
    classes = np.array([classify(out) for out in predict(model, grid)]).reshape(gx.shape)
    fig = _figure((5, 5))
    ax = fig.add_subplot()
    ax.contourf(gx, gy, classes, levels=np.arange(-0.5, max(classes.max(), 1) + 1.0), cmap="Spectral", alpha=0.8)
    ax.scatter(X[:, 0], X[:, 1], c=np.asarray(y), s=30, cmap="Spectral", edgecolors="k")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_title("decision boundary")
    if path is not None:
        fig.savefig(path)
    return fig
