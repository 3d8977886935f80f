"""The elementwise operations shared by Value and Tensor.

Each entry is an :class:`~autograd.core.op.Op`: forward rule and, per input, the
gradient that input receives, written as *upstream x local gradient*.
In the formulas below ``g`` is the upstream gradient and ``out`` the output.

Every rule gives what PyTorch (float64) gives, at every point, the reference
being checked on random graphs by ``tests/test_parity.py``:

* relu, max and min *mask*: the input a gate blocks gets exactly 0 (by
  ``K.where``, a selection) even when ``g`` is inf or nan.  A nan input is
  not blocked: relu'(nan) passes ``g``; max/min with a nan operand pass ``g``
  to both inputs; at a tie each input gets ``g/2``.
* abs multiplies, as torch does: ``g * sign(a)`` with sign(0) = sign(nan) = 0,
  so abs'(0) = 0 for a finite ``g`` but ``inf * 0 = nan`` for an infinite one.
* pow masks where torch does: d(a^b)/da is exactly 0 where b = 0 (so x**0
  and the constant term of a polynomial give no nan at x = 0), and
  d(a^b)/db is 0 where a = 0 and b >= 0 (0**p with respect to p).
* pow is two operations with the same rules, as torch has two: POW_SCALAR is
  ``x ** b`` with b a plain Python number (``K.pow_scalar``: C's pow, but b = 0.5 is
  sqrt(a) and b = -0.5 is 1/sqrt(a), so (-0.0)**0.5 is -0.0 with gradient -inf and
  (-inf)**0.5 is nan); POW is ``a ** b`` with b a node, a Value or Tensor even one
  made by ``constant()`` (``K.pow``, ``torch.pow(tensor, tensor)``: C's pow
  everywhere, (-0.0)**0.5 is 0.0 with gradient inf).  The plain number is still
  recorded as a constant node, the second input.  As in torch, d(a^b)/da at b = 0
  is a choice made once for a plain number (``K.choose``: x**0's gradient is a
  constant 0, so its second derivative is 0 at a = 0) and a selection recorded
  for a node (``K.where``: the 0 sent to the other side meets 0**-1 = inf there,
  and the second derivative is nan).
* The rest is IEEE arithmetic written in torch's order of operations (for
  example ``-g * (out / b)`` for division), so overflows agree as well.
"""
from __future__ import annotations

from typing import Any, Callable

from .op import Op

ADD = Op(
    "add", "+",
    lambda K, a, b: a + b,
    (lambda K, g, out, a, b: g,
     lambda K, g, out, a, b: g),
    "d(a+b)/da = 1, d(a+b)/db = 1",
)
SUB = Op(
    "sub", "-",
    lambda K, a, b: a - b,
    (lambda K, g, out, a, b: g,
     lambda K, g, out, a, b: -g),
    "d(a-b)/da = 1, d(a-b)/db = -1",
)
MUL = Op(
    "mul", "*",
    lambda K, a, b: a * b,
    (lambda K, g, out, a, b: g * b,
     lambda K, g, out, a, b: g * a),
    "d(ab)/da = b, d(ab)/db = a",
)
DIV = Op(
    "div", "/",
    lambda K, a, b: K.div(a, b),
    (lambda K, g, out, a, b: K.div(g, b),
     lambda K, g, out, a, b: -g * K.div(out, b)),
    "d(a/b)/da = 1/b, d(a/b)/db = -a/b^2",
)
NEG = Op(
    "neg", "neg",
    lambda K, a: -a,
    (lambda K, g, out, a: -g,),
    "d(-a)/da = -1",
)
def _power(name: str, power: Callable[[Any], Callable], select: Callable[[Any], Callable],
           kind: str) -> Op:
    """pow's operation for one kind of exponent: ``power(K)`` its pow function, ``select(K)``
    how it takes 0 where b = 0.  The rules are written here once, for both kinds."""
    return Op(
        name, "**",
        lambda K, a, b: power(K)(a, b),
        (lambda K, g, out, a, b: select(K)(K.eq(b, 0.0), 0.0, g * (b * power(K)(a, b - 1))),
         lambda K, g, out, a, b: g * K.where(K.both(K.eq(a, 0.0), K.ge(b, 0.0)), 0.0, out * K.log(a))),
        f"a ** b, {kind}: d(a^b)/da = b a^(b-1) (0 where b = 0), "
        "d(a^b)/db = a^b ln(a) (0 where a = 0, b >= 0)",
    )


POW = _power("pow", lambda K: K.pow, lambda K: K.where,
             "b a node (torch.pow(tensor, tensor): C's pow)")
POW_SCALAR = _power("pow_scalar", lambda K: K.pow_scalar, lambda K: K.choose,
                    "b a plain number (torch's x ** 0.5 takes sqrt at b = ±0.5)")
SQRT = Op(
    "sqrt", "√",
    lambda K, a: K.pow_scalar(a, 0.5),  # torch's sqrt: -0.0 at -0.0, nan at -inf
    (lambda K, g, out, a: K.div(g, 2 * out),),
    "d√a/da = 1 / (2 √a), written with the output as torch's sqrt (so its second "
    "derivative at -0.0 is torch's, which differs from that of a ** 0.5)",
)
EXP = Op(
    "exp", "exp",
    lambda K, a: K.exp(a),
    (lambda K, g, out, a: g * out,),
    "d(e^a)/da = e^a",
)
LOG = Op(
    "log", "log",
    lambda K, a: K.log(a),
    (lambda K, g, out, a: K.div(g, a),),
    "d(ln a)/da = 1/a",
)
TANH = Op(
    "tanh", "tanh",
    lambda K, a: K.tanh(a),
    (lambda K, g, out, a: g * (1 - out * out),),
    "d(tanh a)/da = 1 - tanh(a)^2",
)
SIGMOID = Op(
    "sigmoid", "σ",
    lambda K, a: K.sigmoid(a),
    (lambda K, g, out, a: g * (1 - out) * out,),
    "dσ(a)/da = σ(a) (1 - σ(a))",
)
RELU = Op(
    "relu", "ReLU",
    lambda K, a: K.maximum(a, 0.0),                  # max(a, 0): -0.0 stays -0.0, nan stays nan (torch)
    (lambda K, g, out, a: K.where(K.ge(0.0, a), 0.0, g),),  # blocked (exactly 0) where a <= 0
    "d relu(a)/da = 1 if a > 0 else 0 (masked: exactly 0 at a <= 0, even for g = inf or nan)",
)
ABS = Op(
    "abs", "abs",
    lambda K, a: K.abs(a),
    (lambda K, g, out, a: g * K.sign(a),),
    "d|a|/da = sign(a) (0 at a = 0, multiplied as torch does: inf * 0 = nan)",
)
MAX = Op(
    "max", "max",
    lambda K, a, b: K.maximum(a, b),
    # g to the larger input, exactly 0 to the smaller, g/2 to each at a tie
    (lambda K, g, out, a, b: K.where(K.eq(a, b), g * 0.5, K.where(K.gt(b, a), 0.0, g)),
     lambda K, g, out, a, b: K.where(K.eq(a, b), g * 0.5, K.where(K.gt(a, b), 0.0, g))),
    "d max(a,b)/da = 1 if a > b, 1/2 if a = b, else 0 (masked)",
)
MIN = Op(
    "min", "min",
    lambda K, a, b: K.minimum(a, b),
    # g to the smaller input, exactly 0 to the larger, g/2 to each at a tie
    (lambda K, g, out, a, b: K.where(K.eq(a, b), g * 0.5, K.where(K.gt(a, b), 0.0, g)),
     lambda K, g, out, a, b: K.where(K.eq(a, b), g * 0.5, K.where(K.gt(b, a), 0.0, g))),
    "d min(a,b)/da = 1 if a < b, 1/2 if a = b, else 0 (masked)",
)


def _linear_forward(K, *inputs):
    b = inputs[0]
    for k in range(1, len(inputs), 2):
        b = b + inputs[k] * inputs[k + 1]
    return b


def _linear_vjp(K, g, out, inputs, needs):
    # inputs are (b, w1, x1, w2, x2, ...): d/db = 1, d/dw_k = x_k, d/dx_k = w_k
    grads = [g if needs[0] else None]
    for k in range(1, len(needs), 2):
        grads.append(g * inputs[k + 1] if needs[k] else None)  # w_k gets g x_k (mul swaps)
        grads.append(g * inputs[k] if needs[k + 1] else None)  # x_k gets g w_k
    return grads


LINEAR = Op(
    "linear", "Σwx+b",
    _linear_forward,
    formula="out = b + Σ_k w_k x_k; d/db = 1, d/dw_k = x_k, d/dx_k = w_k",
    variadic=True,
    vjp=_linear_vjp,  # all inputs in one pass: a neuron has many
)
SUM = Op(
    "sum", "Σ",
    lambda K, *inputs: sum(inputs[1:], inputs[0]),
    (lambda K, i, g, out, inputs: g,),
    "d(Σ_k a_k)/da_i = 1",
    variadic=True,
)
