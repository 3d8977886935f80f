"""``scalarize``: a Tensor graph zoomed into scalars, one Value per element.

A Tensor operation hides many scalar operations: ``Y = X @ W`` with X of shape
(N, D) is N x M sums of D products each.  :func:`scalarize` rebuilds a small
Tensor graph as a Value graph with exactly those scalar operations, the leaves
labelled like ``W[0,1]``.  Its backward gives the same gradients as the Tensor
graph's, and :func:`autograd.draw_graph` draws it, so one can *see* why
dL/dW = X^T G: each entry of W is used once per row of X, and a value used
several times adds the gradients coming back along each use.

How each Tensor operation is zoomed:

* elementwise operations (``+ - * / ** neg exp log tanh sigmoid relu abs
  max min`` and operations made with :func:`autograd.define_op`): the same
  operation on each pair of elements, after numpy broadcasting (so a bias
  ``b`` added to every row is *one* Value per entry, used once per row);
* ``matmul``: ``Y[i,k] = Σ_j A[i,j] B[j,k]``, one product per term and one sum;
* the operations that only move or combine entries with fixed coefficients
  (``sum``, ``mean``, ``reshape``, ``transpose``, ``broadcast_to``, ``sum_to``,
  indexing, ``concatenate``, ``stack``): each output entry is the sum of the
  input entries it depends on; a moved entry is the same Value, not a copy.
  Which entries those are is read from the operation's own gradient rule
  (:func:`autograd.edge_gradients` with a one-hot upstream gradient), so no
  second copy of any rule is written here.

Softmax, logsumexp, max/min over an axis and ``where`` are refused with a message.
"""
from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from .core.graph import edge_gradients, topological_order
from .core.tensor import Tensor
from .core.value import Value, sum_values
from .define import define_op

DEFAULT_MAX_NODES = 300
"""scalarize refuses graphs that would need more Values than this (drawings stay readable)."""

_ELEMENTWISE = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a ** b,
    "neg": lambda a: -a,
    "exp": lambda a: a.exp(),
    "log": lambda a: a.log(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "abs": lambda a: a.abs(),
    "max": lambda a, b: a.max(b),
    "min": lambda a, b: a.min(b),
}
_LINEAR = {"sum", "mean", "reshape", "transpose", "broadcast_to", "sum_to", "getitem",
           "scatter_add", "concatenate", "stack"}
_REFUSED = {"amax", "amin", "where", "logsumexp", "softmax", "log_softmax"}

_user_ops: dict[int, Any] = {}  # id(op) -> the function define_op made from it, for Values


def scalarize(root: Any, max_nodes: int = DEFAULT_MAX_NODES, *, leaves: bool = False) -> Any:
    """Rebuild the Tensor graph that ``root`` depends on as a graph of Values.

    Returns a :class:`Value` when ``root`` has one element (a loss), else a numpy
    array of Values shaped like ``root``.  Each leaf Tensor becomes one Value per
    entry, labelled ``name[i,j]`` from the Tensor's label (``t0``, ``t1``, ... for
    unlabelled ones); constants stay constants.  Calling ``backward()`` on the
    result gives each leaf Value the gradient of the matching entry of the Tensor
    graph's leaf: d out / d W[i,j] = (d out / d W)[i,j].

    With ``leaves=True`` returns ``(out, mapping)`` where ``mapping`` maps each leaf
    Tensor to its array of Values (read the gradients with ``v.grad``).

    Raises ValueError when the graph would need more than ``max_nodes`` Values
    (the message says which value is largest), and NotImplementedError for an
    operation that has no scalar form here.
    """
    if isinstance(root, Value):
        return (root, {}) if leaves else root
    if not isinstance(root, Tensor):
        raise TypeError(f"scalarize() takes a Tensor (or a Value), not {type(root).__name__}")
    order = topological_order(root)
    _refuse_large(order, max_nodes)
    values: dict[Any, np.ndarray] = {}
    leaf_values: dict[Any, np.ndarray] = {}
    unnamed = itertools.count()
    for node in order:
        if node.op is None:
            name = node.label or (f"t{next(unnamed)}" if node.requires_grad else "")
            values[node] = _leaf(node, name)
            if node.requires_grad:
                leaf_values[node] = values[node]
        else:
            values[node] = _zoom(node, [values[p] for p in node.parents])
            if node.label:
                _label(values[node], node.label)
    out = values[root]
    if out.size == 1:
        out = out.reshape(-1)[0]
    return (out, leaf_values) if leaves else out


def _estimate(node: Any) -> int:
    """About how many Values zooming ``node`` makes."""
    size = int(np.size(node.data))
    op = node.op
    if op is None:
        return size
    if op.name == "matmul":
        inner = np.shape(node.parents[0].data)[-1] if np.ndim(node.parents[0].data) else 1
        return size * (inner + 1)
    if op.name in ("sum", "mean", "sum_to"):
        return size + sum(int(np.size(p.data)) for p in node.parents)
    return size


def _refuse_large(order: list, max_nodes: int) -> None:
    total = sum(_estimate(node) for node in order)
    if total > max_nodes:
        largest = max(order, key=lambda n: np.size(n.data))
        name = f"'{largest.label}'" if largest.label else (
            f"the output of {largest.op.name}" if largest.op else "an unlabelled leaf")
        raise ValueError(
            f"scalarize: this graph would need about {total} Values, more than "
            f"max_nodes={max_nodes} (the largest is {name} with shape {np.shape(largest.data)}); "
            "zoom into smaller shapes, or pass a larger max_nodes"
        )


def _index_text(index: tuple) -> str:
    return "[" + ",".join(str(i) for i in index) + "]" if index else ""


def _leaf(node: Any, name: str) -> np.ndarray:
    data = np.asarray(node.data, dtype=float)
    out = np.empty(data.shape, dtype=object)
    for index in np.ndindex(data.shape):
        label = name + _index_text(index) if name else ""
        out[index] = Value(float(data[index]), label=label, requires_grad=node.requires_grad)
    return out


def _label(array: np.ndarray, name: str) -> None:
    """Name the new Values of an intermediate Tensor ``name[i,j]`` (moved leaves keep theirs)."""
    for index in np.ndindex(array.shape):
        v = array[index]
        if v.op is not None and not v.label:
            v.label = name + _index_text(index)


def _zoom(node: Any, inputs: list[np.ndarray]) -> np.ndarray:
    op = node.op
    if op.name == "matmul":
        return _matmul(*inputs)
    if op.name in _LINEAR:
        return _linear(node, inputs)
    if op.name in _REFUSED or op.variadic or not op.grads:
        raise NotImplementedError(
            f"scalarize cannot zoom into '{op.name}' yet: draw the Tensor graph instead, "
            "or write the operation with elementwise operations, @ and sum"
        )
    apply = _ELEMENTWISE.get(op.name) or _as_value_op(op)
    broadcast = np.broadcast_arrays(*inputs)
    out = np.empty(broadcast[0].shape, dtype=object)
    for index in np.ndindex(out.shape):
        out[index] = apply(*(b[index] for b in broadcast))
    return out


def _as_value_op(op: Any) -> Any:
    """An operation made with define_op, applied to Values (the same rules, read from the Op)."""
    if id(op) not in _user_ops:
        _user_ops[id(op)] = (op, define_op(op.name, op.forward, list(op.grads),
                                           symbol=op.symbol, formula=op.formula))
    return _user_ops[id(op)][1]


def _matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Y[i,k] = Σ_j A[i,j] B[j,k] (1-D operands as numpy treats them)."""
    if a.ndim > 2 or b.ndim > 2:
        raise NotImplementedError("scalarize zooms into @ of vectors and matrices, not batches of matrices")
    a2 = a.reshape(1, -1) if a.ndim == 1 else a
    b2 = b.reshape(-1, 1) if b.ndim == 1 else b
    out = np.empty((a2.shape[0], b2.shape[1]), dtype=object)
    for i, k in np.ndindex(out.shape):
        products = [a2[i, j] * b2[j, k] for j in range(a2.shape[1])]
        out[i, k] = products[0] if len(products) == 1 else sum_values(products)
    if a.ndim == 1 and b.ndim == 1:
        return out.reshape(())
    if a.ndim == 1:
        return out.reshape(-1)
    if b.ndim == 1:
        return out.reshape(-1)
    return out


def _linear(node: Any, inputs: list[np.ndarray]) -> np.ndarray:
    """Each output entry as the sum of the input entries it depends on, with their
    coefficients read from the op's gradient rule (one-hot upstream gradients)."""
    for parent, values in zip(node.parents, inputs):
        if not parent.requires_grad and values.size:
            raise NotImplementedError(
                f"scalarize cannot zoom into '{node.op.name}' of a constant; make it a Tensor "
                "that requires grad, or compute it outside the graph")
    shape = np.shape(node.data)
    out = np.empty(shape, dtype=object)
    for index in np.ndindex(shape):
        onehot = np.zeros(shape)
        onehot[index] = 1.0
        terms = []
        for flow, values in zip(edge_gradients(node, upstream=onehot), inputs):
            flow = np.broadcast_to(np.asarray(flow, dtype=float), values.shape)
            for j in zip(*np.nonzero(flow)):
                terms.append((float(flow[j]), values[j]))
        out[index] = _combine(terms)
    return out


def _combine(terms: list) -> Value:
    if not terms:
        return Value(0.0, requires_grad=False)
    coefficients = {c for c, _ in terms}
    vs = [v for _, v in terms]
    if coefficients == {1.0}:
        return vs[0] if len(vs) == 1 else sum_values(vs)
    if len(coefficients) == 1:
        total = vs[0] if len(vs) == 1 else sum_values(vs)
        return total * coefficients.pop()
    return sum_values([v * c for c, v in terms])
