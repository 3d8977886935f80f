"""Exercise 7: the batched layer Z = O W + 1 b^T."""
from _exercise import SETUP, code, exercise, md

CELLS = [
    md(r"""
# Exercise 7. The batched layer $Z = O W + \mathbf{1} b^\top$

Rows are samples: $O$ is $m \times d$ (a batch of $m$ inputs), $W$ is $d \times n$, $b$ has $n$
entries and is added to every row. With $G = \partial L / \partial Z$ ($m \times n$):

$$\frac{\partial L}{\partial W} = O^\top G, \qquad \frac{\partial L}{\partial b} = \mathbf{1}^\top G
\ \text{(the sum over the batch)}, \qquad \frac{\partial L}{\partial O} = G W^\top.$$

Write `layer_backward(O, W, b, G)` returning `(dO, dW, db)`.
"""),
    code(SETUP),
    exercise("batched_layer", r"""
def layer_backward(O, W, b, G):
    ### BEGIN SOLUTION
    dO = G @ W.T
    dW = O.T @ G
    db = G.sum(axis=0)
    return dO, dW, db
    ### END SOLUTION
"""),
    code(r"""
check("batched_layer", layer_backward)
"""),
    md(r"""
Why a sum for $b$: zoomed into scalars, each $b_k$ is one value used once per row of the
batch, and a value used several times adds the gradients of its uses.
"""),
    code(r"""
from autograd import scalarize

O = Tensor(np.array([[1.0, -1.0], [2.0, 0.5]]), label="O")
W = Tensor(np.array([[0.5, 1.0], [-1.0, 2.0]]), label="W")
b = Tensor(np.array([0.1, -0.2]), label="b")
zoomed = scalarize(((O @ W + b) * np.array([[1.0, 2.0], [-1.0, 0.5]])).sum())
zoomed.backward()
draw_graph(zoomed, edge_grads=True)
"""),
]
