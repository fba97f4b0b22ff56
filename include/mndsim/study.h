/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * study.h — study designs: how simulated patients are recruited, allocated
 * and observed, and the metrics each design reports.
 *
 * A study is one entry of the config's `studies` group.  Its patients are
 * drawn from the same candidate stream as the cohort (patient slot i,
 * redraw a, keyed by (seed, replicate, i, a)), so a candidate has the same
 * natural history in every design and arm: designs differ only in whom
 * they recruit (entry criteria), what they give (the treatment arm gets
 * the study's intervention, the control arm a sham of it) and how they
 * observe (visits, blinding, dropout, the clinic's way of reading the
 * data).
 *
 * Every enrolled patient is simulated in both arms (potential outcomes):
 * the design observes the arm it assigns, and the difference between the
 * two is the true effect of the treatment on that patient.  The sham keeps
 * the intervention's schedule, its random stream and its expectation
 * (placebo) effect when the patient cannot tell the arms apart (blinded,
 * or the counterfactual of a case series); it has no biological effect
 * and no adverse events.
 *
 * Each bias mechanism of an uncontrolled series (../shared/CLAIMS.md) is a
 * key whose neutral value switches it off: selection (entry criteria),
 * regression to the mean (entry after a recent measured decline), the
 * nonlinear natural course (the "expected" slope: from onset, over a
 * lead-in, or the patient's own untreated course), dropout (informative
 * loss to follow-up; completers only), survivorship and lead time
 * (survival counted from onset against an expected survival from
 * diagnosis), placebo and unblinded rating, cherry-picking and
 * multiplicity (the best follow-up visit).
 */
#ifndef MNDSIM_STUDY_H
#define MNDSIM_STUDY_H

#include <stdbool.h>
#include <stdint.h>
#include "mndsim/intervention.h"
#include "mndsim/pro.h"

#define MND_MAX_STUDIES 8
#define MND_STUDY_NAME_MAX MND_INTERVENTION_NAME_MAX

typedef enum {
    MND_DESIGN_RCT,         /* randomized, two arms, concurrent */
    MND_DESIGN_CASE_SERIES, /* the clinic's: everyone treated, no control */
    MND_DESIGN_HISTORICAL,  /* everyone treated; controls are other patients, taken at
                               diagnosis without criteria and followed from diagnosis */
    MND_DESIGN_LEAD_IN,     /* everyone treated after a lead-in whose measured slope is
                               the expected course */
    MND_DESIGN_COUNT
} mnd_design;

/* The "expected" ALSFRS-R slope a patient's post-treatment slope is
 * compared with. */
typedef enum {
    MND_PRE_SLOPE_ONSET,     /* ΔFS: (48 - baseline total) / months since onset */
    MND_PRE_SLOPE_LEAD_IN,   /* measured decline over the entry lead-in, per month */
    MND_PRE_SLOPE_UNTREATED, /* the same patient's untreated course over the same
                                visits (switches the nonlinear course and regression
                                to the mean off) */
    MND_PRE_SLOPE_COUNT
} mnd_pre_slope;

/* Time origin of survival in a study. */
typedef enum {
    MND_SURVIVAL_FROM_ENROLMENT,
    MND_SURVIVAL_FROM_ONSET, /* immortal time: the patient had to survive to enrolment */
    MND_SURVIVAL_FROM_COUNT
} mnd_survival_from;

typedef struct {
    char name[MND_STUDY_NAME_MAX];
    bool enabled;
    mnd_design design;
    char treatment[MND_INTERVENTION_NAME_MAX]; /* an `interventions` entry, started at
                                                  enrolment in the treated arm */
    int64_t n_patients;     /* enrolled per replicate study */
    /* randomization (RCT) */
    double treated_share;   /* share allocated to treatment */
    int64_t block_size;     /* permuted blocks */
    bool stratify;          /* separate blocks for bulbar and spinal onset */
    bool blinded;           /* the control arm gets a sham with the same expectation */
    /* entry: who comes, and when */
    double entry_delay_mean_months; /* after diagnosis, exponential */
    double min_months_from_onset, max_months_from_onset;
    double min_age_years, max_age_years;
    double min_alsfrs_total; /* expected total at entry */
    double min_fvc_percent;
    int64_t min_item;
    int64_t min_regions;
    double recent_decline_months;   /* 0: off; else a measured decline of at least */
    double recent_decline_min_points; /* this much over this many months before entry */
    int pro_entry;                  /* 0: off; else 1 + the mnd_pro_scale whose rated burden */
    double pro_entry_min_burden;    /* at enrolment must be at least this */
    /* observation */
    double follow_up_months;        /* after enrolment (of the last patient, with accrual) */
    double accrual_months;          /* enrolment spread evenly over this period */
    double visit_interval_months;
    double dropout_per_month;        /* baseline hazard of leaving the study */
    double dropout_per_point_lost;   /* log-hazard per ALSFRS-R point below 48 (last visit) */
    double dropout_per_point_decline; /* log-hazard per point lost since the visit before */
    /* the clinic's reading */
    mnd_pre_slope pre_slope;
    bool completers_only;         /* slope metrics only on those followed to the end */
    bool best_visit;              /* responders judged at their best follow-up visit */
    double slowing_percent;       /* C2: post slope at least this much flatter than pre */
    double fvc_gain_percent;      /* C4: FVC at least this much above baseline */
    double pro_months;            /* C7: patient-reported scales rated at enrolment and then */
    mnd_survival_from survival_from;
    double expected_survival_months; /* C5: the reference the clinic compares with */
    double alpha;                 /* significance level of the tests */
    int claim_metric;             /* an mnd_metric: the figure the clinic claims */
    double claim_threshold;       /* the claim: claim_metric >= this */
} mnd_study;

/* Metrics of one replicate study.  Slopes are ALSFRS-R points per month
 * (negative = decline), times months.  NaN where a metric does not apply
 * or cannot be computed (e.g. fewer than two patients with slopes). */
typedef enum {
    MND_M_N_TREATED,          /* patients enrolled in the treated arm */
    MND_M_N_CONTROL,          /* ... in the control arm */
    MND_M_SLOPE_TREATED,      /* mean per-patient least-squares slope, treated */
    MND_M_SLOPE_CONTROL,
    MND_M_SLOPE_DIFF,         /* treated - control (Welch) */
    MND_M_SLOPE_DIFF_LOWER,   /* 95 % CI */
    MND_M_SLOPE_DIFF_UPPER,
    MND_M_SLOPE_P,            /* two-sided p of the slope difference */
    MND_M_HR,                 /* Cox hazard ratio of death or tracheostomy, treated vs control */
    MND_M_HR_LOWER,
    MND_M_HR_UPPER,
    MND_M_LOGRANK_P,
    MND_M_MEDIAN_TREATED,     /* Kaplan-Meier median survival (survival_from) */
    MND_M_MEDIAN_CONTROL,
    MND_M_DROPOUT_SHARE,      /* share of enrolled who left before the end while alive */
    MND_M_SLOWING_PERCENT,    /* C3: 100 (1 - mean post slope / mean pre slope), treated */
    MND_M_SLOWED_SHARE,       /* C2: share of treated whose slope is slowing_percent flatter */
    MND_M_FVC_GAIN_SHARE,     /* C4: share of treated with FVC >= (1 + fvc_gain_percent) baseline */
    MND_M_SURVIVAL_GAIN,      /* C5: median survival of the treated - expected_survival_months */
    MND_M_ALIVE_10Y,          /* C6: treated patients alive 10 years after enrolment */
    MND_M_TRUE_SLOPE_EFFECT,  /* mean over enrolled of own treated - untreated slope */
    MND_M_CONTROL_SLOWING_PERCENT, /* the C3 metric on the same patients given the sham */
    MND_M_CONTROL_SLOWED_SHARE,    /* the C2 metric, sham */
    MND_M_CONTROL_FVC_GAIN_SHARE,  /* the C4 metric, sham */
    MND_M_CONTROL_SURVIVAL_GAIN,   /* the C5 metric, sham */
    MND_M_CONTROL_ALIVE_10Y,       /* the C6 metric, sham */
    MND_M_PRO_PAIN_CHANGE,    /* C7: 100 (1 - mean reported pain at pro_months / at enrolment) */
    MND_M_PRO_SPASMS_CHANGE,  /* ... painful spasms per week */
    MND_M_PRO_HADS_CHANGE,    /* ... HADS total */
    MND_M_PRO_QOL_CHANGE,     /* 100 (mean quality of life at pro_months / at enrolment - 1) */
    MND_M_PRO_BEST_CHANGE,    /* the largest of the four (multiplicity) */
    MND_M_CONTROL_PRO_PAIN_CHANGE, /* the C7 metrics, sham */
    MND_M_CONTROL_PRO_SPASMS_CHANGE,
    MND_M_CONTROL_PRO_HADS_CHANGE,
    MND_M_CONTROL_PRO_QOL_CHANGE,
    MND_M_CONTROL_PRO_BEST_CHANGE,
    MND_M_TRUE_PRO_EFFECT,    /* treated minus untreated change of the best scale, same patients */
    MND_M_COUNT
} mnd_metric;

extern const char *const mnd_metric_names[MND_M_COUNT];
extern const char *const mnd_metric_units[MND_M_COUNT];
extern const char *const mnd_metric_descriptions[MND_M_COUNT];
extern const char *const mnd_design_names[MND_DESIGN_COUNT];
extern const char *const mnd_pre_slope_names[MND_PRE_SLOPE_COUNT];
extern const char *const mnd_survival_from_names[MND_SURVIVAL_FROM_COUNT];


/* What one arm shows of one enrolled patient.  Times in months from
 * enrolment unless stated. */
typedef struct {
    int32_t n_visits;       /* study visits observed (before death, dropout, end) */
    int8_t completed;       /* followed to the end of the study (alive, not dropped out) */
    int8_t event;           /* death or tracheostomy observed */
    double t_event;         /* to the event or censoring, from the survival origin */
    double baseline_total;  /* ALSFRS-R total at the enrolment visit */
    double baseline_fvc;    /* % predicted */
    double slope;           /* least-squares ALSFRS-R slope over the observed visits,
                               points/month; NaN with fewer than 2 */
    double best_slope;      /* the flattest slope from enrolment to a follow-up visit */
    double last_fvc_ratio;  /* FVC at the last observed visit / baseline */
    double best_fvc_ratio;  /* the highest follow-up FVC / baseline */
    double t_dropout;       /* leaving the study alive, from enrolment; NaN if not */
    double pro_baseline[MND_PRO_COUNT];  /* patient-reported ratings at enrolment (pro.h) */
    double pro_follow_up[MND_PRO_COUNT]; /* ... pro_months later; NaN if no longer followed */
} mnd_study_outcome;

/* One enrolled patient: its identity, what is known at enrolment, and both
 * potential outcomes. */
typedef struct {
    int64_t slot;           /* candidate number in the replicate (keys the streams) */
    int32_t attempt;        /* the candidate's redraw accepted (1 = first) */
    int8_t arm;             /* observed arm: 1 treated, 0 control */
    int8_t stratum;         /* 1 bulbar onset, 0 spinal */
    double t_enrolment;     /* months since onset */
    double accrual_time;    /* enrolment, months after the study's first (accrual_months) */
    double t_diagnosis;     /* months since onset */
    double lead_in_slope;   /* measured decline over the lead-in, points/month (positive =
                               decline); NaN without lead-in */
    double delta_fs;        /* (48 - baseline total) / months since onset */
    mnd_study_outcome outcome[2]; /* [0] control (sham), [1] treated */
} mnd_study_patient;

#endif
