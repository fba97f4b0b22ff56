#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""plot_fvc — forced vital capacity (% predicted) over the visits.

Design.  The measured FVC of the first --lines patients as thin lines, with
the mean and 25-75 % range of the patients still visited at each scheduled
visit from the visit origin; a dotted line at 50 % predicted, the usual
threshold for non-invasive ventilation and gastrostomy decisions.  The
measurement carries test-retest noise, which is why single patients can
"improve by 15 %" between two visits (claim C4).

    plot_fvc.py IN.h5 -o OUT.png [--lines 30]
"""
import sys

import numpy as np

from mndsim_figure import (add_caption, add_lines_option, band_caption, caption_text,
                           draw_individuals_and_band, new_figure, run_cli, style_visit_axes)
from mndsim_read import require, trajectory, visit_months


def figure(f, n_lines=30):
    """FVC figure of result file `f` (needs fvc).  Returns the Figure."""
    require(f, "fvc", needed_for="the FVC figure")
    x, origin = visit_months(f)
    fvc = trajectory(f, "fvc")
    fig, ax = new_figure(8, 5.2)
    draw_individuals_and_band(ax, x, fvc, n_lines, "C2", "FVC")
    ax.axhline(50, color="C3", linestyle=":", linewidth=1.2, label="50 % predicted")
    shown = fvc[:n_lines]
    top = np.nanmax(shown) if np.isfinite(shown).any() else 0.0
    style_visit_axes(ax, x, origin, "FVC (% predicted)", (0, max(130.0, float(top) + 5)),
                     "Forced vital capacity")
    add_caption(fig, caption_text(
        f, f"Measured FVC at scheduled visits from {origin}: "
           f"{band_caption(min(n_lines, len(fvc)))}."))
    return fig


def main(argv=None):
    """CLI: plot_fvc.py IN.h5 -o OUT.png [--lines N]."""
    return run_cli(__doc__.splitlines()[0], lambda f, a: figure(f, a.lines), add_lines_option,
                   argv)


if __name__ == "__main__":
    sys.exit(main())
