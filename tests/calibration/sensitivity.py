#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""sensitivity — how the calibration figures move when natural-history defaults change.

Design.  build/tests/test_calibration runs the default configs from
`configs/` in its working directory and prints one line per figure.  For
each set of changes given, this tool copies `configs/` into a temporary
directory, rewrites the changed keys in natural_history.cfg and
population.cfg (each key must occur exactly once in the two files, as
`key = value;`), runs the calibration there and prints one row of the
figures that bound the edaravone MCI186-19 placebo decline: survival,
ΔFS, the trial-like slope, the Weibull shape and the placebo decline,
with the ratio of that decline to the trial-like slope.  The changes are
not checked against anything: the point is to see which defaults move
which figures, at the fixed seeds of the calibration test.

Usage (from the project root, after `make build/tests/test_calibration`):
    /usr/bin/python3 tests/calibration/sensitivity.py "" "onset_rate_ratio=2.0" \
        "spread_delay_months=2.0 region_rate_sd_log=0.8"
The empty set is the defaults.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

FILES = ("natural_history.cfg", "population.cfg")
# label prefix of a test_calibration line -> column name
FIGURES = (
    ("median survival from onset", "surv onset"),
    ("median survival from diagnosis", "surv dx"),
    ("5-year survival from onset", "5y surv"),
    ("ΔFS at first visit, 75th percentile", "ΔFS p75"),
    ("mean ALSFRS-R slope", "slope"),
    ("Weibull shape", "Weibull"),
    ("baseline ALSFRS-R", "MCI base"),
    ("ΔFS at randomisation", "MCI ΔFS"),
    ("placebo decline in 24 weeks", "placebo"),
)


def rewrite(text, key, value):
    """`text` with `key = ...;` set to `value`, and how many lines matched."""
    return re.subn(r"(^\s*%s\s*=\s*)[^;]+;" % re.escape(key), lambda m: f"{m.group(1)}{value};",
                   text, flags=re.M)


def figures(calibration, configs, changes):
    """The figures of test_calibration run on `configs` with `changes` applied."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(configs, os.path.join(tmp, "configs"))
        texts = {}
        for f in FILES:
            with open(os.path.join(configs, f)) as source:
                texts[f] = source.read()
        for item in changes.split():
            key, value = item.split("=", 1)
            found = 0
            for f in FILES:
                texts[f], n = rewrite(texts[f], key, value)
                found += n
            if found != 1:
                sys.exit(f"sensitivity: {key} occurs {found} times in {', '.join(FILES)}, not once")
        for f in FILES:
            with open(os.path.join(tmp, "configs", f), "w") as out:
                out.write(texts[f])
        run = subprocess.run([calibration], cwd=tmp, capture_output=True, text=True)
    values = {}
    for line in run.stdout.splitlines():
        # "  label (unit)      value  [range]  source": columns apart by 2+ spaces
        parts = re.split(r"\s{2,}", line.strip())
        for prefix, name in FIGURES:
            if len(parts) > 1 and parts[0].startswith(prefix):
                values[name] = float(parts[1])
    if not values:
        sys.exit(f"sensitivity: test_calibration printed no figures with {changes!r}:\n"
                 + (run.stdout + run.stderr)[-2000:])
    return values


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    calibration = os.path.join(root, "build", "tests", "test_calibration")
    sets = sys.argv[1:] or [""]
    names = [name for _, name in FIGURES]
    print("| changes | " + " | ".join(names) + " | placebo / −slope |")
    print("|---" * (len(names) + 2) + "|")
    for changes in sets:
        v = figures(calibration, os.path.join(root, "configs"), changes)
        cells = [f"{v[n]:.3g}" if n in v else "?" for n in names]
        ratio = v["placebo"] / -v["slope"] if "placebo" in v and "slope" in v else float("nan")
        print(f"| {changes or 'defaults'} | " + " | ".join(cells) + f" | {ratio:.2f} |")


if __name__ == "__main__":
    main()
