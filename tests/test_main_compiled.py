"""``chainrule train --engine tensor`` trains through autograd.compile by default, and
``--no-compile`` op by op: the same losses and accuracies, to the printed digit."""
from __future__ import annotations

import re

import pytest

from nn.__main__ import main


def _train(capsys, *args):
    code = main(["train", *args, "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return [re.sub(r"after \d+\.\d+ s", "after _ s", line) for line in out.strip().splitlines()
            if not line.startswith("wrote ")]


def test_the_toy_sets_train_the_same_compiled_and_op_by_op(tmp_path, capsys):
    compiled = _train(capsys, "--engine", "tensor", "--out", str(tmp_path / "c"))
    op_by_op = _train(capsys, "--engine", "tensor", "--no-compile", "--out", str(tmp_path / "o"))
    assert compiled == op_by_op


def test_digits_reach_the_same_held_out_accuracy_compiled_and_op_by_op(tmp_path, capsys):
    pytest.importorskip("sklearn")
    compiled = _train(capsys, "--dataset", "digits", "--engine", "tensor", "--steps", "200",
                      "--out", str(tmp_path / "c"))
    op_by_op = _train(capsys, "--dataset", "digits", "--engine", "tensor", "--steps", "200", "--no-compile",
                      "--out", str(tmp_path / "o"))
    assert compiled == op_by_op and compiled[-1].startswith("held-out accuracy")
