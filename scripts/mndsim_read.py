# SPDX-License-Identifier: GPL-3.0-or-later
"""mndsim_read — the plotting scripts' one way into an mndsim result file.

Design.  Every script opens the HDF5 file that `mndsim run` writes through
this module and gets plain numpy arrays and dicts back, so the knowledge of
the schema (docs/hdf5-schema.md: fill values, flag meanings, the visit
origin, where the studies live) sits in one place.  Integer trajectories are
returned as float64 with NaN where the file has the fill value -1, so every
figure can use nan-aware numpy reductions.

A file that lacks what a figure needs raises ResultFileError, whose message
names the file and the missing dataset or group and says which `output.store`
entry or config section would write it.  Only h5py and numpy are used
(Debian's python3-h5py, python3-numpy).
"""
import os

import h5py
import numpy as np

# Where a missing trajectory comes from: the output.store entry (schema,
# "Trajectories") that writes it.
STORE_NAME = {
    "visit_time": "time", "alsfrs_items": "items", "alsfrs_total": "total",
    "fvc": "fvc", "kings_stage": "kings", "mitos_stage": "mitos",
    "umn_fraction": "neurons", "lmn_fraction": "neurons",
}

# ALSFRS-R domains (items 1-3 bulbar, 4-6 fine motor, 7-9 gross motor,
# 10-12 respiratory), each 0-12 points.
DOMAINS = (("bulbar", slice(0, 3)), ("fine motor", slice(3, 6)),
           ("gross motor", slice(6, 9)), ("respiratory", slice(9, 12)))


class ResultFileError(Exception):
    """A result file is missing, unreadable, or lacks a needed object.

    str(error) is a complete message that starts with the file's path."""


def open_result(path):
    """Opens the result file `path` read-only and returns the h5py.File.

    Raises ResultFileError naming `path` when it does not exist or is not an
    HDF5 file.  The caller closes the file (use it in a `with` block)."""
    if not os.path.exists(path):
        raise ResultFileError(f"{path}: no such file")
    try:
        return h5py.File(path, "r")
    except OSError as e:
        raise ResultFileError(f"{path}: not a readable HDF5 result file ({e})") from None


def require(f, *names, needed_for):
    """Raises ResultFileError unless every path in `names` exists in `f`.

    The message names the file, the first missing object and `needed_for`
    (e.g. "the FVC figure"), and, for trajectories, the `output.store` entry
    that writes it."""
    for name in names:
        if name not in f:
            hint = ""
            if name in STORE_NAME:
                hint = f"; run with output.store containing \"{STORE_NAME[name]}\""
            elif name.startswith(("studies", "analysis")):
                hint = "; the config has no `studies` section (or output.summary_only hides the records)"
            elif name in ("intervention", "adverse_events") or name.startswith("exposure"):
                hint = "; the config has no `interventions` section"
            raise ResultFileError(
                f"{f.filename}: has no /{name}, needed for {needed_for}{hint}")


def text_attr(obj, name, default=""):
    """Attribute `name` of an h5py object as str (VL strings come back as str,
    one-character ones sometimes as bytes); `default` when absent."""
    if name not in obj.attrs:
        return default
    value = obj.attrs[name]
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    return str(value)


def provenance(f):
    """The run's identity as a dict of str/int: config_path, seed, overrides
    (list of "key=value"), engine_version, git_commit, visit_origin,
    n_patients, n_replicates, visit_interval_months, follow_up_months."""
    overrides = [line for line in text_attr(f, "overrides").splitlines() if line]
    return {
        "file": f.filename,
        "config_path": text_attr(f, "config_path"),
        "seed": int(f.attrs["master_seed"]) if "master_seed" in f.attrs else None,
        "overrides": overrides,
        "engine_version": text_attr(f, "engine_version"),
        "git_commit": text_attr(f, "git_commit"),
        "visit_origin": text_attr(f, "visit_origin", "onset"),
        "n_patients": int(f.attrs.get("n_patients", 0)),
        "n_replicates": int(f.attrs.get("n_replicates", 0)),
        "visit_interval_months": float(f.attrs.get("visit_interval_months", np.nan)),
        "follow_up_months": float(f.attrs.get("follow_up_months", np.nan)),
    }


def flag_meanings(f, name):
    """The code names of the coded dataset `name` (its `flag_meanings`
    attribute split into words); code i is element i."""
    return text_attr(f[name], "flag_meanings").split()


def column(f, name):
    """Per-patient (or any numeric) dataset `name` as a float64 numpy array."""
    require(f, name, needed_for=f"reading {name}")
    return f[name][()].astype(np.float64)


def trajectory(f, name, rows=None):
    """Trajectory `name` (patient, visit[, k]) as float64 with NaN in the
    slots after the last visit (the file's -1 or NaN fill).

    rows: None for every patient, else an index array or slice along
    `patient` (read only those rows)."""
    require(f, name, needed_for=f"reading {name}")
    data = f[name][()] if rows is None else f[name][rows]
    out = data.astype(np.float64)
    if data.dtype.kind in "iu":
        out[data < 0] = np.nan
    return out


def visit_months(f):
    """Scheduled visit times from the visit origin, months (length T), and
    the origin's name (onset, diagnosis or enrolment)."""
    p = provenance(f)
    n_visits = int(f.attrs["max_visits"]) if "max_visits" in f.attrs else len(f["visit"])
    return np.arange(n_visits) * p["visit_interval_months"], p["visit_origin"]


def origin_months(f):
    """Each patient's visit origin in months since onset (0 for `onset`)."""
    origin = provenance(f)["visit_origin"]
    if origin == "diagnosis":
        return column(f, "t_diagnosis")
    if origin == "enrolment":
        return column(f, "t_enrolment")
    return np.zeros(len(f["patient"]))


def study_names(f):
    """Names of the studies in the file, in config order ([] when none)."""
    if "analysis" not in f:
        return []
    return text_attr(f["analysis"], "studies").split()


def study_metrics(f, study):
    """Per-replicate metrics of one study: {metric: float64 array over
    replicates}, plus "_attrs": the study's config keys as a dict and
    "_units": {metric: unit}."""
    group = f"studies/{study}"
    require(f, group, needed_for=f"the metrics of study {study}")
    g = f[group]
    out = {"_attrs": {k: _plain(v) for k, v in g.attrs.items()}, "_units": {}}
    n_rep = len(g["replicate"])
    for name, ds in g.items():
        if isinstance(ds, h5py.Dataset) and ds.shape == (n_rep,) and name != "replicate":
            out[name] = ds[()].astype(np.float64)
            out["_units"][name] = text_attr(ds, "units")
    return out


def study_records(f, study):
    """Patient records of one study: {column: float64 array along
    study_patient}.  Raises ResultFileError when the run had
    output.summary_only (no records)."""
    group = f"studies/{study}"
    require(f, group + "/t_event", needed_for=f"the patient records of study {study}")
    g = f[group]
    n = len(g["study_patient"])
    return {name: ds[()].astype(np.float64) for name, ds in g.items()
            if isinstance(ds, h5py.Dataset) and ds.shape == (n,)}


def analysis_summary(f, study):
    """Summary of one study over its replicates: {"attrs": dict (p_claim,
    claim_metric, claim_threshold, ...), "metrics": {metric: {"n", "mean",
    "sd", "q025", "median", "q975"}}}."""
    group = f"analysis/{study}"
    require(f, group, needed_for=f"the summary of study {study}")
    g = f[group]
    names = g["metric"].asstr()[()]
    stats = {s: g[s][()] for s in ("n", "mean", "sd", "q025", "median", "q975")}
    return {"attrs": {k: _plain(v) for k, v in g.attrs.items()},
            "metrics": {m: {s: float(stats[s][i]) for s in stats} for i, m in enumerate(names)}}


def interventions(f):
    """Intervention exposure and adverse events: {"names": [str],
    "status", "doses", "start", "stop": (patient, intervention) arrays,
    "status_names": [str], "ae": {column: array} of /adverse_events,
    "ae_type_names": [str]}."""
    require(f, "intervention", "adverse_events", needed_for="the exposure timeline")
    ae = f["adverse_events"]
    return {
        "names": list(f["intervention"].asstr()[()]),
        "status": f["exposure_status"][()],
        "status_names": flag_meanings(f, "exposure_status"),
        "doses": f["exposure_doses"][()],
        "start": f["exposure_start"][()],
        "stop": f["exposure_stop"][()],
        "ae": {k: ae[k][()] for k in ("row", "intervention_index", "type", "severity",
                                      "outcome", "time")},
        "ae_type_names": text_attr(ae["type"], "flag_meanings").split(),
        "ae_outcome_names": text_attr(ae["outcome"], "flag_meanings").split(),
    }


def _plain(value):
    """An attribute value as a plain Python str/int/float (arrays as lists)."""
    if isinstance(value, (bytes, np.bytes_)):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value
