"""What a Tensor accepts: its data, axes, shapes and indices, each refused with an error naming the problem."""
from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import tensor_ops as tops
from .graph import Node
from .op import Op

NUMERIC_KINDS = "fiub"


def refuse_dtype(dtype: np.dtype, what: str) -> TypeError:
    """The error for data of a kind a Tensor does not hold (complex, objects, strings ...)."""
    kind = {"c": "complex", "O": "object", "U": "string", "S": "bytes", "V": "structured",
            "M": "datetime", "m": "timedelta"}.get(dtype.kind, dtype.kind)
    hint = " (Values cannot be put inside a Tensor)" if dtype.kind == "O" else ""
    return TypeError(
        f"{what} holds real numbers (float, int or bool); got a {kind} array (dtype {dtype}){hint}"
    )


def to_array(data: Any) -> np.ndarray:
    """A fresh float array for a new leaf: floats keep their dtype, ints and bools become float64.
    The numbers taken are a Value's (Python's and numpy's bool, int and float, in nested
    lists or arrays); a graph node (a Value), another number type (Fraction, Decimal), None,
    a set, a dict, a generator and an int beyond float64's range are refused, naming it."""
    if isinstance(data, Node):
        raise TypeError(f"Tensor cannot hold a {type(data).__name__}; use Tensor(value.data)")
    if isinstance(data, (set, frozenset, dict)) or hasattr(data, "__next__"):
        raise TypeError(f"Tensor data must be a number, a (nested) list or an array, got a "
                        f"{type(data).__name__}: write Tensor(list(...)) to take its items in order")
    try:
        array = np.array(data)
    except ValueError as err:
        raise ValueError(f"Tensor data must be a regular (rectangular) array of numbers: {err}") from None
    kind = array.dtype.kind
    if kind == "f":
        return array
    if kind in NUMERIC_KINDS:
        return array.astype(np.float64)
    if kind == "O":  # Python ints beyond int64, or something that is no number: name it
        for item in array.flat:
            if isinstance(item, Node):
                raise refuse_dtype(array.dtype, "Tensor")
            if not isinstance(item, (int, float, np.integer, np.floating, np.bool_)):
                hint = ": write float(x) to use it" if isinstance(item, numbers.Number) else ""
                raise TypeError(f"Tensor holds real numbers (float, int or bool); got "
                                f"{type(item).__name__}: {item!r}{hint}")
            try:
                float(item)
            except OverflowError:
                raise OverflowError(f"Tensor: an integer of about {int(item.bit_length() * 0.30103) + 1} "
                                    "digits is too large for a float64 (at most about 1.8e308)") from None
        return array.astype(np.float64)
    raise refuse_dtype(array.dtype, "Tensor")


def broadcast_error(op: Op, a: Any, b: Any) -> str:
    """The message for two Tensor operands whose shapes do not fit ``op``."""
    if op is tops.MATMUL:
        sa, sb = a.shape, b.shape
        if a.ndim == 0 or b.ndim == 0:
            return f"matmul: {sa} @ {sb}: both operands need at least one dimension"
        ka, kb = sa[-1], sb[-2] if b.ndim > 1 else sb[0]
        if ka != kb:
            return f"matmul: {sa} @ {sb}: inner dimensions {ka} and {kb} differ"
        return f"matmul: {sa} @ {sb}: batch dimensions {sa[:-2]} and {sb[:-2]} do not broadcast"
    return (
        f"{op.name}: shapes {a.shape} and {b.shape} do not broadcast together "
        "(aligned from the right, each pair of dimensions must be equal or contain a 1)"
    )


def check_flag(flag: Any, what: str = "requires_grad") -> bool:
    """True or False (numpy bools too), as Value requires; anything else is refused
    rather than taken by its truth (``requires_grad='no'`` would be True)."""
    if flag is True or flag is False:
        return flag
    if isinstance(flag, np.bool_):
        return bool(flag)
    raise TypeError(f"{what} must be True or False, got {flag!r}")


def is_int(x: Any) -> bool:
    """True for Python and numpy integers (bools are not axes or sizes)."""
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


def check_axis(axis: Any) -> Any:
    """None, an int, or a tuple of ints (lists accepted); floats and the rest are refused."""
    if axis is None:
        return None
    if is_int(axis):
        return int(axis)
    if isinstance(axis, (tuple, list)) and all(is_int(k) for k in axis):
        return tuple(int(k) for k in axis)
    raise TypeError(f"axis must be None, an int or a tuple of ints, got {axis!r}")


def reduction_axis(axis: Any, dim: Any, shape: tuple[int, ...], who: str) -> Any:
    """The axis a reduction of a Tensor of ``shape`` runs over, given as numpy's ``axis=``
    or torch's ``dim=`` (not both): None for all, else ints in range, made non-negative
    (out of range: numpy's AxisError, both a ValueError and torch's IndexError).
    A 0-d Tensor accepts dims 0 and -1 (the whole of it), as torch does."""
    if dim is not None:
        if axis is not None:
            raise TypeError(f"{who}: give axis= (numpy) or dim= (torch), not both")
        axis = dim
    axis = check_axis(axis)
    if axis is None:
        return None
    n = len(shape)
    span = max(n, 1)
    for k in (axis,) if isinstance(axis, int) else axis:
        if not -span <= k < span:
            raise np.exceptions.AxisError(f"{who}: axis {k} is out of range for a Tensor of shape {shape} "
                             f"(axes run from {-span} to {span - 1})")
    if n == 0:
        return None
    return axis % n if isinstance(axis, int) else tuple(k % n for k in axis)


def check_ints(values: Any, what: str, example: str) -> tuple[int, ...]:
    """``values`` as a tuple of ints (a shape or a permutation), refusing floats and the rest."""
    if len(values) == 1 and not is_int(values[0]):
        values = values[0]
    if isinstance(values, (tuple, list)) and all(is_int(n) for n in values):
        return tuple(int(n) for n in values)
    raise TypeError(f"{what} must be ints, as in {example}; got {values!r}")


def check_index(key: Any) -> Any:
    """An index numpy understands, frozen: lists become arrays; Tensors are refused."""
    if isinstance(key, tuple):
        return tuple(check_index(k) for k in key)
    if isinstance(key, Node):
        raise TypeError("index a Tensor with ints, slices, lists or integer/bool numpy arrays, "
                        "not with a Tensor (use t.data.astype(int))")
    if isinstance(key, list):
        return np.asarray(key)
    return key


