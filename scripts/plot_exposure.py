#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""plot_exposure — intervention exposure and adverse events, patient by patient.

Design.  Left, a swimmer plot of the first --patients treated patients (any
intervention with exposure_status = treated): a grey line from onset to the
end of the record, a coloured bar per intervention from exposure_start to
the exposure actually observed, min(exposure_stop, t_end) (the schema: the
stop is the planned end and may lie after death), a marker at each adverse
event of /adverse_events by type, a cross at death.  Right, the number of
adverse events of the whole file by type and intervention.  Time is months
since onset.

    plot_exposure.py IN.h5 -o OUT.png [--patients 25]
"""
import sys

import numpy as np

from mndsim_figure import add_caption, caption_text, new_figure, run_cli
from mndsim_read import ResultFileError, column, interventions

TREATED = 3  # exposure_status code (schema: 0 not_reached 1 ineligible 2 declined 3 treated)
AE_MARKERS = ("v", "X", "D", "s", "*", "P", "h")


def figure(f, n_patients=25):
    """Exposure and adverse-event figure of result file `f` (needs the
    interventions of the run).  Returns the Figure."""
    iv = interventions(f)
    t_end, t_death = column(f, "t_end"), column(f, "t_death")
    treated_any = np.any(iv["status"] == TREATED, axis=1)
    rows = np.nonzero(treated_any)[0][:n_patients]
    if len(rows) == 0:
        raise ResultFileError(f"{f.filename}: no patient was treated by any intervention "
                              f"({', '.join(iv['names'])}); nothing to draw")
    ae = iv["ae"]
    fig, (ax, bax) = new_figure(13, 0.22 * len(rows) + 3.2, 1, 2,
                                gridspec_kw={"width_ratios": [2.3, 1]})
    n_iv = len(iv["names"])
    height = 0.6 / n_iv
    for y, row in enumerate(rows):
        ax.plot([0, t_end[row]], [y, y], color="0.75", linewidth=1, zorder=1)
        for j in range(n_iv):
            if iv["status"][row, j] != TREATED:
                continue
            start = iv["start"][row, j]
            stop = min(iv["stop"][row, j], t_end[row])
            ax.barh(y - 0.3 + height * (j + 0.5), stop - start, left=start, height=height,
                    color=f"C{j}", alpha=0.8, zorder=2,
                    label=f"{iv['names'][j]} exposure" if y == 0 else "_nolegend_")
        if np.isfinite(t_death[row]):
            ax.plot(t_death[row], y, marker="x", color="black", markersize=6, zorder=4,
                    linestyle="none", label="death")
    seen = set()
    for k in np.nonzero(np.isin(ae["row"], rows))[0]:
        y = int(np.searchsorted(rows, ae["row"][k]))
        kind = int(ae["type"][k])
        name = iv["ae_type_names"][kind]
        ax.plot(ae["time"][k], y, marker=AE_MARKERS[kind % len(AE_MARKERS)], color="C3",
                markersize=6, linestyle="none", zorder=5,
                label=f"adverse event: {name}" if name not in seen else "_nolegend_")
        seen.add(name)
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), fontsize=7, loc="lower right")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([str(r) for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(left=0)
    ax.set_xlabel("months since onset")
    ax.set_ylabel("patient (output row)")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"Exposure of the first {len(rows)} treated patients")

    types = iv["ae_type_names"]
    bottom = np.zeros(len(types))
    for j, name in enumerate(iv["names"]):
        mine = ae["intervention_index"] == j
        counts = np.bincount(ae["type"][mine].astype(int), minlength=len(types))[:len(types)]
        bax.barh(types, counts, left=bottom, color=f"C{j}", label=name)
        bottom += counts
    for y, c in enumerate(bottom):
        bax.text(c, y, f" {int(c)}", va="center", fontsize=8)
    bax.set_xlabel("adverse events (count, whole file)")
    bax.set_ylabel("adverse event type")
    bax.invert_yaxis()
    bax.set_xlim(0, max(1.0, bottom.max()) * 1.2)
    bax.legend(fontsize=7, loc="lower right")
    bax.set_title(f"{len(ae['time'])} adverse events in {int(treated_any.sum())} treated patients")
    add_caption(fig, caption_text(
        f, "Left: exposure (bars: start to the planned stop or the end of the record) and adverse "
           "events (markers, by type) of treated patients, months since onset. Right: adverse "
           "events of all patients by type, stacked by intervention."))
    return fig


def main(argv=None):
    """CLI: plot_exposure.py IN.h5 -o OUT.png [--patients N]."""
    def options(p):
        p.add_argument("--patients", type=int, default=25, help="treated patients drawn (25)")
    return run_cli(__doc__.splitlines()[0], lambda f, a: figure(f, a.patients), options, argv)


if __name__ == "__main__":
    sys.exit(main())
