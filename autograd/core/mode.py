"""Grad mode: whether operations are being recorded, and whether backward checks for anomalies.

``no_grad``, ``enable_grad`` and ``detect_anomaly`` are per thread, as in
PyTorch: a thread inside ``with no_grad():`` computes without recording while
other threads keep recording.  :func:`is_grad_enabled` is the one test every
operator makes ("are we recording?"), the generated ones included.

Backward passes hold one process-wide lock (:data:`backward_lock`), so passes
started from several threads run one after the other.
"""
from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from typing import Any, Callable, ContextManager, Iterator


class ThreadMode(threading.local):
    """This thread's switches.  Every thread starts with recording on and anomaly
    detection off, whatever other threads are doing (as in PyTorch)."""

    grad_enabled = True
    detect_anomaly = False
    decisions = None
    """While ``compile`` traces a function in this thread: the recorder of the Python
    decisions taken on data (``autograd.speed.guards.Decisions``), told by Value's
    comparisons, ``bool()``, ``float()`` ... through :func:`note_decision`."""


THREAD_MODE = ThreadMode()
"""The switches of the thread that reads them."""


class AllThreads:
    """How many ``no_grad`` blocks are open, in all threads together.  While there are
    none every thread records, so :func:`is_grad_enabled` reads this plain number
    first and its thread's switch only when it is not 0."""

    no_grad_blocks = 0
    lock = threading.Lock()


backward_lock = threading.RLock()
"""Held by every backward pass: passes run one at a time, whatever thread starts them."""


def is_grad_enabled() -> bool:
    """Are we recording?  True unless this thread is inside ``with no_grad():``."""
    return not AllThreads.no_grad_blocks or THREAD_MODE.grad_enabled


def is_anomaly_enabled() -> bool:
    """True inside ``with detect_anomaly():`` (of this thread)."""
    return THREAD_MODE.detect_anomaly


@contextmanager
def _switch(name: str, on: bool) -> Iterator[None]:
    mode = THREAD_MODE  # this thread's switches, also where the block is left
    previous = getattr(mode, name)
    setattr(mode, name, on)
    try:
        yield
    finally:
        setattr(mode, name, previous)


def note_decision(how: str, *args: Any) -> None:
    """Tell this thread's trace recorder, if a trace runs, that Python took a decision on data:
    ``how`` is the recorder's method (``"compared"``, ``"truth"``, ``"converted"``)."""
    decisions = THREAD_MODE.decisions
    if decisions is not None:
        getattr(decisions, how)(*args)


def traced_number(node: Any, number: float) -> float:
    """``number``, read from ``node`` by ``item()``: during a compile trace, a float that tells
    the trace what is done with it (``autograd.speed.guards.TracedFloat``)."""
    decisions = THREAD_MODE.decisions
    return number if decisions is None else decisions.read(node, number)


@contextmanager
def _counted() -> Iterator[None]:
    with AllThreads.lock:
        AllThreads.no_grad_blocks += 1
    try:
        note_decision("entered_no_grad")  # a trace refuses a no_grad block in the traced code
        with _switch("grad_enabled", False):
            yield
    finally:
        with AllThreads.lock:
            AllThreads.no_grad_blocks -= 1


def no_grad(func: Callable[..., Any] | None = None) -> Any:
    """Inside this block operations are computed but not recorded: results are constants.

    Per thread: another thread keeps recording while this one is inside.
    A decorator too, with or without parentheses (``@no_grad()`` or ``@no_grad``,
    as torch accepts both).
    """
    return _block(_counted, func, "no_grad")


def enable_grad(func: Callable[..., Any] | None = None) -> Any:
    """Record operations again inside a ``no_grad`` block (of this thread); a decorator
    too, with or without parentheses."""
    return _block(lambda: _switch("grad_enabled", True), func, "enable_grad")


def _block(make: Callable[[], ContextManager[None]], func: Any, name: str) -> Any:
    """A fresh block, or ``func`` run inside one (the bare-decorator form)."""
    if func is None:
        return make()
    if not callable(func):
        raise TypeError(f"{name}() takes no arguments (or a function, as a decorator), got {func!r}")

    @functools.wraps(func)
    def inside(*args: Any, **kwargs: Any) -> Any:
        with make():
            return func(*args, **kwargs)

    return inside


def detect_anomaly() -> ContextManager[None]:
    """Inside this block, backward raises :class:`AnomalyError` at the first operation
    whose backward rule turns a finite upstream gradient into nan or inf, naming it.

    Per thread, like :func:`no_grad` (PyTorch keeps this one process-wide).
    """
    return _switch("detect_anomaly", True)


class AnomalyError(FloatingPointError):
    """A backward rule produced a nan or infinite gradient (see :func:`detect_anomaly`)."""
