#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""plot_stages — King's and MiToS stage occupancy over time.

Design.  At each scheduled visit from the visit origin, every patient of the
file is in one state: the stage measured at that visit, "died" (death
before the visit; King's and MiToS count death as stage 5), or "no longer
followed" (alive but the record ended: end of follow-up).  The stacked
shares sum to 100 % of the cohort at every visit, so the figure shows how
the cohort moves through the stages rather than the survivors alone.

    plot_stages.py IN.h5 -o OUT.png
"""
import sys

import numpy as np

from mndsim_figure import add_caption, caption_text, new_figure, run_cli
from mndsim_read import column, origin_months, require, trajectory, visit_months

STAGES = {"kings_stage": ("King's", range(1, 5)), "mitos_stage": ("MiToS", range(0, 5))}


def occupancy(stage, t_visit_since_onset, t_death):
    """Share (%) of patients per state at each visit.

    stage: (patients, T) with NaN where no visit; t_visit_since_onset:
    (patients, T) scheduled visit times since onset; t_death: (patients,)
    NaN when alive.  Returns {state label: (T,) %}; states are the stage
    codes present in `stage` (as str), "died" and "no longer followed"."""
    n = stage.shape[0]
    out = {}
    for code in np.unique(stage[np.isfinite(stage)]).astype(int):
        out[str(code)] = 100 * np.sum(stage == code, axis=0) / n
    died = ~np.isfinite(stage) & (t_death[:, None] <= t_visit_since_onset)
    out["died"] = 100 * np.sum(died, axis=0) / n
    out["no longer followed"] = 100 * np.sum(~np.isfinite(stage) & ~died, axis=0) / n
    return out


def figure(f):
    """Stage-occupancy figure of result file `f`: one panel for each of
    kings_stage and mitos_stage that is stored.  Returns the Figure."""
    present = [name for name in STAGES if name in f]
    if not present:
        require(f, "kings_stage", needed_for="the stage-occupancy figure")
    require(f, "t_death", needed_for="the stage-occupancy figure")
    x, origin = visit_months(f)
    t_visit = origin_months(f)[:, None] + x[None, :]
    t_death = column(f, "t_death")
    fig, axes = new_figure(6.2 * len(present), 5.2, 1, len(present), squeeze=False)
    for ax, name in zip(axes.flat, present):
        label, codes = STAGES[name]
        shares = occupancy(trajectory(f, name), t_visit, t_death)
        layers, names, colors = [], [], []
        cmap = [f"C{k}" for k in (2, 8, 1, 3, 4)]
        for k, code in enumerate(codes):
            layers.append(shares.get(str(code), np.zeros(len(x))))
            names.append(f"{label} {code}")
            colors.append(cmap[k % len(cmap)])
        layers += [shares["died"], shares["no longer followed"]]
        names += ["died", "no longer followed (end of follow-up)"]
        colors += ["0.25", "0.85"]
        ax.stackplot(x, *layers, labels=names, colors=colors, step="post")
        ax.set_xlabel(f"months since {origin}")
        ax.set_ylabel("share of the cohort (%)")
        ax.set_xlim(0, x[-1])
        ax.set_ylim(0, 100)
        ax.legend(fontsize=8, loc="upper right", framealpha=0.9)
        ax.set_title(f"{label} stage occupancy")
    add_caption(fig, caption_text(
        f, f"Share of all patients in each stage at each scheduled visit from {origin}; 'died': "
           f"death before the visit (stage 5 in both systems); 'no longer followed': alive, "
           f"record ended."))
    return fig


def main(argv=None):
    """CLI: plot_stages.py IN.h5 -o OUT.png."""
    return run_cli(__doc__.splitlines()[0], lambda f, a: figure(f), None, argv)


if __name__ == "__main__":
    sys.exit(main())
