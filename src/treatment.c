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
 *
 * Cost.  mnd_treatment_eval runs for every pool state and every step of
 * the event searches of a treated patient, so a segment keeps only what it
 * needs (the decaying and grafted terms in lists, their rates beside them),
 * the segment starts are packed for the lookup, and the last segment, where
 * most times fall, is tried first.  The build visits the segments in time
 * order with cursors over the doses and computes the time-free part of each
 * effect once.  Neither changes a value: every number is the same
 * expression, in the same order, as the direct formulas.
 */
#include <assert.h>
#include <math.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_math.h>
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
    tx->has_placebo = false;
    tx->has_symptomatic = false;
    tx->n_seg = 0;
    tx->t_first = INFINITY;
    tx->t_pools_change = INFINITY;
    tx->has_grafts = false;
}

bool mnd_treatment_reads_course(const mnd_intervention *iv)
{
    return iv->min_fvc_percent > 0 || iv->min_alsfrs_total > 0 || iv->max_kings_stage < 4;
}

/* Eligibility at time t, on expected values of the course as treated so far.
 * Without criteria on the course (mnd_treatment_reads_course) these always
 * pass (expected FVC and items are >= 0, King's stage <= 4), so the course
 * is not read. */
static bool eligible(const mnd_params *p, const mnd_intervention *iv, const mnd_covariates *c,
                     const mnd_course *k, const mnd_events *ev, double t)
{
    double age = c->age_onset_years + t / 12.0;
    if (!iv->genotypes[c->genotype] || !iv->phenotypes[c->phenotype] || age < iv->min_age_years
        || age > iv->max_age_years)
        return false;
    if (!mnd_treatment_reads_course(iv))
        return true;
    mnd_pool_state s;
    mnd_pool_state_at(p, k, t, &s);
    if (mnd_fvc_expected(p, c->fvc_predicted_baseline, s.ventilation) < iv->min_fvc_percent)
        return false;
    double e[MND_ITEM_COUNT], total = 0.0;
    mnd_items_expected(p, &s, ev, t, e);
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        total += e[i];
    return total >= iv->min_alsfrs_total && mnd_kings_stage_expected(e, ev, t) <= iv->max_kings_stage;
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
    if (!(t_start <= t_end)) {
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
    tx->has_placebo |= iv->placebo_points != 0.0;
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

static bool acts_on(mnd_component effect, mnd_component component)
{
    return effect == MND_COMPONENT_ALL || effect == component;
}

/* Appends t to b[] if it is finite (an infinite breakpoint is never reached). */
static int add_breakpoint(double *b, int n, double t)
{
    if (isfinite(t))
        b[n++] = t;
    return n;
}

/* Collects the finite breakpoints of intervention i into b[]; returns the new count. */
static int breakpoints(const mnd_treatment *tx, const mnd_intervention *iv, int i, double *b, int n)
{
    const mnd_exposure *ex = &tx->exposure[i];
    n = add_breakpoint(b, n, ex->t_start);
    n = add_breakpoint(b, n, ex->t_stop);
    n = add_breakpoint(b, n, tx->rejection_time[i]);
    for (int j = 0; j < tx->n_doses_planned[i]; j++) {
        double d = tx->dose_time[i][j];
        n = add_breakpoint(b, n, d);
        if (iv->schedule == MND_SCHEDULE_DOSES)
            n = add_breakpoint(b, n, d + iv->dose_interval_months);
        n = add_breakpoint(b, n, d + iv->integration_months);
    }
    return n;
}

/* Sorts b[0..n) ascending.  The breakpoints are few and arrive in nearly
 * sorted runs (doses in time order): insertion sort. */
static void sort_breakpoints(double *b, int n)
{
    for (int j = 1; j < n; j++) {
        double x = b[j];
        int i = j;
        for (; i > 0 && b[i - 1] > x; i--)
            b[i] = b[i - 1];
        b[i] = x;
    }
}

/* Factors an exposed intervention puts on the rate components, in this
 * order: loss-rate multiplier on CA, on NCA; continuous neurotrophic slowing
 * on CA, on NCA; immunomodulation on NCA. */
#define MAX_STEPS 5

/* An active intervention during one build: the parts of its effect that do
 * not depend on time, computed once, and cursors over its doses (segments
 * are built in time order).  Each factor is the expression the segment
 * would otherwise evaluate itself, so the products are the same bits; a
 * factor of exactly 1 in every region is left out (x * 1 == x). */
typedef struct {
    double w[MND_REGION_COUNT];          /* share reaching each region (delivery_share) */
    int n_steps;                         /* factors that are not 1 (MAX_STEPS order) */
    bool step_nca[MAX_STEPS];            /* the factor acts on NCA, else on CA */
    double step_factor[MAX_STEPS][MND_REGION_COUNT]; /* the factor in each region */
    double death_factor;                 /* death_hazard_ratio^(adh / Weibull shape) */
    double symptomatic;                  /* symptomatic_points adh */
    double trophic_level;                /* neurotrophic_slowing adh: level right after a refresh */
    double graft_unit[MND_REGION_COUNT]; /* grafted LMN fraction per integrated dose, before attrition */
    bool grafts;                         /* doses graft functional neurons */
    int n_before;                        /* doses at or before the current segment start */
    int n_integrated;                    /* doses integrated by the current segment start */
} iv_state;

/* Appends the factor f on component nca (else CA) to e's steps, unless it is 1 everywhere. */
static void add_step(iv_state *e, bool nca, const double f[MND_REGION_COUNT])
{
    bool trivial = true;
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        trivial &= f[reg] == 1.0;
    if (trivial)
        return;
    e->step_nca[e->n_steps] = nca;
    memcpy(e->step_factor[e->n_steps], f, sizeof e->step_factor[0]);
    e->n_steps++;
}

static void iv_state_init(const mnd_params *p, const mnd_intervention *iv, iv_state *e)
{
    bool continuous = iv->schedule == MND_SCHEDULE_CONTINUOUS;
    double adh = continuous ? iv->adherence : 1.0;
    delivery_share(p, iv, e->w);
    /* pow(1, y) is exactly 1 (C99 F.9.4.4): no call for an absent effect */
    double m = iv->loss_rate_multiplier == 1.0 ? 1.0 : pow(iv->loss_rate_multiplier, adh);
    double rate[MND_REGION_COUNT], trophic[MND_REGION_COUNT], immune[MND_REGION_COUNT];
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        rate[reg] = 1.0 - e->w[reg] * (1.0 - m);
        trophic[reg] = continuous ? 1.0 - e->w[reg] * iv->neurotrophic_slowing * adh : 1.0;
        immune[reg] = 1.0 - e->w[reg] * iv->immunomodulation * adh;
    }
    e->n_steps = 0;
    if (acts_on(iv->rate_component, MND_COMPONENT_CELL_AUTONOMOUS))
        add_step(e, false, rate);
    if (acts_on(iv->rate_component, MND_COMPONENT_NON_CELL_AUTONOMOUS))
        add_step(e, true, rate);
    if (acts_on(iv->neurotrophic_component, MND_COMPONENT_CELL_AUTONOMOUS))
        add_step(e, false, trophic);
    if (acts_on(iv->neurotrophic_component, MND_COMPONENT_NON_CELL_AUTONOMOUS))
        add_step(e, true, trophic);
    add_step(e, true, immune);
    e->death_factor = iv->death_hazard_ratio == 1.0
                          ? 1.0
                          : pow(iv->death_hazard_ratio, adh / p->delivery.death_weibull_shape);
    e->symptomatic = iv->symptomatic_points * adh;
    e->trophic_level = iv->neurotrophic_slowing * adh;
    double per_dose = iv->cells_per_dose_millions * iv->engraftment * iv->correct_differentiation;
    e->grafts = per_dose > 0;
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        e->graft_unit[reg] = per_dose * e->w[reg] / p->delivery.lmn_per_region_millions[reg];
    e->n_before = e->n_integrated = 0;
}

/* Whether constant effects act just after t0: t0 lies in an exposure
 * window (for doses: one dose_interval after a dose taken, and the last
 * dose at or before t0 is the one whose window reaches furthest). */
static bool exposed(const mnd_treatment *tx, const mnd_intervention *iv, int i, const iv_state *e,
                    double t0)
{
    const mnd_exposure *ex = &tx->exposure[i];
    switch (iv->schedule) {
    case MND_SCHEDULE_CONTINUOUS:
        return t0 >= ex->t_start && t0 < ex->t_stop;
    case MND_SCHEDULE_ONCE:
        return tx->n_doses_planned[i] > 0 && t0 >= ex->t_start && t0 < ex->t_stop;
    default:
        return e->n_before > 0 && t0 < tx->dose_time[i][e->n_before - 1] + iv->dose_interval_months;
    }
}

/* Time of the last neurotrophic refresh at or before t0 (NaN if none): the
 * last dose, or the stop of a continuous course. */
static double neurotrophic_since(const mnd_treatment *tx, const mnd_intervention *iv, int i,
                                 const iv_state *e, double t0)
{
    if (iv->schedule == MND_SCHEDULE_CONTINUOUS)
        return t0 >= tx->exposure[i].t_stop ? tx->exposure[i].t_stop : NAN;
    return e->n_before > 0 ? tx->dose_time[i][e->n_before - 1] : NAN;
}

/* The state of the treatment just after time t0 (segment s, without its
 * clocks); segments must be visited in time order (the dose cursors). */
static void segment_state(const mnd_treatment *tx, const mnd_params *p, int n_active,
                          const int8_t *active, iv_state *st, double t0, mnd_segment *s)
{
    double share = p->non_cell_autonomous_share;
    double c_ca[MND_REGION_COUNT], c_nca[MND_REGION_COUNT];
    double amp[MND_MAX_INTERVENTIONS][MND_REGION_COUNT];
    int8_t trophic[MND_MAX_INTERVENTIONS];
    int n_trophic = 0;
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        c_ca[reg] = c_nca[reg] = 1.0;
    s->t0 = t0;
    s->death_speed = 1.0;
    s->symptomatic_points = 0.0;
    s->n_graft = 0;

    for (int a = 0; a < n_active; a++) {
        int i = active[a];
        const mnd_intervention *iv = &p->interventions[i];
        iv_state *e = &st[i];
        while (e->n_before < tx->n_doses_planned[i] && tx->dose_time[i][e->n_before] <= t0)
            e->n_before++;
        if (exposed(tx, iv, i, e, t0)) {
            for (int k = 0; k < e->n_steps; k++) {
                double *c = e->step_nca[k] ? c_nca : c_ca;
                for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                    c[reg] *= e->step_factor[k][reg];
            }
            s->death_speed *= e->death_factor;
            s->symptomatic_points += e->symptomatic;
        }
        if (iv->neurotrophic_slowing > 0) {
            double since = neurotrophic_since(tx, iv, i, e, t0);
            if (!isnan(since)) {
                double level = e->trophic_level * exp2(-(t0 - since) / iv->neurotrophic_half_life_months);
                for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                    amp[n_trophic][reg] = level * e->w[reg];
                trophic[n_trophic++] = (int8_t)i;
            }
        }
        if (e->grafts) {
            /* doses integrate in time order: those integrated by t0 are a prefix */
            while (e->n_integrated < tx->n_doses_planned[i]
                   && !(tx->dose_time[i][e->n_integrated] + iv->integration_months > t0))
                e->n_integrated++;
            if (e->n_integrated > 0 && t0 < tx->rejection_time[i]) {
                double *g = s->graft0[s->n_graft];
                for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                    g[reg] = 0.0;
                for (int j = 0; j < e->n_integrated; j++) {
                    double t_int = tx->dose_time[i][j] + iv->integration_months;
                    double left = exp(-tx->kappa[i] * (t0 - t_int));
                    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                        g[reg] += e->graft_unit[reg] * left;
                }
                bool grafted = false;
                for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                    grafted |= g[reg] != 0.0;
                if (grafted) {
                    s->graft_rate[s->n_graft] = tx->kappa[i];
                    s->graft[s->n_graft++] = (int8_t)i;
                }
            }
        }
    }
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        s->speed[reg] = (1.0 - share) * c_ca[reg] + share * c_nca[reg];
    /* decaying terms: -amplitude x the weight of the component they act on */
    s->n_decay = 0;
    for (int j = 0; j < n_trophic; j++) {
        int i = trophic[j];
        mnd_component comp = p->interventions[i].neurotrophic_component;
        bool ca = acts_on(comp, MND_COMPONENT_CELL_AUTONOMOUS);
        bool nca = acts_on(comp, MND_COMPONENT_NON_CELL_AUTONOMOUS);
        double *coef = s->decay_coef[s->n_decay];
        bool decays = false;
        for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
            double weight = (ca ? (1.0 - share) * c_ca[reg] : 0.0) + (nca ? share * c_nca[reg] : 0.0);
            coef[reg] = -amp[j][reg] * weight;
            decays |= coef[reg] != 0.0;
        }
        if (decays) {
            s->decay_rate[s->n_decay] = tx->lambda[i];
            s->decay[s->n_decay++] = (int8_t)i;
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
    for (int j = 0; j < s->n_decay; j++)
        if (s->decay_coef[j][reg] != 0.0)
            return false;
    return true;
}

/* The same for the disease-death clock. */
static bool death_clock_is_identity(const mnd_segment *s)
{
    return s->death_clock0 == s->t0 && s->death_speed == 1.0;
}

/* The clocks at the start of segment s from those of the segment before,
 * dt earlier: each region's G advances by the integral of its speed,
 * speed dt + sum over decaying terms of coef (1 - e^(-lambda dt)) / lambda
 * (one expm1 per term, shared by the regions). */
static void clocks_from(const mnd_segment *prev, double dt, mnd_segment *s)
{
    double rise[MND_MAX_INTERVENTIONS]; /* 1 - e^(-lambda dt) */
    for (int j = 0; j < prev->n_decay; j++)
        rise[j] = -expm1(-prev->decay_rate[j] * dt);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        if (prev->identity[reg]) { /* an untouched clock stays exactly t */
            s->clock0[reg] = s->t0;
            continue;
        }
        double g = prev->speed[reg] * dt;
        for (int j = 0; j < prev->n_decay; j++)
            if (prev->decay_coef[j][reg] != 0.0)
                g += prev->decay_coef[j][reg] * rise[j] / prev->decay_rate[j];
        s->clock0[reg] = prev->clock0[reg] + g;
    }
    s->death_clock0 = death_clock_is_identity(prev) ? s->t0 : prev->death_clock0 + prev->death_speed * dt;
}

/* Index of the segment containing t >= t_first: the last start <= t.  Most
 * times fall in the last segment, which lasts to the end of the record:
 * checked first, so that the evaluation need not wait for a search; else a
 * branch-free binary search over the packed starts. */
static inline int segment_of(const mnd_treatment *tx, double t)
{
    const double *t0 = tx->seg_t0;
    if (t >= t0[tx->n_seg - 1])
        return tx->n_seg - 1;
    int lo = 0;
    for (int n = tx->n_seg - 1; n > 1;) {
        int half = n / 2;
        lo = t0[lo + half] <= t ? lo + half : lo;
        n -= half;
    }
    return lo;
}

/* G_r(t) of one region: the arithmetic of mnd_treatment_eval. */
static double region_clock(const mnd_treatment *tx, int reg, double t)
{
    if (tx->n_seg == 0 || t <= tx->t_first)
        return t;
    const mnd_segment *s = &tx->seg[segment_of(tx, t)];
    if (s->identity[reg])
        return t;
    double dt = t - s->t0;
    double g = s->speed[reg] * dt;
    for (int j = 0; j < s->n_decay; j++) {
        double lambda = s->decay_rate[j];
        g += s->decay_coef[j][reg] * (-expm1(-lambda * dt) / lambda);
    }
    return s->clock0[reg] + g;
}

void mnd_treatment_build(mnd_treatment *tx, const mnd_params *p, mnd_course *k)
{
    int8_t active[MND_MAX_INTERVENTIONS];
    iv_state st[MND_MAX_INTERVENTIONS];
    int n_active = 0;
    double *b = tx->seg_t0; /* the breakpoints; sorted and unique, the segment starts */
    int nb = 0;
    k->tx = NULL;
    tx->n_seg = 0;
    tx->t_first = INFINITY;
    tx->t_pools_change = INFINITY;
    tx->has_grafts = false;
    tx->has_symptomatic = false;
    for (int i = 0; i < p->n_interventions; i++) {
        const mnd_intervention *iv = &p->interventions[i];
        if (tx->exposure[i].status != MND_EXPOSURE_TREATED || !mnd_intervention_has_effect(iv))
            continue;
        active[n_active++] = (int8_t)i;
        tx->lambda[i] = M_LN2 / iv->neurotrophic_half_life_months;
        tx->kappa[i] = M_LN2 / iv->graft_half_life_months;
        iv_state_init(p, iv, &st[i]);
        tx->has_grafts |= st[i].grafts;
        nb = breakpoints(tx, iv, i, b, nb);
    }
    sort_breakpoints(b, nb);
    int n = 0;
    for (int j = 0; j < nb; j++)
        if (n == 0 || b[j] > b[n - 1])
            b[n++] = b[j];
    if (n == 0)
        return;

    for (int j = 0; j < n; j++) {
        mnd_segment *s = &tx->seg[j];
        segment_state(tx, p, n_active, active, st, b[j], s);
        if (j == 0) {
            for (int reg = 0; reg < MND_REGION_COUNT; reg++)
                s->clock0[reg] = b[0];
            s->death_clock0 = b[0];
        } else {
            clocks_from(&tx->seg[j - 1], b[j] - b[j - 1], s);
        }
        bool pools_change = s->n_graft > 0;
        for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
            s->identity[reg] = clock_is_identity(s, reg);
            pools_change |= !s->identity[reg];
        }
        if (pools_change && !isfinite(tx->t_pools_change))
            tx->t_pools_change = b[j];
        tx->has_symptomatic |= s->symptomatic_points != 0.0;
    }
    tx->n_seg = n;
    tx->t_first = b[0];
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        tx->clock_loss_start[reg] = region_clock(tx, reg, k->loss_start[reg]);
        tx->natural_loss_start[reg] = mnd_course_clock(k, tx->clock_loss_start[reg]);
    }
    k->tx = tx;
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
        double lambda = s->decay_rate[j];
        decayed[j] = -expm1(-lambda * dt) / lambda;
    }
    for (int j = 0; j < s->n_graft; j++)
        left[j] = exp(-s->graft_rate[j] * dt);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        if (s->identity[reg]) {
            clock[reg] = t; /* bit for bit the untreated clock */
        } else {
            double g = s->speed[reg] * dt;
            for (int j = 0; j < s->n_decay; j++)
                g += s->decay_coef[j][reg] * decayed[j];
            clock[reg] = s->clock0[reg] + g;
        }
        graft[reg] = 0.0;
        for (int j = 0; j < s->n_graft; j++)
            graft[reg] += s->graft0[j][reg] * left[j];
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

/* How much of an intervention's expectation (placebo) effect is left at t:
 * 1 at the start of a taken exposure, halving every placebo_half_life_months;
 * 0 before the start or when not taken.  The ALSFRS-R shift and the
 * patient-reported factor both fade by it. */
static double expectation_left(const mnd_intervention *iv, const mnd_exposure *ex, double t)
{
    if (ex->status != MND_EXPOSURE_TREATED || !(t >= ex->t_start))
        return 0.0;
    return exp2(-(t - ex->t_start) / iv->placebo_half_life_months);
}

double mnd_treatment_item_shift(const mnd_treatment *tx, const mnd_params *p, double t)
{
    double shift = 0.0;
    if (tx->has_symptomatic && t >= tx->t_first)
        shift = tx->seg[segment_of(tx, t)].symptomatic_points;
    for (int i = 0; tx->has_placebo && i < p->n_interventions; i++) {
        const mnd_intervention *iv = &p->interventions[i];
        if (iv->placebo_points != 0.0)
            shift += iv->placebo_points * expectation_left(iv, &tx->exposure[i], t);
    }
    return shift;
}

double mnd_treatment_pro_factor(const mnd_params *p, const mnd_exposure exposure[], double t)
{
    double factor = 1.0;
    for (int i = 0; i < p->n_interventions; i++) {
        const mnd_intervention *iv = &p->interventions[i];
        const mnd_exposure *ex = &exposure[i];
        if (ex->status != MND_EXPOSURE_TREATED || !(t >= ex->t_start))
            continue;
        if (t < ex->t_stop)
            factor *= 1.0 - iv->pro_relief_fraction;
        factor *= 1.0 - iv->placebo_pro_fraction * expectation_left(iv, ex, t);
    }
    return factor;
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
