"""``autograd.compile``: a function of Values traced once into flat code, one node per call.

``compile(model, example)`` calls ``model`` once on Values holding ``example``
and writes the graph it recorded as two straight-line Python functions, the
"flat" forward and backward code of the lecture notes (``autograd.speed.codegen``
writes the lines, from the operations' own rules):

* ``forward(x0, x1, p0, p1, ...)`` computes the outputs from the inputs and
  the parameters (every leaf the trace reached that needs a gradient), and
  returns with them the intermediate values the backward code reads;
* ``backward_k(g, inputs, saved)`` gives every input's and parameter's
  gradient of output ``k`` from its upstream gradient ``g``.

``print(compiled.source)`` shows both; ``code_of(node)`` gives the code of the
call that made ``node`` (for a drawing, say).

Calling the compiled function records *one node per output*: its op is drawn
as one box, its parents are the inputs and every parameter, whose current
``.data`` is read at each call (so optimizers keep working), and its backward
is ``backward_k``.  The same step then runs with one Python call per sample
instead of one per operation.

Python decisions on the data are *guarded* (``autograd.speed.guards``): a Python
``if`` on ``.data`` or on a Value, a loop whose length depends on the data, or a
number computed from ``.data`` is recorded while tracing, and the forward code
checks it at every call; when a decision goes another way the function is
traced again on that input (up to :data:`MAX_TRACES` traces are kept; past that
the call is refused, naming your line).  ``relu``, ``max`` and ``min`` need no
guard (their choice is made inside the code, per call).  Parameters are the
leaves the trace reached that need a gradient, and every parameter of a model
with ``parameters()`` (frozen ones too: each is read at each call, and given
code for its gradient in case it is unfrozen).  A parameter object replaced or
added later is not read: the next call raises an error saying so (compile
again) for an ``nn.Module``, which counts such changes (``structure_version``);
for any other model ``parameters()`` and ``zero_grad()`` of the compiled
function (once per training step) check.
The outputs must depend on
every input of the example (a micrograd-style model given too long an example
would drop the extra inputs silently), and the number of inputs is checked at
every call.  Gradients of gradients (``grad(create_graph=True)``) do not go
through a compiled call.
"""
from __future__ import annotations

import builtins
import itertools
import linecache
import re
import weakref
from operator import attrgetter
from typing import Any, Callable, Sequence

from dataclasses import dataclass

from . import fast
from .guards import RUNTIME as GUARD_RUNTIME, Guard, GuardFailed, recording_decisions
from .codegen import RUNTIME, SYMBOL, SharedGradients, Symbol, backward_lines, forward_lines, symbol_of
from ..core.graph import Node, topological_order
from ..core.mode import enable_grad, is_grad_enabled
from ..core.numerics import FLOAT
from ..core.op import Op
from ..core.value import Value, constant, new_value

_NEEDS_GRAD = attrgetter("requires_grad")
_counter = itertools.count()


MAX_TRACES = 8
"""How many traces a compiled function keeps, one per way its Python decisions went."""


class Trace:
    """The code of one trace: ``forward`` (its guards checked inside), one op per output,
    the parameters it reads and its ``source``."""

    def __init__(self, inputs: list[Value], params: tuple, single: bool, forward: Callable,
                 ops: list[Op], source: str, guards: list[Guard]) -> None:
        self.inputs, self.parameters_read, self.single = inputs, params, single
        self.forward, self.ops, self.source, self.guards = forward, ops, source, guards

    def __call__(self, xs: tuple) -> Value | list[Value]:
        """One node per output (``GuardFailed`` before any node when a guard fails)."""
        parents = xs + self.parameters_read
        data = [p.data for p in parents]
        outputs, saved = self.forward(*data)
        record = any(map(_NEEDS_GRAD, parents)) and is_grad_enabled()
        results = []
        for op, value in zip(self.ops, outputs):
            out = new_value(value)
            if record:
                out._record(op, parents, (data, saved))
            results.append(out)
        return results[0] if self.single else results


class WatchesParameters:
    """What a compiled model shares, Value or Tensor: the model's parameters at the trace
    (``owned``) and the check that none was replaced since, made at each call when the
    model's ``structure_version`` moved (an ``nn.Module`` counts every parameter, module
    or list put in place), and by ``parameters()`` and ``zero_grad()``."""

    fn: Callable
    name: str
    owned: tuple = ()
    version: Any = None
    versioned = False  # does the model count its changes (``structure_version``)?

    def watch(self, owned: Sequence) -> None:
        self.owned = tuple(owned)
        self.version = getattr(self.fn, "structure_version", None)
        self.versioned = self.version is not None

    def parameters(self) -> list:
        """The model's parameters, after checking that none was replaced since the trace."""
        self.check_parameters()
        return self.fn.parameters()

    def zero_grad(self) -> None:
        """The model's ``zero_grad()``, after checking that no parameter was replaced."""
        self.check_parameters()
        self.fn.zero_grad()

    def check_parameters_if_changed(self) -> None:
        """At each call: check the parameters when the model says its structure changed."""
        if not self.versioned:
            return
        version = self.fn.structure_version
        if version != self.version:
            self.check_parameters()
            self.version = version

    def check_parameters(self) -> None:
        """Raise an error if a parameter object of the model was replaced after compiling
        (``neuron.w[0] = Value(...)``, ``layer.W = Tensor(...)``): the code reads the traced
        ones (assigning ``.data`` is seen)."""
        now = list(getattr(self.fn, "parameters", lambda: [])())
        if len(now) != len(self.owned) or any(a is not b for a, b in zip(now, self.owned)):
            k = next((k for k, (a, b) in enumerate(zip(now, self.owned)) if a is not b),
                     min(len(now), len(self.owned)))
            raise RuntimeError(f"compiled {self.name}: parameter {k} of the model was replaced (or "
                               "added) after compiling, and the compiled code reads the old one; "
                               "compile the model again (assign .data to change a value in place)")


class CompiledFunction(WatchesParameters):
    """What :func:`compile` returns: call it as the traced function.

    ``source`` is the generated code of the latest trace; ``inputs`` and ``parameters_read``
    are its input leaves and the parameters its code reads (``x0, x1, ...`` and ``p0, p1,
    ...`` in it); ``traces`` are all the traces kept (one per way the decisions went).
    Other attributes are the traced function's (``model.parameters()`` and
    ``model.zero_grad()`` work on a compiled model).
    """

    def __init__(self, fn: Callable, name: str, n_inputs: int, owned: tuple, trace: Trace) -> None:
        self.fn = fn
        self.name = name
        self.n_inputs = n_inputs
        self.watch(owned)
        self.traces = [trace]

    def __getattr__(self, name: str) -> Any:
        """Anything else is the traced function's (``model.parameters()``, ``zero_grad()``)."""
        fn = self.__dict__.get("fn")
        if fn is None:  # (not initialised, e.g. while copying)
            raise AttributeError(name)
        return getattr(fn, name)

    source = property(lambda self: self.traces[0].source, doc="The code of the latest trace.")
    inputs = property(lambda self: self.traces[0].inputs, doc="The latest trace's input leaves.")
    parameters_read = property(lambda self: self.traces[0].parameters_read,
                               doc="The parameters the latest trace reads (p0, p1, ...).")
    ops = property(lambda self: self.traces[0].ops, doc="The latest trace's op of each output.")
    guards = property(lambda self: self.traces[0].guards,
                      doc="The decisions on data the latest trace depends on (checked at each call).")

    def __repr__(self) -> str:
        traces = f", {len(self.traces)} traces" if len(self.traces) > 1 else ""
        return (f"<compiled {self.name}: {self.n_inputs} inputs, "
                f"{len(self.parameters_read)} parameters, {len(self.ops)} output(s){traces}>")

    def __call__(self, x: Sequence[Any]) -> Value | list[Value]:
        """One node per output, computed by the code of the first trace whose guards hold;
        traced again when none does."""
        try:
            n = len(x)
        except TypeError:
            raise TypeError(f"compiled {self.name} takes a sequence of {self.n_inputs} numbers or "
                            f"Values, got {type(x).__name__}") from None
        if n != self.n_inputs:
            raise ValueError(f"compiled {self.name} was traced with {self.n_inputs} inputs, "
                             f"called with {n}")
        self.check_parameters_if_changed()
        xs = tuple(v if type(v) is Value else constant(v) for v in x)
        for trace in self.traces:
            try:
                return trace(xs)
            except GuardFailed as failure:
                failed = trace.guards[failure.k]
        return self._trace_again(xs, failed)(xs)

    def _trace_again(self, xs: tuple, failed: Guard) -> Trace:
        """A new trace on these inputs, when a decision went another way in every trace kept."""
        if len(self.traces) >= MAX_TRACES:
            raise RuntimeError(
                f"compiled {self.name}: the Python decision at {failed.where} went another way on "
                f"this input than in each of the {len(self.traces)} traces kept (compile traces "
                f"again when a decision on the data changes, at most {MAX_TRACES} times); write it "
                f"with Value operations (relu, max, min ...) or call {self.name} without compile")
        trace = _trace(self.fn, self.name, [v.data for v in xs], list(self.owned))
        self.traces.insert(0, trace)
        return trace


def compile(fn: Callable[[list[Value]], Any], example: Sequence[Any]) -> CompiledFunction:
    """Trace ``fn`` on ``example`` into flat forward and backward code; return a function
    with ``fn``'s call signature whose every call is one node per output.

    ``fn`` takes one argument, a list of Values (as ``nn.MLP``, ``nn.Neuron`` or a
    micrograd-style model do) and returns a Value or a list of Values; ``example``
    is such an argument (floats or Values).  With ``model = autograd.compile(model,
    [0.0, 0.0])`` micrograd's demo loop runs unchanged and gives the same losses.
    See the module docstring for what a trace can and cannot capture.
    """
    name = getattr(fn, "__name__", None) or type(fn).__name__
    if not callable(fn):
        raise TypeError(f"compile: fn must be callable, got {type(fn).__name__}")
    try:
        example = list(example)
    except TypeError:
        raise TypeError(f"compile: example must be a sequence of numbers or Values (the argument "
                        f"fn takes), got {type(example).__name__}") from None
    owned = list(getattr(fn, "parameters", lambda: [])())
    trace = _trace(fn, name, example, owned)
    return CompiledFunction(fn, name, len(example), tuple(owned), trace)


def _trace(fn: Callable, name: str, example: list, owned: list[Value]) -> Trace:
    """Run ``fn`` on leaves holding ``example``, recording its decisions on data, and write
    the code of what it did.  Frozen parameters too are recorded, read at each call and
    given code for a gradient."""
    inputs = [Value(constant(x).data, label=f"x{k}") for k, x in enumerate(example)]
    flags = [p.requires_grad for p in owned]
    try:
        for p in owned:
            p.requires_grad = True
        with enable_grad(), recording_decisions() as decisions:
            result = fn(inputs)
        return _traced(fn, name, example, inputs, result, owned, decisions.close())
    finally:
        for p, flag in zip(owned, flags):
            p.requires_grad = flag


def _traced(fn: Callable, name: str, example: list, inputs: list[Value], result: Any,
            owned: list[Value], guards: list[Guard]) -> Trace:
    """The code of one trace (``owned``: the model's parameters, if it says)."""
    single = isinstance(result, Value)
    outputs = [result] if single else list(result) if isinstance(result, (list, tuple)) else None
    if not outputs or not all(isinstance(v, Value) for v in outputs):
        raise TypeError(f"compile: {name} must return a Value or a list of Values, "
                        f"got {_describe(result)}")
    looked_at = [n for guard in guards for n in guard.nodes if isinstance(n, Value)]
    order = _order(outputs + looked_at)
    reached = set(order)
    unused = [k for k, x in enumerate(inputs) if x not in reached]
    if unused:
        raise ValueError(f"compile: the outputs of {name} do not depend on input(s) {unused} of the "
                         f"example ({len(example)} inputs); does {name} take {len(example)} inputs?")
    owned_ids = {id(p) for p in owned}
    params = [n for n in order if n._op is None and (n.requires_grad or id(n) in owned_ids)
              and n not in set(inputs)]
    source, filename, forward, backwards = _generate(name, inputs, params, outputs, order, guards)
    params = tuple(params)
    names = parameter_names(fn, params)
    ops = [_compiled_op(name, k, len(outputs), backwards[k], forward, source, params, names)
           for k in range(len(outputs))]
    for op, backward in zip(ops, backwards):
        fast.BACKWARD[op] = _fast_backward(backward)
    trace = Trace(inputs, params, single, forward, ops, source, guards)
    weakref.finalize(trace, _forget, ops, filename)
    return trace


def _forget(ops: list[Op], filename: str) -> None:
    """When a compiled function is collected: its code leaves ``linecache`` and its ops the
    fast path's table (nodes it made that are still alive take the generic step)."""
    for op in ops:
        fast.BACKWARD.pop(op, None)
    linecache.cache.pop(filename, None)


def _describe(result: Any) -> str:
    if isinstance(result, (list, tuple)):
        kinds = sorted({type(v).__name__ for v in result})
        return f"a {type(result).__name__} of {len(result)} ({', '.join(kinds) or 'nothing'})"
    return f"{type(result).__name__}: {result!r}"


def _order(outputs: list[Value]) -> list[Node]:
    """Every node the outputs depend on, parents first (one topological order for all)."""
    order, seen = [], set()
    for out in outputs:
        for node in topological_order(out):
            if node not in seen:
                seen.add(node)
                order.append(node)
    return order


def _generate(name: str, inputs: list[Value], params: list[Value], outputs: list[Value],
              order: list[Node], guards: list[Guard]) -> tuple[str, str, Callable, list[Callable]]:
    """The source, its file name in ``linecache``, the flat forward function and one
    backward function per output, compiled.

    Names: inputs ``x0, x1, ...``, parameters ``p0, p1, ...`` (in the order of
    ``parameters_read``), intermediate values ``s0, s1, ...``.  The forward
    function returns the outputs and the intermediate values the backward
    functions read (``saved``, as the saved tensors of PyTorch), after checking the guards."""
    names = {x: f"x{k}" for k, x in enumerate(inputs)}
    names.update((p, f"p{k}") for k, p in enumerate(params))
    steps = [n for n in order if n._op is not None]
    names.update((n, f"s{k}") for k, n in enumerate(steps))
    leaves = inputs + params
    runtime: dict[str, Any] = {}
    bodies = []
    for out in outputs:
        lines, grads = [], {}
        if out in names:
            lines, grads = backward_lines(out, topological_order(out), names, runtime, gradient=Symbol("g"))
        result = ", ".join(str(grads[n]) if n in grads else "0.0" for n in leaves)
        bodies.append(lines + [f"    return [{result}]"])
    used = set(re.findall(r"\bs\d+\b", "\n".join(line for body in bodies for line in body)))
    saved = _tuple([names[n] for n in steps if names[n] in used])
    arguments = ", ".join(names[n] for n in leaves)
    outs = _tuple([str(symbol_of(v, names)) for v in outputs])
    checks = [line for k, guard in enumerate(guards) if (line := guard.check_line(k, names))]
    keep = {n for n in steps if names[n] in used} | set(outputs) | {
        n for guard in guards for n in guard.nodes if isinstance(n, Node)}
    lines = [f"def forward({arguments}):", *forward_lines(order, names, keep=keep), *checks,
             f"    return {outs}, {saved}", ""]
    for k, body in enumerate(bodies):
        lines += [f"def backward_{k}(g, inputs, saved):", f"    {_tuple(names[n] for n in leaves)} = inputs"]
        if saved != "()":
            lines.append(f"    {saved} = saved")
        lines += body + [""]
    source = "\n".join(lines)
    filename = f"<chainrule compiled {name} #{next(_counter)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, Any] = dict(RUNTIME, **GUARD_RUNTIME, **runtime)
    exec(builtins.compile(source, filename, "exec"), namespace)
    backwards = [namespace[f"backward_{k}"] for k in range(len(outputs))]
    return source, filename, namespace["forward"], backwards


def _tuple(items: Any) -> str:
    """Python source of a tuple of the given names: ``(a, b)``, ``(a,)`` or ``()``."""
    items = list(items)
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


@dataclass(frozen=True, slots=True, eq=False)
class CompiledOp(Op):
    """The operation of one output of a compiled call; ``source`` is the traced code and
    ``parameter_names`` names its parameter inputs (the last ``leaf_inputs`` parents), for
    a drawing that shows the call as one box."""

    source: str = ""
    parameter_names: tuple[str, ...] = ()


def parameter_names(fn: Callable, params: Sequence[Node]) -> tuple[str, ...]:
    """What a drawing calls each parameter a compiled call reads: its name in the model
    (``layers.0.W``) when the model has ``named_parameters()``, else its label, else ``p<k>``."""
    named = {id(p): n for n, p in getattr(fn, "named_parameters", lambda: [])()}
    return tuple(named.get(id(p)) or p.label or f"p{k}" for k, p in enumerate(params))


def _compiled_op(name: str, k: int, n_outputs: int, backward: Callable, forward: Callable,
                 source: str, params: tuple[Value, ...], names: tuple[str, ...] = ()) -> CompiledOp:
    """The operation of output ``k`` of a compiled call: forward and backward are the
    flat code; its two fixed arguments are ``data``, the inputs' and parameters'
    data, and ``saved``, the intermediate values its backward reads."""
    label = name if n_outputs == 1 else f"{name}[{k}]"
    fw_name, bw_name = f"{name}_forward", f"{name}_backward_{k}"

    def forward_rule(K: Any, *inputs: Any) -> Any:
        args = inputs[:-2]  # the last two are the node's fixed arguments: data and saved
        if K is SYMBOL:
            return Symbol(f"{fw_name}({', '.join(map(str, args))})[0][{k}]")
        return forward(*args)[0][k]

    def vjp(K: Any, g: Any, out: Any, inputs: list, needs: list) -> list:
        data, saved = inputs[-2:]
        if K is SYMBOL:
            args = ", ".join(map(str, inputs[:-2]))
            return SharedGradients(Symbol(f"{bw_name}({g}, [{args}], {fw_name}({args})[1])"),
                                   {fw_name: forward, bw_name: backward})
        if K is not FLOAT:
            raise NotImplementedError(
                f"compiled {name}: its backward is flat float code; gradients of gradients "
                "(grad(create_graph=True)) do not go through a compiled call: use the function itself")
        return backward(g, data, saved)

    return CompiledOp(f"compiled {label}", f"{label} (compiled)", forward_rule,
                      formula=f"the traced code of {label} (see its source)", variadic=True, vjp=vjp,
                      leaf_inputs=len(params), source=source, parameter_names=names)


def _fast_backward(backward: Callable) -> Callable[[Value], None]:
    """The fast path's step for one compiled node: one call, then one addition per parent."""
    def step(node: Value) -> None:
        data, saved = node._b
        parents = node._a
        for parent, d in zip(parents, backward(node.grad, data, saved)):
            if parent.requires_grad:
                parent.accumulate_grad(d)
    return step


def code_of(node: Node) -> str | None:
    """The generated source of the compiled call that made ``node``, or None."""
    return node._op.source if isinstance(node._op, CompiledOp) else None
