"""Accuracy helpers."""
import pytest

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
