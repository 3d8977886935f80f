"""Feedback a student can act on: running their code safely, and a graph with the mistake in red.

Two tools used by :mod:`nn.course`:

* :func:`call_student` runs a student's function with a time limit and turns
  whatever goes wrong (an exception, ``NotImplementedError``, a loop that never
  ends) into a :class:`StudentError` whose message speaks of *their* code: the
  line of their cell that failed, never a traceback from chainrule's internals.
* :func:`mark_wrong` takes a drawing made by :func:`autograd.draw_graph` and
  paints one value red, the edges leaving it red with the gradient each should
  carry written beside them (upstream x local gradient, the local gradient's
  formula read from the op table), and every other value grey.
"""
from __future__ import annotations

import html
import linecache
import os
import re
import signal
import threading
import time
import traceback
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import autograd
import numpy as np

RED = "#d62728"
GREY = "#9a9a9a"

_LIBRARY_DIRS = tuple(os.path.dirname(os.path.abspath(m.__file__)) + os.sep
                      for m in (autograd, np, os))


class StudentError(Exception):
    """Something went wrong in the student's code; ``str()`` says what, in their terms."""


class TimeLimitExceeded(BaseException):
    """Raised inside the student's code when its time is up.

    A BaseException, so that a student's ``except Exception:`` does not swallow it.
    """


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in this block after ``seconds`` (wall clock).

    Uses SIGALRM, so it works in the main thread only (a notebook's kernel and the
    grader run code there); elsewhere, or with ``seconds=None``, there is no limit.
    Blocks nest: an outer limit keeps running, and fires when the inner one is over
    if its time is up by then.
    """
    if not seconds or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise TimeLimitExceeded()

    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    start = time.monotonic()
    previous = signal.signal(signal.SIGALRM, expire)
    seconds = min(seconds, outer_left) if outer_left > 0 else seconds
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left > 0:
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - start), 1e-3))


def student_line(error: BaseException) -> str:
    """' (line 3 of your code: `x = y`)' for the last frame of the traceback that is the
    student's, not chainrule's, numpy's or Python's; '' when there is none."""
    for frame, lineno in reversed(list(traceback.walk_tb(error.__traceback__))):
        filename = frame.f_code.co_filename
        if os.path.abspath(filename).startswith(_LIBRARY_DIRS) or filename == __file__:
            continue
        if "site-packages" in filename or os.path.abspath(filename).startswith(os.path.dirname(__file__)):
            continue
        text = linecache.getline(filename, lineno).strip()
        where = f"in {frame.f_code.co_name}, " if frame.f_code.co_name != "<module>" else ""
        return f" ({where}line {lineno} of your cell: `{text}`)" if text else f" ({where}line {lineno})"
    return ""


SECONDS = 10.0
"""The time limit of :func:`call_student` when none is given (``nn.course.evaluate`` sets it
to the exercise's own limit while it checks)."""


@contextmanager
def default_seconds(seconds: float) -> Iterator[None]:
    """Within this block, :func:`call_student`'s default time limit is ``seconds``."""
    global SECONDS
    previous, SECONDS = SECONDS, seconds
    try:
        yield
    finally:
        SECONDS = previous


def call_student(function: Callable[..., Any], *args: Any, name: str = "your function",
                 seconds: float | None = None) -> Any:
    """``function(*args)`` with a time limit (default :data:`SECONDS`); any failure
    becomes a :class:`StudentError`."""
    seconds = SECONDS if seconds is None else seconds
    if not callable(function):
        raise StudentError(f"{name} should be a function (def ...), but it is "
                           f"{type(function).__name__} {_short(function)}")
    try:
        with time_limit(seconds):
            return function(*args)
    except TimeLimitExceeded:
        raise StudentError(f"{name} did not finish within {seconds:g} seconds: "
                           "is there a loop that never ends?") from None
    except NotImplementedError as error:
        raise StudentError(f"{name} is not written yet: replace the line "
                           f"`raise NotImplementedError(\"your code here\")` with your code") from None
    except RecursionError as error:
        raise StudentError(f"{name} calls itself without end (RecursionError){student_line(error)}") from None
    except MemoryError:
        raise StudentError(f"{name} ran out of memory: does it build a huge array?") from None
    except Exception as error:  # the student's own mistake, reported in their terms
        message = str(error).splitlines()[0] if str(error) else ""
        raise StudentError(f"{name} raised {type(error).__name__}: {message}{student_line(error)}") from None


def _short(x: Any, width: int = 60) -> str:
    text = repr(x)
    return text if len(text) <= width else text[: width - 3] + "..."


def formula_for_input(op: Any, i: int) -> str:
    """The part of ``op.formula`` about input ``i``: 'd(ab)/db = a' from
    'd(ab)/da = b, d(ab)/db = a'; the whole formula when it has no such parts."""
    parts = re.split(r", (?=d)", op.formula) if op.formula else []
    if not op.variadic and len(parts) == len(op.grads) and i < len(parts):
        return parts[i]
    return op.formula or f"the gradient rule of {op.name}"


def _fmt(x: float) -> str:
    return f"{x:.4g}" if x == x else "nan"


def edge_notes(node: Any, root: Any) -> dict[Any, list[tuple[int, str, float]]]:
    """For each operation that uses ``node``: (input position, note, expected gradient),
    the note saying upstream x local = expected with the local gradient's formula."""
    notes: dict[Any, list[tuple[int, str, float]]] = {}
    for consumer in autograd.topological_order(root):
        for i, parent in enumerate(consumer.parents):
            if parent is node and consumer.grad is not None:
                flow = _edge(consumer, i, None)
                local = _edge(consumer, i, 1.0)
                note = (f"expected {_fmt(flow)} = upstream {_fmt(float(consumer.grad))} × local {_fmt(local)} "
                        f"({formula_for_input(consumer.op, i)})")
                notes.setdefault(consumer, []).append((i, note, flow))
    return notes


def _edge(consumer: Any, i: int, upstream: Any) -> float:
    flows = autograd.edge_gradients(consumer, upstream)
    return float(flows[i]) if flows and flows[i] is not None else float("nan")


def mark_wrong(drawing: Any, root: Any, wrong: Any, got: float | None = None) -> Any:
    """Paint ``wrong`` red in ``drawing`` (made by ``autograd.draw_graph(root, ...)``): its box,
    and each edge leaving it with the gradient that edge should carry written beside it;
    every other value grey; ``got``, the student's value, is added to the red box as a
    row "yours".
    Returns the drawing, changed in place.

    The drawing names the value at position k of ``autograd.topological_order(root)``
    ``n{k}`` and its operation ``n{k}op``.  That is how draw_graph writes DOT today, not a
    promise; if the drawing does not look like that (checked on the labels), it is returned
    unchanged rather than painted wrong.  A public hook in draw_graph (``highlight=`` with
    per-node and per-edge attributes) would make this function unnecessary.
    """
    order = autograd.topological_order(root)
    ids = {node: f"n{k}" for k, node in enumerate(order)}
    if not _ids_match(drawing, order, ids):
        return drawing
    wrong_id = ids[wrong]
    notes = edge_notes(wrong, root)
    edge_labels = {ids[consumer] + "op": " and ".join(n for _, n, _ in items) for consumer, items in notes.items()}
    node_line = re.compile(r"^\t(n\d+)(op)? \[")
    edge_line = re.compile(r"^\t(n\d+) -> (n\d+op)")
    body = []
    for line in drawing.body:
        node = node_line.match(line)
        edge = edge_line.match(line)
        if edge and edge.group(1) == wrong_id:
            label = html.escape(edge_labels.get(edge.group(2), ""))
            line = _add_attributes(line, f'color="{RED}" penwidth=2.5 fontcolor="{RED}" '
                                         f'label=<<B>{label}</B>>')
        elif edge:
            line = _add_attributes(line, f'color="{GREY}"')
        elif node and node.group(1) == wrong_id and not node.group(2):
            yours = ""
            if got is not None:
                row = (f'<HR/><TR><TD ALIGN="LEFT"><FONT COLOR="{RED}"><B>yours</B></FONT></TD>'
                       f'<TD ALIGN="LEFT"><FONT COLOR="{RED}"><B>{_fmt(got)}</B></FONT></TD></TR></TABLE>>')
                if line.count("</TABLE>>") == 1:  # a row under data and grad
                    line = line.replace("</TABLE>>", row)
                else:
                    yours = f' xlabel=<<FONT COLOR="{RED}"><B>yours: {_fmt(got)}</B></FONT>>'
            line = _add_attributes(line, f'color="{RED}" penwidth=3 fillcolor="#fde2e2"{yours}')
        elif node and not node.group(2):
            line = _add_attributes(line, f'color="{GREY}" fillcolor="#f0f0f0" fontcolor="#555555"')
        body.append(line)
    drawing.body[:] = body
    return drawing


def _ids_match(drawing: Any, order: list, ids: dict) -> bool:
    """True when every labelled value's box carries its label under the id we expect."""
    boxes = {m.group(1): line for line in drawing.body
             if (m := re.match(r"^\t(n\d+) \[label=", line))}
    checked = 0
    for node in order:
        if node.label and ids[node] in boxes:
            if f"<B>{html.escape(node.label)}</B>" not in boxes[ids[node]]:
                return False
            checked += 1
    return checked > 0


def _add_attributes(line: str, attributes: str) -> str:
    """Add DOT attributes to one statement line ``id [a=b ...]`` (or ``a -> b``)."""
    stripped = line.rstrip()
    if stripped.endswith("]"):
        return stripped[:-1] + " " + attributes + "]\n"
    return stripped + f" [{attributes}]\n"
