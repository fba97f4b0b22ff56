/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * events.h — clinical events at exact (continuous) times: gastrostomy,
 * non-invasive ventilation, respiratory failure, tracheostomy, death.
 */
#ifndef MNDSIM_EVENTS_H
#define MNDSIM_EVENTS_H

#include <stdbool.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_rng.h>
#include "mndsim/disease.h"
#include "mndsim/model.h"
#include "mndsim/patient.h"

/* A non-increasing function of time (months since onset). */
typedef double (*mnd_decreasing_fn)(double t, void *ctx);

/* First time in [t_lo, t_hi] at which the non-increasing g falls to
 * `level` or below: t_lo if g(t_lo) <= level, +INFINITY if g(t_hi) > level,
 * otherwise a time at which g has fallen to level, at most 1e-7 months
 * after the crossing, found by GSL's Brent solver `s` (caller-owned, from
 * gsl_root_fsolver_alloc(gsl_root_fsolver_brent)).
 * The search starts on `guess` (cut to [t_lo, t_hi]) and leaves it, one
 * evaluation later, when g shows the crossing lies outside: a wrong guess
 * costs one evaluation, and any guess moves the crossing found by less
 * than the tolerance (the same bits for the same guess).  With MND_NO_GUESS, two
 * evaluations at most decide the early exits. */
double mnd_first_crossing(gsl_root_fsolver *s, mnd_decreasing_fn g, void *ctx, double level,
                          double t_lo, double t_hi, mnd_bracket guess);

/* First time in [t_lo, t_hi] at which g, a function of the course k (of
 * its pools, and of anything else that only declines), falls to `level` or
 * below; +INFINITY if it does not.  g need only be non-increasing between
 * the starts of k's treatment segments: grafted neurons make the pools jump
 * up where a graft integrates, which is always a segment start, so a single
 * search over [t_lo, t_hi] could report a later crossing, or none, when g
 * rises above the level again after the first one.
 *   - Untreated, or treated without grafts (k->tx NULL or
 *     !k->tx->has_grafts): exactly mnd_first_crossing(s, g, ctx, level,
 *     t_lo, t_hi, guess).
 *   - With grafts: one mnd_first_crossing per stretch between segment
 *     starts, in time order, each ending on the last double before the
 *     next start (g there already includes a graft integrating at that
 *     start), without the guess; the first crossing found is returned.
 * Same solver, tolerance (1e-7 months) and thread safety as
 * mnd_first_crossing; k->tx is only read. */
double mnd_course_crossing(gsl_root_fsolver *s, const mnd_course *k, mnd_decreasing_fn g,
                           void *ctx, double level, double t_lo, double t_hi, mnd_bracket guess);

/* Draws the event times of a patient from stream MND_STREAM_EVENTS (a
 * fixed number of draws) given the course, and closes the record at
 * t_admin_end (end of follow-up, months since onset).  Events after the
 * end are NaN. */
void mnd_events_sample(gsl_rng *r, gsl_root_fsolver *s, const mnd_params *p,
                       const mnd_covariates *c, const mnd_course *k, double t_admin_end,
                       mnd_events *ev);

/* Whether the record mnd_events_sample would draw for the untreated course
 * k (k->tx NULL), from r seeded the same way, surely goes on after t
 * (t < ev.t_end): true only then; false when it ends at or before t, or
 * when that is not known without the events' searches.  It draws the same
 * variates and evaluates the course once or twice at t, with no search:
 * a cheap answer to "is the patient alive and followed at t?" when the
 * events themselves are not read (sim.c). */
bool mnd_events_surely_after(gsl_rng *r, const mnd_params *p, const mnd_covariates *c,
                             const mnd_course *k, double t_admin_end, double t);

/* Ends the record with death from `cause` at t if t is before its end:
 * events after t are dropped (NaN).  Otherwise leaves ev unchanged. */
void mnd_events_end_early(mnd_events *ev, double t, mnd_end_cause cause);

#endif
