/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_study.c — unit tests of the study layer (src/study.c,
 * src/study_metrics.c, src/study_run.c), driven through the library: a
 * config from tests/unit/configs/ loaded with mnd_config_load, then
 * mnd_studies_run with a sink that keeps the metrics (and, where a test
 * needs them, the patient records), or mnd_study_arm_params /
 * mnd_study_simulate / mnd_study_metrics directly.
 *
 * What is checked:
 *   1. a randomized trial of the clinic product (true effect zero): the
 *      slope test and the log-rank test reject at their nominal 5 % within
 *      Monte Carlo error, and the true effect is exactly 0 in every study;
 *   2. a drug with a known effect: the slope test's power matches the
 *      normal approximation from the per-patient slope spread;
 *   3. the degenerate case series (every bias mechanism off) reports no
 *      change, bit for bit the same as its sham; each bias mechanism,
 *      switched on alone at the same seed, moves the clinic's metric the
 *      way CLAIMS.md says it does;
 *   4. common random numbers: twin studies enrol the same patients; the
 *      arms share their untreated natural history; 1 and 2 threads give
 *      the same bits;
 *   5. permuted-block allocation.
 * Fixed seeds; every statistical check states its Monte Carlo standard
 * error and uses a tolerance of about 3 of them (plus, for the power, a
 * stated margin for the normal approximation).  The figures are printed.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_errno.h>
#include "mndsim/config.h"
#include "mndsim/study_run.h"

#define CFG "tests/unit/configs/"

static void suite_init(void) { gsl_set_error_handler_off(); }

TestSuite(study, .init = suite_init, .timeout = 120);

/* --------------------------------------------------------------- helpers */

static mnd_params load(const char *path, const char *const *ov, size_t n)
{
    mnd_params p;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_config_load(path, ov, n, &p, NULL, &err), MND_OK, "%s", err.message);
    return p;
}

static int study_index(const mnd_params *p, const char *name)
{
    for (int k = 0; k < (int)p->n_studies; k++)
        if (strcmp(p->studies[k].name, name) == 0)
            return k;
    cr_assert_fail("no study %s", name);
    return -1;
}

/* What mnd_studies_run hands over for one study. */
typedef struct {
    bool active;
    int64_t n_rep, per, next, blocks;
    double *m;               /* [n_rep][MND_M_COUNT] */
    mnd_study_patient *pts;  /* [n_rep][per], or NULL when not kept */
    /* per-patient slopes of the observed arm, over every replicate, by arm */
    int64_t n_slope[2];
    double sum_slope[2], sum_slope2[2];
} collected;

typedef struct {
    collected s[MND_MAX_STUDIES];
} run_result;

static mnd_status collect(int k, int64_t first, int64_t n, const double *metrics,
                          const mnd_study_patient *pts, int64_t per, void *ctx, mnd_error *err)
{
    run_result *r = ctx;
    cr_assert(k >= 0 && k < MND_MAX_STUDIES && r->s[k].active, "study %d was not expected", k);
    collected *c = &r->s[k];
    cr_assert_eq(first, c->next, "replicate blocks out of order");
    cr_assert(n > 0 && first + n <= c->n_rep);
    cr_assert_eq(per, c->per);
    memcpy(c->m + first * MND_M_COUNT, metrics, (size_t)n * MND_M_COUNT * sizeof *metrics);
    if (c->pts != NULL)
        memcpy(c->pts + first * per, pts, (size_t)(n * per) * sizeof *pts);
    for (int64_t i = 0; i < n * per; i++) {
        const mnd_study_patient *e = &pts[i];
        double y = e->outcome[e->arm].slope;
        if (isfinite(y)) {
            c->n_slope[e->arm]++;
            c->sum_slope[e->arm] += y;
            c->sum_slope2[e->arm] += y * y;
        }
    }
    c->next += n;
    c->blocks++;
    return MND_OK;
}

/* Runs every enabled study of p on `threads` threads; keeps the patient
 * records when asked. */
static void run_all(const mnd_params *p, int threads, bool keep_pts, run_result *r)
{
    memset(r, 0, sizeof *r);
    for (int k = 0; k < (int)p->n_studies; k++) {
        const mnd_study *s = &p->studies[k];
        collected *c = &r->s[k];
        if (!s->enabled)
            continue;
        c->active = true;
        c->n_rep = p->n_replicates;
        c->per = (s->design == MND_DESIGN_HISTORICAL ? 2 : 1) * s->n_patients;
        c->m = malloc((size_t)c->n_rep * MND_M_COUNT * sizeof *c->m);
        cr_assert(c->m != NULL);
        if (keep_pts) {
            c->pts = calloc((size_t)(c->n_rep * c->per), sizeof *c->pts);
            cr_assert(c->pts != NULL);
        }
    }
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_studies_run(p, threads, collect, r, &err), MND_OK, "%s", err.message);
    for (int k = 0; k < (int)p->n_studies; k++)
        if (r->s[k].active)
            cr_assert_eq(r->s[k].next, r->s[k].n_rep, "study %d: replicates missing", k);
}

static void result_free(run_result *r)
{
    for (int k = 0; k < MND_MAX_STUDIES; k++) {
        free(r->s[k].m);
        free(r->s[k].pts);
    }
}

/* Runs study `name` of config `path` alone (the others disabled) with the
 * overrides, on 2 threads; returns its records in *c (caller frees c->m,
 * c->pts). */
static void run_study(const char *path, const char *const *ov, size_t n, const char *name,
                      bool keep_pts, collected *c)
{
    mnd_params p = load(path, ov, n);
    int k = study_index(&p, name);
    for (int j = 0; j < (int)p.n_studies; j++)
        p.studies[j].enabled = j == k;
    run_result r;
    run_all(&p, 2, keep_pts, &r);
    *c = r.s[k];
}

static double metric(const collected *c, int64_t rep, int k) { return c->m[rep * MND_M_COUNT + k]; }

/* Mean over replicates of metric k (finite values only) and its Monte
 * Carlo standard error sd / sqrt(n). */
static double rep_mean(const collected *c, int k, double *se, int64_t *n_finite)
{
    double sum = 0, sum2 = 0;
    int64_t n = 0;
    for (int64_t r = 0; r < c->n_rep; r++) {
        double x = metric(c, r, k);
        if (isfinite(x)) {
            sum += x;
            sum2 += x * x;
            n++;
        }
    }
    double mean = n > 0 ? sum / (double)n : NAN;
    if (se)
        *se = n > 1 ? sqrt((sum2 - n * mean * mean) / (double)(n - 1) / (double)n) : NAN;
    if (n_finite)
        *n_finite = n;
    return mean;
}

/* Mean over replicates of metric ka of a minus metric kb of b (the same
 * replicates: a paired difference at the same seed), and its standard
 * error; every replicate must give both. */
static double paired_mean(const collected *a, int ka, const collected *b, int kb, double *se)
{
    cr_assert_eq(a->n_rep, b->n_rep);
    double sum = 0, sum2 = 0;
    int64_t n = a->n_rep;
    for (int64_t r = 0; r < n; r++) {
        double d = metric(a, r, ka) - metric(b, r, kb);
        cr_assert(isfinite(d), "replicate %lld: %s %g, %s %g", (long long)r,
                  mnd_metric_names[ka], metric(a, r, ka), mnd_metric_names[kb], metric(b, r, kb));
        sum += d;
        sum2 += d * d;
    }
    double mean = sum / (double)n;
    *se = sqrt((sum2 - n * mean * mean) / (double)(n - 1) / (double)n);
    return mean;
}

/* Share of replicates with metric k < alpha (among those where it is
 * finite; all must be). */
static double rejection_rate(const collected *c, int k, double alpha)
{
    int64_t rejected = 0;
    for (int64_t r = 0; r < c->n_rep; r++) {
        double pv = metric(c, r, k);
        cr_assert(isfinite(pv), "replicate %lld: %s is %g", (long long)r, mnd_metric_names[k], pv);
        rejected += pv < alpha;
    }
    return (double)rejected / (double)c->n_rep;
}

/* Bitwise equality of two doubles (NaN == NaN of the same bits). */
static bool same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* Bitwise equality of two arrays of n doubles. */
static bool same_array(const double *a, const double *b, int n)
{
    for (int k = 0; k < n; k++)
        if (!same_bits(a[k], b[k]))
            return false;
    return true;
}

/* Bitwise equality of two outcomes, field by field (no padding). */
static bool outcome_equal(const mnd_study_outcome *a, const mnd_study_outcome *b)
{
    return same_array(a->pro_baseline, b->pro_baseline, MND_PRO_COUNT)
           && same_array(a->pro_follow_up, b->pro_follow_up, MND_PRO_COUNT)
           && a->n_visits == b->n_visits && a->completed == b->completed && a->event == b->event
           && same_bits(a->t_event, b->t_event) && same_bits(a->baseline_total, b->baseline_total)
           && same_bits(a->baseline_fvc, b->baseline_fvc) && same_bits(a->slope, b->slope)
           && same_bits(a->best_slope, b->best_slope)
           && same_bits(a->last_fvc_ratio, b->last_fvc_ratio)
           && same_bits(a->best_fvc_ratio, b->best_fvc_ratio)
           && same_bits(a->t_dropout, b->t_dropout);
}

/* The same patient enrolled (identity, entry, both potential outcomes);
 * the arm is not compared. */
static bool patient_equal(const mnd_study_patient *a, const mnd_study_patient *b)
{
    return a->slot == b->slot && a->attempt == b->attempt && a->stratum == b->stratum
           && same_bits(a->t_enrolment, b->t_enrolment) && same_bits(a->t_diagnosis, b->t_diagnosis)
           && same_bits(a->accrual_time, b->accrual_time)
           && same_bits(a->lead_in_slope, b->lead_in_slope) && same_bits(a->delta_fs, b->delta_fs)
           && outcome_equal(&a->outcome[0], &b->outcome[0])
           && outcome_equal(&a->outcome[1], &b->outcome[1]);
}

static const double Z975 = 1.959963984540054; /* standard normal 97.5 % quantile */

/* ------------------------------------------ 1. type-I error, zero effect */

/* The clinic product (configs/interventions/clinic_stem_cells.cfg, true
 * effect zero) in a randomized trial of 200 patients, 12 months of monthly
 * visits, 2000 replicate trials. */
Test(study, null_trial_rejects_at_the_nominal_rate)
{
    const char *ov[] = {"simulation.n_replicates=2000"};
    collected c;
    run_study(CFG "study_clinic.cfg", ov, 1, "trial", false, &c);
    const int64_t R = c.n_rep;

    for (int64_t r = 0; r < R; r++) {
        cr_assert_eq(metric(&c, r, MND_M_N_TREATED) + metric(&c, r, MND_M_N_CONTROL), 200.0);
        /* zero effect and common random numbers: each patient's treated and
         * untreated slopes are the same numbers, so the mean difference is 0 */
        cr_assert(same_bits(metric(&c, r, MND_M_TRUE_SLOPE_EFFECT), 0.0),
                  "replicate %lld: true_slope_effect %.17g", (long long)r,
                  metric(&c, r, MND_M_TRUE_SLOPE_EFFECT));
        /* blinded: the sham carries the same expectation on the scales */
        cr_assert(same_bits(metric(&c, r, MND_M_TRUE_PRO_EFFECT), 0.0));
    }
    double slope = rejection_rate(&c, MND_M_SLOPE_P, 0.05);
    double logrank = rejection_rate(&c, MND_M_LOGRANK_P, 0.05);
    /* binomial MC standard error of a 5 % rate over R trials: 0.0049 */
    double se = sqrt(0.05 * 0.95 / (double)R);
    printf("null trial (clinic product, 200 patients, 12 months, %lld trials):\n"
           "  type-I error: slope test %.4f, log-rank %.4f (nominal 0.05, MC SE %.4f)\n",
           (long long)R, slope, logrank, se);
    cr_expect(fabs(slope - 0.05) <= 3 * se, "slope test type-I error %g", slope);
    cr_expect(fabs(logrank - 0.05) <= 3 * se, "log-rank type-I error %g", logrank);

    /* the estimate is unbiased: mean slope difference 0 (MC SE sd / sqrt(R),
     * about 0.0034 points/month) */
    double diff_se, diff = rep_mean(&c, MND_M_SLOPE_DIFF, &diff_se, NULL);
    printf("  mean slope difference %.5f (MC SE %.5f)\n", diff, diff_se);
    cr_expect(fabs(diff) <= 3 * diff_se, "mean slope difference %g", diff);

    /* the summary counts the same rejections */
    mnd_params p = load(CFG "study_clinic.cfg", ov, 1);
    mnd_study_summary sum;
    double *work = malloc((size_t)R * sizeof *work);
    mnd_study_summarise(&p.studies[study_index(&p, "trial")], c.m, R, work, &sum);
    cr_expect_eq(sum.reject_slope, slope);
    cr_expect_eq(sum.reject_logrank, logrank);
    cr_expect_eq(sum.metric[MND_M_TRUE_SLOPE_EFFECT].n, R);
    cr_expect_eq(sum.metric[MND_M_TRUE_SLOPE_EFFECT].sd, 0.0);
    free(work);
    free(c.m);
}

/* ------------------------------------------------- 2. power, known effect */

/* A drug slowing motor-neuron loss (loss_rate_multiplier 0.7,
 * study_effect.cfg) in a trial of 200 patients over 12 months, 1000
 * trials.  Analytic power of the two-sided Welch test at 5 %:
 * Φ(Δ/SE − z) + Φ(−Δ/SE − z), with Δ the mean true slope effect and
 * SE = sqrt(s1²/n1 + s0²/n0) from the per-patient slope SDs s1, s0 of each
 * arm (pooled over every trial) and the mean arm sizes. */
Test(study, power_matches_the_normal_approximation)
{
    collected c;
    run_study(CFG "study_effect.cfg", NULL, 0, "trial", false, &c);
    const int64_t R = c.n_rep;

    double s[2], n_arm[2];
    for (int a = 0; a < 2; a++) {
        double m = c.sum_slope[a] / (double)c.n_slope[a];
        s[a] = sqrt((c.sum_slope2[a] - c.n_slope[a] * m * m) / (double)(c.n_slope[a] - 1));
        n_arm[a] = (double)c.n_slope[a] / (double)R;
    }
    double delta = rep_mean(&c, MND_M_TRUE_SLOPE_EFFECT, NULL, NULL);
    double se = sqrt(s[1] * s[1] / n_arm[1] + s[0] * s[0] / n_arm[0]);
    double analytic = gsl_cdf_ugaussian_P(fabs(delta) / se - Z975)
                      + gsl_cdf_ugaussian_P(-fabs(delta) / se - Z975);
    double observed = rejection_rate(&c, MND_M_SLOPE_P, 0.05);
    /* binomial MC standard error of the observed power over R trials */
    double mc_se = sqrt(analytic * (1 - analytic) / (double)R);
    /* approximation margin: the Welch t (df about 190: critical 1.973
     * instead of 1.96, -0.005 on the power) and the stratified permuted
     * blocks, which balance the prognostic onset region between the arms
     * and so make the true SE a few % smaller than the formula's (under
     * the null, 30000 trials of study_clinic.cfg at three seeds gave a
     * type-I error of 0.045 +- 0.0013 with stratify = true and 0.050
     * without: an SE about 2 % smaller, +0.02 on the power here) */
    const double margin = 0.03;
    printf("known effect (drug, loss_rate_multiplier 0.7, 200 patients, 12 months, %lld trials):\n"
           "  true slope effect %.4f points/month; per-patient slope SD treated %.4f, control "
           "%.4f; n %.1f / %.1f\n"
           "  SE %.4f, Δ/SE %.3f: analytic power %.4f, observed %.4f (MC SE %.4f, margin %.2f)\n",
           (long long)R, delta, s[1], s[0], n_arm[1], n_arm[0], se, delta / se, analytic,
           observed, mc_se, margin);
    cr_expect(analytic > 0.5 && analytic < 0.8, "the effect should give a power of 0.5-0.8");
    cr_expect(fabs(observed - analytic) <= 3 * mc_se + margin, "power %g, analytic %g", observed,
              analytic);

    /* the other reading of SE: the spread of each arm's mean slope over
     * trials is s / sqrt(n) (the SD of an SD over R = 1000 trials has a
     * relative MC SE of about 2.2 %; 10 % allows the stratified blocks) */
    double sd_treated, sd_control;
    rep_mean(&c, MND_M_SLOPE_TREATED, &sd_treated, NULL);
    rep_mean(&c, MND_M_SLOPE_CONTROL, &sd_control, NULL);
    sd_treated *= sqrt((double)R);
    sd_control *= sqrt((double)R);
    printf("  SD over trials of the arm means: treated %.4f (s1/sqrt(n1) %.4f), control %.4f "
           "(%.4f)\n",
           sd_treated, s[1] / sqrt(n_arm[1]), sd_control, s[0] / sqrt(n_arm[0]));
    cr_expect(fabs(sd_treated / (s[1] / sqrt(n_arm[1])) - 1) < 0.10);
    cr_expect(fabs(sd_control / (s[0] / sqrt(n_arm[0])) - 1) < 0.10);

    /* the trial's estimate is unbiased for the true effect (MC SE of the
     * mean difference about 0.0042 points/month) */
    double diff_se, diff = rep_mean(&c, MND_M_SLOPE_DIFF, &diff_se, NULL);
    printf("  mean slope difference %.4f (MC SE %.4f) vs true %.4f\n", diff, diff_se, delta);
    cr_expect(fabs(diff - delta) <= 3 * diff_se, "slope difference %g, true %g", diff, delta);
    /* and the drug acts in every trial */
    for (int64_t r = 0; r < R; r++)
        cr_assert_gt(metric(&c, r, MND_M_TRUE_SLOPE_EFFECT), 0.0);
    free(c.m);
}

/* ---------------------------------------- 3. the clinic's case series */

#define CLINIC_REPS "simulation.n_replicates=200"

/* Runs the case series `clinic` of study_clinic.cfg (200 patients, 12
 * months of monthly visits, 200 replicate series) with the overrides
 * `common`, and again with `common` and `on`: the same seed, so the
 * difference is the mechanism switched on. */
static void clinic_pair(const char *const *common, size_t n_common, const char *const *on,
                        size_t n_on, collected *off_c, collected *on_c)
{
    const char *ov[16];
    size_t n = 0;
    cr_assert(n_common + n_on + 1 <= 16);
    ov[n++] = CLINIC_REPS;
    for (size_t i = 0; i < n_common; i++)
        ov[n++] = common[i];
    run_study(CFG "study_clinic.cfg", ov, n, "clinic", false, off_c);
    for (size_t i = 0; i < n_on; i++)
        ov[n++] = on[i];
    run_study(CFG "study_clinic.cfg", ov, n, "clinic", false, on_c);
}

/* Every mechanism off (case_series, no selection, no dropout, pre_slope
 * "untreated", last visit, survival from enrolment) and zero effect: the
 * clinic's metrics are those of the sham, bit for bit, and show no
 * change. */
Test(study, degenerate_clinic_shows_no_change)
{
    const char *ov[] = {CLINIC_REPS};
    collected c;
    run_study(CFG "study_clinic.cfg", ov, 1, "clinic", false, &c);
    for (int64_t r = 0; r < c.n_rep; r++) {
        cr_assert_eq(metric(&c, r, MND_M_N_TREATED), 200.0);
        cr_assert_eq(metric(&c, r, MND_M_N_CONTROL), 0.0);
        cr_assert(same_bits(metric(&c, r, MND_M_TRUE_SLOPE_EFFECT), 0.0));
        cr_assert(same_bits(metric(&c, r, MND_M_SLOWING_PERCENT), 0.0),
                  "replicate %lld: slowing %g %%", (long long)r,
                  metric(&c, r, MND_M_SLOWING_PERCENT));
        cr_assert(same_bits(metric(&c, r, MND_M_SLOWED_SHARE), 0.0));
        cr_assert(same_bits(metric(&c, r, MND_M_DROPOUT_SHARE), 0.0));
        static const int pairs[][2] = {
            {MND_M_SLOWING_PERCENT, MND_M_CONTROL_SLOWING_PERCENT},
            {MND_M_SLOWED_SHARE, MND_M_CONTROL_SLOWED_SHARE},
            {MND_M_FVC_GAIN_SHARE, MND_M_CONTROL_FVC_GAIN_SHARE},
            {MND_M_SURVIVAL_GAIN, MND_M_CONTROL_SURVIVAL_GAIN},
        };
        for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
            cr_assert(same_bits(metric(&c, r, pairs[i][0]), metric(&c, r, pairs[i][1])),
                      "replicate %lld: %s %.17g, %s %.17g", (long long)r,
                      mnd_metric_names[pairs[i][0]], metric(&c, r, pairs[i][0]),
                      mnd_metric_names[pairs[i][1]], metric(&c, r, pairs[i][1]));
        /* a case series has no control arm to test against */
        cr_assert(isnan(metric(&c, r, MND_M_SLOPE_P)) && isnan(metric(&c, r, MND_M_LOGRANK_P)));
        cr_assert(isfinite(metric(&c, r, MND_M_SLOPE_TREATED)),
                  "replicate %lld: the case series reports no slope of its patients",
                  (long long)r);
    }
    free(c.m);
}

/* (a) Informative dropout (fast decliners leave) read on completers only:
 * patients leave, and the completers' slopes are flatter. */
Test(study, dropout_of_fast_decliners_flattens_the_completers_slope)
{
    const char *on[] = {"studies.clinic.dropout_per_month=0.02",
                        "studies.clinic.dropout_per_point_decline=0.7",
                        "studies.clinic.completers_only=true"};
    collected off, with;
    clinic_pair(NULL, 0, on, 3, &off, &with);
    double share_se, share = rep_mean(&with, MND_M_DROPOUT_SHARE, &share_se, NULL);
    double d_se, d = paired_mean(&with, MND_M_SLOPE_TREATED, &off, MND_M_SLOPE_TREATED, &d_se);
    printf("bias (a) dropout: dropout share %.4f (MC SE %.4f); completers' slope minus "
           "everyone's %+.4f points/month (paired MC SE %.4f)\n",
           share, share_se, d, d_se);
    cr_expect_gt(share, 3 * share_se);
    cr_expect_gt(d, 3 * d_se, "completers' slope not flatter: %+g (SE %g)", d, d_se);
    free(off.m);
    free(with.m);
}

/* (b) Judging responders at their best follow-up visit (cherry-picking,
 * multiplicity) instead of the last. */
Test(study, best_visit_inflates_responders)
{
    const char *on[] = {"studies.clinic.best_visit=true"};
    collected off, with;
    clinic_pair(NULL, 0, on, 1, &off, &with);
    for (int64_t r = 0; r < off.n_rep; r++) /* the best FVC ratio is at least the last */
        cr_assert_geq(metric(&with, r, MND_M_FVC_GAIN_SHARE), metric(&off, r, MND_M_FVC_GAIN_SHARE));
    double f_se, f = paired_mean(&with, MND_M_FVC_GAIN_SHARE, &off, MND_M_FVC_GAIN_SHARE, &f_se);
    double s_se, s = paired_mean(&with, MND_M_SLOWED_SHARE, &off, MND_M_SLOWED_SHARE, &s_se);
    printf("bias (b) best visit: FVC gain share %.4f -> %.4f (paired MC SE %.4f); slowed share "
           "%.4f -> %.4f (paired MC SE %.4f)\n",
           rep_mean(&off, MND_M_FVC_GAIN_SHARE, NULL, NULL),
           rep_mean(&with, MND_M_FVC_GAIN_SHARE, NULL, NULL), f_se,
           rep_mean(&off, MND_M_SLOWED_SHARE, NULL, NULL),
           rep_mean(&with, MND_M_SLOWED_SHARE, NULL, NULL), s_se);
    cr_expect_gt(f, 3 * f_se);
    cr_expect_gt(s, 3 * s_se);
    free(off.m);
    free(with.m);
}

/* (c) Survival counted from onset (immortal time and lead time: the
 * patients had to survive to enrolment) against an expected survival of
 * 20 months, over 60 months of follow-up so that the median is reached. */
Test(study, survival_from_onset_inflates_the_survival_gain)
{
    const char *common[] = {"studies.clinic.follow_up_months=60",
                            "studies.clinic.visit_interval_months=3",
                            "studies.clinic.expected_survival_months=20"};
    const char *on[] = {"studies.clinic.survival_from=\"onset\""};
    collected off, with;
    clinic_pair(common, 3, on, 1, &off, &with);
    double g_se, g = paired_mean(&with, MND_M_SURVIVAL_GAIN, &off, MND_M_SURVIVAL_GAIN, &g_se);
    printf("bias (c) survival from onset: survival gain %+.2f -> %+.2f months (paired "
           "difference %+.2f, MC SE %.3f)\n",
           rep_mean(&off, MND_M_SURVIVAL_GAIN, NULL, NULL),
           rep_mean(&with, MND_M_SURVIVAL_GAIN, NULL, NULL), g, g_se);
    cr_expect_gt(g, 3 * g_se);
    /* ... and the sham says the same: the gain is not the therapy's */
    for (int64_t r = 0; r < off.n_rep; r++)
        cr_assert(same_bits(metric(&with, r, MND_M_SURVIVAL_GAIN),
                            metric(&with, r, MND_M_CONTROL_SURVIVAL_GAIN)));
    free(off.m);
    free(with.m);
}

/* (d) Entry after a measured recent decline, read against that lead-in
 * decline (pre_slope "lead_in"): regression to the mean makes the
 * post-entry decline look slower.  The lead-in comparator has a bias of
 * its own in this model: without any entry criterion the following
 * 12 months decline faster than the 3-month lead-in (the course speeds up
 * after diagnosis, and the mean per-patient slope weighs the fast
 * progressors), so slowing_percent is negative.  The regression to the
 * mean is what entry on a decline of at least 3 points adds to that, at
 * the same seed; a fast recent decline (at least 6 points) makes the
 * clinic's slowing positive against the all-off series' 0. */
Test(study, entry_after_recent_decline_regresses_to_the_mean)
{
    const char *lead_in[] = {"studies.clinic.recent_decline_months=3",
                             "studies.clinic.pre_slope=\"lead_in\""};
    const char *decline3[] = {"studies.clinic.recent_decline_min_points=3"};
    const char *decline6[] = {"studies.clinic.recent_decline_min_points=6"};
    collected all_off, any, d3, d6, unused;
    clinic_pair(NULL, 0, NULL, 0, &all_off, &unused);
    free(unused.m);
    clinic_pair(lead_in, 2, decline3, 1, &any, &d3);
    clinic_pair(lead_in, 2, decline6, 1, &unused, &d6);
    free(unused.m);
    double s_se, s = paired_mean(&d3, MND_M_SLOWING_PERCENT, &any, MND_M_SLOWING_PERCENT, &s_se);
    double f_se, f = paired_mean(&d6, MND_M_SLOWING_PERCENT, &all_off, MND_M_SLOWING_PERCENT, &f_se);
    printf("bias (d) regression to the mean (lead-in 3 months): slowing all off %.2f %%; lead-in, "
           "no entry criterion %.2f %%; entry on a decline >= 3 points %.2f %% (difference "
           "%+.2f, paired MC SE %.3f); >= 6 points %.2f %% (MC SE %.3f)\n",
           rep_mean(&all_off, MND_M_SLOWING_PERCENT, NULL, NULL),
           rep_mean(&any, MND_M_SLOWING_PERCENT, NULL, NULL),
           rep_mean(&d3, MND_M_SLOWING_PERCENT, NULL, NULL), s, s_se,
           rep_mean(&d6, MND_M_SLOWING_PERCENT, NULL, NULL), f_se);
    cr_expect_gt(s, 3 * s_se);
    cr_expect_gt(s, 10.0, "regression to the mean adds only %g percentage points", s);
    cr_expect_gt(f, 3 * f_se, "entry after a fast decline: slowing %g %% (SE %g)", f, f_se);
    for (int64_t r = 0; r < d3.n_rep; r++) { /* the sham says the same */
        cr_assert(same_bits(metric(&d3, r, MND_M_SLOWING_PERCENT),
                            metric(&d3, r, MND_M_CONTROL_SLOWING_PERCENT)));
        cr_assert(same_bits(metric(&d6, r, MND_M_SLOWING_PERCENT),
                            metric(&d6, r, MND_M_CONTROL_SLOWING_PERCENT)));
    }
    free(all_off.m);
    free(any.m);
    free(d3.m);
    free(d6.m);
}

/* (e) An expectation (placebo) effect of 3 points at the start of the
 * clinic product (placebo_half_life_months 3, the default) in the trial:
 * unblinded, the treated arm's slope looks better; blinded, the sham
 * carries the same expectation and the difference is centred on 0 (the
 * two arms are then the same bits, so this is the null distribution).  A
 * lasting expectation (half-life 1200 months: raters who know the arm)
 * shows more.  The baseline is rated before the treatment starts (see
 * arms_share_the_natural_history); were it rated under the expectation, a
 * fading placebo would look like faster decline. */
static void placebo_trial(const char *reps, const char *half_life, const char *blinded,
                          collected *c)
{
    const char *ov[] = {reps, "studies.clinic.enabled=false",
                        "interventions.clinic_cells.placebo_points=3", half_life, blinded};
    run_study(CFG "study_clinic.cfg", ov, 5, "trial", false, c);
}

Test(study, placebo_shows_only_when_unblinded)
{
    const char *fading = "interventions.clinic_cells.placebo_half_life_months=3";
    const char *lasting = "interventions.clinic_cells.placebo_half_life_months=1200";
    collected u, b, l;
    placebo_trial("simulation.n_replicates=600", fading, "studies.trial.blinded=false", &u);
    placebo_trial("simulation.n_replicates=600", fading, "studies.trial.blinded=true", &b);
    placebo_trial("simulation.n_replicates=300", lasting, "studies.trial.blinded=false", &l);
    /* MC SE of each mean: sd of the slope difference over trials (about
     * 0.15 points/month) / sqrt(replicates): about 0.006 (600) and 0.009 (300) */
    double u_se, u_d = rep_mean(&u, MND_M_SLOPE_DIFF, &u_se, NULL);
    double b_se, b_d = rep_mean(&b, MND_M_SLOPE_DIFF, &b_se, NULL);
    double l_se, l_d = rep_mean(&l, MND_M_SLOPE_DIFF, &l_se, NULL);
    printf("bias (e) placebo 3 points, half-life 3 months: slope difference unblinded %+.4f "
           "(MC SE %.4f), blinded %+.4f (MC SE %.4f); slope test rejects unblinded %.3f, "
           "blinded %.3f; lasting placebo, unblinded %+.4f (MC SE %.4f), rejects %.3f\n",
           u_d, u_se, b_d, b_se, rejection_rate(&u, MND_M_SLOPE_P, 0.05),
           rejection_rate(&b, MND_M_SLOPE_P, 0.05), l_d, l_se,
           rejection_rate(&l, MND_M_SLOPE_P, 0.05));
    cr_expect_gt(u_d, 3 * u_se, "unblinded placebo: slope difference %+g (SE %g)", u_d, u_se);
    cr_expect_leq(fabs(b_d), 3 * b_se, "blinded placebo: slope difference %+g (SE %g)", b_d, b_se);
    cr_expect_gt(l_d, u_d + 3 * sqrt(u_se * u_se + l_se * l_se),
                 "a lasting placebo should show more than a fading one");
    free(u.m);
    free(b.m);
    free(l.m);
}

/* ------------------------------------------- 4. common random numbers */

/* Two studies with identical keys recruit the same candidates: the same
 * patient records, bit for bit.  Case series (no allocation, no dropout)
 * then report the same metrics.  Trials randomize from a stream of their
 * own (MND_STREAM_ALLOCATION keyed by the study's name, rng.h), so twin
 * trials differ in who is allocated to which arm and nothing else. */
Test(study, twin_studies_enrol_the_same_patients)
{
    mnd_params p = load(CFG "study_twins.cfg", NULL, 0);
    run_result r;
    run_all(&p, 2, true, &r);
    const collected *sa = &r.s[study_index(&p, "series_a")], *sb = &r.s[study_index(&p, "series_b")];
    const collected *ta = &r.s[study_index(&p, "trial_a")], *tb = &r.s[study_index(&p, "trial_b")];
    int64_t arms_differ = 0, n = ta->n_rep * ta->per;
    for (int64_t i = 0; i < sa->n_rep * sa->per; i++) {
        cr_assert(patient_equal(&sa->pts[i], &sb->pts[i]), "series: record %lld differs",
                  (long long)i);
        cr_assert_eq(sa->pts[i].arm, 1);
        cr_assert_eq(sb->pts[i].arm, 1);
    }
    for (int64_t i = 0; i < n; i++) {
        cr_assert(patient_equal(&ta->pts[i], &tb->pts[i]), "trial: record %lld differs",
                  (long long)i);
        arms_differ += ta->pts[i].arm != tb->pts[i].arm;
    }
    cr_assert_eq(memcmp(sa->m, sb->m, (size_t)sa->n_rep * MND_M_COUNT * sizeof(double)), 0,
                 "twin case series report different metrics");
    /* independent permuted blocks of 4: about half the allocations differ */
    printf("twin trials: %lld of %lld allocations differ\n", (long long)arms_differ, (long long)n);
    cr_expect(arms_differ > n / 4 && arms_differ < 3 * n / 4);
    /* the selection and the lead-in were at work: some candidates redrawn */
    int64_t redrawn = 0;
    for (int64_t i = 0; i < sa->n_rep * sa->per; i++)
        redrawn += sa->pts[i].attempt > 1;
    cr_expect_gt(redrawn, 0);
    result_free(&r);
}

/* Simulates `reps` replicates of study `name` of p with the library's own
 * arm parameters, calling `check` on every patient record. */
static void simulate_each(const mnd_params *p, const char *name, int64_t reps,
                          void (*check)(const mnd_study *s, int64_t rep,
                                        const mnd_study_patient *pts, int64_t n, void *ctx),
                          void *ctx)
{
    const mnd_study *s = &p->studies[study_index(p, name)];
    mnd_params arms[2];
    mnd_study_arm_params(p, s, 0, &arms[0]);
    mnd_study_arm_params(p, s, 1, &arms[1]);
    mnd_workspace w = {0};
    mnd_study_scratch sc = {0};
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_workspace_alloc(&w, &err), MND_OK, "%s", err.message);
    cr_assert_eq(mnd_study_scratch_alloc(&sc, &arms[1], s, &err), MND_OK, "%s", err.message);
    mnd_study_patient *pts = calloc((size_t)(2 * s->n_patients), sizeof *pts);
    for (int64_t r = 0; r < reps; r++) {
        int64_t n = -1;
        cr_assert_eq(mnd_study_simulate(&w, arms, s, r, &sc, pts, &n, &err), MND_OK, "%s",
                     err.message);
        cr_assert_eq(n, s->n_patients);
        check(s, r, pts, n, ctx);
    }
    free(pts);
    mnd_study_scratch_free(&sc);
    mnd_workspace_free(&w);
}

typedef struct {
    int64_t patients, equal, equal_baseline;
} equal_count;

static void count_equal_outcomes(const mnd_study *s, int64_t rep, const mnd_study_patient *pts,
                                 int64_t n, void *ctx)
{
    equal_count *c = ctx;
    for (int64_t i = 0; i < n; i++) {
        c->patients++;
        c->equal += outcome_equal(&pts[i].outcome[0], &pts[i].outcome[1]);
        c->equal_baseline += same_bits(pts[i].outcome[0].baseline_total,
                                       pts[i].outcome[1].baseline_total);
    }
}

/* The control arm (the sham) and the treated arm of a patient share the
 * untreated natural history: with zero effect and no placebo, or a
 * placebo the blinded sham carries too, the two potential outcomes are the
 * same bits for every patient.  An unblinded placebo, on the ALSFRS-R or on
 * the patient-reported scales, separates them. */
Test(study, arms_share_the_natural_history)
{
    static const struct {
        const char *placebo, *pro_placebo, *blinded;
        bool all_equal;
    } cases[] = {
        {"interventions.clinic_cells.placebo_points=0",
         "interventions.clinic_cells.placebo_pro_fraction=0", "studies.trial.blinded=false", true},
        {"interventions.clinic_cells.placebo_points=3",
         "interventions.clinic_cells.placebo_pro_fraction=0.25", "studies.trial.blinded=true",
         true},
        {"interventions.clinic_cells.placebo_points=0",
         "interventions.clinic_cells.placebo_pro_fraction=0.25", "studies.trial.blinded=false",
         false},
        {"interventions.clinic_cells.placebo_points=3",
         "interventions.clinic_cells.placebo_pro_fraction=0", "studies.trial.blinded=false",
         false},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *ov[] = {cases[k].placebo, cases[k].pro_placebo, cases[k].blinded};
        mnd_params p = load(CFG "study_clinic.cfg", ov, 3);
        equal_count c = {0, 0, 0};
        simulate_each(&p, "trial", 20, count_equal_outcomes, &c);
        /* the enrolment visit is the baseline, rated before the treatment
         * starts: the same in both arms whatever the placebo */
        cr_expect_eq(c.equal_baseline, c.patients, "%s, %s: %lld of %lld baselines differ",
                     cases[k].placebo, cases[k].blinded,
                     (long long)(c.patients - c.equal_baseline), (long long)c.patients);
        printf("%s, %s, %s: %lld of %lld patients with identical potential outcomes\n",
               cases[k].placebo, cases[k].pro_placebo, cases[k].blinded, (long long)c.equal,
               (long long)c.patients);
        /* an expectation on the patient-reported scales alone separates
         * fewer: an eighth less of a low rating often rounds to the same
         * whole point, and a rating of 0 stays 0 */
        if (cases[k].all_equal)
            cr_expect_eq(c.equal, c.patients);
        else
            cr_expect_lt(c.equal, c.patients * 9 / 10);
    }
}

/* 1 and 2 threads give the same bits: metrics and patient records, over
 * two blocks of replicates (1024 + 76), with dropout drawn in one study. */
Test(study, threads_do_not_change_results)
{
    const char *ov[] = {"simulation.n_replicates=1100", "studies.series_a.n_patients=10",
                        "studies.series_b.enabled=false", "studies.trial_a.n_patients=12",
                        "studies.trial_a.dropout_per_month=0.05",
                        "studies.trial_a.dropout_per_point_decline=0.5",
                        "studies.trial_b.enabled=false"};
    mnd_params p = load(CFG "study_twins.cfg", ov, sizeof ov / sizeof ov[0]);
    run_result one, two;
    run_all(&p, 1, true, &one);
    run_all(&p, 2, true, &two);
    for (int k = 0; k < (int)p.n_studies; k++) {
        const collected *a = &one.s[k], *b = &two.s[k];
        if (!a->active)
            continue;
        cr_assert_eq(a->blocks, 2);
        cr_assert_eq(b->blocks, 2);
        cr_assert_eq(memcmp(a->m, b->m, (size_t)a->n_rep * MND_M_COUNT * sizeof(double)), 0,
                     "study %s: metrics differ between 1 and 2 threads", p.studies[k].name);
        for (int64_t i = 0; i < a->n_rep * a->per; i++)
            cr_assert(patient_equal(&a->pts[i], &b->pts[i]) && a->pts[i].arm == b->pts[i].arm,
                      "study %s: record %lld differs", p.studies[k].name, (long long)i);
    }
    /* the dropout was at work */
    const collected *t = &one.s[study_index(&p, "trial_a")];
    cr_expect_gt(rep_mean(t, MND_M_DROPOUT_SHARE, NULL, NULL), 0.0);
    result_free(&one);
    result_free(&two);
}

/* ---------------------------------------------------------- 5. allocation */

typedef struct {
    int64_t block;              /* block size */
    int64_t treated_per_block;
    int64_t max_imbalance;      /* |n_treated - ratio x n_control| allowed per stratum */
    int64_t ratio;              /* treated per control: 1 (1:1) or 2 (2:1) */
    int64_t first_treated, first_total; /* first patient of each block */
    int64_t treated, total;
    bool stratified_seen[2];
} alloc_check;

static void check_allocation(const mnd_study *s, int64_t rep, const mnd_study_patient *pts,
                             int64_t n, void *ctx)
{
    alloc_check *c = ctx;
    int64_t in_stratum[2] = {0, 0}, treated[2] = {0, 0}, block_treated[2] = {0, 0};
    for (int64_t i = 0; i < n; i++) {
        int st = pts[i].stratum;
        cr_assert(st == 0 || st == 1);
        c->stratified_seen[st] = true;
        if (in_stratum[st] % c->block == 0) {
            c->first_treated += pts[i].arm;
            c->first_total++;
        }
        in_stratum[st]++;
        treated[st] += pts[i].arm;
        block_treated[st] += pts[i].arm;
        if (in_stratum[st] % c->block == 0) { /* a complete block */
            cr_assert_eq(block_treated[st], c->treated_per_block, "replicate %lld", (long long)rep);
            block_treated[st] = 0;
        }
    }
    int64_t n_treated = 0;
    for (int st = 0; st < 2; st++) {
        int64_t control = in_stratum[st] - treated[st];
        cr_assert_leq(llabs(treated[st] - c->ratio * control), c->max_imbalance,
                      "replicate %lld, stratum %d: %lld treated, %lld control", (long long)rep, st,
                      (long long)treated[st], (long long)control);
        n_treated += treated[st];
    }
    cr_assert_leq(llabs(n_treated - c->ratio * (n - n_treated)), 2 * c->max_imbalance);
    c->treated += n_treated;
    c->total += n;
}

Test(study, permuted_blocks_balance_each_stratum)
{
    static const struct {
        const char *share, *block;
        int64_t b, per_block, ratio, max_imbalance;
    } cases[] = {
        /* 1:1 in blocks of 4: a partial block leaves at most 2 extra in one arm */
        {"studies.trial.treated_share=0.5", "studies.trial.block_size=4", 4, 2, 1, 2},
        /* 2:1 in blocks of 3: a partial block (T, TT, C or TC) leaves
         * n_treated - 2 n_control in [-2, 2] */
        {"studies.trial.treated_share=0.6666666666666666", "studies.trial.block_size=3", 3, 2, 2,
         2},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const char *ov[] = {cases[k].share, cases[k].block, "studies.trial.n_patients=101"};
        mnd_params p = load(CFG "study_clinic.cfg", ov, 3);
        alloc_check c = {.block = cases[k].b, .treated_per_block = cases[k].per_block,
                         .max_imbalance = cases[k].max_imbalance, .ratio = cases[k].ratio};
        simulate_each(&p, "trial", 200, check_allocation, &c);
        double share = (double)c.treated / (double)c.total;
        double want = (double)cases[k].per_block / (double)cases[k].b;
        double first = (double)c.first_treated / (double)c.first_total;
        /* the blocks are shuffled: the first of a block is treated with
         * probability per_block / block (binomial MC SE about 0.008) */
        double se = sqrt(want * (1 - want) / (double)c.first_total);
        printf("allocation %s, %s: treated share %.4f, first of block treated %.4f (want %.4f, "
               "MC SE %.4f)\n",
               cases[k].share, cases[k].block, share, first, want, se);
        cr_expect(fabs(share - want) < 0.01);
        cr_expect(fabs(first - want) <= 3 * se);
        cr_expect(c.stratified_seen[0] && c.stratified_seen[1], "both strata should occur");
    }
}

/* ------------------------- 6. patient-reported outcomes (C7), accrual */

/* Scales that stay clear of their ends (pain and quality of life centred
 * on 5 of 10, spasms and HADS on 20), so that clamping does not bend the
 * ratios, with no rise as function is lost: the reported change is then
 * the treatment's factor and the selection alone. */
#define PRO_PLAIN                                                                         \
    "pro.pain_mean=5", "pro.pain_between_sd=1", "pro.pain_fluctuation_sd=0.7",            \
        "pro.pain_noise_sd=0.5", "pro.pain_per_point_lost=0", "pro.spasms_mean=20",       \
        "pro.spasms_between_sd=3", "pro.spasms_fluctuation_sd=2", "pro.spasms_noise_sd=1", \
        "pro.spasms_per_point_lost=0", "pro.hads_mean=20", "pro.hads_between_sd=3",       \
        "pro.hads_fluctuation_sd=2", "pro.hads_noise_sd=1", "pro.hads_per_point_lost=0",  \
        "pro.qol_mean=5", "pro.qol_between_sd=1", "pro.qol_fluctuation_sd=0.7",           \
        "pro.qol_noise_sd=0.5", "pro.qol_per_point_lost=0", "pro.fluctuation_months=1.5", \
        "studies.clinic.pro_months=3"
#define PRO_PLAIN_COUNT 22

/* Runs the case series with PRO_PLAIN and the overrides `more`. */
static void pro_clinic(const char *const *more, size_t n_more, collected *c)
{
    const char *ov[PRO_PLAIN_COUNT + 8] = {CLINIC_REPS, PRO_PLAIN};
    size_t n = 1 + PRO_PLAIN_COUNT;
    cr_assert(n_more <= 8 - 1);
    for (size_t i = 0; i < n_more; i++)
        ov[n++] = more[i];
    run_study(CFG "study_clinic.cfg", ov, n, "clinic", false, c);
}

/* Checks that the mean over replicates of each scale's change (pro_*_change
 * for treated = 1, control_pro_*_change for 0) is `want` within 3 MC SE
 * plus `margin` (rounding to whole points), and prints it. */
static void expect_pro_changes(const collected *c, int treated, double want, double margin,
                               const char *what)
{
    for (int k = 0; k < MND_PRO_COUNT; k++) {
        int m = (treated ? MND_M_PRO_PAIN_CHANGE : MND_M_CONTROL_PRO_PAIN_CHANGE) + k;
        double se, mean = rep_mean(c, m, &se, NULL);
        printf("  %s: %s %.2f %% (MC SE %.2f), expected %.2f\n", what, mnd_metric_names[m], mean,
               se, want);
        cr_expect(fabs(mean - want) <= 3 * se + margin, "%s: %s %g %% (SE %g), expected %g",
                  what, mnd_metric_names[m], mean, se, want);
    }
}

/* The clinic's patient-reported change without selection on the scales:
 * nothing when no treatment acts on them; the expectation effect f
 * 2^(-t / half-life) at the rating time t when it does (the sham of a
 * case series carries it too, so the true effect is exactly 0); a true
 * relief r shows as r, in the treated arm only. */
Test(study, pro_change_is_the_factor_on_the_reported_burden)
{
    const char *none[] = {"interventions.clinic_cells.placebo_pro_fraction=0"};
    const char *expect[] = {"interventions.clinic_cells.placebo_pro_fraction=0.4",
                            "interventions.clinic_cells.placebo_half_life_months=3"};
    const char *relief[] = {"interventions.clinic_cells.placebo_pro_fraction=0",
                            "interventions.clinic_cells.pro_relief_fraction=0.3"};
    collected c0, ce, cr;
    pro_clinic(none, 1, &c0);
    pro_clinic(expect, 2, &ce);
    pro_clinic(relief, 2, &cr);
    printf("patient-reported changes, 200 series of 200 patients, rated at 0 and 3 months:\n");
    expect_pro_changes(&c0, 1, 0.0, 0.3, "no effect");
    expect_pro_changes(&ce, 1, 100.0 * 0.4 * 0.5, 0.3, "expectation 0.4, half-life 3");
    expect_pro_changes(&ce, 0, 100.0 * 0.4 * 0.5, 0.3, "expectation, the sham");
    expect_pro_changes(&cr, 1, 30.0, 0.3, "relief 0.3");
    expect_pro_changes(&cr, 0, 0.0, 0.3, "relief, the sham");
    double se, effect = rep_mean(&cr, MND_M_TRUE_PRO_EFFECT, &se, NULL);
    printf("  relief 0.3: true_pro_effect %.2f %% (MC SE %.2f)\n", effect, se);
    cr_expect(fabs(effect - 30.0) <= 3 * se + 0.3, "true_pro_effect %g, expected 30", effect);
    for (int64_t r = 0; r < c0.n_rep; r++) {
        cr_assert(same_bits(metric(&c0, r, MND_M_TRUE_PRO_EFFECT), 0.0));
        cr_assert(same_bits(metric(&ce, r, MND_M_TRUE_PRO_EFFECT), 0.0),
                  "an expectation the sham shares is no effect");
        cr_assert(same_bits(metric(&ce, r, MND_M_PRO_BEST_CHANGE),
                            metric(&ce, r, MND_M_CONTROL_PRO_BEST_CHANGE)));
    }
    free(c0.m);
    free(ce.m);
    free(cr.m);
}

/* Patients who come when a scale is bad report it better later with no
 * treatment at all.  With person level L ~ N(m, b^2), fluctuation F
 * (stationary SD f, correlation time tau) and rating noise e (SD s), the
 * rating X = L + F + e, sd_X^2 = b^2 + f^2 + s^2 + 1/12 (rounding); entry
 * on X >= c (a whole-point rule c = 24: X >= 23.5) gives, with lambda =
 * phi(z) / Q(z) and z = (23.5 - m) / sd_X,
 *   E[X | entry] = m + sd_X lambda,
 *   E[X(t) | entry] = m + (b^2 + f^2 e^(-t/tau)) / sd_X lambda,
 * and the clinic's change 100 (1 - E[X(t) | entry] / E[X | entry]). */
Test(study, pro_entry_on_a_bad_scale_regresses_to_the_mean)
{
    const char *entry[] = {"interventions.clinic_cells.placebo_pro_fraction=0",
                           "studies.clinic.pro_entry_scale=\"hads\"",
                           "studies.clinic.pro_entry_min_burden=24"};
    collected c;
    pro_clinic(entry, 3, &c);
    double m = 20, b = 3, f = 2, s = 1, tau = 1.5, t = 3;
    double sd = sqrt(b * b + f * f + s * s + 1.0 / 12.0);
    double z = (23.5 - m) / sd;
    double lambda = gsl_ran_ugaussian_pdf(z) / gsl_cdf_ugaussian_Q(z);
    double base = m + sd * lambda, later = m + (b * b + f * f * exp(-t / tau)) / sd * lambda;
    double want = 100.0 * (1.0 - later / base);
    double se, got = rep_mean(&c, MND_M_PRO_HADS_CHANGE, &se, NULL);
    printf("regression to the mean of HADS, entry on HADS >= 24: change %.2f %% (MC SE %.2f), "
           "analytic %.2f %%; best of four scales %.2f %%\n",
           got, se, want, rep_mean(&c, MND_M_PRO_BEST_CHANGE, NULL, NULL));
    cr_expect(fabs(got - want) <= 3 * se + 0.5, "HADS change %g %%, analytic %g %%", got, want);
    /* the scales not selected on do not regress */
    double pain_se, pain = rep_mean(&c, MND_M_PRO_PAIN_CHANGE, &pain_se, NULL);
    cr_expect(fabs(pain) <= 3 * pain_se + 0.3, "pain change %g %% (SE %g)", pain, pain_se);
    for (int64_t r = 0; r < c.n_rep; r++)
        cr_assert(same_bits(metric(&c, r, MND_M_TRUE_PRO_EFFECT), 0.0));
    free(c.m);
}

/* With accrual, patient i of n enrols accrual x i / n after the first and
 * is followed to the study's end: its visits, survival and patient-reported
 * follow-up stop there; early patients are followed longer. */
Test(study, accrual_censors_at_the_end_of_the_study)
{
    const char *ov[] = {"simulation.n_replicates=20", "studies.clinic.accrual_months=24",
                        "studies.clinic.follow_up_months=6",
                        "studies.clinic.visit_interval_months=3",
                        "studies.clinic.pro_months=12"};
    collected c;
    run_study(CFG "study_clinic.cfg", ov, 5, "clinic", true, &c);
    int64_t followed_long = 0, rated_late = 0;
    for (int64_t i = 0; i < c.n_rep * c.per; i++) {
        const mnd_study_patient *e = &c.pts[i];
        double u = 24.0 * (double)(i % c.per) / (double)c.per, own = 30.0 - u;
        cr_assert(same_bits(e->accrual_time, u), "patient %lld enrols at %g, not %g",
                  (long long)i, e->accrual_time, u);
        for (int a = 0; a < 2; a++) {
            const mnd_study_outcome *o = &e->outcome[a];
            cr_assert_leq(o->n_visits, (int)floor(own / 3.0 + 1e-9) + 1);
            cr_assert_leq(o->t_event, own + 1e-9, "patient %lld followed past the end",
                          (long long)i);
            if (own < 12.0)
                cr_assert(isnan(o->pro_follow_up[MND_PRO_PAIN]));
        }
        followed_long += e->outcome[1].t_event > 6.0 + 1e-9;
        rated_late += isfinite(e->outcome[1].pro_follow_up[MND_PRO_PAIN]);
    }
    cr_expect_gt(followed_long, c.n_rep * c.per / 4);
    cr_expect_gt(rated_late, c.n_rep * c.per / 4);
    free(c.m);
    free(c.pts);
}
