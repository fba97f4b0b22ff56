/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_treatment.c — unit tests of the interventions engine: giving an
 * intervention to one patient and the treated course (src/treatment.c,
 * src/intervention.c), the treated pools (src/course.c), treated event
 * times (src/events.c) and the patient loop with interventions
 * (give_interventions in src/sim.c).
 *
 * Each mechanism is shown against its analytic expectation in a degenerate
 * config: one intervention with one effect, everything else neutral.
 *   - neutral effects change nothing, bit for bit;
 *   - a loss-rate multiplier m runs the disease clock at speed m;
 *   - a neurotrophic dose slows the clock by E 2^(-(t - dose)/h);
 *   - immunomodulation D slows it to 1 - s D (s the non-cell-autonomous share);
 *   - a cell product acts in a region as 1 - w (1 - m), w the route's share;
 *   - grafted neurons: cells x w x engraftment x differentiation / LMN count,
 *     from integration, halving every graft half-life, gone at rejection;
 *   - a death hazard ratio HR maps a death at T to s + (T - s) / HR^(1/k);
 *   - adverse events at their per-dose probabilities and latencies; a fatal
 *     one ends the record;
 *   - eligibility, uptake and adherence;
 *   - symptomatic and placebo shifts move the measured items only;
 *   - an intervention's draws come from a stream keyed by its name;
 *   - a crossing just before a graft integrates is found, and an
 *     intervention starting after a fatal adverse event is not reached.
 * Deterministic quantities are checked to ~1e-12 relative; shares and
 * medians within 4 standard errors at fixed seeds (so every run is the same
 * and a failure is real).
 *
 * The config loader does not read `interventions` yet: the tests fill
 * p.interventions and p.delivery in C, every field explicitly.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include "mndsim/config.h"
#include "mndsim/disease.h"
#include "mndsim/events.h"
#include "mndsim/intervention.h"
#include "mndsim/rng.h"
#include "mndsim/sim.h"
#include "mndsim/treatment.h"
#include "patient_rows.h"

static void suite_init(void) { gsl_set_error_handler_off(); }

TestSuite(treatment, .init = suite_init);

/* =============================================================== helpers */

static void assert_close(double got, double want, double rel, const char *what)
{
    double tol = rel * fmax(1.0, fabs(want));
    cr_assert(fabs(got - want) <= tol, "%s: got %.17g, want %.17g (tolerance %.3g)", what, got,
              want, tol);
}

/* Share of `count` in n within 4 binomial standard errors of p. */
static void assert_share(long count, long n, double p, const char *what)
{
    double share = (double)count / (double)n;
    double se = sqrt(p * (1.0 - p) / (double)n);
    cr_assert(fabs(share - p) <= 4.0 * se, "%s: share %.5f of %ld, probability %.5f (4 SE = %.5f)",
              what, share, n, p, 4.0 * se);
}

/* An intervention whose every effect is neutral: given to everyone from
 * onset, continuously, orally, with no adverse event of its own. */
static mnd_intervention neutral_iv(const char *name)
{
    mnd_intervention iv;
    memset(&iv, 0, sizeof iv);
    snprintf(iv.name, sizeof iv.name, "%s", name);
    iv.enabled = true;
    iv.start_anchor = MND_ANCHOR_ONSET;
    iv.start_delay_months = 0.0;
    iv.start_stage = 1;
    iv.schedule = MND_SCHEDULE_CONTINUOUS;
    iv.n_doses = 1;
    iv.dose_interval_months = 1.0;
    iv.duration_months = 0.0;
    for (int g = 0; g < MND_GENOTYPE_COUNT; g++)
        iv.genotypes[g] = true;
    for (int f = 0; f < MND_PHENOTYPE_COUNT; f++)
        iv.phenotypes[f] = true;
    iv.min_age_years = 0.0;
    iv.max_age_years = 120.0;
    iv.min_alsfrs_total = 0.0;
    iv.min_fvc_percent = 0.0;
    iv.max_kings_stage = 4;
    iv.uptake = 1.0;
    iv.adherence = 1.0;
    iv.discontinuation_per_month = 0.0;
    iv.loss_rate_multiplier = 1.0;
    iv.rate_component = MND_COMPONENT_ALL;
    iv.neurotrophic_slowing = 0.0;
    iv.neurotrophic_half_life_months = 1.0;
    iv.neurotrophic_component = MND_COMPONENT_ALL;
    iv.immunomodulation = 0.0;
    iv.cells_per_dose_millions = 0.0;
    iv.engraftment = 0.0;
    iv.correct_differentiation = 0.0;
    iv.integration_months = 1.0;
    iv.graft_half_life_months = 12.0;
    iv.death_hazard_ratio = 1.0;
    iv.symptomatic_points = 0.0;
    iv.placebo_points = 0.0;
    iv.placebo_half_life_months = 1.0;
    iv.neurological_ae_per_dose = 0.0;
    iv.route = MND_ROUTE_ORAL;
    iv.target_region = MND_REGION_BULBAR;
    iv.cell_source = MND_CELLS_NONE;
    return iv;
}

/* Default natural history without the phases of the natural clock (so the
 * untreated clock is t and the closed forms below hold; the composition
 * with phases has its own test), no intervention, and delivery tables with
 * no adverse event at all (each test switches on what it studies). */
static mnd_params base_params(void)
{
    mnd_params p;
    mnd_config_defaults(&p);
    p.phase_sd_log = 0.0;
    p.n_interventions = 0;
    memset(p.interventions, 0, sizeof p.interventions);
    mnd_delivery *d = &p.delivery;
    memset(d, 0, sizeof *d);
    static const double intrathecal[MND_REGION_COUNT] = {0.05, 0.1, 0.15, 0.2};
    static const double lmn[MND_REGION_COUNT] = {0.03, 0.05, 0.03, 0.05};
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        d->cell_fraction[MND_ROUTE_ORAL][reg] = 0.0;
        d->cell_fraction[MND_ROUTE_INTRAVENOUS][reg] = 0.01;
        d->cell_fraction[MND_ROUTE_INTRATHECAL][reg] = intrathecal[reg];
        d->cell_fraction[MND_ROUTE_INTRASPINAL][reg] = 1.0;
        d->lmn_per_region_millions[reg] = lmn[reg];
    }
    for (int a = 0; a < MND_AE_COUNT; a++) {
        d->ae_latency_months[a] = 1.0;
        d->ae_latency_sd_log[a] = 0.5;
        d->ae_fatality[a] = 0.0;
    }
    d->death_weibull_shape = 2.0;
    return p;
}

static int add_iv(mnd_params *p, mnd_intervention iv)
{
    cr_assert_lt(p->n_interventions, MND_MAX_INTERVENTIONS);
    p->interventions[p->n_interventions] = iv;
    return (int)p->n_interventions++;
}

static mnd_treatment *tx_alloc(void)
{
    mnd_treatment *tx = malloc(sizeof *tx);
    cr_assert_not_null(tx);
    return tx;
}

static gsl_rng *rng_alloc(void)
{
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    cr_assert_not_null(r);
    return r;
}

/* A hand-made patient for the direct tests: 60 years, classic sporadic
 * ALS with cervical onset and median rate, alive and free of events until
 * month 600. */
typedef struct {
    mnd_covariates c;
    mnd_course k;
    mnd_events ev;
} toy_patient;

static toy_patient toy(const mnd_params *p)
{
    toy_patient tp;
    memset(&tp, 0, sizeof tp);
    tp.c.male = 1;
    tp.c.age_onset_years = 60.0;
    tp.c.phenotype = MND_PHENOTYPE_CLASSIC;
    tp.c.genotype = MND_GENOTYPE_SPORADIC;
    tp.c.onset_region = MND_REGION_CERVICAL;
    tp.c.rate_multiplier = 1.0;
    tp.c.t_diagnosis = 10.0;
    tp.c.t_enrolment = 12.0;
    tp.c.fvc_predicted_baseline = 100.0;
    gsl_rng *r = rng_alloc();
    gsl_rng_set(r, 12345);
    mnd_course_sample(r, p, &tp.c, &tp.k);
    gsl_rng_free(r);
    tp.ev = (mnd_events){.t_gastrostomy = NAN, .t_niv = NAN, .t_respiratory_failure = NAN,
                         .t_tracheostomy = NAN, .t_death = NAN, .t_end = 600.0,
                         .end_cause = MND_END_CENSORED, .death_ventilation = 0.36};
    return tp;
}

/* Gives every intervention of p to the toy patient from t_start, each from
 * a generator seeded with seed + index, and builds the treated course
 * (tp->k.tx then points at tx when some effect acts). */
static void treat(mnd_treatment *tx, const mnd_params *p, toy_patient *tp, uint64_t seed,
                  double t_start)
{
    gsl_rng *r = rng_alloc();
    mnd_treatment_reset(tx, p);
    tp->k.tx = NULL;
    for (int i = 0; i < p->n_interventions; i++) {
        gsl_rng_set(r, (unsigned long)(seed + (uint64_t)i));
        mnd_treatment_give(tx, r, p, i, &tp->c, &tp->k, &tp->ev, t_start, tp->ev.t_end);
    }
    mnd_treatment_build(tx, p, &tp->k);
    gsl_rng_free(r);
}

/* Slope of the clock of region reg just after t (forward difference). */
static double clock_speed(const mnd_treatment *tx, mnd_region reg, double t)
{
    const double h = 1e-6;
    return (mnd_treatment_clock(tx, reg, t + h) - mnd_treatment_clock(tx, reg, t)) / h;
}

/* --- simulated patients (mnd_patient_simulate) --- */

static void simulate(mnd_workspace *w, const mnd_params *p, int64_t id, mnd_patient *pt,
                     rows_buf *rb)
{
    mnd_error err;
    mnd_error_clear(&err);
    cr_assert_eq(mnd_patient_simulate(w, p, 0, id, pt, rb->rows, &err), MND_OK, "patient %lld: %s",
                 (long long)id, err.message);
}

/* Byte equality of two patients except the exposure and adverse-event fields. */
static int same_but_exposure(const mnd_patient *a, const mnd_patient *b)
{
    mnd_patient x;
    memcpy(&x, a, sizeof x);
    memcpy(x.exposure, b->exposure, sizeof x.exposure);
    x.n_ae = b->n_ae;
    memcpy(x.ae, b->ae, sizeof x.ae);
    x.n_ae_dropped = b->n_ae_dropped;
    return memcmp(&x, b, sizeof x) == 0;
}

static double admin_end(const mnd_params *p, const mnd_covariates *c)
{
    double origin = p->visit_origin == MND_ORIGIN_ONSET       ? 0.0
                    : p->visit_origin == MND_ORIGIN_ENROLMENT ? c->t_enrolment
                                                              : c->t_diagnosis;
    return origin + p->follow_up_months;
}

/* ================================================= 1. neutral effects */

Test(treatment, has_effect_detects_each_effect)
{
    mnd_intervention iv = neutral_iv("x");
    cr_assert_not(mnd_intervention_has_effect(&iv));
    /* adverse events, schedule, route, cells without engraftment: still no effect */
    iv.neurological_ae_per_dose = 0.5;
    iv.schedule = MND_SCHEDULE_DOSES;
    iv.route = MND_ROUTE_INTRATHECAL;
    iv.cell_source = MND_CELLS_IPSC;
    iv.cells_per_dose_millions = 10.0;
    cr_assert_not(mnd_intervention_has_effect(&iv));

    mnd_intervention e[8];
    for (int i = 0; i < 8; i++)
        e[i] = neutral_iv("x");
    e[0].loss_rate_multiplier = 0.9;
    e[1].neurotrophic_slowing = 0.1;
    e[2].immunomodulation = 0.1;
    e[3].cells_per_dose_millions = 1.0, e[3].engraftment = 0.1, e[3].correct_differentiation = 0.1;
    e[4].death_hazard_ratio = 0.8;
    e[5].symptomatic_points = 1.0;
    e[6].placebo_points = 1.0;
    e[7].loss_rate_multiplier = 1.2; /* harm is an effect too */
    for (int i = 0; i < 8; i++)
        cr_assert(mnd_intervention_has_effect(&e[i]), "effect %d not detected", i);
}

/* A multiplier of 1 and every other effect neutral, in two interventions
 * with different schedules: each is given (status treated, doses
 * recorded), and the patient and the visit rows are the same bytes as
 * without them. */
Test(treatment, neutral_interventions_change_nothing)
{
    mnd_params p0 = base_params();
    mnd_params p1 = p0;
    mnd_intervention a = neutral_iv("monthly_neutral");
    a.start_anchor = MND_ANCHOR_DIAGNOSIS;
    a.schedule = MND_SCHEDULE_DOSES;
    a.n_doses = 12;
    a.dose_interval_months = 1.0;
    a.route = MND_ROUTE_INTRATHECAL;
    a.cell_source = MND_CELLS_BM_MSC;
    a.cells_per_dose_millions = 50.0; /* but no engraftment: no graft */
    add_iv(&p1, a);
    mnd_intervention b = neutral_iv("multiplier_one");
    b.loss_rate_multiplier = 1.0;
    b.adherence = 0.6;
    b.uptake = 0.8;
    b.discontinuation_per_month = 0.05;
    add_iv(&p1, b);

    mnd_workspace w = workspace();
    rows_buf r0 = rows_alloc(&p0), r1 = rows_alloc(&p1);
    int treated[2] = {0, 0};
    for (int64_t id = 0; id < 300; id++) {
        mnd_patient u, t;
        simulate(&w, &p0, id, &u, &r0);
        simulate(&w, &p1, id, &t, &r1);
        cr_assert(same_but_exposure(&u, &t), "patient %lld differs", (long long)id);
        cr_assert(rows_equal(&r0, &r1), "patient %lld: visit rows differ", (long long)id);
        cr_assert_eq(t.n_ae, 0);
        for (int i = 0; i < 2; i++)
            treated[i] += t.exposure[i].status == MND_EXPOSURE_TREATED;
        if (t.exposure[0].status == MND_EXPOSURE_TREATED) {
            cr_assert_eq(t.exposure[0].t_start, t.cov.t_diagnosis);
            cr_assert_gt(t.exposure[0].n_doses, 0);
        }
    }
    /* the interventions were really given */
    cr_assert_eq(treated[0], 300);
    cr_assert(treated[1] > 200 && treated[1] < 300, "%d treated with uptake 0.8", treated[1]);
    rows_free(&r0);
    rows_free(&r1);
    mnd_workspace_free(&w);
}

/* ============================================ 2. loss-rate multiplier */

/* With phases, the treated pools read the natural clock at the treated
 * clock, N(G_r(t)): a multiplier of 0.5 from onset gives at 2t exactly the
 * untreated state at t, phases and all, and the functions stay
 * non-increasing. */
Test(treatment, multiplier_composes_with_phases)
{
    mnd_params p = base_params();
    p.phase_sd_log = 0.7;
    p.phase_months = 12.0;
    mnd_intervention iv = neutral_iv("half");
    iv.loss_rate_multiplier = 0.5;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    cr_assert_gt(tp.k.n_phases, 0);
    mnd_course k0 = tp.k; /* untreated */
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, 0.0);
    cr_assert_eq(tp.k.tx, tx);
    double prev = 1.0;
    for (double t = 0.25; t < 150.0; t += 0.25) {
        for (int reg = 0; reg < MND_REGION_COUNT; reg++)
            for (int q = 0; q < MND_POOL_COUNT; q++)
                assert_close(mnd_course_fraction(&tp.k, (mnd_region)reg, (mnd_pool)q, 2.0 * t),
                             mnd_course_fraction(&k0, (mnd_region)reg, (mnd_pool)q, t), 1e-12,
                             "treated at 2t = untreated at t");
        double v = mnd_ventilation(&p, &tp.k, t);
        cr_assert_leq(v, prev, "ventilation rises at %g", t);
        prev = v;
    }
    free(tx);
}

/* A multiplier of 0.5 from onset on the whole rate: the clock is t/2, so
 * any neuron fraction of the onset region is reached twice as late. */
Test(treatment, multiplier_half_doubles_time_to_fraction)
{
    mnd_params p = base_params();
    mnd_intervention iv = neutral_iv("half");
    iv.loss_rate_multiplier = 0.5;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_course k0 = tp.k; /* untreated */
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, 0.0);
    cr_assert_eq(tp.k.tx, tx);
    cr_assert_eq(tx->exposure[0].status, MND_EXPOSURE_TREATED);

    /* the clock: t before onset, t/2 after, in every region */
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        cr_assert_eq(mnd_treatment_clock(tx, (mnd_region)reg, -3.0), -3.0);
        cr_assert_eq(mnd_treatment_clock(tx, (mnd_region)reg, 0.0), 0.0);
        for (double t = 0.5; t < 100; t *= 1.7)
            assert_close(mnd_treatment_clock(tx, (mnd_region)reg, t), 0.5 * t, 1e-12, "clock");
    }

    /* time from onset to a fraction f of the onset region's LMN, UMN pools */
    mnd_region onset = tp.c.onset_region;
    for (int q = 0; q < MND_POOL_COUNT; q++) {
        double rate = k0.rate[onset][q], ls = k0.loss_start[onset];
        cr_assert_lt(ls, 0.0);
        for (double f = 0.4; f > 0.01; f *= 0.6) {
            double t_untreated = ls - log(f) / rate; /* months from onset */
            cr_assert_gt(t_untreated, 0.0);
            assert_close(mnd_course_fraction(&k0, onset, (mnd_pool)q, t_untreated), f, 1e-12,
                         "untreated fraction");
            assert_close(mnd_course_fraction(&tp.k, onset, (mnd_pool)q, 2.0 * t_untreated), f,
                         1e-12, "treated fraction at twice the time");
            cr_assert_gt(mnd_course_fraction(&tp.k, onset, (mnd_pool)q, t_untreated), f * 1.01);
        }
    }
    /* before onset the treated course is the untreated one, bit for bit */
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        cr_assert_eq(mnd_course_fraction(&tp.k, (mnd_region)reg, MND_POOL_LMN, -0.5),
                     mnd_course_fraction(&k0, (mnd_region)reg, MND_POOL_LMN, -0.5));
    free(tx);
}

/* A multiplier on one component acts on its share of the rate only, and
 * two interventions multiply. */
Test(treatment, multiplier_on_one_component_and_combined)
{
    mnd_params p = base_params();
    p.non_cell_autonomous_share = 0.3;
    mnd_intervention a = neutral_iv("ca_only");
    a.loss_rate_multiplier = 0.4;
    a.rate_component = MND_COMPONENT_CELL_AUTONOMOUS;
    add_iv(&p, a);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, 2.0);
    double speed = 0.7 * 0.4 + 0.3;
    assert_close(mnd_treatment_clock(tx, MND_REGION_LUMBAR, 12.0), 2.0 + speed * 10.0, 1e-12,
                 "cell-autonomous multiplier");

    p.interventions[0].rate_component = MND_COMPONENT_NON_CELL_AUTONOMOUS;
    treat(tx, &p, &tp, 1, 2.0);
    speed = 0.7 + 0.3 * 0.4;
    assert_close(mnd_treatment_clock(tx, MND_REGION_LUMBAR, 12.0), 2.0 + speed * 10.0, 1e-12,
                 "non-cell-autonomous multiplier");

    p.interventions[0].rate_component = MND_COMPONENT_ALL;
    mnd_intervention b = neutral_iv("second");
    b.loss_rate_multiplier = 0.5;
    add_iv(&p, b);
    treat(tx, &p, &tp, 1, 2.0);
    assert_close(mnd_treatment_clock(tx, MND_REGION_BULBAR, 12.0), 2.0 + 0.2 * 10.0, 1e-12,
                 "two multipliers");

    /* a window: 0.5 for 6 months of a course, then the natural speed */
    p.n_interventions = 1;
    p.interventions[0].loss_rate_multiplier = 0.5;
    p.interventions[0].duration_months = 6.0;
    treat(tx, &p, &tp, 1, 2.0);
    assert_close(mnd_treatment_clock(tx, MND_REGION_BULBAR, 5.0), 2.0 + 1.5, 1e-12, "in window");
    assert_close(mnd_treatment_clock(tx, MND_REGION_BULBAR, 20.0), 2.0 + 3.0 + 12.0, 1e-12,
                 "after window");
    assert_close(tx->exposure[0].t_stop, 8.0, 0, "t_stop");
    free(tx);
}

/* ======================================================= 3. neurotrophic */

static double neurotrophic_dose_loss(double E, double h, double dt)
{
    return E * h / M_LN2 * (1.0 - exp2(-dt / h));
}

Test(treatment, neurotrophic_single_dose)
{
    const double t0 = 5.0, E = 0.6, h = 3.0;
    mnd_params p = base_params();
    mnd_intervention iv = neutral_iv("secretor");
    iv.schedule = MND_SCHEDULE_ONCE;
    iv.neurotrophic_slowing = E;
    iv.neurotrophic_half_life_months = h;
    iv.integration_months = 1.5; /* an inert breakpoint inside the decay */
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, t0);
    cr_assert_eq(tx->exposure[0].n_doses, 1);

    static const double ts[] = {5.2, 6.0, 6.5, 7.9, 8.0, 11.0, 20.0, 60.0, 300.0};
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        cr_assert_eq(mnd_treatment_clock(tx, (mnd_region)reg, 4.0), 4.0);
        cr_assert_eq(mnd_treatment_clock(tx, (mnd_region)reg, t0), t0);
        for (size_t j = 0; j < sizeof ts / sizeof ts[0]; j++) {
            double want = t0 + (ts[j] - t0) - neurotrophic_dose_loss(E, h, ts[j] - t0);
            assert_close(mnd_treatment_clock(tx, (mnd_region)reg, ts[j]), want, 1e-12, "G(t)");
        }
    }
    /* slowing E right after the dose, E/2 one half-life later */
    double s0 = 1.0 - clock_speed(tx, MND_REGION_CERVICAL, t0);
    double s1 = 1.0 - clock_speed(tx, MND_REGION_CERVICAL, t0 + h);
    assert_close(s0, E, 1e-5, "slowing at the dose");
    assert_close(s1, E / 2, 1e-5, "slowing one half-life later");
    assert_close(s1 / s0, 0.5, 1e-5, "halving");
    free(tx);
}

/* Repeated doses restore the slowing to E (they do not stack), and the
 * clock is the sum of the truncated single-dose integrals. */
Test(treatment, neurotrophic_repeated_doses_restore_level)
{
    const double E = 0.5, h = 2.0;
    const double dose[3] = {5.0, 9.0, 13.0};
    mnd_params p = base_params();
    mnd_intervention iv = neutral_iv("repeated");
    iv.schedule = MND_SCHEDULE_DOSES;
    iv.n_doses = 3;
    iv.dose_interval_months = 4.0;
    iv.neurotrophic_slowing = E;
    iv.neurotrophic_half_life_months = h;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, dose[0]);
    cr_assert_eq(tx->exposure[0].n_doses, 3);
    assert_close(tx->exposure[0].t_stop, 17.0, 0, "t_stop: last dose + interval");

    static const double ts[] = {6.0, 9.0, 10.0, 12.99, 13.0, 14.5, 30.0};
    for (size_t j = 0; j < sizeof ts / sizeof ts[0]; j++) {
        double t = ts[j], want = t;
        for (int d = 0; d < 3 && dose[d] < t; d++) {
            double until = d < 2 ? fmin(t, dose[d + 1]) : t;
            want -= neurotrophic_dose_loss(E, h, until - dose[d]);
        }
        assert_close(mnd_treatment_clock(tx, MND_REGION_LUMBAR, t), want, 1e-12, "G(t)");
    }
    for (int d = 1; d < 3; d++) {
        double before = 1.0 - clock_speed(tx, MND_REGION_LUMBAR, dose[d] - 1e-3);
        double after = 1.0 - clock_speed(tx, MND_REGION_LUMBAR, dose[d]);
        assert_close(before, E * exp2(-(4.0 - 1e-3) / h), 1e-5, "residual before a dose");
        assert_close(after, E, 1e-5, "level restored at a dose");
    }
    free(tx);
}

/* A continuous secretion holds E until the course stops, then decays. */
Test(treatment, neurotrophic_continuous_then_decay)
{
    const double E = 0.4, h = 1.5, t0 = 3.0, stop = 13.0;
    mnd_params p = base_params();
    mnd_intervention iv = neutral_iv("pump");
    iv.neurotrophic_slowing = E;
    iv.neurotrophic_half_life_months = h;
    iv.duration_months = stop - t0;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, t0);
    assert_close(mnd_treatment_clock(tx, MND_REGION_BULBAR, 8.0), t0 + (1 - E) * 5.0, 1e-12,
                 "on drug");
    double g_stop = t0 + (1 - E) * (stop - t0);
    for (double t = stop; t < 40; t += 3.7)
        assert_close(mnd_treatment_clock(tx, MND_REGION_BULBAR, t),
                     g_stop + (t - stop) - neurotrophic_dose_loss(E, h, t - stop), 1e-12,
                     "after the stop");

    /* on the cell-autonomous component only: slowing E (1 - s) */
    p.non_cell_autonomous_share = 0.25;
    p.interventions[0].neurotrophic_component = MND_COMPONENT_CELL_AUTONOMOUS;
    treat(tx, &p, &tp, 1, t0);
    assert_close(mnd_treatment_clock(tx, MND_REGION_BULBAR, 8.0), t0 + (1 - E * 0.75) * 5.0,
                 1e-12, "cell-autonomous secretion");
    assert_close(1.0 - clock_speed(tx, MND_REGION_BULBAR, stop + h), E * 0.75 / 2, 1e-5,
                 "cell-autonomous decay");
    free(tx);
}

/* ================================================== 4. immunomodulation */

Test(treatment, immunomodulation_damps_non_cell_autonomous_share)
{
    mnd_params p = base_params();
    mnd_intervention iv = neutral_iv("immuno");
    iv.immunomodulation = 0.5;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    static const double shares[] = {0.0, 0.4, 1.0};
    for (size_t j = 0; j < 3; j++) {
        double s = shares[j];
        p.non_cell_autonomous_share = s;
        treat(tx, &p, &tp, 1, 0.0);
        for (int reg = 0; reg < MND_REGION_COUNT; reg++)
            for (double t = 1.0; t < 200; t *= 2.3)
                assert_close(mnd_treatment_clock(tx, (mnd_region)reg, t), (1.0 - s * 0.5) * t,
                             1e-12, "clock speed 1 - s D");
    }
    /* with a cell-autonomous multiplier m: (1 - s) m + s (1 - D) */
    p.non_cell_autonomous_share = 0.4;
    p.interventions[0].loss_rate_multiplier = 0.7;
    p.interventions[0].rate_component = MND_COMPONENT_CELL_AUTONOMOUS;
    treat(tx, &p, &tp, 1, 0.0);
    assert_close(mnd_treatment_clock(tx, MND_REGION_THORACIC, 10.0), (0.6 * 0.7 + 0.4 * 0.5) * 10.0,
                 1e-12, "with a multiplier");
    free(tx);
}

/* ====================================================== 5. route shares */

Test(treatment, route_fractions)
{
    static const double w_iv[MND_REGION_COUNT] = {0.01, 0.02, 0.3, 0.6};
    const double m = 0.5;
    mnd_params p = base_params();
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        p.delivery.cell_fraction[MND_ROUTE_INTRAVENOUS][reg] = w_iv[reg];
    p.delivery.cell_fraction[MND_ROUTE_INTRASPINAL][MND_REGION_THORACIC] = 0.8;
    mnd_intervention iv = neutral_iv("cells_iv");
    iv.route = MND_ROUTE_INTRAVENOUS;
    iv.cell_source = MND_CELLS_UC_MSC;
    iv.loss_rate_multiplier = m;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, 0.0);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        assert_close(mnd_treatment_clock(tx, (mnd_region)reg, 10.0), (1 - w_iv[reg] * (1 - m)) * 10,
                     1e-12, "intravenous cells: 1 - w (1 - m)");

    /* a drug given intravenously acts everywhere */
    p.interventions[0].cell_source = MND_CELLS_NONE;
    treat(tx, &p, &tp, 1, 0.0);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        assert_close(mnd_treatment_clock(tx, (mnd_region)reg, 10.0), m * 10, 1e-12,
                     "intravenous drug");

    /* an intraspinal injection acts in its target region only */
    p.interventions[0].cell_source = MND_CELLS_NSC;
    p.interventions[0].route = MND_ROUTE_INTRASPINAL;
    p.interventions[0].target_region = MND_REGION_THORACIC;
    treat(tx, &p, &tp, 1, 0.0);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        double want = reg == MND_REGION_THORACIC ? (1 - 0.8 * (1 - m)) * 10 : 10.0;
        assert_close(mnd_treatment_clock(tx, (mnd_region)reg, 10.0), want, 1e-12, "intraspinal");
    }

    /* the same shares for immunomodulation and neurotrophic secretion */
    p.interventions[0] = neutral_iv("cells_it");
    p.interventions[0].route = MND_ROUTE_INTRATHECAL;
    p.interventions[0].cell_source = MND_CELLS_BM_MSC;
    p.interventions[0].immunomodulation = 0.6;
    p.non_cell_autonomous_share = 0.5;
    treat(tx, &p, &tp, 1, 0.0);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        double w = p.delivery.cell_fraction[MND_ROUTE_INTRATHECAL][reg];
        assert_close(mnd_treatment_clock(tx, (mnd_region)reg, 10.0), (1 - 0.5 * w * 0.6) * 10, 1e-12,
                     "intrathecal immunomodulation");
    }
    free(tx);
}

/* ================================================== 6. cell replacement */

Test(treatment, graft_from_integration_halving)
{
    const double cells = 2.0, eng = 0.1, diff = 0.3, integ = 6.0, half = 12.0, t0 = 10.0;
    mnd_params p = base_params();
    mnd_intervention iv = neutral_iv("graft");
    iv.schedule = MND_SCHEDULE_ONCE;
    iv.route = MND_ROUTE_INTRATHECAL;
    iv.cell_source = MND_CELLS_NSC;
    iv.cells_per_dose_millions = cells;
    iv.engraftment = eng;
    iv.correct_differentiation = diff;
    iv.integration_months = integ;
    iv.graft_half_life_months = half;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_course k0 = tp.k;
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, t0);
    cr_assert(tx->has_grafts);

    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        double w = p.delivery.cell_fraction[MND_ROUTE_INTRATHECAL][reg];
        double g0 = cells * w * eng * diff / p.delivery.lmn_per_region_millions[reg];
        mnd_region rg = (mnd_region)reg;
        cr_assert_eq(mnd_treatment_graft(tx, rg, t0), 0.0);
        cr_assert_eq(mnd_treatment_graft(tx, rg, t0 + integ - 1e-9), 0.0, "before integration");
        assert_close(mnd_treatment_graft(tx, rg, t0 + integ), g0, 1e-12, "at integration");
        assert_close(mnd_treatment_graft(tx, rg, t0 + integ + half), g0 / 2, 1e-12, "one half-life");
        assert_close(mnd_treatment_graft(tx, rg, t0 + integ + 3 * half), g0 / 8, 1e-12,
                     "three half-lives");
        /* the grafted neurons add to the LMN pool, not the UMN pool */
        for (double t = 20.0; t < 80; t += 13.0) {
            double native = mnd_course_fraction(&k0, rg, MND_POOL_LMN, t);
            assert_close(mnd_course_fraction(&tp.k, rg, MND_POOL_LMN, t),
                         fmin(1.0, native + g0 * exp2(-(t - t0 - integ) / half)), 1e-12, "LMN");
            assert_close(mnd_course_fraction(&tp.k, rg, MND_POOL_UMN, t),
                         mnd_course_fraction(&k0, rg, MND_POOL_UMN, t), 1e-12, "UMN");
        }
    }
    /* two doses add */
    p.interventions[0].schedule = MND_SCHEDULE_DOSES;
    p.interventions[0].n_doses = 2;
    p.interventions[0].dose_interval_months = 12.0;
    treat(tx, &p, &tp, 1, t0);
    double g0 = cells * 0.2 * eng * diff / 0.05; /* lumbar */
    assert_close(mnd_treatment_graft(tx, MND_REGION_LUMBAR, 40.0),
                 g0 * (exp2(-(40.0 - 16.0) / half) + exp2(-(40.0 - 28.0) / half)), 1e-12,
                 "two doses");
    assert_close(mnd_treatment_graft(tx, MND_REGION_LUMBAR, 27.0), g0 * exp2(-(27.0 - 16.0) / half),
                 1e-12, "second dose not yet integrated");
    free(tx);
}

/* Only the target region of an intraspinal injection receives grafts. */
Test(treatment, graft_intraspinal_target_only)
{
    mnd_params p = base_params();
    mnd_intervention iv = neutral_iv("intraspinal");
    iv.schedule = MND_SCHEDULE_ONCE;
    iv.route = MND_ROUTE_INTRASPINAL;
    iv.target_region = MND_REGION_LUMBAR;
    iv.cell_source = MND_CELLS_NSC;
    iv.cells_per_dose_millions = 0.5;
    iv.engraftment = 0.2;
    iv.correct_differentiation = 0.1;
    iv.integration_months = 3.0;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, 0.0);
    for (int reg = 0; reg < MND_REGION_COUNT; reg++) {
        double want = reg == MND_REGION_LUMBAR ? 0.5 * 1.0 * 0.2 * 0.1 / 0.05 : 0.0;
        assert_close(mnd_treatment_graft(tx, (mnd_region)reg, 3.0), want, 1e-12, "intraspinal graft");
    }
    free(tx);
}

/* Rejection (an adverse event of the cell source) removes the graft. */
Test(treatment, graft_lost_at_rejection)
{
    mnd_params p = base_params();
    p.delivery.cells_ae_per_dose[MND_AE_REJECTION - MND_AE_ROUTE_COUNT][MND_CELLS_NSC] = 1.0;
    p.delivery.ae_latency_months[MND_AE_REJECTION] = 20.0;
    p.delivery.ae_latency_sd_log[MND_AE_REJECTION] = 0.0; /* exactly 20 months */
    mnd_intervention iv = neutral_iv("rejected");
    iv.schedule = MND_SCHEDULE_ONCE;
    iv.route = MND_ROUTE_INTRATHECAL;
    iv.cell_source = MND_CELLS_NSC;
    iv.cells_per_dose_millions = 2.0;
    iv.engraftment = 0.1;
    iv.correct_differentiation = 0.3;
    iv.integration_months = 6.0;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, 10.0);
    cr_assert_eq(tx->n_ae, 1);
    cr_assert_eq(tx->ae[0].type, MND_AE_REJECTION);
    cr_assert_eq(tx->ae[0].outcome, MND_OUTCOME_GRAFT_LOST);
    cr_assert_eq(tx->ae[0].severity, mnd_ae_severity[MND_AE_REJECTION]);
    cr_assert_eq(tx->ae[0].intervention, 0);
    assert_close(tx->ae[0].time, 30.0, 1e-15, "rejection time");
    cr_assert_gt(mnd_treatment_graft(tx, MND_REGION_LUMBAR, 29.99), 0.1);
    cr_assert_eq(mnd_treatment_graft(tx, MND_REGION_LUMBAR, 30.0), 0.0);
    cr_assert_eq(mnd_treatment_graft(tx, MND_REGION_LUMBAR, 50.0), 0.0);
    cr_assert(isinf(tx->t_ae_death));
    free(tx);
}

/* =============================================== 7. death hazard ratio */

Test(treatment, death_hazard_ratio_time_map)
{
    const double s = 12.0;
    mnd_params p = base_params();
    mnd_intervention iv = neutral_iv("hr");
    iv.death_hazard_ratio = 0.5;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    static const double shapes[] = {2.0, 1.0, 1.6};
    for (size_t j = 0; j < 3; j++) {
        double k = shapes[j];
        p.delivery.death_weibull_shape = k;
        treat(tx, &p, &tp, 1, s);
        double c = pow(0.5, 1.0 / k);
        cr_assert_eq(mnd_treatment_death_time(tx, 3.0), 3.0);
        cr_assert_eq(mnd_treatment_death_time(tx, s), s);
        for (double T = s + 0.1; T < 500; T *= 1.4)
            assert_close(mnd_treatment_death_time(tx, T), s + (T - s) / c, 1e-12, "s + (T - s) / c");
        cr_assert(isinf(mnd_treatment_death_time(tx, INFINITY)));
        cr_assert(isnan(mnd_treatment_death_time(tx, NAN)));
        /* the pools are not slowed */
        assert_close(mnd_treatment_clock(tx, MND_REGION_BULBAR, 40.0), 40.0, 1e-14, "clock");
    }
    /* a 24-month course: slowed inside the window, natural speed after */
    p.delivery.death_weibull_shape = 2.0;
    p.interventions[0].duration_months = 24.0;
    treat(tx, &p, &tp, 1, s);
    double c = sqrt(0.5), clock_end = s + 24.0 * c;
    assert_close(mnd_treatment_death_time(tx, s + 10.0), s + 10.0 / c, 1e-12, "in the window");
    assert_close(mnd_treatment_death_time(tx, clock_end + 5.0), s + 24.0 + 5.0, 1e-12,
                 "after the window");
    free(tx);
}

/* On a cohort without deaths from other causes, a hazard ratio from
 * diagnosis stretches each disease death's residual time by HR^(-1/k), and
 * so the median residual survival. */
Test(treatment, death_hazard_ratio_cohort)
{
    const int n = 20000;
    const double hr = 0.6, k = 2.0;
    mnd_params p0 = base_params();
    p0.gompertz_a_male_per_year = p0.gompertz_a_female_per_year = 1e-12; /* no background deaths */
    p0.gastrostomy_mortality_30d = 0.0;
    p0.follow_up_months = 1000.0;
    p0.visit_interval_months = 500.0;
    p0.delivery.death_weibull_shape = k;
    mnd_params p1 = p0;
    mnd_intervention iv = neutral_iv("riluzole_like");
    iv.start_anchor = MND_ANCHOR_DIAGNOSIS;
    iv.death_hazard_ratio = hr;
    add_iv(&p1, iv);
    double stretch = pow(hr, -1.0 / k);

    mnd_workspace w = workspace();
    rows_buf r0 = rows_alloc(&p0), r1 = rows_alloc(&p1);
    double *res0 = malloc(n * sizeof(double)), *res1 = malloc(n * sizeof(double));
    cr_assert(res0 && res1);
    int disease = 0;
    for (int id = 0; id < n; id++) {
        mnd_patient u, t;
        simulate(&w, &p0, id, &u, &r0);
        simulate(&w, &p1, id, &t, &r1);
        cr_assert_eq(u.cov.attempts, t.cov.attempts);
        /* the pools, and the events they drive, are untouched */
        const double *ue[2] = {&u.ev.t_gastrostomy, &u.ev.t_niv};
        const double *te[2] = {&t.ev.t_gastrostomy, &t.ev.t_niv};
        for (int e = 0; e < 2; e++) { /* the same, or now lived to */
            if (isnan(*ue[e]))
                cr_assert(isnan(*te[e]) || *te[e] >= u.ev.t_end, "patient %d", id);
            else
                cr_assert_eq(*te[e], *ue[e], "patient %d", id);
        }
        cr_assert_eq(memcmp(r0.rows.lmn, r1.rows.lmn, MND_REGION_COUNT * sizeof(float)), 0);
        cr_assert_eq(memcmp(r0.rows.fvc, r1.rows.fvc, sizeof(float)), 0);
        cr_assert_eq(memcmp(r0.rows.items, r1.rows.items, MND_ITEM_COUNT), 0);
        double s = u.cov.t_diagnosis;
        res0[id] = u.ev.t_end - s;
        res1[id] = t.ev.t_end - s;
        if (u.ev.end_cause == MND_END_RESPIRATORY || u.ev.end_cause == MND_END_TRACHEOSTOMY) {
            disease++;
            cr_assert_eq(t.ev.end_cause, u.ev.end_cause, "patient %d", id);
            /* the respiratory-failure crossing is found to 1e-7 months;
             * times before the start are not moved */
            double ud = u.ev.t_death, urf = u.ev.t_respiratory_failure;
            assert_close(t.ev.t_death, ud <= s ? ud : s + (ud - s) * stretch, 1e-6, "death time");
            assert_close(t.ev.t_respiratory_failure, urf <= s ? urf : s + (urf - s) * stretch, 1e-6,
                         "respiratory failure");
        }
    }
    cr_assert_gt(disease, (int)(0.9 * n), "only %d disease deaths", disease);
    gsl_sort(res0, 1, (size_t)n);
    gsl_sort(res1, 1, (size_t)n);
    double m0 = 0.5 * (res0[n / 2 - 1] + res0[n / 2]), m1 = 0.5 * (res1[n / 2 - 1] + res1[n / 2]);
    cr_assert(fabs(m1 / m0 - stretch) <= 0.01 * stretch,
              "median residual survival %g treated vs %g untreated: ratio %g, HR^(-1/k) = %g", m1,
              m0, m1 / m0, stretch);
    free(res0);
    free(res1);
    rows_free(&r0);
    rows_free(&r1);
    mnd_workspace_free(&w);
}

/* ==================================================== 8. adverse events */

Test(treatment, ae_per_dose_combines_route_and_drug)
{
    mnd_params p = base_params();
    p.delivery.route_ae_per_dose[MND_AE_NEUROLOGICAL][MND_ROUTE_INTRASPINAL] = 0.02;
    p.delivery.cells_ae_per_dose[MND_AE_TUMOUR - MND_AE_ROUTE_COUNT][MND_CELLS_ESC] = 0.01;
    mnd_intervention iv = neutral_iv("x");
    iv.route = MND_ROUTE_INTRASPINAL;
    iv.neurological_ae_per_dose = 0.1;
    assert_close(mnd_ae_per_dose(&iv, &p.delivery, MND_AE_NEUROLOGICAL), 1 - 0.98 * 0.9, 1e-15,
                 "route and drug");
    cr_assert_eq(mnd_ae_per_dose(&iv, &p.delivery, MND_AE_TUMOUR), 0.0, "a drug has no graft");
    iv.cell_source = MND_CELLS_ESC;
    cr_assert_eq(mnd_ae_per_dose(&iv, &p.delivery, MND_AE_TUMOUR), 0.01);
}

/* Counts of each event type over many intrathecal doses within 4 SE of
 * their per-dose probabilities; at most one event of a type per dose. */
Test(treatment, ae_frequencies_per_dose)
{
    const int n_pat = 5000, n_doses = 6;
    mnd_params p = base_params();
    p.delivery.route_ae_per_dose[MND_AE_HEADACHE][MND_ROUTE_INTRATHECAL] = 0.11;
    p.delivery.route_ae_per_dose[MND_AE_MENINGITIS][MND_ROUTE_INTRATHECAL] = 0.02;
    p.delivery.ae_latency_months[MND_AE_HEADACHE] = 0.1;
    mnd_intervention iv = neutral_iv("tofersen_like");
    iv.schedule = MND_SCHEDULE_DOSES;
    iv.n_doses = n_doses;
    iv.dose_interval_months = 1.0;
    iv.route = MND_ROUTE_INTRATHECAL;
    iv.neurological_ae_per_dose = 0.03;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    long count[MND_AE_COUNT] = {0};
    for (int i = 0; i < n_pat; i++) {
        treat(tx, &p, &tp, 1000 + (uint64_t)i, 10.0);
        cr_assert_eq(tx->exposure[0].n_doses, n_doses);
        int per_type[MND_AE_COUNT] = {0};
        for (int a = 0; a < tx->n_ae; a++) {
            const mnd_adverse_event *e = &tx->ae[a];
            count[e->type]++;
            per_type[e->type]++;
            cr_assert_eq(e->intervention, 0);
            cr_assert_eq(e->severity, mnd_ae_severity[e->type]);
            cr_assert_eq(e->outcome, MND_OUTCOME_RECOVERED);
            cr_assert_gt(e->time, 10.0);
        }
        for (int a = 0; a < MND_AE_COUNT; a++)
            cr_assert_leq(per_type[a], n_doses);
    }
    long doses = (long)n_pat * n_doses;
    assert_share(count[MND_AE_HEADACHE], doses, 0.11, "headache per intrathecal dose");
    assert_share(count[MND_AE_MENINGITIS], doses, 0.02, "meningitis per dose");
    assert_share(count[MND_AE_NEUROLOGICAL], doses, 0.03, "drug neurological events per dose");
    cr_assert_eq(count[MND_AE_SURGICAL] + count[MND_AE_TUMOUR] + count[MND_AE_ECTOPIC]
                     + count[MND_AE_REJECTION],
                 0);
    free(tx);
}

/* Latency from the dose: log-normal with the configured median and SD. */
Test(treatment, ae_latency_median)
{
    const int n_pat = 8000;
    const double median = 0.1, sd_log = 0.5;
    mnd_params p = base_params();
    p.delivery.route_ae_per_dose[MND_AE_HEADACHE][MND_ROUTE_INTRATHECAL] = 0.5;
    p.delivery.ae_latency_months[MND_AE_HEADACHE] = median;
    p.delivery.ae_latency_sd_log[MND_AE_HEADACHE] = sd_log;
    mnd_intervention iv = neutral_iv("lp");
    iv.schedule = MND_SCHEDULE_ONCE;
    iv.route = MND_ROUTE_INTRATHECAL;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    double *lat = malloc(n_pat * sizeof(double));
    cr_assert_not_null(lat);
    int n = 0;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n_pat; i++) {
        treat(tx, &p, &tp, 77 + (uint64_t)i, 10.0);
        cr_assert_leq(tx->n_ae, 1);
        if (tx->n_ae == 1) {
            double l = log(tx->ae[0].time - 10.0);
            lat[n++] = l;
            sum += l;
            sum2 += l * l;
        }
    }
    assert_share(n, n_pat, 0.5, "headache after one dose");
    gsl_sort(lat, 1, (size_t)n);
    double med = 0.5 * (lat[n / 2 - 1] + lat[n / 2]);
    double se_med = sqrt(M_PI / 2) * sd_log / sqrt(n); /* of the log median */
    cr_assert(fabs(med - log(median)) <= 4 * se_med, "log median latency %g, want %g (4 SE %g)",
              med, log(median), 4 * se_med);
    double mean = sum / n, sd = sqrt((sum2 - n * mean * mean) / (n - 1));
    cr_assert(fabs(sd - sd_log) <= 4 * sd_log / sqrt(2.0 * n), "SD of log latency %g", sd);
    free(lat);
    free(tx);
}

/* A fatal adverse event ends the record at its time: the patient is the
 * untreated one cut there (events after it NaN, no visits from it), the
 * recorded events are the planned ones up to the end, and the doses the
 * scheduled ones up to the end.  The planned events are replayed from the
 * intervention's own stream. */
Test(treatment, fatal_ae_ends_record)
{
    const int n_doses = 48;
    mnd_params p0 = base_params();
    p0.visit_interval_months = 3.0;
    p0.delivery.route_ae_per_dose[MND_AE_HEADACHE][MND_ROUTE_INTRATHECAL] = 0.11;
    p0.delivery.route_ae_per_dose[MND_AE_MENINGITIS][MND_ROUTE_INTRATHECAL] = 0.01;
    p0.delivery.ae_latency_months[MND_AE_HEADACHE] = 0.1;
    p0.delivery.ae_latency_months[MND_AE_MENINGITIS] = 0.2;
    p0.delivery.ae_fatality[MND_AE_MENINGITIS] = 0.5;
    mnd_params p1 = p0;
    mnd_intervention iv = neutral_iv("monthly_lp");
    iv.start_anchor = MND_ANCHOR_DIAGNOSIS;
    iv.schedule = MND_SCHEDULE_DOSES;
    iv.n_doses = n_doses;
    iv.dose_interval_months = 1.0;
    iv.route = MND_ROUTE_INTRATHECAL;
    add_iv(&p1, iv);

    mnd_workspace w = workspace();
    rows_buf r0 = rows_alloc(&p0), r1 = rows_alloc(&p1);
    mnd_treatment *tx = tx_alloc();
    gsl_rng *r = rng_alloc();
    int ae_deaths = 0, cut_doses = 0, dropped_ae = 0;
    for (int64_t id = 0; id < 1500; id++) {
        mnd_patient u, t;
        simulate(&w, &p0, id, &u, &r0);
        simulate(&w, &p1, id, &t, &r1);
        cr_assert_eq(u.cov.attempts, t.cov.attempts);
        cr_assert_eq(t.exposure[0].status, MND_EXPOSURE_TREATED);

        /* replay the plan: the whole schedule up to the end of follow-up */
        uint64_t key = mnd_rng_key(p1.seed, MND_STREAM_TREATMENT, 0, (uint64_t)id,
                                   (uint64_t)t.cov.attempts - 1);
        gsl_rng_set(r, mnd_rng_name_key(key, iv.name));
        mnd_treatment_reset(tx, &p1);
        mnd_treatment_give(tx, r, &p1, 0, &u.cov, &u.course, &u.ev, u.cov.t_diagnosis,
                           admin_end(&p1, &u.cov));
        double t_end = fmin(u.ev.t_end, tx->t_ae_death);

        if (tx->t_ae_death < u.ev.t_end) {
            ae_deaths++;
            cr_assert_eq(t.ev.end_cause, MND_END_ADVERSE_EVENT, "patient %lld", (long long)id);
            cr_assert_eq(t.ev.t_end, tx->t_ae_death);
            cr_assert_eq(t.ev.t_death, tx->t_ae_death);
            const double *ut[] = {&u.ev.t_gastrostomy, &u.ev.t_niv, &u.ev.t_respiratory_failure,
                                  &u.ev.t_tracheostomy};
            const double *tt[] = {&t.ev.t_gastrostomy, &t.ev.t_niv, &t.ev.t_respiratory_failure,
                                  &t.ev.t_tracheostomy};
            for (int e = 0; e < 4; e++) {
                if (*ut[e] <= t_end)
                    cr_assert_eq(*tt[e], *ut[e]);
                else
                    cr_assert(isnan(*tt[e]), "event %d after a fatal AE not NaN", e);
            }
            cr_assert_leq(t.n_visits, u.n_visits);
            double origin = t.cov.t_diagnosis;
            cr_assert_lt(origin + (t.n_visits - 1) * p1.visit_interval_months, t_end);
            cr_assert_geq(origin + t.n_visits * p1.visit_interval_months, t_end);
        } else {
            cr_assert_eq(memcmp(&t.ev, &u.ev, sizeof t.ev), 0, "patient %lld", (long long)id);
            cr_assert(same_but_exposure(&u, &t));
            cr_assert(rows_equal(&r0, &r1));
        }
        /* recorded events: the planned ones up to the end, in order */
        int kept = 0;
        for (int a = 0; a < tx->n_ae; a++) {
            if (tx->ae[a].time > t_end) {
                dropped_ae++;
                continue;
            }
            cr_assert_lt(kept, t.n_ae);
            cr_assert_eq(t.ae[kept].type, tx->ae[a].type);
            cr_assert_eq(t.ae[kept].outcome, tx->ae[a].outcome);
            cr_assert_eq(t.ae[kept].time, tx->ae[a].time);
            kept++;
        }
        cr_assert_eq(t.n_ae, kept, "patient %lld: %d events recorded, %d up to the end",
                     (long long)id, t.n_ae, kept);
        /* doses: the scheduled ones up to the end */
        int doses = 0;
        for (int j = 0; j < n_doses; j++)
            doses += t.cov.t_diagnosis + j * 1.0 <= t_end;
        cr_assert_eq(t.exposure[0].n_doses, doses, "patient %lld", (long long)id);
        cut_doses += doses < n_doses;
    }
    /* every branch was exercised */
    cr_assert_gt(ae_deaths, 5, "%d deaths from adverse events", ae_deaths);
    cr_assert_gt(cut_doses, 100, "%d schedules cut by death", cut_doses);
    cr_assert_gt(dropped_ae, 10, "%d events after the end", dropped_ae);
    gsl_rng_free(r);
    free(tx);
    rows_free(&r0);
    rows_free(&r1);
    mnd_workspace_free(&w);
}

/* ====================================== 9. eligibility, uptake, adherence */

/* An SOD1-only intervention with a real effect: everyone else is
 * ineligible and exactly the untreated patient; SOD1 carriers are treated
 * and their course changes. */
Test(treatment, eligibility_by_genotype)
{
    mnd_params p0 = base_params();
    static const double shares[MND_GENOTYPE_COUNT] = {0.5, 0.1, 0.1, 0.2, 0.1};
    memcpy(p0.genotype_share, shares, sizeof shares);
    mnd_params p1 = p0;
    mnd_intervention iv = neutral_iv("sod1_only");
    iv.start_anchor = MND_ANCHOR_DIAGNOSIS;
    for (int g = 0; g < MND_GENOTYPE_COUNT; g++)
        iv.genotypes[g] = g == MND_GENOTYPE_SOD1_A4V || g == MND_GENOTYPE_SOD1_OTHER;
    iv.loss_rate_multiplier = 0.5;
    add_iv(&p1, iv);

    mnd_workspace w = workspace();
    rows_buf r0 = rows_alloc(&p0), r1 = rows_alloc(&p1);
    int sod1 = 0, changed = 0;
    for (int64_t id = 0; id < 400; id++) {
        mnd_patient u, t;
        simulate(&w, &p0, id, &u, &r0);
        simulate(&w, &p1, id, &t, &r1);
        cr_assert_eq(u.cov.genotype, t.cov.genotype);
        if (iv.genotypes[t.cov.genotype]) {
            sod1++;
            cr_assert_eq(t.exposure[0].status, MND_EXPOSURE_TREATED);
            cr_assert_eq(t.exposure[0].t_start, t.cov.t_diagnosis);
            changed += !(t.ev.t_end == u.ev.t_end) || !rows_equal(&r0, &r1);
        } else {
            cr_assert_eq(t.exposure[0].status, MND_EXPOSURE_INELIGIBLE, "patient %lld",
                         (long long)id);
            cr_assert(isnan(t.exposure[0].t_start));
            cr_assert(same_but_exposure(&u, &t), "ineligible patient %lld differs", (long long)id);
            cr_assert(rows_equal(&r0, &r1));
        }
    }
    cr_assert_gt(sod1, 80);
    cr_assert_gt(changed, sod1 * 9 / 10, "%d of %d treated SOD1 patients changed", changed, sod1);
    rows_free(&r0);
    rows_free(&r1);
    mnd_workspace_free(&w);
}

/* Age and function thresholds are judged at the start. */
Test(treatment, eligibility_thresholds)
{
    mnd_params p = base_params();
    mnd_intervention iv = neutral_iv("thresholds");
    iv.loss_rate_multiplier = 0.5;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    p.interventions[0].max_age_years = 60.5; /* the toy is 60 at onset */
    treat(tx, &p, &tp, 1, 5.0);
    cr_assert_eq(tx->exposure[0].status, MND_EXPOSURE_TREATED);
    treat(tx, &p, &tp, 1, 7.0);
    cr_assert_eq(tx->exposure[0].status, MND_EXPOSURE_INELIGIBLE);
    cr_assert_null(tp.k.tx);
    p.interventions[0].max_age_years = 120.0;

    /* ALSFRS-R total: the expected total at the start */
    double total = mnd_total_expected(&p, &tp.k, &tp.ev, 30.0);
    cr_assert(total > 1 && total < 47, "toy total %g", total);
    p.interventions[0].min_alsfrs_total = total + 0.01;
    treat(tx, &p, &tp, 1, 30.0);
    cr_assert_eq(tx->exposure[0].status, MND_EXPOSURE_INELIGIBLE);
    p.interventions[0].min_alsfrs_total = total - 0.01;
    treat(tx, &p, &tp, 1, 30.0);
    cr_assert_eq(tx->exposure[0].status, MND_EXPOSURE_TREATED);

    /* a start after the end of the record is never reached */
    treat(tx, &p, &tp, 1, 700.0);
    cr_assert_eq(tx->exposure[0].status, MND_EXPOSURE_NOT_REACHED);
    treat(tx, &p, &tp, 1, NAN);
    cr_assert_eq(tx->exposure[0].status, MND_EXPOSURE_NOT_REACHED);
    free(tx);
}

Test(treatment, uptake_share)
{
    const int n = 3000;
    mnd_params p = base_params();
    mnd_intervention iv = neutral_iv("offered");
    iv.start_anchor = MND_ANCHOR_DIAGNOSIS;
    iv.uptake = 0.3;
    add_iv(&p, iv);
    mnd_workspace w = workspace();
    rows_buf rb = rows_alloc(&p);
    long treated = 0, declined = 0;
    for (int64_t id = 0; id < n; id++) {
        mnd_patient t;
        simulate(&w, &p, id, &t, &rb);
        treated += t.exposure[0].status == MND_EXPOSURE_TREATED;
        declined += t.exposure[0].status == MND_EXPOSURE_DECLINED;
        if (t.exposure[0].status == MND_EXPOSURE_DECLINED)
            cr_assert(isnan(t.exposure[0].t_start) && t.exposure[0].n_doses == 0);
    }
    cr_assert_eq(treated + declined, n);
    assert_share(treated, n, 0.3, "uptake");
    rows_free(&rb);
    mnd_workspace_free(&w);
}

/* Doses: each taken with probability `adherence`; continuous courses stop
 * at an exponential discontinuation time. */
Test(treatment, adherence_and_discontinuation)
{
    const int n_pat = 3000, n_doses = 10;
    mnd_params p = base_params();
    mnd_intervention iv = neutral_iv("adherence");
    iv.schedule = MND_SCHEDULE_DOSES;
    iv.n_doses = n_doses;
    iv.dose_interval_months = 1.0;
    iv.adherence = 0.7;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();
    long taken = 0;
    for (int i = 0; i < n_pat; i++) {
        treat(tx, &p, &tp, 500 + (uint64_t)i, 10.0);
        taken += tx->exposure[0].n_doses;
    }
    assert_share(taken, (long)n_pat * n_doses, 0.7, "doses taken");

    p.interventions[0].schedule = MND_SCHEDULE_CONTINUOUS;
    p.interventions[0].adherence = 1.0;
    p.interventions[0].discontinuation_per_month = 0.05;
    double sum = 0;
    for (int i = 0; i < n_pat; i++) {
        treat(tx, &p, &tp, 500 + (uint64_t)i, 10.0);
        cr_assert_eq(tx->exposure[0].n_doses, 0);
        sum += tx->exposure[0].t_stop - 10.0;
    }
    double mean = sum / n_pat, se = 20.0 / sqrt(n_pat);
    cr_assert(fabs(mean - 20.0) <= 4 * se, "mean time on drug %g, want 20 (4 SE %g)", mean, 4 * se);
    free(tx);
}

/* ================================================ 10. symptomatic, placebo */

Test(treatment, item_shift_closed_form)
{
    const double S = 2.0, P = 4.0, h = 2.0, t0 = 5.0;
    mnd_params p = base_params();
    mnd_intervention a = neutral_iv("symptomatic");
    a.schedule = MND_SCHEDULE_DOSES;
    a.n_doses = 2;
    a.dose_interval_months = 3.0; /* exposed on [5, 11) */
    a.symptomatic_points = S;
    add_iv(&p, a);
    mnd_intervention b = neutral_iv("placebo");
    b.placebo_points = P;
    b.placebo_half_life_months = h;
    add_iv(&p, b);
    toy_patient tp = toy(&p);
    mnd_course k0 = tp.k;
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, t0);
    cr_assert_eq(tp.k.tx, tx, "a symptomatic effect needs the treatment at the visits");
    static const double ts[] = {4.0, 5.0, 7.0, 10.99, 11.0, 15.0, 40.0};
    for (size_t j = 0; j < sizeof ts / sizeof ts[0]; j++) {
        double t = ts[j];
        double want = (t >= t0 && t < 11.0 ? S : 0.0) + (t >= t0 ? P * exp2(-(t - t0) / h) : 0.0);
        assert_close(mnd_treatment_item_shift(tx, &p, t), want, 1e-14, "item shift");
        /* the pools are untouched, bit for bit */
        for (int reg = 0; reg < MND_REGION_COUNT; reg++)
            for (int q = 0; q < MND_POOL_COUNT; q++)
                cr_assert_eq(mnd_course_fraction(&tp.k, (mnd_region)reg, (mnd_pool)q, t),
                             mnd_course_fraction(&k0, (mnd_region)reg, (mnd_pool)q, t));
        cr_assert_eq(mnd_treatment_death_time(tx, t + 3.3), t + 3.3);
    }
    free(tx);
}

/* Symptomatic and placebo shifts raise the measured items but leave the
 * neurons, FVC, events and visit times of every patient the same bytes. */
Test(treatment, symptomatic_and_placebo_move_items_only)
{
    mnd_params p0 = base_params();
    mnd_params p1 = p0;
    mnd_intervention a = neutral_iv("symptomatic");
    a.start_anchor = MND_ANCHOR_DIAGNOSIS;
    a.symptomatic_points = 3.0;
    add_iv(&p1, a);
    mnd_intervention b = neutral_iv("placebo");
    b.start_anchor = MND_ANCHOR_DIAGNOSIS;
    b.placebo_points = 4.0;
    b.placebo_half_life_months = 2.0;
    add_iv(&p1, b);

    mnd_workspace w = workspace();
    rows_buf r0 = rows_alloc(&p0), r1 = rows_alloc(&p1);
    long diff_first = 0, n_first = 0, lower = 0, moved = 0;
    for (int64_t id = 0; id < 300; id++) {
        mnd_patient u, t;
        simulate(&w, &p0, id, &u, &r0);
        simulate(&w, &p1, id, &t, &r1);
        cr_assert_eq(memcmp(&u.cov, &t.cov, sizeof u.cov), 0);
        cr_assert_eq(memcmp(&u.course.loss_start, &t.course.loss_start, sizeof u.course.loss_start), 0);
        cr_assert_eq(memcmp(&u.ev, &t.ev, sizeof u.ev), 0, "patient %lld: events differ",
                     (long long)id);
        cr_assert_eq(u.n_visits, t.n_visits);
        cr_assert_eq(memcmp(&u.t_m50, &t.t_m50, sizeof u.t_m50), 0);
        cr_assert_eq(memcmp(&u.t_d50, &t.t_d50, sizeof u.t_d50), 0);
        cr_assert_eq(memcmp(&u.mu_decline_percent_per_month, &t.mu_decline_percent_per_month,
                            sizeof(double)), 0);
        cr_assert(rows_equal_but_items(&r0, &r1), "patient %lld: neurons or FVC differ",
                  (long long)id);
        cr_assert_eq(t.exposure[0].status, MND_EXPOSURE_TREATED);
        /* visit 0 is at diagnosis, the start: shift 7 points over 11 items */
        diff_first += r1.rows.total[0] - r0.rows.total[0];
        n_first++;
        for (int64_t j = 0; j < t.n_visits; j++) {
            lower += r1.rows.total[j] < r0.rows.total[j];
            moved += r1.rows.total[j] != r0.rows.total[j];
        }
    }
    cr_assert_gt(moved, 300, "the shift moved %ld visit totals", moved);
    cr_assert_lt(lower, moved / 20, "%ld of %ld moved totals went down", lower, moved);
    double mean_first = (double)diff_first / (double)n_first;
    cr_assert(mean_first > 2.0 && mean_first <= 7.0, "mean shift at the start %g", mean_first);
    rows_free(&r0);
    rows_free(&r1);
    mnd_workspace_free(&w);
}

/* ================================================ 11. common random numbers */

/* Adding a second, unrelated intervention (its own name, placed first)
 * moves none of the first one's draws: the same exposure and the same
 * adverse events. */
Test(treatment, second_intervention_moves_no_draws)
{
    mnd_params p1 = base_params();
    p1.delivery.route_ae_per_dose[MND_AE_HEADACHE][MND_ROUTE_INTRATHECAL] = 0.3;
    p1.delivery.route_ae_per_dose[MND_AE_MENINGITIS][MND_ROUTE_INTRATHECAL] = 0.05;
    p1.delivery.ae_latency_months[MND_AE_HEADACHE] = 0.1;
    mnd_intervention a = neutral_iv("first");
    a.start_anchor = MND_ANCHOR_DIAGNOSIS;
    a.schedule = MND_SCHEDULE_DOSES;
    a.n_doses = 8;
    a.dose_interval_months = 2.0;
    a.route = MND_ROUTE_INTRATHECAL;
    a.uptake = 0.7;
    a.adherence = 0.8;
    mnd_params p2 = p1;
    add_iv(&p1, a);
    mnd_intervention b = neutral_iv("second");
    b.start_anchor = MND_ANCHOR_DIAGNOSIS;
    b.schedule = MND_SCHEDULE_DOSES;
    b.n_doses = 5;
    b.dose_interval_months = 1.0;
    b.route = MND_ROUTE_INTRATHECAL;
    b.uptake = 0.5;
    b.adherence = 0.6;
    add_iv(&p2, b);
    add_iv(&p2, a); /* the first intervention is now at index 1 */

    mnd_workspace w = workspace();
    rows_buf r1 = rows_alloc(&p1), r2 = rows_alloc(&p2);
    int with_ae = 0, b_ae = 0;
    for (int64_t id = 0; id < 400; id++) {
        mnd_patient t1, t2;
        simulate(&w, &p1, id, &t1, &r1);
        simulate(&w, &p2, id, &t2, &r2);
        cr_assert_eq(memcmp(&t1.exposure[0], &t2.exposure[1], sizeof t1.exposure[0]), 0,
                     "patient %lld: exposure differs", (long long)id);
        int k = 0;
        for (int e = 0; e < t2.n_ae; e++) {
            if (t2.ae[e].intervention != 1) {
                b_ae++;
                continue;
            }
            cr_assert_lt(k, t1.n_ae);
            cr_assert_eq(t1.ae[k].type, t2.ae[e].type);
            cr_assert_eq(t1.ae[k].outcome, t2.ae[e].outcome);
            cr_assert_eq(t1.ae[k].time, t2.ae[e].time);
            k++;
        }
        cr_assert_eq(k, t1.n_ae, "patient %lld: adverse events differ", (long long)id);
        with_ae += t1.n_ae > 0;
        /* and nothing else moved */
        cr_assert_eq(memcmp(&t1.ev, &t2.ev, sizeof t1.ev), 0);
        cr_assert(rows_equal(&r1, &r2));
    }
    cr_assert_gt(with_ae, 50);
    cr_assert_gt(b_ae, 50);
    rows_free(&r1);
    rows_free(&r2);
    mnd_workspace_free(&w);
}

/* The stream is keyed by the name: renaming an intervention redraws it. */
Test(treatment, renamed_intervention_redraws)
{
    mnd_params p1 = base_params();
    mnd_intervention a = neutral_iv("alpha");
    a.start_anchor = MND_ANCHOR_DIAGNOSIS;
    a.schedule = MND_SCHEDULE_DOSES;
    a.n_doses = 20;
    a.adherence = 0.5;
    add_iv(&p1, a);
    mnd_params p2 = p1;
    snprintf(p2.interventions[0].name, sizeof p2.interventions[0].name, "beta");
    mnd_workspace w = workspace();
    rows_buf rb = rows_alloc(&p1);
    int differ = 0;
    for (int64_t id = 0; id < 50; id++) {
        mnd_patient t1, t2;
        simulate(&w, &p1, id, &t1, &rb);
        simulate(&w, &p2, id, &t2, &rb);
        differ += t1.exposure[0].n_doses != t2.exposure[0].n_doses;
    }
    cr_assert_gt(differ, 30);
    rows_free(&rb);
    mnd_workspace_free(&w);
}

/* =================================== grafts and the event-time search */

/* Grafted neurons can make the ventilation index jump up when a graft
 * integrates.  Respiratory failure reached just before that jump still
 * happens then: the search must not look past the jump. */
Test(treatment, crossing_just_before_a_graft_jump)
{
    mnd_params p = base_params();
    p.death_ventilation_sd = 0.0; /* threshold = its mean */
    p.niv_uptake = 0.0;
    p.gastrostomy_uptake = 0.0;
    p.tracheostomy_share = 0.0;
    toy_patient tp = toy(&p);
    gsl_rng *r = rng_alloc();
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    cr_assert_not_null(s);
    mnd_events ev0, ev1;
    gsl_rng_set(r, 99);
    mnd_events_sample(r, s, &p, &tp.c, &tp.k, 600.0, &ev0);
    double t_rf = ev0.t_respiratory_failure, theta = ev0.death_ventilation;
    cr_assert(isfinite(t_rf) && t_rf > 10.0, "untreated respiratory failure at %g", t_rf);

    /* a large thoracic graft injected 5 months before, integrating 0.5 month after */
    mnd_intervention iv = neutral_iv("rescue");
    iv.schedule = MND_SCHEDULE_ONCE;
    iv.route = MND_ROUTE_INTRASPINAL;
    iv.target_region = MND_REGION_THORACIC;
    iv.cell_source = MND_CELLS_NSC;
    iv.cells_per_dose_millions = 1.0;
    iv.engraftment = 1.0;
    iv.correct_differentiation = 1.0;
    iv.integration_months = 5.5;
    iv.graft_half_life_months = 1000.0;
    add_iv(&p, iv);
    mnd_treatment *tx = tx_alloc();
    treat(tx, &p, &tp, 1, t_rf - 5.0);
    double t_int = t_rf + 0.5;
    cr_assert_lt(mnd_ventilation(&p, &tp.k, t_int - 1e-6), theta, "precondition: failed before");
    cr_assert_gt(mnd_ventilation(&p, &tp.k, t_int), theta, "precondition: rescued after");
    gsl_rng_set(r, 99);
    mnd_events_sample(r, s, &p, &tp.c, &tp.k, 600.0, &ev1);
    assert_close(ev1.t_respiratory_failure, t_rf, 1e-6, "respiratory failure before the jump");
    assert_close(ev1.t_death, ev0.t_death, 1e-6, "death");
    free(tx);
    gsl_root_fsolver_free(s);
    gsl_rng_free(r);
}

/* An intervention whose start comes after a fatal adverse event of an
 * earlier one is never reached (patient.h: "came after t_end"): not
 * treated, no doses, no adverse events. */
Test(treatment, start_after_fatal_ae_not_reached)
{
    mnd_params p = base_params();
    p.delivery.route_ae_per_dose[MND_AE_MENINGITIS][MND_ROUTE_INTRATHECAL] = 1.0;
    p.delivery.route_ae_per_dose[MND_AE_HEADACHE][MND_ROUTE_INTRATHECAL] = 1.0;
    p.delivery.ae_fatality[MND_AE_MENINGITIS] = 1.0;
    p.delivery.ae_latency_months[MND_AE_MENINGITIS] = 0.2;
    p.delivery.ae_latency_sd_log[MND_AE_MENINGITIS] = 0.0;
    p.delivery.ae_latency_months[MND_AE_HEADACHE] = 0.1;
    p.delivery.ae_latency_sd_log[MND_AE_HEADACHE] = 0.0;
    mnd_intervention a = neutral_iv("fatal_lp");
    a.start_anchor = MND_ANCHOR_DIAGNOSIS;
    a.schedule = MND_SCHEDULE_ONCE;
    a.route = MND_ROUTE_INTRATHECAL;
    add_iv(&p, a);
    mnd_intervention b = neutral_iv("later");
    b.start_anchor = MND_ANCHOR_DIAGNOSIS;
    b.start_delay_months = 6.0;
    b.schedule = MND_SCHEDULE_DOSES;
    b.n_doses = 6;
    b.route = MND_ROUTE_INTRATHECAL;
    b.loss_rate_multiplier = 0.5;
    add_iv(&p, b);
    mnd_workspace w = workspace();
    rows_buf rb = rows_alloc(&p);
    int ae_deaths = 0;
    for (int64_t id = 0; id < 200; id++) {
        mnd_patient t;
        simulate(&w, &p, id, &t, &rb);
        if (t.ev.end_cause != MND_END_ADVERSE_EVENT) { /* died of the disease first */
            cr_assert_lt(t.ev.t_end, t.cov.t_diagnosis + 0.2, "patient %lld", (long long)id);
            continue;
        }
        ae_deaths++;
        assert_close(t.ev.t_end, t.cov.t_diagnosis + 0.2, 1e-14, "death from meningitis");
        cr_assert_eq(t.exposure[0].status, MND_EXPOSURE_TREATED);
        cr_assert_eq(t.exposure[1].status, MND_EXPOSURE_NOT_REACHED, "patient %lld: status %s",
                     (long long)id, mnd_exposure_status_names[t.exposure[1].status]);
        cr_assert_eq(t.exposure[1].n_doses, 0);
        for (int e = 0; e < t.n_ae; e++)
            cr_assert_eq(t.ae[e].intervention, 0);
        cr_assert_eq(t.n_ae, 2, "headache and meningitis of the one dose");
    }
    cr_assert_gt(ae_deaths, 190);
    rows_free(&rb);
    mnd_workspace_free(&w);
}

/* ================================================================ anchors */

static int expected_kings(const mnd_params *p, const mnd_patient *pt, double t)
{
    mnd_pool_state s;
    double e[MND_ITEM_COUNT];
    int8_t items[MND_ITEM_COUNT];
    mnd_pool_state_at(p, &pt->course, t, &s);
    mnd_items_expected(p, &s, &pt->ev, t, e);
    for (int i = 0; i < MND_ITEM_COUNT; i++)
        items[i] = (int8_t)floor(e[i] + 0.5);
    return mnd_kings_stage(items, t >= pt->ev.t_gastrostomy || t >= pt->ev.t_niv);
}

/* Starts counted from an event or a King's stage: at the event (plus the
 * delay), never without it. */
Test(treatment, anchors)
{
    mnd_params p = base_params();
    mnd_intervention a = neutral_iv("after_peg");
    a.start_anchor = MND_ANCHOR_GASTROSTOMY;
    a.start_delay_months = 0.5;
    add_iv(&p, a);
    mnd_intervention b = neutral_iv("at_stage_3");
    b.start_anchor = MND_ANCHOR_KINGS_STAGE;
    b.start_stage = 3;
    add_iv(&p, b);
    mnd_intervention c = neutral_iv("at_niv");
    c.start_anchor = MND_ANCHOR_NIV;
    add_iv(&p, c);
    mnd_workspace w = workspace();
    rows_buf rb = rows_alloc(&p);
    int n_peg = 0, n_stage = 0, n_niv = 0;
    for (int64_t id = 0; id < 300; id++) {
        mnd_patient t;
        simulate(&w, &p, id, &t, &rb);
        const mnd_exposure *ex = t.exposure;
        if (t.ev.t_gastrostomy + 0.5 < t.ev.t_end) {
            n_peg++;
            cr_assert_eq(ex[0].status, MND_EXPOSURE_TREATED);
            cr_assert_eq(ex[0].t_start, t.ev.t_gastrostomy + 0.5);
        } else {
            cr_assert_eq(ex[0].status, MND_EXPOSURE_NOT_REACHED, "patient %lld", (long long)id);
        }
        if (t.ev.t_niv < t.ev.t_end) {
            n_niv++;
            cr_assert_eq(ex[2].status, MND_EXPOSURE_TREATED);
            cr_assert_eq(ex[2].t_start, t.ev.t_niv);
        } else {
            cr_assert_eq(ex[2].status, MND_EXPOSURE_NOT_REACHED);
        }
        if (ex[1].status == MND_EXPOSURE_TREATED) {
            n_stage++;
            double ts = ex[1].t_start;
            cr_assert(ts >= t.cov.t_diagnosis && ts <= t.ev.t_end);
            cr_assert_geq(expected_kings(&p, &t, ts), 3, "patient %lld at %g", (long long)id, ts);
            if (ts > t.cov.t_diagnosis + 1e-6)
                cr_assert_lt(expected_kings(&p, &t, ts - 1e-6), 3, "patient %lld", (long long)id);
        } else {
            cr_assert_eq(ex[1].status, MND_EXPOSURE_NOT_REACHED);
            cr_assert_lt(expected_kings(&p, &t, t.ev.t_end), 3);
        }
    }
    cr_assert(n_peg > 20 && n_stage > 100 && n_niv > 20, "%d %d %d", n_peg, n_stage, n_niv);
    rows_free(&rb);
    mnd_workspace_free(&w);
}

/* ================================== graft-aware crossings in the patient loop */

/* A graft reaching every region (intravenous, all cells delivered) given
 * at diagnosis and integrating `integration` months later: every LMN pool
 * is back to 1 from then on, with no effect on the pools before. */
static mnd_intervention whole_body_graft(double integration)
{
    mnd_intervention iv = neutral_iv("whole_body_graft");
    iv.start_anchor = MND_ANCHOR_DIAGNOSIS;
    iv.schedule = MND_SCHEDULE_ONCE;
    iv.route = MND_ROUTE_INTRAVENOUS;
    iv.cell_source = MND_CELLS_NSC;
    iv.cells_per_dose_millions = 1.0;
    iv.engraftment = 1.0;
    iv.correct_differentiation = 1.0;
    iv.integration_months = integration;
    iv.graft_half_life_months = 1000.0;
    return iv;
}

static void deliver_all_intravenous_cells(mnd_params *p)
{
    for (int reg = 0; reg < MND_REGION_COUNT; reg++)
        p->delivery.cell_fraction[MND_ROUTE_INTRAVENOUS][reg] = 1.0;
}

/* The limb LMN index of t_m50 (patient.h): 2/3 cervical, 1/3 lumbar. */
static double limb_lmn_index(const mnd_course *k, double t)
{
    return (2.0 * mnd_course_fraction(k, MND_REGION_CERVICAL, MND_POOL_LMN, t)
            + mnd_course_fraction(k, MND_REGION_LUMBAR, MND_POOL_LMN, t))
           / 3.0;
}

/* M50 and D50 reached before a graft integrates are not moved by it: the
 * pools are the untreated ones until then, and the jump up at integration
 * (the limb LMN index back to 1, the total up) must not hide the earlier
 * crossing, as a single search over the whole record would (it sees the
 * index above 50 % at the end and reports no crossing). */
Test(treatment, motor_unit_markers_before_a_graft_jump)
{
    const double integration = 9.0;
    mnd_params p0 = base_params();
    deliver_all_intravenous_cells(&p0);
    mnd_params p1 = p0;
    add_iv(&p1, whole_body_graft(integration));
    mnd_workspace w = workspace();
    rows_buf r0 = rows_alloc(&p0), r1 = rows_alloc(&p1);
    int m50_before = 0, d50_before = 0, m50_rescued = 0;
    for (int64_t id = 0; id < 400; id++) {
        mnd_patient u, t;
        simulate(&w, &p0, id, &u, &r0);
        simulate(&w, &p1, id, &t, &r1);
        if (u.cov.attempts != t.cov.attempts)
            continue;
        cr_assert_eq(t.exposure[0].status, MND_EXPOSURE_TREATED);
        t.course.tx = w.tx; /* the treated course: the workspace keeps it until the next patient */
        double t_int = t.cov.t_diagnosis + integration;
        if (u.t_m50 < t_int) {
            m50_before++;
            cr_assert(!isnan(t.t_m50), "patient %lld: M50 at %g before integration at %g lost",
                      (long long)id, u.t_m50, t_int);
            assert_close(t.t_m50, u.t_m50, 1e-6, "M50 before the graft");
            /* the graft lifts the limb index above 50 % for the rest of the record */
            m50_rescued += t.ev.t_end > t_int && limb_lmn_index(&t.course, t.ev.t_end) > 0.5;
        }
        if (u.t_d50 < t_int) {
            d50_before++;
            cr_assert(!isnan(t.t_d50), "patient %lld: D50 at %g before integration at %g lost",
                      (long long)id, u.t_d50, t_int);
            assert_close(t.t_d50, u.t_d50, 1e-6, "D50 before the graft");
        }
    }
    cr_assert_gt(m50_before, 50, "%d patients with M50 before integration", m50_before);
    cr_assert_gt(m50_rescued, 20, "%d of them above 50 %% at the end", m50_rescued);
    cr_assert_gt(d50_before, 10, "%d patients with D50 before integration", d50_before);
    rows_free(&r0);
    rows_free(&r1);
    mnd_workspace_free(&w);
}

/* A start anchored on a King's stage reached before an earlier
 * intervention's graft integrates starts then, even though the graft
 * brings the stage back down at integration (a single search over the
 * record may land on the later, second crossing, or find none). */
Test(treatment, kings_stage_anchor_before_a_graft_jump)
{
    const double integration = 6.0;
    mnd_params p0 = base_params();
    deliver_all_intravenous_cells(&p0);
    p0.umn_function_weight = 0.0; /* restored LMN pools restore the regions' function */
    mnd_params p1 = p0;
    mnd_intervention at_stage = neutral_iv("at_stage_3");
    at_stage.start_anchor = MND_ANCHOR_KINGS_STAGE;
    at_stage.start_stage = 3;
    add_iv(&p0, at_stage);
    add_iv(&p1, whole_body_graft(integration));
    add_iv(&p1, at_stage);
    mnd_workspace w = workspace();
    rows_buf r0 = rows_alloc(&p0), r1 = rows_alloc(&p1);
    int before = 0, brought_down = 0;
    for (int64_t id = 0; id < 1000; id++) {
        mnd_patient u, t;
        simulate(&w, &p0, id, &u, &r0);
        simulate(&w, &p1, id, &t, &r1);
        if (u.cov.attempts != t.cov.attempts)
            continue;
        double t_int = t.cov.t_diagnosis + integration;
        double t_stage = u.exposure[0].t_start; /* untreated: NaN when never reached */
        if (!(t_stage < t_int))
            continue;
        before++;
        t.course.tx = w.tx; /* the treated course: the workspace keeps it until the next patient */
        cr_assert_eq(t.exposure[1].status, MND_EXPOSURE_TREATED, "patient %lld: stage 3 at %g, "
                     "graft integrating at %g: %s", (long long)id, t_stage, t_int,
                     mnd_exposure_status_names[t.exposure[1].status]);
        assert_close(t.exposure[1].t_start, t_stage, 1e-6, "stage-3 start before the graft");
        brought_down += t.ev.t_end > t_int && expected_kings(&p1, &t, t_int) < 3;
    }
    cr_assert_gt(before, 100, "%d patients at stage 3 before integration", before);
    cr_assert_gt(brought_down, 20, "%d patients back below stage 3 at integration", brought_down);
    rows_free(&r0);
    rows_free(&r1);
    mnd_workspace_free(&w);
}

/* ======================================================= exposure stop */

/* t_stop is the planned stop of the schedule drawn for the whole
 * follow-up, never cut at death (patient.h): a dose schedule keeps the
 * last planned dose + interval and a limited course its end when the
 * patient dies first, and a course with discontinuation has a finite stop,
 * the drawn time, even when still ongoing at t_end.  Only a course for
 * life without discontinuation has INFINITY. */
Test(treatment, exposure_stop_is_the_planned_stop)
{
    mnd_params p = base_params();
    mnd_intervention a = neutral_iv("monthly_48");
    a.start_anchor = MND_ANCHOR_DIAGNOSIS;
    a.schedule = MND_SCHEDULE_DOSES;
    a.n_doses = 48;
    a.dose_interval_months = 1.0;
    add_iv(&p, a);
    mnd_intervention b = neutral_iv("discontinued");
    b.start_anchor = MND_ANCHOR_DIAGNOSIS;
    b.discontinuation_per_month = 0.02;
    add_iv(&p, b);
    mnd_intervention c = neutral_iv("six_months");
    c.start_anchor = MND_ANCHOR_DIAGNOSIS;
    c.duration_months = 6.0;
    add_iv(&p, c);
    mnd_intervention d = neutral_iv("for_life");
    d.start_anchor = MND_ANCHOR_DIAGNOSIS;
    add_iv(&p, d);
    cr_assert_geq(p.follow_up_months, 48.0, "the whole dose schedule lies in follow-up");
    mnd_workspace w = workspace();
    rows_buf rb = rows_alloc(&p);
    int doses_cut = 0, ongoing_finite = 0, course_cut = 0;
    for (int64_t id = 0; id < 500; id++) {
        mnd_patient t;
        simulate(&w, &p, id, &t, &rb);
        const mnd_exposure *ex = t.exposure;
        for (int i = 0; i < 4; i++)
            cr_assert_eq(ex[i].status, MND_EXPOSURE_TREATED);
        double start = t.cov.t_diagnosis, end = t.ev.t_end;
        /* doses: the 48th + 1 month, whenever the patient died */
        assert_close(ex[0].t_stop, start + 48.0, 1e-12, "dose schedule stop");
        if (end < start + 47.0) {
            doses_cut++;
            cr_assert_lt(ex[0].n_doses, 48, "doses are cut at death, the stop is not");
        }
        /* discontinuation: finite, drawn, possibly after the end */
        cr_assert(isfinite(ex[1].t_stop) && ex[1].t_stop > start, "patient %lld", (long long)id);
        ongoing_finite += ex[1].t_stop > end;
        /* a limited course: start + duration, whenever the patient died */
        cr_assert_eq(ex[2].t_stop, start + 6.0);
        course_cut += end < start + 6.0;
        /* for life */
        cr_assert(isinf(ex[3].t_stop) && ex[3].t_stop > 0);
    }
    cr_assert_gt(doses_cut, 50, "%d patients died during the dose schedule", doses_cut);
    cr_assert_gt(ongoing_finite, 50, "%d courses ongoing at t_end", ongoing_finite);
    cr_assert_gt(course_cut, 5, "%d patients died within the limited course", course_cut);
    rows_free(&rb);
    mnd_workspace_free(&w);
}

/* ================================================ adverse events past the cap */

/* Past MND_MAX_AE_PER_PATIENT the events are counted, not recorded; the
 * count, like the record, loses the events after an earlier end. */
Test(treatment, ae_past_the_cap_are_counted)
{
    const double t0 = 10.0;
    mnd_params p = base_params();
    p.delivery.route_ae_per_dose[MND_AE_HEADACHE][MND_ROUTE_INTRATHECAL] = 1.0;
    p.delivery.route_ae_per_dose[MND_AE_MENINGITIS][MND_ROUTE_INTRATHECAL] = 1.0;
    p.delivery.ae_latency_months[MND_AE_HEADACHE] = 0.1;
    p.delivery.ae_latency_months[MND_AE_MENINGITIS] = 0.2;
    p.delivery.ae_latency_sd_log[MND_AE_HEADACHE] = 0.0;
    p.delivery.ae_latency_sd_log[MND_AE_MENINGITIS] = 0.0;
    mnd_intervention iv = neutral_iv("ten_lp");
    iv.schedule = MND_SCHEDULE_DOSES;
    iv.n_doses = 10;
    iv.dose_interval_months = 1.0;
    iv.route = MND_ROUTE_INTRATHECAL;
    add_iv(&p, iv);
    toy_patient tp = toy(&p);
    mnd_treatment *tx = tx_alloc();

    /* two events a dose, drawn dose by dose: doses 0-7 fill the record */
    treat(tx, &p, &tp, 1, t0);
    cr_assert_eq(tx->n_ae, MND_MAX_AE_PER_PATIENT);
    cr_assert_eq(tx->n_ae_dropped, 20 - MND_MAX_AE_PER_PATIENT);
    for (int a = 0; a < tx->n_ae; a++)
        assert_close(tx->ae[a].time, t0 + (a / 2) + (a % 2 ? 0.2 : 0.1), 1e-12, "recorded event");

    /* an end at dose 8's headache keeps it in the count, drops the rest */
    mnd_treatment_truncate(tx, t0 + 8.15);
    cr_assert_eq(tx->n_ae, MND_MAX_AE_PER_PATIENT);
    cr_assert_eq(tx->n_ae_dropped, 1);

    /* an end before the record is full: nothing past the cap is left */
    treat(tx, &p, &tp, 1, t0);
    mnd_treatment_truncate(tx, t0 + 3.15);
    cr_assert_eq(tx->n_ae, 7);
    cr_assert_eq(tx->n_ae_dropped, 0);

    /* a fresh patient starts from no dropped event */
    mnd_treatment_reset(tx, &p);
    cr_assert_eq(tx->n_ae_dropped, 0);
    free(tx);
}

/* In the patient loop: n_ae + n_ae_dropped is the number of events of the
 * plan (replayed from the intervention's stream) up to the end of the
 * record, also when a fatal event or the disease ends it early. */
Test(treatment, patient_counts_ae_past_the_cap)
{
    const int n_doses = 24;
    mnd_params p = base_params();
    p.delivery.route_ae_per_dose[MND_AE_HEADACHE][MND_ROUTE_INTRATHECAL] = 0.5;
    p.delivery.route_ae_per_dose[MND_AE_MENINGITIS][MND_ROUTE_INTRATHECAL] = 0.4;
    p.delivery.ae_latency_months[MND_AE_HEADACHE] = 0.1;
    p.delivery.ae_latency_months[MND_AE_MENINGITIS] = 0.2;
    p.delivery.ae_fatality[MND_AE_MENINGITIS] = 0.01;
    mnd_intervention iv = neutral_iv("monthly_lp");
    iv.start_anchor = MND_ANCHOR_DIAGNOSIS;
    iv.schedule = MND_SCHEDULE_DOSES;
    iv.n_doses = n_doses;
    iv.dose_interval_months = 1.0;
    iv.route = MND_ROUTE_INTRATHECAL;
    add_iv(&p, iv);
    mnd_workspace w = workspace();
    rows_buf rb = rows_alloc(&p);
    mnd_treatment *tx = tx_alloc();
    gsl_rng *r = rng_alloc();
    int with_dropped = 0, cut_after_cap = 0, ae_deaths = 0;
    for (int64_t id = 0; id < 600; id++) {
        mnd_patient t;
        simulate(&w, &p, id, &t, &rb);
        cr_assert_eq(t.exposure[0].status, MND_EXPOSURE_TREATED);
        uint64_t key = mnd_rng_key(p.seed, MND_STREAM_TREATMENT, 0, (uint64_t)id,
                                   (uint64_t)t.cov.attempts - 1);
        gsl_rng_set(r, mnd_rng_name_key(key, iv.name));
        mnd_treatment_reset(tx, &p);
        mnd_treatment_give(tx, r, &p, 0, &t.cov, &t.course, &t.ev, t.cov.t_diagnosis,
                           admin_end(&p, &t.cov));
        int happened = 0, planned_dropped = tx->n_ae_dropped;
        for (int a = 0; a < tx->n_ae; a++)
            happened += tx->ae[a].time <= t.ev.t_end;
        for (int a = 0; a < tx->n_ae_dropped; a++)
            happened += tx->ae_dropped_time[a] <= t.ev.t_end;
        cr_assert_leq(t.n_ae, MND_MAX_AE_PER_PATIENT);
        cr_assert_eq(t.n_ae + t.n_ae_dropped, happened, "patient %lld: %d recorded + %d dropped, "
                     "%d events up to the end", (long long)id, t.n_ae, t.n_ae_dropped, happened);
        with_dropped += t.n_ae_dropped > 0;
        cut_after_cap += t.n_ae_dropped < planned_dropped;
        ae_deaths += t.ev.end_cause == MND_END_ADVERSE_EVENT;
    }
    cr_assert_gt(with_dropped, 50, "%d patients with events past the cap", with_dropped);
    cr_assert_gt(cut_after_cap, 50, "%d patients whose end dropped some of them", cut_after_cap);
    cr_assert_gt(ae_deaths, 5, "%d deaths from adverse events", ae_deaths);
    gsl_rng_free(r);
    free(tx);
    rows_free(&rb);
    mnd_workspace_free(&w);
}
