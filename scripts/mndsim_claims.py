# SPDX-License-Identifier: GPL-3.0-or-later
"""mndsim_claims — the claims table of a result file, as `mndsim claims` prints it.

Design.  The same computation as mnd_claims_print (src/study_report.c), from
the per-replicate metrics of /studies/<name>: for each study its claim
metric (the attribute claim_metric of /analysis/<name>) and threshold; the
clinic's figure is the mean over replicate studies of that metric, "no
therapy" the mean of its control_ version (the randomized control arm, or
the same patients given the sham), the true effect the mean of
true_pro_effect for a patient-reported (pro_*) claim and of true_slope_effect
otherwise; P(claim) and P(claim | zero effect) are the shares of
replicates whose metric, and whose control_ metric, reach the threshold.
Means and shares are over the finite values, as in the C code, so the
numbers agree with `mndsim claims` to its printed precision.
"""
import numpy as np

from mndsim_read import ResultFileError, analysis_summary, study_metrics, study_names

# The clinic metrics that have a no-therapy (control_) counterpart.
PRO_METRICS = ("pro_pain_change", "pro_spasms_change", "pro_hads_change", "pro_qol_change",
               "pro_best_change")
CONTROL_OF = {m: "control_" + m for m in
              ("slowing_percent", "slowed_share", "fvc_gain_share", "survival_gain", "alive_10y")
              + PRO_METRICS}

# What each claim metric means, for table headers and figure labels.
CLAIM_LABELS = {
    "slowing_percent": ("C3", "decline slowed"),
    "slowed_share": ("C2", "share of patients with decline slowed"),
    "fvc_gain_share": ("C4", "share of patients with FVC gain"),
    "survival_gain": ("C5", "median survival above expected"),
    "alive_10y": ("C6", "patients alive 10 years after treatment"),
    "pro_pain_change": ("C7", "reported pain improved"),
    "pro_spasms_change": ("C7", "reported painful spasms improved"),
    "pro_hads_change": ("C7", "reported anxiety/depression (HADS) improved"),
    "pro_qol_change": ("C7", "reported quality of life improved"),
    "pro_best_change": ("C7", "best of four patient-reported scales improved"),
}


def true_effect_metric(metric):
    """The true-effect metric shown beside claim metric `metric`."""
    return "true_pro_effect" if metric in PRO_METRICS else "true_slope_effect"


def mean_and_share(values, threshold):
    """Mean of the finite values and share of them >= threshold (NaN, NaN
    when none is finite)."""
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return float("nan"), float("nan")
    return float(x.mean()), float(np.mean(x >= threshold))


def claims_table(f):
    """One dict per study of result file `f`, in file order: study, design,
    metric, threshold, clinic, no_therapy, true_effect, p_claim, p_zero,
    replicates, plus the per-replicate arrays clinic_values and
    control_values (None without a control_ metric).  Raises
    ResultFileError when the file has no studies."""
    names = study_names(f)
    if not names:
        raise ResultFileError(f"{f.filename}: has no /analysis (no studies), needed for the "
                              f"claims table; run a config with a `studies` section, e.g. "
                              f"configs/claims/audit.cfg")
    rows = []
    for name in names:
        attrs = analysis_summary(f, name)["attrs"]
        metric, threshold = str(attrs["claim_metric"]), float(attrs["claim_threshold"])
        values = study_metrics(f, name)
        clinic = values[metric]
        control = values.get(CONTROL_OF[metric]) if metric in CONTROL_OF else None
        clinic_mean, p_claim = mean_and_share(clinic, threshold)
        no_therapy, p_zero = mean_and_share(control, threshold) if control is not None \
            else (float("nan"), float("nan"))
        rows.append({
            "study": name, "design": str(values["_attrs"].get("design", "")),
            "metric": metric, "unit": values["_units"].get(metric, ""),
            "threshold": threshold, "clinic": clinic_mean, "no_therapy": no_therapy,
            "true_effect": mean_and_share(values[true_effect_metric(metric)], 0.0)[0],
            "p_claim": p_claim, "p_zero": p_zero, "replicates": len(clinic),
            "clinic_values": clinic, "control_values": control,
        })
    return rows
