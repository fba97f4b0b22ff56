#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""make_report — one self-contained HTML report of an mndsim run.

Design.  Runs `mndsim run CONFIG` (or reads an existing result with --h5),
draws the standard figures with the plot_* modules and writes ONE HTML file
with everything inside it: the figures as base64 PNG data URIs, the style
sheet inline, no script and no reference to anything outside the file, so it
can be mailed or opened offline.  The flavour follows the file:

- natural history (no studies): headline table = `mndsim info` (the
  engine's own survival, slope and stage figures), then survival, ALSFRS-R,
  FVC, stage occupancy, one patient's motor-neuron pools and, with
  interventions, the exposure timeline;
- claims audit (the file has /analysis): headline table = the claims table
  (mndsim_claims, the same numbers as `mndsim claims`), then the claims
  panel, survival by study design and the exposure timeline.

A figure whose data the file lacks is listed as not drawn, with the reason.
The run adds `--set output.summary_only=false`, which changes only what is
written (the study patient records that survival by study needs), never
what is simulated.  The HTML is written to OUT.tmp.<pid> and renamed.

    make_report.py CONFIG -o results/NAME.html [--mndsim build/mndsim] [--set k=v ...]
    make_report.py --h5 RESULT.h5 -o OUT.html [--mndsim build/mndsim]
"""
import argparse
import base64
import html
import io
import os
import re
import subprocess
import sys

from mndsim_claims import CLAIM_LABELS, claims_table
from mndsim_figure import plt
from mndsim_read import ResultFileError, open_result, provenance
import plot_alsfrs
import plot_claims
import plot_exposure
import plot_fvc
import plot_neurons
import plot_stages
import plot_survival

STYLE = """
body { font-family: sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: right; }
th { background: #eee; } td.l, th.l { text-align: left; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; }
figcaption { font-size: 0.85em; color: #444; }
pre { background: #f6f6f6; padding: 0.6em; overflow-x: auto; font-size: 0.8em; }
.note { color: #555; font-size: 0.9em; }
"""

# (title, function(f) -> Figure) per flavour, in report order.
NATURAL_HISTORY = (
    ("Survival", lambda f: plot_survival.figure(f, view="cohort")),
    ("ALSFRS-R trajectories and domains", plot_alsfrs.figure),
    ("Forced vital capacity", plot_fvc.figure),
    ("King's and MiToS stage occupancy", plot_stages.figure),
    ("One patient's motor-neuron pools", plot_neurons.figure),
    ("Intervention exposure and adverse events", plot_exposure.figure),
)
CLAIMS_AUDIT = (
    ("Claims: clinic view, trial view, truth", plot_claims.figure),
    ("Survival by study design", lambda f: plot_survival.figure(f, view="studies")),
    ("Intervention exposure and adverse events", plot_exposure.figure),
)


def png_data_uri(fig):
    """The Figure as a data:image/png;base64 URI (the figure is closed)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def info_table(mndsim, h5_path):
    """`mndsim info` of the file as HTML table rows (label, value): the
    engine's headline figures.  Raises RuntimeError if mndsim fails."""
    p = subprocess.run([mndsim, "info", h5_path], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError(f"{mndsim} info {h5_path} failed: {p.stderr.strip()}")
    rows = []
    for line in p.stdout.splitlines()[1:]:
        if not line.strip():
            continue
        if re.match(r"\s{8,}", line):  # a continuation line (e.g. the MiToS medians)
            rows.append(["", line.strip()])
            continue
        parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        rows.append(parts if len(parts) == 2 else ["", parts[0]])
    body = "".join(f"<tr><td class='l'>{html.escape(a)}</td><td class='l'>{html.escape(b)}</td></tr>"
                   for a, b in rows)
    return f"<table class='headline'><tr><th class='l'>figure</th><th class='l'>value</th></tr>{body}</table>"


def claims_html(f):
    """The claims table of `f` as an HTML table, columns as `mndsim claims`."""
    head = ("<tr><th class='l'>study</th><th class='l'>claim</th><th class='l'>metric</th>"
            "<th>claim &ge;</th><th>clinic</th><th>no therapy</th><th>true effect "
            "(points/month)</th><th>P(claim)</th><th>P(claim | zero effect)</th></tr>")
    body = []
    for r in claims_table(f):
        claim = CLAIM_LABELS.get(r["metric"], ("", ""))[0]
        body.append(
            f"<tr><td class='l'>{html.escape(r['study'])} ({html.escape(r['design'])})</td>"
            f"<td class='l'>{claim}</td><td class='l'>{html.escape(r['metric'])} "
            f"[{html.escape(r['unit'])}]</td><td>{r['threshold']:.4g}</td>"
            f"<td>{r['clinic']:.4g}</td><td>{r['no_therapy']:.4g}</td>"
            f"<td>{r['true_effect']:.4g}</td><td>{r['p_claim']:.3f}</td><td>{r['p_zero']:.3f}</td></tr>")
    note = ("<p class='note'>clinic: the claimed metric as the clinic computes it, mean over "
            "replicate studies; no therapy: the same metric in the randomized control arm (rct) "
            "or on the same patients given a sham (uncontrolled designs); true effect: mean of "
            "each patient's treated minus untreated ALSFRS-R slope; P(claim): share of replicate "
            "studies reaching the claim with the simulated therapy; P(claim | zero effect): the "
            "same with zero true effect.</p>")
    return f"<table class='headline'>{head}{''.join(body)}</table>{note}"


def render(f, mndsim):
    """The whole HTML document for the open result file `f` (str)."""
    prov = provenance(f)
    is_audit = "analysis" in f
    flavour = "Claims audit" if is_audit else "Natural history"
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>mndsim report: {html.escape(prov['config_path'])}</title>"
             f"<style>{STYLE}</style></head><body>",
             f"<h1>mndsim report — {flavour}: {html.escape(prov['config_path'])}</h1>"]
    sets = ", ".join(prov["overrides"]) or "none"
    parts.append(
        f"<p class='note'>Seed {prov['seed']}; overrides: {html.escape(sets)}; "
        f"{prov['n_patients']} patients x {prov['n_replicates']} replicates; visits from "
        f"{html.escape(prov['visit_origin'])}; mndsim {html.escape(prov['engine_version'])} "
        f"(commit {html.escape(prov['git_commit'][:12])}); file "
        f"{html.escape(os.path.basename(prov['file']))}.</p>")
    parts.append("<h2>Headline figures</h2>")
    parts.append(claims_html(f) if is_audit else info_table(mndsim, f.filename))
    skipped = []
    for title, draw in (CLAIMS_AUDIT if is_audit else NATURAL_HISTORY):
        try:
            fig = draw(f)
        except ResultFileError as e:
            skipped.append((title, str(e)))
            continue
        caption = fig.texts[-1].get_text().replace("\n", " ") if fig.texts else ""
        parts.append(f"<h2>{html.escape(title)}</h2><figure><img alt='{html.escape(title)}' "
                     f"src='{png_data_uri(fig)}'><figcaption>{html.escape(caption)}"
                     f"</figcaption></figure>")
    if skipped:
        items = "".join(f"<li>{html.escape(t)}: {html.escape(why)}</li>" for t, why in skipped)
        parts.append(f"<h2>Figures not drawn</h2><ul class='note'>{items}</ul>")
    config = f["config_text"].asstr()[()] if "config_text" in f else ""
    parts.append(f"<h2>Resolved configuration</h2><details><summary>config_text of the run"
                 f"</summary><pre>{html.escape(config)}</pre></details></body></html>\n")
    return "".join(parts)


def write_atomically(path, text):
    """Writes `text` to `path` through `path`.tmp.<pid>, renamed at the end."""
    tmp = f"{path}.tmp.{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def main(argv=None):
    """CLI (see the module docstring).  Returns 0, or 2 when the run or the
    input fails (message on stderr; no report is written then)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", nargs="?", help="config to run (omit with --h5)")
    parser.add_argument("-o", "--output", required=True, help="HTML file to write")
    parser.add_argument("--h5", help="report on this existing result file instead of running")
    parser.add_argument("--mndsim", default="build/mndsim", help="the engine (build/mndsim)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override passed to `mndsim run` (repeatable)")
    args = parser.parse_args(argv)
    if (args.config is None) == (args.h5 is None):
        parser.error("give either CONFIG or --h5 RESULT.h5")
    h5 = args.h5
    try:
        if h5 is None:
            h5 = os.path.splitext(args.output)[0] + ".h5"
            cmd = [args.mndsim, "run", args.config, "-o", h5, "--quiet",
                   "--set", "output.summary_only=false"]
            for s in args.set:
                cmd += ["--set", s]
            print("$ " + " ".join(cmd), file=sys.stderr)
            if subprocess.run(cmd).returncode != 0:
                raise RuntimeError(f"`{' '.join(cmd)}` failed")
        with open_result(h5) as f:
            text = render(f, args.mndsim)
        write_atomically(args.output, text)
    except (ResultFileError, RuntimeError, OSError) as e:
        print(f"make_report.py: error: {e}", file=sys.stderr)
        return 2
    print(f"make_report.py: wrote {args.output} (from {h5})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
