"""``python -m autograd draw "(x + y) * z" x=-2 y=5 z=-4 -o f.svg``: compute, backpropagate, draw.

The expression is parsed and evaluated by :mod:`autograd.expression` (never
``eval``).  The command prints the output and every gradient, and writes the
drawing (``-o``: svg, png or pdf by the suffix, or ``.gv`` for the DOT source),
the step-through player (``--steps f.html``) and the flat code (``--code``).

Another command line adds the same subcommand with :func:`add_draw_arguments`
and :func:`run_draw`.  Exit status: 0 on success; 2 for a mistake in the
command (one line on stderr, nothing computed or written); 1 when no layout
program is installed or it fails.
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path
from typing import Sequence

from .drawing.animate import MAX_FRAMES, check_frames, save_backward_animation
from .speed.codegen import flat_code
from .drawing.draw import draw_graph
from .drawing.render import FALLBACK, GraphvizNotFoundError, RenderError, require_layout_program, run_layout
from .drawing.text import format_number
from .expression import FUNCTIONS, ExpressionError, evaluate, variables_in
from .core.graph import topological_order
from .core.value import Value

OUTPUT_FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".gv": "dot source", ".dot": "dot source"}


class UsageError(ValueError):
    """A mistake in the command line; the message says which."""


def add_draw_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``draw`` to ``parser`` (a subcommand's parser)."""
    parser.description = ("Compute an expression of scalar variables, run backward and draw its graph "
                          "with data and gradients.")
    parser.add_argument("expression", help='the expression, e.g. "(x + y) * z"; allowed: numbers, '
                        f"variables, + - * / **, unary minus, parentheses, {', '.join(FUNCTIONS)}")
    parser.add_argument("values", nargs="*", metavar="NAME=VALUE",
                        help="a value for every variable, e.g. x=-2 y=5 z=-4")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="write the drawing: .svg, .png or .pdf (by the suffix), or .gv for the DOT source")
    parser.add_argument("--edge-grads", action="store_true",
                        help="write on each edge the gradient flowing back along it")
    parser.add_argument("--steps", metavar="FILE.html",
                        help="write the backward pass as a step-through player (HTML)")
    parser.add_argument("--code", action="store_true",
                        help="print the forward and backward pass as flat Python code")
    parser.add_argument("--rankdir", choices=["LR", "TB"],
                        help="direction of the drawing and the player's frames (default: chosen to fit)")
    parser.set_defaults(draw_prog=parser.prog)
    # An expression that starts with a minus ("-x") is not an option: argparse takes an
    # argument that looks like a negative number as a value, and here "a negative number"
    # is anything that starts with one "-" and is not one of the options above.
    parser._negative_number_matcher = re.compile(r"^-[^-]")


def run_draw(args: argparse.Namespace) -> int:
    """Run ``draw`` with parsed ``args``; returns the exit status."""
    prog = getattr(args, "draw_prog", "draw")
    try:
        return _draw(args)
    except (UsageError, ExpressionError) as err:
        print(f"{prog}: error: {err}", file=sys.stderr)
        return 2
    except (GraphvizNotFoundError, RenderError) as err:
        print(f"{prog}: {err}", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m autograd``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m autograd",
                                     description="chainrule's autograd from the command line.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_draw_arguments(commands.add_parser("draw", help="compute, backpropagate and draw an expression"))
    args = parser.parse_args(argv)
    return run_draw(args)


def _draw(args: argparse.Namespace) -> int:
    """Check everything, then compute, run backward, print and write."""
    values = parse_values(args.values)
    names = variables_in(args.expression)
    unused = [n for n in values if n not in names]
    if unused:
        raise UsageError(f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} not in the expression")
    output = _output_format(args.output)
    steps = Path(args.steps) if args.steps else None
    for path in [p for p in (Path(args.output) if args.output else None, steps) if p is not None]:
        if not path.parent.is_dir():
            raise UsageError(f"cannot write {path}: the folder {path.parent} does not exist")
        if path.is_dir():
            raise UsageError(f"cannot write {path}: it is a folder; give a file name")
    if steps is not None and not names:
        raise UsageError("--steps needs at least one variable: a constant has no backward pass")
    program = None
    if steps is not None or output not in (None, "dot source"):
        program = require_layout_program()
        if output == "pdf" and Path(program).name.startswith(FALLBACK):
            raise RenderError(f"{FALLBACK} writes svg and png but not pdf; use -o FILE.svg or "
                              "FILE.png, or install Graphviz (apt-get/brew/conda install graphviz)")
    root = evaluate(args.expression, values)
    frames = check_frames(root, max_frames=None) if steps is not None else 0
    if frames > MAX_FRAMES:
        raise UsageError(f"--steps: a step-through of this graph has {frames} frames (one per operation), "
                         f"more than the {MAX_FRAMES} a player draws; -o draws it in one picture")
    result = "out" if "f" in names else "f"
    if root._op is not None or not root.requires_grad:  # a variable alone keeps its own name
        root.label = result
    if steps is not None:
        save_backward_animation(root, steps, edge_grads=args.edge_grads, rankdir=args.rankdir,
                                title=f"Backpropagation through {args.expression}")
    elif root.requires_grad:
        root.backward()
    _print_results(root, names, result)
    if args.code and root.requires_grad:
        print(flat_code(root), end="")
    if args.output:
        drawing = draw_graph(root, rankdir=args.rankdir, edge_grads=args.edge_grads)
        path = Path(args.output)
        try:
            if output == "dot source":
                path.write_text(drawing.source, encoding="utf-8")
            else:
                path.write_bytes(run_layout(drawing.source, output, program))
        except OSError as err:  # no permission, a full disk ...
            raise UsageError(f"cannot write {path}: {err.strerror or err}") from None
    for written in [p for p in (args.output, args.steps) if p]:
        print(f"wrote {written}")
    return 0


def parse_values(items: Sequence[str]) -> dict[str, float]:
    """``["x=-2", "y=5"]`` -> ``{"x": -2.0, "y": 5.0}``, refusing malformed items."""
    values: dict[str, float] = {}
    for item in items:
        name, equals, text = item.partition("=")
        name = unicodedata.normalize("NFKC", name.strip())  # as Python reads names: ｘ is x
        if not equals:
            raise UsageError(f"{item!r:.40} is not NAME=VALUE (e.g. x=-2)")
        if not name.isidentifier() or name.startswith("_") or name in FUNCTIONS:
            raise UsageError(f"{name!r:.40} cannot be a variable name (use letters, digits and _, "
                             f"not starting with _, and none of {', '.join(FUNCTIONS)})")
        if name in values:
            raise UsageError(f"{name} is given twice")
        try:
            number = float(text)
        except ValueError:
            raise UsageError(f"{name}={text!r:.40}: the value is not a number") from None
        values[name] = number
    return values


def _output_format(output: str | None) -> str | None:
    if output is None:
        return None
    suffix = Path(output).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise UsageError(f"cannot tell the format of {output!r}: use a name ending in "
                         f"{', '.join(OUTPUT_FORMATS)}")
    return OUTPUT_FORMATS[suffix]


def _print_results(root: Value, names: list[str], result: str) -> None:
    print(f"{result} = {_number(root.data)}")
    if not root.requires_grad:
        print("(no variables: nothing to differentiate)")
        return
    leaves = {leaf.label: leaf for leaf in _leaves(root)}
    for name in names:
        print(f"d{result}/d{name} = {_number(leaves[name].grad)}")


def _leaves(root: Value) -> list[Value]:
    return [n for n in topological_order(root) if n._op is None and n.requires_grad]


def _number(x: float) -> str:
    return format_number(x, 6)
