/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * disease.h — the natural history of one patient: baseline covariates, the
 * motor-neuron pools, the function they support, and the measurements taken
 * at visits.  Deterministic functions of time are closed form; sampling
 * functions take the generator first and say which stream they expect.
 */
#ifndef MNDSIM_DISEASE_H
#define MNDSIM_DISEASE_H

#include <math.h>
#include <gsl/gsl_rng.h>
#include "mndsim/model.h"
#include "mndsim/patient.h"

/* --- cohort.c --- */

/* Draws the baseline covariates of one patient from stream
 * MND_STREAM_COHORT (identity fields are left to the caller).  A fixed
 * number of draws per call. */
void mnd_cohort_sample(gsl_rng *r, const mnd_params *p, mnd_covariates *c);

/* --- course.c --- */

/* Draws the course of the pools from stream MND_STREAM_NEURONS (always
 * seven normals: three spread delays, then four regional rate factors;
 * then, only with phase_sd_log > 0, the phases of the natural clock: one
 * uniform and ceil(MND_PHASE_HORIZON_MONTHS / phase_months) + 1 normals):
 * loss rates from the covariates and the regional factors, loss in the
 * onset region starting early enough that its function first falls at
 * t = 0, and spread along the region chain with random delays that shorten
 * with the progression rate; no other region's function falls before
 * t = 0. */
void mnd_course_sample(gsl_rng *r, const mnd_params *p, const mnd_covariates *c,
                       mnd_course *k);

/* The natural disease clock N(t) of course k at t (months since onset):
 * t itself for t <= 0 and without phases (n_phases = 0); else piecewise
 * linear, continuous and strictly increasing, with slope phase_speed[j] in
 * phase j and 1 after the last phase.  Exact closed form; pure. */
double mnd_course_clock(const mnd_course *k, double t);

/* Surviving fraction of pool (region, pool) at time t (months since onset):
 * exp(-rate * (N(t) - N(loss_start))) for t > loss_start, else 1, in (0, 1]
 * (N = mnd_course_clock; the treated course reads N at the treated clock). */
double mnd_course_fraction(const mnd_course *k, mnd_region region, mnd_pool pool, double t);

/* The time (months since onset) at which pool (region, pool) of the
 * untreated course k has `fraction` of its neurons left, fraction in
 * (0, 1]: loss_start for 1, the inverse of mnd_course_fraction below;
 * +INFINITY for a pool that loses nothing.  Exact closed form (the inverse
 * of the natural clock is piecewise linear too); pure. */
double mnd_course_pool_time(const mnd_course *k, mnd_region region, mnd_pool pool,
                            double fraction);

/* Until when (months since onset) the pools of course k are those of the
 * untreated course: +INFINITY untreated, or when no effect given reaches
 * the pools (a death hazard ratio, a symptomatic shift). */
double mnd_course_untreated_until(const mnd_course *k);

/* An interval [lo, hi] of time that probably holds a crossing: a guess that
 * directs a search (mnd_first_crossing) and moves what it finds by less
 * than its tolerance.  MND_NO_GUESS: nothing known. */
typedef struct {
    double lo, hi;
} mnd_bracket;

#define MND_NO_GUESS ((mnd_bracket){-INFINITY, INFINITY})

/* Where mnd_region_function(p, k, region, .) falls to `level`: bounds from
 * the region's LMN pool alone (the region function lies between its LMN
 * function x (1 - umn_function_weight) and its LMN function) and from the
 * first of its pools to reach the reserve.  Exact bounds for the untreated
 * course, and so for a treated one whose pools change after hi
 * (mnd_course_untreated_until); when they change before, lo still holds
 * for a treatment that only slows and hi is a guess from the treated
 * clock's mean speed since the change.  The same bracket
 * whenever the pools are the same, so an intervention without effect on
 * them changes no crossing found. */
mnd_bracket mnd_region_function_bracket(const mnd_params *p, const mnd_course *k,
                                        mnd_region region, double level);

/* Where mnd_ventilation(p, k, .) falls to `level`: the same bounds from the
 * thoracic LMN pool (the index lies between its LMN function x (1 -
 * umn_function_weight) x (1 - bulbar_ventilation_weight) and its LMN
 * function) and from the first of the thoracic and bulbar pools to reach
 * the reserve; treated courses as in mnd_region_function_bracket. */
mnd_bracket mnd_ventilation_bracket(const mnd_params *p, const mnd_course *k, double level);

/* Function of a pool given its surviving fraction: 1 above the reserve,
 * 0 below the floor, linear between. */
double mnd_pool_function(const mnd_params *p, double fraction);

/* Function of a region in [0, 1]: LMN function times the share of function
 * kept by the UMN pool (1 - umn_function_weight * (1 - UMN function)). */
double mnd_region_function(const mnd_params *p, const mnd_course *k, mnd_region region,
                           double t);

/* Ventilation index in [0, 1]: thoracic function, reduced by bulbar
 * weakness (1 - bulbar_ventilation_weight * (1 - bulbar function)). */
double mnd_ventilation(const mnd_params *p, const mnd_course *k, double t);

/* The state of every pool at time t, computed once per visit: surviving
 * fractions, region functions and the ventilation index. */
typedef struct {
    double fraction[MND_REGION_COUNT][MND_POOL_COUNT];
    double function[MND_REGION_COUNT];
    double ventilation;
} mnd_pool_state;

void mnd_pool_state_at(const mnd_params *p, const mnd_course *k, double t, mnd_pool_state *s);

/* --- function.c --- */

/* Expected (noise-free, real-valued) ALSFRS-R items at time t from the
 * pool state at t and the ventilatory support in effect then (from `ev`).
 * Items in [0, 4]. */
void mnd_items_expected(const mnd_params *p, const mnd_pool_state *s, const mnd_events *ev,
                        double t, double expected[MND_ITEM_COUNT]);

/* The total of expected items: their sum in item order, in [0, 48]. */
double mnd_items_expected_total(const double expected[MND_ITEM_COUNT]);

/* Sum of mnd_items_expected at t (mnd_items_expected_total), in [0, 48]. */
double mnd_total_expected(const mnd_params *p, const mnd_course *k, const mnd_events *ev,
                          double t);

/* Measured items: each expected item plus rater noise (SD item_noise_sd
 * scaled by the item's distance to the ends of the scale, so intact and
 * lost items are rated without error), rounded and clamped to 0..4.  Item
 * 12 is a status and carries no noise.  Draws exactly MND_ITEM_COUNT - 1
 * normals from stream MND_STREAM_MEASUREMENT. */
void mnd_items_measure(gsl_rng *r, const mnd_params *p,
                       const double expected[MND_ITEM_COUNT], int8_t items[MND_ITEM_COUNT]);

/* Expected FVC (% predicted) at ventilation index v. */
double mnd_fvc_expected(const mnd_params *p, double fvc_predicted_baseline, double v);

/* King's stage 1..4 from measured items (Balendra 2014 algorithm of Roche
 * 2012): regions involved, 4 with gastrostomy or NIV. */
int mnd_kings_stage(const int8_t items[MND_ITEM_COUNT], int has_gastrostomy);

/* King's stage of expected items (rounded as a rater would) at time t,
 * stage 4 from gastrostomy or NIV on (events `ev`): the stage that starts
 * and gates interventions. */
int mnd_kings_stage_expected(const double expected[MND_ITEM_COUNT], const mnd_events *ev, double t);

/* MiToS stage 0..4 from measured items (Chiò 2015, Table 1). */
int mnd_mitos_stage(const int8_t items[MND_ITEM_COUNT]);

#endif
