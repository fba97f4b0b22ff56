# SPDX-License-Identifier: GPL-3.0-or-later
"""The plotting scripts (scripts/plot_*.py) on small real runs.

Each figure function is called on an open result file and the matplotlib
objects are checked: axis labels with units, legend entries, the number of
curves, and numbers that must agree with the engine (`mndsim info`,
`mndsim claims`).  Each script's command line is run once on a file that has
what it needs and checked to write a PNG, and on inputs that lack it to fail
with a message naming the file and the missing object, leaving no output.
"""
import re
import subprocess
import sys

import h5py
import numpy as np
import pytest

from conftest import REPO, run_ok

sys.path.insert(0, str(REPO / "scripts"))
import mndsim_claims  # noqa: E402
import mndsim_km  # noqa: E402
import plot_alsfrs  # noqa: E402
import plot_claims  # noqa: E402
import plot_exposure  # noqa: E402
import plot_fvc  # noqa: E402
import plot_neurons  # noqa: E402
import plot_stages  # noqa: E402
import plot_survival  # noqa: E402
from mndsim_figure import plt  # noqa: E402
from mndsim_read import open_result  # noqa: E402

PYTHON = "/usr/bin/python3"


def legend_texts(ax):
    leg = ax.get_legend()
    return [t.get_text() for t in leg.get_texts()] if leg else []


def caption(fig):
    return fig.texts[-1].get_text().replace("\n", " ")


def info_value(path, label):
    """A number from a line of `mndsim info PATH` that starts with label."""
    out = run_ok("info", path).stdout
    line = next(l for l in out.splitlines() if l.startswith(label))
    return float(re.search(r"(-?\d+\.\d+)", line[len(label):]).group(1))


@pytest.fixture
def close_figures():
    yield
    plt.close("all")


def test_km_medians_agree_with_mndsim_info(plot_nh_run):
    with h5py.File(plot_nh_run.path) as f:
        t_end, died, t_dx = f["t_end"][()], f["died"][()], f["t_diagnosis"][()]
    onset = mndsim_km.km_median(mndsim_km.kaplan_meier(t_end, died))
    dx = mndsim_km.km_median(mndsim_km.kaplan_meier(t_end - t_dx, died))
    assert onset == pytest.approx(info_value(plot_nh_run.path, "median survival from onset"), abs=0.06)
    assert dx == pytest.approx(info_value(plot_nh_run.path, "median survival from diagnosis"), abs=0.06)


def test_km_known_answer():
    # 4 patients: events at 1 and 3, censored at 2 and 4: S = 3/4, then 3/4 * 1/2
    fit = mndsim_km.kaplan_meier([1, 2, 3, 4], [1, 0, 1, 0])
    assert fit["time"].tolist() == [0, 1, 3]
    assert fit["survival"].tolist() == [1, 0.75, 0.375]
    assert mndsim_km.km_median(fit) == 3


def test_survival_cohort(plot_nh_run, close_figures):
    with open_result(str(plot_nh_run.path)) as f:
        fig = plot_survival.figure(f, view="cohort")
    (ax,) = fig.axes
    assert ax.get_ylabel() == "survival (%)"
    assert "months" in ax.get_xlabel()
    labels = legend_texts(ax)
    assert len(labels) == 2 and labels[0].startswith("from onset (n=200")
    assert labels[1].startswith("from diagnosis (n=200")
    assert len(ax.get_lines()) == 2          # two step curves
    assert len(ax.collections) == 2          # two confidence bands
    assert "seed 20261123" in caption(fig) and "configs/default.cfg" in caption(fig)


def test_survival_by_onset_region(plot_nh_run, close_figures):
    with open_result(str(plot_nh_run.path)) as f:
        fig = plot_survival.figure(f, view="cohort", by="onset_region")
        present = np.unique(f["onset_region"][()])
    labels = legend_texts(fig.axes[0])
    names = ["bulbar", "cervical", "thoracic", "lumbar"]
    assert [l.split(" (")[0] for l in labels] == [names[k] for k in present]


def test_survival_by_study(plot_claims_run, close_figures):
    with open_result(str(plot_claims_run.path)) as f:
        fig = plot_survival.figure(f)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title().split(":")[0] for ax in panels] == ["trial", "c2", "c3", "c4", "c5", "c6", "c7"]
    for ax in panels:
        labels = legend_texts(ax)
        assert ax.get_ylabel() == "survival (%)" and ax.get_xlabel().startswith("months since ")
        assert any(l.startswith("treated (n=") for l in labels)
        assert any(l.startswith("same patients, no therapy (truth)") for l in labels)
        assert any(l.startswith("population, from diagnosis") for l in labels)
    assert any(l.startswith("control (randomized)") for l in legend_texts(panels[0]))
    assert not any(l.startswith("control") for l in legend_texts(panels[1]))
    assert panels[4].get_xlabel() == "months since onset"
    assert any(l.startswith("clinic's expected median (20 mo)") for l in legend_texts(panels[4]))


def test_alsfrs(plot_nh_run, close_figures):
    with open_result(str(plot_nh_run.path)) as f:
        fig = plot_alsfrs.figure(f, n_lines=12)
    total_ax, domain_ax = fig.axes
    assert total_ax.get_ylabel() == "ALSFRS-R total (points, 0-48)"
    assert total_ax.get_xlabel() == "months since diagnosis"
    assert len(total_ax.get_lines()) == 12 + 1          # individuals + mean
    assert legend_texts(total_ax) == ["individual patients", "total: 25-75 % of patients visited",
                                      "total: mean of patients visited"]
    assert "points, 0-12" in domain_ax.get_ylabel()
    assert [l.split(" (")[0] for l in legend_texts(domain_ax)] == [
        "bulbar", "fine motor", "gross motor", "respiratory"]
    mean = total_ax.get_lines()[-1].get_ydata()
    assert 30 < mean[0] <= 48 and np.nanmin(mean) >= 0


def test_fvc(plot_nh_run, close_figures):
    with open_result(str(plot_nh_run.path)) as f:
        fig = plot_fvc.figure(f, n_lines=5)
    (ax,) = fig.axes
    assert ax.get_ylabel() == "FVC (% predicted)"
    assert len(ax.get_lines()) == 5 + 1 + 1               # individuals, mean, 50 % line
    assert "50 % predicted" in legend_texts(ax)


def test_stages_occupancy_sums_to_100(plot_nh_run, close_figures):
    with open_result(str(plot_nh_run.path)) as f:
        fig = plot_stages.figure(f)
        x = np.arange(len(f["visit"])) * float(f.attrs["visit_interval_months"])
        t_visit = f["t_diagnosis"][()][:, None] + x[None, :]
        stage = f["kings_stage"][()].astype(float)
        stage[stage < 0] = np.nan
        shares = plot_stages.occupancy(stage, t_visit, f["t_death"][()])
    assert np.allclose(sum(shares.values()), 100)
    kings, mitos = fig.axes
    assert len(kings.collections) == 4 + 2 and len(mitos.collections) == 5 + 2
    assert legend_texts(kings)[:4] == ["King's 1", "King's 2", "King's 3", "King's 4"]
    assert legend_texts(mitos)[-2:] == ["died", "no longer followed (end of follow-up)"]
    assert kings.get_ylabel() == "share of the cohort (%)"
    assert kings.get_xlabel() == "months since diagnosis"


def test_neurons(plot_nh_run, close_figures):
    with open_result(str(plot_nh_run.path)) as f:
        fig = plot_neurons.figure(f, row=1)
        died = bool(f["died"][1])
    umn, lmn = fig.axes
    assert umn.get_ylabel() == "surviving motor neurons (% of pre-disease pool)"
    assert umn.get_xlabel() == "months since onset"
    labels = legend_texts(lmn)
    assert labels[:1] == ["bulbar"] and {"cervical", "thoracic", "lumbar"} <= set(labels)
    assert any(l.startswith("diagnosis (") for l in labels)
    assert any(l.startswith("death (") for l in labels) == died
    solid = [l for l in lmn.get_lines() if l.get_linestyle() == "-" and l.get_marker() == "o"]
    assert len(solid) == 4                                  # one per region
    assert "row 1" in fig._suptitle.get_text()


def test_exposure(plot_clinic_run, close_figures):
    with open_result(str(plot_clinic_run.path)) as f:
        fig = plot_exposure.figure(f, n_patients=10)
        n_events = len(f["adverse_events/time"])
    swim, bars = fig.axes
    assert len(swim.get_yticks()) == 10
    assert swim.get_xlabel() == "months since onset"
    assert "clinic_cells exposure" in legend_texts(swim)
    assert bars.get_xlabel() == "adverse events (count, whole file)"
    assert sum(p.get_width() for p in bars.patches) == n_events > 0


def test_claims_table_agrees_with_mndsim_claims(plot_claims_run):
    out = run_ok("claims", plot_claims_run.path).stdout.splitlines()
    with open_result(str(plot_claims_run.path)) as f:
        table = mndsim_claims.claims_table(f)
    assert [r["study"] for r in table] == ["trial", "c2", "c3", "c4", "c5", "c6", "c7"]
    for row, line in zip(table, out[1:]):
        words = line.split()
        assert words[:2] == [row["study"], row["metric"]]
        printed = [float(w) for w in words[2:]]
        ours = [row[k] for k in ("threshold", "clinic", "no_therapy", "true_effect", "p_claim", "p_zero")]
        assert np.allclose(printed, ours, rtol=1e-3, atol=1e-3, equal_nan=True), (line, ours)


def test_claims_panel(plot_claims_run, close_figures):
    with open_result(str(plot_claims_run.path)) as f:
        fig = plot_claims.figure(f)
        table = {r["study"]: r for r in mndsim_claims.claims_table(f)}
    left, right = fig.axes[0::2], fig.axes[1::2]
    assert len(left) == 6                                     # c2 ... c7
    for ax, hax, study in zip(left, right, ["c2", "c3", "c4", "c5", "c6", "c7"]):
        row = table[study]
        assert ax.get_title().startswith(f"{study}: ")
        assert f"[{row['unit']}]" in ax.get_xlabel() and f"[{row['unit']}]" in hax.get_xlabel()
        assert [t.get_text() for t in ax.get_yticklabels()] == list(plot_claims.VIEWS)
        assert hax.get_ylabel() == "replicate studies (count)"
        assert hax.get_title().startswith(f"P(claim | zero effect) = {row['p_zero']:.2f}")
        labels = legend_texts(hax)
        assert f"claim: >= {row['threshold']:g}" in labels
        assert any(l.startswith("clinic's figure (mean)") for l in labels)
        assert sum(p.get_height() for p in hax.patches) == np.isfinite(row["control_values"]).sum()


SCRIPTS = {"plot_survival.py": "plot_nh_run", "plot_alsfrs.py": "plot_nh_run",
           "plot_fvc.py": "plot_nh_run", "plot_stages.py": "plot_nh_run",
           "plot_neurons.py": "plot_nh_run", "plot_exposure.py": "plot_clinic_run",
           "plot_claims.py": "plot_claims_run"}


def run_script(script, *args):
    return subprocess.run([PYTHON, str(REPO / "scripts" / script), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_cli_writes_png(script, request, tmp_path):
    run = request.getfixturevalue(SCRIPTS[script])
    out = tmp_path / "figure.png"
    p = run_script(script, run.path, "-o", out)
    assert p.returncode == 0, p.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [x.name for x in tmp_path.iterdir()] == ["figure.png"]


def test_cli_missing_file(tmp_path):
    p = run_script("plot_fvc.py", tmp_path / "nope.h5", "-o", tmp_path / "x.png")
    assert p.returncode == 2
    assert p.stderr == f"plot_fvc.py: error: {tmp_path / 'nope.h5'}: no such file\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("script,missing", [("plot_claims.py", "/analysis"),
                                            ("plot_exposure.py", "/intervention")])
def test_cli_missing_group(script, missing, plot_nh_run, tmp_path):
    p = run_script(script, plot_nh_run.path, "-o", tmp_path / "x.png")
    assert p.returncode == 2
    assert p.stderr.startswith(f"{script}: error: {plot_nh_run.path}: has no {missing}")
    assert list(tmp_path.iterdir()) == []


def test_cli_missing_trajectory(plot_claims_run, tmp_path):
    p = run_script("plot_alsfrs.py", plot_claims_run.path, "-o", tmp_path / "x.png")
    # the audit stores total and fvc but no items: the figure has one panel;
    # the neuron pools are not stored at all
    assert p.returncode == 0, p.stderr
    p = run_script("plot_neurons.py", plot_claims_run.path, "-o", tmp_path / "y.png")
    assert p.returncode == 2
    assert "has no /umn_fraction" in p.stderr and 'output.store containing "neurons"' in p.stderr
    assert [x.name for x in tmp_path.iterdir()] == ["x.png"]


def test_km_median_on_one_half_is_averaged():
    # R: S reaches exactly 0.5 at t = 2, so the median is (2 + 3) / 2
    fit = mndsim_km.kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1])
    assert mndsim_km.km_median(fit) == 2.5
