/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sweep.c — scenario sweeps (sweep.h): the grid of overrides, the pieces
 * of a split sweep, and running a piece into one file.
 *
 * Design.  A scenario is nothing but more --set overrides: its parameters
 * are loaded by mnd_config_load exactly as `mndsim run CONFIG --set ...`
 * would load them, so a sweep can vary any key and every value is checked
 * by the same table.  All scenarios of the piece are loaded before any is
 * run, so a bad value stops the sweep at once.  Each scenario is run with
 * the ordinary writer (mnd_run_to_file_team: threads, MPI ranks, studies,
 * atomic output) into "<out>.tmp.<pid>.sNN", and rank 0 joins them into
 * the sweep file with mnd_merge_write, the same copy that `mndsim merge`
 * makes of the pieces, so a merged sweep equals one run at once.
 * Pieces are contiguous ranges of scenarios (mnd_split_range).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "mndsim/config.h"
#include "mndsim/merge.h"
#include "mndsim/mpi_split.h"
#include "mndsim/output.h"
#include "mndsim/run.h"
#include "mndsim/sweep.h"

int64_t mnd_sweep_count(const mnd_sweep *sw)
{
    int64_t n = 1;
    for (int a = 0; a < sw->n_axes; a++)
        n *= sw->axes[a].n_values;
    return n;
}

void mnd_sweep_override(const mnd_sweep *sw, int64_t s, int a, char *buf, size_t n)
{
    int64_t stride = 1;
    for (int b = sw->n_axes - 1; b > a; b--)
        stride *= sw->axes[b].n_values;
    const mnd_sweep_axis *ax = &sw->axes[a];
    snprintf(buf, n, "%s=%s", ax->key, ax->values[(s / stride) % ax->n_values]);
}

void mnd_sweep_describe(const mnd_sweep *sw, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int a = 0; a < sw->n_axes && used < n; a++) {
        const mnd_sweep_axis *ax = &sw->axes[a];
        used += (size_t)snprintf(buf + used, n - used, "%s%s: %s = [", a ? "; " : "", ax->name,
                                 ax->key);
        for (int v = 0; v < ax->n_values && used < n; v++)
            used += (size_t)snprintf(buf + used, n - used, "%s%s", v ? ", " : "", ax->values[v]);
        if (used < n)
            used += (size_t)snprintf(buf + used, n - used, "]");
    }
}

void mnd_sweep_group_name(int64_t s, int64_t total, char *buf, size_t n)
{
    int digits = 2;
    for (int64_t t = 100; t < total; t *= 10)
        digits++;
    snprintf(buf, n, "/scenarios/s%0*" PRId64, digits, s);
}

int mnd_sweep_parse_piece(const char *text, int64_t *i, int64_t *n)
{
    char *end;
    if (text == NULL || *text < '0' || *text > '9')
        return -1;
    long long a = strtoll(text, &end, 10);
    if (*end != '/' || end[1] < '0' || end[1] > '9')
        return -1;
    long long b = strtoll(end + 1, &end, 10);
    if (*end != '\0' || b < 1 || a >= b || b > MND_SWEEP_MAX_SCENARIOS)
        return -1;
    *i = a;
    *n = b;
    return 0;
}

/* Scenario s's overrides: the run's, then one per axis. */
static const char **scenario_overrides(const mnd_sweep *sw, int64_t s,
                                       const char *const *overrides, size_t n_overrides,
                                       char (*axis_text)[MND_SWEEP_KEY_MAX + MND_SWEEP_VALUE_MAX])
{
    const char **all = calloc(n_overrides + (size_t)sw->n_axes + 1, sizeof *all);
    if (all == NULL)
        return NULL;
    for (size_t k = 0; k < n_overrides; k++)
        all[k] = overrides[k];
    for (int a = 0; a < sw->n_axes; a++) {
        mnd_sweep_override(sw, s, a, axis_text[a], sizeof axis_text[a]);
        all[n_overrides + (size_t)a] = axis_text[a];
    }
    return all;
}

mnd_status mnd_sweep_run(const char *config, const char *const *overrides, size_t n_overrides,
                         int64_t piece, int64_t pieces, const char *path,
                         const mnd_provenance *prov, int threads, const mnd_team *team,
                         mnd_error *err)
{
    mnd_sweep sw;
    mnd_status st = mnd_config_load_sweep(config, &sw, err);
    if (st != MND_OK)
        return st;
    if (sw.n_axes == 0)
        return mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                             "%s has no sweep section: --scenario needs one", config);
    const int64_t total = mnd_sweep_count(&sw);
    int64_t first, count;
    mnd_split_range(total, (int)pieces, (int)piece, &first, &count);
    if (count == 0)
        return mnd_error_set(err, MND_ERR_USAGE, NULL, 0,
                             "--scenario %" PRId64 "/%" PRId64 ": the sweep has only %" PRId64
                             " scenarios, so this piece would be empty",
                             piece, pieces, total);

    char (*axis_text)[MND_SWEEP_KEY_MAX + MND_SWEEP_VALUE_MAX] =
        calloc(MND_SWEEP_MAX_AXES, sizeof *axis_text);
    mnd_params *params = calloc((size_t)count, sizeof *params);
    char **resolved = calloc((size_t)count, sizeof *resolved);
    char **files = calloc((size_t)count, sizeof *files);
    char (*groups)[64] = calloc((size_t)count, sizeof *groups);
    char (*labels)[1024] = calloc((size_t)count, sizeof *labels);
    mnd_merge_copy *copies = calloc((size_t)count, sizeof *copies);
    mnd_merge_attr(*attrs)[2] = calloc((size_t)count, sizeof *attrs);
    char describe[4096];
    if (!axis_text || !params || !resolved || !files || !groups || !labels || !copies || !attrs) {
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "out of memory for the sweep");
        goto cleanup;
    }
    /* every scenario's parameters first: a bad value fails before any run */
    for (int64_t k = 0; k < count && st == MND_OK; k++) {
        int64_t s = first + k;
        const char **all = scenario_overrides(&sw, s, overrides, n_overrides, axis_text);
        if (all == NULL) {
            st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "out of memory for the sweep");
            break;
        }
        labels[k][0] = '\0';
        for (int a = 0; a < sw.n_axes; a++)
            snprintf(labels[k] + strlen(labels[k]), sizeof labels[k] - strlen(labels[k]),
                     "%s%s", a ? "\n" : "", axis_text[a]);
        st = mnd_config_load(config, all, n_overrides + (size_t)sw.n_axes, &params[k],
                             &resolved[k], err);
        free(all);
        if (st != MND_OK) {
            char msg[sizeof err->message];
            snprintf(msg, sizeof msg, "%s", err->message);
            for (char *c = labels[k]; *c; c++)
                if (*c == '\n')
                    *c = ' ';
            mnd_error_set(err, st, NULL, 0, "sweep scenario %" PRId64 " (%s): %s", s, labels[k],
                          msg);
        }
    }
    /* the final destination is checked before any scenario runs, so that
     * a bad one is named as given, not as a scenario's staging file */
    if (st == MND_OK) {
        if (mnd_team_rank(team) == 0)
            st = mnd_output_check_destination(path, err);
        st = mnd_team_agree(team, st, 0, err);
    }
    /* each scenario into its own run file, with the whole team */
    long pid = (long)getpid();
    if (st == MND_OK)
        st = mnd_team_broadcast(team, &pid, sizeof pid, 0, err);
    for (int64_t k = 0; k < count && st == MND_OK; k++) {
        int64_t s = first + k;
        size_t len = strlen(path) + 64;
        if ((files[k] = malloc(len)) == NULL) {
            st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "out of memory for the sweep");
            break;
        }
        snprintf(files[k], len, "%s.tmp.%ld.s%" PRId64, path, pid, s);
        mnd_provenance sp = *prov;
        sp.config_text = resolved[k];
        sp.overrides = labels[k];
        st = mnd_run_to_file_team(&params[k], files[k], &sp, threads, team, NULL, NULL, err);
        mnd_sweep_group_name(s, total, groups[k], sizeof groups[k]);
        attrs[k][0] = (mnd_merge_attr){"scenario_index", NULL, s};
        attrs[k][1] = (mnd_merge_attr){"scenario", labels[k], 0};
        copies[k] = (mnd_merge_copy){files[k], "/", groups[k], attrs[k], 2};
    }
    if (st == MND_OK && mnd_team_rank(team) == 0) {
        char created[32] = "", piece_text[64];
        time_t now = time(NULL);
        struct tm utc;
        if (gmtime_r(&now, &utc) != NULL)
            strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
        if (pieces == 1)
            snprintf(piece_text, sizeof piece_text, "all");
        else
            snprintf(piece_text, sizeof piece_text, "%" PRId64 "/%" PRId64, piece, pieces);
        mnd_sweep_describe(&sw, describe, sizeof describe);
        char base[4096] = "";
        for (size_t k = 0; k < n_overrides; k++)
            snprintf(base + strlen(base), sizeof base - strlen(base), "%s%s", k ? "\n" : "",
                     overrides[k]);
        const mnd_merge_attr root[] = {
            {"title", "mndsim scenario sweep", 0},
            {"engine_name", "mndsim", 0},
            {"engine_version", prov->engine_version, 0},
            {"git_commit", prov->git_commit, 0},
            {"git_dirty", NULL, prov->git_dirty},
            {"command_line", prov->command_line, 0},
            {"config_path", prov->config_path, 0},
            {"overrides", base, 0},
            {"created_utc", created, 0},
            {"sweep", describe, 0},
            {"n_scenarios", NULL, total},
            {"piece", piece_text, 0},
        };
        st = mnd_merge_write(path, root, sizeof root / sizeof *root, copies, (size_t)count, err);
    }
    st = mnd_team_agree(team, st, 0, err);

cleanup:
    for (int64_t k = 0; files && k < count; k++) {
        if (files[k] && mnd_team_rank(team) == 0)
            unlink(files[k]);
        free(files[k]);
    }
    for (int64_t k = 0; resolved && k < count; k++)
        free(resolved[k]);
    free(axis_text);
    free(params);
    free(resolved);
    free(files);
    free(groups);
    free(labels);
    free(copies);
    free(attrs);
    return st;
}
