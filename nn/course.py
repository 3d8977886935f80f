"""Checks for the exercise notebooks, with feedback on the graph.

In an exercise notebook::

    from nn.course import check
    check("matmul", matmul_backward)

runs ``matmul_backward`` on hidden random inputs (new ones on every run, so
numbers copied from somewhere fail), compares what it returns with what the
engine computes, and shows either a pass or what is wrong: which quantity, on
which input, expected and got.  For gradient exercises the graph is drawn with
the wrong value and the edges leaving it in red, the gradient each edge should
carry beside it (upstream x local gradient, the formula from the op table), and
the correct values in grey.  For flat code the first wrong line is named.

:func:`evaluate` does the same without displaying, and returns a
:class:`CheckResult` (the grader, ``chainrule grade``, uses it).

The exercises, by id (see :data:`EXERCISES`): chain_rule, gate_patterns,
flat_code, softplus, relu_vector, matmul, batched_layer, svm, sgd.
"""
from __future__ import annotations

import html
import inspect
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

import autograd
from autograd import Tensor, Value

from .feedback import StudentError, call_student, default_seconds, mark_wrong


class Failure(Exception):
    """A check found a mistake: ``message`` says what, ``drawing`` shows where (or None)."""

    def __init__(self, message: str, drawing: Any = None) -> None:
        super().__init__(message)
        self.message, self.drawing = message, drawing


@dataclass
class CheckResult:
    """The outcome of one check: passed or not, the message, and a drawing of the mistake."""

    exercise: str
    passed: bool
    message: str
    points: int = 0
    max_points: int = 0
    drawing: Any = field(default=None, repr=False)

    def __str__(self) -> str:
        mark = "passed" if self.passed else "not yet"
        return f"[{self.exercise}] {mark}: {self.message}"

    def _repr_html_(self) -> str:
        color = "#2ca02c" if self.passed else "#d62728"
        mark = "✔ passed" if self.passed else "✘ not yet"
        return (f'<div style="border-left:4px solid {color};padding:4px 8px;margin:4px 0">'
                f'<b style="color:{color}">{mark}</b> <code>{html.escape(self.exercise)}</code>'
                f'<pre style="white-space:pre-wrap;margin:4px 0">{html.escape(self.message)}</pre></div>')


@dataclass(frozen=True)
class Exercise:
    """One exercise: ``function`` is the name the notebook gives the student's function;
    ``run(student_function, rng)`` returns a pass message or raises :class:`Failure`."""

    id: str
    title: str
    function: str
    run: Callable[[Callable[..., Any], np.random.Generator], str]
    points: int = 1
    seconds: float = 10.0


# ---------------------------------------------------------------- comparing answers

def _fmt(x: Any) -> str:
    if isinstance(x, np.ndarray):
        return np.array2string(x, precision=4, suppress_small=True, separator=", ")
    if isinstance(x, float):
        return f"{x:.6g}"
    return repr(x)


def _inputs(**named: Any) -> str:
    return ", ".join(f"{k} = {_fmt(v)}" for k, v in named.items())


def _as_number(got: Any, quantity: str) -> float:
    if isinstance(got, (Value, Tensor)):
        got = got.data
    if isinstance(got, np.ndarray) and got.size == 1:
        got = got.reshape(-1)[0]
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.integer, np.floating)):
        raise Failure(f"{quantity} should be a number, but your function returned "
                      f"{type(got).__name__} {_fmt(got)[:80]}")
    got = float(got)
    if math.isnan(got):
        raise Failure(f"{quantity} is nan (not a number): a 0/0, inf - inf or log of a negative number?")
    return got


def _as_array(got: Any, quantity: str, shape: tuple, what_shape: str) -> np.ndarray:
    if isinstance(got, Tensor):
        got = got.data
    if isinstance(got, (list, tuple)):
        try:
            got = np.asarray(got, dtype=float)
        except (ValueError, TypeError):
            raise Failure(f"{quantity} should be a numpy array of shape {shape}, but it is a "
                          f"{type(got).__name__} that numpy cannot read as numbers") from None
    if not isinstance(got, np.ndarray):
        raise Failure(f"{quantity} should be a numpy array of shape {shape}, but your function "
                      f"returned {type(got).__name__} {_fmt(got)[:80]}")
    if got.shape != shape:
        raise Failure(f"{quantity} has shape {got.shape}, but it must have shape {shape}, "
                      f"{what_shape}")
    if not np.issubdtype(got.dtype, np.number) or np.issubdtype(got.dtype, np.complexfloating):
        raise Failure(f"{quantity} should hold real numbers, but its dtype is {got.dtype}")
    if np.isnan(got).any():
        raise Failure(f"{quantity} contains nan (not a number) at {_first(np.isnan(got))}")
    return got.astype(float)


def _first(mask: np.ndarray) -> str:
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return "[" + ",".join(map(str, index)) + "]"


def _close(got: Any, expected: Any) -> bool:
    return bool(np.allclose(got, expected, rtol=1e-6, atol=1e-8))


def _compare_array(got: np.ndarray, expected: np.ndarray, quantity: str, inputs: str) -> None:
    if not _close(got, expected):
        wrong = ~np.isclose(got, expected, rtol=1e-6, atol=1e-8)
        at = _first(wrong)
        index = tuple(int(i) for i in np.argwhere(wrong)[0])
        raise Failure(f"{quantity} is wrong on the input {inputs}.\n"
                      f"expected {_fmt(expected)}\ngot      {_fmt(got)}\n"
                      f"first wrong entry: {quantity}{at} expected {expected[index]:.6g}, got {got[index]:.6g}")


# ---------------------------------------------------------------- feedback on a graph

def _graph_failure(root: Any, named: dict[str, Any], got: dict[str, float], quantity: Callable[[str], str],
                   inputs: str, extra: str = "") -> None:
    """Compare the student's gradients ``got`` (by name) with the graph's; raise a Failure
    pointing at the wrong value nearest the output, drawn in red on the graph."""
    wrong = [name for name in named if name in got and not math.isclose(
        got[name], float(named[name].grad), rel_tol=1e-6, abs_tol=1e-9)]
    if not wrong:
        return
    backward_order = list(reversed(autograd.topological_order(root)))
    position = {id(m): k for k, m in enumerate(backward_order)}  # by identity: == compares data
    first = min(wrong, key=lambda n: position[id(named[n])])
    node = named[first]
    message = (f"{quantity(first)} is wrong on the input {inputs}: expected {float(node.grad):.6g}, "
               f"got {got[first]:.6g}.")
    uses = [(c, i) for c in autograd.topological_order(root) for i, p in enumerate(c.parents) if p is node]
    if len(uses) > 1:
        message += (f"\n{first} is used {len(uses)} times: the gradients coming back along "
                    "each use add up (copy adds).")
    message += extra + "\nIn the drawing: the wrong value in red, the gradient each red edge should carry beside it."
    raise Failure(message, _drawing(root, node, got[first]))


def _drawing(root: Any, wrong: Any, got: float | None = None) -> Any:
    drawing = autograd.draw_graph(root, edge_grads=True, legend=False)
    return mark_wrong(drawing, root, wrong, got)


def _values(**data: float) -> dict[str, Value]:
    return {name: Value(float(x), label=name) for name, x in data.items()}


def _named(result: Any, names: list[str], quantity: str) -> dict[str, float]:
    """The student's gradients by name, from a dict or a tuple in ``names``' order."""
    if isinstance(result, dict):
        missing = [n for n in names if n not in result]
        if missing:
            raise Failure(f"your function returns a dict without the key{'s' * (len(missing) > 1)} "
                          f"{', '.join(map(repr, missing))}: return {{{', '.join(repr(n) + ': ...' for n in names)}}}")
        values = [result[n] for n in names]
    elif isinstance(result, (tuple, list)):
        if len(result) != len(names):
            raise Failure(f"your function returns {len(result)} values; it must return "
                          f"{len(names)}: {', '.join(quantity.format(n) for n in names)}")
        values = list(result)
    else:
        raise Failure(f"your function returns {type(result).__name__} {_fmt(result)[:60]}; it must return "
                      f"{len(names)} numbers: {', '.join(quantity.format(n) for n in names)}")
    return {n: _as_number(v, quantity.format(n)) for n, v in zip(names, values)}


# ---------------------------------------------------------------- 1. the chain rule by hand

def _chain_rule(fn: Callable, rng: np.random.Generator) -> str:
    points = [(-2.0, 5.0, -4.0)] + [tuple(float(v) for v in rng.integers(-9, 10, 3)) for _ in range(2)] \
        + [tuple(rng.normal(size=3) * 3) for _ in range(2)]
    for x, y, z in points:
        v = _values(x=x, y=y, z=z)
        q = v["x"] + v["y"]
        q.label = "q"
        f = q * v["z"]
        f.label = "f"
        f.backward()
        got = _named(call_student(fn, x, y, z, name="chain_rule_grads"), ["x", "y", "z"], "df/d{}")
        _graph_failure(f, v, got, lambda n: f"df/d{n}", _inputs(x=x, y=y, z=z))
    return "df/dx, df/dy and df/dz are right at (-2, 5, -4) and at 4 hidden random points."


# ---------------------------------------------------------------- 2. gate patterns

def gate_graph(x: float, y: float, z: float, w: float) -> tuple[Value, dict[str, Value]]:
    """f = 2 (x y + max(z, w)) + x: mul swaps, max routes, add distributes, x used twice adds."""
    v = _values(x=x, y=y, z=z, w=w)
    p = v["x"] * v["y"]
    p.label = "p"
    m = v["z"].max(v["w"])
    m.label = "m"
    s = p + m
    s.label = "s"
    t = s * 2.0
    t.label = "t"
    f = t + v["x"]
    f.label = "f"
    f.backward()
    return f, v


def _gate_patterns(fn: Callable, rng: np.random.Generator) -> str:
    points = [(3.0, -4.0, 2.0, -1.0)]
    while len(points) < 5:
        point = tuple(float(a) for a in rng.integers(-9, 10, 4))
        if point[2] != point[3]:
            points.append(point)
    for x, y, z, w in points:
        f, v = gate_graph(x, y, z, w)
        got = _named(call_student(fn, x, y, z, w, name="gate_grads"), ["x", "y", "z", "w"], "df/d{}")
        _graph_failure(f, v, got, lambda n: f"df/d{n}", _inputs(x=x, y=y, z=z, w=w))
    return "every gradient is right: add distributes, mul swaps, max routes, copy adds."


# ---------------------------------------------------------------- 3. the sigmoid neuron as flat code

FLAT_LINES = ["s3", "w2", "s2", "s0", "s1", "w1", "x1", "w0", "x0"]
"""The backward lines of the sigmoid neuron, in the order they are written."""


def neuron_graph(w0: float, x0: float, w1: float, x1: float, w2: float) -> tuple[Value, dict[str, Value]]:
    """L = sigmoid(w0 x0 + w1 x1 + w2), as the flat code's lines s0 ... s3, L."""
    v = _values(w0=w0, x0=x0, w1=w1, x1=x1, w2=w2)
    v["s0"] = v["w0"] * v["x0"]
    v["s1"] = v["w1"] * v["x1"]
    v["s2"] = v["s0"] + v["s1"]
    v["s3"] = v["s2"] + v["w2"]
    v["L"] = v["s3"].sigmoid()
    for name in ("s0", "s1", "s2", "s3", "L"):
        v[name].label = name
    v["L"].backward()
    return v["L"], v


def _line_of(fn: Callable, variable: str) -> str:
    """'`grad_s2 = ...` (line 9)' from the student's source, or '' when it cannot be read."""
    try:
        lines, start = inspect.getsourcelines(fn)
    except (OSError, TypeError):
        return ""
    for k, line in enumerate(lines):
        if re.match(rf"\s*{variable}\s*=", line):
            return f" Your line {start + k}: `{line.strip()}`."
    return ""


def _flat_code(fn: Callable, rng: np.random.Generator) -> str:
    points = [(2.0, -1.0, -3.0, -2.0, -3.0)] + [tuple(rng.normal(size=5) * 2) for _ in range(4)]
    for point in points:
        L, v = neuron_graph(*point)
        result = call_student(fn, *point, name="neuron_backward")
        if not isinstance(result, dict):
            raise Failure(f"neuron_backward must end with `return locals()`, but it returned "
                          f"{type(result).__name__} {_fmt(result)[:60]}")
        inputs = _inputs(**dict(zip(["w0", "x0", "w1", "x1", "w2"], point)))
        for name in FLAT_LINES:
            variable = f"grad_{name}"
            if variable not in result:
                raise Failure(f"the line `{variable} = ...` is missing: write the backward lines "
                              f"in this order: {', '.join('grad_' + n for n in FLAT_LINES)}")
            got = _as_number(result[variable], variable)
            if not math.isclose(got, v[name].grad, rel_tol=1e-6, abs_tol=1e-9):
                node = v[name]
                _graph_failure(L, {name: node}, {name: got}, lambda n: f"grad_{n} (the first wrong line)",
                               inputs, extra=_line_of(fn, variable))
    return "every backward line is right, at the lecture's point and at 4 hidden random points."


# ---------------------------------------------------------------- 4. your own operation

def _softplus_forward(K: Any, x: Any) -> Any:
    return K.log(1 + K.exp(x))


SOFTPLUS_FORMULA = "d softplus(x)/dx = σ(x)"

SOFTPLUS = autograd.define_op("softplus", _softplus_forward, [lambda K, g, out, x: g * K.sigmoid(x)],
                              formula=SOFTPLUS_FORMULA)
"""The reference softplus(x) = log(1 + e^x); its local gradient is σ(x)."""


def _softplus(fn: Callable, rng: np.random.Generator) -> str:
    try:
        student = autograd.define_op("softplus", _softplus_forward, [fn])
    except (TypeError, ValueError) as error:
        raise Failure(f"define_op refuses your rule: {error}") from None
    for x0 in [1.0, -2.0, 0.0] + list(rng.normal(size=3) * 3):
        ref = _softplus_graph(SOFTPLUS, x0)
        try:
            mine = call_student(_softplus_graph, student, x0, name="softplus_grad")
        except StudentError as error:
            raise Failure(str(error)) from None
        got = _as_number(mine["x"].grad, "dL/dx through your rule")
        expected = ref["x"].grad
        if not math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-9):
            h = mine["h"]
            raise Failure(
                f"the gradient through softplus is wrong at h = {h.data:.4g} (x = {x0:.4g}): "
                f"dL/dh expected {ref['h'].grad:.6g}, got {float(h.grad):.6g}.\n"
                f"expected local gradient: {SOFTPLUS_FORMULA}, here σ(h) = {1 / (1 + math.exp(-h.data)):.6g}; "
                "your rule must return g times it.", _softplus_drawing(mine, ref))
    return "your softplus gradient rule agrees with the engine's σ(x) on 6 hidden points."


def _softplus_graph(op: Any, x0: float) -> dict[str, Value]:
    x = Value(x0, label="x")
    h = x * 2.0
    h.label = "h"
    y = op(h)
    y.label = "y"
    L = y * 3.0
    L.label = "L"
    L.backward()
    return {"x": x, "h": h, "y": y, "L": L}


def _softplus_drawing(mine: dict, ref: dict) -> Any:
    """The reference graph with h in red and the σ(h) it should receive beside the edge;
    the student's value of dL/dh is in the message."""
    return _drawing(ref["L"], ref["h"], float(mine["h"].grad))


# ---------------------------------------------------------------- 5. relu on a vector

def _relu_vector(fn: Callable, rng: np.random.Generator) -> str:
    cases = [(np.array([1.0, -2.0, 3.0, -1.0]), np.array([4.0, -1.0, 5.0, 9.0]))]
    for n in (4, 6, 9):
        x = rng.normal(size=n)
        x[rng.integers(n)] = 0.0  # relu'(0) = 0
        cases.append((x, rng.normal(size=n) * 5))
    for x, g in cases:
        got = _as_array(call_student(fn, x.copy(), g.copy(), name="relu_backward"), "dL/dx", x.shape,
                        "the shape of x: never form the Jacobian")
        X = Tensor(x, label="x")
        L = (X.relu() * g).sum()
        L.backward()
        inputs = _inputs(x=x, upstream=g)
        if not _close(got, X.grad):
            if x.size <= 6:
                zoomed, leaves = autograd.scalarize(L, leaves=True)
                zoomed.backward()
                entries = leaves[X]
                named = {e.label: e for e in entries}
                _graph_failure(zoomed, named, {e.label: float(got[i]) for i, e in enumerate(entries)},
                               lambda n: f"dL/d{n}", inputs)
            _compare_array(got, X.grad, "dL/dx", inputs)
        negative_zero = (got == 0) & np.signbit(got)
        if negative_zero.any():
            raise Failure(f"dL/dx has -0.0 at {_first(negative_zero)} on the input {inputs}: a gate that "
                          "blocks gives a true 0, not -0 (g * (x > 0) gives -0.0 where g < 0; "
                          "np.where(x > 0, g, 0.0) gives 0.0)")
    return "relu passes the upstream gradient where x > 0 and a true 0 elsewhere, without any Jacobian."


# ---------------------------------------------------------------- 6. Y = X W

def _matrix_failure(L: Any, tensors: dict[str, Tensor], got: dict[str, np.ndarray], inputs: str) -> None:
    """Zoom the graph into scalars, and point at the first wrong entry on it."""
    try:
        zoomed, leaves = autograd.scalarize(L, max_nodes=200, leaves=True)
    except ValueError:
        return
    zoomed.backward()
    named, answers = {}, {}
    for name, tensor in tensors.items():
        for index in np.ndindex(tensor.shape):
            node = leaves[tensor][index]
            named[node.label] = node
            answers[node.label] = float(got[name][index])
    _graph_failure(zoomed, named, answers, lambda n: f"dL/d{n}", inputs,
                   extra="\n(The Tensor graph zoomed into scalars: one value per entry.)")


def _matrix_exercise(fn: Callable, rng: np.random.Generator, name: str, shapes: list[dict[str, tuple]],
                     loss: Callable[..., Any], answers: list[str], why: dict[str, str],
                     constants: tuple[str, ...] = ("G",)) -> None:
    for k, case in enumerate(shapes):
        data = {n: rng.normal(size=s) for n, s in case.items()}
        result = call_student(fn, *[d.copy() for d in data.values()], name=name)
        if not isinstance(result, (tuple, list)) or len(result) != len(answers):
            raise Failure(f"{name} must return {len(answers)} arrays: "
                          f"{', '.join('dL/d' + a for a in answers)}; it returned {type(result).__name__} "
                          f"{_fmt(result)[:60]}")
        tensors = {n: Tensor(d, label=n) for n, d in data.items() if n not in constants}
        L = loss(**{n: tensors.get(n, d) for n, d in data.items()})
        L.backward()
        got = {a: _as_array(r, f"dL/d{a}", data[a].shape, why[a]) for a, r in zip(answers, result)}
        inputs = _inputs(**data)
        for a in answers:
            if not _close(got[a], tensors[a].grad):
                if k == 0:
                    _matrix_failure(L, {x: tensors[x] for x in answers}, got, inputs)
                _compare_array(got[a], tensors[a].grad, f"dL/d{a}", inputs)


def _matmul(fn: Callable, rng: np.random.Generator) -> str:
    why = {"X": "X's shape (N, D): (N, M) @ (M, D) is G @ W.T, the only way to make the shapes match",
           "W": "W's shape (D, M): (D, N) @ (N, M) is X.T @ G, the only way to make the shapes match"}
    _matrix_exercise(fn, rng, "matmul_backward", [dict(X=(2, 3), W=(3, 2), G=(2, 2)),
                                                  dict(X=(5, 4), W=(4, 3), G=(5, 3))],
                     lambda X, W, G: ((X @ W) * G).sum(), ["X", "W"], why)
    return "dL/dX = G Wᵀ and dL/dW = Xᵀ G, right on hidden random matrices."


def _batched_layer(fn: Callable, rng: np.random.Generator) -> str:
    why = {"O": "O's shape (m, d): G @ W.T", "W": "W's shape (d, n): O.T @ G",
           "b": "b's shape (n,): the sum of G over the batch, G.sum(axis=0)"}
    _matrix_exercise(fn, rng, "layer_backward", [dict(O=(2, 2), W=(2, 2), b=(2,), G=(2, 2)),
                                                 dict(O=(6, 4), W=(4, 3), b=(3,), G=(6, 3))],
                     lambda O, W, b, G: ((O @ W + b) * G).sum(), ["O", "W", "b"], why)
    return "dW = Oᵀ G, db = 1ᵀ G (summed over the batch) and dO = G Wᵀ, all right."


# ---------------------------------------------------------------- 8. multiclass SVM with L2

def svm_loss_tensor(W: Any, X: np.ndarray, y: np.ndarray, reg: float) -> Any:
    """The lecture's loss on Tensors: mean_i Σ_{j≠y_i} max(0, s_j - s_{y_i} + 1) + reg Σ W²."""
    n = X.shape[0]
    scores = X @ W
    correct = scores[np.arange(n), y].reshape(n, 1)
    mask = np.ones(scores.shape)
    mask[np.arange(n), y] = 0.0
    margins = (scores - correct + 1.0).relu() * mask
    return margins.sum() * (1.0 / n) + (W * W).sum() * reg


def _svm(fn: Callable, rng: np.random.Generator) -> str:
    for n, d, c in [(2, 2, 3), (8, 5, 4), (20, 6, 5)]:
        W, X = rng.normal(size=(d, c)) * 0.5, rng.normal(size=(n, d))
        y, reg = rng.integers(0, c, n), float(rng.uniform(0.01, 0.5))
        result = call_student(fn, W.copy(), X.copy(), y.copy(), reg, name="svm_loss")
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise Failure(f"svm_loss must return (loss, dW); it returned {type(result).__name__} {_fmt(result)[:60]}")
        Wt = Tensor(W, label="W")
        L = svm_loss_tensor(Wt, X, y, reg)
        L.backward()
        inputs = _inputs(W=W, X=X, y=y, reg=reg)
        loss = _as_number(result[0], "the loss")
        if not math.isclose(loss, float(L.data), rel_tol=1e-6, abs_tol=1e-9):
            raise Failure(f"the loss is wrong on the input {inputs}: expected {float(L.data):.6g}, got {loss:.6g}."
                          "\nL = (1/N) Σ_i Σ_(j≠y_i) max(0, s_j - s_(y_i) + 1) + reg Σ W²")
        dW = _as_array(result[1], "dL/dW", W.shape, "W's shape (D, C)")
        if not _close(dW, Wt.grad) and n * d * c <= 12:
            _matrix_failure(L, {"W": Wt}, {"W": dW}, inputs)
        _compare_array(dW, Wt.grad, "dL/dW", inputs)
    return "the loss and dL/dW are right, including the L2 term's 2 reg W."


# ---------------------------------------------------------------- 9. minibatch SGD

SGD_ACCURACY = 0.85
"""The held-out accuracy the trained two-layer network must reach on the spiral (within the
exercise's 90 seconds)."""


def sgd_data(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Three spiral arms, 300 points to train on and 150 held out."""
    from .data import make_spiral
    X, y = make_spiral(450, classes=3, noise=0.15, seed=seed)
    return X[:300], y[:300], X[300:], y[300:]


def two_layer_scores(params: dict, X: np.ndarray) -> np.ndarray:
    """The two-layer network's class scores relu(X W1 + b1) W2 + b2 (rows are samples)."""
    return np.maximum(0.0, X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]


def _sgd(fn: Callable, rng: np.random.Generator) -> str:
    X, y, X_test, y_test = sgd_data(int(rng.integers(1 << 30)))
    params = call_student(fn, X.copy(), y.copy(), name="train")
    if not isinstance(params, dict):
        raise Failure(f"train must return a dict of parameters {{'W1', 'b1', 'W2', 'b2'}}, not {type(params).__name__}")
    missing = [k for k in ("W1", "b1", "W2", "b2") if k not in params]
    if missing:
        raise Failure(f"the parameters returned by train lack {', '.join(missing)}")
    try:
        scores = two_layer_scores({k: np.asarray(v, dtype=float) for k, v in params.items()}, X_test)
    except (ValueError, TypeError) as error:
        raise Failure(f"the parameters cannot compute relu(X W1 + b1) W2 + b2 for X of shape "
                      f"{X_test.shape}: {error}") from None
    if scores.shape != (len(X_test), 3):
        raise Failure(f"the scores have shape {scores.shape}, expected {(len(X_test), 3)} (one per class)")
    if np.isnan(scores).any():
        raise Failure("the scores contain nan: did the training diverge? try a smaller learning rate")
    accuracy = float((scores.argmax(axis=1) == y_test).mean())
    if accuracy < SGD_ACCURACY:
        raise Failure(f"held-out accuracy {accuracy:.2f} on a hidden spiral, needs {SGD_ACCURACY:.2f}: "
                      "more steps, more hidden units, or another learning rate?")
    return f"held-out accuracy {accuracy:.2f} on a hidden spiral (needed {SGD_ACCURACY:.2f})."


# ---------------------------------------------------------------- the table and the entry points

EXERCISES: dict[str, Exercise] = {e.id: e for e in [
    Exercise("chain_rule", "The chain rule by hand", "chain_rule_grads", _chain_rule),
    Exercise("gate_patterns", "Gate patterns", "gate_grads", _gate_patterns),
    Exercise("flat_code", "The sigmoid neuron as flat code", "neuron_backward", _flat_code, points=2),
    Exercise("softplus", "Your own operation", "softplus_grad", _softplus),
    Exercise("relu_vector", "relu on a vector, without the Jacobian", "relu_backward", _relu_vector),
    Exercise("matmul", "Y = X W", "matmul_backward", _matmul, points=2),
    Exercise("batched_layer", "The batched layer Z = O W + 1 bᵀ", "layer_backward", _batched_layer, points=2),
    Exercise("svm", "The multiclass SVM loss with L2", "svm_loss", _svm, points=3),
    Exercise("sgd", "Minibatch SGD", "train", _sgd, points=3, seconds=90),
]}
"""Every exercise by id, in the order of the lecture notes."""


def evaluate(exercise_id: str, student_function: Any, seed: int | None = None,
             seconds: float | None = None) -> CheckResult:
    """Run one check and return its :class:`CheckResult` (nothing is displayed).

    ``seed`` fixes the hidden inputs (the grader and the tests leave it None: new
    inputs on every run); ``seconds`` replaces the exercise's time limit for each call
    of the student's function.  Never raises for the student's mistakes."""
    exercise = EXERCISES.get(exercise_id)
    if exercise is None:
        known = ", ".join(EXERCISES)
        return CheckResult(str(exercise_id), False, f"there is no exercise {exercise_id!r}; the exercises are: {known}")
    rng = np.random.default_rng(seed)
    try:
        with np.errstate(all="ignore"), default_seconds(seconds or exercise.seconds):
            message = exercise.run(student_function, rng)
    except Failure as failure:
        return CheckResult(exercise.id, False, failure.message, 0, exercise.points, failure.drawing)
    except StudentError as error:
        return CheckResult(exercise.id, False, str(error), 0, exercise.points)
    except Exception as error:  # a bug in the check itself: say so, in one line
        return CheckResult(exercise.id, False, f"the check itself failed ({type(error).__name__}: {error}); "
                           "this is chainrule's mistake, not yours: tell your teacher", 0, exercise.points)
    return CheckResult(exercise.id, True, message, exercise.points, exercise.points)


def check(exercise_id: str, student_function: Any) -> None:
    """Check ``student_function`` for the exercise ``exercise_id`` on hidden random inputs and
    show the outcome: a pass, or what is wrong with the graph drawn, the mistake in red.

    In a notebook the result and its drawing are displayed; elsewhere they are printed.
    Use :func:`evaluate` for the :class:`CheckResult` itself.  While ``chainrule grade``
    runs a notebook (environment variable ``CHAINRULE_GRADING`` set) this does nothing:
    the grader checks every exercise itself after the notebook has run."""
    if os.environ.get("CHAINRULE_GRADING"):
        print(f"[{exercise_id}] checked by the grader")
        return
    _show(evaluate(exercise_id, student_function))


def _show(result: CheckResult) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        get_ipython = None  # type: ignore[assignment]
    if get_ipython is not None and get_ipython() is not None:
        display(HTML(result._repr_html_()))
        if result.drawing is not None:
            display(result.drawing)
        return
    print(result)
