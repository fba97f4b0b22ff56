/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * study_run.c — the replicate loop of the studies (study_run.h).
 *
 * Design.  Replicate studies are independent, so they are the unit of
 * parallel work: each thread simulates whole replicates (one study of
 * n patients at a time) with its own workspace and scratch, into a block
 * of replicates that is handed to the sink in order.  Results depend on
 * (parameters, study, replicate) only, never on the thread count.  In a
 * team (team.h) each member runs a contiguous range of the replicates
 * (mpi_split.h) and its sink keeps them; the writer shares the ranges
 * among the members before it writes the studies.
 */
#include <omp.h>
#include <stdlib.h>
#include "mndsim/mpi_split.h"
#include "mndsim/study_run.h"

mnd_status mnd_study_scratch_alloc(mnd_study_scratch *sc, const mnd_params *arm,
                                   const mnd_study *s, mnd_error *err)
{
    int64_t T = mnd_params_max_visits(arm);
    size_t n2 = 2 * (size_t)s->n_patients;
    size_t nx = (size_t)T > n2 ? (size_t)T : n2;
    mnd_status st = mnd_block_alloc(&sc->rows_block, 1, T, err);
    if (st != MND_OK)
        return st;
    sc->rows = mnd_block_rows(&sc->rows_block, 0);
    sc->u_dropout = calloc((size_t)T, sizeof *sc->u_dropout);
    sc->x = malloc(nx * sizeof *sc->x);
    sc->y = malloc(nx * sizeof *sc->y);
    sc->a = malloc(n2 * sizeof *sc->a);
    sc->b = malloc(n2 * sizeof *sc->b);
    sc->event = malloc(n2 * sizeof *sc->event);
    sc->group = malloc(n2 * sizeof *sc->group);
    sc->stratum = malloc(n2 * sizeof *sc->stratum);
    if (!sc->u_dropout || !sc->x || !sc->y || !sc->a || !sc->b || !sc->event || !sc->group
        || !sc->stratum) {
        mnd_study_scratch_free(sc);
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "cannot allocate study scratch");
    }
    return MND_OK;
}

void mnd_study_scratch_free(mnd_study_scratch *sc)
{
    mnd_block_free(&sc->rows_block);
    free(sc->u_dropout);
    free(sc->x);
    free(sc->y);
    free(sc->a);
    free(sc->b);
    free(sc->event);
    free(sc->group);
    free(sc->stratum);
    *sc = (mnd_study_scratch){0};
}

/* Replicates per block: enough to keep the threads busy, few enough that
 * the patient records of a block stay small. */
static int64_t block_replicates(const mnd_study *s, int threads, int64_t n_rep)
{
    int64_t per = 2 * s->n_patients;
    int64_t b = (int64_t)1 << 22; /* patient records per block, about 0.5 GB at most */
    b = b / per;
    if (b < threads)
        b = threads;
    if (b > 1024)
        b = 1024;
    return b < n_rep ? b : n_rep;
}

/* Runs replicates [rep0, rep0 + n_rep) of study k; on failure *fail_at is
 * the lowest failing replicate (INT64_MAX when the failure is not a
 * replicate's, e.g. out of memory). */
static mnd_status run_study(const mnd_params *p, int k, int threads, int64_t rep0,
                            int64_t n_rep, mnd_study_sink sink, void *ctx, int64_t *fail_at,
                            mnd_error *err)
{
    const mnd_study *s = &p->studies[k];
    mnd_params arms[2];
    mnd_study_arm_params(p, s, 0, &arms[0]);
    mnd_study_arm_params(p, s, 1, &arms[1]);
    int64_t per = (s->design == MND_DESIGN_HISTORICAL ? 2 : 1) * s->n_patients;
    int64_t cap = block_replicates(s, threads, n_rep);
    mnd_status st = MND_OK;
    *fail_at = INT64_MAX;
    if (n_rep == 0)
        return MND_OK;

    mnd_workspace *ws = calloc((size_t)threads, sizeof *ws);
    mnd_study_scratch *sc = calloc((size_t)threads, sizeof *sc);
    mnd_error *terr = calloc((size_t)threads, sizeof *terr);
    int64_t *fail_rep = calloc((size_t)threads, sizeof *fail_rep);
    double *metrics = malloc((size_t)cap * MND_M_COUNT * sizeof *metrics);
    mnd_study_patient *pts = malloc((size_t)(cap * per) * sizeof *pts);
    int64_t *n_pts = calloc((size_t)cap, sizeof *n_pts);
    if (!ws || !sc || !terr || !fail_rep || !metrics || !pts || !n_pts) {
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "cannot allocate study %s", s->name);
        goto cleanup;
    }
    for (int t = 0; t < threads; t++)
        if ((st = mnd_workspace_alloc(&ws[t], err)) != MND_OK
            || (st = mnd_study_scratch_alloc(&sc[t], &arms[1], s, err)) != MND_OK)
            goto cleanup;

    for (int64_t first = rep0; first < rep0 + n_rep; first += cap) {
        int64_t n = rep0 + n_rep - first < cap ? rep0 + n_rep - first : cap;
        for (int t = 0; t < threads; t++)
            mnd_error_clear(&terr[t]);
        /* as in mnd_sim_run: each thread keeps its lowest failing replicate */
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
        for (int64_t i = 0; i < n; i++) {
            int t = omp_get_thread_num();
            if (terr[t].code != MND_OK && first + i > fail_rep[t])
                continue;
            mnd_study_patient *rp = pts + i * per;
            if (mnd_study_simulate(&ws[t], arms, s, first + i, &sc[t], rp, &n_pts[i], &terr[t])
                != MND_OK) {
                fail_rep[t] = first + i;
                continue;
            }
            mnd_study_metrics(s, rp, n_pts[i], &sc[t], metrics + i * MND_M_COUNT);
        }
        if ((st = mnd_error_lowest(terr, fail_rep, threads, err)) != MND_OK) {
            for (int t = 0; t < threads; t++)
                if (terr[t].code != MND_OK && fail_rep[t] < *fail_at)
                    *fail_at = fail_rep[t];
            goto cleanup;
        }
        if ((st = sink(k, first, n, metrics, pts, per, ctx, err)) != MND_OK)
            goto cleanup;
    }

cleanup:
    if (ws)
        for (int t = 0; t < threads; t++)
            mnd_workspace_free(&ws[t]);
    if (sc)
        for (int t = 0; t < threads; t++)
            mnd_study_scratch_free(&sc[t]);
    free(ws);
    free(sc);
    free(terr);
    free(fail_rep);
    free(metrics);
    free(pts);
    free(n_pts);
    return st;
}

mnd_status mnd_studies_run(const mnd_params *p, int threads, mnd_study_sink sink, void *ctx,
                           mnd_error *err)
{
    return mnd_studies_run_team(p, threads, mnd_team_solo(), sink, ctx, err);
}

mnd_status mnd_studies_run_team(const mnd_params *p, int threads, const mnd_team *team,
                                mnd_study_sink sink, void *ctx, mnd_error *err)
{
    int64_t rep0, n_rep;
    if (threads < 1)
        threads = 1;
    mnd_split_range(p->n_replicates, mnd_team_size(team), mnd_team_rank(team), &rep0, &n_rep);
    for (int k = 0; k < (int)p->n_studies; k++) {
        if (!p->studies[k].enabled)
            continue;
        int64_t fail_at;
        mnd_status st = run_study(p, k, threads, rep0, n_rep, sink, ctx, &fail_at, err);
        /* the lowest failing replicate of the team is the one a serial run
         * (which stops at its first failing block) reports */
        if ((st = mnd_team_agree(team, st, fail_at, err)) != MND_OK)
            return st;
    }
    return MND_OK;
}
