"""The security suite's figures: each matrix test counts its checks and how many held (``Tally``);
the counts travel with the test's report (``user_properties``, which pytest-xdist carries from the
workers), and the ``Figures`` plugin (registered by tests/conftest.py) sums them and prints them at
the end of the run, per matrix and in all."""

from collections import defaultdict

import pytest

PROPERTY = "security_figures"


class Tally:
    """Checks of one test: ``check(matrix, held, what)``; ``assert_held()`` fails naming what did not."""

    def __init__(self):
        self.figures = defaultdict(lambda: [0, 0])
        self.failures = []

    def check(self, matrix, held, what=""):
        counts = self.figures[matrix]
        counts[0] += 1
        if held:
            counts[1] += 1
        else:
            self.failures.append(f"{matrix}: {what}")
        return held

    def assert_held(self):
        assert not self.failures, f"{len(self.failures)} did not hold:\n" + "\n".join(self.failures[:50])

    def as_property(self):
        return (PROPERTY, {matrix: tuple(counts) for matrix, counts in self.figures.items()})


class Figures:
    def __init__(self):
        self.totals = defaultdict(lambda: [0, 0])

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report):
        if report.when != "teardown":
            return
        for name, value in report.user_properties:
            if name != PROPERTY:
                continue
            for matrix, (checks, held) in value.items():
                self.totals[matrix][0] += checks
                self.totals[matrix][1] += held

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter):
        if not self.totals:
            return
        terminalreporter.write_sep("=", "security figures")
        for matrix in sorted(self.totals):
            checks, held = self.totals[matrix]
            terminalreporter.write_line(
                f"{matrix:<28} {checks:>6} checks, {held:>6} held, {checks - held} not"
            )
        checks = sum(counts[0] for counts in self.totals.values())
        held = sum(counts[1] for counts in self.totals.values())
        terminalreporter.write_line(f"{'all':<28} {checks:>6} checks, {held:>6} held, {checks - held} not")
