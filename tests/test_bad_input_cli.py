"""The catalogue of bad input on the command line (``chainrule`` / ``python -m nn``):
every mistake gets exit status 2 and one line on stderr, never a traceback, and is
found before anything is trained."""
from __future__ import annotations

import os
import tempfile

import pytest

import nn.__main__ as cli
from nn.__main__ import main
from tests.bad_input import BadInput, CommandLineError, check, command_line


def train(*args: str):
    return lambda: command_line(main, ["train", *args])


def _in_temporary_directory(make_out):
    """Run ``chainrule train --out X`` with X made by ``make_out(directory)``."""
    def run():
        with tempfile.TemporaryDirectory() as directory:
            command_line(main, ["train", "--out", make_out(directory), "--quiet"])
    return run


def _a_file(directory):
    path = os.path.join(directory, "pictures")
    open(path, "w").close()
    return path


CLI = "command line: chainrule train"

CATALOGUE = [
    BadInput(CLI, "chainrule", lambda: command_line(main, []), CommandLineError,
             "the following arguments are required: COMMAND"),
    BadInput(CLI, "chainrule fly", lambda: command_line(main, ["fly"]), CommandLineError, "invalid choice: 'fly'"),
    BadInput(CLI, "chainrule train --dataset iris", train("--dataset", "iris"), CommandLineError,
             "invalid choice: 'iris'"),
    BadInput(CLI, "chainrule train --engine gpu", train("--engine", "gpu"), CommandLineError, "invalid choice: 'gpu'"),
    BadInput(CLI, "chainrule train --steps -5", train("--steps", "-5"), CommandLineError, "must be >= 1, got -5"),
    BadInput(CLI, "chainrule train --steps ten", train("--steps", "ten"), CommandLineError,
             "expected an integer, got 'ten'"),
    BadInput(CLI, "chainrule train --sizes 16,x,1", train("--sizes", "16,x,1"), CommandLineError,
             "expected comma-separated integers"),
    BadInput(CLI, "chainrule train --sizes 16,0,1", train("--sizes", "16,0,1"), CommandLineError,
             "layer sizes must be >= 1"),
    BadInput(CLI, "chainrule train --sizes 16,2", train("--sizes", "16,2"), CommandLineError,
             "the last layer must have 1 output (a binary score) for moons"),
    BadInput(CLI, "chainrule train --lr -1", train("--lr", "-1"), CommandLineError, "must be a finite number > 0"),
    BadInput(CLI, "chainrule train --lr nan", train("--lr", "nan"), CommandLineError, "must be a finite number > 0"),
    BadInput(CLI, "chainrule train --bogus", train("--bogus"), CommandLineError, "unrecognized arguments: --bogus"),
    BadInput(CLI, "chainrule train --seed -1", train("--seed", "-1"), CommandLineError,
             "argument --seed: must be >= 0, got -1"),
    BadInput(CLI, "chainrule train --seed 1.5", train("--seed", "1.5"), CommandLineError,
             "argument --seed: expected an integer, got '1.5'"),
    BadInput(CLI, "chainrule train --points 1", train("--points", "1"), CommandLineError, "must be >= 2, got 1"),
    BadInput(CLI, "chainrule train --points <400 digits>", train("--points", "9" * 400), CommandLineError,
             "argument --points: must be <= 1,000,000,000,000, got 99999999999999999999... (400 characters)"),
    BadInput(CLI, "chainrule train --points <5000 digits>", train("--points", "9" * 5000), CommandLineError,
             "argument --points: expected an integer, got '99999999999999999999... (5000 characters)'"),
    BadInput(CLI, "chainrule train --steps <400 digits>", train("--steps", "9" * 400), CommandLineError,
             "argument --steps: must be <= 1,000,000,000,000"),
    BadInput(CLI, "chainrule train --sizes <400 digits>,1", train("--sizes", "9" * 400 + ",1"), CommandLineError,
             "argument --sizes: layer sizes must be <= 1,000,000,000,000"),
    BadInput(CLI, "chainrule train --points 100000000", train("--points", "100000000"), CommandLineError,
             "--points 100000000 would need about"),
    BadInput(CLI, "chainrule train --points 100000000 --engine tensor",
             train("--points", "100000000", "--engine", "tensor", "--sizes", "256,256,1"), CommandLineError,
             "of memory for one tensor-engine training step"),
    BadInput(CLI, "chainrule train --out ''", train("--out", ""), CommandLineError,
             "--out must name a directory, got an empty name"),
    BadInput(CLI, "chainrule train --out FILE (an existing file)", _in_temporary_directory(_a_file),
             CommandLineError, "exists and is not a directory"),
    BadInput(CLI, "chainrule train --out FILE/sub (below a file)",
             _in_temporary_directory(lambda d: os.path.join(_a_file(d), "sub")), CommandLineError,
             "cannot write into --out directory"),
    BadInput(CLI, "chainrule train --dataset digits (scalar engine)", train("--dataset", "digits"), CommandLineError,
             "--dataset digits needs --engine tensor"),
    BadInput(CLI, "chainrule train --dataset digits --engine tensor --points 50",
             train("--dataset", "digits", "--engine", "tensor", "--points", "50"), CommandLineError,
             "--points does not apply to digits"),
    BadInput(CLI, "chainrule train --dataset digits --engine tensor --sizes 64,3",
             train("--dataset", "digits", "--engine", "tensor", "--sizes", "64,3"), CommandLineError,
             "the last layer must have 10 outputs (one score per digit) for digits"),
]


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_bad_input_gets_one_line_and_exit_status_2(bad):
    error = check(bad)
    assert str(error).startswith("chainrule")


@pytest.mark.parametrize("bad", CATALOGUE, ids=str)
def test_nothing_is_trained_before_the_refusal(bad, monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("training started before the options were checked")

    monkeypatch.setattr(cli, "fit", no_training)
    check(bad)


def test_an_unwritable_out_directory_is_refused_before_training(tmp_path, monkeypatch):
    out = tmp_path / "locked"
    out.mkdir()
    os.chmod(out, 0o500)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        monkeypatch.setattr(cli, "fit", lambda *a, **k: pytest.fail("trained before checking --out"))
        with pytest.raises(CommandLineError, match="cannot write into --out directory .*Permission denied"):
            command_line(main, ["train", "--out", str(out)])
    finally:
        os.chmod(out, 0o700)


def test_a_read_only_file_system_is_refused(monkeypatch, tmp_path):
    import errno
    import tempfile as tempfile_module

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile_module, "TemporaryFile", read_only)
    with pytest.raises(CommandLineError, match="cannot write into --out directory .*Read-only file system"):
        command_line(main, ["train", "--out", str(tmp_path)])


@pytest.mark.parametrize("error, says", [
    (ValueError("no such\nexpression"), "no such expression"),
    (FileNotFoundError(2, "No such file or directory", "f.txt"), "No such file or directory: 'f.txt'")])
def test_errors_raised_by_any_subcommand_get_one_line(error, says, monkeypatch, capsys):
    """What another subcommand (such as `draw`) relies on: a ValueError or OSError that
    its run function raises is printed as one line with exit status 2."""
    import argparse

    real = cli.build_parser

    def with_another_command():
        parser = real()
        (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        other = commands.add_parser("other")
        other.add_argument("--size", type=int)
        other.set_defaults(run=lambda args: (_ for _ in ()).throw(error))
        return parser

    monkeypatch.setattr(cli, "build_parser", with_another_command)
    assert main(["other", "--size", "3"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"chainrule other: error: {says}"]
    assert main(["other", "--size", "x"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "chainrule other: error: argument --size: invalid int value: 'x' (see chainrule other --help)"]


def test_out_of_memory_during_training_is_one_line(monkeypatch, tmp_path, capsys):
    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(cli, "fit", exhausted)
    assert main(["train", "--out", str(tmp_path), "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == \
        "chainrule train: error: out of memory: try fewer points or smaller layers"
