/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rng.h — random streams keyed by (master seed, purpose, replicate, patient).
 *
 * The engine's generator is xoshiro256++ plugged into GSL as a gsl_rng_type,
 * so every gsl_ran_* distribution can use it while the whole 64-bit key
 * seeds it (GSL's own generators keep only 32 seed bits).  A patient's draws
 * for one purpose come from one stream that depends on nothing else: the
 * thread or rank that simulates the patient, the other purposes and the
 * other patients cannot shift them.  This gives identical results for any
 * thread count and common random numbers across arms and designs.
 */
#ifndef MNDSIM_RNG_H
#define MNDSIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* Purposes of random streams.  Append new purposes at the end: the value
 * enters the key, so renumbering would change every existing result. */
typedef enum {
    MND_STREAM_COHORT,      /* baseline covariates */
    MND_STREAM_NEURONS,     /* spread delays, pool rates */
    MND_STREAM_EVENTS,      /* uptake decisions, death thresholds, background death */
    MND_STREAM_MEASUREMENT, /* rater and spirometry noise */
    MND_STREAM_TREATMENT,   /* per intervention (mnd_rng_name_key): uptake, adherence,
                               discontinuation, adverse events */
    MND_STREAM_SCREENING,   /* rater noise of the screening visits of selection */
    MND_STREAM_ALLOCATION,  /* per study (mnd_rng_name_key): randomization blocks, keyed
                               by (replicate, stratum, block) */
    MND_STREAM_DROPOUT,     /* per study: dropout uniforms, one per visit */
    MND_STREAM_PRO,         /* patient-reported outcomes: levels, fluctuation, rating noise */
    MND_STREAM_COUNT
} mnd_stream;

/* xoshiro256++ as a GSL generator type: get() returns the high 32 bits,
 * get_double() a 53-bit uniform in [0, 1).  Seeding with gsl_rng_set uses
 * all 64 bits of the seed (expanded with SplitMix64). */
extern const gsl_rng_type *mnd_rng_xoshiro256pp;

/* The 64-bit key of a stream: SplitMix64 finaliser folded over the master
 * seed, purpose, replicate, patient and attempt (the redraw number of a
 * patient rejected by selection; 0 otherwise).  Pure function. */
uint64_t mnd_rng_key(uint64_t seed, mnd_stream purpose, uint64_t replicate,
                     uint64_t patient, uint64_t attempt);

/* A sub-stream of `key` named `name` (FNV-1a hash of the name, mixed in):
 * one stream per intervention, keyed by its name rather than its position,
 * so adding or reordering interventions moves no other intervention's draws. */
uint64_t mnd_rng_name_key(uint64_t key, const char *name);

/* SplitMix64 finaliser: a bijective 64-bit mix. */
uint64_t mnd_rng_mix64(uint64_t z);

#endif
