"""Second derivatives of Tensor graphs (``grad(..., create_graph=True)``, rules run on
the TENSOR backend): every Tensor operation's gradient is itself differentiated and
checked against central differences and torch, as torch's gradgradcheck does; random
shapes; a Hessian-vector product through an MLP."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import autograd
import nn
from autograd import Tensor, Value, enable_grad, gradcheck
from tests.strategies import reductions
from tests.test_tensor_ops import CASES, IDS, _inputs


def _gradient_of_gradient(f, weights):
    """t(x_1..x_n, v) = Σ_i <W_i, d<f(x), v>/dx_i>: a scalar whose gradient holds every
    second derivative of f (with respect to the inputs) and its first derivative (with
    respect to the upstream gradient v).  Built with create_graph=True, so backward of t
    differentiates the gradient rules themselves."""
    def t(*args):
        xs, v = args[:-1], args[-1]
        with enable_grad():  # gradcheck evaluates under no_grad; t needs a graph inside
            gs = autograd.grad((f(*xs) * v).sum(), list(xs), create_graph=True)
            return sum(((g * w).sum() for g, w in zip(gs, weights)), Tensor(0.0, requires_grad=False))
    return t


def _case_data(case, seed):
    arrays = _inputs(case, seed)
    rng = np.random.default_rng(seed + 100)
    out_shape = case[1](*[Tensor(a, requires_grad=False) for a in arrays]).shape
    return arrays, rng.standard_normal(out_shape), [rng.standard_normal(a.shape) for a in arrays]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_second_derivatives_match_central_differences(case):
    arrays, v, weights = _case_data(case, seed=3)
    gradcheck(_gradient_of_gradient(case[1], weights), *arrays, v, atol=1e-5, rtol=1e-4)


def _torch_second_order(torch, fn, arrays, v, weights):
    xs = [torch.tensor(a, requires_grad=True) for a in arrays]
    tv = torch.tensor(v, requires_grad=True)
    gs = torch.autograd.grad((fn(*xs) * tv).sum(), xs, create_graph=True, allow_unused=True,
                             materialize_grads=True)
    t = sum((g * torch.tensor(w)).sum() for g, w in zip(gs, weights))
    second = torch.autograd.grad(t, xs + [tv], allow_unused=True, materialize_grads=True)
    return [g.detach().numpy(force=True) for g in gs], [s.numpy(force=True) for s in second]


def _our_second_order(fn, arrays, v, weights):
    xs = [Tensor(a) for a in arrays]
    tv = Tensor(v)
    gs = autograd.grad((fn(*xs) * tv).sum(), xs, create_graph=True)
    t = sum(((g * w).sum() for g, w in zip(gs, weights)), Tensor(0.0, requires_grad=False))
    second = autograd.grad(t, xs + [tv])
    return [g.data for g in gs], [s.data for s in second]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_second_derivatives_match_torch(case):
    torch = pytest.importorskip("torch")
    import tests.test_tensor_ops as module
    module.torch = torch  # the torch column of CASES refers to it
    arrays, v, weights = _case_data(case, seed=4)
    ours = _our_second_order(case[1], arrays, v, weights)
    theirs = _torch_second_order(torch, case[2], arrays, v, weights)
    for mine, ref in zip(ours[0] + ours[1], theirs[0] + theirs[1]):
        np.testing.assert_allclose(mine, ref, rtol=1e-9, atol=1e-12)


def test_first_order_gradients_are_nodes_and_the_graph_is_left_alone():
    x = Tensor([[0.5, -1.0], [2.0, 0.1]])
    y = (x @ x).tanh().sum()
    (g,) = autograd.grad(y, [x], create_graph=True)
    assert isinstance(g, Tensor) and g.requires_grad and x.grad is None
    np.testing.assert_allclose(g.data, autograd.grad(y, [x])[0].data, rtol=1e-15)
    y.backward()  # the first graph still differentiates normally afterwards
    np.testing.assert_allclose(x.grad, g.data, rtol=1e-15)


def test_third_derivative_of_an_elementwise_chain():
    a = np.array([-0.8, 0.1, 0.9])
    x = Tensor(a)
    (d1,) = autograd.grad(x.tanh().sum(), [x], create_graph=True)
    (d2,) = autograd.grad(d1.sum(), [x], create_graph=True)
    (d3,) = autograd.grad(d2.sum(), [x])
    t = np.tanh(a)
    np.testing.assert_allclose(d1.data, 1 - t**2)
    np.testing.assert_allclose(d2.data, -2 * t * (1 - t**2))
    np.testing.assert_allclose(d3.data, -2 * (1 - t**2) * (1 - 3 * t**2))


def test_gradient_of_a_gather_is_a_scatter_add_and_back():
    """getitem's gradient is scatter_add, whose gradient is getitem again."""
    x = Tensor([1.0, 2.0, 3.0])
    idx = np.array([0, 2, 0])
    (g,) = autograd.grad((x[idx] ** 2).sum(), [x], create_graph=True)
    np.testing.assert_array_equal(g.data, [4.0, 0.0, 6.0])  # 2x at 0 twice, at 2 once
    assert "scatter_add" in {n.op.name for n in autograd.topological_order(g) if n.op}
    (h,) = autograd.grad(g.sum(), [x])
    np.testing.assert_array_equal(h.data, [4.0, 0.0, 2.0])


def test_where_routes_the_gradient_and_masks_the_other_side():
    from autograd.core.tensor import TENSOR

    x, y = Tensor([1.0, 2.0, 3.0]), Tensor([10.0, 20.0, 30.0])
    condition = TENSOR.gt(x, 1.5)
    assert condition.dtype == bool and condition.tolist() == [False, True, True]
    out = TENSOR.where(condition, x, y)
    np.testing.assert_array_equal(out.data, [10.0, 2.0, 3.0])
    out.backward(np.array([np.inf, 1.0, np.nan]))  # blocked entries get exactly 0
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, np.nan])
    np.testing.assert_array_equal(y.grad, [np.inf, 0.0, 0.0])
    assert not np.signbit(x.grad[0]) and not np.signbit(y.grad[1])
    gradcheck(lambda a, b: TENSOR.where(TENSOR.ge(a, 0.0), a * b, b.exp()),
              np.array([-1.0, 0.5, 2.0]), np.array([0.3, -0.2, 1.0]))


# -- random shapes -------------------------------------------------------------------
UNARY = {
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "exp": lambda a: (a * 0.5).exp(),
    "square": lambda a: a * a,
    "softmax": lambda a: a.softmax(axis=-1),
    "log_softmax": lambda a: a.log_softmax(axis=0),
    "logsumexp": lambda a: a.logsumexp(axis=-1, keepdims=True),
    "transpose_cubed": lambda a: a.T ** 3,
    "mean_sq": lambda a: (a * a).mean(axis=0),
}


@settings(max_examples=30, deadline=None)
@given(shape=array_shapes(min_dims=1, max_dims=3, max_side=3), seed=st.integers(0, 2**16),
       name=st.sampled_from(sorted(UNARY)))
def test_second_derivatives_of_unary_ops_on_random_shapes(shape, seed, name):
    r = np.random.default_rng(seed)
    x, w = r.standard_normal(shape), r.standard_normal(shape)
    f = UNARY[name]
    v = r.standard_normal(f(Tensor(x, requires_grad=False)).shape)
    gradcheck(_gradient_of_gradient(f, [w]), x, v, atol=1e-5, rtol=1e-4)


BINARY = {
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "pow": lambda a, b: (a * a + 1) ** b,
    "tanh_prod": lambda a, b: (a * b).tanh(),
}


@settings(max_examples=30, deadline=None)
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
       name=st.sampled_from(sorted(BINARY)), seed=st.integers(0, 2**16))
def test_second_derivatives_with_broadcasting_match_torch(shapes, name, seed):
    """Gradients summed back over broadcast axes (sum_to) are differentiated too."""
    torch = pytest.importorskip("torch")
    r = np.random.default_rng(seed)
    arrays = [r.standard_normal(s) for s in shapes.input_shapes]
    v = r.standard_normal(shapes.result_shape)
    weights = [r.standard_normal(s) for s in shapes.input_shapes]
    f = BINARY[name]
    ours = _our_second_order(f, arrays, v, weights)
    theirs = _torch_second_order(torch, f, arrays, v, weights)
    for mine, ref in zip(ours[0] + ours[1], theirs[0] + theirs[1]):
        np.testing.assert_allclose(mine, ref, rtol=1e-9, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=2, max_dims=4, max_side=3),
       n=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_second_derivatives_of_batched_matmul(shapes, n, seed):
    sa, sb = shapes.input_shapes
    sb = sb[:-2] + (sa[-1], n)
    try:
        out_shape = np.broadcast_shapes(sa[:-2], sb[:-2]) + (sa[-2], n)
    except ValueError:
        return
    r = np.random.default_rng(seed)
    a, b = r.standard_normal(sa), r.standard_normal(sb)
    f = lambda x, y: (x @ y).tanh()  # noqa: E731
    gradcheck(_gradient_of_gradient(f, [r.standard_normal(sa), r.standard_normal(sb)]),
              a, b, r.standard_normal(out_shape), atol=1e-5, rtol=1e-4)


@settings(max_examples=30, deadline=None)
@given(case=reductions(max_dims=3))
def test_second_derivatives_of_reductions_over_random_axes(case):
    x, reduction, axis, keepdims = case
    shape = x.shape
    f = lambda a: getattr(a * a, reduction)(axis=axis, keepdims=keepdims)  # noqa: E731
    r = np.random.default_rng(len(shape))
    v = r.standard_normal(f(Tensor(x, requires_grad=False)).shape)
    gradcheck(_gradient_of_gradient(f, [r.standard_normal(shape)]), x, v, atol=1e-5, rtol=1e-4)


@settings(max_examples=20, deadline=None)
@given(shape=array_shapes(min_dims=1, max_dims=3, max_side=3), data=st.data())
def test_second_derivatives_through_shapes_gathers_and_joins(shape, data):
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    idx = np.array(data.draw(st.lists(st.integers(0, shape[0] - 1), min_size=1, max_size=5)))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    r = np.random.default_rng(len(shape))
    x = r.standard_normal(shape)

    def f(a):
        b = a.transpose(perm).reshape(-1).sigmoid()
        c = a[idx] * a[idx]
        d = autograd.concatenate([a, a.tanh()], axis=axis)
        e = autograd.stack([a * a, a], axis=axis)
        return autograd.concatenate([b, c.reshape(-1), d.reshape(-1), e.reshape(-1)])

    v = r.standard_normal(f(Tensor(x, requires_grad=False)).shape)
    gradcheck(_gradient_of_gradient(f, [r.standard_normal(shape)]), x, v, atol=1e-5, rtol=1e-4)


# -- special points ----------------------------------------------------------------------
def test_second_derivatives_at_ties_and_zeros_match_torch():
    """Ties of max/min reductions, relu and abs at 0 and -0.0, a max gate at a tie."""
    torch = pytest.importorskip("torch")
    x = np.array([[3.0, 3.0, -0.0], [0.0, -2.0, 1.0]])
    y = np.array([[3.0, 1.0, 0.0], [0.0, 5.0, 1.0]])

    def f(a, b, lib):
        mx = torch.maximum if lib == "torch" else (lambda p, q: p.max(q))
        amax = (lambda t: t.amax(dim=1)) if lib == "torch" else (lambda t: t.max(axis=1))
        return (amax(a * a) * 2).sum() + (mx(a, b) * a).sum() + (a.relu() * a).sum() + (a.abs() * b).sum()

    r = np.random.default_rng(0)
    v, weights = r.standard_normal(()), [r.standard_normal(x.shape), r.standard_normal(y.shape)]
    ours = _our_second_order(lambda a, b: f(a, b, "ours"), [x, y], v, weights)
    theirs = _torch_second_order(torch, lambda a, b: f(a, b, "torch"), [x, y], v, weights)
    for mine, ref in zip(ours[0] + ours[1], theirs[0] + theirs[1]):
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=0)


def test_second_derivatives_with_infinities_are_not_made_nan():
    """A second-order graph through logsumexp of -inf entries (softmax weights 0)."""
    x = Tensor([0.0, -np.inf, 1.0])
    (g,) = autograd.grad(x.logsumexp(), [x], create_graph=True)
    assert g.data[1] == 0.0
    (h,) = autograd.grad((g * g).sum(), [x])
    assert np.isfinite(h.data[[0, 2]]).all()


# -- a Hessian-vector product through a network ------------------------------------------------
def _mlp_loss(model, X, Y):
    return nn.mse_loss(model(X), Y)


def _flat_grads(model, X, Y):
    params = model.parameters()
    for p in params:
        p.grad = None
    _mlp_loss(model, X, Y).backward()
    return [p.grad.copy() for p in params]


def _mlp_hessian_vector_product(activation: str, seed: int):
    """A small MLP, its data, a random direction v per parameter, and H v by double
    backward: H v = d/dθ <∇_θ L, v>."""
    model = nn.tensor_mlp(3, [5, 4, 2], activation=activation, seed=seed)
    r = np.random.default_rng(seed)
    X, Y = r.standard_normal((6, 3)), r.standard_normal((6, 2))
    params = model.parameters()
    vs = [r.standard_normal(p.shape) for p in params]
    grads = autograd.grad(_mlp_loss(model, X, Y), params, create_graph=True)
    hv = autograd.grad(sum((g * v).sum() for g, v in zip(grads, vs)), params)
    return model, X, Y, params, vs, hv


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_hessian_vector_product_of_an_mlp(activation):
    """H v by double backward against central differences of the gradient along v,
    (∇L(θ + εv) - ∇L(θ - εv)) / 2ε."""
    model, X, Y, params, vs, hv = _mlp_hessian_vector_product(activation, seed=1)
    eps = 1e-5
    for p, v in zip(params, vs):
        p.data += eps * v
    up = _flat_grads(model, X, Y)
    for p, v in zip(params, vs):
        p.data -= 2 * eps * v
    down = _flat_grads(model, X, Y)
    for h, u, d in zip(hv, up, down):
        np.testing.assert_allclose(h.data, (u - d) / (2 * eps), rtol=1e-4, atol=1e-7)


def test_hessian_vector_product_of_an_mlp_matches_torch():
    torch = pytest.importorskip("torch")
    model, X, Y, params, vs, hv = _mlp_hessian_vector_product("tanh", seed=2)

    tp = [torch.tensor(p.data, requires_grad=True) for p in params]
    h = torch.tensor(X)
    for k in range(0, len(tp), 2):
        h = h @ tp[k] + tp[k + 1]
        if k + 2 < len(tp):
            h = h.tanh()
    loss = ((h - torch.tensor(Y)) ** 2).mean()
    tg = torch.autograd.grad(loss, tp, create_graph=True)
    thv = torch.autograd.grad(sum((g * torch.tensor(v)).sum() for g, v in zip(tg, vs)), tp)
    for mine, ref in zip(hv, thv):
        np.testing.assert_allclose(mine.data, ref.numpy(), rtol=1e-10, atol=1e-14)


def test_anomaly_detection_works_while_gradients_are_graphs():
    x = Tensor([1.0, 0.0])
    with autograd.detect_anomaly():
        (g,) = autograd.grad((x * x).sum(), [x], create_graph=True)
        np.testing.assert_array_equal(g.data, [2.0, 0.0])
        with pytest.raises(autograd.AnomalyError, match="'log'"):
            autograd.grad(x.log().sum(), [x], create_graph=True)
        v = autograd.Value(2.0)
        assert autograd.grad(v * v, [v], create_graph=True)[0].data == 4.0


# -- second derivatives through masked rules at the special points, Value and Tensor ---------
SPECIAL_POINTS = [0.0, -0.0, 2.0, -2.0, 0.5, math.inf, -math.inf, math.nan]
MASKED = {  # name: f(x, y), the same code on Values, Tensors and torch tensors (max/min: _apply_masked)
    "x**0.5": lambda x, y: x ** 0.5, "x**-0.5": lambda x, y: x ** -0.5,
    "x**1.5": lambda x, y: x ** 1.5, "x**2": lambda x, y: x ** 2, "x**0": lambda x, y: x ** 0,
    "x**-1": lambda x, y: x ** -1, "x**x": lambda x, y: x ** x, "x**y": lambda x, y: x ** y,
    "relu": lambda x, y: x.relu(), "abs": lambda x, y: x.abs(), "max": None, "min": None,
    "relu(x)*y": lambda x, y: x.relu() * y,
}


def _apply_masked(name, x, y, torch=None):
    if name in ("max", "min"):
        if torch is not None:
            return (torch.maximum if name == "max" else torch.minimum)(x, y)
        return getattr(x, {"max": "maximum", "min": "minimum"}[name] if isinstance(x, Tensor) else name)(y)
    return MASKED[name](x, y)


def _second_derivatives_ours(name, x0, y0, tensor):
    """d f/dx, and d(d f/dx)/dx and d(d f/dx)/dy, in chainrule (0 where nothing depends)."""
    make = (lambda v: Tensor(np.array(v))) if tensor else Value
    x, y = make(x0), make(y0)
    (g,) = autograd.grad(_apply_masked(name, x, y), [x], create_graph=True)
    if not g.requires_grad:  # a gradient that is a constant: its derivatives are 0
        return float(g.data), [0.0, 0.0]
    seconds = []
    for leaf in (x, y):
        x.grad = y.grad = None
        g.backward()
        seconds.append(0.0 if leaf.grad is None else float(leaf.grad))
    return float(g.data), seconds


def _second_derivatives_torch(torch, name, x0, y0):
    x, y = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (x0, y0))
    (g,) = torch.autograd.grad(_apply_masked(name, x, y, torch), [x], create_graph=True,
                               allow_unused=True, materialize_grads=True)
    if not g.requires_grad:
        return float(g), [0.0, 0.0]
    seconds = torch.autograd.grad(g, [x, y], allow_unused=True, materialize_grads=True)
    return float(g), [float(s) for s in seconds]


def _same_number(a, b):
    """Equal, or both nan (the sign of 0 is not compared: torch assigns, chainrule adds to 0)."""
    return (math.isnan(a) and math.isnan(b)) or a == b or abs(a - b) <= 1e-12 * abs(b)


@pytest.mark.parametrize("tensor", [False, True], ids=["Value", "Tensor"])
@pytest.mark.parametrize("name", sorted(MASKED))
def test_second_derivatives_through_masked_rules_match_torch_at_special_points(name, tensor):
    """Issue 19 item 9: torch's where-backward sends exactly 0 to the side it did not choose,
    and that 0 flows on (0 * inf = nan), so the second derivative of x**x at 0 is nan."""
    torch = pytest.importorskip("torch")
    for x0 in SPECIAL_POINTS:
        for y0 in SPECIAL_POINTS if name in ("x**y", "max", "min", "relu(x)*y") else [1.0]:
            ours = _second_derivatives_ours(name, x0, y0, tensor)
            theirs = _second_derivatives_torch(torch, name, x0, y0)
            assert all(map(_same_number, [ours[0], *ours[1]], [theirs[0], *theirs[1]])), \
                f"{name} at x={x0}, y={y0}: chainrule {ours}, torch {theirs}"


def test_sqrt_is_torchs_sqrt_to_the_second_derivative():
    """``t.sqrt()`` is torch's sqrt, whose rule is G / (2 √x) from the output: the same
    values and gradients as ``t ** 0.5`` but other second derivatives at -0.0 and -inf."""
    torch = pytest.importorskip("torch")
    points = np.array(SPECIAL_POINTS)
    x = Tensor(points)
    (g,) = autograd.grad(x.sqrt().sum(), [x], create_graph=True)
    (h,) = autograd.grad(g.sum(), [x])
    tx = torch.tensor(points, requires_grad=True)
    (tg,) = torch.autograd.grad(tx.sqrt().sum(), [tx], create_graph=True)
    (th,) = torch.autograd.grad(tg.sum(), [tx])
    for ours, theirs in [(x.sqrt().data, tx.sqrt().detach()), (g.data, tg.detach()), (h.data, th)]:
        np.testing.assert_array_equal(ours, theirs.numpy())
