"""One training step of nn.MLP(2, [16, 16, 1]) on 100 two-moons points (max-margin
loss + 1e-4 L2, one SGD step), against the same forward pass on plain Python floats.

Prints ratios measured in one run: (forward + backward + update) / plain-float forward.
Issue target: at most 25x.  Run: PYTHONPATH=. python benchmarks/scalar_mlp.py
"""
from __future__ import annotations

import time

import nn
from nn.data import make_moons


def plain_weights(model: nn.MLP) -> list[list[list[float]]]:
    """The model's weights as nested lists of floats: layers -> neurons -> [w..., b]."""
    return [[[w.data for w in n.w] + [n.b.data] for n in layer.neurons] for layer in model.layers]


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


def loss_of(model, params, xs, ys):
    """Mean max-margin loss relu(1 - y score) plus 1e-4 L2 over the parameters."""
    return nn.hinge_loss([model(x) for x in xs], ys) + 1e-4 * nn.l2_penalty(params)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(repeat: int = 7) -> None:
    X, y = make_moons(100, noise=0.1, seed=0)
    xs = X.tolist()
    ys = [2.0 * float(t) - 1.0 for t in y]
    model = nn.MLP(2, [16, 16, 1], seed=0)
    params = model.parameters()
    optimizer = nn.SGD(params, lr=0.05)
    plain = plain_weights(model)

    def plain_forward():
        for x in xs:
            plain_forward_one(plain, x)

    def value_forward():
        loss_of(model, params, xs, ys)

    def value_step():
        loss = loss_of(model, params, xs, ys)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    t_plain = best_of(plain_forward, repeat)
    t_fwd = best_of(value_forward, repeat)
    t_step = best_of(value_step, repeat)
    print(f"parameters: {len(params)}, points: {len(xs)}")
    print(f"plain-float forward:         {t_plain * 1e3:8.2f} ms")
    print(f"Value forward (with loss):   {t_fwd * 1e3:8.2f} ms  ratio {t_fwd / t_plain:6.1f}x")
    print(f"Value forward+backward+SGD:  {t_step * 1e3:8.2f} ms  ratio {t_step / t_plain:6.1f}x  (target <= 25x)")


if __name__ == "__main__":
    main()
