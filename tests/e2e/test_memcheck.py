# SPDX-License-Identifier: GPL-3.0-or-later
"""Small runs under valgrind's memcheck: no invalid access and no use of an
uninitialised value, in our code or in the libraries it drives (this is how
ISA-L's encoder was found reading its hash table before writing it).

Two threads, small blocks and chunks, so that the output's thread encoding,
column stages and edge chunks all run; the untreated and the treated
course."""
import subprocess

import pytest

from conftest import REPO, have_tool, mndsim_path

pytestmark = pytest.mark.skipif(not have_tool("valgrind"), reason="valgrind not installed")

SMALL = ["--threads", "2", "-q", "--set", "simulation.n_patients=300",
         "--set", "simulation.block_patients=64", "--set", "output.chunk_patients=32"]


@pytest.mark.parametrize("config", ["configs/default.cfg", "bench/three_interventions.cfg"])
def test_run_is_clean_under_memcheck(config, tmp_path):
    cmd = ["valgrind", "-q", "--error-exitcode=99", mndsim_path(), "run", config, *SMALL,
           "-o", str(tmp_path / "out.h5")]
    r = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-4000:]
    assert (tmp_path / "out.h5").exists()
