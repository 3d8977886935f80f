"""torch's spellings on Tensors (issue 18): each one's forward and gradient against central
differences and against the same spelling in torch; torch's overloads of max/min; the
special points (ties, 0, -0.0, inf, nan) of the new gates."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Tensor, gradcheck
from tests.strategies import special
from tests.test_tensor_ops import _inputs, forward_and_gradient_against_torch

torch = None  # imported by the torch tests only

# (id, ours, torch's same spelling, shapes, domain), as in tests/test_tensor_ops.py
CASES = [
    ("max_dim", lambda a: a.max(1).values, lambda a: a.max(1).values, [(3, 4)], "distinct"),
    ("max_dim_keepdim", lambda a: a.max(1, keepdim=True)[0], lambda a: a.max(1, keepdim=True)[0],
     [(3, 4)], "distinct"),
    ("max_dim_kw", lambda a: a.max(dim=0).values, lambda a: a.max(dim=0).values, [(3, 4)], "distinct"),
    ("min_dim", lambda a: a.min(-1).values, lambda a: a.min(-1).values, [(2, 3, 4)], "distinct"),
    ("max_tensor", lambda a, b: a.max(b), lambda a, b: a.max(b), [(3, 4), (4,)], "distinct"),
    ("min_tensor", lambda a, b: a.min(b), lambda a, b: a.min(b), [(3, 4), (3, 1)], "distinct"),
    ("maximum", lambda a, b: a.maximum(b), lambda a, b: a.maximum(b), [(3, 4), (4,)], "distinct"),
    ("minimum", lambda a, b: a.minimum(b), lambda a, b: a.minimum(b), [(3, 4), (4,)], "distinct"),
    ("sum_dim_keepdim", lambda a: a.sum(dim=1, keepdim=True), lambda a: a.sum(dim=1, keepdim=True),
     [(3, 4)], "any"),
    ("mean_dim", lambda a: a.mean(dim=(0, 2)), lambda a: a.mean(dim=(0, 2)), [(2, 3, 4)], "any"),
    ("logsumexp_dim", lambda a: a.logsumexp(dim=1, keepdim=True),
     lambda a: a.logsumexp(dim=1, keepdim=True), [(3, 4)], "any"),
    ("softmax_dim", lambda a: a.softmax(dim=0), lambda a: a.softmax(dim=0), [(3, 4)], "any"),
    ("log_softmax_dim", lambda a: a.log_softmax(dim=1), lambda a: a.log_softmax(dim=1), [(3, 4)], "any"),
    ("cat_dim", lambda a, b: autograd.concatenate([a, b], dim=1), lambda a, b: torch.cat([a, b], dim=1),
     [(2, 3), (2, 2)], "any"),
    ("stack_dim", lambda a, b: autograd.stack([a, b], dim=1), lambda a, b: torch.stack([a, b], dim=1),
     [(2, 3), (2, 3)], "any"),
    ("view", lambda a: a.view(4, 3) * 2, lambda a: a.view(4, 3) * 2, [(3, 4)], "any"),
    ("view_minus1", lambda a: a.view(-1), lambda a: a.view(-1), [(3, 4)], "any"),
    ("unsqueeze", lambda a: a.unsqueeze(1) * a.unsqueeze(-1), lambda a: a.unsqueeze(1) * a.unsqueeze(-1),
     [(2, 3)], "any"),
    ("squeeze", lambda a: a.squeeze() * 3, lambda a: a.squeeze() * 3, [(1, 3, 1)], "any"),
    ("squeeze_dim", lambda a: a.squeeze(0), lambda a: a.squeeze(0), [(1, 3, 1)], "any"),
    ("squeeze_not_one", lambda a: a.squeeze(1), lambda a: a.squeeze(1), [(1, 3, 1)], "any"),
    ("permute", lambda a: a.permute(2, 0, 1), lambda a: a.permute(2, 0, 1), [(2, 3, 4)], "any"),
    ("flatten", lambda a: a.flatten(), lambda a: a.flatten(), [(2, 3, 4)], "any"),
    ("flatten_dims", lambda a: a.flatten(1), lambda a: a.flatten(1), [(2, 3, 4)], "any"),
    ("flatten_middle", lambda a: a.flatten(0, 1), lambda a: a.flatten(0, 1), [(2, 3, 4)], "any"),
    ("t", lambda a: a.t() @ a, lambda a: a.t() @ a, [(3, 2)], "any"),
    ("t_1d", lambda a: a.t() * 2, lambda a: a.t() * 2, [(3,)], "any"),
    ("sqrt", lambda a: a.sqrt(), lambda a: a.sqrt(), [(3, 4)], "pos"),
    ("square", lambda a: a.square(), lambda a: a.square(), [(3, 4)], "any"),
    ("pow", lambda a: a.pow(3), lambda a: a.pow(3), [(3, 4)], "any"),
    ("pow_tensor", lambda a, b: a.pow(b), lambda a, b: a.pow(b), [(3, 4), (4,)], "pos"),
    ("var", lambda a: a.var(), lambda a: a.var(), [(3, 4)], "any"),
    ("var_dim", lambda a: a.var(1), lambda a: a.var(1), [(3, 4)], "any"),
    ("var_biased", lambda a: a.var(0, unbiased=False, keepdim=True),
     lambda a: a.var(0, unbiased=False, keepdim=True), [(3, 4)], "any"),
    ("var_correction", lambda a: a.var(dim=1, correction=2), lambda a: a.var(dim=1, correction=2),
     [(3, 4)], "any"),
    ("std", lambda a: a.std(), lambda a: a.std(), [(3, 4)], "any"),
    ("std_dim", lambda a: a.std(dim=-1, unbiased=False), lambda a: a.std(dim=-1, unbiased=False),
     [(3, 4)], "any"),
    ("clamp", lambda a: a.clamp(-0.5, 0.5), lambda a: a.clamp(-0.5, 0.5), [(3, 4)], "distinct"),
    ("clamp_min", lambda a: a.clamp(min=0.1), lambda a: a.clamp(min=0.1), [(3, 4)], "distinct"),
    ("clamp_max", lambda a: a.clamp(max=0.1), lambda a: a.clamp(max=0.1), [(3, 4)], "distinct"),
    ("amax", lambda a: a.amax(1, keepdim=True), lambda a: a.amax(1, keepdim=True), [(3, 4)], "distinct"),
    ("amin", lambda a: a.amin(), lambda a: a.amin(), [(3, 4)], "distinct"),
    ("transpose_two_dims", lambda a: a.transpose(0, 2), lambda a: a.transpose(0, 2), [(2, 3, 4)], "any"),
    ("transpose_two_of_4", lambda a: a.transpose(-1, 1), lambda a: a.transpose(-1, 1), [(2, 3, 1, 4)], "any"),
    ("transpose_1_0", lambda a: a.transpose(1, 0), lambda a: a.transpose(1, 0), [(3, 4)], "any"),
    ("clone", lambda a: a.clone() * a, lambda a: a.clone() * a, [(3, 4)], "any"),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradient_matches_central_differences(case):
    gradcheck(case[1], *_inputs(case))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_forward_and_gradient_match_torch(case):
    global torch
    torch = pytest.importorskip("torch")  # the cases' lambdas read this module's torch
    out, _ = forward_and_gradient_against_torch(case)


def test_max_over_a_dim_returns_torchs_values_and_indices():
    t = Tensor([[0.5, 2.0, -1.0], [3.0, 3.0, 0.0]])
    values, indices = t.max(1)
    np.testing.assert_array_equal(values.data, [2.0, 3.0])
    np.testing.assert_array_equal(indices, [1, 0])  # the first at a tie, as torch
    kept = t.max(1, keepdim=True)
    assert kept.values.shape == (2, 1) and kept.indices.shape == (2, 1)
    assert t.max().data == 3.0 and t.max(axis=1).shape == (2,)  # numpy's spelling: the values
    np.testing.assert_array_equal(t.min(0).indices, [0, 0, 0])


def test_the_issue_repro_reduces_instead_of_comparing_with_one():
    """Issue 18: ``Tensor([[0.5, 2., -1.]]).max(1)`` was the elementwise max with 1."""
    np.testing.assert_array_equal(Tensor([[0.5, 2., -1.]]).max(1).values.data, [2.0])


def test_argmax_argmin_numel_size_dim_follow_torch():
    torch = pytest.importorskip("torch")
    a = np.array([[0.5, 2.0, 2.0], [-1.0, 7.0, -3.0]])
    t, r = Tensor(a), torch.tensor(a)
    assert t.argmax().item() == r.argmax().item() and t.argmin().item() == r.argmin().item()
    np.testing.assert_array_equal(t.argmax(1), r.argmax(1).numpy())
    np.testing.assert_array_equal(t.argmin(dim=0, keepdim=True), r.argmin(dim=0, keepdim=True).numpy())
    assert t.numel() == r.numel() == 6 and t.dim() == r.dim() == 2
    assert t.size() == tuple(r.size()) and t.size(1) == r.size(1) and t.size(-2) == r.size(-2)
    assert t.size == 6  # numpy's spelling still counts the entries


@pytest.mark.parametrize("convert", [float, int, bool])
def test_one_entry_conversions_follow_torch(convert):
    torch = pytest.importorskip("torch")
    for x in (-2.7, 0.0, 3.5):
        assert convert(Tensor([[x]])) == convert(torch.tensor([[x]], dtype=torch.float64))
    with pytest.raises(ValueError, match="only one element tensors"):
        convert(Tensor([1.0, 2.0])) if convert is not bool else float(Tensor([1.0, 2.0]))


def test_grad_handling_spellings():
    x = Tensor([1.0, -2.0], requires_grad=False)
    assert x.requires_grad_() is x and x.requires_grad
    y = x * 3
    assert y.retain_grad() is None
    y.sum().backward()
    np.testing.assert_array_equal(y.grad, [1.0, 1.0])  # intermediates keep .grad
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])
    c = x.clone()
    assert c.data is not x.data and c.op.name == "clone"
    with pytest.raises(RuntimeError, match="leaf"):
        y.requires_grad_(False)


def test_var_of_one_entry_is_nan_with_torchs_warning():
    torch = pytest.importorskip("torch")
    x = Tensor([1.5])
    with pytest.warns(UserWarning, match="degrees of freedom"):
        v = x.var()
    v.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = torch.tensor([1.5], requires_grad=True)
        rv = r.var()
        rv.backward()
    assert np.isnan(v.item()) and np.isnan(rv.item())
    np.testing.assert_array_equal(np.isnan(x.grad), np.isnan(r.grad.numpy()))


@settings(max_examples=60, deadline=None)
@given(x=st.lists(special, min_size=1, max_size=6),
       low=st.sampled_from([-1.0, 0.0, -0.0, 0.5]), width=st.sampled_from([0.0, 1.0, np.inf]))
def test_clamp_and_maximum_at_special_points_match_torch(x, low, width):
    """Bounds hit exactly (ties), 0, -0.0, inf and nan: clamp passes the gradient where
    low <= x <= high (bounds included), maximum splits it at ties, as torch does."""
    torch = pytest.importorskip("torch")
    a = np.array(x)
    high = low + width
    for ours_f, theirs_f in ((lambda t: t.clamp(low, high), lambda t: t.clamp(low, high)),
                             (lambda t: t.maximum(Tensor(np.full_like(a, low), requires_grad=False)),
                              lambda t: t.maximum(torch.full_like(t, low)))):
        t, r = Tensor(a), torch.tensor(a, requires_grad=True)
        out, ref = ours_f(t), theirs_f(r)
        np.testing.assert_array_equal(out.data, ref.detach().numpy())
        out.sum().backward()
        ref.sum().backward()
        np.testing.assert_array_equal(t.grad, r.grad.numpy())


def test_reductions_of_a_0d_tensor_follow_torch():
    """Issue 19 item 10: dims 0 and -1 of a 0-d Tensor are the whole of it, as in torch."""
    torch = pytest.importorskip("torch")
    for dim in (0, -1):
        t, r = Tensor(np.array(3.0)), torch.tensor(3.0, requires_grad=True)
        assert t.max(axis=dim).data == 3.0 and t.sum(axis=dim).data == 3.0
        values, index = t.max(dim)
        rv, ri = r.max(dim)
        assert values.data == rv.item() and index == ri.item()
        (t.sum(dim=dim, keepdim=True) + t.mean(dim) + t.logsumexp(dim)).backward()
        (r.sum(dim=dim, keepdim=True) + r.mean(dim) + r.logsumexp(dim)).backward()
        assert t.grad == pytest.approx(r.grad.item())


def test_bare_no_grad_and_enable_grad_decorate_as_in_torch():
    @autograd.no_grad
    def frozen(t):
        return t * 2

    @autograd.enable_grad
    def recorded(t):
        return t * 2

    x = Tensor([1.0])
    assert not frozen(x).requires_grad and frozen.__name__ == "frozen"
    with autograd.no_grad():
        assert recorded(x).requires_grad
    assert autograd.is_grad_enabled()
