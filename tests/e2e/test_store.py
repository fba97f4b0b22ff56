# SPDX-License-Identifier: GPL-3.0-or-later
"""output.store picks the per-visit variables; the rest are absent."""
import h5py
import numpy as np
import pytest
import xarray as xr

from conftest import arrays_equal, read_datasets, run_ok, wrote_line

TRAJ_BY_STORE = {
    "time": ["visit_time"],
    "items": ["alsfrs_items"],
    "total": ["alsfrs_total"],
    "fvc": ["fvc"],
    "kings": ["kings_stage"],
    "mitos": ["mitos_stage"],
    "neurons": ["umn_fraction", "lmn_fraction"],
}
ALL_TRAJ = {n for names in TRAJ_BY_STORE.values() for n in names}


def run_store(tmp_path, store, name="s.h5"):
    out = tmp_path / name
    r = run_ok("run", "configs/default.cfg", "-o", out, "-q",
               "--set", "simulation.n_patients=300", "--set", f"output.store={store}")
    assert r.stderr == wrote_line(out, 300)
    return out


def test_total_and_fvc_only(tmp_path):
    out = run_store(tmp_path, '["total","fvc"]')
    with h5py.File(out, "r") as f:
        names = set(f.keys())
        assert names & ALL_TRAJ == {"alsfrs_total", "fvc"}
        # visit_time is written only when "time" is listed.
        assert "visit_time" not in names
        for k in ("patient", "visit", "item", "region", "t_end", "n_visits", "loss_start",
                  "config_text"):
            assert k in names, k
        assert f["alsfrs_total"].shape == (300, 121)
        text = f["config_text"].asstr()[()]
    assert 'store = ["total", "fvc"];' in text
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert ds["fvc"].dims == ("patient", "visit")


def test_store_does_not_change_results(tmp_path):
    full = run_store(tmp_path, '["time","items","total","fvc","kings","mitos","neurons"]', "f.h5")
    part = run_store(tmp_path, '["total","fvc"]', "p.h5")
    a, b = read_datasets(full), read_datasets(part)
    for k in b:
        if k != "config_text":
            assert arrays_equal(a[k], b[k]), k


@pytest.mark.parametrize("store", sorted(TRAJ_BY_STORE))
def test_each_store_name(tmp_path, store):
    out = run_store(tmp_path, f'["{store}"]')
    with h5py.File(out, "r") as f:
        assert set(f.keys()) & ALL_TRAJ == set(TRAJ_BY_STORE[store])


def test_empty_store(tmp_path):
    out = run_store(tmp_path, "[]")
    with h5py.File(out, "r") as f:
        assert set(f.keys()) & ALL_TRAJ == set()
        # The visit dimension is still defined, and n_visits still counts visits.
        assert np.array_equal(f["visit"][()], np.arange(121))
        assert (f["n_visits"][()] > 0).all()
