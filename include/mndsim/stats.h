/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * stats.h — statistics on simulated cohorts: Kaplan–Meier, Weibull fit,
 * least-squares slopes, quantiles.  Pure functions of their inputs; no
 * randomness; thread-safe.
 */
#ifndef MNDSIM_STATS_H
#define MNDSIM_STATS_H

#include <stddef.h>
#include "mndsim/status.h"

/* Kaplan–Meier product-limit estimate (R survival's conventions: subjects
 * censored at an event time are at risk at that time). */
typedef struct {
    size_t n_times;   /* distinct event times */
    double *time;     /* [n_times], increasing */
    double *survival; /* [n_times], S just after time[i] */
} mnd_km;

/* Fits the curve to n subjects (time[i] >= 0; event[i] 1 = event,
 * 0 = censored; subjects with NaN time are skipped).  `fit` is owned by
 * the caller and freed with mnd_km_free. */
mnd_status mnd_km_fit(const double *time, const int *event, size_t n, mnd_km *fit, mnd_error *err);
void mnd_km_free(mnd_km *fit);

/* S(t): 1 before the first event time. */
double mnd_km_survival_at(const mnd_km *fit, double t);

/* Median: the first event time with S <= 0.5 (R's definition when the
 * curve does not sit exactly on 0.5); NaN when S stays above 0.5. */
double mnd_km_median(const mnd_km *fit);

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
