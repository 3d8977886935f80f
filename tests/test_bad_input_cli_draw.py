"""Bad command lines for ``draw``: exit status 2, one line naming the mistake, nothing run."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from autograd.cli import main
from bad_input import BadInput, CommandLineError, check, command_line

MISSING_FOLDER = str(Path(__file__).parent / "no-such-folder" / "f.svg")


def draw_into_a_folder(option: str, name: str) -> BadInput:
    """``draw "x * 2" x=1 OPTION DIR/NAME`` where DIR/NAME is a folder."""
    def call():
        folder = Path(tempfile.mkdtemp()) / name
        folder.mkdir()
        command_line(main, ["draw", "x * 2", "x=1", option, str(folder)])
    return call


def draw(*argv: str) -> BadInput:
    return lambda: command_line(main, ["draw", *argv])


CASES = [
    ('draw "(x + y) *" x=1 y=2', draw("(x + y) *", "x=1", "y=2"), "syntax error at the end of the expression"),
    ('draw "x y" x=1 y=2', draw("x y", "x=1", "y=2"), "syntax error at column 3"),
    ("draw \"__import__('os').system('ls')\"", draw("__import__('os').system('ls')"), "attribute access"),
    ('draw "x.__class__" x=1', draw("x.__class__", "x=1"), "attribute access at column 1"),
    ('draw "(lambda: 1)()"', draw("(lambda: 1)()"), "lambda"),
    ('draw "[x for x in y]"', draw("[x for x in y]"), "comprehension"),
    ('draw "x[0]" x=1', draw("x[0]", "x=1"), "subscript"),
    ('draw "print(x)" x=1', draw("print(x)", "x=1"), "the call print()"),
    ('draw "_x * 2" _x=1', draw("_x * 2"), "names starting with _"),
    ('draw "x = 2"', draw("x = 2"), "assignment at column 1 is not allowed"),
    ('draw "(x + y) * z" x=1', draw("(x + y) * z", "x=1"), "no value given for y, z"),
    ('draw "x * 2" x=1 y=2', draw("x * 2", "x=1", "y=2"), "y is not in the expression"),
    ('draw "x * 2" x=abc', draw("x * 2", "x=abc"), "x='abc': the value is not a number"),
    ('draw "x * 2" x', draw("x * 2", "x"), "'x' is not NAME=VALUE"),
    ('draw "x * 2" x=1 x=2', draw("x * 2", "x=1", "x=2"), "x is given twice"),
    ('draw "exp(2)" exp=1', draw("exp(2)", "exp=1"), "'exp' cannot be a variable name"),
    ('draw "x * 2" x=1 -o f.jpg', draw("x * 2", "x=1", "-o", "f.jpg"), "cannot tell the format of 'f.jpg'"),
    ('draw "x * 2" x=1 -o missing/f.svg', draw("x * 2", "x=1", "-o", MISSING_FOLDER), "does not exist"),
    ('draw "2 * 3" --steps s.html', draw("2 * 3", "--steps", "s.html"), "--steps needs at least one variable"),
    ("draw (no expression)", draw(), "the following arguments are required: expression"),
    ('draw "x" x=1 --rankdir XY', draw("x", "x=1", "--rankdir", "XY"), "invalid choice: 'XY'"),
    ('draw "x * 2" x=1 -o DIR.svg, where DIR.svg is a folder', draw_into_a_folder("-o", "DIR.svg"),
     "it is a folder"),
    ('draw "x * 2" x=1 --steps DIR.html, where DIR.html is a folder', draw_into_a_folder("--steps", "DIR.html"),
     "it is a folder"),
    ('draw "x*y + x*y + ... (150 times)" x=1 y=2 --steps s.html: 300 operations',
     draw(" + ".join(["x*y"] * 150), "x=1", "y=2", "--steps", "s.html"), "--steps: a step-through of this graph has"),
    ('draw "-x" x=1 --bogus: an unknown long option still is one', draw("-x", "x=1", "--bogus"),
     "unrecognized arguments: --bogus"),
]
CATALOGUE = [BadInput("command line: draw", case, call, CommandLineError, says) for case, call, says in CASES]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_draw_command_lines(bad: BadInput) -> None:
    check(bad)
