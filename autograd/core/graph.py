"""The graph core shared by Value and Tensor: the reference backward driver a student reads.

One kind of node, one iterative topological order, one backward driver and
one anomaly check.  Nothing here is recursive, so a graph of a million nodes
differentiates without ``RecursionError``.  Grad mode (``no_grad`` ...) is in
``autograd.core.mode``.

Threads: backward passes hold one process-wide lock, so passes started from
several threads run one after the other: two threads backpropagating the same graph
leave the leaves with the sum of both passes' gradients, as two calls in a row
would (PyTorch accumulates the same way).  Changing a graph (its data, or its
``.grad`` by hand) while another thread backpropagates through it is not
supported.
"""
from __future__ import annotations

import math
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from .mode import AnomalyError, backward_lock, enable_grad, is_anomaly_enabled
from .op import Op


class Node:
    """A node of the computation graph.

    ``data`` is the forward value, ``grad`` the gradient of the last backward
    pass's output with respect to it, ``_prev`` the ordered tuple of parents
    (``a + a`` has ``a`` twice), ``_op`` the :class:`Op` that made it (None for
    a leaf), ``_args`` that op's fixed arguments, ``requires_grad`` and
    ``label``.  Each kind of node declares how it stores them (slots or
    properties), sets ``K``, the numeric backend its rules run on, and defines
    how a gradient is accumulated into it.
    """

    __slots__ = ()  # each kind of node declares its own layout
    K: Any = None
    K_GRAPH: Any = None
    _CLEARED_GRAD: Any = None

    # -- per-kind hooks --------------------------------------------------
    def accumulate_grad(self, contribution: Any) -> None:  # pragma: no cover - abstract
        """``grad += contribution`` (the first contribution sets it): the one place a
        gradient is added, whichever path computed the contribution."""
        raise NotImplementedError

    def _seed(self, gradient: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _preset_grad(self, grad: Any) -> Any:  # pragma: no cover - abstract
        """A leaf's ``grad`` (what the user set, not None) as backward adds to it; a grad
        that cannot be added to is refused with an error naming this node."""
        raise NotImplementedError

    def _as_node(self, gradient: Any) -> "Node":  # pragma: no cover - abstract
        """A gradient as a node (a constant unless it already is a node)."""
        raise NotImplementedError

    def _gradient_result(self, gradient: Any) -> "Node":  # pragma: no cover - abstract
        """What :func:`grad` returns for this input's accumulated gradient."""
        raise NotImplementedError

    def _in_own_shape(self, contribution: Any) -> Any:
        """A gradient contribution as this node receives it (Tensors sum away broadcasting)."""
        return contribution

    @property
    def is_leaf(self) -> bool:
        """True for nodes made by the user rather than by an operation."""
        return self._op is None

    @property
    def parents(self) -> tuple["Node", ...]:
        """The inputs of the operation that made this node, in order (repeats kept)."""
        return self._prev

    @property
    def op(self) -> Op | None:
        """The operation that made this node, or None for a leaf."""
        return self._op

    def backward(self, gradient: Any = None) -> None:
        """Backpropagate from this node: every node it depends on gets d self / d node.

        Gradients of leaves *accumulate* across calls (``+=``), as in PyTorch:
        zero them (``x.grad = 0`` or ``None``, ``zero_grad()``) between steps.
        Gradients of intermediate nodes are recomputed by each call.
        ``gradient`` is the upstream gradient d L / d self (default 1).

        A pass that raises changes nothing: the leaves' grads are checked before
        any rule runs, and every grad is put back as it was when a rule fails
        part-way (an anomaly, a ``define_op`` rule, Ctrl-C).
        """
        with backward_lock, np.errstate(all="ignore"):
            nodes = _order_over_leaves(self) or topological_order(self)
            saved = [node.grad for node in nodes]
            try:
                for node in _prepare_backward(self, gradient, nodes):
                    if node._op is not None:  # a leaf has no rule to run
                        backprop_node(node)
            except BaseException:
                for node, grad in zip(nodes, saved):
                    node.grad = grad
                raise


def topological_order(root: Node) -> list[Node]:
    """Every node ``root`` depends on, each once, parents before children.

    Iterative depth-first search with an explicit stack (never recursive);
    parents are visited in their order, so the order follows the data flow.
    A node is emitted when the marker ``(node,)`` pushed below its parents is
    popped, i.e. after all of them; a leaf is emitted as soon as it is reached.
    """
    order: list[Node] = []
    visited: set[Node] = set()
    stack: list[Any] = [root]
    push, pop, emit, mark = stack.append, stack.pop, order.append, visited.add
    while stack:
        node = pop()
        if type(node) is tuple:
            emit(node[0])
            continue
        if node in visited:
            continue
        mark(node)
        parents = node._prev
        if not parents:
            emit(node)
            continue
        push((node,))
        for parent in reversed(parents):  # so the first parent is ordered first
            if parent not in visited:
                push(parent)
    return order


def _order_over_leaves(root: Node) -> list[Node] | None:
    """``topological_order(root)`` of a root whose parents are all leaves, without the search
    (a compiled call with its loss is such a graph: one node); None for any other graph."""
    parents = root._prev
    for parent in parents:
        if parent._prev:
            return None
    return [*dict.fromkeys(parents), root]  # each parent once, in order (nodes hash by identity)


def check_root(root: Node, what: str = "backward()") -> None:
    """Refuse to backpropagate from (or, for ``what``, write out) a constant."""
    if not root.requires_grad:
        raise RuntimeError(
            f"{what}: {root!r} does not require grad: it is a constant or was "
            "computed under no_grad(), so there is no graph to differentiate"
        )


def _prepare_backward(root: Node, gradient: Any, order: list[Node] | None = None) -> list[Node]:
    """Check the root, the seed and the leaves' grads, clear intermediate gradients, seed
    the root; return the nodes whose rules must run, in reverse topological order.
    ``order`` is ``topological_order(root)`` when the caller has it already."""
    check_root(root)
    seed = root._seed(gradient)
    order = topological_order(root) if order is None else order
    cleared = root._CLEARED_GRAD
    nodes = []
    for node in reversed(order):
        if node.requires_grad:
            if node._op is not None:
                node.grad = cleared
            elif node.grad is not None:  # a leaf's grad set by hand that cannot be added: refused now
                node.grad = node._preset_grad(node.grad)
            nodes.append(node)
    root.accumulate_grad(seed)
    return nodes


def backprop_node(node: Node, create_graph: bool = False) -> None:
    """Run one node's backward rule: each parent that needs a gradient receives
    upstream x local gradient, accumulated into ``parent.grad``.

    With ``create_graph`` the rule is evaluated on the nodes themselves (backend
    ``node.K_GRAPH``), so the gradients are nodes of a new graph that can be
    differentiated again.
    """
    op = node._op
    if op is None:
        return
    g = node.grad
    prev = node._prev
    if create_graph:
        K = node.K_GRAPH
        inputs = list(prev)
        out = node
    else:
        K = node.K
        inputs = [p.data for p in prev]
        out = node.data
    if node._args:
        inputs.extend(node._args)
    needs = [p.requires_grad for p in prev]
    contributions = op.vjp(K, g, out, inputs, needs)
    check = is_anomaly_enabled()
    for i, parent in enumerate(prev):
        if needs[i]:
            if check:
                _check_finite(node, i, g, contributions[i])
            parent.accumulate_grad(contributions[i])


def grad(output: Node, inputs: list[Node], gradient: Any = None,
         create_graph: bool = False) -> list[Any]:
    """d output / d input for each of ``inputs``, returned rather than accumulated.

    The ``.grad`` of every node is left as it was.  With ``create_graph=True``
    each gradient is itself a node (a Value or Tensor) whose graph can be
    differentiated again, for second and higher derivatives; the rules are the
    same ones backward uses, evaluated on nodes instead of numbers.  An input the
    output does not depend on gets a zero gradient.
    """
    inputs = _checked_grad_arguments(output, inputs)
    if create_graph and output.K_GRAPH is None:
        raise NotImplementedError(
            f"grad(create_graph=True) needs rules evaluated on {type(output).__name__}s; "
            "higher-order gradients are available for Value and Tensor graphs"
        )
    with backward_lock, np.errstate(all="ignore"):
        return _grad(output, inputs, gradient, create_graph)


def _checked_grad_arguments(output: Any, inputs: Any) -> list[Node]:
    """``inputs`` as a list of nodes of ``output``'s kind, or an error naming the argument."""
    if not isinstance(output, Node):
        raise TypeError(f"grad(output, inputs): output must be a Value or a Tensor (the result to "
                        f"differentiate), got {type(output).__name__}: {output!r}")
    kind = type(output).__name__
    if isinstance(inputs, Node):
        raise TypeError(f"grad(output, inputs): inputs must be a list of {kind}s, got one "
                        f"{type(inputs).__name__}: write grad(output, [x])")
    try:
        inputs = list(inputs)
    except TypeError:
        raise TypeError(f"grad(output, inputs): inputs must be a list of {kind}s, got "
                        f"{type(inputs).__name__}: {inputs!r}") from None
    for i, x in enumerate(inputs):
        if not isinstance(x, type(output)):
            raise TypeError(f"grad(output, inputs): inputs[{i}] must be a {kind} (the output is "
                            f"one), got {type(x).__name__}: {x!r}")
    return inputs


def _grad(output: Node, inputs: list[Node], gradient: Any, create_graph: bool) -> list[Any]:
    order = topological_order(output)
    saved = {node: node.grad for node in order}
    saved.update((x, x.grad) for x in inputs)
    try:
        for x in inputs:
            x.grad = x._CLEARED_GRAD
        for node in order:
            if node._op is None:
                node.grad = node._CLEARED_GRAD
        nodes = _prepare_backward(output, gradient, order)
        if create_graph:
            output.grad = output._as_node(output.grad)
        with enable_grad() if create_graph else nullcontext():
            for node in nodes:
                backprop_node(node, create_graph)
        return [x._gradient_result(x.grad) for x in inputs]
    finally:
        for node, value in saved.items():
            node.grad = value


def edge_gradients(node: Node, upstream: Any = None) -> list[Any]:
    """The gradient flowing back along each edge into ``node``'s operation
    (upstream x local), in parent order; None for parents that need none.

    ``upstream`` replaces ``node.grad`` as the upstream gradient, e.g. a
    snapshot from :func:`backward_steps`."""
    op = node._op
    g = node.grad if upstream is None else upstream
    if op is None or g is None:
        return []
    inputs = [p.data for p in node._prev]
    inputs.extend(node._args)
    needs = [p.requires_grad for p in node._prev]
    with np.errstate(all="ignore"):
        flows = op.vjp(node.K, g, node.data, inputs, needs)
    return [parent._in_own_shape(flow) if need else None
            for flow, need, parent in zip(flows, needs, node._prev)]


def is_finite(x: Any) -> bool:
    """True when a number, array or node's data has no nan or inf."""
    if isinstance(x, Node):  # create_graph: the gradients are nodes
        x = x.data
    if isinstance(x, float):
        return math.isfinite(x)
    return bool(np.all(np.isfinite(x)))


def _check_finite(node: Node, index: int, g: Any, contribution: Any) -> None:
    if is_finite(g) and not is_finite(contribution):
        parent = node._prev[index]
        name = f" '{parent.label}'" if parent.label else ""
        raise AnomalyError(
            f"backward of '{node._op.name}' ({node._op.formula}) produced a non-finite "
            f"gradient {contribution!r} for its input {index}{name} from the finite "
            f"upstream gradient {g!r}; the input data were "
            f"{[p.data for p in node._prev]!r}"
        )


@dataclass(frozen=True)
class BackwardStep:
    """The state after one node's backward rule has run (see :func:`backward_steps`).

    ``number`` counts from 0; ``node`` is the node just processed; ``grads``
    maps every node reached so far to a copy of its gradient at this moment
    (nodes absent from it have no gradient yet); ``done`` holds the nodes whose
    rules have run, ``node`` included.
    """

    number: int
    node: Node
    grads: dict[Node, Any]
    done: frozenset[Node]


def _snapshot(grad: Any) -> Any:
    return grad.copy() if isinstance(grad, np.ndarray) else grad


def backward_steps(root: Node, gradient: Any = None) -> Iterator[BackwardStep]:
    """Run ``root.backward(gradient)`` one node at a time, yielding the state after
    each node that needs a gradient has been processed, in the order backward
    visits them.  When the iterator is exhausted every gradient equals a plain
    ``backward()``'s.  Steps run between the caller's ``next()`` calls, outside the
    lock that orders backward passes: step through a graph from one thread at a time.
    The leaves' grads are checked before the first step, but unlike ``backward()`` a
    rule failing at a later step leaves the steps before it done (nothing is put back).
    """
    nodes = _prepare_backward(root, gradient)
    reached = {root}
    done: set[Node] = set()
    for number, node in enumerate(nodes):
        with np.errstate(all="ignore"):
            backprop_node(node)
        done.add(node)
        reached.update(p for p in node._prev if p.requires_grad)
        yield BackwardStep(
            number, node, {n: _snapshot(n.grad) for n in reached}, frozenset(done)
        )
