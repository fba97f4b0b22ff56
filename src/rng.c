/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * rng.c — the engine's generator (xoshiro256++, Blackman & Vigna 2018) as a
 * GSL generator type, and the derivation of stream keys.
 *
 * Design: one gsl_rng per thread, reseeded per (patient, purpose) with
 * gsl_rng_set(r, key).  Seeding expands the 64-bit key into the 256-bit
 * state with four SplitMix64 steps, as the xoshiro authors recommend (a
 * generator of a different kind initialises the state; the state is never
 * all zero in practice).  A reseed costs a few nanoseconds, so a stream per
 * patient and purpose is cheap.  Keys fold the SplitMix64 finaliser over
 * (seed, purpose, replicate, patient, attempt): with 64-bit keys the chance
 * that two of 10^7 streams coincide is about 3e-6 (notes §3.3).
 */
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "mndsim/rng.h"

typedef struct {
    uint64_t s[4];
} xoshiro_state;

uint64_t mnd_rng_mix64(uint64_t z)
{
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t mnd_rng_key(uint64_t seed, mnd_stream purpose, uint64_t replicate, uint64_t patient,
                     uint64_t attempt)
{
    uint64_t h = mnd_rng_mix64(seed);
    h = mnd_rng_mix64(h ^ (uint64_t)purpose);
    h = mnd_rng_mix64(h ^ replicate);
    h = mnd_rng_mix64(h ^ patient);
    return mnd_rng_mix64(h ^ attempt);
}

uint64_t mnd_rng_name_key(uint64_t key, const char *name)
{
    uint64_t h = UINT64_C(14695981039346656037); /* FNV-1a offset basis */
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        h = (h ^ *c) * UINT64_C(1099511628211);
    return mnd_rng_mix64(key ^ h);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t xoshiro_next(xoshiro_state *st)
{
    uint64_t *s = st->s;
    const uint64_t result = rotl(s[0] + s[3], 23) + s[0];
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void xoshiro_set(void *vstate, unsigned long seed)
{
    xoshiro_state *st = vstate;
    uint64_t z = (uint64_t)seed; /* unsigned long is 64-bit on LP64: every bit is used */
    for (int i = 0; i < 4; i++) { /* SplitMix64: output i is mix64(seed + i * golden) */
        st->s[i] = mnd_rng_mix64(z);
        z += 0x9e3779b97f4a7c15ULL;
    }
}

static unsigned long xoshiro_get(void *vstate)
{
    return (unsigned long)(xoshiro_next(vstate) >> 32);
}

static double xoshiro_get_double(void *vstate)
{
    return (double)(xoshiro_next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256++", 0xffffffffUL, 0, sizeof(xoshiro_state),
    &xoshiro_set,   &xoshiro_get, &xoshiro_get_double,
};

const gsl_rng_type *mnd_rng_xoshiro256pp = &xoshiro_type;
