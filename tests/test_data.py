"""Toy data sets and minibatch iteration."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from nn import data

GENERATORS = sorted(data.DATASETS.items())


@pytest.mark.parametrize("name, make", GENERATORS)
@settings(max_examples=15, deadline=None)
@given(n=st.integers(4, 300), seed=st.integers(0, 2**32 - 1))
def test_shapes_labels_and_repeatability(name, make, n, seed):
    X, y = make(n, seed=seed)
    assert X.shape == (n, 2) and X.dtype == np.float64 and np.all(np.isfinite(X))
    assert y.shape == (n,) and y.dtype == np.int64
    assert set(y.tolist()) == {0, 1}  # every generator defaults to two classes
    X2, y2 = make(n, seed=seed)
    assert np.array_equal(X, X2) and np.array_equal(y, y2)


@pytest.mark.parametrize("name, make", GENERATORS)
def test_different_seeds_give_different_data(name, make):
    assert not np.array_equal(make(50, seed=0)[0], make(50, seed=1)[0])


@pytest.mark.parametrize("name, make", GENERATORS)
def test_classes_are_balanced(name, make):
    _, y = make(101, seed=0)
    assert abs(int(np.sum(y == 0)) - int(np.sum(y == 1))) <= 1


def test_multiclass_blobs_and_spiral():
    for X, y in (data.make_blobs(90, centers=3, seed=0), data.make_spiral(90, classes=3, seed=0)):
        assert np.bincount(y).tolist() == [30, 30, 30]


def test_geometry_without_noise():
    X, y = data.make_circles(40, noise=0.0, factor=0.3)
    radii = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(radii[y == 0], 1.0) and np.allclose(radii[y == 1], 0.3)
    X, y = data.make_xor(40, noise=0.0)
    assert np.array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))
    X, y = data.make_spiral(40, noise=0.0)
    assert np.all(np.hypot(X[:, 0], X[:, 1]) <= 1.0 + 1e-12)
    X, y = data.make_moons(40, noise=0.0)
    assert np.allclose(np.hypot(X[y == 0, 0], X[y == 0, 1]), 1.0)


@pytest.mark.parametrize("make, kwargs", [
    (data.make_circles, {"factor": 1.5}), (data.make_blobs, {"centers": 0}), (data.make_spiral, {"classes": 0})])
def test_bad_arguments_are_refused(make, kwargs):
    with pytest.raises(ValueError):
        make(10, **kwargs)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 60), batch_size=st.integers(1, 70), seed=st.integers(0, 1000))
def test_batches_cover_every_row_once(n, batch_size, seed):
    X = np.arange(2 * n, dtype=float).reshape(n, 2)
    y = np.arange(n)
    got = list(data.batches(X, y, batch_size, seed=seed))
    assert [len(b) for _, b in got[:-1]] == [batch_size] * (len(got) - 1)
    assert 1 <= len(got[-1][1]) <= batch_size
    ys = np.concatenate([b for _, b in got])
    assert sorted(ys.tolist()) == list(range(n))
    for Xb, yb in got:
        assert np.array_equal(Xb[:, 0], 2 * yb)  # rows stay with their labels


def test_batches_shuffle_is_seedable_and_can_be_off():
    X, y = np.zeros((20, 2)), np.arange(20)
    order = lambda **kw: np.concatenate([b for _, b in data.batches(X, y, 6, **kw)]).tolist()
    assert order(seed=3) == order(seed=3) != order(seed=4)
    assert order(seed=3) != list(range(20))
    assert order(shuffle=False) == list(range(20))


def test_batches_refuse_bad_input():
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        list(data.batches(np.zeros((3, 2)), np.zeros(3), 0))
    with pytest.raises(ValueError, match="X has 3 rows but y has 2"):
        list(data.batches(np.zeros((3, 2)), np.zeros(2), 1))
