"""Accuracy, argmax and the confusion matrix."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd
import nn


def test_binary_accuracy_counts_sign_agreement():
    scores = [autograd.Value(0.5), -2.0, 0.1, -0.3]
    assert nn.binary_accuracy(scores, [1, -1, -1, 1]) == 0.5
    assert nn.binary_accuracy(scores, [1, 0, 1, 0]) == 1.0


def test_multiclass_accuracy_uses_argmax():
    scores = [[0.1, 0.9, 0.0], [autograd.Value(2.0), autograd.Value(1.0), autograd.Value(3.0)]]
    assert nn.multiclass_accuracy(scores, [1, 0]) == 0.5


@pytest.mark.parametrize("fn", [nn.binary_accuracy, nn.multiclass_accuracy])
def test_mismatch_and_empty_are_refused(fn):
    with pytest.raises(ValueError, match="1 scores but 2 labels"):
        fn([[1.0]], [0, 0])
    with pytest.raises(ValueError, match="empty"):
        fn([], [])


def test_argmax_takes_every_form_of_scores():
    rows = [[0.1, 0.9, 0.0], [2.0, 1.0, 3.0]]
    for scores in (rows, np.array(rows), autograd.Tensor(rows),
                   [[autograd.Value(v) for v in row] for row in rows], [np.array(r) for r in rows]):
        assert nn.argmax(scores).tolist() == [1, 2]
    assert nn.argmax([[1.0, 1.0, 0.0]]).tolist() == [0]          # ties: the first
    with pytest.raises(ValueError, match=r"one row of C class scores per sample, shape \(N, C\)"):
        nn.argmax([0.5, -0.2])


@given(hnp.arrays(np.float64, st.tuples(st.integers(1, 20), st.integers(1, 6)), elements=st.floats(-5, 5)),
       st.data())
def test_multiclass_accuracy_is_the_mean_of_argmax_hits(scores, data):
    labels = data.draw(st.lists(st.integers(0, scores.shape[1] - 1), min_size=len(scores), max_size=len(scores)))
    expected = np.mean([int(np.argmax(row)) == y for row, y in zip(scores, labels)])
    assert nn.multiclass_accuracy(scores, labels) == pytest.approx(expected)
    assert nn.multiclass_accuracy(autograd.Tensor(scores), labels) == pytest.approx(expected)


def test_accuracy_picks_binary_or_multiclass_from_the_scores():
    assert nn.accuracy([0.5, -1.0], [1, -1]) == 1.0
    assert nn.accuracy(autograd.Tensor([[0.5], [-1.0]]), [1, 0]) == 1.0
    assert nn.accuracy([[0.5, 1.0], [2.0, -1.0]], [1, 1]) == 0.5
    assert nn.accuracy(autograd.Tensor([[0.5, 1.0], [2.0, -1.0]]), [1, 0]) == 1.0



def test_predicted_classes_are_the_classes_accuracy_counts():
    one = [autograd.Value(0.5), -2.0, 0.0, 3.0]                         # one score each: the class is score > 0
    for outputs in (one, np.array([0.5, -2.0, 0.0, 3.0]), autograd.Tensor([[0.5], [-2.0], [0.0], [3.0]])):
        assert nn.metrics.predicted_classes(outputs).tolist() == [1, 0, 0, 1]
        assert nn.accuracy(outputs, [1, 0, 0, 1]) == 1.0
    rows = [[0.1, 0.9, 0.0], [2.0, 1.0, 3.0], [1.0, 1.0, 0.0]]          # several: argmax, the first on a tie
    for outputs in (rows, autograd.Tensor(rows), [np.array(r) for r in rows]):
        assert nn.metrics.predicted_classes(outputs).tolist() == [1, 2, 0]
        assert nn.accuracy(outputs, [1, 2, 0]) == 1.0

def test_labels_outside_the_classes_are_named():
    with pytest.raises(ValueError, match=r"class label 3 is not an integer in \[0, 3\): there are 3 classes"):
        nn.multiclass_accuracy([[0.1, 0.2, 0.3]], [3])


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=60))
def test_confusion_matrix_counts_each_pair(pairs):
    predicted, labels = [p for p, _ in pairs], [y for _, y in pairs]
    m = nn.confusion_matrix(predicted, labels, num_classes=5)
    assert m.shape == (5, 5) and m.dtype == np.int64 and m.sum() == len(pairs)
    for i in range(5):
        for j in range(5):
            assert m[i, j] == sum(1 for p, y in pairs if y == i and p == j)   # rows: truth, columns: prediction
    assert np.trace(m) / len(pairs) == pytest.approx(np.mean(np.array(predicted) == np.array(labels)))


def test_confusion_matrix_matches_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 7, 200), rng.integers(0, 7, 200)
    assert np.array_equal(nn.confusion_matrix(p, y), metrics.confusion_matrix(y, p))


def test_confusion_matrix_refuses_bad_labels():
    assert nn.confusion_matrix([0, 2], [1, 2]).shape == (3, 3)
    with pytest.raises(ValueError, match=r"class label 4 is not an integer in \[0, 3\): there are 3 classes"):
        nn.confusion_matrix([0, 4], [1, 2], num_classes=3)
    with pytest.raises(ValueError, match="2 predictions but 3 labels"):
        nn.confusion_matrix([0, 1], [0, 1, 1])


def test_confusion_matrix_takes_whole_number_floats_as_classes():
    # argmax of float arrays and labels read from a CSV are floats: 2.0 is class 2
    assert nn.confusion_matrix([1.0, 2.0], [1.0, 2.0]).tolist() == [[0, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert np.array_equal(nn.confusion_matrix(np.array([0.0, 1.0, 1.0]), [0, 1, 0]),
                          nn.confusion_matrix([0, 1, 1], [0, 1, 0]))
    for bad, named in (([0.5, 1.0], "0.5"), ([0.0, float("nan")], "nan"), (["1", "0"], "'1'")):
        with pytest.raises(ValueError, match=f"class label {named} is not an integer"):
            nn.confusion_matrix(bad, [0, 1])


def test_confusion_matrix_refuses_a_label_that_would_need_a_huge_matrix():
    for label in (10_000, 10**6):   # 10,001 classes and more: refused before allocating
        with pytest.raises(ValueError, match="at most 10,000 classes are counted"):
            nn.confusion_matrix([0], [label])
    assert nn.confusion_matrix([0], [999]).shape == (1000, 1000)


def test_a_nan_binary_label_is_refused_not_counted_as_negative():
    assert nn.binary_accuracy([0.5, -1.0], [1, -1]) == 1.0
    with pytest.raises(ValueError, match="label 1 is nan, which is in neither class"):
        nn.binary_accuracy([0.5, -1.0], [1, float("nan")])
