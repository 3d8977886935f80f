"""Checking backward against central finite differences, and finding the rule that is wrong."""
from __future__ import annotations

import math
import numbers
from typing import Any, Callable

import numpy as np

from .core.graph import Node, is_finite, topological_order
from .core.mode import no_grad
from .core.tensor import Tensor
from .core.value import Value


def central_difference(f: Callable[..., float], *xs: float, arg: int = 0, eps: float = 1e-6) -> float:
    """Estimate d f / d xs[arg] on plain floats:

        (f(..., x + eps, ...) - f(..., x - eps, ...)) / (2 eps)

    whose error shrinks as eps^2 for smooth f.
    """
    _check_tolerances("central_difference", eps=eps)
    up = list(xs)
    down = list(xs)
    up[arg] += eps
    down[arg] -= eps
    return (f(*up) - f(*down)) / (2 * eps)


class GradcheckError(AssertionError):
    """backward and central differences disagree; the message says where and by how much."""


def _leaf(template: Node, data: Any) -> Node:
    return type(template)(data, label=template.label)


def _as_input(x: Any) -> Node:
    """A fresh leaf: Values and Tensors are copied (Tensors in float64, which central
    differences need), numpy arrays and lists become Tensors, numbers Values."""
    if isinstance(x, Node):
        data = x.data
        if isinstance(data, np.ndarray):
            data = data.astype(np.float64)
        return _leaf(x, data)
    if isinstance(x, (np.ndarray, list, tuple)):
        return Tensor(np.array(x, dtype=np.float64))
    return Value(x)


def _scalar(out: Node, weights: Any) -> float:
    """The output reduced to the number whose gradient is checked: sum(out * weights)."""
    return float(np.sum(np.asarray(out.data, dtype=np.float64) * weights))


def gradcheck(
    f: Callable[..., Node],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check ``f``'s gradients from ``backward()`` against central differences.

    ``f`` takes one Value or Tensor per input (plain numbers become Values,
    numpy arrays and lists Tensors) and returns a Value or Tensor.  A non-scalar output is reduced to
    ``sum(out * r)`` with fixed random weights ``r``, so every output element
    is checked.  Each input element's backward gradient ``a`` must match the
    central difference ``n`` within ``|a - n| <= atol + rtol |n|``.

    Returns True, or raises :class:`GradcheckError` naming the first input
    (position, label, element) that disagrees, both numbers and the difference;
    it then checks every operation of the graph on its own and names the first
    one whose gradient rule disagrees with central differences of its forward
    rule (a wrong built-in or :func:`autograd.define_op` rule).
    The caller's inputs are never modified.

    At a point where ``f`` is not differentiable (relu at 0, a tie of max) the slopes
    from the left and from the right differ and central differences give their mean,
    which cannot judge backward's answer: the error says so, and gives the result of
    the same check beside the point, one thousand eps to each side.
    """
    if not callable(f):
        raise TypeError(f"gradcheck: f must be a function, got {type(f).__name__}: {f!r}")
    if not inputs:
        raise ValueError("gradcheck(f, *inputs) needs at least one input to differentiate")
    _check_tolerances("gradcheck", eps=eps, atol=atol, rtol=rtol)
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
        raise TypeError(f"gradcheck: seed must be an int, got {seed!r}")
    return _gradcheck(f, inputs, eps, atol, rtol, seed, beside=False)


def _gradcheck(f: Callable[..., Node], inputs: tuple, eps: float, atol: float, rtol: float,
               seed: int, beside: bool) -> bool:
    """:func:`gradcheck` on checked arguments; ``beside`` marks the check beside a kink."""
    leaves = [_as_input(x) for x in inputs]
    out = f(*leaves)
    if not isinstance(out, Node):
        raise TypeError(f"gradcheck: f must return a Value or Tensor (the output to check), "
                        f"got {type(out).__name__}: {out!r}")
    shape = np.shape(out.data)
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, size=shape) if shape else 1.0
    if out.requires_grad:
        out.backward(weights if shape else None)

    def evaluate(i: int, data: Any) -> float:
        args = [leaf if k != i else _leaf(leaf, data) for k, leaf in enumerate(leaves)]
        with no_grad():
            return _scalar(f(*args), weights)

    try:
        for i, leaf in enumerate(leaves):
            data = leaf.data
            grad = leaf.grad if leaf.grad is not None else np.zeros_like(data)
            name = f" '{leaf.label}'" if leaf.label else ""
            if isinstance(data, np.ndarray):
                if np.shape(grad) != data.shape:
                    raise GradcheckError(f"gradcheck failed for input {i}{name}: backward gives a "
                                         f"gradient of shape {np.shape(grad)} for an input of shape {data.shape}")
                for index in np.ndindex(data.shape):
                    _check_element(lambda d: evaluate(i, d), i, data, index, float(np.asarray(grad)[index]),
                                   f"input {i}{name} at index {index}", eps, atol, rtol)
            else:
                _check_element(lambda d: evaluate(i, d), i, data, None, float(grad), f"input {i}{name}",
                               eps, atol, rtol)
    except _Kink as kink:
        if beside:
            raise GradcheckError(str(kink)) from None
        raise GradcheckError(f"{kink} {_check_beside(f, inputs, kink, eps, atol, rtol, seed)}") from None
    except GradcheckError as failure:
        culprit = wrong_rule(out, eps=eps, atol=atol, rtol=rtol, seed=seed) if out.requires_grad else None
        if culprit is None:
            raise
        raise GradcheckError(f"{failure}\n{culprit}") from None
    return True


class _Kink(Exception):
    """A disagreement at a point where the function is not differentiable."""

    def __init__(self, where: str, position: int, data: Any, index: Any, left: float, right: float,
                 analytic: float) -> None:
        super().__init__(
            f"gradcheck cannot judge {where}: f is not differentiable there (its slope is "
            f"{left!r} from the left and {right!r} from the right, and central differences give "
            f"their mean), so backward's {analytic!r} is neither right nor wrong.")
        self.position, self.data, self.index = position, data, index


def _check_element(evaluate: Callable[[Any], float], position: int, data: Any, index: Any,
                   analytic: float, where: str, eps: float, atol: float, rtol: float) -> None:
    """Compare backward's ``analytic`` with central differences of ``evaluate`` at ``data``
    (input ``position``) moved along ``index`` (None: ``data`` is a number); raise :class:`_Kink` where the
    one-sided slopes differ, :class:`GradcheckError` where they agree."""
    def at(step: float) -> float:
        return evaluate(_moved(data, index, step))

    numeric = (at(eps) - at(-eps)) / (2 * eps)
    if abs(analytic - numeric) <= atol + rtol * abs(numeric):
        return
    slopes = _kink(at, eps, atol, rtol)
    if slopes:
        raise _Kink(where, position, data, index, *slopes, analytic)
    _compare(analytic, numeric, where, atol, rtol)


def _moved(data: Any, index: Any, step: float) -> Any:
    """``data`` + ``step``, or a copy of the array with ``step`` added at ``index``."""
    if index is None:
        return data + step
    copy = data.copy()
    copy[index] += step
    return copy


def _kink(at: Callable[[float], float], eps: float, atol: float, rtol: float) -> tuple | None:
    """(slope from the left, slope from the right) of ``at`` around 0 when they differ
    (the function is not differentiable there), else None."""
    middle = at(0.0)
    left, right = (middle - at(-eps)) / eps, (at(eps) - middle) / eps
    return None if abs(left - right) <= atol + rtol * max(abs(left), abs(right)) else (left, right)


def _check_beside(f: Callable[..., Node], inputs: tuple, kink: _Kink, eps: float, atol: float,
                  rtol: float, seed: int) -> str:
    """The same gradcheck with the kink's input element moved 1000 eps to each side, in words."""
    position, results = kink.position, []
    for step in (-1000 * eps, 1000 * eps):
        data = _moved(kink.data, kink.index, step)
        moved = list(inputs)
        moved[position] = _leaf(inputs[position], data) if isinstance(inputs[position], Node) else data
        try:
            _gradcheck(f, tuple(moved), eps, atol, rtol, seed, beside=True)
            results.append(f"at {step:+g} it passes")
        except GradcheckError as failure:
            results.append(f"at {step:+g} it fails: {failure}")
    return "Beside the point: " + "; ".join(results) + "."


def wrong_rule(root: Node, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
               seed: int = 0) -> str | None:
    """Check every operation of ``root``'s graph on its own, in data-flow order: each
    input's gradient rule, applied to a random upstream gradient ``w``, against central
    differences of ``sum(w * forward(...))`` at that node's recorded inputs.  Returns a
    message naming the first operation and input whose rule disagrees, or None.

    Nodes whose data are not all finite are skipped, and so is an input at a kink (relu
    at 0: the slopes from the left and the right differ), where central differences
    cannot judge a rule."""
    _check_tolerances("wrong_rule", eps=eps, atol=atol, rtol=rtol)
    rng = np.random.default_rng(seed)
    for node in topological_order(root):
        op = node._op
        if op is None or not node.requires_grad:
            continue
        datas = [_float64(p.data) for p in node._prev]
        if not all(is_finite(d) for d in datas + [node.data]):
            continue
        out = op.forward(node.K, *datas, *node._args)
        w = rng.uniform(0.5, 1.5, size=np.shape(out))  # random, so that a forgotten g shows
        if not isinstance(node.data, np.ndarray):
            w = float(w)
        needs = [p.requires_grad for p in node._prev]
        rules = op.vjp(node.K, w, out, datas + list(node._args), needs)
        for i, parent in enumerate(node._prev):
            if not parent.requires_grad:
                continue
            rule = parent._in_own_shape(rules[i])
            problem = _rule_disagrees(node, i, datas, w, np.asarray(rule, dtype=np.float64), eps, atol, rtol)
            if problem:
                label = f" '{parent.label}'" if parent.label else ""
                return (f"the gradient rule of the operation '{op.name}' for its input {i}{label} "
                        f"is wrong: {problem}"
                        + (f" (its formula says: {op.formula})" if op.formula else ""))
    return None


def _float64(data: Any) -> Any:
    return data.astype(np.float64) if isinstance(data, np.ndarray) else data


def _rule_disagrees(node: Node, i: int, datas: list, w: Any, rule: np.ndarray,
                    eps: float, atol: float, rtol: float) -> str | None:
    """Where the rule for input ``i`` and central differences of the forward differ, or None."""
    op = node._op
    x = datas[i]

    def weighted(data: Any) -> float:
        args = list(datas)
        args[i] = data
        return float(np.sum(np.asarray(op.forward(node.K, *args, *node._args), dtype=np.float64) * w))

    if not isinstance(x, np.ndarray):
        numeric = (weighted(x + eps) - weighted(x - eps)) / (2 * eps)
        analytic = float(rule)
        at = f" at inputs {datas!r}"
    else:
        if rule.shape != x.shape:
            return f"it gives a gradient of shape {rule.shape} for an input of shape {x.shape}"
        for index in np.ndindex(x.shape):
            up, down = x.copy(), x.copy()
            up[index] += eps
            down[index] -= eps
            numeric = (weighted(up) - weighted(down)) / (2 * eps)
            analytic = float(rule[index])
            at = f" at index {index}"
            if not abs(analytic - numeric) <= atol + rtol * abs(numeric):
                break
    if abs(analytic - numeric) <= atol + rtol * abs(numeric):
        return None
    if _kink(lambda step: weighted(_moved(x, None if np.ndim(x) == 0 else index, step)), eps, atol, rtol):
        return None  # relu at 0: central differences cannot judge the rule here
    return (f"{at.strip()}, with {f'upstream gradient {float(w)!r}' if np.ndim(w) == 0 else 'a random upstream gradient'}, the rule gives "
            f"{analytic!r} but central differences of the forward rule give {numeric!r}")


def _check_tolerances(where: str, **values: Any) -> None:
    """eps must be positive and finite; atol and rtol non-negative and finite."""
    for name, value in values.items():
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise TypeError(f"{where}: {name} must be a number, got {value!r}")
        if not math.isfinite(value) or value < 0 or (name == "eps" and value == 0):
            need = "a positive" if name == "eps" else "a non-negative"
            raise ValueError(f"{where}: {name} must be {need} finite number, got {value!r}"
                             + (" (central differences divide by 2 eps)" if name == "eps" else ""))


def _compare(analytic: float, numeric: float, where: str, atol: float, rtol: float) -> None:
    allowed = atol + rtol * abs(numeric)
    difference = abs(analytic - numeric)
    if not difference <= allowed:  # also catches nan
        raise GradcheckError(
            f"gradcheck failed for {where}: backward gives {analytic!r}, central "
            f"difference gives {numeric!r} (difference {difference:.3g}, allowed {allowed:.3g})"
        )
