/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * categories.h — the categories of the disease model: body regions,
 * motor-neuron pools, ALSFRS-R items, phenotypes, genotypes, visit origins
 * and storable trajectory variables, with their names.
 */
#ifndef MNDSIM_CATEGORIES_H
#define MNDSIM_CATEGORIES_H

/* Body regions, in their anatomical (rostro-caudal) order; spread between
 * regions follows this chain (Ravits 2009): neighbours are i-1 and i+1. */
typedef enum {
    MND_REGION_BULBAR,   /* brainstem: speech, swallowing */
    MND_REGION_CERVICAL, /* upper limb */
    MND_REGION_THORACIC, /* trunk and respiratory muscles */
    MND_REGION_LUMBAR,   /* lower limb */
    MND_REGION_COUNT
} mnd_region;

/* Motor-neuron pools: upper (cortical) and lower (brainstem/spinal). */
typedef enum { MND_POOL_UMN, MND_POOL_LMN, MND_POOL_COUNT } mnd_pool;

/* ALSFRS-R items (Cedarbaum 1999), in the scale's order. */
typedef enum {
    MND_ITEM_SPEECH,
    MND_ITEM_SALIVATION,
    MND_ITEM_SWALLOWING,
    MND_ITEM_HANDWRITING,
    MND_ITEM_CUTTING_FOOD,
    MND_ITEM_DRESSING,
    MND_ITEM_TURNING_IN_BED,
    MND_ITEM_WALKING,
    MND_ITEM_CLIMBING_STAIRS,
    MND_ITEM_DYSPNOEA,
    MND_ITEM_ORTHOPNOEA,
    MND_ITEM_RESPIRATORY_INSUFFICIENCY,
    MND_ITEM_COUNT
} mnd_item;

typedef enum {
    MND_PHENOTYPE_CLASSIC,   /* classic ALS, spinal or bulbar onset */
    MND_PHENOTYPE_PBP,       /* progressive bulbar palsy */
    MND_PHENOTYPE_FLAIL_ARM, /* brachial amyotrophic diplegia */
    MND_PHENOTYPE_FLAIL_LEG, /* leg amyotrophic diplegia */
    MND_PHENOTYPE_PMA,       /* progressive muscular atrophy: LMN only */
    MND_PHENOTYPE_PLS,       /* primary lateral sclerosis: UMN only */
    MND_PHENOTYPE_COUNT
} mnd_phenotype;

typedef enum {
    MND_GENOTYPE_SPORADIC,
    MND_GENOTYPE_C9ORF72,
    MND_GENOTYPE_SOD1_A4V,   /* the fast SOD1 variant */
    MND_GENOTYPE_SOD1_OTHER,
    MND_GENOTYPE_OTHER_FAMILIAL,
    MND_GENOTYPE_COUNT
} mnd_genotype;

/* Where visits are counted from. */
typedef enum {
    MND_ORIGIN_ONSET,
    MND_ORIGIN_DIAGNOSIS,
    MND_ORIGIN_ENROLMENT,
    MND_ORIGIN_COUNT
} mnd_origin;

/* Per-visit variables that can be stored (output.store). */
typedef enum {
    MND_TRAJ_TIME,        /* visit time, months since onset */
    MND_TRAJ_ITEMS,       /* 12 ALSFRS-R items */
    MND_TRAJ_TOTAL,       /* ALSFRS-R total */
    MND_TRAJ_FVC,         /* FVC % predicted */
    MND_TRAJ_KINGS,       /* King's stage */
    MND_TRAJ_MITOS,       /* MiToS stage */
    MND_TRAJ_NEURONS,     /* UMN and LMN fraction per region */
    MND_TRAJ_COUNT
} mnd_traj_var;

/* Names used in configs, HDF5 and messages; indexed by the enums above. */
extern const char *const mnd_region_names[MND_REGION_COUNT];
extern const char *const mnd_pool_names[MND_POOL_COUNT];
extern const char *const mnd_item_names[MND_ITEM_COUNT];
extern const char *const mnd_phenotype_names[MND_PHENOTYPE_COUNT];
extern const char *const mnd_genotype_names[MND_GENOTYPE_COUNT];
extern const char *const mnd_origin_names[MND_ORIGIN_COUNT];
extern const char *const mnd_traj_names[MND_TRAJ_COUNT];

#endif
