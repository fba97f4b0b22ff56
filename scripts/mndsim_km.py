# SPDX-License-Identifier: GPL-3.0-or-later
"""mndsim_km — Kaplan–Meier curves for the plotting scripts.

Design.  The same estimator as the engine's mnd_km_fit (src/stats.c), which
follows R's survival::survfit: at each distinct event time S *= (n - d)/n,
those censored at that time still at risk; Greenwood's variance of -log S;
the default "log" interval exp(log S -+ 1.96 se) capped at 1.  The median is
R's rule (print.survfit): the first time the curve is below 0.5 + sqrt(eps),
averaged with the next event time when the curve sits on 0.5 within that
tolerance, so it agrees with `mndsim info`.  numpy only.
"""
import numpy as np

Z975 = 1.959963984540054


def kaplan_meier(time, event):
    """Kaplan–Meier estimate of (time, event) pairs; NaN times are dropped.

    Returns a dict of numpy arrays: "time" (0 then each distinct event time),
    "survival", "lower", "upper" (95 % Greenwood "log" interval, NaN where
    S = 0), "n_risk", plus "n" (patients used) and "events" (their count).
    Step functions: draw with where="post"."""
    time = np.asarray(time, dtype=np.float64)
    event = np.asarray(event, dtype=np.float64)
    keep = np.isfinite(time)
    t, e = time[keep], event[keep] > 0
    order = np.argsort(t, kind="stable")
    t, e = t[order], e[order]
    times, s_out, se_out, risk_out = [0.0], [1.0], [0.0], [float(len(t))]
    s, greenwood, at_risk, i = 1.0, 0.0, len(t), 0
    while i < len(t):
        j = i
        while j < len(t) and t[j] == t[i]:
            j += 1
        d = int(e[i:j].sum())
        if d > 0:
            s *= (at_risk - d) / at_risk
            greenwood += d / (at_risk * (at_risk - d)) if at_risk > d else np.inf
            times.append(t[i])
            s_out.append(s)
            se_out.append(np.sqrt(greenwood))
            risk_out.append(float(at_risk))
        at_risk -= j - i
        i = j
    surv = np.array(s_out)
    se = np.array(se_out)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(surv > 0, np.exp(np.log(surv) - Z975 * se), np.nan)
        upper = np.where(surv > 0, np.minimum(np.exp(np.log(surv) + Z975 * se), 1.0), np.nan)
    return {"time": np.array(times), "survival": surv, "lower": lower, "upper": upper,
            "n_risk": np.array(risk_out), "n": int(len(t)), "events": int(e.sum())}


def km_median(fit):
    """Median of the Kaplan–Meier curve `fit`, months (R's rule, see the top
    of the file); NaN when the curve stays above 0.5 (not reached)."""
    tol = np.sqrt(np.finfo(np.float64).eps)
    below = np.nonzero(fit["survival"] < 0.5 + tol)[0]
    if len(below) == 0:
        return float("nan")
    k = below[0]
    if abs(fit["survival"][k] - 0.5) < tol and k + 1 < len(fit["time"]):
        return float(0.5 * (fit["time"][k] + fit["time"][k + 1]))
    return float(fit["time"][k])


def km_at(fit, t):
    """Survival of the step function `fit` at time t (right-continuous)."""
    k = np.searchsorted(fit["time"], t, side="right") - 1
    return float(fit["survival"][max(k, 0)])
