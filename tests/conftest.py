"""Shared test settings: hypothesis without deadlines (CI machines vary in speed), and the
torch tests made compulsory where ``CHAINRULE_TORCH_TESTS=required`` (set by .ci/run).

Every test that compares with PyTorch asks for it with ``pytest.importorskip("torch")``,
so a user without torch sees those tests skipped.  CI installs torch; there a torch
test that would skip fails instead, saying why."""
from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("chainrule", deadline=None, max_examples=60, derandomize=True)
settings.load_profile("chainrule")

TORCH_REQUIRED = os.environ.get("CHAINRULE_TORCH_TESTS") == "required"


def _skipped_for_torch(report: pytest.TestReport | pytest.CollectReport) -> bool:
    return report.skipped and "could not import 'torch'" in str(report.longrepr)


def _require_torch(report: pytest.TestReport | pytest.CollectReport) -> None:
    if TORCH_REQUIRED and _skipped_for_torch(report):
        report.outcome = "failed"
        report.longrepr = ("the torch tests must run here (CHAINRULE_TORCH_TESTS=required), but this "
                           f"one skipped: {report.longrepr}; install torch==2.13.0 into the venv")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> None:
    outcome = yield
    _require_torch(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> None:
    outcome = yield
    _require_torch(outcome.get_result())
