"""Loss functions and L2 regularisation, as plain functions over Values.

Each loss is written over generic arithmetic (``+ - * /``, ``.relu()``,
``.exp()``, ``.log()``) and two reductions, so the same formula applies to a
list of Values (one element per sample) or to any single object with those
methods and a ``.sum()`` (a Tensor).  Reductions over lists use one n-ary
``autograd.sum_values`` node.  Batch losses are means over the N samples; over
no samples they are nan, as in PyTorch.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Iterable, Sequence

import numpy as np

import autograd

from .checks import class_label, class_labels


def _total(x: Any) -> Any:
    """Σ of all elements: over a list, one n-ary sum node when the parts are Values
    (else chained ``+``); ``x.sum()`` for an object with ``.sum`` (a Tensor or numpy
    array); ``x`` itself for a scalar."""
    if isinstance(x, (list, tuple)):
        parts = [_total(v) for v in x]
        if not parts or all(isinstance(p, autograd.Value) for p in parts):
            return autograd.sum_values(parts)
        return sum(parts[1:], parts[0])
    if hasattr(x, "sum"):
        return x.sum()
    return x


def _count(x: Any) -> int:
    """How many elements :func:`_total` adds up."""
    if isinstance(x, (list, tuple)):
        return sum(_count(v) for v in x)
    return int(np.size(x.data)) if isinstance(x, autograd.Node) else int(np.size(x))


def _reciprocal(n: int) -> float:
    """1/n, the weight of each of n samples in a mean; nan for n = 0, as the mean of
    nothing is in PyTorch (``mse_loss`` of empty tensors is nan), never a ZeroDivisionError."""
    return 1.0 / n if n else math.nan


def _mean(x: Any) -> Any:
    """(1/n) Σ of all n elements (nan when there are none)."""
    return _total(x) * _reciprocal(_count(x))


def _pairwise(fn: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    """``fn`` applied to matching elements of two lists, or to ``a`` and ``b`` whole.

    A Tensor of predictions meets its targets as an array of the same shape; an
    ``(N, 1)`` column against N targets is read as N predictions (never broadcast
    to ``(N, N)``)."""
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            raise ValueError(f"{len(a)} predictions but {len(b)} targets; the lengths must match")
        return [fn(ai, bi) for ai, bi in zip(a, b)]
    if isinstance(a, autograd.Tensor):
        b = np.asarray(b, dtype=a.dtype)
        if a.shape != b.shape:
            if a.size != b.size:
                raise ValueError(f"predictions of shape {a.shape} but targets of shape {b.shape}; "
                                 "they must have the same number of entries")
            a = a.reshape(b.shape)
    return fn(a, b)


def _class_labels(scores: "autograd.Tensor", labels: Any) -> np.ndarray:
    """Integer class labels for an ``(N, C)`` Tensor of scores, checked."""
    if scores.ndim != 2:
        raise ValueError(f"class scores must have shape (N, C), got {scores.shape}")
    y = np.asarray(labels)
    n, c = scores.shape
    if y.shape != (n,):
        raise ValueError(f"{n} samples of scores but labels of shape {y.shape}")
    return class_labels(y, c)


def mse_loss(predictions: Any, targets: Any) -> Any:
    """Mean squared error ``L = (1/N) Σ_i (p_i - t_i)^2``; dL/dp_i = 2 (p_i - t_i) / N.

    ``predictions``: a Value or a list of Values; ``targets``: numbers of the same shape.
    (The lecture notes' square loss ``(1/2)(y - y_i)^2`` is ``mse_loss / 2`` for one sample.)
    """
    return _mean(_pairwise(lambda p, t: (p - t) * (p - t), predictions, targets))


def hinge_loss(scores: Any, labels: Any) -> Any:
    """Binary max-margin (hinge) loss, as in micrograd's demo:
    ``L = (1/N) Σ_i max(0, 1 - y_i s_i)`` with labels ``y_i`` in {-1, +1}.

    dL/ds_i = -y_i / N where ``y_i s_i < 1``, else 0 (0 at the kink, relu'(0) = 0).
    """
    return _mean(_pairwise(lambda s, y: (1 - y * s).relu(), scores, labels))


def multiclass_svm_loss(scores: Sequence[Sequence[Any]], labels: Sequence[int]) -> Any:
    """Multiclass SVM loss of the lecture notes, averaged over samples:
    ``L_i = Σ_{j != y_i} max(0, s_ij - s_iy_i + 1)``, ``L = (1/N) Σ_i L_i``.

    ``scores[i]`` are the C class scores of sample i, ``labels[i]`` its class
    in ``0..C-1``.  dL_i/ds_ij = 1 for each j != y_i with a positive margin
    term, and dL_i/ds_iy_i = -(number of such j).
    """
    if isinstance(scores, autograd.Tensor):  # (N, C) at once: the correct class is masked out
        y = _class_labels(scores, labels)
        rows = np.arange(len(y))
        correct = scores[rows, y].reshape(-1, 1)
        others = np.ones(scores.shape, dtype=scores.dtype)
        others[rows, y] = 0
        return ((scores - correct + 1).relu() * others).sum() * _reciprocal(len(y))

    def sample(s: Sequence[Any], label: Any) -> Any:
        y = class_label(label, len(s))
        return _total([(s[j] - s[y] + 1).relu() for j in range(len(s)) if j != y])

    return _total(_pairwise(sample, list(scores), list(labels))) * _reciprocal(len(scores))


def cross_entropy_loss(scores: Sequence[Sequence[Any]], labels: Sequence[int]) -> Any:
    """Softmax cross-entropy, averaged over samples:
    ``L_i = -log(e^{s_iy_i} / Σ_j e^{s_ij}) = log Σ_j e^{s_ij} - s_iy_i``.

    dL_i/ds_ij = softmax(s_i)_j - [j = y_i].  Computed stably as
    ``m + log Σ_j e^{s_ij - m} - s_iy_i`` with ``m = max_j s_ij`` taken as a
    constant (the result and its gradient do not depend on m).
    """
    if isinstance(scores, autograd.Tensor):  # (N, C) at once, through log_softmax
        y = _class_labels(scores, labels)
        return -scores.log_softmax(axis=1)[np.arange(len(y)), y].mean()

    def sample(s: Sequence[Any], label: Any) -> Any:
        y = class_label(label, len(s))
        m = max(float(v) for v in s)
        return _total([(v - m).exp() for v in s]).log() + m - s[y]

    return _total(_pairwise(sample, list(scores), list(labels))) * _reciprocal(len(scores))


def l2_penalty(params: Iterable[Any]) -> Any:
    """L2 regularisation ``R(W) = Σ_k W_k^2`` over all parameters; dR/dW_k = 2 W_k.

    For Values this is one fused ``autograd.linear(params, params)`` node;
    for other parameters (Tensors) the sum of each ``(p * p).sum()``.
    Multiply by the strength yourself: ``loss + 1e-4 * l2_penalty(model.parameters())``.
    """
    params = list(params)
    if all(isinstance(p, autograd.Value) for p in params):
        return autograd.linear(params, params)
    return _total([_total(p * p) for p in params])
