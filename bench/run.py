# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench: every performance figure of the README, in one run, as one table.

Usage: /usr/bin/python3 bench/run.py BUILD_DIR MPI_BUILD_DIR

- kernel against its floor (bench_kernel, counts from count_calls): ns per
  patient-month, their ratio, 1 vs 2 threads, three interventions; the same
  at half-monthly visits, and from the two schedules the split of kernel and
  floor into the work at each visit and the work once per patient;
- the two chunk encoders on the model's trajectory chunks (bench_deflate);
- full runs of configs/default.cfg with compressed HDF5 output: 1 and 2
  threads, chunks compressed on the threads or by HDF5's pipeline, no
  compression, and compressed without the pool trajectories (these four
  alternating, the fastest of three rounds each),
  and what the output costs against the kernel alone;
- scaling from 10^4 to 10^6 patients (wall time per patient-month, peak RSS),
  and 3 x 10^6 to show where the peak RSS stops growing (HDF5's metadata and
  chunk caches fill to their caps);
- the MPI build on 1, 2 and 4 ranks (4 ranks oversubscribe the 2 cores);
- replicate randomized studies per minute.

Progress goes to stderr, the table to stdout.  Figures are from one run on a
noisy machine: compare ratios within the run.
"""
import os
import subprocess
import sys
import tempfile
import time

import h5py

CONFIG = "configs/default.cfg"
KERNEL_PATIENTS = 200000
SPLIT_PATIENTS = 100000  # at half-monthly visits: as many visits as KERNEL_PATIENTS monthly
HALF_MONTHLY = "simulation.visit_interval_months=0.5"
DEFLATE_PATIENTS = 20000  # 135 MB of chunks, held in memory
REPEATS = 3  # rounds of the runs compared with one another (compression)
MPI_ENV = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}


def note(msg):
    print(msg, file=sys.stderr, flush=True)


def timed(cmd, env=None):
    """Wall seconds and peak RSS (KiB, largest process) of a command."""
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", t.name, *cmd], check=True,
                       env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        return wall, int(t.read().split()[-1])


def patient_months(path):
    with h5py.File(path, "r") as f:
        return int(f["n_visits"][:].sum())


def full_run(binary, tmp, n, threads, *sets, launcher=()):
    out = os.path.join(tmp, "out.h5")
    cmd = [*launcher, binary, "run", CONFIG, "-q", "--threads", str(threads),
           "--set", f"simulation.n_patients={n}L", "-o", out]
    for s in sets:
        cmd += ["--set", s]
    wall, rss = timed(cmd, MPI_ENV if launcher else None)
    pm = patient_months(out)
    size = os.path.getsize(out)
    os.remove(out)
    return {"ns": 1e9 * wall / pm, "wall": wall, "rss_mb": rss / 1024, "file_mb": size / 1e6,
            "pm": pm}


def store_without_neurons():
    """CONFIG's output.store less "neurons" (the UMN and LMN fractions of every
    region at every visit: eight float32 per visit, the bulk of the bytes to
    compress), as a --set value."""
    with open(CONFIG) as f:
        line = next(l for l in f if l.strip().startswith("store"))
    items = [i.strip().strip('"') for i in line.split("[", 1)[1].split("]", 1)[0].split(",")]
    return "output.store=[" + ",".join(f'"{i}"' for i in items if i != "neurons") + "]"


def fastest_of(repeats, runs):
    """Each run's fastest result over `repeats` rounds, the runs alternating
    within a round, so that a slow spell of the machine (or of the disk,
    which the uncompressed run's 1.4 GB meet) does not fall on one of them
    only."""
    best = [None] * len(runs)
    for _ in range(repeats):
        for i, run in enumerate(runs):
            r = run()
            if best[i] is None or r["ns"] < best[i]["ns"]:
                best[i] = r
    return best


def kernel_and_floor(build, tmp, n, override=None, treated=None):
    """bench_kernel's figures (a dict) for CONFIG with n patients, after
    count_calls has counted the calls it replays; override: a KEY=VALUE
    given to both as --set; treated: the config bench_kernel compares with."""
    sets = ["--set", override] if override else []
    calls = os.path.join(tmp, "calls")
    with open(calls, "w") as f:
        subprocess.run([os.path.join(build, "count_calls"), *sets, CONFIG, str(n)], stdout=f,
                       check=True)
    out = subprocess.run([os.path.join(build, "bench_kernel"), *sets, CONFIG, str(n), calls,
                          *([treated] if treated else [])],
                         capture_output=True, text=True, check=True).stdout
    return {name: float(v) for name, v in (line.split() for line in out.splitlines())}


def split_by_visits(a, b):
    """(kernel, floor) ns of one visit and of one patient outside its visits,
    from bench_kernel runs a and b of one config at two visit schedules:
    per patient, time = fixed + visits x per visit, solved for both."""
    def per_patient(r, key):
        return r["patient_months"] * r[key] / r["patients"], r["patient_months"] / r["patients"]
    visit, patient = [], []
    for key in ("kernel_ns_1", "floor_ns_1"):
        (ta, va), (tb, vb) = per_patient(a, key), per_patient(b, key)
        slope = (tb - ta) / (vb - va)
        visit.append(slope)
        patient.append(ta - va * slope)
    return visit, patient


def main():
    build, mpi_build = sys.argv[1], sys.argv[2]
    mndsim, mndsim_mpi = os.path.join(build, "mndsim"), os.path.join(mpi_build, "mndsim")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        note(f"== kernel vs floor, {CONFIG}, {KERNEL_PATIENTS} patients")
        k = kernel_and_floor(build, tmp, KERNEL_PATIENTS, treated="bench/three_interventions.cfg")
        per_pm = " ".join(f"{c[6:]} {v:.2f}" for c, v in k.items() if c.startswith("calls_"))
        rows += [
            ("kernel, 1 thread, no output", f"{k['kernel_ns_1']:.0f} ns per patient-month "
             f"({1e3 / k['kernel_ns_1']:.2f} M patient-months/s/core)", "≥ 2 M/s/core"),
            ("floor: the kernel's random numbers and libm calls alone", f"{k['floor_ns_1']:.0f} ns "
             f"per patient-month (calls per patient-month: {per_pm})", ""),
            ("**kernel / floor**", f"**{k['kernel_over_floor']:.2f}**", "≤ 2"),
            ("kernel, 2 threads", f"{k['kernel_ns_2']:.0f} ns per patient-month wall; speed-up "
             f"**{k['speedup_kernel']:.2f}** (floor {k['speedup_floor']:.2f})", "≥ 1.8"),
            (f"kernel with {k['treated_interventions']:.0f} interventions / untreated",
             f"{k['treated_over_untreated']:.2f} ({k['treated_ns_1']:.0f} ns per patient-month)",
             "≤ 1.3"),
        ]

        note(f"== kernel vs floor at half-monthly visits, {SPLIT_PATIENTS} patients")
        h = kernel_and_floor(build, tmp, SPLIT_PATIENTS, override=HALF_MONTHLY)
        visit, patient = split_by_visits(k, h)
        rows += [
            ("kernel / floor at half-monthly visits (the same code; "
             f"{h['patient_months'] / h['patients']:.1f} visits per patient, "
             f"{k['patient_months'] / k['patients']:.1f} monthly)",
             f"{h['kernel_over_floor']:.2f} ({h['kernel_ns_1']:.0f} against {h['floor_ns_1']:.0f} "
             "ns per visit)", ""),
            ("split from the two schedules: the work at each visit", f"{visit[0]:.0f} ns against "
             f"{visit[1]:.0f} ns of floor: **{visit[0] / visit[1]:.2f}**", ""),
            ("split: the work once per patient (covariates, course, the searches of the events "
             "and of M50 and D50)", f"{patient[0] / 1e3:.2f} µs against {patient[1] / 1e3:.2f} µs "
             f"of floor: **{patient[0] / patient[1]:.2f}**", ""),
        ]

        note(f"== chunk encoders, {DEFLATE_PATIENTS} patients")
        out = subprocess.run([os.path.join(build, "bench_deflate"), CONFIG, str(DEFLATE_PATIENTS)],
                             capture_output=True, text=True, check=True).stdout
        z = {name: float(v) for name, v in (line.split() for line in out.splitlines())}
        rows += [
            (f"chunk encoders, 1 thread, on the trajectory chunks of {DEFLATE_PATIENTS:,} patients "
             f"({z['raw_mb']:.0f} MB shuffled; `bench_deflate`)",
             f"ISA-L level 1 (the default) {z['isal_mb_per_s']:.0f} MB/s, to {z['isal_ratio']:.3f} "
             f"of the bytes; zlib level 1 (HDF5's pipeline) {z['zlib_mb_per_s']:.0f} MB/s, to "
             f"{z['zlib_ratio']:.3f}: ISA-L {z['isal_over_zlib']:.1f} times as fast", ""),
        ]

        n = KERNEL_PATIENTS
        note(f"== full runs with HDF5 output, {n} patients")
        one = full_run(mndsim, tmp, n, 1)
        two, pipeline, raw, lean = fastest_of(REPEATS, [
            lambda: full_run(mndsim, tmp, n, 2),
            lambda: full_run(mndsim, tmp, n, 2, "output.thread_compression=false"),
            lambda: full_run(mndsim, tmp, n, 2, "output.deflate_level=0"),
            lambda: full_run(mndsim, tmp, n, 2, store_without_neurons())])
        cost = 1 - k["kernel_ns_2"] / two["ns"]
        compression = 1 - raw["ns"] / two["ns"]
        rows += [
            (f"full run, compressed output ({two['file_mb']:.0f} MB), 1 / 2 threads",
             f"{one['ns']:.0f} / {two['ns']:.0f} ns per patient-month wall "
             f"(speed-up {one['ns'] / two['ns']:.2f})", ""),
            ("same, 2 threads, chunks compressed by HDF5's filter pipeline (one thread)",
             f"{pipeline['ns']:.0f} ns per patient-month wall", ""),
            (f"same, 2 threads, no compression ({raw['file_mb']:.0f} MB)",
             f"{raw['ns']:.0f} ns per patient-month wall", ""),
            ("**throughput lost to compression, 2 threads** (1 − uncompressed / compressed run)",
             f"**{100 * compression:.0f} %**" if compression >= 0 else
             f"**none**: the compressed run takes {two['ns'] / raw['ns']:.2f} times the time of the "
             f"uncompressed one ({100 * compression:.0f} %)", "≤ 25 %"),
            ("throughput lost to the whole output, 2 threads (1 − kernel alone / compressed run)",
             f"{100 * cost:.0f} %", ""),
            (f"same, 2 threads, compressed, without the pool trajectories ({lean['file_mb']:.0f} MB; "
             "`output.store` without \"neurons\")",
             f"{lean['ns']:.0f} ns per patient-month wall ({100 * (1 - lean['ns'] / two['ns']):.0f} % "
             "less time than storing them)", ""),
        ]

        for n in (10**4, 10**5, 10**6, 3 * 10**6):
            note(f"== scaling: {n} patients, 2 threads")
            r = full_run(mndsim, tmp, n, 2)
            rows.append((f"scaling: {n:,} patients × 121 visits, compressed, 2 threads",
                         f"{r['ns']:.0f} ns per patient-month wall ({r['wall']:.1f} s), peak RSS "
                         f"{r['rss_mb']:.0f} MB, file {r['file_mb']:.0f} MB",
                         "linear; memory bounded" if n == 10**4 else ""))

        n = KERNEL_PATIENTS
        if os.access(mndsim_mpi, os.X_OK):
            for ranks in (1, 2, 4):
                note(f"== MPI: {ranks} rank(s) x 1 thread, {n} patients")
                r = full_run(mndsim_mpi, tmp, n, 1,
                             launcher=("mpirun", "--oversubscribe", "-np", str(ranks)))
                label = " (oversubscribed: 2 cores)" if ranks > 2 else ""
                rows.append((f"MPI build, {ranks} rank(s) × 1 thread{label}, {n:,} patients, "
                             "compressed (collective writes)",
                             f"{r['ns']:.0f} ns per patient-month wall", ""))
        else:
            rows.append(("MPI build", f"not built ({mndsim_mpi})", ""))

        note("== replicate studies")
        start = time.perf_counter()
        subprocess.run([mndsim, "run", "bench/replicate_studies.cfg", "-q", "--threads", "2",
                        "-o", os.path.join(tmp, "studies.h5")], check=True)
        s = time.perf_counter() - start
        rows.append(("replicate randomized studies, 200 patients × 24 monthly visits, both arms "
                     "of every patient, summary only, 2 threads",
                     f"10,000 in {s:.1f} s = {10000 * 60 / s:,.0f} per minute", "≥ 10,000 per minute"))

    print("| measure | figure | target |")
    print("|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")


if __name__ == "__main__":
    main()
