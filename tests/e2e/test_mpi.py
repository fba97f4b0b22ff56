# SPDX-License-Identifier: GPL-3.0-or-later
"""The MPI build: same seed, same datasets, whatever the rank count.

`make e2e-mpi` (part of `make test`) runs this file with three variables:
MNDSIM, the serial binary; MNDSIM_MPI, the binary of `make MPI=1`; and MPIRUN,
the launcher with its flags (`mpirun --oversubscribe` with the run-as-root
variables, notes §2.3).  Each run of the MPI binary under `MPIRUN -np K` writes
one file together (parallel HDF5, collective writes); it must equal the serial
file with the same seed, compared with h5diff.  Only the root attributes that
describe how the run was made may differ, and they are named here:
created_utc (the clock), command_line (the output path differs between the
runs compared), n_threads and n_ranks.  Each is deleted from a copy of both
files, and h5diff then compares everything else, every other attribute
included.  A scenario sweep is one such run per scenario, run by the whole
team in turn and joined by rank 0 into /scenarios/sNN: the same attributes
are deleted from each scenario's group (the sweep's root has only
created_utc and command_line of them)."""
import os
import shlex
import shutil
import subprocess

import h5py
import pytest

import numpy as np

from conftest import REPO, arrays_equal, leftovers, run_cli, run_ok

MPI_BIN = os.environ.get("MNDSIM_MPI", "")
MPIRUN = shlex.split(os.environ.get("MPIRUN", ""))

pytestmark = pytest.mark.skipif(
    not (MPI_BIN and os.access(MPI_BIN, os.X_OK) and MPIRUN and shutil.which("h5diff")),
    reason="MNDSIM_MPI, MPIRUN or h5diff missing: run through `make e2e-mpi`")

# Root attributes that legitimately differ between the runs compared.
HOW_IT_RAN = ("created_utc", "command_line", "n_threads", "n_ranks")

SMALL = ["--set", "simulation.n_patients=700", "--set", "simulation.n_replicates=2",
         "--set", "simulation.block_patients=64", "--set", "output.chunk_patients=32",
         "--seed", "11", "-q"]

# The 12-scenario sweep of test_sweep.py with 3 replicates of 20 patients in
# blocks of 8: every rank simulates part of every scenario's cohort, and 2
# ranks share the 3 study replicates unevenly.
SWEEP_CFG = "tests/e2e/configs/sweep/twelve.cfg"
SWEEP = ["--set", "simulation.n_replicates=3", "--set", "simulation.block_patients=8",
         "--set", "output.chunk_patients=8", "-q"]


def run_mpi(ranks, *args, timeout=300):
    """`MPIRUN -np ranks MNDSIM_MPI args...` from the repository root, one
    thread per rank (the machine has two cores)."""
    argv = [*MPIRUN, "-np", str(ranks), MPI_BIN, *[str(a) for a in args]]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    p = subprocess.run(argv, cwd=REPO, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=timeout, env=env)
    return p


def mndsim_lines(stderr):
    """mndsim's own lines of an mpirun transcript (mpirun adds a notice of
    its own when the ranks exit with a non-zero status)."""
    return [line + "\n" for line in stderr.splitlines() if line.startswith("mndsim:")]


def all_datasets(path):
    """Every dataset of a file, in any group, as {path: value}."""
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            text = h5py.check_string_dtype(obj.dtype) is not None
            out[name] = obj.asstr()[()] if text else obj[()]

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return out


def without_how_it_ran(path, tmp_path):
    """A copy of `path` without the HOW_IT_RAN attributes: those of the root
    and, in a sweep file, those of each /scenarios group, wherever present."""
    copy = tmp_path / f"bare_{path.name}"
    shutil.copyfile(path, copy)
    with h5py.File(copy, "r+") as f:
        scenarios = list(f["scenarios"].values()) if "scenarios" in f else []
        for obj in [f, *scenarios]:
            for name in HOW_IT_RAN:
                if name in obj.attrs:
                    del obj.attrs[name]
    return copy


def differing_attributes(a, b):
    """The names of the attributes, in any object, in which h5diff finds the
    files `a` and `b` different (the test fails unless they differ)."""
    r = subprocess.run(["h5diff", "-c", a, b], capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr
    return {line.split("<")[1].split(" of ")[0] for line in r.stdout.splitlines()
            if line.startswith("attribute:")}


def assert_same(a, b, tmp_path):
    """Equal data and attributes apart from HOW_IT_RAN: h5diff on copies
    without them, and every dataset compared in Python too (h5diff calls
    zero-length datasets "not comparable" and skips them)."""
    r = subprocess.run(["h5diff", without_how_it_ran(a, tmp_path),
                        without_how_it_ran(b, tmp_path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    da, db = all_datasets(a), all_datasets(b)
    assert sorted(da) == sorted(db)
    assert [k for k in da if not arrays_equal(np.asarray(da[k]), np.asarray(db[k]))] == []


def serial_and_mpi(tmp_path, config, *args, ranks=(1, 3)):
    """The serial run and the MPI runs with each rank count of `config`."""
    serial = tmp_path / "serial.h5"
    r = run_cli("run", config, "-o", serial, "--threads", "2", *args)
    assert r.rc == 0, str(r)
    outs = {}
    for k in ranks:
        out = tmp_path / f"ranks{k}.h5"
        p = run_mpi(k, "run", config, "-o", out, *args)
        assert p.returncode == 0, p.stdout + p.stderr
        assert p.stderr.count("mndsim: wrote") == 1, p.stderr  # rank 0 alone prints
        outs[k] = out
    return serial, outs


def test_cohort_same_datasets_for_1_and_3_ranks(tmp_path):
    serial, outs = serial_and_mpi(tmp_path, "configs/default.cfg", *SMALL)
    for k, out in outs.items():
        assert_same(serial, out, tmp_path)
        with h5py.File(out, "r") as f:
            assert int(f.attrs["n_ranks"]) == k
            assert "simulation" in f["config_text"].asstr()[()]
    with h5py.File(serial, "r") as f:
        assert int(f.attrs["n_ranks"]) == 1


def test_the_named_attributes_are_the_only_difference(tmp_path):
    """Without the deletion, h5diff finds only HOW_IT_RAN attributes (the
    clock may agree to the second)."""
    serial, outs = serial_and_mpi(tmp_path, "configs/default.cfg",
                                  "--set", "simulation.n_patients=100", "-q", ranks=(3,))
    named = differing_attributes(serial, outs[3])
    assert {"command_line", "n_threads", "n_ranks"} <= named <= set(HOW_IT_RAN)


def test_interventions_and_adverse_events(tmp_path):
    """The extendible adverse-event table is appended by several ranks per
    round, each at its offset: the same rows in the same order."""
    serial, outs = serial_and_mpi(tmp_path, "tests/e2e/configs/interventions/clinic.cfg",
                                  "--set", "simulation.n_patients=900",
                                  "--set", "simulation.block_patients=64",
                                  "--set", "output.chunk_patients=32", "-q", ranks=(3,))
    with h5py.File(serial, "r") as f:
        assert f["adverse_events/time"].shape[0] > 0  # the test needs events
    assert_same(serial, outs[3], tmp_path)


def test_studies_same_metrics_records_and_summaries(tmp_path):
    """Replicate studies split over ranks: per-replicate metrics and patient
    records gathered, the summary over replicates computed once."""
    serial, outs = serial_and_mpi(tmp_path, "tests/e2e/configs/studies/small.cfg",
                                  "--set", "simulation.n_replicates=7", "-q")
    with h5py.File(serial, "r") as f:
        assert "studies" in f and "analysis" in f
        assert f["analysis/trial/metric"].shape[0] > 0
    for out in outs.values():
        assert_same(serial, out, tmp_path)


def test_more_ranks_than_blocks(tmp_path):
    """Ranks without a block still take part in every collective write."""
    serial, outs = serial_and_mpi(tmp_path, "configs/default.cfg",
                                  "--set", "simulation.n_patients=40", "-q", ranks=(3,))
    assert_same(serial, outs[3], tmp_path)


def test_sweep_same_datasets_for_3_ranks(tmp_path):
    """Each scenario is run by the whole team into a file of its own, and
    rank 0 alone joins them: the serial sweep's scenarios, datasets and
    attributes, no temporary left, and only HOW_IT_RAN attributes differ
    before their deletion."""
    serial, outs = serial_and_mpi(tmp_path, SWEEP_CFG, *SWEEP, ranks=(3,))
    assert_same(serial, outs[3], tmp_path)
    with h5py.File(outs[3], "r") as f:
        assert list(f["scenarios"]) == [f"s{s:02d}" for s in range(12)]
        assert {int(g.attrs["n_ranks"]) for g in f["scenarios"].values()} == {3}
    assert {"command_line", "n_threads", "n_ranks"} <= differing_attributes(serial, outs[3]) \
        <= set(HOW_IT_RAN)
    assert leftovers(tmp_path, outs[3].name) == [outs[3].name]


def test_sweep_pieces_on_2_ranks_merged_equal_the_serial_sweep(tmp_path):
    """--scenario i/5 pieces (3, 3, 2, 2, 2 scenarios), each run by 2 ranks
    and joined by `mndsim merge` (serial, as in test_sweep.py): the serial
    sweep run at once."""
    whole = tmp_path / "whole.h5"
    run_ok("run", SWEEP_CFG, "-o", whole, "--threads", "2", *SWEEP)
    pieces = []
    for i in range(5):
        piece = tmp_path / f"piece{i}.h5"
        p = run_mpi(2, "run", SWEEP_CFG, "-o", piece, "--scenario", f"{i}/5", *SWEEP)
        assert p.returncode == 0, p.stdout + p.stderr
        assert mndsim_lines(p.stderr) == [f"mndsim: wrote {piece} (scenario sweep, "
                                          f"piece {i}/5)\n"], p.stderr
        pieces.append(piece)
    merged = tmp_path / "merged.h5"
    run_ok("merge", merged, *pieces)
    with h5py.File(merged, "r") as f:
        assert f.attrs["piece"] == "all"
        assert {int(g.attrs["n_ranks"]) for g in f["scenarios"].values()} == {2}
    assert_same(whole, merged, tmp_path)


def test_failure_on_one_rank_stops_all_with_the_serial_message(tmp_path):
    """Patient 95 is the first whose draws all fail the criteria; with blocks
    of 10 rows it belongs to rank 2 alone.  Every rank stops, rank 0 prints
    the serial run's message, and no file is left."""
    args = ["--set", "simulation.n_patients=300", "--set", "selection.max_attempts=8",
            "--set", "simulation.block_patients=10", "--set", "output.chunk_patients=10", "-q"]
    r = run_cli("run", "configs/trial_like.cfg", "-o", tmp_path / "serial.h5", *args)
    assert r.rc == 1 and "patient 95 of replicate 0" in r.stderr, str(r)
    p = run_mpi(3, "run", "configs/trial_like.cfg", "-o", tmp_path / "mpi.h5", *args)
    assert p.returncode == 1, p.stdout + p.stderr
    assert mndsim_lines(p.stderr) == [r.stderr], p.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_destination(tmp_path):
    out = tmp_path / "no_such_dir" / "out.h5"
    p = run_mpi(3, "run", "configs/default.cfg", "-o", out, "-q")
    assert p.returncode == 2, p.stdout + p.stderr
    assert mndsim_lines(p.stderr) == [f"mndsim: {out}: cannot write into folder "
                                      f"'{out.parent}': No such file or directory\n"], p.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_config_fails_once(tmp_path):
    p = run_mpi(3, "run", "configs/default.cfg", "--set", "simulation.n_patients=0",
                "-o", tmp_path / "out.h5")
    assert p.returncode == 1, p.stdout + p.stderr
    assert mndsim_lines(p.stderr) == ["mndsim: --set simulation.n_patients=0: "
                                      "simulation.n_patients must be >= 1 (got 0)\n"], p.stderr
    assert leftovers(tmp_path, "out.h5") == []
