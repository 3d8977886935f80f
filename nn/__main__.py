"""The demo: ``python -m nn train --dataset moons --out DIR`` (or ``chainrule train ...``).

Trains an MLP (2-16-16-1 by default) with micrograd's recipe: binary max-margin
loss plus 1e-4 L2, full-batch SGD with the learning rate falling from 1.0
to 0.1 (lr_k = 1.0 - 0.9 k / steps).  Prints progress and ``accuracy: 0.99``,
and writes into DIR ``decision_boundary.png``, ``loss.png`` and ``neuron.svg``
(one neuron of the first layer on the first sample, with data and gradients).

``--engine tensor`` trains the same network (the same initial weights, see
``nn.tensor_mlp``) in matrix form on Tensors, the whole batch per call; its
``neuron.svg`` shows the first layer in matrix form on the first sample,
``sum(relu(x W + b))``, with every neuron of that layer at once.

Exit status: 0 on success; 2 for bad options (argparse usage message); 1 when
the neuron drawing fails to render (e.g. no Graphviz ``dot`` program), after
the other files are written.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from typing import Any, Sequence

import numpy as np

import autograd

from . import data, plots
from .losses import hinge_loss
from .metrics import binary_accuracy
from .optim import SGD
from .layers import tensor_mlp
from .scalar import MLP
from .train import fit, predict

L2_STRENGTH = 1e-4
"""The L2 regularisation strength of the demo (micrograd's alpha)."""


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers like 16,16,1, got {text!r}") from None
    if any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"layer sizes must be >= 1, got {text!r}")
    if sizes[-1] != 1:
        raise argparse.ArgumentTypeError(f"the last layer must have 1 output (a binary score), got {text!r}")
    return sizes


def _count(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {value}")
        return value

    return parse


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line: ``train`` with its options."""
    parser = argparse.ArgumentParser(prog="chainrule", description="Train a small MLP built on chainrule's Values.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    train = commands.add_parser("train", help="train an MLP on a 2-D toy data set and write pictures")
    train.add_argument("--dataset", choices=sorted(data.DATASETS), default="moons",
                       help="data set (two classes; default moons)")
    train.add_argument("--sizes", type=_sizes, default=[16, 16, 1],
                       help="layer sizes after the 2 inputs, last one 1 (default 16,16,1)")
    train.add_argument("--engine", choices=["scalar", "tensor"], default="scalar",
                       help="scalar Values (default, one node per neuron) or Tensors (matrix form)")
    train.add_argument("--steps", type=_count(1), default=100, help="full-batch SGD steps (default 100)")
    train.add_argument("--lr", type=_positive_float, default=1.0,
                       help="initial learning rate, decayed linearly to a tenth (default 1.0)")
    train.add_argument("--seed", type=int, default=0, help="seed for data and initialisation (default 0)")
    train.add_argument("--points", type=_count(2), default=100, help="number of data points (default 100)")
    train.add_argument("--out", default="out", help="directory for the pictures (default out)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _first_layer_output(model: Any, x: Sequence[float]) -> autograd.Node:
    """The first neuron's output on ``x`` (scalar engine), or the first layer's
    ``sum(relu(x W + b))`` on the one-row batch ``x`` (tensor engine)."""
    if getattr(model, "batched", False):
        batch = autograd.Tensor([list(x)], requires_grad=False, label="x")
        return model[1](model[0](batch)).sum()
    inputs = [autograd.Value(v, label=f"x{k}") for k, v in enumerate(x)]
    return model.layers[0].neurons[0](inputs)


def _write_neuron_graph(model: Any, x: Sequence[float], path: str) -> str | None:
    """Draw the first layer's output on input ``x`` after backward into ``path``
    (see :func:`_first_layer_output`); return None on success, else why the
    drawing could not be written.  The parameters' gradients are zero again afterwards."""
    out = _first_layer_output(model, x)
    out.label = "out"
    model.zero_grad()
    out.backward()
    try:
        svg = autograd.draw_graph(out, edge_grads=True).pipe(format="svg")
    except Exception as e:  # rendering needs the Graphviz program; say why, no traceback
        return f"{type(e).__name__}: {e}"
    finally:
        model.zero_grad()
    with open(path, "wb") as f:
        f.write(svg)
    return None


def train(args: argparse.Namespace) -> int:
    """Run the ``train`` command; return the exit status."""
    needed = ["matplotlib"] + ([] if args.quiet else ["tqdm"])
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        print(f"chainrule train needs {' and '.join(missing)}: pip install 'chainrule[notebooks]'",
              file=sys.stderr)
        return 1
    X, y = data.DATASETS[args.dataset](args.points, seed=args.seed)
    labels = [2 * int(t) - 1 for t in y]  # {0, 1} -> {-1, +1} for the max-margin loss
    model = (tensor_mlp if args.engine == "tensor" else MLP)(2, args.sizes, seed=args.seed)
    architecture = "-".join(str(n) for n in [2, *args.sizes])
    count = sum(int(np.size(p.data)) for p in model.parameters())
    print(f"training a {architecture} MLP ({count} parameters, {args.engine} engine) on "
          f"{args.points} {args.dataset} points for {args.steps} steps")
    optimizer = SGD(model.parameters(), lr=args.lr)
    history = fit(model, X, labels, hinge_loss, optimizer, args.steps, l2=L2_STRENGTH,
                  lr_schedule=lambda k: args.lr * (1.0 - 0.9 * k / args.steps),
                  progress=not args.quiet)
    accuracy = binary_accuracy(predict(model, X), labels)
    os.makedirs(args.out, exist_ok=True)
    written = [os.path.join(args.out, "decision_boundary.png"), os.path.join(args.out, "loss.png")]
    plots.plot_decision_boundary(model, X, y, written[0])
    plots.plot_loss(history, written[1])
    svg_path = os.path.join(args.out, "neuron.svg")
    problem = _write_neuron_graph(model, X[0].tolist(), svg_path)
    if problem is None:
        written.append(svg_path)
    else:
        print(f"neuron graph not written: {problem}", file=sys.stderr)
    print(f"final loss: {history.loss[-1]:.4f}")
    print("wrote " + ", ".join(written))
    print(f"accuracy: {accuracy:.2f}")
    return 0 if problem is None else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m nn`` and the ``chainrule`` command; returns the exit
    status.  Bad options exit with status 2 and a usage message."""
    args = build_parser().parse_args(argv)
    return train(args)


if __name__ == "__main__":
    sys.exit(main())
