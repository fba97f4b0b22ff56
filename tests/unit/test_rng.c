/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_rng.c — unit tests of the engine's generator and stream keys
 * (src/rng.c).
 *
 * Known answers come from three independent places: a small reference
 * implementation of SplitMix64 and xoshiro256++ written here from the
 * published algorithms (Steele, Lea & Flood 2014; Blackman & Vigna 2018),
 * published output vectors of xoshiro256++ for hand-set states, and
 * regression vectors of gsl_rng_get hard-coded from a run that agreed with
 * both.  The uniform's moments are checked within 4 standard errors at a
 * fixed seed, so the suite is deterministic.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include "mndsim/rng.h"

static void suite_init(void) { gsl_set_error_handler_off(); }

TestSuite(rng, .init = suite_init);

/* ------------------------------------------------- reference implementation */

#define GOLDEN 0x9e3779b97f4a7c15ULL

/* SplitMix64: advance the state by the golden gamma, then mix. */
static uint64_t ref_splitmix64_next(uint64_t *x)
{
    uint64_t z = (*x += GOLDEN);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t ref_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256++ 1.0, one step. */
static uint64_t ref_xoshiro_next(uint64_t s[4])
{
    uint64_t out = ref_rotl(s[0] + s[3], 23) + s[0];
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ref_rotl(s[3], 45);
    return out;
}

/* The state rng.c documents: four consecutive SplitMix64 outputs. */
static void ref_seed(uint64_t seed, uint64_t s[4])
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        s[i] = ref_splitmix64_next(&x);
}

/* The reference itself against published vectors, so that a wrong
 * reference cannot agree with a wrong library. */
Test(rng, reference_matches_published_vectors)
{
    uint64_t x = 0;
    cr_assert_eq(ref_splitmix64_next(&x), 0xe220a8397b1dcdafULL);
    cr_assert_eq(ref_splitmix64_next(&x), 0x6e789e6aa1b965f4ULL);
    cr_assert_eq(ref_splitmix64_next(&x), 0x06c45d188009454fULL);

    /* state {1, 2, 3, 4} (the vector of rand_xoshiro's tests) */
    static const uint64_t want[10] = {
        41943041ULL,            58720359ULL,           3588806011781223ULL,
        3591011842654386ULL,    9228616714210784205ULL, 9973669472204895162ULL,
        14011001112246962877ULL, 12406186145184390807ULL, 15849039046786891736ULL,
        10450023813501588000ULL};
    uint64_t s[4] = {1, 2, 3, 4};
    for (int i = 0; i < 10; i++)
        cr_assert_eq(ref_xoshiro_next(s), want[i], "output %d", i);
}

/* ------------------------------------------------------- the GSL generator */

static gsl_rng *alloc_seeded(uint64_t seed)
{
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    cr_assert_not_null(r);
    gsl_rng_set(r, (unsigned long)seed);
    return r;
}

Test(rng, type_description)
{
    cr_assert_str_eq(mnd_rng_xoshiro256pp->name, "xoshiro256++");
    cr_assert_eq(mnd_rng_xoshiro256pp->min, 0UL);
    cr_assert_eq(mnd_rng_xoshiro256pp->max, 0xffffffffUL);
    cr_assert_eq(mnd_rng_xoshiro256pp->size, 4 * sizeof(uint64_t));
}

/* Library generator with its state set by hand to the published states:
 * the raw 64-bit outputs are visible through get (high 32 bits) and
 * get_double (high 53 bits). */
Test(rng, published_state_vectors)
{
    gsl_rng *r = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    cr_assert_not_null(r);
    cr_assert_eq(gsl_rng_size(r), 4 * sizeof(uint64_t));

    static const uint64_t start[4] = {0, 0, 0, 1};
    static const uint64_t want[10] = {
        0x0000000000800000ULL, 0x0000000000800011ULL, 0x0002200000800011ULL,
        0x0002200044000020ULL, 0x00022000448008A1ULL, 0x01102100802208A0ULL,
        0x0114002284200880ULL, 0x0402896644A64095ULL, 0x8A14A0A244ACC891ULL,
        0x8C88BA4680B20495ULL};
    memcpy(gsl_rng_state(r), start, sizeof start);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(gsl_rng_get(r), (unsigned long)(want[i] >> 32), "get %d", i);

    memcpy(gsl_rng_state(r), start, sizeof start);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(gsl_rng_uniform(r), (double)(want[i] >> 11) * 0x1.0p-53, "uniform %d", i);
    gsl_rng_free(r);
}

/* 1000 outputs of get and of get_double against the reference, for seeds
 * that exercise low, high and all 64 bits. */
Test(rng, known_answers_against_reference)
{
    static const uint64_t seeds[] = {0,   1,   42,  0xffffffffULL, 0x100000000ULL,
                                     0xdeadbeefcafebabeULL, UINT64_MAX};
    for (size_t k = 0; k < sizeof seeds / sizeof seeds[0]; k++) {
        uint64_t s[4];
        ref_seed(seeds[k], s);
        gsl_rng *r = alloc_seeded(seeds[k]);
        cr_assert_eq(memcmp(gsl_rng_state(r), s, sizeof s), 0, "seeded state, seed %#llx",
                     (unsigned long long)seeds[k]);
        for (int i = 0; i < 1000; i++) {
            uint64_t x = ref_xoshiro_next(s);
            if (i % 2 == 0)
                cr_assert_eq(gsl_rng_get(r), (unsigned long)(x >> 32),
                             "get, seed %#llx, output %d", (unsigned long long)seeds[k], i);
            else
                cr_assert_eq(gsl_rng_uniform(r), (double)(x >> 11) * 0x1.0p-53,
                             "uniform, seed %#llx, output %d", (unsigned long long)seeds[k], i);
        }
        gsl_rng_free(r);
    }
}

/* Regression vectors (first three gsl_rng_get values), hard-coded. */
Test(rng, regression_vectors)
{
    static const struct {
        uint64_t seed;
        unsigned long get[3];
    } cases[] = {
        {0, {0x53175d61UL, 0x61da6f3dUL, 0x5c0fdf91UL}},
        {42, {0xd0764d4fUL, 0x519e4174UL, 0xfbe07cfbUL}},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        gsl_rng *r = alloc_seeded(cases[k].seed);
        for (int i = 0; i < 3; i++)
            cr_assert_eq(gsl_rng_get(r), cases[k].get[i], "seed %llu, output %d: %#lx",
                         (unsigned long long)cases[k].seed, i, cases[k].get[i]);
        gsl_rng_free(r);
    }
}

/* gsl_rng_alloc seeds with gsl_rng_default_seed (0): same as seeding 0. */
Test(rng, alloc_uses_default_seed)
{
    gsl_rng *a = gsl_rng_alloc(mnd_rng_xoshiro256pp);
    gsl_rng *b = alloc_seeded(gsl_rng_default_seed);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(gsl_rng_get(a), gsl_rng_get(b));
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* GSL's own generators keep 32 seed bits; this one must keep all 64. */
Test(rng, all_64_seed_bits_matter)
{
    static const uint64_t bases[] = {0, 1, 12345, 0x7fffffffULL};
    for (size_t k = 0; k < sizeof bases / sizeof bases[0]; k++) {
        gsl_rng *a = alloc_seeded(bases[k]);
        gsl_rng *b = alloc_seeded(bases[k] + (1ULL << 32));
        int same = 0;
        for (int i = 0; i < 8; i++)
            same += gsl_rng_get(a) == gsl_rng_get(b);
        cr_assert_lt(same, 8, "seed %llu and seed + 2^32 give the same stream",
                     (unsigned long long)bases[k]);
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
    /* the top bit too */
    gsl_rng *a = alloc_seeded(5);
    gsl_rng *b = alloc_seeded(5 | (1ULL << 63));
    cr_assert_neq(gsl_rng_get(a), gsl_rng_get(b));
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* Reseeding restarts the stream exactly. */
Test(rng, reseed_restarts_stream)
{
    gsl_rng *r = alloc_seeded(777);
    unsigned long first[5];
    for (int i = 0; i < 5; i++)
        first[i] = gsl_rng_get(r);
    gsl_rng_set(r, 777);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(gsl_rng_get(r), first[i]);
    gsl_rng_free(r);
}

/* U in [0, 1): mean 1/2 and variance 1/12 within 4 standard errors at a
 * fixed seed.  Var of the sample mean is (1/12)/n; the variance is
 * estimated by the mean of (U - 1/2)^2, whose own variance is
 * (1/80 - 1/144)/n = (1/180)/n. */
Test(rng, uniform_moments)
{
    const int n = 1000000;
    gsl_rng *r = alloc_seeded(20261123);
    double sum = 0.0, sum_sq = 0.0, lo = 1.0, hi = 0.0;
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        lo = fmin(lo, u);
        hi = fmax(hi, u);
        sum += u;
        sum_sq += (u - 0.5) * (u - 0.5);
    }
    cr_assert_geq(lo, 0.0);
    cr_assert_lt(hi, 1.0);
    double mean = sum / n, var = sum_sq / n;
    double se_mean = sqrt(1.0 / 12.0 / n), se_var = sqrt(1.0 / 180.0 / n);
    cr_assert_lt(fabs(mean - 0.5), 4 * se_mean, "mean %.6f", mean);
    cr_assert_lt(fabs(var - 1.0 / 12.0), 4 * se_var, "variance %.6f", var);
    gsl_rng_free(r);
}

/* The 32-bit outputs use their whole range: mean of get / 2^32 is 1/2. */
Test(rng, get_moments)
{
    const int n = 200000;
    gsl_rng *r = alloc_seeded(99);
    double sum = 0.0;
    unsigned long top = 0;
    for (int i = 0; i < n; i++) {
        unsigned long x = gsl_rng_get(r);
        cr_assert_leq(x, 0xffffffffUL);
        top |= x;
        sum += (double)x * 0x1.0p-32;
    }
    cr_assert_eq(top, 0xffffffffUL, "some bit of get() is never set");
    cr_assert_lt(fabs(sum / n - 0.5), 4 * sqrt(1.0 / 12.0 / n));
    gsl_rng_free(r);
}

/* ------------------------------------------------------------- stream keys */

Test(rng, mix64_known_values)
{
    /* the first three SplitMix64 outputs of seed 0 are mix64(k * golden) */
    cr_assert_eq(mnd_rng_mix64(0), 0xe220a8397b1dcdafULL);
    cr_assert_eq(mnd_rng_mix64(GOLDEN), 0x6e789e6aa1b965f4ULL);
    cr_assert_eq(mnd_rng_mix64(2 * GOLDEN), 0x06c45d188009454fULL);
}

/* The key folds the finaliser over the five arguments in this order. */
Test(rng, key_definition)
{
    uint64_t h = mnd_rng_mix64(7);
    h = mnd_rng_mix64(h ^ (uint64_t)MND_STREAM_EVENTS);
    h = mnd_rng_mix64(h ^ 3);
    h = mnd_rng_mix64(h ^ 11);
    h = mnd_rng_mix64(h ^ 2);
    cr_assert_eq(mnd_rng_key(7, MND_STREAM_EVENTS, 3, 11, 2), h);
}

Test(rng, key_is_pure)
{
    uint64_t a = mnd_rng_key(20261123, MND_STREAM_COHORT, 0, 5, 0);
    (void)mnd_rng_key(1, MND_STREAM_MEASUREMENT, 9, 9, 9);
    uint64_t b = mnd_rng_key(20261123, MND_STREAM_COHORT, 0, 5, 0);
    cr_assert_eq(a, b);
}

Test(rng, key_depends_on_every_argument)
{
    const uint64_t seed = 20261123, rep = 2, pat = 17, att = 1;
    const mnd_stream pur = MND_STREAM_NEURONS;
    uint64_t base = mnd_rng_key(seed, pur, rep, pat, att);
    cr_assert_neq(mnd_rng_key(seed + 1, pur, rep, pat, att), base, "seed");
    cr_assert_neq(mnd_rng_key(seed, MND_STREAM_COHORT, rep, pat, att), base, "purpose");
    cr_assert_neq(mnd_rng_key(seed, MND_STREAM_EVENTS, rep, pat, att), base, "purpose");
    cr_assert_neq(mnd_rng_key(seed, MND_STREAM_MEASUREMENT, rep, pat, att), base, "purpose");
    cr_assert_neq(mnd_rng_key(seed, pur, rep + 1, pat, att), base, "replicate");
    cr_assert_neq(mnd_rng_key(seed, pur, rep, pat + 1, att), base, "patient");
    cr_assert_neq(mnd_rng_key(seed, pur, rep, pat, att + 1), base, "attempt");
    /* high bits of each argument matter too */
    cr_assert_neq(mnd_rng_key(seed ^ (1ULL << 40), pur, rep, pat, att), base, "seed bit 40");
    cr_assert_neq(mnd_rng_key(seed, pur, rep ^ (1ULL << 40), pat, att), base, "replicate bit 40");
    cr_assert_neq(mnd_rng_key(seed, pur, rep, pat ^ (1ULL << 40), att), base, "patient bit 40");
    cr_assert_neq(mnd_rng_key(seed, pur, rep, pat, att ^ (1ULL << 40)), base, "attempt bit 40");
    /* swapping replicate and patient is a different stream */
    cr_assert_neq(mnd_rng_key(seed, pur, pat, rep, att), base, "replicate <-> patient");
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* No two of 4 purposes x 4 replicates x 250 patients x 2 attempts share a
 * key (a collision here would be a ~1e-13 event for a good mix). */
Test(rng, keys_distinct_over_a_grid)
{
    enum { N = MND_STREAM_COUNT * 4 * 250 * 2 };
    static uint64_t keys[N];
    size_t n = 0;
    for (int pur = 0; pur < MND_STREAM_COUNT; pur++)
        for (uint64_t rep = 0; rep < 4; rep++)
            for (uint64_t pat = 0; pat < 250; pat++)
                for (uint64_t att = 0; att < 2; att++)
                    keys[n++] = mnd_rng_key(1, (mnd_stream)pur, rep, pat, att);
    cr_assert_eq(n, (size_t)N);
    qsort(keys, n, sizeof keys[0], cmp_u64);
    for (size_t i = 1; i < n; i++)
        cr_assert_neq(keys[i], keys[i - 1], "duplicate key %#llx", (unsigned long long)keys[i]);
}
