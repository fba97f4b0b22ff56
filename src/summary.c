/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * summary.c — headline figures of a result file.
 *
 * Survival is Kaplan–Meier on t_end with `died` as the event, from onset
 * (t = 0) and from diagnosis (t_end - t_diagnosis).  Slopes follow the
 * trial convention (Atassi 2014): a least-squares line through each
 * patient's visits in the first 12 months from the first visit, for
 * patients with at least 3 such visits, averaged over patients.  Stage
 * timing: months from onset to the first visit at or above a stage, death
 * counting as reaching every stage (King's and MiToS stage 5 is death),
 * censored at the end of follow-up; medians by Kaplan–Meier.
 * Trajectories are read in blocks, so memory does not grow with the cohort.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mndsim/model.h"
#include "mndsim/output.h"
#include "mndsim/stats.h"
#include "mndsim/summary.h"

#define READ_BLOCK 4096

static const double summary_years[MND_SUMMARY_YEARS] = {1, 5, 10};

/* KM median of (time, event) pairs; NaN on allocation failure. */
static double km_median(const double *time, const int *event, size_t n)
{
    mnd_km fit;
    if (mnd_km_fit(time, event, n, &fit, NULL) != MND_OK)
        return NAN;
    double m = mnd_km_median(&fit);
    mnd_km_free(&fit);
    return m;
}

/* Per-patient slope of y over the first window months of visits; NaN with
 * fewer than 3 visits in the window. */
static double patient_slope(const double *time, const double *y, int64_t n_visits)
{
    double x[512], v[512];
    size_t m = 0;
    for (int64_t j = 0; j < n_visits && m < 512; j++) {
        if (!isfinite(time[j]) || !isfinite(y[j]) || y[j] < 0)
            continue;
        if (time[j] - time[0] > MND_SUMMARY_SLOPE_WINDOW_MONTHS + 1e-9)
            break;
        x[m] = time[j];
        v[m++] = y[j];
    }
    return m >= 3 ? mnd_ols_slope(x, v, m) : NAN;
}

mnd_status mnd_summary_from_file(const char *path, mnd_summary *s, mnd_error *err)
{
    mnd_status st = MND_OK;
    mnd_reader *r = NULL;
    double *t_end = NULL, *t_dx = NULL, *died = NULL, *n_visits = NULL, *t_from_dx = NULL;
    double *buf_time = NULL, *buf_y = NULL, *stage_time = NULL;
    int *event = NULL, *stage_event = NULL;
    memset(s, 0, sizeof *s);

    if ((st = mnd_reader_open(&r, path, err)) != MND_OK)
        goto cleanup;
    int rank;
    int64_t dims[3];
    if ((st = mnd_reader_shape(r, "t_end", &rank, dims, err)) != MND_OK)
        goto cleanup;
    int64_t n = dims[0];
    size_t nz = (size_t)(n > 0 ? n : 1);
    s->n_patients = n;
    t_end = malloc(nz * sizeof *t_end);
    t_dx = malloc(nz * sizeof *t_dx);
    died = malloc(nz * sizeof *died);
    n_visits = malloc(nz * sizeof *n_visits);
    t_from_dx = malloc(nz * sizeof *t_from_dx);
    event = malloc(nz * sizeof *event);
    stage_time = malloc(nz * 8 * sizeof *stage_time);
    stage_event = malloc(nz * 8 * sizeof *stage_event);
    if (!t_end || !t_dx || !died || !n_visits || !t_from_dx || !event || !stage_time || !stage_event) {
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "cannot allocate the summary of %s", path);
        goto cleanup;
    }
    if ((st = mnd_reader_read(r, "t_end", 0, n, t_end, err)) != MND_OK
        || (st = mnd_reader_read(r, "t_diagnosis", 0, n, t_dx, err)) != MND_OK
        || (st = mnd_reader_read(r, "died", 0, n, died, err)) != MND_OK
        || (st = mnd_reader_read(r, "n_visits", 0, n, n_visits, err)) != MND_OK)
        goto cleanup;

    for (int64_t i = 0; i < n; i++) {
        event[i] = died[i] > 0;
        s->n_deaths += event[i];
        t_from_dx[i] = t_end[i] - t_dx[i];
    }
    mnd_km km;
    if ((st = mnd_km_fit(t_end, event, (size_t)n, &km, err)) != MND_OK)
        goto cleanup;
    s->median_survival_onset_months = mnd_km_median(&km);
    for (int y = 0; y < MND_SUMMARY_YEARS; y++)
        s->survival_onset[y] = mnd_km_survival_at(&km, 12.0 * summary_years[y]);
    mnd_km_free(&km);
    if ((st = mnd_km_fit(t_from_dx, event, (size_t)n, &km, err)) != MND_OK)
        goto cleanup;
    s->median_survival_diagnosis_months = mnd_km_median(&km);
    for (int y = 0; y < MND_SUMMARY_YEARS; y++)
        s->survival_diagnosis[y] = mnd_km_survival_at(&km, 12.0 * summary_years[y]);
    mnd_km_free(&km);

    /* Trajectory figures, block by block. */
    s->mean_alsfrs_slope = s->mean_fvc_slope = NAN;
    for (int k = 0; k < 4; k++)
        s->median_kings_months[k] = s->median_mitos_months[k] = NAN;
    if (!mnd_reader_has(r, "visit_time"))
        goto cleanup;
    s->have_total = mnd_reader_has(r, "alsfrs_total");
    s->have_fvc = mnd_reader_has(r, "fvc");
    s->have_stages = mnd_reader_has(r, "kings_stage") && mnd_reader_has(r, "mitos_stage");
    if ((st = mnd_reader_shape(r, "visit_time", &rank, dims, err)) != MND_OK)
        goto cleanup;
    int64_t T = dims[1];
    buf_time = malloc((size_t)(READ_BLOCK * T) * sizeof *buf_time);
    buf_y = malloc((size_t)(READ_BLOCK * T) * sizeof *buf_y);
    if (!buf_time || !buf_y) {
        st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "cannot allocate the summary of %s", path);
        goto cleanup;
    }
    const char *slope_vars[2] = {"alsfrs_total", "fvc"};
    int have_slope[2] = {s->have_total, s->have_fvc};
    double slope_sum[2] = {0, 0}; /* summed in row order: the same bits for any block size */
    int64_t slope_n[2] = {0, 0};
    const char *stage_vars[2] = {"kings_stage", "mitos_stage"};
    double *stage_out[2] = {s->median_kings_months, s->median_mitos_months};
    for (int64_t row0 = 0; row0 < n; row0 += READ_BLOCK) {
        int64_t rows = n - row0 < READ_BLOCK ? n - row0 : READ_BLOCK;
        if ((st = mnd_reader_read(r, "visit_time", row0, rows, buf_time, err)) != MND_OK)
            goto cleanup;
        for (int v = 0; v < 2; v++) {
            if (!have_slope[v])
                continue;
            if ((st = mnd_reader_read(r, slope_vars[v], row0, rows, buf_y, err)) != MND_OK)
                goto cleanup;
            for (int64_t i = 0; i < rows; i++) {
                double slope = patient_slope(buf_time + i * T, buf_y + i * T,
                                             (int64_t)n_visits[row0 + i]);
                if (isfinite(slope)) {
                    slope_sum[v] += slope;
                    slope_n[v]++;
                }
            }
        }
        for (int v = 0; v < 2 && s->have_stages; v++) {
            if ((st = mnd_reader_read(r, stage_vars[v], row0, rows, buf_y, err)) != MND_OK)
                goto cleanup;
            for (int64_t i = 0; i < rows; i++) {
                int64_t row = row0 + i;
                for (int k = 0; k < 4; k++) {
                    size_t at = (size_t)((v * 4 + k) * n + row);
                    stage_time[at] = t_end[row];
                    stage_event[at] = event[row];
                    for (int64_t j = 0; j < (int64_t)n_visits[row]; j++)
                        if (buf_y[i * T + j] >= k + 1) {
                            stage_time[at] = buf_time[i * T + j];
                            stage_event[at] = 1;
                            break;
                        }
                }
            }
        }
    }
    s->n_alsfrs_slope = slope_n[0];
    s->mean_alsfrs_slope = slope_n[0] > 0 ? slope_sum[0] / (double)slope_n[0] : NAN;
    s->mean_fvc_slope = slope_n[1] > 0 ? slope_sum[1] / (double)slope_n[1] : NAN;
    for (int v = 0; v < 2 && s->have_stages; v++)
        for (int k = 0; k < 4; k++)
            stage_out[v][k] = km_median(stage_time + (size_t)((v * 4 + k) * n),
                                        stage_event + (size_t)((v * 4 + k) * n), (size_t)n);

cleanup:
    mnd_reader_close(r);
    free(t_end);
    free(t_dx);
    free(died);
    free(n_visits);
    free(t_from_dx);
    free(event);
    free(buf_time);
    free(buf_y);
    free(stage_time);
    free(stage_event);
    return st;
}

void mnd_summary_print(FILE *out, const mnd_summary *s)
{
    fprintf(out, "patients                         %lld (%lld died)\n", (long long)s->n_patients,
            (long long)s->n_deaths);
    fprintf(out, "median survival from onset       %.1f months\n", s->median_survival_onset_months);
    fprintf(out, "median survival from diagnosis   %.1f months\n", s->median_survival_diagnosis_months);
    for (int y = 0; y < MND_SUMMARY_YEARS; y++)
        fprintf(out, "%2g-year survival                  %.1f %% from onset, %.1f %% from diagnosis\n",
                summary_years[y], 100 * s->survival_onset[y], 100 * s->survival_diagnosis[y]);
    if (s->have_total)
        fprintf(out, "mean ALSFRS-R slope              %.2f points/month (first 12 months, %lld patients)\n",
                s->mean_alsfrs_slope, (long long)s->n_alsfrs_slope);
    if (s->have_fvc)
        fprintf(out, "mean FVC slope                   %.2f %%predicted/month\n", s->mean_fvc_slope);
    if (s->have_stages) {
        fprintf(out, "median months from onset to      King's 1..4: %.1f %.1f %.1f %.1f\n",
                s->median_kings_months[0], s->median_kings_months[1], s->median_kings_months[2],
                s->median_kings_months[3]);
        fprintf(out, "                                 MiToS  1..4: %.1f %.1f %.1f %.1f\n",
                s->median_mitos_months[0], s->median_mitos_months[1], s->median_mitos_months[2],
                s->median_mitos_months[3]);
    }
}
