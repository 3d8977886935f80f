"""Functions of functions: ``grad``, ``value_and_grad``, ``jacobian`` and ``hessian``.

``grad(f)`` is a new function that returns the gradient of ``f`` at its
arguments.  Each call records ``f`` on leaves made from the arguments and runs
the one graph core's :func:`autograd.grad`; there is no other differentiation
engine.

* Plain numbers become Values, numpy arrays and lists become (float) Tensors,
  and the results are plain: a float for a number, an array shaped like the
  input for an array.
* Values and Tensors that require a gradient are used as they are and the
  results are nodes, computed with ``create_graph=True``, so they can be
  differentiated again: ``grad(grad(f))`` is the second derivative and
  ``hessian(f)`` is ``jacobian(grad(f))``.

``f`` is always recorded, even inside ``no_grad()`` (asking for a gradient is
asking for the graph).
"""
from __future__ import annotations

import inspect
import numbers
import warnings
from typing import Any, Callable

import numpy as np

from .core.graph import Node
from .core.mode import enable_grad
from .core.graph import grad as graph_grad
from .core.tensor import Tensor, stack
from .core.tensor_checks import is_int
from .core.value import Value

Argnums = int | tuple[int, ...]


def grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The function ``x -> ∇f(x)``: the gradient of the scalar function ``f`` with
    respect to argument ``argnums`` (a tuple of positions gives a tuple of gradients).

    ∇f(x)_i = ∂f/∂x_i, all of them from one backward pass.  The gradient has the
    input's shape: a float for a number, an array for an array, a node for a node.
    ``f`` must return one number (a Value, or a Tensor with one entry); for more
    outputs use :func:`jacobian`.
    """
    value_and_gradient = value_and_grad(f, argnums)

    def gradient(*args: Any) -> Any:
        return value_and_gradient(*args)[1]

    return _named(gradient, "grad", f)


def value_and_grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The function ``x -> (f(x), ∇f(x))``: the value and the gradient from one forward
    and one backward pass (see :func:`grad`)."""
    _check_transform("value_and_grad", f, argnums)

    def value_and_gradient(*args: Any) -> tuple[Any, Any]:
        call = _Call("grad", f, argnums, args)
        out = call.output()
        _check_scalar(out)
        grads = call.gradients(out, None)
        value = out if call.as_nodes else _plain_scalar(out)
        return value, grads[0] if is_int(argnums) else tuple(grads)

    return _named(value_and_gradient, "value_and_grad", f)


def jacobian(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """The function ``x -> J``: every partial derivative of every output entry,
    J[i..., j...] = ∂f(x)[i...] / ∂x[j...], of shape ``f(x).shape + x.shape``
    (from (n,) to (m,): an (m, n) matrix).

    Row i is e_i^T J, the vector-Jacobian product that one backward pass computes
    with the upstream gradient e_i, so m outputs take m backward passes.  Backprop
    itself never forms J: it only ever needs g^T J for one upstream gradient g.
    """
    _check_transform("jacobian", f, argnums)

    def jacobian_of_f(*args: Any) -> Any:
        call = _Call("jacobian", f, argnums, args)
        out = call.output()
        _check_output("jacobian", out)
        out_shape = np.shape(_data(out))
        rows = []
        for index in np.ndindex(out_shape):
            seed = None
            if out_shape:
                seed = np.zeros(out_shape)
                seed[index] = 1.0
            rows.append(call.gradients(out, seed))
        blocks = [call.assemble([row[k] for row in rows], out_shape, x)
                  for k, x in enumerate(call.inputs)]
        return blocks[0] if is_int(argnums) else tuple(blocks)

    return _named(jacobian_of_f, "jacobian", f)


def hessian(f: Callable[..., Any], argnums: int = 0) -> Callable[..., Any]:
    """The function ``x -> H``: H[i, j] = ∂²f / ∂x_i ∂x_j, the Jacobian of the gradient
    (``jacobian(grad(f))``), of shape ``x.shape + x.shape``; symmetric for smooth f."""
    if not is_int(argnums):
        raise TypeError(f"hessian: argnums must be one int (the argument to differentiate twice), "
                        f"got {argnums!r}")
    _check_transform("hessian", f, argnums)
    return _named(jacobian(grad(f, argnums), argnums), "hessian", f)


# -- one call of a transformed function ---------------------------------------------------
class _Call:
    """The arguments of one call: which are differentiated, as which leaves, and whether
    the results are plain numbers/arrays or nodes (with their own graph)."""

    def __init__(self, transform: str, f: Callable[..., Any], argnums: Argnums, args: tuple) -> None:
        self.f = f
        positions = _positions(transform, argnums, len(args))
        self.as_nodes = any(isinstance(args[k], Node) for k in positions)
        self.create_graph = False
        self.args = list(args)
        for k in positions:
            self.args[k] = self._leaf(args[k], args, k)
        self.inputs = [self.args[k] for k in positions]
        self.positions = positions

    def _leaf(self, x: Any, args: tuple, k: int) -> Node:
        if isinstance(x, Node) and x.requires_grad:
            self.create_graph = True  # x belongs to an enclosing graph: keep the link
            if any(a is x for j, a in enumerate(args) if j != k):
                return x + 0.0  # the same node twice: a separate node per argument
            return x
        if isinstance(x, Node):  # a constant: a leaf with the same data, to differentiate
            return type(x)(x.data, label=x.label)
        if isinstance(x, numbers.Real):
            return Value(x)
        return Tensor(x)  # arrays and lists; integers become float64

    def output(self) -> Any:
        """f's output on the leaves; a UserWarning when it does not depend on them (HIPS
        autograd's "Output seems independent of input"), whose gradient is then 0."""
        with enable_grad():
            out = self.f(*self.args)
        if isinstance(out, (Node, numbers.Real, np.ndarray)) and not getattr(out, "requires_grad", False):
            warnings.warn(f"{_describe_f(self.f)}: the output does not depend on "
                          f"{_argument_names(self.f, self.positions)}, so its gradient is 0. Was a "
                          "Value or Tensor turned into a plain number (float(), math.*, .data, "
                          "a constant)?", UserWarning, stacklevel=4)
        return out

    def gradients(self, out: Any, seed: Any) -> list[Any]:
        """d out / d input for each input (``seed``: the upstream gradient), as nodes when
        the results are nodes, else as plain numbers and arrays."""
        if isinstance(out, Node) and out.requires_grad:
            grads = graph_grad(out, self.inputs, gradient=seed, create_graph=self.create_graph)
        else:  # f does not depend on its inputs (or returned a plain number)
            grads = [x._gradient_result(x._CLEARED_GRAD) for x in self.inputs]
        return grads if self.as_nodes else [_plain(g) for g in grads]

    def assemble(self, rows: list[Any], out_shape: tuple[int, ...], x: Node) -> Any:
        """Rows e_i^T J (each shaped like x) as one Jacobian of shape out_shape + x.shape."""
        shape = out_shape + np.shape(x.data)
        if not out_shape:
            return rows[0]
        if not self.as_nodes:
            return np.array(rows).reshape(shape) if rows else np.zeros(shape)
        if not rows:
            return Tensor(np.zeros(shape), requires_grad=False)
        return stack(rows).reshape(shape)


def _data(x: Any) -> Any:
    return x.data if isinstance(x, Node) else x


def _describe_f(f: Callable[..., Any]) -> str:
    return f"f = {getattr(f, '__name__', type(f).__name__)}"


def _argument_names(f: Callable[..., Any], positions: list[int]) -> str:
    """``argument 0 (x)``, with the parameter's name where the signature tells it."""
    try:
        params = [p.name for p in inspect.signature(f).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    names = [f"argument {k}" + (f" ({params[k]})" if k < len(params) else "") for k in positions]
    return ", ".join(names)


def _plain(g: Node) -> Any:
    return g.data if isinstance(g, Value) else np.array(g.data)


def _plain_scalar(out: Any) -> float:
    return float(np.asarray(_data(out)).reshape(()))


def _check_output(name: str, out: Any) -> None:
    if not isinstance(out, (Node, numbers.Real, np.ndarray)):
        raise TypeError(f"{name}(f): f must return a Value or a Tensor (or a plain number), "
                        f"got {type(out).__name__}: {out!r}")


def _check_scalar(out: Any) -> None:
    """The error backward() gives for a non-scalar output, for grad(f)."""
    _check_output("grad", out)
    if np.size(_data(out)) != 1:
        raise RuntimeError(
            f"grad(f): f returned a {type(out).__name__} of shape {np.shape(_data(out))}; only a "
            "one-element output gets the implicit gradient 1 (as for backward()). Reduce it "
            "first, e.g. .sum() or .mean(), or use jacobian(f) for the derivative of every entry"
        )


def _check_transform(name: str, f: Any, argnums: Any) -> None:
    if not callable(f):
        raise TypeError(f"{name}(f): f must be a function, got {type(f).__name__}: {f!r}")
    if is_int(argnums):
        return
    if isinstance(argnums, tuple) and argnums and all(is_int(k) for k in argnums):
        return
    raise TypeError(f"{name}(f, argnums={argnums!r}): argnums must be an int or a non-empty "
                    "tuple of ints (the positions of the arguments to differentiate)")


def _positions(name: str, argnums: Argnums, n: int) -> list[int]:
    """The argument positions ``argnums`` names, each in range and once."""
    if n == 0:
        raise ValueError(f"{name}(f) was called with no arguments: nothing to differentiate")
    wanted = [argnums] if is_int(argnums) else list(argnums)
    for k in wanted:
        if not -n <= k < n:
            raise ValueError(f"{name}(f, argnums={argnums!r}): f was called with {n} "
                             f"argument(s), so a position must be in {-n}..{n - 1}")
    positions = [int(k) % n for k in wanted]
    if len(set(positions)) != len(positions):
        raise ValueError(f"{name}(f, argnums={argnums!r}): each argument may be named once")
    return positions


def _named(fn: Callable[..., Any], transform: str, f: Callable[..., Any]) -> Callable[..., Any]:
    name = getattr(f, "__name__", type(f).__name__)
    fn.__name__ = fn.__qualname__ = f"{transform}({name})"
    return fn
