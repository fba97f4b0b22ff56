/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sim.h — simulating patients: one patient from its streams, and whole runs
 * (N patients x R replicates) in ordered blocks on OpenMP threads.
 */
#ifndef MNDSIM_SIM_H
#define MNDSIM_SIM_H

#include <stdint.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_rng.h>
#include "mndsim/block.h"
#include "mndsim/model.h"
#include "mndsim/patient.h"
#include "mndsim/status.h"
#include "mndsim/team.h"

struct mnd_treatment;

/* Per-thread scratch: the generator (reseeded per patient and purpose), the
 * root solver and the treatment being built.  Holds no state between
 * patients. */
typedef struct {
    gsl_rng *rng;
    gsl_root_fsolver *solver;
    struct mnd_treatment *tx;
} mnd_workspace;

mnd_status mnd_workspace_alloc(mnd_workspace *w, mnd_error *err);
void mnd_workspace_free(mnd_workspace *w);

/* Simulates patient `patient_id` of replicate `replicate`: draws its
 * covariates, course and events (redrawing with attempt = 1, 2, ... until
 * the patient is alive at diagnosis and, with selection on, meets the
 * enrolment criteria), measures its visits into `rows` (max_visits slots)
 * and fills `out`.  The result depends only on (p, seed, replicate,
 * patient_id).  Fails with MND_ERR_CONFIG when selection.max_attempts draws
 * were all rejected.  Thread-safe with one workspace per thread. */
mnd_status mnd_patient_simulate(mnd_workspace *w, const mnd_params *p, int64_t replicate,
                                int64_t patient_id, mnd_patient *out, mnd_visit_rows rows,
                                mnd_error *err);

/* Receives each filled block, in row order, on the calling thread. */
typedef mnd_status (*mnd_block_sink)(const mnd_block *b, void *ctx, mnd_error *err);

/* Called after each block with rows done and rows in all; returns nonzero
 * to cancel the run (mnd_sim_run then returns MND_ERR_CANCELLED). */
typedef int (*mnd_progress_fn)(int64_t done, int64_t total, void *ctx);

/* Runs p->n_replicates x p->n_patients patients (row = replicate *
 * n_patients + patient) in blocks of p->block_patients rows (rounded to a
 * multiple of p->chunk_patients), each block simulated on `threads` OpenMP
 * threads and handed to `sink`.  `progress` may be NULL.  Memory: one block.  The blocks' contents
 * do not depend on `threads`. */
mnd_status mnd_sim_run(const mnd_params *p, int threads, mnd_block_sink sink, void *sink_ctx,
                       mnd_progress_fn progress, void *progress_ctx, mnd_error *err);

/* Collective (team.h): mnd_sim_run shared by the members of `team`.  The
 * blocks are dealt round-robin (mpi_split.h); in each round every member
 * simulates its own block on `threads` threads and then every member calls
 * `sink` once, with its block or with an empty one (n = 0, first_row =
 * rows) when it has none that round, so a sink may make collective calls.
 * A failure anywhere stops every member with the same error, the one a
 * serial run reports (mnd_team_agree); `progress` is called on every
 * member with the rows done by the whole team, and a cancel on any member
 * cancels all.  With a team of one this is mnd_sim_run. */
mnd_status mnd_sim_run_team(const mnd_params *p, int threads, const mnd_team *team,
                            mnd_block_sink sink, void *sink_ctx, mnd_progress_fn progress,
                            void *progress_ctx, mnd_error *err);

/* Patients per block of mnd_sim_run(_team): p->block_patients rounded up to
 * whole output chunks (p->chunk_patients), at most the run's rows.  Every
 * block a member gets starts at a multiple of it. */
int64_t mnd_sim_block_capacity(const mnd_params *p);

#endif
