"""Exercise 3: the sigmoid neuron as flat code."""
from _exercise import SETUP, code, exercise, md

CELLS = [
    md(r"""
# Exercise 3. The sigmoid neuron as flat code

$L = \sigma(w_0 x_0 + w_1 x_1 + w_2)$, written as straight-line code:

```
s0 = w0 * x0;  s1 = w1 * x1;  s2 = s0 + s1;  s3 = s2 + w2;  L = sigmoid(s3)
```

The backward pass is the same lines in reverse, one `grad_` line per value:
`grad_L = 1`, then `grad_s3 = grad_L * (1 - L) * L` (the sigmoid's local gradient
$\sigma(1 - \sigma)$), then `grad_w2`, `grad_s2`, `grad_s0`, `grad_s1`, `grad_w1`, `grad_x1`,
`grad_w0` and `grad_x0`. At $w_0 = 2, x_0 = -1, w_1 = -3, x_1 = -2, w_2 = -3$ the lecture gets
$L = 0.73$ and gradients $w_0: -0.20$, $x_0: 0.39$, $w_1: -0.39$, $x_1: -0.59$, $w_2: 0.20$.
"""),
    code(SETUP),
    md(r"""
Write the backward lines. Keep the names, and keep `return locals()`: the check reads every
`grad_` line and names the first wrong one.
"""),
    exercise("flat_code", r"""
def neuron_backward(w0, x0, w1, x1, w2):
    s0 = w0 * x0
    s1 = w1 * x1
    s2 = s0 + s1
    s3 = s2 + w2
    L = 1 / (1 + math.exp(-s3))
    grad_L = 1.0
    ### BEGIN SOLUTION
    grad_s3 = grad_L * (1 - L) * L
    grad_w2 = grad_s3
    grad_s2 = grad_s3
    grad_s0 = grad_s2
    grad_s1 = grad_s2
    grad_w1 = grad_s1 * x1
    grad_x1 = grad_s1 * w1
    grad_w0 = grad_s0 * x0
    grad_x0 = grad_s0 * w0
    ### END SOLUTION
    return locals()
"""),
    code(r"""
check("flat_code", neuron_backward)
"""),
    md(r"""
chainrule writes the same flat code from the graph, reading each operation's gradient rule:
"""),
    code(r"""
w0, x0, w1, x1, w2 = (Value(v, label=n) for v, n in [(2.0, "w0"), (-1.0, "x0"), (-3.0, "w1"), (-2.0, "x1"), (-3.0, "w2")])
L = (w0 * x0 + w1 * x1 + w2).sigmoid()
print(autograd.flat_code(L))
"""),
]
