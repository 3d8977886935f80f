"""A training loop with a progress bar: minibatch gradient descent on a Module."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

import autograd

from .data import minibatch_indices
from .losses import l2_penalty
from .metrics import binary_accuracy
from .module import Module
from .optim import Optimizer


@dataclass
class History:
    """What :func:`fit` recorded at each step: the loss (regularisation included),
    the accuracy on that step's batch, and the learning rate used."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)


def predict(model: Module, X: np.ndarray | Sequence[Sequence[float]]) -> list[Any]:
    """The model's output for each row of ``X``, computed under ``no_grad()``
    (no graph is recorded).

    A scalar model gives what it returns per row (a Value, or a list of Values);
    a batched (Tensor) model is called once on all rows and gives each row's
    outputs as an array, or as a float when it has one output.
    """
    X = np.asarray(X, dtype=np.float64)
    with autograd.no_grad():
        if getattr(model, "batched", False):
            out = np.asarray(model(X).data)
            out = out.reshape(len(X), -1)
            return out[:, 0].tolist() if out.shape[1] == 1 else list(out)
        return [model(x) for x in X.tolist()]


def _batches(n: int, batch_size: int | None, seed: int | None):
    """Index arrays forever: the whole set each step, or shuffled epochs of minibatches."""
    rng = np.random.default_rng(seed)
    while True:
        if batch_size is None or batch_size >= n:
            yield np.arange(n)
        else:
            yield from minibatch_indices(n, batch_size, shuffle=True, seed=rng)


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
    accuracy_fn: Callable[[list, list], float] = binary_accuracy,
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
    calls ``optimizer.step()``: theta <- theta - eta dJ/dtheta for SGD.
    A tqdm progress bar on stderr shows the loss and the batch accuracy;
    ``progress=False`` silences it.
    ``live``: update a live view in Jupyter while training (see nn.live).
    """
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps!r}")
    X = np.asarray(X, dtype=np.float64)
    batched = getattr(model, "batched", False)
    rows = X if batched else X.tolist()
    targets = list(np.asarray(y).tolist())
    if len(rows) != len(targets):
        raise ValueError(f"X has {len(rows)} rows but y has {len(targets)} labels; they must match")
    params = model.parameters()
    history = History()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=steps, desc="train", unit="step")
    view = None
    if live:
        from .live import start_live_view

        view = start_live_view(live, model=model, X=X, y=targets, steps=steps, history=history)
    batches = _batches(len(rows), batch_size, seed)
    try:
        for k in range(steps):
            idx = next(batches)
            batch_targets = [targets[i] for i in idx]
            scores = model(rows[idx]) if batched else [model(rows[i]) for i in idx]
            loss = loss_fn(scores, batch_targets)
            if l2:
                loss = loss + l2 * l2_penalty(params)
            optimizer.zero_grad()
            loss.backward()
            if lr_schedule is not None:
                optimizer.lr = lr_schedule(k)
            optimizer.step()
            history.loss.append(float(loss.data))
            history.accuracy.append(accuracy_fn(scores, batch_targets))
            history.lr.append(optimizer.lr)
            if view is not None:
                view.step(k, history)
            if bar is not None:
                bar.set_postfix(loss=f"{history.loss[-1]:.4f}", acc=f"{history.accuracy[-1]:.2f}", refresh=False)
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
        if view is not None:
            view.close(history)
    return history
