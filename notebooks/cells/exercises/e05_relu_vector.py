"""Exercise 5: relu on a vector, without the Jacobian."""
from _exercise import SETUP, code, exercise, md

CELLS = [
    md(r"""
# Exercise 5. relu on a vector, without the Jacobian

$z = \operatorname{relu}(x)$ elementwise. Its Jacobian $\partial z / \partial x$ is diagonal:
1 where $x_i > 0$, 0 elsewhere. For $x = [1, -2, 3, -1]$ its rows are $[1, 0, 0, 0]$,
$[0, 0, 0, 0]$, $[0, 0, 1, 0]$, $[0, 0, 0, 0]$, and the upstream gradient
$\partial L / \partial z = [4, -1, 5, 9]$ gives $\partial L / \partial x = [4, 0, 5, 0]$.

Never form the Jacobian: write `relu_backward(x, upstream)` in numpy, passing the upstream
gradient where $x > 0$ and a **true 0** (not $-0$) elsewhere.
"""),
    code(SETUP),
    exercise("relu_vector", r"""
def relu_backward(x, upstream):
    ### BEGIN SOLUTION
    return np.where(x > 0, upstream, 0.0)
    ### END SOLUTION
"""),
    code(r"""
check("relu_vector", relu_backward)
"""),
    md(r"""
The Tensor graph zoomed into scalars (`autograd.scalarize`): one relu per entry, and each
entry's gradient is the upstream gradient or 0.
"""),
    code(r"""
from autograd import scalarize

x = Tensor(np.array([1.0, -2.0, 3.0, -1.0]), label="x")
L = (x.relu() * np.array([4.0, -1.0, 5.0, 9.0])).sum()
zoomed = scalarize(L)
zoomed.backward()
draw_graph(zoomed, edge_grads=True)
"""),
]
