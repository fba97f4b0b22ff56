/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * treatment.c — giving interventions to one patient and building the
 * treated course (treatment.h).
 *
 * Design.  mnd_treatment_give decides, per intervention, whether and when
 * the patient is treated and which doses are taken, and draws the adverse
 * events of each dose; it records a plan (dose times, exposure windows,
 * rejection).  mnd_treatment_build turns the plans of all interventions
 * with an effect into segments between breakpoints: within a segment the
 * speed of each region's disease clock is a constant plus one decaying
 * exponential per neurotrophic intervention, so the clock is integrated in
 * closed form from segment to segment.  Effects combine multiplicatively on
 * each rate component; neurotrophic slowings add (the config keeps their
 * sum <= 1, so the clock never runs backwards).
 *
 * Conventions of the effects:
 *   - constant effects (multiplier, immunomodulation, death hazard ratio,
 *     symptomatic shift) act over exposure windows: one dose_interval after
 *     each dose taken (DOSES), duration_months after the dose (ONCE, 0 = for
 *     life), the whole course (CONTINUOUS, scaled by adherence on the log
 *     scale: a multiplier m acts as m^adherence);
 *   - a neurotrophic dose restores the slowing to its full value, which then
 *     halves every half-life; a continuous one holds it until the stop;
 *   - cells act where the route delivers them: the share
 *     delivery.cell_fraction of each region (all of the target region for an
 *     intraspinal injection, if its share is 1); drugs act everywhere;
 *   - grafted neurons: cells x share delivered x engraftment x correct
 *     differentiation / healthy LMN count of the region, functional from
 *     integration_months after the dose, lost at rejection, with attrition
 *     at the graft half-life.
 * Random draws come from the intervention's own stream, in a fixed order
 * (uptake, discontinuation, then per scheduled dose: adherence and three
 * per adverse-event type), so changing one probability moves no other draw.
 */
#include <assert.h>
#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sort.h>
#include "mndsim/disease.h"
#include "mndsim/treatment.h"

const char *const mnd_exposure_status_names[MND_EXPOSURE_COUNT] = {"not_reached", "ineligible",
                                                                   "declined", "treated"};

void mnd_treatment_reset(mnd_treatment *tx, const mnd_params *p)
{
    (void)p;
    for (int i = 0; i < MND_MAX_INTERVENTIONS; i++) {
        tx->exposure[i] = (mnd_exposure){MND_EXPOSURE_NOT_REACHED, 0, NAN, NAN};
        tx->n_doses_planned[i] = 0;
        tx->rejection_time[i] = INFINITY;
    }
    tx->n_ae = tx->n_ae_dropped = 0;
    tx->t_ae_death = INFINITY;
    tx->niv_offered_from = tx->gastrostomy_offered_from = tx->tracheostomy_offered_from = INFINITY;
    tx->n_seg = 0;
    tx->t_first = INFINITY;
    tx->has_grafts = false;
}

/* Eligibility at time t, on expected values of the course as treated so far. */
static bool eligible(const mnd_params *p, const mnd_intervention *iv, const mnd_covariates *c,
                     const mnd_course *k, const mnd_events *ev, double t)
{
    double age = c->age_onset_years + t / 12.0;
    if (!iv->genotypes[c->genotype] || !iv->phenotypes[c->phenotype] || age < iv->min_age_years
        || age > iv->max_age_years)
        return false;
    mnd_pool_state s;
    mnd_pool_state_at(p, k, t, &s);
    if (mnd_fvc_expected(p, c->fvc_predicted_baseline, s.ventilation) < iv->min_fvc_percent)
        return false;
    double e[MND_ITEM_COUNT], total = 0.0;
    int8_t items[MND_ITEM_COUNT];
    mnd_items_expected(p, &s, ev, t, e);
    for (int i = 0; i < MND_ITEM_COUNT; i++) {
        total += e[i];
        items[i] = (int8_t)floor(e[i] + 0.5);
    }
    return total >= iv->min_alsfrs_total
           && mnd_kings_stage(items, t >= ev->t_gastrostomy || t >= ev->t_niv) <= iv->max_kings_stage;
}

static void record_ae(mnd_treatment *tx, int index, mnd_ae_type type, double t, mnd_ae_outcome outcome)
{
    if (tx->n_ae >= MND_MAX_AE_PER_PATIENT) { /* past the cap: counted, with its time */
        assert(tx->n_ae_dropped < MND_MAX_AE_DROPPED); /* one per type and dose */
        tx->ae_dropped_time[tx->n_ae_dropped++] = t;
        return;
    }
    tx->ae[tx->n_ae++] = (mnd_adverse_event){(int8_t)index, (int8_t)type,
                                             (int8_t)mnd_ae_severity[type], (int8_t)outcome, t};
}

void mnd_treatment_give(mnd_treatment *tx, gsl_rng *r, const mnd_params *p, int index,
                        const mnd_covariates *c, const mnd_course *k, const mnd_events *ev,
                        double t_start, double t_end)
{
    const mnd_intervention *iv = &p->interventions[index];
    mnd_exposure *ex = &tx->exposure[index];
    if (!(t_start < ev->t_end) || !(t_start <= t_end)) {
        ex->status = MND_EXPOSURE_NOT_REACHED;
        return;
    }
    if (!eligible(p, iv, c, k, ev, t_start)) {
        ex->status = MND_EXPOSURE_INELIGIBLE;
        return;
    }
    double u_uptake = gsl_rng_uniform(r);
    double e_stop = gsl_ran_exponential(r, 1.0);
    if (!(u_uptake < iv->uptake)) {
        ex->status = MND_EXPOSURE_DECLINED;
        return;
    }
    ex->status = MND_EXPOSURE_TREATED;
    ex->t_start = t_start;
    if (iv->offers_niv)
        tx->niv_offered_from = fmin(tx->niv_offered_from, t_start);
    if (iv->offers_gastrostomy)
        tx->gastrostomy_offered_from = fmin(tx->gastrostomy_offered_from, t_start);
    if (iv->offers_tracheostomy)
        tx->tracheostomy_offered_from = fmin(tx->tracheostomy_offered_from, t_start);
    double t_discontinue = iv->discontinuation_per_month > 0
                               ? t_start + e_stop / iv->discontinuation_per_month
                               : INFINITY;
    double course_end = iv->duration_months > 0 ? t_start + iv->duration_months : INFINITY;

    int n_sched = iv->schedule == MND_SCHEDULE_ONCE ? 1
                  : iv->schedule == MND_SCHEDULE_DOSES ? (int)iv->n_doses : 0;
    int n = 0;
    double last = NAN;
    for (int j = 0; j < n_sched; j++) {
        double t = t_start + j * iv->dose_interval_months;
        double u_take = gsl_rng_uniform(r);
        double draws[MND_AE_COUNT][3];
        for (int a = 0; a < MND_AE_COUNT; a++) {
            draws[a][0] = gsl_rng_uniform(r);
            draws[a][1] = gsl_ran_gaussian_ziggurat(r, 1.0);
            draws[a][2] = gsl_rng_uniform(r);
        }
        if (t > t_end || t >= t_discontinue || !(u_take < iv->adherence))
            continue;
        tx->dose_time[index][n++] = t;
        last = t;
        for (int a = 0; a < MND_AE_COUNT; a++) {
            if (!(draws[a][0] < mnd_ae_per_dose(iv, &p->delivery, (mnd_ae_type)a)))
                continue;
            double when = t + p->delivery.ae_latency_months[a]
                                  * exp(p->delivery.ae_latency_sd_log[a] * draws[a][1]);
            if (when > t_end)
                continue;
            mnd_ae_outcome outcome = MND_OUTCOME_RECOVERED;
            if (draws[a][2] < p->delivery.ae_fatality[a]) {
                outcome = MND_OUTCOME_FATAL;
                tx->t_ae_death = fmin(tx->t_ae_death, when);
            } else if (a == MND_AE_REJECTION) {
                outcome = MND_OUTCOME_GRAFT_LOST;
                tx->rejection_time[index] = fmin(tx->rejection_time[index], when);
            }
            record_ae(tx, index, (mnd_ae_type)a, when, outcome);
        }
    }
    tx->n_doses_planned[index] = n;
    ex->n_doses = n;
    switch (iv->schedule) {
    case MND_SCHEDULE_ONCE:
        ex->t_stop = n > 0 ? course_end : t_start;
        break;
    case MND_SCHEDULE_DOSES:
        ex->t_stop = n > 0 ? last + iv->dose_interval_months : t_start;
        break;
    default:
        ex->t_stop = fmin(course_end, t_discontinue);
        break;
    }
}

/* Share of an intervention's effect reaching each region. */
static void delivery_share(const mnd_params *p, const mnd_intervention *iv, double w[MND_REGION_COUNT])
{
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        if (iv->cell_source == MND_CELLS_NONE)
            w[reg] = 1.0;
        else if (iv->route == MND_ROUTE_INTRASPINAL)
            w[reg] = reg == (int)iv->target_region ? p->delivery.cell_fraction[iv->route][reg] : 0.0;
        else
            w[reg] = p->delivery.cell_fraction[iv->route][reg];
    }
}

/* Whether time t lies in an exposure window of intervention i (constant effects act). */
static bool exposed(const mnd_treatment *tx, const mnd_intervention *iv, int i, double t)
{
    const mnd_exposure *ex = &tx->exposure[i];
    switch (iv->schedule) {
    case MND_SCHEDULE_CONTINUOUS:
        return t >= ex->t_start && t < ex->t_stop;
    case MND_SCHEDULE_ONCE:
        return tx->n_doses_planned[i] > 0 && t >= ex->t_start && t < ex->t_stop;
    default:
        for (int j = 0; j < tx->n_doses_planned[i]; j++)
            if (t >= tx->dose_time[i][j] && t < tx->dose_time[i][j] + iv->dose_interval_months)
                return true;
        return false;
    }
}

/* Time of the last neurotrophic refresh at or before t (NaN if none): the
 * last dose, or the stop of a continuous course. */
static double neurotrophic_since(const mnd_treatment *tx, const mnd_intervention *iv, int i, double t)
{
    if (iv->schedule == MND_SCHEDULE_CONTINUOUS)
        return t >= tx->exposure[i].t_stop ? tx->exposure[i].t_stop : NAN;
    double since = NAN;
    for (int j = 0; j < tx->n_doses_planned[i] && tx->dose_time[i][j] <= t; j++)
        since = tx->dose_time[i][j];
    return since;
}

static bool acts_on(mnd_component effect, mnd_component component)
{
    return effect == MND_COMPONENT_ALL || effect == component;
}

/* Collects the breakpoints of intervention i into b[]; returns the new count. */
static int breakpoints(const mnd_treatment *tx, const mnd_intervention *iv, int i, double *b, int n)
{
    const mnd_exposure *ex = &tx->exposure[i];
    b[n++] = ex->t_start;
    b[n++] = ex->t_stop;
    b[n++] = tx->rejection_time[i];
    for (int j = 0; j < tx->n_doses_planned[i]; j++) {
        double d = tx->dose_time[i][j];
        b[n++] = d;
        b[n++] = iv->schedule == MND_SCHEDULE_DOSES ? d + iv->dose_interval_months : INFINITY;
        b[n++] = d + iv->integration_months;
    }
    return n;
}

/* The state of the treatment just after time t0 (segment s, without its clocks). */
static void segment_state(const mnd_treatment *tx, const mnd_params *p, const bool *active,
                          double t0, mnd_segment *s)
{
    double share = p->non_cell_autonomous_share;
    double c_ca[MND_REGION_COUNT], c_nca[MND_REGION_COUNT];
    double amp[MND_MAX_INTERVENTIONS][MND_REGION_COUNT] = {{0}};
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        c_ca[reg] = c_nca[reg] = 1.0;
    s->t0 = t0;
    s->death_speed = 1.0;
    s->symptomatic_points = 0.0;
    memset(s->graft0, 0, sizeof s->graft0);
    memset(s->decay_coef, 0, sizeof s->decay_coef);

    for (int i = 0; i < p->n_interventions; i++) {
        if (!active[i])
            continue;
        const mnd_intervention *iv = &p->interventions[i];
        bool continuous = iv->schedule == MND_SCHEDULE_CONTINUOUS;
        double adh = continuous ? iv->adherence : 1.0;
        double w[MND_REGION_COUNT];
        delivery_share(p, iv, w);
        if (exposed(tx, iv, i, t0)) {
            double m = pow(iv->loss_rate_multiplier, adh);
            for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
                double f = 1.0 - w[reg] * (1.0 - m);
                double nt = continuous ? 1.0 - w[reg] * iv->neurotrophic_slowing * adh : 1.0;
                if (acts_on(iv->rate_component, MND_COMPONENT_CELL_AUTONOMOUS))
                    c_ca[reg] *= f;
                if (acts_on(iv->rate_component, MND_COMPONENT_NON_CELL_AUTONOMOUS))
                    c_nca[reg] *= f;
                if (acts_on(iv->neurotrophic_component, MND_COMPONENT_CELL_AUTONOMOUS))
                    c_ca[reg] *= nt;
                if (acts_on(iv->neurotrophic_component, MND_COMPONENT_NON_CELL_AUTONOMOUS))
                    c_nca[reg] *= nt;
                c_nca[reg] *= 1.0 - w[reg] * iv->immunomodulation * adh;
            }
            s->death_speed *= pow(iv->death_hazard_ratio, adh / p->delivery.death_weibull_shape);
            s->symptomatic_points += iv->symptomatic_points * adh;
        }
        double since = neurotrophic_since(tx, iv, i, t0);
        if (iv->neurotrophic_slowing > 0 && !isnan(since)) {
            double level = iv->neurotrophic_slowing * adh
                           * exp2(-(t0 - since) / iv->neurotrophic_half_life_months);
            for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                amp[i][reg] = level * w[reg];
        }
        double per_dose = iv->cells_per_dose_millions * iv->engraftment * iv->correct_differentiation;
        for (int j = 0; per_dose > 0 && j < tx->n_doses_planned[i]; j++) {
            double t_int = tx->dose_time[i][j] + iv->integration_months;
            if (t_int > t0 || t0 >= tx->rejection_time[i])
                continue;
            double left = exp(-tx->kappa[i] * (t0 - t_int));
            for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                s->graft0[i][reg] += per_dose * w[reg] / p->delivery.lmn_per_region_millions[reg] * left;
        }
    }
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        s->speed[reg] = (1.0 - share) * c_ca[reg] + share * c_nca[reg];
        for (int i = 0; i < p->n_interventions; i++) {
            mnd_component comp = p->interventions[i].neurotrophic_component;
            double weight = (acts_on(comp, MND_COMPONENT_CELL_AUTONOMOUS) ? (1.0 - share) * c_ca[reg] : 0.0)
                            + (acts_on(comp, MND_COMPONENT_NON_CELL_AUTONOMOUS) ? share * c_nca[reg] : 0.0);
            s->decay_coef[i][reg] = -amp[i][reg] * weight;
        }
    }
}

/* Whether region reg's clock still reads t itself in segment s: it starts
 * the segment at t0 and runs at speed 1 with no decaying term, i.e. nothing
 * has acted on it yet.  Such stretches are evaluated as t exactly, because
 * t0 + (t - t0) need not round to t: without this, an intervention that
 * never touches the pools (symptomatic, placebo, death hazard ratio), or
 * one whose effect starts later, would move the pools by an ulp and the
 * event times found on them by up to the solver's tolerance.
 * ((1 - s) + s rounds to exactly 1 for s in [0, 1], so segment_state gives
 * speed 1.0 when no effect acts.) */
static bool clock_is_identity(const mnd_segment *s, int reg)
{
    if (s->clock0[reg] != s->t0 || s->speed[reg] != 1.0)
        return false;
    for (int i = 0; i < MND_MAX_INTERVENTIONS; i++)
        if (s->decay_coef[i][reg] != 0.0)
            return false;
    return true;
}

/* The same for the disease-death clock. */
static bool death_clock_is_identity(const mnd_segment *s)
{
    return s->death_clock0 == s->t0 && s->death_speed == 1.0;
}

/* Integral of region reg's clock speed over [t0, t0 + dt] of segment s. */
static double clock_advance(const mnd_treatment *tx, int n_iv, const mnd_segment *s, int reg, double dt)
{
    double g = s->speed[reg] * dt;
    for (int i = 0; i < n_iv; i++)
        if (s->decay_coef[i][reg] != 0.0)
            g += s->decay_coef[i][reg] * -expm1(-tx->lambda[i] * dt) / tx->lambda[i];
    return g;
}

void mnd_treatment_build(mnd_treatment *tx, const mnd_params *p, mnd_course *k)
{
    bool active[MND_MAX_INTERVENTIONS] = {false};
    double b[MND_MAX_SEGMENTS];
    int nb = 0;
    k->tx = NULL;
    tx->n_seg = 0;
    tx->t_first = INFINITY;
    tx->has_grafts = false;
    for (int i = 0; i < p->n_interventions; i++) {
        const mnd_intervention *iv = &p->interventions[i];
        active[i] = tx->exposure[i].status == MND_EXPOSURE_TREATED && mnd_intervention_has_effect(iv);
        if (!active[i])
            continue;
        tx->lambda[i] = M_LN2 / iv->neurotrophic_half_life_months;
        tx->kappa[i] = M_LN2 / iv->graft_half_life_months;
        tx->has_grafts |= iv->cells_per_dose_millions * iv->engraftment * iv->correct_differentiation > 0;
        nb = breakpoints(tx, iv, i, b, nb);
    }
    gsl_sort(b, 1, (size_t)nb);
    int n = 0;
    for (int j = 0; j < nb && isfinite(b[j]); j++)
        if (n == 0 || b[j] > b[n - 1])
            b[n++] = b[j];
    if (n == 0)
        return;

    for (int j = 0; j < n; j++) {
        mnd_segment *s = &tx->seg[j];
        segment_state(tx, p, active, b[j], s);
        if (j == 0) {
            for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                s->clock0[reg] = b[0];
            s->death_clock0 = b[0];
        } else {
            const mnd_segment *prev = &tx->seg[j - 1];
            double dt = b[j] - b[j - 1];
            /* an untouched clock stays exactly t (clock_is_identity) */
            for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                s->clock0[reg] = clock_is_identity(prev, reg)
                                     ? b[j]
                                     : prev->clock0[reg] + clock_advance(tx, p->n_interventions, prev, reg, dt);
            s->death_clock0 = death_clock_is_identity(prev) ? b[j]
                                                            : prev->death_clock0 + prev->death_speed * dt;
        }
    }
    for (int j = 0; j < n; j++) { /* what each segment's evaluation must look at */
        mnd_segment *s = &tx->seg[j];
        s->n_decay = s->n_graft = 0;
        for (int i = 0; i < p->n_interventions; i++) {
            bool decays = false, grafted = false;
            for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
                decays |= s->decay_coef[i][reg] != 0.0;
                grafted |= s->graft0[i][reg] != 0.0;
            }
            if (decays)
                s->decay[s->n_decay++] = (int8_t)i;
            if (grafted)
                s->graft[s->n_graft++] = (int8_t)i;
        }
        for (int reg = 0; reg < MND_REGION_COUNT; reg++)
            s->identity[reg] = clock_is_identity(s, reg);
    }
    tx->n_seg = n;
    tx->t_first = b[0];
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        tx->clock_loss_start[reg] = mnd_treatment_clock(tx, (mnd_region)reg, k->loss_start[reg]);
    k->tx = tx;
}

/* Index of the segment containing t > t_first. */
static int segment_of(const mnd_treatment *tx, double t)
{
    int lo = 0, hi = tx->n_seg - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (tx->seg[mid].t0 <= t)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

void mnd_treatment_eval(const mnd_treatment *tx, double t, double clock[MND_REGION_COUNT],
                        double graft[MND_REGION_COUNT])
{
    if (tx->n_seg == 0 || t <= tx->t_first) {
        for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
            clock[reg] = t;
            graft[reg] = 0.0;
        }
        return;
    }
    const mnd_segment *s = &tx->seg[segment_of(tx, t)];
    double dt = t - s->t0;
    double decayed[MND_MAX_INTERVENTIONS], left[MND_MAX_INTERVENTIONS];
    for (int j = 0; j < s->n_decay; j++) {
        int i = s->decay[j];
        decayed[j] = -expm1(-tx->lambda[i] * dt) / tx->lambda[i];
    }
    for (int j = 0; j < s->n_graft; j++)
        left[j] = exp(-tx->kappa[s->graft[j]] * dt);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        if (s->identity[reg]) {
            clock[reg] = t; /* bit for bit the untreated clock */
        } else {
            double g = s->speed[reg] * dt;
            for (int j = 0; j < s->n_decay; j++)
                g += s->decay_coef[s->decay[j]][reg] * decayed[j];
            clock[reg] = s->clock0[reg] + g;
        }
        graft[reg] = 0.0;
        for (int j = 0; j < s->n_graft; j++)
            graft[reg] += s->graft0[s->graft[j]][reg] * left[j];
    }
}

double mnd_treatment_clock(const mnd_treatment *tx, mnd_region region, double t)
{
    double clock[MND_REGION_COUNT], graft[MND_REGION_COUNT];
    mnd_treatment_eval(tx, t, clock, graft);
    return clock[region];
}

double mnd_treatment_graft(const mnd_treatment *tx, mnd_region region, double t)
{
    double clock[MND_REGION_COUNT], graft[MND_REGION_COUNT];
    mnd_treatment_eval(tx, t, clock, graft);
    return graft[region];
}

double mnd_treatment_death_time(const mnd_treatment *tx, double t_untreated)
{
    if (tx->n_seg == 0 || !(t_untreated > tx->t_first))
        return t_untreated;
    int j = tx->n_seg - 1;
    while (j > 0 && tx->seg[j].death_clock0 > t_untreated)
        j--;
    const mnd_segment *s = &tx->seg[j];
    if (death_clock_is_identity(s))
        return t_untreated; /* no hazard ratio has acted yet: unchanged, bit for bit */
    return s->t0 + (t_untreated - s->death_clock0) / s->death_speed;
}

double mnd_treatment_item_shift(const mnd_treatment *tx, const mnd_params *p, double t)
{
    double shift = 0.0;
    if (tx->n_seg > 0 && t >= tx->t_first)
        shift = tx->seg[segment_of(tx, t)].symptomatic_points;
    for (int i = 0; i < p->n_interventions; i++) {
        const mnd_intervention *iv = &p->interventions[i];
        const mnd_exposure *ex = &tx->exposure[i];
        if (iv->placebo_points != 0.0 && ex->status == MND_EXPOSURE_TREATED && t >= ex->t_start)
            shift += iv->placebo_points * exp2(-(t - ex->t_start) / iv->placebo_half_life_months);
    }
    return shift;
}

void mnd_treatment_truncate(mnd_treatment *tx, double t_end)
{
    int kept = 0;
    for (int a = 0; a < tx->n_ae; a++)
        if (tx->ae[a].time <= t_end)
            tx->ae[kept++] = tx->ae[a];
    tx->n_ae = kept;
    kept = 0;
    for (int a = 0; a < tx->n_ae_dropped; a++)
        if (tx->ae_dropped_time[a] <= t_end)
            tx->ae_dropped_time[kept++] = tx->ae_dropped_time[a];
    tx->n_ae_dropped = kept;
    for (int i = 0; i < MND_MAX_INTERVENTIONS; i++) {
        int n = 0;
        while (n < tx->n_doses_planned[i] && tx->dose_time[i][n] <= t_end)
            n++;
        tx->exposure[i].n_doses = n;
    }
}
