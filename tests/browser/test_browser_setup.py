"""Without a browser the browser tests skip, saying why; where they are required (CI) they fail."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ONE_TEST = str(Path(__file__).parent / "test_browser_player.py") + "::test_players_leave_the_host_page_styles_alone"


def run_without_browser(required: bool) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHROMIUM": "/nonexistent/chromium"}
    env.pop("CHAINRULE_BROWSER_TESTS", None)
    if required:
        env["CHAINRULE_BROWSER_TESTS"] = "required"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", ONE_TEST],
                          capture_output=True, text=True, env=env, timeout=120)


def test_without_a_browser_the_tests_skip_and_say_why() -> None:
    result = run_without_browser(required=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "browser tests skipped: CHROMIUM=/nonexistent/chromium is not a program" in result.stdout


def test_where_they_are_required_a_missing_browser_fails() -> None:
    result = run_without_browser(required=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the browser tests must run here (CHAINRULE_BROWSER_TESTS=required) but cannot" in result.stdout

