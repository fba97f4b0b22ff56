#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""plot_alsfrs — ALSFRS-R total over the visits, and the four domain subscores.

Design.  Left: the total score (0-48) of the first --lines patients as thin
lines, with the mean and the 25-75 % range of the patients still visited at
each scheduled visit.  Those are survivors: the mean flattens late because
the fast progressors have died, which is itself one of the biases of the
clinic's claims.  Right (when alsfrs_items is stored): the mean of each
ALSFRS-R domain (bulbar items 1-3, fine motor 4-6, gross motor 7-9,
respiratory 10-12; 0-12 points each).  Time is the scheduled visit time from
the run's visit origin (root attribute visit_origin).

    plot_alsfrs.py IN.h5 -o OUT.png [--lines 30]
"""
import sys

import numpy as np

from mndsim_figure import (MIN_PATIENTS, add_caption, add_lines_option, band_caption, caption_text,
                           draw_individuals_and_band, new_figure, run_cli, style_visit_axes)
from mndsim_read import DOMAINS, require, trajectory, visit_months


def figure(f, n_lines=30):
    """ALSFRS-R figure of result file `f` (needs alsfrs_total; the domain
    panel needs alsfrs_items).  Returns the matplotlib Figure."""
    require(f, "alsfrs_total", needed_for="the ALSFRS-R figure")
    x, origin = visit_months(f)
    total = trajectory(f, "alsfrs_total")
    has_items = "alsfrs_items" in f
    fig, axes = new_figure(12 if has_items else 7.5, 5.2, 1, 2 if has_items else 1, squeeze=False)
    ax = axes[0, 0]
    draw_individuals_and_band(ax, x, total, n_lines, "C0", "total")
    style_visit_axes(ax, x, origin, "ALSFRS-R total (points, 0-48)", (0, 49), "ALSFRS-R total")
    if has_items:
        items = trajectory(f, "alsfrs_items")
        dax = axes[0, 1]
        alive = np.sum(np.isfinite(total), axis=0) >= MIN_PATIENTS
        for k, (name, sl) in enumerate(DOMAINS):
            domain = np.nansum(items[:, :, sl], axis=2)
            domain[~np.isfinite(items[:, :, sl.start])] = np.nan
            mean = np.full(len(x), np.nan)
            mean[alive] = np.nanmean(domain[:, alive], axis=0)
            dax.plot(x, mean, color=f"C{k + 1}", linewidth=2,
                     label=f"{name} (items {sl.start + 1}-{sl.stop})")
        style_visit_axes(dax, x, origin, "domain subscore (points, 0-12), mean of patients visited",
                         (0, 12.5), "ALSFRS-R domains")
    add_caption(fig, caption_text(
        f, f"ALSFRS-R at scheduled visits from {origin}: {band_caption(min(n_lines, len(total)))}; "
           f"late means are of survivors only."))
    return fig


def main(argv=None):
    """CLI: plot_alsfrs.py IN.h5 -o OUT.png [--lines N]."""
    return run_cli(__doc__.splitlines()[0], lambda f, a: figure(f, a.lines), add_lines_option,
                   argv)


if __name__ == "__main__":
    sys.exit(main())
