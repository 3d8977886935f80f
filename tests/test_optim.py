"""SGD and Adam against hand-computed steps, on floats and on array parameters."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autograd
import nn

num = st.floats(-10, 10, allow_nan=False)


class ArrayParam:
    """Stands in for a Tensor parameter: data and grad are numpy arrays."""

    def __init__(self, data, grad):
        self.data, self.grad = np.array(data, dtype=float), np.array(grad, dtype=float)


def test_sgd_step_by_hand():
    w = autograd.Value(2.0)
    w.grad = 0.5
    opt = nn.SGD([w], lr=0.1)
    opt.step()
    assert w.data == pytest.approx(2.0 - 0.1 * 0.5)


def test_sgd_momentum_and_weight_decay_by_hand():
    w = autograd.Value(1.0)
    opt = nn.SGD([w], lr=0.1, momentum=0.9, weight_decay=0.01)
    w.grad = 1.0
    opt.step()               # g = 1 + 0.01*1 = 1.01; v = 1.01; w = 1 - 0.101 = 0.899
    assert w.data == pytest.approx(0.899)
    w.grad = 1.0
    opt.step()               # g = 1 + 0.00899 = 1.00899; v = 0.9*1.01 + 1.00899 = 1.91799
    assert w.data == pytest.approx(0.899 - 0.1 * 1.91799)


def test_sgd_matches_torch():
    torch = pytest.importorskip("torch")
    start, grads = [0.5, -1.5], [[0.3, -0.2], [1.0, 0.4], [-0.7, 0.1]]
    ours = [autograd.Value(x) for x in start]
    opt = nn.SGD(ours, lr=0.05, momentum=0.8, weight_decay=0.1)
    theirs = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    topt = torch.optim.SGD([theirs], lr=0.05, momentum=0.8, weight_decay=0.1)
    for g in grads:
        for p, gi in zip(ours, g):
            p.grad = gi
        opt.step()
        theirs.grad = torch.tensor(g, dtype=torch.float64)
        topt.step()
    assert [p.data for p in ours] == pytest.approx(theirs.tolist(), rel=1e-12)


def test_adam_first_step_by_hand():
    # t = 1: m = 0.1 g, v = 0.001 g^2, m_hat = g, v_hat = g^2: step = lr g / (|g| + eps)
    w = autograd.Value(1.0)
    w.grad = 4.0
    nn.Adam([w], lr=0.01, eps=1e-8).step()
    assert w.data == pytest.approx(1.0 - 0.01 * 4.0 / (4.0 + 1e-8), rel=1e-15)


@settings(max_examples=30, deadline=None)
@given(st.lists(num, min_size=3, max_size=3), num)
def test_adam_three_steps_by_hand(grads, start):
    b1, b2, lr, eps = 0.8, 0.99, 0.1, 1e-6
    w = autograd.Value(start)
    opt = nn.Adam([w], lr=lr, betas=(b1, b2), eps=eps)
    m = v = 0.0
    expected = start
    for t, g in enumerate(grads, 1):
        w.grad = g
        opt.step()
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        expected -= lr * (m / (1 - b1**t)) / (math.sqrt(v / (1 - b2**t)) + eps)
        assert w.data == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_adam_matches_torch():
    torch = pytest.importorskip("torch")
    ours = autograd.Value(0.7)
    opt = nn.Adam([ours], lr=0.02, betas=(0.85, 0.995), eps=1e-7)
    theirs = torch.tensor([0.7], dtype=torch.float64, requires_grad=True)
    topt = torch.optim.Adam([theirs], lr=0.02, betas=(0.85, 0.995), eps=1e-7)
    for g in (0.3, -1.1, 0.05, 2.0):
        ours.grad = g
        opt.step()
        theirs.grad = torch.tensor([g], dtype=torch.float64)
        topt.step()
    assert ours.data == pytest.approx(theirs.item(), rel=1e-12)


GRAD_ON = (True, False, False, True, False)
"""Steps at which the second parameter has a gradient: it is None at 3 of the 5."""


def _adam_with_gaps(lr=0.1):
    """Two parameters w (a gradient every step) and u (GRAD_ON), loss w^2 + u^2:
    the final (w, u) after 5 Adam steps."""
    w, u = autograd.Value(1.0), autograd.Value(1.0)
    opt = nn.Adam([w, u], lr=lr)
    for on in GRAD_ON:
        w.grad, u.grad = 2 * w.data, (2 * u.data if on else None)
        opt.step()
    return w.data, u.data


def test_adam_counts_steps_per_parameter_by_hand():
    # u steps at t = 1 and t = 2 of its own: the bias corrections use its own t, not the global 4
    _, u = _adam_with_gaps()
    m = v = 0.0
    expected = 1.0
    for t in (1, 2):
        g = 2 * expected
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        expected -= 0.1 * (m / (1 - 0.9**t)) / (math.sqrt(v / (1 - 0.999**t)) + 1e-8)
    assert u == pytest.approx(expected, rel=1e-14) and round(u, 4) == 0.8004


def test_adam_with_a_parameter_whose_grad_is_none_matches_torch():
    torch = pytest.importorskip("torch")
    w, u = (torch.tensor(1.0, dtype=torch.float64, requires_grad=True) for _ in range(2))
    opt = torch.optim.Adam([w, u], lr=0.1)
    for on in GRAD_ON:
        opt.zero_grad()  # set_to_none: u.grad is None where it gets no gradient
        (w * w + (u * u if on else 0)).backward()
        opt.step()
    assert _adam_with_gaps() == pytest.approx((w.item(), u.item()), rel=1e-14)


@pytest.mark.parametrize("make", [
    lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01),
    lambda ps: nn.Adam(ps, lr=0.1),
])
def test_array_parameters_update_like_floats(make):
    """The same arithmetic on numpy arrays: each element moves as a float parameter would."""
    data, grad = [1.0, -2.0, 0.5], [0.3, 0.1, -4.0]
    arr = ArrayParam(data, grad)
    floats = [autograd.Value(x) for x in data]
    opt_a, opt_f = make([arr]), make(floats)
    for _ in range(2):
        arr.grad = np.array(grad)
        for p, g in zip(floats, grad):
            p.grad = g
        opt_a.step()
        opt_f.step()
    assert arr.data.tolist() == pytest.approx([p.data for p in floats], rel=1e-12)


def test_parameters_without_gradient_are_skipped():
    arr = ArrayParam([1.0, 2.0], [0.0, 0.0])
    opt = nn.SGD([arr], lr=0.1)
    opt.zero_grad()
    assert arr.grad is None
    opt.step()
    assert arr.data.tolist() == [1.0, 2.0]


def test_zero_grad_resets_value_gradients_to_float_zero():
    w = autograd.Value(1.0)
    (w * w).backward()
    nn.SGD([w], lr=1.0).zero_grad()
    assert w.grad == 0.0 and isinstance(w.grad, float)


def test_lr_can_be_changed_between_steps():
    w = autograd.Value(0.0)
    opt = nn.SGD([w], lr=1.0)
    w.grad = 1.0
    opt.step()
    opt.lr = 0.5
    opt.step()
    assert w.data == -1.5


@pytest.mark.parametrize("make, message", [
    (lambda p: nn.SGD(p, lr=-1), "learning rate must be a number >= 0"),
    (lambda p: nn.SGD(p, lr=0.1, momentum=-0.1), "momentum must be a number >= 0"),
    (lambda p: nn.SGD(p, lr=0.1, weight_decay=float("nan")), "weight_decay must be a number >= 0"),
    (lambda p: nn.Adam(p, betas=(1.0, 0.9)), r"betas must be a pair \(beta1, beta2\) of numbers in \[0, 1\)"),
    (lambda p: nn.Adam(p, eps=-1), "eps must be a number >= 0"),
    (lambda p: nn.SGD([], lr=0.1), "empty parameter list"),
])
def test_bad_hyperparameters_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make([autograd.Value(1.0)])


def test_sgd_minimises_a_quadratic():
    w = autograd.Value(5.0)
    opt = nn.SGD([w], lr=0.1, momentum=0.5)
    for _ in range(100):
        opt.zero_grad()
        ((w - 3) * (w - 3)).backward()
        opt.step()
    assert w.data == pytest.approx(3.0, abs=1e-6)


@pytest.mark.parametrize("make", [lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9), lambda ps: nn.Adam(ps, lr=0.1)],
                         ids=["SGD", "Adam"])
@pytest.mark.parametrize("bad_grad, says", [
    (np.ones((3, 3)), r"parameter 1 has shape \(3,\) but its gradient is ndarray \(3, 3\)"),
    ("zero", r"parameter 1 has shape \(3,\) but its gradient is str 'zero'"),
])
def test_a_gradient_of_the_wrong_shape_or_kind_updates_no_parameter(make, bad_grad, says):
    first, second, third = ArrayParam([1.0, 2.0], [0.5, 0.5]), ArrayParam([0.0] * 3, [0.0] * 3), autograd.Value(1.0)
    third.grad = 1.0
    opt = make([first, second, third])
    second.grad = bad_grad   # p.data - lr * g would broadcast (3,) to (3, 3), or fail after parameter 0
    with pytest.raises(ValueError, match=says + ".*no parameter was updated"):
        opt.step()
    assert first.data.tolist() == [1.0, 2.0] and second.data.tolist() == [0.0] * 3 and third.data == 1.0


def test_a_step_keeps_each_parameters_type():
    tensor, value = autograd.Tensor(np.zeros(3, dtype=np.float32)), autograd.Value(1.0)
    for opt in (nn.SGD([tensor, value], lr=0.1), nn.Adam([tensor, value], lr=0.1)):
        tensor.grad, value.grad = np.ones(3, dtype=np.float64), np.float32(2.0)
        opt.step()
        assert tensor.data.dtype == np.float32 and type(value.data) is float
