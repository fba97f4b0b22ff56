/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_engine_survival.c — Kaplan–Meier, log-rank and Cox on ENGINE output
 * against R's survival package.
 *
 * The config tests/unit/configs/survival_engine.cfg (2000 patients, fixed
 * seed) is run through the library (config loader, simulation, HDF5
 * writer) into a temporary file, and the columns are read back with
 * mnd_reader and turned into two endpoints exactly as
 * tests/reference/engine_survival.R turns the file that `mndsim run` writes
 * for the same config (the run is bit-reproducible, whatever the thread
 * count): survival from diagnosis (exact times, administrative censoring
 * at 24 months) and the first quarterly visit at King's stage >= 3 (heavy
 * ties), two arms (riluzole taken or declined), strata by onset region and
 * by sex, age as a continuous covariate.  The R script's header names the
 * command that regenerates tests/reference/engine_survival_reference.txt;
 * the data fingerprint checked first ("<endpoint> data": rows, events, sums
 * of time, arm and age) tells a changed engine from a changed statistic.
 *
 * Required agreement: 1e-6 relative (the criterion); counts,
 * event times and Cox iteration counts exactly.  Largest relative
 * differences measured with R 4.2.2, survival 3.5-3 (each test prints
 * its own): Kaplan–Meier 0, bit-identical (every column, the medians and
 * their limits); log-rank 6.2e-14; Cox 9.6e-13 for coefficients, standard
 * errors, variances, log-likelihoods, Wald and score tests, limits and
 * p-values, and 2.8e-10 for the likelihood-ratio statistic and its p (a
 * difference of two log-likelihoods near -6400 that agree to 2e-14).
 * The whole file runs in about 0.2 s.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include "mndsim/config.h"
#include "mndsim/output.h"
#include "mndsim/run.h"
#include "mndsim/stats.h"
#include "mndsim/survival.h"
#include "reference_lines.h"

#define CONFIG "tests/unit/configs/survival_engine.cfg"
#define REF "tests/reference/engine_survival_reference.txt"
#define REGENERATE                                                                          \
    "make && build/mndsim run " CONFIG " -o /tmp/engine_survival.h5 && Rscript "             \
    "tests/reference/engine_survival.R /tmp/engine_survival.h5 > " REF

static void setup(void) { gsl_set_error_handler_off(); }
TestSuite(engine_survival, .init = setup, .timeout = 60);

static const double rel_tol = 1e-6;

/* ------------------------------------------------------------ reference file */

static double max_rel; /* largest relative difference seen in this test */

/* |got - want| <= rel_tol |want|, or both NaN, or equal (infinities). */
static void check_close(double got, double want, const char *what, const char *quantity,
                        size_t i)
{
    if (isnan(want)) {
        cr_assert(isnan(got), "%s %s[%zu]: got %.17g, want NaN (R: NA)", what, quantity, i, got);
        return;
    }
    if (got == want)
        return;
    double d = fabs(got - want) / fabs(want);
    max_rel = fmax(max_rel, d);
    cr_assert(d <= rel_tol, "%s %s[%zu]: got %.17g, want %.17g (rel. error %.3g)", what,
              quantity, i, got, want, d);
}


/* The numbers of the line "<name> <quantity> ..." of REF. */
static double *ref_line(const char *name, const char *quantity, size_t *count)
{
    return ref_line_in(REF, name, quantity, count, "; regenerate: " REGENERATE);
}

/* The n values got[0..n) against the line "<name> <quantity> ...". */
static void check_vec(const char *name, const char *quantity, const double *got, size_t n)
{
    size_t m;
    double *want = ref_line(name, quantity, &m);
    cr_assert_eq(m, n, "%s %s: %zu values in R, %zu here", name, quantity, m, n);
    for (size_t i = 0; i < n; i++)
        check_close(got[i], want[i], name, quantity, i);
    free(want);
}

static void check_scalar(const char *name, const char *quantity, double got)
{
    check_vec(name, quantity, &got, 1);
}

/* ------------------------------------------------------------ engine output */

/* One endpoint of the engine output, one row per patient (row order). */
typedef struct {
    size_t n;          /* patients (rows) */
    double *time;      /* months from diagnosis; NaN: left out of the endpoint */
    int *event;        /* 1 event, 0 censored */
    int *arm;          /* 1 riluzole taken, 0 declined */
    int *region;       /* onset region 0-3 (stratum) */
    int *male;         /* 0/1 (stratum) */
    double *x;         /* covariates, row-major n x 3: arm, age (years), male */
} endpoint;

typedef struct {
    endpoint os, ks3;
} engine_data;

static double *read_column(mnd_reader *r, const char *name, int64_t n, int64_t cols)
{
    int rank;
    int64_t dims[3];
    mnd_error err = {0};
    cr_assert_eq(mnd_reader_shape(r, name, &rank, dims, &err), MND_OK, "%s", err.message);
    cr_assert_eq(dims[0], n, "%s: %lld rows", name, (long long)dims[0]);
    cr_assert_eq(rank == 1 ? 1 : dims[1], cols, "%s: %lld columns", name,
                 (long long)(rank == 1 ? 1 : dims[1]));
    double *v = malloc((size_t)(n * cols) * sizeof *v);
    cr_assert_not_null(v);
    cr_assert_eq(mnd_reader_read(r, name, 0, n, v, &err), MND_OK, "%s", err.message);
    return v;
}

static void endpoint_alloc(endpoint *e, size_t n)
{
    e->n = n;
    e->time = malloc(n * sizeof *e->time);
    e->event = malloc(n * sizeof *e->event);
    e->arm = malloc(n * sizeof *e->arm);
    e->region = malloc(n * sizeof *e->region);
    e->male = malloc(n * sizeof *e->male);
    e->x = malloc(3 * n * sizeof *e->x);
    cr_assert(e->time && e->event && e->arm && e->region && e->male && e->x);
}

static void endpoint_free(endpoint *e)
{
    free(e->time);
    free(e->event);
    free(e->arm);
    free(e->region);
    free(e->male);
    free(e->x);
}

/* R's "<endpoint> data" line: rows used, events, sums of time, arm, age. */
static void check_fingerprint(const char *name, const endpoint *e)
{
    double used = 0, events = 0, sum_t = 0, sum_arm = 0, sum_age = 0;
    for (size_t i = 0; i < e->n; i++)
        if (!isnan(e->time[i])) {
            used++;
            events += e->event[i];
            sum_t += e->time[i];
            sum_arm += e->arm[i];
            sum_age += e->x[3 * i + 1];
        }
    size_t m;
    double *want = ref_line(name, "data", &m);
    cr_assert_eq(m, 5);
    /* R sums in long double: 1e-12 covers the rounding, not a changed run */
    int same = used == want[0] && events == want[1] && sum_arm == want[3]
               && fabs(sum_t - want[2]) <= 1e-12 * want[2]
               && fabs(sum_age - want[4]) <= 1e-12 * want[4];
    cr_assert(same,
              "%s: the engine output differs from the one the references were made from "
              "(rows %g/%g, events %g/%g, sum of times %.17g/%.17g, treated %g/%g, sum of "
              "ages %.17g/%.17g, here/R); if the model changed on purpose, regenerate: %s",
              name, used, want[0], events, want[1], sum_t, want[2], sum_arm, want[3], sum_age,
              want[4], REGENERATE);
    free(want);
}

/* Runs CONFIG through the library and builds both endpoints as
 * engine_survival.R does (see its header). */
static void engine_load(engine_data *d)
{
    mnd_params p;
    mnd_error err = {0};
    char *resolved = NULL;
    cr_assert_eq(mnd_config_load(CONFIG, NULL, 0, &p, &resolved, &err), MND_OK, "%s",
                 err.message);
    char path[96];
    snprintf(path, sizeof path, "/tmp/mndsim-engine-survival-%d.h5", (int)getpid());
    mnd_provenance prov = {"test", "test", 0, "test_engine_survival", CONFIG, "", resolved, 2};
    cr_assert_eq(mnd_run_to_file(&p, path, &prov, 2, NULL, NULL, &err), MND_OK, "%s",
                 err.message);
    free(resolved);

    mnd_reader *r = NULL;
    cr_assert_eq(mnd_reader_open(&r, path, &err), MND_OK, "%s", err.message);
    int rank;
    int64_t dims[3];
    cr_assert_eq(mnd_reader_shape(r, "kings_stage", &rank, dims, &err), MND_OK, "%s",
                 err.message);
    int64_t n = dims[0], T = dims[1];
    char *text = NULL;
    cr_assert_eq(mnd_reader_attr(r, "visit_interval_months", &text, &err), MND_OK, "%s",
                 err.message);
    double interval = strtod(text, NULL); /* written with %.17g: exact */
    free(text);
    double *t_end = read_column(r, "t_end", n, 1), *t_dx = read_column(r, "t_diagnosis", n, 1);
    double *died = read_column(r, "died", n, 1), *age = read_column(r, "age_onset_years", n, 1);
    double *region = read_column(r, "onset_region", n, 1), *male = read_column(r, "male", n, 1);
    double *n_visits = read_column(r, "n_visits", n, 1);
    /* one intervention, riluzole: its column is the only one */
    double *status = read_column(r, "exposure_status", n, 1);
    double *kings = read_column(r, "kings_stage", n, T);
    mnd_reader_close(r);
    unlink(path);

    endpoint_alloc(&d->os, (size_t)n);
    endpoint_alloc(&d->ks3, (size_t)n);
    for (int64_t i = 0; i < n; i++) {
        int arm = status[i] == 3; /* treated */
        for (endpoint *e = &d->os; e <= &d->ks3; e++) {
            e->arm[i] = arm;
            e->region[i] = (int)region[i];
            e->male[i] = (int)male[i];
            e->x[3 * i] = arm;
            e->x[3 * i + 1] = age[i];
            e->x[3 * i + 2] = male[i];
        }
        d->os.time[i] = t_end[i] - t_dx[i];
        d->os.event[i] = died[i] == 1;
        int64_t first = -1;
        for (int64_t j = 0; j < T && first < 0; j++)
            if (kings[i * T + j] >= 3)
                first = j;
        d->ks3.event[i] = first >= 0;
        d->ks3.time[i] = (double)(first >= 0 ? first : (int64_t)n_visits[i] - 1) * interval;
        if (first == 0) /* at stage >= 3 at diagnosis: left out */
            d->ks3.time[i] = NAN;
    }
    free(t_end);
    free(t_dx);
    free(died);
    free(age);
    free(region);
    free(male);
    free(n_visits);
    free(status);
    free(kings);
    check_fingerprint("os", &d->os);
    check_fingerprint("ks3", &d->ks3);
}

static void engine_free(engine_data *d)
{
    endpoint_free(&d->os);
    endpoint_free(&d->ks3);
}

/* ------------------------------------------------------------ Kaplan–Meier */

static void check_km(const char *name, const endpoint *e, int arm)
{
    double *t = malloc(e->n * sizeof *t);
    int *ev = malloc(e->n * sizeof *ev);
    size_t m = 0;
    for (size_t i = 0; i < e->n; i++)
        if (e->arm[i] == arm) {
            t[m] = e->time[i];
            ev[m++] = e->event[i];
        }
    mnd_km fit;
    mnd_error err = {0};
    cr_assert_eq(mnd_km_fit(t, ev, m, &fit, &err), MND_OK, "%s", err.message);
    char case_name[64];
    snprintf(case_name, sizeof case_name, "%s_arm%d", name, arm);
    size_t k;
    double *want_time = ref_line(case_name, "time", &k);
    cr_assert_eq(fit.n_times, k, "%s: %zu event times, R %zu", case_name, fit.n_times, k);
    for (size_t i = 0; i < k; i++) /* the same doubles: exactly */
        cr_assert_eq(fit.time[i], want_time[i], "%s time[%zu]", case_name, i);
    free(want_time);
    check_vec(case_name, "n_risk", fit.n_risk, k);
    check_vec(case_name, "n_event", fit.n_event, k);
    check_vec(case_name, "surv", fit.survival, k);
    check_vec(case_name, "std_err", fit.std_err, k);
    check_vec(case_name, "lower", fit.lower, k);
    check_vec(case_name, "upper", fit.upper, k);
    double median[3];
    median[0] = mnd_km_median(&fit);
    mnd_km_median_ci(&fit, &median[1], &median[2]);
    check_vec(case_name, "median", median, 3);
    mnd_km_free(&fit);
    free(t);
    free(ev);
}

Test(engine_survival, kaplan_meier_matches_r)
{
    engine_data d;
    engine_load(&d);
    max_rel = 0;
    for (int arm = 0; arm <= 1; arm++) {
        check_km("os", &d.os, arm);
        check_km("ks3", &d.ks3, arm);
    }
    printf("engine output, Kaplan-Meier vs R: largest relative difference %.3g\n", max_rel);
    engine_free(&d);
}

/* ------------------------------------------------------------ log-rank */

static void check_logrank(const char *name, const endpoint *e, const int *stratum)
{
    mnd_logrank r;
    mnd_error err = {0};
    cr_assert_eq(mnd_logrank_test(e->time, e->event, e->arm, 2, stratum, e->n, &r, &err),
                 MND_OK, "%s: %s", name, err.message);
    check_vec(name, "observed", r.observed, 2);
    check_vec(name, "expected", r.expected, 2);
    check_vec(name, "var", r.variance, 4); /* k x k row-major, k = 2 */
    check_scalar(name, "chisq", r.chisq);
    check_scalar(name, "df", r.df);
    check_scalar(name, "p", r.p_value);
}

Test(engine_survival, logrank_matches_r)
{
    engine_data d;
    engine_load(&d);
    max_rel = 0;
    const struct {
        const char *prefix;
        const endpoint *e;
    } eps[] = {{"os", &d.os}, {"ks3", &d.ks3}};
    for (size_t k = 0; k < 2; k++) {
        char name[64];
        snprintf(name, sizeof name, "%s_lr_arm", eps[k].prefix);
        check_logrank(name, eps[k].e, NULL);
        snprintf(name, sizeof name, "%s_lr_arm_region", eps[k].prefix);
        check_logrank(name, eps[k].e, eps[k].e->region);
        snprintf(name, sizeof name, "%s_lr_arm_sex", eps[k].prefix);
        check_logrank(name, eps[k].e, eps[k].e->male);
    }
    printf("engine output, log-rank vs R: largest relative difference %.3g\n", max_rel);
    engine_free(&d);
}

/* ------------------------------------------------------------ Cox */

static void check_cox(const char *name, const endpoint *e, size_t p, const int *stratum,
                      mnd_cox_ties ties)
{
    /* the first p of the covariates arm, age, male */
    double *x = malloc(e->n * p * sizeof *x);
    for (size_t i = 0; i < e->n; i++)
        for (size_t j = 0; j < p; j++)
            x[i * p + j] = e->x[3 * i + j];
    mnd_cox_options opt = {.ties = ties};
    mnd_cox fit;
    mnd_error err = {0};
    cr_assert_eq(mnd_cox_fit(e->time, e->event, x, p, stratum, e->n, &opt, &fit, &err), MND_OK,
                 "%s: %s", name, err.message);
    cr_assert(fit.converged, "%s did not converge", name);
    free(x);
    size_t m;
    double *want = ref_line(name, "n", &m);
    cr_assert_eq((double)fit.n_used, want[0], "%s n", name);
    free(want);
    want = ref_line(name, "events", &m);
    cr_assert_eq((double)fit.n_events, want[0], "%s events", name);
    free(want);
    want = ref_line(name, "iter", &m);
    cr_assert_eq((double)fit.iterations, want[0], "%s iterations %d", name, fit.iterations);
    free(want);
    check_vec(name, "coef", fit.coef, p);
    check_vec(name, "se", fit.se, p);
    check_vec(name, "var", fit.var, p * p);
    double loglik[2] = {fit.loglik_null, fit.loglik};
    check_vec(name, "loglik", loglik, 2);
    double lr[2] = {fit.lr, fit.lr_p}, wald[2] = {fit.wald, fit.wald_p};
    double score[2] = {fit.score, fit.score_p};
    check_vec(name, "lr", lr, 2);
    check_vec(name, "wald", wald, 2);
    check_vec(name, "score", score, 2);
    check_vec(name, "hr_lower", fit.hr_lower, p);
    check_vec(name, "hr_upper", fit.hr_upper, p);
    check_vec(name, "z", fit.z, p);
    check_vec(name, "p_coef", fit.p_coef, p);
}

Test(engine_survival, cox_matches_r)
{
    engine_data d;
    engine_load(&d);
    max_rel = 0;
    const struct {
        const char *prefix;
        const endpoint *e;
    } eps[] = {{"os", &d.os}, {"ks3", &d.ks3}};
    const struct {
        const char *name;
        mnd_cox_ties ties;
    } ties[] = {{"efron", MND_COX_EFRON}, {"breslow", MND_COX_BRESLOW}};
    for (size_t k = 0; k < 2; k++)
        for (size_t t = 0; t < 2; t++) {
            const endpoint *e = eps[k].e;
            char name[96];
            snprintf(name, sizeof name, "%s_cox_arm_%s", eps[k].prefix, ties[t].name);
            check_cox(name, e, 1, NULL, ties[t].ties);
            snprintf(name, sizeof name, "%s_cox_arm_age_%s", eps[k].prefix, ties[t].name);
            check_cox(name, e, 2, NULL, ties[t].ties);
            snprintf(name, sizeof name, "%s_cox_arm_age_region_%s", eps[k].prefix,
                     ties[t].name);
            check_cox(name, e, 2, e->region, ties[t].ties);
            snprintf(name, sizeof name, "%s_cox_arm_age_male_region_%s", eps[k].prefix,
                     ties[t].name);
            check_cox(name, e, 3, e->region, ties[t].ties);
        }
    printf("engine output, Cox vs R: largest relative difference %.3g\n", max_rel);
    engine_free(&d);
}
