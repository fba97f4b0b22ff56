# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/calibration/sensitivity.py: the calibration rerun with changed defaults.

It needs build/tests/test_calibration (made by `make unit`, which `make test`
runs before these tests).
"""
import subprocess
import sys

import pytest

from conftest import REPO

SCRIPT = REPO / "tests" / "calibration" / "sensitivity.py"
CALIBRATION = REPO / "build" / "tests" / "test_calibration"

pytestmark = pytest.mark.skipif(not CALIBRATION.exists(),
                                reason="build/tests/test_calibration not built (make unit)")


def run(*sets):
    return subprocess.run([sys.executable, str(SCRIPT), *sets], cwd=REPO, capture_output=True,
                          text=True)


def rows(stdout):
    """The Markdown table printed, as {changes: {column: value}}."""
    lines = [line for line in stdout.splitlines() if line.startswith("| ")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    table = {}
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        table[cells[0]] = dict(zip(header[1:], (float(c) for c in cells[1:])))
    return table


def test_defaults_and_a_change_give_their_own_figures():
    out = run("", "spread_delay_months=2.0")
    assert out.returncode == 0, out.stderr
    table = rows(out.stdout)
    base, faster = table["defaults"], table["spread_delay_months=2.0"]
    # the defaults are the calibrated ones (test_calibration's ranges)
    assert 28 <= base["surv onset"] <= 36
    assert -1.15 <= base["slope"] <= -0.85
    assert base["placebo / −slope"] == pytest.approx(base["placebo"] / -base["slope"], abs=0.01)
    # a faster spread shortens survival and steepens the slope
    assert faster["surv onset"] < base["surv onset"]
    assert faster["slope"] < base["slope"]


def test_a_key_not_in_the_configs_is_refused():
    out = run("no_such_key=1")
    assert out.returncode != 0
    assert "no_such_key" in out.stderr
