/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * mpi_split.c — dealing rows and replicates out to the members of a team
 * (contracts and design in mpi_split.h).  Pure integer arithmetic.
 */
#include <assert.h>
#include "mndsim/mpi_split.h"

int64_t mnd_split_rounds(const mnd_split *s)
{
    assert(s->rows >= 0 && s->block >= 1 && s->parts >= 1);
    int64_t blocks = s->rows / s->block + (s->rows % s->block != 0);
    return blocks / s->parts + (blocks % s->parts != 0);
}

void mnd_split_block(const mnd_split *s, int64_t round, int part, int64_t *first, int64_t *n)
{
    assert(round >= 0 && part >= 0 && part < s->parts);
    int64_t b = round * s->parts + part;
    if (b >= s->rows / s->block + (s->rows % s->block != 0)) {
        *first = s->rows;
        *n = 0;
        return;
    }
    *first = b * s->block;
    *n = s->rows - *first < s->block ? s->rows - *first : s->block;
}

void mnd_split_range(int64_t n, int parts, int part, int64_t *first, int64_t *count)
{
    assert(n >= 0 && parts >= 1 && part >= 0 && part < parts);
    int64_t base = n / parts, extra = n % parts;
    *first = part * base + (part < extra ? part : extra);
    *count = base + (part < extra);
}
