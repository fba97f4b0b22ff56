/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * events.c — clinical events and survival.
 *
 * Design.  Events are thresholds crossed by the (closed-form, non-increasing)
 * functions of the course, found to 1e-7 months by GSL's Brent solver,
 * which starts on a bracket read off the pools (course.c: a few months
 * wide instead of the 100 years searched otherwise, which halves the
 * evaluations of the course) and leaves it if the function says so; once
 * Brent's estimate settles, one evaluation next to it closes the bracket
 * (probe_estimate: the kernel 2-3 % faster than iterating on):
 *   - gastrostomy when the expected swallowing item falls to
 *     gastrostomy_item_threshold (accepted by gastrostomy_uptake; 30-day
 *     procedure mortality, ProGas 2015);
 *   - NIV when expected FVC falls below niv_fvc_threshold_percent (accepted
 *     by niv_uptake), never before diagnosis;
 *   - respiratory failure when the ventilation index falls to an individual
 *     threshold (death_ventilation ~ normal, clipped);
 *   - NIV moves death from respiratory failure later by a random gain whose
 *     median depends on bulbar function at NIV start (Bourke 2006: +205 days
 *     with good bulbar function, little with poor);
 *   - at ventilatory failure a share choose tracheostomy with invasive
 *     ventilation and live a further exponential time (median: Chiò 2010);
 *   - background death from a Gompertz hazard a_sex exp(b age), sampled in
 *     closed form from the age at onset (national life tables).
 * Treatment acts through the course (its functions are those of the treated
 * pools; grafts can make them jump up, so crossings are then sought segment
 * by segment) and through the disease-death clock (treatment.h), which
 * moves respiratory failure, tracheostomy and respiratory death later.
 * The composite "death, tracheostomy or permanent NIV" of trial endpoints is
 * the respiratory-failure time t_respiratory_failure, or death if earlier.
 * Draws: always the same nine variates in the same order.
 * mnd_events_surely_after answers "does the record go on after t?" from
 * the same draws and one or two evaluations of the course at t, without
 * the searches: sim.c asks it before giving interventions, so that a
 * treated patient's events are drawn once, on the treated course.
 */
#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include "mndsim/disease.h"
#include "mndsim/events.h"
#include "mndsim/treatment.h"

/* g shifted to the level, with its values at the two ends of the bracket
 * kept (gsl_root_fsolver_set evaluates there again) and the last point
 * evaluated otherwise, which after an iteration is Brent's estimate. */
typedef struct {
    mnd_decreasing_fn g;
    void *ctx;
    double level;
    double t_end[2], g_end[2];
    double t_last, g_last;
} crossing_ctx;

/* g(t) - level, but never 0: g at the level has crossed it, so that on a
 * plateau at the level (a piecewise-constant g: the expected total with
 * every item saturated) Brent closes in on the plateau's start, the first
 * crossing, instead of stopping wherever it lands on it. */
static double above_level(double g, double level)
{
    return g > level ? g - level : g < level ? g - level : -DBL_MIN;
}

static double shifted(double t, void *vctx)
{
    crossing_ctx *c = vctx;
    for (int i = 0; i < 2; i++)
        if (t == c->t_end[i])
            return above_level(c->g_end[i], c->level);
    c->t_last = t;
    c->g_last = c->g(t, c->ctx);
    return above_level(c->g_last, c->level);
}

#define TOLERANCE_MONTHS 1e-7 /* width of the final bracket */
#define SETTLED_MONTHS 1e-4   /* a step of Brent's estimate below which it is probed */

/* Brent's estimate b converges faster than its bracket [lo, hi] closes:
 * it is typically right to 1e-11 two to four iterations before the
 * bracket is 1e-7 wide.  So once b moved less than SETTLED_MONTHS, one
 * evaluation half the tolerance away from b, on the side the crossing
 * must be, closes a bracket of half the tolerance; returns its upper end
 * (g <= level there), or NAN when the crossing is not there (Brent goes
 * on).  g(b) is c->g_last. */
static double probe_estimate(const crossing_ctx *c, double b, double lo, double hi)
{
    const double half = 0.5 * TOLERANCE_MONTHS;
    if (c->g_last <= c->level) /* b is the upper end: is the crossing within half below? */
        return b - half <= lo || c->g(b - half, c->ctx) > c->level ? b : NAN;
    if (b + half >= hi) /* b is the lower end */
        return hi;
    return c->g(b + half, c->ctx) <= c->level ? b + half : NAN;
}

double mnd_first_crossing(gsl_root_fsolver *s, mnd_decreasing_fn g, void *ctx, double level,
                          double t_lo, double t_hi, mnd_bracket guess)
{
    double lo = fmax(t_lo, guess.lo), hi = fmin(t_hi, guess.hi);
    if (!(lo <= hi))
        lo = t_lo, hi = t_hi;
    double g_lo = g(lo, ctx), g_hi;
    if (g_lo <= level) { /* the crossing is at or before lo */
        if (lo == t_lo)
            return t_lo;
        hi = lo, g_hi = g_lo;
        lo = t_lo, g_lo = g(lo, ctx);
        if (g_lo <= level)
            return t_lo;
    } else if ((g_hi = g(hi, ctx)) > level) { /* after hi, if at all */
        if (hi == t_hi)
            return INFINITY;
        lo = hi, g_lo = g_hi;
        hi = t_hi, g_hi = g(hi, ctx);
        if (g_hi > level)
            return INFINITY;
    }
    crossing_ctx c = {g, ctx, level, {lo, hi}, {g_lo, g_hi}, NAN, NAN};
    gsl_function f = {&shifted, &c};
    gsl_root_fsolver_set(s, &f, lo, hi);
    double previous = NAN;
    for (int iter = 0; iter < 200; iter++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            break;
        lo = gsl_root_fsolver_x_lower(s);
        hi = gsl_root_fsolver_x_upper(s);
        if (hi - lo < TOLERANCE_MONTHS) /* gsl_root_test_interval with epsrel 0, inline */
            break;
        double b = gsl_root_fsolver_root(s), t;
        if (fabs(b - previous) < SETTLED_MONTHS && b == c.t_last
            && !isnan(t = probe_estimate(&c, b, lo, hi)))
            return t;
        previous = b;
    }
    return hi; /* g(hi) <= level: the crossing has happened by hi */
}

typedef struct {
    const mnd_params *p;
    const mnd_course *k;
} course_ctx;

double mnd_course_crossing(gsl_root_fsolver *s, const mnd_course *k, mnd_decreasing_fn g,
                           void *ctx, double level, double t_lo, double t_hi, mnd_bracket guess)
{
    if (k->tx == NULL || !k->tx->has_grafts)
        return mnd_first_crossing(s, g, ctx, level, t_lo, t_hi, guess);
    double lo = t_lo;
    for (int j = 0; j < k->tx->n_seg && lo < t_hi; j++) {
        double hi = k->tx->seg[j].t0;
        if (hi <= lo)
            continue;
        /* g(hi) already includes a graft integrating at hi: search up to the
         * last double before it, else a crossing just before the jump is
         * missed (g(hi) > level reads as "no crossing in [lo, hi]") */
        double t = mnd_first_crossing(s, g, ctx, level, lo, fmin(nextafter(hi, -INFINITY), t_hi),
                                      MND_NO_GUESS);
        if (isfinite(t))
            return t;
        lo = hi;
    }
    return lo < t_hi ? mnd_first_crossing(s, g, ctx, level, lo, t_hi, MND_NO_GUESS) : INFINITY;
}

static double ventilation_at(double t, void *vctx)
{
    const course_ctx *c = vctx;
    return mnd_ventilation(c->p, c->k, t);
}

static double bulbar_at(double t, void *vctx)
{
    const course_ctx *c = vctx;
    return mnd_region_function(c->p, c->k, MND_REGION_BULBAR, t);
}

/* Exponential variate with the given median from one standard exponential. */
static double with_median(double median, double standard_exponential)
{
    return median * standard_exponential / M_LN2;
}

#define HORIZON_MONTHS 1200.0 /* no crossing is sought beyond 100 years */
#define MONTH_30_DAYS (30.0 / 30.4375)

/* The nine variates of a patient's events, always drawn in this order. */
typedef struct {
    double theta; /* ventilation at respiratory failure, clipped */
    double e_background, u_gastrostomy, u_procedure, u_procedure_time, u_niv, e_niv_gain;
    double u_tracheostomy, e_tracheostomy;
} event_draws;

static event_draws draw_events(gsl_rng *r, const mnd_params *p)
{
    event_draws d;
    d.theta = p->death_ventilation_mean + gsl_ran_gaussian_ziggurat(r, p->death_ventilation_sd);
    d.e_background = gsl_ran_exponential(r, 1.0);
    d.u_gastrostomy = gsl_rng_uniform(r);
    d.u_procedure = gsl_rng_uniform(r);
    d.u_procedure_time = gsl_rng_uniform(r);
    d.u_niv = gsl_rng_uniform(r);
    d.e_niv_gain = gsl_ran_exponential(r, 1.0);
    d.u_tracheostomy = gsl_rng_uniform(r);
    d.e_tracheostomy = gsl_ran_exponential(r, 1.0);
    d.theta = fmin(fmax(d.theta, 0.01), 0.95);
    return d;
}

/* Background mortality: S(t) = exp(-(a/b)(e^{b(age+t)} - e^{b age})),
 * sampled in closed form from a standard exponential. */
static double background_death(const mnd_params *p, const mnd_covariates *c, double e_background)
{
    double b = p->gompertz_rate_per_year;
    double a = c->male ? p->gompertz_a_male_per_year : p->gompertz_a_female_per_year;
    return 12.0 * log1p(b / a * exp(-b * c->age_onset_years) * e_background) / b;
}

/* Gastrostomy: the bulbar function at which the expected swallowing item
 * reaches the threshold. */
static double gastrostomy_bulbar_level(const mnd_params *p)
{
    const int sw = MND_ITEM_SWALLOWING;
    return p->item_lo[sw] + (p->item_hi[sw] - p->item_lo[sw]) * p->gastrostomy_item_threshold / 4.0;
}

/* Whether a gastrostomy is sought: accepted under standard care, or
 * offered by a treatment from offered_g on. */
static bool gastrostomy_sought(const mnd_params *p, const event_draws *d, double offered_g)
{
    return d->u_gastrostomy < p->gastrostomy_uptake || isfinite(offered_g);
}

/* Whether the gastrostomy is placed (if its time comes) and kills within
 * 30 days. */
static bool procedure_may_kill(const mnd_params *p, const event_draws *d, double offered_g)
{
    return gastrostomy_sought(p, d, offered_g) && d->u_procedure < p->gastrostomy_mortality_30d;
}

void mnd_events_sample(gsl_rng *r, gsl_root_fsolver *s, const mnd_params *p,
                       const mnd_covariates *c, const mnd_course *k, double t_admin_end,
                       mnd_events *ev)
{
    const event_draws d = draw_events(r, p);
    course_ctx cc = {p, k};
    ev->death_ventilation = d.theta;
    double t_rf = mnd_course_crossing(s, k, ventilation_at, &cc, d.theta, 0.0, HORIZON_MONTHS,
                                      mnd_ventilation_bracket(p, k, d.theta));
    double t_background = background_death(p, c, d.e_background);

    double bulbar_level = gastrostomy_bulbar_level(p);
    double t_gastrostomy = INFINITY, t_procedure_death = INFINITY;
    double offered_g = k->tx ? k->tx->gastrostomy_offered_from : INFINITY;
    if (gastrostomy_sought(p, &d, offered_g)) {
        t_gastrostomy = fmax(mnd_course_crossing(s, k, bulbar_at, &cc, bulbar_level, 0.0,
                                                 HORIZON_MONTHS,
                                                 mnd_region_function_bracket(p, k, MND_REGION_BULBAR,
                                                                             bulbar_level)),
                             c->t_diagnosis);
        if (!(d.u_gastrostomy < p->gastrostomy_uptake) && !(t_gastrostomy >= offered_g))
            t_gastrostomy = INFINITY; /* declined under standard care, not yet offered */
        if (isfinite(t_gastrostomy) && procedure_may_kill(p, &d, offered_g))
            t_procedure_death = t_gastrostomy + d.u_procedure_time * MONTH_30_DAYS;
    }

    /* NIV: ventilation at which expected FVC reaches the threshold. */
    double v_niv = (p->niv_fvc_threshold_percent / c->fvc_predicted_baseline - p->fvc_floor_fraction)
                   / (1.0 - p->fvc_floor_fraction);
    double t_niv = INFINITY, t_ventilatory_failure = t_rf;
    double offered_n = k->tx ? k->tx->niv_offered_from : INFINITY;
    ev->niv_good_bulbar = -1;
    if (d.u_niv < p->niv_uptake || isfinite(offered_n)) {
        t_niv = fmax(mnd_course_crossing(s, k, ventilation_at, &cc, v_niv, 0.0, HORIZON_MONTHS,
                                         mnd_ventilation_bracket(p, k, v_niv)),
                     c->t_diagnosis);
        if (!(d.u_niv < p->niv_uptake) && !(t_niv >= offered_n))
            t_niv = INFINITY; /* declined under standard care, not yet offered */
        if (t_niv < t_rf) {
            int good = mnd_region_function(p, k, MND_REGION_BULBAR, t_niv) >= p->niv_good_bulbar_threshold;
            ev->niv_good_bulbar = (int8_t)good;
            t_ventilatory_failure = t_rf + with_median(good ? p->niv_gain_good_bulbar_months
                                                            : p->niv_gain_poor_bulbar_months,
                                                       d.e_niv_gain);
        } else {
            t_niv = INFINITY;
        }
    }

    double t_tracheostomy = INFINITY, t_respiratory_death = t_ventilatory_failure;
    double offered_t = k->tx ? k->tx->tracheostomy_offered_from : INFINITY;
    if ((d.u_tracheostomy < p->tracheostomy_share || t_ventilatory_failure >= offered_t)
        && isfinite(t_ventilatory_failure)) {
        t_tracheostomy = t_ventilatory_failure;
        t_respiratory_death = t_tracheostomy
                              + with_median(p->tracheostomy_survival_median_months, d.e_tracheostomy);
    }

    if (k->tx != NULL) { /* a death hazard ratio slows the disease-death clock */
        t_rf = mnd_treatment_death_time(k->tx, t_rf);
        t_tracheostomy = mnd_treatment_death_time(k->tx, t_tracheostomy);
        t_respiratory_death = mnd_treatment_death_time(k->tx, t_respiratory_death);
    }

    double t_death = t_respiratory_death;
    ev->end_cause = isfinite(t_tracheostomy) ? MND_END_TRACHEOSTOMY : MND_END_RESPIRATORY;
    if (t_background < t_death) {
        t_death = t_background;
        ev->end_cause = MND_END_BACKGROUND;
    }
    if (t_procedure_death < t_death) {
        t_death = t_procedure_death;
        ev->end_cause = MND_END_PROCEDURE;
    }
    if (!(t_death <= t_admin_end)) {
        ev->end_cause = MND_END_CENSORED;
        ev->t_end = t_admin_end;
        ev->t_death = NAN;
    } else {
        ev->t_end = t_death;
        ev->t_death = t_death;
    }

    double end = ev->t_end;
    ev->t_gastrostomy = t_gastrostomy <= end ? t_gastrostomy : NAN;
    ev->t_niv = t_niv <= end ? t_niv : NAN;
    if (isnan(ev->t_niv))
        ev->niv_good_bulbar = -1;
    ev->t_respiratory_failure = t_rf <= end ? t_rf : NAN;
    ev->t_tracheostomy = t_tracheostomy <= end ? t_tracheostomy : NAN;
}

bool mnd_events_surely_after(gsl_rng *r, const mnd_params *p, const mnd_covariates *c,
                             const mnd_course *k, double t_admin_end, double t)
{
    assert(k->tx == NULL);
    const event_draws d = draw_events(r, p);
    if (!(t < t_admin_end) || !(t < background_death(p, c, d.e_background)))
        return false;
    /* Each crossing below is of a non-increasing function, and the search
     * returns a time at which it has fallen to the level: a function still
     * above the level at t crosses after t.  Respiratory death comes at or
     * after respiratory failure, a procedure death after the gastrostomy. */
    if (procedure_may_kill(p, &d, INFINITY)
        && !(mnd_region_function(p, k, MND_REGION_BULBAR, t) > gastrostomy_bulbar_level(p)))
        return false;
    return mnd_ventilation(p, k, t) > d.theta;
}

void mnd_events_end_early(mnd_events *ev, double t, mnd_end_cause cause)
{
    if (!(t < ev->t_end))
        return;
    ev->t_end = ev->t_death = t;
    ev->end_cause = cause;
    double *times[] = {&ev->t_gastrostomy, &ev->t_niv, &ev->t_respiratory_failure,
                       &ev->t_tracheostomy};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++)
        if (*times[i] > t)
            *times[i] = NAN;
    if (isnan(ev->t_niv))
        ev->niv_good_bulbar = -1;
}
