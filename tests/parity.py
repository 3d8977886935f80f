"""Parity with PyTorch: run a random :class:`~tests.strategies.Graph` in chainrule and
in torch (float64), and list every register whose value or gradient differs.

Used by ``tests/test_parity.py`` (a fast share, skipped without torch) and by
``benchmarks/parity.py`` (at least 10,000 graphs, printing the count).

Two numbers agree when both are nan, or both are the same infinity, or both
are finite and differ by no more than two engines' rounding can explain: twice
the running error bound of ``tests/rounding.py`` (0 for exactly computed
results, so those must be equal).  nan against a number, or inf against -inf
or a finite number, is a disagreement.  The sign of zero is not compared
(torch's first gradient contribution is assigned, chainrule's is added to
0.0), but it shows up where it matters, as the sign of an infinity further on.
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

import autograd
from autograd import Tensor, Value
from tests.rounding import bounds
from tests.strategies import Graph

ATOL = 1e-305
"""Absolute slack for subnormal results, whose rounding is absolute, not relative."""


def _apply(name: str, kind: str, args: list, extra: tuple, lib: Any) -> Any:
    """One step on chainrule nodes (``lib`` None) or on torch tensors (``lib`` = torch)."""
    if kind == "unary":
        (a,) = args
        if name == "neg":
            return -a
        return getattr(lib, name)(a) if lib is not None else getattr(a, name)()
    if kind == "binary":
        a, b = args
        if name in ("max", "min"):
            if lib is not None:
                return (lib.maximum if name == "max" else lib.minimum)(a, b)
            if not isinstance(a, (Value, Tensor)):  # a plain number first: make it a constant
                a = type(b)(a, requires_grad=False)
            if isinstance(a, Tensor):  # Tensor.max(number) is torch's reduction overload
                name = {"max": "maximum", "min": "minimum"}[name]
            return getattr(a, name)(b)
        if name == "pow":
            return lib.pow(a, b) if lib is not None else a**b
        return {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b,
                "div": lambda: a / b}[name]()
    if kind == "variadic":
        if lib is None:
            if name == "linear":
                return autograd.linear(list(args[1::2]), list(args[2::2]), args[0])
            return autograd.sum_values(args)
        out = args[0].clone()  # a node of its own even for one operand
        if name == "linear":
            for w, x in zip(args[1::2], args[2::2]):
                out = out + w * x
        else:
            for x in args[1:]:
                out = out + x
        return out
    axis, keepdims = extra  # a reduction
    if lib is None:
        return getattr(args[0], name)(axis=axis, keepdims=keepdims)
    if axis is None:
        r = getattr(args[0], name)()
        return r.reshape([1] * args[0].dim()) if keepdims else r
    return getattr(args[0], name)(dim=axis, keepdim=keepdims)


def run_chainrule(graph: Graph) -> tuple[list, list]:
    """Every register's value and gradient after ``backward(graph.seed)``, as float64 arrays."""
    make = (lambda v, c: Tensor(np.array(v, dtype=np.float64), requires_grad=not c)) if graph.tensor \
        else (lambda v, c: Value(v, requires_grad=not c))
    regs = [make(v, c) for v, c in zip(graph.leaves, graph.constant)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's forward overflow warnings
        for kind, name, operands, extra in graph.steps:
            args = [regs[x] if t == "r" else x for t, x in operands]
            regs.append(_apply(name, kind, args, extra, None))
        out = regs[-1]
        if isinstance(out, (Value, Tensor)) and out.requires_grad:
            out.backward(np.array(graph.seed, dtype=np.float64) if graph.tensor else graph.seed)
    values = [np.asarray(r.data if isinstance(r, (Value, Tensor)) else r, dtype=np.float64) for r in regs]
    grads = [np.zeros_like(v) if not isinstance(r, (Value, Tensor)) or r.grad is None
             else np.asarray(r.grad, dtype=np.float64) for r, v in zip(regs, values)]
    return values, grads


def run_torch(graph: Graph) -> tuple[list, list]:
    """The same in torch, float64; registers that get no gradient count as 0.  A constant
    operand of ``pow`` stays a Python number, as the user writes ``x ** 0.5``."""
    import torch

    def tensor(v: Any, grad: bool) -> Any:
        return torch.tensor(v, dtype=torch.float64, requires_grad=grad)

    regs = [tensor(v, not c) for v, c in zip(graph.leaves, graph.constant)]
    for kind, name, operands, extra in graph.steps:
        # a constant operand of ** is a Python number in torch too (``x ** 0.5`` is torch.sqrt)
        args = [regs[x] if t == "r" else x if name == "pow" else tensor(x, False) for t, x in operands]
        out = _apply(name, kind, args, extra, torch)
        if out.requires_grad:
            out.retain_grad()
        regs.append(out)
    out = regs[-1]
    if out.requires_grad:
        out.backward(tensor(graph.seed, False))
    values = [r.detach().numpy().copy() for r in regs]
    grads = [np.zeros_like(v) if r.grad is None else r.grad.numpy().copy() for r, v in zip(regs, values)]
    return values, grads


def _agree(mine: np.ndarray, theirs: np.ndarray, error: np.ndarray) -> bool:
    """Equal nan-ness and infinities, finite numbers within ``2 error``; where the error
    is unknown (inf) the results are not compared."""
    known = np.isfinite(np.broadcast_to(error, mine.shape))
    mine, theirs, error = mine[known], theirs[known], np.broadcast_to(error, known.shape)[known]
    nan_mine, nan_theirs = np.isnan(mine), np.isnan(theirs)
    if not np.array_equal(nan_mine, nan_theirs):
        return False
    inf_mine, inf_theirs = np.isinf(mine), np.isinf(theirs)
    if not np.array_equal(inf_mine, inf_theirs) or not np.array_equal(mine[inf_mine], theirs[inf_theirs]):
        return False
    finite = ~(nan_mine | inf_mine)
    with np.errstate(all="ignore"):
        return bool(np.all(np.abs(mine[finite] - theirs[finite]) <= ATOL + 2 * error[finite]))


def disagreements(graph: Graph) -> list[str]:
    """Every register whose value or gradient differs from torch's, described; [] when all agree."""
    mine_values, mine_grads = run_chainrule(graph)
    torch_values, torch_grads = run_torch(graph)
    value_errors, grad_errors = bounds(graph)
    found = []
    for k in range(len(mine_values)):
        for what, mine, theirs, error in [("value", mine_values[k], torch_values[k], value_errors[k]),
                                          ("grad", mine_grads[k], torch_grads[k], grad_errors[k])]:
            if mine.shape != theirs.shape or not _agree(mine, theirs, error):
                found.append(f"r{k} {what}: chainrule {mine.tolist()!r}, torch {theirs.tolist()!r}")
    return found


def describe(graph: Graph) -> str:
    """The graph and its disagreements, for a failure message."""
    return f"{graph}\n" + "\n".join(disagreements(graph))

