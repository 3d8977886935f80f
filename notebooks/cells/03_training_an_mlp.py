"""The cells of notebook 3. Training a multilayer perceptron."""
from _cell import code, md

CELLS = [
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

We watch it happen with a **live view**: one output below the cell is redrawn while the
loop runs, with the loss and accuracy curves, the decision boundary, and the graph of
one training point (sample 0) with its current values and the gradients
$\frac{\partial \text{score}}{\partial \cdot}$ of its score. `view.start` shows it,
`view.step` after each step redraws it when due (here every 20 steps), `view.close`
draws the final state.
"""),
    code(r"""
from nn.live import LiveView

optimizer = nn.SGD(model.parameters(), lr=1.0)
history = nn.History()
steps = 100
view = LiveView(every=20, sample=0)
view.start(model, X, labels, steps, history)
for k in range(steps):
    loss, accuracy = loss_and_accuracy(model)       # 1. forward
    optimizer.zero_grad()                           # 2. zero the gradients
    loss.backward()                                 # 3. backward
    optimizer.lr = 1.0 - 0.9 * k / steps            # 4. update
    optimizer.step()
    history.loss.append(loss.data)
    history.accuracy.append(accuracy)
    view.step(k, history)
    if k % 20 == 0 or k == steps - 1:
        print(f"step {k:3d}  loss {loss.data:.4f}  accuracy {accuracy:.2f}")
view.close(history)
"""),
    md(r"""
Every redraw was kept: `view.player()` plays them back step by step (click it, then use
the arrow keys; the zoom button shows the graph at its natural size), and
`view.save("training.html")` writes the same player as one offline page.
"""),
    code(r"""
view.player(title="Training on the moons, every 20 steps")
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
backward, its parameters named as the model names them (`names=model`): the fused node computes $b + \sum_k w_k x_k$, and on its input edges you can
see the mul gate's swap, $\frac{\partial}{\partial w_k} = x_k$ and
$\frac{\partial}{\partial x_k} = w_k$, times the upstream gradient that the ReLU let
through.
"""),
    code(r"""
point = [autograd.Value(v, label=f"x{k}") for k, v in enumerate(X[0].tolist())]
out = model.layers[0].neurons[0](point);  out.label = "out"
model.zero_grad()
out.backward()
autograd.draw_graph(out, edge_grads=True, names=model)
"""),
    md(r"""
## The same in one call

`nn.fit` runs exactly this loop (with an optional progress bar, minibatches and a
learning-rate schedule) and returns the history. `nn.fit(..., live=True)` shows the same
live view while it trains (`live=LiveView(every=..., sample=...)` chooses its settings);
by default it redraws only as often as keeps this model's training within about 1.1x of
its plain time (`benchmarks/live_view.py` measures it; a short Tensor run, whose steps are
much quicker, comes to about 1.4-1.6x). The view shows the progress itself (step, loss,
steps per second) in the line above it, so no separate progress bar appears.
"""),
    code(r"""
model2 = nn.MLP(2, [16, 16, 1], seed=0)
history2 = nn.fit(model2, X, labels, nn.hinge_loss, nn.SGD(model2.parameters(), lr=1.0),
                  steps=100, l2=1e-4, lr_schedule=lambda k: 1.0 - 0.9 * k / 100, live=True)
print(f"final loss {history2.loss[-1]:.4f}, accuracy {nn.binary_accuracy(nn.predict(model2, X), labels):.2f}")
"""),
]
