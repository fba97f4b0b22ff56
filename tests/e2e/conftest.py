# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for the end-to-end tests of the mndsim command line.

The binary under test comes from the MNDSIM environment variable (`make e2e`
sets it to build/mndsim).  Every test runs the real CLI in a subprocess, from
the repository root so that config paths such as configs/default.cfg are the
ones a user types, and writes its results under pytest's tmp_path.

Runs that several tests read (a small default cohort, a small trial-like
cohort) are made once per session by the fixtures below; tests must treat
those files as read-only.
"""
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
E2E = Path(__file__).resolve().parent
FIXTURES = E2E / "configs"

# Small cohorts keep the whole suite fast on two cores.
N_SMALL = 300


def pytest_configure(config):
    path = os.environ.get("MNDSIM")
    if not path:
        raise pytest.UsageError(
            "MNDSIM is not set: run `MNDSIM=$PWD/build/mndsim /usr/bin/python3 -m pytest -q tests/e2e`"
            " (or `make e2e`)")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise pytest.UsageError(f"MNDSIM={path} is not an executable file")


def mndsim_path():
    return os.environ["MNDSIM"]


@dataclass
class Result:
    """What one CLI invocation did."""
    argv: list          # the full argv, argv[0] = the binary
    rc: int
    stdout: str
    stderr: str

    def __str__(self):
        return (f"$ {' '.join(self.argv)}\nexit {self.rc}\n"
                f"--- stdout\n{self.stdout}--- stderr\n{self.stderr}")


def run_cli(*args, cwd=REPO, timeout=120, env=None):
    """Runs `$MNDSIM args...` in `cwd` and captures exit code, stdout, stderr.

    stdin is closed and stderr is a pipe, so the progress bar (shown only on a
    terminal) never appears in the captured text."""
    argv = [mndsim_path(), *[str(a) for a in args]]
    full_env = dict(os.environ)
    full_env.setdefault("OMP_NUM_THREADS", "2")
    if env:
        full_env.update(env)
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=timeout, env=full_env)
    return Result(argv, p.returncode, p.stdout, p.stderr)


def run_ok(*args, **kw):
    """run_cli, failing the test with the full transcript unless exit 0."""
    r = run_cli(*args, **kw)
    assert r.rc == 0, str(r)
    return r


def wrote_line(out, n_patients, n_replicates=1):
    """The one line `run` prints to stderr on success."""
    return f"mndsim: wrote {out} ({n_patients} patients x {n_replicates} replicates)\n"


def read_datasets(path):
    """Every dataset of a result file as {path: numpy array}, those in groups
    (/adverse_events, with interventions) as "group/name"; text datasets
    (config_text, intervention) as str."""
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            text = h5py.check_string_dtype(obj.dtype) is not None
            out[name] = obj.asstr()[()] if text else obj[()]
        else:
            assert name == "interventions" or name.startswith(("adverse_events",
                                                               "interventions/")), \
                f"unexpected group /{name}"

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return out


def arrays_equal(a, b):
    """Exact equality, NaN == NaN, dtype and shape included."""
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def leftovers(folder, name):
    """Files in `folder` named `name` or `name.tmp.*` (the writer's temporary)."""
    return sorted(p.name for p in Path(folder).iterdir()
                  if p.name == name or p.name.startswith(name + ".tmp."))


def have_tool(name):
    return shutil.which(name) is not None


@dataclass
class Run:
    """A finished run shared by several tests (read-only)."""
    path: Path
    result: Result
    args: list


def _session_run(tmp_path_factory, label, args):
    out = tmp_path_factory.mktemp(label) / f"{label}.h5"
    full = ["run", *args[:1], "-o", str(out), *args[1:]]
    r = run_ok(*full)
    return Run(out, r, full)


@pytest.fixture(scope="session")
def default_run(tmp_path_factory):
    """configs/default.cfg, 300 patients, with a --set and --seed given after
    the config path (the order a user types them in)."""
    return _session_run(tmp_path_factory, "default", [
        "configs/default.cfg",
        "--set", f"simulation.n_patients={N_SMALL}",
        # without the phases of the natural clock: test_invariants recomputes the
        # pool fractions as exp(-rate (t - loss_start)); the phases are not stored
        # (tests/unit/test_disease.c checks them)
        "--set", "neurons.phase_sd_log=0",
        "--set", "cohort.male_share=0.6",
        "--seed", "42",
        "--threads", "2",
        "--quiet",
    ])


@pytest.fixture(scope="session")
def trial_run(tmp_path_factory):
    """configs/trial_like.cfg (selection on, visits from enrolment), 300 patients."""
    return _session_run(tmp_path_factory, "trial", [
        "configs/trial_like.cfg",
        "--set", f"simulation.n_patients={N_SMALL}",
        # without the phases of the natural clock: test_invariants recomputes the
        # pool fractions as exp(-rate (t - loss_start)); the phases are not stored
        # (tests/unit/test_disease.c checks them)
        "--set", "neurons.phase_sd_log=0",
        "-q",
    ])


@pytest.fixture(scope="session")
def replicates_run(tmp_path_factory):
    """Two replicates of 150 patients in small blocks, visits from onset every
    3 months for 5 years: exercises row order across replicates and blocks."""
    return _session_run(tmp_path_factory, "replicates", [
        "configs/default.cfg",
        "--set", "simulation.n_patients=150",
        # without the phases of the natural clock: test_invariants recomputes the
        # pool fractions as exp(-rate (t - loss_start)); the phases are not stored
        # (tests/unit/test_disease.c checks them)
        "--set", "neurons.phase_sd_log=0",
        "--set", "simulation.n_replicates=2",
        "--set", "simulation.block_patients=40",
        "--set", "simulation.visit_origin=onset",
        "--set", "simulation.visit_interval_months=3",
        "--set", "simulation.follow_up_months=60",
        "--set", "output.chunk_patients=64",
        "--threads", "2",
    ])


# Small runs for the plotting scripts and the report (test_plots.py,
# test_report.py, test_analyst_guide.py).

@pytest.fixture(scope="session")
def plot_nh_run(tmp_path_factory):
    """configs/default.cfg, 200 patients, every trajectory stored (the
    natural-history figures)."""
    return _session_run(tmp_path_factory, "plot_nh", [
        "configs/default.cfg", "--set", "simulation.n_patients=200", "-q"])


@pytest.fixture(scope="session")
def plot_clinic_run(tmp_path_factory):
    """The population given the clinic's stem-cell product, 200 patients
    (exposure and adverse events)."""
    return _session_run(tmp_path_factory, "plot_clinic", [
        "tests/e2e/configs/interventions/clinic.cfg", "--set", "simulation.n_patients=200", "-q"])


@pytest.fixture(scope="session")
def plot_claims_run(tmp_path_factory):
    """configs/claims/audit.cfg with 20 replicate studies, a 100-patient
    cohort, and the study patient records (summary_only off)."""
    return _session_run(tmp_path_factory, "plot_claims", [
        "configs/claims/audit.cfg", "--set", "simulation.n_replicates=20",
        "--set", "simulation.n_patients=100", "--set", "output.summary_only=false", "-q"])
