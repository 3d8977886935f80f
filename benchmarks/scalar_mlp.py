"""One training step of a 2-16-16-1 MLP on 100 two-moons points, four ways, against the
same forward pass on plain Python floats.

The step is micrograd's demo step: inputs made into Values, the model's scores,
the max-margin loss mean(relu(1 - y score)) plus 1e-4 L2, zero_grad, backward,
one SGD step (learning rate 1 - 0.9 k/100).

* ``nn.MLP``: chainrule's model, one fused ``linear`` node per neuron;
* op by op: the model as a student writes it on Values, ``sum(w * x for ...)``,
  one node per operation (the generated fast path);
* compiled: the same student model after ``autograd.compile(model, [0.0, 0.0])``;
* micrograd (``--micrograd DIR``): micrograd's own engine and MLP, imported from a
  copy of its public source at DIR (never vendored here), with the same weights.

Prints each one's time and its ratio to the plain-float forward pass, all measured
in one run (each variant in turns, the best turn kept; CPU time of this process;
garbage collection left on: its cost is part of an engine's cost).  Run: PYTHONPATH=. python benchmarks/scalar_mlp.py [--micrograd DIR]
"""
from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from typing import Any, Callable

import numpy as np

import autograd
import nn
from nn.data import make_moons


# -- the model as a student writes it (micrograd style), on any Value class ------------
class StudentNeuron:
    """act = b + Σ w_i x_i, one node per * and +, then relu unless it is the output."""

    def __init__(self, value: type, nin: int, nonlin: bool) -> None:
        self.w = [value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = value(0.0)
        self.nonlin = nonlin

    def __call__(self, x: list) -> Any:
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self) -> list:
        return self.w + [self.b]


class StudentMLP:
    """Layers of StudentNeurons; a one-output last layer returns its Value."""

    def __init__(self, value: type, nin: int, nouts: list[int]) -> None:
        sizes = [nin] + nouts
        self.layers = [[StudentNeuron(value, sizes[i], i != len(nouts) - 1) for _ in range(sizes[i + 1])]
                       for i in range(len(nouts))]

    def __call__(self, x: list) -> Any:
        for layer in self.layers:
            x = [neuron(x) for neuron in layer]
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list:
        return [p for layer in self.layers for neuron in layer for p in neuron.parameters()]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0


def demo_step(value: type, model: Any, X: np.ndarray, y: np.ndarray) -> Callable[[int], tuple[float, float]]:
    """Step ``k`` of micrograd's demo loop with ``value`` as the Value class; returns the loss
    and the accuracy."""
    def step(k: int) -> tuple[float, float]:
        inputs = [list(map(value, row)) for row in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        total = data_loss + reg_loss
        accuracy = sum((yi > 0) == (si.data > 0) for yi, si in zip(y, scores)) / len(scores)
        model.zero_grad()
        total.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        return total.data, accuracy
    return step


# -- the reference: the same forward pass on plain floats -------------------------------
def plain_forward(weights: list, X: list) -> None:
    """The MLP on plain floats: relu hidden layers, linear output, for every point."""
    for x in X:
        for k, layer in enumerate(weights):
            last = k == len(weights) - 1
            out = []
            for w, b in layer:
                act = b
                for wi, xi in zip(w, x):
                    act = act + wi * xi
                out.append(act if last else max(act, 0.0))
            x = out


def weights_of(model: StudentMLP) -> list:
    return [[([w.data for w in n.w], n.b.data) for n in layer] for layer in model.layers]


def copy_weights(source: StudentMLP, target: Any) -> None:
    """Give a micrograd MLP the student model's weights (same layer layout)."""
    for layer, theirs in zip(source.layers, target.layers):
        for n, m in zip(layer, theirs.neurons):
            for w, v in zip(n.w, m.w):
                v.data = w.data
            m.b.data = n.b.data


def timed(fn: Callable[[int], Any], steps: int) -> float:
    """Mean CPU seconds of this process per call over ``steps`` calls (collection of this
    variant's garbage included).  CPU time, not wall time, so that other programs on a
    shared machine do not enter the ratios."""
    t0 = time.process_time()
    for k in range(steps):
        fn(k)
    return (time.process_time() - t0) / steps


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--micrograd", metavar="DIR", help="a copy of micrograd's source, to compare")
    parser.add_argument("--rounds", type=int, default=5, help="turns per variant (best is kept)")
    parser.add_argument("--steps", type=int, default=5, help="steps per turn (their mean is a turn's time)")
    args = parser.parse_args(argv)

    X, y01 = make_moons(100, noise=0.1, seed=0)
    y = y01 * 2 - 1
    random.seed(1337)
    student = StudentMLP(autograd.Value, 2, [16, 16, 1])
    random.seed(1337)
    to_compile = StudentMLP(autograd.Value, 2, [16, 16, 1])
    t0 = time.process_time()
    compiled = autograd.compile(to_compile, [0.0, 0.0])
    compile_ms = (time.process_time() - t0) * 1e3
    fused = nn.MLP(2, [16, 16, 1], seed=0)
    sgd = nn.SGD(fused.parameters(), lr=0.05)
    xs, ys = X.tolist(), [float(t) for t in y]

    def fused_step(k: int) -> None:
        loss = nn.hinge_loss([fused(x) for x in xs], ys) + 1e-4 * nn.l2_penalty(fused.parameters())
        sgd.zero_grad()
        loss.backward()
        sgd.step()

    plain = weights_of(student)
    variants: dict[str, Callable[[int], Any]] = {
        "plain-float forward": lambda k: plain_forward(plain, xs),
        "nn.MLP (fused linear), step": fused_step,
        "op by op (student code), step": demo_step(autograd.Value, student, X, y),
        "compiled (student code), step": demo_step(autograd.Value, compiled, X, y),
    }
    if args.micrograd:
        sys.path.insert(0, args.micrograd)
        from micrograd.engine import Value as MicrogradValue
        from micrograd.nn import MLP as MicrogradMLP

        theirs = MicrogradMLP(2, [16, 16, 1])
        copy_weights(student, theirs)
        variants["micrograd (its engine), step"] = demo_step(MicrogradValue, theirs, X, y)
        mine, micro = variants["op by op (student code), step"], variants["micrograd (its engine), step"]
        same = mine(0) == micro(0)
        print(f"same first loss as micrograd: {same}")

    best = {name: float("inf") for name in variants}
    for _ in range(args.rounds):
        for name, fn in variants.items():
            gc.collect()  # the previous variant's garbage is not charged to this one
            best[name] = min(best[name], timed(fn, args.steps))
    base = best["plain-float forward"]
    print(f"2-16-16-1 MLP, 100 points; compile took {compile_ms:.0f} ms")
    for name, t in best.items():
        line = f"{name:34s} {t * 1e3:9.2f} ms  {t / base:7.1f}x plain floats"
        if "micrograd (its engine), step" in best and "step" in name:
            line += f"  {best['micrograd (its engine), step'] / t:7.1f}x faster than micrograd"
        print(line)


if __name__ == "__main__":
    main()
