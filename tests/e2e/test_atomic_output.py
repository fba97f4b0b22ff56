# SPDX-License-Identifier: GPL-3.0-or-later
"""A file under the final name is always complete.

The writer works in <out>.tmp.<pid> and renames it on success; on failure or
interrupt the temporary file is removed and an older <out> is left alone."""
import os
import re
import shutil
import signal
import subprocess
import tempfile
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


# Every patient fails, so every thread fails at once: the message names the
# lowest row (patient 0) whatever the thread count.  Each run is a new
# process whose threads start afresh, the case in which the first rows used
# to go to a thread other than the first and another patient was named.
@pytest.mark.parametrize("threads", ["1", "2", "3", "4", "8"])
@pytest.mark.parametrize("repeat", range(3))
def test_impossible_selection_leaves_nothing(tmp_path, threads, repeat):
    out = tmp_path / "out.h5"
    r = run_cli("run", "configs/default.cfg", "-o", out, "--threads", threads,
                *SMALL, *IMPOSSIBLE)
    assert r.rc == 1, str(r)
    assert r.stdout == ""
    assert r.stderr == IMPOSSIBLE_MSG
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


@pytest.mark.parametrize("suffix", ["", "/"])
def test_output_is_a_folder_leaves_nothing(tmp_path, suffix):
    target = tmp_path / "target"
    target.mkdir()
    out = f"{target}{suffix}"
    r = run_cli("run", "configs/default.cfg", "-o", out, *SMALL)
    assert r.rc == 2, str(r)
    assert r.stdout == ""
    assert r.stderr == f"mndsim: {out}: cannot write the result over a folder: Is a directory\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]
    assert list(target.iterdir()) == []


def test_folder_of_output_is_a_file(tmp_path):
    (tmp_path / "file").write_text("not a folder\n")
    out = tmp_path / "file" / "out.h5"
    r = run_cli("run", "configs/default.cfg", "-o", out, *SMALL)
    assert r.rc == 2, str(r)
    assert r.stderr == (f"mndsim: {out}: cannot write into folder '{out.parent}': "
                        "Not a directory\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def _as_unprivileged(args):
    """argv that runs `args` as an ordinary user: root may write anywhere,
    so as root the command is run as nobody through setpriv."""
    if os.geteuid() != 0:
        return list(args)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only folder is writable")
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *args]


def test_read_only_folder_fails_with_its_reason():
    # Not under tmp_path: nobody must be able to reach the folder.
    base = tempfile.mkdtemp(prefix="mndsim-ro-")
    try:
        os.chmod(base, 0o755)
        folder = os.path.join(base, "ro")
        os.mkdir(folder, 0o555)
        os.chmod(folder, 0o555)
        out = os.path.join(folder, "out.h5")
        argv = _as_unprivileged([mndsim_path(), "run", "configs/default.cfg", "-o", out,
                                 "-q", "--set", "simulation.n_patients=20000"])
        p = subprocess.run(argv, cwd=REPO, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL, timeout=120)
        assert p.returncode == 2, p.stderr
        assert p.stdout == ""
        assert p.stderr == (f"mndsim: {out}: cannot write into folder '{folder}': "
                            "Permission denied\n")
        assert os.listdir(folder) == []
    finally:
        shutil.rmtree(base)


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
