#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""plot_neurons — one patient's upper and lower motor-neuron pools by region.

Design.  Two panels, upper (UMN) and lower (LMN) motor neurons, one line per
body region (bulbar, cervical, thoracic, lumbar): the surviving fraction at
each visit as stored (umn_fraction, lmn_fraction; output.store "neurons"),
which includes any treatment effect.  Before the first visit the course is
drawn dotted from the closed form the schema gives, exp(-rate x max(0, t -
loss_start)), for an untreated run only (with interventions the closed form
would ignore their effects).  Vertical lines mark the patient's diagnosis,
gastrostomy, NIV, tracheostomy and death; time is months since onset.

    plot_neurons.py IN.h5 -o OUT.png [--patient ROW]
"""
import sys

import numpy as np

from mndsim_figure import add_caption, caption_text, new_figure, run_cli
from mndsim_read import ResultFileError, flag_meanings, require

EVENTS = (("t_diagnosis", "diagnosis", "0.3", "-"), ("t_gastrostomy", "gastrostomy", "C4", "--"),
          ("t_niv", "NIV", "C5", "--"), ("t_tracheostomy", "tracheostomy", "C6", "-."),
          ("t_death", "death", "black", "-"))


def figure(f, row=0):
    """Neuron-pool figure of patient `row` (index along `patient`) of result
    file `f` (needs umn_fraction, lmn_fraction, visit_time).  Returns the
    Figure."""
    require(f, "umn_fraction", "lmn_fraction", "visit_time", "loss_start",
            needed_for="the motor-neuron figure")
    n = len(f["patient"])
    if not 0 <= row < n:
        raise ResultFileError(f"{f.filename}: has no patient row {row} (rows 0..{n - 1})")
    regions = flag_meanings(f, "region")
    t = f["visit_time"][row].astype(np.float64)
    visited = np.isfinite(t)
    closed_form = "intervention" not in f
    fig, axes = new_figure(12, 5.2, 1, 2, sharey=True)
    for ax, pool in zip(axes, ("umn", "lmn")):
        frac = f[f"{pool}_fraction"][row].astype(np.float64)
        rate = f[f"{pool}_rate"][row]
        start = f["loss_start"][row]
        for k, region in enumerate(regions):
            ax.plot(t[visited], 100 * frac[visited, k], color=f"C{k}", linewidth=2,
                    marker="o", markersize=2.5, label=f"{region}")
            if closed_form and visited.any():
                grid = np.linspace(min(0.0, start.min()), t[visited][0], 60)
                ax.plot(grid, 100 * np.exp(-rate[k] * np.maximum(0.0, grid - start[k])),
                        color=f"C{k}", linestyle=":", linewidth=1.3,
                        label="before the first visit (closed form)" if k == 0 else "_nolegend_")
        for name, label, color, style in EVENTS:
            when = float(f[name][row])
            if np.isfinite(when):
                ax.axvline(when, color=color, linestyle=style, linewidth=1,
                           label=f"{label} ({when:.1f} mo)")
        ax.set_xlabel("months since onset")
        ax.set_title(f"{pool.upper()} pools ({'upper' if pool == 'umn' else 'lower'} motor neurons)")
        ax.grid(alpha=0.3)
        ax.set_ylim(0, 103)
        ax.legend(fontsize=7, loc="lower left")
    axes[0].set_ylabel("surviving motor neurons (% of pre-disease pool)")
    onset = flag_meanings(f, "onset_region")[int(f["onset_region"][row])]
    phenotype = flag_meanings(f, "phenotype")[int(f["phenotype"][row])]
    fig.suptitle(f"Patient row {row} (replicate {int(f['replicate'][row])}, id "
                 f"{int(f['patient_id'][row])}): {phenotype}, {onset} onset")
    add_caption(fig, caption_text(
        f, f"Surviving fraction of each region's motor-neuron pool at the visits of one patient "
           f"(row {row}), with the patient's clinical events; months since onset."))
    return fig


def main(argv=None):
    """CLI: plot_neurons.py IN.h5 -o OUT.png [--patient ROW]."""
    def options(p):
        p.add_argument("--patient", type=int, default=0, help="output row of the patient (0)")
    return run_cli(__doc__.splitlines()[0], lambda f, a: figure(f, a.patient), options, argv)


if __name__ == "__main__":
    sys.exit(main())
