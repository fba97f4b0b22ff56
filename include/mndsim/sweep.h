/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sweep.h — scenario sweeps: a grid of overrides of existing config keys
 * (effect sizes x designs x sample sizes ...) run in one invocation, one
 * HDF5 group per scenario, and split into pieces for a scheduler's job
 * array (--scenario i/n) that `mndsim merge` joins.
 *
 * A config's `sweep` section names axes; each axis is a key (any key that
 * --set accepts) and its values.  The scenarios are the Cartesian product,
 * the first axis slowest: scenario s applies, for each axis, the value at
 * the axis's digit of s, exactly as --set key=value after the run's own
 * --set overrides.
 */
#ifndef MNDSIM_SWEEP_H
#define MNDSIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include "mndsim/output.h"
#include "mndsim/sim.h"
#include "mndsim/status.h"
#include "mndsim/team.h"

enum {
    MND_SWEEP_MAX_AXES = 8,
    MND_SWEEP_MAX_VALUES = 64,
    MND_SWEEP_NAME_MAX = 64,   /* axis name, with its NUL */
    MND_SWEEP_KEY_MAX = 160,   /* config key path, with its NUL */
    MND_SWEEP_VALUE_MAX = 64,  /* one value as libconfig text, with its NUL */
    MND_SWEEP_MAX_SCENARIOS = 100000
};

typedef struct {
    char name[MND_SWEEP_NAME_MAX]; /* the axis's name in the config (sweep.<name>) */
    char key[MND_SWEEP_KEY_MAX];   /* the config key it sets, e.g. studies.trial.n_patients */
    int n_values;
    char values[MND_SWEEP_MAX_VALUES][MND_SWEEP_VALUE_MAX]; /* libconfig literals */
} mnd_sweep_axis;

typedef struct {
    int n_axes;                    /* 0: the config has no sweep */
    mnd_sweep_axis axes[MND_SWEEP_MAX_AXES];
} mnd_sweep;

/* Number of scenarios: the product of the axes' value counts (1 without
 * axes). */
int64_t mnd_sweep_count(const mnd_sweep *sw);

/* The override "key=value" of axis a in scenario s (0 <= s < count),
 * written into buf (size n). */
void mnd_sweep_override(const mnd_sweep *sw, int64_t s, int a, char *buf, size_t n);

/* The sweep's axes as one line of text, "name: key = [v, ...]; ...": the
 * root attribute `sweep` that tells pieces of one sweep from another's. */
void mnd_sweep_describe(const mnd_sweep *sw, char *buf, size_t n);

/* The group of scenario s of `total`, "/scenarios/s" + s zero-padded to
 * the digits of total - 1 (at least 2), into buf (size n). */
void mnd_sweep_group_name(int64_t s, int64_t total, char *buf, size_t n);

/* Parses a piece spec "i/n" (0 <= i < n, decimal) into *i and *n; returns
 * 0 on success, -1 when the text is not such a spec. */
int mnd_sweep_parse_piece(const char *text, int64_t *i, int64_t *n);

/* Runs piece `piece` of `pieces` of the sweep of `config` (scenarios
 * mnd_split_range of the count) into `path`: first loads every scenario's
 * parameters (config, `overrides`, then the scenario's axis values), so a
 * bad value fails before anything is simulated, with "sweep scenario s
 * (overrides): message"; then runs each scenario with the team into a
 * temporary file and has rank 0 join them into `path` (mnd_merge_write),
 * one group /scenarios/sNN per scenario.  Fails with MND_ERR_USAGE when
 * the config has no sweep or the piece is empty (more pieces than
 * scenarios).  Collective; nothing is left under `path` on failure. */
mnd_status mnd_sweep_run(const char *config, const char *const *overrides, size_t n_overrides,
                         int64_t piece, int64_t pieces, const char *path,
                         const mnd_provenance *prov, int threads, const mnd_team *team,
                         mnd_error *err);

#endif
