# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line itself: help, version, usage errors, `check`, the
command line recorded in the result, and the commit the Makefile builds in."""
import os
import pty
import re
import shlex
import shutil
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


# Option errors found by getopt are usage errors like the ones above: one
# line of mndsim's own (getopt's messages, prefixed "run:", are off), exit 1.
@pytest.mark.parametrize("cmd", ["run", "check"])
@pytest.mark.parametrize("args, message", [
    (["--bogus"], "unknown option '--bogus'"),
    (["--bogus=3"], "unknown option '--bogus'"),
    (["-x"], "unknown option '-x'"),
    (["-qx"], "unknown option '-x'"),
    (["--set=simulation.seed=1", "-qx"], "unknown option '-x'"),
    (["--quiet=yes"], "option '--quiet' takes no argument"),
    (["--seed"], "option '--seed' requires an argument"),
    (["--set"], "option '--set' requires an argument"),
    (["-o"], "option '-o' requires an argument"),
    (["--out"], "option '--out' requires an argument"),
])
def test_option_errors(cmd, args, message):
    r = run_cli(cmd, "configs/default.cfg", *args)
    assert r.rc == 1, str(r)
    assert r.stdout == ""
    assert r.stderr == f"mndsim: {message}\n{TRY_HELP}"


def test_unknown_option_before_the_command():
    r = run_cli("--bogus")
    assert r.rc == 1, str(r)
    assert r.stdout == ""
    assert r.stderr == f"mndsim: unknown option '--bogus'\n{TRY_HELP}"


def test_option_error_leaves_no_file(tmp_path):
    r = run_cli("run", "configs/default.cfg", "-o", tmp_path / "o.h5", "--bogus")
    assert r.rc == 1, str(r)
    assert list(tmp_path.iterdir()) == []


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


def test_command_line_is_recorded_as_typed(tmp_path):
    # Options after the operand stay where they were typed (getopt moves the
    # operand last), and words that a shell would split or expand come back
    # quoted, so that shlex.split gives back argv exactly.
    out = tmp_path / "it's a \"result\" $HOME.h5"
    args = ["run", "configs/default.cfg", "-o", str(out), "--set", "simulation.n_patients=5",
            "--set", "cohort.male_share = 0.5", "--set", "simulation.follow_up_months=12.0",
            "-q"]
    r = run_ok(*args)
    with h5py.File(out, "r") as f:
        line = f.attrs["command_line"]
    assert shlex.split(line) == r.argv
    assert line == (f"{mndsim_path()} run configs/default.cfg -o "
                    f"'{tmp_path}/it'\\''s a \"result\" $HOME.h5' "
                    "--set simulation.n_patients=5 --set 'cohort.male_share = 0.5' "
                    "--set simulation.follow_up_months=12.0 -q")


# --- the commit the Makefile compiles in (MND_GIT_COMMIT) --------------------

def _make_git_commit(env_changes):
    """GIT_COMMIT as the Makefile computes it, with `env_changes` applied."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "GIT_DIR")}
    env.update(env_changes)
    make = shutil.which("make")
    p = subprocess.run([make, "-s", "--no-print-directory", "-C", str(REPO),
                        "--eval", "print-git-commit: ; $(info [$(GIT_COMMIT)])",
                        "print-git-commit"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout, p.stderr


@pytest.mark.skipif(shutil.which("make") is None or shutil.which("git") is None,
                    reason="needs make and git")
def test_git_commit_without_commits(tmp_path):
    # A repository without commits: `git rev-parse HEAD` prints "HEAD" and
    # fails, which once gave "HEAD unknown".
    subprocess.run(["git", "init", "-q", str(tmp_path / "empty")], check=True)
    out, err = _make_git_commit({"GIT_DIR": str(tmp_path / "empty" / ".git")})
    assert out == "[unknown]\n"
    assert err == ""


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_git_commit_without_git(tmp_path):
    # git absent: PATH holds nothing, make is called by its full path.
    out, err = _make_git_commit({"PATH": str(tmp_path)})
    assert out == "[unknown]\n"
    assert err == ""


@pytest.mark.skipif(shutil.which("make") is None or shutil.which("git") is None,
                    reason="needs make and git")
def test_git_commit_of_this_tree():
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", "HEAD"],
                          capture_output=True, text=True)
    expect = head.stdout.strip() if head.returncode == 0 else "unknown"
    out, _ = _make_git_commit({})
    assert out == f"[{expect}]\n"
