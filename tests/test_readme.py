"""The README's Python examples run as written, and print what the README says."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_has_examples():
    assert len(BLOCKS) >= 4


@pytest.mark.parametrize("number", range(len(BLOCKS)))
def test_readme_example_runs(number, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples may write files (nn.save)
    exec(compile(BLOCKS[number], f"README example {number}", "exec"), {})


def test_the_ten_line_example_and_the_training_example_print_what_they_say(capsys, tmp_path, monkeypatch):
    exec(compile(BLOCKS[0], "README example 0", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "f = 0.73"
    assert [line.split(" = ")[1] for line in lines[1:]] == ["-0.20", "0.39", "-0.39", "-0.59", "0.20"]
    monkeypatch.chdir(tmp_path)
    training = next(b for b in BLOCKS if "nn.fit" in b)
    exec(compile(training, "README training example", "exec"), {})
    assert capsys.readouterr().out.strip() == "1.0"
