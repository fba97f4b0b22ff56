/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * survival.c — the log-rank test and the Cox proportional-hazards model
 * (survival.h).  Owns no state; every call allocates and frees its own
 * ordering arrays.
 *
 * Design.
 *
 * Ordering.  Both methods walk the subjects of each stratum in time order,
 * so the rows are sorted once: by time with gsl_sort_index, then stably
 * bucketed by stratum (a counting sort over the distinct stratum labels).
 * Inside a stratum, all rows sharing a time form a tie set; censored rows
 * of a tie set are at risk at that time, as in R's survival package.
 *
 * Log-rank (Mantel 1966; Peto & Peto 1972; R survdiff with rho = 0).  At
 * each event time of a stratum, with N at risk, D events, N_g at risk in
 * group g:  E_g += D N_g / N  and, for N > 1,
 *   V_gh += D (N - D) / (N - 1) * (N_g / N) * (delta_gh - N_h / N).
 * O - E and V are summed over strata.  Because O - E sums to 0 and V is
 * singular, the statistic is computed, as in R, on the groups with E > 0
 * less the first of them: chisq = b' A^-1 b with A the matching block of V,
 * solved by Cholesky.  df = (groups with E > 0) - 1.
 *
 * Cox (Cox 1972; ties: Breslow 1974, Efron 1977; computations as in
 * Therneau & Grambsch, "Modeling Survival Data", 2000, ch. 3).  Covariates
 * are centred and divided by their standard deviation first; the partial
 * likelihood and Newton–Raphson are equivariant under this, so only the
 * conditioning changes, and the results are transformed back.  One
 * backward pass per stratum accumulates, over the risk set of weights
 * w = exp(eta - c), the sums S0 = sum w, S1 = sum w z, S2 = sum w z z'
 * (lower triangle), and the same sums D0, D1, D2 over the events of the
 * current tie set.  For a tie set with d events, for k = 0 .. d-1 and
 * f = k / d (Efron) or f = 0 (Breslow):
 *   den = S0 - f D0,  a = (S1 - f D1) / den,
 *   loglik += -log den,  U -= a,  I += (S2 - f D2) / den - a a',
 * plus loglik += eta, U += z for each event.  The shift c (the largest
 * linear predictor of the stratum) keeps exp from overflowing and cancels
 * exactly in the log-likelihood.  Cost O(n p^2) per iteration.
 *
 * Newton–Raphson follows R's coxph (coxph.control: eps = 1e-9): start at
 * 0; after each accepted point solve I step = U (Cholesky,
 * gsl_linalg_cholesky_decomp1/solve) and try point + step; the fit has
 * converged when a full step changes the log partial likelihood by a
 * relative amount <= eps; a step that lowers it (or overflows) is halved
 * toward the last accepted point.  The variance is I^-1 at the estimate
 * (gsl_linalg_cholesky_invert).  A matrix is declared singular when a
 * Cholesky pivot falls below DBL_EPSILON^0.75 times its largest diagonal
 * entry (R's toler.chol).  A coefficient is flagged possibly infinite when
 * the Newton step still left at the estimate exceeds both eps and
 * sqrt(eps) |coef| (R's toler.inf test).
 *
 * GSL's error handler must be off (main.c and the tests switch it off):
 * a matrix that is not positive definite is an expected outcome here.
 */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_int.h>
#include <gsl/gsl_statistics_double.h>
#include "mndsim/survival.h"

/* ------------------------------------------------------------ ordering */

/* The used rows ordered by stratum, then by time. */
typedef struct {
    size_t m;        /* rows used */
    size_t *row;     /* [m] original row indices */
    size_t n_strata; /* distinct strata among the used rows */
    size_t *start;   /* [n_strata + 1] first position of each stratum in row */
} surv_order;

static void surv_order_free(surv_order *o)
{
    free(o->row);
    free(o->start);
    o->row = o->start = NULL;
}

static mnd_status nomem(mnd_error *err)
{
    return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "cannot allocate survival work arrays");
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Fills *o with the rows i < n where use[i] != 0; stratum may be NULL. */
static mnd_status surv_order_make(const double *time, const int *stratum,
                                  const unsigned char *use, size_t n, surv_order *o,
                                  mnd_error *err)
{
    mnd_status st = MND_OK;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += use[i] != 0;
    size_t cap = m > 0 ? m : 1;
    size_t *kept = malloc(cap * sizeof *kept);  /* used row numbers */
    size_t *perm = malloc(cap * sizeof *perm);  /* kept positions in time order */
    size_t *snum = NULL;                        /* stratum number per kept row */
    size_t *pos = NULL;                         /* next free slot per stratum */
    double *tv = malloc(cap * sizeof *tv);
    int *labels = NULL;
    o->m = m;
    o->n_strata = 0;
    o->row = malloc(cap * sizeof *o->row);
    o->start = malloc((cap + 1) * sizeof *o->start);
    if (!kept || !perm || !tv || !o->row || !o->start) {
        st = nomem(err);
        goto cleanup;
    }
    for (size_t i = 0, k = 0; i < n; i++)
        if (use[i]) {
            kept[k] = i;
            tv[k++] = time[i];
        }
    gsl_sort_index(perm, tv, 1, m);
    o->start[0] = 0;
    if (m == 0)
        goto cleanup;
    if (!stratum) {
        for (size_t k = 0; k < m; k++)
            o->row[k] = kept[perm[k]];
        o->n_strata = 1;
        o->start[1] = m;
        goto cleanup;
    }

    /* the distinct labels, sorted, number the strata */
    labels = malloc(m * sizeof *labels);
    snum = malloc(m * sizeof *snum);
    if (!labels || !snum) {
        st = nomem(err);
        goto cleanup;
    }
    for (size_t k = 0; k < m; k++)
        labels[k] = stratum[kept[k]];
    gsl_sort_int(labels, 1, m);
    size_t ns = 1;
    for (size_t k = 1; k < m; k++)
        if (labels[k] != labels[ns - 1])
            labels[ns++] = labels[k];
    o->n_strata = ns;
    pos = calloc(ns + 1, sizeof *pos);
    if (!pos) {
        st = nomem(err);
        goto cleanup;
    }
    for (size_t k = 0; k < m; k++) {
        const int *hit = bsearch(&stratum[kept[k]], labels, ns, sizeof *labels, int_cmp);
        assert(hit != NULL);
        snum[k] = (size_t)(hit - labels);
        pos[snum[k] + 1]++;
    }
    /* counting sort, stable, so each stratum stays in time order */
    for (size_t s = 0; s < ns; s++)
        pos[s + 1] += pos[s];
    memcpy(o->start, pos, (ns + 1) * sizeof *pos);
    for (size_t j = 0; j < m; j++) {
        size_t k = perm[j];
        o->row[pos[snum[k]]++] = kept[k];
    }

cleanup:
    free(kept);
    free(perm);
    free(snum);
    free(pos);
    free(tv);
    free(labels);
    if (st != MND_OK)
        surv_order_free(o);
    return st;
}

/* ------------------------------------------------------------ linear algebra */

/* R's toler.chol: a pivot below this fraction of the largest diagonal
 * entry means the matrix is singular. */
static double chol_tolerance(void) { return pow(DBL_EPSILON, 0.75); }

/* Cholesky factorisation in place (GSL, lower triangle) of the symmetric
 * matrix a.  Returns 0, or -1 when a is not positive definite within
 * chol_tolerance(). */
static int cholesky_checked(gsl_matrix *a)
{
    double dmax = 0.0;
    for (size_t i = 0; i < a->size1; i++)
        dmax = fmax(dmax, gsl_matrix_get(a, i, i));
    if (!(dmax > 0.0) || !isfinite(dmax))
        return -1;
    if (gsl_linalg_cholesky_decomp1(a) != GSL_SUCCESS)
        return -1;
    for (size_t i = 0; i < a->size1; i++) {
        double l = gsl_matrix_get(a, i, i);
        if (!(l * l > chol_tolerance() * dmax))
            return -1;
    }
    return 0;
}

/* x = a^-1 b for the symmetric p x p matrix a (row-major, not changed) via
 * Cholesky in the p x p array work.  Returns -1 when a is singular. */
static int spd_solve(size_t p, const double *a, const double *b, double *x, double *work)
{
    memcpy(work, a, p * p * sizeof *work);
    gsl_matrix_view w = gsl_matrix_view_array(work, p, p);
    if (cholesky_checked(&w.matrix))
        return -1;
    gsl_vector_const_view bv = gsl_vector_const_view_array(b, p);
    gsl_vector_view xv = gsl_vector_view_array(x, p);
    return gsl_linalg_cholesky_solve(&w.matrix, &bv.vector, &xv.vector) == GSL_SUCCESS ? 0 : -1;
}

/* ------------------------------------------------------------ log-rank */

mnd_status mnd_logrank_test(const double *time, const int *event, const int *group,
                            size_t n_groups, const int *stratum, size_t n, mnd_logrank *res,
                            mnd_error *err)
{
    enum { K = MND_LOGRANK_MAX_GROUPS };
    if (n_groups < 2 || n_groups > K)
        return mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                             "log-rank test: n_groups must be in [2, %d] (got %zu)", (int)K,
                             n_groups);
    unsigned char *use = malloc(n > 0 ? n : 1);
    if (!use)
        return nomem(err);
    mnd_status st = MND_OK;
    surv_order o = {0};
    memset(res, 0, sizeof *res);
    res->n_groups = n_groups;
    for (size_t i = 0; i < n; i++) {
        use[i] = !isnan(time[i]);
        if (use[i] && (group[i] < 0 || (size_t)group[i] >= n_groups)) {
            st = mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                               "log-rank test: group[%zu] = %d is outside [0, %zu)", i, group[i],
                               n_groups);
            goto cleanup;
        }
    }
    st = surv_order_make(time, stratum, use, n, &o, err);
    if (st != MND_OK)
        goto cleanup;
    res->n_used = o.m;

    size_t present = 0;
    for (size_t k = 0; k < o.m; k++)
        res->n[group[o.row[k]]]++;
    for (size_t g = 0; g < n_groups; g++)
        present += res->n[g] > 0;
    if (present < 2) {
        st = mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                           "log-rank test: only %zu group has subjects", present);
        goto cleanup;
    }

    for (size_t s = 0; s < o.n_strata; s++) {
        double at_risk[K] = {0}, total = 0.0;
        for (size_t k = o.start[s]; k < o.start[s + 1]; k++) {
            at_risk[group[o.row[k]]] += 1.0;
            total += 1.0;
        }
        for (size_t k = o.start[s]; k < o.start[s + 1];) {
            double t = time[o.row[k]], deaths[K] = {0}, leaving[K] = {0}, d = 0.0, gone = 0.0;
            for (; k < o.start[s + 1] && time[o.row[k]] == t; k++) {
                size_t i = o.row[k];
                leaving[group[i]] += 1.0;
                gone += 1.0;
                if (event[i]) {
                    deaths[group[i]] += 1.0;
                    d += 1.0;
                }
            }
            if (d > 0.0) {
                /* hypergeometric variance factor; 0 when all at risk die */
                double c = total > 1.0 ? d * (total - d) / (total - 1.0) : 0.0;
                for (size_t g = 0; g < n_groups; g++) {
                    double pg = at_risk[g] / total;
                    res->observed[g] += deaths[g];
                    res->expected[g] += d * pg;
                    for (size_t h = 0; h < n_groups; h++)
                        res->variance[g * n_groups + h] +=
                            c * pg * ((g == h ? 1.0 : 0.0) - at_risk[h] / total);
                }
            }
            for (size_t g = 0; g < n_groups; g++)
                at_risk[g] -= leaving[g];
            total -= gone;
        }
    }

    double events = 0.0;
    size_t informative[K], q = 0;
    for (size_t g = 0; g < n_groups; g++) {
        events += res->observed[g];
        if (res->expected[g] > 0.0)
            informative[q++] = g;
    }
    if (events == 0.0) {
        st = mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0, "log-rank test: no events");
        goto cleanup;
    }
    if (q < 2) {
        st = mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                           "log-rank test: fewer than 2 groups are at risk at an event time");
        goto cleanup;
    }
    /* drop the first informative group; the rest determine the statistic */
    size_t r = q - 1;
    double a[K * K], b[K], y[K], work[K * K];
    for (size_t u = 0; u < r; u++) {
        size_t g = informative[u + 1];
        b[u] = res->observed[g] - res->expected[g];
        for (size_t v = 0; v < r; v++)
            a[u * r + v] = res->variance[g * n_groups + informative[v + 1]];
    }
    if (spd_solve(r, a, b, y, work)) {
        st = mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                           "log-rank test: the variance matrix is singular");
        goto cleanup;
    }
    res->chisq = 0.0;
    for (size_t u = 0; u < r; u++)
        res->chisq += b[u] * y[u];
    res->df = (int)r;
    res->p_value = gsl_cdf_chisq_Q(res->chisq, (double)r);

cleanup:
    free(use);
    surv_order_free(&o);
    return st;
}

/* ------------------------------------------------------------ Cox model */

enum { P = MND_COX_MAX_COVARIATES };

/* The data of a fit in stratum-then-time order, covariates standardised. */
typedef struct {
    size_t m, p;         /* rows, covariates */
    size_t n_strata;
    const size_t *start; /* [n_strata + 1] */
    double *time;        /* [m] */
    int *event;          /* [m] 0 or 1 */
    double *z;           /* [m * p] (x - mean) / sd, row-major */
    double *eta;         /* [m] work: linear predictor */
    int efron;           /* 1 Efron, 0 Breslow */
} cox_data;

/* Log partial likelihood at beta; score u[p] and information info[p * p]
 * (row-major, symmetric).  Not finite when exp overflows. */
static double cox_eval(const cox_data *d, const double *beta, double *u, double *info)
{
    size_t p = d->p;
    double loglik = 0.0;
    memset(u, 0, p * sizeof *u);
    memset(info, 0, p * p * sizeof *info);
    for (size_t s = 0; s < d->n_strata; s++) {
        size_t lo = d->start[s], hi = d->start[s + 1];
        double c = -INFINITY;
        for (size_t k = lo; k < hi; k++) {
            const double *z = d->z + k * p;
            double e = 0.0;
            for (size_t j = 0; j < p; j++)
                e += beta[j] * z[j];
            d->eta[k] = e;
            c = fmax(c, e);
        }
        /* risk-set sums; matrices hold their lower triangle */
        double s0 = 0.0, s1[P] = {0}, s2[P * P] = {0};
        for (size_t k = hi; k > lo;) {
            double t = d->time[k - 1];
            double d0 = 0.0, d1[P] = {0}, d2[P * P] = {0};
            int nd = 0;
            for (; k > lo && d->time[k - 1] == t; k--) {
                const double *z = d->z + (k - 1) * p;
                double w = exp(d->eta[k - 1] - c);
                s0 += w;
                for (size_t j = 0; j < p; j++) {
                    s1[j] += w * z[j];
                    for (size_t l = 0; l <= j; l++)
                        s2[j * p + l] += w * z[j] * z[l];
                }
                if (!d->event[k - 1])
                    continue;
                nd++;
                loglik += d->eta[k - 1] - c;
                for (size_t j = 0; j < p; j++)
                    u[j] += z[j];
                if (!d->efron)
                    continue;
                d0 += w;
                for (size_t j = 0; j < p; j++) {
                    d1[j] += w * z[j];
                    for (size_t l = 0; l <= j; l++)
                        d2[j * p + l] += w * z[j] * z[l];
                }
            }
            for (int r = 0; r < nd; r++) {
                double f = d->efron ? (double)r / nd : 0.0;
                double den = s0 - f * d0, a[P];
                loglik -= log(den);
                for (size_t j = 0; j < p; j++) {
                    a[j] = (s1[j] - f * d1[j]) / den;
                    u[j] -= a[j];
                }
                for (size_t j = 0; j < p; j++)
                    for (size_t l = 0; l <= j; l++)
                        info[j * p + l] += (s2[j * p + l] - f * d2[j * p + l]) / den - a[j] * a[l];
            }
        }
    }
    for (size_t j = 0; j < p; j++)
        for (size_t l = 0; l < j; l++)
            info[l * p + j] = info[j * p + l];
    return loglik;
}

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

/* Fills the estimates of *fit from the standardised beta, score u and
 * information info at beta, and sd.  Returns -1 (variances NaN) when info
 * is singular. */
static int cox_report(mnd_cox *fit, const cox_data *d, const double *sd, const double *beta,
                      const double *u, const double *info, double eps)
{
    size_t p = d->p;
    double work[P * P], scratch[P * P], step[P];
    int singular = 0;
    memcpy(work, info, p * p * sizeof *work);
    gsl_matrix_view w = gsl_matrix_view_array(work, p, p);
    if (cholesky_checked(&w.matrix) || gsl_linalg_cholesky_invert(&w.matrix) != GSL_SUCCESS)
        singular = 1;
    /* the Newton step still left at beta, for the infinite-coefficient test */
    if (singular || spd_solve(p, info, u, step, scratch))
        for (size_t j = 0; j < p; j++)
            step[j] = NAN;
    double zq = gsl_cdf_ugaussian_Pinv(0.975);
    fit->wald = 0.0;
    for (size_t j = 0; j < p; j++) {
        fit->coef[j] = beta[j] / sd[j];
        for (size_t l = 0; l < p; l++) {
            fit->var[j * p + l] = singular ? NAN : work[j * p + l] / (sd[j] * sd[l]);
            fit->wald += beta[j] * info[j * p + l] * beta[l];
        }
        fit->se[j] = sqrt(fit->var[j * p + j]);
        fit->hr[j] = exp(fit->coef[j]);
        fit->hr_lower[j] = exp(fit->coef[j] - zq * fit->se[j]);
        fit->hr_upper[j] = exp(fit->coef[j] + zq * fit->se[j]);
        fit->z[j] = fit->coef[j] / fit->se[j];
        fit->p_coef[j] = 2.0 * gsl_cdf_ugaussian_Q(fabs(fit->z[j]));
        double left = fabs(step[j] / sd[j]);
        fit->infinite[j] = left > eps && left > sqrt(eps) * fabs(fit->coef[j]);
    }
    fit->wald_p = gsl_cdf_chisq_Q(fit->wald, (double)p);
    fit->lr = 2.0 * (fit->loglik - fit->loglik_null);
    fit->lr_p = gsl_cdf_chisq_Q(fit->lr, (double)p);
    return singular ? -1 : 0;
}

/* Checks the arguments; the options with defaults filled in go to *o. */
static mnd_status cox_check(size_t p, const mnd_cox_options *opt, mnd_cox_options *o,
                            mnd_error *err)
{
    if (p < 1 || p > P)
        return mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                             "Cox fit: p must be in [1, %d] (got %zu)", (int)P, p);
    *o = opt ? *opt : (mnd_cox_options){0};
    if (o->ties != MND_COX_EFRON && o->ties != MND_COX_BRESLOW)
        return mnd_error_set(err, MND_ERR_USAGE, NULL, 0, "Cox fit: unknown ties method %d",
                             (int)o->ties);
    if (o->max_iter < 0 || !(o->eps >= 0.0 && o->eps < 1.0))
        return mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                             "Cox fit: need max_iter >= 0 and 0 <= eps < 1 (got %d, %g)",
                             o->max_iter, o->eps);
    if (o->max_iter == 0)
        o->max_iter = MND_COX_MAX_ITER_DEFAULT;
    if (o->eps == 0.0)
        o->eps = MND_COX_EPS_DEFAULT;
    return MND_OK;
}

mnd_status mnd_cox_fit(const double *time, const int *event, const double *x, size_t p,
                       const int *stratum, size_t n, const mnd_cox_options *opt, mnd_cox *fit,
                       mnd_error *err)
{
    mnd_cox_options o = {0};
    mnd_status st = cox_check(p, opt, &o, err);
    if (st != MND_OK)
        return st;
    memset(fit, 0, sizeof *fit);
    fit->p = p;
    surv_order ord = {0};
    cox_data d = {0};
    unsigned char *use = malloc(n > 0 ? n : 1);
    if (!use)
        return nomem(err);
    for (size_t i = 0; i < n; i++) {
        use[i] = !isnan(time[i]);
        for (size_t j = 0; j < p; j++)
            if (isnan(x[i * p + j]))
                use[i] = 0;
        for (size_t j = 0; use[i] && j < p; j++)
            if (isinf(x[i * p + j])) {
                st = mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                                   "Cox fit: covariate %zu of row %zu is infinite", j, i);
                goto cleanup;
            }
    }
    st = surv_order_make(time, stratum, use, n, &ord, err);
    if (st != MND_OK)
        goto cleanup;

    /* gather in order */
    size_t m = ord.m, cap = m > 0 ? m : 1;
    d = (cox_data){.m = m, .p = p, .n_strata = ord.n_strata, .start = ord.start,
                   .efron = o.ties == MND_COX_EFRON};
    d.time = malloc(cap * sizeof *d.time);
    d.event = malloc(cap * sizeof *d.event);
    d.z = malloc(cap * p * sizeof *d.z);
    d.eta = malloc(cap * sizeof *d.eta);
    if (!d.time || !d.event || !d.z || !d.eta) {
        st = nomem(err);
        goto cleanup;
    }
    fit->n_used = m;
    for (size_t k = 0; k < m; k++) {
        size_t i = ord.row[k];
        d.time[k] = time[i];
        d.event[k] = event[i] != 0;
        fit->n_events += (size_t)d.event[k];
        memcpy(d.z + k * p, x + i * p, p * sizeof *d.z);
    }
    if (fit->n_events == 0) {
        st = mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0, "Cox fit: no events");
        goto cleanup;
    }

    /* a covariate constant within every stratum has no information */
    double sd[P];
    for (size_t j = 0; j < p; j++) {
        int varies = 0;
        for (size_t s = 0; s < ord.n_strata && !varies; s++)
            for (size_t k = ord.start[s] + 1; k < ord.start[s + 1] && !varies; k++)
                varies = d.z[k * p + j] != d.z[ord.start[s] * p + j];
        if (!varies) {
            st = mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                               "Cox fit: covariate %zu is constant within every stratum", j);
            goto cleanup;
        }
        double mean = gsl_stats_mean(d.z + j, p, m);
        sd[j] = gsl_stats_sd_m(d.z + j, p, m, mean);
        for (size_t k = 0; k < m; k++)
            d.z[k * p + j] = (d.z[k * p + j] - mean) / sd[j];
    }

    /* Newton–Raphson: beta is the last accepted point, trial the next */
    double beta[P] = {0}, trial[P], u[P], info[P * P], step[P], work[P * P];
    double ll = cox_eval(&d, beta, u, info);
    fit->loglik_null = ll;
    if (!isfinite(ll) || spd_solve(p, info, u, step, work)) {
        st = mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                           "Cox fit: the information matrix is singular at 0 (collinear "
                           "covariates, or no variation within the risk sets)");
        goto cleanup;
    }
    fit->score = 0.0;
    for (size_t j = 0; j < p; j++) {
        fit->score += u[j] * step[j];
        trial[j] = beta[j] + step[j];
    }
    fit->score_p = gsl_cdf_chisq_Q(fit->score, (double)p);

    int halving = 0;
    double ll_trial = ll;
    for (fit->iterations = 1;; fit->iterations++) {
        ll_trial = cox_eval(&d, trial, u, info);
        int finite = isfinite(ll_trial) && all_finite(u, p) && all_finite(info, p * p);
        if (finite && !halving && fabs(1.0 - ll / ll_trial) <= o.eps) {
            fit->converged = 1;
            break;
        }
        if (fit->iterations == o.max_iter)
            break;
        if (!finite || ll_trial < ll) {
            halving = 1;
            for (size_t j = 0; j < p; j++)
                trial[j] = 0.5 * (trial[j] + beta[j]);
            continue;
        }
        halving = 0;
        ll = ll_trial;
        if (spd_solve(p, info, u, step, work)) {
            st = mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                               "Cox fit: the information matrix became singular at iteration "
                               "%d (a coefficient may be infinite)",
                               fit->iterations);
            goto cleanup;
        }
        for (size_t j = 0; j < p; j++) {
            beta[j] = trial[j];
            trial[j] += step[j];
        }
    }

    fit->loglik = ll_trial;
    int singular = cox_report(fit, &d, sd, trial, u, info, o.eps);
    if (!fit->converged)
        st = mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                           "Cox fit: no convergence in %d iterations (log partial likelihood "
                           "%.10g, last accepted %.10g)",
                           o.max_iter, ll_trial, ll);
    else if (singular)
        st = mnd_error_set(err, MND_ERR_NUMERIC, NULL, 0,
                           "Cox fit: the information matrix is singular at the estimate");

cleanup:
    free(use);
    free(d.time);
    free(d.event);
    free(d.z);
    free(d.eta);
    surv_order_free(&ord);
    return st;
}
