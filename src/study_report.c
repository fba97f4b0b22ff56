/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * study_report.c — printing the studies of a result file (study_report.h).
 *
 * Design.  Reads only what the writer stored: the list of studies (the
 * attribute `studies` of /analysis), the per-replicate metrics of
 * /studies/<name> and the summaries of /analysis/<name>, through the
 * reader of output.h, so it works on any result file, however it was made.
 * The zero-effect probability of a claim is computed from the control
 * version of the claimed metric, replicate by replicate.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mndsim/output.h"
#include "mndsim/study.h"
#include "mndsim/study_report.h"

/* The study names of the file, space-separated in a malloc'd string ("" when
 * the file has no studies). */
static mnd_status study_names(const mnd_reader *r, char **names, mnd_error *err)
{
    if (mnd_reader_object_attr(r, "analysis", "studies", names, NULL) == MND_OK)
        return MND_OK;
    *names = strdup(""); /* a file without studies */
    return *names ? MND_OK : mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "out of memory");
}

/* Reads the R values of /studies/<study>/<metric> into a malloc'd array. */
static mnd_status read_metric(const mnd_reader *r, const char *study, const char *metric,
                              int64_t *R, double **values, mnd_error *err)
{
    char path[160];
    int rank;
    int64_t dims[3];
    snprintf(path, sizeof path, "studies/%s/%s", study, metric);
    mnd_status st = mnd_reader_shape(r, path, &rank, dims, err);
    if (st != MND_OK)
        return st;
    *R = dims[0];
    *values = malloc((size_t)(dims[0] > 0 ? dims[0] : 1) * sizeof **values);
    if (*values == NULL)
        return mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "out of memory");
    st = mnd_reader_read(r, path, 0, dims[0], *values, err);
    if (st != MND_OK) {
        free(*values);
        *values = NULL;
    }
    return st;
}

static double object_number(const mnd_reader *r, const char *object, const char *name)
{
    char *v = NULL;
    double x = NAN;
    if (mnd_reader_object_attr(r, object, name, &v, NULL) == MND_OK)
        x = strtod(v, NULL);
    free(v);
    return x;
}

mnd_status mnd_study_report_print(FILE *out, const char *path, mnd_error *err)
{
    mnd_reader *r = NULL;
    char *names = NULL;
    double *v[4] = {NULL, NULL, NULL, NULL};
    mnd_status st = mnd_reader_open(&r, path, err);
    if (st != MND_OK)
        return st;
    if ((st = study_names(r, &names, err)) != MND_OK)
        goto cleanup;
    for (char *save = NULL, *name = strtok_r(names, " ", &save); name != NULL;
         name = strtok_r(NULL, " ", &save)) {
        char group[96], ds[160];
        static const char *const stats[4] = {"n", "mean", "q025", "q975"};
        snprintf(group, sizeof group, "analysis/%s", name);
        for (int q = 0; q < 4; q++) {
            free(v[q]);
            v[q] = malloc(MND_M_COUNT * sizeof *v[q]);
            snprintf(ds, sizeof ds, "%s/%s", group, stats[q]);
            if (v[q] == NULL)
                st = mnd_error_set(err, MND_ERR_NOMEM, NULL, 0, "out of memory");
            else
                st = mnd_reader_read(r, ds, 0, MND_M_COUNT, v[q], err);
            if (st != MND_OK)
                goto cleanup;
        }
        fprintf(out, "\nstudy %s: %.0f replicates; slope test rejects %.3f, log-rank %.3f "
                     "(alpha %.3g)\n",
                name, object_number(r, group, "replicates"),
                object_number(r, group, "reject_slope"), object_number(r, group, "reject_logrank"),
                object_number(r, group, "alpha"));
        fprintf(out, "  %-26s %12s  %25s  %s\n", "metric", "mean", "2.5-97.5 % of replicates",
                "unit");
        for (int m = 0; m < MND_M_COUNT; m++) {
            if (v[0][m] == 0)
                continue; /* does not apply to this design */
            fprintf(out, "  %-26s %12.4g  [%11.4g, %11.4g]  %s\n", mnd_metric_names[m],
                    v[1][m], v[2][m], v[3][m], mnd_metric_units[m]);
        }
    }

cleanup:
    for (int q = 0; q < 4; q++)
        free(v[q]);
    free(names);
    mnd_reader_close(r);
    return st;
}

/* The control version of metric m (the same metric without the therapy),
 * or -1. */
static int control_metric(int m)
{
    switch (m) {
    case MND_M_SLOWING_PERCENT: return MND_M_CONTROL_SLOWING_PERCENT;
    case MND_M_SLOWED_SHARE: return MND_M_CONTROL_SLOWED_SHARE;
    case MND_M_FVC_GAIN_SHARE: return MND_M_CONTROL_FVC_GAIN_SHARE;
    case MND_M_SURVIVAL_GAIN: return MND_M_CONTROL_SURVIVAL_GAIN;
    case MND_M_ALIVE_10Y: return MND_M_CONTROL_ALIVE_10Y;
    case MND_M_PRO_PAIN_CHANGE: return MND_M_CONTROL_PRO_PAIN_CHANGE;
    case MND_M_PRO_SPASMS_CHANGE: return MND_M_CONTROL_PRO_SPASMS_CHANGE;
    case MND_M_PRO_HADS_CHANGE: return MND_M_CONTROL_PRO_HADS_CHANGE;
    case MND_M_PRO_QOL_CHANGE: return MND_M_CONTROL_PRO_QOL_CHANGE;
    case MND_M_PRO_BEST_CHANGE: return MND_M_CONTROL_PRO_BEST_CHANGE;
    default: return -1;
    }
}

/* The true effect shown beside claim metric m: on the patient-reported
 * scales for a C7 metric, on the ALSFRS-R slope otherwise. */
static const char *true_effect_metric(int m)
{
    bool pro = m >= MND_M_PRO_PAIN_CHANGE && m <= MND_M_PRO_BEST_CHANGE;
    return mnd_metric_names[pro ? MND_M_TRUE_PRO_EFFECT : MND_M_TRUE_SLOPE_EFFECT];
}

/* Mean and share >= threshold of the finite values. */
static void describe(const double *x, int64_t n, double threshold, double *mean, double *share)
{
    double sum = 0;
    int64_t k = 0, hit = 0;
    for (int64_t i = 0; i < n; i++)
        if (isfinite(x[i])) {
            sum += x[i];
            k++;
            hit += x[i] >= threshold;
        }
    *mean = k ? sum / (double)k : NAN;
    *share = k ? (double)hit / (double)k : NAN;
}

mnd_status mnd_claims_print(FILE *out, const char *path, mnd_error *err)
{
    mnd_reader *r = NULL;
    char *names = NULL, *metric = NULL;
    double *clinic = NULL, *control = NULL, *effect = NULL;
    mnd_status st = mnd_reader_open(&r, path, err);
    if (st != MND_OK)
        return st;
    if ((st = study_names(r, &names, err)) != MND_OK)
        goto cleanup;
    fprintf(out, "%-14s %-16s %9s %11s %11s %12s %10s %10s\n", "study", "claim metric", "claim >=",
            "clinic", "no therapy", "true effect", "P(claim)", "P(claim|0)");
    for (char *save = NULL, *name = strtok_r(names, " ", &save); name != NULL;
         name = strtok_r(NULL, " ", &save)) {
        char group[96];
        int64_t R;
        snprintf(group, sizeof group, "analysis/%s", name);
        free(metric);
        metric = NULL;
        if ((st = mnd_reader_object_attr(r, group, "claim_metric", &metric, err)) != MND_OK)
            goto cleanup;
        double threshold = object_number(r, group, "claim_threshold");
        int m = -1;
        for (int k = 0; k < MND_M_COUNT; k++)
            if (strcmp(mnd_metric_names[k], metric) == 0)
                m = k;
        int c = m >= 0 ? control_metric(m) : -1;
        free(clinic);
        free(control);
        free(effect);
        clinic = control = effect = NULL;
        if ((st = read_metric(r, name, metric, &R, &clinic, err)) != MND_OK
            || (st = read_metric(r, name, true_effect_metric(m), &R, &effect, err)) != MND_OK
            || (c >= 0
                && (st = read_metric(r, name, mnd_metric_names[c], &R, &control, err)) != MND_OK))
            goto cleanup;
        double clinic_mean, p_claim, control_mean = NAN, p_zero = NAN, effect_mean, unused;
        describe(clinic, R, threshold, &clinic_mean, &p_claim);
        describe(effect, R, 0.0, &effect_mean, &unused);
        if (control != NULL)
            describe(control, R, threshold, &control_mean, &p_zero);
        fprintf(out, "%-14s %-16s %9.4g %11.4g %11.4g %12.4g %10.3f %10.3f\n", name, metric,
                threshold, clinic_mean, control_mean, effect_mean, p_claim, p_zero);
    }
    fputs("\nclinic: the claimed metric as the clinic computes it (mean over replicate studies);\n"
          "no therapy: the same metric in the randomized control arm (rct) or on the same\n"
          "patients given a sham (uncontrolled designs); true effect: mean of each patient's\n"
          "treated minus untreated ALSFRS-R slope, points/month (for the patient-reported\n"
          "pro_* claims: the treated minus untreated change, %); P(claim): share of replicate\n"
          "studies reaching the claim with the simulated therapy; P(claim|0): the same with\n"
          "zero true effect.\n",
          out);

cleanup:
    free(clinic);
    free(control);
    free(effect);
    free(metric);
    free(names);
    mnd_reader_close(r);
    return st;
}
