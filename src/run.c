/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * run.c — simulate a cohort into an HDF5 file: output opened first (so a
 * bad destination fails before any work), blocks written as the simulator
 * hands them over, committed only after the last block.  In a team (the
 * ranks of an MPI run) every step is collective and fails on every member
 * together.
 */
#include "mndsim/run.h"
#include "mndsim/study_run.h"

static mnd_status write_block(const mnd_block *b, void *ctx, mnd_error *err)
{
    return mnd_output_write(ctx, b, err);
}

static mnd_status write_study(int k, int64_t first, int64_t n, const double *metrics,
                              const mnd_study_patient *pts, int64_t per, void *ctx,
                              mnd_error *err)
{
    return mnd_output_write_study(ctx, k, first, n, metrics, pts, per, err);
}

mnd_status mnd_run_to_file(const mnd_params *p, const char *path, const mnd_provenance *prov,
                           int threads, mnd_progress_fn progress, void *progress_ctx,
                           mnd_error *err)
{
    return mnd_run_to_file_team(p, path, prov, threads, mnd_team_solo(), progress, progress_ctx,
                                err);
}

mnd_status mnd_run_to_file_team(const mnd_params *p, const char *path,
                                const mnd_provenance *prov, int threads, const mnd_team *team,
                                mnd_progress_fn progress, void *progress_ctx, mnd_error *err)
{
    mnd_output *out = NULL;
    mnd_status st = mnd_output_open_team(&out, path, p, prov, team, err);
    if (st != MND_OK)
        return st;
    mnd_output_set_threads(out, threads);
    /* what a study gives is given to no one outside it */
    mnd_params cohort;
    mnd_params_without_study_treatments(p, &cohort);
    st = mnd_sim_run_team(&cohort, threads, team, write_block, out, progress, progress_ctx, err);
    if (st == MND_OK)
        st = mnd_studies_run_team(p, threads, team, write_study, out, err);
    if (st != MND_OK) {
        mnd_output_discard(out);
        return st;
    }
    return mnd_output_commit(out, err);
}
