"""Exercise 1: the chain rule by hand."""
from _exercise import SETUP, code, exercise, md

CELLS = [
    md(r"""
# Exercise 1. The chain rule by hand

$f(x, y, z) = (x + y)\,z$. Name the intermediate value $q = x + y$, so $f = q z$.

At every node: **downstream gradient = upstream gradient × local gradient**.

* $\partial f / \partial z = q$ and $\partial f / \partial q = z$ (a product: each input gets the other),
* $\partial q / \partial x = \partial q / \partial y = 1$ (a sum), so
  $\partial f / \partial x = \partial f / \partial q \cdot 1$.

At $(x, y, z) = (-2, 5, -4)$: $q = 3$, $f = -12$. Work out the three gradients on paper first.
"""),
    code(SETUP),
    md(r"""
Write `chain_rule_grads(x, y, z)` returning `(df/dx, df/dy, df/dz)` **at any point**: the
check calls it at $(-2, 5, -4)$ and at hidden random points.
"""),
    exercise("chain_rule", r"""
def chain_rule_grads(x, y, z):
    q = x + y
    ### BEGIN SOLUTION
    dfdq = z
    dfdz = q
    dfdx = dfdq * 1.0
    dfdy = dfdq * 1.0
    return dfdx, dfdy, dfdz
    ### END SOLUTION
"""),
    code(r"""
check("chain_rule", chain_rule_grads)
"""),
    md(r"""
The engine does the same, node by node. The drawing shows every value with its gradient, and
(with `edge_grads=True`) the gradient flowing back along each edge:
"""),
    code(r"""
x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
q = x + y; q.label = "q"
f = q * z; f.label = "f"
f.backward()
draw_graph(f, edge_grads=True)
"""),
]
