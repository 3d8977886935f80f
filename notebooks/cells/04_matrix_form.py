"""The cells of notebook 4. Backpropagation in matrix form."""
from _cell import code, md

CELLS = [
    md(r"""
# 4. Backpropagation in matrix form

A network of scalar `Value`s has one graph node per multiplication. Real networks
instead compute whole layers, and whole batches, with matrix products. This notebook
derives backpropagation for those and checks every formula against `autograd.Tensor`,
which records one node per matrix operation.
"""),
    code(r"""
%matplotlib inline
import time
import numpy as np
import autograd
import nn
from autograd import Tensor
from nn.data import make_moons

rng = np.random.default_rng(0)
"""),
    md(r"""
## Derivatives, gradients and Jacobians

* A function from a scalar to a scalar has a **derivative**.
* A function from a vector to a scalar, such as a loss $L(x)$, has a **gradient**
  $\frac{\partial L}{\partial x}$, with the same shape as $x$.
* A function from a vector to a vector has a **Jacobian**, the matrix of all
  $\frac{\partial y_j}{\partial x_i}$.

Backpropagation never needs a Jacobian by itself: it only needs the product of the
upstream gradient with it, and that product usually has a short formula.

## The matrix product $Y = X W$

Let $X$ be $N \times D$, $W$ be $D \times M$ and $G = \frac{\partial L}{\partial Y}$
the upstream gradient ($N \times M$). Then

$$\frac{\partial L}{\partial X} = G\, W^{\top} \quad (N \times D), \qquad \frac{\partial L}{\partial W} = X^{\top} G \quad (D \times M).$$

An easy way to remember: these are the only products of $G$ with $W$ or $X$ whose shapes
match. To check them we pick a loss whose upstream gradient is a known matrix,
$L = \sum_{ij} Y_{ij} R_{ij}$, so that $G = R$.
"""),
    code(r"""
N, D, M = 4, 3, 2
X = Tensor(rng.standard_normal((N, D)), label="X")
W = Tensor(rng.standard_normal((D, M)), label="W")
R = rng.standard_normal((N, M))
Y = X @ W
L = (Y * R).sum()
L.backward()
G = R
print("dL/dX == G W^T:", np.allclose(X.grad, G @ W.data.T), X.grad.shape)
print("dL/dW == X^T G:", np.allclose(W.grad, X.data.T @ G), W.grad.shape)
"""),
    md(r"""
## A batched layer: $Z = O W + \mathbf{1} b^{\top}$

With the samples of a batch as the rows of $O$ ($m \times k$), one layer computes
$Z = O W + \mathbf{1} b^{\top}$: the bias row is added to every sample. With
$G = \frac{\partial L}{\partial Z}$ ($m \times n$):

$$\frac{\partial L}{\partial W} = O^{\top} G, \qquad \frac{\partial L}{\partial b} = \mathbf{1}^{\top} G \ \text{(the sum over the batch)}, \qquad \frac{\partial L}{\partial O} = G\, W^{\top}.$$

In code the bias is broadcast; its gradient is summed back over the batch dimension.
"""),
    code(r"""
m, k, n = 5, 3, 4
O = Tensor(rng.standard_normal((m, k)), label="O")
W = Tensor(rng.standard_normal((k, n)), label="W")
b = Tensor(rng.standard_normal(n), label="b")
G = rng.standard_normal((m, n))
Z = O @ W + b
Z.backward(G)
ones = np.ones(m)
print("dL/dW == O^T G:", np.allclose(W.grad, O.data.T @ G))
print("dL/db == 1^T G:", np.allclose(b.grad, ones @ G))
print("dL/dO == G W^T:", np.allclose(O.grad, G @ W.data.T))
"""),
    md(r"""
## Elementwise activations: never form the Jacobian

For $A = f(Z)$ applied elementwise, $\frac{\partial A_{ij}}{\partial Z_{kl}}$ is zero unless
$(i, j) = (k, l)$: the Jacobian is diagonal. Multiplying by it is just an elementwise
(Hadamard) product,

$$\frac{\partial L}{\partial Z} = G \odot f'(Z).$$

For ReLU, $f'(Z)$ is $1$ where $Z > 0$ and $0$ elsewhere: the upstream gradient passes
where the input was positive and is blocked elsewhere.
"""),
    code(r"""
Z = Tensor(rng.standard_normal((3, 4)), label="Z")
A = Z.relu()
G = rng.standard_normal((3, 4))
A.backward(G)
print("dL/dZ == G * (Z > 0):", np.array_equal(Z.grad, G * (Z.data > 0)))
batch, width = 128, 256
entries = (batch * width) ** 2
print(f"the Jacobian for a {batch} x {width} activation would have {entries:,} entries "
      f"({entries * 8 / 2**30:.0f} GiB in float64); G * f'(Z) has {batch * width:,}")
"""),
    md(r"""
## Sigmoid networks: the layer recurrence

For a sigmoid layer $a = \sigma(W^{\top} a_{\text{prev}})$ (one sample as a column, as
in the lecture notes) the error signal $\delta$ travels backwards by

$$\delta_l = W \delta_{l+1} \odot a_l \odot (1 - a_l),$$

and with a squared error $\lVert Y - A \rVert^2$ at a sigmoid output the first
sensitivity is $-2 (Y - A) \odot A \odot (1 - A)$. We check the output sensitivity
against the engine.
"""),
    code(r"""
S = Tensor(rng.standard_normal((4, 3)), label="S")
Ytarget = rng.uniform(size=(4, 3))
A = S.sigmoid()
loss = ((Ytarget - A) ** 2).sum()
loss.backward()
a = A.data
print("dL/dS == -2 (Y - A) * A * (1 - A):", np.allclose(S.grad, -2 * (Ytarget - a) * a * (1 - a)))
"""),
    md(r"""
## The whole network, both ways

Now the 2-16-16-1 network of notebook 3, once with scalar `Value`s (`nn.MLP`) and once
in matrix form with the same weights: $H_1 = \mathrm{relu}(X W_1 + b_1)$,
$H_2 = \mathrm{relu}(H_1 W_2 + b_2)$, $s = H_2 W_3 + b_3$, with the same max-margin
loss and L2 penalty. The gradients agree to rounding error.
"""),
    code(r"""
Xdata, y = make_moons(100, noise=0.1, seed=0)
labels = np.array([2 * int(t) - 1 for t in y], dtype=np.float64)
mlp = nn.MLP(2, [16, 16, 1], seed=0)

def as_arrays(mlp, field="data"):
    # the MLP's weights (or their gradients) as matrices W (inputs x outputs) and bias vectors b
    arrays = []
    for layer in mlp.layers:
        arrays.append(np.array([[getattr(w, field) for w in neuron.w] for neuron in layer.neurons]).T)
        arrays.append(np.array([getattr(neuron.b, field) for neuron in layer.neurons]))
    return arrays

params = [Tensor(a, label=name) for a, name in zip(as_arrays(mlp), ["W1", "b1", "W2", "b2", "W3", "b3"])]

def tensor_loss(params, X):
    W1, b1, W2, b2, W3, b3 = params
    H1 = (X @ W1 + b1).relu()
    H2 = (H1 @ W2 + b2).relu()
    s = (H2 @ W3 + b3).reshape(-1)
    data_loss = (1 - labels * s).relu().mean()
    return data_loss + 1e-4 * sum((p * p).sum() for p in params)

tensor_loss(params, Tensor(Xdata, requires_grad=False)).backward()
scalar = nn.hinge_loss([mlp(x) for x in Xdata.tolist()], labels.tolist()) + 1e-4 * nn.l2_penalty(mlp.parameters())
scalar.backward()
difference = max(float(np.max(np.abs(p.grad - g))) for p, g in zip(params, as_arrays(mlp, "grad")))
print("the two engines' gradients agree to 1e-12:", difference < 1e-12)
"""),
    md(r"""
The Tensor graph of this network has a handful of nodes, one per matrix operation, where
the scalar graph has thousands; each record shows a shape and a summary instead of all
the numbers.
"""),
    code(r"""
X = Tensor(Xdata, requires_grad=False, label="X")
loss = tensor_loss(params, X)
loss.label = "loss"
for p in params:
    p.grad = None
loss.backward()
print("scalar graph nodes:", len(autograd.topological_order(scalar)),
      "  tensor graph nodes:", len(autograd.topological_order(loss)))
autograd.draw_graph(loss)
"""),
    md(r"""
## The backward pass as code

The formulas above are all there is to backpropagation in matrix form. `autograd.flat_code`
writes a Tensor graph's forward and backward passes out as straight-line numpy, one
line per node and then one per edge, generated from the same op table the engine runs
(each line's shape is its comment). For a two-layer network
$Z_1 = X W_1 + \mathbf{1} b_1^{\top}$, $H_1 = \mathrm{relu}(Z_1)$,
$S = H_1 W_2 + \mathbf{1} b_2^{\top}$ with a mean squared error:
"""),
    code(r"""
W1 = Tensor(rng.standard_normal((2, 16)) * 0.5, label="W1")
b1 = Tensor(np.zeros(16), label="b1")
W2 = Tensor(rng.standard_normal((16, 1)) * 0.5, label="W2")
b2 = Tensor(np.zeros(1), label="b2")
X = Tensor(Xdata, requires_grad=False, label="X")
Z1 = X @ W1 + b1; Z1.label = "Z1"
H1 = Z1.relu(); H1.label = "H1"
S = H1 @ W2 + b2; S.label = "S"
D = S - labels.reshape(-1, 1); D.label = "D"
L = (D * D).mean(); L.label = "L"
print(autograd.flat_code(L))
"""),
    md(r"""
Read the backward lines against the lecture notes, with $G = \partial L / \partial S$ and
$G_1 = \partial L / \partial Z_1$. An add gate hands its gradient on unchanged, so the code
uses `grad_D` itself where the notes write $G$ (no copy), and `grad_Z1` is $G_1$:
"""),
    code(r"""
notes = {
    "grad_W2": "dL/dW2 = H1^T G",
    "grad_b2": "dL/db2 = 1^T G          (the sum over the batch)",
    "grad_H1": "dL/dH1 = G W2^T",
    "grad_Z1": "G1 = dL/dH1 * relu'(Z1)  (masked: exactly 0 where Z1 <= 0)",
    "grad_W1": "dL/dW1 = X^T G1",
    "grad_b1": "dL/db1 = 1^T G1",
}
for line in autograd.flat_code(L).splitlines():
    code_part = line.split("#")[0].strip()
    name = code_part.split(" = ")[0]
    if name in notes:
        print(f"{code_part:<40} <->  {notes[name]}")

forward_backward = autograd.compile_backward(L)
value, code_grads = forward_backward(*[leaf.data for leaf in forward_backward.inputs])
L.backward()
print("\nthe code's gradients equal backward()'s, to the last bit:",
      all(np.array_equal(g, p.grad) for g, p in zip(code_grads, [W1, b1, W2, b2])))
"""),
    md(r"""
`autograd.compile(model, X)` runs this kind of code for a whole model: it traces the model once
per batch shape, and each call is then one graph node whose backward is the generated code
(`chainrule train --engine tensor` trains that way).
"""),
    md(r"""
## Speed

Matrix form lets numpy's optimised routines do the arithmetic, so one training step of
the same network is far cheaper. For comparison, the same step on scalar `Value`s three
ways, all with the same weights:

* **op by op**: the network as micrograd's demo writes it, `sum(w * x for ...)` and
  `.relu()`, one graph node per `*` and `+` (chainrule runs them through operators and
  backward functions generated from the op table);
* **fused**: `nn.MLP`, one `linear` node per neuron;
* **compiled**: the op-by-op network after `autograd.compile(model, [0.0, 0.0])`, which
  traces it once into straight-line forward and backward code; each call is then one
  node (valid while the graph's shape does not depend on the data).

(The times are measured when the notebook runs, so they vary from machine to machine.)
"""),
    code(r"""
def op_by_op(x):
    # the same network, written as micrograd's demo writes it, with mlp's own weights
    for k, layer in enumerate(mlp.layers):
        out = []
        for neuron in layer.neurons:
            act = sum((w * xi for w, xi in zip(neuron.w, x)), neuron.b)
            out.append(act if k == len(mlp.layers) - 1 else act.relu())
        x = out
    return x[0]

t0 = time.perf_counter()
compiled = autograd.compile(op_by_op, [0.0, 0.0])
compile_ms = (time.perf_counter() - t0) * 1e3
points, targets = Xdata.tolist(), labels.tolist()

def scalar_loss(model):
    return nn.hinge_loss([model(x) for x in points], targets) + 1e-4 * nn.l2_penalty(mlp.parameters())

def scalar_step(model):
    loss = scalar_loss(model)
    mlp.zero_grad(); loss.backward()
    return loss

def tensor_step():
    for p in params:
        p.grad = None
    tensor_loss(params, X).backward()

def best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return min(times)

grads = {}
for name, model in [("op by op", op_by_op), ("compiled", compiled)]:
    scalar_step(model)
    grads[name] = [p.grad for p in mlp.parameters()]
print("op by op and compiled give the same gradients, to the last bit:", grads["op by op"] == grads["compiled"])
"""),
    code(r"""
from IPython.display import Markdown

engines = [
    ("scalar `Value`, op by op", lambda: scalar_step(op_by_op), scalar_loss(op_by_op)),
    ("scalar `Value`, fused `linear` (`nn.MLP`)", lambda: scalar_step(mlp), scalar_loss(mlp)),
    ("scalar `Value`, compiled", lambda: scalar_step(compiled), scalar_loss(compiled)),
    ("tensor (`Tensor`)", tensor_step, loss),
]
times = [best(step) for _, step, _ in engines]
rows = ["| engine | graph nodes | one step (forward + backward) | vs op by op |", "|---|---:|---:|---:|"]
for (name, _, graph), t in zip(engines, times):
    rows.append(f"| {name} | {len(autograd.topological_order(graph)):,} | {t * 1e3:.2f} ms | {times[0] / t:.0f}x |")
rows.append(f"\nCompiling the network (tracing it and writing its code) took {compile_ms:.0f} ms.")
Markdown("\n".join(rows))
"""),
]
