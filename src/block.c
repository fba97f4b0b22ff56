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
 */
#include <assert.h>
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
    if (b->patients && b->time && b->items && b->total && b->fvc && b->kings &&
        b->mitos && b->umn && b->lmn)
        return MND_OK;

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
    memset(b, 0, sizeof *b);
}

mnd_visit_rows mnd_block_rows(const mnd_block *b, int64_t i)
{
    assert(b != NULL && i >= 0 && i < b->capacity);
    const int64_t row = i * b->max_visits;
    mnd_visit_rows v = {
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
