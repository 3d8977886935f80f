"""Value gradients against PyTorch on random expressions (skipped without torch)."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value
from tests.strategies import build, expressions, small

torch = pytest.importorskip("torch")


def _torch_gradients(expr, xs):
    v = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    as_t = lambda a: a if isinstance(a, torch.Tensor) else torch.tensor(float(a), dtype=torch.float64)  # noqa: E731
    out = build(expr, v, maximum=lambda a, b: torch.maximum(as_t(a), as_t(b)),
                minimum=lambda a, b: torch.minimum(as_t(a), as_t(b)))
    out = out + 0 * v[0]
    out.backward()
    return out.item(), [0.0 if t.grad is None else t.grad.item() for t in v]


@given(expr=expressions(3, smooth=False), xs=st.lists(small, min_size=3, max_size=3))
def test_random_expressions_match_torch(expr, xs):
    v = [Value(x) for x in xs]
    out = build(expr, v) + 0 * v[0]
    out.backward()
    expected, grads = _torch_gradients(expr, xs)
    assert out.data == pytest.approx(expected, rel=1e-9, abs=1e-12)
    for mine, theirs in zip([x.grad for x in v], grads):
        assert mine == pytest.approx(theirs, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("x", [0.0, -0.0, 1e-300, -1000.0, 1000.0, 2.0])
@pytest.mark.parametrize("name", ["relu", "abs", "sigmoid", "tanh", "exp"])
def test_edge_points_match_torch(name, x):
    v = Value(x)
    out = getattr(v, name)()
    out.backward()
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    tout = getattr(t, name)()
    tout.backward()
    for mine, theirs in [(out.data, tout.item()), (v.grad, t.grad.item())]:
        assert mine == pytest.approx(theirs, rel=1e-12) or (math.isnan(mine) and math.isnan(theirs))


@pytest.mark.parametrize("a, b", [(2.0, 2.0), (-1.0, 3.0), (0.0, -0.0)])
def test_max_and_min_ties_match_torch(a, b):
    for name, tname in [("max", "maximum"), ("min", "minimum")]:
        x, y = Value(a), Value(b)
        getattr(x, name)(y).backward()
        tx = torch.tensor(a, dtype=torch.float64, requires_grad=True)
        ty = torch.tensor(b, dtype=torch.float64, requires_grad=True)
        getattr(torch, tname)(tx, ty).backward()
        assert (x.grad, y.grad) == (tx.grad.item(), ty.grad.item())
