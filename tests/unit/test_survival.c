/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_survival.c — unit tests of the log-rank test and the Cox model
 * (src/survival.c).
 *
 * Reference values come from R's survival package and are read at run time
 * from tests/reference/ (paths relative to the repository root, where the
 * tests run):
 *   logrank.R     -> logrank_reference.txt  (survdiff)
 *   cox.R         -> cox_reference.txt      (coxph)
 *   cox_data_sim.R -> cox_data_sim.txt      (the simulated cohort both read)
 * Each script names the command that regenerates its file.  The small data
 * sets are hard-coded identically here and in the scripts.  Required
 * agreement: 1e-9 relative for the log-rank test, 1e-6 for the Cox model
 * (the contract of survival.h); iteration counts must match exactly.
 * Measured with R 4.2.2 and survival 3.5-3: the log-rank values agree to
 * 2e-14 and the Cox values to 1.3e-12 relative (1e-7 in the separated
 * cases, whose variance is ill-conditioned).
 * Degenerate inputs are checked for the exact error messages, and the
 * estimator for its known parameters on a large simulated sample.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "mndsim/rng.h"
#include "mndsim/survival.h"
#include "reference_lines.h"
#include "sim_cohort_data.h"

static void suite_init(void) { gsl_set_error_handler_off(); }

TestSuite(survival, .init = suite_init);

#define LOGRANK_REF "tests/reference/logrank_reference.txt"
#define COX_REF "tests/reference/cox_reference.txt"

/* --------------------------------------------------------------- helpers */

/* |got - want| <= rel * |want| (or exactly equal). */
static void assert_rel(double got, double want, double rel, const char *what, size_t i)
{
    cr_assert(got == want || fabs(got - want) <= rel * fabs(want),
              "%s[%zu]: got %.17g, want %.17g (rel. error %.3g)", what, i, got, want,
              fabs(got - want) / fabs(want));
}

/* Reads the numbers of the line "<name> <quantity> v1 v2 ..." of a
 * reference file into v (at most max); returns how many.  Fails the test
 * when the line is missing. */
static size_t ref_read(const char *file, const char *name, const char *quantity, double *v,
                       size_t max)
{
    size_t count;
    double *all = ref_line_in(file, name, quantity, &count, "");
    if (count > max)
        count = max;
    memcpy(v, all, count * sizeof *v);
    free(all);
    return count;
}

static double ref_scalar(const char *file, const char *name, const char *quantity)
{
    double v;
    cr_assert_eq(ref_read(file, name, quantity, &v, 1), 1);
    return v;
}

/* Compares n values with the reference line, relative tolerance rel. */
static void check_vec(const char *file, const char *name, const char *quantity,
                      const double *got, size_t n, double rel)
{
    double want[64];
    cr_assert_eq(ref_read(file, name, quantity, want, 64), n, "%s %s: count", name, quantity);
    char what[128];
    snprintf(what, sizeof what, "%s %s", name, quantity);
    for (size_t i = 0; i < n; i++)
        assert_rel(got[i], want[i], rel, what, i);
}


/* ------------------------------------------------------------ small data */

/* logrank.R and cox.R: 30 subjects with ties, censoring, two arms, three
 * groups, an age and three strata with arbitrary labels. */
enum { LR_N = 30 };
static const double lr_time[LR_N] = {2,  3,  3,  5,  5,  5,  6,  7,  8,  8,  9,  10, 11, 12, 12,
                                     13, 15, 15, 16, 18, 20, 21, 22, 24, 25, 27, 30, 30, 33, 36};
static const int lr_event[LR_N] = {1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0,
                                   1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0};
static const int lr_arm[LR_N] = {0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0,
                                 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1};
static const int lr_group3[LR_N] = {0, 1, 2, 0, 1, 2, 2, 1, 0, 0, 1, 2, 0, 1, 2,
                                    2, 1, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 1};
static const int lr_stratum[LR_N] = {7,  -2, 7, 3,  3, 7, -2, -2, 7, 3, 3,  7, -2, 7,  3,
                                     -2, 7,  3, -2, 7, 3, -2, 7,  3, -2, 7, 3, -2, 7, 3};
static const double lr_age[LR_N] = {71.2, 64.0, 58.5, 69.9, 55.1, 62.3, 74.8, 49.6, 66.0, 60.7,
                                    57.3, 68.4, 72.9, 51.8, 63.5, 70.1, 59.2, 65.7, 53.4, 61.0,
                                    56.6, 67.2, 73.5, 48.9, 58.8, 64.9, 52.2, 60.3, 69.0, 54.7};

/* cox.R: heavy ties, 24 subjects on 5 times. */
enum { TIE_N = 24 };
static const double tie_time[TIE_N] = {1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3,
                                       3, 3, 3, 4, 4, 4, 4, 4, 5, 5, 5, 5};
static const int tie_event[TIE_N] = {1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1,
                                     1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0};
static const double tie_arm[TIE_N] = {1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1,
                                      0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0};

/* ------------------------------------------------------------ log-rank */

static void check_logrank(const char *name, const mnd_logrank *r)
{
    size_t k = r->n_groups;
    double rel = 1e-9;
    check_vec(LOGRANK_REF, name, "observed", r->observed, k, 0.0);
    check_vec(LOGRANK_REF, name, "expected", r->expected, k, rel);
    double var[MND_LOGRANK_MAX_GROUPS * MND_LOGRANK_MAX_GROUPS];
    for (size_t i = 0; i < k * k; i++)
        var[i] = r->variance[i];
    check_vec(LOGRANK_REF, name, "var", var, k * k, rel);
    assert_rel(r->chisq, ref_scalar(LOGRANK_REF, name, "chisq"), rel, "chisq", 0);
    cr_assert_eq(r->df, (int)ref_scalar(LOGRANK_REF, name, "df"));
    assert_rel(r->p_value, ref_scalar(LOGRANK_REF, name, "p"), rel, "p", 0);
}

static mnd_logrank run_logrank(const double *time, const int *event, const int *group,
                               size_t k, const int *stratum, size_t n)
{
    mnd_logrank r;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_logrank_test(time, event, group, k, stratum, n, &r, &err), MND_OK, "%s",
                 err.message);
    return r;
}

Test(survival, logrank_small_data_match_r)
{
    mnd_logrank r = run_logrank(lr_time, lr_event, lr_arm, 2, NULL, LR_N);
    cr_assert_eq(r.n_used, LR_N);
    cr_assert_eq(r.n[0], 14);
    cr_assert_eq(r.n[1], 16);
    check_logrank("two_arms", &r);
    r = run_logrank(lr_time, lr_event, lr_group3, 3, NULL, LR_N);
    check_logrank("three_groups", &r);
    r = run_logrank(lr_time, lr_event, lr_arm, 2, lr_stratum, LR_N);
    check_logrank("stratified", &r);
    r = run_logrank(lr_time, lr_event, lr_group3, 3, lr_stratum, LR_N);
    check_logrank("three_groups_stratified", &r);
}

Test(survival, logrank_simulated_cohort_matches_r)
{
    const sim_data *d = sim_load();
    mnd_logrank r = run_logrank(d->time, d->event, d->arm, 2, NULL, SIM_N);
    check_logrank("sim_arm", &r);
    r = run_logrank(d->month, d->event, d->group3, 3, NULL, SIM_N);
    check_logrank("sim_group3_month", &r);
    r = run_logrank(d->month, d->event, d->arm, 2, d->site, SIM_N);
    check_logrank("sim_arm_site_month", &r);
}

/* The result does not depend on the order of the rows or on the stratum
 * labels; rows with a NaN time are skipped; unused group labels (here the
 * k = 4th group) add nothing. */
Test(survival, logrank_order_labels_nan_and_empty_group)
{
    double t[LR_N + 2];
    int e[LR_N + 2], g[LR_N + 2], s[LR_N + 2];
    size_t n = 0;
    for (int i = LR_N - 1; i >= 0; i--) {
        t[n] = lr_time[i];
        e[n] = lr_event[i];
        g[n] = lr_group3[i];
        s[n++] = lr_stratum[i] * 1000 + 5;
        if (i == 11 || i == 20) {
            t[n] = NAN;
            e[n] = 1;
            g[n] = 3;
            s[n++] = 42;
        }
    }
    mnd_logrank r = run_logrank(t, e, g, 4, s, n);
    cr_assert_eq(r.n_used, LR_N);
    cr_assert_eq(r.n[3], 0);
    cr_assert_eq(r.expected[3], 0.0);
    mnd_logrank want = run_logrank(lr_time, lr_event, lr_group3, 3, lr_stratum, LR_N);
    cr_assert_eq(r.df, want.df);
    assert_rel(r.chisq, want.chisq, 1e-13, "chisq", 0);
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(r.observed[i], want.observed[i]);
        assert_rel(r.expected[i], want.expected[i], 1e-13, "expected", i);
        for (size_t j = 0; j < 3; j++)
            assert_rel(r.variance[i * 4 + j], want.variance[i * 3 + j], 1e-13, "variance", i);
    }
}

static void expect_logrank_error(const double *t, const int *e, const int *g, size_t k,
                                 const int *s, size_t n, mnd_status code, const char *msg)
{
    mnd_logrank r;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_logrank_test(t, e, g, k, s, n, &r, &err), code, "%s", err.message);
    cr_assert_eq(err.code, code);
    cr_assert_str_eq(err.message, msg);
    /* a NULL error record is allowed */
    cr_assert_eq(mnd_logrank_test(t, e, g, k, s, n, &r, NULL), code);
}

Test(survival, logrank_errors)
{
    static const double t[6] = {1, 2, 3, 4, 5, 6};
    static const int e[6] = {1, 0, 1, 1, 0, 1}, none[6] = {0};
    static const int one[6] = {1, 1, 1, 1, 1, 1}, two[6] = {0, 0, 0, 1, 1, 1};
    expect_logrank_error(t, e, two, 1, NULL, 6, MND_ERR_USAGE,
                         "log-rank test: n_groups must be in [2, 16] (got 1)");
    expect_logrank_error(t, e, two, 17, NULL, 6, MND_ERR_USAGE,
                         "log-rank test: n_groups must be in [2, 16] (got 17)");
    static const int bad[6] = {0, 1, 2, 1, 0, 1};
    expect_logrank_error(t, e, bad, 2, NULL, 6, MND_ERR_USAGE,
                         "log-rank test: group[2] = 2 is outside [0, 2)");
    /* R: "There is only 1 group" */
    expect_logrank_error(t, e, one, 2, NULL, 6, MND_ERR_NUMERIC,
                         "log-rank test: only 1 group has subjects");
    expect_logrank_error(t, none, two, 2, NULL, 6, MND_ERR_NUMERIC, "log-rank test: no events");
    expect_logrank_error(NULL, NULL, NULL, 2, NULL, 0, MND_ERR_NUMERIC,
                         "log-rank test: only 0 group has subjects");
    /* group 0 leaves before the first event */
    static const int early[6] = {0, 0, 0, 1, 1, 1};
    static const int late_events[6] = {0, 0, 0, 1, 0, 1};
    expect_logrank_error(t, late_events, early, 2, NULL, 6, MND_ERR_NUMERIC,
                         "log-rank test: fewer than 2 groups are at risk at an event time");
    /* everyone dies at one time: no variance (R: "system is exactly singular") */
    static const double same[4] = {1, 1, 1, 1};
    static const int all[4] = {1, 1, 1, 1}, g4[4] = {0, 0, 1, 1};
    expect_logrank_error(same, all, g4, 2, NULL, 4, MND_ERR_NUMERIC,
                         "log-rank test: the variance matrix is singular");
}

/* ------------------------------------------------------------ Cox model */

/* Compares a fit with the case `name` of cox_reference.txt to relative
 * tolerance rel; infinite lists the expected flags (NULL: none). */
static void check_cox_flags(const char *name, const mnd_cox *f, double rel, const int *infinite)
{
    size_t p = f->p;
    cr_assert(f->converged);
    cr_assert_eq((double)f->n_used, ref_scalar(COX_REF, name, "n"), "%s n", name);
    cr_assert_eq((double)f->n_events, ref_scalar(COX_REF, name, "events"), "%s events", name);
    cr_assert_eq((double)f->iterations, ref_scalar(COX_REF, name, "iter"), "%s iter %d", name,
                 f->iterations);
    check_vec(COX_REF, name, "coef", f->coef, p, rel);
    check_vec(COX_REF, name, "se", f->se, p, rel);
    check_vec(COX_REF, name, "var", f->var, p * p, rel);
    double ll[2] = {f->loglik_null, f->loglik};
    check_vec(COX_REF, name, "loglik", ll, 2, rel);
    double lr[2] = {f->lr, f->lr_p}, wald[2] = {f->wald, f->wald_p};
    double score[2] = {f->score, f->score_p};
    check_vec(COX_REF, name, "lr", lr, 2, rel);
    check_vec(COX_REF, name, "wald", wald, 2, rel);
    check_vec(COX_REF, name, "score", score, 2, rel);
    check_vec(COX_REF, name, "hr_lower", f->hr_lower, p, rel);
    check_vec(COX_REF, name, "hr_upper", f->hr_upper, p, rel);
    check_vec(COX_REF, name, "z", f->z, p, rel);
    check_vec(COX_REF, name, "p_coef", f->p_coef, p, rel);
    for (size_t j = 0; j < p; j++) {
        cr_assert_eq(f->infinite[j], infinite ? infinite[j] : 0, "%s: infinite[%zu]", name, j);
        assert_rel(f->hr[j], exp(f->coef[j]), 1e-15, "hr", j);
    }
    for (size_t j = p; j < MND_COX_MAX_COVARIATES; j++)
        cr_assert_eq(f->coef[j], 0.0);
}

static void check_cox(const char *name, const mnd_cox *f) { check_cox_flags(name, f, 1e-6, NULL); }

static mnd_cox run_cox(const double *time, const int *event, const double *x, size_t p,
                       const int *stratum, size_t n, mnd_cox_ties ties)
{
    mnd_cox f;
    mnd_error err;
    mnd_error_clear(&err);
    mnd_cox_options o = {.ties = ties};
    cr_assert_eq(mnd_cox_fit(time, event, x, p, stratum, n, &o, &f, &err), MND_OK, "%s",
                 err.message);
    cr_assert_eq(err.code, MND_OK);
    return f;
}

Test(survival, cox_heavy_ties_efron_and_breslow_match_r)
{
    mnd_cox f = run_cox(tie_time, tie_event, tie_arm, 1, NULL, TIE_N, MND_COX_EFRON);
    check_cox("ties_efron", &f);
    f = run_cox(tie_time, tie_event, tie_arm, 1, NULL, TIE_N, MND_COX_BRESLOW);
    check_cox("ties_breslow", &f);
    /* NULL options: Efron */
    mnd_cox g;
    cr_assert_eq(mnd_cox_fit(tie_time, tie_event, tie_arm, 1, NULL, TIE_N, NULL, &g, NULL),
                 MND_OK);
    check_cox("ties_efron", &g);
}

/* x = (arm, age) rows of the 30-subject data */
static void arm_age(double *x)
{
    for (size_t i = 0; i < LR_N; i++) {
        x[2 * i] = lr_arm[i];
        x[2 * i + 1] = lr_age[i];
    }
}

Test(survival, cox_censored_binary_and_continuous_match_r)
{
    double x[2 * LR_N], arm[LR_N];
    arm_age(x);
    for (size_t i = 0; i < LR_N; i++)
        arm[i] = lr_arm[i];
    mnd_cox f = run_cox(lr_time, lr_event, arm, 1, NULL, LR_N, MND_COX_EFRON);
    check_cox("arm", &f);
    f = run_cox(lr_time, lr_event, x, 2, NULL, LR_N, MND_COX_EFRON);
    check_cox("arm_age", &f);
    f = run_cox(lr_time, lr_event, x, 2, NULL, LR_N, MND_COX_BRESLOW);
    check_cox("arm_age_breslow", &f);
    f = run_cox(lr_time, lr_event, x, 2, lr_stratum, LR_N, MND_COX_EFRON);
    check_cox("arm_age_strata", &f);
}

/* Columns (arm, age, sex[, g1, g2]) of the simulated cohort. */
static void sim_covariates(const sim_data *d, double *x, size_t p)
{
    for (size_t i = 0; i < SIM_N; i++) {
        double *r = x + i * p;
        r[0] = d->arm[i];
        r[1] = d->age[i];
        r[2] = d->sex[i];
        if (p == 5) {
            r[3] = d->group3[i] == 1;
            r[4] = d->group3[i] == 2;
        }
    }
}

Test(survival, cox_simulated_cohort_matches_r)
{
    const sim_data *d = sim_load();
    static double x3[3 * SIM_N], x5[5 * SIM_N];
    sim_covariates(d, x3, 3);
    sim_covariates(d, x5, 5);
    mnd_cox f = run_cox(d->time, d->event, x3, 3, NULL, SIM_N, MND_COX_EFRON);
    check_cox("sim_exact", &f);
    f = run_cox(d->time, d->event, x5, 5, d->site, SIM_N, MND_COX_EFRON);
    check_cox("sim_exact_groups_site", &f);
    f = run_cox(d->month, d->event, x3, 3, d->site, SIM_N, MND_COX_EFRON);
    check_cox("sim_month_efron", &f);
    f = run_cox(d->month, d->event, x3, 3, d->site, SIM_N, MND_COX_BRESLOW);
    check_cox("sim_month_breslow", &f);
}

/* Without tied times the score test of one binary covariate is the
 * log-rank test. */
Test(survival, cox_score_test_is_logrank_without_ties)
{
    const sim_data *d = sim_load();
    double arm[SIM_N];
    for (size_t i = 0; i < SIM_N; i++)
        arm[i] = d->arm[i];
    mnd_cox f = run_cox(d->time, d->event, arm, 1, NULL, SIM_N, MND_COX_EFRON);
    mnd_logrank r = run_logrank(d->time, d->event, d->arm, 2, NULL, SIM_N);
    assert_rel(f.score, r.chisq, 1e-12, "score vs log-rank", 0);
    mnd_cox b = run_cox(d->time, d->event, arm, 1, NULL, SIM_N, MND_COX_BRESLOW);
    assert_rel(b.coef[0], f.coef[0], 1e-12, "Breslow = Efron without ties", 0);
}

/* Permuting rows, relabelling strata and rescaling a covariate change
 * nothing but the coefficient's unit. */
Test(survival, cox_invariances)
{
    double x[2 * LR_N];
    arm_age(x);
    mnd_cox want = run_cox(lr_time, lr_event, x, 2, lr_stratum, LR_N, MND_COX_EFRON);
    double t[LR_N], xs[2 * LR_N];
    int e[LR_N], s[LR_N];
    for (size_t i = 0; i < LR_N; i++) {
        size_t k = (7 * i + 3) % LR_N; /* 7 is coprime to 30: a permutation */
        t[i] = lr_time[k];
        e[i] = lr_event[k];
        s[i] = -lr_stratum[k];
        xs[2 * i] = x[2 * k];
        xs[2 * i + 1] = 10.0 * x[2 * k + 1] - 600.0; /* tenths of a year, shifted */
    }
    mnd_cox got = run_cox(t, e, xs, 2, s, LR_N, MND_COX_EFRON);
    cr_assert_eq(got.iterations, want.iterations);
    assert_rel(got.coef[0], want.coef[0], 1e-10, "coef", 0);
    assert_rel(got.coef[1], want.coef[1] / 10.0, 1e-10, "coef", 1);
    assert_rel(got.se[1], want.se[1] / 10.0, 1e-10, "se", 1);
    assert_rel(got.loglik, want.loglik, 1e-12, "loglik", 0);
    assert_rel(got.wald, want.wald, 1e-10, "wald", 0);
    assert_rel(got.score, want.score, 1e-10, "score", 0);
}

/* Rows with a NaN time or covariate are dropped, as R's na.omit does. */
Test(survival, cox_nan_rows_dropped)
{
    double x[2 * (LR_N + 3)], t[LR_N + 3];
    int e[LR_N + 3];
    arm_age(x);
    memcpy(t, lr_time, sizeof lr_time);
    memcpy(e, lr_event, sizeof lr_event);
    double extra[3][3] = {{NAN, 1, 60}, {4, NAN, 60}, {4, 1, NAN}};
    for (size_t r = 0; r < 3; r++) {
        t[LR_N + r] = extra[r][0];
        e[LR_N + r] = 1;
        x[2 * (LR_N + r)] = extra[r][1];
        x[2 * (LR_N + r) + 1] = extra[r][2];
    }
    mnd_cox f = run_cox(t, e, x, 2, NULL, LR_N + 3, MND_COX_EFRON);
    check_cox("arm_age", &f);
}

/* Monotone likelihood: x = 1 for the five earliest of ten deaths, alone and
 * with an ordinary covariate z.  R stops where the log-likelihood stops
 * changing (iteration 20) and warns that the coefficient may be infinite;
 * this fit follows the same path and flags the coefficient.  The
 * information there is about 1e-9, the difference of O(1) terms, so the
 * variance keeps only about 7 digits (R and this fit agree to 1e-7): 1e-5
 * relative. */
Test(survival, cox_separated_data_flag_infinite)
{
    static const double t[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    static const int e[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    static const double x[10] = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    static const double z[10] = {0.3, -1, 2, 0.5, 1.1, -0.4, 0.9, 0.2, -2, 1.4};
    mnd_cox f;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_cox_fit(t, e, x, 1, NULL, 10, NULL, &f, &err), MND_OK, "%s", err.message);
    check_cox_flags("separated", &f, 1e-5, (const int[]){1});
    double xz[20];
    for (size_t i = 0; i < 10; i++) {
        xz[2 * i] = x[i];
        xz[2 * i + 1] = z[i];
    }
    cr_assert_eq(mnd_cox_fit(t, e, xz, 2, NULL, 10, NULL, &f, &err), MND_OK, "%s", err.message);
    check_cox_flags("separated_z", &f, 1e-5, (const int[]){1, 0});
}

Test(survival, cox_no_convergence_reported)
{
    double x[2 * LR_N];
    arm_age(x);
    mnd_cox f;
    mnd_error err;
    mnd_error_clear(&err);
    mnd_cox_options o = {.max_iter = 2};
    cr_assert_eq(mnd_cox_fit(lr_time, lr_event, x, 2, NULL, LR_N, &o, &f, &err), MND_ERR_NUMERIC);
    cr_assert_eq(f.converged, 0);
    cr_assert_eq(f.iterations, 2);
    cr_assert_str_eq(err.message,
                     "Cox fit: no convergence in 2 iterations (log partial likelihood "
                     "-48.13545707, last accepted -48.15404682)");
    /* the last iterate is returned, already close to R's estimate */
    double coef[2];
    ref_read(COX_REF, "arm_age", "coef", coef, 2);
    assert_rel(f.coef[1], coef[1], 1e-2, "coef", 1);
    assert_rel(f.loglik_null, ref_scalar(COX_REF, "arm_age", "loglik"), 1e-12, "loglik", 0);
}

static void expect_cox_error(const double *t, const int *e, const double *x, size_t p,
                             const int *s, size_t n, const mnd_cox_options *o, mnd_status code,
                             const char *msg)
{
    mnd_cox f;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_cox_fit(t, e, x, p, s, n, o, &f, &err), code, "%s", err.message);
    cr_assert_eq(err.code, code);
    cr_assert_str_eq(err.message, msg);
    cr_assert_eq(mnd_cox_fit(t, e, x, p, s, n, o, &f, NULL), code);
}

Test(survival, cox_degenerate_inputs)
{
    static const double t[6] = {1, 2, 3, 4, 5, 6};
    static const int e[6] = {1, 0, 1, 1, 0, 1}, none[6] = {0};
    static const double arm[6] = {0, 1, 0, 1, 0, 1};
    /* R: "coefficient NA", i.e. no information */
    double x[12];
    for (int i = 0; i < 6; i++) {
        x[2 * i] = arm[i];
        x[2 * i + 1] = 3.0;
    }
    expect_cox_error(t, e, x, 2, NULL, 6, NULL, MND_ERR_NUMERIC,
                     "Cox fit: covariate 1 is constant within every stratum");
    /* constant within strata, varying between them: no information either */
    static const int s[6] = {1, 1, 1, 2, 2, 2};
    static const double by_stratum[6] = {5, 5, 5, 8, 8, 8};
    expect_cox_error(t, e, by_stratum, 1, s, 6, NULL, MND_ERR_NUMERIC,
                     "Cox fit: covariate 0 is constant within every stratum");
    /* ... but fine without the strata */
    mnd_cox f;
    cr_assert_eq(mnd_cox_fit(t, e, by_stratum, 1, NULL, 6, NULL, &f, NULL), MND_OK);
    /* collinear: the second column is 1 - 2 arm */
    for (int i = 0; i < 6; i++)
        x[2 * i + 1] = 1.0 - 2.0 * arm[i];
    expect_cox_error(t, e, x, 2, NULL, 6, NULL, MND_ERR_NUMERIC,
                     "Cox fit: the information matrix is singular at 0 (collinear covariates, "
                     "or no variation within the risk sets)");
    /* every risk set at an event holds one subject only */
    static const int last_only[6] = {0, 0, 0, 0, 0, 1};
    expect_cox_error(t, last_only, arm, 1, NULL, 6, NULL, MND_ERR_NUMERIC,
                     "Cox fit: the information matrix is singular at 0 (collinear covariates, "
                     "or no variation within the risk sets)");
    expect_cox_error(t, none, arm, 1, NULL, 6, NULL, MND_ERR_NUMERIC, "Cox fit: no events");
    expect_cox_error(NULL, NULL, NULL, 1, NULL, 0, NULL, MND_ERR_NUMERIC, "Cox fit: no events");
}

Test(survival, cox_usage_errors)
{
    static const double t[4] = {1, 2, 3, 4}, x[4] = {0, 1, 0, 1};
    static const int e[4] = {1, 1, 0, 1};
    expect_cox_error(t, e, x, 0, NULL, 4, NULL, MND_ERR_USAGE,
                     "Cox fit: p must be in [1, 8] (got 0)");
    expect_cox_error(t, e, x, 9, NULL, 4, NULL, MND_ERR_USAGE,
                     "Cox fit: p must be in [1, 8] (got 9)");
    mnd_cox_options o = {.ties = (mnd_cox_ties)5};
    expect_cox_error(t, e, x, 1, NULL, 4, &o, MND_ERR_USAGE, "Cox fit: unknown ties method 5");
    o = (mnd_cox_options){.max_iter = -1};
    expect_cox_error(t, e, x, 1, NULL, 4, &o, MND_ERR_USAGE,
                     "Cox fit: need max_iter >= 0 and 0 <= eps < 1 (got -1, 0)");
    o = (mnd_cox_options){.eps = NAN};
    expect_cox_error(t, e, x, 1, NULL, 4, &o, MND_ERR_USAGE,
                     "Cox fit: need max_iter >= 0 and 0 <= eps < 1 (got 0, nan)");
    static const double inf[4] = {0, 1, INFINITY, 1};
    expect_cox_error(t, e, inf, 1, NULL, 4, NULL, MND_ERR_USAGE,
                     "Cox fit: covariate 0 of row 2 is infinite");
}

/* 100 000 subjects, log hazard ratios (-0.3, 0.03 per year, 0.2), Weibull
 * times censored at 36 months: the estimates lie within 4 standard errors
 * of the truth, and heavy ties (whole months) with Efron barely move them. */
Test(survival, cox_recovers_simulated_parameters)
{
    enum { N = 100000 };
    static double t[N], tm[N], x[3 * N];
    static int e[N], s[N];
    static const double beta[3] = {-0.3, 0.03, 0.2};
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_rng_set(r, 20261122);
    for (size_t i = 0; i < N; i++) {
        double *xi = x + 3 * i;
        xi[0] = (double)(i % 2);
        xi[1] = 62.0 + gsl_ran_gaussian_ziggurat(r, 10.0);
        xi[2] = gsl_rng_uniform(r) < 0.6;
        s[i] = gsl_rng_uniform(r) < 0.3;
        double lp = beta[0] * xi[0] + beta[1] * (xi[1] - 62.0) + beta[2] * xi[2];
        double scale = s[i] ? 24.0 : 36.0;
        double death = scale * pow(gsl_ran_exponential(r, 1.0) / exp(lp), 1.0 / 1.3);
        e[i] = death <= 36.0;
        t[i] = e[i] ? death : 36.0;
        tm[i] = ceil(t[i]);
    }
    gsl_rng_free(r);
    mnd_cox f = run_cox(t, e, x, 3, s, N, MND_COX_EFRON);
    cr_assert(f.converged);
    for (size_t j = 0; j < 3; j++)
        cr_assert_lt(fabs(f.coef[j] - beta[j]), 4.0 * f.se[j], "coef %zu = %g (se %g)", j,
                     f.coef[j], f.se[j]);
    mnd_cox m = run_cox(tm, e, x, 3, s, N, MND_COX_EFRON);
    for (size_t j = 0; j < 3; j++)
        cr_assert_lt(fabs(m.coef[j] - f.coef[j]), 0.5 * f.se[j], "month coef %zu = %g", j,
                     m.coef[j]);
}
