/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_stats.c — unit tests of the cohort statistics (src/stats.c).
 *
 * Kaplan–Meier and the Weibull fit are checked against R's survival
 * package: the scripts and their output are in tests/reference/ (km.R ->
 * km_reference.txt, weibull.R -> weibull_reference.txt; each script names
 * the command that regenerates its file).  The data sets are hard-coded
 * both there and here, and the values below are copied from the reference
 * files.  The Weibull estimator is also checked on a large simulated
 * sample at a fixed seed.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "mndsim/rng.h"
#include "mndsim/stats.h"

static void suite_init(void) { gsl_set_error_handler_off(); }

TestSuite(stats, .init = suite_init);

/* |got - want| <= rel * |want| (or exactly equal). */
static void assert_rel(double got, double want, double rel, const char *what)
{
    cr_assert(got == want || fabs(got - want) <= rel * fabs(want), "%s: got %.17g, want %.17g",
              what, got, want);
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
    cr_assert_eq(fit.n_times, 0);
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
    /* S reaches 0.5 exactly at t = 2: the documented rule (first time with
     * S <= 0.5) gives 2, where R would average 2 and 3. */
    cr_assert_eq(mnd_km_median(&fit), 2.0);
    mnd_km_free(&fit);
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
