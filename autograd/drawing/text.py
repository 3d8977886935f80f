"""Text for drawings: compact numbers, array summaries, escaping for Graphviz labels."""
from __future__ import annotations

import numbers
import re
import textwrap
from typing import Any

import numpy as np

_TEXT_SPECIAL = re.compile(r'([\\"])')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})
_MAX_REPR = 40  # anything that is not a number is cut to this many characters
_MAX_INT_DIGITS = 12  # longer integers are written in scientific notation
GRID_MAX = 4
"""Arrays whose every dimension is at most this (and at most 2-D) are drawn as grids."""


def format_number(x: Any, digits: int = 4) -> str:
    """``x`` with ``digits`` significant digits: ``-4.0 -> '-4'``, ``0.731058 -> '0.7311'``.

    Zero is ``0`` whatever its sign (never ``-0``); nan and infinities are
    ``nan``, ``inf``, ``-inf``; integers are exact up to 12 digits.
    """
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, numbers.Integral):
        text = str(int(x))
        if len(text.lstrip("-")) <= _MAX_INT_DIGITS:
            return text
        sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
        mantissa = body[0] + ("." + body[1:digits] if digits > 1 else "")
        return f"{sign}{mantissa.rstrip('0').rstrip('.')}e+{len(body) - 1:02d}"
    x = float(x)
    if x == 0:
        return "0"
    return f"{x:.{digits}g}"


def shape_text(array: np.ndarray) -> str:
    """``'3×4 float64'``: an array's shape and dtype (``'() float64'`` for 0-d)."""
    dims = "×".join(str(n) for n in array.shape) if array.ndim else "()"
    return f"{dims} {array.dtype}"


def is_grid(array: np.ndarray) -> bool:
    """True when ``array`` is small enough to draw entry by entry: a vector of at
    most :data:`GRID_MAX` entries or a matrix of at most that many rows and columns."""
    return 1 <= array.ndim <= 2 and 0 < array.size and max(array.shape) <= GRID_MAX \
        and _is_numeric(array)


def statistics(a: np.ndarray, digits: int = 4) -> str:
    """``'min -1 · mean 0.25 · max 3'`` (nan and inf included as they are)."""
    if a.size == 0:
        return "empty"
    if not _is_numeric(a):
        return summarize(a.flat[0], digits) + (" …" if a.size > 1 else "")
    with np.errstate(all="ignore"):
        low, mean, high = a.min(), a.mean(), a.max()
    return (f"min {format_number(low, digits)} · mean {format_number(mean, digits)}"
            f" · max {format_number(high, digits)}")


def summarize(x: Any, digits: int = 4) -> str:
    """A short one-line text for a node's data or gradient, never a huge array.

    None is blank; numbers are compact (:func:`format_number`); arrays of at
    most four entries are listed row by row (``[[1, 2], [3, 4]]``), larger
    ones give their shape and :func:`statistics`.
    """
    if x is None:
        return ""
    if isinstance(x, np.ndarray):
        if x.ndim == 0:
            return summarize(x.item(), digits)
        if x.size <= GRID_MAX and _is_numeric(x):
            return _nested(x.tolist(), digits)
        return f"{shape_text(x)}: {statistics(x, digits)}"
    if isinstance(x, numbers.Real):
        return format_number(x, digits)
    text = repr(x)
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 1] + "…"


def _nested(items: Any, digits: int) -> str:
    if isinstance(items, list):
        return "[" + ", ".join(_nested(item, digits) for item in items) + "]"
    return format_number(items, digits)


def _is_numeric(a: np.ndarray) -> bool:
    return bool(np.issubdtype(a.dtype, np.number) or a.dtype == np.bool_)


def escape_html(text: str) -> str:
    """``text`` made safe inside a Graphviz HTML-like label: ``& < > " '`` become
    entities, a newline a line break, other control characters a space."""
    text = str(text).translate(_HTML_SPECIAL)
    if _CONTROL.search(text) is None:
        return text
    text = text.replace("\r\n", "\n").replace("\n", "<BR/>")
    return _CONTROL.sub(" ", text)


def escape_text(text: str) -> str:
    r"""``text`` made safe inside a quoted DOT string (an edge or graph label):
    backslashes and quotes get a backslash, a newline becomes DOT's ``\n``."""
    text = str(text)
    if '"' in text or "\\" in text:
        text = _TEXT_SPECIAL.sub(r"\\\1", text)
    if _CONTROL.search(text) is None:
        return text
    text = text.replace("\r\n", "\n").replace("\n", r"\n")
    return _CONTROL.sub(" ", text)


def wrap(text: str, width: int = 100) -> list[str]:
    """``text`` broken into lines of at most about ``width`` characters."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
