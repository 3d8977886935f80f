"""Guards: the Python decisions a ``compile`` trace took on the data, checked at every call.

A trace records the operations, not the Python around them.  Code that looks
at the numbers, ``if h.data > 0:``, ``while n > 1:``, ``range(int(k.data))``,
``x * float(x.data)``, would otherwise be frozen as it went on the example,
whatever the input: a silent wrong answer.  So while ``compile`` traces, each
such decision is recorded as a *guard*: the node it looked at, what it asked,
and the answer.  The compiled forward code checks the guards after computing
the values (they are lines of ``.source``, each with the line of your code it
came from) and raises :class:`GuardFailed` when one comes out otherwise; the
compiled function then traces your code again on that input.

Seen, so guarded:

* comparisons (``<``, ``==`` ...) and ``bool()`` of a Value, ``float()``,
  ``int()``, ``round()``, ``.item()`` and ``.detach()`` of a Value;
* the same done to its ``.data``, and every other use of ``.data`` as a plain
  number: arithmetic, ``math.exp(h.data)``, a dict key.  While a trace runs,
  ``.data`` read by your code (not by the engine) is a :class:`TracedFloat`, a
  float that reports what is done with it.  A read whose use it cannot see (a C
  function such as ``math.exp`` reads the float directly) is guarded as a
  whole: the trace holds only while that value is the same;
* for a Tensor: ``bool()``, ``float()``, ``int()`` and ``.item()`` of a one-entry
  Tensor (``.item()`` gives a traced float too); and its numbers leaving the
  graph for your code (``.data``, ``numpy()``, ``detach()``, comparisons, which
  give numpy arrays) are guarded as a whole: the trace holds only while that
  array is the same (use Tensor operations instead, and ``t.shape`` for the shape).

Not seen: Values made outside the traced function that are neither inputs
nor parameters (their data is read as a constant), and randomness.  A
``with no_grad():`` block in the traced code is refused: what it computes is
not recorded, so it would be frozen.
"""
from __future__ import annotations

import contextlib
import linecache
import math
import os
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import numpy as np

from .codegen import literal
from ..core.graph import Node
from ..core import mode
from ..core.mode import THREAD_MODE
from ..core.tensor import Tensor
from ..core.value import Value

_ENGINE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_SKIPPED = (_ENGINE, "<chainrule", contextlib.__file__)
_MODE_FILE = mode.__file__


class GuardFailed(Exception):
    """Raised by compiled forward code when the decision of guard ``k`` comes out otherwise."""

    def __init__(self, k: int) -> None:
        super().__init__(k)
        self.k = k


@dataclass
class Guard:
    """One decision: ``test`` is its source text over the nodes (``{0} > {1}``), ``nodes``
    the Values (or numbers) in it, ``expected`` its answer, ``where`` your line."""

    test: str
    nodes: tuple
    expected: Any
    where: str

    def check_line(self, k: int, names: dict[Node, str]) -> str | None:
        """The compiled code's check of this guard, or None when it reads no variable node.
        A one-entry Tensor is read with ``.item()``; a guard on a whole array (``expected``
        an array) compares it with the traced one, ``expected[k]`` in the code."""
        symbols = [names.get(n) if isinstance(n, Node) else None for n in self.nodes]
        if all(s is None for s in symbols):
            return None  # a decision on constants holds at every call
        whole_array = not isinstance(self.expected, (bool, int, float))
        args = [(s if whole_array or isinstance(n, Value) else f"{s}.item()") if s is not None
                else str(literal(n.data if isinstance(n, Node) else n)) for s, n in zip(symbols, self.nodes)]
        test = self.test.format(*args)
        if whole_array:
            condition = f"not same_array({test}, expected[{k}])"
        elif self.expected is True:
            condition = f"not ({test})"
        elif self.expected is False:
            condition = test
        else:
            condition = f"not same({test}, {_number_literal(self.expected)})"
        return f"    if {condition}:  # {self.where}\n        raise GuardFailed({k})"


def _number_literal(x: Any) -> str:
    return repr(x) if isinstance(x, int) else str(literal(x))


def same(a: Any, b: Any) -> bool:
    """The same number: equal with the same sign (``0.0`` is not ``-0.0``), or both nan."""
    if a != a:
        return b != b
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def number(convert: Callable, x: float, *args: Any) -> Any:
    """``convert(x, *args)`` (``int``, ``round`` ...), or None where Python refuses it (nan, inf)."""
    try:
        return convert(x, *args)
    except (ValueError, OverflowError):
        return None


def same_array(a: np.ndarray, b: np.ndarray) -> bool:
    """The same array: shape, dtype and every entry (nan where nan)."""
    return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=True))


RUNTIME = {"same": same, "same_array": same_array, "number": number, "GuardFailed": GuardFailed}
"""What the names in guard lines mean."""

_CONVERSIONS = {float: "{0}", int: "number(int, {0})", round: "number(round, {0})"}


class Decisions:
    """The guards one trace records (installed as ``THREAD_MODE.decisions`` while it runs)."""

    def __init__(self) -> None:
        self.guards: list[Guard] = []
        self.reads: list[TracedFloat] = []
        self.seen: set[tuple] = set()
        self.open = True

    def add(self, test: str, nodes: tuple, expected: Any) -> None:
        key = (test, tuple(id(n) if isinstance(n, Node) else n for n in nodes),
               "array" if isinstance(expected, np.ndarray) else expected)
        if self.open and key not in self.seen:
            self.seen.add(key)
            self.guards.append(Guard(test, nodes, expected, your_line()))

    def compared(self, symbol: str, a: Any, b: Any, result: bool) -> None:
        """``a <symbol> b`` gave ``result`` (``a`` or ``b`` a Value or a traced float)."""
        self.add("{0} " + symbol + " {1}", (_node(a), _node(b)), bool(result))

    def truth(self, a: Any, result: bool) -> None:
        """``bool(a)`` gave ``result``."""
        self.add("{0}", (_node(a),), bool(result))

    def converted(self, convert: Callable, a: Any, result: Any, *args: Any) -> None:
        """``convert(a, *args)`` gave ``result`` (``float``, ``int``, ``round(a, 2)`` ...)."""
        if convert is round and args:
            test = f"number(round, {{0}}, {args[0]!r})"
        else:
            test = _CONVERSIONS[convert]
        self.add(test, (_node(a),), result)

    def read(self, node: Node, value: float) -> "TracedFloat":
        """``node``'s number as your code gets it (``.data``, ``.item()``): a traced float."""
        traced = TracedFloat(value)
        traced.node, traced.decisions, traced.where, traced.used = node, self, your_line(), False
        self.reads.append(traced)
        return traced

    def escaped(self, node: Node, array: np.ndarray) -> None:
        """A Tensor's numbers left the graph for your code (``.data``, ``numpy()``, a
        comparison): the trace holds only while they are the same."""
        if isinstance(array, np.ndarray):
            self.add("{0}", (node,), array.copy())

    def entered_no_grad(self) -> None:
        """Refuse a ``no_grad`` block written in the traced code (the engine's own are fine)."""
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename in (_MODE_FILE, contextlib.__file__):
            frame = frame.f_back  # (no_grad's own frames)
        if frame is not None and not frame.f_code.co_filename.startswith(_SKIPPED):
            raise RuntimeError(
                f"compile cannot trace a `with no_grad():` block ({_where(frame)}): what it computes "
                "is not recorded, so the compiled code would keep the example's numbers; move the "
                "block out of the compiled function")

    def close(self) -> list[Guard]:
        """The guards, with each ``.data`` read whose use was not seen guarded as a whole."""
        self.open = False
        for traced in self.reads:
            if not traced.used:
                key = ("{0}", (id(traced.node),), float(traced))
                if key not in self.seen:
                    self.seen.add(key)
                    self.guards.append(Guard("{0}", (traced.node,), float(traced),
                                             traced.where + " (a read of .data)"))
        return self.guards


def _node(x: Any) -> Any:
    """What a guard reads: the Value itself, the Value a traced float was read from, or a number."""
    if isinstance(x, TracedFloat) and x.decisions is not None:
        x.used = True
        return x.node
    return x if isinstance(x, Value) else float(x) if isinstance(x, (int, float)) else x


def your_line() -> str:
    """``file:line  source`` of the innermost frame outside the engine (your code)."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_SKIPPED):
        frame = frame.f_back
    return _where(frame) if frame is not None else "?"


def _where(frame: Any) -> str:
    filename, line = frame.f_code.co_filename, frame.f_lineno
    text = linecache.getline(filename, line).strip()
    return f"{os.path.basename(filename)}:{line}" + (f"  {text}" if text else "")


class TracedFloat(float):
    """A Value's ``.data`` (or a node's ``.item()``) as your code sees it during a trace: a
    float that records, as guards, the decisions taken with it.  Displaying it (``print``,
    f-strings) is no decision."""

    node: Node
    decisions: Decisions | None = None
    where = ""
    used = True

    def _number(self) -> float:
        """Used as a plain number: the trace holds only while this value is the same."""
        if self.decisions is not None:
            self.decisions.converted(float, self, float.__float__(self))
        return float.__float__(self)

    def __float__(self) -> float:
        return self._number()

    def __int__(self) -> int:
        result = int(float.__float__(self))
        if self.decisions is not None:
            self.decisions.converted(int, self, result)
        return result

    def __round__(self, ndigits: Any = None) -> Any:
        value = float.__float__(self)
        result = round(value) if ndigits is None else round(value, ndigits)
        if self.decisions is not None:
            self.decisions.converted(round, self, result, *(() if ndigits is None else (ndigits,)))
        return result

    def __bool__(self) -> bool:
        result = float.__float__(self) != 0.0
        if self.decisions is not None:
            self.decisions.truth(self, result)
        return result

    def __repr__(self) -> str:
        self.used = True
        return float.__repr__(self)

    def __format__(self, spec: str) -> str:
        self.used = True
        return float.__format__(self, spec)

    __str__ = __repr__


def _comparison(symbol: str, method: Callable) -> Callable:
    def compare(self: TracedFloat, other: Any) -> Any:
        if isinstance(other, Node):
            return NotImplemented  # the Value's own comparison records it
        result = method(float.__float__(self), other)
        if result is not NotImplemented and self.decisions is not None:
            self.decisions.compared(symbol, self, other, result)
        return result
    return compare


def _arithmetic(method: Callable) -> Callable:
    def compute(self: TracedFloat, *args: Any) -> Any:
        return method(self._number(), *args)
    return compute


for _symbol, _name in (("<", "__lt__"), ("<=", "__le__"), (">", "__gt__"), (">=", "__ge__"),
                       ("==", "__eq__"), ("!=", "__ne__")):
    setattr(TracedFloat, _name, _comparison(_symbol, getattr(float, _name)))
for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
              "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__divmod__",
              "__rdivmod__", "__pow__", "__rpow__", "__neg__", "__pos__", "__abs__", "__trunc__",
              "__floor__", "__ceil__", "__hash__", "is_integer", "as_integer_ratio", "hex"):
    setattr(TracedFloat, _name, _arithmetic(getattr(float, _name)))


class _WatchedData:
    """``Value.data`` and ``Tensor.data`` while some thread traces: a read by traced code
    (not by the engine's own code) in a tracing thread gives a Value's number as a
    :class:`TracedFloat`, and guards a Tensor's array as a whole; every other read is plain."""

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, node: Any, owner: Any = None) -> Any:
        if node is None:
            return self
        value = self.slot.__get__(node, owner)
        decisions = THREAD_MODE.decisions
        if decisions is None or sys._getframe(1).f_code.co_filename.startswith(_SKIPPED):
            return value
        if type(value) is float:
            return decisions.read(node, value)
        decisions.escaped(node, value)
        return value

    def __set__(self, node: Any, value: Any) -> None:
        if type(value) is TracedFloat:
            value = value._number()  # a copy of another node's data: guarded as a number
        self.slot.__set__(node, value)


_SLOTS = {Value: Value.__dict__["data"], Tensor: Tensor.__dict__["data"]}
_watching = 0
_lock = threading.Lock()


@contextlib.contextmanager
def recording_decisions() -> Iterator[Decisions]:
    """Record, in this thread, the decisions taken on data until the block ends."""
    global _watching
    decisions = Decisions()
    with _lock:
        if _watching == 0:
            for kind, slot in _SLOTS.items():
                kind.data = _WatchedData(slot)
        _watching += 1
    previous, THREAD_MODE.decisions = THREAD_MODE.decisions, decisions
    try:
        yield decisions
    finally:
        THREAD_MODE.decisions = previous
        decisions.open = False
        with _lock:
            _watching -= 1
            if _watching == 0:
                for kind, slot in _SLOTS.items():
                    kind.data = slot
