"""The cells of notebook 7. Jacobians, and why backprop never forms them."""
from _cell import code, md

CELLS = [
    md(r"""
# 7. Jacobians, and why backprop never forms them

* A function from a scalar to a scalar has a **derivative**.
* A function from a vector to a scalar, such as a loss, has a **gradient**, shaped like its input.
* A function from a vector $x \in \mathbb{R}^n$ to a vector $y \in \mathbb{R}^m$ has a
  **Jacobian**, the $m \times n$ matrix $J_{ij} = \frac{\partial y_i}{\partial x_j}$.

`autograd.func` turns a function into its derivative: `grad(f)`, `jacobian(f)` and
`hessian(f)` are new functions. They are built on the same graph and the same backward
pass as everything else, so this notebook can ask what backward actually computes.
"""),
    code(r"""
%matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
import autograd
from autograd import Tensor, func

rng = np.random.default_rng(0)
"""),
    md(r"""
## `grad`: derivatives as functions

`grad(f)` is the function $x \mapsto f'(x)$. Plain numbers go in and come out;
applying `grad` twice gives the second derivative. For $f(x) = \tanh x$ the first two
derivatives are $1 - \tanh^2 x$ and $-2 \tanh x \,(1 - \tanh^2 x)$.
"""),
    code(r"""
f = lambda x: x.tanh()
df = func.grad(f)
ddf = func.grad(df)
x = 0.5
t = np.tanh(x)
print(f"f'(0.5)  = {df(x):.6f}   1 - tanh^2 = {1 - t**2:.6f}")
print(f"f''(0.5) = {ddf(x):.6f}   -2 tanh (1 - tanh^2) = {-2 * t * (1 - t**2):.6f}")
"""),
    md(r"""
## An elementwise operation has a diagonal Jacobian

The lecture notes' example: relu on the 4-vector $x = [1, -2, 3, -1]$. Output $i$
depends only on input $i$, so every entry off the diagonal is $0$; on the diagonal it is
$1$ where $x_i > 0$ and $0$ elsewhere.
"""),
    code(r"""
x = np.array([1.0, -2.0, 3.0, -1.0])
J = func.jacobian(lambda t: t.relu())(x)
print(J)
"""),
    md(r"""
Backpropagation needs this Jacobian only through one product: with the upstream gradient
$g = \frac{\partial L}{\partial z} = [4, -1, 5, 9]$, the gradient with respect to $x$ is the
vector-Jacobian product $g^\top J$. Multiplying by a diagonal 0/1 matrix just keeps the
entries of $g$ where $x > 0$, which is exactly what relu's backward rule does, without
ever forming $J$: it *masks* the upstream gradient, so the blocked $-1$ becomes a true
$0$, not $-0$.
"""),
    code(r"""
g = np.array([4.0, -1.0, 5.0, 9.0])
t = Tensor(x, label="x")
t.relu().backward(g)
print("g^T J           =", g @ J)
print("backward gives  =", t.grad)
print("backward agrees :", np.array_equal(t.grad, g @ J) and np.array_equal(t.grad, [4, 0, 5, 0]))
"""),
    md(r"""
## The Jacobian of $Y = XW$ with respect to $W$

For a matrix product the Jacobian is a four-index object,
$\frac{\partial Y_{nm}}{\partial W_{dk}} = X_{nd}\,\delta_{mk}$: flattened, an
$(NM) \times (DM)$ matrix that is mostly zeros. `jacobian` returns it with shape
`Y.shape + W.shape`.
"""),
    code(r"""
N, D, M = 4, 3, 2
X = rng.standard_normal((N, D))
W = rng.standard_normal((D, M))
J = func.jacobian(lambda w: Tensor(X, requires_grad=False) @ w)(W)
print("J has shape", J.shape, "->", J.reshape(N * M, D * M).shape, "flattened")
print("entries:", J.size, " nonzero:", np.count_nonzero(J))
"""),
    md(r"""
Its product with the upstream gradient $G = \frac{\partial L}{\partial Y}$ is the familiar
$\frac{\partial L}{\partial W} = X^\top G$, one small matrix product:
"""),
    code(r"""
G = rng.standard_normal((N, M))
vjp = (G.reshape(-1) @ J.reshape(N * M, D * M)).reshape(D, M)
Wt = Tensor(W)
(Tensor(X, requires_grad=False) @ Wt).backward(G)
print("g^T J == X^T G == backward:", np.allclose(vjp, X.T @ G) and np.allclose(Wt.grad, X.T @ G))
"""),
    md(r"""
For a real layer the difference is enormous. With a batch of $N = 128$ and a
$256 \to 256$ layer, the Jacobian with respect to $W$ has $N M \cdot D M$ entries, while
the vector-Jacobian product $X^\top G$ has $D M$:
"""),
    code(r"""
N, D, M = 128, 256, 256
jacobian_entries = N * M * D * M
print(f"Jacobian: {jacobian_entries:,} entries ({jacobian_entries * 8 / 2**30:,.0f} GiB in float64)")
print(f"X^T G   : {D * M:,} entries ({D * M * 8 / 2**20:.1f} MiB)")
"""),
    md(r"""
## $g^\top J$ is what backward computes, for any function

`jacobian` builds $J$ one row at a time: row $i$ is $e_i^\top J$, the backward pass with
the upstream gradient $e_i$ (a one-hot vector). So $m$ outputs cost $m$ backward passes,
whereas backprop needs one, with the upstream gradient it actually has. Here for a
function that is not elementwise, a softmax of a layer:
"""),
    code(r"""
A = rng.standard_normal((3, 5))
layer = lambda x: (Tensor(A, requires_grad=False) @ x).softmax()
x = rng.standard_normal(5)
J = func.jacobian(layer)(x)
g = rng.standard_normal(3)
xt = Tensor(x)
layer(xt).backward(g)
print("J is", J.shape, "; one backward pass gives g^T J:", np.allclose(g @ J, xt.grad))
"""),
    md(r"""
## The derivatives of tanh, six times over

`grad` composes, so `grad(grad(...grad(f)))` is the $n$-th derivative. To get it at many
points at once we use the fact this notebook is about: tanh acts elementwise, so the
Jacobian of `x.tanh()` is diagonal, and the gradient of its **sum** is the vector of
derivatives at every point. Each level is a Tensor graph built by the backward pass of
the level below (`create_graph`), then differentiated again.
"""),
    code(r"""
def derivative(f):
    # elementwise f -> elementwise f': the gradient of sum(f(x))
    return lambda x: func.grad(lambda t: f(t).sum())(x)

xs = np.linspace(-7, 7, 200)
fig, ax = plt.subplots(figsize=(7, 4))
f = lambda t: t.tanh()
for n in range(7):
    ax.plot(xs, f(Tensor(xs, requires_grad=False)).data, label=f"order {n}")
    f = derivative(f)
ax.set_xlabel("x")
ax.set_title("tanh and its first six derivatives")
ax.legend(ncol=2, fontsize=8)
plt.show()
"""),
    md(r"""
The same numbers follow from the closed form: every derivative of tanh is a polynomial in
$t = \tanh x$, with $P_0 = t$ and $P_{k+1}(t) = P_k'(t)\,(1 - t^2)$.
"""),
    code(r"""
P = np.polynomial.Polynomial([0, 1])
f = lambda t: t.tanh()
worst = 0.0
for n in range(1, 7):
    P = P.deriv() * np.polynomial.Polynomial([1, 0, -1])
    f = derivative(f)
    worst = max(worst, np.max(np.abs(f(Tensor(xs, requires_grad=False)).data - P(np.tanh(xs)))))
print("orders 1 to 6 agree with the closed forms to 1e-11:", worst < 1e-11)
"""),
    md(r"""
## Hessians without forming them

`hessian(f)` is `jacobian(grad(f))`: $n$ backward passes through the graph of the
gradient. Like the Jacobian, it is rarely needed whole. A Hessian-vector product $Hv$ is
one more backward pass: differentiate $\langle \nabla f, v \rangle$. Here both for
$f(x) = \sum_i x_i \tanh x_i$:
"""),
    code(r"""
f = lambda t: (t * t.tanh()).sum()
x, v = rng.standard_normal(4), rng.standard_normal(4)
H = func.hessian(f)(x)
Hv = func.grad(lambda t: (func.grad(f)(t) * v).sum())(x)
print("H is symmetric:", np.allclose(H, H.T), " H v without H:", np.allclose(H @ v, Hv))
"""),
]
