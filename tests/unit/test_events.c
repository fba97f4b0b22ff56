/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_events.c — unit tests of clinical events and survival
 * (src/events.c): the first-crossing root finder on analytic functions,
 * the consistency of sampled event records, switched-off events, procedure
 * deaths, background mortality against the closed-form Gompertz
 * median, and the cheap "does the record go on after t?" answer against
 * the records.  Samplers run at fixed seeds; tolerances are 4 standard errors.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_rng.h>
#include "mndsim/config.h"
#include "mndsim/disease.h"
#include "mndsim/events.h"
#include "mndsim/rng.h"

static void suite_init(void) { gsl_set_error_handler_off(); }

TestSuite(events, .init = suite_init);

#define MONTHS_30_DAYS (30.0 / 30.4375)

/* ------------------------------------------------------- first crossing */

static double exp_decay(double t, void *ctx)
{
    (void)ctx;
    return exp(-t);
}

/* 1 until t0 (ctx), then exp(-(t - t0)): a flat start like a pool's. */
static double delayed_decay(double t, void *ctx)
{
    double t0 = *(const double *)ctx;
    return t < t0 ? 1.0 : exp(-(t - t0));
}

static double step_down(double t, void *ctx)
{
    double t0 = *(const double *)ctx;
    return t < t0 ? 1.0 : 0.0;
}

static double linear_down(double t, void *ctx)
{
    (void)ctx;
    return 10.0 - 0.5 * t;
}

/* 10 - t down to 5 at t = 5, flat at 5 until t = 8, then 13 - t: a
 * plateau at the level of the test below, like the expected total with
 * every item saturated. */
static double plateau(double t, void *ctx)
{
    (void)ctx;
    return t < 5.0 ? 10.0 - t : t < 8.0 ? 5.0 : 13.0 - t;
}

static int calls;
static double counting_exp(double t, void *ctx)
{
    calls++;
    return exp_decay(t, ctx);
}

static gsl_root_fsolver *solver(void)
{
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    cr_assert_not_null(s);
    return s;
}

/* The crossing is within the documented 1e-7 months, and not before the
 * true crossing (the result is a time at which g has fallen). */
static void assert_crossing(double got, double want, const char *what)
{
    cr_assert(got >= want - 1e-12 && got - want <= 1e-7, "%s: got %.15f, want %.15f", what, got,
              want);
}

Test(events, first_crossing_analytic)
{
    gsl_root_fsolver *s = solver();
    double t = mnd_first_crossing(s, exp_decay, NULL, 0.5, 0.0, 100.0, MND_NO_GUESS);
    cr_assert(fabs(t - M_LN2) < 1e-6, "exp(-t) = 0.5 at %.12f, want ln 2", t);
    assert_crossing(t, M_LN2, "exp(-t) = 0.5");
    cr_assert_leq(exp(-t), 0.5, "g has fallen to the level at the returned time");

    assert_crossing(mnd_first_crossing(s, exp_decay, NULL, 1e-3, 0.0, 1200.0, MND_NO_GUESS), log(1e3),
                    "exp(-t) = 1e-3 on a wide bracket");
    assert_crossing(mnd_first_crossing(s, linear_down, NULL, 3.0, 0.0, 50.0, MND_NO_GUESS), 14.0, "linear");

    double t0 = 37.25;
    assert_crossing(mnd_first_crossing(s, delayed_decay, &t0, 0.3, 0.0, 1200.0, MND_NO_GUESS),
                    t0 + log(1.0 / 0.3), "flat start");
    assert_crossing(mnd_first_crossing(s, step_down, &t0, 0.5, 0.0, 1200.0, MND_NO_GUESS), t0, "step");
    gsl_root_fsolver_free(s);
}

/* g reaching the level and staying there has crossed it where the
 * plateau starts, wherever the search first lands on it. */
Test(events, first_crossing_of_a_plateau_at_the_level_is_its_start)
{
    gsl_root_fsolver *s = solver();
    const mnd_bracket guesses[] = {MND_NO_GUESS, {6.0, 7.0}, {4.0, 9.0}, {0.0, 12.0}};
    for (size_t i = 0; i < sizeof guesses / sizeof guesses[0]; i++)
        assert_crossing(mnd_first_crossing(s, plateau, NULL, 5.0, 0.0, 12.0, guesses[i]), 5.0,
                        "plateau");
    gsl_root_fsolver_free(s);
}

Test(events, first_crossing_bounds)
{
    gsl_root_fsolver *s = solver();
    /* already at or below the level at t_lo: t_lo */
    cr_assert_eq(mnd_first_crossing(s, exp_decay, NULL, 0.5, 1.0, 10.0, MND_NO_GUESS), 1.0);
    cr_assert_eq(mnd_first_crossing(s, exp_decay, NULL, 1.0, 0.0, 10.0, MND_NO_GUESS), 0.0, "g(t_lo) == level");
    cr_assert_eq(mnd_first_crossing(s, linear_down, NULL, 3.0, 20.0, 30.0, MND_NO_GUESS), 20.0);
    /* never reaches the level by t_hi: +infinity */
    double t = mnd_first_crossing(s, exp_decay, NULL, 1e-6, 0.0, 10.0, MND_NO_GUESS);
    cr_assert(isinf(t) && t > 0, "got %g", t);
    t = mnd_first_crossing(s, exp_decay, NULL, -1.0, 0.0, 1e3, MND_NO_GUESS);
    cr_assert(isinf(t) && t > 0, "negative level, got %g", t);
    /* reaches it exactly at t_hi: t_hi */
    assert_crossing(mnd_first_crossing(s, linear_down, NULL, 5.0, 0.0, 10.0, MND_NO_GUESS), 10.0, "at t_hi");
    gsl_root_fsolver_free(s);
}

/* A guess directs the search and changes nothing found: right, too early,
 * too late, empty or outside [t_lo, t_hi], the crossing is the one found
 * without it, to the tolerance; the early exits still give t_lo and
 * INFINITY. */
Test(events, first_crossing_guess_changes_nothing_found)
{
    gsl_root_fsolver *s = solver();
    double t0 = 37.25, want = t0 + log(1.0 / 0.3);
    const mnd_bracket guesses[] = {{40.0, 39.0}, {38.0, 40.0}, {0.0, 5.0},   {50.0, 60.0},
                                   {-9.0, 2e3},  {39.0, 39.0}, {t0, want}, {-INFINITY, 20.0}};
    for (size_t i = 0; i < sizeof guesses / sizeof guesses[0]; i++) {
        assert_crossing(mnd_first_crossing(s, delayed_decay, &t0, 0.3, 0.0, 1200.0, guesses[i]),
                        want, "flat start, guessed");
        assert_crossing(mnd_first_crossing(s, step_down, &t0, 0.5, 0.0, 1200.0, guesses[i]), t0,
                        "step, guessed");
        cr_assert_eq(mnd_first_crossing(s, delayed_decay, &t0, 1.0, 3.0, 1200.0, guesses[i]), 3.0,
                     "at t_lo already");
        cr_assert(isinf(mnd_first_crossing(s, delayed_decay, &t0, 0.3, 0.0, 38.0, guesses[i])),
                  "no crossing by t_hi");
    }
    gsl_root_fsolver_free(s);
}

/* A right guess saves evaluations: a tight bracket around the crossing of
 * exp(-t) needs fewer than the search over [0, 1200]. */
Test(events, first_crossing_right_guess_is_cheaper)
{
    gsl_root_fsolver *s = solver();
    calls = 0;
    mnd_first_crossing(s, counting_exp, NULL, 1e-3, 0.0, 1200.0, MND_NO_GUESS);
    int unguessed = calls;
    calls = 0;
    assert_crossing(mnd_first_crossing(s, counting_exp, NULL, 1e-3, 0.0, 1200.0,
                                       (mnd_bracket){6.0, 8.0}),
                    log(1e3), "guessed");
    cr_assert_lt(calls, unguessed, "%d evaluations with the guess, %d without", calls, unguessed);
    gsl_root_fsolver_free(s);
}

/* The early exits do not call the solver: two evaluations at most. */
Test(events, first_crossing_early_exits)
{
    gsl_root_fsolver *s = solver();
    calls = 0;
    cr_assert_eq(mnd_first_crossing(s, counting_exp, NULL, 2.0, 0.0, 10.0, MND_NO_GUESS), 0.0);
    cr_assert_eq(calls, 1);
    calls = 0;
    cr_assert(isinf(mnd_first_crossing(s, counting_exp, NULL, 1e-9, 0.0, 10.0, MND_NO_GUESS)));
    cr_assert_eq(calls, 2);
    gsl_root_fsolver_free(s);
}

/* ------------------------------------------------------------- sampling */

typedef struct {
    mnd_covariates c;
    mnd_course k;
    mnd_events ev;
} sampled;

/* Patient i: covariates and course from their own streams, events from
 * the events stream, as the simulator does. */
static void sample_patient(const mnd_params *p, gsl_rng *r, gsl_root_fsolver *s, int64_t i,
                           double t_admin_end, sampled *out)
{
    memset(out, 0, sizeof *out);
    gsl_rng_set(r, mnd_rng_key(p->seed, MND_STREAM_COHORT, 0, (uint64_t)i, 0));
    mnd_cohort_sample(r, p, &out->c);
    gsl_rng_set(r, mnd_rng_key(p->seed, MND_STREAM_NEURONS, 0, (uint64_t)i, 0));
    mnd_course_sample(r, p, &out->c, &out->k);
    gsl_rng_set(r, mnd_rng_key(p->seed, MND_STREAM_EVENTS, 0, (uint64_t)i, 0));
    mnd_events_sample(r, s, p, &out->c, &out->k, t_admin_end, &out->ev);
}

/* Invariants of one event record. */
static void check_record(const mnd_params *p, const sampled *x, double t_admin_end, int64_t i)
{
    const mnd_events *ev = &x->ev;
    const double times[4] = {ev->t_gastrostomy, ev->t_niv, ev->t_respiratory_failure,
                             ev->t_tracheostomy};
    cr_assert(ev->t_end <= t_admin_end, "patient %lld: t_end after the end", (long long)i);
    for (int j = 0; j < 4; j++)
        cr_assert(isnan(times[j]) || (times[j] >= 0.0 && times[j] <= ev->t_end),
                  "patient %lld: event %d at %g outside [0, t_end = %g]", (long long)i, j,
                  times[j], ev->t_end);
    cr_assert(ev->death_ventilation >= 0.01 && ev->death_ventilation <= 0.95);

    if (ev->end_cause == MND_END_CENSORED) {
        cr_assert(isnan(ev->t_death), "patient %lld: censored with a death time", (long long)i);
        cr_assert_eq(ev->t_end, t_admin_end);
    } else {
        cr_assert(isfinite(ev->t_death), "patient %lld: died without a death time", (long long)i);
        cr_assert_eq(ev->t_death, ev->t_end, "patient %lld", (long long)i);
        cr_assert(ev->t_death <= t_admin_end);
    }
    switch (ev->end_cause) {
    case MND_END_CENSORED:
    case MND_END_BACKGROUND:
        break;
    case MND_END_RESPIRATORY:
        /* ventilatory failure reached (possibly later on NIV), no tracheostomy */
        cr_assert(!isnan(ev->t_respiratory_failure), "patient %lld: respiratory death without "
                  "respiratory failure", (long long)i);
        cr_assert(isnan(ev->t_tracheostomy));
        break;
    case MND_END_TRACHEOSTOMY:
        cr_assert(!isnan(ev->t_tracheostomy), "patient %lld", (long long)i);
        cr_assert(!isnan(ev->t_respiratory_failure));
        break;
    case MND_END_PROCEDURE:
        cr_assert(!isnan(ev->t_gastrostomy), "patient %lld", (long long)i);
        cr_assert(ev->t_death - ev->t_gastrostomy <= MONTHS_30_DAYS + 1e-12);
        break;
    default:
        cr_assert_fail("patient %lld: end cause %d", (long long)i, (int)ev->end_cause);
    }
    if (!isnan(ev->t_gastrostomy))
        cr_assert_geq(ev->t_gastrostomy, x->c.t_diagnosis, "gastrostomy before diagnosis");
    if (!isnan(ev->t_niv)) {
        cr_assert_geq(ev->t_niv, x->c.t_diagnosis, "NIV before diagnosis");
        if (!isnan(ev->t_respiratory_failure))
            cr_assert_lt(ev->t_niv, ev->t_respiratory_failure, "NIV after respiratory failure");
    }
    if (!isnan(ev->t_tracheostomy))
        cr_assert_geq(ev->t_tracheostomy, ev->t_respiratory_failure);
    if (!isnan(ev->t_respiratory_failure)) {
        /* the crossing is where the ventilation index reaches the threshold */
        double v = mnd_ventilation(p, &x->k, ev->t_respiratory_failure);
        double v_before = mnd_ventilation(p, &x->k, ev->t_respiratory_failure - 1e-6);
        cr_assert(v <= ev->death_ventilation && v_before > ev->death_ventilation,
                  "patient %lld: ventilation %.9f at failure, %.9f just before, threshold %.9f",
                  (long long)i, v, v_before, ev->death_ventilation);
    }
}

Test(events, records_are_consistent)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.tracheostomy_share = 0.3; /* enough of every end cause */
    p.gastrostomy_mortality_30d = 0.2;
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_root_fsolver *s = solver();
    static const double ends[3] = {24.0, 60.0, 1200.0};
    int causes[MND_END_COUNT] = {0}, n_gastro = 0, n_niv = 0, n_trach = 0, n_rf = 0;
    for (int e = 0; e < 3; e++)
        for (int64_t i = 0; i < 3000; i++) {
            sampled x;
            sample_patient(&p, r, s, i, ends[e], &x);
            check_record(&p, &x, ends[e], i);
            causes[x.ev.end_cause]++;
            n_gastro += !isnan(x.ev.t_gastrostomy);
            n_niv += !isnan(x.ev.t_niv);
            n_trach += !isnan(x.ev.t_tracheostomy);
            n_rf += !isnan(x.ev.t_respiratory_failure);
        }
    for (int k = 0; k < MND_END_COUNT; k++)
        if (k != MND_END_ADVERSE_EVENT) /* needs an intervention: test_treatment.c */
            cr_assert_gt(causes[k], 0, "end cause %s never seen", mnd_end_cause_names[k]);
    cr_assert_gt(n_gastro, 0);
    cr_assert_gt(n_niv, 0);
    cr_assert_gt(n_trach, 0);
    cr_assert_gt(n_rf, 0);
    gsl_root_fsolver_free(s);
    gsl_rng_free(r);
}

/* The record does not depend on the admin end except through truncation:
 * an event before both ends has the same time. */
Test(events, admin_end_only_truncates)
{
    mnd_params p;
    mnd_config_defaults(&p);
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_root_fsolver *s = solver();
    for (int64_t i = 0; i < 1000; i++) {
        sampled a, b;
        sample_patient(&p, r, s, i, 30.0, &a);
        sample_patient(&p, r, s, i, 1200.0, &b);
        const double ta[4] = {a.ev.t_gastrostomy, a.ev.t_niv, a.ev.t_respiratory_failure,
                              a.ev.t_tracheostomy};
        const double tb[4] = {b.ev.t_gastrostomy, b.ev.t_niv, b.ev.t_respiratory_failure,
                              b.ev.t_tracheostomy};
        for (int j = 0; j < 4; j++) {
            if (!isnan(ta[j]))
                cr_assert_eq(ta[j], tb[j], "patient %lld event %d", (long long)i, j);
            else if (!isnan(tb[j]))
                cr_assert_gt(tb[j], 30.0, "patient %lld event %d", (long long)i, j);
        }
        if (!isnan(a.ev.t_death))
            cr_assert_eq(a.ev.t_death, b.ev.t_death);
        else if (!isnan(b.ev.t_death))
            cr_assert_gt(b.ev.t_death, 30.0);
        cr_assert_eq(a.ev.death_ventilation, b.ev.death_ventilation);
    }
    gsl_root_fsolver_free(s);
    gsl_rng_free(r);
}

/* mnd_events_surely_after never says "goes on" when the record drawn from
 * the same stream has ended by t, at times spread over each record and
 * packed around its end (just before and after it, where the answer
 * turns); it does answer most questions where the record goes on, with
 * procedure deaths made common so that the gastrostomy check matters too. */
Test(events, surely_after_never_wrong)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.gastrostomy_mortality_30d = 0.5;
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_root_fsolver *s = solver();
    const double t_admin_end = 60.0;
    int64_t asked = 0, said = 0, alive = 0;
    for (int64_t i = 0; i < 2000; i++) {
        sampled x;
        sample_patient(&p, r, s, i, t_admin_end, &x);
        double end = x.ev.t_end, ts[16];
        for (int j = 0; j < 10; j++)
            ts[j] = end * (double)j / 9.0;
        const double near[6] = {-1e-3, -1e-6, -1e-9, 0.0, 1e-9, 1e-3};
        for (int j = 0; j < 6; j++)
            ts[10 + j] = end + near[j];
        for (int j = 0; j < 16; j++) {
            gsl_rng_set(r, mnd_rng_key(p.seed, MND_STREAM_EVENTS, 0, (uint64_t)i, 0));
            bool sure = mnd_events_surely_after(r, &p, &x.c, &x.k, t_admin_end, ts[j]);
            cr_assert(!sure || ts[j] < end, "patient %lld: sure at %.12f, record ends at %.12f",
                      (long long)i, ts[j], end);
            asked++;
            said += sure;
            alive += ts[j] < end;
        }
    }
    cr_assert_gt(said, 0.8 * (double)alive, "sure of %lld of %lld times before the end (%lld asked)",
                 (long long)said, (long long)alive, (long long)asked);
    gsl_root_fsolver_free(s);
    gsl_rng_free(r);
}

/* Uptake 0 (or share 0) switches each event off. */
Test(events, switched_off_events_never_happen)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.gastrostomy_uptake = 0.0;
    p.niv_uptake = 0.0;
    p.tracheostomy_share = 0.0;
    p.gastrostomy_mortality_30d = 1.0;
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_root_fsolver *s = solver();
    int n_rf = 0;
    for (int64_t i = 0; i < 4000; i++) {
        sampled x;
        sample_patient(&p, r, s, i, 1200.0, &x);
        check_record(&p, &x, 1200.0, i);
        cr_assert(isnan(x.ev.t_gastrostomy), "patient %lld: gastrostomy", (long long)i);
        cr_assert(isnan(x.ev.t_niv), "patient %lld: NIV", (long long)i);
        cr_assert(isnan(x.ev.t_tracheostomy), "patient %lld: tracheostomy", (long long)i);
        cr_assert_neq(x.ev.end_cause, MND_END_PROCEDURE);
        cr_assert_neq(x.ev.end_cause, MND_END_TRACHEOSTOMY);
        /* without NIV or tracheostomy a respiratory death is at failure */
        if (x.ev.end_cause == MND_END_RESPIRATORY)
            cr_assert_eq(x.ev.t_death, x.ev.t_respiratory_failure);
        n_rf += !isnan(x.ev.t_respiratory_failure);
    }
    cr_assert_gt(n_rf, 1000, "respiratory failure still happens");

    /* and uptake 1 switches them on for (nearly) everyone who lives long enough */
    p.gastrostomy_uptake = 1.0;
    p.niv_uptake = 1.0;
    p.tracheostomy_share = 1.0;
    p.gastrostomy_mortality_30d = 0.0;
    int n_g = 0, n_n = 0, n_t = 0, n_resp = 0;
    for (int64_t i = 0; i < 4000; i++) {
        sampled x;
        sample_patient(&p, r, s, i, 1200.0, &x);
        check_record(&p, &x, 1200.0, i);
        n_g += !isnan(x.ev.t_gastrostomy);
        n_n += !isnan(x.ev.t_niv);
        n_t += !isnan(x.ev.t_tracheostomy);
        n_resp += x.ev.end_cause == MND_END_RESPIRATORY;
        if (!isnan(x.ev.t_respiratory_failure) && x.ev.end_cause != MND_END_BACKGROUND
            && x.ev.end_cause != MND_END_CENSORED)
            cr_assert(!isnan(x.ev.t_tracheostomy), "patient %lld: failure without tracheostomy",
                      (long long)i);
    }
    cr_assert_gt(n_g, 1000);
    cr_assert_gt(n_n, 1000);
    cr_assert_gt(n_t, 1000);
    cr_assert_eq(n_resp, 0, "share 1: every respiratory death is on invasive ventilation");
    gsl_root_fsolver_free(s);
    gsl_rng_free(r);
}

/* Uptake 1 and 30-day mortality 1: every gastrostomy is followed by death
 * within 30 days. */
Test(events, procedure_mortality_one)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.gastrostomy_uptake = 1.0;
    p.gastrostomy_mortality_30d = 1.0;
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_root_fsolver *s = solver();
    int n_g = 0, n_proc = 0;
    for (int64_t i = 0; i < 4000; i++) {
        sampled x;
        sample_patient(&p, r, s, i, 1e5, &x);
        check_record(&p, &x, 1e5, i);
        if (isnan(x.ev.t_gastrostomy)) {
            cr_assert_neq(x.ev.end_cause, MND_END_PROCEDURE);
            continue;
        }
        n_g++;
        n_proc += x.ev.end_cause == MND_END_PROCEDURE;
        cr_assert(isfinite(x.ev.t_death), "patient %lld survived a gastrostomy", (long long)i);
        double gap = x.ev.t_death - x.ev.t_gastrostomy;
        cr_assert(gap >= 0.0 && gap <= MONTHS_30_DAYS, "patient %lld: death %.4f months after "
                  "gastrostomy", (long long)i, gap);
    }
    cr_assert_gt(n_g, 1000);
    cr_assert_gt(n_proc, n_g / 2);
    gsl_root_fsolver_free(s);
    gsl_rng_free(r);
}

/* A course that never fails: only background deaths, with the Gompertz
 * survival S(t) = exp(-(A/b) e^{b a} (e^{b t} - 1)) from age a, whose
 * median is t = ln(1 + (b/A) e^{-b a} ln 2) / b years. */
static void check_background(const mnd_params *p, int male, double age, uint64_t seed)
{
    enum { N = 20000 };
    static double t[N];
    mnd_covariates c;
    memset(&c, 0, sizeof c);
    c.male = (int8_t)male;
    c.age_onset_years = age;
    c.t_diagnosis = c.t_enrolment = 10.0;
    c.fvc_predicted_baseline = 100.0;
    mnd_course k;
    memset(&k, 0, sizeof k); /* all rates 0: pools never lose neurons */

    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_rng_set(r, seed);
    gsl_root_fsolver *s = solver();
    const double end = 1e6; /* nobody is censored */
    for (int i = 0; i < N; i++) {
        mnd_events ev;
        mnd_events_sample(r, s, p, &c, &k, end, &ev);
        cr_assert_eq(ev.end_cause, MND_END_BACKGROUND, "draw %d: end cause %d", i,
                     (int)ev.end_cause);
        cr_assert(isnan(ev.t_gastrostomy) && isnan(ev.t_niv) && isnan(ev.t_respiratory_failure)
                  && isnan(ev.t_tracheostomy));
        cr_assert(ev.t_death > 0.0 && ev.t_death == ev.t_end);
        t[i] = ev.t_death / 12.0; /* years */
    }
    gsl_root_fsolver_free(s);
    gsl_rng_free(r);

    double A = male ? p->gompertz_a_male_per_year : p->gompertz_a_female_per_year;
    double b = p->gompertz_rate_per_year;
    double median = log(1.0 + b / A * exp(-b * age) * M_LN2) / b;
    /* share dead by the closed-form median: 1/2 within 4 binomial SE */
    int below = 0;
    for (int i = 0; i < N; i++)
        below += t[i] <= median;
    double share = (double)below / N;
    cr_assert_lt(fabs(share - 0.5), 4.0 * 0.5 / sqrt(N), "share dead by the median %.4f", share);
    /* empirical median within 4 SE: SE = 1 / (2 f(m) sqrt(N)), f(m) = h(m) / 2 */
    double f = A * exp(b * (age + median)) * 0.5;
    double se = 1.0 / (2.0 * f * sqrt((double)N));
    /* the sample median by selection: count-based bisection on the data */
    double lo = 0.0, hi = 200.0;
    for (int it = 0; it < 100; it++) {
        double mid = 0.5 * (lo + hi);
        int n_le = 0;
        for (int i = 0; i < N; i++)
            n_le += t[i] <= mid;
        if (n_le >= N / 2)
            hi = mid;
        else
            lo = mid;
    }
    cr_assert_lt(fabs(hi - median), 4.0 * se, "age %.0f %s: median %.4f years, Gompertz %.4f "
                 "(SE %.4f)", age, male ? "male" : "female", hi, median, se);
}

Test(events, background_deaths_follow_gompertz)
{
    mnd_params p;
    mnd_config_defaults(&p);
    check_background(&p, 1, 63.0, 5);
    check_background(&p, 0, 45.0, 6);
    check_background(&p, 1, 80.0, 7);
}

/* Women and men differ by the Gompertz level only: same draws, women live
 * longer. */
Test(events, background_sex_difference)
{
    mnd_params p;
    mnd_config_defaults(&p);
    mnd_covariates c;
    memset(&c, 0, sizeof c);
    c.age_onset_years = 60.0;
    c.t_diagnosis = 10.0;
    c.fvc_predicted_baseline = 100.0;
    mnd_course k;
    memset(&k, 0, sizeof k);
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_root_fsolver *s = solver();
    for (uint64_t seed = 1; seed <= 100; seed++) {
        mnd_events m, w;
        c.male = 1;
        gsl_rng_set(r, seed);
        mnd_events_sample(r, s, &p, &c, &k, 1e6, &m);
        c.male = 0;
        gsl_rng_set(r, seed);
        mnd_events_sample(r, s, &p, &c, &k, 1e6, &w);
        cr_assert_gt(w.t_death, m.t_death);
    }
    gsl_root_fsolver_free(s);
    gsl_rng_free(r);
}

/* A fixed number of draws: the generator ends in the same state whatever
 * the parameters and course. */
Test(events, fixed_number_of_draws)
{
    mnd_params p, q;
    mnd_config_defaults(&p);
    mnd_config_defaults(&q);
    q.gastrostomy_uptake = 1.0;
    q.niv_uptake = 1.0;
    q.tracheostomy_share = 1.0;
    gsl_rng *a = gsl_rng_alloc(mnd_rng_xoshiro256pp), *b = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_root_fsolver *s = solver();
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    for (int64_t i = 0; i < 200; i++) {
        mnd_covariates c;
        mnd_course k, k0;
        gsl_rng_set(r, mnd_rng_key(1, MND_STREAM_COHORT, 0, (uint64_t)i, 0));
        mnd_cohort_sample(r, &p, &c);
        mnd_course_sample(r, &p, &c, &k);
        memset(&k0, 0, sizeof k0);
        mnd_events e1, e2;
        gsl_rng_set(a, (unsigned long)i);
        gsl_rng_set(b, (unsigned long)i);
        mnd_events_sample(a, s, &p, &c, &k, 60.0, &e1);
        mnd_events_sample(b, s, &q, &c, &k0, 1200.0, &e2);
        cr_assert_eq(memcmp(gsl_rng_state(a), gsl_rng_state(b), gsl_rng_size(a)), 0,
                     "patient %lld: different draw counts", (long long)i);
    }
    gsl_rng_free(r);
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_root_fsolver_free(s);
}
