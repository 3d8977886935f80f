"""Exercise 9: minibatch SGD on a two-layer network, with your own gradient code."""
from _exercise import SETUP, code, exercise, md

CELLS = [
    md(r"""
# Exercise 9. Minibatch SGD

Train the two-layer network $s = \max(0, X W_1 + b_1)\, W_2 + b_2$ on three spiral arms with
**your own gradient code** (the layer and SVM gradients of exercises 7 and 8), by minibatch
stochastic gradient descent: $\theta \leftarrow \theta - \eta\, \partial J / \partial \theta$ on a random
minibatch at each step.

`train(X, y)` returns the parameters `{"W1", "b1", "W2", "b2"}`. The check trains on 300 points
of a hidden spiral and needs **85% accuracy** on 150 held-out points, within 90 seconds.
"""),
    code(SETUP + r"""
from nn.data import make_spiral

X, y = make_spiral(300, classes=3, noise=0.15, seed=1)
print(X.shape, np.bincount(y))
"""),
    exercise("sgd", r"""
def train(X, y, hidden=64, steps=3000, batch_size=64, lr=0.5, reg=1e-4, seed=0):
    rng = np.random.default_rng(seed)
    D, C = X.shape[1], int(y.max()) + 1
    params = {"W1": rng.normal(size=(D, hidden)) * np.sqrt(2 / D), "b1": np.zeros(hidden),
              "W2": rng.normal(size=(hidden, C)) * np.sqrt(2 / hidden), "b2": np.zeros(C)}
    ### BEGIN SOLUTION
    for step in range(steps):
        batch = rng.choice(len(X), batch_size, replace=False)
        Xb, yb = X[batch], y[batch]
        n, rows = len(Xb), np.arange(len(Xb))
        # forward
        Z1 = Xb @ params["W1"] + params["b1"]
        H = np.maximum(0.0, Z1)
        S = H @ params["W2"] + params["b2"]
        # multiclass SVM loss gradient, dL/dS
        margins = np.maximum(0.0, S - S[rows, yb][:, None] + 1.0)
        margins[rows, yb] = 0.0
        dS = (margins > 0).astype(float)
        dS[rows, yb] = -dS.sum(axis=1)
        dS /= n
        # backward through the two layers
        grads = {"W2": H.T @ dS + 2 * reg * params["W2"], "b2": dS.sum(axis=0)}
        dZ1 = (dS @ params["W2"].T) * (Z1 > 0)
        grads["W1"] = Xb.T @ dZ1 + 2 * reg * params["W1"]
        grads["b1"] = dZ1.sum(axis=0)
        rate = lr * (1 - 0.9 * step / steps)
        for name in params:
            params[name] -= rate * grads[name]
    ### END SOLUTION
    return params
"""),
    code(r"""
check("sgd", train)
"""),
]
