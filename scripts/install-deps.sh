#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian packages mndsim needs, only those that are missing.
# Usage: scripts/install-deps.sh [build|report|mpi|test|all]   (default: build)
# report: what `make report` and scripts/plot_*.py need on top of build.
set -eu
build="make gcc pkg-config libgsl-dev libconfig-dev libhdf5-dev hdf5-tools zlib1g-dev libisal-dev"
report="$build python3-h5py python3-numpy python3-matplotlib"
# The MPI build (make MPI=1, tested by make test) needs OpenMPI and the parallel
# HDF5.  Installing libhdf5-openmpi-dev re-points the generic hdf5.pc to the MPI
# build; the serial build names hdf5-serial, so it is unaffected.
mpi="$build libhdf5-openmpi-dev openmpi-bin"
test="$report libhdf5-openmpi-dev openmpi-bin libcriterion-dev python3-pytest python3-xarray python3-h5netcdf r-base-core r-cran-hdf5r r-cran-survival valgrind time"
case "${1:-build}" in
  build) want="$build" ;;
  report) want="$report" ;;
  mpi) want="$mpi" ;;
  test|all) want="$test" ;;
  *) echo "usage: $0 [build|report|mpi|test|all]" >&2; exit 1 ;;
esac
missing=""
for pkg in $want; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
echo "installing missing Debian packages:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
