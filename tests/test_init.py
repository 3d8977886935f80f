"""nn.init: each scheme draws what its formula says, seeds repeat, the default trains
a wide network, and the "micrograd" scheme keeps the scalar twin."""
from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from nn.init import DEFAULT_INIT, INITS, initial_weights

FAN_IN, FAN_OUT = 300, 200

# scheme -> (kind, scale of the weights, bias bound or 0): uniform on [-scale, scale] or N(0, scale^2)
FORMULAS = {
    "torch": ("uniform", 1 / math.sqrt(FAN_IN), 1 / math.sqrt(FAN_IN)),
    "he_uniform": ("uniform", math.sqrt(6 / FAN_IN), 0.0),
    "he_normal": ("normal", math.sqrt(2 / FAN_IN), 0.0),
    "xavier_uniform": ("uniform", math.sqrt(6 / (FAN_IN + FAN_OUT)), 0.0),
    "xavier_normal": ("normal", math.sqrt(2 / (FAN_IN + FAN_OUT)), 0.0),
    "micrograd": ("uniform", 1.0, 0.0),
}


def test_every_scheme_has_a_formula_here():
    assert set(FORMULAS) == set(INITS) and DEFAULT_INIT == "torch"


@pytest.mark.parametrize("init", INITS)
def test_weights_and_biases_follow_the_formula(init):
    kind, scale, bias_bound = FORMULAS[init]
    layer = nn.Linear(FAN_IN, FAN_OUT, seed=0, init=init)
    W, b = layer.W.data, layer.b.data
    assert W.shape == (FAN_IN, FAN_OUT) and b.shape == (FAN_OUT,) and W.dtype == np.float64
    expected_std = scale / math.sqrt(3) if kind == "uniform" else scale
    assert W.std() == pytest.approx(expected_std, rel=0.02)
    assert abs(W.mean()) < 0.02 * expected_std * 3
    if kind == "uniform":
        assert np.abs(W).max() <= scale and np.abs(W).max() > 0.99 * scale
    else:  # a normal: about 68% within one standard deviation
        assert np.mean(np.abs(W) < scale) == pytest.approx(0.6827, abs=0.01)
    if bias_bound:
        assert np.abs(b).max() <= bias_bound and b.std() == pytest.approx(bias_bound / math.sqrt(3), rel=0.2)
    else:
        assert np.array_equal(b, np.zeros(FAN_OUT))


@pytest.mark.parametrize("init", INITS)
def test_seeds_repeat_and_differ(init):
    a, b, c = (nn.Linear(5, 4, seed=s, init=init).W.data for s in (1, 1, 2))
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    nn.manual_seed(7)
    d = nn.tensor_mlp(5, [4, 3], init=init)
    nn.manual_seed(7)
    e = nn.tensor_mlp(5, [4, 3], init=init)
    assert all(np.array_equal(p.data, q.data) for p, q in zip(d.parameters(), e.parameters()))
    drawn = [p.data.tobytes() for p in d.parameters() if p.data.any()]
    assert len(set(drawn)) == len(drawn)


def test_float32_layers_hold_float32_draws():
    layer = nn.Linear(6, 3, seed=0, dtype=np.float32, init="he_normal")
    assert layer.W.dtype == np.float32 and layer.b.dtype == np.float32
    assert np.array_equal(layer.W.data, nn.Linear(6, 3, seed=0, init="he_normal").W.data.astype(np.float32))


@given(st.integers(0, 2**32), st.lists(st.integers(1, 6), min_size=1, max_size=3), st.sampled_from(nn.ACTIVATIONS))
def test_micrograd_init_is_the_scalar_mlp_twin(seed, sizes, activation):
    scalar = nn.MLP(4, sizes, activation=activation, seed=seed)
    tensor = nn.tensor_mlp(4, sizes, activation=activation, seed=seed, init="micrograd")
    x = np.random.default_rng(seed).standard_normal((3, 4))
    want = np.array([[v.data for v in np.atleast_1d(scalar(row))] for row in x.tolist()])
    np.testing.assert_allclose(tensor(x).data, want, rtol=1e-12, atol=1e-12)
    first = scalar.layers[0].neurons[0]
    assert tensor[0].W.data[:, 0].tolist() == [w.data for w in first.w]  # the very same draws


def test_micrograd_init_draws_from_the_given_generator_like_a_layer():
    rng_a, rng_b = random.Random(3), random.Random(3)
    W, b = initial_weights("micrograd", 3, 2, rng_a)
    layer = nn.Layer(3, 2, seed=rng_b)
    assert W.T.tolist() == [[w.data for w in n.w] for n in layer.neurons] and not b.any()
    assert rng_a.random() == rng_b.random()  # both generators advanced alike


def test_the_default_matches_torch_nn_linear():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    theirs = torch.nn.Linear(FAN_IN, FAN_OUT)
    ours = nn.Linear(FAN_IN, FAN_OUT, seed=0)
    for mine, their in ((ours.W.data, theirs.weight), (ours.b.data, theirs.bias)):
        their = their.detach().numpy()
        assert np.abs(mine).max() <= 1 / math.sqrt(FAN_IN) and np.abs(their).max() <= 1 / math.sqrt(FAN_IN)
        assert mine.std() == pytest.approx(their.std(), rel=0.1)


@pytest.mark.parametrize("init, name", [("he_normal", "kaiming_normal_"), ("xavier_uniform", "xavier_uniform_"),
                                        ("xavier_normal", "xavier_normal_"), ("he_uniform", "kaiming_uniform_")])
def test_he_and_xavier_match_torch_nn_init(init, name):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    theirs = torch.empty(FAN_OUT, FAN_IN, dtype=torch.float64)
    kwargs = {"nonlinearity": "relu"} if name.startswith("kaiming") else {}
    getattr(torch.nn.init, name)(theirs, **kwargs)
    ours = nn.Linear(FAN_IN, FAN_OUT, seed=0, init=init).W.data
    assert ours.std() == pytest.approx(theirs.std().item(), rel=0.03)
    assert np.abs(ours).max() == pytest.approx(theirs.abs().max().item(), rel=0.1)


def _wide_problem(seed: int = 0):
    """Ten classes of 784-pixel images: noisy copies of ten random binary prototypes."""
    rng = np.random.default_rng(seed)
    prototypes = rng.uniform(size=(10, 784)) > 0.7
    y = rng.integers(0, 10, 1000)
    X = np.clip(prototypes[y] + rng.normal(0.0, 0.5, (1000, 784)), 0, 1)
    return X[:800], y[:800], X[800:], y[800:]


def test_the_default_trains_784_256_256_10_out_of_the_box_and_micrograd_init_does_not():
    X, y, X_val, y_val = _wide_problem()
    results = {}
    for init in (DEFAULT_INIT, "micrograd"):
        model = nn.tensor_mlp(784, [256, 256, 10], seed=0, init=init)
        history = nn.fit(model, X, y, nn.cross_entropy_loss, nn.SGD(model.parameters(), lr=0.1), 30,
                         batch_size=128, validation=(X_val, y_val), eval_every=30, progress=False)
        results[init] = history
    default, micrograd = results[DEFAULT_INIT], results["micrograd"]
    assert default.loss[0] == pytest.approx(math.log(10), rel=0.1)   # about uniform class scores at the start
    assert default.loss[-1] < 0.3 * default.loss[0] and default.val_accuracy[-1] >= 0.95
    assert micrograd.loss[0] > 50                                      # blown-up scores
    assert micrograd.val_accuracy[-1] < 0.5                            # and no learning in the same steps


def test_unknown_init_is_refused_listing_the_schemes():
    with pytest.raises(ValueError, match="unknown init 'kaiming'; choose one of torch, he_uniform"):
        nn.Linear(2, 2, init="kaiming")
    with pytest.raises(ValueError, match="unknown init"):
        nn.tensor_mlp(2, [2], init="Torch")


def test_python_random_seed_gives_micrograds_weights():
    """Issue 18: without seed=, modules draw from Python's random module in micrograd's order
    (per layer, per neuron, nin uniform(-1, 1) draws), so random.seed(s) reproduces them."""
    random.seed(1337)
    expected = [random.uniform(-1, 1) for _ in range(2 * 3 + 3 * 1)]
    random.seed(1337)
    model = nn.MLP(2, [3, 1])
    weights = [w.data for layer in model.layers for n in layer.neurons for w in n.w]
    assert weights == expected
    nn.manual_seed(5)
    first = [p.data for p in nn.MLP(2, [3, 1]).parameters()]
    random.seed(5)
    assert [p.data for p in nn.MLP(2, [3, 1]).parameters()] == first
