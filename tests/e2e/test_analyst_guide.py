# SPDX-License-Identifier: GPL-3.0-or-later
"""The reading examples of docs/analyst-guide.md run as written.

Every ```python and ```r block of the guide is extracted and run (Python with
/usr/bin/python3, R with Rscript) on small outputs: the file names the guide
uses (results/guide.h5, results/claims.h5) are replaced by a two-replicate
natural-history run and the small claims audit of the session fixtures.
A block passes when it exits 0; each must print something.
"""
import re
import subprocess

import pytest

from conftest import REPO, have_tool

GUIDE = REPO / "docs" / "analyst-guide.md"


def blocks(language):
    text = GUIDE.read_text()
    return re.findall(rf"```{language}\n(.*?)```", text, re.S)


def substitute(code, replicates_run, plot_claims_run):
    return (code.replace("results/guide.h5", str(replicates_run.path))
                .replace("results/claims.h5", str(plot_claims_run.path)))


def test_guide_has_python_and_r_examples():
    assert len(blocks("python")) == 3 and len(blocks("r")) == 1


@pytest.mark.parametrize("index", range(3))
def test_python_block_runs(index, replicates_run, plot_claims_run, tmp_path):
    code = substitute(blocks("python")[index], replicates_run, plot_claims_run)
    p = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True,
                       cwd=tmp_path, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip()


@pytest.mark.skipif(not have_tool("Rscript"), reason="Rscript not installed")
def test_r_block_runs(replicates_run, plot_claims_run, tmp_path):
    script = tmp_path / "guide.R"
    script.write_text(substitute(blocks("r")[0], replicates_run, plot_claims_run))
    p = subprocess.run(["Rscript", str(script)], capture_output=True, text=True,
                       cwd=tmp_path, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "c2 P(claim):" in p.stdout and "median" in p.stdout
