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


@settings(max_examples=40, deadline=None)
@given(counts=st.lists(st.integers(2, 40), min_size=1, max_size=6), test_size=st.floats(0.05, 0.95),
       seed=st.integers(0, 1000))
def test_stratified_split_keeps_every_class_on_both_sides(counts, test_size, seed):
    y = np.repeat(np.arange(len(counts)), counts)
    X = np.stack([np.arange(len(y)), y], axis=1).astype(float)  # column 0 names the row
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=test_size, seed=seed)
    rows = np.concatenate([X_train[:, 0], X_test[:, 0]])
    assert sorted(rows.tolist()) == list(range(len(y)))                      # a partition of the rows
    assert np.array_equal(X_train[:, 1], y_train) and np.array_equal(X_test[:, 1], y_test)
    for c, n in enumerate(counts):
        n_test = int(np.sum(y_test == c))
        assert n_test == min(max(round(test_size * n), 1), n - 1)            # its share, at least one each side
        assert int(np.sum(y_train == c)) == n - n_test


def test_split_is_seedable_and_shuffled():
    X, y = data.make_blobs(100, centers=4, seed=0)
    a, b, c = (data.train_test_split(X, y, seed=s) for s in (5, 5, 6))
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    assert not np.array_equal(a[1], c[1])
    assert len(a[1]) == 20 and len(a[0]) == 80
    assert not np.array_equal(a[3], np.sort(a[3]))   # the test part is not grouped by class


def test_unstratified_split_takes_continuous_targets():
    X, t = np.arange(50.0).reshape(25, 2), np.linspace(0, 1, 25)
    X_train, X_test, t_train, t_test = data.train_test_split(X, t, test_size=0.2, stratify=False, seed=0)
    assert len(X_test) == 5 and len(X_train) == 20
    assert np.allclose(X_test[:, 0] / 2 / 24, t_test)                 # row i holds [2i, 2i+1] and t = i/24


def test_standardize_uses_the_training_statistics_only():
    rng = np.random.default_rng(0)
    train = rng.normal(3.0, 2.0, (200, 3))
    train[:, 2] = 7.0                                   # a constant feature
    test = rng.normal(3.0, 2.0, (50, 3))
    z_train, z_test = data.standardize(train, test)
    assert np.allclose(z_train[:, :2].mean(axis=0), 0) and np.allclose(z_train[:, :2].std(axis=0), 1)
    assert np.array_equal(z_train[:, 2], np.zeros(200))                      # only centred
    assert np.allclose(z_test, (test - train.mean(axis=0)) / np.array([*train[:, :2].std(axis=0), 1.0]))
    with pytest.raises(ValueError, match="shape"):
        data.standardize(train, np.zeros((4, 2)))


def test_load_digits_reads_scikit_learns_copy():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64 and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    reference = sklearn_datasets.load_digits()
    assert np.array_equal(X * 16, reference.data) and np.array_equal(y, reference.target)
    assert np.array_equal(X.reshape(-1, 8, 8)[5] * 16, reference.images[5])


def test_load_digits_without_scikit_learn_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match=r"pip install 'chainrule\[datasets\]'"):
        data.load_digits()


@pytest.mark.parametrize("labels, bad", [
    ([float("nan"), float("nan"), 1.0, 1.0], "nan"), ([0, 0, float("inf"), float("inf")], "inf"),
    ([0.0, 0.0, 1.5, 1.5], "1.5"), (np.array(["a", "a", "b", "b"], dtype=object), "'a'"),
    ([0, 0, None, None], "None"),
])
def test_stratifying_refuses_labels_that_are_not_whole_numbers_naming_the_first(labels, bad):
    # a nan is in no class (nan != nan): before, its rows were silently dropped from both parts
    with pytest.raises(ValueError, match=f"cannot stratify: class label {bad} is not an integer"):
        data.train_test_split(np.zeros((4, 2)), labels)


@pytest.mark.parametrize("labels", [[-1, -1, 1, 1], [0.0, 0.0, 2.0, 2.0], [True, True, False, False]])
def test_stratifying_keeps_every_row_of_whole_number_labels(labels):
    X = np.arange(8.0).reshape(4, 2)
    X_train, X_test, y_train, y_test = data.train_test_split(X, labels, test_size=0.5)
    assert sorted(X_train[:, 0].tolist() + X_test[:, 0].tolist()) == X[:, 0].tolist()
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == sorted(labels)


def test_without_stratifying_nan_targets_keep_their_rows():
    y = np.array([np.nan, 0.5, np.nan, 1.5])
    _, _, y_train, y_test = data.train_test_split(np.zeros((4, 2)), y, stratify=False)
    assert len(y_train) + len(y_test) == 4 and np.isnan(np.concatenate([y_train, y_test])).sum() == 2


@pytest.mark.parametrize("make", [data.make_blobs, data.make_spiral])
def test_class_counts_must_be_integers(make):
    with pytest.raises(TypeError, match="must be an integer, got float 2.5"):
        make(10, 2.5)
    X, y = make(10, 3)
    assert y.dtype == np.int64 and set(y.tolist()) == {0, 1, 2}


@pytest.mark.parametrize("make", sorted(data.DATASETS.values(), key=lambda f: f.__name__))
def test_every_generator_checks_its_size_and_noise(make):
    with pytest.raises(ValueError, match=f"{make.__name__}: n must be >= 1, got n=-5"):
        make(-5)
    with pytest.raises(TypeError, match=f"{make.__name__}: n must be an integer, got str '5'"):
        make("5")
    spread = "std" if make is data.make_blobs else "noise"
    for bad in (-0.1, float("nan"), float("inf"), "0.1"):
        with pytest.raises(ValueError, match=f"{make.__name__}: {spread} must be a finite number >= 0"):
            make(10, **{spread: bad})
    assert make(1)[0].shape == (1, 2)


def test_minibatches_check_their_arguments():
    with pytest.raises(TypeError, match="batch_size must be an integer, got float 2.5"):
        list(data.minibatch_indices(10, 2.5))
    with pytest.raises(TypeError, match="shuffle must be True or False, got str 'no'"):
        list(data.minibatch_indices(10, 2, shuffle="no"))


def test_test_size_may_be_any_real_number_type():
    _, X_test, _, _ = data.train_test_split(np.zeros((10, 2)), [0, 1] * 5, test_size=np.float32(0.2))
    assert len(X_test) == 2
