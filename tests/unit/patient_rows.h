/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * patient_rows.h — test support shared by test_sim.c and test_treatment.c:
 * the visit rows of one simulated patient (a one-patient mnd_block, so the
 * layout is the library's own), their byte comparison, and a thread
 * workspace.  Header-only (static functions); include after Criterion.
 */
#ifndef MNDSIM_TEST_PATIENT_ROWS_H
#define MNDSIM_TEST_PATIENT_ROWS_H

#include <string.h>
#include "mndsim/block.h"
#include "mndsim/sim.h"

/* Visit rows of one patient, owned by the test. */
typedef struct {
    int64_t T;
    mnd_block block;
    mnd_visit_rows rows;
} rows_buf;

static inline rows_buf rows_alloc(const mnd_params *p)
{
    rows_buf b = {0};
    mnd_error err;
    b.T = mnd_params_max_visits(p);
    cr_assert_eq(mnd_block_alloc(&b.block, 1, b.T, &err), MND_OK);
    b.rows = mnd_block_rows(&b.block, 0);
    return b;
}

static inline void rows_free(rows_buf *b) { mnd_block_free(&b->block); }

/* Byte equality (NaN-safe: compares bits) of everything but the ALSFRS-R
 * items and what derives from them. */
static inline int rows_equal_but_items(const rows_buf *a, const rows_buf *b)
{
    size_t T = (size_t)a->T;
    return a->T == b->T && !memcmp(a->rows.time, b->rows.time, T * sizeof(float))
           && !memcmp(a->rows.fvc, b->rows.fvc, T * sizeof(float))
           && !memcmp(a->rows.umn, b->rows.umn, T * MND_REGION_COUNT * sizeof(float))
           && !memcmp(a->rows.lmn, b->rows.lmn, T * MND_REGION_COUNT * sizeof(float));
}

/* Byte equality of two row sets. */
static inline int rows_equal(const rows_buf *a, const rows_buf *b)
{
    size_t T = (size_t)a->T;
    return rows_equal_but_items(a, b) && !memcmp(a->rows.items, b->rows.items, T * MND_ITEM_COUNT)
           && !memcmp(a->rows.total, b->rows.total, T) && !memcmp(a->rows.kings, b->rows.kings, T)
           && !memcmp(a->rows.mitos, b->rows.mitos, T);
}

static inline mnd_workspace workspace(void)
{
    mnd_workspace w = {0};
    mnd_error err;
    cr_assert_eq(mnd_workspace_alloc(&w, &err), MND_OK);
    return w;
}

#endif
