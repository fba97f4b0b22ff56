/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * load.h — the config of a bench program: CONFIG with N_PATIENTS patients,
 * one replicate and an optional `--set KEY=VALUE` given before CONFIG
 * (bench_kernel.c, bench_deflate.c, count_calls.c).
 */
#ifndef MNDSIM_BENCH_LOAD_H
#define MNDSIM_BENCH_LOAD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mndsim/config.h"

/* Takes a leading `--set KEY=VALUE` off the arguments: returns the
 * KEY=VALUE text (as mndsim's --set reads it) and shifts argv by two, the
 * program's name moved along as argv[0], so that argv[1] is the argument
 * after it; NULL, with the arguments as they were, when there is none. */
static const char *bench_take_set(int *argc, char ***argv)
{
    if (*argc < 3 || strcmp((*argv)[1], "--set") != 0)
        return NULL;
    const char *set = (*argv)[2];
    (*argv)[2] = (*argv)[0];
    *argv += 2;
    *argc -= 2;
    return set;
}

/* The parameters of `path` with simulation.n_patients = `n_patients` (the
 * command-line text), one replicate and the override `set` (KEY=VALUE, or
 * NULL); on error prints it after `program` and exits with status 1. */
static mnd_params bench_load(const char *program, const char *path, const char *n_patients,
                             const char *set)
{
    char set_n[64];
    snprintf(set_n, sizeof set_n, "simulation.n_patients=%sL", n_patients);
    const char *overrides[] = {set_n, "simulation.n_replicates=1", set};
    mnd_params p;
    mnd_error err = {0};
    if (mnd_config_load(path, overrides, set ? 3 : 2, &p, NULL, &err) != MND_OK) {
        fprintf(stderr, "%s: %s\n", program, err.message);
        exit(1);
    }
    return p;
}

#endif
