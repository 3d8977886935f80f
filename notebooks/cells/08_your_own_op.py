"""The cells of notebook 8. Write your own operation (an exercise)."""
import nbformat
from _cell import code, md


def solution(text: str) -> nbformat.NotebookNode:
    """A code cell whose source starts collapsed (JupyterLab, Notebook 7, VS Code)."""
    cell = code(text)
    cell.metadata["jupyter"] = {"source_hidden": True}
    return cell


CELLS = [
    md(r"""
# 8. Write your own operation

Every operation in chainrule is **data**: a name, a forward rule and, for each input, a
gradient rule that returns *upstream gradient × local gradient*. Backward, the drawings,
the step-through, generated code and second derivatives all read those same rules.
`autograd.define_op` lets you add one of your own, in exactly that form.

Here is how tanh is defined inside chainrule:
"""),
    code(r"""
import inspect
import math
import numpy as np
import autograd
from autograd import GradcheckError, Tensor, Value, define_op, draw_graph, func, gradcheck

tanh = autograd.core.ops.TANH
print("name:    ", tanh.name)
print("forward: ", inspect.getsource(tanh.forward).strip())
print("grads[0]:", inspect.getsource(tanh.grads[0]).strip())
"""),
    md(r"""
`K` is the *backend*: it supplies `K.exp`, `K.log`, `K.tanh`, `K.sigmoid`, `K.div`,
`K.pow` and a few more. Written with `K` and `+ - *`, one rule runs on floats, on numpy
arrays, on Values and Tensors (for second derivatives) and on symbols (to print flat
code). `g` is the upstream gradient, `out` the operation's output, and the inputs come
last.

## Exercise: softplus

$$\operatorname{softplus}(x) = \log(1 + e^x)$$

is a smooth relu. Its forward rule is given. Fill in its gradient rule: the upstream
gradient `g` times the local derivative $\frac{d}{dx}\log(1 + e^x)$.
"""),
    code(r"""
def softplus_forward(K, x):
    return K.log(1 + K.exp(x))

def softplus_grad(K, g, out, x):
    # upstream gradient g times the local gradient d softplus(x) / dx
    return g * 0.0          # <- replace 0.0 with the local derivative

softplus = define_op("softplus", softplus_forward, [softplus_grad])
"""),
    md(r"""
Run the check. `gradcheck` compares your rule with central differences
$\frac{f(x + \varepsilon) - f(x - \varepsilon)}{2\varepsilon}$, on Values and on Tensors,
and when they disagree it names the operation and the input whose rule is wrong.
"""),
    code(r"""
def check(op, reference, hint):
    points = (-2.0, 0.0, 0.7, 3.0)
    wrong = [x for x in points if not math.isclose(op(x), reference(x), rel_tol=1e-12, abs_tol=1e-12)]
    if wrong:
        print(f"not yet: the forward rule gives {op(wrong[0])!r} at x = {wrong[0]}, expected {reference(wrong[0])!r}")
        print("hint:", hint)
        return
    try:
        for x in points:
            gradcheck(lambda v: op(v) * 2, x)
        gradcheck(lambda t: op(t).sum(), np.array([-1.5, 0.2, 2.5]))
    except GradcheckError as error:
        print("not yet:", str(error).splitlines()[-1])
        print("hint:", hint)
        return
    print("gradcheck passed: your rules agree with central differences on Values and Tensors.")

softplus_reference = lambda x: math.log1p(math.exp(x))
softplus_hint = ("d log(u)/dx = (du/dx) / u with u = 1 + e^x. Simplify e^x / (1 + e^x): "
                 "it is a function K has, and it runs without overflow.")
check(softplus, softplus_reference, softplus_hint)
"""),
    md(r"""
The solution is in the next cell, collapsed: click it to see it (try first!).
"""),
    solution(r"""
# Solution: d/dx log(1 + e^x) = e^x / (1 + e^x) = sigmoid(x)
def softplus_grad(K, g, out, x):
    return g * K.sigmoid(x)

softplus = define_op("softplus", softplus_forward, [softplus_grad], formula="d softplus(x)/dx = σ(x)")
check(softplus, softplus_reference, softplus_hint)
"""),
    md(r"""
## Your operation is a full citizen

It works on Values and Tensors, it is drawn by its name, and the edge gradients in the
drawing come from your rule:
"""),
    code(r"""
x = Value(0.5, label="x")
h = x * 2;  h.label = "h"
y = softplus(h);  y.label = "y"
y.backward()
print(f"y = {y.data:.4f}, dy/dx = {x.grad:.4f} (2 sigmoid(1) = {2 / (1 + math.exp(-1)):.4f})")
draw_graph(y, edge_grads=True, legend=False)
"""),
    md(r"""
It appears in the step-through, one frame per node as backward visits it:
"""),
    code(r"""
x.grad = 0.0  # backward_steps runs backward once more, and gradients accumulate
for step in autograd.backward_steps(y):
    node = step.node
    name = node.op.name if node.op else "leaf"
    print(f"step {step.number + 1}: {name:8} {node.label}  grad = {step.grads[node]:.4f}")
"""),
    md(r"""
`flat_code` writes it out line by line, forward then backward, from your two rules
evaluated on symbols, and `compile_backward` turns that into a function:
"""),
    code(r"""
print(autograd.flat_code(y))
f = autograd.compile_backward(y)
print("compiled at x = -1:", f(-1.0))
"""),
    md(r"""
Because the rule uses only `K` and arithmetic, it can itself be differentiated: the second
derivative of softplus is $\sigma(x)(1 - \sigma(x))$. `func.grad` applied twice, and the
Hessian of a Tensor function, both get it from your rule:
"""),
    code(r"""
s = 1 / (1 + math.exp(-0.3))
print(f"softplus''(0.3) = {func.grad(func.grad(softplus))(0.3):.6f}   sigma (1 - sigma) = {s * (1 - s):.6f}")
H = func.hessian(lambda t: softplus(t).sum())(np.array([-1.0, 0.0, 1.0]))
print(np.round(H, 6))
"""),
    md(r"""
## Exercise: swish

$$\operatorname{swish}(x) = x\,\sigma(x)$$

Write both rules this time. Hint: $\sigma'(x) = \sigma(x)(1 - \sigma(x))$, and you may use
`out`, which is $x \sigma(x)$. Your definition is checked like softplus.
"""),
    code(r"""
def swish_forward(K, x):
    return x * 0.0          # <- x times sigmoid(x)

def swish_grad(K, g, out, x):
    return g * 0.0          # <- g times d swish(x) / dx

swish = define_op("swish", swish_forward, [swish_grad])
swish_reference = lambda x: x / (1 + math.exp(-x))
swish_hint = "swish(x) = x * K.sigmoid(x); its derivative is sigmoid(x) + x sigmoid(x) (1 - sigmoid(x))."
check(swish, swish_reference, swish_hint)
"""),
    solution(r"""
# Solution: d/dx x sigma(x) = sigma(x) + x sigma(x) (1 - sigma(x)) = sigma(x) + out (1 - sigma(x))
def swish_forward(K, x):
    return x * K.sigmoid(x)

def swish_grad(K, g, out, x):
    s = K.sigmoid(x)
    return g * (s + out * (1 - s))

swish = define_op("swish", swish_forward, [swish_grad], formula="d swish(x)/dx = σ(x) + swish(x) (1 - σ(x))")
check(swish, swish_reference, swish_hint)
"""),
    md(r"""
## What `define_op` refuses

A definition that cannot work is refused when it is made, with what to change: here two
gradient rules for a forward rule of one input.
"""),
    code(r"""
try:
    define_op("twice", lambda K, x: 2 * x, [lambda K, g, out, x: 2 * g, lambda K, g, out, x: g])
except TypeError as error:
    print(error)
"""),
    md(r"""
## As a graded exercise

The softplus exercise is also exercise 4 of the course, `notebooks/exercises/04_your_own_op.ipynb`:
there `check("softplus", softplus_grad)` tries your rule on hidden random points and, when it is
wrong, draws the graph with the edge into softplus in red and the local gradient it should have,
σ(x), beside it. A teacher grades a class's copies with `chainrule grade`.
"""),
]
