# SPDX-License-Identifier: GPL-3.0-or-later
"""Same config and seed, same bits: whatever the thread count or block size.

Random streams are keyed by (seed, purpose, replicate, patient, attempt), so
a patient does not depend on the cohort size, and a change to one purpose
(measurement noise) leaves the others (cohort, course, events) alone."""
import subprocess
import zlib

import h5py
import numpy as np
import pytest

from conftest import arrays_equal, have_tool, read_datasets, run_ok

BASE = ["configs/default.cfg", "--set", "simulation.n_patients=300",
        "--set", "simulation.block_patients=64", "--set", "output.chunk_patients=32", "-q"]
# Root attributes that describe the run, not its results.
VOLATILE = {"created_utc", "n_threads", "command_line", "overrides"}


def run_to(tmp_path, name, *extra):
    out = tmp_path / name
    run_ok("run", *BASE, "-o", out, *extra)
    return out


def root_attrs(path):
    with h5py.File(path, "r") as f:
        return {k: f.attrs[k] for k in f.attrs}


def differing(a, b, skip=()):
    da, db = read_datasets(a), read_datasets(b)
    assert set(da) == set(db)
    return sorted(k for k in da if k not in skip and not arrays_equal(da[k], db[k]))


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("threads")
    one = run_to(tmp, "t1.h5", "--threads", "1")
    two = run_to(tmp, "t2.h5", "--threads", "2")
    return one, two


def test_threads_identical_datasets(pair):
    one, two = pair
    assert differing(one, two) == []


def test_threads_identical_attributes(pair):
    a, b = root_attrs(pair[0]), root_attrs(pair[1])
    assert (int(a["n_threads"]), int(b["n_threads"])) == (1, 2)
    for k in set(a) - VOLATILE:
        assert arrays_equal(a[k], b[k]), k


@pytest.mark.skipif(not have_tool("h5diff"), reason="h5diff (hdf5-tools) not installed")
def test_threads_h5diff(pair):
    one, two = pair
    r = subprocess.run(["h5diff", one, two, "/alsfrs_items"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    # The whole-file comparison of docs/hdf5-schema.md, root attributes excluded.
    r = subprocess.run(["h5diff", "--exclude-attribute", "/", one, two],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    # Without the exclusion the provenance attributes differ (exit 1).
    r = subprocess.run(["h5diff", one, two], capture_output=True, text=True)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "attribute: <n_threads of </>>" in r.stdout


@pytest.mark.skipif(not have_tool("h5diff"), reason="h5diff (hdf5-tools) not installed")
def test_h5diff_sees_a_changed_value(pair, tmp_path):
    # Guard for the test above: a single changed item score must be reported.
    one, _ = pair
    changed = tmp_path / "changed.h5"
    changed.write_bytes(one.read_bytes())
    with h5py.File(changed, "r+") as f:
        row = f["alsfrs_items"][0]
        row[0, 0] = 3 if row[0, 0] != 3 else 2
        f["alsfrs_items"][0] = row
    r = subprocess.run(["h5diff", one, changed, "/alsfrs_items"], capture_output=True, text=True)
    assert r.returncode == 1


def test_block_size_does_not_matter(pair, tmp_path):
    one, _ = pair
    big = run_to(tmp_path, "big.h5", "--threads", "2",
                 "--set", "simulation.block_patients=4096", "--set", "output.chunk_patients=256")
    assert differing(one, big, skip={"config_text"}) == []


def test_rerun_identical(pair, tmp_path):
    again = run_to(tmp_path, "again.h5", "--threads", "1")
    assert differing(pair[0], again) == []


def test_other_seed_differs(pair, tmp_path):
    other = run_to(tmp_path, "seed7.h5", "--threads", "2", "--seed", "7")
    a, b = read_datasets(pair[0]), read_datasets(other)
    assert root_attrs(other)["master_seed"] == 7
    # Every random quantity changes; the coordinates do not.
    for k in ("age_onset_years", "t_diagnosis", "t_end", "rate_multiplier", "loss_start",
              "alsfrs_items", "fvc", "visit_time"):
        assert not arrays_equal(a[k], b[k]), k
    for k in ("patient", "visit", "item", "region", "patient_id", "replicate"):
        assert arrays_equal(a[k], b[k]), k
    # Not just a few rows: most patients differ.
    assert np.mean(a["age_onset_years"] != b["age_onset_years"]) > 0.95


def test_patients_do_not_depend_on_cohort_size(pair, tmp_path):
    small = run_to(tmp_path, "n100.h5", "--set", "simulation.n_patients=100")
    a, b = read_datasets(pair[0]), read_datasets(small)
    for k, v in b.items():
        if k == "config_text" or k in ("visit", "item", "region"):
            continue
        assert arrays_equal(a[k][:100], v), k


def test_replicate_zero_is_the_single_run(pair, tmp_path):
    reps = run_to(tmp_path, "reps.h5", "--set", "simulation.n_replicates=2")
    a, b = read_datasets(pair[0]), read_datasets(reps)
    assert b["patient"].shape == (600,)
    for k in ("age_onset_years", "t_end", "alsfrs_items", "lmn_fraction", "attempts"):
        assert arrays_equal(a[k], b[k][:300]), k
        assert not arrays_equal(a[k], b[k][300:]), k


def test_measurement_noise_changes_only_measurements(pair, tmp_path):
    noisy = run_to(tmp_path, "noisy.h5", "--set", "function.fvc_noise_cv=0.08")
    changed = differing(pair[0], noisy, skip={"config_text"})
    assert changed == ["fvc"]


def test_resolved_config_reproduces_the_run(pair, tmp_path):
    with h5py.File(pair[0], "r") as f:
        text = f["config_text"].asstr()[()]
    cfg = tmp_path / "resolved.cfg"
    cfg.write_text(text)
    r = run_ok("check", cfg)
    assert r.stdout == f"{cfg}: ok (300 patients x 1 replicates, 121 visits)\n"
    out = tmp_path / "from_resolved.h5"
    run_ok("run", cfg, "-o", out, "-q")
    assert differing(pair[0], out, skip={"config_text"}) == []
    # The resolved text of the rerun holds the same values (only the
    # "where from" comments differ).
    with h5py.File(out, "r") as f:
        text2 = f["config_text"].asstr()[()]
    strip = lambda s: [ln.split("#")[0].rstrip() for ln in s.splitlines()
                       if ln.split("#")[0].strip()]
    assert strip(text2) == strip(text)


TRAJECTORIES = ("visit_time", "alsfrs_items", "alsfrs_total", "fvc", "kings_stage",
                "mitos_stage", "umn_fraction", "lmn_fraction")


def stored_chunks(path, name):
    """(offset, filter mask, raw stored bytes) of every chunk of a dataset."""
    with h5py.File(path, "r") as f:
        ds = f[name]
        out = []
        for i in range(ds.id.get_num_chunks()):
            info = ds.id.get_chunk_info(i)
            mask, raw = ds.id.read_direct_chunk(info.chunk_offset)
            out.append((info.chunk_offset, mask, raw))
        return out, ds.compression, ds.compression_opts, ds.shuffle, ds.shape[0], ds.chunks[0]


def chunk_rows(path, name, raw, offset):
    """The rows of the dataset that a stored chunk holds, decoded by hand:
    its zlib stream inflated (zlib checks the stream and its Adler-32), the
    shuffle filter's byte planes put back into elements, and the padding of
    an edge chunk past the last row dropped."""
    with h5py.File(path, "r") as f:
        ds = f[name]
        shape, chunks, dtype = ds.shape, ds.chunks, ds.dtype
    per_row = int(np.prod(chunks[1:], dtype=np.int64))
    planes = np.frombuffer(zlib.decompress(raw), np.uint8).reshape(dtype.itemsize, -1)
    elements = np.ascontiguousarray(planes.T).view(dtype).reshape(chunks)
    return elements[:min(chunks[0], shape[0] - offset[0])]


def assert_chunks_decode_to_library_rows(ours, library, names):
    """Every stored chunk of each dataset of `ours` is a zlib stream that
    decodes by hand to the rows that `library` (written by HDF5's filter
    pipeline) holds there, with the same filters declared and the same
    chunk offsets."""
    for name in names:
        mine, comp, level, shuffle, rows, per = stored_chunks(ours, name)
        theirs = stored_chunks(library, name)
        assert (comp, level, shuffle) == ("gzip", 1, True) == theirs[1:4], name
        assert len(mine) == len(theirs[0]) == -(-rows // per), name
        with h5py.File(library, "r") as f:
            expected = f[name][()]
        for (off, mask, raw), (off2, mask2, _) in zip(mine, theirs[0]):
            assert off == off2 and mask == mask2 == 0, name
            assert arrays_equal(chunk_rows(ours, name, raw, off),
                                expected[off[0]:off[0] + per]), (name, off)


def patient_columns(path):
    """The chunked per-patient columns of a result file: axis 0 is
    `patient`, and they are not trajectories."""
    with h5py.File(path, "r") as f:
        n = f["patient"].shape[0]
        return sorted(k for k, d in f.items() if isinstance(d, h5py.Dataset) and d.chunks
                      and d.shape[0] == n and k not in TRAJECTORIES and k != "patient")


def test_thread_compression_stores_what_the_library_reads(pair, tmp_path):
    # Trajectory and column chunks compressed on the run's threads (ISA-L at
    # level 1) and stored with H5Dwrite_chunk (the default; pair[1] ran on 2
    # threads) against HDF5's own filter pipeline: the same data read
    # through HDF5, and the same rows decoded by hand from every chunk.
    library = run_to(tmp_path, "library.h5", "--threads", "2",
                     "--set", "output.thread_compression=false")
    assert differing(pair[1], library, skip={"config_text"}) == []
    for name in TRAJECTORIES:
        _, _, _, _, rows, per = stored_chunks(pair[1], name)
        assert rows % per != 0  # 300 rows in chunks of 32: an edge chunk is covered
    assert_chunks_decode_to_library_rows(pair[1], library, TRAJECTORIES)
    assert_chunks_decode_to_library_rows(pair[1], library, patient_columns(library))


def test_thread_compression_of_columns_across_blocks(tmp_path):
    # A column's rows gather over many blocks until its chunk is complete:
    # with three interventions a (patient, intervention) column has
    # 65536 / 3 = 21845 rows per chunk, which blocks of 100 patients cross
    # in their middle; 22,000 patients make a whole chunk and an edge one.
    run = ["bench/three_interventions.cfg", "-q", "--threads", "2",
           "--set", "simulation.n_patients=22000", "--set", "simulation.follow_up_months=3",
           "--set", "simulation.block_patients=100", "--set", "output.chunk_patients=50"]
    ours, library = tmp_path / "ours.h5", tmp_path / "library.h5"
    run_ok("run", *run, "-o", ours)
    run_ok("run", *run, "--set", "output.thread_compression=false", "-o", library)
    assert differing(ours, library, skip={"config_text"}) == []
    columns = patient_columns(library)
    with h5py.File(library, "r") as f:
        assert f["exposure_status"].chunks[0] == 21845
        assert f["loss_start"].chunks[0] == 16384
    assert {"exposure_status", "loss_start", "t_death"} <= set(columns)
    assert_chunks_decode_to_library_rows(ours, library, columns)


def test_threads_store_the_same_chunk_bytes(pair):
    # Not only the same data: every chunk of every dataset is stored as the
    # same bytes on 1 and 2 threads (the encoders depend on the chunk alone).
    with h5py.File(pair[0], "r") as f:
        names = [k for k, d in f.items() if isinstance(d, h5py.Dataset) and d.chunks]
    assert set(TRAJECTORIES) <= set(names)
    for name in names:
        assert stored_chunks(pair[0], name)[0] == stored_chunks(pair[1], name)[0], name


def test_thread_compression_above_level_1_stores_the_library_bytes(tmp_path):
    # Above level 1 the threads use zlib's compress2 at that level, as
    # HDF5's deflate filter does: the stored bytes of every chunk within
    # the rows are the library's (the edge chunk's padding past the last
    # row is never read).
    ours = run_to(tmp_path, "ours.h5", "--threads", "2", "--set", "output.deflate_level=2")
    library = run_to(tmp_path, "library.h5", "--threads", "2", "--set", "output.deflate_level=2",
                     "--set", "output.thread_compression=false")
    assert differing(ours, library, skip={"config_text"}) == []
    for name in TRAJECTORIES:
        mine, comp, level, shuffle, rows, per = stored_chunks(ours, name)
        theirs = stored_chunks(library, name)
        assert (comp, level, shuffle) == ("gzip", 2, True) == theirs[1:4], name
        assert len(mine) == len(theirs[0]) == -(-rows // per), name
        for (off, mask, raw), (off2, mask2, raw2) in zip(mine, theirs[0]):
            assert off == off2 and mask == mask2 == 0, name
            if off[0] + per <= rows:
                assert raw == raw2, (name, off)
