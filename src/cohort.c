/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cohort.c — sampling a patient's baseline covariates.
 *
 * Design.  Sex, age at onset (normal, truncated by redrawing), phenotype,
 * onset region (fixed by the phenotype, or drawn for classic ALS and PMA),
 * genotype, the individual progression rate, the diagnostic delay and the
 * screening visit after it (enrolment follows a lead-in, if any).  The
 * log rate and the log delay are bivariate normal with correlation
 * rate_delay_correlation (< 0: slow progressors are diagnosed late;
 * Paganoni 2014 and the ΔFS literature), and the log rate moves with onset
 * age (older onset, faster course; Chiò 2009).  Every call draws the same
 * number of variates except the age redraws, which are rare and come first,
 * so that changing one distribution does not shift unrelated ones more than
 * needed; all draws come from the caller's MND_STREAM_COHORT stream.
 */
#include <math.h>
#include <gsl/gsl_randist.h>
#include "mndsim/disease.h"

/* Index drawn from the probability vector share[0..n-1] (summing to 1)
 * with one uniform u. */
static int categorical(const double *share, int n, double u)
{
    double cum = 0.0;
    for (int i = 0; i < n - 1; i++) {
        cum += share[i];
        if (u < cum)
            return i;
    }
    return n - 1;
}

void mnd_cohort_sample(gsl_rng *r, const mnd_params *p, mnd_covariates *c)
{
    double age;
    do {
        age = p->age_onset_mean_years + gsl_ran_gaussian_ziggurat(r, p->age_onset_sd_years);
    } while (age < p->age_onset_min_years || age > p->age_onset_max_years);
    c->age_onset_years = age;
    c->male = gsl_rng_uniform(r) < p->male_share;
    c->phenotype = (mnd_phenotype)categorical(p->phenotype_share, MND_PHENOTYPE_COUNT,
                                              gsl_rng_uniform(r));
    double u_region = gsl_rng_uniform(r);
    c->genotype = (mnd_genotype)categorical(p->genotype_share, MND_GENOTYPE_COUNT,
                                            gsl_rng_uniform(r));

    switch (c->phenotype) {
    case MND_PHENOTYPE_PBP:
        c->onset_region = MND_REGION_BULBAR;
        break;
    case MND_PHENOTYPE_FLAIL_ARM:
        c->onset_region = MND_REGION_CERVICAL;
        break;
    case MND_PHENOTYPE_FLAIL_LEG:
    case MND_PHENOTYPE_PLS: /* PLS mostly starts in the legs (Lester 2025) */
        c->onset_region = MND_REGION_LUMBAR;
        break;
    case MND_PHENOTYPE_PMA: { /* limb onset, arms and legs as in classic ALS */
        double arm = p->classic_onset_share[MND_REGION_CERVICAL];
        double leg = p->classic_onset_share[MND_REGION_LUMBAR];
        c->onset_region = (arm + leg > 0 && u_region * (arm + leg) < arm) ? MND_REGION_CERVICAL
                                                                          : MND_REGION_LUMBAR;
        break;
    }
    default:
        c->onset_region = (mnd_region)categorical(p->classic_onset_share, MND_REGION_COUNT, u_region);
    }

    double z_rate = gsl_ran_gaussian_ziggurat(r, 1.0);
    double z_delay = gsl_ran_gaussian_ziggurat(r, 1.0);
    double rho = p->rate_delay_correlation;
    double log_rate = p->rate_sd_log * z_rate
                      + p->rate_age_per_decade * (age - p->age_onset_mean_years) / 10.0;
    c->rate_multiplier = exp(log_rate);
    c->t_diagnosis = p->diagnostic_delay_median_months
                     * exp(p->diagnostic_delay_sd_log * (rho * z_rate + sqrt(1.0 - rho * rho) * z_delay));
    c->fvc_predicted_baseline = p->fvc_baseline_mean_percent
                                + gsl_ran_gaussian_ziggurat(r, p->fvc_baseline_sd_percent);
    /* -log(1-u) is an exponential variate with one uniform, also for mean 0:
     * the screening visit after diagnosis; enrolment follows the lead-in */
    c->t_enrolment = c->t_diagnosis - p->enrolment_delay_mean_months * log1p(-gsl_rng_uniform(r))
                     + p->select_lead_in_months;
}
