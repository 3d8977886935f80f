"""One training step of a 2-16-16-1 MLP on 100 two-moons points, built from Values,
against the same forward pass computed on plain Python floats.

Prints ratios measured in one run: (forward + backward + update) / plain-float forward.
Issue target: at most 25x.  Run: python benchmarks/scalar_mlp.py
"""
from __future__ import annotations

import random
import time

from autograd import Value, linear, sum_values
from nn.data import make_moons


def init_mlp(sizes: list[int], rng: random.Random) -> list[list[list[float]]]:
    """Weights as nested lists: layers -> neurons -> [w..., b]."""
    return [
        [[rng.uniform(-1, 1) for _ in range(nin + 1)] for _ in range(nout)]
        for nin, nout in zip(sizes, sizes[1:])
    ]


def plain_forward_one(layers, x):
    """The MLP on plain floats: relu hidden layers, linear output."""
    for k, layer in enumerate(layers):
        last = k == len(layers) - 1
        out = []
        for neuron in layer:
            act = neuron[-1]
            for w, xi in zip(neuron, x):
                act = act + w * xi
            out.append(act if last else max(act, 0.0))
        x = out
    return x[0]


def forward(layers, x):
    """The MLP on Values, one fused linear node per neuron."""
    for k, layer in enumerate(layers):
        last = k == len(layers) - 1
        out = []
        for neuron in layer:
            act = linear(neuron[:-1], x, neuron[-1])
            out.append(act if last else act.relu())
        x = out
    return x[0]


def loss_of(layers, params, xs, ys):
    """Max-margin loss relu(1 - y score), averaged, plus 1e-4 L2 over the parameters."""
    total = sum_values([(1 - y * forward(layers, x)).relu() for x, y in zip(xs, ys)])
    reg = linear(params, params)
    return total * (1.0 / len(xs)) + 1e-4 * reg


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(repeat: int = 7) -> None:
    rng = random.Random(0)
    X, y = make_moons(100, noise=0.1, seed=0)
    xs = [list(map(float, row)) for row in X]
    ys = [2.0 * float(t) - 1.0 for t in y]
    plain = init_mlp([2, 16, 16, 1], rng)
    layers = [[[Value(w) for w in neuron] for neuron in layer] for layer in plain]
    params = [w for layer in layers for neuron in layer for w in neuron]

    def plain_forward():
        for x in xs:
            plain_forward_one(plain, x)

    def value_forward():
        loss_of(layers, params, xs, ys)

    def value_step():
        loss = loss_of(layers, params, xs, ys)
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= 0.05 * p.grad

    t_plain = best_of(plain_forward, repeat)
    t_fwd = best_of(value_forward, repeat)
    t_step = best_of(value_step, repeat)
    print(f"parameters: {len(params)}, points: {len(xs)}")
    print(f"plain-float forward:         {t_plain * 1e3:8.2f} ms")
    print(f"Value forward (with loss):   {t_fwd * 1e3:8.2f} ms  ratio {t_fwd / t_plain:6.1f}x")
    print(f"Value forward+backward+SGD:  {t_step * 1e3:8.2f} ms  ratio {t_step / t_plain:6.1f}x  (target <= 25x)")


if __name__ == "__main__":
    main()
