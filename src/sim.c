/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sim.c — the patient loop: one patient from its random streams, and whole
 * runs in ordered blocks on OpenMP threads.
 *
 * Design.  A patient's draws come from streams keyed by (seed, purpose,
 * replicate, patient, attempt), so a patient is the same whichever thread
 * simulates it, and the blocks are handed to the sink in row order: the
 * output is identical for any thread count.  Nothing is reduced across
 * patients here.  A patient who dies before diagnosis (never enters a
 * registry) or fails the enrolment criteria is redrawn with the next
 * attempt number.  Memory is one block of patients, however many rows the
 * run has.
 */
#include <assert.h>
#include <math.h>
#include <omp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include "mndsim/block.h"
#include "mndsim/disease.h"
#include "mndsim/events.h"
#include "mndsim/mpi_split.h"
#include "mndsim/rng.h"
#include "mndsim/sim.h"
#include "mndsim/treatment.h"

mnd_status mnd_workspace_alloc(mnd_workspace *w, mnd_error *err)
{
    w->rng = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    w->solver = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    w->tx = malloc(sizeof *w->tx);
    if (!w->rng || !w->solver || !w->tx) {
        mnd_workspace_free(w);
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "cannot allocate a thread workspace");
    }
    return MND_OK;
}

void mnd_workspace_free(mnd_workspace *w)
{
    if (w->rng)
        gsl_rng_free(w->rng);
    if (w->solver)
        gsl_root_fsolver_free(w->solver);
    free(w->tx);
    w->rng = NULL;
    w->solver = NULL;
    w->tx = NULL;
}

static double origin_time(const mnd_params *p, const mnd_covariates *c)
{
    switch (p->visit_origin) {
    case MND_ORIGIN_ONSET:
        return 0.0;
    case MND_ORIGIN_ENROLMENT:
        return c->t_enrolment;
    default:
        return c->t_diagnosis;
    }
}

/* Rated ALSFRS-R items at time t (a screening visit): expected items plus
 * rater noise drawn from r; returns their total. */
static int screening_items(gsl_rng *r, const mnd_params *p, const mnd_patient *pt, double t,
                           const mnd_pool_state *s, int8_t items[MND_ITEM_COUNT])
{
    double e[MND_ITEM_COUNT];
    mnd_items_expected(p, s, &pt->ev, t, e);
    mnd_items_measure(r, p, e, items);
    int total = 0;
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        total += items[i];
    return total;
}

/* Enrolment criteria of a trial-like cohort or a study, judged as a trial
 * judges them: at the screening visit, on rated items and measured FVC
 * (rater and spirometry noise from r, the screening stream), with signs in
 * enough regions (the El Escorial proxy, judged on the pools).  With a
 * lead-in the screening visit opens the observation period, lead_in_months
 * before enrolment: duration, age, signs, FVC and items are judged there,
 * and at enrolment only the decline between the screening rating and a
 * second rating, which is recorded in pt->lead_in_decline (MCI186-19: 213
 * screened, 192 entered the 12-week observation period, 137 were
 * randomised; Writing Group 2017 Lancet Neurol). */
static int meets_selection(gsl_rng *r, const mnd_params *p, mnd_patient *pt)
{
    const mnd_covariates *c = &pt->cov;
    double t = c->t_enrolment - p->select_lead_in_months; /* the screening visit */
    if (t > p->select_max_duration_months || t < p->select_min_duration_months)
        return 0;
    double age = c->age_onset_years + t / 12.0;
    if (age < p->select_min_age_years || age > p->select_max_age_years)
        return 0;
    mnd_pool_state s;
    mnd_pool_state_at(p, &pt->course, t, &s);
    int regions = 0;
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        regions += fmin(s.fraction[reg][MND_POOL_UMN], s.fraction[reg][MND_POOL_LMN])
                   < p->select_sign_fraction;
    if (regions < p->select_min_regions)
        return 0;
    int8_t items[MND_ITEM_COUNT];
    int total = screening_items(r, p, pt, t, &s, items);
    double fvc = mnd_fvc_expected(p, c->fvc_predicted_baseline, s.ventilation)
                 * (1.0 + gsl_ran_gaussian_ziggurat(r, p->fvc_noise_cv));
    if (fvc < p->select_min_fvc_percent)
        return 0;
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        if (items[i] < p->select_min_item)
            return 0;
    if (total < p->select_min_total)
        return 0;
    if (p->select_lead_in_months > 0) { /* the second rating, at enrolment */
        mnd_pool_state s1;
        mnd_pool_state_at(p, &pt->course, c->t_enrolment, &s1);
        int decline = total - screening_items(r, p, pt, c->t_enrolment, &s1, items);
        pt->lead_in_decline = decline;
        if (decline < p->select_lead_in_min_decline || decline > p->select_lead_in_max_decline)
            return 0;
    }
    return 1;
}

/* ALSFRS-R points lost at t, expected (no rater noise). */
static double points_lost(const mnd_params *p, const mnd_patient *pt, double t)
{
    return 48.0 - mnd_total_expected(p, &pt->course, &pt->ev, t);
}

/* The patient-reported entry rule of a clinic: the burden of scale
 * select_pro_scale rated at enrolment is at least select_pro_min_burden
 * (patients come when their symptoms are bad).  The rating is the one
 * rate_pros makes at enrolment: the same stream, the same draws. */
static int meets_pro_entry(gsl_rng *r, const mnd_params *p, const mnd_patient *pt, uint64_t key)
{
    mnd_pro_path path;
    double rating[MND_PRO_COUNT];
    double t = pt->cov.t_enrolment;
    mnd_pro_start(r, key, &p->pro, t, points_lost(p, pt, t), &path, rating);
    int k = p->select_pro_entry - 1;
    return mnd_pro_burden((mnd_pro_scale)k, rating[k]) >= p->select_pro_min_burden;
}

/* Patient-reported ratings at enrolment (before any treatment starting
 * there acts) and pro_follow_up_months later, if the patient is alive and
 * followed then, with the treatment's factor on the reported burden. */
static void rate_pros(gsl_rng *r, const mnd_params *p, mnd_patient *pt, uint64_t key)
{
    mnd_pro_path path;
    double t0 = pt->cov.t_enrolment, t1 = t0 + p->pro_follow_up_months;
    mnd_pro_start(r, key, &p->pro, t0, points_lost(p, pt, t0), &path, pt->pro_baseline);
    if (t1 < pt->ev.t_death && t1 <= pt->ev.t_end)
        mnd_pro_rate_later(r, &p->pro, t1, points_lost(p, pt, t1),
                           mnd_treatment_pro_factor(p, pt->exposure, t1), &path, pt->pro_follow_up);
}

typedef struct {
    const mnd_params *p;
    const mnd_patient *pt;
} patient_ctx;

/* -1 x the King's stage of the expected items at t (non-increasing between
 * the segment starts of a treatment with grafts: mnd_course_crossing). */
static double minus_kings_at(double t, void *vctx)
{
    const patient_ctx *c = vctx;
    mnd_pool_state s;
    double e[MND_ITEM_COUNT];
    mnd_pool_state_at(c->p, &c->pt->course, t, &s);
    mnd_items_expected(c->p, &s, &c->pt->ev, t, e);
    return -(double)mnd_kings_stage_expected(e, &c->pt->ev, t);
}

/* When intervention iv starts for the patient (before start_delay_months):
 * NaN when its anchor never comes. */
static double anchor_time(gsl_root_fsolver *s, const mnd_params *p, const mnd_intervention *iv,
                          const mnd_patient *pt)
{
    switch (iv->start_anchor) {
    case MND_ANCHOR_ONSET:
        return 0.0;
    case MND_ANCHOR_DIAGNOSIS:
        return pt->cov.t_diagnosis;
    case MND_ANCHOR_ENROLMENT:
        return pt->cov.t_enrolment;
    case MND_ANCHOR_GASTROSTOMY:
        return pt->ev.t_gastrostomy;
    case MND_ANCHOR_NIV:
        return pt->ev.t_niv;
    default: {
        patient_ctx ctx = {p, pt};
        double t = mnd_course_crossing(s, &pt->course, minus_kings_at, &ctx,
                                       -(double)iv->start_stage + 0.5, pt->cov.t_diagnosis,
                                       pt->ev.t_end, MND_NO_GUESS);
        return isfinite(t) ? t : NAN;
    }
    }
}

/* Draws the events of the course as it stands (the same draws every time). */
static void sample_events(mnd_workspace *w, const mnd_params *p, uint64_t key, mnd_patient *pt,
                          double t_admin_end)
{
    gsl_rng_set(w->rng, key);
    mnd_events_sample(w->rng, w->solver, p, &pt->cov, &pt->course, t_admin_end, &pt->ev);
}

/* Rebuilds the treated course if effects were given since the last build. */
static void build_course(mnd_treatment *tx, const mnd_params *p, mnd_patient *pt, bool *unbuilt)
{
    if (*unbuilt)
        mnd_treatment_build(tx, p, &pt->course);
    *unbuilt = false;
}

/* The events give_interventions judges starts on.  The untreated events
 * are drawn only when something reads them; until then the course is
 * untreated (a build either follows that draw or is followed at once by
 * a draw on the built course), "alive at t?" is
 * answered by mnd_events_surely_after where it can be, and `ended` holds
 * the fatal adverse event that mnd_events_end_early is to apply to them
 * once drawn (it only moves earlier, so applying the last one is applying
 * them all).  A treated patient whose events are only read at the end thus
 * has them drawn once, on the treated course. */
typedef struct {
    mnd_workspace *w;
    const mnd_params *p;
    mnd_patient *pt;
    uint64_t key; /* MND_STREAM_EVENTS */
    double t_admin_end;
    bool drawn;
    double ended;
} lazy_events;

/* Draws the untreated events if they are not drawn yet. */
static void events_read(lazy_events *le)
{
    if (le->drawn)
        return;
    assert(le->pt->course.tx == NULL);
    sample_events(le->w, le->p, le->key, le->pt, le->t_admin_end);
    mnd_events_end_early(&le->pt->ev, le->ended, MND_END_ADVERSE_EVENT);
    le->drawn = true;
}

static void events_end_early(lazy_events *le, double t)
{
    if (le->drawn)
        mnd_events_end_early(&le->pt->ev, t, MND_END_ADVERSE_EVENT);
    else
        le->ended = fmin(le->ended, t);
}

/* Whether the record goes on after t (t < pt->ev.t_end), drawing the
 * events only when the course alone cannot tell. */
static bool events_alive_at(lazy_events *le, double t)
{
    if (!le->drawn) {
        gsl_rng_set(le->w->rng, le->key);
        if (t < le->ended && mnd_events_surely_after(le->w->rng, le->p, &le->pt->cov,
                                                     &le->pt->course, le->t_admin_end, t))
            return true;
        events_read(le);
    }
    return t < le->pt->ev.t_end;
}

/* Draws the events of the course as it now stands (after build_course). */
static void events_redraw(lazy_events *le)
{
    sample_events(le->w, le->p, le->key, le->pt, le->t_admin_end);
    le->drawn = true;
}

/* Gives the interventions in config order, each judged on the course as
 * treated by those before it; rebuilds the course only when something
 * reads it (a King's-stage anchor, criteria on the course, the events) and
 * at the end; redraws the events whenever the course has changed and they
 * are needed again; ends the record at a fatal adverse event.  Leaves
 * pt->course.tx pointing at the workspace's treatment when some effect
 * acts. */
static void give_interventions(mnd_workspace *w, const mnd_params *p, uint64_t rep, uint64_t id,
                               uint64_t attempt, mnd_patient *pt, double t_admin_end)
{
    mnd_treatment *tx = w->tx;
    uint64_t treatment_key = mnd_rng_key(p->seed, MND_STREAM_TREATMENT, rep, id, attempt);
    lazy_events le = {w, p, pt, mnd_rng_key(p->seed, MND_STREAM_EVENTS, rep, id, attempt),
                      t_admin_end, false, INFINITY};
    bool stale = false;   /* pt->ev predates the last change of the course */
    bool hastens = false; /* a change so far can bring events earlier */
    bool unbuilt = false; /* pt->course predates the last effect given: built when next read */
    mnd_treatment_reset(tx, p);
    for (int i = 0; i < p->n_interventions; i++) {
        const mnd_intervention *iv = &p->interventions[i];
        if (!iv->enabled)
            continue;
        /* Events matter to this intervention only through its anchor, its
         * event-dependent criteria and whether it starts before the end.
         * Earlier effects that only slow the disease cannot bring the end
         * before the start, so stale events are redrawn only when read. */
        bool reads_events = iv->start_anchor >= MND_ANCHOR_GASTROSTOMY || iv->min_alsfrs_total > 0
                            || iv->max_kings_stage < 4;
        if (stale && (reads_events || hastens)) {
            build_course(tx, p, pt, &unbuilt);
            events_redraw(&le);
            stale = false;
        } else if (reads_events) {
            events_read(&le);
        }
        double t_start = anchor_time(w->solver, p, iv, pt) + iv->start_delay_months;
        bool reached = events_alive_at(&le, t_start);
        if (stale && !reached) {
            build_course(tx, p, pt, &unbuilt);
            events_redraw(&le);
            stale = false;
            reached = t_start < pt->ev.t_end;
        }
        /* a fatal adverse event of an earlier intervention ends the record
         * before this one is judged: a start after it is never reached */
        events_end_early(&le, tx->t_ae_death);
        reached = reached && t_start < tx->t_ae_death;
        if (mnd_treatment_reads_course(iv)) { /* its criteria read the events too */
            events_read(&le);
            build_course(tx, p, pt, &unbuilt);
        }
        gsl_rng_set(w->rng, mnd_rng_name_key(treatment_key, iv->name));
        mnd_treatment_give(tx, w->rng, p, i, &pt->cov, &pt->course, &pt->ev,
                           reached ? t_start : INFINITY, t_admin_end);
        if (tx->exposure[i].status == MND_EXPOSURE_TREATED && mnd_intervention_has_effect(iv)) {
            unbuilt = true;
            stale = true;
            hastens |= iv->loss_rate_multiplier > 1.0 || iv->death_hazard_ratio > 1.0;
        }
    }
    build_course(tx, p, pt, &unbuilt);
    if (stale)
        events_redraw(&le);
    else
        events_read(&le);
    mnd_events_end_early(&pt->ev, tx->t_ae_death, MND_END_ADVERSE_EVENT);
    mnd_treatment_truncate(tx, pt->ev.t_end);
    memcpy(pt->exposure, tx->exposure, sizeof pt->exposure);
    pt->n_ae = tx->n_ae;
    memcpy(pt->ae, tx->ae, (size_t)tx->n_ae * sizeof *tx->ae);
    pt->n_ae_dropped = tx->n_ae_dropped;
}

/* Limb LMN index of MUNIX studies: APB and ADM (upper limb) and TA (lower
 * limb), as in Ebersbach 2023. */
static double limb_lmn_at(double t, void *vctx)
{
    const patient_ctx *c = vctx;
    return (2.0 * mnd_course_fraction(&c->pt->course, MND_REGION_CERVICAL, MND_POOL_LMN, t)
            + mnd_course_fraction(&c->pt->course, MND_REGION_LUMBAR, MND_POOL_LMN, t))
           / 3.0;
}

#define D50_TOTAL 24.0 /* D50: the expected ALSFRS-R total at half its maximum */

static double total_at(double t, void *vctx)
{
    const patient_ctx *c = vctx;
    return mnd_total_expected(c->p, &c->pt->course, &c->pt->ev, t);
}

static double nan_after(double t, double end) { return t <= end ? t : NAN; }

/* Motor-unit markers: M50 and D50 (Ebersbach 2023), the first crossings
 * even when a graft lifts the pools back above them later, and the
 * MUNE-style decline of the limb LMN pools affected at diagnosis. */
static void motor_unit_markers(gsl_root_fsolver *s, const mnd_params *p, mnd_patient *pt,
                               mnd_bracket d50_guess)
{
    patient_ctx ctx = {p, pt};
    double end = pt->ev.t_end;
    const mnd_course *k = &pt->course;
    /* the limb index, a weighted mean of two pools, reaches 0.5 between
     * the times they do (while the pools are untreated; a treatment that
     * slows them only delays it) */
    double arm_m50 = mnd_course_pool_time(k, MND_REGION_CERVICAL, MND_POOL_LMN, 0.5);
    double leg_m50 = mnd_course_pool_time(k, MND_REGION_LUMBAR, MND_POOL_LMN, 0.5);
    mnd_bracket m50 = {fmin(arm_m50, leg_m50), fmax(arm_m50, leg_m50)};
    if (m50.hi > mnd_course_untreated_until(k))
        m50.hi = INFINITY;
    pt->t_m50 = nan_after(mnd_course_crossing(s, k, limb_lmn_at, &ctx, 0.5, 0.0, end, m50), end);
    pt->t_d50 = nan_after(mnd_course_crossing(s, k, total_at, &ctx, D50_TOTAL, 0.0, end, d50_guess),
                          end);

    double t0 = pt->cov.t_diagnosis, t1 = fmin(t0 + 12.0, end);
    double sum = 0.0;
    int n = 0;
    const mnd_region limbs[2] = {MND_REGION_CERVICAL, MND_REGION_LUMBAR};
    for (int i = 0; i < 2 && t1 > t0; i++) {
        if (pt->course.loss_start[limbs[i]] >= t0)
            continue;
        double n0 = mnd_course_fraction(&pt->course, limbs[i], MND_POOL_LMN, t0);
        double n1 = mnd_course_fraction(&pt->course, limbs[i], MND_POOL_LMN, t1);
        sum += 100.0 * (n0 - n1) / n0 / (t1 - t0);
        n++;
    }
    pt->mu_decline_percent_per_month = n > 0 ? sum / n : NAN;
}

/* Symptomatic and placebo effects at t: the shift of the total spread
 * evenly over items 1-11 (item 12 is a ventilation status), within 0..4. */
static void shift_items(const mnd_params *p, const mnd_patient *pt, double t, double e[MND_ITEM_COUNT])
{
    double shift = mnd_treatment_item_shift(pt->course.tx, p, t);
    if (shift == 0.0)
        return;
    for (int i = 0; i < MND_ITEM_RESPIRATORY_INSUFFICIENCY; i++)
        e[i] = fmin(4.0, fmax(0.0, e[i] + shift / MND_ITEM_RESPIRATORY_INSUFFICIENCY));
}

/* Scheduled visits from the origin while the patient is alive and followed.
 * Returns the visits between which the expected total (before symptomatic
 * shifts: the course's own) first falls to D50_TOTAL, a guess for the
 * search of D50. */
static mnd_bracket measure_visits(gsl_rng *r, const mnd_params *p, mnd_patient *pt,
                                  mnd_visit_rows rows)
{
    int64_t T = mnd_params_max_visits(p);
    double origin = origin_time(p, &pt->cov);
    mnd_bracket d50 = {0.0, INFINITY}; /* hi finite once a visit is at or below */
    int64_t n = 0;
    for (; n < T; n++) {
        double t = origin + (double)n * p->visit_interval_months;
        if (t > pt->ev.t_end && t - pt->ev.t_end <= 1e-9 * fmax(1.0, t))
            t = pt->ev.t_end; /* the last scheduled visit, off by rounding only */
        if (t > pt->ev.t_end || t >= pt->ev.t_death) /* no visit at or after death */
            break;
        mnd_pool_state s;
        mnd_pool_state_at(p, &pt->course, t, &s);
        double e[MND_ITEM_COUNT];
        mnd_items_expected(p, &s, &pt->ev, t, e);
        if (d50.hi == INFINITY) {
            if (mnd_items_expected_total(e) <= D50_TOTAL)
                d50.hi = t;
            else
                d50.lo = t;
        }
        /* a visit at enrolment is the baseline, rated just before anything
         * started at enrolment (a study's treatment): its expectation and
         * symptomatic shifts show from the next visit on */
        if (pt->course.tx != NULL)
            shift_items(p, pt,
                        n == 0 && p->visit_origin == MND_ORIGIN_ENROLMENT ? nextafter(t, -INFINITY)
                                                                           : t,
                        e);
        int8_t *items = rows.items + n * MND_ITEM_COUNT;
        mnd_items_measure(r, p, e, items);
        int total = 0;
        for (int i = 0; i < MND_ITEM_COUNT; i++)
            total += items[i];
        double fvc = mnd_fvc_expected(p, pt->cov.fvc_predicted_baseline, s.ventilation)
                     * (1.0 + gsl_ran_gaussian_ziggurat(r, p->fvc_noise_cv));
        rows.time[n] = (float)t;
        rows.total[n] = (int8_t)total;
        rows.fvc[n] = (float)fmax(fvc, 0.0);
        rows.kings[n] = (int8_t)mnd_kings_stage(items, t >= pt->ev.t_gastrostomy);
        rows.mitos[n] = (int8_t)mnd_mitos_stage(items);
        for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
            rows.umn[n * MND_REGION_COUNT + reg] = (float)s.fraction[reg][MND_POOL_UMN];
            rows.lmn[n * MND_REGION_COUNT + reg] = (float)s.fraction[reg][MND_POOL_LMN];
        }
        if (n == 0)
            pt->delta_fs = t > 0 ? (48.0 - total) / t : NAN;
    }
    pt->n_visits = (int32_t)n;
    if (n == 0)
        pt->delta_fs = NAN;
    if (n < *rows.n_written) /* rows after the last visit hold fill values */
        mnd_visit_rows_fill(rows, n, *rows.n_written);
    *rows.n_written = (int32_t)n;
    return d50;
}

/* The course's phase arrays, 3.9 KB of a record of 4.7: one contiguous
 * span, which mnd_course_sample fills as far as anything reads it
 * (n_phases + 1 entries). */
#define PHASES_FROM (offsetof(mnd_patient, course) + offsetof(mnd_course, phase_start))
#define PHASES_TO                                                                           \
    (offsetof(mnd_patient, course) + offsetof(mnd_course, phase_clock)                      \
     + sizeof(((mnd_course *)0)->phase_clock))
_Static_assert(offsetof(mnd_course, phase_speed)
                       == offsetof(mnd_course, phase_start) + sizeof(double[MND_MAX_PHASES + 1])
                   && offsetof(mnd_course, phase_clock)
                          == offsetof(mnd_course, phase_speed) + sizeof(double[MND_MAX_PHASES]),
               "the phase arrays are one span");

/* Zeroes a patient record but its course's phase arrays (zeroing them too
 * cost the kernel about 2 %). */
static void clear_record(mnd_patient *pt)
{
    memset(pt, 0, PHASES_FROM);
    memset((char *)pt + PHASES_TO, 0, sizeof *pt - PHASES_TO);
}

mnd_status mnd_patient_simulate(mnd_workspace *w, const mnd_params *p, int64_t replicate,
                                int64_t patient_id, mnd_patient *out, mnd_visit_rows rows,
                                mnd_error *err)
{
    gsl_rng *r = w->rng;
    uint64_t rep = (uint64_t)replicate, id = (uint64_t)patient_id;
    clear_record(out);
    for (int64_t attempt = 0; attempt < p->select_max_attempts; attempt++) {
        uint64_t a = (uint64_t)attempt;
        gsl_rng_set(r, mnd_rng_key(p->seed, MND_STREAM_COHORT, rep, id, a));
        mnd_cohort_sample(r, p, &out->cov);
        gsl_rng_set(r, mnd_rng_key(p->seed, MND_STREAM_NEURONS, rep, id, a));
        mnd_course_sample(r, p, &out->cov, &out->course);
        double t_admin_end = origin_time(p, &out->cov) + p->follow_up_months;
        if (p->n_interventions > 0)
            give_interventions(w, p, rep, id, a, out, t_admin_end);
        else
            sample_events(w, p, mnd_rng_key(p->seed, MND_STREAM_EVENTS, rep, id, a), out,
                          t_admin_end);

        /* Only diagnosed patients enter a cohort; trial-like ones must also
         * be alive at enrolment and meet the criteria. */
        double entry = p->select ? out->cov.t_enrolment : out->cov.t_diagnosis;
        if (!(out->ev.t_end > entry) || !(out->ev.t_end > origin_time(p, &out->cov)))
            continue;
        out->lead_in_decline = NAN;
        if (p->select) /* screening ratings: their own stream */
            gsl_rng_set(r, mnd_rng_key(p->seed, MND_STREAM_SCREENING, rep, id, a));
        if (p->select && !meets_selection(r, p, out))
            continue;
        uint64_t pro_key = mnd_rng_key(p->seed, MND_STREAM_PRO, rep, id, a);
        if (p->select && p->select_pro_entry > 0 && !meets_pro_entry(r, p, out, pro_key))
            continue;

        out->cov.replicate = replicate;
        out->cov.patient_id = patient_id;
        out->cov.attempts = (int32_t)(attempt + 1);
        gsl_rng_set(r, mnd_rng_key(p->seed, MND_STREAM_MEASUREMENT, rep, id, a));
        motor_unit_markers(w->solver, p, out, measure_visits(r, p, out, rows));
        for (int k = 0; k < MND_PRO_COUNT; k++)
            out->pro_baseline[k] = out->pro_follow_up[k] = NAN;
        if (p->pro_follow_up_months > 0)
            rate_pros(r, p, out, pro_key);
        out->course.tx = NULL; /* the workspace's treatment is reused by the next patient */
        return MND_OK;
    }
    return mnd_error_set(err, MND_ERR_CONFIG, NULL, 0,
                         "patient %lld of replicate %lld: no draw met the selection criteria in "
                         "%lld attempts (selection.max_attempts); the criteria may be impossible",
                         (long long)patient_id, (long long)replicate,
                         (long long)p->select_max_attempts);
}

mnd_status mnd_sim_run(const mnd_params *p, int threads, mnd_block_sink sink, void *sink_ctx,
                       mnd_progress_fn progress, void *progress_ctx, mnd_error *err)
{
    return mnd_sim_run_team(p, threads, mnd_team_solo(), sink, sink_ctx, progress, progress_ctx,
                            err);
}

/* The lowest failing row among the threads' errors, or INT64_MAX. */
static int64_t lowest_failing_row(const mnd_error *thread_err, const int64_t *fail_row,
                                  int threads)
{
    int64_t at = INT64_MAX;
    for (int i = 0; i < threads; i++)
        if (thread_err[i].code != MND_OK && fail_row[i] < at)
            at = fail_row[i];
    return at;
}

int64_t mnd_sim_block_capacity(const mnd_params *p)
{
    int64_t rows_total = p->n_patients * p->n_replicates;
    int64_t chunk = p->chunk_patients;
    int64_t capacity = (p->block_patients + chunk - 1) / chunk * chunk;
    return capacity < rows_total ? capacity : rows_total;
}

mnd_status mnd_sim_run_team(const mnd_params *p, int threads, const mnd_team *team,
                            mnd_block_sink sink, void *sink_ctx, mnd_progress_fn progress,
                            void *progress_ctx, mnd_error *err)
{
    mnd_status st = MND_OK;
    int64_t rows_total = p->n_patients * p->n_replicates;
    int64_t capacity = mnd_sim_block_capacity(p);
    if (threads < 1)
        threads = 1;
    const mnd_split split = {rows_total, capacity, mnd_team_size(team)};
    const int part = mnd_team_rank(team);

    mnd_block b = {0};
    mnd_workspace *ws = calloc((size_t)threads, sizeof *ws);
    mnd_error *thread_err = calloc((size_t)threads, sizeof *thread_err);
    int64_t *fail_row = calloc((size_t)threads, sizeof *fail_row); /* row of thread_err[t] */
    if (!ws || !thread_err || !fail_row)
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "cannot allocate thread workspaces");
    for (int i = 0; st == MND_OK && i < threads; i++)
        st = mnd_workspace_alloc(&ws[i], err);
    if (st == MND_OK)
        st = mnd_block_alloc(&b, capacity, mnd_params_max_visits(p), err);
    if ((st = mnd_team_agree(team, st, -1, err)) != MND_OK)
        goto cleanup;

    /* Each round every member simulates its block (possibly none) and all
     * of them hand their blocks to the sink together: the sink's writes
     * are collective. */
    for (int64_t round = 0; round < mnd_split_rounds(&split); round++) {
        int64_t first;
        mnd_split_block(&split, round, part, &first, &b.n);
        b.first_row = first;
        for (int i = 0; i < threads; i++)
            mnd_error_clear(&thread_err[i]);
        /* A failed thread skips only the rows above its failure, so each
         * thread ends with the lowest failing row among those it was given,
         * and the lowest of these is the block's lowest failing row: the
         * error reported does not depend on threads or scheduling.  Across
         * members, the blocks of a round are consecutive, so the lowest
         * failing row of the first failing round is the one a serial run
         * reports. */
#pragma omp parallel for num_threads(threads) schedule(dynamic, 16)
        for (int64_t i = 0; i < b.n; i++) {
            int tid = omp_get_thread_num();
            int64_t row = first + i;
            if (thread_err[tid].code != MND_OK && row > fail_row[tid])
                continue;
            if (mnd_patient_simulate(&ws[tid], p, row / p->n_patients, row % p->n_patients,
                                     &b.patients[i], mnd_block_rows(&b, i), &thread_err[tid])
                != MND_OK)
                fail_row[tid] = row;
        }
        st = mnd_error_lowest(thread_err, fail_row, threads, err);
        st = mnd_team_agree(team, st, lowest_failing_row(thread_err, fail_row, threads), err);
        if (st != MND_OK)
            goto cleanup;
        if ((st = sink(&b, sink_ctx, err)) != MND_OK)
            goto cleanup;
        int64_t done = (round + 1) * split.parts * capacity;
        if (done > rows_total)
            done = rows_total;
        bool cancel = progress && progress(done, rows_total, progress_ctx);
        if (mnd_team_any(team, cancel)) {
            st = mnd_error_set(err, MND_ERR_CANCELLED, NULL, 0, "run cancelled after %lld of %lld rows",
                               (long long)done, (long long)rows_total);
            goto cleanup;
        }
    }

cleanup:
    mnd_block_free(&b);
    if (ws)
        for (int i = 0; i < threads; i++)
            mnd_workspace_free(&ws[i]);
    free(ws);
    free(thread_err);
    free(fail_row);
    return st;
}
