/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * stats.h — statistics on simulated cohorts: Kaplan–Meier with Greenwood
 * standard errors and confidence limits, the median and its confidence
 * interval, t tests of one mean and of a difference of two means, exact
 * binomial confidence limits, the Weibull fit, least-squares slopes and
 * quantiles.
 *
 * Every function follows an R function named in its contract (survival's
 * survfit, t.test, binom.test, ...) and is checked against R's output in
 * tests/unit/test_stats.c (reference scripts in tests/reference/).  Pure
 * functions of their inputs: no randomness, no global state, thread-safe.
 * Only mnd_km_fit allocates (the arrays of its result).
 */
#ifndef MNDSIM_STATS_H
#define MNDSIM_STATS_H

#include <stddef.h>
#include "mndsim/status.h"

/* Kaplan–Meier product-limit estimate, as R survival's survfit(Surv(time,
 * event) ~ 1) with its defaults (conf.type = "log", conf.int = 0.95).
 * Subjects censored at an event time are at risk at that time.  One entry
 * per distinct event time; R's survfit also lists censoring times, where
 * every column below carries the value of the previous event time (n_risk
 * aside). */
typedef struct {
    size_t n_times;   /* distinct event times */
    double *time;     /* [n_times], increasing */
    double *survival; /* [n_times], S just after time[i] */
    double *n_risk;   /* [n_times] at risk just before time[i] */
    double *n_event;  /* [n_times] events at time[i] */
    double *std_err;  /* [n_times] Greenwood SE of the cumulative hazard (R's $std.err) */
    double *lower, *upper; /* [n_times] 95 % CI of S, R's conf.type = "log" (clipped to [0,1]; NaN where R gives NA) */
} mnd_km;

/* Fits the curve to n subjects: time[i] >= 0 in any unit, event[i]
 * non-zero for an event, 0 for censored; rows with a NaN time are skipped
 * (R's na.omit).  Times are compared exactly (R's survfit merges times
 * that differ only by rounding, timefix = TRUE: give both the same
 * doubles).
 *   std_err[i]  sqrt(sum over event times t_j <= time[i] of
 *               d_j / (n_j (n_j - d_j))), Greenwood's variance of
 *               -log S; +inf once S = 0, as in R;
 *   lower[i], upper[i]  exp(log S -+ 1.959963984540054 std_err), the
 *               upper limit capped at 1; both NaN where S = 0 (R: NA).
 * On success *fit owns 7 arrays of n_times values (one allocation; a fit
 * with no event time owns a block too), released with mnd_km_free.  Fails
 * only with MND_ERR_NOMEM, leaving *fit empty (mnd_km_free is then
 * harmless).  Thread-safe; O(n log n). */
mnd_status mnd_km_fit(const double *time, const int *event, size_t n, mnd_km *fit, mnd_error *err);

/* Releases the arrays of a fit made by mnd_km_fit and leaves it empty
 * (n_times 0, NULL arrays); calling it again is harmless. */
void mnd_km_free(mnd_km *fit);

/* S(t): 1 before the first event time. */
double mnd_km_survival_at(const mnd_km *fit, double t);

/* Median survival as R's print(survfit) and summary(fit)$table["median"]
 * give it: the first event time with S < 0.5 + sqrt(DBL_EPSILON); when
 * S there lies within sqrt(DBL_EPSILON) of 0.5 (the curve sits on 0.5),
 * the midpoint of that time and the next event time with a lower S, if
 * there is one.  NaN when S stays above 0.5 (R: NA). */
double mnd_km_median(const mnd_km *fit);

/* 95 % confidence limits of the median as R's print(survfit) gives them
 * (0.95LCL, 0.95UCL): the rule of mnd_km_median applied to the curves
 * `lower` and `upper` of the fit instead of `survival` (R's survmean),
 * skipping their NaN entries.  *lower or *upper is NaN where R prints NA,
 * typically the upper limit when the upper curve stays above 0.5.
 * Neither pointer may be NULL. */
void mnd_km_median_ci(const mnd_km *fit, double *lower, double *upper);

/* ------------------------------------------------------------ t tests */

/* Welch's two-sample t test: R's t.test(x1, x2) (var.equal = FALSE,
 * mu = 0, conf.level = 0.95). */
typedef struct {
    size_t n1, n2;       /* finite values used in each group */
    double mean1, mean2; /* group means */
    double diff;         /* mean1 - mean2 */
    double se;           /* standard error of diff, sqrt(s1^2/n1 + s2^2/n2) */
    double df;           /* Welch–Satterthwaite degrees of freedom (not an integer) */
    double t;            /* diff / se */
    double p_value;      /* two-sided, 2 P(T_df > |t|) */
    double lower, upper; /* 95 % confidence limits of diff */
} mnd_mean_diff;

/* Compares the means of x1[0..n1) and x2[0..n2) (same units; NaN entries
 * are skipped, R's na.omit).  Fails with MND_ERR_NUMERIC, *out
 * unspecified, when a group has an infinite value or fewer than 2 finite
 * values, or when the data are constant: se <= 10 DBL_EPSILON
 * max(|mean1|, |mean2|) (R stops with "data are essentially constant";
 * where se = 0 and both means are 0 R returns NaN instead).  No
 * allocation; thread-safe. */
mnd_status mnd_mean_difference(const double *x1, size_t n1, const double *x2, size_t n2,
                               mnd_mean_diff *out, mnd_error *err);

/* One-sample t test: R's t.test(x, mu = mu0) (conf.level = 0.95). */
typedef struct {
    size_t n;            /* finite values used */
    double mean;         /* their mean */
    double sd;           /* standard deviation (denominator n - 1) */
    double se;           /* sd / sqrt(n) */
    double df;           /* n - 1 */
    double t;            /* (mean - mu0) / se */
    double p_value;      /* two-sided, 2 P(T_df > |t|) */
    double lower, upper; /* 95 % confidence limits of the mean */
} mnd_mean_ci;

/* Mean of x[0..n) with its t confidence interval and the test of mean =
 * mu0 (NaN entries skipped).  Fails with MND_ERR_NUMERIC, *out
 * unspecified, on an infinite value, fewer than 2 finite values, or
 * constant data: se <= 10 DBL_EPSILON |mean| (R: "data are essentially
 * constant"; R returns NaN where se = 0 and the mean is 0).  No
 * allocation; thread-safe. */
mnd_status mnd_mean_test(const double *x, size_t n, double mu0, mnd_mean_ci *out,
                         mnd_error *err);

/* ------------------------------------------------------------ proportions */

/* Exact (Clopper–Pearson) 95 % confidence limits of the proportion k / n,
 * as R's binom.test(k, n)$conf.int: lower = the 0.025 quantile of
 * Beta(k, n - k + 1) (0 when k = 0), upper = the 0.975 quantile of
 * Beta(k + 1, n - k) (1 when k = n).  Both NaN when n = 0 or k > n.
 * Thread-safe. */
void mnd_proportion_ci(size_t k, size_t n, double *lower, double *upper);

/* ------------------------------------------------------------ other fits */

/* Maximum-likelihood Weibull fit to right-censored data with positive
 * times: shape k and scale lambda of S(t) = exp(-(t/lambda)^k).  Fails
 * with MND_ERR_NUMERIC when there are no events. */
mnd_status mnd_weibull_fit(const double *time, const int *event, size_t n, double *shape,
                           double *scale, mnd_error *err);

/* Least-squares slope of y on x over the n points (GSL gsl_fit_linear);
 * NaN when fewer than 2 distinct x. */
double mnd_ols_slope(const double *x, const double *y, size_t n);

/* Quantile q in [0, 1] of the finite values of x (x is sorted in place;
 * NaNs are dropped); NaN when none.  Returns the number of finite values
 * in *n_finite when non-NULL. */
double mnd_quantile(double *x, size_t n, double q, size_t *n_finite);

#endif
