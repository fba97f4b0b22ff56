# SPDX-License-Identifier: GPL-3.0-or-later
"""mndsim_figure — what every plotting script shares: the Agg backend, the
caption that names the run, atomic saving and the command line.

Design.  Each plot_*.py module has one function `figure(f, ...)` that takes
an open result file (mndsim_read.open_result) and returns a matplotlib
Figure, so tests and the report inspect the objects, and a `main()` that is
`run_cli` with that function.  run_cli turns every ResultFileError into one
line on stderr naming the file and what is missing, exit status 2, and
writes the image to OUT.tmp.<pid> first, renaming it to OUT only when the
image is complete, so no half-written file ever carries the final name.
"""
import argparse
import os
import sys
import textwrap

import numpy as np

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display, no GUI toolkit
import matplotlib.pyplot as plt  # noqa: E402  (backend first)

from mndsim_read import ResultFileError, open_result, provenance  # noqa: E402

CAPTION_WIDTH = 130  # characters per caption line at the default figure widths


def caption_text(f, what):
    """One caption for a figure of result file `f`: `what` it shows, then
    the config, seed, overrides and engine version that made the file."""
    p = provenance(f)
    sets = f"; --set {', '.join(p['overrides'])}" if p["overrides"] else ""
    return (f"{what} Source: {os.path.basename(p['file'])} from {p['config_path']}, "
            f"seed {p['seed']}{sets}; {p['n_patients']} patients x {p['n_replicates']} "
            f"replicates; mndsim {p['engine_version']} ({p['git_commit'][:10]}).")


def add_caption(fig, text):
    """Writes `text` wrapped under the axes of `fig` and lays the axes out
    above it (tight_layout), leaving room for a suptitle if there is one.

    Call once, after everything else is drawn; the caption is fig.texts[-1]."""
    lines = textwrap.wrap(text, CAPTION_WIDTH)
    height = fig.get_figheight()
    caption_frac = (0.12 + 0.15 * len(lines)) / height  # inches -> figure fraction
    top = 1 - 0.45 / height if fig._suptitle is not None else 1
    fig.tight_layout(rect=(0, caption_frac, 1, top))
    fig.text(0.01, 0.01, "\n".join(lines), ha="left", va="bottom", fontsize=8, color="0.25")


def new_figure(width_in, height_in, nrows=1, ncols=1, **kw):
    """A Figure with an nrows x ncols grid of axes (pyplot.subplots), sized in
    inches, with the house font sizes."""
    fig, axes = plt.subplots(nrows, ncols, figsize=(width_in, height_in), **kw)
    return fig, axes


def save_figure(fig, out_path, dpi=110):
    """Saves `fig` to `out_path` (format from its extension, PNG or SVG),
    through a temporary file renamed at the end, then closes the figure."""
    fmt = os.path.splitext(out_path)[1].lstrip(".").lower() or "png"
    tmp = f"{out_path}.tmp.{os.getpid()}"
    try:
        fig.savefig(tmp, format=fmt, dpi=dpi)
        os.replace(tmp, out_path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
        plt.close(fig)


def run_cli(description, make_figure, add_arguments=None, argv=None):
    """Command line of a plotting script: `script IN.h5 -o OUT.png [options]`.

    make_figure(f, args) -> Figure draws from the open file `f`;
    add_arguments(parser) adds the script's own options.  Returns the exit
    status: 0 on success, 2 when the input lacks what the figure needs or
    the output cannot be written (message on stderr)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("input", help="result file written by `mndsim run`")
    parser.add_argument("-o", "--output", required=True, help="image to write (.png or .svg)")
    if add_arguments:
        add_arguments(parser)
    args = parser.parse_args(argv)
    prog = os.path.basename(sys.argv[0]) if argv is None else parser.prog
    try:
        with open_result(args.input) as f:
            fig = make_figure(f, args)
        save_figure(fig, args.output)
    except ResultFileError as e:
        print(f"{prog}: error: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"{prog}: error: {args.output}: {e.strerror or e}", file=sys.stderr)
        return 2
    return 0


MIN_PATIENTS = 10  # fewest patients still visited for a mean or a band to be drawn


def draw_individuals_and_band(ax, x, values, n_lines, color, label, min_patients=MIN_PATIENTS):
    """Draws a trajectory figure's core on `ax`: the first `n_lines` patients
    as thin grey lines, the mean of the patients still visited as a thick
    line and their 25-75 % range as a band, at visits where at least
    `min_patients` are still visited.

    x: (T,) visit times; values: (patients, T) with NaN after the last
    visit.  Returns (individual Line2D list, mean Line2D)."""
    shown = values[:n_lines]
    individuals = []
    for k, row in enumerate(shown):
        (line,) = ax.plot(x, row, color="0.6", linewidth=0.6, alpha=0.7,
                          label="individual patients" if k == 0 else "_nolegend_")
        individuals.append(line)
    counts = np.sum(np.isfinite(values), axis=0)
    enough = counts >= min_patients
    mean = np.full(values.shape[1], np.nan)
    lo, hi = mean.copy(), mean.copy()
    if enough.any():
        sub = values[:, enough]
        mean[enough] = np.nanmean(sub, axis=0)
        lo[enough], hi[enough] = np.nanpercentile(sub, [25, 75], axis=0)
    ax.fill_between(x, lo, hi, color=color, alpha=0.25, linewidth=0,
                    label=f"{label}: 25-75 % of patients visited")
    (mean_line,) = ax.plot(x, mean, color=color, linewidth=2.2,
                           label=f"{label}: mean of patients visited")
    return individuals, mean_line


def band_caption(n_shown):
    """The caption's words for what draw_individuals_and_band draws, with
    `n_shown` individual patients and the default min_patients."""
    return (f"{n_shown} individual patients (grey), the mean and 25-75 % range of the patients "
            f"still visited (shown while at least {MIN_PATIENTS} are)")


def add_lines_option(parser):
    """The --lines option of the scripts that draw_individuals_and_band:
    how many individual patients to draw (30)."""
    parser.add_argument("--lines", type=int, default=30, help="individual patients drawn (30)")


def style_visit_axes(ax, x, origin, ylabel, ylim, title):
    """Labels and limits of a panel over the visit axis: months since
    `origin` from 0 to the last visit x[-1], `ylabel` over `ylim`, a grid
    and the legend (upper right)."""
    ax.set_xlabel(f"months since {origin}")
    ax.set_ylabel(ylabel)
    ax.set_xlim(0, x[-1])
    ax.set_ylim(*ylim)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title(title)
