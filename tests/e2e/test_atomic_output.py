# SPDX-License-Identifier: GPL-3.0-or-later
"""A file under the final name is always complete.

The writer works in <out>.tmp.<pid> and renames it on success; on failure or
interrupt the temporary file is removed and an older <out> is left alone."""
import re
import signal
import subprocess
import time

import h5py
import pytest

from conftest import REPO, leftovers, mndsim_path, run_cli, run_ok, wrote_line

SMALL = ["--set", "simulation.n_patients=300", "-q"]
IMPOSSIBLE = ["--set", "selection.enabled=true", "--set", "selection.min_fvc_percent=200",
              "--set", "selection.max_attempts=5"]
IMPOSSIBLE_MSG = ("mndsim: patient 0 of replicate 0: no draw met the selection criteria in "
                  "5 attempts (selection.max_attempts); the criteria may be impossible\n")


def test_missing_folder(tmp_path):
    out = tmp_path / "no_such_dir" / "out.h5"
    r = run_cli("run", "configs/default.cfg", "-o", out, *SMALL)
    assert r.rc == 2, str(r)
    assert r.stdout == ""
    assert r.stderr == (f"mndsim: {out}: cannot write into folder '{out.parent}': "
                        "No such file or directory\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("threads", ["1", "2"])
def test_impossible_selection_leaves_nothing(tmp_path, threads):
    out = tmp_path / "out.h5"
    r = run_cli("run", "configs/default.cfg", "-o", out, "--threads", threads,
                *SMALL, *IMPOSSIBLE)
    assert r.rc == 1, str(r)
    assert r.stdout == ""
    if threads == "1":
        assert r.stderr == IMPOSSIBLE_MSG
    else:
        # With several threads the patient named is the first failure of the
        # lowest-numbered thread, which depends on scheduling (known issue):
        # only the form of the message is fixed.
        head, tail = IMPOSSIBLE_MSG.split(" 0 of ", 1)
        pattern = re.escape(head) + r" \d+ of " + re.escape(tail)
        assert re.fullmatch(pattern, r.stderr), r.stderr
    assert leftovers(tmp_path, "out.h5") == []
    assert list(tmp_path.iterdir()) == []


def test_failed_run_keeps_older_file(tmp_path):
    out = tmp_path / "out.h5"
    run_ok("run", "configs/default.cfg", "-o", out, *SMALL)
    before = out.read_bytes()
    r = run_cli("run", "configs/default.cfg", "-o", out, *SMALL, *IMPOSSIBLE)
    assert r.rc == 1, str(r)
    assert out.read_bytes() == before
    assert leftovers(tmp_path, "out.h5") == ["out.h5"]


def test_success_replaces_older_file(tmp_path):
    out = tmp_path / "out.h5"
    out.write_text("an old result\n")
    r = run_ok("run", "configs/default.cfg", "-o", out, *SMALL, "--seed", "5")
    assert r.stderr == wrote_line(out, 300)
    with h5py.File(out, "r") as f:
        assert f.attrs["master_seed"] == 5
    assert leftovers(tmp_path, "out.h5") == ["out.h5"]


@pytest.mark.xfail(strict=True, reason=(
    "product bug: an output path that is a folder is only detected at the final rename, "
    "after the whole simulation (`mndsim: DIR: cannot rename 'DIR.tmp.PID' to it: Is a "
    "directory`), although run.c promises that a bad destination fails before any work; "
    "with a large cohort the run is wasted"))
def test_output_is_a_folder_fails_before_simulating(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    # 20000 patients take about a second; a check before simulating answers at once.
    start = time.monotonic()
    r = run_cli("run", "configs/default.cfg", "-o", target, "-q",
                "--set", "simulation.n_patients=20000")
    elapsed = time.monotonic() - start
    assert r.rc == 2, str(r)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]
    assert elapsed < 0.3


def test_output_is_a_folder_leaves_nothing(tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    r = run_cli("run", "configs/default.cfg", "-o", target, *SMALL)
    assert r.rc == 2, str(r)
    assert r.stderr.startswith(f"mndsim: {target}: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]
    assert list(target.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupt_removes_temporary(tmp_path, sig):
    out = tmp_path / "out.h5"
    # Long enough (several seconds) that the signal arrives mid-run; small
    # blocks so that the run stops soon after it.
    p = subprocess.Popen([mndsim_path(), "run", "configs/default.cfg", "-o", str(out), "-q",
                          "--set", "simulation.n_patients=200000",
                          "--set", "simulation.block_patients=1024"],
                         cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while not any(n.startswith("out.h5.tmp.") for n in leftovers(tmp_path, "out.h5")):
            assert p.poll() is None, "the run ended before it was interrupted"
            assert time.monotonic() < deadline, "no temporary file appeared"
            time.sleep(0.01)
        assert leftovers(tmp_path, "out.h5") == [f"out.h5.tmp.{p.pid}"]
        time.sleep(0.1)
        p.send_signal(sig)
        stdout, stderr = p.communicate(timeout=20)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    assert p.returncode == 2, stderr
    assert stdout == ""
    m = re.fullmatch(r"mndsim: run cancelled after (\d+) of 200000 rows\n", stderr)
    assert m, stderr
    assert 0 < int(m.group(1)) < 200000 and int(m.group(1)) % 1024 == 0
    assert list(tmp_path.iterdir()) == []
