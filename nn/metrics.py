"""Accuracy of predictions (plain numbers, never recorded in a graph)."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

import autograd


def _numbers(scores: Any) -> Any:
    """A Tensor's data (its rows), anything else unchanged."""
    return np.asarray(scores.data) if isinstance(scores, autograd.Tensor) else scores


def binary_accuracy(scores: Sequence[Any], labels: Sequence[Any]) -> float:
    """Fraction of samples whose score has the label's sign: ``(s_i > 0) == (y_i > 0)``.

    ``scores`` are Values or numbers; ``labels`` are in {-1, +1} (or {0, 1}:
    0 counts as the negative class).  A Tensor of shape (N,) or (N, 1) also works.
    """
    scores = _numbers(scores)
    if isinstance(scores, np.ndarray):
        scores = scores.reshape(len(scores), -1)[:, 0] if scores.ndim else scores.reshape(1)
    if len(scores) != len(labels):
        raise ValueError(f"{len(scores)} scores but {len(labels)} labels; the lengths must match")
    if len(scores) == 0:
        raise ValueError("accuracy of an empty batch is undefined")
    hits = sum((float(s) > 0) == (float(y) > 0) for s, y in zip(scores, labels))
    return hits / len(scores)


def multiclass_accuracy(scores: Sequence[Sequence[Any]], labels: Sequence[int]) -> float:
    """Fraction of samples whose highest score is at the label: ``argmax_j s_ij == y_i``.
    ``scores`` are rows of C class scores (lists, or an (N, C) Tensor)."""
    scores = _numbers(scores)
    if len(scores) != len(labels):
        raise ValueError(f"{len(scores)} scores but {len(labels)} labels; the lengths must match")
    if len(scores) == 0:
        raise ValueError("accuracy of an empty batch is undefined")
    hits = sum(max(range(len(s)), key=lambda j: float(s[j])) == int(y) for s, y in zip(scores, labels))
    return hits / len(scores)
