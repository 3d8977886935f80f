"""The cells of notebook 5. Several classes: the multiclass SVM loss with regularisation."""
from _cell import code, md

CELLS = [
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
