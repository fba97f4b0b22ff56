/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * block.c — a block of consecutive patients and their visit rows.
 *
 * Design: every visit array is one patient-major allocation of
 * capacity x T (x k) elements, so the rows of patients [0, n) are contiguous
 * and already in the layout of the HDF5 trajectory datasets: the writer
 * stores them with one hyperslab write and no copy.  All arrays are
 * allocated whatever output.store says; the block is small (about 55 bytes
 * per patient-visit) and the simulator can then fill rows unconditionally.
 * Memory therefore scales with the block capacity, never with the cohort.
 * The arrays hold fill values from the start, and each patient slot counts
 * the rows its last occupant wrote (n_written): a patient refills only the
 * rows between its own last visit and that count, not all T (with monthly
 * visits over 10 years, about 90 of 121 rows per patient, rewritten for
 * every patient before; the kernel is about 1 % faster).
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mndsim/block.h"

/* calloc of n x size bytes, NULL when the product does not fit in size_t. */
static void *alloc_array(int64_t n, size_t size)
{
    if ((uint64_t)n > SIZE_MAX / size)
        return NULL;
    return calloc((size_t)n, size);
}

mnd_status mnd_block_alloc(mnd_block *b, int64_t capacity, int64_t max_visits,
                           mnd_error *err)
{
    assert(b != NULL && capacity > 0 && max_visits > 0);
    memset(b, 0, sizeof *b);
    b->capacity = capacity;
    b->max_visits = max_visits;

    /* capacity x T visit slots; each product is checked before it is formed. */
    int64_t slots = 0;
    if (capacity > INT64_MAX / max_visits)
        goto cleanup;
    slots = capacity * max_visits;

    b->patients = alloc_array(capacity, sizeof *b->patients);
    b->time = alloc_array(slots, sizeof *b->time);
    b->total = alloc_array(slots, sizeof *b->total);
    b->fvc = alloc_array(slots, sizeof *b->fvc);
    b->kings = alloc_array(slots, sizeof *b->kings);
    b->mitos = alloc_array(slots, sizeof *b->mitos);
    if (slots <= INT64_MAX / MND_ITEM_COUNT)
        b->items = alloc_array(slots * MND_ITEM_COUNT, sizeof *b->items);
    if (slots <= INT64_MAX / MND_REGION_COUNT) {
        b->umn = alloc_array(slots * MND_REGION_COUNT, sizeof *b->umn);
        b->lmn = alloc_array(slots * MND_REGION_COUNT, sizeof *b->lmn);
    }
    b->n_written = alloc_array(capacity, sizeof *b->n_written);
    if (b->patients && b->time && b->items && b->total && b->fvc && b->kings &&
        b->mitos && b->umn && b->lmn && b->n_written) {
        for (int64_t i = 0; i < capacity; i++)
            mnd_visit_rows_fill(mnd_block_rows(b, i), 0, max_visits);
        return MND_OK;
    }

cleanup:
    mnd_block_free(b);
    return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0,
                         "out of memory allocating a block of %lld patients x %lld visits",
                         (long long)capacity, (long long)max_visits);
}

void mnd_block_free(mnd_block *b)
{
    if (b == NULL)
        return;
    free(b->patients);
    free(b->time);
    free(b->items);
    free(b->total);
    free(b->fvc);
    free(b->kings);
    free(b->mitos);
    free(b->umn);
    free(b->lmn);
    free(b->n_written);
    memset(b, 0, sizeof *b);
}

mnd_visit_rows mnd_block_rows(const mnd_block *b, int64_t i)
{
    assert(b != NULL && i >= 0 && i < b->capacity);
    const int64_t row = i * b->max_visits;
    mnd_visit_rows v = {
        .n_written = b->n_written + i,
        .time = b->time + row,
        .items = b->items + row * MND_ITEM_COUNT,
        .total = b->total + row,
        .fvc = b->fvc + row,
        .kings = b->kings + row,
        .mitos = b->mitos + row,
        .umn = b->umn + row * MND_REGION_COUNT,
        .lmn = b->lmn + row * MND_REGION_COUNT,
    };
    return v;
}

/* x[0..n) = NaN, as vector stores. */
static void fill_nan(float *x, int64_t n)
{
#pragma omp simd
    for (int64_t j = 0; j < n; j++)
        x[j] = NAN;
}

void mnd_visit_rows_fill(mnd_visit_rows rows, int64_t from, int64_t to)
{
    size_t n = (size_t)(to - from);
    memset(rows.items + from * MND_ITEM_COUNT, -1, n * MND_ITEM_COUNT);
    memset(rows.total + from, -1, n);
    memset(rows.kings + from, -1, n);
    memset(rows.mitos + from, -1, n);
    fill_nan(rows.time + from, to - from);
    fill_nan(rows.fvc + from, to - from);
    fill_nan(rows.umn + from * MND_REGION_COUNT, (to - from) * MND_REGION_COUNT);
    fill_nan(rows.lmn + from * MND_REGION_COUNT, (to - from) * MND_REGION_COUNT);
}
