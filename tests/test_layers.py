"""nn.layers: Linear, Sequential, activations and tensor_mlp, in matrix form."""
from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor
from nn.data import make_moons

rng = np.random.default_rng(0)


def test_linear_computes_xw_plus_b_and_the_lecture_notes_gradients():
    layer = nn.Linear(3, 4, seed=1)
    layer.b.data = rng.standard_normal(4)
    O = Tensor(rng.standard_normal((5, 3)))
    G = rng.standard_normal((5, 4))
    Z = layer(O)
    np.testing.assert_allclose(Z.data, O.data @ layer.W.data + layer.b.data)
    Z.backward(G)
    np.testing.assert_allclose(layer.W.grad, O.data.T @ G)          # dL/dW = O^T G
    np.testing.assert_allclose(layer.b.grad, np.ones(5) @ G)        # dL/db = 1^T G
    np.testing.assert_allclose(O.grad, G @ layer.W.data.T)          # dL/dO = G W^T


def test_linear_options_and_refusals():
    assert nn.Linear(2, 3, bias=False).b is None
    assert len(nn.Linear(2, 3, bias=False).parameters()) == 1
    layer = nn.Linear(2, 3, dtype=np.float32, seed=0)
    assert layer(np.ones((4, 2))).dtype == np.float32
    with pytest.raises(ValueError, match=r"expects inputs with 2 features .* got shape \(4, 3\)"):
        layer(np.ones((4, 3)))
    with pytest.raises(ValueError, match="nin must be >= 1"):
        nn.Linear(0, 3)


def test_activation_modules():
    x = Tensor([[-1.0, 0.5]])
    assert np.array_equal(nn.ReLU()(x).data, [[0.0, 0.5]])
    assert np.allclose(nn.Tanh()(x).data, np.tanh(x.data))
    assert np.allclose(nn.Sigmoid()(x).data, 1 / (1 + np.exp(-x.data)))


def test_sequential_names_indexing_and_repr():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    assert [n for n, _ in model.named_parameters()] == ["layers.0.W", "layers.0.b", "layers.2.W", "layers.2.b"]
    assert isinstance(model[1], nn.ReLU) and len(model) == 3 and list(model)[2] is model[2]
    assert "(layers.0): Linear(2 -> 3)" in repr(model)
    assert model.batched and not nn.Sequential(nn.MLP(2, [1])).batched
    with pytest.raises(ValueError, match="at least one module"):
        nn.Sequential()


def _weights(scalar, field):
    arrays = []
    for layer in scalar.layers:
        arrays.append(np.array([[getattr(w, field) for w in n.w] for n in layer.neurons]).T)
        arrays.append(np.array([getattr(n.b, field) for n in layer.neurons]))
    return arrays


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_same_network_same_gradients_with_values_and_tensors(activation):
    X, y = make_moons(30, seed=2)
    labels = [2 * int(t) - 1 for t in y]
    scalar = nn.MLP(2, [5, 4, 1], activation=activation, seed=3)
    tensor = nn.tensor_mlp(2, [5, 4, 1], activation=activation, seed=3, init="micrograd")
    loss_s = nn.hinge_loss([scalar(x) for x in X.tolist()], labels) + 1e-3 * nn.l2_penalty(scalar.parameters())
    loss_t = nn.hinge_loss(tensor(X), labels) + 1e-3 * nn.l2_penalty(tensor.parameters())
    assert loss_t.item() == pytest.approx(loss_s.data, rel=1e-12)
    loss_s.backward()
    loss_t.backward()
    for mine, theirs in zip([p.grad for p in tensor.parameters()], _weights(scalar, "grad")):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-9)


def test_state_dict_save_and_load_round_trip_and_refusal(tmp_path):
    model = nn.tensor_mlp(2, [4, 1], seed=0)
    path = tmp_path / "model.npz"
    nn.save(model, path)
    other = nn.tensor_mlp(2, [4, 1], seed=1)
    nn.load(other, path)
    for a, b in zip(model.parameters(), other.parameters()):
        assert np.array_equal(a.data, b.data) and a.data.dtype == b.data.dtype
    wrong = nn.tensor_mlp(2, [5, 1], seed=1)
    before = [p.data.copy() for p in wrong.parameters()]
    with pytest.raises(ValueError, match=r"layers.0.W: model \(2, 5\), state \(2, 4\)"):
        nn.load(wrong, path)
    assert all(np.array_equal(a, p.data) for a, p in zip(before, wrong.parameters()))


def test_fit_and_predict_batch_a_tensor_model():
    X, y = make_moons(100, seed=0)
    labels = [2 * int(t) - 1 for t in y]
    model = nn.tensor_mlp(2, [16, 16, 1], seed=0, init="micrograd")  # micrograd's recipe, as in the demo
    opt = nn.SGD(model.parameters(), lr=1.0)
    history = nn.fit(model, X, labels, nn.hinge_loss, opt, steps=100, l2=1e-4,
                     lr_schedule=lambda k: 1.0 - 0.9 * k / 100, progress=False, batch_size=None)
    predictions = nn.predict(model, X)
    assert len(predictions) == 100 and isinstance(predictions[0], float)
    assert nn.binary_accuracy(predictions, labels) >= 0.97
    assert history.loss[-1] < history.loss[0]
    small_model = nn.tensor_mlp(2, [8, 1], seed=0)
    small = nn.fit(small_model, X, labels, nn.hinge_loss, nn.Adam(small_model.parameters()), steps=3,
                   batch_size=16, progress=False)
    assert len(small.loss) == 3
    with autograd.no_grad():
        assert not model(X).requires_grad


@pytest.mark.parametrize("bias", ["no", None, 0, 1.0])
def test_bias_takes_only_true_or_false(bias):
    # 'no' is true in Python: it would silently create a bias
    with pytest.raises(TypeError, match=f"Linear: bias must be True or False, got {type(bias).__name__}"):
        nn.Linear(2, 1, bias=bias)


@pytest.mark.parametrize("bias", [True, False, np.bool_(False)])
def test_bias_flags_that_are_booleans_work(bias):
    layer = nn.Linear(2, 1, bias=bias)
    assert (layer.b is not None) == bool(bias)


def test_predict_on_no_rows_gives_no_outputs_like_torch():
    torch = pytest.importorskip("torch")
    model = nn.tensor_mlp(2, [3, 1], seed=0)
    assert nn.predict(model, np.zeros((0, 2))) == [] == nn.predict(nn.MLP(2, [3, 1], seed=0), np.zeros((0, 2)))
    assert nn.to_torch(model)(torch.zeros((0, 2), dtype=torch.float64)).shape == (0, 1)  # torch: no rows out
    with pytest.raises(ValueError, match=r"Linear expects inputs with 2 features \(shape \(N, 2\)\), got shape \(0, 3\)"):
        nn.predict(model, np.zeros((0, 3)))


def test_predict_refuses_a_1d_X_for_either_kind_of_model():
    for model in (nn.tensor_mlp(2, [1], seed=0), nn.MLP(2, [1], seed=0)):
        with pytest.raises(ValueError, match=r"got shape \(2,\); for one sample write \[x\]"):
            nn.predict(model, [1.0, 2.0])
        assert len(nn.predict(model, [[1.0, 2.0]])) == 1
