"""autograd.factories: torch's factory names, their shapes, values and seeding."""
from __future__ import annotations

import numpy as np
import pytest

import autograd
import nn


def test_factories_give_torchs_values_as_float64_constants():
    torch = pytest.importorskip("torch")
    pairs = [(autograd.zeros(2, 3), torch.zeros(2, 3)), (autograd.ones((2,)), torch.ones(2)),
             (autograd.full((2, 2), 7.5), torch.full((2, 2), 7.5)), (autograd.arange(5), torch.arange(5)),
             (autograd.arange(1, 2, 0.25), torch.arange(1, 2, 0.25)), (autograd.eye(3), torch.eye(3)),
             (autograd.eye(2, 3), torch.eye(2, 3)),
             (autograd.one_hot([0, 2, 1]), torch.nn.functional.one_hot(torch.tensor([0, 2, 1]))),
             (autograd.one_hot(np.array([[1], [0]]), 4),
              torch.nn.functional.one_hot(torch.tensor([[1], [0]]), 4))]
    for ours, theirs in pairs:
        np.testing.assert_array_equal(ours.data, theirs.numpy())
        assert ours.dtype == np.float64 and not ours.requires_grad


def test_like_factories_keep_shape_and_dtype():
    t = autograd.Tensor(np.ones((2, 3), np.float32))
    for made in (autograd.zeros_like(t), autograd.ones_like(t), autograd.randn_like(t)):
        assert made.shape == (2, 3) and made.dtype == np.float32
    assert autograd.zeros(2, requires_grad=True).requires_grad


def test_seeding_makes_random_tensors_repeatable():
    autograd.manual_seed(3)
    a = autograd.randn(4)
    nn.manual_seed(3)  # seeds Python's random and autograd's generator, as torch.manual_seed
    b = autograd.randn(4)
    np.testing.assert_array_equal(a.data, b.data)
    r = autograd.rand(1000, generator=np.random.default_rng(0)).data
    assert 0 <= r.min() and r.max() < 1 and abs(r.mean() - 0.5) < 0.05
