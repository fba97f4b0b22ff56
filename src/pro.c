/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pro.c — patient-reported outcomes (pro.h).
 *
 * Design.  Only what a rating needs is kept: the person levels and the
 * fluctuation at the last rating.  The fluctuation is an Ornstein-Uhlenbeck
 * process stepped exactly between ratings, x' = x e^{-d/tau} + sd
 * sqrt(1 - e^{-2d/tau}) z, so a rating is the same whatever the ratings
 * in between are (there are none: a study rates at enrolment and at one
 * follow-up time).  The draws are made in a fixed order whether or not a
 * scale is used, so adding a rating never moves another.
 */
#include <math.h>
#include <gsl/gsl_randist.h>
#include "mndsim/pro.h"

const char *const mnd_pro_scale_names[MND_PRO_COUNT] = {"pain", "spasms", "hads", "qol"};
const double mnd_pro_scale_max[MND_PRO_COUNT] = {10.0, 70.0, 42.0, 10.0};
const char *const mnd_pro_entry_names[MND_PRO_COUNT + 1] = {"none", "pain", "spasms", "hads",
                                                            "qol"};

/* The rating of scale k from a burden: rounded, clamped, qol as a score. */
static double rate(gsl_rng *r, const mnd_pro_scale_params *sp, mnd_pro_scale k, double burden)
{
    double max = mnd_pro_scale_max[k];
    double rated = fmin(max, fmax(0.0, round(burden + sp->noise_sd * gsl_ran_gaussian_ziggurat(r, 1.0))));
    return k == MND_PRO_QOL ? max - rated : rated;
}

static void rate_all(gsl_rng *r, const mnd_pro_params *pp, double points_lost, double factor,
                     const mnd_pro_path *path, double rating[MND_PRO_COUNT])
{
    for (int k = 0; k < MND_PRO_COUNT; k++) {
        const mnd_pro_scale_params *sp = &pp->scale[k];
        double burden = path->level[k] + sp->per_point_lost * points_lost + path->fluctuation[k];
        rating[k] = rate(r, sp, (mnd_pro_scale)k, fmax(0.0, burden) * factor);
    }
}

void mnd_pro_start(gsl_rng *r, uint64_t key, const mnd_pro_params *pp, double t,
                   double points_lost, mnd_pro_path *path, double rating[MND_PRO_COUNT])
{
    gsl_rng_set(r, key);
    for (int k = 0; k < MND_PRO_COUNT; k++) {
        const mnd_pro_scale_params *sp = &pp->scale[k];
        path->level[k] = sp->mean + sp->between_sd * gsl_ran_gaussian_ziggurat(r, 1.0);
        path->fluctuation[k] = sp->fluctuation_sd * gsl_ran_gaussian_ziggurat(r, 1.0);
    }
    path->t = t;
    rate_all(r, pp, points_lost, 1.0, path, rating);
}

void mnd_pro_rate_later(gsl_rng *r, const mnd_pro_params *pp, double t, double points_lost,
                        double factor, mnd_pro_path *path, double rating[MND_PRO_COUNT])
{
    double keep = exp(-(t - path->t) / pp->fluctuation_months);
    double fresh = sqrt(fmax(0.0, 1.0 - keep * keep));
    for (int k = 0; k < MND_PRO_COUNT; k++)
        path->fluctuation[k] = keep * path->fluctuation[k]
                               + pp->scale[k].fluctuation_sd * fresh
                                     * gsl_ran_gaussian_ziggurat(r, 1.0);
    path->t = t;
    rate_all(r, pp, points_lost, factor, path, rating);
}

double mnd_pro_burden(mnd_pro_scale k, double rating)
{
    return k == MND_PRO_QOL ? mnd_pro_scale_max[k] - rating : rating;
}
