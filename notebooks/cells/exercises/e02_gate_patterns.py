"""Exercise 2: patterns in gradient flow."""
from _exercise import SETUP, code, exercise, md

CELLS = [
    md(r"""
# Exercise 2. Gate patterns

Four patterns make most of backpropagation predictable:

* **add distributes**: every input of $a + b$ gets the upstream gradient unchanged;
* **mul swaps**: each input of $a b$ gets upstream × *the other* input;
* **max routes**: the larger input of $\max(a, b)$ gets the whole upstream gradient, the other 0;
* **copy adds**: a value used twice gets the sum of the gradients coming back along each use.

The graph: $p = x y$, $m = \max(z, w)$, $s = p + m$, $t = 2 s$, $f = t + x$.
"""),
    code(SETUP + r"""
from nn.course import gate_graph

f, inputs = gate_graph(3.0, -4.0, 2.0, -1.0)
draw_graph(f, show_grad=False)
"""),
    md(r"""
Predict each gradient **without running backward**: write `gate_grads(x, y, z, w)` returning
`{"x": df/dx, "y": df/dy, "z": df/dz, "w": df/dw}` (`z != w` in every check). Hint: the
upstream gradient arriving at `s` is 2; `x` is used twice.
"""),
    exercise("gate_patterns", r"""
def gate_grads(x, y, z, w):
    ### BEGIN SOLUTION
    ds = 2.0                      # t = 2 s
    dp, dm = ds, ds               # add distributes
    dz = dm if z > w else 0.0     # max routes
    dw = dm if w > z else 0.0
    dx = dp * y + 1.0             # mul swaps, and x is used twice: copy adds
    dy = dp * x
    return {"x": dx, "y": dy, "z": dz, "w": dw}
    ### END SOLUTION
"""),
    code(r"""
check("gate_patterns", gate_grads)
"""),
    md(r"""
Now let the engine show every edge:
"""),
    code(r"""
draw_graph(f, edge_grads=True)
"""),
]
