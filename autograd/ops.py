"""The elementwise operations shared by Value and Tensor.

Each entry is an :class:`~autograd.op.Op`: forward rule and, per input, the
gradient that input receives, written as *upstream x local gradient*.
In the formulas below ``g`` is the upstream gradient and ``out`` the output.
"""
from __future__ import annotations

from .op import Op

ADD = Op(
    "add", "+",
    lambda K, a, b: a + b,
    (lambda K, g, out, a, b: g,                      # d(a+b)/da = 1
     lambda K, g, out, a, b: g),                     # d(a+b)/db = 1
    "d(a+b)/da = 1, d(a+b)/db = 1",
)
SUB = Op(
    "sub", "-",
    lambda K, a, b: a - b,
    (lambda K, g, out, a, b: g,                      # d(a-b)/da = 1
     lambda K, g, out, a, b: -g),                    # d(a-b)/db = -1
    "d(a-b)/da = 1, d(a-b)/db = -1",
)
MUL = Op(
    "mul", "*",
    lambda K, a, b: a * b,
    (lambda K, g, out, a, b: g * b,                  # d(ab)/da = b
     lambda K, g, out, a, b: g * a),                 # d(ab)/db = a
    "d(ab)/da = b, d(ab)/db = a",
)
DIV = Op(
    "div", "/",
    lambda K, a, b: K.div(a, b),
    (lambda K, g, out, a, b: K.div(g, b),            # d(a/b)/da = 1/b
     lambda K, g, out, a, b: -K.div(g * out, b)),    # d(a/b)/db = -a/b^2 = -out/b
    "d(a/b)/da = 1/b, d(a/b)/db = -a/b^2",
)
NEG = Op(
    "neg", "neg",
    lambda K, a: -a,
    (lambda K, g, out, a: -g,),                      # d(-a)/da = -1
    "d(-a)/da = -1",
)
POW = Op(
    "pow", "**",
    lambda K, a, b: K.pow(a, b),
    (lambda K, g, out, a, b: g * b * K.pow(a, b - 1),  # d(a^b)/da = b a^(b-1)
     lambda K, g, out, a, b: g * out * K.log(a)),       # d(a^b)/db = a^b ln a
    "d(a^b)/da = b a^(b-1), d(a^b)/db = a^b ln(a)",
)
EXP = Op(
    "exp", "exp",
    lambda K, a: K.exp(a),
    (lambda K, g, out, a: g * out,),                 # d(e^a)/da = e^a
    "d(e^a)/da = e^a",
)
LOG = Op(
    "log", "log",
    lambda K, a: K.log(a),
    (lambda K, g, out, a: K.div(g, a),),             # d(ln a)/da = 1/a
    "d(ln a)/da = 1/a",
)
TANH = Op(
    "tanh", "tanh",
    lambda K, a: K.tanh(a),
    (lambda K, g, out, a: g * (1 - out * out),),     # d(tanh a)/da = 1 - tanh(a)^2
    "d(tanh a)/da = 1 - tanh(a)^2",
)
SIGMOID = Op(
    "sigmoid", "σ",
    lambda K, a: K.sigmoid(a),
    (lambda K, g, out, a: g * (out * (1 - out)),),   # dσ/da = σ(a)(1 - σ(a))
    "dσ(a)/da = σ(a) (1 - σ(a))",
)
RELU = Op(
    "relu", "ReLU",
    lambda K, a: K.maximum(a, 0.0),
    (lambda K, g, out, a: g * K.step(a),),           # d relu(a)/da = 1 if a > 0 else 0
    "d relu(a)/da = 1 if a > 0 else 0 (0 at a = 0)",
)
ABS = Op(
    "abs", "abs",
    lambda K, a: K.abs(a),
    (lambda K, g, out, a: g * K.sign(a),),           # d|a|/da = sign(a), 0 at a = 0
    "d|a|/da = sign(a) (0 at a = 0)",
)
MAX = Op(
    "max", "max",
    lambda K, a, b: K.maximum(a, b),
    (lambda K, g, out, a, b: g * K.share(a, b),      # 1 if a > b, 1/2 at a tie, else 0
     lambda K, g, out, a, b: g * K.share(b, a)),
    "d max(a,b)/da = 1 if a > b, 1/2 if a = b, else 0",
)
MIN = Op(
    "min", "min",
    lambda K, a, b: K.minimum(a, b),
    (lambda K, g, out, a, b: g * K.share(b, a),      # 1 if a < b, 1/2 at a tie, else 0
     lambda K, g, out, a, b: g * K.share(a, b)),
    "d min(a,b)/da = 1 if a < b, 1/2 if a = b, else 0",
)


def _linear_forward(K, *inputs):
    b = inputs[0]
    for k in range(1, len(inputs), 2):
        b = b + inputs[k] * inputs[k + 1]
    return b


LINEAR = Op(
    "linear", "Σwx+b",
    _linear_forward,
    # inputs are (b, w1, x1, w2, x2, ...): d/db = 1, d/dw_k = x_k, d/dx_k = w_k
    (lambda K, i, g, out, inputs: g if i == 0 else g * inputs[i + 1 if i % 2 else i - 1],),
    "out = b + Σ_k w_k x_k; d/db = 1, d/dw_k = x_k, d/dx_k = w_k",
    variadic=True,
)
SUM = Op(
    "sum", "Σ",
    lambda K, *inputs: sum(inputs[1:], inputs[0]),
    (lambda K, i, g, out, inputs: g,),                # d(Σ a_k)/da_i = 1
    "d(Σ_k a_k)/da_i = 1",
    variadic=True,
)
