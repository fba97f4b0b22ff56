# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line itself: help, version, usage errors, `check`."""
import os
import pty
import re
import subprocess

import h5py
import pytest

from conftest import REPO, mndsim_path, run_cli, run_ok

TRY_HELP = "Try 'mndsim --help'.\n"


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(flag):
    r = run_ok(flag)
    assert r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines[0] == "Usage: mndsim COMMAND [ARGS]"
    # Each command is listed at the start of its own line.
    for cmd in ("run CONFIG", "check CONFIG", "info OUT.h5", "keys"):
        assert any(line.startswith("  " + cmd) for line in lines), cmd
    assert lines[-1] == ("Exit status: 0 ok, 1 usage or configuration error, "
                         "2 run-time or I/O error.")


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag):
    r = run_ok(flag)
    assert r.stderr == ""
    assert re.fullmatch(r"mndsim \d+\.\d+\.\d+ \(git ([0-9a-f]{40}|unknown)(, dirty)?\)\n",
                        r.stdout), r.stdout


def test_version_matches_file_provenance(default_run):
    r = run_ok("--version")
    with h5py.File(default_run.path, "r") as f:
        a = f.attrs
        expect = (f"mndsim {a['engine_version']} (git {a['git_commit']}"
                  f"{', dirty' if int(a['git_dirty']) else ''})\n")
    assert r.stdout == expect


@pytest.mark.parametrize("args, message", [
    ([], "missing COMMAND"),
    (["frobnicate"], "unknown command 'frobnicate'"),
    (["run"], "missing CONFIG"),
    (["check"], "missing CONFIG"),
    (["run", "configs/default.cfg", "configs/trial_like.cfg"], "too many arguments"),
    (["info"], "info takes one result file"),
    (["info", "a.h5", "b.h5"], "info takes one result file"),
])
def test_usage_errors(args, message):
    r = run_cli(*args)
    assert r.rc == 1, str(r)
    assert r.stdout == ""
    assert r.stderr == f"mndsim: {message}\n{TRY_HELP}"


def test_unknown_option():
    r = run_cli("check", "configs/default.cfg", "--bogus")
    assert r.rc == 1, str(r)
    assert r.stdout == ""
    # getopt's own line comes first; then mndsim's.
    assert r.stderr.endswith(f"mndsim: invalid option\n{TRY_HELP}")
    assert "unrecognized option '--bogus'" in r.stderr


@pytest.mark.parametrize("config, line", [
    ("configs/default.cfg",
     "configs/default.cfg: ok (10000 patients x 1 replicates, 121 visits)\n"),
    ("configs/trial_like.cfg",
     "configs/trial_like.cfg: ok (5000 patients x 1 replicates, 19 visits)\n"),
])
def test_check_shipped_configs(config, line):
    r = run_ok("check", config)
    assert r.stdout == line
    assert r.stderr == ""


def test_check_applies_overrides():
    # T = floor(follow_up / interval) + 1 = floor(25 / 2) + 1 = 13
    r = run_ok("check", "configs/default.cfg",
               "--set", "simulation.n_patients=300",
               "--set", "simulation.n_replicates=3",
               "--set", "simulation.follow_up_months=25",
               "--set", "simulation.visit_interval_months=2")
    assert r.stdout == "configs/default.cfg: ok (300 patients x 3 replicates, 13 visits)\n"


def test_check_writes_nothing(tmp_path):
    # `check` never simulates: no results/ file appears in the working folder.
    cfg = tmp_path / "tiny.cfg"
    cfg.write_text("simulation = { n_patients = 5; };\n")
    r = run_ok("check", cfg.name, cwd=tmp_path)
    assert r.stdout == "tiny.cfg: ok (5 patients x 1 replicates, 121 visits)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.cfg"]


def test_run_default_output_path(tmp_path):
    # Without -o the result goes to results/<config name>.h5 under the cwd.
    cfg = tmp_path / "tiny.cfg"
    cfg.write_text("simulation = { n_patients = 7; follow_up_months = 12.0; };\n")
    (tmp_path / "results").mkdir()
    r = run_ok("run", "tiny.cfg", cwd=tmp_path)
    assert r.stdout == ""
    assert r.stderr == "mndsim: wrote results/tiny.h5 (7 patients x 1 replicates)\n"
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["tiny.h5"]


def test_keys_reference():
    r = run_ok("keys")
    assert r.stdout.startswith("# mndsim configuration reference\n")
    for key in ("simulation.n_patients", "cohort.male_share", "selection.max_attempts",
                "output.store"):
        assert f"| `{key}` |" in r.stdout, key


def _run_on_terminal(args):
    """Runs mndsim with stderr on a pseudo-terminal; returns (rc, stderr text)."""
    master, slave = pty.openpty()
    p = subprocess.Popen([mndsim_path(), *args], cwd=REPO, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:        # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return p.wait(timeout=60), b"".join(chunks).decode()


def test_progress_bar_only_on_a_terminal(tmp_path):
    out = tmp_path / "o.h5"
    args = ["run", "configs/default.cfg", "-o", str(out), "--set", "simulation.n_patients=300"]
    rc, err = _run_on_terminal(args)
    assert rc == 0, err
    assert "100%  300/300 patients" in err
    assert err.rstrip().endswith(f"mndsim: wrote {out} (300 patients x 1 replicates)")
    rc, err = _run_on_terminal(args + ["--quiet"])
    assert rc == 0, err
    assert err.replace("\r\n", "\n") == f"mndsim: wrote {out} (300 patients x 1 replicates)\n"


def test_run_reports_the_file(default_run):
    r = default_run.result
    assert r.stdout == ""
    assert r.stderr == f"mndsim: wrote {default_run.path} (300 patients x 1 replicates)\n"
