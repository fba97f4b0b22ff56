/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * block.h — a block of consecutive patients and their visit rows: the unit
 * that the simulator fills (in parallel, one patient per iteration) and the
 * writer stores (in order).  Memory is bounded by the block capacity, not
 * by the cohort size.
 */
#ifndef MNDSIM_BLOCK_H
#define MNDSIM_BLOCK_H

#include <stdint.h>
#include "mndsim/patient.h"
#include "mndsim/status.h"

typedef struct {
    int64_t capacity;   /* patients the arrays can hold */
    int64_t n;          /* patients currently held */
    int64_t first_row;  /* global output row of patients[0] */
    int64_t max_visits; /* T: visit slots per patient */
    mnd_patient *patients; /* [capacity] */
    /* visit arrays, patient-major: [capacity][T] or [capacity][T][k] */
    float *time;
    int8_t *items;  /* k = MND_ITEM_COUNT */
    int8_t *total;
    float *fvc;
    int8_t *kings;
    int8_t *mitos;
    float *umn;     /* k = MND_REGION_COUNT */
    float *lmn;     /* k = MND_REGION_COUNT */
    int32_t *n_written; /* [capacity]: leading rows of each patient that may hold data */
} mnd_block;

/* Allocates a block for `capacity` patients with `max_visits` visit slots,
 * every slot holding fill values.  On failure frees what it allocated and
 * returns MND_ERR_NOMEM. */
mnd_status mnd_block_alloc(mnd_block *b, int64_t capacity, int64_t max_visits,
                           mnd_error *err);

/* Frees the arrays; safe on a zeroed or already freed block. */
void mnd_block_free(mnd_block *b);

/* The visit rows of patient i (0 <= i < capacity) of the block. */
mnd_visit_rows mnd_block_rows(const mnd_block *b, int64_t i);

/* Writes fill values into rows [from, to) of `rows`: -1 for integers, NaN
 * for reals. */
void mnd_visit_rows_fill(mnd_visit_rows rows, int64_t from, int64_t to);

#endif
