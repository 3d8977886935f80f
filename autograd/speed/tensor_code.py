"""Flat numpy code for Tensor graphs: matrix backpropagation as the lecture notes write it.

``flat_code(loss)`` on a Tensor graph gives one numpy assignment per node, then
the backward pass in reverse, one line per edge, each with its shape as a
comment::

    t2 = X @ W1                              # (100, 16)
    Z1 = t2 + b1                             # (100, 16)
    ...
    grad_b1 = ones_100 @ grad_Z1             # (16,) = grad_Z1.sum(axis=0): broadcast in the forward pass
    grad_W1 = X.T @ grad_Z1                  # (2, 16)

The lines come from evaluating the operations' own rules (``autograd.core.ops``
and ``autograd.core.tensor_ops``) on :class:`TensorSymbol` s, with the backend
:data:`TENSOR_SYMBOL`: every function of ``ARRAY`` becomes a call of that very
function in the code, so the code computes what ``backward()`` computes, bit for
bit.  Where numpy broadcasting stretched an input, its gradient is summed back
(``sum_to``, the "unbroadcast" ``Tensor.accumulate_grad`` does).  An operation whose
rule uses something a symbol cannot be (a Python decision on the data) is
refused with an error naming it.
"""
from __future__ import annotations

import keyword
import math
from types import SimpleNamespace
from typing import Any, Callable

import numpy as np

from . import codegen
from .codegen import _COMPARE, _PRODUCT, _NEG, Symbol, backward_lines, literal
from ..core.graph import Node, check_root, topological_order
from ..core.numerics import ARRAY
from ..core.tensor import Tensor

_ARRAY_FUNCTIONS = ("div", "pow", "pow_scalar", "exp", "log", "tanh", "sigmoid", "maximum", "minimum", "abs",
                    "sign", "where", "sum_to", "broadcast_to", "scatter_add", "logsumexp")
RUNTIME: dict[str, Any] = {name: getattr(ARRAY, name) for name in _ARRAY_FUNCTIONS}
RUNTIME.update(logical_and=np.logical_and, asarray=np.asarray, concatenate=np.concatenate,
               stack=np.stack, float32=np.float32, float64=np.float64, float16=np.float16,
               inf=math.inf, nan=math.nan)
"""What the names in generated Tensor code mean: ARRAY's own functions (the engine's)."""


class Code:
    """A fixed argument that has no literal (an index array): its name in the code and
    its value (the name is bound in the generated function's namespace)."""

    def __init__(self, name: str, value: Any) -> None:
        self.name, self.value = name, value

    def __repr__(self) -> str:
        return self.name


def _text(x: Any) -> str:
    """Python source for a rule's argument: a symbol, a number, an axis, a shape, an index."""
    if isinstance(x, (Symbol, Code)):
        return str(x)
    if isinstance(x, tuple):
        return "(" + ", ".join(map(_text, x)) + ("," if len(x) == 1 else "") + ")"
    if isinstance(x, list):
        return "[" + ", ".join(map(_text, x)) + "]"
    if isinstance(x, slice):
        parts = ["" if p is None else _text(p) for p in (x.start, x.stop, x.step)]
        return ":".join(parts[:2]) + (f":{parts[2]}" if x.step is not None else "")
    if x is Ellipsis:
        return "..."
    if isinstance(x, np.dtype):
        return x.name
    if x is None or isinstance(x, (bool, int, np.integer)):
        return repr(int(x) if isinstance(x, np.integer) else x)
    if isinstance(x, float):
        return str(literal(x))
    raise NotImplementedError(f"no flat form for a fixed argument of type {type(x).__name__}")


def _index_text(index: Any) -> str:
    parts = index if isinstance(index, tuple) else (index,)
    return ", ".join(_text(p) for p in parts) or "()"


def _probe(x: Any) -> Any:
    """What the symbol stands for, as numpy can compute shapes and dtypes with it."""
    if isinstance(x, TensorSymbol):
        return x.probe
    if isinstance(x, Code):
        return x.value
    if isinstance(x, Symbol):
        return x.value
    if isinstance(x, (tuple, list)):
        return type(x)(_probe(p) for p in x)
    return x


def _shaped(text: str, probe: Any, precedence: int = codegen._ATOM) -> Any:
    """A TensorSymbol for an array result; a bool or number stays what it is."""
    if isinstance(probe, (bool, np.bool_)) and np.ndim(probe) == 0 and not isinstance(probe, np.ndarray):
        return Symbol(text, precedence)
    return TensorSymbol(text, np.asarray(probe), precedence)


def _zeros(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """An array of zeros of any size that takes no memory (what a probe is)."""
    return np.broadcast_to(np.zeros((), dtype=dtype), shape)


class TensorSymbol(Symbol):
    """A numpy expression under construction, with ``probe``: zeros of the shape and dtype
    the expression will have, so rules can read ``.shape``, ``.ndim`` and ``.dtype``."""

    __slots__ = ("probe",)

    def __init__(self, text: str, probe: np.ndarray, precedence: int = codegen._ATOM) -> None:
        super().__init__(text, precedence)
        self.value = None
        self.probe = _zeros(probe.shape, probe.dtype)

    shape = property(lambda self: self.probe.shape, doc="The shape the expression has.")
    ndim = property(lambda self: self.probe.ndim, doc="Its number of dimensions.")
    dtype = property(lambda self: self.probe.dtype, doc="Its dtype.")

    def _binary(self, other: Any, symbol: str, reflected: bool = False) -> Any:
        a, b = (other, self) if reflected else (self, other)
        text = Symbol._binary(self, other, symbol, reflected)
        with np.errstate(all="ignore"):
            probe = _NUMPY_BINARY[symbol](_probe(a), _probe(b))
        if isinstance(text, TensorSymbol) and text.shape == np.shape(probe):
            return text  # x * 1.0 is x
        return TensorSymbol(text.text, np.asarray(probe), text.precedence)

    # defined again here so that ``2.0 * t`` (a Symbol on the left) asks the TensorSymbol
    def __add__(self, other: Any) -> Any:
        return self._binary(other, "+")

    def __radd__(self, other: Any) -> Any:
        return self._binary(other, "+", True)

    def __sub__(self, other: Any) -> Any:
        return self._binary(other, "-")

    def __rsub__(self, other: Any) -> Any:
        return self._binary(other, "-", True)

    def __mul__(self, other: Any) -> Any:
        return self._binary(other, "*")

    def __rmul__(self, other: Any) -> Any:
        return self._binary(other, "*", True)

    def __truediv__(self, other: Any) -> Any:
        return self._binary(other, "/")

    def __rtruediv__(self, other: Any) -> Any:
        return self._binary(other, "/", True)

    def __matmul__(self, other: Any) -> Any:
        return self._binary(other, "@")

    def __rmatmul__(self, other: Any) -> Any:
        return self._binary(other, "@", True)

    def __neg__(self) -> "TensorSymbol":
        return TensorSymbol(f"-{self.operand(_NEG, right=True)}", -self.probe, _NEG)

    def _method(self, name: str, *args: Any, **kwargs: Any) -> "TensorSymbol":
        texts = [_text(a) for a in args] + [f"{k}={_text(v)}" for k, v in kwargs.items()]
        probe = getattr(self.probe, name)(*map(_probe, args), **{k: _probe(v) for k, v in kwargs.items()})
        return TensorSymbol(f"{self.wrapped()}.{name}({', '.join(texts)})", probe)

    def sum(self, axis: Any = None, keepdims: bool = False) -> "TensorSymbol":
        return self._method("sum", axis=axis, keepdims=keepdims)

    def max(self, axis: Any = None, keepdims: bool = False) -> "TensorSymbol":
        return self._method("max", axis=axis, keepdims=keepdims)

    def min(self, axis: Any = None, keepdims: bool = False) -> "TensorSymbol":
        return self._method("min", axis=axis, keepdims=keepdims)

    def reshape(self, *shape: Any) -> "TensorSymbol":
        return self._method("reshape", *shape)

    def transpose(self, axes: Any = None) -> "TensorSymbol":
        return self._method("transpose", axes)

    def astype(self, dtype: Any) -> "TensorSymbol":
        return self._method("astype", np.dtype(dtype))

    @property
    def T(self) -> "TensorSymbol":
        return TensorSymbol(f"{self.wrapped()}.T", self.probe.T)

    def __getitem__(self, index: Any) -> "TensorSymbol":
        return TensorSymbol(f"{self.wrapped()}[{_index_text(index)}]", self.probe[_probe(index)])


_NUMPY_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "@": np.matmul}


def _call(name: str) -> Callable[..., Any]:
    """``name(args)`` in the code, ARRAY's ``name`` on the probes."""
    def call(*args: Any) -> Any:
        with np.errstate(all="ignore"):
            probe = getattr(ARRAY, name)(*map(_probe, args))
        return _shaped(f"{name}({', '.join(map(_text, args))})", probe)
    return call


def _comparison(name: str, symbol: str) -> Callable[[Any, Any], Any]:
    """``a > b`` in the code (numpy's comparison, as ARRAY's ``name``); decided now
    between literals (as SYMBOL's)."""
    def compare(a: Any, b: Any) -> Any:
        if not isinstance(a, TensorSymbol) and not isinstance(b, TensorSymbol):
            return getattr(codegen.SYMBOL, name)(a, b)
        probe = getattr(ARRAY, name)(_probe(a), _probe(b))
        return TensorSymbol(f"{_operand(a)} {symbol} {_operand(b, right=True)}", np.asarray(probe), _COMPARE)
    return compare


def _operand(x: Any, right: bool = False) -> str:
    return x.operand(_COMPARE, right) if isinstance(x, Symbol) else _text(x)


def _both(p: Any, q: Any) -> Any:
    if isinstance(p, bool) or isinstance(q, bool):
        return codegen.SYMBOL.both(p, q)
    return TensorSymbol(f"logical_and({p}, {q})", np.logical_and(_probe(p), _probe(q)))


def _where(cond: Any, x: Any, y: Any) -> Any:
    """``where(cond, x, y)``, ARRAY's selection; a condition decided now picks one side,
    as ARRAY's where returns the chosen side for a condition that is one bool."""
    if isinstance(cond, bool):
        return x if cond else y
    return _call("where")(cond, x, y)


def _join(name: str) -> Callable[[Any, int], Any]:
    def join(symbols: Any, axis: int) -> TensorSymbol:
        probe = getattr(np, name)([_probe(s) for s in symbols], axis=axis)
        return TensorSymbol(f"{name}([{', '.join(map(_text, symbols))}], axis={axis})", probe)
    return join


TENSOR_SYMBOL = SimpleNamespace(
    name="tensor symbol",
    **{name: _call(name) for name in _ARRAY_FUNCTIONS},
    gt=_comparison("gt", ">"), ge=_comparison("ge", ">="), eq=_comparison("eq", "=="), both=_both,
    concatenate=_join("concatenate"), stack=_join("stack"),
)
TENSOR_SYMBOL.where = _where


def _power(name: str) -> Callable[[Any, Any], Any]:
    """``name(a, b)`` (pow or pow_scalar); ``a`` itself for the literal exponent 1.0 (C's
    pow(x, 1) is x, at every x: -0.0, inf and nan too), as in ``x ** 2``'s gradient
    ``2.0 * pow_scalar(x, 1.0)``; ``a * a`` for the literal exponent 2.0 of a variable
    (C's pow(x, 2) is the correctly rounded x², as x * x, and numpy's power squares)."""
    def power(a: Any, b: Any) -> Any:
        if isinstance(b, Symbol) and not isinstance(b, TensorSymbol) and b.value == 1.0:
            return a
        if isinstance(b, Symbol) and not isinstance(b, TensorSymbol) and b.value == 2.0 \
                and str(a).isidentifier():
            return a * a
        return _call(name)(a, b)
    return power


TENSOR_SYMBOL.pow = _power("pow")
TENSOR_SYMBOL.pow_scalar = _power("pow_scalar")
TENSOR_SYMBOL.choose = _where  # pow's choice at a plain-number exponent 0 (ARRAY's: where)
"""Backend for Tensor rules evaluated on symbols: each of ARRAY's functions becomes a call
of that function in numpy code, comparisons numpy comparisons."""


def names_of(order: list[Node]) -> dict[Node, str]:
    """A variable for every node: its label when that is a free identifier (``W1``),
    else ``t<position>``; 0-d constants that are exact numbers get none (written inline)."""
    names: dict[Node, str] = {}
    used = set(RUNTIME) | set(dir(__builtins__))
    for k, node in enumerate(order):
        if inline_constant(node) is not None:
            continue
        label = node.label
        ok = label.isidentifier() and not keyword.iskeyword(label) and not label.startswith(("grad", "ones"))
        name = label if ok and label not in used else f"t{k}"
        while name in used:
            name += "_"
        names[node] = name
        used.add(name)
    return names


def inline_constant(node: Node) -> Symbol | None:
    """A 0-d constant written as a number (``x ** 2.0``) when that is exact: a whole number,
    or any float64 (numpy takes a Python float in the array's dtype)."""
    data = node.data
    if node._op is not None or node.requires_grad or getattr(data, "ndim", 1) != 0:
        return None
    x = float(data)
    if data.dtype == np.float64 or (math.isfinite(x) and x == int(x) and abs(x) < 2**24):
        return literal(x)
    return None


def symbol(node: Node, names: dict[Node, str]) -> Any:
    """A node in the code: its variable (with its shape), or its number."""
    if node not in names:
        return inline_constant(node)
    return TensorSymbol(names[node], node.data)


def _inputs(node: Node, names: dict[Node, str], symbols: dict[Node, Any], runtime: dict) -> list:
    """The rule's inputs: the parents' symbols, then the fixed args (arrays by name)."""
    args = []
    for k, arg in enumerate(node._args):
        if isinstance(arg, np.ndarray) or (isinstance(arg, tuple) and any(
                isinstance(a, np.ndarray) for a in arg)):
            arg = _named_constant(arg, f"{names[node]}_arg{k}", runtime)
        args.append(arg)
    return [symbols[p] if p in symbols else symbol(p, names) for p in node._prev] + args


def _named_constant(arg: Any, name: str, runtime: dict) -> Any:
    if isinstance(arg, tuple):
        return tuple(_named_constant(a, f"{name}_{i}", runtime) if isinstance(a, np.ndarray) else a
                     for i, a in enumerate(arg))
    runtime[name] = arg
    return Code(name, arg)


def refusal(node: Node, err: Exception) -> NotImplementedError:
    """The error for an operation whose rule has no flat form, naming it."""
    return NotImplementedError(
        f"operation {node._op.name!r} has no flat numpy form ({type(err).__name__}: {err}); "
        "run this graph op by op (backward()), not as flat code")


def tensor_forward_lines(order: list[Node], names: dict[Node, str], runtime: dict,
                         indent: str = "    ", spare: set[Node] = frozenset()) -> list[str]:
    """One numpy assignment per operation node, its shape as a comment.

    ``spare`` holds the nodes whose array nothing reads but the one operation after it:
    when that operation is ``a + b``, ``a - b`` or ``a * b`` with ``a`` spare, of the
    output's shape and dtype, and ``a``'s array was made by this code (not an input's
    array under another name, as ``1.0 * x0`` is written ``x0``), it is written in place
    (``s0 += p1``: the same numbers, no new array)."""
    lines = []
    own: set[str] = set()  # the variables holding an array this code made (never an input's)
    for node in order:
        if node._op is None:
            continue
        try:
            inputs = _inputs(node, names, {}, runtime)
            value = node._op.forward(TENSOR_SYMBOL, *inputs)
        except Exception as err:  # a rule that needs the data itself
            raise refusal(node, err) from err
        if not str(value).isidentifier() or str(value) in own:  # (`1.0 * x0` is written `x0`)
            own.add(names[node])
        first = node._prev[0] if node._prev else None
        if first in spare and names[first] in own and node._op.name in _IN_PLACE \
                and value.text.startswith(f"{names[first]} ") \
                and first.data.shape == node.data.shape and first.data.dtype == node.data.dtype:
            lines.append(f"{indent}{names[first]} {_IN_PLACE[node._op.name]}= "
                         f"{inputs[1].operand(_PRODUCT, right=True) if isinstance(inputs[1], Symbol) else inputs[1]}")
            value = names[first]
        lines.append(_commented(f"{indent}{names[node]} = {value}", node.data.shape))
    return lines


_IN_PLACE = {"add": "+", "sub": "-", "mul": "*"}


def _commented(line: str, shape: tuple[int, ...], note: str = "") -> str:
    return f"{line:<44} # {shape}{note}"


def deliver(parent: Node, flow: Any, runtime: dict | None = None) -> Any:
    """What ``parent.accumulate_grad(flow)`` adds: ``flow`` summed back to the parent's shape
    where broadcasting stretched it (``sum_to``), in the parent's dtype.

    The batch sum of a matrix, a bias's gradient, is written as the product ``ones_n @ G``
    (dL/db = 1ᵀ G) when ``runtime`` can take the vector of ones: the very product
    ``sum_to`` computes there (``numerics._sum_leading``), so the same bits."""
    if not isinstance(flow, TensorSymbol):
        flow = TensorSymbol(f"asarray({flow})", np.asarray(_probe(flow)))
    shape, dtype = parent.data.shape, parent.data.dtype
    if flow.shape != shape:
        if runtime is not None and _is_batch_sum(flow, shape):
            text = f"{_ones(flow.shape[0], flow.dtype, runtime)} @ {flow.operand(_PRODUCT, right=True)}"
        else:
            text = f"sum_to({flow}, {shape})"
        flow = TensorSymbol(f"{text}  # {_as_sum(flow, shape)}", _zeros(shape, flow.dtype))
    if flow.dtype != dtype:
        flow = flow.astype(dtype)
    return flow


def _is_batch_sum(flow: TensorSymbol, shape: tuple[int, ...]) -> bool:
    """True when ``sum_to(flow, shape)`` is one product ``ones @ flow``: a non-empty matrix
    of 4- or 8-byte floats summed over its rows."""
    return (flow.ndim == 2 and shape == flow.shape[1:] and flow.probe.size > 0
            and flow.dtype.kind == "f" and flow.dtype.itemsize in (4, 8))


def _ones(n: int, dtype: np.dtype, runtime: dict) -> str:
    """The name of a read-only vector of ``n`` ones of ``dtype`` in ``runtime`` (``ones_100``)."""
    name = f"ones_{n}"
    while name in runtime and not (runtime[name].shape == (n,) and runtime[name].dtype == dtype):
        name += f"_{dtype.name}"
    if name not in runtime:
        runtime[name] = np.ones(n, dtype=dtype)
        runtime[name].setflags(write=False)
    return name


def _as_sum(flow: "TensorSymbol", shape: tuple[int, ...]) -> str:
    """The numpy sum that ``sum_to`` is here: over the axes broadcasting added
    (``.sum(axis=0)``), then over those it stretched (``keepdims=True``)."""
    extra = flow.ndim - len(shape)
    if extra < 0:
        return "broadcast up to the shape"
    text = flow.wrapped()
    if extra:
        text += f".sum(axis={_text(tuple(range(extra))) if extra > 1 else 0})"
    stretched = tuple(k for k, n in enumerate(shape) if n == 1 and flow.shape[extra + k] != 1)
    if stretched:
        text += f".sum(axis={_text(stretched)}, keepdims=True)"
    return f"= {text}: broadcast in the forward pass"


def tensor_backward_lines(root: Node, order: list[Node], names: dict[Node, str], runtime: dict,
                          gradient: "TensorSymbol | None" = None) -> tuple[list[str], dict[Node, Symbol]]:
    """The backward pass, one line per edge: ``codegen.backward_lines`` with the backend
    TENSOR_SYMBOL and Tensor accumulation (:func:`deliver`, never in place), each line
    with its gradient's shape as a comment."""
    current: list[Node] = []
    if gradient is None:
        gradient = TensorSymbol(f"grad_{names[root]}", root.data)

    def inputs_of(node: Node) -> tuple[list, Any]:
        current[:] = [node]
        return _inputs(node, names, {}, runtime), symbol(node, names)

    try:
        lines, grads = backward_lines(root, order, names, runtime, gradient=gradient,
                                      deliver=lambda parent, flow: deliver(parent, flow, runtime),
                                      in_place=False, K=TENSOR_SYMBOL, inputs_of=inputs_of,
                                      variable=lambda name, node: TensorSymbol(name, node.data))
    except Exception as err:  # a rule that needs the data itself
        raise refusal(current[0], err) from err
    shapes = {f"grad_{names[n]}": n for n in order if n in names}
    out = []
    for line in lines:
        node = shapes.get(line.split("=", 1)[0].strip())
        if node is not None:
            code, _, note = line.partition("  # ")
            line = _commented(code, node.data.shape, f" {note}" if note else "")
        out.append(line)
    return out, grads


def generate(root: Tensor, name: str = "forward_backward") -> tuple[str, list[Node], dict[str, Any]]:
    """The source of :func:`flat_code`, the leaves it takes, and its namespace."""
    check_root(root, "flat_code")
    order = topological_order(root)
    names = names_of(order)
    leaves = [n for n in order if n._op is None and n in names]
    needing = [n for n in leaves if n.requires_grad]
    runtime: dict[str, Any] = {}
    lines = [f"def {name}({', '.join(names[n] for n in leaves)}):", "    # forward"]
    lines += tensor_forward_lines(order, names, runtime)
    lines.append("    # backward: downstream gradient = upstream gradient x local gradient")
    seed = f"ones({root.data.shape}, dtype={root.data.dtype.name})"
    lines.append(_commented(f"    grad_{names[root]} = {seed}", root.data.shape))
    backward, assigned = tensor_backward_lines(root, order, names, runtime)
    lines += backward
    grads = ", ".join(str(assigned[n]) if n in assigned else f"zeros_like({names[n]})" for n in needing)
    lines.append(f"    return {names[root]}, [{grads}]")
    runtime.update(ones=np.ones, zeros_like=np.zeros_like)
    return "\n".join(lines) + "\n", leaves, runtime


def flat_code(root: Any, name: str = "forward_backward") -> str:
    """Python source of a function computing ``root`` and its gradients in straight-line
    code: forward assignments, then backward assignments in reverse, one per edge
    (upstream x local).  On a Value graph, :func:`autograd.speed.codegen.flat_code`.

    On a Tensor graph, numpy code: the function takes every leaf (constants such as
    ``X`` too) in graph order and returns ``(output, [gradients of the leaves that
    require grad])``; each line carries its shape as a comment.
    """
    if isinstance(root, Tensor):
        return generate(root, name)[0]
    return codegen.flat_code(root, name)


def compile_backward(root: Any) -> Callable[..., tuple[Any, list[Any]]]:
    """:func:`flat_code` compiled into a function (``inputs`` lists the leaves in parameter
    order, ``source`` holds the code).  On a Value graph,
    :func:`autograd.speed.codegen.compile_backward`."""
    if not isinstance(root, Tensor):
        return codegen.compile_backward(root)
    source, leaves, runtime = generate(root, "forward_backward")
    return codegen.function_of(source, leaves, dict(RUNTIME, **runtime), "<chainrule flat numpy code>")
