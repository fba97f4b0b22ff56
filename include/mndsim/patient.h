/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * patient.h — one simulated patient: baseline covariates, the course of the
 * motor-neuron pools, clinical events and the scheduled visits.
 *
 * A patient is simulated in three steps, each from its own random stream:
 *   mnd_cohort_sample   covariates               (MND_STREAM_COHORT)
 *   mnd_course_sample   pool loss start and rate (MND_STREAM_NEURONS)
 *   mnd_events_sample   event times              (MND_STREAM_EVENTS)
 * and the visits are then measured (MND_STREAM_MEASUREMENT).  All times are
 * months since clinical onset.
 */
#ifndef MNDSIM_PATIENT_H
#define MNDSIM_PATIENT_H

#include <stdint.h>
#include "mndsim/model.h"

/* Causes of the end of a patient's record. */
typedef enum {
    MND_END_CENSORED,        /* alive at the end of follow-up */
    MND_END_RESPIRATORY,     /* death from respiratory failure */
    MND_END_TRACHEOSTOMY,    /* death while on invasive ventilation */
    MND_END_BACKGROUND,      /* death from other causes (life table) */
    MND_END_PROCEDURE,       /* death within 30 days of gastrostomy */
    MND_END_ADVERSE_EVENT,   /* death from an adverse event of an intervention */
    MND_END_COUNT
} mnd_end_cause;

extern const char *const mnd_end_cause_names[MND_END_COUNT];

/* Baseline covariates (one row of the cohort). */
typedef struct {
    int64_t replicate, patient_id; /* identity; keys the random streams */
    int32_t attempts;              /* draws until the selection accepted (1 = first) */
    int8_t male;                   /* 1 male, 0 female */
    double age_onset_years;
    mnd_phenotype phenotype;
    mnd_genotype genotype;
    mnd_region onset_region;
    double rate_multiplier;        /* individual progression-rate factor, median 1 */
    double t_diagnosis;            /* months since onset */
    double t_enrolment;            /* months since onset */
    double fvc_predicted_baseline; /* pre-disease FVC, % predicted */
} mnd_covariates;

/* Course of the pools: pool (region, pool) loses neurons from
 * loss_start[r] at the exponential rate rate[r][pool] on the natural clock
 * N, so its surviving fraction is exp(-rate * (N(t) - N(loss_start))) for
 * t > loss_start untreated; N(t) = t without phases (n_phases = 0) and
 * before onset (course.c); see treatment.h for the treated course. */
typedef struct {
    double loss_start[MND_REGION_COUNT];          /* months since onset (< 0: before onset) */
    double rate[MND_REGION_COUNT][MND_POOL_COUNT]; /* per month */
    int32_t n_phases;      /* phases of the natural clock; 0: N(t) = t */
    double loss_start_clock[MND_REGION_COUNT]; /* N(loss_start[r]), with phases */
    double phase_months;   /* length of a phase (the first is cut short by the offset) */
    double phases_per_month; /* 1 / phase_months */
    double phase_offset;   /* in [0, 1): phase j starts at max(0, (j - offset) phase_months) */
    double phase_start[MND_MAX_PHASES + 1]; /* months since onset; [n_phases]: end of the last */
    double phase_speed[MND_MAX_PHASES];     /* rate multiplier during phase j (mean 1) */
    double phase_clock[MND_MAX_PHASES + 1]; /* N at the start of phase j; [n_phases]: at
                                               the end of the last, from where N runs at
                                               speed 1 */
    const struct mnd_treatment *tx; /* treated course (treatment.h), or NULL: untreated.
                                       Points into a thread workspace: valid only while
                                       the patient is being simulated */
} mnd_course;

/* Clinical events.  A time is NaN when the event does not happen before
 * the end of the record (t_end). */
typedef struct {
    double t_gastrostomy;
    double t_niv;
    double t_respiratory_failure; /* ventilation index reaches the death threshold */
    double t_tracheostomy;
    double t_death;               /* NaN when alive at t_end */
    double t_end;                 /* death or end of follow-up */
    mnd_end_cause end_cause;
    double death_ventilation;     /* individual threshold of the ventilation index */
    int8_t niv_good_bulbar;       /* bulbar function at NIV start above the threshold:
                                     1 good, 0 poor, -1 no NIV */
} mnd_events;

#define MND_MAX_AE_PER_PATIENT 16 /* further adverse events are only counted (n_ae_dropped) */

/* What happened with one intervention for one patient. */
typedef enum {
    MND_EXPOSURE_NOT_REACHED, /* the start anchor never came (or came after t_end) */
    MND_EXPOSURE_INELIGIBLE,  /* failed the eligibility at the start */
    MND_EXPOSURE_DECLINED,    /* eligible, did not take it up */
    MND_EXPOSURE_TREATED,
    MND_EXPOSURE_COUNT
} mnd_exposure_status;

extern const char *const mnd_exposure_status_names[MND_EXPOSURE_COUNT];

typedef struct {
    mnd_exposure_status status;
    int32_t n_doses;   /* doses taken (CONTINUOUS: 0) */
    double t_start;    /* start, months since onset; NaN unless treated */
    double t_stop;     /* planned end of the exposure, months since onset, from the
                          schedule drawn for the whole follow-up: CONTINUOUS the
                          earlier of the drawn discontinuation and start +
                          duration_months; ONCE start + duration_months; DOSES the
                          last dose taken + dose_interval_months, doses being
                          planned up to the end of follow-up; ONCE or DOSES with
                          every dose missed: the start.  Never cut at death, so
                          it may lie after t_end (n_doses is cut, t_stop is not).
                          INFINITY only for duration_months 0 with a dose taken
                          (ONCE) or without discontinuation (CONTINUOUS,
                          discontinuation_per_month 0); NaN unless treated */
} mnd_exposure;

typedef struct {
    int8_t intervention; /* index in mnd_params.interventions */
    int8_t type;         /* mnd_ae_type */
    int8_t severity;     /* mnd_severity */
    int8_t outcome;      /* mnd_ae_outcome */
    double time;         /* months since onset */
} mnd_adverse_event;

typedef struct {
    mnd_covariates cov;
    mnd_course course;
    mnd_events ev;
    int32_t n_visits;     /* visits made (alive, within follow-up) */
    double delta_fs;      /* (48 - ALSFRS-R at first visit) / months since onset; NaN without visits */
    double lead_in_decline; /* ALSFRS-R fall measured over selection.lead_in_months before
                               enrolment (two rated screening visits); NaN without lead-in */
    double pro_baseline[MND_PRO_COUNT]; /* patient-reported ratings at enrolment (pro.h),
                                           with pro_follow_up_months > 0; else NaN */
    double pro_follow_up[MND_PRO_COUNT]; /* the same, pro_follow_up_months after enrolment;
                                            NaN if dead or no longer followed by then */
    double t_m50;         /* limb LMN index (2/3 cervical, 1/3 lumbar, as the MUNIX muscles of
                             Ebersbach 2023) reaches 50 %: months since onset, 0 if already
                             at onset; NaN if not before t_end */
    double t_d50;         /* expected ALSFRS-R reaches 24: months since onset; NaN if not
                             before t_end */
    double mu_decline_percent_per_month; /* limb LMN pools affected at diagnosis: loss over
                                            the next 12 months (or to t_end), % of the
                                            value at diagnosis per month; NaN if none */
    mnd_exposure exposure[MND_MAX_INTERVENTIONS]; /* per intervention of the config */
    int32_t n_ae;
    mnd_adverse_event ae[MND_MAX_AE_PER_PATIENT]; /* in the order drawn */
    int32_t n_ae_dropped; /* adverse events up to t_end that are not in ae[]: ae[] keeps
                             those up to t_end among the first MND_MAX_AE_PER_PATIENT
                             drawn, so n_ae can be below the cap while this is > 0;
                             0 without interventions */
} mnd_patient;

/* Per-visit measurements of one patient, written into caller-owned rows
 * of length max_visits (and x12 items, x4 regions).  Entries past n_visits
 * hold fill values (NaN or -1).  Rows from *n_written on hold fill values
 * already, so a writer refills only rows [n_visits, *n_written) and then
 * sets *n_written = n_visits. */
typedef struct {
    int32_t *n_written;   /* leading rows that may hold data */
    float *time;          /* [T] months since onset */
    int8_t *items;        /* [T][12] */
    int8_t *total;        /* [T] 0..48 */
    float *fvc;           /* [T] % predicted */
    int8_t *kings;        /* [T] 1..4 (5 = death is never a visit) */
    int8_t *mitos;        /* [T] 0..4 */
    float *umn;           /* [T][4] surviving fraction */
    float *lmn;           /* [T][4] */
} mnd_visit_rows;

#endif
