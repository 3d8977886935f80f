"""Accuracy, class labels from scores, and the confusion matrix (plain numbers,
never recorded in a graph)."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

import autograd

from .checks import class_labels, integer_labels, size


def _numbers(scores: Any) -> Any:
    """A Tensor's data (its rows), anything else unchanged."""
    return np.asarray(scores.data) if isinstance(scores, autograd.Tensor) else scores


def _score_rows(scores: Any) -> np.ndarray:
    """Class scores as an ``(N, C)`` float array: from an (N, C) Tensor or array, or a
    list of rows of numbers or Values (what :func:`nn.predict` returns)."""
    scores = _numbers(scores)
    if isinstance(scores, np.ndarray):
        rows = scores.astype(np.float64, copy=False)
    else:
        rows = np.array([[float(v) for v in row] if isinstance(row, (list, tuple)) else np.asarray(row, np.float64)
                         for row in scores], dtype=np.float64)
    if rows.ndim != 2:
        raise ValueError(f"expected one row of C class scores per sample, shape (N, C), got shape {rows.shape}; "
                         "for one score per sample, the class is score > 0 (see binary_accuracy)")
    return rows


def _one_score_each(scores: Any) -> Sequence[Any]:
    """One score per sample: a Tensor's or array's (N,) or (N, 1) data as a flat
    array; anything else (a list of Values or numbers) unchanged."""
    scores = _numbers(scores)
    if isinstance(scores, np.ndarray):
        scores = scores.reshape(len(scores), -1)[:, 0] if scores.ndim else scores.reshape(1)
    return scores


def _same_length(scores: Sequence[Any], labels: Sequence[Any]) -> None:
    """Refuse scores and labels of different lengths, and an empty batch."""
    if len(scores) != len(labels):
        raise ValueError(f"{len(scores)} scores but {len(labels)} labels; the lengths must match")
    if len(scores) == 0:
        raise ValueError("accuracy of an empty batch is undefined")


def argmax(scores: Any) -> np.ndarray:
    """Each sample's predicted class, ``argmax_j s_ij`` (the first on a tie), as an
    int array of length N.  ``scores`` are (N, C) class scores: a Tensor, an array,
    or the rows :func:`nn.predict` returns.  Softmax does not change the argmax, so
    the scores (logits) are enough."""
    return np.argmax(_score_rows(scores), axis=1)


def binary_accuracy(scores: Sequence[Any], labels: Sequence[Any]) -> float:
    """Fraction of samples whose score has the label's sign: ``(s_i > 0) == (y_i > 0)``.

    ``scores`` are Values or numbers; ``labels`` are in {-1, +1} (or {0, 1}:
    0 counts as the negative class).  A Tensor of shape (N,) or (N, 1) also works.
    A nan label is in neither class, and is refused (it would count as negative).
    """
    scores = _one_score_each(scores)
    _same_length(scores, labels)
    ys = [float(y) for y in labels]
    nans = [i for i, y in enumerate(ys) if math.isnan(y)]
    if nans:
        raise ValueError(f"label {nans[0]} is nan, which is in neither class: binary labels are -1 or +1 "
                         "(or 0 or 1)")
    hits = sum((float(s) > 0) == (y > 0) for s, y in zip(scores, ys))
    return hits / len(scores)


def multiclass_accuracy(scores: Sequence[Sequence[Any]], labels: Sequence[int]) -> float:
    """Fraction of samples whose highest score is at the label: ``argmax_j s_ij == y_i``.
    ``scores`` are rows of C class scores (lists, or an (N, C) Tensor); each label
    must be a class in ``[0, C)``."""
    _same_length(scores, labels)
    rows = _score_rows(scores)
    return float(np.mean(np.argmax(rows, axis=1) == class_labels(labels, rows.shape[1])))


def _columns(scores: Any) -> int:
    """How many scores each sample has (1 for a list of single scores)."""
    data = _numbers(scores)
    if isinstance(data, np.ndarray):
        return data.shape[1] if data.ndim == 2 else 1
    first = data[0] if len(data) else None
    return len(first) if isinstance(first, (list, tuple, np.ndarray)) else 1


def accuracy(scores: Any, labels: Sequence[Any]) -> float:
    """:func:`multiclass_accuracy` when each sample has several scores (one per class),
    else :func:`binary_accuracy` (the sign of the one score)."""
    return multiclass_accuracy(scores, labels) if _columns(scores) > 1 else binary_accuracy(scores, labels)


def predicted_classes(outputs: Any) -> np.ndarray:
    """Each sample's predicted class, as :func:`accuracy` counts it, as an int array:
    the highest score's class (:func:`argmax`) when each sample has several scores,
    else 1 where its one score is > 0 and 0 elsewhere.  ``outputs`` are a Tensor, an
    array, or what :func:`nn.predict` returns."""
    if _columns(outputs) > 1:
        return argmax(outputs)
    return np.array([float(s) > 0 for s in _one_score_each(outputs)], dtype=np.int64)


MAX_CELLS = 10**8
"""The largest confusion matrix made (10,000 classes, 800 MB): a label such as 10**9
is a mistake to be named, not a request for 10**18 counts."""


def confusion_matrix(predicted: Sequence[int], labels: Sequence[int], num_classes: int | None = None) -> np.ndarray:
    """``M[i, j]`` = how many samples of true class i were predicted as class j
    (rows: truth, columns: prediction, as in scikit-learn); the diagonal counts
    the hits.  ``predicted`` are class labels (see :func:`argmax`): whole numbers,
    ``2.0`` as well as ``2``.  ``num_classes`` defaults to the largest label seen
    plus one; a label that is not a whole number in ``[0, num_classes)`` is refused,
    naming it."""
    predicted, labels = np.asarray(predicted).ravel(), np.asarray(labels).ravel()
    if len(predicted) != len(labels):
        raise ValueError(f"{len(predicted)} predictions but {len(labels)} labels; the lengths must match")
    both = integer_labels(predicted.tolist() + labels.tolist())
    if num_classes is None:
        num_classes = max(int(both.max(initial=0)) + 1, 1)
    num_classes = size("confusion_matrix", "num_classes", num_classes)
    if num_classes**2 > MAX_CELLS:
        raise ValueError(f"confusion_matrix: {num_classes} classes would make a {num_classes} x {num_classes} "
                         "matrix; at most 10,000 classes are counted (is a label wrong?)")
    both = class_labels(both, num_classes)
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (both[len(predicted):], both[:len(predicted)]), 1)
    return matrix
