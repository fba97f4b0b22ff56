# SPDX-License-Identifier: GPL-3.0-or-later
"""Studies through the real CLI: the /studies and /analysis groups of a run
(schema, the summary recomputed from the per-replicate metrics, the patient
records and their invariants), output.summary_only, --set on a study key,
bad study keys (message with file:line, exit 1, no output file), 1 and 2
threads identical, and the /analysis group read by xarray (h5netcdf).

The statistics of the study layer (type-I error, power, each bias
mechanism) are tested in tests/unit/test_study.c."""
import h5py
import numpy as np
import pytest

from conftest import arrays_equal, run_cli, run_ok

CFG = "tests/e2e/configs/studies"
SMALL = f"{CFG}/small.cfg"
R = 6                                   # simulation.n_replicates of small.cfg
STUDIES = {"trial": ("rct", 40), "clinic": ("case_series", 30)}   # design, n_patients

# mnd_metric (include/mndsim/study.h), in order
METRICS = [
    "n_treated", "n_control", "slope_treated", "slope_control", "slope_difference",
    "slope_difference_lower", "slope_difference_upper", "slope_p", "hazard_ratio",
    "hazard_ratio_lower", "hazard_ratio_upper", "logrank_p", "median_survival_treated",
    "median_survival_control", "dropout_share", "slowing_percent", "slowed_share",
    "fvc_gain_share", "survival_gain", "alive_10y", "true_slope_effect",
    "control_slowing_percent", "control_slowed_share", "control_fvc_gain_share",
    "control_survival_gain", "control_alive_10y",
    "pro_pain_change", "pro_spasms_change", "pro_hads_change", "pro_qol_change",
    "pro_best_change", "control_pro_pain_change", "control_pro_spasms_change",
    "control_pro_hads_change", "control_pro_qol_change", "control_pro_best_change",
    "true_pro_effect",
]
SUMMARY = ["metric", "mean", "sd", "q025", "median", "q975", "n"]
# patient-record columns that must exist (the outcome fields also with _counterfactual)
RECORD = ["patient_replicate", "slot", "arm", "stratum", "t_enrolment", "t_diagnosis",
          "delta_fs", "lead_in_slope", "accrual_time"]
OUTCOME = ["n_visits", "completed", "event", "t_event", "baseline_total", "baseline_fvc",
           "slope", "best_slope", "last_fvc_ratio", "best_fvc_ratio", "t_dropout"]
PRO_MAX = {"pain": 10, "spasms": 70, "hads": 42, "qol": 10}   # patient-reported scales
OUTCOME += [f"pro_{s}_{when}" for s in PRO_MAX for when in ("baseline", "follow_up")]


def run_small(tmp_path, name, *extra):
    out = tmp_path / name
    run_ok("run", SMALL, "-o", out, "-q", *extra)
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """small.cfg with the patient records (output.summary_only false), 2 threads."""
    return run_small(tmp_path_factory.mktemp("studies"), "small.h5", "--threads", "2")


def group_arrays(path, group):
    """Every dataset of /group as {name: array} (text as str)."""
    out = {}
    with h5py.File(path, "r") as f:
        for name, ds in f[group].items():
            text = h5py.check_string_dtype(ds.dtype) is not None
            out[name] = ds.asstr()[()] if text else ds[()]
    return out


def test_metrics_per_replicate(small):
    with h5py.File(small, "r") as f:
        assert sorted(f["studies"].keys()) == sorted(STUDIES)
        assert sorted(f["analysis"].keys()) == sorted(STUDIES)
        for name, (design, n) in STUDIES.items():
            g = f[f"studies/{name}"]
            assert g.attrs["design"] == design
            assert g.attrs["n_patients"] == n
            assert np.array_equal(g["replicate"][()], np.arange(R))
            for m in METRICS:
                assert g[m].shape == (R,), (name, m)
                assert g[m].dtype == np.float64
            total = g["n_treated"][()] + g["n_control"][()]
            assert (total == n).all()
            # the clinic product's true effect is zero
            assert (g["true_slope_effect"][()] == 0).all()
        trial, clinic = f["studies/trial"], f["studies/clinic"]
        assert (np.abs(trial["n_treated"][()] - 20) <= 4).all()   # permuted blocks of 4, 2 strata
        assert np.isfinite(trial["slope_p"][()]).all()
        assert np.isfinite(trial["logrank_p"][()]).all()
        assert (clinic["n_control"][()] == 0).all()
        assert np.isnan(clinic["slope_p"][()]).all()              # no control arm to test against
        assert np.isfinite(clinic["slowing_percent"][()]).all()


def test_analysis_summarises_the_replicates(small):
    with h5py.File(small, "r") as f:
        for name in STUDIES:
            a = f[f"analysis/{name}"]
            assert sorted(a.keys()) == sorted(SUMMARY)
            assert list(a["metric"].asstr()[()]) == METRICS
            for s in SUMMARY[1:]:
                assert a[s].shape == (len(METRICS),)
            g = f[f"studies/{name}"]
            for i, m in enumerate(METRICS):
                x = g[m][()]
                x = x[np.isfinite(x)]
                assert a["n"][i] == len(x), m
                if len(x) == 0:
                    assert all(np.isnan(a[s][i]) for s in ("mean", "q025", "median", "q975")), m
                    continue
                assert a["mean"][i] == pytest.approx(x.mean(), rel=1e-12, abs=1e-12), m
                assert a["median"][i] == pytest.approx(np.median(x), rel=1e-12, abs=1e-12), m
                # GSL's quantile_from_sorted_data interpolates like numpy's default
                assert a["q025"][i] == pytest.approx(np.quantile(x, 0.025), rel=1e-12, abs=1e-12), m
                assert a["q975"][i] == pytest.approx(np.quantile(x, 0.975), rel=1e-12, abs=1e-12), m
                if len(x) > 1:
                    assert a["sd"][i] == pytest.approx(x.std(ddof=1), rel=1e-9, abs=1e-12), m
            alpha = a.attrs["alpha"]
            assert alpha == 0.05
            assert a.attrs["replicates"] == R
            for key, metric in (("reject_slope", "slope_p"), ("reject_logrank", "logrank_p")):
                p = g[metric][()]
                p = p[np.isfinite(p)]
                want = (p < alpha).mean() if len(p) else np.nan
                assert arrays_equal(np.float64(a.attrs[key]), np.float64(want)), (name, key)
            claim = g[a.attrs["claim_metric"]][()]
            claim = claim[np.isfinite(claim)]
            assert a.attrs["p_claim"] == pytest.approx((claim >= a.attrs["claim_threshold"]).mean())
        assert np.isnan(f["analysis/clinic"].attrs["reject_slope"])


def test_patient_records(small):
    with h5py.File(small, "r") as f:
        for name, (design, n) in STUDIES.items():
            g = f[f"studies/{name}"]
            for c in RECORD + OUTCOME + [o + "_counterfactual" for o in OUTCOME]:
                assert g[c].shape == (R * n,), (name, c)
            rows = np.arange(R * n)
            assert np.array_equal(g["study_patient"][()], rows)
            assert np.array_equal(g["patient_replicate"][()], rows // n)
            arm = g["arm"][()]
            assert set(np.unique(arm)) <= {0, 1}
            per_rep = arm.reshape(R, n).sum(axis=1)
            assert np.array_equal(per_rep, g["n_treated"][()])
            slot = g["slot"][()].reshape(R, n)
            assert (np.diff(slot, axis=1) > 0).all()          # candidates in slot order
            assert (g["t_enrolment"][()] >= g["t_diagnosis"][()]).all()
            nv = g["n_visits"][()]
            assert ((nv >= 1) & (nv <= 13)).all()             # 12 months of monthly visits
            assert set(np.unique(g["completed"][()])) <= {0, 1}
            assert set(np.unique(g["event"][()])) <= {0, 1}
            assert ((g["baseline_total"][()] >= 0) & (g["baseline_total"][()] <= 48)).all()
            for s, top in PRO_MAX.items():                    # whole points on the scale
                base = g[f"pro_{s}_baseline"][()]
                assert ((base >= 0) & (base <= top) & (base == np.round(base))).all(), s
                later = g[f"pro_{s}_follow_up"][()]
                rated = later[~np.isnan(later)]
                assert rated.size > 0 and ((rated >= 0) & (rated <= top)).all(), s
            # zero effect: the observed and the counterfactual arm are the same bits
            for o in OUTCOME:
                assert arrays_equal(g[o][()], g[o + "_counterfactual"][()]), (name, o)
        clinic = f["studies/clinic"]
        assert (clinic["arm"][()] == 1).all()
        assert (clinic["t_enrolment"][()] >= 12.0).all()        # min_months_from_onset
        trial = f["studies/trial"]
        assert 0 < trial["arm"][()].mean() < 1


def test_summary_only_writes_no_patient_records(small, tmp_path):
    out = run_small(tmp_path, "summary.h5", "--set", "output.summary_only=true")
    with h5py.File(out, "r") as f:
        for name in STUDIES:
            g = f[f"studies/{name}"]
            for c in ["slot", "arm", "study_patient", "patient_replicate", "slope"]:
                assert c not in g, (name, c)
            assert f"analysis/{name}" in f
    # the metrics do not depend on whether the records are kept
    for name in STUDIES:
        a, b = group_arrays(small, f"analysis/{name}"), group_arrays(out, f"analysis/{name}")
        assert a.keys() == b.keys()
        for k in a:
            assert arrays_equal(a[k], b[k]), (name, k)
        with h5py.File(small, "r") as f, h5py.File(out, "r") as g:
            for m in METRICS:
                assert arrays_equal(f[f"studies/{name}/{m}"][()], g[f"studies/{name}/{m}"][()]), m


def test_set_study_key(tmp_path):
    out = run_small(tmp_path, "set.h5", "--set", "studies.trial.n_patients=24",
                    "--set", "output.summary_only=false")
    with h5py.File(out, "r") as f:
        g = f["studies/trial"]
        assert g.attrs["n_patients"] == 24
        assert ((g["n_treated"][()] + g["n_control"][()]) == 24).all()
        assert g["arm"].shape == (R * 24,)
        assert f["studies/clinic"].attrs["n_patients"] == 30     # the other study untouched


def test_one_and_two_threads_identical(small, tmp_path):
    one = run_small(tmp_path, "t1.h5", "--threads", "1")
    for name in STUDIES:
        a, b = group_arrays(small, f"studies/{name}"), group_arrays(one, f"studies/{name}")
        assert a.keys() == b.keys()
        for k in a:
            assert arrays_equal(a[k], b[k]), (name, k)


BAD = [
    ("unknown_key.cfg", "9: unknown key 'studies.trial.n_patient'"),
    ("no_such_treatment.cfg", "9: studies.trial.treatment names no intervention "
                              "('stem_cells'; the configuration defines 1)"),
    ("lead_in_without_lead_in.cfg", "9: studies.series: the lead_in design needs "
                                    "recent_decline_months > 0"),
]


@pytest.mark.parametrize("command", ["check", "run"])
@pytest.mark.parametrize("name, message", BAD, ids=[b[0] for b in BAD])
def test_bad_study_key(tmp_path, command, name, message):
    extra = ["-o", tmp_path / "out.h5"] if command == "run" else []
    r = run_cli(command, f"{CFG}/{name}", *extra)
    assert r.rc == 1, str(r)
    assert r.stdout == ""
    assert r.stderr == f"mndsim: {CFG}/{name}:{message}\n"
    assert list(tmp_path.iterdir()) == []


def test_bad_study_override(tmp_path):
    r = run_cli("run", SMALL, "-o", tmp_path / "out.h5", "--set", "studies.trial.n_patients=1")
    assert r.rc == 1, str(r)
    assert "studies.trial.n_patients must be >= 2 (got 1)" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_xarray_opens_the_analysis_group(small):
    xr = pytest.importorskip("xarray")
    pytest.importorskip("h5netcdf")
    for name in STUDIES:
        with xr.open_dataset(small, group=f"analysis/{name}", engine="h5netcdf") as ds:
            assert list(ds.dims) == ["metric"]
            assert list(ds["metric"].values) == METRICS
            assert set(ds.data_vars) == set(SUMMARY[1:])
            assert ds["n"].sel(metric="n_treated").item() == R
            assert ds.attrs["alpha"] == 0.05
        with xr.open_dataset(small, group=f"studies/{name}", engine="h5netcdf") as ds:
            assert ds.sizes["replicate"] == R
            assert ds.sizes["study_patient"] == R * STUDIES[name][1]
            assert ds["slope_p"].dims == ("replicate",)
            assert ds["arm"].dims == ("study_patient",)


def test_claims_table_of_the_audit(tmp_path):
    """`mndsim claims` on the claims audit (configs/claims/audit.cfg, a few
    replicates): one row per claim C2-C7 and the trial, each with the
    clinic's figure, the no-therapy figure, the true effect (exactly 0: the
    product has no effect) and P(claim), P(claim | 0) in [0, 1]; the
    zero-effect columns equal the clinic's because nothing acts."""
    out = tmp_path / "claims.h5"
    run_ok("run", "configs/claims/audit.cfg", "-o", out, "-q",
           "--set", "simulation.n_replicates=4", "--set", "simulation.n_patients=10")
    r = run_ok("claims", out)
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["study", "claim", "metric", "claim", ">=", "clinic", "no",
                                "therapy", "true", "effect", "P(claim)", "P(claim|0)"]
    rows = {line.split()[0]: line.split() for line in lines[1:8]}
    metrics = {"trial": "slowing_percent", "c2": "slowed_share", "c3": "slowing_percent",
               "c4": "fvc_gain_share", "c5": "survival_gain", "c6": "alive_10y",
               "c7": "pro_best_change"}
    assert set(rows) == set(metrics)
    for name, cells in rows.items():
        assert cells[1] == metrics[name]
        threshold, clinic, control, effect, p_claim, p_zero = map(float, cells[2:])
        assert effect == 0.0, name
        assert 0.0 <= p_claim <= 1.0 and 0.0 <= p_zero <= 1.0, name
        if name != "trial":                     # uncontrolled: the sham is the same patients
            assert clinic == control and p_claim == p_zero, name
    with h5py.File(out, "r") as f:              # C1: the clinic's size and accrual
        c6 = f["studies/c6"]
        assert c6.attrs["n_patients"] == 2200 and c6.attrs["accrual_months"] == 240.0
