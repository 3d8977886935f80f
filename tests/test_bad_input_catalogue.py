"""The catalogue of bad inputs in docs/bad-inputs.md is generated from the tests and current."""
from __future__ import annotations

from pathlib import Path

from tests.bad_input import catalogue, markdown

DOC = Path(__file__).parent.parent / "docs" / "bad-inputs.md"


def test_every_case_is_named_once():
    names = [str(bad) for bad in catalogue()]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_the_written_catalogue_is_current():
    assert DOC.read_text(encoding="utf-8") == markdown(catalogue()), \
        "docs/bad-inputs.md is out of date: run python tests/bad_input.py"
