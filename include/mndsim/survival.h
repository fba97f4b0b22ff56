/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * survival.h — comparing survival between groups: the (stratified) log-rank
 * test and the Cox proportional-hazards model.
 *
 * Both follow R's survival package (survdiff with rho = 0; coxph) and are
 * checked against it (tests/reference/logrank.R, cox.R).  Pure functions of
 * their inputs: no randomness, no global state, thread-safe.  Results are
 * plain structs of fixed size that the caller owns; nothing needs freeing.
 *
 * Common conventions for both functions:
 *   - time[i] is the follow-up time of subject i (any unit; only its order
 *     matters), event[i] non-zero for an event, 0 for censored.  Subjects
 *     censored at an event time are at risk at that time (R's convention).
 *   - Rows with a NaN time are skipped (R's na.omit); so are, for the Cox
 *     model, rows with a NaN covariate.
 *   - stratum may be NULL (one stratum); otherwise any int labels.  Risk
 *     sets never cross strata.
 *   - Times are compared exactly: R's coxph merges times that differ only
 *     by rounding (timefix), so give both programs the same doubles.
 */
#ifndef MNDSIM_SURVIVAL_H
#define MNDSIM_SURVIVAL_H

#include <stddef.h>
#include "mndsim/status.h"

/* ------------------------------------------------------------ log-rank */

enum { MND_LOGRANK_MAX_GROUPS = 16 };

/* Result of a log-rank test of k groups. */
typedef struct {
    size_t n_groups;                           /* k, as passed */
    size_t n_used;                             /* rows used (non-NaN time) */
    size_t n[MND_LOGRANK_MAX_GROUPS];          /* subjects per group */
    double observed[MND_LOGRANK_MAX_GROUPS];   /* events per group, summed over strata */
    double expected[MND_LOGRANK_MAX_GROUPS];   /* expected events under equal hazards */
    /* variance of observed - expected, row-major k x k (R's survdiff $var) */
    double variance[MND_LOGRANK_MAX_GROUPS * MND_LOGRANK_MAX_GROUPS];
    double chisq;   /* (O-E)' V^- (O-E) over the groups with expected > 0 */
    int df;         /* number of groups with expected > 0, minus 1 */
    double p_value; /* upper chi-square tail, gsl_cdf_chisq_Q(chisq, df) */
} mnd_logrank;

/* Log-rank test (Mantel–Haenszel, G-rho with rho = 0) of equal hazards in
 * n_groups groups; group[i] in [0, n_groups), 2 <= n_groups <=
 * MND_LOGRANK_MAX_GROUPS.  With strata, observed - expected and its
 * variance are summed over strata.  Equals R's survdiff(Surv(time, event)
 * ~ group + strata(stratum)).
 * Fails with MND_ERR_USAGE for a bad n_groups or group label, and with
 * MND_ERR_NUMERIC when fewer than 2 groups have subjects (R: "There is only
 * 1 group"), when there are no events, when fewer than 2 groups are at risk
 * at an event time, or when the variance matrix is singular (e.g. every
 * subject dies at one time).  On failure *res is unspecified. */
mnd_status mnd_logrank_test(const double *time, const int *event, const int *group,
                            size_t n_groups, const int *stratum, size_t n, mnd_logrank *res,
                            mnd_error *err);

/* ------------------------------------------------------------ Cox model */

enum { MND_COX_MAX_COVARIATES = 8 };

/* Defaults of mnd_cox_options (used where a field is 0).  R's coxph uses
 * the same eps but iter.max = 20; fits that converge agree. */
#define MND_COX_EPS_DEFAULT 1e-9
#define MND_COX_MAX_ITER_DEFAULT 30

/* Handling of tied event times. */
typedef enum {
    MND_COX_EFRON = 0, /* R's default */
    MND_COX_BRESLOW
} mnd_cox_ties;

typedef struct {
    mnd_cox_ties ties; /* MND_COX_EFRON when zero-initialised */
    int max_iter;      /* Newton–Raphson iterations, > 0; 0 means 30 */
    double eps;        /* convergence: relative change in the log partial
                          likelihood <= eps; 0 means 1e-9 */
} mnd_cox_options;

/* A fitted Cox model with p covariates.  Arrays are indexed by covariate
 * (the columns of x); entries from p on are 0. */
typedef struct {
    size_t p;        /* covariates */
    size_t n_used;   /* rows used (no NaN) */
    size_t n_events; /* events among them */
    double coef[MND_COX_MAX_COVARIATES];     /* log hazard ratio per unit of covariate */
    double se[MND_COX_MAX_COVARIATES];       /* standard error of coef */
    double hr[MND_COX_MAX_COVARIATES];       /* exp(coef) */
    double hr_lower[MND_COX_MAX_COVARIATES]; /* 95 % Wald limits exp(coef -+ 1.96 se) */
    double hr_upper[MND_COX_MAX_COVARIATES];
    double z[MND_COX_MAX_COVARIATES];        /* coef / se */
    double p_coef[MND_COX_MAX_COVARIATES];   /* two-sided normal p of z */
    /* 1 where the likelihood still rose along this coefficient when it had
     * stopped changing: the estimate may be infinite (R's warning "Loglik
     * converged before variable j; coefficient may be infinite"; it occurs
     * with monotone likelihood, e.g. a covariate separating the events). */
    int infinite[MND_COX_MAX_COVARIATES];
    /* variance matrix of coef, row-major p x p (inverse information) */
    double var[MND_COX_MAX_COVARIATES * MND_COX_MAX_COVARIATES];
    double loglik_null; /* log partial likelihood at coef = 0 */
    double loglik;      /* ... at the estimate */
    double lr, lr_p;         /* likelihood-ratio test 2 (loglik - loglik_null), df p */
    double wald, wald_p;     /* Wald test coef' var^-1 coef, df p */
    double score, score_p;   /* score test at coef = 0, df p (for one binary
                                covariate and no tied times: the log-rank test) */
    int iterations; /* Newton–Raphson iterations (R's $iter) */
    int converged;  /* 1 when the convergence test was met */
} mnd_cox;

/* Fits h(t | x) = h0_s(t) exp(coef' x) by maximum partial likelihood, with
 * a separate baseline h0_s per stratum.  x is row-major n x p (covariate j
 * of subject i at x[i * p + j]), 1 <= p <= MND_COX_MAX_COVARIATES.  opt may
 * be NULL (Efron ties, defaults above).
 * Method: Newton–Raphson from coef = 0 with step halving, as R's coxph:
 * stop when |1 - loglik_previous / loglik_new| <= eps after a full step.
 * Returns MND_OK with *fit filled; check fit->infinite.
 * Fails with MND_ERR_USAGE for bad p, options or an infinite covariate;
 * with MND_ERR_NUMERIC when there are no events, a covariate is constant
 * within every stratum, the information matrix is singular (collinear
 * covariates), or after max_iter iterations without convergence.  In that
 * last case only, *fit holds the last iterate with converged = 0; after
 * other failures *fit is unspecified. */
mnd_status mnd_cox_fit(const double *time, const int *event, const double *x, size_t p,
                       const int *stratum, size_t n, const mnd_cox_options *opt, mnd_cox *fit,
                       mnd_error *err);

#endif
