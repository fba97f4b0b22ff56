/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_stats.c — unit tests of the cohort statistics (src/stats.c).
 *
 * Kaplan–Meier, the t tests, the binomial limits and the Weibull fit are
 * checked against R: the scripts and their output are in tests/reference/
 * (km.R -> km_reference.txt, ttest.R -> ttest_reference.txt, binom.R ->
 * binom_reference.txt, weibull.R -> weibull_reference.txt; each script
 * names the command that regenerates its file).  The small data sets are
 * hard-coded both there and here; the first KM data set's values are
 * copied below, the rest are read from the reference files at run time
 * (paths relative to the repository root, where the tests run), as is the
 * simulated cohort tests/reference/cox_data_sim.txt.  Required agreement:
 * 1e-9 relative (Weibull: 1e-6, the precision of R's fit).  Measured with
 * R 4.2.2 and survival 3.5-3: Kaplan–Meier (every column, the median and
 * its limits) is bit-identical; the t tests agree to 4e-15 except the
 * lower limit 0.00018 of "near_zero", 2.6e-12 (it is (t - q) se with
 * t - q = 0.0007: GSL's and R's t quantiles differ by 1e-15); p-values
 * agree down to 3e-29.  The binomial limits agree to 2.3e-13 here (7.4e-13
 * over 1560 random (k, n) with n up to 2e5, checked once by hand).  The
 * Weibull estimator is also checked on a large simulated sample at a
 * fixed seed.
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
#include "mndsim/stats.h"
#include "reference_lines.h"
#include "sim_cohort_data.h"

static void suite_init(void) { gsl_set_error_handler_off(); }

TestSuite(stats, .init = suite_init);

/* |got - want| <= rel * |want| (or exactly equal). */
static void assert_rel(double got, double want, double rel, const char *what)
{
    cr_assert(got == want || fabs(got - want) <= rel * fabs(want), "%s: got %.17g, want %.17g",
              what, got, want);
}

#define KM_REF "tests/reference/km_reference.txt"
#define TTEST_REF "tests/reference/ttest_reference.txt"
#define BINOM_REF "tests/reference/binom_reference.txt"

/* Largest relative difference seen by check_close, printed by some tests
 * so that the figure in the header comment can be re-measured. */
static double max_rel_seen;

/* |got - want| <= rel * |want|, or both NaN, or equal (infinities). */
static void check_close(double got, double want, double rel, const char *what, size_t i)
{
    if (isnan(want)) {
        cr_assert(isnan(got), "%s[%zu]: got %.17g, want NaN", what, i, got);
        return;
    }
    if (got != want) {
        double d = fabs(got - want) / fabs(want);
        max_rel_seen = fmax(max_rel_seen, d);
        cr_assert(d <= rel, "%s[%zu]: got %.17g, want %.17g (rel. error %.3g)", what, i, got,
                  want, d);
    }
}


static double *ref_line(const char *file, const char *name, const char *quantity, size_t *count)
{
    return ref_line_in(file, name, quantity, count, "");
}

static double ref_value(const char *file, const char *name, const char *quantity)
{
    size_t m;
    double *v = ref_line(file, name, quantity, &m);
    cr_assert_eq(m, 1, "%s %s: %zu values", name, quantity, m);
    double x = v[0];
    free(v);
    return x;
}

/* ------------------------------------------------------------ Kaplan–Meier */

/* tests/reference/km.R, data set 1 (30 subjects, 20 events). */
static const double km_time[30] = {2,  3,  3,  5,  5,  5,  6,  7,  8,  8,  9,  10, 11, 12, 12,
                                   13, 15, 15, 16, 18, 20, 21, 22, 24, 25, 27, 30, 30, 33, 36};
static const int km_event[30] = {1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0,
                                 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0};

/* tests/reference/km_reference.txt: event times and survival (R 4.2.2,
 * survival 3.5.3). */
static const double km_ref_time[17] = {2, 3, 5, 6, 8, 10, 11, 12, 13, 15, 18, 21, 22, 25, 27, 30, 33};
static const double km_ref_surv[17] = {
    0.96666666666666667, 0.93333333333333335, 0.86419753086419759, 0.82818930041152272,
    0.75289936401047519, 0.71327308169413439, 0.67364679937779359, 0.63402051706145279,
    0.59175248259068924, 0.50721641364916215, 0.46110583059014737, 0.40987184941346433,
    0.35863786823678129, 0.29886489019731777, 0.23909191215785422, 0.17931893411839067,
    0.089659467059195336};
static const double km_ref_median = 18;

static void check_km_reference(const mnd_km *fit)
{
    cr_assert_eq(fit->n_times, 17, "n_times %zu", fit->n_times);
    for (size_t i = 0; i < 17; i++) {
        cr_assert_eq(fit->time[i], km_ref_time[i], "time[%zu] = %g", i, fit->time[i]);
        assert_rel(fit->survival[i], km_ref_surv[i], 1e-12, "survival");
    }
    cr_assert_eq(mnd_km_median(fit), km_ref_median);
}

Test(stats, km_matches_r_survfit)
{
    mnd_km fit;
    mnd_error err;
    cr_assert_eq(mnd_km_fit(km_time, km_event, 30, &fit, &err), MND_OK);
    check_km_reference(&fit);
    mnd_km_free(&fit);
    cr_assert_null(fit.time);
    cr_assert_null(fit.survival);
    cr_assert_null(fit.n_risk);
    cr_assert_null(fit.n_event);
    cr_assert_null(fit.std_err);
    cr_assert_null(fit.lower);
    cr_assert_null(fit.upper);
    cr_assert_eq(fit.n_times, 0);
    mnd_km_free(&fit); /* twice is harmless */
}

/* summary(fit, times = probe, extend = TRUE) in km.R. */
Test(stats, km_survival_at_matches_r)
{
    static const double probe[10] = {0, 1.5, 2, 4.99, 5, 12, 29.5, 30, 36, 100};
    static const double want[10] = {1,
                                    1,
                                    0.96666666666666667,
                                    0.93333333333333335,
                                    0.86419753086419759,
                                    0.63402051706145279,
                                    0.23909191215785422,
                                    0.17931893411839067,
                                    0.089659467059195336,
                                    0.089659467059195336};
    mnd_km fit;
    cr_assert_eq(mnd_km_fit(km_time, km_event, 30, &fit, NULL), MND_OK);
    for (int i = 0; i < 10; i++)
        assert_rel(mnd_km_survival_at(&fit, probe[i]), want[i], 1e-12, "survival_at");
    /* just before the first event time */
    cr_assert_eq(mnd_km_survival_at(&fit, nextafter(2.0, 0.0)), 1.0);
    mnd_km_free(&fit);
}

/* The fit must not depend on the order of the subjects, and subjects with a
 * NaN time are skipped. */
Test(stats, km_order_and_nan_rows)
{
    double t[34];
    int e[34];
    /* reversed, with NaN rows (events and censored) interleaved */
    size_t n = 0;
    for (int i = 29; i >= 0; i--) {
        t[n] = km_time[i];
        e[n++] = km_event[i];
        if (i % 9 == 0) {
            t[n] = NAN;
            e[n++] = i % 2;
        }
    }
    cr_assert_eq(n, 34);
    mnd_km fit;
    cr_assert_eq(mnd_km_fit(t, e, n, &fit, NULL), MND_OK);
    check_km_reference(&fit);
    mnd_km_free(&fit);
}

/* Events coded as any non-zero int count as events. */
Test(stats, km_event_nonzero_is_event)
{
    int e[30];
    for (int i = 0; i < 30; i++)
        e[i] = km_event[i] ? 7 : 0;
    mnd_km fit;
    cr_assert_eq(mnd_km_fit(km_time, e, 30, &fit, NULL), MND_OK);
    check_km_reference(&fit);
    mnd_km_free(&fit);
}

/* km.R data set 2: the curve stays above 0.5, so the median is NaN (R: NA). */
Test(stats, km_median_nan_when_above_half)
{
    static const double t[8] = {1, 2, 2, 3, 4, 5, 6, 7};
    static const int e[8] = {1, 1, 0, 0, 1, 0, 0, 0};
    static const double want_t[3] = {1, 2, 4}, want_s[3] = {0.875, 0.75, 0.5625};
    mnd_km fit;
    cr_assert_eq(mnd_km_fit(t, e, 8, &fit, NULL), MND_OK);
    cr_assert_eq(fit.n_times, 3);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(fit.time[i], want_t[i]);
        assert_rel(fit.survival[i], want_s[i], 1e-12, "survival");
    }
    cr_assert(isnan(mnd_km_median(&fit)));
    mnd_km_free(&fit);
}

/* Degenerate inputs: no subjects, no events, all events. */
Test(stats, km_degenerate)
{
    mnd_km fit;
    cr_assert_eq(mnd_km_fit(NULL, NULL, 0, &fit, NULL), MND_OK);
    cr_assert_eq(fit.n_times, 0);
    cr_assert_eq(mnd_km_survival_at(&fit, 10.0), 1.0);
    cr_assert(isnan(mnd_km_median(&fit)));
    mnd_km_free(&fit);

    static const double t[4] = {4, 1, 3, 2};
    static const int none[4] = {0, 0, 0, 0}, all[4] = {1, 1, 1, 1};
    cr_assert_eq(mnd_km_fit(t, none, 4, &fit, NULL), MND_OK);
    cr_assert_eq(fit.n_times, 0);
    mnd_km_free(&fit);

    cr_assert_eq(mnd_km_fit(t, all, 4, &fit, NULL), MND_OK);
    cr_assert_eq(fit.n_times, 4);
    static const double s[4] = {0.75, 0.5, 0.25, 0.0};
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(fit.time[i], (double)(i + 1));
        assert_rel(fit.survival[i], s[i], 1e-15, "survival");
    }
    /* S reaches 0.5 exactly at t = 2: R averages 2 and 3 (km.R, all_events) */
    cr_assert_eq(mnd_km_median(&fit), 2.5);
    mnd_km_free(&fit);
}

/* Every column of the fit and the median with its limits against the keyed
 * lines "<name> <quantity> ..." of km_reference.txt (R: survfit, its
 * $std.err, $lower, $upper, and summary(fit)$table). */
static void check_km_keyed(const char *name, const mnd_km *fit)
{
    const struct {
        const char *quantity;
        const double *got;
    } cols[] = {{"time", fit->time},       {"n_risk", fit->n_risk}, {"n_event", fit->n_event},
                {"surv", fit->survival},   {"std_err", fit->std_err}, {"lower", fit->lower},
                {"upper", fit->upper}};
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
        size_t m;
        double *want = ref_line(KM_REF, name, cols[c].quantity, &m);
        cr_assert_eq(m, fit->n_times, "%s %s: %zu values, fit has %zu", name, cols[c].quantity,
                     m, fit->n_times);
        char what[128];
        snprintf(what, sizeof what, "%s %s", name, cols[c].quantity);
        for (size_t i = 0; i < m; i++)
            check_close(cols[c].got[i], want[i], 1e-9, what, i);
        free(want);
    }
    size_t m;
    double *want = ref_line(KM_REF, name, "median", &m);
    cr_assert_eq(m, 3);
    double lo, hi;
    mnd_km_median_ci(fit, &lo, &hi);
    check_close(mnd_km_median(fit), want[0], 1e-9, name, 0);
    check_close(lo, want[1], 1e-9, name, 1);
    check_close(hi, want[2], 1e-9, name, 2);
    free(want);
}

Test(stats, km_columns_and_median_ci_match_r)
{
    mnd_km fit;
    cr_assert_eq(mnd_km_fit(km_time, km_event, 30, &fit, NULL), MND_OK);
    check_km_keyed("one", &fit);
    mnd_km_free(&fit);

    /* stays above 0.5: median NA, but the lower curve crosses (LCL 4) */
    static const double t2[8] = {1, 2, 2, 3, 4, 5, 6, 7};
    static const int e2[8] = {1, 1, 0, 0, 1, 0, 0, 0};
    cr_assert_eq(mnd_km_fit(t2, e2, 8, &fit, NULL), MND_OK);
    check_km_keyed("second", &fit);
    mnd_km_free(&fit);

    /* sits on 0.5 (median averaged) and ends at S = 0: std.err Inf, limits
     * NA there, UCL NA */
    static const double t3[4] = {4, 1, 3, 2};
    static const int e3[4] = {1, 1, 1, 1};
    cr_assert_eq(mnd_km_fit(t3, e3, 4, &fit, NULL), MND_OK);
    check_km_keyed("all_events", &fit);
    cr_assert(isinf(fit.std_err[3]));
    mnd_km_free(&fit);
}

/* The simulated cohort of cox_data_sim.R (400 patients, two arms): exact
 * times (all distinct) and whole months (heavy ties). */
Test(stats, km_simulated_cohort_matches_r)
{
    enum { N = SIM_N };
    const sim_data *d = sim_load();
    const double *time = d->time, *month = d->month;
    const int *event = d->event, *arm = d->arm;

    static double t_arm[N], m_arm[N];
    static int e_arm[N];
    mnd_km fit;
    cr_assert_eq(mnd_km_fit(time, event, N, &fit, NULL), MND_OK);
    check_km_keyed("sim_exact", &fit);
    mnd_km_free(&fit);
    for (int a = 0; a <= 1; a++) {
        size_t k = 0;
        for (size_t i = 0; i < N; i++)
            if (arm[i] == a) {
                t_arm[k] = time[i];
                m_arm[k] = month[i];
                e_arm[k++] = event[i];
            }
        char name[64];
        if (a == 1) {
            cr_assert_eq(mnd_km_fit(t_arm, e_arm, k, &fit, NULL), MND_OK);
            check_km_keyed("sim_exact_arm1", &fit);
            mnd_km_free(&fit);
        }
        snprintf(name, sizeof name, "sim_month_arm%d", a);
        cr_assert_eq(mnd_km_fit(m_arm, e_arm, k, &fit, NULL), MND_OK);
        check_km_keyed(name, &fit);
        mnd_km_free(&fit);
    }
    printf("Kaplan-Meier vs R, largest relative difference so far: %.3g\n", max_rel_seen);
}

/* The median rule on hand-made curves: the tolerance sqrt(DBL_EPSILON)
 * around 0.5, the averaging with the next lower step, NaN entries. */
Test(stats, km_median_rule)
{
    double time[4] = {1, 2, 3, 4};
    double surv[4] = {0.9, 0.5 + 1e-8, 0.5 + 1e-8, 0.3};
    mnd_km fit = {.n_times = 4, .time = time, .survival = surv, .lower = surv, .upper = surv};
    /* within the tolerance: averaged with the next strictly lower step */
    cr_assert_eq(mnd_km_median(&fit), 3.0);
    surv[1] = surv[2] = 0.5 + 2e-8; /* above 0.5 + tol: the first time below is 4 */
    cr_assert_eq(mnd_km_median(&fit), 4.0);
    surv[1] = surv[2] = 0.5 - 2e-8; /* below 0.5 - tol: no averaging */
    cr_assert_eq(mnd_km_median(&fit), 2.0);
    surv[1] = surv[2] = surv[3] = 0.5; /* on 0.5 to the end: nothing lower */
    cr_assert_eq(mnd_km_median(&fit), 2.0);
    surv[1] = NAN; /* NaN entries are skipped, as R's NA */
    surv[2] = 0.4;
    double lo, hi;
    mnd_km_median_ci(&fit, &lo, &hi);
    cr_assert_eq(lo, 3.0);
    cr_assert_eq(hi, 3.0);
    fit.n_times = 0;
    mnd_km_median_ci(&fit, &lo, &hi);
    cr_assert(isnan(lo) && isnan(hi));
}

/* ------------------------------------------------------------ t tests */

/* ttest.R's data (NAN where R has NA). */
static const double tt_a[22] = {-1.12, -0.87, -1.45, NAN,   -0.66, -1.02, -1.31, -0.95,
                                -0.58, -1.77, -1.08, -0.92, -1.24, NAN,   -0.81, -1.49,
                                -0.73, -1.15, -0.99, -1.36, -0.61, -1.21};
static const double tt_b[14] = {-0.84, -0.52, -1.10, -0.47, -0.95, NAN,   -0.71,
                                -0.38, -0.89, -0.66, -1.02, -0.29, -0.77, -0.58};
static const double tt_a2[10] = {1.31, 2.05, 0.42, 1.77, 0.96, 1.58, 0.12, 2.40, 1.03, 0.69};
static const double tt_b2[7] = {0.6713, 1.1313, 0.0993, 0.8913, 0.4613, 0.9813, 0.3513};
static const double tt_small1[2] = {3.1, 4.7}, tt_small2[2] = {1.2, 1.9};
static const double tt_const[5] = {2, 2, 2, 2, 2};
static const double tt_varied[6] = {1.5, 2.5, 1.9, 2.2, 1.4, 2.8};
static const double tt_far1[8] = {10.01, 10.02, 9.99, 10.00, 10.03, 9.98, 10.01, 10.02};
static const double tt_far2[7] = {5.00, 5.02, 4.99, 5.01, 4.98, 5.03, 5.00};

static void check_two(const char *name, const double *x1, size_t n1, const double *x2,
                      size_t n2)
{
    mnd_mean_diff r;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_mean_difference(x1, n1, x2, n2, &r, &err), MND_OK, "%s", err.message);
    cr_assert_eq(r.n1, (size_t)ref_value(TTEST_REF, name, "n1"), "%s n1", name);
    cr_assert_eq(r.n2, (size_t)ref_value(TTEST_REF, name, "n2"), "%s n2", name);
    const struct {
        const char *q;
        double got;
    } v[] = {{"mean1", r.mean1}, {"mean2", r.mean2}, {"diff", r.diff},
             {"se", r.se},       {"df", r.df},       {"t", r.t},
             {"p", r.p_value},   {"lower", r.lower}, {"upper", r.upper}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        check_close(v[i].got, ref_value(TTEST_REF, name, v[i].q), 1e-9, v[i].q, 0);
}

static void check_one(const char *name, const double *x, size_t n, double mu0)
{
    mnd_mean_ci r;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_mean_test(x, n, mu0, &r, &err), MND_OK, "%s", err.message);
    cr_assert_eq(r.n, (size_t)ref_value(TTEST_REF, name, "n"), "%s n", name);
    const struct {
        const char *q;
        double got;
    } v[] = {{"mean", r.mean}, {"sd", r.sd},      {"se", r.se},
             {"df", r.df},     {"t", r.t},        {"p", r.p_value},
             {"lower", r.lower}, {"upper", r.upper}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        check_close(v[i].got, ref_value(TTEST_REF, name, v[i].q), 1e-9, v[i].q, 0);
}

Test(stats, mean_difference_matches_r_welch)
{
    max_rel_seen = 0;
    check_two("welch", tt_a, 22, tt_b, 14);
    check_two("welch_swapped", tt_b, 14, tt_a, 22);
    check_two("near_zero", tt_a2, 10, tt_b2, 7);
    check_two("smallest", tt_small1, 2, tt_small2, 2);
    check_two("one_constant", tt_const, 5, tt_varied, 6);
    check_two("large_t", tt_far1, 8, tt_far2, 7);
    printf("t.test (two samples) vs R, largest relative difference: %.3g\n", max_rel_seen);
}

Test(stats, mean_test_matches_r)
{
    max_rel_seen = 0;
    check_one("one_a", tt_a, 22, 0.0);
    check_one("one_b_mu", tt_b, 14, -1.0);
    check_one("one_small", tt_small1, 2, 4.0);
    check_one("one_large_t", tt_far1, 8, 0.0);
    printf("t.test (one sample) vs R, largest relative difference: %.3g\n", max_rel_seen);
}

static void check_error(mnd_status st, const mnd_error *err, const char *message)
{
    cr_assert_eq(st, MND_ERR_NUMERIC);
    cr_assert_eq(err->code, MND_ERR_NUMERIC);
    cr_assert_str_eq(err->message, message);
}

Test(stats, mean_tests_errors)
{
    static const double one_value[3] = {NAN, 2.0, NAN}, inf[3] = {1.0, INFINITY, 2.0};
    static const double zeros[3] = {0, 0, 0};
    mnd_mean_diff d;
    mnd_mean_ci c;
    mnd_error err;
    check_error(mnd_mean_difference(one_value, 3, tt_b, 14, &d, &err), &err,
                "mean difference: group 1 has fewer than 2 values (got 1)");
    check_error(mnd_mean_difference(tt_a, 22, one_value, 0, &d, &err), &err,
                "mean difference: group 2 has fewer than 2 values (got 0)");
    check_error(mnd_mean_difference(tt_a, 22, inf, 3, &d, &err), &err,
                "mean difference, group 2: infinite value at [1]");
    check_error(mnd_mean_difference(tt_const, 5, tt_const, 3, &d, &err), &err,
                "mean difference: the data are constant (zero variance in both groups)");
    /* R returns NaN here (se = 0 and both means 0); an error is clearer */
    check_error(mnd_mean_difference(zeros, 3, zeros, 2, &d, &err), &err,
                "mean difference: the data are constant (zero variance in both groups)");
    check_error(mnd_mean_test(one_value, 3, 0.0, &c, &err), &err,
                "mean test: fewer than 2 values (got 1)");
    check_error(mnd_mean_test(inf, 3, 0.0, &c, &err), &err, "mean test: infinite value at [1]");
    check_error(mnd_mean_test(tt_const, 5, 2.0, &c, &err), &err,
                "mean test: the data are constant (zero variance)");
    check_error(mnd_mean_test(zeros, 3, 0.0, &c, &err), &err,
                "mean test: the data are constant (zero variance)");
    /* a NULL error record is allowed */
    cr_assert_eq(mnd_mean_test(zeros, 3, 0.0, &c, NULL), MND_ERR_NUMERIC);
}

/* NaNs are skipped: the same result as the data without them. */
Test(stats, mean_tests_skip_nan)
{
    double a[20], b[13];
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < 22; i++)
        if (!isnan(tt_a[i]))
            a[na++] = tt_a[i];
    for (size_t i = 0; i < 14; i++)
        if (!isnan(tt_b[i]))
            b[nb++] = tt_b[i];
    mnd_mean_diff with, without;
    cr_assert_eq(mnd_mean_difference(tt_a, 22, tt_b, 14, &with, NULL), MND_OK);
    cr_assert_eq(mnd_mean_difference(a, na, b, nb, &without, NULL), MND_OK);
    cr_assert_eq(memcmp(&with, &without, sizeof with), 0);
}

/* ------------------------------------------------------------ proportions */

Test(stats, proportion_ci_matches_r_binom_test)
{
    FILE *f = fopen(BINOM_REF, "r");
    cr_assert_not_null(f, "cannot open %s", BINOM_REF);
    char line[256];
    int cases = 0;
    max_rel_seen = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        unsigned long k, n;
        double want_lo, want_hi, lo, hi;
        cr_assert_eq(sscanf(line, "%lu %lu %lf %lf", &k, &n, &want_lo, &want_hi), 4);
        mnd_proportion_ci(k, n, &lo, &hi);
        check_close(lo, want_lo, 1e-9, "lower", k);
        check_close(hi, want_hi, 1e-9, "upper", k);
        cases++;
    }
    fclose(f);
    cr_assert_eq(cases, 16);
    printf("binom.test limits vs R, largest relative difference: %.3g\n", max_rel_seen);
}

Test(stats, proportion_ci_degenerate)
{
    double lo = 0, hi = 0;
    mnd_proportion_ci(0, 0, &lo, &hi);
    cr_assert(isnan(lo) && isnan(hi));
    lo = hi = 0;
    mnd_proportion_ci(3, 2, &lo, &hi);
    cr_assert(isnan(lo) && isnan(hi));
    mnd_proportion_ci(0, 5, &lo, &hi);
    cr_assert_eq(lo, 0.0);
    mnd_proportion_ci(5, 5, &lo, &hi);
    cr_assert_eq(hi, 1.0);
}

/* ------------------------------------------------------------ Weibull fit */

/* tests/reference/weibull.R (25 subjects, 17 events, ties in censoring). */
static const double wb_time[25] = {3.2,  5.1,  6.0,  7.4,  8.8,  9.5,  10.0, 11.3, 12.1,
                                   12.9, 13.7, 14.2, 15.0, 15.0, 16.6, 17.9, 18.4, 20.0,
                                   21.7, 23.5, 24.0, 26.3, 28.8, 30.0, 30.0};
static const int wb_event[25] = {1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1,
                                 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0};
/* tests/reference/weibull_reference.txt: shape = 1 / survreg scale,
 * scale = exp(intercept). */
static const double wb_ref_shape = 2.0276510559338945;
static const double wb_ref_scale = 21.593420178643925;

Test(stats, weibull_matches_r_survreg)
{
    double shape = 0, scale = 0;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_weibull_fit(wb_time, wb_event, 25, &shape, &scale, &err), MND_OK, "%s",
                 err.message);
    assert_rel(shape, wb_ref_shape, 1e-6, "shape");
    assert_rel(scale, wb_ref_scale, 1e-6, "scale");
}

/* The estimate is a maximum of the censored log-likelihood: moving either
 * parameter a little lowers it. */
static double weibull_loglik(const double *t, const int *e, size_t n, double k, double lambda)
{
    double ll = 0.0;
    for (size_t i = 0; i < n; i++) {
        double z = t[i] / lambda;
        if (e[i])
            ll += log(k / lambda) + (k - 1.0) * log(z);
        ll -= pow(z, k);
    }
    return ll;
}

Test(stats, weibull_is_a_maximum)
{
    double k, lambda;
    cr_assert_eq(mnd_weibull_fit(wb_time, wb_event, 25, &k, &lambda, NULL), MND_OK);
    double ll = weibull_loglik(wb_time, wb_event, 25, k, lambda);
    /* R's log-likelihood at its optimum (weibull_reference.txt) */
    assert_rel(ll, -66.010171725524955, 1e-10, "log-likelihood");
    for (int dk = -1; dk <= 1; dk++)
        for (int dl = -1; dl <= 1; dl++)
            if (dk || dl)
                cr_assert_lt(weibull_loglik(wb_time, wb_event, 25, k * (1 + 1e-3 * dk),
                                            lambda * (1 + 1e-3 * dl)),
                             ll);
}

/* Shape 2, scale 20, 20000 draws censored at 30 (S(30) = exp(-2.25), about
 * 10 % censored).  The SD of the shape estimate is about
 * 0.78 x 2 / sqrt(20000) = 0.011, so 0.05 is over 4 SE; the scale's SD is
 * about 0.08. */
Test(stats, weibull_recovers_simulated_parameters)
{
    enum { N = 20000 };
    static double t[N];
    static int e[N];
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_rng_set(r, 2024);
    int censored = 0;
    for (int i = 0; i < N; i++) {
        double x = gsl_ran_weibull(r, 20.0, 2.0); /* GSL: scale a, shape b */
        e[i] = x <= 30.0;
        t[i] = e[i] ? x : 30.0;
        censored += !e[i];
    }
    gsl_rng_free(r);
    cr_assert_gt(censored, N / 20);
    double k, lambda;
    cr_assert_eq(mnd_weibull_fit(t, e, N, &k, &lambda, NULL), MND_OK);
    cr_assert_lt(fabs(k - 2.0), 0.05, "shape %.4f", k);
    cr_assert_lt(fabs(lambda - 20.0), 0.4, "scale %.4f", lambda);
}

/* Uncensored exponential data: shape near 1.  Times <= 0 are skipped. */
Test(stats, weibull_exponential_and_nonpositive_times)
{
    enum { N = 20000 };
    static double t[N + 2];
    static int e[N + 2];
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_rng_set(r, 7);
    for (int i = 0; i < N; i++) {
        t[i] = gsl_ran_exponential(r, 5.0);
        e[i] = 1;
    }
    gsl_rng_free(r);
    double k, lambda;
    cr_assert_eq(mnd_weibull_fit(t, e, N, &k, &lambda, NULL), MND_OK);
    /* SD of the shape estimate for k = 1: about 0.78 / sqrt(N) = 0.0055 */
    cr_assert_lt(fabs(k - 1.0), 4 * 0.78 / sqrt(N), "shape %.4f", k);
    cr_assert_lt(fabs(lambda - 5.0), 4 * 5.0 * 1.06 / sqrt(N), "scale %.4f", lambda);

    /* the reference data with a zero and a negative time added: unchanged */
    double t2[27];
    int e2[27];
    memcpy(t2, wb_time, sizeof wb_time);
    memcpy(e2, wb_event, sizeof wb_event);
    t2[25] = 0.0;
    e2[25] = 1;
    t2[26] = -3.0;
    e2[26] = 1;
    cr_assert_eq(mnd_weibull_fit(t2, e2, 27, &k, &lambda, NULL), MND_OK);
    assert_rel(k, wb_ref_shape, 1e-6, "shape");
    assert_rel(lambda, wb_ref_scale, 1e-6, "scale");
}

Test(stats, weibull_no_events_fails)
{
    static const double t[3] = {1, 2, 3};
    static const int e[3] = {0, 0, 0};
    double k = -1, lambda = -1;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_weibull_fit(t, e, 3, &k, &lambda, &err), MND_ERR_NUMERIC);
    cr_assert_eq(err.code, MND_ERR_NUMERIC);
    cr_assert_str_eq(err.message, "Weibull fit: no events");
    cr_assert_eq(k, -1);
    cr_assert_eq(lambda, -1);
    /* a NULL error record is allowed */
    cr_assert_eq(mnd_weibull_fit(t, e, 3, &k, &lambda, NULL), MND_ERR_NUMERIC);
}

/* All events at one time: the likelihood grows without bound in k, the
 * shape leaves the bracket [0.05, 50]. */
Test(stats, weibull_shape_out_of_bracket_fails)
{
    static const double t[4] = {5, 5, 5, 5};
    static const int e[4] = {1, 1, 1, 1};
    double k, lambda;
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_weibull_fit(t, e, 4, &k, &lambda, &err), MND_ERR_NUMERIC);
    cr_assert_str_eq(err.message, "Weibull fit: shape outside [0.05, 50]");
}

/* ---------------------------------------------------------------- OLS slope */

Test(stats, ols_slope_exact_on_a_line)
{
    static const double x[4] = {0, 1, 2, 3}, y[4] = {1, 3, 5, 7};
    cr_assert_eq(mnd_ols_slope(x, y, 4), 2.0);
    static const double x2[5] = {-2, 0.5, 4, 6, 10}, y2[5] = {5, 0, -7, -11, -19};
    /* y = 1 - 2x, exact in binary */
    cr_assert_eq(mnd_ols_slope(x2, y2, 5), -2.0);
    static const double flat[3] = {4, 4, 4};
    cr_assert_eq(mnd_ols_slope(x, flat, 3), 0.0);
}

Test(stats, ols_slope_least_squares)
{
    /* x = 0..4, y = 0, 2, 1, 4, 3: slope = Sxy / Sxx = 8 / 10 */
    static const double x[5] = {0, 1, 2, 3, 4}, y[5] = {0, 2, 1, 4, 3};
    double b = mnd_ols_slope(x, y, 5);
    cr_assert_float_eq(b, 0.8, 1e-14, "slope %.17g", b);
}

Test(stats, ols_slope_nan_cases)
{
    static const double x[3] = {2, 2, 2}, y[3] = {1, 2, 3};
    cr_assert(isnan(mnd_ols_slope(x, y, 3)), "all x equal");
    cr_assert(isnan(mnd_ols_slope(x, y, 1)), "one point");
    cr_assert(isnan(mnd_ols_slope(x, y, 0)), "no point");
}

/* ---------------------------------------------------------------- quantile */

Test(stats, quantile_type7_and_nan)
{
    double x[7] = {NAN, 4, 1, NAN, 3, 2, NAN};
    size_t m = 99;
    cr_assert_eq(mnd_quantile(x, 7, 0.5, &m), 2.5);
    cr_assert_eq(m, 4);
    /* x now holds the sorted finite values first */
    static const double sorted[4] = {1, 2, 3, 4};
    cr_assert_eq(memcmp(x, sorted, sizeof sorted), 0);

    double y[6] = {5, NAN, 1, 3, 2, 4};
    cr_assert_eq(mnd_quantile(y, 6, 0.0, NULL), 1.0);
    double z[6] = {5, NAN, 1, 3, 2, 4};
    cr_assert_eq(mnd_quantile(z, 6, 1.0, NULL), 5.0);
    double w[6] = {5, NAN, 1, 3, 2, 4};
    /* R quantile(type = 7) of 1..5: q = 0.25 -> index 1 -> 2; q = 0.3 -> index 1.2 -> 2.2 */
    cr_assert_eq(mnd_quantile(w, 6, 0.25, NULL), 2.0);
    double v[6] = {5, NAN, 1, 3, 2, 4};
    double q = mnd_quantile(v, 6, 0.3, NULL); /* once: it reorders v */
    cr_assert_float_eq(q, 2.2, 1e-14, "quantile %.17g", q);
}

Test(stats, quantile_infinities_are_dropped)
{
    double x[5] = {INFINITY, 1, -INFINITY, 3, NAN};
    size_t m = 0;
    cr_assert_eq(mnd_quantile(x, 5, 0.5, &m), 2.0);
    cr_assert_eq(m, 2);
}

Test(stats, quantile_all_nan)
{
    double x[3] = {NAN, NAN, NAN};
    size_t m = 99;
    cr_assert(isnan(mnd_quantile(x, 3, 0.5, &m)));
    cr_assert_eq(m, 0);
    cr_assert(isnan(mnd_quantile(x, 0, 0.5, &m)));
    cr_assert_eq(m, 0);
}
