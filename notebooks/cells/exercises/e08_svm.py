"""Exercise 8: the multiclass SVM loss with L2."""
from _exercise import SETUP, code, exercise, md

CELLS = [
    md(r"""
# Exercise 8. The multiclass SVM loss with L2, vectorised

Scores $s = X W$ ($N \times C$, one row per sample). For sample $i$ with correct class $y_i$:

$$L_i = \sum_{j \ne y_i} \max(0,\ s_j - s_{y_i} + 1), \qquad
L = \frac{1}{N}\sum_i L_i + \lambda \sum_k W_k^2 .$$

Write `svm_loss(W, X, y, reg)` returning `(loss, dW)` **without Python loops over samples**:
build the margins matrix, then its gradient: each positive margin sends $+1$ to class $j$ and
$-1$ to class $y_i$; then $dW = X^\top (\ldots) / N + 2 \lambda W$.
"""),
    code(SETUP),
    exercise("svm", r"""
def svm_loss(W, X, y, reg):
    N = X.shape[0]
    rows = np.arange(N)
    ### BEGIN SOLUTION
    scores = X @ W
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    loss = margins.sum() / N + reg * (W * W).sum()
    dscores = (margins > 0).astype(float)
    dscores[rows, y] = -dscores.sum(axis=1)
    dW = X.T @ dscores / N + 2 * reg * W
    return loss, dW
    ### END SOLUTION
"""),
    code(r"""
check("svm", svm_loss)
"""),
    md(r"""
The same loss on Tensors, for comparison: the engine's gradient of it is what the check uses.
"""),
    code(r"""
from nn.course import svm_loss_tensor

rng = np.random.default_rng(0)
W = Tensor(rng.normal(size=(3, 4)) * 0.5, label="W")
X, y = rng.normal(size=(5, 3)), np.array([0, 1, 2, 3, 0])
loss = svm_loss_tensor(W, X, y, reg=0.1)
loss.backward()
print("loss", round(float(loss.data), 4))
print("dW", np.round(W.grad, 4))
"""),
]
