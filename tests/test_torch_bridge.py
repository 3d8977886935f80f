"""nn.to_torch and nn.from_torch: the same function, the same weights, both ways."""
from __future__ import annotations

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn

TOLERANCE = {np.float32: 1e-6, np.float64: 1e-12}


def _torch():
    return pytest.importorskip("torch")


@settings(max_examples=25)
@given(st.integers(0, 2**32 - 1), st.lists(st.integers(1, 12), min_size=1, max_size=4),
       st.sampled_from(["relu", "tanh", "sigmoid"]), st.sampled_from([np.float32, np.float64]),
       st.sampled_from(nn.init.INITS))
def test_to_torch_computes_the_same_outputs(seed, sizes, activation, dtype, init):
    torch = _torch()
    model = nn.tensor_mlp(5, sizes, activation=activation, seed=seed, dtype=dtype, init=init)
    theirs = nn.to_torch(model)
    assert isinstance(theirs, torch.nn.Sequential) and len(theirs) == len(model)
    x = np.random.default_rng(seed).standard_normal((7, 5)).astype(dtype)
    out = theirs(torch.from_numpy(x)).detach().numpy()
    assert out.dtype == dtype
    np.testing.assert_allclose(out, model(x).data, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


@settings(max_examples=25)
@given(st.integers(0, 2**31 - 1), st.lists(st.integers(1, 12), min_size=1, max_size=4),
       st.sampled_from(["ReLU", "Tanh", "Sigmoid"]), st.sampled_from([np.float32, np.float64]), st.booleans())
def test_from_torch_computes_the_same_outputs(seed, sizes, activation, dtype, bias):
    torch = _torch()
    torch.manual_seed(seed)
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    layers, nin = [], 5
    for i, n in enumerate(sizes):
        layers.append(torch.nn.Linear(nin, n, bias=bias, dtype=tdtype))
        if i < len(sizes) - 1:
            layers.append(getattr(torch.nn, activation)())
        nin = n
    theirs = torch.nn.Sequential(*layers)
    ours = nn.from_torch(theirs)
    assert isinstance(ours, nn.Sequential) and ours.batched
    x = np.random.default_rng(seed).standard_normal((7, 5)).astype(dtype)
    mine = ours(x).data
    assert mine.dtype == dtype
    np.testing.assert_allclose(mine, theirs(torch.from_numpy(x)).detach().numpy(),
                               rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])


def test_round_trip_keeps_every_weight_exactly_and_copies_them():
    _torch()
    model = nn.tensor_mlp(3, [4, 2], seed=1)
    back = nn.from_torch(nn.to_torch(model))
    assert [n for n, _ in back.named_parameters()] == [n for n, _ in model.named_parameters()]
    for a, b in zip(model.parameters(), back.parameters()):
        assert np.array_equal(a.data, b.data) and a.data.dtype == b.data.dtype
    back[0].W.data[0, 0] += 1.0
    assert model[0].W.data[0, 0] != back[0].W.data[0, 0]   # copies, not views


def test_to_torch_weights_are_transposed_and_copied():
    torch = _torch()
    model = nn.tensor_mlp(3, [2], seed=0)
    linear = nn.to_torch(model)[0]
    assert np.array_equal(linear.weight.detach().numpy(), model[0].W.data.T)
    with torch.no_grad():
        linear.weight.zero_()
    assert model[0].W.data.any()


def test_single_layers_and_nested_sequentials_translate():
    torch = _torch()
    assert isinstance(nn.to_torch(nn.Linear(2, 3, seed=0))[0], torch.nn.Linear)
    assert isinstance(nn.to_torch(nn.Tanh())[0], torch.nn.Tanh)
    nested = nn.Sequential(nn.Sequential(nn.Linear(2, 3, seed=0), nn.ReLU()), nn.Linear(3, 1, seed=1))
    assert [type(m).__name__ for m in nn.to_torch(nested)] == ["Linear", "ReLU", "Linear"]
    theirs = torch.nn.Sequential(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sigmoid()), torch.nn.Linear(3, 1))
    assert [type(m).__name__ for m in nn.from_torch(theirs)] == ["Linear", "Sigmoid", "Linear"]
    assert isinstance(nn.from_torch(torch.nn.Linear(2, 2))[0], nn.Linear)


def test_a_trained_model_predicts_the_same_labels_in_torch():
    torch = _torch()
    X, y = nn.data.make_blobs(120, centers=3, seed=0)
    model = nn.tensor_mlp(2, [16, 3], seed=0)
    nn.fit(model, X, y, nn.cross_entropy_loss, nn.Adam(model.parameters(), lr=0.05), 50, progress=False)
    theirs = nn.to_torch(model)
    assert np.array_equal(theirs(torch.from_numpy(X)).argmax(dim=1).numpy(), nn.argmax(nn.predict(model, X)))


def test_without_torch_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` fail
    with pytest.raises(ImportError, match="needs PyTorch, which is not installed: pip install torch"):
        nn.to_torch(nn.tensor_mlp(2, [1], seed=0))
    with pytest.raises(ImportError, match="nn.from_torch needs PyTorch"):
        nn.from_torch(object())


def test_importing_nn_does_not_import_torch():
    import subprocess

    code = "import nn, sys; nn.tensor_mlp(2, [1]); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
