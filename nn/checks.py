"""Checks of the sizes a model is built from, with messages that name the mistake."""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np


def size(who: str, name: str, value: Any) -> int:
    """``value`` as an int when it is a whole number >= 1, else a clear error:
    TypeError for a non-integer (``'16'``, ``2.5``, ``True``), ValueError for 0 or less."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{who}: {name} must be an integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{who}: {name} must be >= 1, got {name}={value}")
    return int(value)


def layer_sizes(who: str, nin: Any, nouts: Any) -> list[int]:
    """``[nin, n1, ..., nL]`` for an MLP's ``nin`` and list of layer sizes ``nouts``, checked.

    ``nouts`` must be a sequence of integers: ``MLP(2, 3)`` and ``MLP(2, '16')``
    are refused with a message showing how to write one layer, ``[3]``."""
    if isinstance(nouts, (str, bytes)) or not hasattr(nouts, "__iter__"):
        raise TypeError(f"{who}: layer sizes must be a list of integers such as [16, 16, 1], "
                        f"got {type(nouts).__name__} {nouts!r} (for a single layer write [{nouts!s}])")
    nouts = list(nouts)
    if not nouts:
        raise ValueError(f"{who}: an MLP needs at least one layer size")
    return [size(who, "nin", nin)] + [size(who, f"layer size {i}", n) for i, n in enumerate(nouts)]


def class_label(label: Any, n_classes: int) -> int:
    """``label`` as an int when it is a whole number in ``[0, n_classes)``, else a
    ValueError naming the label and the number of classes."""
    try:
        y = int(label)
        whole = y == label
    except (TypeError, ValueError, OverflowError):
        whole = False
    if not whole or not 0 <= y < n_classes:
        raise ValueError(f"class label {label!r} is not an integer in [0, {n_classes}): "
                         f"there are {n_classes} classes")
    return y


def _not_whole(labels: Any) -> tuple[np.ndarray, list]:
    """``labels`` as an array, and those of them that are not whole numbers an int64
    can hold (nan, inf, 2.5, '1', None), in order."""
    y = np.asarray(labels)
    if y.dtype.kind in "biu":
        return y, []
    if y.dtype.kind == "f":
        whole = np.isfinite(y) & (y == np.floor(y)) & (np.abs(y) < 2.0**63)
        return y, y[~whole].tolist()
    return y, [v for v in y.ravel().tolist() if not (isinstance(v, numbers.Integral) and -2**63 <= v < 2**63)]


def class_labels(labels: Any, n_classes: int) -> np.ndarray:
    """Many labels at once, as an int64 array, each checked like :func:`class_label`
    (the first non-integer, else the first outside ``[0, n_classes)``, is named)."""
    y, bad = _not_whole(labels)
    if bad:
        class_label(bad[0], n_classes)  # raises, naming it
    y = y.astype(np.int64)
    outside = (y < 0) | (y >= n_classes)
    if outside.any():
        class_label(y[outside].tolist()[0], n_classes)  # raises, naming it
    return y


def flag(who: str, name: str, value: Any) -> bool:
    """``value`` as a bool when it is True or False (numpy's too), else a TypeError:
    a string such as ``'no'`` is true in Python, so it is refused rather than guessed."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{who}: {name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def non_negative(name: str, value: Any, finite: bool = False) -> None:
    """Refuse a hyperparameter that is not a real number >= 0 a float can hold (nan,
    strings, bools and 10**400 included), and inf too when ``finite``."""
    try:
        number = math.nan if isinstance(value, bool) or not isinstance(value, numbers.Real) else float(value)
    except OverflowError:
        number = math.nan
    if not number >= 0 or (finite and number == math.inf):
        raise ValueError(f"{name} must be a {'finite ' if finite else ''}number >= 0, got {value!r}")


def feature_rows(who: str, X: Any) -> np.ndarray:
    """``X`` as a float64 array of shape (samples, features), or a ValueError naming its
    shape (a 1-D X is ambiguous: one sample, or one feature per sample)."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"{who} must be a 2-D array of shape (samples, features), got shape {X.shape}; "
                         "for one sample write [x], for one feature per sample write X.reshape(-1, 1)")
    return X


def integer_labels(labels: Any) -> np.ndarray:
    """Class labels that are whole numbers (any sign; ``2.0`` counts), as an int64
    array, else a ValueError naming the first label that is not (nan, inf, 2.5, '1')."""
    y, bad = _not_whole(labels)
    if bad:
        raise ValueError(f"class label {bad[0]!r} is not an integer: class labels must be whole numbers")
    return y.astype(np.int64)
