"""Text for drawings: compact numbers, array summaries and DOT-safe escaping."""
from __future__ import annotations

import numbers
import re
from typing import Any

import numpy as np

_RECORD_SPECIAL = re.compile(r'([\\{}|<>"])')
_TEXT_SPECIAL = re.compile(r'([\\"])')
_CONTROL = re.compile(r"[\x00-\x1f]")
_MAX_ENTRIES = 4  # arrays with at most this many entries are shown in full
_MAX_REPR = 40  # anything else is cut to this many characters


def format_number(x: Any, digits: int = 4) -> str:
    """``x`` with ``digits`` significant digits: ``-4.0 -> '-4'``, ``0.731058 -> '0.7311'``.

    Integers are shown exactly; nan and infinities as ``nan``, ``inf``, ``-inf``.
    """
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, numbers.Integral):
        return str(int(x))
    return f"{float(x):.{digits}g}"


def shape_text(array: np.ndarray) -> str:
    """``'shape 3×4 float64'``: an array's shape and dtype (``'shape () ...'`` for 0-d)."""
    dims = "×".join(str(n) for n in array.shape) if array.ndim else "()"
    return f"shape {dims} {array.dtype}"


def summarize(x: Any, digits: int = 4) -> str:
    """A short text for a node's data or gradient, never a huge array.

    None is blank; numbers are compact (:func:`format_number`); arrays with at
    most four entries are listed, larger ones give ``min .. mean .. max ..``.
    """
    if x is None:
        return ""
    if isinstance(x, np.ndarray):
        return _summarize_array(x, digits)
    if isinstance(x, numbers.Real):
        return format_number(x, digits)
    text = repr(x)
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 1] + "…"


def _summarize_array(a: np.ndarray, digits: int) -> str:
    if a.size == 0:
        return "empty"
    if not np.issubdtype(a.dtype, np.number) and a.dtype != np.bool_:
        return summarize(a.flat[0], digits) + (" …" if a.size > 1 else "")
    if a.ndim == 0:
        return format_number(a.item(), digits)
    if a.size <= _MAX_ENTRIES:
        return "[" + ", ".join(format_number(v, digits) for v in a.flat) + "]"
    with np.errstate(all="ignore"):
        low, mean, high = a.min(), a.mean(), a.max()
    return (
        f"min {format_number(low, digits)}  mean {format_number(mean, digits)}"
        f"  max {format_number(high, digits)}"
    )


def escape_record(text: str) -> str:
    r"""``text`` made safe as one field of a DOT record label.

    Backslashes, quotes, braces, pipes and angle brackets get a backslash;
    a newline becomes DOT's ``\n``, other control characters a space.
    """
    text = _RECORD_SPECIAL.sub(r"\\\1", text)
    return _control_chars(text)


def escape_text(text: str) -> str:
    r"""``text`` made safe inside a quoted DOT string that is not a record
    (graph labels, edge labels): backslashes and quotes get a backslash."""
    return _control_chars(_TEXT_SPECIAL.sub(r"\\\1", text))


def _control_chars(text: str) -> str:
    if _CONTROL.search(text) is None:
        return text
    text = text.replace("\r\n", "\n").replace("\n", r"\n")
    return _CONTROL.sub(" ", text)
