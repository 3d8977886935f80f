"""The catalogue of bad inputs: what a user may get wrong, and the error each one gets.

Each test module about bad input defines a module-level list ``CATALOGUE`` of
:class:`BadInput` entries and checks every entry with :func:`check` (usually one
parametrized test).  ``docs/bad-inputs.md`` is generated from all of them
(``python tests/bad_input.py``); a test keeps it current.
"""
from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from typing import Any, Callable

import pytest


class CommandLineError(Exception):
    """A command answered a user error as it should: exit status 2 and one line on
    stderr, no traceback.  The message is that line."""


@dataclass(frozen=True)
class BadInput:
    """One bad input: ``area`` (Value, Tensor, nn, CLI, drawing ...), ``case`` (what
    the user did, as they would write it), ``call`` (does it), ``error`` (the
    exception it must raise) and ``says`` (words the message must contain,
    compared case-insensitively)."""

    area: str
    case: str
    call: Callable[[], Any]
    error: type[BaseException]
    says: str

    def __str__(self) -> str:
        return f"{self.area}: {self.case}"


def check(bad: BadInput) -> BaseException:
    """Run ``bad.call`` and assert it raises ``bad.error`` whose message contains
    ``bad.says``; return the exception."""
    with pytest.raises(bad.error) as info:
        bad.call()
    message = str(info.value)
    assert bad.says.lower() in message.lower(), f"{bad}: the message {message!r} does not say {bad.says!r}"
    return info.value


def command_line(main: Callable[[list[str]], int], argv: list[str]) -> None:
    """Run a command's ``main(argv)`` in this process; raise :class:`CommandLineError`
    with its one stderr line when it exits with status 2 and no traceback, else
    fail the test, showing what it printed."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code
    text = err.getvalue().strip()
    lines = text.splitlines()
    assert "Traceback" not in text, f"{argv}: printed a traceback:\n{text}"
    assert code == 2, f"{argv}: exit status {code!r}, expected 2; stderr:\n{text}"
    raise CommandLineError(lines[-1] if lines else "")
