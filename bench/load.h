/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * load.h — the config of a bench program: CONFIG with N_PATIENTS patients
 * and one replicate (bench_kernel.c, bench_deflate.c, count_calls.c).
 */
#ifndef MNDSIM_BENCH_LOAD_H
#define MNDSIM_BENCH_LOAD_H

#include <stdio.h>
#include <stdlib.h>
#include "mndsim/config.h"

/* The parameters of `path` with simulation.n_patients = `n_patients` (the
 * command-line text) and one replicate; on error prints it after `program`
 * and exits with status 1. */
static mnd_params bench_load(const char *program, const char *path, const char *n_patients)
{
    char set_n[64];
    snprintf(set_n, sizeof set_n, "simulation.n_patients=%sL", n_patients);
    const char *overrides[] = {set_n, "simulation.n_replicates=1"};
    mnd_params p;
    mnd_error err = {0};
    if (mnd_config_load(path, overrides, 2, &p, NULL, &err) != MND_OK) {
        fprintf(stderr, "%s: %s\n", program, err.message);
        exit(1);
    }
    return p;
}

#endif
