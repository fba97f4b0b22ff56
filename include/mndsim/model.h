/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * model.h — the vocabulary of the disease model: body regions, motor-neuron
 * pools, ALSFRS-R items, phenotypes, genotypes, and the parameter struct that
 * the configuration fills and every module reads.
 *
 * Time is in months everywhere (1 month = 1/12 year); the time origin of a
 * patient is clinical onset (t = 0), so diagnosis, enrolment, events and
 * visits are all "months since onset".  Fractions are in [0, 1].
 */
#ifndef MNDSIM_MODEL_H
#define MNDSIM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "mndsim/categories.h"
#include "mndsim/intervention.h"
#include "mndsim/pro.h"
#include "mndsim/study.h"

/* Phases of the natural disease clock (course.c): they cover the first
 * MND_PHASE_HORIZON_MONTHS after onset (the clock runs at the mean speed 1
 * after them), so a patient has at most MND_MAX_PHASES of them; the shortest
 * phase length allowed keeps ceil(horizon / length) + 1 within that. */
#define MND_PHASE_HORIZON_MONTHS 600.0
#define MND_MAX_PHASES 160

/* Every model parameter.  Filled by mnd_config_load (defaults first, then
 * the file, then --set overrides); read-only during a run.  The meaning,
 * range, default and literature source of each field are in the option
 * table of src/config_table.c, which also generates configs/README.md. */
typedef struct {
    /* --- simulation --- */
    int64_t n_patients;           /* patients per replicate, >= 1 */
    int64_t n_replicates;         /* replicate cohorts, >= 1 */
    uint64_t seed;                /* master seed, < 2^63 */
    double follow_up_months;      /* administrative end, months after the visit origin */
    double visit_interval_months; /* spacing of scheduled visits */
    mnd_origin visit_origin;      /* visit 0 is at this time */
    int64_t block_patients;       /* patients simulated per output block */

    /* --- cohort --- */
    double age_onset_mean_years, age_onset_sd_years;
    double age_onset_min_years, age_onset_max_years;
    double male_share;
    double phenotype_share[MND_PHENOTYPE_COUNT];
    double classic_onset_share[MND_REGION_COUNT]; /* onset region of classic ALS */
    double genotype_share[MND_GENOTYPE_COUNT];
    double diagnostic_delay_median_months;
    double diagnostic_delay_sd_log;
    double rate_sd_log;            /* SD of the log individual progression rate */
    double rate_delay_correlation; /* correlation of log rate with log delay */
    double rate_age_per_decade;    /* log-rate change per decade of onset age */
    double enrolment_delay_mean_months; /* screening after diagnosis, exponential */

    /* --- selection at the screening visit (trial-like cohorts) --- */
    bool select;                   /* apply the criteria below */
    double select_min_duration_months;  /* onset to screening, at least */
    double select_max_duration_months;  /* onset to screening, at most */
    int64_t select_min_regions;    /* regions with signs (El Escorial proxy) */
    double select_sign_fraction;   /* a region shows signs once a pool falls below this */
    double select_min_age_years, select_max_age_years; /* at screening */
    double select_min_fvc_percent; /* measured FVC at screening */
    int64_t select_min_item;       /* every rated ALSFRS-R item >= this at screening */
    double select_min_total;       /* rated ALSFRS-R total >= this at screening */
    double select_lead_in_months;  /* screening to enrolment; 0: screening is enrolment. The */
    double select_lead_in_min_decline, select_lead_in_max_decline; /* rated total falls this much */
    int select_pro_entry;          /* 0: off; else 1 + the mnd_pro_scale whose burden rated */
    double select_pro_min_burden;  /* at enrolment must be at least this */
    double pro_follow_up_months;   /* 0: no patient-reported ratings; else rated at enrolment
                                      and this long after (set by a study, not a config key) */
    int64_t select_max_attempts;   /* give up after this many rejected draws */

    /* --- motor neurons --- */
    double lmn_loss_rate_per_month; /* median exponential loss rate of an affected LMN pool */
    double umn_loss_rate_ratio;     /* UMN rate / LMN rate */
    double onset_rate_ratio;        /* rate in the onset region / rate elsewhere */
    double region_rate_sd_log;      /* SD of the log regional rate factor (median 1) */
    double non_cell_autonomous_share; /* share of the rate that is non-cell-autonomous */
    double reserve_fraction;        /* pool fraction at which function starts to fall */
    double floor_fraction;          /* pool fraction at which function is gone */
    double umn_function_weight;     /* function lost at complete UMN loss */
    double spread_delay_months;     /* median delay of spread to a neighbour region */
    double spread_sd_log;           /* SD of the log spread delay */
    double phase_sd_log;            /* SD of the log rate multiplier of a phase of the
                                       natural clock (mean 1); 0: no phases */
    double phase_months;            /* length of a phase of the natural clock, months */
    double lmn_rate_phenotype[MND_PHENOTYPE_COUNT];
    double umn_rate_phenotype[MND_PHENOTYPE_COUNT];
    double spread_delay_phenotype[MND_PHENOTYPE_COUNT];
    double rate_genotype[MND_GENOTYPE_COUNT];

    /* --- function and measurement --- */
    double item_lo[MND_ITEM_COUNT]; /* region function at which the item reaches 0 */
    double item_hi[MND_ITEM_COUNT]; /* region function below which the item falls from 4 */
    double item_noise_sd;           /* rater noise on an item in transition, points */
    double fvc_baseline_mean_percent, fvc_baseline_sd_percent;
    double fvc_floor_fraction;      /* FVC fraction left at zero respiratory function */
    double fvc_noise_cv;            /* test-retest coefficient of variation */
    double bulbar_ventilation_weight; /* ventilation lost at complete bulbar loss */

    /* --- events --- */
    double gastrostomy_uptake;       /* share who accept a gastrostomy */
    double gastrostomy_item_threshold; /* swallowing score (expected) that triggers it */
    double gastrostomy_mortality_30d;
    double niv_uptake;
    double niv_fvc_threshold_percent; /* NIV offered below this FVC */
    double niv_gain_good_bulbar_months; /* median survival gain with NIV, good bulbar function */
    double niv_gain_poor_bulbar_months;
    double niv_good_bulbar_threshold;   /* bulbar function above which it is "good" */
    double tracheostomy_share;        /* share choosing invasive ventilation at respiratory failure */
    double tracheostomy_survival_median_months;
    double death_ventilation_mean;    /* ventilation index at respiratory death, mean */
    double death_ventilation_sd;
    double gompertz_rate_per_year;    /* background mortality: h(a) = A exp(b a) */
    double gompertz_a_male_per_year, gompertz_a_female_per_year;

    /* --- patient-reported outcomes (pro.h) --- */
    mnd_pro_params pro;

    /* --- interventions (intervention.h) --- */
    int64_t n_interventions;      /* entries used in `interventions`, in config order */
    mnd_intervention interventions[MND_MAX_INTERVENTIONS];
    mnd_delivery delivery;

    /* --- studies (study.h) --- */
    int64_t n_studies;            /* entries used in `studies`, in config order */
    mnd_study studies[MND_MAX_STUDIES];

    /* --- output --- */
    bool store[MND_TRAJ_COUNT];
    int64_t chunk_patients;           /* HDF5 chunk along the patient axis */
    int64_t deflate_level;            /* 0 = no compression */
    bool thread_compression;          /* trajectory chunks compressed on the run's threads */
    bool summary_only;                /* studies: metrics only, no patient records */
} mnd_params;

/* Number of scheduled visits per patient implied by the follow-up and the
 * interval: floor(follow_up / interval) + 1. */
int64_t mnd_params_max_visits(const mnd_params *p);

/* Index of the intervention named `name` in p->interventions, or -1. */
int mnd_params_intervention_index(const mnd_params *p, const char *name);

#endif
