/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench_deflate.c — the two chunk encoders on the model's own trajectory
 * chunks: ISA-L's igzip at level 1 (what a run stores at the default
 * level) against zlib's compress2 at level 1 (what HDF5's filter pipeline
 * stores), on the same shuffled bytes, on one thread.
 *
 * Usage: bench_deflate [--set KEY=VALUE] CONFIG N_PATIENTS
 *
 * Simulates N_PATIENTS patients (mnd_sim_run), keeps every trajectory chunk
 * of every block (output.chunk_patients patients x T visits [x k]) as the
 * shuffle filter leaves it (mnd_chunk_filter_input), then encodes all of
 * them with each encoder in turn, the fastest of REPEATS rounds.  Prints
 * one "name value" line per figure (bench/run.py makes the table).
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <gsl/gsl_errno.h>
#include "mndsim/config.h"
#include "mndsim/sim.h"
#include "../src/chunk_deflate.h"
#include "load.h"

#define REPEATS 3

/* The shuffled chunks gathered from the run: chunk i is the bytes
 * [chunk[i].offset, chunk[i].offset + chunk[i].size) of `bytes`. */
typedef struct {
    size_t offset, size;
} chunk_ref;

typedef struct {
    int64_t chunk_patients;
    unsigned char *bytes;
    size_t used, cap;
    chunk_ref *chunk;
    size_t n, n_cap;
} chunk_set;

/* realloc(p, bytes), exiting with status 2 when memory runs out. */
static void *resize(void *p, size_t bytes)
{
    void *q = realloc(p, bytes);
    if (q == NULL) {
        fprintf(stderr, "bench_deflate: out of memory\n");
        exit(2);
    }
    return q;
}

static void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t cap2 = *cap ? *cap : 1024;
    while (cap2 < need)
        cap2 *= 2;
    *cap = cap2;
    return resize(p, cap2 * elem);
}

/* Appends the chunks of one trajectory array of a block: `k` elements of
 * `elem` bytes per visit, filled past the patients held with `fill`. */
static void add_chunks(chunk_set *c, const mnd_block *b, const void *data, size_t k,
                       size_t elem, const void *fill)
{
    const size_t row_bytes = (size_t)b->max_visits * k * elem;
    const size_t chunk_bytes = (size_t)c->chunk_patients * row_bytes;
    unsigned char *scratch = resize(NULL, chunk_bytes);
    for (int64_t r = 0; r < b->n; r += c->chunk_patients) {
        int64_t rows = b->n - r < c->chunk_patients ? b->n - r : c->chunk_patients;
        const void *in = mnd_chunk_filter_input((const unsigned char *)data + (size_t)r * row_bytes,
                                                (size_t)rows * row_bytes, chunk_bytes, elem, fill,
                                                scratch);
        c->bytes = grow(c->bytes, &c->cap, c->used + chunk_bytes, 1);
        c->chunk = grow(c->chunk, &c->n_cap, c->n + 1, sizeof *c->chunk);
        memcpy(c->bytes + c->used, in, chunk_bytes);
        c->chunk[c->n++] = (chunk_ref){c->used, chunk_bytes};
        c->used += chunk_bytes;
    }
    free(scratch);
}

static mnd_status gather(const mnd_block *b, void *ctx, mnd_error *err)
{
    chunk_set *c = ctx;
    const float nan_fill = NAN;
    const int8_t int_fill = -1;
    add_chunks(c, b, b->time, 1, sizeof(float), &nan_fill);
    add_chunks(c, b, b->items, MND_ITEM_COUNT, 1, &int_fill);
    add_chunks(c, b, b->total, 1, 1, &int_fill);
    add_chunks(c, b, b->fvc, 1, sizeof(float), &nan_fill);
    add_chunks(c, b, b->kings, 1, 1, &int_fill);
    add_chunks(c, b, b->mitos, 1, 1, &int_fill);
    add_chunks(c, b, b->umn, MND_REGION_COUNT, sizeof(float), &nan_fill);
    add_chunks(c, b, b->lmn, MND_REGION_COUNT, sizeof(float), &nan_fill);
    return MND_OK;
}

/* Seconds to encode every chunk with ISA-L (isal) or zlib; their encoded
 * bytes into *encoded. */
static double encode_all(const chunk_set *c, int isal, unsigned char *dst, size_t *encoded)
{
    double t0 = omp_get_wtime();
    *encoded = 0;
    for (size_t i = 0; i < c->n; i++) {
        const unsigned char *in = c->bytes + c->chunk[i].offset;
        const size_t n = c->chunk[i].size;
        size_t out = 0;
        int rc;
        if (isal) {
            rc = mnd_chunk_encode(in, n, 1, dst, &out);
        } else {
            uLongf z = (uLongf)mnd_chunk_deflate_bound(n);
            rc = compress2(dst, &z, in, (uLong)n, 1) == Z_OK ? 0 : -1;
            out = (size_t)z;
        }
        if (rc != 0) {
            fprintf(stderr, "bench_deflate: chunk %zu: the encoder failed\n", i);
            exit(2);
        }
        *encoded += out;
    }
    return omp_get_wtime() - t0;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    const char *set = bench_take_set(&argc, &argv);
    if (argc != 3) {
        fprintf(stderr, "usage: bench_deflate [--set KEY=VALUE] CONFIG N_PATIENTS\n");
        return 1;
    }
    mnd_params p = bench_load("bench_deflate", argv[1], argv[2], set);
    mnd_error err = {0};
    chunk_set c = {.chunk_patients = p.chunk_patients};
    if (mnd_sim_run(&p, 2, gather, &c, NULL, NULL, &err) != MND_OK) {
        fprintf(stderr, "bench_deflate: %s\n", err.message);
        return 2;
    }
    size_t biggest = 0;
    for (size_t i = 0; i < c.n; i++)
        biggest = c.chunk[i].size > biggest ? c.chunk[i].size : biggest;
    unsigned char *dst = resize(NULL, mnd_chunk_deflate_bound(biggest));
    double best[2] = {INFINITY, INFINITY};
    size_t encoded[2] = {0, 0};
    for (int r = 0; r < REPEATS; r++)
        for (int isal = 1; isal >= 0; isal--)
            best[isal] = fmin(best[isal], encode_all(&c, isal, dst, &encoded[isal]));
    printf("chunks %zu\n", c.n);
    printf("raw_mb %.1f\n", (double)c.used / 1e6);
    printf("isal_mb_per_s %.0f\n", (double)c.used / best[1] / 1e6);
    printf("isal_ratio %.3f\n", (double)encoded[1] / (double)c.used);
    printf("zlib_mb_per_s %.0f\n", (double)c.used / best[0] / 1e6);
    printf("zlib_ratio %.3f\n", (double)encoded[0] / (double)c.used);
    printf("isal_over_zlib %.2f\n", best[0] / best[1]);
    free(dst);
    free(c.bytes);
    free(c.chunk);
    return 0;
}
