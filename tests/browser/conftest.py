"""Headless Chromium for the browser tests, driven by the pip package playwright.

The system Chromium is used (``CHROMIUM=path``, else ``chromium`` on PATH or
/usr/bin/chromium); ``make test`` installs it with scripts/ensure-chromium.sh.
Without it (or without playwright) these tests skip, saying why, except when
``CHAINRULE_BROWSER_TESTS=required`` (set by .ci/run): then they fail.

Each test may save screenshots with the ``screenshot`` fixture, into
``$CHAINRULE_SCREENSHOTS`` or else pytest's temporary directory (printed at the end).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable, Iterator

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REQUIRED = os.environ.get("CHAINRULE_BROWSER_TESTS") == "required"


def cannot_run(reason: str) -> None:
    """Skip the browser tests with ``reason``, or fail when they are required."""
    if REQUIRED:
        pytest.fail(f"the browser tests must run here (CHAINRULE_BROWSER_TESTS=required) but cannot: {reason}",
                    pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


def chromium_path() -> str | None:
    """The Chromium to drive (``$CHROMIUM`` when set, and then only that), or None."""
    if os.environ.get("CHROMIUM"):
        return shutil.which(os.environ["CHROMIUM"])
    for candidate in ("chromium", "chromium-browser", "/usr/bin/chromium"):
        if shutil.which(candidate):
            return shutil.which(candidate)
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        cannot_run("the playwright package is not installed (pip install -e '.[dev]')")
    path = chromium_path()
    if path is None:
        where = f"CHROMIUM={os.environ['CHROMIUM']} is not a program" if os.environ.get("CHROMIUM") else "no Chromium found"
        cannot_run(f"{where} (run make test, or apt-get install chromium, or set CHROMIUM=path)")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 - any launch failure means: cannot run here
            cannot_run(f"Chromium at {path} did not start: {str(error).splitlines()[0]}")
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh page 1100 px wide; the test fails if any script on it throws."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"script errors on the page: {errors}"


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    folder = os.environ.get("CHAINRULE_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def screenshot(screenshot_dir: Path) -> Callable:
    """``screenshot(page, name, **options)`` saves ``name.png`` and returns its path."""

    def take(page, name: str, **options) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), **options)
        return path

    return take
