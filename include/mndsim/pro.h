/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pro.h — patient-reported outcomes: the subjective scales of the clinic
 * claims (CLAIMS.md C7: painful spasms, pain, anxiety/depression, quality
 * of life).
 *
 * Each scale is modelled as a burden (higher = worse; quality of life is
 * reported as max - burden): a person's own level, a rise with the
 * ALSFRS-R points lost, a fluctuation around it (an Ornstein-Uhlenbeck
 * process: symptoms come and go over weeks to months), and rating noise
 * at each rating, rounded and clamped to the scale.  A rating taken after
 * the patient came because the scale was bad regresses toward the
 * person's level (regression to the mean).  A treatment scales the
 * reported burden by (1 - relief) x (1 - expectation), where the
 * expectation (placebo) part fades with the intervention's placebo
 * half-life and the relief part is a true effect.
 *
 * A patient's draws come from one stream keyed by the patient (seed,
 * replicate, slot, redraw; MND_STREAM_PRO) in a fixed order: the levels,
 * the fluctuation and the rating noise at enrolment, then one step and
 * one noise per later rating.  So every arm and design sees the same
 * symptoms and the same noise; arms differ only by their factor.
 */
#ifndef MNDSIM_PRO_H
#define MNDSIM_PRO_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

typedef enum {
    MND_PRO_PAIN,   /* average pain, numeric rating 0-10 */
    MND_PRO_SPASMS, /* painful spasms and cramps per week, 0-70 */
    MND_PRO_HADS,   /* HADS total (anxiety + depression), 0-42 */
    MND_PRO_QOL,    /* overall quality of life, single item 0-10 (higher = better) */
    MND_PRO_COUNT
} mnd_pro_scale;

extern const char *const mnd_pro_scale_names[MND_PRO_COUNT];
extern const double mnd_pro_scale_max[MND_PRO_COUNT];
/* "none", then the scale names: the values of an entry rule on a scale
 * (index 0 = no rule, k + 1 = scale k). */
extern const char *const mnd_pro_entry_names[MND_PRO_COUNT + 1];

/* One scale's parameters, on the burden orientation. */
typedef struct {
    double mean;           /* mean person level at full function */
    double between_sd;     /* SD of person levels */
    double fluctuation_sd; /* stationary SD of the fluctuation */
    double noise_sd;       /* SD of the rating noise */
    double per_point_lost; /* burden added per ALSFRS-R point lost */
} mnd_pro_scale_params;

typedef struct {
    double fluctuation_months; /* correlation time of the fluctuation */
    mnd_pro_scale_params scale[MND_PRO_COUNT];
} mnd_pro_params;

/* A patient's symptom path: person levels and the fluctuation at time t. */
typedef struct {
    double level[MND_PRO_COUNT];
    double fluctuation[MND_PRO_COUNT];
    double t; /* months since onset */
} mnd_pro_path;

/* Seeds r with `key` and draws a path at time t (levels and a stationary
 * fluctuation), then rates it with no treatment acting: rating[] gets the
 * reported scores (quality of life as a score, the others as burden).
 * points_lost is 48 - the expected ALSFRS-R total at t. */
void mnd_pro_start(gsl_rng *r, uint64_t key, const mnd_pro_params *pp, double t,
                   double points_lost, mnd_pro_path *path, double rating[MND_PRO_COUNT]);

/* Moves the path forward to time t >= path->t (exact Ornstein-Uhlenbeck
 * step) and rates it with the reported burden multiplied by factor
 * (1 = no treatment effect), continuing r as mnd_pro_start left it. */
void mnd_pro_rate_later(gsl_rng *r, const mnd_pro_params *pp, double t, double points_lost,
                        double factor, mnd_pro_path *path, double rating[MND_PRO_COUNT]);

/* The reported burden of scale k from its rating (quality of life turned
 * back into a burden); >= 0. */
double mnd_pro_burden(mnd_pro_scale k, double rating);

#endif
