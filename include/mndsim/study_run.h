/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * study_run.h — running the studies of a configuration: replicate studies
 * simulated on OpenMP threads (one replicate per thread at a time), their
 * metrics, and the summary over replicates.
 */
#ifndef MNDSIM_STUDY_RUN_H
#define MNDSIM_STUDY_RUN_H

#include <stdint.h>
#include "mndsim/model.h"
#include "mndsim/patient.h"
#include "mndsim/sim.h"
#include "mndsim/stats.h"
#include "mndsim/status.h"
#include "mndsim/study.h"
#include "mndsim/team.h"

/* Per-thread scratch of a study: one patient, its visit rows and work
 * arrays sized for the study. */
typedef struct {
    mnd_patient patient;
    mnd_block rows_block;   /* one patient's visit rows */
    mnd_visit_rows rows;
    double *u_dropout;      /* [max_visits] */
    double *x, *y;          /* [max(max_visits, 2 n_patients)] */
    double *a, *b;          /* [2 n_patients] */
    int *event, *group, *stratum; /* [2 n_patients] */
} mnd_study_scratch;

mnd_status mnd_study_scratch_alloc(mnd_study_scratch *sc, const mnd_params *arm,
                                   const mnd_study *s, mnd_error *err);
void mnd_study_scratch_free(mnd_study_scratch *sc);

/* p with every intervention that is some study's treatment disabled:
 * what the cohort outside the studies gets. */
void mnd_params_without_study_treatments(const mnd_params *p, mnd_params *out);

/* The parameter set of arm `arm` (0 control, 1 treated) of study s: the
 * study's entry criteria as the selection, visits from enrolment over its
 * follow-up, its treatment started at enrolment (arm 1) or as a sham (arm
 * 0), and every intervention that is some study's treatment disabled
 * otherwise.  The historical design's arm 0 is the untreated population
 * taken at diagnosis without criteria. */
void mnd_study_arm_params(const mnd_params *p, const mnd_study *s, int arm, mnd_params *out);

/* Simulates replicate `replicate` of study s with the arm parameters of
 * mnd_study_arm_params: fills pts[0, *n) (n = s->n_patients, or twice that
 * for the historical design: treated first, then the controls).  The
 * result depends only on (arms, s, replicate).  Fails as
 * mnd_patient_simulate does. */
mnd_status mnd_study_simulate(mnd_workspace *w, const mnd_params arms[2], const mnd_study *s,
                              int64_t replicate, mnd_study_scratch *sc, mnd_study_patient *pts,
                              int64_t *n_out, mnd_error *err);

/* The metrics (study.h, mnd_metric) of one replicate study from its n
 * patient records; metrics that do not apply are NaN.  Pure apart from
 * the scratch. */
void mnd_study_metrics(const mnd_study *s, const mnd_study_patient *pts, int64_t n,
                       mnd_study_scratch *sc, double m[MND_M_COUNT]);

/* Summary of one metric over replicates. */
typedef struct {
    int64_t n;            /* replicates where it is finite */
    double mean, sd;
    double q025, median, q975;
} mnd_metric_summary;

/* Summary of a study over its replicates. */
typedef struct {
    mnd_metric_summary metric[MND_M_COUNT];
    double reject_slope;   /* share of replicates with slope_p < alpha (type-I error or power) */
    double reject_logrank; /* ... logrank_p < alpha */
    double p_claim;        /* share of replicates with claim_metric >= claim_threshold */
} mnd_study_summary;

/* Summarises m[replicate * MND_M_COUNT + metric] over n_rep replicates.
 * Uses `work` (n_rep doubles). */
void mnd_study_summarise(const mnd_study *s, const double *m, int64_t n_rep, double *work,
                         mnd_study_summary *out);

/* Receives the replicates [first, first + n) of study k, in order, on the
 * calling thread: metrics [n][MND_M_COUNT] and the patient records
 * [n][per_replicate]. */
typedef mnd_status (*mnd_study_sink)(int k, int64_t first, int64_t n, const double *metrics,
                                     const mnd_study_patient *pts, int64_t per_replicate,
                                     void *ctx, mnd_error *err);

/* Runs p->n_replicates replicates of every enabled study on `threads`
 * threads, handing them to `sink` in blocks of replicates, in order; the
 * blocks do not depend on `threads`.  Memory: one block of replicates. */
mnd_status mnd_studies_run(const mnd_params *p, int threads, mnd_study_sink sink, void *ctx,
                           mnd_error *err);

/* Collective (team.h): mnd_studies_run shared by the members of `team`.
 * Member r runs its contiguous range of the replicates (mnd_split_range of
 * p->n_replicates) of every enabled study and hands only those to its
 * sink; after each study the members agree, so a failure stops every
 * member with the error of the lowest failing replicate, as a serial run
 * reports it.  With a team of one this is mnd_studies_run. */
mnd_status mnd_studies_run_team(const mnd_params *p, int threads, const mnd_team *team,
                                mnd_study_sink sink, void *ctx, mnd_error *err);

#endif
