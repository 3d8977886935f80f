"""Exercise 6: Y = X W."""
from _exercise import SETUP, code, exercise, md

CELLS = [
    md(r"""
# Exercise 6. Y = X W

$X$ is $N \times D$, $W$ is $D \times M$, $Y = X W$ is $N \times M$, and $G = \partial L / \partial Y$
(also $N \times M$) comes from upstream.

**The shapes argument.** $\partial L / \partial W$ has $W$'s shape, $D \times M$. From $X$
($N \times D$) and $G$ ($N \times M$) there is one product with that shape: $X^\top G$.
Likewise $\partial L / \partial X = G W^\top$ ($N \times D$).

Write `matmul_backward(X, W, G)` returning `(dX, dW)` in numpy.
"""),
    code(SETUP),
    exercise("matmul", r"""
def matmul_backward(X, W, G):
    ### BEGIN SOLUTION
    dX = G @ W.T
    dW = X.T @ G
    return dX, dW
    ### END SOLUTION
"""),
    code(r"""
check("matmul", matmul_backward)
"""),
    md(r"""
**Why $X^\top G$?** Zoom the Tensor graph into scalars with `scalarize`: each entry of $W$ is
multiplied by one entry of every row of $X$, so its gradient collects one product per row,
$\partial L / \partial W_{jk} = \sum_i X_{ij} G_{ik}$, which is entry $(j, k)$ of $X^\top G$.
"""),
    code(r"""
from autograd import scalarize

X = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), label="X")
W = Tensor(np.array([[0.5, -1.0], [2.0, 1.0]]), label="W")
G = np.array([[1.0, -1.0], [0.5, 2.0]])
L = ((X @ W) * G).sum()
zoomed = scalarize(L)
zoomed.backward()
draw_graph(zoomed, edge_grads=True)
"""),
]
