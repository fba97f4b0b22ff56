/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * intervention.h — the vocabulary of interventions: what a treatment is
 * (start, schedule, eligibility, adherence), what it does (effects), how it
 * is given (route, cell source) and what can go wrong (adverse events).
 *
 * An mnd_intervention is one entry of the config's `interventions` group; the
 * route, cell-source and adverse-event tables (mnd_delivery) are shared by
 * all entries.  Every effect is a parameter with a neutral value (multiplier
 * 1, slowing 0, hazard ratio 1, 0 points, 0 cells): an intervention whose
 * effects are all neutral changes nothing of the natural history, bit for
 * bit (treatment.h).  Times are months since onset; see model.h.
 */
#ifndef MNDSIM_INTERVENTION_H
#define MNDSIM_INTERVENTION_H

#include <stdbool.h>
#include <stdint.h>
#include "mndsim/categories.h"

#define MND_MAX_INTERVENTIONS 6
#define MND_INTERVENTION_NAME_MAX 32 /* bytes, with the terminating NUL */
#define MND_MAX_DOSES 64             /* doses per intervention and patient */

/* What the start time is counted from. */
typedef enum {
    MND_ANCHOR_ONSET,
    MND_ANCHOR_DIAGNOSIS,
    MND_ANCHOR_ENROLMENT,
    MND_ANCHOR_GASTROSTOMY, /* never starts without a gastrostomy */
    MND_ANCHOR_NIV,         /* never starts without NIV */
    MND_ANCHOR_KINGS_STAGE, /* expected King's stage reaches start_stage */
    MND_ANCHOR_COUNT
} mnd_anchor;

typedef enum {
    MND_SCHEDULE_ONCE,       /* one dose at the start */
    MND_SCHEDULE_DOSES,      /* n_doses, dose_interval_months apart */
    MND_SCHEDULE_CONTINUOUS, /* from the start for duration_months (0: for life) */
    MND_SCHEDULE_COUNT
} mnd_schedule;

/* Part of the motor-neuron loss rate an effect acts on (model.h:
 * non_cell_autonomous_share splits the rate). */
typedef enum {
    MND_COMPONENT_ALL,
    MND_COMPONENT_CELL_AUTONOMOUS,
    MND_COMPONENT_NON_CELL_AUTONOMOUS,
    MND_COMPONENT_COUNT
} mnd_component;

typedef enum {
    MND_ROUTE_ORAL,        /* or any systemic drug: reaches every region */
    MND_ROUTE_INTRAVENOUS, /* cells mostly trapped in the lungs */
    MND_ROUTE_INTRATHECAL, /* lumbar puncture: procedure risk per dose */
    MND_ROUTE_INTRASPINAL, /* injection into one region: surgical risk */
    MND_ROUTE_COUNT
} mnd_route;

typedef enum {
    MND_CELLS_NONE, /* a drug */
    MND_CELLS_BM_MSC,      /* autologous bone-marrow mesenchymal stromal cells */
    MND_CELLS_UC_MSC,      /* umbilical-cord MSC (allogeneic) */
    MND_CELLS_ADIPOSE,     /* adipose-derived stromal cells (autologous) */
    MND_CELLS_NSC,         /* neural stem/progenitor cells (allogeneic, fetal) */
    MND_CELLS_ESC,         /* embryonic stem-cell derived */
    MND_CELLS_IPSC,        /* induced pluripotent stem-cell derived */
    MND_CELLS_COUNT
} mnd_cell_source;

/* Adverse events.  Per-dose probabilities come from the route (procedure
 * events), the cell source (graft events) or the intervention itself
 * (drug events). */
typedef enum {
    MND_AE_HEADACHE,     /* post-dural-puncture headache */
    MND_AE_MENINGITIS,   /* infectious or aseptic meningitis */
    MND_AE_NEUROLOGICAL, /* serious neurological event (myelitis, radiculitis, ...) */
    MND_AE_SURGICAL,     /* complication of an intraspinal injection */
    MND_AE_TUMOUR,       /* graft-derived tumour, after a latency */
    MND_AE_ECTOPIC,      /* wrong differentiation: ectopic tissue, after a latency */
    MND_AE_REJECTION,    /* immune rejection: the graft is lost */
    MND_AE_COUNT
} mnd_ae_type;

typedef enum { MND_SEVERITY_MILD, MND_SEVERITY_MODERATE, MND_SEVERITY_SERIOUS, MND_SEVERITY_COUNT } mnd_severity;
typedef enum { MND_OUTCOME_RECOVERED, MND_OUTCOME_GRAFT_LOST, MND_OUTCOME_FATAL, MND_OUTCOME_COUNT } mnd_ae_outcome;

extern const char *const mnd_anchor_names[MND_ANCHOR_COUNT];
extern const char *const mnd_schedule_names[MND_SCHEDULE_COUNT];
extern const char *const mnd_component_names[MND_COMPONENT_COUNT];
extern const char *const mnd_route_names[MND_ROUTE_COUNT];
extern const char *const mnd_cell_source_names[MND_CELLS_COUNT];
extern const char *const mnd_ae_type_names[MND_AE_COUNT];
extern const char *const mnd_severity_names[MND_SEVERITY_COUNT];
extern const char *const mnd_ae_outcome_names[MND_OUTCOME_COUNT];

/* One intervention (one entry of `interventions`). */
typedef struct {
    char name[MND_INTERVENTION_NAME_MAX]; /* the config group's name; keys its random stream */
    bool enabled;

    /* --- when --- */
    mnd_anchor start_anchor;
    double start_delay_months;   /* after the anchor */
    int64_t start_stage;         /* MND_ANCHOR_KINGS_STAGE: 1..4 */
    mnd_schedule schedule;
    int64_t n_doses;             /* MND_SCHEDULE_DOSES */
    double dose_interval_months; /* DOSES: spacing; also how long a dose's
                                    constant effects last */
    double duration_months;      /* CONTINUOUS: 0 = until the end of the record */

    /* --- who (judged on expected values at the start) --- */
    bool genotypes[MND_GENOTYPE_COUNT];
    bool phenotypes[MND_PHENOTYPE_COUNT];
    double min_age_years, max_age_years;
    double min_alsfrs_total;
    double min_fvc_percent;
    int64_t max_kings_stage;

    /* --- adherence --- */
    double uptake;               /* share of eligible patients who start */
    double adherence;            /* DOSES: P(each dose taken); CONTINUOUS: share of
                                    time on drug (effects scaled on the log scale) */
    double discontinuation_per_month; /* hazard of stopping for good */

    /* --- effects (neutral values in brackets) --- */
    double loss_rate_multiplier;      /* [1] on the component below */
    mnd_component rate_component;
    double neurotrophic_slowing;      /* [0] fraction of the rate removed right after a dose */
    double neurotrophic_half_life_months;
    mnd_component neurotrophic_component;
    double immunomodulation;          /* [0] fraction of the non-cell-autonomous rate damped */
    double cells_per_dose_millions;   /* [0] */
    double engraftment;               /* share of delivered cells that survive integration */
    double correct_differentiation;   /* share of engrafted cells that become functional LMN */
    double integration_months;        /* dose to functional integration */
    double graft_half_life_months;    /* attrition of grafted cells */
    double death_hazard_ratio;        /* [1] on disease death while exposed */
    double symptomatic_points;        /* [0] ALSFRS-R total shift while exposed */
    double placebo_points;            /* [0] expectation shift on ALSFRS-R from the start */
    double placebo_half_life_months;
    double placebo_pro_fraction;      /* [0] expectation: share of reported symptom burden
                                         removed at the start, fading like placebo_points */
    double pro_relief_fraction;       /* [0] true relief: share of symptom burden removed
                                         while exposed */
    double neurological_ae_per_dose;  /* drug-specific serious neurological events */

    /* --- supportive care: offered to every treated patient from the start
     * (events.c gives it at its physiological trigger, with its literature
     * effect, whatever the standard-care uptake) --- */
    bool offers_niv, offers_gastrostomy, offers_tracheostomy;

    /* --- how --- */
    mnd_route route;
    mnd_region target_region;         /* MND_ROUTE_INTRASPINAL */
    mnd_cell_source cell_source;
} mnd_intervention;

/* Adverse events that come with the route (the first four types) and with
 * the cell source (the last three). */
#define MND_AE_ROUTE_COUNT 4 /* HEADACHE .. SURGICAL */
#define MND_AE_CELLS_COUNT 3 /* TUMOUR .. REJECTION */

/* Shared delivery and safety tables (config sections `delivery` and
 * `adverse_events`), the same for every intervention. */
typedef struct {
    double cell_fraction[MND_ROUTE_COUNT][MND_REGION_COUNT]; /* share of delivered cells reaching
                                                                 each region's cord */
    double route_ae_per_dose[MND_AE_ROUTE_COUNT][MND_ROUTE_COUNT]; /* procedure events */
    double cells_ae_per_dose[MND_AE_CELLS_COUNT][MND_CELLS_COUNT]; /* graft events */
    double ae_latency_months[MND_AE_COUNT];  /* median time from dose to event */
    double ae_latency_sd_log[MND_AE_COUNT];  /* log-normal spread of that time */
    double ae_fatality[MND_AE_COUNT];        /* P(death | event) */
    double lmn_per_region_millions[MND_REGION_COUNT]; /* healthy LMN count, for grafts */
    double death_weibull_shape;  /* links a death hazard ratio to a time ratio */
} mnd_delivery;

/* Severity of each adverse-event type (fixed by its nature). */
extern const mnd_severity mnd_ae_severity[MND_AE_COUNT];

/* Probability that one dose of `iv` causes an event of type `type`. */
double mnd_ae_per_dose(const mnd_intervention *iv, const mnd_delivery *d, mnd_ae_type type);

/* True when some effect of `iv` differs from its neutral value (adverse
 * events aside).  An intervention without effect is still given, recorded
 * and can cause adverse events, but it leaves the course untouched. */
bool mnd_intervention_has_effect(const mnd_intervention *iv);

#endif
