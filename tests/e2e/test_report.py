# SPDX-License-Identifier: GPL-3.0-or-later
"""The HTML report (scripts/make_report.py, `make report`).

The report must be one self-contained file: no src or href that would fetch
anything over the network, every image embedded as a data URI, and the
headline table of its flavour (the `mndsim info` figures for natural history,
the claims table for the claims audit).
"""
import re
import subprocess

from conftest import REPO, mndsim_path, run_ok

PYTHON = "/usr/bin/python3"


def make_report(*args):
    p = subprocess.run([PYTHON, str(REPO / "scripts" / "make_report.py"), *map(str, args),
                        "--mndsim", mndsim_path()], capture_output=True, text=True,
                       cwd=REPO, timeout=300)
    assert p.returncode == 0, p.stderr
    return p


def assert_self_contained(text):
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:|//)""", text, re.I)
    assert not re.search(r"<(script|link|iframe)\b", text, re.I)
    assert "@import" not in text and "url(" not in text
    images = re.findall(r"<img [^>]*src='([^']*)'", text)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    return images


def test_natural_history_report_runs_the_config(tmp_path):
    out = tmp_path / "nh.html"
    make_report("configs/default.cfg", "-o", out, "--set", "simulation.n_patients=150")
    text = out.read_text()
    images = assert_self_contained(text)
    assert len(images) == 5          # survival, ALSFRS-R, FVC, stages, neuron pools
    assert (tmp_path / "nh.h5").exists()
    headline = text.split("<table class='headline'>")[1].split("</table>")[0]
    info = run_ok("info", tmp_path / "nh.h5").stdout
    median = re.search(r"median survival from onset\s+(\S+ months)", info).group(1)
    assert f"<td class='l'>median survival from onset</td><td class='l'>{median}</td>" in headline
    assert "Intervention exposure and adverse events: " in text    # listed as not drawn
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nh.h5", "nh.html"]


def test_claims_report_has_the_claims_table(plot_claims_run, tmp_path):
    out = tmp_path / "audit.html"
    make_report("--h5", plot_claims_run.path, "-o", out)
    text = out.read_text()
    images = assert_self_contained(text)
    assert len(images) == 2          # claims panel, survival by study
    # the cohort of the audit is not treated (only the study arms are), so the
    # exposure timeline is listed as not drawn
    assert "no patient was treated by any intervention" in text
    headline = text.split("<table class='headline'>")[1].split("</table>")[0]
    claims = run_ok("claims", plot_claims_run.path).stdout.splitlines()[1:7]
    for line in claims:
        study, metric, threshold, clinic, control, effect, p, p0 = line.split()
        row = re.search(rf"<tr><td class='l'>{study} \([a-z_]+\)</td>.*?</tr>", headline).group(0)
        cells = re.findall(r"<td>([^<]*)</td>", row)
        assert [float(c) for c in cells] == [float(threshold), float(clinic), float(control),
                                             float(effect), float(p), float(p0)], row
        assert f"{metric} [" in row


def test_report_of_a_missing_file_fails_cleanly(tmp_path):
    p = subprocess.run([PYTHON, str(REPO / "scripts" / "make_report.py"), "--h5",
                        str(tmp_path / "none.h5"), "-o", str(tmp_path / "r.html")],
                       capture_output=True, text=True, cwd=REPO)
    assert p.returncode == 2
    assert p.stderr == f"make_report.py: error: {tmp_path / 'none.h5'}: no such file\n"
    assert list(tmp_path.iterdir()) == []
