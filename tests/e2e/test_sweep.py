# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario sweeps: a 12-scenario sweep run as --scenario i/4 pieces and
joined with `mndsim merge` equals the same sweep run at once (h5diff, with
the attributes that say when and how each file was made deleted by name:
created_utc and command_line, at the root and in each scenario); bad piece
specs and mismatched pieces fail with a clear message and leave no file."""
import shutil
import subprocess

import h5py
import pytest

from conftest import leftovers, run_cli, run_ok

CFG = "tests/e2e/configs/sweep/twelve.cfg"
HOW_IT_RAN = ("created_utc", "command_line")


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sweep")
    run_ok("run", CFG, "-o", tmp / "full.h5", "-q")
    pieces = []
    for i in range(4):
        out = tmp / f"p{i}.h5"
        run_ok("run", CFG, "-o", out, "--scenario", f"{i}/4", "-q")
        pieces.append(out)
    return tmp, pieces


def bare(path, tmp):
    copy = tmp / f"bare_{path.name}"
    shutil.copyfile(path, copy)
    with h5py.File(copy, "r+") as f:
        for obj in [f] + [f["scenarios"][k] for k in f["scenarios"]]:
            for name in HOW_IT_RAN:
                del obj.attrs[name]
    return copy


def test_split_and_merged_equals_the_whole(sweep, tmp_path):
    tmp, pieces = sweep
    merged = tmp_path / "merged.h5"
    r = run_ok("merge", merged, *reversed(pieces))  # any order
    assert r.stderr == f"mndsim: wrote {merged} (4 pieces)\n"
    with h5py.File(merged, "r") as f:
        assert list(f["scenarios"]) == [f"s{s:02d}" for s in range(12)]
        assert f.attrs["piece"] == "all" and f.attrs["n_scenarios"] == 12
        g = f["scenarios/s05"]
        assert g.attrs["scenario"].split("\n") == [
            "interventions.clinic_cells.loss_rate_multiplier=0.8", "studies.trial.blinded=true",
            "studies.trial.n_patients=60"]
        assert g["studies/trial/slope_p"].dims[0][0].name == "/scenarios/s05/studies/trial/replicate"
    r = subprocess.run(["h5diff", bare(tmp / "full.h5", tmp_path), bare(merged, tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_pieces_hold_their_share(sweep):
    _, pieces = sweep
    with h5py.File(pieces[1], "r") as f:
        assert list(f["scenarios"]) == ["s03", "s04", "s05"]
        assert f.attrs["piece"] == "1/4"


@pytest.mark.parametrize("spec", ["4/4", "1/0", "a/4", "-1/4", "1/4x", "1"])
def test_bad_scenario_spec(tmp_path, spec):
    r = run_cli("run", CFG, "-o", tmp_path / "out.h5", "--scenario", spec)
    assert r.rc == 1, str(r)
    assert r.stderr.startswith(f"mndsim: --scenario must be I/N with 0 <= I < N (got '{spec}')")
    assert list(tmp_path.iterdir()) == []


def test_bad_destination_named_as_given(tmp_path):
    """A sweep into a missing folder fails before any scenario runs, with the
    path the user gave (not a scenario's staging file), and leaves nothing."""
    out = tmp_path / "no" / "such" / "sweep.h5"
    r = run_cli("run", CFG, "-o", out, "-q")
    assert r.rc != 0, str(r)
    assert r.stderr == (f"mndsim: {out}: cannot write into folder '{out.parent}': "
                        "No such file or directory\n"), str(r)
    assert list(tmp_path.iterdir()) == []


def test_scenario_without_sweep(tmp_path):
    r = run_cli("run", "configs/default.cfg", "-o", tmp_path / "out.h5", "--scenario", "0/2")
    assert r.rc == 1 and "--scenario needs a sweep section in configs/default.cfg" in r.stderr


def test_merge_missing_and_duplicate_pieces(sweep, tmp_path):
    _, pieces = sweep
    out = tmp_path / "m.h5"
    r = run_cli("merge", out, pieces[0], pieces[1], pieces[3])
    assert r.rc == 1 and r.stderr == "mndsim: merge: piece 2/4 is missing\n", str(r)
    r = run_cli("merge", out, pieces[0], pieces[1], pieces[1], pieces[3])
    assert r.rc == 1 and r.stderr == (f"mndsim: merge: {pieces[1]} and {pieces[1]} are both "
                                      "piece 1/4\n"), str(r)
    assert leftovers(tmp_path, "m.h5") == []


def test_merge_pieces_of_different_sweeps(sweep, tmp_path):
    _, pieces = sweep
    other = tmp_path / "other.h5"
    run_ok("run", CFG, "-o", other, "--scenario", "2/4", "--set", "simulation.seed=12", "-q")
    r = run_cli("merge", tmp_path / "m.h5", pieces[0], pieces[1], other, pieces[3])
    assert r.rc == 1, str(r)
    assert r.stderr == (f"mndsim: merge: {pieces[0]} and {other} are not pieces of the same "
                        "sweep (root attribute 'overrides' differs)\n")
    assert leftovers(tmp_path, "m.h5") == []


def test_merge_needs_pieces(sweep, tmp_path):
    tmp, _ = sweep
    r = run_cli("merge", tmp_path / "m.h5", tmp / "full.h5")
    assert r.rc == 1 and "is a whole sweep (piece 'all'), not a piece" in r.stderr, str(r)
