/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sim_cohort_data.h — test support shared by test_stats.c and
 * test_survival.c: the simulated cohort of tests/reference/cox_data_sim.R
 * (400 patients, eight columns), read once per test process.
 * Header-only; include after Criterion.
 */
#ifndef MNDSIM_TEST_SIM_COHORT_DATA_H
#define MNDSIM_TEST_SIM_COHORT_DATA_H

#include <stdio.h>
#include <stdlib.h>

#define SIM_DATA "tests/reference/cox_data_sim.txt"

/* The simulated cohort of cox_data_sim.R. */
enum { SIM_N = 400 };
typedef struct {
    double time[SIM_N], month[SIM_N];
    int event[SIM_N], arm[SIM_N], site[SIM_N], group3[SIM_N];
    double age[SIM_N], sex[SIM_N];
} sim_data;

/* The cohort, read from SIM_DATA on the first call (the test fails if the
 * file is missing or malformed). */
static inline const sim_data *sim_load(void)
{
    static sim_data d;
    static int loaded = 0;
    if (loaded)
        return &d;
    FILE *f = fopen(SIM_DATA, "r");
    cr_assert_not_null(f, "cannot open %s", SIM_DATA);
    char line[512];
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#')
            continue;
        cr_assert_lt(n, SIM_N);
        char *p = line;
        double v[8];
        for (int j = 0; j < 8; j++) {
            char *end;
            v[j] = strtod(p, &end); /* "nan" reads as NaN */
            cr_assert_neq(end, p, "%s: row %zu, column %d", SIM_DATA, n, j);
            p = end;
        }
        d.time[n] = v[0];
        d.event[n] = (int)v[1];
        d.month[n] = v[2];
        d.arm[n] = (int)v[3];
        d.age[n] = v[4];
        d.sex[n] = v[5];
        d.site[n] = (int)v[6];
        d.group3[n] = (int)v[7];
        n++;
    }
    fclose(f);
    cr_assert_eq(n, SIM_N);
    loaded = 1;
    return &d;
}

#endif
