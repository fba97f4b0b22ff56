/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_disease.c — unit tests of a patient's natural history: baseline
 * covariates (src/cohort.c), the course of the motor-neuron pools
 * (src/course.c), and ALSFRS-R items, FVC and staging (src/function.c).
 *
 * Deterministic functions are checked on hand-built inputs against their
 * closed forms; samplers against their moments within 4 standard errors
 * at fixed seeds (so every run is the same and a failure is real).  The
 * staging rules follow the definitions quoted in CALIBRATION.md
 * ("Instruments"): King's (Roche 2012; Balendra 2014) and MiToS (Chiò 2015).
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "mndsim/config.h"
#include "mndsim/disease.h"
#include "mndsim/rng.h"

static void suite_init(void) { gsl_set_error_handler_off(); }

TestSuite(disease, .init = suite_init);

static gsl_rng *rng_at(uint64_t seed)
{
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    cr_assert_not_null(r);
    gsl_rng_set(r, (unsigned long)seed);
    return r;
}

static void assert_close(double got, double want, double tol, const char *what)
{
    cr_assert(fabs(got - want) <= tol, "%s: got %.17g, want %.17g", what, got, want);
}

/* Share of `count` in n within 4 binomial standard errors of p. */
static void assert_share(long count, long n, double p, const char *what)
{
    double share = (double)count / (double)n;
    double se = sqrt(p * (1.0 - p) / (double)n);
    cr_assert(fabs(share - p) <= 4.0 * se, "%s: share %.5f, probability %.5f (4 SE = %.5f)",
              what, share, p, 4.0 * se);
}

/* An event record with nothing happened. */
static mnd_events no_events(void)
{
    mnd_events ev = {.t_gastrostomy = NAN, .t_niv = NAN, .t_respiratory_failure = NAN,
                     .t_tracheostomy = NAN, .t_death = NAN, .t_end = 120.0,
                     .end_cause = MND_END_CENSORED, .death_ventilation = 0.36};
    return ev;
}

/* A pool state with every region at `f` and ventilation index `v`. */
static mnd_pool_state uniform_state(double f, double v)
{
    mnd_pool_state s;
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        s.fraction[reg][MND_POOL_UMN] = s.fraction[reg][MND_POOL_LMN] = 1.0;
        s.function[reg] = f;
    }
    s.ventilation = v;
    return s;
}

/* ================================================================= course.c */

Test(disease, course_fraction_closed_form)
{
    mnd_course k;
    memset(&k, 0, sizeof k);
    k.loss_start[MND_REGION_CERVICAL] = -2.0;
    k.rate[MND_REGION_CERVICAL][MND_POOL_LMN] = 0.1;
    k.rate[MND_REGION_CERVICAL][MND_POOL_UMN] = 0.05;
    k.loss_start[MND_REGION_LUMBAR] = 7.5;
    k.rate[MND_REGION_LUMBAR][MND_POOL_LMN] = 0.2;

    for (double t = -5.0; t <= 30.0; t += 0.25) {
        double want_c = t > -2.0 ? exp(-0.1 * (t + 2.0)) : 1.0;
        double want_u = t > -2.0 ? exp(-0.05 * (t + 2.0)) : 1.0;
        double want_l = t > 7.5 ? exp(-0.2 * (t - 7.5)) : 1.0;
        assert_close(mnd_course_fraction(&k, MND_REGION_CERVICAL, MND_POOL_LMN, t), want_c, 1e-15,
                     "cervical LMN");
        assert_close(mnd_course_fraction(&k, MND_REGION_CERVICAL, MND_POOL_UMN, t), want_u, 1e-15,
                     "cervical UMN");
        assert_close(mnd_course_fraction(&k, MND_REGION_LUMBAR, MND_POOL_LMN, t), want_l, 1e-15,
                     "lumbar LMN");
    }
    cr_assert_eq(mnd_course_fraction(&k, MND_REGION_LUMBAR, MND_POOL_LMN, 7.5), 1.0, "at start");
    cr_assert_eq(mnd_course_fraction(&k, MND_REGION_LUMBAR, MND_POOL_LMN, 7.0), 1.0,
                 "before start");
    /* a pool with rate 0 never loses neurons */
    cr_assert_eq(mnd_course_fraction(&k, MND_REGION_BULBAR, MND_POOL_LMN, 1e6), 1.0);
    /* exact value: the documented formula with the same operations */
    cr_assert_eq(mnd_course_fraction(&k, MND_REGION_CERVICAL, MND_POOL_LMN, 10.0),
                 exp(-0.1 * (10.0 - -2.0)));
}

Test(disease, pool_function_reserve_floor_midpoint)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.reserve_fraction = 0.5;
    p.floor_fraction = 0.1;
    cr_assert_eq(mnd_pool_function(&p, 1.0), 1.0);
    cr_assert_eq(mnd_pool_function(&p, 0.5), 1.0, "at the reserve");
    cr_assert_eq(mnd_pool_function(&p, 0.1), 0.0, "at the floor");
    cr_assert_eq(mnd_pool_function(&p, 0.05), 0.0, "below the floor");
    cr_assert_eq(mnd_pool_function(&p, 0.0), 0.0);
    assert_close(mnd_pool_function(&p, 0.3), 0.5, 1e-15, "midpoint");
    assert_close(mnd_pool_function(&p, 0.2), 0.25, 1e-15, "quarter");
    /* defaults */
    mnd_config_defaults(&p);
    cr_assert_eq(mnd_pool_function(&p, p.reserve_fraction), 1.0);
    cr_assert_eq(mnd_pool_function(&p, p.floor_fraction), 0.0);
    assert_close(mnd_pool_function(&p, 0.5 * (p.reserve_fraction + p.floor_fraction)), 0.5, 1e-15,
                 "default midpoint");
    cr_assert_lt(mnd_pool_function(&p, p.reserve_fraction - 1e-9), 1.0,
                 "function falls just below the reserve");
}

/* Region function = LMN function x (1 - w (1 - UMN function)); ventilation
 * = thoracic x (1 - w_b (1 - bulbar)); the pool state gathers both. */
Test(disease, region_function_and_ventilation)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.reserve_fraction = 0.5;
    p.floor_fraction = 0.1;
    p.umn_function_weight = 0.4;
    p.bulbar_ventilation_weight = 0.3;

    /* loss from t = 0; at t = 10 the fractions are exp(-10 rate) */
    mnd_course k;
    memset(&k, 0, sizeof k);
    const double f_umn[4] = {0.3, 0.9, 0.2, 0.05}, f_lmn[4] = {0.4, 0.2, 0.25, 1.0};
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        k.rate[reg][MND_POOL_UMN] = -log(f_umn[reg]) / 10.0;
        k.rate[reg][MND_POOL_LMN] = -log(f_lmn[reg]) / 10.0;
    }
    double fn[4];
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        double u = fmin(1.0, fmax(0.0, (f_umn[reg] - 0.1) / 0.4));
        double l = fmin(1.0, fmax(0.0, (f_lmn[reg] - 0.1) / 0.4));
        fn[reg] = l * (1.0 - 0.4 * (1.0 - u));
        assert_close(mnd_region_function(&p, &k, (mnd_region)reg, 10.0), fn[reg], 1e-12,
                     mnd_region_names[reg]);
    }
    /* bulbar: UMN 0.5, LMN 0.75 -> 0.75 x (1 - 0.4 x 0.5) = 0.6 */
    assert_close(fn[MND_REGION_BULBAR], 0.6, 1e-15, "bulbar by hand");
    double v = fn[MND_REGION_THORACIC] * (1.0 - 0.3 * (1.0 - fn[MND_REGION_BULBAR]));
    assert_close(mnd_ventilation(&p, &k, 10.0), v, 1e-12, "ventilation");

    mnd_pool_state s;
    mnd_pool_state_at(&p, &k, 10.0, &s);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        cr_assert_eq(s.fraction[reg][MND_POOL_UMN],
                     mnd_course_fraction(&k, (mnd_region)reg, MND_POOL_UMN, 10.0));
        cr_assert_eq(s.fraction[reg][MND_POOL_LMN],
                     mnd_course_fraction(&k, (mnd_region)reg, MND_POOL_LMN, 10.0));
        cr_assert_eq(s.function[reg], mnd_region_function(&p, &k, (mnd_region)reg, 10.0));
    }
    cr_assert_eq(s.ventilation, mnd_ventilation(&p, &k, 10.0));
    /* before any loss everything is intact */
    mnd_pool_state_at(&p, &k, 0.0, &s);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        cr_assert_eq(s.function[reg], 1.0);
    cr_assert_eq(s.ventilation, 1.0);
}

/* Covariates of a test patient. */
static mnd_covariates covariates(mnd_phenotype ph, mnd_genotype g, mnd_region onset, double mult)
{
    mnd_covariates c;
    memset(&c, 0, sizeof c);
    c.age_onset_years = 60.0;
    c.male = 1;
    c.phenotype = ph;
    c.genotype = g;
    c.onset_region = onset;
    c.rate_multiplier = mult;
    c.t_diagnosis = c.t_enrolment = 11.0;
    c.fvc_predicted_baseline = 100.0;
    return c;
}

/* Rates: lmn_loss_rate x multiplier x genotype x phenotype, UMN x
 * umn_loss_rate_ratio, and onset_rate_ratio in the onset region only
 * (without regional factors: region_rate_sd_log = 0). */
Test(disease, course_rates)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.region_rate_sd_log = 0.0;
    gsl_rng *r = rng_at(1);
    for (int ph = 0; ph < MND_PHENOTYPE_COUNT; ph++)
        for (int g = 0; g < MND_GENOTYPE_COUNT; g++)
            for (int onset = 0; onset < MND_REGION_COUNT; onset++) {
                mnd_covariates c = covariates((mnd_phenotype)ph, (mnd_genotype)g,
                                              (mnd_region)onset, 1.37);
                mnd_course k;
                mnd_course_sample(r, &p, &c, &k);
                double base = p.lmn_loss_rate_per_month * 1.37 * p.rate_genotype[g];
                double lmn = base * p.lmn_rate_phenotype[ph];
                double umn = base * p.umn_loss_rate_ratio * p.umn_rate_phenotype[ph];
                for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
                    double focal = reg == onset ? p.onset_rate_ratio : 1.0;
                    assert_close(k.rate[reg][MND_POOL_LMN], focal * lmn, 1e-15 * lmn, "LMN rate");
                    assert_close(k.rate[reg][MND_POOL_UMN], focal * umn, 1e-15 * umn, "UMN rate");
                    if (ph == MND_PHENOTYPE_PLS)
                        cr_assert_eq(k.rate[reg][MND_POOL_LMN], 0.0, "PLS has no LMN loss");
                    else
                        cr_assert_gt(k.rate[reg][MND_POOL_LMN], 0.0);
                    if (ph == MND_PHENOTYPE_PMA)
                        cr_assert_eq(k.rate[reg][MND_POOL_UMN], 0.0, "PMA has no UMN loss");
                    else
                        cr_assert_gt(k.rate[reg][MND_POOL_UMN], 0.0);
                }
            }
    /* the ratio is applied to the onset region only: change it and only
     * that region's rates change */
    mnd_covariates c = covariates(MND_PHENOTYPE_CLASSIC, MND_GENOTYPE_SPORADIC,
                                  MND_REGION_CERVICAL, 1.0);
    mnd_course k1, k2;
    mnd_course_sample(r, &p, &c, &k1);
    double ratio = p.onset_rate_ratio;
    p.onset_rate_ratio = 2.5;
    mnd_course_sample(r, &p, &c, &k2);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        for (int q = 0; q < MND_POOL_COUNT; q++) {
            if (reg == MND_REGION_CERVICAL)
                assert_close(k2.rate[reg][q] / k1.rate[reg][q], 2.5 / ratio, 1e-14, "onset ratio");
            else
                cr_assert_eq(k2.rate[reg][q], k1.rate[reg][q], "region %d pool %d", reg, q);
        }
    gsl_rng_free(r);
}

/* Regional factors: each region's two pools share one log-normal factor
 * (median 1, log-SD region_rate_sd_log), independent between regions; the
 * course always draws seven normals (three delays, four factors) first. */
Test(disease, course_regional_factors)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.region_rate_sd_log = 0.4;
    p.phase_sd_log = 0.0; /* no phase draws after the seven (phases_moments_and_clock) */
    gsl_rng *r = rng_at(14), *ref = rng_at(14);
    const int n = 20000;
    double sum[MND_REGION_COUNT] = {0}, sum_sq[MND_REGION_COUNT] = {0}, cross = 0.0;
    mnd_covariates c = covariates(MND_PHENOTYPE_CLASSIC, MND_GENOTYPE_SPORADIC,
                                  MND_REGION_LUMBAR, 1.0);
    double lmn = p.lmn_loss_rate_per_month, umn = lmn * p.umn_loss_rate_ratio;
    for (int i = 0; i < n; i++) {
        mnd_course k;
        mnd_course_sample(r, &p, &c, &k);
        for (int j = 0; j < 7; j++)
            gsl_ran_gaussian_ziggurat(ref, 1.0);
        cr_assert_eq(gsl_rng_get(r), gsl_rng_get(ref), "patient %d: not seven draws", i);
        double z[MND_REGION_COUNT];
        for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
            double focal = reg == MND_REGION_LUMBAR ? p.onset_rate_ratio : 1.0;
            z[reg] = log(k.rate[reg][MND_POOL_LMN] / (focal * lmn));
            assert_close(log(k.rate[reg][MND_POOL_UMN] / (focal * umn)), z[reg], 1e-12,
                         "UMN and LMN share the factor");
            sum[reg] += z[reg];
            sum_sq[reg] += z[reg] * z[reg];
        }
        cross += z[MND_REGION_BULBAR] * z[MND_REGION_CERVICAL];
    }
    double s = p.region_rate_sd_log;
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        double mean = sum[reg] / n, sd = sqrt(sum_sq[reg] / n - mean * mean);
        cr_assert_lt(fabs(mean), 4 * s / sqrt(n), "region %d: mean log factor %.4f", reg, mean);
        cr_assert_lt(fabs(sd - s), 4 * s / sqrt(2.0 * n), "region %d: log-SD %.4f", reg, sd);
    }
    cr_assert_lt(fabs(cross / n), 4 * s * s / sqrt(n), "factors correlated: %.4f", cross / n);
    gsl_rng_free(r);
    gsl_rng_free(ref);
}

/* A neighbour faster than the onset region (here: onset_rate_ratio < 1 and
 * a short delay) would fall first; it starts just late enough to reach its
 * reserve at onset instead: intact at t = 0, falling right after. */
Test(disease, course_combined_onset)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.region_rate_sd_log = 0.0;
    p.onset_rate_ratio = 0.5;
    p.spread_delay_months = 0.1;
    gsl_rng *r = rng_at(15);
    mnd_covariates c = covariates(MND_PHENOTYPE_CLASSIC, MND_GENOTYPE_SPORADIC,
                                  MND_REGION_CERVICAL, 1.0);
    mnd_course k;
    mnd_course_sample(r, &p, &c, &k);
    const mnd_region nb[2] = {MND_REGION_BULBAR, MND_REGION_THORACIC};
    for (int i = 0; i < 2; i++) {
        double fastest = fmax(k.rate[nb[i]][MND_POOL_LMN], k.rate[nb[i]][MND_POOL_UMN]);
        assert_close(k.loss_start[nb[i]], log(p.reserve_fraction) / fastest + 1e-6, 1e-12,
                     "neighbour reaches its reserve at onset");
        cr_assert_gt(k.loss_start[nb[i]], k.loss_start[MND_REGION_CERVICAL]);
        cr_assert_eq(mnd_region_function(&p, &k, nb[i], 0.0), 1.0, "region %d before onset", nb[i]);
        cr_assert_lt(mnd_region_function(&p, &k, nb[i], 1e-3), 1.0, "region %d after onset", nb[i]);
    }
    cr_assert_lt(mnd_region_function(&p, &k, MND_REGION_CERVICAL, 1e-3), 1.0);
    /* the region beyond spreads from the neighbour's (moved) start */
    cr_assert_gt(k.loss_start[MND_REGION_LUMBAR], k.loss_start[MND_REGION_THORACIC]);
    gsl_rng_free(r);
}

/* Onset: the onset region's function first falls at t = 0 (its faster
 * pool reaches the reserve then); the other regions start later, in chain
 * order, and are intact at onset.  Over many sampled patients. */
Test(disease, course_onset_and_spread_order)
{
    mnd_params p;
    mnd_config_defaults(&p);
    gsl_rng *r = rng_at(11);
    int phen_seen[MND_PHENOTYPE_COUNT] = {0}, onset_seen[MND_REGION_COUNT] = {0};
    for (int i = 0; i < 5000; i++) {
        mnd_covariates c;
        mnd_course k;
        mnd_cohort_sample(r, &p, &c);
        mnd_course_sample(r, &p, &c, &k);
        int o = c.onset_region;
        phen_seen[c.phenotype]++;
        onset_seen[o]++;

        double before = mnd_region_function(&p, &k, (mnd_region)o, -1e-6);
        double after = mnd_region_function(&p, &k, (mnd_region)o, 1e-3);
        cr_assert_eq(before, 1.0, "patient %d: onset region function %.17g before onset", i,
                     before);
        cr_assert_lt(after, 1.0, "patient %d: onset region function 1 after onset", i);

        double fastest = fmax(k.rate[o][MND_POOL_LMN], k.rate[o][MND_POOL_UMN]);
        assert_close(k.loss_start[o], log(p.reserve_fraction) / fastest,
                     1e-13 * fabs(k.loss_start[o]), "onset loss start");
        cr_assert_lt(k.loss_start[o], 0.0, "loss starts before onset");

        for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
            if (reg != o)
                cr_assert_eq(mnd_region_function(&p, &k, (mnd_region)reg, 0.0), 1.0,
                             "patient %d: region %d affected before the onset region", i, reg);
        }
        for (int reg = o + 1; reg < MND_REGION_COUNT; reg++)
            cr_assert_gt(k.loss_start[reg], k.loss_start[reg - 1],
                         "patient %d: caudal spread out of chain order", i);
        for (int reg = o - 1; reg >= 0; reg--)
            cr_assert_gt(k.loss_start[reg], k.loss_start[reg + 1],
                         "patient %d: rostral spread out of chain order", i);
    }
    for (int ph = 0; ph < MND_PHENOTYPE_COUNT; ph++)
        cr_assert_gt(phen_seen[ph], 0, "phenotype %d never drawn", ph);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        cr_assert_gt(onset_seen[reg], 0, "onset region %d never drawn", reg);
    gsl_rng_free(r);
}

/* Spread delays are log-normal with median spread_delay_months x phenotype
 * factor / (rate multiplier x genotype factor) and log-SD spread_sd_log
 * (without regional factors, which may move a faster neighbour's start to
 * a combined onset: course_combined_onset). */
Test(disease, course_spread_delay_distribution)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.region_rate_sd_log = 0.0;
    gsl_rng *r = rng_at(12);
    const int n = 20000;
    double sum = 0.0, sum_sq = 0.0;
    for (int i = 0; i < n; i++) {
        /* cervical onset: both neighbours exist; the link to the thoracic
         * region is delay[1] */
        mnd_phenotype ph = (mnd_phenotype)(i % MND_PHENOTYPE_COUNT);
        mnd_genotype g = (mnd_genotype)(i % MND_GENOTYPE_COUNT);
        double mult = exp(0.5 * sin(i));
        mnd_covariates c = covariates(ph, g, MND_REGION_CERVICAL, mult);
        mnd_course k;
        mnd_course_sample(r, &p, &c, &k);
        double median = p.spread_delay_months * p.spread_delay_phenotype[ph]
                        / (mult * p.rate_genotype[g]);
        double z = log((k.loss_start[MND_REGION_THORACIC] - k.loss_start[MND_REGION_CERVICAL])
                       / median);
        sum += z;
        sum_sq += z * z;
    }
    double mean = sum / n, sd = sqrt(sum_sq / n - mean * mean);
    double sigma = p.spread_sd_log;
    cr_assert_lt(fabs(mean), 4 * sigma / sqrt(n), "mean log delay ratio %.4f", mean);
    cr_assert_lt(fabs(sd - sigma), 4 * sigma / sqrt(2.0 * n), "log-SD %.4f", sd);
    gsl_rng_free(r);
}

/* Adjacent regions are reached sooner than regions two links away, and
 * faster progressors spread sooner. */
Test(disease, course_spread_faster_with_rate)
{
    mnd_params p;
    mnd_config_defaults(&p);
    gsl_rng *r = rng_at(13);
    mnd_covariates slow = covariates(MND_PHENOTYPE_CLASSIC, MND_GENOTYPE_SPORADIC,
                                     MND_REGION_BULBAR, 0.5);
    mnd_covariates fast = slow;
    fast.rate_multiplier = 2.0;
    mnd_course ks, kf;
    /* same normals for both (reseeded): the delays scale by 1 / speed */
    gsl_rng_set(r, 99);
    mnd_course_sample(r, &p, &slow, &ks);
    gsl_rng_set(r, 99);
    mnd_course_sample(r, &p, &fast, &kf);
    for (int reg = 1; reg < MND_REGION_COUNT; reg++) {
        double ds = ks.loss_start[reg] - ks.loss_start[0];
        double df = kf.loss_start[reg] - kf.loss_start[0];
        assert_close(ds / df, 4.0, 1e-12, "delay ratio slow / fast");
    }
    gsl_rng_free(r);
}

/* ============================================================== function.c */

Test(disease, items_expected_full_and_zero_function)
{
    mnd_params p;
    mnd_config_defaults(&p);
    mnd_events ev = no_events();
    double e[MND_ITEM_COUNT];

    mnd_pool_state s = uniform_state(1.0, 1.0);
    mnd_items_expected(&p, &s, &ev, 5.0, e);
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        cr_assert_eq(e[i], 4.0, "item %d at full function: %g", i + 1, e[i]);

    s = uniform_state(0.0, 0.0);
    mnd_items_expected(&p, &s, &ev, 5.0, e);
    for (int i = 0; i < MND_ITEM_RESPIRATORY_INSUFFICIENCY; i++)
        cr_assert_eq(e[i], 0.0, "item %d at zero function: %g", i + 1, e[i]);
    /* item 12 is a status: 4 without ventilatory support */
    cr_assert_eq(e[MND_ITEM_RESPIRATORY_INSUFFICIENCY], 4.0);
}

/* With every region at x and ventilation x, each item i < 12 is
 * 4 x ramp(x, item_lo[i], item_hi[i]) (its region weights sum to 1). */
Test(disease, items_expected_ramps)
{
    mnd_params p;
    mnd_config_defaults(&p);
    mnd_events ev = no_events();
    for (int step = 0; step <= 100; step++) {
        double x = step / 100.0;
        mnd_pool_state s = uniform_state(x, x);
        double e[MND_ITEM_COUNT];
        mnd_items_expected(&p, &s, &ev, 1.0, e);
        for (int i = 0; i < MND_ITEM_RESPIRATORY_INSUFFICIENCY; i++) {
            double lo = p.item_lo[i], hi = p.item_hi[i];
            double want = x <= lo ? 0.0 : x >= hi ? 4.0 : 4.0 * (x - lo) / (hi - lo);
            assert_close(e[i], want, 1e-12, mnd_item_names[i]);
        }
    }
    /* the midpoint of each item's ramp gives 2 */
    for (int i = 0; i < MND_ITEM_RESPIRATORY_INSUFFICIENCY; i++) {
        double mid = 0.5 * (p.item_lo[i] + p.item_hi[i]);
        mnd_pool_state s = uniform_state(mid, mid);
        double e[MND_ITEM_COUNT];
        mnd_items_expected(&p, &s, &ev, 1.0, e);
        assert_close(e[i], 2.0, 1e-12, mnd_item_names[i]);
    }
}

/* Each region drives its own items (function.c: bulbar items by the bulbar
 * region, fine motor by the upper limb, walking and stairs by the lower
 * limb, dyspnoea and orthopnoea by the ventilation index). */
Test(disease, items_expected_region_mapping)
{
    mnd_params p;
    mnd_config_defaults(&p);
    mnd_events ev = no_events();
    double e[MND_ITEM_COUNT];

    mnd_pool_state s = uniform_state(1.0, 1.0);
    s.function[MND_REGION_BULBAR] = 0.0;
    mnd_items_expected(&p, &s, &ev, 1.0, e);
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        cr_assert_eq(e[i], i <= MND_ITEM_SWALLOWING ? 0.0 : 4.0, "bulbar loss, item %d", i + 1);

    s = uniform_state(1.0, 1.0);
    s.function[MND_REGION_CERVICAL] = 0.0;
    mnd_items_expected(&p, &s, &ev, 1.0, e);
    cr_assert_eq(e[MND_ITEM_HANDWRITING], 0.0);
    cr_assert_eq(e[MND_ITEM_CUTTING_FOOD], 0.0);
    cr_assert_lt(e[MND_ITEM_DRESSING], 4.0);
    cr_assert_gt(e[MND_ITEM_DRESSING], 0.0, "dressing also uses the legs");
    cr_assert_eq(e[MND_ITEM_SPEECH], 4.0);
    cr_assert_eq(e[MND_ITEM_WALKING], 4.0);
    cr_assert_eq(e[MND_ITEM_CLIMBING_STAIRS], 4.0);
    cr_assert_eq(e[MND_ITEM_DYSPNOEA], 4.0);

    s = uniform_state(1.0, 1.0);
    s.function[MND_REGION_LUMBAR] = 0.0;
    mnd_items_expected(&p, &s, &ev, 1.0, e);
    cr_assert_eq(e[MND_ITEM_WALKING], 0.0);
    cr_assert_eq(e[MND_ITEM_CLIMBING_STAIRS], 0.0);
    cr_assert_eq(e[MND_ITEM_HANDWRITING], 4.0);
    cr_assert_eq(e[MND_ITEM_SWALLOWING], 4.0);

    /* the ventilation items follow the ventilation index, not the regions */
    s = uniform_state(1.0, 0.0);
    mnd_items_expected(&p, &s, &ev, 1.0, e);
    cr_assert_eq(e[MND_ITEM_DYSPNOEA], 0.0);
    cr_assert_eq(e[MND_ITEM_ORTHOPNOEA], 0.0);
    for (int i = 0; i < MND_ITEM_DYSPNOEA; i++)
        cr_assert_eq(e[i], 4.0, "item %d", i + 1);
}

/* Item 12: 4 without support; on NIV 1 + 2 ramp(v) while ventilation is
 * above failure, 1 after respiratory failure on NIV; 0 from tracheostomy. */
Test(disease, items_expected_item12)
{
    mnd_params p;
    mnd_config_defaults(&p);
    const int r12 = MND_ITEM_RESPIRATORY_INSUFFICIENCY;
    double e[MND_ITEM_COUNT];
    mnd_pool_state s = uniform_state(0.5, 1.0);

    mnd_events ev = no_events();
    mnd_items_expected(&p, &s, &ev, 10.0, e);
    cr_assert_eq(e[r12], 4.0, "no NIV");

    ev.t_respiratory_failure = 8.0; /* failure without NIV: no support */
    mnd_items_expected(&p, &s, &ev, 10.0, e);
    cr_assert_eq(e[r12], 4.0, "respiratory failure without support");

    ev = no_events();
    ev.t_niv = 6.0;
    mnd_items_expected(&p, &s, &ev, 5.0, e);
    cr_assert_eq(e[r12], 4.0, "before NIV");
    mnd_items_expected(&p, &s, &ev, 6.0, e);
    cr_assert_eq(e[r12], 3.0, "on NIV at full ventilation");
    s.ventilation = 0.5 * (p.item_lo[r12] + p.item_hi[r12]);
    mnd_items_expected(&p, &s, &ev, 7.0, e);
    assert_close(e[r12], 2.0, 1e-12, "on NIV, ventilation at the ramp midpoint");
    s.ventilation = 0.0;
    mnd_items_expected(&p, &s, &ev, 7.0, e);
    cr_assert_eq(e[r12], 1.0, "on NIV, no ventilation");

    s.ventilation = 1.0;
    ev.t_respiratory_failure = 9.0;
    mnd_items_expected(&p, &s, &ev, 9.0, e);
    cr_assert_eq(e[r12], 1.0, "on NIV after respiratory failure");

    ev.t_tracheostomy = 9.5;
    mnd_items_expected(&p, &s, &ev, 9.4, e);
    cr_assert_eq(e[r12], 1.0, "before tracheostomy");
    mnd_items_expected(&p, &s, &ev, 9.5, e);
    cr_assert_eq(e[r12], 0.0, "after tracheostomy");
    s = uniform_state(1.0, 1.0);
    mnd_items_expected(&p, &s, &ev, 30.0, e);
    cr_assert_eq(e[r12], 0.0, "after tracheostomy, whatever the ventilation");
}

Test(disease, total_expected_is_sum_of_items)
{
    mnd_params p;
    mnd_config_defaults(&p);
    gsl_rng *r = rng_at(21);
    for (int i = 0; i < 50; i++) {
        mnd_covariates c;
        mnd_course k;
        mnd_cohort_sample(r, &p, &c);
        mnd_course_sample(r, &p, &c, &k);
        mnd_events ev = no_events();
        ev.t_niv = 20.0;
        for (double t = 0.0; t < 60.0; t += 7.5) {
            mnd_pool_state s;
            double e[MND_ITEM_COUNT], sum = 0.0;
            mnd_pool_state_at(&p, &k, t, &s);
            mnd_items_expected(&p, &s, &ev, t, e);
            for (int j = 0; j < MND_ITEM_COUNT; j++) {
                cr_assert(e[j] >= 0.0 && e[j] <= 4.0, "item %d = %g", j + 1, e[j]);
                sum += e[j];
            }
            cr_assert_eq(mnd_total_expected(&p, &k, &ev, t), sum);
        }
        cr_assert_eq(mnd_total_expected(&p, &k, &ev, 0.0), 48.0, "intact at onset");
    }
    gsl_rng_free(r);
}

/* Exactly MND_ITEM_COUNT - 1 ziggurat normals are drawn, and each item is
 * round(e + item_noise_sd x min(1, e, 4 - e) x z) clamped to 0..4 with
 * those normals in item order. */
Test(disease, items_measure_draws_and_formula)
{
    mnd_params p;
    mnd_config_defaults(&p);
    static const double cases[4][MND_ITEM_COUNT] = {
        {4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4},
        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        {3.7, 2.0, 0.5, 0.2, 1.5, 2.5, 3.5, 3.9, 1.0, 3.0, 0.8, 2.6},
        {2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 3.0},
    };
    for (int sd_case = 0; sd_case < 2; sd_case++) {
        p.item_noise_sd = sd_case == 0 ? 0.55 : 3.0;
        for (int c = 0; c < 4; c++)
            for (uint64_t seed = 1; seed <= 200; seed++) {
                gsl_rng *a = rng_at(seed), *b = rng_at(seed);
                int8_t items[MND_ITEM_COUNT];
                mnd_items_measure(a, &p, cases[c], items);
                for (int i = 0; i < MND_ITEM_COUNT - 1; i++) {
                    double e = cases[c][i];
                    double z = gsl_ran_gaussian_ziggurat(b, 1.0);
                    double x = floor(e + p.item_noise_sd * fmin(1.0, fmin(e, 4.0 - e)) * z + 0.5);
                    int want = x < 0 ? 0 : x > 4 ? 4 : (int)x;
                    cr_assert_eq(items[i], want, "case %d seed %llu item %d: %d, want %d", c,
                                 (unsigned long long)seed, i + 1, items[i], want);
                }
                cr_assert_eq(items[MND_ITEM_COUNT - 1],
                             (int8_t)floor(cases[c][MND_ITEM_COUNT - 1] + 0.5), "item 12");
                cr_assert_eq(memcmp(gsl_rng_state(a), gsl_rng_state(b), gsl_rng_size(a)), 0,
                             "generator state differs from 11 normals drawn");
                gsl_rng_free(a);
                gsl_rng_free(b);
            }
    }
}

/* Intact (4) and lost (0) items carry no error, whatever the noise. */
Test(disease, items_measure_intact_and_lost_exact)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.item_noise_sd = 5.0;
    gsl_rng *r = rng_at(31);
    double e[MND_ITEM_COUNT];
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        e[i] = i % 2 ? 4.0 : 0.0;
    e[MND_ITEM_RESPIRATORY_INSUFFICIENCY] = 4.0;
    for (int n = 0; n < 2000; n++) {
        int8_t items[MND_ITEM_COUNT];
        mnd_items_measure(r, &p, e, items);
        for (int i = 0; i < MND_ITEM_COUNT; i++)
            cr_assert_eq(items[i], (int8_t)e[i], "draw %d item %d", n, i + 1);
    }
    gsl_rng_free(r);
}

/* Without noise: round half up; item 12 is rounded the same way. */
Test(disease, items_measure_rounding)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.item_noise_sd = 0.0;
    gsl_rng *r = rng_at(32);
    static const double e[MND_ITEM_COUNT] = {2.4, 2.5, 2.6, 0.49, 0.5, 3.5,
                                             3.49, 1.0, 3.99, 0.01, 1.5, 2.5};
    static const int8_t want[MND_ITEM_COUNT] = {2, 3, 3, 0, 1, 4, 3, 1, 4, 0, 2, 3};
    int8_t items[MND_ITEM_COUNT];
    mnd_items_measure(r, &p, e, items);
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        cr_assert_eq(items[i], want[i], "item %d: %d, want %d", i + 1, items[i], want[i]);
    gsl_rng_free(r);
}

/* Large noise: always clamped to 0..4, and both ends are reached. */
Test(disease, items_measure_clamping)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.item_noise_sd = 10.0;
    gsl_rng *r = rng_at(33);
    double e[MND_ITEM_COUNT];
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        e[i] = 2.0;
    int zeros = 0, fours = 0;
    for (int n = 0; n < 1000; n++) {
        int8_t items[MND_ITEM_COUNT];
        mnd_items_measure(r, &p, e, items);
        for (int i = 0; i < MND_ITEM_COUNT - 1; i++) {
            cr_assert(items[i] >= 0 && items[i] <= 4, "item %d = %d", i + 1, items[i]);
            zeros += items[i] == 0;
            fours += items[i] == 4;
        }
        cr_assert_eq(items[MND_ITEM_COUNT - 1], 2, "item 12 carries no noise");
    }
    cr_assert_gt(zeros, 1000);
    cr_assert_gt(fours, 1000);
    gsl_rng_free(r);
}

/* Noise frequencies: at e = 2 the SD is item_noise_sd (scale 1); at e = 0.5
 * it is halved (scale min(1, e, 4 - e) = 0.5). */
Test(disease, items_measure_noise_scale)
{
    mnd_params p;
    mnd_config_defaults(&p);
    gsl_rng *r = rng_at(34);
    const double sd = p.item_noise_sd;
    double e[MND_ITEM_COUNT];
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        e[i] = i % 2 ? 2.0 : 0.5;
    long off2 = 0, n2 = 0, up05 = 0, n05 = 0, zero05 = 0;
    for (int n = 0; n < 4000; n++) {
        int8_t items[MND_ITEM_COUNT];
        mnd_items_measure(r, &p, e, items);
        for (int i = 0; i < MND_ITEM_COUNT - 1; i++) {
            if (i % 2) {
                off2 += items[i] != 2;
                n2++;
            } else {
                up05 += items[i] >= 2;
                zero05 += items[i] == 0;
                n05++;
            }
        }
    }
    /* e = 2: the rating is off when |z sd| >= 0.5 */
    assert_share(off2, n2, 2.0 * gsl_cdf_ugaussian_Q(0.5 / sd), "off at e = 2");
    /* e = 0.5, SD sd / 2: rated 0 when z < 0, 2 or more when 0.5 + sd z / 2 >= 1.5 */
    assert_share(zero05, n05, 0.5, "0 at e = 0.5");
    assert_share(up05, n05, gsl_cdf_ugaussian_Q(1.0 / (0.5 * sd)), ">= 2 at e = 0.5");
    gsl_rng_free(r);
}

Test(disease, fvc_expected)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.fvc_floor_fraction = 0.1;
    cr_assert_eq(mnd_fvc_expected(&p, 90.0, 1.0), 90.0);
    assert_close(mnd_fvc_expected(&p, 90.0, 0.0), 9.0, 1e-13, "floor");
    assert_close(mnd_fvc_expected(&p, 90.0, 0.5), 49.5, 1e-13, "midpoint");
    assert_close(mnd_fvc_expected(&p, 120.0, 0.25), 120.0 * (0.1 + 0.9 * 0.25), 1e-13, "v = 0.25");
    p.fvc_floor_fraction = 0.0;
    cr_assert_eq(mnd_fvc_expected(&p, 80.0, 0.0), 0.0);
    cr_assert_eq(mnd_fvc_expected(&p, 80.0, 0.5), 40.0);
}

/* ------------------------------------------------------------------ staging */

/* Items all 4 except the listed (item number 1..12, value) pairs. */
static void items_with(int8_t items[MND_ITEM_COUNT], int n_pairs, const int pairs[][2])
{
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        items[i] = 4;
    for (int k = 0; k < n_pairs; k++)
        items[pairs[k][0] - 1] = (int8_t)pairs[k][1];
}

#define STAGE_CASE(fn, want, ...)                                                    \
    do {                                                                             \
        static const int pairs_[][2] = {{1, 4}, __VA_ARGS__};                       \
        int8_t it_[MND_ITEM_COUNT];                                                  \
        items_with(it_, (int)(sizeof pairs_ / sizeof pairs_[0]), pairs_);            \
        int got_ = fn;                                                               \
        cr_assert_eq(got_, want, "%s with %s: %d, want %d", #fn, #__VA_ARGS__, got_, \
                     want);                                                          \
    } while (0)

Test(disease, kings_stage_rules)
{
    /* no region involved: a diagnosed patient is stage 1 */
    STAGE_CASE(mnd_kings_stage(it_, 0), 1, {1, 4});
    /* bulbar: any of items 1-3 < 4 */
    STAGE_CASE(mnd_kings_stage(it_, 0), 1, {1, 3});
    STAGE_CASE(mnd_kings_stage(it_, 0), 1, {2, 3});
    STAGE_CASE(mnd_kings_stage(it_, 0), 1, {3, 0});
    STAGE_CASE(mnd_kings_stage(it_, 0), 1, {1, 3}, {2, 2}, {3, 1});
    /* upper limb: item 4 or 5 < 4 */
    STAGE_CASE(mnd_kings_stage(it_, 0), 1, {4, 3});
    STAGE_CASE(mnd_kings_stage(it_, 0), 1, {5, 2});
    /* lower limb: item 8 < 4 */
    STAGE_CASE(mnd_kings_stage(it_, 0), 1, {8, 3});
    /* items 6, 7, 9, 11 do not define regions */
    STAGE_CASE(mnd_kings_stage(it_, 0), 1, {6, 0}, {7, 0}, {9, 0}, {11, 0});
    /* stage = number of regions involved */
    STAGE_CASE(mnd_kings_stage(it_, 0), 2, {1, 3}, {4, 3});
    STAGE_CASE(mnd_kings_stage(it_, 0), 2, {2, 3}, {8, 2});
    STAGE_CASE(mnd_kings_stage(it_, 0), 2, {5, 3}, {8, 0});
    STAGE_CASE(mnd_kings_stage(it_, 0), 3, {3, 3}, {5, 3}, {8, 3});
    STAGE_CASE(mnd_kings_stage(it_, 0), 3, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {8, 0}, {9, 0});
    /* 4A: gastrostomy, whatever the regions */
    STAGE_CASE(mnd_kings_stage(it_, 1), 4, {1, 4});
    STAGE_CASE(mnd_kings_stage(it_, 1), 4, {1, 3});
    /* 4B: NIV, item 10 = 0 or item 12 < 4 */
    STAGE_CASE(mnd_kings_stage(it_, 0), 4, {10, 0});
    STAGE_CASE(mnd_kings_stage(it_, 0), 1, {10, 1});
    STAGE_CASE(mnd_kings_stage(it_, 0), 4, {12, 3});
    STAGE_CASE(mnd_kings_stage(it_, 0), 4, {12, 0});
    STAGE_CASE(mnd_kings_stage(it_, 0), 4, {1, 3}, {4, 3}, {8, 3}, {12, 1});
}

Test(disease, mitos_stage_rules)
{
    STAGE_CASE(mnd_mitos_stage(it_), 0, {1, 4});
    STAGE_CASE(mnd_mitos_stage(it_), 0, {1, 2}, {3, 2}, {4, 2}, {6, 2}, {8, 2}, {10, 2}, {12, 3});
    /* walking/self-care: item 8 <= 1 or item 6 <= 1 */
    STAGE_CASE(mnd_mitos_stage(it_), 1, {8, 1});
    STAGE_CASE(mnd_mitos_stage(it_), 1, {6, 1});
    STAGE_CASE(mnd_mitos_stage(it_), 1, {6, 0}, {8, 0});
    STAGE_CASE(mnd_mitos_stage(it_), 0, {9, 0}, {7, 0});
    /* swallowing: item 3 <= 1 */
    STAGE_CASE(mnd_mitos_stage(it_), 1, {3, 1});
    STAGE_CASE(mnd_mitos_stage(it_), 0, {2, 0});
    /* communicating: item 1 <= 1 AND item 4 <= 1 */
    STAGE_CASE(mnd_mitos_stage(it_), 0, {1, 1});
    STAGE_CASE(mnd_mitos_stage(it_), 0, {4, 0});
    STAGE_CASE(mnd_mitos_stage(it_), 1, {1, 1}, {4, 1});
    STAGE_CASE(mnd_mitos_stage(it_), 0, {1, 1}, {4, 2});
    /* breathing: item 10 <= 1 or item 12 <= 2 */
    STAGE_CASE(mnd_mitos_stage(it_), 1, {10, 1});
    STAGE_CASE(mnd_mitos_stage(it_), 1, {12, 2});
    STAGE_CASE(mnd_mitos_stage(it_), 0, {12, 3});
    STAGE_CASE(mnd_mitos_stage(it_), 0, {11, 0});
    /* stage = number of domains lost */
    STAGE_CASE(mnd_mitos_stage(it_), 2, {8, 0}, {3, 0});
    STAGE_CASE(mnd_mitos_stage(it_), 3, {8, 0}, {3, 0}, {1, 0}, {4, 0});
    STAGE_CASE(mnd_mitos_stage(it_), 4, {6, 1}, {3, 1}, {1, 1}, {4, 1}, {12, 2});
    STAGE_CASE(mnd_mitos_stage(it_), 4, {1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {6, 0}, {7, 0},
               {8, 0}, {9, 0}, {10, 0}, {11, 0}, {12, 0});
}

/* ================================================================ cohort.c */

/* 20000 patients from the defaults (one stream, drawn in sequence). */
enum { COHORT_N = 20000 };
static mnd_covariates cohort[COHORT_N];

static void draw_cohort(const mnd_params *p, uint64_t seed)
{
    gsl_rng *r = rng_at(seed);
    for (int i = 0; i < COHORT_N; i++)
        mnd_cohort_sample(r, p, &cohort[i]);
    gsl_rng_free(r);
}

Test(disease, cohort_category_shares)
{
    mnd_params p;
    mnd_config_defaults(&p);
    draw_cohort(&p, 41);
    long male = 0, ph[MND_PHENOTYPE_COUNT] = {0}, g[MND_GENOTYPE_COUNT] = {0};
    long onset[MND_REGION_COUNT] = {0}, classic_onset[MND_REGION_COUNT] = {0};
    long pma_arm = 0;
    for (int i = 0; i < COHORT_N; i++) {
        const mnd_covariates *c = &cohort[i];
        cr_assert(c->male == 0 || c->male == 1);
        cr_assert(c->phenotype >= 0 && c->phenotype < MND_PHENOTYPE_COUNT);
        cr_assert(c->genotype >= 0 && c->genotype < MND_GENOTYPE_COUNT);
        cr_assert(c->onset_region >= 0 && c->onset_region < MND_REGION_COUNT);
        male += c->male;
        ph[c->phenotype]++;
        g[c->genotype]++;
        onset[c->onset_region]++;
        switch (c->phenotype) {
        case MND_PHENOTYPE_CLASSIC:
            classic_onset[c->onset_region]++;
            break;
        case MND_PHENOTYPE_PBP:
            cr_assert_eq(c->onset_region, MND_REGION_BULBAR);
            break;
        case MND_PHENOTYPE_FLAIL_ARM:
            cr_assert_eq(c->onset_region, MND_REGION_CERVICAL);
            break;
        case MND_PHENOTYPE_FLAIL_LEG:
        case MND_PHENOTYPE_PLS:
            cr_assert_eq(c->onset_region, MND_REGION_LUMBAR);
            break;
        case MND_PHENOTYPE_PMA:
            cr_assert(c->onset_region == MND_REGION_CERVICAL || c->onset_region == MND_REGION_LUMBAR,
                      "PMA has limb onset");
            pma_arm += c->onset_region == MND_REGION_CERVICAL;
            break;
        default:
            cr_assert_fail("unknown phenotype");
        }
    }
    assert_share(male, COHORT_N, p.male_share, "male");
    for (int k = 0; k < MND_PHENOTYPE_COUNT; k++)
        assert_share(ph[k], COHORT_N, p.phenotype_share[k], mnd_phenotype_names[k]);
    for (int k = 0; k < MND_GENOTYPE_COUNT; k++)
        assert_share(g[k], COHORT_N, p.genotype_share[k], mnd_genotype_names[k]);
    for (int k = 0; k < MND_REGION_COUNT; k++)
        assert_share(classic_onset[k], ph[MND_PHENOTYPE_CLASSIC], p.classic_onset_share[k],
                     "classic onset region");
    const double *cs = p.classic_onset_share, *ps = p.phenotype_share;
    double arm = cs[MND_REGION_CERVICAL] / (cs[MND_REGION_CERVICAL] + cs[MND_REGION_LUMBAR]);
    assert_share(pma_arm, ph[MND_PHENOTYPE_PMA], arm, "PMA arm onset");
    /* onset region over all phenotypes */
    double want[MND_REGION_COUNT];
    want[MND_REGION_BULBAR] = ps[MND_PHENOTYPE_CLASSIC] * cs[MND_REGION_BULBAR]
                              + ps[MND_PHENOTYPE_PBP];
    want[MND_REGION_CERVICAL] = ps[MND_PHENOTYPE_CLASSIC] * cs[MND_REGION_CERVICAL]
                                + ps[MND_PHENOTYPE_FLAIL_ARM] + ps[MND_PHENOTYPE_PMA] * arm;
    want[MND_REGION_THORACIC] = ps[MND_PHENOTYPE_CLASSIC] * cs[MND_REGION_THORACIC];
    want[MND_REGION_LUMBAR] = ps[MND_PHENOTYPE_CLASSIC] * cs[MND_REGION_LUMBAR]
                              + ps[MND_PHENOTYPE_FLAIL_LEG] + ps[MND_PHENOTYPE_PLS]
                              + ps[MND_PHENOTYPE_PMA] * (1.0 - arm);
    for (int k = 0; k < MND_REGION_COUNT; k++)
        assert_share(onset[k], COHORT_N, want[k], mnd_region_names[k]);
}

/* Age: normal(mean, sd) truncated to [min, max]; mean within 4 SE of the
 * truncated-normal mean, SD near the truncated SD. */
Test(disease, cohort_age)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.age_onset_min_years = 45.0; /* a truncation that bites on both sides */
    p.age_onset_max_years = 75.0;
    draw_cohort(&p, 42);
    double mu = p.age_onset_mean_years, sigma = p.age_onset_sd_years;
    double a = (p.age_onset_min_years - mu) / sigma, b = (p.age_onset_max_years - mu) / sigma;
    double z = gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a);
    double pa = gsl_ran_ugaussian_pdf(a), pb = gsl_ran_ugaussian_pdf(b);
    double t_mean = mu + sigma * (pa - pb) / z;
    double t_var = sigma * sigma * (1.0 + (a * pa - b * pb) / z - ((pa - pb) / z) * ((pa - pb) / z));
    double sum = 0.0, sum_sq = 0.0;
    for (int i = 0; i < COHORT_N; i++) {
        double x = cohort[i].age_onset_years;
        cr_assert(x >= p.age_onset_min_years && x <= p.age_onset_max_years, "age %g", x);
        sum += x;
        sum_sq += x * x;
    }
    double mean = sum / COHORT_N, var = sum_sq / COHORT_N - mean * mean;
    cr_assert_lt(fabs(mean - t_mean), 4.0 * sqrt(t_var / COHORT_N), "mean age %.3f, want %.3f",
                 mean, t_mean);
    /* SD within 4 SE (SE of a variance about var sqrt(2 / n) for a
     * light-tailed distribution; the truncated normal is lighter) */
    cr_assert_lt(fabs(var - t_var), 4.0 * t_var * sqrt(2.0 / COHORT_N), "var %.3f, want %.3f",
                 var, t_var);

    /* defaults: the bounds hold too */
    mnd_config_defaults(&p);
    draw_cohort(&p, 43);
    for (int i = 0; i < COHORT_N; i++)
        cr_assert(cohort[i].age_onset_years >= p.age_onset_min_years
                      && cohort[i].age_onset_years <= p.age_onset_max_years);
}

/* log rate multiplier = rate_sd_log z_rate + rate_age_per_decade (age -
 * mean) / 10; log delay = log median + sd_log (rho z_rate + sqrt(1 - rho^2)
 * z_delay). */
Test(disease, cohort_rate_and_delay)
{
    mnd_params p;
    mnd_config_defaults(&p);
    draw_cohort(&p, 44);
    const double n = COHORT_N;
    double sr = 0, srr = 0, sd_ = 0, sdd = 0, srd = 0, sa = 0, saa = 0, sal = 0, slr = 0;
    for (int i = 0; i < COHORT_N; i++) {
        const mnd_covariates *c = &cohort[i];
        cr_assert_gt(c->rate_multiplier, 0.0);
        cr_assert_gt(c->t_diagnosis, 0.0);
        double age_c = c->age_onset_years - p.age_onset_mean_years;
        double log_rate = log(c->rate_multiplier);
        double x = log_rate - p.rate_age_per_decade * age_c / 10.0; /* without the age term */
        double y = log(c->t_diagnosis);
        sr += x;
        srr += x * x;
        sd_ += y;
        sdd += y * y;
        srd += x * y;
        sa += age_c;
        saa += age_c * age_c;
        sal += age_c * log_rate;
        slr += log_rate;
    }
    double mx = sr / n, vx = srr / n - mx * mx;
    double my = sd_ / n, vy = sdd / n - my * my;
    double cov = srd / n - mx * my;
    double corr = cov / sqrt(vx * vy);

    double s = p.rate_sd_log;
    cr_assert_lt(fabs(mx), 4 * s / sqrt(n), "mean log rate %.4f", mx);
    cr_assert_lt(fabs(sqrt(vx) - s), 4 * s / sqrt(2 * n), "log rate SD %.4f", sqrt(vx));
    double sy = p.diagnostic_delay_sd_log;
    cr_assert_lt(fabs(my - log(p.diagnostic_delay_median_months)), 4 * sy / sqrt(n),
                 "mean log delay %.4f", my);
    cr_assert_lt(fabs(sqrt(vy) - sy), 4 * sy / sqrt(2 * n), "log delay SD %.4f", sqrt(vy));
    cr_assert_lt(fabs(corr - p.rate_delay_correlation), 0.03, "correlation %.4f, rho %.4f", corr,
                 p.rate_delay_correlation);

    /* slope of the log rate on age: rate_age_per_decade / 10 per year */
    double ma = sa / n, var_a = saa / n - ma * ma;
    double b = (sal / n - ma * slr / n) / var_a;
    double se_b = s / sqrt(n * var_a);
    cr_assert_lt(fabs(b - p.rate_age_per_decade / 10.0), 4 * se_b, "age slope %.5f per year", b);
}

/* The correlation follows rho, with its sign. */
Test(disease, cohort_rate_delay_correlation_sign)
{
    mnd_params p;
    mnd_config_defaults(&p);
    static const double rhos[3] = {0.6, 0.0, -0.9};
    for (int k = 0; k < 3; k++) {
        p.rate_delay_correlation = rhos[k];
        draw_cohort(&p, 45 + (uint64_t)k);
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < COHORT_N; i++) {
            double x = log(cohort[i].rate_multiplier)
                       - p.rate_age_per_decade
                             * (cohort[i].age_onset_years - p.age_onset_mean_years) / 10.0;
            double y = log(cohort[i].t_diagnosis);
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }
        double n = COHORT_N;
        double corr = (sxy / n - sx / n * sy / n)
                      / sqrt((sxx / n - sx / n * sx / n) * (syy / n - sy / n * sy / n));
        cr_assert_lt(fabs(corr - rhos[k]), 0.03, "rho %.2f: correlation %.4f", rhos[k], corr);
    }
}

/* FVC baseline normal(mean, sd); enrolment = diagnosis + exponential. */
Test(disease, cohort_fvc_and_enrolment)
{
    mnd_params p;
    mnd_config_defaults(&p);
    cr_assert_eq(p.enrolment_delay_mean_months, 0.0);
    draw_cohort(&p, 46);
    for (int i = 0; i < COHORT_N; i++)
        cr_assert_eq(cohort[i].t_enrolment, cohort[i].t_diagnosis, "no enrolment delay");

    p.enrolment_delay_mean_months = 3.0;
    draw_cohort(&p, 47);
    const double n = COHORT_N;
    double sf = 0, sff = 0, se = 0;
    for (int i = 0; i < COHORT_N; i++) {
        double d = cohort[i].t_enrolment - cohort[i].t_diagnosis;
        cr_assert_geq(d, 0.0);
        se += d;
        sf += cohort[i].fvc_predicted_baseline;
        sff += cohort[i].fvc_predicted_baseline * cohort[i].fvc_predicted_baseline;
    }
    double mf = sf / n, sdf = sqrt(sff / n - mf * mf);
    cr_assert_lt(fabs(mf - p.fvc_baseline_mean_percent), 4 * p.fvc_baseline_sd_percent / sqrt(n));
    cr_assert_lt(fabs(sdf - p.fvc_baseline_sd_percent), 4 * p.fvc_baseline_sd_percent / sqrt(2 * n));
    cr_assert_lt(fabs(se / n - 3.0), 4 * 3.0 / sqrt(n), "mean enrolment delay %.4f", se / n);
}

/* Same stream, same covariates. */
Test(disease, cohort_and_course_are_deterministic)
{
    mnd_params p;
    mnd_config_defaults(&p);
    mnd_covariates c1, c2;
    mnd_course k1, k2;
    memset(&c1, 0, sizeof c1);
    memset(&c2, 0, sizeof c2);
    memset(&k1, 0, sizeof k1);
    memset(&k2, 0, sizeof k2);
    gsl_rng *r = rng_at(mnd_rng_key(p.seed, MND_STREAM_COHORT, 0, 3, 0));
    mnd_cohort_sample(r, &p, &c1);
    mnd_course_sample(r, &p, &c1, &k1);
    gsl_rng_set(r, mnd_rng_key(p.seed, MND_STREAM_COHORT, 0, 3, 0));
    mnd_cohort_sample(r, &p, &c2);
    mnd_course_sample(r, &p, &c2, &k2);
    cr_assert_eq(memcmp(&c1, &c2, sizeof c1), 0);
    cr_assert_eq(memcmp(&k1, &k2, sizeof k1), 0);
    gsl_rng_free(r);
}

/* --- phases of the natural clock (course.c) --- */

/* A course with n phases of `months` each, grid offset `offset`, every
 * phase at speed `speed`, its stored clock built as course.c builds it. */
static mnd_course constant_phases(int n, double months, double offset, double speed)
{
    mnd_course k;
    memset(&k, 0, sizeof k);
    k.n_phases = n;
    k.phase_months = months;
    k.phases_per_month = 1.0 / months;
    k.phase_offset = offset;
    for (int j = 0; j < n; j++) {
        double s0 = fmax(0.0, (j - offset) * months), s1 = (j + 1 - offset) * months;
        k.phase_start[j] = s0;
        k.phase_start[j + 1] = s1;
        k.phase_speed[j] = speed;
        k.phase_clock[j + 1] = k.phase_clock[j] + speed * (s1 - s0);
    }
    return k;
}

/* With one speed in every phase the clock is linear: N(t) = speed t up to
 * the end of the last phase, then it runs at speed 1; N(t) = t up to onset. */
Test(disease, clock_constant_speed_is_linear)
{
    mnd_course k = constant_phases(5, 10.0, 0.25, 2.0);
    double end = (5 - 0.25) * 10.0;
    for (double t = -20.0; t <= 80.0; t += 0.37) {
        double want = t <= 0 ? t : t <= end ? 2.0 * t : 2.0 * end + (t - end);
        assert_close(mnd_course_clock(&k, t), want, 1e-12 * fmax(1.0, fabs(want)), "N(t)");
    }
    /* exactly at phase boundaries, from both sides */
    for (int j = 1; j <= 5; j++) {
        double b = (j - 0.25) * 10.0;
        assert_close(mnd_course_clock(&k, b), 2.0 * b, 1e-12 * b, "N at a boundary");
        assert_close(mnd_course_clock(&k, nextafter(b, 0.0)), 2.0 * b, 1e-12 * b, "N before it");
    }
    k.n_phases = 0; /* no phases: the clock is time itself, bit for bit */
    for (double t = -5.0; t <= 50.0; t += 0.7)
        cr_assert_eq(mnd_course_clock(&k, t), t);
}

/* phase_sd_log = 0 draws nothing after the seven normals and leaves the
 * course of the model without phases: fractions exp(-rate (t - loss_start)). */
Test(disease, phases_off_draw_nothing)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.phase_sd_log = 0.0;
    gsl_rng *r = rng_at(31), *ref = rng_at(31);
    mnd_covariates c = covariates(MND_PHENOTYPE_CLASSIC, MND_GENOTYPE_SPORADIC,
                                  MND_REGION_BULBAR, 1.2);
    for (int i = 0; i < 200; i++) {
        mnd_course k;
        mnd_course_sample(r, &p, &c, &k);
        for (int j = 0; j < 7; j++)
            gsl_ran_gaussian_ziggurat(ref, 1.0);
        cr_assert_eq(gsl_rng_get(r), gsl_rng_get(ref), "patient %d: not seven draws", i);
        cr_assert_eq(k.n_phases, 0);
        for (double t = 0.0; t < 60.0; t += 1.3)
            for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
                double dt = t - k.loss_start[reg];
                double want = dt > 0 ? exp(-k.rate[reg][MND_POOL_LMN] * dt) : 1.0;
                cr_assert_eq(mnd_course_fraction(&k, (mnd_region)reg, MND_POOL_LMN, t), want);
            }
    }
    gsl_rng_free(r);
    gsl_rng_free(ref);
}

/* Phases on: one uniform and ceil(horizon / length) + 1 normals after the
 * seven; log speeds normal with mean -sd^2/2 and SD sd (speed mean 1), so
 * E[N(t)] = t; N continuous and increasing; fractions read the clock. */
Test(disease, phases_moments_and_clock)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.phase_sd_log = 0.8;
    p.phase_months = 9.0;
    int n_phases = (int)ceil(MND_PHASE_HORIZON_MONTHS / 9.0) + 1;
    gsl_rng *r = rng_at(32), *ref = rng_at(32);
    mnd_covariates c = covariates(MND_PHENOTYPE_CLASSIC, MND_GENOTYPE_SPORADIC,
                                  MND_REGION_CERVICAL, 1.0);
    const int n = 4000;
    double sum = 0, sum_sq = 0, clock_sum = 0, clock_sq = 0, offset_sum = 0;
    long count = 0;
    for (int i = 0; i < n; i++) {
        mnd_course k;
        mnd_course_sample(r, &p, &c, &k);
        for (int j = 0; j < 7; j++)
            gsl_ran_gaussian_ziggurat(ref, 1.0);
        gsl_rng_uniform(ref);
        for (int j = 0; j < n_phases; j++)
            gsl_ran_gaussian_ziggurat(ref, 1.0);
        cr_assert_eq(gsl_rng_get(r), gsl_rng_get(ref), "patient %d: draw count", i);
        cr_assert_eq(k.n_phases, n_phases);
        offset_sum += k.phase_offset;
        for (int j = 0; j < n_phases; j++) {
            double z = log(k.phase_speed[j]);
            sum += z;
            sum_sq += z * z;
            count++;
        }
        double n30 = mnd_course_clock(&k, 30.0);
        clock_sum += n30;
        clock_sq += n30 * n30;
        if (i < 50) { /* continuous and increasing on a fine grid */
            double prev = mnd_course_clock(&k, 0.0);
            for (double t = 0.01; t < 700.0; t += 0.01) {
                double now = mnd_course_clock(&k, t);
                cr_assert_gt(now, prev, "N not increasing at %g", t);
                cr_assert_lt(now - prev, 0.01 * 20.0, "N jumps at %g", t);
                prev = now;
            }
            for (double t = 0.5; t < 60.0; t += 2.9)
                for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
                    double dt = mnd_course_clock(&k, t) - mnd_course_clock(&k, k.loss_start[reg]);
                    double want = t > k.loss_start[reg] ? exp(-k.rate[reg][MND_POOL_UMN] * dt) : 1.0;
                    cr_assert_eq(mnd_course_fraction(&k, (mnd_region)reg, MND_POOL_UMN, t), want);
                }
        }
    }
    double s = p.phase_sd_log, mean = sum / count, sd = sqrt(sum_sq / count - mean * mean);
    cr_assert_lt(fabs(mean + 0.5 * s * s), 4 * s / sqrt((double)count), "mean log speed %.4f", mean);
    cr_assert_lt(fabs(sd - s), 4 * s / sqrt(2.0 * count), "log-SD %.4f", sd);
    cr_assert_lt(fabs(offset_sum / n - 0.5), 4 * sqrt(1.0 / 12.0 / n), "offset not uniform");
    double cm = clock_sum / n, csd = sqrt(clock_sq / n - cm * cm);
    cr_assert_lt(fabs(cm - 30.0), 4 * csd / sqrt((double)n), "E[N(30)] = %.3f", cm);
    cr_assert_gt(csd, 1.0, "the clock varies between patients");
    gsl_rng_free(r);
    gsl_rng_free(ref);
}

/* mnd_course_pool_time inverts mnd_course_fraction, with phases and
 * without: the fraction at the returned time is the one asked for, for
 * every pool of sampled courses, and a pool that loses nothing never gets
 * there. */
Test(disease, pool_time_inverts_fraction)
{
    mnd_params p;
    mnd_config_defaults(&p);
    const double sd_log[2] = {0.0, 0.8};
    for (int with_phases = 0; with_phases < 2; with_phases++) {
        p.phase_sd_log = sd_log[with_phases];
        gsl_rng *r = rng_at(41 + (uint64_t)with_phases);
        mnd_covariates c = covariates(MND_PHENOTYPE_CLASSIC, MND_GENOTYPE_SPORADIC,
                                      MND_REGION_CERVICAL, 1.0);
        for (int i = 0; i < 300; i++) {
            mnd_course k;
            mnd_course_sample(r, &p, &c, &k);
            for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                for (int q = 0; q < MND_POOL_COUNT; q++) {
                    cr_assert_eq(mnd_course_pool_time(&k, (mnd_region)reg, (mnd_pool)q, 1.0),
                                 k.loss_start[reg]);
                    for (double f = 0.95; f > 0.01; f *= 0.7) {
                        double t = mnd_course_pool_time(&k, (mnd_region)reg, (mnd_pool)q, f);
                        assert_close(mnd_course_fraction(&k, (mnd_region)reg, (mnd_pool)q, t), f,
                                     1e-10, "fraction at the pool time");
                    }
                }
        }
        gsl_rng_free(r);
    }
    mnd_course k = constant_phases(0, 12.0, 0.0, 1.0);
    k.rate[MND_REGION_LUMBAR][MND_POOL_LMN] = 0.0;
    cr_assert(isinf(mnd_course_pool_time(&k, MND_REGION_LUMBAR, MND_POOL_LMN, 0.5)));
}

/* The first time in [0, 1200] at which g(t) <= level, on a grid fine
 * enough to place it within `step` (a check independent of the root
 * finder); INFINITY if none. */
static double grid_crossing(double (*g)(const mnd_params *, const mnd_course *, double),
                            const mnd_params *p, const mnd_course *k, double level, double step)
{
    for (double t = 0.0; t <= 1200.0; t += step)
        if (g(p, k, t) <= level)
            return t;
    return INFINITY;
}

static double bulbar_function(const mnd_params *p, const mnd_course *k, double t)
{
    return mnd_region_function(p, k, MND_REGION_BULBAR, t);
}

/* The brackets of the bulbar function and the ventilation index hold their
 * crossings for untreated courses, with phases, for every onset region and
 * phenotype and levels across (0, 1): the first grid time at or past the
 * crossing lies in [lo, hi + step]. */
Test(disease, brackets_hold_the_crossings)
{
    mnd_params p;
    mnd_config_defaults(&p);
    gsl_rng *r = rng_at(43);
    const double step = 0.05;
    const mnd_phenotype phenotypes[3] = {MND_PHENOTYPE_CLASSIC, MND_PHENOTYPE_PBP,
                                         MND_PHENOTYPE_PLS};
    for (int i = 0; i < 120; i++) {
        mnd_covariates c = covariates(phenotypes[i % 3], MND_GENOTYPE_SPORADIC,
                                      (mnd_region)(i % MND_REGION_COUNT), 0.5 + 0.02 * i);
        mnd_course k;
        mnd_course_sample(r, &p, &c, &k);
        for (double level = 0.05; level < 1.0; level += 0.15) {
            mnd_bracket b = mnd_region_function_bracket(&p, &k, MND_REGION_BULBAR, level);
            double t = grid_crossing(bulbar_function, &p, &k, level, step);
            cr_assert(b.lo <= b.hi, "course %d: empty bracket", i);
            cr_assert(t >= b.lo - 1e-9 && t <= b.hi + step,
                      "course %d, bulbar level %.2f: crossing %.3f outside [%.3f, %.3f]", i, level,
                      t, b.lo, b.hi);
            b = mnd_ventilation_bracket(&p, &k, level);
            t = grid_crossing(mnd_ventilation, &p, &k, level, step);
            cr_assert(t >= b.lo - 1e-9 && t <= b.hi + step,
                      "course %d, ventilation level %.2f: crossing %.3f outside [%.3f, %.3f]", i,
                      level, t, b.lo, b.hi);
        }
    }
    gsl_rng_free(r);
}
