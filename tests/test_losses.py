"""Each loss against a hand computation and against central finite differences."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd
import nn
from autograd import Tensor, Value
from nn import cross_entropy_loss, hinge_loss, l2_penalty, mse_loss, multiclass_svm_loss

H = 1e-6


def values(xs):
    return [autograd.Value(x) for x in xs]


def check_finite_differences(loss_of, xs, tol=1e-5):
    """backward() of loss_of(list of Values) agrees with central differences in each x."""
    vs = values(xs)
    loss_of(vs).backward()
    for k in range(len(xs)):
        up = list(xs); up[k] += H
        down = list(xs); down[k] -= H
        numeric = (loss_of(values(up)).data - loss_of(values(down)).data) / (2 * H)
        assert vs[k].grad == pytest.approx(numeric, abs=tol), k


# away from the kinks of relu-based losses, where finite differences are undefined
smooth = st.floats(-3, 3, allow_nan=False).filter(lambda x: all(abs(x - k / 4) > 1e-3 for k in range(-12, 13)))


def test_mse_by_hand():
    p = values([1.0, 2.0, 4.0])
    loss = nn.mse_loss(p, [0.0, 2.0, 1.0])
    assert loss.data == pytest.approx((1 + 0 + 9) / 3)
    loss.backward()
    assert [v.grad for v in p] == pytest.approx([2 * 1 / 3, 0.0, 2 * 3 / 3])


def test_mse_of_one_value():
    p = autograd.Value(3.0)
    loss = nn.mse_loss(p, 1.0)
    loss.backward()
    assert (loss.data, p.grad) == (4.0, 4.0)


def test_length_mismatch_is_refused():
    with pytest.raises(ValueError, match="2 predictions but 3 targets"):
        nn.mse_loss(values([1, 2]), [1, 2, 3])


def test_hinge_by_hand():
    # micrograd's demo: mean of relu(1 - y s); margins 1 - 2 = -1, 1 + 0.5 = 1.5, 1 - 0.25 = 0.75
    s = values([2.0, 0.5, 0.25])
    y = [1, -1, 1]
    loss = nn.hinge_loss(s, y)
    assert loss.data == pytest.approx((0 + 1.5 + 0.75) / 3)
    loss.backward()
    assert [v.grad for v in s] == pytest.approx([0.0, 1 / 3, -1 / 3])


def test_multiclass_svm_by_hand():
    # CS231n's example: scores (3.2, 5.1, -1.7), true class 0: max(0, 5.1-3.2+1) + max(0, -1.7-3.2+1) = 2.9
    # second sample scores (1.3, 4.9, 2.0), class 1: 0 + 0 = 0
    s = [values([3.2, 5.1, -1.7]), values([1.3, 4.9, 2.0])]
    loss = nn.multiclass_svm_loss(s, [0, 1])
    assert loss.data == pytest.approx(2.9 / 2)
    loss.backward()
    assert [v.grad for v in s[0]] == pytest.approx([-0.5, 0.5, 0.0])
    assert [v.grad for v in s[1]] == [0.0, 0.0, 0.0]


def test_cross_entropy_by_hand():
    s = values([1.0, 2.0, 3.0])
    loss = nn.cross_entropy_loss([s], [2])
    z = math.exp(1) + math.exp(2) + math.exp(3)
    assert loss.data == pytest.approx(math.log(z) - 3.0)
    loss.backward()
    softmax = [math.exp(k) / z for k in (1, 2, 3)]
    assert [v.grad for v in s] == pytest.approx([softmax[0], softmax[1], softmax[2] - 1])


def test_cross_entropy_is_stable_for_large_scores():
    loss = nn.cross_entropy_loss([values([1000.0, 0.0])], [1])
    assert loss.data == pytest.approx(1000.0)


@pytest.mark.parametrize("label", [3, -1, 0.5])
def test_bad_class_label_is_refused(label):
    with pytest.raises(ValueError, match="not an integer in \\[0, 3\\)"):
        nn.multiclass_svm_loss([values([1, 2, 3])], [label])


def test_l2_by_hand():
    w = values([1.0, -2.0, 3.0])
    r = nn.l2_penalty(w)
    assert r.data == 14.0
    r.backward()
    assert [v.grad for v in w] == [2.0, -4.0, 6.0]


def test_l2_over_array_parameters():
    assert nn.l2_penalty([np.array([1.0, 2.0]), np.array([[3.0]])]) == 14.0


@settings(max_examples=40, deadline=None)
@given(st.lists(smooth, min_size=4, max_size=4), st.lists(st.floats(-2, 2), min_size=4, max_size=4))
def test_mse_finite_differences(xs, ts):
    check_finite_differences(lambda v: nn.mse_loss(v, ts), xs)


@settings(max_examples=40, deadline=None)
@given(st.lists(smooth, min_size=4, max_size=4), st.lists(st.sampled_from([-1, 1]), min_size=4, max_size=4))
def test_hinge_finite_differences(xs, ys):
    check_finite_differences(lambda v: nn.hinge_loss(v, ys), xs)


@settings(max_examples=40, deadline=None)
@given(st.lists(smooth, min_size=6, max_size=6), st.lists(st.integers(0, 2), min_size=2, max_size=2))
def test_multiclass_svm_finite_differences(xs, ys):
    # margins s_j - s_y + 1 must stay away from 0 for the difference quotient to exist
    rows = [xs[:3], xs[3:]]
    if any(abs(r[j] - r[y] + 1) < 1e-3 for r, y in zip(rows, ys) for j in range(3) if j != y):
        return
    check_finite_differences(lambda v: nn.multiclass_svm_loss([v[:3], v[3:]], ys), xs)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=6, max_size=6), st.lists(st.integers(0, 2), min_size=2, max_size=2))
def test_cross_entropy_finite_differences(xs, ys):
    check_finite_differences(lambda v: nn.cross_entropy_loss([v[:3], v[3:]], ys), xs)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-5, 5), min_size=1, max_size=5))
def test_l2_finite_differences(xs):
    check_finite_differences(nn.l2_penalty, xs)


def test_losses_match_torch():
    torch = pytest.importorskip("torch")
    s = [[0.3, -1.2, 2.0], [1.5, 0.1, -0.4]]
    y = [2, 0]
    ours = nn.cross_entropy_loss([values(r) for r in s], y).data
    theirs = torch.nn.functional.cross_entropy(torch.tensor(s, dtype=torch.float64), torch.tensor(y)).item()
    assert ours == pytest.approx(theirs, rel=1e-12)
    ours = nn.multiclass_svm_loss([values(r) for r in s], y).data
    theirs = torch.nn.functional.multi_margin_loss(torch.tensor(s, dtype=torch.float64), torch.tensor(y)).item()
    assert ours == pytest.approx(theirs * 3, rel=1e-12)  # torch also divides by the number of classes


# -- the same losses on Tensors ------------------------------------------------------


def _scalar_and_tensor(loss, scores, targets):
    """The loss and its score gradients computed on Values and on one Tensor."""
    values = [[Value(s) for s in row] if isinstance(row, list) else Value(row) for row in scores]
    scalar = loss(values, targets)
    scalar.backward()
    grads = [[v.grad for v in row] if isinstance(row, list) else row.grad for row in values]
    tensor_scores = Tensor(np.array(scores))
    tensor = loss(tensor_scores, targets)
    tensor.backward()
    return scalar.data, np.array(grads), tensor.item(), tensor_scores.grad


@pytest.mark.parametrize("loss, scores, targets", [
    (mse_loss, [0.5, -1.0, 2.0], [1.0, 0.0, 2.5]),
    (hinge_loss, [0.5, -1.0, 2.0, 0.9], [1, 1, -1, 1]),
    (multiclass_svm_loss, [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]], [0, 1, 2]),
    (cross_entropy_loss, [[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]], [0, 1, 2]),
], ids=["mse", "hinge", "multiclass_svm", "cross_entropy"])
def test_tensor_losses_equal_the_scalar_ones(loss, scores, targets):
    value, grads, tensor_value, tensor_grads = _scalar_and_tensor(loss, scores, targets)
    assert tensor_value == pytest.approx(value, rel=1e-12)
    np.testing.assert_allclose(tensor_grads, grads, rtol=0, atol=1e-12)


def test_tensor_scores_as_a_column_are_not_broadcast_against_labels():
    column = Tensor([[0.5], [-1.0]])
    assert hinge_loss(column, [1, 1]).item() == pytest.approx((0.5 + 2.0) / 2)
    with pytest.raises(ValueError, match=r"shape \(2, 1\) but targets of shape \(3,\)"):
        mse_loss(column, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"class label 3 is not an integer in \[0, 3\)"):
        cross_entropy_loss(Tensor(np.zeros((2, 3))), [0, 3])


def test_tensor_l2_penalty():
    params = [Tensor([[1.0, -2.0]]), Tensor([3.0])]
    penalty = l2_penalty(params)
    penalty.backward()
    assert penalty.item() == 14.0
    np.testing.assert_array_equal(params[0].grad, [[2.0, -4.0]])  # dR/dW = 2 W


# -- no samples: the mean of nothing is nan, as in torch -----------------------------


def _torch_empty_loss(name):
    """What torch gives for an empty batch of each loss (hinge: the mean of relu(1 - y s))."""
    torch = pytest.importorskip("torch")
    F, empty = torch.nn.functional, torch.zeros(0, dtype=torch.float64, requires_grad=True)
    scores = torch.zeros((0, 3), dtype=torch.float64, requires_grad=True)
    labels = torch.zeros(0, dtype=torch.long)
    loss, leaf = {"mse": (lambda: F.mse_loss(empty, empty.detach()), empty),
                  "hinge": (lambda: (1 - empty.detach() * empty).relu().mean(), empty),
                  "cross_entropy": (lambda: F.cross_entropy(scores, labels), scores)}[name]
    result = loss()
    result.backward()
    return result.item(), leaf.grad.shape


EMPTY = [(mse_loss, "mse", (0,)), (hinge_loss, "hinge", (0,)), (cross_entropy_loss, "cross_entropy", (0, 3))]


@pytest.mark.parametrize("loss, name, shape", EMPTY, ids=[name for _, name, _ in EMPTY])
def test_an_empty_batch_gives_nan_like_torch(loss, name, shape):
    theirs, their_grad_shape = _torch_empty_loss(name)
    assert math.isnan(theirs)
    assert math.isnan(loss([], []).data)                      # lists of Values: no graph, nan
    scores = Tensor(np.zeros(shape))
    ours = loss(scores, [])
    ours.backward()
    assert math.isnan(ours.item()) and scores.grad.shape == tuple(their_grad_shape)


def test_an_empty_multiclass_svm_batch_is_nan_too():
    # torch's multi_margin_loss returns an uninitialised number here; the mean of nothing is nan
    assert math.isnan(multiclass_svm_loss([], []).data)
    assert math.isnan(multiclass_svm_loss(Tensor(np.zeros((0, 3))), []).item())
