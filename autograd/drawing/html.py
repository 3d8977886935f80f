"""The HTML-like labels of a drawing: value boxes, operations with input ports, grids.

Graphviz draws an HTML-like label (``label=<...>``) as a table; a cell with a
``PORT`` is a place where an edge can end.  Here each input of an operation
gets its own port cell, so the gradient flowing back along an edge is written
in the cell where that edge ends, and the inputs of ``-``, ``/`` and ``**`` are
marked ``a`` and ``b``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .text import escape_html, format_number, is_grid, shape_text, statistics, summarize

EDGE_GRAD_COLOR = "#b03030"
PARTIAL_COLOR = "#8a5a00"
_SMALL = 9


def small(html: str, colour: str | None = None) -> str:
    """``html`` in the small font, optionally coloured ('' stays '')."""
    if not html:
        return ""
    colour_attr = f' COLOR="{colour}"' if colour else ""
    return f'<FONT POINT-SIZE="{_SMALL}"{colour_attr}>{html}</FONT>'


def quantity(x: Any, digits: int, compact: bool = False) -> str:
    """A number, a grid of a small array, or an array's shape and statistics, as
    HTML; ``compact`` gives just ``min … max`` for a large array."""
    if x is None:
        return ""
    if isinstance(x, np.ndarray) and x.ndim > 0:
        if is_grid(x):
            return grid(x, digits)
        if compact and x.size and np.issubdtype(x.dtype, np.number):
            with np.errstate(all="ignore"):
                low, high = x.min(), x.max()
            return escape_html(f"{format_number(low, digits)} … {format_number(high, digits)}")
        return escape_html(shape_text(x)) + "<BR/>" + escape_html(statistics(x, digits))
    return escape_html(summarize(x, digits))


def grid(array: np.ndarray, digits: int) -> str:
    """A vector as one row, a matrix as rows and columns: a borderless nested table."""
    rows = array.reshape(1, -1) if array.ndim == 1 else array
    cells = "".join(
        "<TR>" + "".join(f'<TD ALIGN="RIGHT">{escape_html(format_number(v, digits))}</TD>'
                         for v in row) + "</TR>"
        for row in rows.tolist()
    )
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">{cells}</TABLE>'


def record(title: str, rows: Sequence[Sequence[str]], subtitle: str = "",
           header: Sequence[str] = ()) -> str:
    """A table of fields: a bold ``title`` (and a small ``subtitle``), an optional
    small ``header`` row, then one row per ``(name, html, ...)``, separated by rules."""
    columns = max([len(r) for r in rows] + [len(header), 1])
    lines = []
    if title or subtitle:
        head = f"<B>{escape_html(title)}</B>" if title else ""
        if subtitle:
            head += (" " if head else "") + small(escape_html(subtitle))
        lines.append(f'<TR><TD COLSPAN="{columns}">{head}</TD></TR>')
    if header:
        lines.append("<TR>" + "".join(f"<TD>{small(escape_html(h))}</TD>" for h in header) + "</TR>")
    for name, *cells in rows:
        lines.append(f'<TR><TD ALIGN="LEFT">{escape_html(name)}</TD>'
                     + "".join(f'<TD ALIGN="LEFT">{html}</TD>' for html in cells) + "</TR>")
    body = "<HR/>".join(lines) if lines else "<TR><TD> </TD></TR>"
    rules = ' COLUMNS="*"' if columns > 1 else ""
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2"{rules}>{body}</TABLE>'


def ported(centre: str, ports: Sequence[str], rankdir: str, fill: str, border: str = "0") -> str:
    """A table whose inputs are cells: ``ports[i]`` (HTML) is the cell of input
    ``i`` (port ``i<i>``), on the side edges come from; ``centre`` is the rest."""
    n = len(ports)
    cells = [f'<TD PORT="i{i}">{html or " "}</TD>' for i, html in enumerate(ports)]
    if rankdir in ("LR", "RL"):
        first = cells[0] if rankdir == "LR" else ""
        last = cells[0] if rankdir == "RL" else ""
        middle = f'<TD ROWSPAN="{n}">{centre}</TD>'
        rows = [f"<TR>{first}{middle}{last}</TR>"] + [f"<TR>{c}</TR>" for c in cells[1:]]
    else:
        ports_row = "<TR>" + "".join(cells) + "</TR>"
        centre_row = f'<TR><TD COLSPAN="{n}">{centre}</TD></TR>'
        rows = [ports_row, centre_row] if rankdir == "TB" else [centre_row, ports_row]
    return (f'<TABLE BORDER="{border}" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2" '
            f'BGCOLOR="{fill}">{"".join(rows)}</TABLE>')


def beside(*parts: str) -> str:
    """HTML fragments side by side (a borderless table when one of them is a table,
    which Graphviz does not allow next to text in one cell)."""
    parts = [p for p in parts if p]
    if not any("<TABLE" in p for p in parts):
        return " ".join(parts)
    cells = "".join(f"<TD>{p}</TD>" for p in parts)
    return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{cells}</TR></TABLE>'


def edge_gradient(x: Any, digits: int, compact: bool = False) -> str:
    """The gradient flowing back along an edge, in the edge-gradient colour."""
    html = quantity(x, digits, compact)
    return f'<FONT COLOR="{EDGE_GRAD_COLOR}">{html}</FONT>' if html else ""
