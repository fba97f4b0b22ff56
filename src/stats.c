/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * stats.c — survival, comparison and trajectory statistics on simulated
 * cohorts.
 *
 * Every estimator reproduces a named R function, to the last few bits
 * where the arithmetic allows, because analyses of simulated trials are
 * checked against R (tests/reference/):
 *
 *   - Kaplan–Meier follows R survival's survfitkm.c: at each distinct event
 *     time t_j with n_j at risk and d_j events, S *= (n_j - d_j) / n_j;
 *     those censored at t_j are still at risk.  Greenwood's variance of
 *     -log S accumulates d_j / (n_j (n_j - d_j)) (R's $std.err is its
 *     square root, the SE of the cumulative hazard, not of S); the default
 *     "log" interval is exp(log S -+ z se), capped at 1 above, NA at S = 0
 *     (R/survfit.R, survfit_confint).  The median and its limits are R's
 *     survmean rule (R/print.survfit.R, minmin): the first time a curve is
 *     below 0.5 + sqrt(eps), averaged with the next lower step when the
 *     curve sits on 0.5 within that tolerance.
 *   - t tests follow R's t.test.default: NaNs dropped, Welch's standard
 *     error and Satterthwaite degrees of freedom, the interval computed as
 *     mu + (t -+ q) se as R does, so that a limit near 0 agrees in
 *     relative terms too.  Means and variances are two-pass (mean, then
 *     centred squares) over the finite values in place: GSL's gsl_stats_*
 *     have no NaN-skipping form and copying would allocate in the hot loop
 *     of replicated studies.
 *   - The exact binomial interval is R's binom.test: beta quantiles, from
 *     GSL's inversion when it is accurate, else from a root solve of GSL's
 *     incomplete beta function (see beta_quantile).
 *   - The Weibull fit maximises the censored log-likelihood; for a given
 *     shape k the scale has the closed form lambda^k = sum t^k / d, and k
 *     solves the profile score equation
 *       1/k + sum_events log t / d - sum t^k log t / sum t^k = 0,
 *     a monotone function of k, solved by GSL's Brent bracketing solver.
 *
 * GSL provides sorting, the t, normal and beta distributions, linear fits,
 * quantiles and the solver.  Nothing here keeps state: every function is
 * thread-safe, and only mnd_km_fit allocates (its result and one scratch
 * block).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "mndsim/stats.h"

/* The 0.975 normal quantile, qnorm(0.975) in R. */
static double z975(void) { return gsl_cdf_ugaussian_Pinv(0.975); }

/* The fit's seven arrays are carved out of one block (time first, so that
 * freeing time frees them all). */
enum { KM_ARRAYS = 7 };

mnd_status mnd_km_fit(const double *time, const int *event, size_t n, mnd_km *fit, mnd_error *err)
{
    mnd_status st = MND_OK;
    size_t cap = n > 0 ? n : 1;
    /* scratch: the sort order, then the non-NaN times and events (calloc:
     * GCC cannot see that the sort reads only the m values written) */
    void *scratch = calloc(cap, sizeof(size_t) + sizeof(double) + sizeof(int));
    double *block = malloc(cap * KM_ARRAYS * sizeof *block);
    *fit = (mnd_km){0};
    if (!scratch || !block) {
        free(block);
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "cannot allocate a Kaplan-Meier fit");
        goto cleanup;
    }
    size_t *order = scratch;
    double *t = (double *)(order + cap);
    int *e = (int *)(t + cap);
    fit->time = block;
    fit->survival = block + cap;
    fit->n_risk = block + 2 * cap;
    fit->n_event = block + 3 * cap;
    fit->std_err = block + 4 * cap;
    fit->lower = block + 5 * cap;
    fit->upper = block + 6 * cap;

    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(time[i])) {
            t[m] = time[i];
            e[m++] = event[i] != 0;
        }
    gsl_sort_index(order, t, 1, m);

    const double z = z975();
    double s = 1.0, greenwood = 0.0;
    size_t at_risk = m, k = 0;
    for (size_t i = 0; i < m;) {
        double tj = t[order[i]];
        size_t events = 0, leaving = 0;
        for (; i < m && t[order[i]] == tj; i++, leaving++)
            events += (size_t)e[order[i]];
        if (events > 0) {
            double nr = (double)at_risk, d = (double)events;
            s *= (nr - d) / nr;
            /* d / 0 = +inf when everyone at risk dies: R's std.err is Inf there */
            greenwood += d / (nr * (nr - d));
            fit->time[k] = tj;
            fit->survival[k] = s;
            fit->n_risk[k] = nr;
            fit->n_event[k] = d;
            fit->std_err[k] = sqrt(greenwood);
            if (s > 0) {
                fit->lower[k] = exp(log(s) - z * fit->std_err[k]);
                fit->upper[k] = fmin(exp(log(s) + z * fit->std_err[k]), 1.0);
            } else {
                fit->lower[k] = fit->upper[k] = NAN;
            }
            k++;
        }
        at_risk -= leaving;
    }
    fit->n_times = k;

cleanup:
    free(scratch);
    return st;
}

void mnd_km_free(mnd_km *fit)
{
    free(fit->time);
    *fit = (mnd_km){0};
}

double mnd_km_survival_at(const mnd_km *fit, double t)
{
    double s = 1.0;
    for (size_t i = 0; i < fit->n_times && fit->time[i] <= t; i++)
        s = fit->survival[i];
    return s;
}

/* R's survmean rule (minmin) on a step curve y over the event times: the
 * first time with y < 0.5 + tol, NaN entries skipped; if y there is within
 * tol of 0.5, the midpoint with the first later time whose y is lower.
 * NaN when no entry qualifies. */
static double first_below_half(const double *time, const double *y, size_t n)
{
    const double tol = sqrt(DBL_EPSILON); /* R: .Machine$double.eps^0.5 */
    size_t i = 0;
    while (i < n && !(y[i] < 0.5 + tol)) /* also skips NaN */
        i++;
    if (i == n)
        return NAN;
    if (fabs(y[i] - 0.5) < tol)
        for (size_t j = i + 1; j < n; j++)
            if (y[j] < y[i])
                return (time[i] + time[j]) / 2;
    return time[i];
}

double mnd_km_median(const mnd_km *fit)
{
    return first_below_half(fit->time, fit->survival, fit->n_times);
}

void mnd_km_median_ci(const mnd_km *fit, double *lower, double *upper)
{
    *lower = first_below_half(fit->time, fit->lower, fit->n_times);
    *upper = first_below_half(fit->time, fit->upper, fit->n_times);
}

/* ------------------------------------------------------------ t tests */

/* Finite values of x: their count, mean and variance (denominator m - 1;
 * NaN when m < 2).  The mean is R's: the sum divided by m, corrected by the
 * mean of the residuals; the variance sums centred squares.  Fails with
 * MND_ERR_NUMERIC on an infinite value. */
typedef struct {
    size_t m;
    double mean, var;
} moments;

static mnd_status finite_moments(const double *x, size_t n, const char *what, moments *mo,
                                 mnd_error *err)
{
    size_t m = 0;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            continue;
        if (isinf(x[i]))
            return mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0, "%s: infinite value at [%zu]",
                                 what, i);
        sum += x[i];
        m++;
    }
    double mean = m > 0 ? sum / (double)m : NAN, resid = 0.0, ss = 0.0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            resid += x[i] - mean;
    if (m > 0)
        mean += resid / (double)m;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            ss += (x[i] - mean) * (x[i] - mean);
    *mo = (moments){m, mean, m > 1 ? ss / (double)(m - 1) : NAN};
    return MND_OK;
}

/* Two-sided p of t on df degrees of freedom and the 0.975 quantile. */
static double t_p_two_sided(double t, double df) { return 2.0 * gsl_cdf_tdist_P(-fabs(t), df); }

mnd_status mnd_mean_difference(const double *x1, size_t n1, const double *x2, size_t n2,
                               mnd_mean_diff *out, mnd_error *err)
{
    static const char what[] = "mean difference";
    moments a, b;
    mnd_status st;
    if ((st = finite_moments(x1, n1, "mean difference, group 1", &a, err)) != MND_OK
        || (st = finite_moments(x2, n2, "mean difference, group 2", &b, err)) != MND_OK)
        return st;
    if (a.m < 2 || b.m < 2)
        return mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                             "%s: group %d has fewer than 2 values (got %zu)", what,
                             a.m < 2 ? 1 : 2, a.m < 2 ? a.m : b.m);
    double v1 = a.var / (double)a.m, v2 = b.var / (double)b.m;
    double se = sqrt(v1 + v2);
    if (!(se > 10 * DBL_EPSILON * fmax(fabs(a.mean), fabs(b.mean))))
        return mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                             "%s: the data are constant (zero variance in both groups)", what);
    double df = (v1 + v2) * (v1 + v2)
                / (v1 * v1 / (double)(a.m - 1) + v2 * v2 / (double)(b.m - 1));
    double t = (a.mean - b.mean) / se, q = gsl_cdf_tdist_Pinv(0.975, df);
    *out = (mnd_mean_diff){.n1 = a.m,
                           .n2 = b.m,
                           .mean1 = a.mean,
                           .mean2 = b.mean,
                           .diff = a.mean - b.mean,
                           .se = se,
                           .df = df,
                           .t = t,
                           .p_value = t_p_two_sided(t, df),
                           .lower = (t - q) * se,
                           .upper = (t + q) * se};
    return MND_OK;
}

mnd_status mnd_mean_test(const double *x, size_t n, double mu0, mnd_mean_ci *out,
                         mnd_error *err)
{
    moments a;
    mnd_status st = finite_moments(x, n, "mean test", &a, err);
    if (st != MND_OK)
        return st;
    if (a.m < 2)
        return mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                             "mean test: fewer than 2 values (got %zu)", a.m);
    double sd = sqrt(a.var), se = sd / sqrt((double)a.m);
    if (!(se > 10 * DBL_EPSILON * fabs(a.mean)))
        return mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                             "mean test: the data are constant (zero variance)");
    double df = (double)(a.m - 1), t = (a.mean - mu0) / se;
    double q = gsl_cdf_tdist_Pinv(0.975, df);
    *out = (mnd_mean_ci){.n = a.m,
                         .mean = a.mean,
                         .sd = sd,
                         .se = se,
                         .df = df,
                         .t = t,
                         .p_value = t_p_two_sided(t, df),
                         .lower = mu0 + (t - q) * se,
                         .upper = mu0 + (t + q) * se};
    return MND_OK;
}

/* ------------------------------------------------------------ proportions */

typedef struct {
    double p, a, b;
} beta_target;

static double beta_residual(double x, void *vt)
{
    const beta_target *bt = vt;
    return gsl_cdf_beta_P(x, bt->a, bt->b) - bt->p;
}

/* The p quantile of Beta(a, b).  GSL's gsl_cdf_beta_Pinv fails to converge
 * for many ordinary parameters (it returns NaN for a = 5000, b = 5001, and
 * for about one (k, n) in 30 with n in the thousands), and its own test
 * accepts an error of sqrt(DBL_EPSILON) in probability.  Its answer is
 * kept when the probability it gives is right to 1e-12 of the nearer tail;
 * otherwise P(x) = p is solved by Brent's method on [0, 1] (GSL's
 * incomplete beta function is accurate to a few ulps), which allocates a
 * solver.  NaN if that allocation fails. */
static double beta_quantile(double p, double a, double b)
{
    double x = gsl_cdf_beta_Pinv(p, a, b);
    if (fabs(gsl_cdf_beta_P(x, a, b) - p) <= 1e-12 * fmin(p, 1.0 - p))
        return x; /* also false for x = NaN */
    beta_target bt = {p, a, b};
    gsl_function f = {&beta_residual, &bt};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return NAN;
    gsl_root_fsolver_set(s, &f, 0.0, 1.0); /* residual -p at 0, 1 - p at 1 */
    for (int iter = 0; iter < 200; iter++)
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS
            || gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                      0, 1e-14)
                   == GSL_SUCCESS)
            break;
    x = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    return x;
}

void mnd_proportion_ci(size_t k, size_t n, double *lower, double *upper)
{
    if (n == 0 || k > n) {
        *lower = *upper = NAN;
        return;
    }
    double dk = (double)k, dn = (double)n;
    *lower = k == 0 ? 0.0 : beta_quantile(0.025, dk, dn - dk + 1.0);
    *upper = k == n ? 1.0 : beta_quantile(0.975, dk + 1.0, dn - dk);
}

/* ------------------------------------------------------------ Weibull fit */

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
