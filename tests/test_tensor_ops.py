"""Every Tensor operation's gradient against central differences and, when torch is
installed, against torch; the special cases (ties, repeated indices, stability)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import autograd
from autograd import Tensor, gradcheck
from tests.strategies import reductions


def _rand(shape, domain: str, rng: np.random.Generator) -> np.ndarray:
    """Random float64 data away from the op's non-smooth points and poles."""
    x = rng.standard_normal(shape)
    if domain == "pos":
        return np.abs(x) + 0.5
    if domain == "away0":
        return np.sign(x) * (np.abs(x) + 0.3) + 0.0 * x
    if domain == "distinct":  # no ties for max/min/abs/relu: a shuffled, spaced range
        n = int(np.prod(shape)) if shape else 1
        return (rng.permutation(n) - n / 2 + 0.25).reshape(shape) * 0.3
    return x


IDX = np.array([2, 0, 2, 1])  # a repeated index

# (id, ours, torch, shapes, domain)
CASES = [
    ("add", lambda a, b: a + b, lambda a, b: a + b, [(3, 4), (4,)], "any"),
    ("sub", lambda a, b: a - b, lambda a, b: a - b, [(2, 1, 3), (4, 1)], "any"),
    ("mul", lambda a, b: a * b, lambda a, b: a * b, [(3, 1), (1, 5)], "any"),
    ("div", lambda a, b: a / b, lambda a, b: a / b, [(3, 4), (3, 1)], "away0"),
    ("pow", lambda a, b: a ** b, lambda a, b: a ** b, [(3, 4), (4,)], "pos"),
    ("pow_const", lambda a: a ** 3, lambda a: a ** 3, [(2, 5)], "any"),
    ("rpow_const", lambda a: 2.0 ** a, lambda a: 2.0 ** a, [(2, 5)], "any"),
    ("pow_half", lambda a: a ** 0.5, lambda a: a ** 0.5, [(2, 5)], "pos"),
    ("sqrt", lambda a: a.sqrt(), lambda a: a.sqrt(), [(2, 5)], "pos"),
    ("rsub_rdiv", lambda a: (1 - a) / (2 + a * a), lambda a: (1 - a) / (2 + a * a), [(4,)], "any"),
    ("neg", lambda a: -a, lambda a: -a, [(3, 2)], "any"),
    ("exp", lambda a: a.exp(), lambda a: a.exp(), [(3, 4)], "any"),
    ("log", lambda a: a.log(), lambda a: a.log(), [(3, 4)], "pos"),
    ("tanh", lambda a: a.tanh(), lambda a: a.tanh(), [(3, 4)], "any"),
    ("sigmoid", lambda a: a.sigmoid(), lambda a: a.sigmoid(), [(3, 4)], "any"),
    ("relu", lambda a: a.relu(), lambda a: a.relu(), [(3, 4)], "away0"),
    ("abs", lambda a: a.abs(), lambda a: a.abs(), [(3, 4)], "away0"),
    ("max_elementwise", lambda a, b: a.max(b), lambda a, b: torch.maximum(a, b), [(3, 4), (4,)], "distinct"),
    ("min_elementwise", lambda a, b: a.min(b), lambda a, b: torch.minimum(a, b), [(3, 4), (3, 1)], "distinct"),
    ("matmul_2d", lambda a, b: a @ b, lambda a, b: a @ b, [(3, 4), (4, 5)], "any"),
    ("matmul_batched", lambda a, b: a @ b, lambda a, b: a @ b, [(2, 3, 4), (2, 4, 5)], "any"),
    ("matmul_batch_2d", lambda a, b: a @ b, lambda a, b: a @ b, [(2, 3, 4), (4, 5)], "any"),
    ("matmul_2d_batch", lambda a, b: a @ b, lambda a, b: a @ b, [(3, 4), (2, 4, 5)], "any"),
    ("matmul_broadcast_batch", lambda a, b: a @ b, lambda a, b: a @ b, [(2, 1, 3, 4), (3, 4, 2)], "any"),
    ("matmul_vec_mat", lambda a, b: a @ b, lambda a, b: a @ b, [(4,), (4, 5)], "any"),
    ("matmul_mat_vec", lambda a, b: a @ b, lambda a, b: a @ b, [(3, 4), (4,)], "any"),
    ("matmul_vec_vec", lambda a, b: a @ b, lambda a, b: a @ b, [(4,), (4,)], "any"),
    ("matmul_vec_batch", lambda a, b: a @ b, lambda a, b: a @ b, [(4,), (2, 4, 3)], "any"),
    ("matmul_batch_vec", lambda a, b: a @ b, lambda a, b: a @ b, [(2, 3, 4), (4,)], "any"),
    ("sum_all", lambda a: a.sum(), lambda a: a.sum(), [(3, 4)], "any"),
    ("sum_axis0", lambda a: a.sum(0), lambda a: a.sum(0), [(3, 4)], "any"),
    ("sum_axis_neg_keep", lambda a: a.sum(axis=-1, keepdims=True),
     lambda a: a.sum(dim=-1, keepdim=True), [(2, 3, 4)], "any"),
    ("sum_axes_tuple", lambda a: a.sum(axis=(0, 2)), lambda a: a.sum(dim=(0, 2)), [(2, 3, 4)], "any"),
    ("mean_all", lambda a: a.mean(), lambda a: a.mean(), [(3, 4)], "any"),
    ("mean_axis1", lambda a: a.mean(1), lambda a: a.mean(1), [(3, 4)], "any"),
    ("mean_axes_keep", lambda a: a.mean(axis=(0, 1), keepdims=True),
     lambda a: a.mean(dim=(0, 1), keepdim=True), [(2, 3, 4)], "any"),
    ("max_all", lambda a: a.max(), lambda a: a.amax(), [(3, 4)], "distinct"),
    ("max_axis", lambda a: a.max(axis=1), lambda a: a.amax(dim=1), [(3, 4)], "distinct"),
    ("max_axis_keep", lambda a: a.max(axis=0, keepdims=True),
     lambda a: a.amax(dim=0, keepdim=True), [(3, 4)], "distinct"),
    ("min_axis", lambda a: a.min(axis=-1), lambda a: a.amin(dim=-1), [(2, 3, 4)], "distinct"),
    ("reshape", lambda a: a.reshape(4, 3) * 2, lambda a: a.reshape(4, 3) * 2, [(3, 4)], "any"),
    ("reshape_tuple", lambda a: a.reshape((2, -1)), lambda a: a.reshape((2, -1)), [(3, 4)], "any"),
    ("transpose_T", lambda a: a.T, lambda a: a.T, [(3, 4)], "any"),
    ("transpose_axes", lambda a: a.transpose(2, 0, 1), lambda a: a.permute(2, 0, 1), [(2, 3, 4)], "any"),
    ("transpose_neg_axes", lambda a: a.transpose((-1, 0, 1)), lambda a: a.permute(-1, 0, 1), [(2, 3, 4)], "any"),
    ("getitem_int", lambda a: a[1], lambda a: a[1], [(3, 4)], "any"),
    ("getitem_slice", lambda a: a[1:, ::2], lambda a: a[1:, ::2], [(3, 4)], "any"),
    ("getitem_ellipsis_none", lambda a: a[..., None, 1], lambda a: a[..., None, 1], [(2, 3, 4)], "any"),
    ("getitem_int_array", lambda a: a[IDX], lambda a: a[torch.tensor(IDX)], [(3, 4)], "any"),
    ("getitem_list", lambda a: a[:, [0, 3, 3]], lambda a: a[:, [0, 3, 3]], [(3, 4)], "any"),
    ("getitem_pairs", lambda a: a[IDX, np.array([0, 1, 0, 3])],
     lambda a: a[torch.tensor(IDX), torch.tensor([0, 1, 0, 3])], [(3, 4)], "any"),
    ("getitem_mask", lambda a: a[a.data > 0], lambda a: a[a > 0], [(3, 4)], "away0"),
    ("concatenate0", lambda a, b: autograd.concatenate([a, b]), lambda a, b: torch.cat([a, b]),
     [(2, 3), (4, 3)], "any"),
    ("concatenate_neg", lambda a, b, c: autograd.concatenate([a, b, c], axis=-1),
     lambda a, b, c: torch.cat([a, b, c], dim=-1), [(2, 3), (2, 1), (2, 2)], "any"),
    ("concatenate_repeat", lambda a: autograd.concatenate([a, a * 2, a], axis=1),
     lambda a: torch.cat([a, a * 2, a], dim=1), [(2, 3)], "any"),
    ("stack0", lambda a, b: autograd.stack([a, b]), lambda a, b: torch.stack([a, b]), [(2, 3), (2, 3)], "any"),
    ("stack_last", lambda a, b: autograd.stack([a, b], axis=-1),
     lambda a, b: torch.stack([a, b], dim=-1), [(2, 3), (2, 3)], "any"),
    ("logsumexp_all", lambda a: a.logsumexp(), lambda a: a.logsumexp(dim=(0, 1)), [(3, 4)], "any"),
    ("logsumexp_axis", lambda a: a.logsumexp(axis=1), lambda a: a.logsumexp(dim=1), [(3, 4)], "any"),
    ("logsumexp_keep", lambda a: a.logsumexp(axis=0, keepdims=True),
     lambda a: a.logsumexp(dim=0, keepdim=True), [(3, 4)], "any"),
    ("softmax", lambda a: a.softmax(), lambda a: a.softmax(dim=-1), [(3, 4)], "any"),
    ("softmax_axis0", lambda a: a.softmax(axis=0), lambda a: a.softmax(dim=0), [(3, 4)], "any"),
    ("log_softmax", lambda a: a.log_softmax(), lambda a: a.log_softmax(dim=-1), [(3, 4)], "any"),
    ("log_softmax_axis1", lambda a: a.log_softmax(axis=1), lambda a: a.log_softmax(dim=1), [(2, 3, 4)], "any"),
    ("mlp_layer", lambda x, w, b: (x @ w + b).tanh(), lambda x, w, b: (x @ w + b).tanh(),
     [(5, 3), (3, 2), (2,)], "any"),
    ("cross_entropy", lambda z: -(z.log_softmax(axis=1)[np.arange(3), np.array([0, 2, 1])]).mean(),
     lambda z: -(z.log_softmax(dim=1)[torch.arange(3), torch.tensor([0, 2, 1])]).mean(), [(3, 4)], "any"),
]
IDS = [c[0] for c in CASES]
torch = None  # imported by the torch tests only


def _inputs(case, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [_rand(shape, case[4], rng) for shape in case[3]]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_gradient_matches_central_differences(case):
    gradcheck(case[1], *_inputs(case))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_float32_in_float32_out(case):
    ts = [Tensor(a.astype(np.float32)) for a in _inputs(case)]
    out = case[1](*ts)
    assert out.dtype == np.float32
    out.backward(gradient=np.ones(out.shape))
    for t in ts:
        assert t.grad.dtype == np.float32 and t.grad.shape == t.shape


def forward_and_gradient_against_torch(case) -> tuple:
    """Run ``case`` (name, ours, torch's, input shapes, input kind) on the same random inputs
    in chainrule and in torch, backpropagate the same random G, and check that the outputs
    and every input's gradient agree.  Returns (our output, torch's)."""
    torch_ = pytest.importorskip("torch")
    arrays = _inputs(case, seed=1)
    ours = [Tensor(a) for a in arrays]
    theirs = [torch_.tensor(a, requires_grad=True) for a in arrays]
    out, ref = case[1](*ours), case[2](*theirs)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    G = np.random.default_rng(2).standard_normal(out.shape)
    out.backward(gradient=G)
    ref.backward(torch_.tensor(G))
    for t, r in zip(ours, theirs):
        np.testing.assert_allclose(t.grad, r.grad.numpy(), rtol=1e-9, atol=1e-12)
    return out, ref


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_forward_and_gradient_match_torch(case):
    global torch
    torch = pytest.importorskip("torch")  # the cases' lambdas read this module's torch
    forward_and_gradient_against_torch(case)


@settings(max_examples=25, deadline=None)
@given(shape=array_shapes(min_dims=1, max_dims=4, max_side=4), seed=st.integers(0, 2**16),
       unary=st.sampled_from([c for c in CASES if len(c[3]) == 1 and c[0] in
                              ("exp", "tanh", "sigmoid", "neg", "sum_all", "mean_all",
                               "softmax", "log_softmax", "logsumexp_all", "transpose_T")]))
def test_unary_ops_on_random_shapes(shape, seed, unary):
    x = np.random.default_rng(seed).standard_normal(shape)
    gradcheck(unary[1], x)


@settings(max_examples=20, deadline=None)
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=2, max_dims=4, max_side=3),
       n=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_batched_matmul_on_random_shapes(shapes, n, seed):
    """(..., m, k) @ (..., k, n) with broadcast batch dimensions."""
    (sa, sb), _ = shapes.input_shapes, shapes.result_shape
    k = sa[-1]
    sb = sb[:-2] + (k, n) if len(sb) >= 2 else (k, n)
    rng = np.random.default_rng(seed)
    try:
        np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        return
    gradcheck(lambda a, b: a @ b, rng.standard_normal(sa), rng.standard_normal(sb))


# -- special cases ----------------------------------------------------------------
def test_max_reduction_splits_ties_evenly():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 0.0, -1.0]])
    x.max(axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 0.5, 0.5], [1, 0, 0]])
    y = Tensor([5.0, 5.0, 5.0, 1.0])
    y.max().backward()
    np.testing.assert_allclose(y.grad, [1 / 3, 1 / 3, 1 / 3, 0])


def test_max_elementwise_routes_and_splits_ties():
    a, b = Tensor([1.0, 4.0, 2.0]), Tensor([3.0, 0.0, 2.0])
    a.max(b).sum().backward()
    np.testing.assert_array_equal(a.grad, [0, 1, 0.5])
    np.testing.assert_array_equal(b.grad, [1, 0, 0.5])


def test_repeated_indices_accumulate():
    x = Tensor([10.0, 20.0, 30.0])
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad, [3, 0, 1])


def test_relu_and_abs_at_zero_follow_pytorch():
    x = Tensor([0.0, 0.0])
    (x.relu() + x.abs()).sum().backward()
    np.testing.assert_array_equal(x.grad, [0, 0])


def test_softmax_family_is_stable_for_large_inputs():
    x = Tensor([[1000.0, 1000.0, -1000.0], [-1e4, 0.0, 1e4]])
    np.testing.assert_allclose(x.logsumexp(axis=1).data, [1000 + np.log(2), 1e4])
    s = x.softmax(axis=1)
    np.testing.assert_allclose(s.data, [[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    ls = x.log_softmax(axis=1)
    assert np.all(np.isfinite(ls.data[:, :2])) and ls.data[0, 2] == -2000 - np.log(2)
    ls.sum().backward()
    assert np.all(np.isfinite(x.grad))


def test_logsumexp_of_all_minus_infinity_is_minus_infinity():
    x = Tensor([-np.inf, -np.inf])
    assert x.logsumexp().item() == -np.inf


def test_softmax_rows_sum_to_one_and_gradient_of_sum_is_zero():
    x = Tensor(np.random.default_rng(0).standard_normal((4, 5)))
    s = x.softmax(axis=1)
    np.testing.assert_allclose(s.data.sum(axis=1), 1.0)
    s.sum().backward()
    np.testing.assert_allclose(x.grad, 0.0, atol=1e-15)


def test_concatenate_and_stack_with_constants():
    a = Tensor(np.ones((2, 2), dtype=np.float32))
    c = autograd.concatenate([a, np.zeros((1, 2))])
    assert c.shape == (3, 2) and c.dtype == np.float32
    c.sum().backward()
    np.testing.assert_array_equal(a.grad, np.ones((2, 2)))
    s = autograd.stack([a, np.zeros((2, 2))], axis=1)
    assert s.shape == (2, 2, 2)


def test_getitem_of_a_constant_is_not_recorded():
    c = Tensor([1.0, 2.0], requires_grad=False)
    assert c[0].op is None and not c[0].requires_grad


@settings(max_examples=40, deadline=None)
@given(case=reductions())
def test_reductions_over_random_axes(case):
    x, reduction, axis, keepdims = case
    gradcheck(lambda a: getattr(a, reduction)(axis=axis, keepdims=keepdims), x)


@settings(max_examples=30, deadline=None)
@given(shape=array_shapes(min_dims=1, max_dims=4, max_side=4), data=st.data())
def test_transpose_reshape_and_gather_on_random_shapes(shape, data):
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    idx = np.array(data.draw(st.lists(st.integers(0, shape[0] - 1), min_size=1, max_size=6)))
    x = np.random.default_rng(len(shape)).standard_normal(shape)
    gradcheck(lambda a: a.transpose(perm).reshape(-1)[::2] * 3, x)
    gradcheck(lambda a: a[idx] * a[idx], x)


@settings(max_examples=30, deadline=None)
@given(shape=array_shapes(min_dims=1, max_dims=3, max_side=3), data=st.data(), n=st.integers(1, 3))
def test_concatenate_and_stack_on_random_shapes(shape, data, n):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    r = np.random.default_rng(n)
    sizes = [data.draw(st.integers(1, 3)) for _ in range(n)]
    parts = [r.standard_normal(shape[:axis % len(shape)] + (k,) + shape[axis % len(shape) + 1:]) for k in sizes]
    gradcheck(lambda *ts: autograd.concatenate(ts, axis=axis), *parts)
    same = [r.standard_normal(shape) for _ in range(n)]
    gradcheck(lambda *ts: autograd.stack(ts, axis=axis), *same)


TORCH_BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / (b * b + 1), lambda a, b: a / (b * b + 1)),
    "pow": (lambda a, b: (a * a + 1) ** b, lambda a, b: (a * a + 1) ** b),
    "max": (lambda a, b: a.max(b), lambda a, b: torch.maximum(a, b)),
}


@settings(max_examples=40, deadline=None)
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
       op=st.sampled_from(sorted(TORCH_BINARY)), axis=st.integers(-4, 3), seed=st.integers(0, 2**16))
def test_random_shapes_against_torch(shapes, op, axis, seed):
    """A broadcast binary op, then a softmax / sum / logsumexp chain over a random axis."""
    global torch
    torch = pytest.importorskip("torch")
    r = np.random.default_rng(seed)
    arrays = [r.standard_normal(s) for s in shapes.input_shapes]
    ndim = len(shapes.result_shape)
    ours_fn, torch_fn = TORCH_BINARY[op]
    ours = [Tensor(a) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, ref = ours_fn(*ours), torch_fn(*theirs)
    if ndim:
        k = axis % ndim
        out = out.softmax(axis=k).sum(axis=k) + out.logsumexp(axis=k)
        ref = ref.softmax(dim=k).sum(dim=k) + ref.logsumexp(dim=k)
    out.sum().backward()
    ref.sum().backward()
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    for t, th in zip(ours, theirs):
        np.testing.assert_allclose(t.grad, th.grad.numpy(), rtol=1e-9, atol=1e-12)
