"""``autograd.compile`` of a Tensor model: traced once per input shape into flat numpy code.

``compile(model, X)`` calls ``model`` on a Tensor holding ``X`` and writes the
graph it recorded as two numpy functions (``autograd.speed.tensor_code`` writes
the lines from the operations' own rules, as ``flat_code`` does):

* ``forward(x0, p0, p1, ..., c0, ...)``: the output from the input, the
  parameters and the constants the model captured, and the intermediate
  values the backward code reads (``saved``, as PyTorch's saved tensors);
* ``backward(g, inputs, saved)``: the gradient of every input and parameter
  that requires one (the others are skipped: no work for ``X``).

A call records *one node*: its parents are the input and every parameter,
whose ``.data`` is read at each call (optimizers, ``nn.load`` and frozen
parameters keep working), its backward is the generated code.

Shapes are part of the trace.  A call whose input has another shape, dtype or
``requires_grad`` is traced again (once: each trace is kept, up to :data:`MAX_TRACES`), so a last batch
of another size in ``fit`` works.  Each new trace is checked against the model
run op by op, bit for bit, and refused with an error when it differs.

Python decisions on the data are guarded (``autograd.speed.guards``): ``bool``,
``float``, ``int`` or ``.item()`` of a one-entry Tensor, and a Tensor's numbers
read by your code (``.data``, ``numpy()``, ``detach()``, comparisons) are checked at
every call, and a call where one goes another way is traced again (up to
:data:`MAX_TRACES` per shape, then refused naming your line).  A parameter
object *replaced* after compiling (``layer.W = Tensor(...)``) is refused at the
next call of an ``nn.Module`` (see ``compiled.WatchesParameters``): compile again.
"""
from __future__ import annotations

import builtins
import itertools
import linecache
import re
import weakref
from typing import Any, Callable

import numpy as np

from . import compiled as value_compiled
from .compiled import CompiledOp, WatchesParameters, _order, _tuple, parameter_names
from .guards import RUNTIME as GUARD_RUNTIME, Guard, GuardFailed, recording_decisions
from .tensor_code import (RUNTIME, TENSOR_SYMBOL, TensorSymbol, inline_constant, tensor_backward_lines,
                          tensor_forward_lines)
from ..core.graph import Node, topological_order
from ..core.mode import enable_grad, no_grad
from ..core.tensor import Tensor, new_tensor

MAX_TRACES = 8
"""How many input shapes a compiled Tensor function keeps a trace for (the oldest goes)."""

_counter = itertools.count()


class Trace:
    """The code for one input shape: ``forward``, the op its node records, and the
    parameters and constants read at each call."""

    def __init__(self, forward: Callable, op: CompiledOp, params: tuple, constants: tuple,
                 source: str, filename: str, guards: list[Guard]) -> None:
        self.forward, self.op, self.params, self.constants = forward, op, params, constants
        self.source, self.guards = source, guards
        weakref.finalize(self, linecache.cache.pop, filename, None)

    def __call__(self, x: Tensor) -> Tensor:
        params = self.params
        data = [x.data, *[p.data for p in params], *[c.data for c in self.constants]]
        out, saved = self.forward(*data)
        return new_tensor(out, self.op, (x, *params), (data, saved))


class CompiledTensorFunction(WatchesParameters):
    """What :func:`compile` returns for a Tensor model: call it as the model.

    ``source`` is the code of the latest trace; ``traces`` maps (shape, dtype,
    requires_grad) of the input to its :class:`Trace` list (more than one when a Python
    decision on the data went several ways, see ``autograd.speed.guards``).  Other
    attributes are the model's (``parameters()``, ``zero_grad()``, ``batched``)."""

    def __init__(self, fn: Callable, name: str, example: Any) -> None:
        self.fn, self.name = fn, name
        self.watch(getattr(fn, "parameters", lambda: [])())
        self.traces: dict[tuple, list[Trace]] = {}
        x = example if isinstance(example, Tensor) else _as_input(example, name)
        self.latest: Trace = self._trace(x, example)

    def __getattr__(self, name: str) -> Any:
        """Anything else is the model's."""
        fn = self.__dict__.get("fn")
        if fn is None:
            raise AttributeError(name)
        return getattr(fn, name)

    @property
    def source(self) -> str:
        """The generated code of the latest trace."""
        return self.latest.source

    @property
    def parameters_read(self) -> tuple:
        """The parameters the latest trace reads (``p0, p1, ...`` in its code)."""
        return self.latest.params

    def __repr__(self) -> str:
        return f"<compiled {self.name}: {len(self.traces)} trace(s), {len(self.parameters_read)} parameters>"

    @staticmethod
    def _key(x: Tensor) -> tuple:
        return x.data.shape, x.data.dtype, x.requires_grad

    def __call__(self, x: Any) -> Tensor:
        """One node, computed by the compiled code (traced first for a new input shape)."""
        self.check_parameters_if_changed()
        given = x
        if type(x) is not Tensor:
            x = _as_input(x, self.name)
        failed = None
        for trace in self.traces.get(self._key(x), ()):
            try:
                out = trace(x)
            except GuardFailed as failure:
                failed = trace.guards[failure.k]
                continue
            self.latest = trace
            return out
        trace = self._trace(x, given, failed)
        self.latest = trace
        return trace(x)

    def _trace(self, x: Tensor, given: Any = None, failed: Guard | None = None) -> Trace:
        """A new trace for ``x``: for a new shape (the oldest shape's go past
        :data:`MAX_TRACES`), or when a decision on the data went another way in each trace
        of this shape (refused past :data:`MAX_TRACES`, naming your line)."""
        same_shape = self.traces.get(self._key(x), [])
        if failed is not None and len(same_shape) >= MAX_TRACES:
            raise RuntimeError(
                f"compiled {self.name}: the Python decision at {failed.where} went another way on "
                f"this input than in each of the {len(same_shape)} traces kept (compile traces "
                f"again when a decision on the data changes, at most {MAX_TRACES} times); write it "
                f"with Tensor operations (relu, where, maximum ...) or call {self.name} without compile")
        trace = trace_tensor(self.fn, self.name, x, x if given is None else given)
        if not same_shape and len(self.traces) >= MAX_TRACES:
            self.traces.pop(next(iter(self.traces)))
        self.traces[self._key(x)] = [trace, *same_shape]
        return trace


def _as_input(x: Any, name: str) -> Tensor:
    try:
        array = np.asarray(x)
    except Exception as err:
        raise TypeError(f"compiled {name} takes a Tensor or an array, got {type(x).__name__}") from err
    if array.dtype.kind not in "fiub":
        raise TypeError(f"compiled {name} takes a Tensor or a numeric array, got {array.dtype} data")
    return Tensor(array, requires_grad=False)


def trace_tensor(fn: Callable, name: str, x: Tensor, given: Any) -> Trace:
    """Run ``fn`` on a leaf holding ``x``'s data and write its graph as flat numpy code,
    checked against ``fn(given)`` (``given`` is what the caller passed: ``x`` or its array).

    The model's parameters are traced as requiring a gradient, frozen ones too: a frozen
    parameter's product is recorded (read at each call, not baked in) and the code has its
    gradient, used once it is unfrozen."""
    leaf = Tensor(x.data, requires_grad=True, label="x0")
    owned = list(getattr(fn, "parameters", lambda: [])())
    flags = [p.requires_grad for p in owned]
    try:
        for p in owned:
            p.requires_grad = True
        out, guards = _run(fn, name, leaf)
        return _trace_of(fn, name, x, given, leaf, out, {id(p) for p in owned}, guards)
    finally:
        for p, flag in zip(owned, flags):
            p.requires_grad = flag


def _run(fn: Callable, name: str, leaf: Tensor) -> tuple[Tensor, list[Guard]]:
    """``fn(leaf)`` recorded, and the guards of the decisions it took on the data."""
    try:
        with enable_grad(), recording_decisions() as decisions:
            out = fn(leaf)
    except Exception as err:
        raise type(err)(f"compile: {name} failed on an input of shape {leaf.data.shape} "
                        f"({leaf.data.dtype}): {err}") from err
    if not isinstance(out, Tensor):
        raise TypeError(f"compile: {name} must return a Tensor, got {type(out).__name__}"
                        + (" (one output per compiled call)" if isinstance(out, (list, tuple)) else ""))
    return out, decisions.close()


def _trace_of(fn: Callable, name: str, x: Tensor, given: Any, leaf: Tensor, out: Tensor,
              owned: set[int], guards: list[Guard]) -> Trace:
    order = _order([out] + [n for guard in guards for n in guard.nodes if isinstance(n, Node)])
    if leaf not in set(order):  # (sets compare nodes by identity; a list would use ==)
        raise ValueError(f"compile: the output of {name} does not depend on its input")
    leaf.requires_grad = x.requires_grad
    for node in order:  # the backward code computes only what leads to a gradient wanted
        if node._op is not None:
            node.requires_grad = any(p.requires_grad for p in node._prev)
    leaves = [n for n in order if n._op is None and n is not leaf]
    params = [n for n in leaves if n.requires_grad or id(n) in owned]
    chosen = set(params)
    constants = [n for n in leaves if n not in chosen and inline_constant(n) is None]
    trace = _write(name, leaf, out, order, params, constants, parameter_names(fn, params), guards)
    _check_against_engine(trace, fn, name, x, given, out)
    return trace


def _write(name: str, leaf: Tensor, out: Tensor, order: list[Node], params: list, constants: list,
           parameter_names: tuple[str, ...], guards: list[Guard]) -> Trace:
    """Generate, compile and wrap the forward and backward code of one trace."""
    names = {leaf: "x0"}
    names.update((p, f"p{k}") for k, p in enumerate(params))
    names.update((c, f"c{k}") for k, c in enumerate(constants))
    names.update((n, f"s{k}") for k, n in enumerate(n for n in order if n._op is not None))
    runtime: dict[str, Any] = {}
    inputs = [leaf, *params, *constants]
    needing = [n for n in (leaf, *params) if n.requires_grad]
    body, grads = [], {}
    if out._op is not None:
        body, grads = tensor_backward_lines(out, topological_order(out), names, runtime,
                                            gradient=TensorSymbol("g", out.data))
        body = masked_in_place(body)
    result = ", ".join(str(grads[n]) if n in grads else "None" for n in (leaf, *params))
    used = set(re.findall(r"\bs\d+\b", "\n".join(body)))
    saved = _tuple([names[n] for n in order if n._op is not None and names[n] in used])
    looked_at = {n for guard in guards for n in guard.nodes if isinstance(n, Node)}
    kept = {n for n in order if names.get(n) in used} | looked_at
    checks = [line for k, guard in enumerate(guards) if (line := guard.check_line(k, names))]
    lines = [f"def forward({', '.join(names[n] for n in inputs)}):",
             *tensor_forward_lines(order, names, runtime, spare=_spare(order, out, kept)), *checks,
             f"    return {names[out]}, {saved}", "",
             "def backward(g, inputs, saved):", f"    {_tuple(names[n] for n in inputs)} = inputs"]
    if saved != "()":
        lines.append(f"    {saved} = saved")
    lines += [*body, f"    return [{result}]", ""]
    source = "\n".join(lines)
    filename = f"<chainrule compiled {name} #{next(_counter)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, Any] = dict(RUNTIME, zero_where=zero_where, **GUARD_RUNTIME, **runtime)
    namespace["expected"] = [guard.expected for guard in guards]
    exec(builtins.compile(source, filename, "exec"), namespace)
    op = _op(name, namespace["backward"], source, len(params), parameter_names, len(needing))
    return Trace(namespace["forward"], op, tuple(params), tuple(constants), source, filename, guards)


_MASK = re.compile(r"(?P<indent>\s+)(?P<target>grad_\w+) = where\((?P<cond>.+), 0\.0, (?P<values>grad_\w+)\)"
                   r"(?P<comment>\s+# \(.*\))$")
_PRODUCT_LINE = r"\s+{} = \w+(\.T)? @ \w+(\.T)?\s+# (?P<shape>\(.*\))$"


def masked_in_place(body: list[str]) -> list[str]:
    """Backward lines with a gate's mask written into the gradient it masks, where that is safe:
    ``grad_a = where(cond, 0.0, grad_b)`` (relu's mask) becomes ``grad_a = zero_where(cond,
    grad_b)`` when ``grad_b`` is a product (``G @ W.T``: a new array) of the same shape that
    no other line reads, so nobody can see the array change."""
    text = "\n".join(body)
    out = []
    for line in body:
        match = _MASK.match(line)
        if match and _one_call(match["cond"]) and len(re.findall(rf"\b{match['values']}\b", text)) == 2:
            made = [re.match(_PRODUCT_LINE.format(match["values"]), other) for other in body]
            if {m["shape"] for m in made if m} == {match["comment"].split("# ", 1)[1]}:
                line = (f"{match['indent']}{match['target']} = zero_where({match['cond']}, {match['values']})"
                        f"{match['comment']} masked in {match['values']}'s array")
        out.append(line)
    return out


def _one_call(cond: str) -> bool:
    """True when ``where(cond, 0.0, g)`` reads as one call: brackets balanced, no comma at
    the top level of ``cond``."""
    depth = 0
    for char in cond:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if depth < 0 or (char == "," and depth == 0):
            return False
    return depth == 0


def zero_where(cond: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``where(cond, 0.0, values)``, the same bits, written into ``values`` (a new array that
    no other line of the code reads) on a small array; ARRAY's where from 4096 elements on,
    where its bit mask is faster than masking in place."""
    if (type(cond) is not np.ndarray or type(values) is not np.ndarray or cond.shape != values.shape
            or cond.dtype != bool or values.size >= 4096 or not values.flags.writeable):
        return RUNTIME["where"](cond, 0.0, values)
    np.putmask(values, cond, 0.0)
    return values


def _spare(order: list[Node], out: Node, saved: set[Node]) -> set[Node]:
    """The intermediate arrays only the next operation reads (not saved, not the output),
    made by an operation that always gives a new array (never a view of a parameter):
    the forward code may overwrite them."""
    users: dict[Node, int] = {}
    for node in order:
        for parent in node._prev:
            users[parent] = users.get(parent, 0) + 1
    return {n for n in order if n._op is not None and n._op.name in _FRESH and n is not out
            and users.get(n) == 1 and n not in saved}


_FRESH = {"matmul", "add", "sub", "mul", "div", "neg", "exp", "log", "tanh", "sigmoid", "relu", "abs",
          "max", "min"}


def _op(name: str, backward: Callable, source: str, n_params: int, parameter_names: tuple[str, ...],
        n_grads: int) -> CompiledOp:
    """The operation a call records: its backward is the generated code (on arrays only)."""
    def vjp(K: Any, g: Any, out: Any, inputs: list, needs: list) -> list:
        if K is TENSOR_SYMBOL or not isinstance(g, np.ndarray):
            raise NotImplementedError(
                f"compiled {name}: its backward is flat numpy code; gradients of gradients "
                "(grad(create_graph=True)) and flat code of a graph holding a compiled call do not "
                "go through it: use the model itself")
        data, saved = inputs[-2:]
        grads = backward(g, data, saved)
        return [gr if need else None for gr, need in zip(grads, needs)]

    def forward_rule(K: Any, *inputs: Any) -> Any:
        raise NotImplementedError(f"compiled {name}: run it by calling it")

    return CompiledOp(f"compiled {name}", f"{name} (compiled)", forward_rule,
                      formula=f"the traced code of {name} (see its source)", variadic=True, vjp=vjp,
                      leaf_inputs=n_params, source=source, parameter_names=parameter_names)


def _check_against_engine(trace: Trace, fn: Callable, name: str, x: Tensor, given: Any,
                          traced: Tensor) -> None:
    """Refuse a trace whose output differs from the model's own on what the caller gave, bit
    for bit (a model that converts an array to its own dtype, say)."""
    with no_grad():
        got = trace(Tensor(x.data, requires_grad=False))
        direct = fn(given)
    expected = direct.data if isinstance(direct, Tensor) else np.asarray(direct)
    for reference in (traced.data, expected):
        if got.data.dtype != reference.dtype or got.data.shape != reference.shape or not np.array_equal(
                got.data, reference, equal_nan=True):
            raise ValueError(
                f"compile: the traced code of {name} gives another result than {name} itself on an "
                f"input of shape {x.data.shape} ({x.data.dtype}): {got.data.dtype}{got.data.shape} vs "
                f"{reference.dtype}{reference.shape}; {name} converts its input (pass an array or Tensor of "
                "the dtype the model computes in) or decides on the data in Python (do not compile it)")


def compile(fn: Callable, example: Any) -> Any:
    """Trace ``fn`` on ``example`` into flat code; return a function to call in its place,
    each call recording one node whose backward is the generated code.

    A Tensor or numpy array ``example`` compiles a Tensor model (``nn.Sequential``,
    ``nn.tensor_mlp``, a function of one Tensor returning a Tensor) into numpy code,
    traced again for each new input shape (see this module's docstring).  A list of
    numbers or Values compiles a Value model (:func:`autograd.speed.compiled.compile`).
    """
    if not isinstance(example, (Tensor, np.ndarray)):
        return value_compiled.compile(fn, example)
    name = getattr(fn, "__name__", None) or type(fn).__name__
    if not callable(fn):
        raise TypeError(f"compile: fn must be callable, got {type(fn).__name__}")
    return CompiledTensorFunction(fn, name, example)
