#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""plot_survival — Kaplan–Meier survival curves with 95 % Greenwood bands.

Design.  Two views of one result file, chosen by what the file holds:

- Cohort (no study records): survival of every patient from onset and from
  diagnosis (t_end, event = died), or, with --by COLUMN, from onset by the
  codes of a flag column (onset_region, phenotype, genotype, male).
- Studies (the config had `studies` and output.summary_only = false): one
  panel per study, pooled over its replicate studies, time from the study's
  survival origin: the observed treated arm, the randomized control arm
  (rct), the same treated patients without the therapy (the engine simulates
  both arms of every patient: the truth the clinic cannot see), and the
  population reference the file holds: the whole simulated cohort from
  diagnosis, and for a survival claim (C5) the clinic's expected median.

    plot_survival.py IN.h5 -o OUT.png [--by onset_region] [--view cohort|studies]
"""
import sys

import numpy as np

from mndsim_figure import add_caption, caption_text, new_figure, run_cli
from mndsim_km import kaplan_meier, km_median
from mndsim_read import (ResultFileError, column, flag_meanings, require, study_names,
                         study_records)

BAND_ALPHA = 0.18


def draw_km(ax, fit, label, color, linestyle="-", band=True):
    """Draws one Kaplan–Meier step curve (survival in %) with its band on
    `ax`; the legend label gets the median.  Returns the Line2D."""
    median = km_median(fit)
    med = "not reached" if np.isnan(median) else f"{median:.1f} mo"
    (line,) = ax.step(fit["time"], 100 * fit["survival"], where="post", color=color,
                      linestyle=linestyle, label=f"{label} (n={fit['n']}, median {med})")
    if band:
        ax.fill_between(fit["time"], 100 * np.nan_to_num(fit["lower"]),
                        100 * np.nan_to_num(fit["upper"]), step="post", color=color,
                        alpha=BAND_ALPHA, linewidth=0)
    return line


def style_axes(ax, xlabel):
    """Axis labels with units, 0-100 % range, grid, legend."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel("survival (%)")
    ax.set_ylim(0, 102)
    ax.set_xlim(left=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper right")


def cohort_figure(f, by=None):
    """Survival of the whole cohort: from onset and from diagnosis, or from
    onset by the codes of the flag column `by`.  Returns the Figure."""
    require(f, "t_end", "died", "t_diagnosis", needed_for="the survival figure")
    t_end, died, t_dx = column(f, "t_end"), column(f, "died"), column(f, "t_diagnosis")
    fig, ax = new_figure(8, 5.2)
    colors = ["C0", "C1", "C2", "C3", "C4", "C5", "C6"]
    if by is None:
        draw_km(ax, kaplan_meier(t_end, died), "from onset", "C0")
        draw_km(ax, kaplan_meier(t_end - t_dx, died), "from diagnosis", "C1")
        xlabel, what = "months since onset or diagnosis", "from onset and from diagnosis"
    else:
        require(f, by, needed_for=f"survival by {by}")
        codes, names = column(f, by), flag_meanings(f, by)
        for code, name in enumerate(names):
            rows = codes == code
            if rows.any():
                draw_km(ax, kaplan_meier(t_end[rows], died[rows]), name,
                        colors[code % len(colors)])
        xlabel, what = "months since onset", f"from onset by {by}"
    style_axes(ax, xlabel)
    ax.set_title(f"Kaplan–Meier survival {what}")
    add_caption(fig, caption_text(
        f, f"Kaplan–Meier survival {what} (death of any cause; alive at the end of "
           f"follow-up censored), shaded: 95 % Greenwood confidence band."))
    return fig


def studies_figure(f):
    """One panel per study with patient records: treated, control, the same
    patients without therapy, population references.  Returns the Figure."""
    studies = [s for s in study_names(f) if f"studies/{s}/t_event" in f]
    if not studies:
        raise ResultFileError(
            f"{f.filename}: has no /studies/<name>/t_event, needed for survival by study; "
            "run the studies with --set output.summary_only=false")
    population = None
    if all(k in f for k in ("t_end", "died", "t_diagnosis")):
        population = kaplan_meier(column(f, "t_end") - column(f, "t_diagnosis"),
                                  column(f, "died"))
    ncols = min(3, len(studies))
    nrows = (len(studies) + ncols - 1) // ncols
    fig, axes = new_figure(5.0 * ncols, 4.0 * nrows + 0.8, nrows, ncols, squeeze=False)
    for ax in axes.flat[len(studies):]:
        ax.set_visible(False)
    for ax, study in zip(axes.flat, studies):
        attrs = dict(f[f"studies/{study}"].attrs)
        rec = study_records(f, study)
        treated, control = rec["arm"] == 1, rec["arm"] == 0
        draw_km(ax, kaplan_meier(rec["t_event"][treated], rec["event"][treated]),
                "treated", "C0")
        if control.any():
            draw_km(ax, kaplan_meier(rec["t_event"][control], rec["event"][control]),
                    "control (randomized)", "C1")
        draw_km(ax, kaplan_meier(rec["t_event_counterfactual"][treated],
                                 rec["event_counterfactual"][treated]),
                "same patients, no therapy (truth)", "black", linestyle="--", band=False)
        # the first patient enrolled is followed through the accrual too
        horizon = float(attrs["follow_up_months"]) + float(attrs.get("accrual_months", 0.0))
        if population is not None:
            draw_km(ax, population, "population, from diagnosis", "0.5", linestyle=":",
                    band=False)
        if _text(attrs.get("claim_metric")) == "survival_gain":
            expected = float(attrs["expected_survival_months"])
            ax.axvline(expected, color="C3", linewidth=1,
                       label=f"clinic's expected median ({expected:g} mo)")
            ax.axhline(50, color="C3", linewidth=0.6, alpha=0.5)
        origin = _text(attrs["survival_from"])
        style_axes(ax, f"months since {origin}")
        ax.set_xlim(0, horizon)
        ax.set_title(f"{study}: {_text(attrs['design'])}, survival from {origin}", fontsize=10)
    replicates = len(f[f"studies/{studies[0]}/replicate"])
    fig.suptitle("Survival in each study design, pooled over replicate studies")
    add_caption(fig, caption_text(
        f, f"Kaplan–Meier survival (death or tracheostomy) of each study's patients pooled over "
           f"{replicates} replicate studies, 95 % Greenwood bands; dashed: the same treated "
           f"patients simulated without the therapy; dotted: the whole simulated population "
           f"from diagnosis."))
    return fig


def figure(f, view=None, by=None):
    """The survival figure of result file `f`: view "studies" when the file
    holds study patient records (or view="studies"), else "cohort" (see
    cohort_figure).  Returns the matplotlib Figure."""
    if view is None:
        view = "studies" if any(f"studies/{s}/t_event" in f for s in study_names(f)) else "cohort"
    return studies_figure(f) if view == "studies" else cohort_figure(f, by)


def _text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def main(argv=None):
    """CLI: plot_survival.py IN.h5 -o OUT.png [--view cohort|studies] [--by COLUMN]."""
    def options(p):
        p.add_argument("--view", choices=("cohort", "studies"),
                       help="default: studies when the file has study records")
        p.add_argument("--by", help="cohort view: split by this flag column, e.g. onset_region")
    return run_cli(__doc__.splitlines()[0], lambda f, a: figure(f, a.view, a.by), options, argv)


if __name__ == "__main__":
    sys.exit(main())
