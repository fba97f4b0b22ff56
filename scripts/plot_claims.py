#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""plot_claims — the claims panel: clinic view, trial view and truth per claim.

Design.  One row per uncontrolled study of the file (the clinic's case
series, one per claim, configs/claims/audit.cfg), its claim metric on the
horizontal axis.  Left: the metric over the replicate studies (dot = mean,
bar = 2.5-97.5 % of replicates) as the clinic computes it on its treated
patients; the truth, the same patients simulated without the therapy (the
engine runs both arms of every patient); and the trial view, the same metric
in the treated and control arms of the file's randomized study where that
metric is defined there.  Right: the zero-effect distribution of the metric
over replicates (the control_ metric), with the claim threshold and the
clinic's mean figure marked, and P(claim | zero effect), the share of
replicate studies of a useless therapy that reach the claim.  Numbers come
from mndsim_claims.claims_table, the same as `mndsim claims`.

    plot_claims.py IN.h5 -o OUT.png
"""
import sys

import numpy as np

from mndsim_claims import CLAIM_LABELS, CONTROL_OF, PRO_METRICS, claims_table
from mndsim_figure import add_caption, caption_text, new_figure, run_cli
from mndsim_read import ResultFileError, study_metrics

VIEWS = ("clinic: treated patients", "truth: same patients, no therapy",
         "trial: treated arm", "trial: control arm")
VIEW_COLORS = ("C0", "black", "C2", "C1")


def spread(values):
    """(mean, 2.5 %, 97.5 %) of the finite values; NaNs when fewer than half
    of the replicates have a finite value (the metric is then not defined by
    the design, e.g. a median survival beyond a 12-month follow-up)."""
    x = np.asarray(values, dtype=np.float64)
    x = x[np.isfinite(x)]
    if len(x) == 0 or len(x) < 0.5 * len(values):
        return (np.nan, np.nan, np.nan)
    lo, hi = np.percentile(x, [2.5, 97.5])
    return (float(x.mean()), float(lo), float(hi))


def axis_label(metric, unit):
    """Axis label of a claim metric: claim number, meaning and unit."""
    claim, meaning = CLAIM_LABELS.get(metric, ("", metric))
    return f"{claim} {meaning} [{unit}]".strip()


def figure(f):
    """Claims panel of result file `f` (needs /studies and /analysis, e.g. a
    run of configs/claims/audit.cfg).  Returns the Figure."""
    table = claims_table(f)
    rct = next((r for r in table if r["design"] == "rct"), None)
    trial = study_metrics(f, rct["study"]) if rct else None
    claims = [r for r in table if r["design"] != "rct" and r["metric"] in CONTROL_OF]
    if not claims:
        raise ResultFileError(f"{f.filename}: has no uncontrolled study with a claim metric "
                              f"({', '.join(CONTROL_OF)}), needed for the claims panel")
    fig, axes = new_figure(13, 2.3 * len(claims) + 1.6, len(claims), 2, squeeze=False,
                           gridspec_kw={"width_ratios": [1.35, 1]})
    for (ax, hax), row in zip(axes, claims):
        metric = row["metric"]
        views = [row["clinic_values"], row["control_values"],
                 trial.get(metric) if trial else None,
                 trial.get(CONTROL_OF[metric]) if trial else None]
        ys = []
        for k, (label, values) in enumerate(zip(VIEWS, views)):
            mean, lo, hi = spread(values) if values is not None else (np.nan,) * 3
            y = len(VIEWS) - 1 - k
            ys.append(y)
            if np.isfinite(mean):
                ax.errorbar(mean, y, xerr=[[mean - lo], [hi - mean]], fmt="o",
                            color=VIEW_COLORS[k], capsize=3, label=label)
                ax.annotate(f"{mean:.3g}", (mean, y), xytext=(0, 5), textcoords="offset points",
                            ha="center", fontsize=7, color=VIEW_COLORS[k])
            else:
                ax.text(0.5, y, "not defined in this design", transform=ax.get_yaxis_transform(),
                        va="center", ha="center", fontsize=7, color="0.4")
        ax.axvline(row["threshold"], color="C3", linestyle="--", linewidth=1.2,
                   label=f"claim: >= {row['threshold']:g}")
        ax.text(row["threshold"], len(VIEWS) - 0.45, f" claim >= {row['threshold']:g}",
                color="C3", fontsize=7, va="top")
        ax.set_yticks(ys)
        ax.set_yticklabels(VIEWS, fontsize=8)
        ax.set_ylim(-0.6, len(VIEWS) - 0.4)
        ax.set_xlabel(axis_label(metric, row["unit"]), fontsize=9)
        ax.grid(axis="x", alpha=0.3)
        effect = (f"true effect {row['true_effect']:.3g} %" if metric in PRO_METRICS
                  else f"true slope effect {row['true_effect']:.3g} points/month")
        ax.set_title(f"{row['study']}: clinic {row['clinic']:.3g} vs no therapy "
                     f"{row['no_therapy']:.3g} ({effect})", fontsize=9)

        zero = np.asarray(row["control_values"], dtype=np.float64)
        zero = zero[np.isfinite(zero)]
        if len(zero):
            lo, hi = zero.min(), zero.max()
            bins = np.histogram_bin_edges(zero, bins=25) if hi > lo else [lo - 0.5, hi + 0.5]
            hax.hist(zero, bins=bins, color="0.6", edgecolor="white",
                     label="zero true effect (replicate studies)")
        hax.axvline(row["threshold"], color="C3", linestyle="--", linewidth=1.2,
                    label=f"claim: >= {row['threshold']:g}")
        if np.isfinite(row["clinic"]):
            hax.axvline(row["clinic"], color="C0", linewidth=2,
                        label=f"clinic's figure (mean) {row['clinic']:.3g}")
        hax.set_xlabel(axis_label(metric, row["unit"]), fontsize=9)
        hax.set_ylabel("replicate studies (count)", fontsize=9)
        hax.set_title(f"P(claim | zero effect) = {row['p_zero']:.2f} of {len(zero)} studies",
                      fontsize=9)
        hax.set_ylim(0, hax.get_ylim()[1] * 1.6)  # room for the legend above the bars
        hax.legend(fontsize=7, loc="upper right", framealpha=0.9)
    fig.suptitle("What the clinic reports, what a trial shows, and the truth (same patients)")
    add_caption(fig, caption_text(
        f, f"Left: each claim metric over {claims[0]['replicates']} replicate studies (dot: mean; "
           f"bar: 2.5-97.5 % of replicates) as the clinic computes it, on the same patients "
           f"without the therapy, and in the arms of the randomized trial "
           f"({rct['study'] if rct else 'none in this file'}). Right: the metric's distribution "
           f"with zero true effect; dashed: the claimed threshold."))
    return fig


def main(argv=None):
    """CLI: plot_claims.py IN.h5 -o OUT.png."""
    return run_cli(__doc__.splitlines()[0], lambda f, a: figure(f), None, argv)


if __name__ == "__main__":
    sys.exit(main())
