/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * stats.c — survival and trajectory statistics on simulated cohorts.
 *
 * Kaplan–Meier follows R survival (survfitkm.c): at each distinct event
 * time t_j with n_j at risk and d_j events, S *= (n_j - d_j) / n_j; those
 * censored at t_j are still at risk.  The Weibull fit maximises the
 * censored log-likelihood; for a given shape k the scale has the closed
 * form lambda^k = sum t^k / d, and k solves the profile score equation
 *   1/k + sum_events log t / d - sum t^k log t / sum t^k = 0,
 * a monotone function of k, solved by GSL's Brent bracketing solver.
 * GSL provides sorting, linear fits, quantiles and the solver.
 */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "mndsim/stats.h"

mnd_status mnd_km_fit(const double *time, const int *event, size_t n, mnd_km *fit, mnd_error *err)
{
    mnd_status st = MND_OK;
    size_t cap = n > 0 ? n : 1;
    double *t = calloc(cap, sizeof *t);
    int *e = malloc(cap * sizeof *e);
    size_t *order = malloc(cap * sizeof *order);
    fit->n_times = 0;
    fit->time = malloc(cap * sizeof *fit->time);
    fit->survival = malloc(cap * sizeof *fit->survival);
    if (!t || !e || !order || !fit->time || !fit->survival) {
        mnd_km_free(fit);
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "cannot allocate a Kaplan-Meier fit");
        goto cleanup;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(time[i])) {
            t[m] = time[i];
            e[m++] = event[i] != 0;
        }
    gsl_sort_index(order, t, 1, m);

    double s = 1.0;
    size_t at_risk = m;
    for (size_t i = 0; i < m;) {
        double tj = t[order[i]];
        size_t events = 0, leaving = 0;
        for (; i < m && t[order[i]] == tj; i++, leaving++)
            events += (size_t)e[order[i]];
        if (events > 0) {
            s *= (double)(at_risk - events) / (double)at_risk;
            fit->time[fit->n_times] = tj;
            fit->survival[fit->n_times++] = s;
        }
        at_risk -= leaving;
    }

cleanup:
    free(t);
    free(e);
    free(order);
    return st;
}

void mnd_km_free(mnd_km *fit)
{
    free(fit->time);
    free(fit->survival);
    fit->time = fit->survival = NULL;
    fit->n_times = 0;
}

double mnd_km_survival_at(const mnd_km *fit, double t)
{
    double s = 1.0;
    for (size_t i = 0; i < fit->n_times && fit->time[i] <= t; i++)
        s = fit->survival[i];
    return s;
}

double mnd_km_median(const mnd_km *fit)
{
    for (size_t i = 0; i < fit->n_times; i++)
        if (fit->survival[i] <= 0.5)
            return fit->time[i];
    return NAN;
}

typedef struct {
    const double *time;
    const int *event;
    size_t n;
    double d, mean_log_event;
} weibull_data;

static double weibull_score(double k, void *vdata)
{
    const weibull_data *w = vdata;
    double s0 = 0.0, s1 = 0.0;
    for (size_t i = 0; i < w->n; i++) {
        double t = w->time[i];
        if (!(t > 0))
            continue;
        double tk = pow(t, k);
        s0 += tk;
        s1 += tk * log(t);
    }
    return 1.0 / k + w->mean_log_event - s1 / s0;
}

mnd_status mnd_weibull_fit(const double *time, const int *event, size_t n, double *shape,
                           double *scale, mnd_error *err)
{
    weibull_data w = {time, event, n, 0.0, 0.0};
    double tmax = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!(time[i] > 0))
            continue;
        tmax = fmax(tmax, time[i]);
        if (event[i]) {
            w.d += 1.0;
            w.mean_log_event += log(time[i]);
        }
    }
    if (w.d == 0)
        return mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0, "Weibull fit: no events");
    w.mean_log_event /= w.d;

    /* Rescale is not needed for the score (it is scale-free in k up to
     * overflow); keep t^k finite by bracketing k in [0.05, 50]. */
    gsl_function f = {&weibull_score, &w};
    double lo = 0.05, hi = 50.0;
    if (weibull_score(lo, &w) * weibull_score(hi, &w) > 0)
        return mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0, "Weibull fit: shape outside [0.05, 50]");
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "cannot allocate a root solver");
    gsl_root_fsolver_set(s, &f, lo, hi);
    for (int iter = 0; iter < 200; iter++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            break;
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 0,
                                   1e-10) == GSL_SUCCESS)
            break;
    }
    double k = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    double s0 = 0.0;
    for (size_t i = 0; i < n; i++)
        if (time[i] > 0)
            s0 += pow(time[i], k);
    *shape = k;
    *scale = pow(s0 / w.d, 1.0 / k);
    return MND_OK;
}

double mnd_ols_slope(const double *x, const double *y, size_t n)
{
    if (n < 2)
        return NAN;
    double c0, c1, cov00, cov01, cov11, sumsq;
    if (gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) != GSL_SUCCESS)
        return NAN;
    return isfinite(c1) ? c1 : NAN;
}

double mnd_quantile(double *x, size_t n, double q, size_t *n_finite)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            x[m++] = x[i];
    if (n_finite)
        *n_finite = m;
    if (m == 0)
        return NAN;
    gsl_sort(x, 1, m);
    return gsl_stats_quantile_from_sorted_data(x, 1, m, q);
}
