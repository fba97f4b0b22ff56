/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * mpi_split.h — how the work of a run is dealt out to the members of a
 * team (team.h): pure arithmetic, no MPI, used by both builds.
 *
 * Rows (patients x replicates) go out in blocks, round-robin: block b of
 * `block` rows goes to member b % parts in round b / parts.  A block is a
 * whole number of trajectory chunks (the caller rounds it), so no chunk is
 * written by two members in the same round, and the blocks of one round
 * are consecutive and in member order: a round is what a serial run would
 * have written as `parts` blocks in a row.
 *
 * Replicate studies go out in contiguous ranges, as even as possible (the
 * first n % parts members get one more); ranges suit them because their
 * results are gathered once, at the end.  Scenario pieces (--scenario i/n)
 * use the same ranges.
 */
#ifndef MNDSIM_MPI_SPLIT_H
#define MNDSIM_MPI_SPLIT_H

#include <stdint.h>

/* rows >= 0 rows in blocks of block >= 1 rows dealt to parts >= 1 members. */
typedef struct {
    int64_t rows;
    int64_t block;
    int parts;
} mnd_split;

/* Rounds needed to deal every block: ceil(ceil(rows / block) / parts). */
int64_t mnd_split_rounds(const mnd_split *s);

/* Member `part`'s block in round `round`: its first row and its row count,
 * *n = 0 (and *first = rows) when the member has no block that round. */
void mnd_split_block(const mnd_split *s, int64_t round, int part, int64_t *first, int64_t *n);

/* Member `part`'s contiguous share [*first, *first + *count) of n items
 * split among `parts` members. */
void mnd_split_range(int64_t n, int parts, int part, int64_t *first, int64_t *count);

#endif
