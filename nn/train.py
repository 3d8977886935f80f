"""A training loop: minibatch gradient descent on a Module, with evaluation on
held-out data; the progress bar and the live view are callbacks (nn.callbacks)."""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

import autograd

from .callbacks import Callback, fit_callbacks
from .checks import class_labels, feature_rows, flag, non_negative, size
from .data import minibatch_indices
from .history import History
from .inference import predict  # nn.train.predict stays importable
from .losses import cross_entropy_loss, hinge_loss, l2_penalty, multiclass_svm_loss
from .metrics import accuracy
from .module import Module
from .optim import Optimizer

CLASS_LOSSES = (cross_entropy_loss, multiclass_svm_loss)
"""Losses whose targets are class labels in [0, C), checked by :func:`fit` before training."""


def _scores(model: Module, rows: Any, batched: bool) -> Any:
    """The model's outputs for ``rows``: one call on all of them for a batched (Tensor)
    model, one call per row (a list) for a scalar model."""
    return model(rows) if batched else [model(row) for row in rows]


def _batches(rows: Any, targets: list, batched: bool, batch_size: int | None, seed: int | None):
    """``(rows, targets)`` of each step, forever: the whole set each step, or
    shuffled epochs of minibatches."""
    target_array = np.asarray(targets)  # a batched model's targets are indexed like its rows
    rng = np.random.default_rng(seed)
    while True:
        if batch_size is None or batch_size >= len(rows):
            epoch = [np.arange(len(rows))]
        else:
            epoch = minibatch_indices(len(rows), batch_size, shuffle=True, seed=rng)
        for idx in epoch:
            yield (rows[idx], target_array[idx]) if batched else ([rows[i] for i in idx], [targets[i] for i in idx])


def _rows(X: Any, what: str) -> np.ndarray:
    """``X`` as a float64 array of shape (N, features) with N >= 1, or a clear error."""
    X = feature_rows(what, X)
    if len(X) == 0:
        raise ValueError(f"{what} is empty (shape {X.shape}); there is nothing to train or evaluate on")
    return X


def _outputs_per_row(model: Module, X: np.ndarray, batched: bool) -> int:
    """How many scores the model gives each row (its number of classes), from one row."""
    with autograd.no_grad():
        out = _scores(model, X[:1] if batched else X[:1].tolist(), batched)
    return out.shape[-1] if batched else (len(out[0]) if isinstance(out[0], list) else 1)


def _check_class_labels(targets: list, n_classes: int, what: str) -> None:
    """Every label must be a class of the model's output (``[0, C)``), before any step."""
    try:
        class_labels(targets, n_classes)
    except ValueError as e:
        raise ValueError(f"{what}: {e} (the model has {n_classes} outputs)") from None


def fit(
    model: Module,
    X: np.ndarray,
    y: Sequence[Any],
    loss_fn: Callable[[list, list], Any],
    optimizer: Optimizer,
    steps: int,
    *,
    l2: float = 0.0,
    batch_size: int | None = None,
    lr_schedule: Callable[[int], float] | None = None,
    accuracy_fn: Callable[[list, list], float] = accuracy,
    validation: tuple[Any, Any] | None = None,
    eval_every: int = 1,
    seed: int | None = 0,
    progress: bool = True,
    live: bool | object = False,
) -> History:
    """Train ``model`` for ``steps`` steps of (minibatch) gradient descent.

    Each step k takes a batch (all rows when ``batch_size`` is None, else the
    next shuffled minibatch), computes the scores (row by row for a scalar
    model, in one call on the whole batch for a batched Tensor model), then
    ``J = loss_fn(scores, targets) + l2 * Σ_k W_k^2``, zeroes the gradients,
    runs ``J.backward()``, sets ``optimizer.lr = lr_schedule(k)`` if given and
    calls ``optimizer.step()``: theta <- theta - eta dJ/dtheta for SGD.  Every option
    is checked before the first step, so a refused call changes nothing (``lr_schedule``
    must give a finite rate >= 0, and is called for every k first).

    ``accuracy_fn`` defaults to :func:`nn.accuracy` (the sign of one score, or the
    argmax of several class scores).  For multi-class models use
    :func:`nn.cross_entropy_loss` (softmax over the classes) or
    :func:`nn.multiclass_svm_loss`; their labels are checked against the
    model's number of outputs before the first step.

    ``validation=(X_val, y_val)``: every ``eval_every`` steps, and after the
    last one, the model is evaluated on all of ``X_val`` under ``no_grad()``
    (``loss_fn`` without the L2 term, and ``accuracy_fn``), recorded in the
    History's ``val_step``, ``val_loss`` and ``val_accuracy``.

    A tqdm progress bar on stderr shows the loss and batch accuracy, and the
    latest validation loss and accuracy; ``progress=False`` silences it.
    ``live``: update a live view in Jupyter while training (see nn.live).
    """
    _check_options(model, optimizer, steps, eval_every, l2, batch_size, lr_schedule, progress)
    batched = getattr(model, "batched", False)
    X, targets, val_data = _training_data(model, batched, X, y, loss_fn, validation)
    params = model.parameters()
    history = History()
    batches = _batches(X if batched else X.tolist(), targets, batched, batch_size, seed)
    started: list[Callback] = []
    try:
        for callback in fit_callbacks(progress, live):
            callback.on_start(model, X, targets, steps, history)
            started.append(callback)
        for k in range(steps):
            rows, batch_targets = next(batches)
            scores = _scores(model, rows, batched)
            loss = loss_fn(scores, batch_targets)
            if l2:
                loss = loss + l2 * l2_penalty(params)
            optimizer.zero_grad()
            loss.backward()
            if lr_schedule is not None:
                optimizer.lr = _rate(lr_schedule, k)
            optimizer.step()
            history.loss.append(float(loss.data))
            history.accuracy.append(accuracy_fn(scores, batch_targets))
            history.lr.append(optimizer.lr)
            if val_data is not None and ((k + 1) % eval_every == 0 or k == steps - 1):
                val_loss, val_accuracy = evaluate(model, *val_data, loss_fn, accuracy_fn)
                history.val_step.append(k + 1)
                history.val_loss.append(val_loss)
                history.val_accuracy.append(val_accuracy)
            for callback in started:
                callback.on_step(k, history)
    finally:
        for callback in started:
            callback.on_end(history)
    return history


def _check_counts(steps: Any, eval_every: Any) -> None:
    """``steps`` must be an integer >= 0 and ``eval_every`` one >= 1."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    if isinstance(eval_every, bool) or not isinstance(eval_every, (int, np.integer)) or eval_every < 1:
        raise ValueError(f"eval_every must be an integer >= 1, got {eval_every!r}")


def _check_options(model: Module, optimizer: Optimizer, steps: Any, eval_every: Any, l2: Any, batch_size: Any,
                   lr_schedule: Any, progress: Any) -> None:
    """Refuse ``fit``'s options that would train wrongly (see :func:`fit`)."""
    _check_optimizer(model, optimizer)
    _check_counts(steps, eval_every)
    non_negative("l2", l2, finite=True)
    if batch_size is not None:
        size("fit", "batch_size", batch_size)
    flag("fit", "progress", progress)
    if lr_schedule is not None:
        for k in range(steps):
            _rate(lr_schedule, k)


def _rate(lr_schedule: Callable[[int], float], k: int) -> float:
    """``lr_schedule(k)``, the learning rate of step k, when it is a finite number >= 0."""
    rate = lr_schedule(k)
    try:
        non_negative("learning rate", rate, finite=True)
    except ValueError:
        raise ValueError(f"lr_schedule({k}) returned {rate!r}; a learning rate must be a finite "
                         "number >= 0") from None
    return rate


def _training_data(model: Module, batched: bool, X: Any, y: Sequence[Any], loss_fn: Callable,
                   validation: Any) -> tuple[np.ndarray, list, tuple[np.ndarray, list] | None]:
    """``(X, targets, (X_val, y_val) or None)`` checked before any step: X's shape,
    one label per row, and the class labels of a class loss against the model's
    number of outputs."""
    X = _rows(X, "X")
    targets = list(np.asarray(y).tolist())
    if len(X) != len(targets):
        raise ValueError(f"X has {len(X)} rows but y has {len(targets)} labels; they must match")
    n_classes = _outputs_per_row(model, X, batched) if loss_fn in CLASS_LOSSES else None
    _check_labels(loss_fn, targets, n_classes, "y")
    if validation is None:
        return X, targets, None
    X_val, y_val = _validation_data(validation, X)
    _check_labels(loss_fn, y_val, n_classes, "validation labels")
    return X, targets, (X_val, y_val)


def _check_labels(loss_fn: Callable, labels: list, n_classes: int | None, what: str) -> None:
    """The labels a loss can use: classes of the model's outputs (``[0, C)``) for a
    class loss, -1 or +1 for :func:`nn.hinge_loss` (a label 0 would give a constant
    loss of 1 and no gradient: that class would never be learnt)."""
    if n_classes is not None:
        _check_class_labels(labels, n_classes, what)
    elif loss_fn is hinge_loss:
        bad = [y for y in np.asarray(labels).ravel().tolist() if y not in (-1, 1)]
        if bad:
            raise ValueError(f"{what}: hinge_loss needs labels -1 or +1, got {bad[0]!r} "
                             "(for labels 0 and 1 write 2 * y - 1)")


def _check_optimizer(model: Module, optimizer: Optimizer) -> None:
    """The optimizer must hold some of the model's parameters, or training changes nothing."""
    ids = {id(p) for p in model.parameters()}
    params = getattr(optimizer, "params", None)  # an optimizer of one's own may keep them elsewhere
    if ids and params is not None and not any(id(p) in ids for p in params):
        raise ValueError(f"the optimizer holds none of this {type(model).__name__}'s parameters, so training "
                         "would change nothing: build it from model.parameters() of the model you train")


def _validation_data(validation: Any, X: np.ndarray) -> tuple[np.ndarray, list]:
    """``(X_val, y_val)`` checked against the training data: a pair, with as many
    features as ``X`` and one label per row."""
    if not isinstance(validation, (tuple, list)) or len(validation) != 2:
        raise TypeError(f"validation must be a pair (X_val, y_val), got {type(validation).__name__}")
    X_val = _rows(validation[0], "validation X")
    if X_val.shape[1:] != X.shape[1:]:
        raise ValueError(f"validation X has shape {X_val.shape} but X has shape {X.shape}; "
                         f"each row needs the same {X.shape[1]} features")
    y_val = list(np.asarray(validation[1]).tolist())
    if len(y_val) != len(X_val):
        raise ValueError(f"validation X has {len(X_val)} rows but validation y has {len(y_val)} labels; "
                         "they must match")
    return X_val, y_val


def evaluate(model: Module, X: Any, y: Sequence[Any], loss_fn: Callable[[list, list], Any],
             accuracy_fn: Callable[[list, list], float] = accuracy) -> tuple[float, float]:
    """``(loss, accuracy)`` of ``model`` on all rows of ``X`` with labels ``y``, under
    ``no_grad()`` (nothing is recorded, no gradient changes).  Labels are checked as
    :func:`fit` checks them (``hinge_loss``: -1 or +1)."""
    X = _rows(X, "X")
    _check_labels(loss_fn, list(y), None, "y")
    batched = getattr(model, "batched", False)
    with autograd.no_grad():
        scores = _scores(model, X if batched else X.tolist(), batched)
        return float(loss_fn(scores, list(y)).data), float(accuracy_fn(scores, list(y)))
