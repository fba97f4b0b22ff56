# SPDX-License-Identifier: GPL-3.0-or-later
"""Interventions through the real CLI: the presets load and run, the
zero-effect clinic product leaves every natural-history dataset identical
(common random numbers), interventions keep 1 and 2 threads identical, and
the exposure and adverse-event tables are consistent with the records."""
import h5py
import numpy as np
import pytest

from conftest import arrays_equal, read_datasets, run_ok

CFG = "tests/e2e/configs/interventions"
N = 600
# datasets that describe the treatment rather than the natural history
TREATMENT = ("exposure_", "adverse_events", "interventions", "intervention", "config_text")


def run(tmp_path, name, config, *extra, threads=2):
    out = tmp_path / name
    run_ok("run", config, "-o", out, "--set", f"simulation.n_patients={N}", "--threads",
           str(threads), "-q", *extra)
    return out


def natural_history(path):
    return {k: v for k, v in read_datasets(path).items() if not k.startswith(TREATMENT)}


def test_zero_effect_clinic_product_leaves_natural_history_identical(tmp_path):
    treated = run(tmp_path, "clinic.h5", f"{CFG}/clinic.cfg")
    untreated = run(tmp_path, "none.h5", "configs/default.cfg")
    a, b = natural_history(treated), natural_history(untreated)
    assert a.keys() == b.keys()
    for k in a:
        assert arrays_equal(a[k], b[k]), k
    with h5py.File(treated, "r") as f:
        status = f["exposure_status"][:, 0]
        assert (status == 3).sum() > N // 2          # most are treated
        assert f["exposure_doses"][:].max() == 4
        types = f["adverse_events/type"][:]
        headache = (types == 0).sum() / f["exposure_doses"][:].sum()
        assert 0.06 < headache < 0.16                  # 11 % per dose (Nath 2018)
        assert (f["adverse_events/outcome"][:] != 2).all()   # none fatal


def test_switched_off_equals_absent(tmp_path):
    off = run(tmp_path, "off.h5", f"{CFG}/all_presets.cfg",
              *sum((["--set", f"interventions.{n}.enabled=false"] for n in
                    ("riluzole", "edaravone", "tofersen", "clinic_cells", "hypothetical_cells")),
                   []))
    none = run(tmp_path, "none.h5", "configs/default.cfg")
    a, b = natural_history(off), natural_history(none)
    for k in a:
        assert arrays_equal(a[k], b[k]), k


def test_one_and_two_threads_identical_with_interventions(tmp_path):
    one = read_datasets(run(tmp_path, "t1.h5", f"{CFG}/all_presets.cfg", threads=1))
    two = read_datasets(run(tmp_path, "t2.h5", f"{CFG}/all_presets.cfg", threads=2))
    assert one.keys() == two.keys()
    for k in one:
        if k == "config_text":
            continue
        assert arrays_equal(one[k], two[k]), k


def test_exposure_and_adverse_events_are_consistent(tmp_path):
    path = run(tmp_path, "all.h5", f"{CFG}/all_presets.cfg")
    with h5py.File(path, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f["intervention"][:]]
        assert names == ["riluzole", "edaravone", "tofersen", "clinic_cells",
                         "hypothetical_cells"]
        status = f["exposure_status"][:]
        start = f["exposure_start"][:]
        geno = f["genotype"][:]
        t_end = f["t_end"][:]
        treated = status == 3
        assert np.isnan(start[~treated]).all()
        assert (start[treated] <= np.repeat(t_end[:, None], 5, axis=1)[treated]).all()
        # tofersen: SOD1 carriers only (genotypes 2 and 3)
        assert not treated[(geno != 2) & (geno != 3), 2].any()
        row = f["adverse_events/row"][:]
        time = f["adverse_events/time"][:]
        assert (np.diff(row) >= 0).all()              # in row order
        assert (time <= t_end[row] + 1e-9).all()       # nothing after the end
        fatal = f["adverse_events/outcome"][:] == 2
        cause = f["end_cause"][:]
        # a patient whose record ends with an adverse-event death has a fatal event then
        for r in np.flatnonzero(cause == 5):
            assert (fatal & (row == r) & np.isclose(time, t_end[r])).any()
        assert f["interventions/riluzole"].attrs["death_hazard_ratio"] == 0.80


def test_unknown_intervention_in_override_is_an_error(tmp_path):
    from conftest import run_cli
    r = run_cli("check", f"{CFG}/clinic.cfg", "--set", "interventions.clinic.enabled=false")
    assert r.rc == 1
    assert r.stderr == ("mndsim: --set interventions.clinic.enabled=false: unknown intervention "
                        "'clinic' in 'interventions.clinic.enabled' (the configuration defines 1)\n")
