/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * config.h — loading and validating libconfig files into mnd_params.
 *
 * The option table (src/config_table.c) lists every key once: its path,
 * type, unit, range, default, meaning and literature source.  Loading
 * applies the defaults, reads the file (with @include relative to the
 * including file), rejects unknown keys, wrong types and out-of-range
 * values with "file:line: message", then applies --set overrides.
 */
#ifndef MNDSIM_CONFIG_H
#define MNDSIM_CONFIG_H

#include <stddef.h>
#include <stdio.h>
#include "mndsim/model.h"
#include "mndsim/status.h"
#include "mndsim/sweep.h"

/* Fills `p` with the built-in defaults of every key. */
void mnd_config_defaults(mnd_params *p);

/* Loads `path` into `p`: defaults, then the file, then each override
 * "key=value" of `overrides[0..n_overrides-1]` (value in libconfig syntax,
 * e.g. simulation.n_patients=1000 or output.store=["total","fvc"]).
 * On success, when `resolved` is non-NULL, *resolved receives a malloc'd
 * libconfig text of every key with its final value (the provenance record;
 * the caller frees it).  Errors: MND_ERR_CONFIG with "file:line: message"
 * naming the key; MND_ERR_IO when the file cannot be read. */
mnd_status mnd_config_load(const char *path, const char *const *overrides,
                           size_t n_overrides, mnd_params *p, char **resolved,
                           mnd_error *err);

/* Reads the `sweep` section of `path` (sweep.h) into *sw: n_axes = 0
 * when there is none.  The keys are checked only when the scenarios are
 * loaded (mnd_config_load with each axis value as an override).  Errors:
 * MND_ERR_CONFIG with "file:line: message"; MND_ERR_IO when the file
 * cannot be read. */
mnd_status mnd_config_load_sweep(const char *path, mnd_sweep *sw, mnd_error *err);

/* Writes the Markdown reference of every key (configs/README.md body) to
 * `out`. */
void mnd_config_write_reference(FILE *out);

#endif
