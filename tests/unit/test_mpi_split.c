/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test_mpi_split.c — unit tests of dealing work to the members of a team
 * (src/mpi_split.c): every row and every replicate goes to exactly one
 * member, blocks are chunk-aligned and each round is consecutive in member
 * order, and ranges are contiguous and balanced.  Also the solo team of
 * src/team.c, which the serial build uses for every collective.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "mndsim/mpi_split.h"
#include "mndsim/team.h"

Test(mpi_split, blocks_cover_every_row_once_in_round_order)
{
    const int64_t rows_list[] = {0, 1, 63, 64, 65, 700, 1000};
    for (size_t k = 0; k < sizeof rows_list / sizeof *rows_list; k++) {
        for (int parts = 1; parts <= 5; parts++) {
            const mnd_split s = {rows_list[k], 64, parts};
            int64_t next = 0;
            for (int64_t round = 0; round < mnd_split_rounds(&s); round++) {
                bool some = false;
                for (int part = 0; part < parts; part++) {
                    int64_t first, n;
                    mnd_split_block(&s, round, part, &first, &n);
                    if (n == 0) {
                        cr_expect_eq(first, s.rows);
                        continue;
                    }
                    some = true;
                    cr_expect_eq(first, next, "rows %lld parts %d round %lld part %d",
                                 (long long)s.rows, parts, (long long)round, part);
                    cr_expect_eq(first % 64, 0);
                    cr_expect(n <= 64);
                    next += n;
                }
                cr_expect(some, "a round without any block");
            }
            cr_expect_eq(next, s.rows);
        }
    }
}

Test(mpi_split, rounds)
{
    cr_expect_eq(mnd_split_rounds(&(mnd_split){0, 10, 3}), 0);
    cr_expect_eq(mnd_split_rounds(&(mnd_split){30, 10, 3}), 1);
    cr_expect_eq(mnd_split_rounds(&(mnd_split){31, 10, 3}), 2);
    cr_expect_eq(mnd_split_rounds(&(mnd_split){31, 10, 1}), 4);
}

Test(mpi_split, ranges_are_contiguous_and_balanced)
{
    for (int64_t n = 0; n < 20; n++) {
        for (int parts = 1; parts <= 6; parts++) {
            int64_t next = 0;
            for (int part = 0; part < parts; part++) {
                int64_t first, count;
                mnd_split_range(n, parts, part, &first, &count);
                cr_expect_eq(first, next);
                cr_expect(count == n / parts || count == n / parts + 1);
                cr_expect_eq(count, n / parts + (part < n % parts));
                next += count;
            }
            cr_expect_eq(next, n);
        }
    }
}

Test(team, solo_team_is_local)
{
    const mnd_team *t = mnd_team_solo();
    mnd_error err = {0};
    cr_expect_eq(mnd_team_size(t), 1);
    cr_expect_eq(mnd_team_rank(t), 0);
    cr_expect(!mnd_team_is_mpi(t));
    cr_expect_eq(mnd_team_agree(t, MND_OK, 0, &err), MND_OK);
    mnd_error_set(&err, MND_ERR_IO, NULL, 0, "boom");
    cr_expect_eq(mnd_team_agree(t, MND_ERR_IO, 5, &err), MND_ERR_IO);
    cr_expect_str_eq(err.message, "boom");
    cr_expect(mnd_team_any(t, true));
    cr_expect(!mnd_team_any(t, false));
    int64_t mine[2] = {3, 4}, all[2] = {0, 0};
    cr_expect_eq(mnd_team_allgather_i64(t, mine, 2, all, &err), MND_OK);
    cr_expect(all[0] == 3 && all[1] == 4);
}
