# SPDX-License-Identifier: GPL-3.0-or-later
"""The result file opens in R with hdf5r, as docs/hdf5-schema.md shows.

Skipped when /usr/bin/Rscript (or the hdf5r package) is missing."""
import os
import subprocess

import pytest

RSCRIPT = "/usr/bin/Rscript"

pytestmark = pytest.mark.skipif(not os.access(RSCRIPT, os.X_OK), reason="Rscript not installed")

R_CODE = r"""
args <- commandArgs(trailingOnly = TRUE)
if (!requireNamespace("hdf5r", quietly = TRUE)) { cat("NO_HDF5R\n"); quit(status = 0) }
suppressMessages(library(hdf5r))
f <- H5File$new(args[1], mode = "r")
d <- f[["alsfrs_total"]]
cat("total_dims", d$dims, "\n")
cat("items_dims", f[["alsfrs_items"]]$dims, "\n")
cat("loss_start_dims", f[["loss_start"]]$dims, "\n")
cat("patient_attrs", sort(h5attr_names(f[["patient"]])), "\n")
cat("total_attrs", sort(h5attr_names(d)), "\n")
cat("t_death_attrs", sort(h5attr_names(f[["t_death"]])), "\n")
x <- d$read()
cat("first_total", x[1, 1], "\n")
cat("fill_count", sum(x == -1), "\n")
cat("seed", format(h5attr(f, "master_seed"), scientific = FALSE), "\n")
cat("units", h5attr(f[["t_death"]], "units"), "\n")
cfg <- f[["config_text"]]$read()
cat("config_has_male_share", grepl("male_share = 0.6;", cfg, fixed = TRUE), "\n")
f$close_all()
"""


def test_hdf5r_reads_the_file(default_run, tmp_path):
    import h5py
    import numpy as np
    script = tmp_path / "read.R"
    script.write_text(R_CODE)
    p = subprocess.run([RSCRIPT, "--vanilla", str(script), str(default_run.path)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    if p.stdout.strip() == "NO_HDF5R":
        pytest.skip("R package hdf5r not installed")
    out = {ln.split()[0]: ln.split()[1:] for ln in p.stdout.splitlines() if ln.strip()}
    with h5py.File(default_run.path, "r") as f:
        total = f["alsfrs_total"][()]
    n, t = total.shape
    # R is column-major: hdf5r reports the dimensions reversed.
    assert out["total_dims"] == [str(t), str(n)]
    assert out["items_dims"] == ["12", str(t), str(n)]
    assert out["loss_start_dims"] == ["4", str(n)]
    # The dimension-scale bookkeeping is visible to hdf5r.
    assert {"CLASS", "NAME", "REFERENCE_LIST", "_Netcdf4Dimid", "units"} <= set(out["patient_attrs"])
    assert {"DIMENSION_LIST", "units", "description", "_FillValue"} <= set(out["total_attrs"])
    assert "DIMENSION_LIST" in out["t_death_attrs"]
    assert "CLASS" not in out["t_death_attrs"]
    # hdf5r's x[1, 1] is visit 1 of patient 1: h5py's total[0, 0].
    assert out["first_total"] == [str(total[0, 0])]
    assert out["fill_count"] == [str(int(np.sum(total == -1)))]
    assert out["seed"] == ["42"]
    assert out["units"] == ["month"]
    assert out["config_has_male_share"] == ["TRUE"]
