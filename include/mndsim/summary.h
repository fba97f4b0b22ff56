/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * summary.h — the headline figures of a result file, as `mndsim info`
 * prints them: survival from onset and from diagnosis, ALSFRS-R and FVC
 * slopes, and stage timing.
 */
#ifndef MNDSIM_SUMMARY_H
#define MNDSIM_SUMMARY_H

#include <stdint.h>
#include <stdio.h>
#include "mndsim/status.h"

#define MND_SUMMARY_YEARS 3 /* survival at 1, 5 and 10 years */

typedef struct {
    int64_t n_patients, n_deaths;
    double median_survival_onset_months;     /* Kaplan–Meier, death */
    double median_survival_diagnosis_months;
    double survival_onset[MND_SUMMARY_YEARS];     /* at 1, 5, 10 years */
    double survival_diagnosis[MND_SUMMARY_YEARS];
    int have_total, have_fvc, have_stages;
    double mean_alsfrs_slope;     /* points/month: per-patient least squares over the first
                                     12 months of visits (>= 3 visits), averaged */
    int64_t n_alsfrs_slope;       /* patients contributing */
    double mean_fvc_slope;        /* % predicted/month, same definition */
    double median_kings_months[4]; /* onset to King's stage >= 1..4 (death counts), KM */
    double median_mitos_months[4]; /* onset to MiToS stage >= 1..4 (death counts), KM */
} mnd_summary;

/* Slope window of mean_alsfrs_slope and mean_fvc_slope, months. */
#define MND_SUMMARY_SLOPE_WINDOW_MONTHS 12.0

/* Computes the summary of the HDF5 result at `path`, reading trajectories
 * in blocks (memory independent of the cohort size).  Figures whose
 * variables were not stored are NaN and their have_* flag 0. */
mnd_status mnd_summary_from_file(const char *path, mnd_summary *s, mnd_error *err);

/* Prints the summary as an aligned plain-text table. */
void mnd_summary_print(FILE *out, const mnd_summary *s);

#endif
