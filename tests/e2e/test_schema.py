# SPDX-License-Identifier: GPL-3.0-or-later
"""The HDF5 file of `mndsim run` against docs/hdf5-schema.md.

SCHEMA below is the expected layout written out by hand from the schema page;
test_doc_lists_the_same_datasets checks that the page and SCHEMA still agree,
so a change to either without the other fails here."""
import os
import re
import subprocess

import h5py
import numpy as np
import pytest
import xarray as xr

from conftest import N_SMALL, REPO, run_ok

T_DEFAULT = 121   # floor(120 / 1) + 1 visits in configs/default.cfg

# name: (dtype, dims, units)
COORDS = {
    "patient": ("int64", ("patient",), "1"),
    "visit": ("int32", ("visit",), "1"),
    "item": ("int32", ("item",), "1"),
    "region": ("int32", ("region",), "1"),
}
COLUMNS = {
    "replicate": ("int32", ("patient",), "1"),
    "patient_id": ("int64", ("patient",), "1"),
    "attempts": ("int32", ("patient",), "1"),
    "male": ("int8", ("patient",), "1"),
    "age_onset_years": ("float64", ("patient",), "year"),
    "phenotype": ("int8", ("patient",), "1"),
    "genotype": ("int8", ("patient",), "1"),
    "onset_region": ("int8", ("patient",), "1"),
    "rate_multiplier": ("float64", ("patient",), "1"),
    "t_diagnosis": ("float64", ("patient",), "month"),
    "t_enrolment": ("float64", ("patient",), "month"),
    "fvc_predicted_baseline": ("float64", ("patient",), "% predicted"),
    "t_gastrostomy": ("float64", ("patient",), "month"),
    "t_niv": ("float64", ("patient",), "month"),
    "t_respiratory_failure": ("float64", ("patient",), "month"),
    "t_tracheostomy": ("float64", ("patient",), "month"),
    "t_death": ("float64", ("patient",), "month"),
    "t_end": ("float64", ("patient",), "month"),
    "died": ("int8", ("patient",), "1"),
    "end_cause": ("int8", ("patient",), "1"),
    "death_ventilation": ("float64", ("patient",), "1"),
    "niv_good_bulbar": ("int8", ("patient",), "1"),
    "n_visits": ("int32", ("patient",), "1"),
    "delta_fs": ("float64", ("patient",), "1/month"),
    "t_m50": ("float64", ("patient",), "month"),
    "t_d50": ("float64", ("patient",), "month"),
    "mu_decline_percent_per_month": ("float64", ("patient",), "%/month"),
    "loss_start": ("float64", ("patient", "region"), "month"),
    "lmn_rate": ("float64", ("patient", "region"), "1/month"),
    "umn_rate": ("float64", ("patient", "region"), "1/month"),
}
# name: (store name, dtype, dims, units)
TRAJECTORIES = {
    "visit_time": ("time", "float32", ("patient", "visit"), "month"),
    "alsfrs_items": ("items", "int8", ("patient", "visit", "item"), "1"),
    "alsfrs_total": ("total", "int8", ("patient", "visit"), "1"),
    "fvc": ("fvc", "float32", ("patient", "visit"), "% predicted"),
    "kings_stage": ("kings", "int8", ("patient", "visit"), "1"),
    "mitos_stage": ("mitos", "int8", ("patient", "visit"), "1"),
    "umn_fraction": ("neurons", "float32", ("patient", "visit", "region"), "1"),
    "lmn_fraction": ("neurons", "float32", ("patient", "visit", "region"), "1"),
}
FLAGS = {
    "male": "female male",
    "phenotype": "classic pbp flail_arm flail_leg pma pls",
    "genotype": "sporadic c9orf72 sod1_a4v sod1_other other_familial",
    "onset_region": "bulbar cervical thoracic lumbar",
    "died": "alive dead",
    "end_cause": "censored respiratory tracheostomy background procedure adverse_event",
    "region": "bulbar cervical thoracic lumbar",
}
ITEM_NAMES = ("speech salivation swallowing handwriting cutting_food dressing_hygiene "
              "turning_in_bed walking climbing_stairs dyspnoea orthopnoea "
              "respiratory_insufficiency")
ROOT_ATTRS = {   # name: h5py type of the value
    "title": str, "engine_name": str, "engine_version": str, "git_commit": str,
    "git_dirty": np.int8, "command_line": str, "config_path": str, "overrides": str,
    "created_utc": str, "hdf5_version": str, "gsl_version": str, "libc_version": str,
    "compiler": str, "rng_algorithm": str, "master_seed": np.uint64,
    "master_seed_hex": str, "visit_origin": str, "n_patients": np.int64,
    "n_replicates": np.int64, "n_threads": np.int32, "n_ranks": np.int32,
    "max_visits": np.int64,
    "visit_interval_months": np.float64, "follow_up_months": np.float64,
}
ALL = {**COORDS, **COLUMNS,
       **{k: v[1:] for k, v in TRAJECTORIES.items()}}
SIZES = {"patient": N_SMALL, "visit": T_DEFAULT, "item": 12, "region": 4}

# Written only by runs with interventions (section "Interventions" of the page).  Checked
# here against the page and against a run of every preset (iv_h5 below), and in
# tests/unit/test_output.c against a file written with interventions set in C.
# name: (dtype, dataset path)
INTERVENTION_DIMS = {
    "intervention": ("string", "/intervention"),
    "event": ("int64", "/adverse_events/event"),
}
# name: (dtype, dims, units)
EXPOSURE = {
    "exposure_status": ("int8", ("patient", "intervention"), "1"),
    "exposure_doses": ("int32", ("patient", "intervention"), "1"),
    "exposure_start": ("float64", ("patient", "intervention"), "month"),
    "exposure_stop": ("float64", ("patient", "intervention"), "month"),
}
# name: (dtype, dims, units)
INTERVENTION_COLUMNS = {
    "adverse_events_dropped": ("int32", ("patient",), "1"),
}
# /adverse_events/<name>: (dtype, units), every one along (event,)
ADVERSE_EVENTS = {
    "event": ("int64", "1"),
    "row": ("int64", "1"),
    "intervention_index": ("int8", "1"),
    "type": ("int8", "1"),
    "severity": ("int8", "1"),
    "outcome": ("int8", "1"),
    "time": ("float64", "month"),
}
INTERVENTION_FLAGS = {
    "exposure_status": "not_reached ineligible declined treated",
    "type": "headache meningitis neurological surgical tumour ectopic rejection",
    "severity": "mild moderate serious",
    "outcome": "recovered graft_lost fatal",
}
INTERVENTION_OBJECTS = {"intervention", "adverse_events", "interventions", *EXPOSURE,
                        *INTERVENTION_COLUMNS}


@pytest.fixture(scope="module")
def h5(default_run):
    with h5py.File(default_run.path, "r") as f:
        yield f


# --- the schema page itself -------------------------------------------------

def _doc_tables():
    """{section heading: [rows as lists of cells]} of docs/hdf5-schema.md."""
    text = (REPO / "docs" / "hdf5-schema.md").read_text()
    tables, section = {}, None
    for line in text.splitlines():
        if line.startswith("#"):
            section = line.lstrip("#").strip()
        elif line.startswith("| `") and section:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            tables.setdefault(section, []).append(cells)
    return tables


def test_doc_lists_the_same_datasets():
    t = _doc_tables()
    dims = {r[0].strip("`"): r[1] for r in t["Dimensions (coordinate variables)"]}
    cols = {}
    for r in t["Per-patient columns — always written"]:
        m = re.fullmatch(r"(\w+)(?: `\((.*)\)`)?", r[1])
        shape = tuple(m.group(2).split(", ")) if m.group(2) else ("patient",)
        cols[r[0].strip("`")] = (m.group(1), shape, r[2])
    traj = {r[0].strip("`"): (r[1].strip("`"), r[2], tuple(r[3].strip("()").split(", ")), r[4])
            for r in t["Trajectories — per visit, written when named in `output.store`"]}
    root = [r[0].strip("`") for r in t["Root attributes"]]
    assert dims == {k: v[0] for k, v in COORDS.items()}
    assert cols == COLUMNS
    assert traj == TRAJECTORIES
    assert root == list(ROOT_ATTRS)
    iv_dims = {r[0].strip("`"): (r[1], r[4].strip("`"))
               for r in t["Dimensions of interventions"]}
    exposure = {r[0].strip("`"): (r[1], ("patient", "intervention"), r[2])
                for r in t["Exposure — (patient, intervention)"]}
    iv_columns = {r[0].strip("`"): (r[1], ("patient",), r[2])
                  for r in t["Dropped adverse events — (patient)"]}
    events = {r[0].strip("`"): (r[1], r[2]) for r in t["Adverse events — `/adverse_events`"]}
    assert iv_dims == INTERVENTION_DIMS
    assert exposure == EXPOSURE
    assert iv_columns == INTERVENTION_COLUMNS
    assert events == ADVERSE_EVENTS


def _doc_flags(cell):
    """The words of a "flags `0 a`, `1 b`" table cell, checking that the codes count from 0."""
    pairs = re.findall(r"`(\d+) (\w+)`", cell)
    assert [int(code) for code, _ in pairs] == list(range(len(pairs))), cell
    return " ".join(word for _, word in pairs)


def test_doc_lists_the_same_flags():
    t = _doc_tables()
    rows = {r[0].strip("`"): r[-1] for section in ("Per-patient columns — always written",
                                                   "Exposure — (patient, intervention)",
                                                   "Adverse events — `/adverse_events`")
            for r in t[section]}
    documented = {name: _doc_flags(cell) for name, cell in rows.items() if "flags `0" in cell}
    expected = {k: v for k, v in {**FLAGS, **INTERVENTION_FLAGS}.items() if k != "region"}
    assert documented == expected


# --- datasets ----------------------------------------------------------------

def test_exactly_the_documented_datasets(h5):
    assert set(h5.keys()) == set(ALL) | {"config_text"}


def test_no_intervention_objects_without_interventions(h5):
    # default.cfg has no `interventions`: no dimension, no empty table, no groups.
    assert not INTERVENTION_OBJECTS & set(h5.keys())
    assert "adverse_event" in h5["end_cause"].attrs["flag_meanings"].split()


@pytest.mark.parametrize("name", list(ALL))
def test_dataset_type_shape_units(h5, name):
    dtype, dims, units = ALL[name]
    d = h5[name]
    assert d.dtype == np.dtype(dtype)
    assert d.shape == tuple(SIZES[x] for x in dims)
    assert d.attrs["units"] == units
    desc = d.attrs["description"]
    assert isinstance(desc, str) and len(desc) > 5
    assert d.attrs["long_name"] == desc
    assert "since" not in units


@pytest.mark.parametrize("name", list(ALL))
def test_fill_values(h5, name):
    d = h5[name]
    if name in COORDS or (name in COLUMNS and d.dtype.kind == "i"):
        assert "_FillValue" not in d.attrs       # always defined
    elif d.dtype.kind == "f":
        fill = d.attrs["_FillValue"]
        assert fill.dtype == d.dtype and np.isnan(fill)
    else:  # integer trajectories
        fill = d.attrs["_FillValue"]
        assert fill.dtype == np.int8 and fill == -1


@pytest.mark.parametrize("name", list(FLAGS))
def test_flags(h5, name):
    d = h5[name]
    words = FLAGS[name].split()
    assert d.attrs["flag_meanings"] == FLAGS[name]
    flags = d.attrs["flag_values"]
    assert flags.dtype == d.dtype
    assert flags.tolist() == list(range(len(words)))
    if name != "region":
        assert set(np.unique(d[()])) <= set(flags.tolist())


def test_time_descriptions_state_the_origin(h5):
    for name in ("t_diagnosis", "t_enrolment", "t_gastrostomy", "t_niv", "t_death",
                 "t_end", "visit_time", "loss_start"):
        assert "months since onset" in h5[name].attrs["description"], name


def test_coordinate_values_and_scales(h5):
    expect = {"patient": np.arange(N_SMALL), "visit": np.arange(T_DEFAULT),
              "item": np.arange(1, 13), "region": np.arange(4)}
    for dimid, (name, values) in enumerate(expect.items()):
        d = h5[name]
        assert np.array_equal(d[()], values), name
        assert d.attrs["CLASS"] == b"DIMENSION_SCALE"
        assert d.attrs["NAME"] == name.encode()
        assert d.attrs["_Netcdf4Dimid"] == dimid
        assert d.attrs["_Netcdf4Dimid"].dtype == np.int32
    assert h5["item"].attrs["item_names"] == ITEM_NAMES
    assert h5["visit"].attrs["description"] == "visit number from the visit origin"


@pytest.mark.parametrize("name", list(COLUMNS) + list(TRAJECTORIES))
def test_every_axis_has_its_scale(h5, name):
    d = h5[name]
    dims = ALL[name][1]
    for axis, dim in enumerate(dims):
        attached = [s.name for s in d.dims[axis].values()]
        assert attached == ["/" + dim], (name, axis, attached)


def test_config_text_dataset(h5):
    d = h5["config_text"]
    assert d.shape == ()
    assert h5py.check_string_dtype(d.dtype).encoding == "utf-8"
    assert h5py.check_string_dtype(d.dtype).length is None     # variable length
    assert d.attrs["units"] == "1"
    assert d.attrs["long_name"] == d.attrs["description"]


def test_trajectory_chunks(h5):
    # P = output.chunk_patients (256), clipped to the number of rows (300 -> 256).
    assert h5["alsfrs_items"].chunks == (256, T_DEFAULT, 12)
    assert h5["alsfrs_total"].chunks == (256, T_DEFAULT)
    assert h5["lmn_fraction"].chunks == (256, T_DEFAULT, 4)
    assert h5["alsfrs_total"].compression == "gzip"
    assert h5["alsfrs_total"].compression_opts == 1
    assert h5["alsfrs_total"].shuffle


def test_dataset_creation_order(h5):
    order = []
    h5.id.links.iterate(lambda n: order.append(n.decode()),
                        idx_type=h5py.h5.INDEX_CRT_ORDER)
    # Dimensions, then columns, then trajectories, as on the schema page.
    body = [n for n in order if n != "config_text"]
    assert body == list(ALL)


def test_creation_order_matches_page(h5):
    order = []
    h5.id.links.iterate(lambda n: order.append(n.decode()),
                        idx_type=h5py.h5.INDEX_CRT_ORDER)
    attrs = []
    h5py.h5a.iterate(h5.id, lambda n, *a: attrs.append(n.decode()),
                     index_type=h5py.h5.INDEX_CRT_ORDER)
    assert order == list(ALL) + ["config_text"]
    assert attrs == list(ROOT_ATTRS)


# --- runs with interventions ------------------------------------------------

# Every preset, with tofersen given to every genotype and a neurological event at each
# of its 26 doses, so that many patients have more adverse events than the table keeps.
N_IV = 5
ALL_GENOTYPES = '["sporadic","c9orf72","sod1_a4v","sod1_other","other_familial"]'


@pytest.fixture(scope="module")
def iv_h5(tmp_path_factory):
    out = tmp_path_factory.mktemp("interventions") / "iv.h5"
    run_ok("run", "tests/e2e/configs/interventions/all_presets.cfg", "-o", out, "-q",
           "--set", f"simulation.n_patients={N_SMALL}",
           "--set", f"interventions.tofersen.genotypes={ALL_GENOTYPES}",
           "--set", "interventions.tofersen.neurological_ae_per_dose=1.0")
    with h5py.File(out, "r") as f:
        yield f


@pytest.mark.parametrize("name", list(EXPOSURE) + list(INTERVENTION_COLUMNS))
def test_intervention_column_type_shape_units_fill(iv_h5, name):
    dtype, dims, units = {**EXPOSURE, **INTERVENTION_COLUMNS}[name]
    sizes = {**SIZES, "intervention": N_IV}
    d = iv_h5[name]
    assert d.dtype == np.dtype(dtype)
    assert d.shape == tuple(sizes[x] for x in dims)
    assert d.attrs["units"] == units
    desc = d.attrs["description"]
    assert isinstance(desc, str) and len(desc) > 5
    assert d.attrs["long_name"] == desc
    if d.dtype.kind == "i":
        assert "_FillValue" not in d.attrs       # always defined
    else:
        fill = d.attrs["_FillValue"]
        assert fill.dtype == d.dtype and np.isnan(fill)
    for axis, dim in enumerate(dims):
        attached = [sc.name for sc in d.dims[axis].values()]
        assert attached == ["/" + dim], (name, axis, attached)


def test_adverse_events_dropped_counts_past_the_cap(iv_h5):
    # The table keeps, per patient, those up to t_end of the first 16 events drawn; the
    # column counts the others up to t_end (docs: "Dropped adverse events").
    dropped = iv_h5["adverse_events_dropped"][()]
    rows = np.bincount(iv_h5["adverse_events/row"][()], minlength=N_SMALL)
    died = iv_h5["died"][()] == 1
    assert (dropped >= 0).all()
    assert rows.max() <= 16
    assert (dropped > 0).sum() > 20
    # Fewer than 16 rows with events dropped: some of the first 16 came after an earlier
    # death.  Alive at the end of follow-up, the first 16 are all kept.
    short = (rows < 16) & (dropped > 0)
    assert short.any() and died[short].all()
    alive = ~died & (dropped > 0)
    assert alive.any() and (rows[alive] == 16).all()


# --- provenance --------------------------------------------------------------

def test_dataset_attribute_order(h5):
    # units, long_name, description, then fill and flags, as on the page.
    def order(d):
        names = []
        h5py.h5a.iterate(d.id, lambda n, *a: names.append(n.decode()),
                         index_type=h5py.h5.INDEX_CRT_ORDER)
        return [n for n in names if n not in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS",
                                              "NAME", "_Netcdf4Dimid")]
    assert order(h5["t_death"]) == ["units", "long_name", "description", "_FillValue"]
    assert order(h5["end_cause"]) == ["units", "long_name", "description", "flag_values",
                                      "flag_meanings"]
    assert order(h5["config_text"]) == ["units", "long_name", "description"]


# --- documented special values ---------------------------------------------------

def _doc_text():
    return " ".join((REPO / "docs" / "hdf5-schema.md").read_text().split())


def test_delta_fs_nan_when_first_visit_is_at_onset(replicates_run, h5):
    # visit_origin = onset: the first visit is at month 0, where the ratio has
    # no value, so delta_fs is NaN for every patient even though each has visits.
    with h5py.File(replicates_run.path, "r") as f:
        assert f.attrs["visit_origin"] == "onset"
        assert (f["n_visits"][()] >= 1).all()
        assert (f["visit_time"][:, 0] == 0).all()
        assert np.isnan(f["delta_fs"][()]).all()
        assert "first visit is at onset" in f["delta_fs"].attrs["description"]
    # visit_origin = diagnosis: defined exactly for the patients with a visit.
    n, delta_fs = h5["n_visits"][()], h5["delta_fs"][()]
    assert h5.attrs["visit_origin"] == "diagnosis"
    assert (np.isnan(delta_fs) == (n == 0)).all()
    first = h5["visit_time"][:, 0].astype(np.float64)
    total = h5["alsfrs_total"][:, 0].astype(np.float64)
    seen = n > 0
    assert np.allclose(delta_fs[seen], (48 - total[seen]) / first[seen], rtol=1e-6)
    assert ("`delta_fs` is NaN for **every** patient of such a run" in _doc_text())


def test_attempts_without_selection(h5, trial_run):
    # Selection disabled (default.cfg): a draw is redrawn only when its record
    # ends before diagnosis; with selection enabled (trial_like.cfg) screening
    # failures are counted too, so redraws are more common.  Both are bounded
    # by selection.max_attempts (1000).
    cfg = h5["config_text"].asstr()[()]
    assert re.search(r"^\s*enabled = false;", cfg, re.M)
    plain = h5["attempts"][()]
    assert plain.min() >= 1 and plain.max() <= 1000
    with h5py.File(trial_run.path, "r") as f:
        assert re.search(r"^\s*enabled = true;", f["config_text"].asstr()[()], re.M)
        screened = f["attempts"][()]
    assert screened.min() >= 1 and screened.max() <= 1000
    assert np.mean(plain == 1) > 0.5                       # "1 for most patients"
    assert np.mean(plain > 1) < np.mean(screened > 1)
    desc = h5["attempts"].attrs["description"]
    assert "with selection enabled only" in desc
    doc = _doc_text()
    assert "**Selection disabled.** `attempts` is 1 for most patients." in doc
    assert "at most `selection.max_attempts` draws are made" in doc


def test_max_attempts_applies_without_selection(tmp_path):
    # One draw allowed, no criteria: the patients whose first draw dies
    # before diagnosis cannot be redrawn, so the run fails (documented under
    # Attempts: "In both cases at most selection.max_attempts draws").
    out = tmp_path / "o.h5"
    r = subprocess.run([os.environ["MNDSIM"], "run", "configs/default.cfg", "-o", str(out), "-q",
                        "--set", f"simulation.n_patients={N_SMALL}",
                        "--set", "selection.max_attempts=1"],
                       cwd=REPO, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert r.returncode == 1, r.stderr
    assert re.fullmatch(r"mndsim: patient \d+ of replicate 0: .* in 1 attempts "
                        r"\(selection\.max_attempts\).*\n", r.stderr), r.stderr
    assert list(tmp_path.iterdir()) == []


def test_root_attribute_types(h5):
    assert set(h5.attrs.keys()) == set(ROOT_ATTRS)
    for name, kind in ROOT_ATTRS.items():
        v = h5.attrs[name]
        if kind is str:
            assert isinstance(v, str), name
        else:
            assert v.dtype == np.dtype(kind), name


def test_root_attribute_values(h5, default_run):
    a = h5.attrs
    assert a["title"] == "mndsim natural-history run"
    assert a["engine_name"] == "mndsim"
    assert re.fullmatch(r"\d+\.\d+\.\d+", a["engine_version"])
    assert re.fullmatch(r"[0-9a-f]{40}|unknown", a["git_commit"])
    assert int(a["git_dirty"]) in (0, 1)
    assert a["config_path"] == "configs/default.cfg"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", a["created_utc"])
    assert a["hdf5_version"] == h5py.version.hdf5_version
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", a["gsl_version"])
    assert "glibc " + a["libc_version"] == os.confstr("CS_GNU_LIBC_VERSION")
    assert re.fullmatch(r"gcc \d+\.\d+\.\d+", a["compiler"])
    assert a["rng_algorithm"] == ("xoshiro256++ seeded by SplitMix64 of "
                                  "(seed, purpose, replicate, patient, attempt)")
    assert a["master_seed"] == 42
    assert a["master_seed_hex"] == "0x000000000000002a"
    assert a["visit_origin"] == "diagnosis"
    assert a["n_patients"] == N_SMALL
    assert a["n_replicates"] == 1
    assert a["n_threads"] == 2
    assert a["n_ranks"] == 1  # the serial build; tests/e2e/test_mpi.py checks the MPI one
    assert a["max_visits"] == T_DEFAULT
    assert a["visit_interval_months"] == 1.0
    assert a["follow_up_months"] == 120.0


def test_overrides_recorded(h5):
    # --set arguments in order, one per line; --seed N is recorded as the
    # equivalent override of simulation.seed.
    assert h5.attrs["overrides"] == ("simulation.n_patients=300\n"
                                     "neurons.phase_sd_log=0\n"
                                     "cohort.male_share=0.6\n"
                                     "simulation.seed=42L")


def test_config_text_resolved(h5):
    text = h5["config_text"].asstr()[()]
    lines = [ln.strip() for ln in text.splitlines()]
    # Every key at its final value, with where it came from.
    assert "male_share = 0.6;  # --set cohort.male_share=0.6" in lines
    assert "n_patients = 300;  # --set simulation.n_patients=300" in lines
    assert any(ln.startswith("seed = 42;") for ln in lines)
    assert "n_replicates = 1;  # configs/default.cfg:10" in lines
    assert "block_patients = 512;  # default" in lines
    for section in ("simulation", "cohort", "selection", "neurons", "function",
                    "events", "output"):
        assert f"{section} = {{" in lines, section


def test_command_line_records_options(h5, default_run):
    words = h5.attrs["command_line"].split(" ")
    assert words[0] == os.environ["MNDSIM"]
    assert sorted(words) == sorted(default_run.result.argv)


def test_command_line_is_exact_argv(h5, default_run):
    assert h5.attrs["command_line"] == " ".join(default_run.result.argv)


# --- other readers -------------------------------------------------------------

def test_xarray_named_dimensions(default_run):
    with xr.open_dataset(default_run.path, engine="h5netcdf") as ds:
        assert dict(ds.sizes) == SIZES
        for name, (_, dims, _) in ALL.items():
            assert ds[name].dims == dims, name
        assert set(ds.coords) == set(COORDS)
        assert set(ds.data_vars) == set(COLUMNS) | set(TRAJECTORIES) | {"config_text"}
        # Default masking: int8 trajectories become float32 with NaN for -1.
        assert ds["alsfrs_items"].dtype == np.float32
        n = ds["n_visits"].values
        total = ds["alsfrs_total"].values
        assert np.isnan(total[np.arange(T_DEFAULT)[None, :] >= n[:, None]]).all()
        assert ds.attrs["master_seed"] == 42
        # No unit has "since", so times stay plain numbers.
        assert ds["visit_time"].dtype == np.float32
        assert ds["t_death"].dtype == np.float64


def test_xarray_raw_integers(default_run):
    with xr.open_dataset(default_run.path, engine="h5netcdf", mask_and_scale=False) as ds:
        assert ds["alsfrs_items"].dtype == np.int8
        assert ds["alsfrs_items"].dims == ("patient", "visit", "item")
        with h5py.File(default_run.path, "r") as f:
            assert np.array_equal(ds["alsfrs_items"].values, f["alsfrs_items"][()])
