"""The cells of notebook 6. Handwritten digits with a Tensor MLP."""
from _cell import code, md

CELLS = [
    md(r"""
# 6. Handwritten digits with a Tensor MLP

The networks so far learned two-dimensional toy data. This notebook trains one on real
data, 1,797 handwritten digits of 8 x 8 pixels, with everything the matrix form of
notebook 4 derived: batched layers $Z = O W + \mathbf{1} b^{\top}$, softmax
cross-entropy over ten classes, and an honest measurement on digits the network never
trained on.
"""),
    code(r"""
%matplotlib inline
import numpy as np
import autograd
import nn
from autograd import Tensor
from nn.plots import plot_confusion_matrix, plot_curves, plot_images
"""),
    md(r"""
## The images

`nn.data.load_digits()` reads the copy of the UCI digits that scikit-learn ships (no
download; `pip install 'chainrule[datasets]'`). Each row of `X` is one image, its 64
pixels row by row, scaled to $[0, 1]$; `y` holds the digit.
"""),
    code(r"""
X, y = nn.data.load_digits()
print("X:", X.shape, " y:", y.shape, f" pixels from {X.min()} to {X.max()}")
print("images per digit:", np.bincount(y).tolist())
plot_images(X[:30], y[:30], columns=15)
"""),
    md(r"""
## Held-out data

A model is judged on data it did not train on. `train_test_split` sets 20% of the images
aside, **stratified**: each digit is split on its own, so both parts keep the same mix of
digits. The pixels are then standardized, $(x - \mu) / \sigma$ per pixel, with $\mu$ and
$\sigma$ taken from the training images only: the test images must not leak into
anything the model is built from.
"""),
    code(r"""
X_train, X_test, y_train, y_test = nn.data.train_test_split(X, y, test_size=0.2, seed=0)
images_test = X_test                   # the raw pixels, for pictures
X_train, X_test = nn.data.standardize(X_train, X_test)
print("train:", X_train.shape, np.bincount(y_train).tolist())
print("test: ", X_test.shape, np.bincount(y_test).tolist())
"""),
    md(r"""
## The batched layer on real data

With a batch of images as the rows of $O$ ($m \times 64$), a layer of $n$ units computes
$Z = O W + \mathbf{1} b^{\top}$, and backpropagation gives, with $G = \partial L / \partial Z$,

$$\frac{\partial L}{\partial W} = O^{\top} G, \qquad \frac{\partial L}{\partial b} = \mathbf{1}^{\top} G, \qquad \frac{\partial L}{\partial O} = G\, W^{\top}.$$

`nn.Linear(64, 32)` is that layer. We feed it five training images and an arbitrary
upstream gradient $G$, and compare what the engine computes with the formulas.
"""),
    code(r"""
layer = nn.Linear(64, 32, seed=0)
O = Tensor(X_train[:5], label="O")
Z = layer(O)
G = np.random.default_rng(0).standard_normal(Z.shape)
Z.backward(G)
ones = np.ones(len(O.data))
print("Z = O W + 1 b^T:", np.allclose(Z.data, O.data @ layer.W.data + np.outer(ones, layer.b.data)), Z.shape)
print("dL/dW = O^T G:  ", np.allclose(layer.W.grad, O.data.T @ G), layer.W.grad.shape)
print("dL/db = 1^T G:  ", np.allclose(layer.b.grad, ones @ G), layer.b.grad.shape)
print("dL/dO = G W^T:  ", np.allclose(O.grad, G @ layer.W.data.T), O.grad.shape)
"""),
    md(r"""
## Softmax cross-entropy and its gradient

The network gives each image ten scores $s_{i1}, \dots, s_{i,10}$. Softmax turns them
into probabilities $p_{ij} = e^{s_{ij}} / \sum_k e^{s_{ik}}$, and the loss is the
negative log-probability of the correct digit, averaged over the $N$ images:

$$L = \frac{1}{N} \sum_i L_i, \qquad L_i = -\log p_{i y_i} = \log \sum_k e^{s_{ik}} - s_{i y_i}.$$

Its gradient is remarkably simple: the predicted probabilities minus the one-hot truth,

$$\frac{\partial L}{\partial s_{ij}} = \frac{1}{N} \left(p_{ij} - [j = y_i]\right).$$

The engine computes it through `log_softmax`; we check it against the formula.
"""),
    code(r"""
model = nn.tensor_mlp(64, [64, 10], seed=0)
S = model(X_train[:8])
scores = Tensor(S.data, label="s")          # the scores as a leaf, to read their gradient
L = nn.cross_entropy_loss(scores, y_train[:8])
L.backward()
p = np.exp(S.data - S.data.max(axis=1, keepdims=True))
p /= p.sum(axis=1, keepdims=True)
onehot = np.eye(10)[y_train[:8]]
print(f"L = {L.item():.4f}   (log 10 = {np.log(10):.4f}: about uniform guesses before training)")
print("dL/ds = (p - onehot) / N:", np.allclose(scores.grad, (p - onehot) / 8))
"""),
    md(r"""
## Why the initial weights matter

micrograd draws every weight uniformly from $[-1, 1]$. A unit that sums 64 inputs then
has a pre-activation about $\sqrt{64/3} \approx 4.6$ times larger than its inputs, and
every further layer multiplies again. `nn.Linear` and `nn.tensor_mlp` therefore use
PyTorch's default, $\mathcal{U}(-1/\sqrt{\text{fan\_in}},\, 1/\sqrt{\text{fan\_in}})$, unless
`init=` names another scheme (He, Xavier, or `"micrograd"`, which keeps a Tensor MLP
equal to `nn.MLP`).
"""),
    code(r"""
for init in ("micrograd", "torch", "he_normal"):
    m = nn.tensor_mlp(64, [64, 64, 10], seed=0, init=init)
    hidden = m[1](m[0](X_train))
    scores = m(X_train)
    print(f"{init:>10}: std of hidden layer 1 {hidden.data.std():7.3f}   std of the scores {scores.data.std():8.3f}   "
          f"initial loss {nn.cross_entropy_loss(scores, y_train).item():7.2f}")
"""),
    md(r"""
## Training, with the held-out digits watched

`nn.fit` trains on minibatches of 64 images with Adam. With `validation=(X_test, y_test)`
it also measures the loss and accuracy on the held-out images every `eval_every` steps,
under `no_grad()`, so they never influence the weights.
"""),
    code(r"""
model = nn.tensor_mlp(64, [64, 10], seed=0)
history = nn.fit(model, X_train, y_train, nn.cross_entropy_loss, nn.Adam(model.parameters(), lr=0.003),
                 steps=1000, batch_size=64, validation=(X_test, y_test), eval_every=50, progress=False)
predicted = nn.argmax(nn.predict(model, X_test))
print(f"train accuracy    {nn.multiclass_accuracy(nn.predict(model, X_train), y_train):.4f}")
print(f"held-out accuracy {np.mean(predicted == y_test):.4f}")
"""),
    code(r"""
plot_curves(history)
"""),
    md(r"""
The training loss keeps falling towards zero, while the held-out loss levels off: from
then on the network mostly memorises the training images. The held-out accuracy is what
to expect on new digits.

## The confusion matrix

Row $i$, column $j$ counts the test images of digit $i$ that the network read as $j$;
the diagonal holds the hits.
"""),
    code(r"""
matrix = nn.confusion_matrix(predicted, y_test, num_classes=10)
print(matrix)
plot_confusion_matrix(matrix)
"""),
    md(r"""
## The worst mistakes

The test images with the highest loss are those the network got most confidently wrong.
Each is titled with the prediction and, in brackets, the truth, and its probability.
"""),
    code(r"""
scores = model(X_test)
probabilities = scores.softmax(axis=1).data
loss_per_image = -np.log(probabilities[np.arange(len(y_test)), y_test])
worst = np.argsort(loss_per_image)[::-1][:8]
for i in worst:
    print(f"test image {i:3d}: read as {predicted[i]} with p = {probabilities[i, predicted[i]]:.2f}, "
          f"truly {y_test[i]} with p = {probabilities[i, y_test[i]]:.2f}")
plot_images(images_test[worst], predicted[worst], y_test[worst], columns=8)
"""),
    md(r"""
## Graduating to PyTorch

The model is a stack of `Linear` and `ReLU` layers, so `nn.to_torch` turns it into a
`torch.nn.Sequential` with the same weights (`nn.from_torch` goes back). The torch model
must read every test digit the same way. (This cell needs PyTorch, which chainrule does not.)
"""),
    code(r"""
from IPython.display import Markdown

try:
    import torch
except ImportError:
    torch = None

if torch is None:
    result = Markdown("PyTorch is not installed here: `pip install torch` to run this check.")
else:
    torch_model = nn.to_torch(model)
    with torch.no_grad():
        torch_labels = torch_model(torch.from_numpy(X_test)).argmax(dim=1).numpy()
    assert np.array_equal(torch_labels, predicted), "torch reads some digits differently"
    back = nn.from_torch(torch_model)
    assert np.array_equal(nn.argmax(nn.predict(back, X_test)), predicted)
    result = Markdown(f"```\n{torch_model}\n```\nThe torch model predicts the same label for all "
                      f"{len(predicted)} test digits, and so does the model brought back with `nn.from_torch`.")
result
"""),
]
