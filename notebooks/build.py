"""Build the teaching notebooks from the cells below and execute them in a fresh kernel.

The notebooks are committed executed; this script is their source. Run
``python notebooks/build.py [name ...]`` after changing a cell (needs the
`notebooks` extra). The tests re-execute the committed notebooks.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).parent


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text.strip())


def code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(text.strip())


NOTEBOOKS: dict[str, list] = {}

NOTEBOOKS["01_chain_rule"] = [
    md(r"""
# 1. Computational graphs and the chain rule

Training a network means minimising a cost such as
$J(\theta) = \frac{1}{N} \sum_i \mathrm{loss}(f(x_i; \theta), y_i)$ by gradient descent,
$\theta \leftarrow \theta - \eta \, \frac{\partial J}{\partial \theta}$.
Deriving $\frac{\partial J}{\partial \theta}$ by hand for a whole model is tedious, and it
has to be redone for every new loss. A **computational graph** records how the output
was computed from its inputs, one simple operation per node, and **backpropagation**
then finds every derivative mechanically.

In this notebook we build a graph with `autograd.Value`, draw it, and follow the
chain rule through it node by node.
"""),
    code(r"""
from autograd import Value, draw_graph, gradcheck, central_difference, flat_code
"""),
    md(r"""
## A first graph: $f(x, y, z) = (x + y)\, z$

We take $x = -2$, $y = 5$, $z = -4$. Every operation on a `Value` returns a new `Value`
that remembers its inputs, so writing the formula builds the graph.
"""),
    code(r"""
x = Value(-2.0, label="x")
y = Value(5.0, label="y")
z = Value(-4.0, label="z")
q = x + y;  q.label = "q"
f = q * z;  f.label = "f"
print(q.data, f.data)
"""),
    md(r"""
The forward pass gives $q = x + y = 3$ and $f = q z = -12$. Here is the graph: each
rounded box is a value (its data, and its gradient, still zero), each ellipse an
operation.
"""),
    code(r"""
draw_graph(f)
"""),
    md(r"""
## Backward: upstream gradient times local gradient

`f.backward()` visits the nodes from the output back to the inputs. At each operation
it multiplies the gradient arriving from above (the **upstream** gradient) by the
operation's own derivative (the **local** gradient) and passes the product down:

$$\frac{\partial f}{\partial \text{input}} = \underbrace{\frac{\partial f}{\partial \text{output}}}_{\text{upstream}} \times \underbrace{\frac{\partial\, \text{output}}{\partial \text{input}}}_{\text{local}}.$$
"""),
    code(r"""
f.backward()
for v in (f, q, x, y, z):
    print(f"df/d{v.label} = {v.grad}")
"""),
    md(r"""
Spelled out node by node:

* At $f$ itself the gradient is $\frac{\partial f}{\partial f} = 1$.
* The multiplication $f = q z$ has local gradients $\frac{\partial f}{\partial q} = z = -4$
  and $\frac{\partial f}{\partial z} = q = 3$; times the upstream $1$ this gives
  $\frac{\partial f}{\partial q} = -4$ and $\frac{\partial f}{\partial z} = 3$.
* The addition $q = x + y$ has local gradients $1$ and $1$, so both inputs receive the
  upstream $-4$: $\frac{\partial f}{\partial x} = \frac{\partial f}{\partial y} = -4 \cdot 1 = -4$.

With `edge_grads=True` the drawing writes on every edge the gradient that flows back
along it, the product of upstream and local gradient.
"""),
    code(r"""
draw_graph(f, edge_grads=True)
"""),
    md(r"""
## A neuron: $f(w, x) = \dfrac{1}{1 + e^{-(w_0 x_0 + w_1 x_1 + w_2)}}$

The second worked example is a sigmoid neuron with $w_0 = 2$, $x_0 = -1$, $w_1 = -3$,
$x_1 = -2$, $w_2 = -3$. First we build it from primitive operations only, each with a
simple local derivative: $\frac{d}{dx} e^x = e^x$, $\frac{d}{dx}(a x) = a$,
$\frac{d}{dx} \frac{1}{x} = -\frac{1}{x^2}$ and $\frac{d}{dx}(c + x) = 1$.
"""),
    code(r"""
def neuron_inputs():
    return [Value(d, label=n) for n, d in
            [("w0", 2.0), ("x0", -1.0), ("w1", -3.0), ("x1", -2.0), ("w2", -3.0)]]

w0, x0, w1, x1, w2 = neuron_inputs()
out = 1 / (1 + (-(w0 * x0 + w1 * x1 + w2)).exp())
out.backward()
print(f"output {out.data:.2f}")
print({v.label: round(v.grad, 2) for v in (w0, x0, w1, x1, w2)})
"""),
    code(r"""
draw_graph(out, edge_grads=True)
"""),
    md(r"""
The output is $0.73$, and the gradients are $-0.20$ for $w_0$, $0.39$ for $x_0$,
$-0.39$ for $w_1$, $-0.59$ for $x_1$ and $0.20$ for $w_2$.

## The graph is not unique

The last four operations together compute the sigmoid $\sigma(s) = \frac{1}{1 + e^{-s}}$,
whose derivative is simple: $\frac{d\sigma}{ds} = (1 - \sigma(s))\, \sigma(s)$.
So we may just as well make the sigmoid one node. The graph is smaller; the gradients
are the same.
"""),
    code(r"""
v0, u0, v1, u1, v2 = neuron_inputs()
out2 = (v0 * u0 + v1 * u1 + v2).sigmoid()
out2.backward()
print({v.label: round(v.grad, 2) for v in (v0, u0, v1, u1, v2)})
print("same gradients:", all(abs(a.grad - b.grad) < 1e-12
                             for a, b in zip((w0, x0, w1, x1, w2), (v0, u0, v1, u1, v2))))
"""),
    code(r"""
draw_graph(out2, edge_grads=True)
"""),
    md(r"""
Choosing nodes whose local gradients are simple is a design decision; backpropagation
works for any choice.

## Checking a gradient

A gradient can always be checked against a **central difference**,
$\frac{\partial f}{\partial x} \approx \frac{f(x + \varepsilon) - f(x - \varepsilon)}{2 \varepsilon}$,
whose error shrinks like $\varepsilon^2$. `central_difference` does this on plain
floats; `gradcheck` does it for every input of a function of Values and compares with
`backward()`.
"""),
    code(r"""
import math

def neuron(w0, x0, w1, x1, w2):
    return 1 / (1 + math.exp(-(w0 * x0 + w1 * x1 + w2)))

print("df/dx1 by central difference:", round(central_difference(neuron, 2, -1, -3, -2, -3, arg=3), 6))
print("df/dx1 by backward:          ", round(x1.grad, 6))
print(gradcheck(lambda w0, x0, w1, x1, w2: (w0 * x0 + w1 * x1 + w2).sigmoid(), 2.0, -1.0, -3.0, -2.0, -3.0))
"""),
    md(r"""
## The same computation as flat code

Backpropagation can be written out as straight-line code: the forward pass one line per
node, then the backward pass as the same lines in reverse, each computing a gradient as
upstream times local. `flat_code` writes exactly that from the graph.
"""),
    code(r"""
w0, x0, w1, x1, w2 = neuron_inputs()
s0 = w0 * x0;  s0.label = "s0"
s1 = w1 * x1;  s1.label = "s1"
s2 = s0 + s1;  s2.label = "s2"
s3 = s2 + w2;  s3.label = "s3"
L = s3.sigmoid();  L.label = "L"
print(flat_code(L))
"""),
]

NOTEBOOKS["02_gradient_flow"] = [
    md(r"""
# 2. Patterns in gradient flow

Every operation passes gradients backwards by the same rule, upstream gradient times
local gradient. For the most common gates this rule has a shape you can recognise at a
glance. In each drawing below the number on an edge is the gradient flowing back along
it; the output's upstream gradient is $2$ so that the patterns are easy to tell apart.
"""),
    code(r"""
from IPython.display import HTML, SVG, display
from autograd import Value, animation_html, backward_frames, backward_steps, draw_graph
"""),
    md(r"""
## The add gate distributes

For $c = a + b$ both local gradients are $1$: each input receives the upstream gradient
unchanged.
"""),
    code(r"""
a, b = Value(3.0, label="a"), Value(-1.0, label="b")
c = a + b;  c.label = "c"
c.backward(2.0)
draw_graph(c, edge_grads=True, legend=False)
"""),
    md(r"""
## The mul gate swaps

For $c = a b$ the local gradients are $\frac{\partial c}{\partial a} = b$ and
$\frac{\partial c}{\partial b} = a$: each input receives the upstream gradient times the
*other* input. Here $a$ gets $2 \cdot (-1) = -2$ and $b$ gets $2 \cdot 3 = 6$.
"""),
    code(r"""
a, b = Value(3.0, label="a"), Value(-1.0, label="b")
c = a * b;  c.label = "c"
c.backward(2.0)
draw_graph(c, edge_grads=True, legend=False)
"""),
    md(r"""
## The max gate routes

For $c = \max(a, b)$ the local gradient is $1$ for the larger input and $0$ for the
other: the whole upstream gradient is routed to the input that won. (At an exact tie,
chainrule follows PyTorch and splits it evenly.)
"""),
    code(r"""
a, b = Value(3.0, label="a"), Value(-1.0, label="b")
c = a.max(b);  c.label = "c"
c.backward(2.0)
draw_graph(c, edge_grads=True, legend=False)
"""),
    md(r"""
## A value used twice adds

When a value feeds two operations, the graph has two edges leaving it, and by the
multivariable chain rule its gradient is the **sum** of the gradients coming back along
them. In $c = a \cdot a$ each edge carries $2 \cdot 3 = 6$ and $\frac{\partial c}{\partial a} = 2 \cdot 2a = 12$.
"""),
    code(r"""
a = Value(3.0, label="a")
c = a * a;  c.label = "c"
c.backward(2.0)
print("a.grad =", a.grad)
draw_graph(c, edge_grads=True, legend=False)
"""),
    md(r"""
## All four in one expression

$f = \max(x y, z) + x$ uses every pattern: the max routes, the mul swaps, the add
distributes and $x$, used twice, adds the gradients from its two uses.
"""),
    code(r"""
x, y, z = Value(2.0, label="x"), Value(-3.0, label="y"), Value(-10.0, label="z")
p = x * y;  p.label = "p"
m = p.max(z);  m.label = "m"
f = m + x;  f.label = "f"
f.backward()
print({v.label: v.grad for v in (x, y, z)})
draw_graph(f, edge_grads=True)
"""),
    md(r"""
Check it by hand: $\frac{\partial f}{\partial m} = 1$; the max routes all of it to
$p = -6 > z = -10$, so $z$ gets $0$; the mul swaps, so $y$ gets $1 \cdot x = 2$ and $x$
gets $1 \cdot y = -3$ along that edge; the add gives $x$ another $1$ directly; in total
$\frac{\partial f}{\partial x} = -3 + 1 = -2$.

## Backpropagation one node at a time

`backward_steps` runs the same backward pass one node at a time and yields the state
after each node's rule has run. Drawn with `step=`, the node just processed is
highlighted and gradients that have not been computed yet are left blank.
"""),
    code(r"""
x, y, z = Value(-2.0, label="x"), Value(5.0, label="y"), Value(-4.0, label="z")
q = x + y;  q.label = "q"
f = q * z;  f.label = "f"
for step in backward_steps(f):
    display(draw_graph(f, step=step, edge_grads=True, legend=False))
"""),
    md(r"""
The same frames can be played as an animation with previous, next and play buttons and a
slider. `save_backward_animation(f, "steps.html")` writes it as one self-contained page
that works without network access; here it is shown inline (run the notebook to use
the controls).
"""),
    code(r"""
w0, x0, w1, x1, w2 = [Value(d, label=n) for n, d in
                      [("w0", 2.0), ("x0", -1.0), ("w1", -3.0), ("x1", -2.0), ("w2", -3.0)]]
out = (w0 * x0 + w1 * x1 + w2).sigmoid();  out.label = "out"
frames = backward_frames(out, edge_grads=True, legend=False)
print(len(frames), "frames")
HTML(animation_html(frames, title="Backpropagating through a sigmoid neuron"))
"""),
]

NOTEBOOKS["03_training_an_mlp"] = [
    md(r"""
# 3. Training a multilayer perceptron

Now we put the engine to work: a small neural network learns to separate two interleaved
half-moons. Every number in the network is a `Value`, so the whole training step, from
the loss back to each of the 337 weights, is backpropagation through one graph.
"""),
    code(r"""
%matplotlib inline
import numpy as np
import autograd
import nn
from nn.data import make_moons
from nn.plots import plot_decision_boundary, plot_loss
"""),
    md(r"""
## The data

One hundred points in the plane, labelled $0$ or $1$. For the max-margin loss below we
use labels $y_i \in \{-1, +1\}$.
"""),
    code(r"""
X, y = make_moons(100, noise=0.1, seed=0)
labels = [2 * int(t) - 1 for t in y]
print(X.shape, X[:3].round(3).tolist(), labels[:3])
"""),
    md(r"""
## The model

`nn.MLP(2, [16, 16, 1])` has two hidden layers of 16 neurons with the ReLU activation and
one linear output neuron. Each neuron computes $\mathrm{relu}(w \cdot x + b)$; without the
activation the network would collapse, since $W_2 W_1 x = W_3 x$ is linear again.
"""),
    code(r"""
model = nn.MLP(2, [16, 16, 1], seed=0)
print(model)
print("parameters:", len(model.parameters()))
"""),
    md(r"""
## The loss

For a score $s_i = f(x_i; \theta)$ the binary **max-margin** (hinge) loss is
$\max(0, 1 - y_i s_i)$: zero once a point is on the right side with a margin of at least
one. We average it over the data and add **L2 regularisation**
$R(W) = \sum_k W_k^2$, which prefers small weights:

$$J(\theta) = \frac{1}{N} \sum_{i=1}^{N} \max(0, 1 - y_i s_i) + \lambda R(W), \qquad \lambda = 10^{-4}.$$
"""),
    code(r"""
def loss_and_accuracy(model):
    scores = [model(x) for x in X.tolist()]
    data_loss = nn.hinge_loss(scores, labels)
    total = data_loss + 1e-4 * nn.l2_penalty(model.parameters())
    accuracy = np.mean([(s.data > 0) == (t > 0) for s, t in zip(scores, labels)])
    return total, accuracy

loss, accuracy = loss_and_accuracy(model)
print(f"before training: loss {loss.data:.4f}, accuracy {accuracy:.2f}")
"""),
    md(r"""
## The training loop

Each step of gradient descent does four things:

1. **forward**: compute the scores and the loss $J$, recording the graph;
2. **zero the gradients**: gradients accumulate across `backward()` calls, so last
   step's must be cleared first;
3. **backward**: `loss.backward()` fills every parameter's `.grad` with
   $\frac{\partial J}{\partial \theta}$;
4. **update**: the optimizer moves each parameter against its gradient,
   $\theta \leftarrow \theta - \eta \frac{\partial J}{\partial \theta}$, with a learning rate
   $\eta$ that decays from $1.0$ to $0.1$.
"""),
    code(r"""
optimizer = nn.SGD(model.parameters(), lr=1.0)
history = nn.History()
steps = 100
for k in range(steps):
    loss, accuracy = loss_and_accuracy(model)       # 1. forward
    optimizer.zero_grad()                           # 2. zero the gradients
    loss.backward()                                 # 3. backward
    optimizer.lr = 1.0 - 0.9 * k / steps            # 4. update
    optimizer.step()
    history.loss.append(loss.data)
    history.accuracy.append(accuracy)
    if k % 20 == 0 or k == steps - 1:
        print(f"step {k:3d}  loss {loss.data:.4f}  accuracy {accuracy:.2f}")
"""),
    code(r"""
plot_loss(history)
"""),
    md(r"""
## What the network learned

The decision boundary shows, for every point of the plane, which class the trained
network predicts.
"""),
    code(r"""
plot_decision_boundary(model, X, y)
"""),
    md(r"""
## One neuron, up close

Here is the graph of the first neuron of the first layer on one input point, after
backward: the fused node computes $b + \sum_k w_k x_k$, and on its input edges you can
see the mul gate's swap, $\frac{\partial}{\partial w_k} = x_k$ and
$\frac{\partial}{\partial x_k} = w_k$, times the upstream gradient that the ReLU let
through.
"""),
    code(r"""
point = [autograd.Value(v, label=f"x{k}") for k, v in enumerate(X[0].tolist())]
out = model.layers[0].neurons[0](point);  out.label = "out"
model.zero_grad()
out.backward()
autograd.draw_graph(out, edge_grads=True)
"""),
    md(r"""
## The same in one call

`nn.fit` runs exactly this loop (with an optional progress bar, minibatches and a
learning-rate schedule) and returns the history.
"""),
    code(r"""
model2 = nn.MLP(2, [16, 16, 1], seed=0)
history2 = nn.fit(model2, X, labels, nn.hinge_loss, nn.SGD(model2.parameters(), lr=1.0),
                  steps=100, l2=1e-4, lr_schedule=lambda k: 1.0 - 0.9 * k / 100, progress=False)
print(f"final loss {history2.loss[-1]:.4f}, accuracy {nn.binary_accuracy(nn.predict(model2, X), labels):.2f}")
"""),
]

NOTEBOOKS["05_multiclass_svm"] = [
    md(r"""
# 5. Several classes: the multiclass SVM loss with regularisation

With $C$ classes a network outputs one score per class, $s = f(x; W)$, and the loss must
reward the correct class's score $s_{y_i}$ for beating the others. The lecture notes use
the two-layer network $s = W_2 \max(0, W_1 x)$ and the **multiclass SVM loss**

$$L_i = \sum_{j \ne y_i} \max(0,\; s_j - s_{y_i} + 1),$$

which is zero once the correct score beats every other score by a margin of at least one.
"""),
    code(r"""
%matplotlib inline
import numpy as np
import autograd
import nn
from autograd import Value
from nn.data import make_blobs
from nn.plots import plot_decision_boundary, plot_loss
"""),
    md(r"""
## The loss of one sample, by hand

Take three classes with scores $s = (3.2,\; 5.1,\; -1.7)$ and correct class $y_i = 0$:

$$L_i = \max(0, 5.1 - 3.2 + 1) + \max(0, -1.7 - 3.2 + 1) = 2.9 + 0 = 2.9.$$

Its gradient follows the max gate: each wrong class with a positive margin term gets
$+1$; the correct class gets $-1$ for each of them; the rest get $0$.
"""),
    code(r"""
s = [Value(3.2, label="s0"), Value(5.1, label="s1"), Value(-1.7, label="s2")]
L = nn.multiclass_svm_loss([s], [0])
L.backward()
print(f"L_i = {L.data:.1f}")
print("dL_i/ds =", [round(v.grad, 6) for v in s])
"""),
    code(r"""
autograd.draw_graph(L, edge_grads=True, legend=False)
"""),
    md(r"""
## Regularising each layer

The full objective adds an L2 penalty $R(W) = \sum_k W_k^2$ per weight matrix, each with
its own strength:

$$L = \frac{1}{N} \sum_i L_i + \lambda_1 R(W_1) + \lambda_2 R(W_2).$$

The gradient of the penalty is $2 \lambda W$: every step pulls each weight a little
towards zero. Below, `nn.MLP(2, [16, 3])` is exactly $s = W_2 \max(0, W_1 x)$ plus biases,
and we penalise the weights of each layer (not the biases) separately.
"""),
    code(r"""
X, y = make_blobs(90, centers=3, std=0.6, seed=1)
model = nn.MLP(2, [16, 3], seed=0)
W1 = [w for neuron in model.layers[0].neurons for w in neuron.w]
W2 = [w for neuron in model.layers[1].neurons for w in neuron.w]
lambda1, lambda2 = 1e-3, 1e-3

def objective():
    scores = [model(x) for x in X.tolist()]
    data_loss = nn.multiclass_svm_loss(scores, y.tolist())
    total = data_loss + lambda1 * nn.l2_penalty(W1) + lambda2 * nn.l2_penalty(W2)
    return total, data_loss, scores

optimizer = nn.SGD(model.parameters(), lr=0.1)
history = nn.History()
for k in range(60):
    total, data_loss, scores = objective()
    optimizer.zero_grad()
    total.backward()
    optimizer.step()
    history.loss.append(total.data)
    history.accuracy.append(nn.multiclass_accuracy(scores, y.tolist()))
    if k % 15 == 0 or k == 59:
        print(f"step {k:2d}  L {total.data:.4f}  (data {data_loss.data:.4f})  accuracy {history.accuracy[-1]:.2f}")
"""),
    code(r"""
plot_loss(history)
"""),
    code(r"""
plot_decision_boundary(model, X, y, classify=lambda scores: int(np.argmax([s.data for s in scores])))
"""),
    md(r"""
## What the regulariser does

A stronger $\lambda$ trades data loss for smaller weights. Training the same network with
$\lambda_1 = \lambda_2 = 0$ and with $\lambda_1 = \lambda_2 = 0.05$ shows the effect on the
size of the weights, $\sqrt{R(W_1)}$.
"""),
    code(r"""
def train(strength, steps=60):
    m = nn.MLP(2, [16, 3], seed=0)
    w1 = [w for neuron in m.layers[0].neurons for w in neuron.w]
    w2 = [w for neuron in m.layers[1].neurons for w in neuron.w]
    opt = nn.SGD(m.parameters(), lr=0.1)
    for _ in range(steps):
        scores = [m(x) for x in X.tolist()]
        loss = nn.multiclass_svm_loss(scores, y.tolist()) + strength * (nn.l2_penalty(w1) + nn.l2_penalty(w2))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return np.sqrt(sum(w.data ** 2 for w in w1)), nn.multiclass_accuracy(scores, y.tolist())

for strength in (0.0, 0.05):
    norm, acc = train(strength)
    print(f"lambda = {strength:<5}  |W1| = {norm:.3f}  accuracy {acc:.2f}")
"""),
]

NOTEBOOKS["04_matrix_form"] = [
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
autograd.draw_graph(loss, rankdir="TB", legend=False)
"""),
    md(r"""
## Speed

Matrix form lets numpy's optimised routines do the arithmetic, so one training step of
the same network is far cheaper. (The times are measured when the notebook runs, so they
vary from machine to machine.)
"""),
    code(r"""
def best(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return min(times)

def scalar_step():
    loss = nn.hinge_loss([mlp(x) for x in Xdata.tolist()], labels.tolist()) + 1e-4 * nn.l2_penalty(mlp.parameters())
    mlp.zero_grad(); loss.backward()

def tensor_step():
    for p in params:
        p.grad = None
    tensor_loss(params, X).backward()

from IPython.display import Markdown

t_scalar, t_tensor = best(scalar_step), best(tensor_step)
rows = [
    "| engine | graph nodes | one step (forward + backward) |",
    "|---|---:|---:|",
    f"| scalar (`Value`) | {len(autograd.topological_order(scalar)):,} | {t_scalar * 1e3:.2f} ms |",
    f"| tensor (`Tensor`) | {len(autograd.topological_order(loss))} | {t_tensor * 1e3:.3f} ms ({t_scalar / t_tensor:.0f}x faster) |",
]
Markdown("\n".join(rows))
"""),
]


def build(name: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = NOTEBOOKS[name]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    nbformat.write(nb, HERE / f"{name}.ipynb")
    print(f"wrote {HERE / name}.ipynb")


if __name__ == "__main__":
    for name in sys.argv[1:] or list(NOTEBOOKS):
        build(name)
