/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * treatment.h — what the interventions do to one patient: exposure, adverse
 * events, and the treated course of the motor-neuron pools.
 *
 * The treated course is a "disease clock" per region: a pool's surviving
 * fraction is exp(-rate (G_r(t) - G_r(loss_start))), where G_r advances at
 * the speed m_r(t) = (1 - s) C_ca(t) + s C_nca(t) (s the non-cell-autonomous
 * share, C the product of the effects on each component).  Between the
 * breakpoints of the treatment (starts, stops, doses, graft integration,
 * rejection) m_r is a constant plus decaying exponentials (neurotrophic
 * secretion), so G_r is closed form.  Before the first effect G_r(t) = t,
 * exactly: an untreated stretch of time is computed by the untreated
 * formulas, bit for bit.  Grafted functional neurons add to the LMN pools
 * of the regions the route reaches and decay with their own half-life.
 * Disease death runs on its own clock, slowed by HR^(1/k) while a death
 * hazard ratio HR acts (k the Weibull shape of survival), which multiplies
 * the hazard by HR for Weibull survival.
 */
#ifndef MNDSIM_TREATMENT_H
#define MNDSIM_TREATMENT_H

#include <stdbool.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "mndsim/model.h"
#include "mndsim/patient.h"

#define MND_MAX_SEGMENTS (MND_MAX_INTERVENTIONS * (3 * MND_MAX_DOSES + 4))
/* Adverse events past the per-patient cap: at most one of each type per dose. */
#define MND_MAX_AE_DROPPED \
    (MND_MAX_INTERVENTIONS * MND_MAX_DOSES * MND_AE_COUNT - MND_MAX_AE_PER_PATIENT)

/* One stretch of constant treatment between breakpoints.  The decaying
 * and grafted terms are listed by intervention (decay[], graft[]) and their
 * coefficients stored in list order, so an evaluation touches only them. */
typedef struct {
    double t0;                                   /* start of the stretch */
    double clock0[MND_REGION_COUNT];             /* G_r(t0) */
    double speed[MND_REGION_COUNT];              /* constant part of m_r */
    bool identity[MND_REGION_COUNT];             /* G_r(t) = t exactly in the stretch */
    int8_t n_decay, n_graft;                     /* interventions with decay terms, grafts */
    int8_t decay[MND_MAX_INTERVENTIONS], graft[MND_MAX_INTERVENTIONS]; /* their indexes */
    double decay_rate[MND_MAX_INTERVENTIONS];    /* lambda of decay[j], per month */
    double decay_coef[MND_MAX_INTERVENTIONS][MND_REGION_COUNT]; /* m_r term of decay[j]: coef e^(-lambda (t-t0)) */
    double graft_rate[MND_MAX_INTERVENTIONS];    /* attrition rate kappa of graft[j], per month */
    double graft0[MND_MAX_INTERVENTIONS][MND_REGION_COUNT];     /* grafted LMN fraction of graft[j] at t0 */
    double death_clock0, death_speed;            /* death clock at t0, and its speed */
    double symptomatic_points;                   /* ALSFRS-R shift in the stretch */
} mnd_segment;

/* The treatment of one patient.  Lives in a thread's workspace; a course
 * points to it while the patient is being simulated. */
typedef struct mnd_treatment {
    mnd_exposure exposure[MND_MAX_INTERVENTIONS];
    int32_t n_ae;
    mnd_adverse_event ae[MND_MAX_AE_PER_PATIENT];
    int32_t n_ae_dropped;        /* events drawn past the cap, not in ae[] */
    double ae_dropped_time[MND_MAX_AE_DROPPED]; /* their times, months since onset, so
                                                   that truncation drops those after t_end */
    double t_ae_death;           /* first fatal adverse event; INFINITY if none */
    double niv_offered_from;     /* supportive care offered from these times (the */
    double gastrostomy_offered_from; /* earliest start of an intervention that offers */
    double tracheostomy_offered_from; /* it); INFINITY: standard care only */
    bool has_placebo;            /* some intervention with a placebo shift is taken */
    bool has_symptomatic;        /* some segment has a symptomatic shift */

    /* the treated course (empty: untreated) */
    int32_t n_seg;
    double t_first;              /* start of segment 0; G_r(t) = t before it */
    double seg_t0[MND_MAX_SEGMENTS]; /* seg[j].t0, packed for the segment lookup */
    mnd_segment seg[MND_MAX_SEGMENTS];
    double lambda[MND_MAX_INTERVENTIONS];  /* neurotrophic decay rate, per month */
    double kappa[MND_MAX_INTERVENTIONS];   /* graft attrition rate, per month */
    double clock_loss_start[MND_REGION_COUNT]; /* G_r(loss_start_r) */
    double natural_loss_start[MND_REGION_COUNT]; /* N(G_r(loss_start_r)) (course.c) */
    bool has_grafts;             /* pools can jump up: at the t0 of segments */
    double t_pools_change;       /* start of the first segment where a region's clock is
                                    not the identity or a graft acts; INFINITY if none:
                                    the pools are the untreated ones before it */

    /* private to treatment.c: the plan the segments are built from */
    int32_t n_doses_planned[MND_MAX_INTERVENTIONS];
    double dose_time[MND_MAX_INTERVENTIONS][MND_MAX_DOSES];
    double rejection_time[MND_MAX_INTERVENTIONS]; /* grafts lost; INFINITY if never */
} mnd_treatment;

/* Empties the treatment: no exposure, no events, untreated course. */
void mnd_treatment_reset(mnd_treatment *tx, const mnd_params *p);

/* Gives intervention `index` of p to the patient, starting at `t_start`
 * (months since onset; INFINITY, NaN or > t_end: never reached; the caller
 * passes INFINITY when the patient's record ends at or before the start).
 * Eligibility is judged on the course `k` as treated so far and the events
 * `ev`, at t_start, with expected values; then uptake, adherence,
 * discontinuation and adverse events are drawn from `r`, which must be
 * seeded with the intervention's own stream (a fixed number of draws per
 * scheduled dose, whatever the outcome).  Adverse events after t_end are
 * not recorded.  k and ev are read only when mnd_treatment_reads_course(iv).
 * Call mnd_treatment_build afterwards, before the course is read again. */
void mnd_treatment_give(mnd_treatment *tx, gsl_rng *r, const mnd_params *p, int index,
                        const mnd_covariates *c, const mnd_course *k, const mnd_events *ev,
                        double t_start, double t_end);

/* Whether mnd_treatment_give reads the course to judge the eligibility of
 * iv (it has a criterion on FVC, the ALSFRS-R total or the King's stage).
 * When it does not, the course need not be rebuilt for the interventions
 * given before iv until something else reads it. */
bool mnd_treatment_reads_course(const mnd_intervention *iv);

/* (Re)builds the treated course from everything given so far, for a
 * course whose loss_start and rates are already drawn, and points k->tx at
 * tx when some effect acts (else leaves k->tx NULL). */
void mnd_treatment_build(mnd_treatment *tx, const mnd_params *p, mnd_course *k);

/* The disease clock G_r(t) and the grafted LMN fraction of every region at
 * time t, from one segment lookup (the kernel's entry point). */
void mnd_treatment_eval(const mnd_treatment *tx, double t, double clock[MND_REGION_COUNT],
                        double graft[MND_REGION_COUNT]);

/* G_r(t): the disease clock of region r (t itself when untreated). */
double mnd_treatment_clock(const mnd_treatment *tx, mnd_region region, double t);

/* Grafted functional LMN fraction in region r at time t. */
double mnd_treatment_graft(const mnd_treatment *tx, mnd_region region, double t);

/* The time at which the death clock reads `t_untreated`, the time a death
 * would happen untreated: the same time when no hazard ratio acts before
 * it, later when one < 1 does. */
double mnd_treatment_death_time(const mnd_treatment *tx, double t_untreated);

/* Shift of the expected ALSFRS-R total at time t from symptomatic and
 * placebo effects, in points (0 when none acts). */
double mnd_treatment_item_shift(const mnd_treatment *tx, const mnd_params *p, double t);

/* The factor on a patient's reported symptom burden at time t (pro.h)
 * from the exposures of the patient's interventions: the product over
 * those taken of (1 - pro_relief_fraction while exposed) x (1 -
 * placebo_pro_fraction x 2^(-(t - start) / placebo_half_life_months)
 * from the start); 1 when none acts. */
double mnd_treatment_pro_factor(const mnd_params *p, const mnd_exposure exposure[], double t);

/* Drops adverse events after t_end (a death earlier than planned), from
 * ae[] and from the count of those past the cap (n_ae_dropped). */
void mnd_treatment_truncate(mnd_treatment *tx, double t_end);

#endif
