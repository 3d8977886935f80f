"""Data: toy 2-D data sets (seedable, no scikit-learn needed), the handwritten
digits (through scikit-learn's bundled copy), train/test splits and minibatches."""
from __future__ import annotations

import numbers
from typing import Iterator

import numpy as np

from .checks import flag, integer_labels, non_negative, size


def _points(who: str, n: int, seed: int | None, spread: tuple[str, float]) -> np.random.Generator:
    """Check a generator's common arguments (``n`` >= 1 points; its ``spread``, the
    name and value of its noise, a finite number >= 0) and return its random generator."""
    size(who, "n", n)
    name, value = spread
    non_negative(f"{who}: {name}", value, finite=True)
    return np.random.default_rng(seed)


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles with Gaussian ``noise``: X of shape (n, 2), labels y in {0, 1}."""
    rng = _points("make_moons", n, seed, ("noise", noise))
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.concatenate([
        np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
        np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], axis=1),
    ])
    y = np.concatenate([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    X = X + rng.normal(scale=noise, size=X.shape)
    order = rng.permutation(n)
    return X[order], y[order]


def make_circles(n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """A circle of radius 1 (label 0) around one of radius ``factor`` (label 1):
    X of shape (n, 2), y in {0, 1}."""
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or not 0 < factor < 1:
        raise ValueError(f"factor must be in (0, 1), got {factor!r}")
    rng = _points("make_circles", n, seed, ("noise", noise))
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.concatenate([
        np.stack([np.cos(t_out), np.sin(t_out)], axis=1),
        factor * np.stack([np.cos(t_in), np.sin(t_in)], axis=1),
    ])
    y = np.concatenate([np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)])
    X = X + rng.normal(scale=noise, size=X.shape)
    order = rng.permutation(n)
    return X[order], y[order]


def make_blobs(n: int = 100, centers: int = 2, std: float = 0.5, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """``centers`` Gaussian clusters of standard deviation ``std`` whose centres lie
    evenly on a circle of radius 2: X of shape (n, 2), y in {0, ..., centers-1}
    (sizes differ by at most one)."""
    centers = size("make_blobs", "centers", centers)
    rng = _points("make_blobs", n, seed, ("std", std))
    y = np.arange(n, dtype=np.int64) % centers
    angles = 2 * np.pi * y / centers
    X = 2 * np.stack([np.cos(angles), np.sin(angles)], axis=1) + rng.normal(scale=std, size=(n, 2))
    order = rng.permutation(n)
    return X[order], y[order]


def make_spiral(n: int = 100, classes: int = 2, noise: float = 0.2, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms (the CS231n spiral), radius 0 to 1:
    X of shape (n, 2), y in {0, ..., classes-1}; ``noise`` jitters the angle."""
    classes = size("make_spiral", "classes", classes)
    rng = _points("make_spiral", n, seed, ("noise", noise))
    y = np.arange(n, dtype=np.int64) % classes
    per_class_index = np.arange(n) // classes
    per_class = max(-(-n // classes), 2)
    r = per_class_index / (per_class - 1)
    theta = y * (2 * np.pi / classes) + 4 * r + rng.normal(scale=noise, size=n)
    X = np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1)
    order = rng.permutation(n)
    return X[order], y[order]


def make_xor(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points near the four corners (±1, ±1); label 1 when exactly one coordinate
    is positive (x1 XOR x2), else 0: X of shape (n, 2), y in {0, 1}."""
    rng = _points("make_xor", n, seed, ("noise", noise))
    corners = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
    k = np.arange(n) % 4
    X = corners[k] + rng.normal(scale=noise, size=(n, 2))
    y = (k >= 2).astype(np.int64)
    order = rng.permutation(n)
    return X[order], y[order]


DATASETS = {
    "moons": make_moons,
    "circles": make_circles,
    "blobs": make_blobs,
    "spiral": make_spiral,
    "xor": make_xor,
}
"""Name -> generator; each is called as ``DATASETS[name](n, seed=seed)``."""


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 handwritten digits of the UCI "Optical Recognition of Handwritten
    Digits" set, 8 x 8 pixels each: ``X`` of shape (1797, 64), float64, the pixels row
    by row scaled from 0..16 to [0, 1] (``X.reshape(-1, 8, 8)`` gives the images),
    and labels ``y`` in {0, ..., 9}, int64, about 180 of each.

    Read from the copy scikit-learn ships inside its package, so no network is
    needed; scikit-learn comes with the ``datasets`` extra:
    ``pip install 'chainrule[datasets]'``.
    """
    try:
        from sklearn.datasets import load_digits as sklearn_load_digits
    except ImportError:
        raise ImportError("nn.data.load_digits needs scikit-learn, which reads its bundled copy of "
                          "the digits: pip install 'chainrule[datasets]' (or pip install scikit-learn)") from None
    digits = sklearn_load_digits()
    return np.asarray(digits.data, dtype=np.float64) / 16.0, np.asarray(digits.target, dtype=np.int64)


def train_test_split(X: np.ndarray, y: np.ndarray, test_size: float = 0.2, seed: int | None = 0,
                     stratify: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split ``(X, y)`` into ``X_train, X_test, y_train, y_test`` (scikit-learn's order),
    about ``test_size`` of the rows going to the test part, chosen at random (seedable).

    With ``stratify`` (the default) each class is split on its own, so both parts
    keep the class proportions: class c with n_c rows gives round(test_size n_c)
    rows to the test part, at least one, and keeps at least one for training.  So
    every class needs at least 2 rows, and its labels must be whole numbers (nan,
    inf or 2.5 is refused, naming it: a nan would otherwise be in no class and its
    row lost); for continuous targets use ``stratify=False``.  Each part is
    returned in random order.
    """
    if isinstance(test_size, bool) or not isinstance(test_size, numbers.Real) or not 0 < test_size < 1:
        raise ValueError(f"test_size must be a fraction strictly between 0 and 1, got {test_size!r}")
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}; they must match")
    if len(X) < 2:
        raise ValueError(f"a train/test split needs at least 2 rows, got {len(X)}")
    rng = np.random.default_rng(seed)
    groups = [np.arange(len(y))]
    if flag("train_test_split", "stratify", stratify):
        _check_strata(y)
        classes, counts = np.unique(y, return_counts=True)
        few = [f"{c!r} ({n} row)" for c, n in zip(classes.tolist(), counts.tolist()) if n < 2]
        if few:
            raise ValueError(f"too few samples to stratify: class {', '.join(few)}; every class needs at "
                             "least 2 rows (one to train on, one to test), or pass stratify=False")
        groups = [np.flatnonzero(y == c) for c in classes]
    test, train = [], []
    for rows in groups:
        rows = rng.permutation(rows)
        n_test = min(max(round(test_size * len(rows)), 1), len(rows) - 1)
        test.append(rows[:n_test])
        train.append(rows[n_test:])
    train_rows, test_rows = rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))
    return X[train_rows], X[test_rows], y[train_rows], y[test_rows]


def _check_strata(y: np.ndarray) -> None:
    """Stratifying needs one whole-number class label per row."""
    if y.ndim != 1:
        raise ValueError(f"stratify needs one class label per row, y has shape {y.shape}; "
                         "pass labels such as y.argmax(axis=1), or stratify=False")
    try:
        integer_labels(y)
    except ValueError as e:
        raise ValueError(f"cannot stratify: {e}; or pass stratify=False for continuous targets") from None


def standardize(X_train: np.ndarray, *X_others: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each feature as a z-score, ``(x - mean) / std``, with the mean and standard
    deviation of the training rows only, applied to ``X_train`` and to each of
    ``X_others`` (held-out data must not leak into them).  A feature that is
    constant in training is only centred.  Returns the arrays in the order given."""
    X_train = np.asarray(X_train, dtype=np.float64)
    if X_train.ndim != 2 or len(X_train) == 0:
        raise ValueError(f"standardize needs training rows of shape (N, features) with N >= 1, "
                         f"got {X_train.shape}")
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0] = 1.0
    out = []
    for X in (X_train, *X_others):
        X = np.asarray(X, dtype=np.float64)
        if X.shape[1:] != X_train.shape[1:]:
            raise ValueError(f"cannot standardize rows of shape {X.shape} with the statistics of shape {X_train.shape}")
        out.append((X - mean) / std)
    return tuple(out)


def minibatch_indices(n: int, batch_size: int, shuffle: bool = True,
                      seed: int | np.random.Generator | None = None) -> Iterator[np.ndarray]:
    """One epoch over ``range(n)`` as arrays of ``batch_size`` indices (the last may be
    smaller), in a random order when ``shuffle`` (seedable), else in order."""
    batch_size = size("minibatch_indices", "batch_size", batch_size)
    shuffle = flag("minibatch_indices", "shuffle", shuffle)
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]


def batches(X: np.ndarray, y: np.ndarray, batch_size: int, shuffle: bool = True,
            seed: int | np.random.Generator | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """One epoch of minibatches ``(X[idx], y[idx])`` over :func:`minibatch_indices`."""
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}; they must match")
    for idx in minibatch_indices(len(X), batch_size, shuffle, seed):
        yield X[idx], y[idx]
