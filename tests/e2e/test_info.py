# SPDX-License-Identifier: GPL-3.0-or-later
"""`mndsim info`: provenance and headline figures of a result file.

The survival figures are recomputed here with a plain Kaplan-Meier estimate
from the per-patient columns, and the ALSFRS-R slope with numpy's least
squares, and must print the same rounded numbers."""

import h5py
import numpy as np
import pytest

from conftest import run_cli, run_ok


def km(time, event):
    """Kaplan-Meier: distinct event times and S just after each."""
    order = np.lexsort((1 - event, time))      # events before censorings at ties
    t, e = time[order], event[order]
    at_risk = len(t) - np.arange(len(t))
    s = np.cumprod(np.where(e == 1, 1 - 1 / at_risk, 1.0))
    return t, s


def km_median(time, event):
    """R's rule (print.survfit): the first time with S < 0.5 + sqrt(eps),
    averaged with the next lower step when S sits on 0.5 there."""
    t, s = km(time, event)
    tol = np.sqrt(np.finfo(float).eps)
    below = np.nonzero(s < 0.5 + tol)[0]
    if not len(below):
        return np.nan
    i = below[0]
    lower = np.nonzero(s[i:] < s[i])[0]
    if abs(s[i] - 0.5) < tol and len(lower):
        return (t[i] + t[i + lower[0]]) / 2
    return t[i]


def km_at(time, event, when):
    t, s = km(time, event)
    before = np.nonzero(t <= when)[0]
    return s[before[-1]] if len(before) else 1.0


@pytest.fixture(scope="module")
def info(default_run):
    r = run_ok("info", default_run.path)
    assert r.stderr == ""
    return r.stdout.splitlines()


@pytest.fixture(scope="module")
def cols(default_run):
    with h5py.File(default_run.path, "r") as f:
        return {k: f[k][()] for k in ("t_end", "t_diagnosis", "died", "visit_time",
                                      "alsfrs_total", "n_visits")}


def line(lines, label):
    found = [ln for ln in lines if ln.startswith(label)]
    assert len(found) == 1, (label, lines)
    return found[0][len(label):].strip()


def test_provenance_lines(info, default_run):
    assert info[0] == str(default_run.path)
    assert info[1].startswith("  engine_version ")
    assert "  config_path                    configs/default.cfg" in info
    assert "  master_seed                    42" in info
    assert "  n_patients                     300" in info
    assert "  n_replicates                   1" in info


def test_headline_lines_present(info):
    for label in ("median survival from onset", "median survival from diagnosis",
                  "mean ALSFRS-R slope", "mean FVC slope"):
        line(info, label)
    assert any("King's 1..4:" in ln for ln in info)
    assert any("MiToS  1..4:" in ln for ln in info)


def test_patients_line(info, cols):
    assert line(info, "patients") == f"300 ({int(cols['died'].sum())} died)"


def test_survival_figures(info, cols):
    t, tdx, d = cols["t_end"], cols["t_diagnosis"], cols["died"].astype(int)
    assert line(info, "median survival from onset") == f"{km_median(t, d):.1f} months"
    assert line(info, "median survival from diagnosis") == f"{km_median(t - tdx, d):.1f} months"
    for years in (1, 5, 10):
        s_on = 100 * km_at(t, d, 12.0 * years)
        s_dx = 100 * km_at(t - tdx, d, 12.0 * years)
        assert line(info, f"{years:2d}-year survival") == (
            f"{s_on:.1f} % from onset, {s_dx:.1f} % from diagnosis")


def test_alsfrs_slope(info, cols):
    # Least-squares slope over each patient's visits in the 12 months from
    # the first, for patients with at least 3 such visits; then the mean.
    slopes = []
    for tv, y, n in zip(cols["visit_time"], cols["alsfrs_total"], cols["n_visits"]):
        tv, y = tv[:n].astype(np.float64), y[:n].astype(np.float64)
        keep = tv - tv[0] <= 12.0 + 1e-9 if n else np.zeros(0, bool)
        if keep.sum() >= 3:
            slopes.append(np.polyfit(tv[keep], y[keep], 1)[0])
    assert line(info, "mean ALSFRS-R slope") == (
        f"{np.mean(slopes):.2f} points/month (first 12 months, {len(slopes)} patients)")
    assert np.mean(slopes) < 0


def test_stage_medians_increase(info):
    for label in ("King's 1..4:", "MiToS  1..4:"):
        text = next(ln for ln in info if label in ln).split(label)[1]
        values = [float(x) for x in text.split()]
        assert len(values) == 4
        assert values == sorted(values), (label, values)


def test_info_without_trajectories(tmp_path):
    out = tmp_path / "bare.h5"
    run_ok("run", "configs/default.cfg", "-o", out, "-q",
           "--set", "simulation.n_patients=300", "--set", "output.store=[]")
    r = run_ok("info", out)
    assert "median survival from onset" in r.stdout
    # No visits stored: no slopes and no stage medians.
    assert "slope" not in r.stdout
    assert "King's" not in r.stdout


def test_info_missing_file(tmp_path):
    path = tmp_path / "nope.h5"
    r = run_cli("info", path)
    assert r.rc == 2, str(r)
    assert r.stdout == ""
    assert r.stderr.startswith(f"mndsim: {path}: cannot open the file for reading")
    assert r.stderr.endswith("\n") and r.stderr.count("\n") == 1


def test_info_not_hdf5(tmp_path):
    path = tmp_path / "text.h5"
    path.write_text("not an HDF5 file\n")
    r = run_cli("info", path)
    assert r.rc == 2, str(r)
    assert r.stderr == (f"mndsim: {path}: cannot open the file for reading "
                        "(HDF5: file signature not found)\n")
