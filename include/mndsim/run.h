/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * run.h — a whole run: simulate the cohort of a parameter set and write it
 * to one HDF5 file (the library call behind `mndsim run`).
 */
#ifndef MNDSIM_RUN_H
#define MNDSIM_RUN_H

#include "mndsim/model.h"
#include "mndsim/output.h"
#include "mndsim/sim.h"
#include "mndsim/status.h"

/* Simulates p's cohort on `threads` threads and writes it to `path`
 * (through a temporary file renamed on success; on any failure nothing is
 * left under either name).  A bad destination (see mnd_output_open) fails
 * with MND_ERR_IO before any patient is simulated.  `progress` (may be
 * NULL) is called after each block with `progress_ctx` and may cancel the
 * run. */
mnd_status mnd_run_to_file(const mnd_params *p, const char *path, const mnd_provenance *prov,
                           int threads, mnd_progress_fn progress, void *progress_ctx,
                           mnd_error *err);

/* Collective (team.h): mnd_run_to_file with the patients and replicates
 * shared by the members of `team` (mnd_sim_run_team, mnd_studies_run_team)
 * into one file written together (mnd_output_open_team).  The datasets
 * equal those of a serial run with the same parameters, whatever the team
 * size and `threads`; every member returns the same status. */
mnd_status mnd_run_to_file_team(const mnd_params *p, const char *path,
                                const mnd_provenance *prov, int threads, const mnd_team *team,
                                mnd_progress_fn progress, void *progress_ctx, mnd_error *err);

#endif
