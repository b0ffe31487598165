"""Fault-injection tier: marks every test here ``faults``; one process stack per module."""

from __future__ import annotations

import os
import sys
import time

import pytest

HERE = os.path.dirname(__file__)
# The helpers (stack.py, flow.py) are imported by name, as tests/deploy does with deploykit.
if HERE not in sys.path:
    sys.path.insert(0, HERE)


def pytest_collection_modifyitems(items):
    for item in items:
        if str(item.fspath).startswith(HERE):
            item.add_marker(pytest.mark.faults)


class Report:
    """What a test injected and how long the system took to converge (printed, and
    collected for the README). A time is bounded, if at all, relative to a baseline
    measured in the same run (``basis``: a fault-free operation of comparable work), never
    by fixed seconds: a busy machine stretches both alike (issue #22)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: list[str] = []

    def __call__(self, what: str, seconds: float | None = None, *, basis: float | None = None,
                 factor: float | None = None) -> None:
        line = f"[faults] {self.name}: {what}" + (f" — {seconds:.2f}s" if seconds is not None else "")
        if seconds is not None and basis:
            line += f" ({seconds / basis:.1f}× the baseline of {basis:.2f}s" + (
                f", bound {factor:.3g}×)" if factor is not None else ")")
        self.lines.append(line)
        print(line, flush=True)
        if seconds is not None and basis is not None and factor is not None:
            assert seconds <= factor * basis, (
                f"{what}: {seconds:.2f}s exceeds {factor:g}× the baseline of {basis:.2f}s measured in this run")


@pytest.fixture
def report(request) -> Report:
    return Report(request.node.name)


class Clock:
    def __init__(self) -> None:
        self.t0 = time.monotonic()

    def __call__(self) -> float:
        return time.monotonic() - self.t0


@pytest.fixture
def clock():
    return Clock
