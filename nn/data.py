"""Toy 2-D data sets, seedable, with no scikit-learn dependency."""
from __future__ import annotations

from typing import Iterator

import numpy as np


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles with Gaussian ``noise``: X of shape (n, 2), labels y in {0, 1}."""
    rng = np.random.default_rng(seed)
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
    if not 0 < factor < 1:
        raise ValueError(f"factor must be in (0, 1), got {factor!r}")
    rng = np.random.default_rng(seed)
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
    if centers < 1:
        raise ValueError(f"centers must be >= 1, got {centers!r}")
    rng = np.random.default_rng(seed)
    y = np.arange(n, dtype=np.int64) % centers
    angles = 2 * np.pi * y / centers
    X = 2 * np.stack([np.cos(angles), np.sin(angles)], axis=1) + rng.normal(scale=std, size=(n, 2))
    order = rng.permutation(n)
    return X[order], y[order]


def make_spiral(n: int = 100, classes: int = 2, noise: float = 0.2, seed: int | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms (the CS231n spiral), radius 0 to 1:
    X of shape (n, 2), y in {0, ..., classes-1}; ``noise`` jitters the angle."""
    if classes < 1:
        raise ValueError(f"classes must be >= 1, got {classes!r}")
    rng = np.random.default_rng(seed)
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
    rng = np.random.default_rng(seed)
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


def minibatch_indices(n: int, batch_size: int, shuffle: bool = True,
                      seed: int | np.random.Generator | None = None) -> Iterator[np.ndarray]:
    """One epoch over ``range(n)`` as arrays of ``batch_size`` indices (the last may be
    smaller), in a random order when ``shuffle`` (seedable), else in order."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size!r}")
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
