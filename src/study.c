/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * study.c — recruiting, allocating and observing the patients of one
 * replicate study (study.h).
 *
 * Design.  A study turns the run's parameters into two arm parameter sets
 * (mnd_study_arm_params): the study's entry criteria become the selection
 * of mnd_patient_simulate, its visits are counted from enrolment, and its
 * treatment starts at enrolment, given as it is (treated arm) or as a sham
 * (control arm).  Candidate slot i of a replicate is then simulated once
 * per arm: both runs draw the same candidate (the treatment starts after
 * enrolment, so selection cannot tell the arms apart), so the two
 * outcomes are the patient's potential outcomes.  What the design sees is
 * added on top from streams of its own: the allocation (permuted blocks,
 * by stratum) and the dropout (one uniform per visit, the same in both
 * arms).  Nothing here is shared between threads; a replicate study is
 * simulated on one thread.
 */
#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "mndsim/rng.h"
#include "mndsim/study.h"
#include "mndsim/study_run.h"

const char *const mnd_design_names[MND_DESIGN_COUNT] = {"rct", "case_series", "historical",
                                                        "lead_in"};
const char *const mnd_pre_slope_names[MND_PRE_SLOPE_COUNT] = {"onset", "lead_in", "untreated"};
const char *const mnd_survival_from_names[MND_SURVIVAL_FROM_COUNT] = {"enrolment", "onset"};

void mnd_params_without_study_treatments(const mnd_params *p, mnd_params *out)
{
    *out = *p;
    for (int i = 0; i < (int)p->n_interventions; i++)
        for (int k = 0; k < (int)p->n_studies; k++)
            if (strcmp(p->studies[k].treatment, p->interventions[i].name) == 0)
                out->interventions[i].enabled = false;
}

void mnd_study_arm_params(const mnd_params *p, const mnd_study *s, int arm, mnd_params *out)
{
    mnd_params_without_study_treatments(p, out);
    out->follow_up_months = s->follow_up_months + s->accrual_months;
    out->visit_interval_months = s->visit_interval_months;
    out->visit_origin = MND_ORIGIN_ENROLMENT;
    out->n_studies = 0;

    bool population_control = s->design == MND_DESIGN_HISTORICAL && arm == 0;
    out->select = !population_control;
    out->enrolment_delay_mean_months = population_control ? 0.0 : s->entry_delay_mean_months;
    out->select_min_duration_months = s->min_months_from_onset;
    out->select_max_duration_months = s->max_months_from_onset;
    out->select_min_age_years = s->min_age_years;
    out->select_max_age_years = s->max_age_years;
    out->select_min_total = s->min_alsfrs_total;
    out->select_min_fvc_percent = s->min_fvc_percent;
    out->select_min_item = s->min_item;
    out->select_min_regions = s->min_regions;
    out->select_lead_in_months = s->recent_decline_months;
    out->select_lead_in_min_decline = s->recent_decline_min_points;
    out->select_lead_in_max_decline = 48.0;
    out->select_pro_entry = population_control ? 0 : s->pro_entry;
    out->select_pro_min_burden = s->pro_entry_min_burden;
    out->pro_follow_up_months = s->pro_months;

    int t = mnd_params_intervention_index(p, s->treatment);
    if (t < 0 || population_control) /* historical controls are untreated */
        return;
    mnd_intervention *iv = &out->interventions[t];
    iv->enabled = true;
    iv->start_anchor = MND_ANCHOR_ENROLMENT;
    iv->start_delay_months = 0.0;
    if (arm == 1)
        return;
    /* the sham: the same schedule and stream, no biological effect, no
     * adverse events; the expectation effect when the arms look alike */
    bool looks_alike = s->blinded || s->design != MND_DESIGN_RCT;
    iv->loss_rate_multiplier = 1.0;
    iv->neurotrophic_slowing = 0.0;
    iv->immunomodulation = 0.0;
    iv->cells_per_dose_millions = 0.0;
    iv->engraftment = 0.0;
    iv->correct_differentiation = 0.0;
    iv->death_hazard_ratio = 1.0;
    iv->symptomatic_points = 0.0;
    iv->pro_relief_fraction = 0.0;
    iv->neurological_ae_per_dose = 0.0;
    iv->offers_niv = iv->offers_gastrostomy = iv->offers_tracheostomy = false;
    iv->route = MND_ROUTE_ORAL;
    iv->cell_source = MND_CELLS_NONE;
    if (!looks_alike)
        iv->placebo_points = iv->placebo_pro_fraction = 0.0;
}

/* Least-squares slope of total on time over visits [0, n). */
static double visits_slope(const float *time, const int8_t *total, int n, double *x, double *y)
{
    for (int j = 0; j < n; j++) {
        x[j] = time[j];
        y[j] = total[j];
    }
    return mnd_ols_slope(x, y, (size_t)n);
}

/* The dropout time (months from enrolment; NaN if the patient stays) of
 * an observed visit series: before each follow-up visit j the hazard is
 * dropout_per_month x exp(a (48 - total[j-1]) + b max(0, total[j-2] -
 * total[j-1])), and the exponential waiting time comes from the visit's
 * own uniform u[j]. */
static double dropout_time(const mnd_study *s, const float *time, const int8_t *total, int n,
                           const double *u)
{
    for (int j = 1; j < n; j++) {
        double lost = 48.0 - total[j - 1];
        double decline = j >= 2 ? fmax(0.0, (double)(total[j - 2] - total[j - 1])) : 0.0;
        double h = s->dropout_per_month
                   * exp(s->dropout_per_point_lost * lost + s->dropout_per_point_decline * decline);
        double wait = -log1p(-u[j]) / h;
        if (time[j - 1] + wait < time[j])
            return time[j - 1] + wait - time[0];
    }
    return NAN;
}

/* What one arm shows of patient pt with visit rows `rows`, followed for
 * `follow_up` months after enrolment (the study's end, with accrual). */
static void observe(const mnd_study *s, const mnd_patient *pt, mnd_visit_rows rows,
                    const double *u_dropout, double follow_up, mnd_study_scratch *sc,
                    mnd_study_outcome *o)
{
    int n = pt->n_visits;
    double t0 = pt->cov.t_enrolment;
    int planned = (int)floor(follow_up / s->visit_interval_months + 1e-9) + 1;
    if (n > planned)
        n = planned;
    o->t_dropout = n > 0 && s->dropout_per_month > 0
                       ? dropout_time(s, rows.time, rows.total, n, u_dropout)
                       : NAN;
    if (!isnan(o->t_dropout))
        while (n > 0 && rows.time[n - 1] - t0 > o->t_dropout)
            n--;
    o->n_visits = n;
    o->baseline_total = n > 0 ? rows.total[0] : NAN;
    o->baseline_fvc = n > 0 ? rows.fvc[0] : NAN;
    o->slope = n >= 2 ? visits_slope(rows.time, rows.total, n, sc->x, sc->y) : NAN;
    o->best_slope = o->last_fvc_ratio = o->best_fvc_ratio = NAN;
    for (int j = 1; j < n; j++) {
        double slope = (rows.total[j] - rows.total[0]) / (rows.time[j] - rows.time[0]);
        double fvc = rows.fvc[j] / rows.fvc[0];
        if (!(slope <= o->best_slope))
            o->best_slope = slope;
        if (!(fvc <= o->best_fvc_ratio))
            o->best_fvc_ratio = fvc;
        o->last_fvc_ratio = fvc;
    }
    o->completed = isnan(o->t_dropout) && n == planned;

    /* patient-reported ratings: the follow-up one only while still followed */
    bool followed = s->pro_months <= follow_up
                    && (isnan(o->t_dropout) || s->pro_months <= o->t_dropout);
    for (int k = 0; k < MND_PRO_COUNT; k++) {
        o->pro_baseline[k] = pt->pro_baseline[k];
        o->pro_follow_up[k] = followed ? pt->pro_follow_up[k] : NAN;
    }

    /* survival: death or tracheostomy, censored at the end of the record
     * or, when followed only while in the study, at dropout */
    double origin = s->survival_from == MND_SURVIVAL_FROM_ONSET ? 0.0 : t0;
    double t_event = fmin(isnan(pt->ev.t_death) ? INFINITY : pt->ev.t_death,
                          isnan(pt->ev.t_tracheostomy) ? INFINITY : pt->ev.t_tracheostomy);
    double t_censor = fmin(pt->ev.t_end, t0 + follow_up);
    if (!isnan(o->t_dropout))
        t_censor = fmin(t_censor, t0 + o->t_dropout);
    o->event = t_event <= t_censor;
    o->t_event = (o->event ? t_event : t_censor) - origin;
}

/* Permuted-block allocation of the k-th patient (0-based) of a stratum. */
static int8_t allocate(gsl_rng *r, const mnd_params *p, const mnd_study *s, int64_t replicate,
                       int stratum, int64_t k)
{
    int b = (int)s->block_size;
    int64_t block = k / b;
    int treated = (int)lround(s->treated_share * b);
    int8_t arms[64];
    for (int i = 0; i < b; i++)
        arms[i] = i < treated;
    gsl_rng_set(r, mnd_rng_name_key(mnd_rng_key(p->seed, MND_STREAM_ALLOCATION,
                                                (uint64_t)replicate, (uint64_t)stratum,
                                                (uint64_t)block),
                                    s->name));
    gsl_ran_shuffle(r, arms, (size_t)b, sizeof arms[0]);
    return arms[k % b];
}

mnd_status mnd_study_simulate(mnd_workspace *w, const mnd_params arms[2], const mnd_study *s,
                              int64_t replicate, mnd_study_scratch *sc, mnd_study_patient *pts,
                              int64_t *n_out, mnd_error *err)
{
    const mnd_params *p = &arms[1];
    int max_visits = (int)mnd_params_max_visits(p);
    double study_end = s->follow_up_months + s->accrual_months; /* after the first enrolment */
    int64_t n = s->n_patients, in_stratum[2] = {0, 0};
    bool historical = s->design == MND_DESIGN_HISTORICAL;
    mnd_status st;

    for (int64_t i = 0; i < (historical ? 2 * n : n); i++) {
        mnd_study_patient *e = &pts[i];
        bool control_only = historical && i >= n;
        memset(e, 0, sizeof *e);
        e->slot = i;
        e->accrual_time = s->accrual_months * (double)(i % n) / (double)n;
        for (int a = control_only ? 0 : 1; a >= 0; a--) {
            mnd_patient *pt = &sc->patient;
            if ((st = mnd_patient_simulate(w, &arms[control_only ? 0 : a], replicate, i, pt,
                                           sc->rows, err)) != MND_OK)
                return st;
            if (a == 1 || control_only) {
                e->attempt = pt->cov.attempts;
                e->stratum = s->stratify && pt->cov.onset_region == MND_REGION_BULBAR;
                e->t_enrolment = pt->cov.t_enrolment;
                e->t_diagnosis = pt->cov.t_diagnosis;
                e->delta_fs = pt->delta_fs;
                e->lead_in_slope = pt->lead_in_decline / s->recent_decline_months;
                /* one uniform per visit, the same in both arms */
                if (s->dropout_per_month > 0) {
                    gsl_rng_set(w->rng, mnd_rng_name_key(mnd_rng_key(p->seed, MND_STREAM_DROPOUT,
                                                                     (uint64_t)replicate,
                                                                     (uint64_t)i,
                                                                     (uint64_t)(e->attempt - 1)),
                                                         s->name));
                    for (int j = 0; j < max_visits; j++)
                        sc->u_dropout[j] = gsl_rng_uniform(w->rng);
                }
            } else if (pt->cov.attempts != e->attempt) {
                return mnd_error_set(err, MND_ERR_INTERNAL, NULL, 0,
                                     "study %s: candidate %lld was enrolled in one arm only "
                                     "(the treatment must start at enrolment)",
                                     s->name, (long long)i);
            }
            observe(s, pt, sc->rows, sc->u_dropout, study_end - e->accrual_time, sc,
                    &e->outcome[a]);
        }
        if (control_only)
            e->outcome[1] = e->outcome[0];
        e->arm = control_only ? 0 : 1;
        if (s->design == MND_DESIGN_RCT)
            e->arm = allocate(w->rng, p, s, replicate, e->stratum, in_stratum[e->stratum]++);
    }
    *n_out = historical ? 2 * n : n;
    return MND_OK;
}
