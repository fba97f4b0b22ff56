# SPDX-License-Identifier: GPL-3.0-or-later
"""Invariants that must hold for every patient of a run.

Each test runs on three small runs: the default population cohort (visits
from diagnosis), the trial-like cohort (selection, visits from enrolment)
and a two-replicate run in small blocks with quarterly visits from onset.

Visit times are rebuilt in double precision as origin + j x interval, the
schedule the schema page states; the stored float32 visit_time must be that
value rounded to float32."""
from types import SimpleNamespace

import h5py
import numpy as np
import pytest

RUNS = ["default_run", "trial_run", "replicates_run"]

ITEM = {name: i for i, name in enumerate(
    "speech salivation swallowing handwriting cutting_food dressing_hygiene turning_in_bed "
    "walking climbing_stairs dyspnoea orthopnoea respiratory_insufficiency".split())}
END_CENSORED, END_RESPIRATORY, END_TRACHEOSTOMY, END_BACKGROUND, END_PROCEDURE = range(5)
MONTH_30_DAYS = 30.0 / 30.4375


@pytest.fixture(scope="module", params=RUNS)
def c(request):
    run = request.getfixturevalue(request.param)
    with h5py.File(run.path, "r") as f:
        d = {k: f[k][()] for k in f if k != "config_text"}
        a = dict(f.attrs)
    ns = SimpleNamespace(**d)
    ns.label = request.param
    ns.attrs = a
    ns.N = len(ns.patient)
    ns.T = int(a["max_visits"])
    origin = {"onset": np.zeros(ns.N), "diagnosis": ns.t_diagnosis,
              "enrolment": ns.t_enrolment}[a["visit_origin"]]
    ns.origin = origin
    ns.sched = origin[:, None] + np.arange(ns.T)[None, :] * float(a["visit_interval_months"])
    ns.valid = np.arange(ns.T)[None, :] < ns.n_visits[:, None]
    ns.died_b = ns.died.astype(bool)
    return ns


def present(x):
    return ~np.isnan(x)


# --- rows and identifiers -------------------------------------------------------

def test_rows_identify_patients(c):
    n = int(c.attrs["n_patients"])
    assert c.N == n * int(c.attrs["n_replicates"])
    assert np.array_equal(c.patient, np.arange(c.N))
    assert np.array_equal(c.replicate, np.arange(c.N) // n)
    assert np.array_equal(c.patient_id, np.arange(c.N) % n)
    assert (c.attempts >= 1).all()


def test_replicates_differ(replicates_run):
    with h5py.File(replicates_run.path, "r") as f:
        age = f["age_onset_years"][()]
    assert not np.array_equal(age[:150], age[150:])
    assert len(np.unique(age)) == 300


# --- times --------------------------------------------------------------------

def test_diagnosis_and_end(c):
    assert (c.t_diagnosis >= 0).all()
    assert (c.t_diagnosis <= c.t_end).all()
    assert (c.t_enrolment >= c.t_diagnosis).all()
    # Only patients alive at entry (diagnosis, or enrolment with selection) are kept.
    entry = c.t_enrolment if c.label == "trial_run" else c.t_diagnosis
    assert (c.t_end > entry).all()
    assert (c.t_end > c.origin).all()


def test_death_and_censoring(c):
    assert set(np.unique(c.died)) <= {0, 1}
    assert np.array_equal(c.died_b, c.end_cause != END_CENSORED)
    d = c.died_b
    assert np.array_equal(c.t_death[d], c.t_end[d])
    assert (c.t_diagnosis[d] <= c.t_death[d]).all()
    assert np.isnan(c.t_death[~d]).all()
    # Alive patients are censored at the administrative end: origin + follow-up.
    fu = float(c.attrs["follow_up_months"])
    assert np.array_equal(c.t_end[~d], c.origin[~d] + fu)
    assert (c.t_end[d] <= c.origin[d] + fu).all()
    # Both outcomes occur in these runs, so the checks above are not vacuous.
    assert d.any() and (~d).any()


@pytest.mark.parametrize("name", ["t_gastrostomy", "t_niv", "t_respiratory_failure",
                                  "t_tracheostomy", "t_m50", "t_d50"])
def test_event_times_within_record(c, name):
    t = getattr(c, name)
    p = present(t)
    assert ((t[p] >= 0) & (t[p] <= c.t_end[p])).all()


def test_event_order(c):
    p = present(c.t_niv)
    assert (c.t_niv[p] >= c.t_diagnosis[p]).all()
    p = present(c.t_gastrostomy)
    assert (c.t_gastrostomy[p] >= c.t_diagnosis[p]).all()
    # NIV starts before respiratory failure; tracheostomy is at or after it.
    p = present(c.t_niv) & present(c.t_respiratory_failure)
    assert (c.t_niv[p] < c.t_respiratory_failure[p]).all()
    p = present(c.t_tracheostomy)
    assert present(c.t_respiratory_failure[p]).all()
    assert (c.t_tracheostomy[p] >= c.t_respiratory_failure[p]).all()


def test_end_causes(c):
    e = c.end_cause
    assert set(np.unique(e)) <= set(range(5))
    resp = e == END_RESPIRATORY
    assert present(c.t_respiratory_failure[resp]).all()
    assert (c.t_respiratory_failure[resp] <= c.t_death[resp]).all()
    # Without NIV or tracheostomy, respiratory death is respiratory failure.
    plain = resp & np.isnan(c.t_niv) & np.isnan(c.t_tracheostomy)
    assert np.array_equal(c.t_death[plain], c.t_respiratory_failure[plain])
    tr = e == END_TRACHEOSTOMY
    assert present(c.t_tracheostomy[tr]).all()
    assert (c.t_tracheostomy[tr] <= c.t_death[tr]).all()
    # Procedure deaths happen within 30 days of the gastrostomy.
    pr = e == END_PROCEDURE
    gap = c.t_death[pr] - c.t_gastrostomy[pr]
    assert ((gap >= 0) & (gap <= MONTH_30_DAYS)).all()


def test_per_patient_columns(c):
    assert set(np.unique(c.male)) <= {0, 1}
    assert ((c.age_onset_years >= 20) & (c.age_onset_years <= 90)).all()
    assert (c.rate_multiplier > 0).all()
    assert ((c.death_ventilation >= 0.01) & (c.death_ventilation <= 0.95)).all()
    assert (c.fvc_predicted_baseline > 0).all()
    p = present(c.mu_decline_percent_per_month)
    assert (c.mu_decline_percent_per_month[p] >= 0).all()
    for name in ("age_onset_years", "rate_multiplier", "t_diagnosis", "t_enrolment",
                 "t_end", "death_ventilation", "fvc_predicted_baseline", "loss_start",
                 "lmn_rate", "umn_rate"):
        assert not np.isnan(getattr(c, name)).any(), name


# --- visits -------------------------------------------------------------------

def test_visit_schedule(c):
    assert ((c.n_visits >= 0) & (c.n_visits <= c.T)).all()
    v = c.valid
    # visit_time is the schedule origin + j x interval, in float32.
    assert np.array_equal(c.visit_time[v], c.sched.astype(np.float32)[v])
    assert np.isnan(c.visit_time[~v]).all()
    assert (np.diff(c.visit_time, axis=1)[v[:, 1:]] > 0).all()
    # Visits at or before t_end, strictly before death.
    assert (c.sched[v] <= np.broadcast_to(c.t_end[:, None], v.shape)[v]).all()
    d = c.died_b[:, None] & v
    assert (c.sched[d] < np.broadcast_to(c.t_death[:, None], v.shape)[d]).all()
    # Every scheduled visit while alive and followed is made.
    expect = ((c.sched <= c.t_end[:, None])
              & ~(c.sched >= np.where(c.died_b, c.t_death, np.inf)[:, None])).sum(axis=1)
    assert np.array_equal(c.n_visits, expect)


def test_items_and_total(c):
    v = c.valid
    items = c.alsfrs_items
    assert ((items[v] >= 0) & (items[v] <= 4)).all()
    assert (items[~v] == -1).all()
    assert np.array_equal(c.alsfrs_total[v], items[v].astype(np.int32).sum(axis=1))
    assert (c.alsfrs_total[~v] == -1).all()
    assert ((c.alsfrs_total[v] >= 0) & (c.alsfrs_total[v] <= 48)).all()


def test_item_12_follows_ventilation(c):
    r12 = c.alsfrs_items[:, :, ITEM["respiratory_insufficiency"]]
    v = c.valid
    before_niv = v & ~(c.sched >= c.t_niv[:, None])          # NaN compares false
    on_trach = v & (c.sched >= c.t_tracheostomy[:, None])
    on_niv = v & (c.sched >= c.t_niv[:, None]) & ~on_trach
    assert (r12[before_niv & ~on_trach] == 4).all()
    assert (r12[on_trach] == 0).all()
    assert ((r12[on_niv] >= 1) & (r12[on_niv] <= 3)).all()


def test_fvc(c):
    v = c.valid
    assert not np.isnan(c.fvc[v]).any()
    assert (c.fvc[v] >= 0).all()
    assert np.isnan(c.fvc[~v]).all()


def _kings(items, gastrostomy):
    """King's stage from ALSFRS-R items (Balendra 2014 mapping of Roche 2012):
    stage 4 with gastrostomy, dyspnoea 0 or any ventilatory support, otherwise
    the number of regions involved (bulbar, upper limb, lower limb), at least 1."""
    i = ITEM
    advanced = gastrostomy | (items[..., i["dyspnoea"]] == 0) | \
        (items[..., i["respiratory_insufficiency"]] < 4)
    bulbar = (items[..., [i["speech"], i["salivation"], i["swallowing"]]] < 4).any(-1)
    arm = (items[..., [i["handwriting"], i["cutting_food"]]] < 4).any(-1)
    leg = items[..., i["walking"]] < 4
    regions = np.maximum(bulbar.astype(int) + arm + leg, 1)
    return np.where(advanced, 4, regions)


def _mitos(items):
    """MiToS stage (Chiò 2015): one point per domain lost."""
    i = ITEM
    walk = (items[..., i["walking"]] <= 1) | (items[..., i["dressing_hygiene"]] <= 1)
    swallow = items[..., i["swallowing"]] <= 1
    talk = (items[..., i["speech"]] <= 1) & (items[..., i["handwriting"]] <= 1)
    breathe = (items[..., i["dyspnoea"]] <= 1) | (items[..., i["respiratory_insufficiency"]] <= 2)
    return walk.astype(int) + swallow + talk + breathe


def test_stages(c):
    v = c.valid
    k, m = c.kings_stage, c.mitos_stage
    assert ((k[v] >= 1) & (k[v] <= 4)).all()
    assert ((m[v] >= 0) & (m[v] <= 4)).all()
    assert (k[~v] == -1).all() and (m[~v] == -1).all()
    gastro = c.sched >= c.t_gastrostomy[:, None]
    assert np.array_equal(k[v], _kings(c.alsfrs_items, gastro)[v])
    assert np.array_equal(m[v], _mitos(c.alsfrs_items)[v])
    # Every stage is reached by someone in these runs.
    assert set(np.unique(k[v])) == {1, 2, 3, 4}


def test_delta_fs(c):
    has = c.n_visits > 0
    t0 = c.sched[:, 0]
    ok = has & (t0 > 0)
    expect = (48.0 - c.alsfrs_total[ok, 0].astype(np.float64)) / t0[ok]
    assert np.array_equal(c.delta_fs[ok], expect)
    assert np.isnan(c.delta_fs[~ok]).all()


# --- motor-neuron pools -----------------------------------------------------------

def _fraction(rate, loss_start, t):
    return np.exp(-rate * np.maximum(0.0, t - loss_start))


def test_pool_fractions(c):
    v3 = np.repeat(c.valid[:, :, None], 4, axis=2)
    t = c.sched[:, :, None]
    for name, rate in (("lmn_fraction", c.lmn_rate), ("umn_fraction", c.umn_rate)):
        f = getattr(c, name)
        assert ((f[v3] > 0) & (f[v3] <= 1)).all(), name
        assert np.isnan(f[~v3]).all(), name
        # Non-increasing in time, per patient and region.
        both = v3[:, 1:, :]
        assert (np.diff(f, axis=1)[both] <= 0).all(), name
        # exp(-rate max(0, t - loss_start)), as the schema page states.
        expect = _fraction(rate[:, None, :], c.loss_start[:, None, :], t).astype(np.float32)
        assert np.allclose(f[v3], expect[v3], rtol=2e-7, atol=0), name


def test_onset_region_leads(c):
    rows = np.arange(c.N)
    start = c.loss_start[rows, c.onset_region]
    # Loss starts first in the onset region, before clinical onset.
    assert (start <= 0).all()
    assert (start[:, None] <= c.loss_start).all()
    # At onset the faster pool of the onset region is at the reserve fraction.
    lmn = _fraction(c.lmn_rate[rows, c.onset_region], start, 0.0)
    umn = _fraction(c.umn_rate[rows, c.onset_region], start, 0.0)
    assert np.allclose(np.minimum(lmn, umn), 0.45, rtol=1e-12)


def test_t_m50(c):
    limb = lambda t: (2 * _fraction(c.lmn_rate[:, 1], c.loss_start[:, 1], t)
                      + _fraction(c.lmn_rate[:, 3], c.loss_start[:, 3], t)) / 3
    p = present(c.t_m50)
    at = limb(np.nan_to_num(c.t_m50))
    assert np.allclose(at[p & (c.t_m50 > 0)], 0.5, atol=1e-6)
    assert (at[p & (c.t_m50 == 0)] <= 0.5).all()
    # NaN: the limb pool is still above 50 % at t_end.
    assert (limb(c.t_end)[~p] > 0.5).all()
    assert p.any()


def test_trial_selection(trial_run):
    with h5py.File(trial_run.path, "r") as f:
        d = {k: f[k][()] for k in ("t_enrolment", "age_onset_years", "loss_start", "lmn_rate",
                                   "umn_rate", "attempts", "visit_time")}
    t = d["t_enrolment"]
    assert (t <= 24.0).all()
    age = d["age_onset_years"] + t / 12.0
    assert ((age >= 18.0) & (age <= 85.0)).all()
    # Signs (a pool below 80 %) in at least two regions at enrolment.
    lmn = _fraction(d["lmn_rate"], d["loss_start"], t[:, None])
    umn = _fraction(d["umn_rate"], d["loss_start"], t[:, None])
    assert ((np.minimum(lmn, umn) < 0.8).sum(axis=1) >= 2).all()
    # Visit 0 is at enrolment; selection rejected some draws.
    assert np.array_equal(d["visit_time"][:, 0], t.astype(np.float32))
    assert d["attempts"].max() > 1
