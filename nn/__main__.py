"""The command line: ``python -m nn train|draw ...`` (or ``chainrule train|draw ...``).

``train --dataset moons`` (the default; also circles, blobs, spiral, xor) trains an
MLP, 2-16-16-1 by default, with micrograd's recipe: binary max-margin loss plus
1e-4 L2, full-batch SGD with the learning rate falling from 1.0 to 0.1
(lr_k = 1.0 - 0.9 k / steps).  It prints progress and ``accuracy: 0.99``, and
writes into ``--out`` ``decision_boundary.png``, ``loss.png`` and ``neuron.svg``
(one neuron of the first layer on the first sample, with data and gradients).
``--engine tensor`` trains the same network (the same initial weights, see
``nn.tensor_mlp``) in matrix form on Tensors, the whole batch per call; its
``neuron.svg`` shows the first layer in matrix form on the first sample,
``sum(relu(x W + b))``, with every neuron of that layer at once.

``grade SUBMISSION.ipynb... --out grades.csv [--feedback DIR]`` grades a class's
exercise notebooks (see :mod:`nn.grade`).

``draw EXPRESSION name=value ... -o FILE`` is autograd's own command (see
:mod:`autograd.cli`): it computes, runs backward and draws the expression.

``train --dataset digits --engine tensor`` trains a 64-64-10 MLP with softmax
cross-entropy and Adam on 80% of the 1,797 handwritten digits (a stratified
split; pixels standardized with the training images' statistics) and tests it
on the other 20%.  It prints the train and held-out
accuracy and writes ``curves.png`` (training and held-out loss and accuracy),
``confusion_matrix.png`` and ``test_images.png`` (test images with their
predicted labels, the mistakes marked).  The scalar engine is refused for it.

Exit status: 0 on success; 2 for a user's mistake, with one line on stderr and
never a traceback (bad options, an ``--out`` that cannot be written, ``--points``
too many for the memory); 1 when an optional extra is missing, or when the
neuron drawing fails to render (e.g. no Graphviz ``dot`` program), after the
other files are written.  Options and ``--out`` are checked before training.

Adding a subcommand: in :func:`build_parser`, ``add_parser`` it, add its
arguments and ``set_defaults(run=function)``; ``function(args)`` returns the exit
status, and reports a user's mistake by raising ``ValueError`` (such as
:class:`UsageError`) or ``OSError``: :func:`main` prints it as one line and
returns 2, for every subcommand.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from typing import Any, Callable, NoReturn, Sequence

import numpy as np

import autograd

from . import data, plots
from . import grade as grading
from .inference import predict
from .layers import tensor_mlp
from .losses import cross_entropy_loss, hinge_loss
from .metrics import argmax, binary_accuracy, confusion_matrix, multiclass_accuracy
from .optim import SGD, Adam
from .scalar import MLP
from .train import fit

L2_STRENGTH = 1e-4
"""The L2 regularisation strength of the toy-data recipe (micrograd's alpha)."""

DIGITS = {"sizes": [64, 10], "steps": 1000, "lr": 0.003, "batch_size": 64, "test_size": 0.2, "eval_every": 50}
"""The digits recipe: 64-64-10 on standardized pixels, Adam at lr 0.003 on minibatches
of 64 for 1000 steps, 20% of the images held out, evaluated every 50 steps."""

TOY = {"sizes": [16, 16, 1], "steps": 100, "lr": 1.0, "points": 100}
"""The toy-data recipe's defaults (micrograd's demo)."""

DATASETS = sorted(data.DATASETS) + ["digits"]


class UsageError(ValueError):
    """A user's mistake on the command line: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, with each error printed as one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: error: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(2)


MAX_COUNT = 10**12
"""The most points, steps or neurons in a layer ``chainrule train`` accepts: more than
any machine's memory (a point or a neuron takes bytes) or time allows."""


def _shown(text: str) -> str:
    """``text`` for an error message, shortened when it is long (a number of 400
    digits is named by its start and length)."""
    return text if len(text) <= 30 else f"{text[:20]}... ({len(text)} characters)"


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers like 16,16,1, "
                                         f"got {_shown(text)!r}") from None
    if any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"layer sizes must be >= 1, got {_shown(text)!r}")
    if any(s > MAX_COUNT for s in sizes):
        raise argparse.ArgumentTypeError(f"layer sizes must be <= {MAX_COUNT:,}, got {_shown(text)!r}")
    return sizes


def _count(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {_shown(text)!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {_shown(text)}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be <= {maximum:,}, got {_shown(text)}")
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


def add_train_arguments(train: argparse.ArgumentParser) -> None:
    """The options of ``chainrule train``."""
    train.add_argument("--dataset", choices=DATASETS, default="moons",
                       help="data set: 2-D toy sets with two classes (default moons), or the "
                            "handwritten digits (needs --engine tensor and scikit-learn)")
    train.add_argument("--sizes", type=_sizes, default=None,
                       help="layer sizes after the inputs, last one 1 for the toy sets and 10 for digits "
                            "(default 16,16,1; 64,10 for digits)")
    train.add_argument("--engine", choices=["scalar", "tensor"], default="scalar",
                       help="scalar Values (default, one node per neuron) or Tensors (matrix form)")
    train.add_argument("--steps", type=_count(1, MAX_COUNT), default=None,
                       help="training steps (default 100; 1000 for digits)")
    train.add_argument("--lr", type=_positive_float, default=None,
                       help="learning rate: SGD's initial one, decayed linearly to a tenth (default 1.0); "
                            "Adam's for digits (default 0.003)")
    train.add_argument("--seed", type=_count(0), default=0, help="seed for data and initialisation (default 0)")
    train.add_argument("--points", type=_count(2, MAX_COUNT), default=None,
                       help="number of data points of a toy set (default 100)")
    train.add_argument("--out", default="out", help="directory for the pictures (default out)")
    train.add_argument("--quiet", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subparser per command, each with ``run`` set to the
    function that runs it."""
    parser = _Parser(prog="chainrule", description="Train small networks built on chainrule.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    train = commands.add_parser("train", help="train an MLP on a toy data set or the digits and write pictures")
    add_train_arguments(train)
    train.set_defaults(run=run_train)
    draw = commands.add_parser("draw", help="compute an expression, run backward and draw its graph")
    autograd.cli.add_draw_arguments(draw)
    draw.set_defaults(run=autograd.cli.run_draw, draw_prog="chainrule draw")
    grade = commands.add_parser("grade", help="grade students' exercise notebooks: a CSV and feedback pages")
    grading.add_arguments(grade)
    grade.set_defaults(run=grading.run)
    return parser


def _available_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux's MemAvailable), or None."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def estimated_memory(engine: str, sizes: Sequence[int], points: int, nin: int = 2) -> int:
    """A rough estimate, in bytes, of the peak memory of one full-batch training step.

    Scalar engine: per sample, each neuron records a fused linear node (about 200
    bytes plus 8 per parent: 2 nin + 1 parents) and an activation node (about 200
    bytes).  Tensor engine: per sample, the layer outputs, activations and their
    gradients, 8 bytes each.  Both: about 300 bytes per point for the data and labels.
    """
    widths = [nin, *sizes]
    if engine == "scalar":
        per_point = sum(nout * (8 * (2 * n + 1) + 400) for n, nout in zip(widths, widths[1:]))
    else:
        per_point = 8 * (nin + 4 * sum(sizes))
    return points * (per_point + 300)


def _size_text(n: float) -> str:
    for unit in ("bytes", "kB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError  # pragma: no cover


def _check_memory(engine: str, sizes: Sequence[int], points: int) -> None:
    need, have = estimated_memory(engine, sizes, points), _available_memory()
    if have is not None and need > have:
        hint = "use fewer points" + (", or --engine tensor" if engine == "scalar" else "")
        raise UsageError(f"--points {points} would need about {_size_text(need)} of memory for one "
                         f"{engine}-engine training step, and {_size_text(have)} is available: {hint}")


def prepare_output_directory(out: str) -> None:
    """Create ``out`` if needed and make sure a file can be written in it; a
    :class:`UsageError` naming the problem otherwise.  Run before any training."""
    if not out.strip():
        raise UsageError("--out must name a directory, got an empty name")
    if os.path.exists(out) and not os.path.isdir(out):
        raise UsageError(f"--out {out!r} exists and is not a directory")
    try:
        os.makedirs(out, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as e:
        raise UsageError(f"cannot write into --out directory {out!r}: {e.strerror or e}") from None


def _resolve_options(args: argparse.Namespace) -> None:
    """Fill in the dataset's defaults and refuse combinations that cannot work,
    before anything is trained or written."""
    digits = args.dataset == "digits"
    recipe = DIGITS if digits else TOY
    if args.sizes is None:
        args.sizes = list(recipe["sizes"])
    outputs = 10 if digits else 1
    if args.sizes[-1] != outputs:
        what = "10 outputs (one score per digit)" if digits else "1 output (a binary score)"
        raise UsageError(f"--sizes: the last layer must have {what} for {args.dataset}, "
                         f"got {','.join(map(str, args.sizes))}")
    args.steps = recipe["steps"] if args.steps is None else args.steps
    args.lr = recipe["lr"] if args.lr is None else args.lr
    if digits:
        if args.engine == "scalar":
            raise UsageError("--dataset digits needs --engine tensor: on scalar Values one step over the "
                             "1,438 training images would record about 14 million gradient edges "
                             "(minutes per step)")
        if args.points is not None:
            raise UsageError("--points does not apply to digits (the data set has 1,797 images)")
    else:
        args.points = recipe["points"] if args.points is None else args.points
        _check_memory(args.engine, args.sizes, args.points)


def _missing_extras(quiet: bool, digits: bool) -> int | None:
    needed = ["matplotlib"] + ([] if quiet else ["tqdm"])
    missing = [name for name in needed if importlib.util.find_spec(name) is None]
    if missing:
        print(f"chainrule train needs {' and '.join(missing)}: pip install 'chainrule[notebooks]'", file=sys.stderr)
        return 1
    if digits and importlib.util.find_spec("sklearn") is None:
        print("chainrule train --dataset digits needs scikit-learn: pip install 'chainrule[datasets]'",
              file=sys.stderr)
        return 1
    return None


def run_train(args: argparse.Namespace) -> int:
    """Run ``chainrule train``; return the exit status."""
    _resolve_options(args)
    problem = _missing_extras(args.quiet, args.dataset == "digits")
    if problem is not None:
        return problem
    prepare_output_directory(args.out)
    return (_train_digits if args.dataset == "digits" else _train_toy)(args)


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
        svg = autograd.draw_graph(out, edge_grads=True, names=model).pipe(format="svg")
    except Exception as e:  # rendering needs the Graphviz program; say why, no traceback
        return f"{type(e).__name__}: {e}"
    finally:
        model.zero_grad()
    with open(path, "wb") as f:
        f.write(svg)
    return None


def _architecture(nin: int, sizes: Sequence[int], model: Any, engine: str) -> str:
    """Such as ``2-16-16-1 MLP (337 parameters, scalar engine)``."""
    count = sum(int(np.size(p.data)) for p in model.parameters())
    return f"{'-'.join(str(n) for n in [nin, *sizes])} MLP ({count} parameters, {engine} engine)"


def _train_toy(args: argparse.Namespace) -> int:
    """micrograd's demo on a 2-D toy set; see the module docstring."""
    X, y = data.DATASETS[args.dataset](args.points, seed=args.seed)
    labels = [2 * int(t) - 1 for t in y]  # {0, 1} -> {-1, +1} for the max-margin loss
    if args.engine == "tensor":
        model = tensor_mlp(2, args.sizes, seed=args.seed, init="micrograd")  # the scalar network's twin
    else:
        model = MLP(2, args.sizes, seed=args.seed)
    print(f"training a {_architecture(2, args.sizes, model, args.engine)} on "
          f"{args.points} {args.dataset} points for {args.steps} steps")
    optimizer = SGD(model.parameters(), lr=args.lr)
    history = fit(model, X, labels, hinge_loss, optimizer, args.steps, l2=L2_STRENGTH,
                  lr_schedule=lambda k: args.lr * (1.0 - 0.9 * k / args.steps),
                  progress=not args.quiet)
    accuracy = binary_accuracy(predict(model, X), labels)
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


def _test_images_to_show(predicted: np.ndarray, labels: np.ndarray, first: int = 60) -> np.ndarray:
    """The indices of the first ``first`` test images and of every misclassified one."""
    wrong = np.flatnonzero(predicted != labels)
    return np.union1d(np.arange(min(first, len(labels))), wrong)


def _train_digits(args: argparse.Namespace) -> int:
    """The digits recipe on Tensors; see the module docstring."""
    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=DIGITS["test_size"], seed=args.seed)
    images = X_test  # the pixels, for the picture
    X_train, X_test = data.standardize(X_train, X_test)
    model = tensor_mlp(64, args.sizes, seed=args.seed)
    print(f"training a {_architecture(64, args.sizes, model, args.engine)} on "
          f"{len(X_train)} digits ({len(X_test)} held out) for {args.steps} steps of Adam "
          f"(lr {args.lr:g}, batches of {DIGITS['batch_size']})")
    optimizer = Adam(model.parameters(), lr=args.lr)
    from threadpoolctl import threadpool_limits  # comes with scikit-learn

    start = time.perf_counter()
    with threadpool_limits(limits=1):  # 64 x 64 matrices: more BLAS threads only add waiting
        history = fit(model, X_train, y_train, cross_entropy_loss, optimizer, args.steps,
                      batch_size=DIGITS["batch_size"], validation=(X_test, y_test),
                      eval_every=DIGITS["eval_every"], seed=args.seed, progress=not args.quiet)
    seconds = time.perf_counter() - start
    train_accuracy = multiclass_accuracy(predict(model, X_train), y_train)
    predicted = argmax(predict(model, X_test))
    test_accuracy = float(np.mean(predicted == y_test))
    shown = _test_images_to_show(predicted, y_test)
    written = [os.path.join(args.out, name) for name in ("curves.png", "confusion_matrix.png", "test_images.png")]
    plots.plot_curves(history, written[0])
    plots.plot_confusion_matrix(confusion_matrix(predicted, y_test, num_classes=10), written[1])
    plots.plot_images(images[shown], predicted[shown], y_test[shown], written[2], columns=15,
                      title=f"test images and their predicted labels; the {int(np.sum(predicted != y_test))} "
                            f"mistakes (of {len(y_test)}) in red, as predicted (true)")
    print(f"final loss: {history.loss[-1]:.4f} after {seconds:.2f} s of training")
    print("wrote " + ", ".join(written))
    print(f"train accuracy: {train_accuracy:.4f}")
    print(f"held-out accuracy: {test_accuracy:.4f}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m nn`` and the ``chainrule`` command; returns the exit
    status.  Every user error, in any subcommand, gets one line on stderr and
    status 2: bad options (from argparse), and ``ValueError``/``OSError`` raised
    by the command (``MemoryError`` too, with a hint).  Ctrl-C ends it with one line
    and status 130, as a shell would report it."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # a bad option (status 2, already printed as one line), or --help (0)
        return e.code if isinstance(e.code, int) else 2
    try:
        return args.run(args)
    except KeyboardInterrupt:  # Ctrl-C: the user stopped it; say so, no traceback
        print(f"{parser.prog} {args.command}: interrupted", file=sys.stderr)
        return 130
    except OSError as e:  # "[Errno 2] No such file ..." reads better without the number
        message = f"{e.strerror}: {e.filename!r}" if e.strerror and e.filename else (e.strerror or str(e))
    except ValueError as e:
        message = str(e)
    except MemoryError:
        message = "out of memory: try fewer points or smaller layers"
    print(f"{parser.prog} {args.command}: error: {' '.join(message.split())}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
