"""A trained model's outputs: :func:`predict` on rows, and :func:`decision_grid`
on a grid over 2-D data (what a decision boundary is drawn from)."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

import autograd

from .checks import feature_rows, size
from .module import Module


def predict(model: Module, X: np.ndarray | Sequence[Sequence[float]]) -> list[Any]:
    """The model's output for each row of ``X``, computed under ``no_grad()``
    (no graph is recorded).

    A scalar model gives what it returns per row (a Value, or a list of Values);
    a batched (Tensor) model is called once on all rows and gives each row's
    outputs as an array (for a classifier: its C class scores, see
    :func:`nn.argmax`), or as a float when it has one output.

    ``X`` has one row per sample, shape (samples, features): a 1-D X is refused (for
    one sample write ``[x]``), and no rows give an empty list.
    """
    X = feature_rows("X", X)
    with autograd.no_grad():
        if getattr(model, "batched", False):
            out = np.asarray(model(X).data)
            if len(X) == 0:
                return []
            out = out.reshape(len(X), -1)
            return out[:, 0].tolist() if out.shape[1] == 1 else list(out)
        return [model(x) for x in X.tolist()]


def decision_grid(model: Callable, X: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray, list]:
    """Where a decision boundary is drawn: ``resolution`` evenly spaced ``xs`` and
    ``ys`` spanning the 2-D points ``X`` with a margin of 0.5, and the model's
    outputs (:func:`nn.predict`) at the grid's points, row by row: output
    ``i * resolution + j`` is at ``(xs[j], ys[i])``."""
    X = feature_rows("X", X)
    if X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"a decision boundary needs 2-D points (at least one), X has shape {X.shape}")
    (x0, y0), (x1, y1) = X.min(axis=0) - 0.5, X.max(axis=0) + 0.5
    resolution = size("decision_grid", "resolution", resolution)
    xs, ys = np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, predict(model, np.stack([gx.ravel(), gy.ravel()], axis=1))
