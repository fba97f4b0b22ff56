#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# make bench: kernel vs floor, throughput with output, peak memory.
# Usage: bench/run.sh BUILD_DIR
set -eu
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== kernel (no output), configs/default.cfg, 200000 patients; then with three interventions"
"$build/bench_kernel" configs/default.cfg 200000 bench/three_interventions.cfg
for threads in 1 2; do
  echo "== full run with compressed HDF5 output, 200000 patients, $threads thread(s)"
  start=$(date +%s.%N)
  "$build/mndsim" run configs/default.cfg -q --threads "$threads" --set simulation.n_patients=200000L -o "$tmp/out.h5"
  end=$(date +%s.%N)
  months=$(/usr/bin/python3 -c "import h5py; print(int(h5py.File('$tmp/out.h5')['n_visits'][:].sum()))")
  echo "$start $end $months $threads" | awk '{s=$2-$1; printf "wall %.2f s, %.0f ns/patient-month wall, %.2f M patient-months/s/core\n", s, 1e9*s/$3, $3/s/1e6/$4}'
done
for n in 100000 1000000; do
  echo "== peak memory, $n patients x 120 monthly visits, full trajectory output, 2 threads"
  /usr/bin/time -f "peak RSS %M KiB, wall %e s" "$build/mndsim" run configs/default.cfg -q --threads 2 \
      --set simulation.n_patients=${n}L -o "$tmp/mem.h5" 2>&1 | grep -v '^mndsim: wrote'
  ls -l "$tmp/mem.h5" | awk '{printf "file size %.1f MB\n", $5/1e6}'
  rm -f "$tmp/mem.h5"
done
echo "== replicate studies: 10000 randomized studies of 200 patients x 24 monthly visits, summary only, 2 threads"
start=$(date +%s.%N)
"$build/mndsim" run bench/replicate_studies.cfg -q --threads 2 -o "$tmp/studies.h5"
end=$(date +%s.%N)
echo "$start $end" | awk '{s=$2-$1; printf "wall %.2f s, %.0f studies/minute (both potential outcomes of every patient simulated)\n", s, 10000*60/s}'
